using System.Diagnostics;
using Npgsql;
using Strata.Database;
using Strata.History;
using Strata.Migrations;
using Strata.Sql;

namespace Strata.Running;

/// <summary>
/// Applies one migration file with its history row (DESIGN §3): the statement runner runs the up
/// section, and the history writer's row and event ride in the same transaction when the file is
/// transactional. A failure is recorded as a failed row, located in the file.
/// </summary>
internal sealed class MigrationApplier(DatabaseSession session, RunSettings settings)
{
    private readonly HistoryWriter _writer = new(settings.Table, settings.AppliedBy, settings.Environment);

    /// <summary>Called after each statement of the up section (verify's lock tracer); statements then travel one per round trip.</summary>
    public Func<StatementTrace, CancellationToken, Task>? OnStatement { get; init; }

    public async Task<(AppliedMigration? Applied, MigrationFailure? Failure)> ApplyAsync(
        PlanEntry entry, bool createsHistory, Action<int, string>? onRetry, CancellationToken cancellationToken)
    {
        var (file, existing) = (entry.File!, entry.Row);
        var clock = Stopwatch.StartNew();
        var up = file.Up;
        // A statement-by-statement file records that it started before its first statement can
        // commit, and how far it got with each group, so a run that never ends is seen as such.
        IReadOnlyList<string> invalidNow = up.IsTransactional ? [] : await InvalidIndexes.ListAsync(session.Connection, cancellationToken);
        var rebuild = existing?.StrataMetadata?.Error?.InvalidIndexes ?? [];
        if (entry.Interruption is { } interruption) rebuild = [.. rebuild.Union(invalidNow.Except(interruption.InvalidIndexesBefore))];
        var options = new StatementRunOptions(
            Transactional: up.IsTransactional,
            Autocommit: up.Options.Transaction == false,
            LockTimeout: up.Options.LockTimeout ?? settings.LockTimeout,
            StatementTimeout: up.Options.StatementTimeout ?? settings.StatementTimeout,
            LockTries: settings.LockTries,
            RetryPause: settings.RetryPause,
            RebuildIndexes: rebuild);
        // Statements ran in several transactions when the file is not transactional, so the
        // server's now() cannot time the whole file: Strata's clock does.
        // The row of an earlier attempt is deleted only when the file may insert its own row (the
        // strategy's hand-written INSERT would collide with it); otherwise the upsert overwrites
        // it, so a deploy role needs no DELETE on the history table to re-apply a migration.
        var clears = existing is not null && RecordsItself(file);
        // Filled by the runner as it waits; read when the row is written, in the same transaction.
        var waits = new LockWaitLog();
        var companion = new Companion(
            () => (clears ? _writer.ClearUnapplied(file.Version) : []).Concat(up.IsTransactional ? [] : _writer.Started(Record(file, 0, "start", null, invalidNow))),
            retries => (createsHistory ? _writer.CompleteTable() : [])
                .Concat(_writer.Applied(Record(file, retries, "apply", null, waits: waits), up.IsTransactional ? null : (int)clock.ElapsedMilliseconds))
                .Concat(file.Reverts is { } reverted ? _writer.Reverted(reverted, RevertMetadata(file)) : []))
        {
            Progress = up.IsTransactional ? null : committed => _writer.Progress(file.Version, committed),
        };
        var runner = new StatementRunner(session)
        {
            OnRetry = onRetry, OnStatement = OnStatement, Blockers = BlockerCheck.For(up.Options.LongTx ?? settings.LongTx), Waits = waits,
        };
        StatementRunResult result;
        try
        {
            result = await runner.RunAsync(up.Statements, options, companion, cancellationToken);
        }
        catch (Exception ex) when (ConnectionLoss.Is(ex))
        {
            // A statement-by-statement file stays interrupted: its start and progress events say
            // what took effect, which a failed row could not.
            var recorded = up.IsTransactional && await RecordLostAsync(file, ex, (int)clock.ElapsedMilliseconds, cancellationToken);
            throw new StrataException(DatabaseProblems.ConnectionLostDuring(session.Target, file.Version, up.IsTransactional, recorded, ex));
        }
        if (result.Failure is { } stopped)
        {
            var failure = Failure(file, stopped, result.Retries) with
            {
                Notices = Redact(result.Notices),
                Blocked = stopped.Blockers is not null,
                Blockers = stopped.Blockers ?? waits.Blockers,
                LockWaitMs = waits.WaitedMs,
            };
            if (!up.IsTransactional) failure = await CleanUpAsync(file, failure, invalidNow, cancellationToken);
            await RecordFailureAsync(file, failure, (int)clock.ElapsedMilliseconds, waits, cancellationToken);
            return (null, failure);
        }
        return (new AppliedMigration(file.Version, file.Description, (int)clock.ElapsedMilliseconds, up.IsTransactional,
            up.Statements.Count, result.Retries, Redact(result.Notices)) { Blockers = waits.Blockers, LockWaitMs = waits.WaitedMs }, null);
    }

