/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: column statistics across statements.

  1. Sources, merged per column (pa_colstat_merge()), best first for each
     figure:
       distinct values   index (n_diff of an index the column leads), then
                         engine-independent statistics (EITS,
                         mysql.column_stats), then the plugin's sample;
       NULL fraction     EITS, then the sample;
       top-value share   EITS (a JSON_HB histogram), then the sample.
     The sources that gave at least one figure make SOURCE, in that order:
     "index", "eits", "sample", "index+sample", "eits+sample", ...;
     "none" when nothing is known.

  2. EITS figures.  mysql.column_stats keeps per column nulls_ratio (NULL
     rows / rows), avg_frequency (rows per distinct non-NULL value) and
     avg_length; mysql.table_stats the rows the ANALYZE read.  Distinct
     values: rows * (1 - nulls_ratio) / avg_frequency.  The top-value
     share comes only from a JSON_HB histogram: its buckets hold shares of
     the non-NULL rows, and a value common enough to fill a bucket gets a
     bucket of its own (ndv 1), so (1 - nulls_ratio) times the largest
     single-value bucket is the most common value's share when no
     multi-value bucket is larger; else the largest bucket's share is an
     upper bound (no value is more common than its bucket) and is used.
     Binary histograms (SINGLE_PREC_HB, DOUBLE_PREC_HB) give none.

  3. The cache (struct pa_colcache) keeps what the sample measured, per
     table (schema, name, definition version) and column, so that a
     statement reuses it instead of reading the table again.  A cached
     column is fresh (pa_colcache_fresh()) while
       - the table's definition version is the one it was read under (any
         other version drops the table's entry),
       - the sample cap (perf_advisor_sample_rows) is the one in force,
       - it is at most max_age seconds old (0: never fresh, no reuse), and
       - the table's row estimate has not drifted from the rows it had
         then by more than PA_COLCACHE_DRIFT_PCT percent (InnoDB's own
         trigger for recalculating persistent statistics; from 0 rows,
         any row is a drift).
     Memory is bounded: entries (names included) take at most cap_bytes;
     the least recently used tables are evicted first, and an entry larger
     than the cap is not kept.  The cache does no locking (the core has no
     locks): its owner serializes every call.

  Costs: lookup and insertion hash the (schema, name) pair: O(columns) per
  call; eviction O(1) per evicted table.
*/
#ifndef PA_COLCACHE_H
#define PA_COLCACHE_H

#include "pa_common.h"
#include "pa_missing.h"

/* Sources of a column's figures, as bits. */
#define PA_CS_SRC_INDEX 1u
#define PA_CS_SRC_EITS 2u
#define PA_CS_SRC_SAMPLE 4u

/* "none", "index", "eits", "sample", "index+eits", ... (static text). */
const char *pa_colstat_source_text(unsigned sources);

/* Each source's figures for one column; < 0: that source does not know. */
struct pa_colstat_sources
{
  double index_distinct;
  double eits_distinct, eits_null_frac, eits_top_share;
  double sample_distinct, sample_null_frac, sample_top_share;
};

/* All unknown. */
void pa_colstat_sources_init(struct pa_colstat_sources *s);

/*
  Merge s into out's distinct, null_frac and top_share (out->name is left
  as it is), best source first per figure (1. above).  Returns the
  sources used, as PA_CS_SRC_* bits.
*/
unsigned pa_colstat_merge(const struct pa_colstat_sources *s,
                          struct pa_missing_colstat *out);

/*
  Distinct non-NULL values from EITS (2. above): rows (the rows the
  ANALYZE read, else the table's estimate), nulls_ratio 0 .. 1,
  avg_frequency > 0.  -1 when an input is missing (negative) or out of
  range.
*/
double pa_colstat_eits_distinct(double rows, double nulls_ratio,
                                double avg_frequency);

/*
  The top-value share (of all rows) from a JSON_HB histogram's summary
  (2. above): max_single, the largest share of a bucket with ndv 1 (< 0:
  none); max_multi, the largest share of any other bucket (< 0: none);
  both shares of the non-NULL rows.  -1 when there is no bucket or
  nulls_ratio is unknown (< 0).
*/
double pa_colstat_eits_top_share(double nulls_ratio, double max_single,
                                 double max_multi);

