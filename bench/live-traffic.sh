#!/usr/bin/env bash
# Live-traffic benchmark (issue 19): the strategy's migration patterns applied to a 2M-row table
# while pgbench drives a steady read/write load and one session keeps a transaction open on the
# table for 20 s. Three runs on identical copies of the data:
#
#   strata       Strata with the blocker check (lock_timeout 1s, long_tx 500ms, lock_tries 8)
#   psql         the strategy's deploy script: psql -v ON_ERROR_STOP=1 -f, file by file
#   strata-off   Strata with long_tx = "off": lock_timeout and retries only
#
#   bash bench/live-traffic.sh
#
# Environment knobs:
#   SKIP_BUILD=1      reuse bench/work/strata/strata when it is there
#   WRITE_RESULTS=0   leave bench/RESULTS.md alone (bench/work/live-traffic/results.md is always written)
#   SCALE=20          pgbench scale (20 = 2M pgbench_accounts rows)
#   DURATION=50       seconds of load per run
#   BENCH_TMP=/tmp    parent of the throwaway cluster directory
#
# Run as root: the throwaway cluster runs as the postgres OS user, as in bench/run.sh.
# About 3.5 minutes on 2 cores without the build. See bench/README.md.
set -euo pipefail

SKIP_BUILD=${SKIP_BUILD:-0}
WRITE_RESULTS=${WRITE_RESULTS:-1}
SCALE=${SCALE:-20}
DURATION=${DURATION:-50}
BENCH_TMP=${BENCH_TMP:-/tmp}

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH")
WORK=$BENCH/work/live-traffic
STRATA=$BENCH/work/strata/strata
PG_BIN=/usr/lib/postgresql/15/bin
LOG=$WORK/bench.log

# The timeline of every run, in seconds from the start of the load.
BLOCKER_AT=2        # a report job opens its transaction on pgbench_accounts...
BLOCKER_FOR=20      # ...and keeps it open this long
MIGRATE_AT=10       # the deploy starts while the blocker has 12 s to go

log() { printf '[live-traffic %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

[[ $(id -u) == 0 ]] || die "run as root (the cluster is started as the postgres OS user)"
[[ -x $PG_BIN/pgbench && -x $PG_BIN/initdb ]] || die "PostgreSQL 15 server binaries and pgbench are needed under $PG_BIN"
command -v psql >/dev/null || die "psql is needed"
rm -rf "$WORK"
mkdir -p "$WORK"

if [[ $SKIP_BUILD == 1 && -x $STRATA ]]; then
  log "reusing $STRATA"
else
  log "publishing Strata (Release, native AOT) to bench/work/strata"
  dotnet publish "$REPO/src/Strata.Cli" -c Release -r linux-x64 -p:PublishAot=true -o "$BENCH/work/strata" -nologo -v q -m:1 >>"$LOG" 2>&1 \
    || die "publishing Strata failed; see $LOG"
fi

# ---------------------------------------------------------------- the cluster (as bench/run.sh)

PGTMP=
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ -n $PGTMP && -d $PGTMP ]]; then
    if [[ -f $PGTMP/data/postmaster.pid ]]; then
      runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGTMP/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PGTMP"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PGTMP=$(mktemp -d "$BENCH_TMP/strata-live.XXXXXX")
chown postgres:postgres "$PGTMP"
log "initdb + pg_ctl start in $PGTMP on 127.0.0.1:$PORT"
runuser -u postgres -- "$PG_BIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >>"$LOG" 2>&1 \
  || die "initdb failed; see $LOG"
# fsync off: the figures are about lock queues, not about this VM's disk. Autovacuum stays on, as in production.
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 \
  -o "-p $PORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50" start >>"$LOG" 2>&1 \
  || { cat "$PGTMP/server.log" >&2 || true; die "pg_ctl start failed"; }

export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres
admin() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }

log "pgbench -i -s $SCALE (the data every run starts from)"
admin -c "CREATE DATABASE base"
"$PG_BIN/pgbench" -i -s "$SCALE" -q base >>"$LOG" 2>&1 || die "pgbench -i failed; see $LOG"

# ---------------------------------------------------------------- the migrations

