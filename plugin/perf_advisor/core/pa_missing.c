/*
  perf_advisor core: missing-index proposals.  See pa_missing.h for the
  rules; this file follows them step by step.

  Two passes over the digests: the first sizes the output arrays, the
  second fills them, so the allocator is asked for exactly what is kept
  (a proposal is about 1.5 kB and a table may have thousands of digests).
  Building a digest's plan is cheap and deterministic, so it is simply
  done twice.
*/
#include "pa_missing.h"
#include "pa_text.h"

#include <stdlib.h>
#include <string.h>

/* dst of PA_IDENT_BYTES; src is cut (bytes) if longer, never unterminated */
static void copy_name(char *dst, const char *src)
{
  size_t len= strlen(src);
  if (len > PA_IDENT_BYTES - 1)
    len= PA_IDENT_BYTES - 1;
  memcpy(dst, src, len);
  dst[len]= '\0';
}

static void add_sat(uint64_t *acc, uint64_t v)
{
  *acc= *acc > UINT64_MAX - v ? UINT64_MAX : *acc + v;
}

/* What one candidate digest asks of this table; names point into an. */
struct plan
{
  int n;    /* proposal columns */
  int n_eq; /* leading ones from equality / IN */
  const char *cols[PA_MISSING_MAX_COLS];
  int n_unidx;
  const char *unidx_col[PA_DIGEST_MAX_COLUMNS];
  const char *unidx_reason[PA_DIGEST_MAX_COLUMNS];
};

static int plan_has(const struct plan *p, int upto, const char *name)
{
  int i;
  for (i= 0; i < upto; i++)
    if (pa_ascii_ieq(p->cols[i], name))
      return 1;
  return 0;
}

static void plan_add(struct plan *p, const char *name)
{
  if (p->n < PA_MISSING_MAX_COLS && !plan_has(p, p->n, name))
    p->cols[p->n++]= name;
}

static int is_candidate(const struct pa_missing_digest *d)
{
  uint64_t per= d->rows_sent > d->exec_count ? d->rows_sent : d->exec_count;
  if (d->no_index_used > 0 || d->no_good_index_used > 0)
    return 1;
  if (per == 0)
    per= 1;
  return (double) d->rows_examined / (double) per >=
         (double) PA_MISSING_EXAMINE_RATIO;
}

static double digest_score(const struct pa_missing_digest *d)
{
  double sent= d->rows_sent ? (double) d->rows_sent : 1.0;
  return (double) d->exec_count * ((double) d->rows_examined / sent);
}

/*
  The ORDER BY (use PA_USE_ORDER) or GROUP BY items of the statement, by
  position, when they qualify for the index: all plain columns of table,
  positions exactly 0 .. m - 1 (a gap is an expression, a repeat another
  query block), one direction.  Returns m (0 when there are none or they
  do not qualify); *present tells whether there were any at all.
*/
static int sort_items(const struct pa_digest_analysis *an, int n_columns,
                      int table, enum pa_col_use use,
                      const char *items[PA_DIGEST_MAX_COLUMNS], int *present)
{
  const struct pa_digest_column *first= NULL;
  int k, m= 0, ok= 1;

  for (k= 0; k < PA_DIGEST_MAX_COLUMNS; k++)
    items[k]= NULL;
  for (k= 0; k < n_columns; k++)
  {
    const struct pa_digest_column *c= &an->columns[k];
    if (c->use != use)
      continue;
    m++;
    if (!first)
      first= c;
    if (c->table != table || c->desc != first->desc || c->ordinal < 0 ||
        c->ordinal >= PA_DIGEST_MAX_COLUMNS || items[c->ordinal])
      ok= 0;
    else
      items[c->ordinal]= c->name;
  }
  *present= m > 0;
  for (k= 0; ok && k < m; k++)
    if (!items[k])
      ok= 0;
  return ok ? m : 0;
}

