using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Strata.Database;

namespace Strata.History;

/// <summary>What a history row says about one migration, whatever the action that writes it.</summary>
/// <param name="Version">The migration's file name.</param>
/// <param name="Description">What it does.</param>
/// <param name="RollbackSql">
/// The down section, stored so a rollback works after the file changed or went; "" for an
/// irreversible file. Null when the file has no down section: the rollback SQL that the file's
/// own <c>INSERT INTO schema_versions</c> recorded (the strategy's hand-written files) is kept.
/// </param>
/// <param name="Checksum">The file's checksum.</param>
/// <param name="Metadata">Strata's metadata for this action.</param>
internal sealed record HistoryRecord(string Version, string Description, string? RollbackSql, string Checksum, MigrationMetadata Metadata);

/// <summary>
/// Writes every history row and its event (DESIGN §2): apply, fail, rollback, repair and
/// baseline. Each method returns batch commands rather than running them, so that a caller can
/// put them in the same transaction as the migration itself (one round trip per migration) or
/// write them on their own with <see cref="WriteAsync"/>. Every row action appends an event:
/// the audit trail a primary-key table alone cannot keep.
/// </summary>
internal sealed class HistoryWriter(HistoryTable table, string by, string? environment)
{
    // Built once per run, not once per migration: the same text each time, which is also what
    // lets the server keep it prepared.
    private readonly string _upsertSql = table.UpsertSql;
    private readonly string _eventSql = table.EventSql;

    /// <summary>Removes a row that is not applied, so that a file inserting its own version does not collide with it.</summary>
    public IEnumerable<NpgsqlBatchCommand> ClearUnapplied(string version)
    {
        yield return Command(table.ClearUnappliedSql, Text(version));
    }

    /// <summary>The rest of the history table (its indexes) after a bootstrap file created the table itself.</summary>
    public IEnumerable<NpgsqlBatchCommand> CompleteTable() => table.CreateHistorySql().Select(sql => new NpgsqlBatchCommand(sql));

    /// <summary>
    /// The applied row and its event. A null <paramref name="elapsedMs"/> lets the server time it
    /// from the transaction's start: right when the row commits with the migration.
    /// </summary>
    public IEnumerable<NpgsqlBatchCommand> Applied(HistoryRecord record, int? elapsedMs) =>
        Upsert(record, HistoryStatus.Applied, "apply", elapsedMs, error: null);

    /// <summary>The failed row and its event, with the error as the events table shows it.</summary>
    public IEnumerable<NpgsqlBatchCommand> Failed(HistoryRecord record, int elapsedMs, string error) =>
        Upsert(record, HistoryStatus.Failed, "fail", elapsedMs, error);

    /// <summary>
    /// The start of a statement-by-statement run, committed before its first statement: if the
    /// run never ends (killed, cancelled, connection lost), this event says it is unfinished.
    /// An event, not a row: the strategy's own files insert their row themselves, and a row
    /// written first would make that INSERT collide.
    /// </summary>
    public IEnumerable<NpgsqlBatchCommand> Started(HistoryRecord record)
    {
        yield return Event(record.Version, "start", null, null, record.Metadata.ToJson());
    }

    /// <summary>How far a statement-by-statement run got: written with each group it commits.</summary>
    public IEnumerable<NpgsqlBatchCommand> Progress(string version, int committedStatements)
    {
        yield return Event(version, "progress", null, null, new MigrationMetadata { Action = "progress", CommittedStatements = committedStatements }.ToJson());
    }

    /// <summary>
    /// Only the failure event: for a bootstrap file that failed before the history table exists.
    /// Creating the table to hold the row would make the fixed file's own CREATE fail forever.
    /// </summary>
    public IEnumerable<NpgsqlBatchCommand> FailedEvent(HistoryRecord record, int elapsedMs, string error)
    {
        yield return Event(record.Version, "fail", elapsedMs, error, record.Metadata.ToJson());
    }

    /// <summary>A row for a migration that is already in effect (adopting an existing database): nothing ran.</summary>
    public IEnumerable<NpgsqlBatchCommand> Baselined(HistoryRecord record) =>
        Upsert(record, HistoryStatus.Applied, "baseline", 0, error: null);

    /// <summary>Marks an applied row rolled back; its apply metadata stays, the rollback's is merged over it.</summary>
    public IEnumerable<NpgsqlBatchCommand> RolledBack(string version, MigrationMetadata metadata, int? elapsedMs)
    {
        var details = metadata.ToJson();
        yield return Command($$"""
            UPDATE {{table.Sql}} SET status = '{{HistoryStatus.RolledBack}}', applied_at = now(), applied_by = $2,
                metadata = (coalesce(metadata, '{}'::jsonb) - 'error') || $3::jsonb
            WHERE version = $1
            """, Text(version), Text(by), Text(details));
        yield return Event(version, "rollback", elapsedMs, null, details);
    }

