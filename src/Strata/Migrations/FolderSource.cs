namespace Strata.Migrations;

/// <summary>
/// The <c>*.sql</c> files directly in a folder. Sub-folders (<c>repeatable/</c>, seeds) are not
/// versioned migrations. Near-miss names (<c>X.SQL</c>) and entries that cannot be read (a
/// dangling link, a named pipe, a folder named <c>x.sql</c>) are problems, never skipped.
/// </summary>
/// <param name="Directory">The folder, absolute.</param>
public sealed record FolderSource(string Directory) : IMigrationSource
{
    /// <inheritdoc/>
    public string Description => Directory;

    /// <inheritdoc/>
    public SourceListing List()
    {
        if (!System.IO.Directory.Exists(Directory)) return new SourceListing([], [MigrationProblems.MissingFolder(Directory)]);
        // Every entry, not a *.sql glob: the glob is case-sensitive on Linux and would hide X.SQL.
        var paths = System.IO.Directory.GetFileSystemEntries(Directory, "*", SearchOption.TopDirectoryOnly);
        Array.Sort(paths, StringComparer.Ordinal);
        var sql = paths.Where(p => Path.GetFileName(p) is var name && (MigrationName.IsNearMiss(name) || name.EndsWith(".sql", StringComparison.Ordinal))).ToArray();
        // Read on every core: a thousand files are a thousand stat/open/read/close round trips
        // to the kernel, the largest part of a no-op 'up'. Gathered in name order all the same.
        var read = new (SourceFile? File, Problem? Problem)[sql.Length];
        Parallel.For(0, sql.Length, i =>
        {
            var (path, name) = (sql[i], Path.GetFileName(sql[i]));
            read[i] = MigrationName.IsNearMiss(name) ? (null, MigrationProblems.MisnamedFile(name, path))
                : FolderEntry.TryRead(path, out var content, out var problem) ? (new SourceFile(name, path, content), null)
                : (null, problem);
        });
        return new SourceListing([.. read.Where(r => r.File is not null).Select(r => r.File!)], [.. read.Where(r => r.Problem is not null).Select(r => r.Problem!)]);
    }
}
