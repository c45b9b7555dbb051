using System.Text.Json;
using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>A statement-by-statement file whose run never ends is seen as interrupted, with what took effect and what to do.</summary>
public class InterruptedTests(PostgresServer server)
{
    [Fact]
    public async Task A_killed_run_is_interrupted_up_refuses_naming_it_and_allow_interrupted_finishes_it()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        var path = dir.Write("20251001000000_index.sql", """
            -- Table and index, statement by statement
            -- migrate:up
            CREATE TABLE IF NOT EXISTS items (id int);
            CREATE INDEX CONCURRENTLY IF NOT EXISTS items_id ON items (id);
            SELECT pg_sleep(30);
            """);

        using (var process = StrataProcess.Start(dir.Root, "up", "--url", db.Url))
        {
            await TestDatabase.WaitForAsync(() => db.RunningAsync("pg_sleep(30)"));
            process.Kill();
            await process.WaitAsync();
        }
        await db.EndOtherSessionsAsync();
        var status = await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url, "--json");
        var text = await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url);
        var refused = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        using (var json = JsonDocument.Parse(status.Stdout))
        {
            var entry = json.RootElement.GetProperty("migrations")[0];
            entry.GetProperty("state").GetString().Should().Be("interrupted");
            entry.GetProperty("interrupted").GetProperty("committed_statements").GetInt32().Should().Be(2);
            entry.GetProperty("interrupted").GetProperty("took_effect").GetString().Should().Contain("CREATE TABLE (line 3)").And.Contain("CREATE INDEX (line 4)");
            entry.GetProperty("interrupted").GetProperty("resolve").GetString().Should().Contain("--allow-interrupted");
        }
        text.Stdout.Should().Contain("interrupted").And.Contain("2 of its 3 statement(s) took effect");
        refused.ExitCode.Should().Be(3, refused.All);
        refused.Stderr.Should().Contain("20251001000000_index.sql was interrupted").And.Contain("--allow-interrupted")
            .And.NotContain("No statement of this migration took effect");

        File.WriteAllText(path, File.ReadAllText(path).Replace("SELECT pg_sleep(30);", "SELECT 1;"));
        var finished = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--allow-interrupted");
        finished.ExitCode.Should().Be(0, finished.All);
        (await db.ScalarAsync<string>("SELECT status FROM schema_versions")).Should().Be("applied");
        (await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url)).Stdout.Should().Contain("1 applied");
    }

    [Fact]
    public async Task An_index_build_killed_half_way_is_rebuilt_not_skipped_when_run_again()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE big (id int); INSERT INTO big SELECT generate_series(1, 1000);");
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_index_big.sql",
            "-- Index big\n-- migrate:up\nCREATE INDEX CONCURRENTLY IF NOT EXISTS big_id ON big (id);\n");
        // An open transaction makes CREATE INDEX CONCURRENTLY wait after it has created the (INVALID) index.
        var blocker = await Strata.Database.DatabaseSession.OpenAsync(db.Target);
        var transaction = await blocker.Connection.BeginTransactionAsync();
        await using (var touch = new Npgsql.NpgsqlCommand("SELECT txid_current()", blocker.Connection, transaction)) await touch.ExecuteScalarAsync();

        using (var process = StrataProcess.Start(dir.Root, "up", "--url", db.Url))
        {
            await TestDatabase.WaitForAsync(() => db.ScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY%' AND wait_event_type = 'Lock')"));
            process.Kill();
            await process.WaitAsync();
        }
        // The orphaned build goes first, while the blocker still holds it back; then the blocker.
        await db.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY%' AND datname = current_database()");
        await TestDatabase.WaitForAsync(async () => !await db.RunningAsync("CREATE INDEX CONCURRENTLY IF NOT EXISTS big_id"));
        await db.EndOtherSessionsAsync();
        try { await blocker.DisposeAsync(); } catch (Npgsql.NpgsqlException) { /* its backend is gone, as intended */ }
        (await db.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'big_id'::regclass")).Should().BeFalse("the kill left it half-built");

        var again = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--allow-interrupted");

        again.ExitCode.Should().Be(0, again.All);
        (await db.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'big_id'::regclass")).Should().BeTrue("IF NOT EXISTS must not keep the INVALID index");
    }
}
