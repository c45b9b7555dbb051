namespace Strata.Verification;

/// <summary>What <c>verify</c> was asked to do.</summary>
/// <param name="Server">A server where verify may create and drop scratch databases; null for a throwaway cluster of its own.</param>
/// <param name="From">Verify from this migration on; the ones before it are applied without checks.</param>
public sealed record VerifyOptions(string? Server = null, string? From = null);

/// <summary>How a step of a migration's verification ended.</summary>
public enum StepStatus
{
    /// <summary>It held.</summary>
    Passed,
    /// <summary>It did not: the migration fails verification.</summary>
    Failed,
    /// <summary>It did not hold, but the project made it a warning (<c>[verify] idempotency = "warn"</c>).</summary>
    Warning,
    /// <summary>It does not apply to this migration (an irreversible migration has no rollback to check).</summary>
    Skipped,
}

/// <summary>One step of a migration's verification.</summary>
/// <param name="Name"><c>apply</c>, <c>idempotency</c>, <c>rollback</c>, <c>re-apply</c> (and the checks added to them).</param>
/// <param name="Status">How it ended.</param>
/// <param name="DurationMs">Wall time, snapshots included.</param>
/// <param name="Detail">Why it failed or was skipped, in one sentence.</param>
/// <param name="Differences">The schema differences that prove a failure, one line each.</param>
public sealed record VerifyStep(string Name, StepStatus Status, int DurationMs, string? Detail = null, IReadOnlyList<string>? Differences = null);

/// <summary>The verification of one migration: its steps, in the order they ran.</summary>
/// <param name="Version">The migration.</param>
/// <param name="File">Where it was read from.</param>
/// <param name="Steps">The steps.</param>
public sealed record MigrationVerification(string Version, string File, IReadOnlyList<VerifyStep> Steps)
{
    /// <summary>
    /// The locks and rewrites of each statement of the first apply (<see cref="LockTracer"/>):
    /// ACCESS EXCLUSIVE locks and rewrites on tables that existed before are <see cref="StatementLocks.Flagged"/>.
    /// </summary>
    public IReadOnlyList<StatementLocks> Locks { get; init; } = [];

    /// <summary>Failed when a step failed; Warning when one warned; otherwise Passed.</summary>
    public StepStatus Verdict => Steps.Any(s => s.Status == StepStatus.Failed) ? StepStatus.Failed
        : Steps.Any(s => s.Status == StepStatus.Warning) ? StepStatus.Warning
        : StepStatus.Passed;
}

/// <summary>The outcome of <c>verify</c>: a verdict per migration, and overall.</summary>
/// <param name="Scratch">Where it ran (password-free).</param>
/// <param name="Migrations">The migrations verified, in order.</param>
/// <param name="StoppedAt">
/// Why verification stopped before the last migration (a migration that does not apply, or a
/// rollback that failed and left the scratch database in an unknown state); null when it did not.
/// </param>
/// <param name="Warnings">What verify could not check, and why (e.g. plpgsql_check is not installed).</param>
public sealed record VerifyResult(string Scratch, IReadOnlyList<MigrationVerification> Migrations, string? StoppedAt, IReadOnlyList<string> Warnings)
    : OperationResult
{
    /// <summary>True when every migration passed (warnings allowed) and verification reached the end.</summary>
    public bool Passed => StoppedAt is null && Migrations.All(m => m.Verdict != StepStatus.Failed);
}
