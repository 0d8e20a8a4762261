/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: usage that survives restarts.
*/
#include "pa_usage.h"
#include "pa_field.h"
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

int pa_usage_covered(enum pa_stats_source src, int pfs_complete,
                     int has_entry)
{
  return src != PA_SRC_NONE &&
         (src == PA_SRC_USERSTAT || pfs_complete || has_entry);
}

int64_t pa_usage_pfs_window_start(int pfs_complete, int64_t server_start,
                                  int64_t now)
{
  return pfs_complete && server_start && server_start < now ? server_start
                                                            : now;
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

size_t pa_usage_format_header(char *buf, size_t size, int64_t server_start)
{
  struct pa_field_out o= {buf, size, 0};
  pa_field_put(&o, PA_USAGE_MAGIC, sizeof(PA_USAGE_MAGIC) - 1);
  pa_field_printf(&o, " %" PRId64 "\n", server_start);
  return pa_field_finish(&o);
}

size_t pa_usage_format_record(char *buf, size_t size, const char *schema,
                              const char *table, const char *index,
                              const struct pa_usage_entry *e)
{
  struct pa_field_out o= {buf, size, 0};

  pa_field_put_text(&o, schema);
  pa_field_put(&o, "\t", 1);
  pa_field_put_text(&o, table);
  pa_field_put(&o, "\t", 1);
  pa_field_put_text(&o, index);
  pa_field_printf(&o,
                  "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64
                  "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%d\t%" PRId64
                  "\t%" PRId64 "\n",
                  e->def_hash, e->total[0], e->total[1], e->total[2],
                  e->last_raw[0], e->last_raw[1], e->last_raw[2], e->last_src,
                  e->first_seen, e->last_used);
  return pa_field_finish(&o);
}

size_t pa_usage_format_trailer(char *buf, size_t size, uint64_t records,
                               uint64_t hash)
{
  return pa_field_format_trailer(buf, size, records, hash);
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
  if (pa_field_text(p, end, nm->schema, sizeof(nm->schema)) ||
      pa_field_expect(p, end, '\t') ||
      pa_field_text(p, end, nm->table, sizeof(nm->table)) ||
      pa_field_expect(p, end, '\t') ||
      pa_field_text(p, end, nm->index, sizeof(nm->index)) ||
      pa_field_expect(p, end, '\t') || pa_field_u64(p, end, &e->def_hash))
    return -1;
  for (i= 0; i < PA_USAGE_COUNTERS; i++)
    if (pa_field_expect(p, end, '\t') || pa_field_u64(p, end, &e->total[i]))
      return -1;
  for (i= 0; i < PA_USAGE_COUNTERS; i++)
    if (pa_field_expect(p, end, '\t') ||
        pa_field_u64(p, end, &e->last_raw[i]))
      return -1;
  if (pa_field_expect(p, end, '\t') || pa_field_i64(p, end, &src) ||
      src < PA_USAGE_FRESH || src > 16 || pa_field_expect(p, end, '\t') ||
      pa_field_i64(p, end, &e->first_seen) ||
      pa_field_expect(p, end, '\t') || pa_field_i64(p, end, &e->last_used) ||
      pa_field_expect(p, end, '\n'))
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
  uint64_t count= 0, want_count;
  struct names nm;
  struct pa_usage_entry e;
  int pass;

  if (!data || len < magic_len || memcmp(data, PA_USAGE_MAGIC, magic_len))
    return -1;
  end= data + len;
  p= data + magic_len;
  if (pa_field_expect(&p, end, ' ') || pa_field_i64(&p, end, server_start) ||
      pa_field_expect(&p, end, '\n'))
    return -1;
  body= p;
  if (pa_field_check_trailer(data, len, body, &trailer, &want_count))
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
