using System.Text.Json;

namespace Strata.Linting.Rules;

/// <summary>
/// One UPDATE over many rows of an existing table holds a lock on every row it changes until it
/// commits, writes a new version of each (doubling the table until vacuum catches up) and sends
/// all of it to the replicas at once. A loop of small batches, each committed, does none of that.
/// Lint cannot know a table's size, so an UPDATE of a table this file did not create is flagged unless
/// it is visibly one batch (a sub-select with LIMIT) or a lookup by id; the reason in a
/// suppression is the place to say the table is small.
/// </summary>
internal sealed class RequireBatchedBackfill : LintRule
{
    public override string Name => "require-batched-backfill";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "Backfill an existing table in batches, not in one UPDATE.";
    protected override IReadOnlyList<string> Nodes => ["UpdateStmt"];

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        // Without a WHERE, require-where has already said it, batching included.
        if (!statement.Is("UpdateStmt", out var update) || statement.Table is not { } table || !update.TryGetProperty("whereClause", out var where)) yield break;
        if (context.CreatedInThisFile(table, statement) || HasLimit(where) || IsIdLookup(where)) yield break;
        yield return At(statement, $"UPDATE of {table} changes every matching row in one transaction: on a large table that locks them all until commit and doubles the table until vacuum. " +
                                   "Batch it (a loop of UPDATE ... WHERE id IN (SELECT id ... LIMIT 1000) with COMMIT between batches, in a transaction:false migration), or suppress it with the table's size as the reason.");
    }

    /// <summary>A LIMIT anywhere in the WHERE: the statement is one batch of a loop.</summary>
    private static bool HasLimit(JsonElement node) => ParseTree.Properties(node).Any(p => p.Name == "limitCount");

    /// <summary><c>id = constant</c> or <c>id IN (constants)</c>: a row or a few, not a backfill.</summary>
    private static bool IsIdLookup(JsonElement where)
    {
        if (!where.TryGetProperty("A_Expr", out var expr) || ParseTree.Text(expr, "kind") is not ({ } kind and ("AEXPR_OP" or "AEXPR_IN"))) return false;
        var name = ParseTree.List(expr, "name").Select(n => n.TryGetProperty("String", out var s) ? ParseTree.Text(s, "sval") : null).LastOrDefault();
        if (name != "=") return false;
        var column = expr.TryGetProperty("lexpr", out var left) && left.TryGetProperty("ColumnRef", out var reference)
            ? ParseTree.List(reference, "fields").Select(f => f.TryGetProperty("String", out var s) ? ParseTree.Text(s, "sval") : null).LastOrDefault()
            : null;
        if (column != "id" || !expr.TryGetProperty("rexpr", out var right)) return false;
        return kind == "AEXPR_OP" ? right.TryGetProperty("A_Const", out _) || right.TryGetProperty("ParamRef", out _)
            : right.TryGetProperty("List", out var list) && ParseTree.List(list, "items").All(i => i.TryGetProperty("A_Const", out _));
    }
}
