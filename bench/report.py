#!/usr/bin/env python3
"""Turns bench/work/timings.tsv into the results tables.

    python3 bench/report.py TIMINGS OUT_MD RESULTS_MD|'' key=value...

TIMINGS lines: tool <TAB> kind <TAB> run <TAB> value, where kind is apply or noop
(value = wall seconds), failed (value = why) or unavailable. OUT_MD gets the
tables; RESULTS_MD, when given, gets them between its begin/end markers.
"""
import pathlib
import statistics
import sys


LABELS = {
    "psql": "psql, one file, one transaction (floor)",
    "dbmate": "dbmate",
    "dbup": "DbUp (transaction per script)",
    "evolve": "Evolve",
    "strata": "Strata (native AOT)",
    "strata_jit": "Strata (framework-dependent, ReadyToRun)",
    "psql_loop": "psql per file",
}

COMMANDS = """\
psql -X -q -1 -v ON_ERROR_STOP=1 -h 127.0.0.1 -p PORT -U postgres -d DB -f bench/work/migrations/all.sql
bench/node_modules/.bin/dbmate --url "postgres://postgres@127.0.0.1:PORT/DB?sslmode=disable" \\
    --migrations-dir bench/work/migrations/dbmate --no-dump-schema up            # twice: apply, no-op
dotnet bench/Peers/bin/Release/net10.0/Peers.dll dbup \\
    "Host=127.0.0.1;Port=PORT;Username=postgres;Database=DB;Pooling=false" bench/work/migrations/dbup     # twice
dotnet bench/Peers/bin/Release/net10.0/Peers.dll evolve \\
    "Host=127.0.0.1;Port=PORT;Username=postgres;Database=DB;Pooling=false" bench/work/migrations/evolve   # twice
bench/work/strata/strata up --url postgresql://postgres@127.0.0.1:PORT/DB --dir bench/work/migrations/dbmate      # twice (AOT)
bench/work/strata-jit/strata up --url postgresql://postgres@127.0.0.1:PORT/DB --dir bench/work/migrations/dbmate  # twice (JIT)
for f in $(ls bench/work/migrations/dbup | head -n LOOP_N); do
    psql -X -q -1 -v ON_ERROR_STOP=1 -h 127.0.0.1 -p PORT -U postgres -d DB -f bench/work/migrations/dbup/$f
done
psql -X -tAc "SELECT 1" postgresql://postgres@127.0.0.1:PORT/DB                          # NOOP_REPS times, each next to:
bench/work/strata/strata up --url postgresql://postgres@127.0.0.1:PORT/DB --dir bench/work/migrations/dbmate
psql -X -tAc "SELECT 1" "$(strata dev url)"                                             # in a project with [migrations] dir, NOOP_REPS times, next to:
bench/work/strata/strata up                                                             # (the dev cluster: no --url)
# SCALE x N: the psql floor and the native binary on bench/work/migrations-xSCALE, RUNS times each"""


def fmt(seconds: float) -> str:
    return f"{seconds:.3f}"


