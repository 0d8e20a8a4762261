#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Crash safety of the usage store (docs/usage_store.md): a throwaway server
# with perf_advisor_snapshot_interval=1, a workload that keeps reading some
# indexes, then --cycles times (default 50): kill -9 at a random moment
# (many of them while a snapshot is being written), check the file left
# behind, restart on the same datadir, check what the plugin loaded and
# shows.  Every step is bounded (60 s per start, 120 s for the final
# shutdown).  Ends with "N passed, N failed".
#   scripts/crash-cycles.sh [--cycles N] [--keep]
# See docs/reliability.md.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
ST_NAME=crash-cycles
CYCLES=50
while [ $# -gt 0 ]; do
  case $1 in
    --cycles) CYCLES=$2; shift 2 ;;
    --cycles=*) CYCLES=${1#*=}; shift ;;
    --keep) ST_KEEP=1; shift ;;
    *) echo "usage: $0 [--cycles N] [--keep]" >&2; exit 2 ;;
  esac
done
. "$REPO/scripts/stress/common.sh"

st_prepare
# The driver starts, kills and restarts the server itself, with this
# command line; it also stops it at the end.
st_cmd --loose-perf-advisor-snapshot-interval=1 \
  --loose-perf-advisor-max-staleness-ms=0
ulimit -c unlimited 2>/dev/null || true
say "datadir $ST_DATA; $CYCLES cycles"
perl "$REPO/scripts/stress/crash.pl" --cycles "$CYCLES" --dir "$ST_TMP" \
  --datadir "$ST_DATA" --socket "$ST_SOCK" --log "$ST_LOG" -- "${ST_CMD[@]}" \
  >"$ST_TMP/crash.out" 2>"$ST_TMP/crash.err"
rc=$?
[ -s "$ST_TMP/crash.err" ] && sed 's/^/crash.pl: /' "$ST_TMP/crash.err" >&2
check "crash driver ran to its end" "$([ $rc = 0 ] && echo 1 || echo 0)" \
  "exit $rc"
while IFS=$'\t' read -r kind a b c; do
  case $kind in
    INFO) say "$a" ;;
    CHECK) check "$b" "$([ "$a" = ok ] && echo 1 || echo 0)" "$c" ;;
  esac
done <"$ST_TMP/crash.out"

# The whole error log: kill -9 leaves only crash-recovery notes behind;
# the two "damaged" warnings of the deliberately damaged files are counted
# by the driver.
ST_EXPECTED="$ST_EXPECTED|perf_advisor: .* is damaged; kept as .*\\.corrupt"
problems=$(st_log_problems "$ST_LOG")
check "error log: no assertion, signal, damaged store or unexpected warning" \
  "$([ -z "$problems" ] && echo 1 || echo 0)" \
  "$(echo "$problems" | grep -c .) lines"
[ -n "$problems" ] && echo "$problems" | sort | uniq -c | sort -rn | head -n 20 >&2
st_core_backtraces; cores=$?
check "no core file" "$([ $cores = 0 ] && echo 1 || echo 0)" "$cores cores"
ST_PID=    # the driver stopped the server
st_finish
