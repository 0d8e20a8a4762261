/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of pa_select: the size of a new index, the time it saves, and
  the workload-level choice under a budget.
*/
#include "pa_select.h"
#include "pa_test.h"

static struct arena ar= PA_TEST_ARENA_INIT;
static const struct pa_alloc A= {arena_alloc, &ar};

static void test_index_bytes(void)
{
  /* 1,000,000 rows, 8-byte key, 8-byte clustered key: 23 bytes per entry,
     16384 * 15/16 / 23 = 667 per page -> 1500 leaves (1,000,000 / 667 =
     1499.25), 3 pages above them, 1 root: 1504 pages */
  double b= pa_select_index_bytes(1000000, 8, 1, 8, 16384, 15.0 / 16, 0);
  CHECK_NEAR(b, 1504.0 * 16384, 0.5);
  /* allocated in extents of 64 after 32 single pages, per segment: the
     leaves 32 + 23 * 64 = 1504, the 4 pages above as they are */
  CHECK_NEAR(pa_select_index_bytes(1000000, 8, 1, 8, 16384, 15.0 / 16, 64),
             1508.0 * 16384, 0.5);
  /* 30,000 entries of 22 bytes: 698 per page, 43 leaves (32 + one extent
     of 64 = 96 allocated) and a root: 97 pages, as InnoDB reports */
  CHECK_NEAR(pa_select_index_bytes(30000, 6, 1, 9, 16384, 15.0 / 16, 64),
             97.0 * 16384, 0.5);
  CHECK_NEAR(pa_select_index_bytes(30000, 6, 1, 9, 16384, 15.0 / 16, 0),
             44.0 * 16384, 0.5);
  /* a heap table stores a 6-byte row pointer instead of the key */
  double h= pa_select_index_bytes(1000000, 8, 0, 100, 16384, 15.0 / 16, 0);
  CHECK_NEAR(h,
             pa_select_index_bytes(1000000, 8, 1, 6, 16384, 15.0 / 16, 0),
             0.5);
  /* wider keys, fuller pages, more rows: never smaller */
  CHECK(pa_select_index_bytes(1000000, 40, 1, 8, 16384, 15.0 / 16, 0) > b);
  CHECK(pa_select_index_bytes(1000000, 8, 1, 8, 16384, 0.5, 0) > b);
  CHECK(pa_select_index_bytes(2000000, 8, 1, 8, 16384, 15.0 / 16, 0) > b);
  /* an empty or tiny table: one page */
  CHECK_NEAR(pa_select_index_bytes(0, 8, 1, 8, 16384, 1, 64), 16384, 0.5);
  CHECK_NEAR(pa_select_index_bytes(3, 8, 1, 8, 16384, 1, 0), 16384, 0.5);
  /* a key wider than half a page still gets two entries per page */
  CHECK_NEAR(pa_select_index_bytes(4, 20000, 1, 8, 16384, 1, 0),
             (2.0 + 1) * 16384, 0.5);
  /* out of range: 0 */
  CHECK(pa_select_index_bytes(10, 8, 1, 8, 0, 1, 0) == 0);
  CHECK(pa_select_index_bytes(10, 8, 1, 8, 16384, 0, 0) == 0);
  CHECK(pa_select_index_bytes(10, 8, 1, 8, 16384, 1.5, 0) == 0);
  CHECK(pa_select_index_bytes(10, -1, 1, 8, 16384, 1, 0) == 0);
  CHECK(pa_select_index_bytes(10, 8, 1, -8, 16384, 1, 0) == 0);
  CHECK(pa_select_index_bytes(10, 8, 1, 8, 16384, NAN, 0) == 0);
}

static struct pa_missing_proposal proposal(uint64_t exec, uint64_t examined,
                                           uint64_t sent, uint64_t sum_ps,
                                           double now, double est)
{
  struct pa_missing_proposal p;
  memset(&p, 0, sizeof(p));
  p.exec_count= exec;
  p.rows_examined= examined;
  p.rows_sent= sent;
  p.sum_ps= sum_ps;
  p.now_rows_per_exec= now;
  p.est_rows_per_exec= est;
  return p;
}

