using System.Text.Json;
using Spectre.Console;
using Strata.Database;
using Strata.Running;

namespace Strata.Cli.Rendering;

/// <summary>Renders the history changes of <c>repair</c> and <c>baseline</c>, and returns the exit code.</summary>
public static class ChangeRenderer
{
    public static async Task<int> RenderAsync(CliContext context, bool json, string action, RepairResult result)
    {
        if (result.Refusals.Any(r => r.Kind != ProblemKind.Refused)) return ProblemRenderer.Render(context, json, result.Refusals);
        var exitCode = result.IsRefused ? ExitCodes.For(result.Refusals) : ExitCodes.Done;
        if (json)
        {
            var document = new ChangesJson(action, result.Target, result.DryRun, [.. result.Changes.Select(c => new ChangeJson(c.Version, c.Change, c.Detail))],
                result.IsRefused ? ProblemRenderer.ToJson(result.Refusals[0]) : null, exitCode);
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(document, CliJsonContext.Default.ChangesJson));
            return exitCode;
        }
        foreach (var refusal in result.Refusals) context.Error.WriteLine($"refused: {Redactor.ShapesOnly.Redact(refusal.ToString())}");
        if (result.IsRefused) return exitCode;
        if (result.Changes.Count == 0)
        {
            context.Console.MarkupLine($"Nothing to {action} on {ProblemRenderer.Safe(result.Target)}.");
            return exitCode;
        }
        var verb = result.DryRun ? "would record" : "recorded";
        foreach (var change in result.Changes)
            context.Console.MarkupLine($"{verb} {ProblemRenderer.Safe(change.Change)} {ProblemRenderer.Safe(change.Version)}" +
                (change.Detail is null ? "" : $" [grey]({ProblemRenderer.Safe(change.Detail)})[/]"));
        return exitCode;
    }
}
