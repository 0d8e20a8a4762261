/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: statement digests attributed to the tables they touch.

  Digests carry no table column, so every digest text is tokenized once
  (pa_digest) and each table reference becomes one (schema, table, digest)
  entry of a sorted index; a per-table question is then a binary search.
  Cost: O(D log D) to build for D digests, O(log D) per table.
*/
#ifndef PA_WORKLOAD_H
#define PA_WORKLOAD_H

#include "pa_types.h"

struct pa_workload_ref
{
  const char *schema;       /* resolved schema of the referenced table */
  const char *name;         /* table name */
  size_t digest;            /* index into the digest array */
};

/* An index named in an index hint of some digest. */
struct pa_workload_hint
{
  const char *schema;       /* resolved schema of the hinted table */
  const char *name;         /* table name */
  const char *index;        /* index name as written ("PRIMARY" for it) */
};

struct pa_workload
{
  const struct pa_digest *digests;  /* the caller's array; refs[].digest
                                       is a position in it */
  size_t n_digests;
  struct pa_workload_ref *refs;   /* sorted by schema, name, digest; unique */
  size_t n_refs;
  struct pa_workload_hint *hints; /* in digest order; may repeat */
  size_t n_hints;
  int fold_case;                  /* compare names ASCII case-insensitively */
};

/*
  Index n digests; only their schema, text and text_len are read, and a
  digest whose text is NULL is skipped.  `digests` must outlive `w`: w
  points into it; names are copied into memory from `a`.  fold_case: 1
  when the server runs with lower_case_table_names != 0.  A reference
  without a schema, in a digest without a default schema, cannot be
  attributed and is skipped.  Returns 0, or -1 when `a` fails (w is then
  empty but valid).
*/
int pa_workload_build(struct pa_workload *w,
                      const struct pa_digest *digests, size_t n,
                      int fold_case, const struct pa_alloc *a);

/*
  The slow-statement figures of one table from the average latencies of
  its digests, avg_ps[0 .. n - 1] (picoseconds; NULL when n is 0): how
  many exceed threshold_ps, and the highest such average in milliseconds
  (0: none).  out->known is the caller's to set.
*/
void pa_workload_slow(const uint64_t *avg_ps, size_t n, uint64_t threshold_ps,
                      struct pa_table_workload *out);

/*
  First and one-past-last positions in w->refs of the entries for
  schema.name; equal when none.
*/
void pa_workload_find(const struct pa_workload *w, const char *schema,
                      const char *name, size_t *first, size_t *last);

#endif
