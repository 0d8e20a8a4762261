/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of pa_missing_rec: the missing_index row of one proposal
  (priority, id, SQL, MESSAGE, ESTIMATED_BENEFIT, EVIDENCE, byte for byte)
  and a schema's review_left_out_indexes row; incomplete input, hostile
  names and out of memory.
*/
#include "pa_missing_rec.h"
#include "pa_sql.h"
#include "pa_test.h"

static struct arena ar= PA_TEST_ARENA_INIT;
static const struct pa_alloc A= {arena_alloc, &ar};

/* customer_id = ? AND status = ?: 2 digests, 10 executions */
static struct pa_missing_proposal proposal(double est, int upper)
{
  struct pa_missing_proposal p;
  memset(&p, 0, sizeof(p));
  p.n_cols= 2;
  p.n_equality= 2;
  strcpy(p.cols[0], "CUSTOMER_ID");
  strcpy(p.cols[1], "status");
  p.score= 1234.5;
  p.exec_count= 10;
  p.rows_examined= 50000;
  p.rows_sent= 20;
  p.sum_ps= 2500000000000ULL; /* 2.5 s */
  p.n_merged= 2;
  p.n_digests= 2;
  p.digests[0]= 7;
  p.digests[1]= 3;
  p.now_rows_per_exec= 5000;
  p.est_rows_per_exec= est;
  p.est_upper_bound= upper;
  return p;
}

static const struct pa_missing_rec_column COLS[2]= {
    {"customer_id", 1000, 0, 0.25, "index+sample"},
    {"status", -1, -1, -1, NULL}};
/* The proposal's digests (what pa_missing_rec reads of them: digest,
   text, exec_count, avg_ps, node), and the pointers it is given. */
#define DIG(dg, txt, exec, avg)                                              \
  {                                                                          \
    .schema= "shop", .digest= (dg), .text= (txt),                            \
    .text_len= sizeof(txt) - 1, .exec_count= (exec),                         \
    .sum_ps= (exec) * (avg), .avg_ps= (avg)                                  \
  }
static const struct pa_digest DIG_ROWS[2]= {
    DIG("0123456789abcdef0123456789abcdef",
        "SELECT * FROM `orders` WHERE `customer_id` = ? AND `status` = ?", 8,
        200000000000ULL),
    DIG("fedcba9876543210fedcba9876543210", "SELECT \"x\" FROM `orders`", 2,
        1500000)};
static const struct pa_digest *const DIGS[2]= {&DIG_ROWS[0], &DIG_ROWS[1]};
static const char *const RISK[1]= {"aaaabbbbccccddddaaaabbbbccccdddd"};

static struct pa_missing_rec_input input(const struct pa_missing_proposal *p)
{
  struct pa_missing_rec_input in;
  memset(&in, 0, sizeof(in));
  in.schema= "shop";
  in.table= "orders";
  in.prop= p;
  in.cols= COLS;
  in.digests= DIGS;
  in.sampled_rows= 500;
  in.rows_known= 1;
  in.table_rows= 100000;
  in.slow= 1;
  in.item.saved_ps= 2e12;
  in.item.write_ps= 0.5e12;
  in.item.bytes= 1589248;
  in.item.verdict= PA_SELECT_CHOSEN;
  in.saved_ideal= 0;
  in.size_estimate= "measured_widths";
  in.changes_known= 1;
  in.rows_changed_per_hour= 12.5;
  in.selection= "chosen";
  in.budget_bytes= 10485760;
  return in;
}

