// TEMPORARY: replaced by the real lexer/splitter from the sql branch before merge.
namespace Strata.Sql;

public enum SqlTokenKind { Word, QuotedIdentifier, String, DollarString, Number, Parameter, Operator, OpenParen, CloseParen, Comma, Semicolon, Dot, Colon, OpenBracket, CloseBracket, LineComment, BlockComment, Whitespace, PsqlMetaCommand }
public readonly record struct SqlToken(SqlTokenKind Kind, int Offset, int Length, int Line, int Column);
public enum SqlSyntaxErrorKind { UnterminatedString, UnterminatedEscapeString, UnterminatedQuotedIdentifier, UnterminatedDollarQuote, UnterminatedBlockComment, PsqlMetaCommand, CopyFromStdin, TransactionControl }
public sealed record SqlSyntaxError(SqlSyntaxErrorKind Kind, int Line, int Column, string Message);
public sealed record StatementFacts(string Verb, string? Target, bool Concurrently, bool IfNotExistsOrIfExists, bool RunsInTransaction, bool IsTransactionControl);
public sealed record SqlStatement(string Text, int Line, int Column, int Offset, StatementFacts Facts, IReadOnlyList<SqlToken> Tokens)
{
    public (int Line, int Column) PositionToLineColumn(int position)
    {
        var line = Line; var col = Column;
        for (var i = 0; i < position - 1 && i < Text.Length; i++) { if (Text[i] == '\n') { line++; col = 1; } else col++; }
        return (line, col);
    }
}
public sealed record SplitResult(IReadOnlyList<SqlStatement> Statements, SqlSyntaxError? Error);
public static class SqlSplitter
{
    public static SplitResult Split(string text, int firstLine = 1)
    {
        var list = new List<SqlStatement>();
        var start = 0;
        foreach (var part in text.Split(';'))
        {
            var trimmed = string.Join('\n', part.Split('\n').Where(l => !l.TrimStart().StartsWith("--"))).Trim();
            if (trimmed.Length > 0)
            {
                var off = text.IndexOf(trimmed, start, StringComparison.Ordinal);
                var line = firstLine + text[..Math.Max(off, 0)].Count(c => c == '\n');
                var words = trimmed.Split((char[])[' ', '\n', '\t', '('], StringSplitOptions.RemoveEmptyEntries);
                var upper = trimmed.ToUpperInvariant();
                var verb = words.Length > 1 && words[0].Equals("create", StringComparison.OrdinalIgnoreCase) ? "CREATE " + words[1].ToUpperInvariant() : words[0].ToUpperInvariant();
                string? target = verb switch
                {
                    "CREATE TABLE" => words.SkipWhile(w => !w.Equals("table", StringComparison.OrdinalIgnoreCase)).Skip(1).FirstOrDefault(w => !w.Equals("if", StringComparison.OrdinalIgnoreCase) && !w.Equals("not", StringComparison.OrdinalIgnoreCase) && !w.Equals("exists", StringComparison.OrdinalIgnoreCase))?.ToLowerInvariant(),
                    "INSERT" => words.Length > 2 ? words[2].ToLowerInvariant() : null,
                    "ALTER" => words.Length > 2 ? words[2].ToLowerInvariant() : null,
                    _ => null,
                };
                if (verb == "ALTER" && words.Length > 1) verb = "ALTER " + words[1].ToUpperInvariant();
                var conc = upper.Contains("CONCURRENTLY");
                list.Add(new SqlStatement(trimmed, line, 1, off, new StatementFacts(verb, target, conc, upper.Contains("IF NOT EXISTS"), !(conc && upper.Contains("INDEX")) && verb != "VACUUM", verb is "BEGIN" or "COMMIT"), []));
            }
            start += part.Length + 1;
        }
        return new SplitResult(list, null);
    }
}
