/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: usage that survives restarts.
*/
#include "pa_usage.h"
#include "pa_text.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void pa_usage_init(struct pa_usage_entry *e, int64_t now)
{
  memset(e, 0, sizeof(*e));
  e->first_seen= now;
  e->last_src= PA_USAGE_FRESH;
}

void pa_usage_observe(struct pa_usage_entry *e, int src,
                      const uint64_t raw[PA_USAGE_COUNTERS], int64_t now)
{
  int i, same_source= e->last_src == src || e->last_src == PA_USAGE_FRESH;

  for (i= 0; i < PA_USAGE_COUNTERS; i++)
  {
    uint64_t delta= 0;
    if (same_source)
      delta= raw[i] >= e->last_raw[i] ? raw[i] - e->last_raw[i] : raw[i];
    e->total[i]= pa_sat_add(e->total[i], delta);
    if (i == 0 && delta > 0)
      e->last_used= now;
    e->last_raw[i]= raw[i];
  }
  e->last_src= src;
}

int pa_usage_set_def(struct pa_usage_entry *e, uint64_t def_hash,
                     int64_t now)
{
  if (e->def_hash && def_hash && e->def_hash != def_hash)
  {
    memset(e->total, 0, sizeof(e->total));
    e->first_seen= now;
    e->last_used= 0;
    e->def_hash= def_hash;
    return 1;
  }
  if (def_hash)
    e->def_hash= def_hash;
  return 0;
}

uint64_t pa_usage_window(const struct pa_usage_entry *e, int64_t now)
{
  if (!e || now <= e->first_seen)
    return 0;
  return (uint64_t) (now - e->first_seen);
}

enum pa_usage_status pa_usage_status(const struct pa_usage_entry *e,
                                     int source_active, int constraint,
                                     int64_t now,
                                     uint64_t min_observation_seconds)
{
  if (!e)
    return PA_USAGE_UNKNOWN;
  if (e->total[0] > 0)
    return PA_USAGE_USED;
  if (!source_active || constraint)
    return PA_USAGE_UNKNOWN;
  if (pa_usage_window(e, now) < min_observation_seconds)
    return PA_USAGE_UNKNOWN;
  return PA_USAGE_UNUSED;
}

const char *pa_usage_status_name(enum pa_usage_status s)
{
  switch (s)
  {
  case PA_USAGE_USED:
    return "used";
  case PA_USAGE_UNUSED:
    return "unused";
  case PA_USAGE_UNKNOWN:
    break;
  }
  return "unknown";
}

/* ---- on-disk format ---------------------------------------------------- */

/* Append to a bounded buffer, counting what would be needed. */
struct out
{
  char *buf;
  size_t size;
  size_t len;
};

static void put(struct out *o, const char *s, size_t n)
{
  if (o->len < o->size)
  {
    size_t room= o->size - o->len;
    memcpy(o->buf + o->len, s, n < room ? n : room);
  }
  o->len+= n;
}

static void put_ident(struct out *o, const char *s)
{
  for (; *s; s++)
  {
    switch (*s)
    {
    case '\\':
      put(o, "\\\\", 2);
      break;
    case '\t':
      put(o, "\\t", 2);
      break;
    case '\n':
      put(o, "\\n", 2);
      break;
    case '\r':
      put(o, "\\r", 2);
      break;
    default:
      put(o, s, 1);
    }
  }
}

static size_t finish(struct out *o)
{
  if (o->size > 0)
    o->buf[o->len < o->size ? o->len : o->size - 1]= 0;
  return o->len;
}

size_t pa_usage_format_header(char *buf, size_t size, int64_t server_start)
{
  char tmp[64];
  struct out o= {buf, size, 0};
  int n= snprintf(tmp, sizeof(tmp), " %" PRId64 "\n", server_start);
  put(&o, PA_USAGE_MAGIC, sizeof(PA_USAGE_MAGIC) - 1);
  put(&o, tmp, (size_t) n);
  return finish(&o);
}

size_t pa_usage_format_record(char *buf, size_t size, const char *schema,
                              const char *table, const char *index,
                              const struct pa_usage_entry *e)
{
  char tmp[384];
  struct out o= {buf, size, 0};
  int n;

  put_ident(&o, schema);
  put(&o, "\t", 1);
  put_ident(&o, table);
  put(&o, "\t", 1);
  put_ident(&o, index);
  n= snprintf(tmp, sizeof(tmp),
              "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64
              "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%d\t%" PRId64
              "\t%" PRId64 "\n",
              e->def_hash, e->total[0], e->total[1], e->total[2],
              e->last_raw[0], e->last_raw[1], e->last_raw[2], e->last_src,
              e->first_seen, e->last_used);
  put(&o, tmp, (size_t) n);
  return finish(&o);
}

