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
  announced with ENTER_COND, so KILL signals it).  LOCK_pa_save serializes
  writers of the files.  The snapshot thread waits on COND_pa_thread under
  LOCK_pa_thread.  The change log (pa_changes) and the tables' definition
  snapshots are under LOCK_pa_state too: they change in the same refreshes
  and reads as the counters.
*/
#include "pa_state.h"

#include <my_dir.h>
#include <mysql/psi/mysql_file.h>
#include <sql_table.h>
#include <sql_connect.h>
#include <hash.h>
#include <my_atomic.h>

extern "C" {
#include "pa_sql.h"
#include "pa_text.h"
}

ulong pa_slow_query_ms;
ulong pa_snapshot_interval;
ulonglong pa_min_observation_seconds;
ulong pa_max_staleness_ms;
char *pa_usage_file;
ulonglong pa_verify_seconds;
ulong pa_verify_min_executions;
ulong pa_verify_regression_pct;
ulong pa_verify_regression_ms;

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

/* A digest of a table as the last refresh listed it. */
struct pa_dig_fig
{
  char schema[PA_IDENT_BYTES];  /* "" for NULL */
  char digest[33];
  pa_digest_figures f;
};

/* One logged change; undo and dig are my_malloc'ed. */
struct pa_chg_rec
{
  pa_change c;                  /* c.undo_sql points at undo */
  char *undo;
  pa_verify_digest *dig;
  uint n_dig;
};

/* The change log keeps at most this many changes; past it the oldest
   judged one (else the oldest) makes room. */
#define PA_STATE_MAX_CHANGES 10000

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
  pa_dig_fig *dig_fig;        /* the same digests' identities and sums */
  uint64_t scan_raw;          /* refresh scratch: the no-index COUNT_READ */
  ulonglong scan_gen;         /* refresh that set scan_raw */
  bool defs_known;            /* defs is the definition snapshot */
  uint n_defs;
  pa_index_snap *defs;        /* index definitions last seen */
  char **def_sql;             /* n_defs CREATE INDEX statements; NULL
                                 where there is none (PRIMARY, FULLTEXT,
                                 SPATIAL) */
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
static pa_chg_rec *pa_changes;       /* the change log, oldest first */
static size_t pa_n_changes, pa_cap_changes;
static uint64_t pa_next_change_id= 1;

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

static void defs_clear(pa_tbl_rec *t)
{
  for (uint i= 0; i < t->n_defs; i++)
    my_free(t->def_sql ? t->def_sql[i] : NULL);
  my_free(t->def_sql);
  my_free(t->defs);
  t->def_sql= NULL;
  t->defs= NULL;
  t->n_defs= 0;
  t->defs_known= false;
}

static void tbl_free(void *r)
{
  pa_tbl_rec *t= (pa_tbl_rec *) r;
  hints_clear(t);
  defs_clear(t);
  my_free(t->idx);
  my_free(t->dig_avg);
  my_free(t->dig_fig);
  my_free(t);
}

static void chg_free(pa_chg_rec *c)
{
  my_free(c->undo);
  my_free(c->dig);
}

static void changes_free()
{
  for (size_t i= 0; i < pa_n_changes; i++)
    chg_free(&pa_changes[i]);
  my_free(pa_changes);
  pa_changes= NULL;
  pa_n_changes= pa_cap_changes= 0;
  pa_next_change_id= 1;
}

/* Room for one more change at the end of the log; NULL when out of
   memory.  The record is zeroed. */
