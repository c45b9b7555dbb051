namespace Strata.Linting.Rules;

/// <summary>
/// Migrations are named YYYYMMDDHHMMSS_snake_case.sql with a real UTC time: the timestamp orders
/// them. lint reads every .sql file it is given, so a name outside the convention is a finding,
/// where <c>up</c> would refuse the folder.
/// </summary>
internal sealed class FileName : LintRule
{
    public override string Name => "file-name";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Summary => "Name files YYYYMMDDHHMMSS_description.sql with a real UTC timestamp.";

    public override IEnumerable<RuleHit> CheckFile(LintFile file, LintContext context) =>
        file.Problems.Where(p => p.Code is "invalid-file-name" or "invalid-timestamp").Select(p => new RuleHit($"{p.Message} {p.Hint}", 1, 1));
}
