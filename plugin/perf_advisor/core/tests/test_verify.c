/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of pa_verify: change detection between definition snapshots,
  the digest arithmetic across restarts, every verdict rule and threshold,
  pending with each reason, and the change log's file: round trip and
  every kind of damage.
*/
#include "pa_verify.h"
#include "pa_index.h"
#include "pa_field.h"
#include "pa_text.h"
#include "pa_test.h"

#include <inttypes.h>
#include <stdlib.h>

static struct pa_index_snap snap(const char *name, uint64_t fp, int ignored)
{
  struct pa_index_snap s;
  memset(&s, 0, sizeof(s));
  strcpy(s.name, name);
  s.fingerprint= fp;
  s.ignored= ignored;
  return s;
}

static void test_diff(void)
{
  struct pa_index_snap b[4], a[5];
  struct pa_index_event ev[18];
  int n;

  b[0]= snap("PRIMARY", 1, 0);
  b[1]= snap("k_a", 2, 0);
  b[2]= snap("k_b", 3, 0);
  b[3]= snap("k_c", 4, 1);
  /* identical: no event */
  CHECK(pa_verify_diff(b, 4, b, 4, ev, 18) == 0);
  /* first look at a table (no old snapshot) is every index created; the
     caller takes a first snapshot without diffing */
  CHECK(pa_verify_diff(NULL, 0, b, 2, ev, 18) == 2);
  CHECK(ev[0].kind == PA_CHANGE_CREATED && ev[0].before == -1 &&
        ev[0].after == 0);

  a[0]= snap("PRIMARY", 1, 0);
  a[1]= snap("K_A", 2, 1);   /* flag set; names compare case-insensitively */
  a[2]= snap("k_b", 33, 0);  /* re-created differently */
  a[3]= snap("k_c", 4, 0);   /* flag cleared */
  a[4]= snap("k_new", 5, 0); /* new */
  n= pa_verify_diff(b, 4, a, 5, ev, 18);
  CHECK(n == 5);
  CHECK(ev[0].kind == PA_CHANGE_IGNORED && ev[0].before == 1 &&
        ev[0].after == 1);
  CHECK(ev[1].kind == PA_CHANGE_DROPPED && ev[1].before == 2 &&
        ev[1].after == -1);
  CHECK(ev[2].kind == PA_CHANGE_NOT_IGNORED && ev[2].before == 3 &&
        ev[2].after == 3);
  CHECK(ev[3].kind == PA_CHANGE_CREATED && ev[3].after == 2 &&
        ev[3].before == -1);
  CHECK(ev[4].kind == PA_CHANGE_CREATED && ev[4].after == 4);

  /* dropped */
  n= pa_verify_diff(b, 4, b, 2, ev, 18);
  CHECK(n == 2 && ev[0].kind == PA_CHANGE_DROPPED && ev[0].before == 2 &&
        ev[1].kind == PA_CHANGE_DROPPED && ev[1].before == 3);
  /* an ignored index dropped is dropped, not "not_ignored" */
  n= pa_verify_diff(b + 3, 1, NULL, 0, ev, 18);
  CHECK(n == 1 && ev[0].kind == PA_CHANGE_DROPPED);
  /* created already IGNORED is created */
  a[0]= snap("k_i", 9, 1);
  n= pa_verify_diff(NULL, 0, a, 1, ev, 18);
  CHECK(n == 1 && ev[0].kind == PA_CHANGE_CREATED);

  /* bad input */
  CHECK(pa_verify_diff(b, -1, b, 1, ev, 18) == -1);
  CHECK(pa_verify_diff(b, 1, b, -1, ev, 18) == -1);
  CHECK(pa_verify_diff(NULL, 1, b, 1, ev, 18) == -1);
  CHECK(pa_verify_diff(b, 1, NULL, 1, ev, 18) == -1);
  CHECK(pa_verify_diff(b, 4, b, 2, NULL, 2) == -1);
  CHECK(pa_verify_diff(b, 4, b, 2, ev, -1) == -1);
  /* too little room */
  CHECK(pa_verify_diff(b, 4, b, 2, ev, 1) == -1);
  CHECK(pa_verify_diff(NULL, 0, b, 2, ev, 1) == -1);
  CHECK(pa_verify_diff(b, 4, b, 4, NULL, 0) == 0);

  CHECK_STR(pa_change_kind_name(PA_CHANGE_CREATED), "created");
  CHECK_STR(pa_change_kind_name(PA_CHANGE_DROPPED), "dropped");
  CHECK_STR(pa_change_kind_name(PA_CHANGE_IGNORED), "ignored");
  CHECK_STR(pa_change_kind_name(PA_CHANGE_NOT_IGNORED), "not_ignored");
  CHECK(pa_change_kind_name((enum pa_change_kind) 0) == NULL);
  CHECK(pa_change_kind_name((enum pa_change_kind) 99) == NULL);
}

static struct pa_digest_figures fig(uint64_t e, uint64_t l, uint64_t r,
                                    uint64_t err)
{
  struct pa_digest_figures f= {e, l, r, err};
  return f;
}

static int fig_eq(const struct pa_digest_figures *f, uint64_t e, uint64_t l,
                  uint64_t r, uint64_t err)
{
  return f->executions == e && f->latency_ps == l &&
         f->rows_examined == r && f->errors == err;
}

static void test_observe(void)
{
  struct pa_verify_digest d;
  struct pa_digest_figures f= fig(10, 1000, 500, 1);
  char long_schema[400];

  pa_verify_digest_init(&d, "db", "0123456789abcdef0123456789abcdef", &f);
  CHECK_STR(d.schema, "db");
  CHECK(fig_eq(&d.before, 10, 1000, 500, 1));
  CHECK(fig_eq(&d.after, 0, 0, 0, 0) && d.seen);
  f= fig(15, 1600, 520, 1);
  pa_verify_observe(&d, &f);
  CHECK(fig_eq(&d.after, 5, 600, 20, 0));
  /* no growth */
  pa_verify_observe(&d, &f);
  CHECK(fig_eq(&d.after, 5, 600, 20, 0));
  /* evicted: after stays, seen is cleared */
  pa_verify_observe(&d, NULL);
  CHECK(!d.seen && fig_eq(&d.after, 5, 600, 20, 0));
  /* back with smaller sums: they restarted, all of them is new */
  f= fig(3, 90, 3, 2);
  pa_verify_observe(&d, &f);
  CHECK(d.seen && fig_eq(&d.after, 8, 690, 23, 2));
  CHECK(fig_eq(&d.last_raw, 3, 90, 3, 2));
  /* server restart: the caller zeroes last_raw */
  pa_verify_digest_restarted(&d);
  f= fig(4, 100, 4, 0);
  pa_verify_observe(&d, &f);
  CHECK(fig_eq(&d.after, 12, 790, 27, 2));
  /* before is never touched */
  CHECK(fig_eq(&d.before, 10, 1000, 500, 1));
  /* saturation instead of wrap */
  d.after.latency_ps= UINT64_MAX - 5;
  f= fig(5, 200, 4, 0);
  pa_verify_observe(&d, &f);
  CHECK(d.after.latency_ps == UINT64_MAX);

  /* a statement first run after the change: no before */
  f= fig(7, 70, 7, 7);
  pa_verify_digest_init_new(&d, NULL, "ffffffffffffffffffffffffffffffff", &f);
  CHECK_STR(d.schema, "");
  CHECK(fig_eq(&d.before, 0, 0, 0, 0) && fig_eq(&d.after, 7, 70, 7, 7));
  CHECK(d.seen);
  /* names are cut to fit */
  memset(long_schema, 'x', sizeof(long_schema) - 1);
  long_schema[sizeof(long_schema) - 1]= 0;
  pa_verify_digest_init(&d, long_schema, "0123456789abcdef0123456789abcdefXX",
                        NULL);
  CHECK(strlen(d.schema) == PA_IDENT_BYTES - 1);
  CHECK(strlen(d.digest) == 32 && !d.seen);
}

