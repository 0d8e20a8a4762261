/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: INFORMATION_SCHEMA.PERF_INDEX_CHANGES, every index change
  the store has seen (pa_store.h's change log), its verification and
  verdict.  Locking: none of its own.
*/
#include "pa_is.h"

#include <sql_acl.h>
#include <sql_i_s.h>
#include <sql_show.h>
#include <tztime.h>

extern "C" {
#include "pa_verify.h"
}

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
    pa_set_str(f[IC_CHANGE], pa_change_kind_name(c->kind));
    if (c->rec_id[0])
      pa_set_str(f[IC_RECOMMENDATION_ID], c->rec_id);
    f[IC_DIGESTS]->store((longlong) ch[i].n_digests, true);
    pa_set_str(f[IC_STATUS], pa_verdict_name(c->verdict));
    if (c->verdict != PA_VERDICT_PENDING)
      store_epoch(thd, f[IC_VERDICT_AT], c->verdict_at);
    pa_set_str(f[IC_PENDING_REASON], pa_pending_reason_name(c->reason));
    if (c->undo_sql[0])
      pa_set_str(f[IC_UNDO_SQL], c->undo_sql);
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

} // namespace Show

int pa_index_changes_init(void *p)
{
  return pa_model_is_init(p, Show::index_changes_fields,
                          Show::index_changes_record, Show::IC_TABLE_SCHEMA,
                          Show::IC_TABLE_NAME);
}
