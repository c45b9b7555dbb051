using System.Diagnostics;
using System.Text;
using Npgsql;

namespace Strata.Database;

/// <summary>
/// The session-level advisory lock that serialises every writer on one history table.
/// Waiting is done by polling <c>pg_try_advisory_lock</c>, never by a blocking
/// <c>pg_advisory_lock</c>: a blocked statement keeps a snapshot open, and a
/// <c>CREATE INDEX CONCURRENTLY</c> run by the holder waits for every such snapshot in the
/// database, so the waiter and the holder would wait on each other (Flyway #3682/#3961,
/// FluentMigrator #2220). Between polls the waiter holds nothing.
/// </summary>
internal static class AdvisoryLock
{
    /// <summary>A stable 64-bit key per history table, so two histories in one database do not block each other.</summary>
    public static long KeyFor(string qualifiedHistoryTable)
    {
        // FNV-1a: stable across processes and runtimes, unlike string.GetHashCode.
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes("strata:" + qualifiedHistoryTable))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return unchecked((long)hash);
    }

    /// <summary>
    /// Takes the lock, polling until <paramref name="wait"/> has passed. Calls <paramref name="onWaiting"/>
    /// once with the holder's description when the lock is busy. Returns null once the lock is held,
    /// or the lock-busy refusal naming the holder: a busy lock is an expected outcome, not a fault.
    /// </summary>
    public static async Task<Problem?> AcquireAsync(DatabaseSession session, long key, TimeSpan wait, Action<string>? onWaiting, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(25);
        var reported = false;
        while (true)
        {
            await using (var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", session.Connection))
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
                if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!) return null;
            }
            if (!reported && onWaiting is not null)
            {
                onWaiting(await HolderAsync(session.Connection, key, cancellationToken));
                reported = true;
            }
            if (clock.Elapsed >= wait)
                return DatabaseProblems.LockBusy(session.Target.Display, clock.Elapsed, await HolderAsync(session.Connection, key, cancellationToken));
            var remaining = wait - clock.Elapsed;
            await Task.Delay(pause < remaining ? pause : remaining, cancellationToken);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 500));
        }
    }

    /// <summary>
    /// Releases the lock. Never throws: it runs in a <c>finally</c>, where an exception would hide
    /// the one that is already on its way (a cancellation, a lost connection), and a session that
    /// cannot run the unlock is ending anyway, which releases the lock on the server.
    /// </summary>
    public static async Task ReleaseAsync(DatabaseSession session, long key)
    {
        if (session.Connection.State != System.Data.ConnectionState.Open) return;
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", session.Connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
            await command.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The session is closed by the caller right after; the server drops the lock with it.
        }
    }

    /// <summary>"pid 4242, application strata, client 10.0.0.5" for the session holding the lock.</summary>
    public static async Task<string> HolderAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        // A bigint advisory key is stored as classid (high 32 bits) and objid (low 32 bits), objsubid 1.
        const string sql = """
            SELECT a.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local socket'),
                   coalesce(a.usename::text, ''), a.backend_start
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.classid::bigint = $1 AND l.objid::bigint = $2
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            LIMIT 1
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (key >> 32) & 0xFFFFFFFFL });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key & 0xFFFFFFFFL });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return "holder already gone";
        var application = reader.GetString(1);
        return $"pid {reader.GetInt32(0)}, application '{(application.Length == 0 ? "?" : application)}', " +
               $"client {reader.GetString(2)}, user {reader.GetString(3)}, connected since {reader.GetDateTime(4):yyyy-MM-dd HH:mm:ss}Z";
    }
}
