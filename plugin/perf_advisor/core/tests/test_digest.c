/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of pa_digest: statement kinds, tables, column uses, flags, and
  robustness on cut, odd and random input.  Digest texts marked "real" are
  copied from MariaDB 10.11 mysql-test/suite/perfschema/r/ *digest*.result,
  so they show the exact spacing the server prints.
*/
#include "pa_digest.h"
#include "pa_digest_same.h"
#include "pa_test.h"
#include "pa_types.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct pa_digest_scratch S;

/*
  The analysis the checks read: the compact copy (pa_digest_analysis_copy)
  of the last one an_len() made, on an arena of exactly its size, so every
  check reads what a statement keeps, and AddressSanitizer reports a read
  past the tables of a copy.  A holds the copy's fields by value; its
  arrays are the copy's, on cp_ar until the next an_len().
*/
static struct pa_digest_analysis A;
static struct arena cp_ar= PA_TEST_ARENA_INIT;
static size_t cp_bytes, cp_calls; /* of the last copy: bytes asked, calls */

static void *cp_alloc(void *ctx, size_t bytes)
{
  cp_bytes= bytes;
  cp_calls++;
  return arena_alloc(ctx, bytes);
}

static const struct pa_alloc CP= {cp_alloc, &cp_ar};

/* Copies made, and copies that differed from their analysis or did not
   take exactly pa_digest_analysis_size() bytes in one call. */
static int copies, copy_mismatches;

/* The bytes a copy of an must take: the struct, the entries (no padding
   between them: each is a multiple of the pointer alignment) and every
   identifier with its NUL. */
static size_t exact_bytes(const struct pa_digest_analysis *an)
{
  size_t n= sizeof(*an) + (size_t) an->n_tables * sizeof(*an->tables) +
            (size_t) an->n_columns * sizeof(*an->columns) +
            (size_t) an->n_hints * sizeof(*an->hints);
  int i;
  for (i= 0; i < an->n_tables; i++)
    n+= strlen(an->tables[i].schema) + strlen(an->tables[i].name) +
         strlen(an->tables[i].alias) + 3;
  for (i= 0; i < an->n_columns; i++)
    n+= strlen(an->columns[i].name) + 1;
  for (i= 0; i < an->n_hints; i++)
    n+= strlen(an->hints[i].index) + 1;
  return n;
}

/* Whether s points into the scratch S (the copy must not). */
static int in_scratch(const void *s)
{
  const char *p= s, *b= (const char *) &S;
  return p >= b && p < b + sizeof(S);
}

/* Whether no pointer of copy c points into the scratch. */
static int detached(const struct pa_digest_analysis *c)
{
  int i;
  if (in_scratch(c->tables) || in_scratch(c->columns) ||
      in_scratch(c->hints))
    return 0;
  for (i= 0; i < c->n_tables; i++)
    if (in_scratch(c->tables[i].schema) || in_scratch(c->tables[i].name) ||
        in_scratch(c->tables[i].alias))
      return 0;
  for (i= 0; i < c->n_columns; i++)
    if (in_scratch(c->columns[i].name))
      return 0;
  for (i= 0; i < c->n_hints; i++)
    if (in_scratch(c->hints[i].index))
      return 0;
  return 1;
}

/*
  Analyse s from an exact-size heap copy, so AddressSanitizer reports any
  read past len (a string literal would hide it behind its NUL); then
  copy the analysis into A (see above).
*/
static int an_len(const char *s, size_t len)
{
  char *buf= malloc(len ? len : 1);
  const struct pa_digest_analysis *cp;
  int rc;
  if (!buf)
    return -2;
  memcpy(buf, s, len);
  rc= pa_digest_analyze(buf, len, &S);
  free(buf);
  if (rc)
    return rc;
  arena_free(&cp_ar);
  cp_calls= 0;
  copies++;
  if (!(cp= pa_digest_analysis_copy(&S.an, &CP)))
    return -2;
  if (!pa_digest_same(cp, &S.an) || !detached(cp) || cp_calls != 1 ||
      cp_bytes != pa_digest_analysis_size(&S.an) ||
      cp_bytes != exact_bytes(&S.an))
    copy_mismatches++;
  A= *cp;
  return rc;
}

static int an(const char *s) { return an_len(s, strlen(s)); }

/* Index of the first column named name (ASCII case-insensitive) with use. */
static int col(const char *name, enum pa_col_use use)
{
  int i;
  for (i= 0; i < A.n_columns; i++)
  {
    const char *a= A.columns[i].name, *b= name;
    while (*a && *b &&
           (*a == *b || ((*a ^ *b) == 0x20 && ((*a | 0x20) >= 'a') &&
                         ((*a | 0x20) <= 'z'))))
    {
      a++;
      b++;
    }
    if (*a == '\0' && *b == '\0' && A.columns[i].use == use)
      return i;
  }
  return -1;
}

static int flag(unsigned f) { return (A.flags & f) != 0; }

static const char *tname(int i)
{
  return (i >= 0 && i < A.n_tables) ? A.tables[i].name : "";
}

/* Table of a column found by col(), or -99 when the column is missing. */
static int ctab(const char *name, enum pa_col_use use)
{
  int i= col(name, use);
  return i < 0 ? -99 : A.columns[i].table;
}

/* Index of the hint on table naming index (exact bytes) as kind, or -1. */
static int hint(int table, const char *index, enum pa_hint_kind kind)
{
  int i;
  for (i= 0; i < A.n_hints; i++)
    if (A.hints[i].table == table && A.hints[i].kind == kind &&
        strcmp(A.hints[i].index, index) == 0)
      return i;
  return -1;
}

static void test_null_and_empty(void)
{
  struct pa_digest_scratch a;
  CHECK(pa_digest_analyze(NULL, 0, &a) == -1);
  CHECK(pa_digest_analyze("SELECT 1", 8, NULL) == -1);
  CHECK(pa_digest_analyze(NULL, 5, NULL) == -1);
  CHECK(pa_digest_find_table(NULL, NULL, "t") == -1);

  CHECK(an("") == 0);
  CHECK(A.kind == PA_STMT_OTHER && A.n_tables == 0 && A.n_columns == 0 &&
        A.flags == 0 && A.n_joins == 0 && A.n_hints == 0);
  CHECK(pa_digest_analyze("", 0, &S) == 0 && S.an.kind == PA_STMT_OTHER);
  CHECK(an("   \n\t ") == 0 && A.kind == PA_STMT_OTHER);
  CHECK(an("-- only a comment") == 0 && A.kind == PA_STMT_OTHER);
  CHECK(an("/* c */ # c2\n") == 0 && A.kind == PA_STMT_OTHER);
  CHECK(pa_digest_find_table(&A, NULL, NULL) == -1);
  CHECK(pa_digest_find_table(&A, NULL, "t") == -1);
  /* len 0 with a non-empty buffer reads nothing */
  CHECK(pa_digest_analyze("SELECT * FROM t", 0, &S) == 0 &&
        S.an.kind == PA_STMT_OTHER && S.an.n_tables == 0);
}

static void test_brief_examples(void)
{
  CHECK(an("SELECT * FROM `tabSales Invoice` WHERE `customer` = ? AND "
           "`posting_date` >= ? ORDER BY `posting_date` DESC LIMIT ?") == 0);
  CHECK(A.kind == PA_STMT_SELECT);
  CHECK(A.n_tables == 1);
  CHECK_STR(A.tables[0].name, "tabSales Invoice");
  CHECK_STR(A.tables[0].schema, "");
  CHECK_STR(A.tables[0].alias, "");
  CHECK(A.n_columns == 3);
  CHECK(col("customer", PA_USE_EQ) == 0);
  CHECK(col("posting_date", PA_USE_RANGE) == 1);
  CHECK(col("posting_date", PA_USE_ORDER) == 2);
  CHECK(A.columns[0].table == 0 && A.columns[1].table == 0 &&
        A.columns[2].table == 0);
  CHECK(A.columns[0].ordinal == 0 && A.columns[1].ordinal == 1);
  CHECK(A.columns[2].desc == 1 && A.columns[2].ordinal == 0);
  CHECK(A.flags == (PA_DIGEST_F_SELECT_STAR | PA_DIGEST_F_LIMIT));
  CHECK(A.n_joins == 0);

  CHECK(an("SELECT `name` FROM `erp` . `tabItem` WHERE `item_group` IN "
           "(...)") == 0);
  CHECK(A.kind == PA_STMT_SELECT && A.n_tables == 1);
  CHECK_STR(A.tables[0].schema, "erp");
  CHECK_STR(A.tables[0].name, "tabItem");
  CHECK(A.n_columns == 1 && ctab("item_group", PA_USE_IN) == 0);
  CHECK(A.flags == 0);

  CHECK(an("INSERT INTO `t` ( `a` , `b` ) VALUES (...)") == 0);
  CHECK(A.kind == PA_STMT_INSERT && A.n_tables == 1);
  CHECK_STR(A.tables[0].name, "t");
  CHECK(A.n_columns == 0);
  CHECK(A.flags == PA_DIGEST_F_SINGLE_ROW_INSERT);
}

/* Digest texts exactly as MariaDB 10.11 prints them (trailing blank too). */
static void test_real_digests(void)
{
  CHECK(an("SELECT ? FROM `t1` ") == 0 && A.kind == PA_STMT_SELECT);
  CHECK(A.n_tables == 1 && strcmp(A.tables[0].name, "t1") == 0);
  CHECK(A.flags == 0);

  CHECK(an("SELECT ?, ... FROM `t1` ") == 0 && A.n_tables == 1);
  CHECK(A.flags == 0);
  CHECK(an("SELECT ?, ... ") == 0 && A.kind == PA_STMT_SELECT);
  CHECK(!flag(PA_DIGEST_F_TRUNCATED));

  CHECK(an("INSERT INTO `t1` VALUES (?) ") == 0);
  CHECK(A.kind == PA_STMT_INSERT && A.flags == PA_DIGEST_F_SINGLE_ROW_INSERT);
  CHECK(an("INSERT INTO `t3` VALUES (...) ") == 0);
  CHECK(A.flags == PA_DIGEST_F_SINGLE_ROW_INSERT);
  CHECK(an("INSERT INTO `t1` VALUES (?) /* , ... */ ") == 0);
  CHECK(A.kind == PA_STMT_INSERT && A.n_tables == 1 && A.flags == 0);
  CHECK(an("INSERT INTO `t5` VALUES (...) /* , ... */ ") == 0);
  CHECK(A.flags == 0);
  CHECK(an("INSERT IGNORE INTO `t11` VALUES (?) ") == 0);
  CHECK(A.kind == PA_STMT_INSERT && A.n_tables == 1);
  CHECK_STR(A.tables[0].name, "t11");
  CHECK(A.flags == PA_DIGEST_F_SINGLE_ROW_INSERT);
  CHECK(an("INSERT INTO `expect_full_reduce` VALUES (...) ") == 0);
  CHECK(A.flags == PA_DIGEST_F_SINGLE_ROW_INSERT);

  CHECK(an("SELECT * FROM `test` . `v1` WHERE `b` > ? ") == 0);
  CHECK(A.n_tables == 1 && strcmp(A.tables[0].schema, "test") == 0 &&
        strcmp(A.tables[0].name, "v1") == 0);
  CHECK(ctab("b", PA_USE_RANGE) == 0);
  CHECK(A.flags == PA_DIGEST_F_SELECT_STAR);
  CHECK(an("SELECT * FROM `test` . `v1` WHERE `a` = ? ") == 0);
  CHECK(ctab("a", PA_USE_EQ) == 0);

  /* the select list is not reported */
  CHECK(an("SELECT `a` , `b` FROM `test` . `v1` ") == 0);
  CHECK(A.n_tables == 1 && A.n_columns == 0 && A.flags == 0);
  CHECK(an("SELECT `a` - `b` , `a` + `b` , - `a` , - `b` , + `a` , + `b` "
           "FROM `expect_unchanged` ") == 0);
  CHECK(A.n_tables == 1 && A.n_columns == 0 && A.flags == 0);

  /* keywords used as names stay unquoted in digests */
  CHECK(an("SELECT SCHEMA_NAME , `DIGEST` , `DIGEST_TEXT` , `COUNT_STAR` "
           "FROM `performance_schema` . "
           "`events_statements_summary_by_digest` ORDER BY `DIGEST_TEXT` ") ==
        0);
  CHECK(A.n_tables == 1);
  CHECK_STR(A.tables[0].schema, "performance_schema");
  CHECK_STR(A.tables[0].name, "events_statements_summary_by_digest");
  CHECK(ctab("DIGEST_TEXT", PA_USE_ORDER) == 0);
  CHECK(A.n_columns == 1 && A.flags == 0);

  CHECK(an("SELECT `func` (...) ") == 0 && A.kind == PA_STMT_SELECT);
  CHECK(A.n_tables == 0 && A.n_columns == 0 && A.flags == 0);
  CHECK(an("SELECT ? FROM DUAL ") == 0 && A.n_tables == 0 && A.flags == 0);
  CHECK(an("SELECT ? IS NULL , ? IS NULL , ? IS NOT NULL , ? IS NOT NULL ") ==
        0);
  CHECK(A.n_columns == 0 && A.flags == 0);
  CHECK(an("SELECT ? + ? FROM `expect_binary` ") == 0 && A.flags == 0);

  /* cut by max_digest_length: whole tokens dropped, no marker */
  CHECK(an("SELECT ? + ? + ") == 0 && A.kind == PA_STMT_SELECT);
  CHECK(flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("TRUNCATE TABLE ") == 0 && A.kind == PA_STMT_OTHER);

  /* statements that are not analysed */
  CHECK(an("TRUNCATE TABLE `performance_schema` . "
           "`events_statements_summary_by_digest` ") == 0);
  CHECK(A.kind == PA_STMT_OTHER && A.n_tables == 0 && A.flags == 0);
  CHECK(an("CREATE TABLE `dup_table` ( `c` CHARACTER (?) ) ") == 0);
  CHECK(A.kind == PA_STMT_OTHER && A.n_tables == 0 && A.n_columns == 0);
  CHECK(an("EXPLAIN SELECT * FROM `test` . `v1` WHERE `a` = ? ") == 0);
  CHECK(A.kind == PA_STMT_OTHER && A.n_tables == 0);
  CHECK(an("CREATE PROCEDURE `p1` ( ) BEGIN SELECT * FROM `t12` ; END ") == 0);
  CHECK(A.kind == PA_STMT_OTHER && A.n_tables == 0);
  CHECK(an("CREATE TRIGGER `trg` BEFORE INSERT ON `t12` FOR EACH ROW SET @? "
           ":= ? ") == 0);
  CHECK(A.kind == PA_STMT_OTHER);
  CHECK(an("CALL `p1` ( ) ") == 0 && A.kind == PA_STMT_OTHER);
  CHECK(an("SHOW WARNINGS ") == 0 && A.kind == PA_STMT_OTHER);
}

