-- Add composite index for user conversation queries
-- Pattern 5 (creating an index) verbatim: CREATE INDEX CONCURRENTLY cannot run in a
-- transaction block, so Strata runs this file statement by statement.

-- migrate:up
-- Use CONCURRENTLY to avoid table lock
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_pam_conversations_user_created
ON pam_conversations(user_id, created_at DESC);

-- Verify index created
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_indexes
        WHERE indexname = 'idx_pam_conversations_user_created'
    ) THEN
        RAISE EXCEPTION 'Index creation failed';
    END IF;
END $$;

-- Analyze table for query planner
ANALYZE pam_conversations;

-- Record migration
INSERT INTO schema_versions (version, description, rollback_sql, applied_by)
VALUES (
    '20251006100000_add_index_pam_conversations_user_created.sql',
    'Add composite index for user conversation queries',
    'DROP INDEX CONCURRENTLY IF EXISTS idx_pam_conversations_user_created;',
    'migration_system'
);

-- migrate:down
DROP INDEX CONCURRENTLY IF EXISTS idx_pam_conversations_user_created;
