/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of pa_missing: candidate selection, column order of a proposal
  (equality, join, IN, range, ORDER BY / GROUP BY), unindexable predicates,
  coverage by existing indexes, merging, ranking, limits and allocation
  failure.  Digests are ERPNext-shaped and written as MariaDB prints them in
  events_statements_summary_by_digest (raw SQL where a digest would hide
  what is tested, e.g. the LIKE pattern).
*/
#include "pa_missing.h"
#include "pa_test.h"

#include <stdlib.h>


static struct arena ar= PA_TEST_ARENA_INIT;
static const struct pa_alloc A= {arena_alloc, &ar};

/* The analyses of the test statements: compact copies, as the server
   keeps them (pa_stmt_analysis()), on an arena of their own, so that
   AddressSanitizer sees a read past a copy's tables; one table def is
   ~1 MB, so both scratch and def live on the heap. */
static struct arena an_ar= PA_TEST_ARENA_INIT;
static const struct pa_alloc AN= {arena_alloc, &an_ar};
static struct pa_digest_scratch *scratch;
static struct pa_table_def *def;

static const struct pa_digest_analysis *analyze(const char *text)
{
  const struct pa_digest_analysis *an;
  if (pa_digest_analyze(text, strlen(text), scratch) ||
      !(an= pa_digest_analysis_copy(&scratch->an, &AN)))
    abort();
  return an;
}

/* The digests the tests' pa_missing_digests point at: a ring, as an_pool
   (at most MAX_DIG live at once). */
#define MAX_DIG 64
static struct pa_digest dig_pool[MAX_DIG];
static int n_dig;

/* The digest md points at (one of dig_pool), to change its figures. */
static struct pa_digest *fig(const struct pa_missing_digest *md)
{
  return &dig_pool[md->dig - dig_pool];
}

/*
  A digest of table 0 that used no index in every execution:
  exec executions, examined / sent rows.
*/
static struct pa_missing_digest dig(const char *text, uint64_t exec,
                                    uint64_t examined, uint64_t sent,
                                    size_t pos)
{
  struct pa_digest *g= &dig_pool[n_dig++ % MAX_DIG];
  struct pa_missing_digest d;
  memset(g, 0, sizeof(*g));
  g->schema= "erp";
  g->digest= "0123456789abcdef0123456789abcdef";
  g->text= text;
  g->text_len= strlen(text);
  g->exec_count= exec;
  g->rows_examined= examined;
  g->rows_sent= sent;
  g->no_index_used= exec;
  g->sum_ps= exec * 1000000ULL;
  g->avg_ps= 1000000ULL;
  memset(&d, 0, sizeof(d));
  d.dig= g;
  d.an= analyze(text);
  d.table= 0;
  d.digest_pos= pos;
  return d;
}

/* dig() of a join statement, seen from table: 100 executions that
   examined 1000000 rows and sent 100. */
static struct pa_missing_digest join_dig(const char *table, const char *text,
                                         size_t pos)
{
  struct pa_missing_digest d= dig(text, 100, 1000000, 100, pos);
  d.table= pa_digest_find_table(d.an, NULL, table);
  return d;
}

/* The arguments of one dig(). */
struct dig_spec
{
  const char *text;
  uint64_t exec, examined, sent;
  size_t pos;
};

/* d[i]= dig() of spec[i], for i < n. */
static void digs(struct pa_missing_digest *d, const struct dig_spec *spec,
                 size_t n)
{
  for (size_t i= 0; i < n; i++)
    d[i]= dig(spec[i].text, spec[i].exec, spec[i].examined, spec[i].sent,
              spec[i].pos);
}

static void def_reset(int clustered)
{
  memset(def, 0, sizeof(*def));
  def->clustered_pk= clustered;
}

/* Adds an index over a comma-separated column list ("a,b(10),c DESC"
   is not parsed: names only) */
static struct pa_index_def *def_add(const char *name, const char *cols)
{
  struct pa_index_def *idx= &def->indexes[def->n_indexes++];
  const char *p= cols, *e;
  memset(idx, 0, sizeof(*idx));
  strcpy(idx->name, name);
  idx->type= PA_IDX_BTREE;
  idx->is_primary= strcmp(name, "PRIMARY") == 0;
  idx->is_unique= idx->is_primary;
  while (*p)
  {
    e= strchr(p, ',');
    if (!e)
      e= p + strlen(p);
    memcpy(idx->cols[idx->n_cols].name, p, (size_t) (e - p));
    idx->cols[idx->n_cols++].name[e - p]= '\0';
    p= *e ? e + 1 : e;
  }
  return idx;
}

/* The proposal's columns as "a,b,c", for comparisons */
static const char *cols_of(const struct pa_missing_proposal *p)
{
  static char buf[2000];
  int i;
  buf[0]= '\0';
  for (i= 0; i < p->n_cols; i++)
  {
    if (i)
      strcat(buf, ",");
    strcat(buf, p->cols[i]);
  }
  return buf;
}

static int props_are(const struct pa_missing_result *r, const char *want)
{
  if (r->n_props != 1)
  {
    fprintf(stderr, "  n_props=%d, want 1 (%s)\n", r->n_props, want);
    return 0;
  }
  if (strcmp(cols_of(&r->props[0]), want) != 0)
  {
    fprintf(stderr, "  got (%s), want (%s)\n", cols_of(&r->props[0]), want);
    return 0;
  }
  return 1;
}

/*
  Analyse the n digests at d; the analysis succeeds (one check) and
  proposes one index, on want (another): a macro, for the line.  Needs a
  struct pa_missing_result r in scope.
*/
#define PROPOSES(d, n, want)                                                 \
  do                                                                         \
  {                                                                          \
    CHECK(pa_missing_analyze(def, (d), (n), &A, &r) == 0);                   \
    CHECK(props_are(&r, (want)));                                            \
  } while (0)

/* one digest, no index: the single proposal's columns */
static int one(const char *text, const char *want)
{
  struct pa_missing_digest d= dig(text, 100, 100000, 100, 7);
  struct pa_missing_result r;
  if (pa_missing_analyze(def, &d, 1, &A, &r) != 0)
    return 0;
  if (!want)
    return r.n_props == 0;
  return props_are(&r, want) && r.props[0].digests[0] == 7;
}

