/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: column statistics for the missing-index rules.  See
  pa_colstats.h for the sources and how the sample is read.
*/
#include "pa_colstats.h"
#include "pa_collect.h"

#include <sql_show.h>

extern "C" {
#include "pa_sql.h"
#include "pa_text.h"
}

ulong pa_sample_rows;

/* Values compare by this many leading characters in the sample. */
#define PA_SAMPLE_VALUE_CHARS 128

const char *pa_colstat_source_name(enum pa_colstat_source s)
{
  switch (s)
  {
  case PA_CS_INDEX:
    return "index";
  case PA_CS_SAMPLE:
    return "sample";
  case PA_CS_INDEX_SAMPLE:
    return "index+sample";
  case PA_CS_NONE:
    break;
  }
  return "none";
}

/* Distinct values of column name from the first index that leads with it. */
static bool index_distinct(const pa_table_model *m, const char *name,
                           double *distinct)
{
  for (int x= 0; x < m->def->n_indexes; x++)
    if (m->card1_known[x] && m->card1[x] > 0 &&
        pa_ascii_ieq(m->def->indexes[x].cols[0].name, name))
    {
      *distinct= (double) m->card1[x];
      return true;
    }
  return false;
}

MYSQL *pa_colstats_connect(THD *thd, pa_colstats_conn *conn)
{
  if (conn->mysql || conn->failed)
    return conn->mysql;
  if (!(conn->mysql= pa_local_connect(thd)) ||
      mysql_real_query(conn->mysql,
                       STRING_WITH_LEN("SET SESSION lock_wait_timeout= 0")))
  {
    if (conn->mysql)
      mysql_close(conn->mysql);
    conn->mysql= NULL;
    conn->failed= true;
  }
  return conn->mysql;
}

void pa_colstats_end(pa_colstats_conn *conn)
{
  if (conn->mysql)
    mysql_close(conn->mysql);
  conn->mysql= NULL;
}

/*
  Haas and Stokes' Duj1: distinct values of a column of N rows from a
  sample of n rows with d distinct values, f1 of them seen once.
*/
static double duj1(double n, double d, double f1, double N)
{
  double den= n - f1 + f1 * n / N, D;
  if (n <= 0 || d <= 0)
    return d;
  D= den > 0 ? n * d / den : N;
  if (D < d)
    D= d;
  return D > N ? N : D;
}

/* Rows of the sample query for widths are numbered from here. */
#define PA_SAMPLE_WIDTH_ROW 1000

/*
  The sample query for the columns cols[0 .. n - 1] and the widths of
  wcols[0 .. nw - 1]: one scan of at most limit rows into a CTE, then per
  column its group counts: (column, non-NULL distinct, non-NULL seen once,
  top non-NULL count, NULLs, rows), and per width column
  (PA_SAMPLE_WIDTH_ROW + its position, bytes, 0, 0, 0, rows).
*/
static char *sample_query(const pa_alloc *a, const pa_table_model *m,
                          const char *const *cols, int n,
                          const char *const *wcols, int nw, ulong limit)
{
  pa_buf b;
  pa_buf_init(&b, a);
  pa_buf_puts(&b, "WITH s AS (SELECT ");
  for (int i= 0; i < n; i++)
    pa_buf_printf(&b, "%sLEFT(%s, %d) AS c%d", i ? ", " : "",
                  pa_sql_ident(a, cols[i]), PA_SAMPLE_VALUE_CHARS, i);
  for (int i= 0; i < nw; i++)
    pa_buf_printf(&b, "%sLENGTH(%s) AS l%d", i || n ? ", " : "",
                  pa_sql_ident(a, wcols[i]), i);
  pa_buf_printf(&b, " FROM %s USE INDEX () LIMIT %lu) ",
                pa_sql_qualified(a, m->db->str, m->name->str), limit);
  for (int i= 0; i < n; i++)
    pa_buf_printf(&b,
                  "%sSELECT %d, COUNT(v), COALESCE(SUM(k = 1 AND v IS NOT "
                  "NULL), 0), COALESCE(MAX(IF(v IS NULL, 0, k)), 0), "
                  "COALESCE(SUM(IF(v IS NULL, k, 0)), 0), COALESCE(SUM(k), "
                  "0) FROM (SELECT c%d AS v, COUNT(*) AS k FROM s GROUP BY "
                  "c%d) g",
                  i ? " UNION ALL " : "", i, i, i);
  for (int i= 0; i < nw; i++)
    pa_buf_printf(&b,
                  "%sSELECT %d, COALESCE(SUM(l%d), 0), 0, 0, 0, COUNT(*) "
                  "FROM s",
                  i || n ? " UNION ALL " : "", PA_SAMPLE_WIDTH_ROW + i, i);
  return (char *) pa_buf_str(&b);
}

