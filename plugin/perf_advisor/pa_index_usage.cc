/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: INFORMATION_SCHEMA.PERF_INDEX_USAGE, one row per index:
  its reads and writes on every node counted, its redundancy, drop safety
  and drop verdict.  Locking: none of its own.
*/
#include "pa_is.h"

#include <sql_i_s.h>
#include <sql_show.h>
#include <tztime.h>

extern "C" {
#include "pa_frappe.h"
#include "pa_index.h"
#include "pa_peer.h"
#include "pa_rules.h"
#include "pa_text.h"
#include "pa_usage.h"
}

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
    pa_set_str(f[IU_INDEX_TYPE],
               d->type == PA_IDX_FULLTEXT  ? "FULLTEXT"
               : d->type == PA_IDX_SPATIAL ? "SPATIAL"
               : d->type == PA_IDX_HASH    ? "HASH"
                                           : "BTREE");
    pa_set_str(f[IU_COLUMNS], pa_index_columns_text(d, buf, sizeof(buf)));
    pa_set_str(f[IU_IS_PRIMARY], pa_yes_no(d->is_primary));
    pa_set_str(f[IU_IS_UNIQUE], pa_yes_no(d->is_unique));
    pa_set_str(f[IU_IS_IGNORED], pa_yes_no(d->is_ignored));
    if (v->fk >= 0)
      pa_set_str(f[IU_FK_NAME], m->def->fks[v->fk].name);
    pa_set_u64(f[IU_CARDINALITY], m->card_known[x], m->cardinality[x]);
    pa_set_double(f[IU_SELECTIVITY], m->sel_known[x], m->selectivity[x]);
    pa_set_u64(f[IU_READ_COUNT], m->st.known, su->u.total[0]);
    pa_set_u64(f[IU_ROWS_READ], m->st.known, su->u.total[1]);
    pa_set_u64(f[IU_WRITE_COUNT], m->st.known && m->st.source == PA_SRC_PFS,
               su->u.total[2]);
    if (su->known && su->u.last_used > 0)
    {
      MYSQL_TIME t;
      thd->variables.time_zone->gmt_sec_to_TIME(&t,
                                                (my_time_t) su->u.last_used);
      f[IU_LAST_USED]->set_notnull();
      f[IU_LAST_USED]->store_time(&t);
    }
    pa_set_str(f[IU_USAGE_STATUS],
               pa_usage_status_name(m->rule_idx[x].status));
    if (v->redundancy != PA_RED_NONE)
    {
      pa_set_str(f[IU_REDUNDANCY], pa_redundancy_name(v->redundancy));
      if (v->redundant_with >= 0)
        pa_set_str(f[IU_REDUNDANT_WITH],
                   m->def->indexes[v->redundant_with].name);
    }
    pa_set_u64(f[IU_SIZE_BYTES], m->size_known[x], m->size_bytes[x]);
    pa_set_str(f[IU_DROP_SAFE], pa_yes_no(pa_index_drop_safe(v)));
    if (v->blockers)
      pa_set_str(f[IU_DROP_BLOCKER],
                 pa_index_blockers_text(m->def, v, buf, sizeof(buf)));
    pa_set_str(f[IU_STATS_SOURCE], pa_stats_source_name(m->st.source));
    pa_set_u64(f[IU_OBSERVED_SECONDS], m->st.known && su->known,
               m->rule_idx[x].observed_seconds);
    pa_drop_verdict dv=
        pa_rules_drop_confidence(&m->rule, &m->rule_idx[x], &th);
    pa_set_str(f[IU_DROP_CONFIDENCE],
               pa_drop_confidence_name(dv.confidence));
    pa_set_str(f[IU_DROP_CONFIDENCE_REASON],
               pa_drop_reason_name(dv.reason));
    if (m->frappe_doctype)
      pa_set_str(f[IU_ORIGIN], pa_frappe_origin_name(m->origin[x].origin));
    f[IU_SERVER_ID]->store((longlong) m->server_id, true);
    pa_set_str(f[IU_NODE_NAME], m->node_name);
    if (m->st.known && su->known && su->u.first_seen > 0)
    {
      MYSQL_TIME t;
      thd->variables.time_zone->gmt_sec_to_TIME(&t,
                                                (my_time_t) su->u.first_seen);
      f[IU_OBSERVED_SINCE]->set_notnull();
      f[IU_OBSERVED_SINCE]->store_time(&t);
    }
    pa_set_str(f[IU_NODE_USAGE_STATUS],
               pa_usage_status_name(m->node_status[x]));
    if (m->n_nodes)
    {
      const pa_usage_merged *mg= &m->merged[x];
      pa_alloc a= {pa_root_alloc, thd->mem_root};
      pa_buf b;
      pa_set_u64(f[IU_READ_COUNT_ALL_NODES], mg->reads_known, mg->reads);
      f[IU_NODES_COUNTED]->store((longlong) mg->counted, true);
      pa_set_str(f[IU_NODES_MISSING], m->nodes_missing[x]);
      pa_buf_init(&b, &a);
      pa_peer_nodes_json(&b, &m->nodes[x * m->n_nodes], m->n_nodes);
      pa_set_str(f[IU_NODE_READS], pa_buf_str(&b));
    }
    else
    {
      pa_set_u64(f[IU_READ_COUNT_ALL_NODES], m->st.known, su->u.total[0]);
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

} // namespace Show

int pa_index_usage_init(void *p)
{
  return pa_model_is_init(p, Show::index_usage_fields,
                          Show::index_usage_record, Show::IU_TABLE_SCHEMA,
                          Show::IU_TABLE_NAME);
}
