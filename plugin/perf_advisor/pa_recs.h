/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: PERF_RECOMMENDATIONS, PERF_QUERY_ANALYSIS,
  PERF_CACHE_STATS and PERF_COLUMN_STATS.
*/
#ifndef PA_RECS_H
#define PA_RECS_H

#include "pa_model.h"

int pa_recs_init(void *p);

/*
  The fill of PERF_RECOMMENDATIONS with the read plan already in
  tables->is_table_read_plan (its lookup values; no partial condition):
  what its fill_table does once it has made the plan from the WHERE
  clause.  For a caller that fills the table in-process (the UDFs).
*/
int pa_recs_fill_planned(THD *thd, TABLE_LIST *tables);

int pa_cache_stats_init(void *p);
int pa_query_analysis_init(void *p);
int pa_column_stats_init(void *p);

#endif
