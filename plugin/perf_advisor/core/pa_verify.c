/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: closed-loop verification of index changes.
*/
#include "pa_verify.h"
#include "pa_index.h"
#include "pa_sql.h"
#include "pa_field.h"
#include "pa_text.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ---- change detection -------------------------------------------------- */

static int find_snap(const struct pa_index_snap *s, int n, const char *name)
{
  int i;
  for (i= 0; i < n; i++)
    if (pa_ascii_ieq(s[i].name, name))
      return i;
  return -1;
}

int pa_verify_diff(const struct pa_index_snap *before, int n_before,
                   const struct pa_index_snap *after, int n_after,
                   struct pa_index_event *out, int max_out)
{
  int i, n= 0;

  if (n_before < 0 || n_after < 0 || (n_before && !before) ||
      (n_after && !after) || max_out < 0 || (max_out && !out))
    return -1;
  for (i= 0; i < n_before; i++)
  {
    int j= find_snap(after, n_after, before[i].name);
    struct pa_index_event e= {PA_CHANGE_DROPPED, i, -1};
    if (j >= 0 && after[j].fingerprint == before[i].fingerprint)
    {
      if (!after[j].ignored == !before[i].ignored)
        continue;
      e.kind= after[j].ignored ? PA_CHANGE_IGNORED : PA_CHANGE_NOT_IGNORED;
      e.after= j;
    }
    if (n >= max_out)
      return -1;
    out[n++]= e;
  }
  for (i= 0; i < n_after; i++)
  {
    int j= find_snap(before, n_before, after[i].name);
    struct pa_index_event e= {PA_CHANGE_CREATED, -1, i};
    if (j >= 0 && before[j].fingerprint == after[i].fingerprint)
      continue;
    if (n >= max_out)
      return -1;
    out[n++]= e;
  }
  return n;
}

const char *pa_change_kind_name(enum pa_change_kind k)
{
  switch (k)
  {
  case PA_CHANGE_CREATED:
    return "created";
  case PA_CHANGE_DROPPED:
    return "dropped";
  case PA_CHANGE_IGNORED:
    return "ignored";
  case PA_CHANGE_NOT_IGNORED:
    return "not_ignored";
  }
  return NULL;
}

char *pa_verify_recreate_sql(const struct pa_alloc *a, const char *schema,
                             const char *table, const struct pa_index_def *d)
{
  if (d->is_primary || (d->type != PA_IDX_BTREE && d->type != PA_IDX_HASH))
    return NULL;
  return pa_sql_create_index(a, schema, table, d->name, d->cols, d->n_cols,
                             d->is_unique);
}

const char *pa_verify_undo_sql(const struct pa_alloc *a, const char *schema,
                               const char *table, enum pa_change_kind kind,
                               const char *index, int is_primary,
                               const char *recreate_sql)
{
  switch (kind)
  {
  case PA_CHANGE_CREATED:
  case PA_CHANGE_NOT_IGNORED:
    return is_primary
               ? NULL
               : pa_sql_alter_index_ignored(a, schema, table, index, 1);
  case PA_CHANGE_IGNORED:
    return pa_sql_alter_index_ignored(a, schema, table, index, 0);
  case PA_CHANGE_DROPPED:
    return recreate_sql;
  }
  return NULL;
}

/* ---- verdicts ----------------------------------------------------------- */

static void copy_name(char *dst, size_t size, const char *src)
{
  size_t n= src ? strlen(src) : 0;
  if (n >= size)
    n= size - 1;
  if (n)
    memcpy(dst, src, n);
  dst[n]= 0;
}

void pa_verify_digest_init(struct pa_verify_digest *d, const char *schema,
                           const char *digest,
                           const struct pa_digest_figures *raw)
{
  memset(d, 0, sizeof(*d));
  copy_name(d->schema, sizeof(d->schema), schema);
  copy_name(d->digest, sizeof(d->digest), digest);
  if (raw)
  {
    d->before= *raw;
    d->last_raw= *raw;
    d->seen= 1;
  }
}

void pa_verify_digest_init_new(struct pa_verify_digest *d,
                               const char *schema, const char *digest,
                               const struct pa_digest_figures *raw)
{
  pa_verify_digest_init(d, schema, digest, NULL);
  pa_verify_observe(d, raw);
}

static uint64_t grown(uint64_t now, uint64_t last)
{
  return now >= last ? now - last : now;
}

