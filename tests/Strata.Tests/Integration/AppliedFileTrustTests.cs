using System.Security.Cryptography;
using System.Text;
using Strata.Migrations;
using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>
/// <c>up</c> parses the files once the history is read, and not the applied ones whose checksums
/// match their rows: they were validated when they were applied. Every other file is parsed and
/// validated as before, and its problems refuse the run before anything is written.
/// </summary>
public class AppliedFileTrustTests(PostgresServer server)
{
    private const string First = "20251001000000_first.sql";

    private static string Checksum(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task An_unchanged_applied_file_that_a_newer_rule_refuses_does_not_block_the_pending_ones()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write(First, "-- First\n-- migrate:up\nCREATE TABLE first (id int);\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        // As if an older Strata had applied a file that today's rules refuse (DEALLOCATE ALL is
        // refused since the runner prepares its bookkeeping): same text, same checksum in its row.
        var old = "-- First\n-- migrate:up\nCREATE TABLE first (id int);\nDEALLOCATE ALL;\n";
        dir.Write(First, old);
        await db.ExecuteAsync($"UPDATE schema_versions SET checksum = '{Checksum(old)}' WHERE version = '{First}'");
        dir.Write("20251002000000_second.sql", "-- Second\n-- migrate:up\nCREATE TABLE second (id int);\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(0, up.All);
        (await db.TableExistsAsync("second")).Should().BeTrue();
        // status reads every file, and says so: the rule is news for whoever edits that folder.
        var status = await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url);
        status.Stderr.Should().Contain($"{First}:4").And.Contain("DEALLOCATE ALL");
    }

    [Fact]
    public async Task An_applied_file_edited_since_is_parsed_and_its_problem_refuses_the_run()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write(First, "-- First\n-- migrate:up\nCREATE TABLE first (id int);\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        dir.Write(First, "-- First\n-- migrate:up\nCREATE TABLE first (id int);\nSELECT 'unterminated;\n");
        dir.Write("20251002000000_second.sql", "-- Second\n-- migrate:up\nCREATE TABLE second (id int);\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--allow-drift");

        up.ExitCode.Should().Be(2, up.All);
        up.Stderr.Should().Contain($"{First}:4");
        (await db.TableExistsAsync("second")).Should().BeFalse();
    }

    [Fact]
    public async Task A_bad_pending_file_refuses_after_the_history_is_read_writes_nothing_and_leaves_no_lock()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write(First, "-- First\n-- migrate:up\nCREATE TABLE first (id int);\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        dir.Write("20251002000000_second.sql", "-- Second\n-- migrate:up\nCREATE TABLE second (id int);\n");
        dir.Write("20251003000000_third.sql", "-- Third\n-- migrate:up\nCREATE TABLE third (id int);\n-- migrate:dwon\nDROP TABLE third;\n");
        var rowsBefore = await db.ScalarAsync<long>("SELECT count(*) FROM schema_version_events");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(2, up.All);
        up.Stderr.Should().Contain("20251003000000_third.sql:4");
        (await db.TableExistsAsync("second")).Should().BeFalse();
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_versions")).Should().Be(1);
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_version_events")).Should().Be(rowsBefore);
        (await db.ScalarAsync<long>("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database()")).Should().Be(0);

        dir.Write("20251003000000_third.sql", "-- Third\n-- migrate:up\nCREATE TABLE third (id int);\n-- migrate:down\nDROP TABLE third;\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        (await db.TableExistsAsync("third")).Should().BeTrue();
    }

    [Fact]
    public async Task An_unknown_to_and_a_bad_name_are_refused_before_any_server_is_asked()
    {
        using var dir = new MigrationDirectory();
        dir.Write(First, "-- First\n-- migrate:up\nCREATE TABLE first (id int);\n");
        const string nowhere = "postgresql://postgres@127.0.0.1:1/nowhere";

        var to = await StrataCli.RunAsync(dir.Root, "up", "--url", nowhere, "--to", "20991231000000");
        to.ExitCode.Should().Be(2, to.All);
        to.Stderr.Should().Contain("20991231000000");

        dir.Write("2025_bad_name.sql", "-- Bad\n-- migrate:up\nSELECT 1;\n");
        dir.Write("20251002000000_broken.sql", "-- Broken\n-- migrate:up\nSELECT 'unterminated;\n");
        var bad = await StrataCli.RunAsync(dir.Root, "up", "--url", nowhere);
        bad.ExitCode.Should().Be(2, bad.All);
        // Every problem of the folder at once, as before the split into reading and parsing.
        bad.Stderr.Should().Contain("2025_bad_name.sql").And.Contain("20251002000000_broken.sql:3");
    }

    [Fact]
    public void A_trusted_file_is_parsed_only_when_read_and_then_refuses_as_any_other()
    {
        var source = new MemorySource(
            (First, "-- First\n-- migrate:up\nCREATE TABLE first (id int);\nDEALLOCATE ALL;\n"),
            ("20251002000000_second.sql", "-- Second\n-- migrate:up\nCREATE TABLE second (id int);\n"));
        var candidates = MigrationCandidates.Read(source);
        var trusted = new Dictionary<string, string> { [First] = candidates.Files[0].Checksum };

        var set = candidates.Parse(trusted);

        set.Problems.Should().BeEmpty();
        set.Files.Should().HaveCount(2);
        set.Files[0].Checksum.Should().Be(candidates.Files[0].Checksum);
        set.Files[1].Up.Statements.Should().ContainSingle();
        var read = () => set.Files[0].Up;
        read.Should().Throw<StrataException>().Which.Problem.Code.Should().Be("session-reset");
        // Untrusted, the same file is refused at load, like every file always was.
        candidates.Parse(null).Problems.Should().ContainSingle(p => p.Code == "session-reset");
        candidates.Parse(new Dictionary<string, string> { [First] = "sha256:other" }).Problems.Should().ContainSingle(p => p.Code == "session-reset");
    }
}
