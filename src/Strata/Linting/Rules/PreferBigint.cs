namespace Strata.Linting.Rules;

/// <summary>
/// A 32-bit integer key runs out at 2,147,483,647, and widening it later is a full rewrite under
/// ACCESS EXCLUSIVE (see ban-column-type-change). bigint costs four bytes more per row.
/// </summary>
internal sealed class PreferBigint : LintRule
{
    private static readonly Dictionary<string, string> Small = new(StringComparer.Ordinal)
    {
        ["int4"] = "integer", ["int2"] = "smallint", ["serial"] = "serial", ["serial4"] = "serial", ["smallserial"] = "smallserial", ["serial2"] = "smallserial",
    };

    public override string Name => "prefer-bigint";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "Use bigint for integer columns, keys above all.";
    protected override IReadOnlyList<string> Nodes => ["CreateStmt", "AlterTableStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        foreach (var column in statement.ColumnDefinitions)
        {
            if (ParseTree.TypeName(column) is { } type && Small.TryGetValue(type, out var written))
                yield return At(statement, $"column {ParseTree.Text(column, "colname")} is {written}: use bigint{(written.EndsWith("serial") ? " GENERATED ALWAYS AS IDENTITY" : "")}; widening a full 32-bit column later rewrites the table.");
        }
    }
}
