/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: where an index of a Frappe site's table comes from
  (PERF_INDEX_USAGE.ORIGIN), and the metadata change that removes a
  field's index for good.

  A Frappe site keeps its schema in metadata: a table `tab<DocType>` per
  DocType, its columns from the DocType's fields (tabDocField, plus
  tabCustom Field), each field's flags overridable by a row of
  tabProperty Setter.  `bench migrate` brings the tables in line with
  that metadata when it syncs a DocType (frappe/database/schema.py and
  mariadb/schema.py):
    - creating a table: PRIMARY KEY on `name`; KEY `creation`(`creation`)
      (a child table instead: KEY `parent`(`parent`)); earlier releases
      created KEY `modified`(`modified`), and `parent`, on every table;
    - a field with search_index set: KEY `f`(`f`) when the table is
      created, KEY `f_index`(`f`) when the field is added or changed;
      Frappe looks its index up by column (the first one-column,
      non-unique, non-FULLTEXT index on f, in SHOW INDEX order), adds one
      when there is none and drops that one when search_index is turned
      off;
    - a field with unique set: a UNIQUE KEY named f, likewise looked up
      by column;
    - neither for a field whose column is TEXT, LONGTEXT or JSON.
  A dropped field index therefore comes back at the next sync of its
  DocType; what lasts is turning the flag off in the metadata.

  ORIGIN, for each index of a DocType's table:
    docfield   the index Frappe keeps for a field whose effective
               search_index (a non-unique index) or unique (a UNIQUE one)
               is set: the first one-column index on the field's column
               of that kind, not FULLTEXT or SPATIAL, the column not a
               TEXT/BLOB type;
    framework  PRIMARY KEY (`name`); a non-unique one-column index on
               creation, modified or parent that is named after its
               column, as Frappe names them;
    other      anything else: made by code (frappe.db.add_index, an
               app's on_doctype_update), by hand, or a second copy of a
               field's index (Frappe keeps only the first);
    unknown    the index's field has conflicting or unreadable flags, or
               the metadata could not be read (the caller's ORIGIN is
               NULL).
  Field names compare ASCII case-insensitively, as MariaDB compares
  column names.
*/
#ifndef PA_FRAPPE_H
#define PA_FRAPPE_H

#include "pa_index.h"
#include "pa_text.h"

enum pa_frappe_origin
{
  PA_ORIGIN_UNKNOWN= 0,
  PA_ORIGIN_DOCFIELD,
  PA_ORIGIN_FRAMEWORK,
  PA_ORIGIN_OTHER
};

/* What sets a field's effective flag. */
enum pa_frappe_via
{
  PA_VIA_NONE= 0,
  PA_VIA_DOCFIELD,        /* the standard field's own flag (tabDocField) */
  PA_VIA_CUSTOM_FIELD,    /* the custom field's own flag */
  PA_VIA_PROPERTY_SETTER  /* a tabProperty Setter row overrides it */
};

/* One flag of a field, as the metadata holds it. */
struct pa_frappe_flag
{
  int own;              /* the field row's value: 0 or 1; -1 unknown */
  int ps;               /* the Property Setter's value: 0 or 1; -1 no
                           setter; -2 unknown (a value that is not an
                           integer, or setters that disagree) */
  const char *ps_name;  /* that setter's row name; NULL: none */
};

/* One field of a DocType (a standard DocField or a Custom Field). */
struct pa_frappe_field
{
  const char *fieldname;
  const char *row_name; /* name of its tabDocField / tabCustom Field row */
  int custom;           /* 1: tabCustom Field */
  struct pa_frappe_flag search_index, unique;
};

/* One DocType's fields; strings owned by the caller. */
struct pa_frappe_doctype
{
  const char *name;     /* the DocType: its table is "tab" + name */
  int n_fields;
  const struct pa_frappe_field *fields;
};

/* Which of a field's flags. */
enum pa_frappe_which
{
  PA_FLAG_SEARCH_INDEX,
  PA_FLAG_UNIQUE
};

/*
  The effective value of a flag: the Property Setter's when there is one,
  else the field's own.  1, 0, or -1 when unknown.  *via (may be NULL):
  what sets it.
*/
int pa_frappe_flag_value(const struct pa_frappe_flag *f,
                         enum pa_frappe_via *via, int custom);

/*
  Parse a Property Setter's value as Frappe's cint() would, where that is
  certain: an optional sign and decimal digits, blanks around, or the
  empty string (0).  Returns 0 or 1 (any non-zero integer is 1), -1 for
  anything else (the caller then knows nothing about the flag).  NULL
  (a NULL value) is 0.
*/
int pa_frappe_parse_check(const char *value);

/* The origin of one index, with the field that declares a docfield one. */
struct pa_frappe_index_origin
{
  enum pa_frappe_origin origin;
  const struct pa_frappe_field *field; /* docfield: the declaring field */
  enum pa_frappe_which which;          /* docfield: search_index or unique */
  enum pa_frappe_via via;              /* docfield: what sets the flag */
};

/*
  Classify every index of def (a table of DocType dt) into out[0 ..
  def->n_indexes - 1].  text_col[x] non-zero: index x's first key part is
  a column of a TEXT/BLOB type (Frappe's text, longtext and json), whose
  flags create no index.  dt NULL: every origin is PA_ORIGIN_UNKNOWN.
*/
void pa_frappe_classify(const struct pa_table_def *def,
                        const struct pa_frappe_doctype *dt,
                        const int *text_col,
                        struct pa_frappe_index_origin *out);

/* "docfield", "framework", "other"; NULL for PA_ORIGIN_UNKNOWN. */
const char *pa_frappe_origin_name(enum pa_frappe_origin o);

/* "docfield", "custom_field", "property_setter"; NULL for PA_VIA_NONE. */
const char *pa_frappe_via_name(enum pa_frappe_via v);

/*
  The lasting change that turns search_index off for the field that
  declares the docfield index o (o->which PA_FLAG_SEARCH_INDEX) of
  DocType dt in schema (NULL or "": unqualified), and its undo:
    via a Property Setter:  UPDATE `tabProperty Setter` SET value = '0'
                            WHERE name = <its name>; undo: value = '1';
    a Custom Field's flag:  UPDATE `tabCustom Field` SET search_index = 0
                            WHERE name = <its name>; undo: = 1;
    a standard field's:     INSERT INTO `tabProperty Setter` the row
                            Frappe's make_property_setter() writes
                            (name "<DocType>-<field>-search_index",
                            doctype_or_field 'DocField', property_type
                            'Check', value '0'); undo: DELETE it by name.
  Every name and value a string literal (pa_sql_string).  *sql and
  *rollback on a; returns 0, -1 when o is not such an index or on
  allocation failure.
*/
int pa_frappe_durable_sql(const struct pa_alloc *a, const char *schema,
                          const struct pa_frappe_doctype *dt,
                          const struct pa_frappe_index_origin *o,
                          char **sql, char **rollback);

#endif
