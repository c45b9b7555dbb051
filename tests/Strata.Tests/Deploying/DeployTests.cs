using System.Globalization;
using System.Text.Json;
using Strata.Tests.Support;

namespace Strata.Tests.Deploying;

/// <summary>
/// <c>strata deploy</c> through the CLI, with two databases of the test cluster as staging and
/// production: the promotion gate (soak, checksum), the window, confirmation, backup, the
/// rollback of a failed deploy, post-checks and the smoke command.
/// </summary>
public class DeployTests(PostgresServer server)
{
    private const string Trips = "-- Trips\n-- migrate:up\nCREATE TABLE IF NOT EXISTS trips (id bigint PRIMARY KEY, km int);\n-- migrate:down\nDROP TABLE IF EXISTS trips;\n";
    private const string Notes = "-- Trip notes\n-- migrate:up\nALTER TABLE trips ADD COLUMN IF NOT EXISTS notes text;\n-- migrate:down\nALTER TABLE trips DROP COLUMN IF EXISTS notes;\n";
    private const string Broken = "-- Trip owners\n-- migrate:up\nALTER TABLE trips ADD COLUMN IF NOT EXISTS owner bigint;\nALTER TABLE no_such_table ADD COLUMN x int;\n-- migrate:down\nALTER TABLE trips DROP COLUMN IF EXISTS owner;\n";

    private sealed class Pair(TestDatabase staging, TestDatabase production, MigrationDirectory dir) : IAsyncDisposable
    {
        public TestDatabase Staging => staging;
        public TestDatabase Production => production;
        public MigrationDirectory Dir => dir;
        public Dictionary<string, string> Variables => new() { ["STAGING_DATABASE_URL"] = staging.Url, ["PRODUCTION_DATABASE_URL"] = production.Url };

        public Task<CliResult> RunAsync(params string[] args) => StrataCli.RunAsync(dir.Root, Variables, args);

        public void Config(string production) => dir.WriteRoot("strata.toml",
            "[environments.staging]\nurl = \"env:STAGING_DATABASE_URL\"\n\n[environments.production]\nurl = \"env:PRODUCTION_DATABASE_URL\"\n" + production);

        /// <summary>Moves staging's history back in time, as if it had been applied <paramref name="hours"/> ago.</summary>
        public Task AgeStagingAsync(double hours) => staging.ExecuteAsync(
            $"UPDATE schema_versions SET applied_at = now() - interval '{hours.ToString(CultureInfo.InvariantCulture)} hours'");

        public async ValueTask DisposeAsync()
        {
            await staging.DisposeAsync();
            await production.DisposeAsync();
            dir.Dispose();
        }
    }

    private async Task<Pair> PairAsync(string production = "requires = \"staging\"\nsoak = \"24h\"\nbackup = \"none\"\n", params string[] files)
    {
        var pair = new Pair(await server.CreateDatabaseAsync(), await server.CreateDatabaseAsync(), new MigrationDirectory());
        var texts = files.Length == 0 ? [Trips] : files;
        for (var i = 0; i < texts.Length; i++) pair.Dir.Write($"2025100{i + 1}000000_m{i + 1}.sql", texts[i]);
        pair.Config(production);
        return pair;
    }

    /// <summary>The schema outside the history tables, to compare before and after.</summary>
    private static async Task<string> SchemaAsync(TestDatabase db) =>
        await db.ScalarAsync<string>("""
            SELECT coalesce(string_agg(x, E'\n' ORDER BY x), '') FROM (
                SELECT table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name NOT LIKE 'schema_version%') s(x)
            """) ?? "";

