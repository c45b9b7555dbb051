namespace Strata.History;

/// <summary>
/// Where the history lives: <c>schema_versions</c> (exactly the strategy document's table) and
/// its audit companion <c>schema_version_events</c>, in one schema. Identifiers are quoted once, here.
/// </summary>
public sealed record HistoryTable(string Schema, string Name, string EventsName)
{
    /// <summary>The default: public.schema_versions and public.schema_version_events.</summary>
    public static readonly HistoryTable Default = new("public", "schema_versions", "schema_version_events");

    /// <summary>Parses "schema.table" or "table" (schema public).</summary>
    public static HistoryTable Parse(string qualified, string? eventsName = null)
    {
        var dot = qualified.IndexOf('.');
        var (schema, name) = dot < 0 ? ("public", qualified) : (qualified[..dot], qualified[(dot + 1)..]);
        if (schema.Length == 0 || name.Length == 0 || name.Contains('.'))
            throw new StrataException(new Problem(ProblemKind.BadInput, "bad-history-table",
                $"'{qualified}' is not a table name.", Hint: "Write it as schema.table, e.g. public.schema_versions."));
        if (eventsName is not null && (eventsName.Length == 0 || eventsName.Contains('.')))
            throw new StrataException(HistoryProblems.BadEventsName(eventsName));
        var table = new HistoryTable(schema, name, eventsName ?? DefaultEventsName(name));
        if (table.EventsName == table.Name) throw new StrataException(HistoryProblems.SameName(table));
        return table;
    }

    /// <summary>The events table's name when none is configured (DESIGN §2).</summary>
    internal static string DefaultEventsName(string name) => name == "schema_versions" ? "schema_version_events" : name + "_events";

    /// <summary>schema.table as written in configuration and lock keys.</summary>
    public string Qualified => $"{Schema}.{Name}";

    /// <summary>schema.events_table, as messages name it.</summary>
    internal string EventsQualified => $"{Schema}.{EventsName}";

    /// <summary>The quoted history table, for SQL.</summary>
    internal string Sql => $"{Quote(Schema)}.{Quote(Name)}";

    /// <summary>The quoted events table, for SQL.</summary>
    internal string EventsSql => $"{Quote(Schema)}.{Quote(EventsName)}";

    /// <summary>
    /// True when SQL names the history table anywhere (quoted, qualified, inside a DO block): the
    /// only SQL that may write a row of its own, which Strata must then make room for.
    /// </summary>
    internal bool MentionedIn(string sql) => sql.Contains(Name, StringComparison.OrdinalIgnoreCase);

    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    /// <summary>
    /// The DDL that creates the schema. Sent only when the catalog shows it missing: even with
    /// IF NOT EXISTS, PostgreSQL checks CREATE on the database first, which a deploy role lacks.
    /// </summary>
    internal string CreateSchemaSql => $"CREATE SCHEMA IF NOT EXISTS {Quote(Schema)}";

    /// <summary>
    /// The DDL that creates the history table and its indexes (DESIGN §2), sent only when the
    /// table is missing, or to complete a table a bootstrap file just created (hence IF NOT EXISTS).
    /// </summary>
    internal IReadOnlyList<string> CreateHistorySql() =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS {Sql} (
            version TEXT PRIMARY KEY,
            applied_at TIMESTAMPTZ DEFAULT NOW(),
            applied_by TEXT,
            description TEXT NOT NULL,
            rollback_sql TEXT NOT NULL,
            checksum TEXT,
            execution_time_ms INTEGER,
            status TEXT DEFAULT 'applied',
            metadata JSONB)
        """,
        $"CREATE INDEX IF NOT EXISTS {Quote("idx_" + Name + "_applied_at")} ON {Sql} (applied_at DESC)",
        $"CREATE INDEX IF NOT EXISTS {Quote("idx_" + Name + "_status")} ON {Sql} (status)",
    ];

    /// <summary>The DDL that creates the events table and its indexes, sent only when it is missing.</summary>
    internal IReadOnlyList<string> CreateEventsSql() =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS {EventsSql} (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            version TEXT NOT NULL,
            action TEXT NOT NULL,
            "at" TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
            "by" TEXT,
            environment TEXT,
            duration_ms INTEGER,
            error TEXT,
            details JSONB)
        """,
        $"CREATE INDEX IF NOT EXISTS {Quote("idx_" + EventsName + "_at")} ON {EventsSql} (\"at\" DESC)",
        $"CREATE INDEX IF NOT EXISTS {Quote("idx_" + EventsName + "_version")} ON {EventsSql} (version)",
    ];

    /// <summary>
    /// Records a migration's outcome, overwriting whatever row the file may have inserted itself
    /// (the strategy's hand-written INSERT blocks): Strata's record wins, except for the rollback
    /// SQL of a file without a down section. Such a file (the strategy's own form) records its
    /// rollback only in its INSERT, which runs before this statement, so that row's rollback_sql
    /// is kept and the metadata says where it came from. The execution time is measured by the
    /// server from the transaction start to this statement.
    /// Parameters: $1 version, $2 applied_by, $3 description, $4 rollback_sql or null to keep the
    /// file's own, $5 checksum, $6 status, $7 metadata JSON, $8 execution_time_ms or null to
    /// measure from now().
    /// </summary>
    internal string UpsertSql => $$"""
        INSERT INTO {{Sql}} AS h (version, applied_at, applied_by, description, rollback_sql, checksum, execution_time_ms, status, metadata)
        VALUES ($1, now(), $2, $3, coalesce($4, ''), $5,
                coalesce($8, (extract(epoch FROM clock_timestamp() - now()) * 1000)::integer), $6, $7::jsonb)
        ON CONFLICT (version) DO UPDATE SET
            applied_at = EXCLUDED.applied_at, applied_by = EXCLUDED.applied_by, description = EXCLUDED.description,
            rollback_sql = CASE WHEN $4 IS NULL THEN h.rollback_sql ELSE EXCLUDED.rollback_sql END,
            checksum = EXCLUDED.checksum, execution_time_ms = EXCLUDED.execution_time_ms, status = EXCLUDED.status,
            metadata = CASE WHEN $4 IS NULL AND h.rollback_sql <> ''
                THEN EXCLUDED.metadata || '{"rollback": "{{RollbackRecordedByFile}}"}' ELSE EXCLUDED.metadata END
        """;

    /// <summary>metadata.rollback of a row whose rollback SQL came from the file's own INSERT.</summary>
    internal const string RollbackRecordedByFile = "recorded_by_file";

    /// <summary>Appends an event. Parameters: $1 version, $2 action, $3 by, $4 environment, $5 duration_ms or null to measure from now(), $6 error, $7 details JSON.</summary>
    internal string EventSql => $"""
        INSERT INTO {EventsSql} (version, action, "by", environment, duration_ms, error, details)
        VALUES ($1, $2, $3, $4, coalesce($5, (extract(epoch FROM clock_timestamp() - now()) * 1000)::integer), $6, $7::jsonb)
        """;

    /// <summary>Removes a row that is not applied, so that a file inserting its own version does not collide with it.</summary>
    internal string ClearUnappliedSql => $"DELETE FROM {Sql} WHERE version = $1 AND status IS DISTINCT FROM 'applied'";
}
