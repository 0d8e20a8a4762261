/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: a Frappe site's field metadata (pa_frappe_meta.h).
*/
#include "pa_frappe_meta.h"

#include <mysql/service_sql.h>
#include <sql_acl.h>
#include <sql_error.h>
#include <sql_parse.h>

extern "C" {
#include "pa_sql.h"
#include "pa_text.h"
}

void pa_frappe_meta_init(pa_frappe_meta *c)
{
  c->db[0]= 0;
  c->site= c->whole_schema= c->failed= false;
  c->doctype[0]= 0;
  c->doctypes= NULL;
  c->n_doctypes= 0;
}

/* The metadata tables; the first two make a Frappe site. */
enum meta_table
{
  MT_DOCTYPE,
  MT_DOCFIELD,
  MT_CUSTOM_FIELD,
  MT_PROPERTY_SETTER,
  MT_COUNT
};

static const char *const meta_table_names[MT_COUNT]= {
    "tabDocType", "tabDocField", "tabCustom Field", "tabProperty Setter"};

/* Whether db.name exists, named as the server stores it. */
static bool table_exists(THD *thd, const LEX_CSTRING *db, const char *name)
{
  char buf[NAME_LEN + 1];
  strmake(buf, name, NAME_LEN);
  if (lower_case_table_names)
    my_casedn_str(files_charset_info, buf);
  LEX_CSTRING t= {buf, strlen(buf)};
  return ha_table_exists(thd, db, &t);
}

/* has[] of db's metadata tables; whether it is a Frappe site the caller
   may read (site: whether it is a Frappe site at all). */
static bool site_readable(THD *thd, const LEX_CSTRING *db, bool *has,
                          bool *site)
{
  for (int i= 0; i < MT_COUNT; i++)
    has[i]= table_exists(thd, db, meta_table_names[i]);
  *site= has[MT_DOCTYPE] && has[MT_DOCFIELD];
  for (int i= 0; *site && i < MT_COUNT; i++)
    if (has[i] &&
        !pa_caller_reads_table(thd, db->str, meta_table_names[i]))
      return false;
  return *site;
}

/* One row of the metadata statement. */
struct meta_row
{
  int kind;             /* enum meta_table */
  const char *doctype;  /* DocType name / parent / dt / doc_type */
  const char *field;    /* fieldname / field_name */
  const char *v1, *v2;  /* search_index, unique / property, value */
  const char *name;     /* the row's name */
};

static int row_cmp(const void *a_, const void *b_)
{
  const meta_row *a= (const meta_row *) a_, *b= (const meta_row *) b_;
  int d= strcmp(a->doctype, b->doctype);
  return d ? d : a->kind - b->kind;
}

/*
  The statement: one UNION ALL of the tables that exist, every column as
  text.  doctype: that DocType's rows only; NULL: the whole schema's.
*/
static char *meta_query(const pa_alloc *a, const char *db, const bool *has,
                        const char *doctype)
{
  pa_buf b;
  char *t[MT_COUNT], *dq= NULL;

  for (int i= 0; i < MT_COUNT; i++)
    if (has[i] && !(t[i]= pa_sql_qualified(a, db, meta_table_names[i])))
      return NULL;
  if (doctype && !(dq= pa_sql_string(a, doctype)))
    return NULL;
  pa_buf_init(&b, a);
  pa_buf_printf(&b,
                "SELECT 0, name, NULL, NULL, NULL, name FROM %s%s%s",
                t[MT_DOCTYPE], dq ? " WHERE name = " : "", dq ? dq : "");
  pa_buf_printf(&b,
                " UNION ALL SELECT 1, parent, fieldname, search_index, "
                "`unique`, name FROM %s%s%s",
                t[MT_DOCFIELD], dq ? " WHERE parent = " : "", dq ? dq : "");
  if (has[MT_CUSTOM_FIELD])
    pa_buf_printf(&b,
                  " UNION ALL SELECT 2, dt, fieldname, search_index, "
                  "`unique`, name FROM %s%s%s",
                  t[MT_CUSTOM_FIELD], dq ? " WHERE dt = " : "",
                  dq ? dq : "");
  if (has[MT_PROPERTY_SETTER])
    pa_buf_printf(&b,
                  " UNION ALL SELECT 3, doc_type, field_name, property, "
                  "value, name FROM %s WHERE doctype_or_field = 'DocField' "
                  "AND property IN ('search_index', 'unique')%s%s",
                  t[MT_PROPERTY_SETTER], dq ? " AND doc_type = " : "",
                  dq ? dq : "");
  return (char *) pa_buf_str(&b);
}

