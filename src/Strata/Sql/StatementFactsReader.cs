namespace Strata.Sql;

/// <summary>Reads <see cref="StatementFacts"/> from a statement's tokens.</summary>
internal static class StatementFactsReader
{
    /// <param name="source">The text the tokens' offsets index.</param>
    /// <param name="tokens">One statement's tokens, without its semicolon.</param>
    public static StatementFacts Read(string source, IReadOnlyList<SqlToken> tokens)
    {
        var t = new SignificantTokens(source, tokens);
        var verb = VerbReader.Read(t);
        var target = TargetReader.Read(t, verb);
        var concurrently = TransactionBlockRules.IsConcurrently(t, verb);
        var guarded = verb.OrReplace || t.ContainsWords("IF", "EXISTS") || t.ContainsWords("IF", "NOT", "EXISTS");
        return new StatementFacts(
            verb.Verb,
            target,
            concurrently,
            guarded,
            TransactionBlockRules.RunsInTransaction(t, verb, concurrently, target),
            TransactionBlockRules.IsTransactionControl(verb.Verb));
    }

    /// <summary>COPY ... FROM STDIN, whose rows follow the statement inline where only psql can send them.</summary>
    public static bool CopiesFromStdin(string source, SqlStatement statement)
    {
        if (statement.Facts.Verb != "COPY") return false;
        var t = new SignificantTokens(source, statement.Tokens);
        var from = t.IndexOfWord("FROM", 1);
        return from >= 0 && t.IsWord(from + 1, "STDIN");
    }
}
