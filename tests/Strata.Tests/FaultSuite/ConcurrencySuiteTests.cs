using Strata.Tests.Support;

namespace Strata.Tests.FaultSuite;

/// <summary>Many runners at once, round after round, CREATE INDEX CONCURRENTLY included: every migration applied exactly once, no runner fails.</summary>
[Trait("Category", "FaultSuite")]
public class ConcurrencySuiteTests(PostgresServer server)
{
    [Fact]
    public async Task Concurrent_runners_apply_every_migration_exactly_once_round_after_round()
    {
        var failedRunners = 0;
        var problems = new List<string>();
        for (var round = 0; round < Trials.Rounds; round++)
        {
            await using var db = await server.CreateDatabaseAsync();
            using var dir = new MigrationDirectory();
            for (var i = 1; i <= 6; i++)
            {
                dir.Write($"2025100{i}000000_step_{i}.sql", $"""
                    -- Step {i}
                    -- migrate:up
                    CREATE TABLE step_{i} (id bigint, v text);
                    INSERT INTO step_{i} SELECT g, md5(g::text) FROM generate_series(1, 5000) g;
                    {(i % 2 == 0 ? $"CREATE INDEX CONCURRENTLY IF NOT EXISTS step_{i}_v_idx ON step_{i} (v);" : $"CREATE INDEX step_{i}_v_idx ON step_{i} (v);")}
                    """);
            }

            var runs = await Task.WhenAll(Enumerable.Range(0, Trials.Runners).Select(_ => StrataProcess.RunAsync(dir.Root, "up", "--url", db.Url, "--lock-wait", "5min")));

            failedRunners += runs.Count(r => r.ExitCode != 0);
            problems.AddRange(runs.Where(r => r.ExitCode != 0).Select(r => $"round {round}: {r.All}"));
            var applies = await db.ScalarAsync<long>("SELECT count(*) FROM schema_version_events WHERE action = 'apply'");
            if (applies != 6) problems.Add($"round {round}: {applies} apply events for 6 migrations");
            if (runs.Count(r => r.Stdout.Contains("Applied 6 migration(s)")) != 1) problems.Add($"round {round}: not exactly one runner applied the six");
            if (await db.ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE NOT indisvalid") != 0) problems.Add($"round {round}: an INVALID index");
        }

        Trials.Report($"concurrency: {Trials.Runners} runners x {Trials.Rounds} rounds, {failedRunners} runners failed, {problems.Count} problems");
        problems.Should().BeEmpty();
    }
}
