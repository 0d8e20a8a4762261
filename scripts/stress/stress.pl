#!/usr/bin/perl
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# The workload and the consistency checks of scripts/stress.sh, against a
# server the caller started (unix socket only).  Forks bounded workers:
#   16 DML, 4 PERF_ checkers, 2 DDL churners, 1 flusher, 1 plugin cycler,
# runs them for --seconds, watches the server process, and prints one line
# per check:  CHECK <tab> ok|FAIL <tab> name <tab> detail
# plus "INFO" lines for the summary.  Exit status 0 unless it could not run.
#
#   perl stress.pl --socket S --pid P --dir WORKDIR --seconds N
use strict;
use warnings;
use DBI;
use POSIX qw(:sys_wait_h floor);
use Time::HiRes qw(time sleep);
use Getopt::Long;

my ($SOCK, $SERVER_PID, $DIR, $SECONDS)= (undef, undef, undef, 600);
my $PLUGIN_CYCLE= 1;
my $FLUSH= 1;
my $ONLY_TABLES= '';      # comma-separated PERF_ tables to check (debugging)
my $N_DML= 16;
my $N_CHECK= 4;         # 0: a control run without PERF_ statements
my $N_DDL= 2;
GetOptions('socket=s' => \$SOCK, 'pid=i' => \$SERVER_PID, 'dir=s' => \$DIR,
           'seconds=i' => \$SECONDS, 'dml=i' => \$N_DML,
           'checkers=i' => \$N_CHECK, 'ddl=i' => \$N_DDL,
           'flush!' => \$FLUSH, 'tables=s' => \$ONLY_TABLES,
           'plugin-cycle!' => \$PLUGIN_CYCLE)
  or die "usage: stress.pl --socket S --pid P --dir D --seconds N\n";
die "stress.pl: --socket, --pid and --dir are required\n"
  unless $SOCK && $SERVER_PID && $DIR;

my @SCHEMAS= qw(stress_a stress_b stress_c);
my %SCHEMA_OK= map { $_ => 1 } @SCHEMAS;
my $NAMES_FILE= "$DIR/names.txt";
my @DTABLES= map { "d$_" } 1 .. 8;

# --------------------------------------------------------------------------
# Connections

sub dbconnect
{
  my ($db, $tries)= @_;
  $tries //= 20;
  for my $i (1 .. $tries)
  {
    my $dbh= DBI->connect(
        "DBI:MariaDB:database=$db;mariadb_socket=$SOCK;"
            . "mariadb_connect_timeout=10;mariadb_read_timeout=300;"
            . "mariadb_write_timeout=60",
        'root', '', {RaiseError => 0, PrintError => 0, AutoCommit => 1});
    if ($dbh)
    {
      # Nothing waits long: a stuck lock shows up as an error, not a hang.
      $dbh->do('SET SESSION lock_wait_timeout= 20, '
               . 'innodb_lock_wait_timeout= 20');
      return $dbh;
    }
    sleep 0.5;
  }
  return undef;
}

# --------------------------------------------------------------------------
# Per-process results: counters and a few samples of each failure, written
# to a file the parent reads when the process is gone.

my %count;         # name => number
my %fail;          # check => number of violations
my %sample;        # check => [details...] (first few)
my %errs;          # "code message" => number (statement errors)
my %warns;         # "code message" => number (warnings of PERF_ statements)

