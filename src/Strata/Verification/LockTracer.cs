using Npgsql;
using Strata.History;
using Strata.Running;
using Strata.Sql;

namespace Strata.Verification;

/// <summary>
/// Watches a migration's up section run on a scratch database, statement by statement, and records
/// for each one the table locks it took, whether each locked table existed before the migration,
/// which tables it rewrote and how long it ran (<see cref="StatementLocks"/>). Start it with
/// <see cref="StartAsync(NpgsqlConnection, HistoryTable, CancellationToken)"/> before the
/// migration runs, then pass <see cref="OnStatementAsync"/> as the runner's <c>OnStatement</c>.
/// </summary>
/// <remarks>
/// <para>
/// Locks are read from <c>pg_locks</c> for the migration's own backend while the statement's
/// transaction is still open. <c>pg_locks</c> holds every lock the transaction has taken so far,
/// so a statement's own are those not seen after an earlier statement of the same transaction
/// (told apart by the transaction's virtual ID); a new transaction starts with none seen.
/// </para>
/// <para>
/// A statement that ran outside a transaction (CREATE INDEX CONCURRENTLY, VACUUM, and every
/// statement of a <c>transaction: false</c> file) has released its locks before the tracer can
/// look: it gets the locks PostgreSQL documents for it (<see cref="DocumentedLocks"/>), marked not
/// <see cref="StatementLocks.Observed"/>, and none when the documentation gives none Strata knows.
/// </para>
/// <para>
/// A rewrite is a table or materialized view whose relfilenode changed since the statement before;
/// partitioned tables and views have no storage of their own, and their partitions are judged
/// one by one. When the runner retries after a lock timeout, the retried statements replace what
/// was traced for them. Locks on PostgreSQL's catalogs and on the history tables are Strata's and
/// the server's own bookkeeping, and are left out.
/// </para>
/// </remarks>
internal sealed class LockTracer
{
    // The transaction's virtual ID, read first and last around the other reads, which are each
    // followed by a Sync (error barriers): outside a transaction block each runs in its own
    // implicit transaction, so the two IDs differ; inside the statement's open transaction they match.
    private const string TransactionSql = """
        SELECT l.virtualxid FROM pg_catalog.pg_locks l
        WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'virtualxid' AND l.mode = 'ExclusiveLock' AND l.granted
        """;

    private const string LocksSql = """
        SELECT l.relation::pg_catalog.int8, l.mode FROM pg_catalog.pg_locks l
        WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted
        """;

    // Where the session looks up an unqualified name, for the targets of documented locks.
    private const string SearchPathSql = "SELECT s::pg_catalog.text FROM pg_catalog.unnest(pg_catalog.current_schemas(true)) s";

    private readonly HistoryTable _history;
    private readonly RelationCatalog _initial;
    private readonly List<StatementLocks> _traced = [];
    // The catalog as it was before each traced statement, to start again from when the runner retries.
    private readonly Dictionary<int, RelationCatalog> _catalogBefore = [];
    private readonly HashSet<(long Oid, string Mode)> _held = [];
    private RelationCatalog _catalog;
    private string? _transaction;

    private LockTracer(HistoryTable history, RelationCatalog initial)
    {
        _history = history;
        _initial = initial;
        _catalog = initial;
    }

    /// <summary>What each statement traced so far did, in the order they ran.</summary>
    public IReadOnlyList<StatementLocks> Statements => _traced;

    /// <summary>Reads the relations that exist before the migration, ignoring the default history tables.</summary>
    internal static Task<LockTracer> StartAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        StartAsync(connection, HistoryTable.Default, cancellationToken);

