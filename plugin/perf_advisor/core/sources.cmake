# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# The pure C core, shared by the in-tree plugin build and the standalone
# unit-test build.  Expects PA_CORE_DIR to be set.
SET(PA_CORE_SOURCES
  ${PA_CORE_DIR}/pa_digest.c
  ${PA_CORE_DIR}/pa_table.c
  ${PA_CORE_DIR}/pa_workload.c
  ${PA_CORE_DIR}/pa_field.c
  ${PA_CORE_DIR}/pa_usage.c
  ${PA_CORE_DIR}/pa_verify.c
  ${PA_CORE_DIR}/pa_index.c
  ${PA_CORE_DIR}/pa_text.c
  ${PA_CORE_DIR}/pa_advice.c
  ${PA_CORE_DIR}/pa_config.c
  ${PA_CORE_DIR}/pa_missing.c
  ${PA_CORE_DIR}/pa_select.c
  ${PA_CORE_DIR}/pa_missing_rec.c
  ${PA_CORE_DIR}/pa_colcache.c
  ${PA_CORE_DIR}/pa_rules.c
  ${PA_CORE_DIR}/pa_sql.c
  ${PA_CORE_DIR}/pa_frappe.c
  ${PA_CORE_DIR}/pa_peer.c
)
