using Strata.Tests.Support;

namespace Strata.Tests.Cli;

/// <summary><c>strata new NAME</c>: names the file system cannot hold, or a folder it cannot write, are bad input.</summary>
public class NewCommandTests
{
    [Fact]
    public async Task A_name_too_long_for_the_file_system_is_exit_2_and_writes_nothing()
    {
        // Regression: a 300-character name made a 319-byte file name, and the file system's refusal was an internal error.
        using var dir = new MigrationDirectory();

        var created = await StrataCli.RunAsync(dir.Root, "new", string.Join(' ', Enumerable.Repeat("backfill", 40)));
        var json = await StrataCli.RunAsync(dir.Root, "new", string.Join(' ', Enumerable.Repeat("backfill", 40)), "--json");

        created.ExitCode.Should().Be(2);
        created.Stderr.Should().Contain("makes a 359-character file name slug").And.Contain("limited to 100");
        json.Stdout.Should().Contain("\"code\": \"migration-name-too-long\"");
        Directory.GetFileSystemEntries(dir.Migrations).Should().BeEmpty();
    }

    [Theory]
    [InlineData(100, 0)]
    [InlineData(101, 2)]
    public async Task Slugs_up_to_100_characters_are_written(int length, int exitCode)
    {
        using var dir = new MigrationDirectory();

        var created = await StrataCli.RunAsync(dir.Root, "new", new string('a', length));

        created.ExitCode.Should().Be(exitCode, created.All);
        Directory.GetFiles(dir.Migrations).Should().HaveCount(exitCode == 0 ? 1 : 0);
    }

    [Fact]
    public async Task A_migrations_folder_that_cannot_be_written_is_exit_2_naming_it()
    {
        using var dir = new MigrationDirectory();
        Directory.Delete(dir.Migrations);
        File.WriteAllText(dir.Migrations, "a file where the folder should be");

        var created = await StrataCli.RunAsync(dir.Root, "new", "add_email");

        created.ExitCode.Should().Be(2);
        created.Stderr.Should().Contain($"{dir.Migrations}: the new migration cannot be written");
    }
}
