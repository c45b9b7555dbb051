namespace Strata.Verification;

/// <summary>
/// The catalog query behind <see cref="SchemaSnapshot"/>: one statement, so the whole snapshot
/// comes from one MVCC snapshot of the catalogs. Each section returns
/// <c>(kind, identity, parent, attributes json)</c>; the attribute names are what the diff prints.
/// </summary>
/// <remarks>
/// What must never appear: OIDs, relfilenodes, attribute numbers, sequence values, statistics;
/// anything a drop and an identical re-create changes. Names are quoted with <c>quote_ident</c>
/// and every deparsed expression is read with <c>search_path = pg_catalog</c> (see
/// <see cref="Settings"/>), so every user object in it is schema-qualified whatever the
/// session's path.
/// </remarks>
internal static class SnapshotQueries
{
    /// <summary>
    /// Transaction-local settings that make the server's deparsed text the same in every session:
    /// names qualified, dates and intervals in one style (a timestamp default is printed through
    /// DateStyle and TimeZone).
    /// </summary>
    public const string Settings = """
        SELECT set_config('search_path', 'pg_catalog', true), set_config('quote_all_identifiers', 'off', true),
               set_config('DateStyle', 'ISO, YMD', true), set_config('IntervalStyle', 'postgres', true),
               set_config('TimeZone', 'UTC', true), set_config('extra_float_digits', '1', true),
               set_config('bytea_output', 'hex', true)
        """;

    // The objects in scope. Extension members (pg_depend 'e') are the extension's, not the
    // schema's: CREATE EXTENSION shows as one entry. The history tables go with everything hanging
    // off them: their columns, indexes, constraints and triggers join through rels, and their
    // sequences (the events table's identity) are excluded by their owning dependency.
    private static readonly string Scope = $$"""
        WITH skipped AS (
            SELECT n.oid FROM pg_namespace n
            WHERE n.nspname LIKE 'pg\_%' OR n.nspname = 'information_schema'
               OR n.nspname IN (SELECT json_array_elements_text($1::json))
        ),
        history AS (
            SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $2 AND c.relname IN ($3, $4) AND c.relkind IN ('r', 'p')
        ),
        rels AS (
            SELECT c.*, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
              AND c.relnamespace NOT IN (SELECT oid FROM skipped)
              AND c.oid NOT IN (SELECT oid FROM history)
              AND {{NotExtensionMember("pg_class", "c.oid")}}
              AND NOT EXISTS (SELECT 1 FROM pg_depend d
                              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
                                AND d.deptype IN ('a', 'i') AND d.refobjid IN (SELECT oid FROM history))
        )

        """;

    // Looked up per object through pg_depend's index rather than from a list of every member:
    // an extension such as PostGIS has thousands.
    private static string NotExtensionMember(string catalog, string oid) =>
        $"NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '{catalog}'::regclass AND e.objid = {oid} AND e.deptype = 'e')";

    // A NULL ACL means the built-in default, which an explicit GRANT and REVOKE pair leaves
    // written out: acldefault makes both read the same. Items are sorted because GRANT order
    // decides their order in the array.
    private static string Privileges(string acl, char kind, string owner) =>
        $"""array_to_string(ARRAY(SELECT x::text FROM unnest(coalesce({acl}, acldefault('{kind}', {owner}))) x ORDER BY x::text COLLATE "C"), ', ')""";

    // reloptions, proconfig and the like: order is how they were written, not what they mean.
    private static string Sorted(string array) =>
        $"""nullif(array_to_string(ARRAY(SELECT o FROM unnest({array}) o ORDER BY o COLLATE "C"), ', '), '')""";

    private static readonly string Schemas = $$"""
        SELECT 'schema', quote_ident(n.nspname), NULL, json_build_object(
            'owner', pg_get_userbyid(n.nspowner),
            'privileges', {{Privileges("n.nspacl", 'n', "n.nspowner")}},
            'comment', obj_description(n.oid, 'pg_namespace'))
        FROM pg_namespace n
        WHERE n.oid NOT IN (SELECT oid FROM skipped)
          AND {{NotExtensionMember("pg_namespace", "n.oid")}}
        """;

