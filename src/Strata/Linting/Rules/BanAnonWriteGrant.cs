namespace Strata.Linting.Rules;

/// <summary>
/// The <c>anon</c> role is whoever calls a Supabase API with the public key: anyone on the
/// internet. A write privilege granted to it (INSERT, UPDATE, DELETE, TRUNCATE, or ALL) lets anyone
/// change the table wherever row level security does not stop them.
/// </summary>
internal sealed class BanAnonWriteGrant : LintRule
{
    private static readonly HashSet<string> Writes = ["insert", "update", "delete", "truncate", "all"];

    public override string Name => "ban-anon-write-grant";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Summary => "No write privileges for the anon role.";
    protected override IReadOnlyList<string> Nodes => ["GrantStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (!statement.Is("GrantStmt", out var grant) || !ParseTree.Flag(grant, "is_grant")) yield break;
        if (!ParseTree.List(grant, "grantees").Any(g => g.TryGetProperty("RoleSpec", out var role) && ParseTree.Text(role, "rolename") == "anon")) yield break;
        var privileges = ParseTree.List(grant, "privileges").Select(p => p.TryGetProperty("AccessPriv", out var access) ? ParseTree.Text(access, "priv_name") : null).ToList();
        // No privilege list means ALL PRIVILEGES.
        var writes = privileges.Count == 0 ? ["all"] : privileges.Where(p => p is not null && Writes.Contains(p)).Select(p => p!).ToList();
        if (writes.Count > 0)
            yield return At(statement, $"GRANT {string.Join(", ", writes.Select(w => w.ToUpperInvariant()))} ... TO anon lets anyone with the public API key write: grant writes to authenticated (with policies), or to service_role for server code.");
    }
}
