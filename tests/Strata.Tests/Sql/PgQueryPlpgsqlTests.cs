using System.Text.Json;
using Strata.Sql;

namespace Strata.Tests.Sql;

/// <summary>
/// What libpg_query's PL/pgSQL compile (PostgreSQL 15's pl_gram.y with check_function_bodies on,
/// but no catalog) finds, and what it lets through.
/// </summary>
public class PgQueryPlpgsqlTests
{
    private static string Function(string body, string args = "x int", string returns = "void") =>
        $"CREATE FUNCTION f({args}) RETURNS {returns} LANGUAGE plpgsql AS $$\n{body}\n$$";

    private static PgParseError Fails(string sql)
    {
        using var parse = PgQuery.ParsePlpgsql(sql);
        parse.Tree.Should().BeNull();
        return parse.Error!;
    }

    private static JsonElement Compiles(string sql)
    {
        using var parse = PgQuery.ParsePlpgsql(sql);
        parse.Error.Should().BeNull();
        return parse.Tree!.RootElement.Clone();
    }

    [Fact]
    public void A_valid_function_compiles_to_one_plpgsql_function()
    {
        var functions = Compiles(Function("BEGIN\n  FOR i IN 1..3 LOOP\n    RAISE NOTICE '% %', i, x;\n  END LOOP;\nEND"));

        functions.GetArrayLength().Should().Be(1);
        functions[0].GetProperty("PLpgSQL_function").GetProperty("action").GetProperty("PLpgSQL_stmt_block")
            .GetProperty("body")[0].TryGetProperty("PLpgSQL_stmt_fori", out _).Should().BeTrue();
    }

    [Theory]
    [InlineData("BEGIN\n  RAISE NOTICE '% %', x;\nEND", "too few parameters specified for RAISE")]
    [InlineData("BEGIN\n  RAISE NOTICE '%', x, x;\nEND", "too many parameters specified for RAISE")]
    [InlineData("BEGIN\n  y := 1;\nEND", "\"y\" is not a known variable")]
    [InlineData("BEGIN\n  SELECT 1 INTO y;\nEND", "\"y\" is not a known variable")]
    [InlineData("BEGIN\n  FOR r IN SELECT 1 LOOP END LOOP;\nEND", "loop variable of loop over rows must be a record variable or list of scalar variables")]
    [InlineData("DECLARE c CONSTANT int := 1;\nBEGIN\n  c := 2;\nEND", "variable \"c\" is declared CONSTANT")]
    [InlineData("BEGIN\n  EXIT;\nEND", "EXIT cannot be used outside a loop, unless it has a label")]
    [InlineData("<<a>>\nBEGIN\nEND b", "end label \"b\" differs from block's label \"a\"")]
    [InlineData("DECLARE a int;\n  a text;\nBEGIN\nEND", "duplicate declaration at or near \"a\"")]
    [InlineData("BEGIN\n  RAISE NOTICE 'x' USING bogus = 1;\nEND", "unrecognized RAISE statement option at or near \"bogus\"")]
    [InlineData("BEGIN\n  SELEC 1;\nEND", "syntax error at or near \"SELEC\"")]
    [InlineData("BEGIN\n  IF x > 0 THEN\nEND", "syntax error at end of input")]
    public void The_compile_reports(string body, string message)
    {
        Fails(Function(body)).Message.Should().Be(message);
    }

    [Theory]
    [InlineData("BEGIN\n  IF undeclared > 0 THEN RETURN; END IF;\nEND")] // expressions are SQL, checked when run
    [InlineData("BEGIN\n  PERFORM no_such_column FROM no_such_table;\nEND")] // no catalog
    [InlineData("DECLARE a no_such_type;\nBEGIN\nEND")]
    [InlineData("DECLARE a t.c%TYPE;\nBEGIN\nEND")]
    [InlineData("BEGIN\n  RETURN 1;\nEND")] // compiled as if returning void, whatever RETURNS says
    public void The_compile_lets_through(string body)
    {
        Compiles(Function(body)).GetArrayLength().Should().Be(1);
    }

