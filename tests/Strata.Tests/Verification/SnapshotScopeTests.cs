using Npgsql;
using Strata.Database;
using Strata.History;
using Strata.Tests.Support;
using Strata.Verification;

namespace Strata.Tests.Verification;

/// <summary>What a snapshot leaves out (history tables, extension members, skipped schemas) and how it reads and writes.</summary>
public class SnapshotScopeTests(PostgresServer server)
{
    private const string Schema = """
        CREATE SCHEMA app;
        COMMENT ON SCHEMA app IS 'the application';
        CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
        CREATE DOMAIN app.email AS text CHECK (VALUE LIKE '%@%');
        CREATE TABLE app.users (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            email app.email NOT NULL UNIQUE,
            mood app.mood DEFAULT 'ok',
            created_at timestamptz NOT NULL DEFAULT '2024-01-01 00:00:00+00');
        CREATE INDEX users_created_at ON app.users (created_at DESC);
        ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "Users read themselves" ON app.users FOR SELECT USING (email = current_user);
        CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.created_at := now(); RETURN NEW; END $$;
        CREATE TRIGGER users_touch BEFORE INSERT ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch();
        CREATE VIEW app.happy_users AS SELECT id, email FROM app.users WHERE mood = 'happy';
        GRANT USAGE ON SCHEMA app TO PUBLIC;
        GRANT SELECT ON app.happy_users TO PUBLIC;
        """;

    [Fact]
    public async Task The_history_tables_and_everything_hanging_off_them_are_left_out()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE t (id int)");
        var before = await SnapshotReading.ReadAsync(db);
        var custom = HistoryTable.Parse("ops.migrations");
        foreach (var history in (HistoryTable[])[HistoryTable.Default, custom])
            await db.ExecuteAsync(string.Join(";\n", history.CreateHistorySql().Concat(history.CreateEventsSql()).Prepend(history.CreateSchemaSql)) + $"""
                ;
                INSERT INTO {history.Sql} (version, description, rollback_sql) VALUES ('1', 'one', '');
                INSERT INTO {history.EventsSql} (version, action) VALUES ('1', 'apply');
                GRANT SELECT ON {history.Sql}, {history.EventsSql} TO PUBLIC;
                COMMENT ON TABLE {history.Sql} IS 'audit';
                CREATE TRIGGER keep BEFORE DELETE ON {history.Sql} FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
                ALTER TABLE {history.EventsSql} ENABLE ROW LEVEL SECURITY;
                CREATE POLICY readers ON {history.EventsSql} USING (true);
                """);

        var withDefault = await SnapshotReading.ReadAsync(db);
        var withBoth = await SnapshotReading.ReadAsync(db, new SnapshotOptions(custom, ["public"]));
        var withNone = await SnapshotReading.ReadAsync(db, new SnapshotOptions(null, []));

        SchemaDiff.Compare(before, withDefault, "before", "after").Select(d => d.Text).Should().Equal(
            "schema ops: present after, absent before",
            "table ops.migrations: present after, absent before",
            "table ops.migrations_events: present after, absent before");
        withBoth.Objects.Select(o => o.Identity).Should().Equal("ops", "plpgsql");
        withNone.Objects.Select(o => o.Identity).Should().Contain(["public.schema_versions", "public.schema_version_events_id_seq",
            "keep on public.schema_versions", "readers on public.schema_version_events", "public.idx_schema_versions_status on public.schema_versions"]);
    }

    [Fact]
    public async Task An_extension_is_one_entry_however_many_objects_it_creates()
    {
        await using var db = await server.CreateDatabaseAsync();
        var before = await SnapshotReading.ReadAsync(db);
        await db.ExecuteAsync("CREATE EXTENSION pgcrypto; CREATE EXTENSION citext;");

        var after = await SnapshotReading.ReadAsync(db);

        SchemaDiff.Compare(before, after, "before", "after").Select(d => d.Text).Should().Equal(
            "extension citext: present after, absent before",
            "extension pgcrypto: present after, absent before");
        after.Find(SnapshotKinds.Extension, "citext")!.Attributes.Should().ContainKey("version").And.Contain("schema", "public");
    }

    [Fact]
    public async Task Skipped_schemas_are_left_out_with_what_they_hold()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync(Schema);

        var snapshot = await SnapshotReading.ReadAsync(db, SnapshotOptions.Default with { SkippedSchemas = ["app"] });

        snapshot.Objects.Select(o => o.Kind + " " + o.Identity).Should().Equal("schema public", "extension plpgsql");
    }

    [Fact]
    public async Task Two_reads_in_sessions_with_different_settings_give_the_same_bytes_and_the_json_reads_back_equal()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync(Schema);
        var first = await SnapshotReading.ReadAsync(db);
        await using var session = await DatabaseSession.OpenAsync(db.Target);
        await using (var settings = new NpgsqlCommand("SET search_path = app, public; SET DateStyle = 'SQL, DMY'; SET TimeZone = 'Asia/Tokyo'", session.Connection))
            await settings.ExecuteNonQueryAsync();

        var second = await SchemaSnapshot.ReadAsync(session.Connection, SnapshotOptions.Default, CancellationToken.None);
        await using var show = new NpgsqlCommand("SHOW search_path", session.Connection);

        second.ToJson().Should().Be(first.ToJson());
        SchemaSnapshot.FromJson(first.ToJson()).Should().Be(first);
        SchemaSnapshot.FromJson(first.ToJson()).ToJson().Should().Be(first.ToJson());
        ((string?)await show.ExecuteScalarAsync()).Should().Be("app, public", "the read's settings end with its own transaction");
    }

    [Fact]
    public async Task The_json_of_a_small_schema_reads_as_the_catalog_says()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync(Schema);

        var snapshot = await SnapshotReading.ReadAsync(db);

        Snapshot.Verify("Verification", "SmallSchema", snapshot.ToJson());
    }
}
