/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: column statistics for the missing-index rules and
  PERF_COLUMN_STATS.  See pa_colstats.h for the sources, the cache, how
  the sample is read and the locking.
*/
#include "pa_colstats.h"
#include "pa_collect.h"

#include <my_atomic.h>
#include <protocol.h>
#include <sql_show.h>

extern "C" {
#include "pa_sql.h"
#include "pa_text.h"
}

/* Values compare by this many leading characters in the sample. */
#define PA_SAMPLE_VALUE_CHARS 128

/* How often a relay looks at its caller's kill state, nanoseconds. */
#define PA_RELAY_POLL_NS 10000000ULL

#ifdef HAVE_PSI_INTERFACE
static PSI_mutex_key key_LOCK_pa_colstats, key_LOCK_pa_relay;
static PSI_cond_key key_COND_pa_relay;
static PSI_thread_key key_thread_pa_relay;
static PSI_memory_key key_memory_pa_colstats;
static PSI_mutex_info cs_mutexes[]= {
    {&key_LOCK_pa_colstats, "LOCK_pa_colstats", PSI_FLAG_GLOBAL},
    {&key_LOCK_pa_relay, "LOCK_pa_relay", 0}};
static PSI_cond_info cs_conds[]= {{&key_COND_pa_relay, "COND_pa_relay", 0}};
static PSI_thread_info cs_threads[]= {
    {&key_thread_pa_relay, "perf_advisor_kill_relay", 0}};
static PSI_memory_info cs_memory[]= {
    {&key_memory_pa_colstats, "column_stats_cache", PSI_FLAG_GLOBAL}};
#else
#define key_LOCK_pa_colstats PSI_NOT_INSTRUMENTED
#define key_LOCK_pa_relay PSI_NOT_INSTRUMENTED
#define key_COND_pa_relay PSI_NOT_INSTRUMENTED
#define key_thread_pa_relay PSI_NOT_INSTRUMENTED
#define key_memory_pa_colstats PSI_NOT_INSTRUMENTED
#endif

static mysql_mutex_t LOCK_pa_colstats;
static pa_colcache *cs_cache;     /* under LOCK_pa_colstats */
static ulonglong cs_samples;      /* samples read; under LOCK_pa_colstats */
static ulonglong cs_stopped;      /* samples a kill stopped; same */
static int32 cs_ready;            /* 1 between init and deinit */
static int32 cs_users;            /* callers inside the cache */

static void *cache_alloc(void *, size_t bytes)
{
  return my_malloc(key_memory_pa_colstats, bytes, MYF(0));
}

static void cache_free(void *, void *p) { my_free(p); }

bool pa_colstats_init()
{
#ifdef HAVE_PSI_INTERFACE
  mysql_mutex_register("perf_advisor", cs_mutexes, array_elements(cs_mutexes));
  mysql_cond_register("perf_advisor", cs_conds, array_elements(cs_conds));
  mysql_thread_register("perf_advisor", cs_threads,
                        array_elements(cs_threads));
  mysql_memory_register("perf_advisor", cs_memory, array_elements(cs_memory));
#endif
  static const pa_colcache_mem mem= {cache_alloc, cache_free, NULL};
  mysql_mutex_init(key_LOCK_pa_colstats, &LOCK_pa_colstats,
                   MY_MUTEX_INIT_FAST);
  cs_samples= cs_stopped= 0;
  if (!(cs_cache= pa_colcache_new(&mem, PA_COLSTATS_CACHE_BYTES)))
  {
    mysql_mutex_destroy(&LOCK_pa_colstats);
    return true;
  }
  my_atomic_store32(&cs_ready, 1);
  return false;
}

void pa_colstats_deinit()
{
  my_atomic_store32(&cs_ready, 0);
  /* callers inside copy a few columns under the mutex: short */
  while (my_atomic_load32(&cs_users) > 0)
    my_sleep(1000);
  pa_colcache_free(cs_cache);
  cs_cache= NULL;
  mysql_mutex_destroy(&LOCK_pa_colstats);
}

/* Enter the cache: true (LOCK_pa_colstats held) when it is there. */
static bool cache_enter()
{
  my_atomic_add32(&cs_users, 1);
  if (my_atomic_load32(&cs_ready))
  {
    mysql_mutex_lock(&LOCK_pa_colstats);
    return true;
  }
  my_atomic_add32(&cs_users, -1);
  return false;
}

