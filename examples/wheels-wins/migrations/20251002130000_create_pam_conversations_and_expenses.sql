-- Create the pam_conversations and expenses tables the strategy's patterns change
-- (in the real project they predate the strategy; here they give the patterns something to act on)

-- migrate:up
CREATE TABLE IF NOT EXISTS pam_conversations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    context_data JSONB,
    old_metadata JSONB
);
ALTER TABLE pam_conversations ENABLE ROW LEVEL SECURITY;

CREATE TABLE IF NOT EXISTS expenses (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id UUID NOT NULL,
    category TEXT NOT NULL,
    amount NUMERIC(12, 2) NOT NULL,
    spent_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
ALTER TABLE expenses ENABLE ROW LEVEL SECURITY;

-- A few rows so the data migration has work to do.
INSERT INTO expenses (user_id, category, amount)
SELECT gen_random_uuid(), c, 10 * g
FROM unnest(ARRAY['fuel', 'camping', 'rv_maintenance', 'food']) AS c, generate_series(1, 3) AS g;

INSERT INTO pam_conversations (user_id, context_data, old_metadata)
SELECT gen_random_uuid(), jsonb_build_object('turn', g), jsonb_build_object('legacy', true)
FROM generate_series(1, 5) AS g;

-- migrate:down
DROP TABLE IF EXISTS expenses;
DROP TABLE IF EXISTS pam_conversations;
