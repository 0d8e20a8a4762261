/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: server configuration and cache advice.

  The server layer copies SHOW GLOBAL VARIABLES, SHOW GLOBAL STATUS and the
  physical memory size into a pa_server_state; this module turns it into
  (1) one statistics row per server cache and (2) "configuration" and
  "cache" recommendations.  The advice is written for MariaDB 10.11, and the
  facts it relies on were checked against the 10.11 source:

  - The redo log is one file (ib_logfile0); innodb_log_file_size is the
    whole redo log and innodb_log_files_in_group no longer exists.
    innodb_log_file_size is dynamic: its update function starts an online
    resize (log_sys.resize_start) and SET GLOBAL waits until it is done.
  - A query cache hit increments Com_select: mysql_parse() bumps
    com_stat[SQLCOM_SELECT] when query_cache_send_result_to_client()
    answers.  (The MySQL manual says a hit counts in Qcache_hits, not
    Com_select: formulas such as Qcache_hits / (Qcache_hits + Com_select)
    are wrong here.)  Qcache_not_cached counts every SELECT the cache
    declined (non-cacheable, or without SQL_CACHE under DEMAND).
  - query_cache_type defaults to OFF; when it is OFF the cache memory is freed
    whatever query_cache_size says.
  - performance_schema and performance_schema_digests_size are read-only
    (startup only); userstat is dynamic.
  - innodb_buffer_pool_size is dynamic up to the read-only
    innodb_buffer_pool_size_max; innodb_buffer_pool_load_at_startup and
    innodb_log_buffer_size are read-only.
*/
#ifndef PA_CONFIG_H
#define PA_CONFIG_H

#include "pa_advice.h"

/* An unknown uint64_t input (variable or counter the server did not show). */
#define PA_CONFIG_UNKNOWN UINT64_MAX

/*
  What the server layer read.  uint64_t fields hold PA_CONFIG_UNKNOWN when
  unknown; int switches hold 0 (OFF), 1 (ON) or -1 (unknown);
  performance_schema_digests_size holds -1 when autosized or unknown.
  Field names are the server's.  Status counters are cumulative since the
  server started (or since FLUSH STATUS, for the ones it resets).
*/
struct pa_server_state
{
  uint64_t ram_bytes;                  /* physical memory; 0 also unknown */
  uint64_t uptime_s;                   /* Uptime, seconds */

  /* Variables.  Sizes in bytes unless marked "entries". */
  uint64_t innodb_buffer_pool_size;
  uint64_t innodb_buffer_pool_size_max; /* the dynamic ceiling of the above;
                                          unknown on servers without it */
  uint64_t innodb_page_size;
  uint64_t innodb_log_file_size;       /* the whole redo log */
  uint64_t innodb_log_buffer_size;
  int innodb_file_per_table;
  int innodb_flush_log_at_trx_commit;  /* 0, 1, 2, 3; -1 unknown */
  int innodb_buffer_pool_dump_at_shutdown;
  int innodb_buffer_pool_load_at_startup;
  uint64_t tmp_table_size;             /* = tmp_memory_table_size */
  uint64_t max_heap_table_size;
  uint64_t max_connections;            /* entries (connections) */
  uint64_t open_files_limit;           /* file descriptors; evidence only */
  uint64_t table_open_cache;           /* entries */
  uint64_t table_definition_cache;     /* entries */
  uint64_t thread_cache_size;          /* entries (threads) */
  uint64_t key_buffer_size;
  uint64_t key_cache_block_size;
  uint64_t query_cache_size;
  int query_cache_type;                /* 0 OFF, 1 ON, 2 DEMAND, -1 unknown */
  uint64_t sort_buffer_size;
  uint64_t join_buffer_size;
  uint64_t read_buffer_size;
  uint64_t read_rnd_buffer_size;
  uint64_t thread_stack;
  uint64_t binlog_cache_size;
  uint64_t aria_pagecache_buffer_size;
  int performance_schema;
  int userstat;
  int64_t performance_schema_digests_size; /* entries (digest rows) */