static void test_row(void)
{
  struct pa_missing_proposal p= proposal(5, 0);
  struct pa_missing_rec_input in= input(&p);
  struct pa_rec_list l;
  struct pa_rec *r, id;
  const char *names[2]= {"customer_id", "status"};
  struct pa_index_col ic[2];
  char *name;

  pa_rec_list_init(&l, &A);
  r= pa_missing_rec(&l, &in);
  CHECK(r != NULL && l.n == 1 && r == &l.recs[0] && !l.oom);
  if (!r)
    return;
  name= pa_sql_index_name(&A, "orders", names, 2);
  memset(ic, 0, sizeof(ic));
  strcpy(ic[0].name, "customer_id");
  strcpy(ic[1].name, "status");
  CHECK_STR(r->type, "missing_index");
  CHECK_STR(r->action, "create_index");
  /* slow and no plan-change risk: high */
  CHECK(r->priority == PA_PRIO_HIGH);
  CHECK_STR(r->schema, "shop");
  CHECK_STR(r->table, "orders");
  CHECK_STR(r->index, name);
  /* the columns as the table spells them, not as the text did */
  pa_rec_set_id(&id, "missing_index", "shop", "orders", "customer_id,status",
                (const char *) NULL);
  CHECK_STR(r->id, id.id);
  CHECK_STR(r->sql, pa_sql_create_index(&A, "shop", "orders", name, ic, 2, 0));
  CHECK_STR(r->rollback_sql, pa_sql_drop_index(&A, "shop", "orders", name));
  CHECK(r->final_sql == NULL);
  CHECK(r->benefit == 1234.5);
  CHECK_STR(r->message,
            pa_strdupf(&A,
                       "Statements on shop.orders filter or sort by "
                       "(customer_id,status) and no index starts with those "
                       "columns: 2 statement pattern(s) ran 10 times, "
                       "examining 5000 rows per execution; with the index "
                       "about 5. Create index %s.",
                       name));
  CHECK_STR(r->benefit_text,
            "2.500 s of statement time; rows examined 100% fewer");
  CHECK_STR(
      r->evidence,
      "{\"schema\": \"shop\", \"table\": \"orders\", \"columns\": "
      "\"customer_id,status\", \"equality_columns\": 2, \"score\": 1234.5, "
      "\"exec_count\": 10, \"rows_examined\": 50000, \"rows_sent\": 20, "
      "\"total_s\": 2.5, \"rows_examined_per_exec\": 5000, "
      "\"est_rows_examined_per_exec\": 5, \"estimate\": \"equality\", "
      "\"table_rows\": 100000, \"column_stats\": [{\"column\": "
      "\"customer_id\", \"distinct\": 1000, \"null_fraction\": 0, "
      "\"top_value_share\": 0.25, \"source\": \"index+sample\"}, "
      "{\"column\": \"status\", \"source\": \"none\"}], \"sampled_rows\": "
      "500, \"digests\": [{\"digest\": \"0123456789abcdef0123456789abcdef\", "
      "\"digest_text\": \"SELECT * FROM `orders` WHERE `customer_id` = ? AND "
      "`status` = ?\", \"exec_count\": 8, \"avg_ms\": 200}, {\"digest\": "
      "\"fedcba9876543210fedcba9876543210\", \"digest_text\": \"SELECT "
      "\\\"x\\\" FROM `orders`\", \"exec_count\": 2, \"avg_ms\": 0.0015}], "
      "\"plan_change_risk_statements\": 0, \"plan_change_risk_digests\": [], "
      "\"est_index_bytes\": 1589248, \"index_size_estimate\": "
      "\"measured_widths\", \"est_time_saved_s\": 2, \"time_saved_estimate\": "
      "\"rows_examined\", \"est_write_time_added_s\": 0.5, "
      "\"rows_changed_per_hour\": 12.5, \"selection\": \"chosen\", "
      "\"index_budget_bytes\": 10485760}");
}

