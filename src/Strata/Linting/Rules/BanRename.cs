namespace Strata.Linting.Rules;

/// <summary>
/// Renaming a column or table breaks every deployed version that still uses the old name. The
/// strategy's three-phase pattern adds the new column, moves the application to it, and drops the
/// old one later.
/// </summary>
internal sealed class BanRename : LintRule
{
    public override string Name => "ban-rename";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "Rename columns and tables in three phases, not with RENAME.";
    protected override IReadOnlyList<string> Nodes => ["RenameStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (!statement.Is("RenameStmt", out var rename)) yield break;
        var type = ParseTree.Text(rename, "renameType");
        if (type is not ("OBJECT_COLUMN" or "OBJECT_TABLE")) yield break;
        var what = type == "OBJECT_COLUMN" ? $"column {ParseTree.Relation(rename)}.{ParseTree.Text(rename, "subname")}" : $"table {ParseTree.Relation(rename)}";
        yield return At(statement, $"renaming {what} to {ParseTree.Text(rename, "newname")} breaks the application versions still running: add the new name, " +
                                   "move the application to it, and drop the old one in a later migration (the strategy's three-phase rename).");
    }
}
