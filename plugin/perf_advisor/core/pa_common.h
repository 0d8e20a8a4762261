/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: shared constants and the few one-line helpers every
  module needs.  They are static inline so that a module stays buildable on
  its own (the digest fuzzer) and a per-byte loop pays no call.

  The core is plain C99: no MariaDB headers, no globals, no I/O, no locks.
*/
#ifndef PA_COMMON_H
#define PA_COMMON_H

#include <stddef.h>
#include <stdint.h>

/*
  Bytes for one identifier plus its terminating NUL.  MariaDB identifiers are
  at most 64 characters; the server stores them as utf8mb3 (3 bytes each), but
  digest texts are utf8mb4, so room for 4 bytes per character is kept.
*/
#define PA_IDENT_BYTES (64 * 4 + 1)

/*
  c lowered if it is an ASCII capital, else unchanged.  Locale-free, unlike
  tolower(): identifiers compare the same on every server.  Bytes >= 0x80
  (UTF-8) are never changed.
*/
static inline unsigned char pa_ascii_lower(unsigned char c)
{
  return (c >= 'A' && c <= 'Z') ? (unsigned char) (c + ('a' - 'A')) : c;
}

/* a + b, UINT64_MAX instead of wrapping around. */
static inline uint64_t pa_sat_add(uint64_t a, uint64_t b)
{
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

#endif
