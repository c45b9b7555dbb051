namespace Strata.Sql;

/// <summary>
/// Which statements PostgreSQL refuses inside a transaction block ("cannot run inside a
/// transaction block"), and which ones control transactions themselves.
/// </summary>
internal static class TransactionBlockRules
{
    public static bool IsTransactionControl(string verb) => verb is "BEGIN" or "START TRANSACTION" or "COMMIT" or "END"
        or "ROLLBACK" or "ABORT" or "SAVEPOINT" or "RELEASE" or "PREPARE TRANSACTION" or "COMMIT PREPARED" or "ROLLBACK PREPARED";

    public static bool IsConcurrently(SignificantTokens t, VerbReading v) => v.Verb switch
    {
        "CREATE INDEX" or "DROP INDEX" or "REFRESH MATERIALIZED VIEW" => t.IsWord(v.Next, "CONCURRENTLY"),
        "REINDEX" => ReindexConcurrently(t, v.Next),
        "ALTER TABLE" => t.IndexOfWord("DETACH", v.Next) >= 0 && t.IndexOfWord("CONCURRENTLY", v.Next) >= 0,
        _ => false,
    };

    public static bool RunsInTransaction(SignificantTokens t, VerbReading v, bool concurrently, string? target) => v.Verb switch
    {
        // PostgreSQL 12+ runs REFRESH MATERIALIZED VIEW CONCURRENTLY in a transaction.
        "CREATE INDEX" or "DROP INDEX" or "REINDEX" or "ALTER TABLE" when concurrently => false,
        "REINDEX" => !t.IsAnyWord(t.SkipParenthesized(v.Next), "DATABASE", "SYSTEM"),
        "VACUUM" or "ALTER SYSTEM" or "CREATE DATABASE" or "DROP DATABASE" or "CREATE TABLESPACE"
            or "DROP TABLESPACE" or "CREATE SUBSCRIPTION" or "DROP SUBSCRIPTION" => false,
        // Only CLUSTER of one table may run in a transaction; CLUSTER alone re-clusters them all.
        "CLUSTER" => target is not null,
        "ALTER DATABASE" => !t.ContainsWords("SET", "TABLESPACE"),
        "ALTER SUBSCRIPTION" => AlterSubscriptionRunsInTransaction(t),
        "DISCARD" => !t.IsWord(v.Next, "ALL"),
        _ => true,
    };

    private static bool ReindexConcurrently(SignificantTokens t, int next)
    {
        var afterOptions = t.SkipParenthesized(next);
        for (var i = next; i < afterOptions; i++)
        {
            if (t.IsWord(i, "CONCURRENTLY") && !IsFalse(t, i + 1)) return true;
        }
        return t.IsWord(afterOptions + 1, "CONCURRENTLY");
    }

    // REFRESH PUBLICATION, and SET/ADD/DROP PUBLICATION unless WITH (refresh = false).
    private static bool AlterSubscriptionRunsInTransaction(SignificantTokens t)
    {
        if (t.ContainsWords("REFRESH", "PUBLICATION")) return false;
        if (!t.ContainsWords("SET", "PUBLICATION") && !t.ContainsWords("ADD", "PUBLICATION") && !t.ContainsWords("DROP", "PUBLICATION"))
            return true;
        for (var i = 0; i < t.Count; i++)
        {
            if (t.IsWord(i, "REFRESH"))
            {
                var value = t.KindAt(i + 1) == SqlTokenKind.Operator && t.TextAt(i + 1) == "=" ? i + 2 : i + 1;
                return IsFalse(t, value);
            }
        }
        return false;
    }

    private static bool IsFalse(SignificantTokens t, int i) =>
        t.IsAnyWord(i, "FALSE", "OFF") || (t.KindAt(i) is SqlTokenKind.Number or SqlTokenKind.String && t.TextAt(i) is "0" or "'false'" or "'off'");
}
