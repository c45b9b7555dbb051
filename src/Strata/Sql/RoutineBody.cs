namespace Strata.Sql;

/// <summary>
/// The quoted body of a DO block or of a CREATE FUNCTION/PROCEDURE, and where it sits in the
/// file. PL/pgSQL numbers a body's lines from the start of the string, so its line 1 is the
/// line of the opening quote: a line it reports (in an error's CONTEXT, or plpgsql_check's
/// lineno) is that file line plus the number, minus one.
/// </summary>
internal sealed class RoutineBody
{
    private readonly string _source;
    private readonly SqlToken _quote;
    private readonly int _start;
    private readonly int _end;
    private readonly int _startColumn;

    private RoutineBody(string source, SqlToken quote)
    {
        _source = source;
        _quote = quote;
        var text = quote.SpanIn(source);
        // $tag$...$tag$, or '...' with an optional E, U& or N prefix: the delimiters are ASCII,
        // so their length in characters is their length in UTF-16 units.
        var delimiter = quote.Kind == SqlTokenKind.DollarString ? text[1..].IndexOf('$') + 2 : text.IndexOf('\'') + 1;
        var closing = quote.Kind == SqlTokenKind.DollarString ? delimiter : 1;
        _start = quote.Offset + delimiter;
        _end = Math.Max(_start, quote.End - (text.Length >= delimiter + closing ? closing : 0));
        _startColumn = quote.Column + delimiter;
    }

    /// <summary>The file line of the opening quote: the body's line 1.</summary>
    public int OpeningLine => _quote.Line;

    /// <summary>The file line of the body's line <paramref name="bodyLine"/>, as PL/pgSQL counts.</summary>
    public int FileLine(int bodyLine) => _quote.Line + bodyLine - 1;

    /// <summary>
    /// The body of a DO block (the first string after DO, whichever side of LANGUAGE it is on), or of
    /// a CREATE FUNCTION or PROCEDURE (the string after AS); null for a BEGIN ATOMIC body, or any
    /// other statement. <paramref name="source"/> is the text the statement's tokens index.
    /// </summary>
    public static RoutineBody? Of(string source, SqlStatement statement)
    {
        var tokens = new SignificantTokens(source, statement.Tokens);
        List<SqlToken> significant = [.. statement.Tokens.Where(t => !t.IsTrivia)];
        if (statement.Facts.Verb == "DO")
        {
            for (var i = 1; i < significant.Count; i++)
                if (IsQuote(significant[i])) return new RoutineBody(source, significant[i]);
            return null;
        }
        if (statement.Facts.Verb is not ("CREATE FUNCTION" or "CREATE PROCEDURE")) return null;
        // The argument list may hold defaults with AS in them no more than strings; its end is the
        // first parenthesis closed at depth zero after the name.
        var open = 0;
        while (open < tokens.Count && tokens.KindAt(open) != SqlTokenKind.OpenParen) open++;
        for (var i = tokens.IndexOfWord("AS", tokens.SkipParenthesized(open)); i >= 0; i = tokens.IndexOfWord("AS", i + 1))
            if (i + 1 < significant.Count && IsQuote(significant[i + 1])) return new RoutineBody(source, significant[i + 1]);
        return null;
    }

    /// <summary>
    /// Where the statement PL/pgSQL reported on <paramref name="bodyLine"/> starts: the first code
    /// on that line of the body. Null when the body has no such line.
    /// </summary>
    public (int Line, int Column)? StartOf(int bodyLine)
    {
        if (LineStart(bodyLine) is not { } offset) return null;
        while (offset < _end && _source[offset] is ' ' or '\t' or '\r') offset++;
        if (offset >= _end || _source[offset] == '\n') offset = LineStart(bodyLine)!.Value;
        return At(offset);
    }

    /// <summary>
    /// The file line and column of <paramref name="position"/> (1-based, in characters, as the
    /// server counts) in <paramref name="query"/>, the SQL of a statement or expression that
    /// PL/pgSQL ran for <paramref name="bodyLine"/>: found where that text is written, on that
    /// line or just after it (an IF's condition may start on the next line). PL/pgSQL runs a
    /// PERFORM as SELECT, and before PostgreSQL 14 an expression as "SELECT expr", so a query
    /// starting with SELECT is also looked for without it. Null when the text is not written in
    /// the body as is (dynamic SQL built by EXECUTE, quotes doubled in a '...' body).
    /// </summary>
    public (int Line, int Column)? Locate(int bodyLine, string query, int position)
    {
        if (LineStart(bodyLine) is not { } from || query.Length == 0) return null;
        var found = IndexOf(query, from);
        const string select = "SELECT ";
        if (found < 0 && query.StartsWith(select, StringComparison.OrdinalIgnoreCase) && query.Length > select.Length)
        {
            found = IndexOf(query[select.Length..], from);
            position = Math.Max(1, position - select.Length);
            query = query[select.Length..];
        }
        if (found < 0) return null;
        var (line, column) = At(found);
        return SqlStatement.PositionToLineColumn(query, line, column, position);
    }

    private int IndexOf(string text, int from)
    {
        var index = _source.IndexOf(text, from, _end - from, StringComparison.Ordinal);
        return index >= 0 && index + text.Length <= _end ? index : -1;
    }

    // The offset in the source where the body's line starts (line 1: just after the opening quote).
    private int? LineStart(int bodyLine)
    {
        if (bodyLine < 1) return null;
        var offset = _start;
        for (var line = 1; line < bodyLine; line++)
        {
            var newline = _source.IndexOf('\n', offset, _end - offset);
            if (newline < 0) return null;
            offset = newline + 1;
        }
        return offset;
    }

    // The file line and column of a source offset inside the body, columns in characters.
    private (int Line, int Column) At(int offset)
    {
        var (line, column) = (_quote.Line, _startColumn);
        for (var i = _start; i < offset; i++)
        {
            if (_source[i] == '\n') (line, column) = (line + 1, 1);
            else if (!char.IsLowSurrogate(_source[i]) || i == 0 || !char.IsHighSurrogate(_source[i - 1])) column++;
        }
        return (line, column);
    }

    private static bool IsQuote(SqlToken token) => token.Kind is SqlTokenKind.DollarString or SqlTokenKind.String;
}
