using System.Text.Json;
using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>
/// A statement-by-statement file that fails half-way has its rollback run by Strata (DESIGN §3):
/// the row ends failed, the database is back where it was, and whatever could not be undone is named.
/// </summary>
public class AutomaticRollbackTests(PostgresServer server)
{
    private static JsonElement Failure(CliResult run) => JsonDocument.Parse(run.Stdout).RootElement.GetProperty("failure");

    private static Task<long> InvalidIndexCountAsync(TestDatabase db) => db.ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE NOT indisvalid");

    [Fact]
    public async Task A_failed_concurrent_index_after_a_committed_column_is_undone_by_the_down_section()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE trips (id int); INSERT INTO trips VALUES (1), (2);");
        using var dir = new MigrationDirectory();
        dir.Write("20251002000000_trip_code.sql", """
            -- Add a unique trip code
            -- migrate:up
            ALTER TABLE trips ADD COLUMN IF NOT EXISTS code int DEFAULT 7;
            CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS trips_code_key ON trips (code);

            -- migrate:down
            DROP INDEX CONCURRENTLY IF EXISTS trips_code_key;
            ALTER TABLE trips DROP COLUMN IF EXISTS code;
            """);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json");

        up.ExitCode.Should().Be(1, up.All);
        var failure = Failure(up);
        failure.GetProperty("committed_statements").GetInt32().Should().Be(1);
        var undo = failure.GetProperty("undo");
        undo.GetProperty("complete").GetBoolean().Should().BeTrue();
        undo.GetProperty("undone").GetInt32().Should().Be(2);
        failure.GetProperty("invalid_indexes").GetArrayLength().Should().Be(0);
        failure.GetProperty("removed_indexes").EnumerateArray().Select(e => e.GetString()).Should().Equal("public.trips_code_key");
        failure.GetProperty("advice").GetString().Should().Contain("nothing of it is left");
        (await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'trips' AND column_name = 'code'")).Should().Be(0);
        (await InvalidIndexCountAsync(db)).Should().Be(0);
        (await db.ScalarAsync<string>("SELECT status FROM schema_versions")).Should().Be("failed");
        (await db.ScalarAsync<bool>("SELECT (metadata->'undo'->>'undone')::int = 2 FROM schema_versions")).Should().BeTrue();
    }

