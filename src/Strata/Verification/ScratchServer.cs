using Npgsql;
using Strata.Database;
using Strata.LocalServer;

namespace Strata.Verification;

/// <summary>
/// Where <c>verify</c> works, never on a database anyone uses: a throwaway PostgreSQL cluster of
/// its own (initdb in a temporary folder, no fsync, a unix socket only, removed afterwards), or,
/// with <c>--url SERVER</c>, scratch databases it creates on that server and drops afterwards.
/// </summary>
internal sealed class ScratchServer : IAsyncDisposable
{
    private const string Prefix = "strata_verify_";

    private readonly LocalCluster? _cluster;
    private readonly string? _root;
    private readonly ConnectionTarget _maintenance;
    private readonly List<string> _databases = [];

    private ScratchServer(ConnectionTarget maintenance, string description, LocalCluster? cluster, string? root)
    {
        _maintenance = maintenance;
        Description = description;
        _cluster = cluster;
        _root = root;
    }

    /// <summary>The database verify connects to in order to create and drop its scratch databases.</summary>
    public ConnectionTarget Maintenance => _maintenance;

    /// <summary>What the report says the scratch databases live on, password-free.</summary>
    public string Description { get; }

    /// <summary>Starts a throwaway cluster, or uses <paramref name="server"/> when given.</summary>
    public static async Task<ScratchServer> StartAsync(ConnectionTarget? server, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        if (server is not null) return new ScratchServer(server, $"scratch databases on {server.Display}", null, null);
        var binaries = PostgresBinaries.Find(environment);
        var root = Path.Combine(Path.GetTempPath(), "strata-verify-" + Guid.NewGuid().ToString("N")[..12]);
        var cluster = new LocalCluster(binaries, new ClusterOptions(Path.Combine(root, "data"), LocalCluster.FreePort(),
            SocketDirectory: Path.Combine(root, "run"), Durable: false));
        var scratch = new ScratchServer(cluster.Target("postgres"), "a throwaway PostgreSQL cluster", cluster, root);
        try
        {
            await cluster.InitAsync(cancellationToken);
            await cluster.StartAsync(cancellationToken);
            return scratch;
        }
        catch
        {
            await scratch.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new, empty database on the scratch server, dropped when this is disposed.</summary>
    public async Task<ConnectionTarget> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = Prefix + Guid.NewGuid().ToString("N")[..12];
        await using var session = await DatabaseSession.OpenAsync(_maintenance, cancellationToken);
        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", session.Connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex)
        {
            throw new StrataException(VerificationProblems.CannotCreateScratch(_maintenance.Display, ex.SqlState, ex.MessageText));
        }
        _databases.Add(name);
        return _maintenance.WithDatabase(name);
    }

    /// <summary>Drops the scratch databases (even with sessions left on them), and removes a throwaway cluster.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_cluster is null)
        {
            try
            {
                await using var session = await DatabaseSession.OpenAsync(_maintenance, CancellationToken.None);
                foreach (var name in _databases)
                {
                    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", session.Connection);
                    await drop.ExecuteNonQueryAsync(CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or StrataException)
            {
                // The server went away: nothing more can be cleaned up from here, and the report
                // (or the error on its way) matters more than this.
            }
            return;
        }
        try { await _cluster.StopAsync(CancellationToken.None); }
        catch (StrataException) { /* a cluster that never started has nothing to stop */ }
        try { if (_root is not null && Directory.Exists(_root)) Directory.Delete(_root, recursive: true); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { /* a temp folder the OS cleans up */ }
    }
}
