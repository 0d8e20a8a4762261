#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# What the plugin's background thread costs at ERP scale.  The snapshot
# thread is the only work perf_advisor does while the application runs (no
# audit, handler or optimizer hook): every perf_advisor_snapshot_interval
# seconds it rereads performance_schema's index counters, folds them into the
# usage store and writes the store's file.  Per N (default 1000 and 10000
# tables in 10 schemas, 5 indexes each, every index read once so that
# performance_schema holds a counter row for it), times the same work done
# by `SELECT perf_snapshot_now()` (5 runs, min / median ms, in a fresh
# session each) and the server's CPU time around each call (the server is
# otherwise idle), and derives the share of one core the thread takes at a
# given interval.  Run from anywhere:
#   scripts/bench/snapshot-cost.sh [--n N ...] [--write]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
. "$REPO/scripts/lib/server.sh"
. "$REPO/scripts/lib/bench.sh"
NS=(); WRITE=
while [ $# -gt 0 ]; do
  case "$1" in
    --n) NS+=("$2"); shift 2 ;;
    --write) WRITE=1; shift ;;
    -h|--help) sed -n '5,16p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done
[ ${#NS[@]} -gt 0 ] || NS=(1000 10000)
SO=$("$REPO/scripts/build.sh" | tail -n1)
pa_install_so "$SO"
trap pa_server_stop EXIT

rows=
for n in "${NS[@]}"; do
  # interval 0: the thread sleeps, so that only the timed calls snapshot
  pa_server_start --performance-schema=ON --innodb-flush-log-at-trx-commit=0 \
    --skip-log-bin --loose-perf-advisor-snapshot-interval=0
  pa_sql -e "CREATE FUNCTION perf_snapshot_now RETURNS INTEGER
             SONAME 'perf_advisor.so'"
  python3 - "$n" <<'EOF' | pa_sql >/dev/null
import sys
n = int(sys.argv[1])
print("SET SESSION sql_log_bin= 0;")
for s in range(10):
    print(f"CREATE DATABASE snap_{s};")
for i in range(n):
    t = f"snap_{i % 10}.t{i}"
    print(f"CREATE TABLE {t} (id INT PRIMARY KEY, a INT, b INT, c INT,"
          f" KEY(a), KEY(a,b), KEY(b), KEY(c,a)) ENGINE=InnoDB;"
          f" INSERT INTO {t} VALUES (1, 1, 1, 1);")
# one read through every index, so that each has a counter row
for i in range(n):
    t = f"snap_{i % 10}.t{i}"
    print(f"SELECT id FROM {t} FORCE INDEX (PRIMARY) WHERE id = 1;"
          f" SELECT id FROM {t} FORCE INDEX (a) WHERE a = 1;"
          f" SELECT id FROM {t} FORCE INDEX (a_2) WHERE a = 1 AND b = 1;"
          f" SELECT id FROM {t} FORCE INDEX (b) WHERE b = 1;"
          f" SELECT id FROM {t} FORCE INDEX (c) WHERE c = 1;")
EOF
  pfs_rows=$(pa_sql -N -e "SELECT COUNT(*) FROM
    performance_schema.table_io_waits_summary_by_index_usage
    WHERE OBJECT_TYPE = 'TABLE' AND OBJECT_SCHEMA LIKE 'snap\_%'")
  lost=$(pa_sql -N -e "SELECT COALESCE(GROUP_CONCAT(CONCAT(VARIABLE_NAME,
    ' ', VARIABLE_VALUE) SEPARATOR ', '), 'none') FROM information_schema.GLOBAL_STATUS
    WHERE VARIABLE_NAME IN ('PERFORMANCE_SCHEMA_TABLE_INSTANCES_LOST',
    'PERFORMANCE_SCHEMA_INDEX_STAT_LOST', 'PERFORMANCE_SCHEMA_TABLE_HANDLES_LOST')
    AND VARIABLE_VALUE > 0" | tr 'A-Z' 'a-z')
  wall=; cpu=; saved=
  for r in 1 2 3 4 5; do
    # server CPU time around the call (the server is otherwise idle: no
    # workload, the snapshot thread asleep); includes the session's start
    c0=$(pa_server_cpu_ns)
    read -r ms saved <<<"$(pa_sql -N -e "SET @t= NOW(6);
      SELECT perf_snapshot_now() INTO @saved;
      SELECT TIMESTAMPDIFF(MICROSECOND, @t, NOW(6)) / 1000, @saved")"
    c1=$(pa_server_cpu_ns)
    [ -n "$saved" ] || { echo "perf_snapshot_now() failed" >&2; exit 1; }
    wall="$wall $ms"
    cpu="$cpu $(awk -v d=$((c1 - c0)) 'BEGIN { printf "%.0f", d / 1e6 }')"
  done
  file_kib=$(du -k "$PA_TMP/data/perf_advisor_usage.dat" | awk '{ print $1 }')
  w_min=$(echo $wall | pa_min)
  w_med=$(echo $wall | pa_median)
  c_med=$(echo $cpu | pa_median)
  # the thread's share of one core: CPU per snapshot over the interval
  share=$(awk -v c="$c_med" -v w="$w_med" 'BEGIN { m= (c > w ? c : w);
    printf "%.3f%% / %.2f%% / %.1f%%", m / 3000, m / 600, m / 10 }')
  rows="$rows
| $n | $((n * 5)) | $pfs_rows | $lost | $saved | $file_kib | $w_min / $w_med | $(echo $cpu | tr ' ' '/') | $share |"
  pa_server_stop
done
report="### Cost of the snapshot thread ($(date -u +%Y-%m-%d), commit $(git -C "$REPO" rev-parse --short HEAD))

Machine: $(pa_machine), 1-minute load $(cut -d' ' -f1 /proc/loadavg) at the end; a fresh server per N, performance_schema ON, N tables in 10 schemas with 5 indexes each, every index read once.
One call of \`perf_snapshot_now()\` does what the snapshot thread does every
\`perf_advisor_snapshot_interval\` seconds. CPU: the server's CPU time (user +
system, 10 ms ticks) around each call, the server otherwise idle. Share of
one core = the larger of the median CPU and the median wall time, over the
interval. performance_schema keeps a counter row per index and one per
table for its reads without an index.

| tables | indexes | performance_schema index rows | performance_schema lost | indexes saved | store file KiB | wall ms, min / median | server CPU ms per call (5 calls) | share of one core at interval 300 s (default) / 60 s / 1 s |
|---|---|---|---|---|---|---|---|---|$rows"
echo "$report"
[ -n "$WRITE" ] && printf '\n%s\n' "$report" >>"$REPO/docs/benchmarks.md"
exit 0
