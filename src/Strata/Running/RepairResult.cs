namespace Strata.Running;

/// <summary>What <c>repair</c> and <c>baseline</c> were asked to do.</summary>
/// <param name="Reason">Why, recorded in each event; required for <c>repair</c> unless the target is the local dev cluster.</param>
/// <param name="DryRun">Show what would be recorded; change nothing.</param>
/// <param name="To">For <c>baseline</c>: record every file up to and including this version as applied.</param>
public sealed record RepairOptions(string? Reason = null, bool DryRun = false, string? To = null);

/// <summary>One history change <c>repair</c> or <c>baseline</c> made (or would make).</summary>
/// <param name="Version">The migration.</param>
/// <param name="Change"><c>checksum</c> (an edited file accepted), <c>file-removed</c>, <c>interruption-resolved</c> or <c>baseline</c>.</param>
/// <param name="Detail">For a checksum: "old -> new".</param>
public sealed record HistoryChange(string Version, string Change, string? Detail = null);

/// <summary>The outcome of <c>repair</c> or <c>baseline</c>: the history changes, each also an event.</summary>
/// <param name="Changes">What was (or, in a dry run, would be) recorded.</param>
/// <param name="DryRun">True when nothing was written.</param>
public sealed record RepairResult(IReadOnlyList<HistoryChange> Changes, bool DryRun) : OperationResult
{
    /// <summary>The target, password-free (set by the project that ran it).</summary>
    public string Target { get; init; } = "";

    /// <summary>Stopped before anything was written.</summary>
    public static RepairResult Refused(params IReadOnlyList<Problem> refusals) => new([], false) { Refusals = refusals };
}
