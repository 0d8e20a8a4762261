/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: index redundancy and drop safety of one table.

  The analysis runs in passes over the whole table, so that later passes
  see every verdict of the earlier ones:
    1. classify each index (duplicate > left_prefix > pk_suffix);
    2. break redundancy cycles (see break_cycles());
    3. foreign-key blockers of single indexes;
    4. PA_BLOCK_COVERING on every covering index;
    5. per foreign key, keep one serving index if all would be drop-safe.
  Comparisons that decide a redundancy are strict (a doubtful pair is not
  reported); those that decide whether a foreign key needs an index are
  loose (a doubtful index is kept).
*/
#include "pa_index.h"
#include "pa_text.h"

#include <string.h>

/* -------------------------------------------------------------- names */

/* Bounded by PA_IDENT_BYTES in case a name is not terminated. */
static size_t name_len(const char *s)
{
  const char *end= memchr(s, '\0', PA_IDENT_BYTES);
  return end ? (size_t) (end - s) : PA_IDENT_BYTES;
}

/*
  Bytes a and b share at their start, at most n.  Column names repeat
  across the indexes of a table, so most of a comparison is here, done by
  memcmp() in blocks.
*/
static size_t same_bytes(const char *a, const char *b, size_t n)
{
  size_t p= 0;

  while (n - p >= 16 && !memcmp(a + p, b + p, 16))
    p+= 16;
  while (p < n && a[p] == b[p])
    p++;
  return p;
}

/*
  Column names are case-insensitive in MariaDB.  ASCII folding is exact for
  ASCII names; non-ASCII names that differ only in case compare unequal
  here, which can only hide a redundancy, never invent one.
*/
static int name_eq(const char *a, const char *b)
{
  size_t n= name_len(a), k;

  if (n != name_len(b))
    return 0; /* ASCII folding keeps lengths */
  for (k= same_bytes(a, b, n); k < n; k++)
    if (pa_ascii_lower((unsigned char) a[k]) !=
        pa_ascii_lower((unsigned char) b[k]))
      return 0;
  return 1;
}

/*
  Whether a and b may name the same column under the server's
  case-insensitive collation: ASCII folds as in name_eq(), and any run of
  non-ASCII bytes matches any other such run, since a case pair may differ
  in bytes and even in length (U+023A and U+2C65 take 2 and 3 bytes).
  Used where a false "equal" only keeps an index.  Pairs of an ASCII and a
  non-ASCII letter (U+212A KELVIN SIGN and k) are not matched.
*/
static int name_may_eq(const char *a, const char *b)
{
  size_t na= name_len(a), nb= name_len(b);
  size_t i= same_bytes(a, b, na < nb ? na : nb), j;

  /* Resume at the start of the non-ASCII run the shared bytes end in. */
  while (i > 0 && (unsigned char) a[i - 1] >= 0x80)
    i--;
  for (j= i;;)
  {
    unsigned char ca= i < na ? (unsigned char) a[i] : 0;
    unsigned char cb= j < nb ? (unsigned char) b[j] : 0;
    if (ca >= 0x80 && cb >= 0x80)
    {
      while (i < na && (unsigned char) a[i] >= 0x80)
        i++;
      while (j < nb && (unsigned char) b[j] >= 0x80)
        j++;
      continue;
    }
    if (pa_ascii_lower(ca) != pa_ascii_lower(cb))
      return 0;
    if (!ca)
      return 1;
    i++;
    j++;
  }
}

/* ---------------------------------------------------------- key parts */

/* DESC and prefix length equal: cheap, so checked before any name. */
static int shape_eq(const struct pa_index_col *a, const struct pa_index_col *b)
{
  return !a->desc == !b->desc && a->prefix_len == b->prefix_len;
}

