using System.Text.RegularExpressions;
using Strata.Configuration;
using Strata.Tests.Support;

namespace Strata.Tests.Configuration;

public class ConfigLoaderTests
{
    [Fact]
    public void The_design_example_is_read_with_paths_relative_to_the_file()
    {
        using var dir = new MigrationDirectory();
        var path = dir.WriteRoot("strata.toml", """
            [migrations]
            dir = "supabase/migrations"
            table = "ops.schema_versions"
            lock_timeout = "5s"
            lock_tries = 4

            [environments.staging]
            url = "env:STAGING_DATABASE_URL"

            [environments.production]
            url = "env:PRODUCTION_DATABASE_URL"
            requires = "staging"
            soak = "24h"
            window = ["Sun 02:00-04:00", "Mon-Thu 02:00-04:00"]
            backup = "pg_dump"
            smoke = "npm run test:smoke -- --env=production"
            confirm = true
            """);

        var config = ConfigLoader.Load(null, dir.Root);

        config.File.Should().Be(path);
        config.MigrationsDirectory.Should().Be(Path.Combine(dir.Root, "supabase", "migrations"));
        config.Table.Qualified.Should().Be("ops.schema_versions");
        config.LockTimeout.Should().Be(Duration.FromSeconds(5));
        config.LockTries.Should().Be(4);
        config.Environments["production"].Window.Windows.Select(w => w.Text).Should().Equal("Sun 02:00-04:00", "Mon-Thu 02:00-04:00");
        config.Environments["production"].Confirm.Should().BeTrue();
    }

    [Fact]
    public void No_file_means_defaults()
    {
        using var dir = new MigrationDirectory();

        var config = ConfigLoader.Load(null, dir.Root);

        config.File.Should().BeNull();
        config.Table.Qualified.Should().Be("public.schema_versions");
        config.MigrationsDirectory.Should().Be(Path.Combine(dir.Root, "migrations"));
    }

    [Theory]
    [InlineData("[migrations]\ndir = \"x\"\ndri = \"y\"\n", "config-unknown-key", 3)]
    [InlineData("[migratons]\ndir = \"x\"\n", "config-unknown-table", 1)]
    [InlineData("[migrations]\ndir = 5\n", "config-wrong-type", 2)]
    [InlineData("[migrations]\nlock_timeout = \"soon\"\n", "config-bad-duration", 2)]
    [InlineData("[migrations]\ndir = \"x\"\nlong_tx = \"500\"\n", "config-bad-duration", 3)]
    [InlineData("[migrations]\nlong_tx = \"\"\n", "config-bad-duration", 2)]
    [InlineData("[migrations]\nlong_tx = \"0\"\n", "config-bad-duration", 2)]
    [InlineData("[migrations]\nlong_tx = \"0s\"\n", "config-bad-duration", 2)]
    [InlineData("[migrations]\nlong_tx = \"-1s\"\n", "config-bad-duration", 2)]
    [InlineData("[migrations]\nlock_tries = 5\nretry_pause = \"0s\"\n", "config-bad-duration", 3)]
    [InlineData("[migrations]\nretry_pause = \"250\"\n", "config-bad-duration", 2)]
    [InlineData("[migrations]\nretry_pause = \"\"\n", "config-bad-duration", 2)]
    [InlineData("[migrations]\nretry_pause = \"-1s\"\n", "config-bad-duration", 2)]
    [InlineData("[migrations]\nretry_pause = 1\n", "config-wrong-type", 2)]
    [InlineData("[migrations]\nretry_paus = \"1s\"\n", "config-unknown-key", 2)]
    [InlineData("[migrations]\ndir = \"unterminated\n", "config-syntax", 2)]
    [InlineData("dir = \"top\"\n", "config-unknown-key", 1)]
    [InlineData("[environments.staging]\nurll = \"env:X\"\n", "config-unknown-key", 2)]
    [InlineData("[scratch]\npreamble = \"supabase\"\npreambel = \"x.sql\"\n", "config-unknown-key", 3)]
    [InlineData("[verify]\nidempotency = \"warn\"\n\nidempotent = \"warn\"\n", "config-unknown-key", 4)]
    [InlineData("[verify]\nidempotency = \"strict\"\n", "config-bad-value", 2)]
    [InlineData("[verify]\nidempotency = \"Warn\"\n", "config-bad-value", 2)]
    [InlineData("[verify]\nidempotency = true\n", "config-wrong-type", 2)]
    [InlineData("[scratch]\npreamble = \"\"\n", "config-empty-value", 2)]
    [InlineData("[scratch]\npreamble = \"  \"\n", "config-empty-value", 2)]
    [InlineData("[scratch]\npreamble = 1\n", "config-wrong-type", 2)]
    [InlineData("[scratch]\npreamble = [\"a.sql\"]\n", "config-wrong-type", 2)]
    [InlineData("[scratchpad]\npreamble = \"supabase\"\n", "config-unknown-table", 1)]
    public void Malformed_configuration_names_the_line(string toml, string code, int line)
    {
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", toml);

        var problem = FluentActions.Invoking(() => ConfigLoader.Load(null, dir.Root)).Should().Throw<StrataException>().Which.Problem;

        problem.Code.Should().Be(code);
        problem.Line.Should().Be(line);
        problem.Kind.Should().Be(ProblemKind.BadInput);
    }

