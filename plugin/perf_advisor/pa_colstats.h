/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: statistics of the columns statements filter on, for the
  missing-index rules (pa_missing_analyze_stats()).

  Sources, per column, best first:
    index     distinct values of the first key part of an index that
              starts with the column, from the handler's estimates (InnoDB
              persistent statistics: n_diff_pfx01), over the whole table;
    sample    (InnoDB tables only: other engines would lock writers out
              while it reads) at most perf_advisor_sample_rows rows the
              plugin reads
              itself, in the table's scan order (for InnoDB the primary
              key's: the first rows, not a random sample): NULL share, the
              most common value's share and, when no index gives it, the
              distinct values (all of them when the sample is the whole
              table, else the Duj1 estimate n d / (n - f1 + f1 n / N) of
              Haas and Stokes from the sample's d distinct values, f1 of
              them seen once, n rows of N).
  What neither gives stays unknown (-1), and the rules treat it as such.

  The same sample measures the average stored bytes of the variable-length
  columns a new index may hold (its key columns and the primary key's, for
  the size estimate of pa_select): SUM(LENGTH(c)) over the sampled rows
  (a NULL stores none), divided by the rows.

  The sample is one statement on a local connection:
    SELECT LEFT(c1, 128), ..., LENGTH(w1), ... FROM t USE INDEX () LIMIT n
  USE INDEX () makes it a scan of the table (a covering secondary index
  would give the smallest values first).  It is a consistent read (no row
  locks; DML goes on), and it never waits for a metadata lock
  (lock_wait_timeout 0: a table under DDL gets no sample, with a warning):
  the caller's walk holds a shared metadata lock on the same table, and a
  DDL statement queued between the two would otherwise wait for the walk
  while the walk waits for the sample; and a server busy with DDL must not
  make every PERF_ statement wait once per table.  A killed caller takes
  no sample.  Values compare by their first 128
  characters.

  Locking: none; one context per statement.
*/
#ifndef PA_COLSTATS_H
#define PA_COLSTATS_H

#include "pa_model.h"

extern "C" {
#include "pa_missing.h"
}

extern ulong pa_sample_rows;

/* Where the statistics of one column came from. */
enum pa_colstat_source
{
  PA_CS_NONE,         /* nothing known */
  PA_CS_INDEX,        /* distinct from an index; no sample */
  PA_CS_SAMPLE,       /* everything from the sample */
  PA_CS_INDEX_SAMPLE  /* distinct from an index, the rest from the sample */
};

const char *pa_colstat_source_name(enum pa_colstat_source s);

/* The statistics of one table's columns. */
struct pa_colstats
{
  int n;
  pa_missing_colstat cols[PA_DIGEST_MAX_COLUMNS];
  enum pa_colstat_source source[PA_DIGEST_MAX_COLUMNS];
  /* average stored bytes per row of the columns widths asked for, in
     their order; < 0: not measured */
  int n_widths;
  const char *width_name[PA_DIGEST_MAX_COLUMNS];
  double avg_bytes[PA_DIGEST_MAX_COLUMNS];
  uint64_t sampled_rows;   /* rows the sample read; 0: none */
  bool sample_failed;      /* a sample was wanted and could not be read */
};

/* Per-statement: the local connection samples share, opened on first use. */
struct pa_colstats_conn
{
  MYSQL *mysql;
  bool failed;             /* do not try again in this statement */
};

/*
  The statistics of the columns names[0 .. n - 1] of m's table (at most
  PA_DIGEST_MAX_COLUMNS; repeated names, in any case, count once) into
  out, and the average bytes of the columns widths[0 .. n_widths - 1]
  (at most PA_DIGEST_MAX_COLUMNS, real names as pa_model_column() gives
  them).  Samples through conn (opened on first use; close it with
  pa_colstats_end()) when perf_advisor_sample_rows is not 0.  A sample that
  cannot be read leaves a warning on thd and its statistics unknown.
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

#endif