static pa_chg_rec *chg_append()
{
  if (pa_n_changes >= PA_STATE_MAX_CHANGES)
  {
    size_t victim= 0;
    for (size_t i= 0; i < pa_n_changes; i++)
      if (pa_changes[i].c.verdict != PA_VERDICT_PENDING)
      {
        victim= i;
        break;
      }
    chg_free(&pa_changes[victim]);
    memmove(&pa_changes[victim], &pa_changes[victim + 1],
            (pa_n_changes - victim - 1) * sizeof(*pa_changes));
    pa_n_changes--;
  }
  if (pa_n_changes == pa_cap_changes)
  {
    size_t cap= pa_cap_changes ? pa_cap_changes * 2 : 16;
    pa_chg_rec *n= (pa_chg_rec *) my_realloc(
        key_memory_pa_state, pa_changes, cap * sizeof(*n),
        MYF(MY_ALLOW_ZERO_PTR));
    if (!n)
      return NULL;
    pa_changes= n;
    pa_cap_changes= cap;
  }
  pa_chg_rec *c= &pa_changes[pa_n_changes++];
  memset((void *) c, 0, sizeof(*c));
  return c;
}

/* Keep a copy of sql as the change's undo ("" when NULL). */
static bool chg_set_undo(pa_chg_rec *c, const char *sql)
{
  my_free(c->undo);
  c->undo= my_strdup(key_memory_pa_state, sql ? sql : "", MYF(0));
  c->c.undo_sql= c->undo ? c->undo : "";
  return c->undo != NULL;
}

/* One more digest at the end of c's list; NULL when out of memory. */
static pa_verify_digest *chg_add_digest(pa_chg_rec *c)
{
  pa_verify_digest *n= (pa_verify_digest *) my_realloc(
      key_memory_pa_state, c->dig, (c->n_dig + 1) * sizeof(*n),
      MYF(MY_ALLOW_ZERO_PTR));
  if (!n)
    return NULL;
  c->dig= n;
  return &c->dig[c->n_dig++];
}

void pa_state_verify_thresholds(pa_verify_thresholds *t)
{
  t->min_executions= pa_verify_min_executions;
  t->regression_pct= (double) pa_verify_regression_pct;
  t->regression_ps= (uint64_t) pa_verify_regression_ms * 1000000000ULL;
  t->window_seconds= pa_verify_seconds;
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

/* The figures of digest (schema, digest) among t's, or NULL. */
static const pa_digest_figures *dig_find(const pa_tbl_rec *t,
                                         const char *schema,
                                         const char *digest)
{
  for (uint i= 0; t->dig_fig && i < t->n_dig; i++)
    if (!strcmp(t->dig_fig[i].digest, digest) &&
        !strcmp(t->dig_fig[i].schema, schema))
      return &t->dig_fig[i].f;
  return NULL;
}

static bool chg_has_digest(const pa_chg_rec *c, const pa_dig_fig *f)
{
  for (uint k= 0; k < c->n_dig; k++)
    if (!strcmp(c->dig[k].digest, f->digest) &&
        !strcmp(c->dig[k].schema, f->schema))
      return true;
  return false;
}

/*
  Fold the digests of this refresh into every pending change and judge
  it.  A digest of the table that the change does not follow yet is a
  statement first run since the change (it counts for "broke").  full:
  performance_schema's digest table is full, so a digest it no longer
  lists was evicted; otherwise an absent digest just has not run since
  the sums started again (a restart, a TRUNCATE).
*/
static void verify_observe_all(int64_t now, bool full)
{
  uchar key[NAME_LEN * 2 + 2];
  pa_verify_thresholds th;

  mysql_mutex_assert_owner(&LOCK_pa_state);
  pa_state_verify_thresholds(&th);
  for (size_t i= 0; i < pa_n_changes; i++)
  {
    pa_chg_rec *c= &pa_changes[i];
    pa_verify_result r;
    uint len;
    pa_tbl_rec *t;
    if (c->c.verdict != PA_VERDICT_PENDING)
      continue;
    len= make_key(key, c->c.schema, strlen(c->c.schema), c->c.table,
                  strlen(c->c.table));
    if (!len || !(t= tbl_find(key, len)))
      continue;
    for (uint k= 0; k < c->n_dig; k++)
    {
      const pa_digest_figures *f=
          dig_find(t, c->dig[k].schema, c->dig[k].digest);
      if (f || full)
        pa_verify_observe(&c->dig[k], f);
    }
    for (uint k= 0; t->dig_fig && k < t->n_dig; k++)
    {
      pa_verify_digest *nd;
      if (chg_has_digest(c, &t->dig_fig[k]) || !(nd= chg_add_digest(c)))
        continue;
      pa_verify_digest_init_new(nd, t->dig_fig[k].schema,
                                t->dig_fig[k].digest, &t->dig_fig[k].f);
    }
    pa_verify_judge(c->dig, c->n_dig, c->c.changed_at, now, &th, &r);
    c->c.verdict= r.verdict;
    c->c.reason= r.reason;
    if (r.verdict != PA_VERDICT_PENDING)
      c->c.verdict_at= now;
  }
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
    my_free(t->dig_fig);
    t->dig_avg= NULL;
    t->dig_fig= NULL;
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
        t->dig_fig= (pa_dig_fig *) my_malloc(
            key_memory_pa_state, (j - i) * sizeof(pa_dig_fig), MYF(0));
        for (size_t k= i; k < j; k++)
        {
          size_t pos= w.refs[k].digest;
          t->dig_avg[t->n_dig]= w.digests[pos].avg_ps;
          if (t->dig_fig)
          {
            pa_dig_fig *f= &t->dig_fig[t->n_dig];
            const char *sch= w.digests[pos].schema;
            strmake(f->schema, sch ? sch : "", sizeof(f->schema) - 1);
            strmake(f->digest, d->digest_ids[pos].digest,
                    sizeof(f->digest) - 1);
            f->f= d->digest_ids[pos].fig;
          }
          t->n_dig++;
        }
      }
      i= j;
    }
    /* The digest table keeps one more row for what did not fit. */
    verify_observe_all(now, d->digests_size &&
                                d->n_digests + 1 >= d->digests_size);
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

