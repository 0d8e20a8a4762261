/*
  perf_advisor: reading the live statistics sources into plain structs.

  Locking: userstat's hashes are searched under LOCK_global_table_stats and
  LOCK_global_index_stats, one lookup at a time, copying the counters out
  before unlocking.  performance_schema is read through the SQL service on a
  local connection; no lock of ours is held by this file.
*/
#include "pa_collect.h"

#include <mysql/service_sql.h>
#include <sql_connect.h>
#include <set_var.h>

#include <stdlib.h>
#include <string.h>

int64_t pa_now()
{
  return (int64_t) my_time(0);
}

ulonglong pa_now_ms()
{
  return my_interval_timer() / 1000000ULL;
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
                 " 'PERFORMANCE_SCHEMA_INDEX_STAT_LOST'))")))
    return false;
  if ((row= mysql_fetch_row(res)))
  {
    out->table_io_counts= row[0] && !strcmp(row[0], "YES");
    out->digests_on= row[1] && !strcmp(row[1], "YES");
    out->complete= row[2] && to_u64(row[2]) == 0;
  }
  mysql_free_result(res);
  return true;
}

static bool read_rules(THD *thd, MYSQL *mysql, MEM_ROOT *root,
                       pa_pfs_data *out)
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
  out->rules= (pa_pfs_object_rule *) alloc_root(
      root, (n ? n : 1) * sizeof(pa_pfs_object_rule));
  while (out->rules && (row= mysql_fetch_row(res)) && i < n)
  {
    pa_pfs_object_rule *r= &out->rules[i];
    if (!row[0] || !row[1] || !row[2] ||
        !(r->schema= strdup_root(root, row[0])) ||
        !(r->name= strdup_root(root, row[1])))
      continue;
    r->enabled= !strcmp(row[2], "YES");
    i++;
  }
  mysql_free_result(res);
  out->n_rules= i;
  return out->rules != NULL;
}

/*
  Rows of (schema, name, [index], three counters).  with_index: the query's
  third column is the index name (NULL for the table's no-index row).
*/
static bool read_io(THD *thd, MYSQL *mysql, MEM_ROOT *root, const char *what,
                    const char *query, bool with_index, pa_pfs_io_row **rows,
                    size_t *n_rows)
{
  MYSQL_RES *res;
  MYSQL_ROW row;
  size_t n, i= 0;
  uint first= with_index ? 3 : 2;

  if (!(res= run(thd, mysql, what, query)))
    return false;
  n= (size_t) mysql_num_rows(res);
  *rows= (pa_pfs_io_row *) alloc_root(root, (n ? n : 1) *
                                              sizeof(pa_pfs_io_row));
  while (*rows && (row= mysql_fetch_row(res)) && i < n)
  {
    pa_pfs_io_row *r= &(*rows)[i];
    if (!row[0] || !row[1] || !(r->schema= strdup_root(root, row[0])) ||
        !(r->name= strdup_root(root, row[1])))
      continue;
    r->index= NULL;
    if (with_index && row[2] && !(r->index= strdup_root(root, row[2])))
      continue;
    for (uint k= 0; k < PA_USAGE_COUNTERS; k++)
      r->raw[k]= to_u64(row[first + k]);
    i++;
  }
  mysql_free_result(res);
  *n_rows= i;
  return *rows != NULL;
}

static bool read_digests(THD *thd, MYSQL *mysql, MEM_ROOT *root,
                         pa_pfs_data *out)
{
  MYSQL_RES *res;
  MYSQL_ROW row;
  size_t n, i= 0;

  if (!(res= run(thd, mysql, "reading statement digests",
                 "SELECT SCHEMA_NAME, DIGEST_TEXT, COUNT_STAR, AVG_TIMER_WAIT"
                 " FROM performance_schema.events_statements_summary_by_digest"
                 " WHERE DIGEST_TEXT IS NOT NULL")))
    return false;
  n= (size_t) mysql_num_rows(res);
  out->digests= (pa_digest_stat *) alloc_root(root, (n ? n : 1) *
                                                      sizeof(pa_digest_stat));
  while (out->digests && (row= mysql_fetch_row(res)) && i < n)
  {
    unsigned long *len= mysql_fetch_lengths(res);
    pa_digest_stat *d= &out->digests[i];
    d->schema= row[0] ? strdup_root(root, row[0]) : NULL;
    if (!(d->text= (const char *) memdup_root(root, row[1], len[1])))
      break;
    d->text_len= len[1];
    d->exec_count= to_u64(row[2]);
    d->avg_ps= to_u64(row[3]);
    i++;
  }
  mysql_free_result(res);
  out->n_digests= i;
  return out->digests != NULL;
}

