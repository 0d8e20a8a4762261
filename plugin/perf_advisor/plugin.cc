/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: the server-facing layer.  Column arrays, fill functions and
  plugin declarations; the analysis itself is the C core (core/), the data
  comes from pa_collect.

  Data path: collect (server -> plain structs, once per statement) ->
  analyze (pure C) -> render (I_S rows).
*/
#include "pa_recs.h"
#include "pa_stmt.h"
#include "pa_colstats.h"
#include "pa_peers.h"

#include <sql_i_s.h>
#include <sql_show.h>
#include <sql_error.h>
#include <mysql/plugin.h>

#include <mysql/service_sql.h>
#include <tztime.h>
#include <set_var.h>
#include <sql_table.h>
#include <sql_acl.h>

extern "C" {
#include "pa_index.h"
#include "pa_text.h"
#include "pa_missing.h"
#include "pa_table.h"
}


/*
  The system variables: every one is declared and defined here, and read
  elsewhere only through struct pa_settings (pa_settings_read(), once per
  statement into its context; the snapshot thread and the store's refresh
  call it themselves).  Units in pa_stmt.h.
*/
static ulonglong pa_large_table_rows;
static double pa_min_index_ratio;
static ulonglong pa_min_index_bytes;
static ulonglong pa_min_table_rows;
static double pa_fragmentation_pct;
static ulonglong pa_fragmentation_bytes;
static ulong pa_max_joins;
static ulong pa_wide_table_columns;
static ulonglong pa_single_insert_calls;
static ulong pa_max_recommendations;
static ulong pa_max_index_columns;
static ulong pa_unselective_pct;
static ulong pa_min_index_gain_pct;
static ulong pa_index_budget_pct;
static ulonglong pa_index_budget_bytes;
static ulonglong pa_useless_index_distinct;
static ulong pa_business_cycle_days;
static ulong pa_sample_rows;
static ulonglong pa_column_stats_max_age;
static ulong pa_slow_query_ms;
static my_bool pa_include_system_schemas;
static ulong pa_snapshot_interval;
static ulonglong pa_min_observation_seconds;
static ulong pa_max_staleness_ms;
static char *pa_usage_file;
static ulonglong pa_verify_seconds;
static ulong pa_verify_min_executions;
static ulong pa_verify_regression_pct;
static ulong pa_verify_regression_ms;
static char *pa_peer_tables;
static char *pa_peer_digest_tables;
static ulong pa_peer_timeout_ms;

void pa_settings_read(pa_settings *s, MEM_ROOT *root)
{
  s->large_table_rows= pa_large_table_rows;
  s->min_index_ratio= pa_min_index_ratio;
  s->min_index_bytes= pa_min_index_bytes;
  s->min_table_rows= pa_min_table_rows;
  s->fragmentation_pct= pa_fragmentation_pct;
  s->fragmentation_bytes= pa_fragmentation_bytes;
  s->max_joins= pa_max_joins;
  s->wide_table_columns= pa_wide_table_columns;
  s->single_insert_calls= pa_single_insert_calls;
  s->useless_index_distinct= pa_useless_index_distinct;
  s->business_cycle_days= pa_business_cycle_days;
  s->max_recommendations= pa_max_recommendations;
  s->max_index_columns= pa_max_index_columns;
  s->unselective_pct= pa_unselective_pct;
  s->min_index_gain_pct= pa_min_index_gain_pct;
  s->index_budget_pct= pa_index_budget_pct;
  s->index_budget_bytes= pa_index_budget_bytes;
  s->sample_rows= pa_sample_rows;
  s->column_stats_max_age= pa_column_stats_max_age;
  s->slow_query_ms= pa_slow_query_ms;
  s->include_system_schemas= pa_include_system_schemas;
  s->snapshot_interval= pa_snapshot_interval;
  s->min_observation_seconds= pa_min_observation_seconds;
  s->max_staleness_ms= pa_max_staleness_ms;
  s->usage_file= pa_usage_file;            /* read-only: never freed */
  s->verify_seconds= pa_verify_seconds;
  s->verify_min_executions= pa_verify_min_executions;
  s->verify_regression_pct= pa_verify_regression_pct;
  s->verify_regression_ms= pa_verify_regression_ms;
  s->peer_timeout_ms= pa_peer_timeout_ms;
  s->peer_tables= NULL;
  s->peer_digest_tables= NULL;
  if (root)
  {
    /* SET GLOBAL frees the old string under this lock; with no root
       nothing is copied and no lock taken (the snapshot thread holds its
       own mutex, which SET GLOBAL perf_advisor_snapshot_interval takes
       under this one). */
    mysql_mutex_lock(&LOCK_global_system_variables);
    s->peer_tables= strdup_root(root, pa_peer_tables ? pa_peer_tables : "");
    s->peer_digest_tables= strdup_root(
        root, pa_peer_digest_tables ? pa_peer_digest_tables : "");
    mysql_mutex_unlock(&LOCK_global_system_variables);
  }
}

/*
  The statement context's slot (pa_stmt.h): session variables that are no
  system variables, as server_audit keeps its per-connection state.
*/
static MYSQL_THDVAR_ULONGLONG(stmt_query_id,
                              PLUGIN_VAR_NOSYSVAR | PLUGIN_VAR_NOCMDOPT,
                              "internal: the query id of the statement "
                              "context", NULL, NULL, 0, 0, ULONGLONG_MAX, 0);
static MYSQL_THDVAR_ULONGLONG(stmt_table,
                              PLUGIN_VAR_NOSYSVAR | PLUGIN_VAR_NOCMDOPT,
                              "internal: the I_S table of the statement "
                              "context", NULL, NULL, 0, 0, ULONGLONG_MAX, 0);
static MYSQL_THDVAR_ULONGLONG(stmt_context,
                              PLUGIN_VAR_NOSYSVAR | PLUGIN_VAR_NOCMDOPT,
                              "internal: the statement context", NULL, NULL,
                              0, 0, ULONGLONG_MAX, 0);

void pa_stmt_slot_of(THD *thd, pa_stmt_slot *slot)
{
  slot->query_id= &THDVAR(thd, stmt_query_id);
  slot->table= &THDVAR(thd, stmt_table);
  slot->stmt= &THDVAR(thd, stmt_context);
}

static MYSQL_SYSVAR_ULONG(
    slow_query_ms, pa_slow_query_ms, PLUGIN_VAR_RQCMDARG,
    "A statement digest is slow when its average latency exceeds this many "
    "milliseconds. Default 1000; 0 counts every digest that took any time",
    NULL, NULL, 1000, 0, 86400000, 0);

