namespace Strata.Migrations;

/// <summary>
/// The <c>*.sql</c> files directly in a folder. Sub-folders (<c>repeatable/</c>, seeds) are not
/// versioned migrations.
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
        var paths = System.IO.Directory.GetFiles(Directory, "*.sql", SearchOption.TopDirectoryOnly);
        Array.Sort(paths, StringComparer.Ordinal);
        return new SourceListing([.. paths.Select(p => new SourceFile(Path.GetFileName(p), p, File.ReadAllBytes(p)))], []);
    }
}
