namespace Strata.Tests.Support;

/// <summary>A temporary project folder with a migrations folder, deleted when disposed.</summary>
public sealed class MigrationDirectory : IDisposable
{
    public MigrationDirectory()
    {
        Root = Path.Combine(Path.GetTempPath(), $"strata-dir-{Guid.NewGuid():N}");
        Migrations = Path.Combine(Root, "migrations");
        Directory.CreateDirectory(Migrations);
    }

    public string Root { get; }
    public string Migrations { get; }

    /// <summary>Writes a migration file; returns its path.</summary>
    public string Write(string fileName, string text)
    {
        var path = Path.Combine(Migrations, fileName);
        File.WriteAllText(path, text);
        return path;
    }

    public string WriteBytes(string fileName, byte[] bytes)
    {
        var path = Path.Combine(Migrations, fileName);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes a file at the project root (e.g. strata.toml).</summary>
    public string WriteRoot(string fileName, string text)
    {
        var path = Path.Combine(Root, fileName);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
