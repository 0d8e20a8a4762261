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

/* The columns a peer table must have, and those it must not have: the
   merged ones would make the peer read its own peers for each read. */
static const char *const need_cols[]= {"TABLE_SCHEMA",      "TABLE_NAME",
                                       "INDEX_NAME",        "READ_COUNT",
                                       "NODE_USAGE_STATUS", "NODE_NAME"};
static const char *const merged_cols[]= {
    "USAGE_STATUS",  "DROP_CONFIDENCE", "DROP_CONFIDENCE_REASON",
    "READ_COUNT_ALL_NODES", "NODES_COUNTED", "NODES_MISSING", "NODE_READS"};
#define PEER_COLS 6 /* of a row: need_cols' order */

/* One read of one peer. */
struct peer_job
{
  peer_job *next;               /* in pa_jobs */
  int refs;                     /* the thread and the statement */
  bool done;                    /* the thread has finished its work */
  bool abandoned;               /* the statement stopped waiting */
  char label[2 * PA_IDENT_BYTES + 8];
  char *sql_cols, *sql_rows;    /* on root */
  char *sql_flush;              /* FLUSH TABLES of the peer table */
  double timeout_s;
  /* results, written by the thread before done */
  bool ok;
  char err[512];
  MEM_ROOT root;
  char **cells;                 /* n_rows * PEER_COLS, NULL for SQL NULL */
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

/* Is the column list of the peer table (one row per column) right? */
static bool check_columns(peer_job *j, MYSQL_RES *res)
{
  bool have[array_elements(need_cols)]= {};
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
    for (size_t i= 0; i < array_elements(need_cols); i++)
      if (!strcasecmp(row[0], need_cols[i]))
        have[i]= true;
    for (const char *m : merged_cols)
      if (!strcasecmp(row[0], m))
      {
        snprintf(j->err, sizeof(j->err),
                 "the table has the merged column %s (the peer would read "
                 "its own peers for it); declare only the node columns "
                 "TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, READ_COUNT, "
                 "NODE_USAGE_STATUS, NODE_NAME",
                 m);
        return false;
      }
  }
  for (size_t i= 0; i < array_elements(need_cols); i++)
    if (!have[i])
    {
      snprintf(j->err, sizeof(j->err),
               "the table has no column %s (a peer table has TABLE_SCHEMA, "
               "TABLE_NAME, INDEX_NAME, READ_COUNT, NODE_USAGE_STATUS, "
               "NODE_NAME)",
               need_cols[i]);
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

  /* A peer that answers late is cut here too (the wait for the answer
     itself cannot be: FederatedX sets no timeout on its connection). */
  snprintf(set, sizeof(set),
           "SET SESSION max_statement_time= %.3f, lock_wait_timeout= %lu",
           j->timeout_s, (ulong) j->timeout_s + 1);
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
  if (j->n_rows &&
      !(j->cells= (char **) alloc_root(&j->root, j->n_rows * PEER_COLS *
                                                     sizeof(char *))))
  {
    job_fail(j, "out of memory", NULL);
    goto end;
  }
  for (size_t r= 0; (row= mysql_fetch_row(res)); r++)
    for (int c= 0; c < PEER_COLS; c++)
      if (!row[c])
        j->cells[r * PEER_COLS + c]= NULL;
      else if (!(j->cells[r * PEER_COLS + c]= strdup_root(&j->root, row[c])))
      {
        job_fail(j, "out of memory", NULL);
        goto end;
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

static void peer_gone(THD *thd, pa_peer_state *p, const char *why)
{
  p->gone= true;
  p->n_rows= 0;
  push_warning_printf(thd, Sql_condition::WARN_LEVEL_WARN, ER_UNKNOWN_ERROR,
                      "perf_advisor: peer %s: %s; the usage of its "
                      "indexes is unknown",
                      p->label, why);
}

/* Parse the declaration, as it is now. */
static void parse_declaration(THD *thd, pa_peers *c)
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
       index's usage is unknown rather than a guess. */
    pa_peer_state *p= &c->p[0];
    c->n= 1;
    memset(&p->name, 0, sizeof(p->name));
    strmake(p->label, "perf_advisor_peer_tables", sizeof(p->label) - 1);
    p->node= p->label;
    peer_gone(thd, p, truncated ? "the declaration is too long" : err);
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

static int row_cmp(const void *a_, const void *b_)
{
  const pa_peer_row *a= (const pa_peer_row *) a_,
                    *b= (const pa_peer_row *) b_;
  int d= strcmp(a->schema, b->schema);
  if (!d)
    d= strcmp(a->table, b->table);
  return d ? d : my_strcasecmp(system_charset_info, a->index, b->index);
}

/* Copy a finished job's rows into p, on root. */
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
    char *const *cell= &j->cells[r * PEER_COLS];
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
  peer_job *jobs[PA_PEER_MAX]= {};
  pa_alloc a= {pa_root_alloc, root};
  size_t started= 0;

  if (c->parsed)
    return c->n;
  parse_declaration(thd, c);

  /* Start a read of every peer still there. */
  for (size_t i= 0; i < c->n; i++)
  {
    pa_peer_state *p= &c->p[i];
    peer_job *j;
    char *cols, *rows, *qdb, *qt;
    bool busy= false, full;

    if (p->gone)
      continue;
    if (!pa_caller_reads_table(thd, p->name.db, p->name.table))
    {
      peer_gone(thd, p, "no SELECT privilege on the table");
      continue;
    }
    if (!(qdb= pa_sql_string(&a, p->name.db)) ||
        !(qt= pa_sql_string(&a, p->name.table)) ||
        !(cols= pa_strdupf(&a,
                           "SELECT COLUMN_NAME FROM information_schema."
                           "COLUMNS WHERE TABLE_SCHEMA = %s AND "
                           "TABLE_NAME = %s",
                           qdb, qt)) ||
        !(rows= pa_strdupf(&a,
                           "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, "
                           "READ_COUNT, NODE_USAGE_STATUS, NODE_NAME "
                           "FROM %s",
                           p->label)))
    {
      peer_gone(thd, p, "out of memory");
      continue;
    }
    mysql_mutex_lock(&LOCK_pa_peer);
    for (peer_job *o= pa_jobs; o && !busy; o= o->next)
      busy= o->abandoned && !o->done && !strcmp(o->label, p->label);
    full= pa_n_threads >= PA_PEER_MAX_THREADS;
    mysql_mutex_unlock(&LOCK_pa_peer);
    if (busy || full)
    {
      peer_gone(thd, p,
                busy ? "an earlier read of it has not answered yet"
                     : "too many peer reads are running");
      continue;
    }
    if (!(j= (peer_job *) my_malloc(key_memory_pa_peer, sizeof(*j),
                                    MYF(MY_ZEROFILL))))
    {
      peer_gone(thd, p, "out of memory");
      continue;
    }
    init_alloc_root(key_memory_pa_peer, &j->root, 8192, 0, MYF(0));
    strmake(j->label, p->label, sizeof(j->label) - 1);
    j->timeout_s= c->timeout_ms / 1000.0;
    if (!(j->sql_cols= strdup_root(&j->root, cols)) ||
        !(j->sql_rows= strdup_root(&j->root, rows)) ||
        !(j->sql_flush= (char *) alloc_root(&j->root,
                                             strlen(p->label) + 32)))
    {
      free_root(&j->root, MYF(0));
      my_free(j);
      peer_gone(thd, p, "out of memory");
      continue;
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
    if (mysql_thread_create(key_thread_pa_peer, &tid, &attr, peer_thread,
                            j))
    {
      pa_n_threads--;
      j->refs= 1;
      job_release(j);
      j= NULL;
    }
    mysql_mutex_unlock(&LOCK_pa_peer);
    pthread_attr_destroy(&attr);
    if (!j)
    {
      peer_gone(thd, p, "cannot start a thread to read it");
      continue;
    }
    jobs[i]= j;
    started++;
  }
  if (!started)
    return c->n;

  /* Wait for all of them, at most perf_advisor_peer_timeout_ms. */
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
    if (p->gone)
      continue;
    if (!done[i])
    {
      if (!thd->killed)
      {
        char why[96];
        snprintf(why, sizeof(why),
                 "no answer within perf_advisor_peer_timeout_ms (%lu ms)",
                 c->timeout_ms);
        peer_gone(thd, p, why);
      }
      else
        p->gone= true;
      continue;
    }
    if (!jobs[i]->ok)
      peer_gone(thd, p, jobs[i]->err);
    else if (!take_rows(p, jobs[i], root))
      peer_gone(thd, p, "out of memory");
  }
  mysql_mutex_lock(&LOCK_pa_peer);
  for (size_t i= 0; i < c->n; i++)
    if (jobs[i])
      job_release(jobs[i]);
  mysql_mutex_unlock(&LOCK_pa_peer);
  return c->n;
}

void pa_peers_lookup(const pa_peers *c, size_t i, const char *schema,
                     const char *table, const char *index,
                     pa_node_usage *out)
{
  const pa_peer_state *p= &c->p[i];
  pa_peer_row key;
  const pa_peer_row *r;

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
