/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of pa_usage: delta arithmetic across resets and source
  changes, definition fingerprints, the usage verdict, and the on-disk
  format: round trip, hostile identifiers, and every kind of damage.
*/
#include "pa_usage.h"
#include "pa_text.h"
#include "pa_test.h"

#include <stdlib.h>

static void obs(struct pa_usage_entry *e, int src, uint64_t a, uint64_t b,
                uint64_t c, int64_t now)
{
  uint64_t raw[PA_USAGE_COUNTERS]= {a, b, c};
  pa_usage_observe(e, src, raw, now);
}

static void test_observe(void)
{
  struct pa_usage_entry e;
  pa_usage_init(&e, 1000);
  CHECK(e.first_seen == 1000 && e.last_used == 0 && e.total[0] == 0);
  CHECK(e.last_src == PA_USAGE_FRESH);

  /* first sighting of a fresh entry: the raw values are all activity */
  obs(&e, PA_SRC_PFS, 50, 60, 7, 1010);
  CHECK(e.total[0] == 50 && e.total[1] == 60 && e.last_used == 1010);
  /* growth counts */
  obs(&e, PA_SRC_PFS, 80, 60, 9, 1020);
  CHECK(e.total[0] == 80 && e.total[1] == 60 && e.total[2] == 9);
  CHECK(e.last_used == 1020);
  /* no change: last_used stays */
  obs(&e, PA_SRC_PFS, 80, 60, 9, 1030);
  CHECK(e.total[0] == 80 && e.last_used == 1020);
  /* the source restarted from zero: all of the new value is new */
  obs(&e, PA_SRC_PFS, 5, 1, 0, 1040);
  CHECK(e.total[0] == 85 && e.total[1] == 61 && e.total[2] == 9);
  CHECK(e.last_used == 1040);
  /* a different source: new baseline, nothing counted */
  obs(&e, PA_SRC_USERSTAT, 1000, 0, 0, 1050);
  CHECK(e.total[0] == 85 && e.last_src == PA_SRC_USERSTAT);
  obs(&e, PA_SRC_USERSTAT, 1001, 0, 0, 1060);
  CHECK(e.total[0] == 86 && e.last_used == 1060);
  /* saturation instead of wrap */
  e.total[0]= UINT64_MAX - 1;
  obs(&e, PA_SRC_USERSTAT, 1101, 0, 0, 1070);
  CHECK(e.total[0] == UINT64_MAX);
}

static void test_def(void)
{
  struct pa_usage_entry e;
  uint64_t h1= pa_hash_bytes(PA_HASH_SEED, "BTREE a,b", 9);
  uint64_t h2= pa_hash_bytes(PA_HASH_SEED, "BTREE a,c", 9);
  CHECK(h1 != h2);
  CHECK(pa_hash_bytes(PA_HASH_SEED, "", 0) == PA_HASH_SEED);

  pa_usage_init(&e, 100);
  CHECK(pa_usage_set_def(&e, h1, 150) == 0 && e.def_hash == h1);
  obs(&e, PA_SRC_PFS, 0, 0, 0, 160);
  obs(&e, PA_SRC_PFS, 9, 9, 9, 170);
  CHECK(e.total[0] == 9);
  CHECK(pa_usage_set_def(&e, h1, 180) == 0 && e.total[0] == 9);
  /* unknown (0) never resets */
  CHECK(pa_usage_set_def(&e, 0, 180) == 0 && e.def_hash == h1);
  /* re-created differently under the same name */
  CHECK(pa_usage_set_def(&e, h2, 200) == 1);
  CHECK(e.total[0] == 0 && e.total[2] == 0 && e.first_seen == 200);
  CHECK(e.last_used == 0 && e.def_hash == h2);
}

