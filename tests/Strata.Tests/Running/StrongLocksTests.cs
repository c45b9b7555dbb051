using Strata.Running;
using Strata.Sql;

namespace Strata.Tests.Running;

/// <summary>Which existing tables a statement locks SHARE or stronger: what the blocker check looks at, read without a server.</summary>
public class StrongLocksTests
{
    private static IReadOnlyList<string> Of(string sql) => StrongLocks.Of(SqlSplitter.Split(sql).Statements.Single());

    [Theory]
    [InlineData("ALTER TABLE users ADD COLUMN note text", "\"users\"")]
    [InlineData("ALTER TABLE IF EXISTS ONLY public.users RENAME COLUMN a TO b", "\"public\".\"users\"")]
    [InlineData("ALTER TABLE \"Orders\" ADD CONSTRAINT positive CHECK (total > 0) NOT VALID", "\"Orders\"")]
    [InlineData("ALTER TABLE app.\"Line Items\" ALTER COLUMN qty SET NOT NULL", "\"app\".\"Line Items\"")]
    [InlineData("CREATE INDEX users_email ON users (email)", "\"users\"")]
    [InlineData("CREATE UNIQUE INDEX IF NOT EXISTS users_email ON ONLY public.users (email)", "\"public\".\"users\"")]
    [InlineData("CREATE TRIGGER t BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION f()", "\"users\"")]
    [InlineData("LOCK TABLE users", "\"users\"")]
    [InlineData("LOCK TABLE users IN SHARE MODE", "\"users\"")]
    [InlineData("REFRESH MATERIALIZED VIEW totals", "\"totals\"")]
    [InlineData("VACUUM FULL users", "\"users\"")]
    [InlineData("CLUSTER users USING users_pkey", "\"users\"")]
    [InlineData("DROP INDEX users_email", "\"users_email\"")]
    [InlineData("ALTER INDEX users_email RENAME TO users_email_idx", "\"users_email\"")]
    [InlineData("REINDEX TABLE users", "\"users\"")]
    [InlineData("CREATE POLICY own ON users USING (id = 1)", "\"users\"")]
    public void Statements_that_lock_share_or_stronger_name_their_table(string sql, string table)
    {
        Of(sql).Should().Equal(table);
    }

    [Fact]
    public void Every_table_of_a_drop_or_truncate_list_is_named()
    {
        Of("DROP TABLE IF EXISTS a, public.b CASCADE").Should().Equal("\"a\"", "\"public\".\"b\"");
        Of("TRUNCATE TABLE ONLY a, b RESTART IDENTITY").Should().Equal("\"a\"", "\"b\"");
    }

    [Fact]
    public void A_foreign_key_names_the_table_it_references()
    {
        Of("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID").Should().Equal("\"orders\"", "\"users\"");
        Of("CREATE TABLE orders (id int, user_id int REFERENCES auth.users (id))").Should().Equal("\"auth\".\"users\"");
    }

    [Theory]
    [InlineData("ALTER TABLE users VALIDATE CONSTRAINT positive")]
    [InlineData("CREATE INDEX CONCURRENTLY users_email ON users (email)")]
    [InlineData("DROP INDEX CONCURRENTLY IF EXISTS users_email")]
    [InlineData("REFRESH MATERIALIZED VIEW CONCURRENTLY totals")]
    [InlineData("LOCK TABLE users IN ACCESS SHARE MODE")]
    [InlineData("LOCK TABLE users IN ROW EXCLUSIVE MODE")]
    [InlineData("VACUUM users")]
    [InlineData("COMMENT ON TABLE users IS 'people'")]
    [InlineData("UPDATE users SET note = '' WHERE id < 1000")]
    [InlineData("INSERT INTO users VALUES (1)")]
    [InlineData("CREATE TABLE users (id int)")]
    [InlineData("SELECT 1")]
    public void Statements_that_let_readers_and_writers_through_name_nothing(string sql)
    {
        Of(sql).Should().BeEmpty();
    }

    [Fact]
    public void A_table_created_earlier_in_the_same_file_is_not_checked()
    {
        var statements = SqlSplitter.Split("""
            CREATE TABLE public.events (id bigint, at timestamptz);
            CREATE INDEX events_at ON public.events (at);
            COMMENT ON TABLE public.events IS 'what happened';
            ALTER TABLE public.events ADD COLUMN kind text;
            ALTER TABLE users ADD COLUMN last_event bigint;
            """).Statements;

        var perStatement = StrongLocks.PerStatement(statements);

        perStatement.Take(4).Should().OnlyContain(tables => tables.Count == 0);
        perStatement[4].Should().Equal("\"users\"");
        StrongLocks.Union(perStatement, 0, statements.Count).Should().Equal("\"users\"");
    }

    [Fact]
    public void The_benchmark_s_file_shape_needs_no_check()
    {
        var statements = SqlSplitter.Split("""
            CREATE TABLE bench_0001 (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());
            CREATE INDEX IF NOT EXISTS bench_0001_name_idx ON bench_0001 (name);
            COMMENT ON TABLE bench_0001 IS 'benchmark table 1';
            """).Statements;

        StrongLocks.Union(StrongLocks.PerStatement(statements), 0, statements.Count).Should().BeEmpty();
    }
}
