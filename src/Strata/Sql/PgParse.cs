using System.Text.Json;

namespace Strata.Sql;

/// <summary>
/// What libpg_query made of some SQL: its JSON tree, or the error PostgreSQL's parser would
/// raise. Exactly one of the two is set. Dispose it: <see cref="JsonDocument"/> rents its
/// buffers from a pool.
/// </summary>
/// <param name="Tree">
/// For <see cref="PgQuery.Parse"/>, <c>{"version":150001,"stmts":[{"stmt":{...},"stmt_len":n}]}</c>;
/// for <see cref="PgQuery.ParsePlpgsql"/>, an array with one <c>PLpgSQL_function</c> per routine.
/// Every <c>location</c> in it is a UTF-8 byte offset: see <see cref="PgQuery.LocationToIndex"/>.
/// </param>
/// <param name="Error">Why the SQL does not parse or compile.</param>
internal sealed record PgParse(JsonDocument? Tree, PgParseError? Error) : IDisposable
{
    /// <summary>Returns the tree's pooled buffers.</summary>
    public void Dispose() => Tree?.Dispose();
}

/// <summary>
/// A parse or PL/pgSQL compile error, placed in the SQL that was given.
/// </summary>
/// <param name="Message">PostgreSQL's message, e.g. <c>syntax error at or near "FRM"</c>.</param>
/// <param name="Position">
/// 0-based UTF-16 index into the given SQL of the character the error points at; null when the
/// library gives no place (some PL/pgSQL errors, see <paramref name="NearLine"/>).
/// </param>
/// <param name="NearLine">
/// True when the place is inferred, because the library gave only PL/pgSQL's "near line N":
/// <see cref="Position"/> is then the first occurrence, from that line of the body on, of the
/// name the message quotes, or else that line's first character. PL/pgSQL counts lines only
/// as it starts each statement, so the line it names can be before the fault.
/// </param>
/// <param name="Context">PostgreSQL's context line, e.g. <c>compilation of PL/pgSQL function "f" near line 3</c>.</param>
internal sealed record PgParseError(string Message, int? Position, bool NearLine = false, string? Context = null)
{
    /// <summary>
    /// The 1-based line and column of <see cref="Position"/> in a file where
    /// <paramref name="sql"/> (the text that was parsed) starts at <paramref name="startLine"/>
    /// and <paramref name="startColumn"/>; columns count characters, as the server's do. Null
    /// when the error has no position.
    /// </summary>
    public (int Line, int Column)? LineColumn(string sql, int startLine = 1, int startColumn = 1) =>
        Position is { } index ? SqlStatement.PositionToLineColumn(sql, startLine, startColumn, CharacterPosition(sql, index)) : null;

    /// <summary>The 1-based character position (a surrogate pair is one character) of a UTF-16 index.</summary>
    internal static int CharacterPosition(string sql, int index)
    {
        var position = 1;
        for (var i = 0; i < index && i < sql.Length; i++, position++)
        {
            if (char.IsHighSurrogate(sql[i]) && i + 1 < sql.Length && char.IsLowSurrogate(sql[i + 1])) i++;
        }
        return position;
    }
}
