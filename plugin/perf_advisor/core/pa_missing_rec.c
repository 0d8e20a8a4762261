/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: the missing-index rows of PERF_RECOMMENDATIONS.  See
  pa_missing_rec.h.
*/
#include "pa_missing_rec.h"
#include "pa_sql.h"
#include "pa_text.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* "[<stats of each column>]" of EVIDENCE.column_stats */
static const char *column_stats_json(const struct pa_alloc *a,
                                     const struct pa_missing_rec_input *in)
{
  struct pa_buf list;
  pa_buf_init(&list, a);
  pa_buf_puts(&list, "[");
  for (int k= 0; k < in->prop->n_cols; k++)
  {
    const struct pa_missing_rec_column *c= &in->cols[k];
    struct pa_json cj;
    if (k)
      pa_buf_puts(&list, ", ");
    pa_json_begin(&cj, &list);
    pa_json_str(&cj, "column", c->name);
    if (c->distinct >= 0)
      pa_json_dbl(&cj, "distinct", c->distinct);
    if (c->null_frac >= 0)
      pa_json_dbl(&cj, "null_fraction", c->null_frac);
    if (c->top_share >= 0)
      pa_json_dbl(&cj, "top_value_share", c->top_share);
    pa_json_str(&cj, "source", c->source ? c->source : "none");
    pa_json_end(&cj);
  }
  pa_buf_puts(&list, "]");
  return pa_buf_str(&list);
}

/* "[<each digest>]" of EVIDENCE.digests */
static const char *digests_json(const struct pa_alloc *a,
                                const struct pa_missing_rec_input *in)
{
  struct pa_buf list;
  pa_buf_init(&list, a);
  pa_buf_puts(&list, "[");
  for (int k= 0; k < in->prop->n_digests; k++)
  {
    const struct pa_digest *d= in->digests[k];
    struct pa_json dj;
    if (k)
      pa_buf_puts(&list, ", ");
    pa_json_begin(&dj, &list);
    pa_json_str(&dj, "digest", d->digest);
    pa_json_str(&dj, "digest_text", d->text);
    if (d->node)
      pa_json_str(&dj, "node", d->node);
    pa_json_u64(&dj, "exec_count", d->exec_count);
    pa_json_dbl(&dj, "avg_ms", (double) d->avg_ps / 1e9);
    pa_json_end(&dj);
  }
  pa_buf_puts(&list, "]");
  return pa_buf_str(&list);
}

/* "[\"<digest>\", ...]" of EVIDENCE.plan_change_risk_digests */
static const char *risk_json(const struct pa_alloc *a,
                             const struct pa_missing_rec_input *in)
{
  struct pa_buf list;
  pa_buf_init(&list, a);
  pa_buf_puts(&list, "[");
  for (int k= 0; k < in->n_risk_digests; k++)
  {
    if (k)
      pa_buf_puts(&list, ", ");
    pa_buf_json_str(&list, in->risk_digests[k]);
  }
  pa_buf_puts(&list, "]");
  return pa_buf_str(&list);
}

