# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
package My::Suite::Perf_advisor;

@ISA = qw(My::Suite);

return "perf_advisor plugin not found (build it: scripts/build.sh)"
  unless $ENV{PERF_ADVISOR_SO};

# perf_advisor declares itself beta; the server says so when it loads it.
push @::global_suppressions,
  qr/Plugin '(perf_advisor|PERF_[A-Z_]+)' is of maturity level beta/;

sub is_default { 1 }

bless { };
