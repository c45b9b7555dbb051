using Strata.Tests.Support;
using Strata.Verification;

namespace Strata.Tests.Verification;

/// <summary>
/// One test per object kind, each in two halves: the object dropped and made again the same way
/// (or changed and changed back) reads exactly as before, which proves no OID or other
/// re-create artefact leaks into the snapshot; then one attribute changed is named in the diff
/// with the object, the attribute and both values.
/// </summary>
public class SchemaSnapshotTests(PostgresServer server)
{
    /// <summary>Creates, reads; re-creates, reads and expects no difference; changes, reads and returns the diff's lines.</summary>
    private async Task<IReadOnlyList<string>> RecreateThenChangeAsync(string create, string recreate, string change)
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync(create);
        var original = await SnapshotReading.ReadAsync(db);
        await db.ExecuteAsync(recreate);
        var recreated = await SnapshotReading.ReadAsync(db);
        await db.ExecuteAsync(change);
        var changed = await SnapshotReading.ReadAsync(db);

        SchemaDiff.Compare(original, recreated, "before", "after").Select(d => d.Text).Should().BeEmpty();
        recreated.Should().Be(original);
        recreated.ToJson().Should().Be(original.ToJson());
        return [.. SchemaDiff.Compare(original, changed, "before", "after").Select(d => d.Text)];
    }

    [Fact]
    public async Task A_schema_re_created_is_equal_and_its_privileges_are_named()
    {
        var diff = await RecreateThenChangeAsync(
            "CREATE SCHEMA app; COMMENT ON SCHEMA app IS 'the app'; GRANT USAGE ON SCHEMA app TO PUBLIC;",
            "DROP SCHEMA app; CREATE SCHEMA app; GRANT USAGE ON SCHEMA app TO PUBLIC; COMMENT ON SCHEMA app IS 'the app';",
            "REVOKE USAGE ON SCHEMA app FROM PUBLIC;");

        diff.Should().Equal("schema app: privileges postgres=UC/postgres after, =U/postgres, postgres=UC/postgres before");
    }

    [Fact]
    public async Task An_extension_re_created_is_equal_and_its_schema_is_named()
    {
        var diff = await RecreateThenChangeAsync(
            "CREATE SCHEMA app; CREATE EXTENSION citext;",
            "DROP EXTENSION citext; CREATE EXTENSION citext;",
            "ALTER EXTENSION citext SET SCHEMA app;");

        diff.Should().Equal("extension citext: schema app after, public before");
    }

    [Fact]
    public async Task A_table_re_created_is_equal_and_its_row_level_security_is_named()
    {
        var diff = await RecreateThenChangeAsync(
            "CREATE TABLE t (id int PRIMARY KEY, note text) WITH (fillfactor = 90); COMMENT ON TABLE t IS 'notes';",
            "DROP TABLE t; CREATE TABLE t (id int PRIMARY KEY, note text) WITH (fillfactor = 90); COMMENT ON TABLE t IS 'notes';",
            "ALTER TABLE t ENABLE ROW LEVEL SECURITY; ALTER TABLE t FORCE ROW LEVEL SECURITY;");

        diff.Should().Equal(
            "table public.t: row level security true after, false before",
            "table public.t: force row level security true after, false before");
    }

    [Fact]
    public async Task A_partition_detached_and_attached_again_is_equal_and_its_bound_is_named()
    {
        var diff = await RecreateThenChangeAsync(
            """
            CREATE TABLE m (at date NOT NULL, v int) PARTITION BY RANGE (at);
            CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE INDEX m_at ON m (at);
            """,
            "ALTER TABLE m DETACH PARTITION m_2024; ALTER TABLE m ATTACH PARTITION m_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
            "ALTER TABLE m DETACH PARTITION m_2024; ALTER TABLE m ATTACH PARTITION m_2024 FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');");

        diff.Should().Equal("table public.m_2024: partition of "
            + "public.m FOR VALUES FROM ('2024-01-01') TO ('2024-07-01') after, public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') before");
    }

    private const string Users = """
        CREATE TABLE users (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            email varchar(255) NOT NULL DEFAULT '',
            total int GENERATED ALWAYS AS (id * 2) STORED,
            name text COLLATE "C");
        COMMENT ON COLUMN users.email IS 'login';
        GRANT SELECT (email) ON users TO PUBLIC;
        """;

    public static TheoryData<string, string> ColumnChanges => new()
    {
        { "ALTER TABLE users ALTER COLUMN email TYPE text", "column public.users.email: type text after, character varying(255) before" },
        { "ALTER TABLE users ALTER COLUMN email SET DEFAULT 'x'", "column public.users.email: default 'x'::character varying after, ''::character varying before" },
        { "ALTER TABLE users ALTER COLUMN email DROP NOT NULL", "column public.users.email: not null false after, true before" },
        { "ALTER TABLE users ALTER COLUMN id SET GENERATED BY DEFAULT", "column public.users.id: identity by default after, always before" },
        { "ALTER TABLE users ALTER COLUMN total DROP EXPRESSION", "column public.users.total: generated none after, (id * 2) stored before" },
        { "ALTER TABLE users ALTER COLUMN name TYPE text COLLATE \"POSIX\"", "column public.users.name: collation \"POSIX\" after, \"C\" before" },
        { "REVOKE SELECT (email) ON users FROM PUBLIC", "column public.users.email: privileges none after, =r/postgres before" },
        { "COMMENT ON COLUMN users.email IS 'e-mail'", "column public.users.email: comment e-mail after, login before" },
        { "ALTER TABLE users DROP COLUMN email; ALTER TABLE users ADD COLUMN email varchar(255) NOT NULL DEFAULT ''", "column public.users.email: position 4 after, 2 before" },
    };

    [Theory]
    [MemberData(nameof(ColumnChanges))]
    public async Task A_column_dropped_and_added_again_is_equal_and_each_changed_attribute_is_named(string change, string expected)
    {
        var diff = await RecreateThenChangeAsync(Users,
            "ALTER TABLE users DROP COLUMN name; ALTER TABLE users ADD COLUMN name text COLLATE \"C\";",
            change);

        diff.Should().Contain(expected);
    }

    private const string Orders = """
        CREATE TABLE customers (id int PRIMARY KEY);
        CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, qty int CONSTRAINT qty_positive CHECK (qty > 0));
        """;

    public static TheoryData<string, string> ConstraintChanges => new()
    {
        { "ALTER TABLE orders DROP CONSTRAINT qty_positive; ALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (qty >= 0)",
            "constraint qty_positive on public.orders: definition CHECK ((qty >= 0)) after, CHECK ((qty > 0)) before" },
        { "ALTER TABLE orders DROP CONSTRAINT qty_positive; ALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (qty > 0) NOT VALID",
            "constraint qty_positive on public.orders: validated false after, true before" },
        { "ALTER TABLE orders ALTER CONSTRAINT orders_customer_id_fkey DEFERRABLE",
            "constraint orders_customer_id_fkey on public.orders: deferrable true after, false before" },
        { "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey",
            "constraint orders_customer_id_fkey on public.orders: absent after, present before" },
    };

    [Theory]
    [MemberData(nameof(ConstraintChanges))]
    public async Task A_constraint_re_created_is_equal_and_each_changed_attribute_is_named(string change, string expected)
    {
        var diff = await RecreateThenChangeAsync(Orders,
            """
            ALTER TABLE orders DROP CONSTRAINT qty_positive, DROP CONSTRAINT orders_customer_id_fkey;
            ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers,
                ADD CONSTRAINT qty_positive CHECK (qty > 0);
            """,
            change);

        diff.Should().Contain(expected);
    }

    [Fact]
    public async Task An_index_re_created_is_equal_and_its_definition_is_named()
    {
        var diff = await RecreateThenChangeAsync(
            "CREATE TABLE t (id int, email text); CREATE UNIQUE INDEX t_email ON t (email);",
            "DROP INDEX t_email; CREATE UNIQUE INDEX t_email ON t (email);",
            "DROP INDEX t_email; CREATE UNIQUE INDEX t_email ON t (lower(email));");

        diff.Should().Equal("index public.t_email on public.t: definition differs: "
            + "...ON public.t USING btree (lower(email)) after, ...ON public.t USING btree (email) before");
    }

    [Fact]
    public async Task A_view_re_created_is_equal_and_its_definition_is_named()
    {
        var diff = await RecreateThenChangeAsync(
            "CREATE TABLE t (id int, active bool); CREATE VIEW active_t WITH (security_invoker) AS SELECT id FROM t WHERE active; GRANT SELECT ON active_t TO PUBLIC;",
            "DROP VIEW active_t; CREATE VIEW active_t WITH (security_invoker) AS SELECT id FROM t WHERE active; GRANT SELECT ON active_t TO PUBLIC;",
            "CREATE OR REPLACE VIEW active_t WITH (security_invoker) AS SELECT id FROM t WHERE NOT active;");

        diff.Should().Equal(
            "view public.active_t: definition SELECT t.id FROM public.t WHERE (NOT t.active); after, SELECT t.id FROM public.t WHERE t.active; before");
    }

    [Fact]
    public async Task A_materialized_view_re_created_is_equal_and_being_populated_is_named()
    {
        var diff = await RecreateThenChangeAsync(
            "CREATE MATERIALIZED VIEW mv AS SELECT 1 AS one WITH NO DATA;",
            "DROP MATERIALIZED VIEW mv; CREATE MATERIALIZED VIEW mv AS SELECT 1 AS one WITH NO DATA;",
            "REFRESH MATERIALIZED VIEW mv;");

        diff.Should().Equal("materialized view public.mv: populated true after, false before");
    }

    // twice has a standard SQL body, which PostgreSQL stores parsed, with OIDs; the snapshot prints it back.
    private const string Functions = """
        CREATE FUNCTION add_one(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
        CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql IMMUTABLE RETURN x * 2;
        CREATE AGGREGATE total(int) (sfunc = int4pl, stype = int, initcond = '0');
        """;

    public static TheoryData<string, string> FunctionChanges => new()
    {
        { "CREATE OR REPLACE FUNCTION add_one(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 2'",
            "function public.add_one(x integer): body SELECT x + 2 after, SELECT x + 1 before" },
        { "ALTER FUNCTION add_one(int) STABLE", "function public.add_one(x integer): volatility stable after, immutable before" },
        { "ALTER FUNCTION add_one(int) SECURITY DEFINER", "function public.add_one(x integer): security definer true after, false before" },
        { "ALTER FUNCTION add_one(int) SET search_path = public", "function public.add_one(x integer): config search_path=public after, none before" },
        { "REVOKE EXECUTE ON FUNCTION add_one(int) FROM PUBLIC",
            "function public.add_one(x integer): privileges postgres=X/postgres after, =X/postgres, postgres=X/postgres before" },
        { "CREATE OR REPLACE FUNCTION twice(x int) RETURNS int LANGUAGE sql IMMUTABLE RETURN x + x",
            "function public.twice(x integer): body RETURN (x + x) after, RETURN (x * 2) before" },
        { "DROP AGGREGATE total(int); CREATE AGGREGATE total(int) (sfunc = int4pl, stype = int, initcond = '1')",
            "aggregate public.total(integer): aggregate sfunc int4pl, stype integer, initcond '1' after, sfunc int4pl, stype integer, initcond '0' before" },
    };

    [Theory]
    [MemberData(nameof(FunctionChanges))]
    public async Task A_function_re_created_is_equal_and_each_changed_attribute_is_named(string change, string expected)
    {
        var diff = await RecreateThenChangeAsync(Functions,
            "DROP FUNCTION add_one(int), twice(int); DROP AGGREGATE total(int);" + Functions,
            change);

        diff.Should().Contain(expected);
    }

    [Fact]
    public async Task A_procedure_re_created_is_equal_and_its_security_is_named()
    {
        const string create = "CREATE PROCEDURE touch(n int) LANGUAGE plpgsql AS $$ BEGIN PERFORM n; END $$;";
        var diff = await RecreateThenChangeAsync(create, "DROP PROCEDURE touch(int);" + create, "ALTER PROCEDURE touch(int) SECURITY DEFINER;");

        diff.Should().Equal("procedure public.touch(IN n integer): security definer true after, false before");
    }

    [Fact]
    public async Task A_trigger_re_created_is_equal_and_its_enabled_state_is_named()
    {
        var diff = await RecreateThenChangeAsync(
            """
            CREATE TABLE t (id int, touched timestamptz);
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touched := now(); RETURN NEW; END $$;
            CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
            """,
            "DROP TRIGGER t_touch ON t; CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();",
            "ALTER TABLE t DISABLE TRIGGER t_touch;");

        diff.Should().Equal("trigger t_touch on public.t: enabled disabled after, origin before");
    }

    [Fact]
    public async Task A_sequence_re_created_and_used_is_equal_and_its_increment_and_owner_column_are_named()
    {
        var diff = await RecreateThenChangeAsync(
            "CREATE SEQUENCE seq INCREMENT 5 START 100; CREATE TABLE t (id serial);",
            "DROP SEQUENCE seq; CREATE SEQUENCE seq INCREMENT 5 START 100; SELECT nextval('seq'); INSERT INTO t DEFAULT VALUES;",
            "ALTER SEQUENCE seq INCREMENT 10 OWNED BY t.id;");

        diff.Should().Equal(
            "sequence public.seq: increment 10 after, 5 before",
            "sequence public.seq: owned by public.t.id after, none before");
    }

    [Fact]
    public async Task An_enum_re_created_is_equal_and_its_labels_are_named_in_order()
    {
        var diff = await RecreateThenChangeAsync(
            "CREATE TYPE mood AS ENUM ('sad', 'happy');",
            "DROP TYPE mood; CREATE TYPE mood AS ENUM ('sad', 'happy');",
            "ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy';");

        diff.Should().Equal("enum public.mood: labels 'sad', 'ok', 'happy' after, 'sad', 'happy' before");
    }

    [Fact]
    public async Task A_domain_re_created_is_equal_and_its_constraints_are_named()
    {
        const string create = "CREATE DOMAIN positive AS int CONSTRAINT positive_check CHECK (VALUE > 0);";
        var diff = await RecreateThenChangeAsync(create, "DROP DOMAIN positive;" + create,
            "ALTER DOMAIN positive SET NOT NULL; ALTER DOMAIN positive ADD CONSTRAINT small CHECK (VALUE < 10);");

        diff.Should().Equal(
            "domain public.positive: not null true after, false before",
            "domain public.positive: constraints differs: "
            + "positive_check CHECK ((VALUE > 0)); small CHECK ((VALUE < 10)) after, positive_check CHECK ((VALUE > 0)) before");
    }

    [Fact]
    public async Task A_composite_type_re_created_is_equal_and_its_attributes_are_named()
    {
        var diff = await RecreateThenChangeAsync(
            "CREATE TYPE pair AS (a int, b text);",
            "DROP TYPE pair; CREATE TYPE pair AS (a int, b text);",
            "ALTER TYPE pair ADD ATTRIBUTE c boolean;");

        diff.Should().Equal("composite type public.pair: attributes a integer, b text, c boolean after, a integer, b text before");
    }

    [Fact]
    public async Task A_range_type_re_created_is_equal_and_its_subtype_diff_is_named()
    {
        const string create = "CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);";
        var diff = await RecreateThenChangeAsync(create, "DROP TYPE floatrange;" + create,
            "DROP TYPE floatrange; CREATE TYPE floatrange AS RANGE (subtype = float8);");

        diff.Should().Equal("range type public.floatrange: subtype diff none after, float8mi(double precision,double precision) before");
    }

    private const string Documents = """
        CREATE TABLE docs (owner text, body text);
        ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "Owners read their docs" ON docs FOR SELECT USING (owner = current_user);
        """;

    public static TheoryData<string, string> PolicyChanges => new()
    {
        { "ALTER POLICY \"Owners read their docs\" ON docs USING (true)",
            "policy \"Owners read their docs\" on public.docs: using true after, (owner = CURRENT_USER) before" },
        { "ALTER POLICY \"Owners read their docs\" ON docs TO pg_read_all_data",
            "policy \"Owners read their docs\" on public.docs: roles pg_read_all_data after, public before" },
        { "DROP POLICY \"Owners read their docs\" ON docs; CREATE POLICY \"Owners read their docs\" ON docs AS RESTRICTIVE FOR SELECT USING (owner = current_user)",
            "policy \"Owners read their docs\" on public.docs: permissive false after, true before" },
        { "DROP POLICY \"Owners read their docs\" ON docs; CREATE POLICY \"Owners read their docs\" ON docs FOR UPDATE USING (owner = current_user) WITH CHECK (body <> '')",
            "policy \"Owners read their docs\" on public.docs: command UPDATE after, SELECT before" },
        { "ALTER TABLE docs DISABLE ROW LEVEL SECURITY", "table public.docs: row level security false after, true before" },
    };

    [Theory]
    [MemberData(nameof(PolicyChanges))]
    public async Task A_policy_re_created_is_equal_and_each_changed_attribute_is_named(string change, string expected)
    {
        var diff = await RecreateThenChangeAsync(Documents,
            """
            DROP POLICY "Owners read their docs" ON docs;
            CREATE POLICY "Owners read their docs" ON docs FOR SELECT USING (owner = current_user);
            """,
            change);

        diff.Should().Contain(expected);
    }

    private const string Granted = """
        CREATE TABLE t (id int);
        CREATE SEQUENCE seq;
        CREATE TYPE mood AS ENUM ('sad');
        """;

    public static TheoryData<string, string> GrantChanges => new()
    {
        { "GRANT SELECT, INSERT ON t TO PUBLIC", "table public.t: privileges =ar/postgres, postgres=arwdDxt/postgres after, postgres=arwdDxt/postgres before" },
        { "GRANT USAGE ON SEQUENCE seq TO PUBLIC", "sequence public.seq: privileges =U/postgres, postgres=rwU/postgres after, postgres=rwU/postgres before" },
        { "REVOKE USAGE ON TYPE mood FROM PUBLIC", "enum public.mood: privileges postgres=U/postgres after, =U/postgres, postgres=U/postgres before" },
    };

    [Theory]
    [MemberData(nameof(GrantChanges))]
    public async Task Grants_given_and_taken_back_are_equal_and_a_new_grant_is_named(string change, string expected)
    {
        // The revoke leaves the ACL written out where it was NULL: the two must still read the same.
        var diff = await RecreateThenChangeAsync(Granted,
            """
            GRANT SELECT ON t TO PUBLIC; REVOKE SELECT ON t FROM PUBLIC;
            GRANT SELECT ON SEQUENCE seq TO pg_read_all_data; REVOKE SELECT ON SEQUENCE seq FROM pg_read_all_data;
            REVOKE USAGE ON TYPE mood FROM PUBLIC; GRANT USAGE ON TYPE mood TO PUBLIC;
            """,
            change);

        diff.Should().Equal(expected);
    }

    private const string Commented = """
        CREATE TABLE t (id int CONSTRAINT id_positive CHECK (id > 0));
        CREATE INDEX t_id ON t (id);
        CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TRIGGER t_noop BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION noop();
        CREATE POLICY p ON t USING (true);
        CREATE SEQUENCE seq;
        CREATE DOMAIN d AS int;
        """;

    public static TheoryData<string, string> CommentChanges => new()
    {
        { "COMMENT ON TABLE t IS 'x'", "table public.t: comment x after, none before" },
        { "COMMENT ON INDEX t_id IS 'x'", "index public.t_id on public.t: comment x after, none before" },
        { "COMMENT ON CONSTRAINT id_positive ON t IS 'x'", "constraint id_positive on public.t: comment x after, none before" },
        { "COMMENT ON TRIGGER t_noop ON t IS 'x'", "trigger t_noop on public.t: comment x after, none before" },
        { "COMMENT ON POLICY p ON t IS 'x'", "policy p on public.t: comment x after, none before" },
        { "COMMENT ON FUNCTION noop() IS 'x'", "function public.noop(): comment x after, none before" },
        { "COMMENT ON SEQUENCE seq IS 'x'", "sequence public.seq: comment x after, none before" },
        { "COMMENT ON DOMAIN d IS 'x'", "domain public.d: comment x after, none before" },
    };

    [Theory]
    [MemberData(nameof(CommentChanges))]
    public async Task A_comment_set_and_removed_is_equal_and_a_new_comment_is_named(string change, string expected)
    {
        var diff = await RecreateThenChangeAsync(Commented, "COMMENT ON TABLE t IS 'temporary'; COMMENT ON TABLE t IS NULL;", change);

        diff.Should().Equal(expected);
    }

    [Fact]
    public async Task Ownership_given_away_and_taken_back_is_equal_and_a_new_owner_is_named()
    {
        var diff = await RecreateThenChangeAsync(
            "CREATE TABLE t (id int); CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';",
            "ALTER TABLE t OWNER TO pg_database_owner; ALTER TABLE t OWNER TO postgres;",
            "ALTER TABLE t OWNER TO pg_database_owner; ALTER FUNCTION f() OWNER TO pg_database_owner;");

        diff.Should().Equal(
            "table public.t: owner pg_database_owner after, postgres before",
            "table public.t: privileges pg_database_owner=arwdDxt/pg_database_owner after, postgres=arwdDxt/postgres before",
            "function public.f(): owner pg_database_owner after, postgres before",
            "function public.f(): privileges =X/pg_database_owner, pg_database_owner=X/pg_database_owner after, =X/postgres, postgres=X/postgres before");
    }
}
