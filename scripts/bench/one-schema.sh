#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# One schema of N tables (default 3,000; 5 indexes each): full
# PERF_INDEX_USAGE vs information_schema.STATISTICS, 3 runs each, ms; then
# how many index rows the scan returned and how many carry a size.  Run from
# anywhere:
#   scripts/bench/one-schema.sh [N]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
. "$REPO/scripts/lib/server.sh"
N=${1:-3000}
SO=$("$REPO/scripts/build.sh" | tail -n1)
pa_install_so "$SO"
pa_server_start --innodb-flush-log-at-trx-commit=0 --skip-log-bin
trap pa_server_stop EXIT
pa_sql -e "CREATE DATABASE one"
python3 - "$N" <<'EOF' | pa_sql
import sys
for i in range(int(sys.argv[1])):
    print(f"CREATE TABLE one.t{i} (id INT PRIMARY KEY, a INT, b INT, c INT,"
          f" KEY(a), KEY(a,b), KEY(b), KEY(c,a));")
EOF
for q in "SELECT SUM(SIZE_BYTES) FROM information_schema.PERF_INDEX_USAGE" \
         "SELECT SUM(CARDINALITY) FROM information_schema.STATISTICS"; do
  for r in 1 2 3; do
    pa_sql -N -e "SET @t= NOW(6); SELECT COUNT(*) FROM ($q) x INTO @c;
      SELECT '$q', TIMESTAMPDIFF(MICROSECOND, @t, NOW(6)) / 1000"
  done
done
pa_sql -N -e "SELECT 'index rows', COUNT(*), 'with a size', COUNT(SIZE_BYTES)
  FROM information_schema.PERF_INDEX_USAGE WHERE TABLE_SCHEMA = 'one'"