static void test_erpnext_shapes(void)
{
  struct pa_missing_digest d;
  struct pa_missing_result r;

  def_reset(1);
  def_add("PRIMARY", "name");

  /* the guide's example: equality, then the range that is also the sort */
  d= dig("SELECT * FROM `tabSales Invoice` WHERE `customer` = ? AND "
         "`posting_date` >= ? ORDER BY `posting_date` DESC",
         50, 500000, 1000, 1);
  PROPOSES(&d, 1, "customer,posting_date");
  CHECK(r.n_props == 1 && r.props[0].n_equality == 1);
  CHECK(r.n_props == 1 && r.props[0].n_merged == 1 &&
        r.props[0].n_digests == 1 && r.props[0].digests[0] == 1);
  CHECK(r.n_props == 1 && r.props[0].exec_count == 50 &&
        r.props[0].rows_examined == 500000 && r.props[0].rows_sent == 1000 &&
        r.props[0].sum_ps == 50000000ULL);
  CHECK_NEAR(r.n_props ? r.props[0].score : 0, 50.0 * 500.0, 1e-9);
  CHECK(r.n_unindexable == 0 && r.n_covered == 0 && r.covered == NULL);

  CHECK(one("SELECT * FROM `tabSales Invoice` WHERE `docstatus` = ? AND "
            "`posting_date` BETWEEN ? AND ?",
            "docstatus,posting_date"));
  /* UPDATE / DELETE are looked up the same way */
  CHECK(one("UPDATE `tabBin` SET `actual_qty` = ? WHERE `item_code` = ? "
            "AND `warehouse` = ?",
            "item_code,warehouse"));
  CHECK(one("DELETE FROM `tabVersion` WHERE `ref_doctype` = ? AND "
            "`creation` < ?",
            "ref_doctype,creation"));
  /* the first range by ordinal; a second range column is useless */
  CHECK(one("SELECT * FROM `tabSales Invoice` WHERE `posting_date` > ? AND "
            "`grand_total` > ? AND `company` = ?",
            "company,posting_date"));
  /* a range that is not the first sort item: no sort columns */
  CHECK(one("SELECT * FROM `tabSales Invoice` WHERE `customer` = ? AND "
            "`grand_total` > ? ORDER BY `posting_date`",
            "customer,grand_total"));
  /* sort items bound by equality are constants: skipped for that test */
  CHECK(one("SELECT * FROM `tabGL Entry` WHERE `company` = ? AND "
            "`posting_date` > ? ORDER BY `company` , `posting_date` , "
            "`creation`",
            "company,posting_date,creation"));
  /* no WHERE, only a sort: the sort columns alone */
  CHECK(one("SELECT `name` FROM `tabToDo` ORDER BY `modified` DESC LIMIT ?",
            "modified"));
  /* nothing of this table to index: no proposal */
  CHECK(one("SELECT * FROM `tabSingles`", NULL));
  CHECK(
      one("INSERT INTO `tabVersion` ( `name` , `data` ) VALUES (...)", NULL));
}

/* Conditions under an OR: no composite index serves them. */
static void test_or(void)
{
  def_reset(1);
  def_add("PRIMARY", "name");

  /* an OR of two columns: nothing to propose */
  CHECK(one("SELECT * FROM `tabToDo` WHERE `allocated_to` = ? OR "
            "`owner` = ?",
            NULL));
  /* the ANDed part is still proposed, the OR branches are not */
  CHECK(one("SELECT `tabToDo` . `name` FROM `tabToDo` WHERE `tabToDo` . "
            "`status` = ? AND ( `tabToDo` . `allocated_to` = ? OR "
            "`tabToDo` . `owner` = ? )",
            "status"));
  /* ... and so is the sort, after the equality */
  CHECK(one("SELECT `tabToDo` . `name` FROM `tabToDo` WHERE `tabToDo` . "
            "`status` = ? AND ( `tabToDo` . `allocated_to` = ? OR "
            "`tabToDo` . `owner` = ? ) ORDER BY `tabToDo` . `modified` DESC "
            "LIMIT ?",
            "status,modified"));
  /* an OR at the top reaches the ANDed columns next to it */
  CHECK(one("SELECT * FROM `tabSales Invoice` WHERE `customer` = ? AND "
            "`posting_date` > ? OR `is_return` = ?",
            NULL));
  /* a range under an OR is no range of the index either */
  CHECK(one("SELECT * FROM `tabSales Invoice` WHERE `company` = ? AND "
            "( `posting_date` > ? OR `due_date` > ? )",
            "company"));
  /* a column used both ways keeps its ANDed use */
  CHECK(one("SELECT * FROM `tabItem` WHERE ( `item_group` = ? OR "
            "`brand` = ? ) AND `item_group` = ? AND `disabled` = ?",
            "item_group,disabled"));
  /* an OR inside a subquery leaves the outer conditions alone */
  CHECK(one("SELECT * FROM `tabGL Entry` `g` WHERE `g` . `account` = ? AND "
            "`g` . `voucher_no` IN ( SELECT `j` . `name` FROM "
            "`tabJournal Entry` `j` WHERE `j` . `docstatus` = ? OR "
            "`j` . `is_opening` = ? )",
            "account,voucher_no"));
}

