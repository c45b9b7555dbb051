using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Strata.Cli.Rendering;
using Strata.Project;

namespace Strata.Cli.Commands;

/// <summary><c>strata init</c>: writes strata.toml and the migrations folder.</summary>
public static class InitCommand
{
    public static Command Create(GlobalOptions global, CliContext context)
    {
        var command = new Command("init", "Write strata.toml and create the migrations folder");
        command.SetAction((parse, cancellationToken) => StrataApp.Guard(context, parse.GetValue(global.Json), async () =>
        {
            var json = parse.GetValue(global.Json);
            var result = await StrataProject.InitAsync(global.Map(parse, context), cancellationToken);
            if (result.IsRefused) return ProblemRenderer.Render(context, json, result.Refusals);
            if (json)
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(new FileJson("init", result.ConfigPath), CliJsonContext.Default.FileJson));
            else
            {
                context.Console.MarkupLine($"Wrote {ProblemRenderer.Safe(result.ConfigPath)} and created {ProblemRenderer.Safe(result.MigrationsDirectory)}.");
                if (result.GitIgnoreUpdated is { } ignore) context.Console.MarkupLine($"Added .strata/ (the local cluster's data, deploy backups) to {ProblemRenderer.Safe(ignore)}.");
                context.Console.MarkupLine("Next: strata new NAME");
            }
            return ExitCodes.Done;
        }));
        return global.Attach(command, Uses.Dir, ["strata init", "strata init --dir supabase/migrations"]);
    }
}
