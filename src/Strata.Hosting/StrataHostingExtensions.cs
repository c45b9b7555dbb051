using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Strata.Hosting;

// The namespace of IServiceCollection and IHealthChecksBuilder, as Microsoft's own Add* methods
// use, so the calls are found without another using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Strata's start-up migration and its readiness check.</summary>
public static class StrataHostingExtensions
{
    /// <summary>
    /// Migrates the database when the host starts (<c>strata up</c> under the advisory lock),
    /// before any other hosted service starts unless <see cref="StrataMigrationOptions.MigrateInBackground"/>
    /// is set. Also registers <see cref="StrataMigrationStatus"/>. Add the readiness check with
    /// <c>services.AddHealthChecks().AddStrataReadiness()</c>.
    /// </summary>
    public static IServiceCollection AddStrataMigrations(this IServiceCollection services, Action<StrataMigrationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<StrataMigrationOptions>().Configure(configure);
        services.TryAddSingleton<StrataMigrationStatus>();
        services.AddHostedService<StrataMigrationService>();
        return services;
    }

    /// <summary>
    /// The readiness check: <c>migrating</c> (reported with <paramref name="failureStatus"/>,
    /// Unhealthy by default; Degraded if preferred) while waiting for the lock or applying,
    /// Healthy <c>ready</c> after, Unhealthy <c>failed: ...</c> after a failure. Tagged
    /// <c>ready</c> unless <paramref name="tags"/> says otherwise, for a readiness endpoint that
    /// filters on it. Needs <see cref="AddStrataMigrations"/>.
    /// </summary>
    public static IHealthChecksBuilder AddStrataReadiness(this IHealthChecksBuilder builder, string name = "strata-migrations",
        HealthStatus failureStatus = HealthStatus.Unhealthy, IEnumerable<string>? tags = null) =>
        builder.Add(new HealthCheckRegistration(name, services => new StrataReadinessCheck(services.GetRequiredService<StrataMigrationStatus>()),
            failureStatus, tags ?? ["ready"]));
}
