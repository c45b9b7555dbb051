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
    /// <summary>A transaction control statement where the caller does not allow one.</summary>
    TransactionControl,
}

/// <summary>
/// A problem found while lexing or splitting, located where the offending construct starts.
/// <see cref="Message"/> is one sentence saying what is wrong and how to fix it; the caller
/// turns this into a <see cref="Problem"/> with the file name.
/// </summary>
public sealed record SqlSyntaxError(SqlSyntaxErrorKind Kind, int Line, int Column, string Message)
{
    /// <summary>
    /// The error for a transaction control statement in a migration that runs inside a
    /// transaction: the splitter only flags these (<see cref="StatementFacts.IsTransactionControl"/>),
    /// callers decide whether they are allowed.
    /// </summary>
    public static SqlSyntaxError TransactionControl(SqlStatement statement) => new(
        SqlSyntaxErrorKind.TransactionControl,
        statement.Line,
        statement.Column,
        $"transaction control statement {statement.Facts.Verb} cannot appear in a migration that runs in a transaction: remove it and let Strata open and commit the transaction");
}
