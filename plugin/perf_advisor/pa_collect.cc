/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: reading the live statistics sources into plain structs.

  Locking: userstat's hashes are searched under LOCK_global_table_stats and
  LOCK_global_index_stats, one lookup at a time, copying the counters out
  before unlocking.  performance_schema is read through the SQL service on a
  local connection; no lock of ours is held by this file.
*/
#include "pa_collect.h"

#include <mysql/service_sql.h>
#include <sql_acl.h>
#include <sql_connect.h>
#include <set_var.h>
#include <protocol.h>

#include <stdlib.h>
#include <unistd.h>
#include <string.h>

int64_t pa_now()
{
  return (int64_t) my_time(0);
}

ulonglong pa_now_ms()
{
  return my_interval_timer() / 1000000ULL;
}

MYSQL *pa_local_connect(THD *thd)
{
  MYSQL *mysql= mysql_init(NULL);
  THD *caller= current_thd;
  MYSQL *ok;
  if (!mysql)
    return NULL;
  /* Without a current THD, the SQL service makes the connection its own. */
  set_current_thd(NULL);
  ok= mysql_real_connect_local(mysql);
  set_current_thd(caller);
  if (ok)
  {
    /*
      The SQL service gives every THD it creates thread id 0, and temporary
      table files are named after the thread id: two such connections at
      once (two sessions, or one nested in another's I_S fill) would use
      the same file names.  Give ours a real id.  mysql->thd is the
      connection's Protocol (single inheritance: the base is at offset 0).
    */
    THD *own= ((Protocol *) mysql->thd)->thd;
    if (own && own != caller && !own->thread_id)
      own->thread_id= next_thread_id();
  }
  /* Names travel as UTF-8 both ways, whatever the server's default. */
  if (!ok || mysql_real_query(mysql, STRING_WITH_LEN("SET NAMES utf8mb4")))
  {
    if (thd)
      push_warning_printf(thd, Sql_condition::WARN_LEVEL_WARN,
                          ER_UNKNOWN_ERROR,
                          "perf_advisor: cannot open a local connection: %s",
                          mysql_error(mysql));
    mysql_close(mysql);
    return NULL;
  }
  return mysql;
}

bool pa_pfs_enabled(THD *thd)
{
  sys_var *var= find_sys_var(thd, STRING_WITH_LEN("performance_schema"), true);
  bool is_null= true;
  longlong v;
  if (!var)
    return false;
  v= var->val_int(&is_null, thd, OPT_GLOBAL, &null_clex_str);
  return !is_null && v != 0;
}

bool pa_caller_reads_table(THD *thd, const char *db, const char *name)
{
#ifndef NO_EMBEDDED_ACCESS_CHECKS
  TABLE_LIST tl;
  LEX_CSTRING d= {db, strlen(db)}, t= {name, strlen(name)};
  tl.reset();
  tl.init_one_table(&d, &t, NULL, TL_READ);
  tl.grant.privilege= NO_ACL;
  if (check_access(thd, SELECT_ACL, db, &tl.grant.privilege, NULL, 0, 1) ||
      check_grant(thd, SELECT_ACL, &tl, false, 1, true))
    return false;
  return (tl.grant.privilege & SELECT_ACL) != NO_ACL;
#else
  return true;
#endif
}

static uint64_t to_u64(const char *s)
{
  return s ? (uint64_t) strtoull(s, NULL, 10) : 0;
}

static void warn(THD *thd, const char *what, MYSQL *mysql)
{
  if (!thd)
  {
    sql_print_warning("perf_advisor: %s: %s", what,
                      mysql ? mysql_error(mysql) : "cannot connect");
    return;
  }
  push_warning_printf(thd, Sql_condition::WARN_LEVEL_WARN, ER_UNKNOWN_ERROR,
                      "perf_advisor: %s: %s", what,
                      mysql ? mysql_error(mysql) : "cannot connect");
}

/* Run one query on the local connection; NULL (with a warning) on failure. */
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

