/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: the usage store (see pa_state.h).

  Locking: LOCK_pa_state protects the table hash, every record in it, and the
  source flags; it is held only for in-memory work (lookups, folding
  counters, copying out, formatting the file image), never across SQL, file
  I/O or storing an I_S row.  One reader of the live source at a time
  (pa_refreshing, under LOCK_pa_state): concurrent statements wait on
  COND_pa_refreshed for that one refresh instead of each running their own,
  and a statement killed while it waits stops waiting at once (the wait is
  announced with ENTER_COND, so KILL signals it).  LOCK_pa_save serializes writers of the file.  The snapshot thread waits on
  COND_pa_thread under LOCK_pa_thread.
*/
#include "pa_state.h"

#include <my_dir.h>
#include <mysql/psi/mysql_file.h>
#include <sql_table.h>
#include <sql_connect.h>
#include <hash.h>
#include <my_atomic.h>

ulong pa_slow_query_ms;
ulong pa_snapshot_interval;
ulonglong pa_min_observation_seconds;
ulong pa_max_staleness_ms;
char *pa_usage_file;

#ifdef HAVE_PSI_INTERFACE
static PSI_mutex_key key_LOCK_pa_state, key_LOCK_pa_save, key_LOCK_pa_thread;
static PSI_cond_key key_COND_pa_thread, key_COND_pa_refreshed;
static PSI_thread_key key_thread_pa_snapshot;
static PSI_memory_key key_memory_pa_state, key_memory_pa_udf;
static PSI_mutex_info pa_mutexes[]= {
    {&key_LOCK_pa_state, "LOCK_pa_state", PSI_FLAG_GLOBAL},
    {&key_LOCK_pa_save, "LOCK_pa_save", PSI_FLAG_GLOBAL},
    {&key_LOCK_pa_thread, "LOCK_pa_thread", PSI_FLAG_GLOBAL}};
static PSI_cond_info pa_conds[]= {
    {&key_COND_pa_thread, "COND_pa_thread", PSI_FLAG_GLOBAL},
    {&key_COND_pa_refreshed, "COND_pa_refreshed", PSI_FLAG_GLOBAL}};
static PSI_thread_info pa_threads[]= {
    {&key_thread_pa_snapshot, "perf_advisor_snapshot", PSI_FLAG_GLOBAL}};
static PSI_memory_info pa_memory[]= {
    {&key_memory_pa_state, "usage_store", PSI_FLAG_GLOBAL},
    {&key_memory_pa_udf, "udf_call", 0}};
#else
#define key_memory_pa_state PSI_NOT_INSTRUMENTED
#define key_memory_pa_udf PSI_NOT_INSTRUMENTED
#endif

PSI_memory_key pa_udf_memory_key()
{
  return key_memory_pa_udf;
}

static mysql_mutex_t LOCK_pa_state, LOCK_pa_save, LOCK_pa_thread;
static mysql_cond_t COND_pa_thread, COND_pa_refreshed;
static bool pa_refreshing;           /* a reader of the live source runs */
static PSI_stage_info stage_pa_refresh_wait= {
    0, "Waiting for perf_advisor to read performance_schema", 0};
static pthread_t pa_thread;
static bool pa_thread_running, pa_thread_stop;
static int32 pa_ready;   /* 1 between init and deinit */

struct pa_idx_rec
{
  char name[NAME_LEN + 1];
  pa_usage_entry u;
};

struct pa_tbl_rec
{
  uchar *key;                 /* "db\0table\0", as TABLE_SHARE caches it */
  uint key_len;
  bool has_entry;             /* u is valid */
  pa_usage_entry u;           /* table-level counters */
  uint n_idx, cap_idx;
  pa_idx_rec *idx;
  uint n_dig;                 /* digests touching it at the last refresh */
  uint64_t *dig_avg;          /* their average latencies, picoseconds */
  uint n_hint;                /* index names hinted at the last refresh */
  char **hint;                /* each my_malloc'ed */
  uint64_t scan_raw;          /* refresh scratch: the no-index COUNT_READ */
  ulonglong scan_gen;         /* refresh that set scan_raw */
};

static HASH pa_tables;
static bool pa_pfs_source;     /* performance_schema counts table I/O */
static bool pa_pfs_complete;   /* ... and lost nothing */
static bool pa_digests_on;
static pa_pfs_object_rule *pa_rules;  /* copy of setup_objects */
static size_t pa_n_rules;
static ulonglong pa_last_refresh_ms;
static bool pa_ever_refreshed;
static ulonglong pa_refresh_gen;
static int64_t pa_loaded_server_start;

static const uchar *tbl_get_key(const void *r, size_t *len, my_bool)
{
  const pa_tbl_rec *t= (const pa_tbl_rec *) r;
  *len= t->key_len;
  return t->key;
}

static void hints_clear(pa_tbl_rec *t)
{
  for (uint i= 0; i < t->n_hint; i++)
    my_free(t->hint[i]);
  my_free(t->hint);
  t->hint= NULL;
  t->n_hint= 0;
}

static void tbl_free(void *r)
{
  pa_tbl_rec *t= (pa_tbl_rec *) r;
  hints_clear(t);
  my_free(t->idx);
  my_free(t->dig_avg);
  my_free(t);
}

