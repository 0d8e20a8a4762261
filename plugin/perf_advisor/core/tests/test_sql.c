/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of pa_sql: identifier quoting with hostile names, string
  literals under both backslash modes, the exact DDL text of every
  builder, and index naming (Frappe scheme, 64-character limit counted in
  characters, hash suffix, stability).
*/
#include "pa_sql.h"
#include "pa_text.h"
#include "pa_test.h"

#include <stdlib.h>


static struct arena ar= PA_TEST_ARENA_INIT;
static const struct pa_alloc A= {arena_alloc, &ar};

/* NULL-safe comparison: a NULL result never equals an expected string */
static int eq(const char *got, const char *want)
{
  if (!got || !want)
    return got == want;
  if (strcmp(got, want) != 0)
  {
    fprintf(stderr, "  got:  [%s]\n  want: [%s]\n", got, want);
    return 0;
  }
  return 1;
}

/* characters of valid UTF-8 text */
static size_t utf8_chars(const char *s)
{
  size_t n= 0;
  for (; *s; s++)
    if (((unsigned char) *s & 0xc0) != 0x80)
      n++;
  return n;
}

/* the hash pa_sql_index_name() cuts a long name with (test_text pins it
   to FNV-1a's published values) */
static uint64_t fnv1a(const char *s)
{
  return pa_hash_bytes(PA_HASH_SEED, s, strlen(s));
}

static void test_ident(void)
{
  static const char *const quoted[][2]= {
      {"customer", "`customer`"},
      {"a`b", "`a``b`"},
      {"`", "````"},
      {"``x``", "`````x`````"},
      {"x`; DROP TABLE t; -- ", "`x``; DROP TABLE t; -- `"},
      {"it's \"q\"", "`it's \"q\"`"},
      {"/* c */ x", "`/* c */ x`"},
      {"*/", "`*/`"},
      {"a\nb\r\tc", "`a\nb\r\tc`"},
      {" lead and trail ", "` lead and trail `"},
      {"1e10", "`1e10`"},
      {"select", "`select`"},
      {"a\\b", "`a\\b`"},
      {"fa\303\247ade", "`fa\303\247ade`"},
      {"\xe2\x82\xac", "`\xe2\x82\xac`"},
      {"\xe6\x97\xa5\xe6\x9c\xac", "`\xe6\x97\xa5\xe6\x9c\xac`"}};
  char long64[65], buf[200];

  /* eq() prints what it got and wanted */
  for (size_t k= 0; k < sizeof(quoted) / sizeof(quoted[0]); k++)
    CHECK(eq(pa_sql_ident(&A, quoted[k][0]), quoted[k][1]));
  memset(long64, 'n', 64);
  long64[64]= '\0';
  snprintf(buf, sizeof(buf), "`%s`", long64);
  CHECK(eq(pa_sql_ident(&A, long64), buf));
  CHECK(pa_sql_ident(&A, "") == NULL);
  CHECK(pa_sql_ident(&A, NULL) == NULL);
  CHECK(pa_sql_ident(NULL, "x") == NULL);

  CHECK(eq(pa_sql_qualified(&A, "erp", "tabSales Invoice"),
           "`erp`.`tabSales Invoice`"));
  CHECK(eq(pa_sql_qualified(&A, "my`db", "t`1"), "`my``db`.`t``1`"));
  CHECK(eq(pa_sql_qualified(&A, NULL, "t"), "`t`"));
  CHECK(eq(pa_sql_qualified(&A, "", "t"), "`t`"));
  CHECK(pa_sql_qualified(&A, "erp", "") == NULL);
  CHECK(pa_sql_qualified(&A, "erp", NULL) == NULL);
}