/* The queries of pa_collect_pfs(), in the order of their columns. */
static const char q_rules[]= "SELECT OBJECT_SCHEMA, OBJECT_NAME, ENABLED"
                             " FROM performance_schema.setup_objects"
                             " WHERE OBJECT_TYPE='TABLE'";

/*
  The statement digests: the one query both their readers run (the
  store's refresh, pa_collect_pfs, and a statement's own read,
  pa_collect_digests), with its columns by name.
*/
static const char q_digests[]=
    "SELECT SCHEMA_NAME, DIGEST, DIGEST_TEXT, COUNT_STAR, SUM_TIMER_WAIT,"
    " AVG_TIMER_WAIT, SUM_ROWS_EXAMINED, SUM_ROWS_SENT, SUM_NO_INDEX_USED,"
    " SUM_NO_GOOD_INDEX_USED, SUM_CREATED_TMP_DISK_TABLES, SUM_ERRORS"
    " FROM performance_schema.events_statements_summary_by_digest"
    " WHERE DIGEST_TEXT IS NOT NULL";
enum q_digests_col
{
  QD_SCHEMA_NAME,
  QD_DIGEST,
  QD_DIGEST_TEXT,
  QD_COUNT_STAR,
  QD_SUM_TIMER_WAIT,
  QD_AVG_TIMER_WAIT,
  QD_SUM_ROWS_EXAMINED,
  QD_SUM_ROWS_SENT,
  QD_SUM_NO_INDEX_USED,
  QD_SUM_NO_GOOD_INDEX_USED,
  QD_SUM_CREATED_TMP_DISK_TABLES,
  QD_SUM_ERRORS
};

/*
  The rows of one query, read in turn: rows_open() runs it and allots the
  array they go to, rows_next() fetches each row, rows_close() frees the
  result.  A reader keeps a row by kept++; rows_close() returns how many
  it kept.
*/
struct pfs_rows
{
  MYSQL_RES *res;
  MYSQL_ROW row;                 /* the current row, after rows_next() */
  size_t n;                      /* rows the query returned */
  size_t kept;                   /* rows the reader kept, the next slot */
};

/* Room on root for one elem_size element per row (one at least); NULL
   when out of memory. */
static void *rows_alloc(pfs_rows *r, MEM_ROOT *root, size_t elem_size)
{
  return alloc_root(root, (r->n ? r->n : 1) * elem_size);
}

/*
  Run query and allot *rows, the array its rows go to (rows_alloc()).
  false when the query failed (with a warning) or out of memory; nothing
  is then left open.
*/
template <typename T>
static bool rows_open(pfs_rows *r, THD *thd, MYSQL *mysql, MEM_ROOT *root,
                      const char *what, const char *query, T **rows)
{
  if (!(r->res= run(thd, mysql, what, query)))
    return false;
  r->n= (size_t) mysql_num_rows(r->res);
  r->kept= 0;
  if (!(*rows= (T *) rows_alloc(r, root, sizeof(T))))
  {
    mysql_free_result(r->res);
    return false;
  }
  return true;
}

/* The next row into r->row; false after the last. */
static bool rows_next(pfs_rows *r)
{
  return r->kept < r->n && (r->row= mysql_fetch_row(r->res));
}

static size_t rows_close(pfs_rows *r)
{
  mysql_free_result(r->res);
  return r->kept;
}

static bool read_state(THD *thd, MYSQL *mysql, pa_pfs_data *out)
{
  MYSQL_RES *res;
  MYSQL_ROW row;
  if (!(res= run(thd, mysql, "reading performance_schema settings",
                 "SELECT (SELECT ENABLED FROM performance_schema."
                 "setup_instruments WHERE NAME='wait/io/table/sql/handler'),"
                 " (SELECT ENABLED FROM performance_schema.setup_consumers"
                 " WHERE NAME='statements_digest'),"
                 " (SELECT SUM(VARIABLE_VALUE) FROM information_schema."
                 "GLOBAL_STATUS WHERE VARIABLE_NAME IN"
                 " ('PERFORMANCE_SCHEMA_TABLE_INSTANCES_LOST',"
                 " 'PERFORMANCE_SCHEMA_TABLE_HANDLES_LOST',"
                 " 'PERFORMANCE_SCHEMA_INDEX_STAT_LOST')),"
                 " @@performance_schema_digests_size")))
    return false;
  if ((row= mysql_fetch_row(res)))
  {
    out->table_io_counts= row[0] && !strcmp(row[0], "YES");
    out->digests_on= row[1] && !strcmp(row[1], "YES");
    out->complete= row[2] && to_u64(row[2]) == 0;
    out->digests_size= row[3] ? to_u64(row[3]) : 0;
  }
  mysql_free_result(res);
  return true;
}

