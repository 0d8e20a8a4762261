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

#include <stddef.h>
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

/* One field of struct pa_server_state set to a value: SET(field, value). */
struct set
{
  size_t off, size;
  uint64_t v;
};

#define SET(field, value)                                                    \
  {offsetof(struct pa_server_state, field),                                  \
   sizeof(((struct pa_server_state *) 0)->field), (uint64_t) (value)}

/* Apply sets up to the first empty one (int fields take v as signed). */
static void apply_sets(struct pa_server_state *s, const struct set *set,
                       size_t max)
{
  for (size_t i= 0; i < max && set[i].size; i++)
  {
    char *p= (char *) s + set[i].off;
    if (set[i].size == sizeof(int))
    {
      int v= (int) (int64_t) set[i].v;
      memcpy(p, &v, sizeof(v));
    }
    else
      memcpy(p, &set[i].v, sizeof(set[i].v));
  }
}

#define APPLY(s, sets)                                                      \
  apply_sets((s), (sets), sizeof(sets) / sizeof((sets)[0]))

/*
  A healthy MariaDB 10.11 server with 16 GiB of RAM, up for two days: no
  rule may fire.  Memory estimate: global 8774483968 bytes, per connection
  19861504 bytes, worst case 11753709568 bytes (68% of RAM).
*/
static const struct set healthy_set[]= {
    SET(ram_bytes, 16 * GIB), SET(uptime_s, 172800),
    SET(innodb_buffer_pool_size, 8 * GIB),
    SET(innodb_buffer_pool_size_max, 8192 * GIB), SET(innodb_page_size, 16384),
    SET(innodb_log_file_size, GIB), SET(innodb_log_buffer_size, 16 * MIB),
    SET(innodb_file_per_table, 1), SET(innodb_flush_log_at_trx_commit, 1),
    SET(innodb_buffer_pool_dump_at_shutdown, 1),
    SET(innodb_buffer_pool_load_at_startup, 1), SET(tmp_table_size, 16 * MIB),
    SET(max_heap_table_size, 16 * MIB), SET(max_connections, 150),
    SET(open_files_limit, 32768), SET(table_open_cache, 2000),
    SET(table_definition_cache, 2000), SET(thread_cache_size, 256),
    SET(key_buffer_size, 32 * MIB), SET(key_cache_block_size, 1024),
    SET(query_cache_size, 0), SET(query_cache_type, 0),
    SET(sort_buffer_size, 2 * MIB), SET(join_buffer_size, 262144),
    SET(read_buffer_size, 131072), SET(read_rnd_buffer_size, 262144),
    SET(thread_stack, 299008), SET(binlog_cache_size, 32768),
    SET(aria_pagecache_buffer_size, 128 * MIB), SET(performance_schema, 1),
    SET(userstat, 0), SET(performance_schema_digests_size, 10000),
    SET(Innodb_buffer_pool_read_requests, 1000000000),
    SET(Innodb_buffer_pool_reads, 100000),
    SET(Innodb_buffer_pool_pages_total, 524288),
    SET(Innodb_buffer_pool_pages_free, 1000),
    SET(Innodb_buffer_pool_pages_data, 500000),
    SET(Innodb_os_log_written, 48 * 100 * MIB), /* 100 MiB per hour */
    SET(Created_tmp_tables, 100000), SET(Created_tmp_disk_tables, 1000),
    SET(Max_used_connections, 60), SET(Threads_created, 100),
    SET(Threads_cached, 40), SET(Connections, 100000), SET(Com_commit, 1000),
    SET(Handler_commit, 172800 * 10), /* 10 per second */
    SET(Qcache_hits, 0), SET(Qcache_inserts, 0), SET(Qcache_not_cached, 0),
    SET(Qcache_lowmem_prunes, 0), SET(Qcache_free_memory, 0),
    SET(Com_select, 1000000), SET(Table_open_cache_hits, 1000000),
    SET(Table_open_cache_misses, 1000), SET(Table_open_cache_overflows, 0),
    SET(Open_tables, 1500), SET(Opened_tables, 2000),
    SET(Open_table_definitions, 800), SET(Opened_table_definitions, 1000),
    SET(Key_read_requests, 1000000), SET(Key_reads, 100),
    SET(Key_blocks_used, 1000), SET(Key_blocks_unused, 20000),
    SET(Performance_schema_digest_lost, 0)
};
static void healthy(struct pa_server_state *s)
{
  pa_config_state_init(s);
  APPLY(s, healthy_set);
}

