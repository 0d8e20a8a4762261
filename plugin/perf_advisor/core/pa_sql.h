/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: SQL text for MariaDB 10.11 — quoted identifiers and
  string literals, index names, and the DDL statements the advice offers.

  Everything returned is fresh memory from the caller's allocator a (owned
  by whoever owns a; never freed here) and NUL-terminated.  Every function
  returns NULL when a fails, when a required argument is NULL, or when the
  input cannot become valid SQL (see each function).  Input strings are
  read up to their NUL; any other byte is allowed.

  Identifiers are always backquoted, so the output does not depend on
  sql_mode (ANSI_QUOTES), on reserved words, or on names that start with a
  digit.  No function validates that a name exists or fits MariaDB's limits
  except pa_sql_index_name(), which makes one that does.
*/
#ifndef PA_SQL_H
#define PA_SQL_H

#include "pa_types.h"
#include "pa_index.h"

/* MariaDB's identifier limit, in characters (NAME_CHAR_LEN). */
#define PA_SQL_IDENT_CHARS 64

/*
  name as a backquoted identifier with inner backticks doubled:
  a`b -> `a``b`.  Bytes >= 0x80 are copied unchanged (UTF-8 passes
  through).  NULL for NULL or "" (MariaDB has no empty identifier).
  Output: at most 2 * strlen(name) + 2 bytes plus the NUL.
*/
char *pa_sql_ident(const struct pa_alloc *a, const char *name);

/*
  `schema`.`table`; just `table` when schema is NULL or "" (the statement
  then runs in the session's default schema).  NULL when table is NULL or
  "".
*/
char *pa_sql_qualified(const struct pa_alloc *a, const char *schema,
                       const char *table);

/*
  s as a string literal that means the same bytes under every sql_mode,
  with or without NO_BACKSLASH_ESCAPES:
  - '...' with ' doubled when s is valid UTF-8 without a backslash or a
    control character (bytes 0x01-0x1f and 0x7f): no escape sequence is
    ever needed, and the text stays readable and converts with the rest of
    the statement if a client changes its character set;
  - otherwise _utf8mb4 X'<hex of every byte, upper case>': a backslash
    means an escape in the default sql_mode and a plain character under
    NO_BACKSLASH_ESCAPES, so no quoted form is safe for both; control
    characters would survive copy and paste badly; invalid UTF-8 is kept
    byte for byte (the server may then warn about it when it converts).
  "" gives ''.  NULL for NULL.
*/
char *pa_sql_string(const struct pa_alloc *a, const char *s);

/*
  CREATE [UNIQUE] INDEX IF NOT EXISTS `index` ON `schema`.`table`
  (`c1`, `c2`(10), `c3` DESC)

  cols: n_cols key parts, 1 .. PA_INDEX_MAX_COLS; prefix_len in characters
  (0: whole column); desc 1 writes DESC (honoured since MariaDB 10.8).
  unique: non-zero for UNIQUE.  schema as for pa_sql_qualified().  NULL
  when table or index is NULL or "", cols is NULL, a column name is "", or
  n_cols is out of range.
*/
char *pa_sql_create_index(const struct pa_alloc *a, const char *schema,
                          const char *table, const char *index,
                          const struct pa_index_col *cols, int n_cols,
                          int unique);

/*
  ALTER TABLE `schema`.`table` ALTER INDEX `index` IGNORED, or NOT IGNORED
  when ignored is 0 (MariaDB 10.6+).  A primary key cannot be ignored; this
  is left to the caller, which knows which index is the primary one (a
  UNIQUE NOT NULL index may be promoted to it).
*/
char *pa_sql_alter_index_ignored(const struct pa_alloc *a, const char *schema,
                                 const char *table, const char *index,
                                 int ignored);

/*
  ALTER TABLE `schema`.`table` DROP INDEX `index`.  NULL when index is
  "PRIMARY" in any ASCII case: dropping the primary key is never offered
  (and DROP INDEX `PRIMARY` would do exactly that).
*/
char *pa_sql_drop_index(const struct pa_alloc *a, const char *schema,
                        const char *table, const char *index);

/*
  The same for several indexes of one table, as one statement:
    ALTER TABLE `schema`.`table` ALTER INDEX `a` IGNORED,
    ALTER INDEX `b` IGNORED, ...   (on one line; NOT IGNORED when ignored
  is 0), and ALTER TABLE `schema`.`table` DROP INDEX `a`, DROP INDEX `b`.
  One ALTER TABLE applies all its clauses or none, so a group is ignored,
  restored or dropped whole.  indexes: n names in the order to write,
  1 <= n <= PA_TABLE_MAX_INDEXES.  NULL when n is out of range, indexes or
  any name is NULL or "", or (for the drop) any name is "PRIMARY".
*/
char *pa_sql_alter_indexes_ignored(const struct pa_alloc *a,
                                   const char *schema, const char *table,
                                   const char *const *indexes, int n,
                                   int ignored);
char *pa_sql_drop_indexes(const struct pa_alloc *a, const char *schema,
                          const char *table, const char *const *indexes,
                          int n);

/* OPTIMIZE TABLE `schema`.`table` */
char *pa_sql_optimize_table(const struct pa_alloc *a, const char *schema,
                            const char *table);

/*
  A name for a new index on table over cols, in the scheme of the Frappe /
  ERPNext indexing guide:

    idx_<scrub(doctype)>_<scrub(col1)>_<scrub(col2)>...

  where a Frappe table is "tab<DocType>" (doctype: what follows "tab", at
  least one byte), any other table name stands for itself, and scrub() is
  Frappe's: ' ' and '-' become '_', ASCII letters become lower case, other
  bytes are kept.  Empty parts (a "" column) are left out; with no part at
  all the name is "idx".
  Examples: "tabSales Invoice" + customer, posting_date ->
  idx_sales_invoice_customer_posting_date; "orders" + customer_id ->
  idx_orders_customer_id.

  The result is always a valid MariaDB index name:
  - bytes that are not UTF-8, and characters outside the Basic Multilingual
    Plane (identifiers are utf8mb3), become '_'; trailing spaces are
    trimmed (none survive scrub(), but the rule is MariaDB's);
  - a name longer than PA_SQL_IDENT_CHARS characters (not bytes) is cut at
    a character boundary to 55 characters and ends with '_' and the 8 lower
    case hex digits of the low 32 bits of the 64-bit FNV-1a hash of the
    whole uncut name: 64 characters, distinct for names that share their
    first 55 characters, and the same on every call and every server.
  It is therefore at most 64 characters and 192 bytes.

  table: NULL is taken as "".  cols: n_cols names (NULL taken as ""); cols
  may be NULL when n_cols is 0.  NULL only when a fails, n_cols < 0, or
  cols is NULL while n_cols > 0.
*/
char *pa_sql_index_name(const struct pa_alloc *a, const char *table,
                        const char *const *cols, int n_cols);

#endif