static const char *evidence_json(const struct pa_alloc *a,
                                 const struct pa_missing_rec_input *in,
                                 const char *columns)
{
  const struct pa_missing_proposal *pr= in->prop;
  struct pa_buf b;
  struct pa_json j;
  const char *budget= pa_strdupf(a, "%.0f", in->budget_bytes);

  pa_buf_init(&b, a);
  pa_json_begin(&j, &b);
  pa_json_str(&j, "schema", in->schema);
  pa_json_str(&j, "table", in->table);
  pa_json_str(&j, "columns", columns);
  pa_json_i64(&j, "equality_columns", pr->n_equality);
  pa_json_dbl(&j, "score", pr->score);
  pa_json_u64(&j, "exec_count", pr->exec_count);
  pa_json_u64(&j, "rows_examined", pr->rows_examined);
  pa_json_u64(&j, "rows_sent", pr->rows_sent);
  pa_json_dbl(&j, "total_s", (double) pr->sum_ps / 1e12);
  pa_json_dbl(&j, "rows_examined_per_exec", pr->now_rows_per_exec);
  if (pr->est_rows_per_exec >= 0)
  {
    pa_json_dbl(&j, "est_rows_examined_per_exec", pr->est_rows_per_exec);
    pa_json_str(&j, "estimate",
                pr->est_upper_bound ? "upper_bound" : "equality");
  }
  else
    pa_json_raw(&j, "est_rows_examined_per_exec", "null");
  if (in->rows_known)
    pa_json_u64(&j, "table_rows", in->table_rows);
  pa_json_raw(&j, "column_stats", column_stats_json(a, in));
  if (in->sampled_rows)
    pa_json_u64(&j, "sampled_rows", in->sampled_rows);
  pa_json_raw(&j, "digests", digests_json(a, in));
  pa_json_i64(&j, "plan_change_risk_statements", in->risk);
  pa_json_raw(&j, "plan_change_risk_digests", risk_json(a, in));
  pa_json_dbl(&j, "est_index_bytes", in->item.bytes);
  pa_json_str(&j, "index_size_estimate",
              in->rows_known ? in->size_estimate : "no_row_count");
  pa_json_dbl(&j, "est_time_saved_s", in->item.saved_ps / 1e12);
  pa_json_str(&j, "time_saved_estimate",
              in->saved_ideal ? "ideal_upper_bound" : "rows_examined");
  pa_json_dbl(&j, "est_write_time_added_s", in->item.write_ps / 1e12);
  if (in->changes_known)
    pa_json_dbl(&j, "rows_changed_per_hour", in->rows_changed_per_hour);
  else
    pa_json_raw(&j, "rows_changed_per_hour", "null");
  pa_json_str(&j, "selection", in->selection);
  pa_json_raw(&j, "index_budget_bytes", budget ? budget : "null");
  pa_json_end(&j);
  return budget ? pa_buf_str(&b) : NULL;
}

/*
  m, and when some of the proposal's statements ran on other nodes, which:
  " N of these statement pattern(s) ran on other nodes: <node> (M times),
  ...".  NULL when m is.
*/
static const char *peer_note(const struct pa_alloc *a,
                             const struct pa_missing_rec_input *in,
                             const char *m)
{
  struct pa_buf b;
  int n= 0;
  if (!m)
    return NULL;
  pa_buf_init(&b, a);
  for (int k= 0; k < in->prop->n_digests; k++)
  {
    const char *node= in->digests[k]->node;
    uint64_t times= 0;
    int seen= 0;
    if (!node)
      continue;
    n++;
    for (int x= 0; x < k && !seen; x++)
      seen= in->digests[x]->node && !strcmp(in->digests[x]->node, node);
    if (seen)
      continue;
    for (int x= k; x < in->prop->n_digests; x++)
      if (in->digests[x]->node && !strcmp(in->digests[x]->node, node))
        times= pa_sat_add(times, in->digests[x]->exec_count);
    pa_buf_printf(&b, "%s%s (%" PRIu64 " times)", b.len ? ", " : "", node,
                  times);
  }
  if (!n)
    return m;
  return pa_strdupf(a,
                    "%s %d of these statement pattern(s) ran on other "
                    "nodes: %s.",
                    m, n, pa_buf_str(&b));
}

static const char *message(const struct pa_alloc *a,
                           const struct pa_missing_rec_input *in,
                           const char *columns, const char *name)
{
  const struct pa_missing_proposal *pr= in->prop;
  const char *m;
  if (pr->est_rows_per_exec >= 0)
    m= pa_strdupf(a,
                  "Statements on %s.%s filter or sort by (%s) and no index "
                  "starts with those columns: %d statement pattern(s) ran "
                  "%" PRIu64 " times, examining %.0f rows per execution; "
                  "with the index %s %.0f. Create index %s.",
                  in->schema, in->table, columns, pr->n_merged,
                  pr->exec_count, pr->now_rows_per_exec,
                  pr->est_upper_bound ? "at most" : "about",
                  pr->est_rows_per_exec, name);
  else
    m= pa_strdupf(a,
                  "Statements on %s.%s filter or sort by (%s) and no index "
                  "starts with those columns: %d statement pattern(s) ran "
                  "%" PRIu64 " times, examining %" PRIu64 " rows to send "
                  "%" PRIu64 ". Create index %s.",
                  in->schema, in->table, columns, pr->n_merged,
                  pr->exec_count, pr->rows_examined, pr->rows_sent, name);
  m= peer_note(a, in, m);
  if (m && in->risk)
    m= pa_strdupf(a,
                  "%s It may change the plan of %d other statement "
                  "pattern(s) that filter on %s with a good index today, or "
                  "group or sort by it: compare their times after creating "
                  "it.",
                  m, in->risk, in->cols[0].name);
  return m;
}

