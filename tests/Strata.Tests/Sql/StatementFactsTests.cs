using Strata.Sql;

namespace Strata.Tests.Sql;

public class StatementFactsTests
{
    private static StatementFacts Facts(string sql)
    {
        var result = SqlSplitter.Split(sql);
        result.Error.Should().BeNull();
        return result.Statements.Single().Facts;
    }

    [Theory]
    [InlineData("CREATE TABLE Users (id int)", "CREATE TABLE", "users")]
    [InlineData("CREATE TEMP TABLE scratch (id int)", "CREATE TABLE", "scratch")]
    [InlineData("create unlogged table if not exists public.\"Events\" (id int)", "CREATE TABLE", "public.Events")]
    [InlineData("CREATE UNIQUE INDEX users_email ON ONLY app.users (email)", "CREATE INDEX", "app.users")]
    [InlineData("CREATE INDEX ON t (a)", "CREATE INDEX", "t")]
    [InlineData("ALTER TABLE IF EXISTS ONLY \"Orders\" ADD COLUMN note text", "ALTER TABLE", "Orders")]
    [InlineData("DROP TABLE IF EXISTS a, b CASCADE", "DROP TABLE", "a")]
    [InlineData("DROP INDEX CONCURRENTLY IF EXISTS public.users_email", "DROP INDEX", "public.users_email")]
    [InlineData("ALTER INDEX users_email RENAME TO users_email_key", "ALTER INDEX", "users_email")]
    [InlineData("INSERT INTO audit.log (msg) VALUES ('x')", "INSERT", "audit.log")]
    [InlineData("UPDATE ONLY users SET a = 1", "UPDATE", "users")]
    [InlineData("DELETE FROM users WHERE id = 1", "DELETE", "users")]
    [InlineData("TRUNCATE TABLE ONLY logs", "TRUNCATE", "logs")]
    [InlineData("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE", "LOCK", "accounts")]
    [InlineData("ANALYZE VERBOSE users", "ANALYZE", "users")]
    [InlineData("VACUUM (VERBOSE, ANALYZE) users", "VACUUM", "users")]
    [InlineData("COMMENT ON COLUMN app.users.email IS 'e'", "COMMENT", "app.users")]
    [InlineData("COMMENT ON TABLE users IS 'u'", "COMMENT", "users")]
    [InlineData("CREATE POLICY owner_only ON documents USING (owner = current_user)", "CREATE POLICY", "documents")]
    [InlineData("CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION stamp()", "CREATE TRIGGER", "users")]
    [InlineData("CREATE OR REPLACE FUNCTION app.touch() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql", "CREATE FUNCTION", "app.touch")]
    [InlineData("CREATE MATERIALIZED VIEW stats AS SELECT 1", "CREATE MATERIALIZED VIEW", "stats")]
    [InlineData("GRANT SELECT ON TABLE users TO reader", "GRANT", "users")]
    [InlineData("WITH moved AS (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM moved", "INSERT", "b")]
    [InlineData("DO $$ BEGIN END $$", "DO", null)]
    [InlineData("SELECT 1", "SELECT", null)]
    public void Verb_and_target_are_read_from_the_leading_keywords(string sql, string verb, string? target)
    {
        var facts = Facts(sql);

        (facts.Verb, facts.Target).Should().Be((verb, target));
    }

    [Theory]
    [InlineData("CREATE INDEX CONCURRENTLY idx ON t (a)", true, false)]
    [InlineData("CREATE INDEX idx ON t (a)", false, true)]
    [InlineData("DROP INDEX CONCURRENTLY idx", true, false)]
    [InlineData("REINDEX INDEX CONCURRENTLY idx", true, false)]
    [InlineData("REINDEX SCHEMA CONCURRENTLY app", true, false)]
    [InlineData("REINDEX (CONCURRENTLY) TABLE t", true, false)]
    [InlineData("REINDEX (VERBOSE, CONCURRENTLY on) INDEX idx", true, false)]
    [InlineData("REINDEX (CONCURRENTLY 'FALSE') TABLE t", false, true)]
    [InlineData("REINDEX (VERBOSE) TABLE t", false, true)]
    [InlineData("REFRESH MATERIALIZED VIEW CONCURRENTLY stats", true, true)]
    [InlineData("ALTER TABLE parts DETACH PARTITION parts_2020 CONCURRENTLY", true, false)]
    public void Concurrently_is_detected_and_decides_the_transaction_block(string sql, bool concurrently, bool runsInTransaction)
    {
        var facts = Facts(sql);

        (facts.Concurrently, facts.RunsInTransaction).Should().Be((concurrently, runsInTransaction));
    }

