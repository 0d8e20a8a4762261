# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Helpers of scripts/bench-scale.sh: the SQL it loads and runs, and the
# timing functions.  Source after scripts/lib/server.sh.  Needs SCALE_WORK
# (a scratch directory) and SCALE_TIMEOUT (seconds) set by the caller.

SCALE_SCHEMAS=${SCALE_SCHEMAS:-10}   # schemas the N tables are spread over
SCALE_BIG_TABLES=3
SCALE_BIG_ROWS=${SCALE_BIG_ROWS:-200000}
SCALE_SAMPLE=500                     # small tables the workload touches

# Columns and indexes every generated table has: a unique key, a duplicate
# pair (ix_customer, ix_customer_dup) and a left-prefix pair (ix_status,
# ix_status_created).
SCALE_COLS="id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
 code VARCHAR(32) NOT NULL, customer_id INT UNSIGNED NOT NULL,
 status TINYINT UNSIGNED NOT NULL, created DATETIME NOT NULL,
 amount DECIMAL(12,2) NOT NULL, note VARCHAR(200)"
SCALE_KEYS="UNIQUE KEY uk_code (code), KEY ix_customer (customer_id),
 KEY ix_customer_dup (customer_id), KEY ix_status (status),
 KEY ix_status_created (status, created)"

# The N small tables t0..t<N-1> over schemas scale_0..scale_<k-1> (table i
# in scale_<i mod k>), 5 rows each, and one 10-row parent table per schema.
# By the table's rank j in its schema: j % 4 == 3 adds KEY(created) and
# KEY(created, id) (a primary-key suffix pair on InnoDB); j % 20 == 0 adds a
# FULLTEXT index; j % 5 == 1 adds a foreign key to the schema's parent (and
# the index backing it).  One stream for the mariadb client.
scale_setup_sql() {
  local n=$1 k=$SCALE_SCHEMAS i s j cols keys vals
  # Setup is not workload: keep it out of performance_schema's counters
  # and digests.
  echo "UPDATE performance_schema.threads SET INSTRUMENTED= 'NO'"
  echo "  WHERE PROCESSLIST_ID= CONNECTION_ID();"
  echo "SET SESSION sql_log_bin= 0;"
  for ((s = 0; s < k; s++)); do
    echo "CREATE DATABASE scale_$s; USE scale_$s;"
    echo "CREATE TABLE parent (id INT UNSIGNED NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL) ENGINE=InnoDB;"
    echo "INSERT INTO parent SELECT seq, CONCAT('p', seq) FROM seq_1_to_10;"
  done
  for ((i = 0; i < n; i++)); do
    s=$((i % k)); j=$((i / k)); cols=""; keys=""; vals=""
    if ((j % 4 == 3)); then
      keys+=", KEY ix_created (created), KEY ix_created_id (created, id)"
    fi
    if ((j % 20 == 0)); then keys+=", FULLTEXT KEY ft_note (note)"; fi
    if ((j % 5 == 1)); then
      cols=", parent_id INT UNSIGNED"; vals=", 1 + seq % 10"
      keys+=", KEY ix_parent (parent_id), CONSTRAINT fk_t${i}_parent FOREIGN KEY (parent_id) REFERENCES parent (id)"
    fi
    echo "USE scale_$s;"
    echo "CREATE TABLE t$i ($SCALE_COLS$cols, $SCALE_KEYS$keys) ENGINE=InnoDB;"
    echo "INSERT INTO t$i (code, customer_id, status, created, amount, note${cols:+, parent_id}) SELECT CONCAT('c', seq), seq % 3, seq % 2, '2024-01-01' + INTERVAL seq DAY, seq * 1.5, CONCAT('note ', seq)$vals FROM seq_1_to_5;"
  done
}

# The big tables scale_big.big_0.. with SCALE_BIG_ROWS rows each, analyzed
# so that InnoDB's persistent statistics (index sizes) are current.
scale_big_sql() {
  local b list=""
  echo "UPDATE performance_schema.threads SET INSTRUMENTED= 'NO'"
  echo "  WHERE PROCESSLIST_ID= CONNECTION_ID();"
  echo "SET SESSION sql_log_bin= 0;"
  echo "CREATE DATABASE scale_big; USE scale_big;"
  for ((b = 0; b < SCALE_BIG_TABLES; b++)); do
    echo "CREATE TABLE big_$b ($SCALE_COLS, $SCALE_KEYS) ENGINE=InnoDB;"
    echo "INSERT INTO big_$b (code, customer_id, status, created, amount, note) SELECT CONCAT('c', seq), seq % 5000, seq % 7, '2020-01-01' + INTERVAL (seq % 1500) DAY + INTERVAL (seq % 86400) SECOND, seq % 10000 / 100, CONCAT('order note ', seq) FROM seq_1_to_$SCALE_BIG_ROWS;"
    list+="${list:+, }big_$b"
  done
  echo "ANALYZE TABLE $list;"
}

