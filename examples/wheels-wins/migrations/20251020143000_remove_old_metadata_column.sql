-- Remove deprecated old_metadata column
-- Pattern 2, phase 2: only after the deprecation above has soaked and no code reads it.

-- migrate:up
-- Verify no longer in use (check application code)
-- Only proceed if all references removed
ALTER TABLE pam_conversations
DROP COLUMN IF EXISTS old_metadata;

-- migrate:down
ALTER TABLE pam_conversations
ADD COLUMN IF NOT EXISTS old_metadata JSONB;
-- The deprecation comment went with the column: put it back too, or the rollback does not
-- return the schema to where it was ('strata verify' found this one; the strategy's down
-- section stops at ADD COLUMN).
COMMENT ON COLUMN pam_conversations.old_metadata IS
    'DEPRECATED: Use metadata_v2 instead. Will be removed 2025-11-01';