static bool read_rules(THD *thd, MYSQL *mysql, MEM_ROOT *root,
                       pa_pfs_data *out)
{
  pfs_rows r;

  if (!rows_open(&r, thd, mysql, root, "reading setup_objects", q_rules,
                 &out->rules))
    return false;
  while (rows_next(&r))
  {
    pa_pfs_object_rule *o= &out->rules[r.kept];
    if (!r.row[0] || !r.row[1] || !r.row[2] ||
        !(o->schema= strdup_root(root, r.row[0])) ||
        !(o->name= strdup_root(root, r.row[1])))
      continue;
    o->enabled= !strcmp(r.row[2], "YES");
    r.kept++;
  }
  out->n_rules= rows_close(&r);
  return true;
}

/*
  Rows of (schema, name, [index], three counters).  with_index: the query's
  third column is the index name (NULL for the table's no-index row).
*/
static bool read_io(THD *thd, MYSQL *mysql, MEM_ROOT *root, const char *what,
                    const char *query, bool with_index, pa_pfs_io_row **rows,
                    size_t *n_rows)
{
  pfs_rows r;
  uint first= with_index ? 3 : 2;

  if (!rows_open(&r, thd, mysql, root, what, query, rows))
    return false;
  while (rows_next(&r))
  {
    pa_pfs_io_row *o= &(*rows)[r.kept];
    if (!r.row[0] || !r.row[1] || !(o->schema= strdup_root(root, r.row[0])) ||
        !(o->name= strdup_root(root, r.row[1])))
      continue;
    o->index= NULL;
    if (with_index && r.row[2] && !(o->index= strdup_root(root, r.row[2])))
      continue;
    for (uint k= 0; k < PA_USAGE_COUNTERS; k++)
      o->raw[k]= to_u64(r.row[first + k]);
    r.kept++;
  }
  *n_rows= rows_close(&r);
  return true;
}

/*
  One row of q_digests into d, its strings copied onto root.  false when
  out of memory.  The row has a text (the query's WHERE).
*/
static bool decode_digest(MYSQL_ROW row, const unsigned long *len,
                          MEM_ROOT *root, pa_digest *d)
{
  const char *schema= row[QD_SCHEMA_NAME], *digest= row[QD_DIGEST];
  d->schema= schema ? strdup_root(root, schema) : NULL;
  d->digest= digest ? strdup_root(root, digest) : "";
  d->text= strmake_root(root, row[QD_DIGEST_TEXT], len[QD_DIGEST_TEXT]);
  d->text_len= len[QD_DIGEST_TEXT];
  d->exec_count= to_u64(row[QD_COUNT_STAR]);
  d->sum_ps= to_u64(row[QD_SUM_TIMER_WAIT]);
  d->avg_ps= to_u64(row[QD_AVG_TIMER_WAIT]);
  d->rows_examined= to_u64(row[QD_SUM_ROWS_EXAMINED]);
  d->rows_sent= to_u64(row[QD_SUM_ROWS_SENT]);
  d->no_index_used= to_u64(row[QD_SUM_NO_INDEX_USED]);
  d->no_good_index_used= to_u64(row[QD_SUM_NO_GOOD_INDEX_USED]);
  d->tmp_disk_tables= to_u64(row[QD_SUM_CREATED_TMP_DISK_TABLES]);
  d->errors= to_u64(row[QD_SUM_ERRORS]);
  d->node= NULL;
  return (!schema || d->schema) && d->digest && d->text;
}

