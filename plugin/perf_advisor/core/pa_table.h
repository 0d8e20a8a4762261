/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: per-table metric math and statistics-source choice.
*/
#ifndef PA_TABLE_H
#define PA_TABLE_H

#include "pa_types.h"

/*
  Compute the derived figures of one table.
  A ratio is unknown (ratio_known= 0) when the engine keeps no sizes or
  data_length is 0; fragmentation is unknown when there are no sizes or
  data_length + data_free is 0.  Inputs up to UINT64_MAX are handled without
  overflow (the arithmetic is done in double).
*/
void pa_table_compute(const struct pa_table_facts *facts,
                      struct pa_table_metrics *out);

/* The stable lower-case name of a statistics source, as shown to users. */
const char *pa_stats_source_name(enum pa_stats_source src);

/*
  Choose the statistics source of one table: performance_schema when it is
  on and its table I/O instrument counts (pfs_enabled) and counts this
  table (pfs_table_io_counts: pa_pfs_object_enabled()), else userstat when
  it is on, else none.
*/
enum pa_stats_source pa_stats_choose(int pfs_enabled, int pfs_table_io_counts,
                                     int userstat_enabled);

/*
  Rows read without an index, derived from userstat figures: all rows read
  from the table minus those read through its indexes.  userstat updates the
  two hashes at different moments, so the difference can briefly be
  negative; it is clamped to 0.  Units: rows.
*/
uint64_t pa_userstat_full_scan_reads(uint64_t table_rows_read,
                                     uint64_t index_rows_read_sum);

/* One row of performance_schema.setup_objects with OBJECT_TYPE 'TABLE'. */
struct pa_pfs_object_rule
{
  const char *schema;       /* literal, or "%" for any */
  const char *name;         /* literal, or "%" for any */
  int enabled;              /* ENABLED = 'YES' */
};

/*
  Whether performance_schema instruments schema.name under `rules`, with the
  server's precedence: an exact schema and name match wins over an exact
  schema with "%" name, which wins over "%" and "%".  No matching rule: not
  instrumented.
*/
int pa_pfs_object_enabled(const struct pa_pfs_object_rule *rules, size_t n,
                          const char *schema, const char *name);

#endif
