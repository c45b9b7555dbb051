namespace Strata.Migrations;

/// <summary>
/// The file <c>strata new NAME</c> writes: a fresh timestamp, the description as its first
/// comment line, and empty up and down sections. (The strategy's patterns arrive here as
/// <c>new --pattern</c>.)
/// </summary>
internal static class MigrationScaffold
{
    /// <summary>
    /// Writes a new migration for <paramref name="name"/> into <paramref name="directory"/> and
    /// returns its path, or the problem with the name.
    /// </summary>
    public static async Task<(string? Path, Problem? Problem)> WriteAsync(string directory, string name, DateTime utcNow, CancellationToken cancellationToken)
    {
        var slug = MigrationName.Slugify(name);
        if (slug.Length == 0) return (null, MigrationProblems.BadName(name));
        if (slug.Length > MigrationName.MaxNewSlugLength) return (null, MigrationProblems.NameTooLong(slug));
        var path = directory;
        try
        {
            Directory.CreateDirectory(directory);
            var fileName = MigrationName.ForNew(utcNow, slug);
            // Two files in the same second would share a timestamp: take the next free second.
            while (Directory.GetFiles(directory, MigrationName.Stamp(fileName) + "_*.sql").Length > 0)
            {
                utcNow = utcNow.AddSeconds(1);
                fileName = MigrationName.ForNew(utcNow, slug);
            }
            path = Path.Combine(directory, fileName);
            await File.WriteAllTextAsync(path, Text(MigrationName.Humanise(slug)), cancellationToken);
            return (path, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, MigrationProblems.CannotWriteMigration(path, ex.Message));
        }
    }

    /// <summary>The text of a new, empty migration.</summary>
    public static string Text(string description) => $"""
        -- {description}
        -- (why: link the issue or PR; affected tables; breaking changes)

        -- migrate:up


        -- migrate:down


        """;
}
