/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: reading the live statistics sources into plain structs.

  performance_schema is read through the SQL service (its tables are the
  only interface it exports); userstat's hashes are searched directly.
  Nothing here keeps state: pa_state folds what is read into the store.
*/
#ifndef PA_COLLECT_H
#define PA_COLLECT_H

#define MYSQL_SERVER 1 /* this plugin uses server internals */
#include <my_global.h>
#include <sql_class.h>

extern "C" {
#include "pa_config.h"
#include "pa_table.h"
#include "pa_usage.h"
#include "pa_verify.h"
#include "pa_workload.h"
}

/*
  The core's allocator (pa_alloc.alloc) on a MEM_ROOT, passed as ctx:
  pa_alloc a= {pa_root_alloc, root}.  The blocks live until the root is
  freed; NULL when it is out of memory.
*/
void *pa_root_alloc(void *root, size_t bytes);

/* One row of performance_schema table or index I/O. */
struct pa_pfs_io_row
{
  const char *schema;
  const char *name;
  const char *index;             /* NULL: the table row */
  uint64_t raw[PA_USAGE_COUNTERS];
  /* table row: COUNT_READ, COUNT_WRITE, COUNT_READ of the no-index row;
     index row: COUNT_READ, COUNT_FETCH, COUNT_WRITE */
};

/* Everything one read of performance_schema gives. */
struct pa_pfs_data
{
  bool table_io_counts;          /* the table I/O instrument is enabled */
  bool complete;                 /* nothing lost: absent means untouched */
  bool digests_on;               /* the statements_digest consumer is on */
  uint64_t digests_size;         /* performance_schema_digests_size, rows;
                                    0: unknown */
  pa_pfs_object_rule *rules;     /* setup_objects, OBJECT_TYPE 'TABLE' */
  size_t n_rules;
  pa_pfs_io_row *tables;         /* one per table */
  size_t n_tables;
  pa_pfs_io_row *indexes;        /* one per index with data or a slot */
  size_t n_indexes;
  pa_digest *digests;            /* when digests_on: every row of
                                    events_statements_summary_by_digest
                                    with a text (pa_collect_digests' rows,
                                    by the same reader), on digest_root */
  size_t n_digests;
};

/*
  A local SQL-service connection on a THD of its own.  mysql_real_connect_
  local() would otherwise run the queries on the caller's THD, nested in the
  statement it is executing (an I_S fill, a UDF call), where they share its
  temporary-table names, transaction and diagnostics; on a separate THD they
  share nothing, and performance_schema does not instrument them (no digest
  slots used).  NULL, with a warning on thd when given, on failure.  Close
  with mysql_close().
*/
MYSQL *pa_local_connect(THD *thd);

/* performance_schema=ON (a startup-only setting). */
bool pa_pfs_enabled(THD *thd);

/*
  Whether thd's user has SELECT on the whole table db.name: globally, on
  the schema or on the table (a grant on some of its columns is not
  enough).  True in a server built without access checks.
*/
bool pa_caller_reads_table(THD *thd, const char *db, const char *name);

/*
  Read performance_schema into out: the digest rows (and their strings)
  on digest_root, the rest on root (the same root or not: the refresh of a
  statement hands the digests to the statement, pa_refresh.cc).  false
  (with a warning on thd, when there is one) when it cannot be read, and
  false when thd is killed between two of its reads (out is then
  incomplete).
*/
bool pa_collect_pfs(THD *thd, MEM_ROOT *root, MEM_ROOT *digest_root,
                    pa_pfs_data *out);

/*
  userstat's live counters of one table (raw[]: rows read, rows changed,
  rows read without an index) and, for its n indexes, rows read through
  each (idx_raw[i]).  userstat has no exclusions: absent means zero.
*/
void pa_collect_userstat(const TABLE_SHARE *share, uint64_t raw[3],
                         uint n, const char *const *index_names,
                         uint64_t *idx_raw);

/*
  A read of the statement digests, indexed by the tables they name: d[0 ..
  n - 1] (pa_types.h; this node's first, then any peers' that
  pa_peers_add_digests appended) and w over them (w.digests == d).
  Everything lives on the memory root of the read.
*/
struct pa_digest_set
{
  pa_digest *d;
  size_t n;
  pa_workload w;
};

/*
  Make set the n digests d (on root) and index them by table, memory from
  root.  false when out of memory (set->w is then empty).
*/
bool pa_digest_set_index(pa_digest_set *set, pa_digest *d, size_t n,
                         MEM_ROOT *root);

/*
  Read events_statements_summary_by_digest into set (memory from root) and
  index it by table: the same query and row decoder as pa_collect_pfs's
  digests.  false, with a warning on thd, when it cannot be read.
*/
bool pa_collect_digests(THD *thd, MEM_ROOT *root, pa_digest_set *set);

/*
  Server variables and status counters the configuration and cache rules
  use, and the memory the server may use (physical RAM, or the cgroup
  limit when lower).  Fields that cannot be read stay unknown.  false, with
  a warning on thd, when nothing could be read.  with_data_size: also the
  InnoDB data size from mysql.innodb_table_stats (innodb_data_bytes; one
  more read, which only the buffer pool rule needs).
*/
bool pa_collect_server_state(THD *thd, pa_server_state *s,
                             bool with_data_size);

/* Seconds since the epoch / milliseconds of a monotonic-enough clock. */
int64_t pa_now();
ulonglong pa_now_ms();

#endif
