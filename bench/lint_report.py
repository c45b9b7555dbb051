#!/usr/bin/env python3
"""Writes bench/work/lint/lint.md from what bench/lint.sh recorded: the timings, both tools' findings
matched by statement id, and the corrupted-corpus run.

    python3 bench/lint_report.py WORK_DIR STRATA_RULES KEY=VALUE...

WORK_DIR holds corpus/manifest.json, strata.json, squawk.json, times.tsv, profile.tsv and, when the
corrupted run happened, corrupt/{manifest.json,strata.json,strata.stderr,strata.rc,squawk.json,
squawk.stderr,squawk.rc}. STRATA_RULES: the rule names the binary knows (comma separated, from
its SARIF driver). KEY=VALUE pairs are printed as the run's metadata.
"""
import bisect
import collections
import json
import pathlib
import statistics
import sys

# squawk rules -> the Strata rule with the same purpose, and what is expected to differ.
PAIRS = [
    (["require-concurrent-index-creation", "require-concurrent-index-deletion"], "require-concurrent-index",
     "Expected: squawk flags every CREATE INDEX without CONCURRENTLY; Strata exempts a table the same file creates (empty and unseen). "
     "`table=`: which table the index is on (earlier = an earlier file created it, same_file, baseline = no linted file created it, "
     "*_renamed = renamed since by ALTER TABLE ... RENAME TO)."),
    (["ban-drop-column", "ban-drop-table"], "ban-drop-without-deprecation",
     "Expected: Strata allows a drop at least 14 days after an earlier file's `COMMENT ... IS 'DEPRECATED ...'` "
     "(`deprecation=deprecated_ok`); squawk bans every drop."),
    (["renaming-column", "renaming-table"], "ban-rename", ""),
    (["prefer-timestamp-tz"], "prefer-timestamptz", "squawk's rule is spelled prefer-timestamp-tz."),
    (["changing-column-type"], "ban-column-type-change", "Strata exempts a table the same file creates."),
    (["adding-required-field"], "require-not-null-default",
     "In squawk 2.66 adding-required-field is ADD COLUMN ... NOT NULL without a default. Strata exempts a table the same file creates."),
    (["adding-not-nullable-field"], "require-check-before-set-not-null",
     "In squawk 2.66 adding-not-nullable-field is ALTER COLUMN ... SET NOT NULL. Strata accepts it after a VALIDATE CONSTRAINT on the "
     "same table earlier in the file (PostgreSQL 12+ then skips the scan), and exempts a table the same file creates."),
    (["constraint-missing-not-valid"], "require-not-valid",
     "squawk also flags ADD CONSTRAINT ... UNIQUE (which cannot be NOT VALID) under this rule; Strata only foreign keys and checks, "
     "and exempts a table the same file creates."),
    (["disallowed-unique-constraint"], "require-unique-using-index", "Strata exempts a table the same file creates."),
    (["prefer-bigint-over-int", "prefer-bigint-over-smallint"], "prefer-bigint", ""),
    (["prefer-identity"], "prefer-identity", ""),
    (["prefer-text-field"], "prefer-text", "Both read CREATE TABLE, ADD COLUMN and ALTER COLUMN ... TYPE."),
    (["prefer-robust-stmts"], "require-idempotent-guard",
     "Not in the issue's list, added because the purpose is the same (a statement that fails when the file runs again); "
     "squawk's rule is broader (any ALTER TABLE, ENABLE ROW LEVEL SECURITY, ...), Strata's knows DROP POLICY IF EXISTS + CREATE POLICY."),
]


def load_json(path):
    try:
        return json.loads(pathlib.Path(path).read_text(errors="replace")), None
    except (OSError, ValueError) as e:
        return None, f"{type(e).__name__}: {str(e)[:120]}"


