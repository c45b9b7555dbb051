using EmbeddedApp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Strata;
using Strata.Hosting;

// --exit-after-start: start, say so, and stop (for scripts and the concurrency test); without it
// the application runs until Ctrl+C like any service.
var exitAfterStart = args.Contains("--exit-after-start");
var builder = Host.CreateApplicationBuilder(args.Where(a => a != "--exit-after-start").ToArray());

builder.Services.AddStrataMigrations(options =>
{
    // ConnectionStrings:Notes (appsettings.json, or the variable ConnectionStrings__Notes);
    // when unset, Strata reads DATABASE_URL. A URL or an Npgsql key=value string.
    options.ConnectionString = builder.Configuration.GetConnectionString("Notes");
    options.UseEmbeddedMigrations(typeof(Program).Assembly, "EmbeddedApp.Migrations.");
    options.LockWait = TimeSpan.FromMinutes(1);
    // The default is embedded-app@<machine> (a pod's name under Kubernetes); the process id
    // tells replicas on one machine apart in the history.
    options.AppliedBy = $"embedded-app[{Environment.ProcessId}]@{Environment.MachineName}";
});
builder.Services.AddHealthChecks().AddStrataReadiness();
builder.Services.AddHostedService<NotesService>();

using var host = builder.Build();
try
{
    await host.StartAsync();
}
catch (StrataException)
{
    // A bad file, a failed migration, a busy lock or no database: no other service started, and
    // the service has logged the message 'strata up' would print. Exit non-zero so that the
    // orchestrator restarts the replica (or the deploy stops).
    return 1;
}

var readiness = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
var applied = host.Services.GetRequiredService<StrataMigrationStatus>().Result?.Applied ?? [];
Console.WriteLine($"started: readiness {readiness.Status} ({readiness.Entries["strata-migrations"].Description}); " +
    $"this process applied {applied.Count} migration(s){(applied.Count == 0 ? "" : ": " + string.Join(", ", applied.Select(a => a.Version)))}");

if (exitAfterStart) await host.StopAsync();
else await host.WaitForShutdownAsync();
return 0;
