using Strata.Tests.Support;
using Strata.Verification;

namespace Strata.Tests.Verification;

/// <summary>
/// The built-in Supabase preamble on real databases of one cluster, a folder written for Supabase
/// applied with and without it, and how a preamble setting is resolved.
/// </summary>
public class ScratchPreambleTests(PostgresServer server)
{
    private static string SupabaseSql => ScratchPreamble.Resolve(ScratchPreamble.Supabase, "/").Sql!;

    // What a Supabase project's first migration typically does: RLS keyed on auth.uid(), a grant
    // to the API role, a key into auth.users and a storage bucket.
    private const string SupabaseMigration = """
        -- migrate:up
        CREATE TABLE public.profiles (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
            display_name text
        );
        ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "Users read their own profile" ON public.profiles FOR SELECT USING (auth.uid() = user_id);
        GRANT SELECT ON public.profiles TO authenticated;
        INSERT INTO storage.buckets (id, name, public) VALUES ('avatars', 'avatars', false);
        CREATE POLICY "Owners read their avatars" ON storage.objects FOR SELECT
            USING (bucket_id = 'avatars' AND (storage.foldername(name))[1] = auth.uid()::text);
        ALTER PUBLICATION supabase_realtime ADD TABLE public.profiles;

        -- migrate:down
        ALTER PUBLICATION supabase_realtime DROP TABLE public.profiles;
        DROP POLICY "Owners read their avatars" ON storage.objects;
        DELETE FROM storage.buckets WHERE id = 'avatars';
        DROP TABLE public.profiles;
        """;

    [Fact]
    public async Task The_supabase_preamble_gives_a_fresh_database_what_supabase_migrations_expect()
    {
        await using var db = await server.CreateDatabaseAsync();

        await db.ExecuteAsync(SupabaseSql);

        (await db.ScalarAsync<long>("SELECT count(*) FROM pg_roles WHERE rolname IN ('anon', 'authenticated', 'service_role') AND NOT rolcanlogin"))
            .Should().Be(3);
        (await db.ScalarAsync<bool>("SELECT relrowsecurity FROM pg_class WHERE oid = 'storage.objects'::regclass")).Should().BeTrue();
        (await db.ScalarAsync<bool>("SELECT has_schema_privilege('authenticated', 'auth', 'USAGE') AND has_schema_privilege('anon', 'storage', 'USAGE')"))
            .Should().BeTrue();
        (await db.ScalarAsync<string>("""
            WITH claims AS MATERIALIZED (SELECT set_config('request.jwt.claims', '{"sub": "6c1f8f1e-9b6a-4b8e-9d5e-1b2c3d4e5f60", "role": "authenticated"}', false))
            SELECT auth.uid()::text || ' ' || auth.role() || ' ' || (auth.jwt() ->> 'sub') FROM claims
            """)).Should().Be("6c1f8f1e-9b6a-4b8e-9d5e-1b2c3d4e5f60 authenticated 6c1f8f1e-9b6a-4b8e-9d5e-1b2c3d4e5f60");
        (await db.ScalarAsync<string>("""
            WITH claims AS MATERIALIZED (SELECT set_config('request.jwt.claim.sub', '0b6e3f0e-0000-4000-8000-000000000001', false))
            SELECT auth.uid()::text FROM claims
            """)).Should().Be("0b6e3f0e-0000-4000-8000-000000000001", "older PostgREST sets one setting per claim");
        (await db.ScalarAsync<string>("INSERT INTO auth.users (email, raw_user_meta_data) VALUES ('a@example.com', '{}') RETURNING email"))
            .Should().Be("a@example.com");
        (await db.ScalarAsync<bool>("SELECT uuid_generate_v4() IS NOT NULL AND extensions.crypt('x', extensions.gen_salt('bf')) IS NOT NULL"))
            .Should().BeTrue("a new session has extensions on its search_path, as on Supabase");
    }

    [Fact]
    public async Task The_supabase_preamble_runs_twice_on_one_database()
    {
        await using var db = await server.CreateDatabaseAsync();

        await db.ExecuteAsync(SupabaseSql);
        await db.ExecuteAsync("INSERT INTO storage.buckets (id, name) VALUES ('kept', 'kept')");
        await db.ExecuteAsync(SupabaseSql);

        (await db.ScalarAsync<long>("SELECT count(*) FROM storage.buckets")).Should().Be(1, "a second run changes nothing");
    }

