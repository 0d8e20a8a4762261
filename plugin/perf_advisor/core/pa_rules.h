/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: the table-scoped and statement-scoped rules of
  PERF_RECOMMENDATIONS (indexing, index_cleanup, redundant_index,
  fragmentation, query_optimization, query_pattern).  The missing_index
  rule is pa_missing; configuration and cache rules are pa_config.
*/
#ifndef PA_RULES_H
#define PA_RULES_H

#include "pa_advice.h"
#include "pa_digest.h"
#include "pa_index.h"
#include "pa_usage.h"

/* Every threshold is a system variable; defaults in parentheses. */
struct pa_thresholds
{
  uint64_t large_table_rows;   /* indexing: rows above which (100000) */
  double min_index_ratio;      /* indexing: INDEX/DATA below which (0.3) */
  uint64_t min_index_bytes;    /* cleanup/redundant: skip smaller (1 MiB) */
  uint64_t min_table_rows;     /* cleanup/redundant when size unknown (10000) */
  double fragmentation_pct;    /* fragmentation: above which (20) */
  uint64_t fragmentation_bytes; /* ... and DATA_FREE above which (256 MiB) */
  uint64_t slow_query_ps;      /* query_optimization: average above which */
  uint64_t max_joins;          /* query_pattern: joins above which (3) */
  uint64_t wide_table_columns; /* SELECT * on tables wider than (20) */
  uint64_t single_insert_calls; /* batching: executions above which (10000) */
};

/* One index of a table, as the rules see it. */
struct pa_rule_index
{
  const struct pa_index_def *def;
  const struct pa_index_verdict *verdict;
  enum pa_usage_status status;
  uint64_t reads;               /* READ_COUNT */
  uint64_t observed_seconds;
  int size_known;
  uint64_t size_bytes;
};

/* One table, as the rules see it. */
struct pa_rule_table
{
  const char *schema, *name, *engine;
  struct pa_table_facts facts;
  struct pa_table_metrics metrics;
  /* facts.data_free is a shared tablespace's free space (InnoDB's system
     tablespace), not this table's: no fragmentation advice */
  int data_free_shared;
  int io_known;
  uint64_t rows_read, full_scan_reads; /* rows, over observed_seconds */
  uint64_t observed_seconds;
  unsigned n_columns;           /* columns of the table */
  const struct pa_table_def *def;
  const struct pa_rule_index *indexes;  /* def->n_indexes entries */
};

/*
  indexing, index_cleanup, redundant_index and fragmentation for one table.
  Appends to out.  Returns 0, -1 on allocation failure.
*/
int pa_rules_table(const struct pa_rule_table *t,
                   const struct pa_thresholds *th, struct pa_rec_list *out);

/* One statement digest, as the statement rules see it. */
struct pa_rule_digest
{
  const char *schema;           /* default schema; NULL: none */
  const char *text;             /* digest text (NUL-terminated) */
  const char *digest;           /* performance_schema DIGEST (hex) */
  const struct pa_digest_analysis *an;
  uint64_t exec_count, sum_ps, avg_ps, rows_examined, rows_sent;
  uint64_t no_index_used, no_good_index_used;
};

/*
  query_optimization and the query patterns that need no table facts (IN
  subqueries, many joins, ORDER BY RAND(), deep OFFSET, single-row INSERTs
  run very often) for one digest.
*/
int pa_rules_digest(const struct pa_rule_digest *d,
                    const struct pa_thresholds *th, struct pa_rec_list *out);

/*
  The query patterns that need the table: SELECT * on a wide table, a
  function applied to an indexed column, leading-wildcard LIKE.  ti: the
  position of t in d->an->tables[].
*/
int pa_rules_digest_table(const struct pa_rule_digest *d, int ti,
                          const struct pa_rule_table *t,
                          const struct pa_thresholds *th,
                          struct pa_rec_list *out);

/* "12.3 MiB", "512 B" ... into buf. */
const char *pa_fmt_bytes(uint64_t bytes, char *buf, size_t size);

#endif
