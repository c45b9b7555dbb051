namespace Strata.Linting.Rules;

/// <summary>
/// VACUUM FULL and CLUSTER rewrite the table under ACCESS EXCLUSIVE, and LOCK TABLE takes a lock
/// by hand that holds until the migration's transaction ends: on a live table, every query waits.
/// These are maintenance for a window of their own, not migration steps.
/// </summary>
internal sealed class BanBlockingMaintenance : LintRule
{
    public override string Name => "ban-blocking-maintenance";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "No VACUUM FULL, CLUSTER or LOCK TABLE in migrations.";
    protected override IReadOnlyList<string> Nodes => ["ClusterStmt", "LockStmt", "VacuumStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (statement.Is("VacuumStmt", out var vacuum) && ParseTree.List(vacuum, "options").Any(o => o.TryGetProperty("DefElem", out var d) && ParseTree.Text(d, "defname") == "full"))
            yield return At(statement, "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock: run it in a maintenance window, or use pg_repack, not in a migration.");
        else if (statement.Is("ClusterStmt", out _))
            yield return At(statement, "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock: run it in a maintenance window, or use pg_repack, not in a migration.");
        else if (statement.Is("LockStmt", out _))
            yield return At(statement, "LOCK TABLE holds its lock until the migration's transaction ends, and every query on the table queues behind it: let each statement take the lock it needs, with lock_timeout.");
    }
}
