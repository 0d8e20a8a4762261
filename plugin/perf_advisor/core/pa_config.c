/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: server configuration and cache advice.

  Every rule reads a pa_server_state, decides, and appends at most one
  record.  Unknown inputs silence a rule rather than guess.  Sizes that take
  memory are suggested only when the memory estimate (pa_config_memory) and
  RAM are known, and never beyond the room RAM leaves under that estimate.
*/
#include "pa_config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#define KIB 1024ULL
#define MIB (1024ULL * KIB)
#define GIB (1024ULL * MIB)

/*
  innodb_buffer_pool_size suggestions are multiples of 128 MiB: that was
  the chunk size of 10.11 servers that still resize by chunks, and it is a
  multiple of the 8 MiB extent of those that do not.
*/
#define PA_BP_STEP (128 * MIB)

/* Upper bounds of the variables' valid ranges in sql/sys_vars.cc. */
#define PA_MAX_CONNECTIONS_MAX 100000ULL
#define PA_TABLE_OPEN_CACHE_MAX (1024ULL * 1024)
#define PA_TDC_MAX (2ULL * 1024 * 1024)
#define PA_THREAD_CACHE_MAX 16384ULL
#define PA_DIGESTS_MAX (1024LL * 1024)
#define PA_DIGESTS_DEFAULT 10000

static const char *const TYPE_CONFIG= "configuration";
static const char *const TYPE_CACHE= "cache";

/* Actions: run sql; edit the config file and restart; read and decide. */
static const char *const ACT_SET= "set_global";
static const char *const ACT_RESTART= "edit_config_restart";
static const char *const ACT_REVIEW= "review";

static int known(uint64_t v)
{
  return v != PA_CONFIG_UNKNOWN;
}

static int ram_known(const struct pa_server_state *s)
{
  return s->ram_bytes != 0 && known(s->ram_bytes);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
  return a < b ? a : b;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
  return a > b ? a : b;
}

/* a - b, 0 when b > a: counters read at slightly different moments can be
   out of order. */
static uint64_t sub0(uint64_t a, uint64_t b)
{
  return a > b ? a - b : 0;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
  return (a && b > UINT64_MAX / a) ? UINT64_MAX : a * b;
}

/* floor(v * f) for 0 <= f, saturating. */
static uint64_t frac_of(uint64_t v, double f)
{
  double d= (double) v * f;
  if (!(d > 0.0))
    return 0;
  if (d >= 18446744073709551615.0)
    return UINT64_MAX;
  return (uint64_t) d;
}

static uint64_t round_down(uint64_t v, uint64_t step)
{
  return v - v % step;
}

void pa_config_state_init(struct pa_server_state *s)
{
  memset(s, 0xff, sizeof(*s));
}

void pa_config_thresholds_default(struct pa_config_thresholds *t)
{
  t->min_hit_ratio_buffer_pool= 0.99;
  t->min_buffer_pool_read_requests= 10000;
  t->small_buffer_pool_bytes= GIB;
  t->buffer_pool_ram_fraction= 0.70;
  t->max_tmp_disk_ratio= 0.25;
  t->min_tmp_tables= 1000;
  t->tmp_table_ram_fraction= 0.01;
  t->min_uptime_rate_s= 3600;
  t->max_redo_log_bytes= 32 * GIB;
  t->max_connections_high_ratio= 0.85;
  t->max_connections_low_ratio= 0.10;
  t->min_uptime_low_connections_s= 86400;
  t->min_qcache_hit_ratio= 0.50;
  t->min_qcache_lookups= 10000;
  t->max_qcache_prune_ratio= 0.10;
  t->min_commits_per_s= 100.0;
  t->overcommit_high_ratio= 1.00;
  t->overcommit_medium_ratio= 0.90;
  t->max_table_cache_miss_ratio= 0.10;
  t->min_table_opens= 10000;
  t->max_thread_create_ratio= 0.10;
  t->min_connections= 1000;
  t->max_tdc_opens_per_hour= 100.0;
  t->min_hit_ratio_key_cache= 0.99;
  t->min_key_read_requests= 10000;
}

int pa_config_memory(const struct pa_server_state *s,
                     struct pa_config_memory *m)
{
  const uint64_t global_in[]= {
      s->innodb_buffer_pool_size, s->key_buffer_size, s->query_cache_size,
      s->innodb_log_buffer_size, s->aria_pagecache_buffer_size};
  /* The buffers a connection may hold at once; the temporary table limit
     is added apart. */
  const uint64_t conn_in[]= {
      s->sort_buffer_size,     s->join_buffer_size, s->read_buffer_size,
      s->read_rnd_buffer_size, s->thread_stack,     s->binlog_cache_size};
  size_t i;

  memset(m, 0, sizeof(*m));
  for (i= 0; i < sizeof(global_in) / sizeof(global_in[0]); i++)
    if (!known(global_in[i]))
      return 0;
  for (i= 0; i < sizeof(conn_in) / sizeof(conn_in[0]); i++)
    if (!known(conn_in[i]))
      return 0;
  if (!known(s->tmp_table_size) || !known(s->max_heap_table_size) ||
      !known(s->max_connections) || s->query_cache_type < 0)
    return 0;

  m->global_bytes= pa_sat_add(s->innodb_buffer_pool_size, s->key_buffer_size);
  /* A query cache that is OFF has its memory freed (Query_cache::init,
     disable_query_cache), whatever query_cache_size says. */
  if (s->query_cache_type != 0)
    m->global_bytes= pa_sat_add(m->global_bytes, s->query_cache_size);
  m->global_bytes= pa_sat_add(m->global_bytes, s->innodb_log_buffer_size);
  m->global_bytes= pa_sat_add(m->global_bytes, s->aria_pagecache_buffer_size);

  for (i= 0; i < sizeof(conn_in) / sizeof(conn_in[0]); i++)
    m->per_conn_bytes= pa_sat_add(m->per_conn_bytes, conn_in[i]);
  /* An in-memory internal temporary table is limited by the smaller of the
     two (sql_select.cc: MY_MIN(tmp_memory_table_size,
     max_heap_table_size)). */
  m->per_conn_bytes= pa_sat_add(m->per_conn_bytes,
                                min_u64(s->tmp_table_size,
                                        s->max_heap_table_size));
  m->worst_bytes= pa_sat_add(m->global_bytes,
                             sat_mul(m->per_conn_bytes, s->max_connections));
  return 1;
}

/* ---------------------------------------------------------------- caches */

static void ratio_of(struct pa_cache_row *r)
{
  r->hit_ratio_known= r->hits_known && r->misses_known &&
                      pa_sat_add(r->hits, r->misses) > 0;
  r->hit_ratio= 0.0;
  if (r->hit_ratio_known)
    r->hit_ratio= (double) r->hits / ((double) r->hits + (double) r->misses);
}

static void row_init(struct pa_cache_row *r, const char *name,
                     const char *unit, uint64_t size, const char *source)
{
  memset(r, 0, sizeof(*r));
  r->name= name;
  r->size_unit= unit;
  r->size_known= known(size);
  r->size= r->size_known ? size : 0;
  r->source= source;
}

static void row_set(int *is_known, uint64_t *field, int ok, uint64_t v)
{
  *is_known= ok;
  *field= ok ? v : 0;
}

int pa_cache_stats(const struct pa_server_state *s,
                   struct pa_cache_row rows[PA_CACHE_ROWS])
{
  struct pa_cache_row *r;
  int qc_off;

  /*
    Buffer pool.  Innodb_buffer_pool_reads is buf_pool.stat.n_pages_read,
    which also counts read-ahead pages, so the ratio is a lower bound.
  */
  r= &rows[0];
  row_init(r, "innodb_buffer_pool", "bytes", s->innodb_buffer_pool_size,
           "Innodb_buffer_pool_read_requests, Innodb_buffer_pool_reads, "
           "Innodb_buffer_pool_pages_total, Innodb_buffer_pool_pages_free, "
           "innodb_page_size");
  row_set(&r->used_known, &r->used,
          known(s->Innodb_buffer_pool_pages_total) &&
              known(s->Innodb_buffer_pool_pages_free) &&
              known(s->innodb_page_size),
          sat_mul(sub0(s->Innodb_buffer_pool_pages_total,
                       s->Innodb_buffer_pool_pages_free),
                  s->innodb_page_size));
  row_set(&r->hits_known, &r->hits,
          known(s->Innodb_buffer_pool_read_requests) &&
              known(s->Innodb_buffer_pool_reads),
          sub0(s->Innodb_buffer_pool_read_requests,
               s->Innodb_buffer_pool_reads));
  row_set(&r->misses_known, &r->misses, known(s->Innodb_buffer_pool_reads),
          s->Innodb_buffer_pool_reads);
  ratio_of(r);