/* Build "db\0table\0"; returns its length, 0 when it does not fit. */
static uint make_key(uchar *buf, const char *db, size_t db_len,
                     const char *name, size_t name_len)
{
  if (db_len > NAME_LEN || name_len > NAME_LEN)
    return 0;
  memcpy(buf, db, db_len);
  buf[db_len]= 0;
  memcpy(buf + db_len + 1, name, name_len);
  buf[db_len + 1 + name_len]= 0;
  return (uint) (db_len + name_len + 2);
}

static pa_tbl_rec *tbl_find(const uchar *key, uint len)
{
  mysql_mutex_assert_owner(&LOCK_pa_state);
  return (pa_tbl_rec *) my_hash_search(&pa_tables, key, len);
}

static pa_tbl_rec *tbl_get(const uchar *key, uint len)
{
  pa_tbl_rec *t= tbl_find(key, len);
  if (t)
    return t;
  if (!(t= (pa_tbl_rec *) my_malloc(key_memory_pa_state, sizeof(*t) + len,
                                    MYF(MY_ZEROFILL))))
    return NULL;
  t->key= (uchar *) (t + 1);
  memcpy(t->key, key, len);
  t->key_len= len;
  if (my_hash_insert(&pa_tables, (uchar *) t))
  {
    my_free(t);
    return NULL;
  }
  return t;
}

static pa_idx_rec *idx_find(pa_tbl_rec *t, const char *name)
{
  for (uint i= 0; i < t->n_idx; i++)
    if (!strcmp(t->idx[i].name, name))
      return &t->idx[i];
  return NULL;
}

/* Find or add an index record (fresh entry observed from now). */
static pa_idx_rec *idx_get(pa_tbl_rec *t, const char *name, int64_t now)
{
  pa_idx_rec *r= idx_find(t, name);
  if (r || strlen(name) > NAME_LEN)
    return r;
  if (t->n_idx == t->cap_idx)
  {
    uint cap= t->cap_idx ? t->cap_idx * 2 : 4;
    pa_idx_rec *n= (pa_idx_rec *) my_realloc(key_memory_pa_state, t->idx,
                                             cap * sizeof(*n),
                                             MYF(MY_ALLOW_ZERO_PTR));
    if (!n)
      return NULL;
    t->idx= n;
    t->cap_idx= cap;
  }
  r= &t->idx[t->n_idx++];
  strcpy(r->name, name);
  pa_usage_init(&r->u, now);
  return r;
}

/*
  Where the window of an object first seen through performance_schema
  begins.  performance_schema counts from the server start and lists a
  table from its first open on, so when it lost nothing its counts of a
  newly seen object cover the whole uptime; otherwise only from now.
*/
static int64_t pfs_window_start(int64_t now)
{
  mysql_mutex_assert_owner(&LOCK_pa_state);
  return pa_pfs_complete && server_start_time && server_start_time < now
             ? (int64_t) server_start_time
             : now;
}

static void tbl_entry(pa_tbl_rec *t, int64_t now)
{
  if (!t->has_entry)
  {
    pa_usage_init(&t->u, now);
    t->has_entry= true;
  }
}

/* ---------------------------------------------------------------------- */
/* Refresh from performance_schema                                         */

static int digest_ref_key_cmp(const pa_workload_ref *a,
                              const pa_workload_ref *b)
{
  int c= strcmp(a->schema, b->schema);
  return c ? c : strcmp(a->name, b->name);
}

