/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: UDFs for maintenance scripts.

    perf_index_name(table, columns)              -> index name (guide scheme)
    perf_index_ddl(schema, table, columns [, 'UNIQUE'])
                                                 -> CREATE INDEX ... or NULL
    perf_analyze_table(schema, table)            -> JSON
    perf_recommendations_json([schema])          -> JSON array
    perf_snapshot_now()                          -> indexes saved
    perf_record_applied(recommendation_id, schema, table, index, change,
                        after_id)                -> PERF_INDEX_CHANGES.ID

  The JSON UDFs read the plugin's own INFORMATION_SCHEMA tables (one source
  of truth) through the SQL service.  That connection sees everything, so
  every row is filtered by the *caller's* privileges here, with the rules
  the tables themselves apply: a table the caller may not see and a table
  that does not exist give the same answer (NULL).

  Locking: none; each call works on its own memory (a MEM_ROOT freed at the
  end of the call, and a result buffer owned by the UDF_INIT).
*/
#include "pa_recs.h"
#include "pa_frappe_meta.h"

#include <mysql/service_sql.h>
#include <sql_acl.h>
#include <sql_parse.h>
#include <sql_udf.h>

extern "C" {
#include "pa_sql.h"
#include "pa_text.h"
}

/* A call's working memory and result, owned by the UDF_INIT. */
struct udf_state
{
  MEM_ROOT root;
  pa_alloc alloc;
  String result;
};

static bool state_init(UDF_INIT *initid)
{
  udf_state *st= new (std::nothrow) udf_state();
  if (!st)
    return true;
  init_alloc_root(pa_udf_memory_key(), &st->root, 8192, 0, MYF(0));
  st->alloc.alloc= pa_root_alloc;
  st->alloc.ctx= &st->root;
  initid->ptr= (char *) st;
  return false;
}

static void state_deinit(UDF_INIT *initid)
{
  udf_state *st= (udf_state *) initid->ptr;
  if (!st)
    return;
  free_root(&st->root, MYF(0));
  delete st;
  initid->ptr= NULL;
}

/* Start a call: the previous call's memory goes. */
static udf_state *call_begin(UDF_INIT *initid)
{
  udf_state *st= (udf_state *) initid->ptr;
  free_root(&st->root, MYF(MY_MARK_BLOCKS_FREE));
  st->result.length(0);
  return st;
}

/* Common argument checks: count, and every argument taken as a string. */
static bool check_args(UDF_ARGS *args, uint min, uint max, char *message,
                       const char *usage)
{
  if (args->arg_count < min || args->arg_count > max)
  {
    snprintf(message, MYSQL_ERRMSG_SIZE, "%s", usage);
    return true;
  }
  if (!pa_state_ready())
  {
    snprintf(message, MYSQL_ERRMSG_SIZE,
             "The perf_advisor plugin is not installed (INSTALL SONAME)");
    return true;
  }
  for (uint i= 0; i < args->arg_count; i++)
    args->arg_type[i]= STRING_RESULT;
  return false;
}

/* An argument as a NUL-terminated string on the call's root; NULL: NULL. */
static char *arg_str(udf_state *st, UDF_ARGS *args, uint i)
{
  if (!args->args[i])
    return NULL;
  return strmake_root(&st->root, args->args[i], args->lengths[i]);
}

/* Whether the caller may see schema.table (any privilege on the table or
   one of its columns, as information_schema.TABLES). */
static bool caller_sees_table(THD *thd, const char *db, const char *table)
{
  TABLE_LIST tl;
  tl.reset();
  tl.db.str= db;
  tl.db.length= strlen(db);
  tl.table_name.str= table;
  tl.table_name.length= strlen(table);
  tl.grant.privilege= NO_ACL;
  if (check_access(thd, SELECT_ACL, db, &tl.grant.privilege, NULL, 0, 1))
    return false;
  return !check_grant(thd, SELECT_ACL, &tl, true, 1, true);
}

/* Whether the caller may see every column named in a COLUMNS text
   ("a,b(10),c DESC"), for callers with column privileges only. */