static void test_kinds(void)
{
  CHECK(an("select a from t") == 0 && A.kind == PA_STMT_SELECT);
  CHECK(an("(SELECT `a` FROM `t1`) UNION (SELECT `a` FROM `t2`)") == 0);
  CHECK(A.kind == PA_STMT_SELECT && A.n_tables == 2);
  CHECK(!flag(PA_DIGEST_F_SUBQUERY));
  CHECK(an("insert into t values (1)") == 0 && A.kind == PA_STMT_INSERT);
  CHECK(an("REPLACE INTO `t` VALUES (...) ") == 0);
  CHECK(A.kind == PA_STMT_REPLACE && A.n_tables == 1 &&
        flag(PA_DIGEST_F_SINGLE_ROW_INSERT));
  CHECK(an("UPDATE `t` SET `a` = ? WHERE `id` = ? ") == 0);
  CHECK(A.kind == PA_STMT_UPDATE && A.n_tables == 1 && A.n_columns == 1);
  CHECK(ctab("id", PA_USE_EQ) == 0);
  CHECK(an("DELETE FROM `t` WHERE `id` IN (...) ") == 0);
  CHECK(A.kind == PA_STMT_DELETE && A.n_tables == 1);
  CHECK(ctab("id", PA_USE_IN) == 0);
  CHECK(an("SET @a = 1") == 0 && A.kind == PA_STMT_OTHER);
  CHECK(an("42") == 0 && A.kind == PA_STMT_OTHER);
  CHECK(an("(1)") == 0 && A.kind == PA_STMT_OTHER);
  CHECK(an("  /* lead */ SELECT 1") == 0 && A.kind == PA_STMT_SELECT);
}

static void test_eq(void)
{
  CHECK(an("SELECT * FROM t WHERE a = ?") == 0 && ctab("a", PA_USE_EQ) == 0);
  CHECK(an("SELECT * FROM t WHERE a <=> ?") == 0 && ctab("a", PA_USE_EQ) == 0);
  CHECK(an("SELECT * FROM `t` WHERE `a` IS NULL ") == 0 &&
        ctab("a", PA_USE_EQ) == 0);
  CHECK(an("SELECT * FROM `t` WHERE `a` IN (?) ") == 0);
  CHECK(ctab("a", PA_USE_EQ) == 0 && col("a", PA_USE_IN) < 0);
  CHECK(an("SELECT * FROM t WHERE a IN (5)") == 0 &&
        ctab("a", PA_USE_EQ) == 0);
  /* reversed operands */
  CHECK(an("SELECT * FROM `t` WHERE ? = `a` ") == 0);
  CHECK(ctab("a", PA_USE_EQ) == 0 && A.n_columns == 1);
  CHECK(an("SELECT * FROM t WHERE 10 < b") == 0 &&
        ctab("b", PA_USE_RANGE) == 0);
  /* constants that are keywords are values, not columns */
  CHECK(an("SELECT * FROM t WHERE a = NULL AND b = TRUE AND c > "
           "CURRENT_DATE") == 0);
  CHECK(A.n_columns == 3 && col("a", PA_USE_EQ) >= 0 &&
        col("b", PA_USE_EQ) >= 0 && col("c", PA_USE_RANGE) >= 0);
  /* string and variable operands */
  CHECK(an("select * from t where a = 'x' and b = @v and c = _utf8mb4'y'") ==
        0);
  CHECK(col("a", PA_USE_EQ) >= 0 && col("b", PA_USE_EQ) >= 0 &&
        col("c", PA_USE_EQ) >= 0 && A.n_columns == 3);
  /* the same predicate twice is reported once */
  CHECK(an("SELECT * FROM t WHERE a = ? OR a = ?") == 0 && A.n_columns == 1);
}

static void test_in(void)
{
  CHECK(an("SELECT * FROM t WHERE a IN (1, 2, 3)") == 0 &&
        ctab("a", PA_USE_IN) == 0);
  CHECK(an("SELECT * FROM t WHERE a NOT IN (1, 2)") == 0 &&
        ctab("a", PA_USE_IN) == 0);
  CHECK(an("SELECT * FROM `t` WHERE `a` IN (?, ...) ") == 0 &&
        ctab("a", PA_USE_IN) == 0);
  CHECK(an("SELECT * FROM `t` WHERE `a` IN ( `b` , ? ) ") == 0 &&
        ctab("a", PA_USE_IN) == 0);
  CHECK(an("SELECT * FROM `t1` WHERE `a` IN ( SELECT `b` FROM `t2` WHERE "
           "`c` = ? ) ") == 0);
  CHECK(col("a", PA_USE_IN) >= 0);
  CHECK(flag(PA_DIGEST_F_IN_SUBQUERY) && flag(PA_DIGEST_F_SUBQUERY));
  CHECK(A.n_tables == 2);
  CHECK(ctab("c", PA_USE_EQ) == -1); /* unqualified, two tables */
  CHECK(ctab("a", PA_USE_IN) == -1);
  /* empty list stays IN */
  CHECK(an("SELECT * FROM t WHERE a IN ()") == 0 && col("a", PA_USE_IN) >= 0);
}

static void test_range(void)
{
  static const char *const ops[]= {"<", "<=", ">", ">=", "!=", "<>"};
  size_t i;
  char q[128];
  for (i= 0; i < sizeof(ops) / sizeof(ops[0]); i++)
  {
    snprintf(q, sizeof(q), "SELECT * FROM `t` WHERE `a` %s ? ", ops[i]);
    CHECK(an(q) == 0 && ctab("a", PA_USE_RANGE) == 0);
    CHECK(A.n_columns == 1);
  }
  CHECK(an("SELECT * FROM `t` WHERE `a` BETWEEN ? AND ? ") == 0);
  CHECK(ctab("a", PA_USE_RANGE) == 0 && A.n_columns == 1);
  CHECK(an("SELECT * FROM t WHERE a NOT BETWEEN 1 AND 2") == 0 &&
        ctab("a", PA_USE_RANGE) == 0);
  /* the pattern is hidden: neither a range nor a leading wildcard */
  CHECK(an("SELECT * FROM `t` WHERE `a` LIKE ? ") == 0 &&
        ctab("a", PA_USE_LIKE_UNKNOWN) == 0);
  CHECK(an("SELECT * FROM t WHERE a LIKE CONCAT(b, '%')") == 0 &&
        col("a", PA_USE_LIKE_UNKNOWN) >= 0);
  CHECK(an("SELECT * FROM t WHERE a LIKE 'abc%'") == 0 &&
        ctab("a", PA_USE_RANGE) == 0);
  CHECK(!flag(PA_DIGEST_F_LEADING_WILDCARD));
  /* an escaped % is a literal prefix */
  CHECK(an("SELECT * FROM t WHERE a LIKE '\\%abc'") == 0 &&
        ctab("a", PA_USE_RANGE) == 0);
  CHECK(an("SELECT * FROM `t` WHERE `a` IS NOT NULL ") == 0 &&
        ctab("a", PA_USE_RANGE) == 0);
}

static void test_leading_wildcard(void)
{
  CHECK(an("SELECT * FROM t WHERE name LIKE '%smith'") == 0);
  CHECK(ctab("name", PA_USE_LIKE_LEADING_WILDCARD) == 0);
  CHECK(flag(PA_DIGEST_F_LEADING_WILDCARD));
  CHECK(an("SELECT * FROM t WHERE name LIKE \"_mith\"") == 0);
  CHECK(col("name", PA_USE_LIKE_LEADING_WILDCARD) >= 0);
  CHECK(an("SELECT * FROM t WHERE name NOT LIKE '%x%'") == 0);
  CHECK(col("name", PA_USE_LIKE_LEADING_WILDCARD) >= 0);
  CHECK(an("SELECT * FROM t WHERE name LIKE N'%x'") == 0);
  CHECK(col("name", PA_USE_LIKE_LEADING_WILDCARD) >= 0);
  /* digests hide the pattern */
  CHECK(an("SELECT * FROM `t` WHERE `name` LIKE ? ") == 0);
  CHECK(!flag(PA_DIGEST_F_LEADING_WILDCARD));
}

static void test_func(void)
{
  CHECK(an("SELECT * FROM `t` WHERE DATE ( `posting_date` ) = ? ") == 0);
  CHECK(ctab("posting_date", PA_USE_FUNC) == 0 && A.n_columns == 1);
  CHECK(flag(PA_DIGEST_F_FUNC_ON_COLUMN));
  CHECK(an("select * from t where lower(email) = 'a@b'") == 0);
  CHECK(col("email", PA_USE_FUNC) >= 0);
  CHECK(an("SELECT * FROM t WHERE a + 1 > ?") == 0);
  CHECK(col("a", PA_USE_FUNC) >= 0 && flag(PA_DIGEST_F_FUNC_ON_COLUMN));
  CHECK(an("SELECT * FROM t WHERE ? = b * 2") == 0);
  CHECK(col("b", PA_USE_FUNC) >= 0);
  /* function on the value side does not touch the column */
  CHECK(an("SELECT * FROM `t` WHERE `d` > NOW ( ) - INTERVAL ? DAY ") == 0);
  CHECK(ctab("d", PA_USE_RANGE) == 0 && A.n_columns == 1);
  CHECK(!flag(PA_DIGEST_F_FUNC_ON_COLUMN));
  CHECK(an("SELECT * FROM t WHERE d > DATE_SUB(NOW(), INTERVAL 1 DAY)") == 0);
  CHECK(A.n_columns == 1 && col("d", PA_USE_RANGE) >= 0);
  CHECK(an("SELECT * FROM t WHERE EXTRACT(YEAR FROM d) = 2020") == 0);
  CHECK(A.n_columns == 1 && col("d", PA_USE_FUNC) >= 0);
  CHECK(an("SELECT * FROM t WHERE CAST(a AS UNSIGNED) = 1") == 0);
  CHECK(A.n_columns == 1 && col("a", PA_USE_FUNC) >= 0);
  CHECK(an("SELECT * FROM t WHERE COALESCE(a, b) = 1") == 0);
  CHECK(A.n_columns == 2 && col("a", PA_USE_FUNC) >= 0 &&
        col("b", PA_USE_FUNC) >= 0);
  /* aggregates and full-text search are not flagged */
  CHECK(an("SELECT `a` , SUM ( `b` ) FROM `t` GROUP BY `a` HAVING SUM ( `b` "
           ") > ? ") == 0);
  CHECK(!flag(PA_DIGEST_F_FUNC_ON_COLUMN) && col("b", PA_USE_FUNC) < 0);
  CHECK(ctab("a", PA_USE_GROUP) == 0 && A.n_columns == 1);
  CHECK(an("SELECT * FROM t WHERE MATCH (a, b) AGAINST ('x' IN BOOLEAN "
           "MODE)") == 0);
  CHECK(A.n_columns == 0 && !flag(PA_DIGEST_F_FUNC_ON_COLUMN));
  /* functions in the select list are not reported */
  CHECK(an("SELECT DATE(a) FROM t") == 0 && A.n_columns == 0 && A.flags == 0);
}

