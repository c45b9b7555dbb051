using Microsoft.Extensions.Logging;
using Strata.Database;
using Strata.LocalServer;

namespace Strata.Configuration;

/// <summary>
/// DESIGN §5's order: --url, else --env, else DATABASE_URL, else the libpq PG* variables (as
/// psql reads them), else the project's local development cluster, which is started (and created
/// on first use) when needed.
/// </summary>
internal static class TargetResolver
{
    /// <summary>
    /// True when something names a target. A value that is present but empty names one too, and
    /// is then an error rather than a fall-through: an unset CI secret (<c>DATABASE_URL=</c>) must
    /// never quietly send a deploy to the local dev cluster.
    /// </summary>
    public static bool NamesTarget(string? url, string? environmentName, Func<string, string?> environment) =>
        url is not null || environmentName is not null || environment("DATABASE_URL") is not null || PgVariablesSet(environment);

    /// <summary>The libpq variables that name a server, as psql reads them.</summary>
    private static readonly string[] PgTargetVariables = ["PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER"];

    private static bool PgVariablesSet(Func<string, string?> environment) => PgTargetVariables.Any(v => !string.IsNullOrEmpty(environment(v)));

    /// <summary>
    /// The target psql would connect to from the PG* variables: PGHOST (or PGHOSTADDR, else the
    /// Debian socket folder when it exists, else localhost), PGPORT, PGDATABASE, PGUSER,
    /// PGPASSWORD, PGSSLMODE. PGSERVICE names an entry of a service file Strata does not read:
    /// refused, never half-read.
    /// </summary>
    private static ConnectionTarget FromPgVariables(Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(environment("PGSERVICE"))) throw new StrataException(ConfigProblems.PgServiceUnsupported());
        static string Quote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
        var host = environment("PGHOST") is { Length: > 0 } h ? h
            : environment("PGHOSTADDR") is { Length: > 0 } a ? a
            : Directory.Exists("/var/run/postgresql") ? "/var/run/postgresql" : "localhost";
        var parts = new List<string> { $"host={Quote(host)}" };
        foreach (var (variable, keyword) in new[] { ("PGPORT", "port"), ("PGDATABASE", "dbname"), ("PGUSER", "user"), ("PGPASSWORD", "password"), ("PGSSLMODE", "sslmode") })
        {
            if (environment(variable) is { Length: > 0 } value) parts.Add($"{keyword}={Quote(value)}");
        }
        return ConnectionTarget.Parse(string.Join(' ', parts), "PG* variables");
    }

    /// <summary>Resolves the target, starting the dev cluster (and saying so) when it is the one chosen.</summary>
    public static async Task<ConnectionTarget> ResolveAsync(string? url, string? environmentName, StrataConfig config,
        Func<string, string?> environment, bool allowDevCluster, ILogger logger, CancellationToken cancellationToken = default)
    {
        if (url is not null) return string.IsNullOrWhiteSpace(url) ? throw new StrataException(ConfigProblems.EmptyUrl("--url")) : ConnectionTarget.Parse(url, "--url");
        if (environmentName is not null) return FromEnvironment(environmentName, config, environment);
        if (environment("DATABASE_URL") is { } databaseUrl)
            return string.IsNullOrWhiteSpace(databaseUrl) ? throw new StrataException(ConfigProblems.EmptyUrl("DATABASE_URL")) : ConnectionTarget.Parse(databaseUrl, "DATABASE_URL");
        if (PgVariablesSet(environment)) return FromPgVariables(environment);
        if (!allowDevCluster) throw new StrataException(ConfigProblems.NoTarget());
        var cluster = new DevCluster(config.ProjectRoot, environment);
        var existed = cluster.Exists;
        var target = await cluster.StartAsync(cancellationToken);
        // The dev cluster is a real side effect (a server, a data folder): never a silent one.
        if (!existed)
            logger.LogWarning("No target was named (--url, --env or DATABASE_URL): created the local dev cluster {Target} under {Folder}.",
                target.Display, cluster.StrataDirectory);
        return target;
    }

    /// <summary>The target of a configured environment, following <c>env:VAR</c>.</summary>
    public static ConnectionTarget FromEnvironment(string name, StrataConfig config, Func<string, string?> environment)
    {
        if (!config.Environments.TryGetValue(name, out var settings))
            throw new StrataException(ConfigProblems.UnknownEnvironment(name, config.File, config.Environments.Keys));
        if (string.IsNullOrWhiteSpace(settings.Url)) throw new StrataException(ConfigProblems.EnvironmentWithoutUrl(settings, config.File));
        var url = settings.Url;
        if (url.StartsWith("env:", StringComparison.Ordinal))
        {
            var variable = url[4..].Trim();
            url = environment(variable);
            if (string.IsNullOrWhiteSpace(url))
                throw new StrataException(ConfigProblems.MissingVariable(variable, $"named by [environments.{name}] url in {config.File ?? "strata.toml"}"));
        }
        return ConnectionTarget.Parse(url, $"environment {name}", name);
    }

    /// <summary>applied_by: --by, else config, else STRATA_APPLIED_BY, else user@host.</summary>
    public static string AppliedBy(string? by, StrataConfig config, Func<string, string?> environment) =>
        !string.IsNullOrWhiteSpace(by) ? by
        : !string.IsNullOrWhiteSpace(config.AppliedBy) ? config.AppliedBy
        : environment("STRATA_APPLIED_BY") is { Length: > 0 } fromEnvironment ? fromEnvironment
        : $"{System.Environment.UserName}@{System.Environment.MachineName}";
}
