#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Compile perf_advisor against another MariaDB release series than the
# installed server's: the newest source of SERIES that the Debian release
# shipping it serves (11.8: Debian 13, trixie; 10.11: Debian 12, bookworm),
# configured as scripts/build.sh configures the installed server's
# (scripts/lib/mariadb-cmake.sh).  It proves the plugin's source builds
# against that server's API; the library is not for loading into the
# installed server.
#   scripts/build-series.sh SERIES        e.g. 11.8
# Never touches the machine's apt configuration or server: apt reads a
# deb-src stanza derived from /etc/apt/sources.list.d/debian.sources
# (its archives, Types: deb-src, the release's suites; no host names here)
# from a private directory in the cache.  Everything lives in
# ~/.cache/perf_advisor/series-SERIES/: the apt directory, the source, the
# build directory and times.log (what each step took).  Compiles at
# nice 19 with at most 2 jobs (PA_SERIES_JOBS), as the machine is shared;
# checkouts take turns on one tree (a lock in that directory).
# When the archive does not serve the source, it stops (exit 1) and says
# how to provide it: PERF_ADVISOR_SERIES_SRC set to an unpacked source tree
# or a source tarball of MariaDB SERIES.x.
# Prints the path of the built perf_advisor.so as its last line.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/scripts/lib/mariadb-cmake.sh"
CACHE=${PERF_ADVISOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/perf_advisor}
GIVEN=${PERF_ADVISOR_SERIES_SRC:-}
JOBS=${PA_SERIES_JOBS:-2}
ORIG_LIST=/etc/apt/sources.list.d/debian.sources
log() { local l; for l in "$@"; do echo "build-series: $l" >&2; done; }
die() { log "$@"; exit 1; }

SERIES=${1:-}
# the Debian release that ships each series
case $SERIES in
  10.11) SUITE=bookworm ;;
  11.8) SUITE=trixie ;;
  *) die "usage: scripts/build-series.sh SERIES (10.11 or 11.8)" ;;
esac
DIR="$CACHE/series-$SERIES"
mkdir -p "$DIR"
exec 8>"$DIR/lock"
flock 8
TIMES="$DIR/times.log"
# timed STEP CMD...: run CMD, log its wall time in times.log
timed() {
  local step=$1 t0 rc=0; shift
  t0=$(date +%s)
  "$@" || rc=$?
  echo "$(date -u +%FT%TZ) $step $(( $(date +%s) - t0 )) s (exit $rc)" >>"$TIMES"
  return $rc
}

# -- the source --------------------------------------------------------------
APT="$DIR/apt"
APT_OPTS=(-o Dir::Etc::SourceList=/dev/null
          -o Dir::Etc::SourceParts="$APT/sources.list.d"
          -o Dir::State::Lists="$APT/lists" -o Dir::Cache="$APT/cache"
          -o Dir::State::status=/dev/null -o APT::Sandbox::User=root)
if [ -n "$GIVEN" ]; then
  if [ -d "$GIVEN" ]; then
    [ -f "$GIVEN/VERSION" ] && [ -f "$GIVEN/CMakeLists.txt" ] \
      || die "PERF_ADVISOR_SERIES_SRC=$GIVEN is not a MariaDB source tree"
    UPSTREAM=$(tree_version <"$GIVEN/VERSION")
  elif [ -f "$GIVEN" ]; then
    UPSTREAM=$( { tar -xOf "$GIVEN" --wildcards --no-wildcards-match-slash \
                    '*/VERSION' 2>/dev/null || true; } | tree_version)
  else
    die "PERF_ADVISOR_SERIES_SRC=$GIVEN: no such directory or file"
  fi
  case $UPSTREAM in
    "$SERIES".*) ;;
    *) die "PERF_ADVISOR_SERIES_SRC=$GIVEN holds MariaDB ${UPSTREAM:-of no known version}, not $SERIES.x" ;;
  esac
