using System.Text.RegularExpressions;
using Strata.Sql;

namespace Strata.Migrations;

/// <summary>The section a marker starts.</summary>
internal enum SectionKind
{
    /// <summary><c>-- migrate:up</c>: what <c>up</c> runs.</summary>
    Up,
    /// <summary><c>-- migrate:down</c>: the rollback SQL.</summary>
    Down,
    /// <summary><c>-- migrate:verify</c>: queries that must succeed after up.</summary>
    Verify,
}

/// <summary>A section marker found in a file: <c>-- migrate:up</c>, <c>-- migrate:down</c> or <c>-- migrate:verify</c> and its options.</summary>
/// <param name="Kind">The section the marker starts.</param>
/// <param name="Line">The marker's 1-based file line.</param>
/// <param name="Options">What follows the marker word, e.g. <c>transaction:false lock_timeout:5s</c>.</param>
/// <param name="OptionsColumn">The 1-based column where <paramref name="Options"/> starts.</param>
internal sealed record MarkerLine(SectionKind Kind, int Line, string Options, int OptionsColumn)
{
    /// <summary>"up", "down" or "verify", as written in the marker.</summary>
    public string Word => Kind switch
    {
        SectionKind.Up => "up",
        SectionKind.Down => "down",
        _ => "verify",
    };
}

/// <summary>
/// Finds the section markers of a file with the SQL lexer, so that a marker line inside a
/// dollar-quoted body, a string or a block comment is text, not a marker. A marker is a line
/// comment at column 1: <c>--</c>, optional spaces, <c>migrate:up</c>, <c>migrate:down</c> or
/// <c>migrate:verify</c> in lower case, then nothing or options after a space (dbmate's own
/// rule, so its files read the same). A comment that looks like a marker but is not one is an error, never a comment:
/// read as a comment, a misspelt <c>-- migrate:down</c> runs the rollback SQL as part of up.
/// </summary>
internal static partial class MigrationMarkers
{
    [GeneratedRegex(@"^--\s*migrate:(?<kind>up|down|verify)(?:\s+(?<rest>.*))?$")]
    private static partial Regex Exact();

    // "-- migrate up", "-- Migrate-Down irreversible": the words of a marker without its colon.
    // Anything after the word must look like marker options, so "-- migrate up to 1000 rows"
    // stays an ordinary comment.
    [GeneratedRegex(@"^-*\s*migrate[\s_.\-]*(?<word>[a-z]+)(?<rest>(?:\s+(?:\S+:\S*|irreversible))*)$")]
    private static partial Regex WithoutColon();

    // "-- migrat:up", "-- migarte: down": a misspelt "migrate" before a colon.
    [GeneratedRegex(@"^-*\s*(?<head>[a-z]+)\s*:\s*(?<word>[a-z]+)(?<rest>(?:\s+(?:\S+:\S*|irreversible))*)$")]
    private static partial Regex WordColonWord();

    /// <summary>True when <paramref name="line"/> (trimmed) is exactly a marker; for reading a file's header.</summary>
    public static bool IsMarker(string line) => Exact().IsMatch(line.TrimEnd());

