#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Prints a short ERP-like workload as plain SQL statements (not a stored
# procedure, so that every statement gets its own performance_schema digest):
# the report queries an accounting user runs, some served by an index, some
# not.   erp_workload.sh [rounds]  (default 20)
set -eu
n=${1:-20}
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
done
echo "UPDATE \`tabSales Invoice\` SET outstanding_amount = 0, status = 'Paid' WHERE name BETWEEN 'SINV-000100' AND 'SINV-000400';"
