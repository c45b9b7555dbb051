#!/usr/bin/env bash
# End-to-end migration benchmark: Strata against psql, dbmate, DbUp and Evolve.
#
#   bash bench/run.sh [N] [RUNS]        (defaults: N=1000, RUNS=3)
#
# Environment knobs:
#   LOOP_N=200        files for the one-off "psql per file" loop (0 skips it)
#   SKIP_BUILD=1      reuse the already-built peers and Strata binaries
#   WRITE_RESULTS=0   leave bench/RESULTS.md alone (bench/work/results.md is always written)
#   BENCH_TMP=/tmp    parent of the throwaway cluster directory (e.g. /dev/shm for a RAM disk)
#   RESULTS_TAG=results  which marked section of bench/RESULTS.md to rewrite (bench:TAG:begin/end)
#   NOOP_REPS=11      no-op runs of the native binary, each next to one 'psql -X -tAc' query
#                     on the same database: once over --url, once on the dev cluster (0 skips)
#   SCALE=10          also apply SCALE x N migrations with the native binary and the psql
#                     floor, RUNS times each, to show the cost per migration stays flat (0 skips)
#
# One throwaway PostgreSQL 15 cluster serves the whole run; every timed apply
# starts from a freshly created database. See bench/README.md.
set -euo pipefail

N=${1:-1000}
RUNS=${2:-3}
LOOP_N=${LOOP_N:-200}
SKIP_BUILD=${SKIP_BUILD:-0}
WRITE_RESULTS=${WRITE_RESULTS:-1}
BENCH_TMP=${BENCH_TMP:-/tmp}
RESULTS_TAG=${RESULTS_TAG:-results}
NOOP_REPS=${NOOP_REPS:-11}
SCALE=${SCALE:-10}

