/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of pa_index: the duplicate, left_prefix and pk_suffix rules
  case by case (prefix lengths, DESC, index types, ignored indexes, engine
  kind), the blockers (PRIMARY, UNIQUE, foreign keys, hints, covering), the
  text helpers with tiny buffers, argument checks, a worst-size table and
  the definition fingerprint.
*/
#include "pa_index.h"
#include "pa_test.h"

#include <time.h>

#define PRI 1 /* PRIMARY KEY (and unique) */
#define UNI 2 /* UNIQUE */
#define IGN 4 /* IGNORED */

/* About 1.1 MB each: static, not on the stack. */
static struct pa_table_def T;
static struct pa_index_verdict V[PA_TABLE_MAX_INDEXES];

static void reset(int clustered_pk)
{
  memset(&T, 0, sizeof(T));
  T.clustered_pk= clustered_pk;
}

/* Copy at most PA_IDENT_BYTES - 1 bytes of s[0..n) as a name. */
static void set_name(char *dst, const char *s, size_t n)
{
  if (n >= PA_IDENT_BYTES)
    n= PA_IDENT_BYTES - 1;
  memcpy(dst, s, n);
  dst[n]= '\0';
}

/*
  Parse "a,b DESC,s(10)" into key parts.  Returns the number of parts.
*/
static int parse_cols(const char *spec, struct pa_index_col *cols)
{
  int n= 0;
  const char *p= spec;

  while (*p && n < PA_INDEX_MAX_COLS)
  {
    const char *start= p;
    struct pa_index_col *c= &cols[n++];
    while (*p && *p != ',' && *p != '(' && *p != ' ')
      p++;
    set_name(c->name, start, (size_t) (p - start));
    c->prefix_len= 0;
    c->desc= 0;
    if (*p == '(')
    {
      for (p++; *p >= '0' && *p <= '9'; p++)
        c->prefix_len= c->prefix_len * 10 + (uint32_t) (*p - '0');
      p++; /* ')' */
    }
    if (!strncmp(p, " DESC", 5))
    {
      c->desc= 1;
      p+= 5;
    }
    if (*p == ',')
      p++;
  }
  return n;
}

/* Append an index; returns its position. */
static int add(const char *name, enum pa_index_type type, int flags,
               const char *cols)
{
  struct pa_index_def *x= &T.indexes[T.n_indexes];
  set_name(x->name, name, strlen(name));
  x->type= type;
  x->is_primary= (flags & PRI) != 0;
  x->is_unique= (flags & (PRI | UNI)) != 0;
  x->is_ignored= (flags & IGN) != 0;
  x->n_cols= parse_cols(cols, x->cols);
  return T.n_indexes++;
}

static int key(const char *name, int flags, const char *cols)
{
  return add(name, PA_IDX_BTREE, flags, cols);
}

static int add_fk(const char *name, const char *cols)
{
  struct pa_fk_def *f= &T.fks[T.n_fks];
  struct pa_index_col tmp[PA_INDEX_MAX_COLS];
  int k;

  set_name(f->name, name, strlen(name));
  f->n_cols= parse_cols(cols, tmp);
  for (k= 0; k < f->n_cols; k++)
    memcpy(f->cols[k], tmp[k].name, PA_IDENT_BYTES);
  return T.n_fks++;
}

static int run(void) { return pa_index_analyze(&T, NULL, V); }

/* Macros, so that a failure reports the line of the case. */
#define EXPECT(i, red, with)                                                  \
  do                                                                          \
  {                                                                           \
    CHECK(V[i].redundancy == (red));                                          \
    CHECK(V[i].redundant_with == (with));                                     \
  } while (0)
#define NONE(i) EXPECT(i, PA_RED_NONE, -1)
#define SAFE(i) CHECK(pa_index_drop_safe(&V[i]))
#define UNSAFE(i) CHECK(!pa_index_drop_safe(&V[i]))
#define BLOCKERS(i, b) CHECK(V[i].blockers == (b))

