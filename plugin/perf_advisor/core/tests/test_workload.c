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


#define D(schema, text, count, avg_ms)                                       \
  {                                                                          \
    (schema), (text), sizeof(text) - 1, (count),                             \
        (uint64_t) ((avg_ms) * 1000000000.0)                                 \
  }

static void test_attribution(void)
{
  static const struct pa_digest_stat digests[]= {
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
  struct pa_table_workload t;
  size_t first, last;

  CHECK(pa_workload_build(&w, digests, 7, 0, &a) == 0);

  /* threshold 1 s */
  pa_workload_table(&w, "erp", "tabSales Invoice", 1000000000000ULL, &t);
  CHECK(t.known);
  CHECK(t.slow_digests == 1);
  CHECK_NEAR(t.worst_avg_ms, 1500.0, 1e-6);

  /* threshold 0: every digest naming the table */
  pa_workload_table(&w, "erp", "tabSales Invoice", 0, &t);
  CHECK(t.slow_digests == 2);
  pa_workload_table(&w, "erp", "tabCustomer", 0, &t);
  CHECK(t.slow_digests == 1);
  CHECK_NEAR(t.worst_avg_ms, 200.0, 1e-6);

  /* qualified name wins over the default schema */
  pa_workload_table(&w, "erp", "tabGL Entry", 0, &t);
  CHECK(t.slow_digests == 1);
  pa_workload_table(&w, "other", "tabGL Entry", 0, &t);
  CHECK(t.slow_digests == 0);
  CHECK_NEAR(t.worst_avg_ms, 0.0, 1e-12);

  /* no schema at all: cannot be attributed */
  pa_workload_table(&w, "erp", "orphan", 0, &t);
  CHECK(t.slow_digests == 0);

  /* self-join counts once */
  pa_workload_find(&w, "erp", "tabItem", &first, &last);
  CHECK(last - first == 1);
  pa_workload_table(&w, "erp", "tabItem", 0, &t);
  CHECK(t.slow_digests == 1);

  /* UPDATE target and subquery table */
  pa_workload_table(&w, "erp", "tabStock Ledger Entry", 0, &t);
  CHECK(t.slow_digests == 1);
  pa_workload_table(&w, "erp", "tabBin", 0, &t);
  CHECK(t.slow_digests == 1);
  /* threshold is "exceeds": equal is not slow */
  pa_workload_table(&w, "erp", "tabBin", 50000000000ULL, &t);
  CHECK(t.slow_digests == 0);

  /* case-sensitive by default */
  pa_workload_table(&w, "erp", "tabsales invoice", 0, &t);
  CHECK(t.slow_digests == 0);
  pa_workload_table(&w, "ERP", "tabSales Invoice", 0, &t);
  CHECK(t.slow_digests == 0);
  arena_free(&ar);

  /* lower_case_table_names: folded */
  CHECK(pa_workload_build(&w, digests, 7, 1, &a) == 0);
  pa_workload_table(&w, "ERP", "tabsales invoice", 0, &t);
  CHECK(t.slow_digests == 2);
  arena_free(&ar);
}

static void test_edges(void)
{
  struct arena ar= PA_TEST_ARENA_INIT;
  struct pa_alloc a= {arena_alloc, &ar};
  struct pa_workload w;
  struct pa_table_workload t;
  static const struct pa_digest_stat one[]= {
      D("db", "SELECT * FROM `t`", 1, 10)};
  struct pa_digest_stat bad[2];

  /* no digests */
  CHECK(pa_workload_build(&w, NULL, 0, 0, &a) == 0);
  pa_workload_table(&w, "db", "t", 0, &t);
  CHECK(t.known && t.slow_digests == 0);

  /* NULL text is skipped */
  memset(bad, 0, sizeof(bad));
  bad[1]= one[0];
  CHECK(pa_workload_build(&w, bad, 2, 0, &a) == 0);
  pa_workload_table(&w, "db", "t", 0, &t);
  CHECK(t.slow_digests == 1);
  arena_free(&ar);

  /* every allocation failure point leaves an empty, valid index */
  for (int k= 0; k < 4; k++)
  {
    int rc;
    ar.fail_after= k;
    rc= pa_workload_build(&w, one, 1, 0, &a);
    pa_workload_table(&w, "db", "t", 0, &t);
    CHECK(rc == -1 || rc == 0);
    CHECK(rc == 0 ? t.slow_digests == 1 : t.slow_digests == 0);
    arena_free(&ar);
  }
}

static void test_hints(void)
{
  static const struct pa_digest_stat digests[]= {
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

int main(void)
{
  test_hints();
  test_attribution();
  test_edges();
  return PA_TEST_END("test_workload");
}
