using Strata.Migrations;
using Strata.Tests.Support;

namespace Strata.Tests.Migrations;

/// <summary>
/// The <c>-- migrate:verify</c> section: after up (and after down when there is one), no options,
/// only statements that can run in the rolled-back transaction verify runs them in.
/// </summary>
public class VerifySectionTests
{
    private const string Location = "memory:20251002143000_verify.sql";

    private static MigrationSet Load(string text) => MigrationSet.Load(new MemorySource(("20251002143000_verify.sql", text)));

    private static MigrationFile Parse(string text)
    {
        var set = Load(text);
        set.Problems.Should().BeEmpty();
        return set.Files.Should().ContainSingle().Subject;
    }

    [Fact]
    public void Up_down_and_verify_parse_into_three_sections_with_their_first_lines()
    {
        var file = Parse("""
            -- Index conversations by user
            -- migrate:up
            CREATE INDEX idx_pam_conversations_user_created ON pam_conversations (user_id, created_at);

            -- migrate:down
            DROP INDEX IF EXISTS idx_pam_conversations_user_created;

            -- migrate:verify
            SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'idx_pam_conversations_user_created');
            SELECT count(*) = 0 FROM pam_conversations WHERE user_id IS NULL;

            """);

        (file.Up.FirstLine, file.Down!.FirstLine, file.Verify!.FirstLine).Should().Be((3, 6, 9));
        file.Up.Statements.Should().ContainSingle().Which.Line.Should().Be(3);
        file.Verify.Statements.Select(s => s.Line).Should().Equal(9, 10);
        file.Verify.Options.Should().Be(SectionOptions.None);
        file.Verify.IsTransactional.Should().BeTrue();
        file.RollbackSql.Should().Be("DROP INDEX IF EXISTS idx_pam_conversations_user_created;", "the down section ends where verify starts");
    }

    [Fact]
    public void Up_and_verify_without_down_has_no_rollback()
    {
        var file = Parse("-- Add users\n-- migrate:up\nCREATE TABLE users (id int);\n-- migrate:verify\nSELECT to_regclass('users') IS NOT NULL;\n");

        file.Up.Statements.Should().ContainSingle().Which.Line.Should().Be(3);
        file.Up.Text.Should().NotContain("to_regclass", "the up section ends where verify starts");
        file.Down.Should().BeNull();
        file.RollbackSql.Should().BeEmpty();
        file.Verify!.Statements.Should().ContainSingle().Which.Line.Should().Be(5);
    }

    [Theory]
    [InlineData("-- x\n-- migrate:up\nSELECT 1;\n")]
    [InlineData("-- x\n-- migrate:up\nSELECT 1;\n-- migrate:verify\n")]
    [InlineData("-- x\n-- migrate:up\nSELECT 1;\n-- migrate:verify\n-- nothing to check yet\n")]
    public void A_file_without_verify_queries_has_no_verify_section(string text)
    {
        Parse(text).Verify.Should().BeNull();
    }

    [Fact]
    public void Verify_may_follow_an_irreversible_down()
    {
        var file = Parse("-- x\n-- migrate:up\nDELETE FROM t WHERE old;\n-- migrate:down irreversible\n\n-- migrate:verify\nSELECT NOT EXISTS (SELECT 1 FROM t WHERE old);\n");

        file.Irreversible.Should().BeTrue();
        file.Down.Should().BeNull();
        file.Verify!.Statements.Should().ContainSingle().Which.Line.Should().Be(7);
    }

    [Fact]
    public void The_checksum_covers_the_verify_section()
    {
        const string Body = "-- x\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n";

        var plain = Parse(Body).Checksum;
        var verified = Parse(Body + "-- migrate:verify\nSELECT to_regclass('t') IS NOT NULL;\n").Checksum;

        verified.Should().NotBe(plain).And.Be(MigrationText.Checksum(Body + "-- migrate:verify\nSELECT to_regclass('t') IS NOT NULL;\n"));
    }