/* Fold one read of performance_schema into the store. */
static void merge_pfs(pa_pfs_data *d, MEM_ROOT *root)
{
  int64_t now= pa_now();
  ulonglong gen;
  uchar key[NAME_LEN * 2 + 2];
  pa_workload w;
  pa_alloc a= {pa_root_alloc, root};
  bool have_w= false;

  if (d->digests_on)
    have_w= !pa_workload_build(&w, d->digests, d->n_digests,
                               lower_case_table_names != 0, &a);

  mysql_mutex_lock(&LOCK_pa_state);
  gen= ++pa_refresh_gen;
  pa_pfs_source= d->table_io_counts;
  pa_pfs_complete= d->complete;
  pa_digests_on= d->digests_on && have_w;
  my_free(pa_rules);
  pa_rules= NULL;
  pa_n_rules= 0;
  if (d->n_rules &&
      (pa_rules= (pa_pfs_object_rule *) my_malloc(
           key_memory_pa_state, d->n_rules * sizeof(*pa_rules), MYF(0))))
  {
    /* Strings stay on `root`: copy them next to the array instead. */
    size_t bytes= 0;
    char *p;
    for (size_t i= 0; i < d->n_rules; i++)
      bytes+= strlen(d->rules[i].schema) + strlen(d->rules[i].name) + 2;
    my_free(pa_rules);
    pa_rules= (pa_pfs_object_rule *) my_malloc(
        key_memory_pa_state, d->n_rules * sizeof(*pa_rules) + bytes, MYF(0));
    if (pa_rules)
    {
      p= (char *) (pa_rules + d->n_rules);
      for (size_t i= 0; i < d->n_rules; i++)
      {
        size_t ls= strlen(d->rules[i].schema) + 1;
        size_t ln= strlen(d->rules[i].name) + 1;
        memcpy(p, d->rules[i].schema, ls);
        pa_rules[i].schema= p;
        p+= ls;
        memcpy(p, d->rules[i].name, ln);
        pa_rules[i].name= p;
        p+= ln;
        pa_rules[i].enabled= d->rules[i].enabled;
      }
      pa_n_rules= d->n_rules;
    }
  }

  if (d->table_io_counts)
  {
    /* The no-index rows first: they carry the tables' full-scan reads. */
    for (size_t i= 0; i < d->n_indexes; i++)
    {
      pa_pfs_io_row *r= &d->indexes[i];
      uint len= make_key(key, r->schema, strlen(r->schema), r->name,
                         strlen(r->name));
      pa_tbl_rec *t;
      if (!len || !(t= tbl_get(key, len)))
        continue;
      if (!r->index)
      {
        t->scan_raw= r->raw[0];
        t->scan_gen= gen;
        continue;
      }
      pa_idx_rec *x= idx_get(t, r->index, pfs_window_start(now));
      if (x)
        pa_usage_observe(&x->u, PA_SRC_PFS, r->raw, now);
    }
    for (size_t i= 0; i < d->n_tables; i++)
    {
      pa_pfs_io_row *r= &d->tables[i];
      uint len= make_key(key, r->schema, strlen(r->schema), r->name,
                         strlen(r->name));
      pa_tbl_rec *t;
      if (!len || !(t= tbl_get(key, len)))
        continue;
      r->raw[2]= t->scan_gen == gen ? t->scan_raw : 0;
      tbl_entry(t, pfs_window_start(now));
      pa_usage_observe(&t->u, PA_SRC_PFS, r->raw, now);
    }
  }

  /* Digests: replace every table's list with this refresh's. */
  for (ulong i= 0; i < pa_tables.records; i++)
  {
    pa_tbl_rec *t= (pa_tbl_rec *) my_hash_element(&pa_tables, i);
    my_free(t->dig_avg);
    t->dig_avg= NULL;
    t->n_dig= 0;
    hints_clear(t);
  }
  if (pa_digests_on)
  {
    /* Index hints: a hinted index must never be called safe to drop. */
    for (size_t i= 0; i < w.n_hints; i++)
    {
      const pa_workload_hint *h= &w.hints[i];
      uint len= make_key(key, h->schema, strlen(h->schema), h->name,
                         strlen(h->name));
      pa_tbl_rec *t= len ? tbl_find(key, len) : NULL;
      bool seen= false;
      char **n;
      if (!t)
        continue;
      for (uint k= 0; k < t->n_hint && !seen; k++)
        seen= !my_strcasecmp(system_charset_info, t->hint[k], h->index);
      if (seen || !(n= (char **) my_realloc(key_memory_pa_state, t->hint,
                                            (t->n_hint + 1) * sizeof(char *),
                                            MYF(MY_ALLOW_ZERO_PTR))))
        continue;
      t->hint= n;
      if ((t->hint[t->n_hint]= my_strdup(key_memory_pa_state, h->index,
                                         MYF(0))))
        t->n_hint++;
    }
  }
  if (pa_digests_on)
  {
    size_t i= 0;
    while (i < w.n_refs)
    {
      size_t j= i + 1;
      while (j < w.n_refs && !digest_ref_key_cmp(&w.refs[i], &w.refs[j]))
        j++;
      uint len= make_key(key, w.refs[i].schema, strlen(w.refs[i].schema),
                         w.refs[i].name, strlen(w.refs[i].name));
      pa_tbl_rec *t= len ? tbl_find(key, len) : NULL;
      /* Only tables that exist in the store: a digest may name a temporary
         table, a view or a table that is gone. */
      if (t && (t->dig_avg= (uint64_t *) my_malloc(
                    key_memory_pa_state, (j - i) * sizeof(uint64_t), MYF(0))))
      {
        for (size_t k= i; k < j; k++)
          t->dig_avg[t->n_dig++]= w.digests[w.refs[k].digest].avg_ps;
      }
      i= j;
    }
  }
  pa_last_refresh_ms= pa_now_ms();
  pa_ever_refreshed= true;
  mysql_mutex_unlock(&LOCK_pa_state);
}

/*
  Take the one reader's slot.  thd: a statement, which stops waiting when
  it is killed (false: it was; the copy stays as it is); NULL: the
  snapshot thread, which waits until the slot is free.  only_if_stale:
  return false without the slot when the copy is fresh by then (the
  refresh waited for brought it up to date).
*/
static bool refresh_begin(THD *thd, bool only_if_stale)
{
  mysql_mutex_lock(&LOCK_pa_state);
  for (;;)
  {
    if (only_if_stale && pa_ever_refreshed &&
        pa_now_ms() - pa_last_refresh_ms < pa_max_staleness_ms)
    {
      mysql_mutex_unlock(&LOCK_pa_state);
      return false;
    }
    if (!pa_refreshing)
      break;
    if (!thd)
    {
      mysql_cond_wait(&COND_pa_refreshed, &LOCK_pa_state);
      continue;
    }
    PSI_stage_info old_stage;
    thd->ENTER_COND(&COND_pa_refreshed, &LOCK_pa_state,
                    &stage_pa_refresh_wait, &old_stage);
    while (pa_refreshing && !thd->killed)
      mysql_cond_wait(&COND_pa_refreshed, &LOCK_pa_state);
    thd->EXIT_COND(&old_stage);         /* unlocks LOCK_pa_state */
    if (thd->killed)
      return false;
    mysql_mutex_lock(&LOCK_pa_state);
  }
  pa_refreshing= true;
  mysql_mutex_unlock(&LOCK_pa_state);
  return true;
}

