namespace Strata.Linting.Rules;

/// <summary>
/// SET NOT NULL on an existing table scans every row under ACCESS EXCLUSIVE. Since PostgreSQL 12
/// it skips the scan when a validated CHECK (col IS NOT NULL) already proves it: add the check
/// NOT VALID, VALIDATE it (SHARE UPDATE EXCLUSIVE, writes go on), then SET NOT NULL.
/// </summary>
internal sealed class RequireCheckBeforeSetNotNull : LintRule
{
    public override string Name => "require-check-before-set-not-null";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "SET NOT NULL on an existing table after a validated CHECK, so it needs no scan.";
    protected override IReadOnlyList<string> Nodes => ["AlterTableStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (statement.NodeType != "AlterTableStmt" || statement.Table is not { } table || context.CreatedInThisFile(table, statement)) yield break;
        foreach (var command in statement.AlterCommandsOf("AT_SetNotNull"))
        {
            if (context.ValidatedBefore(table, statement)) continue;
            yield return At(statement, $"SET NOT NULL on {table}.{ParseTree.Text(command, "name")} scans every row under ACCESS EXCLUSIVE: add CHECK ({ParseTree.Text(command, "name")} IS NOT NULL) NOT VALID, " +
                                       "VALIDATE CONSTRAINT it, then SET NOT NULL (PostgreSQL 12+ then skips the scan).");
        }
    }
}
