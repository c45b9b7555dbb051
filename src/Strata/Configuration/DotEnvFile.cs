namespace Strata.Configuration;

/// <summary>
/// The project's <c>.env</c> file, read the way dbmate and the Supabase CLI read it, so a
/// <c>DATABASE_URL</c> kept there works without exporting it. A variable set in the real
/// environment wins. Lines are <c>KEY=value</c>, optionally <c>export KEY=value</c>, with the
/// value bare (a trailing <c># comment</c> after a space is dropped), in double quotes (with
/// <c>\n</c>, <c>\"</c> and <c>\\</c> escapes) or in single quotes (taken as written); blank
/// lines and <c># comments</c> are skipped. A line that is none of these is an error naming
/// its line, never skipped: a half-read .env would send a command to the wrong database.
/// (dotenv.net was considered; it passes over a malformed line without a word.)
/// </summary>
internal static class DotEnvFile
{
    public const string FileName = ".env";

    /// <summary>The variables of <paramref name="path"/>; empty when there is no such file. Throws <see cref="StrataException"/> for a malformed line.</summary>
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return values;
        var lines = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart();
            var equals = line.IndexOf('=');
            var key = equals > 0 ? line[..equals].Trim() : "";
            if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(key[0]))
                throw new StrataException(Malformed(path, i + 1, "is not KEY=value"));
            var raw = line[(equals + 1)..].Trim();
            values[key] = Value(raw, path, i + 1);
        }
        return values;
    }

    private static string Value(string raw, string path, int line)
    {
        if (raw.Length == 0) return "";
        if (raw[0] is '"' or '\'')
        {
            var quote = raw[0];
            var end = raw.IndexOf(quote, 1);
            // A double-quoted value may hold escaped quotes: find the closing one that is not escaped.
            if (quote == '"')
            {
                end = -1;
                for (var j = 1; j < raw.Length; j++)
                {
                    if (raw[j] == '\\') { j++; continue; }
                    if (raw[j] == '"') { end = j; break; }
                }
            }
            if (end < 0) throw new StrataException(Malformed(path, line, $"opens a {(quote == '"' ? "double" : "single")} quote it never closes (values on several lines are not read)"));
            var rest = raw[(end + 1)..].Trim();
            if (rest.Length > 0 && !rest.StartsWith('#')) throw new StrataException(Malformed(path, line, "has text after the closing quote"));
            var inner = raw[1..end];
            return quote == '\'' ? inner : inner.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }
        var comment = raw.IndexOf(" #", StringComparison.Ordinal);
        return (comment >= 0 ? raw[..comment] : raw).Trim();
    }

    // The line itself is not quoted: it may hold a password.
    private static Problem Malformed(string path, int line, string what) => new(ProblemKind.BadInput, "bad-dotenv",
        $"line {line} of the .env file {what}.", path, line,
        Hint: "Write KEY=value (or export KEY=value, or KEY=\"value\"), or start the line with # to make it a comment. Variables in the real environment win over the file.");
}