/* The first n parts of a and b are equal (n within both). */
static int parts_eq(const struct pa_index_def *a, const struct pa_index_def *b,
                    int n)
{
  int k;

  for (k= 0; k < n; k++)
    if (!shape_eq(&a->cols[k], &b->cols[k]))
      return 0;
  for (k= 0; k < n; k++)
    if (!name_eq(a->cols[k].name, b->cols[k].name))
      return 0;
  return 1;
}

/* Rule 2: same type, same parts. */
static int same_index(const struct pa_index_def *a,
                      const struct pa_index_def *b)
{
  return a->type == b->type && a->n_cols == b->n_cols &&
         parts_eq(a, b, a->n_cols);
}

/*
  Rule 3: every lookup i can do, j can do too.  All parts but i's last are
  equal; on i's last part j may index more of the column: a whole column
  covers any prefix, a longer prefix covers a shorter one, but a prefix
  never covers a whole column.  Equal indexes are rule 2's.
*/
static int is_left_prefix(const struct pa_index_def *i,
                          const struct pa_index_def *j)
{
  const struct pa_index_col *a, *b;
  int last= i->n_cols - 1;

  if (i->type != PA_IDX_BTREE || j->type != PA_IDX_BTREE ||
      i->n_cols > j->n_cols)
    return 0;
  a= &i->cols[last];
  b= &j->cols[last];
  if (!a->desc != !b->desc ||
      (i->n_cols == j->n_cols && a->prefix_len == b->prefix_len) ||
      (b->prefix_len != 0 &&
       (a->prefix_len == 0 || a->prefix_len > b->prefix_len)))
    return 0;
  return parts_eq(i, j, last) && name_eq(a->name, b->name);
}

/*
  Rule 4, first half: the split points c of x such that x = (C, P) with
  |C| = c > 0 and P the first n_cols - c parts of the primary key, whole
  and ascending on both sides.  Bit c of the result is set for each.  P's
  columns must not appear in C: the engine appends only the primary key
  columns the index lacks, and a column named twice is malformed anyway.
*/
static uint32_t pk_splits(const struct pa_index_def *x,
                          const struct pa_index_def *pk)
{
  uint32_t mask= 0;
  int c, t, k;

  if (x->type != PA_IDX_BTREE || x->is_primary)
    return 0;
  for (c= 1; c < x->n_cols; c++)
  {
    int m= x->n_cols - c, ok= m <= pk->n_cols;
    for (t= 0; ok && t < m; t++)
    {
      const struct pa_index_col *a= &x->cols[c + t], *p= &pk->cols[t];
      ok= name_eq(a->name, p->name) && !a->prefix_len && !p->prefix_len &&
          !a->desc && !p->desc;
      for (k= 0; ok && k < c; k++)
        ok= !name_eq(x->cols[k].name, a->name);
    }
    if (ok)
      mask|= (uint32_t) 1 << c;
  }
  return mask;
}

/*
  Rule 4, second half: whether (x, y) is a pk_suffix pair, that is y is an
  eligible covering index equal to x's C for one of x's split points.
*/
static int pk_pair(const struct pa_table_def *def, const uint32_t *splits,
                   int x, int y)
{
  const struct pa_index_def *a= &def->indexes[x], *b= &def->indexes[y];

  /* split points are below PA_INDEX_MAX_COLS: no shift by 32 */
  if (x == y || b->type != PA_IDX_BTREE || b->is_ignored || b->is_primary ||
      b->n_cols >= PA_INDEX_MAX_COLS || !(splits[x] >> b->n_cols & 1))
    return 0;
  return parts_eq(a, b, b->n_cols);
}

static int is_unique(const struct pa_index_def *x)
{
  return x->is_unique || x->is_primary;
}

/* ------------------------------------------------------- redundancy */

/*
  The index every copy of i is reported against: among the indexes equal to
  i (i included) that the optimizer may use, the PRIMARY, else a unique
  one, else the earliest.  -1 when all copies are ignored.
*/
static int duplicate_keeper(const struct pa_table_def *def, int i)
{
  int j, best= -1, best_rank= -1;

  for (j= 0; j < def->n_indexes; j++)
  {
    const struct pa_index_def *y= &def->indexes[j];
    int rank;
    if (y->is_ignored || (j != i && !same_index(&def->indexes[i], y)))
      continue;
    rank= y->is_primary ? 2 : is_unique(y) ? 1 : 0;
    if (rank > best_rank)
    {
      best= j;
      best_rank= rank;
    }
  }
  return best;
}

