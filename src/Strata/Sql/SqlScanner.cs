using static Strata.Sql.SqlCharacters;

namespace Strata.Sql;

/// <summary>
/// The single left-to-right pass behind <see cref="SqlLexer"/>: each scan finds where the
/// current token ends, then <see cref="MoveTo"/> walks to it keeping line and column.
/// </summary>
internal sealed partial class SqlScanner
{
    private readonly string text;
    private readonly List<SqlToken> tokens;
    private int pos;
    private int line;
    private int column = 1;
    private int tokenLine;
    private int tokenColumn;
    // psql only treats a backslash as a meta-command when nothing but whitespace precedes it on its line.
    private bool lineHasContent;
    private SqlSyntaxError? error;

    internal SqlScanner(string text, int firstLine)
    {
        this.text = text;
        line = firstLine;
        tokens = new List<SqlToken>(Math.Max(16, text.Length / 3));
    }

    internal LexResult Run()
    {
        while (pos < text.Length && error is null)
        {
            int start = pos;
            tokenLine = line;
            tokenColumn = column;
            SqlTokenKind kind = Scan(out int end);
            tokens.Add(new SqlToken(kind, start, end - start, tokenLine, tokenColumn));
            MoveTo(end);
            if (kind != SqlTokenKind.Whitespace)
            {
                lineHasContent = true;
            }
        }

        return new LexResult(tokens, error);
    }

    private SqlTokenKind Scan(out int end)
    {
        char c = text[pos];
        char next = CharAt(pos + 1);
        end = pos + 1;
        switch (c)
        {
            case ' ' or '\t' or '\n' or '\r' or '\f' or '\v' or '\uFEFF':
                end = ScanWhitespace();
                return SqlTokenKind.Whitespace;
            case '-' when next == '-':
                end = LineEnd(pos);
                return SqlTokenKind.LineComment;
            case '/' when next == '*':
                end = ScanBlockComment();
                return SqlTokenKind.BlockComment;
            case '\'':
                end = ScanDoubledQuote(pos + 1, '\'');
                return SqlTokenKind.String;
            case '"':
                end = ScanDoubledQuote(pos + 1, '"');
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
                end = pos + 2;
                return SqlTokenKind.Operator;
            case ':':
                return SqlTokenKind.Colon;
            case '\\' when !lineHasContent:
                end = LineEnd(pos);
                return SqlTokenKind.PsqlMetaCommand;
        }

        if (IsDigit(c))
        {
            end = ScanNumber();
            return SqlTokenKind.Number;
        }

        if (IsIdentifierStart(c))
        {
            return ScanWordOrPrefixedLiteral(c, next, out end);
        }

        if (IsOperatorChar(c))
        {
            end = ScanOperator();
        }

        return SqlTokenKind.Operator;
    }

    private SqlTokenKind ScanWordOrPrefixedLiteral(char c, char next, out int end)
    {
        if (next == '\'')
        {
            switch (c)
            {
                case 'e' or 'E':
                    end = ScanEscapeString(pos + 2);
                    return SqlTokenKind.String;
                case 'b' or 'B' or 'x' or 'X' or 'n' or 'N':
                    end = ScanDoubledQuote(pos + 2, '\'');
                    return SqlTokenKind.String;
            }
        }
        else if (c is 'u' or 'U' && next == '&')
        {
            switch (CharAt(pos + 2))
            {
                case '\'':
                    end = ScanDoubledQuote(pos + 3, '\'');
                    return SqlTokenKind.String;
                case '"':
                    end = ScanDoubledQuote(pos + 3, '"');
                    return SqlTokenKind.QuotedIdentifier;
            }
        }

        end = pos + 1;
        while (end < text.Length && IsIdentifierPart(text[end]))
        {
            end++;
        }

        return SqlTokenKind.Word;
    }

    private void MoveTo(int end)
    {
        for (; pos < end; pos++)
        {
            char c = text[pos];
            if (c == '\n')
            {
                line++;
                column = 1;
                lineHasContent = false;
            }
            else if (!char.IsLowSurrogate(c) && !(c == '\uFEFF' && pos == 0))
            {
                column++;
            }
        }
    }

    private int ScanWhitespace()
    {
        int i = pos + 1;
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\r' or '\f' or '\v' or '\uFEFF')
        {
            i++;
        }

        return i;
    }

    private int LineEnd(int from)
    {
        int newline = text.IndexOf('\n', from);
        return newline < 0 ? text.Length : newline;
    }

    private int ScanOperator()
    {
        int i = pos + 1;
        // PostgreSQL ends an operator where a comment starts: "*--x" is "*" then a comment.
        while (i < text.Length && IsOperatorChar(text[i])
            && !(text[i] == '-' && CharAt(i + 1) == '-')
            && !(text[i] == '/' && CharAt(i + 1) == '*'))
        {
            i++;
        }

        return i;
    }

    private char CharAt(int index) => index < text.Length ? text[index] : '\0';
}
