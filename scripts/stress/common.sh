# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Shared by scripts/stress.sh and scripts/crash-cycles.sh: a throwaway
# server of our own (temp datadir, unix socket only, no TCP), with the
# freshly built plugin in a private plugin directory, so that nothing in the
# system plugin directory is touched and other people's servers are not
# affected.  Source it; needs REPO set.
#
#   st_setup              build, make ST_TMP, copy the .so, install a datadir
#   st_start [opts...]    start mariadbd on ST_DATA (sets ST_PID)
#   st_stop               clean shutdown (bounded), then SIGKILL
#   st_cleanup            stop, and remove ST_TMP unless ST_KEEP=1
#   st_log_problems FILE [FROM_LINE]   error-log lines that are not expected
#   st_rss_kb             resident set size of ST_PID, in KiB
#   check NAME OK [DETAIL] count one check (pass/fail) and print failures
#   st_prepare            the Perl driver and st_setup, or finish as failed;
#                         an interrupt finishes the run as failed
#   st_finish             clean up, print "N passed, N failed", exit (non-zero
#                         on any failure or when nothing passed)

ST_TMP=; ST_PID=; ST_KEEP=${ST_KEEP:-0}
passed=0; failed=0

say() { echo "$ST_NAME: $*" >&2; }

check() {
  local name=$1 ok=$2; shift 2
  if [ "$ok" = 1 ]; then
    passed=$((passed + 1))
    say "ok   $name${*:+ ($*)}"
  else
    failed=$((failed + 1)); ST_KEEP=1
    say "FAIL $name${*:+ ($*)}"
  fi
}

st_finish() {
  st_cleanup
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ] && [ "$passed" -gt 0 ]
  exit $?
}

st_prepare() {
  trap 'say "interrupted"; failed=$((failed + 1)); st_finish' INT TERM
  st_need_perl_dbd || { check "DBI and DBD::MariaDB available" 0; st_finish; }
  st_setup || { check "server set up" 0; st_finish; }
}

st_sql() {
  nice -n 10 mariadb --no-defaults -S "$ST_SOCK" -uroot "$@"
}

st_setup() {
  local so
  so=$("$REPO/scripts/build.sh" | tail -n1) && [ -f "$so" ] \
    || { say "the plugin did not build"; return 1; }
  ST_TMP=$(mktemp -d /tmp/perf_advisor_${ST_NAME}.XXXXXX)
  ST_DATA="$ST_TMP/data"; ST_SOCK="$ST_TMP/mysql.sock"
  ST_LOG="$ST_TMP/error.log"
  mkdir -p "$ST_DATA" "$ST_TMP/plugin"
  # A private copy: INSTALL SONAME during the run loads exactly this build,
  # whatever others install into the system plugin directory meanwhile.
  install -m 0644 "$so" "$ST_TMP/plugin/perf_advisor.so"
  mariadb-install-db --no-defaults --user=root --datadir="$ST_DATA" \
    --auth-root-authentication-method=socket --skip-test-db \
    >"$ST_TMP/install.log" 2>&1 \
    || { cat "$ST_TMP/install.log" >&2; return 1; }
}

# The server command line (also handed to the crash-cycle driver).
st_cmd() {
  ST_CMD=(nice -n 10 mariadbd --no-defaults --user=root
    --datadir="$ST_DATA" --socket="$ST_SOCK" --skip-networking
    --pid-file="$ST_TMP/mysqld.pid" --log-error="$ST_LOG"
    --plugin-maturity=beta --plugin-dir="$ST_TMP/plugin"
    --plugin-load-add=perf_advisor.so --innodb-buffer-pool-size=128M
    --innodb-log-file-size=64M --performance-schema=ON
    --performance-schema-instrument='memory/%=ON' --core-file "$@")
}

st_start() {
  st_cmd "$@"
  ulimit -c unlimited 2>/dev/null || true
  "${ST_CMD[@]}" >>"$ST_TMP/mariadbd.out" 2>&1 &
  ST_PID=$!
  for _ in $(seq 1 600); do
    if mariadb-admin --no-defaults -S "$ST_SOCK" -uroot ping >/dev/null 2>&1
    then
      return 0
    fi
    kill -0 "$ST_PID" 2>/dev/null || break
    sleep 0.1
  done
  say "server did not start:"; tail -n 30 "$ST_LOG" >&2
  return 1
}

