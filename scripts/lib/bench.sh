# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Helpers the benchmark scripts share.  Source after scripts/lib/server.sh.

# The median of numbers separated by blanks or newlines; an even count
# gives the mean of the middle two.
pa_median() {
  tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR]= $1 } END {
    print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}

# The smallest of numbers separated by blanks or newlines.
pa_min() {
  tr ' ' '\n' | grep -v '^$' | sort -g | head -n1
}

# "N cores, M GiB": the machine, for the heading of a result.
pa_machine() {
  echo "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
}
