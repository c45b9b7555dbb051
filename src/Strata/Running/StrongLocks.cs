using Strata.Sql;

namespace Strata.Running;

/// <summary>
/// Which existing tables a statement locks in SHARE mode or stronger (SHARE, SHARE ROW
/// EXCLUSIVE, EXCLUSIVE, ACCESS EXCLUSIVE), read from its text before anything runs. These are
/// the locks that conflict with the application's writes (SHARE) or with its reads too (ACCESS
/// EXCLUSIVE): while such a request waits in a table's lock queue, every query that arrives after
/// it waits as well, however quickly the statement itself would finish. Weaker locks (SHARE
/// UPDATE EXCLUSIVE: VALIDATE CONSTRAINT, CREATE INDEX CONCURRENTLY, COMMENT, ANALYZE) conflict
/// with neither, so nothing queues behind them and they are not listed.
/// </summary>
/// <remarks>
/// Conservative where telling would take a parse: every ALTER TABLE is listed except one whose
/// only action is VALIDATE CONSTRAINT. A statement inside a DO block or function is not seen.
/// Names come back ready for <c>to_regclass</c>: every part quoted as PostgreSQL folded it, so
/// <c>"Orders"</c> and <c>audit.events</c> mean what they meant in the file, and an unqualified
/// name resolves through the server's search_path.
/// </remarks>
internal static class StrongLocks
{
    // The statement's own target, when it has one, is locked SHARE or stronger.
    private static readonly HashSet<string> OnTarget = new(StringComparer.Ordinal)
    {
        "ALTER TABLE", "CREATE INDEX", "REINDEX", "CREATE TRIGGER", "ALTER TRIGGER", "DROP TRIGGER", "CREATE RULE", "DROP RULE",
        "CREATE POLICY", "ALTER POLICY", "DROP POLICY", "LOCK", "REFRESH MATERIALIZED VIEW", "CLUSTER",
        "ALTER INDEX", "DROP INDEX", "ALTER MATERIALIZED VIEW", "DROP MATERIALIZED VIEW", "ALTER VIEW", "DROP VIEW",
    };

    // Every name in the list is locked ACCESS EXCLUSIVE: DROP TABLE a, b; TRUNCATE a, b.
    private static readonly HashSet<string> OnList = new(StringComparer.Ordinal) { "DROP TABLE", "TRUNCATE" };

    // What a file creates cannot be busy yet: no other session can have seen it.
    private static readonly HashSet<string> Creates = new(StringComparer.Ordinal) { "CREATE TABLE", "CREATE MATERIALIZED VIEW", "CREATE VIEW" };

    /// <summary>
    /// For each statement, the existing tables it locks strongly; tables (and views) created by an
    /// earlier statement of the same list are left out. Most statements list nothing.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> PerStatement(IReadOnlyList<SqlStatement> statements)
    {
        var created = new HashSet<string>(StringComparer.Ordinal);
        var result = new IReadOnlyList<string>[statements.Count];
        for (var i = 0; i < statements.Count; i++)
        {
            var names = Of(statements[i]).Where(n => !created.Contains(n)).Distinct().ToList();
            result[i] = names;
            if (Creates.Contains(statements[i].Facts.Verb) && statements[i].Facts.Target is not null && Tokens(statements[i]) is { } t)
                created.Add(Quoted(t.ReadNameParts(NameAfterVerb(t))));
        }
        return result;
    }

    /// <summary>The tables statements <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> lock strongly, each once.</summary>
    public static IReadOnlyList<string> Union(IReadOnlyList<IReadOnlyList<string>> perStatement, int from, int count) =>
        [.. perStatement.Skip(from).Take(count).SelectMany(n => n).Distinct()];

