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

/*
  One statement digest: a row of performance_schema.
  events_statements_summary_by_digest, this node's or a peer's copy of it
  (pa_peers).  One reader decodes the rows, for the store's refresh and
  for a statement alike (pa_collect), and every layer points at them: the
  workload index (pa_workload), the statement rules (pa_rules), the
  missing-index analysis (pa_missing) and its rows (pa_missing_rec), and
  the store's verification figures.  Nothing copies one field by field.
  Strings and the struct live as long as the read's memory (the
  statement's, or the refresh's).
*/
struct pa_digest
{
  const char *schema;          /* SCHEMA_NAME: the default schema at
                                  execution; NULL: none */
  const char *digest;          /* DIGEST: 32 hex digits; "" when NULL */
  const char *text;            /* DIGEST_TEXT, normalized, NUL-terminated;
                                  NULL: none (the row is not analysed) */
  size_t text_len;             /* bytes of text, the NUL excluded */
  uint64_t exec_count;         /* COUNT_STAR: executions */
  uint64_t sum_ps;             /* SUM_TIMER_WAIT: picoseconds, summed over
                                  executions */
  uint64_t avg_ps;             /* AVG_TIMER_WAIT: picoseconds per execution
                                  (a peer's: sum_ps / exec_count) */
  uint64_t rows_examined;      /* SUM_ROWS_EXAMINED: rows, summed over
                                  executions */
  uint64_t rows_sent;          /* SUM_ROWS_SENT: rows, summed over
                                  executions */
  uint64_t no_index_used;      /* SUM_NO_INDEX_USED: executions that used
                                  no index */
  uint64_t no_good_index_used; /* SUM_NO_GOOD_INDEX_USED: executions that
                                  found no good index */
  uint64_t tmp_disk_tables;    /* SUM_CREATED_TMP_DISK_TABLES: on-disk
                                  temporary tables, summed over executions
                                  (0 for a peer's) */
  uint64_t errors;             /* SUM_ERRORS: executions that raised an
                                  error (0 for a peer's) */
  const char *node;            /* NULL: this node's; else the peer table it
                                  was read from (docs/cluster.md) */
};

/* Statement-digest workload touching one table. */
struct pa_table_workload
{
  int known;                  /* 0: no digest source (performance_schema off) */
  uint64_t slow_digests;      /* digests with average time above threshold */
  double worst_avg_ms;        /* highest such average, milliseconds; 0: none */
};

#endif
