using System.Text.Json;
using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary><c>strata up</c> and <c>status</c> against a real server, through the real command tree.</summary>
public class UpTests(PostgresServer server)
{
    private static readonly string Example = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../examples/wheels-wins"));

    [Fact]
    public async Task The_example_project_applies_and_every_history_column_is_filled()
    {
        await using var db = await server.CreateDatabaseAsync();

        var up = await StrataCli.RunAsync(Example, "up", "--url", db.Url, "--by", "ci");
        var status = await StrataCli.RunAsync(Example, "status", "--url", db.Url, "--json");

        up.ExitCode.Should().Be(0, up.All);
        // The seeded expenses are counted: the strategy's own text always logged 0 (lint's ban-orphan-row-count).
        up.Stdout.Should().Contain("Migrated 9 expense records").And.Contain("Applied 9 migration(s)");
        using var json = JsonDocument.Parse(status.Stdout);
        json.RootElement.GetProperty("migrations").EnumerateArray().Select(m => m.GetProperty("state").GetString())
            .Should().HaveCount(9).And.OnlyContain(s => s == "applied");
        var rows = await db.RowsAsync("""
            SELECT version, applied_at, applied_by, description, rollback_sql, checksum, execution_time_ms, status,
                   metadata->>'statement_count', metadata->>'transactional', metadata->>'tool_version'
            FROM schema_versions ORDER BY version
            """);
        rows.Should().HaveCount(9);
        foreach (var row in rows)
        {
            row.Take(8).Should().NotContainNulls($"row {row[0]} must have all columns");
            row[2].Should().Be("ci");
            row[5].Should().MatchRegex("^sha256:[0-9a-f]{64}$");
            row[7].Should().Be("applied");
            row[8].Should().NotBeNull();
            row[9].Should().BeOneOf("true", "false");
            row[10].Should().NotBeNull();
        }
        rows.Single(r => r[0]!.StartsWith("20251002143000")).Should().Match<string?[]>(r => r[9] == "false" && r[4]!.Contains("DROP INDEX CONCURRENTLY"));
        (await db.ScalarAsync<long>("SELECT count(*) FROM expenses WHERE category IN ('gas', 'campground', 'maintenance')")).Should().Be(9);
        (await db.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'idx_pam_conversations_user_created'::regclass")).Should().BeTrue();
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_version_events WHERE action = 'apply'")).Should().Be(9);
        (await db.ScalarAsync<string>("SELECT DISTINCT metadata->>'git_commit' FROM schema_versions"))
            .Should().MatchRegex("^[0-9a-f]{40}$", "the example folder sits in this git checkout");
        var recorded = await db.ScalarAsync<string>("SELECT string_agg(h::text, ' ') FROM schema_versions h") +
                       await db.ScalarAsync<string>("SELECT string_agg(e::text, ' ') FROM schema_version_events e");
        recorded.Should().NotContain(PostgresServer.CanaryPassword, "history rows never hold a password");
    }

    [Fact]
    public async Task A_second_up_changes_nothing()
    {
        await using var db = await server.CreateDatabaseAsync();
        (await StrataCli.RunAsync(Example, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        var events = await db.ScalarAsync<long>("SELECT count(*) FROM schema_version_events");

        var again = await StrataCli.RunAsync(Example, "up", "--url", db.Url);

        again.ExitCode.Should().Be(0);
        again.Stdout.Should().Contain("Nothing to apply");
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_version_events")).Should().Be(events);
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_version_events WHERE action = 'apply'")).Should().Be(9);
    }

    [Fact]
    public async Task A_failing_third_statement_leaves_no_trace_and_status_shows_the_error_and_line()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_base.sql", "-- Base\n-- migrate:up\nCREATE TABLE base (id int);\n");
        dir.Write("20251002000000_broken.sql", """
            -- Three statements, the third fails
            -- migrate:up
            CREATE TABLE first_table (id int);
            INSERT INTO first_table VALUES (1);
            INSERT INTO first_table
              VALUES ('not a number');
            -- migrate:down
            DROP TABLE first_table;
            """);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);
        var status = await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url, "--json");

        up.ExitCode.Should().Be(1);
        up.Stderr.Should().Contain("20251002000000_broken.sql:6:").And.Contain("22P02").And.Contain("Nothing of this migration was kept");
        (await db.TableExistsAsync("first_table")).Should().BeFalse();
        (await db.TableExistsAsync("base")).Should().BeTrue();
        using var json = JsonDocument.Parse(status.Stdout);
        var broken = json.RootElement.GetProperty("migrations")[1];
        broken.GetProperty("state").GetString().Should().Be("failed");
        broken.GetProperty("error").GetString().Should().Contain("invalid input syntax");
        broken.GetProperty("error_line").GetInt32().Should().Be(6);
        (await db.ScalarAsync<string>("SELECT error FROM schema_version_events WHERE action = 'fail'")).Should().Contain("22P02");
    }

