using static Strata.Sql.SqlCharacters;

namespace Strata.Sql;

/// <summary>
/// The single left-to-right pass behind <see cref="SqlLexer"/>: each scan finds where the
/// current token ends, then <see cref="MoveTo"/> walks to it keeping line and column.
/// </summary>
internal sealed partial class SqlScanner
{
    private readonly string _text;
    private readonly List<SqlToken> _tokens;
    private int _pos;
    private int _line;
    private int _column = 1;
    private int _tokenLine;
    private int _tokenColumn;
    private SqlSyntaxError? _error;

    internal SqlScanner(string text, int firstLine, List<SqlToken> tokens)
    {
        _text = text;
        _line = firstLine;
        _tokens = tokens;
    }

    internal LexResult Run()
    {
        while (_pos < _text.Length && _error is null)
        {
            var start = _pos;
            _tokenLine = _line;
            _tokenColumn = _column;
            var kind = Scan(out var end);
            _tokens.Add(new SqlToken(kind, start, end - start, _tokenLine, _tokenColumn));
            MoveTo(end);
        }
        return new LexResult(_tokens, _error);
    }

    private SqlTokenKind Scan(out int end)
    {
        var c = _text[_pos];
        var next = CharAt(_pos + 1);
        end = _pos + 1;
        switch (c)
        {
            case ' ' or '\t' or '\n' or '\r' or '\f' or '\v' or '\uFEFF':
                end = ScanWhitespace();
                return SqlTokenKind.Whitespace;
            case '-' when next == '-':
                end = LineEnd(_pos);
                return SqlTokenKind.LineComment;
            case '/' when next == '*':
                end = ScanBlockComment();
                return SqlTokenKind.BlockComment;
            case '\'':
                end = ScanDoubledQuote(_pos + 1, '\'');
                return SqlTokenKind.String;
            case '"':
                end = ScanDoubledQuote(_pos + 1, '"');
                return SqlTokenKind.QuotedIdentifier;
            case '$':
                return ScanDollar(out end);
            case '(':
                return SqlTokenKind.OpenParen;
            case ')':
                return SqlTokenKind.CloseParen;
            case ',':
                return SqlTokenKind.Comma;
            case ';':
                return SqlTokenKind.Semicolon;
            case '[':
                return SqlTokenKind.OpenBracket;
            case ']':
                return SqlTokenKind.CloseBracket;
            case '.' when IsDigit(next):
                end = ScanNumber();
                return SqlTokenKind.Number;
            case '.':
                return SqlTokenKind.Dot;
            case ':' when next is ':' or '=':
                end = _pos + 2;
                return SqlTokenKind.Operator;
            case ':':
                return SqlTokenKind.Colon;
            // psql starts a meta-command at any backslash outside literals and comments, mid-line
            // too ("SELECT 1 \gset", "\;"); to PostgreSQL a backslash there is only a syntax error.
            case '\\':
                end = LineEnd(_pos);
                return SqlTokenKind.PsqlMetaCommand;
        }

        if (IsDigit(c))
        {
            end = ScanNumber();
            return SqlTokenKind.Number;
        }
        if (IsIdentifierStart(c)) return ScanWordOrPrefixedLiteral(c, next, out end);
        if (IsOperatorChar(c)) end = ScanOperator();
        return SqlTokenKind.Operator;
    }

    private SqlTokenKind ScanWordOrPrefixedLiteral(char c, char next, out int end)
    {
        if (next == '\'')
        {
            switch (c)
            {
                case 'e' or 'E':
                    end = ScanEscapeString(_pos + 2);
                    return SqlTokenKind.String;
                case 'b' or 'B' or 'x' or 'X' or 'n' or 'N':
                    end = ScanDoubledQuote(_pos + 2, '\'');
                    return SqlTokenKind.String;
            }
        }
        else if (c is 'u' or 'U' && next == '&')
        {
            switch (CharAt(_pos + 2))
            {
                case '\'':
                    end = ScanDoubledQuote(_pos + 3, '\'');
                    return SqlTokenKind.String;
                case '"':
                    end = ScanDoubledQuote(_pos + 3, '"');
                    return SqlTokenKind.QuotedIdentifier;
            }
        }

        end = _pos + 1;
        while (end < _text.Length && IsIdentifierPart(_text[end])) end++;
        return SqlTokenKind.Word;
    }

    private void MoveTo(int end)
    {
        for (; _pos < end; _pos++)
        {
            var c = _text[_pos];
            if (c == '\n')
            {
                _line++;
                _column = 1;
            }
            else if (!char.IsLowSurrogate(c) && !(c == '\uFEFF' && _pos == 0))
            {
                _column++;
            }
        }
    }

    private int ScanWhitespace()
    {
        var i = _pos + 1;
        while (i < _text.Length && _text[i] is ' ' or '\t' or '\n' or '\r' or '\f' or '\v' or '\uFEFF') i++;
        return i;
    }

    private int LineEnd(int from)
    {
        var newline = _text.IndexOf('\n', from);
        return newline < 0 ? _text.Length : newline;
    }

    private int ScanOperator()
    {
        var i = _pos + 1;
        // PostgreSQL ends an operator where a comment starts: "*--x" is "*" then a comment.
        while (i < _text.Length && IsOperatorChar(_text[i])
            && !(_text[i] == '-' && CharAt(i + 1) == '-')
            && !(_text[i] == '/' && CharAt(i + 1) == '*'))
        {
            i++;
        }
        return i;
    }

    private char CharAt(int index) => index < _text.Length ? _text[index] : '\0';
}
