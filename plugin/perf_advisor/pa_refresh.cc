/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: the usage store's writers fed by the live sources — the
  performance_schema merge, the userstat fold, the observation of one
  table before a statement reads it, and the verification observation
  (definition changes logged, pending changes judged).

  Locking: the writers here take LOCK_pa_state (pa_store.h) for their
  in-memory work only; performance_schema is read (SQL) and userstat's
  hashes are copied (under their own locks) before it is taken.  One
  reader of performance_schema at a time: pa_refreshing, under
  LOCK_pa_state, marks the slot taken; concurrent statements wait on
  COND_pa_refreshed for that one refresh instead of each running their
  own, and a statement killed while it waits stops waiting at once (the
  wait is announced with ENTER_COND, so KILL signals it).

  Digests read once: when the reader is a statement that will use the
  statement digests itself (pa_stmt_refresh), the digest rows go onto that
  statement's memory root (its own thread's; read outside LOCK_pa_state
  like everything else), are indexed once there, merged under the lock,
  and handed to the statement when the slot is given back.  The store
  keeps copies of what it needs from them (pa_dig_fig, dig_avg, hints),
  never pointers, so the rows may live exactly as long as the statement.
  A statement that waited for another reader, or found the copy fresh,
  gets nothing and reads the digests itself; the snapshot thread hands
  nothing over.
*/
#include "pa_store.h"
#include "pa_stmt.h"

#include <sql_connect.h>

static mysql_cond_t COND_pa_refreshed;
/* Under LOCK_pa_state. */
static bool pa_refreshing;           /* a reader of the live source runs */
static ulonglong pa_last_refresh_ms; /* when the last merge ended */
static bool pa_ever_refreshed;
static ulonglong pa_refresh_gen;     /* merges so far */
static PSI_stage_info stage_pa_refresh_wait= {
    0, "Waiting for perf_advisor to read performance_schema", 0};

bool pa_refresh_init()
{
  mysql_cond_init(key_COND_pa_refreshed, &COND_pa_refreshed, NULL);
  pa_refreshing= false;
  pa_ever_refreshed= false;
  return false;
}

void pa_refresh_deinit()
{
  mysql_cond_destroy(&COND_pa_refreshed);
}

/* Where the window of an object first seen through performance_schema
   begins (pa_usage_pfs_window_start). */
static int64_t pfs_window_start(int64_t now)
{
  mysql_mutex_assert_owner(&LOCK_pa_state);
  return pa_usage_pfs_window_start(pa_pfs_complete,
                                   (int64_t) server_start_time, now);
}

