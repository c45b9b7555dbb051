namespace Strata;

/// <summary>
/// What kind of trouble a <see cref="Problem"/> is. The CLI maps each kind to one exit code
/// (DESIGN §4); nothing in the library exits the process.
/// </summary>
public enum ProblemKind
{
    /// <summary>An operation ran and failed: a migration's SQL, a verification.</summary>
    OperationFailed,
    /// <summary>Bad usage, configuration or input file: nothing was attempted.</summary>
    BadInput,
    /// <summary>A safety gate refused: drift, out of order, lock busy.</summary>
    Refused,
    /// <summary>The database server could not be reached or refused the login.</summary>
    CannotConnect,
}

/// <summary>
/// One clear, one-paragraph account of something that went wrong: what, where (file, line,
/// column) and what to do. Made by named factories so the same mistake always reads the same.
/// </summary>
public sealed record Problem(
    ProblemKind Kind,
    string Code,
    string Message,
    string? File = null,
    int? Line = null,
    int? Column = null,
    string? Hint = null)
{
    /// <summary>"file:line:column: " or empty when the problem has no location.</summary>
    public string Location => File is null
        ? ""
        : Line is null ? $"{File}: " : Column is null ? $"{File}:{Line}: " : $"{File}:{Line}:{Column}: ";

    /// <summary>The whole paragraph: location, message and hint.</summary>
    public override string ToString() => Hint is null ? $"{Location}{Message}" : $"{Location}{Message} {Hint}";
}

/// <summary>
/// Carries a <see cref="Problem"/> out of code that cannot return it as a value (deep in a
/// parse, or in a connection open), and carries a refused or failed operation to a caller that
/// asked for an exception (<see cref="OperationResult.EnsureSucceeded"/>). The CLI catches exactly
/// this type and renders the problem; the message is the paragraph the CLI prints after
/// <c>error: </c>, one per problem.
/// </summary>
public sealed class StrataException : Exception
{
    /// <summary>Carries one problem; the message is its paragraph.</summary>
    public StrataException(Problem problem) : this([problem]) { }

    /// <summary>Carries every problem of a refusal (a bad folder reports all its files at once); the first is <see cref="Problem"/>.</summary>
    public StrataException(IReadOnlyList<Problem> problems) : base(Describe(problems))
    {
        Problems = problems;
        Problem = problems[0];
    }

    /// <summary>The problem to render: the only one, or the first of <see cref="Problems"/>.</summary>
    public Problem Problem { get; }

    /// <summary>Every problem, in the order the operation reported them.</summary>
    public IReadOnlyList<Problem> Problems { get; }

    // The same lines the CLI writes to stderr, so a log of an application that migrates itself
    // reads like a CI log of 'strata up'.
    private static string Describe(IReadOnlyList<Problem> problems)
    {
        if (problems.Count == 0) throw new ArgumentException("A StrataException carries at least one problem.", nameof(problems));
        return problems.Count == 1
            ? problems[0].ToString()
            : string.Join("\n", problems.Select(p => p.ToString())) + $"\n{problems.Count} problems; nothing was changed.";
    }
}
