/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: one statement's context (pa_stmt.h).

  Locking: none of its own.  A context belongs to the statement's thread;
  the store locks itself.
*/
#include "pa_stmt.h"
#include "pa_state.h"
#include "pa_catalog.h"
#include "pa_model.h"

#include <sql_acl.h>

extern "C" {
#include "pa_digest.h"
}

void pa_settings_thresholds(const pa_settings *s, pa_thresholds *th)
{
  th->large_table_rows= s->large_table_rows;
  th->min_index_ratio= s->min_index_ratio;
  th->min_index_bytes= s->min_index_bytes;
  th->min_table_rows= s->min_table_rows;
  th->fragmentation_pct= s->fragmentation_pct;
  th->fragmentation_bytes= s->fragmentation_bytes;
  th->slow_query_ps= pa_settings_slow_ps(s);
  th->max_joins= s->max_joins;
  th->wide_table_columns= s->wide_table_columns;
  th->single_insert_calls= s->single_insert_calls;
  th->useless_index_distinct= s->useless_index_distinct;
  th->business_cycle_days= s->business_cycle_days;
}

void pa_settings_verify(const pa_settings *s, pa_verify_thresholds *t)
{
  t->min_executions= s->verify_min_executions;
  t->regression_pct= (double) s->verify_regression_pct;
  t->regression_ps= (uint64_t) s->verify_regression_ms * 1000000000ULL;
  t->window_seconds= s->verify_seconds;
}

pa_stmt *pa_stmt_get(THD *thd, TABLE *is_table)
{
  pa_stmt_slot slot;
  pa_stmt *s;

  pa_stmt_slot_of(thd, &slot);
  if (*slot.stmt && *slot.query_id == (ulonglong) thd->query_id &&
      *slot.table == (ulonglong) (uintptr_t) is_table)
    return (pa_stmt *) (uintptr_t) *slot.stmt;
  if (!(s= (pa_stmt *) alloc_root(&is_table->mem_root, sizeof(*s))))
  {
    my_error(ER_OUT_OF_RESOURCES, MYF(0));
    return NULL;
  }
  memset((void *) s, 0, sizeof(*s));
  s->thd= thd;
  s->is_table= is_table;
  s->root= &is_table->mem_root;
  pa_settings_read(&s->settings, s->root);
  s->process= !check_global_access(thd, PROCESS_ACL, true);
  *slot.query_id= (ulonglong) thd->query_id;
  *slot.table= (ulonglong) (uintptr_t) is_table;
  *slot.stmt= (ulonglong) (uintptr_t) s;
  return s;
}

/*
  The statement's digests are settled (handed over or about to be read),
  and with them the room to analyse them in.  false: out of memory.
*/
static bool digests_taken(pa_stmt *s)
{
  s->digests_read= true;
  s->scratch= (pa_digest_scratch *) alloc_root(s->root, sizeof(*s->scratch));
  return s->scratch != NULL;
}

void pa_stmt_refresh(pa_stmt *s, bool with_digests)
{
  pa_digest_take take;
  if (s->refreshed)
    return;
  s->refreshed= true;
  take.root= s->root;
  take.set= &s->digests;
  take.taken= false;
  pa_state_refresh_if_stale(s->thd, s->settings.max_staleness_ms,
                            with_digests && !s->digests_read ? &take
                                                             : NULL);
  if (!with_digests || s->digests_read || !take.taken)
    return;
  /* as pa_stmt_digests() would have read them, without the read */
  s->digests_gen= take.gen;
  s->digests_ok= digests_taken(s);
}

bool pa_stmt_digests(pa_stmt *s)
{
  if (s->digests_read)
    return s->digests_ok;
  if (!digests_taken(s))
    return false;
  s->digests_gen= pa_state_generation();
  s->digests_ok= pa_pfs_enabled(s->thd) &&
                 pa_collect_digests(s->thd, s->root, &s->digests);
  return s->digests_ok;
}

pa_digest_analysis *pa_stmt_analyze(pa_stmt *s, const pa_digest *d)
{
  pa_alloc a= {pa_root_alloc, s->root};

  if (!s->scratch || !pa_stmt_catalog(s) ||
      pa_digest_analyze(d->text, d->text_len, s->scratch))
    return NULL;
  pa_catalog_resolve(s->thd, s->catalog, &s->conn, d->schema,
                     &s->scratch->an);
  return pa_digest_analysis_copy(&s->scratch->an, &a);
}

pa_digest_analysis *pa_stmt_analysis(pa_stmt *s, size_t pos)
{
  if (!s->digests_ok || pos >= s->digests.n)
    return NULL;
  if (!s->analyses)
  {
    if (!(s->analyses= (pa_digest_analysis **) alloc_root(
              s->root, s->digests.n * sizeof(*s->analyses))))
      return NULL;
    memset((void *) s->analyses, 0, s->digests.n * sizeof(*s->analyses));
  }
  if (!s->analyses[pos])
    s->analyses[pos]= pa_stmt_analyze(s, &s->digests.d[pos]);
  return s->analyses[pos];
}

uint64_t pa_stmt_page_size(pa_stmt *s)
{
  if (!s->sizes.page_size_read)
  {
    longlong v=
        pa_global_int(s->thd, STRING_WITH_LEN("innodb_page_size"), 0);
    s->sizes.page_size= v < 0 ? 0 : (uint64_t) v;
    s->sizes.page_size_read= true;
  }
  return s->sizes.page_size;
}

void pa_stmt_conn_end(pa_stmt *s)
{
  pa_colstats_end(&s->conn);
  s->conn.failed= s->conn.eits_failed= false;
}

pa_catalog *pa_stmt_catalog(pa_stmt *s)
{
  if (!s->catalog &&
      (s->catalog= (pa_catalog *) alloc_root(s->root, sizeof(pa_catalog))))
    pa_catalog_init(s->catalog, s->root);
  return s->catalog;
}

void pa_stmt_nest_begin(THD *thd, pa_stmt_nest *saved)
{
  pa_stmt_slot slot;
  pa_stmt_slot_of(thd, &slot);
  saved->query_id= *slot.query_id;
  saved->table= *slot.table;
  saved->stmt= *slot.stmt;
  *slot.query_id= *slot.table= *slot.stmt= 0;
}

void pa_stmt_nest_end(THD *thd, const pa_stmt_nest *saved)
{
  pa_stmt_slot slot;
  pa_stmt_slot_of(thd, &slot);
  *slot.query_id= saved->query_id;
  *slot.table= saved->table;
  *slot.stmt= saved->stmt;
}
