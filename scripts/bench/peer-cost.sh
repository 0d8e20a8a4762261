#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# The cost of reading peers (docs/cluster.md): two throwaway servers, A and
# B, each with one schema of N tables (default 1,000; 4 secondary indexes
# each).  On A, a full PERF_INDEX_USAGE that reads a merged column
# (USAGE_STATUS) is timed with 0, 1 and 2 declared peers, each a
# FederatedX table over B's PERF_INDEX_USAGE node columns (2 peers: two
# tables over B, read at once), R runs each (default 3), ms; B is reached
# through its unix socket.  Run from anywhere:
#   scripts/bench/peer-cost.sh [N] [R]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
. "$REPO/scripts/lib/server.sh"
N=${1:-1000}
R=${2:-3}
SO=$("$REPO/scripts/build.sh" | tail -n1)
pa_install_so "$SO"

# B first; its variables are kept aside while A runs.
pa_server_start --innodb-flush-log-at-trx-commit=0 --skip-log-bin
B_TMP=$PA_TMP B_SOCK=$PA_SOCK B_PID=$PA_PID
stop_both() {
  pa_server_stop || true
  PA_TMP=$B_TMP PA_SOCK=$B_SOCK PA_PID=$B_PID
  pa_server_stop || true
}
trap stop_both EXIT
PA_TMP=
pa_server_start --innodb-flush-log-at-trx-commit=0 --skip-log-bin \
  --plugin-load-add=ha_federatedx
A_TMP=$PA_TMP A_SOCK=$PA_SOCK A_PID=$PA_PID

schema() {  # the same schema on both servers
  python3 - "$N" <<'PY'
import sys
print("CREATE DATABASE peer;")
for i in range(int(sys.argv[1])):
    print(f"CREATE TABLE peer.t{i} (id INT PRIMARY KEY, a INT, b INT, c INT,"
          f" KEY(a), KEY(a,b), KEY(b), KEY(c,a));")
PY
}
schema | pa_sql
schema | PA_SOCK=$B_SOCK pa_sql
PA_SOCK=$B_SOCK pa_sql -e "SET GLOBAL perf_advisor_min_observation_seconds= 0"

# FederatedX refuses localhost without a port (a loopback guard); with a
# port given, the client still takes the socket for localhost.
cols="TABLE_SCHEMA VARCHAR(64) NOT NULL, TABLE_NAME VARCHAR(64) NOT NULL,
  INDEX_NAME VARCHAR(64) NOT NULL, READ_COUNT BIGINT UNSIGNED,
  NODE_USAGE_STATUS VARCHAR(16) NOT NULL, NODE_NAME VARCHAR(255) NOT NULL"
pa_sql <<SQL
SET GLOBAL perf_advisor_min_observation_seconds= 0;
CREATE SERVER peer_b FOREIGN DATA WRAPPER mysql OPTIONS (HOST 'localhost',
  PORT 3306, SOCKET '$B_SOCK', USER 'root', DATABASE 'information_schema');
CREATE DATABASE pa_peers;
CREATE TABLE pa_peers.b1 ($cols) ENGINE=FEDERATED CONNECTION='peer_b/PERF_INDEX_USAGE';
CREATE TABLE pa_peers.b2 ($cols) ENGINE=FEDERATED CONNECTION='peer_b/PERF_INDEX_USAGE';
SQL

Q="SELECT COUNT(*), SUM(USAGE_STATUS = 'unknown') INTO @c, @u FROM information_schema.PERF_INDEX_USAGE WHERE TABLE_SCHEMA = 'peer'"
echo "| peers | index rows | counted on every node | run times, ms |"
echo "|---|---|---|---|"
for peers in "" "pa_peers.b1" "pa_peers.b1, pa_peers.b2"; do
  times=$(
    for r in $(seq 1 "$R"); do
      pa_sql -N -e "SET GLOBAL perf_advisor_peer_tables= '$peers';
        SET @t= NOW(6); $Q;
        SELECT ROUND(TIMESTAMPDIFF(MICROSECOND, @t, NOW(6)) / 1000, 1)"
    done | paste -sd' ')
  read -r rows counted < <(pa_sql -N -e "SET GLOBAL perf_advisor_peer_tables= '$peers';
    SELECT COUNT(*), SUM(NODES_COUNTED = 1 + ('$peers' <> '') + ('$peers' LIKE '%,%'))
      FROM information_schema.PERF_INDEX_USAGE WHERE TABLE_SCHEMA = 'peer'")
  n=$(awk -v p="$peers" 'BEGIN { print p == "" ? 0 : split(p, a, ",") }')
  echo "| $n | $rows | $counted | $times |"
done
