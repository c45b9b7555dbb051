namespace Strata.History;

/// <summary>One column as the catalog describes it.</summary>
/// <param name="Name">attname.</param>
/// <param name="Type">The declared type as PostgreSQL prints it (<c>character varying(255)</c>).</param>
/// <param name="BaseType">The type without modifier, a domain's base type (<c>character varying</c>).</param>
/// <param name="NotNull">attnotnull.</param>
/// <param name="Filled">The server fills it when an insert leaves it out: a default, identity or generated column.</param>
internal sealed record CatalogColumn(string Name, string Type, string BaseType, bool NotNull, bool Filled);

/// <summary>A relation found under one of the history tables' names.</summary>
/// <param name="Name">relname.</param>
/// <param name="Kind">relkind: 'r' table, 'p' partitioned table, 'v' view, ...</param>
/// <param name="Columns">Its live columns, in order.</param>
/// <param name="VersionIsUnique">
/// A valid, immediate, non-partial unique index on <c>version</c> alone exists: what
/// <c>ON CONFLICT (version)</c> needs to pick it as the arbiter.
/// </param>
internal sealed record CatalogRelation(string Name, char Kind, IReadOnlyList<CatalogColumn> Columns, bool VersionIsUnique);

/// <summary>What is wrong with a relation, and the statement or step that fixes it.</summary>
internal sealed record ShapeFault(string What, string Fix);

/// <summary>
/// Whether a relation found under a history table's name is one Strata can read and write
/// (DESIGN §2): a pure function of catalog facts, so every wrong shape is tested without a
/// database, and Strata never has to run DDL on a table to learn that it fits.
/// </summary>
internal static class HistoryShape
{
    /// <summary>
    /// A column Strata reads or writes: the type it declares when it creates the table, the types
    /// it also reads and writes correctly, and for a column it leaves out of its inserts, the
    /// clause that has the server fill it.
    /// </summary>
    private sealed record Expected(string Column, string Declared, string[] Accepted, string? Fill = null);

    // Hand-made tables often use varchar and timestamp without time zone: both read and write the
    // same values. char(n) is refused because it pads versions with blanks, json because the
    // upsert merges metadata with jsonb's ||, and bigint counters because rows read them as int.
    private static readonly string[] Textual = ["text", "character varying"];
    private static readonly string[] Moment = ["timestamp with time zone", "timestamp without time zone"];

    private static readonly Expected[] HistoryColumns =
    [
        new("version", "TEXT", Textual),
        new("applied_at", "TIMESTAMPTZ", Moment),
        new("applied_by", "TEXT", Textual),
        new("description", "TEXT", Textual),
        new("rollback_sql", "TEXT", Textual),
        new("checksum", "TEXT", Textual),
        new("execution_time_ms", "INTEGER", ["integer"]),
        new("status", "TEXT", Textual),
        new("metadata", "JSONB", ["jsonb"]),
    ];

    // Events are appended without id and "at": the server must fill both, or the trail has no order.
    private static readonly Expected[] EventColumns =
    [
        new("id", "BIGINT", ["bigint", "integer"], Fill: "GENERATED ALWAYS AS IDENTITY"),
        new("version", "TEXT", Textual),
        new("action", "TEXT", Textual),
        new("at", "TIMESTAMPTZ", Moment, Fill: "DEFAULT clock_timestamp()"),
        new("by", "TEXT", Textual),
        new("environment", "TEXT", Textual),
        new("duration_ms", "INTEGER", ["integer"]),
        new("error", "TEXT", Textual),
        new("details", "JSONB", ["jsonb"]),
    ];

