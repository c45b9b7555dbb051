namespace Strata.Sql;

/// <summary>
/// One lexeme of SQL text. <see cref="Offset"/> and <see cref="Length"/> index the text that was
/// lexed (UTF-16 units); <see cref="Line"/> and <see cref="Column"/> are 1-based, columns count
/// characters (a surrogate pair is one column, a leading byte order mark is none).
/// </summary>
/// <param name="Kind">How PostgreSQL's lexer classifies it: word, string, comment, operator, ...</param>
/// <param name="Offset">Where it starts in the lexed text, in UTF-16 units.</param>
/// <param name="Length">How many UTF-16 units it covers.</param>
/// <param name="Line">1-based line of its first character.</param>
/// <param name="Column">1-based column of its first character.</param>
public readonly record struct SqlToken(SqlTokenKind Kind, int Offset, int Length, int Line, int Column)
{
    /// <summary>The offset just past the token.</summary>
    public int End => Offset + Length;

    /// <summary>True for whitespace and comments, which never change what a statement means.</summary>
    public bool IsTrivia => Kind is SqlTokenKind.Whitespace or SqlTokenKind.LineComment or SqlTokenKind.BlockComment;

    /// <summary>The token's text, cut from the text it was lexed from.</summary>
    public string TextIn(string source) => source.Substring(Offset, Length);

    /// <summary>The token's text without allocating.</summary>
    public ReadOnlySpan<char> SpanIn(string source) => source.AsSpan(Offset, Length);
}
