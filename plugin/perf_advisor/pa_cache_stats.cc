/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: INFORMATION_SCHEMA.PERF_CACHE_STATS, one row per server
  cache: size, use and hit ratio (core pa_config.h), from the server's
  variables and status read once (pa_collect_server_state()).  Needs
  PROCESS.  Locking: none of its own.
*/
#include "pa_is.h"

#include <sql_acl.h>
#include <sql_i_s.h>
#include <sql_show.h>

extern "C" {
#include "pa_config.h"
}

namespace Show {

enum pa_cache_col
{
  CS_CACHE_NAME,
  CS_SIZE,
  CS_SIZE_UNIT,
  CS_USED,
  CS_HITS,
  CS_MISSES,
  CS_HIT_RATIO,
  CS_SOURCE,
  CS_COLUMNS
};

static ST_FIELD_INFO cache_fields[]= {
    Column("CACHE_NAME", Varchar(64), NOT_NULL),
    Column("SIZE", ULonglong(), NULLABLE),
    Column("SIZE_UNIT", Varchar(16), NOT_NULL),
    Column("USED", ULonglong(), NULLABLE),
    Column("HITS", ULonglong(), NULLABLE),
    Column("MISSES", ULonglong(), NULLABLE),
    Column("HIT_RATIO", Decimal(906), NULLABLE),
    Column("SOURCE", Varchar(256), NOT_NULL),
    CEnd()};

static_assert(sizeof(cache_fields) / sizeof(cache_fields[0]) == CS_COLUMNS + 1,
              "PERF_CACHE_STATS: enum and column array disagree");

static int cache_fill(THD *thd, TABLE_LIST *tables, COND *)
{
  TABLE *table= tables->table;
  pa_server_state st;
  pa_cache_row rows[PA_CACHE_ROWS];
  int n;

  /* Server-wide counters: PROCESS, as for the other global findings. */
  if (check_global_access(thd, PROCESS_ACL, true))
    return 0;
  if (!pa_collect_server_state(thd, &st, false))
    return 0;
  n= pa_cache_stats(&st, rows);
  for (int i= 0; i < n; i++)
  {
    Field **f= table->field;
    const pa_cache_row *r= &rows[i];
    restore_record(table, s->default_values);
    pa_set_str(f[CS_CACHE_NAME], r->name);
    pa_set_u64(f[CS_SIZE], r->size_known, r->size);
    pa_set_str(f[CS_SIZE_UNIT], r->size_unit);
    pa_set_u64(f[CS_USED], r->used_known, r->used);
    pa_set_u64(f[CS_HITS], r->hits_known, r->hits);
    pa_set_u64(f[CS_MISSES], r->misses_known, r->misses);
    pa_set_double(f[CS_HIT_RATIO], r->hit_ratio_known, r->hit_ratio);
    pa_set_str(f[CS_SOURCE], r->source);
    if (schema_table_store_record(thd, table))
      return 1;
  }
  return 0;
}

} // namespace Show

int pa_cache_stats_init(void *p)
{
  ST_SCHEMA_TABLE *schema= (ST_SCHEMA_TABLE *) p;
  schema->fields_info= Show::cache_fields;
  schema->fill_table= Show::cache_fill;
  return 0;
}