static const struct pa_verify_thresholds TH= {20, 25.0, 1000000000ULL,
                                              3600};

/* A digest with before b and after a. */
static struct pa_verify_digest dg(struct pa_digest_figures b,
                                  struct pa_digest_figures a, int seen)
{
  struct pa_verify_digest d;
  pa_verify_digest_init(&d, "db", "0123456789abcdef0123456789abcdef", &b);
  d.after= a;
  d.seen= seen;
  return d;
}

#define MS 1000000000ULL

/* Before, after, the effect they must give under TH. */
struct effect_case
{
  struct pa_digest_figures before, after;
  enum pa_digest_effect want;
};

static void test_effect(void)
{
  static const struct effect_case cases[]= {
      /* 10 ms -> 13 ms: +30 % and +3 ms: regressed */
      {{100, 100 * 10 * MS, 100, 0}, {20, 20 * 13 * MS, 20, 0},
       PA_EFFECT_REGRESSED},
      /* 10 ms -> 12 ms: +20 %: not enough */
      {{100, 100 * 10 * MS, 100, 0}, {20, 20 * 12 * MS, 20, 0},
       PA_EFFECT_NONE},
      /* 2 ms -> 2.9 ms: +45 % but +0.9 ms: not enough */
      {{10, 10 * 2 * MS, 10, 0}, {20, 20 * 29 * MS / 10, 20, 0},
       PA_EFFECT_NONE},
      /* 2 ms -> 3.1 ms: +55 % and +1.1 ms */
      {{10, 10 * 2 * MS, 10, 0}, {20, 20 * 31 * MS / 10, 20, 0},
       PA_EFFECT_REGRESSED},
      /* 20 ms -> 10 ms: helped by latency */
      {{10, 10 * 20 * MS, 10, 0}, {20, 20 * 10 * MS, 20, 0}, PA_EFFECT_HELPED},
      /* 1.5 ms -> 1 ms: 50 % faster but 0.5 ms, same rows: none */
      {{10, 15 * MS, 10, 0}, {10, 10 * MS, 10, 0}, PA_EFFECT_NONE},
      /* rows examined per execution 1000 -> 1: helped whatever the latency
         (as long as it did not regress) */
      {{10, 10 * MS, 10000, 0}, {10, 10 * MS, 10, 0}, PA_EFFECT_HELPED},
      /* rows 100 -> 80 (+25 % of 80 is exactly 100): not more than 25 % */
      {{10, 10 * MS, 1000, 0}, {10, 10 * MS, 800, 0}, PA_EFFECT_NONE},
      {{10, 10 * MS, 1000, 0}, {10, 10 * MS, 790, 0}, PA_EFFECT_HELPED},
      /* rows fell, latency regressed: regressed wins */
      {{10, 10 * 10 * MS, 10000, 0}, {10, 10 * 20 * MS, 10, 0},
       PA_EFFECT_REGRESSED},
      /* rows rose: no regression signal by itself */
      {{10, 10 * MS, 10, 0}, {10, 10 * MS, 10000, 0}, PA_EFFECT_NONE},
      /* errors: none before, some after */
      {{10, 10 * MS, 10, 0}, {5, 5 * MS, 0, 5}, PA_EFFECT_FAILING},
      /* the same error rate as before: not failing (it always failed 1 in
         2) */
      {{10, 10 * MS, 10, 5}, {10, 10 * MS, 10, 5}, PA_EFFECT_NONE},
      /* a higher rate */
      {{10, 10 * MS, 10, 5}, {10, 10 * MS, 10, 6}, PA_EFFECT_FAILING},
      /* new statement shape that fails */
      {{0, 0, 0, 0}, {3, 3, 0, 3}, PA_EFFECT_FAILING},
      /* new statement shape that works: nothing to compare */
      {{0, 0, 0, 0}, {3, 3 * 100 * MS, 30, 0}, PA_EFFECT_NONE},
      /* no execution after */
      {{10, 10 * MS, 10, 0}, {0, 0, 0, 0}, PA_EFFECT_NONE}};
  struct pa_verify_digest d;
  size_t k;

  for (k= 0; k < sizeof(cases) / sizeof(cases[0]); k++)
  {
    d= dg(cases[k].before, cases[k].after, 1);
    CHECK(pa_verify_digest_effect(&d, &TH) == cases[k].want);
    if (pa_verify_digest_effect(&d, &TH) != cases[k].want)
      fprintf(stderr, "  in effect case %zu\n", k);
  }
  /* a negative percentage counts as 0 */
  {
    struct pa_verify_thresholds t= TH;
    t.regression_pct= -50;
    t.regression_ps= 0;
    d= dg(fig(10, 10 * 10, 10, 0), fig(10, 10 * 11, 10, 0), 1);
    CHECK(pa_verify_digest_effect(&d, &t) == PA_EFFECT_REGRESSED);
  }
}

