/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: column statistics across statements (pa_colcache.h).
*/
#include "pa_colcache.h"
#include "pa_text.h"

#include <string.h>

const char *pa_colstat_source_text(unsigned s)
{
  static const char *const text[8]= {
      "none",        "index",        "eits",        "index+eits",
      "sample",      "index+sample", "eits+sample", "index+eits+sample"};
  return text[s & 7u];
}

void pa_colstat_sources_init(struct pa_colstat_sources *s)
{
  s->index_distinct= -1;
  s->eits_distinct= s->eits_null_frac= s->eits_top_share= -1;
  s->sample_distinct= s->sample_null_frac= s->sample_top_share= -1;
}

/* The first known of a (bit ba) and b (bit bb) into *out; its bit. */
static unsigned pick(double a, unsigned ba, double b, unsigned bb,
                     double *out)
{
  if (a >= 0)
  {
    *out= a;
    return ba;
  }
  *out= b >= 0 ? b : -1;
  return b >= 0 ? bb : 0;
}

unsigned pa_colstat_merge(const struct pa_colstat_sources *s,
                          struct pa_missing_colstat *out)
{
  unsigned used= 0;
  double d;
  if (s->index_distinct >= 0)
  {
    out->distinct= s->index_distinct;
    used|= PA_CS_SRC_INDEX;
  }
  else
  {
    used|= pick(s->eits_distinct, PA_CS_SRC_EITS, s->sample_distinct,
                PA_CS_SRC_SAMPLE, &d);
    out->distinct= d;
  }
  used|= pick(s->eits_null_frac, PA_CS_SRC_EITS, s->sample_null_frac,
              PA_CS_SRC_SAMPLE, &out->null_frac);
  used|= pick(s->eits_top_share, PA_CS_SRC_EITS, s->sample_top_share,
              PA_CS_SRC_SAMPLE, &out->top_share);
  return used;
}

double pa_colstat_eits_distinct(double rows, double nulls_ratio,
                                double avg_frequency)
{
  if (rows < 0 || nulls_ratio < 0 || nulls_ratio > 1 || avg_frequency <= 0)
    return -1;
  return rows * (1 - nulls_ratio) / avg_frequency;
}

double pa_colstat_eits_top_share(double nulls_ratio, double max_single,
                                 double max_multi)
{
  double share;
  if (nulls_ratio < 0 || nulls_ratio > 1 || (max_single < 0 && max_multi < 0))
    return -1;
  share= max_single >= max_multi ? max_single : max_multi;
  if (share > 1)
    share= 1;
  return share * (1 - nulls_ratio);
}

int pa_colcache_fresh(const struct pa_colcache_col *c,
                      const struct pa_colcache_policy *p)
{
  if (!p->max_age || c->cap != p->cap || p->now < c->taken_at ||
      (uint64_t) (p->now - c->taken_at) > p->max_age)
    return 0;
  if (p->rows_known && c->rows_known && p->rows != c->table_rows)
  {
    double was= (double) c->table_rows, now= (double) p->rows;
    double diff= was > now ? was - now : now - was;
    if (was == 0 || diff * 100.0 > was * PA_COLCACHE_DRIFT_PCT)
      return 0;
  }
  return 1;
}

/* One table in the cache: one block, names after the columns. */
struct pa_colcache_entry
{
  struct pa_colcache_entry *hnext;       /* hash chain */
  struct pa_colcache_entry *prev, *next; /* LRU: prev is more recent */
  uint64_t hash;
  size_t bytes;                          /* the block */
  const char *db, *table;
  unsigned char version[PA_COLCACHE_VERSION_BYTES];
  size_t version_len;
  int n;
  struct pa_colcache_col *cols;
};

#define PA_COLCACHE_BUCKETS 4096

struct pa_colcache
{
  struct pa_colcache_mem mem;
  size_t cap;
  struct pa_colcache_entry *buckets[PA_COLCACHE_BUCKETS];
  struct pa_colcache_entry *head, *tail; /* most, least recently used */
  struct pa_colcache_counters cnt;
};

struct pa_colcache *pa_colcache_new(const struct pa_colcache_mem *mem,
                                    size_t cap_bytes)
{
  struct pa_colcache *c= mem->alloc(mem->ctx, sizeof(*c));
  if (!c)
    return NULL;
  memset(c, 0, sizeof(*c));
  c->mem= *mem;
  c->cap= cap_bytes;
  return c;
}

static uint64_t key_hash(const struct pa_colcache_key *k)
{
  return pa_hash_str(pa_hash_str(PA_HASH_SEED, k->db), k->table);
}

static void unlink_lru(struct pa_colcache *c, struct pa_colcache_entry *e)
{
  if (e->prev)
    e->prev->next= e->next;
  else
    c->head= e->next;
  if (e->next)
    e->next->prev= e->prev;
  else
    c->tail= e->prev;
  e->prev= e->next= NULL;
}

static void push_front(struct pa_colcache *c, struct pa_colcache_entry *e)
{
  e->prev= NULL;
  e->next= c->head;
  if (c->head)
    c->head->prev= e;
  c->head= e;
  if (!c->tail)
    c->tail= e;
}

static void remove_entry(struct pa_colcache *c, struct pa_colcache_entry *e)
{
  struct pa_colcache_entry **p= &c->buckets[e->hash % PA_COLCACHE_BUCKETS];
  while (*p && *p != e)
    p= &(*p)->hnext;
  if (*p)
    *p= e->hnext;
  unlink_lru(c, e);
  c->cnt.bytes-= e->bytes;
  c->cnt.entries--;
  c->mem.free(c->mem.ctx, e);
}