sub violation
{
  my ($check, $detail)= @_;
  $fail{$check}++;
  push @{$sample{$check}}, $detail if @{$sample{$check} // []} < 5;
}

sub norm_msg
{
  my ($m)= @_;
  $m //= '';
  $m =~ s/'[^']*'/'?'/g;
  $m =~ s/`[^`]*`/`?`/g;
  $m =~ s/\d+/N/g;
  return substr($m, 0, 160);
}

sub write_results
{
  my ($who)= @_;
  open(my $fh, '>', "$DIR/result.$who.$$") or return;
  print $fh "count\t$_\t$count{$_}\n" for sort keys %count;
  print $fh "fail\t$_\t$fail{$_}\n" for sort keys %fail;
  for my $c (sort keys %sample)
  {
    for my $s (@{$sample{$c}})
    {
      (my $x= $s) =~ s/[\t\n]/ /g;
      print $fh "sample\t$c\t$x\n";
    }
  }
  for my $e (sort keys %errs)
  {
    (my $x= $e) =~ s/[\t\n]/ /g;
    print $fh "err\t$who\t$x\t$errs{$e}\n";
  }
  for my $e (sort keys %warns)
  {
    (my $x= $e) =~ s/[\t\n]/ /g;
    print $fh "warn\t$who\t$x\t$warns{$e}\n";
  }
  close $fh;
}

# Run one statement; on error count it and say whether it was expected.
# Lost connections reconnect (the caller's handle is replaced).
my %LOST= map { $_ => 1 } (2002, 2006, 2013, 2026, 2055);

sub run_sql
{
  my ($dbhref, $sql, $expected, $who)= @_;
  my $dbh= $$dbhref;
  if (!$dbh)
  {
    $$dbhref= $dbh= dbconnect('stress_a', 4) or do {
      $count{"$who.no_connection"}++;
      sleep 0.5;
      return undef;
    };
  }
  my $ok= $dbh->do($sql);
  return $ok if defined $ok;
  my $code= $dbh->err // 0;
  $errs{"$code " . norm_msg($dbh->errstr)}++;
  if ($LOST{$code})
  {
    $count{"$who.lost_connection"}++;
    $$dbhref= undef;
    return undef;
  }
  violation("$who.unexpected_errors", "$code " . ($dbh->errstr // '')
                                          . " <- $sql")
    unless $expected->{$code};
  return undef;
}

# --------------------------------------------------------------------------
# The names the workload ever created.  Writers append a name *before* the
# statement that creates it runs; readers reload when they meet a new one.

sub log_names
{
  my (@names)= @_;
  open(my $fh, '>>', $NAMES_FILE) or die "$NAMES_FILE: $!";
  print $fh join('', map { "$_\n" } @names);
  close $fh;
}

my %names;
my $names_off= 0;

sub reload_names
{
  open(my $fh, '<', $NAMES_FILE) or return;
  seek($fh, $names_off, 0);
  while (my $l= <$fh>)
  {
    last unless $l =~ /\n$/;
    chomp $l;
    $names{$l}= 1;
    $names_off+= length($l) + 1;
  }
  close $fh;
}

sub known_name
{
  my ($schema, $table)= @_;
  return 1 if $names{"$schema.$table"};
  reload_names();
  return $names{"$schema.$table"};
}

# --------------------------------------------------------------------------
# Setup: the schemas and the fixed tables, before any worker starts.

sub setup
{
  my $dbh= dbconnect('mysql') or die "stress.pl: cannot connect\n";
  my @sql= (
    'DROP DATABASE IF EXISTS stress_a', 'DROP DATABASE IF EXISTS stress_b',
    'DROP DATABASE IF EXISTS stress_c',
    'CREATE DATABASE stress_a', 'CREATE DATABASE stress_b',
    'SET GLOBAL perf_advisor_snapshot_interval= 1',
    'SET GLOBAL perf_advisor_max_staleness_ms= 0',
    # a counted-but-cheap source of numbers for fills
    'CREATE TABLE stress_a.nums (n INT PRIMARY KEY) ENGINE=InnoDB',
    'SET SESSION max_recursive_iterations= 100000',
    'INSERT INTO stress_a.nums WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL '
      . 'SELECT n + 1 FROM r WHERE n < 2000) SELECT n FROM r');
  my @names= map { "stress_a.$_" }
                 (qw(nums quiet quiet_child fk_parent fk_child aria_t), @DTABLES);
  log_names(@names);
  for my $t (@DTABLES)
  {
    push @sql,
      "CREATE TABLE stress_a.$t (id INT AUTO_INCREMENT PRIMARY KEY, a INT,"
        . " b INT, c VARCHAR(40), pad CHAR(100) NOT NULL DEFAULT '',"
        . " KEY ka (a), KEY kb (b, c)) ENGINE=InnoDB",
      "INSERT INTO stress_a.$t (a, b, c, pad) SELECT n % 97, n % 13,"
        . " CONCAT('c', n % 50), REPEAT('x', n % 100) FROM stress_a.nums";
  }
  push @sql,
    # a table nobody touches after setup: its answer must never change
    'CREATE TABLE stress_a.quiet (id INT PRIMARY KEY, a INT, b INT, s'
      . ' VARCHAR(20), KEY ka (a), KEY ka2 (a), KEY kab (a, b), UNIQUE KEY'
      . ' u_s (s), KEY kb (b) IGNORED, KEY kbid (b, id)) ENGINE=InnoDB',
    'INSERT INTO stress_a.quiet SELECT n, n % 7, n % 11, CONCAT("s", n)'
      . ' FROM stress_a.nums WHERE n <= 300',
    'CREATE TABLE stress_a.quiet_child (id INT PRIMARY KEY, qid INT,'
      . ' KEY fk_qid (qid), CONSTRAINT fk_quiet FOREIGN KEY (qid)'
      . ' REFERENCES stress_a.quiet (id)) ENGINE=InnoDB',
    'INSERT INTO stress_a.quiet_child SELECT n, n FROM stress_a.nums'
      . ' WHERE n <= 100',
    'ANALYZE TABLE stress_a.quiet, stress_a.quiet_child',
    'CREATE TABLE stress_a.fk_parent (id INT PRIMARY KEY, v INT, KEY kv (v))'
      . ' ENGINE=InnoDB',
    'INSERT INTO stress_a.fk_parent SELECT n, n FROM stress_a.nums'
      . ' WHERE n <= 500',
    'CREATE TABLE stress_a.fk_child (id INT AUTO_INCREMENT PRIMARY KEY,'
      . ' pid INT NOT NULL, x INT, KEY fk_pid (pid), KEY kx (x),'
      . ' CONSTRAINT fk_child_parent FOREIGN KEY (pid) REFERENCES'
      . ' stress_a.fk_parent (id) ON DELETE CASCADE) ENGINE=InnoDB',
    'CREATE TABLE stress_a.aria_t (id INT PRIMARY KEY, a INT, KEY ka (a))'
      . ' ENGINE=Aria',
    'INSERT INTO stress_a.aria_t SELECT n, n % 10 FROM stress_a.nums';
  for my $s (@sql)
  {
    $dbh->do($s) or die "stress.pl: setup failed: $s: " . $dbh->errstr . "\n";
  }
  $dbh->disconnect;
}

# The columns of each PERF_ table, and which may not be NULL.
my (@PERF_TABLES, %COLS, %NOT_NULL, %NUMERIC);

sub discover
{
  my $dbh= dbconnect('information_schema') or die "cannot connect\n";
  my $r= $dbh->selectall_arrayref(
      "SELECT TABLE_NAME, COLUMN_NAME, IS_NULLABLE, DATA_TYPE"
        . " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA ="
        . " 'information_schema' AND TABLE_NAME LIKE 'PERF\\_%'"
        . " ORDER BY TABLE_NAME, ORDINAL_POSITION");
  die "stress.pl: no PERF_ tables (is the plugin loaded?)\n" unless @$r;
  for my $row (@$r)
  {
    my ($t, $c, $n, $type)= @$row;
    push @PERF_TABLES, $t unless $COLS{$t};
    push @{$COLS{$t}}, $c;
    $NOT_NULL{$t}{$c}= 1 if $n eq 'NO';
    $NUMERIC{$t}{$c}= 1
      if $type =~ /^(tinyint|smallint|mediumint|int|bigint|decimal|double|float)$/;
  }
  $dbh->disconnect;
  if ($ONLY_TABLES)
  {
    my %only= map { $_ => 1 } split(/,/, $ONLY_TABLES);
    @PERF_TABLES= grep { $only{$_} } @PERF_TABLES;
  }
}

# Columns of the quiet table's rows that must never change.
my @QUIET_IU= qw(INDEX_NAME INDEX_TYPE COLUMNS IS_PRIMARY IS_UNIQUE IS_IGNORED
  FK_NAME READ_COUNT ROWS_READ WRITE_COUNT USAGE_STATUS REDUNDANCY
  REDUNDANT_WITH DROP_SAFE DROP_BLOCKER STATS_SOURCE);
my @QUIET_TA= qw(TABLE_NAME ENGINE INDEX_COUNT ROWS_READ ROWS_CHANGED
  FULL_SCAN_READS SLOW_QUERY_COUNT STATS_SOURCE);
my %quiet_base;

sub row_text
{
  my ($row, $cols)= @_;
  return join('|', map { defined $row->{$_} ? $row->{$_} : 'NULL' } @$cols);
}

sub quiet_answer
{
  my ($t, $rows)= @_;
  my @q= grep {
    ($_->{TABLE_SCHEMA} // '') eq 'stress_a'
      && (($_->{TABLE_NAME} // '') eq 'quiet'
          || ($_->{TABLE_NAME} // '') eq 'quiet_child')
  } @$rows;
  my $cols= $t eq 'PERF_INDEX_USAGE' ? \@QUIET_IU : \@QUIET_TA;
  return join("\n",
              sort map { "$_->{TABLE_NAME}:" . row_text($_, $cols) } @q);
}

sub quiet_baseline
{
  my $dbh= dbconnect('information_schema') or die "cannot connect\n";
  for my $t (qw(PERF_INDEX_USAGE PERF_TABLE_ANALYSIS))
  {
    my $rows= $dbh->selectall_arrayref(
        "SELECT * FROM information_schema.$t WHERE TABLE_SCHEMA = 'stress_a'"
          . " AND TABLE_NAME IN ('quiet', 'quiet_child')", {Slice => {}})
      or die "stress.pl: $t: " . $dbh->errstr . "\n";
    $quiet_base{$t}= quiet_answer($t, $rows);
  }
  $dbh->disconnect;
}

# --------------------------------------------------------------------------
# Workers

my $DEADLINE;

sub rnd { int(rand($_[0])) }

sub pick { $_[rnd(scalar @_)] }

sub random_churn_name
{
  reload_names() if rand() < 0.05 || !%names;
  my @c= grep { /^stress_[bc]\./ } keys %names;
  return @c ? pick(@c) : 'stress_b.none';
}

my %DML_OK= map { $_ => 1 } (1205, 1213, 1146, 1176, 1412, 1054, 1452,
                             1049, 1030, 1020, 1062, 1356);
# 1205 lock wait timeout, 1213 deadlock, 1146 no such table (churn tables),
# 1176 key does not exist / ignored (FORCE INDEX on a churned index),
# 1412 table definition changed, 1054 unknown column (churn altered it),
# 1452 FK parent row missing, 1049 unknown database (stress_c churn),
# 1020 record changed since last read, 1062 duplicate key (fk_child ids)

sub dml_worker
{
  my ($w)= @_;
  srand($$ ^ time());
  my $dbh= dbconnect('stress_a');
  while (time() < $DEADLINE)
  {
    my $t= pick(@DTABLES);
    my $a= rnd(97);
    my $b= rnd(13);
    my $id= 1 + rnd(2600);
    my $r= rand();
    my $sql;
    if ($r < 0.12)
    {
      my $n= 1 + rnd(3);
      $sql= "INSERT INTO $t (a, b, c, pad) VALUES "
            . join(',', map { "($a, $b, 'c" . rnd(50) . "', 'p$_')" } 1 .. $n);
    }
    elsif ($r < 0.20)
    {
      $sql= "UPDATE $t SET b= b + 1, c= 'u$w' WHERE id = $id";
    }
    elsif ($r < 0.26)
    {
      $sql= "UPDATE $t SET pad= 'upd' WHERE a = $a LIMIT 3";
    }
    elsif ($r < 0.32)
    {
      $sql= "DELETE FROM $t WHERE id BETWEEN $id AND " . ($id + 2);
    }
    elsif ($r < 0.47)
    {
      $sql= "SELECT COUNT(*), MAX(c) FROM $t FORCE INDEX (ka) WHERE a = $a";
    }
    elsif ($r < 0.57)
    {
      $sql= "SELECT id, c FROM $t WHERE b = $b AND c > 'c2' LIMIT 20";
    }
    elsif ($r < 0.67)
    {
      $sql= "SELECT * FROM $t WHERE id = $id";
    }
    elsif ($r < 0.72)
    {
      # no usable index: a full scan
      $sql= "SELECT COUNT(*) FROM $t WHERE pad LIKE '%q%'";
    }
    elsif ($r < 0.78)
    {
      $sql= "INSERT INTO fk_child (pid, x) VALUES (" . (1 + rnd(520)) . ", $a)";
    }
    elsif ($r < 0.82)
    {
      $sql= "DELETE FROM fk_child WHERE x = $a LIMIT 2";
    }
    elsif ($r < 0.85)
    {
      $sql= "SELECT COUNT(*) FROM fk_child FORCE INDEX (fk_pid) WHERE pid < "
            . rnd(500);
    }
    elsif ($r < 0.88)
    {
      $sql= "UPDATE aria_t SET a= a + 1 WHERE id = " . (1 + rnd(2000));
    }
    elsif ($r < 0.92)
    {
      # a short transaction over two tables
      my $t2= pick(@DTABLES);
      run_sql(\$dbh, 'BEGIN', \%DML_OK, 'dml');
      run_sql(\$dbh, "UPDATE $t SET b= b + 1 WHERE a = $a LIMIT 2", \%DML_OK,
              'dml');
      run_sql(\$dbh, "UPDATE $t2 SET b= b - 1 WHERE a = $a LIMIT 2",
              \%DML_OK, 'dml');
      $sql= 'COMMIT';
    }
    else
    {
      # the churned tables, so that they have counters too
      my $n= random_churn_name();
      $sql= pick("SELECT COUNT(*) FROM $n FORCE INDEX (ka) WHERE a < 5",
                 "SELECT * FROM $n WHERE b = $b LIMIT 5",
                 "UPDATE $n SET a= a + 1 WHERE id = " . (1 + rnd(200)),
                 "INSERT INTO $n (a, b, s) VALUES ($a, $b, 'w')");
    }
    $count{'dml.statements'}++;
    if (my $sth= ($dbh ? $dbh->prepare($sql) : undef))
    {
      if ($sth->execute)
      {
        $sth->fetchall_arrayref if $sth->{NUM_OF_FIELDS};
        $count{'dml.ok'}++;
      }
      else
      {
        my $code= $sth->err // 0;
        $errs{"$code " . norm_msg($sth->errstr)}++;
        if ($LOST{$code}) { $count{'dml.lost_connection'}++; $dbh= undef; }
        elsif (!$DML_OK{$code})
        {
          violation('dml.unexpected_errors', "$code " . $sth->errstr
                                                 . " <- $sql");
        }
        $dbh->do('ROLLBACK') if $dbh && $sql eq 'COMMIT';
      }
    }
    else
    {
      $dbh= dbconnect('stress_a', 4);
      $count{'dml.no_connection'}++ unless $dbh;
      sleep 0.2 unless $dbh;
    }
    # think time: bounded load on a 2-core machine
    sleep(0.002 + rand(0.006));
  }
  write_results("dml$w");
}

my %DDL_OK= map { $_ => 1 } (1205, 1213, 1146, 1050, 1091, 1061, 1060, 1176,
                             1008, 1007, 1049, 1072, 1025, 1054, 1217,
                             1451, 1828, 1846, 1062, 1412);
# 1050 table exists, 1091 cannot drop a missing key or column, 1061/1060
# duplicate key/column name, 1008/1007/1049 database churn, 1072 key column missing, 1025/1217/
# 1451/1828 FK refusals, 1846 ALTER algorithm not supported, 1062 dup key

sub ddl_worker
{
  my ($w)= @_;
  srand($$ ^ time());
  my $dbh= dbconnect('stress_b');
  my @live;        # names of this worker's churn tables (schema.table)
  my $i= 0;
  my $ok= sub { $count{'ddl.statements'}++;
                my $r= run_sql(\$dbh, $_[0], \%DDL_OK, 'ddl');
                $count{'ddl.ok'}++ if defined $r; return $r; };
  while (time() < $DEADLINE)
  {
    $i++;
    my $r= rand();
    # between 3 and 12 live tables each: the population (and the store,
    # and the server's caches) stays in a band however long the run
    if (@live < 3 || ($r < 0.22 && @live < 12))
    {
      my $name= "stress_b.c${w}_$i";
      log_names($name);
      my $ign= rand() < 0.3 ? ' IGNORED' : '';
      if ($ok->("CREATE TABLE $name (id INT AUTO_INCREMENT PRIMARY KEY,"
                . " a INT, b INT, s VARCHAR(32), KEY ka (a), KEY kab (a, b),"
                . " KEY kb (b)$ign) ENGINE=InnoDB"))
      {
        push @live, $name;
        $ok->("INSERT INTO $name (a, b, s) SELECT n % 17, n % 5, CONCAT('s',"
              . " n) FROM stress_a.nums WHERE n <= " . (50 + rnd(400)));
        $ok->("SELECT COUNT(*) FROM $name FORCE INDEX (ka) WHERE a = 3");
      }
    }
    elsif ($r < 0.34)
    {
      my $n= pick(@live);
      $ok->(pick("ALTER TABLE $n ADD INDEX ks (s)",
                 "ALTER TABLE $n DROP INDEX ks",
                 "ALTER TABLE $n DROP INDEX ka",
                 "ALTER TABLE $n ADD INDEX ka (a)",
                 "ALTER TABLE $n ADD UNIQUE INDEX u_s (s)",
                 "ALTER TABLE $n DROP INDEX u_s",
                 "ALTER TABLE $n ALTER INDEX kb IGNORED",
                 "ALTER TABLE $n ALTER INDEX kb NOT IGNORED",
                 "ALTER TABLE $n ADD COLUMN x INT, ADD INDEX kx (x, a)",
                 "ALTER TABLE $n DROP COLUMN x",
                 "ALTER TABLE $n ENGINE=InnoDB"));
    }
    elsif ($r < 0.44)
    {
      # rename: the new name is logged before it can appear
      my $k= rnd(scalar @live);
      my $old= $live[$k];
      my $new= "stress_b.c${w}_${i}_r";
      log_names($new);
      if ($ok->("RENAME TABLE $old TO $new")) { $live[$k]= $new; }
    }
    elsif ($r < 0.58 && @live > 3)
    {
      my $k= rnd(scalar @live);
      my $n= splice(@live, $k, 1);
      $ok->("DROP TABLE $n");
    }
    elsif ($r < 0.66)
    {
      # the fixed tables' indexes: add/drop, ignore, rebuild (never the
      # PRIMARY/ka/kb definitions: their counts must only grow)
      my $t= 'stress_a.' . pick(@DTABLES);
      $ok->(pick("ALTER TABLE $t ADD INDEX kx (c)",
                 "ALTER TABLE $t DROP INDEX kx",
                 "ALTER TABLE $t ALTER INDEX kb IGNORED",
                 "ALTER TABLE $t ALTER INDEX kb NOT IGNORED",
                 "ALTER TABLE $t ADD INDEX ka_dup (a)",
                 "ALTER TABLE $t DROP INDEX ka_dup",
                 "ALTER TABLE $t FORCE"));
    }
    elsif ($r < 0.72 && $w == 1)
    {
      # a whole schema appears and goes while being scanned
      my @t= map { "stress_c.t$i$_" } 1 .. 3;
      log_names(@t, "stress_c.fkc$i");
      $ok->('CREATE DATABASE IF NOT EXISTS stress_c');
      for my $t (@t)
      {
        $ok->("CREATE TABLE $t (id INT PRIMARY KEY, a INT, KEY ka (a),"
              . " UNIQUE KEY u_a (a, id)) ENGINE=InnoDB");
        $ok->("INSERT INTO $t SELECT n, n % 3 FROM stress_a.nums"
              . " WHERE n < 50");
      }
      $ok->("CREATE TABLE stress_c.fkc$i (id INT PRIMARY KEY, p INT,"
            . " KEY fk_p (p), FOREIGN KEY (p) REFERENCES $t[0] (id))"
            . " ENGINE=InnoDB");
      sleep(rand(0.5));
      $ok->('DROP DATABASE stress_c');
    }
    else
    {
      # drop and re-create an index under the same name, differently
      my $n= pick(@live);
      $ok->("ALTER TABLE $n DROP INDEX kab, ADD INDEX kab (b, a)");
      $ok->("ALTER TABLE $n DROP INDEX kab, ADD INDEX kab (a, b)");
    }
    sleep(0.02 + rand(0.1));
  }
  write_results("ddl$w");
}

sub flusher
{
  srand($$ ^ time());
  my $dbh= dbconnect('stress_a');
  my $ok= {};
  my ($next_stats, $next_trunc)= (time() + 10, time() + 25);
  while (time() < $DEADLINE)
  {
    sleep(1.5 + rand(2));
    last if time() >= $DEADLINE;
    $count{'flush.tables'}++ if run_sql(\$dbh, 'FLUSH TABLES', $ok, 'flush');
    if (time() > $next_stats)
    {
      # userstat counters restart from zero (the store must not go back)
      run_sql(\$dbh, 'FLUSH TABLE_STATISTICS', $ok, 'flush');
      run_sql(\$dbh, 'FLUSH INDEX_STATISTICS', $ok, 'flush');
      $count{'flush.statistics'}++;
      $next_stats= time() + 10 + rand(10);
    }
    if (time() > $next_trunc)
    {
      # performance_schema counters restart from zero, as a DBA may do
      run_sql(\$dbh, 'TRUNCATE TABLE performance_schema.'
                       . 'table_io_waits_summary_by_index_usage', $ok,
              'flush');
      $count{'flush.truncate_pfs'}++;
      $next_trunc= time() + 25 + rand(20);
    }
  }
  write_results('flush');
}

sub plugin_cycler
{
  srand($$ ^ time());
  my $dbh= dbconnect('mysql');
  my $ok= {};
  while (time() < $DEADLINE - 8)
  {
    sleep(6 + rand(8));
    last if time() >= $DEADLINE - 5;
    if (run_sql(\$dbh, "UNINSTALL SONAME 'perf_advisor'", $ok, 'plugin'))
    {
      $count{'plugin.uninstalls'}++;
    }
    sleep(0.1 + rand(1.5));
    # INSTALL must succeed: retry a few times if it does not
    my $installed= 0;
    for (1 .. 5)
    {
      if (run_sql(\$dbh, "INSTALL SONAME 'perf_advisor'", {1125 => 1},
                  'plugin'))
      {
        $installed= 1;
        last;
      }
      sleep 1;
    }
    if ($installed)
    {
      $count{'plugin.installs'}++;
      run_sql(\$dbh, 'SET GLOBAL perf_advisor_snapshot_interval= 1', $ok,
              'plugin');
      run_sql(\$dbh, 'SET GLOBAL perf_advisor_max_staleness_ms= '
                       . pick(0, 0, 50, 1000), $ok, 'plugin');
    }
  }
  write_results('plugin');
}

# --- the PERF_ checker ------------------------------------------------------

my %ENUMS= (
  IS_PRIMARY => {YES => 1, NO => 1},
  IS_UNIQUE => {YES => 1, NO => 1},
  IS_IGNORED => {YES => 1, NO => 1},
  DROP_SAFE => {YES => 1, NO => 1},
  USAGE_STATUS => {used => 1, unused => 1, unknown => 1},
  REDUNDANCY => {duplicate => 1, left_prefix => 1, pk_suffix => 1},
  STATS_SOURCE => {performance_schema => 1, userstat => 1, none => 1},
  INDEX_TYPE => {BTREE => 1, HASH => 1, FULLTEXT => 1, SPATIAL => 1},
  PRIORITY => {high => 1, medium => 1, low => 1},
);

my %last_counter;     # monotonic counters of the fixed tables
my $uptime0;          # server start, epoch seconds (for OBSERVED_SECONDS)

sub check_rows
{
  my ($t, $rows, $schema, $table, $sql)= @_;
  my %seen;
  my $now= time();
  for my $row (@$rows)
  {
    $count{'check.rows'}++;
    my $where= "$t " . ($row->{TABLE_SCHEMA} // '-') . '.'
               . ($row->{TABLE_NAME} // '-')
               . (defined $row->{INDEX_NAME} ? ".$row->{INDEX_NAME}" : '');
    for my $c (keys %{$NOT_NULL{$t}})
    {
      violation('not_null', "$where: $c is NULL") unless defined $row->{$c};
    }
    for my $c (keys %{$NUMERIC{$t}})
    {
      my $v= $row->{$c};
      next unless defined $v;
      violation('numbers', "$where: $c = $v")
        if $v !~ /^\d+(\.\d+)?$/ || $v > 1e15;
    }
    for my $c (keys %ENUMS)
    {
      next unless exists $row->{$c} && defined $row->{$c};
      violation('enums', "$where: $c = '$row->{$c}'")
        unless $ENUMS{$c}{$row->{$c}};
    }
    if (exists $row->{TABLE_SCHEMA} && defined $row->{TABLE_SCHEMA})
    {
      violation('names', "$where: schema not the workload's")
        unless $SCHEMA_OK{$row->{TABLE_SCHEMA}};
      violation('names', "$where: a table the workload never created")
        if defined $row->{TABLE_NAME}
           && !known_name($row->{TABLE_SCHEMA}, $row->{TABLE_NAME});
    }
    violation('names', "$where: TABLE_NAME without TABLE_SCHEMA")
      if exists $row->{TABLE_NAME} && defined $row->{TABLE_NAME}
         && !defined $row->{TABLE_SCHEMA};
    violation('pushdown', "$where: row outside WHERE TABLE_SCHEMA = '$schema'")
      if defined $schema && ($row->{TABLE_SCHEMA} // '') ne $schema;
    violation('pushdown', "$where: row outside WHERE TABLE_NAME = '$table'")
      if defined $table && ($row->{TABLE_NAME} // '') ne $table;
    if (exists $row->{pa_json_valid})
    {
      violation('evidence_json', "$where: EVIDENCE not JSON_VALID: "
                                   . substr($row->{EVIDENCE} // 'NULL', 0, 200))
        unless ($row->{pa_json_valid} // 0) == 1;
    }
    if ($t eq 'PERF_INDEX_USAGE')
    {
      my $k= "$row->{TABLE_SCHEMA}.$row->{TABLE_NAME}.$row->{INDEX_NAME}";
      violation('unique_rows', "$t: $k twice in one answer") if $seen{$k}++;
      if (($row->{DROP_SAFE} // '') eq 'YES')
      {
        violation('drop_safe', "$where: DROP_SAFE=YES on a primary key")
          if ($row->{IS_PRIMARY} // '') eq 'YES';
        violation('drop_safe', "$where: DROP_SAFE=YES on a unique index")
          if ($row->{IS_UNIQUE} // '') eq 'YES';
        violation('drop_safe', "$where: DROP_SAFE=YES with FK_NAME "
                                 . "$row->{FK_NAME}")
          if defined $row->{FK_NAME};
        # by construction: u_* are unique, fk_* the only index of an FK
        violation('drop_safe', "$where: DROP_SAFE=YES on a constraint index")
          if $row->{INDEX_NAME} =~ /^(PRIMARY|u_|fk_)/;
        violation('derived', "$where: DROP_SAFE=YES with a DROP_BLOCKER")
          if defined $row->{DROP_BLOCKER};
      }
      elsif (($row->{DROP_SAFE} // '') eq 'NO')
      {
        violation('derived', "$where: DROP_SAFE=NO without a DROP_BLOCKER")
          unless defined $row->{DROP_BLOCKER};
      }
      violation('derived', "$where: IS_PRIMARY=YES but IS_UNIQUE=NO")
        if ($row->{IS_PRIMARY} // '') eq 'YES'
           && ($row->{IS_UNIQUE} // '') ne 'YES';
      violation('derived', "$where: REDUNDANCY and REDUNDANT_WITH disagree")
        if defined $row->{REDUNDANCY} != defined $row->{REDUNDANT_WITH};
      violation('derived', "$where: redundant with itself")
        if defined $row->{REDUNDANT_WITH}
           && $row->{REDUNDANT_WITH} eq $row->{INDEX_NAME};
      violation('derived', "$where: SELECTIVITY $row->{SELECTIVITY} > 1")
        if defined $row->{SELECTIVITY} && $row->{SELECTIVITY} > 1;
      violation('derived', "$where: ROWS_READ without READ_COUNT")
        if defined $row->{READ_COUNT} != defined $row->{ROWS_READ};
      violation('derived', "$where: USAGE_STATUS=used with READ_COUNT "
                             . ($row->{READ_COUNT} // 'NULL'))
        if ($row->{USAGE_STATUS} // '') eq 'used'
           && !($row->{READ_COUNT} // 0);
      violation('derived', "$where: OBSERVED_SECONDS $row->{OBSERVED_SECONDS}"
                             . " > server uptime")
        if defined $row->{OBSERVED_SECONDS}
           && $row->{OBSERVED_SECONDS} > $now - $uptime0 + 5;
    }
    elsif ($t eq 'PERF_TABLE_ANALYSIS')
    {
      my $k= "$row->{TABLE_SCHEMA}.$row->{TABLE_NAME}";
      violation('unique_rows', "$t: $k twice in one answer") if $seen{$k}++;
      violation('derived', "$where: FRAGMENTATION_PCT $row->{FRAGMENTATION_PCT}")
        if defined $row->{FRAGMENTATION_PCT} && $row->{FRAGMENTATION_PCT} > 100;
      violation('derived', "$where: OBSERVED_SECONDS $row->{OBSERVED_SECONDS}"
                             . " > server uptime")
        if defined $row->{OBSERVED_SECONDS}
           && $row->{OBSERVED_SECONDS} > $now - $uptime0 + 5;
      violation('derived', "$where: counters NULL with a source")
        if ($row->{STATS_SOURCE} // '') ne 'none'
           && !defined $row->{ROWS_READ};
    }
    elsif ($t eq 'PERF_RECOMMENDATIONS')
    {
      my $k= $row->{ID} // '';
      violation('unique_rows', "$t: ID $k twice in one answer")
        if $seen{$k}++;
      violation('not_null', "$t: empty ID") if $k eq '';
      if (($row->{ACTION} // '') =~ /drop_index/
          || ($row->{SUGGESTED_SQL} // '') =~ /DROP (INDEX|KEY|PRIMARY)/i)
      {
        violation('drop_safe', "$where: recommends dropping a constraint "
                                 . "index: " . ($row->{SUGGESTED_SQL} // ''))
          if ($row->{INDEX_NAME} // '') =~ /^(PRIMARY|u_|fk_)/
             || ($row->{SUGGESTED_SQL} // '') =~ /DROP PRIMARY/i;
      }
    }
    elsif ($t eq 'PERF_CACHE_STATS')
    {
      my $k= $row->{CACHE_NAME} // '';
      violation('unique_rows', "$t: $k twice in one answer") if $seen{$k}++;
      my ($h, $m, $hr)= @$row{qw(HITS MISSES HIT_RATIO)};
      violation('derived', "$t $k: HIT_RATIO $hr outside [0,1]")
        if defined $hr && ($hr < 0 || $hr > 1);
      violation('derived', "$t $k: HIT_RATIO $hr != HITS/(HITS+MISSES)"
                             . " = $h/($h+$m)")
        if defined $hr && defined $h && defined $m && $h + $m > 0
           && abs($hr - $h / ($h + $m)) > 0.000002;
    }
    # counters of the fixed tables only grow (per checker, in time order)
    if (($t eq 'PERF_INDEX_USAGE' || $t eq 'PERF_TABLE_ANALYSIS')
        && ($row->{TABLE_SCHEMA} // '') eq 'stress_a'
        && ($row->{TABLE_NAME} // '') =~ /^(d\d+|fk_parent|fk_child|quiet)$/
        && (!defined $row->{INDEX_NAME}
            || $row->{INDEX_NAME} =~ /^(PRIMARY|ka|kb|fk_pid|kv)$/))
    {
      for my $c (qw(READ_COUNT ROWS_READ WRITE_COUNT ROWS_CHANGED
                    FULL_SCAN_READS))
      {
        next unless exists $row->{$c} && defined $row->{$c};
        my $k= "$t $row->{TABLE_NAME}"
               . (defined $row->{INDEX_NAME} ? ".$row->{INDEX_NAME}" : '')
               . " $c";
        my $prev= $last_counter{$k};
        violation('monotonic', "$k went back from $prev->[0] to $row->{$c}"
                                 . sprintf(' (%.1f s later)', $now - $prev->[1]))
          if $prev && $row->{$c} < $prev->[0];
        $last_counter{$k}= [$row->{$c}, $now];
      }
    }
  }
  # the quiet tables: the same answer as at setup, whichever way asked
  if (($t eq 'PERF_INDEX_USAGE' || $t eq 'PERF_TABLE_ANALYSIS')
      && (!defined $schema || $schema eq 'stress_a')
      && (!defined $table || $table =~ /^quiet/))
  {
    my $ans= quiet_answer($t, $rows);
    my $base= $quiet_base{$t};
    if (defined $table)
    {
      # only the rows of the table asked for
      $base= join("\n", grep { /^\Q$table\E:/ } split(/\n/, $base));
    }
    $count{'check.quiet_answers'}++;
    violation('quiet_stable', "$t via '$sql':\n  setup: $base\n  now:   $ans")
      if $ans ne $base;
  }
}

my %PERF_OK= (1109 => 1,   # the I_S table is gone while UNINSTALLed
               1524 => 1);  # ... or its store: "Plugin 'perf_advisor' is not loaded"

sub checker
{
  my ($w)= @_;
  srand($$ ^ time());
  my $dbh= dbconnect('information_schema');
  reload_names();
  while (time() < $DEADLINE)
  {
    my $t= pick(@PERF_TABLES);
    my ($schema, $table);
    my $r= rand();
    my $has_names= grep { $_ eq 'TABLE_NAME' } @{$COLS{$t}};
    if ($has_names && $r < 0.3)
    {
      $schema= pick(@SCHEMAS);
    }
    elsif ($has_names && $r < 0.65)
    {
      reload_names() if rand() < 0.1;
      my $n= rand() < 0.3 ? pick("stress_a.quiet", "stress_a.quiet_child")
                          : (rand() < 0.5 ? random_churn_name()
                                          : 'stress_a.' . pick(@DTABLES));
      ($schema, $table)= split(/\./, $n, 2);
    }
    my $sql= "SELECT *"
             . (grep({ $_ eq 'EVIDENCE' } @{$COLS{$t}})
                  ? ', JSON_VALID(EVIDENCE) AS pa_json_valid' : '')
             . " FROM information_schema.$t";
    $sql.= " WHERE TABLE_SCHEMA = '$schema'" if defined $schema;
    $sql.= " AND TABLE_NAME = '$table'" if defined $table;
    $count{'check.statements'}++;
    if (!$dbh)
    {
      $dbh= dbconnect('information_schema', 4);
      unless ($dbh) { $count{'check.no_connection'}++; sleep 0.2; next; }
    }
    my $rows= $dbh->selectall_arrayref($sql, {Slice => {}});
    if (!$rows)
    {
      my $code= $dbh->err // 0;
      $errs{"$code " . norm_msg($dbh->errstr)}++;
      if ($LOST{$code}) { $count{'check.lost_connection'}++; $dbh= undef; }
      elsif (!$PERF_OK{$code})
      {
        # the thread id, in hex as temporary file names hold it
        violation('perf.unexpected_errors', "$code " . $dbh->errstr
                  . sprintf(' (connection 0x%x)', $dbh->{mariadb_thread_id} // 0)
                  . " <- $sql");
      }
      sleep 0.05;
      next;
    }
    $count{'check.answers'}++;
    $count{"check.answers.$t"}++;
    if ($dbh->{mariadb_warning_count})
    {
      my $w= $dbh->selectall_arrayref('SHOW WARNINGS') || [];
      $warns{"$_->[1] " . norm_msg($_->[2])}++ for @$w;
    }
    check_rows($t, $rows, $schema, $table, $sql);
    sleep(0.01 + rand(0.04));
  }
  write_results("check$w");
}

# --------------------------------------------------------------------------
# The parent: setup, fork, watch, aggregate.

sub rss_kb
{
  open(my $fh, '<', "/proc/$SERVER_PID/status") or return undef;
  while (<$fh>) { return $1 if /^VmRSS:\s+(\d+)/; }
  return undef;
}

# Instrumented memory by event name (performance_schema), to tell where
# RSS growth comes from: {name => current bytes}.
sub memory_by_event
{
  my $dbh= dbconnect('mysql', 2) or return {};
  my $r= $dbh->selectall_arrayref(
      "SELECT EVENT_NAME, CURRENT_NUMBER_OF_BYTES_USED, CURRENT_COUNT_USED"
        . " FROM performance_schema.memory_summary_global_by_event_name"
        . " WHERE CURRENT_NUMBER_OF_BYTES_USED <> 0"
        . " OR EVENT_NAME LIKE 'memory/perf_advisor/%'") || [];
  $dbh->disconnect;
  return {map { ($_->[0] => [$_->[1], $_->[2]]) } @$r};
}

sub memory_growth
{
  my ($from, $to)= @_;
  my %d;
  $d{$_}= ($to->{$_}[0] // 0) - ($from->{$_}[0] // 0)
    for keys %{{%$from, %$to}};
  my @top= (sort { $d{$b} <=> $d{$a} } grep { $d{$_} } keys %d)[0 .. 7];
  return join(', ', map { sprintf('%s %+.1f MiB', $_, $d{$_} / 1048576) }
                      grep { defined } @top);
}

sub server_alive { return kill(0, $SERVER_PID); }

$| = 1;
unlink $NAMES_FILE;
setup();
discover();
quiet_baseline();
{
  my $dbh= dbconnect('mysql') or die;
  my ($up)= $dbh->selectrow_array(
      "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
        . " WHERE VARIABLE_NAME = 'UPTIME'");
  $uptime0= time() - $up;
  $dbh->disconnect;
}
print "INFO\tPERF_ tables: @PERF_TABLES\n";
print "INFO\tquiet baseline (PERF_INDEX_USAGE):\n"
  . join('', map { "INFO\t  $_\n" } split(/\n/, $quiet_base{PERF_INDEX_USAGE}));

my $start= time();
$DEADLINE= $start + $SECONDS;
my %kids;
sub spawn
{
  my ($name, $fn, @args)= @_;
  my $pid= fork();
  die "fork: $!" unless defined $pid;
  if (!$pid)
  {
    $SIG{TERM}= sub { write_results("$name.killed"); POSIX::_exit(1); };
    $fn->(@args);
    POSIX::_exit(0);
  }
  $kids{$pid}= $name;
}
spawn("dml$_", \&dml_worker, $_) for 1 .. $N_DML;
spawn("check$_", \&checker, $_) for 1 .. $N_CHECK;
spawn("ddl$_", \&ddl_worker, $_) for 1 .. $N_DDL;
spawn('flush', \&flusher) if $FLUSH;
spawn('plugin', \&plugin_cycler) if $PLUGIN_CYCLE;

# watch: the server process, memory, the children
my @rss;                              # [t, rss_kb]
my ($mem_warm, $mem_warm_t);          # instrumented memory after warm-up
my $warm_at= $SECONDS >= 120 ? 60 : $SECONDS / 3;
my $server_died;
my $next_sample= 0;
my $grace= 90;
while (%kids && time() < $DEADLINE + $grace)
{
  while ((my $pid= waitpid(-1, WNOHANG)) > 0) { delete $kids{$pid}; }
  if (!server_alive())
  {
    $server_died= sprintf('%.1f', time() - $start);
    print "INFO\tserver process gone at ${server_died} s\n";
    last;
  }
  if (time() >= $next_sample)
  {
    my $r= rss_kb();
    push @rss, [time() - $start, $r] if $r;
    $next_sample= time() + 5;
    if (!$mem_warm && time() - $start >= $warm_at)
    {
      $mem_warm= memory_by_event();
      $mem_warm_t= time() - $start;
    }
  }
  sleep 0.5;
}
my @hung= $server_died ? () : sort values %kids;
if (@hung)
{
  # evidence of a hang before anything is killed
  print "INFO\tworkers still running ${grace} s after the deadline: @hung\n";
  system("timeout 60 mariadb --no-defaults -S '$SOCK' -uroot -e "
         . "'SHOW FULL PROCESSLIST' > '$DIR/hang-processlist.txt' 2>&1");
  system("timeout 120 gdb -p $SERVER_PID -batch -ex 'thread apply all bt' "
         . "> '$DIR/hang-backtrace.txt' 2>&1");
  print "INFO\thang evidence: $DIR/hang-processlist.txt, "
    . "$DIR/hang-backtrace.txt\n";
}
kill 'TERM', keys %kids;
sleep 1;
kill 'KILL', keys %kids;
while ((my $pid= waitpid(-1, 0)) > 0) { }

# aggregate
my (%C, %F, %S, %E, %W);
for my $f (glob("$DIR/result.*"))
{
  open(my $fh, '<', $f) or next;
  while (<$fh>)
  {
    chomp;
    my @x= split /\t/;
    if ($x[0] eq 'count') { $C{$x[1]}+= $x[2]; }
    elsif ($x[0] eq 'fail') { $F{$x[1]}+= $x[2]; }
    elsif ($x[0] eq 'sample')
    {
      push @{$S{$x[1]}}, $x[2] if @{$S{$x[1]} // []} < 8;
    }
    elsif ($x[0] eq 'err')
    {
      (my $who= $x[1]) =~ s/\d*(\.killed)?$//;
      $E{"$who: $x[2]"}+= $x[3];
    }
    elsif ($x[0] eq 'warn') { $W{$x[2]}+= $x[3]; }
  }
  close $fh;
}

my $elapsed= time() - $start;
printf "INFO\tran %.0f s: %d DML statements (%d ok), %d DDL statements "
  . "(%d ok), %d PERF_ answers (%d rows checked), %d FLUSH TABLES, "
  . "%d UNINSTALL/%d INSTALL SONAME\n",
  $elapsed, $C{'dml.statements'} // 0, $C{'dml.ok'} // 0,
  $C{'ddl.statements'} // 0, $C{'ddl.ok'} // 0, $C{'check.answers'} // 0,
  $C{'check.rows'} // 0, $C{'flush.tables'} // 0,
  $C{'plugin.uninstalls'} // 0, $C{'plugin.installs'} // 0;
print "INFO\tanswers per table: "
  . join(', ', map { "$_ " . ($C{"check.answers.$_"} // 0) } @PERF_TABLES)
  . "\n";
print "INFO\tstatement errors (expected kinds counted, by worker):\n";
print "INFO\t  $E{$_}x $_\n" for sort { $E{$b} <=> $E{$a} } keys %E;
print "INFO\twarnings of PERF_ statements:\n";
print "INFO\t  $W{$_}x $_\n" for sort { $W{$b} <=> $W{$a} } keys %W;
print "INFO\tserver RSS (s: MiB): "
  . join(' ', map { sprintf('%.0f:%.0f', $_->[0], $_->[1] / 1024) } @rss)
  . "\n";

sub report
{
  my ($name, $ok, $detail)= @_;
  print "CHECK\t" . ($ok ? 'ok' : 'FAIL') . "\t$name\t" . ($detail // '')
    . "\n";
  if (!$ok && $S{$name})
  {
    print "INFO\t  $name: $_\n" for @{$S{$name}};
  }
}

report('server process alive during the run', !$server_died,
       $server_died ? "gone at $server_died s" : '');
report('no worker hung', !@hung, @hung ? "still running: @hung" : '');
report('DML workload ran', ($C{'dml.ok'} // 0) > 0,
       ($C{'dml.ok'} // 0) . ' statements ok');
report('DDL churn ran', !$N_DDL || ($C{'ddl.ok'} // 0) > 0,
       ($C{'ddl.ok'} // 0) . ' statements ok');
report('PERF_ tables answered', !$N_CHECK || ($C{'check.answers'} // 0) > 0
         && !grep({ !$C{"check.answers.$_"} } @PERF_TABLES),
       ($C{'check.answers'} // 0) . ' answers');
report('FLUSH TABLES ran', !$FLUSH || ($C{'flush.tables'} // 0) > 0,
       ($C{'flush.tables'} // 0) . ' times');
report('UNINSTALL/INSTALL SONAME cycles', $SECONDS < 20 || !$PLUGIN_CYCLE
         || (($C{'plugin.uninstalls'} // 0) > 0
             && ($C{'plugin.installs'} // 0) == ($C{'plugin.uninstalls'} // 0)),
       ($C{'plugin.uninstalls'} // 0) . ' uninstalls, '
         . ($C{'plugin.installs'} // 0) . ' installs');
for my $k (qw(dml.unexpected_errors ddl.unexpected_errors
              perf.unexpected_errors plugin.unexpected_errors
              flush.unexpected_errors))
{
  report($k, !$F{$k}, ($F{$k} // 0) . ' errors outside the expected kinds');
}
my %what= (
  names => 'rows name only schemas/tables the workload created',
  not_null => 'no NULL in NOT NULL columns',
  numbers => 'numbers non-negative and not garbage (< 1e15)',
  enums => 'YES/NO and status columns hold their documented values',
  drop_safe => 'DROP_SAFE=YES never on PRIMARY, UNIQUE or FK indexes',
  evidence_json => 'EVIDENCE is JSON_VALID',
  derived => 'derived columns agree (blockers, redundancy, ratios, windows)',
  pushdown => 'rows match WHERE TABLE_SCHEMA/TABLE_NAME',
  unique_rows => 'no duplicate row in one answer',
  monotonic => 'cumulative counters of the fixed tables never go back',
  quiet_stable => 'an untouched table gets the same answer all run long',
);
for my $k (sort keys %what)
{
  report($k, !$F{$k}, ($F{$k} // 0) . " violations in "
                        . ($C{'check.rows'} // 0) . " rows: $what{$k}");
}

# memory: flat within reason once warmed up
my @late= grep { $_->[0] >= $warm_at } @rss;
if (@late >= 2 && server_alive())
{
  # Caches (table definitions, InnoDB dictionary, performance_schema's
  # auto-sized buffers) grow for minutes and then level off; a leak keeps
  # growing.  Flat: little growth overall, or (long runs) little in the
  # second half after the warm-up.
  my ($a, $b)= ($late[0][1], rss_kb() // $late[-1][1]);
  my $grow= $b - $a;
  my $limit= $a * 0.25 > 65536 ? $a * 0.25 : 65536;
  my ($mid)= grep { $_->[0] >= ($late[0][0] + $late[-1][0]) / 2 } @late;
  my $grow2= $b - $mid->[1];
  my $limit2= $b * 0.05 > 32768 ? $b * 0.05 : 32768;
  my $long= $late[-1][0] - $late[0][0] >= 240;
  report('server RSS flat', $grow <= $limit || ($long && $grow2 <= $limit2),
         sprintf('%.0f MiB at %.0f s -> %.0f MiB at %.0f s -> %.0f MiB at'
                   . ' the end: %+.1f MiB (limit %+.0f)%s',
                 $a / 1024, $late[0][0], $mid->[1] / 1024, $mid->[0],
                 $b / 1024, $grow / 1024, $limit / 1024,
                 $long ? sprintf(', second half %+.1f MiB (limit %+.0f)',
                                 $grow2 / 1024, $limit2 / 1024) : ''));
}
else
{
  report('server RSS flat', 0, 'too few samples (server gone?)');
}
my $mem_end= memory_by_event();
if ($mem_warm)
{
  printf "INFO\tinstrumented memory growth from %.0f s to the end: %s\n",
    $mem_warm_t, memory_growth($mem_warm, $mem_end) || 'none';
}
# The plugin's own memory (instrumented: the server runs with
# performance-schema-instrument='memory/%=ON'): the usage store holds the
# live tables, whose number the churn keeps in a band, so it must not
# keep growing.
for my $k (sort grep { m{^memory/perf_advisor/} } keys %$mem_end)
{
  my ($end, $blocks)= @{$mem_end->{$k}};
  my $warm= $mem_warm && $mem_warm->{$k} ? $mem_warm->{$k}[0] : 0;
  my $max= 2 * $warm > $warm + 4194304 ? 2 * $warm : $warm + 4194304;
  report("$k bounded", $end >= 0 && $end <= $max,
         sprintf('%d bytes in %d blocks at the end, %d after the warm-up'
                   . ' (limit %d)', $end, $blocks, $warm, $max));
}
exit 0;
