/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of pa_rules: each rule fires on a crafted case with the exact
  SQL and the numbers in its message, and stays silent on a healthy one.
*/
#include "pa_rules.h"
#include "pa_table.h"
#include "pa_test.h"

#include <stdlib.h>


static struct arena ar= PA_TEST_ARENA_INIT;
static struct pa_alloc alloc= {arena_alloc, &ar};

static const struct pa_thresholds th= {100000, 0.3, 1048576, 10000, 20.0,
                                       256ULL << 20, 1000000000000ULL, 3, 20,
                                       10000};

static void add_index(struct pa_table_def *def, const char *name,
                      int primary, int unique, const char *c1,
                      const char *c2)
{
  struct pa_index_def *d= &def->indexes[def->n_indexes++];
  memset(d, 0, sizeof(*d));
  strcpy(d->name, name);
  d->is_primary= primary;
  d->is_unique= unique || primary;
  strcpy(d->cols[0].name, c1);
  d->n_cols= 1;
  if (c2)
  {
    strcpy(d->cols[1].name, c2);
    d->n_cols= 2;
  }
}

static struct pa_rec *find(struct pa_rec_list *l, const char *type,
                           const char *index)
{
  for (size_t i= 0; i < l->n; i++)
    if (!strcmp(l->recs[i].type, type) &&
        (!index || (l->recs[i].index && !strcmp(l->recs[i].index, index))))
      return &l->recs[i];
  return NULL;
}

static void base_table(struct pa_rule_table *t)
{
  memset(t, 0, sizeof(*t));
  t->schema= "erp";
  t->name= "tabGL Entry";
  t->engine= "InnoDB";
  t->facts.sizes_known= 1;
  t->facts.rows= 200000;
  t->facts.data_length= 30ULL << 20;
  t->facts.index_length= 5ULL << 20;
  t->facts.data_free= 4ULL << 20;
  pa_table_compute(&t->facts, &t->metrics);
  t->io_known= 1;
  t->rows_read= 8000000;
  t->full_scan_reads= 8000000;
  t->observed_seconds= 7200;
  t->n_columns= 14;
}

static void test_indexing(void)
{
  struct pa_rule_table t;
  struct pa_rec_list l;
  struct pa_rec *r;

  base_table(&t);
  pa_rec_list_init(&l, &alloc);
  CHECK(pa_rules_table(&t, &th, &l) == 0);
  r= find(&l, "indexing", NULL);
  CHECK(r != NULL);
  if (r)
  {
    CHECK(r->priority == PA_PRIO_HIGH);
    CHECK_STR(r->action, "analyze_query_patterns");
    CHECK(r->sql == NULL);
    CHECK(strstr(r->message, "200000 rows") != NULL);
    CHECK(strstr(r->message, "8000000 rows were read by full scans") != NULL);
    CHECK(strstr(r->message, "ratio 0.17 < 0.30") != NULL);
    CHECK(strstr(r->evidence, "\"full_scan_reads\": 8000000") != NULL);
    CHECK(strlen(r->id) == 16);
  }
  /* silent: small table, well indexed, not scanned, or no evidence */
  t.facts.rows= 100000;
  pa_rec_list_init(&l, &alloc);
  pa_rules_table(&t, &th, &l);
  CHECK(find(&l, "indexing", NULL) == NULL);
  base_table(&t);
  t.facts.index_length= 12ULL << 20;
  pa_table_compute(&t.facts, &t.metrics);
  pa_rec_list_init(&l, &alloc);
  pa_rules_table(&t, &th, &l);
  CHECK(find(&l, "indexing", NULL) == NULL);
  base_table(&t);
  t.full_scan_reads= 1000;
  pa_rec_list_init(&l, &alloc);
  pa_rules_table(&t, &th, &l);
  CHECK(find(&l, "indexing", NULL) == NULL);
  base_table(&t);
  t.io_known= 0;
  pa_rec_list_init(&l, &alloc);
  pa_rules_table(&t, &th, &l);
  CHECK(find(&l, "indexing", NULL) == NULL);
}