    [Fact]
    public async Task A_migration_staged_just_now_is_refused_for_production_until_it_has_soaked()
    {
        await using var pair = await PairAsync();
        (await pair.RunAsync("up", "--env", "staging")).ExitCode.Should().Be(0);

        var fresh = await pair.RunAsync("deploy", "--env", "production", "--yes");
        fresh.ExitCode.Should().Be(3, fresh.All);
        fresh.All.Should().Contain("soak").And.Contain("20251001000000_m1.sql").And.Contain("left");
        (await pair.Production.TableExistsAsync("trips")).Should().BeFalse();

        await pair.AgeStagingAsync(23);
        var young = await pair.RunAsync("deploy", "--env", "production", "--yes");
        young.ExitCode.Should().Be(3, young.All);
        young.All.Should().Contain("23h").And.Contain("soak is 1d 0h");
        (await pair.Production.TableExistsAsync("trips")).Should().BeFalse();

        await pair.AgeStagingAsync(25);
        var soaked = await pair.RunAsync("deploy", "--env", "production", "--yes");
        soaked.ExitCode.Should().Be(0, soaked.All);
        soaked.Stdout.Should().Contain("Deployed 1 migration(s) to production");
        (await pair.Production.TableExistsAsync("trips")).Should().BeTrue();
        (await pair.Production.ScalarAsync<long>("SELECT count(*) FROM schema_version_events WHERE action = 'deploy'")).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task A_file_that_changed_after_staging_applied_it_is_refused()
    {
        await using var pair = await PairAsync();
        (await pair.RunAsync("up", "--env", "staging")).ExitCode.Should().Be(0);
        await pair.AgeStagingAsync(48);
        pair.Dir.Write("20251001000000_m1.sql", Trips.Replace("km int", "km bigint", StringComparison.Ordinal));

        var run = await pair.RunAsync("deploy", "--env", "production", "--yes");

        run.ExitCode.Should().Be(3, run.All);
        run.All.Should().Contain("checksum").And.Contain("changed after it was staged");
        (await pair.Production.TableExistsAsync("trips")).Should().BeFalse();
    }

    [Fact]
    public async Task Outside_the_window_it_refuses_and_an_override_with_a_reason_proceeds_and_is_recorded()
    {
        var tomorrow = DateTime.UtcNow.AddDays(2).DayOfWeek.ToString()[..3];
        await using var pair = await PairAsync($"window = [\"{tomorrow} 00:00-01:00\"]\nbackup = \"none\"\n");

        var refused = await pair.RunAsync("deploy", "--env", "production", "--yes");
        refused.ExitCode.Should().Be(3, refused.All);
        refused.All.Should().Contain("outside the deployment window").And.Contain("next window opens");
        (await pair.Production.TableExistsAsync("trips")).Should().BeFalse();

        var withoutReason = await pair.RunAsync("deploy", "--env", "production", "--yes", "--override", "window");
        withoutReason.ExitCode.Should().Be(2, withoutReason.All);

        var overridden = await pair.RunAsync("deploy", "--env", "production", "--yes", "--override", "window", "--reason", "hotfix for the billing outage");
        overridden.ExitCode.Should().Be(0, overridden.All);
        (await pair.Production.TableExistsAsync("trips")).Should().BeTrue();
        var details = await pair.Production.ScalarAsync<string>("SELECT string_agg(details::text, ' ') FROM schema_version_events WHERE action = 'deploy'");
        details.Should().Contain("overridden").And.Contain("hotfix for the billing outage").And.Contain("window");
        var metadata = await pair.Production.ScalarAsync<string>("SELECT metadata::text FROM schema_versions WHERE version = '20251001000000_m1.sql'");
        metadata.Should().Contain("\"overrides\": [\"window\"]").And.Contain("hotfix for the billing outage");
    }

    [Fact]
    public async Task A_deploy_whose_third_migration_fails_leaves_production_exactly_as_before_and_keeps_the_backup()
    {
        await using var pair = await PairAsync("backup = \"pg_dump\"\n", Trips, Notes, Broken);
        (await pair.RunAsync("up", "--env", "production", "--to", "20251001000000")).ExitCode.Should().Be(0);
        var before = await SchemaAsync(pair.Production);
        pair.Dir.Write("20251004000000_m4.sql", "-- Later\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n");
        pair.Dir.Write("20251002000000_m2.sql", Notes);
        pair.Dir.Write("20251003000000_m3.sql", Broken);
        File.Delete(Path.Combine(pair.Dir.Migrations, "20251004000000_m4.sql"));

        var run = await pair.RunAsync("deploy", "--env", "production", "--yes", "--json");

        run.ExitCode.Should().Be(1, run.All);
        var json = JsonDocument.Parse(run.Stdout).RootElement;
        json.GetProperty("rolled_back").GetBoolean().Should().BeTrue();
        json.GetProperty("schema_restored").GetBoolean().Should().BeTrue();
        var backup = json.GetProperty("backup").GetString()!;
        File.Exists(backup).Should().BeTrue();
        new FileInfo(backup).Length.Should().BeGreaterThan(0);
        (await SchemaAsync(pair.Production)).Should().Be(before);
        run.Stdout.Should().NotContain(PostgresServer.CanaryPassword);
    }

    [Fact]
    public async Task A_failing_smoke_command_stops_with_the_rollback_command_or_rolls_back_when_configured()
    {
        await using var pair = await PairAsync("backup = \"none\"\nsmoke = \"test \\\"$STRATA_ENV\\\" = production && test -n \\\"$DATABASE_URL\\\" && exit 7\"\n");
        var before = await SchemaAsync(pair.Production);

        var stopped = await pair.RunAsync("deploy", "--env", "production", "--yes");
        stopped.ExitCode.Should().Be(1, stopped.All);
        stopped.Stdout.Should().Contain("exited 7").And.Contain("strata rollback --env production --last 1");
        (await pair.Production.TableExistsAsync("trips")).Should().BeTrue("stop leaves the migrations for a person to judge");

        (await pair.RunAsync("rollback", "--env", "production", "--last", "1", "--reason", "smoke failed")).ExitCode.Should().Be(0);
        pair.Config("backup = \"none\"\nsmoke = \"exit 7\"\non_smoke_failure = \"rollback\"\n");
        var rolledBack = await pair.RunAsync("deploy", "--env", "production", "--yes");
        rolledBack.ExitCode.Should().Be(1, rolledBack.All);
        rolledBack.Stdout.Should().Contain("exactly as before");
        (await SchemaAsync(pair.Production)).Should().Be(before);
    }

    [Fact]
    public async Task The_deploy_scripts_other_cases_already_applied_bad_environment_confirmation_verification_and_report()
    {
        await using var pair = await PairAsync("backup = \"none\"\n",
            "-- Trips\n-- migrate:up\nCREATE TABLE IF NOT EXISTS trips (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE IF EXISTS trips;\n-- migrate:verify\nSELECT count(*) = 1 FROM trips;\n");

        // No terminal and no --yes: nobody can confirm.
        var unconfirmed = await pair.RunAsync("deploy", "--env", "production");
        unconfirmed.ExitCode.Should().Be(3, unconfirmed.All);
        unconfirmed.All.Should().Contain("confirmation");

        // An environment that says confirm = false needs no --yes.
        pair.Config("backup = \"none\"\nconfirm = false\n");
        var dryRun = await pair.RunAsync("deploy", "--env", "production", "--dry-run");
        dryRun.ExitCode.Should().Be(0, dryRun.All);
        dryRun.Stdout.Should().Contain("confirm = false for production").And.Contain("dry run");
        (await pair.Production.TableExistsAsync("trips")).Should().BeFalse("a dry run applies nothing");
        pair.Config("backup = \"none\"\n");

        // An unknown environment, or none at all, is bad usage.
        (await pair.RunAsync("deploy", "--env", "prod", "--yes")).ExitCode.Should().Be(2);
        (await pair.RunAsync("deploy", "--yes")).ExitCode.Should().Be(2);

        // The verify query fails on the empty table: post-checks fail after the apply.
        var report = Path.Combine(pair.Dir.Root, "deploy.md");
        var failedCheck = await pair.RunAsync("deploy", "--env", "production", "--yes", "--report", report);
        failedCheck.ExitCode.Should().Be(1, failedCheck.All);
        failedCheck.Stdout.Should().Contain("post-checks").And.Contain("returned false");
        File.ReadAllText(report).Should().Contain("# Deploy to production").And.Contain("| post-checks | failed |").And.Contain("ms |");

        // Already applied: nothing to do, exit 0.
        var again = await pair.RunAsync("deploy", "--env", "production", "--yes");
        again.ExitCode.Should().Be(0, again.All);
        again.Stdout.Should().Contain("nothing to deploy");
    }

    [Fact]
    public async Task Status_across_a_deliberately_inconsistent_pair_lists_each_inconsistency()
    {
        await using var pair = await PairAsync("requires = \"staging\"\n", Trips, Notes,
            "-- Trip owners\n-- migrate:up\nALTER TABLE trips ADD COLUMN IF NOT EXISTS owner bigint;\n-- migrate:down\nALTER TABLE trips DROP COLUMN IF EXISTS owner;\n");
        (await pair.RunAsync("up", "--env", "staging", "--to", "20251002000000")).ExitCode.Should().Be(0);
        pair.Dir.Write("20251002000000_m2.sql", Notes.Replace("notes text", "notes varchar", StringComparison.Ordinal));
        (await pair.RunAsync("up", "--env", "production")).ExitCode.Should().Be(0);
        await pair.Staging.ExecuteAsync("UPDATE schema_versions SET status = 'failed' WHERE version = '20251001000000_m1.sql'");

        var text = await pair.RunAsync("status", "--env", "staging", "--env", "production");
        var json = await pair.RunAsync("status", "--env", "staging", "--env", "production", "--json");

        text.ExitCode.Should().Be(0, text.All);
        text.Stdout.Should().Contain("inconsistenc");
        var found = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("inconsistencies").EnumerateArray()
            .Select(i => (i.GetProperty("version").GetString(), i.GetProperty("kind").GetString())).ToList();
        found.Should().Contain(("20251001000000_m1.sql", "failed"));
        found.Should().Contain(("20251001000000_m1.sql", "skipped-promotion"));
        found.Should().Contain(("20251002000000_m2.sql", "checksum"));
        found.Should().Contain(("20251002000000_m2.sql", "drift"));
        found.Should().Contain(("20251003000000_m3.sql", "skipped-promotion"));
        var m3 = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("migrations").EnumerateArray().Single(m => m.GetProperty("version").GetString() == "20251003000000_m3.sql");
        m3.GetProperty("environments").GetProperty("production").GetProperty("state").GetString().Should().Be("applied");
        m3.GetProperty("environments").GetProperty("staging").GetProperty("state").GetString().Should().Be("pending");
        json.Stdout.Should().NotContain(PostgresServer.CanaryPassword);

        // Several environments make sense for status only.
        (await pair.RunAsync("up", "--env", "staging", "--env", "production")).ExitCode.Should().Be(2);
    }

    [Fact]
    public async Task A_table_that_already_existed_differently_in_production_fails_the_comparison_with_staging()
    {
        await using var pair = await PairAsync("requires = \"staging\"\nbackup = \"none\"\n");
        (await pair.RunAsync("up", "--env", "staging")).ExitCode.Should().Be(0);
        // CREATE TABLE IF NOT EXISTS passes over a table someone made by hand, with another column.
        await pair.Production.ExecuteAsync("CREATE TABLE trips (id bigint PRIMARY KEY, km int, legacy text)");

        var run = await pair.RunAsync("deploy", "--env", "production", "--yes");

        run.ExitCode.Should().Be(1, run.All);
        run.Stdout.Should().Contain("post-checks").And.Contain("differs from staging").And.Contain("legacy");
        run.Stdout.Should().Contain("strata rollback --env production --last 1");
    }

    [Fact]
    public async Task Drift_on_the_target_refuses_before_any_gate_or_backup()
    {
        await using var pair = await PairAsync("backup = \"pg_dump\"\n");
        (await pair.RunAsync("up", "--env", "production")).ExitCode.Should().Be(0);
        pair.Dir.Write("20251001000000_m1.sql", Trips.Replace("km int", "km bigint", StringComparison.Ordinal));
        pair.Dir.Write("20251002000000_m2.sql", Notes);

        var run = await pair.RunAsync("deploy", "--env", "production", "--yes");

        run.ExitCode.Should().Be(3, run.All);
        run.All.Should().Contain("drift");
        Directory.Exists(Path.Combine(pair.Dir.Root, ".strata", "backups")).Should().BeFalse();
        (await pair.Production.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'trips' AND column_name = 'notes'")).Should().Be(0);
    }
}