    [Fact]
    public async Task A_failed_migration_runs_again_once_fixed()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        var path = dir.Write("20251002000000_fix_me.sql", "-- Fix me\n-- migrate:up\nCREATE TABLE t (id int);\nSELECT 1/0;\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(1);

        File.WriteAllText(path, "-- Fix me\n-- migrate:up\nCREATE TABLE t (id int);\n");
        var retry = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        retry.ExitCode.Should().Be(0, retry.All);
        (await db.ScalarAsync<string>("SELECT status FROM schema_versions")).Should().Be("applied");
        (await db.RowsAsync("SELECT action FROM schema_version_events ORDER BY id")).Select(r => r[0]).Should().Equal("fail", "apply");
    }

    [Fact]
    public async Task A_non_transactional_failure_removes_the_invalid_index_it_left_and_says_so()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE dupes (v int); INSERT INTO dupes VALUES (1), (1);");
        using var dir = new MigrationDirectory();
        dir.Write("20251002000000_unique.sql", "-- Unique index\n-- migrate:up\nCREATE UNIQUE INDEX CONCURRENTLY dupes_v_key ON dupes (v);\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json");

        up.ExitCode.Should().Be(1);
        using var json = JsonDocument.Parse(up.Stdout);
        var failure = json.RootElement.GetProperty("failure");
        failure.GetProperty("transactional").GetBoolean().Should().BeFalse();
        failure.GetProperty("invalid_indexes").GetArrayLength().Should().Be(0);
        failure.GetProperty("removed_indexes").EnumerateArray().Select(e => e.GetString()).Should().Equal("public.dupes_v_key");
        (await db.ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).Should().Be(0);
        failure.GetProperty("line").GetInt32().Should().Be(3);
        failure.GetProperty("detail").GetString().Should().Contain("is duplicated");

