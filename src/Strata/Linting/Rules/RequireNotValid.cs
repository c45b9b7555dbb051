namespace Strata.Linting.Rules;

/// <summary>
/// ADD FOREIGN KEY or ADD CHECK on an existing table scans every row to validate it while holding
/// a lock that blocks writes (SHARE ROW EXCLUSIVE for a foreign key, ACCESS EXCLUSIVE for a check).
/// Add it NOT VALID (instant), then VALIDATE CONSTRAINT in a later statement, which only takes
/// SHARE UPDATE EXCLUSIVE.
/// </summary>
internal sealed class RequireNotValid : LintRule
{
    public override string Name => "require-not-valid";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "Add foreign keys and checks to existing tables NOT VALID, then VALIDATE.";
    protected override IReadOnlyList<string> Nodes => ["AlterTableStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (statement.NodeType != "AlterTableStmt" || statement.Table is not { } table || context.CreatedInThisFile(table, statement)) yield break;
        foreach (var (type, constraint) in statement.AddedConstraints())
        {
            if (type is not ("CONSTR_FOREIGN" or "CONSTR_CHECK") || ParseTree.Flag(constraint, "skip_validation")) continue;
            yield return At(statement, $"ADD {(type == "CONSTR_FOREIGN" ? "FOREIGN KEY" : "CHECK")} on {table} checks every row while blocking writes: " +
                                       "add it NOT VALID, then ALTER TABLE ... VALIDATE CONSTRAINT in a later statement.");
        }
    }
}
