using System.Globalization;
using System.Text;

namespace Strata.Running;

/// <summary>The safety gates of a run, each worded in one place.</summary>
internal static class RunProblems
{
    /// <summary>
    /// A migration that failed, as one problem: located at the failing line and column, its
    /// message the lines the CLI prints under it (detail, the source line with a caret, what was
    /// undone or left behind, and what to do).
    /// </summary>
    public static Problem MigrationFailed(MigrationFailure failure)
    {
        var text = new StringBuilder($"{failure.Version} failed: {failure.SqlState}: {failure.Message}");
        void Line(string line) => text.Append("\n  ").Append(line);
        if (failure.Detail is not null) Line($"detail: {failure.Detail}");
        if (failure.ServerHint is not null) Line($"server hint: {failure.ServerHint}");
        if (failure.SourceLine is not null && failure.Line is { } line && failure.Column is { } column)
        {
            var gutter = line.ToString(CultureInfo.InvariantCulture);
            Line($"{gutter} | {failure.SourceLine.Replace('\t', ' ')}");
            Line($"{new string(' ', gutter.Length)} | {new string(' ', Math.Max(0, column - 1))}^");
        }
        else if (failure.Statement is not null) Line($"statement: {Excerpt(failure.Statement)}");
        if (failure.Context is not null) Line($"context: {failure.Context.TrimEnd().Replace("\n", "\n           ")}");
        if (failure.InternalQuery is not null) Line($"query: {Excerpt(failure.InternalQuery)}");
        foreach (var notice in failure.Notices) Line($"notice: {notice}");
        if (failure.Blocked) foreach (var blocker in failure.Blockers) Line($"blocker: {BlockerCheck.QueryLine(blocker)}");
        if (failure.Undo is { } undo) Line($"automatic rollback: {undo.Summary}");
        foreach (var index in failure.RemovedIndexes) Line($"removed: the INVALID index {index} the attempt left");
        foreach (var index in failure.InvalidIndexes) Line($"left behind: INVALID index {index}; remove it with: DROP INDEX CONCURRENTLY IF EXISTS {index};");
        Line(failure.Advice);
        return new Problem(ProblemKind.OperationFailed, "migration-failed", text.ToString(), failure.File, failure.Line, failure.Line is null ? null : failure.Column);
    }

    /// <summary>A statement's first line, cut to fit one line of a terminal.</summary>
    private static string Excerpt(string statement)
    {
        var firstLine = statement.Split('\n')[0];
        return firstLine.Length > 120 ? firstLine[..117] + "..." : statement.Contains('\n') ? firstLine + " ..." : firstLine;
    }

    public static Problem Drift(IReadOnlyList<PlanEntry> drift) => new(ProblemKind.Refused, "drift",
        $"{drift.Count} applied migration(s) no longer match their files: " +
        string.Join("; ", drift.Select(d => d.State == MigrationState.Changed
            ? $"{d.Version} was edited after it was applied (recorded {d.Row!.Checksum}, file now {d.File!.Checksum})"
            : $"{d.Version} was applied but its file is gone")) + ".",
        drift[0].File?.Path ?? drift[0].Version,
        Hint: "Restore the applied text (e.g. git checkout the file) and put the change in a new migration, or pass --allow-drift to run anyway.");

    public static Problem Interrupted(IReadOnlyList<PlanEntry> entries) => new(ProblemKind.Refused, "interrupted",
        string.Join("; ", entries.Select(e => $"{e.Version} was interrupted (started {e.Interruption!.At:yyyy-MM-dd HH:mm:ss}Z by {e.Interruption.By ?? "?"}) " +
            $"after {e.TookEffect}")) + ".",
        entries[0].File?.Path,
        Hint: "Check those statements with 'strata status'. If the file is idempotent (IF NOT EXISTS, IF EXISTS), run 'strata up --allow-interrupted' " +
              "to run it again from its first statement (INVALID indexes it left are rebuilt); otherwise undo the statements that took effect by hand first.");

    public static Problem Irreversible(string version) => new(ProblemKind.Refused, "irreversible",
        $"{version} is declared irreversible ('-- migrate:down irreversible'): nothing was rolled back.",
        Hint: "Undo it with a new forward migration, or choose a selection that stops before it (--to a later version).");

    public static Problem RollbackOfHistory(string version) => new(ProblemKind.Refused, "history-bootstrap",
        $"{version} created the history table itself; rolling it back would drop the record of every migration: nothing was rolled back.",
        Hint: "Roll back to a version after it (--to " + version + "), or drop the database if you really mean to start over.");

    public static Problem NoRollbackSql(string version) => new(ProblemKind.Refused, "no-rollback-sql",
        $"{version} has no stored rollback SQL (the file had no down section when it was applied): nothing was rolled back.",
        Hint: "Write the undo as a new forward migration, or choose a selection that stops before it.");

    public static Problem InterruptedInRollback(IReadOnlyList<string> versions) => new(ProblemKind.Refused, "interrupted",
        $"{string.Join(", ", versions)} {(versions.Count == 1 ? "is" : "are")} interrupted (a statement-by-statement run that never finished) " +
        "and newer than what this rollback would undo: nothing was rolled back.",
        Hint: $"Roll {(versions.Count == 1 ? "it" : "each")} back on its own first ('strata rollback {versions[^1]} --reason ...' undoes the statements that took effect), " +
              "or see docs/recovery.md for the other ways out.");

    public static Problem InterruptedWithoutFile(string version) => new(ProblemKind.Refused, "no-rollback-sql",
        $"{version} is interrupted and its file is gone: an unfinished attempt stores no rollback SQL, so there is nothing to run.",
        Hint: "Restore the file (git checkout) and run the rollback again, or undo its statements by hand and close the attempt with 'strata repair --reason ...'.");

    public static Problem RevertNeedsOriginal(string version, bool gone) => new(ProblemKind.Refused, "revert-needs-original",
        $"{version} {(gone ? "has no file" : "was edited after it was applied")}: the revert's down section must be the up that ran, so no file was written.",
        Hint: "Restore the applied text (git checkout the file) and run it again; or write the revert by hand with 'strata new'.");

    public static Problem RevertExists(string version, string path) => new(ProblemKind.Refused, "revert-exists",
        $"a migration that reverts {version} is already in the folder ({path}): no second one was written.", path,
        Hint: "Apply it with 'strata up', or delete it first if it is wrong.");

    public static Problem AsMigrationNeedsVersion() => new(ProblemKind.BadInput, "bad-usage",
        "--as-migration writes the revert of one migration: give its VERSION, not --last or --to.",
        Hint: "e.g. strata rollback 20251002143000 --as-migration --reason \"...\"");

    public static Problem ReasonRequired() => new(ProblemKind.BadInput, "reason-required",
        "a rollback or repair on a shared database needs --reason: it is recorded in the history with who ran it.",
        Hint: "Add --reason \"...\" (e.g. --reason \"INC-42: index build blocks writes\"). Only the local dev cluster goes without.");

    public static Problem OutOfOrder(IReadOnlyList<PlanEntry> entries) => new(ProblemKind.Refused, "out-of-order",
        $"{entries.Count} pending migration(s) are older than the newest applied one: {string.Join(", ", entries.Select(e => e.Version))}.",
        entries[0].File?.Path,
        Hint: "If applying them after newer ones is safe, pass --allow-out-of-order; otherwise rename them to a newer timestamp.");
}