    private const string Extensions = """
        SELECT 'extension', quote_ident(e.extname), NULL, json_build_object(
            'schema', quote_ident(e.extnamespace::regnamespace::text),
            'version', e.extversion)
        FROM pg_extension e
        """;

    private static readonly string Tables = $$"""
        SELECT CASE WHEN r.relkind = 'f' THEN 'foreign table' ELSE 'table' END, r.qname, NULL, json_build_object(
            'owner', pg_get_userbyid(r.relowner),
            'privileges', {{Privileges("r.relacl", 'r', "r.relowner")}},
            'comment', obj_description(r.oid, 'pg_class'),
            'row level security', r.relrowsecurity::text,
            'force row level security', r.relforcerowsecurity::text,
            'unlogged', CASE WHEN r.relpersistence = 'u' THEN 'true' END,
            'partitioned by', CASE WHEN r.relkind = 'p' THEN pg_get_partkeydef(r.oid) END,
            'partition of', CASE WHEN r.relispartition THEN
                (SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = r.oid) || ' ' || pg_get_expr(r.relpartbound, r.oid) END,
            'inherits', CASE WHEN NOT r.relispartition THEN
                (SELECT string_agg(i.inhparent::regclass::text, ', ' ORDER BY i.inhseqno) FROM pg_inherits i WHERE i.inhrelid = r.oid) END,
            'options', {{Sorted("r.reloptions")}},
            'replica identity', CASE r.relreplident WHEN 'n' THEN 'nothing' WHEN 'f' THEN 'full' WHEN 'i' THEN 'index' END,
            'access method', (SELECT a.amname FROM pg_am a WHERE a.oid = r.relam AND a.amname <> 'heap'),
            'tablespace', (SELECT t.spcname FROM pg_tablespace t WHERE t.oid = r.reltablespace),
            'server', (SELECT s.srvname FROM pg_foreign_table ft JOIN pg_foreign_server s ON s.oid = ft.ftserver WHERE ft.ftrelid = r.oid),
            'foreign options', (SELECT {{Sorted("ft.ftoptions")}} FROM pg_foreign_table ft WHERE ft.ftrelid = r.oid))
        FROM rels r WHERE r.relkind IN ('r', 'p', 'f')
        """;

    private static readonly string Views = $$"""
        SELECT CASE WHEN r.relkind = 'v' THEN 'view' ELSE 'materialized view' END, r.qname, NULL, json_build_object(
            'definition', pg_get_viewdef(r.oid),
            'owner', pg_get_userbyid(r.relowner),
            'privileges', {{Privileges("r.relacl", 'r', "r.relowner")}},
            'comment', obj_description(r.oid, 'pg_class'),
            'options', {{Sorted("r.reloptions")}},
            'populated', CASE WHEN r.relkind = 'm' THEN r.relispopulated::text END,
            'tablespace', (SELECT t.spcname FROM pg_tablespace t WHERE t.oid = r.reltablespace))
        FROM rels r WHERE r.relkind IN ('v', 'm')
        """;

