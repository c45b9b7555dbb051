namespace Strata.Sql;

/// <summary>
/// PostgreSQL's lexical rules with <c>standard_conforming_strings = on</c>, as psql applies them
/// when it splits a file: enough to know where statements end, not a full parser.
/// </summary>
public static class SqlLexer
{
    /// <summary>
    /// Lexes the whole text in one pass. Lines and columns are 1-based; <paramref name="firstLine"/>
    /// is the line number of the text's first line, so a section cut from a file keeps file lines.
    /// </summary>
    public static LexResult Lex(string text, int firstLine = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new SqlScanner(text, firstLine, new List<SqlToken>(Math.Max(16, text.Length / 3))).Run();
    }

    [ThreadStatic]
    private static List<SqlToken>? t_spare;

    /// <summary>
    /// Lexes into the thread's spare token list, for a caller that reads the tokens and lets them
    /// go (the splitter copies each statement's own; marker and suppression search keep none).
    /// Lint reads a thousand files, and a fresh list per file and section was a tenth of its
    /// allocations. Dispose the result to give the list back; a nested call gets a list of its own.
    /// </summary>
    internal static BorrowedTokens LexBorrowed(string text, int firstLine = 1)
    {
        var tokens = t_spare ?? new List<SqlToken>(Math.Max(16, text.Length / 3));
        t_spare = null;
        tokens.Clear();
        var lexed = new SqlScanner(text, firstLine, tokens).Run();
        return new BorrowedTokens(tokens, lexed.Error);
    }

    /// <summary>Tokens lexed into a borrowed list: read them before <see cref="Dispose"/>, which gives the list back.</summary>
    internal readonly struct BorrowedTokens(List<SqlToken> tokens, SqlSyntaxError? error) : IDisposable
    {
        public List<SqlToken> Tokens => tokens;

        public SqlSyntaxError? Error => error;

        public void Dispose()
        {
            // A list grown by one huge file is not kept for the rest of the run.
            if (tokens.Capacity <= 1 << 16) t_spare = tokens;
        }
    }
}
