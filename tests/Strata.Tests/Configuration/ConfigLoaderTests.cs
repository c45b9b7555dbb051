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
        config.Environments["production"].Window.Should().Equal("Sun 02:00-04:00", "Mon-Thu 02:00-04:00");
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
    [InlineData("[migrations]\ndir = \"unterminated\n", "config-syntax", 2)]
    [InlineData("dir = \"top\"\n", "config-unknown-key", 1)]
    [InlineData("[environments.staging]\nurll = \"env:X\"\n", "config-unknown-key", 2)]
    public void Malformed_configuration_names_the_line(string toml, string code, int line)
    {
        using var dir = new MigrationDirectory();
        dir.WriteRoot("strata.toml", toml);

        var problem = FluentActions.Invoking(() => ConfigLoader.Load(null, dir.Root)).Should().Throw<StrataException>().Which.Problem;

        problem.Code.Should().Be(code);
        problem.Line.Should().Be(line);
        problem.Kind.Should().Be(ProblemKind.BadInput);
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
