/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of pa_config: cache rows with exact figures, every rule firing
  on a crafted state and silent on a healthy one, unknown RAM, fresh and
  all-unknown servers, zero divisors and allocation failure.
*/
#include "pa_config.h"
#include "pa_test.h"

#include <stdlib.h>

#define MIB (1024ULL * 1024)
#define GIB (1024ULL * MIB)


/* ------------------------------------------------------- a JSON checker */

static const char *json_value(const char *p);

static const char *json_ws(const char *p)
{
  while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
    p++;
  return p;
}

static const char *json_string(const char *p)
{
  if (*p++ != '"')
    return NULL;
  while (*p && *p != '"')
  {
    if ((unsigned char) *p < 0x20)
      return NULL;
    if (*p == '\\' && !*++p)
      return NULL;
    p++;
  }
  return *p == '"' ? p + 1 : NULL;
}

static const char *json_number(const char *p)
{
  const char *start= p;
  if (*p == '-')
    p++;
  while ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' ||
         *p == '+' || *p == '-')
    p++;
  return p > start ? p : NULL;
}

static const char *json_object(const char *p)
{
  p= json_ws(p + 1);
  if (*p == '}')
    return p + 1;
  for (;;)
  {
    if (!(p= json_string(json_ws(p))))
      return NULL;
    p= json_ws(p);
    if (*p++ != ':')
      return NULL;
    if (!(p= json_value(p)))
      return NULL;
    p= json_ws(p);
    if (*p == '}')
      return p + 1;
    if (*p++ != ',')
      return NULL;
  }
}

static const char *json_value(const char *p)
{
  p= json_ws(p);
  if (*p == '{')
    return json_object(p);
  if (*p == '"')
    return json_string(p);
  if (!strncmp(p, "null", 4) || !strncmp(p, "true", 4))
    return p + 4;
  if (!strncmp(p, "false", 5))
    return p + 5;
  return json_number(p);
}

/* s is one JSON object and nothing else. */
static int json_ok(const char *s)
{
  const char *end;
  if (!s || *json_ws(s) != '{')
    return 0;
  end= json_value(s);
  return end && !*json_ws(end);
}

/* ---------------------------------------------------------- fixtures */

/*
  A healthy MariaDB 10.11 server with 16 GiB of RAM, up for two days: no
  rule may fire.  Memory estimate: global 8774483968 bytes, per connection
  19861504 bytes, worst case 11753709568 bytes (68% of RAM).
*/
static void healthy(struct pa_server_state *s)
{
  pa_config_state_init(s);
  s->ram_bytes= 16 * GIB;
  s->uptime_s= 172800;
  s->innodb_buffer_pool_size= 8 * GIB;
  s->innodb_buffer_pool_size_max= 8192 * GIB;
  s->innodb_page_size= 16384;
  s->innodb_log_file_size= GIB;
  s->innodb_log_buffer_size= 16 * MIB;
  s->innodb_file_per_table= 1;
  s->innodb_flush_log_at_trx_commit= 1;
  s->innodb_buffer_pool_dump_at_shutdown= 1;
  s->innodb_buffer_pool_load_at_startup= 1;
  s->tmp_table_size= 16 * MIB;
  s->max_heap_table_size= 16 * MIB;
  s->max_connections= 150;
  s->open_files_limit= 32768;
  s->table_open_cache= 2000;
  s->table_definition_cache= 2000;
  s->thread_cache_size= 256;
  s->key_buffer_size= 32 * MIB;
  s->key_cache_block_size= 1024;
  s->query_cache_size= 0;
  s->query_cache_type= 0;
  s->sort_buffer_size= 2 * MIB;
  s->join_buffer_size= 262144;
  s->read_buffer_size= 131072;
  s->read_rnd_buffer_size= 262144;
  s->thread_stack= 299008;
  s->binlog_cache_size= 32768;
  s->aria_pagecache_buffer_size= 128 * MIB;
  s->performance_schema= 1;
  s->userstat= 0;
  s->performance_schema_digests_size= 10000;

  s->Innodb_buffer_pool_read_requests= 1000000000;
  s->Innodb_buffer_pool_reads= 100000;
  s->Innodb_buffer_pool_pages_total= 524288;
  s->Innodb_buffer_pool_pages_free= 1000;
  s->Innodb_buffer_pool_pages_data= 500000;
  s->Innodb_os_log_written= 48 * 100 * MIB;   /* 100 MiB per hour */
  s->Created_tmp_tables= 100000;
  s->Created_tmp_disk_tables= 1000;
  s->Max_used_connections= 60;
  s->Threads_created= 100;
  s->Threads_cached= 40;
  s->Connections= 100000;
  s->Com_commit= 1000;
  s->Handler_commit= 172800 * 10;           /* 10 per second */
  s->Qcache_hits= 0;
  s->Qcache_inserts= 0;
  s->Qcache_not_cached= 0;
  s->Qcache_lowmem_prunes= 0;
  s->Qcache_free_memory= 0;
  s->Com_select= 1000000;
  s->Table_open_cache_hits= 1000000;
  s->Table_open_cache_misses= 1000;
  s->Table_open_cache_overflows= 0;
  s->Open_tables= 1500;
  s->Opened_tables= 2000;
  s->Open_table_definitions= 800;
  s->Opened_table_definitions= 1000;
  s->Key_read_requests= 1000000;
  s->Key_reads= 100;
  s->Key_blocks_used= 1000;
  s->Key_blocks_unused= 20000;
  s->Performance_schema_digest_lost= 0;
}

/*
  A server just started with 10.11 defaults: zero counters, zero uptime,
  performance_schema and userstat OFF (their defaults).
*/
static void fresh(struct pa_server_state *s)
{
  healthy(s);
  s->uptime_s= 0;
  s->innodb_buffer_pool_size= 128 * MIB;
  s->innodb_log_file_size= 96 * MIB;
  s->max_connections= 151;
  s->table_definition_cache= 400;
  s->key_buffer_size= 128 * MIB;
  s->query_cache_size= MIB;
  s->performance_schema= 0;
  s->performance_schema_digests_size= -1;
  s->Innodb_buffer_pool_read_requests= 0;
  s->Innodb_buffer_pool_reads= 0;
  s->Innodb_buffer_pool_pages_total= 8192;
  s->Innodb_buffer_pool_pages_free= 8000;
  s->Innodb_buffer_pool_pages_data= 192;
  s->Innodb_os_log_written= 0;
  s->Created_tmp_tables= 0;
  s->Created_tmp_disk_tables= 0;
  s->Max_used_connections= 0;
  s->Threads_created= 0;
  s->Threads_cached= 0;
  s->Connections= 0;
  s->Com_commit= 0;
  s->Handler_commit= 0;
  s->Com_select= 0;
  s->Table_open_cache_hits= 0;
  s->Table_open_cache_misses= 0;
  s->Open_tables= 0;
  s->Opened_tables= 0;
  s->Open_table_definitions= 0;
  s->Opened_table_definitions= 0;
  s->Key_read_requests= 0;
  s->Key_reads= 0;
  s->Key_blocks_used= 0;
  s->Key_blocks_unused= 107000;
}

/* A run's records, on their own arena. */
struct run
{
  struct arena ar;
  struct pa_alloc a;
  struct pa_rec_list l;
  int rc;
};

static void run(struct run *r, const struct pa_server_state *s,
                const struct pa_config_thresholds *t)
{
  {
    struct arena fresh= PA_TEST_ARENA_INIT;
    r->ar= fresh;
  }
  r->a.alloc= arena_alloc;
  r->a.ctx= &r->ar;
  pa_rec_list_init(&r->l, &r->a);
  r->rc= pa_config_advise(s, t, &r->l);
}

