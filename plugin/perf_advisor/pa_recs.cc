/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: PERF_RECOMMENDATIONS and PERF_QUERY_ANALYSIS.

  PERF_RECOMMENDATIONS is a ranked, capped list, so it needs every finding
  before it stores its first row: its fill function walks the tables with
  the server's own get_all_tables() (privileges and WHERE pushdown as for
  every per-table I_S table), collecting findings instead of rows, then adds
  the server-wide ones, sorts, caps and stores.

  Locking: none of its own; per-statement state is on the I_S table's
  memory root and reached through a thread-local while the statement runs.
*/
#include "pa_recs.h"
#include "pa_colstats.h"

#include <sql_acl.h>
#include <sql_i_s.h>
#include <sql_parse.h>
#include <sql_show.h>

extern "C" {
#include "pa_missing.h"
#include "pa_sql.h"
#include "pa_text.h"
}

ulonglong pa_large_table_rows;
double pa_min_index_ratio;
ulonglong pa_min_index_bytes;
ulonglong pa_min_table_rows;
double pa_fragmentation_pct;
ulonglong pa_fragmentation_bytes;
ulong pa_max_joins;
ulong pa_wide_table_columns;
ulonglong pa_single_insert_calls;
ulong pa_max_recommendations;
ulong pa_max_index_columns;
ulong pa_unselective_pct;
ulong pa_min_index_gain_pct;
ulonglong pa_useless_index_distinct;
ulong pa_business_cycle_days;

/* Exported by the server (sql_show.cc) but declared in no header. */
bool get_lookup_field_values(THD *, COND *, bool, TABLE_LIST *,
                             LOOKUP_FIELD_VALUES *);

void pa_thresholds_read(pa_thresholds *th)
{
  th->large_table_rows= pa_large_table_rows;
  th->min_index_ratio= pa_min_index_ratio;
  th->min_index_bytes= pa_min_index_bytes;
  th->min_table_rows= pa_min_table_rows;
  th->fragmentation_pct= pa_fragmentation_pct;
  th->fragmentation_bytes= pa_fragmentation_bytes;
  th->slow_query_ps= pa_state_slow_threshold_ps();
  th->max_joins= pa_max_joins;
  th->wide_table_columns= pa_wide_table_columns;
  th->single_insert_calls= pa_single_insert_calls;
  th->useless_index_distinct= pa_useless_index_distinct;
  th->business_cycle_days= pa_business_cycle_days;
}

/*
  The equality and join columns (outside any OR) of table ti in the
  candidate digests md[0 .. n - 1]: the columns whose statistics the
  missing-index rules use.  At most PA_DIGEST_MAX_COLUMNS names into
  names[]; returns the count.
*/
static int stat_columns(const pa_missing_digest *md, int n,
                        const char **names, int k= 0)
{
  for (int i= 0; i < n; i++)
  {
    const pa_digest_analysis *an= md[i].an;
    if (!pa_missing_is_candidate(&md[i]))
      continue;
    for (int j= 0; j < an->n_columns && j < PA_DIGEST_MAX_COLUMNS; j++)
    {
      const pa_digest_column *c= &an->columns[j];
      int x;
      if (c->table != md[i].table || c->in_or || !c->name[0] ||
          (c->use != PA_USE_EQ && c->use != PA_USE_JOIN))
        continue;
      for (x= 0; x < k && !pa_ascii_ieq(names[x], c->name); x++)
      {
      }
      if (x == k && k < PA_DIGEST_MAX_COLUMNS)
        names[k++]= c->name;
    }
  }
  return k;
}

/*
  The missing-index analysis of m's digests md[0 .. n - 1], with the
  statistics of their columns in cs and the thresholds of the system
  variables.
*/
static int missing_run(const pa_table_model *m, const pa_colstats *cs,
                       const pa_missing_digest *md, int n, MEM_ROOT *root,
                       pa_missing_result *res)
{
  pa_alloc a= {pa_root_alloc, root};
  pa_missing_stats st;
  st.rows_known= m->facts.sizes_known;
  st.rows= m->facts.rows;
  st.n_cols= cs->n;
  st.cols= cs->cols;
  st.max_keep= (double) pa_unselective_pct / 100.0;
  st.max_cols= (int) pa_max_index_columns;
  st.min_cut= (double) pa_min_index_gain_pct / 100.0;
  return pa_missing_analyze_stats(m->def, &st, md, (size_t) n, &a, res);
}

/* Per-statement state of a PERF_RECOMMENDATIONS fill. */
struct recs_ctx
{
  MEM_ROOT *root;
  pa_alloc alloc;
  pa_rec_list list;
  pa_thresholds th;
  bool digests_ok;           /* the caller has PROCESS and digests loaded */
  pa_digest_set digests;
  pa_digest_analysis *scratch;  /* one analysis, reused */
  /* WHERE TABLE_SCHEMA = ... [AND TABLE_NAME = ...] as conjuncts: rows of
     other tables, and server-wide rows (no schema), cannot match */
  const char *only_db, *only_table;
  pa_colstats_conn sampler;  /* the samples' local connection */
};

static thread_local recs_ctx *recs_current;

