using System.Diagnostics;
using Npgsql;
using Strata.Database;
using Strata.History;
using Strata.Sql;

namespace Strata.Running;

/// <summary>How a list of statements runs.</summary>
/// <param name="Transactional">All statements in one transaction, with <see cref="StatementRunner.RunAsync"/>'s companion commands.</param>
/// <param name="Autocommit">Every statement on its own, as written (<c>transaction:false</c>, or a file that manages its own transactions).</param>
/// <param name="LockTimeout">lock_timeout while the statements run.</param>
/// <param name="StatementTimeout">statement_timeout while they run, or null to leave the server's.</param>
/// <param name="LockTries">Attempts when a lock cannot be had in time.</param>
/// <param name="RetryPause">The first pause between attempts; doubled each time.</param>
/// <param name="RebuildIndexes">INVALID indexes a failed earlier attempt left: dropped first, so IF NOT EXISTS cannot skip them.</param>
internal sealed record StatementRunOptions(
    bool Transactional,
    bool Autocommit,
    Duration LockTimeout,
    Duration? StatementTimeout,
    int LockTries,
    Duration RetryPause,
    IReadOnlyList<string> RebuildIndexes);

/// <summary>
/// Commands that belong to the same unit as the statements: <see cref="Before"/> runs first in
/// the transaction, <see cref="After"/> (given the lock retries so far) last before COMMIT. In a
/// statement-by-statement run, Before runs first and After in a transaction of its own at the end.
/// </summary>
internal sealed record Companion(Func<IEnumerable<NpgsqlBatchCommand>> Before, Func<int, IEnumerable<NpgsqlBatchCommand>> After)
{
    /// <summary>
    /// Statement-by-statement runs only: given the statements that have taken effect, commands
    /// that record it. They commit with a transactional group, or right after a statement that
    /// must run alone.
    /// </summary>
    public Func<int, IEnumerable<NpgsqlBatchCommand>>? Progress { get; init; }

    public static readonly Companion None = new(() => [], _ => []);
}

/// <summary>A statement that just ran, for a tracer (verify's lock tracing) to look at before the next one.</summary>
/// <param name="Index">Its position in the list.</param>
/// <param name="Statement">The statement.</param>
/// <param name="Session">The session it ran on; in a transactional run the transaction is still open.</param>
/// <param name="Elapsed">How long it took.</param>
internal sealed record StatementTrace(int Index, SqlStatement Statement, DatabaseSession Session, TimeSpan Elapsed);

/// <summary>Why a run stopped: the statement, the server's error, and what had already taken effect.</summary>
/// <param name="Statement">The failing statement; null when it was one of the companion commands.</param>
/// <param name="Error">The server's error.</param>
/// <param name="Transactional">The statements ran in one transaction, so none of them was kept.</param>
/// <param name="Committed">Statements committed before the failure (statement-by-statement runs).</param>
/// <param name="InvalidIndexes">INVALID indexes the failure left behind.</param>
internal sealed record StatementFailure(SqlStatement? Statement, PostgresException Error, bool Transactional, int Committed, IReadOnlyList<string> InvalidIndexes)
{
    /// <summary>The long transactions that kept the statements from being sent (<see cref="BlockerCheck"/>); null when the server refused them.</summary>
    public IReadOnlyList<LockBlocker>? Blockers { get; init; }
}

/// <summary>The outcome of a run.</summary>
/// <param name="Retries">Retries needed: lock timeouts, deadlocks and long transactions the blocker check waited for.</param>
/// <param name="Failure">Why it stopped, or null when every statement and the companion commands committed.</param>
internal sealed record StatementRunResult(int Retries, StatementFailure? Failure)
{
    /// <summary>
    /// Notices and warnings the statements raised, in order, up to the failure if there was one;
    /// not those of the companion commands, nor of an attempt that was retried (its statements ran again).
    /// </summary>
    public IReadOnlyList<string> Notices { get; init; } = [];
}