static void refresh_end()
{
  mysql_mutex_lock(&LOCK_pa_state);
  pa_refreshing= false;
  mysql_cond_broadcast(&COND_pa_refreshed);
  mysql_mutex_unlock(&LOCK_pa_state);
}

/* Read performance_schema and fold it in; the reader's slot held. */
static void refresh_locked(THD *thd)
{
  MEM_ROOT root;
  pa_pfs_data d;

  init_alloc_root(key_memory_pa_state, &root, 65536, 0, MYF(0));
  if (pa_collect_pfs(thd, &root, &d))
    merge_pfs(&d, &root);
  else if (thd && thd->killed)
  {
    /* Killed between two reads: what was read is incomplete, the copy
       stays as it was (and performance_schema is not blind). */
  }
  else
  {
    mysql_mutex_lock(&LOCK_pa_state);
    pa_pfs_source= false;
    pa_digests_on= false;
    mysql_mutex_unlock(&LOCK_pa_state);
  }
  free_root(&root, MYF(0));
}

static void refresh_if_stale(THD *thd)
{
  if (!pa_pfs_enabled(thd))
  {
    mysql_mutex_lock(&LOCK_pa_state);
    pa_pfs_source= false;
    pa_digests_on= false;
    mysql_mutex_unlock(&LOCK_pa_state);
    return;
  }
  if (refresh_begin(thd, true))
  {
    refresh_locked(thd);
    refresh_end();
  }
}

uint64_t pa_state_slow_threshold_ps()
{
  return (uint64_t) pa_slow_query_ms * 1000000000ULL;
}

/* ---------------------------------------------------------------------- */
/* Reading one table                                                       */

static void read_table(THD *thd, MEM_ROOT *root, const TABLE_SHARE *share,
                         const LEX_CSTRING *db, const LEX_CSTRING *name,
                         pa_state_table *out, uint n,
                         const char *const *index_names,
                         const uint64_t *def_hashes,
                         pa_state_index *idx_out)
{
  uchar key[NAME_LEN * 2 + 2];
  uint len= make_key(key, db->str, db->length, name->str, name->length);
  bool userstat= opt_userstat_running;
  uint64_t us_raw[3], *us_idx= NULL;
  int64_t now= pa_now();
  pa_tbl_rec *t;
  enum pa_stats_source src;

  memset((void *) out, 0, sizeof(*out));
  for (uint i= 0; i < n; i++)
    memset((void *) &idx_out[i], 0, sizeof(idx_out[i]));
  if (!len)
    return;

  mysql_mutex_lock(&LOCK_pa_state);
  src= pa_pfs_source && pa_pfs_object_enabled(pa_rules, pa_n_rules, db->str,
                                              name->str)
           ? PA_SRC_PFS
           : userstat ? PA_SRC_USERSTAT : PA_SRC_NONE;
  mysql_mutex_unlock(&LOCK_pa_state);

  if (src == PA_SRC_USERSTAT)
  {
    /* userstat's hashes are read outside our lock: they have their own. */
    us_idx= n ? (uint64_t *) alloc_root(root, n * sizeof(uint64_t)) : NULL;
    if (n && !us_idx)
      return;
    for (uint i= 0; i < n; i++)
      us_idx[i]= 0;
    pa_collect_userstat(share, us_raw, n, index_names, us_idx);
  }

  mysql_mutex_lock(&LOCK_pa_state);
  t= tbl_find(key, len);
  /*
    Absent from the store: performance_schema has not listed the table.  It
    lists a table from its first open on, so when it lost nothing and
    instruments the table, absent means untouched: start observing now.
  */
  if ((src == PA_SRC_USERSTAT || (src == PA_SRC_PFS && pa_pfs_complete)) &&
      !t)
    t= tbl_get(key, len);
  if (t && src != PA_SRC_NONE && (src == PA_SRC_USERSTAT || pa_pfs_complete ||
                                  t->has_entry))
  {
    bool fresh= !t->has_entry;
    tbl_entry(t, src == PA_SRC_PFS ? pfs_window_start(now) : now);
    if (src == PA_SRC_USERSTAT)
      pa_usage_observe(&t->u, PA_SRC_USERSTAT, us_raw, now);
    else if (fresh)
    {
      static const uint64_t zero[PA_USAGE_COUNTERS]= {0, 0, 0};
      pa_usage_observe(&t->u, PA_SRC_PFS, zero, now);
    }
    out->known= true;
  }
  else if (t && src == PA_SRC_NONE)
  {
    /*
      Blind now: whatever happens until a source is back is not seen, so an
      absence of reads proves nothing for this stretch.  Restart the
      windows (the totals, evidence of use, stay).
    */
    if (t->has_entry)
      t->u.first_seen= now;
    for (uint i= 0; i < t->n_idx; i++)
      t->idx[i].u.first_seen= now;
  }
  out->source= out->known ? src : PA_SRC_NONE;
  out->complete= out->known && (src == PA_SRC_USERSTAT || pa_pfs_complete);
  if (t && t->has_entry)
    out->table= t->u;
  else
    pa_usage_init(&out->table, now);

  if (t && n)
  {
    /* Forget indexes the table no longer has. */
    for (uint i= 0; i < t->n_idx;)
    {
      bool present= false;
      for (uint k= 0; k < n && !present; k++)
        present= !strcmp(t->idx[i].name, index_names[k]);
      if (present)
        i++;
      else
        t->idx[i]= t->idx[--t->n_idx];
    }
    for (uint i= 0; i < n; i++)
    {
      pa_idx_rec *x= idx_find(t, index_names[i]);
      if (!x && out->known)
        x= idx_get(t, index_names[i],
                   src == PA_SRC_PFS ? pfs_window_start(now) : now);
      if (!x)
        continue;
      pa_usage_set_def(&x->u, def_hashes[i], now);
      if (out->known && src == PA_SRC_USERSTAT)
      {
        uint64_t raw[PA_USAGE_COUNTERS]= {us_idx[i], us_idx[i], 0};
        pa_usage_observe(&x->u, PA_SRC_USERSTAT, raw, now);
      }
      else if (out->known && x->u.last_src == PA_USAGE_FRESH &&
               !x->u.total[0])
      {
        /* performance_schema shows an index only once it has data: an
           instrumented table's index that is not listed was not read. */
        static const uint64_t zero[PA_USAGE_COUNTERS]= {0, 0, 0};
        pa_usage_observe(&x->u, PA_SRC_PFS, zero, now);
      }
      idx_out[i].known= true;
      idx_out[i].u= x->u;
    }
  }
  out->digests_known= pa_digests_on && src == PA_SRC_PFS;
  if (t && out->digests_known && t->n_dig &&
      (out->digest_avg_ps= (uint64_t *) alloc_root(
           root, t->n_dig * sizeof(uint64_t))))
  {
    memcpy(out->digest_avg_ps, t->dig_avg, t->n_dig * sizeof(uint64_t));
    out->n_digests= t->n_dig;
  }
  if (t && t->n_hint &&
      (out->hints= (char **) alloc_root(root, t->n_hint * sizeof(char *))))
  {
    for (uint i= 0; i < t->n_hint; i++)
      if ((out->hints[out->n_hints]= strdup_root(root, t->hint[i])))
        out->n_hints++;
  }
  mysql_mutex_unlock(&LOCK_pa_state);
  (void) thd;
}

