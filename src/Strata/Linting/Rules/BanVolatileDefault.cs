namespace Strata.Linting.Rules;

/// <summary>
/// Since PostgreSQL 11 a column added with a constant (or stable) default costs nothing: the value
/// is stored once in the catalog. A volatile default (random(), gen_random_uuid(), clock_timestamp(),
/// nextval()) must be computed per row, so ADD COLUMN rewrites the whole table under ACCESS
/// EXCLUSIVE. now() and CURRENT_TIMESTAMP are stable: they are not flagged.
/// </summary>
internal sealed class BanVolatileDefault : LintRule
{
    private static readonly HashSet<string> Volatile =
        ["random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "clock_timestamp", "timeofday", "nextval", "statement_timestamp"];

    public override string Name => "ban-volatile-default";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "Add columns to existing tables without a volatile default; backfill instead.";
    protected override IReadOnlyList<string> Nodes => ["AlterTableStmt", "CreateStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (statement.NodeType != "AlterTableStmt" || statement.Table is not { } table || context.CreatedInThisFile(table, statement)) yield break;
        foreach (var column in statement.ColumnDefinitions)
        {
            foreach (var constraint in ParseTree.List(column, "constraints"))
            {
                if (!constraint.TryGetProperty("Constraint", out var c) || ParseTree.Text(c, "contype") != "CONSTR_DEFAULT" || !c.TryGetProperty("raw_expr", out var expr)) continue;
                if (!expr.TryGetProperty("FuncCall", out var call)) continue;
                var function = ParseTree.List(call, "funcname").Select(n => n.TryGetProperty("String", out var s) ? ParseTree.Text(s, "sval") : null).LastOrDefault();
                if (function is not null && Volatile.Contains(function))
                    yield return At(statement, $"ADD COLUMN {ParseTree.Text(column, "colname")} DEFAULT {function}() on {table} rewrites every row under an ACCESS EXCLUSIVE lock (a volatile default is computed per row): " +
                                               "add the column without a default, set the default for new rows (ALTER COLUMN ... SET DEFAULT), and backfill old rows in batches.");
            }
        }
    }
}
