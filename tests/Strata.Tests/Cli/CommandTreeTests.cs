using Strata.Cli;
using Strata.Tests.Support;

namespace Strata.Tests.Cli;

public class CommandTreeTests
{
    [Fact]
    public void The_whole_command_tree_builds_and_names_every_core_command()
    {
        var root = StrataApp.Build(new CliContext(TextWriter.Null, TextWriter.Null, _ => null, "/", false));

        root.Subcommands.Select(c => c.Name).Should().BeEquivalentTo("init", "new", "status", "up", "rollback", "repair", "baseline", "history", "verify", "lint", "deploy", "dev", "completion");
    }

    [Fact]
    public async Task Init_then_new_writes_a_config_and_a_timestamped_file_that_loads()
    {
        using var dir = new MigrationDirectory();
        Directory.Delete(dir.Migrations);

        var init = await StrataCli.RunAsync(dir.Root, "init");
        var created = await StrataCli.RunAsync(dir.Root, "new", "Add email to users!");
        var again = await StrataCli.RunAsync(dir.Root, "init");

        init.ExitCode.Should().Be(0);
        File.Exists(Path.Combine(dir.Root, "strata.toml")).Should().BeTrue();
        created.ExitCode.Should().Be(0);
        var file = Directory.GetFiles(dir.Migrations).Should().ContainSingle().Subject;
        Path.GetFileName(file).Should().MatchRegex(@"^\d{14}_add_email_to_users\.sql$");
        File.ReadAllText(file).Should().Contain("-- migrate:up").And.Contain("-- migrate:down").And.StartWith("-- Add email to users");
        again.ExitCode.Should().Be(2);
    }

    [Fact]
    public async Task Help_lists_the_commands()
    {
        var help = await StrataCli.RunAsync("/", "--help");

        help.ExitCode.Should().Be(0);
        help.Stdout.Should().Contain("status").And.Contain("up").And.Contain("history");
    }
}
