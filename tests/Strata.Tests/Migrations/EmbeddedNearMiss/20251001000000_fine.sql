-- Fine
-- migrate:up
SELECT 1;
