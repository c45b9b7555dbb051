using Strata.Database;
using Strata.History;
using Strata.Migrations;

namespace Strata.Running;

/// <summary>
/// <c>status</c> and <c>up</c> on one open session. <c>up</c> takes the advisory lock before it
/// reads the history (so two runners never both decide a migration is pending), then plans,
/// checks the safety gates, and applies in order, stopping at the first failure.
/// </summary>
internal static class Migrator
{
    /// <summary>Reads the history and plans against the files, without writing or locking.</summary>
    public static async Task<MigrationPlan> StatusAsync(DatabaseSession session, MigrationSet set, HistoryTable table, CancellationToken cancellationToken) =>
        (await PlanAsync(session, set, table, cancellationToken)).Plan;

    /// <summary>Applies pending migrations (or shows them, in a dry run). <paramref name="last"/> is the --to file, if any.</summary>
    public static Task<UpResult> UpAsync(DatabaseSession session, MigrationSet set, MigrationFile? last, UpOptions options, RunSettings settings,
        Action<MigrationProgress>? progress, CancellationToken cancellationToken, Func<StatementTrace, CancellationToken, Task>? onStatement = null) =>
        UpAsync(session, _ => Task.FromResult(set), last?.Version, options, settings, progress, cancellationToken, onStatement);

    /// <summary>
    /// The same, with the files parsed once the history is known (<see cref="MigrationCandidates.Parse"/>),
    /// so that unchanged applied files need not be; their problems, and those of the others, still
    /// refuse the run before anything is written. <paramref name="to"/> is --to as given.
    /// </summary>
    public static async Task<UpResult> UpAsync(DatabaseSession session, Func<HistoryRead, Task<MigrationSet>> load, string? to, UpOptions options, RunSettings settings,
        Action<MigrationProgress>? progress, CancellationToken cancellationToken, Func<StatementTrace, CancellationToken, Task>? onStatement = null)
    {
        var key = AdvisoryLock.KeyFor(settings.Table.Qualified);
        if (!options.DryRun)
        {
            var busy = await AdvisoryLock.AcquireAsync(session, key, (options.LockWait ?? settings.LockWait).Value,
                holder => progress?.Invoke(new MigrationProgress(ProgressStage.WaitingForLock, 0, 0, "", holder)), cancellationToken);
            if (busy is not null) return UpResult.Refused(busy);
        }
        try
        {
            var (plan, history, set) = await PlanAsync(session, load, settings.Table, cancellationToken);
            if (set.Problems.Count > 0) return UpResult.Refused(set.Problems);
            var last = to is null ? null : set.Find(to)?.Version;
            if (to is not null && last is null) return UpResult.Refused(MigrationProblems.UnknownVersion(to));
            var selected = plan.ToRun.Where(e => last is null || string.CompareOrdinal(e.Version, last) <= 0).ToList();
            if (Refusal(plan, selected, options) is { } refusal)
                return UpResult.Refused(refusal) with { Plan = plan, Selected = selected, DryRun = options.DryRun };
            if (options.DryRun || selected.Count == 0)
                return new UpResult(plan, selected, [], null, options.DryRun);

            // Only what is missing is created: a table the team made by hand comes without the
            // events table, and a first run without either; once both exist, up sends no DDL of its own.
            var createsHistory = !history.HistoryExists && CreatesHistoryTable(selected[0].File!, settings.Table);
            await HistoryStore.CreateMissingAsync(session, settings.Table, history, createsHistory, cancellationToken);

            var applier = new MigrationApplier(session, settings) { OnStatement = onStatement };
            var applied = new List<AppliedMigration>();
            for (var i = 0; i < selected.Count; i++)
            {
                var entry = selected[i];
                var index = i;
                progress?.Invoke(new MigrationProgress(ProgressStage.Starting, i, selected.Count, entry.Version));
                var (done, failure) = await applier.ApplyAsync(entry, createsHistory && i == 0,
                    (attempt, why) => progress?.Invoke(new MigrationProgress(ProgressStage.Retrying, index, selected.Count, entry.Version, $"attempt {attempt}: {why}")),
                    cancellationToken);
                if (failure is not null)
                {
                    progress?.Invoke(new MigrationProgress(ProgressStage.Failed, i, selected.Count, entry.Version, failure.Message));
                    return new UpResult(plan, selected, applied, failure, false);
                }
                applied.Add(done!);
                progress?.Invoke(new MigrationProgress(ProgressStage.Applied, i, selected.Count, entry.Version));
            }
            return new UpResult(plan, selected, applied, null, false);
        }
        finally
        {
            // The runner has already rolled back whatever a cancellation interrupted, so the
            // unlock runs on a clean session; it never throws over the exception on its way.
            if (!options.DryRun) await AdvisoryLock.ReleaseAsync(session, key);
        }
    }

