/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
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


/* What one candidate digest asks of this table; names point into an. */
struct plan
{
  int n;    /* proposal columns */
  int n_eq; /* leading ones from equality / IN */
  const char *cols[PA_MISSING_MAX_COLS];
  int n_unidx;
  const char *unidx_col[PA_DIGEST_MAX_COLUMNS];
  const char *unidx_reason[PA_DIGEST_MAX_COLUMNS];
  /* with statistics (steps 6 to 9 of pa_missing.h) */
  int limit;            /* most columns, max_cols or PA_MISSING_MAX_COLS */
  int n_dropped;        /* equality / join columns that are not selective */
  const char *dropped[PA_MISSING_MAX_COLS];
  double keep;          /* product of keep over the equality / join columns
                           in cols; < 0: some is unknown */
  int has_in, has_range, has_sort;
  int n_or;             /* narrowing uses of this table under an OR */
  int n_like;           /* LIKE with a pattern the text hides (not in OR) */
  const char *reason;   /* step 8, or NULL */
};

static int is_candidate(const struct pa_missing_digest *d);

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
  if (p->n < p->limit && !plan_has(p, p->n, name))
    p->cols[p->n++]= name;
}

static int dropped_has(const struct plan *p, const char *name)
{
  int i;
  for (i= 0; i < p->n_dropped; i++)
    if (pa_ascii_ieq(p->dropped[i], name))
      return 1;
  return 0;
}

double pa_missing_keep(const struct pa_missing_colstat *s)
{
  double keep, top;
  if (!s || !(s->distinct > 0))
    return -1;
  keep= 1.0 / s->distinct;
  if (s->null_frac > 0 && s->null_frac <= 1)
    keep*= 1.0 - s->null_frac;
  top= s->top_share >= 0 && s->top_share <= 1 ? s->top_share : 0;
  if (top * top > keep)
    keep= top * top;
  return keep > 1 ? 1 : keep;
}

const struct pa_missing_colstat *
pa_missing_colstat_find(const struct pa_missing_colstat *cols, int n,
                        const char *name)
{
  int i;
  for (i= 0; cols && name && i < n; i++)
    if (pa_ascii_ieq(cols[i].name, name))
      return &cols[i];
  return NULL;
}

static const struct pa_missing_colstat *
colstat(const struct pa_missing_stats *st, const char *name)
{
  return st ? pa_missing_colstat_find(st->cols, st->n_cols, name) : NULL;
}

/* Whether s says "col = ?" keeps at least max_keep of the rows. */
static int not_selective(const struct pa_missing_stats *st,
                         const struct pa_missing_colstat *s)
{
  double keep= pa_missing_keep(s);
  if (!s)
    return 0;
  return (keep >= 0 && keep >= st->max_keep) ||
         (s->top_share >= 0 && s->top_share <= 1 &&
          s->top_share >= st->max_keep);
}

int pa_missing_is_candidate(const struct pa_missing_digest *d)
{
  return d && d->dig && is_candidate(d);
}

static int is_candidate(const struct pa_missing_digest *d)
{
  const struct pa_digest *g= d->dig;
  uint64_t per= g->rows_sent > g->exec_count ? g->rows_sent : g->exec_count;
  if (g->no_index_used > 0 || g->no_good_index_used > 0)
    return 1;
  if (per == 0)
    per= 1;
  return (double) g->rows_examined / (double) per >=
         (double) PA_MISSING_EXAMINE_RATIO;
}

