using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Strata.Sql;

internal static partial class PgQuery
{
    /// <summary>
    /// Compiles the PL/pgSQL of every <c>CREATE FUNCTION</c>, <c>CREATE PROCEDURE</c> and
    /// <c>DO</c> in <paramref name="sql"/> as PostgreSQL's PL/pgSQL compiler does when
    /// <c>check_function_bodies</c> is on: grammar, declarations, assignment targets, RAISE
    /// placeholders against arguments, labels, EXIT outside a loop. It does not plan the SQL
    /// inside (an unknown column or table passes) and knows no types. The tree is an array with
    /// one <c>PLpgSQL_function</c> per routine (an empty one for another language), empty when
    /// there is none. Requires <see cref="IsAvailable"/>.
    /// </summary>
    public static PgParse ParsePlpgsql(string sql)
    {
        using var parsed = Parse(sql);
        if (parsed.Error is not null) return new PgParse(null, parsed.Error);

        var functions = new List<JsonDocument>();
        try
        {
            foreach (var routine in Routines(sql, parsed.Tree!.RootElement))
            {
                var compiled = CompileRoutine(sql, routine);
                if (compiled.Error is not null) return compiled;
                functions.Add(compiled.Tree!);
            }
            if (functions.Count == 1)
            {
                var only = functions[0];
                functions.Clear();
                return new PgParse(only, null);
            }
            return new PgParse(JoinArrays(functions), null);
        }
        finally
        {
            foreach (var function in functions) function.Dispose();
        }
    }

    /// <summary>
    /// A routine statement of the input: where its text starts and ends (UTF-16), and where its
    /// body's text starts, or null when it has no string body.
    /// </summary>
    private readonly record struct Routine(int Start, int End, int? Body);

    private static List<Routine> Routines(string sql, JsonElement tree)
    {
        var routines = new List<Routine>();
        foreach (var raw in tree.GetProperty("stmts").EnumerateArray())
        {
            var statement = raw.GetProperty("stmt");
            JsonElement options;
            if (statement.TryGetProperty("CreateFunctionStmt", out var create)) create.TryGetProperty("options", out options);
            else if (statement.TryGetProperty("DoStmt", out var doStmt)) doStmt.TryGetProperty("args", out options);
            else continue;

            // Zero or absent: PostgreSQL omits a first statement's location and a last one's length.
            var location = raw.TryGetProperty("stmt_location", out var l) ? l.GetInt32() : 0;
            var start = LocationToIndex(sql, location);
            var end = raw.TryGetProperty("stmt_len", out var n) && n.GetInt32() > 0 ? LocationToIndex(sql, location + n.GetInt32()) : sql.Length;
            int? body = null;
            foreach (var option in options.ValueKind == JsonValueKind.Array ? options.EnumerateArray() : default)
            {
                var element = option.GetProperty("DefElem");
                // The last AS wins, as in libpg_query (the server refuses two).
                if (element.GetProperty("defname").GetString() == "as") body = BodyStart(sql, LocationToIndex(sql, element.GetProperty("location").GetInt32()));
            }
            routines.Add(new Routine(start, end, body));
        }
        return routines;
    }

    private static PgParse CompileRoutine(string sql, Routine routine)
    {
        // libpg_query 15-4.0 asserts that a routine has a string body and aborts the whole
        // process when it has none: a SQL-standard body (RETURN ..., BEGIN ATOMIC ... END),
        // which is LANGUAGE sql and so holds no PL/pgSQL, or a bodiless CREATE FUNCTION / DO.
        if (routine.Body is null) return new PgParse(JsonDocument.Parse("[{\"PLpgSQL_function\":{\"datums\":[]}}]"u8.ToArray()), null);

        var text = sql[routine.Start..routine.End];
        var result = PgQueryNative.ParsePlpgsql(text);
        try
        {
            unsafe
            {
                if (result.Error is null) return Read(text, result.PlpgsqlFunctions, null);
                var error = ReadError(text, result.Error);
                if (error.Position is { } position) return new PgParse(null, error with { Position = routine.Start + position });
                var near = NearLine(sql, routine.Body.Value, error.Context);
                return new PgParse(null, error with { Position = QuotedWord(sql, near, routine.End, error.Message) ?? near, NearLine = true });
            }
        }
        finally
        {
            PgQueryNative.FreePlpgsqlParseResult(result);
        }
    }

