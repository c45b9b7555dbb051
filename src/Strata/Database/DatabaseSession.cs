using System.Net.Sockets;
using Npgsql;

namespace Strata.Database;

/// <summary>
/// One open connection to a target, with the server's notices collected (a migration's
/// <c>RAISE NOTICE</c> is part of its result). Opening maps every connection failure to a
/// <see cref="Problem"/> of kind CannotConnect, with the password redacted.
/// </summary>
public sealed class DatabaseSession : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly List<string> _notices = [];

    private DatabaseSession(ConnectionTarget target, NpgsqlDataSource dataSource, NpgsqlConnection connection)
    {
        Target = target;
        _dataSource = dataSource;
        Connection = connection;
        Connection.Notice += (_, e) => { lock (_notices) _notices.Add(Redactor.Redact(e.Notice.MessageText)); };
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
        var connectionString = new NpgsqlConnectionStringBuilder(target.ConnectionString)
        {
            IncludeFailedBatchedCommand = true,
            IncludeErrorDetail = true,
        }.ConnectionString;
        var dataSource = new NpgsqlSlimDataSourceBuilder(connectionString).Build();
        try
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return new DatabaseSession(target, dataSource, connection);
        }
        catch (Exception ex)
        {
            await dataSource.DisposeAsync();
            throw new StrataException(Classify(target, ex));
        }
    }

    /// <summary>Maps a failure to open a connection to the problem a user can act on.</summary>
    public static Problem Classify(ConnectionTarget target, Exception ex) => ex switch
    {
        PostgresException { SqlState: "28P01" or "28000" } pg => DatabaseProblems.LoginRefused(target.Display, pg.MessageText),
        PostgresException { SqlState: "3D000" } pg => DatabaseProblems.CannotConnect(target.Display, pg.MessageText),
        PostgresException pg => DatabaseProblems.CannotConnect(target.Display, $"{pg.SqlState}: {pg.MessageText}"),
        NpgsqlException { InnerException: SocketException socket } => DatabaseProblems.CannotConnect(target.Display, socket.Message),
        NpgsqlException { InnerException: TimeoutException } => DatabaseProblems.CannotConnect(target.Display, "the connection timed out"),
        NpgsqlException npgsql => DatabaseProblems.CannotConnect(target.Display, npgsql.Message),
        SocketException socket => DatabaseProblems.CannotConnect(target.Display, socket.Message),
        TimeoutException => DatabaseProblems.CannotConnect(target.Display, "the connection timed out"),
        _ => DatabaseProblems.CannotConnect(target.Display, ex.Message),
    };

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
