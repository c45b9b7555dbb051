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
        return new SqlScanner(text, firstLine).Run();
    }
}
