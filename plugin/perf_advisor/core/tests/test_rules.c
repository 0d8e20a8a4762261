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
#include "pa_test_index.h"

#include <stdlib.h>


static struct arena ar= PA_TEST_ARENA_INIT;
static struct pa_alloc alloc= {arena_alloc, &ar};

static const struct pa_thresholds th= {100000, 0.3, 1048576, 10000, 20.0,
                                       256ULL << 20, 1000000000000ULL, 3, 20,
                                       10000, 4, 31};

static struct pa_rec *find(struct pa_rec_list *l, const char *type,
                           const char *index)
{
  for (size_t i= 0; i < l->n; i++)
    if (!strcmp(l->recs[i].type, type) &&
        (!index || (l->recs[i].index && !strcmp(l->recs[i].index, index))))
      return &l->recs[i];
  return NULL;
}

/* A fresh list l, then the table rules of t under h into it. */
static int table_rules(const struct pa_rule_table *t,
                       const struct pa_thresholds *h, struct pa_rec_list *l)
{
  pa_rec_list_init(l, &alloc);
  return pa_rules_table(t, h, l);
}

/* A fresh list l, then the statement rules of d under h into it. */
static int digest_rules(const struct pa_rule_digest *d,
                        const struct pa_thresholds *h, struct pa_rec_list *l)
{
  pa_rec_list_init(l, &alloc);
  return pa_rules_digest(d, h, l);
}

/* A fresh list l, then the rules of d on its table at pos into it. */
static int digest_table_rules(const struct pa_rule_digest *d, int pos,
                              const struct pa_rule_table *t,
                              const struct pa_thresholds *h,
                              struct pa_rec_list *l)
{
  pa_rec_list_init(l, &alloc);
  return pa_rules_digest_table(d, pos, t, h, l);
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
  CHECK(table_rules(&t, &th, &l) == 0);
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
  table_rules(&t, &th, &l);
  CHECK(find(&l, "indexing", NULL) == NULL);
  base_table(&t);
  t.facts.index_length= 12ULL << 20;
  pa_table_compute(&t.facts, &t.metrics);
  table_rules(&t, &th, &l);
  CHECK(find(&l, "indexing", NULL) == NULL);
  base_table(&t);
  t.full_scan_reads= 1000;
  table_rules(&t, &th, &l);
  CHECK(find(&l, "indexing", NULL) == NULL);
  base_table(&t);
  t.io_known= 0;
  table_rules(&t, &th, &l);
  CHECK(find(&l, "indexing", NULL) == NULL);
}

static int has_action(const struct pa_rec_list *l, const char *action)
{
  size_t i;
  for (i= 0; i < l->n; i++)
    if (!strcmp(l->recs[i].action, action))
      return 1;
  return 0;
}

static int find_id(const struct pa_rec_list *l, const char *id)
{
  size_t i;
  for (i= 0; i < l->n; i++)
    if (!strcmp(l->recs[i].id, id))
      return 1;
  return 0;
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
    memset(&x[i], 0, sizeof(x[i])); /* no peers, nothing left unset */
    x[i].def= &def->indexes[i];
    x[i].verdict= &v[i];
    x[i].status= PA_USAGE_UNUSED;
    x[i].reads= 0;
    x[i].observed_seconds= 8 * 86400;
    x[i].size_known= 1;
    x[i].size_bytes= 64ULL << 20;
    x[i].card_known= 0;
    x[i].cardinality= 0;
  }
  x[2].status= PA_USAGE_USED;
  x[5].size_bytes= 16384; /* trivia */
  base_table(&t);
  t.def= def;
  t.indexes= x;
  CHECK(table_rules(&t, &th, &l) == 0);

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
  table_rules(&t, &th, &l);
  CHECK(find(&l, "index_cleanup", NULL) == NULL);
  CHECK(find(&l, "redundant_index", "account") != NULL);

  /* an index already ignored: drop it, with a CREATE INDEX to undo */
  def->indexes[3].is_ignored= 1;
  x[3].status= PA_USAGE_UNUSED;
  table_rules(&t, &th, &l);
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