/*
  The one reader of the statement digests: q_digests on mysql, each row
  decoded into (*out)[], memory from root.  false (with a warning) when
  the query fails or the array cannot be allotted; out of memory on a row
  ends the read with the rows before it.
*/
static bool read_digests(THD *thd, MYSQL *mysql, MEM_ROOT *root,
                         pa_digest **out, size_t *n)
{
  pfs_rows r;

  *n= 0;
  if (!rows_open(&r, thd, mysql, root, "reading statement digests",
                 q_digests, out))
    return false;
  while (rows_next(&r))
  {
    if (!r.row[QD_DIGEST_TEXT])
      continue;
    if (!decode_digest(r.row, mysql_fetch_lengths(r.res), root,
                       &(*out)[r.kept]))
      break;
    r.kept++;
  }
  *n= rows_close(&r);
  return true;
}

/* Whether the statement that reads has been killed (NULL: a thread). */
static bool killed(THD *thd) { return thd && thd->killed; }

bool pa_collect_pfs(THD *thd, MEM_ROOT *root, MEM_ROOT *digest_root,
                    pa_pfs_data *out)
{
  MYSQL *mysql;
  bool ok= false;

  memset((void *) out, 0, sizeof(*out));
  if (!(mysql= pa_local_connect(thd)))
    return false;
  /*
    A KILL of the statement does not reach the local connection's own
    query: it is checked between the reads, so that the wait after a KILL
    is at most the longest single read (docs/benchmarks.md).
  */
  if (!read_state(thd, mysql, out) || killed(thd))
    goto end;
  if (out->table_io_counts &&
      (!read_rules(thd, mysql, root, out) || killed(thd) ||
       !read_io(thd, mysql, root, "reading table I/O",
                "SELECT t.OBJECT_SCHEMA, t.OBJECT_NAME, t.COUNT_READ,"
                " t.COUNT_WRITE, 0"
                " FROM performance_schema.table_io_waits_summary_by_table t"
                " WHERE t.OBJECT_TYPE='TABLE'",
                false, &out->tables, &out->n_tables) ||
       killed(thd) ||
       !read_io(thd, mysql, root, "reading index I/O",
                "SELECT OBJECT_SCHEMA, OBJECT_NAME, INDEX_NAME, COUNT_READ,"
                " COUNT_FETCH, COUNT_WRITE FROM performance_schema."
                "table_io_waits_summary_by_index_usage"
                " WHERE OBJECT_TYPE='TABLE'",
                true, &out->indexes, &out->n_indexes)))
    out->table_io_counts= false;
  if (killed(thd))
    goto end;
  if (out->digests_on && !read_digests(thd, mysql, digest_root,
                                       &out->digests, &out->n_digests))
    out->digests_on= false;
  ok= !killed(thd);
end:
  mysql_close(mysql);
  return ok;
}

void pa_collect_userstat(const TABLE_SHARE *share, uint64_t raw[3],
                         uint n, const char *const *index_names,
                         uint64_t *idx_raw)
{
  TABLE_STATS *ts;
  uint64_t index_reads= 0;
  char key[NAME_LEN * 3 + 3];
  size_t base= share->table_cache_key.length;

  raw[0]= raw[1]= raw[2]= 0;
  mysql_mutex_lock(&LOCK_global_table_stats);
  ts= (TABLE_STATS *) my_hash_search(&global_table_stats,
                                     (const uchar *) share->table_cache_key.str,
                                     base);
  if (ts)
  {
    raw[0]= ts->rows_read;
    raw[1]= ts->rows_changed;
  }
  mysql_mutex_unlock(&LOCK_global_table_stats);

  /* userstat's index key: the table's cache key, the index name, a NUL */
  memcpy(key, share->table_cache_key.str, base);
  for (uint k= 0; k < share->keys; k++)
  {
    const KEY *ki= &share->key_info[k];
    size_t len= base + ki->name.length + 1;
    INDEX_STATS *is;
    uint64_t reads= 0;
    if (len > sizeof(key))
      continue;
    memcpy(key + base, ki->name.str, ki->name.length);
    key[len - 1]= 0;
    mysql_mutex_lock(&LOCK_global_index_stats);
    if ((is= (INDEX_STATS *) my_hash_search(&global_index_stats,
                                            (const uchar *) key, len)))
      reads= is->rows_read;
    mysql_mutex_unlock(&LOCK_global_index_stats);
    index_reads= pa_sat_add(index_reads, reads);
    for (uint i= 0; i < n; i++)
      if (!strcmp(index_names[i], ki->name.str))
        idx_raw[i]= reads;
  }
  /* Rows read through no index: all rows read minus those read through
     an index. */
  raw[2]= pa_userstat_full_scan_reads(raw[0], index_reads);
}

