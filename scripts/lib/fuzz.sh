# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Shared by scripts/fuzz-*.sh: libFuzzer + ASan + UBSan over one core
# module.  Source it after setting REPO and FUZZ_NAME, then:
#   fuzz_init "$@"                       seconds argument, clang, $WORK
#   fuzz_build TARGET SOURCE...          core sources + fuzz/TARGET.c
#   (fill "$WORK/corpus" and "$WORK/sql.dict")
#   fuzz_run TARGET MAX_LEN              exits non-zero on any finding

log() { echo "$FUZZ_NAME: $*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

find_clang() {
  local c
  for c in clang clang-19 clang-18 clang-17 clang-16 clang-15 clang-14; do
    command -v "$c" >/dev/null 2>&1 && { echo "$c"; return 0; }
  done
  return 1
}

fuzz_init() {
  SECS=${1:-60}
  case $SECS in ''|*[!0-9]*) echo "usage: $0 [seconds]" >&2; exit 2;; esac
  OUT=${PA_FUZZ_ARTIFACTS:-/tmp/perf_advisor-fuzz}
  CORE="$REPO/plugin/perf_advisor/core"
  # libFuzzer ships with Debian's clang (libclang-rt-NN-dev is a dependency).
  if ! CC=$(find_clang); then
    log "installing clang"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq clang >&2
    CC=$(find_clang) || { log "no clang after install"; exit 1; }
  fi
  mkdir -p "$OUT"
  WORK=$(mktemp -d /tmp/perf_advisor-fuzz-work.XXXXXX)
  trap 'rm -rf "$WORK"' EXIT
  mkdir -p "$WORK/corpus"
}

fuzz_build() {
  local target=$1; shift
  log "building with $CC"
  "$CC" -std=c99 -g -O1 -Wall -Wextra -Werror \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -fno-omit-frame-pointer -I "$CORE" \
    "$@" "$REPO/fuzz/$target.c" -o "$OUT/$target"
}

fuzz_run() {
  local target=$1 max_len=$2 rc=0
  log "running for ${SECS}s, artifacts in $OUT"
  "$OUT/$target" -max_total_time="$SECS" -max_len="$max_len" -timeout=10 \
    -print_final_stats=1 -dict="$WORK/sql.dict" \
    -artifact_prefix="$OUT/" "$WORK/corpus" || rc=$?
  if [ $rc != 0 ]; then
    log "FAILED (exit $rc): see the crash-* / leak-* / timeout-* files in $OUT"
    exit $rc
  fi
  log "no crash"
}
