/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: shared constants.

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

#endif
