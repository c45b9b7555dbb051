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
/// parse, or in a connection open). The CLI catches exactly this type and renders the problem.
/// </summary>
public sealed class StrataException(Problem problem) : Exception(problem.ToString())
{
    /// <summary>The problem to render.</summary>
    public Problem Problem { get; } = problem;
}
