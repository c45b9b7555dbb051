using System.Text.RegularExpressions;

namespace Strata.Linting.Rules;

/// <summary>
/// A date with a time of day in a data statement (<c>'2025-10-05 14:30:00'</c>) is the moment
/// someone wrote the migration: it selects other rows in each environment, and other rows again
/// when a new database replays the history a year later. The strategy's review checklist says
/// "no hardcoded values (UUIDs, timestamps)". A date alone (<c>'2025-01-01'</c>) is usually a
/// business rule and is not flagged.
/// </summary>
internal sealed partial class BanHardCodedTimestamp : LintRule
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?|UTC)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Timestamp();

    public override string Name => "ban-hard-coded-timestamp";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "No hard-coded points in time in data statements: use now() or an interval.";
    protected override IReadOnlyList<string> Nodes => ["InsertStmt", "UpdateStmt", "DeleteStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (!statement.IsDataStatement) yield break;
        foreach (var (token, text) in statement.StringLiterals())
        {
            if (Timestamp().IsMatch(text.Trim()))
                yield return new RuleHit($"'{text}' is a hard-coded point in time: it selects other rows in each environment and when a new database replays the history. Use now() or an interval (now() - interval '30 days'), or a column of the rows themselves.",
                    token.Line, token.Column);
        }
    }
}