static void test_join(void)
{
  CHECK(an("SELECT * FROM `t1` INNER JOIN `t2` ON `t1` . `id` = `t2` . "
           "`t1_id` WHERE `t2` . `x` = ? ") == 0);
  CHECK(A.n_tables == 2 && A.n_joins == 1);
  CHECK(ctab("id", PA_USE_JOIN) == 0);
  CHECK(ctab("t1_id", PA_USE_JOIN) == 1);
  CHECK(ctab("x", PA_USE_EQ) == 1);
  CHECK(A.columns[col("x", PA_USE_EQ)].ordinal == 0);

  CHECK(an("SELECT * FROM a, b WHERE a.id = b.a_id AND b.k > 3") == 0);
  CHECK(A.n_tables == 2 && A.n_joins == 1);
  CHECK(ctab("id", PA_USE_JOIN) == 0 && ctab("a_id", PA_USE_JOIN) == 1);
  CHECK(ctab("k", PA_USE_RANGE) == 1);

  CHECK(an("SELECT * FROM t1 LEFT JOIN t2 ON t1.a = t2.a RIGHT OUTER JOIN "
           "t3 ON t3.b = t2.b STRAIGHT_JOIN t4 CROSS JOIN t5 NATURAL JOIN "
           "t6, t7") == 0);
  CHECK(A.n_tables == 7 && A.n_joins == 6);
  CHECK(strcmp(tname(6), "t7") == 0);
  CHECK(col("a", PA_USE_JOIN) >= 0 && col("b", PA_USE_JOIN) >= 0);
  CHECK(A.n_columns == 4);

  /* LEFT ( ) is a function, not a join */
  CHECK(an("SELECT * FROM t1 JOIN t2 ON LEFT(t1.a, 2) = t2.b") == 0);
  CHECK(A.n_joins == 1 && ctab("a", PA_USE_FUNC) == 0);
  CHECK(ctab("b", PA_USE_EQ) == 1);

  /* USING: one JOIN column on the joined table */
  CHECK(an("SELECT * FROM `t1` JOIN `t2` USING ( `id` , `k` ) ") == 0);
  CHECK(A.n_joins == 1 && ctab("id", PA_USE_JOIN) == 1);
  CHECK(A.columns[col("k", PA_USE_JOIN)].ordinal == 1);

  /* index hints do not count as joins */
  CHECK(an("SELECT * FROM t1 USE INDEX FOR JOIN (i1) JOIN t2 FORCE KEY (i2) "
           "ON t1.a = t2.a IGNORE INDEX FOR ORDER BY (i3)") == 0);
  CHECK(A.n_tables == 2 && A.n_joins == 1);
  CHECK(A.n_columns == 2);

  /* nested join parentheses */
  CHECK(an("SELECT * FROM (t1 JOIN t2 ON t1.a = t2.a) LEFT JOIN t3 ON t3.c = "
           "t1.c WHERE t3.d = 1") == 0);
  CHECK(A.n_tables == 3 && A.n_joins == 2);
  CHECK(ctab("d", PA_USE_EQ) == 2);

  /* self join keeps both aliases */
  CHECK(an("SELECT * FROM emp e JOIN emp m ON e.manager_id = m.id") == 0);
  CHECK(A.n_tables == 2);
  CHECK_STR(A.tables[0].alias, "e");
  CHECK_STR(A.tables[1].alias, "m");
  CHECK(ctab("manager_id", PA_USE_JOIN) == 0 && ctab("id", PA_USE_JOIN) == 1);
}

/* A catalog for pa_digest_resolve_unqualified(): "table:col,col;..." */
struct fake_catalog
{
  const char *defs;  /* "t1:a,b;t2:c" ; a table absent from it is unknown */
  int calls;
};

static int fake_has(void *ctx, int k, const char *name)
{
  struct fake_catalog *fc= (struct fake_catalog *) ctx;
  const char *t= A.tables[k].name, *p= fc->defs;
  size_t tl= strlen(t), nl= strlen(name);
  fc->calls++;
  while (*p)
  {
    const char *colon= strchr(p, ':'), *end= strchr(p, ';');
    if (!end)
      end= p + strlen(p);
    if (colon && colon < end && (size_t) (colon - p) == tl &&
        memcmp(p, t, tl) == 0)
    {
      const char *c= colon + 1;
      while (c < end)
      {
        const char *e= memchr(c, ',', (size_t) (end - c));
        if (!e)
          e= end;
        if ((size_t) (e - c) == nl && strncasecmp(c, name, nl) == 0)
          return 1;
        c= e + 1;
      }
      return 0;
    }
    p= *end ? end + 1 : end;
  }
  return -1;
}

static void test_resolve_unqualified(void)
{
  struct fake_catalog fc= {"customer:c_custkey,c_mktsegment;"
                           "orders:o_orderkey,o_custkey,o_orderdate;"
                           "lineitem:l_orderkey,l_shipdate,l_partkey,"
                           "l_quantity;part:p_partkey,p_brand",
                           0};

  CHECK(pa_digest_resolve_unqualified(NULL, fake_has, &fc) == -1);
  CHECK(an("SELECT 1 FROM t") == 0);
  CHECK(pa_digest_resolve_unqualified(&A, NULL, &fc) == -1);

  /* TPC-H Q3 as a digest: every column unqualified, comma joins */
  CHECK(an("SELECT `l_orderkey` , SUM ( `l_extendedprice` ) AS `revenue` "
           "FROM `customer` , `orders` , `lineitem` WHERE `c_mktsegment` = ? "
           "AND `c_custkey` = `o_custkey` AND `l_orderkey` = `o_orderkey` "
           "AND `o_orderdate` < ? AND `l_shipdate` > ? GROUP BY "
           "`l_orderkey` , `o_orderdate` ORDER BY `revenue` DESC LIMIT ? ") ==
        0);
  CHECK(A.n_tables == 3 && ctab("o_custkey", PA_USE_JOIN) == -1);
  CHECK(!A.columns[col("o_custkey", PA_USE_JOIN)].qualified);
  CHECK(pa_digest_resolve_unqualified(&A, fake_has, &fc) == 9);
  CHECK(ctab("c_mktsegment", PA_USE_EQ) == 0);
  CHECK(ctab("c_custkey", PA_USE_JOIN) == 0);
  CHECK(ctab("o_custkey", PA_USE_JOIN) == 1);
  CHECK(ctab("o_orderkey", PA_USE_JOIN) == 1);
  CHECK(ctab("l_orderkey", PA_USE_JOIN) == 2);
  CHECK(ctab("o_orderdate", PA_USE_RANGE) == 1);
  CHECK(ctab("l_shipdate", PA_USE_RANGE) == 2);
  CHECK(ctab("l_orderkey", PA_USE_GROUP) == 2);
  CHECK(ctab("o_orderdate", PA_USE_GROUP) == 1);
  /* the select-list alias is no column */
  CHECK(col("revenue", PA_USE_ORDER) < 0);
  /* a second call finds nothing left to do */
  fc.calls= 0;
  CHECK(pa_digest_resolve_unqualified(&A, fake_has, &fc) == 0 &&
        fc.calls == 0);

  /* a column no table has, and one two tables have, stay unresolved */
  fc.defs= "a:id,x,k;b:id,a_id";
  CHECK(an("SELECT * FROM a , b WHERE id = ? AND x = a_id AND zz = ?") ==
        0);
  CHECK(pa_digest_resolve_unqualified(&A, fake_has, &fc) == 2);
  CHECK(ctab("id", PA_USE_EQ) == -1 && ctab("zz", PA_USE_EQ) == -1);
  CHECK(ctab("x", PA_USE_JOIN) == 0 && ctab("a_id", PA_USE_JOIN) == 1);

  /* a qualified column is the text's: a qualifier naming no table stays
     -1 even when a table has the name */
  CHECK(an("SELECT * FROM a , b WHERE q.x = ? AND b.id = ?") == 0);
  CHECK(ctab("x", PA_USE_EQ) == -1 && A.columns[col("x", PA_USE_EQ)].qualified);
  CHECK(pa_digest_resolve_unqualified(&A, fake_has, &fc) == 0);
  CHECK(ctab("x", PA_USE_EQ) == -1 && ctab("id", PA_USE_EQ) == 1);

  /* a table whose definition is unknown (derived table, CTE, gone) may own
     the column: nothing resolved */
  CHECK(an("SELECT * FROM a , c WHERE x = ?") == 0);
  CHECK(pa_digest_resolve_unqualified(&A, fake_has, &fc) == 0);
  CHECK(ctab("x", PA_USE_EQ) == -1);

  /* one table under two aliases counts once: the first entry gets it */
  CHECK(an("SELECT * FROM a AS a1 , a AS a2 , b WHERE x = ? AND a1.k = "
           "a2.k") == 0);
  CHECK(A.n_tables == 3);
  CHECK(pa_digest_resolve_unqualified(&A, fake_has, &fc) == 1);
  CHECK(ctab("x", PA_USE_EQ) == 0);

  /* a correlated subquery: Q17, the inner lineitem is the same entry */
  fc.defs= "lineitem:l_orderkey,l_shipdate,l_partkey,l_quantity,"
           "l_extendedprice;part:p_partkey,p_brand,p_container";
  CHECK(an("SELECT SUM ( `l_extendedprice` ) / ? FROM `lineitem` , `part` "
           "WHERE `p_partkey` = `l_partkey` AND `p_brand` = ? AND "
           "`p_container` = ? AND `l_quantity` < ( SELECT ? * AVG ( "
           "`l_quantity` ) FROM `lineitem` WHERE `l_partkey` = `p_partkey` "
           ") ") == 0);
  CHECK(pa_digest_resolve_unqualified(&A, fake_has, &fc) > 0);
  CHECK(ctab("l_partkey", PA_USE_JOIN) == 0);
  CHECK(ctab("p_partkey", PA_USE_JOIN) == 1);
  CHECK(ctab("p_brand", PA_USE_EQ) == 1);

  /* one table: already resolved, the catalog is not asked */
  fc.calls= 0;
  CHECK(an("SELECT * FROM a WHERE x = ?") == 0);
  CHECK(ctab("x", PA_USE_EQ) == 0);
  CHECK(pa_digest_resolve_unqualified(&A, fake_has, &fc) == 0 &&
        fc.calls == 0);

  /* an analysis cut short may miss the table that owns the column */
  fc.defs= "a:id,x,k;b:id,a_id";
  CHECK(an("SELECT * FROM a , b WHERE x = ? AND (") == 0);
  CHECK(flag(PA_DIGEST_F_TRUNCATED));
  CHECK(pa_digest_resolve_unqualified(&A, fake_has, &fc) == 0);
  CHECK(ctab("x", PA_USE_EQ) == -1);
}

static void test_order_group(void)
{
  CHECK(an("SELECT * FROM `t` ORDER BY `a` , `b` DESC , `c` ASC ") == 0);
  CHECK(A.n_columns == 3);
  CHECK(A.columns[0].use == PA_USE_ORDER && A.columns[0].ordinal == 0 &&
        A.columns[0].desc == 0);
  CHECK(A.columns[1].ordinal == 1 && A.columns[1].desc == 1);
  CHECK(A.columns[2].ordinal == 2 && A.columns[2].desc == 0);
  CHECK(A.columns[2].table == 0);

  /* an expression item is skipped but keeps its position */
  CHECK(an("SELECT * FROM t ORDER BY a, LENGTH(b), c + 1, d") == 0);
  CHECK(A.n_columns == 2);
  CHECK(A.columns[col("a", PA_USE_ORDER)].ordinal == 0);
  CHECK(A.columns[col("d", PA_USE_ORDER)].ordinal == 3);
  CHECK(col("b", PA_USE_ORDER) < 0 && col("c", PA_USE_ORDER) < 0);

  CHECK(an("SELECT `a` , COUNT ( * ) FROM `t` GROUP BY `a` , `t` . `b` "
           "ORDER BY NULL ") == 0);
  CHECK(A.n_columns == 2);
  CHECK(A.columns[0].use == PA_USE_GROUP && A.columns[0].ordinal == 0);
  CHECK(A.columns[1].use == PA_USE_GROUP && A.columns[1].ordinal == 1 &&
        A.columns[1].table == 0);
  CHECK(!flag(PA_DIGEST_F_SELECT_STAR));

  CHECK(an("SELECT a FROM t GROUP BY a WITH ROLLUP") == 0);
  CHECK(A.n_columns == 1 && col("a", PA_USE_GROUP) >= 0);

  /* select-list aliases are not columns */
  CHECK(an("SELECT `a` , COUNT ( * ) AS `cnt` FROM `t` GROUP BY `a` HAVING "
           "`cnt` > ? ORDER BY `cnt` DESC ") == 0);
  CHECK(A.n_columns == 1 && col("a", PA_USE_GROUP) >= 0);
  CHECK(an("SELECT x total FROM t ORDER BY total") == 0 && A.n_columns == 0);
  /* ... but "x AS x" keeps the column */
  CHECK(an("SELECT x AS x FROM t ORDER BY x") == 0 &&
        col("x", PA_USE_ORDER) >= 0);

  /* positional ORDER BY ? in a digest is no column */
  CHECK(an("SELECT `a` FROM `t` ORDER BY ? ") == 0 && A.n_columns == 0);

  /* window functions do not leak ORDER BY columns */
  CHECK(an("SELECT ROW_NUMBER() OVER (PARTITION BY a ORDER BY b) FROM t") ==
        0);
  CHECK(A.n_columns == 0);
  CHECK(an("SELECT GROUP_CONCAT(a ORDER BY b) FROM t") == 0 &&
        A.n_columns == 0);
}