/* Percent of the row estimate a table may drift before its cached
   columns are read again. */
#define PA_COLCACHE_DRIFT_PCT 10

/* Columns kept per table: beyond, a put keeps its own columns and as
   many of the cached ones as fit. */
#define PA_COLCACHE_MAX_COLS 256

/* Bytes of a definition version kept (the server's is 16). */
#define PA_COLCACHE_VERSION_BYTES 32

/* What the sample measured of one column. */
struct pa_colcache_col
{
  const char *name;      /* the column's real name */
  int has_stats;         /* distinct, null_frac, top_share were measured */
  double distinct;       /* estimate for the table; < 0: unknown */
  double null_frac;      /* 0 .. 1; < 0: unknown */
  double top_share;      /* 0 .. 1; < 0: unknown */
  int has_width;         /* avg_bytes was measured */
  double avg_bytes;      /* stored bytes per row; < 0: unknown */
  uint64_t sampled_rows; /* rows the sample read */
  uint64_t table_rows;   /* the table's row estimate then; for drift */
  int rows_known;        /* table_rows is known */
  uint64_t cap;          /* perf_advisor_sample_rows then */
  int64_t taken_at;      /* seconds since the epoch */
};

/* The state a cached column is judged against (3. above). */
struct pa_colcache_policy
{
  int64_t now;           /* seconds since the epoch */
  int rows_known;
  uint64_t rows;         /* the table's row estimate now */
  uint64_t max_age;      /* seconds; 0: nothing is fresh */
  uint64_t cap;          /* perf_advisor_sample_rows now */
};

/* Whether c may be used instead of a new sample. */
int pa_colcache_fresh(const struct pa_colcache_col *c,
                      const struct pa_colcache_policy *p);

/* A table: names as the server gives them (compared byte for byte). */
struct pa_colcache_key
{
  const char *db, *table;
  const unsigned char *version; /* at most PA_COLCACHE_VERSION_BYTES */
  size_t version_len;
};

/* The owner's memory: alloc returns NULL when out of memory. */
struct pa_colcache_mem
{
  void *(*alloc)(void *ctx, size_t bytes);
  void (*free)(void *ctx, void *p);
  void *ctx;
};

/* Counters (events since pa_colcache_new()) and sizes. */
struct pa_colcache_counters
{
  uint64_t hits;         /* lookups that found every column fresh */
  uint64_t misses;       /* lookups that did not */
  uint64_t evictions;    /* tables evicted for room */
  uint64_t entries;      /* tables held now */
  uint64_t bytes;        /* bytes held now (<= the cap) */
};

struct pa_colcache;

/* A cache of at most cap_bytes; NULL when out of memory.  mem is copied. */
struct pa_colcache *pa_colcache_new(const struct pa_colcache_mem *mem,
                                    size_t cap_bytes);

/* Free c and everything in it (NULL: nothing). */
void pa_colcache_free(struct pa_colcache *c);

/*
  Look up the columns names[0 .. n - 1] of table k: found[i] is 1 and
  out[i] a copy of the cached column (out[i].name = names[i]) when it is
  cached, fresh under p and, with need_width[i] (NULL: none), has its
  width; else found[i] is 0.  An entry of another definition version is
  dropped.  Counts a hit when every column was found, else a miss (n 0:
  neither).  Returns the number found.
*/
int pa_colcache_get(struct pa_colcache *c, const struct pa_colcache_key *k,
                    const struct pa_colcache_policy *p,
                    const char *const *names, const int *need_width, int n,
                    struct pa_colcache_col *out, int *found);

/*
  Keep cols[0 .. n - 1] (n <= PA_COLCACHE_MAX_COLS, copied) for table k: they replace cached columns
  of the same names, the table's other cached columns stay (an entry of
  another version is replaced whole).  Evicts the least recently used
  tables to stay within the cap.  Returns 0, or -1 when out of memory or
  when the entry alone would exceed the cap (nothing is kept for the
  table then).
*/
int pa_colcache_put(struct pa_colcache *c, const struct pa_colcache_key *k,
                    const struct pa_colcache_col *cols, int n);

void pa_colcache_counters(const struct pa_colcache *c,
                          struct pa_colcache_counters *out);

#endif