struct pa_rec *pa_missing_rec(struct pa_rec_list *l,
                              const struct pa_missing_rec_input *in)
{
  const struct pa_alloc *a;
  const struct pa_missing_proposal *pr;
  const char *names[PA_MISSING_MAX_COLS];
  struct pa_index_col icols[PA_MISSING_MAX_COLS];
  struct pa_buf colbuf;
  struct pa_rec *r;
  const char *columns;
  char *name;

  if (!l || !in || !in->schema || !in->table || !in->prop || !in->cols ||
      !in->selection || in->prop->n_cols < 1 ||
      in->prop->n_cols > PA_MISSING_MAX_COLS ||
      (in->prop->n_digests > 0 && !in->digests) ||
      (in->n_risk_digests > 0 && !in->risk_digests))
    return NULL;
  for (int k= 0; k < in->prop->n_digests; k++)
    if (!in->digests[k])
      return NULL;
  a= l->a;
  pr= in->prop;
  pa_buf_init(&colbuf, a);
  memset(icols, 0, sizeof(icols));
  for (int k= 0; k < pr->n_cols; k++)
  {
    if (!(names[k]= in->cols[k].name))
      return NULL;
    snprintf(icols[k].name, sizeof(icols[k].name), "%s", names[k]);
    pa_buf_printf(&colbuf, "%s%s", k ? "," : "", names[k]);
  }
  if (!(columns= pa_buf_str(&colbuf)) ||
      !(name= pa_sql_index_name(a, in->table, names, pr->n_cols)) ||
      !(r= pa_rec_new(l)))
  {
    l->oom= 1;
    return NULL;
  }
  r->type= "missing_index";
  r->priority= in->slow && !in->risk ? PA_PRIO_HIGH : PA_PRIO_MEDIUM;
  r->action= "create_index";
  r->schema= pa_strdup(a, in->schema);
  r->table= pa_strdup(a, in->table);
  r->index= name;
  pa_rec_set_id(r, "missing_index", in->schema, in->table, columns,
                (const char *) NULL);
  r->sql= pa_sql_create_index(a, in->schema, in->table, name, icols,
                              pr->n_cols, 0);
  r->rollback_sql= pa_sql_drop_index(a, in->schema, in->table, name);
  r->message= message(a, in, columns, name);
  r->benefit= pr->score;
  if (pr->est_rows_per_exec >= 0 && pr->now_rows_per_exec > 0 &&
      pr->est_rows_per_exec < pr->now_rows_per_exec)
    r->benefit_text= pa_strdupf(
        a, "%.3f s of statement time; rows examined %s%.0f%% fewer",
        (double) pr->sum_ps / 1e12, pr->est_upper_bound ? "at least " : "",
        100.0 * (1.0 - pr->est_rows_per_exec / pr->now_rows_per_exec));
  else
    r->benefit_text=
        pa_strdupf(a, "%.3f s of statement time", (double) pr->sum_ps / 1e12);
  r->evidence= evidence_json(a, in, columns);
  if (!r->schema || !r->table || !r->sql || !r->rollback_sql ||
      !r->message || !r->benefit_text || !r->evidence)
  {
    l->oom= 1;
    return NULL;
  }
  return r;
}

