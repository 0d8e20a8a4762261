/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: one answer for the whole cluster.

  A node sees the reads of its own indexes only.  An index that only a
  replica's reports read looks unused on the primary; a drop there
  replicates, and the reports slow down everywhere.  So "unused" must mean
  unused on every node that serves the data: the DBA declares, in
  perf_advisor_peer_tables, one table per other node (a FederatedX table
  over that node's PERF_INDEX_USAGE, docs/cluster.md), and the plugin
  merges what they say with its own usage.

  This module holds the two pure parts: the syntax of the declaration and
  the merge rule.  Reading the peers (threads, timeouts, privileges) is the
  server layer's (pa_peers.cc).
*/
#ifndef PA_PEER_H
#define PA_PEER_H

#include "pa_common.h"
#include "pa_usage.h"

/* At most this many peers are declared. */
#define PA_PEER_MAX 16

/* One declared peer table, its two parts unquoted. */
struct pa_peer_name
{
  char db[PA_IDENT_BYTES];
  char table[PA_IDENT_BYTES];
};

/*
  Parse a declaration: a comma-separated list of `db.table` names, each
  part either unquoted (ASCII letters, digits, '_' and '$', and any byte
  of a multibyte character) or quoted in backticks (a backtick inside
  doubled), spaces around names and commas ignored.  NULL or an empty
  (all-space) list declares no peer.

  out: room for PA_PEER_MAX names; *n receives how many.  Returns 0, or -1
  with a message naming the problem (under 128 bytes) in err (errlen bytes,
  NUL-terminated when errlen > 0): an empty name or part, a missing dot, a
  character an unquoted name cannot hold, an unterminated quote, a part
  longer than 64 characters, more than PA_PEER_MAX peers, or a peer named
  twice (parts compared as ASCII case-insensitive).
*/
int pa_peer_parse(const char *list, struct pa_peer_name *out, size_t *n,
                  char *err, size_t errlen);

/* What one node says about one index. */
struct pa_node_usage
{
  const char *node;             /* the node's name, for evidence */
  int counted;                  /* 1: the node answered for this index;
                                   0: missing (unreachable, no such row,
                                   a bad peer table) */
  int reads_known;              /* READ_COUNT was not NULL */
  uint64_t reads;               /* READ_COUNT on that node, reads */
  enum pa_usage_status status;  /* the node's own verdict
                                   (NODE_USAGE_STATUS) */
};

/* The merged answer for one index. */
struct pa_usage_merged
{
  enum pa_usage_status status;
  int reads_known;              /* some counted node knows its reads */
  uint64_t reads;               /* sum of the known reads (saturating) */
  unsigned counted, missing;    /* nodes */
};

/*
  Merge the verdicts of n >= 1 nodes about one index (nodes[0]: this
  node).  Reads anywhere are evidence of use: `used` when a counted node
  has reads or says `used`.  Otherwise `unused` only when every node is
  counted and says `unused`: a missing node, or one whose own verdict is
  `unknown` (no source, a short window, lost instrumentation, a constraint
  index), makes the answer `unknown`, never `unused`.
*/
void pa_usage_merge(const struct pa_node_usage *nodes, size_t n,
                    struct pa_usage_merged *out);

/*
  The nodes as a JSON array into b: for a counted node
  {"node": <name>, "read_count": <reads or null>, "usage_status": <its
  own verdict>}, for a missing one {"node": <name>, "missing": true}.
*/
struct pa_buf;
void pa_peer_nodes_json(struct pa_buf *b, const struct pa_node_usage *nodes,
                        size_t n);

/* The verdict a node reports by name ("used", "unused", "unknown");
   anything else, or NULL, is unknown. */
enum pa_usage_status pa_usage_status_parse(const char *s);

#endif
