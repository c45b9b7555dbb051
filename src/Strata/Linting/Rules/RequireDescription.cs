namespace Strata.Linting.Rules;

/// <summary>The checklist's "description comment": the first comment line says what the migration does and why; it becomes the history row's description.</summary>
internal sealed class RequireDescription : LintRule
{
    public override string Name => "require-description";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "Start the file with a comment that says what it does.";

    public override IEnumerable<RuleHit> CheckFile(LintFile file, LintContext context)
    {
        if (file.Description is null && file.Problems.Count == 0)
            yield return new RuleHit("the file has no description comment: start it with '-- What this migration does (and why)'; it is recorded in the history.", 1, 1);
    }
}