/* The definition snapshot of t is snap (n indexes), in the same order. */
static bool defs_same(const pa_tbl_rec *t, uint n, const pa_index_snap *snap)
{
  if (!t->defs_known || t->n_defs != n)
    return false;
  for (uint i= 0; i < n; i++)
    if (t->defs[i].fingerprint != snap[i].fingerprint ||
        !t->defs[i].ignored != !snap[i].ignored ||
        strcmp(t->defs[i].name, snap[i].name))
      return false;
  return true;
}

/* Replace t's definition snapshot with snap and its CREATE statements. */
static bool defs_take(pa_tbl_rec *t, uint n, const pa_index_snap *snap,
                      char *const *create_sql)
{
  defs_clear(t);
  if (n && (!(t->defs= (pa_index_snap *) my_malloc(
                  key_memory_pa_state, n * sizeof(*t->defs), MYF(0))) ||
            !(t->def_sql= (char **) my_malloc(key_memory_pa_state,
                                              n * sizeof(char *),
                                              MYF(MY_ZEROFILL)))))
  {
    defs_clear(t);
    return false;
  }
  for (uint i= 0; i < n; i++)
  {
    t->defs[i]= snap[i];
    if (create_sql[i])
      t->def_sql[i]= my_strdup(key_memory_pa_state, create_sql[i], MYF(0));
  }
  t->n_defs= n;
  t->defs_known= true;
  return true;
}

