namespace Strata.Verification;

/// <summary>
/// What one statement of a migration's up section did to the relations it touched, as
/// <see cref="LockTracer"/> saw it on a scratch database.
/// </summary>
/// <param name="Index">The statement's 0-based position in the up section.</param>
/// <param name="Line">The line it starts on.</param>
/// <param name="Verb">
/// Its leading keywords (<c>ALTER TABLE</c>, <c>CREATE INDEX</c>, ...), with <c>CONCURRENTLY</c>
/// appended to a concurrent index build, drop or rebuild and to a concurrent refresh.
/// </param>
/// <param name="Duration">How long it ran on the scratch database.</param>
/// <param name="Locks">
/// The table locks the statement took, one per relation at its strongest new mode, sorted by
/// relation. Locks held since an earlier statement of the same transaction are not repeated, nor
/// is a weaker lock on a relation the transaction already holds in ACCESS EXCLUSIVE mode.
/// Index and sequence locks are left out: the lock on the table is the one that blocks others.
/// </param>
/// <param name="Rewritten">The tables and materialized views that got new storage (a rewrite, or TRUNCATE), sorted.</param>
/// <param name="Observed">
/// True when <see cref="Locks"/> were read from <c>pg_locks</c> while the statement's transaction
/// was still open; false when the statement ran on its own outside a transaction (<c>CREATE INDEX
/// CONCURRENTLY</c>, <c>VACUUM</c>, ...), its locks were already released, and <see cref="Locks"/>
/// are the levels PostgreSQL's documentation gives for it.
/// </param>
public sealed record StatementLocks(int Index, int Line, string Verb, TimeSpan Duration, IReadOnlyList<RelationLock> Locks,
    IReadOnlyList<RelationRewrite> Rewritten, bool Observed)
{
    /// <summary>
    /// An ACCESS EXCLUSIVE lock or a rewrite on a relation that existed before the migration: while
    /// it lasts, nothing else can even read the table, and a rewrite lasts as long as the table is big.
    /// What the migration itself created is nobody else's yet.
    /// </summary>
    public bool Flagged => Locks.Any(l => l.Existed && l.Mode == LockModes.AccessExclusive) || Rewritten.Any(r => r.Existed);
}

/// <summary>A lock a statement took on a relation.</summary>
/// <param name="Relation">The relation, schema-qualified and quoted where needed (<c>public.accounts</c>).</param>
/// <param name="Mode">The lock mode as PostgreSQL's documentation names it: <c>ACCESS EXCLUSIVE</c>, <c>SHARE UPDATE EXCLUSIVE</c>, ...</param>
/// <param name="Existed">The relation existed before the migration started (false when the migration created it).</param>
public sealed record RelationLock(string Relation, string Mode, bool Existed);

/// <summary>A relation whose storage a statement replaced (its relfilenode changed).</summary>
/// <param name="Relation">The relation, schema-qualified and quoted where needed.</param>
/// <param name="Existed">The relation existed before the migration started.</param>
public sealed record RelationRewrite(string Relation, bool Existed);
