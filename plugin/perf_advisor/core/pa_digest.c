/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: statement digest analysis.

  A streaming tokenizer feeds a shallow parser through a small look-ahead
  ring, so memory is fixed (no malloc) whatever the input length.  The parser
  keeps a stack of parenthesis frames; each query block (the statement, a
  subquery, a derived table) owns a clause state (SELECT list, FROM, WHERE,
  ...), and function / list / skipped frames only borrow it.  Every loop
  either consumes input or stops at the end, and every index is checked, so
  arbitrary bytes are safe (this file is fuzzed by fuzz/fuzz_digest.c).

  Identifier qualifiers (t in t.col) are kept as spans into the text and
  resolved once all tables are known, because a column may be seen before
  the FROM that defines its table (correlated or derived subqueries).
*/
#include "pa_digest.h"
#include "pa_text.h"

#include <string.h>

/* Nesting deeper than this is skipped and flagged TRUNCATED. */
#define PA_DIGEST_MAX_DEPTH 32
/* Look-ahead ring; the parser peeks at most 8 tokens ahead. */
#define PA_DIGEST_RING 16
#define PA_DIGEST_MAX_CTES 8
#define PA_DIGEST_MAX_ALIASES 32

/* ---------------------------------------------------------------- tokens */

enum pa_tk
{
  TK_EOF,
  TK_WORD,   /* bare word: keyword or unquoted identifier */
  TK_QIDENT, /* `quoted identifier` */
  TK_STRING, /* 'string' or "string", with optional introducer */
  TK_NUMBER,
  TK_PARAM,    /* ? */
  TK_VAR,      /* @user_var, @@system_var */
  TK_ELLIPSIS, /* ... of "?, ..." and "(...)", or a truncation mark */
  TK_MULTIROW, /* the digest comment / * , ... * / after a VALUES row */
  TK_LPAREN,
  TK_RPAREN,
  TK_COMMA,
  TK_DOT,
  TK_SEMI,
  TK_STAR,  /* SELECT * or multiplication, decided by context */
  TK_CMP,   /* sub: enum pa_cmp */
  TK_ARITH, /* arithmetic, bit and JSON operators */
  TK_OTHER  /* sub: 1 for logical operators that need a right operand */
};

enum pa_cmp
{
  CMP_EQ,
  CMP_NSEQ,
  CMP_LT,
  CMP_LE,
  CMP_GT,
  CMP_GE,
  CMP_NE
};

/* Keyword ids; only words the parser reacts to are listed. */
enum pa_kw
{
  KW_NONE,
  KW_SELECT,
  KW_FROM,
  KW_WHERE,
  KW_JOIN,
  KW_INNER,
  KW_LEFT,
  KW_RIGHT,
  KW_OUTER,
  KW_CROSS,
  KW_NATURAL,
  KW_STRAIGHT_JOIN,
  KW_ON,
  KW_USING,
  KW_AS,
  KW_GROUP,
  KW_ORDER,
  KW_BY,
  KW_HAVING,
  KW_LIMIT,
  KW_OFFSET,
  KW_UNION,
  KW_INTERSECT,
  KW_EXCEPT,
  KW_ALL,
  KW_DISTINCT,
  KW_AND,
  KW_OR,
  KW_NOT,
  KW_XOR,
  KW_IN,
  KW_IS,
  KW_LIKE,
  KW_BETWEEN,
  KW_EXISTS,
  KW_ANY,
  KW_INTO,
  KW_VALUES,
  KW_VALUE,
  KW_SET,
  KW_UPDATE,
  KW_DELETE,
  KW_INSERT,
  KW_REPLACE,
  KW_USE,
  KW_FORCE,
  KW_IGNORE,
  KW_INDEX,
  KW_KEY,
  KW_FOR,
  KW_LOCK,
  KW_WINDOW,
  KW_PARTITION,
  KW_PROCEDURE,
  KW_RETURNING,
  KW_FETCH,
  KW_WITH,
  KW_RECURSIVE,
  KW_ASC,
  KW_DESC,
  KW_MODIFIER,
  KW_DUAL,
  KW_CASE,
  KW_WHEN,
  KW_THEN,
  KW_ELSE,
  KW_END,
  KW_DIV,
  KW_MOD,
  KW_REGEXP,
  KW_SOUNDS,
  KW_COLLATE,
  KW_BINARY,
  KW_INTERVAL,
  KW_OVER,
  KW_NULL,
  KW_CONST,
  KW_MATCH,
  KW_AGAINST,
  KW_DUPLICATE,
  KW_RAND,
  KW_AGG,
  KW_UNIT
};

/* Keyword properties. */
#define KF_SOFT 1u   /* also a valid column / alias name: kept as one */
#define KF_NOFUNC 2u /* "(" after it is not a function call */
#define KF_VALUE 4u  /* a constant: NULL, TRUE, CURRENT_DATE, ... */
#define KF_CONT 8u   /* cannot end a statement: text was cut after it */
#define KF_UNIT 16u  /* interval unit / TRIM spec inside a function */
#define KF_OR 32u    /* OR, XOR and ||: a disjunction (set on || too) */

struct pa_tok
{
  enum pa_tk type;
  int sub;           /* enum pa_cmp, enum pa_kw, or TK_OTHER detail */
  unsigned kwf;      /* KF_* of a keyword */
  size_t off, len;   /* the whole token */
  size_t coff, clen; /* identifier or string body, quotes excluded */
  char quote;        /* quote of the body: '`', '\'', '"' or 0 */
  int num_ok;        /* num holds the value of a plain integer */
  uint64_t num;
  unsigned long seq; /* position in the token stream, from 1 */
};

struct pa_lex
{
  const unsigned char *s;
  size_t len;
  size_t pos;
  int in_exec; /* inside / *! ... * /: its body is SQL */
  int done;
  enum pa_tk last; /* previous token type: "." after a name is a dot */
  unsigned long seq;
  unsigned *flags;
};

