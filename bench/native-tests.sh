#!/usr/bin/env bash
# The CLI integration tests against the native AOT binary instead of the in-memory command tree.
#
#   bash bench/native-tests.sh [FILTER]     (default: every test; e.g. "FullyQualifiedName~Cli")
#
# It publishes src/Strata.Cli with native AOT to bench/work/native (SKIP_BUILD=1 reuses it),
# then runs the test suite with STRATA_TEST_BINARY naming the binary: every StrataCli.RunAsync
# and StrataProcess run starts that executable with the test's environment (and PATH, HOME).
# Tests that build the command tree in memory (help snapshots, the command tree) still do.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH")
OUT=$BENCH/work/native
FILTER=${1:-}

if [[ ${SKIP_BUILD:-0} != 1 || ! -x $OUT/strata ]]; then
  echo "publishing the native binary to $OUT" >&2
  dotnet publish "$REPO/src/Strata.Cli" -c Release -r linux-x64 -p:PublishAot=true -o "$OUT" -nologo -v q
fi
"$OUT/strata" --version >&2

args=(test "$REPO/Strata.slnx" -m:1)
[[ -n $FILTER ]] && args+=(--filter "$FILTER")
STRATA_TEST_BINARY=$OUT/strata exec dotnet "${args[@]}"