/* A proposal that several others serve: the same merge in any order. */
static void test_merge_order(void)
{
  static const int perm[6][3]= {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
                                {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
  struct pa_missing_digest base[3], d[3];
  /* (status) is served by both longer ones; it joins the best of the
     longest: (status, allocated_to, modified) */
  static const struct dig_spec todo[3]= {
      {"SELECT `name` FROM `tabToDo` WHERE `status` = ? AND "
       "`allocated_to` = ? ORDER BY `modified` DESC LIMIT ?",
       10, 20000, 200, 10},
      {"SELECT `name` FROM `tabToDo` WHERE `status` = ? AND `modified` > ?",
       10, 20000, 6000, 11},
      {"SELECT `name` FROM `tabToDo` WHERE `status` = ?", 5, 10000, 3000, 12}};
  struct pa_missing_result r;
  int k, i;

  def_reset(1);
  def_add("PRIMARY", "name");
  digs(base, todo, 3);
  for (k= 0; k < 6; k++)
  {
    for (i= 0; i < 3; i++)
      d[i]= base[perm[k][i]];
    CHECK(pa_missing_analyze(def, d, 3, &A, &r) == 0);
    CHECK(r.n_props == 2);
    if (r.n_props != 2)
      continue;
    CHECK(strcmp(cols_of(&r.props[0]), "status,allocated_to,modified") == 0);
    CHECK(r.props[0].n_merged == 2 && r.props[1].n_merged == 1);
    CHECK(strcmp(cols_of(&r.props[1]), "status,modified") == 0);
    /* the merged digests keep their input order */
    CHECK(r.props[0].n_digests == 2 &&
          (r.props[0].digests[0] == 10) == (perm[k][0] == 0 ||
                                            (perm[k][0] == 1 &&
                                             perm[k][1] == 0)));
  }
}

static void test_sort_rules(void)
{
  def_reset(0);
  /* one direction: all ORDER BY columns */
  CHECK(one("SELECT * FROM `tabSales Invoice` WHERE `customer` = ? ORDER BY "
            "`posting_date` DESC , `name` DESC",
            "customer,posting_date,name"));
  /* mixed directions: none */
  CHECK(one("SELECT * FROM `tabSales Invoice` WHERE `customer` = ? ORDER BY "
            "`posting_date` DESC , `name`",
            "customer"));
  /* an expression between sort items leaves a gap: none */
  CHECK(one("SELECT * FROM `tabSales Invoice` WHERE `customer` = ? ORDER BY "
            "`posting_date` , `a` + `b` , `name`",
            "customer"));
  /* ORDER BY a column of another table: none */
  CHECK(one("SELECT * FROM `tabSales Invoice` `si` JOIN `tabCustomer` `c` "
            "ON `c` . `name` = `si` . `customer` WHERE `si` . `company` = ? "
            "ORDER BY `c` . `customer_name`",
            "company,customer"));
  /* GROUP BY when there is no ORDER BY */
  CHECK(one("SELECT `customer` , SUM ( `grand_total` ) FROM "
            "`tabSales Invoice` WHERE `docstatus` = ? GROUP BY `customer`",
            "docstatus,customer"));
  CHECK(one("SELECT `customer` , `company` , COUNT ( * ) FROM "
            "`tabSales Invoice` GROUP BY `customer` , `company`",
            "customer,company"));
  /* ORDER BY present (even unusable): GROUP BY is not used */
  CHECK(one("SELECT `customer` , COUNT ( * ) FROM `tabSales Invoice` "
            "WHERE `docstatus` = ? GROUP BY `customer` ORDER BY `customer` "
            "DESC , `company`",
            "docstatus"));
  /* IN after equality; no sort columns after an IN list */
  CHECK(one("SELECT * FROM `tabSales Invoice` WHERE `status` IN (...) AND "
            "`company` = ?",
            "company,status"));
  CHECK(one("SELECT * FROM `tabSales Invoice` WHERE `status` IN (...) AND "
            "`company` = ? ORDER BY `modified` DESC",
            "company,status"));
  CHECK(one("SELECT * FROM `tabSales Invoice` WHERE `status` IN (...) AND "
            "`company` = ? AND `posting_date` < ?",
            "company,status,posting_date"));
  /* a column both bound and ranged once only; case-insensitive */
  CHECK(one("SELECT * FROM `t` WHERE `a` = ? AND `A` > ? AND `b` < ?", "a,b"));
  /* at most five columns */
  CHECK(one("SELECT * FROM `t` WHERE `a` = ? AND `b` = ? AND `c` = ? AND "
            "`d` = ? AND `e` = ? AND `f` = ? AND `g` > ?",
            "a,b,c,d,e"));
  {
    struct pa_missing_digest d= dig("SELECT * FROM `t` WHERE `a` IN (...) "
                                    "AND `b` = ? AND `c` = ? AND `d` = ? "
                                    "AND `e` = ? AND `f` = ?",
                                    1, 1000, 1, 0);
    struct pa_missing_result r;
    PROPOSES(&d, 1, "b,c,d,e,f");
    CHECK(r.n_props == 1 && r.props[0].n_equality == 5);
  }
}

static void test_unindexable(void)
{
  struct pa_missing_digest d[3];
  struct pa_missing_result r;

  def_reset(0);
  /* leading wildcard (raw SQL: a digest hides the pattern) */
  d[0]= dig("SELECT `name` FROM `tabItem` WHERE `item_name` LIKE '%abc%'", 10,
            100000, 10, 3);
  CHECK(pa_missing_analyze(def, d, 1, &A, &r) == 0);
  CHECK(r.n_props == 0 && r.props == NULL && r.n_covered == 0);
  CHECK(r.n_unindexable == 1);
  CHECK(r.n_unindexable == 1 &&
        strcmp(r.unindexable[0].col, "item_name") == 0 &&
        strcmp(r.unindexable[0].reason, "leading_wildcard") == 0 &&
        r.unindexable[0].digest_pos == 3);

  /* a function on the column */
  d[0]= dig("SELECT * FROM `tabSales Invoice` WHERE DATE ( `posting_date` ) "
            "= ?",
            10, 100000, 10, 4);
  CHECK(pa_missing_analyze(def, d, 1, &A, &r) == 0);
  CHECK(r.n_props == 0 && r.n_unindexable == 1);
  CHECK(r.n_unindexable == 1 &&
        strcmp(r.unindexable[0].col, "posting_date") == 0 &&
        strcmp(r.unindexable[0].reason, "function") == 0);

  /* next to an indexable column: both reported, once per (col, reason) */
  d[0]= dig("SELECT * FROM `tabSales Invoice` WHERE `company` = ? AND "
            "DATE ( `posting_date` ) = ? AND YEAR ( `posting_date` ) > ? AND "
            "`title` LIKE '%x' AND `customer` = ?",
            10, 100000, 10, 5);
  PROPOSES(d, 1, "company,customer");
  CHECK(r.n_unindexable == 2);
  CHECK(r.n_unindexable == 2 &&
        strcmp(r.unindexable[0].col, "posting_date") == 0 &&
        strcmp(r.unindexable[1].col, "title") == 0 &&
        strcmp(r.unindexable[1].reason, "leading_wildcard") == 0);

  /* a sargable use of the same column still counts */
  d[0]= dig("SELECT * FROM `t` WHERE DATE ( `d` ) = ? AND `d` > ?", 10, 100000,
            10, 6);
  PROPOSES(d, 1, "d");
  CHECK(r.n_unindexable == 1);

  /* a digest that is not a candidate reports nothing */
  d[0]= dig("SELECT * FROM `t` WHERE DATE ( `d` ) = ?", 10, 10, 10, 8);
  fig(&d[0])->no_index_used= 0;
  CHECK(pa_missing_analyze(def, d, 1, &A, &r) == 0);
  CHECK(r.n_props == 0 && r.n_unindexable == 0 && r.unindexable == NULL);
}

static void test_join(void)
{
  struct pa_missing_digest d;
  struct pa_missing_result r;
  const char *q;

  q= "SELECT `gle` . `debit` , `acc` . `root_type` FROM "
     "`tabGL Entry` `gle` JOIN `tabAccount` `acc` ON "
     "`acc` . `name` = `gle` . `account` WHERE "
     "`gle` . `voucher_no` = ?";

  def_reset(1);
  def_add("PRIMARY", "name");
  d= dig(q, 100, 1000000, 100, 11);
  CHECK(d.an->n_tables == 2);
  /* the GL Entry side: looked up by voucher_no, joined on account */
  d.table= pa_digest_find_table(d.an, NULL, "tabGL Entry");
  PROPOSES(&d, 1, "voucher_no,account");
  CHECK(r.n_props == 1 && r.props[0].n_equality == 2);
  /* the Account side: looked up by name, which its primary key serves */
  d.table= pa_digest_find_table(d.an, NULL, "tabAccount");
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == 0);
  CHECK(r.n_props == 0 && r.n_covered == 1);
  CHECK(r.n_covered == 1 && strcmp(r.covered[0].covered_by, "PRIMARY") == 0 &&
        r.covered[0].n_cols == 1 &&
        strcmp(r.covered[0].cols[0], "name") == 0 &&
        r.covered[0].digest_pos == 11);
  def_reset(1);
  PROPOSES(&d, 1, "name");

  /*
    A join on a unique key of this table: as the inner table it is reached
    through that key, so the key's columns stay out of the index for its
    driving role, where they would stand between the equality and the
    range and spoil it.
  */
  q= "SELECT `si` . `name` , `sii` . `amount` FROM `tabSales Invoice` `si` "
     "JOIN `tabSales Invoice Item` `sii` ON `sii` . `parent` = `si` . `name` "
     "WHERE `si` . `docstatus` = ? AND `si` . `posting_date` BETWEEN ? AND ? "
     "AND `sii` . `item_code` = ?";
  def_reset(1);
  def_add("PRIMARY", "name");
  d= join_dig("tabSales Invoice", q, 13);
  PROPOSES(&d, 1, "docstatus,posting_date");
  /* without the key, the join column is proposed as before */
  def_reset(1);
  PROPOSES(&d, 1, "docstatus,name,posting_date");
  /* nor does an IGNORED unique key count */
  def_add("PRIMARY", "name")->is_ignored= 1;
  PROPOSES(&d, 1, "docstatus,name,posting_date");
  /* the child side: parent is no unique key, it stays */
  def_reset(1);
  def_add("PRIMARY", "name");
  def_add("parent", "parent");
  d.table= pa_digest_find_table(d.an, NULL, "tabSales Invoice Item");
  PROPOSES(&d, 1, "item_code,parent");

  /* a composite unique key, joined on all its columns or on one */
  def_reset(1);
  def_add("PRIMARY", "name");
  def_add("company_account", "company,account_name")->is_unique= 1;
  d= join_dig("tabAccount",
              "SELECT * FROM `tabGL Entry` `g` JOIN `tabAccount` `a` ON "
              "`a` . `company` = `g` . `company` AND `a` . `account_name` = "
              "`g` . `account` WHERE `a` . `root_type` = ?",
              14);
  PROPOSES(&d, 1, "root_type");
  d= join_dig("tabAccount",
              "SELECT * FROM `tabGL Entry` `g` JOIN `tabAccount` `a` ON "
              "`a` . `company` = `g` . `company` WHERE `a` . `root_type` = ?",
              15);
  PROPOSES(&d, 1, "root_type,company");
  /* a prefix key part is no whole unique key */
  def_reset(1);
  def_add("uname", "name")->is_unique= 1;
  def->indexes[0].cols[0].prefix_len= 10;
  d= join_dig("tabCustomer",
              "SELECT * FROM `tabCustomer` `c` JOIN `tabSales Invoice` `si` "
              "ON `c` . `name` = `si` . `customer` WHERE `c` . `territory` "
              "= ?",
              16);
  PROPOSES(&d, 1, "territory,name");
  def->indexes[0].cols[0].prefix_len= 0;
  PROPOSES(&d, 1, "territory");

  /* an unqualified column in a join is not attributed */
  d= dig("SELECT * FROM `tabGL Entry` `gle` JOIN `tabAccount` `acc` ON "
         "`acc` . `name` = `gle` . `account` WHERE `voucher_no` = ?",
         100, 1000000, 100, 12);
  PROPOSES(&d, 1, "account");
}

static void test_covered(void)
{
  struct pa_missing_digest d;
  struct pa_missing_result r;
  struct pa_index_def *idx;
  const char *q= "SELECT * FROM `tabSales Invoice` WHERE `customer` = ? AND "
                 "`posting_date` >= ? ORDER BY `posting_date` DESC";

  def_reset(1);
  def_add("PRIMARY", "name");
  def_add("customer_posting", "Customer,posting_date,name");
  d= dig(q, 50, 500000, 1000, 21);
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == 0);
  CHECK(r.n_props == 0 && r.n_covered == 1);
  CHECK(r.n_covered == 1 &&
        strcmp(r.covered[0].covered_by, "customer_posting") == 0 &&
        r.covered[0].n_cols == 2 && r.covered[0].digest_pos == 21);

  /* an IGNORED index, a HASH index and a column prefix do not serve */
  def->indexes[1].is_ignored= 1;
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == 0);
  CHECK(r.n_props == 1 && r.n_covered == 0);
  def->indexes[1].is_ignored= 0;
  def->indexes[1].type= PA_IDX_HASH;
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == 0);
  CHECK(r.n_props == 1 && r.n_covered == 0);
  def->indexes[1].type= PA_IDX_BTREE;
  def->indexes[1].cols[1].prefix_len= 4;
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == 0);
  CHECK(r.n_props == 1 && r.n_covered == 0);
  def->indexes[1].cols[1].prefix_len= 0;

  /* the order of key parts matters past the equality columns ... */
  def_reset(1);
  def_add("PRIMARY", "name");
  def_add("pd_cust", "posting_date,customer");
  PROPOSES(&d, 1, "customer,posting_date");
  /* ... but not among them */
  d= dig("SELECT * FROM `tabSales Invoice` WHERE `customer` = ? AND "
         "`posting_date` = ?",
         50, 500000, 1000, 22);
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == 0);
  CHECK(r.n_props == 0 && r.n_covered == 1 &&
        strcmp(r.covered[0].covered_by, "pd_cust") == 0);
  /* a shorter index does not serve */
  def_reset(0);
  def_add("cust", "customer");
  PROPOSES(&d, 1, "customer,posting_date");

  /* InnoDB appends the primary key to a secondary index */
  d= dig("SELECT * FROM `tabSales Invoice` WHERE `customer` = ? ORDER BY "
         "`name`",
         50, 500000, 1000, 23);
  def_reset(1);
  def_add("PRIMARY", "name");
  idx= def_add("cust", "customer");
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == 0);
  CHECK(r.n_props == 0 && r.n_covered == 1 &&
        strcmp(r.covered[0].covered_by, "cust") == 0);
  def->clustered_pk= 0;
  PROPOSES(&d, 1, "customer,name");
  (void) idx;
}

