/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Minimal assertion harness for the core unit tests: every CHECK counts,
  a failure prints its place and expression, and PA_TEST_END() prints
  "<name>: N passed, N failed" and returns non-zero on any failure.
*/
#ifndef PA_TEST_H
#define PA_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

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

static int pa_test_passed, pa_test_failed;

#define CHECK(expr)                                                          \
  do                                                                         \
  {                                                                          \
    if (expr)                                                                \
      pa_test_passed++;                                                      \
    else                                                                     \
    {                                                                        \
      pa_test_failed++;                                                      \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,      \
              #expr);                                                        \
    }                                                                        \
  } while (0)

#define CHECK_STR(a, b) CHECK(strcmp((a), (b)) == 0)
#define CHECK_NEAR(a, b, eps) CHECK(fabs((double) (a) - (double) (b)) <= (eps))

#define PA_TEST_END(name)                                                    \
  (printf("%s: %d passed, %d failed\n", (name), pa_test_passed,              \
          pa_test_failed),                                                   \
   pa_test_failed != 0)

#endif