static void test_judge(void)
{
  struct pa_verify_digest d[3];
  struct pa_verify_result r;
  struct pa_verify_thresholds t= TH;

  /* too few executions */
  d[0]= dg(fig(100, 100 * 10 * MS, 100000, 0), fig(19, 19 * MS, 19, 0), 1);
  pa_verify_judge(d, 1, 1000, 1010, &t, &r);
  CHECK(r.verdict == PA_VERDICT_PENDING &&
        r.reason == PA_PENDING_FEW_EXECUTIONS);
  CHECK_STR(pa_pending_reason_name(r.reason), "too_few_executions");
  /* 20: judged, helped (10 ms -> 1 ms and rows) */
  d[0].after= fig(20, 20 * MS, 20, 0);
  pa_verify_judge(d, 1, 1000, 1010, &t, &r);
  CHECK(r.verdict == PA_VERDICT_HELPED && r.reason == PA_PENDING_NONE);
  CHECK(r.judged == 1 && r.helped == 1 && r.regressed == 0);
  /* a second digest short of executions holds the verdict... */
  d[1]= dg(fig(50, 50 * MS, 50, 0), fig(2, 2 * MS, 2, 0), 1);
  pa_verify_judge(d, 2, 1000, 1010, &t, &r);
  CHECK(r.verdict == PA_VERDICT_PENDING &&
        r.reason == PA_PENDING_FEW_EXECUTIONS);
  /* ... evicted: said so */
  d[1].seen= 0;
  pa_verify_judge(d, 2, 1000, 1010, &t, &r);
  CHECK(r.verdict == PA_VERDICT_PENDING &&
        r.reason == PA_PENDING_DIGEST_EVICTED);
  CHECK_STR(pa_pending_reason_name(r.reason), "digest_evicted");
  /* ... until the window is over: judged with the first alone */
  pa_verify_judge(d, 2, 1000, 1000 + 3600, &t, &r);
  CHECK(r.verdict == PA_VERDICT_HELPED && r.judged == 1);
  pa_verify_judge(d, 2, 1000, 1000 + 3599, &t, &r);
  CHECK(r.verdict == PA_VERDICT_PENDING);
  /* no window: waits */
  t.window_seconds= 0;
  pa_verify_judge(d, 2, 1000, 1000 + 99999, &t, &r);
  CHECK(r.verdict == PA_VERDICT_PENDING);
  t= TH;
  /* window over, but no digest ran enough: still pending */
  d[0].after.executions= 3;
  pa_verify_judge(d, 2, 1000, 1000 + 7200, &t, &r);
  CHECK(r.verdict == PA_VERDICT_PENDING &&
        r.reason == PA_PENDING_DIGEST_EVICTED && r.judged == 0);
  d[1].seen= 1;
  pa_verify_judge(d, 2, 1000, 1000 + 7200, &t, &r);
  CHECK(r.verdict == PA_VERDICT_PENDING &&
        r.reason == PA_PENDING_FEW_EXECUTIONS);
  /* a clock that went back never ends the window */
  pa_verify_judge(d, 2, 1000, 10, &t, &r);
  CHECK(r.verdict == PA_VERDICT_PENDING);

  /* a digest not run since the change (the ALTER itself, a one-off
     load) holds nothing */
  d[0]= dg(fig(100, 100 * 10 * MS, 100000, 0), fig(20, 20 * MS, 20, 0), 1);
  d[1]= dg(fig(1, 50 * MS, 0, 0), fig(0, 0, 0, 0), 1);
  pa_verify_judge(d, 2, 1000, 1010, &t, &r);
  CHECK(r.verdict == PA_VERDICT_HELPED && r.judged == 1);
  /* ... nor when it is gone from performance_schema */
  d[1].seen= 0;
  pa_verify_judge(d, 2, 1000, 1010, &t, &r);
  CHECK(r.verdict == PA_VERDICT_HELPED);
  /* nothing has run since the change: pending */
  d[0].after= fig(0, 0, 0, 0);
  pa_verify_judge(d, 2, 1000, 1010, &t, &r);
  CHECK(r.verdict == PA_VERDICT_PENDING &&
        r.reason == PA_PENDING_FEW_EXECUTIONS && r.judged == 0);
  /* ... and after the window still pending: no evidence either way */
  pa_verify_judge(d, 2, 1000, 1000 + 7200, &t, &r);
  CHECK(r.verdict == PA_VERDICT_PENDING && r.judged == 0);

  /* regressed beats helped */
  d[0]= dg(fig(100, 100 * 10 * MS, 100000, 0), fig(20, 20 * MS, 20, 0), 1);
  d[1]= dg(fig(50, 50 * 2 * MS, 50, 0), fig(30, 30 * 10 * MS, 30, 0), 1);
  pa_verify_judge(d, 2, 1000, 1010, &t, &r);
  CHECK(r.verdict == PA_VERDICT_REGRESSED && r.regressed == 1 &&
        r.helped == 1 && r.judged == 2);
  /* broke beats all, at once, even with few executions */
  d[2]= dg(fig(0, 0, 0, 0), fig(1, MS, 0, 1), 1);
  d[1].after.executions= 1;
  pa_verify_judge(d, 3, 1000, 1001, &t, &r);
  CHECK(r.verdict == PA_VERDICT_BROKE && r.failing == 1);
  /* no effect */
  d[0]= dg(fig(100, 100 * 10 * MS, 100, 0), fig(20, 20 * 10 * MS, 20, 0), 1);
  pa_verify_judge(d, 1, 1000, 1010, &t, &r);
  CHECK(r.verdict == PA_VERDICT_NO_EFFECT && r.judged == 1);
  /* min_executions 0 is taken as 1 */
  t.min_executions= 0;
  d[0].after= fig(1, 10 * MS, 1, 0);
  pa_verify_judge(d, 1, 1000, 1010, &t, &r);
  CHECK(r.verdict == PA_VERDICT_NO_EFFECT);
  d[0].after= fig(0, 0, 0, 0);
  pa_verify_judge(d, 1, 1000, 1010, &t, &r);
  CHECK(r.verdict == PA_VERDICT_PENDING);
  t= TH;
  /* no statements: pending until the window is over, then no effect */
  pa_verify_judge(NULL, 0, 1000, 1010, &t, &r);
  CHECK(r.verdict == PA_VERDICT_PENDING &&
        r.reason == PA_PENDING_NO_STATEMENTS);
  CHECK_STR(pa_pending_reason_name(r.reason), "no_statements");
  pa_verify_judge(NULL, 0, 1000, 1000 + 3600, &t, &r);
  CHECK(r.verdict == PA_VERDICT_NO_EFFECT);
  /* only statements first run after the change, working: the same */
  d[0]= dg(fig(0, 0, 0, 0), fig(50, 50 * MS, 50, 0), 1);
  pa_verify_judge(d, 1, 1000, 1010, &t, &r);
  CHECK(r.verdict == PA_VERDICT_PENDING &&
        r.reason == PA_PENDING_NO_STATEMENTS);
  /* bad input */
  pa_verify_judge(d, 1, 1000, 1010, NULL, &r);
  CHECK(r.verdict == PA_VERDICT_PENDING &&
        r.reason == PA_PENDING_FEW_EXECUTIONS);
  pa_verify_judge(NULL, 2, 1000, 1010, &t, &r);
  CHECK(r.verdict == PA_VERDICT_PENDING &&
        r.reason == PA_PENDING_FEW_EXECUTIONS);

  CHECK_STR(pa_verdict_name(PA_VERDICT_PENDING), "pending");
  CHECK_STR(pa_verdict_name(PA_VERDICT_HELPED), "helped");
  CHECK_STR(pa_verdict_name(PA_VERDICT_NO_EFFECT), "no_effect");
  CHECK_STR(pa_verdict_name(PA_VERDICT_REGRESSED), "regressed");
  CHECK_STR(pa_verdict_name(PA_VERDICT_BROKE), "broke");
  CHECK(pa_verdict_name((enum pa_verdict) 77) == NULL);
  CHECK(pa_pending_reason_name(PA_PENDING_NONE) == NULL);
  CHECK(pa_pending_reason_name((enum pa_pending_reason) 77) == NULL);
}

