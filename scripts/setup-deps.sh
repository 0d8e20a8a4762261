#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Prepare a Debian 12 machine to build perf_advisor, idempotently.  The
# plugin must be built from the source of exactly the server version it
# will be loaded into, so:
#   - When a server is installed (package mariadb-server-core or
#     mariadb-server), build for exactly its version.  No server package is
#     ever installed, upgraded or downgraded then.  Its source comes from,
#     in this order: PERF_ADVISOR_MARIADB_SRC (an unpacked source tree or a
#     source tarball of that version), the cache, or `apt-get source` when
#     apt serves that exact version; otherwise the script stops and says
#     how to provide it.  mariadb-client and mariadb-test(-data), which the
#     tests use, are installed only at exactly the server's version.
#   - Only a machine with no server gets one: the newest mariadb source
#     version apt serves, with the server, client and test packages pinned
#     to it.
# Either way it installs the build dependencies and leaves the unpacked
# source in the cache (~/.cache/perf_advisor/mariadb-<version>).  Apt gets a
# deb-src stanza derived from the machine's own sources (no host names here)
# when it must fetch a source.
# Prints, as its last line, the MariaDB package version it settled on.
#
# Environment:
#   PERF_ADVISOR_CACHE            the cache directory
#   PERF_ADVISOR_MARIADB_SRC      a source tree or tarball to use instead of
#                                 apt-get source (its VERSION must match)
# Test hooks:
#   PERF_ADVISOR_INSTALLED_VERSION=1:10.11.99-0+deb12u1
#                                 take this as the installed server's
#                                 version instead of asking dpkg
#   PERF_ADVISOR_SETUP_CHECK_ONLY=1
#                                 stop (exit 3) before the first step that
#                                 would change the machine or the cache
set -euo pipefail
. "$(dirname "$0")/lib/mariadb-cmake.sh"

CACHE=${PERF_ADVISOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/perf_advisor}
SRC_LIST=/etc/apt/sources.list.d/perf-advisor-src.sources
ORIG_LIST=/etc/apt/sources.list.d/debian.sources
GIVEN=${PERF_ADVISOR_MARIADB_SRC:-}
export DEBIAN_FRONTEND=noninteractive

