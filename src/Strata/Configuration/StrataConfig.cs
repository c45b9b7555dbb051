using Strata.Deploying;
using Strata.History;

namespace Strata.Configuration;

/// <summary>One <c>[environments.NAME]</c> table of strata.toml.</summary>
/// <param name="Name">The environment's name.</param>
/// <param name="Url">As written: a URL, key=value string, or <c>env:VAR</c>.</param>
/// <param name="Line">The line of the table header, for errors.</param>
/// <param name="Requires">Another environment of the same file where a migration must be applied first (promotion gate); never this one, never a cycle.</param>
/// <param name="Soak">How long it must have been applied there; more than zero, and only set together with <paramref name="Requires"/>.</param>
/// <param name="Backup">What backup a deploy takes first; null when the key is not set (no backup, but not chosen on purpose either).</param>
/// <param name="Smoke">The smoke-test command after a deploy.</param>
/// <param name="Confirm">Ask before deploying: null (not set) and true ask; false lets a deploy go ahead without <c>--yes</c>.</param>
/// <param name="OnSmokeFailure">What a deploy does when <paramref name="Smoke"/> fails; only set together with it.</param>
public sealed record EnvironmentConfig(
    string Name,
    string? Url,
    int Line,
    string? Requires = null,
    Duration? Soak = null,
    BackupPlan? Backup = null,
    string? Smoke = null,
    bool? Confirm = null,
    SmokeFailureAction OnSmokeFailure = SmokeFailureAction.Stop)
{
    /// <summary>The <c>window</c> and <c>deny</c> keys (UTC); <see cref="DeployWindow.Always"/> when neither is set.</summary>
    public DeployWindow Window { get; init; } = DeployWindow.Always;
}

/// <summary>What <c>verify</c> does when a migration's up fails on its second run (<c>[verify] idempotency</c>).</summary>
public enum IdempotencyRule
{
    /// <summary>The migration fails verification: <c>idempotency = "fail"</c>, the default.</summary>
    Fail,
    /// <summary>It is reported as a warning and verification goes on: <c>idempotency = "warn"</c>.</summary>
    Warn,
}

/// <summary>The <c>[scratch]</c> table of strata.toml: how the scratch databases of <c>verify</c> are prepared.</summary>
/// <param name="Preamble">
/// As written: <c>"supabase"</c> or the path (relative to strata.toml's folder) of a .sql file run
/// on every scratch database before the migrations; null when not set. Resolved by its user, not here.
/// </param>
/// <param name="Line">The line of the <c>preamble</c> key, for errors about its value; 0 when not set.</param>
public sealed record ScratchConfig(string? Preamble, int Line)
{
    /// <summary>No preamble: scratch databases start empty.</summary>
    public static readonly ScratchConfig None = new(null, 0);
}

/// <summary>The <c>[verify]</c> table of strata.toml.</summary>
/// <param name="Idempotency">Whether a migration whose up fails on its second run fails verification or only warns.</param>
public sealed record VerifyConfig(IdempotencyRule Idempotency);

/// <summary>The <c>[lint]</c> table: how long a deprecation must age before a drop, and per-rule severities (<c>[lint.rules]</c>).</summary>
/// <param name="DeprecationPeriod">How much older the deprecating migration must be than the drop.</param>
/// <param name="Rules">Rule name → severity; null turns the rule off.</param>
public sealed record LintConfig(Duration DeprecationPeriod, IReadOnlyDictionary<string, Linting.Severity?> Rules)
{
    /// <summary>
    /// The PostgreSQL major version the migrations target (<c>postgres = 17</c>); null when not
    /// set. Above the parser's own version (15), a statement the parser rejects is a warning that
    /// may be newer syntax, not an error.
    /// </summary>
    public int? Postgres { get; init; }

    /// <summary>14 days, no overrides.</summary>
    public static readonly LintConfig Default = new(Duration.From(TimeSpan.FromDays(14)), new Dictionary<string, Linting.Severity?>());
}

/// <summary>The project's configuration, strata.toml with defaults filled in.</summary>
/// <param name="File">The file read, or null when there is none (all defaults).</param>
/// <param name="ProjectRoot">The folder of strata.toml (or the working folder): relative paths and .strata/ live here.</param>
/// <param name="MigrationsDirectory">Absolute path of the migrations folder.</param>
/// <param name="Table">Where the history lives.</param>
/// <param name="AppliedBy">applied_by from the file, if set.</param>
/// <param name="LockTimeout">lock_timeout per migration.</param>
/// <param name="StatementTimeout">statement_timeout per migration, or null to leave the server's.</param>
/// <param name="LockTries">Attempts when a lock times out.</param>
/// <param name="LockWait">How long to wait for another runner's lock.</param>
/// <param name="Environments">The [environments.NAME] tables.</param>
/// <param name="Scratch">The [scratch] table.</param>
/// <param name="Verify">The [verify] table.</param>
/// <param name="Lint">The [lint] and [lint.rules] tables.</param>
public sealed record StrataConfig(
    string? File,
    string ProjectRoot,
    string MigrationsDirectory,
    HistoryTable Table,
    string? AppliedBy,
    Duration LockTimeout,
    Duration? StatementTimeout,
    int LockTries,
    Duration LockWait,
    IReadOnlyDictionary<string, EnvironmentConfig> Environments,
    ScratchConfig Scratch,
    VerifyConfig Verify,
    LintConfig Lint)
{
    /// <summary>
    /// <c>long_tx</c>: another session's transaction open at least this long, holding a lock on a
    /// table a migration is about to lock strongly, makes Strata wait and retry instead of
    /// queueing behind it. <see cref="Duration"/> zero (<c>long_tx = "off"</c>): no check.
    /// </summary>
    public Duration LongTx { get; init; } = Strata.Defaults.Standard.LongTx;

    /// <summary><c>retry_pause</c>: the pause before the first retry after a lock timeout or a long transaction; doubled each time.</summary>
    public Duration RetryPause { get; init; } = Strata.Defaults.Standard.RetryPause;

    /// <summary>The configuration of a project without strata.toml: <see cref="Strata.Defaults.Standard"/>.</summary>
    public static StrataConfig Defaults(string projectRoot)
    {
        var d = Strata.Defaults.Standard;
        return new(null, projectRoot, Path.Combine(projectRoot, d.MigrationsDirectory), d.Table, null, d.LockTimeout, d.StatementTimeout,
            d.LockTries, d.LockWait, new Dictionary<string, EnvironmentConfig>(), ScratchConfig.None, new VerifyConfig(d.Idempotency), LintConfig.Default);
    }
}