static void classify(const struct pa_table_def *def, const uint32_t *splits,
                     int i, struct pa_index_verdict *v)
{
  const struct pa_index_def *x= &def->indexes[i];
  int j, best;

  if (x->is_primary)
    return;

  best= duplicate_keeper(def, i);
  if (best >= 0 && best != i)
  {
    v->redundancy= PA_RED_DUPLICATE;
    v->redundant_with= best;
    return;
  }

  /* Shortest covering index, then earliest.  The wider half of a
     pk_suffix pair is not a candidate: that pair is reported the other
     way round (or, for a unique wider half, not at all). */
  best= -1;
  for (j= 0; j < def->n_indexes; j++)
  {
    const struct pa_index_def *y= &def->indexes[j];
    if (j == i || y->is_ignored || !is_left_prefix(x, y) ||
        pk_pair(def, splits, j, i))
      continue;
    if (best < 0 || y->n_cols < def->indexes[best].n_cols)
      best= j;
  }
  if (best >= 0)
  {
    v->redundancy= PA_RED_LEFT_PREFIX;
    v->redundant_with= best;
    return;
  }

  /* A unique partner first, so that a unique x can still be reported. */
  if (!splits[i])
    return;
  for (j= 0; j < def->n_indexes; j++)
    if (pk_pair(def, splits, i, j) &&
        (best < 0 ||
         (is_unique(&def->indexes[j]) && !is_unique(&def->indexes[best]))))
      best= j;
  if (best < 0 || (is_unique(x) && !is_unique(&def->indexes[best])))
    return;
  v->redundancy= PA_RED_PK_SUFFIX;
  v->redundant_with= best;
}

/*
  Left prefixes only widen and duplicates point to a keeper, so a cycle of
  verdicts needs a pk_suffix edge, where the stored index gets no wider.
  With PRIMARY KEY(a), say:
    KEY(id)       left prefix of KEY(id, a(10)),
    KEY(id,a(10)) left prefix of KEY(id, a),
    KEY(id,a)     pk_suffix of KEY(id).
  Every verdict alone is right, but dropping all of them would drop them
  all.  Rule 4 keeps the shorter index of a pk_suffix pair, so the cycle is
  cut there: that index loses its own verdict.  A cycle without such an
  edge (not expected) loses the verdict of the index it was found from.
*/
static void break_cycles(int n, struct pa_index_verdict *out)
{
  int i, j, steps, keep;

  for (i= 0; i < n; i++)
  {
    j= out[i].redundant_with;
    for (steps= 0; j >= 0 && j != i && steps < n; steps++)
      j= out[j].redundant_with;
    if (j != i)
      continue;
    keep= i;
    do
    {
      if (out[j].redundancy == PA_RED_PK_SUFFIX)
      {
        keep= out[j].redundant_with;
        break;
      }
      j= out[j].redundant_with;
    } while (j != i);
    out[keep].redundancy= PA_RED_NONE;
    out[keep].redundant_with= -1;
  }
}

/* ------------------------------------------------------- foreign keys */

/* The first n parts of x are whole columns. */
static int whole_parts(const struct pa_index_def *x, int n)
{
  int k;

  for (k= 0; k < n; k++)
    if (x->cols[k].prefix_len)
      return 0;
  return 1;
}

/* The declared key parts begin with the foreign key's columns, whole. */
static int fk_served(const struct pa_index_def *x, const struct pa_fk_def *f)
{
  int k;

  if (x->type != PA_IDX_BTREE || x->n_cols < f->n_cols ||
      !whole_parts(x, f->n_cols))
    return 0;
  for (k= 0; k < f->n_cols; k++)
    if (!name_eq(x->cols[k].name, f->cols[k]))
      return 0;
  return 1;
}