static void test_drops(void)
{
  struct pa_table_def *def= calloc(1, sizeof(*def));
  struct pa_index_verdict v[8];
  struct pa_rule_index x[8];
  struct pa_rule_table t;
  struct pa_rec_list l;
  struct pa_rec *r;

  def->clustered_pk= 1;
  add_index(def, "PRIMARY", 1, 1, "name", NULL);
  add_index(def, "account", 0, 0, "account", NULL);
  add_index(def, "account_date", 0, 0, "account", "posting_date");
  add_index(def, "we`ird", 0, 0, "party", NULL);
  add_index(def, "uq", 0, 1, "voucher_no", NULL);
  add_index(def, "small", 0, 0, "company", NULL);
  CHECK(pa_index_analyze(def, NULL, v) == 0);
  for (int i= 0; i < def->n_indexes; i++)
  {
    x[i].def= &def->indexes[i];
    x[i].verdict= &v[i];
    x[i].status= PA_USAGE_UNUSED;
    x[i].reads= 0;
    x[i].observed_seconds= 8 * 86400;
    x[i].size_known= 1;
    x[i].size_bytes= 64ULL << 20;
  }
  x[2].status= PA_USAGE_USED;
  x[5].size_bytes= 16384; /* trivia */
  base_table(&t);
  t.def= def;
  t.indexes= x;
  pa_rec_list_init(&l, &alloc);
  CHECK(pa_rules_table(&t, &th, &l) == 0);

  /* redundant: account is a left prefix of account_date */
  r= find(&l, "redundant_index", "account");
  CHECK(r != NULL);
  if (r)
  {
    CHECK(r->priority == PA_PRIO_MEDIUM);
    CHECK_STR(r->sql, "ALTER TABLE `erp`.`tabGL Entry` ALTER INDEX `account` "
                      "IGNORED");
    CHECK_STR(r->rollback_sql, "ALTER TABLE `erp`.`tabGL Entry` ALTER INDEX "
                               "`account` NOT IGNORED");
    CHECK_STR(r->final_sql,
              "ALTER TABLE `erp`.`tabGL Entry` DROP INDEX `account`");
    CHECK(strstr(r->message, "left prefix of account_date") != NULL);
    CHECK(strstr(r->message, "64.0 MiB") != NULL);
    CHECK(r->benefit == (double) (64ULL << 20));
  }
  /* unused, with a hostile name: quoted */
  r= find(&l, "index_cleanup", "we`ird");
  CHECK(r != NULL);
  if (r)
    CHECK_STR(r->sql, "ALTER TABLE `erp`.`tabGL Entry` ALTER INDEX `we``ird` "
                      "IGNORED");
  /* never: PRIMARY, UNIQUE, the covering index, a used one, trivia */
  CHECK(find(&l, "index_cleanup", "PRIMARY") == NULL);
  CHECK(find(&l, "redundant_index", "PRIMARY") == NULL);
  CHECK(find(&l, "index_cleanup", "uq") == NULL);
  CHECK(find(&l, "index_cleanup", "account_date") == NULL);
  CHECK(find(&l, "index_cleanup", "small") == NULL);
  /* one recommendation per index */
  CHECK(find(&l, "index_cleanup", "account") == NULL);

  /* unknown usage is no evidence */
  for (int i= 0; i < def->n_indexes; i++)
    x[i].status= PA_USAGE_UNKNOWN;
  pa_rec_list_init(&l, &alloc);
  pa_rules_table(&t, &th, &l);
  CHECK(find(&l, "index_cleanup", NULL) == NULL);
  CHECK(find(&l, "redundant_index", "account") != NULL);

  /* an index already ignored: drop it, with a CREATE INDEX to undo */
  def->indexes[3].is_ignored= 1;
  x[3].status= PA_USAGE_UNUSED;
  pa_rec_list_init(&l, &alloc);
  pa_rules_table(&t, &th, &l);
  r= find(&l, "index_cleanup", "we`ird");
  CHECK(r != NULL);
  if (r)
  {
    CHECK_STR(r->action, "drop_index");
    CHECK_STR(r->sql, "ALTER TABLE `erp`.`tabGL Entry` DROP INDEX `we``ird`");
    CHECK_STR(r->rollback_sql, "CREATE INDEX IF NOT EXISTS `we``ird` ON "
                               "`erp`.`tabGL Entry` (`party`)");
    CHECK(r->final_sql == NULL);
  }
  free(def);
}