/*
  Whether the join columns of this table (outside any OR) hold every column
  of a unique B-tree key: as the inner table of the join it is then reached
  through that key, one row per lookup (eq_ref), and the join columns have
  nothing to add to an index for its other role, the driving table.
*/
static int join_hits_unique(const struct pa_table_def *def,
                            const struct pa_missing_digest *d)
{
  const struct pa_digest_analysis *an= d->an;
  int i, k, j, n_columns= an->n_columns;

  if (n_columns > PA_DIGEST_MAX_COLUMNS)
    n_columns= PA_DIGEST_MAX_COLUMNS;
  for (i= 0; i < def->n_indexes; i++)
  {
    const struct pa_index_def *x= &def->indexes[i];
    if (x->type != PA_IDX_BTREE || x->is_ignored ||
        !(x->is_primary || x->is_unique))
      continue;
    /* k: the first key part that is a prefix or not a join column */
    for (k= 0; k < x->n_cols && !x->cols[k].prefix_len; k++)
    {
      for (j= 0; j < n_columns; j++)
      {
        const struct pa_digest_column *c= &an->columns[j];
        if (c->table == d->table && c->use == PA_USE_JOIN && !c->in_or &&
            pa_ascii_ieq(c->name, x->cols[k].name))
          break;
      }
      if (j == n_columns)
        break;
    }
    if (k == x->n_cols)
      return 1;
  }
  return 0;
}

static void plan_build_from(const struct pa_missing_digest *d, int skip_join,
                            struct plan *p)
{
  const struct pa_digest_analysis *an= d->an;
  const char *items[PA_DIGEST_MAX_COLUMNS];
  const char *range= NULL;
  int range_ord= 0, n_equal, n_in= 0, n_columns, k, i, m, present;
  static const enum pa_col_use equality[]= {PA_USE_EQ, PA_USE_JOIN, PA_USE_IN};

  memset(p, 0, sizeof(*p));
  n_columns= an->n_columns;
  if (n_columns < 0)
    n_columns= 0;
  if (n_columns > PA_DIGEST_MAX_COLUMNS)
    n_columns= PA_DIGEST_MAX_COLUMNS;

  /* predicates no index can serve, once per (column, reason) */
  for (k= 0; k < n_columns; k++)
  {
    const struct pa_digest_column *c= &an->columns[k];
    const char *why;
    if (c->table != d->table || !c->name[0])
      continue;
    if (c->use == PA_USE_FUNC)
      why= "function";
    else if (c->use == PA_USE_LIKE_LEADING_WILDCARD)
      why= "leading_wildcard";
    else
      continue;
    for (i= 0; i < p->n_unidx; i++)
      if (p->unidx_reason[i] == why &&
          pa_ascii_ieq(p->unidx_col[i], c->name))
        break;
    if (i == p->n_unidx)
    {
      p->unidx_col[p->n_unidx]= c->name;
      p->unidx_reason[p->n_unidx++]= why;
    }
  }

  /* a. equality, then join, then IN columns */
  n_equal= 0;
  for (i= 0; i < 3; i++)
  {
    for (k= 0; k < n_columns; k++)
    {
      const struct pa_digest_column *c= &an->columns[k];
      if (c->table == d->table && c->use == equality[i] && c->name[0] &&
          !c->in_or && !(skip_join && c->use == PA_USE_JOIN))
        plan_add(p, c->name);
    }
    if (equality[i] == PA_USE_JOIN)
      n_equal= p->n;
  }
  n_in= p->n - n_equal;
  p->n_eq= p->n;

  /* b. the first range column by ordinal that is not bound already */
  for (k= 0; k < n_columns; k++)
  {
    const struct pa_digest_column *c= &an->columns[k];
    if (c->table == d->table && c->use == PA_USE_RANGE && c->name[0] &&
        !c->in_or && !plan_has(p, p->n, c->name) &&
        (!range || c->ordinal < range_ord))
    {
      range= c->name;
      range_ord= c->ordinal;
    }
  }
  if (range)
    plan_add(p, range);

  /* c. ORDER BY, else d. GROUP BY */
  m= sort_items(an, n_columns, d->table, PA_USE_ORDER, items, &present);
  if (!present)
    m= sort_items(an, n_columns, d->table, PA_USE_GROUP, items, &present);
  if (m == 0 || n_in > 0)
    return;
  if (range)
  {
    /* items bound by equality are constants: the order starts after them */
    for (k= 0; k < m && plan_has(p, n_equal, items[k]); k++)
    {
    }
    if (k < m && !pa_ascii_ieq(items[k], range))
      return;
  }
  for (k= 0; k < m; k++)
    plan_add(p, items[k]);
}

