#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Build perf_advisor.so inside a MariaDB source tree of exactly the installed
# server's version.  The tree and its build directory live in a cache
# directory outside the repository and are reused; only the plugin target is
# rebuilt.  Prints the path of the built library as its last line.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${PERF_ADVISOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/perf_advisor}
export PERF_ADVISOR_CACHE=$CACHE

# setup-deps settles the version (the installed server's, or on a machine
# without one, the server it installs) and leaves its source in the cache;
# it stops, and so does this, when that source cannot be had.
VER=$("$REPO/scripts/setup-deps.sh" | tail -n1)
UPSTREAM=${VER#*:}; UPSTREAM=${UPSTREAM%%[-+~]*}   # as setup-deps names the tree
TREE="$CACHE/mariadb-$UPSTREAM"
BUILD="$CACHE/build-$UPSTREAM"
log() { echo "build: $*" >&2; }

# The tree may be a link to a source tree given in PERF_ADVISOR_MARIADB_SRC:
# a build directory made from another tree of the same version starts
# afresh (make compares times only, and would keep its objects).
REAL_TREE=$(cd "$TREE" && pwd -P)
if [ -f "$BUILD/CMakeCache.txt" ] && [ -f "$BUILD/perf-advisor-tree" ] \
   && [ "$(cat "$BUILD/perf-advisor-tree")" != "$REAL_TREE" ]; then
  log "the MariaDB tree is now $REAL_TREE: configuring afresh"
  rm -rf "$BUILD"
fi

# The repository is the plugin directory: MariaDB's CMake globs
# plugin/*/CMakeLists.txt, and mtr finds plugin/*/mysql-test/<suite>.
LINK="$TREE/plugin/perf_advisor"
if [ "$(readlink "$LINK" 2>/dev/null)" != "$REPO" ]; then
  rm -rf "$LINK"
  ln -s "$REPO" "$LINK"
  rm -f "$BUILD/CMakeCache.txt"   # a new plugin directory needs a re-configure
  # The plugin's objects were compiled from the other checkout, through the
  # same path: make compares times only, and an object newer than a file
  # of this checkout would be kept.  Start the plugin's build afresh.
  rm -rf "$BUILD/plugin/perf_advisor"
fi

if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  log "configuring MariaDB $UPSTREAM (takes a minute or two)"
  mkdir -p "$BUILD"
  # mysql_release, as Debian's package (scripts/lib/mariadb-cmake.sh)
  . "$REPO/scripts/lib/mariadb-cmake.sh"
  (cd "$BUILD" && cmake "$TREE" "${PA_CMAKE_OPTS[@]}" >"$BUILD/configure.log" 2>&1) \
    || { tail -n 40 "$BUILD/configure.log" >&2; exit 1; }
fi
echo "$REAL_TREE" >"$BUILD/perf-advisor-tree"

log "building the perf_advisor target"
cmake --build "$BUILD" --target perf_advisor -- -j"$(nproc)" >"$BUILD/build.log" 2>&1 \
  || { grep -E "error|Error" -A3 "$BUILD/build.log" | head -n 60 >&2; exit 1; }
SO="$BUILD/plugin/perf_advisor/plugin/perf_advisor/perf_advisor.so"
[ -f "$SO" ] || SO=$(find "$BUILD/plugin/perf_advisor" -name perf_advisor.so | head -n1)
echo "$SO"
