-- Add context_data_v2 and copy context_data into it
-- Pattern 3, phase 1: add the new column and copy the data; the application then writes both.

-- migrate:up
ALTER TABLE pam_conversations
ADD COLUMN IF NOT EXISTS context_data_v2 JSONB;

-- Copy existing data
UPDATE pam_conversations
SET context_data_v2 = context_data
WHERE context_data_v2 IS NULL;

-- migrate:down
ALTER TABLE pam_conversations DROP COLUMN IF EXISTS context_data_v2;
