#!/usr/bin/env bash
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
# --help still prints every setting when it exits non-zero (7 when an
# option file names a variable of a plugin --help does not load, as
# Debian's provider_*.cnf do), which pipefail would make fatal.
PLUGIN_DIR=$({ /usr/sbin/mariadbd --verbose --help 2>/dev/null || true; } \
             | awk '$1 == "plugin-dir" { print $2 }')
[ -n "$PLUGIN_DIR" ] || { echo "mtr.sh: no plugin-dir from mariadbd --help" >&2; exit 1; }
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
