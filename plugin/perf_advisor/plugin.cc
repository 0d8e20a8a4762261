/*
  perf_advisor: the server-facing layer.  Column arrays, fill functions and
  plugin declarations; the analysis itself is the C core (core/), the data
  comes from pa_collect.

  Data path: collect (server -> plain structs, once per statement) ->
  analyze (pure C) -> render (I_S rows).
*/
#include "pa_collect.h"

#include <sql_i_s.h>
#include <sql_show.h>
#include <sql_error.h>
#include <mysql/plugin.h>

extern "C" {
#include "pa_table.h"
}

static my_bool pa_include_system_schemas;

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

static struct st_mysql_sys_var *pa_system_variables[]= {
    MYSQL_SYSVAR(slow_query_ms), MYSQL_SYSVAR(include_system_schemas), NULL};

static bool is_system_schema(const LEX_CSTRING *db)
{
  static const LEX_CSTRING sys[]= {{STRING_WITH_LEN("mysql")},
                                   {STRING_WITH_LEN("information_schema")},
                                   {STRING_WITH_LEN("performance_schema")},
                                   {STRING_WITH_LEN("sys")}};
  for (const LEX_CSTRING &s : sys)
    if (db->length == s.length &&
        !my_strcasecmp(system_charset_info, db->str, s.str))
      return true;
  return false;
}

/* Store a value or NULL. */
static void store_u64(Field *f, bool known, uint64_t v)
{
  if (!known)
    return;                      /* default values are NULL */
  f->set_notnull();
  f->store((longlong) v, true);
}