static void done(struct run *r)
{
  arena_free(&r->ar);
}

/* The record of rule `rule` of `type`, by its stable id, or NULL. */
static const struct pa_rec *find(const struct run *r, const char *type,
                                 const char *rule)
{
  struct pa_rec probe;
  size_t i;
  pa_rec_set_id(&probe, type, rule, NULL);
  for (i= 0; i < r->l.n; i++)
    if (!strcmp(r->l.recs[i].id, probe.id))
      return &r->l.recs[i];
  return NULL;
}

static const struct pa_rec *cfg(const struct run *r, const char *rule)
{
  return find(r, "configuration", rule);
}

static int has(const char *hay, const char *needle)
{
  return hay && strstr(hay, needle) != NULL;
}

/* Common checks of every record. */
static void check_rec(const struct pa_rec *rec, const char *rule)
{
  char key[128];
  CHECK(rec != NULL);
  if (!rec)
    return;
  CHECK(strlen(rec->id) == 16);
  CHECK(rec->message && rec->message[0]);
  CHECK(rec->action && rec->action[0]);
  CHECK(json_ok(rec->evidence));
  snprintf(key, sizeof(key), "\"rule\": \"%s\"", rule);
  CHECK(has(rec->evidence, key));
  CHECK(!rec->schema && !rec->table && !rec->index);
  CHECK((rec->sql == NULL) == (rec->rollback_sql == NULL));
}

/* Only `rule` fired (and nothing else) for s. */
static const struct pa_rec *only(struct run *r,
                                 const struct pa_server_state *s,
                                 const char *type, const char *rule)
{
  const struct pa_rec *rec;
  run(r, s, NULL);
  CHECK(r->rc == 0);
  CHECK(r->l.n == 1);
  rec= find(r, type, rule);
  check_rec(rec, rule);
  return rec;
}

/* ------------------------------------------------------------- tests */

static void test_healthy(void)
{
  struct pa_server_state s;
  struct pa_config_thresholds t;
  struct pa_config_memory m;
  struct run r;

  healthy(&s);
  CHECK(pa_config_memory(&s, &m) == 1);
  CHECK(m.global_bytes == 8774483968ULL);
  CHECK(m.per_conn_bytes == 19861504ULL);
  CHECK(m.worst_bytes == 11753709568ULL);

  run(&r, &s, NULL);
  CHECK(r.rc == 0);
  CHECK(r.l.n == 0);
  done(&r);

  pa_config_thresholds_default(&t);
  CHECK_NEAR(t.min_hit_ratio_buffer_pool, 0.99, 1e-12);
  CHECK(t.min_buffer_pool_read_requests == 10000);
  run(&r, &s, &t);
  CHECK(r.rc == 0 && r.l.n == 0);
  done(&r);

  /* A query cache that is ON takes its memory; OFF frees it. */
  s.query_cache_size= 64 * MIB;
  CHECK(pa_config_memory(&s, &m) == 1 && m.global_bytes == 8774483968ULL);
  s.query_cache_type= 1;
  CHECK(pa_config_memory(&s, &m) == 1 &&
        m.global_bytes == 8774483968ULL + 64 * MIB);
  s.query_cache_type= -1;
  CHECK(pa_config_memory(&s, &m) == 0 && m.worst_bytes == 0);
}

static void test_cache_rows(void)
{
  struct pa_server_state s;
  struct pa_cache_row rows[PA_CACHE_ROWS];
  const struct pa_cache_row *r;

  healthy(&s);
  s.query_cache_type= 1;
  s.query_cache_size= 64 * MIB;
  s.Qcache_hits= 3000;
  s.Qcache_inserts= 500;
  s.Qcache_not_cached= 500;
  s.Qcache_free_memory= 16 * MIB;
  s.Threads_created= 200;
  s.Connections= 1000;
  CHECK(pa_cache_stats(&s, rows) == PA_CACHE_ROWS);

  r= &rows[0];
  CHECK_STR(r->name, "innodb_buffer_pool");
  CHECK_STR(r->size_unit, "bytes");
  CHECK(r->size_known && r->size == 8 * GIB);
  CHECK(r->used_known && r->used == (524288ULL - 1000) * 16384);
  CHECK(r->hits_known && r->hits == 1000000000ULL - 100000);
  CHECK(r->misses_known && r->misses == 100000);
  CHECK(r->hit_ratio_known);
  CHECK_NEAR(r->hit_ratio, 0.9999, 1e-12);
  CHECK(has(r->source, "Innodb_buffer_pool_read_requests, "
                       "Innodb_buffer_pool_reads"));

  r= &rows[1];
  CHECK_STR(r->name, "query_cache");
  CHECK_STR(r->size_unit, "bytes");
  CHECK(r->size == 64 * MIB);
  CHECK(r->used_known && r->used == 48 * MIB);
  CHECK(r->hits == 3000 && r->misses == 1000);
  CHECK(r->hit_ratio_known);
  CHECK_NEAR(r->hit_ratio, 0.75, 1e-12);
  CHECK(has(r->source, "Qcache_not_cached"));

  r= &rows[2];
  CHECK_STR(r->name, "table_open_cache");
  CHECK_STR(r->size_unit, "entries");
  CHECK(r->size == 2000 && r->used == 1500);
  CHECK(r->hits == 1000000 && r->misses == 1000);
  CHECK_NEAR(r->hit_ratio, 1000000.0 / 1001000.0, 1e-12);

  r= &rows[3];
  CHECK_STR(r->name, "table_definition_cache");
  CHECK_STR(r->size_unit, "entries");
  CHECK(r->size == 2000 && r->used_known && r->used == 800);
  CHECK(!r->hits_known && r->misses_known && r->misses == 1000);
  CHECK(!r->hit_ratio_known);

  r= &rows[4];
  CHECK_STR(r->name, "thread_cache");
  CHECK_STR(r->size_unit, "entries");
  CHECK(r->size == 256 && r->used == 40);
  CHECK(r->hits == 800 && r->misses == 200);
  CHECK_NEAR(r->hit_ratio, 0.8, 1e-12);

  r= &rows[5];
  CHECK_STR(r->name, "key_cache");
  CHECK_STR(r->size_unit, "bytes");
  CHECK(r->size == 32 * MIB && r->used == 1000 * 1024);
  CHECK(r->hits == 999900 && r->misses == 100);
  CHECK_NEAR(r->hit_ratio, 0.9999, 1e-12);

  /* A disabled query cache: counters as measured, ratio unknown. */
  s.query_cache_type= 0;
  pa_cache_stats(&s, rows);
  CHECK(rows[1].hits_known && rows[1].hits == 3000);
  CHECK(!rows[1].hit_ratio_known);
  s.query_cache_type= 1;
  s.query_cache_size= 0;
  s.Qcache_free_memory= 0;
  pa_cache_stats(&s, rows);
  CHECK(!rows[1].hit_ratio_known && rows[1].used == 0);

  /* Counters out of order clamp at zero. */
  s.Innodb_buffer_pool_read_requests= 10;
  s.Innodb_buffer_pool_reads= 20;
  s.Innodb_buffer_pool_pages_free= 600000;
  s.Connections= 5;
  pa_cache_stats(&s, rows);
  CHECK(rows[0].hits == 0 && rows[0].misses == 20);
  CHECK(rows[0].hit_ratio_known && rows[0].hit_ratio == 0.0);
  CHECK(rows[0].used_known && rows[0].used == 0);
  CHECK(rows[4].hits == 0);

  /* All unknown: names and units, nothing known. */
  pa_config_state_init(&s);
  CHECK(pa_cache_stats(&s, rows) == PA_CACHE_ROWS);
  for (int i= 0; i < PA_CACHE_ROWS; i++)
  {
    CHECK(rows[i].name && rows[i].size_unit && rows[i].source);
    CHECK(!rows[i].size_known && !rows[i].used_known);
    CHECK(!rows[i].hits_known && !rows[i].misses_known);
    CHECK(!rows[i].hit_ratio_known);
  }

  /* All zero: no division by zero, ratios unknown. */
  memset(&s, 0, sizeof(s));
  pa_cache_stats(&s, rows);
  for (int i= 0; i < PA_CACHE_ROWS; i++)
  {
    CHECK(rows[i].size_known && rows[i].size == 0);
    CHECK(!rows[i].hit_ratio_known);
  }
}

