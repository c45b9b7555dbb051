using System.CommandLine;
using Spectre.Console;
using System.Text.Json;
using Strata.Cli.Rendering;
using Strata.Configuration;

namespace Strata.Cli.Commands;

/// <summary><c>strata init</c>: writes strata.toml and the migrations folder.</summary>
public static class InitCommand
{
    public static Command Create(GlobalOptions global, CliContext context)
    {
        var command = new Command("init", "Write strata.toml and create the migrations folder");
        command.SetAction((parse, _) => StrataApp.Guard(context, parse.GetValue(global.Json), async () =>
        {
            var configPath = Path.GetFullPath(parse.GetValue(global.Config) ?? ConfigLoader.FileName, context.WorkingDirectory);
            if (File.Exists(configPath))
                throw new StrataException(new Problem(ProblemKind.BadInput, "config-exists", $"'{configPath}' already exists; nothing was changed.",
                    Hint: "Edit it, or pass --config to write another file."));
            var root = Path.GetDirectoryName(configPath)!;
            var dir = parse.GetValue(global.Dir) ?? StrataConfig.DefaultMigrationsDirectory;
            var migrations = Path.GetFullPath(dir, context.WorkingDirectory);
            Directory.CreateDirectory(migrations);
            var relative = Path.GetRelativePath(root, migrations).Replace('\\', '/');
            await File.WriteAllTextAsync(configPath, Template(relative));
            if (parse.GetValue(global.Json))
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(new FileJson("init", configPath), CliJsonContext.Default.FileJson));
            else
                context.Console.MarkupLine($"Wrote {ProblemRenderer.Safe(configPath)} and created {ProblemRenderer.Safe(migrations)}. Next: strata new NAME");
            return ExitCodes.Done;
        }));
        return command;
    }

    private static string Template(string migrationsDirectory) => $$"""
        # Strata configuration. Every key is optional; see docs/configuration.md.

        [migrations]
        dir = "{{migrationsDirectory}}"
        table = "public.schema_versions"
        lock_timeout = "10s"      # per migration; a lock timeout is retried with backoff
        lock_tries = 3           # attempts when a lock times out, with backoff

        # Targets. Without --url/--env/DATABASE_URL, Strata uses its local dev cluster (.strata/).
        # [environments.staging]
        # url = "env:STAGING_DATABASE_URL"
        #
        # [environments.production]
        # url = "env:PRODUCTION_DATABASE_URL"
        # requires = "staging"
        # soak = "24h"

        """;
}
