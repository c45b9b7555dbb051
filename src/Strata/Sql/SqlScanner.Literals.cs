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
        int i = from;
        while (true)
        {
            int close = text.IndexOf(quote, i);
            if (close < 0)
            {
                Fail(quote == '"'
                    ? new(SqlSyntaxErrorKind.UnterminatedQuotedIdentifier, tokenLine, tokenColumn,
                        "unterminated quoted identifier starting here: add the closing double quote (write \"\" for a double quote inside the name)")
                    : new(SqlSyntaxErrorKind.UnterminatedString, tokenLine, tokenColumn,
                        "unterminated string literal starting here: add the closing single quote (write '' for a quote inside the string)"));
                return text.Length;
            }

            if (CharAt(close + 1) != quote)
            {
                return close + 1;
            }

            i = close + 2;
        }
    }

    // In E'...' a backslash escapes the next character, so E'it\'s' is one string and E'\\' ends.
    private int ScanEscapeString(int from)
    {
        int i = from;
        while (i < text.Length)
        {
            int hit = text.AsSpan(i).IndexOfAny('\\', '\'');
            if (hit < 0)
            {
                break;
            }

            i += hit;
            if (text[i] == '\\' || CharAt(i + 1) == '\'')
            {
                i += 2;
                continue;
            }

            return i + 1;
        }

        Fail(new(SqlSyntaxErrorKind.UnterminatedEscapeString, tokenLine, tokenColumn,
            "unterminated escape string E'...' starting here: add the closing quote (a backslash escapes the next character, so \\' does not end the string)"));
        return text.Length;
    }

    // "$1" is a parameter; "$tag$" opens a dollar quote when the tag is an identifier without "$";
    // the body ends only at the same tag, so other tags and "$$" inside it are plain text.
    private SqlTokenKind ScanDollar(out int end)
    {
        if (IsDigit(CharAt(pos + 1)))
        {
            end = pos + 2;
            while (end < text.Length && IsDigit(text[end]))
            {
                end++;
            }

            return SqlTokenKind.Parameter;
        }

        int tagEnd = pos + 1;
        while (tagEnd < text.Length && (IsIdentifierStart(text[tagEnd]) || IsDigit(text[tagEnd])))
        {
            tagEnd++;
        }

        if (CharAt(tagEnd) != '$')
        {
            end = pos + 1;
            return SqlTokenKind.Operator;
        }

        string delimiter = text.Substring(pos, tagEnd + 1 - pos);
        int close = text.IndexOf(delimiter, tagEnd + 1, StringComparison.Ordinal);
        if (close < 0)
        {
            Fail(new(SqlSyntaxErrorKind.UnterminatedDollarQuote, tokenLine, tokenColumn,
                $"unterminated dollar-quoted string {delimiter} starting here: add the closing {delimiter}"));
            end = text.Length;
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
        int depth = 1;
        int i = pos + 2;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '/' && CharAt(i + 1) == '*')
            {
                depth++;
                i += 2;
            }
            else if (c == '*' && CharAt(i + 1) == '/')
            {
                i += 2;
                if (--depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        Fail(new(SqlSyntaxErrorKind.UnterminatedBlockComment, tokenLine, tokenColumn,
            "unterminated block comment starting here: add the closing */ (block comments nest, so each /* inside it needs its own */)"));
        return text.Length;
    }

    private int ScanNumber()
    {
        int i = pos;
        if (text[i] == '0' && CharAt(i + 1) is 'x' or 'X' or 'o' or 'O' or 'b' or 'B')
        {
            i += 2;
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }

            return i;
        }

        i = SkipDigits(i);
        // "1..10" is not a number followed by ".10"; only a single dot starts a fraction.
        if (CharAt(i) == '.' && CharAt(i + 1) != '.')
        {
            i = SkipDigits(i + 1);
        }

        if (CharAt(i) is 'e' or 'E')
        {
            int exponent = CharAt(i + 1) is '+' or '-' ? i + 2 : i + 1;
            if (IsDigit(CharAt(exponent)))
            {
                i = SkipDigits(exponent);
            }
        }

        return i;
    }

    private int SkipDigits(int i)
    {
        while (i < text.Length && (IsDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }

        return i;
    }

    private void Fail(SqlSyntaxError found) => error ??= found;
}
