/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: index redundancy and drop safety of one table.

  Three redundancy rules, in order of precedence for one index:
    duplicate    same type and the same key parts as another index;
    left_prefix  a B-tree whose key parts are a leading part of a wider
                 B-tree (a column prefix may be widened on the last part);
    pk_suffix    on an engine with a clustered primary key, a B-tree
                 (C, P) where P is a leading part of the PRIMARY KEY and
                 another B-tree is exactly (C): the engine appends the
                 primary key to every secondary index, so both are stored
                 alike.
  Every verdict names the covering index, and that index can then never be
  dropped (PA_BLOCK_COVERING), so a redundancy pair is never dropped whole.
  The PRIMARY is never reported; an IGNORED index may be reported but never
  covers, as the optimizer cannot use it.  Column names compare ASCII
  case-insensitively; DESC and prefix lengths must match
  (sys.schema_redundant_indexes misses the first, pt-duplicate-key-checker
  the second).  A pk_suffix pair can close a cycle with left prefixes; it
  is cut at the shorter index of the pair, which then keeps.

  Drop safety is judged for the set: dropping every index that
  pa_index_drop_safe() accepts, all at once, keeps every PRIMARY and UNIQUE
  constraint, every hinted index, the covering index of every dropped one
  and an index for every foreign key.

  Cost: O(N^2 * K) name comparisons for N indexes of K parts, plus
  O(F * N * K) for F foreign keys; no allocation, under 2 KB of stack.
*/
#ifndef PA_INDEX_H
#define PA_INDEX_H

#include "pa_common.h"

#define PA_INDEX_MAX_COLS 32    /* MariaDB's MAX_REF_PARTS */
#define PA_TABLE_MAX_INDEXES 64 /* MariaDB's MAX_KEY */
#define PA_TABLE_MAX_FKS 64

enum pa_index_type
{
  PA_IDX_BTREE,
  PA_IDX_HASH,
  PA_IDX_FULLTEXT,
  PA_IDX_SPATIAL
};

/* One key part. */
struct pa_index_col
{
  char name[PA_IDENT_BYTES]; /* column name, NUL-terminated */
  uint32_t prefix_len;       /* characters of a prefix key part; 0: whole
                                column */
  int desc;                  /* 1: DESC key part */
};

struct pa_index_def
{
  char name[PA_IDENT_BYTES];
  enum pa_index_type type;
  int is_primary;
  int is_unique;  /* UNIQUE or PRIMARY; also MariaDB's long UNIQUE (HASH
                     over blobs) */
  int is_ignored; /* ALTER INDEX ... IGNORED: the optimizer never uses it,
                     but InnoDB still maintains it and checks foreign keys
                     with it */
  int n_cols;     /* 1 .. PA_INDEX_MAX_COLS */
  struct pa_index_col cols[PA_INDEX_MAX_COLS]; /* in key order */
};

/*
  A foreign key that needs an index on this table: a child-side key (its
  foreign columns) or a parent-side key (the referenced columns).  Either
  way InnoDB needs a B-tree here whose first key parts are these columns,
  whole, in this order.
*/
struct pa_fk_def
{
  char name[PA_IDENT_BYTES];
  int n_cols;                                   /* 1 .. PA_INDEX_MAX_COLS */
  char cols[PA_INDEX_MAX_COLS][PA_IDENT_BYTES]; /* in constraint order */
};

/*
  One table.  About 1.1 MB: allocate it (a MEM_ROOT in the server), do not
  put it on a thread stack.
*/
struct pa_table_def
{
  int clustered_pk; /* 1: InnoDB-like engine: secondary indexes store the
                       PRIMARY KEY columns */
  int n_indexes;    /* 0 .. PA_TABLE_MAX_INDEXES */
  struct pa_index_def indexes[PA_TABLE_MAX_INDEXES]; /* definition order */
  int n_fks;                              /* 0 .. PA_TABLE_MAX_FKS */
  struct pa_fk_def fks[PA_TABLE_MAX_FKS]; /* child-side and parent-side */
};

enum pa_redundancy
{
  PA_RED_NONE,
  PA_RED_DUPLICATE,
  PA_RED_LEFT_PREFIX,
  PA_RED_PK_SUFFIX
};

