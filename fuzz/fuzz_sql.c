/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  libFuzzer target for pa_sql (scripts/fuzz-sql.sh builds and runs it).

  The input is split at NUL bytes into names: the first is a schema, table
  and index name, the next ones (up to 8) are columns.  Every builder runs
  on them, and its output is parsed back here with code written
  independently of pa_sql.c:
  - quoted identifiers must unquote to exactly the input bytes, so nothing
    can break out of the quotes;
  - string literals must decode (quoted or hex form) to exactly the input,
    and the quoted form must hold no backslash or control character;
  - index names must match a reference built here, be at most 64
    characters of the Basic Multilingual Plane, never end with a space,
    and be the same on a second call.
  Everything runs twice: with a working allocator (nothing may be NULL that
  should not be) and with one that fails after a few allocations (NULL is
  then allowed, a wrong non-NULL result is not).
*/
#include "pa_sql.h"
#include "tests/pa_arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PARTS 9

/*
  Parses one backquoted identifier at *p: returns its unquoted bytes in
  out (of room 2 * len + 1) and advances *p past the closing backtick;
  -1 when *p is not a well-formed quoted identifier.
*/
static long unquote_ident(const char **p, char *out)
{
  const char *s= *p;
  long n= 0;
  if (*s != '`')
    return -1;
  for (s++;; s++)
  {
    if (*s == '\0')
      return -1;
    if (*s == '`')
    {
      if (s[1] != '`')
        break;
      s++;
    }
    out[n++]= *s;
  }
  out[n]= '\0';
  *p= s + 1;
  return n;
}

/* q must be exactly `name` */
static void check_ident(const char *q, const char *name, int must)
{
  char *buf;
  const char *p= q;
  size_t len= strlen(name);

  if (!q)
  {
    if (must && len > 0)
      abort();
    return;
  }
  if (len == 0 || strlen(q) > 2 * len + 2)
    abort();
  buf= malloc(strlen(q) + 1);
  if (!buf || unquote_ident(&p, buf) != (long) len || *p != '\0' ||
      memcmp(buf, name, len) != 0)
    abort();
  free(buf);
}

