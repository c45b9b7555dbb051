using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Strata.Cli.Rendering;
using Strata.Project;

namespace Strata.Cli.Commands;

/// <summary><c>strata history</c>: the audit trail from schema_version_events, newest first.</summary>
public static class HistoryCommand
{
    public static Command Create(GlobalOptions global, CliContext context)
    {
        var since = new Option<string?>("--since") { Description = "Only events newer than this (e.g. 30d, 12h, 2025-10-01)" };
        var version = new Option<string?>("--version") { Description = "Only events of this migration (file name or timestamp)" };
        var limit = new Option<int>("--limit") { Description = "At most this many events", DefaultValueFactory = _ => new HistoryQuery().Limit };
        var command = new Command("history", "Show the audit trail of applies and failures") { since, version, limit };
        command.SetAction((parse, cancellationToken) => StrataApp.Guard(context, parse.GetValue(global.Json), async () =>
        {
            var json = parse.GetValue(global.Json);
            var query = new HistoryQuery(parse.GetValue(since), parse.GetValue(version), parse.GetValue(limit));
            var result = await global.Open(parse, context).HistoryAsync(query, cancellationToken);
            if (result.IsRefused) return ProblemRenderer.Render(context, json, result.Refusals);
            if (json)
            {
                var document = new HistoryJson(result.Target,
                    [.. result.Events.Select(e => new EventJson(e.Id, e.Version, e.Action, e.At, e.By, e.Environment, e.DurationMs, e.Error))]);
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(document, CliJsonContext.Default.HistoryJson));
                return ExitCodes.Done;
            }
            context.Console.MarkupLine($"Target: [bold]{ProblemRenderer.Safe(result.Target)}[/]");
            if (result.Events.Count == 0)
            {
                context.Console.MarkupLine("No events recorded" + (result.Filtered ? " in that period." : "."));
                return ExitCodes.Done;
            }
            var table = new Table().Border(TableBorder.Simple);
            table.AddColumns("At (UTC)", "Action", "Version", "By", "Env", "ms", "Error");
            foreach (var e in result.Events)
                table.AddRow(e.At.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss"), e.Action == "fail" ? "[red]fail[/]" : ProblemRenderer.Safe(e.Action),
                    ProblemRenderer.Safe(e.Version), ProblemRenderer.Safe(e.By), ProblemRenderer.Safe(e.Environment), e.DurationMs?.ToString() ?? "",
                    ProblemRenderer.Safe(e.Error));
            context.Console.Write(table);
            return ExitCodes.Done;
        }));
        return global.Attach(command, Uses.Target, ["strata history --since 30d", "strata history --version 20251002143000 --json"]);
    }
}
