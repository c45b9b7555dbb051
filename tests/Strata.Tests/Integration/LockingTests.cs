using Npgsql;
using Strata.Database;
using Strata.History;
using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>The advisory lock, lock_timeout retries and concurrent runners, with real processes.</summary>
public class LockingTests(PostgresServer server)
{
    [Fact]
    public async Task Four_processes_at_once_apply_each_migration_exactly_once_even_with_concurrent_indexes()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        for (var i = 1; i <= 6; i++)
        {
            dir.Write($"2025100{i}000000_step_{i}.sql", $"""
                -- Step {i}
                -- migrate:up
                CREATE TABLE step_{i} (id bigint, v text);
                INSERT INTO step_{i} SELECT g, md5(g::text) FROM generate_series(1, 20000) g;
                CREATE INDEX CONCURRENTLY IF NOT EXISTS step_{i}_v_idx ON step_{i} (v);
                """);
        }

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => StrataProcess.RunAsync(dir.Root, "up", "--url", db.Url, "--lock-wait", "2min")));

        runs.Should().OnlyContain(r => r.ExitCode == 0, string.Join("\n---\n", runs.Select(r => r.All)));
        runs.Count(r => r.Stdout.Contains("Applied 6 migration(s)")).Should().Be(1);
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_version_events WHERE action = 'apply'")).Should().Be(6);
        (await db.ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).Should().Be(0);
    }

    [Fact]
    public async Task A_busy_lock_refuses_with_exit_3_naming_the_holder()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n");
        await using var holder = await db.HoldMigrationLockAsync();
        var pid = holder.Connection.ProcessID;

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--lock-wait", "1s");

        up.ExitCode.Should().Be(3);
        up.Stderr.Should().Contain($"pid {pid}").And.Contain("lock");
        (await db.TableExistsAsync("a")).Should().BeFalse();
    }

    [Fact]
    public async Task A_lock_timeout_is_retried_until_the_table_is_free()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE busy (id int)");
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", "[migrations]\nlock_timeout = \"200ms\"\nlock_tries = 5\nlong_tx = \"off\"\n");
        dir.Write("20251001000000_alter_busy.sql", "-- Alter busy\n-- migrate:up\nALTER TABLE busy ADD COLUMN note text;\n");
        await using var blocker = await DatabaseSession.OpenAsync(db.Target);
        var transaction = await blocker.Connection.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE busy IN ACCESS SHARE MODE", blocker.Connection, transaction))
            await lockTable.ExecuteNonQueryAsync();

        var up = StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);
        await Task.Delay(1500);
        await transaction.CommitAsync();
        var result = await up;

        result.ExitCode.Should().Be(0, result.All);
        result.Stdout.Should().Contain("lock retr");
        (await db.ScalarAsync<int>("SELECT (metadata->>'lock_retries')::int FROM schema_versions")).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task A_lock_timeout_that_never_clears_fails_the_migration_after_the_configured_tries()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE busy (id int)");
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", "[migrations]\nlock_timeout = \"100ms\"\nlock_tries = 2\nlong_tx = \"off\"\n");
        dir.Write("20251001000000_alter_busy.sql", "-- Alter busy\n-- migrate:up\nALTER TABLE busy ADD COLUMN note text;\n");
        await using var blocker = await DatabaseSession.OpenAsync(db.Target);
        await using var transaction = await blocker.Connection.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE busy IN ACCESS SHARE MODE", blocker.Connection, transaction))
            await lockTable.ExecuteNonQueryAsync();

        var result = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("55P03");
    }
}
