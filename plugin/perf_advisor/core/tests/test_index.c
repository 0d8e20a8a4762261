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

#include <stdlib.h>
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

/*
  One table and what the analysis must say of it, checked by scenario().
  indexes: "name=cols" items separated by "; ", each optionally behind
  flags and a colon: P PRIMARY, U UNIQUE, I IGNORED, H HASH, F FULLTEXT,
  S SPATIAL ("UH:lu=blob_col").  fks: the same without flags; NULL: none.
  expect: the checks in order, separated by spaces, each on the index
  named by its first digit i:
    i-          not redundant (NONE)
    iDj iLj iKj duplicate, left_prefix, pk_suffix of index j (EXPECT)
    is iu       drop-safe, or not (SAFE, UNSAFE)
    i=LETTERS   exactly these blockers: P primary, U unique, F foreign
                key, H hint, C covering; 0 none (BLOCKERS)
    i+L i!L     blocker L set, not set
    icJ ifJ     covers, fk == J (a number, -1 for none)
*/
struct scenario
{
  int clustered_pk;
  const char *indexes, *fks, *expect;
};

static unsigned blocker_bits(const char *p, size_t n)
{
  unsigned bits= 0;
  for (size_t k= 0; k < n; k++)
    switch (p[k])
    {
    case 'P': bits|= PA_BLOCK_PRIMARY; break;
    case 'U': bits|= PA_BLOCK_UNIQUE; break;
    case 'F': bits|= PA_BLOCK_FK; break;
    case 'H': bits|= PA_BLOCK_HINT; break;
    case 'C': bits|= PA_BLOCK_COVERING; break;
    }
  return bits;
}

/* Add the items of spec: indexes, or foreign keys when fk. */
static void load_items(const char *spec, int fk)
{
  while (spec && *spec)
  {
    const char *end= strstr(spec, "; ");
    size_t len= end ? (size_t) (end - spec) : strlen(spec);
    const char *colon= memchr(spec, ':', len);
    const char *eq= memchr(spec, '=', len);
    const char *name= colon && colon < eq ? colon + 1 : spec;
    char n[PA_IDENT_BYTES], cols[256];
    enum pa_index_type type= PA_IDX_BTREE;
    int flags= 0;

    for (const char *f= spec; f < name - 1; f++)
      switch (*f)
      {
      case 'P': flags|= PRI; break;
      case 'U': flags|= UNI; break;
      case 'I': flags|= IGN; break;
      case 'H': type= PA_IDX_HASH; break;
      case 'F': type= PA_IDX_FULLTEXT; break;
      case 'S': type= PA_IDX_SPATIAL; break;
      }
    set_name(n, name, (size_t) (eq - name));
    snprintf(cols, sizeof(cols), "%.*s", (int) (spec + len - eq - 1),
             eq + 1);
    if (fk)
      add_fk(n, cols);
    else
      add(n, type, flags, cols);
    spec= end ? end + 2 : NULL;
  }
}

/* Build the table of c, analyse it and run its checks. */
static void scenario(const struct scenario *c)
{
  const char *p= c->expect;
  int failed= pa_test_failed;

  reset(c->clustered_pk);
  load_items(c->indexes, 0);
  load_items(c->fks, 1);
  CHECK(run() == 0);
  while (*p)
  {
    int i= *p - '0';
    const char *arg= p + 2;
    size_t n= strcspn(arg, " ");
    switch (p[1])
    {
    case '-': NONE(i); break;
    case 'D': EXPECT(i, PA_RED_DUPLICATE, atoi(arg)); break;
    case 'L': EXPECT(i, PA_RED_LEFT_PREFIX, atoi(arg)); break;
    case 'K': EXPECT(i, PA_RED_PK_SUFFIX, atoi(arg)); break;
    case 's': SAFE(i); break;
    case 'u': UNSAFE(i); break;
    case '=': BLOCKERS(i, blocker_bits(arg, n)); break;
    case '+': CHECK(V[i].blockers & blocker_bits(arg, n)); break;
    case '!': CHECK(!(V[i].blockers & blocker_bits(arg, n))); break;
    case 'c': CHECK(V[i].covers == atoi(arg)); break;
    case 'f': CHECK(V[i].fk == atoi(arg)); break;
    default: CHECK(!"a known check");
    }
    p= arg + strcspn(arg, " ");
    p+= *p == ' ';
  }
  if (pa_test_failed != failed)
    fprintf(stderr, "  in the table {%s} fks {%s}, checks \"%s\"\n",
            c->indexes, c->fks ? c->fks : "", c->expect);
}

#define RUN_SCENARIOS(cases)                                                 \
  for (size_t k_= 0; k_ < sizeof(cases) / sizeof((cases)[0]); k_++)         \
  scenario(&(cases)[k_])

