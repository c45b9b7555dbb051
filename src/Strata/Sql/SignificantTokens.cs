namespace Strata.Sql;

/// <summary>
/// A statement's tokens without whitespace and comments, with keyword and name reading.
/// Indexes past either end read as "no token", so callers can look ahead without bounds checks.
/// </summary>
internal sealed class SignificantTokens
{
    private readonly string source;
    private readonly List<SqlToken> tokens;

    public SignificantTokens(string source, IReadOnlyList<SqlToken> all)
    {
        this.source = source;
        tokens = new List<SqlToken>(all.Count);
        foreach (SqlToken token in all)
        {
            if (!token.IsTrivia)
            {
                tokens.Add(token);
            }
        }
    }

    public int Count => tokens.Count;

    public SqlTokenKind? KindAt(int i) => i >= 0 && i < tokens.Count ? tokens[i].Kind : null;

    public bool IsWord(int i, string keyword) =>
        KindAt(i) == SqlTokenKind.Word && tokens[i].SpanIn(source).Equals(keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsAnyWord(int i, params ReadOnlySpan<string> keywords)
    {
        foreach (string keyword in keywords)
        {
            if (IsWord(i, keyword))
            {
                return true;
            }
        }

        return false;
    }

    public string? UpperWordAt(int i) =>
        KindAt(i) == SqlTokenKind.Word ? tokens[i].TextIn(source).ToUpperInvariant() : null;

    public string TextAt(int i) => tokens[i].TextIn(source);

    /// <summary>Index of the first <paramref name="keyword"/> at or after <paramref name="from"/> outside parentheses, or -1.</summary>
    public int IndexOfWord(string keyword, int from)
    {
        int depth = 0;
        for (int i = Math.Max(0, from); i < tokens.Count; i++)
        {
            SqlTokenKind kind = tokens[i].Kind;
            if (kind == SqlTokenKind.OpenParen)
            {
                depth++;
            }
            else if (kind == SqlTokenKind.CloseParen)
            {
                depth--;
            }
            else if (depth == 0 && IsWord(i, keyword))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True when the words appear one after another somewhere in the statement.</summary>
    public bool ContainsWords(params ReadOnlySpan<string> words)
    {
        for (int i = 0; i + words.Length <= tokens.Count; i++)
        {
            int matched = 0;
            while (matched < words.Length && IsWord(i + matched, words[matched]))
            {
                matched++;
            }

            if (matched == words.Length)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>When token i opens a parenthesis, the index just past its matching close; else i.</summary>
    public int SkipParenthesized(int i)
    {
        if (KindAt(i) != SqlTokenKind.OpenParen)
        {
            return i;
        }

        int depth = 0;
        for (; i < tokens.Count; i++)
        {
            if (tokens[i].Kind == SqlTokenKind.OpenParen)
            {
                depth++;
            }
            else if (tokens[i].Kind == SqlTokenKind.CloseParen && --depth == 0)
            {
                return i + 1;
            }
        }

        return i;
    }

    /// <summary>Skips the given words wherever they appear in a row starting at i.</summary>
    public int SkipWords(int i, params ReadOnlySpan<string> words)
    {
        while (IsAnyWord(i, words))
        {
            i++;
        }

        return i;
    }

    /// <summary>Skips IF EXISTS or IF NOT EXISTS at i.</summary>
    public int SkipExistenceGuard(int i)
    {
        if (IsWord(i, "IF") && IsWord(i + 1, "NOT") && IsWord(i + 2, "EXISTS"))
        {
            return i + 3;
        }

        return IsWord(i, "IF") && IsWord(i + 1, "EXISTS") ? i + 2 : i;
    }

    /// <summary>
    /// Reads a dotted name at i: unquoted parts fold to lower case as PostgreSQL folds them
    /// (ASCII only), quoted parts keep their case. Empty when token i is not a name.
    /// </summary>
    public List<string> ReadNameParts(int i)
    {
        var parts = new List<string>(2);
        while (KindAt(i) is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            parts.Add(NamePart(tokens[i]));
            if (KindAt(i + 1) != SqlTokenKind.Dot)
            {
                break;
            }

            i += 2;
        }

        return parts;
    }

    public string? ReadName(int i)
    {
        List<string> parts = ReadNameParts(i);
        return parts.Count == 0 ? null : string.Join('.', parts);
    }

    private string NamePart(SqlToken token)
    {
        ReadOnlySpan<char> text = token.SpanIn(source);
        if (token.Kind == SqlTokenKind.Word)
        {
            return FoldAscii(text);
        }

        int open = text.IndexOf('"');
        ReadOnlySpan<char> inner = text.Length - open >= 2 ? text[(open + 1)..^1] : [];
        return inner.ToString().Replace("\"\"", "\"", StringComparison.Ordinal);
    }

    private static string FoldAscii(ReadOnlySpan<char> word)
    {
        Span<char> folded = word.Length <= 256 ? stackalloc char[word.Length] : new char[word.Length];
        for (int i = 0; i < word.Length; i++)
        {
            char c = word[i];
            folded[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
        }

        return folded.ToString();
    }
}
