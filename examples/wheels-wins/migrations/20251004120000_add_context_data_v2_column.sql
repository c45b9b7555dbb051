-- Add context_data_v2 and copy context_data into it
-- Pattern 3, phase 1: add the new column and copy the data; the application then writes both.

-- migrate:up
ALTER TABLE pam_conversations
ADD COLUMN IF NOT EXISTS context_data_v2 JSONB;

-- Copy existing data
-- strata:ignore require-batched-backfill pam_conversations holds a few thousand rows here; on a large table copy in committed batches
UPDATE pam_conversations
SET context_data_v2 = context_data
WHERE context_data_v2 IS NULL;

-- From here on context_data is on its way out: phase 3 drops it, and the deprecation mark is
-- what reviewers (and strata lint) look for at least 14 days before that drop.
COMMENT ON COLUMN pam_conversations.context_data IS
    'DEPRECATED: Use context_data_v2 instead. Will be removed after two weeks (Pattern 3, phase 3)';

-- migrate:down
COMMENT ON COLUMN pam_conversations.context_data IS NULL;
ALTER TABLE pam_conversations DROP COLUMN IF EXISTS context_data_v2;