bool pa_collect_pfs(THD *thd, MEM_ROOT *root, pa_pfs_data *out)
{
  MYSQL *mysql= mysql_init(NULL);
  bool ok= false;

  memset((void *) out, 0, sizeof(*out));
  if (!mysql)
    return false;
  if (!mysql_real_connect_local(mysql))
  {
    warn(thd, "cannot read performance_schema", mysql);
    goto end;
  }
  if (!read_state(thd, mysql, out))
    goto end;
  if (out->table_io_counts &&
      (!read_rules(thd, mysql, root, out) ||
       !read_io(thd, mysql, root, "reading table I/O",
                "SELECT t.OBJECT_SCHEMA, t.OBJECT_NAME, t.COUNT_READ,"
                " t.COUNT_WRITE, 0"
                " FROM performance_schema.table_io_waits_summary_by_table t"
                " WHERE t.OBJECT_TYPE='TABLE'",
                false, &out->tables, &out->n_tables) ||
       !read_io(thd, mysql, root, "reading index I/O",
                "SELECT OBJECT_SCHEMA, OBJECT_NAME, INDEX_NAME, COUNT_READ,"
                " COUNT_FETCH, COUNT_WRITE FROM performance_schema."
                "table_io_waits_summary_by_index_usage"
                " WHERE OBJECT_TYPE='TABLE'",
                true, &out->indexes, &out->n_indexes)))
    out->table_io_counts= false;
  if (out->digests_on && !read_digests(thd, mysql, root, out))
    out->digests_on= false;
  ok= true;
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
    pa_add_saturating(&index_reads, reads);
    for (uint i= 0; i < n; i++)
      if (!strcmp(index_names[i], ki->name.str))
        idx_raw[i]= reads;
  }
  /* Rows read through no index: all rows read minus those read through
     an index. */
  raw[2]= pa_userstat_full_scan_reads(raw[0], index_reads);
}

static void *root_alloc(void *ctx, size_t bytes)
{
  return alloc_root((MEM_ROOT *) ctx, bytes);
}

bool pa_collect_digests(THD *thd, MEM_ROOT *root, pa_digest_set *set)
{
  MYSQL *mysql= mysql_init(NULL);
  MYSQL_RES *res= NULL;
  MYSQL_ROW row;
  size_t n, i= 0;
  pa_alloc a= {root_alloc, root};

  memset((void *) set, 0, sizeof(*set));
  if (!mysql)
    return false;
  if (!mysql_real_connect_local(mysql) ||
      !(res= run(thd, mysql, "reading statement digests",
                 "SELECT SCHEMA_NAME, DIGEST, DIGEST_TEXT, COUNT_STAR,"
                 " SUM_TIMER_WAIT, AVG_TIMER_WAIT, SUM_ROWS_EXAMINED,"
                 " SUM_ROWS_SENT, SUM_NO_INDEX_USED, SUM_NO_GOOD_INDEX_USED,"
                 " SUM_CREATED_TMP_DISK_TABLES"
                 " FROM performance_schema.events_statements_summary_by_digest"
                 " WHERE DIGEST_TEXT IS NOT NULL")))
  {
    if (!res)
      warn(thd, "cannot read statement digests", mysql);
    mysql_close(mysql);
    return false;
  }
  n= (size_t) mysql_num_rows(res);
  set->d= (pa_digest_full *) alloc_root(root, (n ? n : 1) *
                                                  sizeof(pa_digest_full));
  set->stats= (pa_digest_stat *) alloc_root(root, (n ? n : 1) *
                                                      sizeof(pa_digest_stat));
  while (set->d && set->stats && (row= mysql_fetch_row(res)) && i < n)
  {
    unsigned long *len= mysql_fetch_lengths(res);
    pa_digest_full *d= &set->d[i];
    if (!row[2])
      continue;
    d->stat.schema= row[0] ? strdup_root(root, row[0]) : NULL;
    d->digest= row[1] ? strdup_root(root, row[1]) : "";
    if (!(d->text= strmake_root(root, row[2], len[2])))
      break;
    d->stat.text= d->text;
    d->stat.text_len= len[2];
    d->stat.exec_count= to_u64(row[3]);
    d->sum_ps= to_u64(row[4]);
    d->stat.avg_ps= to_u64(row[5]);
    d->rows_examined= to_u64(row[6]);
    d->rows_sent= to_u64(row[7]);
    d->no_index_used= to_u64(row[8]);
    d->no_good_index_used= to_u64(row[9]);
    d->tmp_disk_tables= to_u64(row[10]);
    set->stats[i]= d->stat;
    i++;
  }
  mysql_free_result(res);
  mysql_close(mysql);
  set->n= i;
  return !pa_workload_build(&set->w, set->stats, set->n,
                            lower_case_table_names != 0, &a);
}
