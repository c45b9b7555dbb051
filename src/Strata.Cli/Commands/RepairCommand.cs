using System.CommandLine;
using Strata.Cli.Rendering;
using Strata.Running;

namespace Strata.Cli.Commands;

/// <summary><c>strata repair --reason TEXT</c>: accept edited files, files removed on purpose, and interrupted attempts fixed by hand.</summary>
public static class RepairCommand
{
    public static Command Create(GlobalOptions global, CliContext context)
    {
        var reason = new Option<string?>("--reason") { Description = "Why: recorded in each event (required unless the target is the local dev cluster)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be recorded; change nothing" };
        var command = new Command("repair", "Accept intentional edits, removed files and hand-fixed interrupted migrations in the history") { reason, dryRun };
        command.SetAction((parse, cancellationToken) => StrataApp.Guard(context, parse.GetValue(global.Json), async () =>
        {
            var result = await global.Open(parse, context).RepairAsync(new RepairOptions(parse.GetValue(reason), parse.GetValue(dryRun)), cancellationToken);
            return await ChangeRenderer.RenderAsync(context, parse.GetValue(global.Json), "repair", result);
        }));
        return global.Attach(command, Uses.Target | Uses.By, ["strata repair --dry-run", "strata repair --reason \"comment typo fixed after the apply\""]);
    }
}