/* A table of rule indexes over def, every one unused, 64 MiB, observed
   for `days` days, cardinality unknown. */
static void rule_indexes(struct pa_table_def *def, struct pa_index_verdict *v,
                         struct pa_rule_index *x, const int *hinted,
                         uint64_t days)
{
  CHECK(pa_index_analyze(def, hinted, v) == 0);
  for (int i= 0; i < def->n_indexes; i++)
  {
    memset(&x[i], 0, sizeof(x[i]));
    x[i].def= &def->indexes[i];
    x[i].verdict= &v[i];
    x[i].status= PA_USAGE_UNUSED;
    x[i].observed_seconds= days * 86400;
    x[i].size_known= 1;
    x[i].size_bytes= 64ULL << 20;
  }
}

static void card(struct pa_rule_index *x, uint64_t distinct)
{
  x->card_known= 1;
  x->cardinality= distinct;
}

static int conf_is(const struct pa_rule_table *t,
                   const struct pa_rule_index *x,
                   const struct pa_thresholds *h, const char *conf,
                   const char *reason)
{
  struct pa_drop_verdict dv= pa_rules_drop_confidence(t, x, h);
  const char *c= pa_drop_confidence_name(dv.confidence);
  const char *r= pa_drop_reason_name(dv.reason);
  if (!conf)
    return !c && !r;
  return c && r && !strcmp(c, conf) && !strcmp(r, reason);
}

