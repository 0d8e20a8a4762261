/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: SQL text for MariaDB 10.11.  See pa_sql.h.

  All text is built in a pa_buf on the caller's allocator; a failed
  allocation makes pa_buf_str() return NULL, which every builder passes on.
*/
#include "pa_sql.h"
#include "pa_text.h"

#include <string.h>

/* Characters kept before the hash suffix: 55 + '_' + 8 hex digits = 64. */
#define NAME_HASH_DIGITS 8
#define NAME_CUT_CHARS (PA_SQL_IDENT_CHARS - 1 - NAME_HASH_DIGITS)

/*
  Length in bytes of the well-formed UTF-8 character at p (1 .. 4), or 0
  when p does not start one: a stray continuation byte, a truncated
  sequence, an overlong form, a surrogate or a code point past U+10FFFF.
  p is NUL-terminated, and NUL is never a continuation byte, so reading
  stops there.  *cp receives the code point.
*/
static int utf8_char(const unsigned char *p, uint32_t *cp)
{
  uint32_t c;
  int n, i;

  if (p[0] < 0x80)
  {
    *cp= p[0];
    return 1;
  }
  if (p[0] >= 0xc2 && p[0] <= 0xdf)
  {
    n= 2;
    c= p[0] & 0x1f;
  }
  else if (p[0] >= 0xe0 && p[0] <= 0xef)
  {
    n= 3;
    c= p[0] & 0x0f;
  }
  else if (p[0] >= 0xf0 && p[0] <= 0xf4)
  {
    n= 4;
    c= p[0] & 0x07;
  }
  else
    return 0;
  for (i= 1; i < n; i++)
  {
    if ((p[i] & 0xc0) != 0x80)
      return 0;
    c= (c << 6) | (p[i] & 0x3f);
  }
  if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
      (c >= 0xd800 && c <= 0xdfff))
    return 0;
  *cp= c;
  return n;
}

/* Appends `name` with backticks doubled; 0 for an empty name. */
static int put_ident(struct pa_buf *b, const char *name)
{
  const char *p, *start;

  if (!name || !*name)
    return 0;
  pa_buf_append(b, "`", 1);
  for (start= p= name; *p; p++)
  {
    if (*p == '`')
    {
      /* the backtick itself, then its double */
      pa_buf_append(b, start, (size_t) (p - start) + 1);
      start= p;
    }
  }
  pa_buf_append(b, start, (size_t) (p - start));
  pa_buf_append(b, "`", 1);
  return 1;
}

static int put_qualified(struct pa_buf *b, const char *schema,
                         const char *table)
{
  if (!table || !*table)
    return 0;
  if (schema && *schema)
  {
    put_ident(b, schema);
    pa_buf_append(b, ".", 1);
  }
  return put_ident(b, table);
}

char *pa_sql_ident(const struct pa_alloc *a, const char *name)
{
  struct pa_buf b;
  if (!a)
    return NULL;
  pa_buf_init(&b, a);
  if (!put_ident(&b, name))
    return NULL;
  return pa_buf_str(&b);
}

char *pa_sql_qualified(const struct pa_alloc *a, const char *schema,
                       const char *table)
{
  struct pa_buf b;
  if (!a)
    return NULL;
  pa_buf_init(&b, a);
  if (!put_qualified(&b, schema, table))
    return NULL;
  return pa_buf_str(&b);
}

/* Whether s can be written as '...' with only '' doubling (pa_sql.h). */
static int plain_literal_ok(const char *s)
{
  const unsigned char *p= (const unsigned char *) s;
  uint32_t cp;
  int n;

  while (*p)
  {
    if (*p == '\\' || *p < 0x20 || *p == 0x7f)
      return 0;
    if (!(n= utf8_char(p, &cp)))
      return 0;
    p+= n;
  }
  return 1;
}

