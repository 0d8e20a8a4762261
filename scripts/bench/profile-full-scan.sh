#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Where a repeated full PERF_INDEX_USAGE scan spends its time: N tables
# (default 10,000) in 10 schemas, 5 indexes each, performance_schema on but
# the plugin's copy of it kept fresh (perf_advisor_max_staleness_ms at its
# maximum), so that only the per-table work is measured.  Times the first
# and the following full scans against information_schema.STATISTICS, then
# samples the server with `perf record` over 5 full scans and prints the
# symbols that take the most samples.  Run from anywhere:
#   scripts/bench/profile-full-scan.sh [N]
# Results are written up by hand in docs/benchmarks.md.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
. "$REPO/scripts/lib/server.sh"
N=${1:-10000}
command -v perf >/dev/null || apt-get install -y -qq linux-perf >/dev/null
SO=$("$REPO/scripts/build.sh" | tail -n1)
pa_install_so "$SO"
pa_server_start --innodb-flush-log-at-trx-commit=0 --skip-log-bin \
  --performance-schema=ON --loose-perf-advisor-max-staleness-ms=3600000
PERF_DATA=
trap 'pa_server_stop; rm -f "${PERF_DATA:-}"' EXIT
python3 - "$N" <<'EOF' | pa_sql
import sys
n = int(sys.argv[1])
for s in range(10):
    print(f"CREATE DATABASE prof_{s};")
for i in range(n):
    print(f"CREATE TABLE prof_{i % 10}.t{i} (id INT PRIMARY KEY, a INT, b INT,"
          f" c INT, KEY(a), KEY(a,b), KEY(b), KEY(c,a)) ENGINE=InnoDB;")
EOF
timed() {  # label, query: elapsed ms inside one session
  pa_sql -N -e "SET @t=NOW(6); SELECT COUNT(*) FROM ($2) x INTO @c;
    SELECT '$1', TIMESTAMPDIFF(MICROSECOND, @t, NOW(6)) / 1000"
}
IU="SELECT SUM(SIZE_BYTES), SUM(REDUNDANCY IS NOT NULL) FROM information_schema.PERF_INDEX_USAGE"
ST="SELECT SUM(CARDINALITY) FROM information_schema.STATISTICS"
for r in 1 2 3 4; do timed "PERF_INDEX_USAGE full, run $r" "$IU"; done
for r in 1 2 3; do timed "information_schema.STATISTICS, run $r" "$ST"; done
PERF_DATA=$(mktemp /tmp/pa-profile.XXXXXX)
perf record -F 999 -g -o "$PERF_DATA" -p "$PA_PID" 2>/dev/null &
PERF_PID=$!
sleep 1
for r in 1 2 3 4 5; do timed "PERF_INDEX_USAGE full, profiled $r" "$IU"; done
kill -INT "$PERF_PID"; wait "$PERF_PID" 2>/dev/null || true
echo "--- self time by symbol (top 30)"
perf report -i "$PERF_DATA" --no-children --sort symbol --stdio 2>/dev/null \
  | grep -E '^ +[0-9.]+%' | awk 'NR <= 30'
echo "--- time under perf_advisor's per-table steps (children)"
perf report -i "$PERF_DATA" --children --sort symbol --stdio 2>/dev/null \
  | grep -E '^ +[0-9.]+% +[0-9.]+%' \
  | grep -E 'get_all_tables|fill_schema_table_from_frm|tdc_acquire_share|open_table_from_share|handler::ha_open|closefrm|index_usage_record|pa_model_build|model_open|load_facts|load_definitions|get_foreign_key_list|get_parent_foreign_key_list|pa_index_analyze|pa_index_columns_text|pa_index_blockers_text|pa_usage_status|pa_usage_hash|pa_state_read_table|iu_load_sizes|ha_innobase::open|ha_innobase::info|ha_innobase::close|schema_table_store_record|open_binary_frm|init_from_binary_frm_image|find_files' \
  | awk 'NR <= 30'
