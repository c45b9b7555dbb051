using Strata.Migrations;
using Strata.Verification;

namespace Strata.Tests.Verification;

/// <summary>
/// <see cref="FunctionBodyCheck.Locate"/>: from a function's identity and a line of its body to
/// the file and line of the migration that wrote it, without a database.
/// </summary>
public class FunctionBodyLocateTests
{
    private static IReadOnlyList<MigrationFile> Files(params (string Name, string Text)[] files)
    {
        var set = MigrationSet.Load(new MemorySource(files));
        set.Problems.Should().BeEmpty();
        return set.Files;
    }

    [Fact]
    public void The_last_create_of_a_function_wins_and_the_body_line_maps_to_the_file()
    {
        var files = Files(
            ("20251001000000_first.sql", """
                -- migrate:up
                CREATE FUNCTION f(n integer) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN n; END $$;
                """),
            ("20251002000000_second.sql", """
                -- migrate:up
                -- a comment before the statement
                SELECT 1;

                CREATE OR REPLACE FUNCTION public.f(n integer)
                RETURNS integer
                LANGUAGE plpgsql
                AS $fn$
                BEGIN
                    RETURN n + 1;
                END
                $fn$;
                """));

        FunctionBodyCheck.Locate(files, "public.f(n integer)", 3).Should().Be(("memory:20251002000000_second.sql", 10));
        FunctionBodyCheck.Locate(files, "public.f(n integer)", null).Should().Be(("memory:20251002000000_second.sql", 5));
    }

    [Fact]
    public void A_body_on_the_line_of_its_opening_quote_is_line_one()
    {
        var files = Files(("20251001000000_f.sql", """
            -- migrate:up
            CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN
                PERFORM missing();
            END $$;
            """));

        FunctionBodyCheck.Locate(files, "public.f()", 1).Should().Be(("memory:20251001000000_f.sql", 2));
        FunctionBodyCheck.Locate(files, "public.f()", 2).Should().Be(("memory:20251001000000_f.sql", 3));
    }

    [Fact]
    public void A_body_in_a_single_quoted_string_maps_like_a_dollar_quoted_one()
    {
        var files = Files(("20251001000000_f.sql", """
            -- migrate:up
            CREATE FUNCTION f() RETURNS void AS '
            BEGIN
                PERFORM missing();
            END' LANGUAGE plpgsql;
            """));

        FunctionBodyCheck.Locate(files, "public.f()", 3).Should().Be(("memory:20251001000000_f.sql", 4));
    }

    [Fact]
    public void Unquoted_names_fold_to_lower_case_and_quoted_names_keep_theirs()
    {
        var files = Files(("20251001000000_f.sql", """
            -- migrate:up
            CREATE SCHEMA App;
            CREATE FUNCTION PUBLIC.MyFunc() RETURNS void LANGUAGE plpgsql AS $$ BEGIN END $$;
            CREATE FUNCTION App."Calc, Total"("my arg" integer) RETURNS void LANGUAGE plpgsql AS $$ BEGIN END $$;
            """));

        FunctionBodyCheck.Locate(files, "public.myfunc()", null).Should().Be(("memory:20251001000000_f.sql", 3));
        FunctionBodyCheck.Locate(files, "app.\"Calc, Total\"(\"my arg\" integer)", null).Should().Be(("memory:20251001000000_f.sql", 4));
        FunctionBodyCheck.Locate(files, "public.\"MyFunc\"()", null).Should().BeNull("a quoted name keeps its case");
        FunctionBodyCheck.Locate(files, "public.\"Calc, Total\"(\"my arg\" integer)", null).Should().BeNull("the function is in schema app");
    }

    [Fact]
    public void An_overload_is_told_apart_by_its_number_of_arguments()
    {
        var files = Files(
            ("20251001000000_one.sql", """
                -- migrate:up
                CREATE FUNCTION area(side numeric(10, 2)) RETURNS numeric LANGUAGE plpgsql AS $$ BEGIN RETURN side * side; END $$;
                """),
            ("20251002000000_two.sql", """
                -- migrate:up
                CREATE FUNCTION area(width numeric, height numeric DEFAULT 1) RETURNS numeric LANGUAGE plpgsql AS $$ BEGIN RETURN width * height; END $$;
                """));

        FunctionBodyCheck.Locate(files, "public.area(side numeric)", null)!.Value.File.Should().Be("memory:20251001000000_one.sql");
        FunctionBodyCheck.Locate(files, "public.area(width numeric, height numeric)", null)!.Value.File.Should().Be("memory:20251002000000_two.sql");
    }

    [Fact]
    public void An_unqualified_create_in_another_schema_is_found_when_nothing_names_it_exactly()
    {
        var files = Files(("20251001000000_f.sql", """
            -- migrate:up
            CREATE SCHEMA app;
            SET LOCAL search_path = app;
            CREATE PROCEDURE tidy() LANGUAGE plpgsql AS $$ BEGIN END $$;
            """));

        FunctionBodyCheck.Locate(files, "app.tidy()", null).Should().Be(("memory:20251001000000_f.sql", 4));
    }

    [Fact]
    public void A_standard_sql_body_maps_to_the_statement()
    {
        var files = Files(("20251001000000_f.sql", """
            -- migrate:up
            CREATE FUNCTION one() RETURNS integer LANGUAGE sql
            BEGIN ATOMIC
                SELECT 1;
            END;
            """));

        FunctionBodyCheck.Locate(files, "public.one()", 2).Should().Be(("memory:20251001000000_f.sql", 2));
    }

    [Fact]
    public void A_function_only_a_down_section_creates_is_not_found()
    {
        var files = Files(("20251001000000_f.sql", """
            -- migrate:up
            DROP FUNCTION old();
            -- migrate:down
            CREATE FUNCTION old() RETURNS void LANGUAGE plpgsql AS $$ BEGIN END $$;
            """));

        FunctionBodyCheck.Locate(files, "public.old()", 1).Should().BeNull();
        FunctionBodyCheck.Locate(files, "not an identity", 1).Should().BeNull();
    }
}
