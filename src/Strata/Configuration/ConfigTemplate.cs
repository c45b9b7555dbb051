namespace Strata.Configuration;

/// <summary>The strata.toml that <c>strata init</c> writes, with the defaults of <see cref="Defaults.Standard"/>.</summary>
internal static class ConfigTemplate
{
    /// <summary>The file's text for a migrations folder at <paramref name="migrationsDirectory"/> (relative to the file).</summary>
    public static string Text(string migrationsDirectory)
    {
        var d = Defaults.Standard;
        return $$"""
            # Strata configuration. Every key is optional; see docs/configuration.md.

            [migrations]
            dir = "{{migrationsDirectory}}"
            table = "{{d.Table.Qualified}}"
            lock_timeout = "{{d.LockTimeout}}"      # per migration; a lock timeout is retried with backoff
            lock_tries = {{d.LockTries}}           # attempts when a lock times out, with backoff
            retry_pause = "{{d.RetryPause}}"       # the first pause between attempts; doubled each time
            long_tx = "{{d.LongTx}}"          # wait, instead of queueing behind, a transaction open this long ("off": don't look)

            # Targets. Without --url/--env/DATABASE_URL, Strata uses its local dev cluster (.strata/).
            # [environments.staging]
            # url = "env:STAGING_DATABASE_URL"
            #
            # [environments.production]
            # url = "env:PRODUCTION_DATABASE_URL"
            # requires = "staging"
            # soak = "24h"

            # Scratch databases of 'strata verify': a .sql file (relative to this file) or "supabase",
            # run on each one before the migrations.
            # [scratch]
            # preamble = "supabase"

            # [verify]
            # idempotency = "fail"        # or "warn": when a migration's up cannot run a second time

            """;
    }
}
