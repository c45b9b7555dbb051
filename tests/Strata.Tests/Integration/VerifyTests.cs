using System.Text.Json;
using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>
/// <c>strata verify</c>: apply, run again, roll back, apply again, on scratch databases, with the
/// schema diff that proves each failure.
/// </summary>
public class VerifyTests(PostgresServer server)
{
    private static readonly string Example = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../examples/wheels-wins"));

    /// <summary>Verifies a folder with its scratch databases on the test server (faster than a cluster of its own).</summary>
    private async Task<(CliResult Run, JsonElement Json)> VerifyAsync(MigrationDirectory dir)
    {
        await using var host = await server.CreateDatabaseAsync();
        var run = await StrataCli.RunAsync(dir.Root, "verify", "--url", host.Url, "--json");
        return (run, JsonDocument.Parse(run.Stdout).RootElement.Clone());
    }

    private static JsonElement Step(JsonElement json, string version, string step) =>
        json.GetProperty("migrations").EnumerateArray().Single(m => m.GetProperty("version").GetString()!.StartsWith(version))
            .GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("name").GetString() == step);

    private static string Differences(JsonElement step) =>
        string.Join("\n", step.TryGetProperty("differences", out var d) ? d.EnumerateArray().Select(e => e.GetString()) : []);

    [Fact]
    public async Task The_example_passes_on_a_throwaway_cluster_of_its_own()
    {
        var run = await StrataCli.RunAsync(Example, "verify");

        run.ExitCode.Should().Be(0, run.All);
        run.Stdout.Should().Contain("Verified 9 migration(s) on a throwaway PostgreSQL cluster: 9 passed.")
            .And.Contain("PASS 20251006100000_add_index_pam_conversations_user_created.sql")
            .And.Contain("rollback: declared irreversible");
    }

    [Fact]
    public async Task The_example_passes_on_scratch_databases_of_a_given_server_and_leaves_none_behind()
    {
        await using var host = await server.CreateDatabaseAsync();

        var run = await StrataCli.RunAsync(Example, "verify", "--url", host.Url, "--json");

        run.ExitCode.Should().Be(0, run.All);
        var json = JsonDocument.Parse(run.Stdout).RootElement;
        json.GetProperty("passed").GetBoolean().Should().BeTrue();
        json.GetProperty("migrations").GetArrayLength().Should().Be(9);
        Step(json, "20251002120000", "rollback").GetProperty("status").GetString().Should().Be("skipped");
        Step(json, "20251002143000", "re-apply").GetProperty("status").GetString().Should().Be("passed");
        (await host.ScalarAsync<long>("SELECT count(*) FROM pg_database WHERE datname LIKE 'strata_verify_%'")).Should().Be(0);
        (await host.TableExistsAsync("schema_versions")).Should().BeFalse("verify never touches the database it was given");
        run.All.Should().NotContain(PostgresServer.CanaryPassword);
    }

    [Fact]
    public async Task Verify_queries_may_return_enums_and_extension_types_and_only_booleans_are_judged()
    {
        // Strata does not load the database's types, so a column of a type the driver does not
        // know (an enum, a domain, an extension's type) must still be read, and not judged.
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_mood.sql",
            "-- Mood\n-- migrate:up\nCREATE TYPE mood AS ENUM ('happy', 'sad');\nCREATE DOMAIN yes AS boolean;\n" +
            "CREATE TABLE IF NOT EXISTS person (id int, m mood);\nINSERT INTO person SELECT 1, 'happy' WHERE NOT EXISTS (SELECT 1 FROM person);\n" +
            "-- migrate:down\nDROP TABLE person;\nDROP DOMAIN yes;\nDROP TYPE mood;\n" +
            "-- migrate:verify\nSELECT m FROM person;\nSELECT 'sad'::mood, 1;\nSELECT (count(*) = 1)::yes FROM person WHERE m = 'happy';\nSELECT (m = 'sad')::yes FROM person;\n");

        var (run, json) = await VerifyAsync(dir);

        var assertions = Step(json, "20251001000000", "assertions");
        assertions.GetProperty("status").GetString().Should().Be("failed", run.All);
        run.Stdout.Should().Contain("20251001000000_mood.sql:15").And.Contain("returned false")
            .And.NotContain("20251001000000_mood.sql:12").And.NotContain("20251001000000_mood.sql:13").And.NotContain("20251001000000_mood.sql:14");
        run.All.Should().NotContain("internal-error");
    }

    [Fact]
    public async Task A_down_that_forgets_an_index_fails_naming_the_index()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_t.sql", "-- T\n-- migrate:up\nCREATE TABLE IF NOT EXISTS t (id int, email text);\n-- migrate:down\nDROP TABLE t;\n");
        dir.Write("20251002000000_idx.sql",
            "-- Index\n-- migrate:up\nCREATE INDEX IF NOT EXISTS t_email ON t (email);\nALTER TABLE t ADD COLUMN IF NOT EXISTS n int;\n" +
            "-- migrate:down\nALTER TABLE t DROP COLUMN IF EXISTS n;\n");

        var (run, json) = await VerifyAsync(dir);

        run.ExitCode.Should().Be(1, run.All);
        var rollback = Step(json, "20251002000000", "rollback");
        rollback.GetProperty("status").GetString().Should().Be("failed");
        Differences(rollback).Should().Contain("index public.t_email on public.t: present after rollback, absent before");
        Step(json, "20251001000000", "rollback").GetProperty("status").GetString().Should().Be("passed");
    }

    [Fact]
    public async Task A_down_that_drops_the_wrong_column_fails_naming_both_columns()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_t.sql", "-- T\n-- migrate:up\nCREATE TABLE IF NOT EXISTS t (id int, keep text);\n-- migrate:down\nDROP TABLE t;\n");
        dir.Write("20251002000000_col.sql",
            "-- Col\n-- migrate:up\nALTER TABLE t ADD COLUMN IF NOT EXISTS added int;\n-- migrate:down\nALTER TABLE t DROP COLUMN IF EXISTS keep;\n");

        var (run, json) = await VerifyAsync(dir);

        run.ExitCode.Should().Be(1, run.All);
        var differences = Differences(Step(json, "20251002000000", "rollback"));
        differences.Should().Contain("public.t.added").And.Contain("public.t.keep");
    }

    [Fact]
    public async Task A_create_table_without_if_not_exists_fails_idempotency_with_the_line()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_t.sql", "-- T\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n");

        var (run, json) = await VerifyAsync(dir);

        run.ExitCode.Should().Be(1, run.All);
        var idempotency = Step(json, "20251001000000", "idempotency");
        idempotency.GetProperty("status").GetString().Should().Be("failed");
        idempotency.GetProperty("detail").GetString().Should().Contain("20251001000000_t.sql:3").And.Contain("42P07");
        // The cycle goes on from the first apply: the rollback and re-apply are still checked.
        Step(json, "20251001000000", "rollback").GetProperty("status").GetString().Should().Be("passed");
        Step(json, "20251001000000", "re-apply").GetProperty("status").GetString().Should().Be("passed");
    }

    [Fact]
    public async Task A_down_that_forgets_row_level_security_or_a_policy_fails_naming_them()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_t.sql", "-- T\n-- migrate:up\nCREATE TABLE IF NOT EXISTS docs (id int, owner name);\n-- migrate:down\nDROP TABLE docs;\n");
        dir.Write("20251002000000_rls.sql", """
            -- RLS
            -- migrate:up
            ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
            DROP POLICY IF EXISTS own_docs ON docs;
            CREATE POLICY own_docs ON docs USING (owner = current_user);
            -- migrate:down
            SELECT 1;
            """);

        var (run, json) = await VerifyAsync(dir);

        run.ExitCode.Should().Be(1, run.All);
        var differences = Differences(Step(json, "20251002000000", "rollback"));
        differences.Should().Contain("own_docs").And.Contain("public.docs");
        differences.Should().MatchRegex("(?i)row.level|rls");
    }

    [Fact]
    public async Task A_function_whose_body_the_down_does_not_restore_fails_naming_the_function()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_f.sql",
            "-- F\n-- migrate:up\nCREATE OR REPLACE FUNCTION answer() RETURNS int LANGUAGE sql AS $$ SELECT 41 $$;\n-- migrate:down\nDROP FUNCTION answer();\n");
        dir.Write("20251002000000_f2.sql",
            "-- F2\n-- migrate:up\nCREATE OR REPLACE FUNCTION answer() RETURNS int LANGUAGE sql AS $$ SELECT 42 $$;\n-- migrate:down\nSELECT 1;\n");

        var (run, json) = await VerifyAsync(dir);

        run.ExitCode.Should().Be(1, run.All);
        Differences(Step(json, "20251002000000", "rollback")).Should().Contain("public.answer()");
    }

    [Fact]
    public async Task A_migration_that_does_not_apply_stops_verification_with_its_error()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_bad.sql", "-- Bad\n-- migrate:up\nCREATE TABLE IF NOT EXISTS t (id int REFERENCES missing (id));\n-- migrate:down\nDROP TABLE t;\n");
        dir.Write("20251002000000_later.sql", "-- Later\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n");

        var (run, json) = await VerifyAsync(dir);

        run.ExitCode.Should().Be(1, run.All);
        json.GetProperty("stopped_at").GetString().Should().Contain("20251001000000_bad.sql does not apply");
        json.GetProperty("migrations").GetArrayLength().Should().Be(1);
        Step(json, "20251001000000", "apply").GetProperty("detail").GetString().Should().Contain("42P01");
    }

    [Fact]
    public async Task Verify_never_runs_on_an_environment_and_an_unknown_from_is_bad_usage()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_t.sql", "-- T\n-- migrate:up\nSELECT 1;\n");
        dir.WriteRoot("strata.toml", "[environments.production]\nurl = \"postgresql://nobody@127.0.0.1:1/prod\"\n");

        var env = await StrataCli.RunAsync(dir.Root, "verify", "--env", "production");
        var from = await StrataCli.RunAsync(dir.Root, "verify", "--from", "20991231000000", "--url", "postgresql://nobody@127.0.0.1:1/x");

        env.ExitCode.Should().Be(2, env.All);
        env.Stderr.Should().Contain("verify never runs on an environment's database");
        from.ExitCode.Should().Be(2, from.All);
    }

    [Fact]
    public async Task From_applies_the_earlier_migrations_without_checking_them()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_t.sql", "-- Not idempotent, but before --from\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n");
        dir.Write("20251002000000_c.sql", "-- C\n-- migrate:up\nALTER TABLE t ADD COLUMN IF NOT EXISTS c int;\n-- migrate:down\nALTER TABLE t DROP COLUMN IF EXISTS c;\n");
        await using var host = await server.CreateDatabaseAsync();

        var run = await StrataCli.RunAsync(dir.Root, "verify", "--from", "20251002000000", "--url", host.Url, "--json");

        run.ExitCode.Should().Be(0, run.All);
        var json = JsonDocument.Parse(run.Stdout).RootElement;
        json.GetProperty("migrations").EnumerateArray().Select(m => m.GetProperty("version").GetString()).Should().Equal("20251002000000_c.sql");
    }

    [Fact]
    public async Task Function_bodies_that_create_accepts_but_would_fail_when_called_are_each_named_with_their_file()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_t.sql", "-- T\n-- migrate:up\nCREATE TABLE IF NOT EXISTS trips (id int, km int);\n-- migrate:down\nDROP TABLE trips;\n");
        dir.Write("20251002000000_functions.sql", """
            -- Functions
            -- migrate:up
            CREATE OR REPLACE FUNCTION trip_miles(trip_id int) RETURNS int LANGUAGE plpgsql AS $$
            BEGIN
                RETURN (SELECT miles FROM trips WHERE id = trip_id);
            END;
            $$;
            CREATE OR REPLACE FUNCTION trip_total() RETURNS int LANGUAGE plpgsql AS $$
            BEGIN
                RETURN sum_of_all_trips();
            END;
            $$;
            -- migrate:down
            DROP FUNCTION IF EXISTS trip_total();
            DROP FUNCTION IF EXISTS trip_miles(int);
            """);

        var (run, json) = await VerifyAsync(dir);

        run.ExitCode.Should().Be(1, run.All);
        var functions = Step(json, "20251002000000", "functions");
        functions.GetProperty("status").GetString().Should().Be("failed");
        var lines = Differences(functions);
        lines.Should().Contain("function public.trip_miles(trip_id integer)").And.Contain("42703");
        lines.Should().Contain("function public.trip_total()").And.Contain("42883");
        lines.Should().Contain("20251002000000_functions.sql:5").And.Contain("20251002000000_functions.sql:10");
    }

    [Fact]
    public async Task A_false_verify_assertion_fails_and_the_report_names_it()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_t.sql", """
            -- T
            -- migrate:up
            CREATE TABLE IF NOT EXISTS trips (id int);
            -- migrate:down
            DROP TABLE trips;
            -- migrate:verify
            SELECT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'trips');
            SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'idx_trips_missing');
            SELECT count(*) FROM trips;
            """);

        var (run, json) = await VerifyAsync(dir);

        run.ExitCode.Should().Be(1, run.All);
        var assertions = Step(json, "20251001000000", "assertions");
        assertions.GetProperty("status").GetString().Should().Be("failed");
        var lines = Differences(assertions);
        lines.Should().Contain("20251001000000_t.sql:8: returned false: SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'idx_trips_missing')");
        lines.Should().NotContain(":7:").And.NotContain(":9:");
        Step(json, "20251001000000", "assertions after re-apply").GetProperty("status").GetString().Should().Be("failed");
    }

    [Fact]
    public async Task A_verify_query_that_errors_fails_with_its_sqlstate_and_true_ones_pass()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_ok.sql",
            "-- Ok\n-- migrate:up\nCREATE TABLE IF NOT EXISTS a (id int);\n-- migrate:down\nDROP TABLE a;\n-- migrate:verify\nSELECT to_regclass('a') IS NOT NULL;\n");
        dir.Write("20251002000000_bad.sql",
            "-- Bad\n-- migrate:up\nCREATE TABLE IF NOT EXISTS b (id int);\n-- migrate:down\nDROP TABLE b;\n-- migrate:verify\nSELECT missing_column FROM b;\n");

        var (run, json) = await VerifyAsync(dir);

        run.ExitCode.Should().Be(1, run.All);
        Step(json, "20251001000000", "assertions").GetProperty("status").GetString().Should().Be("passed");
        Differences(Step(json, "20251002000000", "assertions")).Should().Contain("20251002000000_bad.sql:7: 42703");
    }

    [Fact]
    public async Task Idempotency_can_be_made_a_warning_in_strata_toml()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_t.sql", "-- T\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n");
        dir.WriteRoot("strata.toml", "[verify]\nidempotency = \"warn\"\n");

        var (run, json) = await VerifyAsync(dir);

        run.ExitCode.Should().Be(0, run.All);
        json.GetProperty("migrations")[0].GetProperty("verdict").GetString().Should().Be("warning");
        Step(json, "20251001000000", "idempotency").GetProperty("status").GetString().Should().Be("warning");
    }

    private const string SupabaseMigration = """
        -- Profiles for Supabase users
        -- migrate:up
        CREATE TABLE IF NOT EXISTS profiles (
            id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
            display_name text
        );
        ALTER TABLE profiles ENABLE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS "Users see own profile" ON profiles;
        CREATE POLICY "Users see own profile" ON profiles FOR SELECT USING (auth.uid() = id);
        GRANT SELECT ON profiles TO authenticated;
        INSERT INTO storage.buckets (id, name, public) VALUES ('avatars', 'avatars', false) ON CONFLICT (id) DO NOTHING;
        -- migrate:down
        DELETE FROM storage.buckets WHERE id = 'avatars';
        DROP TABLE IF EXISTS profiles;
        """;

    [Fact]
    public async Task A_supabase_folder_passes_with_the_supabase_preamble()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_profiles.sql", SupabaseMigration);
        dir.WriteRoot("strata.toml", "[scratch]\npreamble = \"supabase\"\n");

        var (run, json) = await VerifyAsync(dir);

        run.ExitCode.Should().Be(0, run.All);
        json.GetProperty("passed").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task Without_the_preamble_a_supabase_folder_fails_with_a_message_that_suggests_it()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_profiles.sql", SupabaseMigration);

        var (run, json) = await VerifyAsync(dir);

        run.ExitCode.Should().Be(1, run.All);
        Step(json, "20251001000000", "apply").GetProperty("detail").GetString().Should().Contain("[scratch] preamble = \"supabase\"");
    }

    [Fact]
    public async Task A_preamble_that_names_no_file_is_bad_input_naming_strata_toml()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_t.sql", "-- T\n-- migrate:up\nSELECT 1;\n");
        dir.WriteRoot("strata.toml", "[scratch]\npreamble = \"Supabase\"\n");

        var run = await StrataCli.RunAsync(dir.Root, "verify", "--url", "postgresql://nobody@127.0.0.1:1/none");

        run.ExitCode.Should().Be(2, run.All);
        run.Stderr.Should().Contain("strata.toml:2").And.Contain("supabase");
    }

    [Fact]
    public async Task The_lock_trace_shows_rewrites_and_access_exclusive_locks_on_existing_tables()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_t.sql",
            "-- T\n-- migrate:up\nCREATE TABLE IF NOT EXISTS t (id int, c int);\nINSERT INTO t SELECT g, g FROM generate_series(1, 100) g;\n-- migrate:down\nDROP TABLE t;\n");
        dir.Write("20251002000000_type.sql",
            "-- Type\n-- migrate:up\nALTER TABLE t ALTER COLUMN c TYPE bigint;\n-- migrate:down\nALTER TABLE t ALTER COLUMN c TYPE int;\n");
        dir.Write("20251003000000_index.sql",
            "-- Index\n-- migrate:up\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_c ON t (c);\n-- migrate:down\nDROP INDEX CONCURRENTLY IF EXISTS t_c;\n");
        dir.Write("20251004000000_default.sql",
            "-- Default\n-- migrate:up\nALTER TABLE t ADD COLUMN IF NOT EXISTS d int DEFAULT 0;\n-- migrate:down\nALTER TABLE t DROP COLUMN IF EXISTS d;\n");

        var (run, json) = await VerifyAsync(dir);

        run.ExitCode.Should().Be(0, run.All);
        JsonElement Lock(string version) => json.GetProperty("migrations").EnumerateArray()
            .Single(m => m.GetProperty("version").GetString()!.StartsWith(version)).GetProperty("locks")[0];
        var type = Lock("20251002000000");
        type.GetProperty("locks").EnumerateArray().Should().Contain(l => l.GetProperty("mode").GetString() == "ACCESS EXCLUSIVE" && l.GetProperty("existed").GetBoolean());
        type.GetProperty("rewrites").EnumerateArray().Select(r => r.GetString()).Should().Equal("public.t");
        type.GetProperty("flagged").GetBoolean().Should().BeTrue();
        var index = Lock("20251003000000");
        index.GetProperty("locks")[0].GetProperty("mode").GetString().Should().Be("SHARE UPDATE EXCLUSIVE");
        index.GetProperty("rewrites").GetArrayLength().Should().Be(0);
        index.GetProperty("flagged").GetBoolean().Should().BeFalse();
        var added = Lock("20251004000000");
        added.GetProperty("locks")[0].GetProperty("mode").GetString().Should().Be("ACCESS EXCLUSIVE");
        added.GetProperty("rewrites").GetArrayLength().Should().Be(0);
        var text = await StrataCli.RunAsync(dir.Root, "verify");
        text.Stdout.Should().Contain("lock line 3 ALTER TABLE: ACCESS EXCLUSIVE on public.t; rewrites public.t")
            .And.Contain("lock line 3 CREATE INDEX CONCURRENTLY: SHARE UPDATE EXCLUSIVE on public.t (documented level)");
    }
}
