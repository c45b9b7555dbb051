using System.Text.RegularExpressions;

namespace Strata.Linting.Rules;

/// <summary>
/// An email address in a data statement is one person's row: a migration that changes it is a
/// support fix shipped as a schema change. It runs in every environment, where that person is
/// someone else or nobody, and it stays in the history for every new database. The strategy's
/// checklist says "no hardcoded UUIDs or user-specific data".
/// </summary>
internal sealed partial class BanUserSpecificLiteral : LintRule
{
    [GeneratedRegex(@"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$")]
    private static partial Regex Email();

    public override string Name => "ban-user-specific-literal";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "No one user's data (an email address) in a data statement.";
    protected override IReadOnlyList<string> Nodes => ["InsertStmt", "UpdateStmt", "DeleteStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (!statement.IsDataStatement) yield break;
        foreach (var (token, text) in statement.StringLiterals())
        {
            if (Email().IsMatch(text))
                yield return new RuleHit($"'{text}' is one user's data: a migration runs in every environment and on every new database. Fix one user's rows with a reviewed one-off script, not a migration; or write the change for every row it applies to.",
                    token.Line, token.Column);
        }
    }
}
