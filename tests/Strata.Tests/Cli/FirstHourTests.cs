using System.Text.RegularExpressions;
using Strata.Tests.Support;

namespace Strata.Tests.Cli;

/// <summary>
/// The first hour of a new user (issue "Hardening II", part 3): help, completion, .env, libpq
/// strings and PG* variables, a missing password, .gitignore, status in 80 columns, the lock
/// wait on stderr, an unfinished file, dev stop. What people read is pinned by snapshots.
/// </summary>
public class FirstHourTests(PostgresServer server)
{
    private const string Users = "-- Create users\n-- migrate:up\nCREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE IF EXISTS users;\n";

    [Fact]
    public async Task Bare_strata_prints_help_and_exits_0()
    {
        var bare = await StrataCli.RunAsync("/");

        bare.ExitCode.Should().Be(0, bare.All);
        Snapshot.Verify("Cli", "BareHelp", bare.Stdout.Replace("Strata.Tests", "strata"));
    }

    [Fact]
    public async Task Each_command_help_has_examples_the_target_order_and_only_its_own_options()
    {
        var newHelp = await StrataCli.RunAsync("/", "new", "--help");
        var statusHelp = await StrataCli.RunAsync("/", "status", "--help");
        using var dir = new MigrationDirectory();
        var misplaced = await StrataCli.RunAsync(dir.Root, "new", "foo", "--env", "nope");

        Snapshot.Verify("Cli", "NewHelp", newHelp.Stdout.Replace("Strata.Tests", "strata"));
        Snapshot.Verify("Cli", "StatusHelp", statusHelp.Stdout.Replace("Strata.Tests", "strata"));
        newHelp.Stdout.Should().NotContain("--url").And.NotContain("--env");
        statusHelp.Stdout.Should().Contain("Examples:").And.Contain("Target:").And.Contain("DATABASE_URL");
        misplaced.ExitCode.Should().Be(2, misplaced.All);
        misplaced.Stderr.Should().Contain("--env");
        Directory.GetFiles(dir.Migrations).Should().BeEmpty("a command line with an option the command does not take writes nothing");
    }

    [Fact]
    public async Task Completion_prints_a_script_for_each_shell_and_the_suggestions_come_from_strata_itself()
    {
        var bash = await StrataCli.RunAsync("/", "completion", "bash");
        var suggest = await StrataCli.RunAsync("/", "[suggest:2]", "st");
        var unknown = await StrataCli.RunAsync("/", "completion", "tcsh");

        bash.ExitCode.Should().Be(0);
        Snapshot.Verify("Cli", "CompletionBash", bash.Stdout);
        foreach (var shell in new[] { "zsh", "fish", "pwsh" })
            (await StrataCli.RunAsync("/", "completion", shell)).Stdout.Should().Contain("[suggest:", shell);
        suggest.Stdout.Should().Contain("status");
        unknown.ExitCode.Should().Be(2);
    }

    [Fact]
    public async Task A_dot_env_file_gives_DATABASE_URL_a_real_variable_wins_and_a_malformed_line_is_named()
    {
        await using var fromFile = await server.CreateDatabaseAsync();
        await using var fromVariable = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_users.sql", Users);
        dir.WriteRoot(".env", $"# local settings\nexport DATABASE_URL=\"{fromFile.Url}\"\nOTHER='x y'\n");

        var viaFile = await StrataCli.RunAsync(dir.Root, "up");
        var viaVariable = await StrataCli.RunAsync(dir.Root, new Dictionary<string, string> { ["DATABASE_URL"] = fromVariable.Url }, "up");
        dir.WriteRoot(".env", $"DATABASE_URL={fromFile.Url}\nthis line is not a variable\n");
        var malformed = await StrataCli.RunAsync(dir.Root, "status");

        viaFile.ExitCode.Should().Be(0, viaFile.All);
        (await fromFile.TableExistsAsync("users")).Should().BeTrue();
        viaVariable.ExitCode.Should().Be(0, viaVariable.All);
        (await fromVariable.TableExistsAsync("users")).Should().BeTrue();
        malformed.ExitCode.Should().Be(2, malformed.All);
        Snapshot.Verify("Cli", "DotEnvMalformed", malformed.Stderr);
        (viaFile.All + viaVariable.All + malformed.All).Should().NotContain(PostgresServer.CanaryPassword);
    }

    [Fact]
    public async Task Libpq_keyword_strings_and_PG_variables_reach_the_database_and_PGSERVICE_is_refused()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_users.sql", Users);
        var uri = new Uri(db.Url);
        var database = uri.AbsolutePath.Trim('/');
        var keywords = $"host=127.0.0.1 port={uri.Port} dbname={database} user=postgres password='{PostgresServer.CanaryPassword}' sslmode=disable";

        var libpq = await StrataCli.RunAsync(dir.Root, "up", "--url", keywords);
        var badKeyword = await StrataCli.RunAsync(dir.Root, "status", "--url", $"host=127.0.0.1 dbnme={database} password={PostgresServer.CanaryPassword}");
        var pg = await StrataCli.RunAsync(dir.Root, new Dictionary<string, string>
        {
            ["PGHOST"] = "127.0.0.1", ["PGPORT"] = uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["PGDATABASE"] = database,
            ["PGUSER"] = "postgres", ["PGPASSWORD"] = PostgresServer.CanaryPassword,
        }, "status");
        var service = await StrataCli.RunAsync(dir.Root, new Dictionary<string, string> { ["PGSERVICE"] = "prod", ["PGHOST"] = "127.0.0.1" }, "status");

