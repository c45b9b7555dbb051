using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Strata.Hosting;

/// <summary>
/// Readiness for an orchestrator: no traffic to a replica before its schema is current.
/// <c>migrating</c> (the registration's failure status, Unhealthy by default) until the start-up
/// migration is done, <c>ready</c> after, <c>failed: ...</c> (always Unhealthy) after a failure.
/// It reads the status only: a probe never touches the database.
/// </summary>
internal sealed class StrataReadinessCheck(StrataMigrationStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = status.Now;
        var data = new Dictionary<string, object> { ["phase"] = now.Phase.ToString() };
        if (now.Detail is { } detail) data["detail"] = detail;
        if (now.Result is { } result) data["applied"] = result.Applied.Count;
        return Task.FromResult(now.Phase switch
        {
            MigrationPhase.Ready => HealthCheckResult.Healthy("ready", data),
            MigrationPhase.Failed => HealthCheckResult.Unhealthy($"failed: {now.Error}", now.Exception, data),
            _ => new HealthCheckResult(context.Registration.FailureStatus, "migrating", data: data),
        });
    }
}
