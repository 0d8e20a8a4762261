/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of pa_colcache: the merge of the statistics sources, the EITS
  figures, the freshness rule and the bounded cache.
*/
#include "pa_colcache.h"
#include "pa_test.h"

#include <stdlib.h>

/* malloc/free with a count of live blocks, and a switch to fail */
static int live, fail_alloc;
static void *t_alloc(void *ctx, size_t n)
{
  (void) ctx;
  if (fail_alloc)
    return NULL;
  live++;
  return malloc(n);
}
static void t_free(void *ctx, void *p)
{
  (void) ctx;
  live--;
  free(p);
}
static const struct pa_colcache_mem MEM= {t_alloc, t_free, NULL};

static void test_source_text(void)
{
  CHECK_STR(pa_colstat_source_text(0), "none");
  CHECK_STR(pa_colstat_source_text(PA_CS_SRC_INDEX), "index");
  CHECK_STR(pa_colstat_source_text(PA_CS_SRC_EITS), "eits");
  CHECK_STR(pa_colstat_source_text(PA_CS_SRC_SAMPLE), "sample");
  CHECK_STR(pa_colstat_source_text(PA_CS_SRC_INDEX | PA_CS_SRC_SAMPLE),
            "index+sample");
  CHECK_STR(pa_colstat_source_text(PA_CS_SRC_EITS | PA_CS_SRC_SAMPLE),
            "eits+sample");
  CHECK_STR(pa_colstat_source_text(7), "index+eits+sample");
}

static void test_merge(void)
{
  struct pa_colstat_sources s;
  struct pa_missing_colstat c;
  /* nothing known */
  pa_colstat_sources_init(&s);
  CHECK(pa_colstat_merge(&s, &c) == 0);
  CHECK(c.distinct < 0 && c.null_frac < 0 && c.top_share < 0);
  /* the sample alone */
  s.sample_distinct= 100;
  s.sample_null_frac= 0.1;
  s.sample_top_share= 0.2;
  CHECK(pa_colstat_merge(&s, &c) == PA_CS_SRC_SAMPLE);
  CHECK_NEAR(c.distinct, 100, 0);
  CHECK_NEAR(c.top_share, 0.2, 0);
  /* EITS beats the sample for every figure it has */
  s.eits_distinct= 250;
  s.eits_null_frac= 0.05;
  CHECK(pa_colstat_merge(&s, &c) == (PA_CS_SRC_EITS | PA_CS_SRC_SAMPLE));
  CHECK_NEAR(c.distinct, 250, 0);
  CHECK_NEAR(c.null_frac, 0.05, 0);
  CHECK_NEAR(c.top_share, 0.2, 0);  /* no histogram: the sample's */
  s.eits_top_share= 0.3;
  CHECK(pa_colstat_merge(&s, &c) == PA_CS_SRC_EITS);
  CHECK_NEAR(c.top_share, 0.3, 0);
  /* an index beats both for distinct values, and gives nothing else */
  s.index_distinct= 300;
  CHECK(pa_colstat_merge(&s, &c) == (PA_CS_SRC_INDEX | PA_CS_SRC_EITS));
  CHECK_NEAR(c.distinct, 300, 0);
  CHECK_NEAR(c.null_frac, 0.05, 0);
  /* index and sample, no EITS: the names the missing-index rows show */
  pa_colstat_sources_init(&s);
  s.index_distinct= 2;
  s.sample_distinct= 3;
  s.sample_null_frac= 0;
  s.sample_top_share= 0.99;
  CHECK(pa_colstat_merge(&s, &c) == (PA_CS_SRC_INDEX | PA_CS_SRC_SAMPLE));
  CHECK_NEAR(c.distinct, 2, 0);
  CHECK_NEAR(c.null_frac, 0, 0);
  /* a zero is a known figure, not a missing one */
  pa_colstat_sources_init(&s);
  s.eits_null_frac= 0;
  s.sample_null_frac= 0.5;
  pa_colstat_merge(&s, &c);
  CHECK_NEAR(c.null_frac, 0, 0);
}