static void test_merge_rank(void)
{
  static const struct dig_spec bin[3]= {
      {"SELECT * FROM `tabBin` WHERE `item_code` = ? AND `warehouse` = ?", 5,
       5000, 5, 200},
      {"SELECT * FROM `tabBin` WHERE `warehouse` = ? AND `item_code` = ?", 5,
       5000, 5, 201},
      {"SELECT * FROM `tabBin` WHERE `item_code` = ? AND `warehouse` = ?", 5,
       5000, 5, 202}};
  struct pa_missing_digest d[24];
  struct pa_missing_result r;
  int i;

  def_reset(1);
  def_add("PRIMARY", "name");
  /* (customer) merges into (customer, posting_date), either order */
  d[0]= dig("SELECT * FROM `tabSales Invoice` WHERE `customer` = ?", 10, 10000,
            10, 100);
  d[1]= dig("SELECT * FROM `tabSales Invoice` WHERE `customer` = ? AND "
            "`posting_date` >= ? ORDER BY `posting_date` DESC",
            20, 40000, 20, 101);
  PROPOSES(d, 2, "customer,posting_date");
  CHECK(r.n_props == 1 && r.props[0].n_merged == 2 &&
        r.props[0].n_digests == 2 && r.props[0].digests[0] == 100 &&
        r.props[0].digests[1] == 101);
  CHECK(r.n_props == 1 && r.props[0].exec_count == 30 &&
        r.props[0].rows_examined == 50000 && r.props[0].rows_sent == 30);
  CHECK_NEAR(r.n_props ? r.props[0].score : 0, 10.0 * 1000 + 20.0 * 2000,
             1e-9);
  d[2]= d[0];
  PROPOSES(d + 1, 2, "customer,posting_date");
  CHECK(r.n_props == 1 && r.props[0].n_merged == 2 &&
        r.props[0].digests[0] == 101 && r.props[0].digests[1] == 100);

  /* identical lists merge; equality columns in another order too */
  digs(d, bin, 3);
  PROPOSES(d, 3, "item_code,warehouse");
  CHECK(r.n_props == 1 && r.props[0].n_merged == 3);
  /* a longer proposal with a fixed order keeps its order; the merged
     proposal may then be reordered only where every digest allows */
  d[3]= dig("SELECT * FROM `tabBin` WHERE `warehouse` = ? ORDER BY "
            "`item_code` , `modified`",
            5, 5000, 5, 203);
  PROPOSES(d, 4, "warehouse,item_code,modified");
  CHECK(r.n_props == 1 && r.props[0].n_merged == 4 &&
        r.props[0].n_equality == 1);

  /* a longer list that is not an extension stays apart */
  d[0]= dig("SELECT * FROM `t` WHERE `a` = ? AND `b` > ?", 1, 1000, 1, 300);
  d[1]= dig("SELECT * FROM `t` WHERE `b` = ? AND `a` > ?", 1, 1000, 1, 301);
  CHECK(pa_missing_analyze(def, d, 2, &A, &r) == 0);
  CHECK(r.n_props == 2);

  /* ranking: score, then column list */
  d[0]= dig("SELECT * FROM `t` WHERE `low` = ?", 1, 1000, 1, 400);
  d[1]= dig("SELECT * FROM `t` WHERE `high` = ?", 100, 100000, 100, 401);
  d[2]= dig("SELECT * FROM `t` WHERE `mid_b` = ?", 10, 10000, 10, 402);
  d[3]= dig("SELECT * FROM `t` WHERE `mid_a` = ?", 10, 10000, 10, 403);
  /* rows_sent 0: divided by 1 */
  d[4]= dig("SELECT * FROM `t` WHERE `none_sent` = ?", 2, 1000000, 0, 404);
  CHECK(pa_missing_analyze(def, d, 5, &A, &r) == 0);
  CHECK(r.n_props == 5);
  if (r.n_props == 5)
  {
    CHECK_STR(r.props[0].cols[0], "none_sent");
    CHECK_NEAR(r.props[0].score, 2e6, 1e-6);
    CHECK_STR(r.props[1].cols[0], "high");
    CHECK_STR(r.props[2].cols[0], "mid_a");
    CHECK_STR(r.props[3].cols[0], "mid_b");
    CHECK_STR(r.props[4].cols[0], "low");
  }

  /* digest_pos list capped, counters not */
  for (i= 0; i < 20; i++)
    d[i]= dig("SELECT * FROM `t` WHERE `a` = ?", 1, 100, 1, (size_t) i);
  CHECK(pa_missing_analyze(def, d, 20, &A, &r) == 0);
  CHECK(r.n_props == 1 && r.props[0].n_merged == 20 &&
        r.props[0].n_digests == PA_MISSING_MAX_DIGESTS &&
        r.props[0].digests[15] == 15 && r.props[0].exec_count == 20);
  /* saturating sums */
  fig(&d[0])->rows_examined= UINT64_MAX;
  fig(&d[1])->rows_examined= UINT64_MAX;
  CHECK(pa_missing_analyze(def, d, 2, &A, &r) == 0);
  CHECK(r.n_props == 1 && r.props[0].rows_examined == UINT64_MAX);
}

