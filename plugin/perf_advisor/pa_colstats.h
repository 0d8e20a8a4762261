/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: statistics of the columns statements filter, join, group or
  sort on, for the missing-index rules (pa_missing_analyze_stats()) and
  INFORMATION_SCHEMA.PERF_COLUMN_STATS.

  Sources, per column and figure, best first (merged by the core's
  pa_colstat_merge(), see core/pa_colcache.h):
    index     distinct values of the first key part of an index that
              starts with the column, from the handler's estimates (InnoDB
              persistent statistics: n_diff_pfx01), over the whole table;
    eits      engine-independent statistics (any engine), when
              mysql.column_stats has a row for the column (ANALYZE TABLE
              ... PERSISTENT FOR ...): NULL fraction (nulls_ratio),
              distinct values (rows / avg_frequency, rows from
              mysql.table_stats), the top-value share from a JSON_HB
              histogram, and their age from its collected_at;
    sample    (InnoDB tables only: other engines would lock writers out
              while it reads) at most perf_advisor_sample_rows rows the
              plugin reads itself, in the table's scan order (for InnoDB
              the primary key's: the first rows, not a random sample):
              NULL share, the most common value's share and the distinct
              values (all of them when the sample is the whole table, else
              the Duj1 estimate n d / (n - f1 + f1 n / N) of Haas and
              Stokes from the sample's d distinct values, f1 of them seen
              once, n rows of N).  A column whose NULL fraction and
              top-value share EITS gives is not sampled.
  What none gives stays unknown (-1), and the rules treat it as such.

  The same sample measures the average stored bytes of every column it
  reads (the size estimate of pa_select asks for the key columns of a new
  index and the primary key's): SUM(LENGTH(c)) over the sampled rows (a
  NULL stores none), divided by the rows.

  What a sample measured is cached across statements (core pa_colcache,
  at most PA_COLSTATS_CACHE_BYTES): per table, definition version
  (TABLE_SHARE::tabledef_version, which every ALTER and re-creation
  changes) and column; reused while it is at most
  perf_advisor_column_stats_max_age seconds old, the sample cap is
  unchanged and the table's row estimate has not drifted by more than
  PA_COLCACHE_DRIFT_PCT percent.  Index statistics are the handler's own,
  read afresh; EITS rows are read once per statement and table.

  The sample is one statement on a local connection:
    WITH s AS (SELECT LEFT(c1, 128), ..., LENGTH(c1), ... FROM t
               USE INDEX () LIMIT n) SELECT <group counts per column>
  USE INDEX () makes it a scan of the table (a covering secondary index
  would give the smallest values first).  It is a consistent read (the
  connection sets autocommit and REPEATABLE READ whatever the server's
  defaults: no row locks, DML goes on), and it never waits for a lock
  (lock_wait_timeout 0: a table under DDL, or mysql.column_stats being
  written, gives no statistics, with a warning): the caller's walk holds a
  shared metadata lock on the same table, and a DDL statement queued
  between the two would otherwise wait for the walk while the walk waits
  for the sample; and a server busy with DDL must not make every PERF_
  statement wait once per table.  Values compare by their first 128
  characters.

  KILL: the sample runs on the local connection's own THD, which a KILL of
  the caller does not reach.  While it runs, a relay thread watches the
  caller and, once the caller is killed (KILL QUERY, KILL,
  max_statement_time), kills the sample's query as KILL QUERY would; the
  statement then ends with the caller's error.  A killed caller starts no
  sample.  While it samples, the caller's PROCESSLIST state is
  "perf_advisor: sampling column statistics".

  Locking: LOCK_pa_colstats protects the cache and the counters; it is
  held only to copy columns out of the cache or into it, never across SQL.
  Two statements that miss on the same table at once both sample it; the
  later put wins.  A relay has its own mutex and condition, for the one
  sample it watches.
*/
#ifndef PA_COLSTATS_H
#define PA_COLSTATS_H