# A short workload, the same for every N: on each big table, index lookups
# (ix_customer, uk_code, ix_status_created), full scans and an unindexed
# filter + sort; on up to SCALE_SAMPLE small tables spread over all
# schemas, a unique lookup, an index count, an update and a full scan.
scale_workload_sql() {
  local n=$1 k=$SCALE_SCHEMAS b v i step
  for ((b = 0; b < SCALE_BIG_TABLES; b++)); do
    echo "USE scale_big;"
    for ((v = 1; v <= 200; v++)); do
      echo "SELECT COUNT(*) FROM big_$b WHERE customer_id = $((v * 37 % 5000));"
    done
    for ((v = 1; v <= 50; v++)); do
      echo "SELECT id, amount FROM big_$b WHERE code = 'c$((v * 997 % SCALE_BIG_ROWS + 1))';"
    done
    for ((v = 1; v <= 20; v++)); do
      echo "SELECT COUNT(*) FROM big_$b WHERE status = $((v % 7)) AND created >= '2021-01-01' + INTERVAL $v DAY AND created < '2021-01-01' + INTERVAL $((v + 30)) DAY;"
    done
    for ((v = 1; v <= 3; v++)); do
      echo "SELECT COUNT(*) FROM big_$b WHERE note LIKE '%$v$v$v%';"
    done
    for ((v = 1; v <= 5; v++)); do
      echo "SELECT id, code FROM big_$b WHERE amount BETWEEN $v AND $v.5 ORDER BY created DESC LIMIT 10;"
    done
  done
  step=$(( n > SCALE_SAMPLE ? n / SCALE_SAMPLE : 1 ))
  for ((i = 0; i < n; i += step)); do
    echo "USE scale_$((i % k));"
    echo "SELECT id, amount FROM t$i WHERE code = 'c3';"
    echo "SELECT COUNT(*) FROM t$i WHERE customer_id = 1;"
    echo "UPDATE t$i SET amount = amount + 1 WHERE id = 2;"
    echo "SELECT COUNT(*) FROM t$i WHERE note LIKE '%3%';"
  done
}

# --- timing ---------------------------------------------------------------

# One client session: reps times the statement, each timed as the
# difference of two NOW(6) taken by separate statements around it, then
# "SELECT <times in us>, <vals>" (vals: what the statement stored INTO user
# variables).  Errors do not stop the session (--force); they go to
# $SCALE_WORK/sql.err.  Prints the last line: times, then vals, tab
# separated.
scale_sql_reps() {  # reps, statement, vals
  local reps=$1 stmt=$2 vals=${3:-NULL} i
  {
    echo "SET @pa_times= '';"
    for ((i = 0; i < reps; i++)); do
      echo "SET @t0= NOW(6);"
      echo "SET STATEMENT max_statement_time= $SCALE_TIMEOUT FOR $stmt;"
      echo "SET @pa_times= CONCAT(@pa_times, TIMESTAMPDIFF(MICROSECOND, @t0, NOW(6)), ' ');"
    done
    echo "SELECT @pa_times, $vals;"
  } | pa_sql -N --force 2>"$SCALE_WORK/sql.err" | tail -n1 || true
}

# "min median" in ms of a list of microseconds (or nanoseconds / 1000).
scale_stats() {
  tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR]= $1 } END {
    if (NR == 0) { print "- -"; exit }
    printf "%.2f %.2f\n", a[1] / 1000, a[int((NR + 1) / 2)] / 1000 }'
}

# The first error line of a file, without the client's "at line N" noise.
scale_first_error() {
  grep -m1 -E '^ERROR [0-9]|Illegal |Uncaught |died|at [^ ]+ line [0-9]+|^[A-Za-z_:]+: .*[Ee]rror' "$1" \
    | sed -E 's/ at line [0-9]+:/:/; s/ \(#[0-9]+\)$//' | cut -c1-160 || true
}

# Growth per 10x N between (n1, t1) and (n2, t2): (t2/t1)^(1/log10(n2/n1)).
scale_growth() {
  awk -v n1="$1" -v t1="$2" -v n2="$3" -v t2="$4" 'BEGIN {
    if (t1 + 0 <= 0 || t2 + 0 <= 0 || n2 <= n1 || t1 ~ /[^0-9.]/ || t2 ~ /[^0-9.]/) { print "—"; exit }
    g= exp(log(t2 / t1) / (log(n2 / n1) / log(10)))
    printf (g >= 10 ? "%.0f×" : "%.1f×"), g }'
}
