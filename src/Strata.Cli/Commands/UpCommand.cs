using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Strata.Cli.Rendering;
using Strata.Database;
using Strata.Running;

namespace Strata.Cli.Commands;

/// <summary><c>strata up</c>: apply pending migrations in order, each atomically with its history row.</summary>
public static class UpCommand
{
    public static Command Create(GlobalOptions global, CliContext context)
    {
        var to = new Option<string?>("--to") { Description = "Apply up to and including this version (file name or timestamp)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would run; change nothing" };
        var allowDrift = new Option<bool>("--allow-drift") { Description = "Run even though applied files were edited or deleted" };
        var allowOutOfOrder = new Option<bool>("--allow-out-of-order") { Description = "Apply pending files older than the newest applied one" };
        var lockWait = new Option<string?>("--lock-wait") { Description = "How long to wait for another runner's lock (e.g. 30s, 5min)" };
        var allowInterrupted = new Option<bool>("--allow-interrupted") { Description = "Run interrupted migrations again from their first statement (they must be idempotent)" };
        var command = new Command("up", "Apply pending migrations") { to, dryRun, allowDrift, allowOutOfOrder, lockWait, allowInterrupted };
        command.SetAction((parse, cancellationToken) => StrataApp.Guard(context, parse.GetValue(global.Json), async () =>
        {
            var json = parse.GetValue(global.Json);
            // Every input is checked before a server is touched (or the dev cluster started).
            var wait = parse.GetValue(lockWait) is { } waitText ? Duration.Parse(waitText, "--lock-wait") : (Duration?)null;
            var options = new UpOptions(parse.GetValue(to), parse.GetValue(dryRun), parse.GetValue(allowDrift), parse.GetValue(allowOutOfOrder), wait,
                parse.GetValue(allowInterrupted));
            var project = global.Open(parse, context);

            var result = context.OutputIsTerminal && !json
                ? await WithProgressAsync(context, progress => project.UpAsync(options, progress, cancellationToken))
                : await project.UpAsync(options, json ? null : p => Report(context, p), cancellationToken);

            // Bad input (the folder, --to) gets the error document; a safety gate is the run's own outcome.
            if (result.Refusals.Any(r => r.Kind != ProblemKind.Refused)) return ProblemRenderer.Render(context, json, result.Refusals);
            var exitCode = result.IsRefused ? ExitCodes.For(result.Refusals) : result.Failure is null ? ExitCodes.Done : ExitCodes.OperationFailed;
            if (json) await context.Output.WriteLineAsync(JsonSerializer.Serialize(ToJson(result, exitCode), CliJsonContext.Default.UpJson));
            else Render(context, result);
            return exitCode;
        }));
        return global.Attach(command, Uses.Target | Uses.By, ["strata up --dry-run", "strata up", "strata up --to 20251002143000", "strata up --env staging --by ci"]);
    }

    private static void Report(CliContext context, MigrationProgress progress)
    {
        // Without a terminal, say only what a log reader needs while it happens: waits and retries.
        // On stderr: a script reading stdout (or --json) must not get the wait in its data.
        if (progress.Stage == ProgressStage.WaitingForLock) context.Error.WriteLine($"waiting for the migration lock, held by {Redactor.ShapesOnly.Redact(progress.Detail)}");
        if (progress.Stage == ProgressStage.Retrying) ReportRetry(context, progress);
    }

    // The detail says why: a lock timeout's message, or the long transaction Strata waits for
    // ("waiting for pid 1234 (application 'report-job', transaction open 14.2 s, idle in transaction)").
    private static void ReportRetry(CliContext context, MigrationProgress progress) =>
        context.Error.WriteLine($"retrying {progress.Version} ({Redactor.ShapesOnly.Redact(progress.Detail)})");

    private static async Task<UpResult> WithProgressAsync(CliContext context, Func<Action<MigrationProgress>, Task<UpResult>> run)
    {
        UpResult? result = null;
        await context.Console.Progress().AutoClear(true).StartAsync(async progressContext =>
        {
            ProgressTask? task = null;
            result = await run(p =>
            {
                if (p.Stage == ProgressStage.WaitingForLock) { context.Error.WriteLine($"waiting for the migration lock, held by {Redactor.ShapesOnly.Redact(p.Detail)}"); return; }
                if (p.Stage == ProgressStage.Retrying) { ReportRetry(context, p); return; }
                task ??= progressContext.AddTask("applying", maxValue: Math.Max(1, p.Count));
                task.Description = ProblemRenderer.Safe(p.Version);
                if (p.Stage == ProgressStage.Applied) task.Increment(1);
            });
        });
        return result!;
    }