/*
  Whether InnoDB may check f with x.  Beyond fk_served(): names compared
  with name_may_eq(), DESC ignored (InnoDB ignores it too), and the key
  parts of a secondary index extended as InnoDB stores them: the primary
  key columns the index lacks as whole columns are appended.  Without an
  explicit PRIMARY the engine may cluster on a hidden or a NOT NULL unique
  key whose columns are unknown here, so then any remainder is assumed to
  match.
*/
static int fk_may_serve(const struct pa_table_def *def, int pk,
                        const struct pa_index_def *x,
                        const struct pa_fk_def *f)
{
  int k, n, t;

  if (x->type != PA_IDX_BTREE)
    return 0;
  n= x->n_cols < f->n_cols ? x->n_cols : f->n_cols;
  if (!whole_parts(x, n))
    return 0;
  for (k= 0; k < n; k++)
    if (!name_may_eq(x->cols[k].name, f->cols[k]))
      return 0;
  if (k == f->n_cols)
    return 1;
  if (!def->clustered_pk || x->is_primary)
    return 0;
  if (pk < 0)
    return 1;
  for (t= 0; t < def->indexes[pk].n_cols && k < f->n_cols; t++)
  {
    const struct pa_index_col *p= &def->indexes[pk].cols[t];
    int j, present= 0;
    for (j= 0; j < x->n_cols && !present; j++)
      present= !x->cols[j].prefix_len && name_eq(x->cols[j].name, p->name);
    if (present)
      continue;
    if (p->prefix_len || !name_may_eq(p->name, f->cols[k]))
      return 0;
    k++;
  }
  return k == f->n_cols;
}

static void block_fk(struct pa_index_verdict *v, int f)
{
  v->blockers|= PA_BLOCK_FK;
  if (v->fk < 0)
    v->fk= f;
}

/* Bit i of the result: index i serves f (fk_served()). */
static uint64_t fk_servers(const struct pa_table_def *def,
                           const struct pa_fk_def *f)
{
  uint64_t mask= 0;
  int i;

  for (i= 0; i < def->n_indexes; i++)
    if (fk_served(&def->indexes[i], f))
      mask|= (uint64_t) 1 << i;
  return mask;
}

static void fk_blockers(const struct pa_table_def *def, int pk,
                        const uint64_t *servers, struct pa_index_verdict *out)
{
  int f, i;

  for (f= 0; f < def->n_fks; f++)
    for (i= 0; i < def->n_indexes; i++)
    {
      uint64_t self= (uint64_t) 1 << i;
      int with= out[i].redundant_with;
      if (!(servers[f] & self) &&
          !fk_may_serve(def, pk, &def->indexes[i], &def->fks[f]))
        continue;
      if (!(servers[f] & ~self) || (with >= 0 && !(servers[f] >> with & 1)))
        block_fk(&out[i], f);
    }
}

/*
  Each check above looks at one index; several indexes serving the same
  foreign key could still all be drop-safe (two unused ones, say).  Keep
  the first of them then, as InnoDB picks the first qualifying index too.
*/
static void fk_keep_one(const struct pa_table_def *def,
                        const uint64_t *servers, struct pa_index_verdict *out)
{
  int f, i;

  for (f= 0; f < def->n_fks; f++)
  {
    int first= -1, kept= 0;
    for (i= 0; i < def->n_indexes && !kept; i++)
    {
      if (!(servers[f] >> i & 1))
        continue;
      if (first < 0)
        first= i;
      kept= !pa_index_drop_safe(&out[i]);
    }
    if (first >= 0 && !kept)
      block_fk(&out[first], f);
  }
}

/* ---------------------------------------------------------- analysis */

