/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: did an index change help?  (docs/verification.md)

  Change detection: two snapshots of one table's index definitions (name,
  definition fingerprint, IGNORED flag) -> created / dropped / ignored /
  not_ignored events.

  Verdict: at a change, the figures of every statement digest on the table
  are kept (executions, total latency, rows examined, errors: cumulative
  performance_schema sums, the "before").  Every later observation folds
  the growth of those sums into the "after".  Once each digest has run
  often enough after the change (or the window is over), the change is
  judged: broke, regressed, helped or no_effect; until then it is pending,
  with the reason.

  This module holds the rules and the change log's file format; the server
  layer owns storage, locking and I/O.
*/
#ifndef PA_VERIFY_H
#define PA_VERIFY_H

#include "pa_types.h"
#include "pa_advice.h"

/* ---- change detection -------------------------------------------------- */

enum pa_change_kind
{
  PA_CHANGE_CREATED= 1,   /* a new index (or re-created differently) */
  PA_CHANGE_DROPPED,      /* gone (or re-created differently) */
  PA_CHANGE_IGNORED,      /* ALTER INDEX ... IGNORED */
  PA_CHANGE_NOT_IGNORED   /* ALTER INDEX ... NOT IGNORED */
};
#define PA_CHANGE_KIND_MAX PA_CHANGE_NOT_IGNORED

/* One index of a table's definition snapshot. */
struct pa_index_snap
{
  char name[PA_IDENT_BYTES];
  uint64_t fingerprint;   /* pa_index_fingerprint(): type, uniqueness,
                             key parts; not the IGNORED flag */
  int ignored;            /* 1: IGNORED */
};

struct pa_index_event
{
  enum pa_change_kind kind;
  int before;             /* position in the old snapshot; -1: none */
  int after;              /* position in the new snapshot; -1: none */
};

/*
  The events that turn snapshot `before` (n_before indexes) into `after`
  (n_after), written to out (room for max_out; 2 * (n_before + n_after)
  always suffices): for each old index, in old order, `dropped` when the
  new snapshot has no index of its name (names compare ASCII
  case-insensitively, as MariaDB's index names) or one of another
  fingerprint, else `ignored` / `not_ignored` when only the flag changed;
  then for each new index, in new order, `created` when the old snapshot
  had none of its name or one of another fingerprint.  An index re-created
  differently under its name is thus `dropped` then `created`.
  Returns the number of events, or -1 when a count is negative, an array
  is NULL while its count is not 0, or out has too little room.
*/
int pa_verify_diff(const struct pa_index_snap *before, int n_before,
                   const struct pa_index_snap *after, int n_after,
                   struct pa_index_event *out, int max_out);

const char *pa_change_kind_name(enum pa_change_kind k);

struct pa_index_def;

/*
  The statement that makes index d of schema.table again once it is
  dropped: its CREATE INDEX, on a's memory; NULL where CREATE INDEX cannot
  make it (a primary key; FULLTEXT and SPATIAL need their keyword) or
  memory ran out.
*/
char *pa_verify_recreate_sql(const struct pa_alloc *a, const char *schema,
                             const char *table,
                             const struct pa_index_def *d);

/*
  The statement that undoes a change of kind `kind` to index `index` of
  schema.table: created and not_ignored -> ALTER INDEX ... IGNORED (none
  for a primary key, is_primary: it cannot be ignored); ignored -> ALTER
  INDEX ... NOT IGNORED; dropped -> recreate_sql, the
  pa_verify_recreate_sql() of the index as it was (returned as it is; NULL
  when it had none).  On a's memory; NULL when there is none or memory ran
  out.
*/
const char *pa_verify_undo_sql(const struct pa_alloc *a, const char *schema,
                               const char *table, enum pa_change_kind kind,
                               const char *index, int is_primary,
                               const char *recreate_sql);

/* ---- verdicts ----------------------------------------------------------- */

/* One digest's figures: cumulative sums, or their growth. */
struct pa_digest_figures
{
  uint64_t executions;    /* COUNT_STAR */
  uint64_t latency_ps;    /* SUM_TIMER_WAIT, picoseconds */
  uint64_t rows_examined; /* SUM_ROWS_EXAMINED, rows */
  uint64_t errors;        /* SUM_ERRORS, statements */
};