static void test_fragmentation(void)
{
  struct pa_rule_table t;
  struct pa_rec_list l;
  struct pa_rec *r;

  base_table(&t);
  t.facts.data_free= 300ULL << 20;
  pa_table_compute(&t.facts, &t.metrics);
  pa_rec_list_init(&l, &alloc);
  pa_rules_table(&t, &th, &l);
  r= find(&l, "fragmentation", NULL);
  CHECK(r != NULL);
  if (r)
  {
    CHECK(r->priority == PA_PRIO_LOW);
    CHECK_STR(r->sql, "OPTIMIZE TABLE `erp`.`tabGL Entry`");
    CHECK(strstr(r->message, "300.0 MiB free") != NULL);
    CHECK(strstr(r->message, "90.9% fragmented") != NULL);
  }
  /* InnoDB's preallocated extents on a small table are no finding */
  base_table(&t);
  t.facts.data_length= 1ULL << 20;
  t.facts.data_free= 6ULL << 20;
  pa_table_compute(&t.facts, &t.metrics);
  pa_rec_list_init(&l, &alloc);
  pa_rules_table(&t, &th, &l);
  CHECK(find(&l, "fragmentation", NULL) == NULL);
  /* free space of a shared tablespace (ibdata1) is not the table's */
  base_table(&t);
  t.facts.data_free= 300ULL << 20;
  t.data_free_shared= 1;
  pa_table_compute(&t.facts, &t.metrics);
  pa_rec_list_init(&l, &alloc);
  pa_rules_table(&t, &th, &l);
  CHECK(find(&l, "fragmentation", NULL) == NULL);
}

static void digest(struct pa_rule_digest *d, struct pa_digest_analysis *an,
                   const char *text)
{
  memset(d, 0, sizeof(*d));
  pa_digest_analyze(text, strlen(text), an);
  d->schema= "erp";
  d->text= text;
  d->digest= "0123456789abcdef0123456789abcdef";
  d->an= an;
  d->exec_count= 20000;
  d->sum_ps= 20000ULL * 5000000000ULL;
  d->avg_ps= 5000000000ULL;
  d->rows_examined= 2000000;
  d->rows_sent= 20000;
}

static int has_action(const struct pa_rec_list *l, const char *action)
{
  size_t i;
  for (i= 0; i < l->n; i++)
    if (!strcmp(l->recs[i].action, action))
      return 1;
  return 0;
}

static void test_digests(void)
{
  static struct pa_digest_analysis an;
  struct pa_rule_digest d;
  struct pa_rec_list l;
  struct pa_rec *r;
  struct pa_thresholds slow= th;

  digest(&d, &an,
         "SELECT * FROM `tabItem` WHERE `name` IN ( SELECT `item_code` "
         "FROM `tabBin` ) ORDER BY RAND ( ) LIMIT ?, ?");
  slow.slow_query_ps= 1000000000ULL; /* 1 ms */
  pa_rec_list_init(&l, &alloc);
  CHECK(pa_rules_digest(&d, &slow, &l) == 0);
  r= find(&l, "query_optimization", NULL);
  CHECK(r != NULL);
  if (r)
  {
    CHECK(r->priority == PA_PRIO_HIGH);
    CHECK(strstr(r->message, "ran 20000 times at 5.0 ms") != NULL);
    CHECK(strstr(r->message, "tabItem") != NULL);
    CHECK(r->benefit == 100.0);
  }
  CHECK(l.n == 4); /* slow, in_subquery, order_by_rand, deep_offset */
  /* the default 1 s threshold: not slow, and a fast IN (SELECT ...) is
     no finding (MariaDB makes most of them semi-joins) */
  pa_rec_list_init(&l, &alloc);
  pa_rules_digest(&d, &th, &l);
  CHECK(find(&l, "query_optimization", NULL) == NULL);
  CHECK(l.n == 2); /* order_by_rand, deep_offset */
  CHECK(!has_action(&l, "rewrite_subquery_as_join"));

  digest(&d, &an,
         "SELECT `a` . `x` FROM `a` JOIN `b` ON `b` . `id` = `a` . `b_id` "
         "JOIN `c` ON `c` . `id` = `b` . `c_id` JOIN `d` ON `d` . `id` = "
         "`c` . `d_id` JOIN `e` ON `e` . `id` = `d` . `e_id`");
  pa_rec_list_init(&l, &alloc);
  pa_rules_digest(&d, &slow, &l);
  r= find(&l, "query_pattern", NULL);
  CHECK(r != NULL && !strcmp(r->action, "reduce_joins_or_denormalize"));
  CHECK(r != NULL && strstr(r->message, "5.0 ms on average") != NULL);
  /* ... but not when it is fast */
  pa_rec_list_init(&l, &alloc);
  pa_rules_digest(&d, &th, &l);
  CHECK(l.n == 0);

  digest(&d, &an, "INSERT INTO `tabVersion` ( `name` , `data` ) VALUES (...)");
  pa_rec_list_init(&l, &alloc);
  pa_rules_digest(&d, &th, &l);
  r= find(&l, "query_pattern", NULL);
  CHECK(r != NULL && !strcmp(r->action, "batch_inserts"));
  d.exec_count= 10;
  pa_rec_list_init(&l, &alloc);
  pa_rules_digest(&d, &th, &l);
  CHECK(l.n == 0);

  /* a healthy statement: nothing */
  digest(&d, &an, "SELECT `name` FROM `tabItem` WHERE `name` = ?");
  pa_rec_list_init(&l, &alloc);
  pa_rules_digest(&d, &th, &l);
  CHECK(l.n == 0);
}

