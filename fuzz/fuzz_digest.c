/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  libFuzzer target for the digest analyser (scripts/fuzz-digest.sh builds
  and runs it).  The input is handed over in a buffer of exactly its size,
  so AddressSanitizer catches any read past len; the result is then checked
  for internal consistency, since a wrong index would be read later by the
  advice rules.  The checks read a compact copy of the analysis
  (pa_digest_analysis_copy(), in a block of exactly its size, as a
  statement keeps them), after it is compared with the scratch's.
*/
#define _GNU_SOURCE /* memmem */
#include "pa_digest.h"
#include "pa_text.h"
#include "tests/pa_arena.h"
#include "tests/pa_digest_same.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A catalog in which a table has a column when the low bits of both
   names' hashes agree, and tables of an odd index are unknown in a
   SELECT * statement: every answer occurs. */
static int fuzz_has(void *ctx, int k, const char *name)
{
  const struct pa_digest_analysis *a= (const struct pa_digest_analysis *) ctx;
  if (k < 0 || k >= a->n_tables || !name || !name[0])
    abort();
  if ((k & 1) && (a->flags & PA_DIGEST_F_SELECT_STAR))
    return -1;
  return ((pa_hash_str(PA_HASH_SEED, a->tables[k].name) ^
           pa_hash_str(PA_HASH_SEED, name)) & 3) == 0;
}

/* Whether identifier s is a string of at most PA_IDENT_BYTES - 1 bytes
   (its NUL inside PA_IDENT_BYTES). */
static int fuzz_ident(const char *s)
{
  size_t i;
  if (!s)
    return 0;
  for (i= 0; i < PA_IDENT_BYTES; i++)
    if (!s[i])
      return 1;
  return 0;
}

/* Whether copy c holds exactly what analysis an does, in identifiers of
   its own. */
static int fuzz_same(const struct pa_digest_analysis *c,
                     const struct pa_digest_analysis *an)
{
  int i;
  if (!pa_digest_same(c, an))
    return 0;
  for (i= 0; i < an->n_tables; i++)
    if (c->tables[i].name == an->tables[i].name)
      return 0;
  for (i= 0; i < an->n_columns; i++)
    if (c->columns[i].name == an->columns[i].name)
      return 0;
  for (i= 0; i < an->n_hints; i++)
    if (c->hints[i].index == an->hints[i].index)
      return 0;
  return 1;
}

/* Scratch and copy, reused for every input (the scratch is ~35 KB). */
static struct pa_digest_scratch sc;
static struct arena ar= PA_TEST_ARENA_INIT;

static int check(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  int rc= check(data, size);
  arena_free(&ar);
  return rc;
}