class Corpus:
    """The manifest, with a line -> statement lookup per file and layout."""

    def __init__(self, path):
        self.m = json.loads(pathlib.Path(path).read_text())
        self.by_name = {}
        self.stmt = {}
        for f in self.m["files"]:
            for layout in ("strata", "squawk"):
                starts = [e[layout][0] for e in f["statements"]]
                self.by_name[(layout, f[layout])] = (f, starts)
            for e in f["statements"]:
                self.stmt[e["id"]] = (f, e)

    def locate(self, layout, file, line):
        """The statement id at LINE (1-based) of FILE, or None for a line outside every statement."""
        got = self.by_name.get((layout, pathlib.Path(file).name))
        if got is None:
            return None
        f, starts = got
        i = bisect.bisect_right(starts, line) - 1
        if i < 0:
            return None
        e = f["statements"][i]
        return e["id"] if line <= e[layout][2] else None


def flagged(findings, corpus, layout, rule_key, line_of):
    """rule -> set of statement ids with at least one finding of it; plus rule -> file-level count."""
    by_rule, outside = collections.defaultdict(set), collections.Counter()
    for f in findings:
        sid = corpus.locate(layout, f["file"], line_of(f))
        if sid is None:
            outside[f[rule_key]] += 1
        else:
            by_rule[f[rule_key]].add(sid)
    return by_rule, outside


def describe(corpus, sid):
    f, e = corpus.stmt[sid]
    text = " ".join(e["text"].split())
    if len(text) > 120:
        text = text[:117] + "..."
    tags = ", ".join(f"{k}={v}" for k, v in e["tags"].items())
    return f"`{sid}` {e['kind']}{f' ({tags})' if tags else ''}: `{text.replace('`', '')}`"


def breakdown(corpus, ids):
    c = collections.Counter()
    for sid in ids:
        _, e = corpus.stmt[sid]
        c[e["kind"] + "".join(f" {k}={v}" for k, v in sorted(e["tags"].items()) if k in ("table", "deprecation", "null", "concurrently", "not_valid", "using_index", "style"))] += 1
    return "; ".join(f"{k}: {v}" for k, v in c.most_common(5))


def fmt(x):
    return f"{x:.3f}"


