#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Stress test: a throwaway server (performance_schema and userstat on, the
# plugin loaded, unix socket only), and for --seconds (default 600), in
# parallel: 16 connections of DML on InnoDB tables, 4 connections reading
# every PERF_ table and checking each answer, 2 connections of DDL churn,
# periodic FLUSH TABLES and UNINSTALL/INSTALL SONAME.  Then: the server is
# up, its error log is clean, its memory is flat, the usage store holds no
# dropped object, it shuts down cleanly.  Ends with "N passed, N failed".
#   scripts/stress.sh [--seconds N] [--keep] [--no-plugin-cycle]
# --keep keeps the temp dir (datadir, error log, driver output) even when
# every check passed; it is always kept when one failed.
# --no-plugin-cycle leaves out UNINSTALL/INSTALL SONAME (to look past a
# failure that it causes).  --control runs the same workload with no PERF_
# statement and no plugin cycling: the server's own memory growth, to
# compare with.
# See docs/reliability.md.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
ST_NAME=stress
SECONDS_ARG=600
CYCLE=--plugin-cycle
CHECKERS=4
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) SECONDS_ARG=$2; shift 2 ;;
    --seconds=*) SECONDS_ARG=${1#*=}; shift ;;
    --keep) ST_KEEP=1; shift ;;
    --no-plugin-cycle) CYCLE=--no-plugin-cycle; shift ;;
    --control) CHECKERS=0; CYCLE=--no-plugin-cycle; shift ;;
    *) echo "usage: $0 [--seconds N] [--keep] [--no-plugin-cycle] [--control]" >&2
       exit 2 ;;
  esac
done
. "$REPO/scripts/stress/common.sh"

st_prepare
st_start --userstat=ON --loose-perf-advisor-snapshot-interval=1 \
  || { check "server started" 0; st_finish; }
say "server pid $ST_PID, datadir $ST_DATA; running ${SECONDS_ARG} s"
n_plugins=$(st_sql -N -e "SELECT COUNT(*) FROM information_schema.PLUGINS
  WHERE PLUGIN_LIBRARY = 'perf_advisor.so' AND PLUGIN_STATUS = 'ACTIVE'")

# 1. the workload and the per-answer checks
nice -n 10 perl "$REPO/scripts/stress/stress.pl" --socket "$ST_SOCK" \
  --pid "$ST_PID" --dir "$ST_TMP" --seconds "$SECONDS_ARG" "$CYCLE" \
  --checkers "$CHECKERS" \
  >"$ST_TMP/stress.out" 2>"$ST_TMP/stress.err"
rc=$?
[ -s "$ST_TMP/stress.err" ] && sed 's/^/stress.pl: /' "$ST_TMP/stress.err" >&2
check "stress driver ran to its end" "$([ $rc = 0 ] && echo 1 || echo 0)" \
  "exit $rc"
while IFS=$'\t' read -r kind a b c; do
  case $kind in
    INFO) say "$a" ;;
    CHECK) check "$b" "$([ "$a" = ok ] && echo 1 || echo 0)" "$c" ;;
  esac
done <"$ST_TMP/stress.out"

# 2. afterwards: alive, plugin back in a clean state
alive=0
mariadb-admin --no-defaults -S "$ST_SOCK" -uroot ping >/dev/null 2>&1 && alive=1
check "server answers ping after the run" $alive
if [ $alive = 1 ]; then
  # The cycler may have stopped between UNINSTALL and INSTALL; INSTALL
  # SONAME recorded the plugin in mysql.plugin, where --plugin-load-add
  # does not: forget that row, the plugin stays loaded.
  st_sql -e "SET GLOBAL perf_advisor_snapshot_interval= 1" 2>/dev/null \
    || st_sql -e "INSTALL SONAME 'perf_advisor';
                  SET GLOBAL perf_advisor_snapshot_interval= 1"
  st_sql -e "DELETE FROM mysql.plugin WHERE dl = 'perf_advisor.so'"
  state=$(st_sql -N -e "SELECT
    (SELECT COUNT(*) FROM information_schema.PLUGINS
      WHERE PLUGIN_LIBRARY = 'perf_advisor.so' AND PLUGIN_STATUS = 'ACTIVE'),
    (SELECT COUNT(*) FROM mysql.plugin WHERE dl = 'perf_advisor.so')")
  check "plugin loaded, mysql.plugin clean at the end" \
    "$([ "$state" = "$n_plugins"$'\t'0 ] && echo 1 || echo 0)" \
    "active plugins, mysql.plugin rows: $state (want $n_plugins, 0)"

  # 3. the usage store forgets dropped objects: a full PERF_INDEX_USAGE
  # (forgets dropped indexes), snapshots (forget dropped tables), then
  # every record of the file must name something that exists.
  sleep 2.5
  st_sql -e "SELECT COUNT(*) FROM information_schema.PERF_INDEX_USAGE" \
    >/dev/null
  sleep 3
  cp "$ST_DATA/perf_advisor_usage.dat" "$ST_TMP/store-final.dat" 2>/dev/null
  if [ -f "$ST_TMP/store-final.dat" ]; then
    orphans=$(st_store_orphans "$ST_TMP/store-final.dat")
    n_rec=$(($(wc -l <"$ST_TMP/store-final.dat") - 2))
    check "usage store holds no dropped table or index" \
      "$([ -z "$orphans" ] && echo 1 || echo 0)" \
      "$n_rec records; orphans: $(echo "$orphans" | grep -c .)"
    [ -n "$orphans" ] && echo "$orphans" | head -n 10 | sed 's/^/  orphan: /' >&2
  else
    check "usage store file written" 0 "no $ST_DATA/perf_advisor_usage.dat"
  fi
fi

# 4. a clean, bounded shutdown; then the error log
ST_SHUTDOWN_HUNG=0
st_stop
check "clean shutdown within 120 s" "$([ $ST_SHUTDOWN_HUNG = 0 ] && echo 1 || echo 0)"
grep -q "mariadbd: Shutdown complete" "$ST_LOG"; sc=$?
check "error log: shutdown complete" "$([ $sc = 0 ] && echo 1 || echo 0)"
problems=$(st_log_problems "$ST_LOG")
check "error log: no assertion, signal, crash or unexpected warning" \
  "$([ -z "$problems" ] && echo 1 || echo 0)" \
  "$(echo "$problems" | grep -c .) lines"
[ -n "$problems" ] && echo "$problems" | sort | uniq -c | sort -rn | head -n 20 >&2
st_core_backtraces; cores=$?
check "no core file" "$([ $cores = 0 ] && echo 1 || echo 0)" "$cores cores"
st_finish