static void test_buffer_pool_small(void)
{
  struct pa_server_state s;
  struct pa_config_thresholds t;
  struct pa_config_memory m;
  const struct pa_rec *rec;
  struct run r;
  uint64_t expect;

  healthy(&s);
  s.innodb_buffer_pool_size= 128 * MIB;
  s.Innodb_buffer_pool_read_requests= 100000;
  s.Innodb_buffer_pool_reads= 5000;
  rec= only(&r, &s, "configuration", "buffer_pool_small");
  if (rec)
  {
    CHECK(rec->priority == PA_PRIO_HIGH);
    CHECK(has(rec->message, "95.00%"));
    CHECK(has(rec->message, "Innodb_buffer_pool_reads 5000"));
    CHECK(has(rec->message, "Innodb_buffer_pool_read_requests 100000"));
    CHECK(has(rec->message, "134217728 bytes (128.0 MiB)"));
    CHECK(has(rec->message, "536870912 bytes (512.0 MiB)"));
    CHECK_STR(rec->sql, "SET GLOBAL innodb_buffer_pool_size = 536870912");
    CHECK_STR(rec->rollback_sql,
              "SET GLOBAL innodb_buffer_pool_size = 134217728");
    CHECK_STR(rec->action, "set_global");
    CHECK(has(rec->evidence, "\"suggested_bytes\": 536870912"));
    CHECK(has(rec->evidence, "\"min_hit_ratio\": 0.99"));
  }
  done(&r);

  /* A pool under 128 MiB (mtr's 8 MiB): 4 x current in MiB steps. */
  s.innodb_buffer_pool_size= 8 * MIB;
  rec= only(&r, &s, "configuration", "buffer_pool_small");
  if (rec)
  {
    CHECK_STR(rec->sql, "SET GLOBAL innodb_buffer_pool_size = 33554432");
    CHECK(has(rec->message, "rounded down to 1 MiB."));
  }
  done(&r);
  s.innodb_buffer_pool_size= 128 * MIB;

  /* Above innodb_buffer_pool_size_max: config file and restart. */
  s.innodb_buffer_pool_size_max= 256 * MIB;
  rec= only(&r, &s, "configuration", "buffer_pool_small");
  if (rec)
  {
    CHECK(rec->sql == NULL);
    CHECK_STR(rec->action, "edit_config_restart");
    CHECK(has(rec->message, "innodb_buffer_pool_size_max"));
  }
  done(&r);
  s.innodb_buffer_pool_size_max= PA_CONFIG_UNKNOWN;

  /* Silent: too few samples, big enough, good ratio, custom threshold. */
  s.Innodb_buffer_pool_read_requests= 9999;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
  s.Innodb_buffer_pool_read_requests= 100000;
  s.innodb_buffer_pool_size= GIB;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
  s.innodb_buffer_pool_size= 128 * MIB;
  s.Innodb_buffer_pool_reads= 1000;     /* exactly 99% */
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
  s.Innodb_buffer_pool_reads= 5000;
  pa_config_thresholds_default(&t);
  t.min_hit_ratio_buffer_pool= 0.90;
  run(&r, &s, &t);
  CHECK(r.l.n == 0);
  done(&r);

  /* Silent at 70% of RAM or more: 768 MiB of 1 GiB. */
  healthy(&s);
  s.ram_bytes= GIB;
  s.innodb_buffer_pool_size= 768 * MIB;
  s.max_connections= 10;
  s.Innodb_buffer_pool_read_requests= 100000;
  s.Innodb_buffer_pool_reads= 5000;
  run(&r, &s, NULL);
  CHECK(!cfg(&r, "buffer_pool_small"));
  done(&r);

  /*
    Bounded by the memory headroom: 4 GiB RAM, max_connections 189 leaves
    222375936 bytes; 128 MiB + that rounds down to 256 MiB.
  */
  healthy(&s);
  s.ram_bytes= 4 * GIB;
  s.innodb_buffer_pool_size= 128 * MIB;
  s.max_connections= 189;
  s.Innodb_buffer_pool_read_requests= 100000;
  s.Innodb_buffer_pool_reads= 5000;
  CHECK(pa_config_memory(&s, &m) && 4 * GIB - m.worst_bytes == 222375936);
  run(&r, &s, NULL);
  rec= cfg(&r, "buffer_pool_small");
  check_rec(rec, "buffer_pool_small");
  expect= 268435456;
  if (rec)
  {
    CHECK_STR(rec->sql, "SET GLOBAL innodb_buffer_pool_size = 268435456");
    CHECK(m.worst_bytes - 128 * MIB + expect <= 4 * GIB);
  }
  done(&r);

  /* No headroom (over-committed): the fault is stated, no size. */
  s.max_connections= 400;
  run(&r, &s, NULL);
  rec= cfg(&r, "buffer_pool_small");
  check_rec(rec, "buffer_pool_small");
  if (rec)
  {
    CHECK(rec->sql == NULL);
    CHECK(has(rec->message, "leaves no room"));
    CHECK(!has(rec->evidence, "suggested_bytes"));
  }
  CHECK(cfg(&r, "memory_overcommit") != NULL);
  done(&r);

  /*
    A pool of 1 GiB or more fires only when it is smaller than the InnoDB
    data it serves.  16 GiB RAM, 2 GiB pool, 95% hit ratio.
  */
  healthy(&s);
  s.innodb_buffer_pool_size= 2 * GIB;
  s.Innodb_buffer_pool_read_requests= 100000;
  s.Innodb_buffer_pool_reads= 5000;
  /* the data size unknown: silent (nothing says the pool is too small) */
  run(&r, &s, NULL);
  CHECK(!cfg(&r, "buffer_pool_small"));
  done(&r);
  /* the data fits: silent, misses are cold reads a bigger pool won't save */
  s.innodb_data_bytes= 2 * GIB;
  s.innodb_stats_tables= 700;
  run(&r, &s, NULL);
  CHECK(!cfg(&r, "buffer_pool_small"));
  done(&r);
  /*
    5 GiB + 1 byte of data: raise to the data size rounded up to 128 MiB
    (5248 MiB), under 4 x 2 GiB, 70% of RAM and the headroom.
  */
  s.innodb_data_bytes= 5 * GIB + 1;
  CHECK(pa_config_memory(&s, &m) &&
        16 * GIB - m.worst_bytes > 5 * GIB + 128 * MIB - 2 * GIB &&
        (uint64_t) (16 * GIB * 0.7) > 5 * GIB + 128 * MIB);
  rec= only(&r, &s, "configuration", "buffer_pool_small");
  if (rec)
  {
    CHECK(rec->priority == PA_PRIO_HIGH);
    CHECK(has(rec->message, "smaller than the InnoDB data and indexes it "
                            "serves, at least 5368709121 bytes"));
    CHECK(has(rec->message, "the 700 tables in mysql.innodb_table_stats"));
    CHECK(has(rec->message, "the data size rounded up to 128 MiB"));
    CHECK_STR(rec->sql, "SET GLOBAL innodb_buffer_pool_size = 5502926848");
    CHECK_STR(rec->rollback_sql,
              "SET GLOBAL innodb_buffer_pool_size = 2147483648");
    CHECK(has(rec->evidence, "\"innodb_data_bytes\": 5368709121"));
    CHECK(has(rec->evidence, "\"innodb_stats_tables\": 700"));
  }
  done(&r);
  /*
    far more data than RAM: 4 x current bounds it (8 GiB), below 70% of
    RAM and the headroom (worst case 11753709568 - 6 GiB with this pool)
  */
  s.innodb_data_bytes= 400 * GIB;
  CHECK(pa_config_memory(&s, &m) && m.worst_bytes == 11753709568ULL - 6 * GIB);
  rec= only(&r, &s, "configuration", "buffer_pool_small");
  if (rec)
    CHECK_STR(rec->sql, "SET GLOBAL innodb_buffer_pool_size = 8589934592");
  done(&r);
  /* 16 GiB RAM, 6 GiB pool: 70% of RAM (11.2 GiB) rounded down to 128 MiB */
  s.innodb_buffer_pool_size= 6 * GIB;
  rec= only(&r, &s, "configuration", "buffer_pool_small");
  if (rec)
    CHECK_STR(rec->sql, "SET GLOBAL innodb_buffer_pool_size = 11945377792");
  done(&r);
  /* at 70% of RAM already: silent */
  s.innodb_buffer_pool_size= 12 * GIB;
  run(&r, &s, NULL);
  CHECK(!cfg(&r, "buffer_pool_small"));
  done(&r);
}

