namespace Strata.Sql;

/// <summary>
/// psql's rule for where a semicolon ends a statement (psqlscan.l): only outside parentheses, so
/// a rule's action list <c>DO ALSO (INSERT ...; INSERT ...)</c> stays whole, and only outside
/// the body of a SQL-standard function. In a statement whose words start
/// CREATE [OR REPLACE] FUNCTION|PROCEDURE, BEGIN ATOMIC opens a block and, inside one, CASE
/// opens and END closes one, all outside parentheses.
/// </summary>
internal struct StatementNesting
{
    private int _wordCount;
    private bool _isRoutine;
    private bool _isCreate;
    private bool _sawOr;
    private bool _afterBegin;
    private int _parenDepth;
    private int _blockDepth;

    /// <summary>True while a parenthesis or a block is open: a semicolon there does not end the statement.</summary>
    public readonly bool IsOpen => _parenDepth > 0 || _blockDepth > 0;

    public void Reset() => this = default;

    /// <summary>Takes the statement's next significant token, a semicolon inside it included.</summary>
    public void OnToken(SqlTokenKind kind, ReadOnlySpan<char> text)
    {
        var afterBegin = _afterBegin;
        _afterBegin = false;
        switch (kind)
        {
            case SqlTokenKind.OpenParen:
                _parenDepth++;
                break;
            // psql ignores a stray ")", so the semicolon after "SELECT 1)" still ends that statement.
            case SqlTokenKind.CloseParen when _parenDepth > 0:
                _parenDepth--;
                break;
            case SqlTokenKind.Word:
                OnWord(text, afterBegin);
                break;
        }
    }

    private void OnWord(ReadOnlySpan<char> word, bool afterBegin)
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
        // PostgreSQL's grammar opens a body only with BEGIN ATOMIC. psql counts a BEGIN alone, so
        // CREATE FUNCTION begin() or RETURN begin() swallows the rest of its file; it gets away
        // with that by sending the lot as one query string, which the server splits again.
        if (afterBegin && Is(word, "atomic")) _blockDepth++;
        else if (Is(word, "begin")) _afterBegin = true;
        else if (_blockDepth > 0 && Is(word, "case")) _blockDepth++;
        else if (_blockDepth > 0 && Is(word, "end")) _blockDepth--;
    }

    private static bool Is(ReadOnlySpan<char> word, string keyword) => word.Equals(keyword, StringComparison.OrdinalIgnoreCase);
}
