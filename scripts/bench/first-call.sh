#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# The first full call after a server start, for every tool alike.  The first
# information_schema walk after a start reads every table definition and
# loads every table into InnoDB's dictionary: whatever asks first pays it.
# Per statement, R times: restart the server (its caches start empty, the
# operating system's page cache stays warm), time the statement, then time
# it again.  N tables of scripts/bench-scale.sh's schema (default 10,000),
# no workload: this measures the walk, not the analysis of statistics.
#   scripts/bench/first-call.sh [--n N] [--rounds R] [--write]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
. "$REPO/scripts/lib/server.sh"
. "$REPO/scripts/lib/bench.sh"
. "$REPO/scripts/bench/scale-lib.sh"
N=10000; ROUNDS=3; WRITE=
while [ $# -gt 0 ]; do
  case "$1" in
    --n) N=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --write) WRITE=1; shift ;;
    -h|--help) sed -n '5,12p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done
SO=$("$REPO/scripts/build.sh" | tail -n1)
pa_install_so "$SO"
trap pa_server_stop EXIT
pa_server_start --performance-schema=ON --innodb-flush-log-at-trx-commit=0 \
  --skip-log-bin
t0=$(date +%s)
scale_setup_sql "$N" | pa_sql >/dev/null
setup_s=$(( $(date +%s) - t0 ))

timed() {  # query -> elapsed ms inside one session
  pa_sql -N -e "SET @t= NOW(6); SELECT COUNT(*) FROM ($1) x INTO @c;
    SELECT TIMESTAMPDIFF(MICROSECOND, @t, NOW(6)) / 1000"
}
stats() {  # values -> "min / median"
  local v; v=$(cat)
  printf "%.0f / %.0f" "$(echo $v | pa_min)" "$(echo $v | pa_median)"
}

declare -A FIRST SECOND
LABELS=("floor: I_S.STATISTICS, SUM(CARDINALITY)"
        "floor: I_S.TABLES, SUM(DATA_LENGTH), SUM(INDEX_LENGTH)"
        "PERF_INDEX_USAGE, full"
        "PERF_TABLE_ANALYSIS, full"
        "PERF_RECOMMENDATIONS, full")
QUERIES=("SELECT SUM(CARDINALITY) FROM information_schema.STATISTICS"
         "SELECT SUM(DATA_LENGTH), SUM(INDEX_LENGTH) FROM information_schema.TABLES"
         "SELECT SUM(READ_COUNT) FROM information_schema.PERF_INDEX_USAGE"
         "SELECT SUM(TABLE_ROWS) FROM information_schema.PERF_TABLE_ANALYSIS"
         "SELECT SUM(LENGTH(EVIDENCE)) FROM information_schema.PERF_RECOMMENDATIONS")
for ((r= 0; r < ROUNDS; r++)); do
  for i in "${!QUERIES[@]}"; do
    pa_server_restart
    FIRST[$i]="${FIRST[$i]:-} $(timed "${QUERIES[$i]}")"
    SECOND[$i]="${SECOND[$i]:-} $(timed "${QUERIES[$i]}")"
  done
done

st_first=$(echo ${FIRST[0]} | pa_min)
rows=
for i in "${!QUERIES[@]}"; do
  f=$(echo ${FIRST[$i]} | pa_min)
  rows="$rows
| ${LABELS[$i]} | $(echo ${FIRST[$i]} | stats) | $(echo ${SECOND[$i]} | stats) | $(awk -v a="$f" -v b="$st_first" 'BEGIN { printf "%.2f", a / b }') |"
done
report="### First call after a start, N = $N ($(date -u +%Y-%m-%d), commit $(git -C "$REPO" rev-parse --short HEAD))

Machine: $(pa_machine), 1-minute load $(cut -d' ' -f1 /proc/loadavg) at the end; $N tables of the scale schema in $SCALE_SCHEMAS schemas (+ a parent table each), set up in $setup_s s, no workload; server defaults (table_definition_cache 400). $ROUNDS rounds; in each, per statement: a clean restart, the statement (first), the same statement again (second).

| statement | first after a restart, ms: min / median | second, ms: min / median | first / first I_S.STATISTICS (min) |
|---|---|---|---|$rows"
echo "$report"
[ -n "$WRITE" ] && printf '\n%s\n' "$report" >>"$REPO/docs/benchmarks.md"
exit 0
