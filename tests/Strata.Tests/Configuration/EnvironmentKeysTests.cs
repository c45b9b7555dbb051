using Strata.Configuration;
using Strata.Deploying;
using Strata.Tests.Support;

namespace Strata.Tests.Configuration;

/// <summary>The deploy keys of <c>[environments.NAME]</c>: read into their models, or refused with file, line and what to write.</summary>
public class EnvironmentKeysTests
{
    private static StrataConfig Load(string toml)
    {
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", toml);
        return ConfigLoader.Load(null, dir.Root);
    }

    private static Problem Refusal(string toml)
    {
        using var dir = new MigrationDirectory();
        var path = dir.WriteRoot("strata.toml", toml);
        var problem = FluentActions.Invoking(() => ConfigLoader.Load(null, dir.Root)).Should().Throw<StrataException>().Which.Problem;
        problem.File.Should().Be(path);
        problem.Kind.Should().Be(ProblemKind.BadInput, "every configuration error exits 2");
        return problem;
    }

    [Fact]
    public void Every_deploy_key_is_read_into_its_model()
    {
        var config = Load("""
            [environments.production]
            url = "env:PRODUCTION_DATABASE_URL"
            requires = "staging"
            soak = "1.5d"
            window = ["Sun 02:00-04:00", "mon-thu 02:00-04:00"]
            deny = ["Fri 16:00-24:00"]
            backup = "command: ./scripts/snapshot.sh --wait"
            smoke = "npm run test:smoke"
            on_smoke_failure = "rollback"
            confirm = true

            [environments.staging]
            url = "env:STAGING_DATABASE_URL"
            requires = "dev"

            [environments.dev]
            url = "env:DEV_DATABASE_URL"
            backup = "none"
            """);

        var production = config.Environments["production"];
        production.Requires.Should().Be("staging", "an environment further down the file may be named");
        production.Soak.Should().Be(Duration.From(TimeSpan.FromHours(36)));
        production.Window.Windows.Select(w => w.Text).Should().Equal("Sun 02:00-04:00", "mon-thu 02:00-04:00");
        production.Window.Deny.Should().ContainSingle().Which.Days.Should().Equal(DayOfWeek.Friday);
        production.Backup.Should().Be(new BackupPlan(BackupKind.Command, "./scripts/snapshot.sh --wait"));
        production.OnSmokeFailure.Should().Be(SmokeFailureAction.Rollback);
        production.Confirm.Should().BeTrue();
        config.Environments["dev"].Backup.Should().Be(new BackupPlan(BackupKind.None));
    }

    [Fact]
    public void Without_the_keys_a_deploy_has_no_gates()
    {
        var staging = Load("[environments.staging]\nurl = \"env:STAGING_DATABASE_URL\"\n").Environments["staging"];

        staging.Should().BeEquivalentTo(new { Requires = (string?)null, Soak = (Duration?)null, Backup = (BackupPlan?)null, Smoke = (string?)null, Confirm = (bool?)null });
        staging.OnSmokeFailure.Should().Be(SmokeFailureAction.Stop);
        staging.Window.Should().BeSameAs(DeployWindow.Always);
    }

    [Fact]
    public void A_deny_without_a_window_is_read()
    {
        var window = Load("[environments.production]\ndeny = [\"Sat,Sun 00:00-24:00\"]\n").Environments["production"].Window;

        window.Windows.Should().BeEmpty();
        window.Deny.Should().ContainSingle().Which.Text.Should().Be("Sat,Sun 00:00-24:00");
    }