/* ---- file --------------------------------------------------------------- */

struct img
{
  char buf[16384];
  size_t len;
  long records;
};

static void add(struct img *m, size_t n)
{
  m->len+= n;
  m->records++;
}

static void finish(struct img *m)
{
  uint64_t h= pa_hash_bytes(PA_HASH_SEED, m->buf, m->len);
  m->len+= pa_field_format_trailer(m->buf + m->len, sizeof(m->buf) - m->len,
                                   (uint64_t) m->records, h);
}

struct got
{
  int defs, opens, changes, digests;
  char last_sql[PA_VERIFY_SQL_BYTES];
  struct pa_change c;
  struct pa_index_snap s;
  struct pa_verify_digest d;
  int stop_at;    /* non-zero: the sink fails on that record */
  int seen;
};

/* Count one more record in *count; non-zero: the sink fails on this one. */
static int take(struct got *g, int *count)
{
  if (++g->seen == g->stop_at)
    return 1;
  (*count)++;
  return 0;
}

static int on_def(void *ctx, const char *schema, const char *table,
                  const struct pa_index_snap *s, const char *create_sql)
{
  struct got *g= ctx;
  (void) schema;
  (void) table;
  if (take(g, s ? &g->defs : &g->opens))
    return 1;
  if (!s)
    return 0;
  g->s= *s;
  strcpy(g->last_sql, create_sql);
  return 0;
}

static int on_change(void *ctx, const struct pa_change *c)
{
  struct got *g= ctx;
  if (take(g, &g->changes))
    return 1;
  g->c= *c;
  strcpy(g->last_sql, c->undo_sql);
  g->c.undo_sql= NULL;
  return 0;
}

static int on_digest(void *ctx, const struct pa_verify_digest *d)
{
  struct got *g= ctx;
  int stop= take(g, &g->digests);
  if (!stop)
    g->d= *d;
  return stop;
}

/* A change of schema.table's index, with its verdict so far. */
static struct pa_change change(uint64_t id, int64_t changed_at,
                               const char *schema, const char *table,
                               const char *index, enum pa_change_kind kind,
                               enum pa_verdict verdict,
                               enum pa_pending_reason reason)
{
  struct pa_change c;
  memset(&c, 0, sizeof(c));
  c.id= id;
  c.changed_at= changed_at;
  strcpy(c.schema, schema);
  strcpy(c.table, table);
  strcpy(c.index, index);
  c.kind= kind;
  c.verdict= verdict;
  c.reason= reason;
  return c;
}

static void build(struct img *m, const char *undo)
{
  struct pa_index_snap s= snap("k\tweird\\name", 12345, 1);
  struct pa_change c;
  struct pa_verify_digest d;
  struct pa_digest_figures f= fig(10, 20, 30, 40);

  memset(m, 0, sizeof(*m));
  m->len= pa_verify_format_header(m->buf, sizeof(m->buf), 1700000000, 9);
  add(m, pa_verify_format_def(m->buf + m->len, sizeof(m->buf) - m->len,
                              "db", "t\nx", NULL, NULL));
  add(m, pa_verify_format_def(m->buf + m->len, sizeof(m->buf) - m->len,
                              "db", "t\nx", &s,
                              "CREATE INDEX `k` ON `t` (`a`)"));
  c= change(7, 1700000100, "db", "t\nx", "k\tweird\\name",
             PA_CHANGE_IGNORED, PA_VERDICT_BROKE, PA_PENDING_NONE);
  strcpy(c.rec_id, "0123456789abcdef");
  c.verdict_at= 1700000200;
  c.undo_sql= undo;
  add(m, pa_verify_format_change(m->buf + m->len, sizeof(m->buf) - m->len,
                                 &c));
  pa_verify_digest_init(&d, "db", "0123456789abcdef0123456789abcdef", &f);
  d.after= fig(1, 2, 3, 4);
  d.seen= 0;
  add(m, pa_verify_format_digest(m->buf + m->len, sizeof(m->buf) - m->len,
                                 &d));
  c.id= 8;
  c.kind= PA_CHANGE_CREATED;
  c.rec_id[0]= 0;
  c.verdict= PA_VERDICT_PENDING;
  c.reason= PA_PENDING_DIGEST_EVICTED;
  c.verdict_at= 0;
  c.undo_sql= NULL;
  add(m, pa_verify_format_change(m->buf + m->len, sizeof(m->buf) - m->len,
                                 &c));
  finish(m);
}

static long parse(const struct img *m, struct got *g)
{
  struct pa_verify_sink sink= {on_def, on_change, on_digest, g};
  int64_t start;
  uint64_t next;
  return pa_verify_parse(m->buf, m->len, &start, &next, &sink);
}

