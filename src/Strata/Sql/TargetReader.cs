namespace Strata.Sql;

/// <summary>Finds the name of the object a statement is mainly about.</summary>
internal static class TargetReader
{
    public static string? Read(SignificantTokens t, VerbReading v)
    {
        var next = v.Next;
        switch (v.Verb)
        {
            case "CREATE INDEX" or "CREATE POLICY" or "CREATE TRIGGER"
                or "ALTER POLICY" or "ALTER TRIGGER" or "DROP POLICY" or "DROP TRIGGER" or "DROP RULE":
                return NameAfterOn(t, next);
            case "CREATE RULE":
                // CREATE RULE r AS ON INSERT TO t: the table follows TO, not ON.
                var to = t.IndexOfWord("TO", next);
                return to < 0 ? null : t.ReadName(t.SkipWords(to + 1, "ONLY"));
            case "ALTER DEFAULT PRIVILEGES" or "ALTER SYSTEM" or "DROP OWNED" or "REASSIGN OWNED"
                or "CREATE USER MAPPING" or "ALTER USER MAPPING" or "DROP USER MAPPING":
                return null;
            case "INSERT" or "MERGE":
                return t.ReadName(t.SkipWords(next, "INTO"));
            case "UPDATE":
                return t.ReadName(t.SkipWords(next, "ONLY"));
            case "DELETE":
                return t.ReadName(t.SkipWords(next, "FROM", "ONLY"));
            case "TRUNCATE" or "LOCK":
                return t.ReadName(t.SkipWords(next, "TABLE", "ONLY"));
            case "COPY":
                return t.ReadName(next);
            case "ANALYZE" or "ANALYSE" or "VACUUM":
                return t.ReadName(SkipOptions(t, next, "VERBOSE", "FULL", "FREEZE", "ANALYZE", "ANALYSE", "SKIP_LOCKED"));
            case "CLUSTER":
                return t.ReadName(SkipOptions(t, next, "VERBOSE"));
            case "REINDEX":
                var kind = t.SkipParenthesized(next);
                return t.ReadName(t.SkipWords(kind + 1, "CONCURRENTLY"));
            case "REFRESH MATERIALIZED VIEW":
                return t.ReadName(t.SkipWords(next, "CONCURRENTLY"));
            case "COMMENT" or "SECURITY LABEL":
                return CommentTarget(t, v);
            case "GRANT" or "REVOKE":
                return GrantTarget(t, next);
        }

        if (v.Verb.StartsWith("CREATE ", StringComparison.Ordinal)
            || v.Verb.StartsWith("ALTER ", StringComparison.Ordinal)
            || v.Verb.StartsWith("DROP ", StringComparison.Ordinal))
        {
            var i = t.SkipWords(next, "CONCURRENTLY");
            return t.ReadName(t.SkipWords(t.SkipExistenceGuard(i), "ONLY"));
        }
        return null;
    }

    private static string? NameAfterOn(SignificantTokens t, int from)
    {
        var on = t.IndexOfWord("ON", from);
        return on < 0 ? null : t.ReadName(t.SkipWords(on + 1, "ONLY", "DOMAIN"));
    }

    private static int SkipOptions(SignificantTokens t, int i, params ReadOnlySpan<string> words)
    {
        int before;
        do
        {
            before = i;
            i = t.SkipParenthesized(t.SkipWords(i, words));
        }
        while (i != before);
        return i;
    }

    // COMMENT ON COLUMN t.c names the column's table; COMMENT ON CONSTRAINT c ON t names t.
    private static string? CommentTarget(SignificantTokens t, VerbReading v)
    {
        var on = t.IndexOfWord("ON", v.Next);
        if (on < 0) return null;
        var kindStart = on + 1;
        var length = VerbReader.ObjectKindLength(t, kindStart);
        if (t.IsAnyWord(kindStart, "CONSTRAINT", "POLICY", "TRIGGER", "RULE")) return NameAfterOn(t, kindStart + 2);
        var parts = t.ReadNameParts(kindStart + length);
        if (t.IsWord(kindStart, "COLUMN") && parts.Count > 1) parts.RemoveAt(parts.Count - 1);
        return parts.Count == 0 ? null : string.Join('.', parts);
    }

    private static string? GrantTarget(SignificantTokens t, int next)
    {
        var on = t.IndexOfWord("ON", next);
        if (on < 0 || t.IsWord(on + 1, "ALL")) return null;
        var i = on + 1;
        if (t.IsAnyWord(i, "TABLE", "SEQUENCE", "DATABASE", "DOMAIN", "FUNCTION", "PROCEDURE", "ROUTINE",
                "LANGUAGE", "SCHEMA", "TABLESPACE", "TYPE", "PARAMETER", "FOREIGN", "LARGE"))
        {
            i += VerbReader.ObjectKindLength(t, i);
        }
        return t.ReadName(i);
    }
}