def main() -> None:
    timings_path, out_path, results_path, *pairs = sys.argv[1:]
    meta = dict(pair.split("=", 1) for pair in pairs)
    n, loop_n = int(meta["n"]), int(meta["loop_n"])
    tag = meta.get("tag", "results")
    begin, end = f"<!-- bench:{tag}:begin -->", f"<!-- bench:{tag}:end -->"

    scale = int(meta.get("scale", "0"))
    apply: dict[str, list[float]] = {}
    noop: dict[str, list[float]] = {}
    query: dict[str, list[float]] = {}
    problems: list[str] = []
    order: list[str] = []
    for line in pathlib.Path(timings_path).read_text(encoding="utf-8").splitlines():
        tool, kind, run, value = line.split("\t", 3)
        if tool not in order:
            order.append(tool)
        if kind == "apply":
            apply.setdefault(tool, []).append(float(value))
        elif kind == "noop":
            noop.setdefault(tool, []).append(float(value))
        elif kind == "query":
            query.setdefault(tool, []).append(float(value))
        elif kind == "failed":
            problems.append(f"{LABELS.get(tool, tool)}: {value} (run {run}); its timings are left out.")
        else:
            problems.append(f"{LABELS.get(tool, tool)}: not measured ({value}).")
    # The native binary's own targets (no-op pairs, the scaled apply) have tables of their own.
    extra = [t for t in order if t.startswith(("psql_query_", "strata_noop_")) or t.endswith(f"_x{scale}")]
    order = [t for t in order if t not in extra]
    order.sort(key=lambda t: list(LABELS).index(t) if t in LABELS else len(LABELS))

    floor = statistics.median(apply["psql"]) if "psql" in apply else None
    dbup_noop = statistics.median(noop["dbup"]) if "dbup" in noop else None

    out = [
        f"Machine: {meta['nproc']} cores (nproc), {meta['postgres']}, data directory under {meta['datadir']}, fsync=off, autovacuum=off; "
        f"run {meta['date']} (load average {meta['load']}); .NET SDK {meta['dotnet']}; {meta['dbmate']}; Strata at commit {meta['strata_commit']}.",
        "",
        f"N = {n} migrations (table + index + comment each), RUNS = {meta['runs']}, "
        "every apply on a freshly created database; wall-clock seconds, median of the runs.",
        "",
        "### Apply N migrations to an empty database",
        "",
        "| Tool | Median (s) | × psql floor | Runs (s) |",
        "| --- | ---: | ---: | --- |",
    ]
    for tool in order:
        if tool not in apply:
            out.append(f"| {LABELS.get(tool, tool)} | failed | – | – |")
            continue
        runs = apply[tool]
        median = statistics.median(runs)
        label = LABELS.get(tool, tool)
        if tool == "psql_loop":
            factor = n / loop_n
            label += f" ({loop_n} files, run once, scaled ×{factor:g} to N)"
            median *= factor
        ratio = f"{median / floor:.2f}" if floor else "–"
        out.append(f"| {label} | {fmt(median)} | {ratio} | {', '.join(fmt(r) for r in runs)} |")

    out += [
        "",
        "### No-op: the same `up` again on the migrated database",
        "",
        "| Tool | Median (s) | × DbUp no-op | Runs (s) |",
        "| --- | ---: | ---: | --- |",
    ]
    for tool in order:
        if tool in ("psql", "psql_loop"):
            continue
        if tool not in noop:
            out.append(f"| {LABELS.get(tool, tool)} | failed | – | – |")
            continue
        runs = noop[tool]
        median = statistics.median(runs)
        ratio = f"{median / dbup_noop:.2f}" if dbup_noop else "–"
        out.append(f"| {LABELS.get(tool, tool)} | {fmt(median)} | {ratio} | {', '.join(fmt(r) for r in runs)} |")

    median = statistics.median
    strata_apply = median(apply["strata"]) if "strata" in apply else None
    if query:
        out += [
            "",
            "### No-op of the native binary against one psql query",
            "",
            f"{meta.get('noop_reps', '?')} pairs, interleaved: `psql -X -tAc 'SELECT 1'` (start, connect, one query, exit: "
            "the floor for any CLI that asks the database anything), then `strata up` with all N applied, on the same database.",
            "",
            "| Target | psql one query (s) | Strata no-op (s) | × psql | Strata runs (s) |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        for kind, label in (("url", "explicit `--url` (TCP, 127.0.0.1)"), ("dev", "the dev cluster (no `--url`; unix socket)")):
            q, m = query.get(f"psql_query_{kind}"), query.get(f"strata_noop_{kind}")
            if not q or not m:
                out.append(f"| {label} | failed | failed | – | – |")
                continue
            out.append(f"| {label} | {fmt(median(q))} | {fmt(median(m))} | {median(m) / median(q):.2f} | {', '.join(fmt(r) for r in m)} |")
    if scale > 1:
        big = f"x{scale}"
        out += [
            "",
            f"### Scale: {scale} × N = {scale * n} migrations",
            "",
            "| Tool | N (s) | " + f"{scale} × N (s) | ratio | Runs at {scale} × N (s) |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        for tool in ("psql", "strata"):
            runs = apply.get(f"{tool}_{big}")
            if not runs or tool not in apply:
                out.append(f"| {LABELS[tool]} | – | failed | – | – |")
                continue
            out.append(f"| {LABELS[tool]} | {fmt(median(apply[tool]))} | {fmt(median(runs))} | "
                       f"{median(runs) / median(apply[tool]):.2f} | {', '.join(fmt(r) for r in runs)} |")

    out += ["", "### Targets", ""]
    if strata_apply and floor:
        ratio = strata_apply / floor
        out.append(f"- Strata (native AOT) apply at most 1.0× the psql floor: **{'met' if ratio <= 1.0 else 'not met'}** ({ratio:.2f}×).")
    for kind, label in (("url", "over --url"), ("dev", "on the dev cluster")):
        q, m = query.get(f"psql_query_{kind}"), query.get(f"strata_noop_{kind}")
        if q and m:
            ratio = median(m) / median(q)
            out.append(f"- Strata (native AOT) no-op {label} at most 1.5× one psql query: **{'met' if ratio <= 1.5 else 'not met'}** ({ratio:.2f}×).")
    if scale > 1 and strata_apply and apply.get(f"strata_x{scale}"):
        ratio = median(apply[f"strata_x{scale}"]) / strata_apply
        limit = scale * 1.05
        out.append(f"- Strata (native AOT) {scale} × N at most {limit:g}× N (linear): **{'met' if ratio <= limit else 'not met'}** ({ratio:.2f}×).")
    for tool in ("strata", "strata_jit"):
        label = LABELS[tool]
        if tool in apply and floor:
            ratio = statistics.median(apply[tool]) / floor
            out.append(f"- {label} apply within 1.5× the psql floor: "
                       f"**{'met' if ratio <= 1.5 else 'not met'}** ({ratio:.2f}×).")
        else:
            out.append(f"- {label} apply within 1.5× the psql floor: **not measured**.")
        if tool in noop and dbup_noop:
            mine = statistics.median(noop[tool])
            out.append(f"- {label} no-op faster than DbUp's no-op: "
                       f"**{'met' if mine < dbup_noop else 'not met'}** ({fmt(mine)} s against {fmt(dbup_noop)} s).")
        else:
            out.append(f"- {label} no-op faster than DbUp's no-op: **not measured**.")

    if problems:
        out += ["", "### What did not run", ""] + [f"- {p}" for p in problems]

    out += ["", "### Commands timed", "",
            "PORT is the throwaway cluster's port, DB a fresh database per run.", "",
            "```sh", COMMANDS.replace("LOOP_N", str(loop_n)), "```", ""]
    text = "\n".join(out)
    pathlib.Path(out_path).write_text(text, encoding="utf-8")

    if results_path:
        path = pathlib.Path(results_path)
        current = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmark results\n\n{begin}\n{end}\n"
        if begin not in current or end not in current:
            current += f"\n{begin}\n{end}\n"
        head, rest = current.split(begin, 1)
        _, tail = rest.split(end, 1)
        path.write_text(f"{head}{begin}\n{text}\n{end}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
