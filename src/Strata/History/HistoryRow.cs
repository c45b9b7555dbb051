namespace Strata.History;

/// <summary>The status values of <c>schema_versions.status</c>, as the strategy document defines them.</summary>
public static class HistoryStatus
{
    public const string Applied = "applied";
    public const string RolledBack = "rolled_back";
    public const string Failed = "failed";
}

/// <summary>One row of <c>schema_versions</c>, as read back.</summary>
/// <param name="Metadata">The metadata column as JSON text, or null.</param>
/// <param name="RecordedByStrata">
/// True when Strata wrote the row (its metadata says so). Rows a team inserted by hand keep their
/// own checksum conventions ('sha256:abc123...' placeholders), so only Strata's own rows are held
/// to checksum and missing-file drift.
/// </param>
public sealed record HistoryRow(
    string Version,
    DateTime? AppliedAt,
    string? AppliedBy,
    string Description,
    string RollbackSql,
    string? Checksum,
    int? ExecutionTimeMs,
    string Status,
    string? Metadata,
    bool RecordedByStrata);

/// <summary>One row of <c>schema_version_events</c>: the audit trail.</summary>
public sealed record HistoryEvent(
    long Id,
    string Version,
    string Action,
    DateTime At,
    string? By,
    string? Environment,
    int? DurationMs,
    string? Error,
    string? Details);
