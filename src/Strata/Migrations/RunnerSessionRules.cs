using Strata.Sql;

namespace Strata.Migrations;

/// <summary>
/// Statements a migration may not run because they would undo the runner's own session
/// (DESIGN §3: no migration can release the runner's lock or change its timeouts for the next).
/// <c>DISCARD ALL</c> and <c>pg_advisory_unlock_all()</c> release every session advisory lock,
/// the migration lock included, so a second runner could start half-way; <c>RESET ALL</c> drops
/// the lock_timeout and statement_timeout the migration runs under; <c>DEALLOCATE ALL</c> drops the
/// runner's prepared statements. Refused before anything runs.
/// </summary>
internal static class RunnerSessionRules
{
    /// <summary>The problem with <paramref name="statement"/>, or null when it leaves the runner's session alone.</summary>
    public static Problem? Check(string path, SqlStatement statement, string text)
    {
        // The verb is already known; only the word after it needs reading (no string per token on every load).
        var words = statement.Tokens.Where(t => t.Kind == SqlTokenKind.Word).Take(3).ToList();
        // DEALLOCATE [PREPARE] ALL drops the statements the runner prepared for its own bookkeeping
        // (the history row, the event), and the next migration's would fail on them. A file may
        // still PREPARE and DEALLOCATE a statement of its own by name.
        if (statement.Facts.Verb == "DEALLOCATE" && words.Skip(1).SkipWhile(w => Is(w, text, "PREPARE")).FirstOrDefault() is { } what
            && (Is(what, text, "ALL") || what.SpanIn(text).StartsWith("_auto", StringComparison.Ordinal)))
            return MigrationProblems.SessionReset(path, statement.Line, statement.Column, "DEALLOCATE ALL",
                "drops the statements the runner prepared for its history rows");
        if (words.Count >= 2 && Is(words[1], text, "ALL") && statement.Facts.Verb is "DISCARD" or "RESET")
            return statement.Facts.Verb == "DISCARD"
                ? MigrationProblems.SessionReset(path, statement.Line, statement.Column, "DISCARD ALL", "releases the migration lock and resets the timeouts")
                : MigrationProblems.SessionReset(path, statement.Line, statement.Column, "RESET ALL", "resets the lock_timeout and statement_timeout the migration runs under");
        foreach (var token in statement.Tokens)
        {
            if (token.Kind == SqlTokenKind.Word && Is(token, text, "pg_advisory_unlock_all"))
                return MigrationProblems.SessionReset(path, token.Line, token.Column, "pg_advisory_unlock_all()", "releases the migration lock, so another runner could start half-way");
        }
        return null;
    }

    private static bool Is(SqlToken token, string text, string keyword) => token.SpanIn(text).Equals(keyword, StringComparison.OrdinalIgnoreCase);
}