static void cache_leave()
{
  mysql_mutex_unlock(&LOCK_pa_colstats);
  my_atomic_add32(&cs_users, -1);
}

/* SHOW STATUS: the counters, copied under the mutex into buff. */
enum cs_status
{
  CS_HITS,
  CS_MISSES,
  CS_EVICTIONS,
  CS_ENTRIES,
  CS_BYTES,
  CS_SAMPLES,
  CS_STOPPED,
  CS_N
};

static int show_column_stats(THD *, SHOW_VAR *var, void *buff,
                             system_status_var *, enum_var_type)
{
  static const char *const names[CS_N]= {
      "cache_hits", "cache_misses", "cache_evictions", "cache_entries",
      "cache_bytes", "samples", "samples_stopped"};
  SHOW_VAR *v= (SHOW_VAR *) buff;
  ulonglong *val= (ulonglong *) (v + CS_N + 1);
  static_assert(sizeof(SHOW_VAR) * (CS_N + 1) + sizeof(ulonglong) * CS_N <=
                    SHOW_VAR_FUNC_BUFF_SIZE,
                "the status values fit the server's buffer");
  for (int i= 0; i < CS_N; i++)
    val[i]= 0;
  if (cache_enter())
  {
    struct pa_colcache_counters cnt;
    pa_colcache_counters(cs_cache, &cnt);
    val[CS_HITS]= cnt.hits;
    val[CS_MISSES]= cnt.misses;
    val[CS_EVICTIONS]= cnt.evictions;
    val[CS_ENTRIES]= cnt.entries;
    val[CS_BYTES]= cnt.bytes;
    val[CS_SAMPLES]= cs_samples;
    val[CS_STOPPED]= cs_stopped;
    cache_leave();
  }
  for (int i= 0; i < CS_N; i++)
  {
    v[i].name= names[i];
    v[i].value= (char *) &val[i];
    v[i].type= SHOW_ULONGLONG;
  }
  v[CS_N].name= NULL;
  v[CS_N].value= NULL;
  v[CS_N].type= SHOW_UNDEF;
  var->type= SHOW_ARRAY;
  var->value= (char *) v;
  return 0;
}

struct st_mysql_show_var pa_colstats_status[]= {
    {"Perf_advisor_column_stats", (char *) &show_column_stats, SHOW_FUNC},
    {NullS, NullS, SHOW_UNDEF}};

/* Distinct values of column name from the first index that leads with it. */
static bool index_distinct(const pa_table_model *m, const char *name,
                           double *distinct)
{
  for (int x= 0; x < m->def->n_indexes; x++)
    if (m->card1_known[x] && m->card1[x] > 0 &&
        pa_ascii_ieq(m->def->indexes[x].cols[0].name, name))
    {
      *distinct= (double) m->card1[x];
      return true;
    }
  return false;
}

MYSQL *pa_colstats_connect(THD *thd, pa_colstats_conn *conn)
{
  if (conn->mysql || conn->failed)
    return conn->mysql;
  /* never wait for a lock; a plain consistent read whatever the
     server's autocommit and isolation defaults */
  if (!(conn->mysql= pa_local_connect(thd)) ||
      mysql_real_query(conn->mysql,
                       STRING_WITH_LEN("SET SESSION lock_wait_timeout= 0, "
                                       "autocommit= 1")) ||
      mysql_real_query(conn->mysql,
                       STRING_WITH_LEN("SET SESSION TRANSACTION ISOLATION "
                                       "LEVEL REPEATABLE READ")))
  {
    if (conn->mysql)
      mysql_close(conn->mysql);
    conn->mysql= NULL;
    conn->failed= true;
  }
  return conn->mysql;
}

void pa_colstats_end(pa_colstats_conn *conn)
{
  if (conn->mysql)
  {
    /* A query that failed after it sent rows (a killed sample) leaves
       them on the local protocol, which frees them when the next query
       starts, not when the connection closes: one more query first. */
    if (conn->dirty)
      mysql_real_query(conn->mysql, STRING_WITH_LEN("DO 0"));
    mysql_close(conn->mysql);
  }
  conn->mysql= NULL;
  conn->dirty= false;
}

