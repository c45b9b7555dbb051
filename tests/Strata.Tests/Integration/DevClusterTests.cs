using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>The project's local dev cluster: the default target when no --url, --env or DATABASE_URL is given.</summary>
public class DevClusterTests
{
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
            var status = await StrataCli.RunAsync(dir.Root, "status", "--json");
            var stop = await StrataCli.RunAsync(dir.Root, "dev", "stop", "--json");

            before.ExitCode.Should().Be(2);
            before.Stderr.Should().Contain("dev start");
            start.ExitCode.Should().Be(0, start.All);
            url.Stdout.Trim().Should().MatchRegex(@"^postgresql://postgres@127\.0\.0\.1:\d+/strata_dev$");
            up.ExitCode.Should().Be(0, up.All);
            up.Stdout.Should().Contain("Applied 1 migration(s) to " + url.Stdout.Trim());
            status.Stdout.Should().Contain("\"applied\": 1");
            stop.Stdout.Should().Contain("\"running\": false");
        }
        finally
        {
            await StrataCli.RunAsync(dir.Root, "dev", "stop");
        }
    }
}