/* Findings point at names the walk reuses: give them their own copies. */
static void stabilize(recs_ctx *c, size_t from)
{
  for (size_t i= from; i < c->list.n; i++)
  {
    pa_rec *r= &c->list.recs[i];
    r->schema= r->schema ? strdup_root(c->root, r->schema) : NULL;
    r->table= r->table ? strdup_root(c->root, r->table) : NULL;
    r->index= r->index ? strdup_root(c->root, r->index) : NULL;
  }
}

/* The digests of one table, analyzed; at most this many, costliest first. */
#define PA_RECS_MAX_TABLE_DIGESTS 64

struct table_digest
{
  size_t pos;                /* in c->digests.d */
  int ti;                    /* the table's position in an->tables */
  pa_digest_analysis *an;
};

static int cmp_sum_desc(void *arg, const void *a, const void *b)
{
  const pa_digest_full *d= (const pa_digest_full *) arg;
  uint64_t x= d[*(const size_t *) a].sum_ps, y= d[*(const size_t *) b].sum_ps;
  return x > y ? -1 : x < y;
}

/*
  Plan-change risk of proposal pr: how many of the table's other digests
  md[0 .. n - 1] filter on its leading column outside any OR and are no
  missing-index candidates (an index serves them well today).  The new
  index may look better to the optimizer for them, and fewer rows examined
  through random lookups can take longer than the sequential read they do
  now; whether it does is for the verification of the change to see.
  Their digest positions go to risky[] (at most PA_MISSING_MAX_DIGESTS).
*/
static int plan_change_risk(const pa_missing_proposal *pr,
                            const pa_missing_digest *md, int n,
                            size_t *risky, int *n_risky)
{
  int count= 0;
  *n_risky= 0;
  for (int i= 0; i < n; i++)
  {
    const pa_digest_analysis *an= md[i].an;
    bool mine= false, filters= false;
    for (int k= 0; k < pr->n_digests && !mine; k++)
      mine= pr->digests[k] == md[i].digest_pos;
    if (mine || pa_missing_is_candidate(&md[i]))
      continue;
    for (int j= 0; j < an->n_columns && j < PA_DIGEST_MAX_COLUMNS && !filters;
         j++)
    {
      const pa_digest_column *col= &an->columns[j];
      filters= col->table == md[i].table && !col->in_or &&
               pa_digest_use_narrows(col->use) &&
               pa_ascii_ieq(col->name, pr->cols[0]);
    }
    if (!filters)
      continue;
    if (*n_risky < PA_MISSING_MAX_DIGESTS)
      risky[(*n_risky)++]= md[i].digest_pos;
    count++;
  }
  return count;
}