/* Rule 2. */
static void test_duplicate(void)
{
  static const struct scenario cases[]= {
      /* KEY(a) twice: the later one; case of names does not matter */
      {1, "k1=a; k2=A", NULL, "0- 1D0 0=C 0c1 0u 1s 1=0 1c-1 1f-1"},
      /* KEY(a) + UNIQUE(a): the KEY, in either order */
      {1, "k=a; U:u=a", NULL, "0D1 1- 0s 1=UC"},
      {1, "U:u=a; k=a", NULL, "0- 1D0"},
      /* UNIQUE(a) twice: the later one, still blocked by its constraint */
      {1, "U:u1=a; U:u2=a", NULL, "0- 1D0 1=U 1u"},
      /* three copies: 2nd and 3rd against the 1st */
      {1, "k1=a,b; k2=a,b; k3=a,b", NULL, "0- 1D0 2D0 0c1 1s 2s"},
      /* three copies, the unique one in the middle keeps */
      {1, "k1=a; U:u=a; k3=a", NULL, "0D1 1- 2D1"},
      /* PRIMARY(a) + KEY(a): the KEY; PRIMARY never, wherever it is */
      {1, "P:PRIMARY=a; k=a", NULL, "0- 1D0 0=PUC"},
      {0, "k=a; U:u=a; P:PRIMARY=a", NULL, "0D2 1D2 2- 1u"},
      /* same parts with prefixes */
      {1, "k1=s(10),t; k2=s(10),t", NULL, "1D0"},
      /* different prefix, DESC or type: not duplicates */
      {1, "k1=s(10); k2=s(11); k3=t; k4=t DESC; H:h=t",
       NULL, "0L1 1- 2- 3- 4-"}};
  RUN_SCENARIOS(cases);
}

/* Rule 1 for ignored indexes, and rule 2 with them. */
static void test_ignored(void)
{
  static const struct scenario cases[]= {
      /* an ignored index never covers */
      {1, "k1=a; I:k2=a,b", NULL, "0- 1- 0s 1s"},
      /* but it can be redundant */
      {1, "I:k1=a; k2=a,b", NULL, "0L1 1- 1=C"},
      /* duplicates: the copy the optimizer uses keeps, whatever the order */
      {1, "I:k1=a; k2=a", NULL, "0D1 1-"},
      /* even over a unique copy: it is reported, and keeps its constraint */
      {1, "UI:u=a; k=a", NULL, "0D1 1- 0u"},
      /* all copies ignored: nothing can cover, nothing reported */
      {1, "I:k1=a; I:k2=a", NULL, "0- 1-"}};
  RUN_SCENARIOS(cases);
}

/* Rule 3. */
static void test_left_prefix(void)
{
  static const struct scenario cases[]= {
      {1, "k1=a; k2=a,b", NULL, "0L1 1- 0s 1u"},
      /* the shortest covering index; chains are reported link by link
         (ab covers a) */
      {1, "ab=a,b; abc=a,b,c; a=a", NULL, "0L1 1- 2L0 0u 1u 2s"},
      /* shortest, then earliest */
      {1, "abc=a,b,c; ax=a,x; ay=a,y; a=a", NULL, "3L1 2-"},
      /* PRIMARY(a,b) + UNIQUE(a): reported, blocked, nothing drop-safe */
      {1, "P:PRIMARY=a,b; U:u=a", NULL, "0- 1L0 1=U 0u 1u"},
      /* a PRIMARY is never reported, even as a prefix of a wider index */
      {0, "P:PRIMARY=a; k=a,b", NULL, "0- 1-"}};
  RUN_SCENARIOS(cases);
}

/* Rule 3, prefix key parts. */
static void test_prefix(void)
{
  static const struct scenario cases[]= {
      /* pt-duplicate-key-checker's bug: KEY(s) is not redundant to s(10) */
      {1, "s10=s(10); s=s", NULL, "0L1 1-"},
      {1, "s=s; s10=s(10)", NULL, "0- 1L0"},
      /* a longer prefix covers a shorter one, not the reverse */
      {1, "s10=s(10); s20=s(20)", NULL, "0L1 1-"},
      {1, "s20=s(20); s10=s(10)", NULL, "0- 1L0"},
      /* only the last part may differ */
      {1, "s10t=s(10),t; st=s,t", NULL, "0- 1-"},
      /* a prefix last part of a shorter index: covered by a whole column or a
         longer prefix in the wider one, not by a shorter prefix */
      {1, "s10=s(10); st=s,t; s5t=s(5),t; s=s", NULL, "0L3 1- 2- 3L1"},
      /* same prefix twice: rule 2 */
      {1, "a=s(10); b=s(10)", NULL, "1D0"}};
  RUN_SCENARIOS(cases);
}

