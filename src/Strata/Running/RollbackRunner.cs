using System.Diagnostics;
using Strata.Database;
using Strata.History;
using Strata.Migrations;
using Strata.Sql;

namespace Strata.Running;

/// <summary>
/// Runs stored rollback SQL, newest first (DESIGN §4): the text recorded in <c>rollback_sql</c>
/// at apply time, not the file's current down section, so a rollback works after the file was
/// edited or deleted. The whole selection is checked before anything runs; each rollback commits
/// with its row's update to <c>rolled_back</c> and an event naming the reason.
/// </summary>
internal static class RollbackRunner
{
    public static async Task<RollbackResult> RunAsync(DatabaseSession session, MigrationSet set, RollbackOptions options, RunSettings settings,
        CancellationToken cancellationToken)
    {
        var key = AdvisoryLock.KeyFor(settings.Table.Qualified);
        if (!options.DryRun)
        {
            var busy = await AdvisoryLock.AcquireAsync(session, key, (options.LockWait ?? settings.LockWait).Value, null, cancellationToken);
            if (busy is not null) return RollbackResult.Refused(busy);
        }
        try
        {
            var history = await HistoryCatalog.InspectAsync(session, settings.Table, cancellationToken);
            if (!history.HistoryExists)
                return new RollbackResult([], [], null, options.DryRun);
            var rows = await HistoryStore.ReadAsync(session, settings.Table, cancellationToken);
            var interruptions = await HistoryStore.ReadInterruptionsAsync(session, settings.Table, history, cancellationToken);
            if (options.Version is { } named && FindInterrupted(interruptions, named) is { } interrupted)
                return await UndoInterruptedAsync(session, set, interrupted.Version, interrupted.Interruption, options, settings, cancellationToken);
            var (selected, refusal) = Select(rows, set, options);
            if (refusal is null && options.Version is null && InterruptedIn(interruptions, rows, set, options) is { Count: > 0 } unfinished)
                refusal = RunProblems.InterruptedInRollback(unfinished);
            if (refusal is not null) return RollbackResult.Refused(refusal);
            if (Check(selected, set, settings) is { } refused)
                return RollbackResult.Refused(refused) with { Selected = [.. selected.Select(r => r.Version)] };
            var versions = selected.Select(r => r.Version).ToList();
            if (options.DryRun || selected.Count == 0) return new RollbackResult(versions, [], null, options.DryRun);

            // A hand-made history table may still lack its events table; nothing else is created.
            await HistoryStore.CreateMissingAsync(session, settings.Table, history, historyFromFile: false, cancellationToken);
            var writer = new HistoryWriter(settings.Table, settings.AppliedBy, settings.Environment);
            var done = new List<RolledBackMigration>();
            foreach (var row in selected)
            {
                var clock = Stopwatch.StartNew();
                var statements = SqlSplitter.Split(row.RollbackSql).Statements;
                var transactional = statements.All(s => s.Facts.RunsInTransaction && !s.Facts.IsTransactionControl);
                var metadata = new MigrationMetadata { ToolVersion = settings.ToolVersion, Action = "rollback", Environment = settings.Environment, Reason = options.Reason };
                // Rolling back a revert migration runs the reverted migration's up again (it is the
                // revert's down), so that migration is applied again, with its own record. Its row
                // goes first when the up may insert its own row, as the strategy's files do.
                var reinstated = Reinstated(row, rows, set);
                var companion = new Companion(
                    () => reinstated is not null && settings.Table.MentionedIn(row.RollbackSql) ? writer.ClearUnapplied(reinstated.Version) : [],
                    _ => writer.RolledBack(row.Version, metadata, transactional ? null : (int)clock.ElapsedMilliseconds)
                        .Concat(reinstated is null ? [] : writer.Applied(Reapplied(reinstated, row.Version, settings), (int)clock.ElapsedMilliseconds)));
                var runOptions = new StatementRunOptions(transactional, Autocommit: false, settings.LockTimeout, settings.StatementTimeout, settings.LockTries,
                    settings.RetryPause, []);
                var result = await new StatementRunner(session).RunAsync(statements, runOptions, companion, cancellationToken);
                if (result.Failure is { } stopped)
                {
                    var ex = stopped.Error;
                    var failure = new MigrationFailure(row.Version, set.Find(row.Version)?.Path ?? row.Version, null, null, ex.SqlState,
                        settings.Redactor.Redact(ex.MessageText), ex.Detail is null ? null : settings.Redactor.Redact(ex.Detail), ex.Hint,
                        stopped.Statement is null ? null : settings.Redactor.Redact(stopped.Statement.Text), stopped.Transactional, stopped.Committed,
                        stopped.InvalidIndexes, result.Retries);
                    return new RollbackResult(versions, done, failure, false);
                }
                done.Add(new RolledBackMigration(row.Version, (int)clock.ElapsedMilliseconds, transactional, statements.Count));
            }
            return new RollbackResult(versions, done, null, false);
        }
        finally
        {
            if (!options.DryRun) await AdvisoryLock.ReleaseAsync(session, key);
        }
    }