static void test_saved(void)
{
  int ideal= -1;
  /* estimate known: 10,000 rows per execution now, 100 with the index:
     99 % of 2 s */
  struct pa_missing_proposal p=
      proposal(100, 1000000, 100, 2000000000000ULL, 10000, 100);
  CHECK_NEAR(pa_select_saved_ps(&p, &ideal), 0.99 * 2e12, 1);
  CHECK(ideal == 0);
  /* an estimate above the measurement saves nothing */
  p.est_rows_per_exec= 20000;
  CHECK(pa_select_saved_ps(&p, &ideal) == 0);
  CHECK(ideal == 0);
  /* unknown: the ideal cut, rows sent of rows examined (an upper bound) */
  p.est_rows_per_exec= -1;
  CHECK_NEAR(pa_select_saved_ps(&p, &ideal), (1 - 100.0 / 1e6) * 2e12, 1);
  CHECK(ideal == 1);
  /* at least one row per execution: an aggregate sends 1 row per run */
  p.rows_sent= 1;
  CHECK_NEAR(pa_select_saved_ps(&p, &ideal), (1 - 100.0 / 1e6) * 2e12, 1);
  /* every row examined is sent: nothing to save */
  p= proposal(1, 50, 50, 1000, -1, -1);
  CHECK(pa_select_saved_ps(&p, &ideal) == 0);
  CHECK(ideal == 1);
  /* nothing examined, NULL */
  p= proposal(5, 0, 0, 1000, 0, -1);
  CHECK(pa_select_saved_ps(&p, &ideal) == 0);
  CHECK(pa_select_saved_ps(NULL, &ideal) == 0);
  CHECK(ideal == 0);
  p= proposal(100, 1000000, 100, 1000, 10000, 100);
  CHECK(pa_select_saved_ps(&p, NULL) > 0);
}

static struct pa_select_item item(double saved, double write, double bytes)
{
  struct pa_select_item it;
  it.saved_ps= saved;
  it.write_ps= write;
  it.bytes= bytes;
  it.verdict= PA_SELECT_OVER_BUDGET; /* must be overwritten */
  return it;
}

