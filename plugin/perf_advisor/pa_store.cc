/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: the usage store's hash and records, and its readers.

  Locking: this file owns LOCK_pa_state and everything under it; the
  paragraph in pa_store.h says what it protects and who writes when.  The
  readers here (pa_store_source, pa_store_read_table,
  pa_store_table_changes) take const records and write nothing.
*/
#include "pa_store.h"

extern "C" {
#include "pa_text.h"
}

mysql_mutex_t LOCK_pa_state;
HASH pa_tables;
bool pa_pfs_source;
bool pa_pfs_complete;
bool pa_digests_on;
pa_pfs_object_rule *pa_rules;
size_t pa_n_rules;
pa_chg_rec *pa_changes;
size_t pa_n_changes;
static size_t pa_cap_changes;
uint64_t pa_next_change_id= 1;

static const uchar *tbl_get_key(const void *r, size_t *len, my_bool)
{
  const pa_tbl_rec *t= (const pa_tbl_rec *) r;
  *len= t->key_len;
  return t->key;
}

void pa_store_hints_clear(pa_tbl_rec *t)
{
  for (uint i= 0; i < t->n_hint; i++)
    my_free(t->hint[i]);
  my_free(t->hint);
  t->hint= NULL;
  t->n_hint= 0;
}

void pa_store_defs_clear(pa_tbl_rec *t)
{
  for (uint i= 0; i < t->n_defs; i++)
    my_free(t->def_sql ? t->def_sql[i] : NULL);
  my_free(t->def_sql);
  my_free(t->defs);
  t->def_sql= NULL;
  t->defs= NULL;
  t->n_defs= 0;
  t->defs_known= false;
}

static void tbl_free(void *r)
{
  pa_tbl_rec *t= (pa_tbl_rec *) r;
  pa_store_hints_clear(t);
  pa_store_defs_clear(t);
  my_free(t->idx);
  my_free(t->dig_avg);
  my_free(t->dig_fig);
  my_free(t);
}

void pa_store_chg_free(pa_chg_rec *c)
{
  my_free(c->undo);
  my_free(c->dig);
}

static void changes_free()
{
  for (size_t i= 0; i < pa_n_changes; i++)
    pa_store_chg_free(&pa_changes[i]);
  my_free(pa_changes);
  pa_changes= NULL;
  pa_n_changes= pa_cap_changes= 0;
  pa_next_change_id= 1;
}

bool pa_store_init()
{
  mysql_mutex_init(key_LOCK_pa_state, &LOCK_pa_state, MY_MUTEX_INIT_FAST);
  return my_hash_init(key_memory_pa_state, &pa_tables, &my_charset_bin, 1024,
                      0, 0, tbl_get_key, tbl_free, 0);
}

void pa_store_deinit()
{
  my_hash_free(&pa_tables);
  changes_free();
  my_free(pa_rules);
  pa_rules= NULL;
  pa_n_rules= 0;
  mysql_mutex_destroy(&LOCK_pa_state);
}

pa_chg_rec *pa_store_chg_append()
{
  if (pa_n_changes >= PA_STORE_MAX_CHANGES)
  {
    size_t victim= 0;
    for (size_t i= 0; i < pa_n_changes; i++)
      if (pa_changes[i].c.verdict != PA_VERDICT_PENDING)
      {
        victim= i;
        break;
      }
    pa_store_chg_free(&pa_changes[victim]);
    memmove(&pa_changes[victim], &pa_changes[victim + 1],
            (pa_n_changes - victim - 1) * sizeof(*pa_changes));
    pa_n_changes--;
  }
  if (pa_n_changes == pa_cap_changes)
  {
    size_t cap= pa_cap_changes ? pa_cap_changes * 2 : 16;
    pa_chg_rec *n= (pa_chg_rec *) my_realloc(
        key_memory_pa_state, pa_changes, cap * sizeof(*n),
        MYF(MY_ALLOW_ZERO_PTR));
    if (!n)
      return NULL;
    pa_changes= n;
    pa_cap_changes= cap;
  }
  pa_chg_rec *c= &pa_changes[pa_n_changes++];
  memset((void *) c, 0, sizeof(*c));
  return c;
}

bool pa_store_chg_set_undo(pa_chg_rec *c, const char *sql)
{
  my_free(c->undo);
  c->undo= my_strdup(key_memory_pa_state, sql ? sql : "", MYF(0));
  c->c.undo_sql= c->undo ? c->undo : "";
  return c->undo != NULL;
}

pa_verify_digest *pa_store_chg_add_digest(pa_chg_rec *c)
{
  pa_verify_digest *n= (pa_verify_digest *) my_realloc(
      key_memory_pa_state, c->dig, (c->n_dig + 1) * sizeof(*n),
      MYF(MY_ALLOW_ZERO_PTR));
  if (!n)
    return NULL;
  c->dig= n;
  return &c->dig[c->n_dig++];
}

