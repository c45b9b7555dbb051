using System.Text.RegularExpressions;
using Strata.Sql;

namespace Strata.Linting;

/// <summary>One <c>-- strata:ignore RULE reason</c> comment.</summary>
/// <param name="Rule">The rule it silences.</param>
/// <param name="Reason">Why; required.</param>
/// <param name="Line">The comment's file line.</param>
/// <param name="Column">Its column.</param>
internal sealed record Suppression(string Rule, string? Reason, int Line, int Column)
{
    /// <summary>Set when a finding was silenced by it; an unused suppression is itself reported.</summary>
    public bool Used { get; set; }
}

/// <summary>
/// The <c>-- strata:ignore RULE reason text</c> comments of a file. One applies to the first
/// statement that starts after it (the line before a statement, as squawk and eslint do). A
/// suppression without a reason, or naming no rule lint knows, is an error; one that silenced
/// nothing is a warning, so stale ones do not pile up.
/// </summary>
internal static partial class Suppressions
{
    [GeneratedRegex(@"^--\s*strata:ignore(?:\s+(?<rule>\S+))?(?:\s+(?<reason>.*\S))?\s*$")]
    private static partial Regex IgnoreLine();

    /// <summary>The suppressions written in <paramref name="text"/> (line comments only, so one inside a string or body is text).</summary>
    public static List<Suppression> Find(string text)
    {
        var found = new List<Suppression>();
        // Most files have none: the whole-file lex is spared unless the word is there at all.
        if (!text.Contains("strata:ignore", StringComparison.Ordinal)) return found;
        foreach (var token in SqlLexer.Lex(text).Tokens.Where(t => t.Kind == SqlTokenKind.LineComment))
        {
            var match = IgnoreLine().Match(token.TextIn(text).TrimEnd());
            if (!match.Success) continue;
            found.Add(new Suppression(match.Groups["rule"].Value, match.Groups["reason"].Success ? match.Groups["reason"].Value : null, token.Line, token.Column));
        }
        return found;
    }

    /// <summary>
    /// The suppression that applies to a finding of <paramref name="rule"/> at <paramref name="findingLine"/>:
    /// one written after the previous statement and before the statement the finding is in
    /// (<paramref name="statementLines"/> are the statements' first lines). A finding on the file
    /// as a whole (line 1) is silenced by one written before the first statement.
    /// </summary>
    public static Suppression? For(IReadOnlyList<Suppression> suppressions, IReadOnlyList<int> statementLines, string rule, int findingLine)
    {
        var first = statementLines.Count > 0 ? statementLines[0] : int.MaxValue;
        if (findingLine == 1 && first > 1) return suppressions.FirstOrDefault(s => s.Rule == rule && s.Reason is not null && s.Line < first);
        var start = statementLines.LastOrDefault(l => l <= findingLine, 1);
        var previous = statementLines.LastOrDefault(l => l < start, 0);
        return suppressions.FirstOrDefault(s => s.Rule == rule && s.Reason is not null && s.Line > previous && s.Line < start);
    }
}
