/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  Unit tests of pa_peer: the declaration's syntax (quoting, hostile names,
  every error) and the cluster merge rule case by case (a missing node or
  a node that cannot tell is never "unused").
*/
#include "pa_peer.h"
#include "pa_test.h"
#include "pa_text.h"

static size_t parse(const char *s, struct pa_peer_name *out, char *err)
{
  size_t n= 99;
  if (pa_peer_parse(s, out, &n, err, 128))
    return (size_t) -1;
  return n;
}

static void test_parse(void)
{
  struct pa_peer_name p[PA_PEER_MAX];
  char err[128], big[400];
  size_t n;

  CHECK(parse(NULL, p, err) == 0);
  CHECK(parse("", p, err) == 0);
  CHECK(parse("  \t ", p, err) == 0);
  CHECK(parse("peers.replica1", p, err) == 1);
  CHECK_STR(p[0].db, "peers");
  CHECK_STR(p[0].table, "replica1");
  CHECK(parse(" peers.r1 , peers.r2,peers.$r_3 ", p, err) == 3);
  CHECK_STR(p[1].table, "r2");
  CHECK_STR(p[2].table, "$r_3");
  /* backticks: spaces, commas, dots, parentheses, quotes, doubled `` */
  CHECK(parse("`my db`.`a,b.c(d)'\"`, `x``y`.t", p, err) == 2);
  CHECK_STR(p[0].db, "my db");
  CHECK_STR(p[0].table, "a,b.c(d)'\"");
  CHECK_STR(p[1].db, "x`y");
  CHECK_STR(p[1].table, "t");
  /* multibyte names, unquoted and quoted */
  CHECK(parse("p\xc3\xa9" "ers.n\xc5\x93" "ud", p, err) == 1);
  CHECK_STR(p[0].db, "p\xc3\xa9" "ers");
  /* 64 characters of two bytes each fit; 65 do not */
  memset(big, 0, sizeof(big));
  for (int i= 0; i < 64; i++)
    memcpy(big + 2 * i, "\xc3\xa9", 2);
  strcat(big, ".t");
  CHECK(parse(big, p, err) == 1);
  CHECK(strlen(p[0].db) == 128);
  memset(big, 'a', 65);
  strcpy(big + 65, ".t");
  CHECK(parse(big, p, err) == (size_t) -1);
  CHECK(strstr(err, "longer than 64") != NULL);

  /* errors name the peer and the problem */
  CHECK(parse("peers", p, err) == (size_t) -1);
  CHECK(strstr(err, "peer 1") && strstr(err, "dot"));
  CHECK(parse("peers.r1,", p, err) == (size_t) -1);
  CHECK(strstr(err, "peer 2") && strstr(err, "empty"));
  CHECK(parse(",peers.r1", p, err) == (size_t) -1);
  CHECK(parse("peers.", p, err) == (size_t) -1);
  CHECK(parse(".r1", p, err) == (size_t) -1);
  CHECK(parse("peers.r 1", p, err) == (size_t) -1);
  CHECK(strstr(err, "unexpected"));
  CHECK(parse("peers.r-1", p, err) == (size_t) -1);
  CHECK(parse("peers.r1;DROP TABLE t", p, err) == (size_t) -1);
  CHECK(parse("`peers.r1", p, err) == (size_t) -1);
  CHECK(strstr(err, "unterminated"));
  CHECK(parse("``.t", p, err) == (size_t) -1);
  CHECK(parse("a.b.c", p, err) == (size_t) -1);
  CHECK(parse("peers.r1, PEERS.R1", p, err) == (size_t) -1);
  CHECK(strstr(err, "twice"));
  CHECK(parse("peers.r1, peers.`r1 `", p, err) == 2);
  /* at most PA_PEER_MAX */
  {
    char list[PA_PEER_MAX * 8 + 16]= "";
    for (int i= 0; i <= PA_PEER_MAX; i++)
    {
      char one[16];
      snprintf(one, sizeof(one), "%sd.t%d", i ? "," : "", i);
      strcat(list, one);
    }
    CHECK(parse(list, p, err) == (size_t) -1);
    CHECK(strstr(err, "too many"));
    *strrchr(list, ',')= 0;
    CHECK(parse(list, p, err) == PA_PEER_MAX);
  }
  /* errlen 0: no message, still an error */
  CHECK(pa_peer_parse("x", p, &n, NULL, 0) == -1 && n == 0);
}

static struct pa_node_usage node(int counted, int reads_known,
                                 uint64_t reads, enum pa_usage_status s)
{
  struct pa_node_usage x= {"n", counted, reads_known, reads, s};
  return x;
}

