using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Strata.Cli.Rendering;
using Strata.Verification;

namespace Strata.Cli.Commands;

/// <summary><c>strata verify [--url SERVER] [--from VERSION]</c>: the strategy's test cycle on scratch databases.</summary>
public static class VerifyCommand
{
    public static Command Create(GlobalOptions global, CliContext context)
    {
        var from = new Option<string?>("--from") { Description = "Verify from this migration on; earlier ones are applied without checks" };
        var command = new Command("verify",
            "Apply, re-run, roll back and re-apply every migration on scratch databases, comparing schemas (--url: a server where verify may create them)")
        {
            from,
        };
        command.SetAction((parse, cancellationToken) => StrataApp.Guard(context, parse.GetValue(global.Json), async () =>
        {
            var json = parse.GetValue(global.Json);
            Action<MigrationVerification>? progress = json ? null : m => Render(context, m);
            var result = await global.Open(parse, context).VerifyAsync(new VerifyOptions(From: parse.GetValue(from)), progress, cancellationToken);
            if (result.IsRefused) return ProblemRenderer.Render(context, json, result.Refusals);
            var exitCode = result.Passed ? ExitCodes.Done : ExitCodes.OperationFailed;
            if (json)
            {
                var document = new VerifyJson(result.Scratch, result.Passed, result.StoppedAt, result.Warnings,
                    [.. result.Migrations.Select(m => new MigrationVerifyJson(m.Version, m.File, Key(m.Verdict),
                        [.. m.Steps.Select(s => new VerifyStepJson(s.Name, Key(s.Status), s.DurationMs, s.Detail, s.Differences))],
                        [.. m.Locks.Select(l => new StatementLocksJson(l.Line, l.Verb, (int)l.Duration.TotalMilliseconds, l.Observed, l.Flagged,
                            [.. l.Locks.Select(x => new LockJson(x.Relation, x.Mode, x.Existed))], [.. l.Rewritten.Select(r => r.Relation)]))]))],
                    exitCode);
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(document, CliJsonContext.Default.VerifyJson));
                return exitCode;
            }
            foreach (var warning in result.Warnings) context.Error.WriteLine($"warning: {warning}");
            if (result.StoppedAt is { } stopped) context.Error.WriteLine($"error: verification stopped: {stopped}.");
            var failed = result.Migrations.Count(m => m.Verdict == StepStatus.Failed);
            var warned = result.Migrations.Count(m => m.Verdict == StepStatus.Warning);
            context.Console.MarkupLine(
                $"Verified {result.Migrations.Count} migration(s) on {ProblemRenderer.Safe(result.Scratch)}: " +
                $"{result.Migrations.Count - failed - warned} passed" + (warned > 0 ? $", {warned} with warnings" : "") + (failed > 0 ? $", [red]{failed} failed[/]" : "") + ".");
            return exitCode;
        }));
        return global.Attach(command, Uses.Target, ["strata verify", "strata verify --from 20251004120000", "strata verify --url postgresql://postgres@localhost:5432/postgres --json"],
            "Without --url, a throwaway PostgreSQL cluster in a temporary folder (initdb, socket only, removed afterwards); with --url SERVER, " +
            "scratch databases strata_verify_* that it creates and drops on that server. Never an environment: --env is refused.");
    }

    private static void Render(CliContext context, MigrationVerification migration)
    {
        var (label, colour) = migration.Verdict switch
        {
            StepStatus.Failed => ("FAIL", "red"),
            StepStatus.Warning => ("WARN", "yellow"),
            _ => ("PASS", "green"),
        };
        var summary = string.Join(" · ", migration.Steps.Select(s => s.Status switch
        {
            StepStatus.Passed => s.Name,
            StepStatus.Skipped => $"{s.Name} skipped",
            _ => $"{s.Name} {Key(s.Status)}",
        }));
        context.Console.MarkupLine($"[{colour}]{label}[/] {ProblemRenderer.Safe(migration.Version)}  [grey]{ProblemRenderer.Safe(summary)}[/]");
        // Locks are shown where they matter to live traffic: on tables that existed before.
        foreach (var statement in migration.Locks.Where(l => l.Locks.Any(x => x.Existed) || l.Rewritten.Any(r => r.Existed)))
        {
            var locks = string.Join(", ", statement.Locks.Where(x => x.Existed).Select(x => $"{x.Mode} on {x.Relation}"));
            var rewrites = string.Join(", ", statement.Rewritten.Where(r => r.Existed).Select(r => r.Relation));
            var text = $"line {statement.Line} {statement.Verb}: {locks}" + (rewrites.Length > 0 ? $"; rewrites {rewrites}" : "") +
                       (statement.Observed ? "" : " (documented level)");
            context.Console.MarkupLine(statement.Flagged
                ? $"     [yellow]lock[/] {ProblemRenderer.Safe(text)}"
                : $"     [grey]lock {ProblemRenderer.Safe(text)}[/]");
        }
        foreach (var step in migration.Steps.Where(s => s.Status is StepStatus.Failed or StepStatus.Warning || (s.Status == StepStatus.Skipped && s.Name == "rollback")))
        {
            if (step.Detail is not null) context.Console.MarkupLine($"     {ProblemRenderer.Safe(step.Name)}: {ProblemRenderer.Safe(step.Detail)}");
            foreach (var difference in step.Differences ?? []) context.Console.MarkupLine($"       {ProblemRenderer.Safe(difference)}");
        }
    }

    private static string Key(StepStatus status) => status switch
    {
        StepStatus.Passed => "passed",
        StepStatus.Failed => "failed",
        StepStatus.Warning => "warning",
        _ => "skipped",
    };
}
