namespace Strata.Linting.Rules;

/// <summary>
/// ADD UNIQUE or ADD PRIMARY KEY on an existing table builds its index while holding ACCESS
/// EXCLUSIVE. Build the index CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE USING INDEX, which
/// is instant.
/// </summary>
internal sealed class RequireUniqueUsingIndex : LintRule
{
    public override string Name => "require-unique-using-index";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "Add unique and primary key constraints USING INDEX built CONCURRENTLY.";
    protected override IReadOnlyList<string> Nodes => ["AlterTableStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (statement.NodeType != "AlterTableStmt" || statement.Table is not { } table || context.CreatedInThisFile(table, statement)) yield break;
        foreach (var (type, constraint) in statement.AddedConstraints())
        {
            if (type is not ("CONSTR_UNIQUE" or "CONSTR_PRIMARY") || ParseTree.Text(constraint, "indexname") is not null) continue;
            yield return At(statement, $"ADD {(type == "CONSTR_UNIQUE" ? "UNIQUE" : "PRIMARY KEY")} on {table} builds its index under an ACCESS EXCLUSIVE lock: " +
                                       "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... USING INDEX.");
        }
    }
}
