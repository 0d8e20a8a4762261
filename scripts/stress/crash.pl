#!/usr/bin/perl
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# The driver of scripts/crash-cycles.sh: start the server command given
# after "--", keep a workload reading some indexes, and --cycles times:
# kill -9 the server at a random moment (many of them while the usage
# store is being written), check the file it left, restart it on the same
# datadir, and check what the plugin loaded.  Prints one line per check:
#   CHECK <tab> ok|FAIL <tab> name <tab> detail
# plus INFO lines.  Exit status 0 unless it could not run.
#
#   perl crash.pl --cycles N --dir TMP --datadir D --socket S --log E -- cmd...
#
# The invariants (docs/usage_store.md, docs/reliability.md):
#  - the file left by a kill is whole: magic, record count, FNV-1a checksum;
#  - it is not older than a snapshot interval: every index's total in it is
#    at least the READ_COUNT seen 2 s before the kill;
#  - it never holds more than happened: when the workload was paused before
#    the kill, no total exceeds the last READ_COUNT seen;
#  - a file's totals never decrease from one kill to the next;
#  - the restarted server loads exactly that file: "loaded N usage records"
#    with N its record count, no "damaged" warning, no .corrupt file;
#  - after a restart, READ_COUNT = (total in the file) + (reads since the
#    restart, as performance_schema counts them), at every poll; so counts
#    never go back nor reset to 0, and are never garbage.
use strict;
use warnings;
use DBI;
use POSIX qw(:sys_wait_h);
use Time::HiRes qw(time sleep stat);
use Getopt::Long;

my ($CYCLES, $DIR, $DATADIR, $SOCK, $LOG)= (50);
GetOptions('cycles=i' => \$CYCLES, 'dir=s' => \$DIR, 'datadir=s' => \$DATADIR,
           'socket=s' => \$SOCK, 'log=s' => \$LOG)
  or die "usage: crash.pl --cycles N --dir D --datadir D --socket S --log E"
         . " -- cmd...\n";
my @CMD= @ARGV;
die "crash.pl: no server command\n" unless @CMD;
my $FILE= "$DATADIR/perf_advisor_usage.dat";
my $SCHEMA= 'cc';
my @TABLES= map { "t$_" } 1 .. 4;
my $N_BULK= 500;          # more records: a longer write to land kills in
my $REF_AGE= 2.0;         # seconds: a value this old must be in the file
$| = 1;

my %fail;                 # check => count
my %pass;                 # check => count
my %samples;              # check => [detail...]
my @timing;               # per cycle: [kill->ping seconds, records, mode]

