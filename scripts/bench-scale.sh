#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Benchmark: the PERF_ tables, and what users would run instead, on servers
# with N = 100, 1,000 and 10,000 tables.  For each N, a throwaway server
# (performance_schema on, userstat on) gets N tables over 10 schemas with a
# realistic index mix (duplicates, left prefixes, unique, FULLTEXT,
# foreign keys), 5 rows each, plus 3 big tables of 200,000 rows, and a
# short workload.  Then, on that one server: every PERF_ table (full and
# one-table), the raw floor (information_schema.TABLES / STATISTICS), the sys
# views, pt-duplicate-key-checker and mysqltuner are timed, each repeated
# (min / median); the findings of each are counted; the footprint of full
# scans (status counters, RSS, the plugin's own memory) is taken; at the
# largest N, KILL QUERY and max_statement_time are tried on full scans.
#
#   scripts/bench-scale.sh [--quick] [--n N ...] [--timeout SECONDS] [--write]
#     --quick     N = 100 only
#     --n N       measure this N (repeatable; default 100 1000 10000)
#     --timeout   per external tool / sys view run (default 600)
#     --max-load L  before each N, wait (up to 15 min) for the 1-minute load
#                 average to fall to L: other servers on the machine skew times
#     --write     append the results to docs/benchmarks.md
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/scripts/lib/server.sh"

NS=()
WRITE=
SCALE_TIMEOUT=600
MAX_LOAD=
usage() { sed -n '5,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --quick) NS=(100) ;;
    --n) [ $# -ge 2 ] || usage; NS+=("$2"); shift ;;
    --n=*) NS+=("${1#--n=}") ;;
    --timeout) [ $# -ge 2 ] || usage; SCALE_TIMEOUT=$2; shift ;;
    --max-load) [ $# -ge 2 ] || usage; MAX_LOAD=$2; shift ;;
    --write) WRITE=1 ;;
    -h|--help) usage ;;
    *) echo "bench-scale: unknown argument '$1'" >&2; usage ;;
  esac
  shift
done
[ ${#NS[@]} -gt 0 ] || NS=(100 1000 10000)
for n in "${NS[@]}" "$SCALE_TIMEOUT"; do
  case $n in ''|*[!0-9]*|0) echo "bench-scale: '$n' is not a positive number" >&2; exit 2 ;; esac
done
case $MAX_LOAD in ''|[0-9]|[0-9].[0-9]*|[0-9][0-9]|[0-9][0-9].[0-9]*) ;;
  *) echo "bench-scale: --max-load '$MAX_LOAD' is not a number" >&2; exit 2 ;;
