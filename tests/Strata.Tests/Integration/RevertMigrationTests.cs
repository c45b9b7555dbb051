using System.Text.Json;
using Strata.Migrations;
using Strata.Project;
using Strata.Running;
using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>
/// <c>rollback VERSION --as-migration</c>: the strategy's post-deployment rollback as a forward
/// migration whose up is the stored rollback SQL and whose down the original up.
/// </summary>
public class RevertMigrationTests(PostgresServer server)
{
    private static readonly string Example = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../examples/wheels-wins"));

    private static Task<string> SchemaAsync(TestDatabase db) => db.ScalarAsync<string>("""
        SELECT coalesce(string_agg(x, E'\n' ORDER BY x), '') FROM (
            SELECT table_name || '.' || column_name || ' ' || data_type AS x FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name NOT LIKE 'schema_version%'
            UNION ALL
            SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE 'schema_version%') s
        """)!;

    /// <summary>The example's first <paramref name="count"/> files: the last one is the pattern to revert.</summary>
    private static string CopyExample(MigrationDirectory dir, int count)
    {
        var files = Directory.GetFiles(Path.Combine(Example, "migrations"), "*.sql").Order(StringComparer.Ordinal).Take(count).ToList();
        foreach (var file in files) File.Copy(file, Path.Combine(dir.Migrations, Path.GetFileName(file)));
        return Path.GetFileName(files[^1]);
    }

    private static string[] Reverts(MigrationDirectory dir) => Directory.GetFiles(dir.Migrations, "*_revert_*.sql");

    public static TheoryData<int> Patterns => [3, 5, 7];

    [Theory]
    [MemberData(nameof(Patterns))]
    public async Task A_pattern_reverted_as_a_migration_leaves_the_schema_before_it_and_its_row_rolled_back(int count)
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        var pattern = CopyExample(dir, count);
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--to", Path.GetFileName(Directory.GetFiles(dir.Migrations).Order().ToList()[^2]))).ExitCode.Should().Be(0);
        var before = await SchemaAsync(db);
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        var after = await SchemaAsync(db);

        var write = await StrataCli.RunAsync(dir.Root, "rollback", pattern[..14], "--as-migration", "--url", db.Url, "--reason", "INC-9: slow writes", "--json");

