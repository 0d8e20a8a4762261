/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: one statement's context, and the settings it runs under.

  Every PERF_ table fill (and every UDF, which fills them in-process) works
  inside one struct pa_stmt: the settings copied once from the system
  variables, the local connection its SQL reads share, the statement
  digests read once, the model's scratch and the InnoDB size cache, and
  the working state of the fill that owns the statement
  (PERF_RECOMMENDATIONS' findings).  Nothing per statement lives anywhere
  else: no thread_local, no global written during a fill.

  How a process_table finds it.  get_all_tables() calls process_table
  once per table with (thd, the table's TABLE_LIST, the I_S table, ...),
  and the server gives an I_S plugin no place of its own in the THD or in
  the I_S table: thd_get_ha_data() needs a handlerton, TABLE and
  TABLE_LIST have no field for a plugin, and a fill_table of our own
  around get_all_tables() would lose the server's WHERE pushdown (sql_show
  optimizes only tables whose fill_table is get_all_tables itself).  The
  plugin keeps it the way MariaDB's own plugins keep per-connection state
  without a handlerton: in session variables that are not system
  variables (PLUGIN_VAR_NOSYSVAR | PLUGIN_VAR_NOCMDOPT, as server_audit
  keeps its connection_info in THDVAR(loc_info)): no SET, no @@, no SHOW
  VARIABLES, no option.  They hold (query id, I_S table, context), and the
  context is used only when the statement (thd->query_id, never reused)
  and the I_S table are the ones it was made for; otherwise a new one
  replaces it, so a context is never read after its statement ended.  It
  lives on the I_S table's memory root and goes with it: the slot
  identifies, it never owns.

  Nesting.  A UDF fills PERF_ tables in-process, possibly while a PERF_
  table of the calling statement is being filled (in a condition pushed
  down to its walk), and frees its table before the statement ends: it
  brackets its fill with pa_stmt_nest_begin() / pa_stmt_nest_end(), which
  clear the slot and put the outer context back afterwards, so the outer
  fill finds its own context again and the inner one is never found once
  its table is freed.

  Locking: none.  A context belongs to the statement's thread.
*/
#ifndef PA_STMT_H
#define PA_STMT_H

#include "pa_collect.h"

extern "C" {
#include "pa_rules.h"
#include "pa_verify.h"
}

/*
  The system variables (all declared and defined in plugin.cc), as one
  statement sees them: copied once, when its context is made.  Units in
  the comments; what 0 means is in plugin.cc's help texts and
  docs/system_variables.md.
*/
struct pa_settings
{
  /* table and index rules (pa_rules) */
  ulonglong large_table_rows;        /* rows */
  double min_index_ratio;            /* INDEX_LENGTH / DATA_LENGTH */
  ulonglong min_index_bytes;         /* bytes */
  ulonglong min_table_rows;          /* rows */
  double fragmentation_pct;          /* percent */
  ulonglong fragmentation_bytes;     /* bytes */
  ulong max_joins;                   /* joined tables, beyond the first */
  ulong wide_table_columns;          /* columns */
  ulonglong single_insert_calls;     /* executions */
  ulonglong useless_index_distinct;  /* distinct values */
  ulong business_cycle_days;         /* days */
  /* PERF_RECOMMENDATIONS */
  ulong max_recommendations;         /* rows; 0: all */
  /* missing_index */
  ulong max_index_columns;           /* columns */
  ulong unselective_pct;             /* percent of the rows */
  ulong min_index_gain_pct;          /* percent of the rows examined */
  ulong index_budget_pct;            /* percent of a schema's bytes */
  ulonglong index_budget_bytes;      /* bytes per schema; 0: the percentage */
  /* column statistics */
  ulong sample_rows;                 /* rows */
  ulonglong column_stats_max_age;    /* seconds */
  /* the store and the workload */
  ulong slow_query_ms;               /* milliseconds */
  bool include_system_schemas;
  ulong snapshot_interval;           /* seconds */
  ulonglong min_observation_seconds; /* seconds */
  ulong max_staleness_ms;            /* milliseconds */
  const char *usage_file;            /* read-only: the variable's own value */
  /* verification of index changes */
  ulonglong verify_seconds;          /* seconds */
  ulong verify_min_executions;       /* executions per digest */
  ulong verify_regression_pct;       /* percent */
  ulong verify_regression_ms;        /* milliseconds */
  /* the cluster */
  const char *peer_tables;           /* on the root given to
                                        pa_settings_read(); NULL without */
  ulong peer_timeout_ms;             /* milliseconds */
  const char *peer_digest_tables;    /* as peer_tables */
};

/*
  Copy the system variables into s, under LOCK_global_system_variables
  for the string ones (SET GLOBAL frees the old value).  peer_tables and
  peer_digest_tables are copied onto root; with no root they are NULL.
  Defined in plugin.cc, next
  to the variables.  The one accessor: a statement reads its context's
  copy, the snapshot thread and the store's refresh (which a statement or
  the thread may run) call this.
*/
void pa_settings_read(pa_settings *s, MEM_ROOT *root);

/* The rules' thresholds of s. */
void pa_settings_thresholds(const pa_settings *s, pa_thresholds *th);

/* The verification thresholds of s. */
void pa_settings_verify(const pa_settings *s, pa_verify_thresholds *t);

/* perf_advisor_slow_query_ms in picoseconds. */
static inline uint64_t pa_settings_slow_ps(const pa_settings *s)
{
  return (uint64_t) s->slow_query_ms * 1000000000ULL;
}

/* The local connection samples, EITS and catalog reads share, opened on
   first use (pa_colstats_connect()). */
struct pa_colstats_conn
{
  MYSQL *mysql;
  bool failed;             /* do not try again in this statement */
  bool eits_failed;        /* mysql.column_stats cannot be read */
  /* a query failed: the connection may hold a partial result, which the
     SQL service frees only at the next query (see pa_colstats_end) */
  bool dirty;
};

struct pa_catalog;        /* pa_catalog.h */
struct pa_model_scratch;  /* pa_model.cc: the model's per-statement part */
struct recs_ctx;          /* pa_recs.cc: a PERF_RECOMMENDATIONS fill */
struct pa_digest_analysis;
struct pa_digest_scratch;

/*
  The rows of mysql.innodb_index_stats with stat_name 'size' that the
  statement's tables needed so far (pa_model.cc loads and searches them):
  of the first table the walk meets in a schema, then, from the second
  table on, of the whole schema, so that a one-table lookup reads the rows
  of one table and a full scan one query per schema.
*/
struct pa_size_cache
{
  char db[NAME_LEN + 1];
  char table[NAME_LEN + 1];          /* empty: the whole schema */
  bool loaded;
  struct row
  {
    char table[FN_REFLEN];           /* as InnoDB names it (name#P#part) */
    char index[NAME_LEN + 1];
    uint64_t pages;
    size_t base_len;                 /* length of table before "#P#" */
  } *rows;                           /* sorted by (base name, index) */
  size_t n;
  bool page_size_read;
  uint64_t page_size;                /* innodb_page_size, bytes; 0: unknown
                                        (pa_stmt_page_size()) */
};

struct pa_stmt
{
  THD *thd;
  TABLE *is_table;                   /* the I_S table it fills */
  MEM_ROOT *root;                    /* is_table's: lives as long */
  pa_settings settings;
  bool process;                      /* the caller has PROCESS */
  bool refreshed;                    /* pa_stmt_refresh() ran */

  /*
    The local connection of the statement's reads of its tables' data and
    statistics (InnoDB index sizes, column samples, EITS, the catalog),
    opened on first use (pa_colstats_connect(): lock_wait_timeout 0, a
    consistent read).  Who closes it (pa_stmt_conn_end()): a fill with an
    end of its own, PERF_RECOMMENDATIONS' (recs set while it walks), once
    its walk is done; otherwise each process_table, when its table is
    done with it, as the server tells an I_S plugin no end of a walk.
    (The store's refresh, the server-state and Frappe metadata reads and
    the peers run on connections of their own: pa_collect, pa_peers.)
  */
  pa_colstats_conn conn;
  pa_catalog *catalog;               /* columns of the tables digests name
                                        (pa_stmt_catalog()) */

  /* the statement digests (pa_stmt_digests()), read once: by the
     statement's refresh, or by pa_stmt_digests() */
  bool digests_read, digests_ok;
  uint64_t digests_gen;              /* the store's refresh generation when
                                        they were read (the refresh's own
                                        when it read them) */
  pa_digest_set digests;
  pa_digest_scratch *scratch;        /* pa_digest_analyze()'s room, reused
                                        by every analysis of the
                                        statement; read or copy it at once */
  pa_digest_analysis **analyses;     /* per digest, pa_stmt_analysis() */

  pa_size_cache sizes;
  pa_model_scratch *model;           /* pa_model.cc, made on first use */
  recs_ctx *recs;                    /* while PERF_RECOMMENDATIONS walks */
};

/*
  The context of the statement thd runs for the I_S table is_table: the
  one made for them, or a new one on is_table's root (its settings
  copied).  NULL, with an error set, when out of memory.
*/
pa_stmt *pa_stmt_get(THD *thd, TABLE *is_table);

/*
  Bring the usage store up to date as the statement's
  perf_advisor_max_staleness_ms says (warnings to its thd), once per
  context: called before the statement's first read of the store.
  with_digests: the caller will read the statement's digests
  (pa_stmt_digests()); when this refresh reads performance_schema itself,
  the digest rows it reads become the statement's digests (tagged with
  the refresh's generation), so that they are read once.  Without it the
  refresh keeps them for itself: a statement that never uses them does
  not hold them on its root.
*/
void pa_stmt_refresh(pa_stmt *s, bool with_digests);

/*
  The statement's digests: those its refresh handed over
  (pa_stmt_refresh()), else read from performance_schema on the first call
  (when it is on; a failure leaves a warning); false when there are none
  to read.  The set lives on the context's root.
*/
bool pa_stmt_digests(pa_stmt *s);

/*
  The analysis of digest pos of the statement's digests (pa_stmt_digests()
  said true), its unqualified columns given their tables through the
  statement's catalog over its connection (pa_catalog_resolve()): made on
  first use and kept for the statement, so a digest that names several
  tables is analysed once (PERF_RECOMMENDATIONS, PERF_QUERY_ANALYSIS and
  PERF_COLUMN_STATS read it for each of them).  Read-only for the
  caller; it lives as long as the context.
  Memory: analysed in s->scratch (35,768 bytes, one per context), then
  kept as a compact copy (pa_digest_analysis_copy(): 56 bytes, 24 a
  table, 32 a column, 24 a hint, and the identifiers' bytes) on the
  context's root.  Measured (pa_digest_analysis_size() over the texts the
  sample scripts print): the 19 statements of
  scripts/sample/erp_workload.sh --flag-led take 127-345 bytes, 243 on
  average, 4,619 in all (661,656 when an analysis held arrays of the
  maximum size, 34,824 bytes each); TPC-H's (tpch_workload.sh) 302 on
  average, 783 at most.  A fill that analyses 10,000 such digests keeps
  about 2.5-3 MB, not 348 MB.
  NULL when out of memory or the text cannot be analysed (no error set).
*/
pa_digest_analysis *pa_stmt_analysis(pa_stmt *s, size_t pos);

/*
  What pa_stmt_analysis() keeps, made anew for any digest d (another
  node's, which is not in the statement's set): analysed in s->scratch,
  resolved through the statement's catalog, copied onto the context's
  root.  NULL when the statement has no scratch (its digests were not
  settled: pa_stmt_digests()), out of memory, or the text cannot be
  analysed.
*/
pa_digest_analysis *pa_stmt_analyze(pa_stmt *s, const pa_digest *d);

/* innodb_page_size in bytes, read once per statement; 0 when unknown. */
uint64_t pa_stmt_page_size(pa_stmt *s);

/*
  Close the context's connection and forget its failures: the next use
  opens a new one, as a new statement would.
*/
void pa_stmt_conn_end(pa_stmt *s);

/* The statement's catalog (pa_catalog.h), made on first use; NULL when
   out of memory. */
pa_catalog *pa_stmt_catalog(pa_stmt *s);

/* A fill nested in another statement's fill (pa_stmt.h, Nesting). */
struct pa_stmt_nest
{
  ulonglong query_id, table, stmt;
};
void pa_stmt_nest_begin(THD *thd, pa_stmt_nest *saved);
void pa_stmt_nest_end(THD *thd, const pa_stmt_nest *saved);

/*
  The slot of thd (plugin.cc: its hidden session variables): pointers to
  the query id, the I_S table and the context it identifies.
*/
struct pa_stmt_slot
{
  ulonglong *query_id, *table, *stmt;
};
void pa_stmt_slot_of(THD *thd, pa_stmt_slot *slot);

#endif
