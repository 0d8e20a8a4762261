/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  The allocator behind struct pa_alloc that the core's unit tests and
  fuzzers use (the server uses its MEM_ROOT, pa_root_alloc()).  Header only:
  a fuzzer includes it as "tests/pa_arena.h" with nothing else to link.
*/
#ifndef PA_ARENA_H
#define PA_ARENA_H

#include <stdlib.h>

/*
  A malloc-backed arena behind struct pa_alloc: every block is kept and
  freed at once by arena_free().  fail_after >= 0 makes the allocation
  after that many fail (for out-of-memory paths).  Initialize with
  PA_TEST_ARENA_INIT.
*/
struct arena
{
  void **blocks;
  int n, cap;
  int fail_after;
};

#define PA_TEST_ARENA_INIT {NULL, 0, 0, -1}

static inline void *arena_alloc(void *ctx, size_t bytes)
{
  struct arena *a= ctx;
  void *p;
  if (a->fail_after >= 0 && a->n >= a->fail_after)
    return NULL;
  if (a->n == a->cap)
  {
    int cap= a->cap ? a->cap * 2 : 256;
    void **b= realloc(a->blocks, (size_t) cap * sizeof(*b));
    if (!b)
      return NULL;
    a->blocks= b;
    a->cap= cap;
  }
  if ((p= malloc(bytes ? bytes : 1)))
    a->blocks[a->n++]= p;
  return p;
}

/* Free every block; the arena can be used again. */
static inline void arena_free(struct arena *a)
{
  while (a->n > 0)
    free(a->blocks[--a->n]);
  free(a->blocks);
  a->blocks= NULL;
  a->cap= 0;
}

#endif
