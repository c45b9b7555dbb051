using Strata.History;
using Strata.Migrations;

namespace Strata.Running;

/// <summary>Where one migration stands against one database.</summary>
public enum MigrationState
{
    /// <summary>In the folder, never applied (or rolled back, or failed: it will run again).</summary>
    Pending,
    /// <summary>Applied and unchanged.</summary>
    Applied,
    /// <summary>Applied, but the file changed since: drift.</summary>
    Changed,
    /// <summary>Applied by Strata, but the file is gone: drift.</summary>
    Missing,
    /// <summary>Pending, but older than the newest applied migration.</summary>
    OutOfOrder,
    /// <summary>The last attempt failed; it will run again.</summary>
    Failed,
    /// <summary>Rolled back; it will run again.</summary>
    RolledBack,
    /// <summary>
    /// A statement-by-statement run started and never finished (killed, cancelled, connection
    /// lost): some statements may have taken effect. <c>up</c> refuses until told to run it again.
    /// </summary>
    Interrupted,
    /// <summary>
    /// Rolled back by a later forward migration (<c>rollback --as-migration</c>) that is applied:
    /// <c>up</c> leaves it alone; rolling back that migration applies this one again.
    /// </summary>
    Reverted,
}


/// <summary>One line of the plan: a file, its history row, or both.</summary>
public sealed record PlanEntry(string Version, MigrationFile? File, HistoryRow? Row, MigrationState State)
{
    /// <summary>The unfinished attempt, for <see cref="MigrationState.Interrupted"/>.</summary>
    public Interruption? Interruption { get; init; }

    /// <summary>
    /// For an interrupted migration, what is known to have taken effect, in words:
    /// "2 of its 3 statement(s) took effect: CREATE TABLE (line 3), INSERT (line 4)".
    /// </summary>
    public string? TookEffect
    {
        get
        {
            if (Interruption is null || File is null) return null;
            var statements = File.Up.Statements;
            var done = Math.Min(Interruption.CommittedStatements, statements.Count);
            return done == 0
                ? $"none of its {statements.Count} statement(s) is known to have taken effect (the one that was running may have, if it commits on its own)"
                : $"{done} of its {statements.Count} statement(s) took effect: {string.Join(", ", statements.Take(done).Select(s => $"{s.Facts.Verb} (line {s.Line})"))}";
        }
    }

    /// <summary>True when <c>up</c> would run this migration (an interrupted one only when allowed).</summary>
    public bool WillRun => File is not null && State is MigrationState.Pending or MigrationState.OutOfOrder or MigrationState.Failed
        or MigrationState.RolledBack or MigrationState.Interrupted;

    /// <summary>True for drift: an applied migration whose file changed or vanished.</summary>
    public bool IsDrift => State is MigrationState.Changed or MigrationState.Missing;

    /// <summary>
    /// True for a history row a team inserted by hand that has no file, such as the strategy's
    /// bootstrap row recorded by 'initial_setup': a record, not a migration Strata can run or
    /// check, so it is shown apart from the migrations and never counts as drift.
    /// </summary>
    public bool IsHandRecordWithoutFile => File is null && Row is { RecordedByStrata: false };
}

/// <summary>
/// The files of a folder set against the history of one database: what is applied, what will
/// run, and what blocks a run (drift, out of order). Pure: no I/O, so every rule is unit-tested.
/// </summary>
public sealed record MigrationPlan(IReadOnlyList<PlanEntry> Entries, bool HistoryExists)
{
    /// <summary>The migrations <c>up</c> would run, in order.</summary>
    public IEnumerable<PlanEntry> ToRun => Entries.Where(e => e.WillRun);

    /// <summary>The entries that have a file or that Strata recorded: the migrations proper.</summary>
    public IEnumerable<PlanEntry> Migrations => Entries.Where(e => !e.IsHandRecordWithoutFile);

    /// <summary>History rows inserted by hand that have no file (see <see cref="PlanEntry.IsHandRecordWithoutFile"/>).</summary>
    public IEnumerable<PlanEntry> HandRecords => Entries.Where(e => e.IsHandRecordWithoutFile);

