/* Copyright (c) perf_advisor authors
   SPDX-License-Identifier: GPL-2.0-only
   See COPYING at the top of the repository for the license text. */
/*
  perf_advisor: reading the declared peers (pa_peers.h).

  Locking: LOCK_pa_peer protects pa_jobs (the reads whose thread runs or
  whose statement still holds them), each job's refs, done and abandoned
  flags, and pa_n_threads.  A job's results are written by its thread
  before done is set, and read by its statement only after it saw done
  under the lock: no lock is needed for them.  Never held across SQL.
*/
#include "pa_peers.h"

#include <mysql/service_sql.h>
#include <set_var.h>
#include <sql_acl.h>
#include <sql_error.h>

extern "C" {
#include "pa_digest.h"
#include "pa_sql.h"
#include "pa_text.h"
}


/* Threads reading peers at most at once (each waits on one peer). */
static const uint PA_PEER_MAX_THREADS= 32;

#ifdef HAVE_PSI_INTERFACE
static PSI_mutex_key key_LOCK_pa_peer;
static PSI_cond_key key_COND_pa_peer;
static PSI_thread_key key_thread_pa_peer;
static PSI_memory_key key_memory_pa_peer;
static PSI_mutex_info peer_mutexes[]= {
    {&key_LOCK_pa_peer, "LOCK_pa_peer", PSI_FLAG_GLOBAL}};
static PSI_cond_info peer_conds[]= {
    {&key_COND_pa_peer, "COND_pa_peer", PSI_FLAG_GLOBAL}};
static PSI_thread_info peer_threads[]= {
    {&key_thread_pa_peer, "perf_advisor_peer", 0}};
static PSI_memory_info peer_memory[]= {
    {&key_memory_pa_peer, "peer_read", 0}};
#else
#define key_LOCK_pa_peer PSI_NOT_INSTRUMENTED
#define key_COND_pa_peer PSI_NOT_INSTRUMENTED
#define key_thread_pa_peer PSI_NOT_INSTRUMENTED
#define key_memory_pa_peer PSI_NOT_INSTRUMENTED
#endif

static PSI_stage_info stage_pa_peer_wait= {
    0, "Waiting for perf_advisor peers", 0};

static mysql_mutex_t LOCK_pa_peer;
static mysql_cond_t COND_pa_peer;

/*
  What one kind of peer table holds: the columns it must have (read in
  this order), those it must not have, the filter of its read, and what a
  missing peer costs (the end of its warning).
*/
struct peer_kind
{
  const char *var;                  /* the system variable declaring it */
  const char *const *need;
  size_t n_need;
  const char *const *forbid;
  size_t n_forbid;
  const char *where;                /* appended to its SELECT */
  const char *lost;                 /* "the usage of its indexes is
                                       unknown" */
};

/* Usage peers: the node columns of PERF_INDEX_USAGE.  The merged columns
   would make the peer read its own peers for each read. */
static const char *const usage_cols[]= {"TABLE_SCHEMA",      "TABLE_NAME",
                                        "INDEX_NAME",        "READ_COUNT",
                                        "NODE_USAGE_STATUS", "NODE_NAME"};
static const char *const merged_cols[]= {
    "USAGE_STATUS",  "DROP_CONFIDENCE", "DROP_CONFIDENCE_REASON",
    "READ_COUNT_ALL_NODES", "NODES_COUNTED", "NODES_MISSING", "NODE_READS"};
static const peer_kind usage_kind= {
    "perf_advisor_peer_tables", usage_cols, array_elements(usage_cols),
    merged_cols, array_elements(merged_cols), "",
    "the usage of its indexes is unknown"};

/* Digest peers: the columns of performance_schema's
   events_statements_summary_by_digest the missing-index analysis reads. */
static const char *const digest_cols[]= {
    "SCHEMA_NAME",       "DIGEST",          "DIGEST_TEXT",
    "COUNT_STAR",        "SUM_TIMER_WAIT",  "SUM_ROWS_EXAMINED",
    "SUM_ROWS_SENT",     "SUM_NO_INDEX_USED", "SUM_NO_GOOD_INDEX_USED"};