/*
  The kill relay (pa_colstats.h): a thread that, while one query runs on
  target (a local connection's THD), kills it once caller is killed.
*/
struct kill_relay
{
  THD *caller, *target;
  mysql_mutex_t lock;
  mysql_cond_t cond;
  bool done;                 /* the query returned; under lock */
  bool fired;                /* target was killed; under lock */
  bool running;              /* the thread was started */
  pthread_t thread;
};

static void *relay_main(void *arg)
{
  kill_relay *r= (kill_relay *) arg;
  my_thread_init();
  mysql_mutex_lock(&r->lock);
  while (!r->done)
  {
    if (r->caller->killed != NOT_KILLED)
    {
      /* as KILL QUERY does; target is alive until done is set, which
         needs the lock held here */
      r->target->awake(KILL_QUERY);
      r->fired= true;
      break;
    }
    struct timespec ts;
    set_timespec_nsec(ts, PA_RELAY_POLL_NS);
    mysql_cond_timedwait(&r->cond, &r->lock, &ts);
  }
  mysql_mutex_unlock(&r->lock);
  my_thread_end();
  return NULL;
}

/* Start watching; without a thread (none could be started) the query
   runs unwatched, as before a kill could reach it. */
static void relay_start(kill_relay *r, THD *caller, MYSQL *mysql)
{
  r->caller= caller;
  r->target= ((Protocol *) mysql->thd)->thd;
  r->done= r->fired= false;
  mysql_mutex_init(key_LOCK_pa_relay, &r->lock, MY_MUTEX_INIT_FAST);
  mysql_cond_init(key_COND_pa_relay, &r->cond, NULL);
  r->running= r->target && r->target != caller &&
              !mysql_thread_create(key_thread_pa_relay, &r->thread, NULL,
                                   relay_main, r);
}

/* Stop watching; whether the relay killed the query. */
static bool relay_stop(kill_relay *r)
{
  bool fired;
  mysql_mutex_lock(&r->lock);
  r->done= true;
  mysql_cond_signal(&r->cond);
  mysql_mutex_unlock(&r->lock);
  if (r->running)
    pthread_join(r->thread, NULL);
  fired= r->fired;
  mysql_cond_destroy(&r->cond);
  mysql_mutex_destroy(&r->lock);
  return fired;
}

/*
  Haas and Stokes' Duj1: distinct values of a column of N rows from a
  sample of n rows with d distinct values, f1 of them seen once.
*/
static double duj1(double n, double d, double f1, double N)
{
  double den= n - f1 + f1 * n / N, D;
  if (n <= 0 || d <= 0)
    return d;
  D= den > 0 ? n * d / den : N;
  if (D < d)
    D= d;
  return D > N ? N : D;
}

/* Rows of the sample query for widths are numbered from here. */
#define PA_SAMPLE_WIDTH_ROW 1000

/*
  The sample query for the columns cols[0 .. n - 1]: one scan of at most
  limit rows into a CTE, then per column its group counts: (column,
  non-NULL distinct, non-NULL seen once, top non-NULL count, NULLs, rows),
  and its width (PA_SAMPLE_WIDTH_ROW + its position, bytes, 0, 0, 0,
  rows).
*/
static char *sample_query(const pa_alloc *a, const pa_table_model *m,
                          const char *const *cols, int n, ulong limit)
{
  pa_buf b;
  pa_buf_init(&b, a);
  pa_buf_puts(&b, "WITH s AS (SELECT ");
  for (int i= 0; i < n; i++)
    pa_buf_printf(&b, "%sLEFT(%s, %d) AS c%d, LENGTH(%s) AS l%d",
                  i ? ", " : "", pa_sql_ident(a, cols[i]),
                  PA_SAMPLE_VALUE_CHARS, i, pa_sql_ident(a, cols[i]), i);
  pa_buf_printf(&b, " FROM %s USE INDEX () LIMIT %lu) ",
                pa_sql_qualified(a, m->db->str, m->name->str), limit);
  for (int i= 0; i < n; i++)
    pa_buf_printf(&b,
                  "%sSELECT %d, COUNT(v), COALESCE(SUM(k = 1 AND v IS NOT "
                  "NULL), 0), COALESCE(MAX(IF(v IS NULL, 0, k)), 0), "
                  "COALESCE(SUM(IF(v IS NULL, k, 0)), 0), COALESCE(SUM(k), "
                  "0) FROM (SELECT c%d AS v, COUNT(*) AS k FROM s GROUP BY "
                  "c%d) g UNION ALL SELECT %d, COALESCE(SUM(l%d), 0), 0, 0, "
                  "0, COUNT(*) FROM s",
                  i ? " UNION ALL " : "", i, i, i, PA_SAMPLE_WIDTH_ROW + i,
                  i);
  return (char *) pa_buf_str(&b);
}

