namespace Strata.Verification;

/// <summary>
/// The kinds of object a <see cref="SchemaSnapshot"/> holds, as they are printed ("index
/// public.idx_x on public.t"), in the order a snapshot and a diff list them: containers before
/// what they contain, types before the tables that use them.
/// </summary>
public static class SnapshotKinds
{
    /// <summary>A schema (namespace).</summary>
    public const string Schema = "schema";
    /// <summary>An installed extension; the objects it created are not listed apart.</summary>
    public const string Extension = "extension";
    /// <summary>An enum type.</summary>
    public const string Enum = "enum";
    /// <summary>A domain, with its constraints.</summary>
    public const string Domain = "domain";
    /// <summary>A composite type made by CREATE TYPE ... AS (...).</summary>
    public const string CompositeType = "composite type";
    /// <summary>A range type.</summary>
    public const string RangeType = "range type";
    /// <summary>A table, partitioned or not.</summary>
    public const string Table = "table";
    /// <summary>A foreign table.</summary>
    public const string ForeignTable = "foreign table";
    /// <summary>A view.</summary>
    public const string View = "view";
    /// <summary>A materialized view.</summary>
    public const string MaterializedView = "materialized view";
    /// <summary>A column of a table or view; its parent is the relation.</summary>
    public const string Column = "column";
    /// <summary>A table constraint; its parent is the table.</summary>
    public const string Constraint = "constraint";
    /// <summary>An index; its parent is the table.</summary>
    public const string Index = "index";
    /// <summary>A sequence.</summary>
    public const string Sequence = "sequence";
    /// <summary>A function.</summary>
    public const string Function = "function";
    /// <summary>A procedure.</summary>
    public const string Procedure = "procedure";
    /// <summary>An aggregate function.</summary>
    public const string Aggregate = "aggregate";
    /// <summary>A window function.</summary>
    public const string WindowFunction = "window function";
    /// <summary>A trigger; its parent is the table.</summary>
    public const string Trigger = "trigger";
    /// <summary>A row-level security policy; its parent is the table.</summary>
    public const string Policy = "policy";

    /// <summary>Every kind, in listing order.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Schema, Extension, Enum, Domain, CompositeType, RangeType, Table, ForeignTable, View, MaterializedView,
        Column, Constraint, Index, Sequence, Function, Procedure, Aggregate, WindowFunction, Trigger, Policy,
    ];

    /// <summary>A kind's place in listing order; a kind this version does not know sorts last.</summary>
    internal static int Rank(string kind) => Ranks.GetValueOrDefault(kind, All.Count);

    private static readonly Dictionary<string, int> Ranks = All.Select((kind, rank) => (kind, rank)).ToDictionary(x => x.kind, x => x.rank);
}
