#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# The benchmark scripts, each once at its smallest size: a benchmark that no
# longer runs is found here, not on the day its figures are needed.  A check
# passes when the script exits 0 and prints every line its result needs
# with a measured number in it; the figures themselves are judged in
# docs/benchmarks.md, not here (no timed tests).  Nothing is written to the
# docs.  Ends with "N passed, N failed".
#   scripts/test-bench.sh
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${PERF_ADVISOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/perf_advisor}
mkdir -p "$CACHE"
passed=0; failed=0
NUM='[0-9]+(\.[0-9]+)?'

# check label timeout_s "command" regex...: each regex must match a line of
# the command's standard output
check() {
  local label=$1 limit=$2 cmd=$3 log re missing=
  shift 3
  log="$CACHE/bench-$(echo "$label" | tr -c 'a-z0-9\n' '-').log"
  if ! timeout "$limit" bash -c "$cmd" >"$log" 2>"$log.err"; then
    failed=$((failed + 1)); tail -n 20 "$log.err" "$log" >&2
    echo "FAIL - $label: exit status not 0 (log: $log)"; return
  fi
  for re in "$@"; do
    grep -Eq -- "$re" "$log" || missing="$missing
    $re"
  done
  if [ -n "$missing" ]; then
    failed=$((failed + 1))
    echo "FAIL - $label: no line matches:$missing (log: $log)"
  else
    passed=$((passed + 1)); echo "ok   - $label"
  fi
}

B="$REPO/scripts"
check "bench-lookup.sh 100" 300 "$B/bench-lookup.sh 100" \
  "^\| full scan, all 100 rows \| 5 \| $NUM \| $NUM \|$" \
  "^\| \`WHERE TABLE_SCHEMA = 'bench_3' AND TABLE_NAME = 't3'\` \| 20 \| $NUM \| $NUM \|$" \
  "faster"
check "bench-scale.sh --quick" 900 "$B/bench-scale.sh --quick" \
  "^\| PERF_INDEX_USAGE, full \(SUM\(READ_COUNT\)\) \| 5 \| $NUM / $NUM \|" \
  "^\| PERF_RECOMMENDATIONS, full \(SUM\(LENGTH\(EVIDENCE\)\)\) \| 5 \| $NUM / $NUM \|" \
  "^\| PERF_INDEX_USAGE, one table \| 20 \| $NUM / $NUM \|" \
  "^\| floor: I_S.STATISTICS, SUM\(CARDINALITY\) \| 5 \| $NUM / $NUM \|" \
  "^\| sys.schema_redundant_indexes \| 3 \| $NUM / $NUM \|" \
  "^\| pt-duplicate-key-checker \| 3 \| $NUM / $NUM \|" \
  "^\| PERF_INDEX_USAGE rows \(indexes\) \| [1-9][0-9]* \|" \
  "^\| PERF_INDEX_USAGE, full \| fresh \| $NUM \| (not killed|$NUM)"
check "bench-overhead.sh --rounds 1 --seconds 3" 600 \
  "$B/bench-overhead.sh --rounds 1 --seconds 3" \
  "^\| oltp_point_select \| +$NUM \| +$NUM \| $NUM \| $NUM \| [-+]$NUM% \|" \
  "^\| oltp_read_write \| +$NUM \| +$NUM \| $NUM \| $NUM \| [-+]$NUM% \|" \
  "^\| oltp_point_select \| $NUM; $NUM% \| $NUM; $NUM% \| [-+]$NUM% \| $NUM% \| $NUM% \|$" \
  "^\| oltp_read_write \| $NUM; $NUM% \| $NUM; $NUM% \| [-+]$NUM% \| $NUM% \| $NUM% \|$"
# bench-advice: a row per workload and phase; "before" took time, the
# ERP sample (built with indexes missing) gets at least one proposal, and
# no phase has a failed statement (the last column)
POS='([1-9][0-9]*\.[0-9]+|0\.[0-9]*[1-9][0-9]*)'
ROW="+$NUM +$NUM""x +[0-9]+ +[0-9]+ +$NUM +(-|-?$NUM) +[0-9]+ +0$"
check "bench-advice.sh --rounds 2 --runs 1 --tpch-orders 5000" 900 \
  "$B/bench-advice.sh --rounds 2 --runs 1 --tpch-orders 5000" \
  "^erp +before +$POS +1\.00x +[1-9][0-9]* +0 +0\.0 +- +0 +0$" \
  "^erp +syntax $ROW" \
  "^erp +advisor +$NUM +$NUM""x +[0-9]+ +[1-9][0-9]* +$NUM +(-|-?$NUM) +[0-9]+ +0$" \
  "^erp +control +$NUM +$NUM""x +[0-9]+ +0 +0\.0 +- +[0-9]+ +0$" \
  "^erp +guide $ROW" \
  "^tpch +before +$POS +1\.00x +[1-9][0-9]* +0 +0\.0 +- +0 +0$" \
  "^tpch +syntax $ROW" \
  "^tpch +advisor $ROW" \
  "^tpch +control +$NUM +$NUM""x +[0-9]+ +0 +0\.0 +- +[0-9]+ +0$" \
  "^indexes applied, erp advisor:$"
check "bench/snapshot-cost.sh --n 100" 300 "$B/bench/snapshot-cost.sh --n 100" \
  "^\| 100 \| 500 \| 600 \| none \| 500 \| [1-9][0-9]* \| $NUM / $NUM \| [0-9/]+ \| $NUM% / $NUM% / $NUM% \|$"
check "bench/first-call.sh --n 100 --rounds 1" 300 \
  "$B/bench/first-call.sh --n 100 --rounds 1" \
  "^\| floor: I_S.STATISTICS, SUM\(CARDINALITY\) \| $NUM / $NUM \| $NUM / $NUM \| 1.00 \|$" \
  "^\| PERF_INDEX_USAGE, full \| $NUM / $NUM \| $NUM / $NUM \| $NUM \|$" \
  "^\| PERF_RECOMMENDATIONS, full \| $NUM / $NUM \| $NUM / $NUM \| $NUM \|$"
check "bench/one-schema.sh 200" 300 "$B/bench/one-schema.sh 200" \
  "^SELECT SUM\(SIZE_BYTES\) FROM information_schema.PERF_INDEX_USAGE	$NUM$" \
  "^SELECT SUM\(CARDINALITY\) FROM information_schema.STATISTICS	$NUM$" \
  "^index rows	1000	with a size	1000$"
check "bench/profile-full-scan.sh 1000" 300 "$B/bench/profile-full-scan.sh 1000" \
  "^PERF_INDEX_USAGE full, profiled 5	$NUM$" \
  "^--- time under perf_advisor's per-table steps" \
  "%.*pa_model_build"
# peer-cost: every index counted on every node, with 0, 1 and 2 peers
check "bench/peer-cost.sh 20 1" 300 "$B/bench/peer-cost.sh 20 1" \
  "^\| 0 \| 100 \| 100 \| $NUM \|$" \
  "^\| 1 \| 100 \| 100 \| $NUM \|$" \
  "^\| 2 \| 100 \| 100 \| $NUM \|$"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
