namespace Strata.Verification;

/// <summary>The problems of <c>verify</c>'s own setup, each worded in one place.</summary>
internal static class VerificationProblems
{
    public static Problem CannotCreateScratch(string server, string? sqlState, string message) => new(ProblemKind.BadInput, "cannot-create-scratch",
        $"verify could not create a scratch database on {server}: {sqlState}: {message}",
        Hint: "verify creates and drops its own databases: give --url a server where this user has CREATEDB (never a production server), " +
              "or leave --url out to let verify start a throwaway cluster of its own.");

    public static Problem PreambleFailed(int? line, string sqlState, string message) => new(ProblemKind.BadInput, "preamble-failed",
        $"the scratch preamble failed{(line is null ? "" : $" at its line {line}")}: {sqlState}: {message}",
        Hint: "Fix the preamble file named by [scratch] preamble in strata.toml (it runs on every scratch database before the migrations).");
}
