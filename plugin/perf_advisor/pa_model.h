/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: one table, collected once for every renderer that needs it.

  PERF_INDEX_USAGE, PERF_RECOMMENDATIONS and PERF_QUERY_ANALYSIS all see a
  table through pa_table_model: its sizes, its index definitions and their
  verdicts (pa_index), its counters from the usage store, its InnoDB index
  sizes.  Built in process_table, on per-statement scratch memory.
*/
#ifndef PA_MODEL_H
#define PA_MODEL_H

#include "pa_state.h"
#include "pa_stmt.h"

extern "C" {
#include "pa_frappe.h"
#include "pa_index.h"
#include "pa_peer.h"
#include "pa_rules.h"
}

struct pa_table_model
{
  pa_stmt *stmt;                      /* the statement it is built for */
  TABLE_SHARE *share;
  const LEX_CSTRING *db, *name;
  pa_table_def *def;                  /* per-statement scratch (1 MB) */
  pa_index_verdict verdicts[PA_TABLE_MAX_INDEXES];
  uint key_of[PA_TABLE_MAX_INDEXES];  /* def position -> key number */
  pa_state_index su[PA_TABLE_MAX_INDEXES];
  pa_state_table st;
  bool size_known[PA_TABLE_MAX_INDEXES];
  uint64_t size_bytes[PA_TABLE_MAX_INDEXES];
  /* the handler's estimates: distinct values of the whole key, and those
     over the table's rows (at most 1) */
  bool card_known[PA_TABLE_MAX_INDEXES], sel_known[PA_TABLE_MAX_INDEXES];
  uint64_t cardinality[PA_TABLE_MAX_INDEXES];
  /* the distinct values of the first key part alone (a whole column;
     not FULLTEXT or SPATIAL), InnoDB's doubling undone as for the rules'
     cardinality: the distinct values of the column that leads the index */
  bool card1_known[PA_TABLE_MAX_INDEXES];
  uint64_t card1[PA_TABLE_MAX_INDEXES];
  double selectivity[PA_TABLE_MAX_INDEXES];
  pa_table_facts facts;
  pa_table_metrics metrics;
  pa_rule_index rule_idx[PA_TABLE_MAX_INDEXES];
  pa_rule_table rule;                 /* the rules' view of all of this */
  const char *engine;
  bool need_column_checks;            /* the caller has column grants only */
  bool fks_complete;                  /* every foreign key was represented */
  /* InnoDB in the system tablespace: facts.data_free is ibdata1's free
     space, not this table's (see innodb_shared_space()) */
  bool data_free_shared;
  int64_t now;
  /* on a Frappe site, the DocType whose table this is (pa_frappe_meta),
     and each index's origin; NULL and unknown elsewhere */
  const pa_frappe_doctype *frappe_doctype;
  pa_frappe_index_origin origin[PA_TABLE_MAX_INDEXES];
  /* this node: its server_id and name (@@wsrep_node_name under Galera,
     else @@hostname), and each index's verdict from its own usage alone
     (NODE_USAGE_STATUS) */
  uint64_t server_id;
  const char *node_name;
  enum pa_usage_status node_status[PA_TABLE_MAX_INDEXES];
  /* the cluster (docs/cluster.md): when peers are declared and the
     statement needs the merged answer, n_nodes is 1 + the peers and
     nodes[x * n_nodes + k] is what node k (0: this one) says of index x;
     merged[x] is the merge, and rule_idx[x].status its verdict.
     n_nodes 0: no merge, rule_idx[x].status is node_status[x]. */
  size_t n_nodes;
  pa_node_usage *nodes;
  pa_usage_merged merged[PA_TABLE_MAX_INDEXES];
  const char *nodes_missing[PA_TABLE_MAX_INDEXES]; /* peer names, or NULL */
};

/* The global value of system variable name (e.g. innodb_page_size), or
   unknown when it does not exist or is NULL. */
longlong pa_global_int(THD *thd, const char *name, size_t length,
                       longlong unknown);

/* mysql, information_schema, performance_schema, sys */
bool pa_is_system_schema(const LEX_CSTRING *db);

/*
  What a process_table must do with the table get_all_tables() hands it, as
  pa_model_skip() and pa_model_build() answer.  Anything but
  PA_WALK_BUILD ends the call: return pa_walk_return(w).
*/
enum pa_walk
{
  PA_WALK_BUILD,       /* go on: build the table's rows */
  PA_WALK_SKIP,        /* no rows for this table (a warning may have been
                          pushed); the walk goes on: return 0 */
  PA_WALK_STOP,        /* an error is set (the statement is killed, out of
                          memory, the plugin is being uninstalled): end
                          the walk, return 1 */
  PA_WALK_SERVER_OPENS /* the server must open the table: return 1 with no
                          error set, and get_all_tables() opens it and
                          calls process_table again with it */
};

