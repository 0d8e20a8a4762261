#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Does the index advice help when applied?  (issue #13, "a score, measured")
# On a throwaway server, for each of two sample databases built with
# indexes missing on purpose, and its workload (scripts/sample):
#   erp   the ERP database (erp_schema.sql) and its workload with the
#         flag-led shapes (erp_workload.sh --flag-led);
#   tpch  a TPC-H-like database (tpch_schema.sh, --tpch-orders orders,
#         about 4 lineitem rows each) and 15 shapes of TPC-H queries and
#         order-screen lookups (tpch_workload.sh);
# the same workload in phases:
#   before    the database as built;
#   syntax    the proposals judged by statement syntax alone, as before
#             column statistics (perf_advisor_sample_rows 0,
#             unselective_pct 100, max_index_columns 5, min_index_gain_pct
#             0, index_budget_pct 0; the unknown_range and no_net_gain
#             rules have no switch and apply), applied, measured, rolled
#             back;
#   advisor   every missing_index SUGGESTED_SQL of PERF_RECOMMENDATIONS,
#             as read after the "before" phase, applied;
#   control   those rolled back (their ROLLBACK_SQL): the database as
#             built again, measured again; its shapes "slower" than
#             before are the machine's drift and noise over the run;
#   guide     (erp only) the
#             ERPNext guide's standard profile applied instead
#             (scripts/erpnext-indexes).
# Each phase runs the workload once unmeasured (a warm-up: building a
# phase's indexes evicts pages), then --runs times (default 3); per statement
# shape (performance_schema digest) the median over the runs of its
# average latency and of its rows examined per execution is taken, and a
# phase's total is the sum over shapes of median latency x executions.
# Prints one table, a row per workload and phase: total statement time,
# the speed-up against "before", rows examined, new indexes, MiB of index
# added (information_schema.TABLES after ANALYZE), the time saved per MiB
# added, the shapes more than 25 % slower than before, and the statements
# that failed (the workload runs on after an error; each is counted).
# Under it, per workload and phase, every shape more than 25 % slower and
# the indexes applied.  Results and their reading: docs/benchmarks.md.
#   scripts/bench-advice.sh [--rounds N] [--runs K] [--tpch-orders N]
#                           [--workload erp|tpch|both] [--out DIR]
# (--rounds: workload rounds per run, default 20; --tpch-orders: size of
# the TPC-H-like database, default 25000 orders, about 100,000 lineitem
# rows; --out: keep the per-shape medians, the proposals, what
# PERF_QUERY_ANALYSIS said per statement and table, and the logs in DIR,
# a directory this run creates; test-bench.sh runs it at --rounds 2
# --runs 1 --tpch-orders 5000.)
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/scripts/lib/server.sh"
. "$REPO/scripts/lib/bench.sh"

ROUNDS=20
RUNS=3
TPCH_ORDERS=25000
WORKLOADS="erp tpch"
KEEP=
usage() {
  echo "usage: $0 [--rounds N] [--runs K] [--tpch-orders N] [--workload erp|tpch|both] [--out DIR]" >&2
  exit 2
}
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || usage
  case $1 in
    --rounds) ROUNDS=$2 ;;
    --runs) RUNS=$2 ;;
    --tpch-orders) TPCH_ORDERS=$2 ;;
    --workload)
      case $2 in
        erp | tpch) WORKLOADS=$2 ;;
        both) WORKLOADS="erp tpch" ;;
        *) usage ;;
      esac ;;
    --out) KEEP=$2 ;;
    *) usage ;;
  esac
  shift 2
done
for v in "$ROUNDS" "$RUNS" "$TPCH_ORDERS"; do
  case $v in '' | *[!0-9]* | 0) usage ;; esac
done
if [ -n "$KEEP" ]; then
  mkdir "$KEEP" || { echo "$0: --out $KEEP: cannot create it (it must not exist)" >&2; exit 2; }
  KEEP=$(cd "$KEEP" && pwd)
fi

SO=$("$REPO/scripts/build.sh" | tail -n1)
pa_install_so "$SO"
finish() {
  if [ -n "$KEEP" ] && [ -d "${PA_TMP:-}/bench" ]; then
    cp -r "$PA_TMP/bench/." "$KEEP/"
  fi
  pa_server_stop
}
trap finish EXIT
# A buffer pool that holds each sample with every phase's indexes (both
# are under 200 MiB with them): the phases compare plans, not disk reads.
pa_server_start --performance-schema=ON \
  --performance-schema-digests-size=10000 --innodb-buffer-pool-size=1G
# the guide's script checks for the plugin's UDFs
"$REPO/scripts/perf-advisor-install" --socket "$PA_SOCK" --user root \
  --quiet >"$PA_TMP/install.log" 2>&1

