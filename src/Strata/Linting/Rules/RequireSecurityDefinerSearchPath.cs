namespace Strata.Linting.Rules;

/// <summary>
/// A SECURITY DEFINER function runs with its owner's rights but resolves unqualified names through
/// the caller's search_path: a caller who can create objects in a schema on that path can make the
/// function call their own code with the owner's rights. SET search_path on the function fixes it.
/// </summary>
internal sealed class RequireSecurityDefinerSearchPath : LintRule
{
    public override string Name => "require-security-definer-search-path";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Summary => "Give every SECURITY DEFINER function a fixed search_path.";
    protected override IReadOnlyList<string> Nodes => ["CreateFunctionStmt"];

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (!statement.Is("CreateFunctionStmt", out var function)) yield break;
        var options = ParseTree.List(function, "options").Select(o => o.TryGetProperty("DefElem", out var d) ? d : default).Where(d => d.ValueKind == System.Text.Json.JsonValueKind.Object).ToList();
        var definer = options.Any(o => ParseTree.Text(o, "defname") == "security" && o.TryGetProperty("arg", out var arg) && arg.TryGetProperty("Boolean", out var b) && ParseTree.Flag(b, "boolval"));
        var searchPath = options.Any(o => ParseTree.Text(o, "defname") == "set" && o.TryGetProperty("arg", out var arg) && arg.TryGetProperty("VariableSetStmt", out var set) && ParseTree.Text(set, "name") == "search_path");
        if (definer && !searchPath)
            yield return At(statement, "SECURITY DEFINER function without a fixed search_path: add SET search_path = '' (and qualify names) or SET search_path = public, pg_temp.");
    }
}