    [Theory]
    [InlineData("", 500)]
    [InlineData("[migrations]\nlong_tx = \"2s\"\n", 2000)]
    [InlineData("[migrations]\nlong_tx = \"off\"\n", 0)]
    public void Long_tx_is_read_with_off_for_no_blocker_check(string toml, int milliseconds)
    {
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", toml);

        ConfigLoader.Load(null, dir.Root).LongTx.Value.Should().Be(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Theory]
    [InlineData("", 1000)]
    [InlineData("[migrations]\nretry_pause = \"250ms\"\n", 250)]
    [InlineData("[migrations]\nretry_pause = \"5s\"\n", 5000)]
    public void Retry_pause_sets_the_first_pause_between_tries(string toml, int milliseconds)
    {
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", toml);

        ConfigLoader.Load(null, dir.Root).RetryPause.Value.Should().Be(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Fact]
    public void A_zero_long_tx_says_how_to_turn_the_check_off()
    {
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", "[migrations]\nlong_tx = \"0\"\n");

        var problem = FluentActions.Invoking(() => ConfigLoader.Load(null, dir.Root)).Should().Throw<StrataException>().Which.Problem;

        problem.Message.Should().Contain("long_tx").And.Contain("'0' does not turn the check off");
        problem.Hint.Should().Contain("\"off\"");
    }

    [Fact]
    public void Scratch_preamble_and_verify_idempotency_are_read()
    {
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", "[migrations]\ndir = \"db\"\n\n[scratch]\npreamble = \"supabase/scratch.sql\"\n\n[verify]\nidempotency = \"warn\"\n");

        var config = ConfigLoader.Load(null, dir.Root);

        config.Scratch.Should().Be(new ScratchConfig("supabase/scratch.sql", 5), "the path is kept as written, with its line for errors");
        config.Verify.Idempotency.Should().Be(IdempotencyRule.Warn);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[migrations]\ndir = \"db\"\n")]
    [InlineData("[scratch]\n\n[verify]\n")]
    public void Without_the_keys_there_is_no_preamble_and_idempotency_fails(string toml)
    {
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", toml);

        var config = ConfigLoader.Load(null, dir.Root);

        config.Scratch.Should().Be(ScratchConfig.None);
        config.Verify.Should().Be(new VerifyConfig(IdempotencyRule.Fail));
        StrataConfig.Defaults(dir.Root).Verify.Idempotency.Should().Be(Defaults.Standard.Idempotency);
    }

    [Fact]
    public void A_bad_idempotency_value_names_the_allowed_ones()
    {
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", "[verify]\nidempotency = \"strict\"\n");

        var problem = FluentActions.Invoking(() => ConfigLoader.Load(null, dir.Root)).Should().Throw<StrataException>().Which.Problem;

        problem.Message.Should().Be("'idempotency' must be \"fail\" or \"warn\" (lower case), not \"strict\".");
        problem.Hint.Should().Contain("the default");
    }

    [Fact]
    public void An_empty_preamble_says_what_to_write()
    {
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", "[scratch]\npreamble = \"\"\n");

        var problem = FluentActions.Invoking(() => ConfigLoader.Load(null, dir.Root)).Should().Throw<StrataException>().Which.Problem;

        problem.Message.Should().Be("preamble is empty: name a .sql file or \"supabase\", or remove the key.");
    }

    [Fact]
    public void An_unknown_key_in_the_new_tables_lists_the_known_ones()
    {
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", "[verify]\nidempotence = \"warn\"\n");

        var problem = FluentActions.Invoking(() => ConfigLoader.Load(null, dir.Root)).Should().Throw<StrataException>().Which.Problem;

        (problem.Code, problem.Line).Should().Be(("config-unknown-key", 2));
        problem.Message.Should().Be("unknown key 'idempotence' in [verify].");
        problem.Hint.Should().Be("Known keys there: idempotency.");
    }

    [Fact]
    public void The_init_template_loads_and_so_do_its_commented_out_examples()
    {
        using var dir = new MigrationDirectory();
        var template = ConfigTemplate.Text("migrations");
        // "# [scratch]" and "# preamble = ..." become live; prose comments stay comments.
        var uncommented = Regex.Replace(template, @"(?m)^# (?=\[|\w+ = )", "");

        ConfigLoader.Parse(template, dir.WriteRoot("strata.toml", template)).Scratch.Should().Be(ScratchConfig.None);
        var config = ConfigLoader.Parse(uncommented, dir.WriteRoot("strata.toml", uncommented));

        uncommented.Should().NotBe(template);
        config.Environments.Keys.Should().BeEquivalentTo("staging", "production");
        config.Scratch.Preamble.Should().Be("supabase");
        config.Verify.Idempotency.Should().Be(IdempotencyRule.Fail);
    }

    [Fact]
    public void Every_toml_example_of_the_configuration_docs_loads()
    {
        var docs = File.ReadAllText(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../docs/configuration.md")));
        var examples = Regex.Matches(docs, @"```toml\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        using var dir = new MigrationDirectory();

        examples.Should().HaveCountGreaterThan(3);
        foreach (var example in examples)
            FluentActions.Invoking(() => ConfigLoader.Parse(example, dir.WriteRoot("strata.toml", example))).Should().NotThrow(example);
    }

    [Fact]
    public void An_explicit_config_that_does_not_exist_is_an_error()
    {
        using var dir = new MigrationDirectory();

        FluentActions.Invoking(() => ConfigLoader.Load("nope.toml", dir.Root)).Should().Throw<StrataException>()
            .Which.Problem.Code.Should().Be("config-missing");
    }

    [Fact]
    public void An_env_url_whose_variable_is_missing_names_the_variable()
    {
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", "[environments.staging]\nurl = \"env:STAGING_DATABASE_URL\"\n");
        var config = ConfigLoader.Load(null, dir.Root);

        var problem = FluentActions.Invoking(() => TargetResolver.FromEnvironment("staging", config, _ => null))
            .Should().Throw<StrataException>().Which.Problem;

        problem.Code.Should().Be("missing-environment-variable");
        problem.Message.Should().Contain("STAGING_DATABASE_URL");
    }

    [Fact]
    public void An_env_url_follows_its_variable()
    {
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", "[environments.staging]\nurl = \"env:STAGING_DATABASE_URL\"\n");
        var config = ConfigLoader.Load(null, dir.Root);

        var target = TargetResolver.FromEnvironment("staging", config, v => v == "STAGING_DATABASE_URL" ? "postgresql://u:pw12345@stage:5432/app" : null);

        target.Display.Should().Be("postgresql://u@stage:5432/app");
        target.Environment.Should().Be("staging");
    }

    [Fact]
    public void Applied_by_prefers_the_option_then_config_then_the_environment()
    {
        var config = StrataConfig.Defaults("/tmp");
        TargetResolver.AppliedBy("ci-bot", config with { AppliedBy = "cfg" }, _ => "env").Should().Be("ci-bot");
        TargetResolver.AppliedBy(null, config with { AppliedBy = "cfg" }, _ => "env").Should().Be("cfg");
        TargetResolver.AppliedBy(null, config, v => v == "STRATA_APPLIED_BY" ? "env-user" : null).Should().Be("env-user");
        TargetResolver.AppliedBy(null, config, _ => null).Should().Contain("@");
    }
}
