/*
  perf_advisor: the server-facing layer.  Column arrays, fill functions and
  plugin declarations; the analysis itself is the C core (core/), the data
  comes from pa_collect.

  Data path: collect (server -> plain structs, once per statement) ->
  analyze (pure C) -> render (I_S rows).
*/
#include "pa_state.h"

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

static struct st_mysql_sys_var *pa_system_variables[]= {
    MYSQL_SYSVAR(slow_query_ms),
    MYSQL_SYSVAR(include_system_schemas),
    MYSQL_SYSVAR(snapshot_interval),
    MYSQL_SYSVAR(min_observation_seconds),
    MYSQL_SYSVAR(max_staleness_ms),
    MYSQL_SYSVAR(usage_file),
    NULL};

/*
  The first row of a statement (per I_S table instance) brings the store up
  to date; a statement runs on one OS thread, so a thread-local remembers
  which statement did.
*/
static thread_local query_id_t pa_stmt_query_id;
static thread_local const TABLE *pa_stmt_table;

static void statement_begin(THD *thd, const TABLE *is_table)
{
  if (pa_stmt_query_id == thd->query_id && pa_stmt_table == is_table)
    return;
  pa_stmt_query_id= thd->query_id;
  pa_stmt_table= is_table;
  pa_state_refresh_if_stale(thd);
}

/* Slow digests among a table's digests: count and worst average (ms). */
static void slow_digests(const pa_state_table *st, pa_table_workload *out)
{
  uint64_t threshold= pa_state_slow_threshold_ps(), worst= 0;
  out->known= st->digests_known;
  out->slow_digests= 0;
  for (uint i= 0; i < st->n_digests; i++)
    if (st->digest_avg_ps[i] > threshold)
    {
      out->slow_digests++;
      if (st->digest_avg_ps[i] > worst)
        worst= st->digest_avg_ps[i];
    }
  out->worst_avg_ms= (double) worst / 1e9;
}

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
  pa_table_workload work;
  pa_state_table st;
  Field **f= table->field;
  int64_t now= pa_now();

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
  statement_begin(thd, table);

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
  pa_state_read_table(thd, &table->mem_root, share, db_name, table_name, &st,
                      0, NULL, NULL, NULL);
  slow_digests(&st, &work);

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
  store_u64(f[TA_ROWS_READ], st.known, st.table.total[0]);
  store_u64(f[TA_ROWS_CHANGED], st.known, st.table.total[1]);
  store_u64(f[TA_FULL_SCAN_READS], st.known, st.table.total[2]);
  store_u64(f[TA_SLOW_QUERY_COUNT], work.known, work.slow_digests);
  store_double(f[TA_WORST_QUERY_AVG_MS], work.known && work.slow_digests,
               work.worst_avg_ms);
  {
    const char *src= pa_stats_source_name(st.source);
    f[TA_STATS_SOURCE]->store(src, strlen(src), cs);
  }
  store_u64(f[TA_OBSERVED_SECONDS], st.known,
            pa_usage_window(&st.table, now));
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
  IU_COLUMNS_COUNT
};

