#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# The developer's loop: build the plugin, install it into the server's
# plugin directory and run mtr tests of the perf_advisor suite (all of them
# when none is named), nothing else.  scripts/test.sh is the whole run.
#   scripts/mtr.sh [mtr options and test names...]
# Several checkouts share one MariaDB tree, one plugin directory and one mtr
# home: the build, the install and the run hold one lock, so two
# checkouts never interleave (PERF_ADVISOR_LOCK, default /tmp/perf_advisor.lock).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${PERF_ADVISOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/perf_advisor}
export PERF_ADVISOR_CACHE=$CACHE
LOCK=${PERF_ADVISOR_LOCK:-/tmp/perf_advisor.lock}

exec 9>"$LOCK"
flock 9
SO=$("$REPO/scripts/build.sh" | tail -n1)
MTR_HOME=/usr/share/mysql/mysql-test
# mariadbd --help still prints its settings, but exits non-zero, when a
# plugin the system configuration loads fails (Debian's provider_* packages
# of another server version): only the printed plugin-dir counts.
PLUGIN_DIR=$(/usr/sbin/mariadbd --verbose --help 2>/dev/null \
             | awk '$1 == "plugin-dir" { print $2 }' || true)
[ -n "$PLUGIN_DIR" ] \
  || { echo "mtr.sh: no plugin-dir from mariadbd --help" >&2; exit 1; }
install -m 0644 "$SO" "${PLUGIN_DIR%/}/perf_advisor.so"
ln -sfn "$REPO/mysql-test" "$MTR_HOME/plugin/perf_advisor"
VARDIR="$CACHE/mtr-var-dev"
rm -rf "$VARDIR"
cd "$MTR_HOME"
args=()
for a in "$@"; do
  case $a in
    -*|perf_advisor.*) args+=("$a") ;;
    *) args+=("perf_advisor.$a") ;;
  esac
done
[ ${#args[@]} -gt 0 ] && [ -n "$(printf '%s\n' "${args[@]}" | grep -v '^-')" ] \
  || args+=(--suite=perf_advisor)
exec perl mariadb-test-run.pl --force --vardir="$VARDIR" \
  --parallel="$(nproc)" --max-test-fail=0 --testcase-timeout=10 "${args[@]}"