    [Theory]
    // window and deny: each entry is checked, the line is the key's.
    [InlineData("window = [\"Sunday 02:00-04:00\"]", "config-bad-window", "'Sunday' is not a day")]
    [InlineData("window = [\"Sun 02:00-04:00\", \"Mon-Thu 02:00-04:60\"]", "config-bad-window", "'04:60' is not a time of day")]
    [InlineData("window = [\"Sun 25:00-26:00\"]", "config-bad-window", "'25:00' is not a time of day")]
    [InlineData("window = [\"Sun 04:00-02:00\"]", "config-bad-window", "the start must come before the end")]
    [InlineData("window = [\"Sun 02:00-02:00\"]", "config-bad-window", "never open")]
    [InlineData("window = [\"Sun 24:00-24:00\"]", "config-bad-window", "24:00 can only end a window")]
    [InlineData("window = [\"Sun 02:00\"]", "config-bad-window", "has no end")]
    [InlineData("window = [\"Sun 02:00-04:00 UTC\"]", "config-bad-window", "remove \"UTC\"")]
    [InlineData("window = [\"Sun 2:00-4:00\"]", "config-bad-window", "one-digit hour")]
    [InlineData("deny = [\"Xyz 02:00-04:00\"]", "config-bad-window", "'Xyz' is not a day")]
    [InlineData("window = []", "config-empty-value", "never let a deploy start")]
    [InlineData("deny = []", "config-empty-value", "remove the key")]
    [InlineData("window = [2]", "config-wrong-type", "an array of strings")]
    [InlineData("window = \"Sun 02:00-04:00\"", "config-wrong-type", "an array of strings")]
    // soak: the duration of [migrations], with a unit and above zero.
    [InlineData("requires = \"staging\"\nsoak = \"24\"", "config-bad-duration", "has no unit")]
    [InlineData("requires = \"staging\"\nsoak = \"30m\"", "config-bad-duration", "minutes are written min")]
    [InlineData("requires = \"staging\"\nsoak = \"0h\"", "config-bad-duration", "longer than zero")]
    [InlineData("requires = \"staging\"\nsoak = \"-1h\"", "config-bad-duration", "not a duration")]
    [InlineData("soak = \"24h\"", "config-needs-key", "no 'requires'")]
    // backup, on_smoke_failure.
    [InlineData("backup = \"pgdump\"", "config-bad-value", "\"pgdump\" is not a backup")]
    [InlineData("backup = \"PG_DUMP\"", "config-bad-value", "is not a backup")]
    [InlineData("backup = \"command:  \"", "config-bad-value", "names no command")]
    [InlineData("backup = true", "config-wrong-type", "a string")]
    [InlineData("smoke = \"./smoke.sh\"\non_smoke_failure = \"continue\"", "config-bad-value", "\"stop\" or \"rollback\"")]
    [InlineData("smoke = \"./smoke.sh\"\non_smoke_failure = \"Rollback\"", "config-bad-value", "(lower case)")]
    [InlineData("on_smoke_failure = \"rollback\"", "config-needs-key", "no 'smoke'")]
    [InlineData("smoke = \"\"", "config-empty-value", "'smoke' is empty")]
    [InlineData("confirm = \"yes\"", "config-wrong-type", "true or false")]
    public void A_malformed_deploy_key_is_refused_at_its_line(string keys, string code, string message)
    {
        // The keys start on line 5, after a staging table (which requires may name), the header and a url.
        var problem = Refusal($"[environments.staging]\n\n[environments.production]\nurl = \"env:P\"\n{keys}\n");

        problem.Code.Should().Be(code);
        problem.Message.Should().Contain(message);
        problem.Line.Should().Be(5 + keys.Count(c => c == '\n'), "the refused key is the last one written");
    }

    [Theory]
    [InlineData("[environments.production]\nrequires = \"production\"\n", 2, "names the environment itself")]
    [InlineData("[environments.production]\nrequires = \"stagign\"\n\n[environments.staging]\n", 2, "names \"stagign\", which is not an environment of this file")]
    [InlineData("[environments.a]\nrequires = \"b\"\n\n[environments.b]\nrequires = \"a\"\n", 2, "(a requires b requires a)")]
    [InlineData("[environments.a]\n\n[environments.b]\nrequires = \"c\"\n\n[environments.c]\nrequires = \"d\"\n\n[environments.d]\nrequires = \"b\"\n", 4, "(b requires c requires d requires b)")]
    public void Requires_names_another_environment_and_never_makes_a_cycle(string toml, int line, string message)
    {
        var problem = Refusal(toml);

        (problem.Code, problem.Line).Should().Be(("config-bad-requires", line));
        problem.Message.Should().Contain(message);
    }

