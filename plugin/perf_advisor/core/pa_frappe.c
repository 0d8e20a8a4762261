/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: Frappe provenance of indexes (pa_frappe.h).
*/
#include "pa_frappe.h"
#include "pa_sql.h"
#include "pa_text.h"

#include <string.h>

int pa_frappe_parse_check(const char *value)
{
  const char *p= value;
  int digits= 0, nonzero= 0;

  if (!p)
    return 0;
  while (*p == ' ' || *p == '\t')
    p++;
  if (!*p)
    return 0;
  if (*p == '+' || *p == '-')
    p++;
  for (; *p >= '0' && *p <= '9'; p++)
  {
    digits++;
    nonzero|= *p != '0';
  }
  while (*p == ' ' || *p == '\t')
    p++;
  if (!digits || *p)
    return -1;
  return nonzero;
}

int pa_frappe_flag_value(const struct pa_frappe_flag *f,
                         enum pa_frappe_via *via, int custom)
{
  enum pa_frappe_via v= PA_VIA_NONE;
  int value;

  if (f->ps != -1)
  {
    v= PA_VIA_PROPERTY_SETTER;
    value= f->ps < 0 ? -1 : f->ps;
  }
  else
  {
    v= custom ? PA_VIA_CUSTOM_FIELD : PA_VIA_DOCFIELD;
    value= f->own < 0 ? -1 : f->own != 0;
  }
  if (via)
    *via= v;
  return value;
}

static const struct pa_frappe_flag *field_flag(const struct pa_frappe_field *f,
                                               enum pa_frappe_which which)
{
  return which == PA_FLAG_UNIQUE ? &f->unique : &f->search_index;
}

/*
  The field of dt with column name col and its effective flag: 1 or 0
  with *field set (the first of that name), -1 when the fields of that
  name disagree or one is unknown, 0 with *field NULL when there is none.
*/
static int field_for_column(const struct pa_frappe_doctype *dt,
                            const char *col, enum pa_frappe_which which,
                            const struct pa_frappe_field **field,
                            enum pa_frappe_via *via)
{
  int value= 0, seen= 0;

  *field= NULL;
  *via= PA_VIA_NONE;
  for (int i= 0; i < dt->n_fields; i++)
  {
    const struct pa_frappe_field *f= &dt->fields[i];
    enum pa_frappe_via v;
    int fv;
    if (!f->fieldname || !pa_ascii_ieq(f->fieldname, col))
      continue;
    fv= pa_frappe_flag_value(field_flag(f, which), &v, f->custom);
    if (fv < 0 || (seen && fv != value))
      return -1;
    if (!seen)
    {
      *field= f;
      *via= v;
    }
    value= fv;
    seen= 1;
  }
  return value;
}

/* One key part, a whole-column or prefix B-tree/HASH part: the shape of
   the index Frappe looks up by column (not FULLTEXT or SPATIAL). */
static int one_column(const struct pa_index_def *d)
{
  return d->n_cols == 1 && !d->is_primary &&
         (d->type == PA_IDX_BTREE || d->type == PA_IDX_HASH);
}

/* The first index of def in the shape Frappe looks up for column col and
   that uniqueness is x. */
static int first_for_column(const struct pa_table_def *def, int x)
{
  const struct pa_index_def *d= &def->indexes[x];
  for (int i= 0; i < x; i++)
  {
    const struct pa_index_def *e= &def->indexes[i];
    if (one_column(e) && !e->is_unique == !d->is_unique &&
        pa_ascii_ieq(e->cols[0].name, d->cols[0].name))
      return 0;
  }
  return 1;
}

static int framework_key(const struct pa_index_def *d)
{
  static const char *const keys[]= {"creation", "modified", "parent"};
  if (!one_column(d) || d->is_unique || d->cols[0].prefix_len ||
      !pa_ascii_ieq(d->name, d->cols[0].name))
    return 0;
  for (size_t k= 0; k < sizeof(keys) / sizeof(keys[0]); k++)
    if (pa_ascii_ieq(d->cols[0].name, keys[k]))
      return 1;
  return 0;
}

