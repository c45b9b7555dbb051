using Strata.Running;

namespace Strata.Hosting;

/// <summary>Where the start-up migration stands.</summary>
public enum MigrationPhase
{
    /// <summary>The host has not started it yet.</summary>
    NotStarted,
    /// <summary>Another runner (a replica starting at the same moment, a deploy) holds the migration lock; this one waits.</summary>
    WaitingForLock,
    /// <summary>Connecting, reading the history, or applying a migration.</summary>
    Migrating,
    /// <summary>The schema is current: every migration is applied, by this runner or another.</summary>
    Ready,
    /// <summary>A refusal, a failed migration or an unreachable server; <see cref="StrataMigrationStatus.Error"/> says which.</summary>
    Failed,
}

/// <summary>
/// The start-up migration's progress, for the readiness check and for application code that
/// wants to know (a singleton registered by <c>AddStrataMigrations</c>). The hosted service is
/// its only writer; readers on other threads see each change whole.
/// </summary>
public sealed class StrataMigrationStatus
{
    private volatile Snapshot _now = new(MigrationPhase.NotStarted, null, null, null, null);

    /// <summary>Where the migration stands.</summary>
    public MigrationPhase Phase => _now.Phase;

    /// <summary>While waiting, the lock's holder (pid, application, client address); while migrating, the migration being applied.</summary>
    public string? Detail => _now.Detail;

    /// <summary>After a failure, what the CLI would print after <c>error: </c> (password-free).</summary>
    public string? Error => _now.Error;

    /// <summary>The outcome of <c>up</c> once it returned: what this runner applied (often nothing, when another replica did it).</summary>
    public UpResult? Result => _now.Result;

    internal Snapshot Now => _now;

    internal void Waiting(string holder) => _now = _now with { Phase = MigrationPhase.WaitingForLock, Detail = holder };

    internal void Migrating(string? version) => _now = _now with { Phase = MigrationPhase.Migrating, Detail = version };

    internal void Ready(UpResult result) => _now = new Snapshot(MigrationPhase.Ready, null, null, result, null);

    internal void Failed(string error, Exception exception, UpResult? result) => _now = new Snapshot(MigrationPhase.Failed, null, error, result, exception);

    /// <summary>One consistent reading: the phase and what goes with it.</summary>
    internal sealed record Snapshot(MigrationPhase Phase, string? Detail, string? Error, UpResult? Result, Exception? Exception);
}
