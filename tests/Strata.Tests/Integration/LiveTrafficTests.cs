using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Strata.Database;
using Strata.Running;
using Strata.Sql;
using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>
/// Issue 19: migrating under load. A long transaction on a table must not make Strata's ALTER
/// wait in the table's lock queue, where every later query of the application would wait behind
/// it; Strata looks first, waits and retries, and names the blocker when it gives up.
/// </summary>
public class LiveTrafficTests(PostgresServer server)
{
    private const string AlterBusy = "-- Add a note to busy\n-- migrate:up\nALTER TABLE busy ADD COLUMN note text;\n-- migrate:down\nALTER TABLE busy DROP COLUMN IF EXISTS note;\n";

    [Fact]
    public async Task A_long_transaction_fails_the_migration_fast_naming_it_and_no_reader_ever_waits()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE busy (id int); INSERT INTO busy SELECT generate_series(1, 100);");
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", "[migrations]\nlock_timeout = \"30s\"\nlock_tries = 2\nlong_tx = \"100ms\"\n");
        dir.Write("20251001000000_note.sql", AlterBusy);
        await using var blocker = await OpenBlockerAsync(db, "held-by-test");
        var pid = blocker.Session.Connection.ProcessID;
        await Task.Delay(200);

        var clock = Stopwatch.StartNew();
        var up = StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);
        var (ungranted, readerWorst) = await WatchBusyAsync(db, up);
        var result = await up;

        result.ExitCode.Should().Be(1, result.All);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15), "the 30 s lock_timeout is never waited out");
        result.Stderr.Should().Contain($"retrying 20251001000000_note.sql (attempt 1: waiting for pid {pid} (application 'held-by-test', transaction open");
        result.Stderr.Should().Contain($"pid {pid} (application 'held-by-test'").And.Contain("idle in transaction")
            .And.Contain($"SELECT pg_terminate_backend({pid});").And.Contain("lock_tries").And.Contain("55P03").And.Contain("20251001000000_note.sql:3:1");
        result.Stderr.Should().Contain($"blocker: pid {pid}'s last query (started ").And.Contain("SELECT count(*) FROM busy");
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_version_events WHERE error LIKE '%FROM busy%' OR details::text LIKE '%FROM busy%'"))
            .Should().Be(0, "the blocker's SQL is another application's: shown to the operator, never recorded");
        (await db.ScalarAsync<bool>("SELECT metadata::text LIKE '%FROM busy%' FROM schema_versions")).Should().BeFalse();
        ungranted.Should().Be(0, "Strata never asked for the lock, so nothing waited in busy's lock queue");
        readerWorst.Should().BeLessThan(TimeSpan.FromMilliseconds(200), "a reader with statement_timeout 200ms always got through");
        (await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'note'")).Should().Be(0);
        var row = (await db.RowsAsync("""
            SELECT status, metadata->>'lock_retries', metadata->'blockers'->0->>'pid', metadata->'blockers'->0->>'application',
                   metadata->'blockers'->0->>'state', (metadata->>'lock_wait_ms')::bigint > 0, metadata->'blockers'->0 ? 'query'
            FROM schema_versions
            """)).Single();
        row.Should().Equal("failed", "1", pid.ToString(), "held-by-test", "idle in transaction", "True", "False");
    }

    [Fact]
    public async Task A_blocker_that_ends_during_the_retries_lets_the_migration_apply_and_is_recorded()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE busy (id int)");
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", "[migrations]\nlock_timeout = \"30s\"\nlock_tries = 4\nlong_tx = \"100ms\"\n");
        dir.Write("20251001000000_note.sql", AlterBusy);
        var blocker = await OpenBlockerAsync(db, "held-by-test");
        var pid = blocker.Session.Connection.ProcessID;
        await Task.Delay(200);

        var up = StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json");
        await Task.Delay(700);
        await blocker.DisposeAsync();
        var result = await up;

        result.ExitCode.Should().Be(0, result.All);
        var applied = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("applied")[0];
        applied.GetProperty("lock_retries").GetInt32().Should().BeGreaterThanOrEqualTo(1);
        applied.GetProperty("lock_wait_ms").GetInt64().Should().BeGreaterThan(0);
        applied.GetProperty("blockers")[0].GetProperty("application").GetString().Should().Be("held-by-test");
        var row = (await db.RowsAsync("""
            SELECT status, (metadata->>'lock_retries')::int >= 1, metadata->'blockers'->0->>'pid', metadata->'blockers'->0->>'application',
                   (metadata->>'lock_wait_ms')::bigint >= 500
            FROM schema_versions
            """)).Single();
        row.Should().Equal("applied", "True", pid.ToString(), "held-by-test", "True");
    }

    [Fact]
    public async Task Retry_pause_lets_the_migration_follow_a_short_blocker_closely()
    {
        // With the default first pause of 1 s the run would look again only after 1 s, then 3 s;
        // with 100 ms it looks at 0.1, 0.3, 0.7, 1.5 s and goes soon after the blocker ends.
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE busy (id int)");
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", "[migrations]\nlock_timeout = \"30s\"\nlock_tries = 8\nlong_tx = \"50ms\"\nretry_pause = \"100ms\"\n");
        dir.Write("20251001000000_note.sql", AlterBusy);
        var blocker = await OpenBlockerAsync(db, "held-by-test");
        await Task.Delay(200);

        var up = StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json");
        // Held for a while after Strata connects, so that its first looks all meet the blocker.
        await TestDatabase.WaitForAsync(() => db.ScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'strata' AND datname = current_database())"));
        await Task.Delay(700);
        await blocker.DisposeAsync();
        var result = await up;

        result.ExitCode.Should().Be(0, result.All);
        var applied = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("applied")[0];
        // Three retries cost at least 1 + 2 + 4 s with the default first pause of 1 s.
        applied.GetProperty("lock_retries").GetInt32().Should().BeGreaterThanOrEqualTo(3);
        applied.GetProperty("lock_wait_ms").GetInt64().Should().BeLessThan(3000, "the pauses were 100, 200, 400 ms ..., not 1, 2, 4 s");
    }

    [Fact]
    public async Task A_migration_that_locks_no_existing_table_sends_no_check_even_with_a_long_transaction_elsewhere()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE busy (id int)");
        await using var blocker = await OpenBlockerAsync(db, "held-by-test");
        await Task.Delay(200);
        await using var session = await DatabaseSession.OpenAsync(db.Target);
        var check = new BlockerCheck(Duration.From(TimeSpan.FromMilliseconds(100)));

        var result = await new StatementRunner(session) { Blockers = check }.RunAsync(Split("""
            CREATE TABLE fresh (id bigint PRIMARY KEY, name text);
            CREATE INDEX fresh_name ON fresh (name);
            COMMENT ON TABLE fresh IS 'new';
            ALTER TABLE fresh ADD COLUMN note text;
            """), Options(transactional: true), Companion.None, CancellationToken.None);

        result.Failure.Should().BeNull();
        check.QueriesSent.Should().Be(0, "the 1,000-file apply benchmark's shape must not pay a round trip");
    }

    [Fact]
    public async Task A_table_that_does_not_exist_yet_is_passed_over_at_run_time()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE busy (id int)");
        await using var blocker = await OpenBlockerAsync(db, "held-by-test");
        await Task.Delay(200);
        await using var session = await DatabaseSession.OpenAsync(db.Target);
        var check = new BlockerCheck(Duration.From(TimeSpan.FromMilliseconds(100)));

        var result = await new StatementRunner(session) { Blockers = check }.RunAsync(Split("ALTER TABLE IF EXISTS not_there ADD COLUMN note text;"),
            Options(transactional: true), Companion.None, CancellationToken.None);

        result.Failure.Should().BeNull();
        result.Retries.Should().Be(0);
        check.QueriesSent.Should().Be(1, "one query for the unit, which found no such table");
    }

    [Fact]
    public async Task A_statement_by_statement_file_checks_before_the_group_that_needs_it()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE busy (id int); CREATE TABLE other (id int);");
        await using var blocker = await OpenBlockerAsync(db, "held-by-test");
        await Task.Delay(200);
        await using var session = await DatabaseSession.OpenAsync(db.Target);
        var check = new BlockerCheck(Duration.From(TimeSpan.FromMilliseconds(100)));

        // transaction:false: each statement on its own. The INSERT needs no check and commits; the
        // check before the ALTER finds the blocker, so neither it nor the index after it is sent.
        var result = await new StatementRunner(session) { Blockers = check }.RunAsync(Split("""
            INSERT INTO other VALUES (1);
            ALTER TABLE busy ADD COLUMN note text;
            CREATE INDEX CONCURRENTLY other_id ON other (id);
            """), Options(transactional: false) with { Autocommit = true }, Companion.None, CancellationToken.None);

        var failure = result.Failure!;
        failure.Committed.Should().Be(1);
        failure.Statement!.Text.Should().StartWith("ALTER TABLE busy");
        failure.Error.SqlState.Should().Be("55P03");
        failure.Blockers.Should().ContainSingle().Which.Application.Should().Be("held-by-test");
        check.QueriesSent.Should().Be(1, "one check, before the ALTER; none before the INSERT");
        (await db.ScalarAsync<long>("SELECT count(*) FROM other")).Should().Be(1);
        (await db.TableExistsAsync("other_id")).Should().BeFalse();
        (await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'note'")).Should().Be(0);
    }

    [Fact]
    public async Task An_unqualified_name_resolves_through_the_clean_session_s_search_path_not_the_one_a_previous_migration_left()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE busy (id int); CREATE SCHEMA elsewhere;");
        await using var blocker = await OpenBlockerAsync(db, "held-by-test");
        await Task.Delay(200);
        await using var session = await DatabaseSession.OpenAsync(db.Target);
        var check = new BlockerCheck(Duration.From(TimeSpan.FromMilliseconds(100)));
        var runner = new StatementRunner(session) { Blockers = check };
        // A session-level SET commits with its migration and outlives it until the next run resets the session.
        (await runner.RunAsync(Split("SET search_path = elsewhere;"), Options(transactional: true), Companion.None, CancellationToken.None)).Failure.Should().BeNull();

        var result = await runner.RunAsync(Split("ALTER TABLE busy ADD COLUMN note text;"), Options(transactional: true), Companion.None, CancellationToken.None);

        result.Failure!.Blockers.Should().ContainSingle().Which.Tables.Should().Be("busy");
    }

    [Fact]
    public async Task A_name_the_server_cannot_resolve_leaves_the_error_to_the_statement()
    {
        await using var db = await server.CreateDatabaseAsync();
        await using var session = await DatabaseSession.OpenAsync(db.Target);
        var check = new BlockerCheck(Duration.From(TimeSpan.FromMilliseconds(100)));

        var result = await new StatementRunner(session) { Blockers = check }.RunAsync(Split("ALTER TABLE otherdb.public.busy ADD COLUMN note text;"),
            Options(transactional: true), Companion.None, CancellationToken.None);

        check.QueriesSent.Should().Be(1);
        result.Failure!.Error.SqlState.Should().Be("0A000", "the ALTER's own error: cross-database references are not implemented");
        result.Failure.Blockers.Should().BeNull();
    }

    [Fact]
    public async Task With_long_tx_off_the_lock_timeout_alone_decides()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE busy (id int)");
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", "[migrations]\nlock_timeout = \"100ms\"\nlock_tries = 1\nlong_tx = \"off\"\n");
        dir.Write("20251001000000_note.sql", AlterBusy.Replace("-- migrate:up", "-- migrate:up long_tx:off"));
        await using var blocker = await OpenBlockerAsync(db, "held-by-test");
        await Task.Delay(200);

        var result = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("55P03").And.Contain("lock timeout").And.NotContain("held-by-test");
    }

    private static StatementRunOptions Options(bool transactional) =>
        new(transactional, Autocommit: false, Duration.FromSeconds(30), null, 1, Duration.From(TimeSpan.FromMilliseconds(50)), []);

    private static IReadOnlyList<SqlStatement> Split(string sql) => SqlSplitter.Split(sql).Statements;

    /// <summary>A session that read busy in a transaction it leaves open: ACCESS SHARE, idle in transaction, as a report job or a forgotten psql would.</summary>
    private static async Task<Blocker> OpenBlockerAsync(TestDatabase db, string application)
    {
        var session = await DatabaseSession.OpenAsync(db.Target);
        await using var command = new NpgsqlCommand($"SET application_name = '{application}'; BEGIN; SELECT count(*) FROM busy;", session.Connection);
        await command.ExecuteNonQueryAsync();
        return new Blocker(session);
    }

    private sealed record Blocker(DatabaseSession Session) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var rollback = new NpgsqlCommand("ROLLBACK", Session.Connection)) await rollback.ExecuteNonQueryAsync();
            await Session.DisposeAsync();
        }
    }

    /// <summary>
    /// While <paramref name="run"/> runs: how often a lock on busy was seen waiting (Strata queued),
    /// and the slowest read of busy by an application-like session with a 200 ms statement_timeout.
    /// </summary>
    private static async Task<(int Ungranted, TimeSpan ReaderWorst)> WatchBusyAsync(TestDatabase db, Task run)
    {
        await using var watcher = await DatabaseSession.OpenAsync(db.Target);
        await using var reader = await DatabaseSession.OpenAsync(db.Target);
        await using (var timeout = new NpgsqlCommand("SET statement_timeout = '200ms'", reader.Connection)) await timeout.ExecuteNonQueryAsync();
        var (ungranted, worst) = (0, TimeSpan.Zero);
        while (!run.IsCompleted)
        {
            await using (var locks = new NpgsqlCommand("SELECT count(*)::int FROM pg_locks WHERE relation = 'busy'::regclass AND NOT granted", watcher.Connection))
                ungranted += (int)(await locks.ExecuteScalarAsync())!;
            var clock = Stopwatch.StartNew();
            await using (var read = new NpgsqlCommand("SELECT count(*) FROM busy", reader.Connection)) await read.ExecuteScalarAsync();
            if (clock.Elapsed > worst) worst = clock.Elapsed;
            await Task.Delay(20);
        }
        return (ungranted, worst);
    }
}
