using Strata.Database;

namespace Strata.LocalServer;

/// <summary>
/// The state of a project's development cluster, for <c>dev</c> commands. <c>Url</c> is the dev
/// database's socket URL (no password exists); null before the cluster was created.
/// </summary>
internal sealed record DevClusterState(bool Initialised, bool Running, string DataDirectory, int? Port, string? Url);

/// <summary>
/// The project's development database: the default target when no --url, --env or
/// DATABASE_URL is given. Its cluster lives under <c>.strata/</c> in the project and keeps its
/// port in <c>.strata/dev-cluster</c> so every later run finds it. It has no TCP listener: it
/// listens on a unix socket in a folder beside its data (<c>.strata/run</c>) that only its owner
/// can enter, and trusts logins there. So the project's own user connects with no password,
/// no password exists to leak, and no other local OS user can reach it at all (an older Strata
/// trusted every TCP login on 127.0.0.1, which made every local user its superuser).
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

    /// <summary>The <see cref="ConnectionTarget.Source"/> of the dev database.</summary>
    public const string TargetSource = "local dev cluster";

    /// <summary>True once the cluster was created (its state file is written at creation).</summary>
    public bool Exists => File.Exists(_stateFile);

    /// <summary>The project's .strata folder.</summary>
    public string StrataDirectory { get; }

    /// <summary>Reads the state without starting anything (a cluster an older Strata made is made socket-only first).</summary>
    public async Task<DevClusterState> StateAsync(CancellationToken cancellationToken = default)
    {
        var state = ReadState();
        if (state.Port is not { } port) return new DevClusterState(false, false, state.DataDirectory, null, null);
        var cluster = Cluster(state, port);
        if (state.ListensOnTcp && cluster.IsInitialised) await CloseTcpListenerAsync(cluster, cancellationToken);
        return new DevClusterState(cluster.IsInitialised, await cluster.IsRunningAsync(cancellationToken), state.DataDirectory, port,
            cluster.Target(Database).Display);
    }

    /// <summary>Initialises on first use, starts when stopped, and returns the target of the dev database.</summary>
    public async Task<ConnectionTarget> StartAsync(CancellationToken cancellationToken = default)
    {
        var state = ReadState();
        // Every command after the first finds it running: then the target is all there is to do.
        // (Its database was made by the start that came first.)
        if (state.Port is { } known && !state.ListensOnTcp && Cluster(state, known) is { IsInitialised: true } running && running.AppearsRunning())
            return running.Target(Database).WithSource(TargetSource);
        Directory.CreateDirectory(StrataDirectory);
        var cluster = Cluster(state, state.Port ?? LocalCluster.FreePort());
        if (!cluster.IsInitialised)
        {
            await cluster.InitAsync(cancellationToken);
            await WriteStateAsync(cluster.Options, cancellationToken);
        }
        else if (state.ListensOnTcp)
        {
            await CloseTcpListenerAsync(cluster, cancellationToken);
        }
        if (!await cluster.IsRunningAsync(cancellationToken)) await cluster.StartAsync(cancellationToken);
        await cluster.CreateDatabaseAsync(Database, cancellationToken);
        return cluster.Target(Database).WithSource(TargetSource);
    }

    /// <summary>Stops the cluster if it runs. Returns false when there was nothing to stop.</summary>
    public async Task<bool> StopAsync(CancellationToken cancellationToken = default)
    {
        var state = ReadState();
        if (state.Port is not { } port) return false;
        var cluster = Cluster(state, port);
        if (!await cluster.IsRunningAsync(cancellationToken)) return false;
        await cluster.StopAsync(cancellationToken);
        return true;
    }

    private LocalCluster Cluster(StoredState state, int port) =>
        new(PostgresBinaries.Find(_environment), new ClusterOptions(state.DataDirectory, port, state.SocketDirectory));

    private async Task CloseTcpListenerAsync(LocalCluster cluster, CancellationToken cancellationToken)
    {
        await cluster.CloseTcpListenerAsync(cancellationToken);
        await WriteStateAsync(cluster.Options, cancellationToken);
    }

    private Task WriteStateAsync(ClusterOptions options, CancellationToken cancellationToken) =>
        File.WriteAllLinesAsync(_stateFile, [$"port={options.Port}", $"data={options.DataDirectory}", $"socket={options.SocketDirectory}"], cancellationToken);

    /// <summary>What <c>.strata/dev-cluster</c> says; <see cref="ListensOnTcp"/> when an older Strata wrote it (no socket line).</summary>
    private sealed record StoredState(string DataDirectory, int? Port, string SocketDirectory, bool ListensOnTcp);

    private StoredState ReadState()
    {
        int? port = null;
        string? data = null;
        string? socket = null;
        if (File.Exists(_stateFile))
        {
            foreach (var line in File.ReadAllLines(_stateFile))
            {
                if (line.StartsWith("port=", StringComparison.Ordinal) && int.TryParse(line[5..], out var p)) port = p;
                if (line.StartsWith("data=", StringComparison.Ordinal)) data = line[5..];
                if (line.StartsWith("socket=", StringComparison.Ordinal)) socket = line[7..];
            }
        }
        data ??= DefaultDataDirectory();
        // Beside the data folder: the server user can reach it wherever the data had to go (as
        // root, /var/tmp when the project is in a private home folder).
        var socketDirectory = socket ?? Path.Combine(Path.GetDirectoryName(data)!, "run");
        return new StoredState(data, port, socketDirectory, port is not null && socket is null);
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
