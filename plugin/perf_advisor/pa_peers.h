/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: reading the declared peers (perf_advisor_peer_tables) for
  the model, so that "unused" means unused on every node (pa_peer.h,
  docs/cluster.md).

  A peer is a table the DBA made on this server, usually a FederatedX table
  over another node's information_schema.PERF_INDEX_USAGE, with that
  table's node columns only: TABLE_SCHEMA, TABLE_NAME, INDEX_NAME,
  READ_COUNT, NODE_USAGE_STATUS, NODE_NAME (others allowed, except the
  merged ones: a peer table with USAGE_STATUS, DROP_CONFIDENCE... would
  make every node merge its own peers on each read, in a loop).

  Per statement, each peer is read once (all its rows), all peers at once,
  each on a thread of its own with a local connection: FederatedX sets no
  timeout on its connection to the other node, so a read that hangs must
  not hold the statement.  The statement waits at most
  perf_advisor_peer_timeout_ms for all of them, and stops waiting at once
  when it is killed; a peer that did not answer in time is "missing" for
  the rest of the statement (its thread finishes on its own, and no new
  read of that peer starts while it runs).  The caller must have SELECT
  on the peer table (global, schema or table privilege): otherwise the
  peer is missing for that caller.  Every missing peer gets one warning
  naming it.

  Locking: LOCK_pa_peer protects the list of running reads and each read's
  done flag and reference count; never held across SQL.  A statement
  waits on COND_pa_peer (announced with ENTER_COND, so KILL wakes it).
*/
#ifndef PA_PEERS_H
#define PA_PEERS_H

#include "pa_collect.h"

extern "C" {
#include "pa_peer.h"
}

/* Checks a new perf_advisor_peer_tables or _digest_tables: 0, or 1 with
   the message. */
int pa_peers_check(const char *list, char *err, size_t errlen);

/* One index row of a peer. */
struct pa_peer_row
{
  const char *schema, *table, *index;
  bool reads_known;
  uint64_t reads;
  enum pa_usage_status status;
};

/* One peer, for the schema last read. */
struct pa_peer_state
{
  pa_peer_name name;
  char label[2 * PA_IDENT_BYTES + 8]; /* `db`.`table` as declared */
  bool gone;               /* failed or timed out: missing for the rest of
                              the statement (a warning was pushed) */
  const char *node;        /* NODE_NAME of its rows, or the label */
  pa_peer_row *rows;       /* sorted by schema, table, then index */
  size_t n_rows;
};

/* One statement's peers (on the statement's memory). */
struct pa_peers
{
  const char *declaration; /* perf_advisor_peer_tables, the statement's */
  ulong timeout_ms;        /* perf_advisor_peer_timeout_ms, the same */
  bool parsed;             /* the declaration was read */
  size_t n;                /* declared peers */
  pa_peer_state p[PA_PEER_MAX];
};

/* declaration, timeout_ms: the statement's settings (pa_settings); the
   declaration must live as long as c. */
void pa_peers_init(pa_peers *c, const char *declaration, ulong timeout_ms);

/*
  Make c hold every declared peer's rows (read at the first call of a
  statement; later calls return at once).  Returns the number of declared
  peers (0: no merge).  Warnings go to thd.  Memory from root, which must
  live as long as the statement.  A killed statement stops waiting: the
  caller checks thd->killed.
*/
size_t pa_peers_load(THD *thd, pa_peers *c, MEM_ROOT *root);

/* What peer i says about schema.table's index. */
void pa_peers_lookup(const pa_peers *c, size_t i, const char *schema,
                     const char *table, const char *index,
                     pa_node_usage *out);

/*
  Add the statements the other nodes ran to set, for the missing-index
  advice (docs/cluster.md): each table of perf_advisor_peer_digest_tables
  (usually FederatedX over a node's performance_schema.
  events_statements_summary_by_digest, with at least SCHEMA_NAME, DIGEST,
  DIGEST_TEXT, COUNT_STAR, SUM_TIMER_WAIT, SUM_ROWS_EXAMINED,
  SUM_ROWS_SENT, SUM_NO_INDEX_USED, SUM_NO_GOOD_INDEX_USED) is read once,
  as the usage peers are (threads, perf_advisor_peer_timeout_ms, KILL, the
  caller's SELECT on the table); each of its SELECT statements becomes one
  more digest of set (node = the peer table's name; avg_ps = sum_ps /
  exec_count; no tmp_disk_tables or errors: 0), after this node's, and
  set's workload is rebuilt over all of them.  Other statements of a node are
  left out: a replica's writes are the primary's.  A peer that cannot be
  read gets a warning naming it and adds nothing.

  Precondition: the caller may see statement texts (PROCESS, as for the
  local digests).  declaration, timeout_ms: the statement's settings
  (perf_advisor_peer_digest_tables, _peer_timeout_ms).  local_ok: set
  holds this node's digests (otherwise it is treated as empty).  Memory
  from root.  Returns whether set is usable: local_ok, or some peer
  statement was added.  No declaration: returns local_ok at once, set
  unchanged.
*/
bool pa_peers_add_digests(THD *thd, MEM_ROOT *root, const char *declaration,
                          ulong timeout_ms, pa_digest_set *set,
                          bool local_ok);

/* Plugin load / unload: unload waits for reads still running. */
void pa_peers_global_init();
void pa_peers_global_deinit();

#endif
