/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: per-table metric math.
*/
#include "pa_table.h"

#include <string.h>

void pa_table_compute(const struct pa_table_facts *facts,
                      struct pa_table_metrics *out)
{
  double data, free_bytes;

  out->ratio_known= 0;
  out->index_to_data_ratio= 0.0;
  out->frag_known= 0;
  out->fragmentation_pct= 0.0;
  if (!facts->sizes_known)
    return;

  /* double keeps 53 bits: exact to a byte up to 8 PiB, and never overflows
     where data_length + data_free would in uint64_t. */
  data= (double) facts->data_length;
  free_bytes= (double) facts->data_free;
  if (facts->data_length > 0)
  {
    out->ratio_known= 1;
    out->index_to_data_ratio= (double) facts->index_length / data;
  }
  if (data + free_bytes > 0.0)
  {
    out->frag_known= 1;
    out->fragmentation_pct= free_bytes / (data + free_bytes) * 100.0;
  }
}

const char *pa_stats_source_name(enum pa_stats_source src)
{
  switch (src)
  {
  case PA_SRC_PFS:
    return "performance_schema";
  case PA_SRC_USERSTAT:
    return "userstat";
  case PA_SRC_NONE:
    break;
  }
  return "none";
}

enum pa_stats_source pa_stats_choose(int pfs_enabled, int pfs_table_io_counts,
                                     int userstat_enabled)
{
  if (pfs_enabled && pfs_table_io_counts)
    return PA_SRC_PFS;
  if (userstat_enabled)
    return PA_SRC_USERSTAT;
  return PA_SRC_NONE;
}

uint64_t pa_userstat_full_scan_reads(uint64_t table_rows_read,
                                     uint64_t index_rows_read_sum)
{
  return table_rows_read > index_rows_read_sum
             ? table_rows_read - index_rows_read_sum
             : 0;
}

int pa_pfs_object_enabled(const struct pa_pfs_object_rule *rules, size_t n,
                          const char *schema, const char *name)
{
  int best= -1, best_rank= 0;
  size_t i;

  for (i= 0; i < n; i++)
  {
    int schema_any= !strcmp(rules[i].schema, "%");
    int name_any= !strcmp(rules[i].name, "%");
    int rank;
    if (!schema_any && strcmp(rules[i].schema, schema))
      continue;
    if (!name_any && strcmp(rules[i].name, name))
      continue;
    rank= (schema_any ? 0 : 2) + (name_any ? 0 : 1) + 1;
    if (rank > best_rank)
    {
      best_rank= rank;
      best= rules[i].enabled;
    }
  }
  return best == 1;
}
