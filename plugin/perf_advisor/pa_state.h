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
#include "pa_usage.h"
}

/* System variables owned by plugin.cc. */
extern ulong pa_slow_query_ms;            /* milliseconds */
extern ulong pa_snapshot_interval;        /* seconds; 0: no periodic saves */
extern ulonglong pa_min_observation_seconds;
extern ulong pa_max_staleness_ms;
extern char *pa_usage_file;

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
  Make the store at most perf_advisor_max_staleness_ms old, reading the live
  source when it is older.  Called once per statement, before its first
  row; cheap when fresh.  Warnings go to thd.
*/
void pa_state_refresh_if_stale(THD *thd);

/*
  Read one table (and, when idx_out is not NULL, its n indexes named in
  index_names, with their definition fingerprints def_hashes) from the
  store, folding in userstat's live counters when that is the source and
  pruning store entries of indexes the table no longer has.  Memory for
  digest averages comes from root.  false (out and idx_out zeroed) when the
  store is not there: the plugin is being uninstalled.
*/
bool pa_state_read_table(THD *thd, MEM_ROOT *root, const TABLE_SHARE *share,
                         const LEX_CSTRING *db, const LEX_CSTRING *name,
                         pa_state_table *out, uint n,
                         const char *const *index_names,
                         const uint64_t *def_hashes,
                         pa_state_index *idx_out);

/* Read the live source into the store and write the file now.  Returns
   the number of index entries written, or -1 on failure (logged). */
long pa_state_snapshot_now(THD *thd);

/* Seconds of the threshold in picoseconds, for slow-digest counting. */
uint64_t pa_state_slow_threshold_ps();

#endif
