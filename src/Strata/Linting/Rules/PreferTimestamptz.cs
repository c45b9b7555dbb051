namespace Strata.Linting.Rules;

/// <summary>timestamp without time zone stores wall-clock time with no zone: values written from servers in different zones cannot be compared.</summary>
internal sealed class PreferTimestamptz : LintRule
{
    public override string Name => "prefer-timestamptz";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "Use timestamptz, not timestamp without time zone.";
    protected override IReadOnlyList<string> Nodes => ["CreateStmt", "AlterTableStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        var columns = statement.Is("CreateStmt", out var create)
            ? ParseTree.List(create, "tableElts")
            : statement.Is("AlterTableStmt", out var alter)
                ? ParseTree.List(alter, "cmds").Select(c => c.TryGetProperty("AlterTableCmd", out var cmd) && cmd.TryGetProperty("def", out var def) ? def : default)
                : [];
        foreach (var element in columns)
        {
            if (element.ValueKind != System.Text.Json.JsonValueKind.Object || !element.TryGetProperty("ColumnDef", out var column)) continue;
            if (ParseTree.TypeName(column) == "timestamp")
                yield return At(statement, $"column {ParseTree.Text(column, "colname")} is timestamp without time zone: use timestamptz, which stores an instant.");
        }
    }
}
