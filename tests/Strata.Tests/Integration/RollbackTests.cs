using System.Text.Json;
using Strata.Migrations;
using Strata.Project;
using Strata.Running;
using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary><c>strata rollback</c>: stored rollback SQL, newest first, each with its row and event; refusals before anything runs.</summary>
public class RollbackTests(PostgresServer server)
{
    private static readonly string Example = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../examples/wheels-wins"));

    /// <summary>The schema outside the history tables: relations, columns and index definitions.</summary>
    private static async Task<string> SchemaAsync(TestDatabase db) =>
        await db.ScalarAsync<string>("""
            SELECT coalesce(string_agg(x, E'\n' ORDER BY x), '') FROM (
                SELECT c.relname || ' ' || c.relkind::text AS x FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace AND c.relname NOT LIKE '%schema_version%'
                UNION ALL
                SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || coalesce(column_default, '') FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name NOT LIKE 'schema_version%'
                UNION ALL
                SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE 'schema_version%') s
            """) ?? "";

    [Fact]
    public async Task The_example_rolled_back_to_its_bootstrap_leaves_the_bootstrap_schema_and_up_restores_everything()
    {
        await using var db = await server.CreateDatabaseAsync();
        (await StrataCli.RunAsync(Example, "up", "--url", db.Url, "--to", "20251002120000")).ExitCode.Should().Be(0);
        var bootstrapOnly = await SchemaAsync(db);
        (await StrataCli.RunAsync(Example, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        var full = await SchemaAsync(db);

        var rollback = await StrataCli.RunAsync(Example, "rollback", "--url", db.Url, "--last", "8", "--reason", "test the strategy's rollbacks");
        var afterRollback = await SchemaAsync(db);

        rollback.ExitCode.Should().Be(0, rollback.All);
        rollback.Stdout.Should().Contain("Rolled back 8 migration(s)");
        afterRollback.Should().Be(bootstrapOnly);
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_versions WHERE status = 'rolled_back'")).Should().Be(8);
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_version_events WHERE action = 'rollback' AND details->>'reason' = 'test the strategy''s rollbacks'"))
            .Should().Be(8);
        var again = await StrataCli.RunAsync(Example, "up", "--url", db.Url);
        again.ExitCode.Should().Be(0, again.All);
        (await SchemaAsync(db)).Should().Be(full);
        (await db.RowsAsync("SELECT action FROM schema_version_events WHERE version = '20251006100000_add_index_pam_conversations_user_created.sql' AND action IN ('apply', 'rollback') ORDER BY id"))
            .Select(r => r[0]).Should().Equal("apply", "rollback", "apply");
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_versions WHERE status = 'applied'")).Should().Be(9);
    }

    public static TheoryData<int> ExamplePatterns => [2, 3, 4, 5, 6, 7, 8, 9];

    [Theory]
    [MemberData(nameof(ExamplePatterns))]
    public async Task Each_example_pattern_rolls_back_and_applies_again_to_the_same_schema(int count)
    {
        // The example's files up to and including the pattern; the pattern is the newest, so it is the one rolled back.
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        var files = Directory.GetFiles(Path.Combine(Example, "migrations"), "*.sql").Order(StringComparer.Ordinal).Take(count).ToList();
        foreach (var file in files) File.Copy(file, Path.Combine(dir.Migrations, Path.GetFileName(file)));
        var pattern = Path.GetFileName(files[^1]);
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        var first = await SchemaAsync(db);

        var rollback = await StrataCli.RunAsync(dir.Root, "rollback", "--url", db.Url, "--reason", "pattern round trip");
        var again = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        rollback.ExitCode.Should().Be(0, rollback.All);
        rollback.Stdout.Should().Contain("rolled back " + pattern);
        again.ExitCode.Should().Be(0, again.All);
        (await SchemaAsync(db)).Should().Be(first);
        (await db.ScalarAsync<string>($"SELECT status FROM schema_versions WHERE version = '{pattern}'")).Should().Be("applied");
        (await db.RowsAsync($"SELECT action FROM schema_version_events WHERE version = '{pattern}' AND action IN ('apply', 'rollback') ORDER BY id"))
            .Select(r => r[0]).Should().Equal("apply", "rollback", "apply");
    }

    [Fact]
    public async Task Rollback_runs_the_stored_sql_not_the_file_s_current_down_section()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        var path = dir.Write("20251001000000_t.sql", "-- T\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        File.WriteAllText(path, "-- T\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nCREATE TABLE edited_down_ran (id int);\n");

        var rollback = await StrataCli.RunAsync(dir.Root, "rollback", "--url", db.Url, "--reason", "edited file");

        rollback.ExitCode.Should().Be(0, rollback.All);
        (await db.TableExistsAsync("t")).Should().BeFalse("the stored DROP TABLE ran");
        (await db.TableExistsAsync("edited_down_ran")).Should().BeFalse("the file's current down section did not");
        (await db.ScalarAsync<string>("SELECT status FROM schema_versions")).Should().Be("rolled_back");
    }

    [Fact]
    public async Task Refusals_name_the_migration_and_nothing_runs()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n");
        dir.Write("20251002000000_no_down.sql", "-- No down\n-- migrate:up\nCREATE TABLE b (id int);\n");
        dir.Write("20251003000000_forever.sql", "-- Forever\n-- migrate:up\nCREATE TABLE c (id int);\n-- migrate:down irreversible\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);

        var noReason = await StrataCli.RunAsync(dir.Root, "rollback", "--url", db.Url);
        var unknown = await StrataCli.RunAsync(dir.Root, "rollback", "20991231000000", "--url", db.Url, "--reason", "x");
        var irreversible = await StrataCli.RunAsync(dir.Root, "rollback", "--last", "3", "--url", db.Url, "--reason", "x", "--json");
        var noSql = await StrataCli.RunAsync(dir.Root, "rollback", "20251002000000", "--url", db.Url, "--reason", "x");
        var both = await StrataCli.RunAsync(dir.Root, "rollback", "20251002000000", "--last", "2", "--url", db.Url, "--reason", "x");
        var nothing = await StrataCli.RunAsync(dir.Root, "rollback", "--to", "20251003000000", "--url", db.Url, "--reason", "x");

        noReason.ExitCode.Should().Be(2);
        noReason.Stderr.Should().Contain("--reason");
        unknown.ExitCode.Should().Be(2);
        irreversible.ExitCode.Should().Be(3);
        using (var json = JsonDocument.Parse(irreversible.Stdout))
        {
            json.RootElement.GetProperty("refusal").GetProperty("code").GetString().Should().Be("irreversible");
            json.RootElement.GetProperty("refusal").GetProperty("message").GetString().Should().Contain("20251003000000_forever.sql");
        }
        noSql.ExitCode.Should().Be(3);
        noSql.Stderr.Should().Contain("no stored rollback SQL");
        both.ExitCode.Should().Be(2);
        nothing.ExitCode.Should().Be(0);
        nothing.Stdout.Should().Contain("Nothing to roll back");
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_versions WHERE status = 'applied'")).Should().Be(3, "no refusal ran anything");
        (await db.TableExistsAsync("a")).Should().BeTrue();
    }

    [Fact]
    public async Task The_history_table_s_own_creation_is_never_rolled_back()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.CreateHandMadeHistoryAsync();
        using var dir = new MigrationDirectory();

        var rollback = await StrataCli.RunAsync(dir.Root, "rollback", "--url", db.Url, "--reason", "start over");

        rollback.ExitCode.Should().Be(3, rollback.All);
        rollback.Stderr.Should().Contain("created the history table");
        (await db.TableExistsAsync("schema_versions")).Should().BeTrue();
    }

    [Fact]
    public async Task An_application_rolls_back_through_the_project_with_the_same_result_objects()
    {
        await using var db = await server.CreateDatabaseAsync();
        var project = StrataProject.Open(new ProjectOptions
        {
            WorkingDirectory = Path.GetTempPath(),
            Source = new MemorySource(
                ("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n"),
                ("20251002000000_b.sql", "-- B\n-- migrate:up\nCREATE TABLE b (id int);\nCREATE INDEX CONCURRENTLY b_id ON b (id);\n-- migrate:down\nDROP INDEX CONCURRENTLY IF EXISTS b_id;\nDROP TABLE b;\n")),
            Url = db.Url,
            EnvironmentVariables = _ => null,
        });
        (await project.UpAsync(new UpOptions())).Applied.Should().HaveCount(2);

        var dry = await project.RollbackAsync(new RollbackOptions(To: "20251001000000", DryRun: true));
        var result = await project.RollbackAsync(new RollbackOptions(To: "20251001000000", Reason: "embedded test"));
        var status = await project.StatusAsync();

        dry.Selected.Should().Equal("20251002000000_b.sql");
        result.RolledBack.Should().ContainSingle().Which.Transactional.Should().BeFalse("DROP INDEX CONCURRENTLY runs outside a transaction, as in up");
        (await db.TableExistsAsync("b")).Should().BeFalse();
        status.Plan!.Entries.Select(e => e.State).Should().Equal(MigrationState.Applied, MigrationState.RolledBack);
    }

    [Fact]
    public async Task A_row_the_team_inserted_by_hand_rolls_back_like_strata_s_own()
    {
        // The strategy's own files insert their row with its rollback_sql; a team arriving with
        // such rows rolls them back with Strata, and the bootstrap row stays refused.
        await using var db = await server.CreateDatabaseAsync();
        await db.CreateHandMadeHistoryAsync();
        await db.ExecuteAsync("""
            CREATE TABLE pam_conversations (id int);
            INSERT INTO schema_versions (version, description, rollback_sql, applied_by)
            VALUES ('20251002130000_create_pam_conversations.sql', 'Create pam_conversations', 'DROP TABLE IF EXISTS pam_conversations;', 'migration_system');
            """);
        using var dir = new MigrationDirectory();

        var rollback = await StrataCli.RunAsync(dir.Root, "rollback", "--url", db.Url, "--reason", "hand row");
        var further = await StrataCli.RunAsync(dir.Root, "rollback", "--url", db.Url, "--reason", "and the bootstrap?");

        rollback.ExitCode.Should().Be(0, rollback.All);
        (await db.TableExistsAsync("pam_conversations")).Should().BeFalse();
        (await db.ScalarAsync<string>("SELECT status FROM schema_versions WHERE version LIKE '20251002130000%'")).Should().Be("rolled_back");
        further.ExitCode.Should().Be(3, further.All);
        further.Stderr.Should().Contain("created the history table");
    }

    [Fact]
    public async Task A_rollback_while_another_runner_holds_the_lock_is_refused_with_exit_3()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        await using var holder = await db.HoldMigrationLockAsync();

        var rollback = await StrataCli.RunAsync(dir.Root, "rollback", "--url", db.Url, "--reason", "busy", "--lock-wait", "200ms");

        rollback.ExitCode.Should().Be(3, rollback.All);
        rollback.Stderr.Should().Contain("lock");
        (await db.TableExistsAsync("a")).Should().BeTrue();
    }