static MYSQL_SYSVAR_BOOL(
    include_system_schemas, pa_include_system_schemas, PLUGIN_VAR_OPCMDARG,
    "Also analyze the tables of mysql, information_schema, "
    "performance_schema and sys. Default OFF",
    NULL, NULL, FALSE);

static void update_snapshot_interval(THD *, struct st_mysql_sys_var *,
                                     void *var, const void *save)
{
  *(ulong *) var= *(const ulong *) save;
  pa_state_wake();
}

static MYSQL_SYSVAR_ULONG(
    snapshot_interval, pa_snapshot_interval, PLUGIN_VAR_RQCMDARG,
    "Seconds between snapshots of the index usage store to its file (it is "
    "also saved at shutdown). Default 300; 0 saves only at shutdown and on "
    "perf_snapshot_now()",
    NULL, update_snapshot_interval, 300, 0, 86400, 0);

static MYSQL_SYSVAR_ULONGLONG(
    min_observation_seconds, pa_min_observation_seconds, PLUGIN_VAR_RQCMDARG,
    "An index is called unused only after it was observed, with no read, for "
    "at least this many seconds; before that its status is unknown. Default "
    "604800 (one week); 0 decides at once",
    NULL, NULL, 604800, 0, ULONGLONG_MAX, 0);

static MYSQL_SYSVAR_ULONG(
    max_staleness_ms, pa_max_staleness_ms, PLUGIN_VAR_RQCMDARG,
    "A PERF_ statement rereads performance_schema when the plugin's copy is "
    "older than this many milliseconds. Default 1000; 0 rereads for every "
    "statement",
    NULL, NULL, 1000, 0, 3600000, 0);

static MYSQL_SYSVAR_STR(
    usage_file, pa_usage_file, PLUGIN_VAR_READONLY | PLUGIN_VAR_RQCMDARG,
    "The file, relative to the datadir, that keeps index usage across "
    "restarts. Default perf_advisor_usage.dat",
    NULL, NULL, "perf_advisor_usage.dat");

static MYSQL_SYSVAR_ULONGLONG(
    large_table_rows, pa_large_table_rows, PLUGIN_VAR_RQCMDARG,
    "indexing rule: a table with more rows than this, thinly indexed and "
    "read by full scans, is reported. Default 100000",
    NULL, NULL, 100000, 0, ULONGLONG_MAX, 0);

static MYSQL_SYSVAR_DOUBLE(
    min_index_ratio, pa_min_index_ratio, PLUGIN_VAR_RQCMDARG,
    "indexing rule: INDEX_LENGTH / DATA_LENGTH below which a large scanned "
    "table counts as thinly indexed. Default 0.3",
    NULL, NULL, 0.3, 0, 1000, 0);

static MYSQL_SYSVAR_ULONGLONG(
    min_index_bytes, pa_min_index_bytes, PLUGIN_VAR_RQCMDARG,
    "index_cleanup and redundant_index rules: indexes smaller than this many "
    "bytes are not worth a recommendation; missing_index: smaller new "
    "indexes do not count against the index budget. Default 1048576 "
    "(1 MiB); 0 reports and counts every one",
    NULL, NULL, 1048576, 0, ULONGLONG_MAX, 0);

static MYSQL_SYSVAR_ULONGLONG(
    min_table_rows, pa_min_table_rows, PLUGIN_VAR_RQCMDARG,
    "index_cleanup and redundant_index rules, when an index's size is "
    "unknown (not InnoDB): only tables with at least this many rows. "
    "Default 10000",
    NULL, NULL, 10000, 0, ULONGLONG_MAX, 0);

static MYSQL_SYSVAR_DOUBLE(
    fragmentation_pct, pa_fragmentation_pct, PLUGIN_VAR_RQCMDARG,
    "fragmentation rule: FRAGMENTATION_PCT above which (with DATA_FREE above "
    "perf_advisor_fragmentation_bytes) OPTIMIZE TABLE is suggested. "
    "Default 20",
    NULL, NULL, 20, 0, 100, 0);

static MYSQL_SYSVAR_ULONGLONG(
    fragmentation_bytes, pa_fragmentation_bytes, PLUGIN_VAR_RQCMDARG,
    "fragmentation rule: DATA_FREE bytes above which a fragmented table is "
    "reported. Default 268435456 (256 MiB)",
    NULL, NULL, 256ULL << 20, 0, ULONGLONG_MAX, 0);

static MYSQL_SYSVAR_ULONG(
    max_joins, pa_max_joins, PLUGIN_VAR_RQCMDARG,
    "query_pattern rule: slow statements joining more tables than this "
    "plus one are reported. Default 3",
    NULL, NULL, 3, 0, 1000, 0);

static MYSQL_SYSVAR_ULONG(
    wide_table_columns, pa_wide_table_columns, PLUGIN_VAR_RQCMDARG,
    "query_pattern rule: a slow SELECT * from a table with more columns "
    "than this is reported. Default 20",
    NULL, NULL, 20, 0, 4096, 0);

static MYSQL_SYSVAR_ULONGLONG(
    single_insert_calls, pa_single_insert_calls, PLUGIN_VAR_RQCMDARG,
    "query_pattern rule: a single-row INSERT run at least this many times "
    "is reported for batching. Default 10000",
    NULL, NULL, 10000, 1, ULONGLONG_MAX, 0);

static MYSQL_SYSVAR_ULONG(
    max_recommendations, pa_max_recommendations, PLUGIN_VAR_RQCMDARG,
    "PERF_RECOMMENDATIONS shows at most this many rows, the most important "
    "first. Default 100; 0 shows all",
    NULL, NULL, 100, 0, 1000000, 0);

static MYSQL_SYSVAR_ULONG(
    max_index_columns, pa_max_index_columns, PLUGIN_VAR_RQCMDARG,
    "missing_index rule: a proposed index has at most this many columns, "
    "the most selective equality columns first. Default 3, range 1 to 5",
    NULL, NULL, 3, 1, PA_MISSING_MAX_COLS, 0);

static MYSQL_SYSVAR_ULONG(
    unselective_pct, pa_unselective_pct, PLUGIN_VAR_RQCMDARG,
    "missing_index rule: an equality or join column that keeps at least "
    "this percentage of a table's rows (1 / distinct values, or the share "
    "of its most common value) is not selective and never enters a "
    "proposal. Default 50, range 1 to 100; 100 keeps all but columns with "
    "a single value",
    NULL, NULL, 50, 1, 100, 0);

