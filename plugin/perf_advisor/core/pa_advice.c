/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: recommendations list.
*/
#include "pa_advice.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>

void pa_rec_list_init(struct pa_rec_list *l, const struct pa_alloc *a)
{
  memset(l, 0, sizeof(*l));
  l->a= a;
}

struct pa_rec *pa_rec_new(struct pa_rec_list *l)
{
  struct pa_rec *r;
  if (l->oom)
    return NULL;
  if (l->n == l->cap)
  {
    size_t cap= l->cap ? l->cap * 2 : 32;
    struct pa_rec *n= l->a->alloc(l->a->ctx, cap * sizeof(*n));
    if (!n)
    {
      l->oom= 1;
      return NULL;
    }
    if (l->n)
      memcpy(n, l->recs, l->n * sizeof(*n));
    l->recs= n;
    l->cap= cap;
  }
  r= &l->recs[l->n++];
  memset(r, 0, sizeof(*r));
  return r;
}

void pa_rec_set_id(struct pa_rec *r, const char *type, ...)
{
  va_list ap;
  const char *s;
  uint64_t h= pa_hash_str(PA_HASH_SEED, type);
  va_start(ap, type);
  while ((s= va_arg(ap, const char *)))
    h= pa_hash_str(h, s);
  va_end(ap);
  snprintf(r->id, sizeof(r->id), "%016" PRIx64, h);
  r->type= type;
}

static int rec_cmp(const void *pa, const void *pb)
{
  const struct pa_rec *a= pa, *b= pb;
  if (a->priority != b->priority)
    return a->priority < b->priority ? -1 : 1;
  if (a->benefit != b->benefit)
    return a->benefit > b->benefit ? -1 : 1;
  return strcmp(a->id, b->id);
}

void pa_rec_sort(struct pa_rec_list *l)
{
  if (l->n > 1)
    qsort(l->recs, l->n, sizeof(*l->recs), rec_cmp);
}

const char *pa_priority_name(enum pa_priority p)
{
  switch (p)
  {
  case PA_PRIO_HIGH:
    return "high";
  case PA_PRIO_MEDIUM:
    return "medium";
  case PA_PRIO_LOW:
    break;
  }
  return "low";
}
