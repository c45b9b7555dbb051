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
