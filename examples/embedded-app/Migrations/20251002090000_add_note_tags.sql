-- Add tags to notes

-- migrate:up
ALTER TABLE notes ADD COLUMN IF NOT EXISTS tags TEXT[] NOT NULL DEFAULT '{}';

-- migrate:down
ALTER TABLE notes DROP COLUMN IF EXISTS tags;