char *pa_sql_string(const struct pa_alloc *a, const char *s)
{
  static const char hex[]= "0123456789ABCDEF";
  struct pa_buf b;
  const char *p, *start;

  if (!a || !s)
    return NULL;
  pa_buf_init(&b, a);
  if (plain_literal_ok(s))
  {
    pa_buf_append(&b, "'", 1);
    for (start= p= s; *p; p++)
    {
      if (*p == '\'')
      {
        pa_buf_append(&b, start, (size_t) (p - start) + 1);
        start= p;
      }
    }
    pa_buf_append(&b, start, (size_t) (p - start));
    pa_buf_append(&b, "'", 1);
  }
  else
  {
    pa_buf_puts(&b, "_utf8mb4 X'");
    for (p= s; *p; p++)
    {
      char h[2];
      h[0]= hex[(unsigned char) *p >> 4];
      h[1]= hex[(unsigned char) *p & 0x0f];
      pa_buf_append(&b, h, 2);
    }
    pa_buf_append(&b, "'", 1);
  }
  return pa_buf_str(&b);
}

char *pa_sql_create_index(const struct pa_alloc *a, const char *schema,
                          const char *table, const char *index,
                          const struct pa_index_col *cols, int n_cols,
                          int unique)
{
  struct pa_buf b;
  int i;

  if (!a || !cols || n_cols < 1 || n_cols > PA_INDEX_MAX_COLS)
    return NULL;
  pa_buf_init(&b, a);
  pa_buf_puts(&b, unique ? "CREATE UNIQUE INDEX IF NOT EXISTS "
                         : "CREATE INDEX IF NOT EXISTS ");
  if (!put_ident(&b, index))
    return NULL;
  pa_buf_puts(&b, " ON ");
  if (!put_qualified(&b, schema, table))
    return NULL;
  pa_buf_puts(&b, " (");
  for (i= 0; i < n_cols; i++)
  {
    if (i > 0)
      pa_buf_puts(&b, ", ");
    if (!put_ident(&b, cols[i].name))
      return NULL;
    if (cols[i].prefix_len)
      pa_buf_printf(&b, "(%lu)", (unsigned long) cols[i].prefix_len);
    if (cols[i].desc)
      pa_buf_puts(&b, " DESC");
  }
  pa_buf_puts(&b, ")");
  return pa_buf_str(&b);
}

/* "ALTER TABLE `s`.`t` " into b; 0 when the table name is missing. */
static int put_alter_table(struct pa_buf *b, const char *schema,
                           const char *table)
{
  pa_buf_puts(b, "ALTER TABLE ");
  if (!put_qualified(b, schema, table))
    return 0;
  pa_buf_puts(b, " ");
  return 1;
}

/*
  "ALTER TABLE `schema`.`table` <verb> `i0`<suffix>, <verb> `i1`<suffix>..."
  over the n names of indexes; NULL on a bad argument, a missing name,
  PRIMARY when no_primary, or out of memory.
*/
static char *alter_each_index(const struct pa_alloc *a, const char *schema,
                              const char *table, const char *const *indexes,
                              int n, const char *verb, const char *suffix,
                              int no_primary)
{
  struct pa_buf b;
  int i;

  if (!a || !indexes || n < 1 || n > PA_TABLE_MAX_INDEXES)
    return NULL;
  pa_buf_init(&b, a);
  if (!put_alter_table(&b, schema, table))
    return NULL;
  for (i= 0; i < n; i++)
  {
    if (no_primary && indexes[i] && pa_ascii_ieq(indexes[i], "PRIMARY"))
      return NULL;
    if (i)
      pa_buf_puts(&b, ", ");
    pa_buf_puts(&b, verb);
    if (!put_ident(&b, indexes[i]))
      return NULL;
    pa_buf_puts(&b, suffix);
  }
  return pa_buf_str(&b);
}

char *pa_sql_alter_indexes_ignored(const struct pa_alloc *a,
                                   const char *schema, const char *table,
                                   const char *const *indexes, int n,
                                   int ignored)
{
  return alter_each_index(a, schema, table, indexes, n, "ALTER INDEX ",
                          ignored ? " IGNORED" : " NOT IGNORED", 0);
}

char *pa_sql_alter_index_ignored(const struct pa_alloc *a, const char *schema,
                                 const char *table, const char *index,
                                 int ignored)
{
  return pa_sql_alter_indexes_ignored(a, schema, table, &index, 1, ignored);
}