    [Theory]
    [InlineData("-- x\n-- migrate:verify\nSELECT true;\n-- migrate:up\nSELECT 1;\n", "verify-before-up", 2, null, "comes before '-- migrate:up'")]
    [InlineData("-- x\n-- migrate:verify\nSELECT true;\n", "verify-before-up", 2, null, "without '-- migrate:up'")]
    [InlineData("-- x\n-- migrate:up\nSELECT 1;\n-- migrate:verify\nSELECT true;\n-- migrate:down\nSELECT 2;\n", "verify-before-down", 4, null, "(line 6)")]
    [InlineData("-- x\n-- migrate:up\nSELECT 1;\n-- migrate:verify\nSELECT true;\n-- migrate:verify\nSELECT false;\n", "duplicate-marker", 6, null, "'-- migrate:verify' appears a second time")]
    [InlineData("-- x\n-- migrate:up\nSELECT 1;\n-- migrate:verify transaction:false\nSELECT true;\n", "verify-marker-option", 4, 19, "'transaction:false'")]
    [InlineData("-- x\n-- migrate:up\nSELECT 1;\n-- migrate:verify  lock_timeout:5s\nSELECT true;\n", "verify-marker-option", 4, 20, "'lock_timeout:5s'")]
    [InlineData("-- x\n-- migrate:up\nSELECT 1;\n-- migrate:verify irreversible\n", "verify-marker-option", 4, 19, "'irreversible'")]
    [InlineData("-- x\n-- migrate:up\nSELECT 1;\n-- migrate:verify\nSELECT true;\nCOMMIT;\n", "transaction-control-in-verify", 6, 1, "'COMMIT'")]
    [InlineData("-- x\n-- migrate:up\nSELECT 1;\n-- migrate:verify\nBEGIN;\nSELECT true;\n", "transaction-control-in-verify", 5, 1, "'BEGIN'")]
    [InlineData("-- x\n-- migrate:up\nSELECT 1;\n-- migrate:verify\nCOMMIT PREPARED 'tx1';\n", "transaction-control-in-verify", 5, 1, "'COMMIT PREPARED'")]
    [InlineData("-- x\n-- migrate:up\nSELECT 1;\n-- migrate:verify\nSELECT true; CREATE INDEX CONCURRENTLY i ON t (a);\n", "not-allowed-in-verify", 5, 14, "'CREATE INDEX'")]
    [InlineData("-- x\n-- migrate:up\nSELECT 1;\n-- migrate:verify\nVACUUM t;\n", "not-allowed-in-verify", 5, 1, "'VACUUM'")]
    [InlineData("-- x\n-- migrate:up\nSELECT 1;\n-- migrate:verify\nSELECT pg_advisory_unlock_all();\n", "session-reset", 5, 8, "migration lock")]
    [InlineData("-- x\n-- migrate:up\nSELECT 1;\n-- migrate:verify\nSELECT 'unterminated;\n", "sql-syntax", 5, 8, "unterminated")]
    public void A_misplaced_or_unsafe_verify_section_is_an_error_with_its_place(string text, string code, int line, int? column, string message)
    {
        var set = Load(text);

        var problem = set.Problems.Should().ContainSingle().Subject;
        problem.Code.Should().Be(code);
        problem.Kind.Should().Be(ProblemKind.BadInput);
        (problem.File, problem.Line, problem.Column).Should().Be((Location, line, column));
        problem.Message.Should().Contain(message);
        if (code != "sql-syntax") problem.Hint.Should().NotBeNullOrEmpty();
        set.Files.Should().BeEmpty();
    }

    [Fact]
    public void Verify_above_up_and_down_is_reported_once_at_the_verify_marker()
    {
        var problems = Load("-- x\n-- migrate:verify\nSELECT true;\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n").Problems;

        problems.Select(p => (p.Code, p.Line)).Should().Equal(("verify-before-up", 2));
        problems[0].Hint.Should().Contain("'-- migrate:up', then '-- migrate:down' (if any), then '-- migrate:verify' last");
    }

    [Theory]
    [InlineData("up")]
    [InlineData("dry-run")]
    [InlineData("status")]
    public async Task A_malformed_verify_marker_stops_the_cli_with_exit_2_naming_file_and_line(string command)
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_good.sql", "-- Good\n-- migrate:up\nCREATE TABLE good (id int);\n");
        var bad = dir.Write("20251002000000_typo.sql", "-- Typo\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n-- migrate: verify\nSELECT true;\n");
        // Nothing listens on port 1: the folder is refused before any server is touched.
        string[] target = ["--url", "postgresql://strata@127.0.0.1:1/none"];
        string[] args = command switch { "dry-run" => ["up", "--dry-run", .. target], _ => [command, .. target] };

        var result = await StrataCli.RunAsync(dir.Root, args);

        // status shows the other files' states, so it asks the server, which is down here: exit 4
        // (the highest of the problems), with the file's problem reported all the same.
        result.ExitCode.Should().Be(command == "status" ? 4 : 2);
        result.Stderr.Should().Contain($"{bad}:6:1: '-- migrate: verify' looks like a section marker").And.Contain("'-- migrate:verify'");
    }
}