/* ---------------------------------------------------------------------- */
/* Persistence                                                             */

static void usage_path(char *buf, size_t size, const char *suffix)
{
  char name[FN_REFLEN];
  my_snprintf(name, sizeof(name), "%s%s",
              pa_usage_file && *pa_usage_file ? pa_usage_file
                                              : "perf_advisor_usage.dat",
              suffix);
  fn_format(buf, name, mysql_real_data_home, "", MY_UNPACK_FILENAME);
  (void) size;
}

struct load_ctx
{
  bool same_run;
  long loaded;
};

static int load_record(void *ctx, const char *schema, const char *table,
                       const char *index, const pa_usage_entry *e)
{
  load_ctx *lc= (load_ctx *) ctx;
  uchar key[NAME_LEN * 2 + 2];
  uint len= make_key(key, schema, strlen(schema), table, strlen(table));
  pa_tbl_rec *t;
  pa_usage_entry u= *e;

  if (!lc->same_run)
  {
    /* The server restarted: its counters began again from zero. */
    memset(u.last_raw, 0, sizeof(u.last_raw));
    u.last_src= PA_USAGE_FRESH;
  }
  if (!len || !(t= tbl_get(key, len)))
    return 0;
  if (!*index)
  {
    t->u= u;
    t->has_entry= true;
  }
  else
  {
    pa_idx_rec *x= idx_get(t, index, u.first_seen);
    if (x)
      x->u= u;
  }
  lc->loaded++;
  return 0;
}

static void load_file()
{
  char path[FN_REFLEN], bad[FN_REFLEN];
  MY_STAT st;
  File fd;
  char *buf;
  int64_t start= 0;
  load_ctx lc= {false, 0};
  long n;

  usage_path(path, sizeof(path), "");
  if (!my_stat(path, &st, MYF(0)))
    return;                                   /* first start */
  if (!(buf= (char *) my_malloc(key_memory_pa_state, (size_t) st.st_size + 1,
                                MYF(0))))
    return;
  fd= my_open(path, O_RDONLY, MYF(0));
  if (fd < 0 || my_read(fd, (uchar *) buf, (size_t) st.st_size,
                        MYF(MY_NABP)))
  {
    sql_print_warning("perf_advisor: cannot read %s: errno %d; usage "
                      "history starts empty",
                      path, my_errno);
    if (fd >= 0)
      my_close(fd, MYF(0));
    my_free(buf);
    return;
  }
  my_close(fd, MYF(0));
  if (pa_usage_parse(buf, (size_t) st.st_size, &start, NULL, NULL) < 0)
  {
    usage_path(bad, sizeof(bad), ".corrupt");
    sql_print_warning("perf_advisor: %s is damaged; kept as %s, usage "
                      "history starts empty",
                      path, bad);
    my_rename(path, bad, MYF(0));
    my_free(buf);
    return;
  }
  lc.same_run= start == (int64_t) server_start_time;
  pa_loaded_server_start= start;
  mysql_mutex_lock(&LOCK_pa_state);
  n= pa_usage_parse(buf, (size_t) st.st_size, &start, load_record, &lc);
  mysql_mutex_unlock(&LOCK_pa_state);
  my_free(buf);
  sql_print_information("perf_advisor: loaded %ld usage records from %s", n,
                        path);
}

