namespace Strata.Linting.Rules;

/// <summary>
/// The strategy's files end with their own INSERT INTO schema_versions. Strata records every
/// migration itself, in the same transaction, with checksum and metadata, and its record wins,
/// so the hand-written INSERT is redundant (and one more thing to get wrong).
/// </summary>
internal sealed class BanSelfRecordingInsert : LintRule
{
    public override string Name => "ban-self-recording-insert";
    public override Severity DefaultSeverity => Severity.Info;
    public override string Summary => "No hand-written INSERT INTO the history table: Strata records each migration.";
    protected override IReadOnlyList<string> Nodes => ["InsertStmt"];

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        var target = statement.Is("InsertStmt", out var insert) ? ParseTree.Relation(insert) : statement.Node is null && statement.Facts.Verb == "INSERT" ? statement.Facts.Target : null;
        if (target is null || !context.Settings.IsHistoryTable(target)) yield break;
        yield return At(statement, $"INSERT INTO {target} is redundant: Strata records this migration itself, in the same transaction. Remove it when the file no longer needs to run without Strata.");
    }
}