/* Rule 2. */
static void test_duplicate(void)
{
  /* KEY(a) twice: the later one; case of names does not matter */
  reset(1);
  key("k1", 0, "a");
  key("k2", 0, "A");
  CHECK(run() == 0);
  NONE(0);
  EXPECT(1, PA_RED_DUPLICATE, 0);
  BLOCKERS(0, PA_BLOCK_COVERING);
  CHECK(V[0].covers == 1);
  UNSAFE(0);
  SAFE(1);
  BLOCKERS(1, 0);
  CHECK(V[1].covers == -1);
  CHECK(V[1].fk == -1);

  /* KEY(a) + UNIQUE(a): the KEY, in either order */
  reset(1);
  key("k", 0, "a");
  key("u", UNI, "a");
  CHECK(run() == 0);
  EXPECT(0, PA_RED_DUPLICATE, 1);
  NONE(1);
  SAFE(0);
  BLOCKERS(1, PA_BLOCK_UNIQUE | PA_BLOCK_COVERING);
  reset(1);
  key("u", UNI, "a");
  key("k", 0, "a");
  CHECK(run() == 0);
  NONE(0);
  EXPECT(1, PA_RED_DUPLICATE, 0);

  /* UNIQUE(a) twice: the later one, still blocked by its constraint */
  reset(1);
  key("u1", UNI, "a");
  key("u2", UNI, "a");
  CHECK(run() == 0);
  NONE(0);
  EXPECT(1, PA_RED_DUPLICATE, 0);
  BLOCKERS(1, PA_BLOCK_UNIQUE);
  UNSAFE(1);

  /* three copies: 2nd and 3rd against the 1st */
  reset(1);
  key("k1", 0, "a,b");
  key("k2", 0, "a,b");
  key("k3", 0, "a,b");
  CHECK(run() == 0);
  NONE(0);
  EXPECT(1, PA_RED_DUPLICATE, 0);
  EXPECT(2, PA_RED_DUPLICATE, 0);
  CHECK(V[0].covers == 1);
  SAFE(1);
  SAFE(2);

  /* three copies, the unique one in the middle keeps */
  reset(1);
  key("k1", 0, "a");
  key("u", UNI, "a");
  key("k3", 0, "a");
  CHECK(run() == 0);
  EXPECT(0, PA_RED_DUPLICATE, 1);
  NONE(1);
  EXPECT(2, PA_RED_DUPLICATE, 1);

  /* PRIMARY(a) + KEY(a): the KEY; PRIMARY never, wherever it is */
  reset(1);
  key("PRIMARY", PRI, "a");
  key("k", 0, "a");
  CHECK(run() == 0);
  NONE(0);
  EXPECT(1, PA_RED_DUPLICATE, 0);
  BLOCKERS(0, PA_BLOCK_PRIMARY | PA_BLOCK_UNIQUE | PA_BLOCK_COVERING);
  reset(0);
  key("k", 0, "a");
  key("u", UNI, "a");
  key("PRIMARY", PRI, "a");
  CHECK(run() == 0);
  EXPECT(0, PA_RED_DUPLICATE, 2);
  EXPECT(1, PA_RED_DUPLICATE, 2);
  NONE(2);
  UNSAFE(1);

  /* same parts with prefixes */
  reset(1);
  key("k1", 0, "s(10),t");
  key("k2", 0, "s(10),t");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_DUPLICATE, 0);

  /* different prefix, DESC or type: not duplicates */
  reset(1);
  key("k1", 0, "s(10)");
  key("k2", 0, "s(11)");
  key("k3", 0, "t");
  key("k4", 0, "t DESC");
  add("h", PA_IDX_HASH, 0, "t");
  CHECK(run() == 0);
  EXPECT(0, PA_RED_LEFT_PREFIX, 1);
  NONE(1);
  NONE(2);
  NONE(3);
  NONE(4);
}

/* Rule 1 for ignored indexes, and rule 2 with them. */
static void test_ignored(void)
{
  /* an ignored index never covers */
  reset(1);
  key("k1", 0, "a");
  key("k2", IGN, "a,b");
  CHECK(run() == 0);
  NONE(0);
  NONE(1);
  SAFE(0);
  SAFE(1);

  /* but it can be redundant */
  reset(1);
  key("k1", IGN, "a");
  key("k2", 0, "a,b");
  CHECK(run() == 0);
  EXPECT(0, PA_RED_LEFT_PREFIX, 1);
  NONE(1);
  BLOCKERS(1, PA_BLOCK_COVERING);

  /* duplicates: the copy the optimizer uses keeps, whatever the order */
  reset(1);
  key("k1", IGN, "a");
  key("k2", 0, "a");
  CHECK(run() == 0);
  EXPECT(0, PA_RED_DUPLICATE, 1);
  NONE(1);

  /* even over a unique copy: it is reported, and keeps its constraint */
  reset(1);
  key("u", UNI | IGN, "a");
  key("k", 0, "a");
  CHECK(run() == 0);
  EXPECT(0, PA_RED_DUPLICATE, 1);
  NONE(1);
  UNSAFE(0);

  /* all copies ignored: nothing can cover, nothing reported */
  reset(1);
  key("k1", IGN, "a");
  key("k2", IGN, "a");
  CHECK(run() == 0);
  NONE(0);
  NONE(1);
}

/* Rule 3. */
static void test_left_prefix(void)
{
  reset(1);
  key("k1", 0, "a");
  key("k2", 0, "a,b");
  CHECK(run() == 0);
  EXPECT(0, PA_RED_LEFT_PREFIX, 1);
  NONE(1);
  SAFE(0);
  UNSAFE(1);

  /* the shortest covering index; chains are reported link by link */
  reset(1);
  key("ab", 0, "a,b");
  key("abc", 0, "a,b,c");
  key("a", 0, "a");
  CHECK(run() == 0);
  EXPECT(0, PA_RED_LEFT_PREFIX, 1);
  NONE(1);
  EXPECT(2, PA_RED_LEFT_PREFIX, 0);
  UNSAFE(0); /* covers a */
  UNSAFE(1);
  SAFE(2);

  /* shortest, then earliest */
  reset(1);
  key("abc", 0, "a,b,c");
  key("ax", 0, "a,x");
  key("ay", 0, "a,y");
  key("a", 0, "a");
  CHECK(run() == 0);
  EXPECT(3, PA_RED_LEFT_PREFIX, 1);
  NONE(2);

  /* PRIMARY(a,b) + UNIQUE(a): reported, blocked, nothing drop-safe */
  reset(1);
  key("PRIMARY", PRI, "a,b");
  key("u", UNI, "a");
  CHECK(run() == 0);
  NONE(0);
  EXPECT(1, PA_RED_LEFT_PREFIX, 0);
  BLOCKERS(1, PA_BLOCK_UNIQUE);
  UNSAFE(0);
  UNSAFE(1);

  /* a PRIMARY is never reported, even as a prefix of a wider index */
  reset(0);
  key("PRIMARY", PRI, "a");
  key("k", 0, "a,b");
  CHECK(run() == 0);
  NONE(0);
  NONE(1);
}

