namespace Strata.Linting.Rules;

/// <summary>The strategy's second principle: always provide rollback SQL. A file without a down section must say it cannot be undone.</summary>
internal sealed class RequireRollback : LintRule
{
    public override string Name => "require-rollback";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "Give every migration a down section, or declare it irreversible.";

    public override IEnumerable<RuleHit> CheckFile(LintFile file, LintContext context)
    {
        if (!file.HasDown && !file.Irreversible && file.Problems.Count == 0 && file.Up.Count > 0)
            yield return new RuleHit("no down section: add '-- migrate:down' with the SQL that undoes the up section, or '-- migrate:down irreversible' if nothing can.", 1, 1);
    }
}