static void test_eits(void)
{
  /* 5000 rows, none NULL, 2.5 rows per value: 2000 values */
  CHECK_NEAR(pa_colstat_eits_distinct(5000, 0, 2.5), 2000, 1e-9);
  /* a fifth NULL: 4000 non-NULL rows, 40 per value */
  CHECK_NEAR(pa_colstat_eits_distinct(5000, 0.2, 40), 100, 1e-9);
  /* missing or impossible inputs */
  CHECK(pa_colstat_eits_distinct(-1, 0, 1) < 0);
  CHECK(pa_colstat_eits_distinct(10, -1, 1) < 0);
  CHECK(pa_colstat_eits_distinct(10, 1.5, 1) < 0);
  CHECK(pa_colstat_eits_distinct(10, 0, 0) < 0);
  /* all NULL: no value */
  CHECK_NEAR(pa_colstat_eits_distinct(10, 1, 1), 0, 0);
  /* a flag: one value in 99 % of the non-NULL rows, its own bucket */
  CHECK_NEAR(pa_colstat_eits_top_share(0, 0.99, 0.01), 0.99, 1e-12);
  /* of all rows: half the rows are NULL */
  CHECK_NEAR(pa_colstat_eits_top_share(0.5, 0.6, 0.1), 0.3, 1e-12);
  /* no single-value bucket: the largest bucket bounds every value */
  CHECK_NEAR(pa_colstat_eits_top_share(0, -1, 0.004), 0.004, 1e-12);
  /* a multi-value bucket larger than the largest single value: bound */
  CHECK_NEAR(pa_colstat_eits_top_share(0, 0.01, 0.02), 0.02, 1e-12);
  /* no histogram, or nulls unknown */
  CHECK(pa_colstat_eits_top_share(0, -1, -1) < 0);
  CHECK(pa_colstat_eits_top_share(-1, 0.5, 0.1) < 0);
  /* a share never exceeds the rows */
  CHECK_NEAR(pa_colstat_eits_top_share(0, 1.2, -1), 1, 0);
}

static struct pa_colcache_col col(const char *name, double distinct,
                                  int64_t at, uint64_t rows)
{
  struct pa_colcache_col c;
  memset(&c, 0, sizeof(c));
  c.name= name;
  c.has_stats= 1;
  c.distinct= distinct;
  c.null_frac= 0;
  c.top_share= 0.5;
  c.avg_bytes= -1;
  c.sampled_rows= rows < 10000 ? rows : 10000;
  c.table_rows= rows;
  c.rows_known= 1;
  c.cap= 10000;
  c.taken_at= at;
  return c;
}

/* A column sampled with table_rows rows, the policy now, and whether the
   column may be reused under it. */
struct fresh_case
{
  uint64_t table_rows;
  struct pa_colcache_policy p;  /* now, rows_known, rows, max_age, cap */
  int fresh;
};

static void test_fresh(void)
{
  static const struct fresh_case cases[]= {
      {5000, {1000, 1, 5000, 3600, 10000}, 1},
      /* age: up to max_age seconds old */
      {5000, {1000 + 3600, 1, 5000, 3600, 10000}, 1},
      {5000, {1000 + 3601, 1, 5000, 3600, 10000}, 0},
      /* a clock that went back */
      {5000, {999, 1, 5000, 3600, 10000}, 0},
      /* max_age 0: no reuse */
      {5000, {1000, 1, 5000, 0, 10000}, 0},
      /* another sample cap */
      {5000, {1000, 1, 5000, 3600, 1000}, 0},
      /* drift: 10 % either way is still fresh, more is not */
      {5000, {1000, 1, 5500, 3600, 10000}, 1},
      {5000, {1000, 1, 5501, 3600, 10000}, 0},
      {5000, {1000, 1, 4500, 3600, 10000}, 1},
      {5000, {1000, 1, 4499, 3600, 10000}, 0},
      /* emptied, or filled from empty */
      {5000, {1000, 1, 0, 3600, 10000}, 0},
      {0, {1000, 1, 1, 3600, 10000}, 0},
      {0, {1000, 1, 0, 3600, 10000}, 1},
      /* row counts unknown: age alone decides */
      {0, {1000, 0, 1000000, 3600, 10000}, 1},
      /* huge counts do not overflow */
      {UINT64_MAX - 5, {1000, 1, UINT64_MAX, 3600, 10000}, 1}};
  struct pa_colcache_col c= col("a", 10, 1000, 5000);

  for (size_t k= 0; k < sizeof(cases) / sizeof(cases[0]); k++)
  {
    c.table_rows= cases[k].table_rows;
    CHECK(!pa_colcache_fresh(&c, &cases[k].p) == !cases[k].fresh);
    if (!pa_colcache_fresh(&c, &cases[k].p) != !cases[k].fresh)
      fprintf(stderr, "  in freshness case %zu\n", k);
  }
}

