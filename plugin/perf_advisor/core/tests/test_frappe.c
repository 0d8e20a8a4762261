/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of pa_frappe: the origin of each kind of index, the flags a
  Property Setter overrides, what stays unknown, the lasting SQL for each
  way a flag is set (hostile names included), and the drop advice of
  pa_rules for docfield indexes (one row, and the group row).
*/
#include "pa_frappe.h"
#include "pa_rules.h"
#include "pa_table.h"
#include "pa_test.h"
#include "pa_test_index.h"

#include <stdlib.h>

static struct arena ar= PA_TEST_ARENA_INIT;
static struct pa_alloc alloc= {arena_alloc, &ar};


static struct pa_frappe_field field(const char *fieldname, int custom,
                                    int search_index, int unique)
{
  struct pa_frappe_field f;
  memset(&f, 0, sizeof(f));
  f.fieldname= fieldname;
  f.row_name= custom ? "Sales Invoice-custom_ref" : "abc123";
  f.custom= custom;
  f.search_index.own= search_index;
  f.search_index.ps= -1;
  f.unique.own= unique;
  f.unique.ps= -1;
  return f;
}

static const char *origin(const struct pa_frappe_index_origin *o, int x)
{
  const char *n= pa_frappe_origin_name(o[x].origin);
  return n ? n : "NULL";
}

static void test_parse_check(void)
{
  CHECK(pa_frappe_parse_check(NULL) == 0);
  CHECK(pa_frappe_parse_check("") == 0);
  CHECK(pa_frappe_parse_check("  ") == 0);
  CHECK(pa_frappe_parse_check("0") == 0);
  CHECK(pa_frappe_parse_check("1") == 1);
  CHECK(pa_frappe_parse_check(" 1 ") == 1);
  CHECK(pa_frappe_parse_check("+1") == 1);
  CHECK(pa_frappe_parse_check("-0") == 0);
  CHECK(pa_frappe_parse_check("00") == 0);
  CHECK(pa_frappe_parse_check("2") == 1);
  CHECK(pa_frappe_parse_check("yes") == -1);
  CHECK(pa_frappe_parse_check("1.0") == -1);
  CHECK(pa_frappe_parse_check("1x") == -1);
  CHECK(pa_frappe_parse_check("+") == -1);
}

static void test_flag_value(void)
{
  struct pa_frappe_flag f= {1, -1, NULL};
  enum pa_frappe_via via;
  CHECK(pa_frappe_flag_value(&f, &via, 0) == 1 && via == PA_VIA_DOCFIELD);
  CHECK(pa_frappe_flag_value(&f, &via, 1) == 1 &&
        via == PA_VIA_CUSTOM_FIELD);
  f.ps= 0;
  CHECK(pa_frappe_flag_value(&f, &via, 0) == 0 &&
        via == PA_VIA_PROPERTY_SETTER);
  f.own= 0;
  f.ps= 1;
  CHECK(pa_frappe_flag_value(&f, &via, 1) == 1 &&
        via == PA_VIA_PROPERTY_SETTER);
  f.ps= -2;
  CHECK(pa_frappe_flag_value(&f, NULL, 0) == -1);
  f.ps= -1;
  f.own= -1;
  CHECK(pa_frappe_flag_value(&f, NULL, 0) == -1);
  f.own= 5; /* an int(1) column holding 5: set */
  CHECK(pa_frappe_flag_value(&f, NULL, 0) == 1);
}

