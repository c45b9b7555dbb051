using Strata.Sql;

namespace Strata.Migrations;

/// <summary>One section (up, down or verify) of a migration file, already split into statements.</summary>
/// <param name="Text">The section's text as written (without its marker line).</param>
/// <param name="FirstLine">The file line the text starts on.</param>
/// <param name="Statements">Statements with file line numbers.</param>
/// <param name="Options">The options written on the section's marker line.</param>
public sealed record MigrationSection(string Text, int FirstLine, IReadOnlyList<SqlStatement> Statements, SectionOptions Options)
{
    /// <summary>
    /// False when any statement must run outside a transaction block, or the marker said
    /// transaction:false. Transaction control (BEGIN, COMMIT PREPARED, ...) does not decide it: a
    /// one-transaction section is refused for holding it (transaction-control).
    /// </summary>
    public bool IsTransactional => Options.Transaction ?? Statements.All(s => s.Facts.RunsInTransaction || s.Facts.IsTransactionControl);
}

/// <summary>Options from a marker line: <c>-- migrate:up transaction:false lock_timeout:5s</c>.</summary>
/// <param name="Transaction">transaction:true or transaction:false; null when the marker says nothing.</param>
/// <param name="LockTimeout">lock_timeout for this file, overriding the configured one.</param>
/// <param name="StatementTimeout">statement_timeout for this file.</param>
public sealed record SectionOptions(bool? Transaction = null, Duration? LockTimeout = null, Duration? StatementTimeout = null)
{
    /// <summary><c>long_tx:</c> for this file, overriding the configured one; zero for <c>long_tx:off</c>, null when the marker says nothing.</summary>
    public Duration? LongTx { get; init; }

    /// <summary>A marker without options.</summary>
    public static readonly SectionOptions None = new();
}

/// <summary>A parsed, validated migration file.</summary>
/// <param name="Version">The file name: the key recorded in schema_versions.</param>
/// <param name="Path">Where the file was read from: a path, or an assembly resource or memory entry (see <see cref="SourceFile.Location"/>).</param>
/// <param name="Timestamp">The UTC date-time of the name's 14 digits: the ordering key.</param>
/// <param name="Description">First comment line, a <c>-- description:</c> line, or the humanised name.</param>
/// <param name="HasDescription">False when the description was made from the file name.</param>
/// <param name="Up">What <c>up</c> runs.</param>
/// <param name="Down">What a rollback runs; null when the file has no down section.</param>
/// <param name="Irreversible">The file declared <c>-- migrate:down irreversible</c>.</param>
/// <param name="Checksum"><c>sha256:</c> of the normalised text.</param>
public sealed record MigrationFile(
    string Version,
    string Path,
    DateTime Timestamp,
    string Description,
    bool HasDescription,
    MigrationSection Up,
    MigrationSection? Down,
    bool Irreversible,
    string Checksum)
{
    /// <summary>
    /// The migration this one reverts (its <c>-- strata:reverts VERSION</c> header line, written by
    /// <c>rollback --as-migration</c>): applying this one marks that one rolled back.
    /// </summary>
    public string? Reverts { get; init; }

    /// <summary>
    /// The <c>-- migrate:verify</c> section: queries that must succeed after up (one that returns a
    /// single boolean must return true), run in a transaction that is rolled back. Null when the
    /// file has none or it holds no statement.
    /// </summary>
    public MigrationSection? Verify { get; init; }

    /// <summary>The SQL stored in <c>rollback_sql</c> at apply time (empty when there is none).</summary>
    public string RollbackSql => Down?.Text.Trim() ?? "";
}
