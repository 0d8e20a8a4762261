/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: INFORMATION_SCHEMA.PERF_RECOMMENDATIONS, and the index
  advice it carries (missing_index proposals sized, budgeted, selected
  over the whole workload and checked against the change log).

  PERF_RECOMMENDATIONS is a ranked, capped list, so it needs every finding
  before it stores its first row: its fill function walks the tables with
  the server's own get_all_tables() (privileges and WHERE pushdown as for
  every per-table I_S table), collecting findings instead of rows, then adds
  the server-wide ones, sorts, caps and stores.

  Locking: none of its own; per-statement state is the statement's
  context (pa_stmt.h), on the I_S table's memory root.
*/
#include "pa_is.h"
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
  const pa_digest *d= (const pa_digest *) arg;
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
    if ((an->flags & PA_DIGEST_F_LIMIT) || md[i].dig->exec_count == 0 ||
        (double) md[i].dig->rows_examined / (double) md[i].dig->exec_count <
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
    md[i].dig= &c->digests->d[td[i].pos];
    md[i].an= td[i].an;
    md[i].table= td[i].ti;
    md[i].digest_pos= td[i].pos;
  }
  if (!cs)
    return -1;
  {
    const char *names[PA_DIGEST_MAX_COLUMNS], *widths[PA_DIGEST_MAX_COLUMNS];
    int n_names= pa_colstats_columns(md, n, names);
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
  if (pa_colstats_missing(m, cs, md, n, c->root, &res))
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
      slow|= c->digests->d[pr->digests[k]].avg_ps > c->th.slow_query_ps;
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
    const pa_digest **rd= (const pa_digest **) alloc_root(
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
      rd[k]= &c->digests->d[pr->digests[k]];
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

/*
  The analysis of digest pos of c->digests: the statement's own, kept
  (pa_stmt_analysis) for its digests; made the same way for another
  node's (pa_stmt_analyze; pa_peers_add_digests adds them after the
  statement's).
*/
static pa_digest_analysis *recs_analysis(recs_ctx *c, size_t pos)
{
  const pa_digest *d= &c->digests->d[pos];
  return d->node ? pa_stmt_analyze(c->stmt, d)
                 : pa_stmt_analysis(c->stmt, pos);
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
    const pa_digest *d= &c->digests->d[picked[i]];
    /* analysed once per statement, whatever the tables it names */
    pa_digest_analysis *an= recs_analysis(c, picked[i]);
    pa_rule_digest rd;
    if (!an)
      return -1;
    td[i].pos= picked[i];
    td[i].an= an;
    td[i].ti= pa_digest_find_table(an, NULL, m->name->str);
    if (td[i].ti < 0)
      td[i].ti= 0;
    rd.dig= d;
    rd.an= an;
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
  const pa_digest *d= &c->digests->d[i];
  pa_digest_scratch *scratch= c->stmt->scratch; /* set: a local digest */
  const pa_digest_analysis *an;
  pa_rule_digest rd;
  /* another node's statement feeds the missing-index analysis only */
  if (d->node || pa_digest_analyze(d->text, d->text_len, scratch))
    return 0;
  an= &scratch->an;
  /* Statements only on system schemas (this advisor's own queries of
     information_schema among them) are not the workload. */
  if (!c->stmt->settings.include_system_schemas && an->n_tables > 0)
  {
    bool user_table= false;
    for (int t= 0; t < an->n_tables && !user_table; t++)
    {
      const char *sch= an->tables[t].schema[0] ? an->tables[t].schema
                                               : d->schema;
      LEX_CSTRING l= {sch ? sch : "", sch ? strlen(sch) : 0};
      user_table= !sch || !pa_is_system_schema(&l);
    }
    if (!user_table)
      return 0;
  }
  rd.dig= d;
  rd.an= an;
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
  pa_set_str(f[RC_ID], r->id);
  pa_set_str(f[RC_TYPE], r->type);
  pa_set_str(f[RC_PRIORITY], pa_priority_name(r->priority));
  pa_set_str(f[RC_TABLE_SCHEMA], r->schema);
  pa_set_str(f[RC_TABLE_NAME], r->table);
  pa_set_str(f[RC_INDEX_NAME], r->index);
  pa_set_str(f[RC_MESSAGE], r->message);
  pa_set_str(f[RC_ACTION], r->action);
  pa_set_str(f[RC_SUGGESTED_SQL], r->sql);
  pa_set_str(f[RC_ROLLBACK_SQL], r->rollback_sql);
  pa_set_str(f[RC_FINAL_SQL], r->final_sql);
  pa_set_str(f[RC_ESTIMATED_BENEFIT], r->benefit_text);
  pa_set_str(f[RC_EVIDENCE], r->evidence ? r->evidence : "{}");
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

  /* the refresh's digest rows become the statement's when it reads
     them (PROCESS) */
  pa_stmt_refresh(s, s->process);
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
