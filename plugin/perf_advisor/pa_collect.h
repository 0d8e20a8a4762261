/*
  perf_advisor: reading server state into the core's plain structs.

  One snapshot per statement and per INFORMATION_SCHEMA table instance:
  whatever the statement asks, the counters it reads were taken at one moment
  and every row agrees with every other.  The snapshot lives on the memory
  root of the I_S temporary table, so it is freed with the statement.
*/
#ifndef PA_COLLECT_H
#define PA_COLLECT_H

#define MYSQL_SERVER 1 /* this plugin uses server internals */
#include <my_global.h>
#include <sql_class.h>

extern "C" {
#include "pa_table.h"
#include "pa_workload.h"
}

/* Settings the collector reads; owned by plugin.cc (system variables). */
extern ulong pa_slow_query_ms;

/* One row of performance_schema table I/O, keyed by schema and name. */
struct pa_pfs_table_row
{
  const char *schema;
  const char *name;
  uint64_t rows_read;        /* COUNT_READ: rows fetched */
  uint64_t rows_changed;     /* COUNT_WRITE: rows inserted/updated/deleted */
  uint64_t full_scan_reads;  /* COUNT_READ of the INDEX_NAME IS NULL row */
};

struct pa_snapshot
{
  query_id_t query_id;       /* identity: the statement ... */
  TABLE *owner;              /* ... and the I_S table it was taken for */
  bool pfs_enabled;          /* @@performance_schema */
  bool userstat_enabled;     /* @@userstat */
  enum pa_stats_source source;
  int64_t observed_seconds;  /* window of the chosen source; -1: unknown */
  int64_t userstat_seconds;  /* userstat's window, lower bound; -1: off */
  pa_pfs_table_row *pfs_rows;  /* sorted by (schema, name) */
  pa_pfs_object_rule *pfs_rules;  /* setup_objects, OBJECT_TYPE 'TABLE' */
  size_t n_pfs_rules;
  size_t n_pfs_rows;
  bool workload_known;       /* digests were read */
  pa_digest_stat *digests;
  pa_workload workload;
  uint64_t slow_threshold_ps;  /* perf_advisor_slow_query_ms, picoseconds */
};

/*
  The snapshot for this statement and I_S table, collected on first use.
  Never NULL unless out of memory (then an error is set on thd).  Sources
  that cannot be read leave their part unknown, with a warning.
*/
pa_snapshot *pa_snapshot_get(THD *thd, TABLE *is_table);

/*
  The activity counters of one table from the snapshot's source.  For
  userstat the live hashes are read (they are cheap to search and always
  current); for performance_schema the snapshot rows.
*/
void pa_collect_table_io(const pa_snapshot *snap, const LEX_CSTRING *db,
                         const LEX_CSTRING *name, const TABLE_SHARE *share,
                         pa_table_io *out);

/* Plugin start/stop bookkeeping of the userstat observation window. */
void pa_collect_init();

#endif
