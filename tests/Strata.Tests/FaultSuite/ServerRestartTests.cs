using Strata.LocalServer;
using Strata.Tests.Support;

namespace Strata.Tests.FaultSuite;

/// <summary>A server restart mid-run, on a cluster of its own (the shared test server must not restart under other tests).</summary>
[Trait("Category", "FaultSuite")]
public class ServerRestartTests
{
    [Fact]
    public async Task A_server_restart_mid_run_is_exit_4_with_a_consistent_history_and_the_next_run_completes()
    {
        var root = Path.Combine(Path.GetTempPath(), $"strata-restart-{Guid.NewGuid():N}"[..28]);
        var cluster = new LocalCluster(PostgresBinaries.Find(Environment.GetEnvironmentVariable),
            new ClusterOptions(Path.Combine(root, "data"), LocalCluster.FreePort(), SocketDirectory: Path.Combine(root, "run"),
                SuperuserPassword: PostgresServer.CanaryPassword, Durable: false));
        try
        {
            await cluster.InitAsync();
            await cluster.StartAsync();
            await cluster.CreateDatabaseAsync("restart");
            var url = $"postgresql://postgres:{Uri.EscapeDataString(PostgresServer.CanaryPassword)}@127.0.0.1:{cluster.Options.Port}/restart";
            using var dir = new MigrationDirectory();
            dir.Write("20251001000000_first.sql", "-- First\n-- migrate:up\nCREATE TABLE first_done (id int);\n");
            var slow = dir.Write("20251002000000_slow.sql", "-- Slow\n-- migrate:up\nCREATE TABLE slow_half (id int);\nSELECT pg_sleep(20);\n");

            using var process = StrataProcess.Start(dir.Root, "up", "--url", url);
            // Restart once the slow migration is running, not after a fixed delay: on a loaded
            // machine the process may not have got past the first migration yet.
            await TestDatabase.WaitForAsync(async () =>
            {
                await using var session = await Strata.Database.DatabaseSession.OpenAsync(cluster.Target("restart"));
                await using var running = new Npgsql.NpgsqlCommand(
                    "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(20)%' AND pid <> pg_backend_pid())", session.Connection);
                return (bool)(await running.ExecuteScalarAsync())!;
            });
            await cluster.StopAsync();
            await cluster.StartAsync();
            var result = await process.WaitAsync();
            File.WriteAllText(slow, "-- Slow\n-- migrate:up\nCREATE TABLE slow_half (id int);\n");
            var status = await StrataCli.RunAsync(dir.Root, "status", "--url", url, "--json");
            var next = await StrataCli.RunAsync(dir.Root, "up", "--url", url);

            Trials.Report($"server faults: restart mid-run gave exit {result.ExitCode}; next run exit {next.ExitCode}");
            result.ExitCode.Should().Be(4, result.All);
            result.All.Should().Contain("failed while 20251002000000_slow.sql ran");
            result.All.Should().NotContain("unexpected error");
            status.Stdout.Should().Contain("\"state\": \"applied\"", "the first migration committed before the restart");
            next.ExitCode.Should().Be(0, next.All);
        }
        finally
        {
            if (cluster.IsInitialised) { try { await cluster.StopAsync(); } catch (StrataException) { /* already stopped */ } }
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }
}
