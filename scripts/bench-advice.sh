#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Does the index advice help when applied?  (issue #13, "a score, measured")
# On a throwaway server with the sample ERP database (scripts/sample), in
# three phases of the same workload:
#   before    the sample as built (indexes missing on purpose);
#   syntax    the proposals judged by statement syntax alone, as before
#             column statistics (perf_advisor_sample_rows 0,
#             unselective_pct 100, max_index_columns 5, min_index_gain_pct
#             0), applied, measured, rolled back;
#   advisor   every missing_index SUGGESTED_SQL of PERF_RECOMMENDATIONS,
#             as read after the "before" phase, applied;
#   guide     those rolled back (their ROLLBACK_SQL), the ERPNext guide's
#             standard profile applied instead (scripts/erpnext-indexes).
# Each phase runs the workload --runs times (default 3); per statement
# shape (performance_schema digest) the median over the runs of its
# average latency and of its rows examined per execution is taken, and a
# phase's total is the sum over shapes of median latency x executions.
# Prints, per phase: total statement time, rows examined, index bytes
# added (information_schema.TABLES after ANALYZE), the speed-up against
# "before", the time saved per MiB added, and every shape more than 25 %
# slower than before.  Results and their reading: docs/benchmarks.md.
#   scripts/bench-advice.sh [--rounds N] [--runs K]
# (--rounds: workload rounds per run, default 20; test-bench.sh runs it at
# --rounds 2 --runs 1.)
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/scripts/lib/server.sh"
. "$REPO/scripts/lib/bench.sh"

ROUNDS=20
RUNS=3
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    *) echo "usage: $0 [--rounds N] [--runs K]" >&2; exit 2 ;;
  esac
done

SO=$("$REPO/scripts/build.sh" | tail -n1)
pa_install_so "$SO"
trap pa_server_stop EXIT
pa_server_start --performance-schema=ON \
  --performance-schema-digests-size=10000
OUT=$PA_TMP/bench
mkdir -p "$OUT"