static void test_file(void)
{
  struct img m, bad;
  struct got g;
  struct pa_verify_sink sink= {on_def, on_change, on_digest, &g};
  int64_t start= 0;
  uint64_t next= 0;
  char small[8];
  size_t need;

  build(&m, "ALTER TABLE `db`.`t` ALTER INDEX `k` NOT IGNORED");
  memset(&g, 0, sizeof(g));
  CHECK(pa_verify_parse(m.buf, m.len, &start, &next, &sink) == 5);
  CHECK(start == 1700000000 && next == 9);
  CHECK(g.opens == 1 && g.defs == 1 && g.changes == 2 && g.digests == 1);
  CHECK_STR(g.s.name, "k\tweird\\name");
  CHECK(g.s.fingerprint == 12345 && g.s.ignored == 1);
  CHECK(g.c.id == 8 && g.c.kind == PA_CHANGE_CREATED &&
        g.c.verdict == PA_VERDICT_PENDING &&
        g.c.reason == PA_PENDING_DIGEST_EVICTED && g.c.rec_id[0] == 0);
  CHECK_STR(g.c.table, "t\nx");
  CHECK_STR(g.last_sql, "");
  CHECK(fig_eq(&g.d.before, 10, 20, 30, 40) &&
        fig_eq(&g.d.after, 1, 2, 3, 4) && fig_eq(&g.d.last_raw, 10, 20, 30,
                                                 40) &&
        !g.d.seen);
  /* check only */
  CHECK(pa_verify_parse(m.buf, m.len, &start, &next, NULL) == 5);
  /* a sink that stops: -1 */
  memset(&g, 0, sizeof(g));
  g.stop_at= 3;
  CHECK(parse(&m, &g) == -1);
  /* an undo with every escape survives */
  build(&m, "a\tb\nc\\d\re");
  memset(&g, 0, sizeof(g));
  g.stop_at= 4;    /* stop after the first change to keep its undo */
  CHECK(parse(&m, &g) == -1);
  CHECK_STR(g.last_sql, "a\tb\nc\\d\re");
  CHECK(g.c.id == 7 && g.c.kind == PA_CHANGE_IGNORED &&
        g.c.verdict == PA_VERDICT_BROKE && g.c.verdict_at == 1700000200);
  CHECK_STR(g.c.rec_id, "0123456789abcdef");
  CHECK_STR(g.c.index, "k\tweird\\name");

  /* formats count what they need */
  need= pa_verify_format_header(NULL, 0, 1, 1);
  CHECK(need == strlen(PA_VERIFY_MAGIC " 1 1\n"));
  CHECK(pa_verify_format_header(small, sizeof(small), 1, 1) == need);
  CHECK(strlen(small) == sizeof(small) - 1);

  /* damage: every byte flipped fails the checksum or the syntax */
  build(&m, "x");
  for (size_t i= 0; i < m.len; i++)
  {
    bad= m;
    bad.buf[i]^= 0x01;
    CHECK(pa_verify_parse(bad.buf, bad.len, &start, &next, NULL) == -1);
  }
  /* truncated anywhere */
  for (size_t i= 0; i < m.len; i++)
    CHECK(pa_verify_parse(m.buf, i, &start, &next, NULL) == -1);
  CHECK(pa_verify_parse(NULL, 10, &start, &next, NULL) == -1);
  CHECK(pa_verify_parse(m.buf, m.len, NULL, &next, NULL) == -1);
  CHECK(pa_verify_parse(m.buf, m.len, &start, NULL, NULL) == -1);
  /* the usage file is not a change log */
  {
    const char *u= "perf_advisor-usage 1 5\n";
    CHECK(pa_verify_parse(u, strlen(u), &start, &next, NULL) == -1);
  }
}

/* An image of a header and the given body lines, with a valid trailer. */
static long parse_body(const char *header, const char *lines, long records)
{
  struct img m;
  int64_t start;
  uint64_t next;
  memset(&m, 0, sizeof(m));
  m.len= (size_t) snprintf(m.buf, sizeof(m.buf), "%s%s", header, lines);
  m.records= records;
  finish(&m);
  return pa_verify_parse(m.buf, m.len, &start, &next, NULL);
}

#define H "perf_advisor-changes 1 100 10\n"
#define DG "0123456789abcdef0123456789abcdef"

/* A file of header and lines holding records records, and what
   pa_verify_parse() must return of it. */
struct body_case
{
  const char *header, *lines;
  long records, want;
};

static void test_file_records(void)
{
  static const struct body_case cases[]= {
      /* well-formed single records */
      {H, "", 0, 0},
      {H, "D\tdb\tt\t\t0\t0\t\n", 1, 1},
      {H, "D\tdb\tt\tk\t5\t1\tCREATE\n", 1, 1},
      {H, "C\t1\t5\tdb\tt\tk\t1\t\t0\t1\t0\t\n", 1, 1},
      {H,
       "C\t1\t5\tdb\tt\tk\t1\t\t0\t1\t0\t\n"
       "G\tdb\t" DG "\t1\t2\t3\t4\t1\t2\t3\t4\t1\t2\t3\t4\t1\n",
       2, 2},
      /* a record count that does not match */
      {H, "D\tdb\tt\t\t0\t0\t\n", 2, -1},
      /* header: next id 0, missing fields */
      {"perf_advisor-changes 1 100 0\n", "", 0, -1},
      {"perf_advisor-changes 1 100\n", "", 0, -1},
      {"perf_advisor-changes 2 100 1\n", "", 0, -1},
      /* unknown record kind */
      {H, "X\tdb\n", 1, -1},
      /* D: empty schema, flag out of range, opening record with data */
      {H, "D\t\tt\tk\t5\t1\t\n", 1, -1},
      {H, "D\tdb\tt\tk\t5\t2\t\n", 1, -1},
      {H, "D\tdb\tt\t\t5\t0\t\n", 1, -1},
      {H, "D\tdb\tt\tk\t5\t0\tx\ty\n", 1, -1},
      {H, "D\tdb\tt\tk\t-5\t0\t\n", 1, -1},
      {H, "D\tdb\tt\tk\\q\t5\t0\t\n", 1, -1},
      /* C: id 0, id not below next id, ids not growing, kind 0 and 5,
         verdict 6, pending without reason, verdict with reason, a verdict
         without its time, a bad recommendation id, an empty index name */
      {H, "C\t0\t5\tdb\tt\tk\t1\t\t0\t1\t0\t\n", 1, -1},
      {H, "C\t10\t5\tdb\tt\tk\t1\t\t0\t1\t0\t\n", 1, -1},
      {H,
       "C\t3\t5\tdb\tt\tk\t1\t\t0\t1\t0\t\n"
       "C\t3\t5\tdb\tt\tk\t1\t\t0\t1\t0\t\n",
       2, -1},
      {H, "C\t1\t5\tdb\tt\tk\t0\t\t0\t1\t0\t\n", 1, -1},
      {H, "C\t1\t5\tdb\tt\tk\t5\t\t0\t1\t0\t\n", 1, -1},
      {H, "C\t1\t5\tdb\tt\tk\t1\t\t6\t0\t9\t\n", 1, -1},
      {H, "C\t1\t5\tdb\tt\tk\t1\t\t0\t0\t0\t\n", 1, -1},
      {H, "C\t1\t5\tdb\tt\tk\t1\t\t1\t1\t9\t\n", 1, -1},
      {H, "C\t1\t5\tdb\tt\tk\t1\t\t1\t0\t0\t\n", 1, -1},
      {H, "C\t1\t5\tdb\tt\tk\t1\t\t1\t0\t9\t\n", 1, 1},
      {H, "C\t1\t5\tdb\tt\tk\t1\tXYZ\t0\t1\t0\t\n", 1, -1},
      {H, "C\t1\t5\tdb\tt\tk\t1\t0123456789ABCDEF\t0\t1\t0\t\n", 1, -1},
      {H, "C\t1\t5\tdb\tt\t\t1\t\t0\t1\t0\t\n", 1, -1},
      {H, "C\t1\t5\tdb\tt\tk\t1\t\t0\t4\t0\t\n", 1, -1},
      /* G: before any C, a bad digest, seen 2, a missing figure */
      {H, "G\tdb\t" DG "\t1\t2\t3\t4\t1\t2\t3\t4\t1\t2\t3\t4\t1\n", 1, -1},
      {H,
       "C\t1\t5\tdb\tt\tk\t1\t\t0\t1\t0\t\n"
       "G\tdb\tXYZ\t1\t2\t3\t4\t1\t2\t3\t4\t1\t2\t3\t4\t1\n",
       2, -1},
      {H,
       "C\t1\t5\tdb\tt\tk\t1\t\t0\t1\t0\t\n"
       "G\tdb\t" DG "\t1\t2\t3\t4\t1\t2\t3\t4\t1\t2\t3\t4\t2\n",
       2, -1},
      {H,
       "C\t1\t5\tdb\tt\tk\t1\t\t0\t1\t0\t\n"
       "G\tdb\t" DG "\t1\t2\t3\t4\t1\t2\t3\t4\t1\t2\t3\t1\n",
       2, -1}};
  size_t k;

  for (k= 0; k < sizeof(cases) / sizeof(cases[0]); k++)
  {
    long got= parse_body(cases[k].header, cases[k].lines, cases[k].records);
    CHECK(got == cases[k].want);
    if (got != cases[k].want)
      fprintf(stderr, "  in record case %zu: %s\n", k, cases[k].lines);
  }
}