/*
  Log the differences between the table's definition snapshot and its n
  definitions now (defs, fingerprints def_hashes), then make these the
  snapshot.  Called without LOCK_pa_state: the statements are built on
  root first; under the lock the snapshot is compared again, so two
  statements that see the same change log it once.
*/
static void record_changes(MEM_ROOT *root, const LEX_CSTRING *db,
                           const LEX_CSTRING *name, uint n,
                           const pa_index_def *defs,
                           const pa_index_snap *snap, int64_t now)
{
  pa_alloc a= {pa_root_alloc, root};
  uchar key[NAME_LEN * 2 + 2];
  uint len= make_key(key, db->str, db->length, name->str, name->length);
  char **create_sql;
  pa_index_event *ev;
  pa_tbl_rec *t;
  int n_ev;

  if (!len ||
      !(create_sql= (char **) alloc_root(root, (n + 1) * sizeof(char *))) ||
      !(ev= (pa_index_event *) alloc_root(
            root, (2 * (PA_TABLE_MAX_INDEXES + n) + 1) * sizeof(*ev))))
    return;
  for (uint i= 0; i < n; i++)
  {
    const pa_index_def *d= &defs[i];
    /* FULLTEXT and SPATIAL need their keyword, a primary key ADD PRIMARY
       KEY: none of them is undone by CREATE INDEX. */
    create_sql[i]= !d->is_primary && (d->type == PA_IDX_BTREE ||
                                      d->type == PA_IDX_HASH)
                       ? pa_sql_create_index(&a, db->str, name->str,
                                             d->name, d->cols, d->n_cols,
                                             d->is_unique)
                       : NULL;
  }

  mysql_mutex_lock(&LOCK_pa_state);
  if (!(t= tbl_get(key, len)) || defs_same(t, n, snap))
    goto end;
  if (!t->defs_known)
  {
    /* The first look at the table: its snapshot, nothing to compare. */
    defs_take(t, n, snap, create_sql);
    goto end;
  }
  n_ev= pa_verify_diff(t->defs, (int) t->n_defs, snap, (int) n, ev,
                       (int) (2 * (PA_TABLE_MAX_INDEXES + n)));
  for (int e= 0; e < n_ev; e++)
  {
    const pa_index_event *x= &ev[e];
    const char *index= x->after >= 0 ? snap[x->after].name
                                     : t->defs[x->before].name;
    const char *undo= NULL;
    pa_chg_rec *c;
    switch (x->kind)
    {
    case PA_CHANGE_CREATED:
    case PA_CHANGE_NOT_IGNORED:
      undo= defs[x->after].is_primary
                ? NULL
                : pa_sql_alter_index_ignored(&a, db->str, name->str, index,
                                             1);
      break;
    case PA_CHANGE_IGNORED:
      undo= pa_sql_alter_index_ignored(&a, db->str, name->str, index, 0);
      break;
    case PA_CHANGE_DROPPED:
      undo= t->def_sql ? t->def_sql[x->before] : NULL;
      break;
    }
    if (!(c= chg_append()))
      break;
    c->c.id= pa_next_change_id++;
    c->c.changed_at= now;
    strmake(c->c.schema, db->str, sizeof(c->c.schema) - 1);
    strmake(c->c.table, name->str, sizeof(c->c.table) - 1);
    strmake(c->c.index, index, sizeof(c->c.index) - 1);
    c->c.kind= x->kind;
    c->c.verdict= PA_VERDICT_PENDING;
    c->c.reason= t->n_dig ? PA_PENDING_FEW_EXECUTIONS
                          : PA_PENDING_NO_STATEMENTS;
    chg_set_undo(c, undo);
    /* The table's digests as they are now: the "before". */
    if (t->dig_fig && t->n_dig &&
        (c->dig= (pa_verify_digest *) my_malloc(
             key_memory_pa_state, t->n_dig * sizeof(*c->dig), MYF(0))))
    {
      for (uint k= 0; k < t->n_dig; k++)
        pa_verify_digest_init(&c->dig[k], t->dig_fig[k].schema,
                              t->dig_fig[k].digest, &t->dig_fig[k].f);
      c->n_dig= t->n_dig;
    }
  }
  defs_take(t, n, snap, create_sql);
end:
  mysql_mutex_unlock(&LOCK_pa_state);
}

