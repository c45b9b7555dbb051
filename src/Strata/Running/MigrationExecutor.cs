using System.Diagnostics;
using Npgsql;
using Strata.Database;
using Strata.History;
using Strata.Migrations;
using Strata.Sql;

namespace Strata.Running;

/// <summary>
/// Applies one migration with its history row, per DESIGN §3. A transactional file is one
/// transaction holding its statements, its row and its event: one pipelined batch, so a file
/// costs one round trip plus the commit. A file with statements PostgreSQL refuses inside a
/// transaction block runs group by group: consecutive transactional statements share a
/// transaction, each refused statement runs alone, and no transaction or snapshot is left
/// open while it does (a CREATE INDEX CONCURRENTLY would otherwise wait on us).
/// </summary>
internal sealed class MigrationExecutor(DatabaseSession session, RunSettings settings)
{
    private const string LockNotAvailable = "55P03";
    private const string DeadlockDetected = "40P01";

    public async Task<(AppliedMigration? Applied, MigrationFailure? Failure)> ApplyAsync(
        MigrationFile file, HistoryRow? existing, bool createsHistory, Action<int, string>? onRetry, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        session.TakeNotices();
        var (failure, retries) = file.Up.IsTransactional
            ? await RunTransactionalAsync(file, existing, createsHistory, onRetry, cancellationToken)
            : await RunStatementByStatementAsync(file, existing, onRetry, cancellationToken);
        if (failure is not null)
        {
            await RecordFailureAsync(file, failure, (int)clock.ElapsedMilliseconds, cancellationToken);
            return (null, failure);
        }
        return (new AppliedMigration(file.Version, file.Description, (int)clock.ElapsedMilliseconds, file.Up.IsTransactional,
            file.Up.Statements.Count, retries, session.TakeNotices()), null);
    }