static void test_status(void)
{
  struct pa_usage_entry e;
  pa_usage_init(&e, 1000);
  CHECK(pa_usage_status(NULL, 1, 0, 5000, 0) == PA_USAGE_UNKNOWN);
  /* window too short */
  CHECK(pa_usage_status(&e, 1, 0, 1500, 600) == PA_USAGE_UNKNOWN);
  CHECK(pa_usage_status(&e, 1, 0, 1600, 600) == PA_USAGE_UNUSED);
  CHECK(pa_usage_status(&e, 1, 0, 1000, 0) == PA_USAGE_UNUSED);
  /* blind now, or a constraint index: no evidence */
  CHECK(pa_usage_status(&e, 0, 0, 9000, 600) == PA_USAGE_UNKNOWN);
  CHECK(pa_usage_status(&e, 1, 1, 9000, 600) == PA_USAGE_UNKNOWN);
  /* a read is evidence of use, even in a short window or blind now */
  e.total[0]= 1;
  CHECK(pa_usage_status(&e, 1, 0, 1001, 600) == PA_USAGE_USED);
  CHECK(pa_usage_status(&e, 0, 1, 1001, 600) == PA_USAGE_USED);
  /* clock going backwards: window 0 */
  CHECK(pa_usage_window(&e, 10) == 0);
  CHECK(pa_usage_window(NULL, 10) == 0);
  CHECK_STR(pa_usage_status_name(PA_USAGE_USED), "used");
  CHECK_STR(pa_usage_status_name(PA_USAGE_UNUSED), "unused");
  CHECK_STR(pa_usage_status_name(PA_USAGE_UNKNOWN), "unknown");
  CHECK_STR(pa_usage_status_name((enum pa_usage_status) 9), "unknown");
}

/* ---- file format ---- */

struct image
{
  char buf[8192];
  size_t len;
  uint64_t records;
};

static void add(struct image *im, const char *s, const char *t,
                const char *i, const struct pa_usage_entry *e)
{
  im->len+= pa_usage_format_record(im->buf + im->len,
                                   sizeof(im->buf) - im->len, s, t, i, e);
  im->records++;
}

static void seal(struct image *im)
{
  uint64_t h= pa_hash_bytes(PA_HASH_SEED, im->buf, im->len);
  im->len+= pa_usage_format_trailer(im->buf + im->len,
                                    sizeof(im->buf) - im->len, im->records,
                                    h);
}

struct seen
{
  int n;
  char last_schema[PA_IDENT_BYTES], last_table[PA_IDENT_BYTES],
      last_index[PA_IDENT_BYTES];
  struct pa_usage_entry last;
  int stop_at;
};

static int collect(void *ctx, const char *s, const char *t, const char *i,
                   const struct pa_usage_entry *e)
{
  struct seen *sn= ctx;
  sn->n++;
  strcpy(sn->last_schema, s);
  strcpy(sn->last_table, t);
  strcpy(sn->last_index, i);
  sn->last= *e;
  return sn->stop_at && sn->n >= sn->stop_at;
}