static void store_double(Field *f, bool known, double v)
{
  if (!known)
    return;
  f->set_notnull();
  f->store(v);
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
    Column("TABLE_ROWS", ULonglong(), NULLABLE, OPEN_FULL_TABLE),
    Column("AVG_ROW_LENGTH", ULonglong(), NULLABLE, OPEN_FULL_TABLE),
    Column("DATA_LENGTH", ULonglong(), NULLABLE, OPEN_FULL_TABLE),
    Column("INDEX_LENGTH", ULonglong(), NULLABLE, OPEN_FULL_TABLE),
    Column("DATA_FREE", ULonglong(), NULLABLE, OPEN_FULL_TABLE),
    Column("INDEX_COUNT", ULong(), NOT_NULL, OPEN_FRM_ONLY),
    Column("INDEX_TO_DATA_RATIO", Decimal(2004), NULLABLE, OPEN_FULL_TABLE),
    Column("FRAGMENTATION_PCT", Decimal(502), NULLABLE, OPEN_FULL_TABLE),
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
  process_table of PERF_TABLE_ANALYSIS: one opened table -> one row.
  get_all_tables() has already applied the caller's privileges and the
  TABLE_SCHEMA / TABLE_NAME lookup values.
*/
static int table_analysis_record(THD *thd, TABLE_LIST *tables, TABLE *table,
                                 bool res, const LEX_CSTRING *db_name,
                                 const LEX_CSTRING *table_name)
{
  const CHARSET_INFO *cs= system_charset_info;
  TABLE *show_table;
  TABLE_SHARE *share;
  handler *file;
  pa_table_facts facts;
  pa_table_metrics metrics;
  pa_table_io io;
  pa_table_workload work;
  pa_snapshot *snap;
  Field **f= table->field;

  if (res)
  {
    /* The table vanished or cannot be opened: a warning, then go on. */
    convert_error_to_warning(thd);
    return 0;
  }
  if (tables->view || tables->schema_table || !tables->table)
    return 0;
  if (!pa_include_system_schemas && is_system_schema(db_name))
    return 0;
  show_table= tables->table;
  share= show_table->s;
  if (share->tmp_table != NO_TMP_TABLE ||
      share->table_type == TABLE_TYPE_SEQUENCE)
    return 0;
  if (!(snap= pa_snapshot_get(thd, table)))
    return 1;

  file= show_table->db_stat ? show_table->file : NULL;
  memset(&facts, 0, sizeof(facts));
  facts.index_count= share->keys;
  if (file)
  {
    /* The flags information_schema.TABLES uses: with HA_STATUS_TIME,
       InnoDB does not report an empty table as having one row. */
    int err= file->info(HA_STATUS_VARIABLE | HA_STATUS_TIME |
                        HA_STATUS_VARIABLE_EXTRA | HA_STATUS_NO_LOCK);
    if (err)
    {
      file->print_error(err, MYF(0));
      convert_error_to_warning(thd);
      return 0;
    }
    facts.sizes_known= 1;
    facts.rows= file->stats.records;
    facts.avg_row_length= file->stats.mean_rec_length;
    facts.data_length= file->stats.data_file_length;
    facts.index_length= file->stats.index_file_length;
    facts.data_free= file->stats.delete_length;
  }
  pa_table_compute(&facts, &metrics);
  pa_collect_table_io(snap, db_name, table_name, share, &io);
  memset(&work, 0, sizeof(work));
  if (snap->workload_known)
    pa_workload_table(&snap->workload, db_name->str, table_name->str,
                      snap->slow_threshold_ps, &work);

  restore_record(table, s->default_values);
  f[TA_TABLE_SCHEMA]->store(db_name, cs);
  f[TA_TABLE_NAME]->store(table_name, cs);
  {
    handlerton *hton= share->db_type();
#ifdef WITH_PARTITION_STORAGE_ENGINE
    if (hton == partition_hton && share->partition_info_str_len)
      hton= plugin_hton(share->default_part_plugin);
#endif
    if (hton)
    {
      const char *engine= ha_resolve_storage_engine_name(hton);
      f[TA_ENGINE]->set_notnull();
      f[TA_ENGINE]->store(engine, strlen(engine), cs);
    }
  }
  store_u64(f[TA_TABLE_ROWS], facts.sizes_known, facts.rows);
  store_u64(f[TA_AVG_ROW_LENGTH], facts.sizes_known, facts.avg_row_length);
  store_u64(f[TA_DATA_LENGTH], facts.sizes_known, facts.data_length);
  store_u64(f[TA_INDEX_LENGTH], facts.sizes_known, facts.index_length);
  store_u64(f[TA_DATA_FREE], facts.sizes_known, facts.data_free);
  f[TA_INDEX_COUNT]->store((longlong) facts.index_count, true);
  store_double(f[TA_INDEX_TO_DATA_RATIO], metrics.ratio_known,
               metrics.index_to_data_ratio);
  store_double(f[TA_FRAGMENTATION_PCT], metrics.frag_known,
               metrics.fragmentation_pct);
  store_u64(f[TA_ROWS_READ], io.known, io.rows_read);
  store_u64(f[TA_ROWS_CHANGED], io.known, io.rows_changed);
  store_u64(f[TA_FULL_SCAN_READS], io.full_scan_known, io.full_scan_reads);
  store_u64(f[TA_SLOW_QUERY_COUNT], work.known, work.slow_digests);
  store_double(f[TA_WORST_QUERY_AVG_MS], work.known && work.slow_digests,
               work.worst_avg_ms);
  {
    const char *src= pa_stats_source_name(io.source);
    f[TA_STATS_SOURCE]->store(src, strlen(src), cs);
  }
  store_u64(f[TA_OBSERVED_SECONDS], io.observed_seconds >= 0,
            (uint64_t) io.observed_seconds);
  return schema_table_store_record(thd, table);
}

static int table_analysis_init(void *p)
{
  ST_SCHEMA_TABLE *schema= (ST_SCHEMA_TABLE *) p;
  schema->fields_info= table_analysis_fields;
  schema->fill_table= get_all_tables;
  schema->process_table= table_analysis_record;
  schema->idx_field1= TA_TABLE_SCHEMA;
  schema->idx_field2= TA_TABLE_NAME;
  schema->i_s_requested_object= OPTIMIZE_I_S_TABLE;
  return 0;
}

static struct st_mysql_information_schema table_analysis_plugin= {
    MYSQL_INFORMATION_SCHEMA_INTERFACE_VERSION};

} // namespace Show

/*
  The library's own plugin: it carries the perf_advisor_* system variables
  (a variable's prefix is the name of the plugin that declares it) and the
  state shared by the tables.
*/
static int perf_advisor_init(void *)
{
  pa_collect_init();
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
    NULL,
    0x0100,
    NULL,
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
    MariaDB_PLUGIN_MATURITY_BETA} maria_declare_plugin_end;