    /// <summary>True when a file's up section creates the history table (the strategy's bootstrap migration).</summary>
    public static bool CreatesHistoryTable(MigrationFile file, HistoryTable table) =>
        file.Up.Statements.Any(s => s.Facts.Verb == "CREATE TABLE" && s.Facts.Target is { } t && (t == table.Name || t == table.Qualified));

    /// <summary>
    /// The plan, and what exists of the history tables (for whoever creates what is missing). A
    /// table of the wrong shape, or a status Strata does not know, is refused here, before
    /// anything is written.
    /// </summary>
    internal static async Task<(MigrationPlan Plan, HistoryState History)> PlanAsync(DatabaseSession session, MigrationSet set, HistoryTable table,
        CancellationToken cancellationToken)
    {
        var (plan, history, _) = await PlanAsync(session, _ => Task.FromResult(set), table, cancellationToken);
        return (plan, history);
    }

    private static async Task<(MigrationPlan Plan, HistoryState History, MigrationSet Set)> PlanAsync(DatabaseSession session,
        Func<HistoryRead, Task<MigrationSet>> load, HistoryTable table, CancellationToken cancellationToken)
    {
        var history = await HistoryCatalog.InspectAsync(session, table, cancellationToken);
        // A statement-by-statement bootstrap file may be interrupted before the history table exists.
        var interruptions = await HistoryStore.ReadInterruptionsAsync(session, table, history, cancellationToken);
        var rows = history.HistoryExists ? await HistoryStore.ReadAsync(session, table, cancellationToken) : [];
        var set = await load(new HistoryRead(rows, interruptions));
        return (MigrationPlan.Build(set.Files, rows, history.HistoryExists, interruptions), history, set);
    }

    private static Problem? Refusal(MigrationPlan plan, IReadOnlyList<PlanEntry> selected, UpOptions options)
    {
        var drift = plan.Drift.ToList();
        if (drift.Count > 0 && !options.AllowDrift)
            return RunProblems.Drift(drift);
        var outOfOrder = plan.OutOfOrder.Where(selected.Contains).ToList();
        if (outOfOrder.Count > 0 && !options.AllowOutOfOrder)
            return RunProblems.OutOfOrder(outOfOrder);
        var interrupted = plan.Interrupted.Where(selected.Contains).ToList();
        if (interrupted.Count > 0 && !options.AllowInterrupted)
            return RunProblems.Interrupted(interrupted);
        return null;
    }
}

/// <summary>What the history says before a run: its rows, and the attempts that never finished.</summary>
internal sealed record HistoryRead(IReadOnlyList<HistoryRow> Rows, IReadOnlyDictionary<string, Interruption> Interruptions)
{
    /// <summary>
    /// Applied migrations Strata recorded, by version, with the checksum they were applied with:
    /// a file with that checksum is the file that was validated and applied. An attempt since
    /// that never finished makes it untrusted again: it will run.
    /// </summary>
    public IReadOnlyDictionary<string, string> AppliedChecksums() =>
        Rows.Where(r => r.Status == HistoryStatus.Applied && r.Checksum is not null && !Interruptions.ContainsKey(r.Version)
                && MigrationMetadata.NamesStrata(r.Metadata))
            .ToDictionary(r => r.Version, r => r.Checksum!, StringComparer.Ordinal);
}
