/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: the usage store's entry points (pa_state.h), its snapshot
  thread and its lifetime.  The store itself is in pa_store.cc (records,
  readers; its locking paragraph is in pa_store.h), its writers fed by the
  live sources in pa_refresh.cc, its files in pa_persist.cc.

  Locking: the snapshot thread waits on COND_pa_thread under
  LOCK_pa_thread, which is released before the thread touches the store.
  Entry points count themselves in pa_users (atomic) so that deinit frees
  nothing while a statement is inside.
*/
#include "pa_store.h"
#include "pa_stmt.h"

#include <my_atomic.h>

#ifdef HAVE_PSI_INTERFACE
PSI_mutex_key key_LOCK_pa_state, key_LOCK_pa_save;
static PSI_mutex_key key_LOCK_pa_thread;
PSI_cond_key key_COND_pa_refreshed;
static PSI_cond_key key_COND_pa_thread;
static PSI_thread_key key_thread_pa_snapshot;
PSI_memory_key key_memory_pa_state;
static PSI_memory_key key_memory_pa_udf;
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
#define key_memory_pa_udf PSI_NOT_INSTRUMENTED
#endif

PSI_memory_key pa_udf_memory_key()
{
  return key_memory_pa_udf;
}

static mysql_mutex_t LOCK_pa_thread;
static mysql_cond_t COND_pa_thread;
static pthread_t pa_thread;
static bool pa_thread_running, pa_thread_stop;
static int32 pa_ready;   /* 1 between init and deinit */

/* ---------------------------------------------------------------------- */
/* Reading one table: the writer step, then the read, in one hold          */

static void read_table(MEM_ROOT *root, const TABLE_SHARE *share,
                       const LEX_CSTRING *db, const LEX_CSTRING *name,
                       pa_state_table *out, uint n,
                       const char *const *index_names,
                       const uint64_t *def_hashes, const pa_index_def *defs,
                       pa_state_index *idx_out)
{
  pa_index_snap *snap= NULL;
  bool defs_changed;
  uchar key[PA_STORE_KEY_BYTES];
  uint len= pa_store_key(key, db->str, db->length, name->str, name->length);
  bool userstat= opt_userstat_running;
  uint64_t us_raw[PA_USAGE_COUNTERS], *us_idx= NULL;
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
  src= pa_store_source(db->str, name->str, userstat);
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
  t= pa_refresh_table(key, len, src, us_raw, us_idx, n, index_names,
                      def_hashes, now);
  pa_store_read_table(t, src, now, root, n, index_names, out, idx_out);
  defs_changed= snap && (!t || !pa_store_defs_same(t, n, snap));
  mysql_mutex_unlock(&LOCK_pa_state);
  if (defs_changed)
    pa_refresh_defs(root, db, name, n, defs, snap, now);
}

/* ---------------------------------------------------------------------- */
/* Users of the store                                                      */

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

void pa_state_refresh_if_stale(THD *thd, ulong max_staleness_ms,
                               pa_digest_take *take)
{
  if (take)
    take->taken= false;
  if (!enter())
    return;
  pa_refresh_if_stale(thd, max_staleness_ms, take);
  leave();
}

uint64_t pa_state_generation()
{
  if (!enter())
    return 0;
  uint64_t gen= pa_refresh_generation();
  leave();
  return gen;
}

bool pa_state_read_table(THD *thd, MEM_ROOT *root, const TABLE_SHARE *share,
                         const LEX_CSTRING *db, const LEX_CSTRING *name,
                         pa_state_table *out, uint n,
                         const char *const *index_names,
                         const uint64_t *def_hashes,
                         const pa_index_def *defs,
                         pa_state_index *idx_out)
{
  (void) thd;
  if (!enter())
  {
    memset((void *) out, 0, sizeof(*out));
    for (uint i= 0; i < n; i++)
      memset((void *) &idx_out[i], 0, sizeof(idx_out[i]));
    return false;
  }
  read_table(root, share, db, name, out, n, index_names, def_hashes, defs,
             idx_out);
  leave();
  return true;
}

bool pa_state_table_changes(const LEX_CSTRING *db, const LEX_CSTRING *name,
                            MEM_ROOT *root, pa_state_change **out, uint *n)
{
  bool ok;
  *n= 0;
  *out= NULL;
  if (!enter())
    return false;
  ok= pa_store_table_changes(db, name, root, out, n);
  leave();
  return ok;
}

uint64_t pa_state_record_applied(const char *db, const char *table,
                                 const char *index, enum pa_change_kind kind,
                                 uint64_t after_id, const char *rec_id)
{
  uint64_t id;
  if (!enter())
    return 0;
  id= pa_store_record_applied(db, table, index, kind, after_id, rec_id);
  leave();
  return id;
}

/* Bring the store up to date, forget dropped tables, write the files. */
static long snapshot_now(THD *thd)
{
  pa_refresh_all(thd);
  pa_persist_prune();
  return pa_persist_save();
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

/* ---------------------------------------------------------------------- */
/* The snapshot thread and the plugin's lifetime                           */

static void *snapshot_thread(void *)
{
  my_thread_init();
  mysql_mutex_lock(&LOCK_pa_thread);
  while (!pa_thread_stop)
  {
    struct timespec abstime;
    pa_settings set;
    pa_settings_read(&set, NULL);
    set_timespec(abstime, set.snapshot_interval ? set.snapshot_interval
                                                : 3600);
    mysql_cond_timedwait(&COND_pa_thread, &LOCK_pa_thread, &abstime);
    /* Woken early by a new interval: snapshot now, then follow it. */
    pa_settings_read(&set, NULL);
    if (pa_thread_stop || !set.snapshot_interval)
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
  pa_persist_init();
  mysql_mutex_init(key_LOCK_pa_thread, &LOCK_pa_thread, MY_MUTEX_INIT_FAST);
  mysql_cond_init(key_COND_pa_thread, &COND_pa_thread, NULL);
  pa_refresh_init();
  if (pa_store_init())
    return true;
  pa_persist_load();
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
    pa_refresh_userstat_all();
  pa_persist_save();
  pa_store_deinit();
  mysql_cond_destroy(&COND_pa_thread);
  mysql_mutex_destroy(&LOCK_pa_thread);
  pa_persist_deinit();
  pa_refresh_deinit();
}
