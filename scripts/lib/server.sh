# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Throwaway MariaDB server for the demo and the benchmarks: own datadir and
# unix socket in a temp dir, no TCP, the plugin loaded.  Source this file,
# then: pa_server_start [extra mariadbd options...]; pa_sql ...;
# pa_server_restart (same datadir and options); pa_server_cpu_ns;
# pa_server_stop
# Needs: PA_SO (path of perf_advisor.so) already installed in the plugin dir.

PA_TMP=${PA_TMP:-}

pa_server_start() {
  PA_TMP=$(mktemp -d /tmp/perf_advisor.XXXXXX)
  PA_SOCK="$PA_TMP/mysql.sock"
  mkdir -p "$PA_TMP/data"
  mariadb-install-db --no-defaults --user=root --datadir="$PA_TMP/data" \
    --auth-root-authentication-method=socket --skip-test-db \
    >"$PA_TMP/install.log" 2>&1 \
    || { cat "$PA_TMP/install.log" >&2; return 1; }
  PA_ARGS=("$@")
  pa_server_launch
}

# Start mariadbd on the datadir of pa_server_start with the options it was
# given, and wait until it answers.
pa_server_launch() {
  # beta: the maturity perf_advisor declares; Debian's default is gamma.
  # PA_NO_PLUGIN=1: the same server without the plugin (for comparisons).
  local load=--plugin-load-add=perf_advisor.so
  [ "${PA_NO_PLUGIN:-0}" = 1 ] && load=
  mariadbd --no-defaults --user=root --datadir="$PA_TMP/data" \
    --socket="$PA_SOCK" --skip-networking --pid-file="$PA_TMP/mysqld.pid" \
    --log-error="$PA_TMP/error.log" --plugin-maturity=beta \
    $load --innodb-buffer-pool-size=256M \
    "${PA_ARGS[@]}" >/dev/null 2>&1 &
  PA_PID=$!
  for _ in $(seq 1 300); do
    if mariadb-admin --no-defaults -S "$PA_SOCK" -uroot ping >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$PA_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "server did not start:" >&2; tail -n 30 "$PA_TMP/error.log" >&2
  return 1
}

# Shut the server down cleanly and start it again on the same datadir and
# options: its caches (table definitions, InnoDB's dictionary and buffer
# pool) start empty, the operating system's page cache does not.
pa_server_restart() {
  mariadb-admin --no-defaults -S "$PA_SOCK" -uroot shutdown >/dev/null 2>&1 \
    || kill "$PA_PID"
  wait "$PA_PID" 2>/dev/null || true
  pa_server_launch
}

# CPU time in ns the server has used, all its threads, live or gone
# (utime + stime of /proc/PID/stat, counted in clock ticks).
pa_server_cpu_ns() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f", ($14 + $15) * 1e9 / hz }' \
    "/proc/$PA_PID/stat"
}

pa_sql() {
  mariadb --no-defaults -S "$PA_SOCK" -uroot "$@"
}

pa_server_stop() {
  [ -n "${PA_TMP:-}" ] || return 0
  if [ -n "${PA_PID:-}" ] && kill -0 "$PA_PID" 2>/dev/null; then
    mariadb-admin --no-defaults -S "$PA_SOCK" -uroot shutdown >/dev/null 2>&1 \
      || kill "$PA_PID"
    wait "$PA_PID" 2>/dev/null
  fi
  rm -rf "$PA_TMP"
  PA_TMP=
}

# Install the built library into the server's plugin directory.
pa_install_so() {
  local dir
  # --help exits non-zero when run as root without --user; the output is fine
  dir=$( (mariadbd --verbose --help 2>/dev/null || true) \
         | awk '$1 == "plugin-dir" { print $2 }')
  [ -n "$dir" ] || { echo "cannot find the server's plugin directory" >&2; return 1; }
  install -m 0644 "$1" "${dir%/}/perf_advisor.so"
}
