using Npgsql;

namespace Strata.Database;

/// <summary>
/// One open connection to a target, with the server's notices collected (a migration's
/// <c>RAISE NOTICE</c> is part of its result). Opening maps every connection failure to a
/// <see cref="Problem"/> of kind CannotConnect, with the password redacted.
/// </summary>
internal sealed class DatabaseSession : IAsyncDisposable
{
    /// <summary>
    /// Opens a session on <paramref name="target"/>, runs <paramref name="work"/> and closes it,
    /// with driver faults turned into <see cref="StrataException"/>: the one way every operation
    /// (the project's and deploy's, on any environment) reaches a database.
    /// </summary>
    public static Task<T> UseAsync<T>(ConnectionTarget target, Func<DatabaseSession, Task<T>> work, CancellationToken cancellationToken) =>
        DatabaseFaults.TranslateAsync(target, async () =>
        {
            await using var session = await OpenAsync(target, cancellationToken);
            return await work(session);
        });

    private readonly NpgsqlDataSource _dataSource;
    private readonly List<string> _notices = [];

    private DatabaseSession(ConnectionTarget target, NpgsqlDataSource dataSource, NpgsqlConnection connection)
    {
        Target = target;
        _dataSource = dataSource;
        Connection = connection;
        Connection.Notice += (_, e) => { lock (_notices) _notices.Add(target.Redactor.Redact(e.Notice.MessageText)); };
    }

    /// <summary>What this session is connected to.</summary>
    public ConnectionTarget Target { get; }

    /// <summary>The open connection. No transaction is left open between library calls.</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>Returns and clears the notices received since the last call.</summary>
    public IReadOnlyList<string> TakeNotices()
    {
        lock (_notices)
        {
            var copy = _notices.ToArray();
            _notices.Clear();
            return copy;
        }
    }

    /// <summary>Opens a connection, or throws a <see cref="StrataException"/> that says why not.</summary>
    public static async Task<DatabaseSession> OpenAsync(ConnectionTarget target, CancellationToken cancellationToken = default)
    {
        // The slim builder keeps the native binary small; Strata sends text and reads simple types.
        // A failed statement of a batch must be identifiable, to map the error to its file line; the
        // server's DETAIL ("Key (v)=(1) is duplicated") is shown, after Strata's own redaction.
        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString)
        {
            IncludeFailedBatchedCommand = true,
            IncludeErrorDetail = true,
        };
        // Npgsql gives up on a command after 30 s by default, and a migration (a concurrent index on
        // a big table, a data backfill) may rightly take hours: the server-side lock_timeout and
        // statement_timeout are the limits. A timeout the connection string sets is kept.
        // (Npgsql's own builder claims every known key; the plain builder sees only those written.)
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = target.ConnectionString };
        if (!written.ContainsKey("Command Timeout")) builder.CommandTimeout = 0;
        // Each migration sends the same bookkeeping commands (BEGIN, the session reset, the
        // timeouts, the history upsert and its event, COMMIT) around its own statements. Prepared
        // once on the server, they are no longer parsed and planned a thousand times over: apply
        // 1,000 took a tenth less. A migration's own statements are each sent once, so they never
        // reach the two uses that prepare. A setting the connection string makes is kept.
        if (!written.ContainsKey("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
        }
        var connectionString = builder.ConnectionString;
        // Strata reads only built-in types (text, integers, booleans, timestamps, jsonb as text), so
        // Npgsql need not load the database's types: that catalog query was the slowest round
        // trip of a no-op 'up', slower than reading a thousand history rows. psql does not load
        // them either. A value of a type Npgsql does not know is still read as text.
        var dataSource = new NpgsqlSlimDataSourceBuilder(connectionString)
            .ConfigureTypeLoading(types => types.EnableTypeLoading(false))
            .Build();
        try
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return new DatabaseSession(target, dataSource, connection);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await dataSource.DisposeAsync();
            throw new StrataException(DatabaseProblems.OpenFailed(target, ex));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
