/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: one table, collected once for every renderer (pa_model.h).

  Locking: none of its own.  The usage store locks itself; the per-statement
  scratch belongs to the statement's thread.
*/
#include "pa_model.h"
#include "pa_frappe_meta.h"
#include "pa_peers.h"
#include "pa_colstats.h"

extern "C" {
#include "pa_sql.h"
#include "pa_text.h"
}

#include <mysql/service_sql.h>
#include <set_var.h>
#include <sql_acl.h>
#include <sql_error.h>
#include <sql_show.h>
#include <sql_table.h>

const char *pa_model_column(const TABLE_SHARE *share, const char *name)
{
  for (uint i= 0; i < share->fields; i++)
    if (!my_strcasecmp(system_charset_info, share->field[i]->field_name.str,
                       name))
      return share->field[i]->field_name.str;
  return NULL;
}

longlong pa_global_int(THD *thd, const char *name, size_t length,
                       longlong unknown)
{
  sys_var *var= find_sys_var(thd, name, length, true);
  bool is_null= true;
  longlong v= var ? var->val_int(&is_null, thd, OPT_GLOBAL, &null_clex_str)
                  : 0;
  return var && !is_null ? v : unknown;
}

bool pa_is_system_schema(const LEX_CSTRING *db)
{
  static const LEX_CSTRING sys[]= {{STRING_WITH_LEN("mysql")},
                                   {STRING_WITH_LEN("information_schema")},
                                   {STRING_WITH_LEN("performance_schema")},
                                   {STRING_WITH_LEN("sys")}};
  for (const LEX_CSTRING &s : sys)
    if (db->length == s.length &&
        !my_strcasecmp(system_charset_info, db->str, s.str))
      return true;
  return false;
}

enum pa_walk pa_model_skip(THD *thd, TABLE_LIST *tables, bool res,
                           TABLE *is_table, const LEX_CSTRING *db)
{
  pa_stmt *s;
  if (thd->killed)
  {
    /* The walk ends with this error: get_all_tables() reports none of
       its own when a process_table fails. */
    if (!thd->is_error())
      thd->send_kill_message();
    return PA_WALK_STOP;
  }
  if (!(s= pa_stmt_get(thd, is_table)))
    return PA_WALK_STOP;
  bool system_skipped=
      !s->settings.include_system_schemas && pa_is_system_schema(db);
  if (res)
  {
    /* A system schema we do not report: its open errors (a sys view the
       caller may not execute) are nobody's business. */
    if (system_skipped)
      thd->clear_error();
    else
      /* The table vanished or cannot be opened: a warning, then go on. */
      convert_error_to_warning(thd);
    return PA_WALK_SKIP;
  }
  if (tables->view || tables->schema_table || !tables->table)
    return PA_WALK_SKIP;
  if (system_skipped)
    return PA_WALK_SKIP;
  TABLE_SHARE *share= tables->table->s;
  return share->tmp_table != NO_TMP_TABLE ||
                 share->table_type == TABLE_TYPE_SEQUENCE
             ? PA_WALK_SKIP
             : PA_WALK_BUILD;
}

void pa_set_u64(Field *f, bool known, uint64_t v)
{
  if (!known)
    return;
  f->set_notnull();
  f->store((longlong) v, true);
}

void pa_set_double(Field *f, bool known, double v)
{
  if (!known)
    return;
  f->set_notnull();
  f->store(v);
}

void pa_set_str(Field *f, const char *s)
{
  if (!s)
    return;
  f->set_notnull();
  f->store(s, strlen(s), system_charset_info);
}

const char *pa_yes_no(bool b) { return b ? "YES" : "NO"; }

/* The model's per-statement scratch (pa_stmt.model), on its root. */
struct pa_model_scratch
{
  pa_table_def *def;               /* about 1 MB: allocated once */
  pa_table_model *model;           /* reused for every table */
  TABLE own;                       /* the private handle (model_open) */
  pa_frappe_meta frappe;           /* a Frappe site's field metadata */
  uint64_t server_id;              /* this node */
  char node_name[FN_REFLEN];
  bool peers_wanted;               /* the statement needs the merged usage */
  pa_peers peers;                  /* the declared peers' rows */
};
typedef pa_size_cache::row size_row;

/*
  This node's name: @@wsrep_node_name when wsrep is on (a Galera node),
  else @@hostname.  Read once per statement.
*/
static void node_identity(THD *thd, pa_model_scratch *c)
{
  longlong id= pa_global_int(thd, STRING_WITH_LEN("server_id"), 0);
  c->server_id= id < 0 ? 0 : (uint64_t) id;
  strmake(c->node_name, glob_hostname, sizeof(c->node_name) - 1);
  if (pa_global_int(thd, STRING_WITH_LEN("wsrep_on"), 0) == 1)
  {
    sys_var *var= find_sys_var(thd, STRING_WITH_LEN("wsrep_node_name"), true);
    char buf[FN_REFLEN];
    String tmp(buf, sizeof(buf), system_charset_info), *v;
    if (var && (v= var->val_str(&tmp, thd, OPT_GLOBAL, &null_clex_str)) &&
        v->length())
      strmake(c->node_name, v->ptr(),
              MY_MIN(v->length(), sizeof(c->node_name) - 1));
  }
}

