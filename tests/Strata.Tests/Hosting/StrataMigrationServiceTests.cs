using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Strata.Hosting;
using Strata.Migrations;
using Strata.Tests.Support;

namespace Strata.Tests.Hosting;

/// <summary>
/// Strata.Hosting as an application runs it: a generic host with the hosted service and the
/// readiness check (issue 18, acceptance 6), against a real database.
/// </summary>
public class StrataMigrationServiceTests(PostgresServer server)
{
    private static readonly MemorySource TwoMigrations = new(
        ("20251001000000_create_items.sql", "-- Create items\n-- migrate:up\nCREATE TABLE items (id int);\n-- migrate:down\nDROP TABLE items;\n"),
        ("20251002000000_add_item_name.sql", "-- Add item name\n-- migrate:up\nALTER TABLE items ADD COLUMN name text;\n"));

    private static IHost Build(TestDatabase db, IMigrationSource source, CapturedLogs logs, Action<StrataMigrationOptions>? configure = null,
        Action<IServiceCollection>? before = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "hosting-tests" });
        builder.Logging.AddProvider(logs);
        before?.Invoke(builder.Services);
        builder.Services.AddStrataMigrations(options =>
        {
            options.ConnectionString = db.Url;
            options.Source = source;
            configure?.Invoke(options);
        });
        builder.Services.AddHealthChecks().AddStrataReadiness();
        return builder.Build();
    }

    private static async Task<HealthReportEntry> ReadinessAsync(IHost host) =>
        (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["strata-migrations"];

    private static async Task WaitForPhaseAsync(IHost host, MigrationPhase phase)
    {
        var status = host.Services.GetRequiredService<StrataMigrationStatus>();
        for (var i = 0; i < 300 && status.Phase != phase; i++) await Task.Delay(50);
        status.Phase.Should().Be(phase);
    }

    [Fact]
    public async Task Migrates_before_any_other_hosted_service_starts_whatever_the_registration_order()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var logs = new CapturedLogs();
        var probe = new SchemaProbe(db);
        using var host = Build(db, TwoMigrations, logs, before: services => services.AddSingleton<IHostedService>(probe));

        await host.StartAsync();
        await host.StopAsync();

        probe.SawTable.Should().BeTrue("the service registered first still starts after the migration");
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_versions")).Should().Be(2);
        (await db.ScalarAsync<string>("SELECT applied_by FROM schema_versions LIMIT 1")).Should().StartWith("hosting-tests@");
        logs.Text.Should().Contain("Applied 2 migration(s)");
    }

    [Fact]
    public async Task Readiness_reads_migrating_while_waiting_for_the_lock_then_ready()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var logs = new CapturedLogs();
        using var host = Build(db, TwoMigrations, logs);
        var before = await ReadinessAsync(host);
        var holder = await db.HoldMigrationLockAsync();

        var start = host.StartAsync();
        await WaitForPhaseAsync(host, MigrationPhase.WaitingForLock);
        var waiting = await ReadinessAsync(host);
        start.IsCompleted.Should().BeFalse("a replica waiting for the lock does not start");
        await holder.DisposeAsync();
        await start;
        var after = await ReadinessAsync(host);
        await host.StopAsync();

        before.Status.Should().Be(HealthStatus.Unhealthy);
        before.Description.Should().Be("migrating");
        waiting.Status.Should().Be(HealthStatus.Unhealthy);
        waiting.Description.Should().Be("migrating");
        waiting.Data["phase"].Should().Be("WaitingForLock");
        after.Status.Should().Be(HealthStatus.Healthy);
        after.Description.Should().Be("ready");
        after.Data["applied"].Should().Be(2);
        logs.Text.Should().Contain("Waiting for the migration lock, held by");
    }

    [Fact]
    public async Task In_the_background_the_host_starts_at_once_and_readiness_holds_traffic_until_the_schema_is_current()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var logs = new CapturedLogs();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "hosting-tests" });
        builder.Logging.AddProvider(logs);
        builder.Services.AddStrataMigrations(options =>
        {
            options.ConnectionString = db.Url;
            options.Source = TwoMigrations;
            options.MigrateInBackground = true;
        });
        builder.Services.AddHealthChecks().AddStrataReadiness(failureStatus: HealthStatus.Degraded);
        using var host = builder.Build();
        var holder = await db.HoldMigrationLockAsync();

        await host.StartAsync();
        await WaitForPhaseAsync(host, MigrationPhase.WaitingForLock);
        var waiting = await ReadinessAsync(host);
        await holder.DisposeAsync();
        await WaitForPhaseAsync(host, MigrationPhase.Ready);
        var after = await ReadinessAsync(host);
        await host.StopAsync();

        waiting.Status.Should().Be(HealthStatus.Degraded, "the registration chose Degraded for 'migrating'");
        waiting.Description.Should().Be("migrating");
        after.Status.Should().Be(HealthStatus.Healthy);
        (await db.TableExistsAsync("items")).Should().BeTrue();
    }

    [Fact]
    public async Task A_failed_migration_stops_the_host_with_the_cli_s_message_and_readiness_reads_failed()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var logs = new CapturedLogs();
        var source = new MemorySource(
            ("20251001000000_create_items.sql", "-- Create items\n-- migrate:up\nCREATE TABLE items (id int);\n"),
            ("20251002000000_broken.sql", "-- Broken\n-- migrate:up\nALTER TABLE missing ADD COLUMN x int;\n"));
        var probe = new SchemaProbe(db);
        using var host = Build(db, source, logs, before: services => services.AddSingleton<IHostedService>(probe));

        var act = () => host.StartAsync();

        var thrown = (await act.Should().ThrowAsync<StrataException>()).Which;
        thrown.Problem.Code.Should().Be("migration-failed");
        thrown.Message.Should().StartWith("memory:20251002000000_broken.sql:3:").And.Contain("42P01").And.Contain("Fix the file and run 'strata up' again.");
        probe.Started.Should().BeFalse("no other service starts after a failed migration");
        var readiness = await ReadinessAsync(host);
        readiness.Status.Should().Be(HealthStatus.Unhealthy);
        readiness.Description.Should().Be("failed: " + thrown.Message);
        logs.Text.Should().Contain("Migration at start-up failed: " + thrown.Message);
    }

    [Fact]
    public async Task Configured_to_continue_the_host_starts_and_readiness_reports_the_refusal()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var logs = new CapturedLogs();
        var source = new MemorySource(("20251001000000_bad.sql", "-- Bad\n-- migrate:up transaction:maybe\nCREATE TABLE items (id int);\n"));
        var probe = new SchemaProbe(db);
        using var host = Build(db, source, logs, options => options.StopHostOnFailure = false,
            services => services.AddSingleton<IHostedService>(probe));

        await host.StartAsync();
        var readiness = await ReadinessAsync(host);
        await host.StopAsync();

        probe.Started.Should().BeTrue();
        readiness.Status.Should().Be(HealthStatus.Unhealthy);
        readiness.Description.Should().StartWith("failed: memory:20251001000000_bad.sql:2:");
        host.Services.GetRequiredService<StrataMigrationStatus>().Phase.Should().Be(MigrationPhase.Failed);
        (await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname IN ('schema_versions', 'schema_version_events')"))
            .Should().Be(0, "a refused run writes nothing");
    }

    [Fact]
    public async Task An_unreachable_server_stops_the_host_without_printing_the_password()
    {
        using var logs = new CapturedLogs();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "hosting-tests" });
        builder.Logging.AddProvider(logs);
        var url = $"postgresql://app:{Uri.EscapeDataString(PostgresServer.CanaryPassword)}@127.0.0.1:{Strata.LocalServer.LocalCluster.FreePort()}/nowhere";
        builder.Services.AddStrataMigrations(options =>
        {
            options.ConnectionString = url;
            options.Source = TwoMigrations;
        });
        builder.Services.AddHealthChecks().AddStrataReadiness();
        using var host = builder.Build();

        var act = () => host.StartAsync();

        var thrown = (await act.Should().ThrowAsync<StrataException>()).Which;
        thrown.Problem.Kind.Should().Be(ProblemKind.CannotConnect);
        thrown.Message.Should().NotContain(PostgresServer.CanaryPassword);
        host.Services.GetRequiredService<IOptions<StrataMigrationOptions>>().Value.ToString().Should().NotContain(PostgresServer.CanaryPassword);
        logs.Text.Should().NotContain(PostgresServer.CanaryPassword).And.NotContain(Uri.EscapeDataString(PostgresServer.CanaryPassword));
        (await ReadinessAsync(host)).Description.Should().NotContain(PostgresServer.CanaryPassword);
    }

    /// <summary>A hosted service registered before Strata's: did the schema exist when it started?</summary>
    private sealed class SchemaProbe(TestDatabase db) : IHostedService
    {
        public bool Started { get; private set; }
        public bool SawTable { get; private set; }

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            Started = true;
            SawTable = await db.TableExistsAsync("items");
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>Every log line of a host, formatted, for assertions (and the canary password check).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public string Text => string.Join("\n", _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
        Text.Should().NotContain(PostgresServer.CanaryPassword, "a password must never reach a log");
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " | " + exception.Message)}");
    }
}