static void test_select(void)
{
  struct pa_select_item it[6];

  /* no limit: everything with a net gain */
  it[0]= item(100, 0, 10);
  it[1]= item(100, 100, 10); /* write time eats the gain */
  it[2]= item(100, 150, 10);
  it[3]= item(0, 0, 10);     /* saves nothing */
  CHECK(pa_select_indexes(it, 4, 0, &A) == 1);
  CHECK(it[0].verdict == PA_SELECT_CHOSEN);
  CHECK(it[1].verdict == PA_SELECT_NO_NET_GAIN);
  CHECK(it[2].verdict == PA_SELECT_NO_NET_GAIN);
  CHECK(it[3].verdict == PA_SELECT_NO_NET_GAIN);

  /* a budget: best net gain per byte first; one that does not fit is
     passed over and a smaller one after it still fits */
  it[0]= item(1000, 0, 100); /* 10 / byte */
  it[1]= item(900, 0, 60);   /* 15 / byte: first */
  it[2]= item(500, 0, 50);   /* 10 / byte, after it[0] by position */
  it[3]= item(90, 0, 30);    /* 3 / byte */
  it[4]= item(5000, 4990, 1); /* 10 / byte net, tiny */
  CHECK(pa_select_indexes(it, 5, 200, &A) == 4);
  /* it[1] (60), then the ties at 10 / byte by position: it[0] (100:
     160 used), it[2] (50) does not fit in the 40 left, it[4] (1) does,
     then it[3] (30: 191 used) */
  CHECK(it[1].verdict == PA_SELECT_CHOSEN);
  CHECK(it[0].verdict == PA_SELECT_CHOSEN);
  CHECK(it[2].verdict == PA_SELECT_OVER_BUDGET);
  CHECK(it[4].verdict == PA_SELECT_CHOSEN);
  CHECK(it[3].verdict == PA_SELECT_CHOSEN);
  /* a budget of 160 stops after it[0]: only the 1-byte index still fits */
  CHECK(pa_select_indexes(it, 5, 161, &A) == 3);
  CHECK(it[4].verdict == PA_SELECT_CHOSEN);
  CHECK(it[3].verdict == PA_SELECT_OVER_BUDGET);

  /* a budget smaller than every index: nothing */
  it[0]= item(10, 0, 100);
  it[1]= item(10, 0, 200);
  CHECK(pa_select_indexes(it, 2, 50, &A) == 0);
  CHECK(it[0].verdict == PA_SELECT_OVER_BUDGET);
  CHECK(it[1].verdict == PA_SELECT_OVER_BUDGET);
  /* exactly the budget fits */
  CHECK(pa_select_indexes(it, 2, 300, &A) == 2);

  /* order of the input does not change the set (different densities) */
  {
    struct pa_select_item x[3]= {item(30, 0, 10), item(20, 0, 10),
                                 item(10, 0, 10)};
    struct pa_select_item y[3]= {item(10, 0, 10), item(20, 0, 10),
                                 item(30, 0, 10)};
    CHECK(pa_select_indexes(x, 3, 20, &A) == 2);
    CHECK(pa_select_indexes(y, 3, 20, &A) == 2);
    CHECK(x[0].verdict == PA_SELECT_CHOSEN && y[2].verdict ==
          PA_SELECT_CHOSEN);
    CHECK(x[2].verdict == PA_SELECT_OVER_BUDGET &&
          y[0].verdict == PA_SELECT_OVER_BUDGET);
  }

  /* bad figures: negative and NaN count as 0, bytes <= 0 as 1; a
     negative or NaN budget is no limit */
  it[0]= item(-5, 0, 10);
  it[1]= item(NAN, 0, 10);
  it[2]= item(10, NAN, 0);
  it[3]= item(10, -3, -7);
  CHECK(pa_select_indexes(it, 4, -1, &A) == 2);
  CHECK(it[0].verdict == PA_SELECT_NO_NET_GAIN);
  CHECK(it[1].verdict == PA_SELECT_NO_NET_GAIN);
  CHECK(it[2].verdict == PA_SELECT_CHOSEN);
  CHECK(it[3].verdict == PA_SELECT_CHOSEN);
  CHECK(pa_select_indexes(it, 4, NAN, &A) == 2);
  CHECK(pa_select_indexes(it, 4, 1, &A) == 1);

  /* empty, NULL, no allocator, allocation failure */
  CHECK(pa_select_indexes(NULL, 0, 10, &A) == 0);
  CHECK(pa_select_indexes(NULL, 3, 10, &A) == -1);
  CHECK(pa_select_indexes(it, 2, 10, NULL) == -1);
  {
    struct arena fail= PA_TEST_ARENA_INIT;
    struct pa_alloc f= {arena_alloc, &fail};
    fail.fail_after= 0;
    it[0]= item(10, 0, 10);
    it[0].verdict= PA_SELECT_OVER_BUDGET;
    CHECK(pa_select_indexes(it, 1, 0, &f) == -1);
    CHECK(it[0].verdict == PA_SELECT_OVER_BUDGET); /* untouched */
    arena_free(&fail);
  }

  CHECK_STR(pa_select_verdict_name(PA_SELECT_CHOSEN), "chosen");
  CHECK_STR(pa_select_verdict_name(PA_SELECT_NO_NET_GAIN), "no_net_gain");
  CHECK_STR(pa_select_verdict_name(PA_SELECT_OVER_BUDGET), "over_budget");
}

int main(void)
{
  test_index_bytes();
  test_saved();
  test_select();
  arena_free(&ar);
  return PA_TEST_END("test_select");
}
