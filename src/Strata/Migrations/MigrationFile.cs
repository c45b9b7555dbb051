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

/// <summary>
/// A migration file: its identity (name, timestamp, checksum) and its parsed body (description,
/// sections). Normally parsed and validated when loaded; a file whose checksum matches the row
/// of its applied migration is trusted as it was validated then, and its body is parsed only if
/// something reads it (see <see cref="MigrationSet"/>): a no-op <c>up</c> over a thousand
/// applied files then reads and hashes them, and parses none.
/// </summary>
public sealed record MigrationFile
{
    private readonly Lazy<MigrationBody> _body;

    internal MigrationFile(string version, string path, DateTime timestamp, string checksum, MigrationBody body)
        : this(version, path, timestamp, checksum, new Lazy<MigrationBody>(body)) { }

    internal MigrationFile(string version, string path, DateTime timestamp, string checksum, Lazy<MigrationBody> body)
    {
        Version = version;
        Path = path;
        Timestamp = timestamp;
        Checksum = checksum;
        _body = body;
    }

    /// <summary>The file name: the key recorded in schema_versions.</summary>
    public string Version { get; }

    /// <summary>Where the file was read from: a path, or an assembly resource or memory entry (see <see cref="SourceFile.Location"/>).</summary>
    public string Path { get; }

    /// <summary>The UTC date-time of the name's 14 digits: the ordering key.</summary>
    public DateTime Timestamp { get; }

    /// <summary><c>sha256:</c> of the normalised text.</summary>
    public string Checksum { get; }

    /// <summary>First comment line, a <c>-- description:</c> line, or the humanised name.</summary>
    public string Description => _body.Value.Description;

    /// <summary>False when the description was made from the file name.</summary>
    public bool HasDescription => _body.Value.HasDescription;

    /// <summary>What <c>up</c> runs.</summary>
    public MigrationSection Up => _body.Value.Up;

    /// <summary>What a rollback runs; null when the file has no down section.</summary>
    public MigrationSection? Down => _body.Value.Down;

    /// <summary>The file declared <c>-- migrate:down irreversible</c>.</summary>
    public bool Irreversible => _body.Value.Irreversible;

    /// <summary>
    /// The migration this one reverts (its <c>-- strata:reverts VERSION</c> header line, written by
    /// <c>rollback --as-migration</c>): applying this one marks that one rolled back.
    /// </summary>
    public string? Reverts => _body.Value.Reverts;

    /// <summary>
    /// The <c>-- migrate:verify</c> section: queries that must succeed after up (one that returns a
    /// single boolean must return true), run in a transaction that is rolled back. Null when the
    /// file has none or it holds no statement.
    /// </summary>
    public MigrationSection? Verify => _body.Value.Verify;

    /// <summary>The SQL stored in <c>rollback_sql</c> at apply time (empty when there is none).</summary>
    public string RollbackSql => Down?.Text.Trim() ?? "";

    internal MigrationBody Body => _body.Value;
}

/// <summary>What parsing a file's text gives besides its identity.</summary>
internal sealed record MigrationBody(
    string Description,
    bool HasDescription,
    MigrationSection Up,
    MigrationSection? Down,
    bool Irreversible,
    string? Reverts,
    MigrationSection? Verify);