[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "N must be a positive integer" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a positive integer" >&2; exit 2; }
[[ $LOOP_N =~ ^[0-9]+$ ]] || { echo "LOOP_N must be a number" >&2; exit 2; }
(( LOOP_N > N )) && LOOP_N=$N
[[ $NOOP_REPS =~ ^[0-9]+$ ]] || { echo "NOOP_REPS must be a number" >&2; exit 2; }
[[ $SCALE =~ ^[0-9]+$ ]] || { echo "SCALE must be a number" >&2; exit 2; }
(( SCALE * N <= 99999 )) || { echo "SCALE x N must be at most 99999 (table names have five digits)" >&2; exit 2; }

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH")
WORK=$BENCH/work
MIG=$WORK/migrations
LOG=$WORK/bench.log
TIMINGS=$WORK/timings.tsv
PG_BIN=/usr/lib/postgresql/15/bin
DBMATE=$BENCH/node_modules/.bin/dbmate
PEERS=$BENCH/Peers/bin/Release/net10.0/Peers.dll

# Tools read config from their working directory (dbmate: .env); run them from an empty one.
CWD=$WORK/cwd

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- prerequisites

install_prerequisites() {
  if [[ ! -x $PG_BIN/initdb ]] || ! command -v psql >/dev/null; then
    log "installing PostgreSQL 15 from apt"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 postgresql-client-15 >/dev/null
  fi
  if [[ ! -x $DBMATE ]]; then
    log "installing dbmate from npm (bench/package-lock.json)"
    # npm ci rejects this lock file over dbmate's optional per-platform packages (an npm quirk);
    # package.json pins dbmate exactly, so install gives the same version.
    npm install --prefix "$BENCH" --no-audit --no-fund >/dev/null
  fi
  [[ $SKIP_BUILD == 1 ]] && return 0

  log "building the DbUp/Evolve driver (Release)"
  dotnet build "$BENCH/Peers/Peers.csproj" -c Release -nologo -v q >>"$LOG" 2>&1 \
    || die "building bench/Peers failed; see $LOG"

  log "publishing Strata (Release, native AOT) to bench/work/strata"
  rm -rf "$WORK/strata" "$WORK/strata-jit"
  if ! dotnet publish "$REPO/src/Strata.Cli" -c Release -p:PublishAot=true -o "$WORK/strata" -nologo -v q >>"$LOG" 2>&1; then
    log "AOT publish failed (see $LOG); Strata AOT rows will be skipped"
    rm -rf "$WORK/strata"
  fi
  # Without native AOT, ReadyToRun code halves start-up, which is most of a no-op run.
  log "publishing Strata (Release, framework-dependent, ReadyToRun) to bench/work/strata-jit"
  if ! dotnet publish "$REPO/src/Strata.Cli" -c Release -p:PublishAot=false -p:PublishReadyToRun=true \
      -r "$(dotnet --info | awk '/RID:/ {print $2; exit}')" --self-contained false -o "$WORK/strata-jit" -nologo -v q >>"$LOG" 2>&1; then
    log "framework-dependent publish failed (see $LOG); Strata JIT rows will be skipped"
    rm -rf "$WORK/strata-jit"
  fi
}

# ---------------------------------------------------------------- the cluster

PGTMP=
DEVPROJ=
cleanup() {
  if [[ -n $DEVPROJ && -d $DEVPROJ ]]; then
    (cd "$DEVPROJ" && "$WORK/strata/strata" dev stop >/dev/null 2>&1) || true
    rm -rf "$DEVPROJ"
  fi
  if [[ -n $PGTMP && -d $PGTMP ]]; then
    if [[ -f $PGTMP/data/postmaster.pid ]]; then
      runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGTMP/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PGTMP"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_cluster() {
  PGTMP=$(mktemp -d "$BENCH_TMP/strata-bench.XXXXXX")
  chown postgres:postgres "$PGTMP"
  PORT=$(free_port)
  log "initdb + pg_ctl start in $PGTMP on 127.0.0.1:$PORT"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
    >>"$LOG" 2>&1 || die "initdb failed; see $LOG"
  # max_locks_per_transaction: the single-transaction psql floor takes ~6 locks per table;
  # the default copes at N=1000 but not far above it.
  # autovacuum=off: no catalog vacuum/analyze from one tool's run landing in the next one's timing.
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 \
    -o "-p $PORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c max_locks_per_transaction=1024 -c autovacuum=off" \
    start >>"$LOG" 2>&1 || { cat "$PGTMP/server.log" >&2 || true; die "pg_ctl start failed"; }
}

# Admin work goes over the unix socket; the timed tools all use TCP on 127.0.0.1.
admin() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h "$PGTMP" -p "$PORT" -U postgres -d postgres "$@"; }
query() { psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$PGTMP" -p "$PORT" -U postgres -d "$1" -c "$2"; }
fresh_db() { admin -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null; }
drop_db() { admin -c "DROP DATABASE IF EXISTS $1" >/dev/null; }

# ---------------------------------------------------------------- the tools

npgsql_cs() { echo "Host=127.0.0.1;Port=$PORT;Username=postgres;Database=$1;Pooling=false"; }

run_psql()       { psql -X -q -1 -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d "$1" -f "$MIG/all.sql"; }
run_dbmate()     { "$DBMATE" --url "postgres://postgres@127.0.0.1:$PORT/$1?sslmode=disable" --migrations-dir "$MIG/dbmate" --no-dump-schema up; }
run_dbup()       { dotnet "$PEERS" dbup "$(npgsql_cs "$1")" "$MIG/dbup"; }
run_evolve()     { dotnet "$PEERS" evolve "$(npgsql_cs "$1")" "$MIG/evolve"; }
run_strata()     { "$WORK/strata/strata" up --url "postgresql://postgres@127.0.0.1:$PORT/$1" --dir "$MIG/dbmate"; }
run_strata_jit() { "$WORK/strata-jit/strata" up --url "postgresql://postgres@127.0.0.1:$PORT/$1" --dir "$MIG/dbmate"; }

# The naive deploy script: one psql process (and one transaction) per file.
run_psql_loop() {
  local f
  for f in $(ls "$MIG/dbup" | head -n "$LOOP_N"); do
    psql -X -q -1 -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d "$1" -f "$MIG/dbup/$f"
  done
}

# Which tools have a no-op (second run on the migrated database) measurement.
has_noop() { [[ $1 != psql && $1 != psql_loop ]]; }

# ---------------------------------------------------------------- timing and checks

# timed TOOL DB: runs run_TOOL DB with its output in the log; prints wall seconds.
timed() {
  local start end ms
  start=$(date +%s%N)
  (cd "$CWD" && "run_$1" "$2") >>"$LOG" 2>&1 || return 1
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  printf '%d.%03d\n' $((ms / 1000)) $((ms % 1000))
}

# verify TOOL DB EXPECTED: the database holds EXPECTED benchmark tables (and history rows).
verify() {
  local tool=$1 db=$2 want=$3 got
  got=$(query "$db" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't%'")
  [[ $got == "$want" ]] || { log "$tool: expected $want tables in $db, found $got"; return 1; }
  case $tool in
    strata|strata_jit)
      got=$(query "$db" "SELECT count(*) FROM schema_versions WHERE status = 'applied'")
      [[ $got == "$want" ]] || { log "$tool: expected $want applied rows in schema_versions, found $got"; return 1; } ;;
    dbmate)
      got=$(query "$db" "SELECT count(*) FROM schema_migrations")
      [[ $got == "$want" ]] || { log "dbmate: expected $want rows in schema_migrations, found $got"; return 1; } ;;
    dbup)
      got=$(query "$db" "SELECT count(*) FROM schemaversions")
      [[ $got == "$want" ]] || { log "dbup: expected $want rows in schemaversions, found $got"; return 1; } ;;
  esac
}