        libpq.ExitCode.Should().Be(0, libpq.All);
        (await db.TableExistsAsync("users")).Should().BeTrue();
        badKeyword.ExitCode.Should().Be(2, badKeyword.All);
        badKeyword.Stderr.Should().Contain("dbnme");
        pg.ExitCode.Should().Be(0, pg.All);
        pg.Stdout.Should().Contain("applied").And.Contain(database);
        service.ExitCode.Should().Be(2, service.All);
        service.Stderr.Should().Contain("PGSERVICE");
        (libpq.All + badKeyword.All + pg.All).Should().NotContain(PostgresServer.CanaryPassword);
    }

    [Fact]
    public async Task A_missing_password_is_a_login_problem_not_a_server_that_is_down()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        var noPassword = Regex.Replace(db.Url, ":[^:@/]+@", "@");

        var run = await StrataCli.RunAsync(dir.Root, "status", "--url", noPassword, "--json");

        run.ExitCode.Should().Be(4, run.All);
        run.Stdout.Should().Contain("login-refused").And.Contain("asks for a password").And.NotContain("server is running");
    }

    [Fact]
    public async Task Init_adds_the_strata_folder_to_gitignore_once()
    {
        using var fresh = new MigrationDirectory();
        Directory.Delete(fresh.Migrations);
        using var existing = new MigrationDirectory();
        Directory.Delete(existing.Migrations);
        existing.WriteRoot(".gitignore", "node_modules/");

        var first = await StrataCli.RunAsync(fresh.Root, "init");
        var second = await StrataCli.RunAsync(existing.Root, "init");
        File.Delete(Path.Combine(existing.Root, "strata.toml"));
        await StrataCli.RunAsync(existing.Root, "init");

        first.ExitCode.Should().Be(0, first.All);
        first.Stdout.Should().Contain(".gitignore");
        File.ReadAllText(Path.Combine(fresh.Root, ".gitignore")).Should().Contain(".strata/");
        second.ExitCode.Should().Be(0, second.All);
        File.ReadAllText(Path.Combine(existing.Root, ".gitignore")).Should().Be("node_modules/\n# Strata's local cluster and deploy backups\n.strata/\n");
    }

    [Fact]
    public async Task Status_fits_80_columns_with_its_table()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_create_users_with_a_long_descriptive_name.sql", "-- Create the users table that every other table of the application refers to\n" + Users[Users.IndexOf("-- migrate:up", StringComparison.Ordinal)..]);
        dir.Write("20251002000000_add_index.sql", "-- Index users\n-- migrate:up\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_id_idx ON users (id);\n-- migrate:down\nDROP INDEX CONCURRENTLY IF EXISTS users_id_idx;\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--to", "20251001000000", "--by", "snapshot")).ExitCode.Should().Be(0);

        var narrow = await StrataCli.RunAsync(dir.Root, new Dictionary<string, string> { ["COLUMNS"] = "80" }, "status", "--url", db.Url);

        narrow.ExitCode.Should().Be(0, narrow.All);
        narrow.Stdout.Split('\n').Should().OnlyContain(l => l.Length <= 80);
        narrow.Stdout.Split('\n').Length.Should().BeLessThan(10);
        Snapshot.Verify("Cli", "Status80", narrow.Stdout);
    }

    [Fact]
    public async Task Waiting_for_the_lock_is_said_on_stderr_not_stdout()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_users.sql", Users);
        await using var holder = await db.HoldMigrationLockAsync();

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--lock-wait", "1s");

        up.ExitCode.Should().Be(3, up.All);
        Snapshot.Verify("Cli", "LockWaitStderr", Regex.Replace(up.Stderr, @"pid \d+", "pid N"));
        up.Stdout.Should().NotContain("waiting for the migration lock");
    }

    [Fact]
    public async Task One_unfinished_file_does_not_hide_the_status_of_the_others()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_users.sql", Users);
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--by", "snapshot")).ExitCode.Should().Be(0);
        (await StrataCli.RunAsync(dir.Root, "new", "add_email")).ExitCode.Should().Be(0);

        var status = await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url);

        status.ExitCode.Should().Be(2, status.All);
        status.Stdout.Should().Contain("20251001000000_users.sql").And.Contain("applied");
        status.Stderr.Should().Contain("_add_email.sql");
        Snapshot.Verify("Cli", "StatusWithUnfinishedFile", Regex.Replace(status.Stdout + "--- stderr\n" + status.Stderr, @"\d{14}_add_email", "NOW_add_email"));
    }

    [Fact]
    public async Task Dev_stop_says_that_nothing_was_running()
    {
        using var dir = new MigrationDirectory();

        var stop = await StrataCli.RunAsync(dir.Root, "dev", "stop");

        stop.ExitCode.Should().Be(0, stop.All);
        stop.Stdout.Should().Contain("Nothing to stop");
        Directory.Exists(Path.Combine(dir.Root, ".strata")).Should().BeFalse("stopping creates nothing");
    }
}
