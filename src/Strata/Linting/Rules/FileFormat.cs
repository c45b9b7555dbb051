namespace Strata.Linting.Rules;

/// <summary>
/// What <c>up</c> would refuse in the file itself: a misspelt or misplaced marker, a marker
/// option it does not know, an encoding problem, an empty up section. The message is the same one
/// <c>up</c> gives.
/// </summary>
internal sealed class FileFormat : LintRule
{
    public override string Name => "file-format";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Summary => "The file must be a migration Strata can run: markers, options, encoding.";

    public override IEnumerable<RuleHit> CheckFile(LintFile file, LintContext context) =>
        file.Problems.Where(p => p.Code is not ("sql-syntax" or "invalid-file-name" or "invalid-timestamp"))
            .Select(p => new RuleHit(p.Hint is null ? p.Message : $"{p.Message} {p.Hint}", p.Line ?? 1, p.Column ?? 1));
}
