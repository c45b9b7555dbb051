using System.CommandLine;
using Strata.Cli.Rendering;
using Strata.Running;

namespace Strata.Cli.Commands;

/// <summary><c>strata baseline --to VERSION</c>: record files as applied without running them, for a database that already holds them.</summary>
public static class BaselineCommand
{
    public static Command Create(GlobalOptions global, CliContext context)
    {
        var to = new Option<string>("--to") { Description = "Record every file up to and including this version as applied", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why: recorded in each event" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be recorded; change nothing" };
        var command = new Command("baseline", "Adopt an existing database: record files as applied without running them") { to, reason, dryRun };
        command.SetAction((parse, cancellationToken) => StrataApp.Guard(context, parse.GetValue(global.Json), async () =>
        {
            var options = new RepairOptions(parse.GetValue(reason), parse.GetValue(dryRun), parse.GetValue(to));
            var result = await global.Open(parse, context).BaselineAsync(options, cancellationToken);
            return await ChangeRenderer.RenderAsync(context, parse.GetValue(global.Json), "baseline", result);
        }));
        return global.Attach(command, Uses.Target | Uses.By, ["strata baseline --to 20251002143000 --dry-run", "strata baseline --to 20251002143000 --reason \"adopting the existing production schema\""]);
    }
}
