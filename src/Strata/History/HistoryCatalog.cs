using Npgsql;
using Strata.Database;

namespace Strata.History;

/// <summary>What the catalog says about the history tables' schema and the two tables.</summary>
/// <param name="SchemaExists">The configured schema exists.</param>
/// <param name="HistoryExists">The history table exists, in a shape Strata can use.</param>
/// <param name="EventsExist">The events table exists, in a shape Strata can use.</param>
internal sealed record HistoryState(bool SchemaExists, bool HistoryExists, bool EventsExist);

/// <summary>
/// Learns whether the history tables exist and fit from pg_class, pg_attribute and pg_index
/// alone, never from DDL: a deploy role that may read and write the rows, but does not own the
/// tables, must be able to run every command (even CREATE ... IF NOT EXISTS checks ownership or
/// CREATE privilege before it finds there is nothing to do). A table of the wrong shape is
/// refused here, before any command writes anything.
/// </summary>
internal static class HistoryCatalog
{
    /// <summary>The state of both tables, or a <see cref="StrataException"/> naming what keeps one of them from being used.</summary>
    public static async Task<HistoryState> InspectAsync(DatabaseSession session, HistoryTable table, CancellationToken cancellationToken)
    {
        // HistoryTable.Parse refuses this in strata.toml; a library caller can still build one.
        if (table.EventsName == table.Name) throw new StrataException(HistoryProblems.SameName(table));
        var relations = await ReadRelationsAsync(session, table, cancellationToken);
        relations.TryGetValue(table.Name, out var history);
        relations.TryGetValue(table.EventsName, out var events);
        if (history is not null && HistoryShape.HistoryFaults(table, history) is { Count: > 0 } historyFaults)
            throw new StrataException(HistoryProblems.HistoryTableShape(table, historyFaults));
        if (events is not null && HistoryShape.EventsFaults(table, events) is { Count: > 0 } eventFaults)
            throw new StrataException(HistoryProblems.EventsTableShape(table, eventFaults));
        var schemaExists = relations.Count > 0 || await SchemaExistsAsync(session, table, cancellationToken);
        return new HistoryState(schemaExists, history is not null, events is not null);
    }

    /// <summary>
    /// Refuses, naming the grant, when the session's role may not create <paramref name="missing"/>:
    /// said before the first statement is sent, rather than as the server's bare 42501.
    /// </summary>
    public static async Task CheckMayCreateAsync(DatabaseSession session, HistoryTable table, bool schemaExists, IReadOnlyList<string> missing,
        CancellationToken cancellationToken)
    {
        // Tables go into the schema (CREATE on it); a missing schema is created first (CREATE on the database).
        var sql = schemaExists
            ? "SELECT current_user::text, current_database()::text, has_schema_privilege($1, 'CREATE')"
            : "SELECT current_user::text, current_database()::text, has_database_privilege(current_database(), 'CREATE')";
        await using var command = new NpgsqlCommand(sql, session.Connection);
        if (schemaExists) command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.Schema });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (!reader.GetBoolean(2))
            throw new StrataException(HistoryProblems.CannotCreate(table, missing, reader.GetString(0), reader.GetString(1), onDatabase: !schemaExists));
    }

    private static async Task<Dictionary<string, CatalogRelation>> ReadRelationsAsync(DatabaseSession session, HistoryTable table,
        CancellationToken cancellationToken)
    {
        // A domain counts as its base type: it reads and writes the same values. The unique index
        // must be one ON CONFLICT (version) can use as its arbiter: valid, not deferrable, not
        // partial, on the plain column alone.
        const string sql = """
            SELECT c.relname::text, c.relkind::text,
                   EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute k ON k.attrelid = i.indrelid AND k.attnum = i.indkey[0]
                           WHERE i.indrelid = c.oid AND i.indisunique AND i.indimmediate AND i.indisvalid
                             AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnkeyatts = 1 AND k.attname = 'version'),
                   a.attname::text,
                   format_type(a.atttypid, a.atttypmod),
                   format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END, NULL),
                   a.attnotnull,
                   a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> ''
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_type t ON t.oid = a.atttypid
            WHERE n.nspname = $1 AND c.relname IN ($2, $3)
            ORDER BY c.relname, a.attnum
            """;
        await using var command = new NpgsqlCommand(sql, session.Connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.Schema });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.Name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.EventsName });
        var found = new Dictionary<string, (char Kind, bool Unique, List<CatalogColumn> Columns)>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                if (!found.TryGetValue(name, out var relation))
                    found[name] = relation = (reader.GetString(1)[0], reader.GetBoolean(2), []);
                if (!reader.IsDBNull(3))
                    relation.Columns.Add(new CatalogColumn(reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetBoolean(6), reader.GetBoolean(7)));
            }
        }
        return found.ToDictionary(f => f.Key, f => new CatalogRelation(f.Key, f.Value.Kind, f.Value.Columns, f.Value.Unique), StringComparer.Ordinal);
    }

    private static async Task<bool> SchemaExistsAsync(DatabaseSession session, HistoryTable table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", session.Connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.Schema });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
