#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# The main job: build what is missing, start a throwaway server with the
# plugin (performance_schema on), load the sample ERP database, run a short
# workload, print the analysis, stop the server.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/scripts/lib/server.sh"

SO=$("$REPO/scripts/build.sh" | tail -n1)
pa_install_so "$SO"
trap pa_server_stop EXIT
pa_server_start --performance-schema=ON
echo "== loading the sample ERP database (erp_demo)" >&2
pa_sql <"$REPO/scripts/sample/erp_schema.sql" >/dev/null
# A deliberately redundant index, as real schemas accumulate them.
pa_sql -e "CREATE INDEX posting_date_dup ON erp_demo.\`tabSales Invoice\` (posting_date);
            ANALYZE TABLE erp_demo.\`tabSales Invoice\`" >/dev/null
# Analyze the workload, not the loading of the sample data.
pa_sql -e "TRUNCATE performance_schema.events_statements_summary_by_digest"
echo "== running a short workload" >&2
"$REPO/scripts/sample/erp_workload.sh" 20 | pa_sql >/dev/null
# The sample is small, so its slowest reports take milliseconds, not the
# default 1000: show digests above 20 ms as slow.
pa_sql -e "SET GLOBAL perf_advisor_slow_query_ms= 20"
# The demo cannot wait a week to call an index unused.
pa_sql -e "SET GLOBAL perf_advisor_min_observation_seconds= 0"

echo
echo "== information_schema.PERF_TABLE_ANALYSIS (erp_demo)"
pa_sql -t -e "
SELECT TABLE_NAME, ENGINE, TABLE_ROWS,
       ROUND(DATA_LENGTH / 1048576, 1) AS DATA_MB,
       ROUND(INDEX_LENGTH / 1048576, 1) AS INDEX_MB,
       ROUND(DATA_FREE / 1048576, 1) AS FREE_MB, INDEX_COUNT,
       INDEX_TO_DATA_RATIO AS IDX_RATIO, FRAGMENTATION_PCT AS FRAG_PCT,
       ROWS_READ, ROWS_CHANGED, FULL_SCAN_READS, SLOW_QUERY_COUNT AS SLOW_Q,
       WORST_QUERY_AVG_MS AS WORST_MS, STATS_SOURCE
FROM information_schema.PERF_TABLE_ANALYSIS
WHERE TABLE_SCHEMA = 'erp_demo'
ORDER BY DATA_LENGTH DESC"

echo
echo "== information_schema.PERF_RECOMMENDATIONS (the to-do list)"
pa_sql -t -e "
SELECT PRIORITY, TYPE, TABLE_NAME, LEFT(MESSAGE, 110) AS MESSAGE,
       SUGGESTED_SQL
FROM information_schema.PERF_RECOMMENDATIONS LIMIT 15"

echo
echo "== information_schema.PERF_QUERY_ANALYSIS (statements that read too much)"
pa_sql -t -e "
SELECT TABLE_NAME, EXEC_COUNT AS CALLS, AVG_MS,
       ROUND(ROWS_EXAMINED / GREATEST(ROWS_SENT, EXEC_COUNT)) AS EXAMINED_PER_ROW,
       PROPOSED_INDEX, MATCHING_INDEX, OR_COLUMNS, UNINDEXABLE,
       NO_PROPOSAL_REASON AS NO_PROPOSAL, EST_ROWS_EXAMINED AS EST_ROWS,
       LEFT(DIGEST_TEXT, 70) AS STATEMENT
FROM information_schema.PERF_QUERY_ANALYSIS
WHERE TABLE_SCHEMA = 'erp_demo' AND ROWS_EXAMINED >= 10 * GREATEST(ROWS_SENT, EXEC_COUNT)
ORDER BY TOTAL_MS DESC LIMIT 10"

echo
echo "== information_schema.PERF_INDEX_USAGE (redundant or unused)"
pa_sql -t -e "
SELECT TABLE_NAME, INDEX_NAME, COLUMNS, USAGE_STATUS, REDUNDANCY,
       REDUNDANT_WITH, SIZE_BYTES, DROP_SAFE, DROP_BLOCKER
FROM information_schema.PERF_INDEX_USAGE
WHERE TABLE_SCHEMA = 'erp_demo'
  AND (REDUNDANCY IS NOT NULL OR USAGE_STATUS = 'unused')"

echo
echo "== information_schema.PERF_CACHE_STATS"
pa_sql -t -e "SELECT * FROM information_schema.PERF_CACHE_STATS"

echo
echo "== tables read mostly by full scans"
pa_sql -t -e "
SELECT TABLE_NAME, ROWS_READ, FULL_SCAN_READS,
       ROUND(100 * FULL_SCAN_READS / NULLIF(ROWS_READ, 0), 1) AS SCAN_PCT,
       SLOW_QUERY_COUNT, WORST_QUERY_AVG_MS
FROM information_schema.PERF_TABLE_ANALYSIS
WHERE TABLE_SCHEMA = 'erp_demo' AND FULL_SCAN_READS > 0
ORDER BY FULL_SCAN_READS DESC"
