using Strata.Database;
using Strata.LocalServer;

namespace Strata.Configuration;

/// <summary>
/// DESIGN §5's order: --url, else --env, else DATABASE_URL, else the project's local
/// development cluster, which is started (and created on first use) when needed.
/// </summary>
internal static class TargetResolver
{
    /// <summary>Resolves the target, starting the dev cluster when it is the one chosen.</summary>
    public static async Task<ConnectionTarget> ResolveAsync(string? url, string? environmentName, StrataConfig config,
        Func<string, string?> environment, bool allowDevCluster, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrWhiteSpace(url)) return ConnectionTarget.Parse(url, "--url");
        if (environmentName is not null) return FromEnvironment(environmentName, config, environment);
        if (environment("DATABASE_URL") is { Length: > 0 } databaseUrl) return ConnectionTarget.Parse(databaseUrl, "DATABASE_URL");
        if (!allowDevCluster) throw new StrataException(ConfigProblems.NoTarget());
        return await new DevCluster(config.ProjectRoot, environment).StartAsync(cancellationToken);
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