static int missing_index_recs(recs_ctx *c, pa_table_model *m,
                              table_digest *td, int n)
{
  pa_missing_digest md[PA_RECS_MAX_TABLE_DIGESTS];
  pa_missing_result res;
  const pa_alloc *a= &c->alloc;
  pa_colstats *cs= (pa_colstats *) alloc_root(c->root, sizeof(*cs));
  THD *thd= current_thd;

  for (int i= 0; i < n; i++)
  {
    const pa_digest_full *d= &c->digests.d[td[i].pos];
    md[i].an= td[i].an;
    md[i].table= td[i].ti;
    md[i].exec_count= d->stat.exec_count;
    md[i].rows_examined= d->rows_examined;
    md[i].rows_sent= d->rows_sent;
    md[i].no_index_used= d->no_index_used;
    md[i].no_good_index_used= d->no_good_index_used;
    md[i].sum_ps= d->sum_ps;
    md[i].digest_pos= td[i].pos;
  }
  if (!cs)
    return -1;
  {
    const char *names[PA_DIGEST_MAX_COLUMNS];
    pa_colstats_collect(thd, &c->sampler, m, names,
                        stat_columns(md, n, names), c->root, cs);
  }
  if (missing_run(m, cs, md, n, c->root, &res))
    return -1;
  for (int p= 0; p < res.n_props; p++)
  {
    const pa_missing_proposal *pr= &res.props[p];
    const char *cols[PA_MISSING_MAX_COLS];
    pa_index_col icols[PA_MISSING_MAX_COLS];
    bool ok= true, slow= false;
    pa_buf colbuf, b;
    pa_json j;
    pa_rec *r;

    for (int k= 0; k < pr->n_cols && ok; k++)
    {
      /* The text may spell a column differently, or name one through an
         alias the tokenizer resolved wrongly: only real columns. */
      if (!(cols[k]= pa_model_column(m->share, pr->cols[k])))
        ok= false;
      else
      {
        memset(&icols[k], 0, sizeof(icols[k]));
        strmake(icols[k].name, cols[k], sizeof(icols[k].name) - 1);
      }
    }
    if (!ok)
      continue;
    for (int k= 0; k < pr->n_digests; k++)
      slow|= c->digests.d[pr->digests[k]].stat.avg_ps > c->th.slow_query_ps;
    if (!(r= pa_rec_new(&c->list)))
      return -1;
    size_t risky[PA_MISSING_MAX_DIGESTS];
    int n_risky;
    int risk= plan_change_risk(pr, md, n, risky, &n_risky);
    /* a proposal that may change other statements' plans is capped at
       medium until its verification says more */
    r->priority= slow && !risk ? PA_PRIO_HIGH : PA_PRIO_MEDIUM;
    r->action= "create_index";
    r->schema= m->db->str;
    r->table= m->name->str;
    pa_buf_init(&colbuf, a);
    for (int k= 0; k < pr->n_cols; k++)
      pa_buf_printf(&colbuf, "%s%s", k ? "," : "", cols[k]);
    char *name= pa_sql_index_name(a, m->name->str, cols, pr->n_cols);
    r->index= name;
    pa_rec_set_id(r, "missing_index", m->db->str, m->name->str,
                  pa_buf_str(&colbuf), (const char *) NULL);
    r->sql= pa_sql_create_index(a, m->db->str, m->name->str, name, icols,
                                pr->n_cols, 0);
    r->rollback_sql= pa_sql_drop_index(a, m->db->str, m->name->str, name);
    if (pr->est_rows_per_exec >= 0)
      r->message= pa_strdupf(
          a,
          "Statements on %s.%s filter or sort by (%s) and no index starts "
          "with those columns: %d statement pattern(s) ran %" PRIu64
          " times, examining %.0f rows per execution; with the index "
          "%s %.0f. Create index %s.",
          m->db->str, m->name->str, pa_buf_str(&colbuf), pr->n_merged,
          pr->exec_count, pr->now_rows_per_exec,
          pr->est_upper_bound ? "at most" : "about",
          pr->est_rows_per_exec, name);
    else
      r->message= pa_strdupf(
          a,
          "Statements on %s.%s filter or sort by (%s) and no index starts "
          "with those columns: %d statement pattern(s) ran %" PRIu64
          " times, examining %" PRIu64 " rows to send %" PRIu64
          ". Create index %s.",
          m->db->str, m->name->str, pa_buf_str(&colbuf), pr->n_merged,
          pr->exec_count, pr->rows_examined, pr->rows_sent, name);
    if (risk)
      r->message= pa_strdupf(
          a,
          "%s It may change the plan of %d other statement pattern(s) "
          "that filter on %s and use an index well today: compare their "
          "times after creating it.",
          r->message, risk, cols[0]);
    r->benefit= pr->score;
    if (pr->est_rows_per_exec >= 0 && pr->now_rows_per_exec > 0 &&
        pr->est_rows_per_exec < pr->now_rows_per_exec)
      r->benefit_text= pa_strdupf(
          a, "%.3f s of statement time; rows examined %s%.0f%% fewer",
          (double) pr->sum_ps / 1e12, pr->est_upper_bound ? "at least " : "",
          100.0 * (1.0 - pr->est_rows_per_exec / pr->now_rows_per_exec));
    else
      r->benefit_text= pa_strdupf(a, "%.3f s of statement time",
                                  (double) pr->sum_ps / 1e12);
    pa_buf_init(&b, a);
    pa_json_begin(&j, &b);
    pa_json_str(&j, "schema", m->db->str);
    pa_json_str(&j, "table", m->name->str);
    pa_json_str(&j, "columns", pa_buf_str(&colbuf));
    pa_json_i64(&j, "equality_columns", pr->n_equality);
    pa_json_dbl(&j, "score", pr->score);
    pa_json_u64(&j, "exec_count", pr->exec_count);
    pa_json_u64(&j, "rows_examined", pr->rows_examined);
    pa_json_u64(&j, "rows_sent", pr->rows_sent);
    pa_json_dbl(&j, "total_s", (double) pr->sum_ps / 1e12);
    pa_json_dbl(&j, "rows_examined_per_exec", pr->now_rows_per_exec);
    if (pr->est_rows_per_exec >= 0)
    {
      pa_json_dbl(&j, "est_rows_examined_per_exec", pr->est_rows_per_exec);
      pa_json_str(&j, "estimate", pr->est_upper_bound ? "upper_bound"
                                                      : "equality");
    }
    else
      pa_json_raw(&j, "est_rows_examined_per_exec", "null");
    if (m->facts.sizes_known)
      pa_json_u64(&j, "table_rows", m->facts.rows);
    {
      pa_buf list;
      pa_buf_init(&list, a);
      pa_buf_puts(&list, "[");
      for (int k= 0; k < pr->n_cols; k++)
      {
        const pa_missing_colstat *st=
            pa_missing_colstat_find(cs->cols, cs->n, pr->cols[k]);
        pa_json cj;
        if (k)
          pa_buf_puts(&list, ", ");
        pa_json_begin(&cj, &list);
        pa_json_str(&cj, "column", cols[k]);
        if (st && st->distinct >= 0)
          pa_json_dbl(&cj, "distinct", st->distinct);
        if (st && st->null_frac >= 0)
          pa_json_dbl(&cj, "null_fraction", st->null_frac);
        if (st && st->top_share >= 0)
          pa_json_dbl(&cj, "top_value_share", st->top_share);
        pa_json_str(&cj, "source",
                    pa_colstat_source_name(st ? cs->source[st - cs->cols]
                                              : PA_CS_NONE));
        pa_json_end(&cj);
      }
      pa_buf_puts(&list, "]");
      pa_json_raw(&j, "column_stats", pa_buf_str(&list));
      if (cs->sampled_rows)
        pa_json_u64(&j, "sampled_rows", cs->sampled_rows);
    }
    {
      pa_buf list;
      pa_buf_init(&list, a);
      pa_buf_puts(&list, "[");
      for (int k= 0; k < pr->n_digests; k++)
      {
        const pa_digest_full *d= &c->digests.d[pr->digests[k]];
        pa_json dj;
        if (k)
          pa_buf_puts(&list, ", ");
        pa_json_begin(&dj, &list);
        pa_json_str(&dj, "digest", d->digest);
        pa_json_str(&dj, "digest_text", d->text);
        pa_json_u64(&dj, "exec_count", d->stat.exec_count);
        pa_json_dbl(&dj, "avg_ms", (double) d->stat.avg_ps / 1e9);
        pa_json_end(&dj);
      }
      pa_buf_puts(&list, "]");
      pa_json_raw(&j, "digests", pa_buf_str(&list));
    }
    {
      pa_buf list;
      pa_buf_init(&list, a);
      pa_buf_puts(&list, "[");
      for (int k= 0; k < n_risky; k++)
        pa_buf_printf(&list, "%s\"%s\"", k ? ", " : "",
                      c->digests.d[risky[k]].digest);
      pa_buf_puts(&list, "]");
      pa_json_i64(&j, "plan_change_risk_statements", risk);
      pa_json_raw(&j, "plan_change_risk_digests", pa_buf_str(&list));
    }
    pa_json_end(&j);
    r->evidence= pa_buf_str(&b);
    if (!r->message || !r->sql || !r->evidence || !name)
      return -1;
  }
  return 0;
}

