using Strata.Migrations;

namespace Strata.Tests.Migrations;

/// <summary>
/// Section markers: the exact dbmate spelling is a marker, a near miss is an error (read as a
/// comment it would run the down section as part of up), and text inside a body, a string or a
/// block comment is never either.
/// </summary>
public class MarkerTests
{
    private static MigrationSet Load(string text) => MigrationSet.Load(new MemorySource(("20251002143000_markers.sql", text)));

    [Theory]
    [InlineData("-- migrate: up", 1, "malformed-marker", "'-- migrate:up'")]
    [InlineData("-- MIGRATE:UP", 1, "malformed-marker", "'-- migrate:up'")]
    [InlineData("-- Migrate:Down", 1, "malformed-marker", "'-- migrate:down'")]
    [InlineData("-- migrate:dwon", 1, "malformed-marker", "'-- migrate:down'")]
    [InlineData("-- migrate:donw", 1, "malformed-marker", "'-- migrate:down'")]
    [InlineData("-- migrate:upp", 1, "malformed-marker", "'-- migrate:up'")]
    [InlineData("-- migrate : down", 1, "malformed-marker", "'-- migrate:down'")]
    [InlineData("--- migrate:down", 1, "malformed-marker", "'-- migrate:down'")]
    [InlineData("-- migrate:down,", 1, "malformed-marker", "'-- migrate:down'")]
    [InlineData("-- migrate:upgrade", 1, "malformed-marker", "'-- migrate:up', '-- migrate:down' and '-- migrate:verify'")]
    [InlineData("-- migrate:verfy", 1, "malformed-marker", "'-- migrate:verify'")]
    [InlineData("-- migrate: verify", 1, "malformed-marker", "'-- migrate:verify'")]
    [InlineData("-- migrate verify", 1, "malformed-marker", "'-- migrate:verify'")]
    [InlineData("--migrate:Verify", 1, "malformed-marker", "'-- migrate:verify'")]
    [InlineData("-- MIGRATE:VERIFY", 1, "malformed-marker", "'-- migrate:verify'")]
    [InlineData("-- migrate_verify", 1, "malformed-marker", "'-- migrate:verify'")]
    [InlineData("-- migrat:verify", 1, "malformed-marker", "'-- migrate:verify'")]
    [InlineData("  -- migrate:verify", 3, "misplaced-marker", "column 1")]
    [InlineData("-- migrate down", 1, "malformed-marker", "'-- migrate:down'")]
    [InlineData("-- migrate_down irreversible", 1, "malformed-marker", "'-- migrate:down irreversible'")]
    [InlineData("-- migarte:down", 1, "malformed-marker", "'-- migrate:down'")]
    [InlineData("-- migration:down", 1, "malformed-marker", "'-- migrate:down'")]
    [InlineData("-- migrate: down transaction:false", 1, "malformed-marker", "'-- migrate:down transaction:false'")]
    [InlineData("  -- migrate:down", 3, "misplaced-marker", "column 1")]
    [InlineData("\t-- migrate:down", 2, "misplaced-marker", "column 1")]
    [InlineData("    -- MIGRATE: down", 5, "malformed-marker", "'-- migrate:down' at the start of the line")]
    [InlineData("-- +goose Down", 1, "foreign-marker", "'-- migrate:down'")]
    [InlineData("-- +goose StatementBegin", 1, "foreign-marker", "splits statements itself")]
    [InlineData("-- +goose NO TRANSACTION", 1, "foreign-marker", "transaction:false")]
    [InlineData("-- +migrate Down", 1, "foreign-marker", "'-- migrate:down'")]
    public void A_near_miss_marker_is_an_error_with_the_spelling_to_use(string line, int column, string code, string hint)
    {
        var set = Load($"-- Users\n-- migrate:up\nCREATE TABLE users (id int);\n{line}\nDROP TABLE users;\n");

        var problem = set.Problems.Should().ContainSingle().Subject;
        problem.Code.Should().Be(code);
        problem.Kind.Should().Be(ProblemKind.BadInput);
        (problem.File, problem.Line, problem.Column).Should().Be(("memory:20251002143000_markers.sql", 4, column));
        problem.Message.Should().Contain(line.Trim()).And.Contain("comment");
        problem.Hint.Should().Contain(hint);
        set.Files.Should().BeEmpty();
    }

    [Fact]
    public void A_marker_after_sql_on_the_same_line_is_an_error()
    {
        var problem = Load("-- x\n-- migrate:up\nCREATE TABLE t (id int); -- migrate:down\nDROP TABLE t;\n").Problems.Should().ContainSingle().Subject;

        problem.Code.Should().Be("misplaced-marker");
        problem.Message.Should().Contain("follows SQL on the same line");
        (problem.Line, problem.Column).Should().Be((3, 26));
    }

