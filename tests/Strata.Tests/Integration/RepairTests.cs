using System.Text.Json;
using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary><c>repair</c> and <c>baseline</c>: history changes that run no migration SQL, each an event.</summary>
public class RepairTests(PostgresServer server)
{
    [Fact]
    public async Task Repair_accepts_an_edited_file_and_a_removed_one_so_up_runs_again()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        var edited = dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n");
        var removed = dir.Write("20251002000000_b.sql", "-- B\n-- migrate:up\nCREATE TABLE b (id int);\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        File.AppendAllText(edited, "-- a comment added after the fact\n");
        File.Delete(removed);
        dir.Write("20251003000000_c.sql", "-- C\n-- migrate:up\nCREATE TABLE c (id int);\n");

        var refused = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);
        var noReason = await StrataCli.RunAsync(dir.Root, "repair", "--url", db.Url);
        var dry = await StrataCli.RunAsync(dir.Root, "repair", "--url", db.Url, "--dry-run");
        var repair = await StrataCli.RunAsync(dir.Root, "repair", "--url", db.Url, "--reason", "comment only; b moved to another service", "--json");
        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        refused.ExitCode.Should().Be(3);
        noReason.ExitCode.Should().Be(2);
        dry.Stdout.Should().Contain("would record checksum 20251001000000_a.sql").And.Contain("would record file-removed 20251002000000_b.sql");
        repair.ExitCode.Should().Be(0, repair.All);
        using (var json = JsonDocument.Parse(repair.Stdout))
            json.RootElement.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("change").GetString()).Should().Equal("checksum", "file-removed");
        up.ExitCode.Should().Be(0, up.All);
        (await db.TableExistsAsync("c")).Should().BeTrue();
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_version_events WHERE action = 'repair' AND details->>'reason' LIKE 'comment only%'")).Should().Be(2);
        (await db.ScalarAsync<string>("SELECT checksum FROM schema_versions WHERE version = '20251001000000_a.sql'"))
            .Should().Be((await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url, "--json")).Stdout.Split("\"file_checksum\": \"")[1].Split('"')[0]);
    }

    [Fact]
    public async Task Repair_resolves_an_interrupted_attempt_fixed_by_hand()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n");
        dir.Write("20251002000000_index.sql", "-- Index\n-- migrate:up\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--to", "20251001000000")).ExitCode.Should().Be(0);
        // As a killed run leaves it: a start event and nothing after it.
        await db.ExecuteAsync("""INSERT INTO schema_version_events (version, action, "by", details) VALUES ('20251002000000_index.sql', 'start', 'ci', '{"tool": "strata", "action": "start"}')""");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(3, "it is interrupted");

        var repair = await StrataCli.RunAsync(dir.Root, "repair", "--url", db.Url, "--reason", "checked by hand: nothing was built");
        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        repair.Stdout.Should().Contain("recorded interruption-resolved 20251002000000_index.sql");
        up.ExitCode.Should().Be(0, up.All);
        (await db.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'a_id'::regclass")).Should().BeTrue();
    }

    [Fact]
    public async Task Baseline_records_files_as_applied_without_running_them_and_up_runs_the_rest()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE users (id int); CREATE TABLE orders (id int);");
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_users.sql", "-- Users\n-- migrate:up\nCREATE TABLE users (id int);\n-- migrate:down\nDROP TABLE users;\n");
        dir.Write("20251002000000_orders.sql", "-- Orders\n-- migrate:up\nCREATE TABLE orders (id int);\n");
        dir.Write("20251003000000_invoices.sql", "-- Invoices\n-- migrate:up\nCREATE TABLE invoices (id int);\n");

        var unknown = await StrataCli.RunAsync(dir.Root, "baseline", "--url", db.Url, "--to", "20991231000000");
        var baseline = await StrataCli.RunAsync(dir.Root, "baseline", "--url", db.Url, "--to", "20251002000000", "--reason", "adopting the existing database");
        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        unknown.ExitCode.Should().Be(2);
        baseline.ExitCode.Should().Be(0, baseline.All);
        baseline.Stdout.Should().Contain("recorded baseline 20251001000000_users.sql").And.Contain("recorded baseline 20251002000000_orders.sql");
        up.ExitCode.Should().Be(0, "the baselined CREATE TABLEs did not run again: " + up.All);
        up.Stdout.Should().Contain("Applied 1 migration(s)");
        (await db.RowsAsync("SELECT version, status, metadata->>'action' FROM schema_versions ORDER BY version")).Select(r => string.Join(' ', r))
            .Should().Equal("20251001000000_users.sql applied baseline", "20251002000000_orders.sql applied baseline", "20251003000000_invoices.sql applied apply");
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_version_events WHERE action = 'baseline'")).Should().Be(2);
    }
}