/*
  Why an index may not be dropped; a bit set, several may apply:
  PA_BLOCK_FK        a foreign key needs it (see pa_index_analyze());
  PA_BLOCK_HINT      named in an index hint of an observed statement (the
                     caller finds those);
  PA_BLOCK_COVERING  the covering index of another index's redundancy.
*/
#define PA_BLOCK_PRIMARY (1u << 0)
#define PA_BLOCK_UNIQUE (1u << 1)
#define PA_BLOCK_FK (1u << 2)
#define PA_BLOCK_HINT (1u << 3)
#define PA_BLOCK_COVERING (1u << 4)

struct pa_index_verdict
{
  enum pa_redundancy redundancy;
  int redundant_with; /* position of the covering index; -1: none */
  int fk;             /* position in fks[] of the (first) foreign key that
                         blocks the drop; -1: none */
  unsigned blockers;  /* PA_BLOCK_* */
  int covers;         /* position of the first index reported redundant
                         with this one, for the "covers" text; -1: none */
};

/*
  Analyse one table: out[i] describes def->indexes[i].

  hint_blocked may be NULL; otherwise it has def->n_indexes entries and a
  non-zero hint_blocked[i] marks index i as named in an index hint.
  out must have room for def->n_indexes verdicts; nothing is retained.

  A foreign key blocks index i (PA_BLOCK_FK) when i may serve it and
    - no other index certainly serves it, or
    - i is reported redundant and its covering index does not serve it, or
    - every index that certainly serves it would otherwise be drop-safe
      (i is then the first of them).
  "May serve" also counts the primary key columns InnoDB appends to a
  secondary index, and non-ASCII letters that may differ only in case;
  "certainly serves" needs the declared key parts to match.

  Returns 0; -1, leaving out untouched, when def or out is NULL, or when
  n_indexes, n_fks or any n_cols is out of its range.
*/
int pa_index_analyze(const struct pa_table_def *def, const int *hint_blocked,
                     struct pa_index_verdict *out);

/*
  Whether the index of verdict v may be dropped: no blocker (a PRIMARY
  always has PA_BLOCK_PRIMARY).  0 for NULL.
*/
int pa_index_drop_safe(const struct pa_index_verdict *v);

/*
  Fingerprint of idx's definition, to tell an index dropped and re-created
  differently under the same name (pa_usage_set_def()): 64-bit FNV-1a
  (pa_hash_bytes()) over the bytes of its type and is_unique, then per key
  part in order its name with the NUL (as stored: case counts), prefix_len
  and desc.  The index name, is_primary and is_ignored do not count (the
  store is keyed by name; ALTER INDEX ... IGNORED keeps the history).
  Persisted in the usage file, so the value must never change: a new one
  resets every index's history once.  It hashes int fields as bytes, so it
  differs between machines of another int size or byte order.
  Preconditions: idx->n_cols in 0 .. PA_INDEX_MAX_COLS, names
  NUL-terminated.
*/
uint64_t pa_index_fingerprint(const struct pa_index_def *idx);

/*
  Stable lower-case name of a redundancy, as shown to users: "duplicate",
  "left_prefix", "pk_suffix"; NULL for PA_RED_NONE or an unknown value.
*/
const char *pa_redundancy_name(enum pa_redundancy r);

/*
  The blockers of v as text, in bit order, separated by ", ":
  "primary key", "unique constraint", "foreign key <name>", "index hint",
  "covers <index name>".  Names come from def (which may be NULL: names are
  then left out).  Written into buf of size bytes; see
  pa_index_columns_text() for truncation.  Returns buf.
*/
const char *pa_index_blockers_text(const struct pa_table_def *def,
                                   const struct pa_index_verdict *v, char *buf,
                                   size_t size);

/*
  The key parts of idx in DDL order for display, names raw (not quoted):
  "customer,posting_date,name(10),created DESC".

  Written into buf of size bytes: nothing when size is 0, else always
  NUL-terminated.  Text that does not fit is cut at a UTF-8 character
  boundary and ends with "..." (as many dots as fit).  Returns buf.
*/
const char *pa_index_columns_text(const struct pa_index_def *idx, char *buf,
                                  size_t size);

#endif