static bool caller_sees_columns(THD *thd, const char *db, const char *table,
                                const char *cols)
{
  TABLE_LIST tl;
  tl.reset();
  tl.db.str= db;
  tl.db.length= strlen(db);
  tl.table_name.str= table;
  tl.table_name.length= strlen(table);
  tl.grant.privilege= NO_ACL;
  if (check_access(thd, SELECT_ACL, db, &tl.grant.privilege, NULL, 0, 1) ||
      check_grant(thd, SELECT_ACL, &tl, true, 1, true))
    return false;
  /* check_grant() passes on a grant of any column; the table-level
     privilege is what it left in grant.privilege (as STATISTICS checks). */
  if (tl.grant.privilege & SELECT_ACL)
    return true;
  for (const char *p= cols; *p;)
  {
    char name[NAME_LEN + 1];
    size_t n= 0;
    while (*p && *p != ',' && *p != '(' && *p != ' ' && n < NAME_LEN)
      name[n++]= *p++;
    name[n]= 0;
    while (*p && *p != ',')
      p++;
    if (*p == ',')
      p++;
    if (n && get_column_grant(thd, &tl.grant, db, table, name) == NO_ACL)
      return false;
  }
  return true;
}

/* Whether the caller may make index changes on schema.table: the INDEX
   or the ALTER privilege, at any level. */
static bool caller_alters_table(THD *thd, const char *db, const char *table)
{
  static const privilege_t wants[]= {INDEX_ACL, ALTER_ACL};
  for (privilege_t want : wants)
  {
    TABLE_LIST tl;
    tl.reset();
    tl.db.str= db;
    tl.db.length= strlen(db);
    tl.table_name.str= table;
    tl.table_name.length= strlen(table);
    tl.grant.privilege= NO_ACL;
    if (!check_access(thd, want, db, &tl.grant.privilege, NULL, 0, 1) &&
        !check_grant(thd, want, &tl, false, 1, true))
      return true;
  }
  return false;
}

static bool caller_has_process(THD *thd)
{
  return !check_global_access(thd, PROCESS_ACL, true);
}

/* Run one query on a local connection; NULL with *error set on failure. */
static MYSQL_RES *local_query(MYSQL **mysql, const char *query)
{
  MYSQL_RES *res;
  if (!(*mysql= pa_local_connect(NULL)))
  {
    my_printf_error(ER_UNKNOWN_ERROR,
                    "perf_advisor: cannot open a local connection", MYF(0));
    return NULL;
  }
  if (mysql_real_query(*mysql, query, (ulong) strlen(query)) ||
      !(res= mysql_store_result(*mysql)))
  {
    my_printf_error(ER_UNKNOWN_ERROR, "perf_advisor: %s", MYF(0),
                    mysql_error(*mysql));
    mysql_close(*mysql);
    *mysql= NULL;
    return NULL;
  }
  return res;
}

/* A JSON object of one result row: lower-case column names as keys,
   numbers as numbers, NULL as null, text as strings. */
static void json_row(pa_buf *b, MYSQL_RES *res, MYSQL_ROW row,
                     unsigned long *lens, const bool *hide)
{
  MYSQL_FIELD *fields= mysql_fetch_fields(res);
  uint n= mysql_num_fields(res);
  pa_json j;
  pa_json_begin(&j, b);
  for (uint i= 0; i < n; i++)
  {
    char key[NAME_LEN + 1];
    size_t k;
    for (k= 0; fields[i].name[k] && k < NAME_LEN; k++)
      key[k]= (char) tolower((unsigned char) fields[i].name[k]);
    key[k]= 0;
    if (hide && hide[i])
      pa_json_null(&j, key);
    else if (!row[i])
      pa_json_null(&j, key);
    else if (IS_NUM(fields[i].type) && lens[i] > 0)
      pa_json_raw(&j, key, row[i]);
    else
      pa_json_str(&j, key, row[i]);
  }
  pa_json_end(&j);
}

/* Index of a column in a result, -1 if absent. */
static int col_pos(MYSQL_RES *res, const char *name)
{
  MYSQL_FIELD *fields= mysql_fetch_fields(res);
  for (uint i= 0; i < mysql_num_fields(res); i++)
    if (!strcmp(fields[i].name, name))
      return (int) i;
  return -1;
}