/*
  Sample the columns cols[0 .. n - 1] of m's table into res[0 .. n - 1]
  (their names set by the caller): statistics and widths.  false when no
  sample was read (a warning says why, unless the caller was killed).
*/
static bool take_sample(THD *thd, pa_colstats_conn *conn,
                        const pa_table_model *m, const char *const *cols,
                        int n, MEM_ROOT *root, pa_colcache_col *res)
{
  pa_alloc a= {pa_root_alloc, root};
  MYSQL *mysql;
  MYSQL_RES *rs= NULL;
  MYSQL_ROW row;
  kill_relay relay;
  char *q;
  int err;

  if (n == 0)
    return true;
  if (thd->killed || !(mysql= pa_colstats_connect(thd, conn)))
    return false;
  if (!(q= sample_query(&a, m, cols, n, m->stmt->settings.sample_rows)))
    return false;
  const char *stage=
      thd_proc_info(thd, "perf_advisor: sampling column statistics");
  relay_start(&relay, thd, mysql);
  err= mysql_real_query(mysql, q, (ulong) strlen(q));
  bool stopped= relay_stop(&relay);
  thd_proc_info(thd, stage);
  /*
    A statement killed after its result's metadata went out "succeeds" on
    the SQL service's local protocol, and mysql_store_result() then frees
    the dataset but not its rows (loc_read_rows(): a leak).  So a stopped
    sample is not fetched: the next query on the connection frees the
    dataset whole (pa_colstats_end()).
  */
  if (!err && !stopped)
    err= !(rs= mysql_store_result(mysql));
  conn->dirty|= err || stopped;
  if (stopped || thd->killed)
  {
    /* the caller's kill: its own error ends the statement */
    if (rs)
      mysql_free_result(rs);
    pa_colstats_end(conn);
    conn->failed= true;
    if (cache_enter())
    {
      cs_stopped++;
      cache_leave();
    }
    return false;
  }
  if (err)
  {
    push_warning_printf(thd, Sql_condition::WARN_LEVEL_WARN, ER_UNKNOWN_ERROR,
                        "perf_advisor: cannot sample %s.%s: %s", m->db->str,
                        m->name->str, mysql_error(mysql));
    return false;
  }
  int64_t now= pa_now();
  for (int i= 0; i < n; i++)
  {
    pa_colcache_col *c= &res[i];
    c->has_stats= c->has_width= 1;
    c->distinct= c->null_frac= c->top_share= c->avg_bytes= -1;
    c->sampled_rows= 0;
    c->rows_known= m->facts.sizes_known;
    c->table_rows= m->facts.rows;
    c->cap= m->stmt->settings.sample_rows;
    c->taken_at= now;
  }
  double table_rows= (double) m->facts.rows;
  while ((row= mysql_fetch_row(rs)))
  {
    double f[6];
    int j;
    if (mysql_num_fields(rs) != 6 || !row[0])
      continue;
    for (int k= 0; k < 6; k++)
      f[k]= row[k] ? atof(row[k]) : 0;
    if (f[0] < 0 || f[0] > 2 * PA_SAMPLE_WIDTH_ROW)
      continue;
    j= (int) f[0];
    if (j >= PA_SAMPLE_WIDTH_ROW && j - PA_SAMPLE_WIDTH_ROW < n)
    {
      /* (j, bytes, 0, 0, 0, rows) */
      if (f[5] > 0)
        res[j - PA_SAMPLE_WIDTH_ROW].avg_bytes= f[1] / f[5];
      continue;
    }
    /* (j, distinct, seen once, top count, NULLs, rows) */
    double d= f[1], f1= f[2], top= f[3], nulls= f[4], rows= f[5];
    if (j >= n || rows <= 0)
      continue;
    pa_colcache_col *c= &res[j];
    c->sampled_rows= (uint64_t) rows;
    c->null_frac= nulls / rows;
    c->top_share= top / rows;
    /* the whole table when it held fewer rows than the sample's cap */
    double nn= rows - nulls;
    double N= table_rows > rows ? table_rows * (nn / rows) : nn;
    c->distinct= rows < (double) m->stmt->settings.sample_rows
                     ? d
                     : duj1(nn, d, f1, N);
  }
  mysql_free_result(rs);
  if (cache_enter())
  {
    cs_samples++;
    cache_leave();
  }
  return true;
}