static MYSQL_SYSVAR_ULONG(
    min_index_gain_pct, pa_min_index_gain_pct, PLUGIN_VAR_RQCMDARG,
    "missing_index rule: no proposal when the statistics estimate that the "
    "index cuts the rows its statements examine by less than this "
    "percentage. Default 50; 0 proposes whatever the cut",
    NULL, NULL, 50, 0, 100, 0);

static MYSQL_SYSVAR_ULONG(
    index_budget_pct, pa_index_budget_pct, PLUGIN_VAR_RQCMDARG,
    "missing_index rule: the new indexes PERF_RECOMMENDATIONS proposes for "
    "one schema take at most this percentage of the schema's current bytes "
    "of tables and indexes (the best time saved per byte first; indexes "
    "smaller than perf_advisor_min_index_bytes do not count). Default 0: "
    "no limit (10 is a cautious cap). perf_advisor_index_budget_bytes, when "
    "not 0, replaces it",
    NULL, NULL, 0, 0, 1000, 0);

static MYSQL_SYSVAR_ULONGLONG(
    index_budget_bytes, pa_index_budget_bytes, PLUGIN_VAR_RQCMDARG,
    "missing_index rule: when not 0, the bytes of new indexes "
    "PERF_RECOMMENDATIONS proposes per schema, in place of "
    "perf_advisor_index_budget_pct. Default 0",
    NULL, NULL, 0, 0, ULONGLONG_MAX, 0);

static MYSQL_SYSVAR_ULONG(
    sample_rows, pa_sample_rows, PLUGIN_VAR_RQCMDARG,
    "Column statistics: rows read from a table (its first rows in scan "
    "order) to learn the NULL share, the most common value's share and "
    "the distinct values of the columns its statements filter on (kept "
    "for perf_advisor_column_stats_max_age seconds). Default 10000; 0 "
    "reads none (statistics from indexes and mysql.column_stats only)",
    NULL, NULL, 10000, 0, 10000000, 0);
static MYSQL_SYSVAR_ULONGLONG(
    column_stats_max_age, pa_column_stats_max_age, PLUGIN_VAR_RQCMDARG,
    "Column statistics: seconds a sample of a table's columns is reused by "
    "later statements (while the table's definition is unchanged and its "
    "row estimate has not drifted by more than 10 %). Default 3600; 0 "
    "samples afresh in every statement that needs it",
    NULL, NULL, 3600, 0, 31536000, 0);
static MYSQL_SYSVAR_ULONGLONG(
    useless_index_distinct, pa_useless_index_distinct, PLUGIN_VAR_RQCMDARG,
    "Drop confidence: an unused index with at most this many distinct "
    "values (CARDINALITY), on a table of at least "
    "perf_advisor_min_table_rows rows, is useless on the data "
    "(DROP_CONFIDENCE high). Default 4; 0 calls no index useless",
    NULL, NULL, 4, 0, ULONGLONG_MAX, 0);

static MYSQL_SYSVAR_ULONG(
    business_cycle_days, pa_business_cycle_days, PLUGIN_VAR_RQCMDARG,
    "Drop advice for an index unread in a window shorter than this many days "
    "says to keep it IGNORED through a full business cycle before dropping "
    "it. Default 31; 0 never says so",
    NULL, NULL, 31, 0, 3660, 0);

static MYSQL_SYSVAR_ULONGLONG(
    verify_seconds, pa_verify_seconds, PLUGIN_VAR_RQCMDARG,
    "Verification of index changes: a change whose statements have not all "
    "run perf_advisor_verify_min_executions times is judged this many "
    "seconds after it was seen, with the statements that have. Default "
    "86400 (one day); 0 waits for every statement. The DROP INDEX after a "
    "soft drop is offered no sooner than this after the soft drop",
    NULL, NULL, 86400, 0, ULONGLONG_MAX, 0);

static MYSQL_SYSVAR_ULONG(
    verify_min_executions, pa_verify_min_executions, PLUGIN_VAR_RQCMDARG,
    "Verification of index changes: executions of a statement digest after "
    "a change before it counts in the verdict. Default 20, range 1 to "
    "1000000000",
    NULL, NULL, 20, 1, 1000000000, 0);

static MYSQL_SYSVAR_ULONG(
    verify_regression_pct, pa_verify_regression_pct, PLUGIN_VAR_RQCMDARG,
    "Verification of index changes: a statement regressed when its average "
    "latency rose by more than this percentage (and by more than "
    "perf_advisor_verify_regression_ms); it was helped when its latency "
    "fell by as much, or its rows examined per execution by this "
    "percentage. Default 25, range 1 to 10000",
    NULL, NULL, 25, 1, 10000, 0);

static MYSQL_SYSVAR_ULONG(
    verify_regression_ms, pa_verify_regression_ms, PLUGIN_VAR_RQCMDARG,
    "Verification of index changes: the smallest rise (or fall) of a "
    "statement's average latency, in milliseconds, that counts as a "
    "regression (or help). Default 1; 0: the percentage alone decides",
    NULL, NULL, 1, 0, 86400000, 0);

/* perf_advisor_peer_tables and perf_advisor_peer_digest_tables: refused at
   SET unless pa_peer_parse takes the list (a value given at startup is
   checked when it is used); NAME is the variable's, for the message. */
static int check_peer_list(THD *thd, void *save, struct st_mysql_value *value,
                           const char *name)
{
  char buf[1024], err[128];
  int len= sizeof(buf);
  const char *str= value->val_str(value, buf, &len);
  if (str && !(str= thd->strmake(str, len)))
    return 1;
  if (pa_peers_check(str, err, sizeof(err)))
  {
    my_printf_error(ER_WRONG_VALUE_FOR_VAR, "%s: %s", MYF(0), name, err);
    return 1;
  }
  *(const char **) save= str;
  return 0;
}

static int check_peer_tables(THD *thd, struct st_mysql_sys_var *,
                             void *save, struct st_mysql_value *value)
{
  return check_peer_list(thd, save, value, "perf_advisor_peer_tables");
}

static MYSQL_SYSVAR_STR(
    peer_tables, pa_peer_tables, PLUGIN_VAR_MEMALLOC | PLUGIN_VAR_RQCMDARG,
    "The other nodes of the cluster: a comma-separated list of db.table "
    "names, each a table (FederatedX) over one node's "
    "information_schema.PERF_INDEX_USAGE node columns (docs/cluster.md). "
    "An index is unused only when unused on every node. Default empty: "
    "this node only",
    check_peer_tables, NULL, "");