size_t pa_usage_format_trailer(char *buf, size_t size, uint64_t records,
                               uint64_t hash)
{
  int n= snprintf(buf, size, "end %" PRIu64 " %016" PRIx64 "\n", records,
                  hash);
  return n < 0 ? 0 : (size_t) n;
}

/* Parse an unsigned decimal field ending at a tab or at end; advance *p. */
static int parse_u64(const char **p, const char *end, uint64_t *v)
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

static int parse_i64(const char **p, const char *end, int64_t *v)
{
  uint64_t u;
  int neg= 0;
  if (*p < end && **p == '-')
  {
    neg= 1;
    (*p)++;
  }
  if (parse_u64(p, end, &u) || u > (uint64_t) INT64_MAX)
    return -1;
  *v= neg ? -(int64_t) u : (int64_t) u;
  return 0;
}

static int expect(const char **p, const char *end, char c)
{
  if (*p >= end || **p != c)
    return -1;
  (*p)++;
  return 0;
}

/* Unescape one identifier up to the next tab into dst (PA_IDENT_BYTES). */
static int parse_ident(const char **p, const char *end, char *dst)
{
  const char *s= *p;
  size_t n= 0;
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
    if (c == 0 || n + 1 >= PA_IDENT_BYTES)
      return -1;
    dst[n++]= c;
  }
  dst[n]= 0;
  *p= s;
  return 0;
}

struct names
{
  char schema[PA_IDENT_BYTES], table[PA_IDENT_BYTES], index[PA_IDENT_BYTES];
};

static int parse_record(const char **p, const char *end, struct names *nm,
                        struct pa_usage_entry *e)
{
  int64_t src;
  int i;
  memset(e, 0, sizeof(*e));
  if (parse_ident(p, end, nm->schema) || expect(p, end, '\t') ||
      parse_ident(p, end, nm->table) || expect(p, end, '\t') ||
      parse_ident(p, end, nm->index) || expect(p, end, '\t') ||
      parse_u64(p, end, &e->def_hash))
    return -1;
  for (i= 0; i < PA_USAGE_COUNTERS; i++)
    if (expect(p, end, '\t') || parse_u64(p, end, &e->total[i]))
      return -1;
  for (i= 0; i < PA_USAGE_COUNTERS; i++)
    if (expect(p, end, '\t') || parse_u64(p, end, &e->last_raw[i]))
      return -1;
  if (expect(p, end, '\t') || parse_i64(p, end, &src) || src < PA_USAGE_FRESH ||
      src > 16 || expect(p, end, '\t') ||
      parse_i64(p, end, &e->first_seen) || expect(p, end, '\t') ||
      parse_i64(p, end, &e->last_used) || expect(p, end, '\n'))
    return -1;
  if (!nm->schema[0] || !nm->table[0])
    return -1;
  e->last_src= (int) src;
  return 0;
}

long pa_usage_parse(const char *data, size_t len, int64_t *server_start,
                    pa_usage_record_fn fn, void *ctx)
{
  const char *p, *end, *body, *trailer;
  size_t magic_len= sizeof(PA_USAGE_MAGIC) - 1;
  uint64_t count= 0, want_count, want_hash, hash;
  struct names nm;
  struct pa_usage_entry e;
  int pass;

  if (!data || len < magic_len || memcmp(data, PA_USAGE_MAGIC, magic_len))
    return -1;
  end= data + len;
  p= data + magic_len;
  if (expect(&p, end, ' ') || parse_i64(&p, end, server_start) ||
      expect(&p, end, '\n'))
    return -1;
  body= p;

  /* The trailer is the last line. */
  if (len < 2 || data[len - 1] != '\n')
    return -1;
  for (trailer= end - 1; trailer > body && trailer[-1] != '\n'; trailer--)
  {
  }
  hash= pa_hash_bytes(PA_HASH_SEED, data, (size_t) (trailer - data));
  p= trailer;
  if (end - p < 4 || memcmp(p, "end ", 4))
    return -1;
  p+= 4;
  if (parse_u64(&p, end, &want_count) || expect(&p, end, ' '))
    return -1;
  want_hash= 0;
  {
    int digits= 0;
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
    if (digits != 16 || expect(&p, end, '\n') || p != end)
      return -1;
  }
  if (want_hash != hash)
    return -1;

  /* Pass 0 validates every record; pass 1 delivers them. */
  for (pass= 0; pass < 2; pass++)
  {
    count= 0;
    for (p= body; p < trailer; count++)
    {
      if (parse_record(&p, trailer, &nm, &e))
        return -1;
      if (pass == 1 && fn && fn(ctx, nm.schema, nm.table, nm.index, &e))
        return -1;
    }
    if (count != want_count)
      return -1;
  }
  return (long) count;
}