    // The position counts live columns only: attnum keeps the holes of dropped columns, so a
    // column dropped and added back would differ by attnum while the table's shape is the same.
    // Storage and collation are shown only where they differ from the type's own.
    private const string Columns = """
        SELECT 'column', r.qname || '.' || quote_ident(a.attname), r.qname, json_build_object(
            'position', (row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum))::text,
            'type', format_type(a.atttypid, a.atttypmod),
            'not null', a.attnotnull::text,
            'default', CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
            'generated', CASE WHEN a.attgenerated = 's' THEN pg_get_expr(d.adbin, d.adrelid) || ' stored' END,
            'identity', CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END,
            'collation', CASE WHEN a.attcollation <> t.typcollation THEN a.attcollation::regcollation::text END,
            'storage', CASE WHEN a.attstorage <> t.typstorage THEN
                CASE a.attstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external' WHEN 'm' THEN 'main' WHEN 'x' THEN 'extended' END END,
            'compression', CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END,
            'statistics', CASE WHEN a.attstattarget >= 0 THEN a.attstattarget::text END,
            'privileges', nullif(array_to_string(ARRAY(SELECT x::text FROM unnest(a.attacl) x ORDER BY x::text COLLATE "C"), ', '), ''),
            'comment', col_description(a.attrelid, a.attnum))
        FROM rels r
        JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE r.relkind IN ('r', 'p', 'f', 'v', 'm')
        """;

    // A foreign key to a partitioned table gets a hidden row per referenced partition, under the
    // same name and on the same table: PostgreSQL's bookkeeping, not a constraint anyone wrote.
    private const string Constraints = """
        SELECT 'constraint', quote_ident(c.conname) || ' on ' || r.qname, r.qname, json_build_object(
            'type', CASE c.contype WHEN 'c' THEN 'check' WHEN 'f' THEN 'foreign key' WHEN 'p' THEN 'primary key'
                                   WHEN 'u' THEN 'unique' WHEN 't' THEN 'trigger' WHEN 'x' THEN 'exclusion' WHEN 'n' THEN 'not null' END,
            'definition', pg_get_constraintdef(c.oid),
            'validated', c.convalidated::text,
            'deferrable', c.condeferrable::text,
            'initially deferred', c.condeferred::text,
            'no inherit', CASE WHEN c.contype = 'c' AND c.connoinherit THEN 'true' END,
            'comment', obj_description(c.oid, 'pg_constraint'))
        FROM rels r JOIN pg_constraint c ON c.conrelid = r.oid
        WHERE NOT EXISTS (SELECT 1 FROM pg_constraint p WHERE p.oid = c.conparentid AND p.conrelid = c.conrelid)
        """;

    // Only the constraint on the same table counts as the one an index backs: a foreign key's
    // conindid names the referenced table's index.
    private const string Indexes = """
        SELECT 'index', quote_ident(n.nspname) || '.' || quote_ident(ic.relname) || ' on ' || r.qname, r.qname, json_build_object(
            'definition', pg_get_indexdef(i.indexrelid),
            'valid', i.indisvalid::text,
            'ready', i.indisready::text,
            'constraint', (SELECT quote_ident(c.conname) FROM pg_constraint c
                           WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')),
            'clustered', CASE WHEN i.indisclustered THEN 'true' END,
            'replica identity', CASE WHEN i.indisreplident THEN 'true' END,
            'comment', obj_description(i.indexrelid, 'pg_class'))
        FROM rels r
        JOIN pg_index i ON i.indrelid = r.oid
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_namespace n ON n.oid = ic.relnamespace
        """;

    // A sequence's definition, never its position (last_value moves with every insert). A
    // sequence owned by a column (serial, identity) goes with its table, which is its parent.
    private static readonly string Sequences = $$"""
        SELECT 'sequence', r.qname, owner.tbl, json_build_object(
            'type', format_type(s.seqtypid, NULL),
            'start', s.seqstart::text,
            'increment', s.seqincrement::text,
            'minimum', s.seqmin::text,
            'maximum', s.seqmax::text,
            'cache', s.seqcache::text,
            'cycle', s.seqcycle::text,
            'owned by', owner.tbl || '.' || owner.col,
            'unlogged', CASE WHEN r.relpersistence = 'u' THEN 'true' END,
            'owner', pg_get_userbyid(r.relowner),
            'privileges', {{Privileges("r.relacl", 's', "r.relowner")}},
            'comment', obj_description(r.oid, 'pg_class'))
        FROM rels r
        JOIN pg_sequence s ON s.seqrelid = r.oid
        LEFT JOIN LATERAL (
            SELECT quote_ident(tn.nspname) || '.' || quote_ident(tc.relname) AS tbl, quote_ident(a.attname) AS col
            FROM pg_depend d
            JOIN pg_class tc ON tc.oid = d.refobjid
            JOIN pg_namespace tn ON tn.oid = tc.relnamespace
            JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
            WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass
              AND d.deptype IN ('a', 'i')
        ) AS owner ON true
        """;