/*
  Whether a statement of is_table needs the merged usage of the peers:
  PERF_RECOMMENDATIONS always (its drop advice rests on it);
  PERF_INDEX_USAGE when it reads a merged column.  A peer's FederatedX
  table reads the node columns only: the peer answers from its own usage
  and never reads its own peers in turn.
*/
static bool peers_wanted(const TABLE *is_table)
{
  static const char *const merged[]= {
      "USAGE_STATUS",         "DROP_CONFIDENCE", "DROP_CONFIDENCE_REASON",
      "READ_COUNT_ALL_NODES", "NODES_COUNTED",   "NODES_MISSING",
      "NODE_READS"};
  const TABLE_LIST *tl= is_table->pos_in_table_list;
  const char *name= tl && tl->schema_table ? tl->schema_table->table_name
                                           : "";
  if (!strcmp(name, "PERF_RECOMMENDATIONS"))
    return true;
  if (strcmp(name, "PERF_INDEX_USAGE"))
    return false;
  for (Field **f= is_table->field; *f; f++)
    for (const char *col : merged)
      if (!strcmp((*f)->field_name.str, col) &&
          bitmap_is_set(is_table->read_set, (*f)->field_index))
        return true;
  return false;
}

/* The statement's model scratch, made on first use. */
static pa_model_scratch *model_scratch(THD *thd, pa_stmt *s)
{
  if (s->model)
    return s->model;
  pa_model_scratch *c=
      (pa_model_scratch *) alloc_root(s->root, sizeof(pa_model_scratch));
  if (!c || !(c->def= (pa_table_def *) alloc_root(s->root,
                                                  sizeof(pa_table_def))) ||
      !(c->model= (pa_table_model *) alloc_root(s->root,
                                                sizeof(pa_table_model))))
    return NULL;
  s->sizes.db[0]= 0;
  s->sizes.table[0]= 0;
  s->sizes.loaded= false;
  s->sizes.rows= NULL;
  s->sizes.n= 0;
  pa_stmt_page_size(s);
  pa_frappe_meta_init(&c->frappe);
  node_identity(thd, c);
  c->peers_wanted= peers_wanted(s->is_table);
  pa_peers_init(&c->peers, s->settings.peer_tables,
                s->settings.peer_timeout_ms);
  s->model= c;
  return c;
}

/*
  Length of an InnoDB table name before its partition suffix: the last
  "#P#" (or "#p#"), as partition names are stored encoded (no '#') while
  a table's own name may hold "#P#" (a table "t#P" has partitions
  "t#P#P#p0"); the whole name when there is none.
*/
static size_t iu_base_len(const char *name)
{
  const char *end= NULL;
  for (const char *q= name; (q= strchr(q, '#')); q++)
    if ((q[1] == 'P' || q[1] == 'p') && q[2] == '#')
      end= q;
  return end ? (size_t) (end - name) : strlen(name);
}

/* Order of the size rows: base table name, then index name (bytes). */
static int iu_size_row_cmp(const void *a_, const void *b_)
{
  const size_row *a= (const size_row *) a_;
  const size_row *b= (const size_row *) b_;
  size_t n= a->base_len < b->base_len ? a->base_len : b->base_len;
  int d= memcmp(a->table, b->table, n);
  if (d)
    return d;
  if (a->base_len != b->base_len)
    return a->base_len < b->base_len ? -1 : 1;
  return strcmp(a->index, b->index);
}

/*
  A LIKE pattern, with ESCAPE '!', for the partitions of InnoDB table
  name: name#P#% ('%', '_' and '!' of the name escaped).
*/
static char *iu_partition_pattern(const pa_alloc *a, const char *name,
                                  const char *sep)
{
  size_t n= strlen(name);
  char *p= (char *) a->alloc(a->ctx, 2 * n + strlen(sep) + 2), *q= p;
  if (!p)
    return NULL;
  for (const char *s= name; *s; s++)
  {
    if (*s == '%' || *s == '_' || *s == '!')
      *q++= '!';
    *q++= *s;
  }
  strcpy(q, sep);
  strcat(q, "%");
  return p;
}

