namespace Strata.Tests.Linting;

/// <summary>
/// An unsafe and a safe example for every rule: a folder of migration files whose last file is the
/// one under test (the earlier ones give two-phase rules their history).
/// </summary>
public sealed record RuleExample(IReadOnlyList<(string Name, string Text)> Unsafe, IReadOnlyList<(string Name, string Text)> Safe);

public static class RuleExamples
{
    private static (string, string) File(string name, string up, string down = "SELECT 1;", string description = "-- A migration") =>
        (name, $"{description}\n-- migrate:up\n{up}\n-- migrate:down\n{down}\n");

    private static readonly (string, string) Trips = File("20251001000000_trips.sql", "CREATE TABLE IF NOT EXISTS trips (id bigint, km int, notes text);", "DROP TABLE IF EXISTS trips;");

    /// <summary>Rule name → examples. A rule without an entry fails <see cref="RuleCatalogTests"/>.</summary>
    public static readonly IReadOnlyDictionary<string, RuleExample> All = new Dictionary<string, RuleExample>
    {
        ["file-name"] = new([File("add_trip_notes.sql", "SELECT 1;")], [File("20251002000000_add_trip_notes.sql", "SELECT 1;")]),
        ["file-format"] = new([("20251002000000_x.sql", "-- X\n-- migrate:up\nSELECT 1;\n-- migrate:dwon\nSELECT 2;\n")], [File("20251002000000_x.sql", "SELECT 1;")]),
        ["syntax"] = new([File("20251002000000_x.sql", "SELECT 1;\nEOF")], [File("20251002000000_x.sql", "SELECT 1;")]),
        ["require-description"] = new([("20251002000000_x.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n")], [File("20251002000000_x.sql", "SELECT 1;")]),
        ["require-rollback"] = new([("20251002000000_x.sql", "-- X\n-- migrate:up\nSELECT 1;\n")],
            [("20251002000000_x.sql", "-- X\n-- migrate:up\nSELECT 1;\n-- migrate:down irreversible\n")]),
        ["require-concurrent-index"] = new(
            [Trips, File("20251002000000_idx.sql", "CREATE INDEX IF NOT EXISTS trips_km ON trips (km);", "DROP INDEX CONCURRENTLY IF EXISTS trips_km;")],
            [Trips, File("20251002000000_idx.sql", "CREATE INDEX CONCURRENTLY IF NOT EXISTS trips_km ON trips (km);", "DROP INDEX CONCURRENTLY IF EXISTS trips_km;")]),
        ["ban-drop-without-deprecation"] = new(
            [Trips, File("20251020000000_drop.sql", "ALTER TABLE trips DROP COLUMN IF EXISTS notes;", "ALTER TABLE trips ADD COLUMN IF NOT EXISTS notes text;")],
            [Trips, File("20251002000000_deprecate.sql", "COMMENT ON COLUMN trips.notes IS 'DEPRECATED: use trip_notes. Removed after 2025-10-16';", "COMMENT ON COLUMN trips.notes IS NULL;"),
             File("20251020000000_drop.sql", "ALTER TABLE trips DROP COLUMN IF EXISTS notes;", "ALTER TABLE trips ADD COLUMN IF NOT EXISTS notes text;")]),
        ["require-where"] = new([Trips, File("20251002000000_x.sql", "UPDATE trips SET km = 0;")], [Trips, File("20251002000000_x.sql", "UPDATE trips SET km = 0 WHERE km IS NULL;")]),
        ["ban-hard-coded-uuid"] = new(
            [File("20251002000000_x.sql", "DELETE FROM profiles WHERE id = '6f1c8a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';")],
            [File("20251002000000_x.sql", "DELETE FROM profiles WHERE email = 'test@example.com';")]),
        ["ban-user-specific-literal"] = new(
            [File("20251002000000_x.sql", "UPDATE trips SET owner = (SELECT id FROM profiles WHERE email = 'maria@example.com') WHERE owner IS NULL;")],
            [File("20251002000000_x.sql", "UPDATE trips t SET owner = i.profile_id FROM imports i WHERE t.owner IS NULL AND t.import_id = i.id;")]),
        ["ban-hard-coded-timestamp"] = new(
            [File("20251002000000_x.sql", "UPDATE sessions SET ended_at = now() WHERE ended_at IS NULL AND started_at < '2025-10-05 14:30:00';")],
            [File("20251002000000_x.sql", "UPDATE sessions SET ended_at = last_seen_at WHERE ended_at IS NULL AND last_seen_at < now() - interval '1 day' AND plan_start >= '2025-01-01';")]),
        ["require-batched-backfill"] = new(
            [Trips, File("20251002000000_x.sql", "UPDATE trips SET notes = '' WHERE notes IS NULL;")],
            [Trips, File("20251002000000_x.sql", "UPDATE trips SET notes = '' WHERE id IN (SELECT id FROM trips WHERE notes IS NULL LIMIT 1000);\nUPDATE trips SET notes = 'x' WHERE id = 42;")]),
        ["ban-rename"] = new([Trips, File("20251002000000_x.sql", "ALTER TABLE trips RENAME COLUMN notes TO remarks;")],
            [Trips, File("20251002000000_x.sql", "ALTER TABLE trips ADD COLUMN IF NOT EXISTS remarks text;")]),
        ["ban-column-type-change"] = new([Trips, File("20251002000000_x.sql", "ALTER TABLE trips ALTER COLUMN km TYPE bigint;")],
            [Trips, File("20251002000000_x.sql", "ALTER TABLE trips ADD COLUMN IF NOT EXISTS km_big bigint;")]),
        ["require-not-null-default"] = new([Trips, File("20251002000000_x.sql", "ALTER TABLE trips ADD COLUMN IF NOT EXISTS status text NOT NULL;")],
            [Trips, File("20251002000000_x.sql", "ALTER TABLE trips ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'new';")]),
        ["require-not-valid"] = new([Trips, File("20251002000000_x.sql", "ALTER TABLE trips ADD CONSTRAINT km_positive CHECK (km >= 0);")],
            [Trips, File("20251002000000_x.sql", "ALTER TABLE trips ADD CONSTRAINT km_positive CHECK (km >= 0) NOT VALID;")]),
        ["require-unique-using-index"] = new([Trips, File("20251002000000_x.sql", "ALTER TABLE trips ADD CONSTRAINT trips_id_key UNIQUE (id);")],
            [Trips, File("20251002000000_x.sql", "ALTER TABLE trips ADD CONSTRAINT trips_id_key UNIQUE USING INDEX trips_id_idx;")]),
        ["prefer-bigint"] = new([File("20251002000000_x.sql", "CREATE TABLE IF NOT EXISTS expenses (id int PRIMARY KEY);")],
            [File("20251002000000_x.sql", "CREATE TABLE IF NOT EXISTS expenses (id bigint PRIMARY KEY);")]),
        ["prefer-identity"] = new([File("20251002000000_x.sql", "CREATE TABLE IF NOT EXISTS expenses (id bigserial PRIMARY KEY);")],
            [File("20251002000000_x.sql", "CREATE TABLE IF NOT EXISTS expenses (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);")]),
        ["prefer-text"] = new([File("20251002000000_x.sql", "CREATE TABLE IF NOT EXISTS expenses (category varchar(40));\nALTER TABLE expenses ALTER COLUMN category TYPE varchar(80);")],
            [File("20251002000000_x.sql", "CREATE TABLE IF NOT EXISTS expenses (category text CHECK (length(category) <= 40));")]),
        ["ban-orphan-row-count"] = new(
            [Trips, File("20251002000000_x.sql", "UPDATE trips SET km = 0 WHERE km IS NULL;\nDO $$\nDECLARE n integer;\nBEGIN\n    GET DIAGNOSTICS n = ROW_COUNT;\n    RAISE NOTICE 'updated % trips', n;\nEND $$;")],
            [Trips, File("20251002000000_x.sql", "DO $$\nDECLARE n integer;\nBEGIN\n    UPDATE trips SET km = 0 WHERE km IS NULL;\n    GET DIAGNOSTICS n = ROW_COUNT;\n    RAISE NOTICE 'updated % trips', n;\nEND $$;")]),
        ["require-row-level-security"] = new([File("20251002000000_x.sql", "CREATE TABLE IF NOT EXISTS profiles (id uuid PRIMARY KEY);")],
            [File("20251002000000_x.sql", "CREATE TABLE IF NOT EXISTS profiles (id uuid PRIMARY KEY);\nALTER TABLE profiles ENABLE ROW LEVEL SECURITY;")]),
        ["ban-anon-write-grant"] = new([File("20251002000000_x.sql", "GRANT SELECT, INSERT ON profiles TO anon;")],
            [File("20251002000000_x.sql", "GRANT SELECT ON profiles TO anon;\nGRANT INSERT ON profiles TO authenticated;")]),
        ["require-security-definer-search-path"] = new(
            [File("20251002000000_x.sql", "CREATE OR REPLACE FUNCTION is_admin() RETURNS boolean LANGUAGE sql SECURITY DEFINER AS $$ SELECT true $$;")],
            [File("20251002000000_x.sql", "CREATE OR REPLACE FUNCTION is_admin() RETURNS boolean LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ SELECT true $$;")]),
        ["require-check-before-set-not-null"] = new([Trips, File("20251002000000_x.sql", "ALTER TABLE trips ALTER COLUMN km SET NOT NULL;")],
            [Trips, File("20251002000000_x.sql",
                "ALTER TABLE trips ADD CONSTRAINT trips_km_nn CHECK (km IS NOT NULL) NOT VALID;\nALTER TABLE trips VALIDATE CONSTRAINT trips_km_nn;\nALTER TABLE trips ALTER COLUMN km SET NOT NULL;")]),
        ["ban-volatile-default"] = new([Trips, File("20251002000000_x.sql", "ALTER TABLE trips ADD COLUMN IF NOT EXISTS public_id uuid DEFAULT gen_random_uuid();")],
            [Trips, File("20251002000000_x.sql", "ALTER TABLE trips ADD COLUMN IF NOT EXISTS created_at timestamptz DEFAULT now();")]),
        ["ban-cascade"] = new([Trips, File("20251002000000_x.sql", "TRUNCATE trips CASCADE;")], [Trips, File("20251002000000_x.sql", "TRUNCATE trips;")]),
        ["ban-blocking-maintenance"] = new([Trips, File("20251002000000_x.sql", "VACUUM FULL trips;")], [Trips, File("20251002000000_x.sql", "VACUUM (ANALYZE) trips;")]),
        ["require-idempotent-guard"] = new([File("20251002000000_x.sql", "CREATE TABLE expenses (id bigint);", "DROP TABLE IF EXISTS expenses;")],
            [File("20251002000000_x.sql", "CREATE TABLE IF NOT EXISTS expenses (id bigint);", "DROP TABLE IF EXISTS expenses;")]),
        ["prefer-timestamptz"] = new([File("20251002000000_x.sql", "CREATE TABLE IF NOT EXISTS expenses (id bigint, spent_at timestamp);")],
            [File("20251002000000_x.sql", "CREATE TABLE IF NOT EXISTS expenses (id bigint, spent_at timestamptz);")]),
        ["ban-self-recording-insert"] = new(
            [File("20251002000000_x.sql", "INSERT INTO schema_versions (version, description, rollback_sql) VALUES ('20251002000000_x.sql', 'X', 'SELECT 1');")],
            [File("20251002000000_x.sql", "INSERT INTO settings (name) VALUES ('theme');")]),
        ["ignore-without-reason"] = new([Trips, File("20251002000000_x.sql", "-- strata:ignore require-where\nUPDATE trips SET km = 0;")],
            [Trips, File("20251002000000_x.sql", "-- strata:ignore require-where trips is empty until the app ships\nUPDATE trips SET km = 0;")]),
        ["ignore-unknown-rule"] = new([File("20251002000000_x.sql", "-- strata:ignore no-such-rule because\nSELECT 1;")],
            [Trips, File("20251002000000_x.sql", "-- strata:ignore require-where trips is empty until the app ships\nUPDATE trips SET km = 0;")]),
        ["unused-ignore"] = new([Trips, File("20251002000000_x.sql", "-- strata:ignore require-where trips is empty\nUPDATE trips SET km = 0 WHERE id = 1;")],
            [Trips, File("20251002000000_x.sql", "-- strata:ignore require-where trips is empty until the app ships\nUPDATE trips SET km = 0;")]),
    };
}
