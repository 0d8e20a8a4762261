/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: the plugin's shared state — the usage store.

  One in-memory model per server: for every table the plugin has observed,
  its cumulative activity counters, its indexes' cumulative counters, and
  the statement digests that touch it.  It is fed from the live statistics
  source (performance_schema through the SQL service, or userstat's hashes),
  persisted to a file in the datadir, reloaded at start, and read by every
  PERF_ table, so the tables cannot disagree.
*/
#ifndef PA_STATE_H
#define PA_STATE_H

#include "pa_collect.h"

extern "C" {
#include "pa_index.h"
#include "pa_usage.h"
#include "pa_verify.h"
}

/* What one table's row needs from the store, copied out under the lock. */
struct pa_state_table
{
  bool known;                   /* the source covers the table */
  bool complete;                /* ... and lost nothing: a zero is evidence */
  enum pa_stats_source source;
  pa_usage_entry table;         /* rows read / changed / full-scan reads */
  bool digests_known;           /* a digest source is on */
  uint n_digests;               /* digests touching the table */
  uint64_t *digest_avg_ps;      /* their average latencies, on the caller's
                                   root; n_digests elements */
  uint n_hints;                 /* index names in index hints of digests */
  char **hints;                 /* on the caller's root */
};

/* One index, looked up in the store by name. */
struct pa_state_index
{
  bool known;                   /* has an entry */
  pa_usage_entry u;             /* reads, fetched rows, writes */
};

bool pa_state_init();

/* The plugin is installed and its state usable (UDFs refuse otherwise). */
bool pa_state_ready();

/* The performance_schema memory key of the UDFs' working memory. */
PSI_memory_key pa_udf_memory_key();

/* Make the snapshot thread notice a new perf_advisor_snapshot_interval. */
void pa_state_wake();
void pa_state_deinit();

/*
  Where a statement's refresh hands over the digest rows it read, so that
  the statement does not read them again (pa_stmt_refresh()).  in: root,
  the statement's memory root, and set, the statement's digest set.  out:
  taken, set filled (on root, indexed by table) and gen, the refresh
  generation those rows were merged as; taken false and set untouched
  otherwise.
*/
struct pa_digest_take
{
  MEM_ROOT *root;
  pa_digest_set *set;
  bool taken;
  uint64_t gen;
};

/*
  Make the store at most max_staleness_ms old (the statement's
  perf_advisor_max_staleness_ms), reading the live source when it is
  older.  Called once per statement, before its first row (pa_stmt_get());
  cheap when fresh.  Warnings go to thd.  take (NULL: none): when this
  call itself reads performance_schema, and the statement digest consumer
  is on, the digest rows it reads go onto take->root and are handed over
  in take; when the copy is fresh, or another reader refreshed it, nothing
  is handed over.
*/
void pa_state_refresh_if_stale(THD *thd, ulong max_staleness_ms,
                               pa_digest_take *take);

/* How many times the store was refreshed from performance_schema: what
   a statement's own read of the digests is tagged with. */
uint64_t pa_state_generation();

/*
  Read one table (and, when idx_out is not NULL, its n indexes named in
  index_names, with their definition fingerprints def_hashes) from the
  store, folding in userstat's live counters when that is the source and
  pruning store entries of indexes the table no longer has.  Memory for
  digest averages comes from root.  false (out and idx_out zeroed) when the
  store is not there: the plugin is being uninstalled.

  defs: the table's n index definitions, when they were loaded (NULL
  otherwise).  They are compared with the table's definition snapshot in
  the store: every difference becomes a logged change (docs/
  verification.md), with the digests of the table as they are now; the
  first look at a table only takes its snapshot.
*/
bool pa_state_read_table(THD *thd, MEM_ROOT *root, const TABLE_SHARE *share,
                         const LEX_CSTRING *db, const LEX_CSTRING *name,
                         pa_state_table *out, uint n,
                         const char *const *index_names,
                         const uint64_t *def_hashes,
                         const pa_index_def *defs,
                         pa_state_index *idx_out);

/* One logged index change and its digests, copied out of the store. */
struct pa_state_change
{
  pa_change c;                   /* undo_sql on the caller's root */
  pa_verify_digest *digests;     /* on the caller's root */
  uint n_digests;
  bool latest;                   /* no later change of the same index */
};

/*
  The logged changes of db.name, oldest first, copied onto root.  false
  when the store is not there or root is out of memory (*n is then 0).
*/
bool pa_state_table_changes(const LEX_CSTRING *db, const LEX_CSTRING *name,
                            MEM_ROOT *root, pa_state_change **out, uint *n);

/*
  Record that recommendation rec_id (16 hex digits, checked by the caller)
  made the newest logged change of index db.table.index: it is tagged when
  it is of kind `kind`, its ID is above after_id (the caller's highest ID
  before it ran its statement) and no other recommendation is recorded for
  it.  Returns the change's ID, 0 when no change matches (the statement
  changed nothing, or the change was not logged: the table had no snapshot
  yet).  Saved with the store.
*/
uint64_t pa_state_record_applied(const char *db, const char *table,
                                 const char *index, enum pa_change_kind kind,
                                 uint64_t after_id, const char *rec_id);

/* Read the live source into the store and write the file now.  Returns
   the number of index entries written, or -1 on failure (logged). */
long pa_state_snapshot_now(THD *thd);

#endif
