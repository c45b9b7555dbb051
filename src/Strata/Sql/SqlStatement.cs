namespace Strata.Sql;

/// <summary>
/// One statement of a script. <see cref="Text"/> is the statement exactly as written, from its
/// first significant token up to (not including) its terminating semicolon, without leading or
/// trailing whitespace and comments. <see cref="Line"/>, <see cref="Column"/> and
/// <see cref="Offset"/> say where <see cref="Text"/> starts in the split input.
/// <see cref="Tokens"/> are the statement's tokens from its first to its last significant one,
/// comments and whitespace between them included; their offsets index the ORIGINAL input
/// given to <see cref="SqlSplitter.Split"/>, not <see cref="Text"/>.
/// </summary>
/// <param name="Text">The statement as written, without its semicolon; what is sent to the server.</param>
/// <param name="Line">1-based line where <see cref="Text"/> starts, counted from the first line given to the split.</param>
/// <param name="Column">1-based column, in characters, where it starts.</param>
/// <param name="Offset">Where it starts in the split input, in UTF-16 units.</param>
/// <param name="Facts">What the statement is, read from its leading keywords.</param>
/// <param name="Tokens">Its tokens, offsets into the original input.</param>
public sealed record SqlStatement(string Text, int Line, int Column, int Offset, StatementFacts Facts, IReadOnlyList<SqlToken> Tokens)
{
    /// <summary>
    /// Maps PostgreSQL's error position (the 1-based character index into <see cref="Text"/>
    /// the server reports when this statement is sent as is) to the line and column in the file.
    /// Positions outside the text are clamped to its first or last character.
    /// </summary>
    public (int Line, int Column) PositionToLineColumn(int position) => PositionToLineColumn(Text, Line, Column, position);

    /// <summary>
    /// The same mapping for any text that starts at <paramref name="line"/> and
    /// <paramref name="column"/>: libpg_query reports its error position the way the server
    /// does, so one walk serves both.
    /// </summary>
    internal static (int Line, int Column) PositionToLineColumn(string text, int line, int column, int position)
    {
        // The server counts characters, not UTF-16 units: a surrogate pair is one position.
        var toSkip = Math.Max(0, position - 1);
        for (var i = 0; i < text.Length - 1 && toSkip > 0; i++, toSkip--)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && char.IsLowSurrogate(text[i + 1])) i++;
            if (c == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }
        return (line, column);
    }
}