static ST_FIELD_INFO index_usage_fields[]= {
    Column("TABLE_SCHEMA", Name(), NOT_NULL, OPEN_FRM_ONLY),
    Column("TABLE_NAME", Name(), NOT_NULL, OPEN_FRM_ONLY),
    Column("INDEX_NAME", Name(), NOT_NULL, OPEN_FULL_TABLE),
    Column("INDEX_TYPE", Varchar(16), NOT_NULL, OPEN_FULL_TABLE),
    Column("COLUMNS", Varchar(2048), NOT_NULL, OPEN_FULL_TABLE),
    Column("IS_PRIMARY", Varchar(3), NOT_NULL, OPEN_FULL_TABLE),
    Column("IS_UNIQUE", Varchar(3), NOT_NULL, OPEN_FULL_TABLE),
    Column("IS_IGNORED", Varchar(3), NOT_NULL, OPEN_FULL_TABLE),
    Column("FK_NAME", Name(), NULLABLE, OPEN_FULL_TABLE),
    Column("CARDINALITY", ULonglong(), NULLABLE, OPEN_FULL_TABLE),
    Column("SELECTIVITY", Decimal(1306), NULLABLE, OPEN_FULL_TABLE),
    Column("READ_COUNT", ULonglong(), NULLABLE, OPEN_FULL_TABLE),
    Column("ROWS_READ", ULonglong(), NULLABLE, OPEN_FULL_TABLE),
    Column("WRITE_COUNT", ULonglong(), NULLABLE, OPEN_FULL_TABLE),
    Column("LAST_USED", Datetime(0), NULLABLE, OPEN_FULL_TABLE),
    Column("USAGE_STATUS", Varchar(16), NOT_NULL, OPEN_FULL_TABLE),
    Column("REDUNDANCY", Varchar(16), NULLABLE, OPEN_FULL_TABLE),
    Column("REDUNDANT_WITH", Name(), NULLABLE, OPEN_FULL_TABLE),
    Column("SIZE_BYTES", ULonglong(), NULLABLE, OPEN_FULL_TABLE),
    Column("DROP_SAFE", Varchar(3), NOT_NULL, OPEN_FULL_TABLE),
    Column("DROP_BLOCKER", Varchar(1024), NULLABLE, OPEN_FULL_TABLE),
    Column("STATS_SOURCE", Varchar(32), NOT_NULL, OPEN_FULL_TABLE),
    Column("OBSERVED_SECONDS", ULonglong(), NULLABLE, OPEN_FULL_TABLE),
    CEnd()};

static_assert(sizeof(index_usage_fields) / sizeof(index_usage_fields[0]) ==
                  IU_COLUMNS_COUNT + 1,
              "PERF_INDEX_USAGE: enum and column array disagree");

/* Per-statement scratch of PERF_INDEX_USAGE, on the I_S table's root. */
struct iu_ctx
{
  pa_table_def *def;               /* about 1 MB: allocated once */
  pa_index_verdict verdicts[PA_TABLE_MAX_INDEXES];
  /* InnoDB index sizes of one schema, loaded when the scan enters it */
  char sizes_db[NAME_LEN + 1];
  bool sizes_loaded;
  struct size_row
  {
    char table[FN_REFLEN];         /* as InnoDB names it (encoded) */
    char index[NAME_LEN + 1];
    uint64_t pages;
  } *sizes;
  size_t n_sizes;
  uint64_t page_size;              /* bytes */
};

static thread_local query_id_t iu_query_id;
static thread_local const TABLE *iu_table;
static thread_local iu_ctx *iu_current;

static iu_ctx *iu_context(THD *thd, TABLE *is_table)
{
  if (iu_current && iu_query_id == thd->query_id && iu_table == is_table)
    return iu_current;
  iu_ctx *c= (iu_ctx *) alloc_root(&is_table->mem_root, sizeof(iu_ctx));
  if (!c || !(c->def= (pa_table_def *) alloc_root(&is_table->mem_root,
                                                  sizeof(pa_table_def))))
    return NULL;
  c->sizes_db[0]= 0;
  c->sizes_loaded= false;
  c->sizes= NULL;
  c->n_sizes= 0;
  c->page_size= 0;
  {
    sys_var *var=
        find_sys_var(thd, STRING_WITH_LEN("innodb_page_size"), true);
    bool is_null= true;
    longlong v= var ? var->val_int(&is_null, thd, OPT_GLOBAL, &null_clex_str)
                    : 0;
    c->page_size= is_null || v < 0 ? 0 : (uint64_t) v;
  }
  iu_query_id= thd->query_id;
  iu_table= is_table;
  iu_current= c;
  return c;
}

