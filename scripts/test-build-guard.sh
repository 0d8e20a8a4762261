#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# The build never touches an installed server (docs/installation.md, "Which
# server version the build targets"):
#   - a newer installed server whose source apt does not serve (simulated
#     with the PERF_ADVISOR_INSTALLED_VERSION test hook) makes setup-deps.sh
#     and build.sh stop, non-zero, with a message naming that version and
#     both ways to provide its source, and change nothing: the mariadb
#     packages (dpkg -l), the apt sources and the cache are the same after;
#   - PERF_ADVISOR_MARIADB_SRC of another version (a tree or a tarball) is
#     refused; one of the right version is taken;
#   - the real installed server resolves to its own version (setup-deps'
#     last line).
# Installs and removes nothing: every run that could go further than a
# check has PERF_ADVISOR_SETUP_CHECK_ONLY=1 or stops by design.  Needs an
# installed server (scripts/build.sh installs one on a fresh machine) and
# the machine to itself: run it from scripts/test.sh, or under the lock
# (flock /tmp/perf_advisor.lock scripts/test-build-guard.sh).
# One line per check; the last line is "N passed, N failed".
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${PERF_ADVISOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/perf_advisor}
export PERF_ADVISOR_CACHE=$CACHE
unset PERF_ADVISOR_MARIADB_SRC PERF_ADVISOR_INSTALLED_VERSION \
      PERF_ADVISOR_SETUP_CHECK_ONLY
S="$REPO/scripts"
W=$(mktemp -d /tmp/perf_advisor_guard.XXXXXX)
trap 'rm -rf "$W"' EXIT

passed=0; failed=0
ok() { echo "ok   - $*"; passed=$((passed + 1)); }
not_ok() { echo "FAIL - $*"; failed=$((failed + 1)); }
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ] && [ "$passed" -gt 0 ]
  exit $?
}

