using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Strata.Database;
using Strata.Project;
using Strata.Running;

namespace Strata.Hosting;

/// <summary>
/// Runs <c>strata up</c> when the host starts. By default in <see cref="StartingAsync"/>: the
/// host calls every lifecycle service's StartingAsync before any hosted service's StartAsync,
/// whatever the registration order, so the web server (itself a hosted service) never listens
/// against an old schema, and a throw there aborts the start with this exception. A plain
/// IHostedService would only be ordered by registration, and a BackgroundService alone would
/// let the server start first. With <see cref="StrataMigrationOptions.MigrateInBackground"/> it
/// runs as this BackgroundService's ExecuteAsync instead, and the readiness check holds traffic.
/// Replicas starting together serialise on Strata's advisory lock, taken before the history is
/// read: one applies, the others wait and then find nothing pending.
/// </summary>
internal sealed partial class StrataMigrationService(
    IOptions<StrataMigrationOptions> options,
    StrataMigrationStatus status,
    IHostEnvironment environment,
    ILogger<StrataMigrationService> logger) : BackgroundService, IHostedLifecycleService
{
    private readonly StrataMigrationOptions _options = options.Value;

    public Task StartingAsync(CancellationToken cancellationToken) => _options.MigrateInBackground ? Task.CompletedTask : MigrateAsync(cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _options.MigrateInBackground ? MigrateAsync(stoppingToken) : Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        status.Migrating(null);
        UpResult? result = null;
        try
        {
            var project = StrataProject.Open(ProjectOptions());
            var lockWait = _options.LockWait is { } wait ? Duration.From(wait) : (Duration?)null;
            result = await project.UpAsync(new UpOptions(LockWait: lockWait), Report, cancellationToken);
            result.EnsureSucceeded();
            if (result.Applied.Count == 0) LogCurrent(logger, result.Target);
            else LogApplied(logger, result.Applied.Count, result.Target, result.Applied.Sum(a => a.DurationMs));
            status.Ready(result);
        }
        catch (StrataException ex)
        {
            // The message is the CLI's paragraph, password-free; the stack trace would add nothing.
            status.Failed(ex.Message, ex, result);
            LogFailed(logger, ex.Message);
            if (_options.StopHostOnFailure) throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not Strata's account of a problem (the library translates every driver error), so a bug: say so with its trace.
            status.Failed(ex.Message, ex, result);
            LogUnexpected(logger, ex);
            if (_options.StopHostOnFailure) throw;
        }
    }

    private ProjectOptions ProjectOptions() => new()
    {
        // Beside the application, not the current folder: a strata.toml there is the app's own.
        WorkingDirectory = AppContext.BaseDirectory,
        ConfigPath = _options.ConfigPath,
        Source = _options.Source,
        Url = _options.ConnectionString,
        AppliedBy = _options.AppliedBy ?? (System.Environment.GetEnvironmentVariable("STRATA_APPLIED_BY") is { Length: > 0 }
            ? null
            : $"{environment.ApplicationName}@{System.Environment.MachineName}"),
        Logger = logger,
    };

    // Event ids are part of the package's surface: a log filter or alert may match them.
    private void Report(MigrationProgress progress)
    {
        switch (progress.Stage)
        {
            case ProgressStage.WaitingForLock:
                var holder = Redactor.ShapesOnly.Redact(progress.Detail ?? "");
                status.Waiting(holder);
                LogWaiting(logger, holder);
                break;
            case ProgressStage.Starting:
                status.Migrating(progress.Version);
                LogStarting(logger, progress.Version, progress.Index + 1, progress.Count);
                break;
            case ProgressStage.Retrying:
                LogRetrying(logger, progress.Version, progress.Detail);
                break;
        }
    }

    [LoggerMessage(EventId = 1, EventName = "Waiting", Level = LogLevel.Information, Message = "Waiting for the migration lock, held by {Holder}")]
    private static partial void LogWaiting(ILogger logger, string holder);

    [LoggerMessage(EventId = 2, EventName = "Starting", Level = LogLevel.Information, Message = "Applying {Version} ({Position} of {Count})")]
    private static partial void LogStarting(ILogger logger, string version, int position, int count);

    [LoggerMessage(EventId = 3, EventName = "Retrying", Level = LogLevel.Warning, Message = "Retrying {Version} ({Why})")]
    private static partial void LogRetrying(ILogger logger, string version, string? why);

    [LoggerMessage(EventId = 4, EventName = "Applied", Level = LogLevel.Information, Message = "Applied {Count} migration(s) to {Target} in {DurationMs} ms; the schema is current")]
    private static partial void LogApplied(ILogger logger, int count, string target, int durationMs);

    [LoggerMessage(EventId = 5, EventName = "Current", Level = LogLevel.Information, Message = "The schema of {Target} is current: nothing to apply")]
    private static partial void LogCurrent(ILogger logger, string target);

    [LoggerMessage(EventId = 6, EventName = "Failed", Level = LogLevel.Error, Message = "Migration at start-up failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 7, EventName = "Unexpected", Level = LogLevel.Error, Message = "Migration at start-up failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);
}
