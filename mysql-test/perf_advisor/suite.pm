# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
package My::Suite::Perf_advisor;

use lib 'suite';
use wsrep::common;

@ISA = qw(My::Suite);

return "perf_advisor plugin not found (build it: scripts/build.sh)"
  unless $ENV{PERF_ADVISOR_SO};

# perf_advisor declares itself beta; the server says so when it loads it.
push @::global_suppressions,
  qr/Plugin '(perf_advisor|PERF_[A-Z_]+)' is of maturity level beta/;

sub is_default { 1 }

# cluster_galera only: wsrep_not_ok() finds the Galera provider and puts
# the wsrep_sst_* scripts on PATH (as the galera suite does); without
# them, the tests that start a cluster are skipped, not the suite.
sub skip_combinations {
  my %skip;
  my $why = wsrep_not_ok();
  $skip{'include/galera_cluster.inc'} = $why if $why;
  %skip;
}

bless { };
