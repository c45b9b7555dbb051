namespace Strata.Migrations;

/// <summary>One file as a source holds it: its name, where it came from, and its bytes.</summary>
/// <param name="Name">The file name, e.g. <c>20251002143000_add_tool_calls.sql</c>: the version recorded in history.</param>
/// <param name="Location">Where it came from, for errors: a path, an assembly resource, a memory entry.</param>
/// <param name="Content">The raw bytes; the loader checks they are UTF-8 and normalises them.</param>
public sealed record SourceFile(string Name, string Location, byte[] Content);

/// <summary>What a source lists: its candidate files, and problems that are the source's own.</summary>
/// <param name="Files">Every candidate file, good names and bad alike.</param>
/// <param name="Problems">Problems of the source itself, such as a missing folder.</param>
public sealed record SourceListing(IReadOnlyList<SourceFile> Files, IReadOnlyList<Problem> Problems);

/// <summary>
/// Where migrations come from: a folder, an assembly's embedded resources, or a list in memory.
/// The seam is only the listing; every rule about the files (names, real timestamps, duplicates,
/// strict UTF-8, checksum, sections) is applied by <see cref="MigrationSet.Load"/>, the same for all.
/// </summary>
public interface IMigrationSource
{
    /// <summary>Names the source in messages: the folder path, "embedded resources of MyApp", "memory".</summary>
    string Description { get; }

    /// <summary>
    /// Called once per load, before anything touches a database. Returns every file that may be a
    /// migration, including those with bad names (the loader reports them rather than skipping them
    /// silently), and none that belong elsewhere (a folder's sub-folders such as <c>repeatable/</c>).
    /// A near-miss name (<c>X.SQL</c>, see <c>MigrationName.IsNearMiss</c>) and an entry that
    /// cannot be read are problems of the listing. A source that cannot be read returns a
    /// problem, not an exception, and listing must never block (a named pipe is not opened).
    /// </summary>
    SourceListing List();
}
