namespace Strata.History;

/// <summary>The status values of <c>schema_versions.status</c>, as the strategy document defines them.</summary>
public static class HistoryStatus
{
    /// <summary>The migration is in effect.</summary>
    public const string Applied = "applied";

    /// <summary>Its rollback ran; it will run again on the next <c>up</c>.</summary>
    public const string RolledBack = "rolled_back";

    /// <summary>The last attempt failed; it will run again on the next <c>up</c>.</summary>
    public const string Failed = "failed";
}

/// <summary>One row of <c>schema_versions</c>, as read back.</summary>
/// <param name="Version">The migration's file name.</param>
/// <param name="AppliedAt">When it was applied (or last attempted).</param>
/// <param name="AppliedBy">Who applied it.</param>
/// <param name="Description">What it does.</param>
/// <param name="RollbackSql">The down section stored at apply time.</param>
/// <param name="Checksum">The file's checksum at apply time.</param>
/// <param name="ExecutionTimeMs">How long it took.</param>
/// <param name="Status">One of <see cref="HistoryStatus"/>'s values.</param>
/// <param name="Metadata">The metadata column as JSON text, or null.</param>
public sealed record HistoryRow(
    string Version,
    DateTime? AppliedAt,
    string? AppliedBy,
    string Description,
    string RollbackSql,
    string? Checksum,
    int? ExecutionTimeMs,
    string Status,
    string? Metadata)
{
    // Read on first use: a no-op 'up' over a thousand applied rows compares checksums and needs
    // none of them. The cache remembers the text it read, so a copy with other metadata re-reads,
    // and it is equal to every other cache, so it never changes whether two rows are equal.
    private readonly MetadataCache _metadata = new();

    /// <summary>Strata's metadata, or null when a team inserted the row by hand.</summary>
    public MigrationMetadata? StrataMetadata => _metadata.Read(Metadata);

    private sealed class MetadataCache
    {
        // One reference write publishes text and value together: safe to read from any thread.
        private Tuple<string?, MigrationMetadata?>? _last;

        public MigrationMetadata? Read(string? text)
        {
            var last = _last;
            if (last is null || !ReferenceEquals(last.Item1, text)) _last = last = Tuple.Create(text, MigrationMetadata.Read(text));
            return last.Item2;
        }

        public override bool Equals(object? obj) => obj is MetadataCache;

        public override int GetHashCode() => 0;
    }

    /// <summary>
    /// True when Strata wrote the row. Rows a team inserted by hand keep their own checksum
    /// conventions ('sha256:abc123...' placeholders), so only Strata's own rows are held to
    /// checksum and missing-file drift.
    /// </summary>
    public bool RecordedByStrata => StrataMetadata is not null;
}

/// <summary>One row of <c>schema_version_events</c>: the audit trail.</summary>
/// <param name="Id">Increasing with time.</param>
/// <param name="Version">The migration.</param>
/// <param name="Action"><c>apply</c>, <c>fail</c>, <c>rollback</c>, <c>repair</c> or <c>baseline</c>.</param>
/// <param name="At">When.</param>
/// <param name="By">Who.</param>
/// <param name="Environment">Which environment, when the target came from one.</param>
/// <param name="DurationMs">How long the action took.</param>
/// <param name="Error">For a failure: SQLSTATE, message and line.</param>
/// <param name="Details">The metadata of the attempt, as JSON text.</param>
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
