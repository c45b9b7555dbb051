namespace Strata.Verification;

/// <summary>The problems of <c>verify</c>'s own setup, each worded in one place.</summary>
internal static class VerificationProblems
{
    public static Problem CannotCreateScratch(string server, string? sqlState, string message) => new(ProblemKind.BadInput, "cannot-create-scratch",
        $"verify could not create a scratch database on {server}: {sqlState}: {message}",
        Hint: "verify creates and drops its own databases: give --url a server where this user has CREATEDB (never a production server), " +
              "or leave --url out to let verify start a throwaway cluster of its own.");
}
