namespace Strata.Sql;

/// <summary>
/// A statement's tokens without whitespace and comments, with keyword and name reading.
/// Indexes past either end read as "no token", so callers can look ahead without bounds checks.
/// </summary>
internal sealed class SignificantTokens
{
    private readonly string _source;
    private readonly List<SqlToken> _tokens;

    public SignificantTokens(string source, IReadOnlyList<SqlToken> all)
    {
        _source = source;
        _tokens = new List<SqlToken>(all.Count);
        foreach (var token in all)
        {
            if (!token.IsTrivia) _tokens.Add(token);
        }
    }

    public int Count => _tokens.Count;

    public SqlTokenKind? KindAt(int i) => i >= 0 && i < _tokens.Count ? _tokens[i].Kind : null;

    public bool IsWord(int i, string keyword) =>
        KindAt(i) == SqlTokenKind.Word && _tokens[i].SpanIn(_source).Equals(keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsAnyWord(int i, params ReadOnlySpan<string> keywords)
    {
        foreach (var keyword in keywords)
        {
            if (IsWord(i, keyword)) return true;
        }
        return false;
    }

    public string? UpperWordAt(int i) =>
        KindAt(i) == SqlTokenKind.Word ? _tokens[i].TextIn(_source).ToUpperInvariant() : null;

    public string TextAt(int i) => _tokens[i].TextIn(_source);

    /// <summary>Index of the first <paramref name="keyword"/> at or after <paramref name="from"/> outside parentheses, or -1.</summary>
    public int IndexOfWord(string keyword, int from)
    {
        var depth = 0;
        for (var i = Math.Max(0, from); i < _tokens.Count; i++)
        {
            var kind = _tokens[i].Kind;
            if (kind == SqlTokenKind.OpenParen) depth++;
            else if (kind == SqlTokenKind.CloseParen) depth--;
            else if (depth == 0 && IsWord(i, keyword)) return i;
        }
        return -1;
    }

    /// <summary>True when the words appear one after another somewhere in the statement.</summary>
    public bool ContainsWords(params ReadOnlySpan<string> words)
    {
        for (var i = 0; i + words.Length <= _tokens.Count; i++)
        {
            var matched = 0;
            while (matched < words.Length && IsWord(i + matched, words[matched])) matched++;
            if (matched == words.Length) return true;
        }
        return false;
    }

    /// <summary>When token i opens a parenthesis, the index just past its matching close; else i.</summary>
    public int SkipParenthesized(int i)
    {
        if (KindAt(i) != SqlTokenKind.OpenParen) return i;
        var depth = 0;
        for (; i < _tokens.Count; i++)
        {
            if (_tokens[i].Kind == SqlTokenKind.OpenParen) depth++;
            else if (_tokens[i].Kind == SqlTokenKind.CloseParen && --depth == 0) return i + 1;
        }
        return i;
    }

    /// <summary>Skips the given words wherever they appear in a row starting at i.</summary>
    public int SkipWords(int i, params ReadOnlySpan<string> words)
    {
        while (IsAnyWord(i, words)) i++;
        return i;
    }

    /// <summary>Skips IF EXISTS or IF NOT EXISTS at i.</summary>
    public int SkipExistenceGuard(int i)
    {
        if (IsWord(i, "IF") && IsWord(i + 1, "NOT") && IsWord(i + 2, "EXISTS")) return i + 3;
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
            parts.Add(NamePart(_tokens[i]));
            if (KindAt(i + 1) != SqlTokenKind.Dot) break;
            i += 2;
        }
        return parts;
    }

    public string? ReadName(int i)
    {
        var parts = ReadNameParts(i);
        return parts.Count == 0 ? null : string.Join('.', parts);
    }

    private string NamePart(SqlToken token)
    {
        var text = token.SpanIn(_source);
        if (token.Kind == SqlTokenKind.Word) return FoldAscii(text);
        var open = text.IndexOf('"');
        var inner = text.Length - open >= 2 ? text[(open + 1)..^1] : [];
        return inner.ToString().Replace("\"\"", "\"", StringComparison.Ordinal);
    }

    private static string FoldAscii(ReadOnlySpan<char> word)
    {
        var folded = word.Length <= 256 ? stackalloc char[word.Length] : new char[word.Length];
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            folded[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
        }
        return folded.ToString();
    }
}