static void test_candidates(void)
{
  struct pa_missing_digest d;
  struct pa_missing_result r;
  const char *q= "SELECT * FROM `tabSales Invoice` WHERE `customer` = ?";

  def_reset(0);
  /* used an index, examined about what it sent: nothing */
  d= dig(q, 100, 120, 100, 1);
  fig(&d)->no_index_used= 0;
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == 0);
  CHECK(r.n_props == 0 && r.n_covered == 0 && r.n_unindexable == 0);
  /* no good index in one execution */
  fig(&d)->no_good_index_used= 1;
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == 0);
  CHECK(r.n_props == 1);
  fig(&d)->no_good_index_used= 0;
  /* ten rows examined per row sent: a candidate; 9.9 is not */
  fig(&d)->rows_examined= 1000;
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == 0);
  CHECK(r.n_props == 1);
  fig(&d)->rows_examined= 990;
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == 0);
  CHECK(r.n_props == 0);
  /* sending no rows: per execution */
  d= dig("UPDATE `tabBin` SET `qty` = ? WHERE `item_code` = ?", 100, 900, 0,
         2);
  fig(&d)->no_index_used= 0;
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == 0);
  CHECK(r.n_props == 0);
  fig(&d)->rows_examined= 1000;
  PROPOSES(&d, 1, "item_code");
  /* never executed, nothing examined */
  fig(&d)->exec_count= 0;
  fig(&d)->rows_examined= 0;
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == 0);
  CHECK(r.n_props == 0);
}