st_stop() {
  [ -n "$ST_PID" ] || return 0
  if kill -0 "$ST_PID" 2>/dev/null; then
    timeout 120 mariadb-admin --no-defaults -S "$ST_SOCK" -uroot shutdown \
      >/dev/null 2>&1
    for _ in $(seq 1 1200); do
      kill -0 "$ST_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$ST_PID" 2>/dev/null; then
      say "server did not shut down in 120 s: SIGKILL"
      kill -9 "$ST_PID" 2>/dev/null
      ST_SHUTDOWN_HUNG=1
    fi
    wait "$ST_PID" 2>/dev/null
  fi
  ST_PID=
}

st_cleanup() {
  st_stop
  [ -n "$ST_TMP" ] || return 0
  if [ "$ST_KEEP" = 1 ]; then
    say "evidence kept in $ST_TMP (error.log, data/, core files)"
  else
    rm -rf "$ST_TMP"
  fi
}

st_rss_kb() {
  awk '$1 == "VmRSS:" { print $2 }' "/proc/$ST_PID/status" 2>/dev/null
}

# Error-log lines that are not part of a normal run.  Expected: notes,
# and the warnings listed below (each with why).
st_log_problems() {
  local file=$1 from=${2:-1}
  tail -n "+$from" "$file" \
    | grep -E '\[(ERROR|Warning)\]|Assertion|[^_]assert|[Gg]ot signal|[Ss]egmentation fault|stack_bottom|Attempting backtrace|is damaged|\.corrupt' \
    | grep -vE "$ST_EXPECTED" || true
}

# Warnings a healthy run may log:
#  - the plugin declares itself beta (one line per plugin of the library,
#    at every load);
#  - mariadb-install-db's datadir has no aria log yet / InnoDB's first start
#    creates files (notes, not matched);
#  - a server killed with SIGKILL leaves a pid file and an Aria control
#    file lock to recover (crash cycles only).
ST_EXPECTED="Plugin '(perf_advisor|PERF_[A-Z_]+)' is of maturity level beta"

# DBI and DBD::MariaDB (Debian packages) for the Perl drivers.
st_need_perl_dbd() {
  perl -MDBI -MDBD::MariaDB -e 1 2>/dev/null && return 0
  say "installing libdbd-mariadb-perl (the drivers talk to the server with it)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    libdbi-perl libdbd-mariadb-perl >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 \
         && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
              libdbi-perl libdbd-mariadb-perl >/dev/null 2>&1; }
  perl -MDBI -MDBD::MariaDB -e 1
}

# Backtraces of every core file the server left in its datadir.
st_core_backtraces() {
  local c n=0
  for c in "$ST_DATA"/core*; do
    [ -f "$c" ] || continue
    n=$((n + 1))
    timeout 300 gdb -batch -ex 'thread apply all bt' "$(command -v mariadbd)" \
      "$c" >"$c.backtrace.txt" 2>&1
    say "core file $c; all threads in $c.backtrace.txt; the signalled one:"
    # gdb lists the thread that got the signal as thread 1
    awk '/^Thread 1 /{p=1; next} p && /^$/{exit} p' "$c.backtrace.txt" \
      | head -n 24 >&2
  done
  return $n
}

# The usage store file: records whose table (or index) no longer exists.
# $1: the file; reads the live catalog through st_sql.
st_store_orphans() {
  local file=$1
  st_sql -N -r -e "SELECT CONCAT(TABLE_SCHEMA, '\t', TABLE_NAME, '\t')
                  FROM information_schema.TABLES
                UNION ALL
                SELECT DISTINCT CONCAT(TABLE_SCHEMA, '\t', TABLE_NAME, '\t',
                  INDEX_NAME) FROM information_schema.STATISTICS" \
    >"$ST_TMP/catalog.txt" || return 1
  awk -F'\t' 'NR == FNR { have[$0]= 1; next }
              FNR == 1 || /^end / { next }
              { k= $1 "\t" $2 "\t" $3
                if (!(k in have)) print k }' \
    "$ST_TMP/catalog.txt" "$file"
}
