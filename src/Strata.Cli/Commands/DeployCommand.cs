using System.CommandLine;
using Spectre.Console;
using Strata.Cli.Rendering;
using Strata.Database;
using Strata.Deploying;

namespace Strata.Cli.Commands;

/// <summary><c>strata deploy --env E [--to V] [--yes] [--dry-run] [--override GATE --reason TEXT] [--report FILE.md]</c>: the guarded deploy.</summary>
public static class DeployCommand
{
    public static Command Create(GlobalOptions global, CliContext context)
    {
        var to = new Option<string?>("--to") { Description = "Deploy up to and including this version (default: every pending migration)" };
        var yes = new Option<bool>("--yes") { Description = "Confirm in advance (CI); without it a run with no terminal refuses" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Run every gate and show the plan; back up, apply and test nothing" };
        var overrides = new Option<string[]>("--override")
        {
            Description = "Pass a gate that refuses: soak, checksum, window or lint (repeatable; needs --reason)",
            AllowMultipleArgumentsPerToken = false,
        };
        overrides.AcceptOnlyFromAmong([.. DeployGates.All]);
        var reason = new Option<string?>("--reason") { Description = "Why the overridden gates do not apply: recorded in the events" };
        var report = new Option<string?>("--report") { Description = "Also write the report as Markdown to this file" };
        var command = new Command("deploy",
            "Deploy to an environment through its gates: lint, promotion and soak, window, confirmation, backup, apply with automatic rollback, checks, smoke test")
        {
            to, yes, dryRun, overrides, reason, report,
        };
        command.SetAction((parse, cancellationToken) => StrataApp.Guard(context, parse.GetValue(global.Json), async () =>
        {
            var json = parse.GetValue(global.Json);
            var options = new DeployOptions
            {
                To = parse.GetValue(to),
                Yes = parse.GetValue(yes),
                DryRun = parse.GetValue(dryRun),
                Overrides = parse.GetValue(overrides) ?? [],
                Reason = parse.GetValue(reason),
                ReportPath = parse.GetValue(report) is { } path ? Path.GetFullPath(path, context.WorkingDirectory) : null,
                Confirm = context.OutputIsTerminal && !json && !Console.IsInputRedirected ? question => Ask(context, question) : null,
            };
            var result = await global.Open(parse, context).DeployAsync(options, json ? null : step => RenderStep(context, step), cancellationToken);
            if (result.Refusals.Any(r => r.Kind == ProblemKind.BadInput)) return ProblemRenderer.Render(context, json, result.Refusals);
            var exitCode = result.IsRefused ? ExitCodes.For(result.Refusals) : result.Failed ? ExitCodes.OperationFailed : ExitCodes.Done;
            if (options.ReportPath is { } reportPath) await File.WriteAllTextAsync(reportPath, DeployReport.Markdown(result, exitCode), cancellationToken);
            if (json)
            {
                await context.WriteJsonAsync(new DeployJson(result.Environment, ProblemRenderer.Safe(result.Target), result.DryRun, result.Planned,
                    [.. result.Applied.Select(a => a.Version)],
                    [.. result.Steps.Select(s => new DeployStepJson(s.Name, s.Outcome.ToString().ToLowerInvariant(), Redactor.ShapesOnly.Redact(s.Summary), s.DurationMs,
                        [.. s.Details.Select(d => Redactor.ShapesOnly.Redact(d))]))],
                    result.BackupPath, result.RolledBack, result.SchemaRestored, result.RollbackCommand, options.ReportPath,
                    result.IsRefused ? ProblemRenderer.ToJson(result.Refusals[0]) : null, exitCode), CliJsonContext.Default.DeployJson);
                return exitCode;
            }
            RenderEnd(context, result, options.ReportPath);
            return exitCode;
        }));
        return global.Attach(command, Uses.Env | Uses.Dir | Uses.By,
            ["strata deploy --env production --dry-run", "strata deploy --env production --yes --report deploy.md",
             "strata deploy --env production --yes --override window --reason \"hotfix for the billing outage\""],
            "The database is the environment's: --env NAME ([environments.NAME] url in strata.toml); --url is not accepted, because the gates " +
            "come from the environment's settings. The environment it requires (requires = \"staging\") is read for the promotion gate.");
    }

    private static bool Ask(CliContext context, DeployConfirmation question)
    {
        context.Console.MarkupLine($"About to deploy {question.Versions.Count} migration(s) to [bold]{Markup.Escape(question.Environment)}[/] ({ProblemRenderer.Safe(question.Target)}):");
        foreach (var version in question.Versions) context.Console.MarkupLine($"  {Markup.Escape(version)}");
        return context.Console.Confirm($"Deploy to {Markup.Escape(question.Environment)}?", defaultValue: false);
    }

    private static void RenderStep(CliContext context, DeployStep step)
    {
        var mark = step.Outcome switch
        {
            DeployStepOutcome.Passed => "[green]ok[/]",
            DeployStepOutcome.Overridden => "[yellow]overridden[/]",
            DeployStepOutcome.Skipped => "[grey]skipped[/]",
            _ => "[red]FAILED[/]",
        };
        context.Console.MarkupLine($"{Markup.Escape(step.Name),-12} {mark} {Markup.Escape(Redactor.ShapesOnly.Redact(step.Summary))} [grey]({step.DurationMs} ms)[/]");
        foreach (var detail in step.Details) context.Console.MarkupLine($"               {Markup.Escape(Redactor.ShapesOnly.Redact(detail))}");
    }

    private static void RenderEnd(CliContext context, DeployResult result, string? report)
    {
        foreach (var refusal in result.Refusals) context.Error.WriteLine($"refused: {Redactor.ShapesOnly.Redact(refusal.ToString())}");
        if (result.BackupPath is { } backup) context.Console.MarkupLine($"Backup: {ProblemRenderer.Safe(backup)}");
        if (result.RollbackCommand is { } rollback)
            context.Console.MarkupLine($"[red]The deploy stopped after applying its migrations.[/] To undo it: {Markup.Escape(rollback)}");
        if (result.RolledBack)
            context.Console.MarkupLine(result.SchemaRestored == true
                ? $"Rolled back: {Markup.Escape(result.Environment)} is exactly as before the deploy."
                : $"[red]The rollback did not restore {Markup.Escape(result.Environment)} completely:[/] see the rollback step; the backup is the way back.");
        else if (!result.IsRefused && !result.Failed && result.Applied.Count > 0)
            context.Console.MarkupLine($"Deployed {result.Applied.Count} migration(s) to {Markup.Escape(result.Environment)}.");
        if (report is not null) context.Console.MarkupLine($"Report: {ProblemRenderer.Safe(report)}");
    }
}