static void test_args(void)
{
  struct pa_missing_digest d=
      dig("SELECT * FROM `t` WHERE `a` = ?", 1, 100, 1, 0);
  struct pa_missing_result r;
  struct arena fail= {NULL, 0, 0, 0};
  struct pa_alloc f= {arena_alloc, &fail};

  def_reset(0);
  CHECK(pa_missing_analyze(def, NULL, 0, &A, &r) == 0);
  CHECK(r.n_props == 0 && r.props == NULL && r.n_covered == 0 &&
        r.n_unindexable == 0);
  CHECK(pa_missing_analyze(NULL, &d, 1, &A, &r) == -1);
  CHECK(pa_missing_analyze(def, &d, 1, NULL, &r) == -1);
  CHECK(pa_missing_analyze(def, &d, 1, &A, NULL) == -1);
  CHECK(pa_missing_analyze(def, NULL, 1, &A, &r) == -1);
  d.table= 1;
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == -1);
  d.table= -1;
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == -1);
  d.table= 0;
  d.an= NULL;
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == -1);
  /* a digest without its figures */
  d= dig("SELECT * FROM `t` WHERE `a` = ?", 1, 100, 1, 0);
  CHECK(pa_missing_is_candidate(&d));
  d.dig= NULL;
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == -1);
  CHECK(!pa_missing_is_candidate(&d) && !pa_missing_is_candidate(NULL));
  d= dig("SELECT * FROM `t` WHERE `a` = ?", 1, 100, 1, 0);
  def->n_indexes= PA_TABLE_MAX_INDEXES + 1;
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == -1);
  def_reset(0);
  def_add("bad", "x");
  def->indexes[0].n_cols= 0;
  CHECK(pa_missing_analyze(def, &d, 1, &A, &r) == -1);

  /* allocation failure: -1 and an empty result */
  def_reset(0);
  CHECK(pa_missing_analyze(def, &d, 1, &f, &r) == -1);
  CHECK(r.n_props == 0 && r.props == NULL);
  arena_free(&fail);
}

/* Statistics for the tests below: name, distinct, null share, top share */
static struct pa_missing_colstat cs[16];
static struct pa_missing_stats st;

static void stats_reset(uint64_t rows)
{
  memset(cs, 0, sizeof(cs));
  memset(&st, 0, sizeof(st));
  st.rows_known= 1;
  st.rows= rows;
  st.cols= cs;
  st.max_keep= 0.5;
  st.max_cols= 3;
  st.min_cut= 0.5;
}

static void stat_add(const char *name, double distinct, double nulls,
                     double top)
{
  struct pa_missing_colstat *c= &cs[st.n_cols++];
  strcpy(c->name, name);
  c->distinct= distinct;
  c->null_frac= nulls;
  c->top_share= top;
}

/* one digest with statistics: 0 on success, r filled */
static int one_st(const char *text, uint64_t exec, uint64_t examined,
                  uint64_t sent, struct pa_missing_result *r)
{
  struct pa_missing_digest d= dig(text, exec, examined, sent, 3);
  return pa_missing_analyze_stats(def, &st, &d, 1, &A, r);
}

static int skipped_is(const struct pa_missing_result *r, const char *reason,
                      const char *cols)
{
  char buf[2000]= "";
  int i;
  if (r->n_props != 0 || r->n_skipped != 1 || r->n_covered != 0)
  {
    fprintf(stderr, "  props=%d skipped=%d covered=%d\n", r->n_props,
            r->n_skipped, r->n_covered);
    return 0;
  }
  for (i= 0; i < r->skipped[0].n_cols; i++)
  {
    if (i)
      strcat(buf, ",");
    strcat(buf, r->skipped[0].cols[i]);
  }
  if (strcmp(r->skipped[0].reason, reason) || strcmp(buf, cols) ||
      r->skipped[0].digest_pos != 3)
  {
    fprintf(stderr, "  got %s (%s), want %s (%s)\n", r->skipped[0].reason,
            buf, reason, cols);
    return 0;
  }
  return 1;
}

/*
  one_st() succeeds (one check) and proposes want, or skips with reason
  and cols (another): macros, for the line.  Need a struct
  pa_missing_result r in scope.
*/
#define ST_PROPOSES(text, exec, examined, sent, want)                        \
  do                                                                         \
  {                                                                          \
    CHECK(one_st((text), (exec), (examined), (sent), &r) == 0);             \
    CHECK(props_are(&r, (want)));                                            \
  } while (0)
#define ST_SKIPS(text, exec, examined, sent, reason, cols)                   \
  do                                                                         \
  {                                                                          \
    CHECK(one_st((text), (exec), (examined), (sent), &r) == 0);             \
    CHECK(skipped_is(&r, (reason), (cols)));                                 \
  } while (0)

static void test_keep(void)
{
  struct pa_missing_colstat c;
  memset(&c, 0, sizeof(c));
  c.distinct= -1;
  c.null_frac= -1;
  c.top_share= -1;
  CHECK(pa_missing_keep(NULL) == -1);
  CHECK(pa_missing_keep(&c) == -1);
  c.distinct= 0;
  CHECK(pa_missing_keep(&c) == -1);
  c.distinct= 4;
  CHECK(fabs(pa_missing_keep(&c) - 0.25) < 1e-12);
  /* NULLs never match "= ?" */
  c.null_frac= 0.5;
  CHECK(fabs(pa_missing_keep(&c) - 0.125) < 1e-12);
  /* a top value of 90 %: a value drawn like the rows keeps 0.81 or more */
  c.null_frac= 0;
  c.top_share= 0.9;
  CHECK(fabs(pa_missing_keep(&c) - 0.81) < 1e-12);
  /* out-of-range shares are ignored, the result never exceeds 1 */
  c.top_share= 7;
  c.null_frac= -3;
  CHECK(fabs(pa_missing_keep(&c) - 0.25) < 1e-12);
  c.distinct= 0.5;
  CHECK(pa_missing_keep(&c) == 1);

  /* lookup by name, ASCII case-insensitively */
  strcpy(c.name, "Party");
  CHECK(pa_missing_colstat_find(&c, 1, "PARTY") == &c);
  CHECK(pa_missing_colstat_find(&c, 1, "part") == NULL);
  CHECK(pa_missing_colstat_find(&c, 0, "party") == NULL);
  CHECK(pa_missing_colstat_find(NULL, 1, "party") == NULL);
  CHECK(pa_missing_colstat_find(&c, 1, NULL) == NULL);
}