static void test_tmp_table_mismatch(void)
{
  struct pa_server_state s;
  const struct pa_rec *rec;
  struct run r;

  /* max_connections 50: room for the larger value, 64 MiB. */
  healthy(&s);
  s.max_connections= 50;
  s.Max_used_connections= 20;
  s.tmp_table_size= 64 * MIB;
  s.Created_tmp_tables= 10000;
  s.Created_tmp_disk_tables= 3000;
  rec= only(&r, &s, "configuration", "tmp_table_size_mismatch");
  if (rec)
  {
    CHECK(rec->priority == PA_PRIO_MEDIUM);
    CHECK(has(rec->message, "3000 of 10000"));
    CHECK(has(rec->message, "30.00%"));
    CHECK(has(rec->message, "tmp_table_size = 67108864"));
    CHECK(has(rec->message, "max_heap_table_size = 16777216"));
    CHECK_STR(rec->sql, "SET GLOBAL max_heap_table_size = 67108864");
    CHECK_STR(rec->rollback_sql, "SET GLOBAL max_heap_table_size = 16777216");
  }
  done(&r);

  /*
    max_connections 150: the headroom 5426159616 / 150 = 36174397 bytes per
    connection limits the raise to 16 MiB + that, rounded to 50 MiB.
  */
  s.max_connections= 150;
  s.Max_used_connections= 60;
  rec= only(&r, &s, "configuration", "tmp_table_size_mismatch");
  if (rec)
    CHECK_STR(rec->sql, "SET GLOBAL max_heap_table_size = 52428800");
  done(&r);

  /* 1% of RAM caps it: 64 GiB of RAM, tmp_table_size 1 GiB, the smaller
     one is tmp_table_size here. */
  s.ram_bytes= 64 * GIB;
  s.max_connections= 10;
  s.Max_used_connections= 5;
  s.tmp_table_size= 16 * MIB;
  s.max_heap_table_size= GIB;
  rec= only(&r, &s, "configuration", "tmp_table_size_mismatch");
  if (rec)
    CHECK_STR(rec->sql, "SET GLOBAL tmp_table_size = 686817280");
  done(&r);

  /* Silent: equal sizes, exactly 25%, too few tables. */
  healthy(&s);
  s.Created_tmp_tables= 10000;
  s.Created_tmp_disk_tables= 3000;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
  s.tmp_table_size= 64 * MIB;
  s.max_connections= 50;
  s.Max_used_connections= 20;
  s.Created_tmp_disk_tables= 2500;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
  s.Created_tmp_tables= 999;
  s.Created_tmp_disk_tables= 999;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
}

static void test_redo_log(void)
{
  struct pa_server_state s;
  const struct pa_rec *rec;
  struct run r;

  healthy(&s);
  s.uptime_s= 7200;
  s.Handler_commit= 0;
  s.Innodb_os_log_written= 4 * GIB;     /* 2 GiB per hour */
  rec= only(&r, &s, "configuration", "redo_log_small");
  if (rec)
  {
    CHECK(rec->priority == PA_PRIO_MEDIUM);
    CHECK(has(rec->message, "2147483648 bytes of redo per hour"));
    CHECK(has(rec->message, "Innodb_os_log_written 4294967296"));
    CHECK(has(rec->message, "Uptime 7200"));
    CHECK(has(rec->message, "1073741824 bytes (1.0 GiB)"));
    CHECK(has(rec->message, "whole redo log"));
    CHECK_STR(rec->sql, "SET GLOBAL innodb_log_file_size = 2147483648");
    CHECK_STR(rec->rollback_sql,
              "SET GLOBAL innodb_log_file_size = 1073741824");
  }
  done(&r);

  /* Next power of two. */
  s.Innodb_os_log_written= 4 * GIB + 2;
  rec= only(&r, &s, "configuration", "redo_log_small");
  if (rec)
    CHECK_STR(rec->sql, "SET GLOBAL innodb_log_file_size = 4294967296");
  done(&r);

  /* Capped at 32 GiB of disk, stated. */
  s.Innodb_os_log_written= 200 * GIB;
  rec= only(&r, &s, "configuration", "redo_log_small");
  if (rec)
  {
    CHECK_STR(rec->sql, "SET GLOBAL innodb_log_file_size = 34359738368");
    CHECK(has(rec->message, "capped at 34359738368"));
  }
  done(&r);

  /* Already at the cap: no statement. */
  s.innodb_log_file_size= 32 * GIB;
  rec= only(&r, &s, "configuration", "redo_log_small");
  if (rec)
    CHECK(rec->sql == NULL);
  done(&r);

  /* Silent: under an hour of uptime, a log of at least an hour. */
  healthy(&s);
  s.Handler_commit= 0;
  s.uptime_s= 3599;
  s.Innodb_os_log_written= 4 * GIB;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
  s.uptime_s= 7200;
  s.innodb_log_file_size= 2 * GIB;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
}

static void test_file_per_table(void)
{
  struct pa_server_state s;
  const struct pa_rec *rec;
  struct run r;

  healthy(&s);
  s.innodb_file_per_table= 0;
  rec= only(&r, &s, "configuration", "file_per_table_off");
  if (rec)
  {
    CHECK(rec->priority == PA_PRIO_MEDIUM);
    CHECK(has(rec->message, "only"));
    CHECK_STR(rec->sql, "SET GLOBAL innodb_file_per_table = ON");
    CHECK_STR(rec->rollback_sql, "SET GLOBAL innodb_file_per_table = OFF");
  }
  done(&r);
  s.innodb_file_per_table= -1;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
}

