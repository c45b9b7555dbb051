#!/usr/bin/env python3
"""Writes N migrations for the verify benchmark, as a team writes them under the strategy.

    python3 bench/generate_verify.py N OUT_DIR

OUT_DIR/migrations/  YYYYMMDDHHMMSS_step_00001.sql with up and down sections
OUT_DIR/all.sql      every up section, in order (the psql floor)

Four kinds take turns, each idempotent with an exact down section, so every one passes
verify: a table with an index and a comment; a column with a default added to the previous
table; a concurrent index on it (statement by statement); a PL/pgSQL function and a row level
security policy that uses it. Versions are 2025-01-01 00:00:00 UTC plus i minutes.
"""
import datetime
import pathlib
import shutil
import sys

BASE = datetime.datetime(2025, 1, 1, 0, 0, 0)


def sections(i: int) -> tuple[str, str, str]:
    table = f"t{(i - 1) // 4 * 4 + 1:05d}"
    kind = (i - 1) % 4
    if kind == 0:
        return ("create_table",
                f"CREATE TABLE IF NOT EXISTS {table} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                f"owner text NOT NULL DEFAULT current_user, name text NOT NULL);\n"
                f"CREATE INDEX IF NOT EXISTS {table}_name_idx ON {table} (name);\n"
                f"COMMENT ON TABLE {table} IS 'verify benchmark table {i}';\n",
                f"DROP TABLE IF EXISTS {table};\n")
    if kind == 1:
        return ("add_column",
                f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'new';\n",
                f"ALTER TABLE {table} DROP COLUMN IF EXISTS status;\n")
    if kind == 2:
        return ("concurrent_index",
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {table}_status_idx ON {table} (status);\n",
                f"DROP INDEX CONCURRENTLY IF EXISTS {table}_status_idx;\n")
    return ("function_and_policy",
            f"CREATE OR REPLACE FUNCTION {table}_owned(row_owner text) RETURNS boolean\n"
            f"LANGUAGE plpgsql STABLE AS $$\nBEGIN\n    RETURN row_owner = current_user;\nEND;\n$$;\n"
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;\n"
            f"DROP POLICY IF EXISTS {table}_own ON {table};\n"
            f"CREATE POLICY {table}_own ON {table} USING ({table}_owned(owner));\n",
            f"DROP POLICY IF EXISTS {table}_own ON {table};\n"
            f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;\n"
            f"DROP FUNCTION IF EXISTS {table}_owned(text);\n")


def main() -> None:
    if len(sys.argv) != 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit("usage: generate_verify.py N OUT_DIR")
    n, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    folder = out / "migrations"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    ups = []
    for i in range(1, n + 1):
        name, up, down = sections(i)
        stamp = (BASE + datetime.timedelta(minutes=i)).strftime("%Y%m%d%H%M%S")
        text = f"-- Verify benchmark step {i}: {name.replace('_', ' ')}\n\n-- migrate:up\n{up}\n-- migrate:down\n{down}"
        (folder / f"{stamp}_{name}_{i:05d}.sql").write_text(text)
        ups.append(up)
    (out / "all.sql").write_text("\n".join(ups))


if __name__ == "__main__":
    main()
