using System.Globalization;
using System.Text.RegularExpressions;

namespace Strata.Migrations;

/// <summary>
/// The naming rule: <c>YYYYMMDDHHMMSS_snake_case_description.sql</c>, the 14 digits a real UTC
/// date-time that orders the files. The whole file name is the version recorded in history.
/// </summary>
internal static partial class MigrationName
{
    [GeneratedRegex(@"^\d{14}_[A-Za-z0-9][A-Za-z0-9_]*\.sql\z")]
    private static partial Regex Pattern();

    /// <summary>
    /// True for a name that is almost a migration's but would not be read as one: <c>.sql</c> in
    /// another case (<c>X.SQL</c>, <c>X.Sql</c>, which a case-insensitive file system shows as the
    /// same file and Linux does not), or <c>.sql</c> followed by spaces or dots. A suffix after
    /// <c>.sql</c> (<c>.sql.bak</c>, <c>.sql.orig</c>, <c>.sql~</c>) sets a file aside on purpose.
    /// </summary>
    public static bool IsNearMiss(string fileName)
    {
        var trimmed = fileName.TrimEnd(' ', '\t', '.');
        return trimmed.EndsWith(".sql", StringComparison.OrdinalIgnoreCase) && (trimmed.Length != fileName.Length || !trimmed.EndsWith(".sql", StringComparison.Ordinal));
    }

    /// <summary>
    /// The longest slug <c>strata new</c> writes. File systems stop at 255 bytes for a name (the
    /// slug's share is 236), but the version is also what people read in status tables, type
    /// after --to and see in commit titles: the details belong in the file's first comment line.
    /// </summary>
    public const int MaxNewSlugLength = 100;

    /// <summary>The 14-digit ordering key of a well-formed name.</summary>
    public static string Stamp(string fileName) => fileName[..14];

    /// <summary>Parses a file name; returns a problem instead when it breaks the rule.</summary>
    public static bool TryParse(string fileName, out DateTime timestamp, out string slug, out Problem? problem)
    {
        timestamp = default;
        slug = "";
        problem = null;
        // IsMatch, then slices: the pattern fixes where the stamp and the slug are, and a Match
        // with its groups, per file, was most of what reading a thousand names allocated.
        if (!Pattern().IsMatch(fileName))
        {
            problem = MigrationProblems.InvalidFileName(fileName);
            return false;
        }
        if (!DateTime.TryParseExact(fileName.AsSpan(0, 14), "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out timestamp))
        {
            problem = MigrationProblems.InvalidTimestamp(fileName);
            return false;
        }
        slug = fileName[15..^4];
        return true;
    }

    /// <summary>True when <paramref name="fileName"/> follows the naming rule.</summary>
    public static bool LooksLikeMigration(string fileName) => TryParse(fileName, out _, out _, out _);

    /// <summary>"add_tool_calls" → "Add tool calls": the description of a file that has none.</summary>
    public static string Humanise(string slug)
    {
        var words = slug.Replace('_', ' ').Trim();
        return words.Length == 0 ? slug : char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>A valid name for a new migration created at <paramref name="utcNow"/>.</summary>
    public static string ForNew(DateTime utcNow, string name) =>
        $"{utcNow:yyyyMMddHHmmss}_{Slugify(name)}.sql";

    /// <summary>Folds free text ("Add user email!") into the snake_case slug a file name needs.</summary>
    public static string Slugify(string name)
    {
        var chars = new List<char>(name.Length);
        foreach (var c in name.Trim())
        {
            if (char.IsAsciiLetterOrDigit(c)) chars.Add(char.ToLowerInvariant(c));
            else if (chars.Count > 0 && chars[^1] != '_') chars.Add('_');
        }
        while (chars.Count > 0 && chars[^1] == '_') chars.RemoveAt(chars.Count - 1);
        return new string([.. chars]);
    }
}
