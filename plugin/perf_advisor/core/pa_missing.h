/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: missing indexes — the composite index a statement
  pattern needs, for one table.

  Input: the table's index definitions and the statement digests that touch
  it, each with its analysis (pa_digest.h) and performance_schema counters.

  1. A digest is a candidate when some execution used no index or no good
     index, or when it examines at least PA_MISSING_EXAMINE_RATIO rows per
     row sent (per execution when it sends fewer rows than it runs):
       rows_examined / max(rows_sent, exec_count, 1) >= 10.
  2. From the columns of this table a candidate gets one proposal, in the
     order an index prefix can use them:
       a. equality columns: "= ?" (PA_USE_EQ), then join columns
          (PA_USE_JOIN: what this table is looked up by when it is the
          inner table of a join), then IN lists (PA_USE_IN; like equality
          for the prefix, kept after it);
       b. one range column (PA_USE_RANGE), the first by ordinal: an index
          cannot use any key part after a range;
       c. ORDER BY columns, in their order, when they are all plain columns
          of this table in one direction, no IN column is in the proposal
          (several IN values give several ranges, so the index order is not
          the result order), and a range column, if any, is the first ORDER
          BY item that is not bound by equality;
       d. otherwise, when the statement has no ORDER BY column, GROUP BY
          columns under the same conditions.
     Columns compare ASCII case-insensitively (MariaDB column names are
     case-insensitive) and each appears once; at most PA_MISSING_MAX_COLS.
     Join columns that hold every column of a unique B-tree key of the
     table (not IGNORED, whole columns) add nothing either: as the inner
     table of the join it is reached through that key, one row per lookup,
     and in an index for its driving role they would stand between the
     equality and the range columns.  When nothing else is left, the plan
     is the join columns (and that key serves it, step 3).
     A condition under an OR (pa_digest_column.in_or) adds nothing: it
     narrows the rows only together with the other branch, which one
     composite index cannot serve (the server would need one index per
     branch, an index_merge union, or a rewrite to UNION).  A statement
     whose WHERE is an OR of columns gets a proposal only from its ANDed
     conditions and its ORDER BY / GROUP BY, or none.
     A column used inside a function or with a leading-wildcard LIKE cannot
     be searched through an index: each such use is reported in unindexable
     and adds nothing to the proposal (another, sargable use of the same
     column still does).
  3. A proposal is dropped, and counted in n_covered, when an existing
     B-tree index that is not IGNORED already serves it (see "serves"
     below).  With a clustered primary key (InnoDB) a secondary index is
     taken with the primary key columns the engine appends to it.
  4. Proposals merge when one serves another; the longer one is kept and
     sums the counters of both.  They are merged longest first, then best
     score first, then by column list: a proposal that several others
     serve joins the longest, best-scored of them, whatever the order of
     the digests.
  5. Ranking: score = sum over the merged digests of
       exec_count * rows_examined / max(rows_sent, 1),
     largest first, then by column list (byte order, name by name).

  "Columns X serve proposal P" (X an index or a longer proposal): X starts
  with P's columns, whole (no prefix key part), where P's first n_equality
  columns may come in any order, since equality on a set of columns narrows
  an index the same way whatever their order.  After a merge n_equality is
  the smallest of the merged ones, so whatever serves the merged proposal
  serves every digest in it.  Key part directions are not compared: a
  uniform ORDER BY is read forwards or backwards.

  With statistics (pa_missing_analyze_stats(); docs/perf_recommendations.md
  "Statistics"), a plan also has to pay for itself:
  6. The fraction of rows "col = ?" keeps is estimated as
       keep = max((1 - null_frac) / distinct, top_share^2)
     (the expected fraction for a value drawn like the rows: the sum of the
     squared value shares, at least the top value's square, at least a
     uniform share); unknown when distinct is unknown.  An equality or
     join column that keeps at least max_keep of the rows, or whose most
     common value holds at least max_keep of them, is not selective: it
     never enters a proposal (the rows it would skip are fewer than the
     rows the longer index costs to read and maintain; the filter still
     applies to the rows the index finds, and dropping it never spoils an
     ORDER BY the index serves).  The remaining equality and join columns
     are ordered by keep, most selective first (unknown ones after the
     known, in statement order); IN columns follow, then range and sort
     columns as in step 2.
  7. At most max_cols columns: the most selective equality columns first;
     the range column only if it fits; sort columns only if all fit.
  8. A candidate gets no proposal, with a reason (pa_missing_skipped):
       "not_selective"  it had equality or join filters on this table and
                        none is selective, and nothing else (IN, range,
                        sort) is left to index;
       "or_only"        its only filters on this table are under an OR;
       "unindexable"    its only filters are functions of columns,
                        leading-wildcard LIKEs or LIKEs whose pattern the
                        digest hides (LIKE ?: a proposal on them would be
                        a guess);
       "no_filter"      it has no condition or sort on this table an
                        index could use (a whole-table read), or only
                        ORDER BY / GROUP BY columns and no LIMIT (the
                        index would be read whole, a random lookup per
                        row, to save a sort: a loss unless it covers
                        the statement, which the digest does not show);
       "unknown_range"  a range column leads the plan (no equality, join
                        or IN column): what the range keeps depends on
                        literals a digest hides.  Proposed only when the
                        index also gives the ORDER BY of a statement with
                        LIMIT (its first item is the range column, or sort
                        columns follow), or when the statement has no
                        GROUP BY, no filter on this table outside the plan
                        (but flags left out as not selective) and
                        sends more than one row per execution but at most
                        1 / PA_MISSING_EXAMINE_RATIO of the rows it
                        examines (then the rows sent bound what the range
                        keeps);
       "little_gain"    the estimate is known (only equality and join
                        columns with statistics, no IN, range or sort
                        columns) and the rows it examines per execution
                        would fall by less than min_cut:
                          rows * prod(keep) > (1 - min_cut) * examined / exec.
     A plan an existing index serves, before or after step 6 (the index
     may lead with a flag column: it serves the statement all the same), is
     counted in n_covered as in step 3, never proposed again.
  9. Every proposal carries the estimate of the rows its digests would
     examine per execution with it (est_rows_per_exec, rows * prod(keep)
     over its equality and join columns, an upper bound when it also has a
     range column; unknown when a column's statistics are), summed over
     its merged digests weighted by executions.

  Limitations:
  - Columns are taken only where pa_digest resolved them to this table
    (table index); an unqualified column of a join only when the caller
    resolved it from the tables' definitions
    (pa_digest_resolve_unqualified()).  A self-join gives one entry per
    alias: the caller chooses which.
  - Expressions in ORDER BY / GROUP BY are invisible when they come last
    (pa_digest reports only column items, leaving gaps for expressions in
    between); a gap, or two items at one position (two query blocks),
    disables sort columns.
  - Without statistics (pa_missing_analyze()) selectivity is unknown:
    equality columns keep statement order, steps 6 to 9 are skipped.
  - Range predicates have no estimate (the bounds are literals a digest
    hides); IN lists neither (their length is hidden).
  - No proposal is made for the branches of an OR (see 2. above): which
    indexes an index_merge union would need is left to the DBA.
*/
#ifndef PA_MISSING_H
#define PA_MISSING_H

#include "pa_types.h"
#include "pa_digest.h"
#include "pa_index.h"

/* Widest proposed index, in columns. */
#define PA_MISSING_MAX_COLS 5
/* digest_pos values kept per proposal. */
#define PA_MISSING_MAX_DIGESTS 16
/* Rows examined per row sent (or per execution) that marks a candidate. */
#define PA_MISSING_EXAMINE_RATIO 10

/*
  One statement digest touching the table: the digest (pa_types.h; its
  exec_count, sum_ps, rows_examined, rows_sent, no_index_used and
  no_good_index_used are read) and what is this analysis's own.
*/
struct pa_missing_digest
{
  const struct pa_digest *dig;         /* the digest's figures */
  const struct pa_digest_analysis *an; /* analysis of dig->text */
  int table;                   /* index into an->tables[] of THIS table */
  size_t digest_pos;           /* caller's id for this digest, echoed back */
};

/* What is known of one column's values; see step 6 above. */
struct pa_missing_colstat
{
  char name[PA_IDENT_BYTES];
  double distinct;  /* distinct non-NULL values in the table; < 0: unknown */
  double null_frac; /* share of the rows that are NULL, 0 .. 1; < 0: unknown */
  double top_share; /* share of the rows holding the most common non-NULL
                       value, 0 .. 1; < 0: unknown */
};

/* The table's statistics and the thresholds of steps 6 to 8. */
struct pa_missing_stats
{
  int rows_known;
  uint64_t rows;                          /* rows in the table (estimate) */
  int n_cols;                             /* entries in cols */
  const struct pa_missing_colstat *cols;  /* any order; NULL when n_cols 0 */
  double max_keep; /* 0 < max_keep <= 1: a column keeping at least this
                      share of the rows is not selective */
  int max_cols;    /* 1 .. PA_MISSING_MAX_COLS */
  double min_cut;  /* 0 .. 1: least share of the examined rows an index
                      must save */
};

/* The entry of cols[0 .. n - 1] named name (ASCII case-insensitively), or
   NULL. */
const struct pa_missing_colstat *
pa_missing_colstat_find(const struct pa_missing_colstat *cols, int n,
                        const char *name);

/* Whether d is a candidate (step 1).  0 for NULL (or d->dig NULL). */
int pa_missing_is_candidate(const struct pa_missing_digest *d);

/*
  The fraction of the rows "col = ?" keeps, from s (step 6), or -1 when
  unknown (s NULL, distinct unknown or not positive).
*/
double pa_missing_keep(const struct pa_missing_colstat *s);

struct pa_missing_proposal
{
  int n_cols; /* 1 .. PA_MISSING_MAX_COLS */
  /* leading columns of cols that may be reordered freely (equality and IN
     columns), 0 .. n_cols */
  int n_equality;
  char cols[PA_MISSING_MAX_COLS][PA_IDENT_BYTES]; /* names as in the text */
  double score;           /* see the ranking above; rows */
  uint64_t exec_count;    /* executions, summed over merged digests */
  uint64_t rows_examined; /* rows, summed (saturating) */
  uint64_t rows_sent;     /* rows, summed (saturating) */
  uint64_t sum_ps;        /* picoseconds, summed (saturating) */
  int n_merged;           /* digests merged into this proposal, >= 1 */
  int n_digests;          /* min(n_merged, PA_MISSING_MAX_DIGESTS) */
  /* digest_pos of the first PA_MISSING_MAX_DIGESTS merged digests, in
     input order */
  size_t digests[PA_MISSING_MAX_DIGESTS];
  /* step 9: rows examined per execution, executions-weighted over the
     merged digests, now (measured) and with the index (estimated); the
     estimate is < 0 when unknown for any merged digest, and an upper bound
     when est_upper_bound */
  double now_rows_per_exec;
  double est_rows_per_exec;
  int est_upper_bound;
};

/* A candidate that gets no proposal, and why (step 8). */
struct pa_missing_skipped
{
  size_t digest_pos;
  const char *reason; /* static: "not_selective" | "or_only" |
                         "unindexable" | "no_filter" | "unknown_range" |
                         "little_gain" */
  /* not_selective: the columns left out; little_gain, unknown_range: the
     plan */
  int n_cols;
  char cols[PA_MISSING_MAX_COLS][PA_IDENT_BYTES];
  double now_rows_per_exec; /* little_gain: measured */
  double est_rows_per_exec; /* little_gain: estimated; else -1 */
};

/* A predicate no B-tree index can serve, from one candidate digest. */
struct pa_missing_unindexable
{
  char col[PA_IDENT_BYTES];
  const char *reason; /* static: "function" | "leading_wildcard" */
  size_t digest_pos;
};

/* A candidate whose proposal an existing index already serves. */
struct pa_missing_covered
{
  size_t digest_pos;
  char covered_by[PA_IDENT_BYTES]; /* the first such index, in definition
                                      order */
  int n_cols;
  char cols[PA_MISSING_MAX_COLS][PA_IDENT_BYTES]; /* the proposal */
};

struct pa_missing_result
{
  int n_props;
  struct pa_missing_proposal *props; /* ranked; NULL when none */
  int n_unindexable;
  struct pa_missing_unindexable *unindexable; /* digest order, then column
                                                 order; NULL when none */
  int n_covered;
  struct pa_missing_covered *covered; /* digest order; NULL when
                                         none */
  int n_skipped;
  struct pa_missing_skipped *skipped; /* digest order; NULL when none;
                                         only with statistics */
};

/*
  Analyse the digests d[0 .. n - 1] of the table described by def.

  Preconditions: def, a and out are not NULL; def->n_indexes is 0 ..
  PA_TABLE_MAX_INDEXES and every index has 1 .. PA_INDEX_MAX_COLS columns;
  d may be NULL only when n is 0; every d[i].dig and d[i].an is not NULL
  and d[i].table is 0 .. d[i].an->n_tables - 1.  Nothing is retained
  from the inputs.

  out is overwritten; its arrays come from a (owned by a's owner).  Each
  unindexable (column, reason) is reported once per digest.

  Returns 0; -1 when a precondition fails (out is then zeroed if not NULL)
  or an allocation fails (out zeroed).
*/
int pa_missing_analyze(const struct pa_table_def *def,
                       const struct pa_missing_digest *d, size_t n,
                       const struct pa_alloc *a,
                       struct pa_missing_result *out);

/*
  The same with the table's statistics and thresholds (steps 6 to 9).
  st may be NULL: then exactly pa_missing_analyze().  Preconditions as
  above, and st->max_keep in (0, 1], st->max_cols 1 .. PA_MISSING_MAX_COLS,
  st->min_cut 0 .. 1, st->cols not NULL when st->n_cols > 0; -1 otherwise.
  Column statistics are looked up by name, ASCII case-insensitively; a
  column without an entry is unknown.
*/
int pa_missing_analyze_stats(const struct pa_table_def *def,
                             const struct pa_missing_stats *st,
                             const struct pa_missing_digest *d, size_t n,
                             const struct pa_alloc *a,
                             struct pa_missing_result *out);

#endif