/* No estimate, an upper bound, plan-change risk, unknowns. */
static void test_row_variants(void)
{
  struct pa_missing_proposal p= proposal(-1, 0), u= proposal(1000, 1);
  struct pa_missing_rec_input in= input(&p);
  struct pa_rec_list l;
  struct pa_rec *r;

  pa_rec_list_init(&l, &A);
  in.risk= 3;
  in.risk_digests= RISK;
  in.n_risk_digests= 1;
  in.rows_known= 0;
  in.sampled_rows= 0;
  in.changes_known= 0;
  in.saved_ideal= 1;
  in.slow= 1;
  in.selection= "over_budget";
  in.budget_bytes= 0;
  r= pa_missing_rec(&l, &in);
  CHECK(r != NULL);
  if (!r)
    return;
  /* slow, but it may change other plans: medium */
  CHECK(r->priority == PA_PRIO_MEDIUM);
  CHECK(strstr(r->message,
               "ran 10 times, examining 50000 rows to send 20. Create index ")
        != NULL);
  CHECK(strstr(r->message,
               ". It may change the plan of 3 other statement pattern(s) "
               "that filter on customer_id with a good index today, or group "
               "or sort by it: compare their times after creating it.") !=
        NULL);
  CHECK_STR(r->benefit_text, "2.500 s of statement time");
  CHECK(strstr(r->evidence,
               "\"rows_examined_per_exec\": 5000, "
               "\"est_rows_examined_per_exec\": null, \"column_stats\"") !=
        NULL);
  CHECK(strstr(r->evidence, "table_rows") == NULL);
  CHECK(strstr(r->evidence, "sampled_rows") == NULL);
  CHECK(strstr(r->evidence, "\"estimate\"") == NULL);
  CHECK(strstr(r->evidence,
               "\"plan_change_risk_statements\": 3, "
               "\"plan_change_risk_digests\": "
               "[\"aaaabbbbccccddddaaaabbbbccccdddd\"]") != NULL);
  CHECK(strstr(r->evidence, "\"index_size_estimate\": \"no_row_count\"") !=
        NULL);
  CHECK(strstr(r->evidence,
               "\"time_saved_estimate\": \"ideal_upper_bound\"") != NULL);
  CHECK(strstr(r->evidence,
               "\"rows_changed_per_hour\": null, \"selection\": "
               "\"over_budget\", \"index_budget_bytes\": 0}") != NULL);

  /* not slow, no risk: medium; an upper bound says "at most" */
  in= input(&u);
  in.slow= 0;
  r= pa_missing_rec(&l, &in);
  CHECK(r != NULL && l.n == 2);
  if (!r)
    return;
  CHECK(r->priority == PA_PRIO_MEDIUM);
  CHECK(strstr(r->message, "examining 5000 rows per execution; with the "
                           "index at most 1000. Create index ") != NULL);
  CHECK(strstr(r->message, "It may change") == NULL);
  CHECK_STR(r->benefit_text,
            "2.500 s of statement time; rows examined at least 80% fewer");
  CHECK(strstr(r->evidence, "\"est_rows_examined_per_exec\": 1000, "
                            "\"estimate\": \"upper_bound\"") != NULL);

  /* an estimate no better than now: no share in the benefit */
  u.est_rows_per_exec= 5000;
  r= pa_missing_rec(&l, &in);
  CHECK(r != NULL && !strcmp(r->benefit_text, "2.500 s of statement time"));
  u.now_rows_per_exec= 0;
  u.est_rows_per_exec= 0;
  r= pa_missing_rec(&l, &in);
  CHECK(r != NULL && !strcmp(r->benefit_text, "2.500 s of statement time"));
}

/* Backticks, quotes, spaces, commas, parentheses, multibyte. */
static void test_hostile(void)
{
  struct pa_missing_proposal p= proposal(5, 0);
  struct pa_missing_rec_input in= input(&p);
  struct pa_missing_rec_column cols[2]= {{"a`b, c(d)", -1, -1, -1, NULL},
                                         {"\"q\" \xc3\xa9", -1, -1, -1,
                                          NULL}};
  struct pa_rec_list l;
  struct pa_rec *r;

  pa_rec_list_init(&l, &A);
  in.schema= "s`x";
  in.table= "t \"1\"";
  in.cols= cols;
  r= pa_missing_rec(&l, &in);
  CHECK(r != NULL);
  if (!r)
    return;
  CHECK(strstr(r->sql, " ON `s``x`.`t \"1\"` (`a``b, c(d)`, `\"q\" \xc3\xa9`)")
        != NULL);
  {
    const char *undo= "ALTER TABLE `s``x`.`t \"1\"` DROP INDEX `";
    CHECK(strncmp(r->rollback_sql, undo, strlen(undo)) == 0);
  }
  CHECK(strstr(r->evidence, "\"schema\": \"s`x\", \"table\": \"t \\\"1\\\"\", "
                            "\"columns\": \"a`b, c(d),\\\"q\\\" \xc3\xa9\"") !=
        NULL);
  CHECK(strstr(r->evidence, "{\"column\": \"\\\"q\\\" \xc3\xa9\", \"source\": "
                            "\"none\"}") != NULL);
  CHECK(strstr(r->message, "Statements on s`x.t \"1\" filter or sort by "
                           "(a`b, c(d),\"q\" \xc3\xa9) and") != NULL);
}