/* A digest as the statement rules see it, with its analysis. */
static pa_rule_digest rule_digest(const pa_digest_full *d,
                                  const pa_digest_analysis *an)
{
  pa_rule_digest rd;
  rd.schema= d->stat.schema;
  rd.text= d->text;
  rd.digest= d->digest;
  rd.an= an;
  rd.exec_count= d->stat.exec_count;
  rd.sum_ps= d->sum_ps;
  rd.avg_ps= d->stat.avg_ps;
  rd.rows_examined= d->rows_examined;
  rd.rows_sent= d->rows_sent;
  rd.no_index_used= d->no_index_used;
  rd.no_good_index_used= d->no_good_index_used;
  return rd;
}

/* Digest-derived findings of one table. */
static int table_digest_recs(recs_ctx *c, pa_table_model *m)
{
  size_t first, last, picked[PA_RECS_MAX_TABLE_DIGESTS];
  table_digest td[PA_RECS_MAX_TABLE_DIGESTS];
  int n= 0;

  pa_workload_find(&c->digests.w, m->db->str, m->name->str, &first, &last);
  if (first == last)
    return 0;
  size_t total= last - first;
  size_t *all= (size_t *) alloc_root(c->root, total * sizeof(size_t));
  if (!all)
    return -1;
  for (size_t i= 0; i < total; i++)
    all[i]= c->digests.w.refs[first + i].digest;
  my_qsort2(all, total, sizeof(size_t), cmp_sum_desc,
            c->digests.d);
  for (size_t i= 0; i < total && n < PA_RECS_MAX_TABLE_DIGESTS; i++)
    picked[n++]= all[i];

  for (int i= 0; i < n; i++)
  {
    const pa_digest_full *d= &c->digests.d[picked[i]];
    pa_digest_analysis *an=
        (pa_digest_analysis *) alloc_root(c->root, sizeof(*an));
    pa_rule_digest rd;
    if (!an || pa_digest_analyze(d->text, d->stat.text_len, an))
      return -1;
    td[i].pos= picked[i];
    td[i].an= an;
    td[i].ti= pa_digest_find_table(an, NULL, m->name->str);
    if (td[i].ti < 0)
      td[i].ti= 0;
    rd= rule_digest(d, an);
    if (pa_rules_digest_table(&rd, td[i].ti, &m->rule, &c->th, &c->list))
      return -1;
  }
  return missing_index_recs(c, m, td, n);
}

/*
  The revert rows of the table: its changes judged regressed or broke that
  no later change of the same index has superseded (the revert itself is
  such a change).
*/
static int revert_recs(recs_ctx *c, THD *thd, const pa_table_model *m)
{
  pa_state_change *ch;
  pa_verify_thresholds th;
  uint n;
  bool process= !check_global_access(thd, PROCESS_ACL, true);

  if (!pa_state_table_changes(m->db, m->name, c->root, &ch, &n))
    return 0;
  pa_state_verify_thresholds(&th);
  for (uint i= 0; i < n; i++)
  {
    const char *ev;
    if (!ch[i].latest || (ch[i].c.verdict != PA_VERDICT_REGRESSED &&
                          ch[i].c.verdict != PA_VERDICT_BROKE))
      continue;
    if (!(ev= pa_verify_evidence(&c->alloc, &ch[i].c, ch[i].digests,
                                 ch[i].n_digests, &th, process, m->now)) ||
        pa_verify_revert_rec(&c->list, &ch[i].c, ev))
      return -1;
  }
  return 0;
}