    // Internal triggers are a foreign key's own machinery, shown by its constraint.
    private const string Triggers = """
        SELECT 'trigger', quote_ident(t.tgname) || ' on ' || r.qname, r.qname, json_build_object(
            'definition', pg_get_triggerdef(t.oid),
            'enabled', CASE t.tgenabled WHEN 'O' THEN 'origin' WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always' END,
            'comment', obj_description(t.oid, 'pg_trigger'))
        FROM rels r JOIN pg_trigger t ON t.tgrelid = r.oid
        WHERE NOT t.tgisinternal
        """;

    private const string Policies = """
        SELECT 'policy', quote_ident(p.polname) || ' on ' || r.qname, r.qname, json_build_object(
            'command', CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
            'permissive', p.polpermissive::text,
            'roles', array_to_string(ARRAY(
                SELECT w FROM unnest(p.polroles) o, LATERAL (SELECT CASE WHEN o = 0 THEN 'public' ELSE quote_ident(pg_get_userbyid(o)) END) AS v(w)
                ORDER BY w COLLATE "C"), ', '),
            'using', pg_get_expr(p.polqual, p.polrelid),
            'with check', pg_get_expr(p.polwithcheck, p.polrelid),
            'comment', obj_description(p.oid, 'pg_policy'))
        FROM rels r JOIN pg_policy p ON p.polrelid = r.oid
        """;

    /// <summary>
    /// A routine's identity (<c>public.f(a integer, OUT b text)</c>) from <c>pg_proc p</c> joined to
    /// <c>pg_namespace n</c>; read it under <see cref="Settings"/>, since the argument types are
    /// printed through search_path. Function checks find routines by this same text.
    /// </summary>
    public const string RoutineIdentity =
        "quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')'";

    // A standard SQL body (BEGIN ATOMIC or RETURN) is stored parsed, with OIDs: pg_get_function_sqlbody
    // prints it. A range type's constructors are made with the type (an internal dependency) and
    // go with it.
    private static readonly string Routines = $$"""
        SELECT CASE p.prokind WHEN 'f' THEN 'function' WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'window function' END,
            {{RoutineIdentity}}, NULL,
            json_build_object(
            'arguments', pg_get_function_arguments(p.oid),
            'returns', pg_get_function_result(p.oid),
            'language', l.lanname,
            'volatility', CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' ELSE 'volatile' END,
            'strict', p.proisstrict::text,
            'security definer', p.prosecdef::text,
            'leakproof', p.proleakproof::text,
            'parallel', CASE p.proparallel WHEN 's' THEN 'safe' WHEN 'r' THEN 'restricted' ELSE 'unsafe' END,
            'cost', p.procost::text,
            'rows', CASE WHEN p.proretset THEN p.prorows::text END,
            'config', {{Sorted("p.proconfig")}},
            'body', coalesce(pg_get_function_sqlbody(p.oid), p.prosrc),
            'aggregate', (SELECT 'sfunc ' || a.aggtransfn::regproc::text || ', stype ' || format_type(a.aggtranstype, NULL)
                                 || coalesce(', finalfunc ' || nullif(a.aggfinalfn, 0)::regproc::text, '')
                                 || coalesce(', combinefunc ' || nullif(a.aggcombinefn, 0)::regproc::text, '')
                                 || coalesce(', initcond ' || quote_literal(a.agginitval), '')
                          FROM pg_aggregate a WHERE a.aggfnoid = p.oid),
            'owner', pg_get_userbyid(p.proowner),
            'privileges', {{Privileges("p.proacl", 'f', "p.proowner")}},
            'comment', obj_description(p.oid, 'pg_proc'))
        FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        JOIN pg_language l ON l.oid = p.prolang
        WHERE p.pronamespace NOT IN (SELECT oid FROM skipped)
          AND {{NotExtensionMember("pg_proc", "p.oid")}}
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i')
        """;