/* A digest on the changed table, followed from the change on. */
struct pa_verify_digest
{
  char schema[PA_IDENT_BYTES];   /* SCHEMA_NAME; "" for NULL */
  char digest[33];               /* DIGEST: 32 hex digits */
  struct pa_digest_figures before;   /* sums up to the change: "before" */
  struct pa_digest_figures after;    /* growth since the change */
  struct pa_digest_figures last_raw; /* sums at the last observation */
  int seen;       /* 0: evicted: performance_schema's digest table was
                     full and no longer listed it (the caller decides:
                     pa_verify_observe() with NULL) */
};

/* A digest as it is at the change: before = raw, nothing after yet. */
void pa_verify_digest_init(struct pa_verify_digest *d, const char *schema,
                           const char *digest,
                           const struct pa_digest_figures *raw);

/*
  A digest first listed after the change (a new statement shape on the
  table): no before, everything it has done is after.
*/
void pa_verify_digest_init_new(struct pa_verify_digest *d,
                               const char *schema, const char *digest,
                               const struct pa_digest_figures *raw);

/*
  Fold one observation into d.  raw: the digest's sums now; NULL when
  performance_schema evicted it (d->seen becomes 0; a digest that is
  absent because it has not run since the sums restarted is not
  observed at all).  A sum below
  the last one means the sums restarted from zero (server restart,
  TRUNCATE, the digest evicted and back): all of it is new.  After a
  restart the caller zeroes last_raw (pa_verify_digest_restarted).
*/
void pa_verify_observe(struct pa_verify_digest *d,
                       const struct pa_digest_figures *raw);

/* The server restarted: its sums begin again from zero. */
void pa_verify_digest_restarted(struct pa_verify_digest *d);

enum pa_verdict
{
  PA_VERDICT_PENDING= 0,
  PA_VERDICT_HELPED,
  PA_VERDICT_NO_EFFECT,
  PA_VERDICT_REGRESSED,
  PA_VERDICT_BROKE
};
#define PA_VERDICT_MAX PA_VERDICT_BROKE

/* Why a verdict is still pending. */
enum pa_pending_reason
{
  PA_PENDING_NONE= 0,           /* not pending */
  PA_PENDING_FEW_EXECUTIONS,    /* a digest ran fewer than min_executions
                                   times since the change */
  PA_PENDING_DIGEST_EVICTED,    /* ... and performance_schema no longer
                                   lists it (its digest table is full) */
  PA_PENDING_NO_STATEMENTS      /* no digest on the table yet, and the
                                   window is not over */
};
#define PA_PENDING_REASON_MAX PA_PENDING_NO_STATEMENTS

struct pa_verify_thresholds
{
  uint64_t min_executions;   /* per digest, after the change; 0 taken as 1 */
  double regression_pct;     /* average latency rise that regresses, and
                                fall (or rows-examined fall) that helps,
                                in percent of the before */
  uint64_t regression_ps;    /* ... and at least this much, picoseconds */
  uint64_t window_seconds;   /* after this long, judge with the digests
                                that ran enough; 0: no window */
};

/* What pa_verify_judge() concluded, with counts for the evidence. */
struct pa_verify_result
{
  enum pa_verdict verdict;
  enum pa_pending_reason reason;
  unsigned judged;      /* digests compared (enough executions) */
  unsigned helped;      /* ... faster, or fewer rows examined */
  unsigned regressed;   /* ... slower beyond both thresholds */
  unsigned failing;     /* digests erring more since the change */
};

/* How one digest compares, before against after. */
enum pa_digest_effect
{
  PA_EFFECT_NONE= 0,
  PA_EFFECT_HELPED,
  PA_EFFECT_REGRESSED,
  PA_EFFECT_FAILING
};

