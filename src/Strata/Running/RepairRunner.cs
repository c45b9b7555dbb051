using Strata.Database;
using Strata.History;
using Strata.Migrations;

namespace Strata.Running;

/// <summary>
/// <c>repair</c> and <c>baseline</c>: history changes that run no migration SQL, each written
/// with an event under the migration lock. Repair accepts intentional edits (the row takes the
/// file's checksum), files removed on purpose, and interrupted attempts fixed by hand; baseline
/// records files as applied for a database whose schema already holds them.
/// </summary>
internal static class RepairRunner
{
    public static Task<RepairResult> RepairAsync(DatabaseSession session, MigrationSet set, RepairOptions options, RunSettings settings,
        CancellationToken cancellationToken) =>
        UnderLockAsync(session, set, options, settings, cancellationToken, (plan, writer, metadata) =>
        {
            var changes = new List<(HistoryChange, IEnumerable<Npgsql.NpgsqlBatchCommand>)>();
            foreach (var entry in plan.Entries)
            {
                if (entry.State == MigrationState.Changed)
                    changes.Add((new HistoryChange(entry.Version, "checksum", $"{entry.Row!.Checksum} -> {entry.File!.Checksum}"),
                        writer.Repaired(entry.Version, entry.File.Checksum, metadata)));
                else if (entry.State == MigrationState.Missing)
                    changes.Add((new HistoryChange(entry.Version, "file-removed"), writer.FileRemoved(entry.Version, metadata)));
                else if (entry.State == MigrationState.Interrupted)
                    changes.Add((new HistoryChange(entry.Version, "interruption-resolved", entry.TookEffect), writer.Resolved(entry.Version, metadata)));
            }
            return changes;
        });

    public static Task<RepairResult> BaselineAsync(DatabaseSession session, MigrationSet set, MigrationFile last, RepairOptions options, RunSettings settings,
        CancellationToken cancellationToken) =>
        UnderLockAsync(session, set, options, settings, cancellationToken, (plan, writer, metadata) =>
            [.. plan.Entries
                .Where(e => e.File is not null && e.State is not (MigrationState.Applied or MigrationState.Changed) && string.CompareOrdinal(e.Version, last.Version) <= 0)
                .Select(e => (new HistoryChange(e.Version, "baseline"), writer.Baselined(new HistoryRecord(e.Version, e.File!.Description, e.File.RollbackSql, e.File.Checksum,
                    metadata with { StatementCount = e.File.Up.Statements.Count, Transactional = e.File.Up.IsTransactional,
                        Rollback = e.File.Irreversible ? "irreversible" : e.File.Down is null ? "none" : "stored" }))))]);

    private static async Task<RepairResult> UnderLockAsync(DatabaseSession session, MigrationSet set, RepairOptions options, RunSettings settings,
        CancellationToken cancellationToken, Func<MigrationPlan, HistoryWriter, MigrationMetadata, List<(HistoryChange, IEnumerable<Npgsql.NpgsqlBatchCommand>)>> decide)
    {
        var key = AdvisoryLock.KeyFor(settings.Table.Qualified);
        if (!options.DryRun && await AdvisoryLock.AcquireAsync(session, key, settings.LockWait.Value, null, cancellationToken) is { } busy)
            return RepairResult.Refused(busy);
        try
        {
            var (plan, history) = await Migrator.PlanAsync(session, set, settings.Table, cancellationToken);
            var writer = new HistoryWriter(settings.Table, settings.AppliedBy, settings.Environment);
            var metadata = new MigrationMetadata { ToolVersion = settings.ToolVersion, Action = options.To is null ? "repair" : "baseline",
                Environment = settings.Environment, GitCommit = settings.GitCommit, Reason = options.Reason };
            var changes = decide(plan, writer, metadata);
            if (options.DryRun || changes.Count == 0) return new RepairResult([.. changes.Select(c => c.Item1)], options.DryRun);
            await HistoryStore.CreateMissingAsync(session, settings.Table, history, historyFromFile: false, cancellationToken);
            await HistoryWriter.WriteAsync(session, changes.SelectMany(c => c.Item2), cancellationToken);
            return new RepairResult([.. changes.Select(c => c.Item1)], false);
        }
        finally
        {
            if (!options.DryRun) await AdvisoryLock.ReleaseAsync(session, key);
        }
    }
}
