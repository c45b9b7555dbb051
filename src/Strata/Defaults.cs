using Strata.Configuration;
using Strata.History;

namespace Strata;

/// <summary>
/// Every default in one record: strata.toml without a key, the <c>init</c> template, the
/// run settings and an application embedding Strata all read them here.
/// </summary>
/// <param name="MigrationsDirectory">The migrations folder, relative to the project root.</param>
/// <param name="Table">Where the history lives.</param>
/// <param name="LockTimeout">lock_timeout per migration: short enough that a blocked ALTER does not stall the application.</param>
/// <param name="StatementTimeout">statement_timeout per migration; null leaves the server's.</param>
/// <param name="LockTries">Attempts when a migration cannot get its locks in time.</param>
/// <param name="LockWait">How long a runner waits for another runner's advisory lock.</param>
/// <param name="RetryPause">The first pause between lock-timeout retries; doubled each time.</param>
/// <param name="Idempotency">What verify does when a migration's up fails on its second run: fail, as the strategy's checklist asks for migrations that are safe to run more than once.</param>
public sealed record Defaults(
    string MigrationsDirectory,
    HistoryTable Table,
    Duration LockTimeout,
    Duration? StatementTimeout,
    int LockTries,
    Duration LockWait,
    Duration RetryPause,
    IdempotencyRule Idempotency)
{
    /// <summary>
    /// How old another session's transaction must be before Strata, seeing it hold a lock on a
    /// table the migration locks strongly, waits instead of sending the statement (the blocker
    /// check). Zero: no check. Well under <see cref="LockTimeout"/>: a transaction that has been
    /// open this long is unlikely to end within the lock timeout, while every query arriving
    /// after a queued ALTER would wait behind it.
    /// </summary>
    public Duration LongTx { get; init; } = Duration.From(TimeSpan.FromMilliseconds(500));

    /// <summary>Strata's defaults.</summary>
    public static readonly Defaults Standard = new(
        "migrations", HistoryTable.Default, Duration.FromSeconds(10), null, 3, Duration.FromMinutes(5), Duration.FromSeconds(1), IdempotencyRule.Fail);
}