# run NAME WANT_RC [VAR=value...] CMD...: output in $W/NAME.out and .err
run() {
  local name=$1 want=$2 rc; shift 2
  env "$@" >"$W/$name.out" 2>"$W/$name.err" </dev/null
  rc=$?
  if [ "$rc" = "$want" ]; then
    ok "$name: exit $rc"
  else
    not_ok "$name: exit $rc, expected $want"
    sed 's/^/#   /' "$W/$name.err" | tail -n 12
  fi
}
# says NAME TEXT...: each TEXT is in NAME's standard error
says() {
  local name=$1 t missing=; shift
  for t in "$@"; do grep -qF -- "$t" "$W/$name.err" || missing="$missing [$t]"; done
  if [ -z "$missing" ]; then ok "$name: says [$1]$( [ $# -gt 1 ] && echo " and $(($# - 1)) more")"
  else not_ok "$name: does not say$missing"; fi
}
# What a run must leave as it was: the mariadb packages, the apt sources and
# the cache's entries (names and kinds; the logs test.sh writes there
# while this runs are left out).
state() {
  dpkg -l 'mariadb*' 'libmariadb*' 'mysql*' 2>&1
  (cd /etc/apt && find sources.list* -printf '%y %p %s %T@\n' 2>/dev/null | sort \
     && find sources.list* -type f -exec cat {} + 2>/dev/null)
  find "$CACHE" -maxdepth 1 ! -name '*.log' -printf '%y %p\n' 2>/dev/null | sort
}
# unchanged NAME: the state is the one taken before NAME ran
unchanged() {
  state >"$W/after"
  if cmp -s "$W/before" "$W/after"; then
    ok "$1: packages, apt sources and cache unchanged"
  else
    not_ok "$1: changed the machine"
    diff "$W/before" "$W/after" | head -n 20 | sed 's/^/#   /'
  fi
}

INSTALLED=$(dpkg-query -W -f='${Version}' mariadb-server-core 2>/dev/null)
if [ -z "$INSTALLED" ] \
   || [ "$(dpkg-query -W -f='${db:Status-Status}' mariadb-server-core)" != installed ]; then
  not_ok "a server is installed (scripts/build.sh installs one on a fresh machine)"
  finish
fi
UP=${INSTALLED#*:}; UP=${UP%%[-+~]*}
IFS=. read -r MAJ MIN PATCH <<<"$UP"
NEWER_UP="$MAJ.$MIN.$((PATCH + 80))"
NEWER="1:$NEWER_UP-0+deb12u1"    # no archive serves this source
OTHER_UP="$MAJ.$MIN.$((PATCH + 1))"
echo "# installed: mariadb-server-core $INSTALLED; simulated newer: $NEWER"

# A source tree of VERSION $2 at $1, and its tarball $1.tar.gz
fake_tree() {
  local maj min patch
  IFS=. read -r maj min patch <<<"$2"
  mkdir -p "$1"
  printf 'PROJECT(MySQL)\n' >"$1/CMakeLists.txt"
  printf 'MYSQL_VERSION_MAJOR=%s\nMYSQL_VERSION_MINOR=%s\nMYSQL_VERSION_PATCH=%s\nSERVER_MATURITY=stable\n' \
    "$maj" "$min" "$patch" >"$1/VERSION"
  tar -czf "$1.tar.gz" -C "$(dirname "$1")" "$(basename "$1")"
}
fake_tree "$W/src/mariadb-$OTHER_UP" "$OTHER_UP"
fake_tree "$W/src/mariadb-$NEWER_UP" "$NEWER_UP"

# -- (a) a newer installed server: stop, say how, change nothing ------------
state >"$W/before"
run newer-setup-deps 1 PERF_ADVISOR_INSTALLED_VERSION="$NEWER" "$S/setup-deps.sh"
says newer-setup-deps "the installed server is mariadb $NEWER" \
  "apt serves no mariadb $NEWER source" \
  "nothing was installed, upgraded or downgraded" \
  "Provide the source of MariaDB $NEWER_UP in one of two ways" \
  "(a) a deb-src line for the pocket that serves mariadb $NEWER" "deb-src " \
  "PERF_ADVISOR_MARIADB_SRC=/path/to/mariadb-$NEWER_UP scripts/build.sh" \
  "PERF_ADVISOR_MARIADB_SRC=/path/to/mariadb-$NEWER_UP.tar.gz scripts/build.sh"
if [ ! -s "$W/newer-setup-deps.out" ] && ! grep -qv '^setup-deps: ' "$W/newer-setup-deps.err"; then
  ok "newer-setup-deps: no version printed; every line starts with 'setup-deps: '"
else
  not_ok "newer-setup-deps: printed a version or an unprefixed line"
fi
unchanged newer-setup-deps

state >"$W/before"
run newer-build 1 PERF_ADVISOR_INSTALLED_VERSION="$NEWER" "$S/build.sh"
says newer-build "apt serves no mariadb $NEWER source" \
  "PERF_ADVISOR_MARIADB_SRC=/path/to/mariadb-$NEWER_UP scripts/build.sh"
if [ ! -s "$W/newer-build.out" ] && ! grep -q '^build: ' "$W/newer-build.err"; then
  ok "newer-build: stops before configuring or building"
else
  not_ok "newer-build: went on past setup-deps"
fi
unchanged newer-build

# -- (b) a source of another version is refused; the right one is taken -----
state >"$W/before"
run src-tree-mismatch 1 PERF_ADVISOR_SETUP_CHECK_ONLY=1 \
  PERF_ADVISOR_MARIADB_SRC="$W/src/mariadb-$OTHER_UP" "$S/setup-deps.sh"
says src-tree-mismatch "holds MariaDB $OTHER_UP" "the build is for $INSTALLED" \
  "refused" "of exactly MariaDB $UP"
run src-tarball-mismatch 1 PERF_ADVISOR_SETUP_CHECK_ONLY=1 \
  PERF_ADVISOR_MARIADB_SRC="$W/src/mariadb-$OTHER_UP.tar.gz" "$S/setup-deps.sh"
says src-tarball-mismatch "holds MariaDB $OTHER_UP" "refused"
run src-not-a-tree 1 PERF_ADVISOR_SETUP_CHECK_ONLY=1 \
  PERF_ADVISOR_MARIADB_SRC="$W/src" "$S/setup-deps.sh"
says src-not-a-tree "is not a MariaDB source tree"
run src-newer-mismatch 1 PERF_ADVISOR_INSTALLED_VERSION="$NEWER" \
  PERF_ADVISOR_MARIADB_SRC="$W/src/mariadb-$OTHER_UP" "$S/build.sh"
says src-newer-mismatch "holds MariaDB $OTHER_UP" "the build is for $NEWER" "refused"
unchanged src-mismatch
# the right version is taken: setup-deps gets as far as using it (in an
# empty cache, and stopped by the check-only hook before it does)
for kind in tree tarball; do
  src="$W/src/mariadb-$NEWER_UP"; [ $kind = tarball ] && src="$src.tar.gz"
  run "src-$kind-match" 3 PERF_ADVISOR_SETUP_CHECK_ONLY=1 \
    PERF_ADVISOR_CACHE="$W/cache" PERF_ADVISOR_INSTALLED_VERSION="$NEWER" \
    PERF_ADVISOR_MARIADB_SRC="$src" "$S/setup-deps.sh"
  if [ $kind = tree ]; then
    says "src-$kind-match" "would link $W/cache/mariadb-$NEWER_UP to $(cd "$src" && pwd -P)"
  else
    says "src-$kind-match" "would unpack $src into $W/cache/mariadb-$NEWER_UP"
  fi
done

# -- (c) the installed server resolves to its own version --------------------
state >"$W/before"
run installed 0 PERF_ADVISOR_SETUP_CHECK_ONLY=1 "$S/setup-deps.sh"
if [ "$(tail -n1 "$W/installed.out")" = "$INSTALLED" ]; then
  ok "installed: setup-deps settles on the installed $INSTALLED"
else
  not_ok "installed: setup-deps settled on '$(tail -n1 "$W/installed.out")', not $INSTALLED"
fi
unchanged installed
run bad-hook 1 PERF_ADVISOR_INSTALLED_VERSION=banana "$S/setup-deps.sh"
says bad-hook "is not a MariaDB version"
finish
