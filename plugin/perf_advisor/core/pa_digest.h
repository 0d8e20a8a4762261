/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: statement digest analysis.

  Reads one SQL statement text and reports which tables it touches and how
  each column is used, so index rules can work on plain data.  Two input
  styles are accepted and may be mixed:

  - performance_schema digest texts as MariaDB 10.11 prints them
    (events_statements_summary_by_digest.DIGEST_TEXT): keywords upper case,
    identifiers as "`name` ", literals as "?", value lists as "?, ...",
    rows as "(?)" / "(...)", further rows as "/ * , ... * /" (without the
    blanks), qualified names as "`db` . `t`";
  - raw SQL (SQL_TEXT or slow log): any keyword case, bare or quoted
    identifiers, 'x''y' and "x" string literals, numbers, comments
    (-- , #, / * * /, executable / * ! ... * /), possibly cut off and ended
    with "..." as performance_schema does for SQL_TEXT.

  The parser is deliberately shallow: it never rejects input and never reads
  outside [text, text + len); syntax it does not know just yields less.

  Limitations (by design, see pa_digest.c for the reasons):
  - "x" is a string literal (sql_mode without ANSI_QUOTES).
  - Digest texts do not escape a backtick inside an identifier, so such a
    name is misread there; in raw SQL `a``b` is read as a`b.
  - An identifier longer than PA_IDENT_BYTES - 1 bytes (impossible for a real
    MariaDB name) is cut at a UTF-8 character boundary and
    PA_DIGEST_F_TRUNCATED is set.  Bytes are copied as they are, with no
    validation or conversion.
  - Digest truncation (max_digest_length) drops whole tokens without a
    marker; it is detected only when the text ends inside parentheses or on a
    token that needs a continuation (operator, comma, AND, WHERE, ...).
  - Table aliases and names are resolved over the whole statement, not per
    query block; NOT is ignored (NOT IN is reported as IN, NOT LIKE as
    LIKE).
  - OR is tracked only as far as index choice needs it: a condition column
    is marked in_or when an OR, XOR or || joins it with something at any
    parenthesis level of its WHERE, ON or HAVING (within its own query
    block).  Precedence is not modelled: a = ? AND b = ? OR c = ? marks all
    three, as it should; only the AND/OR shape matters, not the branches.
    || is taken as OR, as in the default sql_mode; under PIPES_AS_CONCAT
    that can only withhold a proposal, never invent one.
  - Only the first statement is analysed: parsing stops at a top-level ';'.
  - Index hints are reported only where they follow a recorded table (its
    alias, or another hint).  After a derived table, a table function or a
    CTE name (none has named indexes), after FOR SYSTEM_TIME ..., or past
    PA_DIGEST_MAX_TABLES, a hint only sets PA_DIGEST_F_INDEX_HINT.  Only
    the index names of a list are read; a name that is not a plain or
    backquoted identifier (e.g. "x" without ANSI_QUOTES) is skipped.
*/
#ifndef PA_DIGEST_H
#define PA_DIGEST_H

#include "pa_common.h"

struct pa_alloc; /* pa_types.h */

/* C++ callers wrap this include in extern "C", like the other core headers. */

/* Array limits of struct pa_digest_analysis; hitting one sets TRUNCATED. */
#define PA_DIGEST_MAX_TABLES 16
#define PA_DIGEST_MAX_COLUMNS 64
#define PA_DIGEST_MAX_HINTS 16

/*
  Smallest literal OFFSET (rows) that counts as deep pagination: the server
  reads and throws away that many rows before returning any.
*/
#define PA_DIGEST_DEEP_OFFSET_ROWS 10000

enum pa_stmt_kind
{
  PA_STMT_OTHER,
  PA_STMT_SELECT,
  PA_STMT_INSERT,
  PA_STMT_REPLACE,
  PA_STMT_UPDATE,
  PA_STMT_DELETE
};

/* How a column is used; only WHERE, ON, HAVING, USING, ORDER/GROUP BY. */
enum pa_col_use
{
  /* col = ?, col <=> ?, col IS NULL, col IN (one value), ? = col */
  PA_USE_EQ,
  /* col IN (list of two or more values, or a subquery) */
  PA_USE_IN,
  /*
    <, <=, >, >=, BETWEEN, LIKE 'prefix%', and, because the range
    optimizer turns them into ranges too, != / <> and IS NOT NULL
  */
  PA_USE_RANGE,
  /* LIKE '%x' / '_x' literal: no B-tree index can serve it */
  PA_USE_LIKE_LEADING_WILDCARD,
  /*
    Column inside a function call or an arithmetic / JSON operator in
    WHERE/ON/HAVING, e.g. DATE(col) = ?, col + 1 > ?: not sargable.
    Columns inside aggregates (COUNT, SUM, ...) and MATCH ... AGAINST are
    not reported.
  */
  PA_USE_FUNC,
  /* col = other_col in ON/WHERE (both sides), or a JOIN ... USING column */
  PA_USE_JOIN,
  /* ORDER BY col [ASC|DESC] */
  PA_USE_ORDER,
  /* GROUP BY col */
  PA_USE_GROUP,
  /*
    LIKE with a pattern the text does not show (LIKE ? in a digest, LIKE
    col, LIKE CONCAT(...)): a range when the pattern has a fixed prefix,
    useless to an index when it starts with a wildcard; nobody can tell
  */
  PA_USE_LIKE_UNKNOWN
};

/*
  Identifiers (const char * below) are NUL-terminated, at most
  PA_IDENT_BYTES - 1 bytes, never NULL ("" when absent), and live as long
  as their analysis: in its scratch, or in its copy's block.
*/
struct pa_digest_table
{
  const char *schema; /* "" when not qualified */
  const char *name;
  const char *alias;  /* "" when none */
};

struct pa_digest_column
{
  /*
    Index into tables[], or -1 when it cannot be resolved: the qualifier
    names no recorded table, or the column is unqualified and the statement
    has more (or fewer) than one table (pa_digest_resolve_unqualified() may
    resolve it from the tables' definitions).
  */
  int table;
  /* 1 when the text qualified it (t.col, db.t.col) or USING fixed its
     table, 0 when it stands alone */
  int qualified;
  const char *name;
  enum pa_col_use use;
  int desc; /* 1 for ORDER BY ... DESC, else 0 */
  /*
    0-based position within its clause.  ORDER BY / GROUP BY: the position
    of the item in the list, counting items that are expressions and so are
    not reported (a gap means an expression sits there).  WHERE / ON /
    HAVING: order among the columns reported for that clause.  USING: the
    position in the list.
  */
  int ordinal;
  /*
    1 when this use sits under an OR (see the limitations above): it
    narrows the rows only together with the other branch, so no index
    prefix can rely on it.  0 for ORDER BY / GROUP BY, USING, and for
    PA_USE_FUNC and PA_USE_LIKE_LEADING_WILDCARD (no index serves those
    anyway).  The same column may be reported twice, once with 0 and once
    with 1, when it is used both ways.
  */
  int in_or;
};

/* USE / FORCE / IGNORE {INDEX | KEY} [FOR JOIN | ORDER BY | GROUP BY] */
enum pa_hint_kind
{
  PA_HINT_USE,
  PA_HINT_FORCE,
  PA_HINT_IGNORE
};

/*
  One index named in an index hint list.  Dropping or renaming that index
  makes the statement fail ("Key 'x' doesn't exist in table"), whatever the
  kind; IGNORE INDEX names it too.
*/
struct pa_digest_hint
{
  int table; /* index into tables[] of the table the hint follows, >= 0 */
  /*
    Index name as written (same copy rules as other identifiers); the bare
    keyword PRIMARY, in any case, as "PRIMARY", which is how the server
    names the primary key
  */
  const char *index;
  enum pa_hint_kind kind;
};

/*
  What pa_digest_analyze() reports of one statement.  The three arrays hold
  exactly n_tables, n_columns and n_hints entries that may be read; where
  they live depends on who made the analysis:
  - pa_digest_analyze() points them into the caller's struct
    pa_digest_scratch (room for PA_DIGEST_MAX_* entries each): the analysis
    is valid until that scratch is analysed into again or goes away;
  - pa_digest_analysis_copy() makes a compact copy with exactly the
    entries used, in one block from the caller's allocator, for a caller
    that keeps analyses (one per digest for a statement).
  Why pointers, to the arrays and to the identifiers: with inline room
  for the maxima (PA_IDENT_BYTES for every identifier: 771 bytes a table,
  284 a column, 268 a hint) every analysis took 34,824 bytes, and a
  statement that kept one per digest kept n_digests times that (350 MB at
  performance_schema_digests_size = 10,000); right-sizing the arrays
  alone left a 20-byte name taking 257.  A copy takes its entries (24
  bytes a table, 32 a column, 24 a hint on LP64) and the bytes of its
  identifiers: an ERP lookup of 2 tables and 6 columns, 401 bytes
  (pa_digest_analysis_size()).
  Readers index the arrays as before (an->tables[i], i < an->n_tables);
  never copy an analysis by value to keep it: the copy would still point
  into the scratch.
*/
struct pa_digest_analysis
{
  enum pa_stmt_kind kind;
  int n_tables;
  struct pa_digest_table *tables;   /* n_tables entries */
  int n_columns;
  struct pa_digest_column *columns; /* n_columns entries */
  int n_joins;    /* JOIN keywords + comma joins in FROM, all query blocks */
  unsigned flags; /* PA_DIGEST_F_* */
  /*
    Index names in hint lists, in text order; one entry per (table, name
    ignoring ASCII case, kind), so FOR JOIN / ORDER BY / GROUP BY variants
    of one hint share it.  An empty list, USE INDEX (), adds none.
  */
  int n_hints;
  struct pa_digest_hint *hints;     /* n_hints entries */
};

/*
  The working room of pa_digest_analyze(): an analysis, the largest
  arrays it may need and room for each entry's identifiers (35,768 bytes
  on LP64).  Caller-owned, one per thread of work, reused for every
  statement analysed: analyse into it, read or pa_digest_analysis_copy()
  its `an`, analyse the next.  Do not copy a scratch by value (its
  analysis points into itself).
*/
struct pa_digest_scratch
{
  struct pa_digest_analysis an;
  struct pa_digest_table tables[PA_DIGEST_MAX_TABLES];
  struct pa_digest_column columns[PA_DIGEST_MAX_COLUMNS];
  struct pa_digest_hint hints[PA_DIGEST_MAX_HINTS];
  char table_ids[PA_DIGEST_MAX_TABLES][3][PA_IDENT_BYTES]; /* schema, name,
                                                             alias */
  char column_ids[PA_DIGEST_MAX_COLUMNS][PA_IDENT_BYTES];
  char hint_ids[PA_DIGEST_MAX_HINTS][PA_IDENT_BYTES];
};

/* SELECT * or t.* */
#define PA_DIGEST_F_SELECT_STAR (1u << 0)
/* LIMIT a, b or OFFSET present */
#define PA_DIGEST_F_OFFSET (1u << 1)
/*
  Literal offset known and >= PA_DIGEST_DEEP_OFFSET_ROWS (raw SQL only:
  digests hide it)
*/
#define PA_DIGEST_F_DEEP_OFFSET (1u << 2)
/* IN ( SELECT ... */
#define PA_DIGEST_F_IN_SUBQUERY (1u << 3)
/* ORDER BY RAND() */
#define PA_DIGEST_F_ORDER_BY_RAND (1u << 4)
/*
  INSERT/REPLACE with exactly one row: "VALUES (?)", "VALUES (...)",
  raw "VALUES (1, 2)", and INSERT ... SET.  Digests print several rows as
  "VALUES (...) / * , ... * /", which does not set it.
*/
#define PA_DIGEST_F_SINGLE_ROW_INSERT (1u << 5)
/*
  The text ended mid-statement ("..." glued to the end, unterminated quote,
  comment or parenthesis, trailing operator or keyword), or an array or
  nesting limit was hit, or an identifier was cut: the analysis may be
  incomplete.
*/
#define PA_DIGEST_F_TRUNCATED (1u << 6)
/* some column has PA_USE_LIKE_LEADING_WILDCARD */
#define PA_DIGEST_F_LEADING_WILDCARD (1u << 7)
/* some column has PA_USE_FUNC */
#define PA_DIGEST_F_FUNC_ON_COLUMN (1u << 8)
/* any nested SELECT: subquery, derived table, EXISTS, IN (SELECT ...) */
#define PA_DIGEST_F_SUBQUERY (1u << 9)
/*
  Some index hint present: USE / FORCE / IGNORE followed by INDEX or KEY,
  including USE INDEX () and hints not reported in hints[] (see the
  limitations above)
*/
#define PA_DIGEST_F_INDEX_HINT (1u << 10)

/* LIMIT in some query block (the sort a LIMIT cuts short can stop early
   when an index gives the order) */
#define PA_DIGEST_F_LIMIT (1u << 11)

/*
  Analyse one statement into scratch; the analysis is scratch->an.

  text: len bytes, need not be NUL-terminated, may hold any bytes (NUL
  included); only text[0 .. len - 1] is read.  Units: bytes.
  scratch: caller-owned; scratch->an is fully overwritten (zeroed first,
  its arrays pointed at the scratch's), keeps no pointer into text; array
  entries past the counts are left as they were.  Reentrant: no global
  state.  Cost: time linear in len; no allocation.

  For a statement that is not SELECT/INSERT/REPLACE/UPDATE/DELETE (optionally
  after WITH or leading parentheses) only kind = PA_STMT_OTHER is reported.

  Returns 0 on success, -1 when text or scratch is NULL (scratch
  untouched).  Never fails on content.
*/
int pa_digest_analyze(const char *text, size_t len,
                      struct pa_digest_scratch *scratch);

/*
  Bytes pa_digest_analysis_copy() takes for an: the struct (56 bytes on
  LP64), exactly n_tables, n_columns, n_hints entries (24, 32 and 24
  bytes each) with the padding their alignment needs, and each
  identifier's bytes and NUL.  Counts below 0 count as 0; 0 when an is
  NULL or a count is above its PA_DIGEST_MAX_* (no copy is made).  Cost:
  one strlen per identifier.
*/
size_t pa_digest_analysis_size(const struct pa_digest_analysis *an);

/*
  A compact copy of an, valid however it was made (a scratch's or another
  copy): the same scalars and counts, the same entries and identifiers,
  in one block of pa_digest_analysis_size(an) bytes from a (one call),
  which owns it: it goes when a's memory does.  The copy points into
  nothing of an, so the scratch can be reused at once;
  pa_digest_resolve_unqualified() may be applied to it.  An empty array's
  pointer is valid but may not be read.  Returns NULL when an or a is
  NULL, a count is above its PA_DIGEST_MAX_*, or a fails.
*/
struct pa_digest_analysis *
pa_digest_analysis_copy(const struct pa_digest_analysis *an,
                        const struct pa_alloc *a);

/*
  Index of the first table whose name equals name byte for byte (MariaDB on
  Linux compares table names case-sensitively) and whose schema matches,
  else of the first table whose alias equals name ignoring ASCII case;
  -1 if none or if a or name is NULL.

  schema: NULL or "" matches any schema; a table recorded without a schema
  (unqualified in the text, so in the statement's default schema) matches
  any schema too.
*/
int pa_digest_find_table(const struct pa_digest_analysis *a,
                         const char *schema, const char *name);

/*
  Resolve the unqualified columns of a statement of several tables, which
  pa_digest_analyze() leaves at table -1, from what the caller knows of
  the tables' definitions (e.g. TPC-H's comma joins:
  "FROM customer, orders WHERE c_custkey = o_custkey").

  has_column(ctx, k, name) answers for tables[k]: 1 it has a column of
  that name, 0 it has none, -1 unknown (no definition: a CTE or derived
  table name, a table that is gone or cannot be read).  MariaDB rejects
  a column that two tables of one query block could own ("ambiguous"), so
  the one table that has it is the one the statement read it from; but the
  analysis is statement-wide (query blocks and CTEs are not told apart),
  so a column is given a table only when
    - every table answered 0 or 1 (an unknown may own it), and
    - exactly one table has it (entries of one table under several aliases
      count once, and the column goes to the first of them: a self-join's
      unqualified column is ambiguous in SQL anyway), and
    - the analysis is complete (PA_DIGEST_F_TRUNCATED not set: a table
      past PA_DIGEST_MAX_TABLES may own it).
  Names compare as has_column compares them (MariaDB: column names
  ignore case).  Qualified columns, and every column of a one-table
  statement, are left as they are.

  has_column is called at most once per (column, table entry); the caller
  caches definitions.  Returns the number of columns resolved, or -1 when
  a or has_column is NULL.
*/
int pa_digest_resolve_unqualified(struct pa_digest_analysis *a,
                                  int (*has_column)(void *ctx, int table,
                                                    const char *name),
                                  void *ctx);

/*
  Whether use is a condition an index prefix could rely on (EQ, IN, RANGE,
  JOIN, LIKE_UNKNOWN): the uses that can be in_or.  1 or 0.
*/
int pa_digest_use_narrows(enum pa_col_use use);

#endif