static bool digest_type(const char *type)
{
  return type && (!strcmp(type, "missing_index") ||
                  !strcmp(type, "query_pattern") ||
                  !strcmp(type, "query_optimization"));
}

/*
  Append the rows of query as a JSON array, keeping those the caller may
  see.  table_rows: rows name a table in TABLE_SCHEMA/TABLE_NAME.
*/
static bool json_array(THD *thd, udf_state *st, pa_buf *b, const char *query,
                       bool process)
{
  MYSQL *mysql;
  MYSQL_RES *res;
  MYSQL_ROW row;
  int ps, pt, ptype, ptext, pcols, porigin, pevidence;
  bool first= true;
  /* the last schema's answer of pa_frappe_meta_caller_reads() */
  char frappe_db[NAME_LEN + 1]= "";
  bool frappe_ok= true;

  if (!(res= local_query(&mysql, query)))
    return false;
  ps= col_pos(res, "TABLE_SCHEMA");
  pt= col_pos(res, "TABLE_NAME");
  ptype= col_pos(res, "TYPE");
  ptext= col_pos(res, "DIGEST_TEXT");
  pcols= col_pos(res, "COLUMNS");
  porigin= col_pos(res, "ORIGIN");
  pevidence= col_pos(res, "EVIDENCE");
  pa_buf_puts(b, "[");
  while ((row= mysql_fetch_row(res)))
  {
    unsigned long *lens= mysql_fetch_lengths(res);
    bool hide[64]= {false};
    const char *db= ps >= 0 ? row[ps] : NULL;
    const char *tb= pt >= 0 ? row[pt] : NULL;
    if (db && tb)
    {
      if (!caller_sees_table(thd, db, tb))
        continue;
      if (pcols >= 0 && row[pcols] &&
          !caller_sees_columns(thd, db, tb, row[pcols]))
        continue;
      /* The local connection read a Frappe site's metadata that the
         caller may not: no ORIGIN, and no drop advice that rests on it
         (its EVIDENCE has the key "origin"), as the tables would show. */
      if ((porigin >= 0 || pevidence >= 0) && strcmp(frappe_db, db))
      {
        LEX_CSTRING d= {db, strlen(db)};
        strmake(frappe_db, db, NAME_LEN);
        frappe_ok= pa_frappe_meta_caller_reads(thd, &d);
      }
      if (!frappe_ok)
      {
        if (pevidence >= 0 && row[pevidence] &&
            strstr(row[pevidence], "\"origin\": "))
          continue;
        if (porigin >= 0 && porigin < 64)
          hide[porigin]= true;
      }
    }
    else if (!process)
      continue;                      /* server-wide: PROCESS */
    if (ptype >= 0 && digest_type(row[ptype]) && !process)
      continue;
    if (ptext >= 0 && ptext < 64 && !process)
      hide[ptext]= true;
    if (!first)
      pa_buf_puts(b, ", ");
    first= false;
    json_row(b, res, row, lens, hide);
  }
  pa_buf_puts(b, "]");
  mysql_free_result(res);
  mysql_close(mysql);
  (void) st;
  return !b->oom;
}

/* WHERE TABLE_SCHEMA = '...' [AND TABLE_NAME = '...'], safely quoted. */
static char *where_table(udf_state *st, const char *db, const char *table)
{
  char *qdb= pa_sql_string(&st->alloc, db);
  char *qtb= table ? pa_sql_string(&st->alloc, table) : NULL;
  if (!qdb || (table && !qtb))
    return NULL;
  return table ? pa_strdupf(&st->alloc,
                            " WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s",
                            qdb, qtb)
               : pa_strdupf(&st->alloc, " WHERE TABLE_SCHEMA = %s", qdb);
}

static char *finish(udf_state *st, pa_buf *b, unsigned long *length,
                    unsigned char *is_null, unsigned char *error)
{
  char *s= pa_buf_str(b);
  if (!s)
  {
    my_error(ER_OUT_OF_RESOURCES, MYF(0));
    *error= 1;
    return NULL;
  }
  st->result.copy(s, b->len, &my_charset_utf8mb4_bin);
  *length= st->result.length();
  *is_null= 0;
  return (char *) st->result.ptr();
}

