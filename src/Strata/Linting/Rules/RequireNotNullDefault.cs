namespace Strata.Linting.Rules;

/// <summary>
/// ADD COLUMN ... NOT NULL without a DEFAULT fails on a table that has rows ("column contains null
/// values"), so the migration passes on an empty development database and fails in production.
/// </summary>
internal sealed class RequireNotNullDefault : LintRule
{
    public override string Name => "require-not-null-default";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "A NOT NULL column added to an existing table needs a DEFAULT.";
    protected override IReadOnlyList<string> Nodes => ["CreateStmt", "AlterTableStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (statement.NodeType != "AlterTableStmt" || statement.Table is not { } table || context.CreatedInThisFile(table, statement)) yield break;
        foreach (var column in statement.ColumnDefinitions)
        {
            var constraints = ParseTree.ConstraintTypes(column).ToList();
            if (constraints.Contains("CONSTR_NOTNULL") && !constraints.Any(c => c is "CONSTR_DEFAULT" or "CONSTR_IDENTITY" or "CONSTR_GENERATED"))
                yield return At(statement, $"ADD COLUMN {ParseTree.Text(column, "colname")} NOT NULL without a DEFAULT fails on {table} as soon as it has rows: add a DEFAULT (a constant is free since PostgreSQL 11), or add it nullable, backfill, then SET NOT NULL after a validated CHECK.");
        }
    }
}
