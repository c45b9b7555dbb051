using Strata.Tests.Support;

namespace Strata.Tests.Cli;

/// <summary>What people read, pinned by snapshots under Snapshots/Cli.</summary>
public class OutputSnapshotTests(PostgresServer server)
{
    private static void WriteFolder(MigrationDirectory dir)
    {
        dir.Write("20251001000000_create_users.sql", "-- Create users\n-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n-- migrate:down\nDROP TABLE users;\n");
        dir.Write("20251002000000_index_email.sql", "-- Index users by email\n-- migrate:up\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);\n-- migrate:down\nDROP INDEX CONCURRENTLY IF EXISTS users_email_idx;\n");
        dir.Write("20251003000000_broken.sql", "-- Add a column with a typo\n-- migrate:up\nALTER TABLE users\n  ADD COLUMN name text;\nALTER TABLE users\n  ADD COLUMN nickname txet;\n");
    }

    [Fact]
    public async Task Up_with_a_failure_then_status()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        WriteFolder(dir);

        var dry = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--dry-run");
        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--by", "snapshot");
        var status = await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url);

        Snapshot.Verify("Cli", "UpDryRun", dry.Stdout);
        Snapshot.Verify("Cli", "UpFailure", $"exit {up.ExitCode}\n--- stdout\n{up.Stdout}--- stderr\n{up.Stderr}");
        Snapshot.Verify("Cli", "StatusAfterFailure", status.Stdout);
    }

    // Issue 17's acceptance 3: the fifth line of the body (the opening $$ is its first) is file line 7.
    [Fact]
    public async Task Up_failing_inside_a_do_block_after_a_notice()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_create_users.sql", "-- Create users\n-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n");
        dir.Write("20251002000000_backfill_emails.sql", """
            -- Backfill emails
            -- migrate:up
            DO $$
            DECLARE missing integer := (SELECT count(*) FROM users WHERE email IS NULL);
            BEGIN
              RAISE NOTICE 'backfilling % users', missing;
              INSERT INTO email_audit (users) VALUES (missing);
            END $$;
            """);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--by", "snapshot");

        Snapshot.Verify("Cli", "UpFailureInsideDoBlock", $"exit {up.ExitCode}\n--- stdout\n{up.Stdout}--- stderr\n{up.Stderr}");
    }

    [Fact]
    public async Task Status_shows_rows_recorded_by_hand_without_a_file_apart_from_the_migrations()
    {
        // Regression: the strategy's bootstrap row sat in the migrations table as if it were a migration.
        await using var db = await server.CreateDatabaseAsync();
        await db.CreateHandMadeHistoryAsync("Create schema_versions table for migration tracking");
        using var dir = new MigrationDirectory();
        WriteFolder(dir);
        File.Delete(Path.Combine(dir.Migrations, "20251003000000_broken.sql"));
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--by", "snapshot", "--to", "20251001000000")).ExitCode.Should().Be(0);

        var status = await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url);
        var json = await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url, "--json");

        Snapshot.Verify("Cli", "StatusWithHandRecords", status.Stdout);
        using var document = System.Text.Json.JsonDocument.Parse(json.Stdout);
        document.RootElement.GetProperty("migrations").EnumerateArray()
            .Select(m => $"{m.GetProperty("version").GetString()} {m.GetProperty("state").GetString()} file:{m.GetProperty("has_file").GetBoolean()} strata:{m.GetProperty("recorded_by_strata").GetBoolean()}")
            .Should().Equal(
                "20251001000000_create_users.sql applied file:True strata:True",
                "20251002000000_index_email.sql pending file:True strata:False",
                "20251002120000_create_schema_versions_table.sql applied file:False strata:False");
    }

    [Fact]
    public async Task Help()
    {
        var help = await StrataCli.RunAsync("/", "--help");
        var up = await StrataCli.RunAsync("/", "up", "--help");

        // Usage names the host executable: strata in real use, the test assembly here.
        Snapshot.Verify("Cli", "Help", help.Stdout.Replace("Strata.Tests", "strata"));
        Snapshot.Verify("Cli", "UpHelp", up.Stdout.Replace("Strata.Tests", "strata"));
    }
}