/* Append to a growing buffer. */
struct img
{
  char *buf;
  size_t len, cap;
  bool oom;
};

static void img_reserve(img *m, size_t more)
{
  if (m->oom || m->len + more + 1 <= m->cap)
    return;
  size_t cap= (m->cap ? m->cap * 2 : 65536);
  while (cap < m->len + more + 1)
    cap*= 2;
  char *n= (char *) my_realloc(key_memory_pa_state, m->buf, cap,
                               MYF(MY_ALLOW_ZERO_PTR));
  if (!n)
  {
    m->oom= true;
    return;
  }
  m->buf= n;
  m->cap= cap;
}

static void img_record(img *m, const char *s, const char *t, const char *i,
                       const pa_usage_entry *e)
{
  size_t need= pa_usage_format_record(NULL, 0, s, t, i, e);
  img_reserve(m, need);
  if (m->oom)
    return;
  pa_usage_format_record(m->buf + m->len, m->cap - m->len, s, t, i, e);
  m->len+= need;
}

/* Write the store atomically: a temporary file, fsync, rename, fsync of
   the directory.  A crash leaves the old or the new file, never a torn one
   (and a torn one would fail the checksum and be set aside). */
static long save_file()
{
  char path[FN_REFLEN], tmp[FN_REFLEN], dir[FN_REFLEN];
  img m= {NULL, 0, 0, false};
  long records= 0, idx_records= 0;
  File fd;
  size_t dir_len;

  mysql_mutex_lock(&LOCK_pa_save);
  img_reserve(&m, 64);
  if (!m.oom)
    m.len= pa_usage_format_header(m.buf, m.cap, (int64_t) server_start_time);
  mysql_mutex_lock(&LOCK_pa_state);
  for (ulong i= 0; i < pa_tables.records && !m.oom; i++)
  {
    pa_tbl_rec *t= (pa_tbl_rec *) my_hash_element(&pa_tables, i);
    const char *db= (const char *) t->key;
    const char *tb= db + strlen(db) + 1;
    if (t->has_entry)
    {
      img_record(&m, db, tb, "", &t->u);
      records++;
    }
    for (uint k= 0; k < t->n_idx; k++)
    {
      img_record(&m, db, tb, t->idx[k].name, &t->idx[k].u);
      records++;
      idx_records++;
    }
  }
  mysql_mutex_unlock(&LOCK_pa_state);
  if (!m.oom)
  {
    uint64_t h= pa_hash_bytes(PA_HASH_SEED, m.buf, m.len);
    img_reserve(&m, 64);
    if (!m.oom)
      m.len+= pa_usage_format_trailer(m.buf + m.len, m.cap - m.len,
                                      (uint64_t) records, h);
  }
  if (m.oom)
  {
    sql_print_warning("perf_advisor: out of memory writing the usage store");
    my_free(m.buf);
    mysql_mutex_unlock(&LOCK_pa_save);
    return -1;
  }

  usage_path(path, sizeof(path), "");
  usage_path(tmp, sizeof(tmp), ".tmp");
  dirname_part(dir, path, &dir_len);
  fd= my_create(tmp, 0640, O_WRONLY | O_TRUNC, MYF(0));
  if (fd < 0 || my_write(fd, (uchar *) m.buf, m.len, MYF(MY_NABP)) ||
      my_sync(fd, MYF(0)) || my_close(fd, MYF(0)) ||
      my_rename(tmp, path, MYF(0)) || my_sync_dir(dir, MYF(0)))
  {
    sql_print_warning("perf_advisor: cannot write %s: errno %d", path,
                      my_errno);
    idx_records= -1;
  }
  my_free(m.buf);
  mysql_mutex_unlock(&LOCK_pa_save);
  return idx_records;
}

/* Forget tables that no longer exist (their definition file is gone). */
static void prune_dropped_tables()
{
  char path[FN_REFLEN];
  /* Collect keys first: file checks are I/O, not done under the lock. */
  mysql_mutex_lock(&LOCK_pa_state);
  ulong n= pa_tables.records;
  uchar **keys= (uchar **) my_malloc(key_memory_pa_state,
                                     (n ? n : 1) * sizeof(uchar *), MYF(0));
  for (ulong i= 0; keys && i < n; i++)
  {
    pa_tbl_rec *t= (pa_tbl_rec *) my_hash_element(&pa_tables, i);
    keys[i]= (uchar *) my_memdup(key_memory_pa_state, t->key, t->key_len,
                                 MYF(0));
  }
  mysql_mutex_unlock(&LOCK_pa_state);
  if (!keys)
    return;
  for (ulong i= 0; i < n; i++)
  {
    if (!keys[i])
      continue;
    const char *db= (const char *) keys[i];
    const char *tb= db + strlen(db) + 1;
    build_table_filename(path, sizeof(path) - 1, db, tb, reg_ext, 0);
    if (my_access(path, F_OK))
    {
      mysql_mutex_lock(&LOCK_pa_state);
      pa_tbl_rec *t= tbl_find(keys[i], (uint) (strlen(db) + strlen(tb) + 2));
      if (t)
        my_hash_delete(&pa_tables, (uchar *) t);
      mysql_mutex_unlock(&LOCK_pa_state);
    }
    my_free(keys[i]);
  }
  my_free(keys);
}

