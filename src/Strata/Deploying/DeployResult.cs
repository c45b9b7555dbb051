using Strata.Running;

namespace Strata.Deploying;

/// <summary>How a step of a deploy ended.</summary>
public enum DeployStepOutcome
{
    /// <summary>It held.</summary>
    Passed,
    /// <summary>It refused, and an override let the deploy go on.</summary>
    Overridden,
    /// <summary>It did not apply (no smoke command, no backup configured, nothing to check).</summary>
    Skipped,
    /// <summary>It refused (a gate) or failed; the deploy stopped here.</summary>
    Failed,
}

/// <summary>One step of a deploy, as shown while it runs and in the report.</summary>
/// <param name="Name">validate, promotion, window, confirm, backup, apply, post-checks, smoke, rollback.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Summary">One line: what it decided and why.</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="Details">Lines under the summary: each migration the gate refused with its time left, each failed check.</param>
public sealed record DeployStep(string Name, DeployStepOutcome Outcome, string Summary, long DurationMs, IReadOnlyList<string> Details)
{
    /// <summary>A step without details.</summary>
    public DeployStep(string name, DeployStepOutcome outcome, string summary, long durationMs) : this(name, outcome, summary, durationMs, []) { }
}

/// <summary>The outcome of <c>deploy</c>.</summary>
/// <param name="Environment">The environment deployed to.</param>
/// <param name="Target">Its database, password-free.</param>
/// <param name="Steps">Every step that ran, in order.</param>
/// <param name="Planned">The migrations the deploy set out to apply.</param>
/// <param name="Applied">The migrations it applied (and, after a rollback, undid again).</param>
/// <param name="DryRun">Nothing was backed up, applied or smoke-tested.</param>
public sealed record DeployResult(string Environment, string Target, IReadOnlyList<DeployStep> Steps, IReadOnlyList<string> Planned,
    IReadOnlyList<AppliedMigration> Applied, bool DryRun) : OperationResult
{
    /// <summary>The backup file, when one was made.</summary>
    public string? BackupPath { get; init; }

    /// <summary>The migration that failed to apply, when one did.</summary>
    public MigrationFailure? Failure { get; init; }

    /// <summary>True when the deploy undid what it applied (a failed migration, a failed check, or a failed smoke test with on_smoke_failure = "rollback").</summary>
    public bool RolledBack { get; init; }

    /// <summary>After a rollback: the schema matched the one before the deploy (null when it was not compared).</summary>
    public bool? SchemaRestored { get; init; }

    /// <summary>The command that undoes this deploy, for a person to run after a failed smoke test.</summary>
    public string? RollbackCommand { get; init; }

    /// <summary>The Markdown report's path, when one was written.</summary>
    public string? ReportPath { get; init; }

    /// <summary>True when a step failed after the gates (apply, post-checks, smoke): the CLI exits 1.</summary>
    public bool Failed => Steps.Any(s => s.Outcome == DeployStepOutcome.Failed);
}