static void test_string(void)
{
  static const char *const strings[][2]= {
      {"plain", "'plain'"},
      {"", "''"},
      {"O'Brien", "'O''Brien'"},
      {"'", "''''"},
      {"'; DROP TABLE x; -- ", "'''; DROP TABLE x; -- '"},
      {"`x` \"y\" /* z */", "'`x` \"y\" /* z */'"},
      /* a backslash: an escape or not depending on NO_BACKSLASH_ESCAPES */
      {"Fran\xc3\xa7ois \xe2\x82\xac \xe6\x97\xa5",
       "'Fran\xc3\xa7ois \xe2\x82\xac \xe6\x97\xa5'"},
      {"a\\b", "_utf8mb4 X'615C62'"},
      {"\\'", "_utf8mb4 X'5C27'"},
      /* control characters */
      {"it's\\", "_utf8mb4 X'697427735C'"},
      {"a\nb", "_utf8mb4 X'610A62'"},
      {"\t", "_utf8mb4 X'09'"},
      {"\x7f", "_utf8mb4 X'7F'"},
      /* not UTF-8: kept byte for byte */
      {"\x1a", "_utf8mb4 X'1A'"},
      {"\xff\xfe", "_utf8mb4 X'FFFE'"},
      {"\xc3", "_utf8mb4 X'C3'"},
      /* overlong */
      {"\xc0\xaf", "_utf8mb4 X'C0AF'"},
      /* four-byte UTF-8 is fine in a string (utf8mb4) */
      {"\xed\xa0\x80", "_utf8mb4 X'EDA080'"},
      {"\xf0\x9f\x98\x80", "'\xf0\x9f\x98\x80'"}};

  /* eq() prints what it got and wanted */
  for (size_t k= 0; k < sizeof(strings) / sizeof(strings[0]); k++)
    CHECK(eq(pa_sql_string(&A, strings[k][0]), strings[k][1]));
  CHECK(pa_sql_string(&A, NULL) == NULL);
}

static void test_ddl(void)
{
  struct pa_index_col cols[3];
  memset(cols, 0, sizeof(cols));
  strcpy(cols[0].name, "c1");
  strcpy(cols[1].name, "c2");
  cols[1].prefix_len= 10;
  strcpy(cols[2].name, "c3");
  cols[2].desc= 1;

  CHECK(eq(pa_sql_create_index(&A, "s", "t", "idx", cols, 3, 0),
           "CREATE INDEX IF NOT EXISTS `idx` ON `s`.`t` "
           "(`c1`, `c2`(10), `c3` DESC)"));
  CHECK(eq(pa_sql_create_index(&A, "s", "t", "u", cols, 1, 1),
           "CREATE UNIQUE INDEX IF NOT EXISTS `u` ON `s`.`t` (`c1`)"));
  CHECK(eq(pa_sql_create_index(&A, NULL, "t", "i", cols, 1, 0),
           "CREATE INDEX IF NOT EXISTS `i` ON `t` (`c1`)"));
  strcpy(cols[0].name, "customer");
  strcpy(cols[1].name, "posting`date");
  cols[1].prefix_len= 0;
  CHECK(eq(pa_sql_create_index(&A, "erp", "tabSales Invoice",
                               "idx_sales_invoice_customer_posting_date", cols,
                               2, 0),
           "CREATE INDEX IF NOT EXISTS "
           "`idx_sales_invoice_customer_posting_date` ON "
           "`erp`.`tabSales Invoice` (`customer`, `posting``date`)"));
  CHECK(pa_sql_create_index(&A, "s", "t", "i", cols, 0, 0) == NULL);
  CHECK(pa_sql_create_index(&A, "s", "t", "i", cols, PA_INDEX_MAX_COLS + 1,
                            0) == NULL);
  CHECK(pa_sql_create_index(&A, "s", "t", "i", NULL, 1, 0) == NULL);
  CHECK(pa_sql_create_index(&A, "s", "t", "", cols, 1, 0) == NULL);
  CHECK(pa_sql_create_index(&A, "s", "", "i", cols, 1, 0) == NULL);
  cols[0].name[0]= '\0';
  CHECK(pa_sql_create_index(&A, "s", "t", "i", cols, 1, 0) == NULL);

  CHECK(eq(pa_sql_alter_index_ignored(&A, "s", "t", "i", 1),
           "ALTER TABLE `s`.`t` ALTER INDEX `i` IGNORED"));
  CHECK(eq(pa_sql_alter_index_ignored(&A, "s", "t", "i", 0),
           "ALTER TABLE `s`.`t` ALTER INDEX `i` NOT IGNORED"));
  CHECK(eq(pa_sql_alter_index_ignored(&A, "e`rp", "tabGL Entry", "a`b", 1),
           "ALTER TABLE `e``rp`.`tabGL Entry` ALTER INDEX `a``b` IGNORED"));
  CHECK(pa_sql_alter_index_ignored(&A, "s", "t", NULL, 1) == NULL);

  CHECK(eq(pa_sql_drop_index(&A, "s", "t", "i"),
           "ALTER TABLE `s`.`t` DROP INDEX `i`"));
  CHECK(eq(pa_sql_drop_index(&A, "s", "t", "x`; DROP DATABASE s; --"),
           "ALTER TABLE `s`.`t` DROP INDEX `x``; DROP DATABASE s; --`"));
  CHECK(pa_sql_drop_index(&A, "s", "t", "PRIMARY") == NULL);
  CHECK(pa_sql_drop_index(&A, "s", "t", "primary") == NULL);
  CHECK(pa_sql_drop_index(&A, "s", "t", "PriMary") == NULL);
  CHECK(eq(pa_sql_drop_index(&A, "s", "t", "PRIMARY_2"),
           "ALTER TABLE `s`.`t` DROP INDEX `PRIMARY_2`"));
  CHECK(eq(pa_sql_drop_index(&A, "s", "t", " PRIMARY"),
           "ALTER TABLE `s`.`t` DROP INDEX ` PRIMARY`"));
  CHECK(pa_sql_drop_index(&A, "s", "t", "") == NULL);
  CHECK(pa_sql_drop_index(&A, "s", "", "i") == NULL);

  CHECK(eq(pa_sql_optimize_table(&A, "erp", "tabGL Entry"),
           "OPTIMIZE TABLE `erp`.`tabGL Entry`"));
  CHECK(eq(pa_sql_optimize_table(&A, NULL, "t"), "OPTIMIZE TABLE `t`"));
  CHECK(pa_sql_optimize_table(&A, "s", NULL) == NULL);
}