/* Incomplete input: NULL, and the list is left as it was. */
static void test_bad_input(void)
{
  struct pa_missing_proposal p= proposal(5, 0), big= proposal(5, 0),
                             none= proposal(5, 0);
  struct pa_missing_rec_column unnamed[2]= {{"a", -1, -1, -1, NULL},
                                            {NULL, -1, -1, -1, NULL}};
  struct pa_missing_rec_input in;
  struct pa_rec_list l;

  pa_rec_list_init(&l, &A);
  big.n_cols= PA_MISSING_MAX_COLS + 1;
  none.n_cols= 0;
  in= input(&p);
  CHECK(pa_missing_rec(NULL, &in) == NULL);
  CHECK(pa_missing_rec(&l, NULL) == NULL);
  in.schema= NULL;
  CHECK(pa_missing_rec(&l, &in) == NULL);
  in= input(&p);
  in.table= NULL;
  CHECK(pa_missing_rec(&l, &in) == NULL);
  in= input(&p);
  in.prop= NULL;
  CHECK(pa_missing_rec(&l, &in) == NULL);
  in= input(&p);
  in.cols= NULL;
  CHECK(pa_missing_rec(&l, &in) == NULL);
  in= input(&p);
  in.selection= NULL;
  CHECK(pa_missing_rec(&l, &in) == NULL);
  in= input(&big);
  CHECK(pa_missing_rec(&l, &in) == NULL);
  in= input(&none);
  CHECK(pa_missing_rec(&l, &in) == NULL);
  in= input(&p);
  in.cols= unnamed;
  CHECK(pa_missing_rec(&l, &in) == NULL);
  in= input(&p);
  in.digests= NULL;
  CHECK(pa_missing_rec(&l, &in) == NULL);
  {
    /* one digest of the proposal missing */
    const struct pa_digest *holed[2]= {&DIG_ROWS[0], NULL};
    in= input(&p);
    in.digests= holed;
    CHECK(pa_missing_rec(&l, &in) == NULL);
  }
  in= input(&p);
  in.n_risk_digests= 1;
  CHECK(pa_missing_rec(&l, &in) == NULL);
  CHECK(l.n == 0 && !l.oom);
}

