#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# The mtr suite with the server under valgrind memcheck (leak check on).
# Slow (minutes per test): not part of scripts/test.sh; run before a
# release and record the result in docs/reliability.md.
#   scripts/valgrind-mtr.sh [mtr test names...]   (default: the whole suite)
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${PERF_ADVISOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/perf_advisor}
export PERF_ADVISOR_CACHE=$CACHE
. "$REPO/scripts/lib/server.sh"
command -v valgrind >/dev/null || apt-get install -y -qq valgrind >/dev/null
SO=$("$REPO/scripts/build.sh" | tail -n1) || exit 1
pa_install_so "$SO"
ln -sfn "$REPO/mysql-test" /usr/share/mysql/mysql-test/plugin/perf_advisor
VARDIR="$CACHE/mtr-valgrind"
rm -rf "$VARDIR"
[ $# -gt 0 ] || set -- --suite=perf_advisor
# Under valgrind: no io_uring/native AIO, and no 8 TiB buffer pool address
# reservation; start-up takes minutes.
cd /usr/share/mysql/mysql-test && MTR_START_TIMEOUT=1500 \
  perl mariadb-test-run.pl \
    --valgrind=--suppressions="$REPO/mysql-test/perf_advisor/valgrind.supp" \
    --mysqld=--innodb-use-native-aio=0 \
    --mysqld=--loose-innodb-buffer-pool-size-max=64M \
    --vardir="$VARDIR" --testcase-timeout=60 --suite-timeout=600 --force "$@"
