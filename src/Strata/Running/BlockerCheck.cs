using Npgsql;
using Strata.Database;
using Strata.History;
using Strata.Sql;

namespace Strata.Running;

/// <summary>
/// Looks, before a unit of statements is sent, for other sessions whose transaction has been open
/// longer than <see cref="LongTx"/> and that hold (or wait for) any lock on a table the unit locks
/// strongly (<see cref="StrongLocks"/>). lock_timeout alone does not protect the application from
/// such a session: while an ALTER waits in the table's lock queue, every query arriving after it
/// waits too, for up to lock_timeout per try. A transaction already open this long is unlikely to
/// end within that time, so Strata does not join the queue at all; it waits and looks again.
/// </summary>
/// <remarks>
/// pg_stat_activity shows the transaction start of other roles' sessions only to superusers and
/// members of pg_read_all_stats; without that a deploy role sees no age for them, finds no
/// blocker, and lock_timeout is the only protection. A prepared transaction has no session and is
/// not seen either.
/// </remarks>
/// <param name="longTx">How old a transaction must be to count; above zero.</param>
internal sealed class BlockerCheck(Duration longTx)
{
    /// <summary>How old a transaction must be to count.</summary>
    public Duration LongTx { get; } = longTx;

    /// <summary>Check queries sent so far: a migration that locks no existing table strongly must add none (the apply benchmark counts round trips).</summary>
    public int QueriesSent { get; private set; }

    // One query for all of a unit's tables. An index name stands for its table (DROP INDEX takes
    // ACCESS EXCLUSIVE on the table too); a name that does not exist yet is passed over. A plain
    // autovacuum gives way by itself when the ALTER asks for its lock, so it is no blocker; one run
    // to prevent wraparound does not, and is.
    private const string Query = """
        WITH target AS (
            SELECT DISTINCT coalesce(i.indrelid, c.oid) AS oid
            FROM (VALUES {0}) AS n(name)
            JOIN pg_class c ON c.oid = to_regclass(n.name)
            LEFT JOIN pg_index i ON i.indexrelid = c.oid)
        SELECT a.pid, coalesce(a.application_name, ''),
               (extract(epoch FROM clock_timestamp() - a.xact_start) * 1000)::bigint,
               coalesce(a.state, ''), a.query_start, left(coalesce(a.query, ''), 500),
               string_agg(DISTINCT l.relation::regclass::text, ', ')
        FROM pg_locks l
        JOIN target t ON t.oid = l.relation
        JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'relation'
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.pid <> pg_backend_pid()
          AND a.xact_start < clock_timestamp() - $1 * interval '1 millisecond'
          AND NOT (a.backend_type = 'autovacuum worker' AND a.query NOT LIKE '%to prevent wraparound%')
        GROUP BY a.pid, a.application_name, a.xact_start, a.state, a.query_start, a.query
        ORDER BY a.xact_start
        """;

    /// <summary>The check, or null when <paramref name="longTx"/> is zero (<c>long_tx = "off"</c>).</summary>
    public static BlockerCheck? For(Duration longTx) => longTx.Value > TimeSpan.Zero ? new BlockerCheck(longTx) : null;