/*
  Load the mysql.innodb_index_stats 'size' rows the model needs: those of
  table alone when the scan meets the schema first, those of the whole
  schema when it comes back to it for a second table.  Read on the
  statement's connection.
*/
static void iu_load_sizes(THD *thd, pa_stmt *s, const LEX_CSTRING *db,
                          const LEX_CSTRING *table)
{
  pa_size_cache *c= &s->sizes;
  MEM_ROOT *root= s->root;
  MYSQL *mysql;
  MYSQL_RES *res;
  MYSQL_ROW row;
  pa_alloc a= {pa_root_alloc, root};
  char *qdb, *query;
  bool whole_schema;

  if (c->loaded && !strcmp(c->db, db->str) &&
      (!c->table[0] || !strcmp(c->table, table->str)))
    return;
  whole_schema= c->loaded && !strcmp(c->db, db->str);
  c->loaded= true;
  strmake(c->db, db->str, NAME_LEN);
  strmake(c->table, whole_schema ? "" : table->str, NAME_LEN);
  c->n= 0;
  /* InnoDB's statistics tables hold the names as they are (partitions as
     name#P#part); pa_sql_string quotes safely under any sql_mode. */
  if (!(qdb= pa_sql_string(&a, db->str)))
    return;
  if (whole_schema)
    query= pa_strdupf(&a,
                      "SELECT table_name, index_name, stat_value FROM "
                      "mysql.innodb_index_stats WHERE stat_name='size' "
                      "AND database_name=%s",
                      qdb);
  else
  {
    char *qt= pa_sql_string(&a, table->str);
    char *p1= iu_partition_pattern(&a, table->str, "#P#");
    char *p2= iu_partition_pattern(&a, table->str, "#p#");
    char *q1= p1 ? pa_sql_string(&a, p1) : NULL;
    char *q2= p2 ? pa_sql_string(&a, p2) : NULL;
    query= qt && q1 && q2
               ? pa_strdupf(&a,
                            "SELECT table_name, index_name, stat_value FROM "
                            "mysql.innodb_index_stats WHERE stat_name='size' "
                            "AND database_name=%s AND (table_name=%s OR "
                            "table_name LIKE %s ESCAPE '!' OR "
                            "table_name LIKE %s ESCAPE '!')",
                            qdb, qt, q1, q2)
               : NULL;
  }
  if (!query)
    return;
  if (!(mysql= pa_colstats_connect(thd, &s->conn)))
    return;
  if (mysql_real_query(mysql, query, (ulong) strlen(query)) ||
      !(res= mysql_store_result(mysql)))
  {
    push_warning_printf(thd, Sql_condition::WARN_LEVEL_WARN, ER_UNKNOWN_ERROR,
                        "perf_advisor: cannot read index sizes: %s",
                        mysql_error(mysql));
    return;
  }
  size_t n= (size_t) mysql_num_rows(res);
  c->rows= n ? (size_row *) alloc_root(root, n * sizeof(size_row)) : NULL;
  while (c->rows && (row= mysql_fetch_row(res)) && c->n < n)
  {
    size_row *r= &c->rows[c->n];
    if (!row[0] || !row[1] || !row[2])
      continue;
    strmake(r->table, row[0], sizeof(r->table) - 1);
    strmake(r->index, row[1], sizeof(r->index) - 1);
    r->pages= (uint64_t) strtoull(row[2], NULL, 10);
    r->base_len= iu_base_len(r->table);
    c->n++;
  }
  if (c->n > 1)
    qsort(c->rows, c->n, sizeof(*c->rows), iu_size_row_cmp);
  mysql_free_result(res);
}

/* First size row not ordered before key (binary search). */
static size_t iu_lower_bound(const pa_size_cache *c, const size_row *key)
{
  size_t lo= 0, hi= c->n;
  while (lo < hi)
  {
    size_t mid= lo + (hi - lo) / 2;
    if (iu_size_row_cmp(&c->rows[mid], key) < 0)
      lo= mid + 1;
    else
      hi= mid;
  }
  return lo;
}

/*
  Pages of one index, summed over partitions; false when unknown.
  The rows of table T are named T (not partitioned) or T#P#part: their base
  name (iu_base_len) is T, except for an unpartitioned T whose own name
  holds "#P#", found by its exact name.  The rows are sorted by (base name,
  index), so a full scan costs O(indexes * log rows), not the
  O(indexes * rows) of a linear search per index (docs/benchmarks.md).
*/
static bool iu_index_pages(const pa_size_cache *c, const char *table,
                           const char *index, uint64_t *pages)
{
  size_t tl= strlen(table);
  bool found= false;
  *pages= 0;
  size_row key;
  if (!c->n || tl >= sizeof(key.table))
    return false;
  memcpy(key.table, table, tl + 1);
  strmake(key.index, index, sizeof(key.index) - 1);
  key.base_len= tl;
  for (size_t i= iu_lower_bound(c, &key);
       i < c->n && !iu_size_row_cmp(&c->rows[i], &key); i++)
  {
    found= true;
    *pages= pa_sat_add(*pages, c->rows[i].pages);
  }
  size_t own= iu_base_len(key.table);
  if (own < tl)
  {
    key.base_len= own;
    for (size_t i= iu_lower_bound(c, &key);
         i < c->n && !iu_size_row_cmp(&c->rows[i], &key); i++)
      if (!strcmp(c->rows[i].table, table))
      {
        found= true;
        *pages= pa_sat_add(*pages, c->rows[i].pages);
      }
  }
  return found;
}

