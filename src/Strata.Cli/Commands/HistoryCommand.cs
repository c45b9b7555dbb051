using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Strata.Cli.Rendering;
using Strata.Configuration;
using Strata.History;

namespace Strata.Cli.Commands;

/// <summary><c>strata history</c>: the audit trail from schema_version_events, newest first.</summary>
public static class HistoryCommand
{
    public static Command Create(GlobalOptions global, CliContext context)
    {
        var since = new Option<string?>("--since") { Description = "Only events newer than this (e.g. 30d, 12h, 2025-10-01)" };
        var version = new Option<string?>("--version") { Description = "Only events of this migration (file name or timestamp)" };
        var limit = new Option<int>("--limit") { Description = "At most this many events", DefaultValueFactory = _ => 100 };
        var command = new Command("history", "Show the audit trail of applies and failures") { since, version, limit };
        command.SetAction((parse, cancellationToken) => StrataApp.Guard(context, parse.GetValue(global.Json), async () =>
        {
            var config = global.LoadConfig(parse, context);
            var from = Since(parse.GetValue(since), DateTime.UtcNow);
            var target = await global.ResolveTargetAsync(parse, config, context, cancellationToken);
            var events = await HistoryStore.ReadTrailAsync(target, config.Table, from, parse.GetValue(version),
                Math.Max(1, parse.GetValue(limit)), cancellationToken);
            if (parse.GetValue(global.Json))
            {
                var json = new HistoryJson(target.Display, [.. events.Select(e => new EventJson(e.Id, e.Version, e.Action, e.At, e.By, e.Environment, e.DurationMs, e.Error))]);
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(json, CliJsonContext.Default.HistoryJson));
                return ExitCodes.Done;
            }
            context.Console.MarkupLine($"Target: [bold]{ProblemRenderer.Safe(target.Display)}[/]");
            if (events.Count == 0)
            {
                context.Console.MarkupLine("No events recorded" + (from is null ? "." : " in that period."));
                return ExitCodes.Done;
            }
            var table = new Table().Border(TableBorder.Simple);
            table.AddColumns("At (UTC)", "Action", "Version", "By", "Env", "ms", "Error");
            foreach (var e in events)
                table.AddRow(e.At.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss"), e.Action == "fail" ? "[red]fail[/]" : ProblemRenderer.Safe(e.Action),
                    ProblemRenderer.Safe(e.Version), ProblemRenderer.Safe(e.By), ProblemRenderer.Safe(e.Environment), e.DurationMs?.ToString() ?? "",
                    ProblemRenderer.Safe(e.Error));
            context.Console.Write(table);
            return ExitCodes.Done;
        }));
        return command;
    }

    /// <summary>"30d", "12h", "90min" ago, or an ISO date.</summary>
    public static DateTime? Since(string? text, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var date))
            return date;
        try { return now - TimeSpan.FromSeconds(ConfigLoader.ToSeconds(text)); }
        catch (FormatException)
        {
            throw new StrataException(new Problem(ProblemKind.BadInput, "bad-since", $"--since '{text}' is neither a duration nor a date.",
                Hint: "Use e.g. 30d, 12h, 90min or 2025-10-01."));
        }
    }
}
