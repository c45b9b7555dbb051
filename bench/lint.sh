#!/usr/bin/env bash
# lint benchmark: `strata lint` next to squawk on the same N generated files, timings and findings
# matched statement by statement, then both tools on a corrupted copy of the corpus.
#
#   bash bench/lint.sh [N]              (default N=1000 files of ~50 statements)
#
# Environment knobs:
#   RUNS=3            timed runs of each tool, alternating
#   SKIP_BUILD=1      reuse bench/work/strata (the native binary bench/run.sh and verify.sh publish)
#   PROFILE=0         skip the extra Strata runs that show where its time goes (1 file, text format, one core)
#   CORRUPT=0         skip the corrupted-corpus robustness run
#   WRITE_RESULTS=0   leave bench/RESULTS.md alone (bench/work/lint/lint.md is always written)
#
# The goal (the lint issue): Strata takes no longer than squawk on the same files, native binary.
set -euo pipefail

N=${1:-1000}
RUNS=${RUNS:-3}
SKIP_BUILD=${SKIP_BUILD:-0}
PROFILE=${PROFILE:-1}
CORRUPT=${CORRUPT:-1}
WRITE_RESULTS=${WRITE_RESULTS:-1}
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "N must be a positive integer" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a positive integer" >&2; exit 2; }

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH")
WORK=$BENCH/work/lint
STRATA=$BENCH/work/strata/strata
SQUAWK=$BENCH/node_modules/.bin/squawk
LOG=$WORK/bench.log
CWD=$BENCH/work/cwd   # no strata.toml or .squawk.toml to pick up

