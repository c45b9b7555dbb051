using Microsoft.Extensions.Hosting;
using Strata.Hosting;

namespace EmbeddedApp;

/// <summary>
/// The application's own work, started after the schema is current: the migration runs in the
/// host's StartingAsync, before any hosted service's StartAsync, whatever the registration order.
/// </summary>
internal sealed class NotesService(StrataMigrationStatus migrations) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine($"notes service starting; migrations: {migrations.Phase}");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
