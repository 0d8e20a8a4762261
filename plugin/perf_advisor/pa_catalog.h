/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: the column names of the tables a statement names, so that
  the columns it does not qualify are given their table
  (pa_digest_resolve_unqualified(); e.g. TPC-H's comma joins, "FROM
  customer, orders WHERE c_custkey = o_custkey").

  Read on demand, once per table per catalog, on the statement's local
  connection (the column sample's, pa_colstats_conn):
    SELECT COLUMN_NAME FROM information_schema.COLUMNS
    WHERE TABLE_SCHEMA = '<schema>' AND TABLE_NAME = '<table>'
  For such a lookup the server reads only that table's definition.  The
  read never waits for a metadata lock (lock_wait_timeout 0, as the
  sample): a table under DDL is unknown.  A name without a row (a CTE or
  derived table, a table dropped since the statement ran), a schema that is
  not known (an unqualified table of a digest without a default schema), a
  failed read and a killed caller all answer unknown, and an unknown table
  leaves its statement's unqualified columns unresolved: the rules then see
  less, never a column in the wrong table.  No warning: resolving is
  best effort, and what stays unresolved is what the analysis saw before.

  The connection sees every table; nothing read here is shown.  The
  answer only decides which table of a statement a column belongs to, and
  the caller sees the findings of a table only when it may see that table
  (and the statement texts only with PROCESS).

  Locking: none; one catalog per statement, on the statement's memory.
*/
#ifndef PA_CATALOG_H
#define PA_CATALOG_H

#include "pa_colstats.h"

extern "C" {
#include "pa_digest.h"
}

struct pa_catalog_table;

struct pa_catalog
{
  MEM_ROOT *root;                 /* the entries' memory */
  struct pa_catalog_table *first; /* tables read so far */
  size_t reads;                   /* tables read (each once) */
};

void pa_catalog_init(pa_catalog *cat, MEM_ROOT *root);

/*
  Resolve the unqualified columns of an (the analysis of a digest run in
  default_schema, NULL when none) through cat, reading what it lacks over
  conn (opened on first use; the caller closes it with pa_colstats_end()).
  Returns the number of columns resolved.
*/
int pa_catalog_resolve(THD *thd, pa_catalog *cat, pa_colstats_conn *conn,
                       const char *default_schema, pa_digest_analysis *an);

#endif
