using Strata.Sql;

namespace Strata.Tests.Sql;

public class LexerTests
{
    private static List<(SqlTokenKind Kind, string Text)> Significant(string sql)
    {
        var result = SqlLexer.Lex(sql);
        result.Error.Should().BeNull();
        return [.. result.Tokens.Where(t => !t.IsTrivia).Select(t => (t.Kind, t.TextIn(sql)))];
    }

    [Fact]
    public void Tokens_cover_the_text_without_gaps()
    {
        const string sql = "SELECT a::int, 'x''y' /* c */ -- d\nFROM \"T\"";
        var result = SqlLexer.Lex(sql);

        string.Concat(result.Tokens.Select(t => t.TextIn(sql))).Should().Be(sql);
        result.Tokens.Zip(result.Tokens.Skip(1)).Should().OnlyContain(p => p.First.End == p.Second.Offset);
    }

    [Fact]
    public void Double_colon_cast_is_one_operator()
    {
        Significant("x::text").Should().Equal((SqlTokenKind.Word, "x"), (SqlTokenKind.Operator, "::"), (SqlTokenKind.Word, "text"));
    }

    [Fact]
    public void Dollar_digits_are_a_parameter_not_a_quote()
    {
        Significant("WHERE id = $1 AND n = $23").Should().Contain([(SqlTokenKind.Parameter, "$1"), (SqlTokenKind.Parameter, "$23")]);
    }

    [Fact]
    public void Dollar_inside_a_word_belongs_to_the_identifier()
    {
        Significant("SELECT foo$bar, x$$ FROM t").Should().Contain([(SqlTokenKind.Word, "foo$bar"), (SqlTokenKind.Word, "x$$")]);
    }

    [Theory]
    [InlineData("E'it\\'s'")]
    [InlineData("e'\\\\'")]
    [InlineData("U&'d\\0061t'")]
    [InlineData("B'1010'")]
    [InlineData("X'1F'")]
    [InlineData("N'abc'")]
    [InlineData("'a\\'")]
    public void Prefixed_and_plain_strings_lex_as_one_string(string literal)
    {
        Significant(literal).Should().Equal((SqlTokenKind.String, literal));
    }

    [Fact]
    public void Unicode_quoted_identifier_is_one_quoted_identifier()
    {
        Significant("U&\"d\\0061t\"").Should().Equal((SqlTokenKind.QuotedIdentifier, "U&\"d\\0061t\""));
    }

    [Fact]
    public void Nested_block_comment_is_one_token()
    {
        const string sql = "/* a /* b */ c */x";
        SqlLexer.Lex(sql).Tokens.Select(t => (t.Kind, t.TextIn(sql)))
            .Should().Equal((SqlTokenKind.BlockComment, "/* a /* b */ c */"), (SqlTokenKind.Word, "x"));
    }

    [Fact]
    public void Operator_stops_where_a_comment_starts()
    {
        const string sql = "a *--c\n/b";
        SqlLexer.Lex(sql).Tokens.Select(t => t.Kind).Should().Equal(
            SqlTokenKind.Word, SqlTokenKind.Whitespace, SqlTokenKind.Operator, SqlTokenKind.LineComment,
            SqlTokenKind.Whitespace, SqlTokenKind.Operator, SqlTokenKind.Word);
    }

    [Fact]
    public void Numbers_punctuation_and_slices_get_their_own_kinds()
    {
        Significant("f(1.5e3, .5)[1:2].x").Select(t => t.Kind).Should().Equal(
            SqlTokenKind.Word, SqlTokenKind.OpenParen, SqlTokenKind.Number, SqlTokenKind.Comma, SqlTokenKind.Number,
            SqlTokenKind.CloseParen, SqlTokenKind.OpenBracket, SqlTokenKind.Number, SqlTokenKind.Colon, SqlTokenKind.Number,
            SqlTokenKind.CloseBracket, SqlTokenKind.Dot, SqlTokenKind.Word);
    }

    [Fact]
    public void Lines_and_columns_are_one_based_and_shift_with_first_line()
    {
        const string sql = "a\n  bb\tc";
        var words = SqlLexer.Lex(sql, firstLine: 10).Tokens.Where(t => t.Kind == SqlTokenKind.Word).ToArray();

        words.Select(t => (t.Line, t.Column)).Should().Equal((10, 1), (11, 3), (11, 6));
    }

    [Fact]
    public void Surrogate_pair_counts_as_one_column()
    {
        const string sql = "'\U0001F600' x";
        SqlLexer.Lex(sql).Tokens.Single(t => t.Kind == SqlTokenKind.Word).Column.Should().Be(5);
    }

    [Fact]
    public void Backslash_outside_literals_is_a_meta_command_up_to_the_end_of_its_line()
    {
        // Regression: a backslash after other text on its line (SELECT 1 \gset) was an operator.
        const string sql = "  \\set x 1\nSELECT 1 \\gset\nSELECT 2";
        var result = SqlLexer.Lex(sql);

        result.Tokens.Where(t => t.Kind == SqlTokenKind.PsqlMetaCommand).Select(t => (t.TextIn(sql), t.Line, t.Column))
            .Should().Equal(("\\set x 1", 1, 3), ("\\gset", 2, 10));
    }

    [Theory]
    [InlineData("SELECT E'a\\nb\\\\', e'\\''")]
    [InlineData("SELECT 'C:\\temp\\'")]
    [InlineData("SELECT U&'\\0041', U&\"\\0041\"")]
    [InlineData("SELECT 1 AS \"a\\b\"")]
    [InlineData("DO $$ BEGIN RAISE NOTICE '\\d'; END $$")]
    [InlineData("SELECT 1 -- \\i other.sql\n/* \\gset */")]
    public void Backslash_in_a_string_identifier_dollar_quote_or_comment_is_text(string sql)
    {
        var result = SqlLexer.Lex(sql);

        result.Error.Should().BeNull();
        result.Tokens.Should().NotContain(t => t.Kind == SqlTokenKind.PsqlMetaCommand);
    }

    [Fact]
    public void Unterminated_string_stops_lexing_with_a_final_token_to_the_end()
    {
        const string sql = "SELECT 'abc;\nxyz";
        var result = SqlLexer.Lex(sql);

        result.Error!.Kind.Should().Be(SqlSyntaxErrorKind.UnterminatedString);
        result.Tokens[^1].Should().Be(new SqlToken(SqlTokenKind.String, 7, sql.Length - 7, 1, 8));
    }
}
