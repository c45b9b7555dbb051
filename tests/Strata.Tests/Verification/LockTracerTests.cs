using Npgsql;
using Strata.Database;
using Strata.Running;
using Strata.Sql;
using Strata.Tests.Support;
using Strata.Verification;

namespace Strata.Tests.Verification;

/// <summary>
/// The lock tracer behind the real statement runner: each test applies a migration's up section
/// to a database that already holds a table <c>t</c> with rows, and reads back, per statement,
/// its new locks, whether each locked table existed, its rewrites, and whether it is flagged.
/// </summary>
public class LockTracerTests(PostgresServer server)
{
    private const string Existing = "CREATE TABLE t (id int PRIMARY KEY, c int); INSERT INTO t SELECT g, g FROM generate_series(1, 100) g;";

    private static StatementRunOptions Options(bool transactional, int lockTries = 1) =>
        new(transactional, Autocommit: false, Duration.FromSeconds(5), null, lockTries, Duration.From(TimeSpan.FromMilliseconds(50)), []);

    /// <summary>Runs the up section through the statement runner with the tracer hooked in; transactional unless a statement must run alone.</summary>
    private async Task<IReadOnlyList<StatementLocks>> TraceAsync(string setup, string up, bool autocommit = false)
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync(setup);
        await using var session = await DatabaseSession.OpenAsync(db.Target);
        var statements = SqlSplitter.Split(up).Statements;
        var tracer = await LockTracer.StartAsync(session.Connection, CancellationToken.None);

        var result = await new StatementRunner(session) { OnStatement = tracer.OnStatementAsync }.RunAsync(statements,
            Options(!autocommit && statements.All(s => s.Facts.RunsInTransaction)) with { Autocommit = autocommit }, Companion.None,
            CancellationToken.None);

