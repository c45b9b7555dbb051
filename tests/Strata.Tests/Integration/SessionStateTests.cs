using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>DESIGN §3: each migration starts from the same session state, and none can undo the runner's lock or timeouts.</summary>
public class SessionStateTests(PostgresServer server)
{
    [Theory]
    [InlineData("SET search_path = elsewhere, public;")]
    [InlineData("SELECT set_config('search_path', 'elsewhere, public', false);")]
    [InlineData("SET SESSION search_path TO elsewhere;")]
    public async Task A_search_path_set_by_one_file_does_not_move_the_next_file_s_tables(string setter)
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_schema.sql", $"-- Schema\n-- migrate:up\nCREATE SCHEMA elsewhere;\n{setter}\nCREATE TABLE in_elsewhere (id int);\n");
        dir.Write("20251002000000_table.sql", "-- Table\n-- migrate:up\nCREATE TABLE next_table (id int);\n");
        dir.Write("20251003000000_concurrent.sql", "-- Index\n-- migrate:up\nCREATE INDEX CONCURRENTLY next_table_id ON next_table (id);\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(0, up.All);
        (await db.ScalarAsync<string>("SELECT schemaname FROM pg_tables WHERE tablename = 'in_elsewhere'")).Should().Be("elsewhere");
        (await db.ScalarAsync<string>("SELECT schemaname FROM pg_tables WHERE tablename = 'next_table'")).Should().Be("public");
    }

    [Fact]
    public async Task A_role_set_by_one_file_does_not_own_the_next_file_s_objects()
    {
        await using var db = await server.CreateDatabaseAsync();
        var role = "r_" + db.Name;
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_role.sql", $"-- Role\n-- migrate:up\nCREATE ROLE {role};\nGRANT CREATE ON SCHEMA public TO {role};\nSET ROLE {role};\nCREATE TABLE by_role (id int);\n");
        dir.Write("20251002000000_table.sql", "-- Table\n-- migrate:up\nCREATE TABLE by_runner (id int);\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(0, up.All);
        (await db.ScalarAsync<string>("SELECT tableowner::text FROM pg_tables WHERE tablename = 'by_role'")).Should().Be(role);
        (await db.ScalarAsync<string>("SELECT tableowner::text FROM pg_tables WHERE tablename = 'by_runner'")).Should().Be("postgres");
        await db.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role};");
    }

    [Theory]
    [InlineData("DISCARD ALL;", "DISCARD ALL", 4)]
    [InlineData("reset all;", "RESET ALL", 4)]
    [InlineData("SELECT 1;\nSELECT pg_advisory_unlock_all();", "pg_advisory_unlock_all()", 5)]
    [InlineData("deallocate all;", "DEALLOCATE ALL", 4)]
    [InlineData("DEALLOCATE PREPARE ALL;", "DEALLOCATE ALL", 4)]
    [InlineData("DEALLOCATE _auto3;", "DEALLOCATE ALL", 4)]
    public async Task Statements_that_would_undo_the_runner_s_session_are_refused_before_anything_runs(string sql, string named, int line)
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_reset.sql", $"-- Reset\n-- migrate:up\nCREATE TABLE before_reset (id int);\n{sql}\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(2, up.All);
        up.Stderr.Should().Contain($"20251001000000_reset.sql:{line}:").And.Contain(named);
        (await db.TableExistsAsync("before_reset")).Should().BeFalse();
        (await db.TableExistsAsync("schema_versions")).Should().BeFalse();
    }

    [Fact]
    public async Task Discard_temp_and_a_function_merely_named_like_the_rule_are_allowed()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_fine.sql",
            "-- Fine\n-- migrate:up\nCREATE TEMP TABLE scratch (id int);\nDISCARD TEMP;\nSELECT 'pg_advisory_unlock_all() is only a string here';\nRESET search_path;\n" +
            "PREPARE mine AS SELECT 1;\nEXECUTE mine;\nDEALLOCATE mine;\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(0, up.All);
    }
}
