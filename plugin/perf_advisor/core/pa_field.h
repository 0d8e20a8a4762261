/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: the fields of the store's line-oriented files (the
  usage file, the change log).  A record is one line of tab-separated
  fields; text fields escape backslash, tab, newline and carriage return as
  \\, \t, \n, \r, so a field never contains a separator.

  Writing goes into a bounded buffer and counts what would be needed
  (snprintf-like), so a caller sizes its buffer with a first call on
  (NULL, 0).  Reading advances a cursor and returns -1 on the first byte
  that does not fit the field.
*/
#ifndef PA_FIELD_H
#define PA_FIELD_H

#include "pa_common.h"

/* A bounded output: len counts every byte written or that would be. */
struct pa_field_out
{
  char *buf;
  size_t size;
  size_t len;
};

void pa_field_put(struct pa_field_out *o, const char *s, size_t n);
/* s escaped (see above); "" writes nothing. */
void pa_field_put_text(struct pa_field_out *o, const char *s);
/* printf of at most 383 bytes. */
void pa_field_printf(struct pa_field_out *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* NUL-terminate (cut when it does not fit; nothing when size is 0);
   returns len. */
size_t pa_field_finish(struct pa_field_out *o);

/* A decimal unsigned / signed number ending at a separator or at end. */
int pa_field_u64(const char **p, const char *end, uint64_t *v);
int pa_field_i64(const char **p, const char *end, int64_t *v);
/* The byte c. */
int pa_field_expect(const char **p, const char *end, char c);
/*
  An escaped text field up to the next tab or newline, unescaped into dst
  of dst_size bytes (NUL-terminated).  -1 for an unknown escape, a NUL
  byte, or text that does not fit.
*/
int pa_field_text(const char **p, const char *end, char *dst,
                  size_t dst_size);

/*
  Split a file image into body and trailer and check the trailer
  "end <records> <fnv1a-64 of every byte before it, 16 hex digits>\n",
  which must be the last line.  header_end: where the body begins.
  Sets *trailer and *records.  -1 when the trailer is missing or malformed
  or the checksum does not match.
*/
int pa_field_check_trailer(const char *data, size_t len,
                           const char *header_end, const char **trailer,
                           uint64_t *records);

/* The trailer line for `records` records whose bytes hash to `hash`. */
size_t pa_field_format_trailer(char *buf, size_t size, uint64_t records,
                               uint64_t hash);

#endif