/*
  One digest's effect, whatever its executions:
  - failing: it erred after the change and its error rate (errors per
    execution) is above the before's;
  - regressed: both before and after have executions and the average
    latency after exceeds the before's by more than regression_pct percent
    and by more than regression_ps;
  - helped: the average latency fell by more than regression_pct percent
    of the after's and by more than regression_ps, or the rows examined per
    execution fell by more than regression_pct percent of the after's
    (rows examined counts the work done whatever the machine's load; a
    fall of latency alone must clear both thresholds);
  - none otherwise (and when there is no before).
*/
enum pa_digest_effect pa_verify_digest_effect(
    const struct pa_verify_digest *d, const struct pa_verify_thresholds *t);

/*
  The verdict of a change made at changed_at (epoch seconds) over its n
  digests at now.  Precedence: broke (any digest failing, at once: a
  failing statement needs no sample), then, once the digests are judged,
  regressed (any digest regressed), helped (any digest helped), no_effect.
  The digests are judged when every digest with a before that ran since
  the change has at least min_executions after (and one has), or, when
  window_seconds is set and has passed, with those that have (if none
  has: pending).  A digest not run since the change holds nothing (a
  statement that never runs again, such as the ALTER that made the change,
  cannot be affected); one that ran too few times holds the verdict, with
  the reason digest_evicted when performance_schema no longer lists it.
  Digests without a before (first run after the change) count only for
  broke.  No digest with a before: pending (no_statements) until the
  window passes, then no_effect.
  t NULL or d NULL with n > 0: pending, few_executions.
*/
void pa_verify_judge(const struct pa_verify_digest *d, size_t n,
                     int64_t changed_at, int64_t now,
                     const struct pa_verify_thresholds *t,
                     struct pa_verify_result *out);

const char *pa_verdict_name(enum pa_verdict v);
const char *pa_pending_reason_name(enum pa_pending_reason r);

/* Bytes an undo or CREATE statement may take in the file. */
#define PA_VERIFY_SQL_BYTES 8192

/* One logged change. */
struct pa_change
{
  uint64_t id;                  /* 1, 2, ... in the order seen */
  int64_t changed_at;           /* epoch seconds it was first seen */
  char schema[PA_IDENT_BYTES], table[PA_IDENT_BYTES];
  char index[PA_IDENT_BYTES];
  enum pa_change_kind kind;
  char rec_id[17];              /* PERF_RECOMMENDATIONS.ID; "" none */
  enum pa_verdict verdict;
  enum pa_pending_reason reason;
  int64_t verdict_at;           /* epoch seconds; 0 while pending */
  const char *undo_sql;         /* the instant undo; "" none */
};

/* ---- rendering ---------------------------------------------------------- */

/*
  EVIDENCE of change c, a JSON object: change, changed_at, verdict,
  pending_reason (null when judged), window_seconds (changed_at to
  verdict_at, or to now while pending), the thresholds, and the digest
  count; with with_digests (the caller has PROCESS) also "digests", one
  object per digest: schema, digest, effect, evicted, and "before" and
  "after"
  with executions, avg_latency_ms, rows_examined_per_execution (null
  without executions) and errors.  NULL when a fails or c or t is NULL.
*/
char *pa_verify_evidence(const struct pa_alloc *a, const struct pa_change *c,
                         const struct pa_verify_digest *d, size_t n,
                         const struct pa_verify_thresholds *t,
                         int with_digests, int64_t now);

/*
  The revert advice of a change judged regressed or broke: a high-priority
  row of TYPE "revert", ACTION "revert_index_change", SUGGESTED_SQL the
  change's undo, its id stable per change (type, schema, table, index and
  the change's ID), evidence as given.  0 without a row (another verdict,
  or no undo: a primary key), 0 with one, -1 when the list's allocator
  fails (l->oom set) or an argument is NULL.
*/
int pa_verify_revert_rec(struct pa_rec_list *l, const struct pa_change *c,
                         const char *evidence);

/* ---- the soft drop's DROP ----------------------------------------------- */

/* Whether the DROP INDEX after a soft drop may be offered. */
enum pa_soft_drop_gate
{
  PA_GATE_OPEN= 0,       /* judged helped or no_effect, window over; or
                            no soft drop logged (nothing to wait for) */
  PA_GATE_WAIT,          /* pending, or judged before its window ended */
  PA_GATE_KEEP           /* judged regressed or broke: revert it */
};