void pa_verify_observe(struct pa_verify_digest *d,
                       const struct pa_digest_figures *raw)
{
  struct pa_digest_figures *a= &d->after, *l= &d->last_raw;
  if (!raw)
  {
    d->seen= 0;
    return;
  }
  /* One restart test for all four sums: they restart together. */
  if (raw->executions < l->executions)
    memset(l, 0, sizeof(*l));
  a->executions= pa_sat_add(a->executions,
                            grown(raw->executions, l->executions));
  a->latency_ps= pa_sat_add(a->latency_ps,
                            grown(raw->latency_ps, l->latency_ps));
  a->rows_examined= pa_sat_add(a->rows_examined,
                               grown(raw->rows_examined, l->rows_examined));
  a->errors= pa_sat_add(a->errors, grown(raw->errors, l->errors));
  *l= *raw;
  d->seen= 1;
}

void pa_verify_digest_restarted(struct pa_verify_digest *d)
{
  memset(&d->last_raw, 0, sizeof(d->last_raw));
}

static double per_exec(uint64_t sum, uint64_t executions)
{
  return executions ? (double) sum / (double) executions : 0.0;
}

enum pa_digest_effect pa_verify_digest_effect(
    const struct pa_verify_digest *d, const struct pa_verify_thresholds *t)
{
  const struct pa_digest_figures *b= &d->before, *a= &d->after;
  double ratio= 1.0 + (t->regression_pct > 0 ? t->regression_pct : 0) / 100;
  double lb, la, rb, ra;

  if (a->errors > 0 &&
      (!b->executions || !a->executions ||
       (double) a->errors * (double) b->executions >
           (double) b->errors * (double) a->executions))
    return PA_EFFECT_FAILING;
  if (!b->executions || !a->executions)
    return PA_EFFECT_NONE;
  lb= per_exec(b->latency_ps, b->executions);
  la= per_exec(a->latency_ps, a->executions);
  if (la > lb * ratio && la - lb > (double) t->regression_ps)
    return PA_EFFECT_REGRESSED;
  if (lb > la * ratio && lb - la > (double) t->regression_ps)
    return PA_EFFECT_HELPED;
  rb= per_exec(b->rows_examined, b->executions);
  ra= per_exec(a->rows_examined, a->executions);
  if (rb > ra * ratio)
    return PA_EFFECT_HELPED;
  return PA_EFFECT_NONE;
}

void pa_verify_judge(const struct pa_verify_digest *d, size_t n,
                     int64_t changed_at, int64_t now,
                     const struct pa_verify_thresholds *t,
                     struct pa_verify_result *out)
{
  uint64_t min;
  int window_over;
  size_t i, with_before= 0, short_runs= 0, evicted= 0;

  memset(out, 0, sizeof(*out));
  out->verdict= PA_VERDICT_PENDING;
  out->reason= PA_PENDING_FEW_EXECUTIONS;
  if (!t || (n && !d))
    return;
  min= t->min_executions ? t->min_executions : 1;
  window_over= t->window_seconds && now >= changed_at &&
               (uint64_t) (now - changed_at) >= t->window_seconds;
  for (i= 0; i < n; i++)
  {
    enum pa_digest_effect e= pa_verify_digest_effect(&d[i], t);
    if (e == PA_EFFECT_FAILING)
    {
      out->failing++;
      continue;
    }
    if (!d[i].before.executions)
      continue;
    with_before++;
    /* Not run since the change: nothing to hold the verdict for (a
       statement that never runs again cannot be affected). */
    if (!d[i].after.executions)
      continue;
    if (d[i].after.executions < min)
    {
      short_runs++;
      if (!d[i].seen)
        evicted++;
      continue;
    }
    out->judged++;
    if (e == PA_EFFECT_HELPED)
      out->helped++;
    else if (e == PA_EFFECT_REGRESSED)
      out->regressed++;
  }
  if (out->failing)
    out->verdict= PA_VERDICT_BROKE;
  else if (!with_before)
  {
    if (window_over)
      out->verdict= PA_VERDICT_NO_EFFECT;
    else
      out->reason= PA_PENDING_NO_STATEMENTS;
  }
  else if ((short_runs && !window_over) || !out->judged)
    out->reason= evicted ? PA_PENDING_DIGEST_EVICTED
                         : PA_PENDING_FEW_EXECUTIONS;
  else if (out->regressed)
    out->verdict= PA_VERDICT_REGRESSED;
  else if (out->helped)
    out->verdict= PA_VERDICT_HELPED;
  else
    out->verdict= PA_VERDICT_NO_EFFECT;
  if (out->verdict != PA_VERDICT_PENDING)
    out->reason= PA_PENDING_NONE;
}

