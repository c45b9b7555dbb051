namespace Strata.Deploying;

/// <summary>Why a deploy did not go ahead: bad usage (exit 2) or a gate that refused (exit 3).</summary>
internal static class DeployProblems
{
    public static Problem NeedsEnvironment() => new(ProblemKind.BadInput, "deploy-needs-env",
        "deploy needs the environment to deploy to.", Hint: "Run 'strata deploy --env production' with an environment of strata.toml; --url is not accepted, because the gates come from the environment's settings.");

    public static Problem UnknownGate(string gate) => new(ProblemKind.BadInput, "unknown-gate",
        $"--override {gate}: there is no such gate.", Hint: $"The gates that can be overridden are {string.Join(", ", DeployGates.All)}; confirmation is given with --yes.");

    public static Problem OverrideNeedsReason() => new(ProblemKind.BadInput, "override-needs-reason",
        "--override needs --reason: an overridden gate is recorded with why.", Hint: "Add --reason \"...\" saying why the gate does not apply this time.");

    public static Problem Gate(string gate, string message, string hint) => new(ProblemKind.Refused, $"gate-{gate}", message, Hint: hint);
}
