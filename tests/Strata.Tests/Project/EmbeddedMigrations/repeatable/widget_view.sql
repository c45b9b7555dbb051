-- A repeatable file in a sub-folder: not a versioned migration, so the embedded source skips it as a folder source does.
CREATE OR REPLACE VIEW widget_names AS SELECT name FROM widgets;