static int recs_table(THD *thd, TABLE_LIST *tables, TABLE *table, bool res,
                      const LEX_CSTRING *db_name,
                      const LEX_CSTRING *table_name)
{
  recs_ctx *c= recs_current;
  pa_table_model *m;
  size_t from;

  if (!c)
    return 0;
  pa_walk w= pa_model_get(thd, tables, res, table, db_name, table_name,
                          true, &m);
  if (w != PA_WALK_BUILD)
    return pa_walk_return(w);
  /* With column privileges only, the findings about indexes the caller
     cannot see are left out with them. */
  for (int x= 0; x < m->def->n_indexes; x++)
    if (!pa_model_index_visible(thd, tables, m, x))
      return 0;
  from= c->list.n;
  if (pa_rules_table(&m->rule, &c->th, &c->list) ||
      (c->digests_ok && table_digest_recs(c, m)) || revert_recs(c, thd, m))
  {
    my_error(ER_OUT_OF_RESOURCES, MYF(0));
    return 1;
  }
  stabilize(c, from);
  return 0;
}

/* The statement findings of digest i. */
static int statement_rec(recs_ctx *c, size_t i)
{
  const pa_digest_full *d= &c->digests.d[i];
  pa_rule_digest rd;
  if (pa_digest_analyze(d->text, d->stat.text_len, c->scratch))
    return 0;
  /* Statements only on system schemas (this advisor's own queries of
     information_schema among them) are not the workload. */
  if (!pa_include_system_schemas && c->scratch->n_tables > 0)
  {
    bool user_table= false;
    for (int t= 0; t < c->scratch->n_tables && !user_table; t++)
    {
      const char *sch= c->scratch->tables[t].schema[0]
                           ? c->scratch->tables[t].schema
                           : d->stat.schema;
      LEX_CSTRING l= {sch ? sch : "", sch ? strlen(sch) : 0};
      user_table= !sch || !pa_is_system_schema(&l);
    }
    if (!user_table)
      return 0;
  }
  rd= rule_digest(d, c->scratch);
  size_t from= c->list.n;
  if (pa_rules_digest(&rd, &c->th, &c->list))
    return -1;
  /* table names in the rows come from the scratch analysis */
  stabilize(c, from);
  return 0;
}

/*
  Findings about statements as a whole (PROCESS only).  A statement's
  findings name one of its tables: for a one-table lookup, only the
  statements that read that table can give a row that matches.
*/
static int statement_recs(recs_ctx *c)
{
  if (c->only_db && c->only_table)
  {
    size_t first, last;
    pa_workload_find(&c->digests.w, c->only_db, c->only_table, &first,
                     &last);
    for (size_t r= first; r < last; r++)
      if (statement_rec(c, c->digests.w.refs[r].digest))
        return -1;
    return 0;
  }
  for (size_t i= 0; i < c->digests.n; i++)
  {
    /* thousands of digests: answer KILL QUERY / max_statement_time */
    if (current_thd->killed)
      return 0;
    if (statement_rec(c, i))
      return -1;
  }
  return 0;
}

