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

  What the UDFs say about a table comes from INFORMATION_SCHEMA tables
  filled in-process, on the caller's THD, by the tables' own fill
  functions (is_select()): the PERF_ tables for the JSON, COLUMNS and
  STATISTICS for the DDL.  The rows, and the privilege checks that choose
  them, are those SELECT * FROM information_schema.<table> WHERE
  TABLE_SCHEMA = ... [AND TABLE_NAME = ...] gives the same caller: the
  UDFs hold no privilege rule of their own, and a table the caller may not
  see answers as a missing one does (NULL).

  Locking: none of its own (the fills lock what they read); each call
  works on its own memory (a MEM_ROOT freed by the next call, and a result
  buffer owned by the UDF_INIT).
*/
#include "pa_is.h"

#include <sql_acl.h>
#include <sql_class.h>
#include <sql_parse.h>
#include <sql_select.h>
#include <sql_show.h>
#include <sql_udf.h>

extern "C" {
#include "pa_sql.h"
#include "pa_text.h"
}

/* Exported by the server (sql_show.cc) but declared in no header. */
uint get_table_open_method(TABLE_LIST *, ST_SCHEMA_TABLE *,
                           enum enum_schema_tables);

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

/*********** INFORMATION_SCHEMA tables, filled for the caller ***********/

/* The column name of I_S table t (its fields, in column order), or NULL. */
static Field *field_of(TABLE *t, const char *name)
{
  for (Field **f= t->field; *f; f++)
    if (!my_strcasecmp(system_charset_info, (*f)->field_name.str, name))
      return *f;
  return NULL;
}

/* f's value as text on root, NUL-terminated; NULL for SQL NULL (and for
   an allocation failure, which the caller's next allocation reports). */
static const char *field_text(MEM_ROOT *root, Field *f)
{
  String buf;
  String *v;
  if (!f || f->is_null() || !(v= f->val_str(&buf)))
    return NULL;
  return strmake_root(root, v->ptr(), v->length());
}

/* Whether f holds s as WHERE f = s compares them: in f's collation; NULL
   never matches. */
static bool field_equals(Field *f, const char *s)
{
  String buf;
  String *v;
  CHARSET_INFO *cs;
  if (!f || f->is_null() || !(v= f->val_str(&buf)))
    return false;
  cs= f->charset();
  return !cs->coll->strnncollsp(cs, (const uchar *) v->ptr(), v->length(),
                                (const uchar *) s, strlen(s));
}