/*
  The plan of one candidate digest.  Join columns that hold a unique key
  are left out (join_hits_unique()), unless nothing else is left: then the
  plan is the key, which that index serves.
*/
static void plan_build(const struct pa_table_def *def,
                       const struct pa_missing_digest *d, struct plan *p)
{
  int skip= join_hits_unique(def, d);
  plan_build_from(d, skip, p);
  if (skip && p->n == 0)
    plan_build_from(d, 0, p);
}

/*
  Whether columns x[0 .. xn - 1] serve a proposal p[0 .. pn - 1] whose
  first p_free columns may come in any order (pa_missing.h).  x may hold
  NULLs past a prefix key part; they match nothing.
*/
static int serves(const char *const *x, int xn, const char *const *p, int pn,
                  int p_free)
{
  int i, j;

  if (xn < pn)
    return 0;
  for (i= 0; i < pn; i++)
    if (!x[i])
      return 0;
  /* the free prefix: the same set on both sides */
  for (i= 0; i < p_free; i++)
  {
    for (j= 0; j < p_free && !pa_ascii_ieq(x[i], p[j]); j++)
    {
    }
    if (j == p_free)
      return 0;
    for (j= 0; j < p_free && !pa_ascii_ieq(p[i], x[j]); j++)
    {
    }
    if (j == p_free)
      return 0;
  }
  for (i= p_free; i < pn; i++)
    if (!pa_ascii_ieq(x[i], p[i]))
      return 0;
  return 1;
}

/*
  The first PA_MISSING_MAX_COLS usable columns of index idx into x: its key
  parts, whole columns only (a prefix part ends the usable list), then, on
  a clustered engine, the primary key columns not already there.  Returns
  the count.
*/
static int index_columns(const struct pa_table_def *def,
                         const struct pa_index_def *idx, const char **x)
{
  const struct pa_index_def *pk= NULL;
  int n= 0, i, j;

  for (i= 0; i < idx->n_cols && n < PA_MISSING_MAX_COLS; i++)
  {
    if (idx->cols[i].prefix_len)
      return n;
    x[n++]= idx->cols[i].name;
  }
  if (!def->clustered_pk || idx->is_primary)
    return n;
  for (i= 0; i < def->n_indexes; i++)
    if (def->indexes[i].is_primary)
      pk= &def->indexes[i];
  if (!pk)
    return n;
  for (i= 0; i < pk->n_cols && n < PA_MISSING_MAX_COLS; i++)
  {
    for (j= 0; j < idx->n_cols; j++)
      if (pa_ascii_ieq(idx->cols[j].name, pk->cols[i].name))
        break;
    if (j < idx->n_cols)
      continue;
    if (pk->cols[i].prefix_len)
      return n;
    x[n++]= pk->cols[i].name;
  }
  return n;
}

/* Position of the first index that serves p, or -1. */
static int covering_index(const struct pa_table_def *def, const struct plan *p)
{
  const char *x[PA_MISSING_MAX_COLS];
  int i, xn;

  for (i= 0; i < def->n_indexes; i++)
  {
    const struct pa_index_def *idx= &def->indexes[i];
    if (idx->type != PA_IDX_BTREE || idx->is_ignored)
      continue;
    xn= index_columns(def, idx, x);
    if (serves(x, xn, p->cols, p->n, p->n_eq))
      return i;
  }
  return -1;
}

static int prop_serves(const struct pa_missing_proposal *x,
                       const struct pa_missing_proposal *p)
{
  const char *xc[PA_MISSING_MAX_COLS], *pc[PA_MISSING_MAX_COLS];
  int i;
  for (i= 0; i < x->n_cols; i++)
    xc[i]= x->cols[i];
  for (i= 0; i < p->n_cols; i++)
    pc[i]= p->cols[i];
  return serves(xc, x->n_cols, pc, p->n_cols, p->n_equality);
}

