#!/usr/bin/env bash
# Fuzz the SQL text builders (plugin/perf_advisor/core/pa_sql.c: identifier
# and string quoting, index naming, DDL) with libFuzzer + ASan + UBSan.
#   scripts/fuzz-sql.sh [seconds]     (default 60)
# Same pattern as scripts/fuzz-digest.sh.  The seeds are written here into a
# temporary working corpus, so nothing libFuzzer generates lands in the
# repository.  Exits non-zero when the fuzzer finds a crash, a leak or a
# sanitizer report; the reproducer is kept in $PA_FUZZ_ARTIFACTS (default
# /tmp/perf_advisor-fuzz) and can be replayed with:
# <that dir>/fuzz_sql <crash file>.
set -euo pipefail

SECS=${1:-60}
case $SECS in ''|*[!0-9]*) echo "usage: $0 [seconds]" >&2; exit 2;; esac
REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=${PA_FUZZ_ARTIFACTS:-/tmp/perf_advisor-fuzz}
log() { echo "fuzz-sql: $*" >&2; }

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
  "$CORE/pa_sql.c" "$CORE/pa_text.c" "$REPO/fuzz/fuzz_sql.c" \
  -o "$OUT/fuzz_sql"

# Seeds: NUL-separated names (table, then columns), see fuzz/fuzz_sql.c.
mkdir -p "$WORK/corpus"
seed() { printf "$2" > "$WORK/corpus/$1"; }
seed frappe 'tabSales Invoice\0customer\0posting_date'
seed gl 'tabGL Entry\0account\0posting_date'
seed plain 'orders\0customer_id'
seed hostile 'x`; DROP TABLE t; -- \0a``b\0/* */\0'"'"'q'"'"'\0a\\\\b'
seed primary 'PRIMARY\0Primary'
seed utf8 'tabFa\303\247ade \342\202\254\0\346\227\245\346\234\254\0\360\237\230\200'
seed invalid 'tab\377\300\257\355\240\200\0\302'
seed long 'tabSales Invoice Advance Payment Entry Very Long Name\0a_rather_long_column_name\0another_long_column_name_here'
seed ctrl 'a\nb\r\tc\0\177\001'

cat > "$WORK/sql.dict" <<'DICT'
"`"
"``"
"'"
"''"
"\\"
"\x00"
"tab"
" "
"-"
"PRIMARY"
"primary"
"\xc3\xa7"
"\xe2\x82\xac"
"\xe6\x97\xa5"
"\xf0\x9f\x98\x80"
"\xed\xa0\x80"
"\xc0\xaf"
"\xff"
"\x0a"
"\x7f"
"/*"
"*/"
"-- "
";"
DICT

log "running for ${SECS}s, artifacts in $OUT"
rc=0
"$OUT/fuzz_sql" -max_total_time="$SECS" -max_len=1024 -timeout=10 \
  -print_final_stats=1 -dict="$WORK/sql.dict" \
  -artifact_prefix="$OUT/" "$WORK/corpus" || rc=$?
if [ $rc != 0 ]; then
  log "FAILED (exit $rc): see the crash-* / leak-* / timeout-* files in $OUT"
  exit $rc
fi
log "no crash"
