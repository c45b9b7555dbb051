namespace Strata.Linting.Rules;

/// <summary>
/// CREATE INDEX / DROP INDEX without CONCURRENTLY on a table that already exists (an earlier
/// migration created it, or nothing in the folder did, so it came from elsewhere): the plain forms
/// hold a SHARE (build) or ACCESS EXCLUSIVE (drop) lock for the whole operation, and writes to a
/// live table stop until it ends. A table the same file creates is empty and unseen.
/// </summary>
internal sealed class RequireConcurrentIndex : LintRule
{
    public override string Name => "require-concurrent-index";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Summary => "Build and drop indexes on existing tables CONCURRENTLY.";
    protected override IReadOnlyList<string> Nodes => ["IndexStmt", "DropStmt"];

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (statement.Is("IndexStmt", out var index))
        {
            var table = ParseTree.Relation(index);
            if (!ParseTree.Flag(index, "concurrent") && table is not null && !context.CreatedInThisFile(table, statement))
                yield return At(statement, $"CREATE INDEX on {table}, an existing table, blocks writes while it builds: use CREATE INDEX CONCURRENTLY (the file then runs statement by statement).");
            yield break;
        }
        if (statement.Is("DropStmt", out var drop))
        {
            if (ParseTree.Text(drop, "removeType") == "OBJECT_INDEX" && !ParseTree.Flag(drop, "concurrent"))
                yield return At(statement, "DROP INDEX takes an ACCESS EXCLUSIVE lock on its table: use DROP INDEX CONCURRENTLY IF EXISTS.");
            yield break;
        }
        if (statement.Node is not null) yield break;
        // Without the parser: the splitter's leading-keyword facts say as much.
        var facts = statement.Facts;
        if (facts.Verb == "CREATE INDEX" && !facts.Concurrently && facts.Target is { } target && !context.CreatedInThisFile(target, statement))
            yield return At(statement, $"CREATE INDEX on {target}, an existing table, blocks writes while it builds: use CREATE INDEX CONCURRENTLY (the file then runs statement by statement).");
        else if (facts.Verb == "DROP INDEX" && !facts.Concurrently)
            yield return At(statement, "DROP INDEX takes an ACCESS EXCLUSIVE lock on its table: use DROP INDEX CONCURRENTLY IF EXISTS.");
    }
}