/*
  A server just started with 10.11 defaults: zero counters, zero uptime,
  performance_schema and userstat OFF (their defaults).
*/
static const struct set fresh_set[]= {
    SET(uptime_s, 0), SET(innodb_buffer_pool_size, 128 * MIB),
    SET(innodb_log_file_size, 96 * MIB), SET(max_connections, 151),
    SET(table_definition_cache, 400), SET(key_buffer_size, 128 * MIB),
    SET(query_cache_size, MIB), SET(performance_schema, 0),
    SET(performance_schema_digests_size, -1),
    SET(Innodb_buffer_pool_read_requests, 0), SET(Innodb_buffer_pool_reads, 0),
    SET(Innodb_buffer_pool_pages_total, 8192),
    SET(Innodb_buffer_pool_pages_free, 8000),
    SET(Innodb_buffer_pool_pages_data, 192), SET(Innodb_os_log_written, 0),
    SET(Created_tmp_tables, 0), SET(Created_tmp_disk_tables, 0),
    SET(Max_used_connections, 0), SET(Threads_created, 0),
    SET(Threads_cached, 0), SET(Connections, 0), SET(Com_commit, 0),
    SET(Handler_commit, 0), SET(Com_select, 0), SET(Table_open_cache_hits, 0),
    SET(Table_open_cache_misses, 0), SET(Open_tables, 0),
    SET(Opened_tables, 0), SET(Open_table_definitions, 0),
    SET(Opened_table_definitions, 0), SET(Key_read_requests, 0),
    SET(Key_reads, 0), SET(Key_blocks_used, 0), SET(Key_blocks_unused, 107000)
};
static void fresh(struct pa_server_state *s)
{
  healthy(s);
  APPLY(s, fresh_set);
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
  static const struct set qcache[]= {
      SET(query_cache_type, 1), SET(query_cache_size, 64 * MIB),
      SET(Qcache_hits, 3000), SET(Qcache_inserts, 500),
      SET(Qcache_not_cached, 500), SET(Qcache_free_memory, 16 * MIB),
      SET(Threads_created, 200), SET(Connections, 1000)
  };
  struct pa_server_state s;
  struct pa_cache_row rows[PA_CACHE_ROWS];
  const struct pa_cache_row *r;

  healthy(&s);
  APPLY(&s, qcache);
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

/* ------------------------------------------------- table-driven rules */

enum expect
{
  SILENT,  /* no record at all */
  ONLY,    /* rule fires and nothing else (only()), details checked */
  FIRES,   /* rule fires among others (check_rec()), details checked */
  HAS,     /* rule fires, nothing more checked */
  LACKS    /* rule does not fire */
};

/*
  One step of a rule's test: the state (base, then the sets, applied to
  the previous step's state when base is NULL), the run and what it must
  give.  Of the details, a NULL or 0 field is not checked.
*/
struct rule_case
{
  const char *what;
  void (*base)(struct pa_server_state *);
  struct set set[6];
  double min_hit_ratio;              /* not 0: this threshold, else NULL */
  enum expect expect;
  const char *type, *rule;           /* type NULL: "configuration" */
  int check_type;                    /* CHECK_STR(rec->type, type) */
  enum pa_priority prio;
  const char *sql, *rollback_sql;
  int no_sql;                        /* rec->sql must be NULL */
  const char *action;
  const char *msg[8];                /* each in rec->message */
  const char *evidence[2];           /* each in rec->evidence */
  const char *no_evidence;           /* not in rec->evidence */
  const char *also;                  /* a configuration rule also fired */
};

static void check_details(const struct rule_case *c, const struct pa_rec *rec)
{
  size_t i;
  if (c->check_type)
    CHECK_STR(rec->type, c->type);
  if (c->prio)
    CHECK(rec->priority == c->prio);
  for (i= 0; i < sizeof(c->msg) / sizeof(c->msg[0]) && c->msg[i]; i++)
    CHECK(has(rec->message, c->msg[i]));
  if (c->no_sql)
    CHECK(rec->sql == NULL);
  if (c->sql)
    CHECK_STR(rec->sql, c->sql);
  if (c->rollback_sql)
    CHECK_STR(rec->rollback_sql, c->rollback_sql);
  if (c->action)
    CHECK_STR(rec->action, c->action);
  for (i= 0; i < sizeof(c->evidence) / sizeof(c->evidence[0]) &&
             c->evidence[i]; i++)
    CHECK(has(rec->evidence, c->evidence[i]));
  if (c->no_evidence)
    CHECK(!has(rec->evidence, c->no_evidence));
}

/* Run the steps in order on *s; a failing step names itself. */
static void run_cases(struct pa_server_state *s, const struct rule_case *c,
                      size_t n)
{
  for (size_t k= 0; k < n; k++, c++)
  {
    const char *type= c->type ? c->type : "configuration";
    struct pa_config_thresholds t;
    const struct pa_rec *rec= NULL;
    int failed= pa_test_failed;
    struct run r;

    if (c->base)
      c->base(s);
    apply_sets(s, c->set, sizeof(c->set) / sizeof(c->set[0]));
    if (c->min_hit_ratio)
    {
      pa_config_thresholds_default(&t);
      t.min_hit_ratio_buffer_pool= c->min_hit_ratio;
    }
    switch (c->expect)
    {
    case SILENT:
      run(&r, s, c->min_hit_ratio ? &t : NULL);
      CHECK(r.l.n == 0);
      break;
    case ONLY:
      rec= only(&r, s, type, c->rule);
      break;
    case FIRES:
      run(&r, s, NULL);
      rec= find(&r, type, c->rule);
      check_rec(rec, c->rule);
      break;
    case HAS:
      run(&r, s, NULL);
      CHECK(find(&r, type, c->rule) != NULL);
      break;
    case LACKS:
      run(&r, s, NULL);
      CHECK(!find(&r, type, c->rule));
      break;
    }
    if (rec)
      check_details(c, rec);
    if (c->also)
      CHECK(cfg(&r, c->also) != NULL);
    done(&r);
    if (pa_test_failed != failed)
      fprintf(stderr, "  in step \"%s\"\n", c->what);
  }
}

#define RUN_CASES(s, cases)                                                  \
  run_cases((s), (cases), sizeof(cases) / sizeof((cases)[0]))

/* The pool too small for its misses: 128 MiB, a 95% hit ratio. */
#define POOL_MISSES                                                          \
  SET(innodb_buffer_pool_size, 128 * MIB),                                   \
      SET(Innodb_buffer_pool_read_requests, 100000),                         \
      SET(Innodb_buffer_pool_reads, 5000)

static void test_buffer_pool_small(void)
{
  static const struct rule_case small[]= {
      {.what= "128 MiB at 95%", .base= healthy, .set= {POOL_MISSES},
       .expect= ONLY, .rule= "buffer_pool_small", .prio= PA_PRIO_HIGH,
       .msg= {"95.00%", "Innodb_buffer_pool_reads 5000",
              "Innodb_buffer_pool_read_requests 100000",
              "134217728 bytes (128.0 MiB)", "536870912 bytes (512.0 MiB)"},
       .sql= "SET GLOBAL innodb_buffer_pool_size = 536870912",
       .rollback_sql= "SET GLOBAL innodb_buffer_pool_size = 134217728",
       .action= "set_global",
       .evidence= {"\"suggested_bytes\": 536870912",
                   "\"min_hit_ratio\": 0.99"}},
      /* under 128 MiB (mtr's 8 MiB): 4 x current in MiB steps */
      {.what= "8 MiB", .set= {SET(innodb_buffer_pool_size, 8 * MIB)},
       .expect= ONLY, .rule= "buffer_pool_small",
       .sql= "SET GLOBAL innodb_buffer_pool_size = 33554432",
       .msg= {"rounded down to 1 MiB."}},
      {.what= "above innodb_buffer_pool_size_max: config file and restart",
       .set= {SET(innodb_buffer_pool_size, 128 * MIB),
              SET(innodb_buffer_pool_size_max, 256 * MIB)},
       .expect= ONLY, .rule= "buffer_pool_small", .no_sql= 1,
       .action= "edit_config_restart",
       .msg= {"innodb_buffer_pool_size_max"}},
      /* silent: too few samples, big enough, good ratio, own threshold */
      {.what= "too few samples",
       .set= {SET(innodb_buffer_pool_size_max, PA_CONFIG_UNKNOWN),
              SET(Innodb_buffer_pool_read_requests, 9999)}},
      {.what= "big enough",
       .set= {SET(Innodb_buffer_pool_read_requests, 100000),
              SET(innodb_buffer_pool_size, GIB)}},
      {.what= "exactly 99%",
       .set= {SET(innodb_buffer_pool_size, 128 * MIB),
              SET(Innodb_buffer_pool_reads, 1000)}},
      {.what= "a 90% threshold", .set= {SET(Innodb_buffer_pool_reads, 5000)},
       .min_hit_ratio= 0.90},
      {.what= "at 70% of RAM or more: 768 MiB of 1 GiB", .base= healthy,
       .set= {POOL_MISSES, SET(ram_bytes, GIB),
              SET(innodb_buffer_pool_size, 768 * MIB),
              SET(max_connections, 10)},
       .expect= LACKS, .rule= "buffer_pool_small"}};
  /*
    Bounded by the memory headroom: 4 GiB RAM, max_connections 189 leaves
    222375936 bytes; 128 MiB + that rounds down to 256 MiB.  With
    max_connections 400 there is no headroom (over-committed): the fault
    is stated, no size.
  */
  static const struct rule_case headroom[]= {
      {.what= "bounded by the headroom", .expect= FIRES,
       .rule= "buffer_pool_small",
       .sql= "SET GLOBAL innodb_buffer_pool_size = 268435456"},
      {.what= "no headroom", .set= {SET(max_connections, 400)},
       .expect= FIRES, .rule= "buffer_pool_small", .no_sql= 1,
       .msg= {"leaves no room"}, .no_evidence= "suggested_bytes",
       .also= "memory_overcommit"},
      /*
        A pool of 1 GiB or more fires only when it is smaller than the
        InnoDB data it serves.  16 GiB RAM, 2 GiB pool, 95% hit ratio.
      */
      {.what= "2 GiB, the data size unknown", .base= healthy,
       .set= {POOL_MISSES, SET(innodb_buffer_pool_size, 2 * GIB)},
       .expect= LACKS, .rule= "buffer_pool_small"},
      {.what= "2 GiB, the data fits (cold reads)",
       .set= {SET(innodb_data_bytes, 2 * GIB),
              SET(innodb_stats_tables, 700)},
       .expect= LACKS, .rule= "buffer_pool_small"}};
  /*
    5 GiB + 1 byte of data: raise to the data size rounded up to 128 MiB
    (5248 MiB), under 4 x 2 GiB, 70% of RAM and the headroom.  Then far
    more data than RAM: 4 x current bounds it (8 GiB); a 6 GiB pool: 70% of
    RAM (11.2 GiB) rounded down to 128 MiB; at 70% already: silent.
  */
  static const struct rule_case data[]= {
      {.what= "5 GiB + 1 of data", .expect= ONLY, .rule= "buffer_pool_small",
       .prio= PA_PRIO_HIGH,
       .msg= {"smaller than the InnoDB data and indexes it serves, at least "
              "5368709121 bytes",
              "the 700 tables in mysql.innodb_table_stats",
              "the data size rounded up to 128 MiB"},
       .sql= "SET GLOBAL innodb_buffer_pool_size = 5502926848",
       .rollback_sql= "SET GLOBAL innodb_buffer_pool_size = 2147483648",
       .evidence= {"\"innodb_data_bytes\": 5368709121",
                   "\"innodb_stats_tables\": 700"}}};
  static const struct rule_case bounds[]= {
      {.what= "4 x current", .expect= ONLY, .rule= "buffer_pool_small",
       .sql= "SET GLOBAL innodb_buffer_pool_size = 8589934592"},
      {.what= "70% of RAM", .set= {SET(innodb_buffer_pool_size, 6 * GIB)},
       .expect= ONLY, .rule= "buffer_pool_small",
       .sql= "SET GLOBAL innodb_buffer_pool_size = 11945377792"},
      {.what= "at 70% already", .set= {SET(innodb_buffer_pool_size, 12 * GIB)},
       .expect= LACKS, .rule= "buffer_pool_small"}};
  static const struct set four_gib[]= {
      POOL_MISSES, SET(ram_bytes, 4 * GIB), SET(max_connections, 189)};
  struct pa_server_state s;
  struct pa_config_memory m;

  RUN_CASES(&s, small);
  healthy(&s);
  apply_sets(&s, four_gib, sizeof(four_gib) / sizeof(four_gib[0]));
  CHECK(pa_config_memory(&s, &m) && 4 * GIB - m.worst_bytes == 222375936);
  /* the suggestion fits the worst case */
  CHECK(m.worst_bytes - 128 * MIB + 268435456 <= 4 * GIB);
  RUN_CASES(&s, headroom);
  s.innodb_data_bytes= 5 * GIB + 1;
  CHECK(pa_config_memory(&s, &m) &&
        16 * GIB - m.worst_bytes > 5 * GIB + 128 * MIB - 2 * GIB &&
        (uint64_t) (16 * GIB * 0.7) > 5 * GIB + 128 * MIB);
  RUN_CASES(&s, data);
  s.innodb_data_bytes= 400 * GIB;
  /* the worst case with this pool is below 70% of RAM and the headroom */
  CHECK(pa_config_memory(&s, &m) && m.worst_bytes == 11753709568ULL - 6 * GIB);
  RUN_CASES(&s, bounds);
}

static void test_tmp_table_mismatch(void)
{
  static const struct rule_case cases[]= {
      {.what= "max_connections 50: room for the larger value, 64 MiB",
       .base= healthy,
       .set= {SET(max_connections, 50), SET(Max_used_connections, 20),
              SET(tmp_table_size, 64 * MIB), SET(Created_tmp_tables, 10000),
              SET(Created_tmp_disk_tables, 3000)},
       .expect= ONLY, .rule= "tmp_table_size_mismatch",
       .prio= PA_PRIO_MEDIUM,
       .msg= {"3000 of 10000", "30.00%", "tmp_table_size = 67108864",
              "max_heap_table_size = 16777216"},
       .sql= "SET GLOBAL max_heap_table_size = 67108864",
       .rollback_sql= "SET GLOBAL max_heap_table_size = 16777216"},
      /* the headroom 5426159616 / 150 = 36174397 bytes per connection
         limits the raise to 16 MiB + that, rounded to 50 MiB */
      {.what= "max_connections 150",
       .set= {SET(max_connections, 150), SET(Max_used_connections, 60)},
       .expect= ONLY, .rule= "tmp_table_size_mismatch",
       .sql= "SET GLOBAL max_heap_table_size = 52428800"},
      /* 64 GiB of RAM, max_heap_table_size 1 GiB: the smaller one is
         tmp_table_size here */
      {.what= "1% of RAM caps it",
       .set= {SET(ram_bytes, 64 * GIB), SET(max_connections, 10),
              SET(Max_used_connections, 5), SET(tmp_table_size, 16 * MIB),
              SET(max_heap_table_size, GIB)},
       .expect= ONLY, .rule= "tmp_table_size_mismatch",
       .sql= "SET GLOBAL tmp_table_size = 686817280"},
      {.what= "equal sizes", .base= healthy,
       .set= {SET(Created_tmp_tables, 10000),
              SET(Created_tmp_disk_tables, 3000)}},
      {.what= "exactly 25%",
       .set= {SET(tmp_table_size, 64 * MIB), SET(max_connections, 50),
              SET(Max_used_connections, 20),
              SET(Created_tmp_disk_tables, 2500)}},
      {.what= "too few tables",
       .set= {SET(Created_tmp_tables, 999),
              SET(Created_tmp_disk_tables, 999)}}};
  struct pa_server_state s;
  RUN_CASES(&s, cases);
}

static void test_redo_log(void)
{
  static const struct rule_case cases[]= {
      {.what= "2 GiB of redo per hour", .base= healthy,
       .set= {SET(uptime_s, 7200), SET(Handler_commit, 0),
              SET(Innodb_os_log_written, 4 * GIB)},
       .expect= ONLY, .rule= "redo_log_small", .prio= PA_PRIO_MEDIUM,
       .msg= {"2147483648 bytes of redo per hour",
              "Innodb_os_log_written 4294967296", "Uptime 7200",
              "1073741824 bytes (1.0 GiB)", "whole redo log"},
       .sql= "SET GLOBAL innodb_log_file_size = 2147483648",
       .rollback_sql= "SET GLOBAL innodb_log_file_size = 1073741824"},
      {.what= "next power of two",
       .set= {SET(Innodb_os_log_written, 4 * GIB + 2)}, .expect= ONLY,
       .rule= "redo_log_small",
       .sql= "SET GLOBAL innodb_log_file_size = 4294967296"},
      {.what= "capped at 32 GiB of disk, stated",
       .set= {SET(Innodb_os_log_written, 200 * GIB)}, .expect= ONLY,
       .rule= "redo_log_small",
       .sql= "SET GLOBAL innodb_log_file_size = 34359738368",
       .msg= {"capped at 34359738368"}},
      {.what= "already at the cap: no statement",
       .set= {SET(innodb_log_file_size, 32 * GIB)}, .expect= ONLY,
       .rule= "redo_log_small", .no_sql= 1},
      {.what= "under an hour of uptime", .base= healthy,
       .set= {SET(Handler_commit, 0), SET(uptime_s, 3599),
              SET(Innodb_os_log_written, 4 * GIB)}},
      {.what= "a log of at least an hour",
       .set= {SET(uptime_s, 7200), SET(innodb_log_file_size, 2 * GIB)}}};
  struct pa_server_state s;
  RUN_CASES(&s, cases);
}

static void test_switches(void)
{
  static const struct rule_case cases[]= {
      {.what= "file_per_table OFF", .base= healthy,
       .set= {SET(innodb_file_per_table, 0)}, .expect= ONLY,
       .rule= "file_per_table_off", .prio= PA_PRIO_MEDIUM, .msg= {"only"},
       .sql= "SET GLOBAL innodb_file_per_table = ON",
       .rollback_sql= "SET GLOBAL innodb_file_per_table = OFF"},
      {.what= "file_per_table unknown",
       .set= {SET(innodb_file_per_table, -1)}},
      {.what= "no usage statistics", .base= healthy,
       .set= {SET(performance_schema, 0)}, .expect= ONLY,
       .rule= "usage_stats_off", .prio= PA_PRIO_HIGH, .msg= {"restart"},
       .sql= "SET GLOBAL userstat = ON",
       .rollback_sql= "SET GLOBAL userstat = OFF"},
      {.what= "userstat ON", .set= {SET(userstat, 1)}},
      {.what= "userstat unknown", .set= {SET(userstat, -1)}},
      {.what= "no dump at shutdown", .base= healthy,
       .set= {SET(innodb_buffer_pool_dump_at_shutdown, 0)}, .expect= ONLY,
       .rule= "buffer_pool_dump_off", .prio= PA_PRIO_LOW,
       .sql= "SET GLOBAL innodb_buffer_pool_dump_at_shutdown = ON"},
      {.what= "no load at startup",
       .set= {SET(innodb_buffer_pool_dump_at_shutdown, 1),
              SET(innodb_buffer_pool_load_at_startup, 0)},
       .expect= ONLY, .rule= "buffer_pool_dump_off", .no_sql= 1,
       .msg= {"config file"}, .action= "edit_config_restart"},
      {.what= "load unknown",
       .set= {SET(innodb_buffer_pool_load_at_startup, -1)}}};
  struct pa_server_state s;
  RUN_CASES(&s, cases);
}

static void test_max_connections(void)
{
  static const struct rule_case high[]= {
      {.what= "140 of 150 used", .base= healthy,
       .set= {SET(Max_used_connections, 140)}, .expect= ONLY,
       .rule= "max_connections_high", .prio= PA_PRIO_HIGH,
       .msg= {"Max_used_connections = 140", "93.33%",
              "max_connections = 150", "19861504"},
       .sql= "SET GLOBAL max_connections = 225",
       .rollback_sql= "SET GLOBAL max_connections = 150"},
      {.what= "exactly 85% fires",
       .set= {SET(max_connections, 100), SET(Max_used_connections, 85)},
       .expect= HAS, .rule= "max_connections_high"},
      {.what= "just under 85%", .set= {SET(Max_used_connections, 84)}}};
  static const struct rule_case room[]= {
      {.what= "room for 10 more connections only (98% of RAM)",
       .expect= FIRES, .rule= "max_connections_high",
       .sql= "SET GLOBAL max_connections = 160",
       .also= "memory_overcommit"},
      /* low use after a day: informational, no statement */
      {.what= "10 of 150 used", .base= healthy,
       .set= {SET(Max_used_connections, 10)}, .expect= ONLY,
       .rule= "max_connections_low", .prio= PA_PRIO_LOW,
       .msg= {"Max_used_connections = 10", "6.67%", "e.g. 20"}, .no_sql= 1,
       .action= "review"},
      {.what= "under a day",
       .set= {SET(uptime_s, 86399), SET(Innodb_os_log_written, 0),
              SET(Handler_commit, 0)}}};
  struct pa_server_state s;
  struct pa_config_memory m;

  RUN_CASES(&s, high);
  healthy(&s);
  s.Max_used_connections= 140;
  pa_config_memory(&s, &m);
  s.ram_bytes= m.worst_bytes + 10 * m.per_conn_bytes + 5;
  RUN_CASES(&s, room);
}

static void test_query_cache(void)
{
  static const struct rule_case cases[]= {
      {.what= "20% hits", .base= healthy,
       .set= {SET(query_cache_type, 1), SET(query_cache_size, 64 * MIB),
              SET(Qcache_hits, 2000), SET(Qcache_inserts, 6000),
              SET(Qcache_not_cached, 2000), SET(Qcache_lowmem_prunes, 0)},
       .expect= ONLY, .rule= "query_cache_inefficient",
       .prio= PA_PRIO_MEDIUM,
       .msg= {"20.00%", "Qcache_hits 2000", "Qcache_inserts 6000",
              "Qcache_not_cached 2000", "global mutex",
              "Com_select = 1000000"},
       .sql= "SET GLOBAL query_cache_type = OFF; "
             "SET GLOBAL query_cache_size = 0",
       .rollback_sql= "SET GLOBAL query_cache_size = 67108864; "
                      "SET GLOBAL query_cache_type = ON"},
      {.what= "pruning alone fires it",
       .set= {SET(Qcache_hits, 8000), SET(Qcache_inserts, 1000),
              SET(Qcache_not_cached, 1000), SET(Qcache_lowmem_prunes, 200)},
       .expect= ONLY, .rule= "query_cache_inefficient",
       .msg= {"Qcache_lowmem_prunes 200 is 20.00%"}},
      /* silent: good cache, too few lookups, disabled by type or size */
      {.what= "exactly 10% pruned", .set= {SET(Qcache_lowmem_prunes, 100)}},
      {.what= "too few lookups",
       .set= {SET(Qcache_hits, 2000), SET(Qcache_inserts, 5999),
              SET(Qcache_not_cached, 2000)}},
      {.what= "type OFF",
       .set= {SET(Qcache_inserts, 6000), SET(query_cache_type, 0)}},
      {.what= "size 0",
       .set= {SET(query_cache_type, 2), SET(query_cache_size, 0)}}};
  struct pa_server_state s;
  RUN_CASES(&s, cases);
}

static void test_flush_log(void)
{
  static const struct rule_case cases[]= {
      {.what= "101 commits per second", .base= healthy,
       .set= {SET(Handler_commit, 172800ULL * 101)}, .expect= ONLY,
       .rule= "flush_log_tradeoff", .prio= PA_PRIO_LOW,
       .msg= {"up to ~1 s of committed transactions can be lost on an OS "
              "crash or power failure",
              "101.0 commits per second", "Handler_commit 17452800"},
       .no_sql= 1},
      {.what= "flush at 3", .set= {SET(innodb_flush_log_at_trx_commit, 3)},
       .expect= HAS, .rule= "flush_log_tradeoff"},
      /* silent: already 2, exactly 100/s, short uptime */
      {.what= "already 2", .set= {SET(innodb_flush_log_at_trx_commit, 2)}},
      {.what= "exactly 100/s",
       .set= {SET(innodb_flush_log_at_trx_commit, 1),
              SET(Handler_commit, 172800ULL * 100)}},
      {.what= "a minute up",
       .set= {SET(uptime_s, 60), SET(Handler_commit, 60 * 1000),
              SET(Innodb_os_log_written, 0)}}};
  struct pa_server_state s;
  RUN_CASES(&s, cases);
}

static void test_digests_lost(void)
{
  static const struct rule_case cases[]= {
      {.what= "5 lost of 5000", .base= healthy,
       .set= {SET(Performance_schema_digest_lost, 5),
              SET(performance_schema_digests_size, 5000)},
       .expect= ONLY, .rule= "digests_lost", .prio= PA_PRIO_MEDIUM,
       .msg= {"Performance_schema_digest_lost = 5",
              "performance_schema_digests_size = 5000 rows",
              "= 10000 rows (2 x current)", "restart"},
       .no_sql= 1, .action= "edit_config_restart"},
      {.what= "autosized",
       .set= {SET(performance_schema_digests_size, -1)}, .expect= ONLY,
       .rule= "digests_lost", .msg= {"autosized", "= 10000 rows"},
       .evidence= {"\"performance_schema_digests_size\": null"}},
      {.what= "at the maximum",
       .set= {SET(performance_schema_digests_size, 1024 * 1024)},
       .expect= ONLY, .rule= "digests_lost", .msg= {"maximum"}},
      {.what= "none lost", .set= {SET(Performance_schema_digest_lost, 0)}}};
  struct pa_server_state s;
  RUN_CASES(&s, cases);
}

static void test_memory(void)
{
  static const struct rule_case cases[]= {
      {.what= "11753709568 bytes worst case on 8 GiB: 136.83%",
       .base= healthy, .set= {SET(ram_bytes, 8 * GIB)}, .expect= ONLY,
       .rule= "memory_overcommit", .prio= PA_PRIO_HIGH,
       .msg= {"11753709568", "136.83%", "max_connections 150",
              "innodb_buffer_pool_size 8589934592",
              "sort_buffer_size 2097152",
              "min(tmp_table_size, max_heap_table_size) 16777216",
              "8589934592 bytes (8.0 GiB)"},
       .evidence= {"\"worst_case_bytes\": 11753709568"}, .no_sql= 1},
      {.what= "95% of RAM: medium", .set= {SET(ram_bytes, 12372325861ULL)},
       .expect= ONLY, .rule= "memory_overcommit", .prio= PA_PRIO_MEDIUM},
      {.what= "90% exactly: silent", .set= {SET(ram_bytes, 13059677298ULL)}},
      {.what= "absurd per-connection sizes do not wrap around",
       .base= healthy,
       .set= {SET(tmp_table_size, UINT64_MAX - 1),
              SET(max_heap_table_size, UINT64_MAX - 1),
              SET(max_connections, 100000),
              SET(Max_used_connections, 20000)},
       .expect= ONLY, .rule= "memory_overcommit", .prio= PA_PRIO_HIGH}};
  struct pa_server_state s;
  RUN_CASES(&s, cases);
}

static void test_caches(void)
{
  static const struct rule_case cases[]= {
      {.what= "table_open_cache: 18% misses", .base= healthy,
       .set= {SET(Table_open_cache_hits, 90000),
              SET(Table_open_cache_misses, 20000),
              SET(Table_open_cache_overflows, 500)},
       .expect= ONLY, .type= "cache", .rule= "table_open_cache_small",
       .check_type= 1, .prio= PA_PRIO_MEDIUM,
       .msg= {"Table_open_cache_misses 20000", "Table_open_cache_hits 90000",
              "18.18%", "open_files_limit (32768)"},
       .sql= "SET GLOBAL table_open_cache = 4000",
       .rollback_sql= "SET GLOBAL table_open_cache = 2000"},
      {.what= "table_open_cache full by Open_tables alone",
       .set= {SET(Table_open_cache_overflows, 0), SET(Open_tables, 2000)},
       .expect= HAS, .type= "cache", .rule= "table_open_cache_small"},
      {.what= "table_open_cache not full", .set= {SET(Open_tables, 1500)}},
      {.what= "table_open_cache: too few opens",
       .set= {SET(Table_open_cache_overflows, 10),
              SET(Table_open_cache_hits, 5000),
              SET(Table_open_cache_misses, 4999)}},
      {.what= "thread_cache: 20% created", .base= healthy,
       .set= {SET(thread_cache_size, 8), SET(Connections, 10000),
              SET(Threads_created, 2000)},
       .expect= ONLY, .type= "cache", .rule= "thread_cache_small",
       .prio= PA_PRIO_LOW,
       .msg= {"Threads_created 2000 / Connections 10000", "20.00%"},
       .sql= "SET GLOBAL thread_cache_size = 16",
       .rollback_sql= "SET GLOBAL thread_cache_size = 8"},
      {.what= "thread_cache holds max_connections threads",
       .set= {SET(thread_cache_size, 256)}},
      {.what= "thread_cache: too few connections",
       .set= {SET(thread_cache_size, 8), SET(Connections, 999),
              SET(Threads_created, 999)}},
      {.what= "table_definition_cache: 500 per hour", .base= healthy,
       .set= {SET(uptime_s, 7200), SET(Handler_commit, 0),
              SET(Innodb_os_log_written, 0), SET(table_definition_cache, 400),
              SET(Open_table_definitions, 400),
              SET(Opened_table_definitions, 1000)},
       .expect= ONLY, .type= "cache", .rule= "table_definition_cache_small",
       .prio= PA_PRIO_MEDIUM,
       .msg= {"500.0 per hour", "Opened_table_definitions 1000",
              "Open_table_definitions 400"},
       .sql= "SET GLOBAL table_definition_cache = 800"},
      {.what= "table_definition_cache not full",
       .set= {SET(Open_table_definitions, 399)}},
      {.what= "table_definition_cache: exactly 100 per hour",
       .set= {SET(Open_table_definitions, 400),
              SET(Opened_table_definitions, 200)}},
      {.what= "key cache at 95%", .base= healthy,
       .set= {SET(Key_read_requests, 100000), SET(Key_reads, 5000),
              SET(Key_blocks_unused, 0)},
       .expect= ONLY, .type= "cache", .rule= "key_cache_low_hit",
       .prio= PA_PRIO_LOW,
       .msg= {"95.00%", "Key_reads 5000 / Key_read_requests 100000"},
       .sql= "SET GLOBAL key_buffer_size = 67108864",
       .rollback_sql= "SET GLOBAL key_buffer_size = 33554432"},
      {.what= "free key blocks left: first reads, no size",
       .set= {SET(Key_blocks_unused, 100)}, .expect= ONLY, .type= "cache",
       .rule= "key_cache_low_hit", .no_sql= 1, .msg= {"unused blocks"}},
      {.what= "MyISAM barely used", .set= {SET(Key_read_requests, 9999)}},
      {.what= "key cache: good ratio",
       .set= {SET(Key_read_requests, 100000), SET(Key_reads, 1000)}}};
  struct pa_server_state s;
  RUN_CASES(&s, cases);
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
  static const struct set budget[]= {
      SET(ram_bytes, 4 * GIB), SET(innodb_buffer_pool_size, 128 * MIB),
      SET(Innodb_buffer_pool_read_requests, 100000),
      SET(Innodb_buffer_pool_reads, 5000), SET(Max_used_connections, 150),
      SET(tmp_table_size, 64 * MIB), SET(Created_tmp_tables, 10000),
      SET(Created_tmp_disk_tables, 3000), SET(Key_read_requests, 100000),
      SET(Key_reads, 5000), SET(Key_blocks_unused, 0)
  };
  struct pa_server_state s, after;
  struct pa_config_memory m;
  const struct pa_rec *rec;
  struct run r;

  healthy(&s);
  APPLY(&s, budget);
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
  static const struct set all_fire[]= {
      SET(ram_bytes, 0), SET(innodb_buffer_pool_size, 128 * MIB),
      SET(Innodb_buffer_pool_read_requests, 100000),
      SET(Innodb_buffer_pool_reads, 5000), SET(tmp_table_size, 64 * MIB),
      SET(Created_tmp_tables, 10000), SET(Created_tmp_disk_tables, 3000),
      SET(Max_used_connections, 150), SET(Key_read_requests, 100000),
      SET(Key_reads, 5000), SET(Key_blocks_unused, 0),
      SET(Table_open_cache_hits, 90000), SET(Table_open_cache_misses, 20000),
      SET(Table_open_cache_overflows, 500)
  };
  struct pa_server_state s;
  const struct pa_rec *rec;
  struct run r;
  const char *const sized[]= {"buffer_pool_small", "tmp_table_size_mismatch",
                              "max_connections_high"};
  size_t i;

  healthy(&s);
  APPLY(&s, all_fire);
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
  static const struct set zeros[]= {
      SET(uptime_s, 0), SET(Innodb_os_log_written, 100 * GIB),
      SET(Handler_commit, 1000000000), SET(Opened_table_definitions, 1000000),
      SET(Open_table_definitions, 2000), SET(max_connections, 0),
      SET(Max_used_connections, 10), SET(Connections, 0),
      SET(Threads_created, 5000), SET(table_open_cache, 0),
      SET(innodb_page_size, 0)
  };
  struct pa_server_state s;
  struct pa_cache_row rows[PA_CACHE_ROWS];
  struct run r;

  healthy(&s);
  APPLY(&s, zeros);
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
static const struct set everything_set[]= {
    SET(ram_bytes, 8 * GIB), /* memory_overcommit */
    SET(sort_buffer_size, 64 * MIB), SET(innodb_buffer_pool_size, 128 * MIB),
    SET(Innodb_buffer_pool_read_requests, 100000),
    SET(Innodb_buffer_pool_reads, 5000), SET(tmp_table_size, 64 * MIB),
    SET(Created_tmp_tables, 10000), SET(Created_tmp_disk_tables, 3000),
    SET(uptime_s, 7200), SET(Innodb_os_log_written, 4 * GIB),
    SET(innodb_file_per_table, 0), SET(Max_used_connections, 150),
    SET(query_cache_type, 1), SET(query_cache_size, 64 * MIB),
    SET(Qcache_hits, 2000), SET(Qcache_inserts, 6000),
    SET(Qcache_not_cached, 2000), SET(Handler_commit, 7200ULL * 500),
    SET(performance_schema, 0), SET(Performance_schema_digest_lost, 3),
    SET(innodb_buffer_pool_dump_at_shutdown, 0),
    SET(Table_open_cache_hits, 90000), SET(Table_open_cache_misses, 20000),
    SET(Table_open_cache_overflows, 1), SET(thread_cache_size, 8),
    SET(Connections, 10000), SET(Threads_created, 2000),
    SET(table_definition_cache, 400), SET(Open_table_definitions, 400),
    SET(Key_read_requests, 100000), SET(Key_reads, 5000)
};
static void everything(struct pa_server_state *s)
{
  healthy(s);
  APPLY(s, everything_set);
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
  test_switches();
  test_max_connections();
  test_query_cache();
  test_flush_log();
  test_digests_lost();
  test_memory();
  test_caches();
  test_shared_budget();
  test_unknown_ram();
  test_empty_states();
  test_zero_divisors();
  test_all_rules_and_ids();
  test_oom();
  return PA_TEST_END("test_config");
}
