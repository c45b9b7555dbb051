namespace Strata.Sql;

/// <summary>PostgreSQL's character classes for identifiers, digits and operators.</summary>
internal static class SqlCharacters
{
    public static bool IsDigit(char c) => c is >= '0' and <= '9';

    // PostgreSQL treats every non-ASCII character as a letter in identifiers.
    public static bool IsIdentifierStart(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (c >= '\u0080' && c != '\uFEFF');

    public static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsDigit(c) || c == '$';

    public static bool IsOperatorChar(char c) =>
        c is '+' or '-' or '*' or '/' or '<' or '>' or '=' or '~' or '!' or '@' or '#' or '%' or '^' or '&' or '|' or '`' or '?';
}
