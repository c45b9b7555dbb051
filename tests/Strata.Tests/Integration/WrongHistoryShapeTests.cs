using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>
/// A history or events table Strata cannot use is exit 2 with a message naming what is wrong,
/// for every command, and the database is left exactly as it was (issue 17). Regression: these
/// were raw server errors, and a table without a primary key got an events table created first.
/// </summary>
public class WrongHistoryShapeTests(PostgresServer server)
{
    private const string Columns = """
        applied_at TIMESTAMPTZ DEFAULT NOW(), applied_by TEXT, description TEXT NOT NULL, rollback_sql TEXT NOT NULL,
        checksum TEXT, execution_time_ms INTEGER, status TEXT DEFAULT 'applied', metadata JSONB
        """;

    private const string HistoryTable = $"CREATE TABLE schema_versions (version TEXT PRIMARY KEY, {Columns});";

    private const string EventColumns = """
        version TEXT NOT NULL, action TEXT NOT NULL, "at" TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), "by" TEXT,
        environment TEXT, duration_ms INTEGER, error TEXT, details JSONB
        """;

    private const string Row = "INSERT INTO schema_versions (version, description, rollback_sql) VALUES ('20251001000000_a.sql', 'A', 'DROP TABLE a;');";

    /// <summary>Setup SQL, an optional strata.toml, the code, the text the error must contain, and SQL that makes the database droppable again.</summary>
    public static TheoryData<string, string, string, string, string, string> Shapes => new()
    {
        { "version integer", $"CREATE TABLE schema_versions (version INTEGER PRIMARY KEY, {Columns});", "", "history-table-shape",
            "the history table public.schema_versions cannot be used as it is: column version is integer, not TEXT", "" },
        { "applied_at text", $"CREATE TABLE schema_versions (version TEXT PRIMARY KEY, {Columns.Replace("applied_at TIMESTAMPTZ DEFAULT NOW()", "applied_at TEXT")}); {Row}", "",
            "history-table-shape", "column applied_at is text, not TIMESTAMPTZ", "" },
        { "missing column", $"CREATE TABLE schema_versions (version TEXT PRIMARY KEY, {Columns.Replace(", metadata JSONB", "")}); {Row}", "",
            "history-table-shape", "it lacks the column metadata", "" },
        { "no primary key", $"CREATE TABLE schema_versions (version TEXT, {Columns}); {Row}", "", "history-table-shape",
            "it has no primary key or unique index on version", "" },
        { "partial unique index", $"CREATE TABLE schema_versions (version TEXT, {Columns}); CREATE UNIQUE INDEX ON schema_versions (version) WHERE status = 'applied';", "",
            "history-table-shape", "it has no primary key or unique index on version", "" },
        { "view", $"CREATE TABLE real_history (version TEXT PRIMARY KEY, {Columns}); CREATE VIEW schema_versions AS SELECT * FROM real_history;", "",
            "history-table-shape", "the history table public.schema_versions cannot be used as it is: it is a view, not a table", "" },
        { "materialized view", $"CREATE TABLE real_history (version TEXT PRIMARY KEY, {Columns}); CREATE MATERIALIZED VIEW schema_versions AS SELECT * FROM real_history;", "",
            "history-table-shape", "it is a materialized view, not a table", "" },
        { "foreign table", $"CREATE FOREIGN DATA WRAPPER nowhere; CREATE SERVER elsewhere FOREIGN DATA WRAPPER nowhere; CREATE FOREIGN TABLE schema_versions (version TEXT, {Columns}) SERVER elsewhere;", "",
            "history-table-shape", "it is a foreign table, not a table", "DROP FOREIGN TABLE schema_versions;" },
        { "extra not null column", $"CREATE TABLE schema_versions (version TEXT PRIMARY KEY, installed_rank INTEGER NOT NULL, {Columns});", "", "history-table-shape",
            "column installed_rank is NOT NULL without a default, and Strata does not write it", "" },
        { "events missing columns", $"{HistoryTable} {Row} CREATE TABLE schema_version_events (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, version TEXT, action TEXT);", "",
            "events-table-shape", "the events table public.schema_version_events (the audit trail of public.schema_versions) cannot be used as it is: it lacks the columns at, by, environment, duration_ms, error, details", "" },
        { "events wrong types", $"{HistoryTable} {Row} CREATE TABLE schema_version_events (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, {EventColumns.Replace("\"at\" TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()", "\"at\" TEXT DEFAULT now()::text").Replace("duration_ms INTEGER", "duration_ms TEXT")});", "",
            "events-table-shape", "column \"at\" is text, not TIMESTAMPTZ; column duration_ms is text, not INTEGER", "" },
        { "events view", $"{HistoryTable} {Row} CREATE VIEW schema_version_events AS SELECT 1::bigint AS id;", "",
            "events-table-shape", "it is a view, not a table", "" },
        { "events table named like the history table", $"{HistoryTable} {Row}", "[migrations]\nevents_table = \"schema_versions\"\n", "bad-events-table",
            "strata.toml:2: the events table is configured with the history table's own name (public.schema_versions)", "" },
        { "unknown status", $"{HistoryTable} {Row} INSERT INTO schema_versions (version, description, rollback_sql, status) VALUES ('20251001000001_b.sql', 'B', '', 'success'), ('20251001000002_c.sql', 'C', '', 'APPLIED');", "",
            "unknown-history-status", "holds status values Strata does not know: 'success' (20251001000001_b.sql), 'APPLIED' (20251001000002_c.sql)", "" },
    };

    /// <summary>Every relation of schema public with its kind and columns, and the history rows: what "unchanged" means here.</summary>
    private static async Task<string> FingerprintAsync(TestDatabase db)
    {
        var relations = await db.ScalarAsync<string>("""
            SELECT coalesce(string_agg(c.relname::text || c.relkind::text || '(' || coalesce((SELECT string_agg(attname::text || ' ' || format_type(atttypid, atttypmod), ',' ORDER BY attnum)
                       FROM pg_attribute WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped), '') || ')', ',' ORDER BY c.relname), '')
            FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
            """);
        var isTable = await db.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass('public.schema_versions') AND relkind = 'r')");
        var rows = isTable ? await db.ScalarAsync<string>("SELECT coalesce(string_agg(t::text, ';' ORDER BY t::text), '') FROM schema_versions t") : "";
        return $"{relations}\n{rows}";
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task A_wrong_history_shape_is_exit_2_naming_it_and_changes_nothing(string shape, string setup, string toml, string code, string expected, string cleanup)
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251002000000_good.sql", "-- Good\n-- migrate:up\nCREATE TABLE good (id int);\n-- migrate:down\nDROP TABLE good;\n");
        if (toml.Length > 0) dir.WriteRoot("strata.toml", toml);
        await db.ExecuteAsync(setup);
        CliResult[] runs;
        string before, after;
        try
        {
            before = await FingerprintAsync(db);
            runs =
            [
                await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url),
                await StrataCli.RunAsync(dir.Root, "status", "--url", db.Url),
                await StrataCli.RunAsync(dir.Root, "rollback", "--url", db.Url, "--reason", "shape test"),
                await StrataCli.RunAsync(dir.Root, "repair", "--url", db.Url, "--reason", "shape test"),
                await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json"),
            ];
            after = await FingerprintAsync(db);
        }
        finally
        {
            // A foreign table without a handler cannot be read by the database's closing check.
            if (cleanup.Length > 0) await db.ExecuteAsync(cleanup);
        }

        foreach (var run in runs) run.ExitCode.Should().Be(2, $"{shape}: {run.All}");
        foreach (var run in runs[..^1]) run.Stderr.Should().Contain(expected, shape);
        runs[^1].Stdout.Should().Contain($"\"code\": \"{code}\"", shape);
        after.Should().Be(before, $"{shape}: nothing may be created or changed");
        (await db.TableExistsAsync("good")).Should().BeFalse();
    }

    [Fact]
    public async Task History_refuses_a_malformed_events_table_too()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        await db.ExecuteAsync($"{HistoryTable} CREATE TABLE schema_version_events (id BIGINT, version TEXT, action TEXT);");

        var history = await StrataCli.RunAsync(dir.Root, "history", "--url", db.Url);

        history.ExitCode.Should().Be(2, history.All);
        history.Stderr.Should().Contain("column id has no default, and Strata leaves it to the server");
    }

    [Fact]
    public async Task A_hand_made_table_with_varchar_and_timestamp_columns_is_used_as_it_is()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251002000000_good.sql", "-- Good\n-- migrate:up\nCREATE TABLE good (id int);\n");
        await db.ExecuteAsync($"""
            CREATE DOMAIN version_name AS VARCHAR(255);
            CREATE TABLE schema_versions (version version_name PRIMARY KEY, applied_at TIMESTAMP DEFAULT NOW(), applied_by VARCHAR(100),
                description VARCHAR(500) NOT NULL, rollback_sql TEXT NOT NULL, checksum VARCHAR(80), execution_time_ms INTEGER,
                status VARCHAR(20) DEFAULT 'applied', metadata JSONB, ticket TEXT);
            {Row}
            """);

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        up.ExitCode.Should().Be(0, up.All);
        (await db.ScalarAsync<string>("SELECT status FROM schema_versions WHERE version = '20251002000000_good.sql'")).Should().Be("applied");
    }
}