# The strategy's patterns, one file each, written for Strata (markers) and for psql (up only).
write_migrations() {
  local dir=$1
  mkdir -p "$dir/strata" "$dir/psql"
  migration() {  # name marker-options up-sql
    printf -- '-- %s\n-- migrate:up%s\n%s\n' "$1" "${2:+ $2}" "$3" >"$dir/strata/$1.sql"
    printf '%s\n' "$3" >"$dir/psql/$1.sql"
  }
  migration 20251101000001_add_note_column "" \
    "ALTER TABLE pgbench_accounts ADD COLUMN IF NOT EXISTS note text DEFAULT 'none';"
  migration 20251101000002_index_bid_abalance "transaction:false" \
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS pgbench_accounts_bid_abalance ON pgbench_accounts (bid, abalance);"
  migration 20251101000003_add_abalance_check "" \
    "ALTER TABLE pgbench_accounts ADD CONSTRAINT abalance_sane CHECK (abalance > -100000000) NOT VALID;"
  migration 20251101000004_validate_abalance_check "" \
    "ALTER TABLE pgbench_accounts VALIDATE CONSTRAINT abalance_sane;"
  local batches="" b
  for b in 0 1 2 3 4; do
    batches+="UPDATE pgbench_accounts SET note = 'migrated' WHERE aid > $((b * 20000)) AND aid <= $(((b + 1) * 20000));"$'\n'
  done
  migration 20251101000005_backfill_note "transaction:false" "$batches"
}
write_migrations "$WORK/migrations"

# ---------------------------------------------------------------- one run

# run NAME: a fresh copy of the data, the load, the blocker, the deploy; logs under $WORK/NAME.
run() {
  local name=$1 out=$WORK/$1
  mkdir -p "$out"
  admin -c "CREATE DATABASE run_${name//-/_} TEMPLATE base"
  local db=run_${name//-/_}
  cat >"$out/strata.toml" <<EOF
[migrations]
dir = "$WORK/migrations/strata"
lock_timeout = "1s"
lock_tries = 8
long_tx = "$([[ $name == strata-off ]] && echo off || echo 500ms)"
EOF
  log "run $name: ${DURATION}s of load; blocker at ${BLOCKER_AT}s for ${BLOCKER_FOR}s; deploy at ${MIGRATE_AT}s"
  # Four clients, 100 transactions a second in all: a latency log entry per transaction, so a
  # stall shows as latency, not as fewer transactions (-R schedules them regardless).
  (cd "$out" && exec "$PG_BIN/pgbench" -n -c 4 -j 2 -R 100 -T "$DURATION" -P 5 -l --log-prefix=tx "$db" >"$out/pgbench.out" 2>&1) &
  local bench=$!
  PIDS+=("$bench")
  local start; start=$(date +%s.%N)
  sleep "$BLOCKER_AT"
  PGAPPNAME=report-job psql -X -q -d "$db" -c "BEGIN; SELECT count(*) FROM pgbench_accounts WHERE aid <= 1000; SELECT pg_sleep($BLOCKER_FOR); COMMIT;" \
    >"$out/blocker.out" 2>&1 &
  PIDS+=("$!")
  sleep "$(python3 -c "print(max(0, $MIGRATE_AT - ($(date +%s.%N) - $start)))")"
  local t0 t1 status=0
  t0=$(date +%s.%N)
  if [[ $name == psql ]]; then
    local f
    for f in "$WORK/migrations/psql/"*.sql; do
      psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$f" >>"$out/deploy.out" 2>&1 || { status=$?; break; }
    done
  else
    (cd "$out" && "$STRATA" up --url "postgresql://postgres@127.0.0.1:$PORT/$db") >"$out/deploy.out" 2>&1 || status=$?
  fi
  t1=$(date +%s.%N)
  wait "$bench" || log "pgbench exited with $? in run $name (see $out/pgbench.out)"
  python3 -c "import json; print(json.dumps({'run': '$name', 'start': $start, 'deploy_start': $t0, 'deploy_end': $t1, 'deploy_status': $status}))" >"$out/run.json"
  log "run $name: deploy exit $status in $(python3 -c "print(round($t1 - $t0, 1))") s"
  (( status == 0 )) || { sed 's/^/  /' "$out/deploy.out" >&2; die "the $name deploy failed"; }
}

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
run strata
run psql
run strata-off
LOAD_AFTER=$(cut -d" " -f1-3 /proc/loadavg)

results_md=$BENCH/RESULTS.md
[[ $WRITE_RESULTS == 1 ]] || results_md=
python3 "$BENCH/live_traffic_report.py" "$WORK" "load average $LOAD_BEFORE before, $LOAD_AFTER after; pgbench -s $SCALE, 4 clients, -R 100, ${DURATION}s; Strata at commit $(git -C "$REPO" rev-parse --short HEAD)" ${results_md:+"$results_md"}
log "done: $WORK/results.md${results_md:+ and bench/RESULTS.md}"