const char *pa_verdict_name(enum pa_verdict v)
{
  switch (v)
  {
  case PA_VERDICT_PENDING:
    return "pending";
  case PA_VERDICT_HELPED:
    return "helped";
  case PA_VERDICT_NO_EFFECT:
    return "no_effect";
  case PA_VERDICT_REGRESSED:
    return "regressed";
  case PA_VERDICT_BROKE:
    return "broke";
  }
  return NULL;
}

const char *pa_pending_reason_name(enum pa_pending_reason r)
{
  switch (r)
  {
  case PA_PENDING_NONE:
    return NULL;
  case PA_PENDING_FEW_EXECUTIONS:
    return "too_few_executions";
  case PA_PENDING_DIGEST_EVICTED:
    return "digest_evicted";
  case PA_PENDING_NO_STATEMENTS:
    return "no_statements";
  }
  return NULL;
}

/* ---- rendering ---------------------------------------------------------- */

static void figures_json(struct pa_buf *b, const struct pa_digest_figures *f)
{
  struct pa_json j;
  pa_json_begin(&j, b);
  pa_json_u64(&j, "executions", f->executions);
  if (f->executions)
  {
    pa_json_dbl(&j, "avg_latency_ms",
                per_exec(f->latency_ps, f->executions) / 1e9);
    pa_json_dbl(&j, "rows_examined_per_execution",
                per_exec(f->rows_examined, f->executions));
  }
  else
  {
    pa_json_null(&j, "avg_latency_ms");
    pa_json_null(&j, "rows_examined_per_execution");
  }
  pa_json_u64(&j, "errors", f->errors);
  pa_json_end(&j);
}

static const char *effect_name(enum pa_digest_effect e)
{
  switch (e)
  {
  case PA_EFFECT_HELPED:
    return "helped";
  case PA_EFFECT_REGRESSED:
    return "regressed";
  case PA_EFFECT_FAILING:
    return "failing";
  case PA_EFFECT_NONE:
    break;
  }
  return "none";
}

char *pa_verify_evidence(const struct pa_alloc *a, const struct pa_change *c,
                         const struct pa_verify_digest *d, size_t n,
                         const struct pa_verify_thresholds *t,
                         int with_digests, int64_t now)
{
  struct pa_buf b, th, list;
  struct pa_json j, k;
  int64_t until;
  size_t i;

  if (!a || !c || !t || (n && !d))
    return NULL;
  pa_buf_init(&th, a);
  pa_json_begin(&k, &th);
  pa_json_u64(&k, "min_executions", t->min_executions);
  pa_json_dbl(&k, "regression_pct", t->regression_pct);
  pa_json_dbl(&k, "regression_ms", (double) t->regression_ps / 1e9);
  pa_json_u64(&k, "verify_seconds", t->window_seconds);
  pa_json_end(&k);

  pa_buf_init(&list, a);
  pa_buf_puts(&list, "[");
  for (i= 0; with_digests && i < n; i++)
  {
    struct pa_buf fb, fa;
    pa_buf_init(&fb, a);
    pa_buf_init(&fa, a);
    figures_json(&fb, &d[i].before);
    figures_json(&fa, &d[i].after);
    if (i)
      pa_buf_puts(&list, ", ");
    pa_json_begin(&k, &list);
    pa_json_str(&k, "schema", d[i].schema[0] ? d[i].schema : NULL);
    pa_json_str(&k, "digest", d[i].digest);
    pa_json_str(&k, "effect", effect_name(pa_verify_digest_effect(&d[i], t)));
    pa_json_bool(&k, "evicted", !d[i].seen);
    pa_json_raw(&k, "before", pa_buf_str(&fb));
    pa_json_raw(&k, "after", pa_buf_str(&fa));
    pa_json_end(&k);
  }
  pa_buf_puts(&list, "]");

  pa_buf_init(&b, a);
  pa_json_begin(&j, &b);
  pa_json_str(&j, "change", pa_change_kind_name(c->kind));
  pa_json_i64(&j, "changed_at", c->changed_at);
  pa_json_str(&j, "verdict", pa_verdict_name(c->verdict));
  pa_json_str(&j, "pending_reason", pa_pending_reason_name(c->reason));
  until= c->verdict != PA_VERDICT_PENDING ? c->verdict_at : now;
  pa_json_i64(&j, "window_seconds",
              until > c->changed_at ? until - c->changed_at : 0);
  pa_json_raw(&j, "thresholds", pa_buf_str(&th));
  pa_json_u64(&j, "digest_count", (uint64_t) n);
  if (with_digests)
    pa_json_raw(&j, "digests", pa_buf_str(&list));
  pa_json_end(&j);
  if (th.oom || list.oom)
    return NULL;
  return pa_buf_str(&b);
}