    /// <summary>
    /// Reads the relations that exist before the migration (what "existed" means, and the storage a
    /// rewrite replaces), ignoring the given history tables. The connection must have no transaction open.
    /// </summary>
    internal static async Task<LockTracer> StartAsync(NpgsqlConnection connection, HistoryTable history, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(RelationCatalog.Sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return new LockTracer(history, await RelationCatalog.ReadAsync(reader, history, cancellationToken));
    }

    /// <summary>Records what the statement that just ran did; the runner's <c>OnStatement</c>.</summary>
    public async Task OnStatementAsync(StatementTrace trace, CancellationToken cancellationToken)
    {
        var now = await ReadAsync(trace.Session.Connection, cancellationToken);
        if (_traced.Count > 0 && trace.Index <= _traced[^1].Index) StartAgainAt(trace.Index);
        var before = _catalog;
        _catalogBefore[trace.Index] = before;

        var rewritten = now.Catalog.All
            .Where(r => r.HasTableStorage && before.Find(r.Oid) is { HasTableStorage: true } old && old.FileNode != r.FileNode)
            .OrderBy(r => r.Qualified, StringComparer.Ordinal)
            .ToList();
        var locks = now.InTransaction ? NewLocks(now, before) : DocumentedLocks.For(trace.Statement, before, now.SearchPath, rewritten);
        if (!now.InTransaction) _held.Clear();
        _transaction = now.InTransaction ? now.Transaction : null;

        _traced.Add(new StatementLocks(trace.Index, trace.Statement.Line, Verb(trace.Statement.Facts), trace.Elapsed,
            Strongest(locks), [.. rewritten.Select(r => new RelationRewrite(r.Qualified, _initial.Contains(r.Oid)))], now.InTransaction));
        _catalog = now.Catalog;
    }

    // The locks the transaction holds now and did not hold after the statement before.
    private List<(CatalogRelation Relation, string Mode)> NewLocks(Reading now, RelationCatalog before)
    {
        if (now.Transaction != _transaction) _held.Clear();
        // Under an ACCESS EXCLUSIVE lock already held, a weaker one (the SHARE lock a rewrite
        // takes to rebuild indexes) keeps no one out that was not kept out already.
        var exclusive = _held.Where(h => h.Mode == "AccessExclusiveLock").Select(h => h.Oid).ToHashSet();
        return
        [
            .. now.Locks
                .Where(_held.Add)
                .Where(l => !exclusive.Contains(l.Oid))
                .Select(l => (Relation: now.Catalog.Find(l.Oid) ?? before.Find(l.Oid), Mode: LockModes.FromPgLocks(l.Mode)))
                .Where(l => l.Relation is { IsTableLike: true })
                .Select(l => (l.Relation!, l.Mode)),
        ];
    }

    // A retried transaction or group was rolled back: what was traced for its statements never happened.
    private void StartAgainAt(int index)
    {
        _traced.RemoveAll(s => s.Index >= index);
        _catalog = _catalogBefore[index];
    }

    // One lock per relation: a statement that takes two modes on a table holds both until the
    // transaction ends, and the stronger one is what others wait for.
    private List<RelationLock> Strongest(IEnumerable<(CatalogRelation Relation, string Mode)> locks) =>
    [
        .. locks
            .GroupBy(l => l.Relation.Oid)
            .Select(g => g.MaxBy(l => LockModes.Strength(l.Mode)))
            .Select(l => new RelationLock(l.Relation.Qualified, l.Mode, _initial.Contains(l.Relation.Oid)))
            .OrderBy(l => l.Relation, StringComparer.Ordinal),
    ];

    private static string Verb(StatementFacts facts) =>
        facts.Concurrently && facts.Verb is "CREATE INDEX" or "DROP INDEX" or "REINDEX" or "REFRESH MATERIALIZED VIEW"
            ? facts.Verb + " CONCURRENTLY"
            : facts.Verb;

    private sealed record Reading(string? Transaction, bool InTransaction, List<(long Oid, string Mode)> Locks, RelationCatalog Catalog,
        List<string> SearchPath);

    // One round trip; see TransactionSql for why each command is followed by a Sync.
    private async Task<Reading> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection) { EnableErrorBarriers = true };
        foreach (var sql in new[] { TransactionSql, LocksSql, RelationCatalog.Sql, SearchPathSql, TransactionSql })
            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

        var first = await reader.ReadAsync(cancellationToken) ? reader.GetString(0) : null;
        await reader.NextResultAsync(cancellationToken);
        var locks = new List<(long, string)>();
        while (await reader.ReadAsync(cancellationToken)) locks.Add((reader.GetInt64(0), reader.GetString(1)));
        await reader.NextResultAsync(cancellationToken);
        var catalog = await RelationCatalog.ReadAsync(reader, _history, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var searchPath = new List<string>();
        while (await reader.ReadAsync(cancellationToken)) searchPath.Add(reader.GetString(0));
        await reader.NextResultAsync(cancellationToken);
        var last = await reader.ReadAsync(cancellationToken) ? reader.GetString(0) : null;
        return new Reading(last, first is not null && first == last, locks, catalog, searchPath);
    }
}