/* The confidence rules, case by case. */
static void test_drop_confidence(void)
{
  struct pa_table_def *def= calloc(1, sizeof(*def));
  struct pa_index_verdict v[16];
  struct pa_rule_index x[16];
  int hinted[16]= {0};
  struct pa_rule_table t;
  struct pa_thresholds h= th;

  def->clustered_pk= 1;
  add_index(def, "PRIMARY", 1, 1, "name", NULL);        /* 0 */
  add_index(def, "c1", 0, 0, "customer", NULL);         /* 1 */
  add_index(def, "c2", 0, 0, "customer", NULL);         /* 2 duplicate */
  add_index(def, "status", 0, 0, "status", NULL);       /* 3 */
  add_index(def, "acct", 0, 0, "account", NULL);        /* 4 left prefix */
  add_index(def, "acct_date", 0, 0, "account", "posting_date"); /* 5 */
  add_index(def, "party", 0, 0, "party", NULL);         /* 6 */
  add_index(def, "remarks", 0, 0, "remarks", NULL);     /* 7 */
  add_index(def, "is_return", 0, 0, "is_return", NULL); /* 8 */
  add_index(def, "uq", 0, 1, "voucher_no", NULL);       /* 9 */
  add_index(def, "hinted", 0, 0, "docstatus", NULL);    /* 10 */
  add_index(def, "pd", 0, 0, "posting_date", NULL);     /* 11 */
  add_index(def, "pd_name", 0, 0, "posting_date", "name"); /* 12 */
  add_index(def, "two", 0, 0, "is_paid", "remarks");    /* 13 */
  hinted[10]= 1;
  rule_indexes(def, v, x, hinted, 9);
  base_table(&t);
  t.def= def;
  t.indexes= x;
  card(&x[3], 2);
  card(&x[6], 50000);
  card(&x[8], 2);
  card(&x[9], 2);
  card(&x[10], 2);
  card(&x[13], 100000);
  x[2].status= PA_USAGE_USED; /* a duplicate is one, read or not */
  x[8].status= PA_USAGE_USED;

  CHECK(conf_is(&t, &x[0], &h, NULL, NULL));        /* PRIMARY */
  CHECK(conf_is(&t, &x[1], &h, NULL, NULL));        /* covers c2 */
  CHECK(conf_is(&t, &x[2], &h, "high", "duplicate"));
  CHECK(conf_is(&t, &x[3], &h, "high", "useless_on_data"));
  CHECK(conf_is(&t, &x[4], &h, "medium", "left_prefix"));
  CHECK(conf_is(&t, &x[5], &h, NULL, NULL));        /* covers acct */
  CHECK(conf_is(&t, &x[6], &h, "low", "unused_selective"));
  CHECK(conf_is(&t, &x[7], &h, "low", "unused"));   /* no estimate */
  CHECK(conf_is(&t, &x[8], &h, NULL, NULL));        /* reads prove use */
  CHECK(conf_is(&t, &x[9], &h, NULL, NULL));        /* UNIQUE */
  CHECK(conf_is(&t, &x[10], &h, NULL, NULL));       /* hinted */
  CHECK(conf_is(&t, &x[11], &h, NULL, NULL));       /* covers pd_name */
  CHECK(conf_is(&t, &x[12], &h, "medium", "pk_suffix"));
  /* the whole key's distinct values: (is_paid, remarks) is selective */
  CHECK(conf_is(&t, &x[13], &h, "low", "unused_selective"));

  /* at the threshold, and one above */
  card(&x[3], 4);
  CHECK(conf_is(&t, &x[3], &h, "high", "useless_on_data"));
  card(&x[3], 5);
  CHECK(conf_is(&t, &x[3], &h, "low", "unused_selective"));
  card(&x[3], 1); /* all NULL under innodb_stats_method=nulls_equal */
  CHECK(conf_is(&t, &x[3], &h, "high", "useless_on_data"));
  /* useless beats left prefix: both would drop it, the data says more */
  card(&x[4], 3);
  CHECK(conf_is(&t, &x[4], &h, "high", "useless_on_data"));
  x[4].status= PA_USAGE_USED;
  CHECK(conf_is(&t, &x[4], &h, "medium", "left_prefix"));
  x[4].status= PA_USAGE_UNUSED;

  /* unknown usage is never unused: only redundancy speaks then */
  x[3].status= PA_USAGE_UNKNOWN;
  x[6].status= PA_USAGE_UNKNOWN;
  card(&x[3], 2);
  CHECK(conf_is(&t, &x[3], &h, NULL, NULL));
  CHECK(conf_is(&t, &x[6], &h, NULL, NULL));
  x[2].status= PA_USAGE_UNKNOWN;
  CHECK(conf_is(&t, &x[2], &h, "high", "duplicate"));
  x[3].status= x[6].status= PA_USAGE_UNUSED;

  /* a table too small to judge, or of unknown size: not useless, and not
     called selective either */
  t.facts.rows= 9999;
  CHECK(conf_is(&t, &x[3], &h, "low", "unused"));
  CHECK(conf_is(&t, &x[6], &h, "low", "unused"));
  t.facts.rows= 10000;
  CHECK(conf_is(&t, &x[3], &h, "high", "useless_on_data"));
  t.facts.sizes_known= 0;
  CHECK(conf_is(&t, &x[3], &h, "low", "unused"));
  t.facts.sizes_known= 1;
  h.min_table_rows= 0;
  t.facts.rows= 0; /* an empty table's indexes are not "useless" */
  CHECK(conf_is(&t, &x[3], &h, "low", "unused"));
  t.facts.rows= 200000;
  h= th;
  /* the rule off */
  h.useless_index_distinct= 0;
  CHECK(conf_is(&t, &x[3], &h, "low", "unused"));
  h= th;

  /* confidence never overrides DROP_SAFE: a foreign key needs party */
  def->n_fks= 1;
  strcpy(def->fks[0].name, "fk_party");
  def->fks[0].n_cols= 1;
  strcpy(def->fks[0].cols[0], "party");
  rule_indexes(def, v, x, hinted, 9);
  CHECK(conf_is(&t, &x[6], &h, NULL, NULL));
  CHECK(pa_rules_drop_confidence(NULL, &x[6], &h).confidence == PA_CONF_NONE);
  CHECK(pa_rules_drop_confidence(&t, NULL, &h).confidence == PA_CONF_NONE);
  CHECK(pa_drop_confidence_name(PA_CONF_NONE) == NULL);
  CHECK(pa_drop_reason_name(PA_DROP_NONE) == NULL);
  free(def);
}

