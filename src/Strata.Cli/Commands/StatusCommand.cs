using System.CommandLine;
using System.Text.Json;
using Strata.Cli.Rendering;
using Strata.Running;

namespace Strata.Cli.Commands;

/// <summary><c>strata status</c>: every migration against the target, with drift, failures and out-of-order files.</summary>
public static class StatusCommand
{
    public static Command Create(GlobalOptions global, CliContext context)
    {
        var command = new Command("status", "Show applied, pending, failed, drifted and out-of-order migrations");
        command.SetAction((parse, cancellationToken) => StrataApp.Guard(context, parse.GetValue(global.Json), async () =>
        {
            var config = global.LoadConfig(parse, context);
            var set = GlobalOptions.LoadMigrations(config);
            var target = await global.ResolveTargetAsync(parse, config, context, cancellationToken);
            var plan = await Migrator.StatusAsync(target, set, config.Table, cancellationToken);
            if (parse.GetValue(global.Json))
            {
                var json = new StatusJson(target.Display, config.Table.Qualified, plan.HistoryExists,
                    [.. plan.Entries.Select(ToJson)], PlanRenderer.Counts(plan));
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(json, CliJsonContext.Default.StatusJson));
            }
            else
            {
                PlanRenderer.Render(context, target.Display, plan);
            }
            return ExitCodes.Done;
        }));
        return command;
    }

    private static MigrationJson ToJson(PlanEntry entry)
    {
        var (error, line) = entry.State == MigrationState.Failed ? MigrationMetadata.ReadError(entry.Row?.Metadata) : (null, null);
        var row = entry.Row;
        return new MigrationJson(entry.Version, PlanRenderer.StateKey(entry.State), entry.File?.Description ?? row?.Description,
            row?.AppliedAt, row?.AppliedBy, row?.Checksum, entry.File?.Checksum, row?.ExecutionTimeMs, error, line,
            entry.File?.Up.IsTransactional ?? true, row?.RecordedByStrata ?? false);
    }
}