    /// <summary>Applied migrations whose file changed or is gone.</summary>
    public IEnumerable<PlanEntry> Drift => Entries.Where(e => e.IsDrift);

    /// <summary>Migrations waiting to run that are older than the newest applied one.</summary>
    public IEnumerable<PlanEntry> OutOfOrder => Entries.Where(e => e.File is not null && e.WillRun && IsOlderThanNewestApplied(e.File));

    private DateTime? NewestApplied { get; init; }

    private bool IsOlderThanNewestApplied(MigrationFile file) => NewestApplied is { } newest && file.Timestamp < newest;

    /// <summary>Migrations whose last statement-by-statement attempt never finished.</summary>
    public IEnumerable<PlanEntry> Interrupted => Entries.Where(e => e.State == MigrationState.Interrupted);

    /// <summary>Builds the plan from the folder, the history rows and the unfinished attempts.</summary>
    public static MigrationPlan Build(IReadOnlyList<MigrationFile> files, IReadOnlyList<HistoryRow> rows, bool historyExists,
        IReadOnlyDictionary<string, Interruption>? interruptions = null)
    {
        var plan = FromRows(files, rows, historyExists);
        if (interruptions is null || interruptions.Count == 0) return plan;
        // The last word on an unfinished attempt is its start: whatever the row said before it.
        return plan with
        {
            Entries = [.. plan.Entries.Select(e => e.File is not null && interruptions.TryGetValue(e.Version, out var interruption)
                ? e with { State = MigrationState.Interrupted, Interruption = interruption }
                : e)],
        };
    }

    private static MigrationPlan FromRows(IReadOnlyList<MigrationFile> files, IReadOnlyList<HistoryRow> rows, bool historyExists)
    {
        var byVersion = rows.ToDictionary(r => r.Version, StringComparer.Ordinal);
        var fileVersions = new HashSet<string>(files.Select(f => f.Version), StringComparer.Ordinal);
        DateTime? newest = null;
        foreach (var file in files)
        {
            if (byVersion.TryGetValue(file.Version, out var row) && row.Status == HistoryStatus.Applied && (newest is null || file.Timestamp > newest))
                newest = file.Timestamp;
        }

        var entries = new List<PlanEntry>(files.Count + 4);
        foreach (var file in files)
        {
            byVersion.TryGetValue(file.Version, out var row);
            var state = row?.Status switch
            {
                HistoryStatus.Applied when row.Checksum != file.Checksum && row.RecordedByStrata => MigrationState.Changed,
                HistoryStatus.Applied => MigrationState.Applied,
                HistoryStatus.Failed => MigrationState.Failed,
                HistoryStatus.RolledBack when IsRevertedByApplied(row, byVersion) => MigrationState.Reverted,
                HistoryStatus.RolledBack => MigrationState.RolledBack,
                _ => MigrationState.Pending,
            };
            if (state == MigrationState.Pending && newest is { } n && file.Timestamp < n) state = MigrationState.OutOfOrder;
            entries.Add(new PlanEntry(file.Version, file, row, state));
        }
        foreach (var row in rows)
        {
            if (fileVersions.Contains(row.Version)) continue;
            // Rows a team inserted by hand (a bootstrap row, an older tool's names) are shown but never block a run.
            // A row 'repair' accepted as having no file (metadata.file_removed) is history, not drift.
            var state = row.Status == HistoryStatus.Applied && row.RecordedByStrata && row.StrataMetadata?.FileRemoved != true ? MigrationState.Missing
                : row.Status switch
                {
                    HistoryStatus.Failed => MigrationState.Failed,
                    HistoryStatus.RolledBack when IsRevertedByApplied(row, byVersion) => MigrationState.Reverted,
                    HistoryStatus.RolledBack => MigrationState.RolledBack,
                    _ => MigrationState.Applied,
                };
            entries.Add(new PlanEntry(row.Version, null, row, state));
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Version, b.Version));
        return new MigrationPlan(entries, historyExists) { NewestApplied = newest };
    }

    private static bool IsRevertedByApplied(HistoryRow row, Dictionary<string, HistoryRow> byVersion) =>
        row.StrataMetadata?.RevertedBy is { } by && byVersion.TryGetValue(by, out var revert) && revert.Status == HistoryStatus.Applied;
}