/* Priorities and messages of single drops. */
static void test_drop_messages(void)
{
  struct pa_table_def *def= calloc(1, sizeof(*def));
  struct pa_index_verdict v[8];
  struct pa_rule_index x[8];
  struct pa_rule_table t;
  struct pa_rec_list l;
  struct pa_rec *r;
  struct pa_thresholds h= th;

  add_index(def, "PRIMARY", 1, 1, "name", NULL);
  add_index(def, "c1", 0, 0, "customer", NULL);
  add_index(def, "c2", 0, 0, "customer", NULL);
  add_index(def, "status", 0, 0, "status", NULL);
  add_index(def, "party", 0, 0, "party", NULL);
  rule_indexes(def, v, x, NULL, 9);
  x[1].status= PA_USAGE_USED;
  card(&x[3], 2);
  card(&x[4], 50000);
  x[4].size_bytes= 1ULL << 30;
  base_table(&t);
  t.def= def;
  t.indexes= x;
  CHECK(table_rules(&t, &h, &l) == 0);
  pa_rec_sort(&l);

  r= find(&l, "redundant_index", "c2");
  CHECK(r && r->priority == PA_PRIO_HIGH);
  if (r)
    CHECK(strstr(r->evidence, "\"drop_confidence\": \"high\", "
                              "\"drop_confidence_reason\": \"duplicate\"") !=
          NULL);
  r= find(&l, "index_cleanup", "status");
  CHECK(r && r->priority == PA_PRIO_HIGH);
  if (r)
  {
    CHECK_STR(r->message,
              "Index status (status) of erp.tabGL Entry has 2 distinct "
              "value(s) over 200000 rows (at most 4): useless on this data, "
              "and not read in 9.0 days; it takes 64.0 MiB. Ignore it first, "
              "watch, then drop it.");
    CHECK(strstr(r->evidence, "\"cardinality\": 2") != NULL);
    CHECK(strstr(r->evidence, "\"threshold_useless_index_distinct\": 4"));
  }
  /* low, alone on its table: its own row, with the business-cycle hint */
  r= find(&l, "index_cleanup", "party");
  CHECK(r && r->priority == PA_PRIO_LOW);
  if (r)
  {
    CHECK_STR(r->message,
              "Index party (party) of erp.tabGL Entry was not read in 9.0 "
              "days but is selective (50000 distinct values over 200000 "
              "rows), so it may serve a rare code path; it takes 1.0 GiB. "
              "Observed for less than a 31-day business cycle: keep it "
              "IGNORED through a full cycle (month-end, returns, "
              "reconciliation) before dropping it. Ignore it first, watch, "
              "then drop it.");
    CHECK_STR(r->sql, "ALTER TABLE `erp`.`tabGL Entry` ALTER INDEX `party` "
                      "IGNORED");
  }
  /* priority follows confidence, then bytes: the 1 GiB low one is last */
  CHECK(l.n >= 3 && !strcmp(l.recs[l.n - 1].index, "party"));
  CHECK(l.n >= 3 && l.recs[0].priority == PA_PRIO_HIGH &&
        l.recs[1].priority == PA_PRIO_HIGH);

  /* a window of a whole cycle needs no hint; nor does a hint switched off */
  x[4].observed_seconds= 31 * 86400;
  table_rules(&t, &h, &l);
  r= find(&l, "index_cleanup", "party");
  CHECK(r && strstr(r->message, "31 days") && !strstr(r->message, "cycle"));
  x[4].observed_seconds= 9 * 86400;
  h.business_cycle_days= 0;
  table_rules(&t, &h, &l);
  r= find(&l, "index_cleanup", "party");
  CHECK(r && !strstr(r->message, "cycle"));

  /* with peers: the message says on how many nodes, EVIDENCE lists them */
  {
    struct pa_node_usage nodes[2]= {
        {"db-1", 1, 1, 0, PA_USAGE_UNUSED},
        {"db-2", 1, 1, 0, PA_USAGE_UNUSED}};
    x[4].nodes= nodes;
    x[4].n_nodes= 2;
    table_rules(&t, &h, &l);
    r= find(&l, "index_cleanup", "party");
    CHECK(r && strstr(r->message, "was not read in 9.0 days on any of the "
                                  "2 nodes but is selective"));
    CHECK(r && strstr(r->evidence,
                      "\"nodes\": [{\"node\": \"db-1\", \"read_count\": 0, "
                      "\"usage_status\": \"unused\"}, {\"node\": \"db-2\""));
    x[4].nodes= NULL;
    x[4].n_nodes= 0;
  }
  free(def);
}

