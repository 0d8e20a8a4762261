/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: the usage store's records, private to the files that make
  up the store.  The rest of the plugin uses pa_state.h.

    pa_store.cc    the hash and its records, and the readers: one table
                   copied out for a statement, a table's change log
    pa_refresh.cc  the writers fed by the live sources: the
                   performance_schema merge (one reader at a time), the
                   userstat fold, the observation of one table before a
                   statement reads it, the verification observation
    pa_persist.cc  the files: load at start, save, prune of dropped tables,
                   set-aside of damaged files
    pa_state.cc    the entry points of pa_state.h, the snapshot thread and
                   the plugin's lifetime (PSI keys, init, deinit)

  Locking: LOCK_pa_state protects the table hash, every record in it, the
  source flags and the setup_objects copy below, the change log and the
  tables' definition snapshots.  It is a mutex: every access, read or
  write, holds it, so it is the write lock too.  It is held only for
  in-memory work (lookups, folding counters, copying out, formatting the
  file image), never across SQL, file I/O or storing an I_S row.  Other
  locks are taken before it, never while it is held: LOCK_pa_save (the
  files' one writer, pa_persist.cc), LOCK_pa_thread (the snapshot thread,
  pa_state.cc).  userstat's own locks (LOCK_global_table_stats,
  LOCK_global_index_stats) are never held together with it.

  Who writes, and when (always under LOCK_pa_state):
  - load (pa_persist_load): once, in pa_state_init, before any statement
    can enter;
  - the performance_schema merge (pa_refresh_if_stale, pa_refresh_all): the
    tables' and indexes' counters, every table's digests and hints, the
    source flags and rules, the pending changes' verdicts; by the one
    reader of the live source, at most every perf_advisor_max_staleness_ms
    for statements, and at every snapshot;
  - the userstat fold (pa_refresh_userstat_all): the snapshot thread and
    the shutdown save, when userstat is the source;
  - one table's observation (pa_refresh_table), by a statement, in the
    same hold of the lock as the read that follows it: userstat's live
    counters of the table, the windows of a table or index seen for the
    first time, their restart while no source covers the table, the
    forgetting of indexes the table no longer has, the indexes' definition
    fingerprints;
  - one table's definition observation (pa_refresh_defs), by a statement
    after its read: the definition snapshot and the change log;
  - pa_state_record_applied: the recommendation a change is tagged with;
  - the prune of dropped tables (pa_persist_prune), at every snapshot;
  - deinit, once no statement is inside (pa_store_deinit).
  The readers (pa_store_read_table, pa_store_table_changes, the file
  images) take const records and write nothing.
*/
#ifndef PA_STORE_H
#define PA_STORE_H

#include "pa_state.h"
#include <hash.h>

#ifdef HAVE_PSI_INTERFACE
extern PSI_mutex_key key_LOCK_pa_state, key_LOCK_pa_save;
extern PSI_cond_key key_COND_pa_refreshed;
extern PSI_memory_key key_memory_pa_state;
#else
#define key_memory_pa_state PSI_NOT_INSTRUMENTED
#endif

/* The store's key of a table: "db\0table\0", as TABLE_SHARE caches it. */
#define PA_STORE_KEY_BYTES (NAME_LEN * 2 + 2)

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

/* The store (pa_store.cc); everything below LOCK_pa_state is under it. */
extern mysql_mutex_t LOCK_pa_state;
extern HASH pa_tables;                /* of pa_tbl_rec */
extern bool pa_pfs_source;            /* performance_schema counts table I/O */
extern bool pa_pfs_complete;          /* ... and lost nothing */
extern bool pa_digests_on;            /* the tables' digest lists are valid */
extern pa_pfs_object_rule *pa_rules;  /* copy of setup_objects */
extern size_t pa_n_rules;
extern pa_chg_rec *pa_changes;        /* the change log, oldest first */
extern size_t pa_n_changes;
extern uint64_t pa_next_change_id;

/* The hash and the lock; true on failure.  pa_store_deinit frees every
   record, the change log and the rules, and destroys the lock. */
bool pa_store_init();
void pa_store_deinit();

/* Build "db\0table\0" into buf (PA_STORE_KEY_BYTES); returns its length,
   0 when a name is longer than NAME_LEN. */
uint pa_store_key(uchar *buf, const char *db, size_t db_len,
                  const char *name, size_t name_len);

/* Records.  All under LOCK_pa_state; the *_get ones add what is missing
   and return NULL only when out of memory (or a name is too long). */
pa_tbl_rec *pa_store_tbl_find(const uchar *key, uint len);
pa_tbl_rec *pa_store_tbl_get(const uchar *key, uint len);
pa_idx_rec *pa_store_idx_find(const pa_tbl_rec *t, const char *name);
/* A new index record is observed from now. */
pa_idx_rec *pa_store_idx_get(pa_tbl_rec *t, const char *name, int64_t now);
/* Give t its table-level entry, observed from now, when it has none. */
void pa_store_tbl_entry(pa_tbl_rec *t, int64_t now);
void pa_store_hints_clear(pa_tbl_rec *t);
void pa_store_defs_clear(pa_tbl_rec *t);
/* The definition snapshot of t is snap (n indexes), in the same order. */
bool pa_store_defs_same(const pa_tbl_rec *t, uint n,
                        const pa_index_snap *snap);