/*
  Adds src's digests and counters to dst; dst keeps its columns.  While
  merging, digests[] holds input positions in ascending order: the merged
  list keeps the first PA_MISSING_MAX_DIGESTS of both, whatever order the
  proposals merge in.
*/
static void prop_merge(struct pa_missing_proposal *dst,
                       const struct pa_missing_proposal *src)
{
  size_t both[PA_MISSING_MAX_DIGESTS];
  int i= 0, j= 0, n= 0;

  while (n < PA_MISSING_MAX_DIGESTS && (i < dst->n_digests || j < src->n_digests))
    both[n++]= (j >= src->n_digests ||
                (i < dst->n_digests && dst->digests[i] < src->digests[j]))
                   ? dst->digests[i++]
                   : src->digests[j++];
  memcpy(dst->digests, both, (size_t) n * sizeof(both[0]));
  dst->n_digests= n;
  dst->score+= src->score;
  add_sat(&dst->exec_count, src->exec_count);
  add_sat(&dst->rows_examined, src->rows_examined);
  add_sat(&dst->rows_sent, src->rows_sent);
  add_sat(&dst->sum_ps, src->sum_ps);
  dst->n_merged+= src->n_merged;
  /* whatever serves dst must still serve every merged digest */
  if (src->n_equality < dst->n_equality)
    dst->n_equality= src->n_equality;
}

/*
  The order raw proposals are merged in: longest first, then best score,
  then by column list, so that a proposal several others serve joins the
  longest and best of them whatever order the digests came in.
*/
static int merge_cmp(const void *x, const void *y)
{
  const struct pa_missing_proposal *a= x, *b= y;
  int i, c;
  if (a->n_cols != b->n_cols)
    return b->n_cols - a->n_cols;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  for (i= 0; i < a->n_cols; i++)
    if ((c= strcmp(a->cols[i], b->cols[i])) != 0)
      return c;
  return a->n_equality - b->n_equality;
}

/*
  Merges the raw proposals props[0 .. n - 1] (one per digest, in
  merge_cmp() order) in place; returns how many remain, in props[0 ..].
  Each raw one joins the first kept proposal that serves it, or else
  absorbs every kept proposal it serves and is kept itself.
*/
static int merge_all(struct pa_missing_proposal *props, int n)
{
  struct pa_missing_proposal p, r;
  int kept= 0, i, j, w;

  for (i= 0; i < n; i++)
  {
    p= props[i];
    for (j= 0; j < kept && !prop_serves(&props[j], &p); j++)
    {
    }
    if (j < kept)
    {
      prop_merge(&props[j], &p);
      continue;
    }
    /* r: p's columns, the absorbed digests first so digest order holds */
    memset(&r, 0, sizeof(r));
    r.n_cols= p.n_cols;
    r.n_equality= p.n_equality;
    memcpy(r.cols, p.cols, sizeof(r.cols));
    for (j= 0, w= 0; j < kept; j++)
    {
      if (prop_serves(&p, &props[j]))
        prop_merge(&r, &props[j]);
      else
        props[w++]= props[j];
    }
    prop_merge(&r, &p);
    props[w++]= r;
    kept= w;
  }
  return kept;
}

static int prop_cmp(const void *x, const void *y)
{
  const struct pa_missing_proposal *a= x, *b= y;
  int i, c;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  for (i= 0; i < a->n_cols && i < b->n_cols; i++)
    if ((c= strcmp(a->cols[i], b->cols[i])) != 0)
      return c;
  return a->n_cols - b->n_cols;
}

static int def_ok(const struct pa_table_def *def)
{
  int i;
  if (def->n_indexes < 0 || def->n_indexes > PA_TABLE_MAX_INDEXES)
    return 0;
  for (i= 0; i < def->n_indexes; i++)
    if (def->indexes[i].n_cols < 1 ||
        def->indexes[i].n_cols > PA_INDEX_MAX_COLS)
      return 0;
  return 1;
}