#include "pa_model.h"

extern "C" {
#include "pa_colcache.h"
#include "pa_missing.h"
}

/* Bytes the cache of sampled column statistics may hold. */
#define PA_COLSTATS_CACHE_BYTES (16u << 20)

/* The statistics of one table's columns. */
struct pa_colstats
{
  int n;
  pa_missing_colstat cols[PA_DIGEST_MAX_COLUMNS];
  unsigned source[PA_DIGEST_MAX_COLUMNS];  /* PA_CS_SRC_* bits */
  /* rows of the sample that gave figures of the column; 0: none */
  uint64_t col_sampled[PA_DIGEST_MAX_COLUMNS];
  /* seconds since that sample (else the EITS histogram) was taken; < 0:
     unknown */
  double age[PA_DIGEST_MAX_COLUMNS];
  /* average stored bytes per row of the columns widths asked for, in
     their order; < 0: not measured */
  int n_widths;
  const char *width_name[PA_DIGEST_MAX_COLUMNS];
  double avg_bytes[PA_DIGEST_MAX_COLUMNS];
  uint64_t sampled_rows;   /* rows of the sample used (read now or
                              cached); 0: none */
  bool sample_failed;      /* a sample was wanted and could not be read */
};

/* struct pa_colstats_conn: pa_stmt.h (the statement's one connection). */

/*
  The statistics of the columns names[0 .. n - 1] of m's table (at most
  PA_DIGEST_MAX_COLUMNS; repeated names, in any case, count once) into
  out, and the average bytes of the columns widths[0 .. n_widths - 1]
  (at most PA_DIGEST_MAX_COLUMNS, real names as pa_model_column() gives
  them).  Reads EITS and samples through conn (opened on first use; close
  it with pa_colstats_end()), samples only when perf_advisor_sample_rows
  is not 0, and through the cache.  A source that cannot be read leaves a
  warning on thd and its figures unknown; a killed caller's sample stops,
  with no warning.
*/
void pa_colstats_collect(THD *thd, pa_colstats_conn *conn,
                         const pa_table_model *m, const char *const *names,
                         int n, const char *const *widths, int n_widths,
                         MEM_ROOT *root, pa_colstats *out);

/* The average bytes out measured for column name (real name), or -1. */
double pa_colstats_avg_bytes(const pa_colstats *out, const char *name);

/*
  conn's connection, opened on first use with lock_wait_timeout 0 (other
  per-statement reads share it: pa_catalog); NULL when it cannot be opened,
  and then for the rest of the statement.
*/
MYSQL *pa_colstats_connect(THD *thd, pa_colstats_conn *conn);

void pa_colstats_end(pa_colstats_conn *conn);

/*
  The equality and join columns (outside any OR) of the table each
  candidate digest md[i] is analysed for (md[i].table; candidates:
  pa_missing_is_candidate()), of md[0 .. n - 1]: the columns
  whose statistics the missing-index rules use, appended to names[0 .. k -
  1] when not there yet (ASCII case-insensitive).  At most
  PA_DIGEST_MAX_COLUMNS names in all; returns the new count.  The names
  point into the digests' analyses.
*/
int pa_colstats_columns(const pa_missing_digest *md, int n,
                        const char **names, int k= 0);

/*
  The missing-index analysis (pa_missing_analyze_stats()) of m's digests
  md[0 .. n - 1], with the statistics of their columns in cs and the
  thresholds of the statement's settings; memory from root.  Its return
  value.
*/
int pa_colstats_missing(const pa_table_model *m, const pa_colstats *cs,
                        const pa_missing_digest *md, int n, MEM_ROOT *root,
                        pa_missing_result *res);

/* The cache's life: at plugin init (true on failure) and deinit. */
bool pa_colstats_init();
void pa_colstats_deinit();

/* SHOW STATUS: Perf_advisor_column_stats_*, NULL-terminated. */
extern struct st_mysql_show_var pa_colstats_status[];

#endif
