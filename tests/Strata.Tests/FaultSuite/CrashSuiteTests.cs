using Strata.Tests.Support;

namespace Strata.Tests.FaultSuite;

/// <summary>
/// SIGKILL of the strata process at random points of a long run, half of the trials with
/// CREATE INDEX CONCURRENTLY files. Afterwards the history agrees with the schema (a
/// transactional migration has both its row and its objects, or neither; an unfinished
/// statement-by-statement one is interrupted), and the next run completes.
/// </summary>
[Trait("Category", "FaultSuite")]
public class CrashSuiteTests(PostgresServer server)
{
    private static bool IsIndexFile(int i, bool withIndexes) => withIndexes && i % 5 == 0;

    private static void WriteFolder(MigrationDirectory dir, int count, bool withIndexes)
    {
        for (var i = 1; i <= count; i++)
        {
            var stamp = new DateTime(2025, 1, 1).AddMinutes(i).ToString("yyyyMMddHHmmss");
            dir.Write($"{stamp}_step_{i:D4}.sql", IsIndexFile(i, withIndexes)
                ? $"-- Index step {i - 1}\n-- migrate:up\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_{i - 1}_v ON t_{i - 1} (v);\n"
                // The pause keeps a run of 40 files longer than the kill delays below: the native
                // binary starts in milliseconds and would otherwise finish before any kill lands.
                : $"-- Step {i}\n-- migrate:up\nCREATE TABLE t_{i} (id bigint, v text);\nINSERT INTO t_{i} SELECT g, md5(g::text) FROM generate_series(1, 500) g;\nSELECT pg_sleep(0.03);\n");
        }
    }

    [Fact]
    public async Task Killed_runs_leave_history_and_schema_in_agreement_and_the_next_run_completes()
    {
        var random = new Random(20251125);
        int killedMidRun = 0, interruptedSeen = 0, violations = 0;
        var problems = new List<string>();
        for (var trial = 0; trial < Trials.Kills; trial++)
        {
            var withIndexes = trial % 2 == 1;
            await using var db = await server.CreateDatabaseAsync();
            using var dir = new MigrationDirectory();
            WriteFolder(dir, Trials.KillMigrations, withIndexes);

            using (var process = StrataProcess.Start(dir.Root, "up", "--url", db.Url))
            {
                await Task.Delay(random.Next(300, 2500));
                try { process.Kill(); } catch (InvalidOperationException) { /* it had finished */ }
                var result = await process.WaitAsync();
                if (result.ExitCode != 0) killedMidRun++;
            }
            await db.EndOtherSessionsAsync();

            var rows = await db.TableExistsAsync("schema_versions")
                ? (await db.RowsAsync("SELECT version, status FROM schema_versions")).ToDictionary(r => r[0]!, r => r[1]!)
                : [];
            for (var i = 1; i <= Trials.KillMigrations; i++)
            {
                var version = new DateTime(2025, 1, 1).AddMinutes(i).ToString("yyyyMMddHHmmss") + $"_step_{i:D4}.sql";
                var applied = rows.TryGetValue(version, out var status) && status == "applied";
                if (IsIndexFile(i, withIndexes))
                {
                    var valid = await db.ScalarAsync<bool>($"SELECT coalesce((SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('t_{i - 1}_v')), false)");
                    if (applied && !valid) { violations++; problems.Add($"trial {trial}: {version} applied without a valid index"); }
                }
                else
                {
                    var rowsInTable = await db.TableExistsAsync($"t_{i}") ? await db.ScalarAsync<long>($"SELECT count(*) FROM t_{i}") : -1;
                    if (applied != (rowsInTable == 500)) { violations++; problems.Add($"trial {trial}: {version} row applied={applied}, table rows {rowsInTable}"); }
                }
            }
            var shown = await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url);
            if (shown.Stdout.Contains("interrupted")) interruptedSeen++;

            var next = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--allow-interrupted");
            if (next.ExitCode != 0) problems.Add($"trial {trial}: the next run failed: {next.All}");
            if (await db.ScalarAsync<long>("SELECT count(*) FROM schema_versions WHERE status = 'applied'") != Trials.KillMigrations)
                problems.Add($"trial {trial}: not every migration applied after the next run");
            if (await db.ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE NOT indisvalid") != 0)
                problems.Add($"trial {trial}: an INVALID index survived the next run");
        }

        Trials.Report($"crash: {Trials.Kills} SIGKILL trials of {Trials.KillMigrations} migrations, {killedMidRun} killed mid-run, " +
                      $"{interruptedSeen} left an interrupted file, {violations} history/schema disagreements, {problems.Count} problems");
        problems.Should().BeEmpty();
        killedMidRun.Should().BeGreaterThan(0, "the kills must land while migrations run, or the trial proves nothing");
    }
}