static void test_render(void)
{
  struct arena ar= PA_TEST_ARENA_INIT;
  struct pa_alloc a= {arena_alloc, &ar};
  struct pa_change c;
  struct pa_verify_digest d[2];
  struct pa_rec_list l;
  char *ev;

  c= change(3, 1000, "db", "t", "k", PA_CHANGE_IGNORED, PA_VERDICT_PENDING,
             PA_PENDING_FEW_EXECUTIONS);
  c.undo_sql= "ALTER TABLE `db`.`t` ALTER INDEX `k` NOT IGNORED";
  d[0]= dg(fig(4, 4 * MS, 400, 0), fig(2, 6 * MS, 2, 2), 1);
  d[1]= dg(fig(0, 0, 0, 0), fig(0, 0, 0, 0), 0);

  ev= pa_verify_evidence(&a, &c, d, 2, &TH, 1, 1030);
  CHECK(ev != NULL);
  CHECK(ev && strstr(ev, "\"change\": \"ignored\"") != NULL);
  CHECK(ev && strstr(ev, "\"pending_reason\": \"too_few_executions\"") !=
                  NULL);
  CHECK(ev && strstr(ev, "\"window_seconds\": 30") != NULL);
  CHECK(ev && strstr(ev, "\"min_executions\": 20, \"regression_pct\": 25, "
                         "\"regression_ms\": 1, \"verify_seconds\": 3600") !=
                  NULL);
  CHECK(ev && strstr(ev, "\"digest_count\": 2") != NULL);
  CHECK(ev && strstr(ev, "\"before\": {\"executions\": 4, "
                         "\"avg_latency_ms\": 1, "
                         "\"rows_examined_per_execution\": 100, "
                         "\"errors\": 0}") != NULL);
  CHECK(ev && strstr(ev, "\"after\": {\"executions\": 2, "
                         "\"avg_latency_ms\": 3, "
                         "\"rows_examined_per_execution\": 1, "
                         "\"errors\": 2}") != NULL);
  CHECK(ev && strstr(ev, "\"effect\": \"failing\"") != NULL);
  /* a digest without executions: null averages, not 0 */
  CHECK(ev && strstr(ev, "\"before\": {\"executions\": 0, \"avg_latency_ms\": "
                         "null, \"rows_examined_per_execution\": null") !=
                  NULL);
  CHECK(ev && strstr(ev, "\"evicted\": true") != NULL);
  /* without PROCESS: no digests */
  ev= pa_verify_evidence(&a, &c, d, 2, &TH, 0, 1030);
  CHECK(ev && !strstr(ev, "\"digests\"") &&
        strstr(ev, "\"digest_count\": 2"));
  /* judged: the window ends at the verdict; reason null */
  c.verdict= PA_VERDICT_BROKE;
  c.reason= PA_PENDING_NONE;
  c.verdict_at= 1010;
  ev= pa_verify_evidence(&a, &c, d, 2, &TH, 1, 99999);
  CHECK(ev && strstr(ev, "\"window_seconds\": 10") &&
        strstr(ev, "\"pending_reason\": null") &&
        strstr(ev, "\"verdict\": \"broke\""));
  /* bad input */
  CHECK(pa_verify_evidence(NULL, &c, d, 2, &TH, 1, 0) == NULL);
  CHECK(pa_verify_evidence(&a, NULL, d, 2, &TH, 1, 0) == NULL);
  CHECK(pa_verify_evidence(&a, &c, NULL, 2, &TH, 1, 0) == NULL);
  CHECK(pa_verify_evidence(&a, &c, d, 2, NULL, 1, 0) == NULL);
  CHECK(pa_verify_evidence(&a, &c, NULL, 0, &TH, 1, 0) != NULL);

  /* the revert row */
  pa_rec_list_init(&l, &a);
  CHECK(pa_verify_revert_rec(&l, &c, "{}") == 0 && l.n == 1);
  CHECK_STR(l.recs[0].type, "revert");
  CHECK(l.recs[0].priority == PA_PRIO_HIGH);
  CHECK_STR(l.recs[0].action, "revert_index_change");
  CHECK_STR(l.recs[0].sql, c.undo_sql);
  CHECK_STR(l.recs[0].index, "k");
  CHECK(strncmp(l.recs[0].message, "Ignoring index k of db.t (change 3) "
                "broke", 41) == 0);
  CHECK(l.recs[0].rollback_sql == NULL && l.recs[0].final_sql == NULL);
  /* stable id per change; another change, another id */
  CHECK(pa_verify_revert_rec(&l, &c, "{}") == 0 && l.n == 2);
  CHECK_STR(l.recs[0].id, l.recs[1].id);
  c.id= 4;
  c.verdict= PA_VERDICT_REGRESSED;
  c.kind= PA_CHANGE_CREATED;
  CHECK(pa_verify_revert_rec(&l, &c, "{}") == 0 && l.n == 3);
  CHECK(strcmp(l.recs[0].id, l.recs[2].id) != 0);
  CHECK(strstr(l.recs[2].message, "Creating index") == l.recs[2].message);
  CHECK(strstr(l.recs[2].message, "slower") != NULL);
  c.kind= PA_CHANGE_DROPPED;
  CHECK(pa_verify_revert_rec(&l, &c, "{}") == 0 &&
        strstr(l.recs[3].message, "Dropping index") == l.recs[3].message);
  c.kind= PA_CHANGE_NOT_IGNORED;
  CHECK(pa_verify_revert_rec(&l, &c, "{}") == 0 &&
        strstr(l.recs[4].message, "Un-ignoring index") == l.recs[4].message);
  /* no row for other verdicts, nor without an undo */
  c.verdict= PA_VERDICT_HELPED;
  CHECK(pa_verify_revert_rec(&l, &c, "{}") == 0 && l.n == 5);
  c.verdict= PA_VERDICT_NO_EFFECT;
  CHECK(pa_verify_revert_rec(&l, &c, "{}") == 0 && l.n == 5);
  c.verdict= PA_VERDICT_PENDING;
  CHECK(pa_verify_revert_rec(&l, &c, "{}") == 0 && l.n == 5);
  c.verdict= PA_VERDICT_BROKE;
  c.undo_sql= "";
  CHECK(pa_verify_revert_rec(&l, &c, "{}") == 0 && l.n == 5);
  c.undo_sql= NULL;
  CHECK(pa_verify_revert_rec(&l, &c, "{}") == 0 && l.n == 5);
  c.undo_sql= "ALTER";
  CHECK(pa_verify_revert_rec(NULL, &c, "{}") == -1);
  CHECK(pa_verify_revert_rec(&l, NULL, "{}") == -1);
  CHECK(pa_verify_revert_rec(&l, &c, NULL) == -1);
  arena_free(&ar);

  /* out of memory */
  {
    struct arena tight= PA_TEST_ARENA_INIT;
    struct pa_alloc ta= {arena_alloc, &tight};
    int fails= 0, ok= 0;
    for (int k= 0; k < 40; k++)
    {
      tight.fail_after= k;
      if (pa_verify_evidence(&ta, &c, d, 2, &TH, 1, 0))
        ok++;
      else
        fails++;
      arena_free(&tight);
    }
    CHECK(fails > 0 && ok > 0);
    for (int k= 0; k < 8; k++)
    {
      struct pa_rec_list tl;
      tight.fail_after= k;
      pa_rec_list_init(&tl, &ta);
      if (pa_verify_revert_rec(&tl, &c, "{}"))
        CHECK(tl.oom);
      arena_free(&tight);
    }
  }
}