  /*
    Query cache.  Misses are the SELECTs that looked the cache up and were
    not served: stored (Qcache_inserts) or declined (Qcache_not_cached).
    Com_select is not used: in MariaDB it also counts the hits.
  */
  r= &rows[1];
  row_init(r, "query_cache", "bytes", s->query_cache_size,
           "Qcache_hits, Qcache_inserts, Qcache_not_cached, "
           "Qcache_free_memory");
  row_set(&r->used_known, &r->used,
          known(s->query_cache_size) && known(s->Qcache_free_memory),
          sub0(s->query_cache_size, s->Qcache_free_memory));
  row_set(&r->hits_known, &r->hits, known(s->Qcache_hits), s->Qcache_hits);
  row_set(&r->misses_known, &r->misses,
          known(s->Qcache_inserts) && known(s->Qcache_not_cached),
          pa_sat_add(s->Qcache_inserts, s->Qcache_not_cached));
  ratio_of(r);
  qc_off= s->query_cache_type == 0 || s->query_cache_size == 0;
  if (qc_off)
  {
    r->hit_ratio_known= 0;
    r->hit_ratio= 0.0;
  }

  r= &rows[2];
  row_init(r, "table_open_cache", "entries", s->table_open_cache,
           "Table_open_cache_hits, Table_open_cache_misses, Open_tables");
  row_set(&r->used_known, &r->used, known(s->Open_tables), s->Open_tables);
  row_set(&r->hits_known, &r->hits, known(s->Table_open_cache_hits),
          s->Table_open_cache_hits);
  row_set(&r->misses_known, &r->misses, known(s->Table_open_cache_misses),
          s->Table_open_cache_misses);
  ratio_of(r);

  /* No counter of definition cache hits exists: ratio unknown. */
  r= &rows[3];
  row_init(r, "table_definition_cache", "entries", s->table_definition_cache,
           "Opened_table_definitions, Open_table_definitions");
  row_set(&r->used_known, &r->used, known(s->Open_table_definitions),
          s->Open_table_definitions);
  row_set(&r->misses_known, &r->misses, known(s->Opened_table_definitions),
          s->Opened_table_definitions);
  ratio_of(r);

  /*
    Thread cache.  Connections counts connection attempts (the last thread
    id), so hits are the connections that did not create a thread.
  */
  r= &rows[4];
  row_init(r, "thread_cache", "entries", s->thread_cache_size,
           "Connections, Threads_created, Threads_cached");
  row_set(&r->used_known, &r->used, known(s->Threads_cached),
          s->Threads_cached);
  row_set(&r->hits_known, &r->hits,
          known(s->Connections) && known(s->Threads_created),
          sub0(s->Connections, s->Threads_created));
  row_set(&r->misses_known, &r->misses, known(s->Threads_created),
          s->Threads_created);
  ratio_of(r);

  /* Key cache.  Key_blocks_used is a high-water mark. */
  r= &rows[5];
  row_init(r, "key_cache", "bytes", s->key_buffer_size,
           "Key_read_requests, Key_reads, Key_blocks_used, "
           "key_cache_block_size");
  row_set(&r->used_known, &r->used,
          known(s->Key_blocks_used) && known(s->key_cache_block_size),
          sat_mul(s->Key_blocks_used, s->key_cache_block_size));
  row_set(&r->hits_known, &r->hits,
          known(s->Key_read_requests) && known(s->Key_reads),
          sub0(s->Key_read_requests, s->Key_reads));
  row_set(&r->misses_known, &r->misses, known(s->Key_reads), s->Key_reads);
  ratio_of(r);

  return PA_CACHE_ROWS;
}

/* ----------------------------------------------------------------- rules */

struct cfg
{
  const struct pa_server_state *s;
  const struct pa_config_thresholds *t;
  struct pa_rec_list *out;
  int mem_known;                /* RAM and the memory estimate are known */
  struct pa_config_memory mem;
  /*
    The budget the memory-growing suggestions share: RAM - worst case (0
    when over), less the worst-case cost of each suggestion already made,
    so that running every suggested statement together still keeps the
    estimate within RAM.  Rules draw on it in priority order (buffer pool,
    max_connections, temporary tables, key cache); conns and per_conn are
    the values after the suggestions so far.
  */
  uint64_t headroom;
  uint64_t conns;
  uint64_t per_conn;
  int oom;
};

/* Draw cost bytes from the shared budget (cost <= c->headroom). */
static void spend(struct cfg *c, uint64_t cost)
{
  c->headroom= sub0(c->headroom, cost);
}

/* One record being built: message text, evidence JSON, statements. */
struct draft
{
  struct pa_buf msg, ev;
  struct pa_json j;
  const char *sql, *rollback;
};

static void draft_begin(struct cfg *c, struct draft *d, const char *rule)
{
  pa_buf_init(&d->msg, c->out->a);
  pa_buf_init(&d->ev, c->out->a);
  pa_json_begin(&d->j, &d->ev);
  pa_json_str(&d->j, "rule", rule);
  d->sql= d->rollback= NULL;
}