    [Fact]
    public async Task An_application_repairs_and_baselines_through_the_project()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE a (id int); CREATE TABLE b (id int);");
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n");
        var bPath = dir.Write("20251002000000_b.sql", "-- B\n-- migrate:up\nCREATE TABLE b (id int);\n-- migrate:down\nDROP TABLE b;\n");
        StrataProject Open() => StrataProject.Open(new ProjectOptions { WorkingDirectory = dir.Root, Url = db.Url, EnvironmentVariables = _ => null });

        var baseline = await Open().BaselineAsync(new RepairOptions(Reason: "adopt", To: "20251002000000"));
        File.WriteAllText(bPath, "-- B, with a better comment\n-- migrate:up\nCREATE TABLE b (id int);\n-- migrate:down\nDROP TABLE b;\n");
        var drift = await Open().StatusAsync();
        var repair = await Open().RepairAsync(new RepairOptions(Reason: "comment only"));
        var status = await Open().StatusAsync();

        baseline.IsRefused.Should().BeFalse();
        baseline.Changes.Should().HaveCount(2);
        drift.Plan!.Drift.Should().ContainSingle();
        repair.Changes.Should().ContainSingle().Which.Version.Should().Be("20251002000000_b.sql");
        status.Plan!.Entries.Select(e => e.State).Should().Equal(MigrationState.Applied, MigrationState.Applied);
    }
}
