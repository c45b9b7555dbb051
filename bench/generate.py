#!/usr/bin/env python3
"""Writes N benchmark migrations in every layout the benchmarked tools want.

    python3 bench/generate.py N OUT_DIR

OUT_DIR/dbmate/  YYYYMMDDHHMMSS_create_table_00001.sql  (Strata and dbmate: up/down markers)
OUT_DIR/evolve/  V1__create_table_00001.sql             (Evolve: up SQL only)
OUT_DIR/dbup/    00001_create_table.sql                 (DbUp: up SQL only, sorts by name)
OUT_DIR/all.sql  every up section, in order              (the psql floor)

Migration i creates table tNNNNN, an index on it and a comment on it. Versions are
real timestamps: 2025-01-01 00:00:00 UTC plus i seconds.
"""
import datetime
import pathlib
import shutil
import sys

BASE = datetime.datetime(2025, 1, 1, 0, 0, 0)


def up_sql(i: int) -> str:
    t = f"t{i:05d}"
    return (
        f"CREATE TABLE {t} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        f"name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\n"
        f"CREATE INDEX {t}_name_idx ON {t} (name);\n"
        f"COMMENT ON TABLE {t} IS 'benchmark table {i}';\n"
    )


def main() -> None:
    if len(sys.argv) != 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit("usage: generate.py N OUT_DIR")
    n, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    if n > 99999:
        sys.exit("N must be at most 99999 (table names have five digits)")

    layouts = {name: out / name for name in ("dbmate", "evolve", "dbup")}
    for folder in layouts.values():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)

    with open(out / "all.sql", "w", encoding="utf-8") as concatenated:
        for i in range(1, n + 1):
            version = (BASE + datetime.timedelta(seconds=i)).strftime("%Y%m%d%H%M%S")
            up = up_sql(i)
            (layouts["dbmate"] / f"{version}_create_table_{i:05d}.sql").write_text(
                f"-- Create table t{i:05d}\n-- migrate:up\n{up}\n-- migrate:down\nDROP TABLE t{i:05d};\n",
                encoding="utf-8")
            (layouts["evolve"] / f"V{i}__create_table_{i:05d}.sql").write_text(up, encoding="utf-8")
            (layouts["dbup"] / f"{i:05d}_create_table.sql").write_text(up, encoding="utf-8")
            concatenated.write(up)


if __name__ == "__main__":
    main()
