using Strata.History;

namespace Strata.Running;

/// <summary>How a run behaves: who records it, timeouts, retries, where history lives.</summary>
/// <param name="Table">The history table.</param>
/// <param name="AppliedBy">What goes into applied_by and the events' "by".</param>
/// <param name="Environment">The environment name, when the target came from one.</param>
/// <param name="LockTimeout">lock_timeout for each migration, a PostgreSQL duration ("10s").</param>
/// <param name="StatementTimeout">statement_timeout for each migration, or null to leave the server's.</param>
/// <param name="LockTries">How many times a migration is tried when it cannot get its locks in time.</param>
/// <param name="LockWait">How long to wait for another runner's advisory lock.</param>
/// <param name="RetryPause">The first pause between lock-timeout retries; doubled each time.</param>
/// <param name="ToolVersion">Strata's version, recorded in metadata.</param>
/// <param name="GitCommit">The commit of the migrations folder, when known.</param>
public sealed record RunSettings(
    HistoryTable Table,
    string AppliedBy,
    string? Environment = null,
    string LockTimeout = "10s",
    string? StatementTimeout = null,
    int LockTries = 3,
    TimeSpan? LockWait = null,
    TimeSpan? RetryPause = null,
    string ToolVersion = "0.0.0",
    string? GitCommit = null)
{
    /// <summary>The advisory-lock wait actually used.</summary>
    public TimeSpan EffectiveLockWait => LockWait ?? TimeSpan.FromMinutes(5);

    /// <summary>The first retry pause actually used.</summary>
    public TimeSpan EffectiveRetryPause => RetryPause ?? TimeSpan.FromSeconds(1);
}

/// <summary>What <c>up</c> was asked to do.</summary>
/// <param name="To">Stop after this version (file name or 14-digit timestamp).</param>
/// <param name="DryRun">Show what would run; write nothing.</param>
/// <param name="AllowDrift">Run even though applied files changed or vanished.</param>
/// <param name="AllowOutOfOrder">Apply pending files older than the newest applied one.</param>
public sealed record UpOptions(string? To = null, bool DryRun = false, bool AllowDrift = false, bool AllowOutOfOrder = false);

/// <summary>A step of a run, for progress displays.</summary>
public enum ProgressStage { WaitingForLock, Starting, Applied, Failed, Retrying }

/// <summary>Reported while <c>up</c> runs; the CLI turns these into a progress display.</summary>
public sealed record MigrationProgress(ProgressStage Stage, int Index, int Count, string Version, string? Detail = null);