/* Every kind of index of one DocType's table. */
static void test_classify(void)
{
  struct pa_table_def *def= calloc(1, sizeof(*def));
  struct pa_frappe_index_origin o[PA_TABLE_MAX_INDEXES];
  struct pa_frappe_field f[9];
  struct pa_frappe_doctype dt= {"Sales Invoice", 0, f};
  int text_col[PA_TABLE_MAX_INDEXES]= {0};

  f[0]= field("customer", 0, 1, 0);         /* standard, search_index */
  f[1]= field("posting_date", 0, 0, 0);     /* turned on by a setter */
  f[1].search_index.ps= 1;
  f[1].search_index.ps_name= "Sales Invoice-posting_date-search_index";
  f[2]= field("status", 0, 1, 0);           /* turned off by a setter */
  f[2].search_index.ps= 0;
  f[3]= field("custom_ref", 1, 1, 0);       /* a Custom Field */
  f[4]= field("tax_id", 0, 0, 1);           /* unique */
  f[5]= field("remarks", 0, 1, 0);          /* a TEXT column */
  f[6]= field("project", 0, 1, 0);          /* a setter value unreadable */
  f[6].search_index.ps= -2;
  f[7]= field("Company", 0, 1, 0);          /* names fold in case */
  f[8]= field("cost_center", 0, 0, 0);
  dt.n_fields= 9;

  add_index(def, "PRIMARY", 1, 1, "name", NULL);            /* 0 */
  add_index(def, "tax_id", 0, 1, "tax_id", NULL);           /* 1 */
  add_index(def, "customer", 0, 0, "customer", NULL);       /* 2 */
  add_index(def, "posting_date_index", 0, 0, "posting_date",
            NULL);                                          /* 3 */
  add_index(def, "status", 0, 0, "status", NULL);           /* 4 */
  add_index(def, "custom_ref_index", 0, 0, "custom_ref", NULL); /* 5 */
  add_index(def, "remarks", 0, 0, "remarks", NULL);         /* 6 */
  text_col[6]= 1;
  add_index(def, "project", 0, 0, "project", NULL);         /* 7 */
  add_index(def, "creation", 0, 0, "creation", NULL);       /* 8 */
  add_index(def, "modified", 0, 0, "modified", NULL);       /* 9 */
  add_index(def, "parent", 0, 0, "parent", NULL);           /* 10 */
  add_index(def, "idx_modified", 0, 0, "modified", NULL);   /* 11 */
  add_index(def, "customer_2", 0, 0, "customer", NULL);     /* 12 */
  add_index(def, "customer_date", 0, 0, "customer",
            "posting_date");                                /* 13 */
  add_index(def, "company", 0, 0, "company", NULL);         /* 14 */
  add_index(def, "cost_center", 0, 0, "cost_center", NULL); /* 15 */
  def->indexes[16]= def->indexes[2];                        /* 16 */
  strcpy(def->indexes[16].name, "ft_customer");
  def->indexes[16].type= PA_IDX_FULLTEXT;
  def->n_indexes++;
  add_index(def, "uniq_customer", 0, 1, "customer", NULL);  /* 17 */
  add_index(def, "creation_idx", 0, 0, "creation", NULL);   /* 18 */

  pa_frappe_classify(def, &dt, text_col, o);
  CHECK_STR(origin(o, 0), "framework");
  CHECK_STR(origin(o, 1), "docfield");
  CHECK(o[1].which == PA_FLAG_UNIQUE && o[1].field == &f[4] &&
        o[1].via == PA_VIA_DOCFIELD);
  CHECK_STR(origin(o, 2), "docfield");
  CHECK(o[2].which == PA_FLAG_SEARCH_INDEX && o[2].field == &f[0]);
  CHECK_STR(origin(o, 3), "docfield");
  CHECK(o[3].via == PA_VIA_PROPERTY_SETTER);
  CHECK_STR(origin(o, 4), "other");  /* search_index off: not Frappe's */
  CHECK_STR(origin(o, 5), "docfield");
  CHECK(o[5].via == PA_VIA_CUSTOM_FIELD);
  CHECK_STR(origin(o, 6), "other");  /* a TEXT column gets no index */
  CHECK_STR(origin(o, 7), "NULL");   /* unknown */
  CHECK_STR(origin(o, 8), "framework");
  CHECK_STR(origin(o, 9), "framework");
  CHECK_STR(origin(o, 10), "framework");
  CHECK_STR(origin(o, 11), "other"); /* not named as Frappe names it */
  CHECK_STR(origin(o, 12), "other"); /* a second copy: Frappe keeps one */
  CHECK_STR(origin(o, 13), "other"); /* two columns */
  CHECK_STR(origin(o, 14), "docfield");
  CHECK_STR(origin(o, 15), "other"); /* a field without the flag */
  CHECK_STR(origin(o, 16), "other"); /* FULLTEXT */
  CHECK_STR(origin(o, 17), "other"); /* unique, the field is not */
  CHECK_STR(origin(o, 18), "other");

  /* a PRIMARY KEY that is not on name */
  def->n_indexes= 0;
  add_index(def, "PRIMARY", 1, 1, "id", NULL);
  add_index(def, "PRIMARY2", 0, 0, "name", "creation");
  pa_frappe_classify(def, &dt, NULL, o);
  CHECK_STR(origin(o, 0), "other");
  CHECK_STR(origin(o, 1), "other");

  /* the first index in definition order is the field's, even under
     another name; a prefix index counts, as Frappe does not look */
  def->n_indexes= 0;
  add_index(def, "by_hand", 0, 0, "customer", NULL);
  add_index(def, "customer", 0, 0, "customer", NULL);
  def->indexes[0].cols[0].prefix_len= 10;
  pa_frappe_classify(def, &dt, NULL, o);
  CHECK_STR(origin(o, 0), "docfield");
  CHECK_STR(origin(o, 1), "other");

  /* a field twice (a DocField and a Custom Field of one name): they
     agree, or the origin is unknown */
  f[8]= field("customer", 1, 1, 0);
  def->n_indexes= 0;
  add_index(def, "customer", 0, 0, "customer", NULL);
  pa_frappe_classify(def, &dt, NULL, o);
  CHECK_STR(origin(o, 0), "docfield");
  CHECK(o[0].field == &f[0]);
  f[8].search_index.own= 0;
  pa_frappe_classify(def, &dt, NULL, o);
  CHECK_STR(origin(o, 0), "NULL");

  /* no DocType: nothing known */
  pa_frappe_classify(def, NULL, NULL, o);
  CHECK_STR(origin(o, 0), "NULL");
  CHECK(pa_frappe_origin_name(PA_ORIGIN_UNKNOWN) == NULL);
  CHECK(pa_frappe_via_name(PA_VIA_NONE) == NULL);
  CHECK_STR(pa_frappe_via_name(PA_VIA_PROPERTY_SETTER), "property_setter");
  free(def);
}