/* One ALTER TABLE for a group of indexes: hostile and multibyte names. */
static void test_ddl_group(void)
{
  const char *ix[]= {"a`b", "it's", "due date", "x,y", "\xc3\xa9t\xc3\xa9"};
  const char *pk[]= {"ok", "Primary"};
  const char *hole[]= {"ok", ""};
  const char *nul[]= {"ok", NULL};

  CHECK(eq(pa_sql_alter_indexes_ignored(&A, "erp", "tabSales Invoice Item",
                                        ix, 5, 1),
           "ALTER TABLE `erp`.`tabSales Invoice Item` ALTER INDEX `a``b` "
           "IGNORED, ALTER INDEX `it's` IGNORED, ALTER INDEX `due date` "
           "IGNORED, ALTER INDEX `x,y` IGNORED, ALTER INDEX "
           "`\xc3\xa9t\xc3\xa9` IGNORED"));
  CHECK(eq(pa_sql_alter_indexes_ignored(&A, "e`rp", "t", ix, 2, 0),
           "ALTER TABLE `e``rp`.`t` ALTER INDEX `a``b` NOT IGNORED, ALTER "
           "INDEX `it's` NOT IGNORED"));
  CHECK(eq(pa_sql_alter_indexes_ignored(&A, "s", "t", ix + 2, 1, 1),
           "ALTER TABLE `s`.`t` ALTER INDEX `due date` IGNORED"));
  CHECK(eq(pa_sql_drop_indexes(&A, "erp", "tab\xc3\x9c" "bersicht", ix, 4),
           "ALTER TABLE `erp`.`tab\xc3\x9c" "bersicht` DROP INDEX `a``b`, DROP "
           "INDEX `it's`, DROP INDEX `due date`, DROP INDEX `x,y`"));
  /* never the primary key, never an empty or missing name or list */
  CHECK(pa_sql_drop_indexes(&A, "s", "t", pk, 2) == NULL);
  CHECK(pa_sql_alter_indexes_ignored(&A, "s", "t", hole, 2, 1) == NULL);
  CHECK(pa_sql_alter_indexes_ignored(&A, "s", "t", nul, 2, 1) == NULL);
  CHECK(pa_sql_drop_indexes(&A, "s", "t", hole, 2) == NULL);
  CHECK(pa_sql_drop_indexes(&A, "s", "t", nul, 2) == NULL);
  CHECK(pa_sql_alter_indexes_ignored(&A, "s", "t", ix, 0, 1) == NULL);
  CHECK(pa_sql_alter_indexes_ignored(&A, "s", "t", NULL, 1, 1) == NULL);
  CHECK(pa_sql_alter_indexes_ignored(&A, "s", "t", ix,
                                     PA_TABLE_MAX_INDEXES + 1, 1) == NULL);
  CHECK(pa_sql_drop_indexes(&A, "s", "", ix, 1) == NULL);
  CHECK(pa_sql_drop_indexes(&A, "s", "t", ix, -1) == NULL);
}