/* ---------------------------------------------------------------------- */
/* Verification observation                                                */

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
  uchar key[PA_STORE_KEY_BYTES];
  pa_verify_thresholds th;
  pa_settings set;

  mysql_mutex_assert_owner(&LOCK_pa_state);
  pa_settings_read(&set, NULL);
  pa_settings_verify(&set, &th);
  for (size_t i= 0; i < pa_n_changes; i++)
  {
    pa_chg_rec *c= &pa_changes[i];
    pa_verify_result r;
    uint len;
    pa_tbl_rec *t;
    if (c->c.verdict != PA_VERDICT_PENDING)
      continue;
    len= pa_store_key(key, c->c.schema, strlen(c->c.schema), c->c.table,
                      strlen(c->c.table));
    if (!len || !(t= pa_store_tbl_find(key, len)))
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
      if (chg_has_digest(c, &t->dig_fig[k]) ||
          !(nd= pa_store_chg_add_digest(c)))
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

/*
  Append a change of kind `kind` to index `index` of table t (db.name) to
  the log, with its undo statement and the table's digests as they are
  now (the "before").  false when out of memory.
*/
static bool log_change(const pa_tbl_rec *t, const char *db,
                       const char *name, enum pa_change_kind kind,
                       const char *index, const char *undo, int64_t now)
{
  pa_chg_rec *c= pa_store_chg_append();

  mysql_mutex_assert_owner(&LOCK_pa_state);
  if (!c)
    return false;
  c->c.id= pa_next_change_id++;
  c->c.changed_at= now;
  strmake(c->c.schema, db, sizeof(c->c.schema) - 1);
  strmake(c->c.table, name, sizeof(c->c.table) - 1);
  strmake(c->c.index, index, sizeof(c->c.index) - 1);
  c->c.kind= kind;
  c->c.verdict= PA_VERDICT_PENDING;
  c->c.reason= t->n_dig ? PA_PENDING_FEW_EXECUTIONS : PA_PENDING_NO_STATEMENTS;
  pa_store_chg_set_undo(c, undo);
  if (t->dig_fig && t->n_dig &&
      (c->dig= (pa_verify_digest *) my_malloc(
           key_memory_pa_state, t->n_dig * sizeof(*c->dig), MYF(0))))
  {
    for (uint k= 0; k < t->n_dig; k++)
      pa_verify_digest_init(&c->dig[k], t->dig_fig[k].schema,
                            t->dig_fig[k].digest, &t->dig_fig[k].f);
    c->n_dig= t->n_dig;
  }
  return true;
}

void pa_refresh_defs(MEM_ROOT *root, const LEX_CSTRING *db,
                     const LEX_CSTRING *name, uint n,
                     const pa_index_def *defs, const pa_index_snap *snap,
                     int64_t now)
{
  pa_alloc a= {pa_root_alloc, root};
  uchar key[PA_STORE_KEY_BYTES];
  uint len= pa_store_key(key, db->str, db->length, name->str, name->length);
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
    create_sql[i]= pa_verify_recreate_sql(&a, db->str, name->str, &defs[i]);

  mysql_mutex_lock(&LOCK_pa_state);
  if (!(t= pa_store_tbl_get(key, len)) || pa_store_defs_same(t, n, snap))
    goto end;
  if (!t->defs_known)
  {
    /* The first look at the table: its snapshot, nothing to compare. */
    pa_store_defs_take(t, n, snap, create_sql);
    goto end;
  }
  n_ev= pa_verify_diff(t->defs, (int) t->n_defs, snap, (int) n, ev,
                       (int) (2 * (PA_TABLE_MAX_INDEXES + n)));
  for (int e= 0; e < n_ev; e++)
  {
    const pa_index_event *x= &ev[e];
    const char *index= x->after >= 0 ? snap[x->after].name
                                     : t->defs[x->before].name;
    const char *undo= pa_verify_undo_sql(
        &a, db->str, name->str, x->kind, index,
        x->after >= 0 && defs[x->after].is_primary,
        x->before >= 0 && t->def_sql ? t->def_sql[x->before] : NULL);
    if (!log_change(t, db->str, name->str, x->kind, index, undo, now))
      break;
  }
  pa_store_defs_take(t, n, snap, create_sql);
end:
  mysql_mutex_unlock(&LOCK_pa_state);
}

/* ---------------------------------------------------------------------- */
/* The performance_schema merge                                            */

static int digest_ref_key_cmp(const pa_workload_ref *a,
                              const pa_workload_ref *b)
{
  int c= strcmp(a->schema, b->schema);
  return c ? c : strcmp(a->name, b->name);
}

/* Keep a copy of setup_objects' rules d->rules, strings and all: they are
   on the refresh's root. */
static void take_rules(const pa_pfs_data *d)
{
  mysql_mutex_assert_owner(&LOCK_pa_state);
  my_free(pa_rules);
  pa_rules= NULL;
  pa_n_rules= 0;
  if (!d->n_rules)
    return;
  size_t bytes= 0;
  char *p;
  for (size_t i= 0; i < d->n_rules; i++)
    bytes+= strlen(d->rules[i].schema) + strlen(d->rules[i].name) + 2;
  pa_rules= (pa_pfs_object_rule *) my_malloc(
      key_memory_pa_state, d->n_rules * sizeof(*pa_rules) + bytes, MYF(0));
  if (!pa_rules)
    return;
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

/* Fold the table and index I/O rows of refresh gen into the store. */
static void merge_io(pa_pfs_data *d, ulonglong gen, int64_t now)
{
  uchar key[PA_STORE_KEY_BYTES];

  mysql_mutex_assert_owner(&LOCK_pa_state);
  /* The no-index rows first: they carry the tables' full-scan reads. */
  for (size_t i= 0; i < d->n_indexes; i++)
  {
    pa_pfs_io_row *r= &d->indexes[i];
    uint len= pa_store_key(key, r->schema, strlen(r->schema), r->name,
                           strlen(r->name));
    pa_tbl_rec *t;
    if (!len || !(t= pa_store_tbl_get(key, len)))
      continue;
    if (!r->index)
    {
      t->scan_raw= r->raw[0];
      t->scan_gen= gen;
      continue;
    }
    pa_idx_rec *x= pa_store_idx_get(t, r->index, pfs_window_start(now));
    if (x)
      pa_usage_observe(&x->u, PA_SRC_PFS, r->raw, now);
  }
  for (size_t i= 0; i < d->n_tables; i++)
  {
    pa_pfs_io_row *r= &d->tables[i];
    uint len= pa_store_key(key, r->schema, strlen(r->schema), r->name,
                           strlen(r->name));
    pa_tbl_rec *t;
    if (!len || !(t= pa_store_tbl_get(key, len)))
      continue;
    r->raw[2]= t->scan_gen == gen ? t->scan_raw : 0;
    pa_store_tbl_entry(t, pfs_window_start(now));
    pa_usage_observe(&t->u, PA_SRC_PFS, r->raw, now);
  }
}

/* The figures verification follows of digest d. */
static pa_digest_figures digest_figures(const pa_digest *d)
{
  pa_digest_figures f;
  f.executions= d->exec_count;
  f.latency_ps= d->sum_ps;
  f.rows_examined= d->rows_examined;
  f.errors= d->errors;
  return f;
}

/* Give the tables the digests (w, over the rows read) and index hints of
   this refresh.  The store keeps copies: nothing points into w. */
static void merge_digests(const pa_workload *w)
{
  uchar key[PA_STORE_KEY_BYTES];

  mysql_mutex_assert_owner(&LOCK_pa_state);
  /* Index hints: a hinted index must never be called safe to drop. */
  for (size_t i= 0; i < w->n_hints; i++)
  {
    const pa_workload_hint *h= &w->hints[i];
    uint len= pa_store_key(key, h->schema, strlen(h->schema), h->name,
                           strlen(h->name));
    pa_tbl_rec *t= len ? pa_store_tbl_find(key, len) : NULL;
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
  size_t i= 0;
  while (i < w->n_refs)
  {
    size_t j= i + 1;
    while (j < w->n_refs && !digest_ref_key_cmp(&w->refs[i], &w->refs[j]))
      j++;
    uint len= pa_store_key(key, w->refs[i].schema, strlen(w->refs[i].schema),
                           w->refs[i].name, strlen(w->refs[i].name));
    pa_tbl_rec *t= len ? pa_store_tbl_find(key, len) : NULL;
    /* Only tables that exist in the store: a digest may name a temporary
       table, a view or a table that is gone. */
    if (t && (t->dig_avg= (uint64_t *) my_malloc(
                  key_memory_pa_state, (j - i) * sizeof(uint64_t), MYF(0))))
    {
      t->dig_fig= (pa_dig_fig *) my_malloc(
          key_memory_pa_state, (j - i) * sizeof(pa_dig_fig), MYF(0));
      for (size_t k= i; k < j; k++)
      {
        const pa_digest *dg= &w->digests[w->refs[k].digest];
        t->dig_avg[t->n_dig]= dg->avg_ps;
        if (t->dig_fig)
        {
          pa_dig_fig *f= &t->dig_fig[t->n_dig];
          strmake(f->schema, dg->schema ? dg->schema : "",
                  sizeof(f->schema) - 1);
          strmake(f->digest, dg->digest, sizeof(f->digest) - 1);
          f->f= digest_figures(dg);
        }
        t->n_dig++;
      }
    }
    i= j;
  }
}

/*
  Fold one read of performance_schema into the store: d, and its digests
  indexed in set (NULL when they were not read or could not be indexed).
  Returns the refresh generation it made.
*/
static ulonglong merge_pfs(pa_pfs_data *d, const pa_digest_set *set)
{
  int64_t now= pa_now();
  ulonglong gen;

  mysql_mutex_lock(&LOCK_pa_state);
  gen= ++pa_refresh_gen;
  pa_pfs_source= d->table_io_counts;
  pa_pfs_complete= d->complete;
  pa_digests_on= d->digests_on && set;
  take_rules(d);
  if (d->table_io_counts)
    merge_io(d, gen, now);

  /* Digests: replace every table's list with this refresh's. */
  for (ulong i= 0; i < pa_tables.records; i++)
  {
    pa_tbl_rec *t= (pa_tbl_rec *) my_hash_element(&pa_tables, i);
    my_free(t->dig_avg);
    my_free(t->dig_fig);
    t->dig_avg= NULL;
    t->dig_fig= NULL;
    t->n_dig= 0;
    pa_store_hints_clear(t);
  }
  if (pa_digests_on)
  {
    merge_digests(&set->w);
    /* The digest table keeps one more row for what did not fit. */
    verify_observe_all(now, d->digests_size &&
                                d->n_digests + 1 >= d->digests_size);
  }
  pa_last_refresh_ms= pa_now_ms();
  pa_ever_refreshed= true;
  mysql_mutex_unlock(&LOCK_pa_state);
  return gen;
}

/*
  Take the one reader's slot.  thd: a statement, which stops waiting when
  it is killed (false: it was; the copy stays as it is); NULL: the
  snapshot thread, which waits until the slot is free.  only_if_stale:
  return false without the slot when the copy is fresh by then (the
  refresh waited for brought it up to date).
*/
static bool refresh_begin(THD *thd, bool only_if_stale,
                          ulong max_staleness_ms= 0)
{
  mysql_mutex_lock(&LOCK_pa_state);
  for (;;)
  {
    if (only_if_stale && pa_ever_refreshed &&
        pa_now_ms() - pa_last_refresh_ms < max_staleness_ms)
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

/*
  Read performance_schema and fold it in; the reader's slot held.  take
  (NULL: none): the digest rows are read onto take->root and, once
  merged, handed over (pa_state_refresh_if_stale).
*/
static void refresh_locked(THD *thd, pa_digest_take *take)
{
  MEM_ROOT root;
  MEM_ROOT *digest_root= take ? take->root : &root;
  pa_pfs_data d;

  init_alloc_root(key_memory_pa_state, &root, 65536, 0, MYF(0));
  if (pa_collect_pfs(thd, &root, digest_root, &d))
  {
    /* One index of the rows, for the merge and for the statement. */
    pa_digest_set set;
    bool indexed= d.digests_on &&
                  pa_digest_set_index(&set, d.digests, d.n_digests,
                                      digest_root);
    ulonglong gen= merge_pfs(&d, indexed ? &set : NULL);
    if (take && indexed)
    {
      *take->set= set;
      take->gen= gen;
      take->taken= true;
    }
  }
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

uint64_t pa_refresh_generation()
{
  mysql_mutex_lock(&LOCK_pa_state);
  uint64_t gen= pa_refresh_gen;
  mysql_mutex_unlock(&LOCK_pa_state);
  return gen;
}

void pa_refresh_if_stale(THD *thd, ulong max_staleness_ms,
                         pa_digest_take *take)
{
  if (!pa_pfs_enabled(thd))
  {
    mysql_mutex_lock(&LOCK_pa_state);
    pa_pfs_source= false;
    pa_digests_on= false;
    mysql_mutex_unlock(&LOCK_pa_state);
    return;
  }
  if (refresh_begin(thd, true, max_staleness_ms))
  {
    refresh_locked(thd, take);
    refresh_end();
  }
}

void pa_refresh_all(THD *thd)
{
  bool pfs= thd ? pa_pfs_enabled(thd) : pa_pfs_source;
  if (pfs)
  {
    if (refresh_begin(thd, false))
    {
      refresh_locked(thd, NULL);
      refresh_end();
    }
  }
  mysql_mutex_lock(&LOCK_pa_state);
  bool use_userstat= !pa_pfs_source && opt_userstat_running;
  mysql_mutex_unlock(&LOCK_pa_state);
  if (use_userstat)
    pa_refresh_userstat_all();
}

/* ---------------------------------------------------------------------- */
/* userstat                                                                */

/* One row of a userstat hash, copied out under its lock: the hash key
   ("db\0table\0" or "db\0table\0index\0") and its counters. */
struct us_row
{
  uchar key[NAME_LEN * 3 + 3];
  uint key_len;
  uint64_t a, b;   /* rows read; rows changed (tables only) */
};

/* Fold TABLE_STATISTICS's rows read and changed into the tables. */
static void fold_userstat_tables(int64_t now)
{
  us_row *rows;
  ulong n;

  mysql_mutex_lock(&LOCK_global_table_stats);
  n= global_table_stats.records;
  rows= (us_row *) my_malloc(key_memory_pa_state,
                             (n ? n : 1) * sizeof(us_row), MYF(0));
  for (ulong i= 0; rows && i < n; i++)
  {
    TABLE_STATS *ts= (TABLE_STATS *) my_hash_element(&global_table_stats, i);
    rows[i].key_len=
        (uint) MY_MIN(ts->table_name_length, (size_t) PA_STORE_KEY_BYTES);
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
    pa_tbl_rec *t= pa_store_tbl_get(rows[i].key, rows[i].key_len);
    if (!t)
      continue;
    pa_store_tbl_entry(t, now);
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
}

/* Fold INDEX_STATISTICS's rows read into the indexes. */
static void fold_userstat_indexes(int64_t now)
{
  uchar key[PA_STORE_KEY_BYTES];
  us_row *rows;
  ulong n;

  mysql_mutex_lock(&LOCK_global_index_stats);
  n= global_index_stats.records;
  rows= (us_row *) my_malloc(key_memory_pa_state,
                             (n ? n : 1) * sizeof(us_row), MYF(0));
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
    uint len= pa_store_key(key, db, dl, tb, tl);
    pa_tbl_rec *t= len ? pa_store_tbl_get(key, len) : NULL;
    pa_idx_rec *x= t ? pa_store_idx_get(t, ix, now) : NULL;
    if (x)
    {
      uint64_t raw[PA_USAGE_COUNTERS]= {rows[i].a, rows[i].a, 0};
      pa_usage_observe(&x->u, PA_SRC_USERSTAT, raw, now);
    }
  }
  mysql_mutex_unlock(&LOCK_pa_state);
  my_free(rows);
}

void pa_refresh_userstat_all()
{
  int64_t now= pa_now();
  fold_userstat_tables(now);
  fold_userstat_indexes(now);
}

/* ---------------------------------------------------------------------- */
/* One table, before a statement reads it                                  */

pa_tbl_rec *pa_refresh_table(const uchar *key, uint len,
                             enum pa_stats_source src, const uint64_t *us_raw,
                             const uint64_t *us_idx, uint n,
                             const char *const *index_names,
                             const uint64_t *def_hashes, int64_t now)
{
  static const uint64_t zero[PA_USAGE_COUNTERS]= {0, 0, 0};
  pa_tbl_rec *t= pa_store_tbl_find(key, len);
  bool known= false;

  mysql_mutex_assert_owner(&LOCK_pa_state);
  /*
    Absent from the store: performance_schema has not listed the table.  It
    lists a table from its first open on, so when it lost nothing and
    instruments the table, absent means untouched: start observing now.
  */
  if (!t && pa_usage_covered(src, pa_pfs_complete, false))
    t= pa_store_tbl_get(key, len);
  if (t && pa_usage_covered(src, pa_pfs_complete, t->has_entry))
  {
    bool fresh= !t->has_entry;
    pa_store_tbl_entry(t, src == PA_SRC_PFS ? pfs_window_start(now) : now);
    if (src == PA_SRC_USERSTAT)
      pa_usage_observe(&t->u, PA_SRC_USERSTAT, us_raw, now);
    else if (fresh)
      pa_usage_observe(&t->u, PA_SRC_PFS, zero, now);
    known= true;
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
  if (!t || !n)
    return t;

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
    pa_idx_rec *x= pa_store_idx_find(t, index_names[i]);
    if (!x && known)
      x= pa_store_idx_get(t, index_names[i],
                          src == PA_SRC_PFS ? pfs_window_start(now) : now);
    if (!x)
      continue;
    pa_usage_set_def(&x->u, def_hashes[i], now);
    if (known && src == PA_SRC_USERSTAT)
    {
      uint64_t raw[PA_USAGE_COUNTERS]= {us_idx[i], us_idx[i], 0};
      pa_usage_observe(&x->u, PA_SRC_USERSTAT, raw, now);
    }
    else if (known && x->u.last_src == PA_USAGE_FRESH && !x->u.total[0])
    {
      /* performance_schema shows an index only once it has data: an
         instrumented table's index that is not listed was not read. */
      pa_usage_observe(&x->u, PA_SRC_PFS, zero, now);
    }
  }
  return t;
}