void pa_frappe_classify(const struct pa_table_def *def,
                        const struct pa_frappe_doctype *dt,
                        const int *text_col,
                        struct pa_frappe_index_origin *out)
{
  for (int x= 0; x < def->n_indexes && x < PA_TABLE_MAX_INDEXES; x++)
  {
    const struct pa_index_def *d= &def->indexes[x];
    struct pa_frappe_index_origin *o= &out[x];
    enum pa_frappe_which which=
        d->is_unique ? PA_FLAG_UNIQUE : PA_FLAG_SEARCH_INDEX;
    const struct pa_frappe_field *field;
    enum pa_frappe_via via;
    int flag;

    o->origin= PA_ORIGIN_UNKNOWN;
    o->field= NULL;
    o->which= which;
    o->via= PA_VIA_NONE;
    if (!dt)
      continue;
    if (d->is_primary)
    {
      o->origin= d->n_cols == 1 && !d->cols[0].prefix_len &&
                         pa_ascii_ieq(d->cols[0].name, "name")
                     ? PA_ORIGIN_FRAMEWORK
                     : PA_ORIGIN_OTHER;
      continue;
    }
    if (!one_column(d))
    {
      o->origin= PA_ORIGIN_OTHER;
      continue;
    }
    flag= field_for_column(dt, d->cols[0].name, which, &field, &via);
    if (flag < 0)
      continue; /* unknown */
    if (flag && !(text_col && text_col[x]) && first_for_column(def, x))
    {
      o->origin= PA_ORIGIN_DOCFIELD;
      o->field= field;
      o->via= via;
      continue;
    }
    o->origin= framework_key(d) ? PA_ORIGIN_FRAMEWORK : PA_ORIGIN_OTHER;
  }
}

const char *pa_frappe_origin_name(enum pa_frappe_origin o)
{
  switch (o)
  {
  case PA_ORIGIN_DOCFIELD:
    return "docfield";
  case PA_ORIGIN_FRAMEWORK:
    return "framework";
  case PA_ORIGIN_OTHER:
    return "other";
  case PA_ORIGIN_UNKNOWN:
    break;
  }
  return NULL;
}

const char *pa_frappe_via_name(enum pa_frappe_via v)
{
  switch (v)
  {
  case PA_VIA_DOCFIELD:
    return "docfield";
  case PA_VIA_CUSTOM_FIELD:
    return "custom_field";
  case PA_VIA_PROPERTY_SETTER:
    return "property_setter";
  case PA_VIA_NONE:
    break;
  }
  return NULL;
}

int pa_frappe_durable_sql(const struct pa_alloc *a, const char *schema,
                          const struct pa_frappe_doctype *dt,
                          const struct pa_frappe_index_origin *o,
                          char **sql, char **rollback)
{
  const struct pa_frappe_field *f= o ? o->field : NULL;
  char *t, *name, *dtq, *fq;

  *sql= *rollback= NULL;
  if (!dt || !dt->name || !f || !f->fieldname ||
      o->origin != PA_ORIGIN_DOCFIELD || o->which != PA_FLAG_SEARCH_INDEX)
    return -1;
  switch (o->via)
  {
  case PA_VIA_PROPERTY_SETTER:
    if (!f->search_index.ps_name ||
        !(t= pa_sql_qualified(a, schema, "tabProperty Setter")) ||
        !(name= pa_sql_string(a, f->search_index.ps_name)))
      return -1;
    *sql= pa_strdupf(a, "UPDATE %s SET value = '0' WHERE name = %s", t,
                     name);
    *rollback= pa_strdupf(a, "UPDATE %s SET value = '1' WHERE name = %s",
                          t, name);
    break;
  case PA_VIA_CUSTOM_FIELD:
    if (!f->row_name ||
        !(t= pa_sql_qualified(a, schema, "tabCustom Field")) ||
        !(name= pa_sql_string(a, f->row_name)))
      return -1;
    *sql= pa_strdupf(a, "UPDATE %s SET search_index = 0 WHERE name = %s", t,
                     name);
    *rollback= pa_strdupf(
        a, "UPDATE %s SET search_index = 1 WHERE name = %s", t, name);
    break;
  case PA_VIA_DOCFIELD:
    if (!(t= pa_sql_qualified(a, schema, "tabProperty Setter")) ||
        !(name= pa_strdupf(a, "%s-%s-search_index", dt->name,
                           f->fieldname)) ||
        !(name= pa_sql_string(a, name)) ||
        !(dtq= pa_sql_string(a, dt->name)) ||
        !(fq= pa_sql_string(a, f->fieldname)))
      return -1;
    *sql= pa_strdupf(
        a,
        "INSERT INTO %s (name, creation, modified, modified_by, owner, "
        "docstatus, idx, doctype_or_field, doc_type, field_name, property, "
        "property_type, value) VALUES (%s, NOW(6), NOW(6), "
        "'Administrator', 'Administrator', 0, 0, 'DocField', %s, %s, "
        "'search_index', 'Check', '0')",
        t, name, dtq, fq);
    *rollback= pa_strdupf(a, "DELETE FROM %s WHERE name = %s", t, name);
    break;
  case PA_VIA_NONE:
    return -1;
  }
  return *sql && *rollback ? 0 : -1;
}