static void test_names(void)
{
  const char *si[]= {"customer", "posting_date"};
  const char *gl[]= {"account", "posting_date"};
  const char *oc[]= {"customer_id"};
  const char *odd[]= {"Due Date", "", NULL, "x-y"};
  const char *longc[]= {"a_rather_long_column_name_for_testing",
                        "another_quite_long_column_name"};
  const char *longc2[]= {"a_rather_long_column_name_for_testing",
                         "another_quite_long_column_namE"};
  char want[500], full[500], big[400];
  char *n1, *n2;
  int i;

  CHECK(eq(pa_sql_index_name(&A, "tabSales Invoice", si, 2),
           "idx_sales_invoice_customer_posting_date"));
  CHECK(eq(pa_sql_index_name(&A, "tabGL Entry", gl, 2),
           "idx_gl_entry_account_posting_date"));
  CHECK(eq(pa_sql_index_name(&A, "orders", oc, 1), "idx_orders_customer_id"));
  CHECK(eq(pa_sql_index_name(&A, "tabPOS-Profile", oc, 1),
           "idx_pos_profile_customer_id"));
  /* columns are scrubbed; empty and NULL ones are left out */
  CHECK(eq(pa_sql_index_name(&A, "tabTask", odd, 4), "idx_task_due_date_x_y"));
  /* "tab" alone, or not at the start, is not a Frappe prefix */
  CHECK(eq(pa_sql_index_name(&A, "tab", oc, 1), "idx_tab_customer_id"));
  CHECK(eq(pa_sql_index_name(&A, "Tabular", NULL, 0), "idx_tabular"));
  CHECK(eq(pa_sql_index_name(&A, "tabX", NULL, 0), "idx_x"));
  /* nothing to name: "idx" */
  CHECK(eq(pa_sql_index_name(&A, "", NULL, 0), "idx"));
  CHECK(eq(pa_sql_index_name(&A, NULL, odd + 1, 2), "idx"));
  CHECK(pa_sql_index_name(&A, "t", NULL, 1) == NULL);
  CHECK(pa_sql_index_name(&A, "t", si, -1) == NULL);
  /* ASCII only is lower-cased; other bytes are kept */
  CHECK(eq(pa_sql_index_name(&A, "tabFa\303\207ADE", NULL, 0),
           "idx_fa\303\207ade"));
  CHECK(eq(pa_sql_index_name(&A, "tab\xe6\x97\xa5\xe6\x9c\xac", NULL, 0),
           "idx_\xe6\x97\xa5\xe6\x9c\xac"));
  /* not valid in an identifier: invalid UTF-8, supplementary planes */
  CHECK(eq(pa_sql_index_name(&A, "tabA\377B", NULL, 0), "idx_a_b"));
  CHECK(
      eq(pa_sql_index_name(&A, "tabA\360\237\230\200B", NULL, 0), "idx_a_b"));
  /* hostile bytes stay inside the name, which is quoted when used */
  CHECK(eq(pa_sql_index_name(&A, "tabA`B; --", NULL, 0), "idx_a`b;___"));

  /* exactly 64 characters: kept */
  memset(big, 'c', 60);
  big[60]= '\0';
  n1= pa_sql_index_name(&A, big, NULL, 0);
  CHECK(n1 && strlen(n1) == 64 && strncmp(n1, "idx_ccc", 7) == 0);
  /* 65: cut to 55, '_' and the hash of the whole name */
  big[60]= 'c';
  big[61]= '\0';
  snprintf(full, sizeof(full), "idx_%s", big);
  n1= pa_sql_index_name(&A, big, NULL, 0);
  snprintf(want, sizeof(want), "%.55s_%08lx", full,
           (unsigned long) (fnv1a(full) & 0xffffffffUL));
  CHECK(eq(n1, want));
  CHECK(n1 && strlen(n1) == 64);

  /* the guide's scheme on a long DocType */
  n1= pa_sql_index_name(&A, "tabSales Invoice Advance Payment Entry", longc,
                        2);
  strcpy(full, "idx_sales_invoice_advance_payment_entry_"
               "a_rather_long_column_name_for_testing_"
               "another_quite_long_column_name");
  snprintf(want, sizeof(want), "%.55s_%08lx", full,
           (unsigned long) (fnv1a(full) & 0xffffffffUL));
  CHECK(eq(n1, want));
  /* stable: the same input gives the same name */
  n2= pa_sql_index_name(&A, "tabSales Invoice Advance Payment Entry", longc,
                        2);
  CHECK(eq(n1, n2));
  /* a difference past the cut still changes the name; only ASCII case
     differs here, and scrub() folds it, so the same name is expected */
  n2= pa_sql_index_name(&A, "tabSales Invoice Advance Payment Entry", longc2,
                        2);
  CHECK(eq(n1, n2));
  longc2[1]= "another_quite_long_column_name2";
  n2= pa_sql_index_name(&A, "tabSales Invoice Advance Payment Entry", longc2,
                        2);
  CHECK(n1 && n2 && strcmp(n1, n2) != 0 && strncmp(n1, n2, 55) == 0);

  /* multibyte: counted in characters, cut on a character boundary */
  big[0]= '\0';
  for (i= 0; i < 60; i++)
    strcat(big, "\xc3\xa7");               /* ç */
  n1= pa_sql_index_name(&A, big, NULL, 0); /* "idx_" + 60 ç: 64 chars */
  CHECK(n1 && utf8_chars(n1) == 64 && strlen(n1) == 4 + 120);
  strcat(big, "\xe2\x82\xac"); /* 65 characters */
  snprintf(full, sizeof(full), "idx_%s", big);
  n1= pa_sql_index_name(&A, big, NULL, 0);
  CHECK(n1 && utf8_chars(n1) == 64);
  CHECK(n1 && strlen(n1) == 4 + 51 * 2 + 9);
  snprintf(want, sizeof(want), "%.106s_%08lx", full,
           (unsigned long) (fnv1a(full) & 0xffffffffUL));
  CHECK(eq(n1, want));
  /* three-byte characters: 64 * 3 bytes at most */
  big[0]= '\0';
  for (i= 0; i < 100; i++)
    strcat(big, "\xe6\x97\xa5");
  n1= pa_sql_index_name(&A, big, NULL, 0);
  CHECK(n1 && utf8_chars(n1) == 64 && strlen(n1) <= 192);
  CHECK(n1 && strncmp(n1 + 4 + 51 * 3, "_", 1) == 0);
}

