namespace Strata.Sql;

/// <summary>
/// Splits a script into statements the way psql does, so each can be sent on its own through
/// a database driver, and refuses what only psql could run.
/// </summary>
public static class SqlSplitter
{
    /// <summary>
    /// Splits <paramref name="text"/> at semicolons outside strings, identifiers, comments,
    /// dollar quotes, parentheses and BEGIN ATOMIC bodies. Empty statements are dropped; a last
    /// statement without a semicolon is kept. <paramref name="firstLine"/> is the file line of the
    /// text's first line.
    /// </summary>
    public static SplitResult Split(string text, int firstLine = 1)
    {
        using var lexed = SqlLexer.LexBorrowed(text, firstLine);
        var tokens = lexed.Tokens;
        var statements = new List<SqlStatement>();
        var nesting = new StatementNesting();
        var first = -1;
        var last = -1;

        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.IsTrivia) continue;
            if (token.Kind == SqlTokenKind.PsqlMetaCommand) return new SplitResult(statements, MetaCommandError(text, token));
            if (token.Kind == SqlTokenKind.Semicolon && !nesting.IsOpen)
            {
                if (first >= 0)
                {
                    var statement = MakeStatement(text, tokens, first, last);
                    // Stop here: the inline data after COPY ... FROM STDIN is not SQL and would not lex.
                    if (CopyFromStdinError(text, statement) is { } copyError) return new SplitResult(statements, copyError);
                    statements.Add(statement);
                }
                first = -1;
                nesting.Reset();
                continue;
            }

            if (first < 0) first = i;
            last = i;
            nesting.OnToken(token.Kind, token.SpanIn(text));
        }

        // An unterminated literal swallows the rest of the text, so the statement it is in is incomplete.
        if (lexed.Error is not null) return new SplitResult(statements, lexed.Error);
        if (first >= 0)
        {
            var statement = MakeStatement(text, tokens, first, last);
            if (CopyFromStdinError(text, statement) is { } copyError) return new SplitResult(statements, copyError);
            statements.Add(statement);
        }
        return new SplitResult(statements, null);
    }

    private static SqlStatement MakeStatement(string text, List<SqlToken> tokens, int first, int last)
    {
        var start = tokens[first];
        var end = tokens[last].End;
        var own = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(tokens).Slice(first, last - first + 1).ToArray();
        var facts = StatementFactsReader.Read(text, own);
        return new SqlStatement(text[start.Offset..end], start.Line, start.Column, start.Offset, facts, own);
    }

    private static SqlSyntaxError MetaCommandError(string text, SqlToken token)
    {
        var command = token.SpanIn(text).TrimEnd();
        var rest = command[1..];
        // psql ends a command's name at whitespace or the next backslash; \; and \: are one character long.
        var length = rest.Length > 0 && rest[0] is ';' or ':' ? 1 : rest.IndexOfAny(" \t\r\\");
        var name = (length < 0 ? command : command[..(length + 1)]).ToString();
        return new SqlSyntaxError(SqlSyntaxErrorKind.PsqlMetaCommand, token.Line, token.Column,
            $"psql meta-command {name} cannot run through a database driver: remove it, or inline as plain SQL what it does");
    }

    private static SqlSyntaxError? CopyFromStdinError(string text, SqlStatement statement) =>
        StatementFactsReader.CopiesFromStdin(text, statement)
            ? new SqlSyntaxError(SqlSyntaxErrorKind.CopyFromStdin, statement.Line, statement.Column,
                "COPY ... FROM STDIN reads inline data that only psql can send: load the rows with INSERT statements, or COPY FROM a file on the database server")
            : null;
}