/*
  The EITS figures of m's columns real[0 .. n - 1] into src[] and, when a
  JSON_HB histogram says when it was collected, its age into age[] (else
  left as it is).  No rows: nothing known.  A failed read warns once per
  statement.
*/
static void read_eits(THD *thd, pa_colstats_conn *conn,
                      const pa_table_model *m, const char *const *real,
                      int n, MEM_ROOT *root, pa_colstat_sources *src,
                      double *age)
{
  pa_alloc a= {pa_root_alloc, root};
  MYSQL *mysql;
  MYSQL_RES *rs;
  MYSQL_ROW row;
  char *qdb, *qt, *q;

  if (n == 0 || conn->eits_failed || thd->killed ||
      !(mysql= pa_colstats_connect(thd, conn)))
    return;
  if (!(qdb= pa_sql_string(&a, m->db->str)) ||
      !(qt= pa_sql_string(&a, m->name->str)))
    return;
  /* The histogram's buckets: shares of the non-NULL rows, ndv 1 for a
     value of its own (core/pa_colcache.h).  The statistics tables are
     Aria: lock_wait_timeout 0 keeps a concurrent ANALYZE from making
     this wait. */
  q= pa_strdupf(
      &a,
      "SELECT c.column_name, MAX(c.nulls_ratio), MAX(c.avg_frequency), "
      "MAX(t.cardinality), MAX(IF(h.ndv = 1, h.size, NULL)), "
      "MAX(IF(h.ndv = 1, NULL, h.size)), "
      "MAX(IF(c.hist_type = 'JSON_HB', TIMESTAMPDIFF(SECOND, "
      "JSON_VALUE(CONVERT(c.histogram USING utf8mb4), '$.collected_at'), "
      "NOW()), NULL)) "
      "FROM mysql.column_stats c LEFT JOIN mysql.table_stats t "
      "ON t.db_name = c.db_name AND t.table_name = c.table_name "
      "LEFT JOIN JSON_TABLE(IF(c.hist_type = 'JSON_HB', "
      "CONVERT(c.histogram USING utf8mb4), NULL), '$.histogram_hb[*]' "
      "COLUMNS (size DOUBLE PATH '$.size', ndv BIGINT PATH '$.ndv')) h "
      "ON 1 WHERE c.db_name = %s AND c.table_name = %s "
      "GROUP BY c.column_name",
      qdb, qt);
  if (!q)
    return;
  if (mysql_real_query(mysql, q, (ulong) strlen(q)) ||
      !(rs= mysql_store_result(mysql)))
  {
    conn->dirty= true;
    if (!thd->killed)
      push_warning_printf(thd, Sql_condition::WARN_LEVEL_WARN,
                          ER_UNKNOWN_ERROR,
                          "perf_advisor: cannot read mysql.column_stats: %s",
                          mysql_error(mysql));
    conn->eits_failed= true;
    return;
  }
  while ((row= mysql_fetch_row(rs)))
  {
    const char *col= row[0] ? pa_model_column(m->share, row[0]) : NULL;
    int i;
    if (!col)
      continue;
    for (i= 0; i < n && strcmp(real[i], col); i++)
    {
    }
    if (i == n)
      continue;
    double nulls= row[1] ? atof(row[1]) : -1;
    double freq= row[2] ? atof(row[2]) : -1;
    double rows= row[3]                ? atof(row[3])
                 : m->facts.sizes_known ? (double) m->facts.rows
                                        : -1;
    src[i].eits_null_frac= nulls >= 0 && nulls <= 1 ? nulls : -1;
    src[i].eits_distinct= pa_colstat_eits_distinct(rows, nulls, freq);
    src[i].eits_top_share= pa_colstat_eits_top_share(
        nulls, row[4] ? atof(row[4]) : -1, row[5] ? atof(row[5]) : -1);
    if (row[6] && src[i].eits_top_share >= 0)
      age[i]= atof(row[6]) > 0 ? atof(row[6]) : 0;
  }
  mysql_free_result(rs);
}