        write.ExitCode.Should().Be(0, write.All);
        var revert = Reverts(dir).Should().ContainSingle().Subject;
        using (var json = JsonDocument.Parse(write.Stdout)) json.RootElement.GetProperty("revert_file").GetString().Should().Be(revert);
        var text = File.ReadAllText(revert);
        text.Should().StartWith($"-- Revert {pattern}: INC-9: slow writes\n-- strata:reverts {pattern}\n");
        (await db.ScalarAsync<string>($"SELECT status FROM schema_versions WHERE version = '{pattern}'")).Should().Be("applied", "writing the file runs nothing");
        var status = await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url, "--json");
        status.ExitCode.Should().Be(0, status.All);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(0, up.All);
        (await SchemaAsync(db)).Should().Be(before);
        (await db.ScalarAsync<string>($"SELECT status FROM schema_versions WHERE version = '{pattern}'")).Should().Be("rolled_back");
        (await db.ScalarAsync<string>($"SELECT metadata->>'reverted_by' FROM schema_versions WHERE version = '{pattern}'")).Should().Be(Path.GetFileName(revert));
        var noop = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);
        noop.Stdout.Should().Contain("Nothing to apply", "a reverted migration is not pending while its revert is applied");
        (await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url)).Stdout.Should().Contain("reverted");

        // Rolling the revert back applies the original again.
        var undo = await StrataCli.RunAsync(dir.Root, "rollback", "--url", db.Url, "--reason", "INC-9 was a false alarm");
        undo.ExitCode.Should().Be(0, undo.All);
        (await SchemaAsync(db)).Should().Be(after);
        (await db.ScalarAsync<string>($"SELECT status FROM schema_versions WHERE version = '{pattern}'")).Should().Be("applied");
    }

    [Fact]
    public async Task On_a_fresh_database_the_migration_and_its_revert_both_run_in_order()
    {
        await using var applied = await server.CreateDatabaseAsync();
        await using var fresh = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        var pattern = CopyExample(dir, 3);
        (await StrataCli.RunAsync(dir.Root, "up", "--url", applied.Url)).ExitCode.Should().Be(0);
        (await StrataCli.RunAsync(dir.Root, "rollback", pattern, "--as-migration", "--url", applied.Url, "--reason", "r")).ExitCode.Should().Be(0);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", fresh.Url);

        up.ExitCode.Should().Be(0, up.All);
        (await fresh.ScalarAsync<string>($"SELECT status FROM schema_versions WHERE version = '{pattern}'")).Should().Be("rolled_back");
        (await fresh.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE column_name = 'tool_calls_json'")).Should().Be(0);
    }

    [Fact]
    public async Task What_cannot_be_reverted_is_refused_and_no_file_is_written()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_forever.sql", "-- Forever\n-- migrate:up\nCREATE TABLE c (id int);\n-- migrate:down irreversible\n");
        dir.Write("20251002000000_no_down.sql", "-- No down\n-- migrate:up\nCREATE TABLE b (id int);\n");
        dir.Write("20251003000000_e.sql", "-- E\n-- migrate:up\nCREATE TABLE e (id int);\n-- migrate:down\nDROP TABLE e;\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);

        var irreversible = await StrataCli.RunAsync(dir.Root, "rollback", "20251001000000", "--as-migration", "--url", db.Url, "--reason", "r");
        var noSql = await StrataCli.RunAsync(dir.Root, "rollback", "20251002000000", "--as-migration", "--url", db.Url, "--reason", "r");
        var last = await StrataCli.RunAsync(dir.Root, "rollback", "--last", "1", "--as-migration", "--url", db.Url, "--reason", "r");
        var noReason = await StrataCli.RunAsync(dir.Root, "rollback", "20251003000000", "--as-migration", "--url", db.Url);
        var unknown = await StrataCli.RunAsync(dir.Root, "rollback", "20991231000000", "--as-migration", "--url", db.Url, "--reason", "r");

        irreversible.ExitCode.Should().Be(3, irreversible.All);
        irreversible.Stderr.Should().Contain("irreversible");
        noSql.ExitCode.Should().Be(3, noSql.All);
        noSql.Stderr.Should().Contain("no stored rollback SQL");
        last.ExitCode.Should().Be(2, last.All);
        last.Stderr.Should().Contain("--as-migration writes the revert of one migration");
        noReason.ExitCode.Should().Be(2, noReason.All);
        unknown.ExitCode.Should().Be(2, unknown.All);
        Reverts(dir).Should().BeEmpty();
    }

    [Fact]
    public async Task An_edited_original_is_refused_because_the_down_section_must_be_the_up_that_ran()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        var path = dir.Write("20251003000000_edited.sql", "-- Edited\n-- migrate:up\nCREATE TABLE e (id int);\n-- migrate:down\nDROP TABLE e;\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        File.WriteAllText(path, "-- Edited\n-- migrate:up\nCREATE TABLE e (id bigint);\n-- migrate:down\nDROP TABLE e;\n");

        var changed = await StrataCli.RunAsync(dir.Root, "rollback", "20251003000000", "--as-migration", "--url", db.Url, "--reason", "r");

        changed.ExitCode.Should().Be(3, changed.All);
        changed.Stderr.Should().Contain("was edited after it was applied").And.Contain("git checkout");
        Reverts(dir).Should().BeEmpty();
    }

    [Fact]
    public async Task A_second_revert_of_the_same_migration_is_refused_and_a_dry_run_writes_nothing()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_t.sql", "-- T\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);

        var dry = await StrataCli.RunAsync(dir.Root, "rollback", "20251001000000", "--as-migration", "--dry-run", "--url", db.Url);
        Reverts(dir).Should().BeEmpty();
        var first = await StrataCli.RunAsync(dir.Root, "rollback", "20251001000000", "--as-migration", "--url", db.Url, "--reason", "r");
        var second = await StrataCli.RunAsync(dir.Root, "rollback", "20251001000000", "--as-migration", "--url", db.Url, "--reason", "r");

        dry.ExitCode.Should().Be(0, dry.All);
        dry.Stdout.Should().Contain("would write").And.Contain("_revert_t.sql");
        first.ExitCode.Should().Be(0, first.All);
        second.ExitCode.Should().Be(3, second.All);
        second.Stderr.Should().Contain("already in the folder");
        Reverts(dir).Should().ContainSingle();
    }

    [Theory]
    [InlineData("-- strata:revert 20251001000000_t.sql")]
    [InlineData("-- strata:reverts")]
    [InlineData("-- strata:reverts not-a-migration")]
    [InlineData("-- Strata: Reverts 20251001000000_t.sql")]
    public async Task A_malformed_reverts_line_is_a_folder_problem_not_a_comment(string line)
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_t.sql", "-- T\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n");
        dir.Write("20251002000000_revert_t.sql", $"-- Revert t\n{line}\n\n-- migrate:up\nDROP TABLE t;\n-- migrate:down\nCREATE TABLE t (id int);\n");

        var status = await StrataCli.RunAsync(dir.Root, "up", "--dry-run", "--url", "postgresql://nobody@127.0.0.1:1/none");

        status.ExitCode.Should().Be(2, status.All);
        status.Stderr.Should().Contain("20251002000000_revert_t.sql:2").And.Contain("is not a valid reverts line");
    }

    [Fact]
    public async Task The_library_writes_the_revert_through_the_project()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_t.sql", "-- T\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n");
        var project = StrataProject.Open(new ProjectOptions { WorkingDirectory = dir.Root, Url = db.Url, AppliedBy = "tests" });
        (await project.UpAsync(new UpOptions())).Failure.Should().BeNull();

        var result = await project.RollbackAsync(new RollbackOptions("20251001000000", Reason: "from code", AsMigration: true));

        result.IsRefused.Should().BeFalse();
        result.RevertFile.Should().NotBeNull();
        var reloaded = MigrationSet.Load(new FolderSource(dir.Migrations));
        reloaded.Problems.Should().BeEmpty();
        reloaded.Files[^1].Reverts.Should().Be("20251001000000_t.sql");
        var up = await StrataProject.Open(new ProjectOptions { WorkingDirectory = dir.Root, Url = db.Url, AppliedBy = "tests" }).UpAsync(new UpOptions());
        up.Applied.Should().ContainSingle();
        (await db.TableExistsAsync("t")).Should().BeFalse();
    }
}
