using System.Text.Json;
using Strata.Sql;

namespace Strata.Linting;

/// <summary>
/// The SQL a DO block runs when the migration runs: each statement of its PL/pgSQL body
/// (<c>PLpgSQL_stmt_execsql</c>) and each <c>EXECUTE</c> of a constant string, parsed, at its
/// file line. The strategy wraps its phase-3 <c>DROP COLUMN</c> and its guarded changes in DO
/// blocks, and a rule that saw only the DO would miss every one of them. A function body is not
/// read: it runs when the function is called, not when the migration runs.
/// </summary>
internal static class NestedStatements
{
    /// <summary>The statements <paramref name="block"/> (a DO statement with its compiled body) runs; parse trees go to <paramref name="documents"/>.</summary>
    public static List<LintStatement> Of(LintStatement block, List<IDisposable> documents)
    {
        var nested = new List<LintStatement>();
        if (block.NodeType != "DoStmt" || block.Plpgsql is not { } compiled) return nested;
        // PL/pgSQL counts lines from the start of the body string, the line of its opening quote.
        var body = block.Statement.Tokens.FirstOrDefault(t => t.Kind is SqlTokenKind.DollarString or SqlTokenKind.String);
        if (body.Length == 0) return nested;
        var lines = block.Source.Split('\n');
        var firstLine = block.Statement.Line - LineOf(block.Source, block.Statement.Offset);
        foreach (var (lineno, query) in Queries(compiled))
        {
            var line = body.Line + Math.Max(lineno, 1) - 1;
            var split = SqlSplitter.Split(query, line);
            if (split.Error is not null || split.Statements.Count != 1) continue;
            var statement = split.Statements[0];
            var parse = PgQuery.Parse(statement.Text);
            documents.Add(parse);
            if (parse.Error is not null || parse.Tree is null || !parse.Tree.RootElement.TryGetProperty("stmts", out var stmts) || stmts.GetArrayLength() != 1) continue;
            // The column of the statement's first word on its line, so editors point at it.
            var index = line - firstLine;
            var column = index >= 0 && index < lines.Length ? lines[index].IndexOf(query.TrimStart().Split(' ')[0], StringComparison.OrdinalIgnoreCase) + 1 : 0;
            nested.Add(new LintStatement(statement with { Column = Math.Max(column, 1) }, stmts[0].GetProperty("stmt"), query) { Parent = block });
        }
        return nested;
    }

    /// <summary>Every (line, SQL) the compiled body runs directly: its SQL statements and the constant strings it EXECUTEs.</summary>
    private static IEnumerable<(int Line, string Query)> Queries(JsonElement node)
    {
        var found = new List<(int, string)>();
        foreach (var property in ParseTree.Properties(node))
        {
            if (property.Name == "PLpgSQL_stmt_execsql" && Query(property.Value, "sqlstmt") is { } sql)
                found.Add((Line(property.Value), sql));
            else if (property.Name == "PLpgSQL_stmt_dynexecute" && Query(property.Value, "query") is { } expression && Constant(expression) is { } executed)
                found.Add((Line(property.Value), executed));
        }
        return found.OrderBy(f => f.Item1);
    }

    private static string? Query(JsonElement statement, string field) =>
        statement.TryGetProperty(field, out var expression) && expression.TryGetProperty("PLpgSQL_expr", out var expr) ? ParseTree.Text(expr, "query") : null;

    private static int Line(JsonElement statement) => statement.TryGetProperty("lineno", out var lineno) && lineno.ValueKind == JsonValueKind.Number ? lineno.GetInt32() : 1;

    /// <summary>The text of a plain string literal (<c>'DROP TABLE t'</c>); null for anything computed (format(), ||, a variable).</summary>
    private static string? Constant(string expression)
    {
        var text = expression.Trim();
        if (text.Length < 2 || text[0] != '\'' || text[^1] != '\'') return null;
        var inner = text[1..^1];
        // A lone quote inside means two literals joined by something: not one constant.
        if (inner.Replace("''", "", StringComparison.Ordinal).Contains('\'')) return null;
        return inner.Replace("''", "'", StringComparison.Ordinal);
    }

    /// <summary>0-based line of <paramref name="offset"/> in <paramref name="text"/>.</summary>
    private static int LineOf(string text, int offset)
    {
        var line = 0;
        for (var i = 0; i < offset && i < text.Length; i++)
            if (text[i] == '\n') line++;
        return line;
    }
}
