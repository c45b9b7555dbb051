using Npgsql;
using Strata.History;

namespace Strata.Verification;

/// <summary>One relation as <see cref="LockTracer"/> knows it.</summary>
/// <param name="Oid">Its OID, which survives a rewrite and a rename.</param>
/// <param name="Schema">Its schema, as stored.</param>
/// <param name="Name">Its name, as stored.</param>
/// <param name="Qualified">schema.name, each part quoted where needed.</param>
/// <param name="Kind">pg_class.relkind: 'r' table, 'p' partitioned table, 'i' index, 'm' materialized view, ...</param>
/// <param name="FileNode">pg_class.relfilenode: changes when the relation gets new storage; 0 when it has none.</param>
/// <param name="IndexedTable">The OID of an index's table; 0 for anything else.</param>
internal sealed record CatalogRelation(long Oid, string Schema, string Name, string Qualified, char Kind, long FileNode, long IndexedTable)
{
    /// <summary>Tables and what reads like one: their locks are the ones that block the application.</summary>
    public bool IsTableLike => Kind is 'r' or 'p' or 'm' or 'f' or 'v';

    /// <summary>Relations whose storage is the data: a new relfilenode means every row was written again.</summary>
    public bool HasTableStorage => Kind is 'r' or 'm' && FileNode != 0;
}

/// <summary>
/// The database's own relations at one moment, by OID, read from pg_class. PostgreSQL's catalogs,
/// TOAST tables and Strata's history tables are left out: a migration's locks on them are the
/// catalog work every DDL does, or Strata's own bookkeeping.
/// </summary>
internal sealed class RelationCatalog
{
    // Relations and functions are qualified with pg_catalog: the migration may have set a
    // search_path without it, or with its own schema first. (Operators are left bare: pg_catalog's
    // are found first unless a path names it after a schema that redefines = for OIDs.)
    public const string Sql = """
        SELECT c.oid::pg_catalog.int8, n.nspname::pg_catalog.text, c.relname::pg_catalog.text,
               pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname),
               c.relkind::pg_catalog.text, c.relfilenode::pg_catalog.int8, coalesce(i.indrelid, 0)::pg_catalog.int8
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND NOT pg_catalog.starts_with(n.nspname, 'pg_toast')
        """;


    private readonly Dictionary<long, CatalogRelation> _byOid;

    private RelationCatalog(Dictionary<long, CatalogRelation> byOid) => _byOid = byOid;

    public static readonly RelationCatalog Empty = new([]);

    public IEnumerable<CatalogRelation> All => _byOid.Values;

    public CatalogRelation? Find(long oid) => _byOid.GetValueOrDefault(oid);

    public bool Contains(long oid) => _byOid.ContainsKey(oid);

    /// <summary>
    /// Finds a relation by a name as <see cref="Sql.StatementFacts.Target"/> gives it (parts
    /// unquoted, schema kept when written), looking an unqualified name up through the session's
    /// schemas in order, as the server did when it ran the statement.
    /// </summary>
    public CatalogRelation? Resolve(string name, IReadOnlyList<string> searchPath)
    {
        var parts = name.Split('.');
        if (parts.Length > 1) return Named(parts[^2], parts[^1]);
        return searchPath.Select(schema => Named(schema, parts[0])).FirstOrDefault(r => r is not null);
    }

    private CatalogRelation? Named(string schema, string name) =>
        _byOid.Values.FirstOrDefault(r => r.Schema == schema && r.Name == name);

    /// <summary>Reads the catalog rows <see cref="Sql"/> returned, leaving out the history tables.</summary>
    public static async Task<RelationCatalog> ReadAsync(NpgsqlDataReader reader, HistoryTable history, CancellationToken cancellationToken)
    {
        var byOid = new Dictionary<long, CatalogRelation>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var relation = new CatalogRelation(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4)[0], reader.GetInt64(5), reader.GetInt64(6));
            if (!IsHistory(relation, history)) byOid[relation.Oid] = relation;
        }
        return new RelationCatalog(byOid);
    }

    private static bool IsHistory(CatalogRelation relation, HistoryTable history) =>
        relation.Schema == history.Schema && (relation.Name == history.Name || relation.Name == history.EventsName);
}