namespace Show {

enum pa_recs_col
{
  RC_ID,
  RC_TYPE,
  RC_PRIORITY,
  RC_TABLE_SCHEMA,
  RC_TABLE_NAME,
  RC_INDEX_NAME,
  RC_MESSAGE,
  RC_ACTION,
  RC_SUGGESTED_SQL,
  RC_ROLLBACK_SQL,
  RC_FINAL_SQL,
  RC_ESTIMATED_BENEFIT,
  RC_EVIDENCE,
  RC_COLUMNS
};

static ST_FIELD_INFO recs_fields[]= {
    Column("ID", Varchar(16), NOT_NULL, OPEN_FRM_ONLY),
    Column("TYPE", Varchar(32), NOT_NULL, OPEN_FRM_ONLY),
    Column("PRIORITY", Varchar(8), NOT_NULL, OPEN_FRM_ONLY),
    Column("TABLE_SCHEMA", Name(), NULLABLE, OPEN_FRM_ONLY),
    Column("TABLE_NAME", Name(), NULLABLE, OPEN_FRM_ONLY),
    Column("INDEX_NAME", Name(), NULLABLE, OPEN_FRM_ONLY),
    Column("MESSAGE", Varchar(2048), NOT_NULL, OPEN_FRM_ONLY),
    Column("ACTION", Varchar(64), NOT_NULL, OPEN_FRM_ONLY),
    Column("SUGGESTED_SQL", Varchar(4096), NULLABLE, OPEN_FRM_ONLY),
    Column("ROLLBACK_SQL", Varchar(4096), NULLABLE, OPEN_FRM_ONLY),
    Column("FINAL_SQL", Varchar(4096), NULLABLE, OPEN_FRM_ONLY),
    Column("ESTIMATED_BENEFIT", Varchar(128), NULLABLE, OPEN_FRM_ONLY),
    Column("EVIDENCE", Longtext(65535), NOT_NULL, OPEN_FRM_ONLY),
    CEnd()};

static_assert(sizeof(recs_fields) / sizeof(recs_fields[0]) == RC_COLUMNS + 1,
              "PERF_RECOMMENDATIONS: enum and column array disagree");

/*
  What optimize_for_get_all_tables() does for tables whose fill_table is
  get_all_tables itself: the lookup values of TABLE_SCHEMA / TABLE_NAME in
  the WHERE clause, so that get_all_tables() opens only those tables.
*/
static bool plan_walk(THD *thd, TABLE_LIST *tables, COND *cond)
{
  IS_table_read_plan *plan= new (thd->mem_root) IS_table_read_plan();
  if (!plan)
    return true;
  tables->is_table_read_plan= plan;
  tables->table_open_method= OPEN_FRM_ONLY;
  if (get_lookup_field_values(thd, cond, true, tables,
                              &plan->lookup_field_vals))
  {
    plan->no_rows= true;
    return false;
  }
  if (!plan->lookup_field_vals.wild_db_value &&
      !plan->lookup_field_vals.wild_table_value &&
      ((plan->lookup_field_vals.db_value.str &&
        !plan->lookup_field_vals.db_value.str[0]) ||
       (plan->lookup_field_vals.table_value.str &&
        !plan->lookup_field_vals.table_value.str[0])))
  {
    plan->no_rows= true;
    return false;
  }
  /*
    No partial condition: get_all_tables() evaluates it on a row holding
    only the schema and table names, and this table's TABLE_SCHEMA is
    nullable (server-wide findings have none), so restore_record() leaves
    it NULL there and every table would be skipped.  The lookup values
    above already narrow the walk; the WHERE clause is applied to the rows
    anyway.
  */
  plan->partial_cond= NULL;
  return false;
}

static void store_rec(TABLE *table, const pa_rec *r)
{
  Field **f= table->field;
  restore_record(table, s->default_values);
  pa_store_str(f[RC_ID], r->id);
  pa_store_str(f[RC_TYPE], r->type);
  pa_store_str(f[RC_PRIORITY], pa_priority_name(r->priority));
  pa_store_str(f[RC_TABLE_SCHEMA], r->schema);
  pa_store_str(f[RC_TABLE_NAME], r->table);
  pa_store_str(f[RC_INDEX_NAME], r->index);
  pa_store_str(f[RC_MESSAGE], r->message);
  pa_store_str(f[RC_ACTION], r->action);
  pa_store_str(f[RC_SUGGESTED_SQL], r->sql);
  pa_store_str(f[RC_ROLLBACK_SQL], r->rollback_sql);
  pa_store_str(f[RC_FINAL_SQL], r->final_sql);
  pa_store_str(f[RC_ESTIMATED_BENEFIT], r->benefit_text);
  pa_store_str(f[RC_EVIDENCE], r->evidence ? r->evidence : "{}");
}

static int recs_fill(THD *thd, TABLE_LIST *tables, COND *cond)
{
  recs_ctx c;
  int err;

  if (thd->lex->describe)
    return 0;
  c.root= &tables->table->mem_root;
  c.alloc.alloc= pa_root_alloc;
  c.alloc.ctx= c.root;
  pa_rec_list_init(&c.list, &c.alloc);
  pa_thresholds_read(&c.th);
  c.digests_ok= false;
  memset((void *) &c.digests, 0, sizeof(c.digests));
  if (!(c.scratch= (pa_digest_analysis *) alloc_root(c.root,
                                                     sizeof(*c.scratch))))
    return 1;

  c.only_db= c.only_table= NULL;
  if (plan_walk(thd, tables, cond))
    return 1;
  {
    const IS_table_read_plan *plan= tables->is_table_read_plan;
    const LOOKUP_FIELD_VALUES *lv= &plan->lookup_field_vals;
    if (!plan->no_rows && lv->db_value.str && !lv->wild_db_value)
    {
      c.only_db= lv->db_value.str;
      if (lv->table_value.str && !lv->wild_table_value)
        c.only_table= lv->table_value.str;
    }
  }

  pa_statement_begin(thd, tables->table);
  /* Statement texts and what is derived from them need PROCESS, as the
     digests in performance_schema do. */
  if (!check_global_access(thd, PROCESS_ACL, true) && pa_pfs_enabled(thd))
    c.digests_ok= pa_collect_digests(thd, c.root, &c.digests);
  c.sampler.mysql= NULL;
  c.sampler.failed= false;
  recs_current= &c;
  err= get_all_tables(thd, tables, cond);
  recs_current= NULL;
  pa_colstats_end(&c.sampler);
  if (err)
    return err;
  if (thd->killed)
    return 0;

  if (c.digests_ok && statement_recs(&c))
    return 1;
  /* Server-wide settings and caches: for those who may see the server's
     activity (PROCESS), as SHOW ENGINE INNODB STATUS requires; their rows
     have no schema, so a WHERE TABLE_SCHEMA = ... lookup drops them. */
  if (!c.only_db && !check_global_access(thd, PROCESS_ACL, true))
  {
    pa_server_state st;
    if (pa_collect_server_state(thd, &st, true) &&
        pa_config_advise(&st, NULL, &c.list))
    {
      my_error(ER_OUT_OF_RESOURCES, MYF(0));
      return 1;
    }
  }
  if (c.list.oom)
  {
    my_error(ER_OUT_OF_RESOURCES, MYF(0));
    return 1;
  }
  pa_rec_sort(&c.list);
  size_t n= c.list.n;
  if (pa_max_recommendations && n > pa_max_recommendations)
    n= pa_max_recommendations;
  for (size_t i= 0; i < n; i++)
  {
    store_rec(tables->table, &c.list.recs[i]);
    if (schema_table_store_record(thd, tables->table))
      return 1;
  }
  return 0;
}

} // namespace Show

