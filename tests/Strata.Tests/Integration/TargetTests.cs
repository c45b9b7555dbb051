using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>What names the target, and what happens when nothing does (DESIGN §5).</summary>
public class TargetTests
{
    private static MigrationDirectory Project()
    {
        var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n");
        return dir;
    }

    [Theory]
    [InlineData("--url", "")]
    [InlineData("--url", "   ")]
    public async Task An_empty_url_option_is_exit_2_and_starts_nothing(string option, string value)
    {
        using var dir = Project();

        var up = await StrataCli.RunAsync(dir.Root, "up", option, value);

        up.ExitCode.Should().Be(2, up.All);
        up.Stderr.Should().Contain("empty").And.Contain("--url");
        Directory.Exists(Path.Combine(dir.Root, ".strata")).Should().BeFalse("an empty target must never fall through to the dev cluster");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task An_empty_database_url_is_exit_2_and_starts_nothing(string value)
    {
        using var dir = Project();

        var up = await StrataCli.RunAsync(dir.Root, new Dictionary<string, string> { ["DATABASE_URL"] = value }, "up");
        var status = await StrataCli.RunAsync(dir.Root, new Dictionary<string, string> { ["DATABASE_URL"] = value }, "status", "--json");

        up.ExitCode.Should().Be(2, up.All);
        up.Stderr.Should().Contain("DATABASE_URL").And.Contain("unset secret");
        status.ExitCode.Should().Be(2);
        status.Stdout.Should().Contain("\"code\": \"empty-url\"");
        Directory.Exists(Path.Combine(dir.Root, ".strata")).Should().BeFalse();
    }

    [Fact]
    public async Task An_environment_variable_holding_an_empty_string_is_exit_2_naming_it()
    {
        using var dir = Project();
        dir.WriteRoot("strata.toml", "[environments.production]\nurl = \"env:PRODUCTION_DATABASE_URL\"\n");

        var up = await StrataCli.RunAsync(dir.Root, new Dictionary<string, string> { ["PRODUCTION_DATABASE_URL"] = "" }, "up", "--env", "production");

        up.ExitCode.Should().Be(2);
        up.Stderr.Should().Contain("PRODUCTION_DATABASE_URL");
        Directory.Exists(Path.Combine(dir.Root, ".strata")).Should().BeFalse();
    }

    [Fact]
    public async Task A_dry_run_without_a_target_creates_no_cluster_and_shows_every_file_pending()
    {
        using var dir = Project();

        var dry = await StrataCli.RunAsync(dir.Root, "up", "--dry-run");
        var json = await StrataCli.RunAsync(dir.Root, "up", "--dry-run", "--json");

        dry.ExitCode.Should().Be(0, dry.All);
        dry.Stdout.Should().Contain("not created yet").And.Contain("would apply 1 migration(s)").And.Contain("20251001000000_a.sql");
        json.Stdout.Should().Contain("\"dry_run\": true");
        Directory.Exists(Path.Combine(dir.Root, ".strata")).Should().BeFalse("a dry run changes nothing, not even by creating a cluster");
    }

    [Fact]
    public async Task Creating_the_dev_cluster_is_announced_on_stderr_once()
    {
        using var dir = Project();
        try
        {
            var first = await StrataCli.RunAsync(dir.Root, "status", "--json");
            var second = await StrataCli.RunAsync(dir.Root, "status", "--json");

            first.ExitCode.Should().Be(0, first.All);
            first.Stderr.Should().StartWith("note: No target was named").And.Contain("created the local dev cluster postgresql://");
            first.Stdout.Should().StartWith("{", "the note goes to stderr; stdout stays one JSON document");
            second.Stderr.Should().BeEmpty("only creation is announced");
        }
        finally
        {
            await StrataCli.RunAsync(dir.Root, "dev", "stop");
        }
    }
}