echo "bench-advice: loading the sample ERP database" >&2
pa_sql <"$REPO/scripts/sample/erp_schema.sql" >/dev/null
analyze_all() {
  local t
  for t in $(pa_sql -N -e "SELECT CONCAT('\`', REPLACE(TABLE_NAME, '\`', '\`\`'), '\`')
                            FROM information_schema.TABLES
                            WHERE TABLE_SCHEMA = 'erp_demo'" | tr ' ' '#'); do
    pa_sql erp_demo -e "ANALYZE TABLE ${t//#/ }" >/dev/null
  done
}
index_bytes() {
  pa_sql -N -e "SELECT SUM(INDEX_LENGTH) FROM information_schema.TABLES
                WHERE TABLE_SCHEMA = 'erp_demo'"
}
analyze_all
"$REPO/scripts/sample/erp_workload.sh" "$ROUNDS" >"$OUT/workload.sql"

# One run: digest -> executions, average ms, rows examined per execution.
run_once() {
  pa_sql -e "TRUNCATE performance_schema.events_statements_summary_by_digest"
  pa_sql <"$OUT/workload.sql" >/dev/null
  pa_sql -N -e "
    SELECT DIGEST, COUNT_STAR, SUM_TIMER_WAIT / COUNT_STAR / 1e9,
           SUM_ROWS_EXAMINED / COUNT_STAR, REPLACE(LEFT(DIGEST_TEXT, 90), '\t', ' ')
    FROM performance_schema.events_statements_summary_by_digest
    WHERE SCHEMA_NAME = 'erp_demo' AND DIGEST_TEXT NOT LIKE 'USE %'
      AND DIGEST_TEXT NOT LIKE 'TRUNCATE %'"
}

# A phase: the medians per digest into $OUT/<phase>
phase() {
  local p=$1 k
  for ((k = 1; k <= RUNS; k++)); do
    run_once >"$OUT/$p.run$k"
  done
  cat "$OUT/$p".run* | awk -F'\t' '{ print $1 }' | sort -u | while read -r d; do
    local calls ms rows text
    calls=$(grep -h "^$d" "$OUT/$p".run* | cut -f2 | pa_median)
    ms=$(grep -h "^$d" "$OUT/$p".run* | cut -f3 | pa_median)
    rows=$(grep -h "^$d" "$OUT/$p".run* | cut -f4 | pa_median)
    text=$(grep -h "^$d" "$OUT/$p".run* | head -n1 | cut -f5)
    printf '%s\t%s\t%s\t%s\t%s\n' "$d" "$calls" "$ms" "$rows" "$text"
  done >"$OUT/$p"
}

echo "bench-advice: phase before ($RUNS x $ROUNDS rounds)" >&2
bytes0=$(index_bytes)
phase before
# the advice, from the last run of "before"
pa_sql -N -e "
  SELECT SUGGESTED_SQL, ROLLBACK_SQL FROM information_schema.PERF_RECOMMENDATIONS
  WHERE TYPE = 'missing_index' AND TABLE_SCHEMA = 'erp_demo'" >"$OUT/advice"
# the same digests judged by statement syntax alone, as before column
# statistics: no sample, nothing unselective, up to 5 columns, no least cut
pa_sql -e "SET GLOBAL perf_advisor_sample_rows= 0,
             perf_advisor_unselective_pct= 100,
             perf_advisor_max_index_columns= 5,
             perf_advisor_min_index_gain_pct= 0"
pa_sql -N -e "
  SELECT SUGGESTED_SQL, ROLLBACK_SQL FROM information_schema.PERF_RECOMMENDATIONS
  WHERE TYPE = 'missing_index' AND TABLE_SCHEMA = 'erp_demo'" >"$OUT/advice_syntax"
pa_sql -e "SET GLOBAL perf_advisor_sample_rows= DEFAULT,
             perf_advisor_unselective_pct= DEFAULT,
             perf_advisor_max_index_columns= DEFAULT,
             perf_advisor_min_index_gain_pct= DEFAULT"
apply_col() {
  cut -f"$2" "$1" | while IFS= read -r q; do
    [ -n "$q" ] && pa_sql -e "$q"
  done
  return 0
}
n_syntax=$(grep -c . "$OUT/advice_syntax" || true)
echo "bench-advice: syntax: applying $n_syntax proposal(s)" >&2
apply_col "$OUT/advice_syntax" 1
analyze_all
bytes3=$(index_bytes)
phase syntax
apply_col "$OUT/advice_syntax" 2

n_advice=$(grep -c . "$OUT/advice" || true)
echo "bench-advice: applying $n_advice missing_index proposal(s)" >&2
apply_col "$OUT/advice" 1
analyze_all
bytes1=$(index_bytes)
echo "bench-advice: phase advisor" >&2
phase advisor

apply_col "$OUT/advice" 2
# the guide's script checks for the plugin's UDFs
"$REPO/scripts/perf-advisor-install" --socket "$PA_SOCK" --user root \
  --quiet >"$OUT/install.log" 2>&1
"$REPO/scripts/erpnext-indexes" --socket "$PA_SOCK" --user root \
  --database erp_demo --apply >"$OUT/guide.log" 2>&1
analyze_all
bytes2=$(index_bytes)
echo "bench-advice: phase guide" >&2
phase guide

# Totals over the shapes seen before: sum of median ms x median calls.
total() {
  awk -F'\t' 'NR == FNR { seen[$1]= 1; next }
              ($1 in seen) { t+= $2 * $3; r+= $2 * $4 }
              END { printf "%.1f\t%.0f\n", t, r }' "$OUT/before" "$OUT/$1"
}
slower() {
  awk -F'\t' 'NR == FNR { ms[$1]= $3; next }
              ($1 in ms) && ms[$1] > 0 && $3 > 1.25 * ms[$1] {
                printf "  %.2f ms -> %.2f ms (%.1fx)  %s\n", ms[$1], $3,
                       $3 / ms[$1], $5 }' "$OUT/before" "$OUT/$1"
}
read -r t0 r0 < <(total before)
echo
echo "# bench-advice: sample ERP database, $ROUNDS rounds x $RUNS runs per phase, $(pa_machine)"
printf '%-8s %9s %8s %14s %11s %11s %13s %7s\n' phase total_ms speedup \
  rows_examined indexes_new bytes_added saved_ms/MiB slower
for p in before syntax advisor guide; do
  read -r t r < <(total "$p")
  case $p in
    before) b=0; n=0 ;;
    syntax) b=$((bytes3 - bytes0)); n=$n_syntax ;;
    advisor) b=$((bytes1 - bytes0)); n=$n_advice ;;
    guide) b=$((bytes2 - bytes0)); n=$(grep -c '^CREATE INDEX\|ADD INDEX' "$OUT/guide.log" || true) ;;
  esac
  s=$(slower "$p" | grep -c . || true)
  awk -v p="$p" -v t="$t" -v t0="$t0" -v r="$r" -v n="$n" -v b="$b" -v s="$s" \
    'BEGIN { printf "%-8s %9.1f %7.2fx %14.0f %11d %11.1f %13s %7d\n", p, t,
             (t > 0 ? t0 / t : 0), r, n, b / 1048576,
             (b > 0 ? sprintf("%.1f", (t0 - t) / (b / 1048576)) : "-"), s }'
done
for p in syntax advisor guide; do
  if [ -n "$(slower "$p")" ]; then
    echo "shapes more than 25 % slower than before, $p:"
    slower "$p"
  fi
done
echo "bench-advice: proposals applied:" >&2
cut -f1 "$OUT/advice" | sed 's/^/  /' >&2
