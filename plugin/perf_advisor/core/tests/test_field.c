/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of pa_field: bounded writes that count, escaping both ways,
  numbers at their limits, and the checksummed trailer.
*/
#include "pa_field.h"
#include "pa_text.h"
#include "pa_test.h"

static void test_put(void)
{
  char buf[8];
  struct pa_field_out o= {buf, sizeof(buf), 0};
  struct pa_field_out z= {NULL, 0, 0};

  pa_field_put_text(&o, "a\tb\\c\nd\re");
  CHECK(o.len == 13);
  CHECK(pa_field_finish(&o) == 13);
  CHECK_STR(buf, "a\\tb\\\\c");   /* cut to the buffer, terminated */
  pa_field_put_text(&z, "abc");
  pa_field_printf(&z, "%d", 12345);
  CHECK(pa_field_finish(&z) == 8);
  pa_field_put_text(&z, "");
  CHECK(z.len == 8);
}

static void test_text(void)
{
  const char *in= "x\\t\\\\y\\n\\rz\tnext";
  const char *p= in, *end= in + strlen(in);
  char dst[16], tiny[3];

  CHECK(pa_field_text(&p, end, dst, sizeof(dst)) == 0);
  CHECK_STR(dst, "x\t\\y\n\rz");
  CHECK(*p == '\t');
  /* unknown escape, escape at the end, no room, zero size */
  p= "a\\qb";
  CHECK(pa_field_text(&p, p + 4, dst, sizeof(dst)) == -1);
  p= "a\\";
  CHECK(pa_field_text(&p, p + 2, dst, sizeof(dst)) == -1);
  p= "abc";
  CHECK(pa_field_text(&p, p + 3, tiny, sizeof(tiny)) == -1);
  p= "ab";
  CHECK(pa_field_text(&p, p + 2, tiny, sizeof(tiny)) == 0);
  CHECK_STR(tiny, "ab");
  p= "ab";
  CHECK(pa_field_text(&p, p + 2, tiny, 0) == -1);
  /* an embedded NUL is refused */
  {
    const char nul[]= {'a', 0, 'b'};
    p= nul;
    CHECK(pa_field_text(&p, nul + 3, dst, sizeof(dst)) == -1);
  }
  /* empty field */
  p= "\tx";
  CHECK(pa_field_text(&p, p + 2, dst, sizeof(dst)) == 0 && !dst[0]);
}

static void test_numbers(void)
{
  const char *p;
  uint64_t u;
  int64_t i;

  p= "18446744073709551615\t";
  CHECK(pa_field_u64(&p, p + 21, &u) == 0 && u == UINT64_MAX && *p == '\t');
  p= "18446744073709551616";
  CHECK(pa_field_u64(&p, p + 20, &u) == -1);
  p= "";
  CHECK(pa_field_u64(&p, p, &u) == -1);
  p= "-1";
  CHECK(pa_field_u64(&p, p + 2, &u) == -1);
  p= "-9223372036854775807";
  CHECK(pa_field_i64(&p, p + 20, &i) == 0 && i == -INT64_MAX);
  p= "9223372036854775808";
  CHECK(pa_field_i64(&p, p + 19, &i) == -1);
  p= "-";
  CHECK(pa_field_i64(&p, p + 1, &i) == -1);
  p= "x";
  CHECK(pa_field_expect(&p, p + 1, 'y') == -1);
  CHECK(pa_field_expect(&p, p + 1, 'x') == 0);
  CHECK(pa_field_expect(&p, p, 'x') == -1);
}

static void test_trailer(void)
{
  char img[128];
  const char *t;
  uint64_t records;
  size_t len= (size_t) snprintf(img, sizeof(img), "head\nbody\n");
  uint64_t h= pa_hash_bytes(PA_HASH_SEED, img, len);

  len+= pa_field_format_trailer(img + len, sizeof(img) - len, 3, h);
  CHECK(pa_field_check_trailer(img, len, img + 5, &t, &records) == 0);
  CHECK(records == 3 && t == img + 10);
  img[6]^= 1;   /* body changed */
  CHECK(pa_field_check_trailer(img, len, img + 5, &t, &records) == -1);
  img[6]^= 1;
  CHECK(pa_field_check_trailer(img, len - 1, img + 5, &t, &records) == -1);
  CHECK(pa_field_check_trailer(img, 1, img + 5, &t, &records) == -1);
  CHECK(pa_field_check_trailer(img, len, img + len + 1, &t, &records) == -1);
  /* upper-case hex, a short hash */
  len= (size_t) snprintf(img, sizeof(img), "h\nend 0 0000000000000ABC\n");
  CHECK(pa_field_check_trailer(img, len, img + 2, &t, &records) == -1);
  len= (size_t) snprintf(img, sizeof(img), "h\nend 0 0abc\n");
  CHECK(pa_field_check_trailer(img, len, img + 2, &t, &records) == -1);
  len= (size_t) snprintf(img, sizeof(img), "h\nfin 0 0abc\n");
  CHECK(pa_field_check_trailer(img, len, img + 2, &t, &records) == -1);
}

int main(void)
{
  test_put();
  test_text();
  test_numbers();
  test_trailer();
  return PA_TEST_END("test_field");
}