/* Rule 3, prefix key parts. */
static void test_prefix(void)
{
  /* pt-duplicate-key-checker's bug: KEY(s) is not redundant to s(10) */
  reset(1);
  key("s10", 0, "s(10)");
  key("s", 0, "s");
  CHECK(run() == 0);
  EXPECT(0, PA_RED_LEFT_PREFIX, 1);
  NONE(1);
  reset(1);
  key("s", 0, "s");
  key("s10", 0, "s(10)");
  CHECK(run() == 0);
  NONE(0);
  EXPECT(1, PA_RED_LEFT_PREFIX, 0);

  /* a longer prefix covers a shorter one, not the reverse */
  reset(1);
  key("s10", 0, "s(10)");
  key("s20", 0, "s(20)");
  CHECK(run() == 0);
  EXPECT(0, PA_RED_LEFT_PREFIX, 1);
  NONE(1);
  reset(1);
  key("s20", 0, "s(20)");
  key("s10", 0, "s(10)");
  CHECK(run() == 0);
  NONE(0);
  EXPECT(1, PA_RED_LEFT_PREFIX, 0);

  /* only the last part may differ */
  reset(1);
  key("s10t", 0, "s(10),t");
  key("st", 0, "s,t");
  CHECK(run() == 0);
  NONE(0);
  NONE(1);

  /* a prefix last part of a shorter index: covered by a whole column or a
     longer prefix in the wider one, not by a shorter prefix */
  reset(1);
  key("s10", 0, "s(10)");
  key("st", 0, "s,t");
  key("s5t", 0, "s(5),t");
  key("s", 0, "s");
  CHECK(run() == 0);
  EXPECT(0, PA_RED_LEFT_PREFIX, 3);
  NONE(1);
  NONE(2);
  EXPECT(3, PA_RED_LEFT_PREFIX, 1);

  /* same prefix twice: rule 2 */
  reset(1);
  key("a", 0, "s(10)");
  key("b", 0, "s(10)");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_DUPLICATE, 0);
}

/* Rule 3, DESC key parts. */
static void test_desc(void)
{
  /* sys.schema_redundant_indexes' bug */
  reset(1);
  key("k1", 0, "a,b DESC");
  key("k2", 0, "a,b");
  CHECK(run() == 0);
  NONE(0);
  NONE(1);

  reset(1);
  key("k1", 0, "a DESC");
  key("k2", 0, "a DESC,b");
  CHECK(run() == 0);
  EXPECT(0, PA_RED_LEFT_PREFIX, 1);

  reset(1);
  key("k1", 0, "a");
  key("k2", 0, "a DESC,b");
  CHECK(run() == 0);
  NONE(0);
  NONE(1);
}

/* Rules 2 and 3 by index type. */
static void test_types(void)
{
  reset(1);
  add("ft", PA_IDX_FULLTEXT, 0, "a");
  key("k", 0, "a");
  CHECK(run() == 0);
  NONE(0);
  NONE(1);

  reset(1);
  add("ft1", PA_IDX_FULLTEXT, 0, "a");
  add("ft2", PA_IDX_FULLTEXT, 0, "a");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_DUPLICATE, 0);

  reset(1);
  add("ft1", PA_IDX_FULLTEXT, 0, "a");
  add("ft2", PA_IDX_FULLTEXT, 0, "a,b");
  CHECK(run() == 0);
  NONE(0);
  NONE(1);

  reset(1);
  add("sp1", PA_IDX_SPATIAL, 0, "g");
  add("sp2", PA_IDX_SPATIAL, 0, "g");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_DUPLICATE, 0);

  reset(0);
  add("h1", PA_IDX_HASH, 0, "a");
  add("h2", PA_IDX_HASH, 0, "a,b");
  CHECK(run() == 0);
  NONE(0);
  NONE(1);

  reset(0);
  add("h", PA_IDX_HASH, 0, "a");
  key("b", 0, "a");
  CHECK(run() == 0);
  NONE(0);
  NONE(1);

  /* a BTREE is no left prefix of a HASH, nor the reverse */
  reset(0);
  key("b", 0, "a");
  add("h", PA_IDX_HASH, 0, "a,b");
  CHECK(run() == 0);
  NONE(0);

  /* MariaDB's long UNIQUE is a HASH: unique, duplicate of its twin */
  reset(1);
  add("lu1", PA_IDX_HASH, UNI, "blob_col");
  add("lu2", PA_IDX_HASH, UNI, "blob_col");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_DUPLICATE, 0);
  BLOCKERS(1, PA_BLOCK_UNIQUE);
}

