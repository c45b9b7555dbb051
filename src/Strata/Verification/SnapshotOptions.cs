using Strata.History;

namespace Strata.Verification;

/// <summary>What a <see cref="SchemaSnapshot"/> leaves out.</summary>
/// <param name="History">
/// Strata's history and events tables, left out with everything hanging off them (columns,
/// indexes, constraints, sequences, triggers, grants): they change with every run by design.
/// Null to include every table.
/// </param>
/// <param name="SkippedSchemas">
/// Schemas to leave out besides PostgreSQL's own (<c>pg_catalog</c>, <c>information_schema</c>,
/// <c>pg_toast</c>, <c>pg_temp_*</c>), which are always left out.
/// </param>
public sealed record SnapshotOptions(HistoryTable? History, IReadOnlyList<string> SkippedSchemas)
{
    /// <summary>Leaves out the default history tables (public.schema_versions and public.schema_version_events).</summary>
    public static readonly SnapshotOptions Default = For(HistoryTable.Default);

    /// <summary>Leaves out the given history tables and no other schema.</summary>
    public static SnapshotOptions For(HistoryTable history) => new(history, []);
}
