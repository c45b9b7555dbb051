namespace Strata.Sql;

/// <summary>What a <see cref="SqlToken"/> is, as PostgreSQL's lexer (and psql's) would see it.</summary>
public enum SqlTokenKind
{
    /// <summary>A keyword or unquoted identifier; may contain <c>$</c> after the first character.</summary>
    Word,
    /// <summary>A <c>"quoted identifier"</c> (also <c>U&amp;"..."</c>).</summary>
    QuotedIdentifier,
    /// <summary>A <c>'...'</c> string, including the E, U&amp;, B, X and N prefixed forms.</summary>
    String,
    /// <summary>A <c>$$...$$</c> or <c>$tag$...$tag$</c> string.</summary>
    DollarString,
    /// <summary>A numeric literal.</summary>
    Number,
    /// <summary>A positional parameter such as <c>$1</c>.</summary>
    Parameter,
    /// <summary>An operator, including <c>::</c> casts.</summary>
    Operator,
    /// <summary><c>(</c></summary>
    OpenParen,
    /// <summary><c>)</c></summary>
    CloseParen,
    /// <summary><c>,</c></summary>
    Comma,
    /// <summary><c>;</c></summary>
    Semicolon,
    /// <summary><c>.</c></summary>
    Dot,
    /// <summary>A single <c>:</c> (array slices).</summary>
    Colon,
    /// <summary><c>[</c></summary>
    OpenBracket,
    /// <summary><c>]</c></summary>
    CloseBracket,
    /// <summary>A <c>--</c> comment, up to but not including the line feed.</summary>
    LineComment,
    /// <summary>A <c>/* */</c> comment, nested comments included.</summary>
    BlockComment,
    /// <summary>Spaces, tabs, line feeds, carriage returns, form feeds and byte order marks.</summary>
    Whitespace,
    /// <summary>
    /// A psql backslash command, from any backslash outside literals and comments to the end of its
    /// line: <c>\i file.sql</c>, or the <c>\gset</c> of <c>SELECT 1 \gset</c>.
    /// </summary>
    PsqlMetaCommand,
}
