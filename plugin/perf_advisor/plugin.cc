/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: the plugin library's declaration.  Its system variables
  (every one declared and defined here), the statement context's hidden
  session variables, the daemon plugin that owns the shared state, and
  one INFORMATION_SCHEMA plugin per PERF_ table (their code: pa_is.h).

  Data path (docs/architecture.md): collect (server -> plain structs) ->
  store (pa_store: usage across statements) -> model (pa_model: one
  table's facts) -> analyse (the C core, core/) -> render (the PERF_
  tables, the UDFs).
*/
#include "pa_is.h"
#include "pa_colstats.h"
#include "pa_peers.h"

#include <mysql/plugin.h>
#include <set_var.h>


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

/* One descriptor per INFORMATION_SCHEMA plugin, as the server API asks. */
static struct st_mysql_information_schema table_analysis_plugin= {
    MYSQL_INFORMATION_SCHEMA_INTERFACE_VERSION};
static struct st_mysql_information_schema index_usage_plugin= {
    MYSQL_INFORMATION_SCHEMA_INTERFACE_VERSION};
static struct st_mysql_information_schema index_changes_plugin= {
    MYSQL_INFORMATION_SCHEMA_INTERFACE_VERSION};
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
    &table_analysis_plugin,
    "PERF_TABLE_ANALYSIS",
    "perf_advisor developers",
    "perf_advisor: per-table size, index, fragmentation and activity "
    "analysis",
    PLUGIN_LICENSE_GPL,
    pa_table_analysis_init,
    NULL,
    0x0100,
    NULL,
    NULL,
    "1.0",
    MariaDB_PLUGIN_MATURITY_BETA},
{
    MYSQL_INFORMATION_SCHEMA_PLUGIN,
    &index_usage_plugin,
    "PERF_INDEX_USAGE",
    "perf_advisor developers",
    "perf_advisor: index usage, redundancy and drop safety",
    PLUGIN_LICENSE_GPL,
    pa_index_usage_init,
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
    &index_changes_plugin,
    "PERF_INDEX_CHANGES",
    "perf_advisor developers",
    "perf_advisor: every index change seen, and whether it helped",
    PLUGIN_LICENSE_GPL,
    pa_index_changes_init,
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

