namespace Strata.Migrations;

/// <summary>The validated contents of a migrations folder, in timestamp order.</summary>
/// <param name="Directory">The folder that was read.</param>
/// <param name="Files">Every valid migration, ordered by timestamp.</param>
/// <param name="Problems">Everything wrong with the folder; when not empty, nothing may run.</param>
public sealed record MigrationSet(string Directory, IReadOnlyList<MigrationFile> Files, IReadOnlyList<Problem> Problems)
{
    /// <summary>Finds a file by full name or by its 14-digit timestamp.</summary>
    public MigrationFile? Find(string versionOrStamp) =>
        Files.FirstOrDefault(f => f.Version == versionOrStamp || f.Version.StartsWith(versionOrStamp + "_", StringComparison.Ordinal));
}

/// <summary>
/// Discovers <c>*.sql</c> files directly in a folder (sub-folders such as <c>repeatable/</c> are
/// not versioned migrations), validates names, timestamps and contents, and reports every
/// problem at once so a bad folder is fixed in one pass, before anything touches a database.
/// </summary>
public static class MigrationFolder
{
    /// <summary>Reads and validates the folder.</summary>
    public static MigrationSet Load(string directory)
    {
        if (!Directory.Exists(directory))
            return new MigrationSet(directory, [], [MigrationProblems.MissingFolder(directory)]);

        var problems = new List<Problem>();
        var files = new List<MigrationFile>();
        var paths = Directory.GetFiles(directory, "*.sql", SearchOption.TopDirectoryOnly);
        Array.Sort(paths, StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var fileName = Path.GetFileName(path);
            if (!MigrationName.TryParse(fileName, out var timestamp, out var slug, out var nameProblem))
            {
                problems.Add(nameProblem! with { File = path });
                continue;
            }
            if (!MigrationText.TryDecode(path, File.ReadAllBytes(path), out var text, out var decodeProblem))
            {
                problems.Add(decodeProblem!);
                continue;
            }
            var file = MigrationParser.Parse(path, fileName, timestamp, slug, text, problems);
            if (file is not null) files.Add(file);
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Version, b.Version));
        for (var i = 1; i < files.Count; i++)
        {
            if (files[i].Timestamp == files[i - 1].Timestamp)
                problems.Add(MigrationProblems.DuplicateTimestamp(files[i - 1].Version, files[i].Version) with { File = files[i].Path });
        }
        return new MigrationSet(directory, files, problems);
    }
}
