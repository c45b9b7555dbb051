using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>
/// A deploy role with only the grants docs/commands.md#privileges lists runs every command
/// (issue 17): once the history tables exist, Strata sends no DDL of its own; when they are
/// missing and the role may not create them, the error names the grant.
/// </summary>
public class LeastPrivilegeTests(PostgresServer server)
{
    private static readonly string Repository = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));

    private const string First = "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n";
    private const string Second = "-- B\n-- migrate:up\nCREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\n-- migrate:down\nDROP TABLE b;\n";

    /// <summary>
    /// The GRANT statements of the docs' block that begins with <paramref name="comment"/>, for
    /// role <paramref name="role"/>: the test grants exactly what the page tells a reader to.
    /// </summary>
    private static IReadOnlyList<string> DocumentedGrants(string comment, string role)
    {
        var page = File.ReadAllText(Path.Combine(Repository, "docs/commands.md"));
        var section = page[page.IndexOf("### Privileges", StringComparison.Ordinal)..];
        var block = section[section.IndexOf(comment, StringComparison.Ordinal)..];
        block = block[..block.IndexOf("```", StringComparison.Ordinal)];
        var grants = block.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("GRANT ", StringComparison.Ordinal))
            .Select(l => l[..(l.IndexOf(';') + 1)].Replace(" TO deploy;", $" TO {role};")).ToList();
        grants.Should().NotBeEmpty($"docs/commands.md#privileges has a block starting '{comment}'");
        return grants;
    }

    /// <summary>A login role with the canary password (so every output is checked for it), and its URL.</summary>
    private static async Task<string> CreateRoleAsync(TestDatabase db, string role, IEnumerable<string> grants)
    {
        await db.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD '{PostgresServer.CanaryPassword}'");
        // PostgreSQL 15 grants nothing on schema public to PUBLIC but USAGE; take that away too, so only the documented grants count.
        await db.ExecuteAsync("REVOKE ALL ON SCHEMA public FROM PUBLIC");
        foreach (var grant in grants) await db.ExecuteAsync(grant);
        return db.Url.Replace("postgres:", role + ":");
    }

    private static Task<string?> FingerprintAsync(TestDatabase db) => db.ScalarAsync<string>(
        "SELECT coalesce(string_agg(relname::text || relkind::text, ',' ORDER BY relname), '') FROM pg_class WHERE relnamespace = 'public'::regnamespace");

    [Fact]
    public async Task A_deploy_role_with_only_the_documented_grants_runs_up_status_history_and_rollback()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", First);
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0, "the owner's first run creates the history tables");
        var role = "deploy_" + db.Name;
        var url = await CreateRoleAsync(db, role, DocumentedGrants("-- Every run once the tables exist", role));
        dir.Write("20251002000000_b.sql", Second);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", url, "--by", "ci");
        var status = await StrataCli.RunAsync(dir.Root, "status", "--url", url);
        var history = await StrataCli.RunAsync(dir.Root, "history", "--url", url);
        var rollback = await StrataCli.RunAsync(dir.Root, "rollback", "--url", url, "--reason", "least privilege", "--by", "ci");
        var again = await StrataCli.RunAsync(dir.Root, "up", "--url", url, "--by", "ci");

        up.ExitCode.Should().Be(0, up.All);
        status.ExitCode.Should().Be(0, status.All);
        status.Stdout.Should().Contain("20251002000000_b.sql");
        history.ExitCode.Should().Be(0, history.All);
        history.Stdout.Should().Contain("20251002000000_b.sql");
        rollback.ExitCode.Should().Be(0, rollback.All);
        again.ExitCode.Should().Be(0, again.All);
        (await db.RowsAsync("SELECT action || ' ' || \"by\" FROM schema_version_events WHERE version = '20251002000000_b.sql' ORDER BY id"))
            .Select(r => r[0]).Should().Equal("apply ci", "rollback ci", "apply ci");
        (await db.ScalarAsync<string>("SELECT status FROM schema_versions WHERE version = '20251002000000_b.sql'")).Should().Be("applied");
        (await db.ScalarAsync<long>("SELECT count(*) FROM b")).Should().Be(1);
    }

    [Fact]
    public async Task Status_and_history_need_only_select()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", First);
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        var role = "viewer_" + db.Name;
        var url = await CreateRoleAsync(db, role,
            [$"GRANT USAGE ON SCHEMA public TO {role}", $"GRANT SELECT ON public.schema_versions, public.schema_version_events TO {role}"]);
        dir.Write("20251002000000_b.sql", Second);

        var status = await StrataCli.RunAsync(dir.Root, "status", "--url", url);
        var history = await StrataCli.RunAsync(dir.Root, "history", "--url", url);

        status.ExitCode.Should().Be(0, status.All);
        status.Stdout.Should().Contain("20251002000000_b.sql");
        history.ExitCode.Should().Be(0, history.All);
        history.Stdout.Should().Contain("20251001000000_a.sql");
    }

    [Fact]
    public async Task Once_the_history_tables_exist_up_sends_no_ddl_of_its_own()
    {
        // Regression: every up ran CREATE SCHEMA IF NOT EXISTS and CREATE INDEX IF NOT EXISTS on
        // Strata's tables, which fail for a role that does not own them even when nothing is missing.
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", First);
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        await db.ExecuteAsync("""
            CREATE TABLE ddl_log (tag text, query text);
            CREATE FUNCTION log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO ddl_log VALUES (tg_tag, current_query()); END $$;
            CREATE EVENT TRIGGER log_ddl ON ddl_command_start EXECUTE FUNCTION log_ddl();
            """);
        dir.Write("20251002000000_b.sql", Second);

        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        (await StrataCli.RunAsync(dir.Root, "rollback", "--url", db.Url, "--reason", "no ddl")).ExitCode.Should().Be(0);
        (await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url)).ExitCode.Should().Be(0);

        (await db.RowsAsync("SELECT tag FROM ddl_log")).Select(r => r[0]).Should().Equal(["CREATE TABLE", "DROP TABLE"], "only the migration's own statements are DDL");
        await db.ExecuteAsync("DROP EVENT TRIGGER log_ddl");
    }

    [Fact]
    public async Task A_first_run_by_a_role_with_the_documented_first_run_grants_creates_the_history_tables()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", First);
        var role = "first_" + db.Name;
        var url = await CreateRoleAsync(db, role, DocumentedGrants("-- A first run", role));

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", url);

        up.ExitCode.Should().Be(0, up.All);
        (await db.RowsAsync("SELECT relname::text FROM pg_class WHERE relname LIKE 'schema_version%' AND relkind = 'r' AND relowner::regrole::text = '" + role + "' ORDER BY 1"))
            .Select(r => r[0]).Should().Equal("schema_version_events", "schema_versions");
    }

    [Fact]
    public async Task The_strategy_s_bootstrap_file_runs_as_a_role_with_create_on_the_schema_only()
    {
        // Regression: completing the table the bootstrap file created ran CREATE SCHEMA IF NOT
        // EXISTS, which needs CREATE on the database ("permission denied for database").
        await using var db = await server.CreateDatabaseAsync();
        var example = Path.Combine(Repository, "examples/wheels-wins");
        var role = "boot_" + db.Name;
        var url = await CreateRoleAsync(db, role, DocumentedGrants("-- A first run", role));

        var up = await StrataCli.RunAsync(example, "up", "--url", url);

        up.ExitCode.Should().Be(0, up.All);
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_versions WHERE status = 'applied'")).Should().Be(9);
    }

    [Fact]
    public async Task A_first_run_by_a_role_that_may_not_create_the_tables_names_the_grant_and_creates_nothing()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", First);
        var role = "reader_" + db.Name;
        var url = await CreateRoleAsync(db, role, [$"GRANT USAGE ON SCHEMA public TO {role}"]);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", url);

        up.ExitCode.Should().Be(1, up.All);
        up.Stderr.Should().Contain($"public.schema_versions and public.schema_version_events do not exist yet, and role {role} may not create them: that needs CREATE on schema public.")
            .And.Contain($"GRANT CREATE ON SCHEMA \"public\" TO \"{role}\";");
        (await FingerprintAsync(db)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_history_schema_the_role_may_not_create_names_the_database_grant()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", First);
        dir.WriteRoot("strata.toml", "[migrations]\ntable = \"ops.schema_versions\"\n");
        var role = "ops_" + db.Name;
        var url = await CreateRoleAsync(db, role, [$"GRANT USAGE, CREATE ON SCHEMA public TO {role}"]);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", url);

        up.ExitCode.Should().Be(1, up.All);
        up.Stderr.Should().Contain("that needs CREATE on database " + db.Name + " (the schema ops does not exist either)")
            .And.Contain($"GRANT CREATE ON DATABASE \"{db.Name}\" TO \"{role}\";");
        (await db.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'ops')")).Should().BeFalse();
    }
}