static void test_max_connections(void)
{
  struct pa_server_state s;
  struct pa_config_memory m;
  const struct pa_rec *rec;
  struct run r;

  healthy(&s);
  s.Max_used_connections= 140;
  rec= only(&r, &s, "configuration", "max_connections_high");
  if (rec)
  {
    CHECK(rec->priority == PA_PRIO_HIGH);
    CHECK(has(rec->message, "Max_used_connections = 140"));
    CHECK(has(rec->message, "93.33%"));
    CHECK(has(rec->message, "max_connections = 150"));
    CHECK(has(rec->message, "19861504"));
    CHECK_STR(rec->sql, "SET GLOBAL max_connections = 225");
    CHECK_STR(rec->rollback_sql, "SET GLOBAL max_connections = 150");
  }
  done(&r);

  /* Exactly 85% fires, just under does not. */
  s.max_connections= 100;
  s.Max_used_connections= 85;
  run(&r, &s, NULL);
  CHECK(cfg(&r, "max_connections_high") != NULL);
  done(&r);
  s.Max_used_connections= 84;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);

  /* Room for 10 more connections only. */
  healthy(&s);
  s.Max_used_connections= 140;
  pa_config_memory(&s, &m);
  s.ram_bytes= m.worst_bytes + 10 * m.per_conn_bytes + 5;
  run(&r, &s, NULL);
  rec= cfg(&r, "max_connections_high");
  check_rec(rec, "max_connections_high");
  if (rec)
    CHECK_STR(rec->sql, "SET GLOBAL max_connections = 160");
  CHECK(cfg(&r, "memory_overcommit") != NULL);   /* 98% of RAM */
  done(&r);

  /* Low use after a day: informational, no statement. */
  healthy(&s);
  s.Max_used_connections= 10;
  rec= only(&r, &s, "configuration", "max_connections_low");
  if (rec)
  {
    CHECK(rec->priority == PA_PRIO_LOW);
    CHECK(has(rec->message, "Max_used_connections = 10"));
    CHECK(has(rec->message, "6.67%"));
    CHECK(has(rec->message, "e.g. 20"));
    CHECK(rec->sql == NULL);
    CHECK_STR(rec->action, "review");
  }
  done(&r);
  s.uptime_s= 86399;
  s.Innodb_os_log_written= 0;
  s.Handler_commit= 0;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
}

static void test_query_cache(void)
{
  struct pa_server_state s;
  const struct pa_rec *rec;
  struct run r;

  healthy(&s);
  s.query_cache_type= 1;
  s.query_cache_size= 64 * MIB;
  s.Qcache_hits= 2000;
  s.Qcache_inserts= 6000;
  s.Qcache_not_cached= 2000;
  s.Qcache_lowmem_prunes= 0;
  rec= only(&r, &s, "configuration", "query_cache_inefficient");
  if (rec)
  {
    CHECK(rec->priority == PA_PRIO_MEDIUM);
    CHECK(has(rec->message, "20.00%"));
    CHECK(has(rec->message, "Qcache_hits 2000"));
    CHECK(has(rec->message, "Qcache_inserts 6000"));
    CHECK(has(rec->message, "Qcache_not_cached 2000"));
    CHECK(has(rec->message, "global mutex"));
    CHECK(has(rec->message, "Com_select = 1000000"));
    CHECK_STR(rec->sql, "SET GLOBAL query_cache_type = OFF; "
                        "SET GLOBAL query_cache_size = 0");
    CHECK_STR(rec->rollback_sql, "SET GLOBAL query_cache_size = 67108864; "
                                 "SET GLOBAL query_cache_type = ON");
  }
  done(&r);

  /* Pruning alone fires it. */
  s.Qcache_hits= 8000;
  s.Qcache_inserts= 1000;
  s.Qcache_not_cached= 1000;
  s.Qcache_lowmem_prunes= 200;
  rec= only(&r, &s, "configuration", "query_cache_inefficient");
  if (rec)
    CHECK(has(rec->message, "Qcache_lowmem_prunes 200 is 20.00%"));
  done(&r);

  /* Silent: good cache, too few lookups, disabled by type or size. */
  s.Qcache_lowmem_prunes= 100;          /* exactly 10% */
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
  s.Qcache_hits= 2000;
  s.Qcache_inserts= 5999;
  s.Qcache_not_cached= 2000;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
  s.Qcache_inserts= 6000;
  s.query_cache_type= 0;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
  s.query_cache_type= 2;
  s.query_cache_size= 0;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
}

static void test_flush_log(void)
{
  struct pa_server_state s;
  const struct pa_rec *rec;
  struct run r;

  healthy(&s);
  s.Handler_commit= 172800ULL * 101;
  rec= only(&r, &s, "configuration", "flush_log_tradeoff");
  if (rec)
  {
    CHECK(rec->priority == PA_PRIO_LOW);
    CHECK(has(rec->message, "up to ~1 s of committed transactions can be"
                            " lost on an OS crash or power failure"));
    CHECK(has(rec->message, "101.0 commits per second"));
    CHECK(has(rec->message, "Handler_commit 17452800"));
    CHECK(rec->sql == NULL);
  }
  done(&r);
  s.innodb_flush_log_at_trx_commit= 3;
  run(&r, &s, NULL);
  CHECK(cfg(&r, "flush_log_tradeoff") != NULL);
  done(&r);

  /* Silent: already 2, exactly 100/s, short uptime. */
  s.innodb_flush_log_at_trx_commit= 2;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
  s.innodb_flush_log_at_trx_commit= 1;
  s.Handler_commit= 172800ULL * 100;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
  s.uptime_s= 60;
  s.Handler_commit= 60 * 1000;
  s.Innodb_os_log_written= 0;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
}

static void test_usage_stats(void)
{
  struct pa_server_state s;
  const struct pa_rec *rec;
  struct run r;

  healthy(&s);
  s.performance_schema= 0;
  rec= only(&r, &s, "configuration", "usage_stats_off");
  if (rec)
  {
    CHECK(rec->priority == PA_PRIO_HIGH);
    CHECK(has(rec->message, "restart"));
    CHECK_STR(rec->sql, "SET GLOBAL userstat = ON");
    CHECK_STR(rec->rollback_sql, "SET GLOBAL userstat = OFF");
  }
  done(&r);
  s.userstat= 1;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
  s.userstat= -1;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
}

static void test_digests_lost(void)
{
  struct pa_server_state s;
  const struct pa_rec *rec;
  struct run r;

  healthy(&s);
  s.Performance_schema_digest_lost= 5;
  s.performance_schema_digests_size= 5000;
  rec= only(&r, &s, "configuration", "digests_lost");
  if (rec)
  {
    CHECK(rec->priority == PA_PRIO_MEDIUM);
    CHECK(has(rec->message, "Performance_schema_digest_lost = 5"));
    CHECK(has(rec->message, "performance_schema_digests_size = 5000 rows"));
    CHECK(has(rec->message, "= 10000 rows (2 x current)"));
    CHECK(has(rec->message, "restart"));
    CHECK(rec->sql == NULL);
    CHECK_STR(rec->action, "edit_config_restart");
  }
  done(&r);
  s.performance_schema_digests_size= -1;
  rec= only(&r, &s, "configuration", "digests_lost");
  if (rec)
  {
    CHECK(has(rec->message, "autosized"));
    CHECK(has(rec->message, "= 10000 rows"));
    CHECK(has(rec->evidence, "\"performance_schema_digests_size\": null"));
  }
  done(&r);
  s.performance_schema_digests_size= 1024 * 1024;
  rec= only(&r, &s, "configuration", "digests_lost");
  if (rec)
    CHECK(has(rec->message, "maximum"));
  done(&r);
  s.Performance_schema_digest_lost= 0;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
}