char *pa_sql_drop_indexes(const struct pa_alloc *a, const char *schema,
                          const char *table, const char *const *indexes,
                          int n)
{
  return alter_each_index(a, schema, table, indexes, n, "DROP INDEX ", "",
                          1);
}

char *pa_sql_drop_index(const struct pa_alloc *a, const char *schema,
                        const char *table, const char *index)
{
  return pa_sql_drop_indexes(a, schema, table, &index, 1);
}

char *pa_sql_optimize_table(const struct pa_alloc *a, const char *schema,
                            const char *table)
{
  struct pa_buf b;
  if (!a)
    return NULL;
  pa_buf_init(&b, a);
  pa_buf_puts(&b, "OPTIMIZE TABLE ");
  if (!put_qualified(&b, schema, table))
    return NULL;
  return pa_buf_str(&b);
}

/* "_" + scrub(part) into b; nothing for an empty part. */
static void put_name_part(struct pa_buf *b, const char *part, size_t len)
{
  size_t i;
  if (!len)
    return;
  pa_buf_append(b, "_", 1);
  for (i= 0; i < len; i++)
  {
    char c= part[i];
    /* Frappe's scrub: spaces and hyphens; control characters (a newline in
       a table name) would make a legal but unreadable index name. */
    if (c == ' ' || c == '-' || ((unsigned char) c < 0x20) || c == 0x7f)
      c= '_';
    else
      c= (char) pa_ascii_lower((unsigned char) c);
    pa_buf_append(b, &c, 1);
  }
}

/*
  Rewrites s in place so every character is one MariaDB accepts in an
  identifier: invalid UTF-8 bytes and supplementary characters become '_'.
  Returns the length in characters.  The text only shrinks.
*/
static size_t sanitize_ident(char *s)
{
  unsigned char *r= (unsigned char *) s, *w= (unsigned char *) s;
  size_t chars= 0;
  uint32_t cp;
  int n;

  while (*r)
  {
    n= utf8_char(r, &cp);
    if (n == 0 || cp > 0xffff)
    {
      *w++= '_';
      r+= n ? n : 1;
    }
    else
    {
      memmove(w, r, (size_t) n);
      w+= n;
      r+= n;
    }
    chars++;
  }
  *w= '\0';
  return chars;
}

char *pa_sql_index_name(const struct pa_alloc *a, const char *table,
                        const char *const *cols, int n_cols)
{
  struct pa_buf b;
  char *name;
  size_t len, chars, cut;
  uint64_t h;
  int k;

  if (!a || n_cols < 0 || (n_cols > 0 && !cols))
    return NULL;
  if (!table)
    table= "";
  /* Frappe's "tab" + DocType: the DocType names the index */
  if (strncmp(table, "tab", 3) == 0 && table[3])
    table+= 3;

  pa_buf_init(&b, a);
  pa_buf_puts(&b, "idx");
  put_name_part(&b, table, strlen(table));
  for (k= 0; k < n_cols; k++)
    if (cols[k])
      put_name_part(&b, cols[k], strlen(cols[k]));
  if (!(name= pa_buf_str(&b)))
    return NULL;

  chars= sanitize_ident(name);
  len= strlen(name);
  /* MariaDB rejects a name that ends with a space */
  while (len > 0 && name[len - 1] == ' ')
  {
    name[--len]= '\0';
    chars--;
  }
  if (len == 0)
    return pa_strdup(a, "idx");
  if (chars <= PA_SQL_IDENT_CHARS)
    return name;

  h= pa_hash_bytes(PA_HASH_SEED, name, len);
  /* byte offset of the first character past NAME_CUT_CHARS; all valid */
  for (cut= 0, chars= 0; chars < NAME_CUT_CHARS; chars++)
  {
    uint32_t cp;
    cut+= (size_t) utf8_char((const unsigned char *) name + cut, &cp);
  }
  pa_buf_init(&b, a);
  pa_buf_append(&b, name, cut);
  pa_buf_printf(&b, "_%08lx", (unsigned long) (h & 0xffffffffUL));
  return pa_buf_str(&b);
}
