namespace Strata.Sql;

/// <summary>
/// The tokens of a text, in order and covering it without gaps. When <see cref="Error"/> is set,
/// lexing stopped at an unterminated construct: the last token runs from its start to the end
/// of the text and the error points at that start.
/// </summary>
/// <param name="Tokens">Every token of the text, trivia included, in text order.</param>
/// <param name="Error">Why lexing stopped early; null when the whole text lexed.</param>
public sealed record LexResult(IReadOnlyList<SqlToken> Tokens, SqlSyntaxError? Error);