/* A statement in the list's memory; an allocation failure is remembered. */
static const char *stmt(struct cfg *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static const char *stmt(struct cfg *c, const char *fmt, ...)
{
  va_list ap;
  char *p;
  va_start(ap, fmt);
  p= pa_vstrdupf(c->out->a, fmt, ap);
  va_end(ap);
  if (!p)
    c->oom= 1;
  return p;
}

/* d's statement sets variable var from its value now, from, to to; the
   rollback sets it back. */
static void set_global(struct cfg *c, struct draft *d, const char *var,
                       uint64_t to, uint64_t from)
{
  d->sql= stmt(c, "SET GLOBAL %s = %" PRIu64, var, to);
  d->rollback= stmt(c, "SET GLOBAL %s = %" PRIu64, var, from);
}

/* The same for a switch: SET GLOBAL var = ON, and back to OFF. */
static void switch_on(struct cfg *c, struct draft *d, const char *var)
{
  d->sql= stmt(c, "SET GLOBAL %s = ON", var);
  d->rollback= stmt(c, "SET GLOBAL %s = OFF", var);
}

static void draft_emit(struct cfg *c, struct draft *d, const char *type,
                       const char *rule, enum pa_priority prio,
                       const char *action, double benefit)
{
  struct pa_rec *r;
  char *msg, *ev;
  pa_json_end(&d->j);
  msg= pa_buf_str(&d->msg);
  ev= pa_buf_str(&d->ev);
  if (c->oom || !msg || !ev || !(r= pa_rec_new(c->out)))
  {
    c->oom= 1;
    c->out->oom= 1;
    return;
  }
  r->priority= prio;
  r->message= msg;
  r->action= action;
  r->sql= d->sql;
  r->rollback_sql= d->rollback;
  r->benefit= benefit;
  r->evidence= ev;
  pa_rec_set_id(r, type, rule, NULL);
}

static void ev_u64(struct draft *d, const char *key, uint64_t v)
{
  if (known(v))
    pa_json_u64(&d->j, key, v);
  else
    pa_json_null(&d->j, key);
}

/* A cache's hit ratio and the thresholds it was held to. */
static void ev_hit_ratio(struct draft *d, double hit, double min,
                         uint64_t min_requests)
{
  pa_json_dbl(&d->j, "hit_ratio", hit);
  pa_json_dbl(&d->j, "min_hit_ratio", min);
  pa_json_u64(&d->j, "min_read_requests", min_requests);
}

/* A suggested size of target bytes, up from now: stated, and its growth
   taken from the memory headroom. */
static void ev_grow(struct cfg *c, struct draft *d, uint64_t target,
                    uint64_t now)
{
  if (!target)
    return;
  pa_json_u64(&d->j, "suggested_bytes", target);
  spend(c, target - now);
}

static void ev_switch(struct draft *d, const char *key, int v)
{
  if (v >= 0)
    pa_json_i64(&d->j, key, v);
  else
    pa_json_null(&d->j, key);
}

static void ev_memory(struct cfg *c, struct draft *d)
{
  if (ram_known(c->s))
    pa_json_u64(&d->j, "ram_bytes", c->s->ram_bytes);
  else
    pa_json_null(&d->j, "ram_bytes");
  if (c->mem_known)
  {
    pa_json_u64(&d->j, "memory_worst_case_bytes", c->mem.worst_bytes);
    pa_json_u64(&d->j, "memory_headroom_bytes", c->headroom);
  }
}

/* "N bytes (x.y GiB)" */
static void put_size(struct pa_buf *b, uint64_t v)
{
  static const char *const unit[]= {"KiB", "MiB", "GiB", "TiB", "PiB"};
  double x= (double) v;
  int u= -1;
  while (x >= 1024.0 && u < 4)
  {
    x/= 1024.0;
    u++;
  }
  if (u < 0)
    pa_buf_printf(b, "%" PRIu64 " bytes", v);
  else
    pa_buf_printf(b, "%" PRIu64 " bytes (%.1f %s)", v, x, unit[u]);
}

static void put_pct(struct pa_buf *b, double ratio)
{
  pa_buf_printf(b, "%.2f%%", ratio * 100.0);
}

/* 1 - misses / requests, misses capped at requests; requests > 0. */
static double hit_ratio(uint64_t misses, uint64_t requests)
{
  return 1.0 - (double) min_u64(misses, requests) / (double) requests;
}

/* "The <cache> hit ratio is H (1 - <misses> M / <requests> R), below MIN" */
static void put_hit_ratio(struct pa_buf *b, const char *cache, double hit,
                          const char *misses_name, uint64_t misses,
                          const char *requests_name, uint64_t requests,
                          double min)
{
  pa_buf_printf(b, "The %s hit ratio is ", cache);
  put_pct(b, hit);
  pa_buf_printf(b, " (1 - %s %" PRIu64 " / %s %" PRIu64 "), below ",
                misses_name, misses, requests_name, requests);
  put_pct(b, min);
}

/* Why a rule that wants more memory gives no size. */
static void put_no_size(struct cfg *c, struct pa_buf *b)
{
  if (!ram_known(c->s))
    pa_buf_puts(b, " Physical RAM is unknown, so no size is suggested.");
  else if (!c->mem_known)
    pa_buf_puts(b, " Some inputs of the memory estimate are unknown, so no"
                   " size is suggested.");
  else
  {
    pa_buf_puts(b, " The worst-case memory estimate of ");
    put_size(b, c->mem.worst_bytes);
    pa_buf_puts(b, " leaves no room under RAM for a larger value, so no size"
                   " is suggested; lower max_connections or per-connection"
                   " buffers first.");
  }
}

/*
  a. buffer_pool_small: a pool under buffer_pool_ram_fraction of RAM that
  misses too often, and either small (under small_buffer_pool_bytes) or
  smaller than the InnoDB data it serves (innodb_data_bytes, a lower
  bound).  A bigger pool is capped at that data size: pages it cannot fill
  buy no hits.
*/
static void rule_buffer_pool_small(struct cfg *c)
{
  const struct pa_server_state *s= c->s;
  const struct pa_config_thresholds *t= c->t;
  uint64_t bp= s->innodb_buffer_pool_size;
  uint64_t rr= s->Innodb_buffer_pool_read_requests;
  uint64_t rd= s->Innodb_buffer_pool_reads;
  uint64_t data= s->innodb_data_bytes;
  uint64_t ram_cap= 0, target= 0, step= PA_BP_STEP;
  int big= known(bp) && bp >= t->small_buffer_pool_bytes;
  double hit;
  struct draft d;

  if (!known(bp) || !known(rr) || !known(rd) || rr == 0 ||
      rr < t->min_buffer_pool_read_requests ||
      (big && (!known(data) || !known(s->innodb_stats_tables) ||
               bp >= data)))
    return;
  if (ram_known(s))
  {
    ram_cap= frac_of(s->ram_bytes, t->buffer_pool_ram_fraction);
    if (bp >= ram_cap)
      return;
  }
  hit= hit_ratio(rd, rr);
  if (hit >= t->min_hit_ratio_buffer_pool)
    return;

  if (c->mem_known)
  {
    target= min_u64(ram_cap, sat_mul(bp, 4));
    target= min_u64(target, pa_sat_add(bp, c->headroom));
    if (big)
      target= min_u64(target, pa_sat_add(data, PA_BP_STEP - 1));
    /* 128 MiB steps; a pool under that (a test server) in MiB, else
       4 x 8 MiB would round down to nothing */
    step= target >= PA_BP_STEP ? PA_BP_STEP : MIB;
    target= round_down(target, step);
    if (target <= bp)
      target= 0;
  }

  draft_begin(c, &d, "buffer_pool_small");
  ev_memory(c, &d);
  put_hit_ratio(&d.msg, "InnoDB buffer pool", hit,
                "Innodb_buffer_pool_reads", rd,
                "Innodb_buffer_pool_read_requests", rr,
                t->min_hit_ratio_buffer_pool);
  pa_buf_puts(&d.msg, ", and innodb_buffer_pool_size = ");
  put_size(&d.msg, bp);
  if (big)
  {
    pa_buf_puts(&d.msg, " is smaller than the InnoDB data and indexes it"
                        " serves, at least ");
    put_size(&d.msg, data);
    pa_buf_printf(&d.msg,
                  " (the %" PRIu64 " tables in mysql.innodb_table_stats)",
                  s->innodb_stats_tables);
  }
  else
  {
    pa_buf_puts(&d.msg, " is under ");
    put_size(&d.msg, t->small_buffer_pool_bytes);
  }
  if (ram_known(s))
  {
    pa_buf_printf(&d.msg, " and under %.0f%% of RAM ",
                  t->buffer_pool_ram_fraction * 100.0);
    put_size(&d.msg, s->ram_bytes);
  }
  pa_buf_puts(&d.msg, ".");
  if (target)
  {
    pa_buf_puts(&d.msg, " Raise it to ");
    put_size(&d.msg, target);
    pa_buf_printf(&d.msg,
                  ": min(%.0f%% of RAM, 4 x current, current + memory"
                  " headroom ",
                  t->buffer_pool_ram_fraction * 100.0);
    put_size(&d.msg, c->headroom);
    pa_buf_puts(&d.msg, big ? ", the data size rounded up to 128 MiB),"
                              " rounded down to "
                            : "), rounded down to ");
    pa_buf_puts(&d.msg, step == MIB ? "1 MiB." : "128 MiB.");
    if (known(s->innodb_buffer_pool_size_max) &&
        target > s->innodb_buffer_pool_size_max)
    {
      pa_buf_puts(&d.msg, " That exceeds innodb_buffer_pool_size_max = ");
      put_size(&d.msg, s->innodb_buffer_pool_size_max);
      pa_buf_puts(&d.msg, ", which is read-only: set both in the config file"
                          " and restart.");
    }
    else
    {
      pa_buf_puts(&d.msg, " The variable is dynamic; the resize runs in the"
                          " background.");
      set_global(c, &d, "innodb_buffer_pool_size", target, bp);
    }
  }
  else
    put_no_size(c, &d.msg);

  pa_json_u64(&d.j, "innodb_buffer_pool_size", bp);
  ev_u64(&d, "innodb_buffer_pool_size_max", s->innodb_buffer_pool_size_max);
  pa_json_u64(&d.j, "Innodb_buffer_pool_read_requests", rr);
  pa_json_u64(&d.j, "Innodb_buffer_pool_reads", rd);
  ev_hit_ratio(&d, hit, t->min_hit_ratio_buffer_pool,
               t->min_buffer_pool_read_requests);
  pa_json_u64(&d.j, "small_buffer_pool_bytes", t->small_buffer_pool_bytes);
  ev_u64(&d, "innodb_data_bytes", data);
  ev_u64(&d, "innodb_stats_tables", s->innodb_stats_tables);
  pa_json_dbl(&d.j, "ram_fraction", t->buffer_pool_ram_fraction);
  ev_grow(c, &d, target, bp);
  draft_emit(c, &d, TYPE_CONFIG, "buffer_pool_small", PA_PRIO_HIGH,
             d.sql ? ACT_SET : (target ? ACT_RESTART : ACT_REVIEW),
             1.0 - hit);
}

/*
  b. tmp_table_size_mismatch: many internal temporary tables go to disk
  while tmp_table_size and max_heap_table_size differ, so the larger one is
  wasted.  In MariaDB a heap table converted to disk is counted twice in
  Created_tmp_tables (once as heap, once as Aria: sql_select.cc), so the
  ratio understates conversions; tables with BLOB columns go to disk at
  once, whatever the limits.
*/
static void rule_tmp_table_mismatch(struct cfg *c)
{
  const struct pa_server_state *s= c->s;
  const struct pa_config_thresholds *t= c->t;
  uint64_t tmp= s->tmp_table_size, heap= s->max_heap_table_size;
  uint64_t all= s->Created_tmp_tables, disk= s->Created_tmp_disk_tables;
  uint64_t eff, larger, target= 0;
  const char *smaller_name;
  double ratio;
  struct draft d;

  if (!known(tmp) || !known(heap) || !known(all) || !known(disk) ||
      tmp == heap || all == 0 || all < t->min_tmp_tables)
    return;
  ratio= (double) disk / (double) all;
  if (ratio <= t->max_tmp_disk_ratio)
    return;
  eff= min_u64(tmp, heap);
  larger= max_u64(tmp, heap);
  smaller_name= tmp < heap ? "tmp_table_size" : "max_heap_table_size";

  if (c->mem_known && c->conns > 0)
  {
    target= min_u64(larger,
                    frac_of(s->ram_bytes, t->tmp_table_ram_fraction));
    /* Every connection may hold one such table: the raise costs
       (target - eff) * max_connections in the worst case. */
    target= min_u64(target, pa_sat_add(eff, c->headroom / c->conns));
    target= round_down(target, MIB);
    if (target <= eff)
      target= 0;
  }

  draft_begin(c, &d, "tmp_table_size_mismatch");
  ev_memory(c, &d);
  pa_buf_printf(&d.msg,
                "%" PRIu64 " of %" PRIu64
                " internal temporary tables went to disk"
                " (Created_tmp_disk_tables / Created_tmp_tables = ",
                disk, all);
  put_pct(&d.msg, ratio);
  pa_buf_puts(&d.msg, ", above ");
  put_pct(&d.msg, t->max_tmp_disk_ratio);
  pa_buf_puts(&d.msg, "), and the in-memory limit is min(tmp_table_size = ");
  put_size(&d.msg, tmp);
  pa_buf_puts(&d.msg, ", max_heap_table_size = ");
  put_size(&d.msg, heap);
  pa_buf_puts(&d.msg, ") = ");
  put_size(&d.msg, eff);
  pa_buf_puts(&d.msg, ", so the larger value has no effect.");
  if (target)
  {
    pa_buf_printf(&d.msg, " Raise %s to ", smaller_name);
    put_size(&d.msg, target);
    pa_buf_printf(&d.msg,
                  ": min(the larger value, %.0f%% of RAM, the memory"
                  " headroom per connection), rounded down to 1 MiB; SET"
                  " GLOBAL applies to new connections.",
                  t->tmp_table_ram_fraction * 100.0);
    set_global(c, &d, smaller_name, target, eff);
  }
  else
    put_no_size(c, &d.msg);
  pa_buf_puts(&d.msg, " Tables with BLOB or TEXT columns go to disk"
                      " whatever the limits.");

  pa_json_u64(&d.j, "tmp_table_size", tmp);
  pa_json_u64(&d.j, "max_heap_table_size", heap);
  pa_json_u64(&d.j, "Created_tmp_tables", all);
  pa_json_u64(&d.j, "Created_tmp_disk_tables", disk);
  pa_json_dbl(&d.j, "disk_ratio", ratio);
  pa_json_dbl(&d.j, "max_disk_ratio", t->max_tmp_disk_ratio);
  pa_json_u64(&d.j, "min_tmp_tables", t->min_tmp_tables);
  pa_json_dbl(&d.j, "ram_fraction", t->tmp_table_ram_fraction);
  ev_u64(&d, "max_connections", s->max_connections);
  if (target)
  {
    pa_json_u64(&d.j, "suggested_bytes", target);
    spend(c, sat_mul(target - eff, c->conns));
    c->per_conn+= target - eff;
  }
  draft_emit(c, &d, TYPE_CONFIG, "tmp_table_size_mismatch", PA_PRIO_MEDIUM,
             target ? ACT_SET : ACT_REVIEW, ratio);
}

/*
  c. redo_log_small: the redo log holds less than an hour of writes, which
  forces early checkpoints (page flushing to make log space reusable).
*/
static void rule_redo_log_small(struct cfg *c)
{
  const struct pa_server_state *s= c->s;
  const struct pa_config_thresholds *t= c->t;
  uint64_t size= s->innodb_log_file_size, target= 0;
  double per_hour;
  struct draft d;

  if (!known(size) || !known(s->Innodb_os_log_written) ||
      !known(s->uptime_s) || s->uptime_s == 0 ||
      s->uptime_s < t->min_uptime_rate_s)
    return;
  per_hour= (double) s->Innodb_os_log_written / (double) s->uptime_s * 3600.0;
  if ((double) size >= per_hour)
    return;

  /* The redo log takes disk, not RAM: the cap is a disk and recovery-time
     bound. */
  if (per_hour <= (double) t->max_redo_log_bytes)
  {
    target= 4 * MIB;
    while (target < t->max_redo_log_bytes && (double) target < per_hour)
      target*= 2;
  }
  else
    target= t->max_redo_log_bytes;
  target= min_u64(target, t->max_redo_log_bytes);
  if (target <= size)
    target= 0;

  draft_begin(c, &d, "redo_log_small");
  pa_buf_printf(&d.msg,
                "InnoDB writes %.0f bytes of redo per hour"
                " (Innodb_os_log_written %" PRIu64 " / Uptime %" PRIu64
                " s * 3600), more than innodb_log_file_size = ",
                per_hour, s->Innodb_os_log_written, s->uptime_s);
  put_size(&d.msg, size);
  pa_buf_puts(&d.msg, ", which in MariaDB 10.11 is the whole redo log (one"
                      " ib_logfile0); a log smaller than an hour of writes"
                      " forces frequent checkpoint flushing.");
  if (target)
  {
    pa_buf_puts(&d.msg, " Resize it to ");
    put_size(&d.msg, target);
    pa_buf_puts(&d.msg, ", the next power of two at or above one hour of"
                        " writes, capped at ");
    put_size(&d.msg, t->max_redo_log_bytes);
    pa_buf_puts(&d.msg, " because it takes disk space and lengthens crash"
                        " recovery; the variable is dynamic and SET GLOBAL"
                        " waits for the online resize.");
    set_global(c, &d, "innodb_log_file_size", target, size);
  }
  else
  {
    pa_buf_puts(&d.msg, " It is already at the cap of ");
    put_size(&d.msg, t->max_redo_log_bytes);
    pa_buf_puts(&d.msg, "; look at the write load instead.");
  }

  pa_json_u64(&d.j, "innodb_log_file_size", size);
  pa_json_u64(&d.j, "Innodb_os_log_written", s->Innodb_os_log_written);
  pa_json_u64(&d.j, "uptime_s", s->uptime_s);
  pa_json_dbl(&d.j, "redo_bytes_per_hour", per_hour);
  pa_json_u64(&d.j, "min_uptime_s", t->min_uptime_rate_s);
  pa_json_u64(&d.j, "max_redo_log_bytes", t->max_redo_log_bytes);
  if (target)
    pa_json_u64(&d.j, "suggested_bytes", target);
  draft_emit(c, &d, TYPE_CONFIG, "redo_log_small", PA_PRIO_MEDIUM,
             target ? ACT_SET : ACT_REVIEW, per_hour / ((double) size + 1.0));
}

/* d. file_per_table_off */
static void rule_file_per_table(struct cfg *c)
{
  struct draft d;
  if (c->s->innodb_file_per_table != 0)
    return;
  draft_begin(c, &d, "file_per_table_off");
  pa_buf_puts(&d.msg,
              "innodb_file_per_table = OFF puts new InnoDB tables in the"
              " system tablespace, which never shrinks when they are dropped"
              " or truncated. Turn it on; it is dynamic and affects only"
              " tables created (or rebuilt with ALTER TABLE ... FORCE) from"
              " then on.");
  switch_on(c, &d, "innodb_file_per_table");
  pa_json_i64(&d.j, "innodb_file_per_table", 0);
  draft_emit(c, &d, TYPE_CONFIG, "file_per_table_off", PA_PRIO_MEDIUM,
             ACT_SET, 0.0);
}

/* e. max_connections_high / max_connections_low */
static void rule_max_connections(struct cfg *c)
{
  const struct pa_server_state *s= c->s;
  const struct pa_config_thresholds *t= c->t;
  uint64_t mc= s->max_connections, used= s->Max_used_connections;
  uint64_t target= 0;
  double ratio;
  struct draft d;

  if (!known(mc) || !known(used) || mc == 0)
    return;
  ratio= (double) used / (double) mc;

  if (ratio >= t->max_connections_high_ratio)
  {
    if (c->mem_known)
    {
      uint64_t room=
          c->per_conn ? c->headroom / c->per_conn : UINT64_MAX;
      target= pa_sat_add(mc, (mc + 1) / 2);
      target= min_u64(target, PA_MAX_CONNECTIONS_MAX);
      target= min_u64(target, pa_sat_add(mc, room));
      if (target <= mc)
        target= 0;
    }
    draft_begin(c, &d, "max_connections_high");
    ev_memory(c, &d);
    pa_buf_printf(&d.msg,
                  "Max_used_connections = %" PRIu64 " reached ", used);
    put_pct(&d.msg, ratio);
    pa_buf_printf(&d.msg, " of max_connections = %" PRIu64 " (threshold ",
                  mc);
    put_pct(&d.msg, t->max_connections_high_ratio);
    pa_buf_puts(&d.msg, "); clients risk \"Too many connections\".");
    if (target)
    {
      pa_buf_printf(&d.msg,
                    " Raise it to %" PRIu64
                    " (+50%%, limited so that the worst-case memory"
                    " estimate stays within RAM; each connection may use"
                    " up to ",
                    target);
      put_size(&d.msg, c->per_conn);
      pa_buf_puts(&d.msg, ").");
      set_global(c, &d, "max_connections", target, mc);
    }
    else
      put_no_size(c, &d.msg);
    pa_json_u64(&d.j, "max_connections", mc);
    pa_json_u64(&d.j, "Max_used_connections", used);
    pa_json_dbl(&d.j, "used_ratio", ratio);
    pa_json_dbl(&d.j, "high_ratio", t->max_connections_high_ratio);
    if (c->mem_known)
      pa_json_u64(&d.j, "per_connection_bytes", c->per_conn);
    if (target)
    {
      pa_json_u64(&d.j, "suggested", target);
      spend(c, sat_mul(target - mc, c->per_conn));
      c->conns= target;
    }
    draft_emit(c, &d, TYPE_CONFIG, "max_connections_high", PA_PRIO_HIGH,
               target ? ACT_SET : ACT_REVIEW, ratio);
    return;
  }

  if (ratio <= t->max_connections_low_ratio && known(s->uptime_s) &&
      s->uptime_s >= t->min_uptime_low_connections_s)
  {
    /* Informational: a lower limit is a guess about future peaks, so no
       statement is offered. */
    uint64_t example= max_u64(sat_mul(used, 2), 10);
    draft_begin(c, &d, "max_connections_low");
    pa_buf_printf(&d.msg,
                  "Max_used_connections = %" PRIu64 " is only ", used);
    put_pct(&d.msg, ratio);
    pa_buf_printf(&d.msg,
                  " of max_connections = %" PRIu64 " after %" PRIu64
                  " s of uptime (threshold ",
                  mc, s->uptime_s);
    put_pct(&d.msg, t->max_connections_low_ratio);
    pa_buf_puts(&d.msg, "). Each allowed connection adds its buffers");
    if (c->mem_known)
    {
      pa_buf_puts(&d.msg, " (");
      put_size(&d.msg, c->mem.per_conn_bytes);
      pa_buf_puts(&d.msg, ")");
    }
    pa_buf_printf(&d.msg,
                  " to the worst-case memory estimate; a lower"
                  " max_connections, e.g. %" PRIu64
                  " (2 x the peak, at least 10), keeps that estimate"
                  " honest if no larger peak is expected.",
                  example);
    pa_json_u64(&d.j, "max_connections", mc);
    pa_json_u64(&d.j, "Max_used_connections", used);
    pa_json_u64(&d.j, "uptime_s", s->uptime_s);
    pa_json_dbl(&d.j, "used_ratio", ratio);
    pa_json_dbl(&d.j, "low_ratio", t->max_connections_low_ratio);
    pa_json_u64(&d.j, "min_uptime_s", t->min_uptime_low_connections_s);
    if (c->mem_known)
      pa_json_u64(&d.j, "per_connection_bytes", c->mem.per_conn_bytes);
    draft_emit(c, &d, TYPE_CONFIG, "max_connections_low", PA_PRIO_LOW,
               ACT_REVIEW, 1.0 - ratio);
  }
}

/*
  f. query_cache_inefficient.  Lookups are hits + Qcache_inserts +
  Qcache_not_cached: every SELECT that went through the cache's lookup
  (under DEMAND that includes the SELECTs without SQL_CACHE, which still pay
  the lookup).  Com_select is shown but not used: in MariaDB it includes the
  hits.  A disabled cache gives no advice: enabling one is never advised
  blindly.
*/
static void rule_query_cache(struct cfg *c)
{
  const struct pa_server_state *s= c->s;
  const struct pa_config_thresholds *t= c->t;
  uint64_t hits= s->Qcache_hits, ins= s->Qcache_inserts;
  uint64_t nc= s->Qcache_not_cached, prunes= s->Qcache_lowmem_prunes;
  uint64_t lookups;
  double hit, prune_ratio= 0.0;
  int low_hit, pruning;
  struct draft d;

  if (s->query_cache_type <= 0 || !known(s->query_cache_size) ||
      s->query_cache_size == 0 || !known(hits) || !known(ins) || !known(nc))
    return;
  lookups= pa_sat_add(pa_sat_add(hits, ins), nc);
  if (lookups == 0 || lookups < t->min_qcache_lookups)
    return;
  hit= (double) hits / (double) lookups;
  low_hit= hit < t->min_qcache_hit_ratio;
  if (known(prunes) && ins > 0)
    prune_ratio= (double) prunes / (double) ins;
  pruning= prune_ratio > t->max_qcache_prune_ratio;
  if (!low_hit && !pruning)
    return;

  draft_begin(c, &d, "query_cache_inefficient");
  pa_buf_printf(&d.msg, "The query cache (query_cache_type = %s,"
                        " query_cache_size = ",
                s->query_cache_type == 2 ? "DEMAND" : "ON");
  put_size(&d.msg, s->query_cache_size);
  pa_buf_puts(&d.msg, ") serves ");
  put_pct(&d.msg, hit);
  pa_buf_printf(&d.msg,
                " of lookups (Qcache_hits %" PRIu64
                " / (Qcache_hits + Qcache_inserts %" PRIu64
                " + Qcache_not_cached %" PRIu64 "); threshold ",
                hits, ins, nc);
  put_pct(&d.msg, t->min_qcache_hit_ratio);
  pa_buf_puts(&d.msg, ")");
  if (pruning)
  {
    pa_buf_printf(&d.msg, " and Qcache_lowmem_prunes %" PRIu64 " is ",
                  prunes);
    put_pct(&d.msg, prune_ratio);
    pa_buf_puts(&d.msg, " of Qcache_inserts (threshold ");
    put_pct(&d.msg, t->max_qcache_prune_ratio);
    pa_buf_puts(&d.msg, ")");
  }
  pa_buf_puts(&d.msg, ". Every lookup, insert and invalidation serializes on"
                      " the query cache's global mutex, so disable it; both"
                      " variables are dynamic.");
  if (known(s->Com_select))
    pa_buf_printf(&d.msg,
                  " (Com_select = %" PRIu64
                  " includes the cache hits in MariaDB.)",
                  s->Com_select);
  d.sql= stmt(c, "SET GLOBAL query_cache_type = OFF; "
                 "SET GLOBAL query_cache_size = 0");
  d.rollback= stmt(c,
                   "SET GLOBAL query_cache_size = %" PRIu64 "; "
                   "SET GLOBAL query_cache_type = %s",
                   s->query_cache_size,
                   s->query_cache_type == 2 ? "DEMAND" : "ON");

  ev_switch(&d, "query_cache_type", s->query_cache_type);
  pa_json_u64(&d.j, "query_cache_size", s->query_cache_size);
  pa_json_u64(&d.j, "Qcache_hits", hits);
  pa_json_u64(&d.j, "Qcache_inserts", ins);
  pa_json_u64(&d.j, "Qcache_not_cached", nc);
  ev_u64(&d, "Qcache_lowmem_prunes", prunes);
  ev_u64(&d, "Com_select", s->Com_select);
  pa_json_dbl(&d.j, "hit_ratio", hit);
  pa_json_dbl(&d.j, "min_hit_ratio", t->min_qcache_hit_ratio);
  pa_json_u64(&d.j, "min_lookups", t->min_qcache_lookups);
  pa_json_dbl(&d.j, "prune_ratio", prune_ratio);
  pa_json_dbl(&d.j, "max_prune_ratio", t->max_qcache_prune_ratio);
  draft_emit(c, &d, TYPE_CONFIG, "query_cache_inefficient", PA_PRIO_MEDIUM,
             ACT_SET, 1.0 - hit);
}

/*
  g. flush_log_tradeoff: a durability trade-off offered as an option, at
  low priority and with no statement to run: whether losing committed
  transactions is acceptable is the owner's decision.  Handler_commit counts
  engine commit calls, including per-statement and read-only ones, so the
  rate overstates durable commits; hence the low priority too.
*/
static void rule_flush_log(struct cfg *c)
{
  const struct pa_server_state *s= c->s;
  const struct pa_config_thresholds *t= c->t;
  int f= s->innodb_flush_log_at_trx_commit;
  double rate;
  struct draft d;

  if ((f != 1 && f != 3) || !known(s->Handler_commit) ||
      !known(s->uptime_s) || s->uptime_s == 0 ||
      s->uptime_s < t->min_uptime_rate_s)
    return;
  rate= (double) s->Handler_commit / (double) s->uptime_s;
  if (rate <= t->min_commits_per_s)
    return;

  draft_begin(c, &d, "flush_log_tradeoff");
  pa_buf_printf(&d.msg,
                "Handler_commit %" PRIu64 " / Uptime %" PRIu64
                " s = %.1f commits per second (threshold %.0f) with"
                " innodb_flush_log_at_trx_commit = %d, which flushes the"
                " redo log to disk at every commit. Option, only if the"
                " data can tolerate it: SET GLOBAL"
                " innodb_flush_log_at_trx_commit = 2 writes the log at"
                " commit and flushes it about once per second, so up to ~1"
                " s of committed transactions can be lost on an OS crash or"
                " power failure (not on a server crash alone).",
                s->Handler_commit, s->uptime_s, rate, t->min_commits_per_s,
                f);
  pa_json_i64(&d.j, "innodb_flush_log_at_trx_commit", f);
  pa_json_u64(&d.j, "Handler_commit", s->Handler_commit);
  ev_u64(&d, "Com_commit", s->Com_commit);
  pa_json_u64(&d.j, "uptime_s", s->uptime_s);
  pa_json_dbl(&d.j, "commits_per_s", rate);
  pa_json_dbl(&d.j, "min_commits_per_s", t->min_commits_per_s);
  pa_json_u64(&d.j, "min_uptime_s", t->min_uptime_rate_s);
  draft_emit(c, &d, TYPE_CONFIG, "flush_log_tradeoff", PA_PRIO_LOW,
             ACT_REVIEW, rate);
}

/* h. usage_stats_off: no source of table and index usage. */
static void rule_usage_stats(struct cfg *c)
{
  struct draft d;
  if (c->s->performance_schema != 0 || c->s->userstat != 0)
    return;
  draft_begin(c, &d, "usage_stats_off");
  pa_buf_puts(&d.msg,
              "performance_schema and userstat are both OFF, so the advisor"
              " cannot see table and index usage and its index advice is"
              " blind. userstat is dynamic: SET GLOBAL userstat = ON."
              " performance_schema = ON is not dynamic: set it in the config"
              " file and restart.");
  switch_on(c, &d, "userstat");
  pa_json_i64(&d.j, "performance_schema", 0);
  pa_json_i64(&d.j, "userstat", 0);
  draft_emit(c, &d, TYPE_CONFIG, "usage_stats_off", PA_PRIO_HIGH, ACT_SET,
             0.0);
}

/* i. digests_lost: statements that found no digest row. */
static void rule_digests_lost(struct cfg *c)
{
  const struct pa_server_state *s= c->s;
  int64_t cur= s->performance_schema_digests_size, target;
  struct draft d;

  if (!known(s->Performance_schema_digest_lost) ||
      s->Performance_schema_digest_lost == 0 || s->performance_schema == 0)
    return;
  if (cur <= 0)
    target= PA_DIGESTS_DEFAULT;
  else
    target= cur >= PA_DIGESTS_MAX / 2 ? PA_DIGESTS_MAX : cur * 2;
  if (target <= cur)
    target= 0;

  draft_begin(c, &d, "digests_lost");
  pa_buf_printf(&d.msg,
                "Performance_schema_digest_lost = %" PRIu64
                ": statements found no free row in"
                " events_statements_summary_by_digest",
                s->Performance_schema_digest_lost);
  if (cur > 0)
    pa_buf_printf(&d.msg,
                  " (performance_schema_digests_size = %" PRId64 " rows)",
                  cur);
  else
    pa_buf_puts(&d.msg,
                " (performance_schema_digests_size autosized or unknown)");
  pa_buf_puts(&d.msg, " and are folded into the NULL-digest row, so"
                      " workload advice misses them.");
  if (target)
    pa_buf_printf(&d.msg,
                  " Set performance_schema_digests_size = %" PRId64
                  " rows (%s) in the config file and restart; it is not"
                  " dynamic.",
                  target,
                  cur > 0 ? "2 x current" : "a fixed size above the"
                                            " autosized default");
  else
    pa_buf_puts(&d.msg, " performance_schema_digests_size is already at its"
                        " maximum.");
  if (cur >= 0)
    pa_json_i64(&d.j, "performance_schema_digests_size", cur);
  else
    pa_json_null(&d.j, "performance_schema_digests_size");
  pa_json_u64(&d.j, "Performance_schema_digest_lost",
              s->Performance_schema_digest_lost);
  if (target)
    pa_json_i64(&d.j, "suggested_rows", target);
  draft_emit(c, &d, TYPE_CONFIG, "digests_lost", PA_PRIO_MEDIUM,
             target ? ACT_RESTART : ACT_REVIEW,
             (double) s->Performance_schema_digest_lost);
}

/* j. buffer_pool_dump_off: a restart starts with a cold buffer pool. */
static void rule_buffer_pool_dump(struct cfg *c)
{
  const struct pa_server_state *s= c->s;
  int dump_off= s->innodb_buffer_pool_dump_at_shutdown == 0;
  int load_off= s->innodb_buffer_pool_load_at_startup == 0;
  struct draft d;

  if (!dump_off && !load_off)
    return;
  draft_begin(c, &d, "buffer_pool_dump_off");
  pa_buf_printf(&d.msg,
                "innodb_buffer_pool_dump_at_shutdown = %s and"
                " innodb_buffer_pool_load_at_startup = %s: after a restart"
                " the buffer pool starts cold and the first reads go to"
                " disk.",
                dump_off ? "OFF" : "ON", load_off ? "OFF" : "ON");
  if (dump_off)
  {
    pa_buf_puts(&d.msg, " innodb_buffer_pool_dump_at_shutdown is dynamic.");
    switch_on(c, &d, "innodb_buffer_pool_dump_at_shutdown");
  }
  if (load_off)
    pa_buf_puts(&d.msg, " innodb_buffer_pool_load_at_startup is not dynamic:"
                        " set it ON in the config file; it takes effect at"
                        " the next restart.");
  ev_switch(&d, "innodb_buffer_pool_dump_at_shutdown",
            s->innodb_buffer_pool_dump_at_shutdown);
  ev_switch(&d, "innodb_buffer_pool_load_at_startup",
            s->innodb_buffer_pool_load_at_startup);
  draft_emit(c, &d, TYPE_CONFIG, "buffer_pool_dump_off", PA_PRIO_LOW,
             dump_off ? ACT_SET : ACT_RESTART, 0.0);
}

/*
  k. memory_overcommit: an upper bound, not a measurement — per-connection
  buffers are allocated on demand and a statement may use several join or
  sort buffers — but a bound above RAM means enough concurrent load can
  push the server into swap or the OOM killer.
*/
static void rule_memory(struct cfg *c)
{
  const struct pa_server_state *s= c->s;
  const struct pa_config_thresholds *t= c->t;
  double ratio;
  enum pa_priority prio;
  struct draft d;

  if (!c->mem_known)
    return;
  ratio= (double) c->mem.worst_bytes / (double) s->ram_bytes;
  if (ratio > t->overcommit_high_ratio)
    prio= PA_PRIO_HIGH;
  else if (ratio > t->overcommit_medium_ratio)
    prio= PA_PRIO_MEDIUM;
  else
    return;

  draft_begin(c, &d, "memory_overcommit");
  pa_buf_puts(&d.msg, "Worst-case memory = global ");
  put_size(&d.msg, c->mem.global_bytes);
  pa_buf_printf(&d.msg,
                " (innodb_buffer_pool_size %" PRIu64
                " + key_buffer_size %" PRIu64 " + query_cache_size%s %" PRIu64
                " + innodb_log_buffer_size %" PRIu64
                " + aria_pagecache_buffer_size %" PRIu64
                ") + max_connections %" PRIu64 " x per-connection ",
                s->innodb_buffer_pool_size, s->key_buffer_size,
                s->query_cache_type == 0 ? " (OFF: freed)" : "",
                s->query_cache_type != 0 ? s->query_cache_size : 0,
                s->innodb_log_buffer_size, s->aria_pagecache_buffer_size,
                s->max_connections);
  put_size(&d.msg, c->mem.per_conn_bytes);
  pa_buf_printf(&d.msg,
                " (sort_buffer_size %" PRIu64 " + join_buffer_size %" PRIu64
                " + read_buffer_size %" PRIu64
                " + read_rnd_buffer_size %" PRIu64 " + thread_stack %" PRIu64
                " + binlog_cache_size %" PRIu64
                " + min(tmp_table_size, max_heap_table_size) %" PRIu64
                ") = ",
                s->sort_buffer_size, s->join_buffer_size,
                s->read_buffer_size, s->read_rnd_buffer_size,
                s->thread_stack, s->binlog_cache_size,
                min_u64(s->tmp_table_size, s->max_heap_table_size));
  put_size(&d.msg, c->mem.worst_bytes);
  pa_buf_puts(&d.msg, ", which is ");
  put_pct(&d.msg, ratio);
  pa_buf_puts(&d.msg, " of RAM ");
  put_size(&d.msg, s->ram_bytes);
  pa_buf_puts(&d.msg, " (threshold ");
  put_pct(&d.msg, prio == PA_PRIO_HIGH ? t->overcommit_high_ratio
                                       : t->overcommit_medium_ratio);
  pa_buf_puts(&d.msg, "). Lower max_connections, the per-connection buffers"
                      " or innodb_buffer_pool_size so that a busy peak"
                      " cannot exhaust RAM.");

  pa_json_u64(&d.j, "innodb_buffer_pool_size", s->innodb_buffer_pool_size);
  pa_json_u64(&d.j, "key_buffer_size", s->key_buffer_size);
  pa_json_u64(&d.j, "query_cache_size", s->query_cache_size);
  pa_json_i64(&d.j, "query_cache_type", s->query_cache_type);
  pa_json_u64(&d.j, "innodb_log_buffer_size", s->innodb_log_buffer_size);
  pa_json_u64(&d.j, "aria_pagecache_buffer_size",
              s->aria_pagecache_buffer_size);
  pa_json_u64(&d.j, "sort_buffer_size", s->sort_buffer_size);
  pa_json_u64(&d.j, "join_buffer_size", s->join_buffer_size);
  pa_json_u64(&d.j, "read_buffer_size", s->read_buffer_size);
  pa_json_u64(&d.j, "read_rnd_buffer_size", s->read_rnd_buffer_size);
  pa_json_u64(&d.j, "thread_stack", s->thread_stack);
  pa_json_u64(&d.j, "binlog_cache_size", s->binlog_cache_size);
  pa_json_u64(&d.j, "tmp_table_size", s->tmp_table_size);
  pa_json_u64(&d.j, "max_heap_table_size", s->max_heap_table_size);
  pa_json_u64(&d.j, "max_connections", s->max_connections);
  pa_json_u64(&d.j, "global_bytes", c->mem.global_bytes);
  pa_json_u64(&d.j, "per_connection_bytes", c->mem.per_conn_bytes);
  pa_json_u64(&d.j, "worst_case_bytes", c->mem.worst_bytes);
  pa_json_u64(&d.j, "ram_bytes", s->ram_bytes);
  pa_json_dbl(&d.j, "ratio", ratio);
  pa_json_dbl(&d.j, "high_ratio", t->overcommit_high_ratio);
  pa_json_dbl(&d.j, "medium_ratio", t->overcommit_medium_ratio);
  draft_emit(c, &d, TYPE_CONFIG, "memory_overcommit", prio, ACT_REVIEW,
             ratio);
}

/*
  l1. table_open_cache_small.  A miss is also taken by a first open or by a
  table already in use by another connection, which a bigger cache cannot
  avoid; so the rule also wants proof that the cache is full (an overflow,
  or as many open tables as entries).
*/
static void rule_table_open_cache(struct cfg *c)
{
  const struct pa_server_state *s= c->s;
  const struct pa_config_thresholds *t= c->t;
  uint64_t hits= s->Table_open_cache_hits, miss= s->Table_open_cache_misses;
  uint64_t size= s->table_open_cache, opens, target;
  int full;
  double ratio;
  struct draft d;

  if (!known(hits) || !known(miss) || !known(size) || size == 0)
    return;
  opens= pa_sat_add(hits, miss);
  if (opens == 0 || opens < t->min_table_opens)
    return;
  ratio= (double) miss / (double) opens;
  full= (known(s->Table_open_cache_overflows) &&
         s->Table_open_cache_overflows > 0) ||
        (known(s->Open_tables) && s->Open_tables >= size);
  if (ratio <= t->max_table_cache_miss_ratio || !full)
    return;
  target= min_u64(sat_mul(size, 2), PA_TABLE_OPEN_CACHE_MAX);
  if (target <= size)
    return;

  draft_begin(c, &d, "table_open_cache_small");
  pa_buf_printf(&d.msg,
                "Table_open_cache_misses %" PRIu64
                " / (Table_open_cache_hits %" PRIu64 " + misses) = ",
                miss, hits);
  put_pct(&d.msg, ratio);
  pa_buf_puts(&d.msg, " of table opens miss the cache (threshold ");
  put_pct(&d.msg, t->max_table_cache_miss_ratio);
  pa_buf_printf(&d.msg,
                ") and the cache is full (Table_open_cache_overflows"
                " %" PRIu64 ", Open_tables %" PRIu64
                " of table_open_cache = %" PRIu64
                "). Double it to %" PRIu64
                " entries; it is dynamic. Each cached table can hold file"
                " descriptors: check open_files_limit",
                known(s->Table_open_cache_overflows)
                    ? s->Table_open_cache_overflows
                    : 0,
                known(s->Open_tables) ? s->Open_tables : 0, size, target);
  if (known(s->open_files_limit))
    pa_buf_printf(&d.msg, " (%" PRIu64 ")", s->open_files_limit);
  pa_buf_puts(&d.msg, ".");
  set_global(c, &d, "table_open_cache", target, size);
  pa_json_u64(&d.j, "table_open_cache", size);
  pa_json_u64(&d.j, "Table_open_cache_hits", hits);
  pa_json_u64(&d.j, "Table_open_cache_misses", miss);
  ev_u64(&d, "Table_open_cache_overflows", s->Table_open_cache_overflows);
  ev_u64(&d, "Open_tables", s->Open_tables);
  ev_u64(&d, "open_files_limit", s->open_files_limit);
  pa_json_dbl(&d.j, "miss_ratio", ratio);
  pa_json_dbl(&d.j, "max_miss_ratio", t->max_table_cache_miss_ratio);
  pa_json_u64(&d.j, "min_opens", t->min_table_opens);
  pa_json_u64(&d.j, "suggested_entries", target);
  draft_emit(c, &d, TYPE_CACHE, "table_open_cache_small", PA_PRIO_MEDIUM,
             ACT_SET, ratio);
}

/*
  l2. thread_cache_small.  Cached threads are idle threads of connections
  already counted in the memory estimate (thread_stack x max_connections),
  so a larger cache costs no extra worst-case memory.
*/
static void rule_thread_cache(struct cfg *c)
{
  const struct pa_server_state *s= c->s;
  const struct pa_config_thresholds *t= c->t;
  uint64_t conns= s->Connections, created= s->Threads_created;
  uint64_t size= s->thread_cache_size, target;
  double ratio;
  struct draft d;

  if (!known(conns) || !known(created) || !known(size) || conns == 0 ||
      conns < t->min_connections)
    return;
  ratio= (double) min_u64(created, conns) / (double) conns;
  if (ratio <= t->max_thread_create_ratio)
    return;
  target= min_u64(max_u64(sat_mul(size, 2), 16), PA_THREAD_CACHE_MAX);
  if (known(s->max_connections))
    target= min_u64(target, s->max_connections);
  if (target <= size)
    return;

  draft_begin(c, &d, "thread_cache_small");
  pa_buf_printf(&d.msg,
                "Threads_created %" PRIu64 " / Connections %" PRIu64 " = ",
                created, conns);
  put_pct(&d.msg, ratio);
  pa_buf_puts(&d.msg, " of connections created a new thread (threshold ");
  put_pct(&d.msg, t->max_thread_create_ratio);
  pa_buf_printf(&d.msg,
                ") with thread_cache_size = %" PRIu64
                ". Raise it to %" PRIu64
                " (2 x current, at most max_connections); it is dynamic.",
                size, target);
  set_global(c, &d, "thread_cache_size", target, size);
  pa_json_u64(&d.j, "thread_cache_size", size);
  pa_json_u64(&d.j, "Threads_created", created);
  pa_json_u64(&d.j, "Connections", conns);
  ev_u64(&d, "max_connections", s->max_connections);
  pa_json_dbl(&d.j, "create_ratio", ratio);
  pa_json_dbl(&d.j, "max_create_ratio", t->max_thread_create_ratio);
  pa_json_u64(&d.j, "min_connections", t->min_connections);
  pa_json_u64(&d.j, "suggested_entries", target);
  draft_emit(c, &d, TYPE_CACHE, "thread_cache_small", PA_PRIO_LOW, ACT_SET,
             ratio);
}

/* l3. table_definition_cache_small: a full cache re-reading definitions. */
static void rule_table_definition_cache(struct cfg *c)
{
  const struct pa_server_state *s= c->s;
  const struct pa_config_thresholds *t= c->t;
  uint64_t size= s->table_definition_cache, target;
  double per_hour;
  struct draft d;

  if (!known(size) || !known(s->Opened_table_definitions) ||
      !known(s->Open_table_definitions) || !known(s->uptime_s) ||
      s->uptime_s == 0 || s->uptime_s < t->min_uptime_rate_s ||
      s->Open_table_definitions < size)
    return;
  per_hour= (double) s->Opened_table_definitions / (double) s->uptime_s *
            3600.0;
  if (per_hour <= t->max_tdc_opens_per_hour)
    return;
  target= min_u64(sat_mul(size, 2), PA_TDC_MAX);
  if (target <= size)
    return;

  draft_begin(c, &d, "table_definition_cache_small");
  pa_buf_printf(&d.msg,
                "Table definitions are read at %.1f per hour"
                " (Opened_table_definitions %" PRIu64 " / Uptime %" PRIu64
                " s * 3600; threshold %.0f) and the cache is full"
                " (Open_table_definitions %" PRIu64
                " of table_definition_cache = %" PRIu64
                "). Double it to %" PRIu64 " entries; it is dynamic.",
                per_hour, s->Opened_table_definitions, s->uptime_s,
                t->max_tdc_opens_per_hour, s->Open_table_definitions, size,
                target);
  set_global(c, &d, "table_definition_cache", target, size);
  pa_json_u64(&d.j, "table_definition_cache", size);
  pa_json_u64(&d.j, "Open_table_definitions", s->Open_table_definitions);
  pa_json_u64(&d.j, "Opened_table_definitions", s->Opened_table_definitions);
  pa_json_u64(&d.j, "uptime_s", s->uptime_s);
  pa_json_dbl(&d.j, "opens_per_hour", per_hour);
  pa_json_dbl(&d.j, "max_opens_per_hour", t->max_tdc_opens_per_hour);
  pa_json_u64(&d.j, "min_uptime_s", t->min_uptime_rate_s);
  pa_json_u64(&d.j, "suggested_entries", target);
  draft_emit(c, &d, TYPE_CACHE, "table_definition_cache_small",
             PA_PRIO_MEDIUM, ACT_SET, per_hour);
}

/*
  l4. key_cache_low_hit: MyISAM index reads miss the key cache.  A size is
  suggested only when the cache is full (no unused block): with free blocks
  the misses are first reads, which a bigger cache does not avoid.
*/
static void rule_key_cache(struct cfg *c)
{
  const struct pa_server_state *s= c->s;
  const struct pa_config_thresholds *t= c->t;
  uint64_t req= s->Key_read_requests, rd= s->Key_reads;
  uint64_t size= s->key_buffer_size, target= 0;
  int full;
  double hit;
  struct draft d;

  if (!known(req) || !known(rd) || !known(size) || req == 0 ||
      req < t->min_key_read_requests)
    return;
  hit= hit_ratio(rd, req);
  if (hit >= t->min_hit_ratio_key_cache)
    return;
  full= known(s->Key_blocks_unused) && s->Key_blocks_unused == 0;
  if (full && c->mem_known)
  {
    target= max_u64(sat_mul(size, 2), 8 * MIB);
    target= min_u64(target, pa_sat_add(size, c->headroom));
    target= round_down(target, 4 * KIB);
    if (target <= size)
      target= 0;
  }

  draft_begin(c, &d, "key_cache_low_hit");
  ev_memory(c, &d);
  put_hit_ratio(&d.msg, "MyISAM key cache", hit, "Key_reads", rd,
                "Key_read_requests", req, t->min_hit_ratio_key_cache);
  pa_buf_puts(&d.msg, ", with key_buffer_size = ");
  put_size(&d.msg, size);
  pa_buf_puts(&d.msg, ".");
  if (!full)
    pa_buf_puts(&d.msg, " The cache still has unused blocks"
                        " (Key_blocks_unused), so the misses are first"
                        " reads and no size is suggested.");
  else if (target)
  {
    pa_buf_puts(&d.msg, " The cache is full (Key_blocks_unused = 0): raise"
                        " it to ");
    put_size(&d.msg, target);
    pa_buf_puts(&d.msg, " (2 x current within the memory headroom); it is"
                        " dynamic.");
    set_global(c, &d, "key_buffer_size", target, size);
  }
  else
    put_no_size(c, &d.msg);

  pa_json_u64(&d.j, "key_buffer_size", size);
  pa_json_u64(&d.j, "Key_read_requests", req);
  pa_json_u64(&d.j, "Key_reads", rd);
  ev_u64(&d, "Key_blocks_unused", s->Key_blocks_unused);
  ev_hit_ratio(&d, hit, t->min_hit_ratio_key_cache,
               t->min_key_read_requests);
  ev_grow(c, &d, target, size);
  draft_emit(c, &d, TYPE_CACHE, "key_cache_low_hit", PA_PRIO_LOW,
             target ? ACT_SET : ACT_REVIEW, 1.0 - hit);
}

int pa_config_advise(const struct pa_server_state *s,
                     const struct pa_config_thresholds *t,
                     struct pa_rec_list *out)
{
  struct pa_config_thresholds defaults;
  struct cfg c;

  if (out->oom)
    return -1;
  if (!t)
  {
    pa_config_thresholds_default(&defaults);
    t= &defaults;
  }
  memset(&c, 0, sizeof(c));
  c.s= s;
  c.t= t;
  c.out= out;
  c.mem_known= ram_known(s) && pa_config_memory(s, &c.mem);
  c.headroom= c.mem_known ? sub0(s->ram_bytes, c.mem.worst_bytes) : 0;
  c.conns= c.mem_known ? s->max_connections : 0;
  c.per_conn= c.mem.per_conn_bytes;

  rule_usage_stats(&c);
  rule_memory(&c);
  /* The memory-growing rules, in the order they draw on the budget. */
  rule_buffer_pool_small(&c);
  rule_max_connections(&c);
  rule_tmp_table_mismatch(&c);

  rule_redo_log_small(&c);
  rule_file_per_table(&c);
  rule_query_cache(&c);
  rule_digests_lost(&c);
  rule_flush_log(&c);
  rule_buffer_pool_dump(&c);
  rule_table_open_cache(&c);
  rule_table_definition_cache(&c);
  rule_thread_cache(&c);
  rule_key_cache(&c);

  if (c.oom)
    out->oom= 1;
  return c.oom ? -1 : 0;
}
