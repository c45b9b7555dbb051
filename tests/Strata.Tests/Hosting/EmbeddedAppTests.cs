using System.Diagnostics;
using System.Text.RegularExpressions;
using Strata.Tests.Support;

namespace Strata.Tests.Hosting;

/// <summary>
/// examples/embedded-app as replicas of a deployment start it (issue 18, acceptance 3): six
/// processes at once on one fresh database. The test project builds the example (a project
/// reference that is not referenced), so this runs the same build the README describes.
/// </summary>
public partial class EmbeddedAppTests(PostgresServer server)
{
    private static readonly string[] Migrations =
        ["20251001090000_create_notes.sql", "20251002090000_add_note_tags.sql", "20251003090000_index_note_tags.sql"];

    [Fact]
    public async Task Six_replicas_started_together_apply_each_migration_once_and_all_start()
    {
        await using var db = await server.CreateDatabaseAsync();
        // Holding the lock while the six start lines them all up behind it, so they contend at
        // the same moment however long each takes to boot on a busy machine.
        var holder = await db.HoldMigrationLockAsync();
        var replicas = Enumerable.Range(0, 6).Select(_ => Replica.Start(db.Url)).ToList();
        try
        {
            await Task.WhenAll(replicas.Select(r => r.Waiting)).WaitAsync(TimeSpan.FromSeconds(45));
        }
        finally
        {
            await holder.DisposeAsync();
            foreach (var replica in replicas.Where(r => !r.Waiting.IsCompleted)) replica.Kill();
        }
        var outputs = await Task.WhenAll(replicas.Select(r => r.ExitAsync())).WaitAsync(TimeSpan.FromSeconds(45));

        outputs.Should().OnlyContain(o => o.ExitCode == 0, string.Join("\n---\n", outputs.Select(o => o.All)));
        outputs.Should().OnlyContain(o => o.Stdout.Contains("started: readiness Healthy (ready)"));
        outputs.Should().OnlyContain(o => o.Stdout.Contains("notes service starting; migrations: Ready"));
        outputs.Sum(o => int.Parse(AppliedCount().Match(o.Stdout).Groups[1].Value)).Should().Be(Migrations.Length, "each migration is applied by one replica");
        var rows = await db.RowsAsync("SELECT version, status, applied_by FROM schema_versions ORDER BY version");
        rows.Select(r => r[0]).Should().Equal(Migrations);
        rows.Should().OnlyContain(r => r[1] == "applied");
        var pids = replicas.Select(r => r.Id.ToString()).ToHashSet();
        rows.Should().OnlyContain(r => pids.Contains(AppliedByPid().Match(r[2]!).Groups[1].Value), "each row names one of the six replicas");
        var applies = await db.RowsAsync("SELECT version, count(*), min(\"by\") FROM schema_version_events WHERE action = 'apply' GROUP BY version ORDER BY version");
        applies.Select(a => (a[0], a[1])).Should().Equal(Migrations.Select(m => ((string?)m, (string?)"1")), "one apply event per migration: nothing ran twice");
        applies.Select(a => a[2]).Should().Equal(rows.Select(r => r[2]), "the event's applier is the row's");
        (await db.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'idx_notes_tags'::regclass")).Should().BeTrue();
    }

    [GeneratedRegex(@"this process applied (\d+) migration")]
    private static partial Regex AppliedCount();

    [GeneratedRegex(@"^embedded-app\[(\d+)\]@")]
    private static partial Regex AppliedByPid();

    /// <summary>One process of the example, its output collected line by line.</summary>
    private sealed class Replica
    {
        private readonly Process _process;
        private readonly TaskCompletionSource _waiting = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly StringWriter _stdout = new();
        private readonly StringWriter _stderr = new();

        private Replica(Process process) => _process = process;

        /// <summary>The process id, kept: the history names it after the process is gone.</summary>
        public int Id { get; private set; }

        /// <summary>Completes when the replica says it waits for the migration lock.</summary>
        public Task Waiting => _waiting.Task;

        public static Replica Start(string url)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(AppPath);
            start.ArgumentList.Add("--exit-after-start");
            start.Environment["DATABASE_URL"] = url;
            start.Environment.Remove("ConnectionStrings__Notes");
            start.Environment.Remove("STRATA_APPLIED_BY");
            var replica = new Replica(new Process { StartInfo = start });
            replica._process.OutputDataReceived += (_, e) => replica.Line(replica._stdout, e.Data);
            replica._process.ErrorDataReceived += (_, e) => replica.Line(replica._stderr, e.Data);
            replica._process.Start();
            replica.Id = replica._process.Id;
            replica._process.BeginOutputReadLine();
            replica._process.BeginErrorReadLine();
            return replica;
        }

        private void Line(StringWriter writer, string? line)
        {
            if (line is null) return;
            lock (writer) writer.WriteLine(line);
            if (line.Contains("Waiting for the migration lock", StringComparison.Ordinal)) _waiting.TrySetResult();
        }

        public void Kill() => _process.Kill();

        public async Task<CliResult> ExitAsync()
        {
            await _process.WaitForExitAsync();
            var result = new CliResult(_process.ExitCode, _stdout.ToString(), _stderr.ToString());
            result.All.Should().NotContain(PostgresServer.CanaryPassword, "a password must never appear in output");
            _process.Dispose();
            return result;
        }

        /// <summary>The example's build beside the tests' own (same configuration), made by the test project's build.</summary>
        private static string AppPath
        {
            get
            {
                var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));   // .../bin/<Configuration>/net10.0
                var root = output;
                while (root is not null && !File.Exists(Path.Combine(root.FullName, "Strata.slnx"))) root = root.Parent;
                var path = Path.Combine(root!.FullName, "examples", "embedded-app", "bin", output.Parent!.Name, output.Name, "embedded-app.dll");
                File.Exists(path).Should().BeTrue($"the test project's build makes {path} (or run: dotnet build examples/embedded-app)");
                return path;
            }
        }
    }
}
