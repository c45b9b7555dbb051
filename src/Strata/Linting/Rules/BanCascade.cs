namespace Strata.Linting.Rules;

/// <summary>
/// DROP ... CASCADE and TRUNCATE ... CASCADE also drop or empty everything that depends on the
/// object: views, foreign keys, other tables' rows. What goes is decided by the database at run
/// time, not written in the file, and differs between environments whose dependents differ.
/// </summary>
internal sealed class BanCascade : LintRule
{
    public override string Name => "ban-cascade";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "Name what a DROP or TRUNCATE removes instead of CASCADE.";
    protected override IReadOnlyList<string> Nodes => ["DropStmt", "TruncateStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (statement.Is("DropStmt", out var drop) && ParseTree.Text(drop, "behavior") == "DROP_CASCADE")
            yield return At(statement, "DROP ... CASCADE also drops whatever depends on it, decided at run time: drop the dependents by name first, then drop without CASCADE.");
        else if (statement.Is("TruncateStmt", out var truncate) && ParseTree.Text(truncate, "behavior") == "DROP_CASCADE")
            yield return At(statement, "TRUNCATE ... CASCADE also empties every table with a foreign key to it: name the tables to empty instead.");
    }
}
