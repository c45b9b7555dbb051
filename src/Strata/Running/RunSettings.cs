using Strata.Database;
using Strata.History;

namespace Strata.Running;

/// <summary>How a run behaves: who records it, timeouts, retries, where history lives.</summary>
/// <param name="Table">The history table.</param>
/// <param name="AppliedBy">What goes into applied_by and the events' "by".</param>
/// <param name="Environment">The environment name, when the target came from one.</param>
/// <param name="LockTimeout">lock_timeout for each migration.</param>
/// <param name="StatementTimeout">statement_timeout for each migration, or null to leave the server's.</param>
/// <param name="LockTries">How many times a migration is tried when it cannot get its locks in time.</param>
/// <param name="LockWait">How long to wait for another runner's advisory lock.</param>
/// <param name="RetryPause">The first pause between lock-timeout retries; doubled each time.</param>
/// <param name="ToolVersion">Strata's version, recorded in metadata.</param>
/// <param name="GitCommit">The commit of the migrations folder, when known.</param>
/// <param name="Redactor">Masks the target's secrets in anything recorded or returned.</param>
internal sealed record RunSettings(
    HistoryTable Table,
    string AppliedBy,
    string? Environment,
    Duration LockTimeout,
    Duration? StatementTimeout,
    int LockTries,
    Duration LockWait,
    Duration RetryPause,
    string ToolVersion,
    string? GitCommit,
    Redactor Redactor)
{
    /// <summary>long_tx: how old another session's transaction must be for the blocker check to wait for it; zero turns the check off.</summary>
    public Duration LongTx { get; init; } = Defaults.Standard.LongTx;

    /// <summary>The deploy gates this run was told to pass (<c>deploy --override</c>), recorded in each applied row's metadata.</summary>
    public IReadOnlyList<string>? Overrides { get; init; }

    /// <summary>Why (<c>--reason</c>), recorded with <see cref="Overrides"/>.</summary>
    public string? OverrideReason { get; init; }

    /// <summary>The defaults, for a run that sets nothing but who it is.</summary>
    public static RunSettings For(string appliedBy, Redactor? redactor = null, Defaults? defaults = null)
    {
        var d = defaults ?? Defaults.Standard;
        return new RunSettings(d.Table, appliedBy, null, d.LockTimeout, d.StatementTimeout, d.LockTries, d.LockWait, d.RetryPause,
            StrataVersion.Current, null, redactor ?? Redactor.ShapesOnly) { LongTx = d.LongTx };
    }
}

/// <summary>What <c>up</c> was asked to do.</summary>
/// <param name="To">Stop after this version (file name or 14-digit timestamp).</param>
/// <param name="DryRun">Show what would run; write nothing.</param>
/// <param name="AllowDrift">Run even though applied files changed or vanished.</param>
/// <param name="AllowOutOfOrder">Apply pending files older than the newest applied one.</param>
/// <param name="LockWait">How long to wait for another runner's lock; null for the configured wait.</param>
/// <param name="AllowInterrupted">Run interrupted migrations again from their first statement (they must be idempotent).</param>
public sealed record UpOptions(string? To = null, bool DryRun = false, bool AllowDrift = false, bool AllowOutOfOrder = false, Duration? LockWait = null,
    bool AllowInterrupted = false);

/// <summary>A step of a run, for progress displays.</summary>
public enum ProgressStage
{
    /// <summary>Another runner holds the lock; <see cref="MigrationProgress.Detail"/> names it.</summary>
    WaitingForLock,
    /// <summary>A migration is about to run.</summary>
    Starting,
    /// <summary>A migration was applied.</summary>
    Applied,
    /// <summary>A migration failed; later ones will not run.</summary>
    Failed,
    /// <summary>
    /// A lock timeout, or a long transaction on a table the migration needs, is being waited out;
    /// <see cref="MigrationProgress.Detail"/> says which attempt and why (the blocker's pid, application, age and state).
    /// </summary>
    Retrying,
}

/// <summary>Reported while <c>up</c> runs; the CLI turns these into a progress display.</summary>
/// <param name="Stage">What happened.</param>
/// <param name="Index">The migration's position among those selected.</param>
/// <param name="Count">How many were selected.</param>
/// <param name="Version">The migration.</param>
/// <param name="Detail">The lock holder, the retry reason or the error.</param>
public sealed record MigrationProgress(ProgressStage Stage, int Index, int Count, string Version, string? Detail = null);
