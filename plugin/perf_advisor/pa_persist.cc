/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: the usage store's files (docs/usage_store.md) — the usage
  file and its `.changes` file (the change log and the definition
  snapshots): load at start, save, the prune of dropped tables, and the
  set-aside of a damaged file as <file>.corrupt.

  Locking: LOCK_pa_save makes one writer of the files at a time; it is
  taken before LOCK_pa_state, which is held only while the store is
  copied into a file image or a loaded record goes in, never across file
  I/O.
*/
#include "pa_store.h"
#include "pa_stmt.h"

#include <my_dir.h>
#include <mysql/psi/mysql_file.h>
#include <sql_table.h>

extern "C" {
#include "pa_text.h"
}

static mysql_mutex_t LOCK_pa_save;

void pa_persist_init()
{
  mysql_mutex_init(key_LOCK_pa_save, &LOCK_pa_save, MY_MUTEX_INIT_FAST);
}

void pa_persist_deinit()
{
  mysql_mutex_destroy(&LOCK_pa_save);
}

static void usage_path(char *buf, size_t size, const char *suffix)
{
  char name[FN_REFLEN];
  pa_settings set;
  pa_settings_read(&set, NULL);
  my_snprintf(name, sizeof(name), "%s%s",
              set.usage_file && *set.usage_file ? set.usage_file
                                                : "perf_advisor_usage.dat",
              suffix);
  fn_format(buf, name, mysql_real_data_home, "", MY_UNPACK_FILENAME);
  (void) size;
}

struct load_ctx
{
  bool same_run;
  long loaded;
};

static int load_record(void *ctx, const char *schema, const char *table,
                       const char *index, const pa_usage_entry *e)
{
  load_ctx *lc= (load_ctx *) ctx;
  uchar key[PA_STORE_KEY_BYTES];
  uint len= pa_store_key(key, schema, strlen(schema), table, strlen(table));
  pa_tbl_rec *t;
  pa_usage_entry u= *e;

  if (!lc->same_run)
  {
    /* The server restarted: its counters began again from zero. */
    memset(u.last_raw, 0, sizeof(u.last_raw));
    u.last_src= PA_USAGE_FRESH;
  }
  if (!len || !(t= pa_store_tbl_get(key, len)))
    return 0;
  if (!*index)
  {
    t->u= u;
    t->has_entry= true;
  }
  else
  {
    pa_idx_rec *x= pa_store_idx_get(t, index, u.first_seen);
    if (x)
      x->u= u;
  }
  lc->loaded++;
  return 0;
}

/*
  The whole file at path, NUL-terminated, in *len bytes; NULL when there is
  none (first start) or it cannot be read (a warning, saying that `what`
  starts empty).  my_free() it.
*/
static char *read_whole(const char *path, const char *what, size_t *len)
{
  MY_STAT st;
  File fd;
  char *buf;

  if (!my_stat(path, &st, MYF(0)))
    return NULL;
  if (!(buf= (char *) my_malloc(key_memory_pa_state, (size_t) st.st_size + 1,
                                MYF(0))))
    return NULL;
  fd= my_open(path, O_RDONLY, MYF(0));
  if (fd < 0 || my_read(fd, (uchar *) buf, (size_t) st.st_size,
                        MYF(MY_NABP)))
  {
    sql_print_warning("perf_advisor: cannot read %s: errno %d; %s starts "
                      "empty",
                      path, my_errno, what);
    if (fd >= 0)
      my_close(fd, MYF(0));
    my_free(buf);
    return NULL;
  }
  my_close(fd, MYF(0));
  buf[st.st_size]= 0;
  *len= (size_t) st.st_size;
  return buf;
}

/* A damaged file is set aside as <file>.corrupt, with a warning. */
static void set_aside(const char *path, const char *what)
{
  char bad[FN_REFLEN];
  strxnmov(bad, sizeof(bad) - 1, path, ".corrupt", NullS);
  sql_print_warning("perf_advisor: %s is damaged; kept as %s, %s starts "
                    "empty",
                    path, bad, what);
  my_rename(path, bad, MYF(0));
}