    private static void Render(CliContext context, UpResult result)
    {
        var console = context.Console;
        var target = result.Target;
        foreach (var refusal in result.Refusals) context.Error.WriteLine($"refused: {Redactor.ShapesOnly.Redact(refusal.ToString())}");
        if (result.IsRefused) return;
        if (result.DryRun)
        {
            console.MarkupLine(result.Selected.Count == 0
                ? $"Dry run on {ProblemRenderer.Safe(target)}: nothing to apply."
                : $"Dry run on {ProblemRenderer.Safe(target)}: would apply {result.Selected.Count} migration(s):");
            foreach (var entry in result.Selected)
            {
                var file = entry.File!;
                var mode = file.Up.IsTransactional ? "one transaction" : "statement by statement (non-transactional statements)";
                console.MarkupLine($"  {ProblemRenderer.Safe(entry.Version)}  [grey]{file.Up.Statements.Count} statement(s), {mode}{(entry.State == MigrationState.OutOfOrder ? ", out of order" : "")}[/]");
            }
            return;
        }
        foreach (var applied in result.Applied)
        {
            var retries = applied.LockRetries > 0
                ? $", {applied.LockRetries} lock retr{(applied.LockRetries == 1 ? "y" : "ies")}, {applied.LockWaitMs} ms waiting for locks" +
                  (applied.Blockers.Count > 0 ? $" (long transactions: {string.Join(", ", applied.Blockers.Select(b => $"pid {b.Pid} '{b.Application}'"))})" : "")
                : "";
            // Without colour the line is the same text; a thousand of them through the markup
            // parser and its cell-width measure were a twentieth of 'up''s client CPU.
            if (context.OutputIsTerminal) console.MarkupLine($"[green]applied[/] {ProblemRenderer.Safe(applied.Version)} [grey]({applied.DurationMs} ms{ProblemRenderer.Safe(retries)})[/]");
            else context.Output.WriteLine($"applied {applied.Version} ({applied.DurationMs} ms{retries})");
            foreach (var notice in applied.Notices) console.MarkupLine($"  [grey]notice: {ProblemRenderer.Safe(notice)}[/]");
        }
        if (result.Failure is { } failure)
        {
            // The library words the failure, so an application's log and the hosted service's exception read the same.
            context.Error.WriteLine($"error: {failure}");
            return;
        }
        console.MarkupLine(result.Applied.Count == 0
            ? $"Nothing to apply on {ProblemRenderer.Safe(target)}: all {result.Plan!.Entries.Count(e => e.State == MigrationState.Applied)} migration(s) are applied."
            : $"Applied {result.Applied.Count} migration(s) to {ProblemRenderer.Safe(target)} in {result.Applied.Sum(a => a.DurationMs)} ms.");
    }

    private static UpJson ToJson(UpResult result, int exitCode) => new(
        result.Target, result.DryRun, [.. result.Selected.Select(e => e.Version)],
        [.. result.Applied.Select(a => new AppliedJson(a.Version, a.Description, a.DurationMs, a.Transactional, a.Statements, a.LockRetries, a.Notices,
            a.LockWaitMs, BlockerJson.From(a.Blockers)))],
        result.Failure is { } f
            ? new FailureJson(f.Version, f.File, f.Line, f.Column, f.SqlState, f.Message, f.Detail, f.Statement, f.SourceLine, f.Transactional,
                f.CommittedStatements, f.InvalidIndexes, f.Advice,
                UndoJson.From(f.Undo),
                f.Transactional ? null : f.RemovedIndexes,
                f.Context, f.InternalQuery, f.InternalPosition, f.Notices, f.LockRetries, f.LockWaitMs, BlockerJson.From(f.Blockers), f.Blocked)
            : null,
        result.IsRefused ? ProblemRenderer.ToJson(result.Refusals[0]) : null,
        exitCode);
}