    private async Task<(MigrationFailure?, int)> RunTransactionalAsync(MigrationFile file, HistoryRow? existing, bool createsHistory,
        Action<int, string>? onRetry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            // BEGIN and COMMIT travel in the same batch as the statements and the history row:
            // one round trip per migration. On an error the server skips the rest, COMMIT
            // included, and the transaction is rolled back below.
            await using var batch = new NpgsqlBatch(session.Connection);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
            AddTimeouts(batch, file.Up.Options, local: true);
            if (existing is not null) AddClearUnapplied(batch, file.Version);
            var firstStatement = batch.BatchCommands.Count;
            foreach (var statement in file.Up.Statements) batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text));
            // A bootstrap file creates the history table itself; complete it (indexes) before the row is written.
            if (createsHistory) foreach (var sql in settings.Table.CreateHistorySql()) batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
            AddRecord(batch, file, HistoryStatus.Applied, "apply", attempt - 1, null, null);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
            try
            {
                await batch.ExecuteNonQueryAsync(cancellationToken);
                return (null, attempt - 1);
            }
            catch (PostgresException ex)
            {
                await RollbackAsync();
                var statement = FailedStatement(batch, ex, firstStatement, file.Up.Statements);
                if (IsRetryable(ex) && attempt < settings.LockTries)
                {
                    onRetry?.Invoke(attempt, ex.MessageText);
                    await Task.Delay(Backoff(attempt), cancellationToken);
                    continue;
                }
                return (Failure(file, statement, ex, transactional: true, committed: 0, invalid: [], attempt - 1), attempt - 1);
            }
        }
    }

    private async Task RollbackAsync()
    {
        await using var rollback = new NpgsqlCommand("ROLLBACK", session.Connection);
        await rollback.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private async Task<(MigrationFailure?, int)> RunStatementByStatementAsync(MigrationFile file, HistoryRow? existing,
        Action<int, string>? onRetry, CancellationToken cancellationToken)
    {
        var retries = 0;
        var clock = Stopwatch.StartNew();
        var invalidBefore = await InvalidIndexes.ListAsync(session.Connection, cancellationToken);
        // A previous attempt of this file that failed recorded the INVALID indexes it left; IF NOT
        // EXISTS would skip them and the retry would "succeed" with a useless index. Rebuild them.
        foreach (var index in MigrationMetadata.ReadInvalidIndexes(existing?.Metadata).Intersect(invalidBefore).ToList())
        {
            await DropIndexConcurrentlyAsync(index, cancellationToken);
            invalidBefore = [.. invalidBefore.Where(i => i != index)];
        }
        await using (var setup = new NpgsqlBatch(session.Connection))
        {
            AddTimeouts(setup, file.Up.Options, local: false);
            if (existing is not null) AddClearUnapplied(setup, file.Version);
            if (setup.BatchCommands.Count > 0) await setup.ExecuteNonQueryAsync(cancellationToken);
        }
        var committed = 0;
        try
        {
            foreach (var group in Groups(file.Up.Statements, forceAutocommit: file.Up.Options.Transaction == false))
            {
                for (var attempt = 1; ; attempt++)
                {
                    var failed = await RunGroupAsync(group, cancellationToken);
                    if (failed is null) break;
                    var (statement, ex) = failed.Value;
                    var leftovers = (await InvalidIndexes.ListAsync(session.Connection, cancellationToken)).Except(invalidBefore).ToList();
                    if (IsRetryable(ex) && attempt < settings.LockTries)
                    {
                        // A CREATE INDEX CONCURRENTLY that timed out leaves an INVALID index that
                        // IF NOT EXISTS would then skip; drop it so the retry really builds it.
                        foreach (var index in leftovers) await DropIndexConcurrentlyAsync(index, cancellationToken);
                        retries++;
                        onRetry?.Invoke(attempt, ex.MessageText);
                        await Task.Delay(Backoff(attempt), cancellationToken);
                        continue;
                    }
                    return (Failure(file, statement, ex, transactional: false, committed, leftovers, retries), retries);
                }
                committed += group.Statements.Count;
            }
        }
        finally
        {
            await using var reset = new NpgsqlBatch(session.Connection);
            reset.BatchCommands.Add(new NpgsqlBatchCommand("RESET lock_timeout"));
            reset.BatchCommands.Add(new NpgsqlBatchCommand("RESET statement_timeout"));
            await reset.ExecuteNonQueryAsync(CancellationToken.None);
        }

        await using var transaction = await session.Connection.BeginTransactionAsync(cancellationToken);
        await using var record = new NpgsqlBatch(session.Connection, transaction);
        // Statements ran in several transactions, so the server's now() cannot time the whole file.
        AddRecord(record, file, HistoryStatus.Applied, "apply", retries, null, (int)clock.ElapsedMilliseconds);
        await record.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (null, retries);
    }

    private async Task<(SqlStatement, PostgresException)?> RunGroupAsync(StatementGroup statements, CancellationToken cancellationToken)
    {
        var group = statements.Statements;
        if (statements.Raw)
        {
            try
            {
                await using var command = new NpgsqlCommand(group[0].Text, session.Connection);
                await command.ExecuteNonQueryAsync(cancellationToken);
                return null;
            }
            catch (PostgresException ex) { return (group[0], ex); }
        }
        await using var transaction = await session.Connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(session.Connection, transaction);
        foreach (var statement in group) batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text));
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        }
        catch (PostgresException ex)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            return (FailedStatement(batch, ex, 0, group) ?? group[0], ex);
        }
    }

    /// <summary>
    /// Consecutive transactional statements form one group run in a transaction; each statement
    /// refused in a transaction block runs alone, raw. A file marked transaction:false, or one that
    /// manages its own transactions (BEGIN/COMMIT), runs every statement raw: autocommit, as written.
    /// </summary>
    private static List<StatementGroup> Groups(IReadOnlyList<SqlStatement> statements, bool forceAutocommit)
    {
        if (forceAutocommit || statements.Any(s => s.Facts.IsTransactionControl))
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

    private async Task RecordFailureAsync(MigrationFile file, MigrationFailure failure, int elapsedMs, CancellationToken cancellationToken)
    {
        // A failed bootstrap file leaves no history table: make one so the failure is on record.
        if (!await HistoryStore.ExistsAsync(session, settings.Table, cancellationToken))
            await HistoryStore.EnsureAsync(session, settings.Table, cancellationToken);
        await using var transaction = await session.Connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(session.Connection, transaction);
        AddRecord(batch, file, HistoryStatus.Failed, "fail", failure.LockRetries, failure, elapsedMs);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private void AddRecord(NpgsqlBatch batch, MigrationFile file, string status, string action, int retries, MigrationFailure? failure, int? elapsedMs)
    {
        var metadata = MigrationMetadata.Build(file, settings, retries, failure, action);
        var upsert = new NpgsqlBatchCommand(settings.Table.UpsertSql);
        HistoryTable.AddUpsertParameters(upsert.Parameters, file.Version, settings.AppliedBy, file.Description, file.RollbackSql,
            file.Checksum, status, metadata, elapsedMs);
        batch.BatchCommands.Add(upsert);
        var evt = new NpgsqlBatchCommand(settings.Table.EventSql);
        var error = failure is null ? null : Redactor.Redact($"{failure.SqlState}: {failure.Message}" + (failure.Line is { } l ? $" (line {l})" : ""));
        HistoryTable.AddEventParameters(evt.Parameters, file.Version, action, settings.AppliedBy, settings.Environment, elapsedMs, error, metadata);
        batch.BatchCommands.Add(evt);
    }

    private void AddTimeouts(NpgsqlBatch batch, SectionOptions options, bool local)
    {
        AddSetting(batch, "lock_timeout", options.LockTimeout ?? settings.LockTimeout, local);
        if ((options.StatementTimeout ?? settings.StatementTimeout) is { } statementTimeout)
            AddSetting(batch, "statement_timeout", statementTimeout, local);
    }

    private static void AddSetting(NpgsqlBatch batch, string name, string value, bool local)
    {
        var command = new NpgsqlBatchCommand(local ? "SELECT set_config($1, $2, true)" : "SELECT set_config($1, $2, false)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        batch.BatchCommands.Add(command);
    }

    private void AddClearUnapplied(NpgsqlBatch batch, string version)
    {
        var command = new NpgsqlBatchCommand(settings.Table.ClearUnappliedSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = version });
        batch.BatchCommands.Add(command);
    }

    private async Task DropIndexConcurrentlyAsync(string qualifiedIndex, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"DROP INDEX CONCURRENTLY IF EXISTS {qualifiedIndex}", session.Connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The statement whose batch command failed; null when it was one of Strata's own commands.</summary>
    private static SqlStatement? FailedStatement(NpgsqlBatch batch, PostgresException ex, int firstStatement, IReadOnlyList<SqlStatement> statements)
    {
        var index = ex.BatchCommand is null ? -1 : batch.BatchCommands.IndexOf(ex.BatchCommand) - firstStatement;
        return index >= 0 && index < statements.Count ? statements[index] : null;
    }

    private static bool IsRetryable(PostgresException ex) => ex.SqlState is LockNotAvailable or DeadlockDetected;

    private TimeSpan Backoff(int attempt) => settings.EffectiveRetryPause * Math.Pow(2, attempt - 1);

    private static MigrationFailure Failure(MigrationFile file, SqlStatement? statement, PostgresException ex, bool transactional,
        int committed, IReadOnlyList<string> invalid, int retries)
    {
        int? line = statement?.Line, column = statement?.Column;
        if (statement is not null && ex.Position > 0) (line, column) = statement.PositionToLineColumn(ex.Position);
        string? sourceLine = null;
        if (statement is not null && line is { } l)
        {
            var lines = statement.Text.Split('\n');
            var index = l - statement.Line;
            if (index >= 0 && index < lines.Length) sourceLine = (index == 0 ? new string(' ', statement.Column - 1) : "") + lines[index];
        }
        return new MigrationFailure(file.Version, file.Path, line, column, ex.SqlState, Redactor.Redact(ex.MessageText),
            ex.Detail is null ? null : Redactor.Redact(ex.Detail), ex.Hint, statement?.Text, transactional, committed, invalid, retries,
            sourceLine is null ? null : Redactor.Redact(sourceLine));
    }
}
