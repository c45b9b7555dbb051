using System.Reflection;

namespace Strata.Migrations;

/// <summary>
/// Migrations compiled into an assembly as embedded resources, so an application carries its
/// schema with it and migrates at start-up without a folder on disk. With
/// <c>&lt;EmbeddedResource Include="Migrations/*.sql" /&gt;</c> in a project whose root namespace is
/// <c>MyApp</c>, the resources are named <c>MyApp.Migrations.20251002143000_add_x.sql</c>: pass
/// <c>"MyApp.Migrations."</c> as the prefix.
/// </summary>
/// <param name="Assembly">The assembly holding the resources.</param>
/// <param name="Prefix">The resource-name prefix of the migrations folder, ending in a dot.</param>
public sealed record EmbeddedSource(Assembly Assembly, string Prefix) : IMigrationSource
{
    /// <inheritdoc/>
    public string Description => $"embedded resources {Prefix}* of {Assembly.GetName().Name}";

    /// <inheritdoc/>
    public SourceListing List()
    {
        var files = new List<SourceFile>();
        var problems = new List<Problem>();
        var names = Assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        foreach (var resource in names)
        {
            var name = resource[Prefix.Length..];
            var location = $"{Assembly.GetName().Name}!{resource}";
            var nearMiss = MigrationName.IsNearMiss(name);
            if (!nearMiss && !name.EndsWith(".sql", StringComparison.Ordinal)) continue;
            // A dot before the extension means a sub-folder (Migrations/repeatable/x.sql): not a
            // versioned migration, as in a folder source. Migration names themselves have no dots.
            if (name.TrimEnd(' ', '\t', '.')[..^4].Contains('.')) continue;
            if (nearMiss)
            {
                problems.Add(MigrationProblems.MisnamedFile(name, location));
                continue;
            }
            using var stream = Assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            files.Add(new SourceFile(name, location, buffer.ToArray()));
        }
        if (files.Count == 0 && names.Length == 0)
            return new SourceListing([], [MigrationProblems.NoEmbeddedMigrations(Description)]);
        return new SourceListing(files, problems);
    }
}
