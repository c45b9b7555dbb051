namespace Strata.Linting.Rules;

/// <summary>
/// serial creates a sequence with its own owner and grants, which dumps, copies and permission
/// changes handle apart from the table; an identity column is part of the table and standard SQL.
/// </summary>
internal sealed class PreferIdentity : LintRule
{
    public override string Name => "prefer-identity";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "Use GENERATED ... AS IDENTITY, not serial.";
    protected override IReadOnlyList<string> Nodes => ["CreateStmt", "AlterTableStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        foreach (var column in statement.ColumnDefinitions)
        {
            if (ParseTree.TypeName(column) is { } type && (type.EndsWith("serial", StringComparison.Ordinal) || type is "serial2" or "serial4" or "serial8"))
                yield return At(statement, $"column {ParseTree.Text(column, "colname")} is {ParseTree.TypeName(column)}: use bigint GENERATED ALWAYS AS IDENTITY.");
        }
    }
}
