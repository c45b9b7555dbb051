namespace Strata.Cli;

/// <summary>The one exit-code table (DESIGN §4), and the one place problems become exit codes.</summary>
public static class ExitCodes
{
    public const int Done = 0;
    public const int OperationFailed = 1;
    public const int BadUsage = 2;
    public const int Refused = 3;
    public const int CannotConnect = 4;

    /// <summary>The exit code for a problem of this kind.</summary>
    public static int For(ProblemKind kind) => kind switch
    {
        ProblemKind.OperationFailed => OperationFailed,
        ProblemKind.BadInput => BadUsage,
        ProblemKind.Refused => Refused,
        ProblemKind.CannotConnect => CannotConnect,
        _ => OperationFailed,
    };

    /// <summary>The exit code of the most severe of several problems.</summary>
    public static int For(IReadOnlyList<Problem> problems) => problems.Select(p => For(p.Kind)).Max();
}