# The workload being measured: its database, and where its files go.
DB=
OUT=
analyze_all() {
  local t
  for t in $(pa_sql -N -e "SELECT CONCAT('\`', REPLACE(TABLE_NAME, '\`', '\`\`'), '\`')
                            FROM information_schema.TABLES
                            WHERE TABLE_SCHEMA = '$DB'" | tr ' ' '#'); do
    pa_sql "$DB" -e "ANALYZE TABLE ${t//#/ }" >/dev/null
  done
}
index_bytes() {
  pa_sql -N -e "SELECT SUM(INDEX_LENGTH) FROM information_schema.TABLES
                WHERE TABLE_SCHEMA = '$DB'"
}

# One run: digest -> executions, average ms, rows examined per execution.
# The client goes on after a failed statement (--force) and prints one
# ERROR line for each: they are counted into $OUT/<phase>.errors.
run_once() {
  local p=$1
  pa_sql -e "TRUNCATE performance_schema.events_statements_summary_by_digest"
  pa_sql --force <"$OUT/workload.sql" >/dev/null 2>>"$OUT/$p.stderr" || true
  pa_sql -N -e "
    SELECT DIGEST, COUNT_STAR, SUM_TIMER_WAIT / COUNT_STAR / 1e9,
           SUM_ROWS_EXAMINED / COUNT_STAR, REPLACE(LEFT(DIGEST_TEXT, 90), '\t', ' ')
    FROM performance_schema.events_statements_summary_by_digest
    WHERE SCHEMA_NAME = '$DB' AND DIGEST_TEXT NOT LIKE 'USE %'
      AND DIGEST_TEXT NOT LIKE 'TRUNCATE %'"
}

# A phase: the medians per digest into $OUT/<phase>
phase() {
  local p=$1 k
  echo "bench-advice: $W: phase $p ($RUNS x $ROUNDS rounds)" >&2
  : >"$OUT/$p.stderr"
  # one run unmeasured: the phase's new indexes were just built, and the
  # build evicts the pages the workload reads
  run_once "$p" >/dev/null
  for ((k = 1; k <= RUNS; k++)); do
    run_once "$p" >"$OUT/$p.run$k"
  done
  grep -c '^ERROR' "$OUT/$p.stderr" >"$OUT/$p.errors" || true
  cat "$OUT/$p".run* | awk -F'\t' '{ print $1 }' | sort -u | while read -r d; do
    local calls ms rows text
    calls=$(grep -h "^$d" "$OUT/$p".run* | cut -f2 | pa_median)
    ms=$(grep -h "^$d" "$OUT/$p".run* | cut -f3 | pa_median)
    rows=$(grep -h "^$d" "$OUT/$p".run* | cut -f4 | pa_median)
    text=$(grep -h "^$d" "$OUT/$p".run* | head -n1 | cut -f5)
    printf '%s\t%s\t%s\t%s\t%s\n' "$d" "$calls" "$ms" "$rows" "$text"
  done >"$OUT/$p"
}

missing_index_sql() {
  pa_sql -N -e "
    SELECT SUGGESTED_SQL, ROLLBACK_SQL FROM information_schema.PERF_RECOMMENDATIONS
    WHERE TYPE = 'missing_index' AND ACTION = 'create_index'
      AND TABLE_SCHEMA = '$DB'"
}
apply_col() {
  cut -f"$2" "$1" | while IFS= read -r q; do
    [ -n "$q" ] && pa_sql -e "$q"
  done
  return 0
}

# Every phase of workload $W, each phase's index bytes added and index
# count into $OUT/<phase>.added ("bytes count").
measure() {
  local bytes0 n
  analyze_all
  bytes0=$(index_bytes)
  echo "0 0" >"$OUT/before.added"
  phase before
  # the advice, from the last run of "before", and per statement and
  # table what the advisor made of it (kept with --out)
  missing_index_sql >"$OUT/advice"
  pa_sql -N -e "
    SELECT TABLE_NAME, IFNULL(PROPOSED_INDEX, '-'), IFNULL(NO_PROPOSAL_REASON, '-'),
           ROWS_EXAMINED DIV EXEC_COUNT, IFNULL(EST_ROWS_EXAMINED, '-'),
           REPLACE(LEFT(DIGEST_TEXT, 120), '\t', ' ')
    FROM information_schema.PERF_QUERY_ANALYSIS
    WHERE SCHEMA_NAME = '$DB' AND DIGEST_TEXT NOT LIKE 'USE %'
      AND DIGEST_TEXT NOT LIKE 'TRUNCATE %'" >"$OUT/analysis"
  # the same digests judged by statement syntax alone, as before column
  # statistics: no sample, nothing unselective, up to 5 columns, no least cut
  pa_sql -e "SET GLOBAL perf_advisor_sample_rows= 0,
               perf_advisor_unselective_pct= 100,
               perf_advisor_max_index_columns= 5,
               perf_advisor_min_index_gain_pct= 0,
               perf_advisor_index_budget_pct= 0"
  missing_index_sql >"$OUT/advice_syntax"
  pa_sql -e "SET GLOBAL perf_advisor_sample_rows= DEFAULT,
               perf_advisor_unselective_pct= DEFAULT,
               perf_advisor_max_index_columns= DEFAULT,
               perf_advisor_min_index_gain_pct= DEFAULT,
               perf_advisor_index_budget_pct= DEFAULT"

  n=$(grep -c . "$OUT/advice_syntax" || true)
  echo "bench-advice: $W: syntax: applying $n proposal(s)" >&2
  apply_col "$OUT/advice_syntax" 1
  analyze_all
  echo "$(($(index_bytes) - bytes0)) $n" >"$OUT/syntax.added"
  phase syntax
  apply_col "$OUT/advice_syntax" 2

  n=$(grep -c . "$OUT/advice" || true)
  echo "bench-advice: $W: advisor: applying $n proposal(s)" >&2
  apply_col "$OUT/advice" 1
  analyze_all
  echo "$(($(index_bytes) - bytes0)) $n" >"$OUT/advisor.added"
  phase advisor
  apply_col "$OUT/advice" 2

  # the database as built again: what the same workload gives with no
  # index changed (the machine's drift over the run), for the reading
  analyze_all
  echo "0 0" >"$OUT/control.added"
  phase control

  [ "$W" = erp ] || return 0
  "$REPO/scripts/erpnext-indexes" --socket "$PA_SOCK" --user root \
    --database "$DB" --apply >"$OUT/guide.log" 2>&1
  grep '^CREATE INDEX\|ADD INDEX' "$OUT/guide.log" >"$OUT/advice_guide" || true
  analyze_all
  n=$(grep -c . "$OUT/advice_guide" || true)
  echo "$(($(index_bytes) - bytes0)) $n" >"$OUT/guide.added"
  phase guide
}

for W in $WORKLOADS; do
  OUT=$PA_TMP/bench/$W
  mkdir -p "$OUT"
  case $W in
    erp)
      DB=erp_demo
      echo "bench-advice: erp: loading the sample ERP database" >&2
      pa_sql <"$REPO/scripts/sample/erp_schema.sql" >/dev/null
      "$REPO/scripts/sample/erp_workload.sh" "$ROUNDS" --flag-led >"$OUT/workload.sql"
      ;;
    tpch)
      DB=tpch_demo
      echo "bench-advice: tpch: loading the TPC-H-like database ($TPCH_ORDERS orders)" >&2
      "$REPO/scripts/sample/tpch_schema.sh" "$TPCH_ORDERS" | pa_sql >/dev/null
      "$REPO/scripts/sample/tpch_workload.sh" "$ROUNDS" "$TPCH_ORDERS" >"$OUT/workload.sql"
      ;;
  esac
  measure
  # the next workload gets the buffer pool to itself
  pa_sql -e "DROP DATABASE \`$DB\`"