    /// <summary>
    /// PL/pgSQL's compile errors carry no position, only a context ending in "near line N",
    /// counted from the body's first line (the rest of the line its opening quote is on). The
    /// place is that line's first non-blank character, the body's start when there is no line.
    /// </summary>
    private static int NearLine(string sql, int body, string? context)
    {
        const string marker = "near line ";
        var at = context?.LastIndexOf(marker, StringComparison.Ordinal) ?? -1;
        if (at < 0 || !int.TryParse(context.AsSpan(at + marker.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var line)) return body;

        var i = body;
        for (var skip = line - 1; skip > 0 && i < sql.Length; i++)
        {
            if (sql[i] == '\n') skip--;
        }
        var lineStart = i;
        while (i < sql.Length && sql[i] is ' ' or '\t') i++;
        return i < sql.Length && sql[i] is not '\r' and not '\n' ? i : lineStart;
    }

    /// <summary>
    /// The first whole-word occurrence, from <paramref name="from"/> on, of the name the message
    /// quotes (<c>"y" is not a known variable</c>, <c>syntax error at or near "SELEC"</c>): the
    /// line PL/pgSQL names is where its last statement began, often before the fault.
    /// </summary>
    private static int? QuotedWord(string sql, int from, int end, string message)
    {
        var open = message.IndexOf('"');
        var close = open < 0 ? -1 : message.IndexOf('"', open + 1);
        if (close <= open + 1 || from >= end) return null;
        var word = message[(open + 1)..close];
        for (var i = sql.IndexOf(word, from, end - from, StringComparison.OrdinalIgnoreCase); i >= 0; i = sql.IndexOf(word, i + 1, end - i - 1, StringComparison.OrdinalIgnoreCase))
        {
            var after = i + word.Length;
            if ((i == 0 || !IsWordCharacter(sql[i - 1])) && (after >= sql.Length || !IsWordCharacter(sql[after]))) return i;
        }
        return null;
    }

    private static bool IsWordCharacter(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    /// <summary>
    /// Where a body's text starts, given the location the parser gave its AS option: the AS
    /// keyword for CREATE FUNCTION, the literal itself for DO. Comments may sit between.
    /// </summary>
    private static int BodyStart(string sql, int i)
    {
        if (sql.AsSpan(i).StartsWith("as", StringComparison.OrdinalIgnoreCase)) i += 2;
        while (i < sql.Length)
        {
            if (char.IsWhiteSpace(sql[i])) i++;
            else if (sql.AsSpan(i).StartsWith("--")) i = sql.IndexOf('\n', i) is var nl and >= 0 ? nl + 1 : sql.Length;
            else if (sql.AsSpan(i).StartsWith("/*")) i = sql.IndexOf("*/", i + 2, StringComparison.Ordinal) is var close and >= 0 ? close + 2 : sql.Length;
            else break;
        }
        if (i < sql.Length && sql[i] == '$')
        {
            var close = sql.IndexOf('$', i + 1);
            return close < 0 ? sql.Length : close + 1;
        }
        // 'body', E'body', U&'body': the text starts after the first quote.
        var quote = sql.IndexOf('\'', i);
        return quote < 0 ? i : quote + 1;
    }

    private static JsonDocument JoinArrays(List<JsonDocument> arrays)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = TreeOptions.MaxDepth }))
        {
            writer.WriteStartArray();
            foreach (var array in arrays)
            {
                foreach (var function in array.RootElement.EnumerateArray()) function.WriteTo(writer);
            }
            writer.WriteEndArray();
        }
        return JsonDocument.Parse(buffer.WrittenMemory.ToArray(), TreeOptions);
    }
}