static const peer_kind digest_kind= {
    "perf_advisor_peer_digest_tables", digest_cols,
    array_elements(digest_cols), NULL, 0,
    " WHERE DIGEST_TEXT IS NOT NULL",
    "its statements are left out of the advice"};

#define PEER_MAX_COLS 9 /* the most columns a kind reads */
static_assert(array_elements(usage_cols) <= PEER_MAX_COLS &&
                  array_elements(digest_cols) <= PEER_MAX_COLS,
              "PEER_MAX_COLS too small");

/* One read of one peer. */
struct peer_job
{
  peer_job *next;               /* in pa_jobs */
  int refs;                     /* the thread and the statement */
  bool done;                    /* the thread has finished its work */
  bool abandoned;               /* the statement stopped waiting */
  char label[2 * PA_IDENT_BYTES + 8];
  const peer_kind *kind;
  char *sql_cols, *sql_rows;    /* on root */
  char *sql_flush;              /* FLUSH TABLES of the peer table */
  double timeout_s;
  /* results, written by the thread before done */
  bool ok;
  char err[512];
  MEM_ROOT root;
  char **cells;                 /* n_rows * kind->n_need, NULL for SQL
                                   NULL */
  size_t *lens;                 /* their lengths, bytes */
  size_t n_rows;
};

static peer_job *pa_jobs;
static uint pa_n_threads;

/* Drop one reference; the last frees the job.  LOCK_pa_peer held. */
static void job_release(peer_job *j)
{
  if (--j->refs > 0)
    return;
  for (peer_job **p= &pa_jobs; *p; p= &(*p)->next)
    if (*p == j)
    {
      *p= j->next;
      break;
    }
  free_root(&j->root, MYF(0));
  my_free(j);
}

static void job_fail(peer_job *j, const char *what, MYSQL *mysql)
{
  snprintf(j->err, sizeof(j->err), "%s%s%s", what, mysql ? ": " : "",
           mysql ? mysql_error(mysql) : "");
}

/* The needed columns as "A, B, C" into buf. */
static const char *col_list(const peer_kind *k, char *buf, size_t size)
{
  size_t len= 0;
  buf[0]= 0;
  for (size_t i= 0; i < k->n_need && len < size; i++)
    len+= (size_t) snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
                            k->need[i]);
  return buf;
}

/* Is the column list of the peer table (one row per column) right? */
static bool check_columns(peer_job *j, MYSQL_RES *res)
{
  const peer_kind *k= j->kind;
  bool have[PEER_MAX_COLS]= {};
  char cols[256];
  MYSQL_ROW row;
  if (!mysql_num_rows(res))
  {
    job_fail(j, "the table does not exist", NULL);
    return false;
  }
  while ((row= mysql_fetch_row(res)))
  {
    if (!row[0])
      continue;
    for (size_t i= 0; i < k->n_need; i++)
      if (!strcasecmp(row[0], k->need[i]))
        have[i]= true;
    for (size_t i= 0; i < k->n_forbid; i++)
      if (!strcasecmp(row[0], k->forbid[i]))
      {
        snprintf(j->err, sizeof(j->err),
                 "the table has the merged column %s (the peer would read "
                 "its own peers for it); declare only the node columns %s",
                 k->forbid[i], col_list(k, cols, sizeof(cols)));
        return false;
      }
  }
  for (size_t i= 0; i < k->n_need; i++)
    if (!have[i])
    {
      snprintf(j->err, sizeof(j->err),
               "the table has no column %s (a peer table has %s)", k->need[i],
               col_list(k, cols, sizeof(cols)));
      return false;
    }
  return true;
}

/* The thread's work: check the table, read its rows onto j->root, on
   mysql (a local connection). */