static void test_buffer_pool_dump(void)
{
  struct pa_server_state s;
  const struct pa_rec *rec;
  struct run r;

  healthy(&s);
  s.innodb_buffer_pool_dump_at_shutdown= 0;
  rec= only(&r, &s, "configuration", "buffer_pool_dump_off");
  if (rec)
  {
    CHECK(rec->priority == PA_PRIO_LOW);
    CHECK_STR(rec->sql,
              "SET GLOBAL innodb_buffer_pool_dump_at_shutdown = ON");
  }
  done(&r);
  s.innodb_buffer_pool_dump_at_shutdown= 1;
  s.innodb_buffer_pool_load_at_startup= 0;
  rec= only(&r, &s, "configuration", "buffer_pool_dump_off");
  if (rec)
  {
    CHECK(rec->sql == NULL);
    CHECK(has(rec->message, "config file"));
    CHECK_STR(rec->action, "edit_config_restart");
  }
  done(&r);
  s.innodb_buffer_pool_load_at_startup= -1;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
}

static void test_memory(void)
{
  struct pa_server_state s;
  const struct pa_rec *rec;
  struct run r;

  /* 11753709568 bytes worst case on 8 GiB: 136.83%. */
  healthy(&s);
  s.ram_bytes= 8 * GIB;
  rec= only(&r, &s, "configuration", "memory_overcommit");
  if (rec)
  {
    CHECK(rec->priority == PA_PRIO_HIGH);
    CHECK(has(rec->message, "11753709568"));
    CHECK(has(rec->message, "136.83%"));
    CHECK(has(rec->message, "max_connections 150"));
    CHECK(has(rec->message, "innodb_buffer_pool_size 8589934592"));
    CHECK(has(rec->message, "sort_buffer_size 2097152"));
    CHECK(has(rec->message, "min(tmp_table_size, max_heap_table_size)"
                            " 16777216"));
    CHECK(has(rec->message, "8589934592 bytes (8.0 GiB)"));
    CHECK(has(rec->evidence, "\"worst_case_bytes\": 11753709568"));
    CHECK(rec->sql == NULL);
  }
  done(&r);

  /* 95% of RAM: medium. */
  s.ram_bytes= 12372325861ULL;
  rec= only(&r, &s, "configuration", "memory_overcommit");
  if (rec)
    CHECK(rec->priority == PA_PRIO_MEDIUM);
  done(&r);

  /* 90% exactly: silent. */
  s.ram_bytes= 13059677298ULL;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);

  /* Saturation: absurd per-connection sizes do not wrap around. */
  healthy(&s);
  s.tmp_table_size= UINT64_MAX - 1;
  s.max_heap_table_size= UINT64_MAX - 1;
  s.max_connections= 100000;
  s.Max_used_connections= 20000;
  rec= only(&r, &s, "configuration", "memory_overcommit");
  if (rec)
    CHECK(rec->priority == PA_PRIO_HIGH);
  done(&r);
}

static void test_table_open_cache(void)
{
  struct pa_server_state s;
  const struct pa_rec *rec;
  struct run r;

  healthy(&s);
  s.Table_open_cache_hits= 90000;
  s.Table_open_cache_misses= 20000;
  s.Table_open_cache_overflows= 500;
  rec= only(&r, &s, "cache", "table_open_cache_small");
  if (rec)
  {
    CHECK(rec->priority == PA_PRIO_MEDIUM);
    CHECK_STR(rec->type, "cache");
    CHECK(has(rec->message, "Table_open_cache_misses 20000"));
    CHECK(has(rec->message, "Table_open_cache_hits 90000"));
    CHECK(has(rec->message, "18.18%"));
    CHECK(has(rec->message, "open_files_limit (32768)"));
    CHECK_STR(rec->sql, "SET GLOBAL table_open_cache = 4000");
    CHECK_STR(rec->rollback_sql, "SET GLOBAL table_open_cache = 2000");
  }
  done(&r);

  /* Full by Open_tables alone. */
  s.Table_open_cache_overflows= 0;
  s.Open_tables= 2000;
  run(&r, &s, NULL);
  CHECK(find(&r, "cache", "table_open_cache_small") != NULL);
  done(&r);

  /* Silent: not full; too few opens. */
  s.Open_tables= 1500;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
  s.Table_open_cache_overflows= 10;
  s.Table_open_cache_hits= 5000;
  s.Table_open_cache_misses= 4999;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
}

static void test_thread_cache(void)
{
  struct pa_server_state s;
  const struct pa_rec *rec;
  struct run r;

  healthy(&s);
  s.thread_cache_size= 8;
  s.Connections= 10000;
  s.Threads_created= 2000;
  rec= only(&r, &s, "cache", "thread_cache_small");
  if (rec)
  {
    CHECK(rec->priority == PA_PRIO_LOW);
    CHECK(has(rec->message, "Threads_created 2000 / Connections 10000"));
    CHECK(has(rec->message, "20.00%"));
    CHECK_STR(rec->sql, "SET GLOBAL thread_cache_size = 16");
    CHECK_STR(rec->rollback_sql, "SET GLOBAL thread_cache_size = 8");
  }
  done(&r);

  /* Silent: the cache already holds max_connections threads; too few
     connections. */
  s.thread_cache_size= 256;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
  s.thread_cache_size= 8;
  s.Connections= 999;
  s.Threads_created= 999;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
}

static void test_table_definition_cache(void)
{
  struct pa_server_state s;
  const struct pa_rec *rec;
  struct run r;

  healthy(&s);
  s.uptime_s= 7200;
  s.Handler_commit= 0;
  s.Innodb_os_log_written= 0;
  s.table_definition_cache= 400;
  s.Open_table_definitions= 400;
  s.Opened_table_definitions= 1000;     /* 500 per hour */
  rec= only(&r, &s, "cache", "table_definition_cache_small");
  if (rec)
  {
    CHECK(rec->priority == PA_PRIO_MEDIUM);
    CHECK(has(rec->message, "500.0 per hour"));
    CHECK(has(rec->message, "Opened_table_definitions 1000"));
    CHECK(has(rec->message, "Open_table_definitions 400"));
    CHECK_STR(rec->sql, "SET GLOBAL table_definition_cache = 800");
  }
  done(&r);

  /* Silent: not full; exactly 100 per hour. */
  s.Open_table_definitions= 399;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
  s.Open_table_definitions= 400;
  s.Opened_table_definitions= 200;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
}

static void test_key_cache(void)
{
  struct pa_server_state s;
  const struct pa_rec *rec;
  struct run r;

  healthy(&s);
  s.Key_read_requests= 100000;
  s.Key_reads= 5000;
  s.Key_blocks_unused= 0;
  rec= only(&r, &s, "cache", "key_cache_low_hit");
  if (rec)
  {
    CHECK(rec->priority == PA_PRIO_LOW);
    CHECK(has(rec->message, "95.00%"));
    CHECK(has(rec->message, "Key_reads 5000 / Key_read_requests 100000"));
    CHECK_STR(rec->sql, "SET GLOBAL key_buffer_size = 67108864");
    CHECK_STR(rec->rollback_sql, "SET GLOBAL key_buffer_size = 33554432");
  }
  done(&r);

  /* Free blocks left: the misses are first reads, no size. */
  s.Key_blocks_unused= 100;
  rec= only(&r, &s, "cache", "key_cache_low_hit");
  if (rec)
  {
    CHECK(rec->sql == NULL);
    CHECK(has(rec->message, "unused blocks"));
  }
  done(&r);

  /* Silent: MyISAM barely used; good ratio. */
  s.Key_read_requests= 9999;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
  s.Key_read_requests= 100000;
  s.Key_reads= 1000;
  run(&r, &s, NULL);
  CHECK(r.l.n == 0);
  done(&r);
}

