#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Prints a short ERP-like workload as plain SQL statements (not a stored
# procedure, so that every statement gets its own performance_schema digest):
# the report queries an accounting user runs, some served by an index, some
# not.  With --flag-led, 9 more shapes per round as ERPNext's reports and
# link-field searches write them: led by flags that nearly every row
# matches (docstatus = 1, is_cancelled = 0, disabled = 0, one company),
# with one selective filter, a date range, or nothing selective at all.
#   erp_workload.sh [rounds] [--flag-led]  (default 20 rounds)
set -eu
n=20
flags=0
for a in "$@"; do
  case $a in
    --flag-led) flags=1 ;;
    *[!0-9]* | '') echo "usage: $0 [rounds] [--flag-led]" >&2; exit 2 ;;
    *) n=$a ;;
  esac
done
groups=(Commercial Retail Government Wholesale)
echo "USE erp_demo;"
for ((i = 0; i < n; i++)); do
  cust=$(printf 'CUST-%05d' $((1 + i % 2000)))
  item=$(printf 'ITEM-%05d' $((1 + i % 5000)))
  sinv=$(printf 'SINV-%06d' $((1 + i * 7 % 50000)))
  day=$((i % 700))
  cat <<SQL
SELECT SUM(debit) - SUM(credit) FROM \`tabGL Entry\` WHERE account = 'Debtors - DC' AND posting_date BETWEEN '2024-03-01' AND '2024-06-30' AND is_cancelled = 0;
SELECT COUNT(*) FROM \`tabGL Entry\` WHERE party_type = 'Customer' AND party = '$cust';
SELECT COUNT(*), SUM(outstanding_amount) FROM \`tabSales Invoice\` WHERE customer = '$cust' AND docstatus = 1 AND outstanding_amount > 0;
SELECT qty_after_transaction FROM \`tabStock Ledger Entry\` WHERE item_code = '$item' AND warehouse = 'Stores - DC' ORDER BY posting_date DESC, posting_time DESC LIMIT 1;
SELECT grand_total FROM \`tabSales Invoice\` WHERE name = '$sinv';
SELECT item_name FROM \`tabItem\` WHERE name = '$item';
SELECT COUNT(*) FROM \`tabSales Invoice\` WHERE posting_date = '2024-01-01' + INTERVAL $day DAY;
SELECT COUNT(*) FROM \`tabSales Invoice\` si JOIN \`tabCustomer\` c ON c.name = si.customer WHERE c.territory = 'Export' AND si.posting_date >= '2025-10-01';
SELECT name, debit, credit FROM \`tabGL Entry\` WHERE voucher_no = '$sinv' OR (party_type = 'Customer' AND party = '$cust') LIMIT 50;
SQL
  [ "$flags" = 1 ] || continue
  month=$(date -u -d "2024-01-01 + $((i % 23)) months" +%F)
  week=$((i * 13 % 693))
  cat <<SQL
SELECT account, SUM(debit), SUM(credit) FROM \`tabGL Entry\` WHERE docstatus = 1 AND is_cancelled = 0 AND company = 'Demo Company' AND posting_date BETWEEN '$month' AND LAST_DAY('$month') GROUP BY account;
SELECT voucher_no, SUM(debit) - SUM(credit) AS outstanding FROM \`tabGL Entry\` WHERE docstatus = 1 AND is_cancelled = 0 AND company = 'Demo Company' AND party_type = 'Customer' AND party = '$cust' GROUP BY voucher_no;
SELECT name, account, debit, credit FROM \`tabGL Entry\` WHERE voucher_type = 'Sales Invoice' AND voucher_no = '$sinv' AND is_cancelled = 0;
SELECT name, customer, grand_total, outstanding_amount FROM \`tabSales Invoice\` WHERE docstatus = 1 AND company = 'Demo Company' AND posting_date BETWEEN '2024-01-01' + INTERVAL $week DAY AND '2024-01-01' + INTERVAL $((week + 6)) DAY ORDER BY posting_date DESC, name DESC;
SELECT name, customer, due_date, outstanding_amount FROM \`tabSales Invoice\` WHERE docstatus = 1 AND company = 'Demo Company' AND outstanding_amount > 0 AND due_date < '2024-01-31' + INTERVAL $((i * 17 % 700)) DAY ORDER BY due_date LIMIT 50;
SELECT status, COUNT(*), SUM(grand_total) FROM \`tabSales Invoice\` WHERE docstatus = 1 AND company = 'Demo Company' GROUP BY status;
SELECT warehouse, SUM(actual_qty) FROM \`tabStock Ledger Entry\` WHERE docstatus < 2 AND is_cancelled = 0 AND item_code = '$item' AND posting_date <= '2024-01-01' + INTERVAL $day DAY GROUP BY warehouse;
SELECT name, customer_name FROM \`tabCustomer\` WHERE disabled = 0 AND is_frozen = 0 AND customer_group = '${groups[i % 4]}' ORDER BY modified DESC LIMIT 20;
SELECT name, item_name FROM \`tabItem\` WHERE disabled = 0 AND has_variants = 0 AND is_stock_item = 1 AND (name LIKE '%$((10 + i % 90))%' OR item_name LIKE '%$((10 + i % 90))%') ORDER BY name LIMIT 20;
SQL
done
echo "UPDATE \`tabSales Invoice\` SET outstanding_amount = 0, status = 'Paid' WHERE name BETWEEN 'SINV-000100' AND 'SINV-000400';"
