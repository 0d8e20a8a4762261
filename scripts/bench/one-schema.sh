# One schema of 3,000 tables (5 indexes each): full PERF_INDEX_USAGE vs
# information_schema.STATISTICS, 3 runs each, ms.  Run from the repo root:
#   bash scripts/bench/one-schema.sh
set -e
. scripts/lib/server.sh
pa_install_so /root/.cache/perf_advisor/build-10.11.18/plugin/perf_advisor/plugin/perf_advisor/perf_advisor.so
pa_server_start --innodb-flush-log-at-trx-commit=0 --skip-log-bin
trap pa_server_stop EXIT
pa_sql -e "CREATE DATABASE one"
python3 -c "
for i in range(3000):
    print(f'CREATE TABLE one.t{i} (id INT PRIMARY KEY, a INT, b INT, c INT, KEY(a), KEY(a,b), KEY(b), KEY(c,a));')
" | pa_sql
for q in "SELECT SUM(SIZE_BYTES) FROM information_schema.PERF_INDEX_USAGE" "SELECT SUM(CARDINALITY) FROM information_schema.STATISTICS" ; do
  for r in 1 2 3; do
    pa_sql -N -e "SET @t=NOW(6); SELECT COUNT(*) FROM ($q) x INTO @c; SELECT '$q', TIMESTAMPDIFF(MICROSECOND,@t,NOW(6))/1000"
  done
done
pa_sql -N -e "SELECT COUNT(*), COUNT(SIZE_BYTES) FROM information_schema.PERF_INDEX_USAGE WHERE TABLE_SCHEMA='one'"
