/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: the column names of the tables statements name.  See
  pa_catalog.h.
*/
#include "pa_catalog.h"
#include "pa_collect.h"

extern "C" {
#include "pa_sql.h"
#include "pa_text.h"
}

struct pa_catalog_table
{
  struct pa_catalog_table *next;
  char *schema, *name;
  bool known;       /* false: the read failed, or found no such table */
  size_t n_cols;
  char **cols;
};

void pa_catalog_init(pa_catalog *cat, MEM_ROOT *root)
{
  cat->root= root;
  cat->first= NULL;
  cat->reads= 0;
}

/* Read schema.name's columns into t; false when they stay unknown. */
static bool read_columns(THD *thd, pa_colstats_conn *conn,
                         const pa_alloc *a, pa_catalog_table *t)
{
  MYSQL *mysql;
  MYSQL_RES *res;
  MYSQL_ROW row;
  char *q;
  bool ok= false;

  if (thd->killed || !(mysql= pa_colstats_connect(thd, conn)))
    return false;
  if (!(q= pa_strdupf(a,
                      "SELECT COLUMN_NAME FROM information_schema.COLUMNS "
                      "WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s",
                      pa_sql_string(a, t->schema),
                      pa_sql_string(a, t->name))) ||
      mysql_real_query(mysql, q, (ulong) strlen(q)) ||
      !(res= mysql_store_result(mysql)))
    return false;
  size_t n= (size_t) mysql_num_rows(res);
  if (n && (t->cols= (char **) pa_alloc_array(a, n, sizeof(char *))))
  {
    ok= true;
    while (ok && (row= mysql_fetch_row(res)))
      if (row[0])
        ok= (t->cols[t->n_cols++]= pa_strdup(a, row[0])) != NULL;
  }
  mysql_free_result(res);
  return ok && t->n_cols > 0;
}

struct resolve_ctx
{
  THD *thd;
  pa_catalog *cat;
  pa_colstats_conn *conn;
  const char *default_schema;
  const pa_digest_analysis *an;
  bool oom;
};

/* The catalog's entry of the statement's table k, read on first use;
   NULL on out of memory. */
static pa_catalog_table *entry(resolve_ctx *r, int k)
{
  const pa_digest_table *dt= &r->an->tables[k];
  const char *schema= dt->schema[0] ? dt->schema : r->default_schema;
  pa_alloc a= {pa_root_alloc, r->cat->root};
  pa_catalog_table *t;

  if (!schema)
    schema= "";
  for (t= r->cat->first; t; t= t->next)
    if (!strcmp(t->schema, schema) && !strcmp(t->name, dt->name))
      return t;
  if (!(t= (pa_catalog_table *) pa_alloc_array(&a, 1, sizeof(*t))) ||
      !(t->schema= pa_strdup(&a, schema)) ||
      !(t->name= pa_strdup(&a, dt->name)))
    return NULL;
  t->n_cols= 0;
  t->cols= NULL;
  t->known= schema[0] && read_columns(r->thd, r->conn, &a, t);
  r->cat->reads++;
  t->next= r->cat->first;
  r->cat->first= t;
  return t;
}

static int has_column(void *ctx, int k, const char *name)
{
  resolve_ctx *r= (resolve_ctx *) ctx;
  pa_catalog_table *t= entry(r, k);
  if (!t)
  {
    r->oom= true;
    return -1;
  }
  if (!t->known)
    return -1;
  for (size_t i= 0; i < t->n_cols; i++)
    if (!my_strcasecmp(system_charset_info, t->cols[i], name))
      return 1;
  return 0;
}

int pa_catalog_resolve(THD *thd, pa_catalog *cat, pa_colstats_conn *conn,
                       const char *default_schema, pa_digest_analysis *an)
{
  resolve_ctx r= {thd, cat, conn, default_schema, an, false};
  int n= pa_digest_resolve_unqualified(an, has_column, &r);
  return n > 0 ? n : 0;
}