/* perf_advisor_peer_digest_tables: the same syntax. */
static int check_peer_digest_tables(THD *thd, struct st_mysql_sys_var *,
                                    void *save,
                                    struct st_mysql_value *value)
{
  return check_peer_list(thd, save, value, "perf_advisor_peer_digest_tables");
}

static MYSQL_SYSVAR_STR(
    peer_digest_tables, pa_peer_digest_tables,
    PLUGIN_VAR_MEMALLOC | PLUGIN_VAR_RQCMDARG,
    "Statements of other nodes for the missing-index advice: a "
    "comma-separated list of db.table names, each a table (FederatedX) "
    "over one node's performance_schema."
    "events_statements_summary_by_digest (docs/cluster.md); their SELECT "
    "statements join this node's. Default empty: this node's statements "
    "only",
    check_peer_digest_tables, NULL, "");

static MYSQL_SYSVAR_ULONG(
    peer_timeout_ms, pa_peer_timeout_ms, PLUGIN_VAR_RQCMDARG,
    "Milliseconds a statement waits for the peers of "
    "perf_advisor_peer_tables and perf_advisor_peer_digest_tables to "
    "answer (all at once, once per statement); a peer that has not "
    "answered by then is missing: its indexes' usage unknown, its "
    "statements left out. Default 2000, range 1 to 600000",
    NULL, NULL, 2000, 1, 600000, 0);

static struct st_mysql_sys_var *pa_system_variables[]= {
    MYSQL_SYSVAR(large_table_rows),
    MYSQL_SYSVAR(min_index_ratio),
    MYSQL_SYSVAR(min_index_bytes),
    MYSQL_SYSVAR(min_table_rows),
    MYSQL_SYSVAR(fragmentation_pct),
    MYSQL_SYSVAR(fragmentation_bytes),
    MYSQL_SYSVAR(max_joins),
    MYSQL_SYSVAR(wide_table_columns),
    MYSQL_SYSVAR(single_insert_calls),
    MYSQL_SYSVAR(max_recommendations),
    MYSQL_SYSVAR(max_index_columns),
    MYSQL_SYSVAR(unselective_pct),
    MYSQL_SYSVAR(min_index_gain_pct),
    MYSQL_SYSVAR(index_budget_pct),
    MYSQL_SYSVAR(index_budget_bytes),
    MYSQL_SYSVAR(sample_rows),
    MYSQL_SYSVAR(column_stats_max_age),
    MYSQL_SYSVAR(slow_query_ms),
    MYSQL_SYSVAR(include_system_schemas),
    MYSQL_SYSVAR(snapshot_interval),
    MYSQL_SYSVAR(min_observation_seconds),
    MYSQL_SYSVAR(max_staleness_ms),
    MYSQL_SYSVAR(usage_file),
    MYSQL_SYSVAR(useless_index_distinct),
    MYSQL_SYSVAR(business_cycle_days),
    MYSQL_SYSVAR(verify_seconds),
    MYSQL_SYSVAR(verify_min_executions),
    MYSQL_SYSVAR(verify_regression_pct),
    MYSQL_SYSVAR(verify_regression_ms),
    MYSQL_SYSVAR(peer_tables),
    MYSQL_SYSVAR(peer_timeout_ms),
    MYSQL_SYSVAR(peer_digest_tables),
    MYSQL_SYSVAR(stmt_query_id),
    MYSQL_SYSVAR(stmt_table),
    MYSQL_SYSVAR(stmt_context),
    NULL};

/* Slow digests among a table's digests: count and worst average (ms). */
static void slow_digests(const pa_table_model *m, pa_table_workload *out)
{
  const pa_state_table *st= &m->st;
  out->known= st->digests_known;
  pa_workload_slow(st->digest_avg_ps, st->n_digests,
                   pa_settings_slow_ps(&m->stmt->settings), out);
}

/*********** INFORMATION_SCHEMA.PERF_TABLE_ANALYSIS *******************/

