#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Fuzz the digest analyser (plugin/perf_advisor/core/pa_digest.c) with
# libFuzzer + ASan + UBSan for a while.
#   scripts/fuzz-digest.sh [seconds]     (default 60)
# The seeds in fuzz/corpus/digest are copied to a temporary working corpus,
# so the inputs libFuzzer generates never land in the repository.  Exits
# non-zero when the fuzzer finds a crash, a leak or a sanitizer report; the
# reproducer is kept in $PA_FUZZ_ARTIFACTS (default /tmp/perf_advisor-fuzz)
# and can be replayed with: <that dir>/fuzz_digest <crash file>.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
FUZZ_NAME=fuzz-digest
. "$REPO/scripts/lib/fuzz.sh"
fuzz_init "$@"
# pa_text.c: the core's one ASCII case folding, which the parser uses
fuzz_build fuzz_digest "$CORE/pa_digest.c" "$CORE/pa_text.c"

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
" OR "
" XOR "
" || "
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

fuzz_run fuzz_digest 4096