log() { printf '[lint-bench %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

mkdir -p "$WORK" "$CWD"
: >"$LOG"

if [[ ! -x $SQUAWK ]]; then
  log "installing squawk-cli from npm (bench/package.json pins 2.66.0)"
  npm install --prefix "$BENCH" --no-audit --no-fund >/dev/null
fi
if [[ $SKIP_BUILD != 1 || ! -x $STRATA ]]; then
  log "publishing Strata (Release, native AOT) to bench/work/strata"
  dotnet publish "$REPO/src/Strata.Cli" -c Release -r linux-x64 -p:PublishAot=true -o "$BENCH/work/strata" -nologo -v q >>"$LOG" 2>&1 \
    || die "publish failed; see $LOG"
fi

log "generating $N files in $WORK/corpus"
python3 "$BENCH/generate_lint.py" "$N" "$WORK/corpus" >&2

# timed TOOL OUT ERR CMD...: runs CMD from the empty directory with stdout to OUT and stderr to ERR;
# prints wall, user, sys (seconds), max RSS (KB) and the exit code, tab-separated. Any exit code is data.
timed() {
  local out=$1 err=$2 rc=0 t0 t1; shift 2
  t0=$(date +%s%N)
  (cd "$CWD" && /usr/bin/time -f '%U\t%S\t%M' -o "$WORK/.time" "$@" >"$out" 2>"$err") || rc=$?
  t1=$(date +%s%N)
  printf '%s\t%s\t%s\n' "$(python3 -c "print(f'{($t1 - $t0) / 1e9:.3f}')")" "$(tail -n 1 "$WORK/.time")" "$rc"
}
run_strata() { timed "$1" "$2" "$STRATA" lint "$3/strata" --format json; }
run_squawk() { timed "$1" "$2" "$SQUAWK" --reporter json "$3"/squawk/*.sql; }

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
: >"$WORK/times.tsv"
for ((run = 1; run <= RUNS; run++)); do
  for tool in strata squawk; do
    line=$("run_$tool" "$WORK/$tool.json" "$WORK/$tool.stderr" "$WORK/corpus")
    printf '%s\t%s\t%s\n' "$tool" "$run" "$line" >>"$WORK/times.tsv"
    log "$(printf '%-6s run %s: %ss wall, exit %s' "$tool" "$run" "$(cut -f1 <<<"$line")" "$(cut -f5 <<<"$line")")"
    rc=$(cut -f5 <<<"$line")
    [[ $rc == 0 || $rc == 1 ]] || { cat "$WORK/$tool.stderr" >&2; die "$tool exited $rc on the clean corpus"; }
  done
done
LOAD_AFTER=$(cut -d" " -f1-3 /proc/loadavg)

rm -f "$WORK/profile.tsv"
if [[ $PROFILE == 1 ]]; then
  log "profile: Strata on 1 file, text format, one core; squawk on one core"
  first=$(ls "$WORK/corpus/strata" | sed -n 1p)
  mkdir -p "$WORK/one/strata" && rm -f "$WORK/one/strata/"* && cp "$WORK/corpus/strata/$first" "$WORK/one/strata/"
  prof() { local what=$1 line; shift; line=$(timed /dev/null "$WORK/profile.stderr" "$@"); printf '%s\t%s\n' "$what" "$(cut -f1-3 <<<"$line")" >>"$WORK/profile.tsv"; }
  prof "strata lint, 1 file, json (start-up and one file)" "$STRATA" lint "$WORK/one/strata" --format json
  prof "strata lint, $N files, json" "$STRATA" lint "$WORK/corpus/strata" --format json
  prof "strata lint, $N files, text" "$STRATA" lint "$WORK/corpus/strata" --format text
  prof "strata lint, $N files, json, one core (taskset -c 0)" taskset -c 0 "$STRATA" lint "$WORK/corpus/strata" --format json
  prof "squawk, $N files, json" "$SQUAWK" --reporter json "$WORK"/corpus/squawk/*.sql
  prof "squawk, $N files, json, one core (taskset -c 0)" taskset -c 0 "$SQUAWK" --reporter json "$WORK"/corpus/squawk/*.sql
fi

rm -rf "$WORK/corrupt"
if [[ $CORRUPT == 1 ]]; then
  log "corrupted corpus: $N files, a tenth of them corrupted"
  python3 "$BENCH/generate_lint.py" --corrupt "$N" "$WORK/corrupt" >&2
  for tool in strata squawk; do
    line=$("run_$tool" "$WORK/corrupt/$tool.json" "$WORK/corrupt/$tool.stderr" "$WORK/corrupt")
    cut -f5 <<<"$line" >"$WORK/corrupt/$tool.rc"
    log "$tool on the corrupted corpus: exit $(cut -f5 <<<"$line"), $(cut -f1 <<<"$line")s"
  done
  # squawk stops at the first file that is not UTF-8; run it again without those files, to see the rest.
  mapfile -t utf8 < <(python3 -c 'import pathlib, sys
for p in sorted(pathlib.Path(sys.argv[1]).glob("*.sql")):
    try: p.read_bytes().decode("utf-8"); print(p)
    except UnicodeDecodeError: pass' "$WORK/corrupt/squawk")
  line=$(timed "$WORK/corrupt/squawk-utf8.json" "$WORK/corrupt/squawk-utf8.stderr" "$SQUAWK" --reporter json "${utf8[@]}")
  cut -f5 <<<"$line" >"$WORK/corrupt/squawk-utf8.rc"
  log "squawk on the ${#utf8[@]} corrupted-corpus files that are UTF-8: exit $(cut -f5 <<<"$line")"
fi

# The rules this binary knows, from its SARIF driver (a rule added to src/ shows up without editing this script).
RULES=$(cd "$CWD" && "$STRATA" lint "$WORK/one/strata" --format sarif 2>/dev/null \
  | python3 -c 'import json, sys; print(",".join(r["id"] for r in json.load(sys.stdin)["runs"][0]["tool"]["driver"]["rules"]))' || true)
[[ -n $RULES ]] || RULES=$(cd "$CWD" && "$STRATA" lint "$WORK/corpus/strata/$(ls "$WORK/corpus/strata" | sed -n 1p)" --format sarif \
  | python3 -c 'import json, sys; print(",".join(r["id"] for r in json.load(sys.stdin)["runs"][0]["tool"]["driver"]["rules"]))')

meta=(
  "n=$N" "runs=$RUNS" "nproc=$(nproc)"
  "load=$LOAD_BEFORE before, $LOAD_AFTER after"
  "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  "strata_commit=$(git -C "$REPO" log -1 --format=%h -- src 2>/dev/null || echo unknown)"
  "strata_binary_built=$(date -u -r "$STRATA" "+%Y-%m-%d %H:%M UTC")"
  "squawk=$("$SQUAWK" --version 2>/dev/null || echo unknown)"
  "strata_rules=$RULES"
)
python3 "$BENCH/lint_report.py" "$WORK" "$RULES" "${meta[@]}" >"$WORK/lint.md"
cat "$WORK/lint.md"

if [[ $WRITE_RESULTS == 1 ]]; then
  python3 - "$BENCH/RESULTS.md" "$WORK/lint.md" <<'PY'
import pathlib, sys
results, section = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).read_text()
text = results.read_text()
begin, end = "<!-- bench:lint:begin -->", "<!-- bench:lint:end -->"
block = f"{begin}\n{section.rstrip()}\n{end}"
if begin in text and end in text:
    text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip() + "\n\n## lint (bench/lint.sh)\n\n" + block + "\n"
results.write_text(text)
PY
  log "bench/RESULTS.md updated (bench:lint section)"
fi
