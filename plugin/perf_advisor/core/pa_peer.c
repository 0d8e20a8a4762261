/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor core: the peer declaration and the cluster merge rule
  (pa_peer.h).
*/
#include "pa_peer.h"
#include "pa_text.h"

#include <stdio.h>
#include <string.h>

static int fail(char *err, size_t errlen, const char *msg, size_t item)
{
  if (errlen)
    snprintf(err, errlen, "peer %zu: %s", item, msg);
  return -1;
}

static int unquoted_char(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '$' || c >= 0x80;
}

static int is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Characters of a UTF-8 string (continuation bytes do not count). */
static size_t chars(const char *s, size_t len)
{
  size_t n= 0;
  for (size_t i= 0; i < len; i++)
    n+= ((unsigned char) s[i] & 0xC0) != 0x80;
  return n;
}

/*
  One part at *p into out (PA_IDENT_BYTES).  Returns 0 and advances *p, or
  a message.
*/
static const char *parse_part(const char **p, char *out)
{
  const char *s= *p;
  size_t len= 0;

  if (*s == '`')
  {
    s++;
    for (;;)
    {
      if (!*s)
        return "unterminated backtick quote";
      if (*s == '`')
      {
        if (s[1] != '`')
          break;
        s++;
      }
      if (len + 1 >= PA_IDENT_BYTES)
        return "name longer than 64 characters";
      out[len++]= *s++;
    }
    s++;
  }
  else
  {
    while (unquoted_char((unsigned char) *s))
    {
      if (len + 1 >= PA_IDENT_BYTES)
        return "name longer than 64 characters";
      out[len++]= *s++;
    }
  }
  out[len]= 0;
  if (!len)
    return "empty name (write db.table; quote odd names in backticks)";
  if (chars(out, len) > 64)
    return "name longer than 64 characters";
  *p= s;
  return NULL;
}

static int ieq(const char *a, const char *b)
{
  for (; *a && *b; a++, b++)
    if (pa_ascii_lower((unsigned char) *a) !=
        pa_ascii_lower((unsigned char) *b))
      return 0;
  return *a == *b;
}

int pa_peer_parse(const char *list, struct pa_peer_name *out, size_t *n,
                  char *err, size_t errlen)
{
  const char *p= list;
  size_t k= 0;

  *n= 0;
  if (errlen)
    err[0]= 0;
  if (!p)
    return 0;
  while (is_space(*p))
    p++;
  if (!*p)
    return 0;
  for (;;)
  {
    const char *msg;
    struct pa_peer_name name;

    while (is_space(*p))
      p++;
    if (k == PA_PEER_MAX)
      return fail(err, errlen, "too many peers (at most 16)", k + 1);
    if ((msg= parse_part(&p, name.db)))
      return fail(err, errlen, msg, k + 1);
    if (*p != '.')
      return fail(err, errlen,
                  "expected a dot between schema and table (db.table)",
                  k + 1);
    p++;
    if ((msg= parse_part(&p, name.table)))
      return fail(err, errlen, msg, k + 1);
    while (is_space(*p))
      p++;
    if (*p && *p != ',')
      return fail(err, errlen,
                  "unexpected character (quote odd names in backticks)",
                  k + 1);
    for (size_t i= 0; i < k; i++)
      if (ieq(out[i].db, name.db) && ieq(out[i].table, name.table))
        return fail(err, errlen, "declared twice", k + 1);
    out[k++]= name;
    *n= k;
    if (!*p)
      return 0;
    p++;
  }
}

void pa_usage_merge(const struct pa_node_usage *nodes, size_t n,
                    struct pa_usage_merged *out)
{
  int used= 0, all_unused= n > 0;

  memset(out, 0, sizeof(*out));
  for (size_t i= 0; i < n; i++)
  {
    const struct pa_node_usage *x= &nodes[i];
    if (!x->counted)
    {
      out->missing++;
      all_unused= 0;
      continue;
    }
    out->counted++;
    if (x->reads_known)
    {
      out->reads_known= 1;
      out->reads= pa_sat_add(out->reads, x->reads);
      if (x->reads > 0)
        used= 1;
    }
    if (x->status == PA_USAGE_USED)
      used= 1;
    if (x->status != PA_USAGE_UNUSED)
      all_unused= 0;
  }
  out->status= used         ? PA_USAGE_USED
               : all_unused ? PA_USAGE_UNUSED
                            : PA_USAGE_UNKNOWN;
}

enum pa_usage_status pa_usage_status_parse(const char *s)
{
  if (s && !strcmp(s, "used"))
    return PA_USAGE_USED;
  if (s && !strcmp(s, "unused"))
    return PA_USAGE_UNUSED;
  return PA_USAGE_UNKNOWN;
}

void pa_peer_nodes_json(struct pa_buf *b, const struct pa_node_usage *nodes,
                        size_t n)
{
  pa_buf_puts(b, "[");
  for (size_t k= 0; k < n; k++)
  {
    const struct pa_node_usage *u= &nodes[k];
    struct pa_json o;
    if (k)
      pa_buf_puts(b, ", ");
    pa_json_begin(&o, b);
    pa_json_str(&o, "node", u->node);
    if (!u->counted)
      pa_json_bool(&o, "missing", 1);
    else
    {
      if (u->reads_known)
        pa_json_u64(&o, "read_count", u->reads);
      else
        pa_json_null(&o, "read_count");
      pa_json_str(&o, "usage_status", pa_usage_status_name(u->status));
    }
    pa_json_end(&o);
  }
  pa_buf_puts(b, "]");
}
