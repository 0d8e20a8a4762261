#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Benchmark: PERF_TABLE_ANALYSIS condition pushdown on a server with many
# tables.  Creates N tables (default 5000) across 10 schemas in a throwaway
# server, then times, inside one client session (so no client start-up is
# counted), the full scan and the single-table lookup, each repeated, and
# reports min/median and the ratio.
#   scripts/bench-lookup.sh [N] [--write]   (--write appends to docs/benchmarks.md)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/scripts/lib/server.sh"
N=${1:-5000}
WRITE=${2:-}
FULL_REPS=5
ONE_REPS=20

SO=$("$REPO/scripts/build.sh" | tail -n1)
pa_install_so "$SO"
trap pa_server_stop EXIT
pa_server_start --performance-schema=ON --table-open-cache=2000 \
  --innodb-buffer-pool-size=512M

echo "creating $N tables..." >&2
{
  echo "SET SESSION sql_log_bin=0;"
  for s in $(seq 0 9); do echo "CREATE DATABASE bench_$s;"; done
  for ((i = 0; i < N; i++)); do
    echo "CREATE TABLE bench_$((i % 10)).t$i (id INT PRIMARY KEY, a INT, b VARCHAR(20), KEY (a), KEY (b, a)) ENGINE=InnoDB;"
  done
  echo "USE bench_3; INSERT INTO t3 SELECT seq, seq % 100, CONCAT('v', seq) FROM seq_1_to_1000;"
} | pa_sql

# One session; each timing is the difference of two NOW(6) taken by separate
# statements around the measured statement.
time_sql() {  # reps, statement
  local reps=$1 stmt=$2 i
  {
    echo "SET @pa_times= '';"
    for ((i = 0; i < reps; i++)); do
      echo "SET @t0= NOW(6); $stmt; SET @pa_times= CONCAT(@pa_times, TIMESTAMPDIFF(MICROSECOND, @t0, NOW(6)), ' ');"
    done
    echo "SELECT @pa_times;"
  } | pa_sql -N | tail -n1
}
stats() {  # prints "min median" in ms from a list of microseconds
  tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR]= $1 } END {
    printf "%.2f %.2f\n", a[1] / 1000, a[int((NR + 1) / 2)] / 1000 }'
}

ONE="SELECT TABLE_ROWS INTO @r FROM information_schema.PERF_TABLE_ANALYSIS WHERE TABLE_SCHEMA = 'bench_3' AND TABLE_NAME = 't3'"
# The lookup must find the one table, with its rows (an InnoDB estimate).
check=$(pa_sql -N -e "$ONE; SELECT @r")
case "$check" in ''|*[!0-9]*) check=0 ;; esac
[ "$check" -ge 900 ] && [ "$check" -le 1100 ] \
  || { echo "single-table lookup returned '$check', not about 1000" >&2; exit 1; }
full=$(time_sql $FULL_REPS "SELECT COUNT(*), SUM(TABLE_ROWS) INTO @c, @r FROM information_schema.PERF_TABLE_ANALYSIS" | stats)
one=$(time_sql $ONE_REPS "$ONE" | stats)
# Live: every statement rereads performance_schema (the cost a first call pays).
pa_sql -e "SET GLOBAL perf_advisor_max_staleness_ms= 0"
full_live=$(time_sql $FULL_REPS "SELECT COUNT(*), SUM(TABLE_ROWS) INTO @c, @r FROM information_schema.PERF_TABLE_ANALYSIS" | stats)
one_live=$(time_sql $ONE_REPS "$ONE" | stats)
pa_sql -e "SET GLOBAL perf_advisor_max_staleness_ms= DEFAULT"
schema=$(time_sql $FULL_REPS "SELECT COUNT(*) INTO @c FROM information_schema.PERF_TABLE_ANALYSIS WHERE TABLE_SCHEMA = 'bench_3'" | stats)
floor=$(time_sql $FULL_REPS "SELECT COUNT(*), SUM(TABLE_ROWS) INTO @c, @r FROM information_schema.TABLES" | stats)
rows=$(pa_sql -N -e "SELECT COUNT(*) FROM information_schema.PERF_TABLE_ANALYSIS")

read -r full_min full_med <<<"$full"
read -r one_min one_med <<<"$one"
read -r sch_min sch_med <<<"$schema"
read -r fl_min fl_med <<<"$floor"
read -r fullv_min fullv_med <<<"$full_live"
read -r onev_min onev_med <<<"$one_live"
ratio_live=$(awk -v a="$fullv_med" -v b="$onev_med" 'BEGIN { printf "%.0f", (b > 0 ? a / b : 0) }')
ratio=$(awk -v a="$full_med" -v b="$one_med" 'BEGIN { printf "%.0f", (b > 0 ? a / b : 0) }')
report=$(cat <<REP
### PERF_TABLE_ANALYSIS lookup pushdown, N = $N tables ($(date -u +%Y-%m-%d))

Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), MariaDB $(pa_sql -N -e "SELECT VERSION()"); one client session, times in ms (min / median).

| statement | reps | min ms | median ms |
|---|---|---|---|
| full scan, all $rows rows | $FULL_REPS | $full_min | $full_med |
| full scan, \`perf_advisor_max_staleness_ms = 0\` (live every time) | $FULL_REPS | $fullv_min | $fullv_med |
| single table, \`perf_advisor_max_staleness_ms = 0\` (live every time) | $ONE_REPS | $onev_min | $onev_med |
| \`WHERE TABLE_SCHEMA = 'bench_3'\` ($((N / 10)) tables) | $FULL_REPS | $sch_min | $sch_med |
| \`WHERE TABLE_SCHEMA = 'bench_3' AND TABLE_NAME = 't3'\` | $ONE_REPS | $one_min | $one_med |
| floor: \`information_schema.TABLES\` with sizes, all tables | $FULL_REPS | $fl_min | $fl_med |

Single-table lookup vs full scan (medians, default settings): **${ratio}×** faster (target: ≥ 20×);
with every statement rereading performance_schema: **${ratio_live}×**.
REP
)
echo "$report"
if [ "$WRITE" = --write ]; then
  printf '\n%s\n' "$report" >>"$REPO/docs/benchmarks.md"
fi