int pa_verify_revert_rec(struct pa_rec_list *l, const struct pa_change *c,
                         const char *evidence)
{
  struct pa_rec *r;
  char id[24];
  const char *what;

  if (!l || !c || !evidence)
    return -1;
  if ((c->verdict != PA_VERDICT_REGRESSED && c->verdict != PA_VERDICT_BROKE) ||
      !c->undo_sql || !c->undo_sql[0])
    return 0;
  if (!(r= pa_rec_new(l)))
    return -1;
  snprintf(id, sizeof(id), "%" PRIu64, c->id);
  pa_rec_set_id(r, "revert", c->schema, c->table, c->index, id,
                (const char *) NULL);
  r->type= "revert";
  r->priority= PA_PRIO_HIGH;
  r->schema= c->schema;
  r->table= c->table;
  r->index= c->index;
  r->action= "revert_index_change";
  switch (c->kind)
  {
  case PA_CHANGE_CREATED:
    what= "Creating";
    break;
  case PA_CHANGE_DROPPED:
    what= "Dropping";
    break;
  case PA_CHANGE_IGNORED:
    what= "Ignoring";
    break;
  default:
    what= "Un-ignoring";
  }
  r->message= pa_strdupf(
      l->a,
      "%s index %s of %s.%s (change %" PRIu64 ") %s: %s. Undo it now "
      "(instant), then look at PERF_INDEX_CHANGES for the statements it "
      "affected.",
      what, c->index, c->schema, c->table, c->id,
      c->verdict == PA_VERDICT_BROKE ? "broke statements on the table"
                                     : "made statements on the table slower",
      c->verdict == PA_VERDICT_BROKE
          ? "they fail since the change"
          : "their average latency rose beyond the thresholds");
  r->sql= pa_strdup(l->a, c->undo_sql);
  r->benefit= (double) c->id;
  r->evidence= pa_strdup(l->a, evidence);
  if (!r->message || !r->sql || !r->evidence)
  {
    l->oom= 1;
    return -1;
  }
  return 0;
}

/* ---- the soft drop's DROP ----------------------------------------------- */

enum pa_soft_drop_gate pa_verify_soft_drop_gate(const struct pa_change *c,
                                                uint64_t window_seconds,
                                                int64_t now)
{
  if (!c || c->kind != PA_CHANGE_IGNORED)
    return PA_GATE_OPEN;
  switch (c->verdict)
  {
  case PA_VERDICT_REGRESSED:
  case PA_VERDICT_BROKE:
    return PA_GATE_KEEP;
  case PA_VERDICT_HELPED:
  case PA_VERDICT_NO_EFFECT:
    /* A verdict can come before the window ends (every statement ran
       often enough): a code path that runs once a day has not had its
       chance yet. */
    if (window_seconds && now - c->changed_at < (int64_t) window_seconds)
      return PA_GATE_WAIT;
    return PA_GATE_OPEN;
  default:
    return PA_GATE_WAIT;
  }
}