  /* Status counters. */
  uint64_t Innodb_buffer_pool_read_requests; /* logical page reads */
  uint64_t Innodb_buffer_pool_reads;   /* pages read from disk */
  uint64_t Innodb_buffer_pool_pages_total; /* pages */
  uint64_t Innodb_buffer_pool_pages_free;  /* pages */
  uint64_t Innodb_buffer_pool_pages_data;  /* pages */
  /*
    InnoDB data and indexes, bytes: clustered_index_size +
    sum_of_other_index_sizes (pages) times innodb_page_size, summed over
    the innodb_stats_tables tables (partitions count one by one) that have
    a row in mysql.innodb_table_stats.  Tables without persistent
    statistics are not counted: a lower bound.
  */
  uint64_t innodb_data_bytes;
  uint64_t innodb_stats_tables;
  uint64_t Innodb_os_log_written;      /* redo bytes generated since start */
  uint64_t Created_tmp_tables;
  uint64_t Created_tmp_disk_tables;
  uint64_t Max_used_connections;       /* connections (peak) */
  uint64_t Threads_created;            /* threads */
  uint64_t Threads_cached;             /* threads idle in the cache now */
  uint64_t Connections;                /* connection attempts */
  uint64_t Com_commit;                 /* explicit COMMIT statements */
  uint64_t Handler_commit;             /* engine commit calls */
  uint64_t Qcache_hits;
  uint64_t Qcache_inserts;
  uint64_t Qcache_not_cached;
  uint64_t Qcache_lowmem_prunes;
  uint64_t Qcache_free_memory;         /* bytes */
  uint64_t Com_select;                 /* includes query cache hits */
  uint64_t Table_open_cache_hits;
  uint64_t Table_open_cache_misses;
  uint64_t Table_open_cache_overflows;
  uint64_t Open_tables;                /* entries now */
  uint64_t Opened_tables;
  uint64_t Open_table_definitions;     /* entries now */
  uint64_t Opened_table_definitions;
  uint64_t Key_read_requests;          /* key block reads requested */
  uint64_t Key_reads;                  /* key blocks read from disk */
  uint64_t Key_blocks_used;            /* blocks, high-water mark */
  uint64_t Key_blocks_unused;          /* blocks */
  uint64_t Performance_schema_digest_lost;
};

/*
  Mark every field of s unknown, so the server layer only sets what it
  read.  The struct holds integers only, which makes all-ones bytes exactly
  PA_CONFIG_UNKNOWN / -1.
*/
void pa_config_state_init(struct pa_server_state *s);

/* ---------------------------------------------------------------- caches */

#define PA_CACHE_ROWS 6

/*
  One server cache.  name, size_unit and source are static strings.
  size_unit is "bytes" or "entries" and applies to size and used.
  hit_ratio = hits / (hits + misses), known only when both are known and
  their sum is non-zero.
*/
struct pa_cache_row
{
  const char *name;
  const char *size_unit;
  int size_known;
  uint64_t size;
  int used_known;
  uint64_t used;
  int hits_known;
  uint64_t hits;
  int misses_known;
  uint64_t misses;
  int hit_ratio_known;
  double hit_ratio;          /* 0..1 */
  const char *source;        /* the counters the row is computed from */
};

/*
  Fill rows with, in this order: innodb_buffer_pool, query_cache,
  table_open_cache, table_definition_cache, thread_cache, key_cache.
  Returns the number of rows written (PA_CACHE_ROWS).  Never fails.
*/
int pa_cache_stats(const struct pa_server_state *s,
                   struct pa_cache_row rows[PA_CACHE_ROWS]);

/* ----------------------------------------------------------------- rules */

