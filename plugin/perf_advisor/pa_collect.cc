/*
  perf_advisor: reading server state into the core's plain structs.

  Locking: userstat's hashes are searched under LOCK_global_table_stats and
  LOCK_global_index_stats, one lookup at a time, copying the counters out
  before unlocking; no lock is held while a row is stored.
  performance_schema is read through the SQL service on a private local
  connection, before any row of the statement is emitted, so no lock of
  ours is ever held across it.  The userstat observation window start is a
  single atomic.
*/
#include "pa_collect.h"

#include <my_atomic.h>
#include <mysql/service_sql.h>
#include <sql_connect.h>
#include <sql_show.h>
#include <set_var.h>

#include <stdlib.h>
#include <string.h>

ulong pa_slow_query_ms;

/*
  When the plugin first saw userstat on, continuously since (0: off or not
  yet seen).  Counters can be older than this, never younger; a window
  measured from here is a lower bound, which is the safe direction for
  advice that depends on "long enough".
*/
static int64 userstat_since;

static int64_t uptime_seconds()
{
  time_t now= my_time(0);
  return now > server_start_time ? (int64_t) (now - server_start_time) : 0;
}

void pa_collect_init()
{
  /* Loaded at startup with userstat on: it has counted since the start. */
  my_atomic_store64(&userstat_since,
                    opt_userstat_running ? (int64) server_start_time : 0);
}

static void userstat_track(bool on)
{
  int64 since= my_atomic_load64(&userstat_since);
  if (!on)
  {
    if (since)
      my_atomic_store64(&userstat_since, 0);
  }
  else if (!since)
  {
    int64 expected= 0;
    my_atomic_cas64(&userstat_since, &expected, (int64) my_time(0));
  }
}

static bool global_bool_var(THD *thd, const char *name)
{
  sys_var *var= find_sys_var(thd, name, strlen(name), true);
  bool is_null= true;
  longlong v;
  if (!var)
    return false;
  v= var->val_int(&is_null, thd, OPT_GLOBAL, &null_clex_str);
  return !is_null && v != 0;
}

static void *root_alloc(void *ctx, size_t bytes)
{
  return alloc_root((MEM_ROOT *) ctx, bytes);
}

static uint64_t to_u64(const char *s)
{
  return s ? (uint64_t) strtoull(s, NULL, 10) : 0;
}

static int pfs_row_cmp(const void *pa, const void *pb)
{
  const pa_pfs_table_row *a= (const pa_pfs_table_row *) pa;
  const pa_pfs_table_row *b= (const pa_pfs_table_row *) pb;
  int c= strcmp(a->schema, b->schema);
  return c ? c : strcmp(a->name, b->name);
}

static pa_pfs_table_row *pfs_find(const pa_snapshot *snap, const char *schema,
                                  const char *name)
{
  pa_pfs_table_row key;
  key.schema= schema;
  key.name= name;
  return (pa_pfs_table_row *) bsearch(&key, snap->pfs_rows, snap->n_pfs_rows,
                                      sizeof(key), pfs_row_cmp);
}

static void warn(THD *thd, const char *what, MYSQL *mysql)
{
  push_warning_printf(thd, Sql_condition::WARN_LEVEL_WARN, ER_UNKNOWN_ERROR,
                      "perf_advisor: %s: %s", what,
                      mysql ? mysql_error(mysql) : "cannot connect");
}

/*
  Run one query on the local connection and store its result; NULL (with a
  warning) on failure.
*/
static MYSQL_RES *run(THD *thd, MYSQL *mysql, const char *what,
                      const char *query)
{
  MYSQL_RES *res;
  if (mysql_real_query(mysql, query, (ulong) strlen(query)) ||
      !(res= mysql_store_result(mysql)))
  {
    warn(thd, what, mysql);
    return NULL;
  }
  return res;
}

