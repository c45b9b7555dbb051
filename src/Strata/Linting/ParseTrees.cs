using System.Text.Json;
using Strata.Sql;

namespace Strata.Linting;

/// <summary>
/// The statements' parse trees from PostgreSQL's own parser (libpg_query), one statement at a
/// time, so each tree maps to its statement and file position without offset arithmetic. A
/// statement the parser rejects, or a PL/pgSQL body (function, procedure, DO block) that does not
/// compile offline, is a syntax finding at the position the parser gives.
/// </summary>
internal static class ParseTrees
{
    /// <summary>True when libpg_query was loaded; without it lint falls back to the lexer's facts and says so.</summary>
    public static bool Available => PgQuery.IsAvailable;

    /// <summary>
    /// The statement's node (e.g. <c>{"IndexStmt": {...}}</c>, read in place from a document added
    /// to <paramref name="documents"/> for the caller to dispose), and the syntax finding when the parser or the PL/pgSQL compiler rejects it.
    /// </summary>
    public static (JsonElement? Node, RuleHit? Rejection, JsonElement? Plpgsql) Parse(SqlStatement statement, List<IDisposable> documents, bool useParser = true)
    {
        if (!useParser || !Available || statement.Text.Contains('\0')) return (null, null, null);
        var parse = PgQuery.Parse(statement.Text);
        documents.Add(parse);
        if (parse.Error is { } error) return (null, Rejected(statement, error, "PostgreSQL's parser rejects this statement"), null);
        if (parse.Tree is null || !parse.Tree.RootElement.TryGetProperty("stmts", out var stmts) || stmts.GetArrayLength() == 0) return (null, null, null);
        var node = stmts[0].GetProperty("stmt");
        if (stmts.GetArrayLength() > 1)
        {
            // The splitter ended the statement too late: what follows is not SQL it could end (a stray "EOF" line).
            var second = stmts[1];
            var at = second.TryGetProperty("stmt_location", out var location) ? PgQuery.LocationToIndex(statement.Text, location.GetInt32()) : 0;
            var (line, column) = statement.PositionToLineColumn(PgParseError.CharacterPosition(statement.Text, at));
            return (node, new RuleHit("two statements without a semicolon between them: end the first with ';'.", line, column), null);
        }
        var (rejection, plpgsql) = Plpgsql(statement, node, documents);
        return (node, rejection, plpgsql);
    }

    /// <summary>
    /// Parses a whole section in one call and hands each statement its node: a migration's up
    /// section is one parse instead of fifty, and its document is read in place, never copied.
    /// The splitter and PostgreSQL's parser cut statements at the same places; where they do not
    /// agree, or the section does not parse (a syntax error somewhere in it), each statement is
    /// parsed on its own, which also locates the error.
    /// </summary>
    public static (JsonElement? Node, RuleHit? Rejection, JsonElement? Plpgsql)[] ParseSection(IReadOnlyList<SqlStatement> statements, string source,
        List<IDisposable> documents, bool useParser = true)
    {
        var results = new (JsonElement?, RuleHit?, JsonElement?)[statements.Count];
        if (statements.Count == 0) return results;
        if (!useParser || !Available || source.Contains('\0')) return [.. statements.Select(s => Parse(s, documents, useParser))];
        // Nodes are read from the document in place; the caller disposes it once the file is linted.
        var parse = PgQuery.Parse(source);
        documents.Add(parse);
        if (parse.Error is not null || parse.Tree is null || !parse.Tree.RootElement.TryGetProperty("stmts", out var stmts) || stmts.GetArrayLength() != statements.Count)
            return [.. statements.Select(s => Parse(s, documents))];
        // Each statement's UTF-8 offset in the section, walked once, to match the trees' stmt_location.
        var bytes = 0;
        var at = 0;
        var index = 0;
        foreach (var stmt in stmts.EnumerateArray())
        {
            var statement = statements[index];
            for (; at < statement.Offset; at++)
            {
                var c = source[at];
                if (char.IsHighSurrogate(c) && at + 1 < source.Length && char.IsLowSurrogate(source[at + 1])) { bytes += 4; at++; continue; }
                bytes += c switch { < '\u0080' => 1, < '\u0800' => 2, _ => 3 };
            }
            var location = stmt.TryGetProperty("stmt_location", out var l) ? l.GetInt32() : 0;
            var length = stmt.TryGetProperty("stmt_len", out var n) ? n.GetInt32() : 0;
            // stmt_location may include the whitespace and comments before the statement: the statement's start must lie inside.
            if (bytes < location || (length > 0 && bytes >= location + length)) return [.. statements.Select(s => Parse(s, documents))];
            var node = stmt.GetProperty("stmt");
            var (rejection, plpgsql) = Plpgsql(statement, node, documents);
            results[index] = (node, rejection, plpgsql);
            index++;
        }
        return results;
    }

    /// <summary>
    /// A PL/pgSQL body compiled offline: the compiled functions' tree for rules that read bodies,
    /// or the finding when it does not compile (a RAISE with too few parameters, an undeclared
    /// variable, a bad label). Other languages give neither.
    /// </summary>
    private static (RuleHit? Rejection, JsonElement? Plpgsql) Plpgsql(SqlStatement statement, JsonElement node, List<IDisposable> documents)
    {
        var plpgsql = node.TryGetProperty("DoStmt", out _) ||
                      (node.TryGetProperty("CreateFunctionStmt", out var function) && ParseTree.List(function, "options").Any(o =>
                          o.TryGetProperty("DefElem", out var option) && ParseTree.Text(option, "defname") == "language" &&
                          option.TryGetProperty("arg", out var arg) && arg.TryGetProperty("String", out var language) &&
                          string.Equals(ParseTree.Text(language, "sval"), "plpgsql", StringComparison.OrdinalIgnoreCase)));
        if (!plpgsql) return (null, null);
        var compiled = PgQuery.ParsePlpgsql(statement.Text);
        documents.Add(compiled);
        return compiled.Error is { } error
            ? (Rejected(statement, error, "the PL/pgSQL body does not compile"), null)
            : (null, compiled.Tree?.RootElement);
    }

    private static RuleHit Rejected(SqlStatement statement, PgParseError error, string what)
    {
        var (line, column) = error.LineColumn(statement.Text, statement.Line, statement.Column) ?? (statement.Line, statement.Column);
        return new RuleHit($"{what}: {error.Message}{(error.NearLine ? " (position inferred from the compiler's line)" : "")}", line, column) { ByParser = true };
    }
}
