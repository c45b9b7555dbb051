using Npgsql;

namespace Strata.Running;

/// <summary>
/// INVALID indexes: what a failed or cancelled CREATE INDEX CONCURRENTLY leaves behind. They
/// cost writes and serve no reads, and IF NOT EXISTS would silently keep them.
/// </summary>
internal static class InvalidIndexes
{
    /// <summary>Quoted schema-qualified names of every invalid index in the database.</summary>
    internal static async Task<IReadOnlyList<string>> ListAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT i.indisvalid ORDER BY 1
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken)) names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>
    /// The invalid indexes among <paramref name="candidates"/> that sit on one of
    /// <paramref name="tables"/> (plain or schema-qualified names): an index being built right
    /// now by someone else's CREATE INDEX CONCURRENTLY is invalid too, and must not be taken for
    /// a migration's leftover unless it is on a table the migration touches.
    /// </summary>
    internal static async Task<IReadOnlyList<string>> OnTablesAsync(NpgsqlConnection connection, IReadOnlyList<string> candidates,
        IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        if (candidates.Count == 0 || tables.Count == 0) return [];
        const string sql = """
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), t.relname, tn.nspname || '.' || t.relname
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
            WHERE NOT i.indisvalid ORDER BY 1
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var index = reader.GetString(0);
            if (candidates.Contains(index) && (tables.Contains(reader.GetString(1)) || tables.Contains(reader.GetString(2)))) names.Add(index);
        }
        return names;
    }
}
