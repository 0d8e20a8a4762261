/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: the PERF_RECOMMENDATIONS rows of the missing-index
  advice, rendered from what pa_missing proposed and pa_select chose.

  pa_missing_rec() writes one proposal's row (TYPE missing_index, ACTION
  create_index): the CREATE INDEX with its DROP INDEX undo, a MESSAGE with
  the numbers, ESTIMATED_BENEFIT and the EVIDENCE object (every key is
  documented in docs/perf_recommendations.md):
    schema, table, columns, equality_columns, score, exec_count,
    rows_examined, rows_sent, total_s, rows_examined_per_exec,
    est_rows_examined_per_exec (null when unknown) and estimate
    ("equality" | "upper_bound", when known), table_rows (when known),
    column_stats[] (column, distinct, null_fraction, top_value_share when
    known, source), sampled_rows (when a sample was read), digests[]
    (digest, digest_text, exec_count, avg_ms), plan_change_risk_statements,
    plan_change_risk_digests[], est_index_bytes, index_size_estimate,
    est_time_saved_s, time_saved_estimate ("ideal_upper_bound" |
    "rows_examined"), est_write_time_added_s, rows_changed_per_hour (null
    when unknown), selection, index_budget_bytes.
  Priority: high when one of its statements is slow and it risks no other
  statement's plan, else medium.

  pa_missing_rec_left_out() writes a schema's one low-priority row
  (ACTION review_left_out_indexes) for the proposals the selection left
  out, each with its SQL in EVIDENCE.left_out[], so no finding is lost.

  Strings are copied into the list's allocator; the inputs may go once a
  call returns.  Locking: none.
*/
#ifndef PA_MISSING_REC_H
#define PA_MISSING_REC_H

#include "pa_advice.h"
#include "pa_missing.h"
#include "pa_select.h"

/* One column of a proposal and what is known of its values. */
struct pa_missing_rec_column
{
  const char *name;   /* as the table spells it */
  double distinct;    /* < 0: unknown (each of the three) */
  double null_frac;
  double top_share;
  const char *source; /* pa_colstat_source_text(); NULL: "none" */
};

struct pa_missing_rec_input
{
  const char *schema, *table;
  const struct pa_missing_proposal *prop;
  const struct pa_missing_rec_column *cols;     /* prop->n_cols of them */
  /* the digests of prop->digests, in their order (prop->n_digests): each
     one's digest, text, exec_count, avg_ps and node (NULL: this node ran
     it; else the other node that did, its peer table, docs/cluster.md:
     EVIDENCE names it, MESSAGE counts it) */
  const struct pa_digest *const *digests;
  uint64_t sampled_rows;  /* rows the column sample read; 0: none */
  int rows_known;         /* table_rows is the engine's row count */
  uint64_t table_rows;
  int slow;               /* one of its statements is slow */
  /* other statements whose plans it may change (pa_recs: filter on its
     leading column with a good index today, or group or sort by it) */
  int risk;
  const char *const *risk_digests; /* DIGESTs of the first n_risk_digests
                                      of them */
  int n_risk_digests;
  struct pa_select_item item;  /* the estimates pa_select weighed */
  int saved_ideal;             /* item.saved_ps is the ideal cut */
  const char *size_estimate;   /* how the key widths were known; shown
                                  when rows_known, else "no_row_count" */
  int changes_known;           /* rows_changed_per_hour is known */
  double rows_changed_per_hour;
  /* filled in once the schema's proposals are weighed (pa_select) */
  const char *selection;       /* pa_select_verdict_name(), or
                                  "report_plan_risk" */
  double budget_bytes;         /* the schema's index budget; 0: none */
};

/*
  Append in's missing_index row to l and return it.  NULL on out of memory
  (l->oom set), and with l unchanged when in is incomplete: no schema,
  table, proposal, columns or selection, prop->n_cols outside 1 ..
  PA_MISSING_MAX_COLS, a column without a name, digests or risk_digests
  NULL while their count is not 0, a NULL digest.
*/
struct pa_rec *pa_missing_rec(struct pa_rec_list *l,
                              const struct pa_missing_rec_input *in);

/* A proposal the selection left out, for pa_missing_rec_left_out(). */
struct pa_missing_left_out
{
  const struct pa_rec *rec; /* its row, rendered by pa_missing_rec() */
  const char *selection;    /* "over_budget", "no_net_gain",
                               "report_plan_risk" */
  struct pa_select_item item;
};

/*
  Append schema's review_left_out_indexes row for left[0 .. n - 1] to l
  and return it (budget_bytes 0: no limit; schema_bytes: the schema's
  index and clustered data bytes the budget was taken from; chosen_bytes:
  what the chosen proposals add).  The rows left out are no rows of the
  table: left[].rec belong to another list (they are read before l grows).
  A selection other than "over_budget" and "report_plan_risk" counts as
  no_net_gain.  NULL with l unchanged when schema or left is NULL, n is 0,
  or a left[] has no row or selection; NULL with l->oom set on out of
  memory.
*/
struct pa_rec *pa_missing_rec_left_out(struct pa_rec_list *l,
                                       const char *schema,
                                       double budget_bytes,
                                       double schema_bytes,
                                       double chosen_bytes,
                                       const struct pa_missing_left_out *left,
                                       size_t n);

#endif
