using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Strata.Cli.Rendering;
using Strata.Project;

namespace Strata.Cli.Commands;

/// <summary><c>strata dev start|stop|url</c>: the project's local PostgreSQL cluster, the default target.</summary>
public static class DevCommand
{
    public static Command Create(GlobalOptions global, CliContext context)
    {
        var command = new Command("dev", "Manage the local development cluster (kept under .strata/)");
        command.Subcommands.Add(Sub("start", "Create (first time) and start the local cluster", DevClusterAction.Start, global, context));
        command.Subcommands.Add(Sub("stop", "Stop the local cluster", DevClusterAction.Stop, global, context));
        command.Subcommands.Add(Sub("url", "Print the connection URL of the local dev database", DevClusterAction.Url, global, context));
        return command;
    }

    private static Command Sub(string name, string description, DevClusterAction action, GlobalOptions global, CliContext context)
    {
        var command = new Command(name, description);
        command.SetAction((parse, cancellationToken) => StrataApp.Guard(context, parse.GetValue(global.Json), async () =>
        {
            var json = parse.GetValue(global.Json);
            var result = await global.Open(parse, context).DevClusterAsync(action, cancellationToken);
            if (result.IsRefused) return ProblemRenderer.Render(context, json, result.Refusals);
            if (json)
            {
                var document = new DevJson(name, result.Running, result.Url, result.DataDirectory, result.Port);
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(document, CliJsonContext.Default.DevJson));
                return ExitCodes.Done;
            }
            if (action == DevClusterAction.Url)
            {
                await context.Output.WriteLineAsync(result.Url);
                if (!result.Running) await context.Error.WriteLineAsync("note: the cluster is stopped; 'strata dev start' starts it.");
                return ExitCodes.Done;
            }
            var data = ProblemRenderer.Safe(result.DataDirectory);
            context.Console.MarkupLine((action, result.WasRunning, result.Existed, result.Running) switch
            {
                (DevClusterAction.Start, true, _, _) => $"Local cluster already running: {ProblemRenderer.Safe(result.Url)} (data in {data})",
                (DevClusterAction.Start, false, false, true) => $"Created and started the local cluster: {ProblemRenderer.Safe(result.Url)} (data in {data})",
                (DevClusterAction.Start, false, true, true) => $"Started the local cluster: {ProblemRenderer.Safe(result.Url)} (data in {data})",
                (DevClusterAction.Stop, true, _, false) => $"Stopped the local cluster (data kept in {data}; 'strata dev start' starts it again).",
                (DevClusterAction.Stop, false, true, _) => $"Nothing to stop: the local cluster was not running (data in {data}).",
                (DevClusterAction.Stop, false, false, _) => "Nothing to stop: this project has no local cluster ('strata dev start' or 'strata up' creates one).",
                _ => result.Running ? $"Local cluster running: {ProblemRenderer.Safe(result.Url)} (data in {data})" : $"Local cluster stopped (data kept in {data}).",
            });
            return ExitCodes.Done;
        }));
        return global.Attach(command, Uses.None, [$"strata dev {name}"],
            "The project's own cluster, kept under .strata/ next to strata.toml: run as the postgres OS user when Strata runs as root, reached through a unix socket only.");
    }
}
