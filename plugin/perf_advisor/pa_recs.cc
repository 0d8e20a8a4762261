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

  Locking: none of its own; per-statement state is the statement's
  context (pa_stmt.h), on the I_S table's memory root.
*/
#include "pa_recs.h"
#include "pa_catalog.h"
#include "pa_colstats.h"
#include "pa_peers.h"

#include <sql_acl.h>
#include <sql_i_s.h>
#include <sql_parse.h>
#include <sql_show.h>

extern "C" {
#include "pa_missing.h"
#include "pa_missing_rec.h"
#include "pa_select.h"
#include "pa_sql.h"
#include "pa_text.h"
#include "pa_usage.h"
}

/* Exported by the server (sql_show.cc) but declared in no header. */
bool get_lookup_field_values(THD *, COND *, bool, TABLE_LIST *,
                             LOOKUP_FIELD_VALUES *);

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
  statistics of their columns in cs and the thresholds of the statement's
  settings.
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
  const pa_settings *set= &m->stmt->settings;
  st.max_keep= (double) set->unselective_pct / 100.0;
  st.max_cols= (int) set->max_index_columns;
  st.min_cut= (double) set->min_index_gain_pct / 100.0;
  return pa_missing_analyze_stats(m->def, &st, md, (size_t) n, &a, res);
}

/* The working state of a PERF_RECOMMENDATIONS fill (pa_stmt.recs while
   its walk runs). */
struct recs_ctx
{
  pa_stmt *stmt;             /* settings, digests, connection, catalog */
  MEM_ROOT *root;
  pa_alloc alloc;
  pa_rec_list list;
  pa_thresholds th;          /* of stmt->settings */
  bool digests_ok;           /* the caller has PROCESS and digests loaded */
  pa_digest_set *digests;    /* stmt's */
  pa_digest_analysis *scratch;  /* stmt's one analysis, reused */
  /* WHERE TABLE_SCHEMA = ... [AND TABLE_NAME = ...] as conjuncts: rows of
     other tables, and server-wide rows (no schema), cannot match */
  const char *only_db, *only_table;
  /* the missing_index rows, weighed per schema once the walk is done
     (select_indexes()) */
  struct index_cand *cands;
  size_t n_cands, cap_cands;
  struct schema_bytes *bases; /* per schema walked: its bytes */
  size_t n_bases, cap_bases;
  double page_bytes;         /* innodb_page_size */
  double fill;               /* leaf fill of a new index */
};

/* A missing_index proposal, to be weighed and then rendered. */
struct index_cand
{
  pa_missing_rec_input in;   /* its row; in.item: what pa_select weighs */
  /* a whole-table report groups or sorts by its leading column: held back
     (report_risk()) */
  bool report_risk;
};

/* A schema's tables and indexes, bytes, over the tables walked. */
struct schema_bytes
{
  const char *schema;
  double bytes;
};

/* Room for one more element of a growing array on root; false on OOM. */
static bool grow(MEM_ROOT *root, void **arr, size_t n, size_t *cap,
                 size_t size)
{
  if (n < *cap)
    return true;
  size_t cap2= *cap ? *cap * 2 : 16;
  void *p= alloc_root(root, cap2 * size);
  if (!p)
    return false;
  if (n)
    memcpy(p, *arr, n * size);
  *arr= p;
  *cap= cap2;
  return true;
}

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
  size_t pos;                /* in c->digests->d */
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
  md[0 .. n - 1] filter, group or sort on its leading column (filters
  outside any OR) and are no missing-index candidates (an index serves
  them well today, or they read the whole table by design).  An index
  that leads with a GROUP BY or ORDER BY column can be chosen to skip the
  sort and read the whole table through random lookups: measured 9x
  slower for a ledger report grouped by account.  The new
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
    bool candidate= pa_missing_is_candidate(&md[i]);
    for (int k= 0; k < pr->n_digests && !mine; k++)
      mine= pr->digests[k] == md[i].digest_pos;
    if (mine)
      continue;
    for (int j= 0; j < an->n_columns && j < PA_DIGEST_MAX_COLUMNS && !filters;
         j++)
    {
      const pa_digest_column *col= &an->columns[j];
      if (col->table != md[i].table || col->in_or ||
          !pa_ascii_ieq(col->name, pr->cols[0]))
        continue;
      /* a filter: a risk where an index serves it well today; a GROUP BY
         or ORDER BY: wherever it is (a whole-table report too) */
      filters= (pa_digest_use_narrows(col->use) && !candidate) ||
               col->use == PA_USE_GROUP || col->use == PA_USE_ORDER;
    }
    if (!filters)
      continue;
    if (*n_risky < PA_MISSING_MAX_DIGESTS)
      risky[(*n_risky)++]= md[i].digest_pos;
    count++;
  }
  return count;
}