        result.Failure.Should().BeNull();
        tracer.Statements.Select(s => s.Index).Should().Equal(Enumerable.Range(0, statements.Count));
        tracer.Statements.Should().AllSatisfy(s => s.Duration.Should().BePositive());
        return tracer.Statements;
    }

    /// <summary>One line per statement: verb, locks, rewrites, how the locks are known, and the flag.</summary>
    private static string Describe(StatementLocks s)
    {
        var locks = s.Locks.Select(l => $"{l.Mode} {l.Relation}{(l.Existed ? "" : " (new)")}");
        var rewrites = s.Rewritten.Select(r => $"rewrote {r.Relation}{(r.Existed ? "" : " (new)")}");
        var parts = locks.Concat(rewrites).DefaultIfEmpty("no locks");
        return $"{s.Line} {s.Verb}: {string.Join(", ", parts)}; {(s.Observed ? "observed" : "documented")}{(s.Flagged ? "; FLAGGED" : "")}";
    }

    [Fact]
    public async Task Changing_a_column_type_takes_access_exclusive_and_rewrites_the_table()
    {
        var traced = await TraceAsync(Existing, "ALTER TABLE t ALTER COLUMN c TYPE bigint;");

        traced.Select(Describe).Should().Equal("1 ALTER TABLE: ACCESS EXCLUSIVE public.t, rewrote public.t; observed; FLAGGED");
    }

    [Fact]
    public async Task Create_index_concurrently_is_documented_share_update_exclusive_without_a_rewrite()
    {
        var traced = await TraceAsync(Existing, "CREATE INDEX CONCURRENTLY t_c ON t (c);");

        traced.Select(Describe).Should().Equal("1 CREATE INDEX CONCURRENTLY: SHARE UPDATE EXCLUSIVE public.t; documented");
    }

    [Fact]
    public async Task Adding_a_column_with_a_constant_default_takes_access_exclusive_without_a_rewrite()
    {
        var traced = await TraceAsync(Existing, "ALTER TABLE t ADD COLUMN d int DEFAULT 0;");

        traced.Select(Describe).Should().Equal("1 ALTER TABLE: ACCESS EXCLUSIVE public.t; observed; FLAGGED");
    }

    [Fact]
    public async Task A_table_the_migration_creates_did_not_exist_and_is_never_flagged()
    {
        var traced = await TraceAsync(Existing, """
            CREATE TABLE fresh (id int, n int);
            INSERT INTO fresh SELECT id, c FROM t;
            ALTER TABLE fresh ALTER COLUMN n TYPE bigint;
            """);

        traced.Select(Describe).Should().Equal(
            "1 CREATE TABLE: ACCESS EXCLUSIVE public.fresh (new); observed",
            "2 INSERT: ACCESS SHARE public.t; observed",
            "3 ALTER TABLE: rewrote public.fresh (new); observed");
    }

    [Fact]
    public async Task Each_statement_of_a_transaction_reports_only_the_locks_it_added()
    {
        var traced = await TraceAsync(Existing, """
            SELECT count(*) FROM t;
            UPDATE t SET c = c + 1 WHERE id = 1;
            UPDATE t SET c = c + 1 WHERE id = 2;
            ALTER TABLE t ADD COLUMN note text;
            """);

        traced.Select(Describe).Should().Equal(
            "1 SELECT: ACCESS SHARE public.t; observed",
            "2 UPDATE: ROW EXCLUSIVE public.t; observed",
            "3 UPDATE: no locks; observed",
            "4 ALTER TABLE: ACCESS EXCLUSIVE public.t; observed; FLAGGED");
    }

    [Fact]
    public async Task A_search_path_set_to_an_empty_schema_does_not_blind_the_tracer()
    {
        var traced = await TraceAsync(Existing + " CREATE SCHEMA nothing_here;", """
            SET search_path = nothing_here;
            ALTER TABLE public.t ALTER COLUMN c TYPE bigint;
            """);

        traced.Select(Describe).Should().Equal(
            "1 SET: no locks; observed",
            "2 ALTER TABLE: ACCESS EXCLUSIVE public.t, rewrote public.t; observed; FLAGGED");
    }

    [Fact]
    public async Task A_statement_by_statement_file_is_traced_group_by_group_around_its_concurrent_index()
    {
        var traced = await TraceAsync(Existing, """
            ALTER TABLE t ADD COLUMN d int;
            UPDATE t SET d = c;
            CREATE INDEX CONCURRENTLY t_d ON t (d);
            ALTER TABLE t ALTER COLUMN d SET NOT NULL;
            """);

        // The UPDATE shares the first ALTER's transaction, whose ACCESS EXCLUSIVE lock already
        // covers it; the last ALTER runs in a transaction of its own after the index, so its lock is new again.
        traced.Select(Describe).Should().Equal(
            "1 ALTER TABLE: ACCESS EXCLUSIVE public.t; observed; FLAGGED",
            "2 UPDATE: no locks; observed",
            "3 CREATE INDEX CONCURRENTLY: SHARE UPDATE EXCLUSIVE public.t; documented",
            "4 ALTER TABLE: ACCESS EXCLUSIVE public.t; observed; FLAGGED");
    }

    [Fact]
    public async Task Drop_index_concurrently_is_documented_on_the_index_s_table_found_through_the_search_path()
    {
        var traced = await TraceAsync("CREATE SCHEMA app; CREATE TABLE app.orders (id int); CREATE INDEX orders_id ON app.orders (id);", """
            SET search_path = app;
            DROP INDEX CONCURRENTLY orders_id;
            """);

        traced.Select(Describe).Should().Equal(
            "1 SET: no locks; observed",
            "2 DROP INDEX CONCURRENTLY: SHARE UPDATE EXCLUSIVE app.orders; documented");
    }

    [Fact]
    public async Task Vacuum_full_is_documented_access_exclusive_on_the_tables_it_rewrote()
    {
        var traced = await TraceAsync(Existing, "VACUUM (FULL) t;\nVACUUM t;");

        traced.Select(Describe).Should().Equal(
            "1 VACUUM: ACCESS EXCLUSIVE public.t, rewrote public.t; documented; FLAGGED",
            "2 VACUUM: SHARE UPDATE EXCLUSIVE public.t; documented");
    }

    [Fact]
    public async Task A_statement_of_a_transaction_false_file_has_released_its_locks_but_its_rewrite_is_still_seen()
    {
        var traced = await TraceAsync(Existing, "ALTER TABLE t ALTER COLUMN c TYPE bigint;", autocommit: true);

        traced.Select(Describe).Should().Equal("1 ALTER TABLE: rewrote public.t; documented; FLAGGED");
    }

    [Fact]
    public async Task Locks_on_the_history_tables_are_left_out()
    {
        var traced = await TraceAsync(Existing + " CREATE TABLE schema_versions (version text);",
            "INSERT INTO schema_versions VALUES ('1');\nTRUNCATE schema_versions;");

        traced.Select(Describe).Should().Equal("1 INSERT: no locks; observed", "2 TRUNCATE: no locks; observed");
    }

    [Fact]
    public async Task A_retried_transaction_replaces_what_was_traced_for_its_first_attempt()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync(Existing + " CREATE TABLE busy (id int);");
        await using var blocker = await DatabaseSession.OpenAsync(db.Target);
        await using var blocking = await blocker.Connection.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE busy IN ACCESS SHARE MODE", blocker.Connection, blocking))
            await lockTable.ExecuteNonQueryAsync();
        await using var session = await DatabaseSession.OpenAsync(db.Target);
        var tracer = await LockTracer.StartAsync(session.Connection, CancellationToken.None);
        // The blocker lets go once the first attempt has timed out, so the second one succeeds.
        var runner = new StatementRunner(session) { OnStatement = tracer.OnStatementAsync, OnRetry = (_, _) => blocking.Commit() };

        var result = await runner.RunAsync(SqlSplitter.Split("ALTER TABLE t ALTER COLUMN c TYPE bigint;\nALTER TABLE busy ADD COLUMN x int;").Statements,
            Options(transactional: true, lockTries: 2) with { LockTimeout = Duration.From(TimeSpan.FromMilliseconds(100)) },
            Companion.None, CancellationToken.None);

        result.Retries.Should().Be(1);
        tracer.Statements.Select(Describe).Should().Equal(
            "1 ALTER TABLE: ACCESS EXCLUSIVE public.t, rewrote public.t; observed; FLAGGED",
            "2 ALTER TABLE: ACCESS EXCLUSIVE public.busy; observed; FLAGGED");
    }

    [Theory]
    [InlineData("AccessExclusiveLock", "ACCESS EXCLUSIVE")]
    [InlineData("ShareUpdateExclusiveLock", "SHARE UPDATE EXCLUSIVE")]
    [InlineData("ShareRowExclusiveLock", "SHARE ROW EXCLUSIVE")]
    [InlineData("RowExclusiveLock", "ROW EXCLUSIVE")]
    [InlineData("AccessShareLock", "ACCESS SHARE")]
    [InlineData("SIReadLock", "SIReadLock")]
    public void Lock_modes_read_as_the_postgresql_documentation_names_them(string pgLocks, string documented) =>
        LockModes.FromPgLocks(pgLocks).Should().Be(documented);
}
