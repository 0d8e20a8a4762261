-- Copyright (c) perf_advisor authors
-- SPDX-License-Identifier: GPL-2.0-only
-- See COPYING at the top of the repository for the license text.
-- A small ERP database shaped like ERPNext/Frappe's: tables named
-- `tab<DocType>`, a varchar `name` primary key, Frappe's standard columns,
-- and the indexes a fresh site has (some of the ones a busy site needs are
-- missing on purpose).  Rows come from the SEQUENCE engine.  The flags
-- match most rows, as on a live site: GL entries are cancelled (is_cancelled
-- = 1) with their cancelled invoice (docstatus 2, one invoice in ten), stock
-- entries with their cancelled delivery note (one in 25); one company.
CREATE DATABASE IF NOT EXISTS erp_demo;
USE erp_demo;

CREATE TABLE `tabCustomer` (
  name varchar(140) NOT NULL PRIMARY KEY,
  creation datetime(6), modified datetime(6), docstatus int NOT NULL DEFAULT 0,
  customer_name varchar(140), customer_group varchar(140),
  territory varchar(140), disabled int NOT NULL DEFAULT 0,
  is_frozen int NOT NULL DEFAULT 0,
  KEY modified (modified)
) ENGINE=InnoDB;

CREATE TABLE `tabItem` (
  name varchar(140) NOT NULL PRIMARY KEY,
  creation datetime(6), modified datetime(6), docstatus int NOT NULL DEFAULT 0,
  item_code varchar(140), item_name varchar(140), item_group varchar(140),
  disabled int NOT NULL DEFAULT 0, is_stock_item int NOT NULL DEFAULT 1,
  has_variants int NOT NULL DEFAULT 0, variant_of varchar(140),
  KEY modified (modified),
  KEY item_group (item_group)
) ENGINE=InnoDB;

CREATE TABLE `tabSales Invoice` (
  name varchar(140) NOT NULL PRIMARY KEY,
  creation datetime(6), modified datetime(6), docstatus int NOT NULL DEFAULT 0,
  customer varchar(140), posting_date date, due_date date,
  company varchar(140), grand_total decimal(21,9) NOT NULL DEFAULT 0,
  outstanding_amount decimal(21,9) NOT NULL DEFAULT 0, status varchar(30),
  KEY modified (modified),
  KEY posting_date (posting_date)
) ENGINE=InnoDB;

CREATE TABLE `tabGL Entry` (
  name varchar(140) NOT NULL PRIMARY KEY,
  creation datetime(6), modified datetime(6), docstatus int NOT NULL DEFAULT 0,
  posting_date date, account varchar(140), party_type varchar(140),
  party varchar(140), voucher_type varchar(140), voucher_no varchar(140),
  debit decimal(21,9) NOT NULL DEFAULT 0,
  credit decimal(21,9) NOT NULL DEFAULT 0, company varchar(140),
  is_cancelled int NOT NULL DEFAULT 0,
  KEY modified (modified)
) ENGINE=InnoDB;

CREATE TABLE `tabStock Ledger Entry` (
  name varchar(140) NOT NULL PRIMARY KEY,
  creation datetime(6), modified datetime(6), docstatus int NOT NULL DEFAULT 0,
  item_code varchar(140), warehouse varchar(140), posting_date date,
  posting_time time, voucher_type varchar(140), voucher_no varchar(140),
  actual_qty decimal(21,9) NOT NULL DEFAULT 0,
  qty_after_transaction decimal(21,9) NOT NULL DEFAULT 0,
  valuation_rate decimal(21,9) NOT NULL DEFAULT 0,
  is_cancelled int NOT NULL DEFAULT 0,
  KEY modified (modified)
) ENGINE=InnoDB;

INSERT INTO `tabCustomer`
SELECT CONCAT('CUST-', LPAD(seq, 5, '0')), NOW(6), NOW(6), 0,
       CONCAT('Customer ', seq), ELT(1 + seq % 4, 'Commercial', 'Retail',
       'Government', 'Wholesale'), ELT(1 + seq % 5, 'North', 'South', 'East',
       'West', 'Export'), seq % 50 = 0, 0
FROM seq_1_to_2000;

INSERT INTO `tabItem`
SELECT CONCAT('ITEM-', LPAD(seq, 5, '0')), NOW(6), NOW(6), 0,
       CONCAT('ITEM-', LPAD(seq, 5, '0')), CONCAT('Item ', seq),
       ELT(1 + seq % 6, 'Raw Material', 'Products', 'Services',
       'Consumable', 'Sub Assemblies', 'Spares'), seq % 40 = 0, seq % 7 <> 0,
       0, NULL
FROM seq_1_to_5000;

INSERT INTO `tabSales Invoice`
SELECT CONCAT('SINV-', LPAD(seq, 6, '0')), NOW(6), NOW(6), 1 + (seq % 10 = 0),
       CONCAT('CUST-', LPAD(1 + seq % 2000, 5, '0')),
       '2024-01-01' + INTERVAL (seq % 700) DAY,
       '2024-01-31' + INTERVAL (seq % 700) DAY, 'Demo Company',
       100 + seq % 9000, IF(seq % 3 = 0, 100 + seq % 9000, 0),
       IF(seq % 3 = 0, 'Unpaid', 'Paid')
FROM seq_1_to_50000;

INSERT INTO `tabGL Entry`
SELECT CONCAT('GLE-', LPAD(seq, 7, '0')), NOW(6), NOW(6), 1,
       '2024-01-01' + INTERVAL (seq % 700) DAY,
       ELT(1 + seq % 8, 'Debtors - DC', 'Sales - DC', 'Cash - DC',
       'Stock In Hand - DC', 'Creditors - DC', 'Cost of Goods Sold - DC',
       'VAT - DC', 'Bank - DC'),
       IF(seq % 2 = 0, 'Customer', NULL),
       IF(seq % 2 = 0, CONCAT('CUST-', LPAD(1 + seq % 2000, 5, '0')), NULL),
       'Sales Invoice', CONCAT('SINV-', LPAD(1 + seq DIV 4, 6, '0')),
       IF(seq % 2 = 0, seq % 5000, 0), IF(seq % 2 = 1, seq % 5000, 0),
       'Demo Company', (1 + seq DIV 4) % 10 = 0
FROM seq_1_to_200000;

INSERT INTO `tabStock Ledger Entry`
SELECT CONCAT('SLE-', LPAD(seq, 7, '0')), NOW(6), NOW(6), 1,
       CONCAT('ITEM-', LPAD(1 + seq % 5000, 5, '0')),
       ELT(1 + seq % 3, 'Stores - DC', 'Finished Goods - DC', 'WIP - DC'),
       '2024-01-01' + INTERVAL (seq % 700) DAY, '10:00:00', 'Delivery Note',
       CONCAT('DN-', LPAD(seq DIV 3, 6, '0')), -(seq % 10), seq % 1000,
       10 + seq % 90, seq DIV 3 % 25 = 0
FROM seq_1_to_100000;

-- Archived stock history: the oldest 40% deleted, leaving free space.
DELETE FROM `tabStock Ledger Entry` WHERE name < 'SLE-0040000';

ANALYZE TABLE `tabCustomer`, `tabItem`, `tabSales Invoice`, `tabGL Entry`,
  `tabStock Ledger Entry`;