    [Fact]
    public async Task The_text_output_says_the_rollback_ran()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE trips (id int); INSERT INTO trips VALUES (1), (1);");
        using var dir = new MigrationDirectory();
        dir.Write("20251002000000_trip_index.sql", """
            -- Index trips
            -- migrate:up
            CREATE TABLE trip_notes (id int);
            CREATE UNIQUE INDEX CONCURRENTLY trips_id_key ON trips (id);
            -- migrate:down
            DROP INDEX CONCURRENTLY IF EXISTS trips_id_key;
            DROP TABLE IF EXISTS trip_notes;
            """);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(1);
        up.Stderr.Should().Contain("automatic rollback: its down section ran: 2 statement(s) undone")
            .And.Contain("removed: the INVALID index public.trips_id_key the attempt left");
        (await db.TableExistsAsync("trip_notes")).Should().BeFalse();
    }

    [Fact]
    public async Task A_down_statement_whose_object_was_never_created_is_passed_over()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        // The down has no IF EXISTS: DROP TABLE b fails with "does not exist", because the group
        // that creates b is the one that failed.
        dir.Write("20251002000000_three_steps.sql", """
            -- Three steps
            -- migrate:up
            CREATE TABLE a (id int);
            CREATE INDEX CONCURRENTLY a_id ON a (id);
            CREATE TABLE b (id int);
            SELECT 1 / 0;
            -- migrate:down
            DROP TABLE b;
            DROP INDEX CONCURRENTLY a_id;
            DROP TABLE a;
            """);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json");

        up.ExitCode.Should().Be(1, up.All);
        var undo = Failure(up).GetProperty("undo");
        undo.GetProperty("complete").GetBoolean().Should().BeTrue();
        undo.GetProperty("undone").GetInt32().Should().Be(2);
        undo.GetProperty("nothing_to_undo").GetInt32().Should().Be(1);
        (await db.TableExistsAsync("a")).Should().BeFalse();
        (await db.TableExistsAsync("b")).Should().BeFalse();
    }

    [Fact]
    public async Task A_down_that_fails_stops_and_names_the_statement_and_what_is_left()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE keep (id int); CREATE VIEW keep_view AS SELECT id FROM keep;");
        using var dir = new MigrationDirectory();
        dir.Write("20251002000000_widen.sql", """
            -- Widen keep
            -- migrate:up
            ALTER TABLE keep ADD COLUMN extra int;
            CREATE INDEX CONCURRENTLY keep_extra ON keep (extra);
            SELECT 1 / 0;
            -- migrate:down
            DROP INDEX CONCURRENTLY IF EXISTS keep_extra;
            DROP TABLE keep;
            ALTER TABLE keep DROP COLUMN IF EXISTS extra;
            """);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json");

        up.ExitCode.Should().Be(1, up.All);
        var failure = Failure(up);
        var undo = failure.GetProperty("undo");
        undo.GetProperty("complete").GetBoolean().Should().BeFalse();
        undo.GetProperty("undone").GetInt32().Should().Be(1);
        undo.GetProperty("stopped_at").GetString().Should().Be("DROP TABLE keep");
        undo.GetProperty("error").GetString().Should().StartWith("2BP01:");
        failure.GetProperty("advice").GetString().Should().Contain("did not finish").And.Contain("Undo the rest by hand");
        (await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'keep' AND column_name = 'extra'")).Should().Be(1);
        (await db.ScalarAsync<string>("SELECT status FROM schema_versions")).Should().Be("failed");
    }

    [Fact]
    public async Task A_file_without_a_down_section_keeps_what_took_effect_and_says_so()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251002000000_no_down.sql", """
            -- No down
            -- migrate:up
            CREATE TABLE a (id int);
            CREATE INDEX CONCURRENTLY a_id ON a (id);
            SELECT 1 / 0;
            """);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json");

        up.ExitCode.Should().Be(1, up.All);
        var failure = Failure(up);
        failure.TryGetProperty("undo", out _).Should().BeFalse();
        failure.GetProperty("advice").GetString().Should().Contain("no down section");
        (await db.TableExistsAsync("a")).Should().BeTrue();
    }

    [Fact]
    public async Task A_transactional_file_needs_no_undo()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251002000000_tx.sql", "-- Tx\n-- migrate:up\nCREATE TABLE a (id int);\nSELECT 1 / 0;\n-- migrate:down\nDROP TABLE a;\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json");

        up.ExitCode.Should().Be(1);
        Failure(up).TryGetProperty("undo", out _).Should().BeFalse();
        Failure(up).TryGetProperty("removed_indexes", out _).Should().BeFalse();
    }

    [Fact]
    public async Task After_the_automatic_rollback_the_fixed_file_applies()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE trips (id int); INSERT INTO trips VALUES (1), (1);");
        using var dir = new MigrationDirectory();
        const string down = "-- migrate:down\nDROP INDEX CONCURRENTLY IF EXISTS trips_id_key;\nALTER TABLE trips DROP COLUMN IF EXISTS note;\n";
        dir.Write("20251002000000_trips.sql",
            "-- Trips\n-- migrate:up\nALTER TABLE trips ADD COLUMN note text;\nCREATE UNIQUE INDEX CONCURRENTLY trips_id_key ON trips (id);\n" + down);
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(1);

        // Not idempotent (no IF NOT EXISTS), and still it applies: the failed attempt left nothing.
        await db.ExecuteAsync("DELETE FROM trips WHERE ctid = (SELECT max(ctid) FROM trips)");
        var retry = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        retry.ExitCode.Should().Be(0, retry.All);
        (await db.ScalarAsync<string>("SELECT status FROM schema_versions")).Should().Be("applied");
        (await db.RowsAsync("SELECT action FROM schema_version_events ORDER BY id")).Select(r => r[0])
            .Should().Equal("start", "progress", "fail", "start", "progress", "progress", "apply");
    }
}
