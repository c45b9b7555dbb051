using System.Text;
using Strata.Database;

namespace Strata.Deploying;

/// <summary>The deploy report as Markdown (<c>deploy --report FILE.md</c>): what ran, how long, the backup, each gate's decision, the smoke result.</summary>
public static class DeployReport
{
    /// <summary>The report of <paramref name="result"/>; passwords and URL credentials are masked.</summary>
    public static string Markdown(DeployResult result, int exitCode)
    {
        var text = new StringBuilder();
        var outcome = result.IsRefused ? "refused" : result.RolledBack ? "failed and rolled back" : result.Failed ? "failed" : result.DryRun ? "dry run" : "deployed";
        text.AppendLine($"# Deploy to {result.Environment}: {outcome}");
        text.AppendLine();
        text.AppendLine($"- Target: {Redactor.ShapesOnly.Redact(result.Target)}");
        text.AppendLine($"- Migrations planned: {(result.Planned.Count == 0 ? "none" : string.Join(", ", result.Planned))}");
        text.AppendLine($"- Applied: {(result.Applied.Count == 0 ? "none" : string.Join(", ", result.Applied.Select(a => $"{a.Version} ({a.DurationMs} ms)")))}");
        text.AppendLine($"- Backup: {result.BackupPath ?? "none"}");
        if (result.RolledBack) text.AppendLine($"- Rolled back: yes; schema as before: {(result.SchemaRestored == true ? "yes" : "no")}");
        if (result.RollbackCommand is { } command) text.AppendLine($"- To undo: `{command}`");
        text.AppendLine($"- Exit code: {exitCode}");
        text.AppendLine();
        text.AppendLine("| step | outcome | what | ms |");
        text.AppendLine("| --- | --- | --- | ---: |");
        foreach (var step in result.Steps)
            text.AppendLine($"| {step.Name} | {step.Outcome.ToString().ToLowerInvariant()} | {Cell(step.Summary)} | {step.DurationMs} |");
        foreach (var step in result.Steps.Where(s => s.Details.Count > 0))
        {
            text.AppendLine();
            text.AppendLine($"## {step.Name}");
            text.AppendLine();
            foreach (var detail in step.Details) text.AppendLine($"- {Redactor.ShapesOnly.Redact(detail)}");
        }
        foreach (var refusal in result.Refusals)
        {
            text.AppendLine();
            text.AppendLine($"Refused: {Redactor.ShapesOnly.Redact(refusal.ToString())}");
        }
        return text.ToString();
    }

    private static string Cell(string text) => Redactor.ShapesOnly.Redact(text).Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
