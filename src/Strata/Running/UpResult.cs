namespace Strata.Running;

/// <summary>A migration that was applied.</summary>
public sealed record AppliedMigration(
    string Version,
    string Description,
    int DurationMs,
    bool Transactional,
    int Statements,
    int LockRetries,
    IReadOnlyList<string> Notices);

/// <summary>
/// Why a migration failed, located in its file: the statement, its line and column (mapped from
/// the server's error position), the SQLSTATE, and what was left behind.
/// </summary>
/// <param name="SourceLine">The text of the file line the error points at, for a caret display.</param>
public sealed record MigrationFailure(
    string Version,
    string File,
    int? Line,
    int? Column,
    string? SqlState,
    string Message,
    string? Detail,
    string? ServerHint,
    string? Statement,
    bool Transactional,
    int CommittedStatements,
    IReadOnlyList<string> InvalidIndexes,
    int LockRetries,
    string? SourceLine = null)
{
    /// <summary>What the user should do next.</summary>
    public string Advice => Transactional
        ? "Nothing of this migration was kept. Fix the file and run 'strata up' again."
        : CommittedStatements == 0
            ? "No statement of this migration took effect. Fix the file and run 'strata up' again."
            : $"The first {CommittedStatements} statement(s) ran outside a transaction and were kept; make the file idempotent (IF NOT EXISTS) or undo them, then run 'strata up' again.";
}

/// <summary>The outcome of <c>up</c>: what ran, what failed, or why nothing was allowed to run.</summary>
/// <param name="Plan">The plan as it stood when the lock was taken.</param>
/// <param name="Selected">The migrations selected to run (all that ran or would run in a dry run).</param>
/// <param name="Applied">Migrations applied by this run, in order.</param>
/// <param name="Failure">The migration that failed, if any; later ones did not run.</param>
/// <param name="Refusal">A safety gate that stopped the run before anything ran (drift, out of order).</param>
/// <param name="DryRun">True when nothing was written.</param>
public sealed record UpResult(
    MigrationPlan Plan,
    IReadOnlyList<PlanEntry> Selected,
    IReadOnlyList<AppliedMigration> Applied,
    MigrationFailure? Failure,
    Problem? Refusal,
    bool DryRun);
