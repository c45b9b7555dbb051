using System.Text;
using System.Text.Json;
using Strata.Sql;

namespace Strata.Tests.Sql;

public class PgQueryTests
{
    private static JsonElement FirstStatement(PgParse parse) =>
        parse.Tree!.RootElement.GetProperty("stmts")[0].GetProperty("stmt");

    private static PgParseError ErrorOf(PgParse parse)
    {
        parse.Tree.Should().BeNull();
        parse.Error.Should().NotBeNull();
        return parse.Error!;
    }

    [Fact]
    public void The_parser_loads_and_is_postgresql_15()
    {
        // CI installs libpg-query-dev (.ci/run): a machine without it must fail here, not skip.
        PgQuery.IsAvailable.Should().BeTrue();
        PgQuery.Version.Should().StartWith("15.");
    }

    [Fact]
    public void Create_index_concurrently_is_an_index_statement_marked_concurrent()
    {
        using var parse = PgQuery.Parse("CREATE INDEX CONCURRENTLY i ON t (c)");

        parse.Error.Should().BeNull();
        var index = FirstStatement(parse).GetProperty("IndexStmt");
        index.GetProperty("concurrent").GetBoolean().Should().BeTrue();
        index.GetProperty("relation").GetProperty("relname").GetString().Should().Be("t");
    }

    [Fact]
    public void Syntax_error_is_placed_by_characters_after_non_ascii_text()
    {
        // 'größe 😀' is 8 characters, 13 UTF-8 bytes and 9 UTF-16 units: only characters give the right column.
        const string sql = "SELECT 'größe 😀' AS a,\n       'ü' AS b\nFROM t WHERE WHERE";

        using var parse = PgQuery.Parse(sql);

        var error = ErrorOf(parse);
        error.Message.Should().Be("syntax error at or near \"WHERE\"");
        error.Position.Should().Be(sql.LastIndexOf("WHERE", StringComparison.Ordinal));
        error.NearLine.Should().BeFalse();
        error.LineColumn(sql).Should().Be((3, 14));
        error.LineColumn(sql, startLine: 10, startColumn: 5).Should().Be((12, 14));
    }

    [Fact]
    public void Syntax_error_on_the_first_line_after_an_astral_character_counts_it_once()
    {
        const string sql = "SELECT '😀😀' FRM t";

        using var parse = PgQuery.Parse(sql);

        var error = ErrorOf(parse);
        error.Position.Should().Be(sql.Length - 1);
        error.LineColumn(sql, 4, 3).Should().Be((4, 3 + 16));
    }

    [Fact]
    public void Tree_locations_are_bytes_and_map_to_the_right_character()
    {
        const string sql = "SELECT 'é😀', x FROM t";

        using var parse = PgQuery.Parse(sql);

        var column = FirstStatement(parse).GetProperty("SelectStmt").GetProperty("targetList")[1]
            .GetProperty("ResTarget").GetProperty("val").GetProperty("ColumnRef");
        var location = column.GetProperty("location").GetInt32();
        location.Should().Be(Encoding.UTF8.GetByteCount(sql[..sql.IndexOf('x')]));
        PgQuery.LocationToIndex(sql, location).Should().Be(sql.IndexOf('x'));
    }

    [Fact]
    public void Empty_and_comment_only_input_parse_to_no_statements()
    {
        foreach (var sql in new[] { "", "   ", "-- nothing\n/* at all */" })
        {
            using var parse = PgQuery.Parse(sql);
            parse.Error.Should().BeNull();
            parse.Tree!.RootElement.GetProperty("stmts").GetArrayLength().Should().Be(0);
        }
    }

    [Fact]
    public void A_nul_character_is_refused_before_the_native_parser_sees_it()
    {
        // The C side would stop at the NUL and pass "SELECT 1" while the rest goes unchecked.
        const string sql = "SELECT 1\0; DROP TABLE t";

        using var parse = PgQuery.Parse(sql);
        using var plpgsql = PgQuery.ParsePlpgsql(sql);

        ErrorOf(parse).Position.Should().Be(8);
        ErrorOf(parse).Message.Should().Contain("NUL");
        ErrorOf(plpgsql).Position.Should().Be(8);
    }

    [Fact]
    public void Lone_surrogates_parse_as_one_replacement_character_each()
    {
        const string sql = "SELECT '\uD800x\uDC00' AS a WHERE WHERE";

        using (var ok = PgQuery.Parse("SELECT '\uD800x\uDC00'"))
        {
            var literal = FirstStatement(ok).GetProperty("SelectStmt").GetProperty("targetList")[0]
                .GetProperty("ResTarget").GetProperty("val").GetProperty("A_Const").GetProperty("sval").GetProperty("sval");
            literal.GetString().Should().Be("\uFFFDx\uFFFD");
        }
        using var parse = PgQuery.Parse(sql);
        ErrorOf(parse).Position.Should().Be(sql.LastIndexOf("WHERE", StringComparison.Ordinal));
    }

    [Fact]
    public void A_one_megabyte_statement_parses()
    {
        var sql = new StringBuilder("INSERT INTO t (id, name) VALUES ");
        var rows = 0;
        while (sql.Length < 1 << 20)
        {
            if (rows > 0) sql.Append(", ");
            sql.Append($"({rows}, 'name number {rows} ü')");
            rows++;
        }

        using var parse = PgQuery.Parse(sql.ToString());

        parse.Error.Should().BeNull();
        FirstStatement(parse).GetProperty("InsertStmt").GetProperty("selectStmt").GetProperty("SelectStmt")
            .GetProperty("valuesLists").GetArrayLength().Should().Be(rows);
    }

    [Fact]
    public async Task Deep_nesting_parses_to_its_limit_and_then_fails_cleanly_on_a_pool_thread()
    {
        // The C parser recurses while writing JSON: 3,000 levels need ~300 KB of stack, within a
        // pool thread's 1.5 MB; past ~3,300 the grammar's own stack limit answers first.
        static string Nested(int depth) => "SELECT " + string.Concat(Enumerable.Repeat("1+(", depth)) + "1" + new string(')', depth);

        var (deep, tooDeep) = await Task.Run(() => (PgQuery.Parse(Nested(3_000)), PgQuery.Parse(Nested(20_000))));

        deep.Error.Should().BeNull();
        ErrorOf(tooDeep).Message.Should().StartWith("memory exhausted");
        deep.Dispose();
        tooDeep.Dispose();
    }

    [Fact]
    public void Parses_in_parallel_give_the_same_trees_as_one_thread()
    {
        string[] statements =
        [
            "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE)",
            "CREATE INDEX CONCURRENTLY users_email ON users (lower(email))",
            "CREATE POLICY own ON documents USING (owner = current_user) WITH CHECK (owner = current_user)",
            "SELECT 'größe' FRM t",
            "CREATE FUNCTION f(x int) RETURNS void LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE '%', x; END $$",
        ];
        var expected = statements.Select(Render).ToArray();
        var mismatches = 0;

        Parallel.For(0, 4_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (Render(statements[i % statements.Length]) != expected[i % statements.Length]) Interlocked.Increment(ref mismatches);
        });

        mismatches.Should().Be(0);

        static string Render(string sql)
        {
            using var parse = sql.Contains("plpgsql") ? PgQuery.ParsePlpgsql(sql) : PgQuery.Parse(sql);
            return parse.Tree is { } tree ? tree.RootElement.GetRawText() : $"{parse.Error!.Message}@{parse.Error.Position}";
        }
    }
}
