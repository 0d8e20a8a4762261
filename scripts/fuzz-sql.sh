#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
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

REPO=$(cd "$(dirname "$0")/.." && pwd)
FUZZ_NAME=fuzz-sql
. "$REPO/scripts/lib/fuzz.sh"
fuzz_init "$@"
fuzz_build fuzz_sql "$CORE/pa_sql.c" "$CORE/pa_text.c"

# Seeds: NUL-separated names (table, then columns), see fuzz/fuzz_sql.c.
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

fuzz_run fuzz_sql 1024