/* Low-confidence drops of one table: one row, one statement each way. */
static void test_drop_group(void)
{
  struct pa_table_def *def= calloc(1, sizeof(*def));
  struct pa_index_verdict v[PA_TABLE_MAX_INDEXES];
  struct pa_rule_index x[PA_TABLE_MAX_INDEXES];
  struct pa_rule_table t;
  struct pa_rec_list l;
  struct pa_rec *r;
  char id[17];

  add_index(def, "PRIMARY", 1, 1, "name", NULL);
  add_index(def, "party", 0, 0, "party", NULL);
  add_index(def, "we`ird, it's", 0, 0, "remarks", NULL);
  add_index(def, "\xc3\xa9tat", 0, 0, "etat", NULL);
  add_index(def, "status", 0, 0, "status", NULL);
  add_index(def, "gone", 0, 0, "old", NULL);
  add_index(def, "tiny", 0, 0, "tiny", NULL);
  rule_indexes(def, v, x, NULL, 9);
  card(&x[1], 50000);
  card(&x[4], 2); /* high: its own row */
  def->indexes[5].is_ignored= 1; /* next step is the drop: its own row */
  x[6].size_bytes= 1024;         /* too small: no row */
  x[3].observed_seconds= 12 * 86400;
  base_table(&t);
  t.name= "tabSales Invoice Item";
  t.def= def;
  t.indexes= x;
  CHECK(table_rules(&t, &th, &l) == 0);
  CHECK(find(&l, "index_cleanup", "party") == NULL);
  CHECK(find(&l, "index_cleanup", "status") != NULL);
  CHECK(find(&l, "index_cleanup", "tiny") == NULL);
  r= find(&l, "index_cleanup", "gone");
  CHECK(r && !strcmp(r->action, "drop_index"));
  CHECK(r && strstr(r->message, "It is already IGNORED: drop it when "
                                "nothing missed it.") != NULL);
  r= NULL;
  for (size_t i= 0; i < l.n; i++)
    if (!strcmp(l.recs[i].action, "ignore_then_drop_indexes"))
      r= &l.recs[i];
  CHECK(r != NULL);
  if (!r)
    goto end;
  CHECK_STR(r->type, "index_cleanup");
  CHECK(r->index == NULL);
  CHECK(r->priority == PA_PRIO_LOW);
  CHECK_STR(r->sql, "ALTER TABLE `erp`.`tabSales Invoice Item` ALTER INDEX "
                    "`party` IGNORED, ALTER INDEX `we``ird, it's` IGNORED, "
                    "ALTER INDEX `\xc3\xa9tat` IGNORED");
  CHECK_STR(r->rollback_sql,
            "ALTER TABLE `erp`.`tabSales Invoice Item` ALTER INDEX `party` "
            "NOT IGNORED, ALTER INDEX `we``ird, it's` NOT IGNORED, ALTER "
            "INDEX `\xc3\xa9tat` NOT IGNORED");
  CHECK_STR(r->final_sql,
            "ALTER TABLE `erp`.`tabSales Invoice Item` DROP INDEX `party`, "
            "DROP INDEX `we``ird, it's`, DROP INDEX `\xc3\xa9tat`");
  /* the shortest window speaks for the group */
  CHECK_STR(r->message,
            "3 indexes of erp.tabSales Invoice Item unread in 9.0 days, "
            "192.0 MiB: party, we`ird, it's, \xc3\xa9tat. None is redundant "
            "or useless on the data, so each may serve a rare code path. "
            "Observed for less than a 31-day business cycle: keep them "
            "IGNORED through a full cycle (month-end, returns, "
            "reconciliation) before dropping them. Ignore them first (one "
            "statement), watch, then drop them.");
  CHECK(r->benefit == (double) (192ULL << 20));
  CHECK(strstr(r->evidence, "\"index_count\": 3") != NULL);
  CHECK(strstr(r->evidence, "\"drop_confidence_reason\": "
                            "\"unused_selective\"") != NULL);
  /* the same group, the same id; another group, another id */
  memcpy(id, r->id, sizeof(id));
  table_rules(&t, &th, &l);
  CHECK(find_id(&l, id));
  x[3].status= PA_USAGE_USED;
  table_rules(&t, &th, &l);
  CHECK(!find_id(&l, id));
  /* two left: still a group; one left: its own row again */
  CHECK(has_action(&l, "ignore_then_drop_indexes"));
  x[2].status= PA_USAGE_UNKNOWN;
  table_rules(&t, &th, &l);
  CHECK(!has_action(&l, "ignore_then_drop_indexes"));
  r= find(&l, "index_cleanup", "party");
  CHECK(r && !strcmp(r->action, "ignore_then_drop_index"));

  /* 64 long hostile names: split where a statement would not fit in
     SUGGESTED_SQL, and no index lost */
  memset(def, 0, sizeof(*def));
  for (int i= 0; i < PA_TABLE_MAX_INDEXES; i++)
  {
    char name[PA_IDENT_BYTES];
    memset(name, '`', 60);
    snprintf(name + 60, sizeof(name) - 60, "%02d", i);
    add_index(def, name, 0, 0, "c", NULL);
    snprintf(def->indexes[i].cols[0].name, PA_IDENT_BYTES, "c%d", i);
  }
  rule_indexes(def, v, x, NULL, 9);
  CHECK(table_rules(&t, &th, &l) == 0);
  {
    int groups= 0, names= 0;
    for (size_t i= 0; i < l.n; i++)
    {
      const struct pa_rec *g= &l.recs[i];
      const char *p;
      if (strcmp(g->type, "index_cleanup"))
        continue;
      groups++;
      CHECK(strlen(g->sql) <= PA_REC_SQL_CHARS);
      CHECK(strlen(g->rollback_sql) <= PA_REC_SQL_CHARS);
      CHECK(strlen(g->final_sql) <= PA_REC_SQL_CHARS);
      for (p= g->sql; (p= strstr(p, " IGNORED")); p++)
        names++;
    }
    CHECK(groups >= 3);
    CHECK(names == PA_TABLE_MAX_INDEXES);
  }
end:
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
  table_rules(&t, &th, &l);
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
  table_rules(&t, &th, &l);
  CHECK(find(&l, "fragmentation", NULL) == NULL);
  /* free space of a shared tablespace (ibdata1) is not the table's */
  base_table(&t);
  t.facts.data_free= 300ULL << 20;
  t.data_free_shared= 1;
  pa_table_compute(&t.facts, &t.metrics);
  table_rules(&t, &th, &l);
  CHECK(find(&l, "fragmentation", NULL) == NULL);
}