/*
  Rule thresholds.  Ratios are fractions (0.99 = 99%).  The server layer
  maps them to perf_advisor_* system variables; the defaults are those of
  pa_config_thresholds_default().
*/
struct pa_config_thresholds
{
  /* buffer_pool_small */
  double min_hit_ratio_buffer_pool;       /* 0.99 */
  uint64_t min_buffer_pool_read_requests; /* 10000 samples */
  uint64_t small_buffer_pool_bytes;       /* 1 GiB */
  double buffer_pool_ram_fraction;        /* 0.70 of RAM */
  /* tmp_table_size_mismatch */
  double max_tmp_disk_ratio;              /* 0.25 */
  uint64_t min_tmp_tables;                /* 1000 */
  double tmp_table_ram_fraction;          /* 0.01 of RAM per table */
  /* rate rules (redo_log_small, flush_log_tradeoff,
     table_definition_cache_small) need this much uptime, seconds */
  uint64_t min_uptime_rate_s;             /* 3600 */
  uint64_t max_redo_log_bytes;            /* 32 GiB, disk space */
  /* max_connections_high / _low */
  double max_connections_high_ratio;      /* 0.85 */
  double max_connections_low_ratio;       /* 0.10 */
  uint64_t min_uptime_low_connections_s;  /* 86400 */
  /* query_cache_inefficient */
  double min_qcache_hit_ratio;            /* 0.50 */
  uint64_t min_qcache_lookups;            /* 10000 */
  double max_qcache_prune_ratio;          /* 0.10 of Qcache_inserts */
  /* flush_log_tradeoff */
  double min_commits_per_s;               /* 100 Handler_commit per second */
  /* memory_overcommit: worst case over RAM */
  double overcommit_high_ratio;           /* 1.00 */
  double overcommit_medium_ratio;         /* 0.90 */
  /* table_open_cache_small */
  double max_table_cache_miss_ratio;      /* 0.10 */
  uint64_t min_table_opens;               /* 10000 */
  /* thread_cache_small */
  double max_thread_create_ratio;         /* 0.10 */
  uint64_t min_connections;               /* 1000 */
  /* table_definition_cache_small */
  double max_tdc_opens_per_hour;          /* 100 */
  /* key_cache_low_hit */
  double min_hit_ratio_key_cache;         /* 0.99 */
  uint64_t min_key_read_requests;         /* 10000 */
};

void pa_config_thresholds_default(struct pa_config_thresholds *t);

/*
  The memory estimate of rule memory_overcommit, in bytes:
    global   = innodb_buffer_pool_size + key_buffer_size
               + query_cache_size (0 when query_cache_type is OFF)
               + innodb_log_buffer_size + aria_pagecache_buffer_size
    per_conn = sort_buffer_size + join_buffer_size + read_buffer_size
               + read_rnd_buffer_size + thread_stack + binlog_cache_size
               + min(tmp_table_size, max_heap_table_size)
    worst    = global + per_conn * max_connections
  Sums saturate at UINT64_MAX.  Returns 1 when every input is known, else 0
  (and *m is zeroed).
*/
struct pa_config_memory
{
  uint64_t global_bytes;
  uint64_t per_conn_bytes;
  uint64_t worst_bytes;
};
int pa_config_memory(const struct pa_server_state *s,
                     struct pa_config_memory *m);

/*
  Append the configuration and cache recommendations for s to out.
  t: thresholds, NULL for the defaults.  Records are of type
  "configuration" or "cache"; their ids are pa_rec_set_id(rec, type,
  <rule code>, NULL) and the evidence JSON names the rule as "rule".
  Memory-growing suggestions (innodb_buffer_pool_size, max_connections,
  tmp_table_size / max_heap_table_size, key_buffer_size) share the room RAM
  leaves under the memory estimate, in that order, so running all of them
  together keeps the estimate within RAM; with RAM or any input of the
  estimate unknown, no such size is suggested.  sql is set only for
  variables that are dynamic in 10.11, rollback_sql restores the current
  value.  Strings live in out's allocator.
  Returns 0, or -1 when an allocation failed (out->oom is set and out holds
  the records made so far).
*/
int pa_config_advise(const struct pa_server_state *s,
                     const struct pa_config_thresholds *t,
                     struct pa_rec_list *out);

#endif