/*
  The version the cache keys m's table by: the server's definition
  version, or, for a table defined before there was one, a hash of its
  columns' names and types.
*/
static size_t table_version(const pa_table_model *m, unsigned char *buf)
{
  const LEX_CUSTRING *v= &m->share->tabledef_version;
  if (v->length && v->length <= PA_COLCACHE_VERSION_BYTES)
  {
    memcpy(buf, v->str, v->length);
    return v->length;
  }
  uint64_t h= PA_HASH_SEED;
  for (uint i= 0; i < m->share->fields; i++)
  {
    const Field *f= m->share->field[i];
    uint32 t[2]= {(uint32) f->type(), f->field_length};
    h= pa_hash_str(h, f->field_name.str);
    h= pa_hash_bytes(h, t, sizeof(t));
  }
  memcpy(buf, &h, sizeof(h));
  return sizeof(h);
}

double pa_colstats_avg_bytes(const pa_colstats *out, const char *name)
{
  for (int i= 0; i < out->n_widths; i++)
    if (!strcmp(out->width_name[i], name))
      return out->avg_bytes[i];
  return -1;
}

/* Position of name in names[0 .. n - 1] (byte for byte), or -1. */
static int find_name(const char *const *names, int n, const char *name)
{
  for (int i= 0; i < n; i++)
    if (!strcmp(names[i], name))
      return i;
  return -1;
}

void pa_colstats_collect(THD *thd, pa_colstats_conn *conn,
                         const pa_table_model *m, const char *const *names,
                         int n, const char *const *widths, int n_widths,
                         MEM_ROOT *root, pa_colstats *out)
{
  const char *real[PA_DIGEST_MAX_COLUMNS];
  pa_colstat_sources src[PA_DIGEST_MAX_COLUMNS];
  double eits_age[PA_DIGEST_MAX_COLUMNS];
  /* what the sample is asked: the statistics columns, then the widths */
  const char *u[2 * PA_DIGEST_MAX_COLUMNS];
  pa_colcache_col got[2 * PA_DIGEST_MAX_COLUMNS];
  int found[2 * PA_DIGEST_MAX_COLUMNS], nu= 0;
  bool innodb= m->engine && !strcmp(m->engine, "InnoDB");
  /* only InnoDB reads without locking out writers (a consistent read);
     MyISAM or Aria would hold a table read lock for the sample */
  const pa_settings *set= &m->stmt->settings;
  bool sampling= set->sample_rows > 0 && innodb;

  out->n= 0;
  out->n_widths= 0;
  out->sampled_rows= 0;
  out->sample_failed= false;
  /* widths come only from the sample */
  for (int i= 0; sampling && i < n_widths &&
                 out->n_widths < PA_DIGEST_MAX_COLUMNS;
       i++)
  {
    if (find_name(out->width_name, out->n_widths, widths[i]) >= 0)
      continue;
    out->width_name[out->n_widths]= widths[i];
    out->avg_bytes[out->n_widths++]= -1;
  }
  for (int i= 0; i < n && out->n < PA_DIGEST_MAX_COLUMNS; i++)
  {
    const char *r= pa_model_column(m->share, names[i]);
    if (!r)
      continue; /* not a column of this table: a misresolved alias */
    if (find_name(real, out->n, r) >= 0)
      continue;
    pa_missing_colstat *c= &out->cols[out->n];
    memset(c, 0, sizeof(*c));
    strmake(c->name, r, sizeof(c->name) - 1);
    c->distinct= c->null_frac= c->top_share= -1;
    pa_colstat_sources_init(&src[out->n]);
    index_distinct(m, r, &src[out->n].index_distinct);
    eits_age[out->n]= -1;
    out->col_sampled[out->n]= 0;
    out->age[out->n]= -1;
    real[out->n++]= r;
  }
  read_eits(thd, conn, m, real, out->n, root, src, eits_age);

  /* The sample: the columns EITS leaves a figure unknown of, and the
     widths; from the cache when it is fresh. */
  for (int i= 0; sampling && i < out->n; i++)
    if (src[i].eits_null_frac < 0 || src[i].eits_top_share < 0)
      u[nu++]= real[i];
  for (int i= 0; sampling && i < out->n_widths; i++)
    if (find_name(u, nu, out->width_name[i]) < 0)
      u[nu++]= out->width_name[i];
  for (int i= 0; i < nu; i++)
    found[i]= 0;
  if (nu)
  {
    unsigned char version[PA_COLCACHE_VERSION_BYTES];
    pa_colcache_key key= {m->db->str, m->name->str, version,
                          table_version(m, version)};
    pa_colcache_policy pol= {pa_now(), (int) m->facts.sizes_known,
                             m->facts.rows, set->column_stats_max_age,
                             set->sample_rows};
    const char *miss[2 * PA_DIGEST_MAX_COLUMNS];
    pa_colcache_col fresh[2 * PA_DIGEST_MAX_COLUMNS];
    int pos[2 * PA_DIGEST_MAX_COLUMNS], n_miss= 0;
    if (cache_enter())
    {
      pa_colcache_get(cs_cache, &key, &pol, u, NULL, nu, got, found);
      cache_leave();
    }
    for (int i= 0; i < nu; i++)
      if (!found[i])
      {
        pos[n_miss]= i;
        fresh[n_miss].name= u[i];
        miss[n_miss++]= u[i];
      }
    if (n_miss)
    {
      if (take_sample(thd, conn, m, miss, n_miss, root, fresh))
      {
        for (int k= 0; k < n_miss; k++)
        {
          got[pos[k]]= fresh[k];
          found[pos[k]]= 1;
        }
        if (cache_enter())
        {
          pa_colcache_put(cs_cache, &key, fresh, n_miss);
          cache_leave();
        }
      }
      else
        out->sample_failed= true;
    }
  }

  /* best source first, per figure */
  for (int i= 0; i < out->n; i++)
  {
    int j= find_name(u, nu, real[i]);
    if (j >= 0 && found[j])
    {
      src[i].sample_distinct= got[j].distinct;
      src[i].sample_null_frac= got[j].null_frac;
      src[i].sample_top_share= got[j].top_share;
    }
    out->source[i]= pa_colstat_merge(&src[i], &out->cols[i]);
    if (out->source[i] & PA_CS_SRC_SAMPLE)
    {
      int64_t age= pa_now() - got[j].taken_at;
      out->col_sampled[i]= got[j].sampled_rows;
      out->age[i]= age > 0 ? (double) age : 0;
    }
    else if (out->source[i] & PA_CS_SRC_EITS)
      out->age[i]= eits_age[i];
  }
  for (int i= 0; i < nu; i++)
    if (found[i] && got[i].sampled_rows > out->sampled_rows)
      out->sampled_rows= got[i].sampled_rows;
  for (int i= 0; i < out->n_widths; i++)
  {
    int j= find_name(u, nu, out->width_name[i]);
    if (j >= 0 && found[j])
      out->avg_bytes[i]= got[j].avg_bytes;
  }
}