/* Copy a name into a core identifier buffer; false when it does not fit. */
static bool copy_ident(char *dst, const LEX_CSTRING *src)
{
  if (src->length >= PA_IDENT_BYTES)
    return false;
  memcpy(dst, src->str, src->length);
  dst[src->length]= 0;
  return true;
}

/*
  Add the foreign keys of list (this table's columns: the foreign ones on
  the child side, the referenced ones on the parent side) to def.  Returns
  false when one could not be represented: the caller must then assume
  every index may be needed by a foreign key.
*/
static bool add_fks(pa_table_def *def, List<FOREIGN_KEY_INFO> *list,
                    bool child_side)
{
  List_iterator_fast<FOREIGN_KEY_INFO> it(*list);
  FOREIGN_KEY_INFO *fk;
  bool complete= true;
  while ((fk= it++))
  {
    pa_fk_def *d= &def->fks[def->n_fks];
    List_iterator_fast<LEX_CSTRING> cols(child_side ? fk->foreign_fields
                                                    : fk->referenced_fields);
    LEX_CSTRING *col;
    if (def->n_fks >= PA_TABLE_MAX_FKS || !copy_ident(d->name, fk->foreign_id))
    {
      complete= false;
      continue;
    }
    d->n_cols= 0;
    while ((col= cols++))
    {
      if (d->n_cols >= PA_INDEX_MAX_COLS ||
          !copy_ident(d->cols[d->n_cols], col))
      {
        complete= false;
        break;
      }
      d->n_cols++;
    }
    if (d->n_cols && complete)
      def->n_fks++;
  }
  return complete;
}

static void load_facts(pa_table_model *m, TABLE *t)
{
  handler *file= t->db_stat ? t->file : NULL;
  memset(&m->facts, 0, sizeof(m->facts));
  m->facts.index_count= m->share->keys;
  if (file)
  {
    /* The flags information_schema.TABLES and .STATISTICS use: with
       HA_STATUS_TIME, InnoDB does not report an empty table as having one
       row; HA_STATUS_CONST brings the cardinality estimates. */
    if (!file->info(HA_STATUS_VARIABLE | HA_STATUS_TIME | HA_STATUS_CONST |
                    HA_STATUS_VARIABLE_EXTRA | HA_STATUS_NO_LOCK))
    {
      m->facts.sizes_known= 1;
      m->facts.rows= file->stats.records;
      m->facts.avg_row_length= file->stats.mean_rec_length;
      m->facts.data_length= file->stats.data_file_length;
      m->facts.index_length= file->stats.index_file_length;
      m->facts.data_free= file->stats.delete_length;
    }
  }
  pa_table_compute(&m->facts, &m->metrics);
}

static bool is_innodb(const pa_table_model *m)
{
  return m->engine && !strcmp(m->engine, "InnoDB");
}

/*
  InnoDB reports as DATA_FREE the free space of the table's tablespace.  A
  table with no .ibd file of its own in the data directory lives in the
  system tablespace (created while innodb_file_per_table was OFF): that
  figure is ibdata1's, and OPTIMIZE TABLE cannot return it.  Checked only
  for a table that reports free space.  A partitioned table is taken to
  have its own files; a table with DATA DIRECTORY, whose file is elsewhere,
  counts as shared, which can only withhold advice.
*/
static bool innodb_shared_space(const pa_table_model *m)
{
  char path[FN_REFLEN];

  if (!m->facts.sizes_known || !m->facts.data_free || !is_innodb(m))
    return false;
#ifdef WITH_PARTITION_STORAGE_ENGINE
  if (m->share->partition_info_str_len)
    return false;
#endif
  /* normalized_path is relative to the data directory, the server's cwd */
  strxnmov(path, sizeof(path) - 1, m->share->normalized_path.str, ".ibd",
           NullS);
  return access(path, F_OK) != 0;
}

static const char *engine_name(const TABLE_SHARE *share)
{
  handlerton *hton= share->db_type();
#ifdef WITH_PARTITION_STORAGE_ENGINE
  if (hton == partition_hton && share->partition_info_str_len)
    hton= plugin_hton(share->default_part_plugin);
#endif
  return hton ? ha_resolve_storage_engine_name(hton) : NULL;
}