/* Load mysql.innodb_index_stats 'size' rows of one schema. */
static void iu_load_sizes(THD *thd, iu_ctx *c, TABLE *is_table,
                          const LEX_CSTRING *db)
{
  char enc_db[FN_REFLEN], query[FN_REFLEN * 2 + 256], *q;
  MYSQL *mysql;
  MYSQL_RES *res;
  MYSQL_ROW row;

  if (c->sizes_loaded && !strcmp(c->sizes_db, db->str))
    return;
  c->sizes_loaded= true;
  strmake(c->sizes_db, db->str, NAME_LEN);
  c->n_sizes= 0;
  tablename_to_filename(db->str, enc_db, sizeof(enc_db));
  q= strmov(query, "SELECT table_name, index_name, stat_value FROM "
                   "mysql.innodb_index_stats WHERE stat_name='size' AND "
                   "database_name='");
  /* The encoded name is filename-safe; escape anyway. */
  for (const char *p= enc_db; *p; p++)
  {
    if (*p == '\'' || *p == '\\')
      *q++= '\\';
    *q++= *p;
  }
  strmov(q, "'");
  if (!(mysql= mysql_init(NULL)))
    return;
  if (!mysql_real_connect_local(mysql) ||
      mysql_real_query(mysql, query, (ulong) strlen(query)) ||
      !(res= mysql_store_result(mysql)))
  {
    push_warning_printf(thd, Sql_condition::WARN_LEVEL_WARN, ER_UNKNOWN_ERROR,
                        "perf_advisor: cannot read index sizes: %s",
                        mysql_error(mysql));
    mysql_close(mysql);
    return;
  }
  size_t n= (size_t) mysql_num_rows(res);
  c->sizes= n ? (iu_ctx::size_row *) alloc_root(
                    &is_table->mem_root, n * sizeof(iu_ctx::size_row))
              : NULL;
  while (c->sizes && (row= mysql_fetch_row(res)) && c->n_sizes < n)
  {
    iu_ctx::size_row *r= &c->sizes[c->n_sizes];
    if (!row[0] || !row[1] || !row[2])
      continue;
    strmake(r->table, row[0], sizeof(r->table) - 1);
    strmake(r->index, row[1], sizeof(r->index) - 1);
    r->pages= (uint64_t) strtoull(row[2], NULL, 10);
    c->n_sizes++;
  }
  mysql_free_result(res);
  mysql_close(mysql);
}

/* Pages of one index, summed over partitions; false when unknown. */
static bool iu_index_pages(const iu_ctx *c, const char *enc_table,
                           const char *index, uint64_t *pages)
{
  size_t tl= strlen(enc_table);
  bool found= false;
  *pages= 0;
  for (size_t i= 0; i < c->n_sizes; i++)
  {
    const iu_ctx::size_row *r= &c->sizes[i];
    if (strncmp(r->table, enc_table, tl) ||
        (r->table[tl] && strncmp(r->table + tl, "#P#", 3) &&
         strncmp(r->table + tl, "#p#", 3)))
      continue;
    if (strcmp(r->index, index))
      continue;
    found= true;
    pa_add_saturating(pages, r->pages);
  }
  return found;
}

static const char *yes_no(bool b) { return b ? "YES" : "NO"; }

static void store_str(Field *f, const char *s)
{
  f->set_notnull();
  f->store(s, strlen(s), system_charset_info);
}

/* Copy a name into a core identifier buffer; false when it does not fit. */
static bool copy_ident(char *dst, const LEX_CSTRING *src)
{
  if (src->length >= PA_IDENT_BYTES)
    return false;
  memcpy(dst, src->str, src->length);
  dst[src->length]= 0;
  return true;
}

/* Add the foreign keys of list (this table's columns in `mine`) to def. */
static void add_fks(pa_table_def *def, List<FOREIGN_KEY_INFO> *list,
                    bool child_side)
{
  List_iterator_fast<FOREIGN_KEY_INFO> it(*list);
  FOREIGN_KEY_INFO *fk;
  while ((fk= it++) && def->n_fks < PA_TABLE_MAX_FKS)
  {
    pa_fk_def *d= &def->fks[def->n_fks];
    List_iterator_fast<LEX_CSTRING> cols(child_side ? fk->foreign_fields
                                                    : fk->referenced_fields);
    LEX_CSTRING *col;
    if (!copy_ident(d->name, fk->foreign_id))
      continue;
    d->n_cols= 0;
    while ((col= cols++) && d->n_cols < PA_INDEX_MAX_COLS)
      if (copy_ident(d->cols[d->n_cols], col))
        d->n_cols++;
    if (d->n_cols)
      def->n_fks++;
  }
}