/* A value that holds this share of the rows is read faster by a scan
   than through a secondary index, one random lookup per row. */
#define PA_RECS_REPORT_VALUE_SHARE 0.2

/*
  Whether another of the digests md[0 .. n - 1] reads at least half of the
  table's rows per execution (a report over the whole table), without a
  LIMIT, and
  - groups or sorts by pr's leading column: the optimizer may then read
    the new index whole to skip the sort, with one random lookup per row
    (measured 6.7x to 9x slower for a ledger report grouped by account once
    (account, posting_date) existed); or
  - reads only this table, filters it on nothing else an index could
    narrow by, and on pr's leading column by equality (outside an OR)
    while one of its values holds at least PA_RECS_REPORT_VALUE_SHARE of
    the rows (the most common value's share, else 1 / distinct values;
    statistics in cs), whether or not it is one of pr's statements: the
    optimizer may then read that share through the new index instead of
    scanning (measured 1.3x slower for TPC-H-like orders counted by
    status, 49 % of them 'O', once (o_orderstatus, o_orderdate) existed).
    (In a join the rows examined are the whole statement's, which says
    nothing of this table's share.)
  Such a proposal is held back (select_indexes()).
*/
/* Whether an filters table ti on a column other than lead (outside an
   OR), which an index could narrow the rows by. */
static bool other_filter(const pa_digest_analysis *an, int ti,
                         const char *lead)
{
  for (int j= 0; j < an->n_columns && j < PA_DIGEST_MAX_COLUMNS; j++)
  {
    const pa_digest_column *col= &an->columns[j];
    if (col->table == ti && !col->in_or && pa_digest_use_narrows(col->use) &&
        !pa_ascii_ieq(col->name, lead))
      return true;
  }
  return false;
}

static bool report_risk(const pa_missing_proposal *pr,
                        const pa_missing_digest *md, int n,
                        const pa_table_model *m, const pa_colstats *cs)
{
  const pa_missing_colstat *st=
      pa_missing_colstat_find(cs->cols, cs->n, pr->cols[0]);
  bool big_value=
      st && (st->top_share >= PA_RECS_REPORT_VALUE_SHARE ||
             (st->top_share < 0 && st->distinct > 0 &&
              1.0 / st->distinct >= PA_RECS_REPORT_VALUE_SHARE));

  if (!m->facts.sizes_known || m->facts.rows == 0)
    return false;
  for (int i= 0; i < n; i++)
  {
    const pa_digest_analysis *an= md[i].an;
    bool mine= false;
    for (int k= 0; k < pr->n_digests && !mine; k++)
      mine= pr->digests[k] == md[i].digest_pos;
    if ((an->flags & PA_DIGEST_F_LIMIT) || md[i].exec_count == 0 ||
        (double) md[i].rows_examined / (double) md[i].exec_count <
            0.5 * (double) m->facts.rows)
      continue;
    for (int j= 0; j < an->n_columns && j < PA_DIGEST_MAX_COLUMNS; j++)
    {
      const pa_digest_column *col= &an->columns[j];
      if (col->table != md[i].table || !pa_ascii_ieq(col->name, pr->cols[0]))
        continue;
      if (!mine && (col->use == PA_USE_GROUP || col->use == PA_USE_ORDER))
        return true;
      /* one of the proposal's own statements too: the estimate counts on
         the average value, the report may well ask for the big one */
      if (big_value && !col->in_or && an->n_tables == 1 &&
          (col->use == PA_USE_EQ || col->use == PA_USE_IN) &&
          !other_filter(an, md[i].table, pr->cols[0]))
        return true;
    }
  }
  return false;
}

/* The field of m's table named real (a name pa_model_column() gave). */
static Field *model_field(const pa_table_model *m, const char *real)
{
  for (uint i= 0; i < m->share->fields; i++)
    if (m->share->field[i]->field_name.str == real ||
        !strcmp(m->share->field[i]->field_name.str, real))
      return m->share->field[i];
  return NULL;
}

/* Whether InnoDB stores f in a variable number of bytes (VARCHAR, BLOB
   and TEXT, and CHAR in a multi-byte character set). */
static bool variable_width(const Field *f)
{
  enum_field_types t= f->real_type();
  return t == MYSQL_TYPE_VARCHAR || t == MYSQL_TYPE_VAR_STRING ||
         (f->flags & BLOB_FLAG) ||
         (t == MYSQL_TYPE_STRING && f->charset()->mbmaxlen > 1);
}