static int valid(const struct pa_table_def *def)
{
  int i;

  if (def->n_indexes < 0 || def->n_indexes > PA_TABLE_MAX_INDEXES ||
      def->n_fks < 0 || def->n_fks > PA_TABLE_MAX_FKS)
    return 0;
  for (i= 0; i < def->n_indexes; i++)
    if (def->indexes[i].n_cols < 1 ||
        def->indexes[i].n_cols > PA_INDEX_MAX_COLS)
      return 0;
  for (i= 0; i < def->n_fks; i++)
    if (def->fks[i].n_cols < 1 || def->fks[i].n_cols > PA_INDEX_MAX_COLS)
      return 0;
  return 1;
}

int pa_index_analyze(const struct pa_table_def *def, const int *hint_blocked,
                     struct pa_index_verdict *out)
{
  uint32_t splits[PA_TABLE_MAX_INDEXES];
  uint64_t servers[PA_TABLE_MAX_FKS]; /* bit i: index i serves the key */
  int i, pk= -1;

  if (!def || !out || !valid(def))
    return -1;

  for (i= 0; i < def->n_indexes; i++)
    if (def->indexes[i].is_primary)
    {
      pk= i;
      break;
    }
  for (i= 0; i < def->n_indexes; i++)
  {
    const struct pa_index_def *x= &def->indexes[i];
    splits[i]=
        (def->clustered_pk && pk >= 0 && def->indexes[pk].type == PA_IDX_BTREE)
            ? pk_splits(x, &def->indexes[pk])
            : 0;
    out[i].redundancy= PA_RED_NONE;
    out[i].redundant_with= -1;
    out[i].fk= -1;
    out[i].covers= -1;
    out[i].blockers= 0;
    if (x->is_primary)
      out[i].blockers|= PA_BLOCK_PRIMARY;
    if (is_unique(x))
      out[i].blockers|= PA_BLOCK_UNIQUE;
    if (hint_blocked && hint_blocked[i])
      out[i].blockers|= PA_BLOCK_HINT;
  }

  for (i= 0; i < def->n_indexes; i++)
    classify(def, splits, i, &out[i]);
  break_cycles(def->n_indexes, out);
  for (i= 0; i < def->n_fks; i++)
    servers[i]= fk_servers(def, &def->fks[i]);
  fk_blockers(def, pk, servers, out);
  for (i= 0; i < def->n_indexes; i++)
  {
    int with= out[i].redundant_with;
    if (with < 0)
      continue;
    out[with].blockers|= PA_BLOCK_COVERING;
    if (out[with].covers < 0)
      out[with].covers= i;
  }
  fk_keep_one(def, servers, out);
  return 0;
}

uint64_t pa_index_fingerprint(const struct pa_index_def *idx)
{
  uint64_t h;
  int k;

  h= pa_hash_bytes(PA_HASH_SEED, &idx->type, sizeof(idx->type));
  h= pa_hash_bytes(h, &idx->is_unique, sizeof(idx->is_unique));
  for (k= 0; k < idx->n_cols; k++)
  {
    const struct pa_index_col *c= &idx->cols[k];
    h= pa_hash_bytes(h, c->name, strlen(c->name) + 1);
    h= pa_hash_bytes(h, &c->prefix_len, sizeof(c->prefix_len));
    h= pa_hash_bytes(h, &c->desc, sizeof(c->desc));
  }
  return h;
}

int pa_index_drop_safe(const struct pa_index_verdict *v)
{
  return v && v->blockers == 0;
}

const char *pa_redundancy_name(enum pa_redundancy r)
{
  switch (r)
  {
  case PA_RED_DUPLICATE:
    return "duplicate";
  case PA_RED_LEFT_PREFIX:
    return "left_prefix";
  case PA_RED_PK_SUFFIX:
    return "pk_suffix";
  case PA_RED_NONE:
    break;
  }
  return NULL;
}

/* --------------------------------------------------------------- text */

/* Appends into a caller's buffer; remembers when something did not fit. */
struct pa_text
{
  char *buf;
  size_t size; /* bytes of buf */
  size_t len;  /* bytes written, < size */
  int cut;     /* something did not fit */
};

