namespace Strata.Linting.Rules;

/// <summary>
/// ALTER COLUMN ... TYPE on an existing table takes ACCESS EXCLUSIVE and, for most type changes,
/// rewrites the whole table and its indexes while holding it: reads and writes stop for the
/// duration. Add a new column, backfill it in batches, switch over, drop the old one.
/// </summary>
internal sealed class BanColumnTypeChange : LintRule
{
    public override string Name => "ban-column-type-change";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "Change a column's type with a new column and a backfill, not ALTER COLUMN TYPE.";
    protected override IReadOnlyList<string> Nodes => ["AlterTableStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (statement.NodeType != "AlterTableStmt" || statement.Table is not { } table || context.CreatedInThisFile(table, statement)) yield break;
        foreach (var command in statement.AlterCommandsOf("AT_AlterColumnType"))
        {
            yield return At(statement, $"ALTER COLUMN {ParseTree.Text(command, "name")} TYPE on {table} locks it (ACCESS EXCLUSIVE) and usually rewrites it: " +
                                       "add a column of the new type, backfill it in batches, switch the application, then drop the old one.");
        }
    }
}
