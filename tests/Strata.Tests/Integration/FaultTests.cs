using System.Text.Json;
using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>Faults from outside the migration's SQL: a terminated backend, a stopped process, a failed bootstrap.</summary>
public class FaultTests(PostgresServer server)
{
    private static Task<bool> SleepingAsync(TestDatabase db) => db.RunningAsync("pg_sleep(30)");

    [Fact]
    public async Task A_backend_terminated_mid_migration_is_exit_4_recorded_as_failed_and_the_next_run_completes()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        var path = dir.Write("20251001000000_slow.sql", "-- Slow\n-- migrate:up\nCREATE TABLE slow (id int);\nSELECT pg_sleep(30);\n");

        var up = StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json");
        await TestDatabase.WaitForAsync(() => SleepingAsync(db));
        await db.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()");
        var result = await up;

        result.ExitCode.Should().Be(4, result.All);
        using (var json = JsonDocument.Parse(result.Stdout))
            json.RootElement.GetProperty("errors")[0].GetProperty("code").GetString().Should().Be("connection-lost");
        result.All.Should().NotContain("unexpected error").And.Contain("20251001000000_slow.sql");
        (await db.TableExistsAsync("slow")).Should().BeFalse("the transaction died with its backend");
        (await db.ScalarAsync<string>("SELECT status FROM schema_versions")).Should().Be("failed", "the server was still reachable, so the attempt is on record");

        File.WriteAllText(path, "-- Slow\n-- migrate:up\nCREATE TABLE slow (id int);\n");
        var next = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);
        next.ExitCode.Should().Be(0, next.All);
        (await db.ScalarAsync<string>("SELECT status FROM schema_versions")).Should().Be("applied");
    }

    [Fact]
    public async Task Sigterm_during_a_transactional_file_says_cancelled_exits_1_and_leaves_nothing_behind()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_first.sql", "-- First\n-- migrate:up\nCREATE TABLE first_done (id int);\n");
        dir.Write("20251002000000_slow.sql", "-- Slow\n-- migrate:up\nCREATE TABLE half (id int);\nSELECT pg_sleep(30);\n");

        using var process = StrataProcess.Start(dir.Root, "up", "--url", db.Url);
        await TestDatabase.WaitForAsync(() => SleepingAsync(db));
        process.Terminate();
        var result = await process.WaitAsync();

        result.ExitCode.Should().Be(1, result.All);
        result.Stderr.Should().Contain("cancelled.");
        (await db.TableExistsAsync("first_done")).Should().BeTrue();
        (await db.TableExistsAsync("half")).Should().BeFalse();
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_versions WHERE version = '20251002000000_slow.sql'")).Should().Be(0);
        (await SleepingAsync(db)).Should().BeFalse("the server's statement was cancelled, not left running");
        (await db.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"))
            .Should().Be(0);
    }

    [Fact]
    public async Task A_failed_bootstrap_file_can_be_fixed_and_run_again()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        var bootstrap = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "../../../../../examples/wheels-wins/migrations/20251002120000_create_schema_versions_table.sql"));
        var path = dir.Write("20251002120000_create_schema_versions_table.sql",
            bootstrap.Replace("-- Insert this migration itself", "SELECT no_such_function();\n-- Insert this migration itself"));

        var failed = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);
        File.WriteAllText(path, bootstrap);
        var fixedRun = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);
        var history = await StrataCli.RunAsync(dir.Root, "history", "--url", db.Url, "--json");

        failed.ExitCode.Should().Be(1, failed.All);
        failed.Stderr.Should().Contain("42883");
        fixedRun.ExitCode.Should().Be(0, "the failure left nothing that makes the fixed file's CREATE statements fail: " + fixedRun.All);
        (await db.ScalarAsync<string>("SELECT status FROM schema_versions WHERE version = '20251002120000_create_schema_versions_table.sql'")).Should().Be("applied");
        using var json = JsonDocument.Parse(history.Stdout);
        json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("action").GetString()).Should().Equal("apply", "fail");
    }

    [Fact]
    public async Task A_long_statement_is_not_cut_off_by_a_client_timeout()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_long.sql", "-- Long\n-- migrate:up\nSELECT pg_sleep(31);\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(0, "Npgsql's default 30 s command timeout must not apply to migrations: " + up.All);
    }
}