static void text_put(struct pa_text *t, const char *s, size_t n)
{
  size_t room;

  if (t->cut || !t->size)
  {
    t->cut|= n > 0;
    return;
  }
  room= t->size - 1 - t->len;
  if (n > room)
  {
    n= room;
    t->cut= 1;
  }
  memcpy(t->buf + t->len, s, n);
  t->len+= n;
}

static void text_str(struct pa_text *t, const char *s, size_t max)
{
  const char *end= memchr(s, '\0', max);
  text_put(t, s, end ? (size_t) (end - s) : max);
}

static void text_u32(struct pa_text *t, uint32_t v)
{
  char digits[10];
  size_t n= sizeof(digits);

  do
  {
    digits[--n]= (char) ('0' + v % 10);
    v/= 10;
  } while (v);
  text_put(t, digits + n, sizeof(digits) - n);
}

/*
  Terminate; on a cut, replace the tail with "..." without splitting a
  UTF-8 sequence, so the result stays valid for a utf8 column.
*/
static const char *text_end(struct pa_text *t)
{
  if (!t->size)
    return t->buf;
  if (t->cut)
  {
    size_t keep= t->size - 1 >= 3 ? t->size - 4 : 0;
    size_t dots= t->size - 1 - keep;
    while (keep > 0 && ((unsigned char) t->buf[keep] & 0xC0) == 0x80)
      keep--;
    if (dots > 3)
      dots= 3;
    memset(t->buf + keep, '.', dots);
    t->len= keep + dots;
  }
  t->buf[t->len]= '\0';
  return t->buf;
}

const char *pa_index_columns_text(const struct pa_index_def *idx, char *buf,
                                  size_t size)
{
  struct pa_text t= {buf, size, 0, 0};
  int k, n;

  n= idx ? idx->n_cols : 0;
  if (n > PA_INDEX_MAX_COLS)
    n= PA_INDEX_MAX_COLS;
  for (k= 0; k < n; k++)
  {
    const struct pa_index_col *c= &idx->cols[k];
    if (k)
      text_put(&t, ",", 1);
    text_str(&t, c->name, PA_IDENT_BYTES);
    if (c->prefix_len)
    {
      text_put(&t, "(", 1);
      text_u32(&t, c->prefix_len);
      text_put(&t, ")", 1);
    }
    if (c->desc)
      text_put(&t, " DESC", 5);
  }
  return text_end(&t);
}

static void text_item(struct pa_text *t, const char *s)
{
  if (t->len || t->cut)
    text_put(t, ", ", 2);
  text_put(t, s, strlen(s));
}

const char *pa_index_blockers_text(const struct pa_table_def *def,
                                   const struct pa_index_verdict *v, char *buf,
                                   size_t size)
{
  struct pa_text t= {buf, size, 0, 0};
  unsigned b= v ? v->blockers : 0;

  if (b & PA_BLOCK_PRIMARY)
    text_item(&t, "primary key");
  if (b & PA_BLOCK_UNIQUE)
    text_item(&t, "unique constraint");
  if (b & PA_BLOCK_FK)
  {
    text_item(&t, "foreign key");
    if (def && v->fk >= 0 && v->fk < def->n_fks && v->fk < PA_TABLE_MAX_FKS)
    {
      text_put(&t, " ", 1);
      text_str(&t, def->fks[v->fk].name, PA_IDENT_BYTES);
    }
  }
  if (b & PA_BLOCK_HINT)
    text_item(&t, "index hint");
  if (b & PA_BLOCK_COVERING)
  {
    text_item(&t, "covers");
    if (def && v->covers >= 0 && v->covers < def->n_indexes &&
        v->covers < PA_TABLE_MAX_INDEXES)
    {
      text_put(&t, " ", 1);
      text_str(&t, def->indexes[v->covers].name, PA_IDENT_BYTES);
    }
  }
  return text_end(&t);
}