uint pa_store_key(uchar *buf, const char *db, size_t db_len,
                  const char *name, size_t name_len)
{
  if (db_len > NAME_LEN || name_len > NAME_LEN)
    return 0;
  memcpy(buf, db, db_len);
  buf[db_len]= 0;
  memcpy(buf + db_len + 1, name, name_len);
  buf[db_len + 1 + name_len]= 0;
  return (uint) (db_len + name_len + 2);
}

pa_tbl_rec *pa_store_tbl_find(const uchar *key, uint len)
{
  mysql_mutex_assert_owner(&LOCK_pa_state);
  return (pa_tbl_rec *) my_hash_search(&pa_tables, key, len);
}

pa_tbl_rec *pa_store_tbl_get(const uchar *key, uint len)
{
  pa_tbl_rec *t= pa_store_tbl_find(key, len);
  if (t)
    return t;
  if (!(t= (pa_tbl_rec *) my_malloc(key_memory_pa_state, sizeof(*t) + len,
                                    MYF(MY_ZEROFILL))))
    return NULL;
  t->key= (uchar *) (t + 1);
  memcpy(t->key, key, len);
  t->key_len= len;
  if (my_hash_insert(&pa_tables, (uchar *) t))
  {
    my_free(t);
    return NULL;
  }
  return t;
}

pa_idx_rec *pa_store_idx_find(const pa_tbl_rec *t, const char *name)
{
  for (uint i= 0; i < t->n_idx; i++)
    if (!strcmp(t->idx[i].name, name))
      return &t->idx[i];
  return NULL;
}

pa_idx_rec *pa_store_idx_get(pa_tbl_rec *t, const char *name, int64_t now)
{
  pa_idx_rec *r= pa_store_idx_find(t, name);
  if (r || strlen(name) > NAME_LEN)
    return r;
  if (t->n_idx == t->cap_idx)
  {
    uint cap= t->cap_idx ? t->cap_idx * 2 : 4;
    pa_idx_rec *n= (pa_idx_rec *) my_realloc(key_memory_pa_state, t->idx,
                                             cap * sizeof(*n),
                                             MYF(MY_ALLOW_ZERO_PTR));
    if (!n)
      return NULL;
    t->idx= n;
    t->cap_idx= cap;
  }
  r= &t->idx[t->n_idx++];
  strcpy(r->name, name);
  pa_usage_init(&r->u, now);
  return r;
}

void pa_store_tbl_entry(pa_tbl_rec *t, int64_t now)
{
  if (!t->has_entry)
  {
    pa_usage_init(&t->u, now);
    t->has_entry= true;
  }
}

bool pa_store_defs_same(const pa_tbl_rec *t, uint n,
                        const pa_index_snap *snap)
{
  if (!t->defs_known || t->n_defs != n)
    return false;
  for (uint i= 0; i < n; i++)
    if (t->defs[i].fingerprint != snap[i].fingerprint ||
        !t->defs[i].ignored != !snap[i].ignored ||
        strcmp(t->defs[i].name, snap[i].name))
      return false;
  return true;
}

bool pa_store_defs_take(pa_tbl_rec *t, uint n, const pa_index_snap *snap,
                        char *const *create_sql)
{
  pa_store_defs_clear(t);
  if (n && (!(t->defs= (pa_index_snap *) my_malloc(
                  key_memory_pa_state, n * sizeof(*t->defs), MYF(0))) ||
            !(t->def_sql= (char **) my_malloc(key_memory_pa_state,
                                              n * sizeof(char *),
                                              MYF(MY_ZEROFILL)))))
  {
    pa_store_defs_clear(t);
    return false;
  }
  for (uint i= 0; i < n; i++)
  {
    t->defs[i]= snap[i];
    if (create_sql[i])
      t->def_sql[i]= my_strdup(key_memory_pa_state, create_sql[i], MYF(0));
  }
  t->n_defs= n;
  t->defs_known= true;
  return true;
}

/* ---------------------------------------------------------------------- */
/* Readers                                                                 */

enum pa_stats_source pa_store_source(const char *db, const char *name,
                                     bool userstat)
{
  mysql_mutex_assert_owner(&LOCK_pa_state);
  return pa_stats_choose(pa_pfs_source,
                         pa_pfs_object_enabled(pa_rules, pa_n_rules, db,
                                               name),
                         userstat);
}

