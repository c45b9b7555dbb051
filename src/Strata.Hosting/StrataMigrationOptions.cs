using System.Reflection;
using Strata.Migrations;

namespace Strata.Hosting;

/// <summary>
/// How the hosted service migrates at start-up: which database, which migrations, how long to
/// wait for another replica's lock, and what a failure does. A class, not a record: a record's
/// generated ToString would print <see cref="ConnectionString"/>, password and all.
/// </summary>
public sealed class StrataMigrationOptions
{
    /// <summary>
    /// The database, as a PostgreSQL URL or an Npgsql key=value string. Never logged. When null,
    /// <c>DATABASE_URL</c> (or the <c>PG*</c> variables) of the process environment name it; the
    /// local dev cluster never does.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Where the migrations come from. Default: the folder <c>migrations</c> beside the
    /// application (<see cref="AppContext.BaseDirectory"/>).
    /// </summary>
    public IMigrationSource? Source { get; set; }

    /// <summary>
    /// How long a replica waits for another one's migration lock before it gives up (a
    /// <c>lock-busy</c> refusal). Default: strata.toml's value, else 5 minutes.
    /// </summary>
    public TimeSpan? LockWait { get; set; }

    /// <summary>Recorded in <c>applied_by</c>. Default: <c>STRATA_APPLIED_BY</c>, else the application's name @ the machine (a pod's name under Kubernetes).</summary>
    public string? AppliedBy { get; set; }

    /// <summary>
    /// A strata.toml whose settings apply (history table, lock and statement timeouts, lock
    /// tries). Default: <c>strata.toml</c> beside the application when it ships one, else the defaults.
    /// </summary>
    public string? ConfigPath { get; set; }

    /// <summary>
    /// True (the default): a refusal (a bad file, drift, out of order, a busy lock), a failed
    /// migration or an unreachable server stops the host from starting with a
    /// <see cref="StrataException"/>. False: the failure is logged, the readiness check reports
    /// it, and the application starts anyway (to serve what does not need the new schema).
    /// </summary>
    public bool StopHostOnFailure { get; set; } = true;

    /// <summary>
    /// False (the default): the migration runs before any hosted service starts, so no request is
    /// served against an old schema, and a replica waiting for another's lock does not start.
    /// True: the application starts at once while the migration runs beside it, and the
    /// readiness check reports <c>migrating</c> until the schema is current; choose this when a
    /// liveness probe must answer during a long migration. A failure then stops the host through
    /// its <c>BackgroundServiceExceptionBehavior</c> (when <see cref="StopHostOnFailure"/> is true).
    /// </summary>
    public bool MigrateInBackground { get; set; }

    /// <summary>Migrations embedded in <paramref name="assembly"/> whose resource names start with <paramref name="prefix"/> (e.g. <c>"MyApp.Migrations."</c>).</summary>
    public StrataMigrationOptions UseEmbeddedMigrations(Assembly assembly, string prefix)
    {
        Source = new EmbeddedSource(assembly, prefix);
        return this;
    }

    /// <summary>Migrations in a folder; a relative path is read from beside the application (<see cref="AppContext.BaseDirectory"/>).</summary>
    public StrataMigrationOptions UseMigrationsFolder(string path)
    {
        Source = new FolderSource(Path.GetFullPath(path, AppContext.BaseDirectory));
        return this;
    }

    /// <summary>Password-free: says whether a connection string is set, never what it is.</summary>
    public override string ToString() =>
        $"StrataMigrationOptions {{ ConnectionString = {(ConnectionString is null ? "none" : "(set)")}, Source = {Source?.Description ?? "default"} }}";
}
