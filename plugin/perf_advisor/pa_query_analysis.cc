/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: INFORMATION_SCHEMA.PERF_QUERY_ANALYSIS (per table, the
  statement digests that name it, their predicates and the index they
  need) and PERF_COLUMN_STATS (per table, what is known of the values of
  the columns those digests filter, join, group or sort on).  Both walk
  the tables with the same start (qa_table_begin()) and need PROCESS for
  the digests.  Locking: none of their own.
*/
#include "pa_is.h"
#include "pa_catalog.h"
#include "pa_colstats.h"

#include <sql_i_s.h>
#include <sql_show.h>

extern "C" {
#include "pa_digest.h"
#include "pa_missing.h"
#include "pa_text.h"
}

namespace Show {

enum pa_qa_col
{
  QA_DIGEST,
  QA_DIGEST_TEXT,
  QA_SCHEMA_NAME,
  QA_TABLE_SCHEMA,
  QA_TABLE_NAME,
  QA_EXEC_COUNT,
  QA_AVG_MS,
  QA_TOTAL_MS,
  QA_ROWS_EXAMINED,
  QA_ROWS_SENT,
  QA_NO_INDEX_USED,
  QA_NO_GOOD_INDEX_USED,
  QA_IS_SLOW,
  QA_EQUALITY_COLUMNS,
  QA_RANGE_COLUMNS,
  QA_JOIN_COLUMNS,
  QA_SORT_COLUMNS,
  QA_UNINDEXABLE,
  QA_PROPOSED_INDEX,
  QA_MATCHING_INDEX,
  QA_OR_COLUMNS,
  QA_NO_PROPOSAL_REASON,
  QA_EST_ROWS_EXAMINED,
  QA_COLUMNS
};

static ST_FIELD_INFO qa_fields[]= {
    Column("DIGEST", Varchar(64), NOT_NULL, OPEN_FRM_ONLY),
    Column("DIGEST_TEXT", Longtext(65535), NULLABLE, OPEN_FRM_ONLY),
    Column("SCHEMA_NAME", Name(), NULLABLE, OPEN_FRM_ONLY),
    Column("TABLE_SCHEMA", Name(), NOT_NULL, OPEN_FRM_ONLY),
    Column("TABLE_NAME", Name(), NOT_NULL, OPEN_FRM_ONLY),
    Column("EXEC_COUNT", ULonglong(), NOT_NULL, OPEN_FRM_ONLY),
    Column("AVG_MS", Decimal(2003), NOT_NULL, OPEN_FRM_ONLY),
    Column("TOTAL_MS", Decimal(2003), NOT_NULL, OPEN_FRM_ONLY),
    Column("ROWS_EXAMINED", ULonglong(), NOT_NULL, OPEN_FRM_ONLY),
    Column("ROWS_SENT", ULonglong(), NOT_NULL, OPEN_FRM_ONLY),
    Column("NO_INDEX_USED", ULonglong(), NOT_NULL, OPEN_FRM_ONLY),
    Column("NO_GOOD_INDEX_USED", ULonglong(), NOT_NULL, OPEN_FRM_ONLY),
    Column("IS_SLOW", Varchar(3), NOT_NULL, OPEN_FRM_ONLY),
    Column("EQUALITY_COLUMNS", Varchar(1024), NULLABLE, OPEN_FRM_ONLY),
    Column("RANGE_COLUMNS", Varchar(1024), NULLABLE, OPEN_FRM_ONLY),
    Column("JOIN_COLUMNS", Varchar(1024), NULLABLE, OPEN_FRM_ONLY),
    Column("SORT_COLUMNS", Varchar(1024), NULLABLE, OPEN_FRM_ONLY),
    Column("UNINDEXABLE", Varchar(1024), NULLABLE, OPEN_FRM_ONLY),
    Column("PROPOSED_INDEX", Varchar(1024), NULLABLE, OPEN_FRM_ONLY),
    Column("MATCHING_INDEX", Name(), NULLABLE, OPEN_FRM_ONLY),
    Column("OR_COLUMNS", Varchar(1024), NULLABLE, OPEN_FRM_ONLY),
    Column("NO_PROPOSAL_REASON", Varchar(256), NULLABLE, OPEN_FRM_ONLY),
    Column("EST_ROWS_EXAMINED", Decimal(2003), NULLABLE, OPEN_FRM_ONLY),
    CEnd()};

static_assert(sizeof(qa_fields) / sizeof(qa_fields[0]) == QA_COLUMNS + 1,
              "PERF_QUERY_ANALYSIS: enum and column array disagree");

/*
  A column as the table spells it: digests print keywords used as column
  names in upper case, unquoted (`NAME`, `ACCOUNT`, `STATUS`).
*/
static const char *display_col(const pa_table_model *m, const char *name)
{
  const char *real= m ? pa_model_column(m->share, name) : NULL;
  return real ? real : name;
}

static bool use_in(enum pa_col_use use, const enum pa_col_use *uses,
                   int n_uses)
{
  for (int u= 0; u < n_uses; u++)
    if (use == uses[u])
      return true;
  return false;
}

/*
  Whether column k of table ti is listed: it has one of the uses, or, with
  or_only, it sits under an OR and no narrowing use of the same name does
  not (pa_digest_column.in_or).
*/
static bool use_listed(const pa_digest_analysis *an, int ti, int k,
                       const enum pa_col_use *uses, int n_uses, bool or_only)
{
  const pa_digest_column *c= &an->columns[k];
  if (c->table != ti)
    return false;
  if (!or_only)
    return use_in(c->use, uses, n_uses);
  if (!c->in_or)
    return false;
  for (int j= 0; j < an->n_columns && j < PA_DIGEST_MAX_COLUMNS; j++)
  {
    const pa_digest_column *o= &an->columns[j];
    if (o->table == ti && !o->in_or && pa_digest_use_narrows(o->use) &&
        pa_ascii_ieq(o->name, c->name))
      return false;
  }
  return true;
}

/*
  Comma-separated names of the columns of table ti with one of the uses
  (or, with or_only, those used only under an OR: see use_listed()), each
  name (and direction) once.
*/
static void uses_text(const pa_digest_analysis *an, int ti,
                      const enum pa_col_use *uses, int n_uses,
                      const pa_table_model *m, String *out,
                      bool or_only= false)
{
  bool listed[PA_DIGEST_MAX_COLUMNS];
  int n= an->n_columns < PA_DIGEST_MAX_COLUMNS ? an->n_columns
                                               : PA_DIGEST_MAX_COLUMNS;
  out->length(0);
  for (int k= 0; k < n; k++)
    listed[k]= use_listed(an, ti, k, uses, n_uses, or_only);
  for (int k= 0; k < n; k++)
  {
    const pa_digest_column *c= &an->columns[k];
    bool seen= false;
    if (!listed[k])
      continue;
    for (int j= 0; j < k && !seen; j++)
      seen= listed[j] && an->columns[j].desc == c->desc &&
            pa_ascii_ieq(an->columns[j].name, c->name);
    if (seen)
      continue;
    const char *name= display_col(m, c->name);
    if (out->length())
      out->append(',');
    out->append(name, strlen(name));
    if (c->use == PA_USE_ORDER && c->desc)
      out->append(STRING_WITH_LEN(" DESC"));
  }
}

static void store_text(Field *f, const String *s)
{
  if (!s->length())
    return;
  f->set_notnull();
  f->store(s->ptr(), s->length(), system_charset_info);
}

/* The missing-index view of digest d, analysed in an, for table ti. */
static pa_missing_digest qa_digest(const pa_digest *d,
                                   const pa_digest_analysis *an, int ti)
{
  pa_missing_digest md;
  md.dig= d;
  md.an= an;
  md.table= ti;
  md.digest_pos= 0;
  return md;
}

/*
  NO_PROPOSAL_REASON and EST_ROWS_EXAMINED of one digest's analysis r:
  the estimate of its proposal, or why it has none ("not_needed" when it
  is no candidate: it used an index and examines fewer than 10 rows per
  row sent).
*/
static void no_proposal(Field **f, const pa_missing_digest *md,
                        const pa_missing_result *r, const pa_alloc *a)
{
  if (r->n_props)
  {
    if (r->props[0].est_rows_per_exec >= 0)
    {
      f[QA_EST_ROWS_EXAMINED]->set_notnull();
      f[QA_EST_ROWS_EXAMINED]->store(r->props[0].est_rows_per_exec);
    }
    return;
  }
  if (r->n_covered)
    pa_set_str(f[QA_NO_PROPOSAL_REASON],
               pa_strdupf(a, "served_by %s", r->covered[0].covered_by));
  else if (r->n_skipped)
  {
    pa_set_str(f[QA_NO_PROPOSAL_REASON], r->skipped[0].reason);
    if (r->skipped[0].est_rows_per_exec >= 0)
    {
      f[QA_EST_ROWS_EXAMINED]->set_notnull();
      f[QA_EST_ROWS_EXAMINED]->store(r->skipped[0].est_rows_per_exec);
    }
  }
  else if (!pa_missing_is_candidate(md))
    pa_set_str(f[QA_NO_PROPOSAL_REASON], "not_needed");
}

/*
  The start the per-table fills over the digests share (PERF_QUERY_ANALYSIS,
  PERF_COLUMN_STATS): the walk's skip, the statement's context (*c: its
  digests read, its catalog made; its connection is the table's, closed
  with pa_stmt_conn_end() when the table is done), the
  table's digests [*first, *last) and its model (*m).  need_process: the
  fill shows only what the statement texts give (nothing without PROCESS).
  PA_WALK_BUILD: fill the table; PA_WALK_SKIP: nothing to fill; else the
  walk's answer.
*/
static pa_walk qa_table_begin(THD *thd, TABLE_LIST *tables, TABLE *table,
                              bool res, const LEX_CSTRING *db_name,
                              const LEX_CSTRING *table_name,
                              bool need_process, pa_stmt **c, size_t *first,
                              size_t *last, pa_table_model **m)
{
  pa_walk w= pa_model_skip(thd, tables, res, table, db_name);
  if (w != PA_WALK_BUILD)
    return w;
  if (!(*c= pa_stmt_get(thd, table)))
    return PA_WALK_STOP;
  pa_stmt_refresh(*c, true);
  if (!pa_stmt_catalog(*c))
  {
    my_error(ER_OUT_OF_RESOURCES, MYF(0));
    return PA_WALK_STOP;
  }
  if (!pa_stmt_digests(*c) || (need_process && !(*c)->process))
    return PA_WALK_SKIP;
  pa_workload_find(&(*c)->digests.w, db_name->str, table_name->str, first,
                   last);
  if (*first == *last)
    return PA_WALK_SKIP;
  return pa_model_build(thd, tables, table, db_name, table_name, true, m);
}

static int qa_record(THD *thd, TABLE_LIST *tables, TABLE *table, bool res,
                     const LEX_CSTRING *db_name,
                     const LEX_CSTRING *table_name)
{
  pa_stmt *c;
  size_t first, last;
  pa_table_model *m= NULL;
  pa_alloc a= {pa_root_alloc, &table->mem_root};

  pa_walk w= qa_table_begin(thd, tables, table, res, db_name, table_name,
                            false, &c, &first, &last, &m);
  if (w != PA_WALK_BUILD)
    return pa_walk_return(w);

  /* The statistics of every column the table's candidates filter on, once
     for the table (needs the texts: PROCESS) */
  pa_colstats *cs= (pa_colstats *) alloc_root(&table->mem_root, sizeof(*cs));
  if (!cs)
    return 1;
  cs->n= 0;
  if (c->process && m)
  {
    const char **names= (const char **) alloc_root(
        &table->mem_root, PA_DIGEST_MAX_COLUMNS * sizeof(char *));
    int k= 0;
    if (!names)
      return 1;
    for (size_t i= first; i < last; i++)
    {
      size_t pos= c->digests.w.refs[i].digest;
      /* the statement's analysis (its catalog read over c->conn): the
         names point into it, which lives as long as the statement */
      const pa_digest_analysis *an= pa_stmt_analysis(c, pos);
      if (!an)
        continue;
      pa_missing_digest md= qa_digest(&c->digests.d[pos], an, 0);
      if ((md.table= pa_digest_find_table(an, NULL, table_name->str)) < 0)
        continue;
      k= pa_colstats_columns(&md, 1, names, k);
    }
    pa_colstats_collect(thd, &c->conn, m, names, k, NULL, 0,
                        &table->mem_root, cs);
    pa_stmt_conn_end(c);
  }

  for (size_t i= first; i < last; i++)
  {
    const pa_digest *d= &c->digests.d[c->digests.w.refs[i].digest];
    Field **f= table->field;
    int ti;
    String s;
    static const enum pa_col_use eq[]= {PA_USE_EQ, PA_USE_IN};
    static const enum pa_col_use rg[]= {PA_USE_RANGE};
    static const enum pa_col_use jn[]= {PA_USE_JOIN};
    static const enum pa_col_use so[]= {PA_USE_ORDER, PA_USE_GROUP};

    restore_record(table, s->default_values);
    pa_set_str(f[QA_DIGEST], d->digest);
    pa_set_str(f[QA_SCHEMA_NAME], d->schema);
    f[QA_TABLE_SCHEMA]->store(db_name, system_charset_info);
    f[QA_TABLE_NAME]->store(table_name, system_charset_info);
    f[QA_EXEC_COUNT]->store((longlong) d->exec_count, true);
    f[QA_AVG_MS]->store((double) d->avg_ps / 1e9);
    f[QA_TOTAL_MS]->store((double) d->sum_ps / 1e9);
    f[QA_ROWS_EXAMINED]->store((longlong) d->rows_examined, true);
    f[QA_ROWS_SENT]->store((longlong) d->rows_sent, true);
    f[QA_NO_INDEX_USED]->store((longlong) d->no_index_used, true);
    f[QA_NO_GOOD_INDEX_USED]->store((longlong) d->no_good_index_used, true);
    pa_set_str(f[QA_IS_SLOW],
               pa_yes_no(d->avg_ps > pa_settings_slow_ps(&c->settings)));
    /* What is read from the statement text needs PROCESS.  The analysis
       was made (its tables read) for the statistics above: no new reads */
    const pa_digest_analysis *an;
    if (c->process && (an= pa_stmt_analysis(c, c->digests.w.refs[i].digest)))
    {
      pa_set_str(f[QA_DIGEST_TEXT], d->text);
      ti= pa_digest_find_table(an, NULL, table_name->str);
      if (ti >= 0)
      {
        uses_text(an, ti, eq, 2, m, &s);
        store_text(f[QA_EQUALITY_COLUMNS], &s);
        uses_text(an, ti, rg, 1, m, &s);
        store_text(f[QA_RANGE_COLUMNS], &s);
        uses_text(an, ti, jn, 1, m, &s);
        store_text(f[QA_JOIN_COLUMNS], &s);
        uses_text(an, ti, so, 2, m, &s);
        store_text(f[QA_SORT_COLUMNS], &s);
        uses_text(an, ti, NULL, 0, m, &s, true);
        store_text(f[QA_OR_COLUMNS], &s);
        if (m)
        {
          pa_missing_digest md= qa_digest(d, an, ti);
          pa_missing_result r;
          if (!pa_colstats_missing(m, cs, &md, 1, &table->mem_root, &r))
          {
            s.length(0);
            for (int u= 0; u < r.n_unindexable; u++)
            {
              if (s.length())
                s.append(',');
              const char *col= display_col(m, r.unindexable[u].col);
              s.append(col, strlen(col));
              s.append(':');
              s.append(r.unindexable[u].reason,
                       strlen(r.unindexable[u].reason));
            }
            store_text(f[QA_UNINDEXABLE], &s);
            if (r.n_props)
            {
              s.length(0);
              for (int k= 0; k < r.props[0].n_cols; k++)
              {
                if (k)
                  s.append(',');
                const char *col= display_col(m, r.props[0].cols[k]);
                s.append(col, strlen(col));
              }
              store_text(f[QA_PROPOSED_INDEX], &s);
            }
            if (r.n_covered)
              pa_set_str(f[QA_MATCHING_INDEX], r.covered[0].covered_by);
            no_proposal(f, &md, &r, &a);
          }
        }
      }
    }
    if (schema_table_store_record(thd, table))
      return 1;
  }
  return 0;
}

} // namespace Show