static void test_statistics(void)
{
  struct pa_missing_result r;
  const char *flags= "SELECT * FROM `tabGL Entry` WHERE `docstatus` = ? AND "
                     "`is_cancelled` = ? AND `party` = ?";

  def_reset(1);
  def_add("PRIMARY", "name");

  /* a flag matching 99 % of the rows never leads, nor one with 2 values
     of unknown shares; without statistics both lead in text order */
  stats_reset(100000);
  stat_add("docstatus", 3, 0, 0.99);
  stat_add("is_cancelled", 2, 0, -1);
  stat_add("party", 2000, 0, 0.01);
  CHECK(one(flags, "docstatus,is_cancelled,party"));
  CHECK(one_st(flags, 100, 10000000, 100, &r) == 0);
  CHECK(props_are(&r, "party"));
  CHECK(r.n_props == 1 && r.props[0].est_rows_per_exec == 50 &&
        r.props[0].now_rows_per_exec == 100000 &&
        !r.props[0].est_upper_bound);

  /* only flags: no proposal, and why */
  ST_SKIPS("SELECT * FROM `tabGL Entry` WHERE `docstatus` = ? AND "
           "`is_cancelled` = ?",
           100, 10000000, 100, "not_selective", "docstatus,is_cancelled");

  /* a leading-wildcard LIKE and a flag: nothing to index */
  ST_SKIPS("SELECT * FROM `tabGL Entry` WHERE `remarks` LIKE '%x%' AND "
           "`is_cancelled` = 0",
           100, 10000000, 100, "not_selective", "is_cancelled");
  CHECK(r.n_unindexable == 1 && !strcmp(r.unindexable[0].col, "remarks"));
  ST_SKIPS("SELECT * FROM `tabGL Entry` WHERE `remarks` LIKE '%x%'",
           100, 10000000, 100, "unindexable", "");
  CHECK(one_st("SELECT * FROM `tabGL Entry` WHERE `remarks` LIKE ?", 100,
               10000000, 100, &r) == 0);
  CHECK(skipped_is(&r, "unindexable", "") && r.n_unindexable == 0);

  ST_SKIPS("SELECT COUNT(*) FROM `tabGL Entry`",
           100, 10000000, 100, "no_filter", "");

  /* only under an OR */
  ST_SKIPS("SELECT * FROM `tabGL Entry` WHERE `voucher_no` = ? OR "
           "`against_voucher` = ?", 100, 10000000, 100, "or_only", "");

  /* most selective first; unknown columns after known ones, in text order */
  stats_reset(100000);
  stat_add("company", 3, 0, 0.4);
  stat_add("account", 500, 0, 0.05);
  ST_PROPOSES("SELECT * FROM `tabGL Entry` WHERE `company` = ? AND "
              "`cost_center` = ? AND `account` = ?",
              100, 10000000, 100, "account,company,cost_center");
  CHECK(r.n_props == 1 && r.props[0].n_equality == 3 &&
        r.props[0].est_rows_per_exec < 0);

  /* at most max_cols: the most selective equality columns */
  stats_reset(100000);
  stat_add("a", 10, 0, -1);
  stat_add("b", 1000, 0, -1);
  stat_add("c", 100, 0, -1);
  stat_add("d", 5, 0, -1);
  ST_PROPOSES("SELECT * FROM `t` WHERE `a` = ? AND `b` = ? AND `c` = ? AND "
              "`d` = ? AND `e` > ?", 100, 10000000, 100, "b,c,a");
  st.max_cols= 5;
  ST_PROPOSES("SELECT * FROM `t` WHERE `a` = ? AND `b` = ? AND `c` = ? AND "
              "`d` = ? AND `e` > ?", 100, 10000000, 100, "b,c,a,d,e");
  CHECK(r.n_props == 1 && r.props[0].est_upper_bound &&
        fabs(r.props[0].est_rows_per_exec - 100000.0 / 5e6) < 1e-9);
  /* sort columns whole or not at all */
  st.max_cols= 3;
  ST_PROPOSES("SELECT * FROM `t` WHERE `b` = ? ORDER BY `x`, `y`, `z` "
              "LIMIT ?", 100, 10000000, 100, "b");
  ST_PROPOSES("SELECT * FROM `t` WHERE `b` = ? ORDER BY `x`, `y` LIMIT ?",
              100, 10000000, 100, "b,x,y");

  /* a flag and a sort: with a LIMIT the sort index pays, without it the
     whole index would be read in random order to save one sort */
  stats_reset(100000);
  stat_add("docstatus", 3, 0, 0.95);
  ST_PROPOSES("SELECT * FROM `tabSales Invoice` WHERE `docstatus` = ? "
              "ORDER BY `modified` DESC LIMIT ?",
              100, 10000000, 2000, "modified");
  CHECK(r.n_props == 1 && r.props[0].est_rows_per_exec < 0);
  ST_SKIPS("SELECT * FROM `tabSales Invoice` WHERE `docstatus` = ? "
           "ORDER BY `modified` DESC",
           100, 10000000, 2000, "not_selective", "docstatus");
  /* no filter at all, only a GROUP BY or an ORDER BY: without a LIMIT
     the same whole read in random order (the digest does not show
     whether the index would cover the statement); with one, the order */
  ST_SKIPS("SELECT `status` , COUNT ( * ) , SUM ( `grand_total` ) FROM "
           "`tabSales Invoice` GROUP BY `status` ",
           100, 10000000, 500, "no_filter", "");
  ST_SKIPS("SELECT * FROM `tabSales Invoice` ORDER BY `modified` DESC",
           100, 10000000, 2000, "no_filter", "");
  ST_PROPOSES("SELECT * FROM `tabSales Invoice` ORDER BY `modified` DESC "
              "LIMIT ?", 100, 10000000, 2000, "modified");
  /* the flag bound by equality does not spoil the range that sorts */
  ST_PROPOSES("SELECT * FROM `tabSales Invoice` WHERE `docstatus` = ? AND "
              "`posting_date` > ? ORDER BY `docstatus`, `posting_date`",
              100, 10000000, 2000, "posting_date");

  /* little gain: 3 values keep a third of the rows; a cut of 67 % passes
     0.5, not 0.8 */
  stats_reset(1000);
  stat_add("status", 3, 0, 0.34);
  ST_PROPOSES("SELECT * FROM `t` WHERE `status` = ?",
              10, 10000, 3000, "status");
  st.min_cut= 0.8;
  ST_SKIPS("SELECT * FROM `t` WHERE `status` = ?",
           10, 10000, 3000, "little_gain", "status");
  CHECK(fabs(r.skipped[0].est_rows_per_exec - 1000.0 / 3) < 1e-9 &&
        r.skipped[0].now_rows_per_exec == 1000);
  /* rows unknown: no estimate, so no little_gain */
  st.rows_known= 0;
  CHECK(one_st("SELECT * FROM `t` WHERE `status` = ?", 10, 10000, 3000,
               &r) == 0);
  CHECK(props_are(&r, "status") && r.props[0].est_rows_per_exec < 0);

  /* an existing index in another order, led by the flag, serves it */
  def_reset(1);
  def_add("PRIMARY", "name");
  def_add("flag_party", "docstatus,party");
  stats_reset(100000);
  stat_add("docstatus", 3, 0, 0.99);
  stat_add("party", 2000, 0, 0.01);
  CHECK(one_st("SELECT * FROM `tabGL Entry` WHERE `party` = ? AND "
               "`docstatus` = ?", 100, 10000000, 100, &r) == 0);
  CHECK(r.n_props == 0 && r.n_skipped == 0 && r.n_covered == 1 &&
        !strcmp(r.covered[0].covered_by, "flag_party"));
  /* and an index on the selective column alone serves the new plan */
  def_reset(1);
  def_add("PRIMARY", "name");
  def_add("party", "party");
  CHECK(one_st("SELECT * FROM `tabGL Entry` WHERE `party` = ? AND "
               "`docstatus` = ?", 100, 10000000, 100, &r) == 0);
  CHECK(r.n_props == 0 && r.n_covered == 1 &&
        !strcmp(r.covered[0].covered_by, "party"));

  /* merged digests: executions-weighted estimates */
  {
    struct pa_missing_digest d[2];
    def_reset(1);
    def_add("PRIMARY", "name");
    stats_reset(100000);
    stat_add("party", 1000, 0, -1);
    stat_add("account", 100, 0, -1);
    d[0]= dig("SELECT * FROM `t` WHERE `party` = ?", 300, 3000000, 100, 0);
    d[1]= dig("SELECT * FROM `t` WHERE `party` = ? AND `account` = ?", 100,
              10000000, 100, 1);
    CHECK(pa_missing_analyze_stats(def, &st, d, 2, &A, &r) == 0);
    CHECK(props_are(&r, "party,account"));
    CHECK(r.n_props == 1 && r.props[0].n_merged == 2 &&
          fabs(r.props[0].now_rows_per_exec - 32500) < 1e-6 &&
          fabs(r.props[0].est_rows_per_exec - (300 * 100 + 100 * 1) / 400.0)
              < 1e-9);
    /* one unknown estimate makes the merged one unknown */
    stats_reset(100000);
    stat_add("party", 1000, 0, -1);
    CHECK(pa_missing_analyze_stats(def, &st, d, 2, &A, &r) == 0);
    CHECK(r.n_props == 1 && r.props[0].est_rows_per_exec < 0);
  }

  /* bad thresholds */
  stats_reset(10);
  st.max_cols= 0;
  CHECK(one_st("SELECT * FROM `t` WHERE `a` = ?", 1, 100, 1, &r) == -1);
  st.max_cols= PA_MISSING_MAX_COLS + 1;
  CHECK(one_st("SELECT * FROM `t` WHERE `a` = ?", 1, 100, 1, &r) == -1);
  stats_reset(10);
  st.max_keep= 0;
  CHECK(one_st("SELECT * FROM `t` WHERE `a` = ?", 1, 100, 1, &r) == -1);
  stats_reset(10);
  st.min_cut= 1.5;
  CHECK(one_st("SELECT * FROM `t` WHERE `a` = ?", 1, 100, 1, &r) == -1);
  stats_reset(10);
  st.n_cols= 1;
  st.cols= NULL;
  CHECK(one_st("SELECT * FROM `t` WHERE `a` = ?", 1, 100, 1, &r) == -1);
  CHECK(r.n_props == 0 && r.props == NULL);
}

