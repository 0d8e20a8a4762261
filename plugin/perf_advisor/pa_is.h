/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: the INFORMATION_SCHEMA tables, one source file per family.
  Each init function fills the ST_SCHEMA_TABLE the server passes (columns,
  fill or per-table callback, lookup fields); plugin.cc declares the
  plugins that name them.

    pa_table_analysis.cc   PERF_TABLE_ANALYSIS    one row per table
    pa_index_usage.cc      PERF_INDEX_USAGE       one row per index
    pa_index_changes.cc    PERF_INDEX_CHANGES     one row per index change
    pa_recs.cc             PERF_RECOMMENDATIONS   the ranked advice
    pa_cache_stats.cc      PERF_CACHE_STATS       one row per server cache
    pa_query_analysis.cc   PERF_QUERY_ANALYSIS    one row per digest and
                                                  table it names
                           PERF_COLUMN_STATS      one row per column those
                                                  digests use
  The per-table ones walk the tables with the server's get_all_tables()
  (pa_model.h: privileges and WHERE pushdown as for I_S.TABLES); the UDFs
  (pa_udf.cc) fill them in-process, under the caller's privileges.
*/
#ifndef PA_IS_H
#define PA_IS_H

#include "pa_model.h"

int pa_table_analysis_init(void *p);
int pa_index_usage_init(void *p);
int pa_index_changes_init(void *p);
int pa_recs_init(void *p);
int pa_cache_stats_init(void *p);
int pa_query_analysis_init(void *p);
int pa_column_stats_init(void *p);

/*
  The fill of PERF_RECOMMENDATIONS with the read plan already in
  tables->is_table_read_plan (its lookup values; no partial condition):
  what its fill_table does once it has made the plan from the WHERE
  clause.  For a caller that fills the table in-process (the UDFs).
*/
int pa_recs_fill_planned(THD *thd, TABLE_LIST *tables);

#endif
