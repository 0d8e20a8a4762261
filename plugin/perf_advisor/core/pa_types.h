/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: the plain structs the server layer fills in and the
  analysis reads.  Every counter names its unit.  Nothing here points into
  server memory: the collector copies what it needs.
*/
#ifndef PA_TYPES_H
#define PA_TYPES_H

#include "pa_common.h"

/* Where activity counters come from, in order of preference. */
enum pa_stats_source
{
  PA_SRC_NONE= 0,        /* no source is on: counters are unknown (NULL) */
  PA_SRC_PFS,            /* performance_schema table/index I/O summaries */
  PA_SRC_USERSTAT        /* userstat: TABLE_STATISTICS / INDEX_STATISTICS */
};

/* Caller-provided allocator; memory is released by the owner as a whole
   (a MEM_ROOT in the server, a list of mallocs in the unit tests).  Returns
   NULL when out of memory. */
struct pa_alloc
{
  void *(*alloc)(void *ctx, size_t bytes);
  void *ctx;
};

/* Size facts of one table, as the storage engine reports them. */
struct pa_table_facts
{
  uint64_t rows;            /* estimated rows */
  uint64_t avg_row_length;  /* bytes */
  uint64_t data_length;     /* bytes */
  uint64_t index_length;    /* bytes */
  uint64_t data_free;       /* bytes allocated but unused */
  unsigned index_count;     /* indexes, PRIMARY included */
  int sizes_known;          /* 0: the engine keeps no size statistics */
};

/* Derived figures of one table. */
struct pa_table_metrics
{
  int ratio_known;
  double index_to_data_ratio; /* index_length / data_length */
  int frag_known;
  double fragmentation_pct;   /* data_free / (data_length + data_free) * 100 */
};

/* Statement-digest workload touching one table. */
struct pa_table_workload
{
  int known;                  /* 0: no digest source (performance_schema off) */
  uint64_t slow_digests;      /* digests with average time above threshold */
  double worst_avg_ms;        /* highest such average, milliseconds; 0: none */
};

#endif
