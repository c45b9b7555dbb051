using System.CommandLine;
using Strata.Configuration;
using Strata.Database;
using Strata.Migrations;
using Strata.Running;

namespace Strata.Cli;

/// <summary>The options every command takes (DESIGN §4), declared once and inherited by subcommands.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Url { get; } = new("--url") { Description = "Target database: a PostgreSQL URL or Npgsql key=value string", Recursive = true };
    public Option<string?> Env { get; } = new("--env") { Description = "Target an environment from strata.toml", Recursive = true };
    public Option<string?> Dir { get; } = new("--dir") { Description = "Migrations folder (default: [migrations] dir, or ./migrations)", Recursive = true };
    public Option<string?> Config { get; } = new("--config") { Description = "Configuration file (default: ./strata.toml)", Recursive = true };
    public Option<string?> By { get; } = new("--by") { Description = "Who applies: recorded in applied_by", Recursive = true };
    public Option<bool> Json { get; } = new("--json") { Description = "Machine-readable output on stdout", Recursive = true };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Url);
        root.Options.Add(Env);
        root.Options.Add(Dir);
        root.Options.Add(Config);
        root.Options.Add(By);
        root.Options.Add(Json);
    }

    /// <summary>The configuration, with --dir applied.</summary>
    public StrataConfig LoadConfig(ParseResult parse, CliContext context)
    {
        var config = ConfigLoader.Load(parse.GetValue(Config), context.WorkingDirectory);
        return parse.GetValue(Dir) is { } dir ? config with { MigrationsDirectory = Path.GetFullPath(dir, context.WorkingDirectory) } : config;
    }

    /// <summary>The migrations folder, or a problem listing everything wrong with it.</summary>
    public static MigrationSet LoadMigrations(StrataConfig config)
    {
        var set = MigrationFolder.Load(config.MigrationsDirectory);
        if (set.Problems.Count > 0) throw new FolderProblemsException(set.Problems);
        return set;
    }

    public Task<ConnectionTarget> ResolveTargetAsync(ParseResult parse, StrataConfig config, CliContext context, CancellationToken cancellationToken) =>
        TargetResolver.ResolveAsync(parse.GetValue(Url), parse.GetValue(Env), config, context.Environment, cancellationToken);

    /// <summary>Run settings from configuration and the common options.</summary>
    public RunSettings Settings(ParseResult parse, StrataConfig config, ConnectionTarget target, CliContext context) => new(
        config.Table,
        TargetResolver.AppliedBy(parse.GetValue(By), config, context.Environment),
        target.Environment,
        config.LockTimeout,
        config.StatementTimeout,
        config.LockTries,
        config.LockWait,
        ToolVersion: StrataApp.Version,
        GitCommit: GitCommit.Find(config.MigrationsDirectory, context.Environment));
}

/// <summary>Every problem of a migrations folder, rendered together so one pass fixes them all.</summary>
public sealed class FolderProblemsException(IReadOnlyList<Problem> problems) : Exception(problems[0].ToString())
{
    public IReadOnlyList<Problem> Problems { get; } = problems;
}