/* A flag column of a field row: 0 or 1, -1 when not an integer. */
static int own_flag(const char *v)
{
  return pa_frappe_parse_check(v);
}

/*
  The DocTypes of rows[0 .. n - 1] (sorted by DocType, then kind) with
  their fields and the setters applied, into c.  false when out of
  memory.
*/
static bool build(pa_frappe_meta *c, const pa_alloc *a, meta_row *rows,
                  size_t n)
{
  size_t n_dt= 0, k= 0;

  for (size_t i= 0; i < n; i++)
    n_dt+= rows[i].kind == MT_DOCTYPE;
  c->n_doctypes= 0;
  if (!n_dt)
    return true;
  if (!(c->doctypes= (pa_frappe_doctype *) pa_alloc_array(
            a, n_dt, sizeof(pa_frappe_doctype))))
    return false;
  while (k < n)
  {
    size_t end= k, n_fields= 0;
    while (end < n && !strcmp(rows[end].doctype, rows[k].doctype))
    {
      n_fields+= rows[end].kind == MT_DOCFIELD ||
                 rows[end].kind == MT_CUSTOM_FIELD;
      end++;
    }
    /* rows of one DocType: its own row first (kind 0), if it has one */
    if (rows[k].kind == MT_DOCTYPE)
    {
      pa_frappe_doctype *dt= &c->doctypes[c->n_doctypes++];
      pa_frappe_field *fields= n_fields
                                   ? (pa_frappe_field *) pa_alloc_array(
                                         a, n_fields, sizeof(*fields))
                                   : NULL;
      int nf= 0;
      if (n_fields && !fields)
        return false;
      dt->name= rows[k].doctype;
      for (size_t i= k; i < end; i++)
      {
        const meta_row *r= &rows[i];
        if (r->kind != MT_DOCFIELD && r->kind != MT_CUSTOM_FIELD)
          continue;
        pa_frappe_field *f= &fields[nf++];
        f->fieldname= r->field;
        f->row_name= r->name;
        f->custom= r->kind == MT_CUSTOM_FIELD;
        f->search_index.own= own_flag(r->v1);
        f->unique.own= own_flag(r->v2);
        f->search_index.ps= f->unique.ps= -1;
        f->search_index.ps_name= f->unique.ps_name= NULL;
      }
      /* Property Setters override the field of that exact name (Frappe
         compares field names in Python, byte for byte); two that
         disagree, or a value that is no integer, make the flag unknown;
         a setter for no field changes nothing, as in Frappe's meta. */
      for (size_t i= k; i < end; i++)
      {
        const meta_row *r= &rows[i];
        if (r->kind != MT_PROPERTY_SETTER || !r->field || !r->v1)
          continue;
        int v= pa_frappe_parse_check(r->v2);
        for (int j= 0; j < nf; j++)
        {
          if (!fields[j].fieldname || strcmp(fields[j].fieldname, r->field))
            continue;
          pa_frappe_flag *fl= !strcmp(r->v1, "unique")
                                  ? &fields[j].unique
                                  : &fields[j].search_index;
          if (v < 0)
            fl->ps= -2;
          else if (fl->ps == -1)
          {
            fl->ps= v;
            fl->ps_name= r->name;
          }
          else if (fl->ps != v)
            fl->ps= -2;
        }
      }
      dt->n_fields= nf;
      dt->fields= fields;
    }
    k= end;
  }
  return true;
}

/* Read the metadata of c->db (one DocType, or the whole schema when
   doctype is NULL) into c; false on failure (a warning is pushed). */