    [Fact]
    public async Task The_supabase_preamble_runs_on_several_databases_of_one_cluster_at_once_and_after()
    {
        await using var first = await server.CreateDatabaseAsync();
        await using var second = await server.CreateDatabaseAsync();
        await using var third = await server.CreateDatabaseAsync();

        await Task.WhenAll(first.ExecuteAsync(SupabaseSql), second.ExecuteAsync(SupabaseSql));
        await third.ExecuteAsync(SupabaseSql);

        foreach (var db in (TestDatabase[])[first, second, third])
            (await db.TableExistsAsync("auth.users")).Should().BeTrue();
    }

    [Fact]
    public async Task A_folder_written_for_supabase_applies_after_the_preamble()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_profiles.sql", SupabaseMigration);

        await db.ExecuteAsync(SupabaseSql);
        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(0, up.All);
        (await db.ScalarAsync<bool>("SELECT has_table_privilege('authenticated', 'public.profiles', 'SELECT')")).Should().BeTrue();
        (await db.ScalarAsync<long>("SELECT count(*) FROM storage.buckets WHERE id = 'avatars'")).Should().Be(1);
    }

    [Fact]
    public async Task A_folder_written_for_supabase_fails_without_the_preamble()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_profiles.sql", SupabaseMigration);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(1, up.All);
        up.All.Should().Contain("schema \"auth\" does not exist").And.Contain("20251001000000_profiles.sql");
    }

    [Fact]
    public void No_preamble_is_no_sql()
    {
        ScratchPreamble.Resolve(null, "/").Should().Be(((string?)null, (Problem?)null));
    }

    [Fact]
    public void The_supabase_preamble_is_built_in()
    {
        var (sql, problem) = ScratchPreamble.Resolve("supabase", "/nonexistent");

        problem.Should().BeNull();
        sql.Should().Contain("CREATE TABLE IF NOT EXISTS auth.users").And.Contain("storage.objects ENABLE ROW LEVEL SECURITY");
    }

    [Fact]
    public void A_preamble_path_is_read_relative_to_the_project()
    {
        using var dir = new MigrationDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Root, "db"));
        dir.WriteRoot("db/setup.sql", "CREATE ROLE app NOLOGIN;");

        ScratchPreamble.Resolve("db/setup.sql", dir.Root).Should().Be(("CREATE ROLE app NOLOGIN;", (Problem?)null));
    }

    [Fact]
    public void A_file_of_the_project_named_like_the_built_in_is_read()
    {
        using var dir = new MigrationDirectory();
        dir.WriteRoot("supabase.sql", "SELECT 1;");

        ScratchPreamble.Resolve("supabase.sql", dir.Root).Sql.Should().Be("SELECT 1;");
    }

    [Theory]
    [InlineData("Supabase")]
    [InlineData("SUPABASE")]
    [InlineData(" supabase ")]
    [InlineData("supabase.sql")]
    public void A_near_miss_of_the_built_in_name_suggests_it(string preamble)
    {
        using var dir = new MigrationDirectory();

        var (sql, problem) = ScratchPreamble.Resolve(preamble, dir.Root);

        sql.Should().BeNull();
        problem!.Code.Should().Be("unknown-preamble");
        problem.Kind.Should().Be(ProblemKind.BadInput);
        problem.Hint.Should().Contain("\"supabase\"");
    }

    [Fact]
    public void A_missing_preamble_file_is_bad_input()
    {
        using var dir = new MigrationDirectory();

        var problem = ScratchPreamble.Resolve("db/setup.sql", dir.Root).Problem!;

        problem.Code.Should().Be("missing-preamble");
        problem.Kind.Should().Be(ProblemKind.BadInput);
        problem.Message.Should().Contain("db/setup.sql").And.Contain(Path.Combine(dir.Root, "db", "setup.sql"));
    }

    [Fact]
    public void A_folder_is_not_a_preamble()
    {
        using var dir = new MigrationDirectory();

        ScratchPreamble.Resolve("migrations", dir.Root).Problem!.Code.Should().Be("preamble-is-folder");
    }

    [Fact]
    public void A_preamble_must_be_a_sql_file()
    {
        using var dir = new MigrationDirectory();
        dir.WriteRoot("setup.txt", "SELECT 1;");

        ScratchPreamble.Resolve("setup.txt", dir.Root).Problem!.Code.Should().Be("preamble-not-sql");
    }

    [Fact]
    public void An_empty_preamble_is_bad_input()
    {
        ScratchPreamble.Resolve(" ", "/").Problem!.Should().Match<Problem>(p => p.Code == "empty-preamble" && p.Kind == ProblemKind.BadInput);
    }
}
