using Strata.Sql;

namespace Strata.Tests.Sql;

public class SplitterTests
{
    private static IReadOnlyList<SqlStatement> SplitOk(string sql, int firstLine = 1)
    {
        var result = SqlSplitter.Split(sql, firstLine);
        result.Error.Should().BeNull();
        return result.Statements;
    }

    private static string[] Texts(string sql) => [.. SplitOk(sql).Select(s => s.Text)];

    [Fact]
    public void Two_statements_split_at_the_semicolon()
    {
        Texts("CREATE TABLE a (id int);\nDROP TABLE b;").Should().Equal("CREATE TABLE a (id int)", "DROP TABLE b");
    }

    [Fact]
    public void Final_statement_without_semicolon_is_still_a_statement()
    {
        Texts("SELECT 1;\nSELECT 2\n").Should().Equal("SELECT 1", "SELECT 2");
    }

    [Theory]
    [InlineData(";;")]
    [InlineData("  ;\n ; ;")]
    [InlineData("")]
    [InlineData("-- only a comment\n/* and another */\n")]
    [InlineData("\n\t \r\n")]
    public void Text_without_statements_gives_none(string sql)
    {
        SplitOk(sql).Should().BeEmpty();
    }

    [Fact]
    public void Empty_statements_between_semicolons_are_dropped()
    {
        Texts("SELECT 1;;\n;SELECT 2;").Should().Equal("SELECT 1", "SELECT 2");
    }

    [Fact]
    public void Leading_comments_are_not_part_of_the_statement()
    {
        var s = SplitOk("-- header\n/* note */\n  SELECT 1; -- trailing\n").Single();

        s.Text.Should().Be("SELECT 1");
        (s.Line, s.Column, s.Offset).Should().Be((3, 3, 23));
    }

    [Fact]
    public void Trailing_whitespace_and_comments_are_trimmed_but_inner_comments_kept()
    {
        Texts("SELECT 1 -- one\n + 2 /* tail */ \n;").Should().Equal("SELECT 1 -- one\n + 2");
    }

    [Fact]
    public void Line_comment_semicolon_does_not_split()
    {
        Texts("SELECT 1 -- not here; no\n, 2;").Should().Equal("SELECT 1 -- not here; no\n, 2");
    }

    [Fact]
    public void Block_comment_semicolon_does_not_split()
    {
        Texts("SELECT /* ; */ 1; SELECT 2").Should().Equal("SELECT /* ; */ 1", "SELECT 2");
    }

    [Fact]
    public void Nested_block_comment_semicolon_does_not_split()
    {
        Texts("SELECT /* a /* b; */ still comment; */ 1; SELECT 2").Should().Equal("SELECT /* a /* b; */ still comment; */ 1", "SELECT 2");
    }

    [Fact]
    public void String_with_semicolon_and_doubled_quote_is_one_statement()
    {
        Texts("INSERT INTO t VALUES ('it''s; fine');SELECT 2").Should().Equal("INSERT INTO t VALUES ('it''s; fine')", "SELECT 2");
    }

    [Fact]
    public void Backslash_does_not_escape_in_a_plain_string()
    {
        Texts(@"SELECT 'C:\'; SELECT 2").Should().Equal(@"SELECT 'C:\'", "SELECT 2");
    }

    [Fact]
    public void Escape_string_with_backslash_quote_is_one_statement()
    {
        Texts(@"SELECT E'it\'s; here'; SELECT 2").Should().Equal(@"SELECT E'it\'s; here'", "SELECT 2");
    }

    [Fact]
    public void Escape_string_ending_in_double_backslash_ends_properly()
    {
        Texts(@"SELECT e'\\'; SELECT ';'").Should().Equal(@"SELECT e'\\'", "SELECT ';'");
    }

    [Fact]
    public void Unicode_escape_string_with_semicolon_is_one_statement()
    {
        Texts(@"SELECT U&'d\0061t;a'; SELECT 2").Should().Equal(@"SELECT U&'d\0061t;a'", "SELECT 2");
    }

    [Fact]
    public void Quoted_identifier_with_semicolon_and_doubled_quote_is_one_statement()
    {
        Texts("CREATE TABLE \"we;\"\"ird\" (id int); SELECT 2").Should().Equal("CREATE TABLE \"we;\"\"ird\" (id int)", "SELECT 2");
    }

