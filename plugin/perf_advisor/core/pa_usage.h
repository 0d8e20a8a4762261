/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: usage that survives restarts.

  Server counters start from zero at every restart (and at TRUNCATE, FLUSH,
  ALTER), which is why "unused since the restart" advice is so often wrong.
  The plugin keeps, per index (and per table), cumulative counters built from
  the deltas of the raw counters it observes, and the moment it started
  observing.  This module holds the arithmetic, the usage verdict and the
  on-disk record format; the server layer owns storage, locking and I/O.
*/
#ifndef PA_USAGE_H
#define PA_USAGE_H

#include "pa_types.h"

/* Counters kept per object.  For an index: reads, fetched rows, writes.
   For a table: rows read, rows changed, rows read by full scans. */
#define PA_USAGE_COUNTERS 3

struct pa_usage_entry
{
  uint64_t def_hash;       /* definition fingerprint; 0: not yet known */
  uint64_t total[PA_USAGE_COUNTERS];    /* cumulative since first_seen */
  uint64_t last_raw[PA_USAGE_COUNTERS]; /* raw source values last seen */
  int last_src;            /* enum pa_stats_source of last_raw, or
                              PA_USAGE_FRESH */
  int64_t first_seen;      /* epoch seconds the observation window began */
  int64_t last_used;       /* epoch seconds total[0] last grew; 0: never */
};

/* last_src of an entry whose raw counters started from zero since its
   window began (a new entry, or one loaded after a server restart): its
   first observation, from any source, counts in full. */
#define PA_USAGE_FRESH (-1)

/* A fresh entry observed from `now` on. */
void pa_usage_init(struct pa_usage_entry *e, int64_t now);

/*
  Fold one observation of the raw counters from source `src` into e.
  A raw value below the last one means the source restarted from zero
  (restart, TRUNCATE, FLUSH, ALTER): the whole raw value is new activity.
  When the source differs from the one last seen (and the entry is not
  fresh), the raw values cannot be compared: they become the new baseline
  and nothing is counted.
*/
void pa_usage_observe(struct pa_usage_entry *e, int src,
                      const uint64_t raw[PA_USAGE_COUNTERS], int64_t now);

/*
  Record the object's definition fingerprint.  A different non-zero
  fingerprint than the stored one means the object was dropped and
  re-created differently under the same name: the history is reset and the
  window restarts at `now`.  Returns 1 when it reset, else 0.
*/
int pa_usage_set_def(struct pa_usage_entry *e, uint64_t def_hash,
                     int64_t now);

enum pa_usage_status
{
  PA_USAGE_UNKNOWN= 0,
  PA_USAGE_USED,
  PA_USAGE_UNUSED
};

/*
  The verdict for one index.  e: its entry, NULL when never observed.
  source_active: a statistics source covers the table now.  constraint: the
  index is PRIMARY, UNIQUE or needed by a foreign key — the server does not
  count the reads of constraint checks, so a zero is no evidence there.
  Reads seen are evidence of use whatever the window; "unused" needs a
  window of at least min_observation_seconds with no read.
*/
enum pa_usage_status pa_usage_status(const struct pa_usage_entry *e,
                                     int source_active, int constraint,
                                     int64_t now,
                                     uint64_t min_observation_seconds);

const char *pa_usage_status_name(enum pa_usage_status s);

/* Seconds observed; 0 for NULL or a window that has not begun. */
uint64_t pa_usage_window(const struct pa_usage_entry *e, int64_t now);

/*
  Whether a table's counters from source src are evidence now: a source
  covers the table (src is not PA_SRC_NONE) and either it lost nothing
  (userstat; performance_schema when pfs_complete) or the table already
  has an entry (has_entry).  With has_entry 0 it is also the rule for a
  table the store does not hold yet: performance_schema lists a table from
  its first open on, so a source that lost nothing and does not list it
  says the table is untouched, and observing it starts now.
*/
int pa_usage_covered(enum pa_stats_source src, int pfs_complete,
                     int has_entry);

/*
  Where the window of an object first seen through performance_schema
  begins, epoch seconds.  performance_schema counts from the server start
  (server_start, epoch seconds; 0: unknown), so when it lost nothing
  (pfs_complete) its counts of a newly seen object cover the whole uptime;
  otherwise only from now.
*/
int64_t pa_usage_pfs_window_start(int pfs_complete, int64_t server_start,
                                  int64_t now);

/*
  On-disk format: a header line, one line per record, a trailer line:

    perf_advisor-usage 1 <server_start>\n
    <schema>\t<table>\t<index>\t<def_hash>\t<t0>\t<t1>\t<t2>\t<r0>\t<r1>\t<r2>
      \t<last_src>\t<first_seen>\t<last_used>\n
    end <records> <fnv1a-64 of every byte before this line, hex>\n

  Identifiers escape backslash, tab, newline and carriage return as \\, \t,
  \n, \r; a table-level record has an empty index name.  server_start lets a
  reload within the same server run (UNINSTALL/INSTALL) keep last_raw.
*/
#define PA_USAGE_MAGIC "perf_advisor-usage 1"

/* Write the header into buf; returns the length it needs (snprintf-like). */
size_t pa_usage_format_header(char *buf, size_t size, int64_t server_start);

/* One record; returns the length it needs.  NUL-terminated when size > 0. */
size_t pa_usage_format_record(char *buf, size_t size, const char *schema,
                              const char *table, const char *index,
                              const struct pa_usage_entry *e);

/* The trailer for `records` records whose bytes hash to `hash`. */
size_t pa_usage_format_trailer(char *buf, size_t size, uint64_t records,
                               uint64_t hash);

/* Called per record while parsing; names are NUL-terminated, unescaped,
   valid only during the call.  Return non-zero to stop (error). */
typedef int (*pa_usage_record_fn)(void *ctx, const char *schema,
                                  const char *table, const char *index,
                                  const struct pa_usage_entry *e);

/*
  Check and parse a whole file image.  Records are delivered only when the
  header, every record, the count and the checksum are valid (the data is
  checked first, then delivered), so a torn or corrupt file delivers
  nothing.  *server_start receives the header's value.
  Returns the number of records, or -1 when the image is invalid or fn
  stopped.
*/
long pa_usage_parse(const char *data, size_t len, int64_t *server_start,
                    pa_usage_record_fn fn, void *ctx);

#endif
