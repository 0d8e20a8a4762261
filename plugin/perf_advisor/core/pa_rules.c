/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: table-scoped and statement-scoped rules.
*/
#include "pa_rules.h"
#include "pa_sql.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char *pa_fmt_bytes(uint64_t bytes, char *buf, size_t size)
{
  static const char *units[]= {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v= (double) bytes;
  int u= 0;
  while (v >= 1024.0 && u < 6)
  {
    v/= 1024.0;
    u++;
  }
  if (u == 0)
    snprintf(buf, size, "%" PRIu64 " B", bytes);
  else
    snprintf(buf, size, "%.1f %s", v, units[u]);
  return buf;
}

/* "2 h", "3.5 d": a window, for messages. */
static const char *fmt_window(uint64_t s, char *buf, size_t size)
{
  if (s < 120)
    snprintf(buf, size, "%" PRIu64 " s", s);
  else if (s < 7200)
    snprintf(buf, size, "%" PRIu64 " min", s / 60);
  else if (s < 172800)
    snprintf(buf, size, "%.1f h", (double) s / 3600.0);
  else
    snprintf(buf, size, "%.1f d", (double) s / 86400.0);
  return buf;
}

static struct pa_rec *new_rec(struct pa_rec_list *out,
                              const struct pa_rule_table *t,
                              const char *index, enum pa_priority prio,
                              const char *action)
{
  struct pa_rec *r= pa_rec_new(out);
  if (!r)
    return NULL;
  r->priority= prio;
  r->action= action;
  if (t)
  {
    r->schema= t->schema;
    r->table= t->name;
  }
  r->index= index;
  return r;
}

static void json_table(struct pa_json *j, const struct pa_rule_table *t)
{
  pa_json_str(j, "schema", t->schema);
  pa_json_str(j, "table", t->name);
  pa_json_str(j, "engine", t->engine);
  pa_json_u64(j, "table_rows", t->facts.rows);
}

/* indexing: a large, thinly indexed table that is read by scanning. */
static int rule_indexing(const struct pa_rule_table *t,
                         const struct pa_thresholds *th,
                         struct pa_rec_list *out)
{
  const struct pa_alloc *a= out->a;
  char b1[32], b2[32], w[32];
  struct pa_rec *r;
  struct pa_buf b;
  struct pa_json j;
  double ratio;

  if (!t->facts.sizes_known || !t->metrics.ratio_known || !t->io_known)
    return 0;
  if (t->facts.rows <= th->large_table_rows)
    return 0;
  ratio= t->metrics.index_to_data_ratio;
  if (ratio >= th->min_index_ratio)
    return 0;
  /* Evidence that it is scanned: at least one table's worth of rows read
     without an index. */
  if (t->full_scan_reads == 0 || t->full_scan_reads < t->facts.rows)
    return 0;
  if (!(r= new_rec(out, t, NULL, PA_PRIO_HIGH, "analyze_query_patterns")))
    return -1;
  pa_rec_set_id(r, "indexing", t->schema, t->name, (const char *) NULL);
  r->message= pa_strdupf(
      a,
      "%s.%s has %" PRIu64 " rows and %s of indexes for %s of data "
      "(ratio %.2f < %.2f), and %" PRIu64
      " rows were read by full scans in %s: find the queries that scan it "
      "(PERF_QUERY_ANALYSIS) and index their predicates.",
      t->schema, t->name, t->facts.rows,
      pa_fmt_bytes(t->facts.index_length, b1, sizeof(b1)),
      pa_fmt_bytes(t->facts.data_length, b2, sizeof(b2)), ratio,
      th->min_index_ratio, t->full_scan_reads,
      fmt_window(t->observed_seconds, w, sizeof(w)));
  r->benefit= (double) t->full_scan_reads;
  r->benefit_text= pa_strdupf(a, "%" PRIu64 " rows read by full scans",
                              t->full_scan_reads);
  pa_buf_init(&b, a);
  pa_json_begin(&j, &b);
  json_table(&j, t);
  pa_json_u64(&j, "data_length", t->facts.data_length);
  pa_json_u64(&j, "index_length", t->facts.index_length);
  pa_json_dbl(&j, "index_to_data_ratio", ratio);
  pa_json_u64(&j, "full_scan_reads", t->full_scan_reads);
  pa_json_u64(&j, "rows_read", t->rows_read);
  pa_json_u64(&j, "observed_seconds", t->observed_seconds);
  pa_json_u64(&j, "threshold_large_table_rows", th->large_table_rows);
  pa_json_dbl(&j, "threshold_min_index_ratio", th->min_index_ratio);
  pa_json_end(&j);
  r->evidence= pa_buf_str(&b);
  return r->message && r->evidence ? 0 : -1;
}

/* The soft drop: ignore, watch, then drop; or drop an ignored index. */
static int soft_drop_sql(struct pa_rec *r, const struct pa_alloc *a,
                         const struct pa_rule_table *t,
                         const struct pa_index_def *d)
{
  if (d->is_ignored)
  {
    r->sql= pa_sql_drop_index(a, t->schema, t->name, d->name);
    r->rollback_sql= pa_sql_create_index(a, t->schema, t->name, d->name,
                                         d->cols, d->n_cols, 0);
    return r->sql && r->rollback_sql ? 0 : -1;
  }
  r->sql= pa_sql_alter_index_ignored(a, t->schema, t->name, d->name, 1);
  r->rollback_sql=
      pa_sql_alter_index_ignored(a, t->schema, t->name, d->name, 0);
  r->final_sql= pa_sql_drop_index(a, t->schema, t->name, d->name);
  return r->sql && r->rollback_sql && r->final_sql ? 0 : -1;
}

/* Big enough to be worth a DBA's time. */
static int worth_it(const struct pa_rule_table *t,
                    const struct pa_rule_index *x,
                    const struct pa_thresholds *th)
{
  if (x->size_known)
    return x->size_bytes >= th->min_index_bytes;
  return t->facts.sizes_known && t->facts.rows >= th->min_table_rows;
}

static void json_index(struct pa_json *j, const struct pa_rule_index *x)
{
  char cols[1024];
  pa_json_str(j, "index", x->def->name);
  pa_json_str(j, "columns",
              pa_index_columns_text(x->def, cols, sizeof(cols)));
  pa_json_str(j, "usage_status", pa_usage_status_name(x->status));
  pa_json_u64(j, "read_count", x->reads);
  pa_json_u64(j, "observed_seconds", x->observed_seconds);
  if (x->size_known)
    pa_json_u64(j, "size_bytes", x->size_bytes);
  else
    pa_json_null(j, "size_bytes");
  if (x->card_known)
    pa_json_u64(j, "cardinality", x->cardinality);
  else
    pa_json_null(j, "cardinality");
  if (x->n_nodes)
  {
    pa_json_raw(j, "nodes", "");
    pa_peer_nodes_json(j->b, x->nodes, x->n_nodes);
  }
}

/*
  A docfield index that search_index declares (a UNIQUE one is never a
  drop candidate): 1 with the lasting metadata change in *sql and
  *rollback; 0 for any other index; -1 on allocation failure.
*/
static int frappe_durable(const struct pa_alloc *a,
                          const struct pa_rule_table *t,
                          const struct pa_rule_index *x, char **sql,
                          char **rollback)
{
  const struct pa_frappe_index_origin *o= x->frappe;
  *sql= *rollback= NULL;
  if (!o || !t->frappe_doctype || o->origin != PA_ORIGIN_DOCFIELD ||
      o->which != PA_FLAG_SEARCH_INDEX || !o->field)
    return 0;
  return pa_frappe_durable_sql(a, t->schema, t->frappe_doctype, o, sql,
                               rollback)
             ? -1
             : 1;
}

/* EVIDENCE of an index on a Frappe site: its origin and, for a docfield
   one, the field and the lasting change.  -1 on allocation failure. */
static int json_frappe(struct pa_json *j, const struct pa_alloc *a,
                       const struct pa_rule_table *t,
                       const struct pa_rule_index *x)
{
  const struct pa_frappe_index_origin *o= x->frappe;
  char *sql, *rollback;
  int durable;

  if (!o || !t->frappe_doctype)
    return 0;
  if (o->origin == PA_ORIGIN_UNKNOWN)
    pa_json_null(j, "origin");
  else
    pa_json_str(j, "origin", pa_frappe_origin_name(o->origin));
  if (o->origin != PA_ORIGIN_DOCFIELD || !o->field)
    return 0;
  pa_json_str(j, "frappe_doctype", t->frappe_doctype->name);
  pa_json_str(j, "frappe_field", o->field->fieldname);
  pa_json_str(j, "frappe_flag",
              o->which == PA_FLAG_UNIQUE ? "unique" : "search_index");
  pa_json_str(j, "frappe_flag_set_by", pa_frappe_via_name(o->via));
  if ((durable= frappe_durable(a, t, x, &sql, &rollback)) < 0)
    return -1;
  if (durable)
  {
    pa_json_str(j, "durable_sql", sql);
    pa_json_str(j, "durable_rollback_sql", rollback);
  }
  return 0;
}

static void json_confidence(struct pa_json *j, struct pa_drop_verdict dv)
{
  pa_json_str(j, "drop_confidence", pa_drop_confidence_name(dv.confidence));
  pa_json_str(j, "drop_confidence_reason", pa_drop_reason_name(dv.reason));
}

static void json_drop_thresholds(struct pa_json *j,
                                 const struct pa_thresholds *th)
{
  pa_json_u64(j, "threshold_min_index_bytes", th->min_index_bytes);
  pa_json_u64(j, "threshold_min_table_rows", th->min_table_rows);
  pa_json_u64(j, "threshold_useless_index_distinct",
              th->useless_index_distinct);
  pa_json_u64(j, "business_cycle_days", th->business_cycle_days);
}

/* The table has enough rows to call a few distinct values useless. */
static int rows_to_judge(const struct pa_rule_table *t,
                         const struct pa_thresholds *th)
{
  return t->facts.sizes_known && t->facts.rows > 0 &&
         t->facts.rows >= th->min_table_rows;
}

struct pa_drop_verdict pa_rules_drop_confidence(const struct pa_rule_table *t,
                                                const struct pa_rule_index *x,
                                                const struct pa_thresholds *th)
{
  struct pa_drop_verdict dv= {PA_CONF_NONE, PA_DROP_NONE};
  const struct pa_index_verdict *v= x ? x->verdict : NULL;
  int redundant, unused;

  if (!t || !x || !x->def || !th || !pa_index_drop_safe(v) ||
      x->def->is_primary || x->def->is_unique)
    return dv;
  redundant= v->redundant_with >= 0;
  unused= x->status == PA_USAGE_UNUSED;
  if (redundant && v->redundancy == PA_RED_DUPLICATE)
  {
    dv.confidence= PA_CONF_HIGH;
    dv.reason= PA_DROP_DUPLICATE;
  }
  else if (unused && th->useless_index_distinct && x->card_known &&
           x->cardinality <= th->useless_index_distinct &&
           rows_to_judge(t, th))
  {
    dv.confidence= PA_CONF_HIGH;
    dv.reason= PA_DROP_USELESS;
  }
  else if (redundant && (v->redundancy == PA_RED_LEFT_PREFIX ||
                         v->redundancy == PA_RED_PK_SUFFIX))
  {
    dv.confidence= PA_CONF_MEDIUM;
    dv.reason= v->redundancy == PA_RED_LEFT_PREFIX ? PA_DROP_LEFT_PREFIX
                                                   : PA_DROP_PK_SUFFIX;
  }
  else if (unused)
  {
    dv.confidence= PA_CONF_LOW;
    /* "selective" only where the useless test could have said no */
    dv.reason= th->useless_index_distinct && x->card_known &&
                       rows_to_judge(t, th) &&
                       x->cardinality > th->useless_index_distinct
                   ? PA_DROP_UNUSED_SELECTIVE
                   : PA_DROP_UNUSED;
  }
  return dv;
}

const char *pa_drop_confidence_name(enum pa_drop_confidence c)
{
  switch (c)
  {
  case PA_CONF_HIGH:
    return "high";
  case PA_CONF_MEDIUM:
    return "medium";
  case PA_CONF_LOW:
    return "low";
  case PA_CONF_NONE:
    break;
  }
  return NULL;
}

const char *pa_drop_reason_name(enum pa_drop_reason r)
{
  switch (r)
  {
  case PA_DROP_DUPLICATE:
    return "duplicate";
  case PA_DROP_USELESS:
    return "useless_on_data";
  case PA_DROP_LEFT_PREFIX:
    return "left_prefix";
  case PA_DROP_PK_SUFFIX:
    return "pk_suffix";
  case PA_DROP_UNUSED_SELECTIVE:
    return "unused_selective";
  case PA_DROP_UNUSED:
    return "unused";
  case PA_DROP_NONE:
    break;
  }
  return NULL;
}

static enum pa_priority drop_priority(enum pa_drop_confidence c)
{
  return c == PA_CONF_HIGH     ? PA_PRIO_HIGH
         : c == PA_CONF_MEDIUM ? PA_PRIO_MEDIUM
                               : PA_PRIO_LOW;
}

/* "9.0 days", "31 days": an observation window, in days as the business
   cycle is counted. */
static const char *fmt_days(uint64_t s, char *buf, size_t size)
{
  double d= (double) s / 86400.0;
  snprintf(buf, size, d < 10.0 ? "%.1f days" : "%.0f days", d);
  return buf;
}

/* The window of an unread index, and with peers declared, on how many
   nodes it went unread ("9.0 days on any of the 3 nodes"). */
static const char *fmt_unread(const struct pa_rule_index *x, uint64_t s,
                              char *buf, size_t size)
{
  size_t len;
  fmt_days(s, buf, size);
  len= strlen(buf);
  if (x->n_nodes > 1 && len < size)
    snprintf(buf + len, size - len, " on any of the %zu nodes", x->n_nodes);
  return buf;
}

/*
  Advice that rests on an unread window shorter than the business cycle
  says to keep the index IGNORED through a whole cycle: the code paths of
  month-end, returns and reconciliation may not have run yet.  "" when the
  window is long enough or the hint is off.
*/
static const char *cycle_hint(const struct pa_alloc *a,
                              const struct pa_thresholds *th,
                              uint64_t observed_seconds, int plural)
{
  if (!th->business_cycle_days ||
      observed_seconds / 86400 >= th->business_cycle_days)
    return "";
  return pa_strdupf(a,
                    " Observed for less than a %" PRIu64 "-day business "
                    "cycle: keep %s IGNORED through a full cycle (month-end, "
                    "returns, reconciliation) before dropping %s.",
                    th->business_cycle_days, plural ? "them" : "it",
                    plural ? "them" : "it");
}

/*
  A docfield index's drop advice: `bench migrate` creates the index again
  when it syncs the DocType, so the message gives the metadata change that
  lasts.  Appended to r->message.  0, or -1 on allocation failure.
*/
static int frappe_message(const struct pa_alloc *a,
                          const struct pa_rule_table *t,
                          const struct pa_rule_index *x, struct pa_rec *r)
{
  char *sql, *rollback;
  int durable= frappe_durable(a, t, x, &sql, &rollback);
  if (durable <= 0)
    return durable;
  r->message= pa_strdupf(
      a,
      "%s Field %s of DocType %s declares it (search_index, set by %s): "
      "`bench migrate` creates it again after a DROP INDEX. To remove it "
      "for good, turn search_index off first: %s (undo: %s), then run "
      "`bench --site <site> clear-cache`.",
      r->message, x->frappe->field->fieldname, t->frappe_doctype->name,
      pa_frappe_via_name(x->frappe->via), sql, rollback);
  return r->message ? 0 : -1;
}

/* One index's drop, as redundant_index or index_cleanup. */
static int drop_rec(const struct pa_rule_table *t,
                    const struct pa_thresholds *th, struct pa_rec_list *out,
                    const struct pa_rule_index *x, struct pa_drop_verdict dv)
{
  const struct pa_alloc *a= out->a;
  const struct pa_index_def *d= x->def;
  const struct pa_index_verdict *v= x->verdict;
  int redundant= dv.reason == PA_DROP_DUPLICATE ||
                 dv.reason == PA_DROP_LEFT_PREFIX ||
                 dv.reason == PA_DROP_PK_SUFFIX;
  char size[32], w[64], cols[1024];
  const char *hint= "";
  struct pa_rec *r;
  struct pa_buf b;
  struct pa_json j;

  if (!(r= new_rec(out, t, d->name, drop_priority(dv.confidence),
                   d->is_ignored ? "drop_index" : "ignore_then_drop_index")))
    return -1;
  pa_index_columns_text(d, cols, sizeof(cols));
  if (x->size_known)
    pa_fmt_bytes(x->size_bytes, size, sizeof(size));
  else
    snprintf(size, sizeof(size), "an unknown size");
  fmt_unread(x, x->observed_seconds, w, sizeof(w));
  if (redundant)
  {
    const char *other= t->def->indexes[v->redundant_with].name;
    pa_rec_set_id(r, "redundant_index", t->schema, t->name, d->name,
                  (const char *) NULL);
    r->message= pa_strdupf(
        a,
        "Index %s (%s) of %s.%s is %s %s and can be dropped, saving "
        "%s%s; ignore it first, watch, then drop it.",
        d->name, cols, t->schema, t->name,
        v->redundancy == PA_RED_DUPLICATE     ? "a duplicate of"
        : v->redundancy == PA_RED_LEFT_PREFIX ? "a left prefix of"
                                              : "the primary-key-suffixed "
                                                "twin of",
        other, size,
        x->status == PA_USAGE_UNUSED ? " (it is also unused)" : "");
  }
  else if (dv.reason == PA_DROP_USELESS)
  {
    pa_rec_set_id(r, "index_cleanup", t->schema, t->name, d->name,
                  (const char *) NULL);
    r->message= pa_strdupf(
        a,
        "Index %s (%s) of %s.%s has %" PRIu64 " distinct value(s) over "
        "%" PRIu64 " rows (at most %" PRIu64 "): useless on this data, and "
        "not read in %s; it takes %s. Ignore it first, watch, then drop "
        "it.",
        d->name, cols, t->schema, t->name, x->cardinality, t->facts.rows,
        th->useless_index_distinct, w, size);
  }
  else
  {
    const char *next= d->is_ignored
                          ? "It is already IGNORED: drop it when nothing "
                            "missed it."
                          : "Ignore it first, watch, then drop it.";
    pa_rec_set_id(r, "index_cleanup", t->schema, t->name, d->name,
                  (const char *) NULL);
    if (!(hint= cycle_hint(a, th, x->observed_seconds, 0)))
      return -1;
    if (dv.reason == PA_DROP_UNUSED_SELECTIVE)
      r->message= pa_strdupf(
          a,
          "Index %s (%s) of %s.%s was not read in %s but is selective "
          "(%" PRIu64 " distinct values over %" PRIu64 " rows), so it may "
          "serve a rare code path; it takes %s.%s %s",
          d->name, cols, t->schema, t->name, w, x->cardinality,
          t->facts.rows, size, hint, next);
    else
      r->message= pa_strdupf(a,
                             "Index %s (%s) of %s.%s was not read in %s; it "
                             "takes %s.%s %s",
                             d->name, cols, t->schema, t->name, w, size,
                             hint, next);
  }
  if (!r->message || soft_drop_sql(r, a, t, d) || frappe_message(a, t, x, r))
    return -1;
  r->benefit= x->size_known ? (double) x->size_bytes : 0.0;
  r->benefit_text= x->size_known ? pa_strdupf(a, "%s of index", size) : NULL;
  pa_buf_init(&b, a);
  pa_json_begin(&j, &b);
  json_table(&j, t);
  json_index(&j, x);
  json_confidence(&j, dv);
  if (json_frappe(&j, a, t, x))
    return -1;
  if (redundant)
  {
    pa_json_str(&j, "redundancy", pa_redundancy_name(v->redundancy));
    pa_json_str(&j, "redundant_with",
                t->def->indexes[v->redundant_with].name);
  }
  json_drop_thresholds(&j, th);
  pa_json_end(&j);
  return (r->evidence= pa_buf_str(&b)) ? 0 : -1;
}

/* Characters of `name` quoted (pa_sql_ident): counted in bytes, which is
   never fewer. */
static size_t quoted_len(const char *name)
{
  size_t n= 2;
  for (; *name; name++)
    n+= *name == '`' ? 2 : 1;
  return n;
}

/*
  How many of the n members, from the first, fit in one statement: the
  longest of the group's three (the NOT IGNORED rollback) within
  PA_REC_SQL_CHARS.  At least 1.
*/
static int group_fit(const struct pa_rule_table *t,
                     const struct pa_rule_index *const *members, int n)
{
  size_t len= strlen("ALTER TABLE ") + quoted_len(t->name) + 1;
  int k;

  if (t->schema && *t->schema)
    len+= quoted_len(t->schema) + 1;
  for (k= 0; k < n; k++)
  {
    len+= strlen(", ALTER INDEX ") + quoted_len(members[k]->def->name) +
          strlen(" NOT IGNORED");
    if (len > PA_REC_SQL_CHARS)
      break;
  }
  return k ? k : 1;
}

/* Names listed in a group's message, at most: the rest are counted. */
#define GROUP_MESSAGE_NAME_BYTES 1024
/* ... and of those a DocType field declares */
#define GROUP_MESSAGE_DECLARED_BYTES 400

/*
  The low-confidence unread indexes of one table as one index_cleanup row:
  one ALTER TABLE ignores them all, one restores them all, one drops them.
  n >= 2 members, none IGNORED, in definition order.
*/
static int group_rec(const struct pa_rule_table *t,
                     const struct pa_thresholds *th, struct pa_rec_list *out,
                     const struct pa_rule_index *const *members, int n)
{
  const struct pa_alloc *a= out->a;
  const char *names[PA_TABLE_MAX_INDEXES];
  uint64_t bytes= 0, window= UINT64_MAX;
  int k, n_sized= 0, listed= 0;
  char size[32], w[64];
  const char *hint, *frappe= "";
  char *dsql, *drb;
  int n_declared= 0, n_listed= 0;
  struct pa_buf b, list, arr, declared;
  struct pa_json j;
  struct pa_rec *r;

  pa_buf_init(&declared, a);
  pa_buf_init(&list, a);
  pa_buf_init(&arr, a);
  pa_buf_puts(&arr, "[");
  for (k= 0; k < n; k++)
  {
    const struct pa_rule_index *x= members[k];
    struct pa_json xj;
    names[k]= x->def->name;
    if (x->size_known)
    {
      bytes+= x->size_bytes;
      n_sized++;
    }
    if (x->observed_seconds < window)
      window= x->observed_seconds;
    if (list.len + strlen(x->def->name) < GROUP_MESSAGE_NAME_BYTES)
    {
      pa_buf_printf(&list, "%s%s", k ? ", " : "", x->def->name);
      listed++;
    }
    if (k)
      pa_buf_puts(&arr, ", ");
    pa_json_begin(&xj, &arr);
    json_index(&xj, x);
    json_confidence(&xj, pa_rules_drop_confidence(t, x, th));
    if (json_frappe(&xj, a, t, x))
      return -1;
    pa_json_end(&xj);
    if (frappe_durable(a, t, x, &dsql, &drb) > 0)
    {
      if (declared.len + strlen(x->def->name) < GROUP_MESSAGE_DECLARED_BYTES)
      {
        pa_buf_printf(&declared, "%s%s", n_listed ? ", " : "",
                      x->def->name);
        n_listed++;
      }
      n_declared++;
    }
  }
  pa_buf_puts(&arr, "]");
  if (listed < n)
    pa_buf_printf(&list, " and %d more", n - listed);
  if (n_sized == n)
    pa_fmt_bytes(bytes, size, sizeof(size));
  else if (n_sized)
    snprintf(size, sizeof(size), "at least %s",
             pa_fmt_bytes(bytes, w, sizeof(w)));
  else
    snprintf(size, sizeof(size), "an unknown size");
  /* every index of a table has the same nodes */
  fmt_unread(&t->indexes[0], window, w, sizeof(w));

  if (!(r= new_rec(out, t, NULL, PA_PRIO_LOW, "ignore_then_drop_indexes")))
    return -1;
  r->sql= pa_sql_alter_indexes_ignored(a, t->schema, t->name, names, n, 1);
  r->rollback_sql=
      pa_sql_alter_indexes_ignored(a, t->schema, t->name, names, n, 0);
  r->final_sql= pa_sql_drop_indexes(a, t->schema, t->name, names, n);
  if (!r->sql || !r->rollback_sql || !r->final_sql ||
      !(hint= cycle_hint(a, th, window, 1)))
    return -1;
  /* What the group is: its table and its members (the statement names
     them all). */
  pa_rec_set_id(r, "index_cleanup", t->schema, t->name, r->sql,
                (const char *) NULL);
  if (n_listed < n_declared)
    pa_buf_printf(&declared, " and %d more", n_declared - n_listed);
  if (n_declared &&
      !(frappe= pa_strdupf(
            a,
            " %d of them (%s) %s (search_index): "
            "`bench migrate` creates %s again after a DROP INDEX; the change "
            "that lasts, search_index off, and its undo are in EVIDENCE "
            "(indexes[].durable_sql, durable_rollback_sql).",
            n_declared, pa_buf_str(&declared),
            n_declared == 1 ? "is declared by a DocType field"
                            : "are declared by DocType fields",
            n_declared == 1 ? "it" : "them")))
    return -1;
  r->message= pa_strdupf(
      a,
      "%d indexes of %s.%s unread in %s, %s: %s. None is redundant or "
      "useless on the data, so each may serve a rare code path.%s Ignore "
      "them first (one statement), watch, then drop them.%s",
      n, t->schema, t->name, w, size, pa_buf_str(&list), hint, frappe);
  r->benefit= (double) bytes;
  r->benefit_text= n_sized ? pa_strdupf(a, "%s of indexes", size) : NULL;
  pa_buf_init(&b, a);
  pa_json_begin(&j, &b);
  json_table(&j, t);
  pa_json_u64(&j, "index_count", (uint64_t) n);
  if (n_sized == n)
    pa_json_u64(&j, "size_bytes", bytes);
  else
    pa_json_null(&j, "size_bytes");
  pa_json_u64(&j, "observed_seconds", window);
  pa_json_raw(&j, "indexes", pa_buf_str(&arr));
  json_drop_thresholds(&j, th);
  pa_json_end(&j);
  return r->message && (r->evidence= pa_buf_str(&b)) ? 0 : -1;
}

/*
  index_cleanup and redundant_index.  Each drop candidate worth a DBA's
  time is one row, prioritized by its confidence; except that the
  low-confidence ones of a table (unread but selective: each needs the
  same watching) are one row when there are several, split only where one
  statement would not fit.  An index already IGNORED keeps its own row:
  its next step is the drop.
*/
static int rule_index_drops(const struct pa_rule_table *t,
                            const struct pa_thresholds *th,
                            struct pa_rec_list *out)
{
  const struct pa_rule_index *low[PA_TABLE_MAX_INDEXES];
  struct pa_drop_verdict dv;
  int i, n_low= 0, from, k;

  for (i= 0; t->def && i < t->def->n_indexes && i < PA_TABLE_MAX_INDEXES; i++)
  {
    const struct pa_rule_index *x= &t->indexes[i];
    dv= pa_rules_drop_confidence(t, x, th);
    if (dv.confidence == PA_CONF_NONE || !worth_it(t, x, th))
      continue;
    if (dv.confidence == PA_CONF_LOW && !x->def->is_ignored)
      low[n_low++]= x;
    else if (drop_rec(t, th, out, x, dv))
      return -1;
  }
  for (from= 0; from < n_low; from+= k)
  {
    k= group_fit(t, low + from, n_low - from);
    if (k == 1 ? drop_rec(t, th, out, low[from],
                          pa_rules_drop_confidence(t, low[from], th))
               : group_rec(t, th, out, low + from, k))
      return -1;
  }
  return 0;
}

static int rule_fragmentation(const struct pa_rule_table *t,
                              const struct pa_thresholds *th,
                              struct pa_rec_list *out)
{
  const struct pa_alloc *a= out->a;
  char b1[32], b2[32];
  struct pa_rec *r;
  struct pa_buf b;
  struct pa_json j;

  if (!t->facts.sizes_known || !t->metrics.frag_known || t->data_free_shared)
    return 0;
  if (t->metrics.fragmentation_pct <= th->fragmentation_pct ||
      t->facts.data_free < th->fragmentation_bytes)
    return 0;
  if (!(r= new_rec(out, t, NULL, PA_PRIO_LOW, "optimize_table")))
    return -1;
  pa_rec_set_id(r, "fragmentation", t->schema, t->name, (const char *) NULL);
  r->message= pa_strdupf(
      a,
      "%s.%s has %s free inside %s of data (%.1f%% fragmented): OPTIMIZE "
      "TABLE rebuilds it and returns the space (InnoDB rebuilds online, "
      "but it reads and writes the whole table).",
      t->schema, t->name, pa_fmt_bytes(t->facts.data_free, b1, sizeof(b1)),
      pa_fmt_bytes(t->facts.data_length, b2, sizeof(b2)),
      t->metrics.fragmentation_pct);
  r->sql= pa_sql_optimize_table(a, t->schema, t->name);
  r->benefit= (double) t->facts.data_free;
  r->benefit_text= pa_strdupf(a, "%s reclaimed", b1);
  pa_buf_init(&b, a);
  pa_json_begin(&j, &b);
  json_table(&j, t);
  pa_json_u64(&j, "data_length", t->facts.data_length);
  pa_json_u64(&j, "data_free", t->facts.data_free);
  pa_json_dbl(&j, "fragmentation_pct", t->metrics.fragmentation_pct);
  pa_json_dbl(&j, "threshold_fragmentation_pct", th->fragmentation_pct);
  pa_json_u64(&j, "threshold_fragmentation_bytes", th->fragmentation_bytes);
  pa_json_end(&j);
  r->evidence= pa_buf_str(&b);
  return r->message && r->sql && r->evidence ? 0 : -1;
}

int pa_rules_table(const struct pa_rule_table *t,
                   const struct pa_thresholds *th, struct pa_rec_list *out)
{
  if (rule_indexing(t, th, out) || rule_index_drops(t, th, out) ||
      rule_fragmentation(t, th, out))
    return -1;
  return out->oom ? -1 : 0;
}

/* ---- statement rules -------------------------------------------------- */

/* The first 200 bytes of a digest text, for messages. */
static char *short_text(const struct pa_alloc *a, const char *text)
{
  size_t n= strlen(text);
  if (n <= 200)
    return pa_strdup(a, text);
  /* cut on a UTF-8 character boundary */
  n= 200;
  while (n > 0 && ((unsigned char) text[n] & 0xC0) == 0x80)
    n--;
  return pa_strdupf(a, "%.*s...", (int) n, text);
}

static void json_digest(struct pa_json *j, const struct pa_digest *dg)
{
  pa_json_str(j, "digest", dg->digest);
  pa_json_str(j, "schema", dg->schema);
  pa_json_str(j, "digest_text", dg->text);
  pa_json_u64(j, "exec_count", dg->exec_count);
  pa_json_dbl(j, "avg_ms", (double) dg->avg_ps / 1e9);
  pa_json_dbl(j, "total_s", (double) dg->sum_ps / 1e12);
  pa_json_u64(j, "rows_examined", dg->rows_examined);
  pa_json_u64(j, "rows_sent", dg->rows_sent);
  pa_json_u64(j, "no_index_used", dg->no_index_used);
  pa_json_u64(j, "no_good_index_used", dg->no_good_index_used);
}

static char *tables_text(const struct pa_alloc *a,
                         const struct pa_digest_analysis *an)
{
  struct pa_buf b;
  int i;
  pa_buf_init(&b, a);
  for (i= 0; i < an->n_tables; i++)
  {
    if (i)
      pa_buf_puts(&b, ", ");
    if (an->tables[i].schema[0])
      pa_buf_printf(&b, "%s.", an->tables[i].schema);
    pa_buf_puts(&b, an->tables[i].name);
  }
  return pa_buf_str(&b);
}

static struct pa_rec *pattern_rec(struct pa_rec_list *out,
                                  const struct pa_digest *dg,
                                  const char *pattern, enum pa_priority p,
                                  const char *action)
{
  struct pa_rec *r= new_rec(out, NULL, NULL, p, action);
  if (r)
  {
    pa_rec_set_id(r, "query_pattern", pattern,
                  dg->digest ? dg->digest : "", dg->schema ? dg->schema : "",
                  (const char *) NULL);
    r->benefit= (double) dg->sum_ps / 1e12;
    r->benefit_text= pa_strdupf(out->a, "%.3f s of statement time",
                                (double) dg->sum_ps / 1e12);
  }
  return r;
}

static int pattern_evidence(struct pa_rec *r, const struct pa_alloc *a,
                            const struct pa_digest *dg,
                            const char *pattern)
{
  struct pa_buf b;
  struct pa_json j;
  pa_buf_init(&b, a);
  pa_json_begin(&j, &b);
  pa_json_str(&j, "pattern", pattern);
  json_digest(&j, dg);
  pa_json_end(&j);
  r->evidence= pa_buf_str(&b);
  return r->message && r->evidence ? 0 : -1;
}

/* The statement's average latency is above slow_query_ms. */
static int digest_slow(const struct pa_digest *dg,
                       const struct pa_thresholds *th)
{
  return dg->avg_ps > th->slow_query_ps;
}

int pa_rules_digest(const struct pa_rule_digest *d,
                    const struct pa_thresholds *th, struct pa_rec_list *out)
{
  const struct pa_alloc *a= out->a;
  const struct pa_digest *dg= d->dig;
  const struct pa_digest_analysis *an= d->an;
  struct pa_rec *r;
  char *txt, *tabs;

  if (!dg || !an || !dg->text)
    return 0;
  if (!(txt= short_text(a, dg->text)) || !(tabs= tables_text(a, an)))
    return -1;

  if (digest_slow(dg, th) && dg->exec_count > 0)
  {
    struct pa_buf b;
    struct pa_json j;
    if (!(r= new_rec(out, NULL, NULL, PA_PRIO_HIGH,
                     "add_indexes_or_rewrite_query")))
      return -1;
    if (an->n_tables == 1)
    {
      r->schema= an->tables[0].schema[0] ? pa_strdup(a, an->tables[0].schema)
                                         : dg->schema;
      r->table= pa_strdup(a, an->tables[0].name);
    }
    pa_rec_set_id(r, "query_optimization", dg->digest ? dg->digest : "",
                  dg->schema ? dg->schema : "", (const char *) NULL);
    r->message= pa_strdupf(
        a,
        "A statement ran %" PRIu64 " times at %.1f ms on average (above "
        "%.0f ms), examining %" PRIu64 " rows to send %" PRIu64
        " (tables: %s): add the indexes its predicates need or rewrite it. "
        "Statement: %s",
        dg->exec_count, (double) dg->avg_ps / 1e9,
        (double) th->slow_query_ps / 1e9, dg->rows_examined,
        dg->rows_sent,
        an->n_tables ? tabs : "none", txt);
    r->benefit= (double) dg->sum_ps / 1e12;
    r->benefit_text= pa_strdupf(a, "%.3f s of statement time",
                                (double) dg->sum_ps / 1e12);
    pa_buf_init(&b, a);
    pa_json_begin(&j, &b);
    json_digest(&j, dg);
    pa_json_dbl(&j, "threshold_slow_query_ms", (double) th->slow_query_ps / 1e9);
    pa_json_end(&j);
    if (!(r->evidence= pa_buf_str(&b)) || !r->message)
      return -1;
  }

  /* IN (SELECT ...) and many joins are findings only when the statement
     is slow: MariaDB turns most IN subqueries into semi-joins, and a fast
     join of many tables is no problem to report. */
  if ((an->flags & PA_DIGEST_F_IN_SUBQUERY) && digest_slow(dg, th))
  {
    if (!(r= pattern_rec(out, dg, "in_subquery", PA_PRIO_LOW,
                         "rewrite_subquery_as_join")) ||
        !(r->message= pa_strdupf(
              a,
              "A statement filters with IN (SELECT ...) (%" PRIu64
              " runs, %.1f ms on average): if the optimizer does not turn "
              "it into a semi-join (check EXPLAIN), rewrite it as a JOIN. "
              "Statement: %s",
              dg->exec_count, (double) dg->avg_ps / 1e9, txt)) ||
        pattern_evidence(r, a, dg, "in_subquery"))
      return -1;
  }
  if ((uint64_t) an->n_joins > th->max_joins && digest_slow(dg, th))
  {
    if (!(r= pattern_rec(out, dg, "many_joins", PA_PRIO_LOW,
                         "reduce_joins_or_denormalize")) ||
        !(r->message= pa_strdupf(
              a,
              "A statement joins %d tables (more than %" PRIu64 ") and takes "
              "%.1f ms on average: check each join has an index on its join "
              "column, or denormalize what is always read together. "
              "Statement: %s",
              an->n_joins + 1, th->max_joins, (double) dg->avg_ps / 1e9,
              txt)) ||
        pattern_evidence(r, a, dg, "many_joins"))
      return -1;
  }
  if (an->flags & PA_DIGEST_F_ORDER_BY_RAND)
  {
    if (!(r= pattern_rec(out, dg, "order_by_rand", PA_PRIO_MEDIUM,
                         "avoid_order_by_rand")) ||
        !(r->message= pa_strdupf(
              a,
              "A statement sorts by RAND() (%" PRIu64 " runs), reading and "
              "sorting every candidate row: pick random keys in the "
              "application or from a precomputed id range. Statement: %s",
              dg->exec_count, txt)) ||
        pattern_evidence(r, a, dg, "order_by_rand"))
      return -1;
  }
  if ((an->flags & PA_DIGEST_F_DEEP_OFFSET) ||
      ((an->flags & PA_DIGEST_F_OFFSET) && dg->rows_sent > 0 &&
       dg->rows_examined / dg->rows_sent >= 100 && dg->exec_count >= 10))
  {
    if (!(r= pattern_rec(out, dg, "deep_offset", PA_PRIO_MEDIUM,
                         "use_keyset_pagination")) ||
        !(r->message= pa_strdupf(
              a,
              "A paginated statement uses LIMIT ... OFFSET and examines "
              "%" PRIu64 " rows to send %" PRIu64 ": every page reads and "
              "throws away all rows before it. Use keyset pagination "
              "(WHERE key > last_seen ORDER BY key LIMIT n). Statement: %s",
              dg->rows_examined, dg->rows_sent, txt)) ||
        pattern_evidence(r, a, dg, "deep_offset"))
      return -1;
  }
  if ((an->flags & PA_DIGEST_F_SINGLE_ROW_INSERT) &&
      dg->exec_count >= th->single_insert_calls)
  {
    if (!(r= pattern_rec(out, dg, "single_row_insert", PA_PRIO_LOW,
                         "batch_inserts")) ||
        !(r->message= pa_strdupf(
              a,
              "A single-row INSERT ran %" PRIu64 " times (at least %" PRIu64
              "): batch rows into multi-row INSERTs inside one transaction "
              "to save a round trip and a commit per row. Statement: %s",
              dg->exec_count, th->single_insert_calls, txt)) ||
        pattern_evidence(r, a, dg, "single_row_insert"))
      return -1;
  }
  return out->oom ? -1 : 0;
}

/* Whether col is the first key part of some non-ignored BTREE index. */
static const char *leading_index(const struct pa_rule_table *t,
                                 const char *col)
{
  int i;
  for (i= 0; t->def && i < t->def->n_indexes; i++)
  {
    const struct pa_index_def *d= &t->def->indexes[i];
    if (d->type != PA_IDX_BTREE || d->is_ignored || d->n_cols < 1)
      continue;
    if (pa_ascii_ieq(d->cols[0].name, col))
      return d->name;
  }
  return NULL;
}

int pa_rules_digest_table(const struct pa_rule_digest *d, int ti,
                          const struct pa_rule_table *t,
                          const struct pa_thresholds *th,
                          struct pa_rec_list *out)
{
  const struct pa_alloc *a= out->a;
  const struct pa_digest *dg= d->dig;
  const struct pa_digest_analysis *an= d->an;
  struct pa_rec *r;
  char *txt;
  int c;

  if (!dg || !an || !dg->text || ti < 0 || ti >= an->n_tables)
    return 0;
  if (!(txt= short_text(a, dg->text)))
    return -1;

  /* Only a slow one: a fast SELECT * (an ORM fetching one row by its key)
     costs nothing worth a finding. */
  if ((an->flags & PA_DIGEST_F_SELECT_STAR) && an->kind == PA_STMT_SELECT &&
      t->n_columns > th->wide_table_columns && digest_slow(dg, th))
  {
    if (!(r= pattern_rec(out, dg, "select_star_wide", PA_PRIO_LOW,
                         "select_needed_columns")))
      return -1;
    r->schema= t->schema;
    r->table= t->name;
    pa_rec_set_id(r, "query_pattern", "select_star_wide", t->schema,
                  t->name, dg->digest ? dg->digest : "", (const char *) NULL);
    if (!(r->message= pa_strdupf(
              a,
              "A statement reads SELECT * from %s.%s, which has %u columns "
              "(more than %" PRIu64 "), and takes %.1f ms on average (above "
              "%.0f ms): name the columns it needs, so less is read, sent "
              "and sorted, and covering indexes can serve it. Statement: %s",
              t->schema, t->name, t->n_columns, th->wide_table_columns,
              (double) dg->avg_ps / 1e9, (double) th->slow_query_ps / 1e9,
              txt)) ||
        pattern_evidence(r, a, dg, "select_star_wide"))
      return -1;
  }
  for (c= 0; c < an->n_columns; c++)
  {
    const struct pa_digest_column *col= &an->columns[c];
    const char *idx;
    if (col->table != ti)
      continue;
    if (col->use == PA_USE_LIKE_LEADING_WILDCARD)
    {
      if (!(r= pattern_rec(out, dg, "leading_wildcard", PA_PRIO_MEDIUM,
                           "avoid_leading_wildcard")))
        return -1;
      r->schema= t->schema;
      r->table= t->name;
      pa_rec_set_id(r, "query_pattern", "leading_wildcard", t->schema,
                    t->name, col->name, dg->digest ? dg->digest : "",
                    (const char *) NULL);
      if (!(r->message= pa_strdupf(
                a,
                "A statement filters %s.%s.%s with LIKE '%%...': no B-tree "
                "index can serve a leading wildcard, so no index is proposed; "
                "use a FULLTEXT index or a prefix search instead. "
                "Statement: %s",
                t->schema, t->name, col->name, txt)) ||
          pattern_evidence(r, a, dg, "leading_wildcard"))
        return -1;
    }
    else if (col->use == PA_USE_FUNC && (idx= leading_index(t, col->name)))
    {
      if (!(r= pattern_rec(out, dg, "function_on_indexed_column",
                           PA_PRIO_MEDIUM, "make_predicate_sargable")))
        return -1;
      r->schema= t->schema;
      r->table= t->name;
      r->index= idx;
      pa_rec_set_id(r, "query_pattern", "function_on_indexed_column",
                    t->schema, t->name, col->name,
                    dg->digest ? dg->digest : "", (const char *) NULL);
      if (!(r->message= pa_strdupf(
                a,
                "A statement applies a function or arithmetic to %s.%s.%s in "
                "its condition, so index %s cannot be used: compare the bare "
                "column with a computed range instead (e.g. col >= ? AND col "
                "< ? rather than DATE(col) = ?). Statement: %s",
                t->schema, t->name, col->name, idx, txt)) ||
          pattern_evidence(r, a, dg, "function_on_indexed_column"))
        return -1;
    }
  }
  return out->oom ? -1 : 0;
}