/* The soft drop's DROP: offered only after a good verdict and the
   whole window. */
static void test_gate(void)
{
  struct arena ar= PA_TEST_ARENA_INIT;
  struct pa_alloc a= {arena_alloc, &ar};
  struct pa_change c;
  struct pa_rec r, r0;

  c= change(7, 1000, "", "", "", PA_CHANGE_IGNORED, PA_VERDICT_PENDING,
             PA_PENDING_FEW_EXECUTIONS);

  /* the gate alone, case by case */
  CHECK(pa_verify_soft_drop_gate(NULL, 3600, 5000) == PA_GATE_OPEN);
  CHECK(pa_verify_soft_drop_gate(&c, 3600, 1001) == PA_GATE_WAIT);
  CHECK(pa_verify_soft_drop_gate(&c, 3600, 99999) == PA_GATE_WAIT);
  CHECK(pa_verify_soft_drop_gate(&c, 0, 99999) == PA_GATE_WAIT);
  c.verdict= PA_VERDICT_HELPED;
  CHECK(pa_verify_soft_drop_gate(&c, 3600, 4599) == PA_GATE_WAIT);
  CHECK(pa_verify_soft_drop_gate(&c, 3600, 4600) == PA_GATE_OPEN);
  CHECK(pa_verify_soft_drop_gate(&c, 0, 1000) == PA_GATE_OPEN);
  c.verdict= PA_VERDICT_NO_EFFECT;
  CHECK(pa_verify_soft_drop_gate(&c, 3600, 4599) == PA_GATE_WAIT);
  CHECK(pa_verify_soft_drop_gate(&c, 3600, 4600) == PA_GATE_OPEN);
  c.verdict= PA_VERDICT_REGRESSED;
  CHECK(pa_verify_soft_drop_gate(&c, 3600, 99999) == PA_GATE_KEEP);
  c.verdict= PA_VERDICT_BROKE;
  CHECK(pa_verify_soft_drop_gate(&c, 0, 1000) == PA_GATE_KEEP);
  /* not a soft drop: an index created IGNORED, or made IGNORED before
     the table was watched (its newest change is another kind) */
  c.kind= PA_CHANGE_CREATED;
  CHECK(pa_verify_soft_drop_gate(&c, 3600, 1001) == PA_GATE_OPEN);
  c.kind= PA_CHANGE_IGNORED;

  /* the row: open leaves it alone */
  memset(&r0, 0, sizeof(r0));
  r0.action= "drop_index";
  r0.message= "Index k of db.t was not read in 9.0 days.";
  r0.sql= "ALTER TABLE `db`.`t` DROP INDEX `k`";
  r0.rollback_sql= "CREATE INDEX `k` ON `db`.`t` (`a`)";
  r0.evidence= "{\"observed_seconds\": 5}";
  c.verdict= PA_VERDICT_HELPED;
  r= r0;
  CHECK(pa_verify_gate_drop(&a, &r, &c, 3600, 4600) == PA_GATE_OPEN);
  CHECK(r.sql == r0.sql && r.message == r0.message &&
        r.evidence == r0.evidence);
  /* judged, window not over: wait, with the seconds left */
  r= r0;
  CHECK(pa_verify_gate_drop(&a, &r, &c, 3600, 1600) == PA_GATE_WAIT);
  CHECK(r.sql == NULL && r.rollback_sql == NULL && r.final_sql == NULL);
  CHECK_STR(r.action, "await_soft_drop_verdict");
  CHECK(strstr(r.message, r0.message) == r.message);
  CHECK(strstr(r.message, "(change 7 in PERF_INDEX_CHANGES) was judged "
                          "helped, but its 3600-second window is not "
                          "over: the DROP INDEX is offered in 3000 s") !=
        NULL);
  CHECK_STR(r.evidence, "{\"observed_seconds\": 5, \"soft_drop\": "
                        "{\"change_id\": 7, \"status\": \"helped\", "
                        "\"changed_at\": 1000, \"window_ends_at\": 4600}}");
  /* pending: the reason, and when the window ends */
  c.verdict= PA_VERDICT_PENDING;
  r= r0;
  CHECK(pa_verify_gate_drop(&a, &r, &c, 3600, 1100) == PA_GATE_WAIT);
  CHECK(strstr(r.message, "is still being verified (too_few_executions): "
                          "the DROP INDEX is offered once it is judged "
                          "helped or no_effect and its 3600-second window "
                          "is over (in 3500 s).") != NULL);
  r= r0;
  CHECK(pa_verify_gate_drop(&a, &r, &c, 3600, 9999) == PA_GATE_WAIT);
  CHECK(strstr(r.message, "no_effect (its 3600-second window is over).") !=
        NULL);
  r= r0;
  r.evidence= NULL;
  CHECK(pa_verify_gate_drop(&a, &r, &c, 0, 9999) == PA_GATE_WAIT);
  CHECK(strstr(r.message, "helped or no_effect.") != NULL);
  CHECK_STR(r.evidence, "{\"soft_drop\": {\"change_id\": 7, \"status\": "
                        "\"pending\", \"changed_at\": 1000, "
                        "\"window_ends_at\": null}}");
  r= r0;
  r.evidence= "{}";
  CHECK(pa_verify_gate_drop(&a, &r, &c, 0, 9999) == PA_GATE_WAIT);
  CHECK(strncmp(r.evidence, "{\"soft_drop\": {", 15) == 0);
  /* regressed or broke: keep it */
  c.verdict= PA_VERDICT_BROKE;
  r= r0;
  CHECK(pa_verify_gate_drop(&a, &r, &c, 3600, 1100) == PA_GATE_KEEP);
  CHECK_STR(r.action, "keep_index");
  CHECK(r.sql == NULL && r.final_sql == NULL);
  CHECK(strstr(r.message, "was judged broke: keep the index") != NULL);
  /* bad input */
  CHECK(pa_verify_gate_drop(NULL, &r, &c, 0, 0) == -1);
  CHECK(pa_verify_gate_drop(&a, NULL, &c, 0, 0) == -1);
  CHECK(pa_verify_gate_drop(&a, &r, NULL, 0, 0) == -1);
  arena_free(&ar);

  /* out of memory: -1, never a half-made row that offers a DROP */
  {
    struct arena tight= PA_TEST_ARENA_INIT;
    struct pa_alloc ta= {arena_alloc, &tight};
    int fails= 0, ok= 0;
    c.verdict= PA_VERDICT_PENDING;
    for (int k= 0; k < 12; k++)
    {
      int g;
      tight.fail_after= k;
      r= r0;
      g= pa_verify_gate_drop(&ta, &r, &c, 3600, 1100);
      if (g < 0)
        fails++;
      else
        ok++;
      CHECK(r.sql == NULL);
      arena_free(&tight);
    }
    CHECK(fails > 0 && ok > 0);
  }
}