extern "C" {

/* ---- perf_index_name(table, columns) --------------------------------- */

MYSQL_PLUGIN_EXPORT my_bool perf_index_name_init(UDF_INIT *initid,
                                                 UDF_ARGS *args, char *message)
{
  if (check_args(args, 2, 2, message,
                 "perf_index_name(table, columns) takes 2 arguments"))
    return 1;
  initid->maybe_null= 1;
  initid->max_length= PA_SQL_IDENT_CHARS * 3;
  initid->const_item= args->args[0] && args->args[1];
  return state_init(initid);
}

MYSQL_PLUGIN_EXPORT void perf_index_name_deinit(UDF_INIT *initid)
{
  state_deinit(initid);
}

/* Split "a, b ,c" into trimmed names (backquotes removed); returns count,
   -1 when more than max or a name is empty. */
static int split_columns(udf_state *st, char *spec, const char **out,
                         int max)
{
  int n= 0;
  char *p= spec;
  while (*p)
  {
    char *start, *end;
    while (*p == ' ')
      p++;
    start= p;
    while (*p && *p != ',')
      p++;
    end= p;
    if (*p == ',')
      *p++= 0;
    while (end > start && end[-1] == ' ')
      end--;
    *end= 0;
    if (end - start >= 2 && *start == '`' && end[-1] == '`')
    {
      start++;
      end[-1]= 0;
    }
    if (!*start || n >= max)
      return -1;
    out[n++]= start;
  }
  (void) st;
  return n;
}

MYSQL_PLUGIN_EXPORT char *perf_index_name(UDF_INIT *initid, UDF_ARGS *args,
                                          char *, unsigned long *length,
                                          unsigned char *is_null,
                                          unsigned char *error)
{
  udf_state *st= call_begin(initid);
  const char *cols[PA_INDEX_MAX_COLS];
  char *table= arg_str(st, args, 0), *spec= arg_str(st, args, 1), *name;
  int n;

  if ((*is_null= !table || !spec))
    return NULL;
  if ((n= split_columns(st, spec, cols, PA_INDEX_MAX_COLS)) <= 0)
  {
    my_printf_error(ER_UNKNOWN_ERROR,
                    "perf_index_name: columns must be 1 to %d names "
                    "separated by commas",
                    MYF(0), PA_INDEX_MAX_COLS);
    *error= 1;
    return NULL;
  }
  if (!(name= pa_sql_index_name(&st->alloc, table, cols, n)))
  {
    *error= 1;
    return NULL;
  }
  st->result.copy(name, strlen(name), &my_charset_utf8mb4_bin);
  *length= st->result.length();
  return (char *) st->result.ptr();
}

/* ---- perf_index_ddl(schema, table, columns [, 'UNIQUE']) ------------- */

MYSQL_PLUGIN_EXPORT my_bool perf_index_ddl_init(UDF_INIT *initid,
                                                UDF_ARGS *args, char *message)
{
  if (check_args(args, 3, 4, message,
                 "perf_index_ddl(schema, table, columns [, 'UNIQUE']) "
                 "takes 3 or 4 arguments"))
    return 1;
  if (args->arg_count == 4 && args->args[3] &&
      (args->lengths[3] != 6 ||
       strncasecmp(args->args[3], "UNIQUE", 6)))
  {
    snprintf(message, MYSQL_ERRMSG_SIZE,
             "perf_index_ddl: the 4th argument can only be 'UNIQUE'");
    return 1;
  }
  initid->maybe_null= 1;
  initid->max_length= 65535;
  return state_init(initid);
}

MYSQL_PLUGIN_EXPORT void perf_index_ddl_deinit(UDF_INIT *initid)
{
  state_deinit(initid);
}

/* "name(10) DESC" -> column, prefix length, direction. */
static bool parse_part(char *item, pa_index_col *c)
{
  char *p= item, *name;
  memset(c, 0, sizeof(*c));
  size_t len= strlen(p);
  if (len > 5 && !my_strcasecmp(system_charset_info, p + len - 5, " DESC"))
  {
    c->desc= 1;
    p[len - 5]= 0;
  }
  else if (len > 4 &&
           !my_strcasecmp(system_charset_info, p + len - 4, " ASC"))
    p[len - 4]= 0;
  len= strlen(p);
  while (len && p[len - 1] == ' ')
    p[--len]= 0;
  if (len && p[len - 1] == ')')
  {
    char *open= strrchr(p, '(');
    if (!open)
      return false;
    char *end;
    long v= strtol(open + 1, &end, 10);
    if (end != p + len - 1 || v <= 0 || v > 65535)
      return false;
    c->prefix_len= (uint32_t) v;
    *open= 0;
    len= strlen(p);
    while (len && p[len - 1] == ' ')
      p[--len]= 0;
  }
  name= p;
  if (len >= 2 && name[0] == '`' && name[len - 1] == '`')
  {
    name[len - 1]= 0;
    name++;
  }
  if (!*name || strlen(name) >= sizeof(c->name))
    return false;
  strcpy(c->name, name);
  return true;
}

MYSQL_PLUGIN_EXPORT char *perf_index_ddl(UDF_INIT *initid, UDF_ARGS *args,
                                         char *, unsigned long *length,
                                         unsigned char *is_null,
                                         unsigned char *error)
{
  THD *thd= current_thd;
  udf_state *st= call_begin(initid);
  char *db= arg_str(st, args, 0), *table= arg_str(st, args, 1),
       *spec= arg_str(st, args, 2), *where, *query, *ddl, *name;
  const char *items[PA_INDEX_MAX_COLS], *names[PA_INDEX_MAX_COLS];
  /* Key parts are 265 bytes each: on the call's memory, not the stack. */
  pa_index_col *cols= (pa_index_col *) alloc_root(
      &st->root, PA_INDEX_MAX_COLS * sizeof(pa_index_col));
  bool unique= args->arg_count == 4 && args->args[3];
  MYSQL *mysql;
  MYSQL_RES *res;
  MYSQL_ROW row;
  int n;

  *is_null= 1;
  if (!db || !table || !spec)
    return NULL;
  if (!cols)
  {
    my_error(ER_OUT_OF_RESOURCES, MYF(0));
    *error= 1;
    return NULL;
  }
  if (unique && (args->lengths[3] != 6 ||
                 strncasecmp(args->args[3], "UNIQUE",
                                6)))
  {
    my_printf_error(ER_UNKNOWN_ERROR,
                    "perf_index_ddl: the 4th argument can only be 'UNIQUE'",
                    MYF(0));
    *error= 1;
    return NULL;
  }
  /* Missing and forbidden look the same: NULL. */
  if (!caller_sees_table(thd, db, table))
    return NULL;
  if ((n= split_columns(st, spec, items, PA_INDEX_MAX_COLS)) <= 0)
  {
    my_printf_error(ER_UNKNOWN_ERROR,
                    "perf_index_ddl: columns must be 1 to %d key parts "
                    "separated by commas",
                    MYF(0), PA_INDEX_MAX_COLS);
    *error= 1;
    return NULL;
  }
  for (int i= 0; i < n; i++)
    if (!parse_part((char *) items[i], &cols[i]))
    {
      my_printf_error(ER_UNKNOWN_ERROR,
                      "perf_index_ddl: cannot read key part '%.64s'", MYF(0),
                      items[i]);
      *error= 1;
      return NULL;
    }

  /* The table's columns, as it spells them. */
  if (!(where= where_table(st, db, table)) ||
      !(query= pa_strdupf(&st->alloc,
                          "SELECT COLUMN_NAME FROM information_schema.COLUMNS"
                          "%s",
                          where)) ||
      !(res= local_query(&mysql, query)))
  {
    *error= 1;
    return NULL;
  }
  bool found_table= false;
  bool found[PA_INDEX_MAX_COLS]= {false};
  while ((row= mysql_fetch_row(res)))
  {
    found_table= true;
    for (int i= 0; i < n; i++)
      if (row[0] && !my_strcasecmp(system_charset_info, row[0], cols[i].name))
      {
        strmake(cols[i].name, row[0], sizeof(cols[i].name) - 1);
        found[i]= true;
      }
  }
  mysql_free_result(res);
  mysql_close(mysql);
  if (!found_table)
    return NULL;
  for (int i= 0; i < n; i++)
  {
    if (!found[i] || !caller_sees_columns(thd, db, table, cols[i].name))
    {
      my_printf_error(ER_UNKNOWN_ERROR,
                      "perf_index_ddl: column '%.64s' does not exist in "
                      "`%.64s`.`%.64s`",
                      MYF(0), cols[i].name, db, table);
      *error= 1;
      return NULL;
    }
    names[i]= cols[i].name;
  }

  /* An existing B-tree index that starts with these columns covers it. */
  if (!unique &&
      (query= pa_strdupf(&st->alloc,
                         "SELECT INDEX_NAME, COLUMNS FROM information_schema."
                         "PERF_INDEX_USAGE%s AND INDEX_TYPE = 'BTREE' AND "
                         "IS_IGNORED = 'NO'",
                         where)) &&
      (res= local_query(&mysql, query)))
  {
    const size_t want_size= 16384;
    char *want= (char *) alloc_root(&st->root, want_size);
    pa_index_def *d= (pa_index_def *) alloc_root(&st->root, sizeof(*d));
    if (!want || !d)
    {
      mysql_free_result(res);
      mysql_close(mysql);
      my_error(ER_OUT_OF_RESOURCES, MYF(0));
      *error= 1;
      return NULL;
    }
    memset((void *) d, 0, sizeof(*d));
    d->n_cols= n;
    memcpy(d->cols, cols, n * sizeof(cols[0]));
    pa_index_columns_text(d, want, want_size);
    size_t wl= strlen(want);
    const char *covering= NULL;
    while (!covering && (row= mysql_fetch_row(res)))
      if (row[0] && row[1] &&
          !strncasecmp(row[1], want, wl) &&
          (row[1][wl] == 0 || row[1][wl] == ','))
        covering= strdup_root(&st->root, row[0]);
    mysql_free_result(res);
    mysql_close(mysql);
    if (covering)
    {
      push_warning_printf(thd, Sql_condition::WARN_LEVEL_NOTE,
                          ER_UNKNOWN_ERROR,
                          "perf_index_ddl: index `%.64s` already starts with "
                          "(%.256s)",
                          covering, want);
      return NULL;
    }
  }
  else if (!unique)
    thd->clear_error();

  if (!(name= pa_sql_index_name(&st->alloc, table, names, n)) ||
      !(ddl= pa_sql_create_index(&st->alloc, db, table, name, cols, n,
                                 unique)))
  {
    *error= 1;
    return NULL;
  }
  st->result.copy(ddl, strlen(ddl), &my_charset_utf8mb4_bin);
  *length= st->result.length();
  *is_null= 0;
  return (char *) st->result.ptr();
}

/* The JSON UDFs: a document of up to 16 MiB, or NULL. */
static my_bool json_udf_init(UDF_INIT *initid, UDF_ARGS *args, char *message,
                             uint min, uint max, const char *usage)
{
  if (check_args(args, min, max, message, usage))
    return 1;
  initid->maybe_null= 1;
  initid->max_length= 16 * 1024 * 1024;
  return state_init(initid);
}

/* ---- perf_analyze_table(schema, table) -------------------------------- */

MYSQL_PLUGIN_EXPORT my_bool perf_analyze_table_init(UDF_INIT *initid,
                                                    UDF_ARGS *args,
                                                    char *message)
{
  return json_udf_init(initid, args, message, 2, 2,
                       "perf_analyze_table(schema, table) takes 2 arguments");
}

MYSQL_PLUGIN_EXPORT void perf_analyze_table_deinit(UDF_INIT *initid)
{
  state_deinit(initid);
}

MYSQL_PLUGIN_EXPORT char *perf_analyze_table(UDF_INIT *initid,
                                             UDF_ARGS *args, char *,
                                             unsigned long *length,
                                             unsigned char *is_null,
                                             unsigned char *error)
{
  THD *thd= current_thd;
  udf_state *st= call_begin(initid);
  char *db= arg_str(st, args, 0), *table= arg_str(st, args, 1), *where;
  bool process;
  pa_buf b, stats;

  *is_null= 1;
  if (!db || !table || !caller_sees_table(thd, db, table))
    return NULL;
  process= caller_has_process(thd);
  if (!(where= where_table(st, db, table)))
  {
    *error= 1;
    return NULL;
  }
  /* table_stats: the one PERF_TABLE_ANALYSIS row; none: no such table */
  pa_buf_init(&stats, &st->alloc);
  if (!json_array(thd, st, &stats,
                  pa_strdupf(&st->alloc,
                             "SELECT * FROM information_schema."
                             "PERF_TABLE_ANALYSIS%s",
                             where),
                  process))
  {
    *error= 1;
    return NULL;
  }
  char *s= pa_buf_str(&stats);
  if (!s || !strcmp(s, "[]"))
    return NULL;
  /* strip the array brackets: one object */
  s[stats.len - 1]= 0;
  s++;

  pa_buf_init(&b, &st->alloc);
  pa_buf_puts(&b, "{\"schema\": ");
  pa_buf_json_str(&b, db);
  pa_buf_puts(&b, ", \"table\": ");
  pa_buf_json_str(&b, table);
  pa_buf_puts(&b, ", \"table_stats\": ");
  pa_buf_puts(&b, s);
  pa_buf_puts(&b, ", \"slow_queries\": ");
  if (!json_array(thd, st, &b,
                  pa_strdupf(&st->alloc,
                             "SELECT DIGEST, DIGEST_TEXT, SCHEMA_NAME,"
                             " EXEC_COUNT, AVG_MS, TOTAL_MS, ROWS_EXAMINED,"
                             " ROWS_SENT, NO_INDEX_USED, PROPOSED_INDEX,"
                             " MATCHING_INDEX FROM information_schema."
                             "PERF_QUERY_ANALYSIS%s AND IS_SLOW = 'YES'"
                             " ORDER BY TOTAL_MS DESC",
                             where),
                  process))
    goto err;
  pa_buf_puts(&b, ", \"index_analysis\": ");
  if (!json_array(thd, st, &b,
                  pa_strdupf(&st->alloc,
                             "SELECT * FROM information_schema."
                             "PERF_INDEX_USAGE%s ORDER BY INDEX_NAME",
                             where),
                  process))
    goto err;
  pa_buf_puts(&b, ", \"recommendations\": ");
  if (!json_array(thd, st, &b,
                  pa_strdupf(&st->alloc,
                             "SELECT * FROM information_schema."
                             "PERF_RECOMMENDATIONS%s",
                             where),
                  process))
    goto err;
  pa_buf_puts(&b, "}");
  return finish(st, &b, length, is_null, error);
err:
  *error= 1;
  return NULL;
}

/* ---- perf_recommendations_json([schema]) ------------------------------ */

MYSQL_PLUGIN_EXPORT my_bool perf_recommendations_json_init(UDF_INIT *initid,
                                                           UDF_ARGS *args,
                                                           char *message)
{
  return json_udf_init(initid, args, message, 0, 1,
                       "perf_recommendations_json([schema]) takes 0 or 1 "
                       "argument");
}

MYSQL_PLUGIN_EXPORT void perf_recommendations_json_deinit(UDF_INIT *initid)
{
  state_deinit(initid);
}

MYSQL_PLUGIN_EXPORT char *perf_recommendations_json(UDF_INIT *initid,
                                                    UDF_ARGS *args, char *,
                                                    unsigned long *length,
                                                    unsigned char *is_null,
                                                    unsigned char *error)
{
  THD *thd= current_thd;
  udf_state *st= call_begin(initid);
  char *db= args->arg_count ? arg_str(st, args, 0) : NULL, *where= NULL;
  pa_buf b;

  *is_null= 1;
  if (args->arg_count && !db)
    return NULL;
  if (db && !(where= where_table(st, db, NULL)))
    goto err;
  pa_buf_init(&b, &st->alloc);
  if (!json_array(thd, st, &b,
                  pa_strdupf(&st->alloc,
                             "SELECT * FROM information_schema."
                             "PERF_RECOMMENDATIONS%s",
                             where ? where : ""),
                  caller_has_process(thd)))
    goto err;
  return finish(st, &b, length, is_null, error);
err:
  *error= 1;
  return NULL;
}

/* ---- perf_snapshot_now() ---------------------------------------------- */

MYSQL_PLUGIN_EXPORT my_bool perf_snapshot_now_init(UDF_INIT *initid,
                                                   UDF_ARGS *args,
                                                   char *message)
{
  if (check_args(args, 0, 0, message,
                 "perf_snapshot_now() takes no arguments"))
    return 1;
  initid->maybe_null= 1;
  return 0;
}

MYSQL_PLUGIN_EXPORT long long perf_snapshot_now(UDF_INIT *, UDF_ARGS *,
                                                unsigned char *is_null,
                                                unsigned char *error)
{
  THD *thd= current_thd;
  long n;
  if (!caller_has_process(thd))
  {
    my_error(ER_SPECIFIC_ACCESS_DENIED_ERROR, MYF(0), "PROCESS");
    *error= 1;
    return 0;
  }
  if ((n= pa_state_snapshot_now(thd)) < 0)
  {
    my_printf_error(ER_UNKNOWN_ERROR,
                    "perf_snapshot_now: cannot write the usage store (see "
                    "the error log)",
                    MYF(0));
    *error= 1;
    return 0;
  }
  *is_null= 0;
  return n;
}

/* ---- perf_record_applied(id, schema, table, index, change, after_id) -- */

MYSQL_PLUGIN_EXPORT my_bool perf_record_applied_init(UDF_INIT *initid,
                                                     UDF_ARGS *args,
                                                     char *message)
{
  if (check_args(args, 6, 6, message,
                 "perf_record_applied() takes 6 arguments"))
    return 1;
  initid->maybe_null= 1;
  initid->const_item= 0;
  return state_init(initid);
}

MYSQL_PLUGIN_EXPORT void perf_record_applied_deinit(UDF_INIT *initid)
{
  state_deinit(initid);
}

/* 16 lowercase hexadecimal digits: a PERF_RECOMMENDATIONS.ID. */
static bool is_rec_id(const char *s)
{
  size_t i;
  for (i= 0; s[i]; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return false;
  return i == 16;
}

MYSQL_PLUGIN_EXPORT long long perf_record_applied(UDF_INIT *initid,
                                                  UDF_ARGS *args,
                                                  unsigned char *is_null,
                                                  unsigned char *error)
{
  THD *thd= current_thd;
  udf_state *st= call_begin(initid);
  char *rec= arg_str(st, args, 0), *db= arg_str(st, args, 1),
       *table= arg_str(st, args, 2), *index= arg_str(st, args, 3),
       *change= arg_str(st, args, 4), *after= arg_str(st, args, 5), *end;
  char *where, *query;
  int kind= 0;
  unsigned long long after_id;
  MYSQL *mysql;
  MYSQL_RES *res;
  uint64_t id;

  *is_null= 1;
  if (!rec || !db || !table || !index || !change || !after)
    return 0;
  for (int k= 1; k <= PA_CHANGE_KIND_MAX && !kind; k++)
    if (!strcmp(change, pa_change_kind_name((enum pa_change_kind) k)))
      kind= k;
  errno= 0;
  after_id= strtoull(after, &end, 10);
  if (!is_rec_id(rec) || !kind || !*after || *end || *after == '-' ||
      errno)
  {
    my_printf_error(ER_WRONG_ARGUMENTS,
                    "perf_record_applied: %s",
                    MYF(0),
                    !is_rec_id(rec)
                        ? "recommendation_id is not 16 hex digits"
                    : !kind ? "change is not created, dropped, ignored or "
                              "not_ignored"
                            : "after_id is not an unsigned integer");
    *error= 1;
    return 0;
  }
  /* A table the caller may not alter and one that does not exist give
     the same answer. */
  if (!caller_alters_table(thd, db, table))
    return 0;
  /* Look at the table, as any PERF_ statement does: a change made since
     the last look is logged now. */
  if (!(where= where_table(st, db, table)) ||
      !(query= pa_strdupf(&st->alloc,
                          "SELECT COUNT(*) FROM information_schema."
                          "PERF_INDEX_CHANGES%s",
                          where)) ||
      !(res= local_query(&mysql, query)))
  {
    *error= 1;
    return 0;
  }
  mysql_free_result(res);
  mysql_close(mysql);
  if (!(id= pa_state_record_applied(db, table, index,
                                    (enum pa_change_kind) kind,
                                    (uint64_t) after_id, rec)))
    return 0;
  *is_null= 0;
  return (long long) id;
}

} /* extern "C" */