/* Rule 3, DESC key parts. */
static void test_desc(void)
{
  static const struct scenario cases[]= {
      /* sys.schema_redundant_indexes' bug */
      {1, "k1=a,b DESC; k2=a,b", NULL, "0- 1-"},
      {1, "k1=a DESC; k2=a DESC,b", NULL, "0L1"},
      {1, "k1=a; k2=a DESC,b", NULL, "0- 1-"}};
  RUN_SCENARIOS(cases);
}

/* Rules 2 and 3 by index type. */
static void test_types(void)
{
  static const struct scenario cases[]= {
      {1, "F:ft=a; k=a", NULL, "0- 1-"},
      {1, "F:ft1=a; F:ft2=a", NULL, "1D0"},
      {1, "F:ft1=a; F:ft2=a,b", NULL, "0- 1-"},
      {1, "S:sp1=g; S:sp2=g", NULL, "1D0"},
      {0, "H:h1=a; H:h2=a,b", NULL, "0- 1-"},
      {0, "H:h=a; b=a", NULL, "0- 1-"},
      /* a BTREE is no left prefix of a HASH, nor the reverse */
      {0, "b=a; H:h=a,b", NULL, "0-"},
      /* MariaDB's long UNIQUE is a HASH: unique, duplicate of its twin */
      {1, "HU:lu1=blob_col; HU:lu2=blob_col", NULL, "1D0 1=U"}};
  RUN_SCENARIOS(cases);
}

/* Rule 4, and rule 5 between the rules. */
static void test_pk_suffix(void)
{
  static const struct scenario cases[]= {
      /* InnoDB: KEY(a,id) is stored as KEY(a) is */
      {1, "P:PRIMARY=id; a_id=a,id; a=a", NULL, "0- 1K2 2- 1s 2=C"},
      /* MyISAM: no clustered key, so plain rule 3 */
      {0, "P:PRIMARY=id; a_id=a,id; a=a", NULL, "1- 2L1"},
      /* no partner */
      {1, "P:PRIMARY=id; a_id=a,id", NULL, "0- 1-"},
      /* two primary key columns, all of them or the first only */
      {1, "P:PRIMARY=a,b; c_a_b=c,a,b; c=c", NULL, "1K2 2-"},
      {1, "P:PRIMARY=a,b; c_a=c,a; c=c", NULL, "1K2"},
      /* b is not a leading part of the primary key */
      {1, "P:PRIMARY=a,b; c_b=c,b; c=c", NULL, "1- 2L1"},
      /* P must be whole, ascending primary key columns */
      {1, "P:PRIMARY=id; a_id10=a,id(10); a_iddesc=a,id DESC; a=a",
       NULL, "1- 2- 3L1"},
      {1, "P:PRIMARY=id DESC; a_id=a,id DESC; a=a", NULL, "1- 2L1"},
      /* C must equal the partner exactly, prefixes included; s(10) is a
         prefix of s in turn */
      {1, "P:PRIMARY=id; s_id=s(10),id; s10=s(10); s=s", NULL, "1K2 2L3 3-"},
      /* unique (C,P), non-unique C: nothing for the pair */
      {1, "P:PRIMARY=id; U:u_a_id=a,id; a=a", NULL, "1- 2- 2s"},
      /* unique (C,P), unique C: reported, still blocked */
      {1, "P:PRIMARY=id; U:u_a_id=a,id; k_a=a; U:u_a=a", NULL, "1K3 1=U 2D3"},
      /* non-unique (C,P), unique C */
      {1, "P:PRIMARY=id; a_id=a,id; U:u_a=a", NULL, "1K2 1s"},
      /* an ignored C cannot cover; it is then a plain left prefix */
      {1, "P:PRIMARY=id; a_id=a,id; I:a=a", NULL, "1- 2L1"},
      /* an ignored (C,P) can be reported */
      {1, "P:PRIMARY=id; I:a_id=a,id; a=a", NULL, "1K2"},
      /* C empty: a prefix of the primary key is rule 3 */
      {1, "P:PRIMARY=a,b; a=a", NULL, "1L0"},
      /* precedence: duplicate, then left_prefix, then pk_suffix */
      {1, "P:PRIMARY=id; a_id=a,id; a_id2=a,id; a=a", NULL, "1K3 2D1 3-"},
      {1, "P:PRIMARY=id; a_id=a,id; a_id_z=a,id,z; a=a", NULL, "1L2 2- 3L2"},
      {1, "P:PRIMARY=id; a_id=a,id; a=a; a2=a", NULL, "1K2 2- 3D2"},
      /* a cycle: (id) < (id,a(10)) < (id,a) = (id) as stored; the shorter
         index of the pk_suffix pair keeps, the others chain to it */
      {1, "P:PRIMARY=a; id=id; id_a10=id,a(10); id_a=id,a",
       NULL, "1- 2L3 3K1 2s 3u 1u"},
      /* MyISAM: only the prefix chain */
      {0, "P:PRIMARY=a; id=id; id_a10=id,a(10); id_a=id,a",
       NULL, "1L2 2L3 3-"},
      /* a clustered engine without a PRIMARY: rule 4 cannot fire */
      {1, "U:u_id=id; a_id=a,id; a=a", NULL, "1- 2L1"}};
  RUN_SCENARIOS(cases);
}