/* Whether performance_schema counts table I/O: the instrument is enabled. */
static bool pfs_table_io_counts(THD *thd, MYSQL *mysql)
{
  MYSQL_RES *res= run(thd, mysql, "reading setup_instruments",
                      "SELECT ENABLED FROM performance_schema.setup_instruments"
                      " WHERE NAME='wait/io/table/sql/handler'");
  MYSQL_ROW row;
  bool on= false;
  if (!res)
    return false;
  if ((row= mysql_fetch_row(res)) && row[0])
    on= !strcmp(row[0], "YES");
  mysql_free_result(res);
  return on;
}

static bool pfs_read_tables(THD *thd, MYSQL *mysql, MEM_ROOT *root,
                            pa_snapshot *snap)
{
  MYSQL_RES *res;
  MYSQL_ROW row;
  size_t n, i= 0;

  if (!(res= run(thd, mysql, "reading table I/O",
                 "SELECT OBJECT_SCHEMA, OBJECT_NAME, COUNT_READ, COUNT_WRITE"
                 " FROM performance_schema.table_io_waits_summary_by_table"
                 " WHERE OBJECT_TYPE='TABLE'")))
    return false;
  n= (size_t) mysql_num_rows(res);
  snap->pfs_rows= (pa_pfs_table_row *) alloc_root(root, (n ? n : 1) *
                                                  sizeof(pa_pfs_table_row));
  if (!snap->pfs_rows)
  {
    mysql_free_result(res);
    return false;
  }
  while ((row= mysql_fetch_row(res)) && i < n)
  {
    pa_pfs_table_row *r= &snap->pfs_rows[i];
    if (!row[0] || !row[1])
      continue;
    r->schema= strdup_root(root, row[0]);
    r->name= strdup_root(root, row[1]);
    if (!r->schema || !r->name)
      break;
    r->rows_read= to_u64(row[2]);
    r->rows_changed= to_u64(row[3]);
    /* performance_schema shows the no-index row only once it has data */
    r->full_scan_reads= 0;
    i++;
  }
  mysql_free_result(res);
  snap->n_pfs_rows= i;
  qsort(snap->pfs_rows, snap->n_pfs_rows, sizeof(pa_pfs_table_row),
        pfs_row_cmp);

  /* Reads through no index: the INDEX_NAME IS NULL row per table. */
  if (!(res= run(thd, mysql, "reading index usage",
                 "SELECT OBJECT_SCHEMA, OBJECT_NAME, COUNT_READ"
                 " FROM performance_schema.table_io_waits_summary_by_index_usage"
                 " WHERE OBJECT_TYPE='TABLE' AND INDEX_NAME IS NULL")))
    return false;
  while ((row= mysql_fetch_row(res)))
  {
    pa_pfs_table_row *r;
    if (row[0] && row[1] && (r= pfs_find(snap, row[0], row[1])))
      r->full_scan_reads= to_u64(row[2]);
  }
  mysql_free_result(res);
  return true;
}

static bool pfs_read_rules(THD *thd, MYSQL *mysql, MEM_ROOT *root,
                           pa_snapshot *snap)
{
  MYSQL_RES *res;
  MYSQL_ROW row;
  size_t n, i= 0;

  if (!(res= run(thd, mysql, "reading setup_objects",
                 "SELECT OBJECT_SCHEMA, OBJECT_NAME, ENABLED"
                 " FROM performance_schema.setup_objects"
                 " WHERE OBJECT_TYPE='TABLE'")))
    return false;
  n= (size_t) mysql_num_rows(res);
  snap->pfs_rules= (pa_pfs_object_rule *) alloc_root(
      root, (n ? n : 1) * sizeof(pa_pfs_object_rule));
  while (snap->pfs_rules && (row= mysql_fetch_row(res)) && i < n)
  {
    pa_pfs_object_rule *r= &snap->pfs_rules[i];
    if (!row[0] || !row[1] || !row[2] ||
        !(r->schema= strdup_root(root, row[0])) ||
        !(r->name= strdup_root(root, row[1])))
      continue;
    r->enabled= !strcmp(row[2], "YES");
    i++;
  }
  mysql_free_result(res);
  snap->n_pfs_rules= i;
  return snap->pfs_rules != NULL;
}

