/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of the core's one copy of each small helper: pa_common.h (the
  ASCII fold, the saturating add) and pa_text (the hash against FNV-1a's
  published values, the case-insensitive compare, the overflow-checked
  array, printf into an allocator, the JSON writer).
*/
#include "pa_common.h"
#include "pa_test.h"
#include "pa_text.h"

#include <stdint.h>

static struct arena ar= PA_TEST_ARENA_INIT;
static const struct pa_alloc A= {arena_alloc, &ar};

static void test_fold(void)
{
  int changed= 0;
  CHECK(pa_ascii_lower('A') == 'a');
  CHECK(pa_ascii_lower('Z') == 'z');
  CHECK(pa_ascii_lower('a') == 'a');
  CHECK(pa_ascii_lower('@') == '@'); /* 'A' - 1 */
  CHECK(pa_ascii_lower('[') == '['); /* 'Z' + 1 */
  /* only the 26 capitals change; UTF-8 bytes never do (locale-free) */
  for (int c= 0; c < 256; c++)
    changed+= pa_ascii_lower((unsigned char) c) != c;
  CHECK(changed == 26);
  CHECK(pa_ascii_lower(0xc3) == 0xc3 && pa_ascii_lower(0xc9) == 0xc9);

  CHECK(pa_ascii_icmp("Status", "sTATUS") == 0);
  CHECK(pa_ascii_ieq("Status", "sTATUS"));
  CHECK(!pa_ascii_ieq("status", "statu"));
  CHECK(pa_ascii_icmp("statu", "status") == -1);
  CHECK(pa_ascii_icmp("b", "A") == 1);
  CHECK(pa_ascii_icmp("", "") == 0);
  /* É and é are different bytes: not folded, ordered as unsigned */
  CHECK(!pa_ascii_ieq("\xc3\x89", "\xc3\xa9"));
  CHECK(pa_ascii_icmp("\xc3\x89", "\xc3\xa9") == -1);
  CHECK(pa_ascii_icmp("z", "\xc3\xa9") == -1);
}

static void test_sat_add(void)
{
  CHECK(pa_sat_add(2, 3) == 5);
  CHECK(pa_sat_add(0, 0) == 0);
  CHECK(pa_sat_add(UINT64_MAX - 1, 1) == UINT64_MAX);
  CHECK(pa_sat_add(UINT64_MAX - 1, 2) == UINT64_MAX);
  CHECK(pa_sat_add(1, UINT64_MAX) == UINT64_MAX);
  CHECK(pa_sat_add(UINT64_MAX, UINT64_MAX) == UINT64_MAX);
}

/* The values are persisted (usage file, recommendation ids): pinned. */
static void test_hash(void)
{
  /* FNV-1a 64's published test vectors */
  CHECK(pa_hash_bytes(PA_HASH_SEED, "", 0) == 0xcbf29ce484222325ULL);
  CHECK(pa_hash_bytes(PA_HASH_SEED, "a", 1) == 0xaf63dc4c8601ec8cULL);
  CHECK(pa_hash_bytes(PA_HASH_SEED, "foobar", 6) == 0x85944171f73967e8ULL);
  /* chained: the same as one call over the joined bytes */
  CHECK(pa_hash_bytes(pa_hash_bytes(PA_HASH_SEED, "foo", 3), "bar", 3) ==
        0x85944171f73967e8ULL);
  /* bytes past len and NULs inside count as they are */
  CHECK(pa_hash_bytes(PA_HASH_SEED, "ab", 1) == 0xaf63dc4c8601ec8cULL);
  CHECK(pa_hash_bytes(PA_HASH_SEED, "a\0b", 3) !=
        pa_hash_bytes(PA_HASH_SEED, "a\0c", 3));
  /* a string is its bytes, then the 0xff separator */
  CHECK(pa_hash_str(PA_HASH_SEED, "a") ==
        pa_hash_bytes(PA_HASH_SEED, "a\xff", 2));
  CHECK(pa_hash_str(pa_hash_str(PA_HASH_SEED, "ab"), "c") !=
        pa_hash_str(pa_hash_str(PA_HASH_SEED, "a"), "bc"));
  CHECK(pa_hash_str(PA_HASH_SEED, "A") != pa_hash_str(PA_HASH_SEED, "a"));
}

