/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: recommendations.

  Every rule appends pa_rec rows to a pa_rec_list; the server layer sorts,
  caps and renders them (information_schema.PERF_RECOMMENDATIONS, JSON).
  All strings live in the list's allocator.
*/
#ifndef PA_ADVICE_H
#define PA_ADVICE_H

#include "pa_types.h"
#include "pa_text.h"

enum pa_priority
{
  PA_PRIO_HIGH= 1,
  PA_PRIO_MEDIUM= 2,
  PA_PRIO_LOW= 3
};

/* Characters SUGGESTED_SQL, ROLLBACK_SQL and FINAL_SQL hold: a statement
   that would not fit is never offered cut (a cut ALTER TABLE can still
   parse, and do less). */
#define PA_REC_SQL_CHARS 4096

struct pa_rec
{
  char id[17];              /* 16 lowercase hex digits, stable for a finding */
  const char *type;         /* static: "indexing", "missing_index", ... */
  enum pa_priority priority;
  const char *schema;       /* NULL when not about one table */
  const char *table;
  const char *index;        /* NULL when not about one index */
  const char *message;      /* one plain sentence with the numbers */
  const char *action;       /* static short code */
  const char *sql;          /* ready to run; NULL: no safe statement */
  const char *rollback_sql; /* undoes sql; NULL when none */
  const char *final_sql;    /* the step after watching; NULL when none */
  double benefit;           /* sort key inside a priority, larger first */
  const char *benefit_text; /* ESTIMATED_BENEFIT, NULL when unknown */
  const char *evidence;     /* a JSON object */
};

struct pa_rec_list
{
  const struct pa_alloc *a;
  struct pa_rec *recs;
  size_t n, cap;
  int oom;                  /* an allocation failed; the list is partial */
};

void pa_rec_list_init(struct pa_rec_list *l, const struct pa_alloc *a);

/*
  A new zeroed record at the end of l, or NULL (oom set).  Its id is set by
  pa_rec_set_id once the identifying parts are known.
*/
struct pa_rec *pa_rec_new(struct pa_rec_list *l);

/*
  The stable id: a hash of the type and the NULL-terminated list of
  identifying strings (schema, table, index, column list, digest...), so the
  same finding gets the same id on every call and every server.
*/
void pa_rec_set_id(struct pa_rec *r, const char *type, ...);

/* Order: priority (high first), then benefit (larger first), then id. */
void pa_rec_sort(struct pa_rec_list *l);

const char *pa_priority_name(enum pa_priority p);

#endif