static const unsigned char V1[16]= {1, 2, 3};
static const unsigned char V2[16]= {9, 9, 9};

static void test_cache(void)
{
  struct pa_colcache *c= pa_colcache_new(&MEM, 1 << 20);
  struct pa_colcache_key k= {"db", "t", V1, 16};
  struct pa_colcache_policy p= {1000, 1, 5000, 3600, 10000};
  struct pa_colcache_counters cnt;
  struct pa_colcache_col in[3], out[3];
  const char *names[3]= {"a", "b", "c"};
  int found[3], width[3]= {0, 1, 0};

  CHECK(c != NULL);
  /* empty: a miss */
  CHECK(pa_colcache_get(c, &k, &p, names, NULL, 2, out, found) == 0);
  CHECK(!found[0] && !found[1]);
  in[0]= col("a", 10, 1000, 5000);
  in[1]= col("b", 20, 1000, 5000);
  CHECK(pa_colcache_put(c, &k, in, 2) == 0);
  /* both found, copies named by the caller */
  CHECK(pa_colcache_get(c, &k, &p, names, NULL, 2, out, found) == 2);
  CHECK(found[0] && found[1] && out[0].name == names[0]);
  CHECK_NEAR(out[1].distinct, 20, 0);
  /* a column never sampled is not found; the others are */
  CHECK(pa_colcache_get(c, &k, &p, names, NULL, 3, out, found) == 2);
  CHECK(!found[2]);
  /* a width asked of a column sampled without one */
  CHECK(pa_colcache_get(c, &k, &p, names, width, 2, out, found) == 1);
  CHECK(found[0] && !found[1]);
  pa_colcache_counters(c, &cnt);
  CHECK(cnt.hits == 1 && cnt.misses == 3 && cnt.entries == 1);
  /* adding c keeps a and b; b replaced with its width */
  in[0]= col("c", 30, 1000, 5000);
  in[1]= col("b", 21, 1000, 5000);
  in[1].has_width= 1;
  in[1].avg_bytes= 12.5;
  CHECK(pa_colcache_put(c, &k, in, 2) == 0);
  CHECK(pa_colcache_get(c, &k, &p, names, width, 3, out, found) == 3);
  CHECK_NEAR(out[0].distinct, 10, 0);
  CHECK_NEAR(out[1].distinct, 21, 0);
  CHECK_NEAR(out[1].avg_bytes, 12.5, 0);
  CHECK_NEAR(out[2].distinct, 30, 0);
  /* names compare byte for byte (a table's real names) */
  {
    const char *up[1]= {"A"};
    CHECK(pa_colcache_get(c, &k, &p, up, NULL, 1, out, found) == 0);
  }
  /* another table of the same name in another schema is another entry */
  {
    struct pa_colcache_key k2= {"db2", "t", V1, 16};
    CHECK(pa_colcache_get(c, &k2, &p, names, NULL, 1, out, found) == 0);
    /* "db" + "t2" and "db2" + "t" must not collide either */
    struct pa_colcache_key k3= {"d", "bt", V1, 16};
    CHECK(pa_colcache_get(c, &k3, &p, names, NULL, 1, out, found) == 0);
  }
  /* stale by age: not found, still held */
  p.now= 1000 + 3601;
  CHECK(pa_colcache_get(c, &k, &p, names, NULL, 3, out, found) == 0);
  /* one column read again: each column has its own age */
  in[0]= col("c", 31, 1000 + 3600, 5000);
  CHECK(pa_colcache_put(c, &k, in, 1) == 0);
  CHECK(pa_colcache_get(c, &k, &p, names, NULL, 3, out, found) == 1);
  CHECK(!found[0] && !found[1] && found[2]);
  CHECK_NEAR(out[2].distinct, 31, 0);
  p.now= 1000;
  /* a new definition version drops the entry */
  k.version= V2;
  CHECK(pa_colcache_get(c, &k, &p, names, NULL, 3, out, found) == 0);
  pa_colcache_counters(c, &cnt);
  CHECK(cnt.entries == 0 && cnt.bytes == 0);
  /* ... and a put under it replaces the old version whole */
  k.version= V1;
  in[0]= col("a", 10, 1000, 5000);
  CHECK(pa_colcache_put(c, &k, in, 1) == 0);
  k.version= V2;
  in[0]= col("b", 7, 1000, 5000);
  CHECK(pa_colcache_put(c, &k, in, 1) == 0);
  CHECK(pa_colcache_get(c, &k, &p, names, NULL, 2, out, found) == 1);
  CHECK(!found[0] && found[1]);
  /* an empty version (an old .frm) is a version too */
  k.version= NULL;
  k.version_len= 0;
  CHECK(pa_colcache_get(c, &k, &p, names, NULL, 2, out, found) == 0);
  CHECK(pa_colcache_put(c, &k, in, 1) == 0);
  CHECK(pa_colcache_get(c, &k, &p, names + 1, NULL, 1, out, found) == 1);
  /* out of memory: -1, nothing held for the table, no leak */
  fail_alloc= 1;
  CHECK(pa_colcache_put(c, &k, in, 1) == -1);
  fail_alloc= 0;
  CHECK(pa_colcache_get(c, &k, &p, names + 1, NULL, 1, out, found) == 0);
  /* too many columns */
  CHECK(pa_colcache_put(c, &k, in, PA_COLCACHE_MAX_COLS + 1) == -1);
  pa_colcache_free(c);
  CHECK(live == 0);
}

