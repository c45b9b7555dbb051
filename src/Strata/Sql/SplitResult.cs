namespace Strata.Sql;

/// <summary>
/// The statements of a script, in order. When <see cref="Error"/> is set, the script must not
/// run: <see cref="Statements"/> then holds only the statements that ended before the error.
/// </summary>
public sealed record SplitResult(IReadOnlyList<SqlStatement> Statements, SqlSyntaxError? Error);
