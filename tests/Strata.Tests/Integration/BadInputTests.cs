using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>Bad input gets a clear error, its documented exit code, no stack trace, and writes nothing.</summary>
public class BadInputTests(PostgresServer server)
{
    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "not_a_migration.sql", "-- x\n-- migrate:up\nSELECT 1;\n", "does not follow the naming rule" },
        { "20251399000000_bad_date.sql", "-- x\n-- migrate:up\nSELECT 1;\n", "not a real date-time" },
        { "20251002000000_empty.sql", "-- x\n-- migrate:up\n-- nothing\n", "up section has no SQL" },
        { "20251002000000_option.sql", "-- x\n-- migrate:up transactional:no\nSELECT 1;\n", "unknown marker option" },
        { "20251002000000_unterminated.sql", "-- x\n-- migrate:up\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1;\n", "20251002000000_unterminated.sql:3" },
        { "20251002000000_meta.sql", "-- x\n-- migrate:up\n\\i other.sql\n", "20251002000000_meta.sql:3" },
        { "20251002000000_gset.sql", "-- x\n-- migrate:up\nSELECT 1 \\gset\n", "20251002000000_gset.sql:3:10: psql meta-command \\gset" },
        // Near-miss markers: read as comments, each of these ran the down section as part of up, with exit 0.
        { "20251002000000_spaced.sql", "-- x\n-- migrate: up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n", "20251002000000_spaced.sql:2:1: '-- migrate: up' looks like a section marker" },
        { "20251002000000_shouting.sql", "-- x\n-- migrate:up\nCREATE TABLE t (id int);\n-- MIGRATE:DOWN\nDROP TABLE t;\n", "Write it exactly as '-- migrate:down'" },
        { "20251002000000_indented.sql", "-- x\n-- migrate:up\nCREATE TABLE t (id int);\n  -- migrate:down\nDROP TABLE t;\n", "20251002000000_indented.sql:4:3: '-- migrate:down' is indented" },
        { "20251002000000_goose.sql", "-- +goose Up\nCREATE TABLE t (id int);\n-- +goose Down\nDROP TABLE t;\n", "20251002000000_goose.sql:3:1: '-- +goose Down' is a goose annotation" },
        // A NUL was an internal error when its statement was sent, after the statements before it had committed.
        { "20251002000000_nul.sql", "-- x\n-- migrate:up transaction:false\nCREATE TABLE t (id int);\nSELECT 'a\0b';\n", "20251002000000_nul.sql:4:10: the file contains a NUL byte" },
        // Near-miss names were skipped silently: the migration never ran and 'up' said all was applied.
        { "20251002000000_shouting.SQL", "-- x\n-- migrate:up\nCREATE TABLE t (id int);\n", "'20251002000000_shouting.SQL' looks like a migration" },
        { "20251002000000_space.sql ", "-- x\n-- migrate:up\nCREATE TABLE t (id int);\n", "Rename it to '20251002000000_space.sql'" },
        { "20251002000000_typo.sql", "-- x\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:dwon\nDROP TABLE t;\n", "20251002000000_typo.sql:4:1: '-- migrate:dwon' looks like a section marker" },
        // Read as a comment, a misspelt verify marker would run its queries as part of up (or store them as rollback SQL).
        { "20251002000000_verfy.sql", "-- x\n-- migrate:up\nCREATE TABLE t (id int);\n--migrate:Verify\nSELECT true;\n", "20251002000000_verfy.sql:4:1: '--migrate:Verify' looks like a section marker" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_is_exit_2_and_nothing_is_written(string fileName, string text, string expected)
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_good.sql", "-- Good\n-- migrate:up\nCREATE TABLE good (id int);\n");
        dir.Write(fileName, text);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(2);
        up.Stderr.Should().Contain(expected);
        (await db.TableExistsAsync("schema_versions")).Should().BeFalse();
        (await db.TableExistsAsync("good")).Should().BeFalse();
    }

    [Theory]
    [InlineData("fifo", "not-a-regular-file", "the entry is a named pipe (FIFO)")]
    [InlineData("dangling", "dangling-symlink", "the file is a symbolic link to 'gone.sql', which does not exist")]
    [InlineData("folder", "not-a-regular-file", "the entry is a folder")]
    [InlineData("device", "not-a-regular-file", "the entry is a device")]
    public async Task An_entry_strata_cannot_read_is_exit_2_and_nothing_is_written(string kind, string code, string expected)
    {
        // Regression: a FIFO hung 'up'; a dangling link, a folder named x.sql or a device were an internal error or skipped.
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_good.sql", "-- Good\n-- migrate:up\nCREATE TABLE good (id int);\n");
        var entry = Path.Combine(dir.Migrations, "20251002000000_entry.sql");
        switch (kind)
        {
            case "fifo": Migrations.FolderSourceTests.MakeFifo(entry); break;
            case "dangling": File.CreateSymbolicLink(entry, "gone.sql"); break;
            case "folder": Directory.CreateDirectory(entry); break;
            case "device": File.CreateSymbolicLink(entry, "/dev/zero"); break;
        }

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url).WaitAsync(TimeSpan.FromSeconds(60));
        var json = await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url, "--json").WaitAsync(TimeSpan.FromSeconds(60));

        up.ExitCode.Should().Be(2);
        up.Stderr.Should().Contain($"{entry}: {expected}");
        json.Stdout.Should().Contain($"\"code\": \"{code}\"");
        (await db.TableExistsAsync("schema_versions")).Should().BeFalse();
        (await db.TableExistsAsync("good")).Should().BeFalse();
    }

    [Fact]
    public async Task Duplicate_timestamps_are_exit_2()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_one.sql", "-- One\n-- migrate:up\nSELECT 1;\n");
        dir.Write("20251001000000_two.sql", "-- Two\n-- migrate:up\nSELECT 1;\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", "postgresql://nobody@127.0.0.1:1/none");

        up.ExitCode.Should().Be(2);
        up.Stderr.Contains("share the timestamp").Should().Be(true);
    }

    [Fact]
    public async Task A_non_utf8_file_is_exit_2()
    {
        using var dir = new MigrationDirectory();
        dir.WriteBytes("20251001000000_latin.sql", [0x2D, 0x2D, 0x20, 0x78, 0x0A, 0x53, 0x45, 0x4C, 0x45, 0x43, 0x54, 0x20, 0x27, 0xE9, 0x27, 0x3B, 0x0A]);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", "postgresql://nobody@127.0.0.1:1/none");

        up.ExitCode.Should().Be(2);
        up.Stderr.Contains("not valid UTF-8").Should().Be(true);
    }

    [Fact]
    public async Task An_unreachable_server_is_exit_4()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nSELECT 1;\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", $"postgresql://postgres:{PostgresServer.CanaryPassword}@127.0.0.1:1/none");

        up.ExitCode.Should().Be(4);
        up.Stderr.Should().Contain("cannot connect to postgresql://postgres@127.0.0.1:1/none");
    }

    [Fact]
    public async Task A_wrong_password_is_exit_4_and_never_printed()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nSELECT 1;\n");
        var wrong = db.Url.Replace(Uri.EscapeDataString(PostgresServer.CanaryPassword), "Wrong-" + Uri.EscapeDataString(PostgresServer.CanaryPassword));

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", wrong);
        var json = await StrataCli.RunAsync(dir.Root, "status", "--url", wrong, "--json");

        up.ExitCode.Should().Be(4);
        up.Stderr.Should().Contain("refused the login").And.Contain("password authentication failed");
        json.ExitCode.Should().Be(4);
        json.Stdout.Should().Contain("\"code\": \"login-refused\"");
    }

    [Fact]
    public async Task A_missing_env_variable_is_exit_2_naming_it()
    {
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", "[environments.staging]\nurl = \"env:STAGING_DATABASE_URL\"\n");
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nSELECT 1;\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--env", "staging");

        up.ExitCode.Should().Be(2);
        up.Stderr.Contains("STAGING_DATABASE_URL").Should().Be(true);
    }

    [Fact]
    public async Task An_environment_url_resolves_through_its_variable()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", "[environments.staging]\nurl = \"env:STAGING_DATABASE_URL\"\n");
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n");

        var up = await StrataCli.RunAsync(dir.Root, new Dictionary<string, string> { ["STAGING_DATABASE_URL"] = db.Url }, "up", "--env", "staging");

        up.ExitCode.Should().Be(0, up.All);
        (await db.ScalarAsync<string>("SELECT environment FROM schema_version_events")).Should().Be("staging");
    }

    [Fact]
    public async Task Database_url_is_used_when_no_target_option_is_given()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n");

        var up = await StrataCli.RunAsync(dir.Root, new Dictionary<string, string> { ["DATABASE_URL"] = db.Url }, "up");

        up.ExitCode.Should().Be(0);
        (await db.TableExistsAsync("a")).Should().Be(true);
    }

    [Fact]
    public async Task A_role_without_privileges_on_the_history_gets_exit_1_naming_the_refusal()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        var role = "r_" + db.Name;
        await db.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD '{PostgresServer.CanaryPassword}'");
        var url = db.Url.Replace("postgres:", role + ":");

        var status = await StrataCli.RunAsync(dir.Root, "status", "--url", url);

        status.ExitCode.Should().Be(1);
        status.Stderr.Should().Contain("the server refused: 42501").And.Contain("privileges");
    }

    [Theory]
    [InlineData("up", "--frobnicate")]
    [InlineData("sideways")]
    [InlineData("up", "--lock-wait", "soon")]
    [InlineData("history", "--since", "the dawn of time", "--url", "postgresql://x@127.0.0.1:1/db")]
    public async Task Bad_usage_is_exit_2(params string[] args)
    {
        using var dir = new MigrationDirectory();

        (await StrataCli.RunAsync(dir.Root, args)).ExitCode.Should().Be(2);
        Directory.Exists(Path.Combine(dir.Root, ".strata")).Should().BeFalse("bad usage must not start the dev cluster");
    }
}