    /// <summary>
    /// After a statement-by-statement file failed half-way: runs its rollback when statements had
    /// taken effect (DESIGN §3), then drops the INVALID indexes the attempt left, so that the
    /// database is where it was before the attempt, or the failure says exactly what is left.
    /// </summary>
    private async Task<MigrationFailure> CleanUpAsync(MigrationFile file, MigrationFailure failure, IReadOnlyList<string> invalidBefore,
        CancellationToken cancellationToken)
    {
        UndoOutcome? undo = null;
        if (failure.CommittedStatements > 0 && file.Down is not null && !file.Irreversible)
            undo = await PartialUndo.RunAsync(session, file.RollbackSql, settings, cancellationToken);
        var (leftovers, left) = await PartialUndo.DropLeftoverIndexesAsync(session, invalidBefore, AffectedTables.Of(file.Up, settings.Table), settings,
            cancellationToken);
        return failure with
        {
            Undo = undo,
            InvalidIndexes = left,
            RemovedIndexes = [.. failure.InvalidIndexes.Union(leftovers).Except(left)],
        };
    }

    private async Task RecordFailureAsync(MigrationFile file, MigrationFailure failure, int elapsedMs, LockWaitLog waits, CancellationToken cancellationToken) =>
        await RecordFailureAsync(session, Record(file, failure.LockRetries, "fail", failure, waits: waits), elapsedMs,
            $"{failure.SqlState}: {failure.Message}" + (failure.Line is { } l ? $" (line {l})" : ""), cancellationToken);

    private async Task RecordFailureAsync(DatabaseSession on, HistoryRecord record, int elapsedMs, string error, CancellationToken cancellationToken)
    {
        error = settings.Redactor.Redact(error);
        // A failed bootstrap file leaves no history table. Creating one to hold the row would make
        // the fixed file's own CREATE TABLE/INDEX fail on every retry, so only the event is kept.
        var commands = await HistoryStore.ExistsAsync(on, settings.Table, cancellationToken)
            ? _writer.Failed(record, elapsedMs, error)
            : _writer.FailedEvent(record, elapsedMs, error);
        await HistoryWriter.WriteAsync(on, commands, cancellationToken);
    }

    /// <summary>
    /// Records an attempt whose connection broke, on a new session, when the server is still
    /// reachable and no other runner has taken over (the broken session's lock went with it).
    /// </summary>
    private async Task<bool> RecordLostAsync(MigrationFile file, Exception lost, int elapsedMs, CancellationToken cancellationToken)
    {
        try
        {
            await using var fresh = await DatabaseSession.OpenAsync(session.Target, cancellationToken);
            var key = AdvisoryLock.KeyFor(settings.Table.Qualified);
            if (await AdvisoryLock.AcquireAsync(fresh, key, TimeSpan.Zero, null, cancellationToken) is not null) return false;
            try
            {
                var error = new MigrationError(settings.Redactor.Redact(lost.Message), (lost as PostgresException)?.SqlState, null, null, null, 0, []);
                var record = Record(file, 0, "fail", null);
                record = record with { Metadata = record.Metadata with { Error = error } };
                await RecordFailureAsync(fresh, record, elapsedMs, $"connection lost: {lost.Message}", cancellationToken);
                return true;
            }
            finally
            {
                await AdvisoryLock.ReleaseAsync(fresh, key);
            }
        }
        catch (Exception ex) when (ex is StrataException || ConnectionLoss.Is(ex))
        {
            return false;
        }
    }

