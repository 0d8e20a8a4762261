/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of pa_table: ratio and percentage edge cases, source choice,
  userstat derivations and performance_schema setup_objects precedence.
*/
#include "pa_table.h"
#include "pa_test.h"

static struct pa_table_facts facts(uint64_t data, uint64_t index,
                                   uint64_t data_free)
{
  struct pa_table_facts f;
  memset(&f, 0, sizeof(f));
  f.sizes_known= 1;
  f.data_length= data;
  f.index_length= index;
  f.data_free= data_free;
  return f;
}

static void test_metrics(void)
{
  struct pa_table_metrics m;
  struct pa_table_facts f;

  /* ordinary */
  f= facts(1000, 300, 0);
  pa_table_compute(&f, &m);
  CHECK(m.ratio_known);
  CHECK_NEAR(m.index_to_data_ratio, 0.3, 1e-12);
  CHECK(m.frag_known);
  CHECK_NEAR(m.fragmentation_pct, 0.0, 1e-12);

  /* fragmentation: free / (data + free) */
  f= facts(3000, 0, 1000);
  pa_table_compute(&f, &m);
  CHECK_NEAR(m.fragmentation_pct, 25.0, 1e-12);
  CHECK_NEAR(m.index_to_data_ratio, 0.0, 1e-12);

  /* data_length 0: ratio unknown (NULL), fragmentation from free alone */
  f= facts(0, 16384, 0);
  pa_table_compute(&f, &m);
  CHECK(!m.ratio_known);
  CHECK(!m.frag_known);
  f= facts(0, 0, 4096);
  pa_table_compute(&f, &m);
  CHECK(!m.ratio_known);
  CHECK(m.frag_known);
  CHECK_NEAR(m.fragmentation_pct, 100.0, 1e-12);

  /* no sizes from the engine: everything unknown, nothing computed */
  f= facts(1000, 1000, 1000);
  f.sizes_known= 0;
  pa_table_compute(&f, &m);
  CHECK(!m.ratio_known);
  CHECK(!m.frag_known);

  /* 2^63-scale values: no overflow of data + free, ratios stay exact-ish */
  f= facts(UINT64_MAX, UINT64_MAX, UINT64_MAX);
  pa_table_compute(&f, &m);
  CHECK_NEAR(m.index_to_data_ratio, 1.0, 1e-12);
  CHECK_NEAR(m.fragmentation_pct, 50.0, 1e-9);
  f= facts((uint64_t) 1 << 63, (uint64_t) 1 << 62, (uint64_t) 1 << 63);
  pa_table_compute(&f, &m);
  CHECK_NEAR(m.index_to_data_ratio, 0.5, 1e-12);
  CHECK_NEAR(m.fragmentation_pct, 50.0, 1e-9);
  f= facts(1, UINT64_MAX, 0);
  pa_table_compute(&f, &m);
  CHECK(m.index_to_data_ratio > 1e19);
  CHECK(m.fragmentation_pct >= 0.0 && m.fragmentation_pct <= 100.0);
}

static void test_sources(void)
{
  CHECK_STR(pa_stats_source_name(PA_SRC_PFS), "performance_schema");
  CHECK_STR(pa_stats_source_name(PA_SRC_USERSTAT), "userstat");
  CHECK_STR(pa_stats_source_name(PA_SRC_NONE), "none");
  CHECK_STR(pa_stats_source_name((enum pa_stats_source) 42), "none");

  CHECK(pa_stats_choose(1, 1, 1) == PA_SRC_PFS);
  CHECK(pa_stats_choose(1, 1, 0) == PA_SRC_PFS);
  /* performance_schema on but the table I/O instrument disabled */
  CHECK(pa_stats_choose(1, 0, 1) == PA_SRC_USERSTAT);
  CHECK(pa_stats_choose(1, 0, 0) == PA_SRC_NONE);
  CHECK(pa_stats_choose(0, 1, 0) == PA_SRC_NONE);
  CHECK(pa_stats_choose(0, 0, 1) == PA_SRC_USERSTAT);
  CHECK(pa_stats_choose(0, 0, 0) == PA_SRC_NONE);
}

static void test_userstat(void)
{
  uint64_t acc;
  CHECK(pa_userstat_full_scan_reads(100, 40) == 60);
  CHECK(pa_userstat_full_scan_reads(100, 100) == 0);
  CHECK(pa_userstat_full_scan_reads(10, 40) == 0);   /* racing hashes */
  CHECK(pa_userstat_full_scan_reads(UINT64_MAX, 0) == UINT64_MAX);

  acc= 5;
  acc= pa_sat_add(acc, 7);
  CHECK(acc == 12);
  acc= UINT64_MAX - 1;
  acc= pa_sat_add(acc, 7);
  CHECK(acc == UINT64_MAX);
  acc= pa_sat_add(acc, UINT64_MAX);
  CHECK(acc == UINT64_MAX);
}

static void test_pfs_objects(void)
{
  /* the server's defaults */
  const struct pa_pfs_object_rule defaults[]= {
      {"mysql", "%", 0},
      {"performance_schema", "%", 0},
      {"information_schema", "%", 0},
      {"%", "%", 1}};
  const struct pa_pfs_object_rule custom[]= {
      {"%", "%", 1},
      {"erp", "%", 0},
      {"erp", "tabItem", 1}};

  CHECK(pa_pfs_object_enabled(defaults, 4, "erp", "tabItem"));
  CHECK(!pa_pfs_object_enabled(defaults, 4, "mysql", "user"));
  CHECK(!pa_pfs_object_enabled(defaults, 4, "performance_schema", "threads"));
  /* most specific wins, whatever the order of the rows */
  CHECK(pa_pfs_object_enabled(custom, 3, "erp", "tabItem"));
  CHECK(!pa_pfs_object_enabled(custom, 3, "erp", "tabGL Entry"));
  CHECK(pa_pfs_object_enabled(custom, 3, "other", "x"));
  /* case matters for literals; no rule at all: not instrumented */
  CHECK(pa_pfs_object_enabled(custom, 3, "ERP", "x"));
  CHECK(!pa_pfs_object_enabled(custom, 0, "erp", "x"));
  CHECK(!pa_pfs_object_enabled(defaults, 3, "erp", "x"));
}

int main(void)
{
  test_metrics();
  test_sources();
  test_userstat();
  test_pfs_objects();
  return PA_TEST_END("test_table");
}
