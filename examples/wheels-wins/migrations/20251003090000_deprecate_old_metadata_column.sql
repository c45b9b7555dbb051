-- Deprecate old_metadata column in preparation for removal
-- Pattern 2, phase 1: mark the column deprecated; the application stops writing to it.

-- migrate:up
COMMENT ON COLUMN pam_conversations.old_metadata IS
    'DEPRECATED: Use metadata_v2 instead. Will be removed 2025-11-01';

-- migrate:down
COMMENT ON COLUMN pam_conversations.old_metadata IS NULL;