    [Fact]
    public void Dollar_quoted_body_is_one_statement()
    {
        const string fn = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$ LANGUAGE sql";
        Texts(fn + ";\nSELECT 3;").Should().Equal(fn, "SELECT 3");
    }

    [Fact]
    public void Tagged_dollar_body_keeps_other_tags_and_double_dollars_as_text()
    {
        const string fn = "CREATE FUNCTION f() RETURNS text AS $body$ SELECT $$;$$ || $x$;$x$; $body$ LANGUAGE sql";
        Texts(fn + "; SELECT 3").Should().Equal(fn, "SELECT 3");
    }

    [Fact]
    public void Double_dollar_body_keeps_tagged_quotes_as_text()
    {
        const string block = "DO $$ BEGIN PERFORM $a$ ; $a$; END $$";
        Texts(block + "; SELECT 1").Should().Equal(block, "SELECT 1");
    }

    [Fact]
    public void Parameters_are_not_dollar_quotes()
    {
        Texts("PREPARE p AS SELECT $1, $2; EXECUTE p(1, 2)").Should().Equal("PREPARE p AS SELECT $1, $2", "EXECUTE p(1, 2)");
    }

    [Fact]
    public void Dollar_inside_identifier_does_not_open_a_quote()
    {
        Texts("SELECT foo$bar FROM t; SELECT x$$ FROM u;").Should().Equal("SELECT foo$bar FROM t", "SELECT x$$ FROM u");
    }

    [Fact]
    public void Cast_is_not_mistaken_for_anything_else()
    {
        Texts("SELECT '1'::int; SELECT now()::date").Should().Equal("SELECT '1'::int", "SELECT now()::date");
    }

