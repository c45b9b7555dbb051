#!/usr/bin/env python3
"""Reads bench/live-traffic.sh's runs and writes one table: what the application saw per deploy.

    live_traffic_report.py WORK_DIR "NOTE" [RESULTS_MD]

Per run, from pgbench's per-transaction logs (-l): client latency p50/p99/max (under -R pgbench
measures a transaction's time from when it was scheduled, so a client held up by a lock also
shows the lateness of the transactions queued behind it, which is what its users feel); the longest stall (the longest
stretch in which no client completed a transaction); failed client transactions; and the deploy's
wall time. Writes WORK_DIR/results.md, and the marked section of RESULTS_MD when given.
"""
import glob
import json
import os
import re
import sys

BEGIN, END = "<!-- bench:live-traffic:begin -->", "<!-- bench:live-traffic:end -->"
LABELS = {
    "strata": "Strata, blocker check on (long_tx 500ms, lock_timeout 1s)",
    "psql": "psql -v ON_ERROR_STOP=1 -f, file by file (the strategy's deploy script)",
    "strata-off": "Strata, long_tx off (lock_timeout 1s and retries only)",
}


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def read_run(directory):
    with open(os.path.join(directory, "run.json")) as f:
        run = json.load(f)
    latencies, completions, failed = [], [], 0
    for path in glob.glob(os.path.join(directory, "tx.*")):
        with open(path) as f:
            for line in f:
                fields = line.split()
                if len(fields) < 6:
                    continue
                # client_id transaction_no time script_no time_epoch time_us [schedule_lag]
                if not fields[2].isdigit():
                    failed += 1  # "failed" or "skipped"
                    continue
                latencies.append(int(fields[2]) / 1000.0)
                completions.append(int(fields[4]) + int(fields[5]) / 1e6)
    with open(os.path.join(directory, "pgbench.out")) as f:
        out = f.read()
    match = re.search(r"number of failed transactions: (\d+)", out)
    failed = max(failed, int(match.group(1)) if match else 0)
    failed += len(re.findall(r"aborted", out))
    completions.sort()
    stall, stall_at = 0.0, 0.0
    for a, b in zip(completions, completions[1:]):
        if b - a > stall:
            stall, stall_at = b - a, a - run["start"]
    latencies.sort()
    deploy = open(os.path.join(directory, "deploy.out")).read()
    return {
        "name": run["run"],
        "transactions": len(latencies),
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "max": latencies[-1] if latencies else float("nan"),
        "stall_ms": stall * 1000,
        "stall_at": stall_at,
        "failed": failed,
        "deploy_s": run["deploy_end"] - run["deploy_start"],
        "retries": len(re.findall(r"^retrying ", deploy, re.M)),
    }


def table(runs, note):
    lines = [
        "| deploy | client p50 | client p99 | client max | longest stall (at) | failed client tx | transactions | deploy time | Strata retries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        lines.append(
            f"| {LABELS.get(r['name'], r['name'])} | {r['p50']:.1f} ms | {r['p99']:.1f} ms | {r['max']:.0f} ms | "
            f"{r['stall_ms']:.0f} ms (t={r['stall_at']:.1f} s) | {r['failed']} | {r['transactions']} | {r['deploy_s']:.1f} s | "
            f"{r['retries'] if r['name'] != 'psql' else '-'} |"
        )
    return "\n".join(lines) + f"\n\n{note}. Command: `bash bench/live-traffic.sh`.\n"


def main():
    work, note = sys.argv[1], sys.argv[2]
    results_md = sys.argv[3] if len(sys.argv) > 3 else None
    runs = [read_run(os.path.join(work, name)) for name in ("strata", "psql", "strata-off") if os.path.isdir(os.path.join(work, name))]
    text = table(runs, note)
    with open(os.path.join(work, "results.md"), "w") as f:
        f.write(text)
    print(text)
    if results_md:
        with open(results_md) as f:
            current = f.read()
        if BEGIN not in current:
            raise SystemExit(f"{results_md} has no {BEGIN} marker")
        head, rest = current.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(results_md, "w") as f:
            f.write(head + BEGIN + "\n" + text + END + tail)


if __name__ == "__main__":
    main()