else
  [ -f "$ORIG_LIST" ] || die "no $ORIG_LIST to derive a deb-src stanza from"
  CODENAME=$(. /etc/os-release && echo "$VERSION_CODENAME")
  mkdir -p "$APT/sources.list.d" "$APT/lists/partial" "$APT/cache/archives/partial"
  # the machine's archives without the security pocket (which serves no
  # mariadb source), its suites moved to SUITE's
  awk 'BEGIN { RS=""; ORS="\n\n" } /Suites:[^\n]*security/ { next } { print }' "$ORIG_LIST" \
    | sed -E 's/^Types:[[:space:]]+deb[[:space:]]*$/Types: deb-src/' \
    | sed -E "/^Suites:/ s/(^|[[:space:]])$CODENAME(-[a-z]+)?/\\1$SUITE\\2/g" \
    >"$APT/sources.list.d/debian-src.sources"
  grep -q '^Types: deb-src$' "$APT/sources.list.d/debian-src.sources" \
    || die "could not derive a deb-src stanza from $ORIG_LIST"
  log "apt-get update (deb-src for $SUITE, in $APT)"
  timed apt-update apt-get "${APT_OPTS[@]}" update -qq >"$DIR/apt-update.log" 2>&1 \
    || { tail -n 5 "$DIR/apt-update.log" >&2; die "apt-get update failed for $SUITE"; }
  VER=$(apt-cache "${APT_OPTS[@]}" showsrc mariadb 2>/dev/null \
        | awk '/^Version:/ { print $2 }' | sort -Vu \
        | awk -v s="$SERIES" '{ v = $1; sub(/^[0-9]+:/, "", v) } index(v, s ".") == 1' | tail -n1)
  [ -n "$VER" ] || die "Debian $SUITE's Sources list no mariadb $SERIES.x"
  UPSTREAM=${VER#*:}; UPSTREAM=${UPSTREAM%%[-+~]*}
fi
TREE="$DIR/mariadb-$UPSTREAM"
BUILD="$DIR/build-$UPSTREAM"

if [ -n "$GIVEN" ] && [ -d "$GIVEN" ]; then
  real=$(cd "$GIVEN" && pwd -P)
  [ "$(readlink "$TREE" 2>/dev/null)" = "$real" ] || { rm -rf "$TREE"; ln -s "$real" "$TREE"; }
  log "source: $real (PERF_ADVISOR_SERIES_SRC)"
elif [ ! -f "$TREE/CMakeLists.txt" ]; then
  rm -rf "$TREE" "$TREE.tmp" "$DIR/src"
  mkdir -p "$DIR/src" "$TREE.tmp"
  if [ -n "$GIVEN" ]; then
    log "unpacking $GIVEN"
    timed unpack tar -xf "$GIVEN" -C "$TREE.tmp"
    top=$(find "$TREE.tmp" -maxdepth 2 -name CMakeLists.txt | sort | sed -n 1p)
    [ -n "$top" ] || die "$GIVEN holds no MariaDB source tree"
    mv "${top%/CMakeLists.txt}" "$TREE"
  else
    log "fetching mariadb $VER source (Debian $SUITE)"
    if ! (cd "$DIR/src" && timed fetch apt-get "${APT_OPTS[@]}" source -qq \
            --download-only "mariadb=$VER") >"$DIR/fetch.log" 2>&1; then
      rm -rf "$DIR/src" "$TREE.tmp"
      mapfile -t why < <(grep -E '^(E|W):' "$DIR/fetch.log" | head -n 4 | sed 's/^/  /')
      log "Debian $SUITE's Sources list mariadb $VER, but its files could not be fetched:" \
          "${why[@]}" \
          "Stopped: no MariaDB $SERIES source, nothing built." \
          "Provide the source of a MariaDB $SERIES.x and run again:" \
          "  PERF_ADVISOR_SERIES_SRC=/path/to/mariadb-$UPSTREAM scripts/build-series.sh $SERIES" \
          "  PERF_ADVISOR_SERIES_SRC=/path/to/mariadb-$UPSTREAM.tar.gz scripts/build-series.sh $SERIES" \
          "(an unpacked tree, or MariaDB's release tarball or Debian's orig tarball)"
      exit 1
    fi
    (cd "$DIR/src" && timed unpack dpkg-source --no-check -x \
       "mariadb_${VER#*:}.dsc" "$TREE.tmp/t") >"$DIR/unpack.log" 2>&1 \
      || { tail -n 5 "$DIR/unpack.log" >&2; die "dpkg-source -x failed"; }
    mv "$TREE.tmp/t" "$TREE"
  fi
  rm -rf "$TREE.tmp" "$DIR/src"
fi
have=$(tree_version <"$TREE/VERSION")
[ "$have" = "$UPSTREAM" ] || die "$TREE holds MariaDB $have, not $UPSTREAM"

# -- configure and build -----------------------------------------------------
LINK="$TREE/plugin/perf_advisor"
if [ "$(readlink "$LINK" 2>/dev/null)" != "$REPO" ]; then
  rm -rf "$LINK"
  ln -s "$REPO" "$LINK"
  rm -f "$BUILD/CMakeCache.txt"
  rm -rf "$BUILD/plugin/perf_advisor"   # objects of another checkout
fi
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  log "configuring MariaDB $UPSTREAM (nice 19)"
  mkdir -p "$BUILD"
  (cd "$BUILD" && timed configure nice -n 19 cmake "$TREE" "${PA_CMAKE_OPTS[@]}") \
    >"$BUILD/configure.log" 2>&1 \
    || { tail -n 40 "$BUILD/configure.log" >&2; die "configure failed (log: $BUILD/configure.log)"; }
fi
log "building the perf_advisor target against MariaDB $UPSTREAM (nice 19, -j$JOBS)"
timed "build-plugin-$UPSTREAM" nice -n 19 cmake --build "$BUILD" --target perf_advisor \
    -- -j"$JOBS" >"$BUILD/build.log" 2>&1 \
  || { grep -E "error|Error" -A3 "$BUILD/build.log" | head -n 60 >&2
       die "the plugin did not build against MariaDB $UPSTREAM (log: $BUILD/build.log)"; }
SO=$(find "$BUILD/plugin/perf_advisor" -name perf_advisor.so | head -n1)
[ -f "$SO" ] || die "no perf_advisor.so in $BUILD"
echo "$SO"