    /// <summary>
    /// For <c>rollback VERSION --as-migration</c>: the applied row and its unchanged file, checked
    /// as a rollback would be (irreversible, the history bootstrap, no rollback SQL), or why no
    /// revert can be written. Nothing runs; a row that is not applied gives neither (nothing to do).
    /// </summary>
    public static async Task<(HistoryRow? Row, MigrationFile? File, Problem? Problem)> PlanRevertAsync(DatabaseSession session, MigrationSet set,
        string version, RunSettings settings, CancellationToken cancellationToken)
    {
        var rows = (await HistoryCatalog.InspectAsync(session, settings.Table, cancellationToken)).HistoryExists
            ? await HistoryStore.ReadAsync(session, settings.Table, cancellationToken)
            : [];
        var (selected, problem) = Select(rows, set, new RollbackOptions(version));
        if (problem is not null) return (null, null, problem);
        if (selected.Count == 0) return (null, null, null);
        var row = selected[0];
        if (Check(selected, set, settings) is { } refused) return (null, null, refused);
        var file = set.Find(row.Version);
        if (file is null || (row.RecordedByStrata && row.Checksum != file.Checksum))
            return (null, null, RunProblems.RevertNeedsOriginal(row.Version, file is null));
        if (set.Files.FirstOrDefault(f => f.Reverts == row.Version) is { } existing)
            return (null, null, RunProblems.RevertExists(row.Version, existing.Path));
        return (row, file, null);
    }

    /// <summary>The migration <paramref name="revert"/> reverted, when it is still marked reverted by it.</summary>
    private static HistoryRow? Reinstated(HistoryRow revert, IReadOnlyList<HistoryRow> rows, MigrationSet set) =>
        (revert.StrataMetadata?.Reverts ?? set.Find(revert.Version)?.Reverts) is { } reverted
            ? rows.FirstOrDefault(r => r.Version == reverted && r.Status == HistoryStatus.RolledBack && r.StrataMetadata?.RevertedBy == revert.Version)
            : null;

    private static HistoryRecord Reapplied(HistoryRow row, string revert, RunSettings settings) =>
        new(row.Version, row.Description, row.RollbackSql, row.Checksum ?? "", (row.StrataMetadata ?? new MigrationMetadata()) with
        {
            ToolVersion = settings.ToolVersion,
            Action = "apply",
            Environment = settings.Environment,
            RevertedBy = null,
            Error = null,
            Undo = null,
            Reason = $"applied again by the rollback of {revert}",
        });

    private static (string Version, Interruption Interruption)? FindInterrupted(IReadOnlyDictionary<string, Interruption> interruptions, string versionOrStamp) =>
        interruptions.Where(i => i.Key == versionOrStamp || i.Key.StartsWith(versionOrStamp + "_", StringComparison.Ordinal))
            .Select(i => ((string, Interruption)?)(i.Key, i.Value)).FirstOrDefault();