/* Rule 4, and rule 5 between the rules. */
static void test_pk_suffix(void)
{
  /* InnoDB: KEY(a,id) is stored as KEY(a) is */
  reset(1);
  key("PRIMARY", PRI, "id");
  key("a_id", 0, "a,id");
  key("a", 0, "a");
  CHECK(run() == 0);
  NONE(0);
  EXPECT(1, PA_RED_PK_SUFFIX, 2);
  NONE(2);
  SAFE(1);
  BLOCKERS(2, PA_BLOCK_COVERING);

  /* MyISAM: no clustered key, so plain rule 3 */
  reset(0);
  key("PRIMARY", PRI, "id");
  key("a_id", 0, "a,id");
  key("a", 0, "a");
  CHECK(run() == 0);
  NONE(1);
  EXPECT(2, PA_RED_LEFT_PREFIX, 1);

  /* no partner */
  reset(1);
  key("PRIMARY", PRI, "id");
  key("a_id", 0, "a,id");
  CHECK(run() == 0);
  NONE(0);
  NONE(1);

  /* two primary key columns, all of them or the first only */
  reset(1);
  key("PRIMARY", PRI, "a,b");
  key("c_a_b", 0, "c,a,b");
  key("c", 0, "c");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_PK_SUFFIX, 2);
  NONE(2);
  reset(1);
  key("PRIMARY", PRI, "a,b");
  key("c_a", 0, "c,a");
  key("c", 0, "c");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_PK_SUFFIX, 2);

  /* b is not a leading part of the primary key */
  reset(1);
  key("PRIMARY", PRI, "a,b");
  key("c_b", 0, "c,b");
  key("c", 0, "c");
  CHECK(run() == 0);
  NONE(1);
  EXPECT(2, PA_RED_LEFT_PREFIX, 1);

  /* P must be whole, ascending primary key columns */
  reset(1);
  key("PRIMARY", PRI, "id");
  key("a_id10", 0, "a,id(10)");
  key("a_iddesc", 0, "a,id DESC");
  key("a", 0, "a");
  CHECK(run() == 0);
  NONE(1);
  NONE(2);
  EXPECT(3, PA_RED_LEFT_PREFIX, 1);
  reset(1);
  key("PRIMARY", PRI, "id DESC");
  key("a_id", 0, "a,id DESC");
  key("a", 0, "a");
  CHECK(run() == 0);
  NONE(1);
  EXPECT(2, PA_RED_LEFT_PREFIX, 1);

  /* C must equal the partner exactly, prefixes included */
  reset(1);
  key("PRIMARY", PRI, "id");
  key("s_id", 0, "s(10),id");
  key("s10", 0, "s(10)");
  key("s", 0, "s");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_PK_SUFFIX, 2);
  EXPECT(2, PA_RED_LEFT_PREFIX, 3); /* s(10) is a prefix of s in turn */
  NONE(3);

  /* unique (C,P), non-unique C: nothing for the pair */
  reset(1);
  key("PRIMARY", PRI, "id");
  key("u_a_id", UNI, "a,id");
  key("a", 0, "a");
  CHECK(run() == 0);
  NONE(1);
  NONE(2);
  SAFE(2);

  /* unique (C,P), unique C: reported, still blocked */
  reset(1);
  key("PRIMARY", PRI, "id");
  key("u_a_id", UNI, "a,id");
  key("k_a", 0, "a");
  key("u_a", UNI, "a");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_PK_SUFFIX, 3);
  BLOCKERS(1, PA_BLOCK_UNIQUE);
  EXPECT(2, PA_RED_DUPLICATE, 3);

  /* non-unique (C,P), unique C */
  reset(1);
  key("PRIMARY", PRI, "id");
  key("a_id", 0, "a,id");
  key("u_a", UNI, "a");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_PK_SUFFIX, 2);
  SAFE(1);

  /* an ignored C cannot cover; it is then a plain left prefix */
  reset(1);
  key("PRIMARY", PRI, "id");
  key("a_id", 0, "a,id");
  key("a", IGN, "a");
  CHECK(run() == 0);
  NONE(1);
  EXPECT(2, PA_RED_LEFT_PREFIX, 1);

  /* an ignored (C,P) can be reported */
  reset(1);
  key("PRIMARY", PRI, "id");
  key("a_id", IGN, "a,id");
  key("a", 0, "a");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_PK_SUFFIX, 2);

  /* C empty: a prefix of the primary key is rule 3 */
  reset(1);
  key("PRIMARY", PRI, "a,b");
  key("a", 0, "a");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_LEFT_PREFIX, 0);

  /* precedence: duplicate, then left_prefix, then pk_suffix */
  reset(1);
  key("PRIMARY", PRI, "id");
  key("a_id", 0, "a,id");
  key("a_id2", 0, "a,id");
  key("a", 0, "a");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_PK_SUFFIX, 3);
  EXPECT(2, PA_RED_DUPLICATE, 1);
  NONE(3);
  reset(1);
  key("PRIMARY", PRI, "id");
  key("a_id", 0, "a,id");
  key("a_id_z", 0, "a,id,z");
  key("a", 0, "a");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_LEFT_PREFIX, 2);
  NONE(2);
  EXPECT(3, PA_RED_LEFT_PREFIX, 2);
  reset(1);
  key("PRIMARY", PRI, "id");
  key("a_id", 0, "a,id");
  key("a", 0, "a");
  key("a2", 0, "a");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_PK_SUFFIX, 2);
  NONE(2);
  EXPECT(3, PA_RED_DUPLICATE, 2);

  /* a cycle: (id) < (id,a(10)) < (id,a) = (id) as stored; the shorter
     index of the pk_suffix pair keeps, the others chain to it */
  reset(1);
  key("PRIMARY", PRI, "a");
  key("id", 0, "id");
  key("id_a10", 0, "id,a(10)");
  key("id_a", 0, "id,a");
  CHECK(run() == 0);
  NONE(1);
  EXPECT(2, PA_RED_LEFT_PREFIX, 3);
  EXPECT(3, PA_RED_PK_SUFFIX, 1);
  SAFE(2);
  UNSAFE(3);
  UNSAFE(1);
  /* MyISAM: only the prefix chain */
  T.clustered_pk= 0;
  CHECK(run() == 0);
  EXPECT(1, PA_RED_LEFT_PREFIX, 2);
  EXPECT(2, PA_RED_LEFT_PREFIX, 3);
  NONE(3);

  /* a clustered engine without a PRIMARY: rule 4 cannot fire */
  reset(1);
  key("u_id", UNI, "id");
  key("a_id", 0, "a,id");
  key("a", 0, "a");
  CHECK(run() == 0);
  NONE(1);
  EXPECT(2, PA_RED_LEFT_PREFIX, 1);
}