/// <summary>
/// Runs a list of statements per DESIGN §3, knowing nothing of files or history. A transactional
/// list is one transaction with its companion commands: one pipelined batch, BEGIN to COMMIT, so
/// a migration costs one round trip. Otherwise consecutive transactional statements share a
/// transaction, each statement refused in a transaction block runs alone, and no transaction or
/// snapshot is left open while it does (a CREATE INDEX CONCURRENTLY would otherwise wait on us).
/// A lock timeout or deadlock is retried with backoff. On cancellation the runner rolls back
/// before it lets the exception go, so the caller's next command (unlocking) finds a clean session.
/// </summary>
internal sealed class StatementRunner(DatabaseSession session)
{
    // Each run starts from the session as it was opened, whatever the run before it did: a
    // SET search_path or SET ROLE in one migration must not decide where the next one creates
    // its tables. (RESET ALL leaves the role alone, hence the other two.)
    private static readonly string[] CleanSession = ["RESET ALL", "SET SESSION AUTHORIZATION DEFAULT", "RESET ROLE"];

    // The companion commands (the history row, progress events) run as the user that connected,
    // even when the statements before them switched role: a SET ROLE to an application role must
    // not make the history write fail with "permission denied for table schema_versions". LOCAL,
    // so that the file's own role is back for its next statement once the transaction ends.
    // They also run quietly: they travel in the same pipelined batch as the statements, where a
    // notice cannot be told apart by arrival, and their own ("relation schema_versions already
    // exists, skipping" after a bootstrap file) must not read as the migration's.
    private static readonly string[] OwnUser = ["SET LOCAL SESSION AUTHORIZATION DEFAULT", "SET LOCAL ROLE NONE", Quiet];

    // Errors still arrive; notices and warnings are not sent. LOCAL: it ends with the transaction.
    private const string Quiet = "SET LOCAL client_min_messages = error";

    private const string LockNotAvailable = "55P03";
    private const string DeadlockDetected = "40P01";

    /// <summary>Called after each statement; set it to trace statements one by one (they then travel one per round trip).</summary>
    public Func<StatementTrace, CancellationToken, Task>? OnStatement { get; init; }

    /// <summary>Called before each retry with the attempt that failed and why.</summary>
    public Action<int, string>? OnRetry { get; init; }

    /// <summary>Looks for long transactions on the tables a unit locks strongly before sending it; null: no look.</summary>
    public BlockerCheck? Blockers { get; init; }

    /// <summary>Where the run notes the blockers it met and the time it spent waiting for locks.</summary>
    public LockWaitLog Waits { get; init; } = new();

    /// <summary>Runs the statements with their companion commands.</summary>
    public Task<StatementRunResult> RunAsync(IReadOnlyList<SqlStatement> statements, StatementRunOptions options, Companion companion,
        CancellationToken cancellationToken) =>
        options.Transactional
            ? RunTransactionalAsync(statements, options, companion, cancellationToken)
            : RunStatementByStatementAsync(statements, options, companion, cancellationToken);

    private async Task<StatementRunResult> RunTransactionalAsync(IReadOnlyList<SqlStatement> statements, StatementRunOptions options,
        Companion companion, CancellationToken cancellationToken)
    {
        var strong = Blockers is null ? null : StrongLocks.PerStatement(statements);
        for (var attempt = 1; ; attempt++)
        {
            var retries = attempt - 1;
            var clock = Stopwatch.StartNew();
            // Whatever ran before (reading the history, a retried attempt) is not this attempt's. A
            // ROLLBACK after a failure warns only with no transaction open, and one always is.
            session.TakeNotices();
            var failure = await BlockedAsync(statements, strong, 0, statements.Count, transactional: true, 0, cancellationToken)
                ?? await OnceInTransactionAsync(statements, options, companion, retries, cancellationToken);
            var notices = session.TakeNotices();
            if (failure is null) return new StatementRunResult(retries, null) { Notices = notices };
            if (IsRetryable(failure.Error) && attempt < options.LockTries)
            {
                await PauseAsync(attempt, Why(failure.Error, failure.Blockers), options, cancellationToken);
                Waits.Add(clock.Elapsed);
                continue;
            }
            if (IsRetryable(failure.Error)) Waits.Add(clock.Elapsed);
            return new StatementRunResult(retries, failure) { Notices = notices };
        }
    }

