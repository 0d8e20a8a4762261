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
#include "pa_frappe.h"
#include "pa_index.h"
#include "pa_peer.h"
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
  uint64_t useless_index_distinct; /* drop confidence: an unread index with
                                      at most this many distinct values, on
                                      a table of min_table_rows, is useless
                                      on the data (4); 0: never */
  uint64_t business_cycle_days; /* drop advice resting on an unread window
                                   shorter than this many days says to
                                   confirm over a full cycle (31); 0: never */
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
  int card_known;
  uint64_t cardinality;         /* distinct values of the whole key, the
                                   engine's estimate (the caller undoes
                                   InnoDB's doubling of CARDINALITY) */
  /* on a Frappe site, where the index comes from; NULL elsewhere.  A
     docfield index's drop advice says that `bench migrate` restores it
     and gives the metadata change that lasts (pa_frappe_durable_sql) */
  const struct pa_frappe_index_origin *frappe;
  /* when peers are declared (docs/cluster.md): what each node says of the
     index, nodes[0] this node; status is then their merge
     (pa_usage_merge) and the EVIDENCE lists them.  NULL, 0 otherwise */
  const struct pa_node_usage *nodes;
  size_t n_nodes;
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
  /* the DocType whose table this is, on a Frappe site; NULL elsewhere */
  const struct pa_frappe_doctype *frappe_doctype;
};

/*
  How sure a drop is.  Only an index pa_index_drop_safe() accepts (so never
  a PRIMARY, UNIQUE, foreign-key or hinted one) gets a confidence; the
  rules, first match wins:
    high    duplicate        an exact duplicate of another index;
            useless_on_data  unused (pa_usage_status) and at most
                             useless_index_distinct distinct values over a
                             table of at least min_table_rows rows (and at
                             least one): it cannot narrow a lookup much;
    medium  left_prefix, pk_suffix   covered by a wider index;
    low     unused_selective unused, with more distinct values than that:
                             it may serve a rare code path;
            unused           unused, selectivity unknown (no estimate, a
                             table too small to judge, or the useless test
                             off).
  Unknown usage is never taken for unused: such an index that is not
  redundant has no confidence.  The cardinality is that of the whole key,
  so a composite index over a two-valued first column is not useless.
*/
enum pa_drop_confidence
{
  PA_CONF_NONE= 0, /* not a drop candidate */
  PA_CONF_HIGH,
  PA_CONF_MEDIUM,
  PA_CONF_LOW
};

enum pa_drop_reason
{
  PA_DROP_NONE= 0,
  PA_DROP_DUPLICATE,
  PA_DROP_USELESS,
  PA_DROP_LEFT_PREFIX,
  PA_DROP_PK_SUFFIX,
  PA_DROP_UNUSED_SELECTIVE,
  PA_DROP_UNUSED
};

struct pa_drop_verdict
{
  enum pa_drop_confidence confidence;
  enum pa_drop_reason reason;
};

/* The verdict for index x of table t (x->def, x->verdict set). */
struct pa_drop_verdict pa_rules_drop_confidence(const struct pa_rule_table *t,
                                                const struct pa_rule_index *x,
                                                const struct pa_thresholds *th);

/* "high", "medium", "low"; NULL for PA_CONF_NONE. */
const char *pa_drop_confidence_name(enum pa_drop_confidence c);

/* "duplicate", "useless_on_data", "left_prefix", "pk_suffix",
   "unused_selective", "unused"; NULL for PA_DROP_NONE. */
const char *pa_drop_reason_name(enum pa_drop_reason r);

/*
  indexing, index_cleanup, redundant_index and fragmentation for one table.
  Appends to out.  Returns 0, -1 on allocation failure.
*/
int pa_rules_table(const struct pa_rule_table *t,
                   const struct pa_thresholds *th, struct pa_rec_list *out);

/* One statement digest, as the statement rules see it: the digest (its
   figures, pa_types.h) and the analysis of its text. */
struct pa_rule_digest
{
  const struct pa_digest *dig;         /* not NULL */
  const struct pa_digest_analysis *an; /* of dig->text; NULL: none, and
                                          the rules find nothing */
};

/*
  query_optimization and the query patterns that need no table facts (IN
  subqueries, many joins, ORDER BY RAND(), deep OFFSET, single-row INSERTs
  run very often) for one digest.  Reads dig's schema, digest, text
  (nothing without one) and counters.
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
