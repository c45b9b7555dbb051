using System.CommandLine;
using Spectre.Console;
using System.Text.Json;
using Strata.Cli.Rendering;
using Strata.Migrations;

namespace Strata.Cli.Commands;

/// <summary><c>strata new NAME</c>: a timestamped migration file with up and down sections.</summary>
public static class NewCommand
{
    public static Command Create(GlobalOptions global, CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "What the migration does, e.g. add_tool_calls_to_pam_conversations" };
        var command = new Command("new", "Create a timestamped migration file") { name };
        command.SetAction((parse, _) => StrataApp.Guard(context, parse.GetValue(global.Json), async () =>
        {
            var config = global.LoadConfig(parse, context);
            var slug = MigrationName.Slugify(parse.GetValue(name) ?? "");
            if (slug.Length == 0)
                throw new StrataException(new Problem(ProblemKind.BadInput, "bad-migration-name", "the name has no letters or digits.",
                    Hint: "Describe the change, e.g. strata new add_email_to_users."));
            Directory.CreateDirectory(config.MigrationsDirectory);
            var now = DateTime.UtcNow;
            var fileName = MigrationName.ForNew(now, slug);
            // Two files in the same second would share a timestamp: take the next free second.
            while (Directory.GetFiles(config.MigrationsDirectory, MigrationName.Stamp(fileName) + "_*.sql").Length > 0)
            {
                now = now.AddSeconds(1);
                fileName = MigrationName.ForNew(now, slug);
            }
            var path = Path.Combine(config.MigrationsDirectory, fileName);
            await File.WriteAllTextAsync(path, Template(MigrationName.Humanise(slug)));
            if (parse.GetValue(global.Json))
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(new FileJson("new", path), CliJsonContext.Default.FileJson));
            else
                context.Console.MarkupLine($"Created {ProblemRenderer.Safe(path)}");
            return ExitCodes.Done;
        }));
        return command;
    }

    private static string Template(string description) => $"""
        -- {description}
        -- (why: link the issue or PR; affected tables; breaking changes)

        -- migrate:up


        -- migrate:down


        """;
}
