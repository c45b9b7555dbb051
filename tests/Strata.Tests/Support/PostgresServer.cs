using Npgsql;
using Strata.Database;
using Strata.History;
using Strata.LocalServer;

[assembly: AssemblyFixture(typeof(Strata.Tests.Support.PostgresServer))]

namespace Strata.Tests.Support;

/// <summary>
/// One throwaway PostgreSQL cluster for the whole test run, started with Strata's own
/// <see cref="LocalCluster"/> (initdb + pg_ctl, random port, socket in a temp folder, fsync off)
/// and removed afterwards. Each test gets its own database, so tests run in parallel.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>The superuser's password over TCP: every test output is checked not to contain it.</summary>
    public const string CanaryPassword = "Canary-pw-7f3a9c!x";

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"strata-tests-{Guid.NewGuid():N}"[..24]);
    private LocalCluster? _cluster;

    public LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("the test cluster did not start");

    public async ValueTask InitializeAsync()
    {
        var binaries = PostgresBinaries.Find(Environment.GetEnvironmentVariable);
        _cluster = new LocalCluster(binaries, new ClusterOptions(Path.Combine(_root, "data"), LocalCluster.FreePort(),
            SocketDirectory: Path.Combine(_root, "run"), SuperuserPassword: CanaryPassword, Durable: false));
        try
        {
            await _cluster.InitAsync();
            await _cluster.StartAsync();
        }
        catch (StrataException ex)
        {
            throw new InvalidOperationException(
                $"Could not start the test PostgreSQL cluster: {ex.Problem}. Install the server with 'apt-get install -y postgresql' " +
                "(the tests run initdb and pg_ctl; as root they run them as the 'postgres' OS user).", ex);
        }
    }

    /// <summary>A fresh, empty database for one test, dropped when disposed.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync("postgres", $"CREATE DATABASE {name}");
        return new TestDatabase(this, name);
    }

    /// <summary>Runs SQL on a database of the test cluster over the unix socket.</summary>
    public async Task ExecuteAsync(string database, string sql)
    {
        await using var session = await DatabaseSession.OpenAsync(Cluster.Target(database));
        await using var command = new NpgsqlCommand(sql, session.Connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null && _cluster.IsInitialised)
        {
            try { await _cluster.StopAsync(); } catch (StrataException) { /* already stopped */ }
        }
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}

/// <summary>One test's database, with handy queries.</summary>
public sealed class TestDatabase(PostgresServer server, string name) : IAsyncDisposable
{
    public string Name { get; } = name;

    /// <summary>A URL over TCP with the canary password, as a user would pass with --url.</summary>
    public string Url => $"postgresql://postgres:{Uri.EscapeDataString(PostgresServer.CanaryPassword)}@127.0.0.1:{server.Cluster.Options.Port}/{Name}";

    /// <summary>The library target (unix socket, trusted).</summary>
    public ConnectionTarget Target => server.Cluster.Target(Name);

    public Task ExecuteAsync(string sql) => server.ExecuteAsync(Name, sql);

    /// <summary>The first column of the first row, or null.</summary>
    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var session = await DatabaseSession.OpenAsync(Target);
        await using var command = new NpgsqlCommand(sql, session.Connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>Every row as text values.</summary>
    public async Task<List<string?[]>> RowsAsync(string sql)
    {
        await using var session = await DatabaseSession.OpenAsync(Target);
        await using var command = new NpgsqlCommand(sql, session.Connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string?[]>();
        while (await reader.ReadAsync())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i).ToString();
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Takes the migration lock of the default history table, as another runner would; released when disposed.</summary>
    internal async Task<DatabaseSession> HoldMigrationLockAsync()
    {
        var holder = await DatabaseSession.OpenAsync(Target);
        await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({AdvisoryLock.KeyFor(HistoryTable.Default.Qualified)})", holder.Connection);
        await take.ExecuteScalarAsync();
        return holder;
    }

    /// <summary>The strategy document's history table made by hand, with its self-inserted bootstrap row.</summary>
    public Task CreateHandMadeHistoryAsync(string description = "Create schema_versions table") => ExecuteAsync($"""
        CREATE TABLE schema_versions (version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ DEFAULT NOW(), applied_by TEXT,
            description TEXT NOT NULL, rollback_sql TEXT NOT NULL, checksum TEXT, execution_time_ms INTEGER,
            status TEXT DEFAULT 'applied', metadata JSONB);
        INSERT INTO schema_versions (version, description, rollback_sql, applied_by)
        VALUES ('20251002120000_create_schema_versions_table.sql', '{description}', 'DROP TABLE IF EXISTS schema_versions CASCADE;', 'initial_setup');
        """);

    /// <summary>True while another session of this database runs a statement containing <paramref name="fragment"/>.</summary>
    public Task<bool> RunningAsync(string fragment) => ScalarAsync<bool>(
        $"SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%{fragment}%' AND pid <> pg_backend_pid())");

    /// <summary>Ends every other session of this database, as a DBA cleaning up after a killed client would.</summary>
    public Task EndOtherSessionsAsync() => ExecuteAsync(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");

    /// <summary>Polls <paramref name="condition"/> every 50 ms for up to 15 s.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300 && !await condition(); i++) await Task.Delay(50);
    }

    public Task<bool> TableExistsAsync(string table) => ScalarAsync<bool>($"SELECT to_regclass('{table}') IS NOT NULL");

    public async ValueTask DisposeAsync()
    {
        // Every test database ends with the same check: no history row or event holds the canary password.
        var recorded = "";
        foreach (var table in (string[])["schema_versions", "schema_version_events"])
            if (await TableExistsAsync("public." + table))
                recorded += await ScalarAsync<string>($"SELECT coalesce(string_agg(r::text, ' '), '') FROM {table} r");
        await server.ExecuteAsync("postgres", $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        recorded.Should().NotContain(PostgresServer.CanaryPassword, "history rows and events never hold a password");
    }
}
