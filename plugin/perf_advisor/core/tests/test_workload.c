/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of pa_workload: digests attributed to the tables they name,
  schema resolution, de-duplication, thresholds and allocation failure.
*/
#include "pa_workload.h"
#include "pa_test.h"

#include <stdlib.h>


/* A digest as pa_workload reads it (schema, text, text_len), with the
   count and average the slow-statement figures use. */
#define D(sch, txt, count, avg_ms)                                           \
  {                                                                          \
    .schema= (sch), .text= (txt), .text_len= sizeof(txt) - 1,                \
    .exec_count= (count), .avg_ps= (uint64_t) ((avg_ms) * 1000000000.0)      \
  }

/*
  The digests attributed to schema.name (pa_workload_find()) whose average
  exceeds threshold_ps (pa_workload_slow()), and in *worst_ms the highest
  such average.
*/
static uint64_t slow(const struct pa_workload *w, const char *schema,
                     const char *name, uint64_t threshold_ps,
                     double *worst_ms)
{
  size_t first, last, n= 0;
  uint64_t avg[16];
  struct pa_table_workload t;
  pa_workload_find(w, schema, name, &first, &last);
  for (size_t i= first; i < last && n < 16; i++)
    avg[n++]= w->digests[w->refs[i].digest].avg_ps;
  pa_workload_slow(avg, n, threshold_ps, &t);
  *worst_ms= t.worst_avg_ms;
  return t.slow_digests;
}

static void test_attribution(void)
{
  static const struct pa_digest digests[]= {
      D("erp", "SELECT * FROM `tabSales Invoice` WHERE `customer` = ?", 10,
        1500),
      D("erp",
        "SELECT `si` . `name` FROM `tabSales Invoice` `si` JOIN "
        "`tabCustomer` `c` ON `c` . `name` = `si` . `customer`",
        3, 200),
      D("other", "SELECT * FROM `erp` . `tabGL Entry` WHERE `account` = ?", 1,
        2500),
      D(NULL, "SELECT * FROM `orphan`", 5, 9000),
      D("erp",
        "SELECT * FROM `tabItem` `a` JOIN `tabItem` `b` ON `a` . `variant_of` "
        "= `b` . `name`",
        2, 3000),
      D("erp",
        "UPDATE `tabStock Ledger Entry` SET `qty` = ? WHERE `name` IN ( "
        "SELECT `name` FROM `tabBin` )",
        1, 50),
      D("erp", "SHOW TABLES", 100, 5000)};
  struct arena ar= PA_TEST_ARENA_INIT;
  struct pa_alloc a= {arena_alloc, &ar};
  struct pa_workload w;
  double worst;
  size_t first, last;

  CHECK(pa_workload_build(&w, digests, 7, 0, &a) == 0);
  /* the caller's digests, pointed at, not copied */
  CHECK(w.digests == digests && w.n_digests == 7);

  /* threshold 1 s */
  CHECK(slow(&w, "erp", "tabSales Invoice", 1000000000000ULL, &worst) == 1);
  CHECK_NEAR(worst, 1500.0, 1e-6);

  /* threshold 0: every digest naming the table */
  CHECK(slow(&w, "erp", "tabSales Invoice", 0, &worst) == 2);
  CHECK(slow(&w, "erp", "tabCustomer", 0, &worst) == 1);
  CHECK_NEAR(worst, 200.0, 1e-6);

  /* qualified name wins over the default schema */
  CHECK(slow(&w, "erp", "tabGL Entry", 0, &worst) == 1);
  CHECK(slow(&w, "other", "tabGL Entry", 0, &worst) == 0);
  CHECK_NEAR(worst, 0.0, 1e-12);

  /* no schema at all: cannot be attributed */
  CHECK(slow(&w, "erp", "orphan", 0, &worst) == 0);

  /* self-join counts once */
  pa_workload_find(&w, "erp", "tabItem", &first, &last);
  CHECK(last - first == 1);
  CHECK(slow(&w, "erp", "tabItem", 0, &worst) == 1);

  /* UPDATE target and subquery table */
  CHECK(slow(&w, "erp", "tabStock Ledger Entry", 0, &worst) == 1);
  CHECK(slow(&w, "erp", "tabBin", 0, &worst) == 1);
  /* threshold is "exceeds": equal is not slow */
  CHECK(slow(&w, "erp", "tabBin", 50000000000ULL, &worst) == 0);

  /* case-sensitive by default */
  CHECK(slow(&w, "erp", "tabsales invoice", 0, &worst) == 0);
  CHECK(slow(&w, "ERP", "tabSales Invoice", 0, &worst) == 0);
  arena_free(&ar);

  /* lower_case_table_names: folded */
  CHECK(pa_workload_build(&w, digests, 7, 1, &a) == 0);
  CHECK(slow(&w, "ERP", "tabsales invoice", 0, &worst) == 2);
  arena_free(&ar);
}

