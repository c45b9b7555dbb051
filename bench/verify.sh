#!/usr/bin/env bash
# verify benchmark: `strata verify` of N generated migrations, scratch cluster start included,
# next to `strata up` and the psql floor of the same files on a cluster of the script's own.
#
#   bash bench/verify.sh [N]            (default N=100)
#
# Environment knobs:
#   SKIP_BUILD=1      reuse bench/work/strata (the native binary bench/run.sh publishes)
#   WRITE_RESULTS=0   leave bench/RESULTS.md alone (bench/work/verify.md is always written)
#   BENCH_TMP=/tmp    parent of the reference cluster's directory
#
# The goal (the verify issue): N=100 in under 30 s on this machine, cluster start included.
set -euo pipefail

N=${1:-100}
SKIP_BUILD=${SKIP_BUILD:-0}
WRITE_RESULTS=${WRITE_RESULTS:-1}
BENCH_TMP=${BENCH_TMP:-/tmp}
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "N must be a positive integer" >&2; exit 2; }

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH")
WORK=$BENCH/work/verify
STRATA=$BENCH/work/strata/strata
PG_BIN=/usr/lib/postgresql/15/bin
LOG=$WORK/bench.log

log() { printf '[verify-bench %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

mkdir -p "$WORK"
: >"$LOG"

if [[ $SKIP_BUILD != 1 || ! -x $STRATA ]]; then
  log "publishing Strata (Release, native AOT) to bench/work/strata"
  dotnet publish "$REPO/src/Strata.Cli" -c Release -p:PublishAot=true -o "$BENCH/work/strata" -nologo -v q >>"$LOG" 2>&1 \
    || die "publish failed; see $LOG"
fi

log "generating $N migrations"
python3 "$BENCH/generate_verify.py" "$N" "$WORK"
mkdir -p "$WORK/cwd"

# The reference cluster: `strata up` and the psql floor of the same files, for the ratios.
PGTMP=
cleanup() {
  if [[ -n $PGTMP && -d $PGTMP ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGTMP/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PGTMP"
  fi
}
trap cleanup EXIT
PGTMP=$(mktemp -d "$BENCH_TMP/strata-verify-bench.XXXXXX")
chown postgres:postgres "$PGTMP"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
runuser -u postgres -- "$PG_BIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >>"$LOG" 2>&1 || die "initdb failed"
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 \
  -o "-p $PORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off" start >>"$LOG" 2>&1 || die "pg_ctl start failed"
admin() { psql -X -q -v ON_ERROR_STOP=1 -h "$PGTMP" -p "$PORT" -U postgres -d postgres "$@" >/dev/null; }

now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }

admin -c "CREATE DATABASE floor"
t0=$(now); psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d floor -f "$WORK/all.sql" >>"$LOG" 2>&1; t1=$(now)
FLOOR=$(elapsed "$t0" "$t1")
admin -c "CREATE DATABASE up"
t0=$(now); (cd "$WORK/cwd" && "$STRATA" up --url "postgresql://postgres@127.0.0.1:$PORT/up" --dir "$WORK/migrations" >>"$LOG" 2>&1); t1=$(now)
UP=$(elapsed "$t0" "$t1")

log "strata verify of $N migrations (its own throwaway cluster)"
t0=$(now)
set +e
(cd "$WORK/cwd" && "$STRATA" verify --dir "$WORK/migrations" --json >"$WORK/verify.json" 2>>"$LOG")
RC=$?
set -e
t1=$(now)
VERIFY=$(elapsed "$t0" "$t1")
log "strata verify on scratch databases of the reference cluster (--url)"
t0=$(now)
(cd "$WORK/cwd" && "$STRATA" verify --dir "$WORK/migrations" --url "postgresql://postgres@127.0.0.1:$PORT/postgres" --json >"$WORK/verify-url.json" 2>>"$LOG") || true
t1=$(now)
VERIFY_URL=$(elapsed "$t0" "$t1")

python3 - "$WORK/verify.json" "$N" "$RC" "$VERIFY" "$VERIFY_URL" "$UP" "$FLOOR" "$(nproc)" >"$WORK/verify.md" <<'PY'
import collections, json, sys
path, n, rc, verify, verify_url, up, floor, cores = sys.argv[1:]
n, verify, verify_url, up, floor = int(n), float(verify), float(verify_url), float(up), float(floor)
doc = json.load(open(path))
steps = collections.defaultdict(list)
for m in doc["migrations"]:
    for s in m["steps"]:
        steps[s["name"]].append(s["duration_ms"])
inside = sum(sum(v) for v in steps.values()) / 1000
print(f"`strata verify` of {n} generated migrations (bench/generate_verify.py: tables, columns with defaults, concurrent indexes,")
print(f"PL/pgSQL functions with RLS policies), native AOT binary, {cores} cores. Exit code {rc}; passed: {doc['passed']}; "
      f"{sum(m['verdict'] == 'passed' for m in doc['migrations'])} of {len(doc['migrations'])} migrations passed.\n")
print("| measure | seconds | per migration | vs `strata up` | vs psql floor |")
print("| --- | ---: | ---: | ---: | ---: |")
for label, value in [("verify, own throwaway cluster (start included)", verify), ("verify, scratch database on a running server (--url)", verify_url),
                     ("strata up of the same files", up), ("psql floor (-f all.sql, autocommit: CREATE INDEX CONCURRENTLY refuses -1)", floor)]:
    print(f"| {label} | {value:.2f} | {value / n * 1000:.0f} ms | {value / up:.1f}x | {value / floor:.1f}x |")
print(f"\nGoal: under 30 s for N=100 with the cluster start: {'met' if verify < 30 else 'NOT met'} ({verify:.2f} s). "
      f"Cluster start and setup outside the steps: {verify - inside:.2f} s.\n")
print("| step | total s | mean ms | max ms |")
print("| --- | ---: | ---: | ---: |")
for name, v in steps.items():
    print(f"| {name} ({len(v)} runs{', snapshots included' if name in ('apply', 'idempotency', 'rollback', 're-apply') else ''}) "
          f"| {sum(v) / 1000:.2f} | {sum(v) / len(v):.0f} | {max(v)} |")
PY
cat "$WORK/verify.md"

if [[ $WRITE_RESULTS == 1 ]]; then
  python3 - "$BENCH/RESULTS.md" "$WORK/verify.md" <<'PY'
import pathlib, sys
results, section = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).read_text()
text = results.read_text()
begin, end = "<!-- bench:verify:begin -->", "<!-- bench:verify:end -->"
block = f"{begin}\n{section}{end}"
if begin in text and end in text:
    text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip() + "\n\n## verify (bench/verify.sh)\n\n" + block + "\n"
results.write_text(text)
PY
  log "bench/RESULTS.md updated (bench:verify section)"
fi
exit "$RC"
