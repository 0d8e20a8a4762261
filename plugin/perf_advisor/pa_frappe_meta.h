/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: a Frappe site's field metadata, read for the model
  (pa_model) so that the core can tell where an index comes from
  (pa_frappe.h, PERF_INDEX_USAGE.ORIGIN).

  A schema is a Frappe site when it has the tables `tabDocType` and
  `tabDocField`.  Then, for a table `tab<name>` of it, one statement on a
  local connection reads:
    tabDocType          the DocType <name> (else the table is no
                        DocType's: no origin);
    tabDocField         parent, fieldname, search_index, unique, name;
    tabCustom Field     dt, fieldname, search_index, unique, name (when
                        the table exists);
    tabProperty Setter  doc_type, field_name, property, value, name of
                        the rows with doctype_or_field 'DocField' and
                        property search_index or unique (when it
                        exists).
  As the InnoDB sizes of pa_model: the first table the walk meets in a
  schema reads that DocType's rows only, from the second table on the
  whole schema's, once; a statement reads a schema at most twice.

  No Frappe code runs, and nothing is guessed: the caller must have the
  SELECT privilege on each of those tables that exists (as a table, not
  on some columns only), else nothing is read and every origin of the
  schema is unknown (NULL).  A read that fails (a table without one of
  those columns, a table dropped meanwhile, a metadata lock held by DDL:
  the read never waits for one, lock_wait_timeout 0, as the column sample
  does) leaves a warning and the schema's origins unknown.  A `tab` table
  compares with a DocType's name as the server compares table names
  (byte for byte, or case-insensitively under lower_case_table_names).

  Locking: none; one cache per statement, on the statement's memory.
*/
#ifndef PA_FRAPPE_META_H
#define PA_FRAPPE_META_H

#include "pa_collect.h"

extern "C" {
#include "pa_frappe.h"
}

/* One statement's reads, for one schema at a time. */
struct pa_frappe_meta
{
  char db[NAME_LEN + 1];      /* the schema read; "" none yet */
  bool site;                  /* db is a Frappe site the caller may read */
  bool whole_schema;          /* every DocType of db is loaded */
  bool failed;                /* a read failed: origins unknown */
  char doctype[NAME_LEN + 1]; /* !whole_schema: the one DocType asked */
  pa_frappe_doctype *doctypes; /* sorted by name (bytes) */
  size_t n_doctypes;
};

/* An empty cache. */
void pa_frappe_meta_init(pa_frappe_meta *c);

/*
  The DocType whose table is db.table, or NULL: not a Frappe site, not a
  `tab` table, no DocType of that name, the caller may not read the
  metadata, or it could not be read (a warning on thd).  The answer
  lives on root, as long as the statement.
*/
const pa_frappe_doctype *pa_frappe_meta_doctype(THD *thd, pa_frappe_meta *c,
                                                MEM_ROOT *root,
                                                const LEX_CSTRING *db,
                                                const LEX_CSTRING *table);

#endif