void pa_colcache_free(struct pa_colcache *c)
{
  if (!c)
    return;
  while (c->head)
    remove_entry(c, c->head);
  c->mem.free(c->mem.ctx, c);
}

static struct pa_colcache_entry *find(struct pa_colcache *c,
                                      const struct pa_colcache_key *k,
                                      uint64_t h)
{
  struct pa_colcache_entry *e= c->buckets[h % PA_COLCACHE_BUCKETS];
  for (; e; e= e->hnext)
    if (e->hash == h && !strcmp(e->db, k->db) && !strcmp(e->table, k->table))
      return e;
  return NULL;
}

static int same_version(const struct pa_colcache_entry *e,
                        const struct pa_colcache_key *k)
{
  size_t n= k->version_len < PA_COLCACHE_VERSION_BYTES
                ? k->version_len
                : PA_COLCACHE_VERSION_BYTES;
  return e->version_len == n && (!n || !memcmp(e->version, k->version, n));
}

static const struct pa_colcache_col *
find_col(const struct pa_colcache_entry *e, const char *name)
{
  for (int i= 0; i < e->n; i++)
    if (!strcmp(e->cols[i].name, name))
      return &e->cols[i];
  return NULL;
}

int pa_colcache_get(struct pa_colcache *c, const struct pa_colcache_key *k,
                    const struct pa_colcache_policy *p,
                    const char *const *names, const int *need_width, int n,
                    struct pa_colcache_col *out, int *found)
{
  uint64_t h= key_hash(k);
  struct pa_colcache_entry *e= find(c, k, h);
  int hits= 0;
  if (e && !same_version(e, k))
  {
    remove_entry(c, e);
    e= NULL;
  }
  if (e)
  {
    unlink_lru(c, e);
    push_front(c, e);
  }
  for (int i= 0; i < n; i++)
  {
    const struct pa_colcache_col *col= e ? find_col(e, names[i]) : NULL;
    found[i]= col && col->has_stats && pa_colcache_fresh(col, p) &&
              (!need_width || !need_width[i] || col->has_width);
    if (found[i])
    {
      out[i]= *col;
      out[i].name= names[i];
      hits++;
    }
  }
  if (n > 0)
  {
    if (hits == n)
      c->cnt.hits++;
    else
      c->cnt.misses++;
  }
  return hits;
}

int pa_colcache_put(struct pa_colcache *c, const struct pa_colcache_key *k,
                    const struct pa_colcache_col *cols, int n)
{
  uint64_t h= key_hash(k);
  struct pa_colcache_entry *old= find(c, k, h), *e;
  const struct pa_colcache_col *keep[PA_COLCACHE_MAX_COLS];
  int n_keep= 0, total;
  size_t bytes, dbl= strlen(k->db) + 1, tl= strlen(k->table) + 1;
  char *s;

  if (n < 0 || n > PA_COLCACHE_MAX_COLS)
    return -1;
  if (old && !same_version(old, k))
  {
    remove_entry(c, old);
    old= NULL;
  }
  /* the old entry's columns that cols does not replace */
  for (int i= 0; old && i < old->n; i++)
  {
    int j;
    for (j= 0; j < n && strcmp(cols[j].name, old->cols[i].name); j++)
    {
    }
    if (j == n && n_keep + n < PA_COLCACHE_MAX_COLS)
      keep[n_keep++]= &old->cols[i];
  }
  total= n_keep + n;
  bytes= sizeof(*e) + (size_t) total * sizeof(struct pa_colcache_col) + dbl +
         tl;
  for (int i= 0; i < n_keep; i++)
    bytes+= strlen(keep[i]->name) + 1;
  for (int i= 0; i < n; i++)
    bytes+= strlen(cols[i].name) + 1;
  if (bytes > c->cap || !(e= c->mem.alloc(c->mem.ctx, bytes)))
  {
    if (old)
      remove_entry(c, old);
    return -1;
  }
  memset(e, 0, sizeof(*e));
  e->hash= h;
  e->bytes= bytes;
  e->n= total;
  e->cols= (struct pa_colcache_col *) (e + 1);
  s= (char *) (e->cols + total);
  memcpy(s, k->db, dbl);
  e->db= s;
  s+= dbl;
  memcpy(s, k->table, tl);
  e->table= s;
  s+= tl;
  e->version_len= k->version_len < PA_COLCACHE_VERSION_BYTES
                      ? k->version_len
                      : PA_COLCACHE_VERSION_BYTES;
  if (e->version_len)
    memcpy(e->version, k->version, e->version_len);
  for (int i= 0; i < total; i++)
  {
    const struct pa_colcache_col *src= i < n_keep ? keep[i] : &cols[i - n_keep];
    size_t l= strlen(src->name) + 1;
    e->cols[i]= *src;
    memcpy(s, src->name, l);
    e->cols[i].name= s;
    s+= l;
  }
  if (old)
    remove_entry(c, old);
  /* room for e: the least recently used go first */
  while (c->tail && c->cnt.bytes + bytes > c->cap)
  {
    remove_entry(c, c->tail);
    c->cnt.evictions++;
  }
  e->hnext= c->buckets[h % PA_COLCACHE_BUCKETS];
  c->buckets[h % PA_COLCACHE_BUCKETS]= e;
  push_front(c, e);
  c->cnt.bytes+= bytes;
  c->cnt.entries++;
  return 0;
}

void pa_colcache_counters(const struct pa_colcache *c,
                          struct pa_colcache_counters *out)
{
  *out= c->cnt;
}
