-- Remove the old context_data column and rename context_data_v2 into its place
-- Pattern 3, phase 3: after the new column has worked for two weeks or more.

-- migrate:up
-- After verifying new column works for 2+ weeks.
-- The strategy writes these as two bare statements, which are not idempotent: run twice, the
-- DROP COLUMN IF EXISTS drops the column the first run renamed into place, and the RENAME then
-- fails. Guarded here by the catalog: only while context_data_v2 still exists.
-- strata:ignore ban-rename the strategy's optional last step: deploy it only once every running application version reads context_data again
DO $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'pam_conversations' AND column_name = 'context_data_v2'
    ) THEN
        ALTER TABLE pam_conversations DROP COLUMN IF EXISTS context_data;
        -- Rename new column (optional)
        ALTER TABLE pam_conversations RENAME COLUMN context_data_v2 TO context_data;
    END IF;
END $$;

-- migrate:down
ALTER TABLE pam_conversations RENAME COLUMN context_data TO context_data_v2;
ALTER TABLE pam_conversations ADD COLUMN IF NOT EXISTS context_data JSONB;
UPDATE pam_conversations SET context_data = context_data_v2 WHERE context_data IS NULL;
COMMENT ON COLUMN pam_conversations.context_data IS
    'DEPRECATED: Use context_data_v2 instead. Will be removed after two weeks (Pattern 3, phase 3)';
