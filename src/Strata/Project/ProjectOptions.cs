using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Strata.Migrations;

namespace Strata.Project;

/// <summary>
/// How to open a <see cref="StrataProject"/>: what the CLI's common options say, or what an
/// application embedding Strata sets. A class, not a record: a record's generated ToString
/// would print <see cref="Url"/>, password and all.
/// </summary>
public sealed class ProjectOptions
{
    /// <summary>Relative paths are read from here; strata.toml is looked for here. Default: the current folder.</summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>The configuration file; null for ./strata.toml when it exists, else the defaults.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The migrations folder, overriding strata.toml's <c>[migrations] dir</c>.</summary>
    public string? MigrationsDirectory { get; init; }

    /// <summary>Where migrations come from, when not a folder: <see cref="EmbeddedSource"/>, <see cref="MemorySource"/>.</summary>
    public IMigrationSource? Source { get; init; }

    /// <summary>The target database as a PostgreSQL URL or Npgsql key=value string. Never printed.</summary>
    public string? Url { get; init; }

    /// <summary>An environment of strata.toml to target, when <see cref="Url"/> is not set.</summary>
    public string? Environment { get; init; }

    /// <summary>Who applies: recorded in applied_by. Default: config, then STRATA_APPLIED_BY, then user@host.</summary>
    public string? AppliedBy { get; init; }

    /// <summary>Reads environment variables (DATABASE_URL, env:VAR urls, STRATA_*); replaceable for tests and hosts.</summary>
    public Func<string, string?> EnvironmentVariables { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>
    /// Whether variables missing from <see cref="EnvironmentVariables"/> are read from the
    /// project's <c>.env</c> file (next to strata.toml), as the CLI does. Off by default: an
    /// application has its own configuration.
    /// </summary>
    public bool ReadDotEnv { get; init; }

    /// <summary>
    /// Whether the project's local dev cluster may be created and started when nothing names a
    /// target. The CLI allows it; an embedding application must name its database.
    /// </summary>
    public bool AllowDevCluster { get; init; }

    /// <summary>Where the library says what it does on its own account (creating the dev cluster). Default: nowhere.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Password-free: says which kind of target is set, never the URL.</summary>
    public override string ToString() =>
        $"ProjectOptions {{ WorkingDirectory = {WorkingDirectory}, Url = {(Url is null ? "none" : "(set)")}, Environment = {Environment ?? "none"} }}";
}
