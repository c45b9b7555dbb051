using System.Text.RegularExpressions;
using Strata.Sql;

namespace Strata.Migrations;

/// <summary>
/// Turns a file's normalised text into a <see cref="MigrationFile"/>: dbmate-compatible
/// <c>-- migrate:up</c> / <c>-- migrate:down</c> markers with options, Strata's own
/// <c>-- migrate:verify</c>, the description, and every section split into statements. Every
/// problem found is returned, not just the first.
/// </summary>
internal static partial class MigrationParser
{
    [GeneratedRegex(@"^--\s*description:\s*(?<text>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex DescriptionLine();

    [GeneratedRegex(@"^(\S*/)?\d{14}_\S+\.sql$")]
    private static partial Regex FileNameComment();

    // "-- strata:reverts 20251002143000_add_x.sql", and its near misses ("-- strata: revert x",
    // "-- Strata:Reverted"), which must not pass as an ordinary comment: the revert would then
    // leave the migration it undoes marked applied.
    [GeneratedRegex(@"^--\s*strata\s*:\s*revert\w*(?:\s+(?<version>.*))?$", RegexOptions.IgnoreCase)]
    private static partial Regex RevertsLine();

    private const string RevertsDirective = "-- strata:reverts";

    /// <summary>Parses one file. <paramref name="problems"/> collects everything wrong with it.</summary>
    public static MigrationFile? Parse(string path, string version, DateTime timestamp, string slug, string text, List<Problem> problems,
        string? checksum = null)
    {
        var before = problems.Count;
        var lines = text.Split('\n');
        int upLine = 0, downLine = 0, verifyLine = 0; // 1-based marker lines, 0 = absent
        SectionOptions upOptions = SectionOptions.None, downOptions = SectionOptions.None;
        var irreversible = false;
        var markers = MigrationMarkers.Find(path, text, problems);
        foreach (var marker in markers)
        {
            var lineNo = marker.Line;
            if ((marker.Kind switch { SectionKind.Up => upLine, SectionKind.Down => downLine, _ => verifyLine }) != 0)
            {
                problems.Add(MigrationProblems.DuplicateMarker(path, lineNo, marker.Word));
                continue;
            }
            var options = ParseOptions(path, marker, problems, out var declaredIrreversible);
            switch (marker.Kind)
            {
                case SectionKind.Up:
                    (upLine, upOptions) = (lineNo, options);
                    break;
                case SectionKind.Down:
                    if (upLine == 0) problems.Add(MigrationProblems.DownBeforeUp(path, lineNo));
                    (downLine, downOptions, irreversible) = (lineNo, options, declaredIrreversible);
                    break;
                default:
                    if (upLine == 0) problems.Add(MigrationProblems.VerifyBeforeUp(path, lineNo, upMissing: !markers.Any(m => m.Kind == SectionKind.Up)));
                    verifyLine = lineNo;
                    break;
            }
        }
        if (upLine > 0 && verifyLine > upLine && downLine > verifyLine)
            problems.Add(MigrationProblems.VerifyBeforeDown(path, verifyLine, downLine));

        // A section ends where the next marker, of whatever kind, starts.
        int End(int markerLine) => new[] { upLine, downLine, verifyLine }.Where(l => l > markerLine).DefaultIfEmpty(lines.Length + 1).Min() - 1;
        var upStart = upLine == 0 ? 1 : upLine + 1;
        var aboveUp = (downLine > 0 && downLine < upLine) || (verifyLine > 0 && verifyLine < upLine);
        if (upLine > 1 && !aboveUp) RequireOnlyComments(path, lines, upLine - 1, problems);
        var header = LeadingComments(lines, upLine == 0 ? lines.Length : upLine - 1);
        var (description, hasDescription) = Describe(header, slug);
        var reverts = Reverts(path, lines, upLine == 0 ? lines.Length : upLine - 1, problems);

        var up = Section(path, lines, upStart, End(upLine), upOptions, SectionKind.Up, problems);
        MigrationSection? down = null;
        if (downLine > upLine)
        {
            down = Section(path, lines, downLine + 1, End(downLine), downOptions, SectionKind.Down, problems);
            if (irreversible && down.Statements.Count > 0)
                problems.Add(MigrationProblems.IrreversibleWithSql(path, down.Statements[0].Line));
            if (down.Statements.Count == 0) down = null;
        }
        MigrationSection? verify = null;
        if (verifyLine > upLine)
        {
            verify = Section(path, lines, verifyLine + 1, End(verifyLine), SectionOptions.None, SectionKind.Verify, problems);
            if (verify.Statements.Count == 0) verify = null;
        }
        if (up.Statements.Count == 0 && problems.Count == before)
            problems.Add(MigrationProblems.EmptyUp(path, upLine == 0 ? 1 : upLine));

        if (problems.Count > before) return null;
        return new MigrationFile(version, path, timestamp, checksum ?? MigrationText.Checksum(text),
            new MigrationBody(description, hasDescription, up, down, irreversible, reverts, verify));
    }

    /// <summary>The migration a <c>-- strata:reverts VERSION</c> header line names, written by <c>rollback --as-migration</c>.</summary>
    private static string? Reverts(string path, string[] lines, int limit, List<Problem> problems)
    {
        string? reverts = null;
        for (var i = 0; i < limit; i++)
        {
            var line = lines[i].Trim();
            var match = RevertsLine().Match(line);
            if (!match.Success) continue;
            var version = match.Groups["version"].Value.Trim();
            if (!line.StartsWith(RevertsDirective + " ", StringComparison.Ordinal) || !MigrationName.LooksLikeMigration(version))
                problems.Add(MigrationProblems.BadRevertsLine(path, i + 1, line));
            else if (reverts is not null) problems.Add(MigrationProblems.BadRevertsLine(path, i + 1, line));
            else reverts = version;
        }
        return reverts;
    }

    private static MigrationSection Section(string path, string[] lines, int firstLine, int lastLine, SectionOptions options, SectionKind kind, List<Problem> problems)
    {
        var text = firstLine > lastLine ? "" : string.Join('\n', lines, firstLine - 1, lastLine - firstLine + 1);
        var split = SqlSplitter.Split(text, firstLine);
        if (split.Error is { } error)
            problems.Add(MigrationProblems.Syntax(path, error.Line, error.Column, error.Message));
        var section = new MigrationSection(text, firstLine, split.Statements, options);
        if (kind == SectionKind.Verify) problems.AddRange(VerifySectionRules.Check(path, split.Statements));
        // The first BEGIN/COMMIT says it all; its COMMIT partner would only repeat the advice.
        else if (section.IsTransactional && split.Statements.FirstOrDefault(s => s.Facts.IsTransactionControl) is { } control)
            problems.Add(MigrationProblems.TransactionControl(path, control.Line, control.Column, control.Facts.Verb));
        foreach (var statement in split.Statements)
        {
            // COMMIT PREPARED is both; transaction-control above already says what to do.
            if (options.Transaction == true && !statement.Facts.RunsInTransaction && !statement.Facts.IsTransactionControl)
                problems.Add(MigrationProblems.ForcedTransaction(path, statement.Line, statement.Column, statement.Facts.Verb));
            if (RunnerSessionRules.Check(path, statement, text) is { } reset) problems.Add(reset);
        }
        return section;
    }

    private static SectionOptions ParseOptions(string path, MarkerLine marker, List<Problem> problems, out bool irreversible)
    {
        irreversible = false;
        var options = SectionOptions.None;
        var (line, column) = (marker.Line, marker.OptionsColumn);
        foreach (var word in marker.Options.Split(' ', '\t'))
        {
            if (word.Length == 0) { column++; continue; }
            if (marker.Kind == SectionKind.Verify)
            {
                problems.Add(MigrationProblems.VerifyMarkerOption(path, line, column, word));
                column += word.Length + 1;
                continue;
            }
            var colon = word.IndexOf(':');
            var (key, value) = colon < 0 ? (word, "") : (word[..colon], word[(colon + 1)..]);
            switch (key)
            {
                case "irreversible" when marker.Kind == SectionKind.Down && colon < 0:
                    irreversible = true;
                    break;
                case "transaction" when value is "true" or "false":
                    options = options with { Transaction = value == "true" };
                    break;
                case "lock_timeout" when Duration.TryParse(value, out var lockTimeout, out _):
                    options = options with { LockTimeout = lockTimeout };
                    break;
                case "statement_timeout" when Duration.TryParse(value, out var statementTimeout, out _):
                    options = options with { StatementTimeout = statementTimeout };
                    break;
                case "long_tx" when marker.Kind == SectionKind.Up && value == "off":
                    options = options with { LongTx = Duration.From(TimeSpan.Zero) };
                    break;
                // Zero would make every transaction "long"; "off" says what is meant.
                case "long_tx" when marker.Kind == SectionKind.Up && Duration.TryParse(value, out var longTx, out _) && longTx.Value > TimeSpan.Zero:
                    options = options with { LongTx = longTx };
                    break;
                case "transaction" or "lock_timeout" or "statement_timeout":
                case "long_tx" when marker.Kind == SectionKind.Up:
                    problems.Add(MigrationProblems.BadMarkerValue(path, line, column, word));
                    break;
                default:
                    problems.Add(MigrationProblems.UnknownMarkerOption(path, line, column, word));
                    break;
            }
            column += word.Length + 1;
        }
        return options;
    }

    private static void RequireOnlyComments(string path, string[] lines, int count, List<Problem> problems)
    {
        var split = SqlSplitter.Split(string.Join('\n', lines, 0, count));
        if (split.Statements.Count > 0) problems.Add(MigrationProblems.SqlBeforeUp(path, split.Statements[0].Line));
    }

    private static List<string> LeadingComments(string[] lines, int limit)
    {
        var comments = new List<string>();
        for (var i = 0; i < limit; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            if (!line.StartsWith("--", StringComparison.Ordinal)) break;
            comments.Add(line);
        }
        return comments;
    }

    private static (string Text, bool Found) Describe(List<string> comments, string slug)
    {
        foreach (var comment in comments)
        {
            var match = DescriptionLine().Match(comment);
            if (match.Success) return (match.Groups["text"].Value.Trim(), true);
        }
        foreach (var comment in comments)
        {
            var text = comment.TrimStart('-').Trim();
            // Directives to Strata (reverts, lint's strata:ignore) are not what the file does.
            if (text.Length == 0 || FileNameComment().IsMatch(text) || MigrationMarkers.IsMarker(comment) || text.StartsWith("strata:", StringComparison.OrdinalIgnoreCase)) continue;
            return (text, true);
        }
        return (MigrationName.Humanise(slug), false);
    }
}