static void test_alloc(void)
{
  struct arena fail= PA_TEST_ARENA_INIT;
  struct pa_alloc f= {arena_alloc, &fail};
  int *v= pa_alloc_array(&A, 4, sizeof(int));
  CHECK(v != NULL);
  if (v)
    v[3]= 7; /* ASan: 4 ints are there */
  CHECK(pa_alloc_array(&A, SIZE_MAX / 2 + 1, 2) == NULL);
  CHECK(pa_alloc_array(&A, SIZE_MAX, SIZE_MAX) == NULL);
  CHECK(pa_alloc_array(&A, 2, SIZE_MAX / 2 + 1) == NULL);
  CHECK(pa_alloc_array(&A, 0, 8) != NULL);
  fail.fail_after= 0;
  CHECK(pa_alloc_array(&f, 1, 8) == NULL);
  CHECK(pa_strdupf(&f, "%d", 1) == NULL);
  CHECK(pa_strdup(&f, "x") == NULL);
  arena_free(&fail);

  CHECK_STR(pa_strdupf(&A, "%s-%03d", "ab", 7), "ab-007");
  CHECK_STR(pa_strdup(&A, "a`b"), "a`b");
  CHECK(pa_strdup(&A, NULL) == NULL);
}

static void test_json(void)
{
  struct pa_buf b;
  struct pa_json j;
  pa_buf_init(&b, &A);
  pa_json_begin(&j, &b);
  pa_json_str(&j, "s", "q\"\\\n\r\t\x01\x7f \xc3\xa9`");
  pa_json_str(&j, "n", NULL);
  pa_json_u64(&j, "u", UINT64_MAX);
  pa_json_i64(&j, "i", -5);
  pa_json_dbl(&j, "d", 0.1);
  pa_json_dbl(&j, "big", 12345678901.0); /* %.10g: 10 digits */
  pa_json_dbl(&j, "nan", NAN);
  pa_json_dbl(&j, "inf", INFINITY);
  pa_json_bool(&j, "t", 1);
  pa_json_null(&j, "z");
  pa_json_raw(&j, "r", "[1, 2]");
  pa_json_raw(&j, "rn", NULL);
  pa_json_end(&j);
  CHECK_STR(pa_buf_str(&b),
            "{\"s\": \"q\\\"\\\\\\n\\r\\t\\u0001\\u007f \xc3\xa9`\", "
            "\"n\": null, \"u\": 18446744073709551615, \"i\": -5, "
            "\"d\": 0.1, \"big\": 1.23456789e+10, \"nan\": null, "
            "\"inf\": null, \"t\": true, \"z\": null, \"r\": [1, 2], "
            "\"rn\": null}");

  /* a failed allocation: the buffer says so, never a cut text */
  {
    struct arena fail= PA_TEST_ARENA_INIT;
    struct pa_alloc f= {arena_alloc, &fail};
    struct pa_buf fb;
    fail.fail_after= 0;
    pa_buf_init(&fb, &f);
    pa_buf_puts(&fb, "abc");
    pa_buf_printf(&fb, "%d", 42);
    CHECK(fb.oom && pa_buf_str(&fb) == NULL);
    arena_free(&fail);
  }
  /* an empty buffer is "" */
  pa_buf_init(&b, &A);
  CHECK_STR(pa_buf_str(&b), "");
}

int main(void)
{
  test_fold();
  test_sat_add();
  test_hash();
  test_alloc();
  test_json();
  arena_free(&ar);
  return PA_TEST_END("test_text");
}
