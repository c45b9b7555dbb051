using Strata.Migrations;
using Strata.Running;

namespace Strata.Tests.Running;

/// <summary>
/// <see cref="ErrorLocation"/>: which file line a server error points at, from its position,
/// CONTEXT and internal query, without a database (issue 17, part 2).
/// </summary>
public class ErrorLocationTests
{
    private static MigrationFile File(string up)
    {
        var set = MigrationSet.Load(new MemorySource([("20251001000000_f.sql", "-- migrate:up\n" + up)]));
        set.Problems.Should().BeEmpty();
        return set.Files[0];
    }

    private static (int Line, int Column) Find(MigrationFile file, int statement, string? where, string? query = null, int queryPosition = 0, int position = 0)
    {
        var located = ErrorLocation.Find(file, file.Up.Statements[statement], new ServerErrorPlace(position, where, query, queryPosition));
        return (located.Line, located.Column);
    }

    [Fact]
    public void The_server_s_position_in_the_statement_wins()
    {
        var file = File("SELECT 1;\nSELECT\n  nope;\n");

        Find(file, 1, null, position: 10).Should().Be((4, 3));
    }

    [Fact]
    public void A_raise_inside_a_do_block_points_at_its_body_line()
    {
        var file = File("DO $$\nBEGIN\n  NULL;\n  RAISE EXCEPTION 'x';\nEND $$;\n");

        Find(file, 0, "PL/pgSQL function inline_code_block line 4 at RAISE").Should().Be((5, 3));
    }

    [Fact]
    public void A_runtime_error_in_a_sql_statement_of_the_body_points_at_its_line()
    {
        var file = File("DO $$\nBEGIN\n  PERFORM 1/0;\nEND $$;\n");

        Find(file, 0, "SQL statement \"SELECT 1/0\"\nPL/pgSQL function inline_code_block line 3 at PERFORM").Should().Be((4, 3));
    }

    [Fact]
    public void The_internal_position_gives_the_column_in_the_body()
    {
        var file = File("DO $$\nBEGIN\n  INSERT INTO nope VALUES (1);\nEND $$;\n");

        Find(file, 0, "PL/pgSQL function inline_code_block line 3 at SQL statement", "INSERT INTO nope VALUES (1)", 13).Should().Be((4, 15));
    }

    [Fact]
    public void A_function_created_earlier_in_the_file_maps_into_its_body_and_one_created_later_does_not()
    {
        var file = File("""
            SELECT 1;
            CREATE FUNCTION f(a integer) RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO nope VALUES (a);
            END $$;
            SELECT f(1);
            CREATE OR REPLACE FUNCTION f(a integer) RETURNS void LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;
            """);
        const string where = "PL/pgSQL function f(integer) line 3 at SQL statement";

        Find(file, 2, where, "INSERT INTO nope VALUES (a)", 13).Should().Be((5, 15), "the first CREATE is the one that ran");
        Find(file, 0, where, "INSERT INTO nope VALUES (a)", 13).Should().Be((2, 1), "before its CREATE, the function is not this file's");
    }

    [Fact]
    public void A_call_to_a_function_from_elsewhere_maps_to_the_do_block_line_that_called_it()
    {
        var file = File("DO $$\nBEGIN\n  PERFORM elsewhere();\nEND $$;\n");

        Find(file, 0, "PL/pgSQL function elsewhere() line 7 at SQL statement\nSQL statement \"SELECT elsewhere()\"\n" +
                      "PL/pgSQL function inline_code_block line 3 at PERFORM", "INSERT INTO nope VALUES (1)", 13)
            .Should().Be((4, 3), "the internal query is the innermost frame's, not the DO block's");
    }

    [Fact]
    public void A_do_block_run_by_execute_inside_the_file_s_do_block_maps_to_the_outer_one()
    {
        var file = File("DO $$\nBEGIN\n  EXECUTE 'DO $x$ BEGIN RAISE EXCEPTION ''y''; END $x$';\nEND $$;\n");

        Find(file, 0, "PL/pgSQL function inline_code_block line 1 at RAISE\nSQL statement \"DO $x$ ...\"\n" +
                      "PL/pgSQL function inline_code_block line 3 at EXECUTE").Should().Be((4, 3));
    }

    [Theory]
    [InlineData("PL/pgSQL-Funktion inline_code_block Zeile 3 bei RAISE")]
    [InlineData("SQL function \"g\" statement 1")]
    [InlineData(null)]
    public void A_context_without_a_known_frame_keeps_the_statement_s_start(string? where)
    {
        var file = File("SELECT 1;\nDO $$\nBEGIN\n  RAISE EXCEPTION 'x';\nEND $$;\n");

        Find(file, 1, where).Should().Be((3, 1));
    }
}
