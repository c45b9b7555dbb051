using Strata.Migrations;
using Strata.Project;
using Strata.Running;
using Strata.Tests.Support;

namespace Strata.Tests.Project;

/// <summary>
/// Bad input to the embedding API (issue 18, acceptance 5): an application that asks for an
/// exception (<see cref="UpResult.EnsureSucceeded"/>) gets a <see cref="StrataException"/> whose
/// message is what <c>strata up</c> prints after <c>error: </c>, and nothing reaches the database.
/// </summary>
public class EmbeddingBadInputTests(PostgresServer server)
{
    private static ProjectOptions Options(TestDatabase db, IMigrationSource source) => new()
    {
        WorkingDirectory = Path.GetTempPath(),
        Source = source,
        Url = db.Url,
        EnvironmentVariables = _ => null,
    };

    /// <summary>Strata's own relations in the test database: none may exist after a refused run.</summary>
    private static Task<long> HistoryRelationsAsync(TestDatabase db) => db.ScalarAsync<long>(
        "SELECT count(*) FROM pg_class WHERE relname IN ('schema_versions', 'schema_version_events')");

    /// <summary>What the CLI prints for the same folder, without its "error: " prefixes.</summary>
    private static async Task<string> CliMessageAsync(TestDatabase db, string folder)
    {
        var cli = await StrataCli.RunAsync(Path.GetTempPath(), "up", "--dir", folder, "--url", db.Url);
        cli.ExitCode.Should().Be(2, cli.All);
        return cli.Stderr.TrimEnd('\n').Replace("error: ", "");
    }

    [Fact]
    public async Task A_missing_folder_throws_the_cli_s_message_and_writes_nothing()
    {
        await using var db = await server.CreateDatabaseAsync();
        var folder = Path.Combine(Path.GetTempPath(), $"strata-missing-{Guid.NewGuid():N}");
        var project = StrataProject.Open(Options(db, new FolderSource(folder)));

        var act = async () => (await project.UpAsync(new UpOptions())).EnsureSucceeded();

        var thrown = (await act.Should().ThrowAsync<StrataException>()).Which;
        thrown.Problem.Code.Should().Be("missing-migrations-folder");
        thrown.Problem.Kind.Should().Be(ProblemKind.BadInput);
        thrown.Message.Should().Contain(folder).And.Be(await CliMessageAsync(db, folder));
        (await HistoryRelationsAsync(db)).Should().Be(0);
    }

    [Fact]
    public async Task An_assembly_without_embedded_migrations_throws_and_writes_nothing()
    {
        await using var db = await server.CreateDatabaseAsync();
        var source = new EmbeddedSource(typeof(EmbeddingBadInputTests).Assembly, "Strata.Tests.NoSuchFolder.");
        var project = StrataProject.Open(Options(db, source));

        var act = async () => (await project.UpAsync(new UpOptions())).EnsureSucceeded();

        var thrown = (await act.Should().ThrowAsync<StrataException>()).Which;
        thrown.Problem.Code.Should().Be("no-embedded-migrations");
        thrown.Message.Should().Be(thrown.Problem.ToString()).And.Contain("Strata.Tests.NoSuchFolder.");
        (await HistoryRelationsAsync(db)).Should().Be(0);
    }

    [Fact]
    public async Task Malformed_files_throw_every_problem_as_the_cli_prints_them_and_write_nothing()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_create_a.sql", "-- Create a\n-- migrate:up\nCREATE TABLE a (id int);\n");
        dir.Write("20251002000000_bad_marker.sql", "-- Bad marker\n-- migrate:up transaction:maybe\nCREATE TABLE b (id int);\n");
        dir.Write("20251003000000_down_first.sql", "-- Down first\n-- migrate:down\nDROP TABLE c;\n-- migrate:up\nCREATE TABLE c (id int);\n");
        var project = StrataProject.Open(Options(db, new FolderSource(dir.Migrations)));

        var act = async () => (await project.UpAsync(new UpOptions())).EnsureSucceeded();

        var thrown = (await act.Should().ThrowAsync<StrataException>()).Which;
        thrown.Problems.Select(p => p.Code).Should().BeEquivalentTo("bad-marker-value", "down-before-up");
        thrown.Message.Should().Be(await CliMessageAsync(db, dir.Migrations));
        thrown.Message.Should().EndWith("2 problems; nothing was changed.");
        (await HistoryRelationsAsync(db)).Should().Be(0);
        (await db.TableExistsAsync("a")).Should().BeFalse("a good file beside bad ones does not run either");
    }

    [Fact]
    public async Task A_failed_migration_throws_the_account_the_cli_prints()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_broken.sql", "-- Broken\n-- migrate:up\nCREATE TABLE ok (id int);\nALTER TABLE missing ADD COLUMN x int;\n");
        var project = StrataProject.Open(Options(db, new FolderSource(dir.Migrations)));

        var act = async () => (await project.UpAsync(new UpOptions())).EnsureSucceeded();

        var thrown = (await act.Should().ThrowAsync<StrataException>()).Which;
        thrown.Problem.Code.Should().Be("migration-failed");
        thrown.Problem.Kind.Should().Be(ProblemKind.OperationFailed);
        thrown.Problem.Line.Should().Be(4);
        var cli = await StrataCli.RunAsync(Path.GetTempPath(), "up", "--dir", dir.Migrations, "--url", db.Url);
        cli.ExitCode.Should().Be(1, cli.All);
        ("error: " + thrown.Message + "\n").Should().Be(cli.Stderr);
        thrown.Message.Should().StartWith($"{Path.Combine(dir.Migrations, "20251001000000_broken.sql")}:4:").And.Contain("42P01");
    }

    [Fact]
    public async Task A_successful_run_returns_itself()
    {
        await using var db = await server.CreateDatabaseAsync();
        var project = StrataProject.Open(Options(db, new MemorySource(("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n"))));

        var up = (await project.UpAsync(new UpOptions())).EnsureSucceeded();

        up.Applied.Select(a => a.Version).Should().Equal("20251001000000_a.sql");
    }
}