/*
  The gate of the DROP of an index that is IGNORED now.  c: the newest
  logged change of that index, NULL when none is logged.  Only a logged
  `ignored` change is a soft drop to wait for: an index IGNORED before the
  plugin watched its table (no change logged, or its newest change is
  another kind) gives PA_GATE_OPEN, the DROP resting on the usage evidence
  alone.  The window ends window_seconds after c->changed_at (epoch
  seconds; 0: no window, the verdict alone decides).  now: epoch seconds.
*/
enum pa_soft_drop_gate pa_verify_soft_drop_gate(const struct pa_change *c,
                                                uint64_t window_seconds,
                                                int64_t now);

/*
  Apply the gate to r, a drop recommendation of the IGNORED index of c
  (ACTION drop_index): when the gate is not open, r offers no statement
  (SUGGESTED_SQL, ROLLBACK_SQL and FINAL_SQL NULL), its ACTION becomes
  "await_soft_drop_verdict" (wait) or "keep_index" (the soft drop
  regressed or broke: its revert row undoes it), its MESSAGE says so, with
  the change's ID and, while waiting, the seconds until the window ends,
  and its EVIDENCE (a JSON object) gets "soft_drop": change_id, status,
  changed_at, window_ends_at (epoch seconds; null without a window).
  Strings are allocated with a.  Returns the gate (r unchanged when open),
  or -1 when an allocation fails or an argument is NULL.
*/
int pa_verify_gate_drop(const struct pa_alloc *a, struct pa_rec *r,
                        const struct pa_change *c, uint64_t window_seconds,
                        int64_t now);

/* ---- the change log's file ---------------------------------------------- */

/*
  The file:

    perf_advisor-changes 1 <server_start> <next_id>\n
    D\t<schema>\t<table>\t<index>\t<fingerprint>\t<ignored>\t<create_sql>\n
    C\t<id>\t<changed_at>\t<schema>\t<table>\t<index>\t<kind>\t<rec_id>
      \t<verdict>\t<reason>\t<verdict_at>\t<undo_sql>\n
    G\t<schema>\t<digest>\t<before x4>\t<after x4>\t<last_raw x4>\t<seen>\n
    end <records> <fnv1a-64 of every byte before this line, hex>\n

  D: one index of a table's definition snapshot; a D with an empty index
  name opens each table's snapshot (a table may have no index).  C: a
  change; the G lines after it are its digests (figures in the order
  executions, latency_ps, rows_examined, errors).  Text fields escape as
  the usage file (pa_field.h).
*/
#define PA_VERIFY_MAGIC "perf_advisor-changes 1"

size_t pa_verify_format_header(char *buf, size_t size, int64_t server_start,
                               uint64_t next_id);
size_t pa_verify_format_def(char *buf, size_t size, const char *schema,
                            const char *table, const struct pa_index_snap *s,
                            const char *create_sql);
size_t pa_verify_format_change(char *buf, size_t size,
                               const struct pa_change *c);
size_t pa_verify_format_digest(char *buf, size_t size,
                               const struct pa_verify_digest *d);

/* Called per record while parsing; strings valid only during the call.
   s is NULL for a table's opening D record.  Non-zero stops (error). */
struct pa_verify_sink
{
  int (*def)(void *ctx, const char *schema, const char *table,
             const struct pa_index_snap *s, const char *create_sql);
  int (*change)(void *ctx, const struct pa_change *c);
  int (*digest)(void *ctx, const struct pa_verify_digest *d);
  void *ctx;
};

/*
  Check and parse a whole file image, as pa_usage_parse(): nothing is
  delivered unless the header, every record, the count and the checksum
  are valid.  A G record before any C is invalid.  sink NULL: check only.
  Returns the number of records, or -1.
*/
long pa_verify_parse(const char *data, size_t len, int64_t *server_start,
                     uint64_t *next_id, const struct pa_verify_sink *sink);

#endif