/*
  One statement with statistics: its executions, rows examined and sent,
  and the verdict: skipped for reason (NULL: proposed) on cols.
*/
struct st_case
{
  const char *text;
  uint64_t exec, examined, sent;
  const char *reason, *cols;
};

static void run_st_cases(const struct st_case *c, size_t n)
{
  struct pa_missing_result r;
  for (size_t k= 0; k < n; k++, c++)
  {
    int failed= pa_test_failed;
    if (c->reason)
      ST_SKIPS(c->text, c->exec, c->examined, c->sent, c->reason, c->cols);
    else
      ST_PROPOSES(c->text, c->exec, c->examined, c->sent, c->cols);
    if (pa_test_failed != failed)
      fprintf(stderr, "  in the statement %s\n", c->text);
  }
}

#define UR "unknown_range"
#define PD "posting_date"

/* A range that leads a plan: what it keeps is hidden in the digest. */
static void test_unknown_range(void)
{
  static const struct st_case cases[]= {
      /* a tenth at most, several rows per execution: narrow, proposed */
      {"SELECT * FROM `t` WHERE `posting_date` > ?", 10, 1000000, 100000,
       NULL, PD},
      {"SELECT * FROM `t` WHERE `posting_date` > ?", 10, 1000000, 100001,
       UR, PD},
      /* another filter outside the plan narrows the rows sent too */
      {"SELECT * FROM `t` WHERE `posting_date` > ? AND `due_date` < ?", 10,
       1000000, 1000, UR, PD},
      {"SELECT * FROM `t` WHERE `posting_date` > ? AND "
       "`remarks` LIKE '%x%'",
       10, 1000000, 1000, UR, PD},
      /* GROUP BY hides the rows; one row per execution may be an
         aggregate */
      {"SELECT `status`, COUNT(*) FROM `t` WHERE `posting_date` > ? "
       "GROUP BY `status`",
       10, 1000000, 30, UR, PD},
      {"SELECT SUM(`amount`) FROM `t` WHERE `posting_date` > ?", 10, 1000000,
       10, UR, PD},
      /* the index also gives the ORDER BY of a LIMIT: proposed whatever the
         range keeps; without the LIMIT it is not */
      {"SELECT * FROM `t` WHERE `posting_date` > ? "
       "ORDER BY `posting_date` LIMIT ?",
       10, 1000000, 330000, NULL, PD},
      {"SELECT * FROM `t` WHERE `posting_date` > ? ORDER BY `posting_date`",
       10, 1000000, 330000, UR, PD},
      /* a selective equality column leads: the range follows it */
      {"SELECT * FROM `t` WHERE `customer` = ? AND `posting_date` > ?", 10,
       1000000, 330000, NULL, "customer,posting_date"}};
  /* a flag left out leaves the range leading: the same rule */
  static const struct st_case flag[]= {
      {"SELECT * FROM `t` WHERE `docstatus` = ? AND `posting_date` > ?", 10,
       1000000, 330000, UR, PD}};
  struct pa_missing_result r;

  def_reset(1);
  def_add("PRIMARY", "name");
  stats_reset(100000);
  stat_add("customer", 5000, 0, 0.001);
  /* a third of the rows examined are sent: the range keeps a lot */
  ST_SKIPS("SELECT * FROM `t` WHERE `posting_date` > ?", 10, 1000000, 330000,
           UR, PD);
  CHECK(r.skipped[0].est_rows_per_exec < 0);
  run_st_cases(cases, sizeof(cases) / sizeof(cases[0]));
  stat_add("docstatus", 2, 0, 0.99);
  run_st_cases(flag, 1);
  /* without statistics the rule is not applied (syntax only) */
  {
    struct pa_missing_digest d= dig("SELECT * FROM `t` WHERE "
                                    "`posting_date` > ?", 10, 1000000,
                                    330000, 3);
    PROPOSES(&d, 1, PD);
  }
}

int main(void)
{
  scratch= malloc(sizeof(*scratch));
  def= calloc(1, sizeof(*def));
  if (!scratch || !def)
    return 2;
  test_erpnext_shapes();
  test_or();
  test_merge_order();
  test_sort_rules();
  test_unindexable();
  test_join();
  test_covered();
  test_merge_rank();
  test_candidates();
  test_args();
  test_keep();
  test_statistics();
  test_unknown_range();
  arena_free(&ar);
  arena_free(&an_ar);
  free(scratch);
  free(def);
  return PA_TEST_END("test_missing");
}