static void test_flags(void)
{
  /* SELECT_STAR */
  CHECK(an("SELECT `t` . * FROM `t` ") == 0 && flag(PA_DIGEST_F_SELECT_STAR));
  CHECK(an("SELECT DISTINCT * FROM t") == 0 && flag(PA_DIGEST_F_SELECT_STAR));
  CHECK(an("SELECT a, * FROM t") == 0 && flag(PA_DIGEST_F_SELECT_STAR));
  CHECK(an("SELECT COUNT(*) FROM t") == 0 && A.flags == 0);
  CHECK(an("SELECT a * b FROM t") == 0 && A.flags == 0);
  CHECK(an("SELECT ? * ? FROM t") == 0 && A.flags == 0);

  /* OFFSET / DEEP_OFFSET */
  CHECK(an("SELECT * FROM `t` LIMIT ?, ... ") == 0);
  CHECK(flag(PA_DIGEST_F_OFFSET) && !flag(PA_DIGEST_F_DEEP_OFFSET));
  CHECK(!flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT * FROM `t` LIMIT ? OFFSET ? ") == 0);
  CHECK(flag(PA_DIGEST_F_OFFSET) && !flag(PA_DIGEST_F_DEEP_OFFSET));
  CHECK(an("SELECT * FROM t LIMIT 10") == 0 && !flag(PA_DIGEST_F_OFFSET));
  CHECK(flag(PA_DIGEST_F_LIMIT));
  /* LIMIT in a subquery counts; a column named limit cannot be (reserved),
     a table without LIMIT has none */
  CHECK(an("SELECT a FROM t WHERE b IN (SELECT c FROM u ORDER BY d LIMIT ?)")
            == 0 && flag(PA_DIGEST_F_LIMIT));
  CHECK(an("SELECT a FROM t ORDER BY a") == 0 && !flag(PA_DIGEST_F_LIMIT));
  CHECK(an("SELECT * FROM t LIMIT 20, 10") == 0);
  CHECK(flag(PA_DIGEST_F_OFFSET) && !flag(PA_DIGEST_F_DEEP_OFFSET));
  CHECK(an("SELECT * FROM t LIMIT 9999, 10") == 0 &&
        !flag(PA_DIGEST_F_DEEP_OFFSET));
  CHECK(an("SELECT * FROM t LIMIT 10000, 10") == 0 &&
        flag(PA_DIGEST_F_DEEP_OFFSET));
  CHECK(an("SELECT * FROM t LIMIT 10 OFFSET 50000") == 0);
  CHECK(flag(PA_DIGEST_F_OFFSET) && flag(PA_DIGEST_F_DEEP_OFFSET));
  CHECK(an("SELECT * FROM t LIMIT 50000 OFFSET 10") == 0);
  CHECK(flag(PA_DIGEST_F_OFFSET) && !flag(PA_DIGEST_F_DEEP_OFFSET));
  CHECK(an("SELECT * FROM t ORDER BY id OFFSET 20000 ROWS FETCH NEXT 10 ROWS "
           "ONLY") == 0);
  CHECK(flag(PA_DIGEST_F_OFFSET) && flag(PA_DIGEST_F_DEEP_OFFSET));
  CHECK(col("id", PA_USE_ORDER) >= 0);
  CHECK(an("SELECT * FROM t LIMIT 99999999999999999999999, 1") == 0 &&
        flag(PA_DIGEST_F_DEEP_OFFSET));
  CHECK(an("SELECT * FROM t LIMIT @o, 10") == 0 && flag(PA_DIGEST_F_OFFSET) &&
        !flag(PA_DIGEST_F_DEEP_OFFSET));
  /* a column named offset */
  CHECK(an("SELECT * FROM t WHERE offset = 3") == 0 &&
        !flag(PA_DIGEST_F_OFFSET) && col("offset", PA_USE_EQ) >= 0);
  /* offset in a subquery counts too */
  CHECK(an("SELECT * FROM t WHERE a IN (SELECT b FROM u LIMIT 10000, 1)") ==
        0);
  CHECK(flag(PA_DIGEST_F_DEEP_OFFSET) && flag(PA_DIGEST_F_IN_SUBQUERY));

  /* ORDER_BY_RAND */
  CHECK(an("SELECT * FROM `t` ORDER BY RAND ( ) LIMIT ? ") == 0);
  CHECK(flag(PA_DIGEST_F_ORDER_BY_RAND) && A.n_columns == 0);
  /* as MariaDB 10.11 prints it: the name backquoted */
  CHECK(an("SELECT NAME FROM `erp_demo` . `tabItem` ORDER BY `RAND` ( ) "
           "LIMIT ? ") == 0);
  CHECK(flag(PA_DIGEST_F_ORDER_BY_RAND) && A.n_columns == 0);
  /* a column named rand is not the function */
  CHECK(an("SELECT * FROM `t` ORDER BY `rand` ") == 0);
  CHECK(!flag(PA_DIGEST_F_ORDER_BY_RAND));
  CHECK(an("select * from t order by a, rand()") == 0 &&
        flag(PA_DIGEST_F_ORDER_BY_RAND));
  CHECK(an("SELECT RAND() FROM t ORDER BY a") == 0 &&
        !flag(PA_DIGEST_F_ORDER_BY_RAND));

  /* SINGLE_ROW_INSERT */
  CHECK(an("INSERT INTO t (a, b) VALUES (1, 'x')") == 0 &&
        flag(PA_DIGEST_F_SINGLE_ROW_INSERT));
  CHECK(an("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')") == 0 &&
        !flag(PA_DIGEST_F_SINGLE_ROW_INSERT));
  CHECK(an("INSERT INTO t VALUE (NOW(), 1)") == 0 &&
        flag(PA_DIGEST_F_SINGLE_ROW_INSERT));
  CHECK(an("INSERT t SET a = 1, b = 2") == 0 &&
        flag(PA_DIGEST_F_SINGLE_ROW_INSERT));
  CHECK(A.n_tables == 1 && strcmp(A.tables[0].name, "t") == 0);
  CHECK(an("INSERT INTO `t` SELECT * FROM `s` WHERE `a` = ? ") == 0);
  CHECK(!flag(PA_DIGEST_F_SINGLE_ROW_INSERT) && A.n_tables == 2);
  CHECK(flag(PA_DIGEST_F_SELECT_STAR) && ctab("a", PA_USE_EQ) == -1);
  CHECK(an("INSERT INTO `t` ( `a` ) VALUES (?) ON DUPLICATE KEY UPDATE `a` = "
           "VALUES ( `a` ) ") == 0);
  CHECK(A.kind == PA_STMT_INSERT && A.n_tables == 1 && A.n_columns == 0);
  CHECK(flag(PA_DIGEST_F_SINGLE_ROW_INSERT));
  CHECK(an("SELECT * FROM t") == 0 && !flag(PA_DIGEST_F_SINGLE_ROW_INSERT));

  /* SUBQUERY */
  CHECK(an("SELECT * FROM ( SELECT `a` FROM `t` ) AS `d` WHERE `d` . `a` = ? "
           "") == 0);
  CHECK(flag(PA_DIGEST_F_SUBQUERY) && !flag(PA_DIGEST_F_IN_SUBQUERY));
  CHECK(A.n_tables == 1 && strcmp(A.tables[0].name, "t") == 0);
  CHECK(ctab("a", PA_USE_EQ) == -1); /* d is no table */
  CHECK(an("SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a)") ==
        0);
  CHECK(flag(PA_DIGEST_F_SUBQUERY) && A.n_tables == 2);
  CHECK(ctab("a", PA_USE_JOIN) >= 0);
  CHECK(an("SELECT (SELECT MAX(b) FROM u) FROM t") == 0);
  CHECK(flag(PA_DIGEST_F_SUBQUERY) && A.n_tables == 2);
  CHECK(an("SELECT a FROM t UNION ALL SELECT a FROM u") == 0);
  CHECK(!flag(PA_DIGEST_F_SUBQUERY) && A.n_tables == 2);
}

static void test_tables_and_aliases(void)
{
  CHECK(
      an("SELECT * FROM `erp` . `tabItem` AS `i` JOIN `erp` . `tabBin` `b` "
         "ON `i` . `name` = `b` . `item_code` WHERE `I` . `disabled` = ? ") ==
      0);
  CHECK(A.n_tables == 2);
  CHECK_STR(A.tables[0].schema, "erp");
  CHECK_STR(A.tables[0].name, "tabItem");
  CHECK_STR(A.tables[0].alias, "i");
  CHECK_STR(A.tables[1].alias, "b");
  CHECK(ctab("name", PA_USE_JOIN) == 0);
  CHECK(ctab("item_code", PA_USE_JOIN) == 1);
  CHECK(ctab("disabled", PA_USE_EQ) == 0); /* alias is case-insensitive */

  CHECK(pa_digest_find_table(&A, "erp", "tabItem") == 0);
  CHECK(pa_digest_find_table(&A, NULL, "tabBin") == 1);
  CHECK(pa_digest_find_table(&A, "", "tabBin") == 1);
  CHECK(pa_digest_find_table(&A, "other", "tabBin") == -1);
  CHECK(pa_digest_find_table(&A, NULL, "tabitem") == -1); /* names exact */
  CHECK(pa_digest_find_table(&A, NULL, "I") == 0);        /* alias any case */
  CHECK(pa_digest_find_table(&A, NULL, "B") == 1);
  CHECK(pa_digest_find_table(&A, NULL, "nope") == -1);

  /* unqualified table matches any schema */
  CHECK(an("SELECT * FROM `t` ") == 0);
  CHECK(pa_digest_find_table(&A, "erp", "t") == 0);

  /* db.t.col qualification and name-qualified columns */
  CHECK(an("SELECT * FROM `db` . `t` WHERE `db` . `t` . `c` = ? AND `t` . `d` "
           "> ? AND `x` . `e` = ? ") == 0);
  CHECK(ctab("c", PA_USE_EQ) == 0);
  CHECK(ctab("d", PA_USE_RANGE) == 0);
  CHECK(ctab("e", PA_USE_EQ) == -1);
  CHECK(an("SELECT * FROM db.t WHERE other.t.c = 1") == 0 &&
        ctab("c", PA_USE_EQ) == -1);

  /* raw SQL: bare names and aliases */
  CHECK(an("select o.id from shop.orders o join shop.customers as c on "
           "c.id = o.customer_id where c.country = 'FR' and o.total >= 100 "
           "order by o.created_at desc limit 20") == 0);
  CHECK(A.n_tables == 2 && A.n_joins == 1);
  CHECK_STR(A.tables[0].schema, "shop");
  CHECK_STR(A.tables[1].name, "customers");
  CHECK(ctab("customer_id", PA_USE_JOIN) == 0);
  CHECK(ctab("id", PA_USE_JOIN) == 1);
  CHECK(ctab("country", PA_USE_EQ) == 1);
  CHECK(ctab("total", PA_USE_RANGE) == 0);
  CHECK(ctab("created_at", PA_USE_ORDER) == 0);
  CHECK(A.columns[col("created_at", PA_USE_ORDER)].desc == 1);

  /* the same table from a subquery is recorded once */
  CHECK(an("SELECT * FROM t WHERE a IN (SELECT a FROM t WHERE b = 1)") == 0);
  CHECK(A.n_tables == 1 && ctab("b", PA_USE_EQ) == 0);

  /* UPDATE / DELETE forms */
  CHECK(an("UPDATE `t1` JOIN `t2` ON `t1` . `a` = `t2` . `a` SET `t1` . `b` "
           "= ? WHERE `t2` . `c` = ? ") == 0);
  CHECK(A.kind == PA_STMT_UPDATE && A.n_tables == 2 && A.n_joins == 1);
  CHECK(ctab("c", PA_USE_EQ) == 1 && col("b", PA_USE_EQ) < 0);
  CHECK(an("UPDATE LOW_PRIORITY IGNORE t SET a = a + 1 WHERE id = 3") == 0);
  CHECK(A.n_tables == 1 && A.n_columns == 1 && ctab("id", PA_USE_EQ) == 0);
  CHECK(an("DELETE t1 FROM t1 JOIN t2 ON t1.a = t2.a WHERE t2.b < 3") == 0);
  CHECK(A.kind == PA_STMT_DELETE && A.n_tables == 2 && A.n_joins == 1);
  CHECK(ctab("b", PA_USE_RANGE) == 1);
  CHECK(an("DELETE FROM t1, t2 USING t1 JOIN t2 ON t1.a = t2.a") == 0);
  CHECK(A.n_tables == 2 && A.n_joins == 1);
  CHECK(an("DELETE FROM `t` AS `x` WHERE `x` . `id` = ? ORDER BY `id` LIMIT "
           "? ") == 0);
  CHECK(A.n_tables == 1 && ctab("id", PA_USE_EQ) == 0);
  CHECK(ctab("id", PA_USE_ORDER) == 0);

  /* CTE names are not tables */
  CHECK(an("WITH `c` AS ( SELECT `a` FROM `t` WHERE `b` = ? ) SELECT * FROM "
           "`c` WHERE `a` = ? ") == 0);
  CHECK(A.kind == PA_STMT_SELECT && A.n_tables == 1);
  CHECK_STR(A.tables[0].name, "t");
  CHECK(!flag(PA_DIGEST_F_SUBQUERY));
  CHECK(an("WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r "
           "WHERE n < 10) SELECT * FROM r JOIN u ON u.n = r.n") == 0);
  CHECK(A.kind == PA_STMT_SELECT && A.n_tables == 1);
  CHECK_STR(A.tables[0].name, "u");

  /* table functions and derived tables are not tables */
  CHECK(an("SELECT * FROM JSON_TABLE('[1]', '$[*]' COLUMNS (a INT PATH "
           "'$')) AS jt JOIN t ON t.a = jt.a") == 0);
  CHECK(A.n_tables == 1 && strcmp(A.tables[0].name, "t") == 0);
  CHECK(an("SELECT * FROM t PARTITION (p0, p1) WHERE a = 1") == 0);
  CHECK(A.n_tables == 1 && ctab("a", PA_USE_EQ) == 0);
  CHECK(an("SELECT * FROM 2020_orders WHERE 1a = 1") == 0);
  CHECK(A.n_tables == 1 && strcmp(A.tables[0].name, "2020_orders") == 0);
  CHECK(col("1a", PA_USE_EQ) >= 0);
}

static void test_identifiers(void)
{
  char q[2048], big[600];
  size_t i;

  /* escaped backticks in raw SQL */
  CHECK(an("SELECT * FROM `a``b` WHERE `c``` = 1") == 0);
  CHECK(A.n_tables == 1);
  CHECK_STR(A.tables[0].name, "a`b");
  CHECK(col("c`", PA_USE_EQ) >= 0);
  /* quotes and keywords inside literals are data */
  CHECK(an("SELECT * FROM t WHERE a = 'it''s FROM x' AND b = \"say \\\"hi\\\" "
           "JOIN y\" AND c = 'x\\'y'") == 0);
  CHECK(A.n_tables == 1 && A.n_joins == 0 && A.n_columns == 3);
  CHECK(!flag(PA_DIGEST_F_TRUNCATED));

  /* multibyte names are copied as is */
  CHECK(
      an("SELECT * FROM `日本` JOIN `ç€` ON `日本` . `名前` = `ç€` . `ñ` ") ==
      0);
  CHECK(A.n_tables == 2);
  CHECK_STR(A.tables[0].name, "日本");
  CHECK_STR(A.tables[1].name, "ç€");
  CHECK(ctab("名前", PA_USE_JOIN) == 0 && ctab("ñ", PA_USE_JOIN) == 1);
  CHECK(an("select * from données where prénom = 'é'") == 0);
  CHECK_STR(A.tables[0].name, "données");
  CHECK(ctab("prénom", PA_USE_EQ) == 0);
  CHECK(an("SELECT * FROM `ДОЛЕН_регистър_утф8` ") == 0);
  CHECK_STR(A.tables[0].name, "ДОЛЕН_регистър_утф8");

  /* 64 characters of 4 bytes: the largest real name fits exactly */
  strcpy(q, "SELECT * FROM `");
  for (i= 0; i < 64; i++)
    strcat(q, "\xF0\x9F\x98\x80"); /* U+1F600 */
  strcat(q, "` WHERE `");
  for (i= 0; i < 64; i++)
    strcat(q, "c");
  strcat(q, "` = 1");
  CHECK(an(q) == 0 && A.n_tables == 1);
  CHECK(strlen(A.tables[0].name) == 256 && !flag(PA_DIGEST_F_TRUNCATED));
  CHECK(A.n_columns == 1 && strlen(A.columns[0].name) == 64);

  /* over-long ASCII name: cut to 256 bytes and flagged */
  memset(big, 'a', 300);
  big[300]= '\0';
  snprintf(q, sizeof(q), "SELECT * FROM `%s` WHERE `%s` = 1", big, big);
  CHECK(an(q) == 0 && A.n_tables == 1);
  CHECK(strlen(A.tables[0].name) == PA_IDENT_BYTES - 1);
  CHECK(flag(PA_DIGEST_F_TRUNCATED) && A.n_columns == 1);
  CHECK(A.columns[0].table == 0);

  /* over-long multibyte name: cut on a character boundary */
  strcpy(q, "SELECT * FROM ");
  for (i= 0; i < 100; i++)
    strcat(q, "日"); /* 3 bytes each: 255 bytes kept, not 256 */
  CHECK(an(q) == 0 && A.n_tables == 1 && flag(PA_DIGEST_F_TRUNCATED));
  CHECK(strlen(A.tables[0].name) == 255);
  CHECK(memcmp(A.tables[0].name, "日日日", 9) == 0);
  strcpy(q, "SELECT * FROM `a");
  for (i= 0; i < 100; i++)
    strcat(q, "\xF0\x9F\x98\x80");
  strcat(q, "`");
  CHECK(an(q) == 0 && strlen(A.tables[0].name) == 253);

  /* invalid UTF-8 bytes are still copied and never over-read */
  CHECK(an("SELECT * FROM `\xff\xfe\x80` WHERE \x80\x80 = 1") == 0);
  CHECK(A.n_tables == 1 && strcmp(A.tables[0].name, "\xff\xfe\x80") == 0);
  CHECK(col("\x80\x80", PA_USE_EQ) >= 0);

  /* empty name is ignored */
  CHECK(an("SELECT * FROM `` WHERE `` = 1") == 0 && A.n_tables == 0 &&
        A.n_columns == 0);
}

static void test_comments(void)
{
  CHECK(an("SELECT * -- all\nFROM t # the table\nWHERE /* c */ a = 1") == 0);
  CHECK(A.n_tables == 1 && ctab("a", PA_USE_EQ) == 0);
  CHECK(an("SELECT /*!40001 SQL_NO_CACHE */ * FROM t /*M!100100 FORCE INDEX "
           "(i) */ WHERE a > 1") == 0);
  CHECK(flag(PA_DIGEST_F_SELECT_STAR) && A.n_tables == 1 &&
        ctab("a", PA_USE_RANGE) == 0);
  CHECK(!flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT * FROM t /* FROM u JOIN v */ WHERE a = 1") == 0);
  CHECK(A.n_tables == 1 && A.n_joins == 0);
  /* "--1" is minus minus one, not a comment */
  CHECK(an("SELECT * FROM t WHERE a = --1") == 0 && col("a", PA_USE_EQ) >= 0);
  /* unterminated comment */
  CHECK(an("SELECT * FROM t /* WHERE a = 1") == 0);
  CHECK(A.kind == PA_STMT_SELECT && A.n_tables == 1 &&
        flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT * FROM t /*") == 0 && flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT * FROM t /*!") == 0 && A.n_tables == 1);
  /* only the first statement */
  CHECK(an("SELECT * FROM t; DELETE FROM u") == 0);
  CHECK(A.kind == PA_STMT_SELECT && A.n_tables == 1 &&
        !flag(PA_DIGEST_F_TRUNCATED));
}

static void test_truncated(void)
{
  /* SQL_TEXT cut mark */
  CHECK(an("SELECT * FROM t WHERE a = 1 AND b...") == 0);
  CHECK(A.kind == PA_STMT_SELECT && flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("truncat...") == 0 && A.kind == PA_STMT_OTHER);
  /* cut inside a quoted name or string: the partial token is dropped */
  CHECK(an("SELECT * FROM `tabSales Inv") == 0);
  CHECK(A.kind == PA_STMT_SELECT && A.n_tables == 0 &&
        flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT * FROM t WHERE a = 'abc") == 0);
  CHECK(A.n_tables == 1 && flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT * FROM t WHERE a = \"abc\\") == 0 &&
        flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT @`x") == 0 && flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT _utf8mb4'x") == 0 && flag(PA_DIGEST_F_TRUNCATED));
  /* open parenthesis, trailing operator or keyword */
  CHECK(an("SELECT * FROM `t` WHERE `a` IN (...") == 0 &&
        flag(PA_DIGEST_F_TRUNCATED) && col("a", PA_USE_IN) >= 0);
  CHECK(an("SELECT * FROM `t` WHERE `a` = ? AND ") == 0 &&
        flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT * FROM `t` WHERE ") == 0 && flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT * FROM `t` WHERE `a` = ") == 0 &&
        flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT `a` , ") == 0 && flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT * FROM `t` WHERE `a` = ? ") == 0 &&
        !flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT * FROM `t` ORDER BY `a` DESC ") == 0 &&
        !flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT * FROM `t` WHERE `a` = ? FOR UPDATE ") == 0 &&
        !flag(PA_DIGEST_F_TRUNCATED) && col("a", PA_USE_EQ) >= 0);
  CHECK(an("SELECT * FROM `t` LOCK IN SHARE MODE ") == 0 &&
        !flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("UPDATE ") == 0 && A.kind == PA_STMT_UPDATE &&
        flag(PA_DIGEST_F_TRUNCATED));
  /* stray ")" is ignored */
  CHECK(an("SELECT * FROM t WHERE a = 1))") == 0 && A.n_tables == 1);
}

/*
  Every prefix of real digests, exact-size buffers: no crash, no over-read,
  and the kind is right as soon as the first keyword is complete.  The same
  with the "..." mark performance_schema adds when it cuts SQL_TEXT.
*/
static void test_prefixes(void)
{
  static const struct
  {
    const char *text;
    enum pa_stmt_kind kind;
  } cases[]= {
      {"SELECT * FROM `tabSales Invoice` WHERE `customer` = ? AND "
       "`posting_date` >= ? ORDER BY `posting_date` DESC LIMIT ?",
       PA_STMT_SELECT},
      {"SELECT `name` FROM `erp` . `tabItem` WHERE `item_group` IN (...)",
       PA_STMT_SELECT},
      {"INSERT INTO `t3` VALUES (...) /* , ... */ ", PA_STMT_INSERT},
      {"INSERT INTO `t` ( `a` , `b` ) VALUES (...)", PA_STMT_INSERT},
      {"SELECT SCHEMA_NAME , `DIGEST_TEXT` , `COUNT_STAR` FROM "
       "`performance_schema` . `events_statements_summary_by_digest` ORDER "
       "BY `DIGEST_TEXT` ",
       PA_STMT_SELECT},
      {"UPDATE `t1` JOIN `t2` ON `t1` . `a` = `t2` . `a` SET `t1` . `b` = ? "
       "WHERE DATE ( `t2` . `c` ) = ? ",
       PA_STMT_UPDATE},
      {"DELETE FROM `t` WHERE `id` IN ( SELECT `id` FROM `u` WHERE `x` LIKE "
       "? ) ",
       PA_STMT_DELETE},
      {"REPLACE INTO `t` VALUES (?) ", PA_STMT_REPLACE},
      {"select a.x from `日本` a join `ç€` b using (k) where a.y like '%z' "
       "limit 10000, 5",
       PA_STMT_SELECT},
  };
  size_t c, k;
  char buf[512];

  for (c= 0; c < sizeof(cases) / sizeof(cases[0]); c++)
  {
    const char *s= cases[c].text;
    size_t n= strlen(s), kwlen= 0;
    int bad_kind= 0, bad_rc= 0;
    while (kwlen < n && s[kwlen] != ' ')
      kwlen++;
    for (k= 0; k <= n; k++)
    {
      if (an_len(s, k) != 0)
        bad_rc++;
      if (k >= kwlen && A.kind != cases[c].kind)
        bad_kind++;
      if (k < kwlen && A.kind != PA_STMT_OTHER)
        bad_kind++;
      if (k + 3 < sizeof(buf))
      {
        memcpy(buf, s, k);
        memcpy(buf + k, "...", 3);
        if (an_len(buf, k + 3) != 0)
          bad_rc++;
        if (k >= kwlen && A.kind != cases[c].kind)
          bad_kind++;
        if (k >= kwlen && k < n && !flag(PA_DIGEST_F_TRUNCATED))
          bad_kind++;
      }
    }
    CHECK(bad_rc == 0);
    CHECK(bad_kind == 0);
  }
}

static void test_limits(void)
{
  char q[8192];
  size_t i;

  /* more tables than PA_DIGEST_MAX_TABLES */
  strcpy(q, "SELECT * FROM t0");
  for (i= 1; i < 20; i++)
    snprintf(q + strlen(q), sizeof(q) - strlen(q), ", t%u", (unsigned) i);
  CHECK(an(q) == 0 && A.n_tables == PA_DIGEST_MAX_TABLES);
  CHECK(A.n_joins == 19 && flag(PA_DIGEST_F_TRUNCATED));

  /* more columns than PA_DIGEST_MAX_COLUMNS */
  strcpy(q, "SELECT * FROM t WHERE c0 = 1");
  for (i= 1; i < 70; i++)
    snprintf(q + strlen(q), sizeof(q) - strlen(q), " AND c%u = 1",
             (unsigned) i);
  CHECK(an(q) == 0 && A.n_columns == PA_DIGEST_MAX_COLUMNS);
  CHECK(flag(PA_DIGEST_F_TRUNCATED));
  CHECK(A.columns[63].ordinal == 63 && A.columns[63].table == 0);

  /* deep nesting */
  strcpy(q, "SELECT * FROM t WHERE ");
  for (i= 0; i < 200; i++)
    strcat(q, "(");
  strcat(q, "a = 1");
  for (i= 0; i < 200; i++)
    strcat(q, ")");
  strcat(q, " AND b = 2");
  CHECK(an(q) == 0 && A.n_tables == 1 && flag(PA_DIGEST_F_TRUNCATED));
  CHECK(col("b", PA_USE_EQ) >= 0);
  strcpy(q, "SELECT * FROM t WHERE ");
  for (i= 0; i < 20; i++)
    strcat(q, "(");
  strcat(q, "a = 1");
  for (i= 0; i < 20; i++)
    strcat(q, ")");
  CHECK(an(q) == 0 && col("a", PA_USE_EQ) >= 0 &&
        !flag(PA_DIGEST_F_TRUNCATED));
  /* nested subqueries */
  strcpy(q, "SELECT * FROM t0 WHERE a IN ");
  for (i= 1; i < 10; i++)
    snprintf(q + strlen(q), sizeof(q) - strlen(q),
             "(SELECT a FROM t%u WHERE a IN ", (unsigned) i);
  strcat(q, "(1, 2)");
  for (i= 1; i < 10; i++)
    strcat(q, ")");
  CHECK(an(q) == 0 && A.n_tables == 10 && !flag(PA_DIGEST_F_TRUNCATED));
  CHECK(flag(PA_DIGEST_F_IN_SUBQUERY));
}

static void test_odd_bytes(void)
{
  static const char nul_text[]= "SELECT * FROM t\0 WHERE a = 1";
  CHECK(an_len(nul_text, sizeof(nul_text) - 1) == 0);
  CHECK(A.kind == PA_STMT_SELECT && A.n_tables == 1);
  CHECK(an("SELECT * FROM t WHERE a = { d '2020-01-01' }") == 0);
  CHECK(an("SELECT * FROM t WHERE a.") == 0 && flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT * FROM t WHERE a . . . b = 1") == 0);
  CHECK(an("SELECT .5, 1.e3, 1e+, 0x1F, 0b01, X'4A', B'1' FROM t") == 0 &&
        A.n_tables == 1);
  CHECK(an("SELECT @@session.sql_mode, @a.b FROM t WHERE x = @@y") == 0);
  CHECK(A.n_tables == 1 && col("x", PA_USE_EQ) >= 0);
  CHECK(an("SELECT * FROM t WHERE a->'$.x' = 1 AND b->>'$.y' = 2") == 0);
  CHECK(col("a", PA_USE_FUNC) >= 0 && col("b", PA_USE_FUNC) >= 0);
  CHECK(an("(((((") == 0 && A.kind == PA_STMT_OTHER);
  CHECK(an("))))) SELECT") == 0 && A.kind == PA_STMT_OTHER);
  CHECK(an("WITH") == 0 && A.kind == PA_STMT_OTHER);
  CHECK(an("WITH a AS (SELECT 1)") == 0 && A.kind == PA_STMT_OTHER);
}

/*
  Index hints.  Digests marked "real" were printed by MariaDB 10.11.18
  (events_statements_summary_by_digest) for the statements written in raw
  form in the comment before them.
*/
static void test_index_hints(void)
{
  char q[1024], big[301];
  int i;

  /* real: SELECT * FROM t1 FORCE INDEX (idx_a) WHERE a = 1 */
  CHECK(an("SELECT * FROM `t1` FORCE INDEX ( `idx_a` ) WHERE `a` = ? ") == 0);
  CHECK(A.n_tables == 1 && A.n_joins == 0 && A.n_hints == 1);
  CHECK(hint(0, "idx_a", PA_HINT_FORCE) == 0);
  CHECK(A.n_columns == 1 && ctab("a", PA_USE_EQ) == 0);
  CHECK(A.flags == (PA_DIGEST_F_SELECT_STAR | PA_DIGEST_F_INDEX_HINT));

  /* real: ... FROM db.t x USE INDEX FOR ORDER BY (k1, PRIMARY) ORDER BY a */
  CHECK(an("SELECT * FROM `db` . `t` `x` USE INDEX FOR ORDER BY ( `k1` , "
           "PRIMARY ) ORDER BY `a` ") == 0);
  CHECK(A.n_tables == 1 && strcmp(A.tables[0].alias, "x") == 0);
  CHECK(A.n_hints == 2 && hint(0, "k1", PA_HINT_USE) == 0 &&
        hint(0, "PRIMARY", PA_HINT_USE) == 1);
  /* FOR ORDER BY starts no ORDER BY clause */
  CHECK(A.n_columns == 1 && ctab("a", PA_USE_ORDER) == 0);
  CHECK(A.columns[0].ordinal == 0);
  CHECK(A.flags == (PA_DIGEST_F_SELECT_STAR | PA_DIGEST_F_INDEX_HINT));

  /* real: ... t1 use key (idx_a,k1) ignore index for join (primary) ... */
  CHECK(an("SELECT * FROM `t1` USE KEY ( `idx_a` , `k1` ) IGNORE INDEX FOR "
           "JOIN ( PRIMARY ) WHERE `b` = ? ") == 0);
  CHECK(A.n_hints == 3 && hint(0, "idx_a", PA_HINT_USE) == 0 &&
        hint(0, "k1", PA_HINT_USE) == 1 &&
        hint(0, "PRIMARY", PA_HINT_IGNORE) == 2);
  CHECK(A.n_joins == 0 && A.n_columns == 1 && ctab("b", PA_USE_EQ) == 0);

  /* real: select * from t1 use index () where a=1 -- empty list */
  CHECK(an("SELECT * FROM `t1` USE INDEX ( ) WHERE `a` = ? ") == 0);
  CHECK(A.n_hints == 0 &&
        A.flags == (PA_DIGEST_F_SELECT_STAR | PA_DIGEST_F_INDEX_HINT));
  CHECK(A.n_columns == 1 && ctab("a", PA_USE_EQ) == 0);
  CHECK(an("select * from t1 ignore key() where a = 1") == 0);
  CHECK(A.n_hints == 0 && flag(PA_DIGEST_F_INDEX_HINT));
  CHECK(ctab("a", PA_USE_EQ) == 0);

  /*
    real: select * from t1 as p force key for group by (`ключ`) join t q
    ignore key (`a``b`) on p.a=q.a group by p.a
  */
  CHECK(an("SELECT * FROM `t1` AS `p` FORCE KEY FOR GROUP BY ( `ключ` ) JOIN "
           "`t` `q` IGNORE KEY ( `a``b` ) ON `p` . `a` = `q` . `a` GROUP BY "
           "`p` . `a` ") == 0);
  CHECK(A.n_tables == 2 && A.n_joins == 1 && A.n_hints == 2);
  CHECK_STR(A.tables[0].alias, "p");
  CHECK_STR(A.tables[1].alias, "q");
  CHECK(hint(0, "ключ", PA_HINT_FORCE) == 0);
  CHECK(hint(1, "a`b", PA_HINT_IGNORE) == 1);
  CHECK(A.n_columns == 3 && ctab("a", PA_USE_GROUP) == 0);
  CHECK(A.flags == (PA_DIGEST_F_SELECT_STAR | PA_DIGEST_F_INDEX_HINT));

  /* real: select * from t1 force index(idx_a) , t ignore index for ... */
  CHECK(an("SELECT * FROM `t1` FORCE INDEX ( `idx_a` ) , `t` IGNORE INDEX "
           "FOR ORDER BY ( `k1` ) ") == 0);
  CHECK(A.n_tables == 2 && A.n_joins == 1 && A.n_hints == 2);
  CHECK(hint(0, "idx_a", PA_HINT_FORCE) == 0 &&
        hint(1, "k1", PA_HINT_IGNORE) == 1);
  CHECK(A.n_columns == 0 && !flag(PA_DIGEST_F_TRUNCATED));

  /* real: several hints on one table */
  CHECK(an("SELECT * FROM `t1` USE INDEX ( `idx_a` ) USE INDEX FOR ORDER BY "
           "( `k1` ) IGNORE INDEX FOR GROUP BY ( PRIMARY ) WHERE `a` = ? ") ==
        0);
  CHECK(A.n_tables == 1 && A.n_joins == 0 && A.n_hints == 3);
  CHECK(hint(0, "idx_a", PA_HINT_USE) == 0 &&
        hint(0, "k1", PA_HINT_USE) == 1 &&
        hint(0, "PRIMARY", PA_HINT_IGNORE) == 2);
  CHECK(A.n_columns == 1 && ctab("a", PA_USE_EQ) == 0);

  /* real: UPDATE and multi-table DELETE */
  CHECK(an("UPDATE `t1` FORCE INDEX ( `idx_a` ) SET `b` = ? WHERE `a` = ? ") ==
        0);
  CHECK(A.kind == PA_STMT_UPDATE && A.n_hints == 1 &&
        hint(0, "idx_a", PA_HINT_FORCE) == 0);
  CHECK(A.n_columns == 1 && ctab("a", PA_USE_EQ) == 0);
  CHECK(an("DELETE `t1` FROM `t1` USE INDEX ( `idx_a` ) WHERE `a` = ? ") == 0);
  CHECK(A.kind == PA_STMT_DELETE && A.n_tables == 1 && A.n_hints == 1 &&
        hint(0, "idx_a", PA_HINT_USE) == 0);

  /* raw SQL */
  CHECK(an("select * from t1 force index(idx_a)") == 0);
  CHECK(A.n_hints == 1 && hint(0, "idx_a", PA_HINT_FORCE) == 0);
  CHECK(A.flags == (PA_DIGEST_F_SELECT_STAR | PA_DIGEST_F_INDEX_HINT));
  CHECK(an("SELECT a FROM t USE KEY (a,b)") == 0);
  CHECK(A.n_hints == 2 && hint(0, "a", PA_HINT_USE) == 0 &&
        hint(0, "b", PA_HINT_USE) == 1);
  CHECK(A.n_columns == 0 && A.n_joins == 0);
  CHECK(an("Select * From db.t1 As x Ignore Key For Group By (`i 1`, primary) "
           "where x.c = 1 group by x.c") == 0);
  CHECK(A.n_hints == 2 && hint(0, "i 1", PA_HINT_IGNORE) == 0 &&
        hint(0, "PRIMARY", PA_HINT_IGNORE) == 1);
  CHECK(A.n_columns == 2 && ctab("c", PA_USE_EQ) == 0 &&
        A.columns[col("c", PA_USE_GROUP)].ordinal == 0);
  /* a quoted `primary` is an identifier: kept as written */
  CHECK(an("select * from t use index (`primary`)") == 0);
  CHECK(A.n_hints == 1 && hint(0, "primary", PA_HINT_USE) == 0);

  /* one entry per table, kind and name (ignoring case) */
  CHECK(an("select * from t use index (a) use index for join (A, b) "
           "force index for order by (a)") == 0);
  CHECK(A.n_hints == 3 && hint(0, "a", PA_HINT_USE) == 0 &&
        hint(0, "b", PA_HINT_USE) == 1 && hint(0, "a", PA_HINT_FORCE) == 2);

  /* self join: the hint points at the right copy */
  CHECK(an("SELECT * FROM emp e FORCE INDEX (mgr) JOIN emp AS m USE INDEX "
           "(PRIMARY) ON e.manager_id = m.id") == 0);
  CHECK(A.n_tables == 2 && A.n_joins == 1 && A.n_hints == 2);
  CHECK(hint(0, "mgr", PA_HINT_FORCE) == 0 &&
        hint(1, "PRIMARY", PA_HINT_USE) == 1);
  CHECK(ctab("manager_id", PA_USE_JOIN) == 0 && ctab("id", PA_USE_JOIN) == 1);

  /* the existing join test: hints still do not count as joins */
  CHECK(an("SELECT * FROM t1 USE INDEX FOR JOIN (i1) JOIN t2 FORCE KEY (i2) "
           "ON t1.a = t2.a IGNORE INDEX FOR ORDER BY (i3)") == 0);
  CHECK(A.n_tables == 2 && A.n_joins == 1 && A.n_columns == 2);
  CHECK(hint(0, "i1", PA_HINT_USE) == 0 && hint(1, "i2", PA_HINT_FORCE) == 1);

  /* nested join parentheses, LEFT JOIN, and a subquery's own FROM */
  CHECK(an("SELECT * FROM (t1 USE INDEX (i1) JOIN t2 b FORCE INDEX (i2) ON "
           "t1.a = b.a) LEFT JOIN t3 IGNORE INDEX (i3) ON t3.c = t1.c WHERE "
           "t3.d IN (SELECT d FROM t4 FORCE KEY (i4))") == 0);
  CHECK(A.n_tables == 4 && A.n_joins == 2 && A.n_hints == 4);
  CHECK(hint(0, "i1", PA_HINT_USE) == 0 && hint(1, "i2", PA_HINT_FORCE) == 1 &&
        hint(2, "i3", PA_HINT_IGNORE) == 2 &&
        hint(3, "i4", PA_HINT_FORCE) == 3);
  CHECK(ctab("d", PA_USE_IN) == 2);

  /* executable comments hold real hints */
  CHECK(an("SELECT * FROM t /*M!100100 FORCE INDEX (i) */ WHERE a > 1") == 0);
  CHECK(A.n_hints == 1 && hint(0, "i", PA_HINT_FORCE) == 0);

  /* list items that are not names, and odd lists */
  CHECK(an("SELECT * FROM t USE INDEX (\"x\", 'y', 1, ?, `z`)") == 0);
  CHECK(A.n_hints == 1 && hint(0, "z", PA_HINT_USE) == 0);
  CHECK(an("SELECT * FROM t USE INDEX ((a), b c, d.e, ``)") == 0);
  CHECK(A.n_hints == 2 && hint(0, "b", PA_HINT_USE) == 0 &&
        hint(0, "d", PA_HINT_USE) == 1);
  CHECK(A.n_tables == 1 && A.n_columns == 0);
  /* no list at all: nothing is skipped */
  CHECK(an("SELECT * FROM t USE INDEX WHERE a = 1") == 0);
  CHECK(A.n_hints == 0 && flag(PA_DIGEST_F_INDEX_HINT));
  CHECK(ctab("a", PA_USE_EQ) == 0);

  /* nothing with named indexes before the hint: only the flag */
  CHECK(an("SELECT * FROM ( SELECT `a` FROM `t` ) `d` USE INDEX ( `x` ) ") ==
        0);
  CHECK(A.n_tables == 1 && A.n_hints == 0 && flag(PA_DIGEST_F_INDEX_HINT));
  CHECK(an("SELECT * FROM t1 JOIN (SELECT a FROM t2) AS d FORCE INDEX (x) ON "
           "d.a = t1.a") == 0);
  CHECK(A.n_tables == 2 && A.n_hints == 0 && A.n_joins == 1);
  CHECK(an("WITH c AS (SELECT a FROM t) SELECT * FROM c FORCE INDEX (x)") ==
        0);
  CHECK(A.n_tables == 1 && A.n_hints == 0 && flag(PA_DIGEST_F_INDEX_HINT));
  CHECK(an("SELECT * FROM t1 JOIN JSON_TABLE('[1]', '$[*]' COLUMNS (a INT "
           "PATH '$')) AS jt USE INDEX (x) ON 1") == 0);
  CHECK(A.n_tables == 1 && A.n_hints == 0);
  CHECK(an("SELECT * FROM t FOR SYSTEM_TIME ALL USE INDEX (x)") == 0);
  CHECK(A.n_hints == 0 && flag(PA_DIGEST_F_INDEX_HINT));

  /* IGNORE as a statement modifier is no hint */
  CHECK(an("UPDATE LOW_PRIORITY IGNORE t SET a = a + 1 WHERE id = 3") == 0);
  CHECK(A.n_hints == 0 && !flag(PA_DIGEST_F_INDEX_HINT));
  CHECK(an("INSERT IGNORE INTO `t11` VALUES (?) ") == 0);
  CHECK(A.n_hints == 0 && !flag(PA_DIGEST_F_INDEX_HINT));
  CHECK(an("SELECT * FROM t") == 0 && A.n_hints == 0 &&
        !flag(PA_DIGEST_F_INDEX_HINT));

  /* cut in the middle of a hint */
  CHECK(an("SELECT * FROM `t1` FORCE INDEX ( `idx_a` , ") == 0);
  CHECK(A.n_hints == 1 && hint(0, "idx_a", PA_HINT_FORCE) == 0);
  CHECK(flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT * FROM `t1` FORCE INDEX ( `idx_a` ") == 0);
  CHECK(A.n_hints == 1 && flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT * FROM `t1` FORCE INDEX ( `idx") == 0);
  CHECK(A.n_hints == 0 && flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT * FROM `t1` FORCE INDEX FOR ORDER BY ") == 0);
  CHECK(A.n_hints == 0 && A.n_columns == 0 && flag(PA_DIGEST_F_TRUNCATED) &&
        flag(PA_DIGEST_F_INDEX_HINT));
  CHECK(an("SELECT * FROM `t1` USE INDEX FOR ") == 0 &&
        flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT * FROM `t1` IGNORE KEY ") == 0 &&
        flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("select * from t1 force index (idx_a, idx_b...") == 0);
  CHECK(hint(0, "idx_a", PA_HINT_FORCE) == 0 && flag(PA_DIGEST_F_TRUNCATED));
  CHECK(an("SELECT * FROM `t1` FORCE INDEX ( `idx_a` ) ") == 0 &&
        !flag(PA_DIGEST_F_TRUNCATED));

  /* over-long name: cut and flagged like any identifier */
  memset(big, 'k', 300);
  big[300]= '\0';
  snprintf(q, sizeof(q), "SELECT * FROM t USE INDEX (`%s`)", big);
  CHECK(an(q) == 0 && A.n_hints == 1);
  CHECK(strlen(A.hints[0].index) == PA_IDENT_BYTES - 1);
  CHECK(flag(PA_DIGEST_F_TRUNCATED));

  /* exactly PA_DIGEST_MAX_HINTS, then one more */
  strcpy(q, "SELECT * FROM t FORCE INDEX (i0");
  for (i= 1; i < PA_DIGEST_MAX_HINTS; i++)
    snprintf(q + strlen(q), sizeof(q) - strlen(q), ", i%d", i);
  strcat(q, ", I0) WHERE a = 1");
  CHECK(an(q) == 0 && A.n_hints == PA_DIGEST_MAX_HINTS);
  CHECK(!flag(PA_DIGEST_F_TRUNCATED) && ctab("a", PA_USE_EQ) == 0);
  strcpy(q, "SELECT * FROM t FORCE INDEX (i0");
  for (i= 1; i < PA_DIGEST_MAX_HINTS + 4; i++)
    snprintf(q + strlen(q), sizeof(q) - strlen(q), ", i%d", i);
  strcat(q, ") JOIN u USE INDEX (j) WHERE a = 1");
  CHECK(an(q) == 0 && A.n_hints == PA_DIGEST_MAX_HINTS);
  CHECK(flag(PA_DIGEST_F_TRUNCATED) && flag(PA_DIGEST_F_INDEX_HINT));
  CHECK(strcmp(A.hints[PA_DIGEST_MAX_HINTS - 1].index, "i15") == 0);
  CHECK(A.n_tables == 2 && A.n_joins == 1 && col("a", PA_USE_EQ) >= 0);
  /* a hint on a table past PA_DIGEST_MAX_TABLES is lost, and flagged */
  strcpy(q, "SELECT * FROM t0");
  for (i= 1; i <= PA_DIGEST_MAX_TABLES; i++)
    snprintf(q + strlen(q), sizeof(q) - strlen(q), ", t%d", i);
  strcat(q, " USE INDEX (x)");
  CHECK(an(q) == 0 && A.n_tables == PA_DIGEST_MAX_TABLES);
  CHECK(A.n_hints == 0 && flag(PA_DIGEST_F_TRUNCATED));
}

/*
  Every prefix of statements with hints, alone and with the "..." cut
  mark: no crash or over-read, every hint sane and a prefix (ASCII case
  aside) of an expected one on the same table, and a cut inside any
  parenthesis flagged.  The whole text gives exactly the expected hints.
*/
struct hint_want
{
  const char *table, *index;
  enum pa_hint_kind kind;
};

static int hint_fits(const struct pa_digest_hint *x, const struct hint_want *w,
                     int n)
{
  size_t xl= strlen(x->index), i;
  int k;
  if (x->table < 0 || x->table >= A.n_tables || xl == 0 ||
      !memchr(x->index, 0, sizeof(x->index)))
    return 0;
  for (k= 0; k < n; k++)
  {
    if (strcmp(A.tables[x->table].name, w[k].table) != 0 ||
        strlen(w[k].index) < xl || x->kind != w[k].kind)
      continue;
    for (i= 0; i < xl; i++)
      if ((x->index[i] | 0x20) != (w[k].index[i] | 0x20))
        break;
    if (i == xl)
      return 1;
  }
  return 0;
}

static void test_hint_prefixes(void)
{
  static const struct
  {
    const char *text;
    int n;
    struct hint_want want[4];
  } cases[]= {
      {"SELECT * FROM `db` . `t` `x` USE INDEX FOR ORDER BY ( `k1` , "
       "PRIMARY ) IGNORE KEY ( `k2` ) JOIN `u` FORCE INDEX ( `ku` ) ON `x` . "
       "`a` = `u` . `a` WHERE `x` . `b` = ? ",
       4,
       {{"t", "k1", PA_HINT_USE},
        {"t", "PRIMARY", PA_HINT_USE},
        {"t", "k2", PA_HINT_IGNORE},
        {"u", "ku", PA_HINT_FORCE}}},
      {"select * from t1 a force index(idx_a, idx_b) join t2 b use key for "
       "join (primary) on a.id = b.id",
       3,
       {{"t1", "idx_a", PA_HINT_FORCE},
        {"t1", "idx_b", PA_HINT_FORCE},
        {"t2", "PRIMARY", PA_HINT_USE}}},
  };
  size_t c, k, j;
  char buf[512];
  int pass, h;

  for (c= 0; c < sizeof(cases) / sizeof(cases[0]); c++)
  {
    const char *s= cases[c].text;
    const struct hint_want *w= cases[c].want;
    size_t n= strlen(s);
    int bad= 0, bad_cut= 0, bad_whole= 0;
    for (k= 0; k <= n; k++)
    {
      int open= 0;
      for (j= 0; j < k; j++)
        open+= s[j] == '(' ? 1 : s[j] == ')' ? -1 : 0;
      for (pass= 0; pass < 2; pass++)
      {
        size_t len= k;
        memcpy(buf, s, k);
        if (pass)
        {
          memcpy(buf + k, "...", 3);
          len+= 3;
        }
        if (an_len(buf, len) != 0 || A.n_hints < 0 || A.n_hints > cases[c].n)
        {
          bad++;
          continue;
        }
        for (h= 0; h < A.n_hints; h++)
          if (!hint_fits(&A.hints[h], w, cases[c].n))
            bad++;
        if (open > 0 && !flag(PA_DIGEST_F_TRUNCATED))
          bad_cut++;
      }
    }
    CHECK(bad == 0);
    CHECK(bad_cut == 0);
    if (an(s) != 0 || A.n_hints != cases[c].n || flag(PA_DIGEST_F_TRUNCATED))
      bad_whole++;
    for (h= 0; !bad_whole && h < cases[c].n; h++)
      if (hint(pa_digest_find_table(&A, NULL, w[h].table), w[h].index,
               w[h].kind) != h)
        bad_whole++;
    CHECK(bad_whole == 0);
  }
}

/* Random and mutated inputs: only that nothing crashes or over-reads. */
static void test_random(void)
{
  static const char *const atoms[]= {"SELECT ",
                                     "* ",
                                     "FROM ",
                                     "`t` ",
                                     "`a` ",
                                     "WHERE ",
                                     "= ",
                                     "? ",
                                     "AND ",
                                     "IN ",
                                     "(",
                                     ")",
                                     "(...) ",
                                     ", ",
                                     ". ",
                                     "JOIN ",
                                     "ON ",
                                     "ORDER BY ",
                                     "GROUP BY ",
                                     "LIMIT ",
                                     "DESC ",
                                     "'",
                                     "`",
                                     "\"",
                                     "/*",
                                     "*/",
                                     "-- ",
                                     "#",
                                     "\n",
                                     "...",
                                     "LIKE ",
                                     "'%x' ",
                                     "INSERT INTO ",
                                     "VALUES ",
                                     "/* , ... */ ",
                                     "UPDATE ",
                                     "SET ",
                                     "DELETE ",
                                     "WITH ",
                                     "AS ",
                                     "USING ",
                                     "RAND ( ) ",
                                     "INTERVAL ",
                                     "DAY ",
                                     "\xe6\x97\xa5",
                                     "\xff",
                                     "@",
                                     "0",
                                     "10000 ",
                                     "OFFSET ",
                                     "\\",
                                     ";",
                                     "/*!",
                                     "_x'"};
  unsigned long seed= 12345;
  char buf[256];
  int iter, ok= 1;

  for (iter= 0; iter < 20000; iter++)
  {
    size_t n= 0;
    int parts, j;
    seed= seed * 6364136223846793005UL + 1442695040888963407UL;
    parts= (int) ((seed >> 33) % 24);
    for (j= 0; j < parts; j++)
    {
      const char *a;
      size_t l;
      seed= seed * 6364136223846793005UL + 1442695040888963407UL;
      if ((seed >> 60) == 0)
      {
        /* a raw random byte */
        if (n < sizeof(buf))
          buf[n++]= (char) (seed >> 40);
        continue;
      }
      a= atoms[(seed >> 33) % (sizeof(atoms) / sizeof(atoms[0]))];
      l= strlen(a);
      if (n + l > sizeof(buf))
        break;
      memcpy(buf + n, a, l);
      n+= l;
    }
    if (an_len(buf, n) != 0 || A.n_tables < 0 ||
        A.n_tables > PA_DIGEST_MAX_TABLES || A.n_columns < 0 ||
        A.n_columns > PA_DIGEST_MAX_COLUMNS)
      ok= 0;
    for (j= 0; ok && j < A.n_columns; j++)
      if (A.columns[j].table < -1 || A.columns[j].table >= A.n_tables)
        ok= 0;
  }
  CHECK(ok);
}

/* in_or of the column found by col(), or -1 when it is missing. */
static int cor(const char *name, enum pa_col_use use)
{
  int i= col(name, use);
  return i < 0 ? -1 : A.columns[i].in_or;
}

/* Whether some entry for (name, use) has in_or == v. */
static int has_or(const char *name, enum pa_col_use use, int v)
{
  int i;
  for (i= 0; i < A.n_columns; i++)
    if (A.columns[i].use == use && A.columns[i].in_or == v &&
        strcmp(A.columns[i].name, name) == 0)
      return 1;
  return 0;
}

static void test_or(void)
{
  /* no OR: nothing is marked */
  CHECK(an("SELECT * FROM t WHERE a = ? AND b > ?") == 0);
  CHECK(cor("a", PA_USE_EQ) == 0 && cor("b", PA_USE_RANGE) == 0);

  /* an OR marks both sides, also what came before it */
  CHECK(an("SELECT * FROM t WHERE a = ? OR b = ?") == 0);
  CHECK(cor("a", PA_USE_EQ) == 1 && cor("b", PA_USE_EQ) == 1);
  CHECK(an("SELECT * FROM t WHERE a = ? XOR b < ?") == 0);
  CHECK(cor("a", PA_USE_EQ) == 1 && cor("b", PA_USE_RANGE) == 1);
  CHECK(an("SELECT * FROM t WHERE a = 1 || b IN (1, 2)") == 0);
  CHECK(cor("a", PA_USE_EQ) == 1 && cor("b", PA_USE_IN) == 1);
  /* && is AND */
  CHECK(an("SELECT * FROM t WHERE a = 1 && b = 2") == 0);
  CHECK(cor("a", PA_USE_EQ) == 0 && cor("b", PA_USE_EQ) == 0);

  /* an OR in parentheses stays there */
  CHECK(an("SELECT * FROM t WHERE a = ? AND ( b = ? OR c LIKE ? )") == 0);
  CHECK(cor("a", PA_USE_EQ) == 0 && cor("b", PA_USE_EQ) == 1 &&
        cor("c", PA_USE_LIKE_UNKNOWN) == 1);
  CHECK(an("SELECT * FROM t WHERE ( b = ? OR c = ? ) AND a = ?") == 0);
  CHECK(cor("a", PA_USE_EQ) == 0 && cor("b", PA_USE_EQ) == 1);
  /* ... but an OR outside reaches into them */
  CHECK(an("SELECT * FROM t WHERE ( a = ? AND b = ? ) OR c = ?") == 0);
  CHECK(cor("a", PA_USE_EQ) == 1 && cor("b", PA_USE_EQ) == 1 &&
        cor("c", PA_USE_EQ) == 1);
  /* precedence does not save an AND next to an OR */
  CHECK(an("SELECT * FROM t WHERE a = ? AND b = ? OR c = ?") == 0);
  CHECK(cor("a", PA_USE_EQ) == 1 && cor("b", PA_USE_EQ) == 1);

  /* a column used both ways is reported both ways */
  CHECK(an("SELECT * FROM t WHERE ( a = ? OR b = ? ) AND a = ?") == 0);
  CHECK(has_or("a", PA_USE_EQ, 1) && has_or("a", PA_USE_EQ, 0));
  CHECK(has_or("b", PA_USE_EQ, 1) && !has_or("b", PA_USE_EQ, 0));

  /* ORDER BY, GROUP BY and unindexable uses are never marked */
  CHECK(an("SELECT * FROM t WHERE a = ? OR DATE ( d ) = ? OR e LIKE '%x' "
           "GROUP BY g ORDER BY o") == 0);
  CHECK(cor("a", PA_USE_EQ) == 1 && cor("d", PA_USE_FUNC) == 0 &&
        cor("e", PA_USE_LIKE_LEADING_WILDCARD) == 0 &&
        cor("g", PA_USE_GROUP) == 0 && cor("o", PA_USE_ORDER) == 0);

  /* an OR in the select list or in a function marks no condition */
  CHECK(an("SELECT a OR b , IF ( x OR y , 1 , 2 ) FROM t WHERE c = ?") == 0);
  CHECK(cor("c", PA_USE_EQ) == 0);
  CHECK(an("SELECT * FROM t WHERE IF ( x = 1 OR y = 2 , 1 , 0 ) = 1 "
           "AND c = ?") == 0);
  CHECK(cor("c", PA_USE_EQ) == 0);

  /* each query block has its own scope, on either side of the OR */
  CHECK(an("SELECT * FROM t WHERE a = ? OR b IN ( SELECT x FROM u "
           "WHERE y = ? AND z > ? )") == 0);
  CHECK(cor("a", PA_USE_EQ) == 1 && cor("b", PA_USE_IN) == 1 &&
        cor("y", PA_USE_EQ) == 0 && cor("z", PA_USE_RANGE) == 0);
  CHECK(an("SELECT * FROM t WHERE b IN ( SELECT x FROM u WHERE y = ? ) "
           "OR a = ?") == 0);
  CHECK(cor("a", PA_USE_EQ) == 1 && cor("b", PA_USE_IN) == 1 &&
        cor("y", PA_USE_EQ) == 0);
  CHECK(an("SELECT * FROM t WHERE a = ? AND b IN ( SELECT x FROM u "
           "WHERE y = ? OR z = ? )") == 0);
  CHECK(cor("a", PA_USE_EQ) == 0 && cor("b", PA_USE_IN) == 0 &&
        cor("y", PA_USE_EQ) == 1 && cor("z", PA_USE_EQ) == 1);

  /* ON and WHERE are scopes of their own */
  CHECK(an("SELECT * FROM t JOIN u ON u . a = t . a OR u . b = ? "
           "WHERE t . c = ?") == 0);
  CHECK(has_or("a", PA_USE_JOIN, 1) && !has_or("a", PA_USE_JOIN, 0) &&
        cor("b", PA_USE_EQ) == 1 && cor("c", PA_USE_EQ) == 0);
  CHECK(an("SELECT * FROM t JOIN u ON u . a = t . a "
           "WHERE t . c = ? OR t . d = ?") == 0);
  CHECK(has_or("a", PA_USE_JOIN, 0) && !has_or("a", PA_USE_JOIN, 1) &&
        cor("c", PA_USE_EQ) == 1 && cor("d", PA_USE_EQ) == 1);
  /* ... also in nested joins, and USING is never under an OR */
  CHECK(an("SELECT * FROM ( t JOIN u ON u . a = ? OR u . b = ? ) "
           "JOIN v USING ( k ) WHERE t . c = ?") == 0);
  CHECK(cor("a", PA_USE_EQ) == 1 && cor("b", PA_USE_EQ) == 1 &&
        cor("k", PA_USE_JOIN) == 0 && cor("c", PA_USE_EQ) == 0);
  /* the same column under OR in ON and in WHERE stays marked */
  CHECK(an("SELECT * FROM t JOIN u ON u . a = ? OR u . b = ? "
           "WHERE u . a = ? OR u . c = ?") == 0);
  CHECK(has_or("a", PA_USE_EQ, 1) && !has_or("a", PA_USE_EQ, 0));

  /* a Frappe list query, as performance_schema prints it */
  CHECK(an("SELECT `tabToDo` . `name` FROM `tabToDo` WHERE `tabToDo` . "
           "`status` = ? AND ( `tabToDo` . `allocated_to` = ? OR "
           "`tabToDo` . `owner` = ? ) ORDER BY `tabToDo` . `modified` DESC "
           "LIMIT ?") == 0);
  CHECK(cor("status", PA_USE_EQ) == 0 && cor("allocated_to", PA_USE_EQ) == 1 &&
        cor("owner", PA_USE_EQ) == 1 && cor("modified", PA_USE_ORDER) == 0);
  /* HAVING starts a scope too */
  CHECK(an("SELECT a FROM t WHERE b = ? OR c = ? GROUP BY a "
           "HAVING a > ?") == 0);
  CHECK(cor("b", PA_USE_EQ) == 1 && cor("a", PA_USE_RANGE) == 0);
}

/* A catalog for the copy test: "a" has x, "b" has y. */
static int copy_has(void *ctx, int k, const char *name)
{
  const struct pa_digest_analysis *an= ctx;
  const char *t= an->tables[k].name;
  return (!strcmp(t, "a") && !strcmp(name, "x")) ||
         (!strcmp(t, "b") && !strcmp(name, "y"));
}

/*
  pa_digest_analysis_copy(): the copy equals its analysis, takes exactly
  its entries in one block, outlives the scratch's next use, and fails
  cleanly.  (Every statement of this file is copied and compared too:
  copy_mismatches.)
*/
static void test_copy(void)
{
  struct arena ar= PA_TEST_ARENA_INIT, fail= PA_TEST_ARENA_INIT;
  const struct pa_alloc a= {arena_alloc, &ar}, f= {arena_alloc, &fail};
  struct pa_digest_analysis *c, *c2, *full;
  char q[8192], name[14 + PA_IDENT_BYTES];
  size_t i;

  CHECK(pa_digest_analysis_copy(NULL, &a) == NULL);
  CHECK(pa_digest_analysis_size(NULL) == 0);

  /* no tables, no columns: the struct alone */
  CHECK(pa_digest_analyze("SELECT 1", 8, &S) == 0 && S.an.n_tables == 0);
  CHECK(pa_digest_analysis_copy(&S.an, NULL) == NULL);
  c= pa_digest_analysis_copy(&S.an, &a);
  CHECK(c != NULL && pa_digest_same(c, &S.an) && detached(c) &&
        c->kind == PA_STMT_SELECT && c->n_columns == 0 && c->n_hints == 0);
  CHECK(pa_digest_analysis_size(&S.an) == sizeof(*c));
  CHECK(pa_digest_analyze("SET @a = 1", 10, &S) == 0 &&
        S.an.kind == PA_STMT_OTHER);
  CHECK(pa_digest_analysis_size(&S.an) == sizeof(*c));

  /* a typical ERP lookup: 2 tables, 6 columns, 401 bytes on LP64
     (34,824 when an analysis held arrays of the maximum size) */
  CHECK(an("SELECT `si` . `name` FROM `tabSales Invoice` `si` JOIN "
           "`tabSales Invoice Item` `sii` ON `sii` . `parent` = `si` . "
           "`name` WHERE `si` . `customer` = ? AND `si` . `docstatus` = ? "
           "AND `si` . `posting_date` BETWEEN ? AND ? ORDER BY `si` . "
           "`posting_date` DESC") == 0);
  CHECK(A.n_tables == 2 && A.n_columns == 6 && A.n_hints == 0);
  CHECK(pa_digest_analysis_size(&A) ==
        sizeof(A) + 2 * sizeof(*A.tables) + 6 * sizeof(*A.columns) +
            sizeof("tabSales Invoice") + sizeof("si") +
            sizeof("tabSales Invoice Item") + sizeof("sii") + 2 +
            sizeof("parent") + sizeof("name") + sizeof("customer") +
            sizeof("docstatus") + 2 * sizeof("posting_date"));
  CHECK(pa_digest_analysis_size(&A) * 50 < sizeof(struct pa_digest_scratch));

  /* hints, and a copy that outlives the scratch's next analysis */
  CHECK(pa_digest_analyze("SELECT * FROM `t` FORCE INDEX (`k`, PRIMARY) "
                          "JOIN `u` USE KEY (`j`) WHERE `t` . `a` = ?",
                          78, &S) == 0);
  c= pa_digest_analysis_copy(&S.an, &a);
  CHECK(c != NULL && c->n_hints == 3 && c->n_tables == 2 &&
        pa_digest_same(c, &S.an));
  CHECK(pa_digest_analyze("SELECT * FROM `other`", 21, &S) == 0);
  CHECK(c != NULL && c->n_hints == 3 && !strcmp(c->hints[0].index, "k") &&
        !strcmp(c->hints[1].index, "PRIMARY") && c->hints[1].table == 0 &&
        c->hints[2].table == 1 && c->hints[2].kind == PA_HINT_USE &&
        !strcmp(c->tables[1].name, "u") && c->columns[0].table == 0);
  /* a copy of a copy */
  c2= c ? pa_digest_analysis_copy(c, &a) : NULL;
  CHECK(c2 != NULL && c2 != c && pa_digest_same(c2, c) &&
        c2->tables != c->tables && pa_digest_find_table(c2, NULL, "u") == 1);

  /* every array at its maximum, and a longest name */
  strcpy(q, "SELECT * FROM t0 USE INDEX (i0, i1, i2, i3, i4, i5, i6, i7, "
            "i8, i9, i10, i11, i12, i13, i14, i15, i16, i17)");
  for (i= 1; i < 20; i++)
    snprintf(q + strlen(q), sizeof(q) - strlen(q), ", t%u", (unsigned) i);
  strcat(q, " WHERE c0 = 1");
  for (i= 1; i < 70; i++)
    snprintf(q + strlen(q), sizeof(q) - strlen(q), " AND c%u = 1",
             (unsigned) i);
  CHECK(pa_digest_analyze(q, strlen(q), &S) == 0);
  CHECK(S.an.n_tables == PA_DIGEST_MAX_TABLES &&
        S.an.n_columns == PA_DIGEST_MAX_COLUMNS &&
        S.an.n_hints == PA_DIGEST_MAX_HINTS);
  full= pa_digest_analysis_copy(&S.an, &a);
  CHECK(full != NULL && pa_digest_same(full, &S.an) && detached(full));
  CHECK(pa_digest_analysis_size(&S.an) == exact_bytes(&S.an) &&
        pa_digest_analysis_size(&S.an) <= sizeof(struct pa_digest_scratch));
  memset(name, 'n', sizeof(name));
  memcpy(name, "SELECT * FROM ", 14);
  name[14 + PA_IDENT_BYTES - 1]= '\0';
  CHECK(pa_digest_analyze(name, strlen(name), &S) == 0 &&
        S.an.n_tables == 1 &&
        strlen(S.an.tables[0].name) == PA_IDENT_BYTES - 1);
  c= pa_digest_analysis_copy(&S.an, &a);
  CHECK(c != NULL && pa_digest_same(c, &S.an) &&
        strlen(c->tables[0].name) == PA_IDENT_BYTES - 1);

  /* resolving a copy changes the copy only */
  CHECK(pa_digest_analyze("SELECT * FROM a, b WHERE x = ? AND y = ?", 40,
                          &S) == 0);
  c= pa_digest_analysis_copy(&S.an, &a);
  CHECK(c != NULL && pa_digest_resolve_unqualified(c, copy_has, c) == 2);
  CHECK(c != NULL && c->columns[0].table == 0 && c->columns[1].table == 1 &&
        S.an.columns[0].table == -1 && S.an.columns[1].table == -1);

  /* out of memory: NULL, nothing kept */
  fail.fail_after= 0;
  CHECK(pa_digest_analysis_copy(&S.an, &f) == NULL && fail.n == 0);
  /* counts no analysis can have */
  {
    struct pa_digest_analysis bad= S.an;
    bad.n_columns= PA_DIGEST_MAX_COLUMNS + 1;
    CHECK(pa_digest_analysis_copy(&bad, &a) == NULL &&
          pa_digest_analysis_size(&bad) == 0);
  }
  /* an analysis built by hand: a NULL identifier is copied as "", a
     longer one cut to PA_IDENT_BYTES - 1 bytes */
  {
    struct pa_digest_table t= {NULL, NULL, "al"};
    struct pa_digest_analysis h;
    char longer[PA_IDENT_BYTES + 10];
    memset(longer, 'x', sizeof(longer) - 1);
    longer[sizeof(longer) - 1]= '\0';
    t.name= longer;
    memset(&h, 0, sizeof(h));
    h.kind= PA_STMT_SELECT;
    h.n_tables= 1;
    h.tables= &t;
    c= pa_digest_analysis_copy(&h, &a);
    CHECK(c != NULL && c->n_tables == 1 && !strcmp(c->tables[0].schema, "") &&
          strlen(c->tables[0].name) == PA_IDENT_BYTES - 1 &&
          !strncmp(c->tables[0].name, longer, PA_IDENT_BYTES - 1) &&
          !strcmp(c->tables[0].alias, "al") &&
          pa_digest_analysis_size(&h) ==
              sizeof(h) + sizeof(t) + 1 + PA_IDENT_BYTES + 3);
  }
  arena_free(&ar);
  arena_free(&fail);
}

int main(void)
{
  test_null_and_empty();
  test_brief_examples();
  test_real_digests();
  test_kinds();
  test_eq();
  test_in();
  test_range();
  test_leading_wildcard();
  test_func();
  test_join();
  test_resolve_unqualified();
  test_order_group();
  test_flags();
  test_tables_and_aliases();
  test_identifiers();
  test_comments();
  test_truncated();
  test_prefixes();
  test_limits();
  test_odd_bytes();
  test_index_hints();
  test_hint_prefixes();
  test_or();
  test_random();
  test_copy();
  /* every statement above was copied and compared (an_len()) */
  CHECK(copies > 500 && copy_mismatches == 0);
  arena_free(&cp_ar);
  return PA_TEST_END("test_digest");
}
