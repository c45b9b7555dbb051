using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Strata.Cli.Rendering;

namespace Strata.Cli.Commands;

/// <summary><c>strata new NAME</c>: a timestamped migration file with up and down sections.</summary>
public static class NewCommand
{
    public static Command Create(GlobalOptions global, CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "What the migration does, e.g. add_tool_calls_to_pam_conversations" };
        var command = new Command("new", "Create a timestamped migration file") { name };
        command.SetAction((parse, cancellationToken) => StrataApp.Guard(context, parse.GetValue(global.Json), async () =>
        {
            var json = parse.GetValue(global.Json);
            var result = await global.Open(parse, context).NewMigrationAsync(parse.GetValue(name) ?? "", cancellationToken);
            if (result.IsRefused) return ProblemRenderer.Render(context, json, result.Refusals);
            if (json)
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(new FileJson("new", result.Path), CliJsonContext.Default.FileJson));
            else
                context.Console.MarkupLine($"Created {ProblemRenderer.Safe(result.Path)}");
            return ExitCodes.Done;
        }));
        return global.Attach(command, Uses.Dir, ["strata new add_tool_calls_to_pam_conversations", "strata new \"Add email to users\"   # file name: <UTC now>_add_email_to_users.sql"]);
    }
}