static void job_run(peer_job *j, MYSQL *mysql)
{
  MYSQL_RES *res= NULL;
  MYSQL_ROW row;
  char set[160];
  size_t n_cells;

  /*
    Local waits (for the peer table's metadata lock) end with the
    statement's timeout.  No max_statement_time: it cannot cut the wait for
    the other node (FederatedX sets no timeout on that connection), and the
    statement has stopped waiting for this read by then anyway.  A read it
    cut once it had answered left 8184 bytes (one block of an 8 KiB memory
    root) counted as not freed at shutdown, per read (mtr cluster_slow);
    the same cut in a client session does not.
  */
  snprintf(set, sizeof(set), "SET SESSION lock_wait_timeout= %lu",
           (ulong) j->timeout_s + 1);
  if (mysql_real_query(mysql, set, (ulong) strlen(set)))
  {
    job_fail(j, "cannot set the timeout", mysql);
    goto end;
  }
  if (mysql_real_query(mysql, j->sql_cols, (ulong) strlen(j->sql_cols)) ||
      !(res= mysql_store_result(mysql)))
  {
    job_fail(j, "cannot read its columns", mysql);
    goto end;
  }
  if (!check_columns(j, res))
    goto end;
  mysql_free_result(res);
  res= NULL;
  if (mysql_real_query(mysql, j->sql_rows, (ulong) strlen(j->sql_rows)) ||
      !(res= mysql_store_result(mysql)))
  {
    job_fail(j, "cannot read it", mysql);
    goto end;
  }
  j->n_rows= (size_t) mysql_num_rows(res);
  n_cells= j->n_rows * j->kind->n_need;
  if (n_cells &&
      (!(j->cells= (char **) alloc_root(&j->root, n_cells * sizeof(char *))) ||
       !(j->lens= (size_t *) alloc_root(&j->root, n_cells * sizeof(size_t)))))
  {
    job_fail(j, "out of memory", NULL);
    goto end;
  }
  for (size_t r= 0; (row= mysql_fetch_row(res)); r++)
  {
    unsigned long *len= mysql_fetch_lengths(res);
    for (size_t c= 0; c < j->kind->n_need; c++)
    {
      size_t at= r * j->kind->n_need + c;
      j->lens[at]= row[c] ? len[c] : 0;
      if (!row[c])
        j->cells[at]= NULL;
      else if (!(j->cells[at]= strmake_root(&j->root, row[c], len[c])))
      {
        job_fail(j, "out of memory", NULL);
        goto end;
      }
    }
  }
  j->ok= true;
end:
  if (res)
    mysql_free_result(res);
}

static void *peer_thread(void *arg)
{
  peer_job *j= (peer_job *) arg;
  MYSQL *mysql;
  my_thread_init();
  if (!(mysql= pa_local_connect(NULL)))
    job_fail(j, "cannot open a local connection", NULL);
  else
    job_run(j, mysql);
  /* the statement may go on now */
  mysql_mutex_lock(&LOCK_pa_peer);
  j->done= true;
  mysql_cond_broadcast(&COND_pa_peer);
  mysql_mutex_unlock(&LOCK_pa_peer);
  if (mysql)
  {
    /*
      FederatedX keeps the connection it opened to the other node in a
      pool that outlives this connection's THD, with memory counted to
      that THD: the server then reports it as not freed at shutdown.
      Closing the table here frees the pool while the THD that made the
      connection is the current one (it waits for other users of the
      table at most lock_wait_timeout, and failing changes nothing).
    */
    if (j->sql_flush)
      mysql_real_query(mysql, j->sql_flush, (ulong) strlen(j->sql_flush));
    mysql_close(mysql);
  }
  mysql_mutex_lock(&LOCK_pa_peer);
  pa_n_threads--;
  job_release(j);
  mysql_cond_broadcast(&COND_pa_peer);
  mysql_mutex_unlock(&LOCK_pa_peer);
  my_thread_end();
  return NULL;
}

void pa_peers_global_init()
{
#ifdef HAVE_PSI_INTERFACE
  mysql_mutex_register("perf_advisor", peer_mutexes,
                       array_elements(peer_mutexes));
  mysql_cond_register("perf_advisor", peer_conds, array_elements(peer_conds));
  mysql_thread_register("perf_advisor", peer_threads,
                        array_elements(peer_threads));
  mysql_memory_register("perf_advisor", peer_memory,
                        array_elements(peer_memory));
#endif
  mysql_mutex_init(key_LOCK_pa_peer, &LOCK_pa_peer, MY_MUTEX_INIT_FAST);
  mysql_cond_init(key_COND_pa_peer, &COND_pa_peer, NULL);
  pa_jobs= NULL;
  pa_n_threads= 0;
}