    [Fact]
    public void A_function_returning_int_without_return_compiles()
    {
        // "control reached end of function without RETURN" is a run-time error in PostgreSQL too.
        Compiles(Function("BEGIN\nEND", returns: "int")).GetArrayLength().Should().Be(1);
    }

    [Fact]
    public void An_error_without_a_position_is_placed_at_the_word_it_names_after_the_line_plpgsql_gives()
    {
        // PL/pgSQL says "near line 3" (body line 1 is the rest of the $$ line, so that is the RAISE,
        // the last statement it started): the quoted name moves the caret on to the fault.
        var sql = Function("BEGIN\n  RAISE NOTICE 'ünïcode';\n  y := 1;\nEND");

        var error = Fails(sql);

        error.Context.Should().Be("compilation of PL/pgSQL function \"f\" near line 3");
        error.NearLine.Should().BeTrue();
        error.Position.Should().Be(sql.IndexOf("y :=", StringComparison.Ordinal));
        error.LineColumn(sql).Should().Be((4, 3));
    }

    [Fact]
    public void An_error_naming_no_word_is_placed_at_the_start_of_the_line_plpgsql_gives()
    {
        var sql = Function("BEGIN\n  NULL;\n  RAISE NOTICE '% %', x;\nEND");

        var error = Fails(sql);

        error.NearLine.Should().BeTrue();
        error.LineColumn(sql).Should().Be((4, 3));
    }

    [Fact]
    public void A_single_quoted_body_counts_lines_from_its_quote()
    {
        const string sql = "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS /* body */ 'BEGIN\n  RAISE NOTICE ''% %'', 1;\nEND'";

        Fails(sql).LineColumn(sql, 7, 1).Should().Be((8, 3));
    }

    [Fact]
    public void A_do_block_compiles_as_an_inline_code_block()
    {
        // libpg_query 15-4.0 compiles DO itself (as plpgsql_compile_inline does): no wrapping needed.
        Compiles("DO $$\nBEGIN\n  RAISE NOTICE 'hi';\nEND $$").GetArrayLength().Should().Be(1);

        const string sql = "DO LANGUAGE plpgsql $do$\nBEGIN\n  RAISE NOTICE '% %', 1;\nEND $do$";
        var error = Fails(sql);
        error.Message.Should().Be("too few parameters specified for RAISE");
        error.Context.Should().Contain("\"inline_code_block\"");
        error.LineColumn(sql).Should().Be((3, 3));
    }

    [Fact]
    public void Each_routine_is_compiled_and_an_error_is_placed_in_its_own_statement()
    {
        const string sql = "DO $$ BEGIN END $$;\nCREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;\nSELECT 1;\nCREATE FUNCTION g() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  zz := 1;\nEND $$";

        Compiles(sql[..sql.IndexOf("SELECT", StringComparison.Ordinal)]).GetArrayLength().Should().Be(2);
        var error = Fails(sql);
        error.Message.Should().Be("\"zz\" is not a known variable");
        error.LineColumn(sql).Should().Be((6, 3));
    }

    [Theory]
    [InlineData("CREATE FUNCTION g() RETURNS int LANGUAGE sql RETURN 1")]
    [InlineData("CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END")]
    [InlineData("CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql")]
    [InlineData("DO LANGUAGE plpgsql")]
    public void A_routine_without_a_string_body_is_not_handed_to_the_compile(string sql)
    {
        // libpg_query 15-4.0 asserts a string body and aborts the test host when there is none.
        Compiles(sql).GetArrayLength().Should().Be(1);
    }

    [Fact]
    public void Other_languages_and_other_statements_have_nothing_to_compile()
    {
        Compiles("CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$")[0]
            .GetProperty("PLpgSQL_function").GetProperty("datums").GetArrayLength().Should().Be(0);
        Compiles("SELECT 1").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public void A_parse_error_outside_the_body_is_the_parsers()
    {
        const string sql = "CREATE FUNCTION f( RETURNS void";

        Fails(sql).Message.Should().StartWith("syntax error");
        Fails(sql).NearLine.Should().BeFalse();
    }
}
