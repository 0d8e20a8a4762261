/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: the workload-level choice of new indexes.  See
  pa_select.h.
*/
#include "pa_select.h"

#include <math.h>
#include <stdlib.h>

/* Pages a segment of `used` pages holds, allocated as described in
   pa_select.h. */
static double allocated(double used, unsigned extent_pages)
{
  if (extent_pages == 0 || used <= PA_SELECT_FRAGMENT_PAGES)
    return used;
  return PA_SELECT_FRAGMENT_PAGES +
         ceil((used - PA_SELECT_FRAGMENT_PAGES) / extent_pages) *
             extent_pages;
}

double pa_select_index_bytes(uint64_t rows, double key_bytes, int clustered,
                             double pk_bytes, double page_bytes, double fill,
                             unsigned extent_pages)
{
  double entry, per_page, leaves, upper= 0, level;

  if (!(page_bytes > 0) || !(fill > 0) || fill > 1 || !(key_bytes >= 0) ||
      !(pk_bytes >= 0))
    return 0;
  entry= key_bytes + (clustered ? pk_bytes : PA_SELECT_ROW_POINTER) +
         PA_SELECT_ENTRY_OVERHEAD;
  per_page= floor(page_bytes * fill / entry);
  if (per_page < 2)
    per_page= 2; /* a B-tree page holds at least two entries */
  leaves= ceil((double) rows / per_page);
  if (leaves < 1)
    leaves= 1;
  /* the levels above: one entry per page below, until one root page */
  for (level= leaves; level > 1;)
  {
    level= ceil(level / per_page);
    upper+= level;
  }
  return (allocated(leaves, extent_pages) + allocated(upper, extent_pages)) *
         page_bytes;
}

double pa_select_saved_ps(const struct pa_missing_proposal *p, int *ideal)
{
  double cut, now, floor_rows;

  if (ideal)
    *ideal= 0;
  if (!p || p->rows_examined == 0)
    return 0;
  if (p->est_rows_per_exec >= 0 && p->now_rows_per_exec > 0)
  {
    now= p->now_rows_per_exec;
    cut= p->est_rows_per_exec < now ? 1.0 - p->est_rows_per_exec / now : 0;
  }
  else
  {
    floor_rows= (double) (p->rows_sent > p->exec_count ? p->rows_sent
                                                       : p->exec_count);
    cut= floor_rows < (double) p->rows_examined
             ? 1.0 - floor_rows / (double) p->rows_examined
             : 0;
    if (ideal)
      *ideal= 1;
  }
  return (double) p->sum_ps * cut;
}

const char *pa_select_verdict_name(enum pa_select_verdict v)
{
  switch (v)
  {
  case PA_SELECT_CHOSEN:
    return "chosen";
  case PA_SELECT_NO_NET_GAIN:
    return "no_net_gain";
  case PA_SELECT_OVER_BUDGET:
    return "over_budget";
  }
  return "chosen";
}

struct density
{
  double net_per_byte;
  size_t pos;
};

static int cmp_density(const void *a, const void *b)
{
  const struct density *x= a, *y= b;
  if (x->net_per_byte != y->net_per_byte)
    return x->net_per_byte > y->net_per_byte ? -1 : 1;
  return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* A figure as the selection reads it: negative and NaN count as 0. */
static double nonneg(double v)
{
  return v > 0 ? v : 0;
}

long pa_select_indexes(struct pa_select_item *items, size_t n,
                       double budget_bytes, const struct pa_alloc *a)
{
  struct density *order;
  size_t k= 0, i;
  double left= nonneg(budget_bytes);
  long chosen= 0;

  if ((!items && n > 0) || !a)
    return -1;
  if (n == 0)
    return 0;
  if (!(order= pa_alloc_array(a, n, sizeof(*order))))
    return -1;
  for (i= 0; i < n; i++)
  {
    double net= nonneg(items[i].saved_ps) - nonneg(items[i].write_ps);
    double bytes= items[i].bytes > 0 ? items[i].bytes : 1;
    if (!(net > 0))
    {
      items[i].verdict= PA_SELECT_NO_NET_GAIN;
      continue;
    }
    order[k].net_per_byte= net / bytes;
    order[k++].pos= i;
  }
  qsort(order, k, sizeof(*order), cmp_density);
  for (i= 0; i < k; i++)
  {
    struct pa_select_item *it= &items[order[i].pos];
    double bytes= it->bytes > 0 ? it->bytes : 1;
    if (budget_bytes > 0 && bytes > left)
    {
      it->verdict= PA_SELECT_OVER_BUDGET;
      continue;
    }
    if (budget_bytes > 0)
      left-= bytes;
    it->verdict= PA_SELECT_CHOSEN;
    chosen++;
  }
  return chosen;
}