static uint64_t def_fingerprint(const pa_index_def *d)
{
  uint64_t h= pa_usage_hash(PA_USAGE_HASH_SEED, &d->type, sizeof(d->type));
  h= pa_usage_hash(h, &d->is_unique, sizeof(d->is_unique));
  for (int k= 0; k < d->n_cols; k++)
  {
    h= pa_usage_hash(h, d->cols[k].name, strlen(d->cols[k].name) + 1);
    h= pa_usage_hash(h, &d->cols[k].prefix_len, sizeof(d->cols[k].prefix_len));
    h= pa_usage_hash(h, &d->cols[k].desc, sizeof(d->cols[k].desc));
  }
  return h;
}

static int index_usage_record(THD *thd, TABLE_LIST *tables, TABLE *table,
                              bool res, const LEX_CSTRING *db_name,
                              const LEX_CSTRING *table_name)
{
  const CHARSET_INFO *cs= system_charset_info;
  TABLE *show_table;
  TABLE_SHARE *share;
  iu_ctx *c;
  pa_table_def *def;
  uint key_of[PA_TABLE_MAX_INDEXES];     /* def position -> key number */
  const char *names[PA_TABLE_MAX_INDEXES];
  uint64_t hashes[PA_TABLE_MAX_INDEXES];
  pa_state_index su[PA_TABLE_MAX_INDEXES];
  pa_state_table st;
  char enc_table[FN_REFLEN];
  int64_t now= pa_now();
  bool need_column_checks= false;
  bool innodb;

  if (res)
  {
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
      share->table_type == TABLE_TYPE_SEQUENCE || !show_table->file)
    return 0;
  statement_begin(thd, table);
  if (!(c= iu_context(thd, table)))
    return 1;
  def= c->def;

  show_table->file->info(HA_STATUS_VARIABLE | HA_STATUS_NO_LOCK |
                         HA_STATUS_CONST | HA_STATUS_TIME);
#ifndef NO_EMBEDDED_ACCESS_CHECKS
  /* As information_schema.STATISTICS: with column privileges only, an
     index is shown when every one of its columns is visible. */
  if (!(thd->col_access & TABLE_ACLS))
  {
    check_grant(thd, SELECT_ACL, tables, 0, 1, 1);
    if (!(tables->grant.privilege & TABLE_ACLS))
      need_column_checks= true;
  }
#endif

  /* Definitions -> core structs. */
  def->clustered_pk= (show_table->file->ha_table_flags() &
                      HA_PRIMARY_KEY_IN_READ_INDEX) != 0;
  def->n_indexes= 0;
  def->n_fks= 0;
  for (uint i= 0; i < share->keys && def->n_indexes < PA_TABLE_MAX_INDEXES;
       i++)
  {
    KEY *key= &share->key_info[i];
    pa_index_def *d= &def->indexes[def->n_indexes];
    if (key->flags & HA_INVISIBLE_KEY)
      continue;
    if (!copy_ident(d->name, &key->name))
      continue;
    d->is_primary= i == share->primary_key && share->primary_key != MAX_KEY;
    d->is_unique= (key->flags & HA_NOSAME) != 0;
    d->is_ignored= key->is_ignored;
    switch (key->algorithm)
    {
    case HA_KEY_ALG_FULLTEXT:
      d->type= PA_IDX_FULLTEXT;
      break;
    case HA_KEY_ALG_RTREE:
      d->type= PA_IDX_SPATIAL;
      break;
    case HA_KEY_ALG_HASH:
    case HA_KEY_ALG_LONG_HASH:
      d->type= PA_IDX_HASH;
      break;
    default:
      d->type= (key->flags & HA_FULLTEXT) ? PA_IDX_FULLTEXT
               : (key->flags & HA_SPATIAL) ? PA_IDX_SPATIAL
               : PA_IDX_BTREE;
    }
    d->n_cols= 0;
    KEY_PART_INFO *kp= key->key_part;
    for (uint j= 0; j < key->user_defined_key_parts; j++, kp++)
    {
      pa_index_col *col;
      if (!kp->field || kp->field->invisible >= INVISIBLE_SYSTEM)
        continue;
      if (d->n_cols >= PA_INDEX_MAX_COLS)
        break;
      col= &d->cols[d->n_cols];
      if (!copy_ident(col->name, &kp->field->field_name))
        continue;
      col->desc= (kp->key_part_flag & HA_REVERSE_SORT) != 0;
      col->prefix_len= 0;
      if (!(key->flags & HA_FULLTEXT) &&
          kp->length != share->field[kp->fieldnr - 1]->key_length())
        col->prefix_len= kp->length / kp->field->charset()->mbmaxlen;
      d->n_cols++;
    }
    if (!d->n_cols)
      continue;
    key_of[def->n_indexes]= i;
    names[def->n_indexes]= d->name;
    hashes[def->n_indexes]= def_fingerprint(d);
    def->n_indexes++;
  }
  {
    List<FOREIGN_KEY_INFO> fks, parents;
    show_table->file->get_foreign_key_list(thd, &fks);
    show_table->file->get_parent_foreign_key_list(thd, &parents);
    add_fks(def, &fks, true);
    add_fks(def, &parents, false);
  }
  pa_state_read_table(thd, &table->mem_root, share, db_name, table_name, &st,
                      (uint) def->n_indexes, names, hashes, su);
  /* An index named in a hint of an observed statement: dropping it would
     make that statement fail. */
  int hinted[PA_TABLE_MAX_INDEXES];
  for (int x= 0; x < def->n_indexes; x++)
  {
    hinted[x]= 0;
    for (uint h= 0; h < st.n_hints && !hinted[x]; h++)
      hinted[x]= !my_strcasecmp(system_charset_info, st.hints[h],
                                def->indexes[x].name);
  }
  if (pa_index_analyze(def, hinted, c->verdicts))
    return 0;
  innodb= !strcmp(share->db_type() ? ha_resolve_storage_engine_name(
                                         share->db_type() == partition_hton &&
                                                 share->partition_info_str_len
                                             ? plugin_hton(
                                                   share->default_part_plugin)
                                             : share->db_type())
                                   : "",
                  "InnoDB");
  if (innodb)
  {
    iu_load_sizes(thd, c, table, db_name);
    tablename_to_filename(table_name->str, enc_table, sizeof(enc_table));
  }

  for (int x= 0; x < def->n_indexes; x++)
  {
    const pa_index_def *d= &def->indexes[x];
    const pa_index_verdict *v= &c->verdicts[x];
    KEY *key= &share->key_info[key_of[x]];
    KEY *tkey= &show_table->key_info[key_of[x]];
    Field **f= table->field;
    char buf[2048];
    bool constraint;
    enum pa_usage_status status;

#ifndef NO_EMBEDDED_ACCESS_CHECKS
    if (need_column_checks)
    {
      bool visible= true;
      KEY_PART_INFO *kp= key->key_part;
      for (uint j= 0; j < key->user_defined_key_parts && visible; j++, kp++)
        visible= get_column_grant(thd, &tables->grant, db_name->str,
                                  table_name->str,
                                  kp->field->field_name.str) != NO_ACL;
      if (!visible)
        continue;
    }
#endif
    restore_record(table, s->default_values);
    f[IU_TABLE_SCHEMA]->store(db_name, cs);
    f[IU_TABLE_NAME]->store(table_name, cs);
    f[IU_INDEX_NAME]->store(d->name, strlen(d->name), cs);
    store_str(f[IU_INDEX_TYPE],
              d->type == PA_IDX_FULLTEXT  ? "FULLTEXT"
              : d->type == PA_IDX_SPATIAL ? "SPATIAL"
              : d->type == PA_IDX_HASH    ? "HASH"
                                          : "BTREE");
    store_str(f[IU_COLUMNS], pa_index_columns_text(d, buf, sizeof(buf)));
    store_str(f[IU_IS_PRIMARY], yes_no(d->is_primary));
    store_str(f[IU_IS_UNIQUE], yes_no(d->is_unique));
    store_str(f[IU_IS_IGNORED], yes_no(d->is_ignored));
    if (v->fk >= 0)
      store_str(f[IU_FK_NAME], def->fks[v->fk].name);
    {
      uint last= key->user_defined_key_parts - 1;
      if (tkey->rec_per_key && tkey->rec_per_key[last] &&
          key->algorithm != HA_KEY_ALG_LONG_HASH)
      {
        double card= (double) show_table->stat_records() /
                     tkey->actual_rec_per_key(last);
        ha_rows rows= show_table->stat_records();
        store_u64(f[IU_CARDINALITY], true, (uint64_t) card);
        if (rows > 0)
          store_double(f[IU_SELECTIVITY], true,
                       MY_MIN(1.0, (double) (uint64_t) card / (double) rows));
      }
    }
    store_u64(f[IU_READ_COUNT], st.known, su[x].u.total[0]);
    store_u64(f[IU_ROWS_READ], st.known, su[x].u.total[1]);
    store_u64(f[IU_WRITE_COUNT], st.known && st.source == PA_SRC_PFS,
              su[x].u.total[2]);
    if (su[x].known && su[x].u.last_used > 0)
    {
      MYSQL_TIME t;
      thd->variables.time_zone->gmt_sec_to_TIME(&t,
                                                (my_time_t) su[x].u.last_used);
      f[IU_LAST_USED]->set_notnull();
      f[IU_LAST_USED]->store_time(&t);
    }
    constraint= d->is_primary || d->is_unique || (v->blockers & PA_BLOCK_FK);
    status= pa_usage_status(su[x].known ? &su[x].u : NULL,
                            st.known && st.complete, constraint, now,
                            pa_min_observation_seconds);
    store_str(f[IU_USAGE_STATUS], pa_usage_status_name(status));
    if (v->redundancy != PA_RED_NONE)
    {
      store_str(f[IU_REDUNDANCY], pa_redundancy_name(v->redundancy));
      if (v->redundant_with >= 0)
        store_str(f[IU_REDUNDANT_WITH],
                  def->indexes[v->redundant_with].name);
    }
    if (innodb)
    {
      uint64_t pages;
      if (c->page_size && iu_index_pages(c, enc_table, d->name, &pages))
        store_u64(f[IU_SIZE_BYTES], true, pages * c->page_size);
    }
    store_str(f[IU_DROP_SAFE], yes_no(pa_index_drop_safe(v)));
    if (v->blockers)
      store_str(f[IU_DROP_BLOCKER],
                pa_index_blockers_text(def, v, buf, sizeof(buf)));
    store_str(f[IU_STATS_SOURCE], pa_stats_source_name(st.source));
    store_u64(f[IU_OBSERVED_SECONDS], st.known && su[x].known,
              pa_usage_window(&su[x].u, now));
    if (schema_table_store_record(thd, table))
      return 1;
  }
  return 0;
}

static int index_usage_init(void *p)
{
  ST_SCHEMA_TABLE *schema= (ST_SCHEMA_TABLE *) p;
  schema->fields_info= index_usage_fields;
  schema->fill_table= get_all_tables;
  schema->process_table= index_usage_record;
  schema->idx_field1= IU_TABLE_SCHEMA;
  schema->idx_field2= IU_TABLE_NAME;
  schema->i_s_requested_object= OPTIMIZE_I_S_TABLE;
  return 0;
}

static struct st_mysql_information_schema index_usage_plugin= {
    MYSQL_INFORMATION_SCHEMA_INTERFACE_VERSION};

} // namespace Show

/*
  The library's own plugin: it carries the perf_advisor_* system variables
  (a variable's prefix is the name of the plugin that declares it) and the
  state shared by the tables.
*/
static int perf_advisor_init(void *)
{
  return pa_state_init() ? 1 : 0;
}

static int perf_advisor_deinit(void *)
{
  pa_state_deinit();
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
    MariaDB_PLUGIN_MATURITY_BETA} maria_declare_plugin_end;
