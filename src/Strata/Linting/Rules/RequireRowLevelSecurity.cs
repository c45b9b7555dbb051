namespace Strata.Linting.Rules;

/// <summary>
/// In a Supabase project every table in <c>public</c> is reachable through the API with the anon
/// key. A table created there without ENABLE ROW LEVEL SECURITY in the same migration is open to
/// anyone until someone notices; enabling it in the same file closes that window.
/// </summary>
internal sealed class RequireRowLevelSecurity : LintRule
{
    public override string Name => "require-row-level-security";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "Enable row level security on tables created in an exposed schema (public), in the same migration.";
    protected override IReadOnlyList<string> Nodes => ["CreateStmt", "AlterTableStmt"];

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (!statement.Is("CreateStmt", out var create) || statement.Table is not { } table || !create.TryGetProperty("relation", out var relation)) yield break;
        if (ParseTree.Text(relation, "schemaname") is { } schema && schema != "public") yield break;
        if (ParseTree.Text(relation, "relpersistence") == "t") yield break;
        var name = ParseTree.Text(relation, "relname");
        var enabled = context.File.Up.Any(s => s.Is("AlterTableStmt", out var altered) && altered.TryGetProperty("relation", out var relationAltered) && ParseTree.Text(relationAltered, "relname") == name &&
                                              s.AlterCommands.Any(c => c.Subtype is "AT_EnableRowSecurity" or "AT_ForceRowSecurity"));
        if (!enabled)
            yield return At(statement, $"table {table} is created in the exposed schema public without row level security: add ALTER TABLE {table} ENABLE ROW LEVEL SECURITY (and its policies) in this migration.");
    }
}