void pa_peers_global_deinit()
{
  /* The threads run this library's code: wait for them.  Statements have
     left (pa_state_deinit waited for them), so what is left is threads
     whose peer did not answer in time. */
  mysql_mutex_lock(&LOCK_pa_peer);
  if (pa_n_threads)
    sql_print_information("perf_advisor: waiting for %u peer read(s) to "
                          "finish",
                          pa_n_threads);
  while (pa_n_threads)
    mysql_cond_wait(&COND_pa_peer, &LOCK_pa_peer);
  mysql_mutex_unlock(&LOCK_pa_peer);
  mysql_cond_destroy(&COND_pa_peer);
  mysql_mutex_destroy(&LOCK_pa_peer);
}

int pa_peers_check(const char *list, char *err, size_t errlen)
{
  pa_peer_name names[PA_PEER_MAX];
  size_t n;
  return pa_peer_parse(list, names, &n, err, errlen) ? 1 : 0;
}

void pa_peers_init(pa_peers *c, const char *declaration, ulong timeout_ms)
{
  c->declaration= declaration ? declaration : "";
  c->timeout_ms= timeout_ms;
  c->parsed= false;
  c->n= 0;
}

static void peer_gone(THD *thd, pa_peer_state *p, const peer_kind *k,
                      const char *why)
{
  p->gone= true;
  p->n_rows= 0;
  push_warning_printf(thd, Sql_condition::WARN_LEVEL_WARN, ER_UNKNOWN_ERROR,
                      "perf_advisor: peer %s: %s; %s", p->label, why,
                      k->lost);
}

/* Parse c's declaration, of kind k. */
static void parse_declaration(THD *thd, pa_peers *c, const peer_kind *k)
{
  char list[4096], err[128];
  bool truncated;
  pa_peer_name names[PA_PEER_MAX];

  c->parsed= true;
  c->n= 0;
  strmake(list, c->declaration, sizeof(list) - 1);
  truncated= strlen(c->declaration) >= sizeof(list) - 1;
  if (truncated || pa_peer_parse(list, names, &c->n, err, sizeof(err)))
  {
    /* A value given at startup is not checked as SET checks it: every
       peer is missing rather than a guess. */
    pa_peer_state *p= &c->p[0];
    c->n= 1;
    memset(&p->name, 0, sizeof(p->name));
    strmake(p->label, k->var, sizeof(p->label) - 1);
    p->node= p->label;
    peer_gone(thd, p, k, truncated ? "the declaration is too long" : err);
    return;
  }
  for (size_t i= 0; i < c->n; i++)
  {
    pa_peer_state *p= &c->p[i];
    char *q;
    pa_alloc a= {pa_root_alloc, thd->mem_root};
    p->name= names[i];
    p->gone= false;
    p->rows= NULL;
    p->n_rows= 0;
    q= pa_sql_qualified(&a, names[i].db, names[i].table);
    strmake(p->label, q ? q : names[i].table, sizeof(p->label) - 1);
    p->node= p->label;
  }
}

