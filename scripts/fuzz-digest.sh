#!/usr/bin/env bash
# Fuzz the digest analyser (plugin/perf_advisor/core/pa_digest.c) with
# libFuzzer + ASan + UBSan for a while.
#   scripts/fuzz-digest.sh [seconds]     (default 60)
# The seeds in fuzz/corpus/digest are copied to a temporary working corpus,
# so the inputs libFuzzer generates never land in the repository.  Exits
# non-zero when the fuzzer finds a crash, a leak or a sanitizer report; the
# reproducer is kept in $PA_FUZZ_ARTIFACTS (default /tmp/perf_advisor-fuzz)
# and can be replayed with: <that dir>/fuzz_digest <crash file>.
set -euo pipefail

SECS=${1:-60}
case $SECS in ''|*[!0-9]*) echo "usage: $0 [seconds]" >&2; exit 2;; esac
REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=${PA_FUZZ_ARTIFACTS:-/tmp/perf_advisor-fuzz}
log() { echo "fuzz-digest: $*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

find_clang() {
  local c
  for c in clang clang-19 clang-18 clang-17 clang-16 clang-15 clang-14; do
    command -v "$c" >/dev/null 2>&1 && { echo "$c"; return 0; }
  done
  return 1
}

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

CORE="$REPO/plugin/perf_advisor/core"
log "building with $CC"
"$CC" -std=c99 -g -O1 -Wall -Wextra -Werror \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -fno-omit-frame-pointer -I "$CORE" \
  "$CORE/pa_digest.c" "$REPO/fuzz/fuzz_digest.c" -o "$OUT/fuzz_digest"

mkdir -p "$WORK/corpus"
cp "$REPO"/fuzz/corpus/digest/* "$WORK/corpus/"

# Tokens of digest texts and raw SQL, so mutations reach deep parser states.
cat > "$WORK/sql.dict" <<'DICT'
"SELECT "
"INSERT INTO "
"REPLACE "
"UPDATE "
"DELETE "
"FROM "
"WHERE "
"JOIN "
"LEFT JOIN "
"STRAIGHT_JOIN "
" ON "
"USING "
" AS "
"ORDER BY "
"GROUP BY "
"HAVING "
"LIMIT "
"OFFSET "
" DESC "
" AND "
" IN "
"(...)"
"?, ..."
"/* , ... */"
"VALUES "
" SET "
"WITH "
"UNION "
"LIKE "
"BETWEEN "
"IS NOT NULL"
"RAND ( )"
"INTERVAL ? DAY"
"DATE ( "
"COUNT ( * )"
"FORCE INDEX "
"USE INDEX "
"IGNORE KEY "
" FOR JOIN "
" FOR ORDER BY "
"PRIMARY"
"ON DUPLICATE KEY UPDATE "
" . "
"`"
"``"
"'"
"''"
"\""
"\\"
"/*"
"*/"
"/*!40001 "
"-- "
"#"
"..."
"<=>"
">="
"!="
"_utf8mb4'"
"@@"
"10000"
DICT

log "running for ${SECS}s, artifacts in $OUT"
rc=0
"$OUT/fuzz_digest" -max_total_time="$SECS" -max_len=4096 -timeout=10 \
  -print_final_stats=1 -dict="$WORK/sql.dict" \
  -artifact_prefix="$OUT/" "$WORK/corpus" || rc=$?
if [ $rc != 0 ]; then
  log "FAILED (exit $rc): see the crash-* / leak-* / timeout-* files in $OUT"
  exit $rc
fi
log "no crash"