static bool load(THD *thd, pa_frappe_meta *c, MEM_ROOT *root,
                 const bool *has, const char *doctype)
{
  pa_alloc a= {pa_root_alloc, root};
  MYSQL *mysql;
  MYSQL_RES *res= NULL;
  MYSQL_ROW row;
  meta_row *rows= NULL;
  size_t n= 0;
  bool ok= false;
  char *q;

  if (!(q= meta_query(&a, c->db, has, doctype)) ||
      !(mysql= pa_local_connect(thd)))
    return false;
  if (mysql_real_query(mysql, STRING_WITH_LEN("SET SESSION "
                                              "lock_wait_timeout= 0")) ||
      mysql_real_query(mysql, q, (ulong) strlen(q)) ||
      !(res= mysql_store_result(mysql)))
  {
    push_warning_printf(thd, Sql_condition::WARN_LEVEL_WARN,
                        ER_UNKNOWN_ERROR,
                        "perf_advisor: cannot read the Frappe metadata of "
                        "%s: %s",
                        c->db, mysql_error(mysql));
    goto end;
  }
  if (mysql_num_rows(res) &&
      !(rows= (meta_row *) pa_alloc_array(&a, (size_t) mysql_num_rows(res),
                                          sizeof(meta_row))))
    goto end;
  while ((row= mysql_fetch_row(res)))
  {
    meta_row *r= &rows[n];
    if (!row[0] || !row[1])
      continue; /* a NULL DocType name or parent: belongs to nothing */
    r->kind= atoi(row[0]);
    if (!(r->doctype= pa_strdup(&a, row[1])) ||
        (row[2] && !(r->field= pa_strdup(&a, row[2]))) ||
        (row[3] && !(r->v1= pa_strdup(&a, row[3]))) ||
        (row[4] && !(r->v2= pa_strdup(&a, row[4]))) ||
        (row[5] && !(r->name= pa_strdup(&a, row[5]))))
      goto end;
    if (!row[2])
      r->field= NULL;
    if (!row[3])
      r->v1= NULL;
    if (!row[4])
      r->v2= NULL;
    if (!row[5])
      r->name= NULL;
    n++;
  }
  if (n > 1)
    qsort(rows, n, sizeof(*rows), row_cmp);
  ok= build(c, &a, rows, n);
end:
  if (res)
    mysql_free_result(res);
  mysql_close(mysql);
  return ok;
}

/* The DocType of c named like the table (minus "tab"), or NULL. */
static const pa_frappe_doctype *find(const pa_frappe_meta *c,
                                     const char *name)
{
  for (size_t i= 0; i < c->n_doctypes; i++)
    if (!my_strcasecmp(table_alias_charset, c->doctypes[i].name, name))
      return &c->doctypes[i];
  return NULL;
}

const pa_frappe_doctype *pa_frappe_meta_doctype(THD *thd, pa_frappe_meta *c,
                                                MEM_ROOT *root,
                                                const LEX_CSTRING *db,
                                                const LEX_CSTRING *table)
{
  bool has[MT_COUNT];
  const char *name;

  if (table->length <= 3 || memcmp(table->str, "tab", 3) ||
      db->length > NAME_LEN)
    return NULL;
  name= table->str + 3;
  if (strcmp(c->db, db->str))
  {
    /* a new schema: is it a Frappe site the caller may read? */
    bool site;
    pa_frappe_meta_init(c);
    strmake(c->db, db->str, NAME_LEN);
    if (!(c->site= site_readable(thd, db, has, &site)))
      return NULL;
    strmake(c->doctype, name, NAME_LEN);
    c->failed= !load(thd, c, root, has, name);
  }
  else if (c->site && !c->failed && !c->whole_schema &&
           my_strcasecmp(table_alias_charset, c->doctype, name))
  {
    /* a second table of the schema: read the whole schema once */
    bool site;
    if ((c->failed= !site_readable(thd, db, has, &site)))
      return NULL;
    c->whole_schema= true;
    c->failed= !load(thd, c, root, has, NULL);
  }
  if (!c->site || c->failed)
    return NULL;
  return find(c, name);
}
