using System.CommandLine;
using Spectre.Console;
using System.Text.Json;
using Strata.Cli.Rendering;
using Strata.LocalServer;

namespace Strata.Cli.Commands;

/// <summary><c>strata dev start|stop|url</c>: the project's local PostgreSQL cluster, the default target.</summary>
public static class DevCommand
{
    public static Command Create(GlobalOptions global, CliContext context)
    {
        var command = new Command("dev", "Manage the local development cluster (kept under .strata/)");
        command.Subcommands.Add(Sub("start", "Create (first time) and start the local cluster", global, context, async (cluster, ct) =>
        {
            await cluster.StartAsync(ct);
            return ("start", await cluster.StateAsync(ct));
        }));
        command.Subcommands.Add(Sub("stop", "Stop the local cluster", global, context, async (cluster, ct) =>
        {
            await cluster.StopAsync(ct);
            return ("stop", await cluster.StateAsync(ct));
        }));
        command.Subcommands.Add(Sub("url", "Print the connection URL of the local dev database", global, context, async (cluster, ct) =>
            ("url", await cluster.StateAsync(ct))));
        return command;
    }

    private static Command Sub(string name, string description, GlobalOptions global, CliContext context,
        Func<DevCluster, CancellationToken, Task<(string, DevClusterState)>> run)
    {
        var command = new Command(name, description);
        command.SetAction((parse, cancellationToken) => StrataApp.Guard(context, parse.GetValue(global.Json), async () =>
        {
            var config = global.LoadConfig(parse, context);
            var (action, state) = await run(new DevCluster(config.ProjectRoot, context.Environment), cancellationToken);
            var url = state.Port is { } port ? $"postgresql://{LocalCluster.Superuser}@127.0.0.1:{port}/{DevCluster.Database}" : null;
            if (action == "url" && url is null)
                throw new StrataException(new Problem(ProblemKind.BadInput, "dev-not-created", "the local dev cluster has not been created yet.",
                    Hint: "Run 'strata dev start' (or any command without --url, which starts it)."));
            if (parse.GetValue(global.Json))
            {
                var json = new DevJson(action, state.Running, url, state.DataDirectory, state.Port);
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(json, CliJsonContext.Default.DevJson));
                return ExitCodes.Done;
            }
            if (action == "url")
            {
                await context.Output.WriteLineAsync(url);
                if (!state.Running) await context.Error.WriteLineAsync("note: the cluster is stopped; 'strata dev start' starts it.");
                return ExitCodes.Done;
            }
            context.Console.MarkupLine(state.Running
                ? $"Local cluster running: {ProblemRenderer.Safe(url)} (data in {ProblemRenderer.Safe(state.DataDirectory)})"
                : $"Local cluster stopped (data kept in {ProblemRenderer.Safe(state.DataDirectory)}).");
            return ExitCodes.Done;
        }));
        return command;
    }
}