/* Index definitions of the share -> core structs. */
static void load_definitions(THD *thd, pa_table_model *m, TABLE *t)
{
  TABLE_SHARE *share= m->share;
  pa_table_def *def= m->def;

  def->clustered_pk= (t->file->ha_table_flags() &
                      HA_PRIMARY_KEY_IN_READ_INDEX) != 0;
  def->n_indexes= 0;
  def->n_fks= 0;
  for (uint i= 0; i < share->keys && def->n_indexes < PA_TABLE_MAX_INDEXES;
       i++)
  {
    KEY *key= &share->key_info[i];
    pa_index_def *d= &def->indexes[def->n_indexes];
    if (key->flags & HA_INVISIBLE_KEY)
      continue;
    if (!copy_ident(d->name, &key->name))
      continue;
    d->is_primary= i == share->primary_key && share->primary_key != MAX_KEY;
    d->is_unique= (key->flags & HA_NOSAME) != 0;
    d->is_ignored= key->is_ignored;
    switch (key->algorithm)
    {
    case HA_KEY_ALG_FULLTEXT:
      d->type= PA_IDX_FULLTEXT;
      break;
    case HA_KEY_ALG_RTREE:
      d->type= PA_IDX_SPATIAL;
      break;
    case HA_KEY_ALG_HASH:
    case HA_KEY_ALG_LONG_HASH:
      d->type= PA_IDX_HASH;
      break;
    default:
      d->type= (key->flags & HA_FULLTEXT) ? PA_IDX_FULLTEXT
               : (key->flags & HA_SPATIAL) ? PA_IDX_SPATIAL
               : PA_IDX_BTREE;
    }
    d->n_cols= 0;
    KEY_PART_INFO *kp= key->key_part;
    for (uint j= 0; j < key->user_defined_key_parts; j++, kp++)
    {
      pa_index_col *col;
      if (!kp->field || kp->field->invisible >= INVISIBLE_SYSTEM)
        continue;
      if (d->n_cols >= PA_INDEX_MAX_COLS)
        break;
      col= &d->cols[d->n_cols];
      if (!copy_ident(col->name, &kp->field->field_name))
        continue;
      col->desc= (kp->key_part_flag & HA_REVERSE_SORT) != 0;
      col->prefix_len= 0;
      if (!(key->flags & HA_FULLTEXT) &&
          kp->length != share->field[kp->fieldnr - 1]->key_length())
        col->prefix_len= kp->length / kp->field->charset()->mbmaxlen;
      d->n_cols++;
    }
    if (!d->n_cols)
      continue;
    m->key_of[def->n_indexes]= i;
    def->n_indexes++;
  }
  List<FOREIGN_KEY_INFO> fks, parents;
  t->file->get_foreign_key_list(thd, &fks);
  t->file->get_parent_foreign_key_list(thd, &parents);
  m->fks_complete= add_fks(def, &fks, true) & add_fks(def, &parents, false);
}

/*
  The handler's estimates of each index, as information_schema.STATISTICS
  computes CARDINALITY (after load_facts() asked for HA_STATUS_CONST).  The
  row count is the handler's own: TABLE::stat_records() is what
  set_statistics_for_table() chose when the table was opened for a
  statement, and a table the model opened privately never went through
  it (0: every cardinality came out 0).
*/
static void load_cardinalities(pa_table_model *m, TABLE *t)
{
  ha_rows rows= t->file->stats.records;
  for (int x= 0; x < m->def->n_indexes; x++)
  {
    const KEY *key= &m->share->key_info[m->key_of[x]];
    KEY *tkey= &t->key_info[m->key_of[x]];
    uint last= key->user_defined_key_parts - 1;
    m->card_known[x]= m->sel_known[x]= m->card1_known[x]= false;
    if (tkey->rec_per_key && tkey->rec_per_key[0] &&
        !(key->flags & (HA_FULLTEXT | HA_SPATIAL)) &&
        key->algorithm != HA_KEY_ALG_LONG_HASH &&
        !m->def->indexes[x].cols[0].prefix_len)
    {
      m->card1_known[x]= true;
      m->card1[x]= (uint64_t) ((double) rows / tkey->actual_rec_per_key(0));
    }
    if (!tkey->rec_per_key || !tkey->rec_per_key[last] ||
        key->algorithm == HA_KEY_ALG_LONG_HASH)
      continue;
    double card= (double) rows / tkey->actual_rec_per_key(last);
    m->card_known[x]= true;
    m->cardinality[x]= (uint64_t) card;
    if (rows > 0)
    {
      m->sel_known[x]= true;
      m->selectivity[x]= MY_MIN(1.0, (double) m->cardinality[x] /
                                         (double) rows);
    }
  }
}

/*
  Each index's origin when the table is a Frappe DocType's (else every
  origin is unknown).  Called while the share is at hand: a key part's
  column type says whether Frappe would index it (not TEXT/BLOB/JSON).
*/
static void frappe_origins(THD *thd, pa_model_scratch *c, MEM_ROOT *root,
                           pa_table_model *m, const LEX_CSTRING *db,
                           const LEX_CSTRING *name)
{
  int text_col[PA_TABLE_MAX_INDEXES];
  m->frappe_doctype= pa_frappe_meta_doctype(thd, &c->frappe, root, db,
                                            name);
  for (int x= 0; x < m->def->n_indexes; x++)
  {
    const KEY *key= &m->share->key_info[m->key_of[x]];
    const Field *f= key->key_part[0].field;
    text_col[x]= f && (f->flags & BLOB_FLAG);
  }
  pa_frappe_classify(m->def, m->frappe_doctype, text_col, m->origin);
}

