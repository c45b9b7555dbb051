using System.Text.Json;

namespace Strata.Linting.Rules;

/// <summary>
/// GET DIAGNOSTICS ... = ROW_COUNT reads the row count of the last SQL statement run by the same
/// PL/pgSQL block. Before the block has run one, it is 0, whatever ran before the block: the
/// strategy's Pattern 4 runs its UPDATE, then a DO block of its own whose log line therefore always
/// says "Migrated 0 expense records". Read from the body as PL/pgSQL compiles it, offline.
/// </summary>
internal sealed class BanOrphanRowCount : LintRule
{
    // Statements after which ROW_COUNT means something.
    private static readonly HashSet<string> RunsSql =
    [
        "PLpgSQL_stmt_execsql", "PLpgSQL_stmt_dynexecute", "PLpgSQL_stmt_perform", "PLpgSQL_stmt_fors", "PLpgSQL_stmt_dynfors",
        "PLpgSQL_stmt_forc", "PLpgSQL_stmt_fetch", "PLpgSQL_stmt_return_query", "PLpgSQL_stmt_call", "PLpgSQL_stmt_open",
    ];

    public override string Name => "ban-orphan-row-count";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Summary => "Read ROW_COUNT in the block that ran the statement, not in a block of its own.";
    protected override IReadOnlyList<string> Nodes => ["DoStmt", "CreateFunctionStmt"];

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (statement.Plpgsql is not { } compiled) yield break;
        foreach (var function in Functions(compiled))
        {
            var sawSql = false;
            if (function.TryGetProperty("action", out var action) && FirstOrphan(action, ref sawSql) is { } line)
                yield return new RuleHit("GET DIAGNOSTICS ... ROW_COUNT runs before any SQL statement of its block, so it always reads 0 " +
                                         "(a statement before the DO block does not count): run the UPDATE inside the same block and read ROW_COUNT right after it.",
                    statement.Line + line - 1, statement.Column);
        }
    }

    private static IEnumerable<JsonElement> Functions(JsonElement root) =>
        (root.ValueKind == JsonValueKind.Array ? root.EnumerateArray() : Enumerable.Repeat(root, 1))
            .Select(f => f.TryGetProperty("PLpgSQL_function", out var body) ? body : default).Where(f => f.ValueKind == JsonValueKind.Object);

    /// <summary>The body line of a ROW_COUNT read that no SQL statement precedes, in execution order, or null.</summary>
    private static int? FirstOrphan(JsonElement node, ref bool sawSql)
    {
        if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in node.EnumerateArray())
                if (FirstOrphan(item, ref sawSql) is { } line) return line;
            return null;
        }
        if (node.ValueKind != JsonValueKind.Object) return null;
        foreach (var property in node.EnumerateObject())
        {
            if (RunsSql.Contains(property.Name)) { sawSql = true; continue; }
            if (property.Name == "PLpgSQL_stmt_getdiag" && !ParseTree.Flag(property.Value, "is_stacked") && !sawSql &&
                ParseTree.List(property.Value, "diag_items").Any(i => i.TryGetProperty("PLpgSQL_diag_item", out var item) && ParseTree.Text(item, "kind") == "ROW_COUNT"))
                return property.Value.TryGetProperty("lineno", out var lineno) ? lineno.GetInt32() : 1;
            if (property.Name is "body" or "action" or "PLpgSQL_stmt_block" || property.Name.StartsWith("PLpgSQL_stmt_", StringComparison.Ordinal) || property.Value.ValueKind == JsonValueKind.Array)
                if (FirstOrphan(property.Value, ref sawSql) is { } line) return line;
        }
        return null;
    }
}