/* Adds column name of m's table to names[0 .. *k - 1] when it is
   variable-width and not there yet (real names; at most
   PA_DIGEST_MAX_COLUMNS). */
static void add_width_column(const pa_table_model *m, const char *name,
                             const char **names, int *k)
{
  const char *real= pa_model_column(m->share, name);
  Field *f;
  int x;
  if (!real || !(f= model_field(m, real)) || !variable_width(f))
    return;
  for (x= 0; x < *k && strcmp(names[x], real); x++)
  {
  }
  if (x == *k && *k < PA_DIGEST_MAX_COLUMNS)
    names[(*k)++]= real;
}

/*
  The columns whose widths the size estimate of m's proposals needs: the
  variable-width ones among the primary key's and the columns of this
  table its candidate digests md[0 .. n - 1] use in a way an index can
  serve.  Returns the count put into names[].
*/
static int width_columns(const pa_table_model *m, const pa_missing_digest *md,
                         int n, const char **names)
{
  int k= 0;
  for (int x= 0; x < m->def->n_indexes; x++)
    if (m->def->indexes[x].is_primary)
      for (int p= 0; p < m->def->indexes[x].n_cols; p++)
        add_width_column(m, m->def->indexes[x].cols[p].name, names, &k);
  for (int i= 0; i < n; i++)
  {
    const pa_digest_analysis *an= md[i].an;
    if (!pa_missing_is_candidate(&md[i]))
      continue;
    for (int j= 0; j < an->n_columns && j < PA_DIGEST_MAX_COLUMNS; j++)
    {
      const pa_digest_column *col= &an->columns[j];
      if (col->table == md[i].table && col->name[0] &&
          col->use != PA_USE_FUNC &&
          col->use != PA_USE_LIKE_LEADING_WILDCARD)
        add_width_column(m, col->name, names, &k);
    }
  }
  return k;
}

/* How the width of an index entry's columns was found: the worst of its
   columns. */
enum width_basis
{
  WIDTH_MEASURED,  /* fixed widths, or variable ones the sample measured */
  WIDTH_ROW_SHARE, /* a variable width from the average row length */
  WIDTH_DECLARED   /* a variable width at its declared maximum */
};

static const char *width_basis_name(enum width_basis b)
{
  return b == WIDTH_MEASURED    ? "measured_widths"
         : b == WIDTH_ROW_SHARE ? "row_length_share"
                                : "declared_widths";
}

/* The declared bytes of f: a BLOB's key part is bounded by InnoDB's
   3072-byte key limit (its pack_length() is a pointer). */
static double declared_bytes(const Field *f)
{
  return (f->flags & BLOB_FLAG) ? 3072.0 : (double) f->pack_length();
}

/*
  Bytes column real takes in an index entry: a fixed-width column its
  size; a variable-width one its sampled average plus a length byte;
  unsampled, its share of the declared row width applied to the table's
  average row length, at most its declared size, which is taken when the
  row length is unknown.  *basis is raised to how it was found.
*/
static double entry_bytes(const pa_table_model *m, const pa_colstats *cs,
                          const char *real, enum width_basis *basis)
{
  Field *f= model_field(m, real);
  if (!f)
  {
    *basis= WIDTH_DECLARED;
    return 8;
  }
  if (!variable_width(f))
    return (double) f->pack_length();
  double avg= pa_colstats_avg_bytes(cs, real);
  if (avg >= 0)
    return avg + 1;
  double most= declared_bytes(f), declared= 0;
  for (uint i= 0; i < m->share->fields; i++)
    declared+= declared_bytes(m->share->field[i]);
  if (m->facts.sizes_known && m->facts.avg_row_length > 0 && declared > 0)
  {
    double share= (double) m->facts.avg_row_length * most / declared + 1;
    if (*basis < WIDTH_ROW_SHARE)
      *basis= WIDTH_ROW_SHARE;
    return share < most ? share : most;
  }
  *basis= WIDTH_DECLARED;
  return most;
}

/* The primary key's bytes per secondary entry (InnoDB's 6-byte row id
   without one). */
static double pk_bytes(const pa_table_model *m, const pa_colstats *cs,
                       enum width_basis *basis)
{
  for (int x= 0; x < m->def->n_indexes; x++)
    if (m->def->indexes[x].is_primary)
    {
      double b= 0;
      for (int p= 0; p < m->def->indexes[x].n_cols; p++)
      {
        const char *real=
            pa_model_column(m->share, m->def->indexes[x].cols[p].name);
        b+= real ? entry_bytes(m, cs, real, basis) : 8;
      }
      return b;
    }
  return 6;
}