    [Fact]
    public void Semicolon_inside_parentheses_does_not_end_the_statement()
    {
        // Regression: the rule's action list was cut at its first semicolon.
        const string rule = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1);\n  INSERT INTO b VALUES (2))";
        var statements = SplitOk(rule + ";\nSELECT 1;");

        statements.Select(s => s.Text).Should().Equal(rule, "SELECT 1");
        (statements[0].Facts.Verb, statements[0].Facts.Target, statements[0].Facts.RunsInTransaction).Should().Be(("CREATE RULE", "t", true));
    }

    [Fact]
    public void Stray_closing_parenthesis_does_not_hold_the_next_semicolon()
    {
        Texts("SELECT 1); SELECT (2);").Should().Equal("SELECT 1)", "SELECT (2)");
    }

    [Fact]
    public void Unclosed_parenthesis_keeps_the_rest_of_the_text_in_one_statement()
    {
        // As psql: everything, the last semicolon too, is sent together and the server reports the syntax error where it is.
        Texts("SELECT (1;\nSELECT 2;").Should().Equal("SELECT (1;\nSELECT 2;");
    }

    [Fact]
    public void Begin_atomic_body_is_one_statement()
    {
        const string fn = """
            CREATE OR REPLACE FUNCTION add(a int, b int) RETURNS int
            LANGUAGE sql
            BEGIN ATOMIC
              SELECT CASE WHEN a > 0 THEN a ELSE 0 END + b;
              SELECT a + b;
            END
            """;
        Texts(fn + ";\nSELECT add(1, 2);").Should().Equal(fn, "SELECT add(1, 2)");
    }

    [Fact]
    public void Procedure_begin_atomic_body_is_one_statement()
    {
        const string proc = "CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); END";
        Texts(proc + "; CALL p()").Should().Equal(proc, "CALL p()");
    }

    [Theory]
    [InlineData("CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS 'SELECT 1'")]
    [InlineData("CREATE OR REPLACE PROCEDURE app.begin(n int) LANGUAGE sql AS $$ SELECT n $$")]
    [InlineData("CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN begin()")]
    [InlineData("SELECT begin()")]
    public void Statement_naming_or_calling_begin_does_not_swallow_the_next_one(string sql)
    {
        // Regression: any BEGIN in CREATE FUNCTION was taken for a BEGIN ATOMIC body (psql's own
        // heuristic), which glued the rest of the file to the function.
        Texts(sql + ";\nSELECT 2;").Should().Equal(sql, "SELECT 2");
    }

    [Fact]
    public void Begin_atomic_body_calling_begin_is_one_statement()
    {
        const string fn = "CREATE FUNCTION begin(n int) RETURNS int LANGUAGE sql BEGIN /* a body */ ATOMIC SELECT begin(); SELECT n; END";
        Texts(fn + ";\nSELECT 2;").Should().Equal(fn, "SELECT 2");
    }

    [Fact]
    public void Case_end_outside_a_routine_does_not_hold_the_semicolon()
    {
        Texts("SELECT CASE WHEN true THEN 1 END; SELECT 2").Should().Equal("SELECT CASE WHEN true THEN 1 END", "SELECT 2");
    }

    [Fact]
    public void Statements_know_their_start_line_and_column_across_a_multi_line_file()
    {
        const string sql = "SELECT 1;\n\n  CREATE TABLE t (\n    id int\n  );   INSERT INTO t VALUES (1);\n";
        SplitOk(sql).Select(s => (s.Line, s.Column)).Should().Equal((1, 1), (3, 3), (5, 8));
    }

    [Fact]
    public void First_line_shifts_every_statement_line()
    {
        SplitOk("SELECT 1;\n  SELECT 2;", firstLine: 40).Select(s => (s.Line, s.Column)).Should().Equal((40, 1), (41, 3));
    }

    [Fact]
    public void Offset_indexes_the_original_input()
    {
        const string sql = "-- x\nSELECT 1;  SELECT 2";
        SplitOk(sql).Select(s => sql.Substring(s.Offset, s.Text.Length)).Should().Equal("SELECT 1", "SELECT 2");
    }

    [Fact]
    public void Statement_tokens_use_offsets_of_the_original_input()
    {
        const string sql = "SELECT 1;\nUPDATE t SET a = 1";
        var second = SplitOk(sql)[1];

        second.Tokens[0].TextIn(sql).Should().Be("UPDATE");
        second.Tokens[^1].TextIn(sql).Should().Be("1");
        second.Tokens.Should().NotContain(t => t.Kind == SqlTokenKind.Semicolon);
    }

    [Fact]
    public void Crlf_text_splits_with_right_lines_and_no_carriage_returns_at_the_ends()
    {
        const string sql = "SELECT 1;\r\n\r\nCREATE TABLE t (\r\n  id int\r\n);\r\nSELECT 'a;b'\r\n";
        var statements = SplitOk(sql);

        statements.Select(s => (s.Text, s.Line, s.Column)).Should().Equal(
            ("SELECT 1", 1, 1), ("CREATE TABLE t (\r\n  id int\r\n)", 3, 1), ("SELECT 'a;b'", 6, 1));
    }

    [Fact]
    public void Leading_byte_order_mark_is_skipped_and_does_not_shift_columns()
    {
        var statements = SplitOk("\uFEFFSELECT 1;\nSELECT 2;");

        statements.Select(s => (s.Text, s.Line, s.Column)).Should().Equal(("SELECT 1", 1, 1), ("SELECT 2", 2, 1));
        statements[0].Offset.Should().Be(1);
    }

    [Fact]
    public void Stray_carriage_return_is_whitespace()
    {
        Texts("SELECT\r1;\rSELECT 2").Should().Equal("SELECT\r1", "SELECT 2");
    }

    [Fact]
    public void Position_maps_to_file_line_and_column_in_a_multi_line_statement()
    {
        const string sql = "-- m\n\n  SELECT id,\n         nme\n  FROM users;";
        var s = SplitOk(sql, firstLine: 5).Single();

        s.PositionToLineColumn(1).Should().Be((7, 3));
        s.PositionToLineColumn(s.Text.IndexOf("nme", StringComparison.Ordinal) + 1).Should().Be((8, 10));
        s.PositionToLineColumn(s.Text.IndexOf("FROM", StringComparison.Ordinal) + 1).Should().Be((9, 3));
    }

    [Fact]
    public void Position_counts_a_surrogate_pair_as_one_character_and_clamps_past_the_end()
    {
        var s = SplitOk("SELECT '\U0001F600', x").Single();

        s.PositionToLineColumn(12).Should().Be((1, 12));
        s.PositionToLineColumn(999).Should().Be((1, 13));
    }

    [Theory]
    [InlineData("SELECT 1;\n  SELECT 'abc;\nmore", SqlSyntaxErrorKind.UnterminatedString, 2, 10, "closing single quote")]
    [InlineData("SELECT E'ab\\';", SqlSyntaxErrorKind.UnterminatedEscapeString, 1, 8, "backslash")]
    [InlineData("SELECT 1;\nSELECT \"col;", SqlSyntaxErrorKind.UnterminatedQuotedIdentifier, 2, 8, "closing double quote")]
    [InlineData("SELECT 1;\n\nDO $body$ BEGIN END; $$;", SqlSyntaxErrorKind.UnterminatedDollarQuote, 3, 4, "add the closing $body$")]
    [InlineData("SELECT 1; /* a /* b */ c;\n", SqlSyntaxErrorKind.UnterminatedBlockComment, 1, 11, "*/")]
    public void Unterminated_construct_reports_where_it_starts(string sql, SqlSyntaxErrorKind kind, int line, int column, string hint)
    {
        var result = SqlSplitter.Split(sql);

        result.Error.Should().NotBeNull();
        (result.Error!.Kind, result.Error.Line, result.Error.Column).Should().Be((kind, line, column));
        result.Error.Message.Should().Contain(hint);
    }

    [Fact]
    public void Unterminated_error_keeps_only_statements_that_ended_before_it()
    {
        SqlSplitter.Split("SELECT 1; SELECT 'x").Statements.Select(s => s.Text).Should().Equal("SELECT 1");
    }

    [Fact]
    public void Unterminated_error_line_honours_first_line()
    {
        SqlSplitter.Split("SELECT 1;\n$$", firstLine: 20).Error!.Line.Should().Be(21);
    }

    [Theory]
    [InlineData("\\i other.sql", "\\i")]
    [InlineData("SELECT 1;\n  \\set x 1\n", "\\set")]
    [InlineData("\\connect db\r\nSELECT 1;", "\\connect")]
    [InlineData("SELECT 1\n\\echo hi", "\\echo")]
    public void Psql_meta_command_is_refused_with_its_line(string sql, string command)
    {
        var error = SqlSplitter.Split(sql).Error!;
        var line = sql[..sql.IndexOf('\\')].Count(c => c == '\n') + 1;

        (error.Kind, error.Line).Should().Be((SqlSyntaxErrorKind.PsqlMetaCommand, line));
        error.Message.Should().Contain(command).And.Contain("database driver").And.Contain("remove it");
    }

    [Theory]
    [InlineData("SELECT 1 \\gset\n", "\\gset", 1, 10)]
    [InlineData("SELECT 1;\nSELECT 2 AS n \\gset p_\n", "\\gset", 2, 15)]
    [InlineData("SELECT 'a' \\g out.txt", "\\g", 1, 12)]
    [InlineData("SELECT 1 \\; SELECT 2;", "\\;", 1, 10)]
    public void Psql_meta_command_in_the_middle_of_a_line_is_refused_at_its_line_and_column(string sql, string command, int line, int column)
    {
        // Regression: only a backslash at the start of a line was refused; "SELECT 1 \gset" reached the server.
        var result = SqlSplitter.Split(sql);

        (result.Error!.Kind, result.Error.Line, result.Error.Column).Should().Be((SqlSyntaxErrorKind.PsqlMetaCommand, line, column));
        result.Error.Message.Should().StartWith($"psql meta-command {command} cannot run through a database driver");
    }

    [Fact]
    public void Backslashes_in_escape_strings_standard_strings_and_comments_are_not_meta_commands()
    {
        Texts("SELECT E'tab\\there', 'C:\\dir\\' -- see \\d t\n; SELECT 2").Should().Equal("SELECT E'tab\\there', 'C:\\dir\\'", "SELECT 2");
    }

    [Fact]
    public void Backslash_inside_a_string_at_line_start_is_not_a_meta_command()
    {
        Texts("SELECT '\n\\i not a command';").Should().Equal("SELECT '\n\\i not a command'");
    }

    [Theory]
    [InlineData("COPY users FROM STDIN;\n1\tann\n\\.\n")]
    [InlineData("SELECT 1;\ncopy users (id, name) from stdin with (format csv);\n1,'o'brien\n\\.")]
    [InlineData("COPY users FROM STDIN")]
    public void Copy_from_stdin_is_refused_at_the_copy_statement(string sql)
    {
        var result = SqlSplitter.Split(sql);

        result.Error!.Kind.Should().Be(SqlSyntaxErrorKind.CopyFromStdin);
        result.Error.Line.Should().Be(sql.StartsWith("SELECT", StringComparison.Ordinal) ? 2 : 1);
        result.Error.Message.Should().Contain("INSERT").And.Contain("COPY FROM a file");
        result.Statements.Should().NotContain(s => s.Facts.Verb == "COPY");
    }

    [Fact]
    public void Copy_from_a_server_file_is_allowed()
    {
        Texts("COPY users FROM '/tmp/users.csv' WITH (FORMAT csv)").Should().Equal("COPY users FROM '/tmp/users.csv' WITH (FORMAT csv)");
    }

    [Fact]
    public void Transaction_control_is_flagged_not_refused()
    {
        var statements = SplitOk("BEGIN; SELECT 1; COMMIT;");

        statements.Select(s => s.Facts.IsTransactionControl).Should().Equal(true, false, true);
    }

    [Fact]
    public void Do_block_with_declare_and_raise_notice_is_one_statement()
    {
        const string block = """
            DO $$
            DECLARE
              n int;
            BEGIN
              SELECT count(*) INTO n FROM users;
              RAISE NOTICE 'users: %', n;
            END
            $$
            """;
        var statements = SplitOk(block + ";\nANALYZE users;");

        statements.Select(s => s.Text).Should().Equal(block, "ANALYZE users");
        statements[0].Facts.Verb.Should().Be("DO");
        statements[1].Line.Should().Be(9);
    }

    [Fact]
    public void Insert_with_multi_line_rollback_sql_string_is_one_statement()
    {
        const string insert = """
            INSERT INTO strata_notes (id, rollback_sql) VALUES (
              7,
              'DROP INDEX IF EXISTS idx_users_email;
            UPDATE users SET note = ''quoted'' WHERE id = 1;'
            )
            """;
        var statements = SplitOk(insert + ";\nSELECT 1;");

        statements.Select(s => s.Text).Should().Equal(insert, "SELECT 1");
        statements[0].Facts.Target.Should().Be("strata_notes");
        statements[1].Line.Should().Be(6);
    }

    [Fact]
    public void Create_index_concurrently_with_gin_is_one_statement_outside_transactions()
    {
        var s = SplitOk("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_docs_body ON public.docs USING GIN (body jsonb_path_ops);").Single();

        s.Facts.Should().Be(new StatementFacts("CREATE INDEX", "public.docs", true, true, false, false));
    }

    [Fact]
    public void Comment_on_column_with_semicolon_in_text_is_one_statement()
    {
        var s = SplitOk("COMMENT ON COLUMN users.email IS 'lower-case; unique';\n").Single();

        s.Text.Should().Be("COMMENT ON COLUMN users.email IS 'lower-case; unique'");
        (s.Facts.Verb, s.Facts.Target).Should().Be(("COMMENT", "users"));
    }

    [Fact]
    public void Unterminated_string_in_crlf_text_reports_the_right_line()
    {
        var error = SqlSplitter.Split("SELECT 1;\r\n\r\nINSERT INTO t VALUES ('x);\r\n").Error!;

        (error.Kind, error.Line, error.Column).Should().Be((SqlSyntaxErrorKind.UnterminatedString, 3, 23));
    }

    [Fact]
    public void A_thousand_small_files_split_into_their_statements()
    {
        // Speed is measured by bench/, not here: shared machines make timed tests flaky.
        var files = Enumerable.Range(0, 1000)
            .Select(i => $"-- migration {i}\nCREATE TABLE t{i} (id int PRIMARY KEY, name text NOT NULL);\nCOMMENT ON TABLE t{i} IS 'table {i}';\n")
            .ToArray();

        var count = files.Sum(f => SqlSplitter.Split(f).Statements.Count);

        count.Should().Be(2000);
    }
}