/* The missing-index analysis's inputs (pa_colstats.h). */

int pa_colstats_columns(const pa_missing_digest *md, int n,
                        const char **names, int k)
{
  for (int i= 0; i < n; i++)
  {
    const pa_digest_analysis *an= md[i].an;
    if (!pa_missing_is_candidate(&md[i]))
      continue;
    for (int j= 0; j < an->n_columns && j < PA_DIGEST_MAX_COLUMNS; j++)
    {
      const pa_digest_column *c= &an->columns[j];
      int x;
      if (c->table != md[i].table || c->in_or || !c->name[0] ||
          (c->use != PA_USE_EQ && c->use != PA_USE_JOIN))
        continue;
      for (x= 0; x < k && !pa_ascii_ieq(names[x], c->name); x++)
      {
      }
      if (x == k && k < PA_DIGEST_MAX_COLUMNS)
        names[k++]= c->name;
    }
  }
  return k;
}

int pa_colstats_missing(const pa_table_model *m, const pa_colstats *cs,
                        const pa_missing_digest *md, int n, MEM_ROOT *root,
                        pa_missing_result *res)
{
  pa_alloc a= {pa_root_alloc, root};
  pa_missing_stats st;
  st.rows_known= m->facts.sizes_known;
  st.rows= m->facts.rows;
  st.n_cols= cs->n;
  st.cols= cs->cols;
  const pa_settings *set= &m->stmt->settings;
  st.max_keep= (double) set->unselective_pct / 100.0;
  st.max_cols= (int) set->max_index_columns;
  st.min_cut= (double) set->min_index_gain_pct / 100.0;
  return pa_missing_analyze_stats(m->def, &st, md, (size_t) n, &a, res);
}