/* Everything at once: each rule that takes memory stays silent on size. */
/* Apply every "SET GLOBAL name = N" of l that the memory estimate reads. */
static void apply(struct pa_server_state *s, const struct pa_rec_list *l)
{
  size_t i;
  for (i= 0; i < l->n; i++)
  {
    const char *p= l->recs[i].sql;
    char name[64];
    unsigned long long v;
    int used;
    while (p && sscanf(p, "SET GLOBAL %63s = %n", name, &used) == 1)
    {
      p+= used;
      if (!strcmp(name, "query_cache_type"))
        s->query_cache_type= 0;
      else if (sscanf(p, "%llu", &v) == 1)
      {
        if (!strcmp(name, "innodb_buffer_pool_size"))
          s->innodb_buffer_pool_size= v;
        else if (!strcmp(name, "max_connections"))
          s->max_connections= v;
        else if (!strcmp(name, "tmp_table_size"))
          s->tmp_table_size= v;
        else if (!strcmp(name, "max_heap_table_size"))
          s->max_heap_table_size= v;
        else if (!strcmp(name, "key_buffer_size"))
          s->key_buffer_size= v;
        else if (!strcmp(name, "query_cache_size"))
          s->query_cache_size= v;
      }
      p= strstr(p, "; ");
      if (p)
        p+= 2;
    }
  }
}

/*
  The memory-growing suggestions share one budget, in priority order: on
  4 GiB with 996974592 bytes of headroom the buffer pool takes 384 MiB,
  max_connections the next 29 connections, nothing is left for the
  temporary tables and the key cache gets the remaining 18337792 bytes.
  Running every statement keeps the worst case within RAM.
*/
static void test_shared_budget(void)
{
  struct pa_server_state s, after;
  struct pa_config_memory m;
  const struct pa_rec *rec;
  struct run r;

  healthy(&s);
  s.ram_bytes= 4 * GIB;
  s.innodb_buffer_pool_size= 128 * MIB;
  s.Innodb_buffer_pool_read_requests= 100000;
  s.Innodb_buffer_pool_reads= 5000;
  s.Max_used_connections= 150;
  s.tmp_table_size= 64 * MIB;
  s.Created_tmp_tables= 10000;
  s.Created_tmp_disk_tables= 3000;
  s.Key_read_requests= 100000;
  s.Key_reads= 5000;
  s.Key_blocks_unused= 0;
  CHECK(pa_config_memory(&s, &m) && 4 * GIB - m.worst_bytes == 996974592);
  run(&r, &s, NULL);
  CHECK(r.rc == 0 && r.l.n == 4);
  rec= cfg(&r, "buffer_pool_small");
  CHECK(rec && !strcmp(rec->sql,
                       "SET GLOBAL innodb_buffer_pool_size = 536870912"));
  rec= cfg(&r, "max_connections_high");
  CHECK(rec && !strcmp(rec->sql, "SET GLOBAL max_connections = 179"));
  rec= cfg(&r, "tmp_table_size_mismatch");
  CHECK(rec && rec->sql == NULL && has(rec->message, "leaves no room"));
  rec= find(&r, "cache", "key_cache_low_hit");
  CHECK(rec && !strcmp(rec->sql, "SET GLOBAL key_buffer_size = 51892224"));
  after= s;
  apply(&after, &r.l);
  CHECK(after.max_connections == 179 && after.key_buffer_size == 51892224);
  CHECK(pa_config_memory(&after, &m) && m.worst_bytes <= 4 * GIB);
  CHECK(m.worst_bytes == 4 * GIB);
  done(&r);

  /* With room for all, the applied result still fits. */
  s.ram_bytes= 64 * GIB;
  run(&r, &s, NULL);
  CHECK(r.l.n == 4);
  after= s;
  apply(&after, &r.l);
  CHECK(after.max_heap_table_size == 64 * MIB);
  CHECK(pa_config_memory(&after, &m) && m.worst_bytes <= 64 * GIB);
  done(&r);
}

static void test_unknown_ram(void)
{
  struct pa_server_state s;
  const struct pa_rec *rec;
  struct run r;
  const char *const sized[]= {"buffer_pool_small", "tmp_table_size_mismatch",
                              "max_connections_high"};
  size_t i;

  healthy(&s);
  s.ram_bytes= 0;
  s.innodb_buffer_pool_size= 128 * MIB;
  s.Innodb_buffer_pool_read_requests= 100000;
  s.Innodb_buffer_pool_reads= 5000;
  s.tmp_table_size= 64 * MIB;
  s.Created_tmp_tables= 10000;
  s.Created_tmp_disk_tables= 3000;
  s.Max_used_connections= 150;
  s.Key_read_requests= 100000;
  s.Key_reads= 5000;
  s.Key_blocks_unused= 0;
  s.Table_open_cache_hits= 90000;
  s.Table_open_cache_misses= 20000;
  s.Table_open_cache_overflows= 500;
  run(&r, &s, NULL);
  CHECK(r.rc == 0);
  CHECK(r.l.n == 5);
  for (i= 0; i < sizeof(sized) / sizeof(sized[0]); i++)
  {
    rec= cfg(&r, sized[i]);
    check_rec(rec, sized[i]);
    if (rec)
    {
      CHECK(rec->sql == NULL);
      CHECK(has(rec->message, "Physical RAM is unknown"));
      CHECK(!has(rec->evidence, "suggested"));
      CHECK(has(rec->evidence, "\"ram_bytes\": null"));
    }
  }
  rec= find(&r, "cache", "key_cache_low_hit");
  CHECK(rec && rec->sql == NULL);
  /* Entry counts do not take RAM in this sense: still suggested. */
  rec= find(&r, "cache", "table_open_cache_small");
  CHECK(rec && rec->sql != NULL);
  CHECK(!cfg(&r, "memory_overcommit"));
  done(&r);

  /* PA_CONFIG_UNKNOWN is unknown too. */
  s.ram_bytes= PA_CONFIG_UNKNOWN;
  run(&r, &s, NULL);
  rec= cfg(&r, "buffer_pool_small");
  CHECK(rec && rec->sql == NULL);
  done(&r);

  /* RAM known, one memory input unknown: no size either. */
  s.ram_bytes= 16 * GIB;
  s.thread_stack= PA_CONFIG_UNKNOWN;
  run(&r, &s, NULL);
  rec= cfg(&r, "buffer_pool_small");
  CHECK(rec && rec->sql == NULL && has(rec->message, "unknown"));
  CHECK(!cfg(&r, "memory_overcommit"));
  done(&r);
}

static void test_empty_states(void)
{
  struct pa_server_state s;
  struct run r;

  /* Nothing known: nothing to say. */
  pa_config_state_init(&s);
  run(&r, &s, NULL);
  CHECK(r.rc == 0 && r.l.n == 0);
  done(&r);

  /* A fresh server with the 10.11 defaults: only the blind-advisor rule. */
  fresh(&s);
  run(&r, &s, NULL);
  CHECK(r.rc == 0);
  CHECK(r.l.n == 1);
  check_rec(cfg(&r, "usage_stats_off"), "usage_stats_off");
  done(&r);
  s.ram_bytes= 0;
  run(&r, &s, NULL);
  CHECK(r.l.n == 1 && cfg(&r, "usage_stats_off"));
  done(&r);

  /*
    All zero bytes: the switches read as OFF (file_per_table, dump/load,
    both statistics sources); no counter-based rule fires and nothing
    divides by zero.
  */
  memset(&s, 0, sizeof(s));
  run(&r, &s, NULL);
  CHECK(r.rc == 0);
  CHECK(r.l.n == 3);
  CHECK(cfg(&r, "usage_stats_off") != NULL);
  CHECK(cfg(&r, "file_per_table_off") != NULL);
  CHECK(cfg(&r, "buffer_pool_dump_off") != NULL);
  done(&r);
}

