namespace Strata.Sql;

/// <summary>Why SQL text could not be split into statements that a database driver can run.</summary>
public enum SqlSyntaxErrorKind
{
    /// <summary>A <c>'...'</c> string never closes.</summary>
    UnterminatedString,
    /// <summary>An <c>E'...'</c> string never closes.</summary>
    UnterminatedEscapeString,
    /// <summary>A <c>"quoted identifier"</c> never closes.</summary>
    UnterminatedQuotedIdentifier,
    /// <summary>A <c>$tag$</c> string never closes.</summary>
    UnterminatedDollarQuote,
    /// <summary>A <c>/*</c> comment never closes.</summary>
    UnterminatedBlockComment,
    /// <summary>A psql backslash command, which only psql understands.</summary>
    PsqlMetaCommand,
    /// <summary><c>COPY ... FROM STDIN</c>, whose inline data only psql can send.</summary>
    CopyFromStdin,
}

/// <summary>
/// A problem found while lexing or splitting, located where the offending construct starts.
/// <see cref="Message"/> is one sentence saying what is wrong and how to fix it; the caller
/// turns this into a <see cref="Problem"/> with the file name.
/// </summary>
/// <param name="Kind">Which construct is at fault, for callers that react to it.</param>
/// <param name="Line">1-based line where the offending construct starts, counted from the first line given to the lexer.</param>
/// <param name="Column">1-based column (in characters) where it starts.</param>
/// <param name="Message">What is wrong and how to fix it, in one sentence.</param>
public sealed record SqlSyntaxError(SqlSyntaxErrorKind Kind, int Line, int Column, string Message);
