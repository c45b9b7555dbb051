using Strata.History;

namespace Strata.Running;

/// <summary>What <c>rollback</c> was asked to do. Without a selector it rolls back the newest applied migration.</summary>
/// <param name="Version">Roll back this migration (file name or 14-digit timestamp).</param>
/// <param name="Last">Roll back the newest N applied migrations.</param>
/// <param name="To">Roll back every applied migration newer than this one; it stays applied.</param>
/// <param name="Reason">Why, recorded in the history; required unless the target is the local dev cluster.</param>
/// <param name="DryRun">Show what would run; change nothing.</param>
/// <param name="LockWait">How long to wait for another runner's lock; null for the configured wait.</param>
/// <param name="AsMigration">
/// Run nothing: write a new forward migration whose up is <see cref="Version"/>'s stored rollback
/// SQL and whose down its original up (the strategy's post-deployment rollback, for a production
/// that only moves forward). Applying it marks <see cref="Version"/> rolled back.
/// </param>
public sealed record RollbackOptions(string? Version = null, int? Last = null, string? To = null, string? Reason = null, bool DryRun = false,
    Duration? LockWait = null, bool AsMigration = false);

/// <summary>A migration whose stored rollback SQL ran.</summary>
/// <param name="Version">The migration.</param>
/// <param name="DurationMs">Wall time.</param>
/// <param name="Transactional">The rollback ran as one transaction with the row's update.</param>
/// <param name="Statements">Statements in the stored rollback SQL.</param>
public sealed record RolledBackMigration(string Version, int DurationMs, bool Transactional, int Statements)
{
    /// <summary>
    /// For an interrupted migration: its down section ran statement by statement, passing over
    /// what never took effect; this says how far it got. Null for an applied migration.
    /// </summary>
    public UndoOutcome? Undo { get; init; }

    /// <summary>INVALID indexes the interrupted attempt left that could not be dropped.</summary>
    public IReadOnlyList<string> InvalidIndexes { get; init; } = [];
}

/// <summary>The outcome of <c>rollback</c>: what was undone, what failed, or why nothing was allowed to run.</summary>
/// <param name="Selected">The migrations selected, newest first (all that ran, or would run in a dry run).</param>
/// <param name="RolledBack">Migrations rolled back by this run, newest first.</param>
/// <param name="Failure">The rollback that failed, if any; older ones did not run.</param>
/// <param name="DryRun">True when nothing was written.</param>
public sealed record RollbackResult(IReadOnlyList<string> Selected, IReadOnlyList<RolledBackMigration> RolledBack, MigrationFailure? Failure, bool DryRun)
    : OperationResult
{
    /// <summary>The target, password-free (set by the project that ran it).</summary>
    public string Target { get; init; } = "";

    /// <summary>
    /// With <see cref="RollbackOptions.AsMigration"/>: the revert migration written (in a dry run,
    /// the file name it would get); null when nothing was to be reverted.
    /// </summary>
    public string? RevertFile { get; init; }

    /// <summary>A rollback stopped before anything ran.</summary>
    public static RollbackResult Refused(params IReadOnlyList<Problem> refusals) => new([], [], null, false) { Refusals = refusals };
}
