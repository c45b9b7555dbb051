using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Strata.Cli.Rendering;
using Strata.Database;
using Strata.Running;

namespace Strata.Cli.Commands;

/// <summary><c>strata rollback [VERSION | --last N | --to VERSION] --reason TEXT</c>: run stored rollback SQL, newest first.</summary>
public static class RollbackCommand
{
    public static Command Create(GlobalOptions global, CliContext context)
    {
        var version = new Argument<string?>("VERSION") { Description = "The migration to roll back (file name or timestamp)", Arity = ArgumentArity.ZeroOrOne };
        var last = new Option<int?>("--last") { Description = "Roll back the newest N applied migrations (default 1)" };
        var to = new Option<string?>("--to") { Description = "Roll back every migration newer than this version; it stays applied" };
        var reason = new Option<string?>("--reason") { Description = "Why: recorded in the history (required unless the target is the local dev cluster)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be rolled back; change nothing" };
        var lockWait = new Option<string?>("--lock-wait") { Description = "How long to wait for another runner's lock (e.g. 30s, 5min)" };
        var asMigration = new Option<bool>("--as-migration")
        {
            Description = "Run nothing: write a new migration that reverts VERSION (up: its stored rollback SQL; down: its original up)",
        };
        var command = new Command("rollback", "Run the stored rollback SQL of applied migrations, newest first")
        {
            version, last, to, reason, dryRun, lockWait, asMigration,
        };
        command.SetAction((parse, cancellationToken) => StrataApp.Guard(context, parse.GetValue(global.Json), async () =>
        {
            var json = parse.GetValue(global.Json);
            var selectors = (parse.GetValue(version) is null ? 0 : 1) + (parse.GetValue(last) is null ? 0 : 1) + (parse.GetValue(to) is null ? 0 : 1);
            if (selectors > 1 || parse.GetValue(last) is < 1)
                return ProblemRenderer.Render(context, json, [new Problem(ProblemKind.BadInput, "bad-usage",
                    "give one of VERSION, --last N (N at least 1) or --to VERSION.", Hint: "Run 'strata rollback --help' for usage.")]);
            var wait = parse.GetValue(lockWait) is { } waitText ? Duration.Parse(waitText, "--lock-wait") : (Duration?)null;
            var options = new RollbackOptions(parse.GetValue(version), parse.GetValue(last), parse.GetValue(to), parse.GetValue(reason), parse.GetValue(dryRun), wait,
                parse.GetValue(asMigration));
            var result = await global.Open(parse, context).RollbackAsync(options, cancellationToken);

            if (result.Refusals.Any(r => r.Kind != ProblemKind.Refused)) return ProblemRenderer.Render(context, json, result.Refusals);
            var exitCode = result.IsRefused ? ExitCodes.For(result.Refusals) : result.Failure is null ? ExitCodes.Done : ExitCodes.OperationFailed;
            if (json)
            {
                var document = new RollbackJson(result.Target, result.DryRun, result.Selected,
                    [.. result.RolledBack.Select(r => new RolledBackJson(r.Version, r.DurationMs, r.Transactional, r.Statements, UndoJson.From(r.Undo),
                        r.Undo is null ? null : r.InvalidIndexes))],
                    result.Failure is { } f
                        ? new RollbackFailureJson(f.Version, f.SqlState, f.Message, f.Statement, f.Transactional, f.CommittedStatements, f.InvalidIndexes, UndoJson.From(f.Undo))
                        : null,
                    result.IsRefused ? ProblemRenderer.ToJson(result.Refusals[0]) : null, exitCode, result.RevertFile);
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(document, CliJsonContext.Default.RollbackJson));
                return exitCode;
            }
            Render(context, result);
            return exitCode;
        }));
        return global.Attach(command, Uses.Target | Uses.By, ["strata rollback --last 1 --reason \"breaks the trip planner\"", "strata rollback 20251002143000 --reason \"...\"", "strata rollback --to 20251002120000 --dry-run", "strata rollback 20251002143000 --as-migration --reason \"...\""]);
    }

    private static void Render(CliContext context, RollbackResult result)
    {
        var target = ProblemRenderer.Safe(result.Target);
        foreach (var refusal in result.Refusals) context.Error.WriteLine($"refused: {Redactor.ShapesOnly.Redact(refusal.ToString())}");
        if (result.IsRefused) return;
        if (result.Selected.Count == 0)
        {
            context.Console.MarkupLine($"Nothing to roll back on {target}: no applied migration matches.");
            return;
        }
        if (result.RevertFile is { } revert)
        {
            var reverted = ProblemRenderer.Safe(result.Selected[0]);
            context.Console.MarkupLine(result.DryRun
                ? $"Dry run on {target}: would write {ProblemRenderer.Safe(revert)}, reverting {reverted}."
                : $"Wrote {ProblemRenderer.Safe(revert)}: it reverts {reverted}. Review and commit it, then apply it with 'strata up' " +
                  "(that marks the original rolled back in the same transaction).");
            return;
        }
        if (result.DryRun)
        {
            context.Console.MarkupLine($"Dry run on {target}: would roll back {result.Selected.Count} migration(s), newest first:");
            foreach (var version in result.Selected) context.Console.MarkupLine($"  {ProblemRenderer.Safe(version)}");
            return;
        }
        foreach (var done in result.RolledBack)
        {
            context.Console.MarkupLine($"[yellow]rolled back[/] {ProblemRenderer.Safe(done.Version)} [grey]({done.DurationMs} ms)[/]");
            if (done.Undo is { } undo)
                context.Console.MarkupLine($"  [grey]interrupted attempt: {ProblemRenderer.Safe(undo.Summary)}; it is pending again[/]");
            foreach (var index in done.InvalidIndexes)
                context.Error.WriteLine($"  left behind: INVALID index {index}; remove it with: DROP INDEX CONCURRENTLY IF EXISTS {index};");
        }
        if (result.Failure is { Undo: { } stopped } interrupted)
        {
            context.Error.WriteLine($"error: the rollback of interrupted {interrupted.Version} stopped: {stopped.Summary}.");
            context.Error.WriteLine("  It is still interrupted. Fix the cause and run the rollback again: statements already undone are passed over " +
                                    "when their object is gone, so write the down section with IF EXISTS; or undo the rest by hand and run 'strata repair --reason ...'.");
            return;
        }
        if (result.Failure is { } failure)
        {
            context.Error.WriteLine($"error: the rollback of {failure.Version} failed: {failure.SqlState}: {failure.Message}");
            if (failure.Statement is not null) context.Error.WriteLine($"  statement: {failure.Statement.Split('\n')[0]}");
            context.Error.WriteLine(failure.Transactional
                ? "  Nothing of this rollback was kept; the migration is still applied. Fix the cause (or the database) and run the rollback again."
                : $"  The first {failure.CommittedStatements} statement(s) of its rollback took effect; the migration is still recorded as applied.");
            return;
        }
        context.Console.MarkupLine($"Rolled back {result.RolledBack.Count} migration(s) on {target}.");
    }
}
