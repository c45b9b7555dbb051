#!/usr/bin/env python3
"""Writes N migration files of ~50 statements each for the lint benchmark (strata lint next to squawk).

    python3 bench/generate_lint.py [--corrupt] [N] OUT_DIR      (N defaults to 1000; LINT_CORRUPT=1 = --corrupt)

OUT_DIR/strata/YYYYMMDDHHMMSS_lint_00001.sql   `-- description`, `-- migrate:up`, the statements,
                                               `-- migrate:down` and a plausible down section
OUT_DIR/squawk/00001.sql                       the same up statements only (squawk lints every statement)
OUT_DIR/manifest.json                          per file: both paths and, per statement, its id, kind, tags,
                                               text, the line of its id comment and its first and last
                                               line in each layout (1-based); with --corrupt, what was
                                               corrupted where

Every statement is preceded by a comment line `-- s00001_017` (file 1, statement 17) in both layouts,
so findings of either tool are matched to a statement by line range.

The statements are what a Supabase team writes: tables (some with serial/int ids, varchar(n) and
timestamp without time zone, some with bigint identity, text and timestamptz), indexes with and
without CONCURRENTLY (mostly on tables earlier files created, some on the file's own tables, a few on
tables no file created), ADD COLUMN with and without NOT NULL / DEFAULT, ALTER COLUMN TYPE, SET NOT
NULL, foreign keys and checks with and without NOT VALID (and the VALIDATE after), UNIQUE with and
without USING INDEX, renames, deprecation comments and drops (some after a deprecation at least 14
days earlier, most without), row level security and policies calling auth.uid(), grants to
authenticated, PL/pgSQL functions and triggers, DO blocks, UPDATE/DELETE with and without WHERE,
seed INSERTs and comments. The random generator is seeded: the same N gives the same files.

--corrupt: a tenth of the files (every file whose number is 5 mod 10) get one of: random bytes
spliced into a statement (nearly always invalid UTF-8), random valid UTF-8 text spliced in (NUL and
other control characters, quotes, semicolons, dollar signs, emoji, zero-width space, BOM), the file truncated in the middle of
a statement (the down section goes with it), or an unterminated literal (a string quote or a
dollar quote that never closes). The corrupted statement ids are recorded in the manifest.
"""
import datetime
import json
import pathlib
import random
import shutil
import sys

BASE = datetime.datetime(2023, 1, 2, 9, 0, 0)
NOUNS = ["orders", "invoices", "customers", "projects", "tasks", "comments", "teams", "members", "payments",
         "subscriptions", "events", "documents", "messages", "notifications", "expenses", "accounts", "reports",
         "audit_log", "sessions", "products", "inventory", "shipments", "contracts", "tickets", "conversations"]
COLUMN_WORDS = ["status", "title", "amount", "note", "reference", "priority", "category", "source", "label",
                "region", "currency", "score", "external_id", "summary", "channel", "kind", "owner_email", "phase"]
# Tables that exist in the database but no file in the corpus created (a baseline from before the folder).
BASELINE = ["profiles", "organizations", "legacy_users"]


class Table:
    def __init__(self, name, file_no, columns):
        self.name, self.file_no, self.columns = name, file_no, columns  # columns: dict name -> type
        self.indexes = []
        self.renamed = False       # an ALTER TABLE ... RENAME TO gave it its current name


