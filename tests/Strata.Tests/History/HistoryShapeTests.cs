using Strata.History;

namespace Strata.Tests.History;

/// <summary>Which relations serve as the history and events tables, decided from catalog facts alone.</summary>
public class HistoryShapeTests
{
    private static readonly HistoryTable Table = HistoryTable.Default;

    private static CatalogColumn Column(string name, string type, bool notNull = false, bool filled = false) =>
        new(name, type, type.Split('(')[0], notNull, filled);

    private static List<CatalogColumn> StrategyColumns() =>
    [
        Column("version", "text", notNull: true), Column("applied_at", "timestamp with time zone", filled: true), Column("applied_by", "text"),
        Column("description", "text", notNull: true), Column("rollback_sql", "text", notNull: true), Column("checksum", "text"),
        Column("execution_time_ms", "integer"), Column("status", "text", filled: true), Column("metadata", "jsonb"),
    ];

    private static List<CatalogColumn> EventColumns() =>
    [
        Column("id", "bigint", notNull: true, filled: true), Column("version", "text", notNull: true), Column("action", "text", notNull: true),
        Column("at", "timestamp with time zone", notNull: true, filled: true), Column("by", "text"), Column("environment", "text"),
        Column("duration_ms", "integer"), Column("error", "text"), Column("details", "jsonb"),
    ];

    private static CatalogRelation History(List<CatalogColumn> columns, char kind = 'r', bool unique = true) => new("schema_versions", kind, columns, unique);

    private static CatalogRelation Events(List<CatalogColumn> columns, char kind = 'r') => new("schema_version_events", kind, columns, false);

    private static List<CatalogColumn> With(List<CatalogColumn> columns, CatalogColumn replacement) =>
        [.. columns.Select(c => c.Name == replacement.Name ? replacement : c)];

    private static string Faults(IReadOnlyList<ShapeFault> faults) => string.Join(" | ", faults.Select(f => $"{f.What} => {f.Fix}"));

    [Fact]
    public void The_strategy_s_own_tables_fit()
    {
        HistoryShape.HistoryFaults(Table, History(StrategyColumns())).Should().BeEmpty();
        HistoryShape.EventsFaults(Table, Events(EventColumns())).Should().BeEmpty();
    }

    [Fact]
    public void A_hand_made_table_with_varchar_timestamp_and_extra_columns_fits()
    {
        var columns = With(With(StrategyColumns(), Column("version", "character varying(255)")), Column("applied_at", "timestamp without time zone"));
        columns.Add(Column("ticket", "text"));
        columns.Add(Column("installed_rank", "integer", notNull: true, filled: true));

        HistoryShape.HistoryFaults(Table, History(columns, kind: 'p')).Should().BeEmpty();
    }

    [Theory]
    [InlineData("version", "integer", "column version is integer, not TEXT => ALTER TABLE public.schema_versions ALTER COLUMN version TYPE TEXT USING version::text")]
    [InlineData("applied_at", "text", "column applied_at is text, not TIMESTAMPTZ => ALTER TABLE public.schema_versions ALTER COLUMN applied_at TYPE TIMESTAMPTZ")]
    [InlineData("version", "character(40)", "column version is character(40), not TEXT")]
    [InlineData("metadata", "json", "column metadata is json, not JSONB")]
    [InlineData("execution_time_ms", "bigint", "column execution_time_ms is bigint, not INTEGER")]
    public void A_column_of_the_wrong_type_is_named_with_its_fix(string column, string type, string expected) =>
        Faults(HistoryShape.HistoryFaults(Table, History(With(StrategyColumns(), Column(column, type)))))
            .Should().StartWith(expected);

    [Fact]
    public void Missing_columns_are_listed_with_the_statements_that_add_them()
    {
        var columns = StrategyColumns().Where(c => c.Name is not ("metadata" or "checksum")).ToList();

        Faults(HistoryShape.HistoryFaults(Table, History(columns))).Should().Be(
            "it lacks the columns checksum, metadata => ALTER TABLE public.schema_versions ADD COLUMN checksum TEXT; " +
            "ALTER TABLE public.schema_versions ADD COLUMN metadata JSONB");
    }

    [Fact]
    public void A_table_without_a_unique_key_on_version_is_refused() =>
        Faults(HistoryShape.HistoryFaults(Table, History(StrategyColumns(), unique: false))).Should().Be(
            "it has no primary key or unique index on version (each version has one row, written with ON CONFLICT (version)) => " +
            "ALTER TABLE public.schema_versions ADD PRIMARY KEY (version)");

    [Theory]
    [InlineData('v', "it is a view, not a table")]
    [InlineData('m', "it is a materialized view, not a table")]
    [InlineData('f', "it is a foreign table, not a table")]
    [InlineData('S', "it is a sequence, not a table")]
    [InlineData('i', "it is an index, not a table")]
    public void A_relation_that_is_not_a_table_is_refused_for_what_it_is(char kind, string expected)
    {
        Faults(HistoryShape.HistoryFaults(Table, History(StrategyColumns(), kind))).Should().StartWith(expected);
        Faults(HistoryShape.EventsFaults(Table, Events(EventColumns(), kind))).Should().StartWith(expected);
    }

    [Fact]
    public void A_not_null_column_strata_does_not_write_needs_a_default()
    {
        var columns = StrategyColumns();
        columns.Add(Column("Installed By", "text", notNull: true));

        Faults(HistoryShape.HistoryFaults(Table, History(columns))).Should().Be(
            "column \"Installed By\" is NOT NULL without a default, and Strata does not write it => " +
            "ALTER TABLE public.schema_versions ALTER COLUMN \"Installed By\" DROP NOT NULL");
    }

    [Fact]
    public void An_events_table_missing_columns_or_of_the_wrong_types_is_refused()
    {
        var columns = With(EventColumns().Where(c => c.Name != "details").ToList(), Column("at", "text", notNull: true, filled: true));

        Faults(HistoryShape.EventsFaults(Table, Events(columns))).Should().Be(
            "it lacks the column details => ALTER TABLE public.schema_version_events ADD COLUMN details JSONB | " +
            "column \"at\" is text, not TIMESTAMPTZ => ALTER TABLE public.schema_version_events ALTER COLUMN \"at\" TYPE TIMESTAMPTZ USING \"at\"::timestamptz");
    }

    [Fact]
    public void Events_need_the_server_to_number_and_time_them()
    {
        var columns = With(With(EventColumns(), Column("id", "bigint", notNull: true)), Column("at", "timestamp with time zone", notNull: true));

        Faults(HistoryShape.EventsFaults(Table, Events(columns))).Should().Be(
            "column id has no default, and Strata leaves it to the server => ALTER TABLE public.schema_version_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY | " +
            "column \"at\" has no default, and Strata leaves it to the server => ALTER TABLE public.schema_version_events ALTER COLUMN \"at\" SET DEFAULT clock_timestamp()");
    }

    [Fact]
    public void An_events_table_named_like_the_history_table_is_refused_when_configured()
    {
        var act = () => HistoryTable.Parse("public.audit", "audit");

        act.Should().Throw<StrataException>().Which.Problem.Code.Should().Be("bad-events-table");
    }

    [Theory]
    [InlineData("")]
    [InlineData("public.schema_version_events")]
    public void An_events_table_name_with_a_schema_or_empty_is_refused(string name)
    {
        var act = () => HistoryTable.Parse("public.schema_versions", name);

        act.Should().Throw<StrataException>().Which.Problem.Code.Should().Be("bad-events-table");
    }
}
