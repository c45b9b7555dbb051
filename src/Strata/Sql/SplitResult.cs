namespace Strata.Sql;

/// <summary>
/// The statements of a script, in order. When <see cref="Error"/> is set, the script must not
/// run: <see cref="Statements"/> then holds only the statements that ended before the error.
/// </summary>
/// <param name="Statements">The statements in script order, empty ones dropped.</param>
/// <param name="Error">The first thing that stops the script from running through a driver; null when none.</param>
public sealed record SplitResult(IReadOnlyList<SqlStatement> Statements, SqlSyntaxError? Error);
