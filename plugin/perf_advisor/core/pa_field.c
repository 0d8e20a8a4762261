/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: fields of the store's line-oriented files.
*/
#include "pa_field.h"
#include "pa_text.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void pa_field_put(struct pa_field_out *o, const char *s, size_t n)
{
  if (o->len < o->size)
  {
    size_t room= o->size - o->len;
    memcpy(o->buf + o->len, s, n < room ? n : room);
  }
  o->len+= n;
}

void pa_field_put_text(struct pa_field_out *o, const char *s)
{
  for (; *s; s++)
  {
    switch (*s)
    {
    case '\\':
      pa_field_put(o, "\\\\", 2);
      break;
    case '\t':
      pa_field_put(o, "\\t", 2);
      break;
    case '\n':
      pa_field_put(o, "\\n", 2);
      break;
    case '\r':
      pa_field_put(o, "\\r", 2);
      break;
    default:
      pa_field_put(o, s, 1);
    }
  }
}

void pa_field_printf(struct pa_field_out *o, const char *fmt, ...)
{
  char tmp[384];
  va_list ap;
  int n;
  va_start(ap, fmt);
  n= vsnprintf(tmp, sizeof(tmp), fmt, ap);
  va_end(ap);
  if (n > 0)
    pa_field_put(o, tmp, (size_t) n < sizeof(tmp) ? (size_t) n
                                                    : sizeof(tmp) - 1);
}

size_t pa_field_finish(struct pa_field_out *o)
{
  if (o->size > 0)
    o->buf[o->len < o->size ? o->len : o->size - 1]= 0;
  return o->len;
}

int pa_field_u64(const char **p, const char *end, uint64_t *v)
{
  const char *s= *p;
  uint64_t x= 0;
  if (s >= end || *s < '0' || *s > '9')
    return -1;
  for (; s < end && *s >= '0' && *s <= '9'; s++)
  {
    unsigned d= (unsigned) (*s - '0');
    if (x > (UINT64_MAX - d) / 10)
      return -1;
    x= x * 10 + d;
  }
  *v= x;
  *p= s;
  return 0;
}

int pa_field_i64(const char **p, const char *end, int64_t *v)
{
  uint64_t u;
  int neg= 0;
  if (*p < end && **p == '-')
  {
    neg= 1;
    (*p)++;
  }
  if (pa_field_u64(p, end, &u) || u > (uint64_t) INT64_MAX)
    return -1;
  *v= neg ? -(int64_t) u : (int64_t) u;
  return 0;
}

int pa_field_expect(const char **p, const char *end, char c)
{
  if (*p >= end || **p != c)
    return -1;
  (*p)++;
  return 0;
}

int pa_field_text(const char **p, const char *end, char *dst,
                  size_t dst_size)
{
  const char *s= *p;
  size_t n= 0;
  if (!dst_size)
    return -1;
  while (s < end && *s != '\t' && *s != '\n')
  {
    char c= *s++;
    if (c == '\\')
    {
      if (s >= end)
        return -1;
      switch (*s++)
      {
      case '\\':
        c= '\\';
        break;
      case 't':
        c= '\t';
        break;
      case 'n':
        c= '\n';
        break;
      case 'r':
        c= '\r';
        break;
      default:
        return -1;
      }
    }
    if (c == 0 || n + 1 >= dst_size)
      return -1;
    dst[n++]= c;
  }
  dst[n]= 0;
  *p= s;
  return 0;
}

int pa_field_check_trailer(const char *data, size_t len,
                           const char *header_end, const char **trailer,
                           uint64_t *records)
{
  const char *end= data + len, *t, *p;
  uint64_t want_hash= 0, hash;
  int digits= 0;

  if (len < 2 || data[len - 1] != '\n' || header_end > end)
    return -1;
  for (t= end - 1; t > header_end && t[-1] != '\n'; t--)
  {
  }
  hash= pa_hash_bytes(PA_HASH_SEED, data, (size_t) (t - data));
  p= t;
  if (end - p < 4 || memcmp(p, "end ", 4))
    return -1;
  p+= 4;
  if (pa_field_u64(&p, end, records) || pa_field_expect(&p, end, ' '))
    return -1;
  for (; p < end && *p != '\n'; p++, digits++)
  {
    int c= *p, d;
    if (c >= '0' && c <= '9')
      d= c - '0';
    else if (c >= 'a' && c <= 'f')
      d= c - 'a' + 10;
    else
      return -1;
    want_hash= want_hash << 4 | (uint64_t) d;
  }
  if (digits != 16 || pa_field_expect(&p, end, '\n') || p != end ||
      want_hash != hash)
    return -1;
  *trailer= t;
  return 0;
}

size_t pa_field_format_trailer(char *buf, size_t size, uint64_t records,
                               uint64_t hash)
{
  int n= snprintf(buf, size, "end %" PRIu64 " %016" PRIx64 "\n", records,
                  hash);
  return n < 0 ? 0 : (size_t) n;
}