/* Fold every userstat counter into the store (the snapshot thread's view
   when userstat is the source). */
static void fold_userstat_all()
{
  int64_t now= pa_now();
  uchar key[NAME_LEN * 2 + 2];
  struct row
  {
    uchar key[NAME_LEN * 3 + 3];
    uint key_len;
    uint64_t a, b;
  };
  row *rows;
  ulong n;

  mysql_mutex_lock(&LOCK_global_table_stats);
  n= global_table_stats.records;
  rows= (row *) my_malloc(key_memory_pa_state, (n ? n : 1) * sizeof(row),
                          MYF(0));
  for (ulong i= 0; rows && i < n; i++)
  {
    TABLE_STATS *ts= (TABLE_STATS *) my_hash_element(&global_table_stats, i);
    rows[i].key_len= (uint) MY_MIN(ts->table_name_length, sizeof(key));
    memcpy(rows[i].key, ts->table, rows[i].key_len);
    rows[i].a= ts->rows_read;
    rows[i].b= ts->rows_changed;
  }
  mysql_mutex_unlock(&LOCK_global_table_stats);
  if (!rows)
    return;
  mysql_mutex_lock(&LOCK_pa_state);
  for (ulong i= 0; i < n; i++)
  {
    pa_tbl_rec *t= tbl_get(rows[i].key, rows[i].key_len);
    if (!t)
      continue;
    tbl_entry(t, now);
    /* full-scan reads need the index sums; the per-table read path
       computes them, here only reads and changes advance. */
    uint64_t raw[PA_USAGE_COUNTERS]= {rows[i].a, rows[i].b,
                                      t->u.last_src == PA_SRC_USERSTAT
                                          ? t->u.last_raw[2]
                                          : 0};
    pa_usage_observe(&t->u, PA_SRC_USERSTAT, raw, now);
  }
  mysql_mutex_unlock(&LOCK_pa_state);
  my_free(rows);

  mysql_mutex_lock(&LOCK_global_index_stats);
  n= global_index_stats.records;
  rows= (row *) my_malloc(key_memory_pa_state, (n ? n : 1) * sizeof(row),
                          MYF(0));
  for (ulong i= 0; rows && i < n; i++)
  {
    INDEX_STATS *is= (INDEX_STATS *) my_hash_element(&global_index_stats, i);
    rows[i].key_len= (uint) MY_MIN(is->index_name_length, sizeof(rows[i].key));
    memcpy(rows[i].key, is->index, rows[i].key_len);
    rows[i].a= is->rows_read;
  }
  mysql_mutex_unlock(&LOCK_global_index_stats);
  if (!rows)
    return;
  mysql_mutex_lock(&LOCK_pa_state);
  for (ulong i= 0; i < n; i++)
  {
    const char *db= (const char *) rows[i].key;
    size_t dl= strnlen(db, rows[i].key_len);
    if (dl + 1 >= rows[i].key_len)
      continue;
    const char *tb= db + dl + 1;
    size_t tl= strnlen(tb, rows[i].key_len - dl - 1);
    if (dl + tl + 2 >= rows[i].key_len)
      continue;
    const char *ix= tb + tl + 1;
    uint len= make_key(key, db, dl, tb, tl);
    pa_tbl_rec *t= len ? tbl_get(key, len) : NULL;
    pa_idx_rec *x= t ? idx_get(t, ix, now) : NULL;
    if (x)
    {
      uint64_t raw[PA_USAGE_COUNTERS]= {rows[i].a, rows[i].a, 0};
      pa_usage_observe(&x->u, PA_SRC_USERSTAT, raw, now);
    }
  }
  mysql_mutex_unlock(&LOCK_pa_state);
  my_free(rows);
}

static long snapshot_now(THD *thd)
{
  bool pfs= thd ? pa_pfs_enabled(thd) : pa_pfs_source;
  if (pfs)
  {
    if (refresh_begin(thd, false))
    {
      refresh_locked(thd);
      refresh_end();
    }
  }
  mysql_mutex_lock(&LOCK_pa_state);
  bool use_userstat= !pa_pfs_source && opt_userstat_running;
  mysql_mutex_unlock(&LOCK_pa_state);
  if (use_userstat)
    fold_userstat_all();
  prune_dropped_tables();
  return save_file();
}

/* ---------------------------------------------------------------------- */
/* Users of the store, and its lifetime                                    */

/*
  A statement of an I_S table or a UDF holds no reference to the plugin
  that owns the store: UNINSTALL SONAME deinitializes it while such a
  statement may still be inside.  Every entry point counts itself in
  pa_users before it checks pa_ready, and pa_state_deinit() clears pa_ready
  and then waits for pa_users to drain before freeing anything.  A user
  that sees pa_ready == 0 leaves at once and gets the "unknown" answer.
*/
static int32 pa_users;

static bool enter()
{
  my_atomic_add32(&pa_users, 1);
  if (my_atomic_load32(&pa_ready))
    return true;
  my_atomic_add32(&pa_users, -1);
  return false;
}