/* process_table's return value for w (not PA_WALK_BUILD). */
static inline int pa_walk_return(enum pa_walk w)
{
  return w != PA_WALK_SKIP;
}

/*
  What process_table does with this table, before anything else:
  PA_WALK_SKIP for an open error (turned into a warning), a view, an I_S
  table, a temporary table, a sequence, a system schema unless
  perf_advisor_include_system_schemas (as the statement's context for
  is_table has it); PA_WALK_STOP when the statement is killed or out of
  memory; else PA_WALK_BUILD.

  Why a kill must end the walk: with definitions only (OPEN_FRM_ONLY)
  get_all_tables() checks no KILL between tables.  A failing
  process_table makes it fall back to opening the table, which fails for
  a killed statement with the kill's error; process_table is then called
  with that error and, failing again, ends get_all_tables().
*/
enum pa_walk pa_model_skip(THD *thd, TABLE_LIST *tables, bool res,
                           TABLE *is_table, const LEX_CSTRING *db);

/*
  Build the model of one table get_all_tables() hands to process_table,
  opened or read from its definition only (OPEN_FRM_ONLY: then the model
  opens a handler of its own, outside the table cache, and closes it once
  what it needs is copied out), in the statement's context for is_table
  (pa_stmt_get(): the first model of a statement brings the usage store up
  to date, pa_stmt_refresh()).  with_indexes: also definitions, verdicts,
  cardinalities, index counters and sizes.
  Returns PA_WALK_BUILD with *out set; PA_WALK_SKIP when the table cannot
  be opened (a warning is pushed); PA_WALK_STOP on an error already
  reported (out of memory, the plugin being uninstalled);
  PA_WALK_SERVER_OPENS for an engine the model does not open privately,
  such as MERGE.
*/
enum pa_walk pa_model_build(THD *thd, TABLE_LIST *tables, TABLE *is_table,
                            const LEX_CSTRING *db, const LEX_CSTRING *name,
                            bool with_indexes, pa_table_model **out);

/* pa_model_skip(), then pa_model_build() when that says PA_WALK_BUILD: for
   a process_table with nothing to decide in between. */
enum pa_walk pa_model_get(THD *thd, TABLE_LIST *tables, bool res,
                          TABLE *is_table, const LEX_CSTRING *db,
                          const LEX_CSTRING *name, bool with_indexes,
                          pa_table_model **out);

/* Whether the caller may see column name (a real name) of the table: with
   column grants only, when it has a privilege on that column.  The one
   column rule every renderer applies. */
bool pa_model_column_visible(THD *thd, TABLE_LIST *tables,
                             const pa_table_model *m, const char *name);

/* Whether the caller may see index x (all its columns, with column
   grants only). */
bool pa_model_index_visible(THD *thd, TABLE_LIST *tables,
                            const pa_table_model *m, int x);

/* Whether the caller may see logged change c of the table: with column
   grants only, when the index still exists and all its columns are
   visible (a dropped index's columns are not known any more). */
bool pa_model_change_visible(THD *thd, TABLE_LIST *tables,
                             const pa_table_model *m, const pa_change *c);

/*
  Declare an INFORMATION_SCHEMA table the server walks table by table
  (get_all_tables: privileges and TABLE_SCHEMA / TABLE_NAME pushdown as for
  information_schema.TABLES; definitions only, see pa_model_build).
*/
int pa_model_is_init(void *p, ST_FIELD_INFO *fields,
                     int (*process)(THD *, TABLE_LIST *, TABLE *, bool,
                                    const LEX_CSTRING *, const LEX_CSTRING *),
                     uint schema_col, uint name_col);

/* The real name of a column of share (compared case-insensitively, as
   MariaDB compares column names), or NULL when it has none of that name. */
const char *pa_model_column(const TABLE_SHARE *share, const char *name);

/* Setting an I_S column (pa_set_*, not the usage store's pa_store_*): a
   value, or NULL (the default) when unknown. */
void pa_set_u64(Field *f, bool known, uint64_t v);
void pa_set_double(Field *f, bool known, double v);
void pa_set_str(Field *f, const char *s);     /* NULL s: leave NULL */
const char *pa_yes_no(bool b);

#endif