int pa_verify_gate_drop(const struct pa_alloc *a, struct pa_rec *r,
                        const struct pa_change *c, uint64_t window_seconds,
                        int64_t now)
{
  enum pa_soft_drop_gate g;
  struct pa_buf b;
  struct pa_json j;
  const char *ev, *frag;
  size_t len, body;
  int64_t ends= c ? c->changed_at + (int64_t) window_seconds : 0;

  if (!a || !r || !c)
    return -1;
  g= pa_verify_soft_drop_gate(c, window_seconds, now);
  if (g == PA_GATE_OPEN)
    return g;
  if (g == PA_GATE_KEEP)
    r->message= pa_strdupf(
        a,
        "%s Its soft drop (change %" PRIu64 " in PERF_INDEX_CHANGES) was "
        "judged %s: keep the index, and run the revert row's statement.",
        r->message ? r->message : "", c->id, pa_verdict_name(c->verdict));
  else if (c->verdict == PA_VERDICT_PENDING)
  {
    char when[96]= "";
    if (window_seconds && now < ends)
      snprintf(when, sizeof(when),
               " and its %" PRIu64 "-second window is over (in %" PRId64
               " s)",
               window_seconds, ends - now);
    else if (window_seconds)
      snprintf(when, sizeof(when),
               " (its %" PRIu64 "-second window is over)", window_seconds);
    r->message= pa_strdupf(
        a,
        "%s Its soft drop (change %" PRIu64 " in PERF_INDEX_CHANGES) is "
        "still being verified (%s): the DROP INDEX is offered once it is "
        "judged helped or no_effect%s.",
        r->message ? r->message : "", c->id,
        pa_pending_reason_name(c->reason), when);
  }
  else
    r->message= pa_strdupf(
        a,
        "%s Its soft drop (change %" PRIu64 " in PERF_INDEX_CHANGES) was "
        "judged %s, but its %" PRIu64 "-second window is not over: the "
        "DROP INDEX is offered in %" PRId64 " s, once the rarer code paths "
        "had their chance.",
        r->message ? r->message : "", c->id, pa_verdict_name(c->verdict),
        window_seconds, ends - now);
  r->action= g == PA_GATE_KEEP ? "keep_index" : "await_soft_drop_verdict";
  r->sql= NULL;
  r->rollback_sql= NULL;
  r->final_sql= NULL;

  pa_buf_init(&b, a);
  pa_json_begin(&j, &b);
  pa_json_u64(&j, "change_id", c->id);
  pa_json_str(&j, "status", pa_verdict_name(c->verdict));
  pa_json_i64(&j, "changed_at", c->changed_at);
  if (window_seconds)
    pa_json_i64(&j, "window_ends_at", ends);
  else
    pa_json_null(&j, "window_ends_at");
  pa_json_end(&j);
  if (!(frag= pa_buf_str(&b)))
    return -1;
  /* one more key of the evidence object */
  ev= r->evidence ? r->evidence : "";
  len= strlen(ev);
  while (len && ev[len - 1] != '}')
    len--;
  body= len > 1 ? len - 1 : 0;
  while (body && (ev[body - 1] == ' ' || ev[body - 1] == '\n'))
    body--;
  if (len > 1 && body > 1)
    r->evidence= pa_strdupf(a, "%.*s, \"soft_drop\": %s}", (int) (len - 1),
                            ev, frag);
  else
    r->evidence= pa_strdupf(a, "{\"soft_drop\": %s}", frag);
  if (!r->message || !r->evidence)
    return -1;
  return g;
}

/* ---- the change log's file ---------------------------------------------- */

size_t pa_verify_format_header(char *buf, size_t size, int64_t server_start,
                               uint64_t next_id)
{
  struct pa_field_out o= {buf, size, 0};
  pa_field_put(&o, PA_VERIFY_MAGIC, sizeof(PA_VERIFY_MAGIC) - 1);
  pa_field_printf(&o, " %" PRId64 " %" PRIu64 "\n", server_start, next_id);
  return pa_field_finish(&o);
}

size_t pa_verify_format_def(char *buf, size_t size, const char *schema,
                            const char *table, const struct pa_index_snap *s,
                            const char *create_sql)
{
  struct pa_field_out o= {buf, size, 0};
  pa_field_put(&o, "D\t", 2);
  pa_field_put_text(&o, schema);
  pa_field_put(&o, "\t", 1);
  pa_field_put_text(&o, table);
  pa_field_put(&o, "\t", 1);
  pa_field_put_text(&o, s ? s->name : "");
  pa_field_printf(&o, "\t%" PRIu64 "\t%d\t", s ? s->fingerprint : 0,
                  s && s->ignored ? 1 : 0);
  pa_field_put_text(&o, create_sql && s ? create_sql : "");
  pa_field_put(&o, "\n", 1);
  return pa_field_finish(&o);
}

