namespace Strata.Verification;

/// <summary>
/// The SQL verify runs on each scratch database before the migrations (<c>[scratch] preamble</c>),
/// so that a folder written for a platform finds what that platform's databases already have:
/// roles, schemas, tables and functions no migration of the folder creates.
/// </summary>
internal static class ScratchPreamble
{
    /// <summary>The built-in preamble that makes a plain PostgreSQL look like a fresh Supabase project.</summary>
    public const string Supabase = "supabase";

    private const string SupabaseResource = "Strata.Verification.Preambles.supabase.sql";

    /// <summary>
    /// The preamble's SQL: none for null, the built-in script for <see cref="Supabase"/>, otherwise
    /// the text of the existing <c>.sql</c> file the value names, relative to
    /// <paramref name="projectRoot"/>. Exactly one of the two is set, or neither for null.
    /// </summary>
    public static (string? Sql, Problem? Problem) Resolve(string? preamble, string projectRoot)
    {
        if (preamble is null) return (null, null);
        if (preamble == Supabase) return (SupabaseSql(), null);
        if (string.IsNullOrWhiteSpace(preamble)) return (null, ScratchContentProblems.EmptyPreamble());

        var path = Path.GetFullPath(preamble, projectRoot);
        if (File.Exists(path) && path.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return (File.ReadAllText(path), null);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return (null, ScratchContentProblems.UnreadablePreamble(preamble, ex.Message));
            }
        }
        // A file of the user's wins over the built-in name ("supabase.sql" may be their own
        // script); only a value that names no file is read as a misspelt built-in.
        if (!File.Exists(path) && !Directory.Exists(path) && IsNearMiss(preamble))
            return (null, ScratchContentProblems.PreambleNearMiss(preamble));
        if (Directory.Exists(path)) return (null, ScratchContentProblems.PreambleIsFolder(preamble, path));
        if (File.Exists(path)) return (null, ScratchContentProblems.PreambleNotSql(preamble));
        return (null, ScratchContentProblems.MissingPreamble(preamble, path));
    }

    // "Supabase", " supabase ", "supabase.sql", "SUPABASE.SQL": the built-in name with another case,
    // stray spaces or the extension its file has in Strata's source.
    private static bool IsNearMiss(string preamble)
    {
        var name = preamble.Trim().Trim('"', '\'');
        if (name.EndsWith(".sql", StringComparison.OrdinalIgnoreCase)) name = name[..^4];
        return string.Equals(name.Trim(), Supabase, StringComparison.OrdinalIgnoreCase);
    }

    private static string SupabaseSql()
    {
        // GetManifestResourceStream needs no reflection metadata: it is safe under native AOT.
        using var stream = typeof(ScratchPreamble).Assembly.GetManifestResourceStream(SupabaseResource)
            ?? throw new InvalidOperationException($"The built-in preamble {SupabaseResource} is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
