using Strata.Database;

namespace Strata.LocalServer;

/// <summary>The state of a project's development cluster, for <c>dev</c> commands.</summary>
internal sealed record DevClusterState(bool Initialised, bool Running, string DataDirectory, int? Port)
{
    /// <summary>The dev database's URL, password-free (local logins are trusted); null before it was created.</summary>
    public string? Url => Port is { } port ? $"postgresql://{LocalCluster.Superuser}@127.0.0.1:{port}/{DevCluster.Database}" : null;
}

/// <summary>
/// The project's development database: the default target when no --url, --env or
/// DATABASE_URL is given. Its cluster lives under <c>.strata/</c> in the project, listens on
/// 127.0.0.1 only, trusts local logins (so no password exists to leak), and keeps its port in
/// <c>.strata/dev-cluster</c> so every later run finds it.
/// </summary>
internal sealed class DevCluster
{
    /// <summary>The database migrations go to.</summary>
    public const string Database = "strata_dev";

    private readonly string _stateFile;
    private readonly Func<string, string?> _environment;

    /// <summary>A project's dev cluster; nothing is created until <see cref="StartAsync"/>.</summary>
    public DevCluster(string projectRoot, Func<string, string?> environment)
    {
        StrataDirectory = Path.Combine(Path.GetFullPath(projectRoot), ".strata");
        _stateFile = Path.Combine(StrataDirectory, "dev-cluster");
        _environment = environment;
    }

    /// <summary>True once the cluster was created (its state file is written at creation).</summary>
    public bool Exists => File.Exists(_stateFile);

    /// <summary>The project's .strata folder.</summary>
    public string StrataDirectory { get; }

    /// <summary>Reads the state without starting anything.</summary>
    public async Task<DevClusterState> StateAsync(CancellationToken cancellationToken = default)
    {
        var (dataDirectory, port) = ReadState();
        if (port is null) return new DevClusterState(false, false, dataDirectory, null);
        var cluster = new LocalCluster(PostgresBinaries.Find(_environment), new ClusterOptions(dataDirectory, port.Value));
        return new DevClusterState(cluster.IsInitialised, await cluster.IsRunningAsync(cancellationToken), dataDirectory, port);
    }

    /// <summary>Initialises on first use, starts when stopped, and returns the target of the dev database.</summary>
    public async Task<ConnectionTarget> StartAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(StrataDirectory);
        var (dataDirectory, port) = ReadState();
        var binaries = PostgresBinaries.Find(_environment);
        var cluster = new LocalCluster(binaries, new ClusterOptions(dataDirectory, port ?? LocalCluster.FreePort()));
        if (!cluster.IsInitialised)
        {
            await cluster.InitAsync(cancellationToken);
            await File.WriteAllLinesAsync(_stateFile, [$"port={cluster.Options.Port}", $"data={dataDirectory}"], cancellationToken);
        }
        if (!await cluster.IsRunningAsync(cancellationToken)) await cluster.StartAsync(cancellationToken);
        await cluster.CreateDatabaseAsync(Database, cancellationToken);
        return cluster.Target(Database).WithSource("local dev cluster");
    }

    /// <summary>Stops the cluster if it runs. Returns false when there was nothing to stop.</summary>
    public async Task<bool> StopAsync(CancellationToken cancellationToken = default)
    {
        var (dataDirectory, port) = ReadState();
        if (port is null) return false;
        var cluster = new LocalCluster(PostgresBinaries.Find(_environment), new ClusterOptions(dataDirectory, port.Value));
        if (!await cluster.IsRunningAsync(cancellationToken)) return false;
        await cluster.StopAsync(cancellationToken);
        return true;
    }

    private (string DataDirectory, int? Port) ReadState()
    {
        int? port = null;
        string? data = null;
        if (File.Exists(_stateFile))
        {
            foreach (var line in File.ReadAllLines(_stateFile))
            {
                if (line.StartsWith("port=", StringComparison.Ordinal) && int.TryParse(line[5..], out var p)) port = p;
                if (line.StartsWith("data=", StringComparison.Ordinal)) data = line[5..];
            }
        }
        return (data ?? DefaultDataDirectory(), port);
    }

    private string DefaultDataDirectory()
    {
        var inProject = Path.Combine(StrataDirectory, "pgdata");
        // As root the server runs as 'postgres', which cannot enter a private home folder such as
        // /root; then the data goes where it can, keyed by the project path so projects stay apart.
        if (!Environment.IsPrivilegedProcess || OthersCanTraverse(StrataDirectory)) return inProject;
        var key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(StrataDirectory)))[..12];
        return Path.Combine("/var/tmp", $"strata-dev-{key}", "pgdata");
    }

    private static bool OthersCanTraverse(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (!dir.Exists) continue;
            if ((dir.UnixFileMode & UnixFileMode.OtherExecute) == 0) return false;
        }
        return true;
    }
}