static void test_durable_sql(void)
{
  struct pa_frappe_field f[3];
  struct pa_frappe_doctype dt= {"Sales `Invoice' \xc3\xa9", 3, f};
  struct pa_frappe_index_origin o= {PA_ORIGIN_DOCFIELD, &f[0],
                                    PA_FLAG_SEARCH_INDEX, PA_VIA_DOCFIELD};
  char *sql, *rb;

  f[0]= field("customer", 0, 1, 0);
  f[1]= field("custom_ref", 1, 1, 0);
  f[1].row_name= "Sales `Invoice' \xc3\xa9-custom_ref";
  f[2]= field("status", 0, 0, 0);
  f[2].search_index.ps= 1;
  f[2].search_index.ps_name= "it's-status";

  CHECK(pa_frappe_durable_sql(&alloc, "erp", &dt, &o, &sql, &rb) == 0);
  CHECK_STR(sql,
            "INSERT INTO `erp`.`tabProperty Setter` (name, creation, "
            "modified, modified_by, owner, docstatus, idx, "
            "doctype_or_field, doc_type, field_name, property, "
            "property_type, value) VALUES ('Sales `Invoice'' "
            "\xc3\xa9-customer-search_index', NOW(6), NOW(6), "
            "'Administrator', 'Administrator', 0, 0, 'DocField', 'Sales "
            "`Invoice'' \xc3\xa9', 'customer', 'search_index', 'Check', "
            "'0')");
  CHECK_STR(rb, "DELETE FROM `erp`.`tabProperty Setter` WHERE name = "
                "'Sales `Invoice'' \xc3\xa9-customer-search_index'");

  o.field= &f[1];
  o.via= PA_VIA_CUSTOM_FIELD;
  CHECK(pa_frappe_durable_sql(&alloc, "my`db", &dt, &o, &sql, &rb) == 0);
  CHECK_STR(sql, "UPDATE `my``db`.`tabCustom Field` SET search_index = 0 "
                 "WHERE name = 'Sales `Invoice'' \xc3\xa9-custom_ref'");
  CHECK_STR(rb, "UPDATE `my``db`.`tabCustom Field` SET search_index = 1 "
                "WHERE name = 'Sales `Invoice'' \xc3\xa9-custom_ref'");

  o.field= &f[2];
  o.via= PA_VIA_PROPERTY_SETTER;
  CHECK(pa_frappe_durable_sql(&alloc, NULL, &dt, &o, &sql, &rb) == 0);
  CHECK_STR(sql, "UPDATE `tabProperty Setter` SET value = '0' WHERE name = "
                 "'it''s-status'");
  CHECK_STR(rb, "UPDATE `tabProperty Setter` SET value = '1' WHERE name = "
                "'it''s-status'");

  /* a backslash: a literal that means the same under every sql_mode */
  f[2].search_index.ps_name= "a\\b";
  CHECK(pa_frappe_durable_sql(&alloc, NULL, &dt, &o, &sql, &rb) == 0);
  CHECK_STR(sql, "UPDATE `tabProperty Setter` SET value = '0' WHERE name = "
                 "_utf8mb4 X'615C62'");

  /* not a search_index docfield index: nothing */
  o.which= PA_FLAG_UNIQUE;
  CHECK(pa_frappe_durable_sql(&alloc, NULL, &dt, &o, &sql, &rb) == -1);
  CHECK(sql == NULL && rb == NULL);
  o.which= PA_FLAG_SEARCH_INDEX;
  o.origin= PA_ORIGIN_OTHER;
  CHECK(pa_frappe_durable_sql(&alloc, NULL, &dt, &o, &sql, &rb) == -1);
  o.origin= PA_ORIGIN_DOCFIELD;
  f[2].search_index.ps_name= NULL;
  CHECK(pa_frappe_durable_sql(&alloc, NULL, &dt, &o, &sql, &rb) == -1);

  /* out of memory */
  o.field= &f[0];
  o.via= PA_VIA_DOCFIELD;
  ar.fail_after= ar.n;
  CHECK(pa_frappe_durable_sql(&alloc, "erp", &dt, &o, &sql, &rb) == -1);
  ar.fail_after= -1;
}

