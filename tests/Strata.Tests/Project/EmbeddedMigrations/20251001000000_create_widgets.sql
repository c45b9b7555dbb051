-- Create widgets (embedded in the test assembly)

-- migrate:up
CREATE TABLE IF NOT EXISTS widgets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);

-- migrate:down
DROP TABLE IF EXISTS widgets;