static void load_usage()
{
  char path[FN_REFLEN];
  size_t len;
  char *buf;
  int64_t start= 0;
  load_ctx lc= {false, 0};
  long n;

  usage_path(path, sizeof(path), "");
  if (!(buf= read_whole(path, "usage history", &len)))
    return;
  if (pa_usage_parse(buf, len, &start, NULL, NULL) < 0)
  {
    set_aside(path, "usage history");
    my_free(buf);
    return;
  }
  lc.same_run= start == (int64_t) server_start_time;
  mysql_mutex_lock(&LOCK_pa_state);
  n= pa_usage_parse(buf, len, &start, load_record, &lc);
  mysql_mutex_unlock(&LOCK_pa_state);
  my_free(buf);
  sql_print_information("perf_advisor: loaded %ld usage records from %s", n,
                        path);
}

/* Loading the change log and the definition snapshots. */
struct changes_ctx
{
  bool same_run;
  pa_chg_rec *last;
};

static int load_def(void *ctx, const char *schema, const char *table,
                    const pa_index_snap *snap, const char *create_sql)
{
  uchar key[PA_STORE_KEY_BYTES];
  uint len= pa_store_key(key, schema, strlen(schema), table, strlen(table));
  pa_tbl_rec *t;
  (void) ctx;
  if (!len || !(t= pa_store_tbl_get(key, len)))
    return 0;
  if (!snap)
  {
    pa_store_defs_clear(t);
    t->defs_known= true;
    return 0;
  }
  pa_index_snap *d= (pa_index_snap *) my_realloc(
      key_memory_pa_state, t->defs, (t->n_defs + 1) * sizeof(*d),
      MYF(MY_ALLOW_ZERO_PTR));
  if (!d)
    return 0;
  t->defs= d;
  char **q= (char **) my_realloc(key_memory_pa_state, t->def_sql,
                                 (t->n_defs + 1) * sizeof(char *),
                                 MYF(MY_ALLOW_ZERO_PTR));
  if (!q)
    return 0;
  t->def_sql= q;
  t->defs[t->n_defs]= *snap;
  t->def_sql[t->n_defs]=
      *create_sql ? my_strdup(key_memory_pa_state, create_sql, MYF(0))
                  : NULL;
  t->n_defs++;
  return 0;
}

static int load_change(void *ctx, const pa_change *c)
{
  changes_ctx *cc= (changes_ctx *) ctx;
  pa_chg_rec *r= pa_store_chg_append();
  cc->last= r;
  if (!r)
    return 0;
  r->c= *c;
  pa_store_chg_set_undo(r, c->undo_sql);
  return 0;
}

static int load_digest(void *ctx, const pa_verify_digest *d)
{
  changes_ctx *cc= (changes_ctx *) ctx;
  pa_verify_digest *nd;
  if (!cc->last || !(nd= pa_store_chg_add_digest(cc->last)))
    return 0;
  *nd= *d;
  /* The server restarted: its digest sums began again from zero. */
  if (!cc->same_run)
    pa_verify_digest_restarted(nd);
  return 0;
}

static void load_changes()
{
  char path[FN_REFLEN];
  size_t len;
  char *buf;
  int64_t start= 0;
  uint64_t next_id= 1;
  changes_ctx cc= {false, NULL};
  pa_verify_sink sink= {load_def, load_change, load_digest, &cc};
  long n;

  usage_path(path, sizeof(path), ".changes");
  if (!(buf= read_whole(path, "the index change log", &len)))
    return;
  if (pa_verify_parse(buf, len, &start, &next_id, NULL) < 0)
  {
    set_aside(path, "the index change log");
    my_free(buf);
    return;
  }
  cc.same_run= start == (int64_t) server_start_time;
  mysql_mutex_lock(&LOCK_pa_state);
  n= pa_verify_parse(buf, len, &start, &next_id, &sink);
  pa_next_change_id= next_id;
  mysql_mutex_unlock(&LOCK_pa_state);
  my_free(buf);
  sql_print_information("perf_advisor: loaded %ld index change records "
                        "from %s",
                        n, path);
}

/* Append to a growing buffer. */
struct img
{
  char *buf;
  size_t len, cap;
  bool oom;
};

