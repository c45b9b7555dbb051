using System.Reflection;
using System.Runtime.InteropServices;

namespace Strata.Sql;

/// <summary>
/// The C API of libpg_query 15-4.0 (PostgreSQL 15's own parser), declared exactly as in
/// <c>/usr/include/pg_query.h</c>. Only <see cref="PgQuery"/> calls it: every result must be
/// handed back to its free function, and some inputs abort the process (see
/// <see cref="PgQuery.ParsePlpgsql"/>).
/// </summary>
internal static unsafe partial class PgQueryNative
{
    /// <summary>
    /// The name every import uses. The native AOT publish links <c>libpg_query.a</c> under this
    /// name (<c>DirectPInvoke</c> in Strata.Cli.csproj must match it); elsewhere the runtime
    /// loads <c>libpg_query.so</c>, or the versioned file through <see cref="Resolve"/>.
    /// </summary>
    public const string Library = "pg_query";

    /// <summary>
    /// The soname of the ABI these structs describe. A runtime-only install (package
    /// libpg-query1504.0, without -dev) has only this file, not the <c>libpg_query.so</c> link.
    /// </summary>
    private const string VersionedFile = "libpg_query.so.1504.0";

    /// <summary><c>PgQueryError</c>: every pointer is a NUL-terminated UTF-8 string, or null.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Error
    {
        public byte* Message;
        public byte* FuncName;
        public byte* FileName;
        public int LineNumber;
        /// <summary>1-based character (not byte) index into the input; 0 when the error has none.</summary>
        public int CursorPosition;
        public byte* Context;
    }

    /// <summary><c>PgQueryParseResult</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ParseResult
    {
        public byte* ParseTree;
        public byte* StderrBuffer;
        public Error* Error;
    }

    /// <summary><c>PgQueryPlpgsqlParseResult</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PlpgsqlParseResult
    {
        public byte* PlpgsqlFunctions;
        public Error* Error;
    }

    // Utf8: the C side reads a NUL-terminated char*. A lone surrogate becomes U+FFFD (one
    // character), so positions still count one character per UTF-16 unit there.
    [LibraryImport(Library, EntryPoint = "pg_query_parse", StringMarshalling = StringMarshalling.Utf8)]
    public static partial ParseResult Parse(string input);

    [LibraryImport(Library, EntryPoint = "pg_query_free_parse_result")]
    public static partial void FreeParseResult(ParseResult result);

    [LibraryImport(Library, EntryPoint = "pg_query_parse_plpgsql", StringMarshalling = StringMarshalling.Utf8)]
    public static partial PlpgsqlParseResult ParsePlpgsql(string input);

    [LibraryImport(Library, EntryPoint = "pg_query_free_plpgsql_parse_result")]
    public static partial void FreePlpgsqlParseResult(PlpgsqlParseResult result);

    /// <summary>
    /// Registers <see cref="Resolve"/> for this assembly. An assembly has one resolver at most
    /// (a second registration throws): this is it, so another native library joins this one.
    /// </summary>
    public static void RegisterResolver() => NativeLibrary.SetDllImportResolver(typeof(PgQueryNative).Assembly, Resolve);

    // Returning zero lets the runtime probe as usual (libpg_query.so, then pg_query.so, ...).
    // The versioned file comes first: it is the ABI the structs above were checked against,
    // while the unversioned link follows whatever -dev package is installed.
    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == Library && OperatingSystem.IsLinux() && NativeLibrary.TryLoad(VersionedFile, out var handle) ? handle : IntPtr.Zero;
}
