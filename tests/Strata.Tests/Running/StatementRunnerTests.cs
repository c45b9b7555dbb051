using Npgsql;
using Strata.Database;
using Strata.Running;
using Strata.Sql;
using Strata.Tests.Support;

namespace Strata.Tests.Running;

/// <summary>The statement runner on its own: a list of statements and options, no file and no history.</summary>
public class StatementRunnerTests(PostgresServer server)
{
    private static StatementRunOptions Options(bool transactional, int lockTries = 1) =>
        new(transactional, Autocommit: false, Duration.FromSeconds(5), null, lockTries, Duration.From(TimeSpan.FromMilliseconds(50)), []);

    private static IReadOnlyList<SqlStatement> Split(string sql) => SqlSplitter.Split(sql).Statements;

    [Fact]
    public async Task Stored_sql_runs_without_any_migration_file()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE t (id int); CREATE INDEX t_id ON t (id);");
        await using var session = await DatabaseSession.OpenAsync(db.Target);

        var result = await new StatementRunner(session).RunAsync(Split("DROP INDEX CONCURRENTLY IF EXISTS t_id;\nDROP TABLE t;"),
            Options(transactional: false), Companion.None, CancellationToken.None);

        result.Failure.Should().BeNull();
        (await db.TableExistsAsync("t")).Should().BeFalse();
    }

    [Fact]
    public async Task The_statement_hook_sees_each_statement_s_locks_inside_the_open_transaction()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE accounts (id int)");
        await using var session = await DatabaseSession.OpenAsync(db.Target);
        var seen = new List<string>();
        var runner = new StatementRunner(session)
        {
            OnStatement = async (trace, cancellationToken) =>
            {
                await using var locks = new NpgsqlCommand("""
                    SELECT coalesce(string_agg(mode, ',' ORDER BY mode), '') FROM pg_locks
                    WHERE pid = pg_backend_pid() AND relation = to_regclass('accounts')
                    """, trace.Session.Connection);
                seen.Add($"{trace.Index}:{trace.Statement.Facts.Verb}:{await locks.ExecuteScalarAsync(cancellationToken)}");
            },
        };

        var result = await runner.RunAsync(Split("SELECT count(*) FROM accounts;\nALTER TABLE accounts ADD COLUMN note text;"),
            Options(transactional: true), Companion.None, CancellationToken.None);

        result.Failure.Should().BeNull();
        seen.Should().Equal("0:SELECT:AccessShareLock", "1:ALTER TABLE:AccessExclusiveLock,AccessShareLock");
        (await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'note'")).Should().Be(1);
    }

    [Fact]
    public async Task The_statement_hook_sees_every_statement_of_a_statement_by_statement_list_in_order()
    {
        await using var db = await server.CreateDatabaseAsync();
        await using var session = await DatabaseSession.OpenAsync(db.Target);
        var seen = new List<string>();
        var runner = new StatementRunner(session) { OnStatement = (trace, _) => { seen.Add($"{trace.Index}:{trace.Statement.Facts.Verb}"); return Task.CompletedTask; } };

        var result = await runner.RunAsync(Split("CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\nCREATE INDEX CONCURRENTLY a_id ON a (id);\nANALYZE a;"),
            Options(transactional: false), Companion.None, CancellationToken.None);

        result.Failure.Should().BeNull();
        seen.Should().Equal("0:CREATE TABLE", "1:INSERT", "2:CREATE INDEX", "3:ANALYZE");
    }

    [Fact]
    public async Task A_failure_in_a_transactional_list_keeps_nothing_and_names_the_statement()
    {
        await using var db = await server.CreateDatabaseAsync();
        await using var session = await DatabaseSession.OpenAsync(db.Target);

        var result = await new StatementRunner(session).RunAsync(Split("CREATE TABLE kept_not (id int);\nSELECT 1/0;"),
            Options(transactional: true), Companion.None, CancellationToken.None);

        result.Failure!.Statement!.Text.Should().Be("SELECT 1/0");
        result.Failure.Error.SqlState.Should().Be("22012");
        (await db.TableExistsAsync("kept_not")).Should().BeFalse();
    }

    [Fact]
    public async Task A_lock_timeout_is_retried_the_configured_number_of_times()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE busy (id int)");
        await using var blocker = await DatabaseSession.OpenAsync(db.Target);
        await using var transaction = await blocker.Connection.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE busy IN ACCESS SHARE MODE", blocker.Connection, transaction))
            await lockTable.ExecuteNonQueryAsync();
        await using var session = await DatabaseSession.OpenAsync(db.Target);
        var attempts = new List<int>();
        var runner = new StatementRunner(session) { OnRetry = (attempt, _) => attempts.Add(attempt) };

        var result = await runner.RunAsync(Split("ALTER TABLE busy ADD COLUMN x int;"),
            Options(transactional: true, lockTries: 3) with { LockTimeout = Duration.From(TimeSpan.FromMilliseconds(50)) }, Companion.None, CancellationToken.None);

        attempts.Should().Equal(1, 2);
        result.Retries.Should().Be(2);
        result.Failure!.Error.SqlState.Should().Be("55P03");
    }
}