/* Rule 6, foreign keys. */
static void test_fk(void)
{
  static const struct scenario cases[]= {
      /* the only index of a foreign key */
      {1, "cust=cust", "fk_cust=cust", "0=F 0f0 0u"},
      /* redundant to an index that serves it too: droppable */
      {1, "cust=cust; cust_date=cust,posting_date",
       "fk_cust=CUST", "0L1 0s 0f-1 1=C"},
      /* a prefix part serves no foreign key */
      {1, "cust_x=cust,x; cust10=cust(10)", "fk_cust=cust", "0=FC 0f0 1L0 1s"},
      /* leading columns in constraint order, whole */
      {1, "abc=a,b,c; ba=b,a; a=a", "fk_ab=a,b", "0+F 1!F 2!F 1s 2L0 2s"},
      /* two indexes that could serve it: each alone may go, not both; the
         first one is kept */
      {1, "cust_a=cust,a; cust_b=cust,b", "fk_cust=cust", "0=F 0f0 1s"},
      /* unless one of them is kept anyway */
      {1, "cust_a=cust,a; U:cust_b=cust,b", "fk_cust=cust", "0s 1=U"},
      /* InnoDB checks foreign keys with ignored indexes too; a is the
         first of two serving indexes */
      {1, "I:a=a", "fk_a=a", "0=F"},
      {1, "a=a; I:a_ign=a,b", "fk_a=a", "0- 0=F 1s"},
      /* DESC parts serve (InnoDB ignores the order); HASH does not */
      {1, "a_desc=a DESC; H:h=a", "fk_a=a", "0=F 1s"},
      /* a PRIMARY serving a parent-side key gets the blocker too */
      {1, "P:PRIMARY=id", "fk_child_parent=id", "0=PUF"},
      /* covering index that does not serve it: the redundant one is blocked.
         KEY(a) is stored as (a,id) but only may serve fk(a,id); (a,id DESC)
         serves it too, so a_id is not the only one. */
      {1, "P:PRIMARY=id; a_id=a,id; a=a; a_iddesc=a,id DESC",
       "fk_a_id=a,id", "1K2 1=F 1f0 2L3 2=C 3- 3=C"},
      /* the same with an ignored copy of (a,id): it is the duplicate, and
         a_id is kept as the covering index of it */
      {1, "P:PRIMARY=id; a_id=a,id; a=a; I:a_id_ign=a,id",
       "fk_a_id=a,id", "1K2 1=FC 3D1 3s"},
      /* InnoDB appends the primary key: KEY(a) is the index of fk(a,id) */
      {1, "P:PRIMARY=id; a=a", "fk_a_id=a,id", "1=F"},
      {1, "P:PRIMARY=id,a; a=a", "fk_a_id=a,id", "1=F"},
      {1, "P:PRIMARY=id; a=a", "fk_a_b=a,b", "1s"},
      /* ... with no PRIMARY the clustered key is unknown: keep it */
      {1, "a=a", "fk_a_b=a,b", "0=F"},
      /* ... and not at all on a non-clustered engine */
      {0, "P:PRIMARY=id; a=a", "fk_a_id=a,id", "1s"},
      /* ... but a declared (a,id) index serves it for sure */
      {1, "P:PRIMARY=id; a=a; a_id_z=a,id,z", "fk_a_id=a,id", "1L2 1s 2=FC"},
      /* non-ASCII names that may differ only in case (a lower-case and an
         upper-case a umlaut): kept */
      {1, "k=\xc3\xa4rger", "fk=\xc3\x84rger", "0=F"},
      {1, "k=\xc3\xa4rger", "fk=\xc3\x84rgerX", "0s"},
      /* several foreign keys: fk names the first that blocks */
      {1, "a_b=a,b", "fk_x=x; fk_ab=a,b; fk_a=a", "0=F 0f1"}};
  RUN_SCENARIOS(cases);
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