int pa_query_analysis_init(void *p)
{
  return pa_model_is_init(p, Show::qa_fields, Show::qa_record,
                          Show::QA_TABLE_SCHEMA, Show::QA_TABLE_NAME);
}

/*********** INFORMATION_SCHEMA.PERF_COLUMN_STATS **********************/

namespace Show {

enum pa_column_stats_col
{
  CST_TABLE_SCHEMA,
  CST_TABLE_NAME,
  CST_COLUMN_NAME,
  CST_DISTINCT_VALUES,
  CST_NULL_FRACTION,
  CST_TOP_VALUE_SHARE,
  CST_SOURCE,
  CST_ROWS_SAMPLED,
  CST_AGE_SECONDS,
  CST_COLUMNS
};

static ST_FIELD_INFO column_stats_fields[]= {
    Column("TABLE_SCHEMA", Name(), NOT_NULL, OPEN_FRM_ONLY),
    Column("TABLE_NAME", Name(), NOT_NULL, OPEN_FRM_ONLY),
    Column("COLUMN_NAME", Name(), NOT_NULL, OPEN_FRM_ONLY),
    Column("DISTINCT_VALUES", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("NULL_FRACTION", Decimal(1306), NULLABLE, OPEN_FRM_ONLY),
    Column("TOP_VALUE_SHARE", Decimal(1306), NULLABLE, OPEN_FRM_ONLY),
    Column("SOURCE", Varchar(32), NOT_NULL, OPEN_FRM_ONLY),
    Column("ROWS_SAMPLED", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("AGE_SECONDS", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    CEnd()};

static_assert(sizeof(column_stats_fields) / sizeof(column_stats_fields[0]) ==
                  CST_COLUMNS + 1,
              "PERF_COLUMN_STATS: enum and column array disagree");

/* The uses that make a column's statistics matter to an index. */
static bool stats_use(enum pa_col_use use)
{
  return use == PA_USE_EQ || use == PA_USE_IN || use == PA_USE_RANGE ||
         use == PA_USE_JOIN || use == PA_USE_ORDER || use == PA_USE_GROUP;
}

/*
  process_table of PERF_COLUMN_STATS: the statistics of the columns the
  table's statement digests filter, join, group or sort on (a superset of
  those the missing-index rules ask for), one row per column the caller
  may see, in the table's column order.  The columns come from the
  statements' texts: nothing without PROCESS.
*/
static int column_stats_record(THD *thd, TABLE_LIST *tables, TABLE *table,
                               bool res, const LEX_CSTRING *db_name,
                               const LEX_CSTRING *table_name)
{
  pa_stmt *c;
  size_t first, last;
  pa_table_model *m= NULL;
  const char *names[PA_DIGEST_MAX_COLUMNS];
  int k= 0;

  pa_walk w= qa_table_begin(thd, tables, table, res, db_name, table_name,
                            true, &c, &first, &last, &m);
  if (w != PA_WALK_BUILD)
    return pa_walk_return(w);
  /* one local connection (the context's) for the table reads and the
     statistics */
  for (size_t i= first; i < last && k < PA_DIGEST_MAX_COLUMNS; i++)
  {
    /* unqualified columns of a join get their table, as for
       PERF_QUERY_ANALYSIS (the statement's analysis) */
    const pa_digest_analysis *an=
        pa_stmt_analysis(c, c->digests.w.refs[i].digest);
    int ti;
    if (!an || (ti= pa_digest_find_table(an, NULL, table_name->str)) < 0)
      continue;
    for (int j= 0; j < an->n_columns && j < PA_DIGEST_MAX_COLUMNS &&
                   k < PA_DIGEST_MAX_COLUMNS;
         j++)
    {
      const pa_digest_column *col= &an->columns[j];
      const char *real;
      int x;
      if (col->table != ti || !stats_use(col->use) ||
          !(real= pa_model_column(m->share, col->name)))
        continue;
      for (x= 0; x < k && strcmp(names[x], real); x++)
      {
      }
      /* the caller's column privileges decide before anything is read */
      if (x == k && pa_model_column_visible(thd, tables, m, real))
        names[k++]= real;
    }
  }
  pa_colstats *cs= k ? (pa_colstats *) alloc_root(&table->mem_root,
                                                  sizeof(*cs))
                     : NULL;
  if (!cs)
  {
    pa_stmt_conn_end(c);
    return k ? 1 : 0;
  }
  pa_colstats_collect(thd, &c->conn, m, names, k, NULL, 0, &table->mem_root,
                      cs);
  pa_stmt_conn_end(c);
  if (thd->killed)
  {
    /* the sample stopped: the statement ends with the kill's error, not
       with rows that lack its figures */
    if (!thd->is_error())
      thd->send_kill_message();
    return 1;
  }
  for (uint f= 0; f < m->share->fields; f++)
  {
    const char *fname= m->share->field[f]->field_name.str;
    int i;
    for (i= 0; i < cs->n && strcmp(cs->cols[i].name, fname); i++)
    {
    }
    if (i == cs->n)
      continue;
    const pa_missing_colstat *st= &cs->cols[i];
    Field **fl= table->field;
    restore_record(table, s->default_values);
    fl[CST_TABLE_SCHEMA]->store(db_name, system_charset_info);
    fl[CST_TABLE_NAME]->store(table_name, system_charset_info);
    pa_set_str(fl[CST_COLUMN_NAME], fname);
    pa_set_u64(fl[CST_DISTINCT_VALUES], st->distinct >= 0,
               (uint64_t) (st->distinct + 0.5));
    pa_set_double(fl[CST_NULL_FRACTION], st->null_frac >= 0,
                  st->null_frac);
    pa_set_double(fl[CST_TOP_VALUE_SHARE], st->top_share >= 0,
                  st->top_share);
    pa_set_str(fl[CST_SOURCE], pa_colstat_source_text(cs->source[i]));
    pa_set_u64(fl[CST_ROWS_SAMPLED], cs->col_sampled[i] > 0,
               cs->col_sampled[i]);
    pa_set_u64(fl[CST_AGE_SECONDS], cs->age[i] >= 0,
               (uint64_t) cs->age[i]);
    if (schema_table_store_record(thd, table))
      return 1;
  }
  return 0;
}

} // namespace Show

int pa_column_stats_init(void *p)
{
  return pa_model_is_init(p, Show::column_stats_fields,
                          Show::column_stats_record, Show::CST_TABLE_SCHEMA,
                          Show::CST_TABLE_NAME);
}