static void leave()
{
  my_atomic_add32(&pa_users, -1);
}

void pa_state_refresh_if_stale(THD *thd)
{
  if (!enter())
    return;
  refresh_if_stale(thd);
  leave();
}

bool pa_state_read_table(THD *thd, MEM_ROOT *root, const TABLE_SHARE *share,
                         const LEX_CSTRING *db, const LEX_CSTRING *name,
                         pa_state_table *out, uint n,
                         const char *const *index_names,
                         const uint64_t *def_hashes,
                         pa_state_index *idx_out)
{
  if (!enter())
  {
    memset((void *) out, 0, sizeof(*out));
    for (uint i= 0; i < n; i++)
      memset((void *) &idx_out[i], 0, sizeof(idx_out[i]));
    return false;
  }
  read_table(thd, root, share, db, name, out, n, index_names, def_hashes,
             idx_out);
  leave();
  return true;
}

long pa_state_snapshot_now(THD *thd)
{
  long n;
  if (!enter())
    return -1;
  n= snapshot_now(thd);
  leave();
  return n;
}

static void *snapshot_thread(void *)
{
  my_thread_init();
  mysql_mutex_lock(&LOCK_pa_thread);
  while (!pa_thread_stop)
  {
    struct timespec abstime;
    ulong interval= pa_snapshot_interval;
    set_timespec(abstime, interval ? interval : 3600);
    mysql_cond_timedwait(&COND_pa_thread, &LOCK_pa_thread, &abstime);
    /* Woken early by a new interval: snapshot now, then follow it. */
    if (pa_thread_stop || !pa_snapshot_interval)
      continue;
    mysql_mutex_unlock(&LOCK_pa_thread);
    /* No SQL while the server shuts down: its tables are going away. */
    if (!abort_loop)
      snapshot_now(NULL);
    mysql_mutex_lock(&LOCK_pa_thread);
  }
  mysql_mutex_unlock(&LOCK_pa_thread);
  my_thread_end();
  return NULL;
}

bool pa_state_ready()
{
  return my_atomic_load32(&pa_ready) != 0;
}

void pa_state_wake()
{
  mysql_mutex_lock(&LOCK_pa_thread);
  mysql_cond_signal(&COND_pa_thread);
  mysql_mutex_unlock(&LOCK_pa_thread);
}

bool pa_state_init()
{
#ifdef HAVE_PSI_INTERFACE
  mysql_mutex_register("perf_advisor", pa_mutexes, array_elements(pa_mutexes));
  mysql_cond_register("perf_advisor", pa_conds, array_elements(pa_conds));
  mysql_thread_register("perf_advisor", pa_threads,
                        array_elements(pa_threads));
  mysql_memory_register("perf_advisor", pa_memory, array_elements(pa_memory));
#endif
  mysql_mutex_init(key_LOCK_pa_state, &LOCK_pa_state, MY_MUTEX_INIT_FAST);
  mysql_mutex_init(key_LOCK_pa_save, &LOCK_pa_save, MY_MUTEX_INIT_FAST);
  mysql_mutex_init(key_LOCK_pa_thread, &LOCK_pa_thread, MY_MUTEX_INIT_FAST);
  mysql_cond_init(key_COND_pa_thread, &COND_pa_thread, NULL);
  mysql_cond_init(key_COND_pa_refreshed, &COND_pa_refreshed, NULL);
  pa_refreshing= false;
  if (my_hash_init(key_memory_pa_state, &pa_tables, &my_charset_bin, 1024, 0,
                   0, tbl_get_key, tbl_free, 0))
    return true;
  pa_ever_refreshed= false;
  load_file();
  pa_thread_stop= false;
  pa_thread_running=
      !mysql_thread_create(key_thread_pa_snapshot, &pa_thread, NULL,
                           snapshot_thread, NULL);
  if (!pa_thread_running)
    sql_print_warning("perf_advisor: cannot start the snapshot thread; "
                      "usage is saved only at shutdown");
  my_atomic_store32(&pa_ready, 1);
  return false;
}

void pa_state_deinit()
{
  my_atomic_store32(&pa_ready, 0);
  /* Statements already inside finish first (they are short: a refresh,
     a table's lookup); new ones see pa_ready == 0 and stay out. */
  while (my_atomic_load32(&pa_users) > 0)
    my_sleep(10000);
  if (pa_thread_running)
  {
    mysql_mutex_lock(&LOCK_pa_thread);
    pa_thread_stop= true;
    mysql_cond_signal(&COND_pa_thread);
    mysql_mutex_unlock(&LOCK_pa_thread);
    pthread_join(pa_thread, NULL);
    pa_thread_running= false;
  }
  /* What the last refresh saw is saved; no SQL at shutdown. */
  if (opt_userstat_running && !pa_pfs_source)
    fold_userstat_all();
  save_file();
  my_hash_free(&pa_tables);
  my_free(pa_rules);
  pa_rules= NULL;
  pa_n_rules= 0;
  mysql_cond_destroy(&COND_pa_thread);
  mysql_mutex_destroy(&LOCK_pa_thread);
  mysql_mutex_destroy(&LOCK_pa_save);
  mysql_cond_destroy(&COND_pa_refreshed);
  mysql_mutex_destroy(&LOCK_pa_state);
}
