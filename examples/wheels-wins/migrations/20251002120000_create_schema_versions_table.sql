-- supabase/migrations/20251002120000_create_schema_versions_table.sql
-- Create schema_versions table for migration tracking
-- (the strategy's bootstrap file: Strata runs it first on a new database and then records it
-- properly; its own INSERT is overwritten by Strata's record. One change from the strategy's
-- text: IF NOT EXISTS on the two indexes, so the file can run twice, as its checklist demands
-- and 'strata verify' checks; without it a second run fails on the existing index.)

-- migrate:up
CREATE TABLE IF NOT EXISTS schema_versions (
    version TEXT PRIMARY KEY,                    -- Migration filename
    applied_at TIMESTAMPTZ DEFAULT NOW(),        -- When applied
    applied_by TEXT,                             -- Who/what applied it
    description TEXT NOT NULL,                   -- Human-readable description
    rollback_sql TEXT NOT NULL,                  -- SQL to undo this migration
    checksum TEXT,                               -- SHA256 of migration file
    execution_time_ms INTEGER,                   -- How long it took
    status TEXT DEFAULT 'applied',               -- 'applied' | 'rolled_back' | 'failed'
    metadata JSONB                               -- Additional context
);

CREATE INDEX IF NOT EXISTS idx_schema_versions_applied_at ON schema_versions(applied_at DESC);
CREATE INDEX IF NOT EXISTS idx_schema_versions_status ON schema_versions(status);

-- Insert this migration itself
INSERT INTO schema_versions (
    version,
    description,
    rollback_sql,
    applied_by
) VALUES (
    '20251002120000_create_schema_versions_table.sql',
    'Create schema_versions table for migration tracking',
    'DROP TABLE IF EXISTS schema_versions CASCADE;',
    'initial_setup'
);

-- migrate:down irreversible
