/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: text building on a caller's allocator.
*/
#include "pa_text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <inttypes.h>

char *pa_vstrdupf(const struct pa_alloc *a, const char *fmt, va_list ap)
{
  va_list ap2;
  int n;
  char *s;

  va_copy(ap2, ap);
  n= vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0 || !(s= a->alloc(a->ctx, (size_t) n + 1)))
    return NULL;
  vsnprintf(s, (size_t) n + 1, fmt, ap);
  return s;
}

char *pa_strdupf(const struct pa_alloc *a, const char *fmt, ...)
{
  va_list ap;
  char *s;
  va_start(ap, fmt);
  s= pa_vstrdupf(a, fmt, ap);
  va_end(ap);
  return s;
}

char *pa_strdup(const struct pa_alloc *a, const char *s)
{
  size_t n;
  char *d;
  if (!s)
    return NULL;
  n= strlen(s) + 1;
  if ((d= a->alloc(a->ctx, n)))
    memcpy(d, s, n);
  return d;
}

void pa_buf_init(struct pa_buf *b, const struct pa_alloc *a)
{
  b->a= a;
  b->data= NULL;
  b->len= b->cap= 0;
  b->oom= 0;
}

static int reserve(struct pa_buf *b, size_t more)
{
  size_t cap;
  char *d;
  if (b->oom)
    return -1;
  if (b->len + more + 1 <= b->cap)
    return 0;
  cap= b->cap ? b->cap * 2 : 256;
  while (cap < b->len + more + 1)
    cap*= 2;
  if (!(d= b->a->alloc(b->a->ctx, cap)))
  {
    b->oom= 1;
    return -1;
  }
  if (b->len)
    memcpy(d, b->data, b->len);
  b->data= d;
  b->cap= cap;
  return 0;
}

void pa_buf_append(struct pa_buf *b, const char *s, size_t n)
{
  if (reserve(b, n))
    return;
  memcpy(b->data + b->len, s, n);
  b->len+= n;
  b->data[b->len]= 0;
}

void pa_buf_puts(struct pa_buf *b, const char *s)
{
  pa_buf_append(b, s, strlen(s));
}

void pa_buf_printf(struct pa_buf *b, const char *fmt, ...)
{
  va_list ap, ap2;
  int n;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  n= vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n >= 0 && !reserve(b, (size_t) n))
  {
    vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
    b->len+= (size_t) n;
  }
  va_end(ap);
}

void pa_buf_json_str(struct pa_buf *b, const char *s)
{
  const unsigned char *p;
  if (!s)
  {
    pa_buf_puts(b, "null");
    return;
  }
  pa_buf_append(b, "\"", 1);
  for (p= (const unsigned char *) s; *p; p++)
  {
    char esc[8];
    switch (*p)
    {
    case '"':
      pa_buf_append(b, "\\\"", 2);
      break;
    case '\\':
      pa_buf_append(b, "\\\\", 2);
      break;
    case '\n':
      pa_buf_append(b, "\\n", 2);
      break;
    case '\r':
      pa_buf_append(b, "\\r", 2);
      break;
    case '\t':
      pa_buf_append(b, "\\t", 2);
      break;
    default:
      if (*p < 0x20 || *p == 0x7f)
      {
        snprintf(esc, sizeof(esc), "\\u%04x", *p);
        pa_buf_append(b, esc, 6);
      }
      else
        pa_buf_append(b, (const char *) p, 1);
    }
  }
  pa_buf_append(b, "\"", 1);
}

char *pa_buf_str(struct pa_buf *b)
{
  if (b->oom)
    return NULL;
  if (!b->data && reserve(b, 0))
    return NULL;
  b->data[b->len]= 0;
  return b->data;
}

void pa_json_begin(struct pa_json *j, struct pa_buf *b)
{
  j->b= b;
  j->n= 0;
  pa_buf_append(b, "{", 1);
}

static void key(struct pa_json *j, const char *k)
{
  if (j->n++)
    pa_buf_append(j->b, ", ", 2);
  pa_buf_json_str(j->b, k);
  pa_buf_append(j->b, ": ", 2);
}

void pa_json_str(struct pa_json *j, const char *k, const char *val)
{
  key(j, k);
  pa_buf_json_str(j->b, val);
}

void pa_json_u64(struct pa_json *j, const char *k, uint64_t val)
{
  key(j, k);
  pa_buf_printf(j->b, "%" PRIu64, val);
}

void pa_json_i64(struct pa_json *j, const char *k, int64_t val)
{
  key(j, k);
  pa_buf_printf(j->b, "%" PRId64, val);
}

void pa_json_dbl(struct pa_json *j, const char *k, double val)
{
  key(j, k);
  if (isfinite(val))
    pa_buf_printf(j->b, "%.10g", val);
  else
    pa_buf_puts(j->b, "null");
}

void pa_json_bool(struct pa_json *j, const char *k, int val)
{
  key(j, k);
  pa_buf_puts(j->b, val ? "true" : "false");
}

void pa_json_null(struct pa_json *j, const char *k)
{
  key(j, k);
  pa_buf_puts(j->b, "null");
}

void pa_json_raw(struct pa_json *j, const char *k, const char *json)
{
  key(j, k);
  pa_buf_puts(j->b, json ? json : "null");
}

void pa_json_end(struct pa_json *j)
{
  pa_buf_append(j->b, "}", 1);
}

void *pa_alloc_array(const struct pa_alloc *a, size_t n, size_t size)
{
  if (size && n > (size_t) -1 / size)
    return NULL;
  return a->alloc(a->ctx, n * size);
}

uint64_t pa_hash_bytes(uint64_t h, const void *bytes, size_t len)
{
  const unsigned char *p= bytes;
  size_t i;
  for (i= 0; i < len; i++)
  {
    h^= p[i];
    h*= 0x100000001b3ULL;
  }
  return h;
}

uint64_t pa_hash_str(uint64_t h, const char *s)
{
  static const unsigned char sep= 0xff;
  h= pa_hash_bytes(h, s, strlen(s));
  return pa_hash_bytes(h, &sep, 1);
}

int pa_ascii_icmp(const char *a, const char *b)
{
  const unsigned char *x= (const unsigned char *) a;
  const unsigned char *y= (const unsigned char *) b;
  for (;; x++, y++)
  {
    unsigned char cx= pa_ascii_lower(*x), cy= pa_ascii_lower(*y);
    if (cx != cy)
      return cx < cy ? -1 : 1;
    if (!cx)
      return 0;
  }
}

int pa_ascii_ieq(const char *a, const char *b)
{
  return pa_ascii_icmp(a, b) == 0;
}