/* Rule 6, foreign keys. */
static void test_fk(void)
{
  /* the only index of a foreign key */
  reset(1);
  key("cust", 0, "cust");
  add_fk("fk_cust", "cust");
  CHECK(run() == 0);
  BLOCKERS(0, PA_BLOCK_FK);
  CHECK(V[0].fk == 0);
  UNSAFE(0);

  /* redundant to an index that serves it too: droppable */
  reset(1);
  key("cust", 0, "cust");
  key("cust_date", 0, "cust,posting_date");
  add_fk("fk_cust", "CUST");
  CHECK(run() == 0);
  EXPECT(0, PA_RED_LEFT_PREFIX, 1);
  SAFE(0);
  CHECK(V[0].fk == -1);
  BLOCKERS(1, PA_BLOCK_COVERING);

  /* a prefix part serves no foreign key */
  reset(1);
  key("cust_x", 0, "cust,x");
  key("cust10", 0, "cust(10)");
  add_fk("fk_cust", "cust");
  CHECK(run() == 0);
  BLOCKERS(0, PA_BLOCK_FK | PA_BLOCK_COVERING);
  CHECK(V[0].fk == 0);
  EXPECT(1, PA_RED_LEFT_PREFIX, 0);
  SAFE(1);

  /* leading columns in constraint order, whole */
  reset(1);
  key("abc", 0, "a,b,c");
  key("ba", 0, "b,a");
  key("a", 0, "a");
  add_fk("fk_ab", "a,b");
  CHECK(run() == 0);
  CHECK(V[0].blockers & PA_BLOCK_FK);
  CHECK(!(V[1].blockers & PA_BLOCK_FK));
  CHECK(!(V[2].blockers & PA_BLOCK_FK));
  SAFE(1);
  EXPECT(2, PA_RED_LEFT_PREFIX, 0);
  SAFE(2);

  /* two indexes that could serve it: each alone may go, not both; the
     first one is kept */
  reset(1);
  key("cust_a", 0, "cust,a");
  key("cust_b", 0, "cust,b");
  add_fk("fk_cust", "cust");
  CHECK(run() == 0);
  BLOCKERS(0, PA_BLOCK_FK);
  CHECK(V[0].fk == 0);
  SAFE(1);
  /* unless one of them is kept anyway */
  reset(1);
  key("cust_a", 0, "cust,a");
  key("cust_b", UNI, "cust,b");
  add_fk("fk_cust", "cust");
  CHECK(run() == 0);
  SAFE(0);
  BLOCKERS(1, PA_BLOCK_UNIQUE);

  /* InnoDB checks foreign keys with ignored indexes too */
  reset(1);
  key("a", IGN, "a");
  add_fk("fk_a", "a");
  CHECK(run() == 0);
  BLOCKERS(0, PA_BLOCK_FK);
  reset(1);
  key("a", 0, "a");
  key("a_ign", IGN, "a,b");
  add_fk("fk_a", "a");
  CHECK(run() == 0);
  NONE(0);
  BLOCKERS(0, PA_BLOCK_FK); /* the first of two serving indexes */
  SAFE(1);

  /* DESC parts serve (InnoDB ignores the order); HASH does not */
  reset(1);
  key("a_desc", 0, "a DESC");
  add("h", PA_IDX_HASH, 0, "a");
  add_fk("fk_a", "a");
  CHECK(run() == 0);
  BLOCKERS(0, PA_BLOCK_FK);
  SAFE(1);

  /* a PRIMARY serving a parent-side key gets the blocker too */
  reset(1);
  key("PRIMARY", PRI, "id");
  add_fk("fk_child_parent", "id");
  CHECK(run() == 0);
  BLOCKERS(0, PA_BLOCK_PRIMARY | PA_BLOCK_UNIQUE | PA_BLOCK_FK);

  /* covering index that does not serve it: the redundant one is blocked.
     KEY(a) is stored as (a,id) but only may serve fk(a,id); (a,id DESC)
     serves it too, so a_id is not the only one. */
  reset(1);
  key("PRIMARY", PRI, "id");
  key("a_id", 0, "a,id");
  key("a", 0, "a");
  key("a_iddesc", 0, "a,id DESC");
  add_fk("fk_a_id", "a,id");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_PK_SUFFIX, 2);
  BLOCKERS(1, PA_BLOCK_FK);
  CHECK(V[1].fk == 0);
  EXPECT(2, PA_RED_LEFT_PREFIX, 3);
  BLOCKERS(2, PA_BLOCK_COVERING);
  NONE(3);
  BLOCKERS(3, PA_BLOCK_COVERING);
  /* the same with an ignored copy of (a,id): it is the duplicate, and
     a_id is kept as the covering index of it */
  reset(1);
  key("PRIMARY", PRI, "id");
  key("a_id", 0, "a,id");
  key("a", 0, "a");
  key("a_id_ign", IGN, "a,id");
  add_fk("fk_a_id", "a,id");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_PK_SUFFIX, 2);
  BLOCKERS(1, PA_BLOCK_FK | PA_BLOCK_COVERING);
  EXPECT(3, PA_RED_DUPLICATE, 1);
  SAFE(3);

  /* InnoDB appends the primary key: KEY(a) is the index of fk(a,id) */
  reset(1);
  key("PRIMARY", PRI, "id");
  key("a", 0, "a");
  add_fk("fk_a_id", "a,id");
  CHECK(run() == 0);
  BLOCKERS(1, PA_BLOCK_FK);
  reset(1);
  key("PRIMARY", PRI, "id,a");
  key("a", 0, "a");
  add_fk("fk_a_id", "a,id");
  CHECK(run() == 0);
  BLOCKERS(1, PA_BLOCK_FK);
  reset(1);
  key("PRIMARY", PRI, "id");
  key("a", 0, "a");
  add_fk("fk_a_b", "a,b");
  CHECK(run() == 0);
  SAFE(1);
  /* ... with no PRIMARY the clustered key is unknown: keep it */
  reset(1);
  key("a", 0, "a");
  add_fk("fk_a_b", "a,b");
  CHECK(run() == 0);
  BLOCKERS(0, PA_BLOCK_FK);
  /* ... and not at all on a non-clustered engine */
  reset(0);
  key("PRIMARY", PRI, "id");
  key("a", 0, "a");
  add_fk("fk_a_id", "a,id");
  CHECK(run() == 0);
  SAFE(1);
  /* ... but a declared (a,id) index serves it for sure */
  reset(1);
  key("PRIMARY", PRI, "id");
  key("a", 0, "a");
  key("a_id_z", 0, "a,id,z");
  add_fk("fk_a_id", "a,id");
  CHECK(run() == 0);
  EXPECT(1, PA_RED_LEFT_PREFIX, 2);
  SAFE(1);
  BLOCKERS(2, PA_BLOCK_FK | PA_BLOCK_COVERING);

  /* non-ASCII names that may differ only in case: kept */
  reset(1);
  key("k", 0, "\xc3\xa4rger");  /* lower-case a umlaut */
  add_fk("fk", "\xc3\x84rger"); /* upper-case A umlaut */
  CHECK(run() == 0);
  BLOCKERS(0, PA_BLOCK_FK);
  reset(1);
  key("k", 0, "\xc3\xa4rger");
  add_fk("fk", "\xc3\x84rgerX");
  CHECK(run() == 0);
  SAFE(0);

  /* several foreign keys: fk names the first that blocks */
  reset(1);
  key("a_b", 0, "a,b");
  add_fk("fk_x", "x");
  add_fk("fk_ab", "a,b");
  add_fk("fk_a", "a");
  CHECK(run() == 0);
  BLOCKERS(0, PA_BLOCK_FK);
  CHECK(V[0].fk == 1);
}