    /// <summary>
    /// The markers of <paramref name="text"/> in file order. Near misses, and markers that do not
    /// start their line, are added to <paramref name="problems"/> and not returned.
    /// </summary>
    public static List<MarkerLine> Find(string path, string text, List<Problem> problems)
    {
        var markers = new List<MarkerLine>();
        // An unterminated string or body swallows the rest of the text, markers included; the
        // section that holds it reports the syntax error, so the error is not repeated here.
        using var lexed = SqlLexer.LexBorrowed(text);
        var tokens = lexed.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind != SqlTokenKind.LineComment || !CouldBeMarker(token.SpanIn(text))) continue;
            var comment = token.TextIn(text).TrimEnd();
            var exact = Exact().Match(comment);
            if (exact.Success && token.Column == 1)
            {
                var rest = exact.Groups["rest"];
                var kind = exact.Groups["kind"].Value switch { "up" => SectionKind.Up, "down" => SectionKind.Down, _ => SectionKind.Verify };
                markers.Add(new MarkerLine(kind, token.Line, rest.Value, rest.Success ? rest.Index + 1 : comment.Length + 1));
                continue;
            }
            if (exact.Success)
            {
                problems.Add(MigrationProblems.MisplacedMarker(path, token.Line, token.Column, comment, FollowsCode(text, tokens, i)));
                continue;
            }
            if (Foreign(comment) is { } foreign)
                problems.Add(MigrationProblems.ForeignMarker(path, token.Line, token.Column, comment, foreign.Tool, foreign.Hint));
            else if (LooksLikeMarker(comment, out var suggestion))
                problems.Add(MigrationProblems.MalformedMarker(path, token.Line, token.Column, comment, suggestion, token.Column != 1));
        }
        return markers;
    }

    /// <summary>
    /// False for the comments that cannot be a marker or a near miss of one: no colon, no plus
    /// (goose, sql-migrate) and no "migrat". Most comments in a file are such prose, and the
    /// checks below allocate; this one does not.
    /// </summary>
    private static bool CouldBeMarker(ReadOnlySpan<char> comment) =>
        comment.IndexOfAny(':', '+') >= 0 || comment.Contains("migrat", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True when the comment is a misspelt dbmate marker. <paramref name="suggestion"/> is the
    /// marker it most likely meant, or null when the word after <c>migrate:</c> is no near miss
    /// of up, down or verify (<c>-- migrate:upgrade</c>).
    /// </summary>
    private static bool LooksLikeMarker(string comment, out string? suggestion)
    {
        suggestion = null;
        var body = comment.StartsWith("--", StringComparison.Ordinal) ? comment[2..] : comment;
        var lower = body.Trim().ToLowerInvariant();
        // Case-folded and with spaces removed, "-- MIGRATE: UP" and "--- migrate :dwon" both read "migrate:".
        var folded = string.Concat(lower.Where(c => !char.IsWhiteSpace(c))).TrimStart('-');
        if (folded.StartsWith("migrate:", StringComparison.Ordinal))
        {
            var afterColon = body[(body.IndexOf(':') + 1)..].TrimStart();
            var wordLength = afterColon.TakeWhile(char.IsAsciiLetter).Count();
            suggestion = Suggest(afterColon[..wordLength].ToLowerInvariant(), afterColon[wordLength..]);
            return true;
        }
        if (WithoutColon().Match(lower) is { Success: true } bare && Nearest(bare.Groups["word"].Value) is { } word)
        {
            suggestion = Suggest(word, body.Trim()[^bare.Groups["rest"].Length..]);
            return true;
        }
        if (WordColonWord().Match(lower) is { Success: true } typo && IsMisspeltMigrate(typo.Groups["head"].Value)
            && Nearest(typo.Groups["word"].Value) is { } meant)
        {
            suggestion = Suggest(meant, body.Trim()[^typo.Groups["rest"].Length..]);
            return true;
        }
        return false;
    }

    /// <summary>
    /// goose (<c>-- +goose Up</c>) and sql-migrate (<c>-- +migrate Down</c>) markers: Strata reads
    /// neither, and a file converted without them would run its down section as part of up.
    /// </summary>
    private static (string Tool, string Hint)? Foreign(string comment)
    {
        var folded = string.Concat(comment.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant().TrimStart('-');
        var (tool, rest) = folded.StartsWith("+goose", StringComparison.Ordinal) ? ("goose", folded[6..])
            : folded.StartsWith("+migrate", StringComparison.Ordinal) ? ("sql-migrate", folded[8..])
            : (null, "");
        if (tool is null) return null;
        var hint = rest switch
        {
            _ when rest.StartsWith("up", StringComparison.Ordinal) && rest.Contains("notransaction", StringComparison.Ordinal) =>
                "Write '-- migrate:up transaction:false' instead.",
            _ when rest.StartsWith("up", StringComparison.Ordinal) => "Write '-- migrate:up' instead.",
            _ when rest.StartsWith("down", StringComparison.Ordinal) => "Write '-- migrate:down' instead.",
            _ when rest.StartsWith("statement", StringComparison.Ordinal) =>
                "Delete the line: Strata splits statements itself and keeps dollar-quoted bodies whole.",
            "notransaction" => "Delete the line and write 'transaction:false' on the '-- migrate:up' line.",
            _ => "Delete the line; Strata's sections are '-- migrate:up', '-- migrate:down' and '-- migrate:verify'.",
        };
        return (tool, hint);
    }

    /// <summary>The marker for <paramref name="word"/> with the options written after it, or null when the word is not up, down or verify.</summary>
    private static string? Suggest(string word, string rest)
    {
        if (Nearest(word) is not { } meant) return null;
        // Options follow a space; "up," or "upgrade" carry nothing worth keeping.
        var options = rest.Length > 0 && char.IsWhiteSpace(rest[0]) ? rest.Trim() : "";
        return options.Length == 0 ? $"-- migrate:{meant}" : $"-- migrate:{meant} {options}";
    }

    /// <summary>up, down or verify when <paramref name="word"/> is one of them or one edit away (dwon, upp, verfy).</summary>
    private static string? Nearest(string word) =>
        word is "up" or "down" or "verify" ? word
        : Distance(word, "down") <= 1 ? "down"
        : Distance(word, "verify") <= 1 ? "verify"
        : Distance(word, "up") <= 1 && word.Length > 1 ? "up"
        : null;

    private static bool IsMisspeltMigrate(string head) =>
        head != "migrate" && (head.StartsWith("migr", StringComparison.Ordinal) || Distance(head, "migrate") <= 2);

    private static bool FollowsCode(string text, IReadOnlyList<SqlToken> tokens, int index)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            var token = tokens[i];
            if (token.Kind != SqlTokenKind.Whitespace) return true;
            if (token.SpanIn(text).Contains('\n')) return false;
        }
        return false;
    }

    /// <summary>Edits (insert, delete, replace, swap two neighbours) from one word to the other.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
