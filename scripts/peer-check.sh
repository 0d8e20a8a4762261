#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# The peer check (issue #12): MariaDB's own installed mtr tests that touch
# what the plugin touches (information_schema, plugins, UDFs, grants, KILL,
# DDL, the sys schema, performance_schema digests and threads) run twice,
# without the plugin and with it loaded (--plugin-load-add=perf_advisor.so),
# and must come out the same: a test passes with the plugin iff it passes
# without it.  One line per test; the last line is "N passed, N failed";
# exits non-zero on any failure.
#   scripts/peer-check.sh [mtr test names...]   (default: the list below)
#   scripts/peer-check.sh --list                 (print the list)
# Needs perf_advisor.so installed in the server's plugin directory (as
# scripts/test.sh and scripts/mtr.sh do) and the MariaDB tree build.sh
# made (for udf_example.so, which the udf tests need).  Takes no lock:
# scripts/test.sh runs it under its own; by hand, run it as
#   flock /tmp/perf_advisor.lock scripts/peer-check.sh
# Run time: 7.5 minutes on this project's 2-core machine (432 s and 447 s
# for both runs, 589 tests and 2 controls each, --parallel=2); the list is
# chosen to fit: CI has 90 minutes for all of scripts/test.sh.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${PERF_ADVISOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/perf_advisor}
export PERF_ADVISOR_CACHE=$CACHE
MTR_HOME=/usr/share/mysql/mysql-test
VARDIR="$CACHE/peer-var"
PARALLEL=${PA_PEER_PARALLEL:-2}

# What is compared.  Left out (and why) in the comments; tests that skip on
# a release build run as root (debug_sync, DBUG injection, Windows, 32-bit,
# "Not as root") are left out too: they test nothing here.
MAIN=(
  # information_schema.  Left out: information_schema-big and
  # information_schema_all_engines list every I_S table (and count them),
  # so their results name the plugin's PERF_ tables: they differ by design.
  # main.information_schema does too; it runs as a control below.
  # information_schema_chmod (not as root), information_schema_linux (skips)
  information_schema2 information_schema_columns information_schema_db
  information_schema_inno information_schema_parameters information_schema_part
  information_schema_prepare information_schema_routines
  information_schema_stats information_schema_tables sp-i_s_columns
  thread_pool_info
  # plugins.  Left out: plugin_maturity, whose -master.opt sets
  # --plugin-maturity=stable: the beta plugin cannot load under it
  plugin plugin_auth plugin_auth_qa plugin_auth_qa_1 plugin_auth_qa_2
  plugin_auth_qa_3 plugin_innodb plugin_load plugin_load_option
  plugin_loaderr plugin_not_embedded plugin_vars
  # UDFs (with udf_example.so, below).  Left out: udf_debug_sync (debug_sync)
  udf udf_notembedded udf_query_cache udf_skip_grants create_drop_udf
  # SHOW.  Left out: show_explain*, show_analyze* (debug build)
  show show_check show_create_user show_profile show_row_order-9226
  show_bad_definer-5553 show_function_with_pad_char_to_full_length
  # grants and privileges.  Left out: grant_cache_ps_prot (ps-protocol
  # only), grant_lowercase_fs (case-insensitive file system)
  grant grant2 grant3 grant4 grant5 grant_4332 grant_kill grant_plugin
  grant_read_only grant_repair grant_server grant_master_admin
  grant_slave_monitor grant_lowercase grant_cache_no_prot
  grant_explain_non_select create_drop_user create_drop_role alter_user
  view_grant sp-security analyze_stmt_privileges analyze_stmt_privileges2
  lock_user
  # KILL, connections, threads, status counters.  Left out: kill_debug,
  # kill_processlist-6619, processlist, processlist_notembedded,
  # flush_read_lock_kill (debug build or debug_sync)
  kill kill-2 kill_query-6728 lock_kill connect connect-no-db status status2
  status_bug17954 userstat userstat-badlogin-4824
  # DDL
  alter_table alter_table_online alter_table_errors alter_table_trans
  alter_table_combinations create create_drop_db create_drop_index
  create_drop_view create_drop_trigger create_drop_procedure
  create_drop_function create_drop_event create_or_replace
  create_or_replace_permission create_or_replace_pfs drop drop_table_force
  drop_combinations rename renamedb truncate truncate_badse
  truncate-stale-6500 temp_table partition partition_innodb table_options
  ps_ddl ps_ddl1 schema
  # statistics, FLUSH, metadata locks
  stat_tables stat_tables_innodb stat_tables_partition stat_tables_flush
  stat_tables_missing stat_tables_disabled statistics statistics_close
  flush flush2 flush_table flush-innodb mdl lock lock_multi lock_view
  # upgrade, check and dump: every schema, the system tables
  mysql_upgrade upgrade mysqlcheck mysqldump system_mysql_db
)
# suite_tests SUITE EXCLUDE_ERE: every test of an installed suite but its
# disabled.def and the names EXCLUDE_ERE matches
suite_tests() {
  local dir="$MTR_HOME/suite/$1" off
  off=$(sed -nE 's/^([A-Za-z0-9_-]+) *:.*/\1/p' "$dir/disabled.def" 2>/dev/null \
        | paste -sd'|')
  find "$dir/t" -name '*.test' -printf '%f\n' | sed 's/\.test$//' | sort \
    | grep -Ev "^(${off:-@none@})\$" | grep -Ev "^($2)\$" | sed "s/^/$1./"
}
TESTS=("${MAIN[@]/#/main.}"
       plugins.processlist plugins.qc_info plugins.show_all_plugins)
