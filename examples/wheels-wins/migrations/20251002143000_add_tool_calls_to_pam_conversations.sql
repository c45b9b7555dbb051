-- Add tool_calls_json column to track Claude function calls
-- Pattern 1 (adding a column) from the strategy, including its hand-written INSERT into
-- schema_versions: Strata's own record wins, so the file applies unchanged.

-- migrate:up
-- Add column with default value
ALTER TABLE pam_conversations
ADD COLUMN IF NOT EXISTS tool_calls_json JSONB DEFAULT '[]'::jsonb;

-- Comment for documentation
COMMENT ON COLUMN pam_conversations.tool_calls_json IS
    'Array of Claude tool calls made during conversation turn';

-- Optional: Create index for queries
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_pam_conversations_tool_calls
ON pam_conversations USING GIN (tool_calls_json);

-- Record migration
INSERT INTO schema_versions (version, description, rollback_sql, applied_by)
VALUES (
    '20251002143000_add_tool_calls_to_pam_conversations.sql',
    'Add tool_calls_json column to track Claude function calls',
    '
        DROP INDEX IF EXISTS idx_pam_conversations_tool_calls;
        ALTER TABLE pam_conversations DROP COLUMN IF EXISTS tool_calls_json;
    ',
    'migration_system'
);

-- migrate:down
DROP INDEX CONCURRENTLY IF EXISTS idx_pam_conversations_tool_calls;
ALTER TABLE pam_conversations DROP COLUMN IF EXISTS tool_calls_json;