static void test_digest_table(void)
{
  static struct pa_digest_analysis an;
  struct pa_table_def *def= calloc(1, sizeof(*def));
  struct pa_rule_digest d;
  struct pa_rule_table t;
  struct pa_rec_list l;
  struct pa_rec *r;
  struct pa_thresholds slow= th;

  slow.slow_query_ps= 1000000000ULL; /* 1 ms: the 5 ms digest is slow */
  add_index(def, "PRIMARY", 1, 1, "name", NULL);
  add_index(def, "posting_date", 0, 0, "posting_date", NULL);
  base_table(&t);
  t.def= def;
  t.n_columns= 40;
  digest(&d, &an,
         "SELECT * FROM `tabGL Entry` WHERE DATE ( `posting_date` ) = ? AND "
         "`remarks` LIKE '%foo' AND YEAR ( `creation` ) = ?");
  pa_rec_list_init(&l, &alloc);
  CHECK(pa_rules_digest_table(&d, 0, &t, &slow, &l) == 0);
  CHECK(l.n == 3); /* select *, leading wildcard, function on posting_date */
  CHECK(l.n == 3 && has_action(&l, "select_needed_columns"));
  r= find(&l, "query_pattern", "posting_date");
  CHECK(r != NULL && !strcmp(r->action, "make_predicate_sargable"));
  /* creation has no index: no finding for it */
  for (size_t i= 0; i < l.n; i++)
    CHECK(strstr(l.recs[i].message, "creation") == NULL ||
          strstr(l.recs[i].message, "Statement:") <
              strstr(l.recs[i].message, "creation"));
  /* a fast SELECT * (5 ms, under the default 1 s) is no finding: an ORM
     fetching rows by key */
  pa_rec_list_init(&l, &alloc);
  pa_rules_digest_table(&d, 0, &t, &th, &l);
  CHECK(l.n == 2 && !has_action(&l, "select_needed_columns"));
  /* a narrow table: SELECT * is fine */
  t.n_columns= 5;
  pa_rec_list_init(&l, &alloc);
  pa_rules_digest_table(&d, 0, &t, &slow, &l);
  CHECK(l.n == 2 && !has_action(&l, "select_needed_columns"));
  /* out-of-range table position */
  pa_rec_list_init(&l, &alloc);
  CHECK(pa_rules_digest_table(&d, 5, &t, &th, &l) == 0 && l.n == 0);
  free(def);
}

int main(void)
{
  test_indexing();
  test_drops();
  test_fragmentation();
  test_digests();
  test_digest_table();
  arena_free(&ar);
  {
    char b[32];
    CHECK_STR(pa_fmt_bytes(512, b, sizeof(b)), "512 B");
    CHECK_STR(pa_fmt_bytes(1536, b, sizeof(b)), "1.5 KiB");
    CHECK_STR(pa_fmt_bytes(UINT64_MAX, b, sizeof(b)), "16.0 EiB");
  }
  return PA_TEST_END("test_rules");
}