static void test_edges(void)
{
  struct arena ar= PA_TEST_ARENA_INIT;
  struct pa_alloc a= {arena_alloc, &ar};
  struct pa_workload w;
  double worst;
  static const struct pa_digest one[]= {
      D("db", "SELECT * FROM `t`", 1, 10)};
  struct pa_digest bad[2];

  /* no digests */
  CHECK(pa_workload_build(&w, NULL, 0, 0, &a) == 0);
  CHECK(slow(&w, "db", "t", 0, &worst) == 0);

  /* NULL text is skipped */
  memset(bad, 0, sizeof(bad));
  bad[1]= one[0];
  CHECK(pa_workload_build(&w, bad, 2, 0, &a) == 0);
  CHECK(slow(&w, "db", "t", 0, &worst) == 1);
  arena_free(&ar);

  /* every allocation failure point leaves an empty, valid index */
  for (int k= 0; k < 4; k++)
  {
    int rc;
    ar.fail_after= k;
    rc= pa_workload_build(&w, one, 1, 0, &a);
    CHECK(rc == -1 || rc == 0);
    CHECK(slow(&w, "db", "t", 0, &worst) == (rc == 0 ? 1u : 0u));
    arena_free(&ar);
  }
}

static void test_hints(void)
{
  static const struct pa_digest digests[]= {
      D("erp",
        "SELECT * FROM `tabItem` FORCE INDEX ( `item_group` ) WHERE "
        "`item_group` = ?",
        4, 1),
      D("erp",
        "SELECT * FROM `other` . `t` `x` USE INDEX FOR ORDER BY ( `k1` , "
        "PRIMARY ) ORDER BY `a`",
        1, 1),
      D(NULL, "SELECT * FROM `t` IGNORE INDEX ( `k` )", 1, 1)};
  struct arena ar= PA_TEST_ARENA_INIT;
  struct pa_alloc a= {arena_alloc, &ar};
  struct pa_workload w;

  CHECK(pa_workload_build(&w, digests, 3, 0, &a) == 0);
  CHECK(w.n_hints == 3);
  CHECK_STR(w.hints[0].schema, "erp");
  CHECK_STR(w.hints[0].name, "tabItem");
  CHECK_STR(w.hints[0].index, "item_group");
  CHECK_STR(w.hints[1].schema, "other");
  CHECK_STR(w.hints[1].name, "t");
  CHECK_STR(w.hints[1].index, "k1");
  CHECK_STR(w.hints[2].index, "PRIMARY");
  arena_free(&ar);
}

static void test_slow(void)
{
  static const uint64_t avg[]= {5, 1000, 0, 999, 1000, 2000000000000ULL};
  struct pa_table_workload t;
  t.known= 7; /* the caller's: left as it is */
  pa_workload_slow(avg, 6, 999, &t);
  CHECK(t.known == 7);
  CHECK(t.slow_digests == 3);
  CHECK_NEAR(t.worst_avg_ms, 2000.0, 1e-9);
  /* "exceeds": equal is not slow */
  pa_workload_slow(avg, 6, 1000, &t);
  CHECK(t.slow_digests == 1);
  /* threshold 0: every digest that took any time */
  pa_workload_slow(avg, 6, 0, &t);
  CHECK(t.slow_digests == 5);
  pa_workload_slow(avg, 6, UINT64_MAX, &t);
  CHECK(t.slow_digests == 0 && t.worst_avg_ms == 0);
  pa_workload_slow(NULL, 0, 0, &t);
  CHECK(t.slow_digests == 0 && t.worst_avg_ms == 0);
}

int main(void)
{
  test_slow();
  test_hints();
  test_attribution();
  test_edges();
  return PA_TEST_END("test_workload");
}