static void test_oom(void)
{
  struct arena fail= {NULL, 0, 0, 0};
  struct pa_alloc f= {arena_alloc, &fail};
  const char *cols[]= {"a"};
  struct pa_index_col c;
  memset(&c, 0, sizeof(c));
  strcpy(c.name, "a");
  CHECK(pa_sql_ident(&f, "x") == NULL);
  CHECK(pa_sql_qualified(&f, "s", "t") == NULL);
  CHECK(pa_sql_string(&f, "x") == NULL);
  CHECK(pa_sql_string(&f, "\\") == NULL);
  CHECK(pa_sql_create_index(&f, "s", "t", "i", &c, 1, 0) == NULL);
  CHECK(pa_sql_drop_index(&f, "s", "t", "i") == NULL);
  CHECK(pa_sql_alter_index_ignored(&f, "s", "t", "i", 1) == NULL);
  CHECK(pa_sql_optimize_table(&f, "s", "t") == NULL);
  CHECK(pa_sql_index_name(&f, "t", cols, 1) == NULL);
  CHECK(pa_sql_index_name(&f, "", NULL, 0) == NULL);
  /* failing later, during growth or the hash suffix */
  for (fail.fail_after= 1; fail.fail_after < 4; fail.fail_after++)
  {
    char big[200];
    memset(big, 'x', 150);
    big[150]= '\0';
    (void) pa_sql_index_name(&f, big, cols, 1);
    (void) pa_sql_create_index(&f, big, big, big, &c, 1, 1);
    arena_free(&fail);
  }
  arena_free(&fail);
}

static void test_name_control_chars(void)
{
  const char *cols[]= {"c\t1"};
  /* control characters in names become '_' like spaces */
  CHECK(eq(pa_sql_index_name(&A, "t\n1", cols, 1), "idx_t_1_c_1"));
  arena_free(&ar);
}

int main(void)
{
  test_name_control_chars();
  test_ident();
  test_string();
  test_ddl();
  test_ddl_group();
  test_names();
  test_oom();
  arena_free(&ar);
  return PA_TEST_END("test_sql");
}
