/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: which of the proposed indexes to recommend, over the
  whole workload of a schema (issue #13, item 4).

  pa_missing gives per table the indexes its statements need.  Each one
  costs space and write time and saves statement time; this module weighs
  them and picks a set under a byte budget:

  1. Size of a new B-tree index (pa_select_index_bytes()): per entry its
     key bytes, the row locator (the primary key's bytes with a clustered
     primary key: InnoDB stores them in every secondary entry; else a
     PA_SELECT_ROW_POINTER byte row pointer) and PA_SELECT_ENTRY_OVERHEAD
     bytes of record header; entries fill the leaf pages to `fill` (InnoDB
     builds a new index sorted and fills its pages to innodb_fill_factor,
     leaving 1/16 of each page free at 100 %); the levels above add one
     page per page-full of entries below them.  At least one page.  What
     the engine allocates, as INDEX_LENGTH shows it: InnoDB gives each of
     the two segments of an index (leaf pages, the pages above) its first
     PA_SELECT_FRAGMENT_PAGES pages one by one, then whole extents of
     extent_pages pages (64 for pages of 16 KiB and smaller); 0 counts
     pages only.
  2. Statement time saved (pa_select_saved_ps()): the proposal's digests'
     total time times the share of rows examined it cuts, when the
     estimate of pa_missing step 9 is known (1 - est / now; for an upper
     bound this is a lower bound of the cut).  Otherwise the ideal cut: an
     index that finds exactly the rows sent, at least one per execution
     (1 - max(rows_sent, exec_count) / rows_examined) — an upper bound,
     flagged so the caller can say so.  Time is taken as proportional to
     rows examined, which is what a B-tree index changes.
  3. Write time added: the caller's estimate (see
     docs/perf_recommendations.md: the table's write statements' time
     shared among its indexes plus the new one, an upper bound).
  4. Selection (pa_select_indexes()): an index whose saved time does not
     exceed the write time it adds has no net gain and is never chosen.
     The others are taken greedily by net gain per byte, (saved - write) /
     bytes, largest first (ties: input order), each while it fits in what
     is left of the budget; one that does not fit is passed over and the
     smaller ones after it are still tried.  budget 0: no limit.
     An index that serves several statements is one item: pa_missing
     already merged them, summing their time.

  All figures are doubles: estimates, not counters.
*/
#ifndef PA_SELECT_H
#define PA_SELECT_H

#include "pa_missing.h"
#include "pa_text.h"

/* Record header of one index entry (InnoDB: 5 bytes of header, the
   lengths of variable-length columns and the NULL bitmap), bytes. */
#define PA_SELECT_ENTRY_OVERHEAD 7
/* The row pointer an index of a heap table (MyISAM, Aria) stores. */
#define PA_SELECT_ROW_POINTER 6
/* Pages an InnoDB segment gets one by one before it gets whole extents. */
#define PA_SELECT_FRAGMENT_PAGES 32

/*
  Estimated bytes of a new B-tree index over `rows` rows whose own key
  parts take key_bytes per entry, with a clustered primary key of pk_bytes
  per entry (clustered 1) or a row pointer (clustered 0), in pages of
  page_bytes filled to fill (0 < fill <= 1), allocated in extents of
  extent_pages (0: pages only).  0 when page_bytes or fill is out of range
  or a byte count is negative.
*/
double pa_select_index_bytes(uint64_t rows, double key_bytes, int clustered,
                             double pk_bytes, double page_bytes, double fill,
                             unsigned extent_pages);

/*
  Statement time, picoseconds, proposal p saves over its digests' window
  (step 2).  *ideal (may be NULL) is set to 1 when the cut is the ideal
  one (an upper bound), else 0.  0 when nothing is examined.
*/
double pa_select_saved_ps(const struct pa_missing_proposal *p, int *ideal);

enum pa_select_verdict
{
  PA_SELECT_CHOSEN,
  PA_SELECT_NO_NET_GAIN, /* saved time <= write time added */
  PA_SELECT_OVER_BUDGET  /* did not fit in what the better ones left */
};

/* Stable lower-case name: "chosen", "no_net_gain", "over_budget". */
const char *pa_select_verdict_name(enum pa_select_verdict v);

struct pa_select_item
{
  /* in */
  double saved_ps;  /* >= 0 */
  double write_ps;  /* >= 0 */
  double bytes;     /* > 0 */
  /* out */
  enum pa_select_verdict verdict;
};

/*
  Set the verdict of items[0 .. n - 1] (step 4) under budget_bytes (0,
  negative or NaN: no limit).  Scratch memory from a.  Returns the number chosen, or -1 when
  items is NULL with n > 0, or a is NULL, or the scratch cannot be
  allocated (verdicts untouched).  Negative or NaN inputs count as 0;
  bytes <= 0 as 1.
*/
long pa_select_indexes(struct pa_select_item *items, size_t n,
                       double budget_bytes, const struct pa_alloc *a);

#endif