/*
  Engines whose handler opens on its own: no child tables to attach (MERGE
  needs open_tables() for that, and crashes without), no remote server to
  reach.  Tables of any other engine are left to the server's usual open,
  through the table cache.
*/
static bool private_open_ok(const TABLE_SHARE *share)
{
  static const char *const engines[]= {"InnoDB", "MyISAM",  "Aria",
                                       "MEMORY", "CSV",     "ARCHIVE",
                                       "BLACKHOLE"};
  const char *e= engine_name(share);
  if (!e)
    return false;
  for (const char *ok : engines)
    if (!strcmp(e, ok))
      return true;
  return false;
}

/*
  Open a handler of its own on the share get_all_tables() has acquired
  (the caller holds a shared metadata lock on the table).  Not through the
  table cache: a full scan of 10,000 tables would otherwise evict the
  application's open tables once table_open_cache is reached
  (Table_open_cache_overflows, docs/benchmarks.md).  pa_model_build()
  closes it (closefrm) once what it needs is copied out.
*/
static bool model_open(THD *thd, pa_model_scratch *c, TABLE_SHARE *share,
                       const LEX_CSTRING *name)
{
  return open_table_from_share(thd, share, name,
                               (uint) (HA_OPEN_KEYFILE | HA_TRY_READ_ONLY),
                               EXTRA_RECORD, thd->open_options, &c->own,
                               false) != OPEN_FRM_OK;
}

/*
  Merge what the declared peers say of each index with this node's verdict
  (pa_usage_merge): rule_idx[x].status becomes the cluster's.  A peer
  without a row for an index of the table (no such index there, the table
  is not there, or its user there may not see it) is missing for it, with
  one warning per peer and table.  true when the statement must end (it
  was killed, or out of memory: the error is set).
*/
static bool merge_peers(THD *thd, pa_model_scratch *c, MEM_ROOT *root,
                        pa_table_model *m)
{
  size_t n= pa_peers_load(thd, &c->peers, root);
  int nx= m->def->n_indexes;

  if (thd->killed)
  {
    if (!thd->is_error())
      thd->send_kill_message();
    return true;
  }
  if (!n)
    return false;
  m->n_nodes= n + 1;
  if (!(m->nodes= (pa_node_usage *) alloc_root(
            root, (size_t) nx * m->n_nodes * sizeof(pa_node_usage))))
  {
    my_error(ER_OUT_OF_RESOURCES, MYF(0));
    return true;
  }
  for (size_t k= 0; k < n; k++)
  {
    const char *first_missing= NULL;
    for (int x= 0; x < nx; x++)
    {
      pa_node_usage *u= &m->nodes[x * m->n_nodes + 1 + k];
      pa_peers_lookup(&c->peers, k, m->db->str, m->name->str,
                      m->def->indexes[x].name, u);
      if (!u->counted && !first_missing)
        first_missing= m->def->indexes[x].name;
    }
    if (first_missing && !c->peers.p[k].gone)
      push_warning_printf(
          thd, Sql_condition::WARN_LEVEL_WARN, ER_UNKNOWN_ERROR,
          "perf_advisor: peer %s has no row for index %s of %s.%s (not "
          "there, or not visible to the peer's user); its usage is unknown",
          c->peers.p[k].label, first_missing, m->db->str, m->name->str);
  }
  for (int x= 0; x < nx; x++)
  {
    pa_node_usage *u= &m->nodes[x * m->n_nodes];
    pa_rule_index *ri= &m->rule_idx[x];
    pa_buf b;
    pa_alloc a= {pa_root_alloc, root};

    u->node= m->node_name;
    u->counted= 1;
    u->reads_known= m->st.known;
    u->reads= m->su[x].u.total[0];
    u->status= m->node_status[x];
    pa_usage_merge(u, m->n_nodes, &m->merged[x]);
    ri->status= m->merged[x].status;
    ri->nodes= u;
    ri->n_nodes= m->n_nodes;
    m->nodes_missing[x]= NULL;
    if (!m->merged[x].missing)
      continue;
    pa_buf_init(&b, &a);
    for (size_t k= 1; k < m->n_nodes; k++)
      if (!u[k].counted)
        pa_buf_printf(&b, "%s%s", b.len ? "," : "", c->peers.p[k - 1].label);
    if (!(m->nodes_missing[x]= pa_buf_str(&b)))
    {
      my_error(ER_OUT_OF_RESOURCES, MYF(0));
      return true;
    }
  }
  return false;
}