void pa_store_read_table(const pa_tbl_rec *t, enum pa_stats_source src,
                         int64_t now, MEM_ROOT *root, uint n,
                         const char *const *index_names, pa_state_table *out,
                         pa_state_index *idx_out)
{
  mysql_mutex_assert_owner(&LOCK_pa_state);
  memset((void *) out, 0, sizeof(*out));
  for (uint i= 0; i < n; i++)
    memset((void *) &idx_out[i], 0, sizeof(idx_out[i]));
  /* pa_refresh_table gave its entry to every table a source covers. */
  out->known= t && src != PA_SRC_NONE && t->has_entry;
  out->source= out->known ? src : PA_SRC_NONE;
  out->complete= out->known && (src == PA_SRC_USERSTAT || pa_pfs_complete);
  if (t && t->has_entry)
    out->table= t->u;
  else
    pa_usage_init(&out->table, now);
  for (uint i= 0; t && i < n; i++)
  {
    const pa_idx_rec *x= pa_store_idx_find(t, index_names[i]);
    if (!x)
      continue;
    idx_out[i].known= true;
    idx_out[i].u= x->u;
  }
  out->digests_known= pa_digests_on && src == PA_SRC_PFS;
  if (t && out->digests_known && t->n_dig &&
      (out->digest_avg_ps= (uint64_t *) alloc_root(
           root, t->n_dig * sizeof(uint64_t))))
  {
    memcpy(out->digest_avg_ps, t->dig_avg, t->n_dig * sizeof(uint64_t));
    out->n_digests= t->n_dig;
  }
  if (t && t->n_hint &&
      (out->hints= (char **) alloc_root(root, t->n_hint * sizeof(char *))))
  {
    for (uint i= 0; i < t->n_hint; i++)
      if ((out->hints[out->n_hints]= strdup_root(root, t->hint[i])))
        out->n_hints++;
  }
}

bool pa_store_table_changes(const LEX_CSTRING *db, const LEX_CSTRING *name,
                            MEM_ROOT *root, pa_state_change **out, uint *n)
{
  bool ok= true;
  uint k= 0, want= 0;

  mysql_mutex_lock(&LOCK_pa_state);
  for (size_t i= 0; i < pa_n_changes; i++)
    if (!strcmp(pa_changes[i].c.schema, db->str) &&
        !strcmp(pa_changes[i].c.table, name->str))
      want++;
  if (want && !(*out= (pa_state_change *) alloc_root(
                    root, want * sizeof(pa_state_change))))
    ok= false;
  for (size_t i= 0; ok && i < pa_n_changes; i++)
  {
    const pa_chg_rec *c= &pa_changes[i];
    pa_state_change *o;
    if (strcmp(c->c.schema, db->str) || strcmp(c->c.table, name->str))
      continue;
    o= &(*out)[k];
    o->c= c->c;
    o->c.undo_sql= strdup_root(root, c->c.undo_sql ? c->c.undo_sql : "");
    o->n_digests= c->n_dig;
    o->digests= c->n_dig ? (pa_verify_digest *) memdup_root(
                               root, c->dig, c->n_dig * sizeof(*c->dig))
                         : NULL;
    if (!o->c.undo_sql || (c->n_dig && !o->digests))
    {
      ok= false;
      break;
    }
    o->latest= true;
    for (size_t j= i + 1; j < pa_n_changes && o->latest; j++)
      o->latest= !(!strcmp(pa_changes[j].c.schema, c->c.schema) &&
                   !strcmp(pa_changes[j].c.table, c->c.table) &&
                   pa_ascii_ieq(pa_changes[j].c.index, c->c.index));
    k++;
  }
  mysql_mutex_unlock(&LOCK_pa_state);
  *n= ok ? k : 0;
  return ok;
}

/* ---------------------------------------------------------------------- */
/* A statement's write: the recommendation that made a change              */

uint64_t pa_store_record_applied(const char *db, const char *table,
                                 const char *index, enum pa_change_kind kind,
                                 uint64_t after_id, const char *rec_id)
{
  uint64_t id= 0;
  mysql_mutex_lock(&LOCK_pa_state);
  /* The newest change of the index decides: the statement just run is the
     last thing that happened to it, or it changed nothing. */
  for (size_t i= pa_n_changes; i-- > 0;)
  {
    pa_chg_rec *c= &pa_changes[i];
    /* Index names compare as the server compares them (case-insensitive
       beyond ASCII): the caller may spell the name as its statement did. */
    if (strcmp(c->c.schema, db) || strcmp(c->c.table, table) ||
        my_strcasecmp(system_charset_info, c->c.index, index))
      continue;
    if (c->c.id > after_id && c->c.kind == kind &&
        (!c->c.rec_id[0] || !strcmp(c->c.rec_id, rec_id)))
    {
      strmake(c->c.rec_id, rec_id, sizeof(c->c.rec_id) - 1);
      id= c->c.id;
    }
    break;
  }
  mysql_mutex_unlock(&LOCK_pa_state);
  return id;
}
