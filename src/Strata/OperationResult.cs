namespace Strata;

/// <summary>
/// What every <see cref="Project.StrataProject"/> operation returns: it went ahead, or it was
/// refused before anything ran. Refusals are values of one shape (<see cref="Problem"/>), so a
/// caller handles drift, out-of-order files, a busy lock or a bad folder the same way;
/// exceptions are kept for faults.
/// </summary>
public abstract record OperationResult
{
    /// <summary>
    /// Why nothing ran: every problem of the migration folder (kind BadInput), or the safety gate
    /// that stopped the run (kind Refused: drift, out of order, lock busy). Empty when it went ahead.
    /// </summary>
    public IReadOnlyList<Problem> Refusals { get; init; } = [];

    /// <summary>True when the operation was refused before anything ran.</summary>
    public bool IsRefused => Refusals.Count > 0;

    /// <summary>
    /// Returns this result when the operation went ahead; throws a <see cref="StrataException"/>
    /// carrying every refusal otherwise, its message the paragraphs the CLI prints. For callers
    /// to whom any refusal is fatal (an application migrating at start-up), as
    /// <c>HttpResponseMessage.EnsureSuccessStatusCode</c> is for HTTP.
    /// </summary>
    public virtual OperationResult EnsureSucceeded() => IsRefused ? throw new StrataException(Refusals) : this;
}
