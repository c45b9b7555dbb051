using System.Text.RegularExpressions;

namespace Strata.Linting.Rules;

/// <summary>
/// A UUID literal in a data statement (INSERT, UPDATE, DELETE) is a row of one environment: the
/// same id does not exist in staging and production, so the statement does something different
/// (or nothing) in each. Look the row up by a natural key instead.
/// </summary>
internal sealed partial class BanHardCodedUuid : LintRule
{
    [GeneratedRegex(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex Uuid();

    public override string Name => "ban-hard-coded-uuid";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Summary => "No hard-coded UUIDs in data statements.";
    protected override IReadOnlyList<string> Nodes => ["InsertStmt", "UpdateStmt", "DeleteStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (!statement.IsDataStatement) yield break;
        // String literals, found with the lexer so the hit points at the literal itself.
        foreach (var (token, text) in statement.StringLiterals())
        {
            if (Uuid().IsMatch(text))
            {
                yield return new RuleHit($"'{text}' is a hard-coded UUID: the same row has another id in each environment. Write the change for every row it applies to, or select the row by a key that is the same everywhere (a code, a slug).",
                    token.Line, token.Column);
            }
        }
    }
}