    [Theory]
    [InlineData("VACUUM")]
    [InlineData("VACUUM FULL users")]
    [InlineData("REINDEX SCHEMA app")]
    [InlineData("REINDEX (VERBOSE) SCHEMA app")]
    [InlineData("REINDEX DATABASE app")]
    [InlineData("REINDEX SYSTEM app")]
    [InlineData("VACUUM (ANALYZE) users")]
    [InlineData("CLUSTER")]
    [InlineData("CLUSTER VERBOSE")]
    [InlineData("ALTER SYSTEM SET work_mem = '64MB'")]
    [InlineData("CREATE DATABASE app")]
    [InlineData("DROP DATABASE IF EXISTS app")]
    [InlineData("ALTER DATABASE app SET TABLESPACE fast")]
    [InlineData("CREATE TABLESPACE fast LOCATION '/ssd'")]
    [InlineData("DROP TABLESPACE fast")]
    [InlineData("CREATE SUBSCRIPTION s CONNECTION 'host=a' PUBLICATION p")]
    [InlineData("CREATE SUBSCRIPTION s CONNECTION 'host=a' PUBLICATION p WITH (copy_data = false, create_slot)")]
    [InlineData("DROP SUBSCRIPTION s")]
    [InlineData("ALTER SUBSCRIPTION s REFRESH PUBLICATION")]
    [InlineData("ALTER SUBSCRIPTION s SET PUBLICATION p")]
    [InlineData("ALTER SUBSCRIPTION s ADD PUBLICATION p WITH (refresh = true)")]
    [InlineData("ALTER SUBSCRIPTION s SET (failover = true)")]
    [InlineData("ALTER SUBSCRIPTION s SET (two_phase = false)")]
    [InlineData("DISCARD ALL")]
    [InlineData("COMMIT PREPARED 'tx1'")]
    [InlineData("ROLLBACK PREPARED 'tx1'")]
    public void Statement_refused_inside_a_transaction_block_does_not_run_in_one(string sql)
    {
        Facts(sql).RunsInTransaction.Should().BeFalse();
    }

    [Theory]
    [InlineData("CLUSTER users USING users_pkey")]
    [InlineData("ALTER DATABASE app SET work_mem = '64MB'")]
    [InlineData("ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false)")]
    [InlineData("ALTER SUBSCRIPTION s SET (slot_name = NONE)")]
    [InlineData("CREATE SUBSCRIPTION s CONNECTION 'host=a' PUBLICATION p WITH (connect = false)")]
    [InlineData("CREATE SUBSCRIPTION s CONNECTION 'host=a' PUBLICATION p WITH (create_slot = false, slot_name = 's')")]
    [InlineData("ALTER TABLE parts DETACH PARTITION parts_2020 FINALIZE")]
    [InlineData("ALTER TYPE mood ADD VALUE 'meh'")]
    [InlineData("REINDEX TABLE users")]
    [InlineData("DISCARD PLANS")]
    [InlineData("DISCARD TEMP")]
    [InlineData("ANALYZE users")]
    public void Statement_allowed_inside_a_transaction_block_runs_in_one(string sql)
    {
        Facts(sql).RunsInTransaction.Should().BeTrue();
    }

    [Theory]
    [InlineData("BEGIN", "BEGIN")]
    [InlineData("START TRANSACTION ISOLATION LEVEL SERIALIZABLE", "START TRANSACTION")]
    [InlineData("COMMIT", "COMMIT")]
    [InlineData("END", "END")]
    [InlineData("ROLLBACK TO SAVEPOINT s", "ROLLBACK")]
    [InlineData("ABORT", "ABORT")]
    [InlineData("SAVEPOINT s", "SAVEPOINT")]
    [InlineData("RELEASE SAVEPOINT s", "RELEASE")]
    [InlineData("PREPARE TRANSACTION 'tx1'", "PREPARE TRANSACTION")]
    [InlineData("COMMIT PREPARED 'tx1'", "COMMIT PREPARED")]
    [InlineData("ROLLBACK PREPARED 'tx1'", "ROLLBACK PREPARED")]
    public void Transaction_control_statement_is_marked(string sql, string verb)
    {
        var facts = Facts(sql);

        (facts.Verb, facts.IsTransactionControl).Should().Be((verb, true));
    }

    [Theory]
    [InlineData("PREPARE q AS SELECT 1")]
    [InlineData("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")]
    [InlineData("CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; END")]
    public void Statement_merely_mentioning_transactions_is_not_transaction_control(string sql)
    {
        Facts(sql).IsTransactionControl.Should().BeFalse();
    }

    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS t (id int)", true)]
    [InlineData("DROP INDEX IF EXISTS i", true)]
    [InlineData("ALTER TABLE t ADD COLUMN IF NOT EXISTS c int", true)]
    [InlineData("CREATE OR REPLACE VIEW v AS SELECT 1", true)]
    [InlineData("CREATE TABLE t (id int)", false)]
    [InlineData("SELECT 1 WHERE NOT EXISTS (SELECT 1)", false)]
    [InlineData("DO $$ BEGIN IF EXISTS (SELECT 1) THEN NULL; END IF; END $$", false)]
    public void Existence_or_replace_guard_is_detected(string sql, bool guarded)
    {
        Facts(sql).IfNotExistsOrIfExists.Should().Be(guarded);
    }

    [Fact]
    public void Quoted_name_keeps_case_and_unescapes_doubled_quotes()
    {
        Facts("ALTER TABLE \"My\"\"Table\" ADD c int").Target.Should().Be("My\"Table");
    }
}