size_t pa_verify_format_change(char *buf, size_t size,
                               const struct pa_change *c)
{
  struct pa_field_out o= {buf, size, 0};
  pa_field_printf(&o, "C\t%" PRIu64 "\t%" PRId64 "\t", c->id, c->changed_at);
  pa_field_put_text(&o, c->schema);
  pa_field_put(&o, "\t", 1);
  pa_field_put_text(&o, c->table);
  pa_field_put(&o, "\t", 1);
  pa_field_put_text(&o, c->index);
  pa_field_printf(&o, "\t%d\t", (int) c->kind);
  pa_field_put_text(&o, c->rec_id);
  pa_field_printf(&o, "\t%d\t%d\t%" PRId64 "\t", (int) c->verdict,
                  (int) c->reason, c->verdict_at);
  pa_field_put_text(&o, c->undo_sql ? c->undo_sql : "");
  pa_field_put(&o, "\n", 1);
  return pa_field_finish(&o);
}

static void put_figures(struct pa_field_out *o,
                        const struct pa_digest_figures *f)
{
  pa_field_printf(o, "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64,
                  f->executions, f->latency_ps, f->rows_examined, f->errors);
}

size_t pa_verify_format_digest(char *buf, size_t size,
                               const struct pa_verify_digest *d)
{
  struct pa_field_out o= {buf, size, 0};
  pa_field_put(&o, "G\t", 2);
  pa_field_put_text(&o, d->schema);
  pa_field_put(&o, "\t", 1);
  pa_field_put_text(&o, d->digest);
  put_figures(&o, &d->before);
  put_figures(&o, &d->after);
  put_figures(&o, &d->last_raw);
  pa_field_printf(&o, "\t%d\n", d->seen ? 1 : 0);
  return pa_field_finish(&o);
}

/* Parsing scratch: kept off the caller's stack frame size limits. */
struct scratch
{
  char schema[PA_IDENT_BYTES], table[PA_IDENT_BYTES], index[PA_IDENT_BYTES];
  char sql[PA_VERIFY_SQL_BYTES];
  struct pa_index_snap snap;
  struct pa_change c;
  struct pa_verify_digest d;
};

#define TAB(p, end) pa_field_expect(p, end, '\t')

static int parse_int_in(const char **p, const char *end, int lo, int hi,
                        int *v)
{
  int64_t x;
  if (pa_field_i64(p, end, &x) || x < lo || x > hi)
    return -1;
  *v= (int) x;
  return 0;
}

static int parse_figures(const char **p, const char *end,
                         struct pa_digest_figures *f)
{
  return TAB(p, end) || pa_field_u64(p, end, &f->executions) ||
         TAB(p, end) || pa_field_u64(p, end, &f->latency_ps) ||
         TAB(p, end) || pa_field_u64(p, end, &f->rows_examined) ||
         TAB(p, end) || pa_field_u64(p, end, &f->errors);
}

