using Spectre.Console;
using Strata.Deploying;
using Strata.Running;

namespace Strata.Cli.Rendering;

/// <summary><c>status --env A --env B</c>: one row per migration, one column per environment, then the inconsistencies.</summary>
internal static class ComparisonRenderer
{
    public static void Render(CliContext context, EnvironmentComparison comparison)
    {
        var console = context.Console;
        foreach (var environment in comparison.Environments)
        {
            console.MarkupLine(environment.Problem is { } problem
                ? $"[red]{ProblemRenderer.Safe(environment.Name)}[/]: {ProblemRenderer.Safe(environment.Target)}: could not be read: {ProblemRenderer.Safe(problem.ToString())}"
                : $"{ProblemRenderer.Safe(environment.Name)}: {ProblemRenderer.Safe(environment.Target)}");
        }
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn(new TableColumn("Version").NoWrap());
        foreach (var environment in comparison.Environments) table.AddColumn(ProblemRenderer.Safe(environment.Name));
        foreach (var version in comparison.Versions)
        {
            var cells = new List<string> { ProblemRenderer.Safe(version) };
            foreach (var environment in comparison.Environments)
                cells.Add(environment.Plan is null ? "[grey]?[/]" : Cell(comparison.Entry(environment, version)));
            table.AddRow([.. cells]);
        }
        console.Write(table);
        if (comparison.Inconsistencies.Count == 0)
        {
            console.MarkupLine("[green]Consistent:[/] every migration applied in an environment is applied, with the same checksum, in the one it follows.");
            return;
        }
        console.MarkupLine($"[red]{comparison.Inconsistencies.Count} inconsistenc{(comparison.Inconsistencies.Count == 1 ? "y" : "ies")}:[/]");
        foreach (var inconsistency in comparison.Inconsistencies)
            console.MarkupLine($"  [red]{ProblemRenderer.Safe(inconsistency.Kind)}[/] {ProblemRenderer.Safe(inconsistency.Message)}");
    }

    /// <summary>State, then when and by whom, short enough for two environments in 80 columns.</summary>
    private static string Cell(PlanEntry? entry)
    {
        if (entry is null) return "[grey]-[/]";
        var state = $"[{PlanRenderer.Colour(entry.State)}]{PlanRenderer.StateName(entry.State)}[/]";
        if (entry.State is MigrationState.Pending or MigrationState.OutOfOrder || entry.Row?.AppliedAt is not { } at) return state;
        return $"{state} {at.ToUniversalTime():MM-dd HH:mm}{(entry.Row.AppliedBy is { Length: > 0 } by ? " " + ProblemRenderer.Safe(by) : "")}";
    }

    public static ComparisonJson ToJson(EnvironmentComparison comparison) => new(
        [.. comparison.Environments.Select(e => new ComparedEnvironmentJson(e.Name, ProblemRenderer.Safe(e.Target), e.Plan is not null,
            e.Problem is null ? null : ProblemRenderer.ToJson(e.Problem)))],
        [.. comparison.Versions.Select(v => new ComparedMigrationJson(v,
            comparison.Environments.Where(e => e.Plan is not null).ToDictionary(e => e.Name, e => comparison.Entry(e, v) is { } entry
                ? new ComparedStateJson(PlanRenderer.StateKey(entry.State), entry.Row?.AppliedAt, entry.Row?.AppliedBy, entry.Row?.Checksum, entry.File?.Checksum)
                : new ComparedStateJson("unknown", null, null, null, null))))],
        [.. comparison.Inconsistencies.Select(i => new InconsistencyJson(i.Version, i.Kind, i.Message))]);
}