/* Start a read of peer p of kind k: the job, or NULL (p is then gone). */
static peer_job *start_read(THD *thd, const pa_peers *c, pa_peer_state *p,
                            const peer_kind *k, pa_alloc *a)
{
  peer_job *j;
  char *cols, *rows, *qdb, *qt, list[256];
  bool busy= false, full;

  if (!pa_caller_reads_table(thd, p->name.db, p->name.table))
  {
    peer_gone(thd, p, k, "no SELECT privilege on the table");
    return NULL;
  }
  if (!(qdb= pa_sql_string(a, p->name.db)) ||
      !(qt= pa_sql_string(a, p->name.table)) ||
      !(cols= pa_strdupf(a,
                         "SELECT COLUMN_NAME FROM information_schema."
                         "COLUMNS WHERE TABLE_SCHEMA = %s AND "
                         "TABLE_NAME = %s",
                         qdb, qt)) ||
      !(rows= pa_strdupf(a, "SELECT %s FROM %s%s",
                         col_list(k, list, sizeof(list)), p->label,
                         k->where)))
  {
    peer_gone(thd, p, k, "out of memory");
    return NULL;
  }
  mysql_mutex_lock(&LOCK_pa_peer);
  for (peer_job *o= pa_jobs; o && !busy; o= o->next)
    busy= o->abandoned && !o->done && !strcmp(o->label, p->label);
  full= pa_n_threads >= PA_PEER_MAX_THREADS;
  mysql_mutex_unlock(&LOCK_pa_peer);
  if (busy || full)
  {
    peer_gone(thd, p, k,
              busy ? "an earlier read of it has not answered yet"
                   : "too many peer reads are running");
    return NULL;
  }
  if (!(j= (peer_job *) my_malloc(key_memory_pa_peer, sizeof(*j),
                                  MYF(MY_ZEROFILL))))
  {
    peer_gone(thd, p, k, "out of memory");
    return NULL;
  }
  init_alloc_root(key_memory_pa_peer, &j->root, 8192, 0, MYF(0));
  strmake(j->label, p->label, sizeof(j->label) - 1);
  j->kind= k;
  j->timeout_s= c->timeout_ms / 1000.0;
  if (!(j->sql_cols= strdup_root(&j->root, cols)) ||
      !(j->sql_rows= strdup_root(&j->root, rows)) ||
      !(j->sql_flush= (char *) alloc_root(&j->root, strlen(p->label) + 32)))
  {
    free_root(&j->root, MYF(0));
    my_free(j);
    peer_gone(thd, p, k, "out of memory");
    return NULL;
  }
  strxmov(j->sql_flush, "FLUSH LOCAL TABLES ", p->label, NullS);
  j->refs= 2;
  pthread_t tid;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  mysql_mutex_lock(&LOCK_pa_peer);
  j->next= pa_jobs;
  pa_jobs= j;
  pa_n_threads++;
  if (mysql_thread_create(key_thread_pa_peer, &tid, &attr, peer_thread, j))
  {
    pa_n_threads--;
    j->refs= 1;
    job_release(j);
    j= NULL;
  }
  mysql_mutex_unlock(&LOCK_pa_peer);
  pthread_attr_destroy(&attr);
  if (!j)
    peer_gone(thd, p, k, "cannot start a thread to read it");
  return j;
}

/*
  Read every peer of c that is not gone, all at once, and wait at most
  perf_advisor_peer_timeout_ms (a KILL ends the wait).  Afterwards jobs[i]
  is the finished, successful read of peer i, or NULL (the peer is gone,
  with its warning unless the statement was killed).  The caller releases
  the jobs left (release_reads()).
*/
static void read_peers(THD *thd, pa_peers *c, const peer_kind *k,
                       MEM_ROOT *root, peer_job **jobs)
{
  pa_alloc a= {pa_root_alloc, root};
  size_t started= 0;

  for (size_t i= 0; i < c->n; i++)
  {
    jobs[i]= NULL;
    if (!c->p[i].gone && (jobs[i]= start_read(thd, c, &c->p[i], k, &a)))
      started++;
  }
  if (!started)
    return;

  ulonglong deadline= pa_now_ms() + c->timeout_ms;
  bool done[PA_PEER_MAX]= {};
  PSI_stage_info old_stage;
  mysql_mutex_lock(&LOCK_pa_peer);
  thd->ENTER_COND(&COND_pa_peer, &LOCK_pa_peer, &stage_pa_peer_wait,
                  &old_stage);
  for (;;)
  {
    bool all= true;
    for (size_t i= 0; i < c->n; i++)
      all&= !jobs[i] || jobs[i]->done;
    ulonglong now= pa_now_ms();
    if (all || thd->killed || now >= deadline)
      break;
    struct timespec ts;
    set_timespec_nsec(ts, MY_MIN(deadline - now, 100) * 1000000ULL);
    mysql_cond_timedwait(&COND_pa_peer, &LOCK_pa_peer, &ts);
  }
  for (size_t i= 0; i < c->n; i++)
    if (jobs[i] && !(done[i]= jobs[i]->done))
    {
      /* the thread finishes on its own and frees the job */
      jobs[i]->abandoned= true;
      job_release(jobs[i]);
      jobs[i]= NULL;
    }
  thd->EXIT_COND(&old_stage); /* unlocks LOCK_pa_peer */

  for (size_t i= 0; i < c->n; i++)
  {
    pa_peer_state *p= &c->p[i];
    if (p->gone || jobs[i])
    {
      if (jobs[i] && !jobs[i]->ok)
      {
        peer_gone(thd, p, k, jobs[i]->err);
        mysql_mutex_lock(&LOCK_pa_peer);
        job_release(jobs[i]);
        mysql_mutex_unlock(&LOCK_pa_peer);
        jobs[i]= NULL;
      }
      continue;
    }
    if (thd->killed)
    {
      p->gone= true;
      continue;
    }
    char why[96];
    snprintf(why, sizeof(why),
             "no answer within perf_advisor_peer_timeout_ms (%lu ms)",
             c->timeout_ms);
    peer_gone(thd, p, k, why);
  }
}

