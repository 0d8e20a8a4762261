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

/* Thresholds (system variables, declared in plugin.cc). */
extern ulonglong pa_large_table_rows;
extern double pa_min_index_ratio;
extern ulonglong pa_min_index_bytes;
extern ulonglong pa_min_table_rows;
extern double pa_fragmentation_pct;
extern ulonglong pa_fragmentation_bytes;
extern ulong pa_max_joins;
extern ulong pa_wide_table_columns;
extern ulonglong pa_single_insert_calls;
extern ulong pa_max_recommendations;
extern ulong pa_max_index_columns;
extern ulong pa_unselective_pct;
extern ulong pa_min_index_gain_pct;
extern ulong pa_index_budget_pct;
extern ulonglong pa_index_budget_bytes;
extern ulonglong pa_useless_index_distinct;
extern ulong pa_business_cycle_days;

/* The rules' thresholds, from the system variables now. */
void pa_thresholds_read(pa_thresholds *th);

int pa_recs_init(void *p);

/*
  The fill of PERF_RECOMMENDATIONS with the read plan already in
  tables->is_table_read_plan (its lookup values; no partial condition):
  what its fill_table does once it has made the plan from the WHERE
  clause.  For a caller that fills the table in-process (the UDFs).
*/
int pa_recs_fill_planned(THD *thd, TABLE_LIST *tables);

/* PERF_QUERY_ANALYSIS's share of what this thread keeps for the I_S table
   it fills: swapped as pa_model_swap_fill_state() says. */
struct pa_recs_fill_state
{
  query_id_t qa_query_id;
  const TABLE *qa_table;
  void *qa;                           /* its per-statement digests */
};
void pa_recs_swap_fill_state(pa_recs_fill_state *s);
int pa_cache_stats_init(void *p);
int pa_query_analysis_init(void *p);
int pa_column_stats_init(void *p);

#endif