    /// <summary>
    /// The long transactions holding locks on <paramref name="tables"/>; none, without a query,
    /// when the list is empty. <paramref name="before"/> travels first in the same round trip
    /// (the runner's session reset, so that names resolve as the migration will see them).
    /// </summary>
    public async Task<IReadOnlyList<LockBlocker>> FindAsync(DatabaseSession session, IReadOnlyList<string> tables, IReadOnlyList<string> before,
        CancellationToken cancellationToken)
    {
        if (tables.Count == 0) return [];
        QueriesSent++;
        await using var batch = new NpgsqlBatch(session.Connection);
        foreach (var sql in before) batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
        // One text parameter per name ($2, $3, ...): the session's slim driver binds no arrays.
        var values = string.Join(", ", tables.Select((_, i) => $"(${i + 2}::text)"));
        var command = new NpgsqlBatchCommand(Query.Replace("{0}", values, StringComparison.Ordinal));
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = LongTx.Value.TotalMilliseconds });
        foreach (var table in tables) command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        batch.BatchCommands.Add(command);
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            while (reader.FieldCount != 7 && await reader.NextResultAsync(cancellationToken)) { }
            var found = new List<LockBlocker>();
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add(new LockBlocker(reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3))
                {
                    QueryStart = reader.IsDBNull(4) ? null : reader.GetDateTime(4),
                    Query = FirstLine(reader.GetString(5)),
                    Tables = reader.IsDBNull(6) ? null : reader.GetString(6),
                });
            }
            return found;
        }
        catch (PostgresException ex) when (!ConnectionLoss.Is(ex))
        {
            // A name to_regclass cannot read (another database's table: a.b.c.d) is the
            // statement's own error to report; the server says it better when it runs.
            return [];
        }
    }

    /// <summary>
    /// The failure a unit ends with when its blockers outlast the tries: 55P03 like a lock
    /// timeout (scripts that look for it need not learn a new code), naming each blocker and what
    /// to do; the statement is the first of the unit that needed the check, for its line.
    /// </summary>
    public StatementFailure Failure(SqlStatement statement, IReadOnlyList<LockBlocker> blockers, bool transactional, int committed)
    {
        // The blockers' query text stays out of the message, which the history records: it is
        // another application's SQL. The account shown to the operator adds it (RunProblems).
        static string Holding(LockBlocker b) => $"{b.Summary} holds a lock on {b.Tables}";
        var message = blockers.Count == 1
            ? $"not sent: {Holding(blockers[0])}, in a transaction open longer than long_tx ({LongTx})"
            : $"not sent: {blockers.Count} sessions hold locks on its tables in transactions open longer than long_tx ({LongTx}): {string.Join("; ", blockers.Select(Holding))}";
        message += ". Strata held the statement back instead of queueing for the lock, so no query of the application waited behind it";
        var error = new PostgresException(message, "ERROR", "ERROR", LockNotAvailable);
        return new StatementFailure(statement, error, transactional, committed, []) { Blockers = blockers };
    }

    /// <summary>What to do about blockers, for the failure's advice.</summary>
    public static string Advice(IReadOnlyList<LockBlocker> blockers) =>
        $"Let {(blockers.Count == 1 ? "that transaction" : "those transactions")} finish or end {(blockers.Count == 1 ? "it" : "them")} in the application that holds " +
        $"{(blockers.Count == 1 ? "it" : "them")}; if you decide {(blockers.Count == 1 ? "it" : "they")} must go, " +
        string.Join(" ", blockers.Select(b => $"SELECT pg_terminate_backend({b.Pid});")) +
        " (that rolls back the session's work). Or give it more time: raise lock_tries, or long_tx. Then run 'strata up' again.";

    /// <summary>The line the operator reads about one blocker: when its last query started, and its first line.</summary>
    public static string QueryLine(LockBlocker blocker) =>
        $"pid {blocker.Pid}'s last query" + (blocker.QueryStart is { } at ? $" (started {at.ToUniversalTime():HH:mm:ss}Z)" : "") + $": {blocker.Query}";

    /// <summary>The retry's reason: <c>waiting for pid 1234 (application 'report-job', transaction open 14.2 s, idle in transaction)</c>.</summary>
    public static string Waiting(IReadOnlyList<LockBlocker> blockers) => "waiting for " + string.Join("; ", blockers.Select(b => b.Summary));

    internal const string LockNotAvailable = "55P03";

    private static string FirstLine(string query)
    {
        var line = query.TrimStart().Split('\n')[0].TrimEnd();
        return line.Length > 120 ? line[..117] + "..." : line;
    }
}

/// <summary>What waiting for locks cost a run: the blockers met (each session once, last seen) and the time spent.</summary>
internal sealed class LockWaitLog
{
    private readonly Dictionary<int, LockBlocker> _blockers = [];
    private long _ticks;

    /// <summary>The long transactions met, in the order first met.</summary>
    public IReadOnlyList<LockBlocker> Blockers => [.. _blockers.Values];

    /// <summary>Milliseconds spent in blocked or timed-out attempts and the pauses after them.</summary>
    public long WaitedMs => (long)TimeSpan.FromTicks(_ticks).TotalMilliseconds;

    public void Met(IReadOnlyList<LockBlocker> blockers)
    {
        foreach (var blocker in blockers) _blockers[blocker.Pid] = blocker;
    }

    public void Add(TimeSpan waited) => _ticks += waited.Ticks;

    /// <summary>The metadata's values: null when there was nothing to say.</summary>
    public (IReadOnlyList<LockBlocker>? Blockers, long? WaitedMs) ForMetadata() =>
        (_blockers.Count == 0 ? null : Blockers, _ticks == 0 ? null : WaitedMs);
}
