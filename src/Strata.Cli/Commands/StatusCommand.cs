using System.CommandLine;
using System.Text.Json;
using Strata.Cli.Rendering;
using Strata.Database;
using Strata.Project;
using Strata.Running;

namespace Strata.Cli.Commands;

/// <summary><c>strata status</c>: every migration against the target, with drift, failures and out-of-order files.</summary>
public static class StatusCommand
{
    public static Command Create(GlobalOptions global, CliContext context)
    {
        var command = new Command("status", "Show applied, pending, failed, drifted and out-of-order migrations; with several --env, side by side");
        command.SetAction((parse, cancellationToken) => StrataApp.Guard(context, parse.GetValue(global.Json), async () =>
        {
            var json = parse.GetValue(global.Json);
            var environments = global.Environments(parse).Distinct(StringComparer.Ordinal).ToList();
            if (environments.Count > 1)
            {
                var project = StrataProject.Open(global.Map(parse, context, comparing: true));
                var comparison = await project.CompareEnvironmentsAsync(environments, cancellationToken);
                if (comparison.IsRefused) return ProblemRenderer.Render(context, json, comparison.Refusals);
                if (json) await context.WriteJsonAsync(ComparisonRenderer.ToJson(comparison), CliJsonContext.Default.ComparisonJson);
                else ComparisonRenderer.Render(context, comparison);
                return ExitCodes.Done;
            }
            var result = await global.Open(parse, context).StatusAsync(cancellationToken);
            if (result.IsRefused) return ProblemRenderer.Render(context, json, result.Refusals);
            var plan = result.Plan!;
            // Unreadable files do not stop status, but they are bad input: exit 2 after the rest is shown.
            var exitCode = result.FileProblems.Count > 0 ? ExitCodes.For(result.FileProblems) : ExitCodes.Done;
            if (json)
            {
                var document = new StatusJson(result.Target, result.HistoryTable.Qualified, plan.HistoryExists,
                    [.. plan.Entries.Select(ToJson)], PlanRenderer.Counts(plan))
                {
                    Problems = result.FileProblems.Count == 0 ? null : [.. result.FileProblems.Select(ProblemRenderer.ToJson)],
                };
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(document, CliJsonContext.Default.StatusJson));
            }
            else
            {
                PlanRenderer.Render(context, result.Target, plan);
                if (result.FileProblems.Count > 0)
                {
                    context.Error.WriteLine($"{result.FileProblems.Count} file problem(s); these files are left out above until they are fixed:");
                    foreach (var problem in result.FileProblems) context.Error.WriteLine($"error: {Redactor.ShapesOnly.Redact(problem.ToString())}");
                }
            }
            return exitCode;
        }));
        return global.Attach(command, Uses.Target, ["strata status", "strata status --env staging", "strata status --env staging --env production   # side by side, with inconsistencies", "strata status --json"]);
    }

    private static MigrationJson ToJson(PlanEntry entry)
    {
        var row = entry.Row;
        var error = entry.State == MigrationState.Failed ? row?.StrataMetadata?.Error : null;
        return new MigrationJson(entry.Version, PlanRenderer.StateKey(entry.State), entry.File?.Description ?? row?.Description,
            row?.AppliedAt, row?.AppliedBy, row?.Checksum, entry.File?.Checksum, row?.ExecutionTimeMs, error?.Message, error?.Line,
            entry.File?.Up.IsTransactional ?? true, row?.RecordedByStrata ?? false, entry.File is not null,
            entry.Interruption is { } i ? new InterruptedJson(i.At, i.By, i.CommittedStatements, entry.TookEffect!, PlanRenderer.Resolve) : null);
    }
}
