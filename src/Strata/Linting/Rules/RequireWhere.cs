namespace Strata.Linting.Rules;

/// <summary>UPDATE or DELETE without WHERE changes every row: in a migration that is almost always a mistake, or a backfill that should be batched.</summary>
internal sealed class RequireWhere : LintRule
{
    public override string Name => "require-where";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Summary => "UPDATE and DELETE need a WHERE clause.";
    protected override IReadOnlyList<string> Nodes => ["UpdateStmt", "DeleteStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        foreach (var type in (string[])["UpdateStmt", "DeleteStmt"])
        {
            if (statement.Is(type, out var body) && !body.TryGetProperty("whereClause", out _))
                yield return At(statement, $"{(type == "UpdateStmt" ? "UPDATE" : "DELETE")} of {ParseTree.Relation(body)} has no WHERE and touches every row: add the WHERE it means (WHERE true if it truly means all), or batch a large backfill.");
        }
        if (statement.Node is not null || statement.Facts.Verb is not ("UPDATE" or "DELETE")) yield break;
        var words = statement.Statement.Tokens.Where(t => t.Kind == Sql.SqlTokenKind.Word).Select(statement.TokenText);
        if (!words.Any(w => w.Equals("WHERE", StringComparison.OrdinalIgnoreCase)))
            yield return At(statement, $"{statement.Facts.Verb} of {statement.Facts.Target} has no WHERE and touches every row: add the WHERE it means (WHERE true if it truly means all), or batch a large backfill.");
    }
}
