using System.CommandLine;
using Strata.Project;

namespace Strata.Cli;

/// <summary>The options every command takes (DESIGN §4), declared once and mapped to <see cref="ProjectOptions"/>.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Url { get; } = new("--url") { Description = "Target database: a PostgreSQL URL or Npgsql key=value string", Recursive = true };
    public Option<string[]> Env { get; } = new("--env")
    {
        Description = "Target an environment from strata.toml",
        Recursive = true,
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
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

    /// <summary>The project options the command line gives. The CLI may start the local dev cluster.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="context">The process.</param>
    /// <param name="comparing">Several --env are being compared (status): the project itself targets none.</param>
    public ProjectOptions Map(ParseResult parse, CliContext context, bool comparing = false) => new()
    {
        WorkingDirectory = context.WorkingDirectory,
        ConfigPath = parse.GetValue(Config),
        MigrationsDirectory = parse.GetValue(Dir),
        Url = parse.GetValue(Url),
        Environment = comparing ? null : Environment(parse),
        AppliedBy = parse.GetValue(By),
        EnvironmentVariables = context.Environment,
        AllowDevCluster = true,
        Logger = new Rendering.StderrLogger(context.Error),
    };

    /// <summary>The environments named with --env, in order; several only make sense for status.</summary>
    public IReadOnlyList<string> Environments(ParseResult parse) => parse.GetValue(Env) ?? [];

    private string? Environment(ParseResult parse)
    {
        var environments = Environments(parse);
        if (environments.Count > 1 && environments.Distinct(StringComparer.Ordinal).Count() > 1)
            throw new StrataException(new Problem(ProblemKind.BadInput, "one-env",
                $"--env was given {environments.Count} times ({string.Join(", ", environments)}), and this command works on one environment.",
                Hint: "Name one --env; 'strata status --env staging --env production' is the command that compares environments."));
        return environments.Count == 0 ? null : environments[0];
    }

    /// <summary>Opens the project the command line describes.</summary>
    public StrataProject Open(ParseResult parse, CliContext context) => StrataProject.Open(Map(parse, context));
}
