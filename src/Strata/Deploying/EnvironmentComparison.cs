using Strata.Migrations;
using Strata.History;
using Strata.Running;

namespace Strata.Deploying;

/// <summary>One environment of a comparison: its plan, or why it could not be read.</summary>
/// <param name="Name">The environment's name in strata.toml.</param>
/// <param name="Target">Its database, password-free.</param>
/// <param name="Plan">Every migration against it; null when it could not be reached.</param>
/// <param name="Problem">Why it could not be read (unreachable, login refused, bad history table); null when it was.</param>
public sealed record EnvironmentStatus(string Name, string Target, MigrationPlan? Plan, Problem? Problem);

/// <summary>Something that should be the same across the environments and is not.</summary>
/// <param name="Version">The migration.</param>
/// <param name="Kind">
/// <c>skipped-promotion</c> (applied in an environment but not in the one it requires, or in a
/// later environment of the list but not an earlier one), <c>checksum</c> (applied with
/// different checksums), <c>failed</c> (its last attempt failed somewhere), <c>drift</c> (the
/// file differs from what an environment applied, or is gone), <c>interrupted</c>.
/// </param>
/// <param name="Message">One line naming the environments and what differs.</param>
public sealed record Inconsistency(string Version, string Kind, string Message);

/// <summary>The outcome of <c>status --env A --env B ...</c>: every migration side by side, and what does not agree.</summary>
/// <param name="Environments">The environments in the order given.</param>
/// <param name="Versions">Every migration any of them or the folder knows, in order.</param>
/// <param name="Inconsistencies">What does not agree, by version.</param>
public sealed record EnvironmentComparison(IReadOnlyList<EnvironmentStatus> Environments, IReadOnlyList<string> Versions,
    IReadOnlyList<Inconsistency> Inconsistencies) : OperationResult
{
    /// <summary>The plan entry of <paramref name="version"/> in <paramref name="environment"/>, or null.</summary>
    public PlanEntry? Entry(EnvironmentStatus environment, string version) => environment.Plan?.Entries.FirstOrDefault(e => e.Version == version);

    /// <summary>
    /// Compares the environments' plans. <paramref name="requires"/> gives each environment the
    /// one it must be promoted from (strata.toml's <c>requires</c>); without one, an environment
    /// later in the list is taken to follow the one before it.
    /// </summary>
    internal static EnvironmentComparison Build(IReadOnlyList<EnvironmentStatus> environments, Func<string, string?> requires)
    {
        var versions = environments.Where(e => e.Plan is not null).SelectMany(e => e.Plan!.Entries.Select(x => x.Version))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var found = new List<Inconsistency>();
        foreach (var version in versions)
        {
            var entries = environments.Where(e => e.Plan is not null)
                .Select(e => (Environment: e, Entry: e.Plan!.Entries.FirstOrDefault(x => x.Version == version))).ToList();
            bool IsApplied(PlanEntry? entry) => entry?.Row?.Status == HistoryStatus.Applied;

            for (var i = 0; i < entries.Count; i++)
            {
                var (environment, entry) = entries[i];
                if (!IsApplied(entry)) continue;
                var before = requires(environment.Name) is { } required
                    ? entries.FirstOrDefault(e => e.Environment.Name == required)
                    : i > 0 ? entries[i - 1] : default;
                if (before.Environment is not null && !IsApplied(before.Entry))
                    found.Add(new Inconsistency(version, "skipped-promotion",
                        $"{version} is applied in {environment.Name} but not in {before.Environment.Name} ({StateName(before.Entry)} there), which {environment.Name} follows"));
            }

            var checksums = entries.Where(e => IsApplied(e.Entry) && e.Entry!.Row!.Checksum is not null)
                .GroupBy(e => e.Entry!.Row!.Checksum!, StringComparer.Ordinal).ToList();
            if (checksums.Count > 1)
                found.Add(new Inconsistency(version, "checksum",
                    $"{version} was applied with different checksums: " + string.Join("; ", checksums.Select(g => $"{string.Join(", ", g.Select(e => e.Environment.Name))}: {MigrationText.ShortChecksum(g.Key)}"))));

            foreach (var (environment, entry) in entries)
            {
                switch (entry?.State)
                {
                    case MigrationState.Failed:
                        found.Add(new Inconsistency(version, "failed", $"{version} failed in {environment.Name}: {entry.Row?.StrataMetadata?.Error?.Message ?? "see strata status --env " + environment.Name}"));
                        break;
                    case MigrationState.Changed:
                        found.Add(new Inconsistency(version, "drift", $"{version} changed since {environment.Name} applied it (the file's checksum differs from its row)"));
                        break;
                    case MigrationState.Missing:
                        found.Add(new Inconsistency(version, "drift", $"{version} is applied in {environment.Name} but its file is gone"));
                        break;
                    case MigrationState.Interrupted:
                        found.Add(new Inconsistency(version, "interrupted", $"{version} was interrupted in {environment.Name}: some statements may have taken effect"));
                        break;
                }
            }
        }
        return new EnvironmentComparison(environments, versions, found);
    }

    private static string StateName(PlanEntry? entry) => entry is null ? "unknown" : entry.State switch
    {
        MigrationState.OutOfOrder => "pending, out of order",
        MigrationState.RolledBack => "rolled back",
        var state => state.ToString().ToLowerInvariant(),
    };

}