static void test_merge(void)
{
  struct pa_node_usage v[4];
  struct pa_usage_merged m;

  /* one node: its own verdict */
  v[0]= node(1, 1, 0, PA_USAGE_UNUSED);
  pa_usage_merge(v, 1, &m);
  CHECK(m.status == PA_USAGE_UNUSED && m.counted == 1 && m.missing == 0);
  CHECK(m.reads_known && m.reads == 0);
  v[0]= node(1, 1, 0, PA_USAGE_UNKNOWN);
  pa_usage_merge(v, 1, &m);
  CHECK(m.status == PA_USAGE_UNKNOWN);
  v[0]= node(1, 1, 5, PA_USAGE_USED);
  pa_usage_merge(v, 1, &m);
  CHECK(m.status == PA_USAGE_USED && m.reads == 5);

  /* unused here, read on the replica: used, reads summed */
  v[0]= node(1, 1, 0, PA_USAGE_UNUSED);
  v[1]= node(1, 1, 7, PA_USAGE_USED);
  pa_usage_merge(v, 2, &m);
  CHECK(m.status == PA_USAGE_USED && m.reads == 7 && m.counted == 2);
  /* reads count even when the node's own verdict could not tell */
  v[1]= node(1, 1, 3, PA_USAGE_UNKNOWN);
  pa_usage_merge(v, 2, &m);
  CHECK(m.status == PA_USAGE_USED);
  /* unused on both: unused */
  v[1]= node(1, 1, 0, PA_USAGE_UNUSED);
  pa_usage_merge(v, 2, &m);
  CHECK(m.status == PA_USAGE_UNUSED && m.reads == 0 && m.missing == 0);
  /* a missing node: unknown, never unused */
  v[1]= node(0, 0, 0, PA_USAGE_UNUSED);
  pa_usage_merge(v, 2, &m);
  CHECK(m.status == PA_USAGE_UNKNOWN && m.counted == 1 && m.missing == 1);
  /* ... but reads seen elsewhere still make it used */
  v[0]= node(1, 1, 2, PA_USAGE_USED);
  pa_usage_merge(v, 2, &m);
  CHECK(m.status == PA_USAGE_USED && m.missing == 1 && m.reads == 2);
  /* a node that cannot tell (short window, no source): unknown */
  v[0]= node(1, 1, 0, PA_USAGE_UNUSED);
  v[1]= node(1, 0, 0, PA_USAGE_UNKNOWN);
  pa_usage_merge(v, 2, &m);
  CHECK(m.status == PA_USAGE_UNKNOWN && m.counted == 2);
  CHECK(m.reads_known && m.reads == 0);
  /* this node cannot tell, the peers say unused: unknown */
  v[0]= node(1, 0, 0, PA_USAGE_UNKNOWN);
  v[1]= node(1, 1, 0, PA_USAGE_UNUSED);
  v[2]= node(1, 1, 0, PA_USAGE_UNUSED);
  pa_usage_merge(v, 3, &m);
  CHECK(m.status == PA_USAGE_UNKNOWN);
  /* no reads known anywhere */
  v[1]= node(1, 0, 0, PA_USAGE_UNKNOWN);
  v[2]= node(0, 0, 0, PA_USAGE_UNKNOWN);
  pa_usage_merge(v, 3, &m);
  CHECK(!m.reads_known && m.status == PA_USAGE_UNKNOWN && m.missing == 1);
  /* three nodes unused, one missing */
  v[0]= v[1]= v[2]= node(1, 1, 0, PA_USAGE_UNUSED);
  v[3]= node(0, 0, 0, PA_USAGE_UNKNOWN);
  pa_usage_merge(v, 4, &m);
  CHECK(m.status == PA_USAGE_UNKNOWN && m.counted == 3 && m.missing == 1);
  v[3]= node(1, 1, 0, PA_USAGE_UNUSED);
  pa_usage_merge(v, 4, &m);
  CHECK(m.status == PA_USAGE_UNUSED && m.counted == 4);
  /* saturation */
  v[0]= node(1, 1, UINT64_MAX, PA_USAGE_USED);
  v[1]= node(1, 1, 9, PA_USAGE_USED);
  pa_usage_merge(v, 2, &m);
  CHECK(m.reads == UINT64_MAX);
  /* no node at all: unknown */
  pa_usage_merge(v, 0, &m);
  CHECK(m.status == PA_USAGE_UNKNOWN && m.counted == 0);

  CHECK(pa_usage_status_parse("used") == PA_USAGE_USED);
  CHECK(pa_usage_status_parse("unused") == PA_USAGE_UNUSED);
  CHECK(pa_usage_status_parse("unknown") == PA_USAGE_UNKNOWN);
  CHECK(pa_usage_status_parse("UNUSED") == PA_USAGE_UNKNOWN);
  CHECK(pa_usage_status_parse("") == PA_USAGE_UNKNOWN);
  CHECK(pa_usage_status_parse(NULL) == PA_USAGE_UNKNOWN);
}

static void test_json(void)
{
  struct arena ar= PA_TEST_ARENA_INIT;
  struct pa_alloc a= {arena_alloc, &ar};
  struct pa_buf b;
  struct pa_node_usage v[3];

  v[0]= node(1, 1, 0, PA_USAGE_UNUSED);
  v[0].node= "db-1";
  v[1]= node(1, 0, 0, PA_USAGE_UNKNOWN);
  v[1].node= "db \"2\"";
  v[2]= node(0, 0, 0, PA_USAGE_UNKNOWN);
  v[2].node= "`peers`.`r3`";
  pa_buf_init(&b, &a);
  pa_peer_nodes_json(&b, v, 3);
  CHECK_STR(pa_buf_str(&b),
            "[{\"node\": \"db-1\", \"read_count\": 0, "
            "\"usage_status\": \"unused\"}, "
            "{\"node\": \"db \\\"2\\\"\", \"read_count\": null, "
            "\"usage_status\": \"unknown\"}, "
            "{\"node\": \"`peers`.`r3`\", \"missing\": true}]");
  arena_free(&ar);
}

int main(void)
{
  test_parse();
  test_merge();
  test_json();
  return PA_TEST_END("test_peer");
}
