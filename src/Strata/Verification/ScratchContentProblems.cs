namespace Strata.Verification;

/// <summary>
/// The problems of what verify puts on a scratch database before the migrations (the preamble)
/// and of what it checks there afterwards (function bodies), each worded in one place.
/// </summary>
internal static class ScratchContentProblems
{
    private const string PreambleForms = "Write preamble = \"supabase\" for the built-in Supabase preamble, or the path of a .sql file relative to the project folder.";

    public static Problem EmptyPreamble() => new(ProblemKind.BadInput, "empty-preamble",
        "the scratch preamble is empty.", Hint: $"{PreambleForms} To run none, remove the key.");

    public static Problem PreambleNearMiss(string preamble) => new(ProblemKind.BadInput, "unknown-preamble",
        $"the scratch preamble '{preamble}' is neither a built-in preamble nor an existing file.",
        Hint: $"Did you mean the built-in \"{ScratchPreamble.Supabase}\"? Built-in names are lower case, without '.sql'.");

    public static Problem MissingPreamble(string preamble, string path) => new(ProblemKind.BadInput, "missing-preamble",
        $"the scratch preamble '{preamble}' does not exist (looked for {path}).", Hint: PreambleForms);

    public static Problem PreambleIsFolder(string preamble, string path) => new(ProblemKind.BadInput, "preamble-is-folder",
        $"the scratch preamble '{preamble}' is a folder ({path}), not a .sql file.", Hint: PreambleForms);

    public static Problem PreambleNotSql(string preamble) => new(ProblemKind.BadInput, "preamble-not-sql",
        $"the scratch preamble '{preamble}' is not a .sql file.", Hint: PreambleForms);

    public static Problem UnreadablePreamble(string preamble, string reason) => new(ProblemKind.BadInput, "unreadable-preamble",
        $"the scratch preamble '{preamble}' cannot be read: {reason}", Hint: "Give the user running Strata read access to it.");

    /// <summary>
    /// Function bodies went unchecked because plpgsql_check could not be installed. Verify reports
    /// it as a warning and goes on: every other check still holds.
    /// </summary>
    public static Problem FunctionChecksUnavailable(int serverMajorVersion) => new(ProblemKind.BadInput, "plpgsql-check-unavailable",
        "PL/pgSQL function bodies were not checked: the plpgsql_check extension is not available on the scratch server " +
        "(a body's missing tables, columns and functions otherwise show only when it is called).",
        Hint: $"Install it where the server runs (Debian/Ubuntu: apt-get install postgresql-{serverMajorVersion}-plpgsql-check); " +
              "on a server named with --url, verify's role must also be allowed to create it (a superuser).");
}
