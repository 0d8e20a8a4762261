#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Install everything perf_advisor needs to build and test on Debian 12, idempotently:
#   - a deb-src stanza derived from the machine's own apt sources (no host names here),
#   - the MariaDB server/client/test packages pinned to the version whose source the
#     main archive serves (the plugin must be built against exactly that version),
#   - the build dependencies and the unpacked MariaDB source tree in a cache directory.
# Prints, as its last line, the MariaDB package version it settled on.
set -euo pipefail

CACHE=${PERF_ADVISOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/perf_advisor}
SRC_LIST=/etc/apt/sources.list.d/perf-advisor-src.sources
ORIG_LIST=/etc/apt/sources.list.d/debian.sources
export DEBIAN_FRONTEND=noninteractive

log() { echo "setup-deps: $*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need_update=0
if [ ! -f "$SRC_LIST" ]; then
  [ -f "$ORIG_LIST" ] || { log "no $ORIG_LIST to derive a deb-src stanza from"; exit 1; }
  # Same archives as the binary stanzas, but Types: deb-src; the security pocket
  # serves no sources, so its stanza is left out.
  awk 'BEGIN { RS=""; ORS="\n\n" }
       /Suites:[^\n]*security/ { next }
       { print }' "$ORIG_LIST" \
    | sed -E 's/^Types:[[:space:]]+deb[[:space:]]*$/Types: deb-src/' \
    | as_root tee "$SRC_LIST" >/dev/null
  grep -q '^Types: deb-src$' "$SRC_LIST" \
    || { log "could not derive a deb-src stanza"; as_root rm -f "$SRC_LIST"; exit 1; }
  need_update=1
fi
if [ $need_update = 1 ] || ! apt-cache showsrc mariadb >/dev/null 2>&1 \
   || [ -z "$(apt-cache showsrc mariadb 2>/dev/null)" ]; then
  log "apt-get update"
  as_root apt-get update -qq
fi

# The newest source version the archive serves.
VER=$(apt-cache showsrc mariadb | awk '/^Version:/ { print $2 }' | sort -V | tail -n1)
[ -n "$VER" ] || { log "no mariadb source package found"; exit 1; }
log "MariaDB package version: $VER"

PKGS="mariadb-server mariadb-server-core mariadb-client mariadb-client-core
      mariadb-common libmariadb3 mariadb-test mariadb-test-data"
want=()
for p in $PKGS; do
  have=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || true)
  st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$have" = "$VER" ] && [ "$st" = installed ] || want+=("$p=$VER")
done
BUILD_DEPS="build-essential cmake bison libssl-dev libncurses-dev zlib1g-dev
            libpcre2-dev libaio-dev liburing-dev dpkg-dev gnutls-bin pkg-config"
for p in $BUILD_DEPS; do
  dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -q '^installed$' \
    || want+=("$p")
done
if [ ${#want[@]} -gt 0 ]; then
  log "installing: ${want[*]}"
  # Do not let the package start a system-wide server: tests start their own.
  policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
    policy_added=1
  fi
  as_root apt-get install -y -qq --allow-downgrades "${want[@]}" >&2 || rc=$?
  [ $policy_added = 1 ] && as_root rm -f /usr/sbin/policy-rc.d
  [ "${rc:-0}" = 0 ] || { log "apt-get install failed"; exit 1; }
fi

# The source tree, once per version.
UPSTREAM=${VER#*:}; UPSTREAM=${UPSTREAM%%-*}
TREE="$CACHE/mariadb-$UPSTREAM"
if [ ! -f "$TREE/CMakeLists.txt" ]; then
  mkdir -p "$CACHE/src"
  log "fetching mariadb source $VER into $CACHE/src"
  (cd "$CACHE/src" && apt-get source -qq --download-only "mariadb=$VER" >&2 \
     && dpkg-source --no-check -x mariadb_"${VER#*:}".dsc "$TREE.tmp" >&2)
  rm -rf "$CACHE/src"
  mv "$TREE.tmp" "$TREE"
fi
echo "$VER"