struct pa_rec *pa_missing_rec_left_out(struct pa_rec_list *l,
                                       const char *schema,
                                       double budget_bytes,
                                       double schema_bytes,
                                       double chosen_bytes,
                                       const struct pa_missing_left_out *left,
                                       size_t n)
{
  const struct pa_alloc *a;
  struct pa_buf list, b;
  struct pa_json j;
  struct pa_rec *s;
  const char *left_json;
  double left_bytes= 0;
  int over= 0, no_gain= 0, held= 0;
  char budget_text[64];

  if (!l || !schema || !left || n == 0)
    return NULL;
  for (size_t k= 0; k < n; k++)
    if (!left[k].rec || !left[k].selection)
      return NULL;
  a= l->a;
  pa_buf_init(&list, a);
  pa_buf_puts(&list, "[");
  for (size_t k= 0; k < n; k++)
  {
    const struct pa_rec *r= left[k].rec;
    struct pa_json mj;
    left_bytes+= left[k].item.bytes;
    if (!strcmp(left[k].selection, "report_plan_risk"))
      held++;
    else if (!strcmp(left[k].selection, "over_budget"))
      over++;
    else
      no_gain++;
    if (k)
      pa_buf_puts(&list, ", ");
    pa_json_begin(&mj, &list);
    pa_json_str(&mj, "id", r->id);
    pa_json_str(&mj, "table", r->table);
    pa_json_str(&mj, "index", r->index);
    pa_json_str(&mj, "selection", left[k].selection);
    pa_json_str(&mj, "message", r->message);
    pa_json_dbl(&mj, "est_index_bytes", left[k].item.bytes);
    pa_json_dbl(&mj, "est_time_saved_s", left[k].item.saved_ps / 1e12);
    pa_json_dbl(&mj, "est_write_time_added_s",
                left[k].item.write_ps / 1e12);
    pa_json_str(&mj, "suggested_sql", r->sql);
    pa_json_str(&mj, "rollback_sql", r->rollback_sql);
    pa_json_end(&mj);
  }
  pa_buf_puts(&list, "]");
  if (!(left_json= pa_buf_str(&list)))
  {
    l->oom= 1;
    return NULL;
  }

  if (!(s= pa_rec_new(l)))
    return NULL;
  s->priority= PA_PRIO_LOW;
  s->type= "missing_index";
  s->action= "review_left_out_indexes";
  s->schema= pa_strdup(a, schema);
  pa_rec_set_id(s, "missing_index", schema, "left_out", (const char *) NULL);
  if (budget_bytes > 0)
    snprintf(budget_text, sizeof(budget_text), "%.1f MiB",
             budget_bytes / 1048576.0);
  else
    snprintf(budget_text, sizeof(budget_text), "no limit");
  s->message= pa_strdupf(
      a,
      "%d more index proposal(s) for schema %s were left out "
      "(%.1f MiB estimated): %d did not fit the index budget (%s, "
      "perf_advisor_index_budget_pct or _bytes; the %.1f MiB proposed "
      "are the most statement time saved per byte), %d would add "
      "more write time than they save, and %d lead with a column a "
      "whole-table report groups or sorts by (the optimizer may read "
      "the new index whole to skip its sort: create one only after "
      "timing that report). Each is in EVIDENCE with its SQL; their "
      "statements are in PERF_QUERY_ANALYSIS.",
      over + no_gain + held, schema, left_bytes / 1048576.0, over,
      budget_text, chosen_bytes / 1048576.0, no_gain, held);
  s->benefit= 0;
  pa_buf_init(&b, a);
  pa_json_begin(&j, &b);
  pa_json_str(&j, "schema", schema);
  pa_json_dbl(&j, "index_budget_bytes", budget_bytes);
  pa_json_dbl(&j, "schema_bytes", schema_bytes);
  pa_json_dbl(&j, "proposed_bytes", chosen_bytes);
  pa_json_i64(&j, "over_budget", over);
  pa_json_i64(&j, "no_net_gain", no_gain);
  pa_json_i64(&j, "report_plan_risk", held);
  pa_json_raw(&j, "left_out", left_json);
  pa_json_end(&j);
  s->evidence= pa_buf_str(&b);
  if (!s->schema || !s->message || !s->evidence)
  {
    l->oom= 1;
    return NULL;
  }
  return s;
}
