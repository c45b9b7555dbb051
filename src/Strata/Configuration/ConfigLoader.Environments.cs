using Strata.Deploying;
using Tomlyn.Syntax;

namespace Strata.Configuration;

// The [environments.NAME] tables: a target's url, and the gates of a guarded deploy, each read
// into its model here so a deploy never meets a malformed value.
internal static partial class ConfigLoader
{
    private static readonly string[] EnvironmentKeys = ["url", "requires", "soak", "window", "deny", "backup", "smoke", "confirm", "on_smoke_failure"];
    private static readonly string[] SmokeFailureValues = ["stop", "rollback"];

    // requires can name a table further down the file, so it is checked once all are read
    // (CheckPromotionOrder) and comes back with its line.
    private static (EnvironmentConfig Environment, int RequiresLine) Environment(string name, TableSyntaxBase table, string path)
    {
        var environment = new EnvironmentConfig(name, null, Line(table));
        List<WindowEntry>? windows = null, deny = null;
        int requiresLine = 0, soakLine = 0, smokeFailureLine = 0;
        foreach (var item in table.Items)
        {
            var key = KeyText(item.Key!);
            switch (key)
            {
                case "url": environment = environment with { Url = String(item, path) }; break;
                case "requires": environment = environment with { Requires = String(item, path) }; requiresLine = Line(item); break;
                case "soak": environment = environment with { Soak = Soak(item, path) }; soakLine = Line(item); break;
                case "window": windows = WindowEntries(item, path); break;
                case "deny": deny = WindowEntries(item, path); break;
                case "backup": environment = environment with { Backup = Backup(item, path) }; break;
                case "smoke": environment = environment with { Smoke = Smoke(item, path) }; break;
                case "on_smoke_failure": environment = environment with { OnSmokeFailure = SmokeFailure(item, path) }; smokeFailureLine = Line(item); break;
                case "confirm": environment = environment with { Confirm = Boolean(item, path) }; break;
                default: throw new StrataException(ConfigProblems.UnknownKey(path, Line(item), "environments." + name, key, string.Join(", ", EnvironmentKeys)));
            }
        }
        // A key whose partner is missing would do nothing; saying so beats a gate that silently never applies.
        if (soakLine > 0 && environment.Requires is null)
            throw new StrataException(ConfigProblems.NeedsKey(path, soakLine, name, "soak", "requires",
                "soak is how long a migration must have been applied in the environment named by requires"));
        if (smokeFailureLine > 0 && environment.Smoke is null)
            throw new StrataException(ConfigProblems.NeedsKey(path, smokeFailureLine, name, "on_smoke_failure", "smoke",
                "on_smoke_failure says what a deploy does when its smoke command fails"));
        if (windows is not null || deny is not null) environment = environment with { Window = new DeployWindow(windows ?? [], deny ?? []) };
        return (environment, requiresLine);
    }

    // Each requires names another environment of the file, and following them always ends: in a
    // cycle every member waits for another, so none could ever be deployed to.
    private static void CheckPromotionOrder(List<(EnvironmentConfig Environment, int RequiresLine)> environments, string path)
    {
        var required = environments.ToDictionary(e => e.Environment.Name, e => e.Environment.Requires, StringComparer.Ordinal);
        foreach (var (environment, line) in environments)
        {
            if (environment.Requires is not { } name) continue;
            if (name == environment.Name) throw new StrataException(ConfigProblems.RequiresItself(path, line, name));
            if (!required.ContainsKey(name))
                throw new StrataException(ConfigProblems.RequiresUnknown(path, line, environment.Name, name, required.Keys.Where(k => k != environment.Name)));
        }
        foreach (var (environment, line) in environments)
        {
            var chain = new List<string> { environment.Name };
            for (var next = environment.Requires; next is not null; next = required[next])
            {
                chain.Add(next);
                if (next == environment.Name) throw new StrataException(ConfigProblems.RequiresCycle(path, line, chain));
                // A cycle that does not pass through this environment is reported at one of its own members.
                if (chain.IndexOf(next) < chain.Count - 1) break;
            }
        }
    }

    private static Duration Soak(KeyValueSyntax item, string path)
    {
        var soak = ReadDuration(item, path);
        return soak.Value > TimeSpan.Zero ? soak : throw new StrataException(ConfigProblems.ZeroSoak(path, Line(item), soak));
    }

    private static List<WindowEntry> WindowEntries(KeyValueSyntax item, string path)
    {
        var key = KeyText(item.Key!);
        var texts = StringArray(item, path);
        if (texts.Count == 0) throw new StrataException(ConfigProblems.EmptyWindowList(path, Line(item), key));
        var entries = new List<WindowEntry>();
        foreach (var text in texts)
            entries.Add(WindowEntry.TryParse(text, out var entry, out var error) ? entry : throw new StrataException(ConfigProblems.BadWindow(path, Line(item), key, text, error)));
        return entries;
    }

    private static BackupPlan Backup(KeyValueSyntax item, string path) =>
        BackupPlan.TryParse(String(item, path), out var plan, out var error) ? plan : throw new StrataException(ConfigProblems.BadBackup(path, Line(item), error));

    private static string Smoke(KeyValueSyntax item, string path)
    {
        var smoke = String(item, path);
        return smoke.Trim().Length > 0 ? smoke : throw new StrataException(ConfigProblems.EmptySmoke(path, Line(item)));
    }

    private static SmokeFailureAction SmokeFailure(KeyValueSyntax item, string path) => String(item, path) switch
    {
        "stop" => SmokeFailureAction.Stop,
        "rollback" => SmokeFailureAction.Rollback,
        var other => throw new StrataException(ConfigProblems.BadChoice(path, Line(item), KeyText(item.Key!), other, SmokeFailureValues,
            "\"stop\" (the default) fails the deploy and leaves the applied migrations for a person to judge; \"rollback\" rolls back what the deploy applied, then fails.")),
    };
}