static void img_reserve(img *m, size_t more)
{
  if (m->oom || m->len + more + 1 <= m->cap)
    return;
  size_t cap= (m->cap ? m->cap * 2 : 65536);
  while (cap < m->len + more + 1)
    cap*= 2;
  char *n= (char *) my_realloc(key_memory_pa_state, m->buf, cap,
                               MYF(MY_ALLOW_ZERO_PTR));
  if (!n)
  {
    m->oom= true;
    return;
  }
  m->buf= n;
  m->cap= cap;
}

static void img_record(img *m, const char *s, const char *t, const char *i,
                       const pa_usage_entry *e)
{
  size_t need= pa_usage_format_record(NULL, 0, s, t, i, e);
  img_reserve(m, need);
  if (m->oom)
    return;
  pa_usage_format_record(m->buf + m->len, m->cap - m->len, s, t, i, e);
  m->len+= need;
}

/* Append what fmt writes: fmt(buf, size) returns the length it needs. */
template <typename F> static void img_put(img *m, F fmt)
{
  size_t need= fmt(NULL, 0);
  img_reserve(m, need);
  if (m->oom)
    return;
  fmt(m->buf + m->len, m->cap - m->len);
  m->len+= need;
}

/* The trailer of an image of `records` records. */
static void img_trailer(img *m, long records)
{
  if (m->oom)
    return;
  uint64_t h= pa_hash_bytes(PA_HASH_SEED, m->buf, m->len);
  img_put(m, [&](char *b, size_t n) {
    return pa_usage_format_trailer(b, n, (uint64_t) records, h);
  });
}

/* The change log and the definition snapshots; under LOCK_pa_state. */
static void changes_image(img *m)
{
  long records= 0;
  mysql_mutex_assert_owner(&LOCK_pa_state);
  img_put(m, [&](char *b, size_t n) {
    return pa_verify_format_header(b, n, (int64_t) server_start_time,
                                   pa_next_change_id);
  });
  for (ulong i= 0; i < pa_tables.records && !m->oom; i++)
  {
    const pa_tbl_rec *t=
        (const pa_tbl_rec *) my_hash_element(&pa_tables, i);
    const char *db= (const char *) t->key;
    const char *tb= db + strlen(db) + 1;
    if (!t->defs_known)
      continue;
    img_put(m, [&](char *b, size_t n) {
      return pa_verify_format_def(b, n, db, tb, NULL, NULL);
    });
    records++;
    for (uint k= 0; k < t->n_defs; k++, records++)
      img_put(m, [&](char *b, size_t n) {
        return pa_verify_format_def(b, n, db, tb, &t->defs[k],
                                    t->def_sql[k] ? t->def_sql[k] : "");
      });
  }
  for (size_t i= 0; i < pa_n_changes && !m->oom; i++)
  {
    const pa_chg_rec *c= &pa_changes[i];
    img_put(m, [&](char *b, size_t n) {
      return pa_verify_format_change(b, n, &c->c);
    });
    records++;
    for (uint k= 0; k < c->n_dig; k++, records++)
      img_put(m, [&](char *b, size_t n) {
        return pa_verify_format_digest(b, n, &c->dig[k]);
      });
  }
  img_trailer(m, records);
}

/*
  Write image m to the file at usage_path(suffix) atomically: a temporary
  file, fsync, rename, fsync of the directory.  A crash leaves the old or
  the new file, never a torn one (and a torn one would fail the checksum
  and be set aside).  false on failure (logged).
*/
static bool write_image(const char *suffix, const img *m)
{
  char path[FN_REFLEN], tmp[FN_REFLEN], tmp_suffix[32], dir[FN_REFLEN];
  size_t dir_len;
  File fd;

  strxnmov(tmp_suffix, sizeof(tmp_suffix) - 1, suffix, ".tmp", NullS);
  usage_path(path, sizeof(path), suffix);
  usage_path(tmp, sizeof(tmp), tmp_suffix);
  dirname_part(dir, path, &dir_len);
  fd= my_create(tmp, 0640, O_WRONLY | O_TRUNC, MYF(0));
  if (fd < 0 || my_write(fd, (uchar *) m->buf, m->len, MYF(MY_NABP)) ||
      my_sync(fd, MYF(0)) || my_close(fd, MYF(0)) ||
      my_rename(tmp, path, MYF(0)) || my_sync_dir(dir, MYF(0)))
  {
    sql_print_warning("perf_advisor: cannot write %s: errno %d", path,
                      my_errno);
    return false;
  }
  return true;
}

