/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Whether two digest analyses hold the same thing, field by field, for the
  unit tests and the digest fuzzer (pa_digest_analysis_copy() against its
  original).  Header only: a fuzzer includes it as "tests/pa_digest_same.h"
  with nothing else to link.
*/
#ifndef PA_DIGEST_SAME_H
#define PA_DIGEST_SAME_H

#include "pa_digest.h"

#include <string.h>

/* 1 when x and y have the same scalars and counts and equal entries up to
   their counts (identifiers compared as strings), else 0. */
static inline int pa_digest_same(const struct pa_digest_analysis *x,
                                 const struct pa_digest_analysis *y)
{
  int i;
  if (x->kind != y->kind || x->n_tables != y->n_tables ||
      x->n_columns != y->n_columns || x->n_joins != y->n_joins ||
      x->flags != y->flags || x->n_hints != y->n_hints)
    return 0;
  for (i= 0; i < x->n_tables; i++)
    if (strcmp(x->tables[i].schema, y->tables[i].schema) ||
        strcmp(x->tables[i].name, y->tables[i].name) ||
        strcmp(x->tables[i].alias, y->tables[i].alias))
      return 0;
  for (i= 0; i < x->n_columns; i++)
  {
    const struct pa_digest_column *a= &x->columns[i], *b= &y->columns[i];
    if (a->table != b->table || a->qualified != b->qualified ||
        strcmp(a->name, b->name) || a->use != b->use || a->desc != b->desc ||
        a->ordinal != b->ordinal || a->in_or != b->in_or)
      return 0;
  }
  for (i= 0; i < x->n_hints; i++)
    if (x->hints[i].table != y->hints[i].table ||
        strcmp(x->hints[i].index, y->hints[i].index) ||
        x->hints[i].kind != y->hints[i].kind)
      return 0;
  return 1;
}

#endif
