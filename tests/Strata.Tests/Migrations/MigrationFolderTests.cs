using System.Text;
using Strata.Migrations;
using Strata.Tests.Support;

namespace Strata.Tests.Migrations;

public class MigrationFolderTests
{
    private const string Simple = "-- Add users\n-- migrate:up\nCREATE TABLE users (id bigint);\n-- migrate:down\nDROP TABLE users;\n";

    [Fact]
    public void Files_are_ordered_by_timestamp_and_keep_their_full_name_as_version()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251003090000_second.sql", Simple);
        dir.Write("20251002143000_first.sql", Simple);
        File.WriteAllText(Path.Combine(dir.Migrations, "README.md"), "not a migration");

        var set = MigrationSet.Load(new FolderSource(dir.Migrations));

        set.Problems.Should().BeEmpty();
        set.Files.Select(f => f.Version).Should().Equal("20251002143000_first.sql", "20251003090000_second.sql");
        set.Files[0].Timestamp.Should().Be(new DateTime(2025, 10, 2, 14, 30, 0, DateTimeKind.Utc));
    }

    [Theory]
    [InlineData("2025100214300_short.sql", "invalid-file-name")]
    [InlineData("20251002143000-kebab-name.sql", "invalid-file-name")]
    [InlineData("V1__flyway_style.sql", "invalid-file-name")]
    [InlineData("20251002143000_.sql", "invalid-file-name")]
    [InlineData("20251302143000_month_13.sql", "invalid-timestamp")]
    [InlineData("20250230120000_february_30.sql", "invalid-timestamp")]
    [InlineData("20251002250000_hour_25.sql", "invalid-timestamp")]
    public void Bad_names_are_reported_with_the_file(string fileName, string code)
    {
        using var dir = new MigrationDirectory();
        dir.Write(fileName, Simple);

        var problem = MigrationSet.Load(new FolderSource(dir.Migrations)).Problems.Should().ContainSingle().Subject;

        problem.Code.Should().Be(code);
        problem.Kind.Should().Be(ProblemKind.BadInput);
        problem.File.Should().EndWith(fileName);
        problem.Hint.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void Two_files_with_the_same_timestamp_are_an_error()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251002143000_one.sql", Simple);
        dir.Write("20251002143000_two.sql", Simple);

        MigrationSet.Load(new FolderSource(dir.Migrations)).Problems.Should().ContainSingle(p => p.Code == "duplicate-timestamp")
            .Which.Message.Should().Contain("20251002143000_one.sql").And.Contain("20251002143000_two.sql");
    }

    [Fact]
    public void A_missing_folder_is_bad_input()
    {
        MigrationSet.Load(new FolderSource("/nonexistent/strata/migrations")).Problems.Should().ContainSingle(p => p.Code == "missing-migrations-folder");
    }

    [Fact]
    public void Crlf_and_bom_do_not_change_the_checksum()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251002143000_unix.sql", Simple);
        dir.WriteBytes("20251003143000_windows.sql", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Simple.Replace("\n", "\r\n"))]);

        var set = MigrationSet.Load(new FolderSource(dir.Migrations));

        set.Problems.Should().BeEmpty();
        set.Files[1].Checksum.Should().Be(set.Files[0].Checksum).And.MatchRegex("^sha256:[0-9a-f]{64}$");
        set.Files[1].Up.Statements[0].Line.Should().Be(3);
    }

    [Fact]
    public void A_file_that_is_not_utf8_is_reported_with_its_line()
    {
        using var dir = new MigrationDirectory();
        dir.WriteBytes("20251002143000_latin1.sql", [.. Encoding.ASCII.GetBytes("-- ok\n-- migrate:up\nSELECT 'caf"), 0xE9, .. Encoding.ASCII.GetBytes("';\n")]);

        var problem = MigrationSet.Load(new FolderSource(dir.Migrations)).Problems.Should().ContainSingle().Subject;

        problem.Code.Should().Be("not-utf8");
        problem.Line.Should().Be(3);
    }

    [Theory]
    [InlineData("-- x\n-- migrate:up\nSELECT 'a\0b';\n", 3, 10)]
    [InlineData("\0-- x\n-- migrate:up\nSELECT 1;\n", 1, 1)]
    [InlineData("-- x\r\n-- migrate:up\r\nSELECT '\U0001F600\0';\r\n", 3, 10)]
    public void A_nul_byte_is_refused_with_its_line_and_column(string text, int line, int column)
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251002143000_nul.sql", text);

        var problem = MigrationSet.Load(new FolderSource(dir.Migrations)).Problems.Should().ContainSingle().Subject;

        problem.Code.Should().Be("nul-byte");
        (problem.Line, problem.Column).Should().Be((line, column));
    }

    [Fact]
    public void A_utf16_file_is_refused_before_its_text_is_read_as_sql()
    {
        using var dir = new MigrationDirectory();
        dir.WriteBytes("20251002143000_utf16.sql", Encoding.Unicode.GetBytes("-- x\nSELECT 1;\n"));

        var problem = MigrationSet.Load(new FolderSource(dir.Migrations)).Problems.Should().ContainSingle().Subject;

        problem.Code.Should().Be("nul-byte");
        problem.Hint.Should().Contain("UTF-16");
    }

    [Theory]
    [InlineData("-- nothing here\n-- migrate:up\n\n-- migrate:down\nDROP TABLE x;\n", "empty-up-section")]
    [InlineData("-- only comments\n", "empty-up-section")]
    [InlineData("-- x\n-- migrate:up transaction:maybe\nSELECT 1;\n", "bad-marker-value")]
    [InlineData("-- x\n-- migrate:up fast:yes\nSELECT 1;\n", "unknown-marker-option")]
    [InlineData("-- x\n-- migrate:up irreversible\nSELECT 1;\n", "unknown-marker-option")]
    [InlineData("-- x\n-- migrate:up\nSELECT 1;\n-- migrate:up\nSELECT 2;\n", "duplicate-marker")]
    [InlineData("-- x\n-- migrate:down\nSELECT 2;\n-- migrate:up\nSELECT 1;\n", "down-before-up")]
    [InlineData("-- x\nSELECT 0;\n-- migrate:up\nSELECT 1;\n", "sql-before-up-marker")]
    [InlineData("-- x\n-- migrate:up\nSELECT 1;\n-- migrate:down irreversible\nDELETE FROM t;\n", "irreversible-with-sql")]
    [InlineData("-- x\n-- migrate:up\nBEGIN;\nSELECT 1;\nCOMMIT;\n", "transaction-control")]
    [InlineData("-- x\n-- migrate:up transaction:true\nCREATE INDEX CONCURRENTLY i ON t (a);\n", "not-allowed-in-transaction")]
    [InlineData("-- x\n-- migrate:up\nCOMMIT PREPARED 'tx1';\n", "transaction-control")]
    [InlineData("-- x\n-- migrate:up transaction:true\nROLLBACK PREPARED 'tx1';\n", "transaction-control")]
    [InlineData("-- x\n-- migrate:up\nSELECT 'unterminated;\n", "sql-syntax")]
    public void Malformed_files_are_reported_with_a_line(string text, string code)
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251002143000_bad.sql", text);

        var problem = MigrationSet.Load(new FolderSource(dir.Migrations)).Problems.Should().ContainSingle().Subject;

        problem.Code.Should().Be(code);
        problem.Line.Should().BeGreaterThan(0);
        problem.File.Should().EndWith("20251002143000_bad.sql");
    }

    [Fact]
    public void Marker_options_are_read()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251002143000_opts.sql", "-- x\n-- migrate:up transaction:false lock_timeout:5s statement_timeout:30min\nSELECT 1;\n-- migrate:down irreversible\n");

        var file = MigrationSet.Load(new FolderSource(dir.Migrations)).Files.Should().ContainSingle().Subject;

        file.Up.Options.Should().Be(new SectionOptions(false, Duration.FromSeconds(5), Duration.FromMinutes(30)));
        file.Up.IsTransactional.Should().BeFalse();
        file.Irreversible.Should().BeTrue();
        file.Down.Should().BeNull();
        file.RollbackSql.Should().BeEmpty();
    }

    [Fact]
    public void A_file_without_markers_is_all_up_and_has_no_rollback()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251002143000_plain.sql", "-- Plain file\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\n");

        var file = MigrationSet.Load(new FolderSource(dir.Migrations)).Files.Should().ContainSingle().Subject;

        file.Up.Statements.Should().HaveCount(2);
        file.Down.Should().BeNull();
        file.Description.Should().Be("Plain file");
    }

    [Theory]
    [InlineData("-- 20251002143000_x.sql\n\n-- Add a column\n-- migrate:up\nSELECT 1;\n", "Add a column", true)]
    [InlineData("-- First line\n-- description: The real one\n-- migrate:up\nSELECT 1;\n", "The real one", true)]
    [InlineData("-- migrate:up\nSELECT 1;\n", "Add tool calls", false)]
    [InlineData("-- supabase/migrations/20251002143000_add_tool_calls.sql\n-- The point\n-- migrate:up\nSELECT 1;\n", "The point", true)]
    public void Description_comes_from_the_first_comment_or_the_name(string text, string expected, bool found)
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251002143000_add_tool_calls.sql", text);

        var file = MigrationSet.Load(new FolderSource(dir.Migrations)).Files.Should().ContainSingle().Subject;

        file.Description.Should().Be(expected);
        file.HasDescription.Should().Be(found);
    }

    [Fact]
    public void The_down_section_is_stored_as_written()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251002143000_x.sql", Simple);

        MigrationSet.Load(new FolderSource(dir.Migrations)).Files[0].RollbackSql.Should().Be("DROP TABLE users;");
    }

    [Fact]
    public void Every_problem_of_a_folder_is_reported_at_once()
    {
        using var dir = new MigrationDirectory();
        dir.Write("bad_name.sql", Simple);
        dir.Write("20251002143000_empty.sql", "-- nothing\n");
        dir.Write("20251003143000_fine.sql", Simple);

        var set = MigrationSet.Load(new FolderSource(dir.Migrations));

        set.Problems.Select(p => p.Code).Should().BeEquivalentTo("invalid-file-name", "empty-up-section");
        set.Files.Should().ContainSingle();
    }
}