declare -A BROKEN=()
record() { printf '%s\t%s\t%s\t%s\n' "$@" >>"$TIMINGS"; }
broken() {
  BROKEN[$1]=1
  record "$1" failed "$2" "$3"
  log "$1: $3 (run $2) -- dropping it from the rest of the benchmark; last log lines:"
  tail -n 15 "$LOG" | sed 's/^/    /' >&2
}

# measure TOOL RUN EXPECTED: fresh database, timed apply, check, timed no-op, check.
measure() {
  local tool=$1 run=$2 want=$3 db="bench_${1}_$2" t
  fresh_db "$db"
  printf '\n===== %s run %s: apply on %s\n' "$tool" "$run" "$db" >>"$LOG"
  if ! t=$(timed "$tool" "$db"); then broken "$tool" "$run" "apply exited non-zero"; drop_db "$db"; return; fi
  verify "$tool" "$db" "$want" || { broken "$tool" "$run" "apply left the wrong state"; drop_db "$db"; return; }
  record "$tool" apply "$run" "$t"
  log "$(printf '%-11s run %s apply %8ss' "$tool" "$run" "$t")"
  if has_noop "$tool"; then
    printf '\n===== %s run %s: no-op on %s\n' "$tool" "$run" "$db" >>"$LOG"
    if ! t=$(timed "$tool" "$db"); then broken "$tool" "$run" "no-op exited non-zero"; drop_db "$db"; return; fi
    verify "$tool" "$db" "$want" || { broken "$tool" "$run" "no-op changed the state"; drop_db "$db"; return; }
    record "$tool" noop "$run" "$t"
    log "$(printf '%-11s run %s no-op %8ss' "$tool" "$run" "$t")"
  fi
  drop_db "$db"
}

# ---------------------------------------------------------------- main

mkdir -p "$WORK" "$CWD"
: >"$LOG"
: >"$TIMINGS"

install_prerequisites
log "generating $N migrations in $MIG"
python3 "$BENCH/generate.py" "$N" "$MIG"
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
start_cluster

TOOLS=(psql dbmate dbup evolve)
[[ -x $WORK/strata/strata ]] && TOOLS+=(strata) || record strata unavailable - "AOT binary not built"
[[ -x $WORK/strata-jit/strata ]] && TOOLS+=(strata_jit) || record strata_jit unavailable - "framework-dependent binary not built"

# Interleave the tools within each round so drift on the machine hits all of them alike.
for ((run = 1; run <= RUNS; run++)); do
  log "round $run of $RUNS"
  for tool in "${TOOLS[@]}"; do
    [[ -n ${BROKEN[$tool]:-} ]] && continue
    measure "$tool" "$run" "$N"
  done
done

# ---------------------------------------------------------------- the native binary's own targets

# one_query URL_OR_ARGS...: one 'psql -X -tAc' query, the floor for any CLI that asks the
# database anything (start, connect, authenticate, one round trip, exit); prints wall seconds.
one_query() {
  local start end ms
  start=$(date +%s%N)
  psql -X -tAc "SELECT 1" "$@" >/dev/null 2>>"$LOG" || return 1
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  printf '%d.%03d\n' $((ms / 1000)) $((ms % 1000))
}

# strata_noop DIR ARGS...: one 'strata up' run from DIR that must find nothing to do; prints wall seconds.
strata_noop() {
  local dir=$1 start end ms
  shift
  start=$(date +%s%N)
  (cd "$dir" && "$WORK/strata/strata" up "$@") >>"$LOG" 2>&1 || return 1
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  printf '%d.%03d\n' $((ms / 1000)) $((ms % 1000))
}

