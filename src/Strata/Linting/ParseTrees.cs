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
    /// The statement's node (e.g. <c>{"IndexStmt": {...}}</c>, cloned so it outlives the native
    /// result), and the syntax finding when the parser or the PL/pgSQL compiler rejects it.
    /// </summary>
    public static (JsonElement? Node, RuleHit? Rejection) Parse(SqlStatement statement)
    {
        if (!Available || statement.Text.Contains('\0')) return (null, null);
        using var parse = PgQuery.Parse(statement.Text);
        if (parse.Error is { } error) return (null, Rejected(statement, error, "PostgreSQL's parser rejects this statement"));
        if (parse.Tree is null || !parse.Tree.RootElement.TryGetProperty("stmts", out var stmts) || stmts.GetArrayLength() == 0) return (null, null);
        var node = stmts[0].GetProperty("stmt").Clone();
        if (stmts.GetArrayLength() > 1)
        {
            // The splitter ended the statement too late: what follows is not SQL it could end (a stray "EOF" line).
            var second = stmts[1];
            var at = second.TryGetProperty("stmt_location", out var location) ? PgQuery.LocationToIndex(statement.Text, location.GetInt32()) : 0;
            var (line, column) = statement.PositionToLineColumn(PgParseError.CharacterPosition(statement.Text, at));
            return (node, new RuleHit("two statements without a semicolon between them: end the first with ';'.", line, column));
        }
        return (node, PlpgsqlRejection(statement, node));
    }

    /// <summary>A PL/pgSQL body that does not compile: a RAISE with too few parameters, an undeclared variable, a bad label.</summary>
    private static RuleHit? PlpgsqlRejection(SqlStatement statement, JsonElement node)
    {
        var plpgsql = node.TryGetProperty("DoStmt", out _) ||
                      (node.TryGetProperty("CreateFunctionStmt", out var function) && ParseTree.List(function, "options").Any(o =>
                          o.TryGetProperty("DefElem", out var option) && ParseTree.Text(option, "defname") == "language" &&
                          option.TryGetProperty("arg", out var arg) && arg.TryGetProperty("String", out var language) &&
                          string.Equals(ParseTree.Text(language, "sval"), "plpgsql", StringComparison.OrdinalIgnoreCase)));
        if (!plpgsql) return null;
        using var compiled = PgQuery.ParsePlpgsql(statement.Text);
        return compiled.Error is { } error ? Rejected(statement, error, "the PL/pgSQL body does not compile") : null;
    }

    private static RuleHit Rejected(SqlStatement statement, PgParseError error, string what)
    {
        var (line, column) = error.LineColumn(statement.Text, statement.Line, statement.Column) ?? (statement.Line, statement.Column);
        return new RuleHit($"{what}: {error.Message}{(error.NearLine ? " (position inferred from the compiler's line)" : "")}", line, column);
    }
}