static int check(const uint8_t *data, size_t size)
{
  const struct pa_alloc al= {arena_alloc, &ar};
  struct pa_digest_analysis *cp;
  struct pa_digest_analysis a;
  int i, k;

  if (pa_digest_analyze((const char *) data, size, &sc) != 0)
    abort();
  if (sc.an.n_tables < 0 || sc.an.n_tables > PA_DIGEST_MAX_TABLES ||
      sc.an.n_columns < 0 || sc.an.n_columns > PA_DIGEST_MAX_COLUMNS ||
      sc.an.n_hints < 0 || sc.an.n_hints > PA_DIGEST_MAX_HINTS)
    abort();
  for (i= 0; i < sc.an.n_tables; i++)
    if (!fuzz_ident(sc.an.tables[i].schema) ||
        !fuzz_ident(sc.an.tables[i].name) ||
        !fuzz_ident(sc.an.tables[i].alias))
      abort();
  for (i= 0; i < sc.an.n_columns; i++)
    if (!fuzz_ident(sc.an.columns[i].name))
      abort();
  for (i= 0; i < sc.an.n_hints; i++)
    if (!fuzz_ident(sc.an.hints[i].index))
      abort();
  if (!(cp= pa_digest_analysis_copy(&sc.an, &al)) || !fuzz_same(cp, &sc.an) ||
      ar.n != 1 || cp->tables == sc.tables || cp->columns == sc.columns ||
      cp->hints == sc.hints)
    abort();
  /* the checks below read the copy (a holds its fields; its arrays are
     the copy's, on ar) */
  a= *cp;
  if (a.kind < PA_STMT_OTHER || a.kind > PA_STMT_DELETE)
    abort();
  if (a.n_tables < 0 || a.n_tables > PA_DIGEST_MAX_TABLES || a.n_columns < 0 ||
      a.n_columns > PA_DIGEST_MAX_COLUMNS || a.n_joins < 0 || a.n_hints < 0 ||
      a.n_hints > PA_DIGEST_MAX_HINTS)
    abort();
  if (a.n_hints > 0 && !(a.flags & PA_DIGEST_F_INDEX_HINT))
    abort();
  for (i= 0; i < a.n_tables; i++)
  {
    const struct pa_digest_table *t= &a.tables[i];
    /* names are NUL-terminated within PA_IDENT_BYTES (checked in the
       scratch above; a copy keeps them exactly) */
    if (strlen(t->schema) >= PA_IDENT_BYTES ||
        strlen(t->name) >= PA_IDENT_BYTES ||
        strlen(t->alias) >= PA_IDENT_BYTES || t->name[0] == '\0')
      abort();
    /* a recorded table is found again by its own name */
    if (pa_digest_find_table(&a, t->schema, t->name) < 0 ||
        pa_digest_find_table(&a, NULL, t->name) < 0)
      abort();
    if (t->alias[0] && pa_digest_find_table(&a, NULL, t->alias) < 0)
      abort();
  }
  for (i= 0; i < a.n_columns; i++)
  {
    const struct pa_digest_column *c= &a.columns[i];
    if (c->table < -1 || c->table >= a.n_tables ||
        strlen(c->name) >= PA_IDENT_BYTES || c->name[0] == '\0' ||
        c->use < PA_USE_EQ || c->use > PA_USE_LIKE_UNKNOWN || c->ordinal < 0 ||
        (c->desc != 0 && c->desc != 1) || (c->in_or != 0 && c->in_or != 1))
      abort();
    /* only uses an index prefix could rely on are ever under an OR */
    if (c->in_or && (c->use == PA_USE_ORDER || c->use == PA_USE_GROUP ||
                     c->use == PA_USE_FUNC ||
                     c->use == PA_USE_LIKE_LEADING_WILDCARD))
      abort();
    /* no statement without OR, XOR or || marks anything */
    if (c->in_or && !memchr(data, '|', size) &&
        !memmem(data, size, "OR", 2) && !memmem(data, size, "or", 2) &&
        !memmem(data, size, "Or", 2) && !memmem(data, size, "oR", 2))
      abort();
  }
  /* resolving keeps every column's table in range, and leaves the
     qualified and the already resolved ones alone */
  {
    int before[PA_DIGEST_MAX_COLUMNS], n;
    for (i= 0; i < a.n_columns; i++)
      before[i]= a.columns[i].table;
    n= pa_digest_resolve_unqualified(&a, fuzz_has, &a);
    if (n < 0 || n > a.n_columns)
      abort();
    for (i= 0; i < a.n_columns; i++)
      if (a.columns[i].table != before[i] &&
          (before[i] != -1 || a.columns[i].qualified ||
           a.columns[i].table < 0 || a.columns[i].table >= a.n_tables))
        abort();
  }
  for (i= 0; i < a.n_hints; i++)
  {
    const struct pa_digest_hint *h= &a.hints[i];
    /* a hint always belongs to a recorded table and names something */
    if (h->table < 0 || h->table >= a.n_tables ||
        strlen(h->index) >= PA_IDENT_BYTES || h->index[0] == '\0' ||
        h->kind < PA_HINT_USE || h->kind > PA_HINT_IGNORE)
      abort();
    /* one entry per (table, kind, name ignoring ASCII case) */
    for (k= 0; k < i; k++)
      if (a.hints[k].table == h->table && a.hints[k].kind == h->kind &&
          pa_ascii_ieq(a.hints[k].index, h->index))
        abort();
  }
  /* the input itself as a name: any bytes, not NUL-terminated in data */
  if (size < 300)
  {
    char name[301];
    memcpy(name, data, size);
    name[size]= '\0';
    (void) pa_digest_find_table(&a, name, name);
    (void) pa_digest_find_table(&a, NULL, name);
  }
  return 0;
}
