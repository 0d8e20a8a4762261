/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of pa_text (printf, buffers, JSON escaping) and pa_advice
  (record list growth, stable ids, ordering).
*/
#include "pa_advice.h"
#include "pa_test.h"

#include <stdlib.h>


static void test_text(void)
{
  struct arena ar= PA_TEST_ARENA_INIT;
  struct pa_alloc a= {arena_alloc, &ar};
  struct pa_buf b;
  struct pa_json j;
  char *s;

  CHECK_STR(pa_strdupf(&a, "%s=%d", "x", 42), "x=42");
  CHECK(pa_strdup(&a, NULL) == NULL);
  CHECK_STR(pa_strdup(&a, "abc"), "abc");

  pa_buf_init(&b, &a);
  CHECK_STR(pa_buf_str(&b), "");
  for (int i= 0; i < 200; i++)
    pa_buf_puts(&b, "0123456789");
  CHECK(strlen(pa_buf_str(&b)) == 2000);

  /* JSON escaping of every awkward byte */
  pa_buf_init(&b, &a);
  pa_buf_json_str(&b, "q\"b\\n\nt\tc\x01\x7f日本");
  CHECK_STR(pa_buf_str(&b),
            "\"q\\\"b\\\\n\\nt\\tc\\u0001\\u007f日本\"");
  pa_buf_init(&b, &a);
  pa_buf_json_str(&b, NULL);
  CHECK_STR(pa_buf_str(&b), "null");

  pa_buf_init(&b, &a);
  pa_json_begin(&j, &b);
  pa_json_str(&j, "table", "tab`x'\"");
  pa_json_u64(&j, "rows", UINT64_MAX);
  pa_json_i64(&j, "delta", -5);
  pa_json_dbl(&j, "ratio", 0.3);
  pa_json_dbl(&j, "nan", 0.0 / 0.0 * 0.0);
  pa_json_bool(&j, "ok", 1);
  pa_json_null(&j, "none");
  pa_json_raw(&j, "list", "[1,2]");
  pa_json_end(&j);
  s= pa_buf_str(&b);
  CHECK_STR(s, "{\"table\": \"tab`x'\\\"\", \"rows\": 18446744073709551615, "
               "\"delta\": -5, \"ratio\": 0.3, \"nan\": null, \"ok\": true, "
               "\"none\": null, \"list\": [1,2]}");
  arena_free(&ar);

  /* allocation failure: the buffer says so instead of returning garbage */
  ar.fail_after= 0;
  pa_buf_init(&b, &a);
  pa_buf_puts(&b, "x");
  CHECK(b.oom && pa_buf_str(&b) == NULL);
  CHECK(pa_strdupf(&a, "%d", 1) == NULL);
  arena_free(&ar);

  CHECK(pa_hash_str(1, "ab") != pa_hash_str(pa_hash_str(1, "a"), "b"));
}

static void test_recs(void)
{
  struct arena ar= PA_TEST_ARENA_INIT;
  struct pa_alloc a= {arena_alloc, &ar};
  struct pa_rec_list l;
  struct pa_rec *r;
  char first_id[17];

  pa_rec_list_init(&l, &a);
  for (int i= 0; i < 100; i++)
  {
    r= pa_rec_new(&l);
    CHECK(r != NULL);
    r->priority= (enum pa_priority) (1 + i % 3);
    r->benefit= (double) i;
    pa_rec_set_id(r, "index_cleanup", "erp", "tabItem", "idx", NULL);
  }
  CHECK(l.n == 100 && !l.oom);
  /* the same finding: the same id; another: another */
  CHECK_STR(l.recs[0].id, l.recs[1].id);
  CHECK(strlen(l.recs[0].id) == 16);
  strcpy(first_id, l.recs[0].id);
  pa_rec_set_id(&l.recs[1], "index_cleanup", "erp", "tabItem", "idx2", NULL);
  CHECK(strcmp(first_id, l.recs[1].id) != 0);
  pa_rec_set_id(&l.recs[1], "index_cleanup", "erptab", "Item", "idx", NULL);
  CHECK(strcmp(first_id, l.recs[1].id) != 0);
  CHECK_STR(l.recs[0].type, "index_cleanup");

  pa_rec_sort(&l);
  for (size_t i= 1; i < l.n; i++)
  {
    CHECK(l.recs[i - 1].priority <= l.recs[i].priority);
    if (l.recs[i - 1].priority == l.recs[i].priority)
      CHECK(l.recs[i - 1].benefit >= l.recs[i].benefit);
  }
  CHECK(l.recs[0].priority == PA_PRIO_HIGH && l.recs[0].benefit == 99.0);
  CHECK_STR(pa_priority_name(PA_PRIO_HIGH), "high");
  CHECK_STR(pa_priority_name(PA_PRIO_MEDIUM), "medium");
  CHECK_STR(pa_priority_name(PA_PRIO_LOW), "low");
  arena_free(&ar);

  ar.fail_after= 0;
  pa_rec_list_init(&l, &a);
  CHECK(pa_rec_new(&l) == NULL && l.oom);
  CHECK(pa_rec_new(&l) == NULL);
  arena_free(&ar);
}

int main(void)
{
  test_text();
  test_recs();
  return PA_TEST_END("test_advice");
}
