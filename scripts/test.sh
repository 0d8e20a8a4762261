#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# The whole test run: core unit tests (standalone, ASan/UBSan), then the
# plugin built in-tree and the mtr suite run by the installed mtr against
# the installed server, the peer check (MariaDB's own mtr tests with and
# without the plugin), short runs of the fuzzers and of the stress test,
# the scripts' tests, the build's guard of an installed server, the
# Debian package (built, installed, loaded, purged), each
# benchmark script once at its smallest size, and the README's main job
# (scripts/demo.sh).
# Installs what it needs; ends with "N passed, N failed".
#   scripts/test.sh [mtr test names...]
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${PERF_ADVISOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/perf_advisor}
export PERF_ADVISOR_CACHE=$CACHE
# one run at a time per machine: checkouts share the MariaDB tree, the
# server's plugin directory and mtr's home (see scripts/mtr.sh)
exec 9>"${PERF_ADVISOR_LOCK:-/tmp/perf_advisor.lock}"
flock 9
passed=0; failed=0
# what failed, repeated just above the closing line: CI shows only the end
# of a long output
failures=()
log() { echo "test: $*" >&2; }
fail() { failed=$((failed + 1)); failures+=("$*"); }
# note_failures PREFIX LINES: each non-empty line of LINES, prefixed, goes
# to the list of failures (the caller counts them)
note_failures() {
  local line
  while IFS= read -r line; do
    [ -n "$line" ] && failures+=("$1$line")
  done <<<"$2"
}

