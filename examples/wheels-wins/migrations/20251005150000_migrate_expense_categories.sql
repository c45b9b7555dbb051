-- Standardize expense category names
-- Pattern 4 (data migration), with its hand-written record and metadata.

-- migrate:up
-- Migrate old category names to new standard, and log affected rows.
-- One change from the strategy's text, which runs the UPDATE and then a DO block of its own:
-- GET DIAGNOSTICS ... ROW_COUNT only sees statements of its own block, so its log line always
-- said "Migrated 0 expense records" ('strata lint' rule ban-orphan-row-count). The UPDATE now
-- runs inside the block, and the count is real.
DO $$
DECLARE
    affected_count INTEGER;
BEGIN
    UPDATE expenses
    SET category = CASE
        WHEN category = 'fuel' THEN 'gas'
        WHEN category = 'camping' THEN 'campground'
        WHEN category = 'rv_maintenance' THEN 'maintenance'
        ELSE category
    END
    WHERE category IN ('fuel', 'camping', 'rv_maintenance');

    GET DIAGNOSTICS affected_count = ROW_COUNT;
    RAISE NOTICE 'Migrated % expense records', affected_count;
END $$;

-- Record migration
INSERT INTO schema_versions (version, description, rollback_sql, applied_by, metadata)
VALUES (
    '20251005150000_migrate_expense_categories.sql',
    'Standardize expense category names',
    '
        UPDATE expenses
        SET category = CASE
            WHEN category = ''gas'' THEN ''fuel''
            WHEN category = ''campground'' THEN ''camping''
            WHEN category = ''maintenance'' THEN ''rv_maintenance''
            ELSE category
        END
        WHERE category IN (''gas'', ''campground'', ''maintenance'');
    ',
    'migration_system',
    '{"affected_tables": ["expenses"], "estimated_rows": 1000}'::jsonb
);

-- migrate:down
UPDATE expenses
SET category = CASE
    WHEN category = 'gas' THEN 'fuel'
    WHEN category = 'campground' THEN 'camping'
    WHEN category = 'maintenance' THEN 'rv_maintenance'
    ELSE category
END
WHERE category IN ('gas', 'campground', 'maintenance');