def main():
    work, strata_rules = pathlib.Path(sys.argv[1]), set(sys.argv[2].split(","))
    meta = dict(a.split("=", 1) for a in sys.argv[3:])
    out = []
    p = out.append
    corpus = Corpus(work / "corpus/manifest.json")
    nstmts = sum(len(f["statements"]) for f in corpus.m["files"])

    # ------------------------------------------------------------ timings
    runs = collections.defaultdict(list)
    for line in (work / "times.tsv").read_text().splitlines():
        tool, run, wall, user, sys_, rss, rc = line.split("\t")
        runs[tool].append((float(wall), float(user) + float(sys_), int(rss), int(rc)))
    sdoc, serr = load_json(work / "strata.json")
    qdoc, qerr = load_json(work / "squawk.json")
    label = {"strata": "Strata (native AOT): `strata lint DIR --format json`", "squawk": "squawk 2.66.0: `squawk --reporter json DIR/*.sql`"}
    p(f"`strata lint` next to squawk on {corpus.m['n']} generated files ({nstmts} statements, bench/generate_lint.py), "
      f"{meta.get('nproc', '?')} cores, {len(runs['strata'])} runs each, alternating.\n")
    p("| tool | min s | median s | runs (s) | CPU s (user+sys, median) | CPU / wall | max RSS MB | exit code | findings |")
    p("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    counts = {"strata": len(sdoc["findings"]) if sdoc else "unreadable", "squawk": len(qdoc) if isinstance(qdoc, list) else "unreadable"}
    med = {}
    for tool in ("strata", "squawk"):
        r = runs[tool]
        walls = [x[0] for x in r]
        cpu = statistics.median(x[1] for x in r)
        med[tool] = (min(walls), statistics.median(walls))
        p(f"| {label[tool]} | {fmt(min(walls))} | {fmt(statistics.median(walls))} | {', '.join(fmt(w) for w in walls)} | {cpu:.2f} | "
          f"{cpu / statistics.median(walls):.2f} | {max(x[2] for x in r) / 1024:.0f} | {', '.join(sorted({str(x[3]) for x in r}))} | {counts[tool]} |")
    ratio_min, ratio_med = med["strata"][0] / med["squawk"][0], med["strata"][1] / med["squawk"][1]
    cpu_ratio = statistics.median(x[1] for x in runs["strata"]) / statistics.median(x[1] for x in runs["squawk"])
    p(f"\nStrata / squawk: **{ratio_med:.2f}x** by median, {ratio_min:.2f}x by min. Goal (Strata no slower than squawk on the same files): "
      f"**{'met' if ratio_med <= 1 else 'NOT met'}**. CPU time (less sensitive to other load on the machine): {cpu_ratio:.2f}x. Both exit 1 when they find something (Strata: an error-severity finding; squawk: any finding).\n")

    prof = work / "profile.tsv"
    if prof.exists():
        p("Where Strata's time goes (one run each, wall / CPU seconds):\n")
        p("| run | wall s | CPU s | CPU / wall |")
        p("| --- | ---: | ---: | ---: |")
        for line in prof.read_text().splitlines():
            what, wall, user, sys_ = line.split("\t")
            cpu = float(user) + float(sys_)
            p(f"| {what} | {float(wall):.3f} | {cpu:.2f} | {cpu / max(float(wall), 1e-9):.2f} |")
        p("")

    # ------------------------------------------------------------ agreement
    if sdoc is None or qdoc is None:
        p(f"Findings could not be compared: strata.json {serr or 'ok'}, squawk.json {qerr or 'ok'}.\n")
    else:
        s_by, s_out = flagged(sdoc["findings"], corpus, "strata", "rule", lambda f: f["line"])
        q_by, q_out = flagged(qdoc, corpus, "squawk", "rule_name", lambda f: f["line"] + 1)
        p("### Agreement by rule (statements flagged)\n")
        p("A statement counts as flagged by a side when at least one finding of the rules on that side lands in its lines; "
          "findings are matched by the `-- sNNNNN_MMM` comment before each statement in both layouts.\n")
        p("| squawk rule(s) | Strata rule | both | squawk only | Strata only |")
        p("| --- | --- | ---: | ---: | ---: |")
        details = []
        for qrules, srule, note in PAIRS:
            qset = set().union(*(q_by.get(r, set()) for r in qrules))
            exists = srule in strata_rules
            sset = s_by.get(srule, set())
            both, qonly, sonly = qset & sset, qset - sset, sset - qset
            name = srule if exists else f"{srule} (no Strata rule yet)"
            p(f"| {', '.join(qrules)} | {name} | {len(both)} | {len(qonly)} | {len(sonly)} |")
            details.append((qrules, srule, exists, note, qonly, sonly))
        p("")
        for qrules, srule, exists, note, qonly, sonly in details:
            if not exists:
                continue
            if not qonly and not sonly and not note:
                continue
            p(f"**{', '.join(qrules)} / {srule}.** {note}\n")
            for title, ids in (("squawk only", qonly), ("Strata only", sonly)):
                if not ids:
                    continue
                p(f"- {title} ({len(ids)}), by kind: {breakdown(corpus, ids)}")
                for sid in sorted(ids)[:5]:
                    p(f"  - {describe(corpus, sid)}")
            p("")
        missing = [s for _, s, ok, *_ in details if not ok]
        if missing:
            p(f"No Strata rule yet for: {', '.join(missing)}; each row's squawk findings are all differences.\n")
        mapped_q = {r for q, *_ in PAIRS for r in q}
        mapped_s = {s for _, s, _ in PAIRS}
        qother = collections.Counter({r: len(v) for r, v in q_by.items() if r not in mapped_q})
        qother.update(q_out)
        sother = collections.Counter({r: len(v) for r, v in s_by.items() if r not in mapped_s})
        sother.update(s_out)
        p("Rules without a counterpart (statements flagged; file-level findings added): "
          f"squawk {', '.join(f'{k} {v}' for k, v in qother.most_common()) or 'none'}; "
          f"Strata {', '.join(f'{k} {v}' for k, v in sother.most_common()) or 'none'}.\n")

    # ------------------------------------------------------------ corrupted corpus
    cw = work / "corrupt"
    if (cw / "manifest.json").exists():
        cc = Corpus(cw / "manifest.json")
        bad = [f for f in cc.m["files"] if f["corrupted"]]
        kinds = collections.Counter(f["corrupted"]["kind"] for f in bad)
        bad_ids = {f["corrupted"]["statement"]: f["corrupted"]["kind"] for f in bad}
        bad_files = {f["strata"]: f for f in bad} | {f["squawk"]: f for f in bad}
        p(f"### Corrupted corpus\n\nThe same generator with `--corrupt`: {len(bad)} of {cc.m['n']} files have one corrupted statement "
          f"({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}; bytes = random bytes spliced in, truncate = file cut inside the statement, "
          "text = random valid UTF-8 text spliced in (NUL and control characters included), unterminated = a quote or dollar quote that never closes).\n")
        p("| tool | exit code | crashed / panicked | output parses | syntax findings | corrupted files with one | corrupted statements flagged exactly | findings in clean files |")
        p("| --- | ---: | --- | --- | ---: | ---: | ---: | ---: |")
        per_kind = {}
        names = {"strata": "strata", "squawk": "squawk, all files", "squawk-utf8": "squawk, only the files that are valid UTF-8"}
        tools = [("strata", "strata", "rule", lambda f: f["line"], ("syntax", "file-format")),
                 ("squawk", "squawk", "rule_name", lambda f: f["line"] + 1, ("syntax-error",))]
        if (cw / "squawk-utf8.rc").exists():
            tools.append(("squawk-utf8", "squawk", "rule_name", lambda f: f["line"] + 1, ("syntax-error",)))
        for tool, layout, rule_key, line_of, syntax_rules in tools:
            rc = (cw / f"{tool}.rc").read_text().strip()
            err = (cw / f"{tool}.stderr").read_text(errors="replace")
            doc, derr = load_json(cw / f"{tool}.json")
            crashed = []
            if "panicked" in err:
                crashed.append("panicked")
            if "Unhandled exception" in err or "\n   at " in err:
                crashed.append("stack trace")
            if "Stack backtrace" in err:
                crashed.append("stopped with an error and a backtrace")
            if rc not in ("0", "1"):
                crashed.append(f"exit {rc}")
            findings = (doc["findings"] if tool == "strata" else doc) if doc is not None else []
            syn = [f for f in findings if f[rule_key] in syntax_rules]
            files_hit = {pathlib.Path(f["file"]).name for f in syn}
            exact = {cc.locate(layout, f["file"], line_of(f)) for f in syn} & set(bad_ids)
            clean = [f for f in syn if pathlib.Path(f["file"]).name not in bad_files]
            by_rule = collections.Counter(f[rule_key] for f in syn)
            p(f"| {names[tool]} | {rc} | {', '.join(crashed) or 'no'} | {'yes' if doc is not None else 'no: ' + derr} | "
              f"{len(syn)} ({', '.join(f'{k} {v}' for k, v in by_rule.items()) or '-'}) | "
              f"{len(files_hit & set(bad_files))} of {len(bad)} | {len(exact)} of {len(bad_ids)} | {len(clean)} |")
            per_kind[tool] = collections.Counter(bad_ids[s] for s in exact), \
                collections.Counter(bad_files[n]["corrupted"]["kind"] for n in files_hit & set(bad_files)), err
        p("")
        shown = list(per_kind)
        short = {"strata": "Strata", "squawk": "squawk (all)", "squawk-utf8": "squawk (UTF-8 files)"}
        p("| corruption | files | " + " | ".join(f"{short[t]}: files / statements flagged" for t in shown) + " |")
        p("| --- | ---: |" + " ---: |" * len(shown))
        for k in sorted(kinds):
            p(f"| {k} | {kinds[k]} | " + " | ".join(f"{per_kind[t][1][k]} / {per_kind[t][0][k]}" for t in shown) + " |")
        p("")
        p("An unterminated quote pairs with the next quote in the file, so the tools report the literal that never closes "
          "further down: the file is flagged, not always the corrupted statement. "
          "A truncated statement can still parse (a cut before an optional clause), so not every corruption is a syntax error; "
          "a file with invalid UTF-8 is one `file-format` finding for Strata (the file is not read further).\n")
        for tool in per_kind:
            err = per_kind[tool][2].strip()
            if err:
                lines = err.splitlines()
                p(f"{names[tool]}: stderr ({len(lines)} lines), first lines:\n\n```\n" + "\n".join(l[:160] for l in lines[:6]) + "\n```\n")

    p("Run: " + "; ".join(f"{k}={v}" for k, v in meta.items()) + "\n")
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
