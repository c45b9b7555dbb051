using System.Text;
using System.Text.Json;
using Strata.Linting;

namespace Strata.Cli.Rendering;

/// <summary>One finding type, four renderings: text for people, JSON, SARIF 2.1.0 for code scanning, GitHub workflow annotations.</summary>
public static class LintRenderer
{
    public const string LexerChosen =
        "note: STRATA_LINT_PARSER=lexer: rules read the lexer's statement facts, and the rules that need PostgreSQL's parse tree checked nothing.";

    public const string NoParser =
        "warning: libpg_query (PostgreSQL's parser) could not be loaded, so rules read the lexer's statement facts and the rules that need a parse tree " +
        "checked nothing. Install it (Debian/Ubuntu: apt-get install libpg-query-dev), or use the native strata binary, which carries it.";

    public static void Text(CliContext context, LintResult result)
    {
        foreach (var f in result.Findings)
        {
            context.Output.WriteLine($"{f.File}:{f.Line}:{f.Column}: {Level(f.Severity)} [{f.Rule}] {f.Message}");
            context.Output.WriteLine($"  help: {f.Help}");
        }
        var errors = result.Findings.Count(f => f.Severity == Severity.Error);
        var warnings = result.Findings.Count(f => f.Severity == Severity.Warning);
        context.Output.WriteLine(result.Findings.Count == 0
            ? $"No findings in {result.Files} file(s)."
            : $"{result.Findings.Count} finding(s) in {result.Files} file(s): {errors} error(s), {warnings} warning(s), {result.Findings.Count - errors - warnings} info.");
    }

    public static LintJson Json(LintResult result, int exitCode) => new(result.Files, result.ParserAvailable ? "libpg_query" : "lexer",
        [.. result.Findings.Select(f => new FindingJson(f.Rule, Level(f.Severity), f.Message, f.Help, f.File, f.Line, f.Column))],
        result.Findings.Count(f => f.Severity == Severity.Error), result.Findings.Count(f => f.Severity == Severity.Warning), exitCode);

    public static SarifLog Sarif(LintResult result)
    {
        var log = new SarifLog(
            "https://json.schemastore.org/sarif-2.1.0.json", "2.1.0",
            [new SarifRun(
                new SarifTool(new SarifDriver("strata", StrataVersion.Current, "https://github.com/strata-migrations/strata",
                    [.. result.Rules.Select(r => new SarifRule(r.Name, new SarifText(r.Summary), r.Help, new SarifConfiguration(SarifLevel(r.DefaultSeverity))))])),
                [.. result.Findings.Select(f => new SarifResult(f.Rule, SarifLevel(f.Severity), new SarifText(f.Message),
                    [new SarifLocation(new SarifPhysicalLocation(new SarifArtifact(Uri(f.File)), new SarifRegion(f.Line, f.Column)))]))])]);
        return log;
    }

    /// <summary>
    /// GitHub's workflow commands: <c>::error file=F,line=L,col=C,title=RULE::MESSAGE</c>. Values
    /// are escaped as the runner expects (%, CR, LF everywhere; also : and , in properties), so a
    /// message cannot end the annotation or inject another command.
    /// </summary>
    public static string GitHub(LintResult result)
    {
        var lines = new StringBuilder();
        foreach (var f in result.Findings)
        {
            var command = f.Severity switch { Severity.Error => "error", Severity.Warning => "warning", _ => "notice" };
            lines.Append($"::{command} file={Property(f.File)},line={f.Line},col={f.Column},title={Property(f.Rule)}::{Data($"{f.Message} ({f.Help})")}\n");
        }
        return lines.ToString().TrimEnd('\n');
    }

    private static string Data(string value) => value.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    private static string Property(string value) => Data(value).Replace(":", "%3A").Replace(",", "%2C");

    private static string Level(Severity severity) => severity switch { Severity.Error => "error", Severity.Warning => "warning", _ => "info" };

    private static string SarifLevel(Severity severity) => severity switch { Severity.Error => "error", Severity.Warning => "warning", _ => "note" };

    /// <summary>SARIF wants a URI: relative paths stay relative (forward slashes), absolute ones become file:// URIs.</summary>
    private static string Uri(string path) =>
        Path.IsPathRooted(path) ? new Uri(path).AbsoluteUri : string.Join('/', path.Replace('\\', '/').Split('/').Select(System.Uri.EscapeDataString));
}