    /// <summary>
    /// Marks <paramref name="version"/> rolled back by the revert migration being applied in the
    /// same transaction (<c>rollback --as-migration</c>), with a rollback event. Only an applied
    /// row changes: where the reverted migration never ran, there is nothing to mark.
    /// </summary>
    public IEnumerable<NpgsqlBatchCommand> Reverted(string version, MigrationMetadata metadata)
    {
        yield return Command($$"""
            WITH marked AS (
                UPDATE {{table.Sql}} SET status = '{{HistoryStatus.RolledBack}}', applied_at = now(), applied_by = $2,
                    metadata = (coalesce(metadata, '{}'::jsonb) - 'error') || $3::jsonb
                WHERE version = $1 AND status = '{{HistoryStatus.Applied}}'
                RETURNING version)
            INSERT INTO {{table.EventsSql}} (version, action, "by", environment, duration_ms, error, details)
            SELECT version, 'rollback', $2, $4, 0, NULL, $3::jsonb FROM marked
            """, Text(version), Text(by), Text(metadata.ToJson()), Text(environment));
    }

    /// <summary>
    /// Closes an interrupted attempt whose statements were undone: a rollback event is the last
    /// word on it, so it is pending again. There is no row to update: the attempt never wrote one.
    /// </summary>
    public IEnumerable<NpgsqlBatchCommand> InterruptionRolledBack(string version, MigrationMetadata metadata, int elapsedMs)
    {
        yield return Event(version, "rollback", elapsedMs, null, metadata.ToJson());
    }

    /// <summary>Accepts an intentional edit: the row takes the file's checksum now.</summary>
    public IEnumerable<NpgsqlBatchCommand> Repaired(string version, string checksum, MigrationMetadata metadata)
    {
        var details = metadata.ToJson();
        yield return Command($"UPDATE {table.Sql} SET checksum = $2, metadata = coalesce(metadata, '{{}}'::jsonb) || $3::jsonb WHERE version = $1",
            Text(version), Text(checksum), Text(details));
        yield return Event(version, "repair", 0, null, details);
    }

    /// <summary>Accepts that an applied migration's file is gone on purpose: the row stays, marked, and stops being drift.</summary>
    public IEnumerable<NpgsqlBatchCommand> FileRemoved(string version, MigrationMetadata metadata)
    {
        var details = (metadata with { FileRemoved = true }).ToJson();
        yield return Command($"UPDATE {table.Sql} SET metadata = coalesce(metadata, '{{}}'::jsonb) || $2::jsonb WHERE version = $1", Text(version), Text(details));
        yield return Event(version, "repair", 0, null, details);
    }

    /// <summary>Closes an interrupted attempt after a manual fix: a repair event is the last word on it, so it is no longer interrupted.</summary>
    public IEnumerable<NpgsqlBatchCommand> Resolved(string version, MigrationMetadata metadata)
    {
        yield return Event(version, "repair", 0, null, metadata.ToJson());
    }

    /// <summary>A step of a deploy as a <c>deploy</c> event: its outcome, summary and details, and the overrides the deploy ran with.</summary>
    public NpgsqlBatchCommand DeployStep(string version, Deploying.DeployStep step, Deploying.DeployOverrides? overrides)
    {
        var details = JsonSerializer.Serialize(new DeployEvent(step.Name, step.Outcome.ToString().ToLowerInvariant(), step.Summary, step.Details,
            overrides?.Gates, overrides?.Reason), HistoryJsonContext.Default.DeployEvent);
        return Event(version, "deploy", (int)Math.Min(int.MaxValue, step.DurationMs),
            step.Outcome == Deploying.DeployStepOutcome.Failed ? step.Summary : null, details);
    }

    /// <summary>Runs <paramref name="commands"/> in one transaction of their own.</summary>
    public static async Task WriteAsync(DatabaseSession session, IEnumerable<NpgsqlBatchCommand> commands, CancellationToken cancellationToken)
    {
        await using var transaction = await session.Connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(session.Connection, transaction);
        foreach (var command in commands) batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private IEnumerable<NpgsqlBatchCommand> Upsert(HistoryRecord record, string status, string action, int? elapsedMs, string? error)
    {
        var metadata = record.Metadata.ToJson();
        yield return Command(_upsertSql, Text(record.Version), Text(by), Text(record.Description), Text(record.RollbackSql),
            Text(record.Checksum), Text(status), Text(metadata), Integer(elapsedMs));
        yield return Event(record.Version, action, elapsedMs, error, metadata);
    }

    private NpgsqlBatchCommand Event(string version, string action, int? durationMs, string? error, string details) =>
        Command(_eventSql, Text(version), Text(action), Text(by), Text(environment), Integer(durationMs), Text(error), Text(details));

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Integer(int? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer };
}