        // Fixed data, second attempt: IF NOT EXISTS finds no INVALID index to skip.
        await db.ExecuteAsync("DELETE FROM dupes WHERE ctid = (SELECT max(ctid) FROM dupes)");
        dir.Write("20251002000000_unique.sql", "-- Unique index\n-- migrate:up\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS dupes_v_key ON dupes (v);\n");
        var retry = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);
        retry.ExitCode.Should().Be(0, retry.All);
        (await db.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'dupes_v_key'::regclass")).Should().BeTrue();
    }

    [Fact]
    public async Task A_rule_with_two_actions_in_parentheses_applies_and_both_actions_run()
    {
        // Regression: the splitter cut the rule at its first semicolon, and the server got "...VALUES (1)" alone.
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251002000000_audit_rule.sql", """
            -- Copy every insert into two audit tables
            -- migrate:up
            CREATE TABLE t (id int);
            CREATE TABLE a (id int);
            CREATE TABLE b (id int);
            CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1);
                INSERT INTO b VALUES (2));
            -- migrate:down
            DROP TABLE t, a, b;
            """);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(0, up.All);
        await db.ExecuteAsync("INSERT INTO t VALUES (0)");
        (await db.ScalarAsync<long>("SELECT count(*) FROM pg_rules WHERE tablename = 't' AND rulename = 'r'")).Should().Be(1);
        (await db.ScalarAsync<string>("SELECT (SELECT string_agg(id::text, ',') FROM a) || ' ' || (SELECT string_agg(id::text, ',') FROM b)"))
            .Should().Be("1 2");
        (await db.ScalarAsync<string>("SELECT metadata->>'statement_count' FROM schema_versions")).Should().Be("4");
    }

    [Fact]
    public async Task Reindex_schema_runs_outside_the_transaction_and_the_file_applies()
    {
        // Regression: REINDEX SCHEMA was sent inside the file's transaction, and PostgreSQL refused it (25001).
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251002000000_rebuild.sql", "-- Rebuild the indexes\n-- migrate:up\nCREATE TABLE r (id int PRIMARY KEY);\nREINDEX SCHEMA public;\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(0, up.All);
        (await db.ScalarAsync<string>("SELECT metadata->>'transactional' FROM schema_versions")).Should().Be("false");
    }

    [Fact]
    public async Task A_marker_line_inside_a_function_body_belongs_to_the_body()
    {
        // Regression: markers were matched line by line, so this body was cut in two (exit 2, unterminated $$).
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251002000000_generator.sql", """
            -- A function that writes migration files
            -- migrate:up
            CREATE FUNCTION template() RETURNS text LANGUAGE sql AS $$
            SELECT '-- migrate:up' || chr(10) || '...'
            -- migrate:down
            $$;
            -- migrate:down
            DROP FUNCTION template();
            """);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(0, up.All);
        (await db.ScalarAsync<string>("SELECT prosrc FROM pg_proc WHERE proname = 'template'")).Should().Contain("-- migrate:down");
        (await db.ScalarAsync<string>("SELECT rollback_sql FROM schema_versions")).Should().Be("DROP FUNCTION template();");
    }

    [Fact]
    public async Task Transaction_false_runs_each_statement_in_its_own_autocommit()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251002000000_autocommit.sql", """
            -- Each statement commits on its own
            -- migrate:up transaction:false
            CREATE TABLE one (x xid8 DEFAULT pg_current_xact_id());
            INSERT INTO one DEFAULT VALUES;
            INSERT INTO one DEFAULT VALUES;
            """);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(0, up.All);
        (await db.ScalarAsync<long>("SELECT count(DISTINCT x) FROM one")).Should().Be(2);
    }

    [Fact]
    public async Task Editing_an_applied_file_makes_up_refuse_with_exit_3_naming_the_file()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        var path = dir.Write("20251002000000_users.sql", "-- Users\n-- migrate:up\nCREATE TABLE users (id int);\n");
        dir.Write("20251003000000_later.sql", "-- Later\n-- migrate:up\nCREATE TABLE later (id int);\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--to", "20251002000000")).ExitCode.Should().Be(0);

        File.AppendAllText(path, "-- edited\n");
        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(3);
        up.Stderr.Should().Contain("20251002000000_users.sql").And.Contain("edited after it was applied");
        (await db.TableExistsAsync("later")).Should().BeFalse();
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--allow-drift")).ExitCode.Should().Be(0);
        (await db.TableExistsAsync("later")).Should().BeTrue();
    }

    [Fact]
    public async Task An_out_of_order_file_is_listed_and_applied_only_when_allowed()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n");
        dir.Write("20251003000000_c.sql", "-- C\n-- migrate:up\nCREATE TABLE c (id int);\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        dir.Write("20251002000000_b_merged_late.sql", "-- B\n-- migrate:up\nCREATE TABLE b (id int);\n");

        var status = await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url);
        var refused = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);
        var allowed = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--allow-out-of-order");

        status.Stdout.Should().Contain("out of order").And.Contain("20251002000000_b_merged_late.sql");
        refused.ExitCode.Should().Be(3);
        allowed.ExitCode.Should().Be(0);
        (await db.TableExistsAsync("b")).Should().Be(true);
    }

    [Fact]
    public async Task Dry_run_and_to_limit_what_runs()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n");
        dir.Write("20251002000000_b.sql", "-- B\n-- migrate:up\nCREATE TABLE b (id int);\n");

        var dry = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--dry-run");
        (await db.TableExistsAsync("schema_versions")).Should().BeFalse("a dry run writes nothing");
        var to = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--to", "20251001000000_a.sql");

        dry.Stdout.Should().Contain("would apply 2 migration(s)");
        to.ExitCode.Should().Be(0);
        (await db.TableExistsAsync("a")).Should().Be(true);
        (await db.TableExistsAsync("b")).Should().Be(false);
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--to", "20991231000000")).ExitCode.Should().Be(2);
    }

    [Fact]
    public async Task A_table_created_by_hand_with_its_bootstrap_row_is_used_as_it_is()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.CreateHandMadeHistoryAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251002143000_add_thing.sql", "-- Add thing\n-- migrate:up\nCREATE TABLE thing (id int);\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(0, up.All);
        (await db.RowsAsync("SELECT version, applied_by FROM schema_versions ORDER BY version")).Select(r => $"{r[0]} {r[1]}")
            .Should().Equal("20251002120000_create_schema_versions_table.sql initial_setup", $"20251002143000_add_thing.sql {Environment.UserName}@{Environment.MachineName}");
    }

    [Fact]
    public async Task A_file_that_records_itself_applies_and_strata_s_record_wins()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251002143000_self.sql", """
            -- Self-recording, as the strategy's hand-written files do
            -- migrate:up
            CREATE TABLE self (id int);
            INSERT INTO schema_versions (version, description, rollback_sql, applied_by, checksum)
            VALUES ('20251002143000_self.sql', 'hand description', 'DROP TABLE self;', 'migration_system', 'sha256:abc123...');
            -- migrate:down
            DROP TABLE self;
            """);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--by", "strata-ci");

        up.ExitCode.Should().Be(0, up.All);
        var row = (await db.RowsAsync("SELECT applied_by, checksum, description FROM schema_versions")).Single();
        row[0].Should().Be("strata-ci");
        row[1].Should().MatchRegex("^sha256:[0-9a-f]{64}$");
        row[2].Should().Be("Self-recording, as the strategy's hand-written files do");
    }

    // The strategy document's own files, verbatim: no markers, the rollback only in their INSERT.
    public static TheoryData<string, string, string> StrategyFiles => new()
    {
        {
            "20251002143000_add_tool_calls_to_pam_conversations.sql",
            """
            -- 20251002143000_add_tool_calls_to_pam_conversations.sql

            -- Add column with default value
            ALTER TABLE pam_conversations
            ADD COLUMN IF NOT EXISTS tool_calls_json JSONB DEFAULT '[]'::jsonb;

            -- Comment for documentation
            COMMENT ON COLUMN pam_conversations.tool_calls_json IS
                'Array of Claude tool calls made during conversation turn';

            -- Optional: Create index for queries
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_pam_conversations_tool_calls
            ON pam_conversations USING GIN (tool_calls_json);

            -- Record migration
            INSERT INTO schema_versions (version, description, rollback_sql, applied_by)
            VALUES (
                '20251002143000_add_tool_calls_to_pam_conversations.sql',
                'Add tool_calls_json column to track Claude function calls',
                '
                    DROP INDEX IF EXISTS idx_pam_conversations_tool_calls;
                    ALTER TABLE pam_conversations DROP COLUMN IF EXISTS tool_calls_json;
                ',
                'migration_system'
            );
            """,
            "ALTER TABLE pam_conversations DROP COLUMN IF EXISTS tool_calls_json;"
        },
        {
            "20251002143000_migrate_expense_categories.sql",
            """
            -- 20251002143000_migrate_expense_categories.sql

            -- Migrate old category names to new standard
            UPDATE expenses
            SET category = CASE
                WHEN category = 'fuel' THEN 'gas'
                WHEN category = 'camping' THEN 'campground'
                WHEN category = 'rv_maintenance' THEN 'maintenance'
                ELSE category
            END
            WHERE category IN ('fuel', 'camping', 'rv_maintenance');

            -- Log affected rows
            DO $$
            DECLARE
                affected_count INTEGER;
            BEGIN
                GET DIAGNOSTICS affected_count = ROW_COUNT;
                RAISE NOTICE 'Migrated % expense records', affected_count;
            END $$;

            -- Record migration
            INSERT INTO schema_versions (version, description, rollback_sql, applied_by, metadata)
            VALUES (
                '20251002143000_migrate_expense_categories.sql',
                'Standardize expense category names',
                '
                    UPDATE expenses
                    SET category = CASE
                        WHEN category = ''gas'' THEN ''fuel''
                        WHEN category = ''campground'' THEN ''camping''
                        WHEN category = ''maintenance'' THEN ''rv_maintenance''
                        ELSE category
                    END
                    WHERE category IN (''gas'', ''campground'', ''maintenance'');
                ',
                'migration_system',
                '{"affected_tables": ["expenses"], "estimated_rows": 1000}'::jsonb
            );
            """,
            "WHEN category = 'gas' THEN 'fuel'"
        },
    };

    [Theory]
    [MemberData(nameof(StrategyFiles))]
    public async Task A_strategy_file_without_markers_keeps_the_rollback_sql_it_records(string fileName, string text, string rollback)
    {
        // Regression: Strata's own row replaced the file's rollback_sql with '' (the file has no down section).
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("""
            CREATE TABLE pam_conversations (id int);
            CREATE TABLE expenses (category text);
            INSERT INTO expenses VALUES ('fuel'), ('food');
            """);
        using var dir = new MigrationDirectory();
        dir.Write(fileName, text);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--by", "ci");

        up.ExitCode.Should().Be(0, up.All);
        var row = (await db.RowsAsync("SELECT rollback_sql, applied_by, checksum, metadata->>'rollback' FROM schema_versions")).Single();
        row[0].Should().Contain(rollback);
        row[1].Should().Be("ci", "the rest of the row is Strata's");
        row[2].Should().MatchRegex("^sha256:[0-9a-f]{64}$");
        row[3].Should().Be("recorded_by_file");
    }

    [Fact]
    public async Task An_irreversible_file_does_not_take_the_rollback_its_insert_records()
    {
        // The bootstrap example declares '-- migrate:down irreversible' but its INSERT records 'DROP TABLE ... CASCADE'.
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        File.Copy(Path.Combine(Example, "migrations", "20251002120000_create_schema_versions_table.sql"),
            Path.Combine(dir.Migrations, "20251002120000_create_schema_versions_table.sql"));

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(0, up.All);
        (await db.RowsAsync("SELECT rollback_sql, metadata->>'rollback' FROM schema_versions")).Single().Should().Equal("", "irreversible");
    }

    [Fact]
    public async Task The_strategy_bootstrap_file_runs_first_on_an_empty_database()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        File.Copy(Path.Combine(Example, "migrations", "20251002120000_create_schema_versions_table.sql"),
            Path.Combine(dir.Migrations, "20251002120000_create_schema_versions_table.sql"));
        dir.Write("20251002143000_after.sql", "-- After\n-- migrate:up\nCREATE TABLE after_bootstrap (id int);\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(0, up.All);
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_versions WHERE status = 'applied' AND metadata->>'tool' = 'strata'")).Should().Be(2);
    }
}