esac
mapfile -t NS < <(printf '%s\n' "${NS[@]}" | sort -n | uniq)
MAXN=${NS[${#NS[@]} - 1]}

FULL_REPS=5     # full scans of the PERF_ tables (also the footprint's rounds)
ONE_REPS=20     # one-table lookups
FLOOR_REPS=5
SYS_REPS=3
TOOL_REPS=3
SLOW_US=30000000  # a first run slower than 30 s is not repeated

SCALE_WORK=$(mktemp -d /tmp/bench-scale.XXXXXX)
. "$REPO/scripts/bench/scale-lib.sh"
KILL_BG=
cleanup() {
  local rc=$?
  if [ -n "$KILL_BG" ] && kill -0 "$KILL_BG" 2>/dev/null; then kill "$KILL_BG" 2>/dev/null || true; fi
  pa_server_stop || true
  rm -rf "$SCALE_WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "bench-scale: $*" >&2; }
die() { log "$*"; exit 1; }

# --- tools ------------------------------------------------------------------
need_pkg() {  # command, Debian package
  command -v "$1" >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || die "$1 is missing: apt-get install $2 (as root)"
  log "installing $2 (for $1)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" \
    >"$SCALE_WORK/apt.log" 2>&1 \
    || { DEBIAN_FRONTEND=noninteractive apt-get update >>"$SCALE_WORK/apt.log" 2>&1 \
         && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" \
            >>"$SCALE_WORK/apt.log" 2>&1; } \
    || { tail -n 20 "$SCALE_WORK/apt.log" >&2; die "cannot install $2"; }
}
need_pkg pt-duplicate-key-checker percona-toolkit
need_pkg mysqltuner mysqltuner
PT_VERSION=$(pt-duplicate-key-checker --version 2>/dev/null | awk '{ print $NF }')
MT_VERSION=$(dpkg-query -W -f='${Version}' mysqltuner 2>/dev/null || echo '?')

SO=$("$REPO/scripts/build.sh" | tail -n1)
pa_install_so "$SO"
# What was measured: the commit, and whether the plugin's sources differed.
PLUGIN_REV=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')
if [ -n "$(git -C "$REPO" status --porcelain -- plugin CMakeLists.txt 2>/dev/null)" ]; then
  PLUGIN_REV+=" with uncommitted changes"
fi
PLUGIN_REV="commit $PLUGIN_REV"

# Setup speed: no binary log, no redo flush per commit (the data is
# throwaway); InnoDB's file_per_table is the default.  The plugin's memory
# instrument is on from the start so that its bytes are counted.
SERVER_OPTS=(--performance-schema=ON
  "--performance-schema-instrument=memory/perf_advisor/%=ON"
  --innodb-buffer-pool-size=512M --innodb-file-per-table=ON
  --innodb-flush-log-at-trx-commit=0 --skip-log-bin)

# Results, keyed "N|key".
declare -A TMIN TMED TREPS NOTE VAL FP INFO

# --- measuring --------------------------------------------------------------
server_alive() {
  kill -0 "$PA_PID" 2>/dev/null || { tail -n 20 "$PA_TMP/error.log" >&2; die "the server died"; }
}

# Time a statement (adaptive repetitions, see SLOW_US); vals are the user
# variables it stores INTO, kept in VAL.
measure_sql() {  # n, key, reps, statement, vals
  local n=$1 key=$2 reps=$3 stmt=$4 vals=${5:-NULL} line times err
  line=$(scale_sql_reps 1 "$stmt" "$vals")
  server_alive
  if [ -s "$SCALE_WORK/sql.err" ] || [ -z "$line" ]; then
    err=$(scale_first_error "$SCALE_WORK/sql.err")
    case $err in
      *max_statement_time*) NOTE[$n|$key]="> $SCALE_TIMEOUT s" ;;
      *) NOTE[$n|$key]="failed (${err:-no result})" ;;
    esac
    log "  $key: ${NOTE[$n|$key]}"
    return 0
  fi
  times=${line%%$'\t'*}
  if [ "$reps" -gt 1 ] && [ "${times// /}" -lt "$SLOW_US" ]; then
    line=$(scale_sql_reps $((reps - 1)) "$stmt" "$vals")
    server_alive
    [ -s "$SCALE_WORK/sql.err" ] \
      && log "  $key: $(scale_first_error "$SCALE_WORK/sql.err") (later repetition)"
    times+=" ${line%%$'\t'*}"
  fi
  VAL[$n|$key]=${line#*$'\t'}
  read -r "TMIN[$n|$key]" "TMED[$n|$key]" <<<"$(echo "$times" | scale_stats)"
  TREPS[$n|$key]=$(echo $times | wc -w)
  log "  $key: ${TMIN[$n|$key]} / ${TMED[$n|$key]} ms (${TREPS[$n|$key]} runs)"
}

# Time an external command, wall clock (process start included), with
# SCALE_TIMEOUT.  Its last output is kept in $SCALE_WORK/<key>.out.
measure_cmd() {  # n, key, reps, command...
  local n=$1 key=$2 reps=$3 i t0 t1 rc times=""
  shift 3
  for ((i = 0; i < reps; i++)); do
    t0=$(date +%s%N); rc=0
    timeout "$SCALE_TIMEOUT" "$@" >"$SCALE_WORK/$key.out" 2>&1 </dev/null || rc=$?
    t1=$(date +%s%N)
    server_alive
    if [ "$rc" = 124 ]; then NOTE[$n|$key]="> $SCALE_TIMEOUT s"; break; fi
    if [ "$rc" != 0 ]; then
      NOTE[$n|$key]="failed (exit $rc: $(scale_first_error "$SCALE_WORK/$key.out"))"
      break
    fi
    times+=" $(( (t1 - t0) / 1000 ))"
    [ $(( (t1 - t0) / 1000 )) -lt "$SLOW_US" ] || break
  done
  if [ -n "$times" ] && [ -z "${NOTE[$n|$key]:-}" ]; then
    read -r "TMIN[$n|$key]" "TMED[$n|$key]" <<<"$(echo "$times" | scale_stats)"
    TREPS[$n|$key]=$(echo $times | wc -w)
    log "  $key: ${TMIN[$n|$key]} / ${TMED[$n|$key]} ms (${TREPS[$n|$key]} runs)"
  else
    log "  $key: ${NOTE[$n|$key]}"
  fi
}

# Status counters, RSS and the plugin's memory, as FP[n|tag|...].
snapshot() {  # n, tag
  local n=$1 tag=$2 name value
  while read -r name value; do
    FP[$n|$tag|$name]=$value
  done < <(pa_sql -N -e "
    SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS
    WHERE VARIABLE_NAME IN ('TABLE_OPEN_CACHE_OVERFLOWS', 'OPENED_TABLES',
      'OPENED_TABLE_DEFINITIONS', 'PERFORMANCE_SCHEMA_DIGEST_LOST');
    SELECT 'PA_BYTES', IFNULL(SUM(CURRENT_NUMBER_OF_BYTES_USED), 0)
    FROM performance_schema.memory_summary_global_by_event_name
    WHERE EVENT_NAME LIKE 'memory/perf_advisor/%';
    SELECT 'PA_HIGH', IFNULL(SUM(HIGH_NUMBER_OF_BYTES_USED), 0)
    FROM performance_schema.memory_summary_global_by_event_name
    WHERE EVENT_NAME LIKE 'memory/perf_advisor/%'")
  FP[$n|$tag|RSS_KB]=$(awk '/^VmRSS:/ { print $2 }' "/proc/$PA_PID/status")
}

IU_FULL="SELECT COUNT(*), SUM(READ_COUNT), SUM(REDUNDANCY IS NOT NULL), SUM(USAGE_STATUS = 'unused') INTO @c, @r, @red, @unused FROM information_schema.PERF_INDEX_USAGE"
TA_FULL="SELECT COUNT(*), SUM(TABLE_ROWS) INTO @c, @r FROM information_schema.PERF_TABLE_ANALYSIS"
RC_FULL="SELECT COUNT(*), SUM(LENGTH(EVIDENCE)) INTO @c, @r FROM information_schema.PERF_RECOMMENDATIONS"
CS_FULL="SELECT COUNT(*), SUM(SIZE) INTO @c, @r FROM information_schema.PERF_CACHE_STATS"
QA_FULL="SELECT COUNT(*), SUM(EXEC_COUNT) INTO @c, @r FROM information_schema.PERF_QUERY_ANALYSIS"
ONE_WHERE="WHERE TABLE_SCHEMA = 'scale_3' AND TABLE_NAME = 't3'"

# Make the plugin's copy of performance_schema stale (older than
# perf_advisor_max_staleness_ms, so the next PERF_ statement rereads it) or
# fresh (just reread, so the next one does not).
copy_state() {  # stale | fresh
  case $1 in
    stale) sleep 1.2 ;;
    fresh) pa_sql -e "SELECT COUNT(*) INTO @c FROM information_schema.PERF_TABLE_ANALYSIS $ONE_WHERE" ;;
  esac
}

# KILL QUERY of a full scan from another session after ~0.3 s.
kill_test() {  # n, key, stale|fresh, statement (must contain the marker literal)
  local n=$1 key=$2 copy=$3 stmt=$4 id="" ms=0 i t_kill t0 t_end wait_s
  copy_state "$copy"
  {
    echo "SET @t0= NOW(6);"
    echo "$stmt;"
    echo "SELECT UNIX_TIMESTAMP(@t0), UNIX_TIMESTAMP(NOW(6));"
  } | pa_sql -N --force >"$SCALE_WORK/kill.out" 2>"$SCALE_WORK/kill.err" &
  KILL_BG=$!
  for ((i = 0; i < 500; i++)); do
    read -r id ms < <(pa_sql -N -e "SELECT ID, TIME_MS FROM information_schema.PROCESSLIST
      WHERE INFO LIKE '%pa\\_kill\\_probe%' AND ID <> CONNECTION_ID() LIMIT 1") || true
    [ -z "$id" ] || break
    kill -0 "$KILL_BG" 2>/dev/null || break
    sleep 0.01
  done
  if [ -z "$id" ]; then
    wait "$KILL_BG" || true; KILL_BG=
    NOTE[$n|$key]="not killed: the statement ended before it was seen"
    log "  $key: ${NOTE[$n|$key]}"
    return 0
  fi
  wait_s=$(awk -v ms="$ms" 'BEGIN { w= (300 - ms) / 1000; printf "%.3f", (w > 0 ? w : 0) }')
  sleep "$wait_s"
  t_kill=$(pa_sql -N -e "SELECT UNIX_TIMESTAMP(NOW(6)); KILL QUERY $id" 2>>"$SCALE_WORK/kill.err" | head -n1) || true
  wait "$KILL_BG" || true; KILL_BG=
  read -r t0 t_end <"$SCALE_WORK/kill.out" || true
  [ -n "${t_end:-}" ] && [ -n "$t_kill" ] \
    || { NOTE[$n|$key]="no result ($(scale_first_error "$SCALE_WORK/kill.err"))"; return 0; }
  if awk -v a="$t_kill" -v b="$t_end" 'BEGIN { exit !(b < a) }'; then
    NOTE[$n|$key]="not killed: the statement ended after $(awk -v a="$t0" -v b="$t_end" 'BEGIN { printf "%.0f", (b - a) * 1000 }') ms, before the KILL"
    log "  $key: ${NOTE[$n|$key]}"
    return 0
  fi
  INFO[$n|$key|killed_after]=$(awk -v a="$t0" -v b="$t_kill" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
  INFO[$n|$key|returned]=$(awk -v a="$t_kill" -v b="$t_end" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
  INFO[$n|$key|total]=$(awk -v a="$t0" -v b="$t_end" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
  INFO[$n|$key|error]=$(scale_first_error "$SCALE_WORK/kill.err")
  log "  $key: killed after ${INFO[$n|$key|killed_after]} ms, returned ${INFO[$n|$key|returned]} ms later: ${INFO[$n|$key|error]:-no error}"
}

timeout_test() {  # n, key, stale|fresh, statement
  local n=$1 key=$2 copy=$3 stmt=$4 line
  copy_state "$copy"
  line=$({
    echo "SET @t0= NOW(6);"
    echo "SET STATEMENT max_statement_time= 0.5 FOR $stmt;"
    echo "SELECT TIMESTAMPDIFF(MICROSECOND, @t0, NOW(6));"
  } | pa_sql -N --force 2>"$SCALE_WORK/sql.err" | tail -n1) || true
  INFO[$n|$key|elapsed]=$(awk -v us="$line" 'BEGIN { printf "%.0f", us / 1000 }')
  INFO[$n|$key|error]=$(scale_first_error "$SCALE_WORK/sql.err")
  log "  $key: ${INFO[$n|$key|elapsed]} ms: ${INFO[$n|$key|error]:-no error}"
}

wait_quiet() {
  local i load
  [ -n "$MAX_LOAD" ] || return 0
  for ((i = 0; i < 45; i++)); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    awk -v l="$load" -v m="$MAX_LOAD" 'BEGIN { exit !(l <= m) }' && return 0
    [ $((i % 3)) != 0 ] || log "load average $load > $MAX_LOAD: waiting"
    sleep 20
  done
  log "load average still $load: measuring anyway"
}

run_n() {
  local n=$1 t0 line key try copy
  log "N=$n: starting a throwaway server"
  # Other servers share /tmp: mariadb-install-db can trip over their
  # temporary files, so try again; the server gets a tmpdir of its own.
  mkdir -p "$SCALE_WORK/tmp"
  for try in 1 2 3; do
    PA_PID=
    pa_server_start "${SERVER_OPTS[@]}" --tmpdir="$SCALE_WORK/tmp" && break
    pa_server_stop
    [ "$try" -lt 3 ] || die "cannot start a server"
    log "N=$n: server start failed, trying again"
    sleep 2
  done
  printf '[client]\nuser=root\nsocket=%s\n' "$PA_SOCK" >"$SCALE_WORK/client.cnf"
  pa_sql -e "CREATE FUNCTION perf_analyze_table RETURNS STRING
             SONAME 'perf_advisor.so'" || die "cannot create perf_analyze_table"

  wait_quiet
  log "N=$n: creating $n tables in $SCALE_SCHEMAS schemas, and $SCALE_BIG_TABLES × $SCALE_BIG_ROWS rows"
  t0=$(date +%s)
  scale_setup_sql "$n" | pa_sql || die "setup failed"
  scale_big_sql | pa_sql >/dev/null || die "setup of the big tables failed"
  INFO[$n|setup_s]=$(( $(date +%s) - t0 ))
  log "N=$n: setup took ${INFO[$n|setup_s]} s; running the workload"
  # unused after no observation time: findings now, not in a week;
  # PERF_RECOMMENDATIONS uncapped so that every finding is counted.
  pa_sql -e "SET GLOBAL userstat= ON;
    SET GLOBAL perf_advisor_min_observation_seconds= 0;
    SET GLOBAL perf_advisor_max_recommendations= 0"
  t0=$(date +%s)
  scale_workload_sql "$n" | pa_sql >/dev/null || die "workload failed"
  INFO[$n|workload_s]=$(( $(date +%s) - t0 ))
  INFO[$n|tables]=$(pa_sql -N -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA LIKE 'scale\\_%'")
  INFO[$n|digests]=$(pa_sql -N -e "SELECT COUNT(*) FROM performance_schema.events_statements_summary_by_digest")

  # The first PERF_ statements since the start, then the same again: the
  # first call vs a second, consecutive one, in one session.
  INFO[$n|load0]=$(cut -d' ' -f1 /proc/loadavg)
  log "N=$n: first calls"
  snapshot "$n" s0
  line=$({
    for s in "$IU_FULL" "$IU_FULL" "$TA_FULL" "$RC_FULL" "$CS_FULL"; do
      echo "SET @t0= NOW(6); $s; SET @pa_t= CONCAT_WS(' ', @pa_t, TIMESTAMPDIFF(MICROSECOND, @t0, NOW(6)));"
    done
    echo "SELECT @pa_t;"
  } | pa_sql -N | tail -n1) || die "the first calls failed"
  read -r "INFO[$n|iu_first]" "INFO[$n|iu_second]" "INFO[$n|ta_first]" "INFO[$n|rc_first]" "INFO[$n|cs_first]" <<<"$line"
  snapshot "$n" s1

  log "N=$n: full scans ($FULL_REPS each)"
  measure_sql "$n" iu_full $FULL_REPS "$IU_FULL" "@c, @r, @red, @unused"
  # the per-table work alone: the copy of performance_schema kept fresh
  # (a full scan longer than perf_advisor_max_staleness_ms otherwise
  # rereads it on the next one)
  pa_sql -e "SET GLOBAL perf_advisor_max_staleness_ms= 3600000"
  measure_sql "$n" iu_full_fresh $FULL_REPS "$IU_FULL" "@c, @r, @red, @unused"
  pa_sql -e "SET GLOBAL perf_advisor_max_staleness_ms= DEFAULT"
  measure_sql "$n" ta_full $FULL_REPS "$TA_FULL" "@c"
  measure_sql "$n" rc_full $FULL_REPS "$RC_FULL" "@c"
  measure_sql "$n" cs_full $FULL_REPS "$CS_FULL" "@c"
  measure_sql "$n" qa_full $FULL_REPS "$QA_FULL" "@c"
  snapshot "$n" s2
  INFO[$n|rounds]=${TREPS[$n|iu_full]:-0}

  log "N=$n: one-table lookups"
  measure_sql "$n" iu_one $ONE_REPS "SELECT COUNT(*), SUM(READ_COUNT) INTO @c, @r FROM information_schema.PERF_INDEX_USAGE $ONE_WHERE" "@c"
  measure_sql "$n" ta_one $ONE_REPS "SELECT COUNT(*), SUM(TABLE_ROWS) INTO @c, @r FROM information_schema.PERF_TABLE_ANALYSIS $ONE_WHERE" "@c"
  measure_sql "$n" iu_one_big $ONE_REPS "SELECT COUNT(*), SUM(READ_COUNT) INTO @c, @r FROM information_schema.PERF_INDEX_USAGE WHERE TABLE_SCHEMA = 'scale_big' AND TABLE_NAME = 'big_0'" "@c"
  # What reading performance_schema costs (perf_advisor_max_staleness_ms = 0:
  # every statement rereads it, as the first one after a quiet second does).
  pa_sql -e "SET GLOBAL perf_advisor_max_staleness_ms= 0"
  measure_sql "$n" ta_one_live $FLOOR_REPS "SELECT COUNT(*), SUM(TABLE_ROWS) INTO @c, @r FROM information_schema.PERF_TABLE_ANALYSIS $ONE_WHERE" "@c"
  pa_sql -e "SET GLOBAL perf_advisor_max_staleness_ms= DEFAULT"
  measure_sql "$n" rc_one $ONE_REPS "SELECT COUNT(*), SUM(LENGTH(EVIDENCE)) INTO @c, @r FROM information_schema.PERF_RECOMMENDATIONS $ONE_WHERE" "@c"
  measure_sql "$n" qa_one $ONE_REPS "SELECT COUNT(*), SUM(EXEC_COUNT) INTO @c, @r FROM information_schema.PERF_QUERY_ANALYSIS $ONE_WHERE" "@c"
  measure_sql "$n" udf_one $ONE_REPS "SELECT LENGTH(perf_analyze_table('scale_3', 't3')) INTO @c" "@c"

  log "N=$n: floors"
  measure_sql "$n" is_tables $FLOOR_REPS "SELECT COUNT(*), SUM(DATA_LENGTH), SUM(INDEX_LENGTH) INTO @c, @d, @i FROM information_schema.TABLES" "@c"
  measure_sql "$n" is_stats $FLOOR_REPS "SELECT COUNT(*), SUM(CARDINALITY) INTO @c, @r FROM information_schema.STATISTICS" "@c"
  # the walk over table definitions alone (no handler opened), as any
  # tool that reads index definitions pays it: the floor of a repeated call
  measure_sql "$n" is_columns $FLOOR_REPS "SELECT COUNT(*) INTO @c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA LIKE 'scale%'" "@c"

  log "N=$n: sys schema (timeout $SCALE_TIMEOUT s)"
  measure_sql "$n" sys_unused $SYS_REPS "SELECT COUNT(*) INTO @c FROM sys.schema_unused_indexes" "@c"
  measure_sql "$n" sys_redundant $SYS_REPS "SELECT COUNT(*) INTO @c FROM sys.schema_redundant_indexes" "@c"
  measure_sql "$n" sys_scans $SYS_REPS "SELECT COUNT(*) INTO @c FROM sys.schema_tables_with_full_table_scans" "@c"

  log "N=$n: external tools (timeout $SCALE_TIMEOUT s)"
  measure_cmd "$n" ptdkc $TOOL_REPS pt-duplicate-key-checker \
    --socket "$PA_SOCK" --user root \
    --ignore-databases mysql,sys,performance_schema,information_schema
  [ -z "${NOTE[$n|ptdkc]:-}" ] && VAL[$n|ptdkc]=$(awk '/^# Total Duplicate Indexes/ { print $NF }' "$SCALE_WORK/ptdkc.out")
  measure_cmd "$n" mysqltuner 1 mysqltuner --defaults-file "$SCALE_WORK/client.cnf" --nocolor --noask
  [ -z "${NOTE[$n|mysqltuner]:-}" ] && VAL[$n|mysqltuner]=$(grep -c '^\[!!\]' "$SCALE_WORK/mysqltuner.out" || true)
  if [ -n "${NOTE[$n|mysqltuner]:-}" ]; then
    # Debian's 1.9.9 divides by innodb_buffer_pool_instances, which 10.11
    # no longer has; --skipsize skips its InnoDB section (and the table
    # enumeration) and gets through.
    measure_cmd "$n" mysqltuner_skipsize $TOOL_REPS mysqltuner --defaults-file "$SCALE_WORK/client.cnf" --nocolor --noask --skipsize
    [ -z "${NOTE[$n|mysqltuner_skipsize]:-}" ] \
      && VAL[$n|mysqltuner_skipsize]=$(grep -c '^\[!!\]' "$SCALE_WORK/mysqltuner_skipsize.out" || true)
  fi

  # Findings not given by the timed statements.
  VAL[$n|rc_types]=$(pa_sql -N -e "SELECT IFNULL(GROUP_CONCAT(CONCAT(TYPE, ' ', c) ORDER BY TYPE SEPARATOR ', '), 'none') FROM (SELECT TYPE, COUNT(*) AS c FROM information_schema.PERF_RECOMMENDATIONS GROUP BY TYPE) AS t")

  if [ "$n" = "$MAXN" ]; then
    log "N=$n: KILL QUERY and max_statement_time"
    for copy in stale fresh; do
      kill_test "$n" "kill_rc_$copy" $copy "SELECT COUNT(*), SUM(LENGTH(EVIDENCE)), 'pa_kill_probe' INTO @c, @r, @p FROM information_schema.PERF_RECOMMENDATIONS"
      kill_test "$n" "kill_iu_$copy" $copy "SELECT COUNT(*), SUM(READ_COUNT), 'pa_kill_probe' INTO @c, @r, @p FROM information_schema.PERF_INDEX_USAGE"
      timeout_test "$n" "mst_rc_$copy" $copy "$RC_FULL"
      timeout_test "$n" "mst_iu_$copy" $copy "$IU_FULL"
    done
  fi
  INFO[$n|load1]=$(cut -d' ' -f1 /proc/loadavg)
  INFO[$n|error_log]=$(grep -ciE '\[ERROR\]|perf_advisor.*warn' "$PA_TMP/error.log" || true)
  log "N=$n: stopping the server"
  pa_server_stop
}

for n in "${NS[@]}"; do
  run_n "$n"
done

# --- report -----------------------------------------------------------------
cell() {  # n, key -> "min / median" or the note
  local k="$1|$2"
  if [ -n "${NOTE[$k]:-}" ]; then echo "${NOTE[$k]}";
  elif [ -n "${TMED[$k]:-}" ]; then echo "${TMIN[$k]} / ${TMED[$k]}";
  else echo "—"; fi
}
val() { local v=${VAL[$1|$2]:-}; v=${v//$'\t'/ }; echo "${v:-—}"; }
col() { echo "$1" | awk -v i="$2" '{ print $i }'; }   # i-th word
mib() { awk -v kb="$1" 'BEGIN { printf "%.0f", kb / 1024 }'; }
delta() { awk -v a="$1" -v b="$2" -v r="${3:-1}" 'BEGIN { printf (r > 1 ? "%.1f" : "%.0f"), (b - a) / r }'; }

hdr="| what | runs |"; sep="|---|---|"
for n in "${NS[@]}"; do hdr+=" N = $n: min / median ms |"; sep+="---|"; done
for ((i = 1; i < ${#NS[@]}; i++)); do
  hdr+=" min per 10× N, ${NS[i-1]}→${NS[i]} |"; sep+="---|"
done
row() {  # key, label
  local key=$1 label=$2 line reps="" n i
  for n in "${NS[@]}"; do reps+="${reps:+/}${TREPS[$n|$key]:-–}"; done
  line="| $label | $reps |"
  for n in "${NS[@]}"; do line+=" $(cell "$n" "$key") |"; done
  for ((i = 1; i < ${#NS[@]}; i++)); do
    line+=" $(scale_growth "${NS[i-1]}" "${TMIN[${NS[i-1]}|$key]:-x}" "${NS[i]}" "${TMIN[${NS[i]}|$key]:-x}") |"
  done
  echo "$line"
}
frow() {  # label, key [, word index]
  local line="| $1 |" n v
  for n in "${NS[@]}"; do
    v=$(val "$n" "$2")
    [ -z "${3:-}" ] || v=$(col "$v" "$3")
    [ -z "${NOTE[$n|$2]:-}" ] || v="(${NOTE[$n|$2]})"
    line+=" ${v:-—} |"
  done
  echo "$line"
}
nhdr="| |"; nsep="|---|"
for n in "${NS[@]}"; do nhdr+=" N = $n |"; nsep+="---|"; done

machine="$(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, MariaDB $(mariadbd --version | awk '{ print $3 }'), Linux $(uname -r)"
report=$(
  echo "### Scale, N = ${NS[*]} tables ($(date -u +%Y-%m-%d))"
  echo
  echo "Machine: $machine. perf_advisor $PLUGIN_REV; percona-toolkit $PT_VERSION, mysqltuner $MT_VERSION."
  echo "Per N, a fresh server; N small tables + 10 parents + 3 × $SCALE_BIG_ROWS-row tables"
  per_n() {  # format with {n} for N and {v} for the value; values from the named array
    local fmt=$1 arr=$2 key=$3 out="" n v
    for n in "${NS[@]}"; do
      eval "v=\${$arr[\$n|$key]:-?}"
      out+="${out:+, }$(echo "$fmt" | sed "s/{n}/$n/; s|{v}|$v|")"
    done
    echo "$out"
  }
  echo "(tables in the scale_ schemas: $(per_n '{v} at N = {n}' INFO tables);"
  echo "setup took $(per_n "{v} s at N = {n}" INFO setup_s); the workload, $(per_n '{v} s' INFO workload_s),"
  echo "left $(per_n '{v}' INFO digests) statement digests)."
  echo "1-minute load average before / after the measurements (other servers share the"
  echo "machine): $(per_n '{v}' INFO load0) / $(per_n '{v}' INFO load1)."
  echo "One client session per statement; times are NOW(6) differences, except the two"
  echo "external tools (wall clock, process start included). min / median in ms;"
  echo "a first run slower than 30 s is not repeated; timeout $SCALE_TIMEOUT s. Growth is"
  echo "computed from the minimum, the figure least disturbed by other load."
  echo
  echo "$hdr"; echo "$sep"
  row iu_full "PERF_INDEX_USAGE, full (SUM(READ_COUNT))"
  row iu_full_fresh "PERF_INDEX_USAGE, full, copy of performance_schema kept fresh (per-table work only)"
  row iu_one "PERF_INDEX_USAGE, one table"
  row iu_one_big "PERF_INDEX_USAGE, one table of the 3-table schema scale_big"
  row ta_full "PERF_TABLE_ANALYSIS, full (SUM(TABLE_ROWS))"
  row ta_one "PERF_TABLE_ANALYSIS, one table"
  row ta_one_live "PERF_TABLE_ANALYSIS, one table, \`perf_advisor_max_staleness_ms = 0\` (rereads performance_schema)"
  row rc_full "PERF_RECOMMENDATIONS, full (SUM(LENGTH(EVIDENCE)))"
  row rc_one "PERF_RECOMMENDATIONS, one table"
  row cs_full "PERF_CACHE_STATS, full (no per-table form)"
  row qa_full "PERF_QUERY_ANALYSIS, full (SUM(EXEC_COUNT))"
  row qa_one "PERF_QUERY_ANALYSIS, one table"
  row udf_one "perf_analyze_table('scale_3', 't3'), LENGTH of the JSON"
  row is_tables "floor: I_S.TABLES, SUM(DATA_LENGTH), SUM(INDEX_LENGTH)"
  row is_stats "floor: I_S.STATISTICS, SUM(CARDINALITY)"
  row is_columns "definitions only: I_S.COLUMNS of the scale schemas, COUNT(*)"
  row sys_unused "sys.schema_unused_indexes"
  row sys_redundant "sys.schema_redundant_indexes"
  row sys_scans "sys.schema_tables_with_full_table_scans"
  row ptdkc "pt-duplicate-key-checker"
  row mysqltuner "mysqltuner (defaults)"
  [ -z "${TMED[${NS[0]}|mysqltuner_skipsize]:-}${NOTE[${NS[0]}|mysqltuner_skipsize]:-}" ] \
    || row mysqltuner_skipsize "mysqltuner --skipsize"
  echo
  echo "Findings (one table is \`$ONE_WHERE\`; perf_advisor_min_observation_seconds = 0,"
  echo "perf_advisor_max_recommendations = 0 so that nothing is withheld or capped):"
  echo
  echo "$nhdr"; echo "$nsep"
  frow "PERF_INDEX_USAGE rows (indexes)" iu_full 1
  frow "PERF_INDEX_USAGE, REDUNDANCY IS NOT NULL" iu_full 3
  frow "PERF_INDEX_USAGE, USAGE_STATUS = 'unused'" iu_full 4
  frow "PERF_RECOMMENDATIONS by TYPE" rc_types
  frow "sys.schema_redundant_indexes rows" sys_redundant
  frow "sys.schema_unused_indexes rows" sys_unused
  frow "sys.schema_tables_with_full_table_scans rows" sys_scans
  frow "pt-duplicate-key-checker, Total Duplicate Indexes" ptdkc
  frow "mysqltuner --skipsize, [!!] lines" mysqltuner_skipsize
  echo
  echo "First call vs a second, consecutive one (the first PERF_ statements since the"
  echo "server started, one session), ms:"
  echo
  echo "$nhdr"; echo "$nsep"
  line="| PERF_INDEX_USAGE, first |"; for n in "${NS[@]}"; do line+=" $(awk -v u="${INFO[$n|iu_first]:-0}" 'BEGIN { printf "%.1f", u / 1000 }') |"; done; echo "$line"
  line="| PERF_INDEX_USAGE, second |"; for n in "${NS[@]}"; do line+=" $(awk -v u="${INFO[$n|iu_second]:-0}" 'BEGIN { printf "%.1f", u / 1000 }') |"; done; echo "$line"
  line="| first / second |"; for n in "${NS[@]}"; do line+=" $(awk -v a="${INFO[$n|iu_first]:-0}" -v b="${INFO[$n|iu_second]:-0}" 'BEGIN { printf (b > 0 ? "%.2f" : "—"), a / b }') |"; done; echo "$line"
  line="| first / median of the $FULL_REPS repeated |"; for n in "${NS[@]}"; do line+=" $(awk -v a="${INFO[$n|iu_first]:-0}" -v b="${TMED[$n|iu_full]:-0}" 'BEGIN { printf (b > 0 ? "%.2f" : "—"), a / 1000 / b }') |"; done; echo "$line"
  line="| first PERF_TABLE_ANALYSIS / PERF_RECOMMENDATIONS / PERF_CACHE_STATS |"; for n in "${NS[@]}"; do line+=" $(awk -v a="${INFO[$n|ta_first]:-0}" -v b="${INFO[$n|rc_first]:-0}" -v c="${INFO[$n|cs_first]:-0}" 'BEGIN { printf "%.1f / %.1f / %.1f", a / 1000, b / 1000, c / 1000 }') |"; done; echo "$line"
  echo
  echo "Footprint of full scans: *first round* = the first calls above (PERF_INDEX_USAGE"
  echo "twice, the three others once); *per repeated round* = the $FULL_REPS timed full scans of each"
  echo "PERF_ table, divided by the rounds. Server defaults: table_open_cache 2000,"
  echo "table_definition_cache 400. Plugin memory: performance_schema"
  echo "memory_summary_global_by_event_name, \`memory/perf_advisor/%\`, current bytes."
  echo
  echo "$nhdr"; echo "$nsep"
  for spec in "Opened_tables:OPENED_TABLES" "Opened_table_definitions:OPENED_TABLE_DEFINITIONS" \
              "Table_open_cache_overflows:TABLE_OPEN_CACHE_OVERFLOWS" \
              "Performance_schema_digest_lost:PERFORMANCE_SCHEMA_DIGEST_LOST"; do
    label=${spec%%:*}; var=${spec#*:}
    line="| $label: first round / per repeated round |"
    for n in "${NS[@]}"; do
      line+=" $(delta "${FP[$n|s0|$var]:-0}" "${FP[$n|s1|$var]:-0}") / $(delta "${FP[$n|s1|$var]:-0}" "${FP[$n|s2|$var]:-0}" "${INFO[$n|rounds]:-1}") |"
    done
    echo "$line"
  done
  line="| server RSS MiB: before / after first round / after repeated rounds |"
  for n in "${NS[@]}"; do line+=" $(mib "${FP[$n|s0|RSS_KB]:-0}") / $(mib "${FP[$n|s1|RSS_KB]:-0}") / $(mib "${FP[$n|s2|RSS_KB]:-0}") |"; done; echo "$line"
  line="| plugin memory KiB: before / after first round / after repeated rounds |"
  for n in "${NS[@]}"; do line+=" $(awk -v a="${FP[$n|s0|PA_BYTES]:-0}" -v b="${FP[$n|s1|PA_BYTES]:-0}" -v c="${FP[$n|s2|PA_BYTES]:-0}" 'BEGIN { printf "%.0f / %.0f / %.0f", a / 1024, b / 1024, c / 1024 }') |"; done; echo "$line"
  line="| plugin memory per 1,000 indexes, KiB (after repeated rounds; high-water) |"
  for n in "${NS[@]}"; do
    idx=$(col "$(val "$n" iu_full)" 1)
    line+=" $(awk -v b="${FP[$n|s2|PA_BYTES]:-0}" -v h="${FP[$n|s2|PA_HIGH]:-0}" -v i="$idx" 'BEGIN { if (i + 0 > 0) printf "%.1f (%.1f)", b / 1024 / (i / 1000), h / 1024 / (i / 1000); else printf "—" }') |"
  done; echo "$line"
  echo
  echo "Cancelling a full scan at N = $MAXN (target: back within 1 s of the KILL). *stale*: the"
  echo "plugin's copy of performance_schema is older than perf_advisor_max_staleness_ms, so"
  echo "the statement first rereads it (as the first PERF_ statement after a quiet second"
  echo "does); *fresh*: a PERF_ statement has just reread it."
  echo
  echo "| statement | copy | uninterrupted median ms | KILL QUERY sent after ms | returned after the KILL, ms | error |"
  echo "|---|---|---|---|---|---|"
  for spec in "kill_rc:rc_full:PERF_RECOMMENDATIONS" "kill_iu:iu_full:PERF_INDEX_USAGE"; do
    k=${spec%%:*}; rest=${spec#*:}; f=${rest%%:*}; t=${rest#*:}
    for copy in stale fresh; do
      if [ -n "${NOTE[$MAXN|${k}_$copy]:-}" ]; then
        echo "| $t, full | $copy | ${TMED[$MAXN|$f]:-—} | ${NOTE[$MAXN|${k}_$copy]} | | |"
      else
        echo "| $t, full | $copy | ${TMED[$MAXN|$f]:-—} | ${INFO[$MAXN|${k}_$copy|killed_after]:-—} | ${INFO[$MAXN|${k}_$copy|returned]:-—} | ${INFO[$MAXN|${k}_$copy|error]:-none} |"
      fi
    done
  done
  echo
  echo "| statement | copy | elapsed ms | error |"
  echo "|---|---|---|---|"
  for spec in "mst_rc:PERF_RECOMMENDATIONS" "mst_iu:PERF_INDEX_USAGE"; do
    k=${spec%%:*}; t=${spec#*:}
    for copy in stale fresh; do
      echo "| \`SET STATEMENT max_statement_time=0.5 FOR\` $t, full | $copy | ${INFO[$MAXN|${k}_$copy|elapsed]:-—} | ${INFO[$MAXN|${k}_$copy|error]:-none} |"
    done
  done
)

echo "$report"
if [ -n "$WRITE" ]; then
  doc="$REPO/docs/benchmarks.md"
  if ! grep -q '^## Scale (`scripts/bench-scale.sh' "$doc"; then
    cat >>"$doc" <<'INTRO'

## Scale (`scripts/bench-scale.sh [--quick] [--n N ...] [--max-load L] [--write]`)

For each N (100, 1,000, 10,000), a fresh throwaway server: performance_schema
on, `userstat` set ON at runtime; binary log off, `innodb_flush_log_at_trx_commit=0`
and `innodb_file_per_table` for setup speed; every other setting at its
default (notably `table_open_cache=2000`, `table_definition_cache=400`). It
gets N InnoDB tables spread over 10 schemas. Every table has a primary key, a
unique key, a duplicate pair, a left-prefix pair and 5 rows; by its rank in
its schema, every 4th also has a primary-key-suffix pair (`KEY(created)`,
`KEY(created, id)`), every 20th a FULLTEXT index, every 5th a foreign key to
its schema's parent table. Three more tables have 200,000 rows each. Setup
runs in an uninstrumented session; a short workload, the same for every N
(lookups, scans and updates on the big tables and on up to 500 small tables),
gives performance_schema and userstat their data.

Then, on that one server: every PERF_ table, full and for one table; the
floor any tool pays (`information_schema.TABLES` with sizes,
`information_schema.STATISTICS` with cardinalities); the sys views users
would query instead; pt-duplicate-key-checker and mysqltuner. Each is
repeated (min / median) and its findings counted. The growth columns say how
much the minimum grows per 10× tables (1× = flat, 10× = linear, 100× =
quadratic). `perf_advisor_min_observation_seconds=0` and
`perf_advisor_max_recommendations=0`, so that findings are neither withheld
for a week nor capped. The footprint rows are the status counters, the
server's RSS and the plugin's own memory (`memory/perf_advisor/%` in
performance_schema, instrumented from startup) around the full scans. At the
largest N, full scans are cancelled with `KILL QUERY` after 0.3 s and with
`max_statement_time=0.5`, once with the plugin's copy of performance_schema
stale (the statement must reread it first) and once fresh.

mysqltuner 1.9.9 (Debian 12) dies with "Illegal division by zero" in its
InnoDB section on MariaDB 10.11 (it divides by
`innodb_buffer_pool_instances`, which 10.11 no longer has); with
`--skipsize` it skips that section and its table enumeration and gets
through, so that run is timed instead. It is given the socket through
`--defaults-file` (with `--socket`, it adds `-P 3306` and the client then
uses TCP, which this server does not listen on).

The machine is shared with other engineers' servers: each result block gives
the load average around its measurements; `--max-load` waits for a quiet
machine before each N.
INTRO
  fi
  printf '\n%s\n' "$report" >>"$doc"
  log "appended to docs/benchmarks.md"
fi