/* The statements that make an index again and undo a logged change. */
static void test_undo(void)
{
  struct arena ar= PA_TEST_ARENA_INIT;
  struct pa_alloc a= {arena_alloc, &ar};
  struct pa_index_def d;
  const char *recreate;

  memset(&d, 0, sizeof(d));
  strcpy(d.name, "k`a b");
  strcpy(d.cols[0].name, "c,1 (x)");
  strcpy(d.cols[1].name, "c2");
  d.cols[1].prefix_len= 10;
  d.n_cols= 2;
  d.type= PA_IDX_BTREE;
  recreate= pa_verify_recreate_sql(&a, "d b", "t`1", &d);
  CHECK(recreate && !strcmp(recreate, "CREATE INDEX IF NOT EXISTS `k``a b` "
                                      "ON `d b`.`t``1` (`c,1 (x)`, `c2`(10))"));
  d.is_unique= 1;
  d.type= PA_IDX_HASH;
  CHECK(pa_verify_recreate_sql(&a, "s", "t", &d) &&
        !strcmp(pa_verify_recreate_sql(&a, "s", "t", &d),
                "CREATE UNIQUE INDEX IF NOT EXISTS `k``a b` ON `s`.`t` "
                "(`c,1 (x)`, `c2`(10))"));
  /* none where CREATE INDEX cannot make it again */
  d.type= PA_IDX_FULLTEXT;
  CHECK(pa_verify_recreate_sql(&a, "s", "t", &d) == NULL);
  d.type= PA_IDX_SPATIAL;
  CHECK(pa_verify_recreate_sql(&a, "s", "t", &d) == NULL);
  d.type= PA_IDX_BTREE;
  d.is_primary= 1;
  CHECK(pa_verify_recreate_sql(&a, "s", "t", &d) == NULL);
  d.is_primary= 0;
  d.n_cols= 0;   /* a definition CREATE INDEX cannot state */
  CHECK(pa_verify_recreate_sql(&a, "s", "t", &d) == NULL);

  /* created and not_ignored are undone by ignoring the index ... */
  CHECK(!strcmp(pa_verify_undo_sql(&a, "s", "t", PA_CHANGE_CREATED, "k`a",
                                   0, NULL),
                "ALTER TABLE `s`.`t` ALTER INDEX `k``a` IGNORED"));
  CHECK(!strcmp(pa_verify_undo_sql(&a, "s", "t", PA_CHANGE_NOT_IGNORED, "k",
                                   0, "unused"),
                "ALTER TABLE `s`.`t` ALTER INDEX `k` IGNORED"));
  /* ... except a primary key, which cannot be ignored */
  CHECK(pa_verify_undo_sql(&a, "s", "t", PA_CHANGE_CREATED, "PRIMARY", 1,
                           NULL) == NULL);
  CHECK(pa_verify_undo_sql(&a, "s", "t", PA_CHANGE_NOT_IGNORED, "PRIMARY", 1,
                           NULL) == NULL);
  CHECK(!strcmp(pa_verify_undo_sql(&a, "s", "t", PA_CHANGE_IGNORED, "k", 0,
                                   NULL),
                "ALTER TABLE `s`.`t` ALTER INDEX `k` NOT IGNORED"));
  /* dropped: the index as it was, made again (or nothing) */
  CHECK(pa_verify_undo_sql(&a, "s", "t", PA_CHANGE_DROPPED, "k", 0,
                           recreate) == recreate);
  CHECK(pa_verify_undo_sql(&a, "s", "t", PA_CHANGE_DROPPED, "k", 0, NULL) ==
        NULL);
  CHECK(pa_verify_undo_sql(&a, "s", "t", (enum pa_change_kind) 0, "k", 0,
                           recreate) == NULL);
  arena_free(&ar);

  /* out of memory: NULL, never a cut statement */
  {
    struct arena tight= PA_TEST_ARENA_INIT;
    struct pa_alloc ta= {arena_alloc, &tight};
    tight.fail_after= 0;
    d.n_cols= 2;
    CHECK(pa_verify_recreate_sql(&ta, "s", "t", &d) == NULL);
    CHECK(pa_verify_undo_sql(&ta, "s", "t", PA_CHANGE_IGNORED, "k", 0,
                             NULL) == NULL);
    arena_free(&tight);
  }
}

int main(void)
{
  test_diff();
  test_observe();
  test_effect();
  test_judge();
  test_file();
  test_file_records();
  test_render();
  test_gate();
  test_undo();
  return PA_TEST_END("test_verify");
}
