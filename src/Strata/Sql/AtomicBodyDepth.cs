namespace Strata.Sql;

/// <summary>
/// psql's rule for SQL-standard function bodies: in a statement whose words start
/// CREATE [OR REPLACE] FUNCTION|PROCEDURE, BEGIN opens a block (BEGIN ATOMIC) and, inside one,
/// CASE opens and END closes one, all outside parentheses; semicolons split only at depth zero.
/// </summary>
internal struct AtomicBodyDepth
{
    private int _wordCount;
    private bool _isRoutine;
    private bool _isCreate;
    private bool _sawOr;
    private int _parenDepth;

    /// <summary>How many BEGIN/CASE blocks are open; the statement cannot end while positive.</summary>
    public int Depth { get; private set; }

    public void Reset() => this = default;

    public void OnParen(SqlTokenKind kind)
    {
        if (kind == SqlTokenKind.OpenParen) _parenDepth++;
        else if (kind == SqlTokenKind.CloseParen && _parenDepth > 0) _parenDepth--;
    }

    public void OnWord(ReadOnlySpan<char> word)
    {
        var index = _wordCount++;
        if (index == 0)
        {
            _isCreate = Is(word, "create");
            return;
        }
        if (!_isCreate) return;

        if (index == 1 && Is(word, "or")) _sawOr = true;
        else if ((index == 1 || (index == 3 && _sawOr)) && (Is(word, "function") || Is(word, "procedure"))) _isRoutine = true;

        if (!_isRoutine || _parenDepth > 0) return;
        if (Is(word, "begin")) Depth++;
        else if (Depth > 0 && Is(word, "case")) Depth++;
        else if (Depth > 0 && Is(word, "end")) Depth--;
    }

    private static bool Is(ReadOnlySpan<char> word, string keyword) => word.Equals(keyword, StringComparison.OrdinalIgnoreCase);
}