enum pa_walk pa_model_build(THD *thd, TABLE_LIST *tables, TABLE *is_table,
                            const LEX_CSTRING *db, const LEX_CSTRING *name,
                            bool with_indexes, pa_table_model **out)
{
  pa_model_scratch *c;
  pa_stmt *s;
  pa_table_model *m;
  TABLE *t= tables->table;
  const char *names[PA_TABLE_MAX_INDEXES];
  uint64_t hashes[PA_TABLE_MAX_INDEXES];
  int hinted[PA_TABLE_MAX_INDEXES];

  if (!(s= pa_stmt_get(thd, is_table)))
    return PA_WALK_STOP;
  pa_stmt_refresh(s, false);
  if (!(c= model_scratch(thd, s)))
  {
    my_error(ER_OUT_OF_RESOURCES, MYF(0));
    return PA_WALK_STOP;
  }
  m= c->model;
  m->stmt= s;
  m->share= t->s;
  if (!t->db_stat)
  {
    /* get_all_tables() read the definition only (OPEN_FRM_ONLY) */
    if (!private_open_ok(m->share))
      return PA_WALK_SERVER_OPENS;
    if (model_open(thd, c, m->share, name))
    {
      /* The table cannot be opened (its engine is gone, it is
         corrupted...): a warning, as for any object that vanishes. */
      convert_error_to_warning(thd);
      return PA_WALK_SKIP;
    }
    t= &c->own;
  }
  m->db= db;
  m->name= name;
  m->def= c->def;
  m->def->n_indexes= 0;
  m->def->n_fks= 0;
  m->now= pa_now();
  m->engine= engine_name(m->share);
  m->need_column_checks= false;
  m->fks_complete= true;
  load_facts(m, t);
  m->data_free_shared= innodb_shared_space(m);

  if (with_indexes)
  {
#ifndef NO_EMBEDDED_ACCESS_CHECKS
    /* As information_schema.STATISTICS: with column privileges only, an
       index is shown when every one of its columns is visible. */
    if (!(thd->col_access & TABLE_ACLS))
    {
      check_grant(thd, SELECT_ACL, tables, 0, 1, 1);
      if (!(tables->grant.privilege & TABLE_ACLS))
        m->need_column_checks= true;
    }
#endif
    load_definitions(thd, m, t);
    load_cardinalities(m, t);
  }
  /* what the rows need from the handler is copied out */
  if (t == &c->own)
    closefrm(t);
  m->frappe_doctype= NULL;
  if (with_indexes && m->def->n_indexes)
    frappe_origins(thd, c, s->root, m, db, name);
  for (int x= 0; x < m->def->n_indexes; x++)
  {
    names[x]= m->def->indexes[x].name;
    hashes[x]= pa_index_fingerprint(&m->def->indexes[x]);
  }
  if (!pa_state_read_table(thd, s->root, m->share, db, name,
                           &m->st, (uint) m->def->n_indexes, names, hashes,
                           with_indexes ? m->def->indexes : NULL, m->su))
  {
    /* UNINSTALL SONAME is under way: no answer rather than rows that
       would call every table's usage unknown. */
    my_error(ER_PLUGIN_IS_NOT_LOADED, MYF(0), "perf_advisor");
    return PA_WALK_STOP;
  }

  /* An index named in a hint of an observed statement: dropping it would
     make that statement fail. */
  for (int x= 0; x < m->def->n_indexes; x++)
  {
    hinted[x]= 0;
    for (uint h= 0; h < m->st.n_hints && !hinted[x]; h++)
      hinted[x]= !my_strcasecmp(system_charset_info, m->st.hints[h],
                                m->def->indexes[x].name);
  }
  if (pa_index_analyze(m->def, hinted, m->verdicts))
    m->def->n_indexes= 0;
  if (!m->fks_complete)
  {
    /* A foreign key the core could not see may need any index. */
    for (int x= 0; x < m->def->n_indexes; x++)
      m->verdicts[x].blockers|= PA_BLOCK_FK;
  }

  bool innodb= is_innodb(m);
  if (innodb && m->def->n_indexes)
  {
    iu_load_sizes(thd, s, db, name);
    /* a walk with no end of its own (pa_stmt.h): the table is done with
       the connection */
    if (!s->recs)
      pa_stmt_conn_end(s);
  }
  for (int x= 0; x < m->def->n_indexes; x++)
  {
    const pa_index_def *d= &m->def->indexes[x];
    const pa_index_verdict *v= &m->verdicts[x];
    uint64_t pages;
    bool constraint= d->is_primary || d->is_unique ||
                     (v->blockers & PA_BLOCK_FK);
    m->size_known[x]= innodb && s->sizes.page_size &&
                      iu_index_pages(&s->sizes, name->str, d->name, &pages);
    m->size_bytes[x]= m->size_known[x] ? pages * s->sizes.page_size : 0;

    pa_rule_index *ri= &m->rule_idx[x];
    ri->def= d;
    ri->verdict= v;
    ri->status= pa_usage_status(m->su[x].known ? &m->su[x].u : NULL,
                                m->st.known && m->st.complete, constraint,
                                m->now,
                                s->settings.min_observation_seconds);
    m->node_status[x]= ri->status;
    ri->nodes= NULL;
    ri->n_nodes= 0;
    ri->reads= m->su[x].u.total[0];
    ri->observed_seconds= pa_usage_window(&m->su[x].u, m->now);
    ri->size_known= m->size_known[x];
    ri->size_bytes= m->size_bytes[x];
    ri->card_known= m->card_known[x];
    ri->frappe= m->frappe_doctype ? &m->origin[x] : NULL;
    /* Distinct values for the rules: InnoDB halves rec_per_key ("index
       selectivity is 2 times better than our estimate") unless the
       session's optimizer_adjust_secondary_key_costs has
       fix_innodb_cardinality, which doubles CARDINALITY; undone here.
       Not for a nearly unique key: there the halved value was clamped to
       one row per key, and CARDINALITY is about the row count as it is. */
    ri->cardinality= innodb && thd_double_innodb_cardinality(thd) &&
                             m->cardinality[x] <= m->facts.rows / 2
                         ? (m->cardinality[x] + 1) / 2
                         : m->cardinality[x];
    /* the same for the first key part, which the missing-index rules read
       as the distinct values of the column (pa_colstats) */
    if (m->card1_known[x] && innodb && thd_double_innodb_cardinality(thd) &&
        m->card1[x] <= m->facts.rows / 2)
      m->card1[x]= (m->card1[x] + 1) / 2;
  }

  m->server_id= c->server_id;
  m->node_name= c->node_name;
  m->n_nodes= 0;
  m->nodes= NULL;
  if (with_indexes && c->peers_wanted && m->def->n_indexes &&
      merge_peers(thd, c, s->root, m))
    return PA_WALK_STOP;

  pa_rule_table *rt= &m->rule;
  rt->schema= db->str;
  rt->name= name->str;
  rt->engine= m->engine ? m->engine : "";
  rt->facts= m->facts;
  rt->metrics= m->metrics;
  rt->data_free_shared= m->data_free_shared;
  rt->io_known= m->st.known;
  rt->rows_read= m->st.table.total[0];
  rt->full_scan_reads= m->st.table.total[2];
  rt->observed_seconds= pa_usage_window(&m->st.table, m->now);
  rt->n_columns= m->share->fields;
  rt->def= m->def;
  rt->indexes= m->rule_idx;
  rt->frappe_doctype= m->frappe_doctype;
  *out= m;
  return PA_WALK_BUILD;
}

