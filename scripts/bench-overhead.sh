#!/usr/bin/env bash
# Benchmark: the plugin's overhead on a workload.  sysbench (Debian package)
# oltp_point_select and oltp_read_write against the same server settings,
# with the plugin installed and active (its snapshot thread reading
# performance_schema and writing the usage store every 10 s) and
# without it, in alternating runs; reports each run's throughput, the
# medians and the spread.
#   scripts/bench-overhead.sh [--seconds N] [--rounds N] [--threads N] [--write]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/scripts/lib/server.sh"
SECONDS_PER_RUN=30; ROUNDS=3; THREADS=2; WRITE=
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --write) WRITE=1; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
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

run_one() {  # mode(with|without) test -> prints transactions/s or queries/s
  local mode=$1 test=$2 tps
  if [ "$mode" = without ]; then PA_NO_PLUGIN=1 pa_server_start "${COMMON[@]}"
  else pa_server_start "${COMMON[@]}" --loose-perf-advisor-snapshot-interval=10
  fi
  local sb=("${SB[@]/PLACEHOLDER/$PA_SOCK}")
  pa_sql -e "CREATE DATABASE sbtest"
  sysbench "$test" "${sb[@]}" prepare >/dev/null
  tps=$(sysbench "$test" "${sb[@]}" run | awk -F'[ (]+' '
        /queries:/ { q= $(NF-2) } /transactions:/ { t= $(NF-2) }
        END { print (t + 0 > 0 ? t : q) }')
  pa_server_stop
  echo "$tps"
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR]= $1 } END {
  print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
spread() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR]= $1 } END {
  printf "%.1f%%", (a[NR] - a[1]) / a[1] * 100 }'; }

report="### Overhead on a sysbench workload ($(date -u +%Y-%m-%d))

Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); sysbench $(sysbench --version | awk '{print $2}'), $THREADS threads, 4 tables × 20000 rows, ${SECONDS_PER_RUN} s per run, $ROUNDS rounds, each a run without and a run with the plugin (which goes first alternates); performance_schema ON in both; \"with\": plugin loaded, its snapshot thread reading performance_schema and writing the usage store every 10 s (the default is 300 s).

| test | without (per run) | with (per run) | median without | median with | difference | spread without / with | median of with / without, paired by round |
|---|---|---|---|---|---|---|---|"
for test in oltp_point_select oltp_read_write; do
  with=; without=
  for ((r= 0; r < ROUNDS; r++)); do
    # alternate which goes first, so that a drift of the machine (other
    # load, page cache) does not always favour the same side
    if [ $((r % 2)) = 0 ]; then
      without="$without $(run_one without $test)"
      with="$with $(run_one with $test)"
    else
      with="$with $(run_one with $test)"
      without="$without $(run_one without $test)"
    fi
  done
  mw=$(echo $without | median); mp=$(echo $with | median)
  # paired by round: each "with" over the "without" of the same round
  paired=$(paste <(echo $with | tr ' ' '\n') <(echo $without | tr ' ' '\n') \
           | awk '$1 > 0 && $2 > 0 { printf "%.4f\n", $1 / $2 }' | median)
  diff=$(awk -v a="$mw" -v b="$mp" 'BEGIN { printf "%+.2f%%", (b - a) / a * 100 }')
  report="$report
| $test | $without | $with | $mw | $mp | $diff | $(echo $without | spread) / $(echo $with | spread) | $paired |"
done
report="$report

Throughput is transactions/s (queries/s for oltp_point_select). A difference
smaller than the spread between runs of the same configuration is noise."
echo "$report"
[ -n "$WRITE" ] && printf '\n%s\n' "$report" >>"$REPO/docs/benchmarks.md"
exit 0
