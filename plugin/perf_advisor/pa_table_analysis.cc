/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: INFORMATION_SCHEMA.PERF_TABLE_ANALYSIS, one row per table:
  size, rows, index share, fragmentation and activity, from the table's
  model (pa_model.h).  Locking: none of its own.
*/
#include "pa_is.h"

#include <sql_i_s.h>
#include <sql_show.h>

extern "C" {
#include "pa_table.h"
#include "pa_workload.h"
}

/* Slow digests among a table's digests: count and worst average (ms). */
static void slow_digests(const pa_table_model *m, pa_table_workload *out)
{
  const pa_state_table *st= &m->st;
  out->known= st->digests_known;
  pa_workload_slow(st->digest_avg_ps, st->n_digests,
                   pa_settings_slow_ps(&m->stmt->settings), out);
}

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
  pa_set_str(f[TA_ENGINE], m->engine);
  pa_set_u64(f[TA_TABLE_ROWS], m->facts.sizes_known, m->facts.rows);
  pa_set_u64(f[TA_AVG_ROW_LENGTH], m->facts.sizes_known,
             m->facts.avg_row_length);
  pa_set_u64(f[TA_DATA_LENGTH], m->facts.sizes_known,
             m->facts.data_length);
  pa_set_u64(f[TA_INDEX_LENGTH], m->facts.sizes_known,
             m->facts.index_length);
  pa_set_u64(f[TA_DATA_FREE], m->facts.sizes_known, m->facts.data_free);
  f[TA_INDEX_COUNT]->store((longlong) m->facts.index_count, true);
  pa_set_double(f[TA_INDEX_TO_DATA_RATIO], m->metrics.ratio_known,
                m->metrics.index_to_data_ratio);
  pa_set_double(f[TA_FRAGMENTATION_PCT], m->metrics.frag_known,
                m->metrics.fragmentation_pct);
  pa_set_u64(f[TA_ROWS_READ], m->st.known, m->st.table.total[0]);
  pa_set_u64(f[TA_ROWS_CHANGED], m->st.known, m->st.table.total[1]);
  pa_set_u64(f[TA_FULL_SCAN_READS], m->st.known, m->st.table.total[2]);
  pa_set_u64(f[TA_SLOW_QUERY_COUNT], work.known, work.slow_digests);
  pa_set_double(f[TA_WORST_QUERY_AVG_MS], work.known && work.slow_digests,
                work.worst_avg_ms);
  pa_set_str(f[TA_STATS_SOURCE], pa_stats_source_name(m->st.source));
  pa_set_u64(f[TA_OBSERVED_SECONDS], m->st.known,
             m->rule.observed_seconds);
  return schema_table_store_record(thd, table);
}

} // namespace Show

int pa_table_analysis_init(void *p)
{
  return pa_model_is_init(p, Show::table_analysis_fields,
                          Show::table_analysis_record, Show::TA_TABLE_SCHEMA,
                          Show::TA_TABLE_NAME);
}
