using System.CommandLine;
using Strata.Project;

namespace Strata.Cli;

/// <summary>The options every command takes (DESIGN §4), declared once and mapped to <see cref="ProjectOptions"/>.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Url { get; } = new("--url") { Description = "Target database: a PostgreSQL URL, or libpq/Npgsql key=value pairs" };
    public Option<string[]> Env { get; } = new("--env")
    {
        Description = "Target an environment from strata.toml",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
    public Option<string?> Dir { get; } = new("--dir") { Description = "Migrations folder (default: [migrations] dir, or ./migrations)" };
    public Option<string?> Config { get; } = new("--config") { Description = "Configuration file (default: ./strata.toml)" };
    public Option<string?> By { get; } = new("--by") { Description = "Who applies: recorded in applied_by" };
    public Option<bool> Json { get; } = new("--json") { Description = "Machine-readable output on stdout" };

    /// <summary>
    /// Adds the common options <paramref name="command"/> uses, and its help extras. Each
    /// command lists only what it reads: 'new --env nope' is an unknown option, not a silent no-op.
    /// Every command reads strata.toml (--config) and can answer in JSON.
    /// </summary>
    /// <param name="command">The command.</param>
    /// <param name="uses">The options beyond --config and --json.</param>
    /// <param name="examples">Command lines its help shows.</param>
    /// <param name="target">How it chooses its database; default: the usual order when it takes --url or --env.</param>
    public Command Attach(Command command, Uses uses, IReadOnlyList<string> examples, string? target = null)
    {
        if (uses.HasFlag(Uses.Url)) command.Options.Add(Url);
        if (uses.HasFlag(Uses.Env)) command.Options.Add(Env);
        if (uses.HasFlag(Uses.Dir)) command.Options.Add(Dir);
        command.Options.Add(Config);
        if (uses.HasFlag(Uses.By)) command.Options.Add(By);
        command.Options.Add(Json);
        Rendering.CommandHelp.Register(command, examples, target ?? (uses.HasFlag(Uses.Url) && uses.HasFlag(Uses.Env) ? Rendering.CommandHelp.TargetOrder : null));
        return command;
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
        ReadDotEnv = true,
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

/// <summary>The common options a command takes besides --config and --json.</summary>
[Flags]
public enum Uses
{
    /// <summary>Only --config and --json.</summary>
    None = 0,
    /// <summary>--url.</summary>
    Url = 1,
    /// <summary>--env.</summary>
    Env = 2,
    /// <summary>--dir.</summary>
    Dir = 4,
    /// <summary>--by.</summary>
    By = 8,
    /// <summary>--url and --env, and the migrations folder: a command that reads a database.</summary>
    Target = Url | Env | Dir,
}
