using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;
using Strata.LocalServer;
using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>The project's local dev cluster: the default target when no --url, --env or DATABASE_URL is given.</summary>
public partial class DevClusterTests
{
    [GeneratedRegex(@"^postgresql://postgres@/strata_dev\?host=(?<host>/\S+)&port=(?<port>\d+)$")]
    private static partial Regex SocketUrl();

    [Fact]
    public async Task Dev_start_url_up_and_stop_work_without_any_target_option()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n");
        try
        {
            var before = await StrataCli.RunAsync(dir.Root, "dev", "url");
            var start = await StrataCli.RunAsync(dir.Root, "dev", "start");
            var url = await StrataCli.RunAsync(dir.Root, "dev", "url");
            var up = await StrataCli.RunAsync(dir.Root, "up");
            var status = await StrataCli.RunAsync(dir.Root, "status", "--url", url.Stdout.Trim(), "--json");
            var stop = await StrataCli.RunAsync(dir.Root, "dev", "stop", "--json");

            before.ExitCode.Should().Be(2);
            before.Stderr.Should().Contain("dev start");
            start.ExitCode.Should().Be(0, start.All);
            var socket = SocketUrl().Match(url.Stdout.Trim());
            socket.Success.Should().BeTrue(url.Stdout);
            socket.Groups["host"].Value.Should().Be(Path.Combine(dir.Root, ".strata", "run"));
            up.ExitCode.Should().Be(0, up.All);
            up.Stdout.Should().Contain("Applied 1 migration(s) to " + url.Stdout.Trim());
            status.ExitCode.Should().Be(0, status.All);
            status.Stdout.Should().Contain("\"applied\": 1");
            stop.Stdout.Should().Contain("\"running\": false");
        }
        finally
        {
            await StrataCli.RunAsync(dir.Root, "dev", "stop");
        }
    }

    [Fact]
    public async Task A_dev_cluster_whose_server_died_is_started_again_though_its_pid_file_and_socket_remain()
    {
        // up trusts a pid file only when its process lives and the socket is there (so a running
        // cluster costs no pg_ctl): a crash leaves both files behind, and they must not fool it.
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n");
        try
        {
            var start = await StrataCli.RunAsync(dir.Root, "dev", "start", "--json");
            start.ExitCode.Should().Be(0, start.All);
            var data = System.Text.Json.JsonDocument.Parse(start.Stdout).RootElement.GetProperty("data_directory").GetString()!;
            var url = SocketUrl().Match((await StrataCli.RunAsync(dir.Root, "dev", "url")).Stdout.Trim());
            (await StrataCli.RunAsync(dir.Root, "up")).ExitCode.Should().Be(0);
            (await StrataCli.RunAsync(dir.Root, "dev", "stop")).ExitCode.Should().Be(0);
            using (var gone = System.Diagnostics.Process.Start("true")!)
            {
                await gone.WaitForExitAsync();
                await File.WriteAllTextAsync(Path.Combine(data, "postmaster.pid"), $"{gone.Id}\n{data}\n");
            }
            await File.WriteAllTextAsync(Path.Combine(url.Groups["host"].Value, $".s.PGSQL.{url.Groups["port"].Value}"), "");
            dir.Write("20251002000000_b.sql", "-- B\n-- migrate:up\nCREATE TABLE b (id int);\n");

            var up = await StrataCli.RunAsync(dir.Root, "up");

            up.ExitCode.Should().Be(0, up.All);
            up.Stdout.Should().Contain("Applied 1 migration(s)");
            var stop = await StrataCli.RunAsync(dir.Root, "dev", "stop", "--json");
            stop.Stdout.Should().Contain("\"running\": false");
        }
        finally
        {
            await StrataCli.RunAsync(dir.Root, "dev", "stop");
        }
    }

    [Fact]
    public async Task No_other_local_user_can_reach_the_dev_cluster_and_one_an_older_strata_made_is_closed_on_first_use()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n");
        try
        {
            (await StrataCli.RunAsync(dir.Root, "dev", "start")).ExitCode.Should().Be(0);
            var port = int.Parse(SocketUrl().Match((await StrataCli.RunAsync(dir.Root, "dev", "url")).Stdout.Trim()).Groups["port"].Value);
            var run = Path.Combine(dir.Root, ".strata", "run");

            (await TcpIsRefusedAsync(port)).Should().BeTrue("the dev cluster trusts its socket, so it must have no TCP listener");
            new DirectoryInfo(run).UnixFileMode.Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            // The shape an older Strata left: trusted TCP on 127.0.0.1, no socket, no socket line in the state.
            (await StrataCli.RunAsync(dir.Root, "dev", "stop")).ExitCode.Should().Be(0);
            await MakeLegacyAsync(dir.Root, port);
            await using (var legacy = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres"))
                await legacy.OpenAsync(); // any local OS user, no password: the hole being closed

            var up = await StrataCli.RunAsync(dir.Root, "up");

            up.ExitCode.Should().Be(0, up.All);
            (await TcpIsRefusedAsync(port)).Should().BeTrue();
            File.ReadAllText(Path.Combine(dir.Root, ".strata", "dev-cluster")).Should().Contain($"socket={run}");
            File.ReadAllLines(Path.Combine(dir.Root, ".strata", "pgdata", "pg_hba.conf"))
                .Where(line => line.StartsWith("host", StringComparison.Ordinal)).Should().NotBeEmpty().And.OnlyContain(line => line.EndsWith("reject"));
            new DirectoryInfo(run).UnixFileMode.Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        finally
        {
            await StrataCli.RunAsync(dir.Root, "dev", "stop");
        }
    }

    private static async Task MakeLegacyAsync(string root, int port)
    {
        var data = Path.Combine(root, ".strata", "pgdata");
        await File.WriteAllLinesAsync(Path.Combine(root, ".strata", "dev-cluster"), [$"port={port}", $"data={data}"]);
        await File.AppendAllLinesAsync(Path.Combine(data, "postgresql.conf"), ["listen_addresses = '127.0.0.1'", "unix_socket_directories = ''"]);
        var hba = Path.Combine(data, "pg_hba.conf");
        await File.WriteAllTextAsync(hba, (await File.ReadAllTextAsync(hba)).Replace("reject", "trust"));
        var cluster = new LocalCluster(PostgresBinaries.Find(Environment.GetEnvironmentVariable), new ClusterOptions(data, port));
        await cluster.StartAsync();
    }

    private static async Task<bool> TcpIsRefusedAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }
}