class Gen:
    def __init__(self, n, seed=20251126):
        self.n = n
        self.r = random.Random(seed)
        self.tables = {}            # name -> Table (alive)
        self.counter = 0            # for unique names
        self.deprecated = []        # (table, column, file_no, when)
        self.deprecated_tables = []  # (table, file_no, when)
        self.functions = []
        self.when = BASE

    def uid(self):
        self.counter += 1
        return self.counter

    # ---------------------------------------------------------------- statement kinds

    def create_table(self, f):
        r = self.r
        name = f"{r.choice(NOUNS)}_{self.uid()}"
        bad = r.random() < 0.5
        cols, lines = {}, []
        if bad:
            idtype = r.choice(["serial", "integer", "bigserial", "int"])
            lines.append(f"id {idtype} PRIMARY KEY")
            cols["id"] = idtype
        else:
            lines.append("id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
            cols["id"] = "bigint"
        if r.random() < 0.7:
            lines.append("user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE")
            cols["user_id"] = "uuid"
        others = [t for t in self.tables.values() if t.file_no < f]
        if others and r.random() < 0.4:
            parent = r.choice(others)
            ptype = "integer" if bad and r.random() < 0.6 else "bigint"
            lines.append(f"{parent.name.rsplit('_', 1)[0]}_id {ptype} REFERENCES public.{parent.name} (id)")
            cols[f"{parent.name.rsplit('_', 1)[0]}_id"] = ptype
        for _ in range(r.randint(2, 5)):
            c = r.choice(COLUMN_WORDS)
            if c in cols:
                continue
            if bad:
                t = r.choice([f"varchar({r.choice([32, 64, 100, 255])})", "text", "integer", "numeric(12,2)", "boolean"])
            else:
                t = r.choice(["text", "bigint", "numeric(12,2)", "boolean", "jsonb"])
            nn = " NOT NULL" if r.random() < 0.3 else ""
            dflt = " DEFAULT ''" if nn and t in ("text",) else (" DEFAULT false" if nn and t == "boolean" else "")
            if nn and not dflt:
                nn = ""
            lines.append(f"{c} {t}{nn}{dflt}")
            cols[c] = t
        ts = "timestamp" if bad and r.random() < 0.8 else "timestamptz"
        if bad and r.random() < 0.3:
            ts = "timestamp without time zone"
        lines.append(f"created_at {ts} NOT NULL DEFAULT now()")
        lines.append(f"updated_at {ts}")
        cols["created_at"] = ts
        cols["updated_at"] = ts
        ine = "IF NOT EXISTS " if r.random() < 0.5 else ""
        body = ",\n".join("  " + l for l in lines)
        self.tables[name] = Table(name, f, cols)
        tags = {"style": "bad" if bad else "good"}
        return [("create_table", f"CREATE TABLE {ine}public.{name} (\n{body}\n);", tags)], [f"DROP TABLE IF EXISTS public.{name};"]

    def pick_table(self, f, earlier=True):
        pool = [t for t in self.tables.values() if (t.file_no < f) == earlier]
        return self.r.choice(pool) if pool else None

    def create_index(self, f):
        r = self.r
        x = r.random()
        if x < 0.05:
            table, where = r.choice(BASELINE), "baseline"
            col = "created_at"
        else:
            t = self.pick_table(f, earlier=x >= 0.20) or self.pick_table(f, earlier=x < 0.20)
            if t is None:
                return None
            where = "earlier" if t.file_no < f else "same_file"
            table, col = t.name, r.choice(list(t.columns))
            if t.renamed:
                where += "_renamed"
        conc = r.random() < 0.4
        ine = r.random() < 0.6
        uniq = "UNIQUE " if r.random() < 0.1 else ""
        idx = f"idx_{table}_{col}_{self.uid()}"
        if table in self.tables:
            self.tables[table].indexes.append(idx)
        q = "public." if r.random() < 0.5 else ""
        sql = (f"CREATE {uniq}INDEX {'CONCURRENTLY ' if conc else ''}{'IF NOT EXISTS ' if ine else ''}{idx} "
               f"ON {q}{table}{' USING btree' if r.random() < 0.2 else ''} ({col});")
        return [("create_index", sql, {"table": where, "concurrently": conc})], [f"DROP INDEX IF EXISTS {idx};"]

    def drop_index(self, f):
        pool = [t for t in self.tables.values() if t.indexes and t.file_no < f]
        if not pool:
            return None
        t = self.r.choice(pool)
        idx = t.indexes.pop(self.r.randrange(len(t.indexes)))
        conc = self.r.random() < 0.5
        return [("drop_index", f"DROP INDEX {'CONCURRENTLY ' if conc else ''}IF EXISTS public.{idx};", {"concurrently": conc})], []

    def add_column(self, f):
        r = self.r
        t = self.pick_table(f) or self.pick_table(f, earlier=False)
        if t is None:
            return None
        c = f"{r.choice(COLUMN_WORDS)}_{self.uid()}"
        typ = r.choice(["text", "text", "varchar(64)", "integer", "bigint", "timestamp", "timestamptz", "boolean", "jsonb", "uuid", "int"])
        x = r.random()
        default = {"text": "'pending'", "varchar(64)": "'n/a'", "integer": "0", "int": "0", "bigint": "0", "timestamp": "now()",
                   "timestamptz": "now()", "boolean": "false", "jsonb": "'{}'::jsonb", "uuid": "gen_random_uuid()"}[typ]
        if x < 0.2:
            tail, tag = " NOT NULL", "not_null_no_default"
        elif x < 0.45:
            tail, tag = f" NOT NULL DEFAULT {default}", "not_null_default"
        elif x < 0.6:
            tail, tag = f" DEFAULT {default}", "default"
        else:
            tail, tag = "", "nullable"
        ine = "IF NOT EXISTS " if r.random() < 0.5 else ""
        sep = "\n  " if r.random() < 0.3 else " "
        t.columns[c] = typ
        return ([("add_column", f"ALTER TABLE public.{t.name}{sep}ADD COLUMN {ine}{c} {typ}{tail};",
                  {"null": tag, "type": typ, "table": "earlier" if t.file_no < f else "same_file"})],
                [f"ALTER TABLE public.{t.name} DROP COLUMN IF EXISTS {c};"])

    def alter_type(self, f):
        r = self.r
        t = self.pick_table(f)
        if t is None:
            return None
        cands = [c for c in t.columns if c not in ("id", "user_id")]
        if not cands:
            return None
        c = r.choice(cands)
        old = t.columns[c]
        if "timestamp" in old:
            new = r.choice(["timestamptz", "timestamp"])
            using = f" USING {c} AT TIME ZONE 'UTC'" if new == "timestamptz" else ""
        elif old.startswith("varchar") or old == "text":
            new, using = r.choice(["text", "varchar(512)"]), ""
        elif old in ("integer", "int", "serial"):
            new, using = "bigint", ""
        else:
            new, using = "text", f" USING {c}::text"
        t.columns[c] = new
        return [("alter_type", f"ALTER TABLE public.{t.name} ALTER COLUMN {c} TYPE {new}{using};", {"from": old, "to": new})], []

    def set_not_null(self, f):
        t = self.pick_table(f)
        if t is None:
            return None
        c = self.r.choice(list(t.columns))
        return [("set_not_null", f"ALTER TABLE public.{t.name} ALTER COLUMN {c} SET NOT NULL;", {})], \
            [f"ALTER TABLE public.{t.name} ALTER COLUMN {c} DROP NOT NULL;"]

    def add_fk(self, f):
        r = self.r
        t, parent = self.pick_table(f), self.pick_table(f)
        if t is None or parent is None:
            return None
        c = f"{parent.name.rsplit('_', 1)[0]}_ref_{self.uid()}"
        name = f"fk_{t.name}_{c}"
        nv = r.random() < 0.4
        out = [("add_column", f"ALTER TABLE public.{t.name} ADD COLUMN IF NOT EXISTS {c} bigint;", {"null": "nullable", "type": "bigint", "table": "earlier"}),
               ("add_fk", f"ALTER TABLE public.{t.name}\n  ADD CONSTRAINT {name} FOREIGN KEY ({c}) REFERENCES public.{parent.name} (id){' NOT VALID' if nv else ''};",
                {"not_valid": nv})]
        t.columns[c] = "bigint"
        if nv and r.random() < 0.7:
            out.append(("validate", f"ALTER TABLE public.{t.name} VALIDATE CONSTRAINT {name};", {}))
        return out, [f"ALTER TABLE public.{t.name} DROP CONSTRAINT IF EXISTS {name};", f"ALTER TABLE public.{t.name} DROP COLUMN IF EXISTS {c};"]

    def add_check(self, f):
        r = self.r
        t = self.pick_table(f) or self.pick_table(f, earlier=False)
        if t is None:
            return None
        c = r.choice(list(t.columns))
        name = f"chk_{t.name}_{c}_{self.uid()}"
        nv = r.random() < 0.4
        where = "earlier" if t.file_no < f else "same_file"
        return [("add_check", f"ALTER TABLE public.{t.name} ADD CONSTRAINT {name} CHECK ({c} IS NOT NULL){' NOT VALID' if nv else ''};",
                 {"not_valid": nv, "table": where})], [f"ALTER TABLE public.{t.name} DROP CONSTRAINT IF EXISTS {name};"]

    def add_unique(self, f):
        r = self.r
        t = self.pick_table(f)
        if t is None:
            return None
        c = r.choice(list(t.columns))
        name = f"uq_{t.name}_{c}_{self.uid()}"
        if r.random() < 0.5:
            return [("add_unique", f"ALTER TABLE public.{t.name} ADD CONSTRAINT {name} UNIQUE ({c});", {"using_index": False})], \
                [f"ALTER TABLE public.{t.name} DROP CONSTRAINT IF EXISTS {name};"]
        return [("create_index", f"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {name}_idx ON public.{t.name} ({c});",
                 {"table": "earlier", "concurrently": True}),
                ("add_unique", f"ALTER TABLE public.{t.name} ADD CONSTRAINT {name} UNIQUE USING INDEX {name}_idx;", {"using_index": True})], \
            [f"ALTER TABLE public.{t.name} DROP CONSTRAINT IF EXISTS {name};"]

    def rename(self, f):
        r = self.r
        t = self.pick_table(f)
        if t is None:
            return None
        if r.random() < 0.2 and t.name not in [d[0] for d in self.deprecated_tables]:
            new = f"{t.name.rsplit('_', 1)[0]}_v2_{self.uid()}"
            del self.tables[t.name]
            old, t.name, t.renamed = t.name, new, True
            self.tables[new] = t
            return [("rename_table", f"ALTER TABLE public.{old} RENAME TO {new};", {})], [f"ALTER TABLE public.{new} RENAME TO {old};"]
        cands = [c for c in t.columns if c not in ("id", "user_id")]
        if not cands:
            return None
        c = r.choice(cands)
        new = f"{c}_renamed_{self.uid()}"
        t.columns[new] = t.columns.pop(c)
        return [("rename_column", f"ALTER TABLE public.{t.name} RENAME COLUMN {c} TO {new};", {})], \
            [f"ALTER TABLE public.{t.name} RENAME COLUMN {new} TO {c};"]

    def deprecate(self, f):
        r = self.r
        t = self.pick_table(f)
        if t is None:
            return None
        if r.random() < 0.15:
            self.deprecated_tables.append((t.name, f, self.when))
            return [("deprecate", f"COMMENT ON TABLE public.{t.name} IS 'DEPRECATED: replaced by the v2 tables, drop after the next release';", {"what": "table"})], []
        cands = [c for c in t.columns if c not in ("id", "user_id")]
        if not cands:
            return None
        c = r.choice(cands)
        self.deprecated.append((t.name, c, f, self.when))
        return [("deprecate", f"COMMENT ON COLUMN public.{t.name}.{c} IS 'DEPRECATED: no longer written by the app';", {"what": "column"})], []

    def drop_column(self, f):
        r = self.r
        ripe = [d for d in self.deprecated if d[2] < f and d[0] in self.tables and d[1] in self.tables[d[0]].columns]
        if ripe and r.random() < 0.5:
            tname, c, _, when = r.choice(ripe)
            self.deprecated = [d for d in self.deprecated if (d[0], d[1]) != (tname, c)]
            age = (self.when - when).total_seconds() / 86400
            tag = "deprecated_ok" if age >= 14 else "deprecated_too_recent"
        else:
            t = self.pick_table(f)
            if t is None:
                return None
            cands = [c for c in t.columns if c not in ("id", "user_id")]
            if not cands:
                return None
            tname, c = t.name, r.choice(cands)
            earlier = [d for d in self.deprecated if (d[0], d[1]) == (tname, c) and d[2] < f]
            tag = "not_deprecated" if not earlier else \
                "deprecated_ok" if (self.when - earlier[-1][3]).total_seconds() / 86400 >= 14 else "deprecated_too_recent"
            self.deprecated = [d for d in self.deprecated if (d[0], d[1]) != (tname, c)]
        self.tables[tname].columns.pop(c, None)
        ie = "IF EXISTS " if r.random() < 0.5 else ""
        return [("drop_column", f"ALTER TABLE public.{tname} DROP COLUMN {ie}{c};", {"deprecation": tag})], \
            [f"ALTER TABLE public.{tname} ADD COLUMN IF NOT EXISTS {c} text;"]

    def drop_table(self, f):
        r = self.r
        ripe = [d for d in self.deprecated_tables if d[1] < f and d[0] in self.tables]
        if ripe and r.random() < 0.6:
            tname, _, when = r.choice(ripe)
            self.deprecated_tables = [d for d in self.deprecated_tables if d[0] != tname]
            tag = "deprecated_ok" if (self.when - when).total_seconds() / 86400 >= 14 else "deprecated_too_recent"
        else:
            t = self.pick_table(f)
            if t is None or len(self.tables) < 10:
                return None
            tname = t.name
            earlier = [d for d in self.deprecated_tables if d[0] == tname and d[1] < f]
            tag = "not_deprecated" if not earlier else \
                "deprecated_ok" if (self.when - earlier[-1][2]).total_seconds() / 86400 >= 14 else "deprecated_too_recent"
            self.deprecated_tables = [d for d in self.deprecated_tables if d[0] != tname]
        del self.tables[tname]
        return [("drop_table", f"DROP TABLE {'IF EXISTS ' if r.random() < 0.6 else ''}public.{tname};", {"deprecation": tag})], []

    def rls(self, f):
        r = self.r
        t = self.pick_table(f) or self.pick_table(f, earlier=False)
        if t is None:
            return None
        out = [("enable_rls", f"ALTER TABLE public.{t.name} ENABLE ROW LEVEL SECURITY;", {})]
        if "user_id" in t.columns:
            op = r.choice(["SELECT", "INSERT", "UPDATE", "DELETE", "ALL"])
            pol = f"{t.name}_{op.lower()}_own"
            clause = "WITH CHECK" if op == "INSERT" else "USING"
            guarded = r.random() < 0.8
            if guarded:
                out.append(("drop_policy", f'DROP POLICY IF EXISTS "{pol}" ON public.{t.name};', {}))
            out.append(("create_policy", f'CREATE POLICY "{pol}" ON public.{t.name}\n  FOR {op} TO authenticated\n  {clause} (auth.uid() = user_id);',
                        {"guarded": guarded}))
        return out, [f"ALTER TABLE public.{t.name} DISABLE ROW LEVEL SECURITY;"]

    def grant(self, f):
        t = self.pick_table(f) or self.pick_table(f, earlier=False)
        if t is None:
            return None
        privs = self.r.choice(["SELECT", "SELECT, INSERT", "SELECT, INSERT, UPDATE", "SELECT, INSERT, UPDATE, DELETE"])
        role = self.r.choice(["authenticated", "authenticated", "anon", "service_role"])
        return [("grant", f"GRANT {privs} ON TABLE public.{t.name} TO {role};", {})], [f"REVOKE {privs} ON TABLE public.{t.name} FROM {role};"]

    def function(self, f):
        r = self.r
        t = self.pick_table(f) or self.pick_table(f, earlier=False)
        if t is None:
            return None
        fn = f"handle_{t.name}_{self.uid()}"
        self.functions.append(fn)
        if "updated_at" in t.columns and r.random() < 0.6:
            body = ("BEGIN\n"
                    "  NEW.updated_at := now();\n"
                    "  IF TG_OP = 'INSERT' AND NEW.created_at IS NULL THEN\n"
                    "    NEW.created_at := now();\n"
                    "  END IF;\n"
                    "  RETURN NEW;\n"
                    "END;")
            out = [("function", f"CREATE OR REPLACE FUNCTION public.{fn}()\nRETURNS trigger\nLANGUAGE plpgsql\nAS $$\n{body}\n$$;", {}),
                   ("drop_trigger", f"DROP TRIGGER IF EXISTS trg_{fn} ON public.{t.name};", {}),
                   ("create_trigger", f"CREATE TRIGGER trg_{fn}\n  BEFORE INSERT OR UPDATE ON public.{t.name}\n  FOR EACH ROW EXECUTE FUNCTION public.{fn}();", {})]
            return out, [f"DROP TRIGGER IF EXISTS trg_{fn} ON public.{t.name};", f"DROP FUNCTION IF EXISTS public.{fn}();"]
        body = ("DECLARE\n"
                "  total bigint;\n"
                "BEGIN\n"
                f"  SELECT count(*) INTO total FROM public.{t.name} WHERE id > since_id;\n"
                "  IF total IS NULL THEN\n"
                "    RAISE EXCEPTION 'no rows in %', TG_TABLE_NAME;\n"
                "  END IF;\n"
                "  RETURN total;\n"
                "END;")
        sec = "SECURITY DEFINER\nSET search_path = public\n" if r.random() < 0.5 else ""
        return [("function", f"CREATE OR REPLACE FUNCTION public.{fn}(since_id bigint DEFAULT 0)\nRETURNS bigint\nLANGUAGE plpgsql\n{sec}AS $fn$\n{body}\n$fn$;", {})], \
            [f"DROP FUNCTION IF EXISTS public.{fn}(bigint);"]

    def do_block(self, f):
        typ = f"{self.r.choice(COLUMN_WORDS)}_type_{self.uid()}"
        vals = ", ".join(f"'{v}'" for v in self.r.sample(["draft", "active", "archived", "pending", "failed", "done"], 3))
        sql = ("DO $$\nBEGIN\n"
               f"  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = '{typ}') THEN\n"
               f"    CREATE TYPE public.{typ} AS ENUM ({vals});\n"
               "  END IF;\nEND\n$$;")
        return [("do_block", sql, {})], [f"DROP TYPE IF EXISTS public.{typ};"]

    def update(self, f):
        r = self.r
        t = self.pick_table(f) or self.pick_table(f, earlier=False)
        if t is None:
            return None
        c = r.choice([c for c in t.columns if c != "id"] or ["id"])
        val = {"uuid": "gen_random_uuid()", "boolean": "true", "jsonb": "'{}'::jsonb"}.get(t.columns[c], "DEFAULT")
        if "timestamp" in t.columns[c]:
            val = "now()"
        if r.random() < 0.3:
            return [("update", f"UPDATE public.{t.name} SET {c} = {val};", {"where": False})], []
        return [("update", f"UPDATE public.{t.name}\n  SET {c} = {val}\n  WHERE id IN (SELECT id FROM public.{t.name} WHERE {c} IS NULL LIMIT 1000);",
                 {"where": True})], []

    def delete(self, f):
        t = self.pick_table(f)
        if t is None:
            return None
        if self.r.random() < 0.2:
            return [("delete", f"DELETE FROM public.{t.name};", {"where": False})], []
        return [("delete", f"DELETE FROM public.{t.name} WHERE created_at < now() - interval '90 days';", {"where": True})], []

    def comment(self, f):
        t = self.pick_table(f) or self.pick_table(f, earlier=False)
        if t is None:
            return None
        if self.r.random() < 0.5:
            return [("comment", f"COMMENT ON TABLE public.{t.name} IS 'Owned by the {self.r.choice(NOUNS)} team; see the runbook.';", {})], []
        c = self.r.choice(list(t.columns))
        return [("comment", f"COMMENT ON COLUMN public.{t.name}.{c} IS 'Set by the application, never by hand';", {})], []

    def insert(self, f):
        t = self.pick_table(f)
        if t is None:
            return None
        return [("insert", f"INSERT INTO public.{t.name} (created_at) VALUES (now()), (now() - interval '1 day')\n  ON CONFLICT DO NOTHING;", {})], []

    KINDS = [("create_index", 6), ("add_column", 6), ("rls", 3), ("grant", 2), ("function", 2), ("update", 3),
             ("comment", 2), ("alter_type", 2), ("add_fk", 2), ("add_check", 2), ("add_unique", 2), ("rename", 1),
             ("deprecate", 1.5), ("drop_column", 1.5), ("drop_index", 1), ("do_block", 1.2), ("set_not_null", 1),
             ("delete", 0.6), ("insert", 0.8), ("drop_table", 0.25)]

    def file(self, f):
        """The statements of file f: [(kind, sql, tags)], down statements."""
        r = self.r
        self.when += datetime.timedelta(hours=r.randint(6, 30), minutes=r.randint(0, 59), seconds=r.randint(0, 59))
        target = r.randint(45, 55)
        stmts, down = [], []
        for _ in range(r.choice([1, 1, 2, 3]) if f > 1 else 8):
            s, d = self.create_table(f)
            stmts += s
            down += d
        names, weights = zip(*self.KINDS)
        while len(stmts) < target:
            kind = r.choices(names, weights)[0]
            got = getattr(self, kind)(f)
            if got is None:
                s, d = self.create_table(f)
            else:
                s, d = got
            stmts += s
            down += d
        return stmts, down


def corrupt(r, stmts, fno):
    """Corrupts one statement (bytes) of the list in place, dropping the ones after a truncation; returns (kind, index)."""
    kind = r.choice(["bytes", "text", "truncate", "unterminated"])
    i = r.randrange(len(stmts) // 4, len(stmts))
    k, raw, tags = stmts[i]
    sql = raw.decode()
    if kind == "bytes":
        pos = r.randrange(1, len(raw))
        junk = bytes(r.randrange(256) for _ in range(r.randint(4, 24)))
        stmts[i] = (k, raw[:pos] + junk + raw[pos:], tags)
    elif kind == "text":
        pos = r.randrange(1, len(raw))
        pool = "\x00\x01\x07\x1b\x7f;()'\"$\\,*{}[]|éß€😀\u200b\ufeff"
        junk = "".join(r.choice(pool) for _ in range(r.randint(4, 24))).encode()
        stmts[i] = (k, raw[:pos] + junk + raw[pos:], tags)
    elif kind == "truncate":
        pos = r.randrange(max(1, len(raw) // 3), max(2, len(raw) - 2))
        stmts[i] = (k, raw[:pos], tags)
        del stmts[i + 1:]
    else:
        if "$$" in sql:
            body = sql[:sql.rindex("$$")] + sql[sql.rindex("$$") + 2:]
        elif "'" in sql:
            j = sql.index("'")
            body = sql[:j] + sql[j + 1:]          # drops an opening quote: the closing one opens a literal that never ends
        else:
            body = sql[:-1] + " WHERE note = 'never closed;"
        stmts[i] = (k, body.encode(), tags)
    return kind, i


def main(argv):
    args = [a for a in argv if a != "--corrupt"]
    corrupting = "--corrupt" in argv or __import__("os").environ.get("LINT_CORRUPT") == "1"
    if len(args) == 1:
        args = ["1000"] + args
    if len(args) != 2 or not args[0].isdigit() or int(args[0]) < 1:
        sys.exit("usage: generate_lint.py [--corrupt] [N] OUT_DIR")
    n, out = int(args[0]), pathlib.Path(args[1])
    for sub in ("strata", "squawk"):
        shutil.rmtree(out / sub, ignore_errors=True)
        (out / sub).mkdir(parents=True)
    gen = Gen(n)
    cr = random.Random(7)
    manifest = {"n": n, "corrupt": corrupting, "files": []}
    for f in range(1, n + 1):
        stmts, down = gen.file(f)
        stmts = [(k, s.encode(), t) for k, s, t in stmts]
        bad = None
        if corrupting and f % 10 == 5:
            kind, i = corrupt(cr, stmts, f)
            bad = {"kind": kind, "statement": f"s{f:05d}_{i + 1:03d}"}
        stamp = gen.when.strftime("%Y%m%d%H%M%S")
        sname, qname = f"{stamp}_lint_{f:05d}.sql", f"{f:05d}.sql"
        head = f"-- lint benchmark file {f}: {stmts[0][0].replace('_', ' ')} and {len(stmts) - 1} more statements\n-- migrate:up\n".encode()
        sbuf, qbuf = bytearray(head), bytearray()
        entries = []
        for i, (kind, sql, tags) in enumerate(stmts):
            sid = f"s{f:05d}_{i + 1:03d}"
            e = {"id": sid, "kind": kind, "tags": tags, "text": sql.decode("utf-8", "replace")}
            for key, buf in (("strata", sbuf), ("squawk", qbuf)):
                marker = buf.count(b"\n") + 1
                buf += f"-- {sid}\n".encode() + sql + b"\n"
                e[key] = [marker, marker + 1, marker + sql.count(b"\n") + 1]   # id comment line, first line, last line
            entries.append(e)
        if not (bad and bad["kind"] == "truncate"):
            sbuf += b"\n-- migrate:down\n" + "\n".join(reversed(down)).encode() + b"\n"
        else:
            sbuf = sbuf[:-1]   # the truncated statement ends the file, no newline
            qbuf = qbuf[:-1]
        (out / "strata" / sname).write_bytes(bytes(sbuf))
        (out / "squawk" / qname).write_bytes(bytes(qbuf))
        manifest["files"].append({"strata": sname, "squawk": qname, "corrupted": bad, "statements": entries})
    (out / "manifest.json").write_text(json.dumps(manifest))
    total = sum(len(x["statements"]) for x in manifest["files"])
    print(f"{n} files, {total} statements in {out}" + (f", {sum(1 for x in manifest['files'] if x['corrupted'])} corrupted" if corrupting else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
