using Npgsql;

namespace Strata.Running;

/// <summary>
/// INVALID indexes: what a failed or cancelled CREATE INDEX CONCURRENTLY leaves behind. They
/// cost writes and serve no reads, and IF NOT EXISTS would silently keep them.
/// </summary>
internal static class InvalidIndexes
{
    /// <summary>Quoted schema-qualified names of every invalid index in the database.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
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
}