    // What every user type shares; array types, table row types and multiranges are made by
    // PostgreSQL alongside another object and are not listed on their own.
    private static string Types(string typtype, string kind, string attributes) => $$"""
        SELECT '{{kind}}', quote_ident(n.nspname) || '.' || quote_ident(t.typname), NULL, json_build_object(
            {{attributes}},
            'owner', pg_get_userbyid(t.typowner),
            'privileges', {{Privileges("t.typacl", 'T', "t.typowner")}},
            'comment', obj_description(t.oid, 'pg_type'))
        FROM pg_type t
        JOIN pg_namespace n ON n.oid = t.typnamespace
        LEFT JOIN pg_class tc ON tc.oid = t.typrelid
        WHERE t.typtype = '{{typtype}}' AND (t.typtype <> 'c' OR tc.relkind = 'c')
          AND t.typnamespace NOT IN (SELECT oid FROM skipped)
          AND {{NotExtensionMember("pg_type", "t.oid")}}
        """;

    private static readonly string Enums = Types("e", "enum", """
        'labels', (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)
        """);

    private static readonly string Domains = Types("d", "domain", """
        'base type', format_type(t.typbasetype, t.typtypmod),
        'not null', t.typnotnull::text,
        'default', pg_get_expr(t.typdefaultbin, 0),
        'collation', CASE WHEN t.typcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype)
                          THEN t.typcollation::regcollation::text END,
        'constraints', (SELECT string_agg(quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid), '; ' ORDER BY c.conname COLLATE "C")
                        FROM pg_constraint c WHERE c.contypid = t.oid)
        """);

    private static readonly string CompositeTypes = Types("c", "composite type", """
        'attributes', (SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                                         || CASE WHEN a.attcollation <> at.typcollation THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END,
                                         ', ' ORDER BY a.attnum)
                       FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
                       WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
        """);

    private static readonly string RangeTypes = Types("r", "range type", """
        'subtype', (SELECT format_type(g.rngsubtype, NULL) FROM pg_range g WHERE g.rngtypid = t.oid),
        'subtype operator class', (SELECT quote_ident(oc.opcname) FROM pg_range g JOIN pg_opclass oc ON oc.oid = g.rngsubopc WHERE g.rngtypid = t.oid),
        'collation', (SELECT g.rngcollation::regcollation::text FROM pg_range g WHERE g.rngtypid = t.oid AND g.rngcollation <> 0),
        'canonical', (SELECT g.rngcanonical::regprocedure::text FROM pg_range g WHERE g.rngtypid = t.oid AND g.rngcanonical <> 0),
        'subtype diff', (SELECT g.rngsubdiff::regprocedure::text FROM pg_range g WHERE g.rngtypid = t.oid AND g.rngsubdiff <> 0),
        'multirange', (SELECT g.rngmultitypid::regtype::text FROM pg_range g WHERE g.rngtypid = t.oid)
        """);

    /// <summary>
    /// Every object. Parameters: $1 JSON array of schema names to skip, $2 the history schema,
    /// $3 the history table, $4 the events table ($2-$4 null to exclude nothing).
    /// Last in the class: static fields initialise in text order, and this one joins the others.
    /// </summary>
    public static readonly string Objects = Scope + string.Join("\nUNION ALL\n",
        Schemas, Extensions, Tables, Views, Columns, Constraints, Indexes, Sequences, Triggers, Policies, Routines,
        Enums, Domains, CompositeTypes, RangeTypes);
}