/*
  The write time a new index of m adds over the digests' window: the time
  of the write statements on the table (INSERT, REPLACE, UPDATE, DELETE
  naming it first) shared among its indexes (the data file of a heap
  table counts as one) and the new one, as if all of it went to
  maintaining them: an upper bound.
*/
static double write_ps(const recs_ctx *c, const pa_table_model *m,
                       const table_digest *td, int n)
{
  double sum= 0;
  for (int i= 0; i < n; i++)
  {
    enum pa_stmt_kind k= td[i].an->kind;
    if (td[i].ti == 0 &&
        (k == PA_STMT_INSERT || k == PA_STMT_REPLACE ||
         k == PA_STMT_UPDATE || k == PA_STMT_DELETE))
      sum+= (double) c->digests->d[td[i].pos].sum_ps;
  }
  return sum /
         (double) (m->def->n_indexes + (m->def->clustered_pk ? 1 : 2));
}

static int missing_index_recs(recs_ctx *c, pa_table_model *m,
                              table_digest *td, int n)
{
  pa_missing_digest md[PA_RECS_MAX_TABLE_DIGESTS];
  pa_missing_result res;
  pa_colstats *cs= (pa_colstats *) alloc_root(c->root, sizeof(*cs));
  THD *thd= current_thd;

  for (int i= 0; i < n; i++)
  {
    const pa_digest_full *d= &c->digests->d[td[i].pos];
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
    const char *names[PA_DIGEST_MAX_COLUMNS], *widths[PA_DIGEST_MAX_COLUMNS];
    int n_names= stat_columns(md, n, names);
    pa_colstats_collect(thd, &c->stmt->conn, m, names, n_names, widths,
                        width_columns(m, md, n, widths), c->root, cs);
  }
  enum width_basis pk_basis= WIDTH_MEASURED;
  double pk= pk_bytes(m, cs, &pk_basis);
  double added_write_ps= write_ps(c, m, td, n);
  bool changes_known= m->st.known;
  double changed_per_hour= 0;
  if (changes_known)
  {
    uint64_t window= pa_usage_window(&m->st.table, m->now);
    changes_known= window > 0;
    if (changes_known)
      changed_per_hour=
          (double) m->st.table.total[1] * 3600.0 / (double) window;
  }
  if (missing_run(m, cs, md, n, c->root, &res))
    return -1;
  for (int p= 0; p < res.n_props; p++)
  {
    const pa_missing_proposal *pr= &res.props[p];
    const char *cols[PA_MISSING_MAX_COLS];
    bool ok= true, slow= false;

    /* The text may spell a column differently, or name one through an
       alias the tokenizer resolved wrongly: only real columns. */
    for (int k= 0; k < pr->n_cols && ok; k++)
      ok= (cols[k]= pa_model_column(m->share, pr->cols[k])) != NULL;
    if (!ok)
      continue;
    enum width_basis basis= pk_basis;
    double key= 0;
    for (int k= 0; k < pr->n_cols; k++)
      key+= entry_bytes(m, cs, cols[k], &basis);
    for (int k= 0; k < pr->n_digests; k++)
      slow|= c->digests->d[pr->digests[k]].stat.avg_ps > c->th.slow_query_ps;
    size_t risky[PA_MISSING_MAX_DIGESTS];
    int n_risky;
    int risk= plan_change_risk(pr, md, n, risky, &n_risky);
    if (!grow(c->root, (void **) &c->cands, c->n_cands, &c->cap_cands,
              sizeof(*c->cands)))
      return -1;

    /* The row is rendered once its schema is weighed (select_indexes()):
       keep what it shows, in copies the walk does not reuse. */
    index_cand *ic= &c->cands[c->n_cands];
    pa_missing_rec_input *in= &ic->in;
    pa_missing_rec_column *rc= (pa_missing_rec_column *) alloc_root(
        c->root, pr->n_cols * sizeof(*rc));
    pa_missing_rec_digest *rd= (pa_missing_rec_digest *) alloc_root(
        c->root, (pr->n_digests + 1) * sizeof(*rd));
    const char **rk=
        (const char **) alloc_root(c->root, (n_risky + 1) * sizeof(*rk));
    memset((void *) in, 0, sizeof(*in));
    if (!rc || !rd || !rk ||
        !(in->schema= strdup_root(c->root, m->db->str)) ||
        !(in->table= strdup_root(c->root, m->name->str)))
      return -1;
    for (int k= 0; k < pr->n_cols; k++)
    {
      const pa_missing_colstat *st=
          pa_missing_colstat_find(cs->cols, cs->n, pr->cols[k]);
      if (!(rc[k].name= strdup_root(c->root, cols[k])))
        return -1;
      rc[k].distinct= st ? st->distinct : -1;
      rc[k].null_frac= st ? st->null_frac : -1;
      rc[k].top_share= st ? st->top_share : -1;
      rc[k].source=
          pa_colstat_source_text(st ? cs->source[st - cs->cols] : 0);
    }
    for (int k= 0; k < pr->n_digests; k++)
    {
      const pa_digest_full *d= &c->digests->d[pr->digests[k]];
      rd[k].digest= d->digest;
      rd[k].text= d->text;
      rd[k].exec_count= d->stat.exec_count;
      rd[k].avg_ps= d->stat.avg_ps;
      rd[k].node= d->node;
    }
    for (int k= 0; k < n_risky; k++)
      rk[k]= c->digests->d[risky[k]].digest;
    in->prop= pr;
    in->cols= rc;
    in->digests= rd;
    in->sampled_rows= cs->sampled_rows;
    in->rows_known= m->facts.sizes_known;
    in->table_rows= m->facts.rows;
    in->slow= slow;
    in->risk= risk;
    in->risk_digests= rk;
    in->n_risk_digests= n_risky;
    in->item.saved_ps= pa_select_saved_ps(pr, &in->saved_ideal);
    in->item.write_ps= added_write_ps;
    in->item.bytes= pa_select_index_bytes(
        m->facts.sizes_known ? m->facts.rows : 0, key, m->def->clustered_pk,
        pk, c->page_bytes, c->fill,
        m->engine && !strcmp(m->engine, "InnoDB") ? 64 : 0);
    in->item.verdict= PA_SELECT_CHOSEN;
    in->size_estimate= width_basis_name(basis);
    in->changes_known= changes_known;
    in->rows_changed_per_hour= changed_per_hour;
    ic->report_risk= report_risk(pr, md, n, m, cs);
    c->n_cands++;
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

/*
  The analysis of digest pos of c->digests: the statement's own
  (pa_stmt_analysis) for its digests, made here for another node's
  (pa_peers_add_digests adds them after the statement's).
*/
static pa_digest_analysis *recs_analysis(THD *thd, recs_ctx *c, size_t pos)
{
  const pa_digest_full *d= &c->digests->d[pos];
  pa_digest_analysis *an;
  if (!d->node)
    return pa_stmt_analysis(c->stmt, pos);
  if (!(an= (pa_digest_analysis *) alloc_root(c->root, sizeof(*an))) ||
      pa_digest_analyze(d->text, d->stat.text_len, an))
    return NULL;
  pa_catalog_resolve(thd, pa_stmt_catalog(c->stmt), &c->stmt->conn,
                     d->stat.schema, an);
  return an;
}

/* Digest-derived findings of one table. */
static int table_digest_recs(THD *thd, recs_ctx *c, pa_table_model *m)
{
  size_t first, last, picked[PA_RECS_MAX_TABLE_DIGESTS];
  table_digest td[PA_RECS_MAX_TABLE_DIGESTS];
  int n= 0;

  pa_workload_find(&c->digests->w, m->db->str, m->name->str, &first, &last);
  if (first == last)
    return 0;
  size_t total= last - first;
  size_t *all= (size_t *) alloc_root(c->root, total * sizeof(size_t));
  if (!all)
    return -1;
  for (size_t i= 0; i < total; i++)
    all[i]= c->digests->w.refs[first + i].digest;
  my_qsort2(all, total, sizeof(size_t), cmp_sum_desc,
            c->digests->d);
  for (size_t i= 0; i < total && n < PA_RECS_MAX_TABLE_DIGESTS; i++)
    picked[n++]= all[i];

  for (int i= 0; i < n; i++)
  {
    const pa_digest_full *d= &c->digests->d[picked[i]];
    /* analysed once per statement, whatever the tables it names */
    pa_digest_analysis *an= recs_analysis(thd, c, picked[i]);
    pa_rule_digest rd;
    if (!an)
      return -1;
    td[i].pos= picked[i];
    td[i].an= an;
    td[i].ti= pa_digest_find_table(an, NULL, m->name->str);
    if (td[i].ti < 0)
      td[i].ti= 0;
    rd= rule_digest(d, an);
    /* another node's statement feeds the missing-index analysis only */
    if (!d->node &&
        pa_rules_digest_table(&rd, td[i].ti, &m->rule, &c->th, &c->list))
      return -1;
  }
  return missing_index_recs(c, m, td, n);
}

/*
  Count bytes for schema: a table's indexes, with a clustered primary key
  its data too (InnoDB's data is its primary key's B-tree).  The walk goes
  schema by schema, so the last entry is almost always the one.
*/
static int add_schema_bytes(recs_ctx *c, const char *schema, double bytes)
{
  for (size_t i= c->n_bases; i-- > 0;)
    if (!strcmp(c->bases[i].schema, schema))
    {
      c->bases[i].bytes+= bytes;
      return 0;
    }
  if (!grow(c->root, (void **) &c->bases, c->n_bases, &c->cap_bases,
            sizeof(*c->bases)))
    return -1;
  if (!(c->bases[c->n_bases].schema= strdup_root(c->root, schema)))
    return -1;
  c->bases[c->n_bases++].bytes= bytes;
  return 0;
}

static double schema_bytes_of(const recs_ctx *c, const char *schema)
{
  for (size_t i= 0; i < c->n_bases; i++)
    if (!strcmp(c->bases[i].schema, schema))
      return c->bases[i].bytes;
  return 0;
}

/*
  The budget of schema's new indexes, bytes; 0: no limit (both system
  variables 0, or no size known).
*/
static double index_budget(const recs_ctx *c, const char *schema)
{
  const pa_settings *set= &c->stmt->settings;
  if (set->index_budget_bytes)
    return (double) set->index_budget_bytes;
  return (double) set->index_budget_pct / 100.0 * schema_bytes_of(c, schema);
}

/*
  The workload-level choice (pa_select): per schema, the missing_index
  proposals weighed by time saved per byte against the budget.  The chosen
  ones become rows; one low-priority row per schema names the ones left
  out, with their SQL in its EVIDENCE, so no finding is lost.  Indexes
  smaller than perf_advisor_min_index_bytes do not count against the
  budget.
*/
static int select_indexes(recs_ctx *c)
{
  const pa_alloc *a= &c->alloc;

  if (c->n_cands == 0)
    return 0;
  bool *done= (bool *) alloc_root(c->root, c->n_cands * sizeof(bool));
  pa_select_item *items=
      (pa_select_item *) alloc_root(c->root, c->n_cands * sizeof(*items));
  size_t *pos= (size_t *) alloc_root(c->root, c->n_cands * sizeof(size_t));
  pa_missing_left_out *left= (pa_missing_left_out *) alloc_root(
      c->root, c->n_cands * sizeof(*left));
  if (!done || !items || !pos || !left)
    return -1;
  memset(done, 0, c->n_cands * sizeof(bool));
  for (size_t g= 0; g < c->n_cands; g++)
  {
    if (done[g])
      continue;
    const char *schema= c->cands[g].in.schema;
    double budget= index_budget(c, schema), chosen_bytes= 0;
    size_t n= 0, n_left= 0;
    for (size_t i= g; i < c->n_cands; i++)
      if (!done[i] && !strcmp(c->cands[i].in.schema, schema))
      {
        done[i]= true;
        items[n]= c->cands[i].in.item;
        /* held back: weighed by nothing, never chosen */
        if (c->cands[i].report_risk)
          items[n].saved_ps= 0;
        /* too small to weigh against the space budget */
        if (items[n].bytes < (double) c->stmt->settings.min_index_bytes)
          items[n].bytes= 0;
        pos[n++]= i;
      }
    if (pa_select_indexes(items, n, budget, a) < 0)
      return -1;
    /* the rows left out are rendered aside, for the schema's row only */
    pa_rec_list aside;
    pa_rec_list_init(&aside, a);
    for (size_t k= 0; k < n; k++)
    {
      index_cand *ic= &c->cands[pos[k]];
      bool chosen= items[k].verdict == PA_SELECT_CHOSEN;
      ic->in.selection= ic->report_risk
                            ? "report_plan_risk"
                            : pa_select_verdict_name(items[k].verdict);
      ic->in.budget_bytes= budget;
      if (!pa_missing_rec(chosen ? &c->list : &aside, &ic->in))
        return -1;
      if (chosen)
        chosen_bytes+= ic->in.item.bytes;
      else
      {
        left[n_left].selection= ic->in.selection;
        left[n_left++].item= ic->in.item;
      }
    }
    for (size_t k= 0; k < n_left; k++)
      left[k].rec= &aside.recs[k];
    if (n_left &&
        !pa_missing_rec_left_out(&c->list, schema, budget,
                                 schema_bytes_of(c, schema), chosen_bytes,
                                 left, n_left))
      return -1;
  }
  return 0;
}

/*
  What the change log says about the table's rows from `from` on: the
  DROP of an IGNORED index waits for its soft drop's verdict and window
  (pa_verify_gate_drop), and the changes judged regressed or broke that no
  later change of the same index has superseded (the revert itself is
  such a change) get their revert rows.
*/
static int verify_recs(recs_ctx *c, THD *thd, const pa_table_model *m,
                       size_t from)
{
  pa_state_change *ch;
  pa_verify_thresholds th;
  uint n;
  bool process= c->stmt->process;

  if (!pa_state_table_changes(m->db, m->name, c->root, &ch, &n))
    return 0;
  pa_settings_verify(&c->stmt->settings, &th);
  for (size_t k= from; k < c->list.n; k++)
  {
    pa_rec *r= &c->list.recs[k];
    const pa_change *last= NULL;
    if (!r->index || !r->action || strcmp(r->action, "drop_index"))
      continue;
    for (uint i= 0; i < n && !last; i++)
      if (ch[i].latest && pa_ascii_ieq(ch[i].c.index, r->index))
        last= &ch[i].c;
    if (last &&
        pa_verify_gate_drop(&c->alloc, r, last, th.window_seconds,
                            m->now) < 0)
      return -1;
  }
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
  pa_table_model *m;
  size_t from;
  pa_stmt *s= pa_stmt_get(thd, table);
  recs_ctx *c= s ? s->recs : NULL;

  if (!s)
    return 1;
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
  if (m->facts.sizes_known &&
      add_schema_bytes(c, m->db->str,
                       (double) m->facts.index_length +
                           (m->def->clustered_pk
                                ? (double) m->facts.data_length
                                : 0)))
  {
    my_error(ER_OUT_OF_RESOURCES, MYF(0));
    return 1;
  }
  from= c->list.n;
  if (pa_rules_table(&m->rule, &c->th, &c->list) ||
      (c->digests_ok && table_digest_recs(thd, c, m)) ||
      verify_recs(c, thd, m, from))
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
  const pa_digest_full *d= &c->digests->d[i];
  pa_rule_digest rd;
  /* another node's statement feeds the missing-index analysis only */
  if (d->node || pa_digest_analyze(d->text, d->stat.text_len, c->scratch))
    return 0;
  /* Statements only on system schemas (this advisor's own queries of
     information_schema among them) are not the workload. */
  if (!c->stmt->settings.include_system_schemas && c->scratch->n_tables > 0)
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
    pa_workload_find(&c->digests->w, c->only_db, c->only_table, &first,
                     &last);
    for (size_t r= first; r < last; r++)
      if (statement_rec(c, c->digests->w.refs[r].digest))
        return -1;
    return 0;
  }
  for (size_t i= 0; i < c->digests->n; i++)
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
  if (thd->lex->describe)
    return 0;
  if (plan_walk(thd, tables, cond))
    return 1;
  return pa_recs_fill_planned(thd, tables);
}

} // namespace Show

