using System.Text.Json;
using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>
/// Notices belong to the migration that raised them: a file's RAISE NOTICE and "already exists,
/// skipping" are shown with it, Strata's own bookkeeping's are not (issue 17, part 2).
/// </summary>
public class NoticeTests(PostgresServer server)
{
    private static readonly string Example = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../examples/wheels-wins"));

    [Fact]
    public async Task A_clean_run_on_a_fresh_database_shows_none_of_strata_s_own_notices()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        // The strategy's bootstrap file creates the history table itself; Strata then completes it
        // with CREATE ... IF NOT EXISTS, which says "already exists, skipping" for each part.
        File.Copy(Path.Combine(Example, "migrations", "20251002120000_create_schema_versions_table.sql"),
            Path.Combine(dir.Migrations, "20251002120000_create_schema_versions_table.sql"));
        dir.Write("20251002143000_after.sql", "-- After\n-- migrate:up\nCREATE TABLE after_bootstrap (id int);\n");
        dir.Write("20251002150000_index.sql", "-- Index\n-- migrate:up\nCREATE INDEX CONCURRENTLY IF NOT EXISTS after_id ON after_bootstrap (id);\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json");

        up.ExitCode.Should().Be(0, up.All);
        using var document = JsonDocument.Parse(up.Stdout);
        document.RootElement.GetProperty("applied").EnumerateArray().SelectMany(a => a.GetProperty("notices").EnumerateArray())
            .Select(n => n.GetString()).Should().BeEmpty();
    }

    [Fact]
    public async Task A_file_s_own_notices_are_shown_with_it_in_both_kinds_of_run()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE existing (id int)");
        using var dir = new MigrationDirectory();
        dir.Write("20251002143000_once.sql", "-- Once\n-- migrate:up\nCREATE TABLE IF NOT EXISTS existing (id int);\nDO $$ BEGIN RAISE WARNING 'careful'; END $$;\n");
        dir.Write("20251002150000_alone.sql",
            "-- Alone\n-- migrate:up\nCREATE INDEX CONCURRENTLY IF NOT EXISTS existing_id ON existing (id);\nDO $$ BEGIN RAISE NOTICE 'indexed'; END $$;\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json");

        up.ExitCode.Should().Be(0, up.All);
        using var document = JsonDocument.Parse(up.Stdout);
        var notices = document.RootElement.GetProperty("applied").EnumerateArray()
            .Select(a => string.Join(" | ", a.GetProperty("notices").EnumerateArray().Select(n => n.GetString()))).ToList();
        notices.Should().Equal("relation \"existing\" already exists, skipping | careful", "indexed");
    }

    [Fact]
    public async Task A_notice_before_a_failure_in_a_statement_by_statement_file_is_shown()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251002143000_alone.sql", """
            -- Alone
            -- migrate:up transaction:false
            DO $$ BEGIN RAISE NOTICE 'first'; END $$;
            DO $$ BEGIN RAISE NOTICE 'second'; END $$;
            SELECT 1/0;
            """);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(1, up.All);
        up.Stderr.Should().Contain("  notice: first\n  notice: second\n");
    }
}