    [Fact]
    public void A_goose_file_is_refused_at_both_of_its_markers()
    {
        var set = Load("-- +goose Up\nCREATE TABLE t (id int);\n\n-- +goose Down\nDROP TABLE t;\n");

        set.Problems.Select(p => (p.Code, p.Line)).Should().Equal(("foreign-marker", 1), ("foreign-marker", 4));
        set.Problems[0].Hint.Should().Contain("'-- migrate:up'");
    }

    [Theory]
    [InlineData("-- this migrates users")]
    [InlineData("-- Migrate old category names to new standard")]
    [InlineData("-- migrate up to 1000 rows per batch")]
    [InlineData("-- migrated: 2024-01-05")]
    [InlineData("-- migrations: up to 5 per deploy")]
    [InlineData("-- note: up to date")]
    [InlineData("-- Migration: add users")]
    [InlineData("-- goose was here")]
    [InlineData("-- see the migrate:up marker below")]
    [InlineData("-- verify the index exists")]
    [InlineData("-- verify: the index exists")]
    [InlineData("-- Verification runs after up")]
    [InlineData("-- migrate, then verify")]
    [InlineData("-- migrate verify rows in batches")]
    [InlineData("-- see the migrate:verify section below")]
    public void Ordinary_comments_that_mention_migrations_stay_comments(string comment)
    {
        var set = Load($"-- Users\n-- migrate:up\n{comment}\nCREATE TABLE users (id int);\n-- migrate:down\nDROP TABLE users;\n");

        set.Problems.Should().BeEmpty();
        set.Files.Single().RollbackSql.Should().Be("DROP TABLE users;");
    }

    [Theory]
    [InlineData("--migrate:up")]
    [InlineData("--   migrate:up")]
    [InlineData("-- migrate:up   ")]
    [InlineData("-- migrate:up\ttransaction:false")]
    public void Dbmate_s_own_spellings_are_markers(string marker)
    {
        var set = Load($"-- x\n{marker}\nSELECT 1;\n-- migrate:down\nSELECT 2;\n");

        set.Problems.Should().BeEmpty();
        set.Files.Single().Up.Statements.Should().ContainSingle().Which.Line.Should().Be(3);
    }

    [Theory]
    [InlineData("CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$\n-- migrate:down\nSELECT 'x'\n$$;")]
    [InlineData("CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $body$\nBEGIN\n  -- MIGRATE: DOWN\n  RETURN 'x';\nEND\n$body$;")]
    [InlineData("COMMENT ON TABLE t IS '\n-- migrate:down\n';")]
    [InlineData("/*\n-- migrate:down\n-- +goose Down\n*/\nSELECT 1;")]
    public void A_marker_line_inside_a_body_a_string_or_a_block_comment_is_text(string sql)
    {
        var set = Load($"-- x\n-- migrate:up\n{sql}\n-- migrate:down\nSELECT 2;\n");

        set.Problems.Should().BeEmpty();
        var file = set.Files.Single();
        file.Up.Statements.Should().ContainSingle();
        file.RollbackSql.Should().Be("SELECT 2;");
    }

    [Fact]
    public void Options_on_a_marker_are_located_by_column()
    {
        var problem = Load("-- x\n--  migrate:up  transaction:maybe\nSELECT 1;\n").Problems.Should().ContainSingle().Subject;

        problem.Code.Should().Be("bad-marker-value");
        (problem.Line, problem.Column).Should().Be((2, 17));
    }

    [Theory]
    [InlineData("long_tx:2s", 2000)]
    [InlineData("long_tx:off", 0)]
    public void Long_tx_on_the_up_marker_overrides_the_configured_one(string option, int milliseconds)
    {
        var file = Load($"-- x\n-- migrate:up {option}\nSELECT 1;\n").Files.Should().ContainSingle().Subject;

        file.Up.Options.LongTx.Should().Be(Duration.From(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Theory]
    [InlineData("long_tx:500", "bad-marker-value")]
    [InlineData("long_tx:0", "bad-marker-value")]
    [InlineData("long_tx:0s", "bad-marker-value")]
    [InlineData("long_tx:-5s", "bad-marker-value")]
    [InlineData("long_tx:", "bad-marker-value")]
    public void A_bad_long_tx_value_is_refused_at_the_marker(string option, string code)
    {
        var problem = Load($"-- x\n-- migrate:up {option}\nSELECT 1;\n").Problems.Should().ContainSingle().Subject;

        problem.Code.Should().Be(code);
        (problem.Line, problem.Column).Should().Be((2, 15));
    }

    [Fact]
    public void A_spaced_long_tx_value_is_refused_in_both_halves()
    {
        var problems = Load("-- x\n-- migrate:up long_tx:5 ms\nSELECT 1;\n").Problems;

        problems.Select(p => p.Code).Should().Equal("bad-marker-value", "unknown-marker-option");
        problems.Should().OnlyContain(p => p.Line == 2);
    }
}