    // A file without a down section may record its own rollback in its INSERT: null keeps it.
    private HistoryRecord Record(MigrationFile file, int retries, string action, MigrationFailure? failure, IReadOnlyList<string>? invalidBefore = null,
        LockWaitLog? waits = null) =>
        new(file.Version, file.Description, file.Down is null && !file.Irreversible ? (RecordsItself(file) ? null : "") : file.RollbackSql, file.Checksum, new MigrationMetadata
        {
            ToolVersion = settings.ToolVersion,
            Action = action,
            Environment = settings.Environment,
            GitCommit = settings.GitCommit,
            StatementCount = file.Up.Statements.Count,
            Transactional = file.Up.IsTransactional,
            LockRetries = retries,
            Blockers = waits?.ForMetadata().Blockers,
            LockWaitMs = waits?.ForMetadata().WaitedMs,
            Rollback = file.Irreversible ? "irreversible" : file.Down is null ? "none" : "stored",
            AffectedTables = AffectedTables.Of(file.Up, settings.Table),
            Error = failure is null ? null : new MigrationError(failure.Message, failure.SqlState, failure.Line, failure.Column, failure.Detail,
                failure.CommittedStatements, failure.InvalidIndexes)
            {
                Context = failure.Context, InternalQuery = failure.InternalQuery, InternalPosition = failure.InternalPosition,
            },
            Undo = failure?.Undo,
            InvalidIndexesBefore = invalidBefore,
            Reverts = file.Reverts,
            Overrides = settings.Overrides,
            Reason = settings.Overrides is null ? null : settings.OverrideReason,
        });

    /// <summary>
    /// True when the up section may write the history table itself: it names it anywhere, a DO
    /// block included. Only such a file can have recorded rollback SQL of its own to keep.
    /// </summary>
    private bool RecordsItself(MigrationFile file) => settings.Table.MentionedIn(file.Up.Text);

    private MigrationMetadata RevertMetadata(MigrationFile revert) => new()
    {
        ToolVersion = settings.ToolVersion, Action = "rollback", Environment = settings.Environment, GitCommit = settings.GitCommit,
        RevertedBy = revert.Version, Reason = $"reverted by {revert.Version}",
    };

    private MigrationFailure Failure(MigrationFile file, StatementFailure stopped, int retries)
    {
        var (statement, ex) = (stopped.Statement, stopped.Error);
        var redactor = settings.Redactor;
        var located = statement is null
            ? null
            : ErrorLocation.Find(file, statement, new ServerErrorPlace(ex.Position, ex.Where, ex.InternalQuery, ex.InternalPosition));
        return new MigrationFailure(file.Version, file.Path, located?.Line, located?.Column, ex.SqlState, redactor.Redact(ex.MessageText),
            ex.Detail is null ? null : redactor.Redact(ex.Detail), ex.Hint, statement is null ? null : redactor.Redact(statement.Text), stopped.Transactional, stopped.Committed,
            stopped.InvalidIndexes, retries, SourceLine(located) is { } source ? redactor.Redact(source) : null)
        {
            Context = string.IsNullOrEmpty(ex.Where) ? null : redactor.Redact(ex.Where),
            InternalQuery = string.IsNullOrEmpty(ex.InternalQuery) ? null : redactor.Redact(ex.InternalQuery),
            InternalPosition = string.IsNullOrEmpty(ex.InternalQuery) || ex.InternalPosition <= 0 ? null : ex.InternalPosition,
        };
    }

    // The notices were redacted with the target's secrets as they arrived; the run's redactor may know more.
    private IReadOnlyList<string> Redact(IReadOnlyList<string> notices) => [.. notices.Select(settings.Redactor.Redact)];

    /// <summary>The file line the error points at, for a caret display: cut from the statement whose text holds it (a function's CREATE, for a line of its body).</summary>
    private static string? SourceLine(FileLocation? located)
    {
        if (located is null) return null;
        var statement = located.Holder;
        var lines = statement.Text.Split('\n');
        var index = located.Line - statement.Line;
        return index >= 0 && index < lines.Length ? (index == 0 ? new string(' ', statement.Column - 1) : "") + lines[index] : null;
    }
}