static void test_left_out(void)
{
  struct pa_missing_proposal p= proposal(5, 0);
  struct pa_missing_rec_input in= input(&p);
  struct pa_missing_left_out left[3];
  struct pa_rec_list aside, l;
  struct pa_rec *s, id;
  const char *want_list;

  pa_rec_list_init(&aside, &A);
  pa_rec_list_init(&l, &A);
  for (int k= 0; k < 3; k++)
  {
    static const char *const sel[3]= {"over_budget", "no_net_gain",
                                      "report_plan_risk"};
    in.table= k == 0 ? "a" : k == 1 ? "b" : "c";
    in.selection= sel[k];
    CHECK(pa_missing_rec(&aside, &in) != NULL);
    left[k].selection= sel[k];
    left[k].item.bytes= 1048576.0 * (k + 1);
    left[k].item.saved_ps= 1e12 * k;
    left[k].item.write_ps= 0.25e12;
    left[k].item.verdict= PA_SELECT_OVER_BUDGET;
  }
  for (int k= 0; k < 3; k++)
    left[k].rec= &aside.recs[k];

  s= pa_missing_rec_left_out(&l, "shop", 2097152, 20971520, 524288, left,
                             3);
  CHECK(s != NULL && l.n == 1);
  if (!s)
    return;
  pa_rec_set_id(&id, "missing_index", "shop", "left_out",
                (const char *) NULL);
  CHECK_STR(s->id, id.id);
  CHECK_STR(s->type, "missing_index");
  CHECK_STR(s->action, "review_left_out_indexes");
  CHECK(s->priority == PA_PRIO_LOW);
  CHECK_STR(s->schema, "shop");
  CHECK(s->table == NULL && s->index == NULL && s->sql == NULL);
  CHECK(s->benefit == 0 && s->benefit_text == NULL);
  CHECK_STR(s->message,
            "3 more index proposal(s) for schema shop were left out (6.0 MiB "
            "estimated): 1 did not fit the index budget (2.0 MiB, "
            "perf_advisor_index_budget_pct or _bytes; the 0.5 MiB proposed "
            "are the most statement time saved per byte), 1 would add more "
            "write time than they save, and 1 lead with a column a "
            "whole-table report groups or sorts by (the optimizer may read "
            "the new index whole to skip its sort: create one only after "
            "timing that report). Each is in EVIDENCE with its SQL; their "
            "statements are in PERF_QUERY_ANALYSIS.");
  want_list= pa_strdupf(
      &A,
      "{\"id\": \"%s\", \"table\": \"a\", \"index\": \"%s\", "
      "\"selection\": \"over_budget\", \"message\": \"%s\", "
      "\"est_index_bytes\": 1048576, \"est_time_saved_s\": 0, "
      "\"est_write_time_added_s\": 0.25, \"suggested_sql\": \"%s\", "
      "\"rollback_sql\": \"%s\"}, {\"id\": \"%s\"",
      aside.recs[0].id, aside.recs[0].index, aside.recs[0].message,
      aside.recs[0].sql, aside.recs[0].rollback_sql, aside.recs[1].id);
  CHECK(strncmp(s->evidence,
                "{\"schema\": \"shop\", \"index_budget_bytes\": 2097152, "
                "\"schema_bytes\": 20971520, \"proposed_bytes\": 524288, "
                "\"over_budget\": 1, \"no_net_gain\": 1, "
                "\"report_plan_risk\": 1, \"left_out\": [",
                strlen("{\"schema\": \"shop\", \"index_budget_bytes\": "
                       "2097152, \"schema_bytes\": 20971520, "
                       "\"proposed_bytes\": 524288, \"over_budget\": 1, "
                       "\"no_net_gain\": 1, \"report_plan_risk\": 1, "
                       "\"left_out\": [")) == 0);
  CHECK(strstr(s->evidence, want_list) != NULL);
  CHECK(strstr(s->evidence, "\"selection\": \"report_plan_risk\"") != NULL);
  CHECK(strcmp(s->evidence + strlen(s->evidence) - 3, "}]}") == 0);

  /* no budget: "no limit"; a selection of no known name is no_net_gain */
  left[0].selection= "something_else";
  s= pa_missing_rec_left_out(&l, "shop", 0, 0, 0, left, 1);
  CHECK(s != NULL &&
        strstr(s->message,
               "1 more index proposal(s) for schema shop were left out (1.0 "
               "MiB estimated): 0 did not fit the index budget (no limit, ") !=
            NULL &&
        strstr(s->message, "), 1 would add more write time") != NULL);

  /* bad input: NULL, list unchanged */
  size_t n= l.n;
  CHECK(pa_missing_rec_left_out(&l, "shop", 0, 0, 0, left, 0) == NULL);
  CHECK(pa_missing_rec_left_out(&l, NULL, 0, 0, 0, left, 1) == NULL);
  CHECK(pa_missing_rec_left_out(&l, "shop", 0, 0, 0, NULL, 1) == NULL);
  CHECK(pa_missing_rec_left_out(NULL, "shop", 0, 0, 0, left, 1) == NULL);
  left[1].rec= NULL;
  CHECK(pa_missing_rec_left_out(&l, "shop", 0, 0, 0, left, 2) == NULL);
  left[1].rec= &aside.recs[1];
  left[1].selection= NULL;
  CHECK(pa_missing_rec_left_out(&l, "shop", 0, 0, 0, left, 2) == NULL);
  CHECK(l.n == n && !l.oom);
}

