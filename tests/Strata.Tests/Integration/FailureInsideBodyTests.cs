using System.Text.Json;
using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>
/// Issue 17, part 2: an error raised inside a DO block or a function points at the line of the
/// body that failed, not at <c>DO $$</c>, and keeps the server's CONTEXT and internal query in
/// the output, the history row and the fail event; notices raised before it are shown.
/// </summary>
public class FailureInsideBodyTests(PostgresServer server)
{
    // Body lines count from the line of the opening $$ (file line 3): RAISE EXCEPTION is body
    // line 5, file line 7, and the notice before it body line 4.
    private const string FailsOnFifthBodyLine = """
        -- Backfill emails
        -- migrate:up
        DO $$
        DECLARE n integer := (SELECT count(*) FROM pg_class WHERE false);
        BEGIN
          RAISE NOTICE 'counted % rows', n;
          RAISE EXCEPTION 'nothing to backfill (% rows)', n;
        END $$;
        """;

    [Fact]
    public async Task A_do_block_failing_on_its_fifth_body_line_reports_that_file_line_the_context_and_the_notice_before_it()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251003000000_backfill.sql", FailsOnFifthBodyLine);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);
        var json = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json");

        up.ExitCode.Should().Be(1, up.All);
        up.Stderr.Should().Contain("20251003000000_backfill.sql:7:3: 20251003000000_backfill.sql failed: P0001: nothing to backfill (0 rows)")
            .And.Contain("  7 |   RAISE EXCEPTION 'nothing to backfill (% rows)', n;")
            .And.Contain("  context: PL/pgSQL function inline_code_block line 5 at RAISE")
            .And.Contain("  notice: counted 0 rows");
        using var document = JsonDocument.Parse(json.Stdout);
        var failure = document.RootElement.GetProperty("failure");
        (failure.GetProperty("line").GetInt32(), failure.GetProperty("column").GetInt32()).Should().Be((7, 3));
        failure.GetProperty("context").GetString().Should().Be("PL/pgSQL function inline_code_block line 5 at RAISE");
        failure.GetProperty("notices").EnumerateArray().Select(n => n.GetString()).Should().Equal("counted 0 rows");
        failure.TryGetProperty("internal_query", out _).Should().BeFalse("RAISE runs no SQL");
        (await db.ScalarAsync<string>("SELECT metadata->'error'->>'context' FROM schema_versions"))
            .Should().Be("PL/pgSQL function inline_code_block line 5 at RAISE");
        (await db.ScalarAsync<string>("SELECT details->'error'->>'context' FROM schema_version_events WHERE action = 'fail' ORDER BY id LIMIT 1"))
            .Should().Be("PL/pgSQL function inline_code_block line 5 at RAISE");
    }

    [Fact]
    public async Task A_sql_statement_failing_inside_a_do_block_points_at_its_line_and_column_and_keeps_the_internal_query()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251003000000_copy.sql", """
            -- Copy rows
            -- migrate:up
            CREATE TABLE source_rows (id int);
            DO $copy$ BEGIN
              RAISE NOTICE 'copying';
                INSERT INTO missing_target
                SELECT id FROM source_rows;
            END $copy$;
            """);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json");

        up.ExitCode.Should().Be(1, up.All);
        using var document = JsonDocument.Parse(up.Stdout);
        var failure = document.RootElement.GetProperty("failure");
        failure.GetProperty("sqlstate").GetString().Should().Be("42P01");
        (failure.GetProperty("line").GetInt32(), failure.GetProperty("column").GetInt32()).Should().Be((6, 17), "missing_target is on file line 6");
        failure.GetProperty("source_line").GetString().Should().Be("    INSERT INTO missing_target");
        failure.GetProperty("internal_query").GetString().Should().Be("INSERT INTO missing_target\n    SELECT id FROM source_rows");
        failure.GetProperty("internal_position").GetInt32().Should().Be(13);
        failure.GetProperty("context").GetString().Should().Be("PL/pgSQL function inline_code_block line 3 at SQL statement");
        failure.GetProperty("notices").EnumerateArray().Select(n => n.GetString()).Should().Equal("copying");
        var stored = await db.RowsAsync("SELECT metadata->'error'->>'internal_query', metadata->'error'->>'internal_position' FROM schema_versions");
        stored.Single().Should().Equal("INSERT INTO missing_target\n    SELECT id FROM source_rows", "13");
    }

    [Fact]
    public async Task A_function_created_in_the_same_file_points_at_the_line_of_its_body_and_keeps_the_context()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251003000000_function.sql", """
            -- A function and its first call
            -- migrate:up
            CREATE FUNCTION normalise_emails(dry boolean) RETURNS integer
            LANGUAGE plpgsql AS $$
            BEGIN
              IF NOT dry THEN
                RAISE EXCEPTION 'emails cannot be normalised yet';
              END IF;
              RETURN 0;
            END $$;
            SELECT normalise_emails(false);
            """);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(1, up.All);
        up.Stderr.Should().Contain("20251003000000_function.sql:7:5: ")
            .And.Contain("  7 |     RAISE EXCEPTION 'emails cannot be normalised yet';")
            .And.Contain("  context: PL/pgSQL function normalise_emails(boolean) line 4 at RAISE");
    }

    [Fact]
    public async Task A_function_the_file_did_not_create_keeps_the_calling_line_and_shows_the_context()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE FUNCTION fail_now() RETURNS void LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'not today'; END $$");
        using var dir = new MigrationDirectory();
        dir.Write("20251003000000_call.sql", """
            -- Call a function from elsewhere
            -- migrate:up
            DO $$
            BEGIN
              PERFORM fail_now();
            END $$;
            """);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(1, up.All);
        up.Stderr.Should().Contain("20251003000000_call.sql:5:3: ", "the DO block's frame is the innermost one whose body is in the file")
            .And.Contain("  context: PL/pgSQL function fail_now() line 1 at RAISE\n           SQL statement \"SELECT fail_now()\"\n" +
                         "           PL/pgSQL function inline_code_block line 3 at PERFORM");
    }

    [Fact]
    public async Task A_password_in_the_internal_query_or_the_context_is_masked()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251003000000_role.sql", """
            -- A role with a password, and a typo in its name
            -- migrate:up
            DO $$
            BEGIN
              EXECUTE 'ALTER ROLE no_such_role PASSWORD ''Body-secret-42''';
            END $$;
            """);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);
        var json = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json");

        up.ExitCode.Should().Be(1, up.All);
        up.Stderr.Should().Contain("context:");
        (up.All + json.All).Should().NotContain("Body-secret-42");
        (await db.ScalarAsync<string>("SELECT metadata::text FROM schema_versions")).Should().NotContain("Body-secret-42");
        (await db.ScalarAsync<string>("SELECT string_agg(details::text || coalesce(error, ''), '') FROM schema_version_events"))
            .Should().NotContain("Body-secret-42");
    }
}