/* n objects of size bytes from a; NULL for none (so never alloc(0)) */
static void *alloc_array(const struct pa_alloc *a, size_t n, size_t size,
                         int *oom)
{
  void *p;
  if (n == 0)
    return NULL;
  if (n > (size_t) -1 / size || !(p= a->alloc(a->ctx, n * size)))
  {
    *oom= 1;
    return NULL;
  }
  return p;
}

int pa_missing_analyze(const struct pa_table_def *def,
                       const struct pa_missing_digest *d, size_t n,
                       const struct pa_alloc *a, struct pa_missing_result *out)
{
  struct plan p;
  size_t i, n_raw= 0, n_cov= 0, n_un= 0;
  int k, oom= 0, cov;

  if (!out)
    return -1;
  memset(out, 0, sizeof(*out));
  if (!def || !a || !a->alloc || (n > 0 && !d) || !def_ok(def))
    return -1;
  for (i= 0; i < n; i++)
    if (!d[i].an || d[i].table < 0 || d[i].table >= d[i].an->n_tables)
      return -1;

  /* pass 1: sizes */
  for (i= 0; i < n; i++)
  {
    if (!is_candidate(&d[i]))
      continue;
    plan_build(def, &d[i], &p);
    n_un+= (size_t) p.n_unidx;
    if (p.n == 0)
      continue;
    if (covering_index(def, &p) >= 0)
      n_cov++;
    else
      n_raw++;
  }
  /* int counts: more than INT_MAX digests for one table cannot happen */
  if (n_raw > 0x7fffffff || n_cov > 0x7fffffff || n_un > 0x7fffffff)
    return -1;
  out->props= alloc_array(a, n_raw, sizeof(*out->props), &oom);
  out->covered= alloc_array(a, n_cov, sizeof(*out->covered), &oom);
  out->unindexable= alloc_array(a, n_un, sizeof(*out->unindexable), &oom);
  if (oom)
  {
    memset(out, 0, sizeof(*out));
    return -1;
  }

  /* pass 2: fill, in digest order */
  for (i= 0; i < n; i++)
  {
    if (!is_candidate(&d[i]))
      continue;
    plan_build(def, &d[i], &p);
    for (k= 0; k < p.n_unidx; k++)
    {
      struct pa_missing_unindexable *u=
          &out->unindexable[out->n_unindexable++];
      copy_name(u->col, p.unidx_col[k]);
      u->reason= p.unidx_reason[k];
      u->digest_pos= d[i].digest_pos;
    }
    if (p.n == 0)
      continue;
    if ((cov= covering_index(def, &p)) >= 0)
    {
      struct pa_missing_covered *c= &out->covered[out->n_covered++];
      memset(c, 0, sizeof(*c));
      c->digest_pos= d[i].digest_pos;
      copy_name(c->covered_by, def->indexes[cov].name);
      c->n_cols= p.n;
      for (k= 0; k < p.n; k++)
        copy_name(c->cols[k], p.cols[k]);
    }
    else
    {
      struct pa_missing_proposal *r= &out->props[out->n_props++];
      memset(r, 0, sizeof(*r));
      r->n_cols= p.n;
      r->n_equality= p.n_eq < p.n ? p.n_eq : p.n;
      for (k= 0; k < p.n; k++)
        copy_name(r->cols[k], p.cols[k]);
      r->score= digest_score(&d[i]);
      r->exec_count= d[i].exec_count;
      r->rows_examined= d[i].rows_examined;
      r->rows_sent= d[i].rows_sent;
      r->sum_ps= d[i].sum_ps;
      r->n_merged= 1;
      r->n_digests= 1;
      r->digests[0]= i; /* the input position until merged */
    }
  }

  if (out->n_props > 1)
    qsort(out->props, (size_t) out->n_props, sizeof(*out->props), merge_cmp);
  out->n_props= merge_all(out->props, out->n_props);
  for (k= 0; k < out->n_props; k++)
  {
    struct pa_missing_proposal *r= &out->props[k];
    int j;
    for (j= 0; j < r->n_digests; j++)
      r->digests[j]= d[r->digests[j]].digest_pos;
  }
  if (out->n_props > 1)
    qsort(out->props, (size_t) out->n_props, sizeof(*out->props), prop_cmp);
  if (out->n_props == 0)
    out->props= NULL;
  return 0;
}
