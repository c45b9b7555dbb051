namespace Strata.Sql;

/// <summary>A statement's normalised verb, where its words start and the index just past them.</summary>
internal readonly record struct VerbReading(string Verb, int Start, int Next, bool OrReplace);

/// <summary>Reads the leading keywords that say what kind of statement this is.</summary>
internal static class VerbReader
{
    // Object kinds spelled with more than one word, after CREATE/ALTER/DROP/COMMENT ON/GRANT ON.
    private static readonly string[][] ObjectPhrases =
    [
        ["MATERIALIZED", "VIEW"], ["FOREIGN", "DATA", "WRAPPER"], ["FOREIGN", "TABLE"], ["FOREIGN", "SERVER"],
        ["EVENT", "TRIGGER"], ["TEXT", "SEARCH", "CONFIGURATION"], ["TEXT", "SEARCH", "DICTIONARY"],
        ["TEXT", "SEARCH", "PARSER"], ["TEXT", "SEARCH", "TEMPLATE"], ["USER", "MAPPING"],
        ["OPERATOR", "CLASS"], ["OPERATOR", "FAMILY"], ["ACCESS", "METHOD"], ["DEFAULT", "PRIVILEGES"],
        ["LARGE", "OBJECT"],
    ];

    private static readonly string[][] StatementPhrases =
    [
        ["START", "TRANSACTION"], ["PREPARE", "TRANSACTION"], ["COMMIT", "PREPARED"], ["ROLLBACK", "PREPARED"],
        ["REFRESH", "MATERIALIZED", "VIEW"], ["IMPORT", "FOREIGN", "SCHEMA"], ["REASSIGN", "OWNED"],
        ["SECURITY", "LABEL"],
    ];

    // Words between CREATE and the object kind that do not change which kind of object it is.
    private static readonly string[] CreateModifiers =
        ["UNIQUE", "TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "RECURSIVE", "TRUSTED", "PROCEDURAL", "CONSTRAINT", "DEFAULT"];

    public static VerbReading Read(SignificantTokens t)
    {
        var start = 0;
        while (t.KindAt(start) == SqlTokenKind.OpenParen) start++;
        if (t.IsWord(start, "WITH")) start = MainVerbOfWith(t, start);

        var first = t.UpperWordAt(start);
        switch (first)
        {
            case null:
                return new VerbReading("", start, start, false);
            case "CREATE":
                var i = start + 1;
                var orReplace = t.IsWord(i, "OR") && t.IsWord(i + 1, "REPLACE");
                i = t.SkipWords(orReplace ? i + 2 : i, CreateModifiers);
                return ObjectVerb(first, t, start, i, orReplace);
            case "ALTER" or "DROP":
                return ObjectVerb(first, t, start, start + 1, false);
        }

        foreach (var phrase in StatementPhrases)
        {
            if (Matches(t, start, phrase)) return new VerbReading(string.Join(' ', phrase), start, start + phrase.Length, false);
        }
        return new VerbReading(first, start, start + 1, false);
    }

    /// <summary>The number of words in the object kind at i ("MATERIALIZED VIEW" is 2), 0 when no word.</summary>
    public static int ObjectKindLength(SignificantTokens t, int i)
    {
        foreach (var phrase in ObjectPhrases)
        {
            if (Matches(t, i, phrase)) return phrase.Length;
        }
        return t.KindAt(i) == SqlTokenKind.Word ? 1 : 0;
    }

    private static VerbReading ObjectVerb(string head, SignificantTokens t, int start, int i, bool orReplace)
    {
        var length = ObjectKindLength(t, i);
        if (length == 0) return new VerbReading(head, start, i, orReplace);
        var words = new string[length + 1];
        words[0] = head;
        for (var k = 0; k < length; k++) words[k + 1] = t.UpperWordAt(i + k)!;
        return new VerbReading(string.Join(' ', words), start, i + length, orReplace);
    }

    // WITH a AS (...), b AS (...) INSERT ...: the main statement is the first verb that follows
    // a closing parenthesis outside all parentheses.
    private static int MainVerbOfWith(SignificantTokens t, int with)
    {
        var depth = 0;
        for (var i = with + 1; i < t.Count; i++)
        {
            var kind = t.KindAt(i);
            if (kind == SqlTokenKind.OpenParen)
            {
                depth++;
            }
            else if (kind == SqlTokenKind.CloseParen)
            {
                depth--;
            }
            else if (depth == 0 && t.KindAt(i - 1) == SqlTokenKind.CloseParen
                && t.IsAnyWord(i, "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "TABLE"))
            {
                return i;
            }
        }
        return with;
    }

    private static bool Matches(SignificantTokens t, int i, string[] phrase)
    {
        for (var k = 0; k < phrase.Length; k++)
        {
            if (!t.IsWord(i + k, phrase[k])) return false;
        }
        return true;
    }
}