enum pa_walk pa_model_get(THD *thd, TABLE_LIST *tables, bool res,
                          TABLE *is_table, const LEX_CSTRING *db,
                          const LEX_CSTRING *name, bool with_indexes,
                          pa_table_model **out)
{
  enum pa_walk w= pa_model_skip(thd, tables, res, is_table, db);
  if (w != PA_WALK_BUILD)
    return w;
  return pa_model_build(thd, tables, is_table, db, name, with_indexes, out);
}

int pa_model_is_init(void *p, ST_FIELD_INFO *fields,
                     int (*process)(THD *, TABLE_LIST *, TABLE *, bool,
                                    const LEX_CSTRING *, const LEX_CSTRING *),
                     uint schema_col, uint name_col)
{
  ST_SCHEMA_TABLE *schema= (ST_SCHEMA_TABLE *) p;
  schema->fields_info= fields;
  schema->fill_table= get_all_tables;
  schema->process_table= process;
  schema->idx_field1= schema_col;
  schema->idx_field2= name_col;
  schema->i_s_requested_object= OPTIMIZE_I_S_TABLE | OPEN_TABLE_ONLY;
  return 0;
}

bool pa_model_column_visible(THD *thd, TABLE_LIST *tables,
                             const pa_table_model *m, const char *name)
{
#ifndef NO_EMBEDDED_ACCESS_CHECKS
  if (m->need_column_checks &&
      get_column_grant(thd, &tables->grant, m->db->str, m->name->str,
                       name) == NO_ACL)
    return false;
#endif
  return true;
}

bool pa_model_index_visible(THD *thd, TABLE_LIST *tables,
                            const pa_table_model *m, int x)
{
  if (!m->need_column_checks)
    return true;
  const KEY *key= &m->share->key_info[m->key_of[x]];
  const KEY_PART_INFO *kp= key->key_part;
  for (uint j= 0; j < key->user_defined_key_parts; j++, kp++)
    if (!pa_model_column_visible(thd, tables, m, kp->field->field_name.str))
      return false;
  return true;
}

bool pa_model_change_visible(THD *thd, TABLE_LIST *tables,
                             const pa_table_model *m, const pa_change *c)
{
  if (!m->need_column_checks)
    return true;
  for (int x= 0; x < m->def->n_indexes; x++)
    if (!my_strcasecmp(system_charset_info, m->def->indexes[x].name,
                       c->index))
      return pa_model_index_visible(thd, tables, m, x);
  return false;
}
