using Strata.History;

namespace Strata.Configuration;

/// <summary>One <c>[environments.NAME]</c> table of strata.toml.</summary>
/// <param name="Url">As written: a URL, key=value string, or <c>env:VAR</c>.</param>
/// <param name="Line">The line of the table header, for errors.</param>
public sealed record EnvironmentConfig(
    string Name,
    string? Url,
    int Line,
    string? Requires = null,
    string? Soak = null,
    IReadOnlyList<string>? Window = null,
    string? Backup = null,
    string? Smoke = null,
    bool Confirm = false);

/// <summary>The project's configuration, strata.toml with defaults filled in.</summary>
/// <param name="File">The file read, or null when there is none (all defaults).</param>
/// <param name="ProjectRoot">The folder of strata.toml (or the working folder): relative paths and .strata/ live here.</param>
/// <param name="MigrationsDirectory">Absolute path of the migrations folder.</param>
public sealed record StrataConfig(
    string? File,
    string ProjectRoot,
    string MigrationsDirectory,
    HistoryTable Table,
    string? AppliedBy,
    string LockTimeout,
    string? StatementTimeout,
    int LockTries,
    TimeSpan LockWait,
    IReadOnlyDictionary<string, EnvironmentConfig> Environments)
{
    /// <summary>The default migrations folder, relative to the project root.</summary>
    public const string DefaultMigrationsDirectory = "migrations";

    /// <summary>Defaults for a project without strata.toml.</summary>
    public static StrataConfig Defaults(string projectRoot) => new(null, projectRoot,
        Path.Combine(projectRoot, DefaultMigrationsDirectory), HistoryTable.Default, null, "10s", null, 3,
        TimeSpan.FromMinutes(5), new Dictionary<string, EnvironmentConfig>());
}