# the sys schema, all of it.  pr_ps_setup_show_enabled lists every
# background thread, so the plugin's (perf_advisor/perf_advisor_snapshot)
# too: it runs as a control below
mapfile -t -O "${#TESTS[@]}" TESTS < <(suite_tests sysschema \
  'pr_ps_setup_show_enabled')
# performance_schema, all of it: digests, statements, threads, and the
# instruments the plugin registers.  Left out:
#  ortho_iter: checks that every memory instrument but a hard-coded list of
#    the server's own PSI_FLAG_GLOBAL ones has per-account rows; the
#    plugin's memory/perf_advisor/usage_store is global (the store is
#    shared, allocated and freed by any thread), so "instruments 111,
#    found 110"; any plugin with a global memory instrument fails it
#  hostcache_*, alter_table_progress, connection_type_*: debug build
#  bad_option: not as root; memory_aggregate_32bit: 32-bit only;
#  *_win, threads_mysql_windows: Windows; threads_mysql_linux: skips here
mapfile -t -O "${#TESTS[@]}" TESTS < <(suite_tests perfschema \
  'ortho_iter|hostcache_.*|alter_table_progress|connection_type_.*|bad_option|memory_aggregate_32bit|.*_win|threads_mysql_(windows|linux)')
# Controls, known to differ by design and only by lines naming the
# plugin's objects: they must pass without the plugin, and with it their
# result must differ by added lines that match the pattern and nothing
# else.  They also prove the plugin was loaded in the second run.
CONTROLS=(
  "main.information_schema|PERF_[A-Z_]+"   # the I_S table and column lists
  "sysschema.pr_ps_setup_show_enabled|perf_advisor/"  # background threads
)
if [ "${1:-}" = --list ]; then
  printf '%s\n' "${TESTS[@]}" "${CONTROLS[@]%%|*}"; exit 0
fi
if [ $# -gt 0 ]; then TESTS=("$@"); CONTROLS=(); fi

passed=0; failed=0
ok() { echo "ok   - $*"; passed=$((passed + 1)); }
not_ok() { echo "FAIL - $*"; failed=$((failed + 1)); }
log() { echo "peer: $*" >&2; }
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ] && [ "$passed" -gt 0 ]
  exit $?
}

PLUGIN_DIR=$( (/usr/sbin/mariadbd --verbose --help 2>/dev/null || true) \
             | awk '$1 == "plugin-dir" { print $2 }')
if [ ! -f "${PLUGIN_DIR%/}/perf_advisor.so" ]; then
  not_ok "peer: perf_advisor.so is not in the plugin directory '$PLUGIN_DIR'"
  finish
fi