int pa_recs_fill_planned(THD *thd, TABLE_LIST *tables)
{
  using namespace Show;
  recs_ctx c;
  pa_stmt *s;
  int err;

  /* definitions only: pa_model_build() opens what it needs itself */
  tables->table_open_method= OPEN_FRM_ONLY;
  if (!(s= pa_stmt_get(thd, tables->table)))
    return 1;
  c.stmt= s;
  c.root= s->root;
  c.alloc.alloc= pa_root_alloc;
  c.alloc.ctx= c.root;
  pa_rec_list_init(&c.list, &c.alloc);
  pa_settings_thresholds(&s->settings, &c.th);
  c.digests_ok= false;
  c.digests= &s->digests;

  c.only_db= c.only_table= NULL;
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

  pa_stmt_refresh(s);
  /* Statement texts and what is derived from them need PROCESS, as the
     digests in performance_schema do. */
  if (s->process)
  {
    c.digests_ok= pa_stmt_digests(s);
    /*
      And the other nodes' reads, for missing_index only (docs/cluster.md):
      on a copy of the statement's set, which other fills of the statement
      share; its first positions are the statement's digests.
    */
    if (s->settings.peer_digest_tables && s->settings.peer_digest_tables[0])
    {
      pa_digest_set *all=
          (pa_digest_set *) alloc_root(c.root, sizeof(*all));
      if (!all)
      {
        my_error(ER_OUT_OF_RESOURCES, MYF(0));
        return 1;
      }
      *all= s->digests;
      c.digests_ok= pa_peers_add_digests(
          thd, c.root, s->settings.peer_digest_tables,
          s->settings.peer_timeout_ms, all, c.digests_ok);
      c.digests= all;
      if (thd->killed)
        return 0;
    }
  }
  c.scratch= s->an;             /* set when the digests are */
  if (!pa_stmt_catalog(s))
  {
    my_error(ER_OUT_OF_RESOURCES, MYF(0));
    return 1;
  }
  c.cands= NULL;
  c.n_cands= c.cap_cands= 0;
  c.bases= NULL;
  c.n_bases= c.cap_bases= 0;
  {
    /* a new InnoDB index is built sorted, its pages filled to
       innodb_fill_factor percent (at 100, 15/16: 1/16 is left free) */
    uint64_t page= pa_stmt_page_size(s);
    longlong fill= pa_global_int(thd, STRING_WITH_LEN("innodb_fill_factor"),
                                 100);
    c.page_bytes= page ? (double) page : 16384.0;
    c.fill= fill >= 100 || fill <= 0 ? 15.0 / 16 : (double) fill / 100.0;
  }
  s->recs= &c;
  err= get_all_tables(thd, tables, NULL);
  s->recs= NULL;
  pa_stmt_conn_end(s);
  if (err)
    return err;
  if (thd->killed)
    return 0;
  if (select_indexes(&c))
  {
    my_error(ER_OUT_OF_RESOURCES, MYF(0));
    return 1;
  }

  if (c.digests_ok && statement_recs(&c))
    return 1;
  /* Server-wide settings and caches: for those who may see the server's
     activity (PROCESS), as SHOW ENGINE INNODB STATUS requires; their rows
     have no schema, so a WHERE TABLE_SCHEMA = ... lookup drops them. */
  if (!c.only_db && s->process)
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
  if (s->settings.max_recommendations && n > s->settings.max_recommendations)
    n= s->settings.max_recommendations;
  for (size_t i= 0; i < n; i++)
  {
    store_rec(tables->table, &c.list.recs[i]);
    if (schema_table_store_record(thd, tables->table))
      return 1;
  }
  return 0;
}

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
  pa_stmt_refresh(*c);
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
      const pa_digest_full *d= &c->digests.d[c->digests.w.refs[i].digest];
      pa_missing_digest md= qa_digest(d, c->an, 0);
      int prev= k;
      if (pa_digest_analyze(d->text, d->stat.text_len, c->an))
        continue;
      pa_catalog_resolve(thd, c->catalog, &c->conn, d->stat.schema, c->an);
      if ((md.table= pa_digest_find_table(c->an, NULL, table_name->str)) < 0)
        continue;
      k= stat_columns(&md, 1, names, k);
      /* the names point into the analysis, which the next one overwrites */
      for (int x= prev; x < k; x++)
        if (!(names[x]= strdup_root(&table->mem_root, names[x])))
          return 1;
    }
    pa_colstats_collect(thd, &c->conn, m, names, k, NULL, 0,
                        &table->mem_root, cs);
    pa_stmt_conn_end(c);
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
                 pa_yes_no(d->stat.avg_ps >
                           pa_settings_slow_ps(&c->settings)));
    /* What is read from the statement text needs PROCESS. */
    if (c->process && !pa_digest_analyze(d->text, d->stat.text_len, c->an))
    {
      /* the tables were read for the statistics above: no new reads */
      pa_colstats_conn cached= {NULL, true, false, false};
      pa_catalog_resolve(thd, c->catalog, &cached, d->stat.schema, c->an);
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
    const pa_digest_full *d= &c->digests.d[c->digests.w.refs[i].digest];
    int ti;
    if (pa_digest_analyze(d->text, d->stat.text_len, c->an))
      continue;
    /* unqualified columns of a join get their table, as for
       PERF_QUERY_ANALYSIS */
    pa_catalog_resolve(thd, c->catalog, &c->conn, d->stat.schema, c->an);
    if ((ti= pa_digest_find_table(c->an, NULL, table_name->str)) < 0)
      continue;
    for (int j= 0; j < c->an->n_columns && j < PA_DIGEST_MAX_COLUMNS &&
                   k < PA_DIGEST_MAX_COLUMNS;
         j++)
    {
      const pa_digest_column *col= &c->an->columns[j];
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
    pa_store_str(fl[CST_COLUMN_NAME], fname);
    pa_store_u64(fl[CST_DISTINCT_VALUES], st->distinct >= 0,
                 (uint64_t) (st->distinct + 0.5));
    pa_store_double(fl[CST_NULL_FRACTION], st->null_frac >= 0,
                    st->null_frac);
    pa_store_double(fl[CST_TOP_VALUE_SHARE], st->top_share >= 0,
                    st->top_share);
    pa_store_str(fl[CST_SOURCE], pa_colstat_source_text(cs->source[i]));
    pa_store_u64(fl[CST_ROWS_SAMPLED], cs->col_sampled[i] > 0,
                 cs->col_sampled[i]);
    pa_store_u64(fl[CST_AGE_SECONDS], cs->age[i] >= 0,
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