int pa_recs_init(void *p)
{
  ST_SCHEMA_TABLE *schema= (ST_SCHEMA_TABLE *) p;
  schema->fields_info= Show::recs_fields;
  schema->fill_table= Show::recs_fill;
  schema->process_table= recs_table;
  schema->idx_field1= Show::RC_TABLE_SCHEMA;
  schema->idx_field2= Show::RC_TABLE_NAME;
  schema->i_s_requested_object= OPEN_TABLE_ONLY;
  return 0;
}

/*********** INFORMATION_SCHEMA.PERF_CACHE_STATS ***********************/

namespace Show {

enum pa_cache_col
{
  CS_CACHE_NAME,
  CS_SIZE,
  CS_SIZE_UNIT,
  CS_USED,
  CS_HITS,
  CS_MISSES,
  CS_HIT_RATIO,
  CS_SOURCE,
  CS_COLUMNS
};

static ST_FIELD_INFO cache_fields[]= {
    Column("CACHE_NAME", Varchar(64), NOT_NULL),
    Column("SIZE", ULonglong(), NULLABLE),
    Column("SIZE_UNIT", Varchar(16), NOT_NULL),
    Column("USED", ULonglong(), NULLABLE),
    Column("HITS", ULonglong(), NULLABLE),
    Column("MISSES", ULonglong(), NULLABLE),
    Column("HIT_RATIO", Decimal(906), NULLABLE),
    Column("SOURCE", Varchar(256), NOT_NULL),
    CEnd()};

static_assert(sizeof(cache_fields) / sizeof(cache_fields[0]) == CS_COLUMNS + 1,
              "PERF_CACHE_STATS: enum and column array disagree");

static int cache_fill(THD *thd, TABLE_LIST *tables, COND *)
{
  TABLE *table= tables->table;
  pa_server_state st;
  pa_cache_row rows[PA_CACHE_ROWS];
  int n;

  /* Server-wide counters: PROCESS, as for the other global findings. */
  if (check_global_access(thd, PROCESS_ACL, true))
    return 0;
  if (!pa_collect_server_state(thd, &st, false))
    return 0;
  n= pa_cache_stats(&st, rows);
  for (int i= 0; i < n; i++)
  {
    Field **f= table->field;
    const pa_cache_row *r= &rows[i];
    restore_record(table, s->default_values);
    pa_store_str(f[CS_CACHE_NAME], r->name);
    pa_store_u64(f[CS_SIZE], r->size_known, r->size);
    pa_store_str(f[CS_SIZE_UNIT], r->size_unit);
    pa_store_u64(f[CS_USED], r->used_known, r->used);
    pa_store_u64(f[CS_HITS], r->hits_known, r->hits);
    pa_store_u64(f[CS_MISSES], r->misses_known, r->misses);
    pa_store_double(f[CS_HIT_RATIO], r->hit_ratio_known, r->hit_ratio);
    pa_store_str(f[CS_SOURCE], r->source);
    if (schema_table_store_record(thd, table))
      return 1;
  }
  return 0;
}

} // namespace Show

int pa_cache_stats_init(void *p)
{
  ST_SCHEMA_TABLE *schema= (ST_SCHEMA_TABLE *) p;
  schema->fields_info= Show::cache_fields;
  schema->fill_table= Show::cache_fill;
  return 0;
}

/*********** INFORMATION_SCHEMA.PERF_QUERY_ANALYSIS ********************/

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

/* Per-statement digests of a PERF_QUERY_ANALYSIS fill. */
struct qa_ctx
{
  bool loaded, ok, process;
  pa_digest_set digests;
  pa_digest_analysis *an;
};

static thread_local query_id_t qa_query_id;
static thread_local const TABLE *qa_table;
static thread_local qa_ctx *qa_current;

static qa_ctx *qa_context(THD *thd, TABLE *is_table)
{
  if (qa_current && qa_query_id == thd->query_id && qa_table == is_table)
    return qa_current;
  qa_ctx *c= (qa_ctx *) alloc_root(&is_table->mem_root, sizeof(qa_ctx));
  if (!c || !(c->an= (pa_digest_analysis *) alloc_root(&is_table->mem_root,
                                                       sizeof(*c->an))))
    return NULL;
  c->process= !check_global_access(thd, PROCESS_ACL, true);
  c->ok= pa_pfs_enabled(thd) &&
         pa_collect_digests(thd, &is_table->mem_root, &c->digests);
  qa_query_id= thd->query_id;
  qa_table= is_table;
  qa_current= c;
  return c;
}

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
static pa_missing_digest qa_digest(const pa_digest_full *d,
                                   const pa_digest_analysis *an, int ti)
{
  pa_missing_digest md;
  md.an= an;
  md.table= ti;
  md.exec_count= d->stat.exec_count;
  md.rows_examined= d->rows_examined;
  md.rows_sent= d->rows_sent;
  md.no_index_used= d->no_index_used;
  md.no_good_index_used= d->no_good_index_used;
  md.sum_ps= d->sum_ps;
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
    pa_store_str(f[QA_NO_PROPOSAL_REASON],
                 pa_strdupf(a, "served_by %s", r->covered[0].covered_by));
  else if (r->n_skipped)
  {
    pa_store_str(f[QA_NO_PROPOSAL_REASON], r->skipped[0].reason);
    if (r->skipped[0].est_rows_per_exec >= 0)
    {
      f[QA_EST_ROWS_EXAMINED]->set_notnull();
      f[QA_EST_ROWS_EXAMINED]->store(r->skipped[0].est_rows_per_exec);
    }
  }
  else if (!pa_missing_is_candidate(md))
    pa_store_str(f[QA_NO_PROPOSAL_REASON], "not_needed");
}