static const struct pa_thresholds th= {100000, 0.3, 1048576, 10000, 20.0,
                                       256ULL << 20, 1000000000000ULL, 3, 20,
                                       10000, 4, 31};

/* The drop advice of a docfield index: its own row and the group row. */
static void test_drop_advice(void)
{
  struct pa_table_def *def= calloc(1, sizeof(*def));
  struct pa_index_verdict v[PA_TABLE_MAX_INDEXES];
  struct pa_rule_index x[PA_TABLE_MAX_INDEXES];
  struct pa_frappe_index_origin o[PA_TABLE_MAX_INDEXES];
  struct pa_frappe_field f[3];
  struct pa_frappe_doctype dt= {"Sales Invoice", 3, f};
  struct pa_rule_table t;
  struct pa_rec_list l;
  const struct pa_rec *one= NULL, *group= NULL;

  f[0]= field("customer", 0, 1, 0);
  f[1]= field("custom_ref", 1, 1, 0);
  f[2]= field("is_return", 0, 1, 0);
  add_index(def, "PRIMARY", 1, 1, "name", NULL);
  add_index(def, "customer", 0, 0, "customer", NULL);
  add_index(def, "custom_ref_index", 0, 0, "custom_ref", NULL);
  add_index(def, "by_hand", 0, 0, "remarks", NULL);
  add_index(def, "is_return", 0, 0, "is_return", NULL);
  CHECK(pa_index_analyze(def, NULL, v) == 0);
  pa_frappe_classify(def, &dt, NULL, o);
  for (int i= 0; i < def->n_indexes; i++)
  {
    memset(&x[i], 0, sizeof(x[i]));
    x[i].def= &def->indexes[i];
    x[i].verdict= &v[i];
    x[i].status= PA_USAGE_UNUSED;
    x[i].observed_seconds= 9 * 86400;
    x[i].size_known= 1;
    x[i].size_bytes= 64ULL << 20;
    x[i].frappe= &o[i];
  }
  x[4].card_known= 1;
  x[4].cardinality= 2; /* useless: high, its own row */
  memset(&t, 0, sizeof(t));
  t.schema= "erp";
  t.name= "tabSales Invoice";
  t.engine= "InnoDB";
  t.facts.sizes_known= 1;
  t.facts.rows= 200000;
  pa_table_compute(&t.facts, &t.metrics);
  t.def= def;
  t.indexes= x;
  t.frappe_doctype= &dt;
  pa_rec_list_init(&l, &alloc);
  CHECK(pa_rules_table(&t, &th, &l) == 0);
  for (size_t i= 0; i < l.n; i++)
  {
    if (l.recs[i].index && !strcmp(l.recs[i].index, "is_return"))
      one= &l.recs[i];
    if (!strcmp(l.recs[i].action, "ignore_then_drop_indexes"))
      group= &l.recs[i];
  }
  CHECK(one != NULL && group != NULL);
  if (!one || !group)
    goto end;
  CHECK(strstr(one->message,
               " Field is_return of DocType Sales Invoice declares it "
               "(search_index, set by docfield): `bench migrate` creates it "
               "again after a DROP INDEX. To remove it for good, turn "
               "search_index off first: INSERT INTO `erp`.`tabProperty "
               "Setter` (") != NULL);
  CHECK(strstr(one->message, "(undo: DELETE FROM `erp`.`tabProperty "
                             "Setter` WHERE name = 'Sales "
                             "Invoice-is_return-search_index'), then run "
                             "`bench --site <site> clear-cache`.") != NULL);
  /* the soft drop itself is unchanged: IGNORED lasts through migrate */
  CHECK_STR(one->sql, "ALTER TABLE `erp`.`tabSales Invoice` ALTER INDEX "
                      "`is_return` IGNORED");
  CHECK(strstr(one->evidence, "\"origin\":\"docfield\"") != NULL ||
        strstr(one->evidence, "\"origin\": \"docfield\"") != NULL);
  CHECK(strstr(one->evidence, "durable_rollback_sql") != NULL);
  CHECK(strstr(group->message,
               "Ignore them first (one statement), watch, then drop them. 2 "
               "of them (customer, custom_ref_index) are declared by "
               "DocType fields (search_index): `bench migrate` creates them "
               "again after a DROP INDEX; the change that lasts, "
               "search_index off, and its undo are in EVIDENCE "
               "(indexes[].durable_sql, durable_rollback_sql).") != NULL);
  CHECK(strstr(group->evidence, "UPDATE `erp`.`tabCustom Field` SET "
                                "search_index = 0 WHERE name = 'Sales "
                                "Invoice-custom_ref'") != NULL);
  CHECK(strstr(group->evidence, "frappe_flag_set_by") != NULL);

  /* one declared member: singular; the other members' origins */
  o[1].origin= PA_ORIGIN_OTHER;
  pa_rec_list_init(&l, &alloc);
  CHECK(pa_rules_table(&t, &th, &l) == 0);
  group= NULL;
  for (size_t i= 0; i < l.n; i++)
    if (!strcmp(l.recs[i].action, "ignore_then_drop_indexes"))
      group= &l.recs[i];
  CHECK(group && strstr(group->message, " 1 of them (custom_ref_index) is "
                                        "declared by a DocType field "
                                        "(search_index): `bench migrate` "
                                        "creates it again") != NULL);
  CHECK(group && strstr(group->evidence, "\"other\"") != NULL);

  /* off a Frappe site: no word of it */
  for (int i= 0; i < def->n_indexes; i++)
    x[i].frappe= NULL;
  t.frappe_doctype= NULL;
  pa_rec_list_init(&l, &alloc);
  CHECK(pa_rules_table(&t, &th, &l) == 0);
  for (size_t i= 0; i < l.n; i++)
  {
    CHECK(strstr(l.recs[i].message, "bench") == NULL);
    CHECK(strstr(l.recs[i].evidence, "origin") == NULL);
  }
end:
  free(def);
}

int main(void)
{
  test_parse_check();
  test_flag_value();
  test_classify();
  test_durable_sql();
  test_drop_advice();
  arena_free(&ar);
  return PA_TEST_END("test_frappe");
}