void *pa_root_alloc(void *root, size_t bytes)
{
  return alloc_root((MEM_ROOT *) root, bytes);
}

bool pa_digest_set_index(pa_digest_set *set, pa_digest *d, size_t n,
                         MEM_ROOT *root)
{
  pa_alloc a= {pa_root_alloc, root};
  set->d= d;
  set->n= n;
  return !pa_workload_build(&set->w, set->d, set->n,
                            lower_case_table_names != 0, &a);
}

bool pa_collect_digests(THD *thd, MEM_ROOT *root, pa_digest_set *set)
{
  MYSQL *mysql;
  pa_digest *d= NULL;
  size_t n= 0;
  bool ok;

  memset((void *) set, 0, sizeof(*set));
  if (!(mysql= pa_local_connect(thd)))
    return false;
  ok= read_digests(thd, mysql, root, &d, &n);
  mysql_close(mysql);
  return ok && pa_digest_set_index(set, d, n, root);
}

/* ---------------------------------------------------------------------- */
/* Server variables and status                                             */

enum state_kind
{
  SK_U64,     /* a number */
  SK_BOOL,    /* ON/OFF (or 1/0) */
  SK_INT,     /* a small number */
  SK_QCTYPE,  /* OFF / ON / DEMAND */
  SK_I64      /* a number that may be -1 */
};

struct state_field
{
  const char *name;          /* as information_schema spells it */
  size_t offset;
  enum state_kind kind;
};

#define SF(name, field, kind) \
  {name, offsetof(pa_server_state, field), kind}

