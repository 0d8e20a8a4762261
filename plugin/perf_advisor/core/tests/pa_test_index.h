/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit-test helper shared by the tests that build table definitions by
  hand: append a one- or two-column B-tree index to def.
*/
#ifndef PA_TEST_INDEX_H
#define PA_TEST_INDEX_H

#include <string.h>

#include "pa_index.h"

/* Appends index name on c1 (and c2 when not NULL) to def; a PRIMARY is
   unique too.  Returns it. */
static inline struct pa_index_def *add_index(struct pa_table_def *def,
                                             const char *name, int primary,
                                             int unique, const char *c1,
                                             const char *c2)
{
  struct pa_index_def *d= &def->indexes[def->n_indexes++];
  memset(d, 0, sizeof(*d));
  strcpy(d->name, name);
  d->is_primary= primary;
  d->is_unique= unique || primary;
  strcpy(d->cols[0].name, c1);
  d->n_cols= 1;
  if (c2)
  {
    strcpy(d->cols[1].name, c2);
    d->n_cols= 2;
  }
  return d;
}

#endif