    /// <summary>
    /// Interrupted migrations a --last or --to selection would roll back past: half-applied, newer
    /// than what it undoes, so they must be dealt with first, on their own.
    /// </summary>
    private static List<string> InterruptedIn(IReadOnlyDictionary<string, Interruption> interruptions, IReadOnlyList<HistoryRow> rows, MigrationSet set,
        RollbackOptions options)
    {
        var anchor = options.To is { } to
            ? rows.FirstOrDefault(r => r.Version == to || r.Version.StartsWith(to + "_", StringComparison.Ordinal))?.Version ?? set.Find(to)?.Version
            : null;
        return [.. interruptions.Keys.Where(v => anchor is null || string.CompareOrdinal(v, anchor) > 0).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Rolls back an interrupted migration: it has no stored row, so the file's down section runs,
    /// statement by statement, passing over what never took effect (<see cref="PartialUndo"/>);
    /// then the INVALID indexes the unfinished attempt left on its tables are dropped. A rollback
    /// event closes the attempt, so the migration is pending again; an undo that stops leaves it
    /// interrupted and says where it stopped.
    /// </summary>
    private static async Task<RollbackResult> UndoInterruptedAsync(DatabaseSession session, MigrationSet set, string version, Interruption interruption,
        RollbackOptions options, RunSettings settings, CancellationToken cancellationToken)
    {
        var file = set.Find(version);
        if (file is null) return RollbackResult.Refused(RunProblems.InterruptedWithoutFile(version));
        if (file.Irreversible) return RollbackResult.Refused(RunProblems.Irreversible(version));
        if (Migrator.CreatesHistoryTable(file, settings.Table)) return RollbackResult.Refused(RunProblems.RollbackOfHistory(version));
        if (file.Down is null) return RollbackResult.Refused(RunProblems.NoRollbackSql(version));
        if (options.DryRun) return new RollbackResult([version], [], null, true);

        var clock = Stopwatch.StartNew();
        var undo = await PartialUndo.RunAsync(session, file.RollbackSql, settings, cancellationToken);
        var (_, left) = await PartialUndo.DropLeftoverIndexesAsync(session, interruption.InvalidIndexesBefore, AffectedTables.Of(file.Up, settings.Table),
            settings, cancellationToken);
        if (!undo.Complete)
        {
            var (state, message) = undo.Error!.IndexOf(": ", StringComparison.Ordinal) is var colon and > 0
                ? (undo.Error[..colon], undo.Error[(colon + 2)..])
                : ((string?)null, undo.Error);
            var failure = new MigrationFailure(version, file.Path, null, null, state, message, null, null, undo.StoppedAt,
                Transactional: false, undo.Undone + undo.NothingToUndo, left, 0) { Undo = undo };
            return new RollbackResult([version], [], failure, false);
        }
        var writer = new HistoryWriter(settings.Table, settings.AppliedBy, settings.Environment);
        var metadata = new MigrationMetadata
        {
            ToolVersion = settings.ToolVersion, Action = "rollback", Environment = settings.Environment, Reason = options.Reason, Undo = undo,
            Error = left.Count == 0 ? null : new MigrationError("INVALID indexes remain", null, null, null, null, interruption.CommittedStatements, left),
        };
        await HistoryWriter.WriteAsync(session, writer.InterruptionRolledBack(version, metadata, (int)clock.ElapsedMilliseconds), cancellationToken);
        return new RollbackResult([version], [new RolledBackMigration(version, (int)clock.ElapsedMilliseconds, false, undo.Statements) { Undo = undo, InvalidIndexes = left }],
            null, false);
    }

    /// <summary>The applied rows the options name, newest first, or the problem with the options.</summary>
    private static (List<HistoryRow> Selected, Problem? Problem) Select(IReadOnlyList<HistoryRow> rows, MigrationSet set, RollbackOptions options)
    {
        var applied = rows.Where(r => r.Status == HistoryStatus.Applied).OrderByDescending(r => r.Version, StringComparer.Ordinal).ToList();
        HistoryRow? Find(string versionOrStamp) =>
            rows.FirstOrDefault(r => r.Version == versionOrStamp || r.Version.StartsWith(versionOrStamp + "_", StringComparison.Ordinal));
        if (options.Version is { } version)
        {
            var row = Find(version);
            if (row is null && set.Find(version) is null) return ([], MigrationProblems.UnknownVersion(version));
            return (row is { Status: HistoryStatus.Applied } ? [row] : [], null);
        }
        if (options.To is { } to)
        {
            var anchor = Find(to)?.Version ?? set.Find(to)?.Version;
            if (anchor is null) return ([], MigrationProblems.UnknownVersion(to));
            return ([.. applied.Where(r => string.CompareOrdinal(r.Version, anchor) > 0)], null);
        }
        return ([.. applied.Take(options.Last ?? 1)], null);
    }

    /// <summary>Refuses the whole selection when any of it cannot be rolled back: nothing runs.</summary>
    private static Problem? Check(IReadOnlyList<HistoryRow> selected, MigrationSet set, RunSettings settings)
    {
        foreach (var row in selected)
        {
            var file = set.Find(row.Version);
            if (row.StrataMetadata?.Rollback == "irreversible" || file?.Irreversible == true) return RunProblems.Irreversible(row.Version);
            if (IsHistoryBootstrap(row, file, settings.Table)) return RunProblems.RollbackOfHistory(row.Version);
            if (string.IsNullOrWhiteSpace(row.RollbackSql)) return RunProblems.NoRollbackSql(row.Version);
        }
        return null;
    }

    /// <summary>The migration that created the history table: rolling it back would drop the record of everything.</summary>
    private static bool IsHistoryBootstrap(HistoryRow row, MigrationFile? file, HistoryTable table) =>
        (file is not null && Migrator.CreatesHistoryTable(file, table)) ||
        SqlSplitter.Split(row.RollbackSql).Statements.Any(s => s.Facts.Verb == "DROP TABLE" && s.Facts.Target is { } t &&
            (t == table.Name || t == table.Qualified || t.EndsWith("." + table.Name, StringComparison.Ordinal)));
}
