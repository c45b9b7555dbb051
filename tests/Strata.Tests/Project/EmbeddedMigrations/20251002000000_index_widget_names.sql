-- Index widget names without blocking writes

-- migrate:up
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_widgets_name ON widgets (name);

-- migrate:down
DROP INDEX CONCURRENTLY IF EXISTS idx_widgets_name;