namespace Show {

/* Column positions; the array below must list them in this order. */
enum pa_table_analysis_col
{
  TA_TABLE_SCHEMA,
  TA_TABLE_NAME,
  TA_ENGINE,
  TA_TABLE_ROWS,
  TA_AVG_ROW_LENGTH,
  TA_DATA_LENGTH,
  TA_INDEX_LENGTH,
  TA_DATA_FREE,
  TA_INDEX_COUNT,
  TA_INDEX_TO_DATA_RATIO,
  TA_FRAGMENTATION_PCT,
  TA_ROWS_READ,
  TA_ROWS_CHANGED,
  TA_FULL_SCAN_READS,
  TA_SLOW_QUERY_COUNT,
  TA_WORST_QUERY_AVG_MS,
  TA_STATS_SOURCE,
  TA_OBSERVED_SECONDS,
  TA_COLUMNS
};

static ST_FIELD_INFO table_analysis_fields[]= {
    Column("TABLE_SCHEMA", Name(), NOT_NULL, OPEN_FRM_ONLY),
    Column("TABLE_NAME", Name(), NOT_NULL, OPEN_FRM_ONLY),
    Column("ENGINE", Name(), NULLABLE, OPEN_FRM_ONLY),
    Column("TABLE_ROWS", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("AVG_ROW_LENGTH", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("DATA_LENGTH", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("INDEX_LENGTH", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("DATA_FREE", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("INDEX_COUNT", ULong(), NOT_NULL, OPEN_FRM_ONLY),
    Column("INDEX_TO_DATA_RATIO", Decimal(2004), NULLABLE, OPEN_FRM_ONLY),
    Column("FRAGMENTATION_PCT", Decimal(502), NULLABLE, OPEN_FRM_ONLY),
    Column("ROWS_READ", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("ROWS_CHANGED", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("FULL_SCAN_READS", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("SLOW_QUERY_COUNT", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("WORST_QUERY_AVG_MS", Decimal(2003), NULLABLE, OPEN_FRM_ONLY),
    Column("STATS_SOURCE", Varchar(32), NOT_NULL, OPEN_FRM_ONLY),
    Column("OBSERVED_SECONDS", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    CEnd()};

static_assert(sizeof(table_analysis_fields) / sizeof(table_analysis_fields[0])
                  == TA_COLUMNS + 1,
              "PERF_TABLE_ANALYSIS: enum and column array disagree");

/*
  process_table of PERF_TABLE_ANALYSIS: one table -> one row.
  get_all_tables() has already applied the caller's privileges and the
  TABLE_SCHEMA / TABLE_NAME lookup values.
*/
static int table_analysis_record(THD *thd, TABLE_LIST *tables, TABLE *table,
                                 bool res, const LEX_CSTRING *db_name,
                                 const LEX_CSTRING *table_name)
{
  const CHARSET_INFO *cs= system_charset_info;
  pa_table_model *m;
  pa_table_workload work;
  Field **f= table->field;

  pa_walk w= pa_model_get(thd, tables, res, table, db_name, table_name,
                          false, &m);
  if (w != PA_WALK_BUILD)
    return pa_walk_return(w);
  slow_digests(m, &work);

  restore_record(table, s->default_values);
  f[TA_TABLE_SCHEMA]->store(db_name, cs);
  f[TA_TABLE_NAME]->store(table_name, cs);
  pa_store_str(f[TA_ENGINE], m->engine);
  pa_store_u64(f[TA_TABLE_ROWS], m->facts.sizes_known, m->facts.rows);
  pa_store_u64(f[TA_AVG_ROW_LENGTH], m->facts.sizes_known,
               m->facts.avg_row_length);
  pa_store_u64(f[TA_DATA_LENGTH], m->facts.sizes_known,
               m->facts.data_length);
  pa_store_u64(f[TA_INDEX_LENGTH], m->facts.sizes_known,
               m->facts.index_length);
  pa_store_u64(f[TA_DATA_FREE], m->facts.sizes_known, m->facts.data_free);
  f[TA_INDEX_COUNT]->store((longlong) m->facts.index_count, true);
  pa_store_double(f[TA_INDEX_TO_DATA_RATIO], m->metrics.ratio_known,
                  m->metrics.index_to_data_ratio);
  pa_store_double(f[TA_FRAGMENTATION_PCT], m->metrics.frag_known,
                  m->metrics.fragmentation_pct);
  pa_store_u64(f[TA_ROWS_READ], m->st.known, m->st.table.total[0]);
  pa_store_u64(f[TA_ROWS_CHANGED], m->st.known, m->st.table.total[1]);
  pa_store_u64(f[TA_FULL_SCAN_READS], m->st.known, m->st.table.total[2]);
  pa_store_u64(f[TA_SLOW_QUERY_COUNT], work.known, work.slow_digests);
  pa_store_double(f[TA_WORST_QUERY_AVG_MS], work.known && work.slow_digests,
                  work.worst_avg_ms);
  pa_store_str(f[TA_STATS_SOURCE], pa_stats_source_name(m->st.source));
  pa_store_u64(f[TA_OBSERVED_SECONDS], m->st.known,
               m->rule.observed_seconds);
  return schema_table_store_record(thd, table);
}

static int table_analysis_init(void *p)
{
  return pa_model_is_init(p, table_analysis_fields, table_analysis_record,
                          TA_TABLE_SCHEMA, TA_TABLE_NAME);
}

static struct st_mysql_information_schema table_analysis_plugin= {
    MYSQL_INFORMATION_SCHEMA_INTERFACE_VERSION};

} // namespace Show

/*********** INFORMATION_SCHEMA.PERF_INDEX_USAGE ***********************/

namespace Show {

enum pa_index_usage_col
{
  IU_TABLE_SCHEMA,
  IU_TABLE_NAME,
  IU_INDEX_NAME,
  IU_INDEX_TYPE,
  IU_COLUMNS,
  IU_IS_PRIMARY,
  IU_IS_UNIQUE,
  IU_IS_IGNORED,
  IU_FK_NAME,
  IU_CARDINALITY,
  IU_SELECTIVITY,
  IU_READ_COUNT,
  IU_ROWS_READ,
  IU_WRITE_COUNT,
  IU_LAST_USED,
  IU_USAGE_STATUS,
  IU_REDUNDANCY,
  IU_REDUNDANT_WITH,
  IU_SIZE_BYTES,
  IU_DROP_SAFE,
  IU_DROP_BLOCKER,
  IU_STATS_SOURCE,
  IU_OBSERVED_SECONDS,
  IU_DROP_CONFIDENCE,
  IU_DROP_CONFIDENCE_REASON,
  IU_ORIGIN,
  IU_SERVER_ID,
  IU_NODE_NAME,
  IU_OBSERVED_SINCE,
  IU_NODE_USAGE_STATUS,
  IU_READ_COUNT_ALL_NODES,
  IU_NODES_COUNTED,
  IU_NODES_MISSING,
  IU_NODE_READS,
  IU_COLUMNS_COUNT
};

/* Every column is OPEN_FRM_ONLY: get_all_tables() hands over the
   definition, pa_model_build() opens the handler it needs itself
   (foreign keys, statistics) outside the table cache. */
static ST_FIELD_INFO index_usage_fields[]= {
    Column("TABLE_SCHEMA", Name(), NOT_NULL, OPEN_FRM_ONLY),
    Column("TABLE_NAME", Name(), NOT_NULL, OPEN_FRM_ONLY),
    Column("INDEX_NAME", Name(), NOT_NULL, OPEN_FRM_ONLY),
    Column("INDEX_TYPE", Varchar(16), NOT_NULL, OPEN_FRM_ONLY),
    Column("COLUMNS", Varchar(2048), NOT_NULL, OPEN_FRM_ONLY),
    Column("IS_PRIMARY", Varchar(3), NOT_NULL, OPEN_FRM_ONLY),
    Column("IS_UNIQUE", Varchar(3), NOT_NULL, OPEN_FRM_ONLY),
    Column("IS_IGNORED", Varchar(3), NOT_NULL, OPEN_FRM_ONLY),
    Column("FK_NAME", Name(), NULLABLE, OPEN_FRM_ONLY),
    Column("CARDINALITY", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("SELECTIVITY", Decimal(1306), NULLABLE, OPEN_FRM_ONLY),
    Column("READ_COUNT", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("ROWS_READ", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("WRITE_COUNT", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("LAST_USED", Datetime(0), NULLABLE, OPEN_FRM_ONLY),
    Column("USAGE_STATUS", Varchar(16), NOT_NULL, OPEN_FRM_ONLY),
    Column("REDUNDANCY", Varchar(16), NULLABLE, OPEN_FRM_ONLY),
    Column("REDUNDANT_WITH", Name(), NULLABLE, OPEN_FRM_ONLY),
    Column("SIZE_BYTES", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("DROP_SAFE", Varchar(3), NOT_NULL, OPEN_FRM_ONLY),
    Column("DROP_BLOCKER", Varchar(1024), NULLABLE, OPEN_FRM_ONLY),
    Column("STATS_SOURCE", Varchar(32), NOT_NULL, OPEN_FRM_ONLY),
    Column("OBSERVED_SECONDS", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("DROP_CONFIDENCE", Varchar(8), NULLABLE, OPEN_FRM_ONLY),
    Column("DROP_CONFIDENCE_REASON", Varchar(32), NULLABLE, OPEN_FRM_ONLY),
    Column("ORIGIN", Varchar(16), NULLABLE, OPEN_FRM_ONLY),
    Column("SERVER_ID", ULonglong(), NOT_NULL, OPEN_FRM_ONLY),
    Column("NODE_NAME", Varchar(255), NOT_NULL, OPEN_FRM_ONLY),
    Column("OBSERVED_SINCE", Datetime(0), NULLABLE, OPEN_FRM_ONLY),
    Column("NODE_USAGE_STATUS", Varchar(16), NOT_NULL, OPEN_FRM_ONLY),
    Column("READ_COUNT_ALL_NODES", ULonglong(), NULLABLE, OPEN_FRM_ONLY),
    Column("NODES_COUNTED", ULong(), NOT_NULL, OPEN_FRM_ONLY),
    Column("NODES_MISSING", Varchar(2048), NULLABLE, OPEN_FRM_ONLY),
    Column("NODE_READS", Varchar(4096), NULLABLE, OPEN_FRM_ONLY),
    CEnd()};

static_assert(sizeof(index_usage_fields) / sizeof(index_usage_fields[0]) ==
                  IU_COLUMNS_COUNT + 1,
              "PERF_INDEX_USAGE: enum and column array disagree");

static int index_usage_rows(THD *thd, TABLE_LIST *tables, TABLE *table,
                            const pa_table_model *m,
                            const LEX_CSTRING *db_name,
                            const LEX_CSTRING *table_name)
{
  const CHARSET_INFO *cs= system_charset_info;
  pa_thresholds th;

  pa_settings_thresholds(&m->stmt->settings, &th);
  for (int x= 0; x < m->def->n_indexes; x++)
  {
    const pa_index_def *d= &m->def->indexes[x];
    const pa_index_verdict *v= &m->verdicts[x];
    const pa_state_index *su= &m->su[x];
    Field **f= table->field;
    char buf[2048];

    if (!pa_model_index_visible(thd, tables, m, x))
      continue;
    restore_record(table, s->default_values);
    f[IU_TABLE_SCHEMA]->store(db_name, cs);
    f[IU_TABLE_NAME]->store(table_name, cs);
    f[IU_INDEX_NAME]->store(d->name, strlen(d->name), cs);
    pa_store_str(f[IU_INDEX_TYPE],
                 d->type == PA_IDX_FULLTEXT  ? "FULLTEXT"
                 : d->type == PA_IDX_SPATIAL ? "SPATIAL"
                 : d->type == PA_IDX_HASH    ? "HASH"
                                             : "BTREE");
    pa_store_str(f[IU_COLUMNS], pa_index_columns_text(d, buf, sizeof(buf)));
    pa_store_str(f[IU_IS_PRIMARY], pa_yes_no(d->is_primary));
    pa_store_str(f[IU_IS_UNIQUE], pa_yes_no(d->is_unique));
    pa_store_str(f[IU_IS_IGNORED], pa_yes_no(d->is_ignored));
    if (v->fk >= 0)
      pa_store_str(f[IU_FK_NAME], m->def->fks[v->fk].name);
    pa_store_u64(f[IU_CARDINALITY], m->card_known[x], m->cardinality[x]);
    pa_store_double(f[IU_SELECTIVITY], m->sel_known[x], m->selectivity[x]);
    pa_store_u64(f[IU_READ_COUNT], m->st.known, su->u.total[0]);
    pa_store_u64(f[IU_ROWS_READ], m->st.known, su->u.total[1]);
    pa_store_u64(f[IU_WRITE_COUNT], m->st.known && m->st.source == PA_SRC_PFS,
                 su->u.total[2]);
    if (su->known && su->u.last_used > 0)
    {
      MYSQL_TIME t;
      thd->variables.time_zone->gmt_sec_to_TIME(&t,
                                                (my_time_t) su->u.last_used);
      f[IU_LAST_USED]->set_notnull();
      f[IU_LAST_USED]->store_time(&t);
    }
    pa_store_str(f[IU_USAGE_STATUS],
                 pa_usage_status_name(m->rule_idx[x].status));
    if (v->redundancy != PA_RED_NONE)
    {
      pa_store_str(f[IU_REDUNDANCY], pa_redundancy_name(v->redundancy));
      if (v->redundant_with >= 0)
        pa_store_str(f[IU_REDUNDANT_WITH],
                     m->def->indexes[v->redundant_with].name);
    }
    pa_store_u64(f[IU_SIZE_BYTES], m->size_known[x], m->size_bytes[x]);
    pa_store_str(f[IU_DROP_SAFE], pa_yes_no(pa_index_drop_safe(v)));
    if (v->blockers)
      pa_store_str(f[IU_DROP_BLOCKER],
                   pa_index_blockers_text(m->def, v, buf, sizeof(buf)));
    pa_store_str(f[IU_STATS_SOURCE], pa_stats_source_name(m->st.source));
    pa_store_u64(f[IU_OBSERVED_SECONDS], m->st.known && su->known,
                 m->rule_idx[x].observed_seconds);
    pa_drop_verdict dv=
        pa_rules_drop_confidence(&m->rule, &m->rule_idx[x], &th);
    pa_store_str(f[IU_DROP_CONFIDENCE],
                 pa_drop_confidence_name(dv.confidence));
    pa_store_str(f[IU_DROP_CONFIDENCE_REASON],
                 pa_drop_reason_name(dv.reason));
    if (m->frappe_doctype)
      pa_store_str(f[IU_ORIGIN], pa_frappe_origin_name(m->origin[x].origin));
    f[IU_SERVER_ID]->store((longlong) m->server_id, true);
    pa_store_str(f[IU_NODE_NAME], m->node_name);
    if (m->st.known && su->known && su->u.first_seen > 0)
    {
      MYSQL_TIME t;
      thd->variables.time_zone->gmt_sec_to_TIME(&t,
                                                (my_time_t) su->u.first_seen);
      f[IU_OBSERVED_SINCE]->set_notnull();
      f[IU_OBSERVED_SINCE]->store_time(&t);
    }
    pa_store_str(f[IU_NODE_USAGE_STATUS],
                 pa_usage_status_name(m->node_status[x]));
    if (m->n_nodes)
    {
      const pa_usage_merged *mg= &m->merged[x];
      pa_alloc a= {pa_root_alloc, thd->mem_root};
      pa_buf b;
      pa_store_u64(f[IU_READ_COUNT_ALL_NODES], mg->reads_known, mg->reads);
      f[IU_NODES_COUNTED]->store((longlong) mg->counted, true);
      pa_store_str(f[IU_NODES_MISSING], m->nodes_missing[x]);
      pa_buf_init(&b, &a);
      pa_peer_nodes_json(&b, &m->nodes[x * m->n_nodes], m->n_nodes);
      pa_store_str(f[IU_NODE_READS], pa_buf_str(&b));
    }
    else
    {
      pa_store_u64(f[IU_READ_COUNT_ALL_NODES], m->st.known, su->u.total[0]);
      f[IU_NODES_COUNTED]->store(1LL, true);
    }
    if (schema_table_store_record(thd, table))
      return 1;
  }
  return 0;
}

/* process_table of PERF_INDEX_USAGE: one table -> a row per index. */
static int index_usage_record(THD *thd, TABLE_LIST *tables, TABLE *table,
                              bool res, const LEX_CSTRING *db_name,
                              const LEX_CSTRING *table_name)
{
  pa_table_model *m;

  pa_walk w= pa_model_get(thd, tables, res, table, db_name, table_name,
                          true, &m);
  if (w != PA_WALK_BUILD)
    return pa_walk_return(w);
  return index_usage_rows(thd, tables, table, m, db_name, table_name);
}

static int index_usage_init(void *p)
{
  return pa_model_is_init(p, index_usage_fields, index_usage_record,
                          IU_TABLE_SCHEMA, IU_TABLE_NAME);
}

static struct st_mysql_information_schema index_usage_plugin= {
    MYSQL_INFORMATION_SCHEMA_INTERFACE_VERSION};

} // namespace Show

/*********** INFORMATION_SCHEMA.PERF_INDEX_CHANGES *********************/

namespace Show {

enum pa_index_changes_col
{
  IC_ID,
  IC_CHANGED_AT,
  IC_TABLE_SCHEMA,
  IC_TABLE_NAME,
  IC_INDEX_NAME,
  IC_CHANGE,
  IC_RECOMMENDATION_ID,
  IC_DIGESTS,
  IC_STATUS,
  IC_VERDICT_AT,
  IC_PENDING_REASON,
  IC_UNDO_SQL,
  IC_EVIDENCE,
  IC_COLUMNS_COUNT
};

static ST_FIELD_INFO index_changes_fields[]= {
    Column("ID", ULonglong(), NOT_NULL, OPEN_FRM_ONLY),
    Column("CHANGED_AT", Datetime(0), NOT_NULL, OPEN_FRM_ONLY),
    Column("TABLE_SCHEMA", Name(), NOT_NULL, OPEN_FRM_ONLY),
    Column("TABLE_NAME", Name(), NOT_NULL, OPEN_FRM_ONLY),
    Column("INDEX_NAME", Name(), NOT_NULL, OPEN_FRM_ONLY),
    Column("CHANGE", Varchar(16), NOT_NULL, OPEN_FRM_ONLY),
    Column("RECOMMENDATION_ID", Varchar(16), NULLABLE, OPEN_FRM_ONLY),
    Column("DIGESTS", ULong(), NOT_NULL, OPEN_FRM_ONLY),
    Column("STATUS", Varchar(16), NOT_NULL, OPEN_FRM_ONLY),
    Column("VERDICT_AT", Datetime(0), NULLABLE, OPEN_FRM_ONLY),
    Column("PENDING_REASON", Varchar(32), NULLABLE, OPEN_FRM_ONLY),
    Column("UNDO_SQL", Varchar(4096), NULLABLE, OPEN_FRM_ONLY),
    Column("EVIDENCE", Longtext(65535), NOT_NULL, OPEN_FRM_ONLY),
    CEnd()};

static_assert(sizeof(index_changes_fields) / sizeof(index_changes_fields[0]) ==
                  IC_COLUMNS_COUNT + 1,
              "PERF_INDEX_CHANGES: enum and column array disagree");

static void store_epoch(THD *thd, Field *f, int64_t t)
{
  MYSQL_TIME tm;
  thd->variables.time_zone->gmt_sec_to_TIME(&tm, (my_time_t) t);
  f->set_notnull();
  f->store_time(&tm);
}

/* process_table of PERF_INDEX_CHANGES: one table -> a row per change. */
static int index_changes_record(THD *thd, TABLE_LIST *tables, TABLE *table,
                                bool res, const LEX_CSTRING *db_name,
                                const LEX_CSTRING *table_name)
{
  const CHARSET_INFO *cs= system_charset_info;
  pa_table_model *m;
  pa_state_change *ch;
  pa_verify_thresholds th;
  pa_alloc a= {pa_root_alloc, &table->mem_root};
  uint n;
  bool process= !check_global_access(thd, PROCESS_ACL, true);

  /* Building the model reads the table's definitions: this is where a
     change made since the last look is found and logged. */
  pa_walk w= pa_model_get(thd, tables, res, table, db_name, table_name,
                          true, &m);
  if (w != PA_WALK_BUILD)
    return pa_walk_return(w);
  if (!pa_state_table_changes(db_name, table_name, &table->mem_root, &ch,
                              &n))
    return 0;
  pa_settings_verify(&m->stmt->settings, &th);
  for (uint i= 0; i < n; i++)
  {
    const pa_change *c= &ch[i].c;
    Field **f= table->field;
    if (!pa_model_change_visible(thd, tables, m, c))
      continue;
    restore_record(table, s->default_values);
    f[IC_ID]->store((longlong) c->id, true);
    store_epoch(thd, f[IC_CHANGED_AT], c->changed_at);
    f[IC_TABLE_SCHEMA]->store(db_name, cs);
    f[IC_TABLE_NAME]->store(table_name, cs);
    f[IC_INDEX_NAME]->store(c->index, strlen(c->index), cs);
    pa_store_str(f[IC_CHANGE], pa_change_kind_name(c->kind));
    if (c->rec_id[0])
      pa_store_str(f[IC_RECOMMENDATION_ID], c->rec_id);
    f[IC_DIGESTS]->store((longlong) ch[i].n_digests, true);
    pa_store_str(f[IC_STATUS], pa_verdict_name(c->verdict));
    if (c->verdict != PA_VERDICT_PENDING)
      store_epoch(thd, f[IC_VERDICT_AT], c->verdict_at);
    pa_store_str(f[IC_PENDING_REASON], pa_pending_reason_name(c->reason));
    if (c->undo_sql[0])
      pa_store_str(f[IC_UNDO_SQL], c->undo_sql);
    const char *ev= pa_verify_evidence(&a, c, ch[i].digests,
                                       ch[i].n_digests, &th, process,
                                       pa_now());
    if (!ev)
    {
      my_error(ER_OUT_OF_RESOURCES, MYF(0));
      return 1;
    }
    f[IC_EVIDENCE]->store(ev, strlen(ev), cs);
    if (schema_table_store_record(thd, table))
      return 1;
  }
  return 0;
}

static int index_changes_init(void *p)
{
  return pa_model_is_init(p, index_changes_fields, index_changes_record,
                          IC_TABLE_SCHEMA, IC_TABLE_NAME);
}

static struct st_mysql_information_schema index_changes_plugin= {
    MYSQL_INFORMATION_SCHEMA_INTERFACE_VERSION};

} // namespace Show

static struct st_mysql_information_schema pa_recs_plugin= {
    MYSQL_INFORMATION_SCHEMA_INTERFACE_VERSION};
static struct st_mysql_information_schema pa_cache_plugin= {
    MYSQL_INFORMATION_SCHEMA_INTERFACE_VERSION};
static struct st_mysql_information_schema pa_qa_plugin= {
    MYSQL_INFORMATION_SCHEMA_INTERFACE_VERSION};
static struct st_mysql_information_schema pa_column_stats_plugin= {
    MYSQL_INFORMATION_SCHEMA_INTERFACE_VERSION};

/*
  The library's own plugin: it carries the perf_advisor_* system variables
  (a variable's prefix is the name of the plugin that declares it) and the
  state shared by the tables.
*/
static int perf_advisor_init(void *)
{
  pa_peers_global_init();
  if (pa_state_init())
  {
    pa_peers_global_deinit();
    return 1;
  }
  if (pa_colstats_init())
  {
    pa_state_deinit();
    pa_peers_global_deinit();
    return 1;
  }
  return 0;
}

static int perf_advisor_deinit(void *)
{
  pa_colstats_deinit();
  pa_state_deinit();
  pa_peers_global_deinit();
  return 0;
}

static struct st_mysql_daemon perf_advisor_daemon= {
    MYSQL_DAEMON_INTERFACE_VERSION};

/********************* Plugin library descriptors ************************/

maria_declare_plugin(perf_advisor){
    MYSQL_DAEMON_PLUGIN,
    &perf_advisor_daemon,
    "perf_advisor",
    "perf_advisor developers",
    "perf_advisor: settings and shared state of the PERF_ tables",
    PLUGIN_LICENSE_GPL,
    perf_advisor_init,
    perf_advisor_deinit,
    0x0100,
    pa_colstats_status,
    pa_system_variables,
    "1.0",
    MariaDB_PLUGIN_MATURITY_BETA},
{
    MYSQL_INFORMATION_SCHEMA_PLUGIN,
    &Show::table_analysis_plugin,
    "PERF_TABLE_ANALYSIS",
    "perf_advisor developers",
    "perf_advisor: per-table size, index, fragmentation and activity "
    "analysis",
    PLUGIN_LICENSE_GPL,
    Show::table_analysis_init,
    NULL,
    0x0100,
    NULL,
    NULL,
    "1.0",
    MariaDB_PLUGIN_MATURITY_BETA},
{
    MYSQL_INFORMATION_SCHEMA_PLUGIN,
    &Show::index_usage_plugin,
    "PERF_INDEX_USAGE",
    "perf_advisor developers",
    "perf_advisor: index usage, redundancy and drop safety",
    PLUGIN_LICENSE_GPL,
    Show::index_usage_init,
    NULL,
    0x0100,
    NULL,
    NULL,
    "1.0",
    MariaDB_PLUGIN_MATURITY_BETA},
{
    MYSQL_INFORMATION_SCHEMA_PLUGIN,
    &pa_recs_plugin,
    "PERF_RECOMMENDATIONS",
    "perf_advisor developers",
    "perf_advisor: a ranked list of what to do, with ready-to-run SQL",
    PLUGIN_LICENSE_GPL,
    pa_recs_init,
    NULL,
    0x0100,
    NULL,
    NULL,
    "1.0",
    MariaDB_PLUGIN_MATURITY_BETA},
{
    MYSQL_INFORMATION_SCHEMA_PLUGIN,
    &pa_cache_plugin,
    "PERF_CACHE_STATS",
    "perf_advisor developers",
    "perf_advisor: size, use and hit ratio of the server's caches",
    PLUGIN_LICENSE_GPL,
    pa_cache_stats_init,
    NULL,
    0x0100,
    NULL,
    NULL,
    "1.0",
    MariaDB_PLUGIN_MATURITY_BETA},
{
    MYSQL_INFORMATION_SCHEMA_PLUGIN,
    &pa_qa_plugin,
    "PERF_QUERY_ANALYSIS",
    "perf_advisor developers",
    "perf_advisor: statement digests per table, their predicates and the "
    "index they need",
    PLUGIN_LICENSE_GPL,
    pa_query_analysis_init,
    NULL,
    0x0100,
    NULL,
    NULL,
    "1.0",
    MariaDB_PLUGIN_MATURITY_BETA},
{
    MYSQL_INFORMATION_SCHEMA_PLUGIN,
    &Show::index_changes_plugin,
    "PERF_INDEX_CHANGES",
    "perf_advisor developers",
    "perf_advisor: every index change seen, and whether it helped",
    PLUGIN_LICENSE_GPL,
    Show::index_changes_init,
    NULL,
    0x0100,
    NULL,
    NULL,
    "1.0",
    MariaDB_PLUGIN_MATURITY_BETA},
{
    MYSQL_INFORMATION_SCHEMA_PLUGIN,
    &pa_column_stats_plugin,
    "PERF_COLUMN_STATS",
    "perf_advisor developers",
    "perf_advisor: distinct values, NULL fraction and top-value share of "
    "the columns statements filter, join, group or sort on",
    PLUGIN_LICENSE_GPL,
    pa_column_stats_init,
    NULL,
    0x0100,
    NULL,
    NULL,
    "1.0",
    MariaDB_PLUGIN_MATURITY_BETA} maria_declare_plugin_end;