static double digest_score(const struct pa_missing_digest *d)
{
  const struct pa_digest *g= d->dig;
  double sent= g->rows_sent ? (double) g->rows_sent : 1.0;
  return (double) g->exec_count * ((double) g->rows_examined / sent);
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

/*
  Step 6: the selective equality and join columns, most selective first,
  into p (at most p->limit); the others into p->dropped.
*/
static void add_equality_by_keep(const struct pa_missing_digest *d,
                                 int n_columns, int skip_join,
                                 const struct pa_missing_stats *st,
                                 struct plan *p)
{
  const struct pa_digest_analysis *an= d->an;
  const char *name[PA_DIGEST_MAX_COLUMNS];
  double keep[PA_DIGEST_MAX_COLUMNS];
  int n= 0, k, i, j;

  for (k= 0; k < n_columns; k++)
  {
    const struct pa_digest_column *c= &an->columns[k];
    const struct pa_missing_colstat *s;
    if (c->table != d->table || !c->name[0] || c->in_or ||
        !(c->use == PA_USE_EQ || (c->use == PA_USE_JOIN && !skip_join)))
      continue;
    for (i= 0; i < n && !pa_ascii_ieq(name[i], c->name); i++)
    {
    }
    if (i < n || dropped_has(p, c->name))
      continue;
    s= colstat(st, c->name);
    if (not_selective(st, s))
    {
      if (p->n_dropped < PA_MISSING_MAX_COLS)
        p->dropped[p->n_dropped++]= c->name;
      continue;
    }
    /* insertion by keep, unknown (-1) last; equal keeps keep text order */
    keep[n]= pa_missing_keep(s);
    name[n]= c->name;
    for (i= n++; i > 0; i--)
    {
      double a= keep[i - 1], b= keep[i];
      if (!(b >= 0 && (a < 0 || b < a)))
        break;
      keep[i]= a;
      keep[i - 1]= b;
      {
        const char *t= name[i];
        name[i]= name[i - 1];
        name[i - 1]= t;
      }
    }
  }
  p->keep= 1;
  for (j= 0; j < n && p->n < p->limit; j++)
  {
    plan_add(p, name[j]);
    p->keep= keep[j] < 0 || p->keep < 0 ? -1 : p->keep * keep[j];
  }
}

static void plan_build_from(const struct pa_missing_digest *d, int skip_join,
                            const struct pa_missing_stats *st,
                            struct plan *p)
{
  const struct pa_digest_analysis *an= d->an;
  const char *items[PA_DIGEST_MAX_COLUMNS];
  const char *range= NULL;
  int range_ord= 0, n_equal, n_in= 0, n_columns, k, i, m, present;
  static const enum pa_col_use equality[]= {PA_USE_EQ, PA_USE_JOIN, PA_USE_IN};

  memset(p, 0, sizeof(*p));
  p->limit= st ? st->max_cols : PA_MISSING_MAX_COLS;
  p->keep= -1;
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

  for (k= 0; k < n_columns; k++)
  {
    const struct pa_digest_column *c= &an->columns[k];
    if (c->table == d->table && c->in_or && pa_digest_use_narrows(c->use))
      p->n_or++;
    else if (c->table == d->table && c->use == PA_USE_LIKE_UNKNOWN)
      p->n_like++;
  }

  /* a. equality, then join, then IN columns (with statistics: the
     selective equality and join columns by keep, then IN) */
  n_equal= 0;
  for (i= st ? 2 : 0; i < 3; i++)
  {
    if (st && i == 2)
    {
      add_equality_by_keep(d, n_columns, skip_join, st, p);
      n_equal= p->n;
    }
    for (k= 0; k < n_columns; k++)
    {
      const struct pa_digest_column *c= &an->columns[k];
      if (c->table == d->table && c->use == equality[i] && c->name[0] &&
          !c->in_or && !(skip_join && c->use == PA_USE_JOIN) &&
          !dropped_has(p, c->name))
        plan_add(p, c->name);
    }
    if (equality[i] == PA_USE_JOIN)
      n_equal= p->n;
  }
  n_in= p->n - n_equal;
  p->has_in= n_in > 0;
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
  if (range && p->n < p->limit)
  {
    plan_add(p, range);
    p->has_range= 1;
  }

  /* c. ORDER BY, else d. GROUP BY */
  m= sort_items(an, n_columns, d->table, PA_USE_ORDER, items, &present);
  if (!present)
    m= sort_items(an, n_columns, d->table, PA_USE_GROUP, items, &present);
  if (m == 0 || n_in > 0)
    return;
  /* items bound by equality are constants: the order starts after them
     (a column left out as not selective is bound all the same) */
  for (k= 0; k < m && (plan_has(p, n_equal, items[k]) ||
                       dropped_has(p, items[k]));
       k++)
  {
  }
  if (range && k < m && !pa_ascii_ieq(items[k], range))
    return;
  if (st)
  {
    /* with statistics: the sort columns whole or not at all */
    int need= 0, j;
    for (j= k; j < m; j++)
      need+= !plan_has(p, p->n, items[j]);
    if (p->n + need > p->limit)
      return;
    for (j= k; j < m; j++)
      plan_add(p, items[j]);
    p->has_sort= need > 0;
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
                       const struct pa_missing_stats *st,
                       const struct pa_missing_digest *d, struct plan *p)
{
  int skip= join_hits_unique(def, d);
  plan_build_from(d, skip, st, p);
  if (skip && p->n == 0 && !p->n_dropped)
    plan_build_from(d, 0, st, p);
}

/* Rows the digest examines per execution, measured. */
static double now_per_exec(const struct pa_missing_digest *d)
{
  return (double) d->dig->rows_examined /
         (double) (d->dig->exec_count ? d->dig->exec_count : 1);
}

/*
  Whether d's rows sent show that the range of plan p keeps few rows: no
  GROUP BY (whose groups hide the rows), no other filter on this table
  outside the plan, more than one row per execution (one may be an
  aggregate's), and at most 1 / PA_MISSING_EXAMINE_RATIO of the rows it
  examines.
*/
static int range_shown_narrow(const struct pa_missing_digest *d,
                              const struct plan *p)
{
  const struct pa_digest_analysis *an= d->an;
  for (int i= 0; i < an->n_columns && i < PA_DIGEST_MAX_COLUMNS; i++)
  {
    const struct pa_digest_column *c= &an->columns[i];
    if (c->use == PA_USE_GROUP)
      return 0;
    /* another filter on this table that the index leaves out narrows the
       rows sent too: they no longer bound the range alone (a filter left
       out as not selective keeps most rows, and does not count) */
    if (c->table == d->table && !c->in_or && c->name[0] &&
        (pa_digest_use_narrows(c->use) || c->use == PA_USE_FUNC ||
         c->use == PA_USE_LIKE_LEADING_WILDCARD ||
         c->use == PA_USE_LIKE_UNKNOWN) &&
        !plan_has(p, p->n, c->name) && !dropped_has(p, c->name))
      return 0;
  }
  return d->dig->rows_sent > d->dig->exec_count &&
         d->dig->rows_sent * PA_MISSING_EXAMINE_RATIO <=
             d->dig->rows_examined;
}

/*
  Whether the index of plan p, led by its range column, reads d's rows in
  its ORDER BY order: the first ORDER BY item (lowest ordinal) is a column
  of this table and is that range column, or the plan has sort columns.
*/
static int range_gives_order(const struct pa_missing_digest *d,
                             const struct plan *p)
{
  const struct pa_digest_analysis *an= d->an;
  const struct pa_digest_column *first= NULL;
  if (p->has_sort)
    return 1;
  for (int i= 0; i < an->n_columns && i < PA_DIGEST_MAX_COLUMNS; i++)
    if (an->columns[i].use == PA_USE_ORDER &&
        (!first || an->columns[i].ordinal < first->ordinal))
      first= &an->columns[i];
  return first && first->table == d->table && p->n > 0 &&
         pa_ascii_ieq(first->name, p->cols[0]);
}

/*
  Step 8: why the statistics plan p of digest d gets no proposal, or NULL.
  Only sort columns are left (after dropping the columns that are not
  selective, or with no filter at all): without a LIMIT the index would be
  read whole, each row fetched by a random lookup, to save a sort (or a
  GROUP BY's temporary table), which costs more than the sort unless the
  index covers the statement, and the digest does not say whether it
  does: not selective (columns were dropped) or no filter.
*/
static const char *plan_reason(const struct pa_missing_stats *st,
                               const struct pa_missing_digest *d,
                               const struct plan *p)
{
  if (p->n == 0)
    return p->n_dropped ? "not_selective"
           : p->n_or    ? "or_only"
           : p->n_unidx || p->n_like ? "unindexable"
                        : "no_filter";
  if (p->n_eq == 0 && !p->has_range && !(d->an->flags & PA_DIGEST_F_LIMIT))
    return p->n_dropped ? "not_selective" : "no_filter";
  if (p->n_eq == 0 && p->has_range &&
      !((d->an->flags & PA_DIGEST_F_LIMIT) && range_gives_order(d, p)) &&
      !range_shown_narrow(d, p))
    return "unknown_range";
  if (p->keep >= 0 && !p->has_in && !p->has_range && !p->has_sort &&
      st->rows_known &&
      (double) st->rows * p->keep > (1.0 - st->min_cut) * now_per_exec(d))
    return "little_gain";
  return NULL;
}

/* Estimated rows per execution with p's index (step 9), or -1. */
static double plan_estimate(const struct pa_missing_stats *st,
                            const struct plan *p)
{
  if (!st || !st->rows_known || p->keep < 0 || p->has_in ||
      (p->has_sort && p->n_eq == 0))
    return -1;
  return (double) st->rows * p->keep;
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
  {
    /* executions-weighted means; an unknown estimate stays unknown */
    double we= (double) dst->exec_count, ws= (double) src->exec_count;
    double w= we + ws > 0 ? we + ws : 1;
    dst->now_rows_per_exec=
        (dst->now_rows_per_exec * we + src->now_rows_per_exec * ws) / w;
    if (dst->n_merged == 0)
      dst->est_rows_per_exec= src->est_rows_per_exec;
    else if (dst->est_rows_per_exec < 0 || src->est_rows_per_exec < 0)
      dst->est_rows_per_exec= -1;
    else
      dst->est_rows_per_exec=
          (dst->est_rows_per_exec * we + src->est_rows_per_exec * ws) / w;
    dst->est_upper_bound|= src->est_upper_bound;
  }
  dst->exec_count= pa_sat_add(dst->exec_count, src->exec_count);
  dst->rows_examined= pa_sat_add(dst->rows_examined, src->rows_examined);
  dst->rows_sent= pa_sat_add(dst->rows_sent, src->rows_sent);
  dst->sum_ps= pa_sat_add(dst->sum_ps, src->sum_ps);
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
  if (!(p= pa_alloc_array(a, n, size)))
    *oom= 1;
  return p;
}

/*
  What happens to candidate d: its statistics plan p (and, with
  statistics, the plan without them in raw, for coverage); returns the
  covering index or -1, and sets *reason for a skipped one.
*/
static int judge(const struct pa_table_def *def,
                 const struct pa_missing_stats *st,
                 const struct pa_missing_digest *d, struct plan *p,
                 struct plan *raw, const char **reason)
{
  int cov= -1;
  plan_build(def, st, d, p);
  *reason= NULL;
  if (p->n > 0)
    cov= covering_index(def, p);
  if (!st)
    return cov;
  plan_build(def, NULL, d, raw);
  if (cov < 0 && raw->n > 0 && (cov= covering_index(def, raw)) >= 0)
    *p= *raw; /* report what the index serves */
  if (cov < 0)
    *reason= plan_reason(st, d, p);
  return cov;
}

static int stats_ok(const struct pa_missing_stats *st)
{
  return !st ||
         (st->max_keep > 0 && st->max_keep <= 1 && st->max_cols >= 1 &&
          st->max_cols <= PA_MISSING_MAX_COLS && st->min_cut >= 0 &&
          st->min_cut <= 1 && st->n_cols >= 0 && (st->cols || !st->n_cols));
}

int pa_missing_analyze(const struct pa_table_def *def,
                       const struct pa_missing_digest *d, size_t n,
                       const struct pa_alloc *a, struct pa_missing_result *out)
{
  return pa_missing_analyze_stats(def, NULL, d, n, a, out);
}

int pa_missing_analyze_stats(const struct pa_table_def *def,
                             const struct pa_missing_stats *st,
                             const struct pa_missing_digest *d, size_t n,
                             const struct pa_alloc *a,
                             struct pa_missing_result *out)
{
  struct plan p, raw;
  size_t i, n_raw= 0, n_cov= 0, n_un= 0, n_skip= 0;
  int k, oom= 0, cov;
  const char *reason;

  if (!out)
    return -1;
  memset(out, 0, sizeof(*out));
  if (!def || !a || !a->alloc || (n > 0 && !d) || !def_ok(def) ||
      !stats_ok(st))
    return -1;
  for (i= 0; i < n; i++)
    if (!d[i].dig || !d[i].an || d[i].table < 0 ||
        d[i].table >= d[i].an->n_tables)
      return -1;

  /* pass 1: sizes */
  for (i= 0; i < n; i++)
  {
    if (!is_candidate(&d[i]))
      continue;
    cov= judge(def, st, &d[i], &p, &raw, &reason);
    n_un+= (size_t) p.n_unidx;
    if (cov >= 0)
      n_cov++;
    else if (reason)
      n_skip++;
    else if (p.n > 0)
      n_raw++;
  }
  /* int counts: more than INT_MAX digests for one table cannot happen */
  if (n_raw > 0x7fffffff || n_cov > 0x7fffffff || n_un > 0x7fffffff ||
      n_skip > 0x7fffffff)
    return -1;
  out->props= alloc_array(a, n_raw, sizeof(*out->props), &oom);
  out->covered= alloc_array(a, n_cov, sizeof(*out->covered), &oom);
  out->unindexable= alloc_array(a, n_un, sizeof(*out->unindexable), &oom);
  out->skipped= alloc_array(a, n_skip, sizeof(*out->skipped), &oom);
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
    cov= judge(def, st, &d[i], &p, &raw, &reason);
    for (k= 0; k < p.n_unidx; k++)
    {
      struct pa_missing_unindexable *u=
          &out->unindexable[out->n_unindexable++];
      copy_name(u->col, p.unidx_col[k]);
      u->reason= p.unidx_reason[k];
      u->digest_pos= d[i].digest_pos;
    }
    if (cov >= 0)
    {
      struct pa_missing_covered *c= &out->covered[out->n_covered++];
      memset(c, 0, sizeof(*c));
      c->digest_pos= d[i].digest_pos;
      copy_name(c->covered_by, def->indexes[cov].name);
      c->n_cols= p.n;
      for (k= 0; k < p.n; k++)
        copy_name(c->cols[k], p.cols[k]);
    }
    else if (reason)
    {
      struct pa_missing_skipped *sk= &out->skipped[out->n_skipped++];
      int little= strcmp(reason, "little_gain") == 0;
      int plan= little || strcmp(reason, "unknown_range") == 0;
      memset(sk, 0, sizeof(*sk));
      sk->digest_pos= d[i].digest_pos;
      sk->reason= reason;
      sk->n_cols= plan ? p.n : p.n_dropped;
      for (k= 0; k < sk->n_cols; k++)
        copy_name(sk->cols[k], plan ? p.cols[k] : p.dropped[k]);
      sk->now_rows_per_exec= now_per_exec(&d[i]);
      sk->est_rows_per_exec= little ? plan_estimate(st, &p) : -1;
    }
    else if (p.n > 0)
    {
      struct pa_missing_proposal *r= &out->props[out->n_props++];
      memset(r, 0, sizeof(*r));
      r->n_cols= p.n;
      r->n_equality= p.n_eq < p.n ? p.n_eq : p.n;
      for (k= 0; k < p.n; k++)
        copy_name(r->cols[k], p.cols[k]);
      r->score= digest_score(&d[i]);
      r->exec_count= d[i].dig->exec_count;
      r->rows_examined= d[i].dig->rows_examined;
      r->rows_sent= d[i].dig->rows_sent;
      r->sum_ps= d[i].dig->sum_ps;
      r->n_merged= 1;
      r->n_digests= 1;
      r->digests[0]= i; /* the input position until merged */
      r->now_rows_per_exec= now_per_exec(&d[i]);
      r->est_rows_per_exec= plan_estimate(st, &p);
      r->est_upper_bound= p.has_range;
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
  if (out->n_skipped == 0)
    out->skipped= NULL;
  return 0;
}