# The udf tests need sql/udf_example.c built as udf_example.so where mtr
# looks for plugins (it sets $UDF_EXAMPLE_SO for each .so of the plugin
# directory); the Debian packages do not ship it, and without it they skip.
VER=$("$REPO/scripts/setup-deps.sh" 2>/dev/null | tail -n1)
UPSTREAM=${VER#*:}; UPSTREAM=${UPSTREAM%%-*}
BUILD="$CACHE/build-$UPSTREAM"
if cmake --build "$BUILD" --target udf_example >"$CACHE/peer-udf.log" 2>&1 \
   && [ -f "$BUILD/sql/udf_example.so" ]; then
  install -m 0644 "$BUILD/sql/udf_example.so" "${PLUGIN_DIR%/}/udf_example.so"
else
  log "udf_example.so did not build ($CACHE/peer-udf.log): the udf tests skip"
fi

# run_mtr MODE [mysqld options...]: run the list, log in peer-MODE.log
run_mtr() {
  local mode=$1; shift
  local extra=() o
  for o in "$@"; do extra+=("--mysqld=$o"); done
  rm -rf "${VARDIR:?}/$mode"
  mkdir -p "$VARDIR"
  log "mtr $mode the plugin: ${#TESTS[@]} tests, ${#CONTROLS[@]} controls${extra[*]:+ (the controls fail with it by design)}"
  # --retry=2: a test fails only if it fails twice running, so that a
  # flaky test does not pass in one run and fail in the other
  (cd "$MTR_HOME" && perl mariadb-test-run.pl --force --vardir="$VARDIR/$mode" \
      --parallel="$PARALLEL" --max-test-fail=0 --retry=2 \
      --testcase-timeout=10 --suite-timeout=60 "${extra[@]}" "${TESTS[@]}" \
      "${CONTROLS[@]%%|*}") \
    >"$CACHE/peer-$mode.log" 2>&1
  grep -E '^(Spent|Completed|mysql-test-run: \*\*\* ERROR)' "$CACHE/peer-$mode.log" | sed "s/^/peer: $mode: /" >&2
}

# status MODE: "name status" per test, the last status mtr printed for it
# (a retry prints fail, then retry-pass or retry-fail)
status() {
  sed -nE "s/^([a-z0-9_]+\.[^ ]+( '[^']*')?) +(w[0-9]+ +)?\[ ([a-z-]+) \].*/\1|\4/p" \
      "$CACHE/peer-$1.log" \
    | sed -E 's/\|(pass|retry-pass)$/|pass/; s/\|(fail|retry-fail)$/|fail/' \
    | awk -F'|' '{ s[$1]= $2 } END { for (t in s) print t "|" s[t] }' | LC_ALL=C sort
}

# report NAME MODE: what mtr printed about NAME's failures in that run
report() {
  awk -v t="CURRENT_TEST: $1" '$0 == t { f= 1; next }
    f && (/^CURRENT_TEST: / || /^ - saving/) { f= 0 } f' "$CACHE/peer-$2.log"
}

start=$(date +%s)
run_mtr without
run_mtr with --plugin-load-add=perf_advisor.so
status without >"$CACHE/peer-without.status"
status with >"$CACHE/peer-with.status"

# name|status without|status with, for every test either run reported
LC_ALL=C join -t'|' -a1 -a2 -e none -o 0,1.2,2.2 "$CACHE/peer-without.status" \
  "$CACHE/peer-with.status" >"$CACHE/peer.status"
for t in "${TESTS[@]}"; do
  # one line per combination mtr ran the test in ("main.x 'innodb'")
  rows=$(awk -F'|' -v t="$t" \
    '$1 == t || substr($1, 1, length(t) + 2) == t " \047"' "$CACHE/peer.status")
  if [ -z "$rows" ]; then
    not_ok "peer: $t: mtr reported no result for it"
    continue
  fi
  while IFS='|' read -r n a b; do
    if [ "$a" = "$b" ] && [ "$a" = pass ]; then
      ok "peer: $n same with and without the plugin"
    elif [ "$a" = "$b" ]; then
      # does not run here even without the plugin: nothing to compare
      ok "peer: $n same with and without the plugin (both $a)"
    else
      not_ok "peer: $n: $a without the plugin, $b with it (logs: $CACHE/peer-without.log, $CACHE/peer-with.log)"
      # what mtr said about the failing try: the diff or the error
      [ "$b" = fail ] && m=with || m=without
      report "${n%% *}" "$m" | head -n 40 | sed 's/^/#   /'
    fi
  done <<<"$rows"
done
# diff_lines NAME: the changed lines of the result diffs mtr printed for
# NAME in the run with the plugin (one block per try)
diff_lines() {
  report "$1" with | grep -E '^[-+]' | grep -Ev '^(---|\+\+\+) '
}
for c in "${CONTROLS[@]}"; do
  n=${c%%|*}; pat=${c#*|}
  IFS='|' read -r _ a b < <(grep -F "$n|" "$CACHE/peer.status" \
                            | awk -F'|' -v t="$n" '$1 == t')
  d=$(diff_lines "$n")
  other=$(printf '%s\n' "$d" | grep -Ev "^\+.*($pat)" | grep -c .)
  if [ "${a:-none}" = pass ] && [ "${b:-none}" = fail ] && [ -n "$d" ] \
     && [ "$other" = 0 ]; then
    ok "peer: $n differs with the plugin only by added lines naming its objects: $(printf '%s\n' "$d" | sort -u | grep -c .)"
  else
    not_ok "peer: $n (control): ${a:-none} without the plugin, ${b:-none} with it, $other changed lines that do not match '$pat' (log: $CACHE/peer-with.log)"
    printf '%s\n' "$d" | grep -Ev "^\+.*($pat)" | head -n 20 | sed 's/^/#   /'
  fi
done
log "both runs took $(( $(date +%s) - start )) s"
# the two vardirs hold some 1 GB: kept only when something differed
if [ "$failed" = 0 ]; then rm -rf "${VARDIR:?}"; else log "vardirs kept in $VARDIR"; fi
finish
