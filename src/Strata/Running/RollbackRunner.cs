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
            if (!await HistoryStore.ExistsAsync(session, settings.Table, cancellationToken))
                return new RollbackResult([], [], null, options.DryRun);
            await HistoryStore.CheckShapeAsync(session, settings.Table, cancellationToken);
            var rows = await HistoryStore.ReadAsync(session, settings.Table, cancellationToken);
            var (selected, refusal) = Select(rows, set, options);
            if (refusal is not null) return RollbackResult.Refused(refusal);
            if (Check(selected, set, settings) is { } refused)
                return RollbackResult.Refused(refused) with { Selected = [.. selected.Select(r => r.Version)] };
            var versions = selected.Select(r => r.Version).ToList();
            if (options.DryRun || selected.Count == 0) return new RollbackResult(versions, [], null, options.DryRun);

            await HistoryStore.EnsureEventsAsync(session, settings.Table, cancellationToken);
            var writer = new HistoryWriter(settings.Table, settings.AppliedBy, settings.Environment);
            var done = new List<RolledBackMigration>();
            foreach (var row in selected)
            {
                var clock = Stopwatch.StartNew();
                var statements = SqlSplitter.Split(row.RollbackSql).Statements;
                var transactional = statements.All(s => s.Facts.RunsInTransaction && !s.Facts.IsTransactionControl);
                var metadata = new MigrationMetadata { ToolVersion = settings.ToolVersion, Action = "rollback", Environment = settings.Environment, Reason = options.Reason };
                var companion = new Companion(() => [], _ => writer.RolledBack(row.Version, metadata, transactional ? null : (int)clock.ElapsedMilliseconds));
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
