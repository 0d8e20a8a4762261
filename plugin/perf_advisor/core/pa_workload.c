/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: statement digests attributed to tables.
*/
#include "pa_workload.h"
#include "pa_digest.h"
#include "pa_text.h"

#include <stdlib.h>
#include <string.h>

/* Names compare as the server's lower_case_table_names says: exactly, or
   with ASCII case folded. */
static int fold_cmp(const char *a, const char *b, int fold)
{
  return fold ? pa_ascii_icmp(a, b) : strcmp(a, b);
}

static int ref_cmp_names(const struct pa_workload_ref *r, const char *schema,
                         const char *name, int fold)
{
  int c= fold_cmp(r->schema, schema, fold);
  return c ? c : fold_cmp(r->name, name, fold);
}

/* By schema, name (ASCII case folded when fold), then digest. */
static int ref_cmp(const struct pa_workload_ref *a,
                   const struct pa_workload_ref *b, int fold)
{
  int c= ref_cmp_names(a, b->schema, b->name, fold);
  if (c)
    return c;
  return a->digest < b->digest ? -1 : a->digest > b->digest;
}

/* qsort has no context argument: one comparator per mode. */
static int ref_cmp_exact(const void *a, const void *b)
{
  return ref_cmp(a, b, 0);
}

static int ref_cmp_folded(const void *a, const void *b)
{
  return ref_cmp(a, b, 1);
}

int pa_workload_build(struct pa_workload *w,
                      const struct pa_digest *digests, size_t n,
                      int fold_case, const struct pa_alloc *a)
{
  struct pa_digest_scratch *sc;
  const struct pa_digest_analysis *an;
  size_t cap, i, out;

  memset(w, 0, sizeof(*w));
  w->digests= digests;
  w->fold_case= fold_case;
  if (n == 0)
    return 0;
  if (n > SIZE_MAX / PA_DIGEST_MAX_TABLES ||
      n > SIZE_MAX / PA_DIGEST_MAX_HINTS)
    return -1;
  cap= n * PA_DIGEST_MAX_TABLES;
  sc= a->alloc(a->ctx, sizeof(*sc));
  an= sc ? &sc->an : NULL;
  w->refs= pa_alloc_array(a, cap, sizeof(*w->refs));
  w->hints= pa_alloc_array(a, n * PA_DIGEST_MAX_HINTS, sizeof(*w->hints));
  if (!sc || !w->refs || !w->hints)
  {
    w->refs= NULL;
    w->hints= NULL;
    return -1;
  }

  for (i= 0; i < n; i++)
  {
    int t;
    if (!digests[i].text ||
        pa_digest_analyze(digests[i].text, digests[i].text_len, sc))
      continue;
    for (t= 0; t < an->n_tables; t++)
    {
      struct pa_workload_ref *r= &w->refs[w->n_refs];
      const char *schema= an->tables[t].schema[0] ? an->tables[t].schema
                                                   : digests[i].schema;
      if (!schema || !schema[0] || !an->tables[t].name[0])
        continue;
      r->schema= pa_strdup(a, schema);
      r->name= pa_strdup(a, an->tables[t].name);
      if (!r->schema || !r->name)
      {
        w->n_refs= w->n_hints= 0;
        w->refs= NULL;
        w->hints= NULL;
        return -1;
      }
      r->digest= i;
      w->n_refs++;
    }
    for (t= 0; t < an->n_hints; t++)
    {
      const struct pa_digest_table *ht= &an->tables[an->hints[t].table];
      struct pa_workload_hint *h= &w->hints[w->n_hints];
      const char *schema= ht->schema[0] ? ht->schema : digests[i].schema;
      if (!schema || !schema[0] || !ht->name[0])
        continue;
      h->schema= pa_strdup(a, schema);
      h->name= pa_strdup(a, ht->name);
      h->index= pa_strdup(a, an->hints[t].index);
      if (!h->schema || !h->name || !h->index)
      {
        w->n_refs= w->n_hints= 0;
        w->refs= NULL;
        w->hints= NULL;
        return -1;
      }
      w->n_hints++;
    }
  }
  w->n_digests= n;

  qsort(w->refs, w->n_refs, sizeof(*w->refs),
        fold_case ? ref_cmp_folded : ref_cmp_exact);
  /* A table named twice in one digest (self-join, two aliases) counts once. */
  for (i= 0, out= 0; i < w->n_refs; i++)
  {
    if (out > 0 && w->refs[out - 1].digest == w->refs[i].digest &&
        !ref_cmp_names(&w->refs[out - 1], w->refs[i].schema, w->refs[i].name,
                       fold_case))
      continue;
    w->refs[out++]= w->refs[i];
  }
  w->n_refs= out;
  return 0;
}

void pa_workload_find(const struct pa_workload *w, const char *schema,
                      const char *name, size_t *first, size_t *last)
{
  size_t lo= 0, hi= w->n_refs;
  /* lower bound */
  while (lo < hi)
  {
    size_t mid= lo + (hi - lo) / 2;
    if (ref_cmp_names(&w->refs[mid], schema, name, w->fold_case) < 0)
      lo= mid + 1;
    else
      hi= mid;
  }
  *first= lo;
  hi= w->n_refs;
  while (lo < hi)
  {
    size_t mid= lo + (hi - lo) / 2;
    if (ref_cmp_names(&w->refs[mid], schema, name, w->fold_case) <= 0)
      lo= mid + 1;
    else
      hi= mid;
  }
  *last= lo;
}

void pa_workload_slow(const uint64_t *avg_ps, size_t n, uint64_t threshold_ps,
                      struct pa_table_workload *out)
{
  uint64_t worst_ps= 0;
  out->slow_digests= 0;
  for (size_t i= 0; i < n; i++)
  {
    if (avg_ps[i] <= threshold_ps)
      continue;
    out->slow_digests++;
    if (avg_ps[i] > worst_ps)
      worst_ps= avg_ps[i];
  }
  out->worst_avg_ms= (double) worst_ps / 1e9;
}