/* Every allocation failing in turn: NULL and oom, never a partial row. */
static void test_oom(void)
{
  struct pa_missing_proposal p= proposal(5, 0);
  int done_row= 0, done_left= 0;

  for (int k= 0; k < 400 && !(done_row && done_left); k++)
  {
    struct arena fail= PA_TEST_ARENA_INIT;
    struct pa_alloc f= {arena_alloc, &fail};
    struct pa_missing_rec_input in= input(&p);
    struct pa_missing_left_out left;
    struct pa_rec_list aside, l;
    struct pa_rec *r, *s;

    fail.fail_after= k;
    pa_rec_list_init(&aside, &f);
    pa_rec_list_init(&l, &f);
    in.risk= 1;
    in.risk_digests= RISK;
    in.n_risk_digests= 1;
    r= pa_missing_rec(&aside, &in);
    if (!r)
      CHECK(aside.oom && aside.n <= 1);
    else
    {
      done_row= 1;
      CHECK(r->message && r->sql && r->evidence && r->benefit_text);
      left.rec= r;
      left.selection= "over_budget";
      memset(&left.item, 0, sizeof(left.item));
      s= pa_missing_rec_left_out(&l, "shop", 0, 0, 0, &left, 1);
      if (!s)
        CHECK(l.oom);
      else
      {
        done_left= 1;
        CHECK(s->message && s->evidence && l.n == 1);
      }
    }
    arena_free(&fail);
  }
  CHECK(done_row && done_left);
}

/* Statements another node ran (docs/cluster.md): EVIDENCE names the node
   per digest, MESSAGE counts the patterns and the runs per node, before
   the plan-change note; this node's digests carry no "node". */
static void test_peer_digests(void)
{
  struct pa_missing_proposal p= proposal(5, 0);
  struct pa_missing_rec_input in= input(&p);
  struct pa_digest d[3];
  const struct pa_digest *dp[3]= {&d[0], &d[1], &d[2]};
  struct pa_rec_list l;
  struct pa_rec *r;
  char replica[]= "`pa_peers`.`replica 1`";

  memcpy(d, DIG_ROWS, sizeof(DIG_ROWS));
  p.n_digests= 3;
  p.digests[2]= 9;
  d[2]= DIG_ROWS[0];
  d[2].exec_count= 5;
  d[1].node= "`pa_peers`.`replica 1`";
  d[2].node= replica; /* the same node, another copy of its name */
  in.digests= dp;
  pa_rec_list_init(&l, &A);
  r= pa_missing_rec(&l, &in);
  CHECK(r != NULL);
  if (!r)
    return;
  CHECK(strstr(r->message,
               ". Create index idx_orders_customer_id_status. 2 of these "
               "statement pattern(s) ran on other nodes: "
               "`pa_peers`.`replica 1` (7 times).") != NULL);
  CHECK(strstr(r->evidence,
               "\"digest_text\": \"SELECT \\\"x\\\" FROM `orders`\", "
               "\"node\": \"`pa_peers`.`replica 1`\", \"exec_count\": 2") !=
        NULL);
  /* the first digest is this node's */
  CHECK(strstr(r->evidence, "= ?\", \"exec_count\": 8") != NULL);

  /* two nodes, and a plan-change risk after the note */
  d[2].node= "`pa_peers`.`replica2`";
  in.risk= 1;
  in.risk_digests= RISK;
  in.n_risk_digests= 1;
  r= pa_missing_rec(&l, &in);
  CHECK(r != NULL);
  if (!r)
    return;
  CHECK(strstr(r->message,
               "2 of these statement pattern(s) ran on other nodes: "
               "`pa_peers`.`replica 1` (2 times), `pa_peers`.`replica2` (5 "
               "times). It may change the plan of 1 other") != NULL);

  /* none from another node: the message is this node's alone */
  in.digests= DIGS;
  p.n_digests= 2;
  r= pa_missing_rec(&l, &in);
  CHECK(r != NULL && strstr(r->message, "other nodes") == NULL &&
        strstr(r->evidence, "\"node\"") == NULL);
}

int main(void)
{
  test_row();
  test_row_variants();
  test_peer_digests();
  test_hostile();
  test_bad_input();
  test_left_out();
  test_oom();
  arena_free(&ar);
  return PA_TEST_END("test_missing_rec");
}
