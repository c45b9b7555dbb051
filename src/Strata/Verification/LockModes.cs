namespace Strata.Verification;

/// <summary>
/// PostgreSQL's eight table lock modes as its documentation ("Explicit Locking", table-level
/// locks) names them, weakest first, and the names <c>pg_locks.mode</c> gives them.
/// </summary>
public static class LockModes
{
    /// <summary>Taken by SELECT; conflicts only with ACCESS EXCLUSIVE.</summary>
    public const string AccessShare = "ACCESS SHARE";

    /// <summary>Taken by SELECT FOR UPDATE/SHARE.</summary>
    public const string RowShare = "ROW SHARE";

    /// <summary>Taken by INSERT, UPDATE, DELETE and MERGE.</summary>
    public const string RowExclusive = "ROW EXCLUSIVE";

    /// <summary>Taken by VACUUM, ANALYZE, CREATE INDEX CONCURRENTLY and some ALTER TABLE forms; writes go on.</summary>
    public const string ShareUpdateExclusive = "SHARE UPDATE EXCLUSIVE";

    /// <summary>Taken by CREATE INDEX (without CONCURRENTLY): reads go on, writes wait.</summary>
    public const string Share = "SHARE";

    /// <summary>Taken by CREATE TRIGGER and ADD FOREIGN KEY: reads go on, writes wait.</summary>
    public const string ShareRowExclusive = "SHARE ROW EXCLUSIVE";

    /// <summary>Taken by REFRESH MATERIALIZED VIEW CONCURRENTLY: only ACCESS SHARE readers go on.</summary>
    public const string Exclusive = "EXCLUSIVE";

    /// <summary>Taken by most ALTER TABLE forms, DROP, TRUNCATE, VACUUM FULL and CLUSTER: even reads wait.</summary>
    public const string AccessExclusive = "ACCESS EXCLUSIVE";

    private static readonly string[] ByStrength =
        [AccessShare, RowShare, RowExclusive, ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive];

    /// <summary>
    /// The documentation's name for a <c>pg_locks.mode</c> (<c>AccessExclusiveLock</c> is
    /// <c>ACCESS EXCLUSIVE</c>); a mode that is not a table lock mode (<c>SIReadLock</c>) comes back as given.
    /// </summary>
    public static string FromPgLocks(string mode) => mode switch
    {
        "AccessShareLock" => AccessShare,
        "RowShareLock" => RowShare,
        "RowExclusiveLock" => RowExclusive,
        "ShareUpdateExclusiveLock" => ShareUpdateExclusive,
        "ShareLock" => Share,
        "ShareRowExclusiveLock" => ShareRowExclusive,
        "ExclusiveLock" => Exclusive,
        "AccessExclusiveLock" => AccessExclusive,
        _ => mode,
    };

    /// <summary>Orders modes from weakest (0) to strongest; -1 for a mode that is not a table lock mode.</summary>
    internal static int Strength(string mode) => Array.IndexOf(ByStrength, mode);
}