static int pa_is_space(unsigned char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

static int pa_is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/*
  Bytes >= 0x80 are identifier bytes so UTF-8 names stay one word; the C
  library's ctype is not used because it depends on the locale.
*/
static int pa_is_ident(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || pa_is_digit(c) ||
         c == '_' || c == '$' || c >= 0x80;
}

/* Case-insensitive match of a counted word against a NUL-ended keyword. */
static int pa_word_is(const unsigned char *w, size_t n, const char *kw)
{
  size_t i;
  for (i= 0; i < n; i++)
    if (kw[i] == '\0' ||
        pa_ascii_lower(w[i]) != pa_ascii_lower((unsigned char) kw[i]))
      return 0;
  return kw[n] == '\0';
}

static void pa_keyword(const unsigned char *w, size_t n, int *id,
                       unsigned *flags)
{
  /* Function scope keeps the table out of the global namespace. */
  static const struct
  {
    const char *name;
    enum pa_kw id;
    unsigned flags;
  } kws[]= {
      {"SELECT", KW_SELECT, KF_NOFUNC | KF_CONT},
      {"FROM", KW_FROM, KF_NOFUNC | KF_CONT},
      {"WHERE", KW_WHERE, KF_NOFUNC | KF_CONT},
      {"JOIN", KW_JOIN, KF_NOFUNC | KF_CONT},
      {"INNER", KW_INNER, KF_NOFUNC | KF_CONT},
      {"LEFT", KW_LEFT, KF_CONT},
      {"RIGHT", KW_RIGHT, KF_CONT},
      {"OUTER", KW_OUTER, KF_NOFUNC | KF_CONT},
      {"CROSS", KW_CROSS, KF_NOFUNC | KF_CONT},
      {"NATURAL", KW_NATURAL, KF_NOFUNC | KF_CONT},
      {"STRAIGHT_JOIN", KW_STRAIGHT_JOIN, KF_NOFUNC | KF_CONT},
      {"ON", KW_ON, KF_NOFUNC | KF_CONT},
      {"USING", KW_USING, KF_NOFUNC | KF_CONT},
      {"AS", KW_AS, KF_NOFUNC | KF_CONT},
      {"GROUP", KW_GROUP, KF_NOFUNC | KF_CONT},
      {"ORDER", KW_ORDER, KF_NOFUNC | KF_CONT},
      {"BY", KW_BY, KF_NOFUNC | KF_CONT},
      {"HAVING", KW_HAVING, KF_NOFUNC | KF_CONT},
      {"LIMIT", KW_LIMIT, KF_NOFUNC | KF_CONT},
      {"OFFSET", KW_OFFSET, KF_SOFT | KF_CONT},
      {"UNION", KW_UNION, KF_NOFUNC | KF_CONT},
      {"INTERSECT", KW_INTERSECT, KF_NOFUNC | KF_CONT},
      {"EXCEPT", KW_EXCEPT, KF_NOFUNC | KF_CONT},
      {"ALL", KW_ALL, KF_NOFUNC | KF_CONT},
      {"DISTINCT", KW_DISTINCT, KF_NOFUNC | KF_CONT},
      {"DISTINCTROW", KW_DISTINCT, KF_NOFUNC | KF_CONT},
      {"AND", KW_AND, KF_NOFUNC | KF_CONT},
      {"OR", KW_OR, KF_NOFUNC | KF_CONT | KF_OR},
      {"NOT", KW_NOT, KF_NOFUNC | KF_CONT},
      {"XOR", KW_XOR, KF_NOFUNC | KF_CONT | KF_OR},
      {"IN", KW_IN, KF_NOFUNC | KF_CONT},
      {"IS", KW_IS, KF_NOFUNC | KF_CONT},
      {"LIKE", KW_LIKE, KF_NOFUNC | KF_CONT},
      {"BETWEEN", KW_BETWEEN, KF_NOFUNC | KF_CONT},
      {"EXISTS", KW_EXISTS, KF_NOFUNC | KF_CONT},
      {"ANY", KW_ANY, KF_NOFUNC | KF_CONT},
      {"SOME", KW_ANY, KF_NOFUNC | KF_CONT},
      {"INTO", KW_INTO, KF_NOFUNC | KF_CONT},
      {"VALUES", KW_VALUES, KF_CONT},
      {"VALUE", KW_VALUE, KF_SOFT},
      {"SET", KW_SET, KF_NOFUNC | KF_CONT},
      {"UPDATE", KW_UPDATE, KF_NOFUNC | KF_CONT},
      {"DELETE", KW_DELETE, KF_NOFUNC | KF_CONT},
      {"INSERT", KW_INSERT, KF_CONT},
      {"REPLACE", KW_REPLACE, KF_CONT},
      {"USE", KW_USE, KF_NOFUNC | KF_CONT},
      {"FORCE", KW_FORCE, KF_NOFUNC | KF_CONT},
      {"IGNORE", KW_IGNORE, KF_NOFUNC | KF_CONT},
      {"INDEX", KW_INDEX, KF_NOFUNC | KF_CONT},
      {"KEY", KW_KEY, KF_NOFUNC | KF_CONT},
      {"FOR", KW_FOR, KF_NOFUNC | KF_CONT},
      {"LOCK", KW_LOCK, KF_NOFUNC | KF_CONT},
      {"WINDOW", KW_WINDOW, KF_NOFUNC | KF_CONT},
      {"PARTITION", KW_PARTITION, KF_NOFUNC | KF_CONT},
      {"PROCEDURE", KW_PROCEDURE, KF_NOFUNC | KF_CONT},
      {"RETURNING", KW_RETURNING, KF_NOFUNC | KF_CONT},
      {"FETCH", KW_FETCH, KF_NOFUNC | KF_CONT},
      {"WITH", KW_WITH, KF_NOFUNC | KF_CONT},
      {"RECURSIVE", KW_RECURSIVE, KF_SOFT | KF_CONT},
      {"ASC", KW_ASC, KF_NOFUNC},
      {"DESC", KW_DESC, KF_NOFUNC},
      {"LOW_PRIORITY", KW_MODIFIER, KF_NOFUNC | KF_CONT},
      {"HIGH_PRIORITY", KW_MODIFIER, KF_NOFUNC | KF_CONT},
      {"DELAYED", KW_MODIFIER, KF_NOFUNC | KF_CONT},
      {"SQL_CALC_FOUND_ROWS", KW_MODIFIER, KF_NOFUNC | KF_CONT},
      {"SQL_NO_CACHE", KW_MODIFIER, KF_NOFUNC | KF_CONT},
      {"SQL_CACHE", KW_MODIFIER, KF_NOFUNC | KF_CONT},
      {"SQL_SMALL_RESULT", KW_MODIFIER, KF_NOFUNC | KF_CONT},
      {"SQL_BIG_RESULT", KW_MODIFIER, KF_NOFUNC | KF_CONT},
      {"SQL_BUFFER_RESULT", KW_MODIFIER, KF_NOFUNC | KF_CONT},
      {"DUAL", KW_DUAL, KF_NOFUNC},
      {"CASE", KW_CASE, KF_NOFUNC | KF_CONT},
      {"WHEN", KW_WHEN, KF_NOFUNC | KF_CONT},
      {"THEN", KW_THEN, KF_NOFUNC | KF_CONT},
      {"ELSE", KW_ELSE, KF_NOFUNC | KF_CONT},
      {"END", KW_END, KF_NOFUNC},
      {"DIV", KW_DIV, KF_NOFUNC | KF_CONT},
      {"MOD", KW_MOD, KF_CONT},
      {"REGEXP", KW_REGEXP, KF_NOFUNC | KF_CONT},
      {"RLIKE", KW_REGEXP, KF_NOFUNC | KF_CONT},
      {"SOUNDS", KW_SOUNDS, KF_NOFUNC | KF_CONT},
      {"COLLATE", KW_COLLATE, KF_NOFUNC | KF_CONT},
      {"BINARY", KW_BINARY, KF_NOFUNC | KF_CONT},
      {"INTERVAL", KW_INTERVAL, KF_CONT},
      {"OVER", KW_OVER, KF_NOFUNC | KF_CONT},
      {"NULL", KW_NULL, KF_NOFUNC | KF_VALUE},
      {"TRUE", KW_CONST, KF_NOFUNC | KF_VALUE},
      {"FALSE", KW_CONST, KF_NOFUNC | KF_VALUE},
      {"DEFAULT", KW_CONST, KF_VALUE},
      {"CURRENT_DATE", KW_CONST, KF_VALUE},
      {"CURRENT_TIME", KW_CONST, KF_VALUE},
      {"CURRENT_TIMESTAMP", KW_CONST, KF_VALUE},
      {"CURRENT_USER", KW_CONST, KF_VALUE},
      {"LOCALTIME", KW_CONST, KF_VALUE},
      {"LOCALTIMESTAMP", KW_CONST, KF_VALUE},
      {"UTC_DATE", KW_CONST, KF_VALUE},
      {"UTC_TIME", KW_CONST, KF_VALUE},
      {"UTC_TIMESTAMP", KW_CONST, KF_VALUE},
      {"MATCH", KW_MATCH, 0},
      {"AGAINST", KW_AGAINST, KF_SOFT},
      {"DUPLICATE", KW_DUPLICATE, KF_SOFT},
      {"RAND", KW_RAND, KF_SOFT},
      {"COUNT", KW_AGG, KF_SOFT},
      {"SUM", KW_AGG, KF_SOFT},
      {"AVG", KW_AGG, KF_SOFT},
      {"MIN", KW_AGG, KF_SOFT},
      {"MAX", KW_AGG, KF_SOFT},
      {"GROUP_CONCAT", KW_AGG, KF_SOFT},
      {"BIT_AND", KW_AGG, KF_SOFT},
      {"BIT_OR", KW_AGG, KF_SOFT},
      {"BIT_XOR", KW_AGG, KF_SOFT},
      {"STD", KW_AGG, KF_SOFT},
      {"STDDEV", KW_AGG, KF_SOFT},
      {"STDDEV_POP", KW_AGG, KF_SOFT},
      {"STDDEV_SAMP", KW_AGG, KF_SOFT},
      {"VARIANCE", KW_AGG, KF_SOFT},
      {"VAR_POP", KW_AGG, KF_SOFT},
      {"VAR_SAMP", KW_AGG, KF_SOFT},
      {"JSON_ARRAYAGG", KW_AGG, KF_SOFT},
      {"JSON_OBJECTAGG", KW_AGG, KF_SOFT},
      {"MICROSECOND", KW_UNIT, KF_SOFT | KF_UNIT},
      {"SECOND", KW_UNIT, KF_SOFT | KF_UNIT},
      {"MINUTE", KW_UNIT, KF_SOFT | KF_UNIT},
      {"HOUR", KW_UNIT, KF_SOFT | KF_UNIT},
      {"DAY", KW_UNIT, KF_SOFT | KF_UNIT},
      {"WEEK", KW_UNIT, KF_SOFT | KF_UNIT},
      {"MONTH", KW_UNIT, KF_SOFT | KF_UNIT},
      {"QUARTER", KW_UNIT, KF_SOFT | KF_UNIT},
      {"YEAR", KW_UNIT, KF_SOFT | KF_UNIT},
      {"SECOND_MICROSECOND", KW_UNIT, KF_SOFT | KF_UNIT},
      {"MINUTE_MICROSECOND", KW_UNIT, KF_SOFT | KF_UNIT},
      {"MINUTE_SECOND", KW_UNIT, KF_SOFT | KF_UNIT},
      {"HOUR_MICROSECOND", KW_UNIT, KF_SOFT | KF_UNIT},
      {"HOUR_SECOND", KW_UNIT, KF_SOFT | KF_UNIT},
      {"HOUR_MINUTE", KW_UNIT, KF_SOFT | KF_UNIT},
      {"DAY_MICROSECOND", KW_UNIT, KF_SOFT | KF_UNIT},
      {"DAY_SECOND", KW_UNIT, KF_SOFT | KF_UNIT},
      {"DAY_MINUTE", KW_UNIT, KF_SOFT | KF_UNIT},
      {"DAY_HOUR", KW_UNIT, KF_SOFT | KF_UNIT},
      {"YEAR_MONTH", KW_UNIT, KF_SOFT | KF_UNIT},
      {"LEADING", KW_UNIT, KF_UNIT},
      {"TRAILING", KW_UNIT, KF_UNIT},
      {"BOTH", KW_UNIT, KF_UNIT},
  };
  size_t i;

  *id= KW_NONE;
  *flags= 0;
  if (n == 0 || n > 20)
    return;
  for (i= 0; i < sizeof(kws) / sizeof(kws[0]); i++)
  {
    if (pa_word_is(w, n, kws[i].name))
    {
      *id= (int) kws[i].id;
      *flags= kws[i].flags;
      return;
    }
  }
}

/*
  Scan a quoted body starting after the opening quote at s[i - 1].  Returns
  the index just past the closing quote, or 0 when the text ends first.
  Backticks only escape by doubling; strings also honour backslash
  (the default sql_mode, without NO_BACKSLASH_ESCAPES).
*/
static size_t pa_scan_quoted(const unsigned char *s, size_t n, size_t i,
                             unsigned char q)
{
  while (i < n)
  {
    if (s[i] == '\\' && q != '`')
    {
      i+= 2;
      continue;
    }
    if (s[i] == q)
    {
      if (i + 1 < n && s[i + 1] == q)
      {
        i+= 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return 0;
}

/* Body of a comment is ", ..." give or take blanks: the digest row mark. */
static int pa_is_multirow_comment(const unsigned char *s, size_t b, size_t e)
{
  while (b < e && pa_is_space(s[b]))
    b++;
  while (e > b && pa_is_space(s[e - 1]))
    e--;
  return e - b == 5 && memcmp(s + b, ", ...", 5) == 0;
}

static void pa_lex_number(struct pa_lex *lx, struct pa_tok *t, size_t i)
{
  const unsigned char *s= lx->s;
  size_t n= lx->len, j= i;
  uint64_t v= 0;
  int ok= 1, frac= 0;

  while (j < n && pa_is_digit(s[j]))
  {
    unsigned d= (unsigned) (s[j] - '0');
    /* Saturate: a huge offset is still deep, and overflow is UB-free. */
    if (v > (UINT64_MAX - d) / 10)
      v= UINT64_MAX;
    else
      v= v * 10 + d;
    j++;
  }
  if (j < n && s[j] == '.' && !(j + 1 < n && s[j + 1] == '.'))
  {
    ok= 0;
    frac= 1;
    j++;
    while (j < n && pa_is_digit(s[j]))
      j++;
  }
  if (j < n && (s[j] == 'e' || s[j] == 'E') &&
      ((j + 1 < n && pa_is_digit(s[j + 1])) ||
       (j + 2 < n && (s[j + 1] == '+' || s[j + 1] == '-') &&
        pa_is_digit(s[j + 2]))))
  {
    ok= 0;
    j+= 2;
    while (j < n && pa_is_digit(s[j]))
      j++;
  }
  t->type= TK_NUMBER;
  /* MariaDB names may start with digits: 2020_orders is an identifier. */
  if (!frac && s[i] != '.' && j < n && pa_is_ident(s[j]))
  {
    while (j < n && pa_is_ident(s[j]))
      j++;
    ok= 0;
    if (!(j - i > 2 && s[i] == '0' &&
          (s[i + 1] == 'x' || s[i + 1] == 'X' || s[i + 1] == 'b' ||
           s[i + 1] == 'B')))
      t->type= TK_WORD;
  }
  t->num_ok= ok;
  t->num= v;
  t->coff= i;
  t->clen= j - i;
  lx->pos= j;
}

/* Produce the next token; at the end (or on a cut quote) only TK_EOF. */
static void pa_lex_token(struct pa_lex *lx, struct pa_tok *t)
{
  const unsigned char *s= lx->s;
  size_t n= lx->len, i= 0, j;
  unsigned char c;

  memset(t, 0, sizeof(*t));
  t->seq= ++lx->seq;
  for (;;)
  {
    if (lx->done)
    {
      t->type= TK_EOF;
      t->off= n;
      return;
    }
    i= lx->pos;
    if (i >= n)
    {
      lx->done= 1;
      continue;
    }
    c= s[i];
    if (pa_is_space(c))
    {
      lx->pos++;
      continue;
    }
    if (c == '#' || (c == '-' && i + 1 < n && s[i + 1] == '-' &&
                     (i + 2 >= n || pa_is_space(s[i + 2]) || s[i + 2] < 0x20)))
    {
      while (lx->pos < n && s[lx->pos] != '\n')
        lx->pos++;
      continue;
    }
    if (c == '/' && i + 1 < n && s[i + 1] == '*')
    {
      size_t k= 0;
      /* Executable comments hold SQL the server runs: read their body. */
      if (i + 2 < n && s[i + 2] == '!')
        k= i + 3;
      else if (i + 3 < n && (s[i + 2] == 'M' || s[i + 2] == 'm') &&
               s[i + 3] == '!')
        k= i + 4;
      if (k)
      {
        size_t d= 0;
        while (k < n && d < 6 && pa_is_digit(s[k]))
        {
          k++;
          d++;
        }
        lx->pos= k;
        lx->in_exec= 1;
        continue;
      }
      for (j= i + 2; j + 1 < n; j++)
        if (s[j] == '*' && s[j + 1] == '/')
          break;
      if (j + 1 >= n)
      {
        *lx->flags|= PA_DIGEST_F_TRUNCATED;
        lx->done= 1;
        continue;
      }
      lx->pos= j + 2;
      if (pa_is_multirow_comment(s, i + 2, j))
      {
        t->type= TK_MULTIROW;
        t->off= i;
        t->len= j + 2 - i;
        lx->last= t->type;
        return;
      }
      continue;
    }
    if (c == '*' && lx->in_exec && i + 1 < n && s[i + 1] == '/')
    {
      lx->in_exec= 0;
      lx->pos+= 2;
      continue;
    }
    break;
  }

  t->off= i;
  lx->pos= i + 1;
  switch (c)
  {
  case '`':
  case '\'':
  case '"':
    j= pa_scan_quoted(s, n, i + 1, c);
    if (!j)
    {
      /* A cut name or string is not used: it would be a wrong name. */
      *lx->flags|= PA_DIGEST_F_TRUNCATED;
      lx->done= 1;
      t->type= TK_EOF;
      t->off= n;
      return;
    }
    t->type= c == '`' ? TK_QIDENT : TK_STRING;
    t->quote= (char) c;
    t->coff= i + 1;
    t->clen= j - 1 - (i + 1);
    lx->pos= j;
    break;
  case '?':
    t->type= TK_PARAM;
    break;
  case '@':
    j= i + 1;
    if (j < n && s[j] == '@')
      j++;
    if (j < n && (s[j] == '`' || s[j] == '\'' || s[j] == '"'))
    {
      size_t e= pa_scan_quoted(s, n, j + 1, s[j]);
      if (!e)
      {
        *lx->flags|= PA_DIGEST_F_TRUNCATED;
        lx->done= 1;
        t->type= TK_EOF;
        t->off= n;
        return;
      }
      j= e;
    }
    else
      while (j < n && (pa_is_ident(s[j]) || s[j] == '.'))
        j++;
    t->type= TK_VAR;
    lx->pos= j;
    break;
  case '(':
    t->type= TK_LPAREN;
    break;
  case ')':
    t->type= TK_RPAREN;
    break;
  case ',':
    t->type= TK_COMMA;
    break;
  case ';':
    t->type= TK_SEMI;
    break;
  case '.':
    if (i + 2 < n && s[i + 1] == '.' && s[i + 2] == '.')
    {
      t->type= TK_ELLIPSIS;
      lx->pos= i + 3;
    }
    else if (i + 1 < n && pa_is_digit(s[i + 1]) && lx->last != TK_WORD &&
             lx->last != TK_QIDENT)
      pa_lex_number(lx, t, i);
    else
      t->type= TK_DOT;
    break;
  case '*':
    t->type= TK_STAR;
    break;
  case '=':
    t->type= TK_CMP;
    t->sub= CMP_EQ;
    break;
  case '<':
    t->type= TK_CMP;
    t->sub= CMP_LT;
    if (i + 2 < n && s[i + 1] == '=' && s[i + 2] == '>')
    {
      t->sub= CMP_NSEQ;
      lx->pos= i + 3;
    }
    else if (i + 1 < n && s[i + 1] == '=')
    {
      t->sub= CMP_LE;
      lx->pos= i + 2;
    }
    else if (i + 1 < n && s[i + 1] == '>')
    {
      t->sub= CMP_NE;
      lx->pos= i + 2;
    }
    else if (i + 1 < n && s[i + 1] == '<')
    {
      t->type= TK_ARITH;
      lx->pos= i + 2;
    }
    break;
  case '>':
    t->type= TK_CMP;
    t->sub= CMP_GT;
    if (i + 1 < n && s[i + 1] == '=')
    {
      t->sub= CMP_GE;
      lx->pos= i + 2;
    }
    else if (i + 1 < n && s[i + 1] == '>')
    {
      t->type= TK_ARITH;
      lx->pos= i + 2;
    }
    break;
  case '!':
    if (i + 1 < n && s[i + 1] == '=')
    {
      t->type= TK_CMP;
      t->sub= CMP_NE;
      lx->pos= i + 2;
    }
    else
    {
      t->type= TK_OTHER;
      t->sub= 1;
    }
    break;
  case '-':
    t->type= TK_ARITH;
    if (i + 1 < n && s[i + 1] == '>')
      lx->pos= (i + 2 < n && s[i + 2] == '>') ? i + 3 : i + 2;
    break;
  case '|':
  case '&':
    t->type= TK_ARITH;
    if (i + 1 < n && s[i + 1] == c)
    {
      t->type= TK_OTHER; /* || and && are OR / AND */
      t->sub= 1;
      if (c == '|')
        t->kwf= KF_OR;
      lx->pos= i + 2;
    }
    break;
  case '+':
  case '/':
  case '%':
  case '^':
  case '~':
    t->type= TK_ARITH;
    break;
  case ':':
    t->type= TK_OTHER;
    if (i + 1 < n && s[i + 1] == '=')
    {
      t->sub= 1;
      lx->pos= i + 2;
    }
    break;
  default:
    if (pa_is_digit(c))
    {
      pa_lex_number(lx, t, i);
      break;
    }
    if (!pa_is_ident(c))
    {
      t->type= TK_OTHER;
      break;
    }
    j= i;
    while (j < n && pa_is_ident(s[j]))
      j++;
    {
      /* Introducers: N'x', X'4A', B'01', _utf8mb4'x' are string values. */
      size_t k= j;
      if (c == '_')
        while (k < n && pa_is_space(s[k]))
          k++;
      if (k < n && s[k] == '\'' &&
          (c == '_' || (j - i == 1 && (c == 'n' || c == 'N' || c == 'x' ||
                                       c == 'X' || c == 'b' || c == 'B'))))
      {
        size_t e= pa_scan_quoted(s, n, k + 1, '\'');
        if (!e)
        {
          *lx->flags|= PA_DIGEST_F_TRUNCATED;
          lx->done= 1;
          t->type= TK_EOF;
          t->off= n;
          return;
        }
        t->type= TK_STRING;
        t->quote= '\'';
        t->coff= k + 1;
        t->clen= e - 1 - (k + 1);
        lx->pos= e;
        break;
      }
    }
    t->type= TK_WORD;
    t->coff= i;
    t->clen= j - i;
    pa_keyword(s + i, j - i, &t->sub, &t->kwf);
    lx->pos= j;
    break;
  }
  t->len= lx->pos - i;
  lx->last= t->type;
}

/* ---------------------------------------------------------------- parser */

enum pa_frame_type
{
  FR_TOP,   /* the statement's query block */
  FR_QUERY, /* ( SELECT ... ): subquery, derived table, CTE body */
  FR_GROUP, /* plain parentheses, VALUES row, nested join */
  FR_FUNC,  /* function arguments */
  FR_LIST,  /* IN ( ... ) value list */
  FR_USING, /* JOIN ... USING ( ... ) */
  FR_HINT,  /* index hint list: names are recorded, the rest ignored */
  FR_SKIP   /* PARTITION, OVER, column lists: ignored */
};

enum pa_clause
{
  CL_NONE,
  CL_CTE,
  CL_SELECT,
  CL_FROM,
  CL_ON,
  CL_WHERE,
  CL_HAVING,
  CL_GROUP,
  CL_ORDER,
  CL_LIMIT,
  CL_SET,
  CL_INS_TARGET, /* INSERT [INTO] before the table name */
  CL_INS_AFTER,  /* after the table: column list, VALUES, SELECT, SET */
  CL_VALUES,
  CL_DEL_TARGETS, /* DELETE t1, t2 FROM ...: names before FROM */
  CL_OTHER
};

enum pa_tbl_state
{
  TS_EXPECT,       /* a table reference comes next */
  TS_AFTER_TABLE,  /* after a table and its alias */
  TS_AFTER_DERIVED /* after ( SELECT ... ): an alias may follow */
};

struct pa_frame
{
  enum pa_frame_type type;
  int block;      /* index of the query block frame this belongs to */
  int in_func;    /* inside some function's arguments */
  int no_record;  /* inside an aggregate or MATCH ... AGAINST */
  int type_mode;  /* after AS / USING in CAST / CONVERT: words are types */
  int from_group; /* nested-join parentheses opened in FROM */
  int nest;       /* FR_SKIP, FR_HINT: parentheses opened inside */
  /* FR_HINT */
  enum pa_hint_kind hint_kind;
  int hint_item; /* the next token starts a list item */
  /* FR_LIST, FR_USING */
  int in_col; /* column to turn into EQ if the list has one value */
  int list_commas;
  int list_nonempty;
  int list_many; /* saw "..." */
  /* query block state (FR_TOP, FR_QUERY) */
  enum pa_clause clause;
  enum pa_tbl_state tbl_state;
  int item_index; /* ORDER / GROUP BY item */
  int item_start; /* next token starts an ORDER / GROUP BY item */
  int ordinal;    /* columns reported in the current WHERE / ON / HAVING */
  int last_table; /* index of the latest table reference, -1 if none */
  /*
    Table an index hint here applies to: the latest FROM item if it is a
    recorded table, else -1.  FR_HINT: the table of its list.
  */
  int hint_table;
  int joins_at_from;
  int values_rows;
  int limit_vals;
  int limit_first_ok;
  uint64_t limit_first;
  int offset_next; /* the next value is an OFFSET */
  int skip_next_paren;
  /*
    The condition scope of this frame: columns from cond_first on were
    recorded in it (its parentheses, or its block's latest WHERE / ON /
    HAVING); cond_or: an OR joined something at this level.
  */
  int cond_first;
  int cond_or;
};

struct pa_span
{
  size_t off, len;
  char quote;
  int present;
};

struct pa_colq
{
  struct pa_span schema, table;
  int pre;   /* table index fixed at parse time (USING), or -2 */
  int block; /* frame index of the query block it was read in */
};

struct pa_colref
{
  struct pa_span part[3];
  int n;
  int star;
  int is_func;
};

struct pa_parser
{
  struct pa_lex lx;
  struct pa_tok ring[PA_DIGEST_RING];
  unsigned head, count;
  struct pa_tok prev, last; /* the two latest consumed tokens */
  struct pa_frame fr[PA_DIGEST_MAX_DEPTH];
  int depth;
  int skip_depth; /* parentheses open beyond PA_DIGEST_MAX_DEPTH */
  int kind_set, cte, stop, semi;
  unsigned long join_rhs_seq; /* token that starts the other JOIN column */
  unsigned long in_paren_seq; /* "(" of the IN list for in_col */
  int in_col;
  unsigned long hint_paren_seq; /* "(" of an index hint list */
  enum pa_hint_kind hint_kind;  /* ... its kind */
  int hint_table;               /* ... and table, or -1 */
  struct pa_span ctes[PA_DIGEST_MAX_CTES];
  int n_ctes;
  struct pa_span aliases[PA_DIGEST_MAX_ALIASES];
  int n_aliases;
  struct pa_colq colq[PA_DIGEST_MAX_COLUMNS];
  struct pa_digest_analysis *out;   /* &sc->an */
  struct pa_digest_scratch *sc;     /* room of the identifiers */
};

static const struct pa_tok *pa_peek(struct pa_parser *p, unsigned k)
{
  if (k >= PA_DIGEST_RING)
    k= PA_DIGEST_RING - 1;
  while (p->count <= k)
  {
    pa_lex_token(&p->lx, &p->ring[(p->head + p->count) % PA_DIGEST_RING]);
    p->count++;
  }
  return &p->ring[(p->head + k) % PA_DIGEST_RING];
}

/* Consume one token into *t; prev / last track what was consumed. */
static void pa_next(struct pa_parser *p, struct pa_tok *t)
{
  *t= *pa_peek(p, 0);
  p->head= (p->head + 1) % PA_DIGEST_RING;
  p->count--;
  if (t->type != TK_EOF)
  {
    p->prev= p->last;
    p->last= *t;
  }
}

static void pa_skip(struct pa_parser *p)
{
  struct pa_tok t;
  pa_next(p, &t);
}

static int pa_is_kw(const struct pa_tok *t, enum pa_kw kw)
{
  return t->type == TK_WORD && t->sub == (int) kw;
}

/* A name, not a keyword: quoted, unknown word, or a soft keyword. */
static int pa_is_name(const struct pa_tok *t)
{
  return t->type == TK_QIDENT ||
         (t->type == TK_WORD && (t->sub == KW_NONE || (t->kwf & KF_SOFT)));
}

static int pa_is_value(const struct pa_tok *t)
{
  return t->type == TK_NUMBER || t->type == TK_PARAM || t->type == TK_VAR ||
         t->type == TK_STRING;
}

/* The token can end an operand, so a following "*" multiplies. */
static int pa_ends_operand(const struct pa_tok *t)
{
  switch (t->type)
  {
  case TK_QIDENT:
  case TK_NUMBER:
  case TK_STRING:
  case TK_PARAM:
  case TK_VAR:
  case TK_RPAREN:
  case TK_ELLIPSIS:
    return 1;
  case TK_WORD:
    return pa_is_name(t) || (t->kwf & KF_VALUE) || t->sub == KW_END;
  default:
    return 0;
  }
}

static int pa_is_arith(const struct pa_tok *t)
{
  return t->type == TK_ARITH || t->type == TK_STAR || pa_is_kw(t, KW_DIV) ||
         pa_is_kw(t, KW_MOD);
}

static struct pa_span pa_span_of(const struct pa_tok *t)
{
  struct pa_span sp;
  sp.off= t->coff;
  sp.len= t->clen;
  sp.quote= t->quote;
  sp.present= 1;
  return sp;
}

/*
  Copy an identifier into out[cap], undoubling its quote.  A name that does
  not fit is cut before the UTF-8 character that would straddle the end.
  Returns 1 when cut.
*/
static int pa_decode(const unsigned char *s, const struct pa_span *sp,
                     char *out, size_t cap)
{
  size_t i= sp->off, e= sp->off + sp->len, j= 0;
  int cut= 0;

  while (i < e)
  {
    unsigned char c= s[i];
    if (sp->quote && c == (unsigned char) sp->quote && i + 1 < e &&
        s[i + 1] == c)
      i++;
    if (j + 1 >= cap)
    {
      cut= 1;
      /* c did not fit: if it continues a character, drop that character */
      if ((c & 0xC0) == 0x80)
      {
        size_t back= 0;
        while (j > 0 && back < 3 &&
               ((unsigned char) out[j - 1] & 0xC0) == 0x80)
        {
          j--;
          back++;
        }
        if (j > 0 && (unsigned char) out[j - 1] >= 0xC0)
          j--;
      }
      break;
    }
    out[j++]= (char) c;
    i++;
  }
  out[j]= '\0';
  return cut;
}

static void pa_decode_flag(struct pa_parser *p, const struct pa_span *sp,
                           char *out)
{
  if (!sp->present)
  {
    out[0]= '\0';
    return;
  }
  if (pa_decode(p->lx.s, sp, out, PA_IDENT_BYTES))
    p->out->flags|= PA_DIGEST_F_TRUNCATED;
}

static int pa_span_eq(struct pa_parser *p, const struct pa_span *a,
                      const struct pa_span *b, int ci)
{
  char x[PA_IDENT_BYTES], y[PA_IDENT_BYTES];
  if (a->present != b->present)
    return 0;
  if (!a->present)
    return 1;
  pa_decode(p->lx.s, a, x, sizeof(x));
  pa_decode(p->lx.s, b, y, sizeof(y));
  return ci ? pa_ascii_ieq(x, y) : strcmp(x, y) == 0;
}

static int pa_is_cond(enum pa_clause c)
{
  return c == CL_WHERE || c == CL_ON || c == CL_HAVING;
}

static struct pa_frame *pa_top(struct pa_parser *p)
{
  return &p->fr[p->depth - 1];
}

static struct pa_frame *pa_block(struct pa_parser *p)
{
  return &p->fr[pa_top(p)->block];
}

/* Uses an index prefix could rely on, so an OR around them matters. */
int pa_digest_use_narrows(enum pa_col_use use)
{
  return use == PA_USE_EQ || use == PA_USE_IN || use == PA_USE_RANGE ||
         use == PA_USE_JOIN || use == PA_USE_LIKE_UNKNOWN;
}

/* A condition column read now sits under an OR seen so far. */
static int pa_under_or(struct pa_parser *p, enum pa_col_use use)
{
  int k, blk= pa_top(p)->block;

  if (!pa_digest_use_narrows(use) || !pa_is_cond(pa_block(p)->clause))
    return 0;
  for (k= p->depth - 1; k >= blk; k--)
    if (p->fr[k].cond_or)
      return 1;
  return 0;
}

/* A new condition scope in frame f: WHERE, ON or HAVING starts. */
static void pa_cond_scope(struct pa_parser *p, struct pa_frame *f)
{
  f->cond_first= p->out->n_columns;
  f->cond_or= 0;
}

/*
  OR, XOR or || in a condition: everything of this scope recorded so far
  is under it, and so is what comes until the scope ends (pa_under_or()).
  Columns of nested query blocks keep their own scopes.
*/
static void pa_disjunction(struct pa_parser *p)
{
  struct pa_frame *f= pa_top(p);
  struct pa_digest_analysis *o= p->out;
  int i;

  if (!pa_is_cond(pa_block(p)->clause))
    return;
  f->cond_or= 1;
  for (i= f->cond_first; i < o->n_columns; i++)
    if (p->colq[i].block == f->block &&
        pa_digest_use_narrows(o->columns[i].use))
      o->columns[i].in_or= 1;
}

/* Select-list alias: ORDER BY / GROUP BY / HAVING on it is no column. */
static void pa_add_alias(struct pa_parser *p, const struct pa_tok *t,
                         const struct pa_tok *before)
{
  struct pa_span a= pa_span_of(t);
  /* "name AS name" keeps the column meaning; do not hide it. */
  if (pa_is_name(before))
  {
    struct pa_span c= pa_span_of(before);
    if (pa_span_eq(p, &a, &c, 1))
      return;
  }
  if (p->n_aliases >= PA_DIGEST_MAX_ALIASES)
  {
    p->out->flags|= PA_DIGEST_F_TRUNCATED;
    return;
  }
  p->aliases[p->n_aliases++]= a;
}

static int pa_record_table(struct pa_parser *p, const struct pa_span *schema,
                           const struct pa_span *name,
                           const struct pa_span *alias)
{
  struct pa_digest_analysis *o= p->out;
  char sch[PA_IDENT_BYTES], nm[PA_IDENT_BYTES], al[PA_IDENT_BYTES];
  char(*ids)[PA_IDENT_BYTES];
  int i;

  pa_decode_flag(p, schema, sch);
  pa_decode_flag(p, name, nm);
  pa_decode_flag(p, alias, al);
  if (nm[0] == '\0')
    return -1;
  for (i= 0; i < o->n_tables; i++)
  {
    const struct pa_digest_table *t= &o->tables[i];
    if (strcmp(t->schema, sch) == 0 && strcmp(t->name, nm) == 0 &&
        pa_ascii_ieq(t->alias, al))
      return i;
  }
  if (o->n_tables >= PA_DIGEST_MAX_TABLES)
  {
    o->flags|= PA_DIGEST_F_TRUNCATED;
    return -1;
  }
  ids= p->sc->table_ids[o->n_tables];
  memcpy(ids[0], sch, strlen(sch) + 1);
  memcpy(ids[1], nm, strlen(nm) + 1);
  memcpy(ids[2], al, strlen(al) + 1);
  o->tables[o->n_tables].schema= ids[0];
  o->tables[o->n_tables].name= ids[1];
  o->tables[o->n_tables].alias= ids[2];
  return o->n_tables++;
}

/*
  Append a column unless an identical one (qualifier, name, use, desc) is
  there.  Returns the new index, or -1 when not appended.
*/
static int pa_record_column(struct pa_parser *p, const struct pa_colref *r,
                            enum pa_col_use use, int desc, int ordinal,
                            int pre, int check_alias)
{
  struct pa_digest_analysis *o= p->out;
  struct pa_colq q;
  char name[PA_IDENT_BYTES];
  int i, in_or= pa_under_or(p, use);

  memset(&q, 0, sizeof(q));
  q.pre= pre;
  q.block= pa_top(p)->block;
  if (r->n >= 2)
    q.table= r->part[r->n - 2];
  if (r->n >= 3)
    q.schema= r->part[r->n - 3];
  pa_decode_flag(p, &r->part[r->n - 1], name);
  if (name[0] == '\0')
    return -1;
  if (check_alias && r->n == 1)
  {
    for (i= 0; i < p->n_aliases; i++)
    {
      char a[PA_IDENT_BYTES];
      pa_decode(p->lx.s, &p->aliases[i], a, sizeof(a));
      if (pa_ascii_ieq(a, name))
        return -1;
    }
  }
  for (i= 0; i < o->n_columns; i++)
  {
    const struct pa_digest_column *c= &o->columns[i];
    if (c->use == use && c->desc == desc && c->in_or == in_or &&
        p->colq[i].pre == pre && pa_ascii_ieq(c->name, name) &&
        pa_span_eq(p, &p->colq[i].table, &q.table, 1) &&
        pa_span_eq(p, &p->colq[i].schema, &q.schema, 0))
      return -1;
  }
  if (o->n_columns >= PA_DIGEST_MAX_COLUMNS)
  {
    o->flags|= PA_DIGEST_F_TRUNCATED;
    return -1;
  }
  i= o->n_columns++;
  o->columns[i].table= -1;
  memcpy(p->sc->column_ids[i], name, strlen(name) + 1);
  o->columns[i].name= p->sc->column_ids[i];
  o->columns[i].use= use;
  o->columns[i].desc= desc;
  o->columns[i].ordinal= ordinal;
  o->columns[i].in_or= in_or;
  p->colq[i]= q;
  if (use == PA_USE_FUNC)
    o->flags|= PA_DIGEST_F_FUNC_ON_COLUMN;
  if (use == PA_USE_LIKE_LEADING_WILDCARD)
    o->flags|= PA_DIGEST_F_LEADING_WILDCARD;
  return i;
}

/*
  Append the index name t read in the hint list frame f, unless the list
  follows no recorded table or the same entry is there.
*/
static void pa_record_hint(struct pa_parser *p, const struct pa_frame *f,
                           const struct pa_tok *t)
{
  struct pa_digest_analysis *o= p->out;
  struct pa_digest_hint h;
  char index[PA_IDENT_BYTES];
  int i;

  if (f->hint_table < 0)
    return;
  memset(&h, 0, sizeof(h));
  h.table= f->hint_table;
  h.kind= f->hint_kind;
  /* the keyword, not an identifier: the server calls that index PRIMARY */
  if (t->type == TK_WORD && pa_word_is(p->lx.s + t->coff, t->clen, "PRIMARY"))
    memcpy(index, "PRIMARY", sizeof("PRIMARY"));
  else
  {
    struct pa_span sp= pa_span_of(t);
    pa_decode_flag(p, &sp, index);
  }
  if (index[0] == '\0')
    return;
  /* index names are case-insensitive in MariaDB */
  for (i= 0; i < o->n_hints; i++)
    if (o->hints[i].table == h.table && o->hints[i].kind == h.kind &&
        pa_ascii_ieq(o->hints[i].index, index))
      return;
  if (o->n_hints >= PA_DIGEST_MAX_HINTS)
  {
    o->flags|= PA_DIGEST_F_TRUNCATED;
    return;
  }
  memcpy(p->sc->hint_ids[o->n_hints], index, strlen(index) + 1);
  h.index= p->sc->hint_ids[o->n_hints];
  o->hints[o->n_hints++]= h;
}

/* name [. name [. name]] [. *] starting with the consumed token first. */
static void pa_parse_colref(struct pa_parser *p, const struct pa_tok *first,
                            struct pa_colref *r)
{
  struct pa_tok t;
  memset(r, 0, sizeof(*r));
  r->part[0]= pa_span_of(first);
  r->n= 1;
  while (pa_peek(p, 0)->type == TK_DOT)
  {
    const struct pa_tok *n1= pa_peek(p, 1);
    if (n1->type == TK_STAR)
    {
      pa_skip(p);
      pa_skip(p);
      r->star= 1;
      break;
    }
    if (n1->type != TK_QIDENT && n1->type != TK_WORD)
      break;
    pa_skip(p);
    pa_next(p, &t);
    if (r->n < 3)
      r->part[r->n++]= pa_span_of(&t);
    else
    {
      /* a.b.c.d is no column; keep the last three parts */
      r->part[0]= r->part[1];
      r->part[1]= r->part[2];
      r->part[2]= pa_span_of(&t);
    }
  }
  r->is_func= pa_peek(p, 0)->type == TK_LPAREN;
}

static int pa_starts_colref(const struct pa_tok *t, const struct pa_tok *n)
{
  return pa_is_name(t) && n->type != TK_LPAREN;
}

static int pa_cmp_use(int cmp)
{
  return (cmp == CMP_EQ || cmp == CMP_NSEQ) ? (int) PA_USE_EQ
                                            : (int) PA_USE_RANGE;
}

static void pa_set_deep(struct pa_parser *p, int ok, uint64_t v)
{
  if (ok && v >= PA_DIGEST_DEEP_OFFSET_ROWS)
    p->out->flags|= PA_DIGEST_F_DEEP_OFFSET;
}

/* A column in WHERE / ON / HAVING outside any function: classify it. */
static void pa_cond_column(struct pa_parser *p, const struct pa_tok *t,
                           const struct pa_tok *prev)
{
  struct pa_frame *b= pa_block(p);
  struct pa_colref r;
  const struct pa_tok *n0;
  unsigned long fix_seq= 0;
  int use= -1, idx;

  pa_parse_colref(p, t, &r);
  if (r.is_func || r.star)
    return;
  n0= pa_peek(p, 0);
  if (pa_is_arith(prev) || pa_is_arith(n0))
    use= PA_USE_FUNC;
  else if (t->seq == p->join_rhs_seq)
    use= PA_USE_JOIN;
  else if (n0->type == TK_CMP)
  {
    const struct pa_tok *n1= pa_peek(p, 1), *n2= pa_peek(p, 2);
    if (pa_starts_colref(n1, n2))
    {
      use= PA_USE_JOIN;
      p->join_rhs_seq= n1->seq;
    }
    else
      use= pa_cmp_use(n0->sub);
  }
  else if (prev->type == TK_CMP)
    use= pa_cmp_use(prev->sub);
  else if (pa_is_kw(n0, KW_IS))
  {
    int neg= pa_is_kw(pa_peek(p, 1), KW_NOT);
    if (pa_is_kw(pa_peek(p, neg ? 2 : 1), KW_NULL))
      use= neg ? PA_USE_RANGE : PA_USE_EQ;
  }
  else
  {
    unsigned k= pa_is_kw(n0, KW_NOT) ? 1 : 0;
    const struct pa_tok *op= pa_peek(p, k);
    if (pa_is_kw(op, KW_IN) && pa_peek(p, k + 1)->type == TK_LPAREN)
    {
      use= PA_USE_IN;
      if (!pa_is_kw(pa_peek(p, k + 2), KW_SELECT))
        fix_seq= pa_peek(p, k + 1)->seq;
    }
    else if (pa_is_kw(op, KW_BETWEEN))
      use= PA_USE_RANGE;
    else if (pa_is_kw(op, KW_LIKE))
    {
      const struct pa_tok *pat= pa_peek(p, k + 1);
      use= PA_USE_LIKE_UNKNOWN;
      if (pat->type == TK_STRING)
        use= pat->clen > 0 && (p->lx.s[pat->coff] == '%' ||
                               p->lx.s[pat->coff] == '_')
                 ? PA_USE_LIKE_LEADING_WILDCARD
                 : PA_USE_RANGE;
    }
  }
  if (use < 0)
    return;
  idx= pa_record_column(p, &r, (enum pa_col_use) use, 0, b->ordinal, -2,
                        b->clause == CL_HAVING);
  if (idx < 0)
    return;
  b->ordinal++;
  if (fix_seq)
  {
    p->in_col= idx;
    p->in_paren_seq= fix_seq;
  }
}

/* First token of an ORDER BY / GROUP BY item. */
static void pa_order_item(struct pa_parser *p, const struct pa_tok *t)
{
  struct pa_frame *b= pa_block(p);
  struct pa_colref r;
  const struct pa_tok *n0;
  int term;

  pa_parse_colref(p, t, &r);
  if (r.is_func || r.star)
    return;
  n0= pa_peek(p, 0);
  switch (n0->type)
  {
  case TK_EOF:
  case TK_COMMA:
  case TK_RPAREN:
  case TK_SEMI:
    term= 1;
    break;
  case TK_WORD:
    switch (n0->sub)
    {
    case KW_ASC:
    case KW_DESC:
    case KW_LIMIT:
    case KW_HAVING:
    case KW_ORDER:
    case KW_WITH:
    case KW_WINDOW:
    case KW_UNION:
    case KW_INTERSECT:
    case KW_EXCEPT:
    case KW_FOR:
    case KW_LOCK:
    case KW_INTO:
    case KW_PROCEDURE:
    case KW_FETCH:
      term= 1;
      break;
    case KW_OFFSET:
      term= pa_is_value(pa_peek(p, 1));
      break;
    default:
      term= 0;
    }
    break;
  default:
    term= 0;
  }
  if (!term)
    return; /* an expression item: skipped, its position stays counted */
  pa_record_column(p, &r, b->clause == CL_ORDER ? PA_USE_ORDER : PA_USE_GROUP,
                   pa_is_kw(n0, KW_DESC), b->item_index, -2, 1);
}

/* [schema .] name [[AS] alias] after FROM, JOIN, UPDATE, INTO. */
static void pa_table_ref(struct pa_parser *p, const struct pa_tok *first,
                         int allow_alias)
{
  struct pa_frame *b= pa_block(p);
  struct pa_span schema, name, alias;
  struct pa_tok t;
  int i, is_cte= 0;

  memset(&schema, 0, sizeof(schema));
  memset(&alias, 0, sizeof(alias));
  name= pa_span_of(first);
  if (pa_peek(p, 0)->type == TK_DOT &&
      (pa_peek(p, 1)->type == TK_QIDENT || pa_peek(p, 1)->type == TK_WORD))
  {
    pa_skip(p);
    pa_next(p, &t);
    schema= name;
    name= pa_span_of(&t);
  }
  b->tbl_state= TS_AFTER_TABLE;
  if (pa_peek(p, 0)->type == TK_LPAREN)
  {
    /* FROM f(...) is a table function; INTO t (...) a column list. */
    b->skip_next_paren= 1;
    if (allow_alias)
    {
      b->tbl_state= TS_AFTER_DERIVED;
      b->hint_table= -1;
      return;
    }
  }
  if (allow_alias)
  {
    const struct pa_tok *n0= pa_peek(p, 0);
    if (pa_is_kw(n0, KW_AS))
    {
      pa_skip(p);
      n0= pa_peek(p, 0);
      if (n0->type == TK_QIDENT || n0->type == TK_WORD ||
          n0->type == TK_STRING)
      {
        pa_next(p, &t);
        alias= pa_span_of(&t);
      }
    }
    else if (pa_is_name(n0) &&
             !(pa_is_kw(n0, KW_OFFSET) && pa_is_value(pa_peek(p, 1))))
    {
      pa_next(p, &t);
      alias= pa_span_of(&t);
    }
  }
  if (!schema.present)
    for (i= 0; i < p->n_ctes; i++)
      if (pa_span_eq(p, &p->ctes[i], &name, 0))
        is_cte= 1;
  b->last_table= is_cte ? -1 : pa_record_table(p, &schema, &name, &alias);
  b->hint_table= b->last_table;
}

static void pa_open_paren(struct pa_parser *p, const struct pa_tok *t)
{
  struct pa_frame *f= pa_top(p), *b= pa_block(p), *nf;
  const struct pa_tok *prev= &p->prev;
  const struct pa_tok *n0= pa_peek(p, 0);

  if (p->depth >= PA_DIGEST_MAX_DEPTH)
  {
    p->skip_depth= 1;
    p->out->flags|= PA_DIGEST_F_TRUNCATED;
    return;
  }
  nf= &p->fr[p->depth];
  memset(nf, 0, sizeof(*nf));
  nf->block= f->block;
  nf->in_func= f->in_func;
  nf->no_record= f->no_record;
  nf->in_col= -1;
  nf->last_table= -1;
  nf->hint_table= -1;
  nf->cond_first= p->out->n_columns;
  if (pa_is_kw(n0, KW_SELECT))
  {
    nf->type= FR_QUERY;
    nf->block= p->depth;
    nf->in_func= 0;
    nf->no_record= 0;
    /* A top-level UNION operand or CTE body is not nested. */
    if (b->clause != CL_NONE && b->clause != CL_CTE &&
        b->clause != CL_INS_AFTER)
      p->out->flags|= PA_DIGEST_F_SUBQUERY;
    if (pa_is_kw(prev, KW_IN))
      p->out->flags|= PA_DIGEST_F_IN_SUBQUERY | PA_DIGEST_F_SUBQUERY;
    if (b->clause == CL_FROM && b->tbl_state == TS_EXPECT)
    {
      b->tbl_state= TS_AFTER_DERIVED;
      b->hint_table= -1;
    }
    b->skip_next_paren= 0;
  }
  else if (t->seq == p->hint_paren_seq)
  {
    nf->type= FR_HINT;
    nf->hint_kind= p->hint_kind;
    nf->hint_table= p->hint_table;
    nf->hint_item= 1;
    b->skip_next_paren= 0;
  }
  else if (b->skip_next_paren)
  {
    nf->type= FR_SKIP;
    b->skip_next_paren= 0;
  }
  else if (pa_is_kw(prev, KW_IN))
  {
    nf->type= FR_LIST;
    if (p->in_paren_seq == t->seq)
      nf->in_col= p->in_col;
  }
  else if (pa_is_kw(prev, KW_OVER))
    nf->type= FR_SKIP;
  else if (pa_is_kw(prev, KW_USING) && !f->in_func &&
           (b->clause == CL_FROM || b->clause == CL_ON))
    nf->type= FR_USING;
  else if ((pa_is_kw(prev, KW_VALUES) || pa_is_kw(prev, KW_VALUE)) &&
           b->clause == CL_VALUES && f == b)
  {
    nf->type= FR_GROUP;
    b->values_rows++;
  }
  else if (b->clause == CL_FROM && b->tbl_state == TS_EXPECT && !f->in_func &&
           (f == b || f->from_group))
  {
    nf->type= FR_GROUP;
    nf->from_group= 1;
  }
  else if (prev->type == TK_QIDENT ||
           (prev->type == TK_WORD && !(prev->kwf & KF_NOFUNC)))
  {
    nf->type= FR_FUNC;
    nf->in_func= 1;
    if (pa_is_kw(prev, KW_AGG) || pa_is_kw(prev, KW_MATCH) ||
        pa_is_kw(prev, KW_AGAINST))
      nf->no_record= 1;
    /* MariaDB's digests print the function name backquoted: `RAND` ( ) */
    if ((pa_is_kw(prev, KW_RAND) ||
         (prev->type == TK_QIDENT && prev->clen == 4 &&
          pa_word_is(p->lx.s + prev->coff, 4, "rand"))) &&
        b->clause == CL_ORDER)
      p->out->flags|= PA_DIGEST_F_ORDER_BY_RAND;
  }
  else if (b->clause == CL_VALUES && f == b)
  {
    /* rows after the first: VALUES (1), (2) */
    nf->type= FR_GROUP;
    b->values_rows++;
  }
  else
    nf->type= FR_GROUP;
  p->depth++;
}

static void pa_close_paren(struct pa_parser *p)
{
  struct pa_frame *f= pa_top(p);
  struct pa_digest_analysis *o= p->out;

  if (p->depth <= 1)
    return; /* unbalanced ")": ignore */
  if (f->type == FR_LIST && f->in_col >= 0 && f->in_col < o->n_columns &&
      f->list_nonempty && f->list_commas == 0 && !f->list_many)
    o->columns[f->in_col].use= PA_USE_EQ;
  p->depth--;
  if (f->from_group)
  {
    struct pa_frame *b= pa_block(p);
    b->clause= CL_FROM;
    b->tbl_state= TS_AFTER_DERIVED;
    b->hint_table= -1;
  }
}

static void pa_start_stmt(struct pa_parser *p, int kw)
{
  struct pa_frame *b= pa_block(p);
  p->kind_set= 1;
  switch (kw)
  {
  case KW_SELECT:
    p->out->kind= PA_STMT_SELECT;
    b->clause= CL_SELECT;
    break;
  case KW_INSERT:
  case KW_REPLACE:
    p->out->kind= kw == KW_INSERT ? PA_STMT_INSERT : PA_STMT_REPLACE;
    b->clause= CL_INS_TARGET;
    break;
  case KW_UPDATE:
    p->out->kind= PA_STMT_UPDATE;
    b->clause= CL_FROM;
    b->tbl_state= TS_EXPECT;
    b->joins_at_from= p->out->n_joins;
    break;
  default:
    p->out->kind= PA_STMT_DELETE;
    b->clause= CL_DEL_TARGETS;
    break;
  }
}

/*
  Before the statement kind is known: find it, or read the WITH list.
  Returns 1 when the token was used up here.
*/
static int pa_statement_start(struct pa_parser *p, const struct pa_tok *t)
{
  struct pa_frame *f= pa_top(p);
  int top= p->depth == 1;

  if (p->cte && !top)
    return 0; /* CTE bodies parse as usual */
  if (t->type == TK_LPAREN && !p->cte)
    return 0; /* "(SELECT ...) UNION ...": open and look inside */
  if (t->type == TK_WORD)
  {
    switch (t->sub)
    {
    case KW_SELECT:
    case KW_INSERT:
    case KW_REPLACE:
    case KW_UPDATE:
    case KW_DELETE:
      pa_start_stmt(p, t->sub);
      return 1;
    case KW_WITH:
      if (!p->cte && top)
      {
        p->cte= 1;
        f->clause= CL_CTE;
        return 1;
      }
      break;
    default:
      break;
    }
  }
  if (!p->cte)
  {
    p->stop= 1; /* not a statement we analyse */
    return 1;
  }
  if (t->type == TK_LPAREN)
    return 0;
  if (pa_is_name(t) && !pa_is_kw(t, KW_RECURSIVE))
  {
    if (p->n_ctes < PA_DIGEST_MAX_CTES)
      p->ctes[p->n_ctes++]= pa_span_of(t);
    else
      p->out->flags|= PA_DIGEST_F_TRUNCATED;
    if (pa_peek(p, 0)->type == TK_LPAREN)
      f->skip_next_paren= 1; /* cte (col, ...) */
  }
  return 1;
}

/* INTERVAL expr unit: the unit is a keyword, not a column. */
static void pa_skip_interval(struct pa_parser *p)
{
  if (pa_is_value(pa_peek(p, 0)))
  {
    pa_skip(p);
    if (pa_peek(p, 0)->type == TK_WORD && pa_peek(p, 1)->type != TK_LPAREN)
      pa_skip(p);
  }
}

/*
  USE / FORCE / IGNORE (kw) consumed, INDEX or KEY next: consume up to the
  "(" of the list, which pa_open_paren turns into an FR_HINT frame.  FOR
  JOIN / ORDER BY / GROUP BY is consumed here, so it neither counts as a
  join nor starts an ORDER BY / GROUP BY clause.
*/
static void pa_index_hint(struct pa_parser *p, int kw)
{
  struct pa_frame *b= pa_block(p);
  const struct pa_tok *n0;

  pa_skip(p); /* INDEX | KEY */
  if (pa_is_kw(pa_peek(p, 0), KW_FOR))
  {
    pa_skip(p);
    n0= pa_peek(p, 0);
    if (pa_is_kw(n0, KW_JOIN))
      pa_skip(p);
    else if (pa_is_kw(n0, KW_ORDER) || pa_is_kw(n0, KW_GROUP))
    {
      pa_skip(p);
      if (pa_is_kw(pa_peek(p, 0), KW_BY))
        pa_skip(p);
    }
  }
  n0= pa_peek(p, 0);
  if (n0->type != TK_LPAREN)
    return;
  p->hint_paren_seq= n0->seq;
  p->hint_kind= kw == KW_USE     ? PA_HINT_USE
                : kw == KW_FORCE ? PA_HINT_FORCE
                                 : PA_HINT_IGNORE;
  /* a hint belongs right after a table, its alias or another hint */
  p->hint_table= b->tbl_state == TS_AFTER_TABLE ? b->hint_table : -1;
}

/* Keywords that steer the parser.  Returns 1 when handled. */
static int pa_keyword_token(struct pa_parser *p, const struct pa_tok *t,
                            const struct pa_tok *prev)
{
  struct pa_frame *f= pa_top(p), *b= pa_block(p);
  struct pa_digest_analysis *o= p->out;
  int blk= f == b, fg= blk || f->from_group;
  int from= b->clause == CL_FROM || b->clause == CL_ON;
  const struct pa_tok *n0;
  struct pa_tok a;

  if (t->type != TK_WORD || t->sub == KW_NONE)
    return 0;
  switch (t->sub)
  {
  case KW_SELECT:
    if (blk)
      b->clause= CL_SELECT;
    return 1;
  case KW_FROM:
    if (blk)
    {
      b->clause= CL_FROM;
      b->tbl_state= TS_EXPECT;
      b->joins_at_from= o->n_joins;
    }
    return 1;
  case KW_WHERE:
  case KW_HAVING:
    if (blk)
    {
      b->clause= t->sub == KW_WHERE ? CL_WHERE : CL_HAVING;
      b->ordinal= 0;
      pa_cond_scope(p, b);
    }
    return 1;
  case KW_GROUP:
  case KW_ORDER:
    if (blk && pa_is_kw(pa_peek(p, 0), KW_BY))
    {
      pa_skip(p);
      b->clause= t->sub == KW_GROUP ? CL_GROUP : CL_ORDER;
      b->item_index= 0;
      b->item_start= 1;
    }
    return 1;
  case KW_LIMIT:
    if (blk)
    {
      b->clause= CL_LIMIT;
      b->limit_vals= 0;
      o->flags|= PA_DIGEST_F_LIMIT;
    }
    return 1;
  case KW_UNION:
  case KW_INTERSECT:
  case KW_EXCEPT:
    if (blk)
      b->clause= CL_NONE;
    return 1;
  case KW_INTO:
    if (blk && b->clause != CL_INS_TARGET)
      b->clause= CL_OTHER; /* SELECT ... INTO @var / OUTFILE */
    return 1;
  case KW_SET:
    if (blk && p->depth == 1)
    {
      if (o->kind == PA_STMT_UPDATE && from)
        b->clause= CL_SET;
      else if (b->clause == CL_INS_TARGET || b->clause == CL_INS_AFTER)
      {
        b->clause= CL_SET;
        o->flags|= PA_DIGEST_F_SINGLE_ROW_INSERT;
      }
    }
    return 1;
  case KW_VALUES:
  case KW_VALUE:
    if (blk && (b->clause == CL_INS_TARGET || b->clause == CL_INS_AFTER))
    {
      b->clause= CL_VALUES;
      b->values_rows= 0;
      return 1;
    }
    return t->sub == KW_VALUES;
  case KW_ON:
    if (pa_is_kw(pa_peek(p, 0), KW_DUPLICATE))
    {
      if (blk)
        b->clause= CL_SET; /* ON DUPLICATE KEY UPDATE assignments */
    }
    else if (fg && from)
    {
      b->clause= CL_ON;
      b->ordinal= 0;
      pa_cond_scope(p, f);
    }
    return 1;
  case KW_JOIN:
  case KW_STRAIGHT_JOIN:
    if (fg && from)
    {
      o->n_joins++;
      b->clause= CL_FROM;
      b->tbl_state= TS_EXPECT;
    }
    return 1;
  case KW_USING:
    if (fg && from && pa_peek(p, 0)->type != TK_LPAREN &&
        o->kind == PA_STMT_DELETE)
    {
      /* DELETE FROM t1, t2 USING <joins>: the FROM list named targets */
      b->clause= CL_FROM;
      b->tbl_state= TS_EXPECT;
      o->n_joins= b->joins_at_from;
    }
    return 1;
  case KW_USE:
  case KW_FORCE:
  case KW_IGNORE:
    n0= pa_peek(p, 0);
    if (pa_is_kw(n0, KW_INDEX) || pa_is_kw(n0, KW_KEY))
    {
      o->flags|= PA_DIGEST_F_INDEX_HINT;
      if (fg && from)
        pa_index_hint(p, t->sub);
    }
    return 1;
  case KW_PARTITION:
    if (pa_peek(p, 0)->type == TK_LPAREN)
      b->skip_next_paren= 1;
    return 1;
  case KW_FOR:
  case KW_LOCK:
  case KW_WINDOW:
  case KW_PROCEDURE:
  case KW_RETURNING:
  case KW_FETCH:
    if (blk)
      b->clause= CL_OTHER;
    return 1;
  case KW_WITH:
    if (blk && b->clause == CL_GROUP)
      b->clause= CL_OTHER; /* WITH ROLLUP */
    return 1;
  case KW_OFFSET:
    if (blk && pa_is_value(pa_peek(p, 0)))
    {
      o->flags|= PA_DIGEST_F_OFFSET;
      b->offset_next= 1;
      return 1;
    }
    return 0; /* a column named offset */
  case KW_INTERVAL:
    pa_skip_interval(p);
    return 1;
  case KW_COLLATE:
    n0= pa_peek(p, 0);
    if (n0->type == TK_WORD || n0->type == TK_QIDENT || n0->type == TK_STRING)
      pa_skip(p);
    return 1;
  case KW_AS:
    n0= pa_peek(p, 0);
    if (n0->type != TK_WORD && n0->type != TK_QIDENT && n0->type != TK_STRING)
      return 1;
    if (blk && b->clause == CL_SELECT)
    {
      pa_next(p, &a);
      pa_add_alias(p, &a, prev);
    }
    else if (fg && b->clause == CL_FROM)
    {
      pa_skip(p);
      b->tbl_state= TS_AFTER_TABLE;
    }
    return 1;
  default:
    /* soft keywords not handled above are names */
    return !(t->kwf & KF_SOFT);
  }
}

static void pa_word(struct pa_parser *p, const struct pa_tok *t,
                    int item_start)
{
  struct pa_frame *f= pa_top(p), *b= pa_block(p);
  struct pa_tok prev= p->prev;
  int blk= f == b;

  if (prev.type == TK_DOT)
    return; /* tail of @@a.b or of an expression we do not follow */
  if (f->in_func)
  {
    struct pa_colref r;
    if (t->type == TK_WORD && (t->sub == KW_AS || t->sub == KW_USING))
    {
      f->type_mode= 1; /* CAST(x AS type), CONVERT(x USING cs) */
      return;
    }
    if (f->type_mode && t->type == TK_WORD)
      return;
    if (pa_is_kw(t, KW_INTERVAL))
    {
      pa_skip_interval(p);
      return;
    }
    if ((t->kwf & KF_UNIT) && pa_peek(p, 0)->type != TK_LPAREN)
      return;
    if (!pa_is_name(t))
      return;
    pa_parse_colref(p, t, &r);
    if (r.is_func || r.star || f->no_record || !pa_is_cond(b->clause))
      return;
    if (pa_record_column(p, &r, PA_USE_FUNC, 0, b->ordinal, -2,
                         b->clause == CL_HAVING) >= 0)
      b->ordinal++;
    return;
  }
  if (f->type == FR_USING)
  {
    if (pa_is_name(t))
    {
      struct pa_colref r;
      memset(&r, 0, sizeof(r));
      r.part[0]= pa_span_of(t);
      r.n= 1;
      pa_record_column(p, &r, PA_USE_JOIN, 0, f->list_commas, b->last_table,
                       0);
    }
    return;
  }
  if (pa_keyword_token(p, t, &prev))
    return;
  /* t is a name: quoted, unknown word or soft keyword */
  switch (b->clause)
  {
  case CL_FROM:
    if (!(blk || f->from_group))
      return;
    if (b->tbl_state == TS_EXPECT)
      pa_table_ref(p, t, 1);
    else if (b->tbl_state == TS_AFTER_DERIVED)
      b->tbl_state= TS_AFTER_TABLE; /* alias of a derived table */
    return;
  case CL_INS_TARGET:
    if (blk)
    {
      pa_table_ref(p, t, 0);
      b->clause= CL_INS_AFTER;
    }
    return;
  case CL_SELECT:
    if (blk && pa_ends_operand(&prev) && pa_peek(p, 0)->type != TK_LPAREN &&
        pa_peek(p, 0)->type != TK_DOT)
      pa_add_alias(p, t, &prev); /* SELECT expr alias */
    return;
  case CL_ORDER:
  case CL_GROUP:
    if (blk && item_start)
      pa_order_item(p, t);
    return;
  case CL_WHERE:
  case CL_ON:
  case CL_HAVING:
    if (f->type != FR_SKIP)
      pa_cond_column(p, t, &prev);
    return;
  default:
    return;
  }
}

static void pa_value(struct pa_parser *p, const struct pa_tok *t)
{
  struct pa_frame *f= pa_top(p), *b= pa_block(p);

  if (f->type == FR_LIST && t->type == TK_ELLIPSIS)
    f->list_many= 1;
  if (f != b)
    return;
  if (b->offset_next)
  {
    b->offset_next= 0;
    pa_set_deep(p, t->type == TK_NUMBER && t->num_ok, t->num);
  }
  else if (b->clause == CL_LIMIT && b->limit_vals++ == 0)
  {
    b->limit_first_ok= t->type == TK_NUMBER && t->num_ok;
    b->limit_first= t->num;
  }
}

static void pa_comma(struct pa_parser *p)
{
  struct pa_frame *f= pa_top(p), *b= pa_block(p);
  struct pa_digest_analysis *o= p->out;

  if (f->type == FR_LIST || f->type == FR_USING)
  {
    f->list_commas++;
    return;
  }
  if (f->in_func)
  {
    f->type_mode= 0;
    return;
  }
  if (f != b && !f->from_group)
    return;
  switch (b->clause)
  {
  case CL_FROM:
  case CL_ON:
    o->n_joins++;
    b->clause= CL_FROM;
    b->tbl_state= TS_EXPECT;
    break;
  case CL_ORDER:
  case CL_GROUP:
    if (f == b)
    {
      b->item_index++;
      b->item_start= 1;
    }
    break;
  case CL_LIMIT:
    if (f == b)
    {
      /* LIMIT offset, count */
      o->flags|= PA_DIGEST_F_OFFSET;
      pa_set_deep(p, b->limit_first_ok, b->limit_first);
    }
    break;
  default:
    break;
  }
}

static void pa_token(struct pa_parser *p, const struct pa_tok *t)
{
  struct pa_frame *f, *b;
  int item_start;

  if (p->skip_depth)
  {
    if (t->type == TK_LPAREN)
      p->skip_depth++;
    else if (t->type == TK_RPAREN)
      p->skip_depth--;
    return;
  }
  f= pa_top(p);
  if (f->type == FR_SKIP || f->type == FR_HINT)
  {
    int item= f->hint_item;
    f->hint_item= 0;
    if (t->type == TK_LPAREN)
      f->nest++;
    else if (t->type == TK_RPAREN)
    {
      if (f->nest)
        f->nest--;
      else
        pa_close_paren(p);
    }
    else if (f->type == FR_HINT && !f->nest)
    {
      /* ( name [, name ...] ): only names that start an item */
      if (t->type == TK_COMMA)
        f->hint_item= 1;
      else if (item && (t->type == TK_WORD || t->type == TK_QIDENT))
        pa_record_hint(p, f, t);
    }
    return;
  }
  if (f->type == FR_LIST && t->type != TK_RPAREN)
    f->list_nonempty= 1;
  if (!p->kind_set && pa_statement_start(p, t))
    return;
  b= pa_block(p);
  item_start= b->item_start;
  if (f == b && t->type != TK_COMMA)
    b->item_start= 0;
  if (t->kwf & KF_OR)
    pa_disjunction(p);

  switch (t->type)
  {
  case TK_LPAREN:
    pa_open_paren(p, t);
    break;
  case TK_RPAREN:
    pa_close_paren(p);
    break;
  case TK_SEMI:
    if (p->depth == 1)
    {
      p->stop= 1;
      p->semi= 1;
    }
    break;
  case TK_COMMA:
    pa_comma(p);
    break;
  case TK_MULTIROW:
    if (b->clause == CL_VALUES)
      b->values_rows+= 2;
    break;
  case TK_STAR:
    if (f == b && b->clause == CL_SELECT && !pa_ends_operand(&p->prev))
      p->out->flags|= PA_DIGEST_F_SELECT_STAR;
    break;
  case TK_WORD:
  case TK_QIDENT:
    pa_word(p, t, item_start);
    break;
  case TK_NUMBER:
  case TK_PARAM:
  case TK_VAR:
  case TK_STRING:
  case TK_ELLIPSIS:
    pa_value(p, t);
    break;
  default:
    break;
  }
}

/* The statement cannot end on t (after prev): the text was cut. */
static int pa_dangling(const struct pa_tok *t, const struct pa_tok *prev)
{
  if (pa_is_kw(t, KW_UPDATE) && pa_is_kw(prev, KW_FOR))
    return 0; /* SELECT ... FOR UPDATE */
  switch (t->type)
  {
  case TK_CMP:
  case TK_ARITH:
  case TK_COMMA:
  case TK_LPAREN:
  case TK_DOT:
    return 1;
  case TK_OTHER:
    return t->sub == 1;
  case TK_WORD:
    return (t->kwf & KF_CONT) != 0;
  default:
    return 0;
  }
}

static void pa_resolve(struct pa_parser *p)
{
  struct pa_digest_analysis *o= p->out;
  int i, k;

  for (i= 0; i < o->n_columns; i++)
  {
    const struct pa_colq *q= &p->colq[i];
    char qual[PA_IDENT_BYTES], sch[PA_IDENT_BYTES];
    int found= -1;

    o->columns[i].qualified= q->pre != -2 || q->table.present;
    if (q->pre != -2)
    {
      o->columns[i].table= q->pre;
      continue;
    }
    if (!q->table.present)
    {
      o->columns[i].table= o->n_tables == 1 ? 0 : -1;
      continue;
    }
    pa_decode(p->lx.s, &q->table, qual, sizeof(qual));
    pa_decode(p->lx.s, &q->schema, sch, sizeof(sch));
    if (!q->schema.present)
      sch[0]= '\0';
    /* an alias hides the table name, so it is tried first */
    for (k= 0; k < o->n_tables && found < 0; k++)
      if (o->tables[k].alias[0] && pa_ascii_ieq(o->tables[k].alias, qual))
        found= k;
    for (k= 0; k < o->n_tables && found < 0; k++)
      if (strcmp(o->tables[k].name, qual) == 0 &&
          (!sch[0] || !o->tables[k].schema[0] ||
           strcmp(o->tables[k].schema, sch) == 0))
        found= k;
    o->columns[i].table= found;
  }
}

/* Zero the scratch's analysis and point its arrays at the scratch's
   (their entries and identifiers are written as they are recorded). */
static void pa_scratch_reset(struct pa_digest_scratch *sc)
{
  struct pa_digest_analysis *out= &sc->an;
  memset(out, 0, sizeof(*out));
  out->kind= PA_STMT_OTHER;
  out->tables= sc->tables;
  out->columns= sc->columns;
  out->hints= sc->hints;
}

int pa_digest_analyze(const char *text, size_t len,
                      struct pa_digest_scratch *scratch)
{
  struct pa_parser p;
  struct pa_tok t;
  struct pa_digest_analysis *out;

  if (!text || !scratch)
    return -1;
  pa_scratch_reset(scratch);
  out= &scratch->an;
  memset(&p, 0, sizeof(p));
  p.out= out;
  p.sc= scratch;
  p.lx.s= (const unsigned char *) text;
  p.lx.len= len;
  p.lx.flags= &out->flags;
  p.lx.last= TK_EOF;
  p.depth= 1;
  p.fr[0].type= FR_TOP;
  p.fr[0].last_table= -1;
  p.fr[0].hint_table= -1;
  p.fr[0].in_col= -1;
  p.in_col= -1;

  for (;;)
  {
    pa_next(&p, &t);
    if (t.type == TK_EOF)
      break;
    pa_token(&p, &t);
    if (p.stop)
      break;
  }
  if (!p.kind_set)
  {
    /* not analysed: report only the kind */
    pa_scratch_reset(scratch);
    return 0;
  }
  if (!p.semi)
  {
    if (p.depth > 1 || p.skip_depth)
      out->flags|= PA_DIGEST_F_TRUNCATED;
    /*
      A final "..." is the SQL_TEXT cut mark unless it ends the digest
      token "?, ..." (a value list), which the server prints as one unit.
    */
    if (p.last.type == TK_ELLIPSIS &&
        !(p.last.off >= 3 && memcmp(text + p.last.off - 3, "?, ", 3) == 0))
      out->flags|= PA_DIGEST_F_TRUNCATED;
    if (pa_dangling(&p.last, &p.prev))
      out->flags|= PA_DIGEST_F_TRUNCATED;
  }
  if ((out->kind == PA_STMT_INSERT || out->kind == PA_STMT_REPLACE) &&
      p.fr[0].values_rows == 1)
    out->flags|= PA_DIGEST_F_SINGLE_ROW_INSERT;
  pa_resolve(&p);
  return 0;
}

/* offset rounded up to a multiple of align (a power of two) */
static size_t pa_align_up(size_t offset, size_t align)
{
  return (offset + align - 1) & ~(align - 1);
}

/* C99 has no _Alignof: the offset of a member after one char is its
   alignment */
struct pa_align_column
{
  char c;
  struct pa_digest_column t;
};
struct pa_align_hint
{
  char c;
  struct pa_digest_hint t;
};
struct pa_align_table
{
  char c;
  struct pa_digest_table t;
};

/* Bytes an identifier of a copy keeps: NULL as "", at most
   PA_IDENT_BYTES - 1, and its NUL. */
static size_t pa_ident_len(const char *s)
{
  size_t n= s ? strlen(s) : 0;
  return n < PA_IDENT_BYTES - 1 ? n : PA_IDENT_BYTES - 1;
}

/* The counts an's copy keeps (below 0: none). */
static void pa_copy_counts(const struct pa_digest_analysis *an, size_t *nt,
                           size_t *nc, size_t *nh)
{
  *nt= an->n_tables > 0 ? (size_t) an->n_tables : 0;
  *nc= an->n_columns > 0 ? (size_t) an->n_columns : 0;
  *nh= an->n_hints > 0 ? (size_t) an->n_hints : 0;
}

/*
  The copy's layout in one block: the struct, the columns, the hints, the
  tables, each at its alignment, then the identifiers' bytes.  Offsets in
  bytes; returns the total.
*/
static size_t pa_copy_layout(const struct pa_digest_analysis *an,
                             size_t *columns, size_t *hints, size_t *tables,
                             size_t *ids)
{
  size_t off= sizeof(*an), nt, nc, nh, i;

  pa_copy_counts(an, &nt, &nc, &nh);
  off= pa_align_up(off, offsetof(struct pa_align_column, t));
  *columns= off;
  off+= nc * sizeof(struct pa_digest_column);
  off= pa_align_up(off, offsetof(struct pa_align_hint, t));
  *hints= off;
  off+= nh * sizeof(struct pa_digest_hint);
  off= pa_align_up(off, offsetof(struct pa_align_table, t));
  *tables= off;
  off+= nt * sizeof(struct pa_digest_table);
  *ids= off;
  for (i= 0; i < nt; i++)
    off+= pa_ident_len(an->tables[i].schema) + 1 +
           pa_ident_len(an->tables[i].name) + 1 +
           pa_ident_len(an->tables[i].alias) + 1;
  for (i= 0; i < nc; i++)
    off+= pa_ident_len(an->columns[i].name) + 1;
  for (i= 0; i < nh; i++)
    off+= pa_ident_len(an->hints[i].index) + 1;
  return off;
}

/* s copied at *pos (see pa_ident_len()); *pos moves past it. */
static const char *pa_ident_put(char **pos, const char *s)
{
  char *d= *pos;
  size_t n= pa_ident_len(s);
  if (n)
    memcpy(d, s, n);
  d[n]= '\0';
  *pos= d + n + 1;
  return d;
}

/* Whether an can be copied: counts no analysis exceeds. */
static int pa_copy_valid(const struct pa_digest_analysis *an)
{
  return an && an->n_tables <= PA_DIGEST_MAX_TABLES &&
         an->n_columns <= PA_DIGEST_MAX_COLUMNS &&
         an->n_hints <= PA_DIGEST_MAX_HINTS;
}

size_t pa_digest_analysis_size(const struct pa_digest_analysis *an)
{
  size_t c, h, t, ids;
  return pa_copy_valid(an) ? pa_copy_layout(an, &c, &h, &t, &ids) : 0;
}

struct pa_digest_analysis *
pa_digest_analysis_copy(const struct pa_digest_analysis *an,
                        const struct pa_alloc *a)
{
  size_t c, h, t, ids, nt, nc, nh, i;
  unsigned char *block;
  char *pos;
  struct pa_digest_analysis *out;

  if (!a || !pa_copy_valid(an) ||
      !(block= a->alloc(a->ctx, pa_copy_layout(an, &c, &h, &t, &ids))))
    return NULL;
  pa_copy_counts(an, &nt, &nc, &nh);
  out= (struct pa_digest_analysis *) block;
  *out= *an;
  out->n_tables= (int) nt;
  out->n_columns= (int) nc;
  out->n_hints= (int) nh;
  out->columns= (struct pa_digest_column *) (block + c);
  out->hints= (struct pa_digest_hint *) (block + h);
  out->tables= (struct pa_digest_table *) (block + t);
  pos= (char *) (block + ids);
  for (i= 0; i < nt; i++)
  {
    out->tables[i].schema= pa_ident_put(&pos, an->tables[i].schema);
    out->tables[i].name= pa_ident_put(&pos, an->tables[i].name);
    out->tables[i].alias= pa_ident_put(&pos, an->tables[i].alias);
  }
  for (i= 0; i < nc; i++)
  {
    out->columns[i]= an->columns[i];
    out->columns[i].name= pa_ident_put(&pos, an->columns[i].name);
  }
  for (i= 0; i < nh; i++)
  {
    out->hints[i]= an->hints[i];
    out->hints[i].index= pa_ident_put(&pos, an->hints[i].index);
  }
  return out;
}

/* Whether tables[k] names the same table as an earlier entry. */
static int pa_same_table_before(const struct pa_digest_analysis *a, int k)
{
  int i;
  for (i= 0; i < k; i++)
    if (strcmp(a->tables[i].schema, a->tables[k].schema) == 0 &&
        strcmp(a->tables[i].name, a->tables[k].name) == 0)
      return 1;
  return 0;
}

int pa_digest_resolve_unqualified(struct pa_digest_analysis *a,
                                  int (*has_column)(void *ctx, int table,
                                                    const char *name),
                                  void *ctx)
{
  int i, k, n= 0;

  if (!a || !has_column)
    return -1;
  if (a->n_tables < 2 || (a->flags & PA_DIGEST_F_TRUNCATED))
    return 0;
  for (i= 0; i < a->n_columns && i < PA_DIGEST_MAX_COLUMNS; i++)
  {
    struct pa_digest_column *c= &a->columns[i];
    int owner= -1, owners= 0, unknown= 0;

    if (c->table >= 0 || c->qualified)
      continue;
    for (k= 0; k < a->n_tables && k < PA_DIGEST_MAX_TABLES && !unknown; k++)
    {
      int r;
      if (pa_same_table_before(a, k))
        continue;
      r= has_column(ctx, k, c->name);
      if (r < 0)
        unknown= 1;
      else if (r > 0 && owners++ == 0)
        owner= k;
    }
    if (!unknown && owners == 1)
    {
      c->table= owner;
      n++;
    }
  }
  return n;
}

int pa_digest_find_table(const struct pa_digest_analysis *a,
                         const char *schema, const char *name)
{
  int i;

  if (!a || !name)
    return -1;
  for (i= 0; i < a->n_tables && i < PA_DIGEST_MAX_TABLES; i++)
  {
    const struct pa_digest_table *t= &a->tables[i];
    if (strcmp(t->name, name) == 0 &&
        (!schema || !schema[0] || !t->schema[0] ||
         strcmp(t->schema, schema) == 0))
      return i;
  }
  for (i= 0; i < a->n_tables && i < PA_DIGEST_MAX_TABLES; i++)
    if (a->tables[i].alias[0] && pa_ascii_ieq(a->tables[i].alias, name))
      return i;
  return -1;
}
