using System.Text.RegularExpressions;
using Strata.Migrations;
using Strata.Sql;

namespace Strata.Running;

/// <summary>What the server said about where an error happened (PostgresException's fields, driver-free).</summary>
/// <param name="Position">1-based character position in the statement sent, or 0.</param>
/// <param name="Where">CONTEXT: the call stack, innermost frame first, one per line.</param>
/// <param name="InternalQuery">The SQL that PL/pgSQL (or another function) ran when the error happened.</param>
/// <param name="InternalPosition">1-based character position in <paramref name="InternalQuery"/>, or 0.</param>
internal sealed record ServerErrorPlace(int Position, string? Where, string? InternalQuery, int InternalPosition);

/// <summary>A file line and column, and the statement whose text holds that line (for the caret display).</summary>
internal sealed record FileLocation(int Line, int Column, SqlStatement Holder);

/// <summary>
/// Where in the migration file a server error points. The server's position in the statement
/// when it gives one; for an error raised inside PL/pgSQL (a DO block, or a function the
/// statement called) the line of the body that was running, taken from CONTEXT, with the
/// column of the internal query's position when that query is written on that line. A frame
/// maps only when its body is known: the failing DO block, or a function created earlier in the
/// same file. Otherwise the next frame out is tried, and then the statement's start.
/// </summary>
internal static partial class ErrorLocation
{
    // PL/pgSQL's error context callback: "PL/pgSQL function %s line %d at %s" and
    // "... line %d during statement block local variable initialization" (pl_exec.c). The server
    // translates it under lc_messages; in another language no frame matches and the error keeps
    // the statement's line, with the CONTEXT still shown.
    [GeneratedRegex(@"^PL/pgSQL function (?<name>.+) line (?<line>\d+) (?:at|during) ", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex PlpgsqlFrame();

    // The name PostgreSQL gives the function it makes of a DO block's body.
    private const string InlineCodeBlock = "inline_code_block";

    /// <summary>Where <paramref name="place"/> points, for an error of <paramref name="statement"/> of the up section of <paramref name="file"/>.</summary>
    public static FileLocation Find(MigrationFile file, SqlStatement statement, ServerErrorPlace place)
    {
        if (place.Position > 0)
        {
            var (line, column) = statement.PositionToLineColumn(place.Position);
            return new FileLocation(line, column, statement);
        }
        return InBody(file, statement, place) ?? new FileLocation(statement.Line, statement.Column, statement);
    }

    private static FileLocation? InBody(MigrationFile file, SqlStatement statement, ServerErrorPlace place)
    {
        if (string.IsNullOrEmpty(place.Where)) return null;
        var frames = PlpgsqlFrame().Matches(place.Where);
        // A DO block's frame is the outermost inline_code_block one: an inner one would be a DO
        // that the block ran with EXECUTE, whose text is not in the file.
        var outermostInline = -1;
        for (var i = 0; i < frames.Count; i++)
            if (frames[i].Groups["name"].Value == InlineCodeBlock) outermostInline = i;

        for (var i = 0; i < frames.Count; i++)
        {
            var name = frames[i].Groups["name"].Value;
            if (!int.TryParse(frames[i].Groups["line"].ValueSpan, out var bodyLine)) continue;
            var (holder, body) = name == InlineCodeBlock
                ? (statement, i == outermostInline ? RoutineBody.Of(file.Up.Text, statement) : null)
                : Created(file, statement, name);
            if (holder is null || body is null) continue;
            // The internal query is what the innermost frame was running: its position is exact.
            if (i == 0 && place.InternalQuery is { Length: > 0 } query
                && body.Locate(bodyLine, query, Math.Max(1, place.InternalPosition)) is var (queryLine, queryColumn))
                return new FileLocation(queryLine, queryColumn, holder);
            if (body.StartOf(bodyLine) is var (line, column)) return new FileLocation(line, column, holder);
        }
        return null;
    }

    // A function that a statement before the failing one created in the same file: only then is
    // its body in this file, and known to be the one that ran.
    private static (SqlStatement? Holder, RoutineBody? Body) Created(MigrationFile file, SqlStatement statement, string identity)
    {
        var earlier = file.Up.Statements.TakeWhile(s => s.Offset < statement.Offset).Select(s => (file, s));
        return FunctionDefinitions.Find(earlier, identity) is { } found ? (found.Statement, found.Body) : (null, null);
    }
}