done

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
echo
echo "# bench-advice: $ROUNDS rounds x $RUNS runs per phase, tpch $TPCH_ORDERS orders, $(pa_machine)"
printf '%-8s %-8s %9s %8s %14s %11s %9s %13s %7s %6s\n' workload phase \
  total_ms speedup rows_examined indexes_new MiB_added saved_ms/MiB slower errors
for W in $WORKLOADS; do
  OUT=$PA_TMP/bench/$W
  read -r t0 _ < <(total before)
  for p in before syntax advisor control guide; do
    [ -f "$OUT/$p" ] || continue
    read -r t r < <(total "$p")
    read -r b n <"$OUT/$p.added"
    s=$(slower "$p" | grep -c . || true)
    awk -v w="$W" -v p="$p" -v t="$t" -v t0="$t0" -v r="$r" -v n="$n" \
      -v b="$b" -v s="$s" -v e="$(cat "$OUT/$p.errors")" \
      'BEGIN { printf "%-8s %-8s %9.1f %7.2fx %14.0f %11d %9.1f %13s %7d %6d\n",
               w, p, t, (t > 0 ? t0 / t : 0), r, n, b / 1048576,
               (b > 0 ? sprintf("%.1f", (t0 - t) / (b / 1048576)) : "-"), s, e }'
  done
done
for W in $WORKLOADS; do
  OUT=$PA_TMP/bench/$W
  for p in syntax advisor control guide; do
    [ -f "$OUT/$p" ] || continue
    if [ -n "$(slower "$p")" ]; then
      echo "shapes more than 25 % slower than before, $W $p:"
      slower "$p"
    fi
  done
done
for W in $WORKLOADS; do
  OUT=$PA_TMP/bench/$W
  for p in syntax advisor guide; do
    f=$OUT/advice_$p
    [ "$p" = advisor ] && f=$OUT/advice
    [ -s "$f" ] || continue
    echo "indexes applied, $W $p:"
    cut -f1 "$f" | sed 's/^/  /'
  done
done