static const state_field state_fields[]= {
    SF("UPTIME", uptime_s, SK_U64),
    SF("INNODB_BUFFER_POOL_SIZE", innodb_buffer_pool_size, SK_U64),
    SF("INNODB_BUFFER_POOL_SIZE_MAX", innodb_buffer_pool_size_max, SK_U64),
    SF("INNODB_PAGE_SIZE", innodb_page_size, SK_U64),
    SF("INNODB_LOG_FILE_SIZE", innodb_log_file_size, SK_U64),
    SF("INNODB_LOG_BUFFER_SIZE", innodb_log_buffer_size, SK_U64),
    SF("INNODB_FILE_PER_TABLE", innodb_file_per_table, SK_BOOL),
    SF("INNODB_FLUSH_LOG_AT_TRX_COMMIT", innodb_flush_log_at_trx_commit,
       SK_INT),
    SF("INNODB_BUFFER_POOL_DUMP_AT_SHUTDOWN",
       innodb_buffer_pool_dump_at_shutdown, SK_BOOL),
    SF("INNODB_BUFFER_POOL_LOAD_AT_STARTUP",
       innodb_buffer_pool_load_at_startup, SK_BOOL),
    SF("TMP_TABLE_SIZE", tmp_table_size, SK_U64),
    SF("MAX_HEAP_TABLE_SIZE", max_heap_table_size, SK_U64),
    SF("MAX_CONNECTIONS", max_connections, SK_U64),
    SF("OPEN_FILES_LIMIT", open_files_limit, SK_U64),
    SF("TABLE_OPEN_CACHE", table_open_cache, SK_U64),
    SF("TABLE_DEFINITION_CACHE", table_definition_cache, SK_U64),
    SF("THREAD_CACHE_SIZE", thread_cache_size, SK_U64),
    SF("KEY_BUFFER_SIZE", key_buffer_size, SK_U64),
    SF("KEY_CACHE_BLOCK_SIZE", key_cache_block_size, SK_U64),
    SF("QUERY_CACHE_SIZE", query_cache_size, SK_U64),
    SF("QUERY_CACHE_TYPE", query_cache_type, SK_QCTYPE),
    SF("SORT_BUFFER_SIZE", sort_buffer_size, SK_U64),
    SF("JOIN_BUFFER_SIZE", join_buffer_size, SK_U64),
    SF("READ_BUFFER_SIZE", read_buffer_size, SK_U64),
    SF("READ_RND_BUFFER_SIZE", read_rnd_buffer_size, SK_U64),
    SF("THREAD_STACK", thread_stack, SK_U64),
    SF("BINLOG_CACHE_SIZE", binlog_cache_size, SK_U64),
    SF("ARIA_PAGECACHE_BUFFER_SIZE", aria_pagecache_buffer_size, SK_U64),
    SF("PERFORMANCE_SCHEMA", performance_schema, SK_BOOL),
    SF("USERSTAT", userstat, SK_BOOL),
    SF("PERFORMANCE_SCHEMA_DIGESTS_SIZE", performance_schema_digests_size,
       SK_I64),
    SF("INNODB_BUFFER_POOL_READ_REQUESTS", Innodb_buffer_pool_read_requests,
       SK_U64),
    SF("INNODB_BUFFER_POOL_READS", Innodb_buffer_pool_reads, SK_U64),
    SF("INNODB_BUFFER_POOL_PAGES_TOTAL", Innodb_buffer_pool_pages_total,
       SK_U64),
    SF("INNODB_BUFFER_POOL_PAGES_FREE", Innodb_buffer_pool_pages_free,
       SK_U64),
    SF("INNODB_BUFFER_POOL_PAGES_DATA", Innodb_buffer_pool_pages_data,
       SK_U64),
    SF("INNODB_OS_LOG_WRITTEN", Innodb_os_log_written, SK_U64),
    SF("CREATED_TMP_TABLES", Created_tmp_tables, SK_U64),
    SF("CREATED_TMP_DISK_TABLES", Created_tmp_disk_tables, SK_U64),
    SF("MAX_USED_CONNECTIONS", Max_used_connections, SK_U64),
    SF("THREADS_CREATED", Threads_created, SK_U64),
    SF("THREADS_CACHED", Threads_cached, SK_U64),
    SF("CONNECTIONS", Connections, SK_U64),
    SF("COM_COMMIT", Com_commit, SK_U64),
    SF("HANDLER_COMMIT", Handler_commit, SK_U64),
    SF("QCACHE_HITS", Qcache_hits, SK_U64),
    SF("QCACHE_INSERTS", Qcache_inserts, SK_U64),
    SF("QCACHE_NOT_CACHED", Qcache_not_cached, SK_U64),
    SF("QCACHE_LOWMEM_PRUNES", Qcache_lowmem_prunes, SK_U64),
    SF("QCACHE_FREE_MEMORY", Qcache_free_memory, SK_U64),
    SF("COM_SELECT", Com_select, SK_U64),
    SF("TABLE_OPEN_CACHE_HITS", Table_open_cache_hits, SK_U64),
    SF("TABLE_OPEN_CACHE_MISSES", Table_open_cache_misses, SK_U64),
    SF("TABLE_OPEN_CACHE_OVERFLOWS", Table_open_cache_overflows, SK_U64),
    SF("OPEN_TABLES", Open_tables, SK_U64),
    SF("OPENED_TABLES", Opened_tables, SK_U64),
    SF("OPEN_TABLE_DEFINITIONS", Open_table_definitions, SK_U64),
    SF("OPENED_TABLE_DEFINITIONS", Opened_table_definitions, SK_U64),
    SF("KEY_READ_REQUESTS", Key_read_requests, SK_U64),
    SF("KEY_READS", Key_reads, SK_U64),
    SF("KEY_BLOCKS_USED", Key_blocks_used, SK_U64),
    SF("KEY_BLOCKS_UNUSED", Key_blocks_unused, SK_U64),
    SF("PERFORMANCE_SCHEMA_DIGEST_LOST", Performance_schema_digest_lost,
       SK_U64)};