static bool pfs_read_digests(THD *thd, MYSQL *mysql, MEM_ROOT *root,
                             pa_snapshot *snap)
{
  char query[512];
  MYSQL_RES *res;
  MYSQL_ROW row;
  size_t n, i= 0;
  pa_alloc a= {root_alloc, root};

  /* Only digests above the threshold can count; filtering here keeps the
     copy small on servers with thousands of digests. */
  my_snprintf(query, sizeof(query),
              "SELECT SCHEMA_NAME, DIGEST_TEXT, COUNT_STAR, AVG_TIMER_WAIT"
              " FROM performance_schema.events_statements_summary_by_digest"
              " WHERE DIGEST_TEXT IS NOT NULL AND AVG_TIMER_WAIT > %llu",
              (ulonglong) snap->slow_threshold_ps);
  if (!(res= run(thd, mysql, "reading statement digests", query)))
    return false;
  n= (size_t) mysql_num_rows(res);
  snap->digests= (pa_digest_stat *) alloc_root(root, (n ? n : 1) *
                                               sizeof(pa_digest_stat));
  if (!snap->digests)
  {
    mysql_free_result(res);
    return false;
  }
  while ((row= mysql_fetch_row(res)) && i < n)
  {
    unsigned long *len= mysql_fetch_lengths(res);
    pa_digest_stat *d= &snap->digests[i];
    d->schema= row[0] ? strdup_root(root, row[0]) : NULL;
    d->text= (const char *) memdup_root(root, row[1], len[1]);
    d->text_len= len[1];
    if (!d->text)
      break;
    d->exec_count= to_u64(row[2]);
    d->avg_ps= to_u64(row[3]);
    i++;
  }
  mysql_free_result(res);
  return !pa_workload_build(&snap->workload, snap->digests, i,
                            lower_case_table_names != 0, &a);
}

static void collect_pfs(THD *thd, MEM_ROOT *root, pa_snapshot *snap)
{
  MYSQL *mysql= mysql_init(NULL);
  bool io_counts;

  if (!mysql)
    return;
  if (!mysql_real_connect_local(mysql))
  {
    warn(thd, "cannot read performance_schema", mysql);
    mysql_close(mysql);
    return;
  }
  io_counts= pfs_table_io_counts(thd, mysql);
  snap->source= pa_stats_choose(true, io_counts, snap->userstat_enabled);
  if (snap->source == PA_SRC_PFS &&
      (!pfs_read_rules(thd, mysql, root, snap) ||
       !pfs_read_tables(thd, mysql, root, snap)))
    snap->source= pa_stats_choose(false, false, snap->userstat_enabled);
  snap->workload_known= pfs_read_digests(thd, mysql, root, snap);
  mysql_close(mysql);
}

/* The statement's snapshot cache: a statement runs on one OS thread. */
static thread_local pa_snapshot *cached_snapshot;

pa_snapshot *pa_snapshot_get(THD *thd, TABLE *is_table)
{
  pa_snapshot *snap= cached_snapshot;
  MEM_ROOT *root= &is_table->mem_root;

  if (snap && snap->owner == is_table && snap->query_id == thd->query_id)
    return snap;

  if (!(snap= (pa_snapshot *) alloc_root(root, sizeof(*snap))))
    return NULL;
  memset((void *) snap, 0, sizeof(*snap));
  snap->owner= is_table;
  snap->query_id= thd->query_id;
  snap->observed_seconds= -1;
  snap->userstat_seconds= -1;
  snap->slow_threshold_ps= (uint64_t) pa_slow_query_ms * 1000000000ULL;
  snap->pfs_enabled= global_bool_var(thd, "performance_schema");
  snap->userstat_enabled= opt_userstat_running;
  userstat_track(snap->userstat_enabled);
  if (snap->userstat_enabled)
  {
    int64 since= my_atomic_load64(&userstat_since);
    time_t now= my_time(0);
    snap->userstat_seconds= since && now > since ? (int64_t) (now - since) : 0;
  }
  snap->source= pa_stats_choose(false, false, snap->userstat_enabled);
  if (snap->pfs_enabled)
    collect_pfs(thd, root, snap);

  switch (snap->source)
  {
  case PA_SRC_PFS:
    /* performance_schema counts from the start and cannot be switched on
       later; TRUNCATE of its summaries is not visible (documented). */
    snap->observed_seconds= uptime_seconds();
    break;
  case PA_SRC_USERSTAT:
    snap->observed_seconds= snap->userstat_seconds;
    break;
  case PA_SRC_NONE:
    break;
  }
  cached_snapshot= snap;
  return snap;
}