static void release_reads(peer_job **jobs, size_t n)
{
  mysql_mutex_lock(&LOCK_pa_peer);
  for (size_t i= 0; i < n; i++)
    if (jobs[i])
      job_release(jobs[i]);
  mysql_mutex_unlock(&LOCK_pa_peer);
}

static int row_cmp(const void *a_, const void *b_)
{
  const pa_peer_row *a= (const pa_peer_row *) a_,
                    *b= (const pa_peer_row *) b_;
  int d= strcmp(a->schema, b->schema);
  if (!d)
    d= strcmp(a->table, b->table);
  return d ? d : my_strcasecmp(system_charset_info, a->index, b->index);
}

/* Copy a finished usage read's rows into p, on root. */
static bool take_rows(pa_peer_state *p, const peer_job *j, MEM_ROOT *root)
{
  size_t k= 0;
  p->rows= j->n_rows ? (pa_peer_row *) alloc_root(
                           root, j->n_rows * sizeof(pa_peer_row))
                     : NULL;
  if (j->n_rows && !p->rows)
    return false;
  for (size_t r= 0; r < j->n_rows; r++)
  {
    char *const *cell= &j->cells[r * array_elements(usage_cols)];
    pa_peer_row *o= &p->rows[k];
    /* cells: TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, READ_COUNT,
       NODE_USAGE_STATUS, NODE_NAME */
    if (!cell[0] || !cell[1] || !cell[2])
      continue;
    if (!(o->schema= strdup_root(root, cell[0])) ||
        !(o->table= strdup_root(root, cell[1])) ||
        !(o->index= strdup_root(root, cell[2])))
      return false;
    o->reads_known= cell[3] != NULL;
    o->reads= cell[3] ? strtoull(cell[3], NULL, 10) : 0;
    o->status= pa_usage_status_parse(cell[4]);
    if (cell[5] && p->node == p->label &&
        !(p->node= strdup_root(root, cell[5])))
      return false;
    k++;
  }
  p->n_rows= k;
  if (k > 1)
    qsort(p->rows, k, sizeof(*p->rows), row_cmp);
  return true;
}

size_t pa_peers_load(THD *thd, pa_peers *c, MEM_ROOT *root)
{
  peer_job *jobs[PA_PEER_MAX];

  if (c->parsed)
    return c->n;
  parse_declaration(thd, c, &usage_kind);
  read_peers(thd, c, &usage_kind, root, jobs);
  for (size_t i= 0; i < c->n; i++)
    if (jobs[i] && !take_rows(&c->p[i], jobs[i], root))
      peer_gone(thd, &c->p[i], &usage_kind, "out of memory");
  release_reads(jobs, c->n);
  return c->n;
}

static uint64_t cell_u64(const char *s)
{
  return s ? strtoull(s, NULL, 10) : 0;
}