log() { local l; for l in "$@"; do echo "setup-deps: $l" >&2; done; }
die() { log "$@"; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# change WHAT: the caller is about to change the machine or the cache
change() {
  [ -z "${PERF_ADVISOR_SETUP_CHECK_ONLY:-}" ] && return 0
  log "check only (PERF_ADVISOR_SETUP_CHECK_ONLY): would $*; stopping here"
  exit 3
}

# 1:10.11.19-0+deb12u1 -> 10.11.19 (also 1:10.11.19+maria~deb12)
upstream() { local v=${1#*:}; echo "${v%%[-+~]*}"; }
is_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}
# apt-cache policy's origin of version VER of package PKG: "URI SUITE
# COMPONENT".  (Filters here read all their input: with pipefail, an early
# exit would fail the pipeline on the writer's SIGPIPE.)
origin_of() {
  apt-cache policy "$1" 2>/dev/null | awk -v want="$2" '
    $1 == "***" { v = $2; next }
    NF == 2 && $2 ~ /^[0-9]+$/ { v = $1; next }
    v == want && $2 ~ /:\/\// && o == "" { split($3, s, "/"); o = $2 " " s[1] " " s[2] }
    END { if (o != "") print o }'
}
# is version VER of binary package PKG known to apt?
available() {
  apt-cache madison "$1" 2>/dev/null \
    | awk -F'|' -v p="$1" -v v="$2" '{ gsub(/ /, "", $1); gsub(/ /, "", $2) }
                                      $1 == p && $2 == v { f = 1 } END { exit !f }'
}
join_list() { local IFS=,; local s="$*"; echo "${s//,/, }"; }
source_versions() {
  apt-cache showsrc mariadb 2>/dev/null | awk '/^Version:/ { print $2 }' | sort -Vu
}

# The installed server: "VERSION WHERE-FROM", nothing when there is none.
installed_server() {
  if [ -n "${PERF_ADVISOR_INSTALLED_VERSION:-}" ]; then
    echo "$PERF_ADVISOR_INSTALLED_VERSION PERF_ADVISOR_INSTALLED_VERSION, a test hook"
    return
  fi
  local p st
  for p in mariadb-server-core mariadb-server; do
    st=$(dpkg-query -W -f='${db:Status-Status} ${Version}' "$p" 2>/dev/null) \
      || continue
    # unpacked, half-configured, ...: its mariadbd is on disk all the same
    case ${st%% *} in not-installed|config-files|'') continue ;; esac
    echo "${st#* } package $p"
    return
  done
}

# The deb-src stanza: same archives as the binary stanzas, Types: deb-src.
# The security pocket serves no sources, so its stanza is left out.
SRC_ADDED=0
ensure_src_index() {
  local need_update=0
  if [ ! -f "$SRC_LIST" ]; then
    [ -f "$ORIG_LIST" ] || die "no $ORIG_LIST to derive a deb-src stanza from"
    change "write a deb-src stanza to $SRC_LIST"
    awk 'BEGIN { RS=""; ORS="\n\n" }
         /Suites:[^\n]*security/ { next }
         { print }' "$ORIG_LIST" \
      | sed -E 's/^Types:[[:space:]]+deb[[:space:]]*$/Types: deb-src/' \
      | as_root tee "$SRC_LIST" >/dev/null
    grep -q '^Types: deb-src$' "$SRC_LIST" \
      || { as_root rm -f "$SRC_LIST"; die "could not derive a deb-src stanza"; }
    SRC_ADDED=1
    need_update=1
  fi
  if [ $need_update = 1 ] || [ -z "$(apt-cache showsrc mariadb 2>/dev/null)" ]; then
    change "run apt-get update"
    log "apt-get update"
    as_root apt-get update -qq
  fi
}

# Stop: the installed server's source is nowhere to be had.  A stanza
# this run added goes again, so that a stop leaves the machine as it was.
stop_no_source() {
  local up org serves
  up=$(upstream "$VER")
  if [ $SRC_ADDED = 1 ]; then as_root rm -f "$SRC_LIST"; fi
  serves=$(source_versions | paste -sd' ' -)
  org=$(origin_of mariadb-server-core "$VER")
  log "the installed server is mariadb $VER ($INST_FROM)." \
      "perf_advisor must be built from the source of exactly that version, but" \
      "apt serves no mariadb $VER source (it serves: ${serves:-none})." \
      "Stopped: nothing was installed, upgraded or downgraded." \
      "Provide the source of MariaDB $up in one of two ways, then run again:" \
      "  (a) a deb-src line for the pocket that serves mariadb $VER, in a file" \
      "      under /etc/apt/sources.list.d/, then apt-get update;"
  if [ -n "$org" ]; then
    log "      apt's binary packages of that version come from this one:" \
        "        deb-src $org"
  else
    log "        deb-src <archive URI> <suite> main"
  fi
  log "  (b) PERF_ADVISOR_MARIADB_SRC set to an unpacked source tree or a source" \
      "      tarball of MariaDB $up, e.g." \
      "        PERF_ADVISOR_MARIADB_SRC=/path/to/mariadb-$up scripts/build.sh" \
      "        PERF_ADVISOR_MARIADB_SRC=/path/to/mariadb-$up.tar.gz scripts/build.sh"
  exit 1
}

# Check PERF_ADVISOR_MARIADB_SRC against version $1 (MAJOR.MINOR.PATCH)
# without changing anything; sets GIVEN_KIND to tree or tarball.
GIVEN_KIND=
check_given() {
  local want=$1 have
  if [ -d "$GIVEN" ]; then
    [ -f "$GIVEN/CMakeLists.txt" ] && [ -f "$GIVEN/VERSION" ] \
      || die "PERF_ADVISOR_MARIADB_SRC=$GIVEN is not a MariaDB source tree" \
             "(it needs CMakeLists.txt and VERSION at its top)"
    have=$(tree_version <"$GIVEN/VERSION")
    GIVEN_KIND=tree
  elif [ -f "$GIVEN" ]; then
    # its top directory's VERSION, read without unpacking
    have=$( { tar -xOf "$GIVEN" --wildcards --no-wildcards-match-slash \
                '*/VERSION' 2>/dev/null || true; } | tree_version)
    GIVEN_KIND=tarball
  else
    die "PERF_ADVISOR_MARIADB_SRC=$GIVEN: no such directory or file"
  fi
  [ "$have" = "$want" ] \
    || die "PERF_ADVISOR_MARIADB_SRC=$GIVEN holds MariaDB ${have:-of no known version}" \
           "(its VERSION file), but the build is for $VER, MariaDB $want:" \
           "refused. Give a source $GIVEN_KIND of exactly MariaDB $want."
}

# apt_install [--allow-downgrades] PKG...: with no system-wide server
# started by the packages (tests start their own)
apt_install() {
  local policy_added=0 rc=0
  change "install: $*"
  log "installing: $*"
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
    policy_added=1
  fi
  as_root apt-get install -y -qq "$@" >&2 || rc=$?
  [ $policy_added = 1 ] && as_root rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || { log "apt-get install failed"; return 1; }
}

# guarded_install PKG...: install only if apt's plan removes nothing and
# touches no mariadb/mysql package but the ones named (no server package
# is ever pulled in, upgraded or downgraded on the way).
guarded_install() {
  local plan bad names
  names=" $(printf '%s\n' "$@" | sed 's/=.*//' | paste -sd' ' -) "
  if ! plan=$(apt-get -s install "$@" 2>&1); then
    log "apt cannot install $*:" "$(printf '%s\n' "$plan" | grep '^E:' | head -n 5)"
    return 1
  fi
  bad=$(printf '%s\n' "$plan" | awk -v names="$names" '
    $1 == "Remv" { print; next }
    $1 == "Inst" && $2 ~ /^(mariadb|libmariadb|mysql)/ \
      && index(names, " " $2 " ") == 0 { print }')
  if [ -n "$bad" ]; then
    log "not installing $*: apt would also change" "$bad"
    return 1
  fi
  apt_install "$@"
}

BUILD_DEPS="build-essential cmake bison libssl-dev libncurses-dev zlib1g-dev
            libpcre2-dev libaio-dev liburing-dev dpkg-dev gnutls-bin pkg-config
            debhelper help2man"

read -r INST INST_FROM <<<"$(installed_server)"
if [ -n "$INST" ]; then
  # -- a server is installed: build for it, leave it alone ----------------
  VER=$INST
  case $VER in
    *[0-9].[0-9]*.[0-9]*) ;;
    *) die "installed server version '$VER' ($INST_FROM) is not a MariaDB version" ;;
  esac
  UPSTREAM=$(upstream "$VER")
  TREE="$CACHE/mariadb-$UPSTREAM"
  log "installed server: $VER ($INST_FROM); building for exactly that version"
  if [ -n "$GIVEN" ]; then
    check_given "$UPSTREAM"
  elif [ ! -f "$TREE/CMakeLists.txt" ]; then
    ensure_src_index
    source_versions | grep -xF "$VER" >/dev/null || stop_no_source
  fi

  want=()
  for p in $BUILD_DEPS; do is_installed "$p" || want+=("$p"); done
  if [ ${#want[@]} -gt 0 ]; then
    guarded_install "${want[@]}" || die "could not install the build dependencies"
  fi
  # What the tests use, at exactly the server's version or not at all
  # (mariadb-backup: the state transfer of mtr cluster_galera, which skips
  # without it).
  want=(); missing=(); newer=()
  for p in mariadb-client mariadb-client-core mariadb-test mariadb-test-data \
           mariadb-backup; do
    have=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || true)
    is_installed "$p" && [ "$have" = "$VER" ] && continue
    if ! available "$p" "$VER"; then
      missing+=("$p ${have:-(not installed)}")
    elif is_installed "$p" && dpkg --compare-versions "$have" gt "$VER"; then
      newer+=("$p $have")
    else
      want+=("$p=$VER")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "note: apt has no $VER of these (installed version shown):" \
        "  $(join_list "${missing[@]}")" \
        "  the mtr suite (scripts/mtr.sh, scripts/test.sh) needs mariadb-test" \
        "  and mariadb-test-data of exactly the server's version (and" \
        "  cluster_galera mariadb-backup; it skips without it)"
  fi
  if [ ${#newer[@]} -gt 0 ]; then
    log "note: newer than the server $VER, not downgraded:" \
        "  $(join_list "${newer[@]}")"
  fi
  if [ ${#want[@]} -gt 0 ]; then
    guarded_install "${want[@]}" \
      || log "note: left ${want[*]%%=*} as they are; the mtr suite may not run"
  fi
else
  # -- no server: install one, the newest whose source apt serves ---------
  if [ -x /usr/sbin/mariadbd ] || [ -x /usr/sbin/mysqld ]; then
    die "/usr/sbin/mariadbd or mysqld is there, but no mariadb-server-core" \
        "package: setup-deps installs a server only on a machine without one."
  fi
  ensure_src_index
  VER=$(source_versions | tail -n1)
  [ -n "$VER" ] || die "no mariadb source package found"
  UPSTREAM=$(upstream "$VER")
  TREE="$CACHE/mariadb-$UPSTREAM"
  [ -z "$GIVEN" ] || check_given "$UPSTREAM"
  log "no server installed; MariaDB package version: $VER"

  PKGS="mariadb-server mariadb-server-core mariadb-client mariadb-client-core
        mariadb-common libmariadb3 mariadb-test mariadb-test-data
        mariadb-backup"
  want=()
  for p in $PKGS; do
    have=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || true)
    [ "$have" = "$VER" ] && is_installed "$p" || want+=("$p=$VER")
  done
  for p in $BUILD_DEPS; do is_installed "$p" || want+=("$p"); done
  if [ ${#want[@]} -gt 0 ]; then
    apt_install --allow-downgrades "${want[@]}" || exit 1
  fi
fi

# -- the source tree, once per version ---------------------------------------
if [ -n "$GIVEN" ] && { [ ! -e "$TREE" ] || [ -L "$TREE" ]; }; then
  if [ "$GIVEN_KIND" = tree ]; then
    real=$(cd "$GIVEN" && pwd -P)
    if [ "$(readlink "$TREE" 2>/dev/null)" != "$real" ]; then
      change "link $TREE to $real"
      mkdir -p "$CACHE"
      ln -sfn "$real" "$TREE"
    fi
    log "source: $real (PERF_ADVISOR_MARIADB_SRC)"
  else
    change "unpack $GIVEN into $TREE"
    log "unpacking $GIVEN into $TREE"
    mkdir -p "$CACHE"
    rm -rf "$TREE.tmp"
    mkdir "$TREE.tmp"
    tar -xf "$GIVEN" -C "$TREE.tmp"
    top=$(find "$TREE.tmp" -maxdepth 2 -name CMakeLists.txt | sort | sed -n 1p)
    top=${top%/CMakeLists.txt}
    [ -n "$top" ] && [ -f "$top/VERSION" ] \
      || { rm -rf "$TREE.tmp"; die "$GIVEN holds no MariaDB source tree"; }
    rm -f "$TREE"
    mv "$top" "$TREE"
    rm -rf "$TREE.tmp"
  fi
elif [ -n "$GIVEN" ] && [ "$GIVEN_KIND" = tree ]; then
  log "source: $TREE, already in the cache for MariaDB $UPSTREAM;" \
      "PERF_ADVISOR_MARIADB_SRC is not used (remove $TREE to use it)"
elif [ ! -f "$TREE/CMakeLists.txt" ]; then
  change "fetch the mariadb $VER source into $CACHE"
  mkdir -p "$CACHE/src"
  log "fetching mariadb source $VER into $CACHE/src"
  (cd "$CACHE/src" && apt-get source -qq --download-only "mariadb=$VER" >&2 \
     && dpkg-source --no-check -x mariadb_"${VER#*:}".dsc "$TREE.tmp" >&2)
  rm -rf "$CACHE/src"
  if [ -L "$TREE" ]; then rm -f "$TREE"; fi   # a link to a tree that is gone
  mv "$TREE.tmp" "$TREE"
fi
echo "$VER"
