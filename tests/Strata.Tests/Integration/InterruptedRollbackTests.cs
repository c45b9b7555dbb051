using System.Text.Json;
using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>
/// <c>rollback VERSION</c> of an interrupted migration undoes only what took effect: its down
/// section runs statement by statement, passing over what never ran, and the attempt is closed.
/// </summary>
public class InterruptedRollbackTests(PostgresServer server)
{
    private const string Reason = "--reason";

    /// <summary>Kills <c>up</c> while the file sleeps after its first two statements took effect.</summary>
    private static async Task InterruptAsync(TestDatabase db, MigrationDirectory dir)
    {
        using (var process = StrataProcess.Start(dir.Root, "up", "--url", db.Url))
        {
            await TestDatabase.WaitForAsync(() => db.RunningAsync("pg_sleep(30)"));
            process.Kill();
            await process.WaitAsync();
        }
        await db.EndOtherSessionsAsync();
    }

    [Fact]
    public async Task Only_the_statements_that_took_effect_are_undone_and_the_migration_is_pending_again()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        // No IF EXISTS in the down: DROP TABLE later_table would fail if it were not passed over.
        dir.Write("20251001000000_steps.sql", """
            -- Steps
            -- migrate:up
            CREATE TABLE items (id int);
            CREATE INDEX CONCURRENTLY items_id ON items (id);
            SELECT pg_sleep(30);
            CREATE TABLE later_table (id int);
            -- migrate:down
            DROP TABLE later_table;
            DROP INDEX CONCURRENTLY items_id;
            DROP TABLE items;
            """);
        await InterruptAsync(db, dir);

        var rollback = await StrataCli.RunAsync(dir.Root, "rollback", "20251001000000", "--url", db.Url, Reason, "undo the half-applied steps", "--json");

        rollback.ExitCode.Should().Be(0, rollback.All);
        using (var json = JsonDocument.Parse(rollback.Stdout))
        {
            var done = json.RootElement.GetProperty("rolled_back")[0];
            done.GetProperty("version").GetString().Should().Be("20251001000000_steps.sql");
            done.GetProperty("undo").GetProperty("undone").GetInt32().Should().Be(2);
            done.GetProperty("undo").GetProperty("nothing_to_undo").GetInt32().Should().Be(1);
        }
        (await db.TableExistsAsync("items")).Should().BeFalse();
        var status = await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url, "--json");
        using (var json = JsonDocument.Parse(status.Stdout))
            json.RootElement.GetProperty("migrations")[0].GetProperty("state").GetString().Should().Be("pending");
        (await db.ScalarAsync<string>("SELECT details->>'reason' FROM schema_version_events WHERE action = 'rollback'")).Should().Be("undo the half-applied steps");

        var history = await StrataCli.RunAsync(dir.Root, "history", "--url", db.Url);
        history.Stdout.Should().Contain("rollback");
    }

    [Fact]
    public async Task The_text_output_says_what_was_undone()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_steps.sql",
            "-- Steps\n-- migrate:up\nCREATE TABLE items (id int);\nCREATE INDEX CONCURRENTLY items_id ON items (id);\nSELECT pg_sleep(30);\n" +
            "-- migrate:down\nDROP INDEX CONCURRENTLY IF EXISTS items_id;\nDROP TABLE IF EXISTS items;\n");
        await InterruptAsync(db, dir);

        var rollback = await StrataCli.RunAsync(dir.Root, "rollback", "20251001000000_steps.sql", "--url", db.Url, Reason, "cleanup");

        rollback.ExitCode.Should().Be(0, rollback.All);
        rollback.Stdout.Should().Contain("rolled back 20251001000000_steps.sql")
            .And.Contain("interrupted attempt: its down section ran: 2 statement(s) undone; it is pending again");
    }

    [Fact]
    public async Task An_undo_that_stops_names_the_statement_and_leaves_the_migration_interrupted()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_steps.sql", """
            -- Steps
            -- migrate:up
            CREATE TABLE items (id int);
            CREATE VIEW item_ids AS SELECT id FROM items;
            CREATE INDEX CONCURRENTLY items_id ON items (id);
            SELECT pg_sleep(30);
            -- migrate:down
            DROP TABLE items;
            DROP VIEW item_ids;
            """);
        await InterruptAsync(db, dir);

        var rollback = await StrataCli.RunAsync(dir.Root, "rollback", "20251001000000", "--url", db.Url, Reason, "try", "--json");
        var text = await StrataCli.RunAsync(dir.Root, "rollback", "20251001000000", "--url", db.Url, Reason, "try");

        rollback.ExitCode.Should().Be(1, rollback.All);
        using (var json = JsonDocument.Parse(rollback.Stdout))
        {
            var failure = json.RootElement.GetProperty("failure");
            failure.GetProperty("sqlstate").GetString().Should().Be("2BP01");
            failure.GetProperty("undo").GetProperty("stopped_at").GetString().Should().Be("DROP TABLE items");
        }
        text.Stderr.Should().Contain("the rollback of interrupted 20251001000000_steps.sql stopped").And.Contain("It is still interrupted");
        (await db.TableExistsAsync("items")).Should().BeTrue();
        var status = await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url, "--json");
        using (var json = JsonDocument.Parse(status.Stdout))
            json.RootElement.GetProperty("migrations")[0].GetProperty("state").GetString().Should().Be("interrupted");
    }

    [Fact]
    public async Task Rolling_back_past_an_interrupted_migration_is_refused_until_it_is_dealt_with()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_first.sql", "-- First\n-- migrate:up\nCREATE TABLE first (id int);\n-- migrate:down\nDROP TABLE first;\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        dir.Write("20251002000000_steps.sql",
            "-- Steps\n-- migrate:up\nCREATE TABLE items (id int);\nCREATE INDEX CONCURRENTLY items_id ON items (id);\nSELECT pg_sleep(30);\n" +
            "-- migrate:down\nDROP INDEX CONCURRENTLY IF EXISTS items_id;\nDROP TABLE IF EXISTS items;\n");
        await InterruptAsync(db, dir);

        var last = await StrataCli.RunAsync(dir.Root, "rollback", "--last", "1", "--url", db.Url, Reason, "r");
        var to = await StrataCli.RunAsync(dir.Root, "rollback", "--to", "20251001000000", "--url", db.Url, Reason, "r");

        last.ExitCode.Should().Be(3, last.All);
        last.Stderr.Should().Contain("20251002000000_steps.sql is interrupted").And.Contain("strata rollback 20251002000000_steps.sql");
        to.ExitCode.Should().Be(3, to.All);
        (await db.TableExistsAsync("first")).Should().BeTrue();
        (await db.TableExistsAsync("items")).Should().BeTrue();
    }

    [Fact]
    public async Task An_interrupted_migration_whose_file_is_gone_is_refused_with_the_way_out()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        var path = dir.Write("20251001000000_steps.sql",
            "-- Steps\n-- migrate:up\nCREATE TABLE items (id int);\nCREATE INDEX CONCURRENTLY items_id ON items (id);\nSELECT pg_sleep(30);\n" +
            "-- migrate:down\nDROP TABLE IF EXISTS items;\n");
        await InterruptAsync(db, dir);
        File.Delete(path);

        var rollback = await StrataCli.RunAsync(dir.Root, "rollback", "20251001000000", "--url", db.Url, Reason, "r");

        rollback.ExitCode.Should().Be(3, rollback.All);
        rollback.Stderr.Should().Contain("its file is gone").And.Contain("strata repair");
        (await db.TableExistsAsync("items")).Should().BeTrue();
    }
}
