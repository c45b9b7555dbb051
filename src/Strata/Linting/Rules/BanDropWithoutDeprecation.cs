namespace Strata.Linting.Rules;

/// <summary>
/// The strategy's two-phase removal: a column or table is first marked deprecated (a COMMENT whose
/// text starts with DEPRECATED), the application stops using it, and only a later migration, at
/// least the deprecation period after (14 days by default), drops it. A drop without that first
/// phase breaks the running application the moment it commits.
/// </summary>
internal sealed class BanDropWithoutDeprecation : LintRule
{
    public override string Name => "ban-drop-without-deprecation";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Summary => "Drop a column or table only after an earlier migration deprecated it.";
    protected override IReadOnlyList<string> Nodes => ["AlterTableStmt", "DropStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        foreach (var (kind, name) in Drops(statement))
        {
            if (!context.DeprecatedEarlier(name, out var at))
            {
                yield return At(statement, $"{kind} {name} without a deprecation first: mark it with COMMENT ON {kind} {name} IS 'DEPRECATED: ...' in an earlier migration, " +
                                           $"stop using it, and drop it at least {context.Settings.DeprecationPeriod.TotalDays:0} days later.");
            }
            else if (at is { } deprecated && context.File.Timestamp is { } now && now - deprecated < context.Settings.DeprecationPeriod)
            {
                yield return At(statement, $"{kind} {name} only {(now - deprecated).TotalDays:0.#} days after its deprecation ({deprecated:yyyy-MM-dd}): " +
                                           $"wait at least {context.Settings.DeprecationPeriod.TotalDays:0} days, so every deployed version has stopped using it.");
            }
        }
    }

    /// <summary>The columns ("table.column") and tables the statement drops.</summary>
    private static IEnumerable<(string Kind, string Name)> Drops(LintStatement statement)
    {
        if (statement.NodeType == "AlterTableStmt" && statement.Table is { } table)
        {
            foreach (var command in statement.AlterCommandsOf("AT_DropColumn"))
            {
                if (ParseTree.Text(command, "name") is { } column) yield return ("COLUMN", $"{table}.{column}");
            }
        }
        else if (statement.Is("DropStmt", out var drop) && ParseTree.Text(drop, "removeType") == "OBJECT_TABLE")
        {
            foreach (var obj in ParseTree.List(drop, "objects")) yield return ("TABLE", ParseTree.DottedName(obj));
        }
    }
}