/* Rules 6-8: hints, covering, drop safety. */
static void test_blockers(void)
{
  int hints[3]= {0, 7, 0};

  reset(1);
  key("k1", 0, "a");
  key("k2", 0, "b");
  key("k3", 0, "b,c");
  CHECK(pa_index_analyze(&T, hints, V) == 0);
  BLOCKERS(0, 0);
  SAFE(0); /* not redundant, no blocker: for the caller's unused rule */
  BLOCKERS(1, PA_BLOCK_HINT);
  EXPECT(1, PA_RED_LEFT_PREFIX, 2);
  UNSAFE(1);
  BLOCKERS(2, PA_BLOCK_COVERING);

  /* NULL hints: none */
  CHECK(pa_index_analyze(&T, NULL, V) == 0);
  BLOCKERS(1, 0);

  CHECK(!pa_index_drop_safe(NULL));
}

static void test_text(void)
{
  char buf[128];
  char big[PA_IDENT_BYTES * 2];
  int hints[2]= {1, 0};
  struct pa_index_verdict v;

  CHECK_STR(pa_redundancy_name(PA_RED_DUPLICATE), "duplicate");
  CHECK_STR(pa_redundancy_name(PA_RED_LEFT_PREFIX), "left_prefix");
  CHECK_STR(pa_redundancy_name(PA_RED_PK_SUFFIX), "pk_suffix");
  CHECK(pa_redundancy_name(PA_RED_NONE) == NULL);
  CHECK(pa_redundancy_name((enum pa_redundancy) 99) == NULL);

  reset(1);
  key("k", 0, "customer,posting_date,name(10),created DESC");
  CHECK(pa_index_columns_text(&T.indexes[0], buf, sizeof(buf)) == buf);
  CHECK_STR(buf, "customer,posting_date,name(10),created DESC");
  key("p", 0, "x(4294967295) DESC");
  CHECK_STR(pa_index_columns_text(&T.indexes[1], buf, sizeof(buf)),
            "x(4294967295) DESC");

  /* exactly fits, one byte short */
  key("s", 0, "abc,de");
  CHECK_STR(pa_index_columns_text(&T.indexes[2], buf, 7), "abc,de");
  CHECK_STR(pa_index_columns_text(&T.indexes[2], buf, 6), "ab...");
  CHECK_STR(pa_index_columns_text(&T.indexes[2], buf, 5), "a...");
  CHECK_STR(pa_index_columns_text(&T.indexes[2], buf, 4), "...");
  CHECK_STR(pa_index_columns_text(&T.indexes[2], buf, 3), "..");
  CHECK_STR(pa_index_columns_text(&T.indexes[2], buf, 2), ".");
  CHECK_STR(pa_index_columns_text(&T.indexes[2], buf, 1), "");
  buf[0]= 'Z';
  CHECK(pa_index_columns_text(&T.indexes[2], buf, 0) == buf);
  CHECK(buf[0] == 'Z');
  CHECK(pa_index_columns_text(&T.indexes[2], NULL, 0) == NULL);
  CHECK_STR(pa_index_columns_text(NULL, buf, sizeof(buf)), "");

  /* never split a UTF-8 character: "\xc3\xa4" is one */
  key("u", 0, "x\xc3\xa4yzwv");
  CHECK_STR(pa_index_columns_text(&T.indexes[3], buf, 6), "x...");
  CHECK_STR(pa_index_columns_text(&T.indexes[3], buf, 7), "x\xc3\xa4...");
  CHECK_STR(pa_index_columns_text(&T.indexes[3], buf, 8), "x\xc3\xa4yzwv");

  /* an unterminated name is bounded by PA_IDENT_BYTES */
  memset(T.indexes[3].cols[0].name, 'n', PA_IDENT_BYTES);
  T.indexes[3].n_cols= 1;
  pa_index_columns_text(&T.indexes[3], big, sizeof(big));
  CHECK(strlen(big) == PA_IDENT_BYTES);

  /* blockers: bit order, names resolved in def */
  reset(1);
  key("PRIMARY", PRI, "id,x");
  key("by_id", 0, "id");
  add_fk("fk_parent", "id,x");
  CHECK(pa_index_analyze(&T, hints, V) == 0);
  EXPECT(1, PA_RED_LEFT_PREFIX, 0);
  CHECK_STR(pa_index_blockers_text(&T, &V[0], buf, sizeof(buf)),
            "primary key, unique constraint, foreign key fk_parent, "
            "index hint, covers by_id");
  CHECK_STR(pa_index_blockers_text(&T, &V[0], buf, 16), "primary key,...");
  CHECK_STR(pa_index_blockers_text(&T, &V[0], buf, 5), "p...");
  CHECK_STR(pa_index_blockers_text(&T, &V[0], buf, 2), ".");
  CHECK_STR(pa_index_blockers_text(&T, &V[0], buf, 1), "");
  buf[0]= 'Z';
  pa_index_blockers_text(&T, &V[0], buf, 0);
  CHECK(buf[0] == 'Z');
  CHECK_STR(pa_index_blockers_text(NULL, &V[0], buf, sizeof(buf)),
            "primary key, unique constraint, foreign key, index hint, "
            "covers");
  CHECK_STR(pa_index_blockers_text(&T, &V[1], buf, sizeof(buf)), "");
  CHECK_STR(pa_index_blockers_text(&T, NULL, buf, sizeof(buf)), "");

  memset(&v, 0, sizeof(v));
  v.blockers= PA_BLOCK_UNIQUE | PA_BLOCK_HINT | PA_BLOCK_FK;
  v.fk= 5; /* out of range for T: name left out */
  v.covers= -1;
  CHECK_STR(pa_index_blockers_text(&T, &v, buf, sizeof(buf)),
            "unique constraint, foreign key, index hint");
  v.blockers= PA_BLOCK_HINT;
  CHECK_STR(pa_index_blockers_text(&T, &v, buf, sizeof(buf)), "index hint");
}

