namespace Strata.Sql;

/// <summary>
/// psql's rule for SQL-standard function bodies: in a statement whose words start
/// CREATE [OR REPLACE] FUNCTION|PROCEDURE, BEGIN opens a block (BEGIN ATOMIC) and, inside one,
/// CASE opens and END closes one, all outside parentheses; semicolons split only at depth zero.
/// </summary>
internal struct AtomicBodyDepth
{
    private int wordCount;
    private bool isRoutine;
    private bool isCreate;
    private bool sawOr;
    private int parenDepth;

    /// <summary>How many BEGIN/CASE blocks are open; the statement cannot end while positive.</summary>
    public int Depth { get; private set; }

    public void Reset() => this = default;

    public void OnParen(SqlTokenKind kind)
    {
        if (kind == SqlTokenKind.OpenParen)
        {
            parenDepth++;
        }
        else if (kind == SqlTokenKind.CloseParen && parenDepth > 0)
        {
            parenDepth--;
        }
    }

    public void OnWord(ReadOnlySpan<char> word)
    {
        int index = wordCount++;
        if (index == 0)
        {
            isCreate = Is(word, "create");
            return;
        }

        if (!isCreate)
        {
            return;
        }

        if (index == 1 && Is(word, "or"))
        {
            sawOr = true;
        }
        else if ((index == 1 || (index == 3 && sawOr)) && (Is(word, "function") || Is(word, "procedure")))
        {
            isRoutine = true;
        }

        if (!isRoutine || parenDepth > 0)
        {
            return;
        }

        if (Is(word, "begin"))
        {
            Depth++;
        }
        else if (Depth > 0 && Is(word, "case"))
        {
            Depth++;
        }
        else if (Depth > 0 && Is(word, "end"))
        {
            Depth--;
        }
    }

    private static bool Is(ReadOnlySpan<char> word, string keyword) => word.Equals(keyword, StringComparison.OrdinalIgnoreCase);
}