static void set_state_field(pa_server_state *s, const state_field *f,
                            const char *v)
{
  char *p= (char *) s + f->offset;
  switch (f->kind)
  {
  case SK_U64:
    *(uint64_t *) p= to_u64(v);
    break;
  case SK_I64:
    *(int64_t *) p= (int64_t) strtoll(v, NULL, 10);
    break;
  case SK_BOOL:
    *(int *) p= !strcasecmp(v, "ON") || !strcmp(v, "1");
    break;
  case SK_INT:
    *(int *) p= atoi(v);
    break;
  case SK_QCTYPE:
    *(int *) p= !strcasecmp(v, "ON") ? 1 : !strcasecmp(v, "DEMAND") ? 2 : 0;
    break;
  }
}

/* Physical RAM, or the cgroup (v2, then v1) memory limit when lower. */
static uint64_t memory_bytes()
{
  long pages= sysconf(_SC_PHYS_PAGES), page= sysconf(_SC_PAGE_SIZE);
  uint64_t ram= pages > 0 && page > 0 ? (uint64_t) pages * (uint64_t) page : 0;
  static const char *limits[]= {"/sys/fs/cgroup/memory.max",
                                "/sys/fs/cgroup/memory/memory.limit_in_bytes"};
  for (const char *path : limits)
  {
    FILE *f= fopen(path, "r");
    char buf[64];
    if (!f)
      continue;
    if (fgets(buf, sizeof(buf), f) && buf[0] >= '0' && buf[0] <= '9')
    {
      uint64_t lim= to_u64(buf);
      if (lim > 0 && (ram == 0 || lim < ram))
        ram= lim;
    }
    fclose(f);
  }
  return ram;
}

/*
  innodb_data_bytes and innodb_stats_tables from mysql.innodb_table_stats
  (one read of a table with a row per InnoDB table).  Left unknown, with no
  warning, when that table cannot be read: the figure is optional.
*/
static void read_innodb_data_size(MYSQL *mysql, pa_server_state *s)
{
  static const char q[]=
      "SELECT COUNT(*), SUM(clustered_index_size + sum_of_other_index_sizes)"
      " FROM mysql.innodb_table_stats";
  MYSQL_RES *res;
  MYSQL_ROW row;

  if (s->innodb_page_size == PA_CONFIG_UNKNOWN || !s->innodb_page_size ||
      mysql_real_query(mysql, q, (ulong) (sizeof(q) - 1)) ||
      !(res= mysql_store_result(mysql)))
    return;
  if ((row= mysql_fetch_row(res)) && row[0] && row[1])
  {
    uint64_t pages= to_u64(row[1]);
    s->innodb_stats_tables= to_u64(row[0]);
    s->innodb_data_bytes= pages > UINT64_MAX / s->innodb_page_size
                              ? UINT64_MAX - 1
                              : pages * s->innodb_page_size;
  }
  mysql_free_result(res);
}

bool pa_collect_server_state(THD *thd, pa_server_state *s,
                             bool with_data_size)
{
  MYSQL *mysql;
  MYSQL_RES *res;
  MYSQL_ROW row;
  String q;
  bool any= false;

  pa_config_state_init(s);
  s->ram_bytes= memory_bytes();
  q.append(STRING_WITH_LEN(
      "SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema."
      "GLOBAL_VARIABLES UNION ALL SELECT VARIABLE_NAME, VARIABLE_VALUE FROM "
      "information_schema.GLOBAL_STATUS"));
  if (!(mysql= pa_local_connect(thd)))
    return false;
  if (!(res= run(thd, mysql, "reading server variables", q.c_ptr())))
  {
    mysql_close(mysql);
    return false;
  }
  while ((row= mysql_fetch_row(res)))
  {
    if (!row[0] || !row[1])
      continue;
    for (const state_field &f : state_fields)
      if (!strcmp(f.name, row[0]))
      {
        set_state_field(s, &f, row[1]);
        any= true;
        break;
      }
  }
  mysql_free_result(res);
  if (any && with_data_size)
    read_innodb_data_size(mysql, s);
  mysql_close(mysql);
  return any;
}