static void test_args(void)
{
  int i;

  reset(1);
  CHECK(pa_index_analyze(NULL, NULL, V) == -1);
  CHECK(pa_index_analyze(&T, NULL, NULL) == -1);

  /* an empty table is fine */
  CHECK(pa_index_analyze(&T, NULL, V) == 0);

  /* out of range: -1 and out untouched */
  V[0].redundancy= PA_RED_PK_SUFFIX;
  T.n_indexes= PA_TABLE_MAX_INDEXES + 1;
  CHECK(run() == -1);
  T.n_indexes= -1;
  CHECK(run() == -1);
  T.n_indexes= 0;
  T.n_fks= PA_TABLE_MAX_FKS + 1;
  CHECK(run() == -1);
  T.n_fks= -1;
  CHECK(run() == -1);
  CHECK(V[0].redundancy == PA_RED_PK_SUFFIX);

  reset(1);
  key("k", 0, "a");
  T.indexes[0].n_cols= 0;
  CHECK(run() == -1);
  T.indexes[0].n_cols= PA_INDEX_MAX_COLS + 1;
  CHECK(run() == -1);
  T.indexes[0].n_cols= 1;
  add_fk("fk", "a");
  T.fks[0].n_cols= 0;
  CHECK(run() == -1);
  T.fks[0].n_cols= PA_INDEX_MAX_COLS + 1;
  CHECK(run() == -1);
  T.fks[0].n_cols= 1;
  CHECK(run() == 0);

  /* the largest table */
  reset(1);
  for (i= 0; i < PA_TABLE_MAX_INDEXES; i++)
    key("k", 0, "a");
  CHECK(run() == 0);
  for (i= 1; i < PA_TABLE_MAX_INDEXES; i++)
    EXPECT(i, PA_RED_DUPLICATE, 0);
}