/* Zero divisors next to large counters. */
static void test_zero_divisors(void)
{
  struct pa_server_state s;
  struct pa_cache_row rows[PA_CACHE_ROWS];
  struct run r;

  healthy(&s);
  s.uptime_s= 0;
  s.Innodb_os_log_written= 100 * GIB;
  s.Handler_commit= 1000000000;
  s.Opened_table_definitions= 1000000;
  s.Open_table_definitions= 2000;
  s.max_connections= 0;
  s.Max_used_connections= 10;
  s.Connections= 0;
  s.Threads_created= 5000;
  s.table_open_cache= 0;
  s.innodb_page_size= 0;
  run(&r, &s, NULL);
  CHECK(r.rc == 0);
  CHECK(!cfg(&r, "redo_log_small"));
  CHECK(!cfg(&r, "flush_log_tradeoff"));
  CHECK(!find(&r, "cache", "table_definition_cache_small"));
  CHECK(!cfg(&r, "max_connections_high"));
  CHECK(!find(&r, "cache", "thread_cache_small"));
  done(&r);
  pa_cache_stats(&s, rows);
  CHECK(rows[0].used_known && rows[0].used == 0);
  CHECK(!rows[4].hit_ratio_known || rows[4].hits == 0);
}

/* A state where every rule but the mutually exclusive ones fires. */
static void everything(struct pa_server_state *s)
{
  healthy(s);
  s->ram_bytes= 8 * GIB;                  /* memory_overcommit */
  s->sort_buffer_size= 64 * MIB;
  s->innodb_buffer_pool_size= 128 * MIB;
  s->Innodb_buffer_pool_read_requests= 100000;
  s->Innodb_buffer_pool_reads= 5000;
  s->tmp_table_size= 64 * MIB;
  s->Created_tmp_tables= 10000;
  s->Created_tmp_disk_tables= 3000;
  s->uptime_s= 7200;
  s->Innodb_os_log_written= 4 * GIB;
  s->innodb_file_per_table= 0;
  s->Max_used_connections= 150;
  s->query_cache_type= 1;
  s->query_cache_size= 64 * MIB;
  s->Qcache_hits= 2000;
  s->Qcache_inserts= 6000;
  s->Qcache_not_cached= 2000;
  s->Handler_commit= 7200ULL * 500;
  s->performance_schema= 0;
  s->Performance_schema_digest_lost= 3;
  s->innodb_buffer_pool_dump_at_shutdown= 0;
  s->Table_open_cache_hits= 90000;
  s->Table_open_cache_misses= 20000;
  s->Table_open_cache_overflows= 1;
  s->thread_cache_size= 8;
  s->Connections= 10000;
  s->Threads_created= 2000;
  s->table_definition_cache= 400;
  s->Open_table_definitions= 400;
  s->Key_read_requests= 100000;
  s->Key_reads= 5000;
}

static void test_all_rules_and_ids(void)
{
  static const char *const config_rules[]= {
      "usage_stats_off",   "memory_overcommit",       "buffer_pool_small",
      "max_connections_high", "tmp_table_size_mismatch", "redo_log_small",
      "file_per_table_off", "query_cache_inefficient", "flush_log_tradeoff",
      "buffer_pool_dump_off"};
  static const char *const cache_rules[]= {
      "table_open_cache_small", "table_definition_cache_small",
      "thread_cache_small", "key_cache_low_hit"};
  struct pa_server_state s;
  struct run r1, r2;
  size_t i, j;

  everything(&s);
  /* digests_lost needs performance_schema not OFF: unknown counts. */
  s.performance_schema= -1;
  s.userstat= 0;
  run(&r1, &s, NULL);
  CHECK(r1.rc == 0);
  CHECK(r1.l.n == 14);
  CHECK(cfg(&r1, "digests_lost") != NULL);
  s.performance_schema= 0;
  run(&r2, &s, NULL);
  CHECK(r2.rc == 0);
  CHECK(r2.l.n == 14);
  for (i= 0; i < sizeof(config_rules) / sizeof(config_rules[0]); i++)
    check_rec(cfg(&r2, config_rules[i]), config_rules[i]);
  for (i= 0; i < sizeof(cache_rules) / sizeof(cache_rules[0]); i++)
    check_rec(find(&r2, "cache", cache_rules[i]), cache_rules[i]);
  for (i= 0; i < r2.l.n; i++)
  {
    const struct pa_rec *a= &r2.l.recs[i];
    CHECK(json_ok(a->evidence));
    CHECK(a->priority >= PA_PRIO_HIGH && a->priority <= PA_PRIO_LOW);
    CHECK(!strcmp(a->type, "configuration") || !strcmp(a->type, "cache"));
    for (j= i + 1; j < r2.l.n; j++)
      CHECK(strcmp(a->id, r2.l.recs[j].id) != 0);
  }
  /* Stable across calls. */
  CHECK(cfg(&r1, "redo_log_small") && cfg(&r2, "redo_log_small") &&
        !strcmp(cfg(&r1, "redo_log_small")->id,
                cfg(&r2, "redo_log_small")->id));
  /* The trade-off is never more than low. */
  CHECK(cfg(&r2, "flush_log_tradeoff") &&
        cfg(&r2, "flush_log_tradeoff")->priority == PA_PRIO_LOW);
  pa_rec_sort(&r2.l);
  CHECK(r2.l.recs[0].priority == PA_PRIO_HIGH);
  done(&r1);
  done(&r2);
}

static void test_oom(void)
{
  struct pa_server_state s;
  struct arena ar= PA_TEST_ARENA_INIT;
  struct pa_alloc a= {arena_alloc, &ar};
  struct pa_rec_list l;
  int fail, rc= -1, failures= 0;

  everything(&s);
  for (fail= 0; fail < 4000 && rc != 0; fail++)
  {
    ar.n= 0;
    ar.fail_after= fail;
    pa_rec_list_init(&l, &a);
    rc= pa_config_advise(&s, NULL, &l);
    if (rc)
    {
      failures++;
      CHECK(l.oom);
    }
    else
      CHECK(!l.oom && l.n == 14);
    arena_free(&ar);
  }
  CHECK(rc == 0);
  CHECK(failures > 10);

  /* A list already out of memory is refused. */
  ar.n= 0;
  ar.fail_after= -1;
  pa_rec_list_init(&l, &a);
  l.oom= 1;
  CHECK(pa_config_advise(&s, NULL, &l) == -1 && l.n == 0);
}

int main(void)
{
  test_healthy();
  test_cache_rows();
  test_buffer_pool_small();
  test_tmp_table_mismatch();
  test_redo_log();
  test_file_per_table();
  test_max_connections();
  test_query_cache();
  test_flush_log();
  test_usage_stats();
  test_digests_lost();
  test_buffer_pool_dump();
  test_memory();
  test_table_open_cache();
  test_thread_cache();
  test_table_definition_cache();
  test_key_cache();
  test_shared_budget();
  test_unknown_ram();
  test_empty_states();
  test_zero_divisors();
  test_all_rules_and_ids();
  test_oom();
  return PA_TEST_END("test_config");
}
