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

    public static bool RunsInTransaction(SignificantTokens t, VerbReading v, bool concurrently, string? target)
    {
        switch (v.Verb)
        {
            // PostgreSQL 12+ runs REFRESH MATERIALIZED VIEW CONCURRENTLY in a transaction.
            case "CREATE INDEX" or "DROP INDEX" or "REINDEX" or "ALTER TABLE" when concurrently:
                return false;
            case "REINDEX":
                return !t.IsAnyWord(t.SkipParenthesized(v.Next), "DATABASE", "SYSTEM");
            case "VACUUM" or "ALTER SYSTEM" or "CREATE DATABASE" or "DROP DATABASE" or "CREATE TABLESPACE"
                or "DROP TABLESPACE" or "CREATE SUBSCRIPTION" or "DROP SUBSCRIPTION":
                return false;
            case "CLUSTER":
                // Only CLUSTER of one table may run in a transaction; CLUSTER alone re-clusters them all.
                return target is not null;
            case "ALTER DATABASE":
                return !t.ContainsWords("SET", "TABLESPACE");
            case "ALTER SUBSCRIPTION":
                return AlterSubscriptionRunsInTransaction(t);
            case "DISCARD":
                return !t.IsWord(v.Next, "ALL");
            default:
                return true;
        }
    }

    private static bool ReindexConcurrently(SignificantTokens t, int next)
    {
        int afterOptions = t.SkipParenthesized(next);
        for (int i = next; i < afterOptions; i++)
        {
            if (t.IsWord(i, "CONCURRENTLY") && !IsFalse(t, i + 1))
            {
                return true;
            }
        }

        return t.IsWord(afterOptions + 1, "CONCURRENTLY");
    }

    // REFRESH PUBLICATION, and SET/ADD/DROP PUBLICATION unless WITH (refresh = false).
    private static bool AlterSubscriptionRunsInTransaction(SignificantTokens t)
    {
        if (t.ContainsWords("REFRESH", "PUBLICATION"))
        {
            return false;
        }

        if (!t.ContainsWords("SET", "PUBLICATION") && !t.ContainsWords("ADD", "PUBLICATION") && !t.ContainsWords("DROP", "PUBLICATION"))
        {
            return true;
        }

        for (int i = 0; i < t.Count; i++)
        {
            if (t.IsWord(i, "REFRESH"))
            {
                int value = t.KindAt(i + 1) == SqlTokenKind.Operator && t.TextAt(i + 1) == "=" ? i + 2 : i + 1;
                return IsFalse(t, value);
            }
        }

        return false;
    }

    private static bool IsFalse(SignificantTokens t, int i) =>
        t.IsAnyWord(i, "FALSE", "OFF") || (t.KindAt(i) is SqlTokenKind.Number or SqlTokenKind.String && t.TextAt(i) is "0" or "'false'" or "'off'");
}