/* Reads the sample of out's columns named real[]; false on failure. */
static bool take_sample(THD *thd, pa_colstats_conn *conn,
                        const pa_table_model *m, const char *const *real,
                        const bool *want, MEM_ROOT *root, pa_colstats *out)
{
  pa_alloc a= {pa_root_alloc, root};
  const char *cols[PA_DIGEST_MAX_COLUMNS];
  int pos[PA_DIGEST_MAX_COLUMNS], n= 0;
  MYSQL *mysql;
  MYSQL_RES *res;
  MYSQL_ROW row;
  char *q;

  for (int i= 0; i < out->n; i++)
    if (want[i])
    {
      pos[n]= i;
      cols[n++]= real[i];
    }
  if (n == 0 && out->n_widths == 0)
    return true;
  if (thd->killed || !(mysql= pa_colstats_connect(thd, conn)))
    return false;
  if (!(q= sample_query(&a, m, cols, n, out->width_name, out->n_widths,
                        pa_sample_rows)))
    return false;
  if (mysql_real_query(mysql, q, (ulong) strlen(q)) ||
      !(res= mysql_store_result(mysql)))
  {
    push_warning_printf(thd, Sql_condition::WARN_LEVEL_WARN, ER_UNKNOWN_ERROR,
                        "perf_advisor: cannot sample %s.%s: %s", m->db->str,
                        m->name->str, mysql_error(mysql));
    return false;
  }
  double table_rows= (double) m->facts.rows;
  while ((row= mysql_fetch_row(res)))
  {
    int j;
    if (!row[0] || (j= atoi(row[0])) < 0)
      continue;
    if (j >= PA_SAMPLE_WIDTH_ROW && j - PA_SAMPLE_WIDTH_ROW < out->n_widths)
    {
      double bytes= row[1] ? atof(row[1]) : 0, rows= row[5] ? atof(row[5])
                                                            : 0;
      if (rows > 0)
      {
        out->avg_bytes[j - PA_SAMPLE_WIDTH_ROW]= bytes / rows;
        out->sampled_rows= (uint64_t) rows;
      }
      continue;
    }
    if (j >= n)
      continue;
    double d= row[1] ? atof(row[1]) : 0, f1= row[2] ? atof(row[2]) : 0,
           top= row[3] ? atof(row[3]) : 0, nulls= row[4] ? atof(row[4]) : 0,
           rows= row[5] ? atof(row[5]) : 0;
    pa_missing_colstat *c= &out->cols[pos[j]];
    if (rows <= 0)
      continue;
    out->sampled_rows= (uint64_t) rows;
    c->null_frac= nulls / rows;
    c->top_share= top / rows;
    if (out->source[pos[j]] == PA_CS_INDEX)
      out->source[pos[j]]= PA_CS_INDEX_SAMPLE;
    else
    {
      /* the whole table when it held fewer rows than the sample's cap */
      double nn= rows - nulls;
      double N= table_rows > rows ? table_rows * (nn / rows) : nn;
      c->distinct= rows < (double) pa_sample_rows ? d : duj1(nn, d, f1, N);
      out->source[pos[j]]= PA_CS_SAMPLE;
    }
  }
  mysql_free_result(res);
  return true;
}

double pa_colstats_avg_bytes(const pa_colstats *out, const char *name)
{
  for (int i= 0; i < out->n_widths; i++)
    if (!strcmp(out->width_name[i], name))
      return out->avg_bytes[i];
  return -1;
}

void pa_colstats_collect(THD *thd, pa_colstats_conn *conn,
                         const pa_table_model *m, const char *const *names,
                         int n, const char *const *widths, int n_widths,
                         MEM_ROOT *root, pa_colstats *out)
{
  const char *real[PA_DIGEST_MAX_COLUMNS];
  bool want[PA_DIGEST_MAX_COLUMNS];
  bool innodb= m->engine && !strcmp(m->engine, "InnoDB");

  out->n= 0;
  out->n_widths= 0;
  /* widths come only from the sample, which reads only InnoDB tables */
  for (int i= 0; pa_sample_rows > 0 && innodb && i < n_widths &&
                 out->n_widths < PA_DIGEST_MAX_COLUMNS;
       i++)
  {
    int k;
    for (k= 0; k < out->n_widths && strcmp(out->width_name[k], widths[i]);
         k++)
    {
    }
    if (k < out->n_widths)
      continue;
    out->width_name[out->n_widths]= widths[i];
    out->avg_bytes[out->n_widths++]= -1;
  }
  out->sampled_rows= 0;
  out->sample_failed= false;
  for (int i= 0; i < n && out->n < PA_DIGEST_MAX_COLUMNS; i++)
  {
    const char *r= pa_model_column(m->share, names[i]);
    int k;
    if (!r)
      continue; /* not a column of this table: a misresolved alias */
    for (k= 0; k < out->n && strcmp(real[k], r); k++)
    {
    }
    if (k < out->n)
      continue;
    pa_missing_colstat *c= &out->cols[out->n];
    memset(c, 0, sizeof(*c));
    strmake(c->name, r, sizeof(c->name) - 1);
    c->distinct= c->null_frac= c->top_share= -1;
    out->source[out->n]= PA_CS_NONE;
    if (index_distinct(m, r, &c->distinct))
      out->source[out->n]= PA_CS_INDEX;
    /* only InnoDB reads without locking out writers (a consistent read);
       MyISAM or Aria would hold a table read lock for the sample */
    want[out->n]= pa_sample_rows > 0 && innodb;
    real[out->n++]= r;
  }
  if (!take_sample(thd, conn, m, real, want, root, out))
    out->sample_failed= true;
}