sub result
{
  my ($check, $ok, $detail)= @_;
  if ($ok) { $pass{$check}++; return 1; }
  $fail{$check}++;
  push @{$samples{$check}}, $detail if @{$samples{$check} // []} < 10;
  print "INFO\tFAIL $check: $detail\n";
  return 0;
}

# --------------------------------------------------------------------------
# The server

my $PID;

sub dbconnect
{
  my ($timeout)= @_;
  return DBI->connect(
      "DBI:MariaDB:database=mysql;mariadb_socket=$SOCK;"
          . "mariadb_connect_timeout=" . ($timeout // 5)
          . ";mariadb_read_timeout=30;mariadb_write_timeout=30",
      'root', '', {RaiseError => 0, PrintError => 0, AutoCommit => 1});
}

sub start_server
{
  my $pid= fork();
  die "fork: $!" unless defined $pid;
  if (!$pid)
  {
    open(STDOUT, '>>', "$DIR/mariadbd.out");
    open(STDERR, '>&', \*STDOUT);
    exec(@CMD) or POSIX::_exit(127);
  }
  $PID= $pid;
  my $t0= time();
  while (time() - $t0 < 60)
  {
    if (my $dbh= dbconnect(2))
    {
      return ($dbh, time() - $t0);
    }
    return (undef, time() - $t0) if waitpid($PID, WNOHANG) == $PID;
    sleep 0.05;
  }
  return (undef, time() - $t0);
}

sub kill_server
{
  kill 'KILL', $PID;
  waitpid($PID, 0);
  $PID= undef;
}

sub log_size { return -s $LOG // 0; }

sub log_since
{
  my ($off)= @_;
  open(my $fh, '<', $LOG) or return '';
  seek($fh, $off, 0);
  local $/;
  my $s= <$fh> // '';
  close $fh;
  return $s;
}

# --------------------------------------------------------------------------
# The usage store file (format: plugin/perf_advisor/core/pa_usage.h)

# 64-bit FNV-1a in 32-bit halves (exact on any perl).
sub fnv1a64_hex
{
  my ($data)= @_;
  my ($hi, $lo)= (0xcbf29ce4, 0x84222325);
  # prime 0x100000001b3 = 2^40 + 0x1b3
  for my $c (unpack('C*', $data))
  {
    $lo ^= $c;
    # (hi:lo) * 0x1b3
    my $l= $lo * 0x1b3;
    my $h= $hi * 0x1b3 + int($l / 4294967296);
    $l %= 4294967296;
    # + (hi:lo) << 40  ==  lo << 8 into the high half
    $h+= ($lo * 256);
    $hi= $h % 4294967296;
    $lo= $l;
  }
  return sprintf('%08x%08x', $hi, $lo);
}

sub unescape
{
  my ($s)= @_;
  $s =~ s/\\(.)/$1 eq 't' ? "\t" : $1 eq 'n' ? "\n" : $1 eq 'r' ? "\r" : $1/ge;
  return $s;
}

# Returns {valid, why, records, totals => {"table.index" => total}, start}
sub read_store
{
  my %r= (valid => 0, totals => {});
  open(my $fh, '<', $FILE) or do { $r{why}= 'absent'; return \%r; };
  local $/;
  my $data= <$fh>;
  close $fh;
  $r{bytes}= length $data;
  unless ($data =~ /\A(perf_advisor-usage 1 (-?\d+)\n)/)
  {
    $r{why}= 'bad header';
    return \%r;
  }
  $r{start}= $2;
  unless ($data =~ /\n(end (\d+) ([0-9a-f]{16})\n)\z/)
  {
    $r{why}= 'no trailer';
    return \%r;
  }
  my ($trailer, $count, $hash)= ($1, $2, $3);
  my $body= substr($data, 0, length($data) - length($trailer));
  my $got= fnv1a64_hex($body);
  if ($got ne $hash)
  {
    $r{why}= "checksum $got != $hash";
    return \%r;
  }
  my @lines= split(/\n/, substr($body, length("perf_advisor-usage 1 $r{start}\n")));
  if (@lines != $count)
  {
    $r{why}= scalar(@lines) . " records, trailer says $count";
    return \%r;
  }
  for my $l (@lines)
  {
    my @f= split(/\t/, $l, -1);
    if (@f != 13)
    {
      $r{why}= "a record with " . scalar(@f) . " fields";
      return \%r;
    }
    my ($s, $t, $i)= map { unescape($_) } @f[0 .. 2];
    next unless $s eq $SCHEMA && $i ne '';
    $r{totals}{"$t.$i"}= $f[4];
  }
  $r{records}= $count;
  $r{valid}= 1;
  return \%r;
}

# --------------------------------------------------------------------------
# Observation: READ_COUNT, bracketed by performance_schema's raw counters.
# READ_COUNT = base + raw(at the plugin's refresh), raw1 <= raw <= raw2,
# so base is in [v - raw2, v - raw1].

sub raw_counts
{
  my ($dbh)= @_;
  my $rows= $dbh->selectall_arrayref(
      "SELECT OBJECT_NAME, INDEX_NAME, COUNT_READ FROM performance_schema."
        . "table_io_waits_summary_by_index_usage WHERE OBJECT_SCHEMA ="
        . " '$SCHEMA' AND OBJECT_NAME LIKE 't%' AND INDEX_NAME IS NOT NULL")
    or return undef;
  return {map { ("$_->[0].$_->[1]" => $_->[2]) } @$rows};
}

sub observe
{
  my ($dbh)= @_;
  my $r1= raw_counts($dbh) or return undef;
  my $rows= $dbh->selectall_arrayref(
      "SELECT TABLE_NAME, INDEX_NAME, READ_COUNT FROM information_schema."
        . "PERF_INDEX_USAGE WHERE TABLE_SCHEMA = '$SCHEMA' AND TABLE_NAME"
        . " IN ('" . join("','", @TABLES) . "')")
    or return undef;
  my $t= time();
  my $r2= raw_counts($dbh) or return undef;
  my %o;
  for my $row (@$rows)
  {
    my $k= "$row->[0].$row->[1]";
    my $v= $row->[2];
    $o{$k}= {v => $v, lo => defined $v ? $v - ($r2->{$k} // 0) : undef,
             hi => defined $v ? $v - ($r1->{$k} // 0) : undef};
  }
  return {t => $t, idx => \%o};
}

# --------------------------------------------------------------------------
# The workload: two processes reading the indexes, reconnecting across
# restarts; SIGUSR1 pauses them, SIGUSR2 resumes.

my @workers;

sub worker
{
  my ($paused, $stop)= (0, 0);
  $SIG{USR1}= sub { $paused= 1; };
  $SIG{USR2}= sub { $paused= 0; };
  $SIG{TERM}= sub { $stop= 1; };
  srand($$ ^ time());
  my $dbh;
  while (!$stop)
  {
    if ($paused) { sleep 0.02; next; }
    $dbh //= dbconnect(2);
    if (!$dbh) { sleep 0.1; next; }
    my $t= $TABLES[int(rand(@TABLES))];
    my $r= rand();
    my $sql= $r < 0.4 ? "SELECT COUNT(*) FROM $SCHEMA.$t FORCE INDEX (ka)"
                          . " WHERE a = " . int(rand(50))
           : $r < 0.8 ? "SELECT COUNT(*) FROM $SCHEMA.$t FORCE INDEX (kb)"
                          . " WHERE b BETWEEN 3 AND " . (3 + int(rand(5)))
           : "SELECT * FROM $SCHEMA.$t WHERE id = " . (1 + int(rand(1000)));
    $dbh= undef unless $dbh->selectall_arrayref($sql);
    sleep(0.003 + rand(0.005));
  }
  $dbh->disconnect if $dbh;
}

sub workers_signal { kill $_[0], @workers; }

# --------------------------------------------------------------------------

my ($dbh, $startup)= start_server();
die "crash.pl: the server did not start\n" unless $dbh;
{
  my @sql= ("DROP DATABASE IF EXISTS $SCHEMA", "CREATE DATABASE $SCHEMA",
            'SET SESSION max_recursive_iterations= 100000');
  for my $t (@TABLES)
  {
    push @sql,
      "CREATE TABLE $SCHEMA.$t (id INT PRIMARY KEY, a INT, b INT, KEY ka (a),"
        . " KEY kb (b)) ENGINE=InnoDB",
      "INSERT INTO $SCHEMA.$t WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL"
        . " SELECT n + 1 FROM r WHERE n < 1000) SELECT n, n % 50, n % 20"
        . " FROM r";
  }
  for my $i (1 .. $N_BULK)
  {
    push @sql, "CREATE TABLE $SCHEMA.bulk$i (id INT PRIMARY KEY, a INT,"
                 . " b INT, KEY ka (a), KEY kab (a, b)) ENGINE=InnoDB";
  }
  for my $s (@sql)
  {
    $dbh->do($s) or die "crash.pl: setup: $s: " . $dbh->errstr . "\n";
  }
  # the bulk tables get a store record each (any PERF_ statement)
  $dbh->selectall_arrayref("SELECT COUNT(*) FROM information_schema."
                           . "PERF_INDEX_USAGE WHERE TABLE_SCHEMA = '$SCHEMA'");
}
for (1 .. 2)
{
  my $pid= fork();
  die "fork: $!" unless defined $pid;
  if (!$pid) { worker(); POSIX::_exit(0); }
  push @workers, $pid;
}

my %prev_file;            # totals of the previous kill's file
my $t_begin= time();
my %modes;
my ($n_tmp_seen, $n_file_changed)= (0, 0);

for my $cycle (1 .. $CYCLES)
{
  # --- observe for a while -------------------------------------------------
  my $mode= rand() < 0.1 ? 'early' : rand() < 0.5 ? 'in-write' : 'random';
  my $quiet= $mode ne 'early' && rand() < 0.5;
  $modes{$mode . ($quiet ? '+paused' : '')}++;
  my @hist;                            # observations of this lifetime
  my $life_start= time();
  my $mtime_start= (stat($FILE))[9] // 0;
  my $min_run= $mode eq 'early' ? rand(0.3) : 2.5 + rand(1.0);
  my $bad_poll= 0;
  while (time() - $life_start < $min_run)
  {
    my $o= observe($dbh);
    if (!$o) { $bad_poll++; $dbh= dbconnect(2) || $dbh; sleep 0.1; next; }
    push @hist, $o;
    last if $mode eq 'early';
    sleep(0.15 + rand(0.1));
  }
  result('PERF_INDEX_USAGE answers between kills', !$bad_poll,
         "cycle $cycle: $bad_poll failed polls: " . ($dbh->errstr // ''));

  # every poll of one lifetime sees the same base (READ_COUNT - raw)
  my %base;                            # key => [lo, hi]
  for my $o (@hist)
  {
    for my $k (keys %{$o->{idx}})
    {
      my $x= $o->{idx}{$k};
      next unless defined $x->{v};
      result('READ_COUNT sane (not negative, not garbage)',
             $x->{v} >= 0 && $x->{v} < 1e12 && $x->{hi} >= 0,
             "cycle $cycle: $k READ_COUNT $x->{v}, raw-derived base "
               . "[$x->{lo}, $x->{hi}]");
      my $b= $base{$k} //= [$x->{lo}, $x->{hi}];
      $b->[0]= $x->{lo} if $x->{lo} > $b->[0];
      $b->[1]= $x->{hi} if $x->{hi} < $b->[1];
    }
  }
  for my $k (sort keys %base)
  {
    result('READ_COUNT = loaded total + reads since the restart, all along',
           $base{$k}[0] <= $base{$k}[1],
           "cycle $cycle: $k: READ_COUNT - performance_schema COUNT_READ "
             . "changed during one server run (bounds $base{$k}[0] > "
             . "$base{$k}[1])");
  }

  # --- the kill --------------------------------------------------------------
  my $final;
  if ($quiet)
  {
    workers_signal('USR1');
    sleep 0.3;
    $final= observe($dbh);
  }
  if ($mode eq 'random')
  {
    sleep(rand(1.5));
  }
  elsif ($mode eq 'in-write')
  {
    # aim at a snapshot: spin until its temporary file appears (the write
    # lasts a millisecond or so), then kill at once or a little later
    my $t0= time();
    while (!-e "$FILE.tmp" && time() - $t0 < 3) { }
    sleep(rand(0.002)) if rand() < 0.5;
  }
  $dbh->disconnect if $dbh;
  $dbh= undef;
  my $t_kill= time();
  kill_server();
  my $tmp_left= -e "$FILE.tmp";
  $n_tmp_seen++ if $tmp_left;
  workers_signal('USR2') if $quiet;

  # --- the file it left -------------------------------------------------------
  my $st= read_store();
  my $mtime= (stat($FILE))[9] // 0;
  my $ran= $t_kill - $life_start;
  result('usage file whole after kill -9 (header, count, checksum)',
         $st->{valid} || ($st->{why} eq 'absent' && $cycle == 1 && $ran < 1.5),
         "cycle $cycle ($mode): " . ($st->{why} // ''));
  system('cp', '-p', $FILE, "$DIR/usage.cycle$cycle.dat") unless $st->{valid};
  if ($st->{valid})
  {
    my $ref_t= $t_kill - $REF_AGE;
    my ($ref)= grep { $_->{t} <= $ref_t } reverse @hist;
    for my $k (sort keys %{$ref ? $ref->{idx} : {}})
    {
      my $want= $ref->{idx}{$k}{v} // next;
      my $have= $st->{totals}{$k};
      result('file holds every read seen 2 s before the kill',
             defined $have && $have >= $want,
             sprintf("cycle %d (%s): %s: %s in the file, READ_COUNT was %d"
                       . " %.1f s before the kill (file %d s old)",
                     $cycle, $mode, $k, $have // 'nothing', $want,
                     $t_kill - $ref->{t}, $t_kill - $mtime));
    }
    if ($final)
    {
      for my $k (sort keys %{$final->{idx}})
      {
        my $max= $final->{idx}{$k}{v} // next;
        my $have= $st->{totals}{$k} // 0;
        result('file never holds more reads than happened',
               $have <= $max,
               "cycle $cycle ($mode, paused): $k: $have in the file, "
                 . "READ_COUNT $max after the workload stopped");
      }
    }
    for my $k (sort keys %prev_file)
    {
      my $have= $st->{totals}{$k};
      result("file totals never decrease from one kill to the next",
             defined $have && $have >= $prev_file{$k},
             "cycle $cycle ($mode): $k: " . ($have // 'gone') . " < "
               . "$prev_file{$k} in the previous file");
    }
    $n_file_changed++ if $mtime != $mtime_start;
    %prev_file= %{$st->{totals}};
  }

  # --- restart ----------------------------------------------------------------
  my $log_off= log_size();
  my $t_restart= time();
  ($dbh, $startup)= start_server();
  result('server restarts after kill -9', defined $dbh,
         "cycle $cycle: no connection after " . sprintf('%.0f', $startup)
           . " s; log: " . substr(log_since($log_off), -600));
  last unless $dbh;
  my $log= log_since($log_off);
  my ($loaded)= $log =~ /perf_advisor: loaded (\d+) usage records/;
  if ($st->{valid})
  {
    result('store loaded: "loaded N usage records", N = records in the file',
           defined $loaded && $loaded == $st->{records},
           "cycle $cycle: file has $st->{records} records, log says "
             . ($loaded // 'nothing'));
  }
  result('no "damaged" warning, no .corrupt file',
         $log !~ /damaged|corrupt/i && !-e "$FILE.corrupt",
         "cycle $cycle: " . join(' | ', grep { /damaged|corrupt/i }
                                            split /\n/, $log));
  result('no error or crash in the log of the restart',
         $log !~ /\[ERROR\]|got signal|Assertion/i,
         "cycle $cycle: " . join(' | ', grep { /\[ERROR\]|signal|Assertion/i }
                                            split /\n/, $log));
  # what the restarted plugin shows: the file's totals, plus new reads
  my $o= observe($dbh);
  if ($o && $st->{valid})
  {
    for my $k (sort keys %{$st->{totals}})
    {
      next unless $k =~ /^t\d\./;
      my $x= $o->{idx}{$k};
      my $f= $st->{totals}{$k};
      result('restart shows exactly the loaded totals (+ new reads)',
             $x && defined $x->{v} && $x->{lo} <= $f && $f <= $x->{hi},
             "cycle $cycle: $k: file $f, READ_COUNT "
               . ($x->{v} // 'NULL') . ", reads since restart in ["
               . ($x ? $x->{v} - $x->{hi} : '?') . ', '
               . ($x ? $x->{v} - $x->{lo} : '?') . ']');
      result('counts never reset to 0 after a restart',
             !$f || ($x && ($x->{v} // 0) > 0),
             "cycle $cycle: $k: file $f, READ_COUNT " . ($x->{v} // 'NULL'));
    }
  }
  push @timing, [time() - $t_restart, $st->{records} // 0, $mode, $ran];
  printf "INFO\tcycle %d: %s%s, killed after %.2f s%s, file %s, restart "
           . "%.1f s, loaded %s\n",
         $cycle, $mode, $quiet ? ' (paused)' : '', $ran,
         $tmp_left ? ' mid-write (.tmp present)' : '',
         $st->{valid} ? "ok ($st->{records} records)" : $st->{why},
         time() - $t_restart, $loaded // '-';
}

# --- deliberate damage: a torn and a bit-flipped file are set aside --------
# (the control experiment: the checks above would see a damaged store)
my $deliberate= 0;
for my $how ('torn', 'flipped')
{
  last unless $PID && $dbh;
  sleep 1.5;
  $dbh->disconnect;
  $dbh= undef;
  kill_server();
  my $st= read_store();
  last unless $st->{valid};
  open(my $fh, '+<', $FILE) or last;
  binmode $fh;
  if ($how eq 'torn')
  {
    truncate($fh, int($st->{bytes} / 2));
  }
  else
  {
    # one digit of a count in the middle of the file
    local $/;
    my $data= <$fh>;
    my $at= index($data, "\t", int(length($data) / 2)) + 1;
    substr($data, $at, 1)= substr($data, $at, 1) eq '7' ? '8' : '7';
    seek($fh, 0, 0);
    print $fh $data;
  }
  close $fh;
  $deliberate++;
  unlink "$FILE.corrupt";
  my $log_off= log_size();
  ($dbh, $startup)= start_server();
  result('server starts on a damaged usage file', defined $dbh,
         "$how: no connection after " . sprintf('%.0f', $startup) . ' s');
  last unless $dbh;
  my $log= log_since($log_off);
  result('a damaged file is reported and kept as .corrupt',
         $log =~ /perf_advisor: .* is damaged; kept as .*\.corrupt/
           && -e "$FILE.corrupt",
         "$how: log: " . join(' | ', grep { /perf_advisor/ } split /\n/, $log));
  # history starts empty: READ_COUNT is what happened since this start
  my $o= observe($dbh);
  for my $k (sort keys %{$o ? $o->{idx} : {}})
  {
    my $x= $o->{idx}{$k};
    next unless defined $x->{v};
    result('after a damaged file, counts start from empty',
           $x->{lo} <= 0 && 0 <= $x->{hi},
           "$how: $k: READ_COUNT $x->{v}, reads since restart in ["
             . ($x->{v} - $x->{hi}) . ", " . ($x->{v} - $x->{lo}) . "]");
  }
  unlink "$FILE.corrupt";
  print "INFO\tdeliberately $how file: set aside, history restarted\n";
}
{
  my $n= () = log_since(0) =~ /is damaged; kept as/g;
  result('"damaged" only for the deliberately damaged files', $n == $deliberate,
         "$n damaged warnings, $deliberate files damaged on purpose");
}

# --- the end: a clean shutdown leaves a whole file and no temporary --------
workers_signal('TERM');
waitpid($_, 0) for @workers;
if ($PID)
{
  $dbh->do('SELECT 1') if $dbh;
  my $off= log_size();
  system("mariadb-admin --no-defaults -S '$SOCK' -uroot shutdown >/dev/null"
         . " 2>&1");
  my $t0= time();
  while (time() - $t0 < 120 && waitpid($PID, WNOHANG) != $PID) { sleep 0.1; }
  my $down= waitpid($PID, WNOHANG) == -1 || !kill(0, $PID);
  result('clean shutdown at the end', $down, 'still running after 120 s');
  kill_server() unless $down;
  my $st= read_store();
  result('file whole after the clean shutdown, no .tmp left',
         $st->{valid} && !-e "$FILE.tmp",
         ($st->{why} // '') . (-e "$FILE.tmp" ? ' .tmp left' : ''));
  result('shutdown logged no error', log_since($off) !~ /\[ERROR\]|\[Warning\]/,
         join(' | ', grep { /ERROR|Warning/ } split /\n/, log_since($off)));
}

my $elapsed= time() - $t_begin;
my @rt= sort { $a <=> $b } map { $_->[0] } @timing;
printf "INFO\t%d cycles in %.0f s; kill modes: %s\n", scalar(@timing),
  $elapsed, join(', ', map { "$_ $modes{$_}" } sort keys %modes);
printf "INFO\tkills with a snapshot being written (.tmp present): %d; "
         . "cycles whose file changed while the server ran: %d\n",
  $n_tmp_seen, $n_file_changed;
printf "INFO\trestart time (kill to first answer) s: min %.1f, median %.1f,"
         . " max %.1f\n", $rt[0], $rt[$#rt / 2], $rt[-1] if @rt;
for my $c (sort keys %{{%pass, %fail}})
{
  my $n= ($pass{$c} // 0) + ($fail{$c} // 0);
  print "CHECK\t" . ($fail{$c} ? 'FAIL' : 'ok') . "\t$c\t"
    . ($fail{$c} // 0) . " of $n failed\n";
  print "INFO\t  $c: $_\n" for @{$samples{$c} // []};
}
print "CHECK\t" . (@timing == $CYCLES ? 'ok' : 'FAIL')
  . "\tall cycles ran\t" . scalar(@timing) . " of $CYCLES\n";
exit 0;
