namespace Strata.Sql;

/// <summary>
/// Which statements PostgreSQL refuses inside a transaction block ("cannot run inside a
/// transaction block", SQLSTATE 25001), and which ones control transactions themselves. Checked
/// statement by statement against the PostgreSQL 15 and 17 reference pages and a PostgreSQL 15
/// server; where 17 differs, the rule says so.
/// </summary>
/// <remarks>
/// Some refusals depend on the database, not the text, and cannot be known here: REINDEX TABLE|INDEX
/// and CLUSTER of a partitioned table (each partition gets its own transaction), DROP SUBSCRIPTION of
/// a subscription that still has a replication slot, and CALL or DO of code that commits (refused
/// as 2D000, invalid transaction termination). A file holding one of those needs <c>transaction:false</c>.
/// </remarks>
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
        // PostgreSQL 12+ runs REFRESH MATERIALIZED VIEW CONCURRENTLY in a transaction. DETACH
        // PARTITION ... FINALIZE runs in one too; only DETACH ... CONCURRENTLY is refused.
        "CREATE INDEX" or "DROP INDEX" or "REINDEX" or "ALTER TABLE" when concurrently => false,
        // SCHEMA, DATABASE and SYSTEM reindex each table in a transaction of its own.
        "REINDEX" => !t.IsAnyWord(t.SkipParenthesized(v.Next), "SCHEMA", "DATABASE", "SYSTEM"),
        // DROP SUBSCRIPTION is refused only while the subscription has a slot, which the text cannot
        // tell; outside a transaction block it runs either way.
        "VACUUM" or "ALTER SYSTEM" or "CREATE DATABASE" or "DROP DATABASE" or "CREATE TABLESPACE"
            or "DROP TABLESPACE" or "DROP SUBSCRIPTION" => false,
        // These finish a prepared transaction, not the session's own, and are refused inside a block;
        // being transaction control too, a one-transaction file refuses them before anything runs.
        "COMMIT PREPARED" or "ROLLBACK PREPARED" => false,
        // Creating the replication slot cannot be rolled back. create_slot defaults to connect,
        // which defaults to true.
        "CREATE SUBSCRIPTION" => (BooleanOption(t, "CREATE_SLOT") ?? BooleanOption(t, "CONNECT") ?? true) == false,
        // Only CLUSTER of one table may run in a transaction; CLUSTER alone re-clusters them all.
        "CLUSTER" => target is not null,
        "ALTER DATABASE" => !t.ContainsWords("SET", "TABLESPACE"),
        "ALTER SUBSCRIPTION" => AlterSubscriptionRunsInTransaction(t),
        "DISCARD" => !t.IsWord(v.Next, "ALL"),
        // ALTER TYPE ... ADD VALUE has run in a transaction since PostgreSQL 12; the new value is
        // usable only once that transaction commits, which the server's error then says.
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

    // PostgreSQL 15: REFRESH PUBLICATION, and SET/ADD/DROP PUBLICATION unless WITH (refresh = false).
    // PostgreSQL 17 adds SET (failover = ...) and 18 SET (two_phase = false): both alter the
    // replication slot on the publisher. (On 15 those options do not exist and the statement fails anyway.)
    private static bool AlterSubscriptionRunsInTransaction(SignificantTokens t)
    {
        if (t.ContainsWords("REFRESH", "PUBLICATION")) return false;
        if (t.ContainsWords("SET", "PUBLICATION") || t.ContainsWords("ADD", "PUBLICATION") || t.ContainsWords("DROP", "PUBLICATION"))
            return BooleanOption(t, "REFRESH") == false;
        return BooleanOption(t, "FAILOVER") is null && BooleanOption(t, "TWO_PHASE") != false;
    }

    // A "WITH (name [= value])" option read as PostgreSQL's defGetBoolean reads it: a bare name is
    // true, and false, off and 0 are false. Null when the option is not given.
    private static bool? BooleanOption(SignificantTokens t, string name)
    {
        var depth = 0;
        for (var i = 0; i < t.Count; i++)
        {
            var kind = t.KindAt(i);
            if (kind == SqlTokenKind.OpenParen) depth++;
            else if (kind == SqlTokenKind.CloseParen) depth--;
            else if (depth > 0 && t.IsWord(i, name))
                return !IsFalse(t, t.KindAt(i + 1) == SqlTokenKind.Operator && t.TextAt(i + 1) == "=" ? i + 2 : i + 1);
        }
        return null;
    }

    private static bool IsFalse(SignificantTokens t, int i) =>
        t.IsAnyWord(i, "FALSE", "OFF")
        || (t.KindAt(i) is SqlTokenKind.Number or SqlTokenKind.String && t.TextAt(i).ToUpperInvariant() is "0" or "'FALSE'" or "'OFF'");
}