bool pa_peers_add_digests(THD *thd, MEM_ROOT *root, const char *declaration,
                          ulong timeout_ms, pa_digest_set *set,
                          bool local_ok)
{
  peer_job *jobs[PA_PEER_MAX];
  pa_peers *c;
  pa_digest_scratch *sc;
  size_t have= local_ok ? set->n : 0, more= 0, n;
  pa_digest *d;

  /* no declaration: nothing to read, nothing to rebuild */
  if (!declaration || !declaration[0])
    return local_ok;
  if (!(c= (pa_peers *) alloc_root(root, sizeof(*c))) ||
      !(sc= (pa_digest_scratch *) alloc_root(root, sizeof(*sc))))
    return local_ok;
  pa_peers_init(c, declaration, timeout_ms);
  parse_declaration(thd, c, &digest_kind);
  read_peers(thd, c, &digest_kind, root, jobs);
  for (size_t i= 0; i < c->n; i++)
    if (jobs[i])
      more+= jobs[i]->n_rows;
  if (!more)
  {
    release_reads(jobs, c->n);
    return local_ok;
  }
  if (!(d= (pa_digest *) alloc_root(root, (have + more) * sizeof(*d))))
  {
    release_reads(jobs, c->n);
    push_warning_printf(thd, Sql_condition::WARN_LEVEL_WARN,
                        ER_UNKNOWN_ERROR,
                        "perf_advisor: out of memory reading %s; the "
                        "peers' statements are left out of the advice",
                        digest_kind.var);
    return local_ok;
  }
  /* this node's first: their positions stay those of the statement's
     set (and of its analyses, pa_stmt_analysis) */
  if (have)
    memcpy((void *) d, set->d, have * sizeof(*d));
  n= have;
  for (size_t i= 0; i < c->n; i++)
  {
    const char *node;
    if (!jobs[i])
      continue;
    if (!(node= strdup_root(root, c->p[i].label)))
      break;
    for (size_t r= 0; r < jobs[i]->n_rows; r++)
    {
      /* cells: the order of digest_cols */
      char *const *cell= &jobs[i]->cells[r * array_elements(digest_cols)];
      const size_t *len= &jobs[i]->lens[r * array_elements(digest_cols)];
      pa_digest *o= &d[n];
      if (!cell[2] || !len[2])
        continue;
      /*
        Only what the node reads: its writes are the primary's, replicated
        (under statement-based replication counted there as statements
        too), and their cost is this node's to weigh.
      */
      if (pa_digest_analyze(cell[2], len[2], sc) ||
          sc->an.kind != PA_STMT_SELECT)
        continue;
      memset((void *) o, 0, sizeof(*o));
      if (!(o->text= strmake_root(root, cell[2], len[2])) ||
          (cell[0] && !(o->schema= strdup_root(root, cell[0]))) ||
          !(o->digest= strdup_root(root, cell[1] ? cell[1] : "")))
        break;
      o->node= node;
      o->text_len= len[2];
      o->exec_count= cell_u64(cell[3]);
      o->sum_ps= cell_u64(cell[4]);
      o->avg_ps= o->exec_count ? o->sum_ps / o->exec_count : 0;
      o->rows_examined= cell_u64(cell[5]);
      o->rows_sent= cell_u64(cell[6]);
      o->no_index_used= cell_u64(cell[7]);
      o->no_good_index_used= cell_u64(cell[8]);
      n++;
    }
  }
  release_reads(jobs, c->n);
  if (n == have)
    return local_ok;
  return pa_digest_set_index(set, d, n, root);
}

void pa_peers_lookup(const pa_peers *c, size_t i, const char *schema,
                     const char *table, const char *index,
                     pa_node_usage *out)
{
  const pa_peer_row *r;
  const pa_peer_state *p= &c->p[i];
  pa_peer_row key;

  memset(out, 0, sizeof(*out));
  out->node= p->node;
  out->status= PA_USAGE_UNKNOWN;
  if (p->gone || !p->n_rows)
    return;
  key.schema= schema;
  key.table= table;
  key.index= index;
  r= (const pa_peer_row *) bsearch(&key, p->rows, p->n_rows, sizeof(*r),
                                   row_cmp);
  if (!r)
    return;
  out->counted= 1;
  out->reads_known= r->reads_known;
  out->reads= r->reads;
  out->status= r->status;
}