/* userstat's key for a table: "db\0table\0", as TABLE_SHARE caches it. */
static void userstat_table_io(const TABLE_SHARE *share, pa_table_io *out)
{
  TABLE_STATS *ts;
  uint64_t table_reads= 0, index_reads= 0;
  char key[NAME_LEN * 3 + 3];
  uint k;

  mysql_mutex_lock(&LOCK_global_table_stats);
  ts= (TABLE_STATS *) my_hash_search(&global_table_stats,
                                     (const uchar *) share->table_cache_key.str,
                                     share->table_cache_key.length);
  if (ts)
  {
    table_reads= ts->rows_read;
    out->rows_changed= ts->rows_changed;
  }
  mysql_mutex_unlock(&LOCK_global_table_stats);
  out->rows_read= table_reads;

  /* Rows read through each index; what is left was read by scanning. */
  memcpy(key, share->table_cache_key.str, share->table_cache_key.length);
  for (k= 0; k < share->keys; k++)
  {
    const KEY *ki= &share->key_info[k];
    size_t len= share->table_cache_key.length + ki->name.length + 1;
    INDEX_STATS *is;
    if (len > sizeof(key))
      continue;
    memcpy(key + share->table_cache_key.length, ki->name.str,
           ki->name.length);
    key[len - 1]= 0;
    mysql_mutex_lock(&LOCK_global_index_stats);
    if ((is= (INDEX_STATS *) my_hash_search(&global_index_stats,
                                            (const uchar *) key, len)))
      pa_add_saturating(&index_reads, is->rows_read);
    mysql_mutex_unlock(&LOCK_global_index_stats);
  }
  out->full_scan_known= 1;
  out->full_scan_reads= pa_userstat_full_scan_reads(table_reads, index_reads);
}

void pa_collect_table_io(const pa_snapshot *snap, const LEX_CSTRING *db,
                         const LEX_CSTRING *name, const TABLE_SHARE *share,
                         pa_table_io *out)
{
  enum pa_stats_source src= snap->source;

  /* A table performance_schema does not instrument (setup_objects) falls
     back to userstat, or to unknown. */
  if (src == PA_SRC_PFS &&
      !pa_pfs_object_enabled(snap->pfs_rules, snap->n_pfs_rules, db->str,
                             name->str))
    src= pa_stats_choose(false, false, snap->userstat_enabled);

  memset(out, 0, sizeof(*out));
  out->source= src;
  out->observed_seconds= src == snap->source ? snap->observed_seconds
                                             : snap->userstat_seconds;
  switch (src)
  {
  case PA_SRC_PFS:
  {
    const pa_pfs_table_row *r= pfs_find(snap, db->str, name->str);
    /* performance_schema lists a table from its first open after the
       restart on; absent means not opened since, so nothing was read or
       changed (the instrument is known to be enabled). */
    out->known= 1;
    out->full_scan_known= 1;
    if (r)
    {
      out->rows_read= r->rows_read;
      out->rows_changed= r->rows_changed;
      out->full_scan_reads= r->full_scan_reads;
    }
    break;
  }
  case PA_SRC_USERSTAT:
    out->known= 1;
    userstat_table_io(share, out);
    break;
  case PA_SRC_NONE:
    break;
  }
}
