using static Strata.Sql.SqlCharacters;

namespace Strata.Sql;

/// <summary>Strings, quoted identifiers, dollar quotes, comments and numbers.</summary>
internal sealed partial class SqlScanner
{
    // Used for '...' strings (standard_conforming_strings = on: backslash is an ordinary
    // character), U&'...', B'...', X'...', N'...' and "quoted identifiers": a doubled quote is
    // the only escape.
    private int ScanDoubledQuote(int from, char quote)
    {
        var i = from;
        while (true)
        {
            var close = _text.IndexOf(quote, i);
            if (close < 0)
            {
                Fail(quote == '"'
                    ? new(SqlSyntaxErrorKind.UnterminatedQuotedIdentifier, _tokenLine, _tokenColumn,
                        "unterminated quoted identifier starting here: add the closing double quote (write \"\" for a double quote inside the name)")
                    : new(SqlSyntaxErrorKind.UnterminatedString, _tokenLine, _tokenColumn,
                        "unterminated string literal starting here: add the closing single quote (write '' for a quote inside the string)"));
                return _text.Length;
            }
            if (CharAt(close + 1) != quote) return close + 1;
            i = close + 2;
        }
    }

    // In E'...' a backslash escapes the next character, so E'it\'s' is one string and E'\\' ends.
    private int ScanEscapeString(int from)
    {
        var i = from;
        while (i < _text.Length)
        {
            var hit = _text.AsSpan(i).IndexOfAny('\\', '\'');
            if (hit < 0) break;
            i += hit;
            if (_text[i] == '\\' || CharAt(i + 1) == '\'')
            {
                i += 2;
                continue;
            }
            return i + 1;
        }

        Fail(new(SqlSyntaxErrorKind.UnterminatedEscapeString, _tokenLine, _tokenColumn,
            "unterminated escape string E'...' starting here: add the closing quote (a backslash escapes the next character, so \\' does not end the string)"));
        return _text.Length;
    }

    // "$1" is a parameter; "$tag$" opens a dollar quote when the tag is an identifier without "$";
    // the body ends only at the same tag, so other tags and "$$" inside it are plain text.
    private SqlTokenKind ScanDollar(out int end)
    {
        if (IsDigit(CharAt(_pos + 1)))
        {
            end = _pos + 2;
            while (end < _text.Length && IsDigit(_text[end])) end++;
            return SqlTokenKind.Parameter;
        }

        var tagEnd = _pos + 1;
        while (tagEnd < _text.Length && (IsIdentifierStart(_text[tagEnd]) || IsDigit(_text[tagEnd]))) tagEnd++;
        if (CharAt(tagEnd) != '$')
        {
            end = _pos + 1;
            return SqlTokenKind.Operator;
        }

        var delimiter = _text[_pos..(tagEnd + 1)];
        var close = _text.IndexOf(delimiter, tagEnd + 1, StringComparison.Ordinal);
        if (close < 0)
        {
            Fail(new(SqlSyntaxErrorKind.UnterminatedDollarQuote, _tokenLine, _tokenColumn,
                $"unterminated dollar-quoted string {delimiter} starting here: add the closing {delimiter}"));
            end = _text.Length;
        }
        else
        {
            end = close + delimiter.Length;
        }
        return SqlTokenKind.DollarString;
    }

    // PostgreSQL block comments nest: "/* a /* b */ c */" is one comment.
    private int ScanBlockComment()
    {
        var depth = 1;
        var i = _pos + 2;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (c == '/' && CharAt(i + 1) == '*')
            {
                depth++;
                i += 2;
            }
            else if (c == '*' && CharAt(i + 1) == '/')
            {
                i += 2;
                if (--depth == 0) return i;
            }
            else
            {
                i++;
            }
        }

        Fail(new(SqlSyntaxErrorKind.UnterminatedBlockComment, _tokenLine, _tokenColumn,
            "unterminated block comment starting here: add the closing */ (block comments nest, so each /* inside it needs its own */)"));
        return _text.Length;
    }

    private int ScanNumber()
    {
        var i = _pos;
        if (_text[i] == '0' && CharAt(i + 1) is 'x' or 'X' or 'o' or 'O' or 'b' or 'B')
        {
            i += 2;
            while (i < _text.Length && (char.IsAsciiLetterOrDigit(_text[i]) || _text[i] == '_')) i++;
            return i;
        }

        i = SkipDigits(i);
        // "1..10" is not a number followed by ".10"; only a single dot starts a fraction.
        if (CharAt(i) == '.' && CharAt(i + 1) != '.') i = SkipDigits(i + 1);
        if (CharAt(i) is 'e' or 'E')
        {
            var exponent = CharAt(i + 1) is '+' or '-' ? i + 2 : i + 1;
            if (IsDigit(CharAt(exponent))) i = SkipDigits(exponent);
        }
        return i;
    }

    private int SkipDigits(int i)
    {
        while (i < _text.Length && (IsDigit(_text[i]) || _text[i] == '_')) i++;
        return i;
    }

    private void Fail(SqlSyntaxError found) => _error ??= found;
}