static int is_hex_digest(const char *s)
{
  size_t i;
  for (i= 0; s[i]; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return 0;
  return i == 32;
}

static int is_rec_id(const char *s)
{
  return !*s || (strlen(s) == 16 && strspn(s, "0123456789abcdef") == 16);
}

/* One record; *kind receives its letter. */
static int parse_record(const char **p, const char *end, struct scratch *s,
                        char *kind)
{
  int k, v, r, seen, ignored;
  if (*p >= end)
    return -1;
  *kind= **p;
  (*p)++;
  if (TAB(p, end))
    return -1;
  switch (*kind)
  {
  case 'D':
    memset(&s->snap, 0, sizeof(s->snap));
    if (pa_field_text(p, end, s->schema, sizeof(s->schema)) || TAB(p, end) ||
        pa_field_text(p, end, s->table, sizeof(s->table)) || TAB(p, end) ||
        pa_field_text(p, end, s->snap.name, sizeof(s->snap.name)) ||
        TAB(p, end) || pa_field_u64(p, end, &s->snap.fingerprint) ||
        TAB(p, end) || parse_int_in(p, end, 0, 1, &ignored) ||
        TAB(p, end) || pa_field_text(p, end, s->sql, sizeof(s->sql)) ||
        pa_field_expect(p, end, '\n') || !s->schema[0] || !s->table[0] ||
        (!s->snap.name[0] && (s->snap.fingerprint || ignored || s->sql[0])))
      return -1;
    s->snap.ignored= ignored;
    return 0;
  case 'C':
    memset(&s->c, 0, sizeof(s->c));
    if (pa_field_u64(p, end, &s->c.id) || TAB(p, end) ||
        pa_field_i64(p, end, &s->c.changed_at) || TAB(p, end) ||
        pa_field_text(p, end, s->c.schema, sizeof(s->c.schema)) ||
        TAB(p, end) ||
        pa_field_text(p, end, s->c.table, sizeof(s->c.table)) ||
        TAB(p, end) ||
        pa_field_text(p, end, s->c.index, sizeof(s->c.index)) ||
        TAB(p, end) ||
        parse_int_in(p, end, PA_CHANGE_CREATED, PA_CHANGE_KIND_MAX, &k) ||
        TAB(p, end) ||
        pa_field_text(p, end, s->c.rec_id, sizeof(s->c.rec_id)) ||
        TAB(p, end) || parse_int_in(p, end, 0, PA_VERDICT_MAX, &v) ||
        TAB(p, end) || parse_int_in(p, end, 0, PA_PENDING_REASON_MAX, &r) ||
        TAB(p, end) || pa_field_i64(p, end, &s->c.verdict_at) ||
        TAB(p, end) || pa_field_text(p, end, s->sql, sizeof(s->sql)) ||
        pa_field_expect(p, end, '\n'))
      return -1;
    if (!s->c.id || !s->c.schema[0] || !s->c.table[0] || !s->c.index[0] ||
        !is_rec_id(s->c.rec_id) || (v == PA_VERDICT_PENDING) != (r != 0) ||
        (v == PA_VERDICT_PENDING) != (s->c.verdict_at == 0))
      return -1;
    s->c.kind= (enum pa_change_kind) k;
    s->c.verdict= (enum pa_verdict) v;
    s->c.reason= (enum pa_pending_reason) r;
    s->c.undo_sql= s->sql;
    return 0;
  case 'G':
    memset(&s->d, 0, sizeof(s->d));
    if (pa_field_text(p, end, s->d.schema, sizeof(s->d.schema)) ||
        TAB(p, end) ||
        pa_field_text(p, end, s->d.digest, sizeof(s->d.digest)) ||
        parse_figures(p, end, &s->d.before) ||
        parse_figures(p, end, &s->d.after) ||
        parse_figures(p, end, &s->d.last_raw) || TAB(p, end) ||
        parse_int_in(p, end, 0, 1, &seen) || pa_field_expect(p, end, '\n') ||
        !is_hex_digest(s->d.digest))
      return -1;
    s->d.seen= seen;
    return 0;
  }
  return -1;
}

long pa_verify_parse(const char *data, size_t len, int64_t *server_start,
                     uint64_t *next_id, const struct pa_verify_sink *sink)
{
  static const size_t magic_len= sizeof(PA_VERIFY_MAGIC) - 1;
  struct scratch s;
  const char *p, *end, *body, *trailer;
  uint64_t want, count, last_id;
  int pass;

  if (!data || !server_start || !next_id || len < magic_len ||
      memcmp(data, PA_VERIFY_MAGIC, magic_len))
    return -1;
  end= data + len;
  p= data + magic_len;
  if (pa_field_expect(&p, end, ' ') || pa_field_i64(&p, end, server_start) ||
      pa_field_expect(&p, end, ' ') || pa_field_u64(&p, end, next_id) ||
      pa_field_expect(&p, end, '\n') || !*next_id)
    return -1;
  body= p;
  if (pa_field_check_trailer(data, len, body, &trailer, &want))
    return -1;
  for (pass= 0; pass < 2; pass++)
  {
    int have_change= 0;
    count= 0;
    last_id= 0;
    for (p= body; p < trailer; count++)
    {
      char kind;
      int rc= 0;
      if (parse_record(&p, trailer, &s, &kind))
        return -1;
      if (kind == 'G' && !have_change)
        return -1;
      if (kind == 'C')
      {
        /* ids grow and stay below the next one to hand out */
        if (s.c.id <= last_id || s.c.id >= *next_id)
          return -1;
        last_id= s.c.id;
        have_change= 1;
      }
      if (pass == 0 || !sink)
        continue;
      if (kind == 'D' && sink->def)
        rc= sink->def(sink->ctx, s.schema, s.table,
                      s.snap.name[0] ? &s.snap : NULL, s.sql);
      else if (kind == 'C' && sink->change)
        rc= sink->change(sink->ctx, &s.c);
      else if (kind == 'G' && sink->digest)
        rc= sink->digest(sink->ctx, &s.d);
      if (rc)
        return -1;
    }
    if (count != want)
      return -1;
  }
  return (long) count;
}