static int qa_record(THD *thd, TABLE_LIST *tables, TABLE *table, bool res,
                     const LEX_CSTRING *db_name,
                     const LEX_CSTRING *table_name)
{
  qa_ctx *c;
  size_t first, last;
  pa_table_model *m= NULL;
  pa_alloc a= {pa_root_alloc, &table->mem_root};

  pa_walk w= pa_model_skip(thd, tables, res, db_name);
  if (w != PA_WALK_BUILD)
    return pa_walk_return(w);
  pa_statement_begin(thd, table);
  if (!(c= qa_context(thd, table)))
    return 1;
  if (!c->ok)
    return 0;
  pa_workload_find(&c->digests.w, db_name->str, table_name->str, &first,
                   &last);
  if (first == last)
    return 0;
  w= pa_model_build(thd, tables, table, db_name, table_name, true, &m);
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
    pa_colstats_conn conn= {NULL, false};
    int k= 0;
    if (!names)
      return 1;
    for (size_t i= first; i < last; i++)
    {
      const pa_digest_full *d= &c->digests.d[c->digests.w.refs[i].digest];
      pa_missing_digest md= qa_digest(d, c->an, 0);
      int prev= k;
      if (pa_digest_analyze(d->text, d->stat.text_len, c->an) ||
          (md.table= pa_digest_find_table(c->an, NULL, table_name->str)) < 0)
        continue;
      k= stat_columns(&md, 1, names, k);
      /* the names point into the analysis, which the next one overwrites */
      for (int x= prev; x < k; x++)
        if (!(names[x]= strdup_root(&table->mem_root, names[x])))
          return 1;
    }
    pa_colstats_collect(thd, &conn, m, names, k, &table->mem_root, cs);
    pa_colstats_end(&conn);
  }

  for (size_t i= first; i < last; i++)
  {
    const pa_digest_full *d= &c->digests.d[c->digests.w.refs[i].digest];
    Field **f= table->field;
    int ti;
    String s;
    static const enum pa_col_use eq[]= {PA_USE_EQ, PA_USE_IN};
    static const enum pa_col_use rg[]= {PA_USE_RANGE};
    static const enum pa_col_use jn[]= {PA_USE_JOIN};
    static const enum pa_col_use so[]= {PA_USE_ORDER, PA_USE_GROUP};

    restore_record(table, s->default_values);
    pa_store_str(f[QA_DIGEST], d->digest);
    pa_store_str(f[QA_SCHEMA_NAME], d->stat.schema);
    f[QA_TABLE_SCHEMA]->store(db_name, system_charset_info);
    f[QA_TABLE_NAME]->store(table_name, system_charset_info);
    f[QA_EXEC_COUNT]->store((longlong) d->stat.exec_count, true);
    f[QA_AVG_MS]->store((double) d->stat.avg_ps / 1e9);
    f[QA_TOTAL_MS]->store((double) d->sum_ps / 1e9);
    f[QA_ROWS_EXAMINED]->store((longlong) d->rows_examined, true);
    f[QA_ROWS_SENT]->store((longlong) d->rows_sent, true);
    f[QA_NO_INDEX_USED]->store((longlong) d->no_index_used, true);
    f[QA_NO_GOOD_INDEX_USED]->store((longlong) d->no_good_index_used, true);
    pa_store_str(f[QA_IS_SLOW],
                 pa_yes_no(d->stat.avg_ps > pa_state_slow_threshold_ps()));
    /* What is read from the statement text needs PROCESS. */
    if (c->process && !pa_digest_analyze(d->text, d->stat.text_len, c->an))
    {
      pa_store_str(f[QA_DIGEST_TEXT], d->text);
      ti= pa_digest_find_table(c->an, NULL, table_name->str);
      if (ti >= 0)
      {
        uses_text(c->an, ti, eq, 2, m, &s);
        store_text(f[QA_EQUALITY_COLUMNS], &s);
        uses_text(c->an, ti, rg, 1, m, &s);
        store_text(f[QA_RANGE_COLUMNS], &s);
        uses_text(c->an, ti, jn, 1, m, &s);
        store_text(f[QA_JOIN_COLUMNS], &s);
        uses_text(c->an, ti, so, 2, m, &s);
        store_text(f[QA_SORT_COLUMNS], &s);
        uses_text(c->an, ti, NULL, 0, m, &s, true);
        store_text(f[QA_OR_COLUMNS], &s);
        if (m)
        {
          pa_missing_digest md= qa_digest(d, c->an, ti);
          pa_missing_result r;
          if (!missing_run(m, cs, &md, 1, &table->mem_root, &r))
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
              pa_store_str(f[QA_MATCHING_INDEX], r.covered[0].covered_by);
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