static int hexval(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* q must be a literal meaning exactly s in every sql_mode */
static void check_string(const char *q, const char *s, int must)
{
  static const char hexpre[]= "_utf8mb4 X'";
  size_t len= strlen(s), i, n= 0;
  char *buf;

  if (!q)
  {
    if (must)
      abort();
    return;
  }
  buf= malloc(strlen(q) + 1);
  if (!buf)
    abort();
  if (q[0] == '\'')
  {
    for (i= 1;; i++)
    {
      unsigned char c= (unsigned char) q[i];
      if (c == '\0' || c == '\\' || c < 0x20 || c == 0x7f)
        abort();
      if (c == '\'')
      {
        if (q[i + 1] != '\'')
          break;
        i++;
      }
      buf[n++]= (char) c;
    }
    if (q[i + 1] != '\0')
      abort();
  }
  else if (strncmp(q, hexpre, sizeof(hexpre) - 1) == 0)
  {
    const char *h= q + sizeof(hexpre) - 1;
    if (strlen(q) != sizeof(hexpre) - 1 + 2 * len + 1 || h[2 * len] != '\'')
      abort();
    for (i= 0; i < len; i++)
    {
      int hi= hexval(h[2 * i]), lo= hexval(h[2 * i + 1]);
      if (hi < 0 || lo < 0)
        abort();
      buf[n++]= (char) (hi * 16 + lo);
    }
  }
  else
    abort();
  if (n != len || memcmp(buf, s, len) != 0)
    abort();
  free(buf);
}

/*
  The reference index name, written without pa_sql.c's helpers: "idx",
  then "_" + scrub(part) per non-empty part, then every byte sequence that
  is not a UTF-8 character of the BMP replaced by '_'.  Returns the number
  of characters; out has room for all bytes of the parts plus separators.
*/
static size_t ref_name(const char *table, const char *const *cols, int n,
                       char *out)
{
  char *raw= out;
  size_t len= 0, chars= 0, i= 0, w= 0;
  int k;

  strcpy(raw, "idx");
  len= 3;
  if (strncmp(table, "tab", 3) == 0 && table[3])
    table+= 3;
  for (k= -1; k < n; k++)
  {
    const char *p= k < 0 ? table : cols[k];
    if (!*p)
      continue;
    raw[len++]= '_';
    for (; *p; p++)
    {
      char c= *p;
      /* spaces, hyphens and control characters become '_' */
      raw[len++]= c == ' ' || c == '-' || (unsigned char) c < 0x20 ||
                          c == 0x7f
                      ? '_'
                  : (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a')
                                           : c;
    }
  }
  raw[len]= '\0';
  /* sanitize: decode each sequence by its lead byte, check it strictly */
  while (i < len)
  {
    const unsigned char *u= (const unsigned char *) raw + i;
    size_t need= u[0] < 0x80             ? 1
                 : (u[0] & 0xe0) == 0xc0 ? 2
                 : (u[0] & 0xf0) == 0xe0 ? 3
                                         : 0;
    uint32_t cp= 0;
    size_t j;
    int ok= need > 0 && i + need <= len;
    if (ok)
    {
      cp= need == 1 ? u[0] : need == 2 ? (u[0] & 0x1fu) : (u[0] & 0x0fu);
      for (j= 1; j < need; j++)
      {
        if ((u[j] & 0xc0) != 0x80)
          ok= 0;
        cp= (cp << 6) | (u[j] & 0x3fu);
      }
      if ((need == 2 && cp < 0x80) || (need == 3 && cp < 0x800) ||
          (cp >= 0xd800 && cp <= 0xdfff))
        ok= 0;
    }
    if (!ok)
    {
      /* a valid 4-byte character is one '_'; anything else one per byte */
      if ((u[0] & 0xf8) == 0xf0 && u[0] <= 0xf4 && i + 4 <= len &&
          (u[1] & 0xc0) == 0x80 && (u[2] & 0xc0) == 0x80 &&
          (u[3] & 0xc0) == 0x80)
      {
        uint32_t c4= ((u[0] & 0x07u) << 18) | ((u[1] & 0x3fu) << 12) |
                     ((u[2] & 0x3fu) << 6) | (u[3] & 0x3fu);
        if (c4 >= 0x10000 && c4 <= 0x10ffff)
          i+= 3;
      }
      out[w++]= '_';
      i++;
    }
    else
    {
      memmove(out + w, raw + i, need);
      w+= need;
      i+= need;
    }
    chars++;
  }
  out[w]= '\0';
  return chars;
}

static void check_index_name(const char *got, const char *table,
                             const char *const *cols, int n, int must)
{
  size_t total= strlen(table) + 4, chars, i, cut, c;
  uint64_t h= 0xcbf29ce484222325ULL;
  char *ref, want[300];
  int k;

  if (!got)
  {
    if (must)
      abort();
    return;
  }
  for (k= 0; k < n; k++)
    total+= strlen(cols[k]) + 1;
  ref= malloc(total + 1);
  if (!ref)
    abort();
  chars= ref_name(table, cols, n, ref);
  if (chars <= PA_SQL_IDENT_CHARS)
  {
    if (strcmp(got, ref) != 0)
      abort();
  }
  else
  {
    for (i= 0; ref[i]; i++)
    {
      h^= (unsigned char) ref[i];
      h*= 0x100000001b3ULL;
    }
    /* cut: where the 56th character starts */
    for (cut= 0, c= 0; ref[cut]; cut++)
      if (((unsigned char) ref[cut] & 0xc0) != 0x80 && c++ == 55)
        break;
    snprintf(want, sizeof(want), "%.*s_%08lx", (int) cut, ref,
             (unsigned long) (h & 0xffffffffUL));
    if (strcmp(got, want) != 0)
      abort();
  }
  free(ref);
  /* the limits, checked on the output itself */
  for (i= 0, c= 0; got[i]; i++)
  {
    if ((unsigned char) got[i] >= 0xf0)
      abort();
    if (((unsigned char) got[i] & 0xc0) != 0x80)
      c++;
  }
  if (c == 0 || c > PA_SQL_IDENT_CHARS || i > 192 || got[i - 1] == ' ' ||
      strncmp(got, "idx", 3) != 0)
    abort();
}

static int is_primary(const char *s)
{
  static const char p[]= "primary";
  size_t i;
  for (i= 0; i < sizeof(p); i++)
  {
    char c= s[i] >= 'A' && s[i] <= 'Z' ? (char) (s[i] + 32) : s[i];
    if (c != p[i])
      return 0;
  }
  return 1;
}

static void run(const char *const *part, int n_parts, struct arena *ar)
{
  struct pa_alloc a= {arena_alloc, ar};
  int must= ar->fail_after < 0, k, n_cols= n_parts - 1;
  const char *name= part[0], *schema= n_parts > 1 ? part[1] : "";
  const char *const *cols= part + 1;
  struct pa_index_col ic[MAX_PARTS];
  char *s, *s2, *buf;
  const char *p;
  size_t len;

  check_ident(pa_sql_ident(&a, name), name, must);
  check_string(pa_sql_string(&a, name), name, must);

  /* `schema`.`table` or `table` */
  s= pa_sql_qualified(&a, schema, name);
  if (s)
  {
    len= strlen(s);
    buf= malloc(len + 1);
    if (!buf)
      abort();
    p= s;
    if (*schema)
    {
      if (unquote_ident(&p, buf) < 0 || strcmp(buf, schema) != 0 ||
          *p++ != '.')
        abort();
    }
    if (unquote_ident(&p, buf) < 0 || strcmp(buf, name) != 0 || *p)
      abort();
    free(buf);
  }
  else if (must && *name)
    abort();

  s= pa_sql_index_name(&a, name, cols, n_cols);
  check_index_name(s, name, cols, n_cols, must);
  s2= pa_sql_index_name(&a, name, cols, n_cols);
  if (s && s2 && strcmp(s, s2) != 0)
    abort();

  /* DDL: parse the pieces back */
  if (s && n_cols > 0)
  {
    int ok= 1;
    memset(ic, 0, sizeof(ic));
    for (k= 0; k < n_cols; k++)
    {
      len= strlen(cols[k]);
      if (len == 0 || len >= PA_IDENT_BYTES)
        ok= 0;
      else
        memcpy(ic[k].name, cols[k], len + 1);
      ic[k].prefix_len= (uint32_t) k;
      ic[k].desc= k & 1;
    }
    s2= pa_sql_create_index(&a, NULL, name, s, ic, n_cols, n_cols & 1);
    if (!s2)
    {
      if (must && ok && *name)
        abort();
    }
    else
    {
      static const char pre[]= "CREATE INDEX IF NOT EXISTS ";
      static const char upre[]= "CREATE UNIQUE INDEX IF NOT EXISTS ";
      if (!ok || !*name)
        abort();
      buf= malloc(strlen(s2) + 1);
      if (!buf)
        abort();
      p= s2 + ((n_cols & 1) ? sizeof(upre) : sizeof(pre)) - 1;
      if (strncmp(s2, (n_cols & 1) ? upre : pre, (size_t) (p - s2)) != 0 ||
          unquote_ident(&p, buf) < 0 || strcmp(buf, s) != 0 ||
          strncmp(p, " ON ", 4) != 0)
        abort();
      p+= 4;
      if (unquote_ident(&p, buf) < 0 || strcmp(buf, name) != 0 ||
          strncmp(p, " (", 2) != 0)
        abort();
      p+= 2;
      for (k= 0; k < n_cols; k++)
      {
        unsigned long pl= 0;
        if (k > 0 && strncmp(p, ", ", 2) == 0)
          p+= 2;
        else if (k > 0)
          abort();
        if (unquote_ident(&p, buf) < 0 || strcmp(buf, cols[k]) != 0)
          abort();
        if (*p == '(')
        {
          pl= strtoul(p + 1, (char **) &p, 10);
          if (*p++ != ')')
            abort();
        }
        if (pl != ic[k].prefix_len)
          abort();
        if (strncmp(p, " DESC", 5) == 0)
        {
          if (!ic[k].desc)
            abort();
          p+= 5;
        }
        else if (ic[k].desc)
          abort();
      }
      if (strcmp(p, ")") != 0)
        abort();
      free(buf);
    }
  }

  /* DROP never for the primary key */
  s= pa_sql_drop_index(&a, schema, name, name);
  if (s && (is_primary(name) || !*name))
    abort();
  if (!s && must && *name && !is_primary(name))
    abort();
  s= pa_sql_alter_index_ignored(&a, schema, name, name, n_parts & 1);
  if (!s && must && *name)
    abort();
  s= pa_sql_optimize_table(&a, schema, name);
  if (!s && must && *name)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *part[MAX_PARTS];
  char *copy= malloc(size + 1);
  struct arena ar;
  int n= 0;
  size_t i, start= 0;

  if (!copy)
    return 0;
  memcpy(copy, data, size);
  copy[size]= '\0';
  /* NUL-separated names; any past MAX_PARTS are ignored */
  for (i= 0; i <= size && n < MAX_PARTS; i++)
  {
    if (copy[i] == '\0')
    {
      part[n++]= copy + start;
      start= i + 1;
    }
  }
  if (n == 0)
    part[n++]= copy;

  memset(&ar, 0, sizeof(ar));
  ar.fail_after= -1;
  run(part, n, &ar);
  arena_free(&ar);
  ar.fail_after= (int) (size % 5);
  run(part, n, &ar);
  arena_free(&ar);
  free(copy);
  return 0;
}