    /// <summary>What keeps <paramref name="relation"/> from serving as the history table <paramref name="table"/>; empty when it fits.</summary>
    public static IReadOnlyList<ShapeFault> HistoryFaults(HistoryTable table, CatalogRelation relation)
    {
        if (NotATable(relation, table.Qualified) is { } kind) return [kind];
        var faults = ColumnFaults(table.Qualified, relation, HistoryColumns);
        if (!relation.VersionIsUnique && relation.Columns.Any(c => c.Name == "version"))
            faults.Add(new ShapeFault("it has no primary key or unique index on version (each version has one row, written with ON CONFLICT (version))",
                $"ALTER TABLE {table.Qualified} ADD PRIMARY KEY (version)"));
        return faults;
    }

    /// <summary>What keeps <paramref name="relation"/> from serving as the events table of <paramref name="table"/>; empty when it fits.</summary>
    public static IReadOnlyList<ShapeFault> EventsFaults(HistoryTable table, CatalogRelation relation)
    {
        var qualified = $"{table.Schema}.{table.EventsName}";
        if (NotATable(relation, qualified) is { } kind) return [kind];
        return ColumnFaults(qualified, relation, EventColumns);
    }

    // Rows are upserted with ON CONFLICT, which views, materialized views and foreign tables
    // refuse; a partitioned table is a table for every statement Strata sends.
    private static ShapeFault? NotATable(CatalogRelation relation, string qualified) => relation.Kind switch
    {
        'r' or 'p' => null,
        var kind => new ShapeFault($"it is {Article(KindName(kind))} {KindName(kind)}, not a table",
            $"rename or drop the {KindName(kind)} {qualified}, or configure another name in [migrations] table"),
    };

    private static string KindName(char kind) => kind switch
    {
        'v' => "view",
        'm' => "materialized view",
        'f' => "foreign table",
        'i' or 'I' => "index",
        'S' => "sequence",
        'c' => "composite type",
        _ => $"relation of kind '{kind}'",
    };

    private static string Article(string noun) => noun[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a";

    private static List<ShapeFault> ColumnFaults(string qualified, CatalogRelation relation, Expected[] expected)
    {
        var faults = new List<ShapeFault>();
        var byName = relation.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var missing = expected.Where(e => !byName.ContainsKey(e.Column)).ToList();
        if (missing.Count > 0)
            faults.Add(new ShapeFault($"it lacks the column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Select(e => e.Column))}",
                string.Join("; ", missing.Select(e => $"ALTER TABLE {qualified} ADD COLUMN {Ident(e.Column)} {e.Declared}" +
                    (e.Fill is { } fill ? " " + fill : "")))));
        foreach (var e in expected)
        {
            if (!byName.TryGetValue(e.Column, out var column)) continue;
            if (!e.Accepted.Contains(column.BaseType, StringComparer.Ordinal))
                faults.Add(new ShapeFault($"column {Ident(e.Column)} is {column.Type}, not {e.Declared}",
                    $"ALTER TABLE {qualified} ALTER COLUMN {Ident(e.Column)} TYPE {e.Declared} USING {Ident(e.Column)}::{e.Declared.ToLowerInvariant()}"));
            else if (e.Fill is { } fill && !column.Filled)
                faults.Add(new ShapeFault($"column {Ident(e.Column)} has no default, and Strata leaves it to the server",
                    $"ALTER TABLE {qualified} ALTER COLUMN {Ident(e.Column)} {(fill.StartsWith("DEFAULT", StringComparison.Ordinal) ? "SET " : "ADD ")}{fill}"));
        }
        // A column Strata never writes must fill itself, or every insert fails with a not-null violation.
        foreach (var column in relation.Columns.Where(c => c.NotNull && !c.Filled && expected.All(e => e.Column != c.Name)))
            faults.Add(new ShapeFault($"column {Ident(column.Name)} is NOT NULL without a default, and Strata does not write it",
                $"ALTER TABLE {qualified} ALTER COLUMN {Ident(column.Name)} DROP NOT NULL"));
        return faults;
    }

    // "at" and "by" are reserved words, and a hand-made column may need quotes too.
    private static string Ident(string column) =>
        column is "at" or "by" || column.Length == 0 || !column.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_') || char.IsDigit(column[0])
            ? HistoryTable.Quote(column)
            : column;
}
