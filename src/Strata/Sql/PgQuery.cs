using System.Runtime.InteropServices;
using System.Text.Json;

namespace Strata.Sql;

/// <summary>
/// PostgreSQL 15's own parser, through libpg_query: the raw parse tree of any SQL and the
/// compiled form of PL/pgSQL bodies, without a server. Nothing here reads the catalog, so it
/// knows grammar, not tables or types. Safe to call from many threads at once: libpg_query
/// keeps its memory contexts and parser state per thread.
/// </summary>
internal static partial class PgQuery
{
    // The parser's own stack ends at 10,000 grammar levels ("memory exhausted"); each is a few
    // JSON levels, so the tree never nears this, while JsonDocument's default of 64 is met by
    // an ordinary nested expression.
    private static readonly JsonDocumentOptions TreeOptions = new() { MaxDepth = 1_000_000 };

    private static readonly Lazy<string?> LoadedVersion = new(Probe);

    static PgQuery() => PgQueryNative.RegisterResolver();

    /// <summary>
    /// True when libpg_query is linked in or loads; probed once, on first use. When false,
    /// callers fall back to <see cref="SqlLexer"/>.
    /// </summary>
    public static bool IsAvailable => LoadedVersion.Value is not null;

    /// <summary>
    /// The PostgreSQL version of the loaded parser (e.g. "15.1", from the <c>version</c> every
    /// tree carries, so it is the library's and not a header's), or null when none loads.
    /// </summary>
    public static string? Version => LoadedVersion.Value;

    /// <summary>
    /// Parses <paramref name="sql"/> (any number of statements) as PostgreSQL 15 would.
    /// Requires <see cref="IsAvailable"/>.
    /// </summary>
    public static unsafe PgParse Parse(string sql)
    {
        if (Refuse(sql) is { } refused) return refused;
        var result = PgQueryNative.Parse(sql);
        try
        {
            return Read(sql, result.ParseTree, result.Error);
        }
        finally
        {
            PgQueryNative.FreeParseResult(result);
        }
    }

    /// <summary>
    /// Maps a <c>location</c> of the parse tree (a UTF-8 byte offset into <paramref name="sql"/>)
    /// to a UTF-16 index into it. Offsets past the end map to its length.
    /// </summary>
    public static int LocationToIndex(string sql, int location)
    {
        var bytes = 0;
        var i = 0;
        while (i < sql.Length && bytes < location)
        {
            // A lone surrogate went out as U+FFFD: three bytes, like any other BMP character above U+07FF.
            if (char.IsHighSurrogate(sql[i]) && i + 1 < sql.Length && char.IsLowSurrogate(sql[i + 1]))
            {
                bytes += 4;
                i += 2;
                continue;
            }
            bytes += sql[i] switch { < '\u0080' => 1, < '\u0800' => 2, _ => 3 };
            i++;
        }
        return i;
    }

    /// <summary>
    /// The UTF-16 index of the 1-based character position libpg_query reports (its parser counts
    /// UTF-8 characters, as the server does; a surrogate pair is one), clamped to the text.
    /// </summary>
    internal static int CursorToIndex(string sql, int cursor)
    {
        var i = 0;
        for (var skip = cursor - 1; skip > 0 && i < sql.Length; skip--)
        {
            i += char.IsHighSurrogate(sql[i]) && i + 1 < sql.Length && char.IsLowSurrogate(sql[i + 1]) ? 2 : 1;
        }
        return Math.Min(i, sql.Length);
    }

    private static unsafe PgParse Read(string sql, byte* json, PgQueryNative.Error* error)
    {
        if (error is not null) return new PgParse(null, ReadError(sql, error));
        // Copied out of native memory, which is freed right after; parsing the UTF-8 directly
        // spares a round trip through a UTF-16 string.
        var utf8 = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(json).ToArray();
        return new PgParse(JsonDocument.Parse(utf8, TreeOptions), null);
    }

    private static unsafe PgParseError ReadError(string sql, PgQueryNative.Error* error)
    {
        var message = Marshal.PtrToStringUTF8((IntPtr)error->Message) ?? "unknown libpg_query error";
        var context = Marshal.PtrToStringUTF8((IntPtr)error->Context);
        int? position = error->CursorPosition > 0 ? CursorToIndex(sql, error->CursorPosition) : null;
        return new PgParseError(message, position, Context: string.IsNullOrEmpty(context) ? null : context);
    }

    /// <summary>
    /// Input the native side must not see. A C string ends at its first NUL, so the parser
    /// would silently check only the text before it; PostgreSQL itself refuses NUL in a query.
    /// </summary>
    private static PgParse? Refuse(string sql)
    {
        if (!IsAvailable) throw new InvalidOperationException("libpg_query is not available: check PgQuery.IsAvailable first.");
        var nul = sql.IndexOf('\0');
        return nul < 0 ? null : new PgParse(null, new PgParseError("invalid NUL character in SQL text", nul));
    }

    private static unsafe string? Probe()
    {
        try
        {
            var result = PgQueryNative.Parse("SELECT 1");
            try
            {
                if (result.Error is not null) return null;
                using var tree = JsonDocument.Parse(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(result.ParseTree).ToArray());
                var number = tree.RootElement.GetProperty("version").GetInt32();
                return $"{number / 10000}.{number % 100}";
            }
            finally
            {
                PgQueryNative.FreeParseResult(result);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }
}
