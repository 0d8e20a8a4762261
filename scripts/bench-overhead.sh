#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Benchmark: the plugin's overhead on a workload.  sysbench (Debian package)
# oltp_point_select and oltp_read_write against the same server settings,
# with the plugin installed and active (its snapshot thread reading
# performance_schema and writing the usage store every 10 s) and
# without it, in alternating runs; reports each run's throughput, the
# medians, the spread, the server's CPU time per transaction, and the
# share of the server's CPU time that the plugin's own thread used during
# the run (from the kernel's per-thread run time, which other load on the
# machine does not disturb).
#   scripts/bench-overhead.sh [--seconds N] [--rounds N] [--threads N] [--write]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/scripts/lib/server.sh"
. "$REPO/scripts/lib/bench.sh"
SECONDS_PER_RUN=30; ROUNDS=3; THREADS=2; WRITE=
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --write) WRITE=1; shift ;;
    -h|--help) sed -n '5,14p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done
command -v sysbench >/dev/null || apt-get install -y -qq sysbench >/dev/null
SO=$("$REPO/scripts/build.sh" | tail -n1)
pa_install_so "$SO"

COMMON=(--performance-schema=ON --innodb-flush-log-at-trx-commit=2
        --max-connections=64 --table-open-cache=400)
SB=(--db-driver=mysql --mysql-socket=PLACEHOLDER --mysql-user=root
    --mysql-db=sbtest --tables=4 --table-size=20000 --threads="$THREADS"
    --time="$SECONDS_PER_RUN" --report-interval=0)

# CPU time in ns one thread of the server has run (/proc/.../schedstat).
thread_cpu_ns() {
  awk '{ print $1 }' "/proc/$PA_PID/task/$1/schedstat"
}

run_one() {  # mode(with|without) test -> "throughput cpu_us_per_txn plugin_share"
  local mode=$1 test=$2 out tps txn tid= c0 c1 t0 t1 share=-
  if [ "$mode" = without ]; then PA_NO_PLUGIN=1 pa_server_start "${COMMON[@]}"
  else pa_server_start "${COMMON[@]}" --loose-perf-advisor-snapshot-interval=10
  fi
  local sb=("${SB[@]/PLACEHOLDER/$PA_SOCK}")
  pa_sql -e "CREATE DATABASE sbtest"
  sysbench "$test" "${sb[@]}" prepare >/dev/null
  if [ "$mode" = with ]; then
    tid=$(pa_sql -N -e "SELECT THREAD_OS_ID FROM performance_schema.threads
                        WHERE NAME = 'thread/perf_advisor/perf_advisor_snapshot'")
    [ -n "$tid" ] || { echo "no snapshot thread in performance_schema.threads" >&2; exit 1; }
    t0=$(thread_cpu_ns "$tid")
  fi
  c0=$(pa_server_cpu_ns)
  out=$(sysbench "$test" "${sb[@]}" run)
  c1=$(pa_server_cpu_ns)
  [ -n "$tid" ] && { t1=$(thread_cpu_ns "$tid");
    share=$(awk -v t="$((t1 - t0))" -v c="$((c1 - c0))" \
            'BEGIN { printf "%.4f", t / c * 100 }'); }
  tps=$(echo "$out" | awk -F'[ (]+' '
        /queries:/ { q= $(NF-2) } /transactions:/ { t= $(NF-2) }
        END { print (t + 0 > 0 ? t : q) }')
  # events: transactions, or queries for oltp_point_select (one per event)
  txn=$(echo "$out" | awk '/total number of events:/ { print $NF }')
  pa_server_stop
  echo "$tps $(awk -v c="$((c1 - c0))" -v n="$txn" \
               'BEGIN { printf "%.1f", c / n / 1000 }') $share"
}

spread() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR]= $1 } END {
  printf "%.1f%%", (a[NR] - a[1]) / a[1] * 100 }'; }

report="### Overhead on a sysbench workload ($(date -u +%Y-%m-%d))

Machine: $(pa_machine); sysbench $(sysbench --version | awk '{print $2}'), $THREADS threads, 4 tables × 20000 rows, ${SECONDS_PER_RUN} s per run, $ROUNDS rounds, each a run without and a run with the plugin (which goes first alternates); performance_schema ON in both; \"with\": plugin loaded, its snapshot thread reading performance_schema and writing the usage store every 10 s (the default is 300 s).

| test | without (per run) | with (per run) | median without | median with | difference | spread without / with | median of with / without, paired by round |
|---|---|---|---|---|---|---|---|"
cpu_table="| test | server CPU µs per event, without (median; spread) | with (median; spread) | difference | plugin thread's share of the server's CPU time, per run with the plugin | its maximum |
|---|---|---|---|---|---|"
add() {  # side(with|without) "tps cpu share": appends to that side's lists
  local t c s; read -r t c s <<<"$2"
  if [ "$1" = with ]; then with="$with $t"; cpu_with="$cpu_with $c"; shares="$shares $s"
  else without="$without $t"; cpu_without="$cpu_without $c"; fi
}
for test in oltp_point_select oltp_read_write; do
  with=; without=; cpu_with=; cpu_without=; shares=
  for ((r= 0; r < ROUNDS; r++)); do
    # alternate which goes first, so that a drift of the machine (other
    # load, page cache) does not always favour the same side
    if [ $((r % 2)) = 0 ]; then
      add without "$(run_one without $test)"
      add with "$(run_one with $test)"
    else
      add with "$(run_one with $test)"
      add without "$(run_one without $test)"
    fi
  done
  mw=$(echo $without | pa_median); mp=$(echo $with | pa_median)
  # paired by round: each "with" over the "without" of the same round
  paired=$(paste <(echo $with | tr ' ' '\n') <(echo $without | tr ' ' '\n') \
           | awk '$1 > 0 && $2 > 0 { printf "%.4f\n", $1 / $2 }' | pa_median)
  diff=$(awk -v a="$mw" -v b="$mp" 'BEGIN { printf "%+.2f%%", (b - a) / a * 100 }')
  report="$report
| $test | $without | $with | $mw | $mp | $diff | $(echo $without | spread) / $(echo $with | spread) | $paired |"
  cw=$(echo $cpu_without | pa_median); cp=$(echo $cpu_with | pa_median)
  cpu_table="$cpu_table
| $test | $cw; $(echo $cpu_without | spread) | $cp; $(echo $cpu_with | spread) | $(awk -v a="$cw" -v b="$cp" 'BEGIN { printf "%+.2f%%", (b - a) / a * 100 }') | $(echo $shares | sed 's/\([0-9.]*\)/\1%/g') | $(echo $shares | tr ' ' '\n' | sort -g | tail -n1)% |"
done
report="$report

Throughput is transactions/s (queries/s for oltp_point_select). A difference
smaller than the spread between runs of the same configuration is noise.

$cpu_table

Server CPU time (user + system, all threads) per sysbench event during the
run; the plugin thread's share is its own run time (the kernel's per-thread
schedstat) over the server's CPU time in the same interval: the work the
plugin adds, measured where it happens rather than inferred from throughput."
echo "$report"
[ -n "$WRITE" ] && printf '\n%s\n' "$report" >>"$REPO/docs/benchmarks.md"
exit 0
