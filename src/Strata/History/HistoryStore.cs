using Npgsql;
using Strata.Database;

namespace Strata.History;

/// <summary>Reads the history tables on one session, and creates them where they are missing.</summary>
internal static class HistoryStore
{
    /// <summary>True when the history table exists.</summary>
    public static Task<bool> ExistsAsync(DatabaseSession session, HistoryTable table, CancellationToken cancellationToken) =>
        RelationExistsAsync(session, table.Sql, cancellationToken);

    /// <summary>True when the events table exists (a hand-made history table comes without one).</summary>
    public static Task<bool> EventsExistAsync(DatabaseSession session, HistoryTable table, CancellationToken cancellationToken) =>
        RelationExistsAsync(session, table.EventsSql, cancellationToken);

    private static async Task<bool> RelationExistsAsync(DatabaseSession session, string quotedName, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", session.Connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = quotedName });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// The audit trail, newest first. A history table made by hand has no events table until
    /// Strata's first apply: that is an empty trail, not an error.
    /// </summary>
    public static async Task<IReadOnlyList<HistoryEvent>> ReadTrailAsync(DatabaseSession session, HistoryTable table,
        DateTime? since, string? version, int limit, CancellationToken cancellationToken) =>
        (await HistoryCatalog.InspectAsync(session, table, cancellationToken)).EventsExist
            ? await ReadEventsAsync(session, table, since, version, limit, cancellationToken)
            : [];

    /// <summary>Creates whichever of the two tables is missing, after checking their shape. Nothing when both exist.</summary>
    public static async Task EnsureAsync(DatabaseSession session, HistoryTable table, CancellationToken cancellationToken) =>
        await CreateMissingAsync(session, table, await HistoryCatalog.InspectAsync(session, table, cancellationToken), historyFromFile: false, cancellationToken);

    /// <summary>
    /// Creates what <paramref name="state"/> says is missing, and nothing else: tables that exist
    /// get no DDL at all, so a role without CREATE or ownership runs every later command.
    /// <paramref name="historyFromFile"/>: the first migration creates the history table itself
    /// (the strategy's bootstrap file), so only the events table is made here.
    /// </summary>
    public static async Task CreateMissingAsync(DatabaseSession session, HistoryTable table, HistoryState state, bool historyFromFile,
        CancellationToken cancellationToken)
    {
        var statements = new List<string>();
        var missing = new List<string>();
        if (!state.HistoryExists && !historyFromFile)
        {
            statements.AddRange(table.CreateHistorySql());
            missing.Add(table.Qualified);
        }
        if (!state.EventsExist)
        {
            statements.AddRange(table.CreateEventsSql());
            missing.Add(table.EventsQualified);
        }
        if (statements.Count == 0) return;
        if (!state.SchemaExists) statements.Insert(0, table.CreateSchemaSql);
        await HistoryCatalog.CheckMayCreateAsync(session, table, state.SchemaExists, missing, cancellationToken);
        // One batch is one implicit transaction: a failure leaves none of the tables half made.
        await using var batch = new NpgsqlBatch(session.Connection);
        foreach (var sql in statements)
            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Every history row, oldest version first.</summary>
    public static async Task<IReadOnlyList<HistoryRow>> ReadAsync(DatabaseSession session, HistoryTable table, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT version, applied_at, applied_by, description, rollback_sql, checksum, execution_time_ms,
                   coalesce(status, 'applied'), metadata::text
            FROM {table.Sql} ORDER BY version
            """;
        await using var command = new NpgsqlCommand(sql, session.Connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<HistoryRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var metadata = reader.IsDBNull(8) ? null : reader.GetString(8);
            rows.Add(new HistoryRow(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetDateTime(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? "" : reader.GetString(3),
                reader.IsDBNull(4) ? "" : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6),
                reader.GetString(7),
                metadata));
        }
        // A status Strata does not know would be read as "not applied" and the migration run again.
        var unknown = rows.Where(r => r.Status is not (HistoryStatus.Applied or HistoryStatus.RolledBack or HistoryStatus.Failed))
            .Select(r => (r.Version, r.Status)).ToList();
        if (unknown.Count > 0) throw new StrataException(HistoryProblems.UnknownStatus(table, unknown));
        return rows;
    }

    /// <summary>
    /// Statement-by-statement runs that started and never finished: versions whose latest event is
    /// a start or progress, with the statements the progress events say took effect.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, Interruption>> ReadInterruptionsAsync(DatabaseSession session, HistoryTable table,
        HistoryState state, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, Interruption>(StringComparer.Ordinal);
        if (!state.EventsExist) return result;
        // Each start event that nothing but progress followed. Only statement-by-statement runs
        // write start events, so this reads few rows; taking the latest event of every version
        // (DISTINCT ON) sorted the whole trail and was the slowest query of a no-op 'up'.
        var sql = $"""
            SELECT s.version, s."at", s."by", s.details::text,
                   coalesce((SELECT max((p.details->>'committed_statements')::int) FROM {table.EventsSql} p
                             WHERE p.version = s.version AND p.id > s.id AND p.action = 'progress'), 0)
            FROM {table.EventsSql} s
            WHERE s.action = 'start'
              AND NOT EXISTS (SELECT 1 FROM {table.EventsSql} f WHERE f.version = s.version AND f.id > s.id AND f.action <> 'progress')
            """;
        await using var command = new NpgsqlCommand(sql, session.Connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var details = MigrationMetadata.Read(reader.IsDBNull(3) ? null : reader.GetString(3));
            result[reader.GetString(0)] = new Interruption(reader.GetDateTime(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetInt32(4), details?.InvalidIndexesBefore ?? []);
        }
        return result;
    }

    /// <summary>Events, newest first, optionally since a time and for one version.</summary>
    private static async Task<IReadOnlyList<HistoryEvent>> ReadEventsAsync(DatabaseSession session, HistoryTable table,
        DateTime? since, string? version, int limit, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT id, version, action, "at", "by", environment, duration_ms, error, details::text
            FROM {table.EventsSql}
            WHERE ($1::timestamptz IS NULL OR "at" >= $1) AND ($2::text IS NULL OR version = $2 OR version LIKE $2 || '\_%')
            ORDER BY id DESC LIMIT $3
            """;
        await using var command = new NpgsqlCommand(sql, session.Connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)since ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)version ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<HistoryEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new HistoryEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetDateTime(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        }
        return events;
    }
}
