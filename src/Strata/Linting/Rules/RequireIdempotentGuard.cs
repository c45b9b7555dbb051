namespace Strata.Linting.Rules;

/// <summary>
/// The checklist's "idempotent guards": a migration that half-ran (statement by statement) or is
/// run again must not fail on what it already did. CREATE ... IF NOT EXISTS, ADD COLUMN IF NOT
/// EXISTS, CREATE OR REPLACE, DROP ... IF EXISTS; a policy (no IF NOT EXISTS in PostgreSQL) after
/// a DROP POLICY IF EXISTS of the same name; a trigger with OR REPLACE or after its DROP TRIGGER IF
/// EXISTS; a type or domain (no IF NOT EXISTS either) inside a DO block that ignores duplicate_object.
/// </summary>
internal sealed class RequireIdempotentGuard : LintRule
{
    public override string Name => "require-idempotent-guard";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "Guard DDL with IF NOT EXISTS, IF EXISTS or OR REPLACE so it can run twice.";
    protected override IReadOnlyList<string> Nodes => ["AlterTableStmt", "CompositeTypeStmt", "CreateDomainStmt", "CreateEnumStmt", "CreateFunctionStmt", "CreatePolicyStmt", "CreateStmt", "CreateTrigStmt", "DropStmt", "IndexStmt"];

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        if (statement.Node is null) yield break;
        if (statement.Is("CreateStmt", out var create) && !ParseTree.Flag(create, "if_not_exists"))
            yield return At(statement, $"CREATE TABLE {ParseTree.Relation(create)} fails when run again: write CREATE TABLE IF NOT EXISTS.");
        else if (statement.Is("IndexStmt", out var index) && !ParseTree.Flag(index, "if_not_exists") && ParseTree.Text(index, "idxname") is { } name)
            yield return At(statement, $"CREATE INDEX {name} fails when run again: write CREATE INDEX {(ParseTree.Flag(index, "concurrent") ? "CONCURRENTLY " : "")}IF NOT EXISTS.");
        else if (statement.Is("CreateFunctionStmt", out var function) && !ParseTree.Flag(function, "replace"))
            yield return At(statement, "CREATE FUNCTION fails when run again: write CREATE OR REPLACE FUNCTION.");
        else if (statement.Is("DropStmt", out var drop) && !ParseTree.Flag(drop, "missing_ok"))
            yield return At(statement, "DROP fails when run again: write DROP ... IF EXISTS.");
        else if (statement.Is("AlterTableStmt", out var alter))
        {
            foreach (var command in ParseTree.List(alter, "cmds"))
            {
                if (!command.TryGetProperty("AlterTableCmd", out var cmd) || ParseTree.Flag(cmd, "missing_ok")) continue;
                var subtype = ParseTree.Text(cmd, "subtype");
                if (subtype == "AT_AddColumn")
                    yield return At(statement, $"ADD COLUMN fails when run again: write ADD COLUMN IF NOT EXISTS.");
                else if (subtype == "AT_DropColumn")
                    yield return At(statement, $"DROP COLUMN {ParseTree.Text(cmd, "name")} fails when run again: write DROP COLUMN IF EXISTS.");
            }
        }
        else if (statement.Is("CreateTrigStmt", out var trigger) && !ParseTree.Flag(trigger, "replace") && ParseTree.Text(trigger, "trigname") is { } triggerName
                 && !context.DroppedBefore("OBJECT_TRIGGER", triggerName, statement))
        {
            yield return At(statement, $"CREATE TRIGGER {triggerName} fails when run again: write CREATE OR REPLACE TRIGGER (PostgreSQL 14+), or put DROP TRIGGER IF EXISTS {triggerName} ON {ParseTree.Relation(trigger)} before it.");
        }
        else if (statement.Is("CreateEnumStmt", out _) || statement.Is("CompositeTypeStmt", out _) || statement.Is("CreateDomainStmt", out _))
        {
            yield return At(statement, "CREATE TYPE / CREATE DOMAIN fails when run again (PostgreSQL has no IF NOT EXISTS for them): wrap it in " +
                                       "DO $$ BEGIN ... ; EXCEPTION WHEN duplicate_object THEN NULL; END $$.");
        }
        else if (statement.Is("CreatePolicyStmt", out var policy) && ParseTree.Text(policy, "policy_name") is { } policyName
                 && !context.DroppedBefore("OBJECT_POLICY", policyName, statement))
        {
            yield return At(statement, $"CREATE POLICY {policyName} fails when run again (PostgreSQL has no CREATE POLICY IF NOT EXISTS): " +
                                       $"put DROP POLICY IF EXISTS {policyName} ON {ParseTree.Relation(policy, "table")} before it.");
        }
    }
}