static void read_table(THD *thd, MEM_ROOT *root, const TABLE_SHARE *share,
                         const LEX_CSTRING *db, const LEX_CSTRING *name,
                         pa_state_table *out, uint n,
                         const char *const *index_names,
                         const uint64_t *def_hashes,
                         const pa_index_def *defs,
                         pa_state_index *idx_out)
{
  pa_index_snap *snap= NULL;
  bool defs_changed= false;
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
  if (defs && (snap= (pa_index_snap *) alloc_root(
                   root, (n ? n : 1) * sizeof(pa_index_snap))))
  {
    for (uint i= 0; i < n; i++)
    {
      strmake(snap[i].name, defs[i].name, sizeof(snap[i].name) - 1);
      snap[i].fingerprint= def_hashes[i];
      snap[i].ignored= defs[i].is_ignored;
    }
  }

  mysql_mutex_lock(&LOCK_pa_state);
  src= pa_stats_choose(pa_pfs_source,
                       pa_pfs_object_enabled(pa_rules, pa_n_rules, db->str,
                                             name->str),
                       userstat);
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
  defs_changed= snap && (!t || !defs_same(t, n, snap));
  mysql_mutex_unlock(&LOCK_pa_state);
  if (defs_changed)
    record_changes(root, db, name, n, defs, snap, now);
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

/*
  The whole file at path, NUL-terminated, in *len bytes; NULL when there is
  none (first start) or it cannot be read (a warning, saying that `what`
  starts empty).  my_free() it.
*/
static char *read_whole(const char *path, const char *what, size_t *len)
{
  MY_STAT st;
  File fd;
  char *buf;

  if (!my_stat(path, &st, MYF(0)))
    return NULL;
  if (!(buf= (char *) my_malloc(key_memory_pa_state, (size_t) st.st_size + 1,
                                MYF(0))))
    return NULL;
  fd= my_open(path, O_RDONLY, MYF(0));
  if (fd < 0 || my_read(fd, (uchar *) buf, (size_t) st.st_size,
                        MYF(MY_NABP)))
  {
    sql_print_warning("perf_advisor: cannot read %s: errno %d; %s starts "
                      "empty",
                      path, my_errno, what);
    if (fd >= 0)
      my_close(fd, MYF(0));
    my_free(buf);
    return NULL;
  }
  my_close(fd, MYF(0));
  buf[st.st_size]= 0;
  *len= (size_t) st.st_size;
  return buf;
}

/* A damaged file is set aside as <file>.corrupt, with a warning. */
static void set_aside(const char *path, const char *what)
{
  char bad[FN_REFLEN];
  strxnmov(bad, sizeof(bad) - 1, path, ".corrupt", NullS);
  sql_print_warning("perf_advisor: %s is damaged; kept as %s, %s starts "
                    "empty",
                    path, bad, what);
  my_rename(path, bad, MYF(0));
}

static void load_file()
{
  char path[FN_REFLEN];
  size_t len;
  char *buf;
  int64_t start= 0;
  load_ctx lc= {false, 0};
  long n;

  usage_path(path, sizeof(path), "");
  if (!(buf= read_whole(path, "usage history", &len)))
    return;
  if (pa_usage_parse(buf, len, &start, NULL, NULL) < 0)
  {
    set_aside(path, "usage history");
    my_free(buf);
    return;
  }
  lc.same_run= start == (int64_t) server_start_time;
  pa_loaded_server_start= start;
  mysql_mutex_lock(&LOCK_pa_state);
  n= pa_usage_parse(buf, len, &start, load_record, &lc);
  mysql_mutex_unlock(&LOCK_pa_state);
  my_free(buf);
  sql_print_information("perf_advisor: loaded %ld usage records from %s", n,
                        path);
}

/* Loading the change log and the definition snapshots. */
struct changes_ctx
{
  bool same_run;
  pa_chg_rec *last;
};

static int load_def(void *ctx, const char *schema, const char *table,
                    const pa_index_snap *snap, const char *create_sql)
{
  uchar key[NAME_LEN * 2 + 2];
  uint len= make_key(key, schema, strlen(schema), table, strlen(table));
  pa_tbl_rec *t;
  (void) ctx;
  if (!len || !(t= tbl_get(key, len)))
    return 0;
  if (!snap)
  {
    defs_clear(t);
    t->defs_known= true;
    return 0;
  }
  pa_index_snap *d= (pa_index_snap *) my_realloc(
      key_memory_pa_state, t->defs, (t->n_defs + 1) * sizeof(*d),
      MYF(MY_ALLOW_ZERO_PTR));
  if (!d)
    return 0;
  t->defs= d;
  char **q= (char **) my_realloc(key_memory_pa_state, t->def_sql,
                                 (t->n_defs + 1) * sizeof(char *),
                                 MYF(MY_ALLOW_ZERO_PTR));
  if (!q)
    return 0;
  t->def_sql= q;
  t->defs[t->n_defs]= *snap;
  t->def_sql[t->n_defs]=
      *create_sql ? my_strdup(key_memory_pa_state, create_sql, MYF(0))
                  : NULL;
  t->n_defs++;
  return 0;
}

static int load_change(void *ctx, const pa_change *c)
{
  changes_ctx *cc= (changes_ctx *) ctx;
  pa_chg_rec *r= chg_append();
  cc->last= r;
  if (!r)
    return 0;
  r->c= *c;
  chg_set_undo(r, c->undo_sql);
  return 0;
}

static int load_digest(void *ctx, const pa_verify_digest *d)
{
  changes_ctx *cc= (changes_ctx *) ctx;
  pa_verify_digest *nd;
  if (!cc->last || !(nd= chg_add_digest(cc->last)))
    return 0;
  *nd= *d;
  /* The server restarted: its digest sums began again from zero. */
  if (!cc->same_run)
    pa_verify_digest_restarted(nd);
  return 0;
}

static void load_changes()
{
  char path[FN_REFLEN];
  size_t len;
  char *buf;
  int64_t start= 0;
  uint64_t next_id= 1;
  changes_ctx cc= {false, NULL};
  pa_verify_sink sink= {load_def, load_change, load_digest, &cc};
  long n;

  usage_path(path, sizeof(path), ".changes");
  if (!(buf= read_whole(path, "the index change log", &len)))
    return;
  if (pa_verify_parse(buf, len, &start, &next_id, NULL) < 0)
  {
    set_aside(path, "the index change log");
    my_free(buf);
    return;
  }
  cc.same_run= start == (int64_t) server_start_time;
  mysql_mutex_lock(&LOCK_pa_state);
  n= pa_verify_parse(buf, len, &start, &next_id, &sink);
  pa_next_change_id= next_id;
  mysql_mutex_unlock(&LOCK_pa_state);
  my_free(buf);
  sql_print_information("perf_advisor: loaded %ld index change records "
                        "from %s",
                        n, path);
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

/* Append what fmt writes: fmt(buf, size) returns the length it needs. */
template <typename F> static void img_put(img *m, F fmt)
{
  size_t need= fmt(NULL, 0);
  img_reserve(m, need);
  if (m->oom)
    return;
  fmt(m->buf + m->len, m->cap - m->len);
  m->len+= need;
}

/* The trailer of an image of `records` records. */
static void img_trailer(img *m, long records)
{
  if (m->oom)
    return;
  uint64_t h= pa_hash_bytes(PA_HASH_SEED, m->buf, m->len);
  img_put(m, [&](char *b, size_t n) {
    return pa_usage_format_trailer(b, n, (uint64_t) records, h);
  });
}

/* The change log and the definition snapshots; under LOCK_pa_state. */
static void changes_image(img *m)
{
  long records= 0;
  mysql_mutex_assert_owner(&LOCK_pa_state);
  img_put(m, [&](char *b, size_t n) {
    return pa_verify_format_header(b, n, (int64_t) server_start_time,
                                   pa_next_change_id);
  });
  for (ulong i= 0; i < pa_tables.records && !m->oom; i++)
  {
    pa_tbl_rec *t= (pa_tbl_rec *) my_hash_element(&pa_tables, i);
    const char *db= (const char *) t->key;
    const char *tb= db + strlen(db) + 1;
    if (!t->defs_known)
      continue;
    img_put(m, [&](char *b, size_t n) {
      return pa_verify_format_def(b, n, db, tb, NULL, NULL);
    });
    records++;
    for (uint k= 0; k < t->n_defs; k++, records++)
      img_put(m, [&](char *b, size_t n) {
        return pa_verify_format_def(b, n, db, tb, &t->defs[k],
                                    t->def_sql[k] ? t->def_sql[k] : "");
      });
  }
  for (size_t i= 0; i < pa_n_changes && !m->oom; i++)
  {
    const pa_chg_rec *c= &pa_changes[i];
    img_put(m, [&](char *b, size_t n) {
      return pa_verify_format_change(b, n, &c->c);
    });
    records++;
    for (uint k= 0; k < c->n_dig; k++, records++)
      img_put(m, [&](char *b, size_t n) {
        return pa_verify_format_digest(b, n, &c->dig[k]);
      });
  }
  img_trailer(m, records);
}

/*
  Write image m to the file at usage_path(suffix) atomically: a temporary
  file, fsync, rename, fsync of the directory.  A crash leaves the old or
  the new file, never a torn one (and a torn one would fail the checksum
  and be set aside).  false on failure (logged).
*/
static bool write_image(const char *suffix, const img *m)
{
  char path[FN_REFLEN], tmp[FN_REFLEN], tmp_suffix[32], dir[FN_REFLEN];
  size_t dir_len;
  File fd;

  strxnmov(tmp_suffix, sizeof(tmp_suffix) - 1, suffix, ".tmp", NullS);
  usage_path(path, sizeof(path), suffix);
  usage_path(tmp, sizeof(tmp), tmp_suffix);
  dirname_part(dir, path, &dir_len);
  fd= my_create(tmp, 0640, O_WRONLY | O_TRUNC, MYF(0));
  if (fd < 0 || my_write(fd, (uchar *) m->buf, m->len, MYF(MY_NABP)) ||
      my_sync(fd, MYF(0)) || my_close(fd, MYF(0)) ||
      my_rename(tmp, path, MYF(0)) || my_sync_dir(dir, MYF(0)))
  {
    sql_print_warning("perf_advisor: cannot write %s: errno %d", path,
                      my_errno);
    return false;
  }
  return true;
}

/* Write the store: the usage file, then the change log. */
static long save_file()
{
  img m= {NULL, 0, 0, false}, ch= {NULL, 0, 0, false};
  long records= 0, idx_records= 0;

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
  changes_image(&ch);
  mysql_mutex_unlock(&LOCK_pa_state);
  img_trailer(&m, records);
  if (m.oom || ch.oom)
  {
    sql_print_warning("perf_advisor: out of memory writing the usage store");
    my_free(m.buf);
    my_free(ch.buf);
    mysql_mutex_unlock(&LOCK_pa_save);
    return -1;
  }
  if (!write_image("", &m) || !write_image(".changes", &ch))
    idx_records= -1;
  my_free(m.buf);
  my_free(ch.buf);
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
      /* Its changes go with it: a table created again under the name
         starts a log of its own. */
      size_t kept= 0;
      for (size_t k= 0; k < pa_n_changes; k++)
      {
        if (!strcmp(pa_changes[k].c.schema, db) &&
            !strcmp(pa_changes[k].c.table, tb))
          chg_free(&pa_changes[k]);
        else
          pa_changes[kept++]= pa_changes[k];
      }
      pa_n_changes= kept;
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
                         const pa_index_def *defs,
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
             defs, idx_out);
  leave();
  return true;
}

static bool table_changes(const LEX_CSTRING *db, const LEX_CSTRING *name,
                          MEM_ROOT *root, pa_state_change **out, uint *n)
{
  bool ok= true;
  uint k= 0, want= 0;

  mysql_mutex_lock(&LOCK_pa_state);
  for (size_t i= 0; i < pa_n_changes; i++)
    if (!strcmp(pa_changes[i].c.schema, db->str) &&
        !strcmp(pa_changes[i].c.table, name->str))
      want++;
  if (want && !(*out= (pa_state_change *) alloc_root(
                    root, want * sizeof(pa_state_change))))
    ok= false;
  for (size_t i= 0; ok && i < pa_n_changes; i++)
  {
    const pa_chg_rec *c= &pa_changes[i];
    pa_state_change *o;
    if (strcmp(c->c.schema, db->str) || strcmp(c->c.table, name->str))
      continue;
    o= &(*out)[k];
    o->c= c->c;
    o->c.undo_sql= strdup_root(root, c->c.undo_sql ? c->c.undo_sql : "");
    o->n_digests= c->n_dig;
    o->digests= c->n_dig ? (pa_verify_digest *) memdup_root(
                               root, c->dig, c->n_dig * sizeof(*c->dig))
                         : NULL;
    if (!o->c.undo_sql || (c->n_dig && !o->digests))
    {
      ok= false;
      break;
    }
    o->latest= true;
    for (size_t j= i + 1; j < pa_n_changes && o->latest; j++)
      o->latest= !(!strcmp(pa_changes[j].c.schema, c->c.schema) &&
                   !strcmp(pa_changes[j].c.table, c->c.table) &&
                   pa_ascii_ieq(pa_changes[j].c.index, c->c.index));
    k++;
  }
  mysql_mutex_unlock(&LOCK_pa_state);
  *n= ok ? k : 0;
  return ok;
}

bool pa_state_table_changes(const LEX_CSTRING *db, const LEX_CSTRING *name,
                            MEM_ROOT *root, pa_state_change **out, uint *n)
{
  bool ok;
  *n= 0;
  *out= NULL;
  if (!enter())
    return false;
  ok= table_changes(db, name, root, out, n);
  leave();
  return ok;
}

uint64_t pa_state_record_applied(const char *db, const char *table,
                                 const char *index, enum pa_change_kind kind,
                                 uint64_t after_id, const char *rec_id)
{
  uint64_t id= 0;
  if (!enter())
    return 0;
  mysql_mutex_lock(&LOCK_pa_state);
  /* The newest change of the index decides: the statement just run is the
     last thing that happened to it, or it changed nothing. */
  for (size_t i= pa_n_changes; i-- > 0;)
  {
    pa_chg_rec *c= &pa_changes[i];
    /* Index names compare as the server compares them (case-insensitive
       beyond ASCII): the caller may spell the name as its statement did. */
    if (strcmp(c->c.schema, db) || strcmp(c->c.table, table) ||
        my_strcasecmp(system_charset_info, c->c.index, index))
      continue;
    if (c->c.id > after_id && c->c.kind == kind &&
        (!c->c.rec_id[0] || !strcmp(c->c.rec_id, rec_id)))
    {
      strmake(c->c.rec_id, rec_id, sizeof(c->c.rec_id) - 1);
      id= c->c.id;
    }
    break;
  }
  mysql_mutex_unlock(&LOCK_pa_state);
  leave();
  return id;
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
  load_changes();
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
  changes_free();
  my_free(pa_rules);
  pa_rules= NULL;
  pa_n_rules= 0;
  mysql_cond_destroy(&COND_pa_thread);
  mysql_mutex_destroy(&LOCK_pa_thread);
  mysql_mutex_destroy(&LOCK_pa_save);
  mysql_cond_destroy(&COND_pa_refreshed);
  mysql_mutex_destroy(&LOCK_pa_state);
}
