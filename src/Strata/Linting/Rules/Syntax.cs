namespace Strata.Linting.Rules;

/// <summary>
/// SQL that does not parse: a statement PostgreSQL's parser rejects, an unterminated string or
/// dollar-quoted body, a stray shell line (<c>EOF</c>) or a psql meta-command. Each is a finding
/// with its line and column, and linting goes on with the rest of the file.
/// </summary>
internal sealed class Syntax : LintRule
{
    public override string Name => "syntax";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Summary => "Every statement must parse.";

    public override IEnumerable<RuleHit> CheckFile(LintFile file, LintContext context) =>
        file.Problems.Where(p => p.Code == "sql-syntax").Select(p => new RuleHit(p.Message, p.Line ?? 1, p.Column ?? 1));
}