/* Replace t's definition snapshot with snap and its n CREATE statements
   (create_sql[i] NULL where there is none); false when out of memory. */
bool pa_store_defs_take(pa_tbl_rec *t, uint n, const pa_index_snap *snap,
                        char *const *create_sql);

/* The change log.  The log keeps at most PA_STORE_MAX_CHANGES changes;
   past it the oldest judged one (else the oldest) makes room. */
#define PA_STORE_MAX_CHANGES 10000
/* Room for one more change at the end of the log, zeroed; NULL when out
   of memory. */
pa_chg_rec *pa_store_chg_append();
void pa_store_chg_free(pa_chg_rec *c);
/* Keep a copy of sql as the change's undo ("" when NULL). */
bool pa_store_chg_set_undo(pa_chg_rec *c, const char *sql);
/* One more digest at the end of c's list; NULL when out of memory. */
pa_verify_digest *pa_store_chg_add_digest(pa_chg_rec *c);

/*
  Readers: under LOCK_pa_state, they write nothing in the store.

  pa_store_source: where the counters of db.name come from now
  (performance_schema when it counts table I/O and setup_objects
  instruments the table, else userstat when it runs, else none).
*/
enum pa_stats_source pa_store_source(const char *db, const char *name,
                                     bool userstat);

/*
  Copy table t (NULL: not in the store) and its n indexes named
  index_names out for a statement, after pa_refresh_table observed it with
  the same source src at the same now.  Memory from root.
*/
void pa_store_read_table(const pa_tbl_rec *t, enum pa_stats_source src,
                         int64_t now, MEM_ROOT *root, uint n,
                         const char *const *index_names, pa_state_table *out,
                         pa_state_index *idx_out);

/* pa_state_table_changes under the lock; see pa_state.h. */
bool pa_store_table_changes(const LEX_CSTRING *db, const LEX_CSTRING *name,
                            MEM_ROOT *root, pa_state_change **out, uint *n);

/* pa_state_record_applied under the lock (a writer); see pa_state.h. */
uint64_t pa_store_record_applied(const char *db, const char *table,
                                 const char *index, enum pa_change_kind kind,
                                 uint64_t after_id, const char *rec_id);

/* ---- pa_refresh.cc -------------------------------------------------- */

/* The one-reader slot's condition and flags; true on failure. */
bool pa_refresh_init();
void pa_refresh_deinit();

/* See pa_state_refresh_if_stale. */
void pa_refresh_if_stale(THD *thd, ulong max_staleness_ms,
                         pa_digest_take *take);

/* See pa_state_generation. */
uint64_t pa_refresh_generation();

/*
  Bring the whole store up to date now, for a snapshot: read
  performance_schema (waiting for a running read to end) when it is on,
  else fold every userstat counter when userstat runs.  thd NULL: the
  snapshot thread, which knows performance_schema only by the last
  refresh.
*/
void pa_refresh_all(THD *thd);

/* Fold every userstat counter into the store; takes LOCK_pa_state. */
void pa_refresh_userstat_all();

/*
  The writer step of a statement's read of one table, under LOCK_pa_state,
  just before pa_store_read_table: with source src (us_raw, us_idx:
  userstat's counters of the table and of its n indexes when src is
  userstat), give the table its entry (a table performance_schema does not
  list is untouched when it lost nothing), fold userstat's counters, restart
  the windows while src is none, forget indexes the table no longer has,
  add its indexes and record their definition fingerprints def_hashes.
  Returns the table's record, NULL when it is not in the store.
*/
pa_tbl_rec *pa_refresh_table(const uchar *key, uint len,
                             enum pa_stats_source src, const uint64_t *us_raw,
                             const uint64_t *us_idx, uint n,
                             const char *const *index_names,
                             const uint64_t *def_hashes, int64_t now);

/*
  Log the differences between the table's definition snapshot and its n
  definitions now (defs, snapshots snap), then make these the snapshot.
  Called without LOCK_pa_state: the statements are built on root first;
  under the lock the snapshot is compared again, so two statements that
  see the same change log it once.
*/
void pa_refresh_defs(MEM_ROOT *root, const LEX_CSTRING *db,
                     const LEX_CSTRING *name, uint n,
                     const pa_index_def *defs, const pa_index_snap *snap,
                     int64_t now);

/* ---- pa_persist.cc -------------------------------------------------- */

void pa_persist_init();
void pa_persist_deinit();
/* Load the usage file and the change log into the empty store. */
void pa_persist_load();
/* Write the store: the usage file, then the change log.  Returns the
   number of index records written, -1 on failure (logged). */
long pa_persist_save();
/* Forget tables whose definition file is gone, and their changes. */
void pa_persist_prune();

#endif
