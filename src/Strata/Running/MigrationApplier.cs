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

    public async Task<(AppliedMigration? Applied, MigrationFailure? Failure)> ApplyAsync(
        MigrationFile file, HistoryRow? existing, bool createsHistory, Action<int, string>? onRetry, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        session.TakeNotices();
        var up = file.Up;
        var options = new StatementRunOptions(
            Transactional: up.IsTransactional,
            Autocommit: up.Options.Transaction == false,
            LockTimeout: up.Options.LockTimeout ?? settings.LockTimeout,
            StatementTimeout: up.Options.StatementTimeout ?? settings.StatementTimeout,
            LockTries: settings.LockTries,
            RetryPause: settings.RetryPause,
            RebuildIndexes: existing?.StrataMetadata?.Error?.InvalidIndexes ?? []);
        // Statements ran in several transactions when the file is not transactional, so the
        // server's now() cannot time the whole file: Strata's clock does.
        var companion = new Companion(
            () => existing is null ? [] : _writer.ClearUnapplied(file.Version),
            retries => (createsHistory ? _writer.CompleteTable() : [])
                .Concat(_writer.Applied(Record(file, retries, "apply", null), up.IsTransactional ? null : (int)clock.ElapsedMilliseconds)));
        var runner = new StatementRunner(session) { OnRetry = onRetry };
        var result = await runner.RunAsync(up.Statements, options, companion, cancellationToken);
        if (result.Failure is { } stopped)
        {
            var failure = Failure(file, stopped, result.Retries);
            await RecordFailureAsync(file, failure, (int)clock.ElapsedMilliseconds, cancellationToken);
            return (null, failure);
        }
        return (new AppliedMigration(file.Version, file.Description, (int)clock.ElapsedMilliseconds, up.IsTransactional,
            up.Statements.Count, result.Retries, session.TakeNotices()), null);
    }

    private async Task RecordFailureAsync(MigrationFile file, MigrationFailure failure, int elapsedMs, CancellationToken cancellationToken)
    {
        // A failed bootstrap file leaves no history table: make one so the failure is on record.
        if (!await HistoryStore.ExistsAsync(session, settings.Table, cancellationToken))
            await HistoryStore.EnsureAsync(session, settings.Table, cancellationToken);
        var error = settings.Redactor.Redact($"{failure.SqlState}: {failure.Message}" + (failure.Line is { } l ? $" (line {l})" : ""));
        await HistoryWriter.WriteAsync(session, _writer.Failed(Record(file, failure.LockRetries, "fail", failure), elapsedMs, error), cancellationToken);
    }

    // A file without a down section may record its own rollback in its INSERT: null keeps it.
    private HistoryRecord Record(MigrationFile file, int retries, string action, MigrationFailure? failure) =>
        new(file.Version, file.Description, file.Down is null && !file.Irreversible ? null : file.RollbackSql, file.Checksum, new MigrationMetadata
        {
            ToolVersion = settings.ToolVersion,
            Action = action,
            Environment = settings.Environment,
            GitCommit = settings.GitCommit,
            StatementCount = file.Up.Statements.Count,
            Transactional = file.Up.IsTransactional,
            LockRetries = retries,
            Rollback = file.Irreversible ? "irreversible" : file.Down is null ? "none" : "stored",
            AffectedTables = AffectedTables.Of(file.Up, settings.Table),
            Error = failure is null ? null : new MigrationError(failure.Message, failure.SqlState, failure.Line, failure.Column, failure.Detail,
                failure.CommittedStatements, failure.InvalidIndexes),
        });

    private MigrationFailure Failure(MigrationFile file, StatementFailure stopped, int retries)
    {
        var (statement, ex) = (stopped.Statement, stopped.Error);
        var redactor = settings.Redactor;
        int? line = statement?.Line, column = statement?.Column;
        if (statement is not null && ex.Position > 0) (line, column) = statement.PositionToLineColumn(ex.Position);
        return new MigrationFailure(file.Version, file.Path, line, column, ex.SqlState, redactor.Redact(ex.MessageText),
            ex.Detail is null ? null : redactor.Redact(ex.Detail), ex.Hint, statement?.Text, stopped.Transactional, stopped.Committed,
            stopped.InvalidIndexes, retries, SourceLine(statement, line) is { } source ? redactor.Redact(source) : null);
    }

    /// <summary>The file line at <paramref name="line"/>, for a caret display.</summary>
    private static string? SourceLine(SqlStatement? statement, int? line)
    {
        if (statement is null || line is not { } l) return null;
        var lines = statement.Text.Split('\n');
        var index = l - statement.Line;
        return index >= 0 && index < lines.Length ? (index == 0 ? new string(' ', statement.Column - 1) : "") + lines[index] : null;
    }
}