/*
  A lookup value of a read plan: name as get_lookup_field_values() takes
  it from WHERE TABLE_SCHEMA = 'name' (lower case under
  lower_case_table_names=1); none for NULL.  False when out of memory.
*/
static bool lookup_value(MEM_ROOT *root, const char *name, LEX_CSTRING *out)
{
  char *s;
  out->str= NULL;
  out->length= 0;
  if (!name)
    return true;
  if (!(s= strdup_root(root, name)))
    return false;
  out->length= lower_case_table_names == 1 && *s
                   ? my_casedn_str(system_charset_info, s)
                   : strlen(s);
  out->str= s;
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

/*
  What get_schema_tables_result() puts around the fill of an I_S table:
  an error becomes the statement's error without being listed, since the
  fills clear the errors they turn into warnings or hide (a table dropped
  meanwhile); the one left at the end is listed then (is_select()).
*/
class fill_error_handler : public Internal_error_handler
{
public:
  bool handle_condition(THD *thd, uint sql_errno, const char *sqlstate,
                        Sql_condition::enum_warning_level *level,
                        const char *msg, Sql_condition **cond_hdl) override
  {
    if (sql_errno == ER_TRG_NO_DEFINER ||
        sql_errno == ER_TRG_NO_CREATION_CTX || sql_errno == ER_PARSE_ERROR)
      return true;
    if (*level != Sql_condition::WARN_LEVEL_ERROR)
      return false;
    if (!thd->get_stmt_da()->is_error())
      thd->get_stmt_da()->set_error_status(sql_errno, msg, sqlstate,
                                           *cond_hdl);
    return true;
  }
};

/* Called with each row an is_select() keeps, in t->record[0]; true stops
   the read with an error set. */
typedef bool (*row_sink)(void *arg, TABLE *t);

/* A sink for a fill that is run for what it does (a look at a table),
   not for its rows. */
static bool ignore_row(void *, TABLE *) { return false; }

/* The fill of a table the server walks: it reads its plan from tl. */
static int walk_tables(THD *thd, TABLE_LIST *tl)
{
  return get_all_tables(thd, tl, NULL);
}

/*
  The rows of information_schema.<name> that
    SELECT * FROM information_schema.<name>
    WHERE TABLE_SCHEMA = db [AND TABLE_NAME = table]
  gives the caller (db NULL: no WHERE clause), handed to sink in the
  order the fill stored them.  The table is made and filled as a query
  would fill it: create_schema_table(), a read plan whose lookup values
  are db and table (what the optimizer takes from that WHERE clause),
  then fill, under the caller's security context; the WHERE clause itself
  is applied to the rows read back.  fill: walk_tables for a table whose
  fill_table is get_all_tables(), else one that, like it, takes its plan
  from the TABLE_LIST (pa_recs_fill_planned()).

  A UDF may run while a PERF_ table is being filled (in a condition the
  optimizer pushed down to its walk): the walk's per-table privileges
  (thd->col_access) and the statement's context (pa_stmt_nest_begin())
  are put back as they were.

  Returns true with an error set on failure.
*/
static bool is_select(THD *thd, udf_state *st, const char *name,
                      int (*fill)(THD *, TABLE_LIST *), const char *db,
                      const char *table, row_sink sink, void *arg)
{
  LEX_CSTRING is_name= {name, strlen(name)};
  ST_SCHEMA_TABLE *schema= find_schema_table(thd, &is_name);
  MEM_ROOT *stmt_root= thd->mem_root;
  privilege_t col_access= thd->col_access;
  pa_stmt_nest outer;
  fill_error_handler handler;
  TABLE_LIST *tl;
  IS_table_read_plan *plan;
  TMP_TABLE_PARAM *param;
  TABLE *t= NULL;
  Field *f_db, *f_table;
  bool failed= true;
  int err;

  if (!schema || !schema->fill_table)
  {
    my_printf_error(ER_UNKNOWN_ERROR,
                    "perf_advisor: information_schema.%s is not installed",
                    MYF(0), name);
    return true;
  }
  /* What the table and the walk allocate besides the table's own root
     lasts as long as this call, not as long as the statement. */
  thd->mem_root= &st->root;
  if (!(tl= (TABLE_LIST *) alloc_root(&st->root, sizeof(TABLE_LIST))) ||
      !(plan= new (&st->root) IS_table_read_plan()))
    goto oom;
  tl->reset();
  tl->db= INFORMATION_SCHEMA_NAME;
  tl->table_name= tl->alias= is_name;
  tl->schema_table= schema;
  tl->select_lex= thd->lex->first_select_lex();
  tl->is_table_read_plan= plan;
  memset((void *) &plan->lookup_field_vals, 0,
         sizeof(plan->lookup_field_vals));
  plan->partial_cond= NULL;
  if (!lookup_value(&st->root, db, &plan->lookup_field_vals.db_value) ||
      !lookup_value(&st->root, db ? table : NULL,
                    &plan->lookup_field_vals.table_value))
    goto oom;
  /* an empty name is no table (as optimize_for_get_all_tables() says) */
  plan->no_rows= (db && !*db) || (db && table && !*table);

  if (!(t= create_schema_table(thd, tl)))
  {
    if (!thd->is_error())
      my_error(ER_OUT_OF_RESOURCES, MYF(0));
    goto end;
  }
  t->s->tmp_table= SYSTEM_TMP_TABLE;
  t->grant.privilege= SELECT_ACL;
  t->pos_in_table_list= tl;
  tl->table= t;
  bitmap_set_all(t->read_set);
  tl->table_open_method=
      get_table_open_method(tl, schema, get_schema_table_idx(schema));
  param= tl->schema_table_param;
  if (!t->is_created() &&
      instantiate_tmp_table(t, param->keyinfo, param->start_recinfo,
                            &param->recinfo,
                            tl->select_lex->options |
                                thd->variables.option_bits))
    goto end;

  pa_stmt_nest_begin(thd, &outer);
  thd->push_internal_handler(&handler);
  {
    Check_level_instant_set check_level(thd, CHECK_FIELD_IGNORE);
    err= fill(thd, tl);
  }
  thd->pop_internal_handler();
  pa_stmt_nest_end(thd, &outer);
  thd->col_access= col_access;
  if (thd->is_error())
  {
    Diagnostics_area *da= thd->get_stmt_da();
    da->push_warning(thd, da->sql_errno(), da->get_sqlstate(),
                     Sql_condition::WARN_LEVEL_ERROR, da->message());
    goto end;
  }
  if (err)
  {
    my_error(ER_UNKNOWN_ERROR, MYF(0));
    goto end;
  }

  f_db= db ? t->field[schema->idx_field1] : NULL;
  f_table= db && table ? t->field[schema->idx_field2] : NULL;
  if ((err= t->file->ha_rnd_init(true)))
  {
    t->file->print_error(err, MYF(0));
    goto end;
  }
  while (!(err= t->file->ha_rnd_next(t->record[0])))
  {
    if ((f_db && !field_equals(f_db, db)) ||
        (f_table && !field_equals(f_table, table)))
      continue;
    if (sink(arg, t))
      break;
  }
  t->file->ha_rnd_end();
  if (!err)
    goto end;                        /* the sink stopped, its error set */
  if (err != HA_ERR_END_OF_FILE)
  {
    t->file->print_error(err, MYF(0));
    goto end;
  }
  failed= false;
end:
  if (t)
    free_tmp_table(thd, t);
  thd->mem_root= stmt_root;
  return failed;
oom:
  my_error(ER_OUT_OF_RESOURCES, MYF(0));
  goto end;
}

/*
  A JSON object of the row in t->record[0]: lower-case column names as
  keys, numbers as numbers, NULL as null, the rest as strings.  only: the
  columns shown (NULL-terminated), NULL: all.
*/
static void json_row(MEM_ROOT *root, pa_buf *b, TABLE *t,
                     const char *const *only)
{
  pa_json j;
  pa_json_begin(&j, b);
  for (Field **fp= t->field; *fp; fp++)
  {
    Field *f= *fp;
    char key[NAME_LEN + 1];
    size_t k;
    const char *text;
    bool shown= !only;
    for (const char *const *o= only; o && *o && !shown; o++)
      shown= !strcmp(*o, f->field_name.str);
    if (!shown)
      continue;
    for (k= 0; k < NAME_LEN && f->field_name.str[k]; k++)
      key[k]= (char) pa_ascii_lower((unsigned char) f->field_name.str[k]);
    key[k]= 0;
    if (!(text= field_text(root, f)))
      pa_json_null(&j, key);
    else if (f->cmp_type() == INT_RESULT || f->cmp_type() == REAL_RESULT ||
             f->cmp_type() == DECIMAL_RESULT)
      pa_json_raw(&j, key, text);
    else
      pa_json_str(&j, key, text);
  }
  pa_json_end(&j);
}

/* One row kept by a json_rows, rendered, with its sort key. */
struct json_item
{
  const char *json;
  double num;             /* the order column, numeric */
  const char *text;       /* the order column, text */
  size_t seq;             /* fill order: ties keep it */
};

/* A row_sink: the rows of an I_S table as a JSON array, optionally
   filtered on a column and ordered by one. */
struct json_rows
{
  udf_state *st;
  const char *const *only;     /* the columns shown; NULL: all */
  const char *where_col;       /* keep the rows where this column */
  const char *where_value;     /* equals this; NULL: all rows */
  const char *order_col;       /* ORDER BY this; NULL: fill order */
  bool desc;
  bool numeric;                /* the order column is a number */
  json_item *items;
  size_t n, cap;
};

static void json_rows_init(json_rows *r, udf_state *st)
{
  memset((void *) r, 0, sizeof(*r));
  r->st= st;
}

static bool json_rows_add(void *arg, TABLE *t)
{
  json_rows *r= (json_rows *) arg;
  MEM_ROOT *root= &r->st->root;
  json_item *it;
  pa_buf b;

  if (r->where_col && !field_equals(field_of(t, r->where_col), r->where_value))
    return false;
  if (r->n == r->cap)
  {
    size_t cap= r->cap ? 2 * r->cap : 16;
    json_item *items= (json_item *) alloc_root(root, cap * sizeof(*items));
    if (!items)
      goto oom;
    if (r->n)
      memcpy(items, r->items, r->n * sizeof(*items));
    r->items= items;
    r->cap= cap;
  }
  it= &r->items[r->n];
  pa_buf_init(&b, &r->st->alloc);
  json_row(root, &b, t, r->only);
  if (!(it->json= pa_buf_str(&b)))
    goto oom;
  it->num= 0;
  it->text= "";
  if (r->order_col)
  {
    Field *f= field_of(t, r->order_col);
    const char *text= f ? field_text(root, f) : NULL;
    r->numeric= f && f->cmp_type() != STRING_RESULT;
    if (r->numeric && !f->is_null())
      it->num= f->val_real();
    it->text= text ? text : "";
  }
  it->seq= r->n++;
  return false;
oom:
  my_error(ER_OUT_OF_RESOURCES, MYF(0));
  return true;
}

static int json_item_cmp(void *arg, const void *a_, const void *b_)
{
  const json_rows *r= (const json_rows *) arg;
  const json_item *a= (const json_item *) a_, *b= (const json_item *) b_;
  int d;
  if (r->numeric)
    d= a->num < b->num ? -1 : a->num > b->num;
  else
    d= system_charset_info->coll->strnncollsp(
        system_charset_info, (const uchar *) a->text, strlen(a->text),
        (const uchar *) b->text, strlen(b->text));
  if (r->desc)
    d= -d;
  return d ? d : a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Append the rows kept, in their order, as a JSON array. */
static void json_rows_write(json_rows *r, pa_buf *b)
{
  if (r->order_col && r->n > 1)
    my_qsort2(r->items, r->n, sizeof(*r->items), json_item_cmp, r);
  pa_buf_puts(b, "[");
  for (size_t i= 0; i < r->n; i++)
  {
    if (i)
      pa_buf_puts(b, ", ");
    pa_buf_puts(b, r->items[i].json);
  }
  pa_buf_puts(b, "]");
}

/* The call's result: s (len bytes) copied to st->result, not NULL. */
static char *result(udf_state *st, const char *s, size_t len,
                    unsigned long *length, unsigned char *is_null)
{
  st->result.copy(s, len, &my_charset_utf8mb4_bin);
  *length= st->result.length();
  *is_null= 0;
  return (char *) st->result.ptr();
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
  return result(st, s, b->len, length, is_null);
}

/*
  Split spec at its commas into at most max trimmed items; returns the
  count, -1 when there are more or one is empty.  An item that starts
  with a backquote is quoted as in SQL up to the matching one (`` inside
  is a backquote): commas in it are part of the name.  Elsewhere a
  backquote is an ordinary character.
*/
static int split_columns(char *spec, const char **out, int max)
{
  int n= 0;
  char *p= spec;
  while (*p)
  {
    char *start, *end;
    while (*p == ' ')
      p++;
    start= p;
    if (*p == '`')
    {
      char *q= p + 1;
      while (*q && !(*q == '`' && q[1] != '`'))
        q+= *q == '`' ? 2 : 1;
      if (*q)
        p= q + 1;                    /* past the closing backquote */
    }
    while (*p && *p != ',')
      p++;
    end= p;
    if (*p == ',')
      *p++= 0;
    while (end > start && end[-1] == ' ')
      end--;
    *end= 0;
    if (!*start || n >= max)
      return -1;
    out[n++]= start;
  }
  return n;
}

/*
  split_columns() of a UDF's columns argument into at most
  PA_INDEX_MAX_COLS items; -1 with the error set, naming udf and what an
  item is, when they are too many or one is empty.
*/
static int split_arg(const char *udf, const char *what, char *spec,
                     const char **out)
{
  int n= split_columns(spec, out, PA_INDEX_MAX_COLS);
  if (n <= 0)
    my_printf_error(ER_UNKNOWN_ERROR,
                    "%s: columns must be 1 to %d %s separated by commas",
                    MYF(0), udf, PA_INDEX_MAX_COLS, what);
  return n;
}

/* A name quoted in backquotes ("`a``b`") unquoted in place (a`b); any
   other name is taken as it is. */
static char *unquote(char *name)
{
  size_t len= strlen(name);
  char *w;
  if (len < 2 || name[0] != '`' || name[len - 1] != '`')
    return name;
  name[len - 1]= 0;
  w= name;
  for (const char *r= name + 1; *r; r++)
  {
    *w++= *r;
    if (*r == '`' && r[1] == '`')
      r++;
  }
  *w= 0;
  return name;
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
  if ((n= split_arg("perf_index_name", "names", spec, cols)) <= 0)
  {
    *error= 1;
    return NULL;
  }
  for (int i= 0; i < n; i++)
    cols[i]= unquote((char *) cols[i]);
  if (!(name= pa_sql_index_name(&st->alloc, table, cols, n)))
  {
    *error= 1;
    return NULL;
  }
  return result(st, name, strlen(name), length, is_null);
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
  /* it reads the table's definition when it runs, not once */
  initid->const_item= 0;
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
  name= unquote(p);
  if (!*name || strlen(name) >= sizeof(c->name))
    return false;
  strcpy(c->name, name);
  return true;
}

/* What perf_index_ddl reads of the table, as the caller sees it. */
struct ddl_table
{
  MEM_ROOT *root;
  pa_index_col *cols;          /* the key parts asked for */
  int n;
  bool found_table;            /* COLUMNS has a row of it */
  bool found[PA_INDEX_MAX_COLS];
  /* STATISTICS: the index whose key parts are being read, how many of
     its first ones are the parts asked for, whether it may cover them */
  char index[NAME_LEN + 1];
  int matched;
  bool usable;
  const char *covering;        /* the first index that does */
};

/* A COLUMNS row: the columns asked for, as the table spells them. */
static bool ddl_column(void *arg, TABLE *t)
{
  ddl_table *d= (ddl_table *) arg;
  const char *name= field_text(d->root, field_of(t, "COLUMN_NAME"));
  d->found_table= true;
  for (int i= 0; name && i < d->n; i++)
    if (!my_strcasecmp(system_charset_info, name, d->cols[i].name))
    {
      strmake(d->cols[i].name, name, sizeof(d->cols[i].name) - 1);
      d->found[i]= true;
    }
  return false;
}

/*
  A STATISTICS row: one key part.  The fill lists an index's key parts
  together and in order (SEQ_IN_INDEX 1, 2, ...); an existing B-tree
  index, not ignored, whose first key parts are those asked for (column,
  prefix length and direction) covers them.
*/
static bool ddl_key_part(void *arg, TABLE *t)
{
  ddl_table *d= (ddl_table *) arg;
  const char *index= field_text(d->root, field_of(t, "INDEX_NAME"));
  const char *col= field_text(d->root, field_of(t, "COLUMN_NAME"));
  Field *seq= field_of(t, "SEQ_IN_INDEX"), *sub= field_of(t, "SUB_PART");
  longlong pos;

  if (d->covering || !index || !col || !seq)
    return false;
  pos= seq->val_int();
  if (pos == 1 || strcmp(index, d->index))
  {
    strmake(d->index, index, sizeof(d->index) - 1);
    d->matched= 0;
    d->usable= pos == 1 && field_equals(field_of(t, "INDEX_TYPE"), "BTREE") &&
               field_equals(field_of(t, "IGNORED"), "NO");
  }
  if (!d->usable || pos != d->matched + 1 || d->matched >= d->n)
    return false;
  const pa_index_col *want= &d->cols[d->matched];
  longlong prefix= sub && !sub->is_null() ? sub->val_int() : 0;
  bool desc= field_equals(field_of(t, "COLLATION"), "D");
  if (my_strcasecmp(system_charset_info, col, want->name) ||
      prefix != (longlong) want->prefix_len || desc != (bool) want->desc)
    d->usable= false;
  else if (++d->matched == d->n && !(d->covering= strdup_root(d->root, index)))
  {
    my_error(ER_OUT_OF_RESOURCES, MYF(0));
    return true;
  }
  return false;
}

MYSQL_PLUGIN_EXPORT char *perf_index_ddl(UDF_INIT *initid, UDF_ARGS *args,
                                         char *, unsigned long *length,
                                         unsigned char *is_null,
                                         unsigned char *error)
{
  THD *thd= current_thd;
  udf_state *st= call_begin(initid);
  char *db= arg_str(st, args, 0), *table= arg_str(st, args, 1),
       *spec= arg_str(st, args, 2), *ddl, *name;
  const char *items[PA_INDEX_MAX_COLS], *names[PA_INDEX_MAX_COLS];
  /* Key parts are 265 bytes each: on the call's memory, not the stack. */
  pa_index_col *cols= (pa_index_col *) alloc_root(
      &st->root, PA_INDEX_MAX_COLS * sizeof(pa_index_col));
  bool unique= args->arg_count == 4 && args->args[3];
  ddl_table d;
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
  if ((n= split_arg("perf_index_ddl", "key parts", spec, items)) <= 0)
  {
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

  /* The table's columns the caller sees, as the table spells them; none:
     missing and forbidden look the same, NULL. */
  memset((void *) &d, 0, sizeof(d));
  d.root= &st->root;
  d.cols= cols;
  d.n= n;
  if (is_select(thd, st, "COLUMNS", walk_tables, db, table, ddl_column, &d))
  {
    *error= 1;
    return NULL;
  }
  if (!d.found_table)
    return NULL;
  for (int i= 0; i < n; i++)
  {
    if (!d.found[i])
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

  /* An index the caller sees that already starts with these key parts
     covers them (a unique constraint is never covered). */
  if (!unique)
  {
    if (is_select(thd, st, "STATISTICS", walk_tables, db, table,
                  ddl_key_part, &d))
    {
      *error= 1;
      return NULL;
    }
    if (d.covering)
    {
      const size_t want_size= 16384;
      char *want= (char *) alloc_root(&st->root, want_size);
      pa_index_def *def= (pa_index_def *) alloc_root(&st->root, sizeof(*def));
      if (!want || !def)
      {
        my_error(ER_OUT_OF_RESOURCES, MYF(0));
        *error= 1;
        return NULL;
      }
      memset((void *) def, 0, sizeof(*def));
      def->n_cols= n;
      memcpy(def->cols, cols, n * sizeof(cols[0]));
      push_warning_printf(thd, Sql_condition::WARN_LEVEL_NOTE,
                          ER_UNKNOWN_ERROR,
                          "perf_index_ddl: index `%.64s` already starts with "
                          "(%.256s)",
                          d.covering,
                          pa_index_columns_text(def, want, want_size));
      return NULL;
    }
  }

  if (!(name= pa_sql_index_name(&st->alloc, table, names, n)) ||
      !(ddl= pa_sql_create_index(&st->alloc, db, table, name, cols, n,
                                 unique)))
  {
    *error= 1;
    return NULL;
  }
  return result(st, ddl, strlen(ddl), length, is_null);
}

/* The JSON UDFs: a document of up to 16 MiB, or NULL; never constant (the
   tables say what is true when the statement runs). */
static my_bool json_udf_init(UDF_INIT *initid, UDF_ARGS *args, char *message,
                             uint min, uint max, const char *usage)
{
  if (check_args(args, min, max, message, usage))
    return 1;
  initid->maybe_null= 1;
  initid->max_length= 16 * 1024 * 1024;
  initid->const_item= 0;
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

/* The columns of slow_queries. */
static const char *const slow_query_cols[]= {
    "DIGEST",        "DIGEST_TEXT", "SCHEMA_NAME",    "EXEC_COUNT",
    "AVG_MS",        "TOTAL_MS",    "ROWS_EXAMINED",  "ROWS_SENT",
    "NO_INDEX_USED", "PROPOSED_INDEX", "MATCHING_INDEX", NULL};

MYSQL_PLUGIN_EXPORT char *perf_analyze_table(UDF_INIT *initid,
                                             UDF_ARGS *args, char *,
                                             unsigned long *length,
                                             unsigned char *is_null,
                                             unsigned char *error)
{
  THD *thd= current_thd;
  udf_state *st= call_begin(initid);
  char *db= arg_str(st, args, 0), *table= arg_str(st, args, 1);
  json_rows stats, slow, indexes, recs;
  pa_buf b;

  *is_null= 1;
  if (!db || !table)
    return NULL;
  /* table_stats: the one PERF_TABLE_ANALYSIS row; none: the table is
     missing or the caller may not see it */
  json_rows_init(&stats, st);
  if (is_select(thd, st, "PERF_TABLE_ANALYSIS", walk_tables, db, table,
                json_rows_add, &stats))
    goto err;
  if (!stats.n)
    return NULL;
  json_rows_init(&slow, st);
  slow.only= slow_query_cols;
  slow.where_col= "IS_SLOW";
  slow.where_value= "YES";
  slow.order_col= "TOTAL_MS";
  slow.desc= true;
  json_rows_init(&indexes, st);
  indexes.order_col= "INDEX_NAME";
  json_rows_init(&recs, st);
  if (is_select(thd, st, "PERF_QUERY_ANALYSIS", walk_tables, db, table,
                json_rows_add, &slow) ||
      is_select(thd, st, "PERF_INDEX_USAGE", walk_tables, db, table,
                json_rows_add, &indexes) ||
      is_select(thd, st, "PERF_RECOMMENDATIONS", pa_recs_fill_planned, db,
                table, json_rows_add, &recs))
    goto err;

  pa_buf_init(&b, &st->alloc);
  pa_buf_puts(&b, "{\"schema\": ");
  pa_buf_json_str(&b, db);
  pa_buf_puts(&b, ", \"table\": ");
  pa_buf_json_str(&b, table);
  pa_buf_puts(&b, ", \"table_stats\": ");
  pa_buf_puts(&b, stats.items[0].json);
  pa_buf_puts(&b, ", \"slow_queries\": ");
  json_rows_write(&slow, &b);
  pa_buf_puts(&b, ", \"index_analysis\": ");
  json_rows_write(&indexes, &b);
  pa_buf_puts(&b, ", \"recommendations\": ");
  json_rows_write(&recs, &b);
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
  char *db= args->arg_count ? arg_str(st, args, 0) : NULL;
  json_rows recs;
  pa_buf b;

  *is_null= 1;
  if (args->arg_count && !db)
    return NULL;
  json_rows_init(&recs, st);
  if (is_select(thd, st, "PERF_RECOMMENDATIONS", pa_recs_fill_planned, db,
                NULL, json_rows_add, &recs))
  {
    *error= 1;
    return NULL;
  }
  pa_buf_init(&b, &st->alloc);
  json_rows_write(&recs, &b);
  return finish(st, &b, length, is_null, error);
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
  if (check_global_access(thd, PROCESS_ACL, true))
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
  int kind= 0;
  unsigned long long after_id;
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
  if (is_select(thd, st, "PERF_INDEX_CHANGES", walk_tables, db, table,
                ignore_row, NULL))
  {
    *error= 1;
    return 0;
  }
  if (!(id= pa_state_record_applied(db, table, index,
                                    (enum pa_change_kind) kind,
                                    (uint64_t) after_id, rec)))
    return 0;
  *is_null= 0;
  return (long long) id;
}

} /* extern "C" */
