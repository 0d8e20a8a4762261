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

#include "pa_arena.h"

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
