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
        var files = new List<SourceFile>();
        var problems = new List<Problem>();
        foreach (var path in paths)
        {
            var name = Path.GetFileName(path);
            if (MigrationName.IsNearMiss(name)) problems.Add(MigrationProblems.MisnamedFile(name, path));
            else if (!name.EndsWith(".sql", StringComparison.Ordinal)) continue;
            else if (FolderEntry.TryRead(path, out var content, out var problem)) files.Add(new SourceFile(name, path, content));
            else problems.Add(problem!);
        }
        return new SourceListing(files, problems);
    }
}