    [Fact]
    public void An_environment_written_twice_is_refused()
    {
        var problem = Refusal("[environments.staging]\nurl = \"env:A\"\n\n[environments.staging]\nurl = \"env:B\"\n");

        (problem.Code, problem.Line).Should().Be(("config-syntax", 4));
    }

    [Fact]
    public void An_unknown_requires_lists_the_environments_there_are()
    {
        var problem = Refusal("[environments.staging]\nurl = \"env:S\"\n\n[environments.production]\nrequires = \"stage\"\n");

        problem.ToString().Should().EndWith(
            "strata.toml:5: 'requires' in [environments.production] names \"stage\", which is not an environment of this file. " +
            "Environments here: staging. Name one of them, or add [environments.stage] with its url.");
    }

    [Fact]
    public void A_bad_window_shows_the_entry_and_the_expected_form()
    {
        var problem = Refusal("[environments.production]\nwindow = [\"Sunday 02:00-04:00\"]\n");

        problem.ToString().Should().EndWith(
            "strata.toml:2: 'window' entry \"Sunday 02:00-04:00\": 'Sunday' is not a day; write days with three letters: Mon, Tue, Wed, Thu, Fri, Sat, Sun. " +
            "Write each entry as \"DAYS HH:MM-HH:MM\" in UTC on a 24-hour clock: DAYS is one day (Mon, Tue, Wed, Thu, Fri, Sat, Sun), " +
            "a range (Mon-Thu, or Fri-Mon across the weekend) or a list (Sat,Sun); times run from 00:00 to 24:00, e.g. \"Sun 02:00-04:00\" or \"Mon-Thu 22:00-24:00\".");
    }

    [Fact]
    public void A_window_across_midnight_is_told_to_become_two_entries()
    {
        var problem = Refusal("[environments.production]\nwindow = [\"Fri,Sat 22:00-02:00\"]\n");

        problem.Message.Should().Be("'window' entry \"Fri,Sat 22:00-02:00\": it starts at 22:00, after its end 02:00; the start must come before the end. " +
                                    "A window across midnight is written as two entries: \"Fri,Sat 22:00-24:00\", \"Sat,Sun 00:00-02:00\".");
    }

    [Fact]
    public void A_bare_soak_says_to_write_a_unit()
    {
        var problem = Refusal("[environments.staging]\n\n[environments.production]\nrequires = \"staging\"\nsoak = \"24\"\n");

        problem.ToString().Should().EndWith("strata.toml:5: 'soak': '24' has no unit. Use a number and a unit: 500ms, 10s, 2min, 1h or 1d.");
    }

    [Fact]
    public void A_bad_backup_names_the_three_forms()
    {
        var problem = Refusal("[environments.production]\nbackup = \"pgdump\"\n");

        problem.ToString().Should().EndWith(
            "strata.toml:2: 'backup': \"pgdump\" is not a backup. Write \"pg_dump\" (Strata dumps the database first), " +
            "\"command: <shell command>\" (your own backup, e.g. \"command: ./scripts/snapshot.sh\") or \"none\" (no backup).");
    }

    [Fact]
    public async Task A_bad_deploy_key_stops_any_command_with_exit_2()
    {
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", "[environments.production]\nwindow = [\"Sun 02:00-04:00 UTC\"]\n");

        var run = await StrataCli.RunAsync(dir.Root, "lint");

        run.ExitCode.Should().Be(2, run.All);
        run.Stderr.Should().Contain("strata.toml:2: 'window' entry \"Sun 02:00-04:00 UTC\": remove \"UTC\"");
    }
}
