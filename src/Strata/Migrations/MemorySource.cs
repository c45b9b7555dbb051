using System.Text;

namespace Strata.Migrations;

/// <summary>Migrations given as text, keyed by file name: for tests and generated schemas.</summary>
/// <param name="Files">File name and text of each migration.</param>
public sealed record MemorySource(IReadOnlyList<KeyValuePair<string, string>> Files) : IMigrationSource
{
    /// <summary>A source of the given (file name, text) pairs.</summary>
    public MemorySource(params (string Name, string Text)[] files) : this([.. files.Select(f => KeyValuePair.Create(f.Name, f.Text))])
    {
    }

    /// <inheritdoc/>
    public string Description => "memory";

    /// <inheritdoc/>
    public SourceListing List() =>
        new([.. Files.Select(f => new SourceFile(f.Key, "memory:" + f.Key, Encoding.UTF8.GetBytes(f.Value)))], []);
}