/* Write the store: the usage file, then the change log. */
long pa_persist_save()
{
  img m= {NULL, 0, 0, false}, ch= {NULL, 0, 0, false};
  long records= 0, idx_records= 0;

  mysql_mutex_lock(&LOCK_pa_save);
  img_reserve(&m, 64);
  if (!m.oom)
    m.len= pa_usage_format_header(m.buf, m.cap, (int64_t) server_start_time);
  mysql_mutex_lock(&LOCK_pa_state);
  for (ulong i= 0; i < pa_tables.records && !m.oom; i++)
  {
    const pa_tbl_rec *t=
        (const pa_tbl_rec *) my_hash_element(&pa_tables, i);
    const char *db= (const char *) t->key;
    const char *tb= db + strlen(db) + 1;
    if (t->has_entry)
    {
      img_record(&m, db, tb, "", &t->u);
      records++;
    }
    for (uint k= 0; k < t->n_idx; k++)
    {
      img_record(&m, db, tb, t->idx[k].name, &t->idx[k].u);
      records++;
      idx_records++;
    }
  }
  changes_image(&ch);
  mysql_mutex_unlock(&LOCK_pa_state);
  img_trailer(&m, records);
  if (m.oom || ch.oom)
  {
    sql_print_warning("perf_advisor: out of memory writing the usage store");
    my_free(m.buf);
    my_free(ch.buf);
    mysql_mutex_unlock(&LOCK_pa_save);
    return -1;
  }
  if (!write_image("", &m) || !write_image(".changes", &ch))
    idx_records= -1;
  my_free(m.buf);
  my_free(ch.buf);
  mysql_mutex_unlock(&LOCK_pa_save);
  return idx_records;
}

/* Forget tables that no longer exist (their definition file is gone). */
void pa_persist_prune()
{
  char path[FN_REFLEN];
  /* Collect keys first: file checks are I/O, not done under the lock. */
  mysql_mutex_lock(&LOCK_pa_state);
  ulong n= pa_tables.records;
  uchar **keys= (uchar **) my_malloc(key_memory_pa_state,
                                     (n ? n : 1) * sizeof(uchar *), MYF(0));
  for (ulong i= 0; keys && i < n; i++)
  {
    const pa_tbl_rec *t=
        (const pa_tbl_rec *) my_hash_element(&pa_tables, i);
    keys[i]= (uchar *) my_memdup(key_memory_pa_state, t->key, t->key_len,
                                 MYF(0));
  }
  mysql_mutex_unlock(&LOCK_pa_state);
  if (!keys)
    return;
  for (ulong i= 0; i < n; i++)
  {
    if (!keys[i])
      continue;
    const char *db= (const char *) keys[i];
    const char *tb= db + strlen(db) + 1;
    build_table_filename(path, sizeof(path) - 1, db, tb, reg_ext, 0);
    if (my_access(path, F_OK))
    {
      mysql_mutex_lock(&LOCK_pa_state);
      pa_tbl_rec *t= pa_store_tbl_find(keys[i], (uint) (strlen(db) + strlen(tb) + 2));
      if (t)
        my_hash_delete(&pa_tables, (uchar *) t);
      /* Its changes go with it: a table created again under the name
         starts a log of its own. */
      size_t kept= 0;
      for (size_t k= 0; k < pa_n_changes; k++)
      {
        if (!strcmp(pa_changes[k].c.schema, db) &&
            !strcmp(pa_changes[k].c.table, tb))
          pa_store_chg_free(&pa_changes[k]);
        else
          pa_changes[kept++]= pa_changes[k];
      }
      pa_n_changes= kept;
      mysql_mutex_unlock(&LOCK_pa_state);
    }
    my_free(keys[i]);
  }
  my_free(keys);
}

void pa_persist_load()
{
  load_usage();
  load_changes();
}