# noop_against_query KIND DIR PSQL_TARGET STRATA_ARGS...: NOOP_REPS pairs, interleaved.
noop_against_query() {
  local kind=$1 dir=$2 target=$3 rep t
  shift 3
  for ((rep = 1; rep <= NOOP_REPS; rep++)); do
    t=$(one_query "$target") || { record "psql_query_$kind" failed "$rep" "psql query failed"; return; }
    record "psql_query_$kind" query "$rep" "$t"
    t=$(strata_noop "$dir" "$@") || { record "strata_noop_$kind" failed "$rep" "no-op exited non-zero"; return; }
    record "strata_noop_$kind" query "$rep" "$t"
  done
  log "no-op against one query ($kind): $NOOP_REPS pairs"
}

if [[ -x $WORK/strata/strata ]] && (( NOOP_REPS > 0 )); then
  db=bench_noop_url
  fresh_db "$db"
  if (cd "$CWD" && run_strata "$db") >>"$LOG" 2>&1 && verify strata "$db" "$N"; then
    noop_against_query url "$CWD" "postgresql://postgres@127.0.0.1:$PORT/$db" --url "postgresql://postgres@127.0.0.1:$PORT/$db" --dir "$MIG/dbmate"
  else
    record strata_noop_url failed 1 "apply before the no-op pairs failed"
  fi
  drop_db "$db"

  # The dev cluster: a project whose strata.toml names the benchmark folder, no --url at all.
  DEVPROJ=$(mktemp -d "$BENCH_TMP/strata-bench-dev.XXXXXX")
  printf '[migrations]\ndir = "%s"\n' "$MIG/dbmate" >"$DEVPROJ/strata.toml"
  if (cd "$DEVPROJ" && "$WORK/strata/strata" dev start && "$WORK/strata/strata" up) >>"$LOG" 2>&1; then
    dev_url=$(cd "$DEVPROJ" && "$WORK/strata/strata" dev url 2>>"$LOG")
    noop_against_query dev "$DEVPROJ" "$dev_url"
  else
    record strata_noop_dev failed 1 "dev start or the first up failed"
  fi
  (cd "$DEVPROJ" && "$WORK/strata/strata" dev stop) >>"$LOG" 2>&1 || true
  rm -rf "$DEVPROJ"
  DEVPROJ=
fi

if [[ -x $WORK/strata/strata ]] && (( SCALE > 1 )); then
  big=$((SCALE * N))
  log "generating $big migrations in $WORK/migrations-x$SCALE"
  python3 "$BENCH/generate.py" "$big" "$WORK/migrations-x$SCALE"
  for ((run = 1; run <= RUNS; run++)); do
    for tool in psql strata; do
      db="bench_${tool}_x${SCALE}_$run"
      fresh_db "$db"
      if t=$(MIG=$WORK/migrations-x$SCALE timed "$tool" "$db") && verify "$tool" "$db" "$big"; then
        record "${tool}_x$SCALE" apply "$run" "$t"
        log "$(printf '%-11s run %s apply x%s %8ss' "$tool" "$run" "$SCALE" "$t")"
      else
        record "${tool}_x$SCALE" failed "$run" "apply of $big failed or left the wrong state"
      fi
      drop_db "$db"
    done
  done
fi

if (( LOOP_N > 0 )); then
  log "psql per file: $LOOP_N files, once"
  measure psql_loop 1 "$LOOP_N"
fi

meta=(
  "n=$N" "runs=$RUNS" "loop_n=$LOOP_N" "scale=$SCALE" "noop_reps=$NOOP_REPS"
  "nproc=$(nproc)"
  "load=$LOAD_BEFORE before, $(cut -d" " -f1-3 /proc/loadavg) after"
  "postgres=$("$PG_BIN/postgres" --version)"
  "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  "strata_commit=$(git -C "$REPO" log -1 --format=%h -- src 2>/dev/null || echo unknown)"
  "datadir=$BENCH_TMP ($(df --output=fstype "$BENCH_TMP" | tail -n 1))"
  "tag=$RESULTS_TAG"
  "dbmate=$("$DBMATE" --version 2>/dev/null || echo unknown)"
  "dotnet=$(dotnet --version 2>/dev/null || echo unknown)"
)
results_md=$BENCH/RESULTS.md
[[ $WRITE_RESULTS == 1 ]] || results_md=
python3 "$BENCH/report.py" "$TIMINGS" "$WORK/results.md" "$results_md" "${meta[@]}"
log "done: bench/work/results.md${results_md:+ and bench/RESULTS.md}"
cat "$WORK/results.md"
