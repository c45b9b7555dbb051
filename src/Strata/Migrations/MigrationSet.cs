namespace Strata.Migrations;

/// <summary>The validated migrations of a source, in timestamp order.</summary>
/// <param name="Source">Where they came from.</param>
/// <param name="Files">Every valid migration, ordered by timestamp.</param>
/// <param name="Problems">Everything wrong with the source; when not empty, nothing may run.</param>
public sealed record MigrationSet(IMigrationSource Source, IReadOnlyList<MigrationFile> Files, IReadOnlyList<Problem> Problems)
{
    /// <summary>Finds a file by full name or by its 14-digit timestamp.</summary>
    public MigrationFile? Find(string versionOrStamp) =>
        Files.FirstOrDefault(f => f.Version == versionOrStamp || f.Version.StartsWith(versionOrStamp + "_", StringComparison.Ordinal));

    /// <summary>
    /// Reads and validates every file of <paramref name="source"/>: names, real timestamps, strict
    /// UTF-8, sections, statements and duplicate timestamps, the same rules for every kind of source.
    /// Every problem is reported at once so a bad folder is fixed in one pass, before anything
    /// touches a database.
    /// </summary>
    public static MigrationSet Load(IMigrationSource source)
    {
        var listing = source.List();
        var problems = new List<Problem>(listing.Problems);
        var files = new List<MigrationFile>();
        foreach (var candidate in listing.Files)
        {
            if (!MigrationName.TryParse(candidate.Name, out var timestamp, out var slug, out var nameProblem))
            {
                problems.Add(nameProblem! with { File = candidate.Location });
                continue;
            }
            if (!MigrationText.TryDecode(candidate.Location, candidate.Content, out var text, out var decodeProblem))
            {
                problems.Add(decodeProblem!);
                continue;
            }
            var file = MigrationParser.Parse(candidate.Location, candidate.Name, timestamp, slug, text, problems);
            if (file is not null) files.Add(file);
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Version, b.Version));
        for (var i = 1; i < files.Count; i++)
        {
            if (files[i].Timestamp == files[i - 1].Timestamp)
                problems.Add(MigrationProblems.DuplicateTimestamp(files[i - 1].Version, files[i].Version) with { File = files[i].Path });
        }
        return new MigrationSet(source, files, problems);
    }
}