    private async Task<StatementFailure?> OnceInTransactionAsync(IReadOnlyList<SqlStatement> statements, StatementRunOptions options,
        Companion companion, int retries, CancellationToken cancellationToken)
    {
        // BEGIN and COMMIT travel in the same batch as the statements and the companion commands.
        // On an error the server skips the rest, COMMIT included, and the transaction is rolled back below.
        await using var batch = new NpgsqlBatch(session.Connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        foreach (var sql in CleanSession) batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
        AddTimeouts(batch, options, local: true);
        if (companion.Before().ToList() is { Count: > 0 } before)
        {
            // Quiet for Strata's own commands, then the session's level again for the file's.
            batch.BatchCommands.Add(new NpgsqlBatchCommand(Quiet));
            AddAll(batch, before);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("RESET client_min_messages"));
        }
        var firstStatement = batch.BatchCommands.Count;
        try
        {
            if (OnStatement is null)
            {
                foreach (var statement in statements) batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text));
                AddAfter(batch, companion, retries);
                batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
                await batch.ExecuteNonQueryAsync(cancellationToken);
                return null;
            }
            await batch.ExecuteNonQueryAsync(cancellationToken);
            for (var i = 0; i < statements.Count; i++)
            {
                var clock = Stopwatch.StartNew();
                await using (var command = new NpgsqlCommand(statements[i].Text, session.Connection))
                {
                    try { await command.ExecuteNonQueryAsync(cancellationToken); }
                    catch (PostgresException ex) when (!ConnectionLoss.Is(ex))
                    {
                        await RollbackAsync();
                        return new StatementFailure(statements[i], ex, true, 0, []);
                    }
                }
                await OnStatement(new StatementTrace(i, statements[i], session, clock.Elapsed), cancellationToken);
            }
            await using var finish = new NpgsqlBatch(session.Connection);
            AddAfter(finish, companion, retries);
            finish.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
            await finish.ExecuteNonQueryAsync(cancellationToken);
            return null;
        }
        catch (PostgresException ex) when (!ConnectionLoss.Is(ex))
        {
            await RollbackAsync();
            return new StatementFailure(FailedStatement(batch, ex, firstStatement, statements), ex, true, 0, []);
        }
        catch (OperationCanceledException)
        {
            await RollbackAsync();
            throw;
        }
    }

    private async Task<StatementRunResult> RunStatementByStatementAsync(IReadOnlyList<SqlStatement> statements, StatementRunOptions options,
        Companion companion, CancellationToken cancellationToken)
    {
        var retries = 0;
        var strong = Blockers is null ? null : StrongLocks.PerStatement(statements);
        var invalidBefore = await InvalidIndexes.ListAsync(session.Connection, cancellationToken);
        foreach (var index in options.RebuildIndexes.Intersect(invalidBefore).ToList())
        {
            await DropIndexConcurrentlyAsync(index, cancellationToken);
            invalidBefore = [.. invalidBefore.Where(i => i != index)];
        }
        await using (var setup = new NpgsqlBatch(session.Connection))
        {
            foreach (var sql in CleanSession) setup.BatchCommands.Add(new NpgsqlBatchCommand(sql));
            AddTimeouts(setup, options, local: false);
            AddAll(setup, companion.Before());
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }
        var notices = new List<string>();
        var committed = 0;
        try
        {
            foreach (var group in Groups(statements, options.Autocommit))
            {
                for (var attempt = 1; ; attempt++)
                {
                    var clock = Stopwatch.StartNew();
                    // The notices that arrive while a group runs are its statements'; those before
                    // (the setup's, an index drop's before a retry: "does not exist, skipping") are Strata's.
                    session.TakeNotices();
                    var blocked = await BlockedAsync(statements, strong, committed, group.Statements.Count, transactional: false, committed, cancellationToken);
                    var failed = blocked is not null ? (blocked.Statement!, blocked.Error) : await RunGroupAsync(group, committed, companion, cancellationToken);
                    var raised = session.TakeNotices();
                    if (failed is null)
                    {
                        notices.AddRange(raised);
                        break;
                    }
                    var (statement, ex) = failed.Value;
                    var leftovers = (await InvalidIndexes.ListAsync(session.Connection, cancellationToken)).Except(invalidBefore).ToList();
                    if (IsRetryable(ex) && attempt < options.LockTries)
                    {
                        // A CREATE INDEX CONCURRENTLY that timed out leaves an INVALID index that
                        // IF NOT EXISTS would then skip; drop it so the retry really builds it.
                        foreach (var index in leftovers) await DropIndexConcurrentlyAsync(index, cancellationToken);
                        retries++;
                        await PauseAsync(attempt, Why(ex, blocked?.Blockers), options, cancellationToken);
                        Waits.Add(clock.Elapsed);
                        continue;
                    }
                    if (IsRetryable(ex)) Waits.Add(clock.Elapsed);
                    notices.AddRange(raised);
                    return new StatementRunResult(retries, new StatementFailure(statement, ex, false, committed, leftovers) { Blockers = blocked?.Blockers })
                    {
                        Notices = notices,
                    };
                }
                committed += group.Statements.Count;
            }
        }
        finally
        {
            await ResetTimeoutsAsync();
        }
        await using var transaction = await session.Connection.BeginTransactionAsync(cancellationToken);
        await using var record = new NpgsqlBatch(session.Connection, transaction);
        AddAfter(record, companion, retries);
        if (record.BatchCommands.Count > 0) await record.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StatementRunResult(retries, null) { Notices = notices };
    }

    private async Task<(SqlStatement, PostgresException)?> RunGroupAsync(StatementGroup statements, int firstIndex, Companion companion,
        CancellationToken cancellationToken)
    {
        var group = statements.Statements;
        var progress = companion.Progress?.Invoke(firstIndex + group.Count).ToList() ?? [];
        if (statements.Raw)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                await using var command = new NpgsqlCommand(group[0].Text, session.Connection);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException ex) when (!ConnectionLoss.Is(ex)) { return (group[0], ex); }
            if (progress.Count > 0)
            {
                await using var record = new NpgsqlBatch(session.Connection);
                record.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
                AddAsOwnUser(record, progress);
                record.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            if (OnStatement is not null) await OnStatement(new StatementTrace(firstIndex, group[0], session, clock.Elapsed), cancellationToken);
            return null;
        }
        await using var transaction = await session.Connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(session.Connection, transaction);
        try
        {
            if (OnStatement is null)
            {
                foreach (var statement in group) batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text));
                AddAsOwnUser(batch, progress);
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
            else
            {
                for (var i = 0; i < group.Count; i++)
                {
                    var clock = Stopwatch.StartNew();
                    await using var command = new NpgsqlCommand(group[i].Text, session.Connection, transaction);
                    try { await command.ExecuteNonQueryAsync(cancellationToken); }
                    catch (PostgresException ex) when (!ConnectionLoss.Is(ex))
                    {
                        await RollbackAsync(transaction);
                        return (group[i], ex);
                    }
                    await OnStatement(new StatementTrace(firstIndex + i, group[i], session, clock.Elapsed), cancellationToken);
                }
                if (progress.Count > 0)
                {
                    await using var record = new NpgsqlBatch(session.Connection, transaction);
                    AddAsOwnUser(record, progress);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            await transaction.CommitAsync(cancellationToken);
            return null;
        }
        catch (PostgresException ex) when (!ConnectionLoss.Is(ex))
        {
            await RollbackAsync(transaction);
            return (FailedStatement(batch, ex, 0, group) ?? group[0], ex);
        }
        catch (OperationCanceledException)
        {
            await RollbackAsync(transaction);
            throw;
        }
    }

    /// <summary>
    /// Consecutive transactional statements form one group run in a transaction; each statement
    /// refused in a transaction block runs alone, raw. An autocommit list, or one that manages its
    /// own transactions (BEGIN/COMMIT), runs every statement raw, as written.
    /// </summary>
    private static List<StatementGroup> Groups(IReadOnlyList<SqlStatement> statements, bool autocommit)
    {
        if (autocommit || statements.Any(s => s.Facts.IsTransactionControl))
            return [.. statements.Select(s => new StatementGroup([s], Raw: true))];
        var groups = new List<StatementGroup>();
        foreach (var statement in statements)
        {
            if (!statement.Facts.RunsInTransaction) groups.Add(new StatementGroup([statement], Raw: true));
            else if (groups.Count > 0 && !groups[^1].Raw) groups[^1].Statements.Add(statement);
            else groups.Add(new StatementGroup([statement], Raw: false));
        }
        return groups;
    }

    private sealed record StatementGroup(List<SqlStatement> Statements, bool Raw);

    /// <summary>
    /// Ends whatever transaction is open. Never throws: it runs on the way out of a failure or a
    /// cancellation, which must reach the caller as it is. ROLLBACK with no transaction open is
    /// only a warning.
    /// </summary>
    private async Task RollbackAsync(NpgsqlTransaction? transaction = null)
    {
        if (session.Connection.State != System.Data.ConnectionState.Open) return;
        try
        {
            if (transaction is not null)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                return;
            }
            await using var rollback = new NpgsqlCommand("ROLLBACK", session.Connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The connection broke; the server rolls back when the session ends.
        }
    }

    private async Task ResetTimeoutsAsync()
    {
        if (session.Connection.State != System.Data.ConnectionState.Open) return;
        try
        {
            await using var reset = new NpgsqlBatch(session.Connection);
            reset.BatchCommands.Add(new NpgsqlBatchCommand("RESET lock_timeout"));
            reset.BatchCommands.Add(new NpgsqlBatchCommand("RESET statement_timeout"));
            await reset.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // As in RollbackAsync: an exception already on its way must not be replaced by this one.
        }
    }

    /// <summary>
    /// The blocker check for statements <paramref name="from"/> to <paramref name="from"/> +
    /// <paramref name="count"/>, before they are sent: a failure naming the long transactions that
    /// hold their tables, or null to go ahead. No query when none of them locks an existing table strongly.
    /// </summary>
    private async Task<StatementFailure?> BlockedAsync(IReadOnlyList<SqlStatement> statements, IReadOnlyList<IReadOnlyList<string>>? strong, int from, int count,
        bool transactional, int committed, CancellationToken cancellationToken)
    {
        if (Blockers is null || strong is null) return null;
        // A transactional unit resets the session in its own batch; the check resets it first, so an
        // unqualified name resolves through the search_path the statements will run with, not the
        // one the previous migration left. Between groups the file's own SETs rightly stay.
        var found = await Blockers.FindAsync(session, StrongLocks.Union(strong, from, count), transactional ? CleanSession : [], cancellationToken);
        if (found.Count == 0) return null;
        Waits.Met(found);
        var first = Enumerable.Range(from, count).First(i => strong[i].Count > 0);
        return Blockers.Failure(statements[first], found, transactional, committed);
    }

    private static string Why(PostgresException ex, IReadOnlyList<LockBlocker>? blockers) => blockers is null ? ex.MessageText : BlockerCheck.Waiting(blockers);

    private async Task PauseAsync(int attempt, string why, StatementRunOptions options, CancellationToken cancellationToken)
    {
        OnRetry?.Invoke(attempt, why);
        await Task.Delay(options.RetryPause.Value * Math.Pow(2, attempt - 1), cancellationToken);
    }

    private static void AddTimeouts(NpgsqlBatch batch, StatementRunOptions options, bool local)
    {
        AddSetting(batch, "lock_timeout", options.LockTimeout.ToString(), local);
        if (options.StatementTimeout is { } statementTimeout) AddSetting(batch, "statement_timeout", statementTimeout.ToString(), local);
    }

    private static void AddSetting(NpgsqlBatch batch, string name, string value, bool local)
    {
        var command = new NpgsqlBatchCommand(local ? "SELECT set_config($1, $2, true)" : "SELECT set_config($1, $2, false)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        batch.BatchCommands.Add(command);
    }

    private static void AddAfter(NpgsqlBatch batch, Companion companion, int retries) => AddAsOwnUser(batch, [.. companion.After(retries)]);

    private static void AddAsOwnUser(NpgsqlBatch batch, IReadOnlyList<NpgsqlBatchCommand> commands)
    {
        if (commands.Count == 0) return;
        foreach (var sql in OwnUser) batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
        AddAll(batch, commands);
    }

    private static void AddAll(NpgsqlBatch batch, IEnumerable<NpgsqlBatchCommand> commands)
    {
        foreach (var command in commands) batch.BatchCommands.Add(command);
    }

    private async Task DropIndexConcurrentlyAsync(string qualifiedIndex, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"DROP INDEX CONCURRENTLY IF EXISTS {qualifiedIndex}", session.Connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The statement whose batch command failed; null when it was one of the companion commands.</summary>
    private static SqlStatement? FailedStatement(NpgsqlBatch batch, PostgresException ex, int firstStatement, IReadOnlyList<SqlStatement> statements)
    {
        var index = ex.BatchCommand is null ? -1 : batch.BatchCommands.IndexOf(ex.BatchCommand) - firstStatement;
        return index >= 0 && index < statements.Count ? statements[index] : null;
    }

    private static bool IsRetryable(PostgresException ex) => ex.SqlState is LockNotAvailable or DeadlockDetected;
}
