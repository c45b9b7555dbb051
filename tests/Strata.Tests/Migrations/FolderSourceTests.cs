using System.Diagnostics;
using Strata.Migrations;
using Strata.Tests.Support;

namespace Strata.Tests.Migrations;

/// <summary>
/// What a folder source lists: near-miss names and entries it cannot read are problems, never
/// skipped, and nothing in the folder can make a load hang.
/// </summary>
public class FolderSourceTests
{
    private const string Good = "-- Good\n-- migrate:up\nCREATE TABLE good (id int);\n";

    [Theory]
    [InlineData("20251002143000_shouting.SQL", "20251002143000_shouting.sql")]
    [InlineData("20251002143000_title.Sql", "20251002143000_title.sql")]
    [InlineData("20251002143000_space.sql ", "20251002143000_space.sql")]
    [InlineData("20251002143000_dot.sql.", "20251002143000_dot.sql")]
    public void A_near_miss_name_is_an_error_naming_the_file(string fileName, string rename)
    {
        // Regression: the *.sql glob is case-sensitive on Linux, so these were skipped silently.
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_good.sql", Good);
        dir.Write(fileName, Good);

        var set = MigrationSet.Load(new FolderSource(dir.Migrations));

        var problem = set.Problems.Should().ContainSingle().Subject;
        problem.Code.Should().Be("misnamed-sql-file");
        problem.Kind.Should().Be(ProblemKind.BadInput);
        problem.File.Should().Be(Path.Combine(dir.Migrations, fileName));
        problem.Hint.Should().Contain($"'{rename}'");
    }

    [Fact]
    public void Backups_unrelated_files_and_sub_folders_are_left_alone()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_good.sql", Good);
        foreach (var name in new[] { "20251001000000_good.sql.bak", "20251001000000_good.sql.orig", "20251001000000_good.sql~", "20251001000000_good.sql.txt", "README.md", "notes.SQLite" })
            dir.Write(name, "not a migration");
        Directory.CreateDirectory(Path.Combine(dir.Migrations, "repeatable"));
        dir.Write("repeatable/views.sql", "CREATE VIEW v AS SELECT 1;");

        var set = MigrationSet.Load(new FolderSource(dir.Migrations));

        set.Problems.Should().BeEmpty();
        set.Files.Select(f => f.Version).Should().Equal("20251001000000_good.sql");
    }

    [Fact]
    public async Task A_named_pipe_is_an_error_and_is_never_opened()
    {
        // Regression: opening a FIFO blocks until a writer appears, so 'strata up' hung.
        using var dir = new MigrationDirectory();
        var fifo = Path.Combine(dir.Migrations, "20251002143000_pipe.sql");
        MakeFifo(fifo);

        var set = await Task.Run(() => MigrationSet.Load(new FolderSource(dir.Migrations))).WaitAsync(TimeSpan.FromSeconds(20));

        var problem = set.Problems.Should().ContainSingle().Subject;
        problem.Code.Should().Be("not-a-regular-file");
        problem.Message.Should().Contain("named pipe");
        problem.File.Should().Be(fifo);
    }

    [Fact]
    public void A_dangling_symlink_is_an_error_naming_its_target()
    {
        using var dir = new MigrationDirectory();
        var link = Path.Combine(dir.Migrations, "20251002143000_moved.sql");
        File.CreateSymbolicLink(link, "../elsewhere/20251002143000_moved.sql");

        var problem = MigrationSet.Load(new FolderSource(dir.Migrations)).Problems.Should().ContainSingle().Subject;

        problem.Code.Should().Be("dangling-symlink");
        problem.Message.Should().Contain("../elsewhere/20251002143000_moved.sql");
        problem.File.Should().Be(link);
    }

    [Fact]
    public void A_loop_of_links_is_a_dangling_symlink()
    {
        using var dir = new MigrationDirectory();
        File.CreateSymbolicLink(Path.Combine(dir.Migrations, "20251002143000_a.sql"), "20251003143000_b.sql");
        File.CreateSymbolicLink(Path.Combine(dir.Migrations, "20251003143000_b.sql"), "20251002143000_a.sql");

        MigrationSet.Load(new FolderSource(dir.Migrations)).Problems.Select(p => p.Code).Should().Equal("dangling-symlink", "dangling-symlink");
    }

    [Fact]
    public void A_symlink_to_a_migration_elsewhere_is_read()
    {
        using var dir = new MigrationDirectory();
        var shared = dir.WriteRoot("shared.sql", Good);
        File.CreateSymbolicLink(Path.Combine(dir.Migrations, "20251002143000_shared.sql"), shared);

        var set = MigrationSet.Load(new FolderSource(dir.Migrations));

        set.Problems.Should().BeEmpty();
        set.Files.Single().Description.Should().Be("Good");
    }

    [Theory]
    [InlineData("/dev/zero", "a device")]
    [InlineData("/dev/null", "a device")]
    public void A_link_to_a_device_is_an_error(string device, string kind)
    {
        // /dev/zero never ends: reading it would fill memory.
        using var dir = new MigrationDirectory();
        File.CreateSymbolicLink(Path.Combine(dir.Migrations, "20251002143000_device.sql"), device);

        var problem = MigrationSet.Load(new FolderSource(dir.Migrations)).Problems.Should().ContainSingle().Subject;

        problem.Code.Should().Be("not-a-regular-file");
        problem.Message.Should().Contain(kind);
    }

    [Fact]
    public void A_folder_named_like_a_migration_is_an_error()
    {
        using var dir = new MigrationDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Migrations, "20251002143000_folder.sql"));

        var problem = MigrationSet.Load(new FolderSource(dir.Migrations)).Problems.Should().ContainSingle().Subject;

        problem.Code.Should().Be("not-a-regular-file");
        problem.Message.Should().Contain("a folder");
    }

    [Fact]
    public void A_file_that_cannot_be_read_is_an_error_with_the_system_s_reason()
    {
        // Reading /proc/self/mem from offset 0 fails with EIO for any user, root included, where a
        // chmod 000 file would not stop root.
        using var dir = new MigrationDirectory();
        File.CreateSymbolicLink(Path.Combine(dir.Migrations, "20251002143000_io.sql"), "/proc/self/mem");

        var problem = MigrationSet.Load(new FolderSource(dir.Migrations)).Problems.Should().ContainSingle().Subject;

        problem.Code.Should().Be("unreadable-file");
        problem.Message.Should().Contain("Input/output error");
        problem.Hint.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void An_empty_file_is_read_and_reported_as_empty()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251002143000_empty.sql", "");

        MigrationSet.Load(new FolderSource(dir.Migrations)).Problems.Should().ContainSingle().Which.Code.Should().Be("empty-up-section");
    }

    [Fact]
    public void Embedded_resources_with_a_near_miss_name_are_an_error()
    {
        var source = new EmbeddedSource(typeof(FolderSourceTests).Assembly, "Strata.Tests.Migrations.EmbeddedNearMiss.");

        var set = MigrationSet.Load(source);

        set.Files.Select(f => f.Version).Should().Equal("20251001000000_fine.sql");
        var problem = set.Problems.Should().ContainSingle().Subject;
        problem.Code.Should().Be("misnamed-sql-file");
        problem.File.Should().EndWith("!Strata.Tests.Migrations.EmbeddedNearMiss.20251002000000_shouting.SQL");
    }

    internal static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        mkfifo.ExitCode.Should().Be(0);
    }
}