# Add the "N passed, N failed" of a sub-run's log to the totals; a log
# without that line (the sub-run died) counts as one failure.
add_counts() {
  local c
  c=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$1" | tail -n1)
  [ -n "$c" ] || failures+=("$(basename "$1"): the sub-run died before its count")
  c=${c:-0 1}; passed=$((passed + ${c% *})); failed=$((failed + ${c#* }))
  note_failures "" "$(grep -E '^(stress: )?FAIL' "$1")"
}
finish() {
  local f
  if [ "${#failures[@]}" -gt 0 ]; then
    echo "failed:"
    for f in "${failures[@]}"; do echo "  $f"; done
  fi
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ] && [ "$passed" -gt 0 ]
  exit $?
}

if ! SO=$("$REPO/scripts/build.sh" | tail -n1) || [ ! -f "$SO" ]; then
  log "the plugin did not build"
  fail "build: the plugin did not build"; finish
fi

# 1. core unit tests
# one build directory per checkout: CMake refuses a build directory that
# another source path configured (a fresh clone reuses the same cache)
UT="$CACHE/unit-$(printf '%s' "$REPO" | cksum | cut -d' ' -f1)"
if cmake -S "$REPO" -B "$UT" -DPA_SANITIZE=ON >"$CACHE/unit-configure.log" 2>&1 \
   && cmake --build "$UT" -j"$(nproc)" >"$CACHE/unit-build.log" 2>&1; then
  (cd "$UT" && ctest --output-on-failure) | tee "$CACHE/unit.log"
  p=$(grep -cE "Test +#[0-9]+: .* Passed" "$CACHE/unit.log")
  bad=$(grep -E "Test +#[0-9]+: .* (\*\*\*Failed|Failed|Exception|Timeout|Not Run)" "$CACHE/unit.log")
  f=$(printf '%s' "$bad" | grep -c .)
  passed=$((passed + p)); failed=$((failed + f))
  note_failures "unit: " "$bad"
else
  cat "$CACHE/unit-configure.log" "$CACHE/unit-build.log" | tail -n 40 >&2
  log "unit tests did not build"; fail "unit: the tests did not build"
fi

# 2. mtr: the installed mtr finds plugin suites under mysql-test/plugin/*/
MTR_HOME=/usr/share/mysql/mysql-test
PLUGIN_DIR=$(/usr/sbin/mariadbd --verbose --help 2>/dev/null \
             | awk '$1 == "plugin-dir" { print $2 }')
install -m 0644 "$SO" "${PLUGIN_DIR%/}/perf_advisor.so"
ln -sfn "$REPO/mysql-test" "$MTR_HOME/plugin/perf_advisor"
VARDIR="$CACHE/mtr-var"
# mtr passes a test that has no result file: count that as a failure.
for t in "$REPO"/mysql-test/perf_advisor/t/*.test; do
  r="$REPO/mysql-test/perf_advisor/r/$(basename "${t%.test}").result"
  if [ ! -f "$r" ] && ! printf '%s\n' "$@" | grep -q -- '--record'; then
    log "no result file for $(basename "$t")"
    fail "mtr: no result file for $(basename "$t")"
  fi
done
rm -rf "$VARDIR"
(cd "$MTR_HOME" && perl mariadb-test-run.pl --suite=perf_advisor --force \
    --vardir="$VARDIR" --parallel="$(nproc)" --max-test-fail=0 \
    --testcase-timeout=10 --suite-timeout=60 "$@") 2>&1 | tee "$CACHE/mtr.log"
p=$(grep -cE "^perf_advisor\.[^ ]+ .*\[ (pass|skipped) \]" "$CACHE/mtr.log")
bad=$(grep -E "^perf_advisor\.[^ ]+ .*\[ (fail|retry-fail) \]" "$CACHE/mtr.log")
f=$(printf '%s' "$bad" | grep -c .)
# Skips are not passes: the suite must run, not skip.
s=$(grep -cE "^perf_advisor\.[^ ]+ .*\[ skipped \]" "$CACHE/mtr.log")
passed=$((passed + p - s)); failed=$((failed + f))
note_failures "mtr: " "$(printf '%s' "$bad" \
  | sed -E 's/^([^ ]+) .*\[ ([a-z-]+) \].*/\1 \2/')"
if [ "$p" = 0 ] && [ "$f" = 0 ]; then
  log "mtr ran no test"; fail "mtr: ran no test"
fi
# 2b. the peer check: MariaDB's own mtr tests of what the plugin touches
#    (information_schema, plugins, UDFs, grants, KILL, DDL, sys,
#    performance_schema), without the plugin and with it loaded, must
#    come out the same; each test counts (some 590 lines: only failures
#    and the count are shown, all of it in peer.log).  It takes no lock:
#    it runs under this script's (fd 9)
"$REPO/scripts/peer-check.sh" 2>&1 | tee "$CACHE/peer.log" \
  | grep -E '^(FAIL|#|peer: |[0-9]+ passed, [0-9]+ failed$)'
add_counts "$CACHE/peer.log"
# 3. the fuzzers (digest tokenizer, SQL quoting), a short run each from
#    their seed corpus: a crash, leak or sanitizer report fails the run
for fz in fuzz-digest fuzz-sql; do
  if PA_FUZZ_ARTIFACTS="$CACHE/fuzz-artifacts" \
     "$REPO/scripts/$fz.sh" "${PA_FUZZ_SECONDS:-15}" >"$CACHE/$fz.log" 2>&1; then
    passed=$((passed + 1)); echo "ok   - $fz: ${PA_FUZZ_SECONDS:-15} s clean"
  else
    fail "$fz (log: $CACHE/$fz.log)"; tail -n 30 "$CACHE/$fz.log" >&2
    echo "FAIL - $fz (log: $CACHE/$fz.log)"
  fi
done

# 4. the stress test, short: 60 s of DML, DDL churn, PERF_ readers and
#    plugin UNINSTALL/INSTALL on a throwaway server (docs/reliability.md);
#    each of its checks counts
"$REPO/scripts/stress.sh" --seconds "${PA_STRESS_SECONDS:-60}" 2>&1 \
  | tee "$CACHE/stress.log" | grep -E '^stress: (ok  |FAIL)'
add_counts "$CACHE/stress.log"

# 5. the scripts, and the build's guard of an installed server (a newer
#    server stops the build and changes nothing; installs nothing itself)
"$REPO/scripts/test-scripts.sh" 2>&1 | tee "$CACHE/scripts.log"
add_counts "$CACHE/scripts.log"
"$REPO/scripts/test-build-guard.sh" 2>&1 | tee "$CACHE/build-guard.log"
add_counts "$CACHE/build-guard.log"
# 5b. the Debian package: built with dpkg-buildpackage, inspected, installed
#     with apt, loaded by a server started with Debian's configuration as
#     the mysql user (its own datadir, no TCP), purged without a trace;
#     each check counts (under this script's lock, fd 9)
"$REPO/scripts/test-package.sh" 2>&1 | tee "$CACHE/package.log"
add_counts "$CACHE/package.log"
# 6. the benchmark scripts, each once at its smallest size (they still run
#    and print their result tables; the figures live in docs/benchmarks.md)
"$REPO/scripts/test-bench.sh" 2>&1 | tee "$CACHE/bench.log"
add_counts "$CACHE/bench.log"
# 7. the README's main job, as a user runs it: it must finish and show
#    the findings its sample database is built to have
#    (tabGL Entry's party lookup gets (party): party_type is 'Customer' in
#    most rows, not selective, so it is left out of the index; its
#    priority is high only when the lookup averaged above the demo's
#    20 ms, which depends on the machine)
if "$REPO/scripts/demo.sh" >"$CACHE/demo.log" 2>&1 \
   && grep -q '^== information_schema.PERF_RECOMMENDATIONS' "$CACHE/demo.log" \
   && grep -Eq '^\| (high|medium) +\| missing_index +\| tabGL Entry .*\(party\) ' "$CACHE/demo.log" \
   && grep -Eq '^\| tabSales Invoice +\| posting_date_dup +\| posting_date +\| [a-z]+ +\| duplicate +\| posting_date +\| +[0-9]+ \| YES ' "$CACHE/demo.log" \
   && grep -Eq '^\| tabGL Entry +\| +[0-9]+ \| +[0-9]+ \| +[0-9.]+ \|' "$CACHE/demo.log" \
   && grep -Eq '^\| tabGL Entry +\|.*\| NULL +\| NULL +\| voucher_no,party_type,party +\|' "$CACHE/demo.log"; then
  passed=$((passed + 1)); echo "ok   - demo.sh: the main job runs and shows its sample's findings"
else
  fail "demo.sh (log: $CACHE/demo.log)"; tail -n 30 "$CACHE/demo.log" >&2
  echo "FAIL - demo.sh (log: $CACHE/demo.log)"
fi
finish
