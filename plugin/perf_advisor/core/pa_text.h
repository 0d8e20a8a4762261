/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: text building on a caller's allocator — printf into
  fresh memory, JSON string escaping, a small JSON object writer.
*/
#ifndef PA_TEXT_H
#define PA_TEXT_H

#include "pa_types.h"

#include <stdarg.h>

/* printf into memory from a; NULL when a fails.  Always NUL-terminated. */
char *pa_strdupf(const struct pa_alloc *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
char *pa_vstrdupf(const struct pa_alloc *a, const char *fmt, va_list ap);

/* Copy of s (NULL for NULL). */
char *pa_strdup(const struct pa_alloc *a, const char *s);

/*
  A growing text buffer on an allocator (old blocks are left to the
  allocator's owner: the arena frees everything at once).  A failed
  allocation sets oom; later appends do nothing; pa_buf_str returns NULL.
*/
struct pa_buf
{
  const struct pa_alloc *a;
  char *data;
  size_t len, cap;
  int oom;
};

void pa_buf_init(struct pa_buf *b, const struct pa_alloc *a);
void pa_buf_append(struct pa_buf *b, const char *s, size_t n);
void pa_buf_puts(struct pa_buf *b, const char *s);
void pa_buf_printf(struct pa_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* s as a JSON string literal, quotes included; NULL as null.  Bytes >= 0x80
   are copied (UTF-8 passes through); control characters are \u escaped. */
void pa_buf_json_str(struct pa_buf *b, const char *s);
/* The text so far (NUL-terminated), or NULL after an allocation failure. */
char *pa_buf_str(struct pa_buf *b);

/*
  JSON object writer on a pa_buf: pa_json_begin(); pa_json_str/num/...;
  pa_json_end().  Keys must be plain ASCII without quotes.  Numbers are
  written with %.10g for doubles (finite only; NaN/inf become null).
*/
struct pa_json
{
  struct pa_buf *b;
  int n;          /* members written at the current level */
};
void pa_json_begin(struct pa_json *j, struct pa_buf *b);
void pa_json_str(struct pa_json *j, const char *key, const char *val);
void pa_json_u64(struct pa_json *j, const char *key, uint64_t val);
void pa_json_i64(struct pa_json *j, const char *key, int64_t val);
void pa_json_dbl(struct pa_json *j, const char *key, double val);
void pa_json_bool(struct pa_json *j, const char *key, int val);
void pa_json_null(struct pa_json *j, const char *key);
/* A member whose value is raw JSON text (already valid). */
void pa_json_raw(struct pa_json *j, const char *key, const char *json);
void pa_json_end(struct pa_json *j);

/*
  n objects of size bytes each from a, or NULL when a fails or n * size does
  not fit in size_t.  Nothing is zeroed.
*/
void *pa_alloc_array(const struct pa_alloc *a, size_t n, size_t size);

/*
  64-bit FNV-1a, the core's one hash: of len bytes, chained from h (start
  with PA_HASH_SEED).  Its values are kept in the usage store file (index
  definition fingerprints, the file checksum) and in recommendation ids, so
  they must never change.
*/
#define PA_HASH_SEED 0xcbf29ce484222325ULL
uint64_t pa_hash_bytes(uint64_t h, const void *bytes, size_t len);

/* FNV-1a of a NUL-terminated string and a separator byte, chained from h,
   so that ("ab", "c") and ("a", "bc") hash differently. */
uint64_t pa_hash_str(uint64_t h, const char *s);

/*
  a and b compared with ASCII capitals folded to small letters (see
  pa_ascii_lower()), as column names compare; other bytes must match
  exactly and order as unsigned.  pa_ascii_icmp: -1, 0 or 1;
  pa_ascii_ieq: 1 when equal, else 0.
*/
int pa_ascii_icmp(const char *a, const char *b);
int pa_ascii_ieq(const char *a, const char *b);

#endif
