#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Prints a workload on the TPC-H-like sample (tpch_schema.sh) as plain SQL
# statements, one performance_schema digest per shape.  Per round, 15
# shapes: TPC-H's Q1, Q3, Q4, Q6, Q10, Q12 and Q17 with their substitution
# parameters varied per round (Q17 as TPC-H writes it, with its correlated
# subquery); a monthly order report (date range, GROUP BY); orders whose
# comment matches LIKE '%word%word%' (TPC-H Q13's filter, which no index
# serves); two reports filtered only by a flag that about half the rows
# match (o_orderstatus, l_returnflag); the OLTP lookups of an order screen
# (an order and its lines by key, a customer's last orders by date,
# ORDER BY ... LIMIT); and the newest open orders (a flag and
# ORDER BY ... LIMIT).  Some are served by the primary keys, most are not.
#   tpch_workload.sh [rounds] [orders]   (defaults 20 and 25000; orders as
#   given to tpch_schema.sh, so that keys exist)
set -eu
n=${1:-20}
O=${2:-25000}
C=$((O / 10))
echo "USE tpch_demo;"
segments=(AUTOMOBILE BUILDING FURNITURE HOUSEHOLD MACHINERY)
modes=("REG AIR" AIR RAIL SHIP TRUCK MAIL FOB)
containers=("SM CASE" "MED BOX" "LG PACK" "JUMBO JAR" "WRAP BAG" "SM PKG" "MED DRUM" "LG CAN")
words1=(special pending express regular)
words2=(requests packages accounts deposits)
for ((i = 0; i < n; i++)); do
  # dates as TPC-H draws them: Q3 a day in March 1995, Q4/Q10 the first of
  # a month (Q4 1993-01 .. 1997-10, Q10 1993-02 .. 1995-01), Q6/Q12 a year
  q3day=$(date -u -d "1995-03-01 + $((i % 31)) days" +%F)
  q4month=$(date -u -d "1993-01-01 + $((i * 7 % 58)) months" +%F)
  q10month=$(date -u -d "1993-02-01 + $((i * 5 % 24)) months" +%F)
  year=$((1993 + i % 5))
  month=$(date -u -d "1992-01-01 + $((i * 11 % 79)) months" +%F)
  okey=$((1 + i * 7919 % O))
  ckey=$((1 + i * 613 % (C - 1)))
  [ $((ckey % 3)) = 0 ] && ckey=$((ckey + 1))   # a customer with orders
  seg=${segments[i % 5]}
  m1=${modes[i % 7]}; m2=${modes[(i + 3) % 7]}
  brand="Brand#$((1 + i % 5))$((1 + i * 3 % 5))"
  cont=${containers[i % 8]}
  flag=$( ((i % 2)) && echo O || echo F)
  cat <<SQL
SELECT l_returnflag, l_linestatus, SUM(l_quantity) AS sum_qty, SUM(l_extendedprice) AS sum_base_price, SUM(l_extendedprice * (1 - l_discount)) AS sum_disc_price, SUM(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge, AVG(l_quantity) AS avg_qty, AVG(l_discount) AS avg_disc, COUNT(*) AS count_order FROM lineitem WHERE l_shipdate <= '1998-12-01' - INTERVAL $((60 + i % 61)) DAY GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus;
SELECT l_orderkey, SUM(l_extendedprice * (1 - l_discount)) AS revenue, o_orderdate, o_shippriority FROM customer, orders, lineitem WHERE c_mktsegment = '$seg' AND c_custkey = o_custkey AND l_orderkey = o_orderkey AND o_orderdate < '$q3day' AND l_shipdate > '$q3day' GROUP BY l_orderkey, o_orderdate, o_shippriority ORDER BY revenue DESC, o_orderdate LIMIT 10;
SELECT o_orderpriority, COUNT(*) AS order_count FROM orders WHERE o_orderdate >= '$q4month' AND o_orderdate < '$q4month' + INTERVAL 3 MONTH AND EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey AND l_commitdate < l_receiptdate) GROUP BY o_orderpriority ORDER BY o_orderpriority;
SELECT SUM(l_extendedprice * l_discount) AS revenue FROM lineitem WHERE l_shipdate >= '$year-01-01' AND l_shipdate < '$year-01-01' + INTERVAL 1 YEAR AND l_discount BETWEEN 0.0$((2 + i % 8)) - 0.01 AND 0.0$((2 + i % 8)) + 0.01 AND l_quantity < $((24 + i % 2));
SELECT c_custkey, c_name, SUM(l_extendedprice * (1 - l_discount)) AS revenue, c_acctbal, n_name, c_address, c_phone FROM customer, orders, lineitem, nation WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey AND o_orderdate >= '$q10month' AND o_orderdate < '$q10month' + INTERVAL 3 MONTH AND l_returnflag = 'R' AND c_nationkey = n_nationkey GROUP BY c_custkey, c_name, c_acctbal, c_phone, n_name, c_address ORDER BY revenue DESC LIMIT 20;
SELECT l_shipmode, SUM(CASE WHEN o_orderpriority = '1-URGENT' OR o_orderpriority = '2-HIGH' THEN 1 ELSE 0 END) AS high_line_count, SUM(CASE WHEN o_orderpriority <> '1-URGENT' AND o_orderpriority <> '2-HIGH' THEN 1 ELSE 0 END) AS low_line_count FROM orders, lineitem WHERE o_orderkey = l_orderkey AND l_shipmode IN ('$m1', '$m2') AND l_commitdate < l_receiptdate AND l_shipdate < l_commitdate AND l_receiptdate >= '$year-01-01' AND l_receiptdate < '$year-01-01' + INTERVAL 1 YEAR GROUP BY l_shipmode ORDER BY l_shipmode;
SELECT SUM(l_extendedprice) / 7.0 AS avg_yearly FROM lineitem, part WHERE p_partkey = l_partkey AND p_brand = '$brand' AND p_container = '$cont' AND l_quantity < (SELECT 0.2 * AVG(l_quantity) FROM lineitem WHERE l_partkey = p_partkey);
SELECT o_orderpriority, COUNT(*), SUM(o_totalprice) FROM orders WHERE o_orderdate BETWEEN '$month' AND LAST_DAY('$month') GROUP BY o_orderpriority;
SELECT o_orderkey, o_custkey, o_totalprice FROM orders WHERE o_comment LIKE '%${words1[i % 4]}%${words2[i * 3 % 4]}%';
SELECT COUNT(*), SUM(o_totalprice) FROM orders WHERE o_orderstatus = '$flag';
SELECT l_linestatus, COUNT(*), SUM(l_extendedprice) FROM lineitem WHERE l_returnflag = 'N' GROUP BY l_linestatus;
SELECT o_custkey, o_orderstatus, o_totalprice, o_orderdate FROM orders WHERE o_orderkey = $okey;
SELECT l_linenumber, l_partkey, l_quantity, l_extendedprice, l_shipdate FROM lineitem WHERE l_orderkey = $okey ORDER BY l_linenumber;
SELECT o_orderkey, o_orderdate, o_totalprice, o_orderstatus FROM orders WHERE o_custkey = $ckey ORDER BY o_orderdate DESC LIMIT 10;
SELECT o_orderkey, o_custkey, o_orderdate, o_totalprice FROM orders WHERE o_orderstatus = 'O' ORDER BY o_orderdate DESC LIMIT 20;
SQL
done