    /// <summary>The tables one statement locks strongly, as written (names it creates included).</summary>
    public static IReadOnlyList<string> Of(SqlStatement statement)
    {
        var facts = statement.Facts;
        var verb = facts.Verb;
        // Cheap test first: most statements of a migration are none of these, and need no lexing.
        if (!OnTarget.Contains(verb) && !OnList.Contains(verb) && verb is not ("VACUUM" or "CREATE TABLE")) return [];
        if (facts.Concurrently) return [];
        // A CREATE TABLE locks another table only through a foreign key: the apply benchmark's
        // thousand CREATE TABLEs should not each be lexed a second time to learn they have none.
        if (verb == "CREATE TABLE" && !statement.Text.Contains("REFERENCES", StringComparison.OrdinalIgnoreCase)) return [];
        if (Tokens(statement) is not { } t) return [];
        var names = new List<string>();
        switch (verb)
        {
            case "ALTER TABLE" when OnlyValidates(t):
                break;
            case "LOCK" when WeakLockMode(t):
                break;
            case "VACUUM" when !t.ContainsWords("FULL"):
                break;
            case "VACUUM" or "CLUSTER" or "REINDEX" or "LOCK" or "REFRESH MATERIALIZED VIEW" or "CREATE INDEX" or "CREATE TRIGGER"
                or "ALTER TRIGGER" or "DROP TRIGGER" or "CREATE RULE" or "DROP RULE" or "CREATE POLICY" or "ALTER POLICY" or "DROP POLICY":
                // The table's name as the statement reader found it (after ON, TO, TABLE...).
                if (facts.Target is not null) names.Add(Quoted(FindName(t, facts.Target)));
                break;
            case "CREATE TABLE":
                break;
            default:
                if (OnList.Contains(verb)) names.AddRange(NameList(t));
                else names.Add(Quoted(t.ReadNameParts(NameAfterVerb(t))));
                break;
        }
        // A foreign key locks the table it references SHARE ROW EXCLUSIVE: CREATE TABLE child
        // (... REFERENCES parent) queues behind a long transaction on parent like an ALTER does.
        if (verb is "ALTER TABLE" or "CREATE TABLE")
            for (var i = 0; i < t.Count; i++)
                if (t.IsWord(i, "REFERENCES") && t.ReadNameParts(i + 1) is { Count: > 0 } referenced) names.Add(Quoted(referenced));
        return [.. names.Where(n => n.Length > 0)];
    }

    private static SignificantTokens? Tokens(SqlStatement statement)
    {
        var lexed = SqlLexer.Lex(statement.Text);
        return lexed.Error is null ? new SignificantTokens(statement.Text, lexed.Tokens) : null;
    }

    // ALTER TABLE [IF EXISTS] [ONLY] name VALIDATE CONSTRAINT c, and nothing else (SHARE UPDATE EXCLUSIVE).
    private static bool OnlyValidates(SignificantTokens t)
    {
        var name = NameAfterVerb(t);
        var after = name + t.ReadNameParts(name).Count * 2 - 1;
        return t.IsWord(after, "VALIDATE") && !HasCommaOutsideParentheses(t, after);
    }

    private static bool HasCommaOutsideParentheses(SignificantTokens t, int from)
    {
        var depth = 0;
        for (var i = from; i < t.Count; i++)
        {
            var kind = t.KindAt(i);
            if (kind == SqlTokenKind.OpenParen) depth++;
            else if (kind == SqlTokenKind.CloseParen) depth--;
            else if (kind == SqlTokenKind.Comma && depth == 0) return true;
        }
        return false;
    }

    // LOCK t IN ACCESS SHARE | ROW SHARE | ROW EXCLUSIVE | SHARE UPDATE EXCLUSIVE MODE: the modes that let writers through.
    // Without IN ... MODE, LOCK takes ACCESS EXCLUSIVE.
    private static bool WeakLockMode(SignificantTokens t) =>
        t.ContainsWords("IN", "ACCESS", "SHARE", "MODE") || t.ContainsWords("IN", "ROW", "SHARE", "MODE")
        || t.ContainsWords("IN", "ROW", "EXCLUSIVE", "MODE") || t.ContainsWords("IN", "SHARE", "UPDATE", "EXCLUSIVE", "MODE");

    // The first name after the verb words and the optional IF [NOT] EXISTS / ONLY / CONCURRENTLY.
    private static int NameAfterVerb(SignificantTokens t)
    {
        var i = 0;
        while (t.IsAnyWord(i, "CREATE", "ALTER", "DROP", "TRUNCATE", "UNIQUE", "OR", "REPLACE", "TABLE", "INDEX", "MATERIALIZED", "VIEW", "TEMP", "TEMPORARY",
                   "UNLOGGED", "GLOBAL", "LOCAL", "RECURSIVE")) i++;
        return t.SkipWords(t.SkipExistenceGuard(t.SkipWords(i, "CONCURRENTLY")), "ONLY");
    }

    private static IEnumerable<string> NameList(SignificantTokens t)
    {
        var i = NameAfterVerb(t);
        while (t.ReadNameParts(i) is { Count: > 0 } parts)
        {
            yield return Quoted(parts);
            i += parts.Count * 2 - 1;
            if (i < t.Count && t.TextAt(i) == "*") i++;
            if (t.KindAt(i) != SqlTokenKind.Comma) yield break;
            i = t.SkipWords(i + 1, "ONLY");
        }
    }

    // The parts of the statement's target where they first appear, so that quoting is read from the text.
    private static List<string> FindName(SignificantTokens t, string target)
    {
        for (var i = 0; i < t.Count; i++)
            if (t.ReadNameParts(i) is { Count: > 0 } parts && string.Join('.', parts) == target) return parts;
        return [.. target.Split('.')];
    }

    private static string Quoted(IReadOnlyList<string> parts) =>
        string.Join('.', parts.Select(p => "\"" + p.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
}