/* d: digest dg (20000 runs at 5 ms, 100 rows examined per row sent) of
   text, analysed into an. */
static void digest(struct pa_rule_digest *d, struct pa_digest *dg,
                   struct pa_digest_scratch *an, const char *text)
{
  memset(dg, 0, sizeof(*dg));
  pa_digest_analyze(text, strlen(text), an);
  dg->schema= "erp";
  dg->text= text;
  dg->text_len= strlen(text);
  dg->digest= "0123456789abcdef0123456789abcdef";
  dg->exec_count= 20000;
  dg->sum_ps= 20000ULL * 5000000000ULL;
  dg->avg_ps= 5000000000ULL;
  dg->rows_examined= 2000000;
  dg->rows_sent= 20000;
  d->dig= dg;
  d->an= &an->an;
}

static void test_digests(void)
{
  static struct pa_digest_scratch an;
  struct pa_digest dg;
  struct pa_rule_digest d;
  struct pa_rec_list l;
  struct pa_rec *r;
  struct pa_thresholds slow= th;

  digest(&d, &dg, &an,
         "SELECT * FROM `tabItem` WHERE `name` IN ( SELECT `item_code` "
         "FROM `tabBin` ) ORDER BY RAND ( ) LIMIT ?, ?");
  slow.slow_query_ps= 1000000000ULL; /* 1 ms */
  CHECK(digest_rules(&d, &slow, &l) == 0);
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
  digest_rules(&d, &th, &l);
  CHECK(find(&l, "query_optimization", NULL) == NULL);
  CHECK(l.n == 2); /* order_by_rand, deep_offset */
  CHECK(!has_action(&l, "rewrite_subquery_as_join"));

  digest(&d, &dg, &an,
         "SELECT `a` . `x` FROM `a` JOIN `b` ON `b` . `id` = `a` . `b_id` "
         "JOIN `c` ON `c` . `id` = `b` . `c_id` JOIN `d` ON `d` . `id` = "
         "`c` . `d_id` JOIN `e` ON `e` . `id` = `d` . `e_id`");
  digest_rules(&d, &slow, &l);
  r= find(&l, "query_pattern", NULL);
  CHECK(r != NULL && !strcmp(r->action, "reduce_joins_or_denormalize"));
  CHECK(r != NULL && strstr(r->message, "5.0 ms on average") != NULL);
  /* ... but not when it is fast */
  digest_rules(&d, &th, &l);
  CHECK(l.n == 0);

  digest(&d, &dg, &an,
         "INSERT INTO `tabVersion` ( `name` , `data` ) VALUES (...)");
  digest_rules(&d, &th, &l);
  r= find(&l, "query_pattern", NULL);
  CHECK(r != NULL && !strcmp(r->action, "batch_inserts"));
  dg.exec_count= 10;
  digest_rules(&d, &th, &l);
  CHECK(l.n == 0);

  /* a healthy statement: nothing */
  digest(&d, &dg, &an, "SELECT `name` FROM `tabItem` WHERE `name` = ?");
  digest_rules(&d, &th, &l);
  CHECK(l.n == 0);

  /* no text, no analysis or no digest: nothing, and no failure */
  digest(&d, &dg, &an, "SELECT * FROM `t` ORDER BY RAND ( )");
  CHECK(digest_rules(&d, &th, &l) == 0 && l.n == 1);
  dg.text= NULL;
  CHECK(digest_rules(&d, &th, &l) == 0 && l.n == 0);
  digest(&d, &dg, &an, "SELECT * FROM `t` ORDER BY RAND ( )");
  d.an= NULL;
  CHECK(digest_rules(&d, &th, &l) == 0 && l.n == 0);
  d.an= &an.an;
  d.dig= NULL;
  CHECK(digest_rules(&d, &th, &l) == 0 && l.n == 0);
}

static void test_digest_table(void)
{
  static struct pa_digest_scratch an;
  struct pa_table_def *def= calloc(1, sizeof(*def));
  struct pa_digest dg;
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
  digest(&d, &dg, &an,
         "SELECT * FROM `tabGL Entry` WHERE DATE ( `posting_date` ) = ? AND "
         "`remarks` LIKE '%foo' AND YEAR ( `creation` ) = ?");
  CHECK(digest_table_rules(&d, 0, &t, &slow, &l) == 0);
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
  digest_table_rules(&d, 0, &t, &th, &l);
  CHECK(l.n == 2 && !has_action(&l, "select_needed_columns"));
  /* a narrow table: SELECT * is fine */
  t.n_columns= 5;
  digest_table_rules(&d, 0, &t, &slow, &l);
  CHECK(l.n == 2 && !has_action(&l, "select_needed_columns"));
  /* out-of-range table position */
  CHECK(digest_table_rules(&d, 5, &t, &th, &l) == 0 && l.n == 0);
  free(def);
}

int main(void)
{
  test_indexing();
  test_drops();
  test_drop_confidence();
  test_drop_messages();
  test_drop_group();
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
