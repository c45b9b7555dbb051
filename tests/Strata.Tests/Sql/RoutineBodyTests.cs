using Strata.Sql;

namespace Strata.Tests.Sql;

/// <summary><see cref="RoutineBody"/>: PL/pgSQL's body lines and internal queries mapped to file lines and columns.</summary>
public class RoutineBodyTests
{
    private static RoutineBody Body(string sql, int firstLine = 1)
    {
        var split = SqlSplitter.Split(sql, firstLine);
        split.Error.Should().BeNull();
        return RoutineBody.Of(sql, split.Statements.Last())!;
    }

    [Fact]
    public void A_do_block_s_line_one_is_the_line_of_its_opening_quote()
    {
        var body = Body("SELECT 1;\nDO $$\nBEGIN\n  RAISE EXCEPTION 'x';\nEND $$;", firstLine: 10);

        body.OpeningLine.Should().Be(11);
        body.FileLine(3).Should().Be(13);
        body.StartOf(3).Should().Be((13, 3));
        body.StartOf(1).Should().Be((11, 6), "an empty first line points just after the quote");
        body.StartOf(9).Should().BeNull();
    }

    [Fact]
    public void A_one_line_do_block_starts_after_its_tagged_quote_whichever_side_language_is_on()
    {
        Body("DO LANGUAGE plpgsql $do$ BEGIN PERFORM 1; END $do$;").StartOf(1).Should().Be((1, 26));
        Body("DO $do$   BEGIN PERFORM 1; END $do$ LANGUAGE plpgsql;").StartOf(1).Should().Be((1, 11));
    }

    [Fact]
    public void A_function_s_body_is_the_string_after_as_not_a_default_in_its_arguments()
    {
        var body = Body("CREATE FUNCTION f(a text DEFAULT 'AS') RETURNS int\nLANGUAGE plpgsql\nAS $$\nBEGIN\n  RETURN 1;\nEND $$;");

        body.OpeningLine.Should().Be(3);
        body.StartOf(3).Should().Be((5, 3));
    }

    [Fact]
    public void An_internal_query_maps_to_where_it_is_written_on_its_line_or_after()
    {
        var body = Body("DO $$\nBEGIN\n  IF\n    (SELECT count(*) FROM nope) > 0 THEN NULL; END IF;\n  INSERT INTO nope VALUES (1);\nEND $$;");

        body.Locate(4, "INSERT INTO nope VALUES (1)", 13).Should().Be((5, 15));
        body.Locate(3, "(SELECT count(*) FROM nope) > 0", 23).Should().Be((4, 27), "an IF's condition may start on the next line");
        body.Locate(5, "(SELECT count(*) FROM nope) > 0", 23).Should().BeNull("the text is written before that line");
    }

    [Fact]
    public void A_perform_runs_as_select_and_still_maps()
    {
        var body = Body("DO $$\nBEGIN\n  PERFORM * FROM nope;\nEND $$;");

        body.Locate(3, "SELECT * FROM nope", 15).Should().Be((3, 18));
    }

    [Fact]
    public void Dynamic_sql_that_is_not_written_in_the_body_does_not_map()
    {
        var body = Body("DO $$\nBEGIN\n  EXECUTE format('INSERT INTO %I VALUES (1)', 'nope');\nEND $$;");

        body.Locate(3, "INSERT INTO nope VALUES (1)", 13).Should().BeNull();
    }

    [Fact]
    public void Columns_count_characters_as_the_server_does()
    {
        var body = Body("DO $$ BEGIN RAISE NOTICE '😀'; INSERT INTO nope VALUES (1); END $$;");

        body.Locate(1, "INSERT INTO nope VALUES (1)", 13).Should().Be((1, 43));
    }
}