static void test_bound(void)
{
  char db[16], tb[16];
  struct pa_colcache_key k= {db, tb, V1, 16};
  struct pa_colcache_policy p= {1000, 1, 5000, 3600, 10000};
  struct pa_colcache_counters cnt;
  struct pa_colcache_col in= col("a", 1, 1000, 5000), out;
  const char *names[1]= {"a"};
  int found, one;
  size_t cap= 8192;
  struct pa_colcache *c= pa_colcache_new(&MEM, cap);

  /* the size of one entry */
  strcpy(db, "s");
  strcpy(tb, "t0000");
  CHECK(pa_colcache_put(c, &k, &in, 1) == 0);
  pa_colcache_counters(c, &cnt);
  one= (int) cnt.bytes;
  CHECK(one > 0 && (size_t) one < cap);
  /* many tables: never above the cap, the oldest go first */
  {
    int failed= 0, over= 0;
    for (int i= 1; i < 1000; i++)
    {
      snprintf(tb, sizeof(tb), "t%04d", i);
      failed+= pa_colcache_put(c, &k, &in, 1) != 0;
      pa_colcache_counters(c, &cnt);
      over+= cnt.bytes > cap;
    }
    CHECK(failed == 0);
    CHECK(over == 0);
  }
  pa_colcache_counters(c, &cnt);
  CHECK(cnt.entries == cap / (size_t) one);
  CHECK(cnt.evictions == 1000 - cnt.entries);
  strcpy(tb, "t0000");
  CHECK(pa_colcache_get(c, &k, &p, names, NULL, 1, &out, &found) == 0);
  strcpy(tb, "t0999");
  CHECK(pa_colcache_get(c, &k, &p, names, NULL, 1, &out, &found) == 1);
  /* a lookup makes a table recent: t0999 survives the next eviction,
     the oldest other goes */
  snprintf(tb, sizeof(tb), "t%04d", (int) (1000 - cnt.entries));
  CHECK(pa_colcache_get(c, &k, &p, names, NULL, 1, &out, &found) == 1);
  strcpy(tb, "x");
  CHECK(pa_colcache_put(c, &k, &in, 1) == 0);
  snprintf(tb, sizeof(tb), "t%04d", (int) (1000 - cnt.entries));
  CHECK(pa_colcache_get(c, &k, &p, names, NULL, 1, &out, &found) == 1);
  snprintf(tb, sizeof(tb), "t%04d", (int) (1000 - cnt.entries + 1));
  CHECK(pa_colcache_get(c, &k, &p, names, NULL, 1, &out, &found) == 0);
  /* an entry larger than the cap is not kept */
  pa_colcache_free(c);
  c= pa_colcache_new(&MEM, 64);
  CHECK(pa_colcache_put(c, &k, &in, 1) == -1);
  pa_colcache_counters(c, &cnt);
  CHECK(cnt.entries == 0 && cnt.bytes == 0);
  pa_colcache_free(c);
  CHECK(live == 0);
  /* out of memory at creation */
  fail_alloc= 1;
  CHECK(pa_colcache_new(&MEM, cap) == NULL);
  fail_alloc= 0;
  pa_colcache_free(NULL);
}

int main(void)
{
  test_source_text();
  test_merge();
  test_eits();
  test_fresh();
  test_cache();
  test_bound();
  return PA_TEST_END("test_colcache");
}
