namespace Strata.Linting.Rules;

/// <summary>
/// varchar(n) and char(n) enforce a length by the type, and raising that length later used to
/// rewrite the table; text with a CHECK (length(...) &lt;= n) enforces the same and changes by
/// replacing the check. char(n) also pads with spaces.
/// </summary>
internal sealed class PreferText : LintRule
{
    public override string Name => "prefer-text";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "Use text with a CHECK on its length, not varchar(n) or char(n).";

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        foreach (var column in ParseTree.ColumnDefinitions(statement))
        {
            var type = ParseTree.TypeName(column);
            var sized = column.TryGetProperty("typeName", out var typeName) && typeName.TryGetProperty("typmods", out _);
            if (type is "bpchar" || (type is "varchar" && sized))
                yield return At(statement, $"column {ParseTree.Text(column, "colname")} is {(type == "bpchar" ? "char(n)" : "varchar(n)")}: use text with CHECK (length({ParseTree.Text(column, "colname")}) <= n).");
        }
    }
}
