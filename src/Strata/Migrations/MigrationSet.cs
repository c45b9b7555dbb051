namespace Strata.Migrations;

/// <summary>The validated migrations of a source, in timestamp order.</summary>
/// <param name="Source">Where they came from.</param>
/// <param name="Files">Every valid migration, ordered by timestamp.</param>
/// <param name="Problems">Everything wrong with the source; when not empty, nothing may run.</param>
public sealed record MigrationSet(IMigrationSource Source, IReadOnlyList<MigrationFile> Files, IReadOnlyList<Problem> Problems)
{
    /// <summary>Finds a file by full name or by its 14-digit timestamp.</summary>
    public MigrationFile? Find(string versionOrStamp) => Files.FirstOrDefault(f => MigrationCandidates.Names(f.Version, versionOrStamp));

    /// <summary>
    /// Reads and validates every file of <paramref name="source"/>: names, real timestamps, strict
    /// UTF-8, sections, statements and duplicate timestamps, the same rules for every kind of source.
    /// Every problem is reported at once so a bad folder is fixed in one pass, before anything
    /// touches a database.
    /// </summary>
    public static MigrationSet Load(IMigrationSource source) => MigrationCandidates.Read(source).Parse(trusted: null);
}

/// <summary>One file of a source, named, decoded and hashed, not parsed yet.</summary>
internal sealed record MigrationCandidate(string Name, string Location, DateTime Timestamp, string Slug, string Text, string Checksum);

/// <summary>
/// The first half of loading a source: every file listed, its name and timestamp checked, its
/// bytes decoded as strict UTF-8 and hashed. Cheap, and enough to compare with the history;
/// <see cref="Parse"/> is the second half.
/// </summary>
internal sealed record MigrationCandidates(IMigrationSource Source, IReadOnlyList<MigrationCandidate> Files, IReadOnlyList<Problem> Problems)
{
    public static MigrationCandidates Read(IMigrationSource source)
    {
        var listing = source.List();
        // Decoding and hashing a thousand files is the other half of reading them: on every core,
        // gathered in the listing's order.
        var read = new (MigrationCandidate? File, Problem? Problem)[listing.Files.Count];
        Parallel.For(0, read.Length, i =>
        {
            var candidate = listing.Files[i];
            if (!MigrationName.TryParse(candidate.Name, out var timestamp, out var slug, out var nameProblem))
                read[i] = (null, nameProblem! with { File = candidate.Location });
            else if (!MigrationText.TryDecode(candidate.Location, candidate.Content, out var text, out var decodeProblem))
                read[i] = (null, decodeProblem);
            else
                read[i] = (new MigrationCandidate(candidate.Name, candidate.Location, timestamp, slug, text, MigrationText.Checksum(text)), null);
        });
        return new MigrationCandidates(source, [.. read.Where(r => r.File is not null).Select(r => r.File!)],
            [.. listing.Problems, .. read.Where(r => r.Problem is not null).Select(r => r.Problem!)]);
    }

    /// <summary>
    /// Parses and validates every file, except those <paramref name="trusted"/> maps to their own
    /// checksum: the applied migrations whose files are unchanged since the run that validated
    /// and applied them. Their sections are parsed when first read, which a run that only applies
    /// what is pending never does. A file that changed since it was applied is parsed like any
    /// other (it is drift, and its problems are news).
    /// </summary>
    public MigrationSet Parse(IReadOnlyDictionary<string, string>? trusted)
    {
        var problems = new List<Problem>(Problems);
        var files = new List<MigrationFile>(Files.Count);
        foreach (var candidate in Files)
        {
            if (trusted is not null && trusted.TryGetValue(candidate.Name, out var applied) && applied == candidate.Checksum)
            {
                files.Add(new MigrationFile(candidate.Name, candidate.Location, candidate.Timestamp, candidate.Checksum,
                    new Lazy<MigrationBody>(() => ParseTrusted(candidate))));
                continue;
            }
            var file = MigrationParser.Parse(candidate.Location, candidate.Name, candidate.Timestamp, candidate.Slug, candidate.Text, problems, candidate.Checksum);
            if (file is not null) files.Add(file);
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Version, b.Version));
        for (var i = 1; i < files.Count; i++)
        {
            if (files[i].Timestamp == files[i - 1].Timestamp)
                problems.Add(MigrationProblems.DuplicateTimestamp(files[i - 1].Version, files[i].Version) with { File = files[i].Path });
        }
        return new MigrationSet(Source, files, problems);
    }

    /// <summary>
    /// An applied file's body, parsed on first use. It was valid when it was applied; a rule added
    /// since may refuse it, and then whoever reads the body gets that refusal, never a guess.
    /// </summary>
    private static MigrationBody ParseTrusted(MigrationCandidate candidate)
    {
        var problems = new List<Problem>();
        var file = MigrationParser.Parse(candidate.Location, candidate.Name, candidate.Timestamp, candidate.Slug, candidate.Text, problems, candidate.Checksum);
        if (file is null) throw new StrataException(problems);
        return file.Body;
    }

    internal static bool Names(string version, string versionOrStamp) =>
        version == versionOrStamp || version.StartsWith(versionOrStamp + "_", StringComparison.Ordinal);
}