/*
  64 indexes of 32 parts with long names that differ only at their ends,
  each a prefix-widening of the previous one, a 32-part clustered primary
  key and 64 foreign keys of 32 columns: every comparison runs to the end.
*/
static void test_worst_size(void)
{
  clock_t start;
  double seconds;
  int i, k;

  reset(1);
  for (i= 0; i < PA_TABLE_MAX_INDEXES; i++)
  {
    struct pa_index_def *x= &T.indexes[i];
    x->type= PA_IDX_BTREE;
    x->is_primary= i == 0;
    x->is_unique= i == 0;
    x->n_cols= PA_INDEX_MAX_COLS;
    for (k= 0; k < PA_INDEX_MAX_COLS; k++)
    {
      memset(x->cols[k].name, 'c', PA_IDENT_BYTES - 2);
      x->cols[k].name[PA_IDENT_BYTES - 3]= (char) ('A' + k);
    }
    x->cols[PA_INDEX_MAX_COLS - 1].prefix_len= i ? (uint32_t) i : 0;
    x->name[0]= 'k';
  }
  T.n_indexes= PA_TABLE_MAX_INDEXES;
  for (i= 0; i < PA_TABLE_MAX_FKS; i++)
  {
    struct pa_fk_def *f= &T.fks[i];
    f->n_cols= PA_INDEX_MAX_COLS;
    for (k= 0; k < PA_INDEX_MAX_COLS; k++)
      memcpy(f->cols[k], T.indexes[1].cols[k].name, PA_IDENT_BYTES);
    f->name[0]= 'f';
  }
  T.n_fks= PA_TABLE_MAX_FKS;

  start= clock();
  CHECK(run() == 0);
  seconds= (double) (clock() - start) / CLOCKS_PER_SEC;
  printf("test_index: worst-size table analysed in %.3f s\n", seconds);
  CHECK(seconds < 2.0);
  /* whole-column PRIMARY covers every prefix variant; each prefix variant
     is covered by the earliest wider one: the PRIMARY */
  NONE(0);
  for (i= 1; i < PA_TABLE_MAX_INDEXES; i++)
    EXPECT(i, PA_RED_LEFT_PREFIX, 0);
  CHECK(V[0].covers == 1);
  /* prefix parts serve no foreign key: the PRIMARY is their index */
  CHECK(V[0].blockers & PA_BLOCK_FK);
  SAFE(1);

  /* the same shapes everywhere, names differing in their last byte of the
     last part only: no comparison can stop early */
  for (i= 0; i < PA_TABLE_MAX_INDEXES; i++)
  {
    struct pa_index_def *x= &T.indexes[i];
    x->cols[PA_INDEX_MAX_COLS - 1].prefix_len= 0;
    x->cols[PA_INDEX_MAX_COLS - 1].name[PA_IDENT_BYTES - 3]= (char) (0x80 + i);
  }
  for (i= 0; i < PA_TABLE_MAX_FKS; i++)
    for (k= 0; k < PA_INDEX_MAX_COLS; k++)
      memcpy(T.fks[i].cols[k], T.indexes[1].cols[k].name, PA_IDENT_BYTES);
  start= clock();
  CHECK(run() == 0);
  seconds= (double) (clock() - start) / CLOCKS_PER_SEC;
  printf("test_index: same-shape table analysed in %.3f s\n", seconds);
  CHECK(seconds < 2.0);
  for (i= 0; i < PA_TABLE_MAX_INDEXES; i++)
    NONE(i);
  /* the foreign keys name index 1's columns; the others may serve them
     (non-ASCII last bytes may be a case pair), but 1 surely does */
  BLOCKERS(1, PA_BLOCK_FK);
  SAFE(2);
}

/* The index at position i, fingerprinted. */
static uint64_t fp(int i) { return pa_index_fingerprint(&T.indexes[i]); }

static void test_fingerprint(void)
{
  int base, same;

  reset(1);
  base= key("k", UNI, "customer,posting_date(10) DESC");
  /* A pinned value: the fingerprint is persisted in the usage file, and a
     change would reset every index's history once.  Bytes of int fields
     are hashed, hence the guard. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (sizeof(int) == 4 && sizeof(enum pa_index_type) == 4)
    CHECK(fp(base) == 0x0af67b10caa8142aULL);
#endif
  /* the same definition under another name, IGNORED or not */
  same= key("other", UNI | IGN, "customer,posting_date(10) DESC");
  CHECK(fp(same) == fp(base));
  /* bytes after a name's NUL do not count */
  memset(T.indexes[same].cols[0].name + 9, 'x', 8);
  CHECK(fp(same) == fp(base));
  /* every part of the definition counts */
  CHECK(fp(key("a", 0, "customer,posting_date(10) DESC")) != fp(base));
  CHECK(fp(add("b", PA_IDX_HASH, UNI, "customer,posting_date(10) DESC")) !=
        fp(base));
  CHECK(fp(key("c", UNI, "customer,posting_date(10)")) != fp(base));
  CHECK(fp(key("d", UNI, "customer,posting_date(11) DESC")) != fp(base));
  CHECK(fp(key("e", UNI, "customer,posting_date DESC")) != fp(base));
  CHECK(fp(key("f", UNI, "Customer,posting_date(10) DESC")) != fp(base));
  CHECK(fp(key("g", UNI, "posting_date(10) DESC,customer")) != fp(base));
  CHECK(fp(key("h", UNI, "customer")) != fp(base));
  CHECK(fp(key("i", UNI, "customer,posting_date(10) DESC,x")) != fp(base));
  /* the NUL separates names: (ab, c) is not (a, bc) */
  CHECK(fp(key("j", 0, "ab,c")) != fp(key("l", 0, "a,bc")));
  /* a PRIMARY is unique: the same as a UNIQUE key on the same columns */
  CHECK(fp(key("PRIMARY", PRI, "customer,posting_date(10) DESC")) ==
        fp(base));
  /* no key parts: type and uniqueness only */
  reset(1);
  T.indexes[0].type= PA_IDX_HASH;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (sizeof(int) == 4 && sizeof(enum pa_index_type) == 4)
    CHECK(fp(0) == 0x89cd31291d2aefa4ULL);
#endif
  CHECK(fp(0) != pa_index_fingerprint(&T.indexes[1]));
}

int main(void)
{
  test_duplicate();
  test_ignored();
  test_left_prefix();
  test_prefix();
  test_desc();
  test_types();
  test_pk_suffix();
  test_fk();
  test_blockers();
  test_text();
  test_args();
  test_worst_size();
  test_fingerprint();
  return PA_TEST_END("test_index");
}
