-- Index notes by tag

-- migrate:up
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_notes_tags ON notes USING GIN (tags);

-- migrate:down
DROP INDEX CONCURRENTLY IF EXISTS idx_notes_tags;
