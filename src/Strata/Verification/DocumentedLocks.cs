using Strata.Sql;

namespace Strata.Verification;

/// <summary>
/// The table locks PostgreSQL's documentation gives for the statements that run outside a
/// transaction, whose locks are released before anyone can look at <c>pg_locks</c>: the
/// reference pages of CREATE INDEX, DROP INDEX, REINDEX, VACUUM, CLUSTER and ALTER TABLE.
/// </summary>
/// <remarks>
/// A statement that names no table (VACUUM or REINDEX of a whole schema or database) gets no
/// documented lock, except that VACUUM FULL and CLUSTER take ACCESS EXCLUSIVE on each table they
/// process, and those are exactly the tables they rewrite.
/// </remarks>
internal static class DocumentedLocks
{
    public static IEnumerable<(CatalogRelation Relation, string Mode)> For(SqlStatement statement, RelationCatalog before,
        IReadOnlyList<string> searchPath, IReadOnlyList<CatalogRelation> rewritten)
    {
        var facts = statement.Facts;
        var target = facts.Target is { } name ? before.Resolve(name, searchPath) : null;
        switch (facts.Verb)
        {
            // "The index is built/dropped/rebuilt without taking any locks that prevent concurrent
            // inserts, updates, or deletes on the table": SHARE UPDATE EXCLUSIVE on the table. The
            // target of CREATE INDEX is the table; of DROP INDEX and REINDEX INDEX, the index.
            case "CREATE INDEX" or "DROP INDEX" when facts.Concurrently:
                if (TableOf(target, before) is { } indexed) yield return (indexed, LockModes.ShareUpdateExclusive);
                break;
            case "REINDEX" when facts.Concurrently && NamesOneRelation(Tokens(statement)):
                if (TableOf(target, before) is { } reindexed) yield return (reindexed, LockModes.ShareUpdateExclusive);
                break;
            // Plain VACUUM takes SHARE UPDATE EXCLUSIVE; FULL rewrites each table under ACCESS EXCLUSIVE.
            case "VACUUM" when !IsFull(Tokens(statement)):
                if (target is not null) yield return (target, LockModes.ShareUpdateExclusive);
                break;
            case "VACUUM" or "CLUSTER":
                foreach (var table in rewritten) yield return (table, LockModes.AccessExclusive);
                break;
            // DETACH PARTITION ... CONCURRENTLY: SHARE UPDATE EXCLUSIVE on the parent throughout;
            // its second transaction takes ACCESS EXCLUSIVE on the partition.
            case "ALTER TABLE" when facts.Concurrently:
                if (target is not null) yield return (target, LockModes.ShareUpdateExclusive);
                if (DetachedPartition(Tokens(statement)) is { } partition && before.Resolve(partition, searchPath) is { } detached)
                    yield return (detached, LockModes.AccessExclusive);
                break;
        }
    }

    private static CatalogRelation? TableOf(CatalogRelation? relation, RelationCatalog catalog) =>
        relation is { Kind: 'i' or 'I' } ? catalog.Find(relation.IndexedTable) : relation;

    // The statement re-read on its own, so that the tokens index its text.
    private static SignificantTokens Tokens(SqlStatement statement) =>
        new(statement.Text, SqlSplitter.Split(statement.Text).Statements[0].Tokens);

    // REINDEX [(options)] INDEX|TABLE name; SCHEMA, DATABASE and SYSTEM name no relation.
    private static bool NamesOneRelation(SignificantTokens t) => t.IsAnyWord(t.SkipParenthesized(1), "INDEX", "TABLE");

    // VACUUM FULL t, or VACUUM (FULL [true]) t; not (FULL false).
    private static bool IsFull(SignificantTokens t)
    {
        for (var i = 1; i < t.Count; i++)
        {
            if (t.IsWord(i, "FULL")) return !t.IsAnyWord(i + 1, "FALSE", "OFF");
        }
        return false;
    }

    private static string? DetachedPartition(SignificantTokens t)
    {
        var detach = t.IndexOfWord("DETACH", 1);
        return detach < 0 ? null : t.ReadName(t.IndexOfWord("PARTITION", detach) + 1);
    }
}