static void test_format(void)
{
  struct image im;
  struct seen sn;
  struct pa_usage_entry e;
  int64_t start= 0;
  const char *hostile= "we`ird\t'name\"\n\\; --/*日本*/";
  char small[8];
  size_t need, k;

  memset(&im, 0, sizeof(im));
  pa_usage_init(&e, 1700000000);
  e.def_hash= 0xfedcba9876543210ULL;
  e.total[0]= UINT64_MAX;
  e.total[1]= 12;
  e.last_raw[2]= 3;
  e.last_src= PA_SRC_USERSTAT;
  e.last_used= -5;
  im.len= pa_usage_format_header(im.buf, sizeof(im.buf), 1699999999);
  add(&im, "erp", "tabSales Invoice", "customer_idx", &e);
  add(&im, hostile, hostile, hostile, &e);
  add(&im, "erp", "tabGL Entry", "", &e);
  seal(&im);

  memset(&sn, 0, sizeof(sn));
  CHECK(pa_usage_parse(im.buf, im.len, &start, collect, &sn) == 3);
  CHECK(start == 1699999999);
  CHECK(sn.n == 3);
  CHECK_STR(sn.last_table, "tabGL Entry");
  CHECK_STR(sn.last_index, "");
  CHECK(sn.last.total[0] == UINT64_MAX && sn.last.total[1] == 12);
  CHECK(sn.last.def_hash == 0xfedcba9876543210ULL);
  CHECK(sn.last.last_raw[2] == 3 && sn.last.last_src == PA_SRC_USERSTAT);
  CHECK(sn.last.first_seen == 1700000000 && sn.last.last_used == -5);

  /* hostile identifiers round-trip */
  {
    struct image one;
    memset(&one, 0, sizeof(one));
    one.len= pa_usage_format_header(one.buf, sizeof(one.buf), 1);
    add(&one, hostile, hostile, hostile, &e);
    seal(&one);
    memset(&sn, 0, sizeof(sn));
    CHECK(pa_usage_parse(one.buf, one.len, &start, collect, &sn) == 1);
    CHECK_STR(sn.last_schema, hostile);
    CHECK_STR(sn.last_index, hostile);
  }

  /* every truncation (a torn write) is rejected and delivers nothing */
  for (k= 0; k < im.len; k++)
  {
    memset(&sn, 0, sizeof(sn));
    CHECK(pa_usage_parse(im.buf, k, &start, collect, &sn) == -1);
    CHECK(sn.n == 0);
  }
  /* every single-byte corruption is rejected */
  for (k= 0; k < im.len; k++)
  {
    char saved= im.buf[k];
    im.buf[k]= (char) (saved ^ 0x20);
    memset(&sn, 0, sizeof(sn));
    CHECK(pa_usage_parse(im.buf, im.len, &start, collect, &sn) == -1);
    CHECK(sn.n == 0);
    im.buf[k]= saved;
  }
  /* the callback can stop the load */
  memset(&sn, 0, sizeof(sn));
  sn.stop_at= 2;
  CHECK(pa_usage_parse(im.buf, im.len, &start, collect, &sn) == -1);
  /* NULL callback: validation only */
  CHECK(pa_usage_parse(im.buf, im.len, &start, NULL, NULL) == 3);
  CHECK(pa_usage_parse(NULL, 0, &start, NULL, NULL) == -1);

  /* empty store */
  memset(&im, 0, sizeof(im));
  im.len= pa_usage_format_header(im.buf, sizeof(im.buf), -3);
  seal(&im);
  CHECK(pa_usage_parse(im.buf, im.len, &start, collect, &sn) == 0);
  CHECK(start == -3);

  /* formatting into small buffers: NUL-terminated, length still reported */
  need= pa_usage_format_record(NULL, 0, "a", "b", "c", &e);
  CHECK(need > 20);
  CHECK(pa_usage_format_record(small, sizeof(small), "a", "b", "c", &e) ==
        need);
  CHECK(small[sizeof(small) - 1] == 0 && strlen(small) == 7);
}

/* Whether a source's counters are evidence, and where a window begins. */
static void test_covered(void)
{
  static const struct
  {
    enum pa_stats_source src;
    int complete, has_entry, covered;
  } cases[]= {
      /* no source covers the table: never */
      {PA_SRC_NONE, 0, 0, 0},
      {PA_SRC_NONE, 1, 0, 0},
      {PA_SRC_NONE, 1, 1, 0},
      /* userstat lists what it saw: always */
      {PA_SRC_USERSTAT, 0, 0, 1},
      {PA_SRC_USERSTAT, 0, 1, 1},
      /* performance_schema: when it lost nothing, or the table is known */
      {PA_SRC_PFS, 1, 0, 1},
      {PA_SRC_PFS, 1, 1, 1},
      {PA_SRC_PFS, 0, 1, 1},
      {PA_SRC_PFS, 0, 0, 0},
  };
  for (size_t i= 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    CHECK(pa_usage_covered(cases[i].src, cases[i].complete,
                           cases[i].has_entry) == cases[i].covered);

  /* complete: the whole uptime; else, or the start unknown or not
     before now: from now */
  CHECK(pa_usage_pfs_window_start(1, 500, 1000) == 500);
  CHECK(pa_usage_pfs_window_start(0, 500, 1000) == 1000);
  CHECK(pa_usage_pfs_window_start(1, 0, 1000) == 1000);
  CHECK(pa_usage_pfs_window_start(1, 1000, 1000) == 1000);
  CHECK(pa_usage_pfs_window_start(1, 2000, 1000) == 1000);
}

int main(void)
{
  test_observe();
  test_def();
  test_status();
  test_format();
  test_covered();
  return PA_TEST_END("test_usage");
}
