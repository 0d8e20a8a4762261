#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# Tests of the maintenance scripts (perf-advisor-install/-uninstall,
# perf-report, apply-recommendations, erpnext-indexes) and of the dashboard
# SQL, against throwaway servers with the plugin: the sample ERP database and
# a workload, then every script's success and failure paths (server down,
# plugin missing, bad options, refusals), the JSON with json.loads, the HTML
# in headless Chromium, every dashboard query, and that the docs name every
# PERF_ column, system variable, UDF and recommendation type and action.
# One line per check; the last line is "N passed, N failed"; exits non-zero
# on any failure.
#   scripts/test-scripts.sh          (PA_TEST_KEEP=1: keep every output)
# The report screenshot is kept (its path is printed).
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${PERF_ADVISOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/perf_advisor}
export PERF_ADVISOR_CACHE=$CACHE
ART="$CACHE/test-scripts"           # artifacts kept after the run
mkdir -p "$ART"
W=$(mktemp -d /tmp/perf_advisor_scripts.XXXXXX)
PY=/usr/bin/python3
. "$REPO/scripts/lib/server.sh"

passed=0; failed=0
ok() { echo "ok   - $*"; passed=$((passed + 1)); }
not_ok() { echo "FAIL - $*"; failed=$((failed + 1)); }
check() { local name=$1; shift; if "$@" >/dev/null 2>&1; then ok "$name"; else not_ok "$name"; fi; }
note() { echo "# $*"; }

cleanup() {
  pa_server_stop
  if [ -n "${PA_TEST_KEEP:-}" ]; then echo "# outputs kept in $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ] && [ "$passed" -gt 0 ]
  exit $?
}

# run NAME RC CMD...: run a script, keep its output in $W/NAME.out/.err,
# check its exit code.
run() {
  local name=$1 want=$2; shift 2
  "$@" >"$W/$name.out" 2>"$W/$name.err" </dev/null
  local rc=$?
  if [ "$rc" = "$want" ]; then
    ok "$name: exit $rc"
  else
    not_ok "$name: exit $rc, expected $want"
    sed 's/^/#   /' "$W/$name.err" | tail -n 8
  fi
}
has() { grep -qF -- "$2" "$W/$1"; }         # has FILE STRING
hasE() { grep -qE -- "$2" "$W/$1"; }
sql() { pa_sql -B -N -e "$1"; }

S="$REPO/scripts"

# -- setup ------------------------------------------------------------------
if ! command -v chromium >/dev/null 2>&1; then
  note "installing chromium (Debian package) for the HTML checks"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y \
     -qq --no-install-recommends chromium fonts-dejavu-core) >"$W/apt.log" 2>&1 \
    || { tail -n 20 "$W/apt.log"; not_ok "install chromium"; }
fi
START=$(date +%s)
if ! SO=$("$S/build.sh" 2>"$W/build.err" | tail -n1) || [ ! -f "$SO" ]; then
  cat "$W/build.err" | tail -n 20
  not_ok "the plugin builds"; finish
fi
pa_install_so "$SO" || { not_ok "install the plugin library"; finish; }
if ! pa_server_start --performance-schema=ON; then
  not_ok "throwaway server starts"; finish
fi
C=(-S "$PA_SOCK" -u root)
if ! pa_sql <"$REPO/scripts/sample/erp_schema.sql" >"$W/schema.log" 2>&1; then
  tail "$W/schema.log"; not_ok "sample schema loads"; finish
fi
ok "server up, sample ERP schema loaded"
# A second schema with hostile identifiers (HTML escaping), and a small
# site whose tabCustomer lacks a column (erpnext-indexes' column check).
pa_sql <<'SQL'
CREATE DATABASE pa_xss;
USE pa_xss;
CREATE TABLE pa_xss.`<script>document.title='pwned'</script>` (
  id INT PRIMARY KEY, a INT, b INT, KEY `<b>bold</b>` (a), KEY a_b (a, b)
) ENGINE=InnoDB;
INSERT INTO pa_xss.`<script>document.title='pwned'</script>` SELECT seq, seq % 7, seq FROM seq_1_to_100;
CREATE DATABASE erp_min;
CREATE TABLE erp_min.tabCustomer (name VARCHAR(140) PRIMARY KEY,
  customer_group VARCHAR(140), territory VARCHAR(140), disabled INT) ENGINE=InnoDB;
SQL

# -- install / uninstall, plugin missing -------------------------------------
run uninstall 0 "$S/perf-advisor-uninstall" "${C[@]}"
check "uninstall: plugin gone" test "$(sql "SELECT COUNT(*) FROM information_schema.PLUGINS WHERE PLUGIN_LIBRARY LIKE 'perf_advisor%'")" = 0
check "uninstall: notes the startup option" has uninstall.err "plugin-load-add"
run uninstall-again 0 "$S/perf-advisor-uninstall" "${C[@]}"
check "uninstall again: nothing to do" has uninstall-again.out "not installed"
run report-no-plugin 3 "$S/perf-report" "${C[@]}"
check "report without plugin: says so" has report-no-plugin.err "not installed"
run apply-no-plugin 3 "$S/apply-recommendations" "${C[@]}"
run erpnext-no-plugin 3 "$S/erpnext-indexes" "${C[@]}" --database erp_demo
run install-dry 0 "$S/perf-advisor-install" "${C[@]}" --dry-run
check "install --dry-run: prints INSTALL SONAME and 6 CREATE FUNCTION" \
  test "$(grep -cE "^(INSTALL SONAME 'perf_advisor'|CREATE FUNCTION .* SONAME 'perf_advisor.so');$" "$W/install-dry.out")" = 7
run install 0 "$S/perf-advisor-install" "${C[@]}"
check "install: plugin ACTIVE" test "$(sql "SELECT PLUGIN_STATUS FROM information_schema.PLUGINS WHERE PLUGIN_NAME='perf_advisor'")" = ACTIVE
check "install: 6 UDFs in mysql.func" test "$(sql "SELECT COUNT(*) FROM mysql.func WHERE dl='perf_advisor.so'")" = 6
run install-again 0 "$S/perf-advisor-install" "${C[@]}"
check "install again: everything already there" test "$(grep -c 'already' "$W/install-again.out")" = 7

# The sample is small and young: decide at once, call 20 ms slow, show small
# indexes, read performance_schema afresh for every statement.
sql "SET GLOBAL perf_advisor_min_observation_seconds = 0;
     SET GLOBAL perf_advisor_slow_query_ms = 20;
     SET GLOBAL perf_advisor_min_index_bytes = 0;
     SET GLOBAL perf_advisor_max_staleness_ms = 0"
# The workload, not the loading of the sample: its 200,000-row INSERTs
# would count as the tables' write time (missing_index's no_net_gain).
sql "TRUNCATE performance_schema.events_statements_summary_by_digest"
"$REPO/scripts/sample/erp_workload.sh" 5 | pa_sql >/dev/null

# -- the docs name everything a user can see ----------------------------------
# Every column of every PERF_ table in its docs/<table>.md column table, every
# system variable in docs/system_variables.md, every UDF in docs/udfs.md, and
# every TYPE and ACTION the sample's recommendations carry in
# docs/perf_recommendations.md; every source file in docs/architecture.md.
sql "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS
       WHERE TABLE_SCHEMA = 'information_schema' AND TABLE_NAME LIKE 'PERF\\_%'" \
  >"$W/doc-columns.txt"
sql "SELECT VARIABLE_NAME FROM information_schema.GLOBAL_VARIABLES
       WHERE VARIABLE_NAME LIKE 'PERF\\_ADVISOR\\_%'" >"$W/doc-sysvars.txt"
sql "SELECT name FROM mysql.func WHERE dl = 'perf_advisor.so'" >"$W/doc-udfs.txt"
sql "SELECT DISTINCT 'type', TYPE FROM information_schema.PERF_RECOMMENDATIONS
     UNION SELECT DISTINCT 'action', ACTION FROM information_schema.PERF_RECOMMENDATIONS" \
  >"$W/doc-recs.txt"
$PY - "$REPO/docs" "$W" >"$W/doc-check.out" 2>&1 <<'PYEOF'
import re, sys, os
docs, w = sys.argv[1], sys.argv[2]
def lines(name):
    return [l.rstrip("\n").split("\t") for l in open(os.path.join(w, name)) if l.strip()]
def column_names(path):
    # first cells of the Markdown table under "## Columns" (or the first
    # table that has a "column" header): "A, B" documents A and B
    names, inside = set(), False
    for l in open(path, encoding="utf-8"):
        if l.startswith("| column |"):
            inside = True
            continue
        if inside and not l.startswith("|"):
            inside = False
        if inside and not l.startswith("|---"):
            names.update(n.strip().strip("`") for n in l.split("|")[1].split(","))
    return names
missing = []
cols = lines("doc-columns.txt")
tables = sorted({t for t, _ in cols})
if len(tables) < 5:
    missing.append("only %d PERF_ tables found: %s" % (len(tables), tables))
for t in tables:
    path = os.path.join(docs, t.lower() + ".md")
    if not os.path.exists(path):
        missing.append("%s: no %s" % (t, os.path.basename(path)))
        continue
    have = column_names(path)
    missing += ["%s.%s" % (t, c) for tt, c in cols if tt == t and c not in have]
text = lambda f: open(os.path.join(docs, f), encoding="utf-8").read()
sv, udfs = text("system_variables.md"), text("udfs.md")
svs = [v.lower() for (v,) in lines("doc-sysvars.txt")]
if len(svs) < 10:
    missing.append("only %d system variables found" % len(svs))
missing += ["system variable " + v for v in svs if "`%s`" % v not in sv]
fs = [f for (f,) in lines("doc-udfs.txt")]
if len(fs) != 6:
    missing.append("%d UDFs installed, expected 6" % len(fs))
missing += ["UDF " + f for f in fs if "## %s(" % f not in udfs]
recs = text("perf_recommendations.md")
rs = lines("doc-recs.txt")
if not rs:
    missing.append("no recommendation on the sample")
missing += ["%s %s" % (k, v) for k, v in rs if "`%s`" % v not in recs]
# every source file of the plugin and of its core in docs/architecture.md
arch = text("architecture.md")
src = os.path.join(docs, "..", "plugin", "perf_advisor")
files = [f for d in (src, os.path.join(src, "core"))
         for f in sorted(os.listdir(d)) if re.search(r"\.(c|cc|h)$", f)]
if len(files) < 20:
    missing.append("only %d source files found under %s" % (len(files), src))
missing += ["source file %s not in architecture.md" % f for f in files
            if not re.search(r"\b%s\b" % re.escape(f.rsplit(".", 1)[0]), arch)]
print("\n".join(missing) if missing else
      "%d tables, %d columns, %d system variables, %d UDFs, %d types and actions,"
      " %d source files"
      % (len(tables), len(cols), len(svs), len(fs), len(rs), len(files)))
sys.exit(1 if missing else 0)
PYEOF
if [ $? = 0 ]; then
  ok "docs: $(cat "$W/doc-check.out")"
else
  not_ok "docs: undocumented:"; sed 's/^/#   /' "$W/doc-check.out"
fi

# -- a server with the default plugin_maturity (gamma) ----------------------
SAVE=("$PA_TMP" "$PA_SOCK" "$PA_PID")
if pa_server_start --plugin-maturity=gamma; then
  G=(-S "$PA_SOCK" -u root)
  run install-gamma 4 "$S/perf-advisor-install" "${G[@]}"
  check "install on gamma: tells how to fix plugin_maturity" has install-gamma.err "plugin-maturity=beta"
  run report-gamma 3 "$S/perf-report" "${G[@]}"
  DOWN_SOCK=$PA_SOCK
  pa_server_stop
  # the server is down now: its socket is gone
  run report-server-down 2 "$S/perf-report" -S "$DOWN_SOCK" -u root
  check "server down: clear message" has report-server-down.err "cannot connect"
else
  not_ok "second (gamma) server starts"
fi
PA_TMP=${SAVE[0]}; PA_SOCK=${SAVE[1]}; PA_PID=${SAVE[2]}

# -- cannot connect, bad options ---------------------------------------------
run report-no-socket 2 "$S/perf-report" -S "$W/no-such.sock" -u root
run apply-no-tcp 2 "$S/apply-recommendations" --host 127.0.0.1 --port 1 -u root
check "unreachable TCP port: clear message" has apply-no-tcp.err "cannot connect"
run erpnext-no-socket 2 "$S/erpnext-indexes" -S "$W/no-such.sock" --database erp_demo
run install-no-socket 2 "$S/perf-advisor-install" -S "$W/no-such.sock"
run uninstall-no-socket 2 "$S/perf-advisor-uninstall" -S "$W/no-such.sock"
for s in perf-advisor-install perf-advisor-uninstall perf-report apply-recommendations erpnext-indexes; do
  run "$s-bogus" 1 "$S/$s" --bogus-option
  check "$s --bogus-option: usage on stderr" has "$s-bogus.err" "usage: $s"
  run "$s-help" 0 "$S/$s" --help
  check "$s --help: documents the exit codes" has "$s-help.out" "exit codes:"
done
run apply-bad-type 1 "$S/apply-recommendations" "${C[@]}" --type nonsense
run apply-bad-id 1 "$S/apply-recommendations" "${C[@]}" --id 'x; DROP'
run report-bad-top 1 "$S/perf-report" "${C[@]}" --top -1
run erpnext-no-db 1 "$S/erpnext-indexes" "${C[@]}"
check "erpnext-indexes without --database: says so" has erpnext-no-db.err "database DB is required"
printf '[client]\nsocket=%s\nuser=root\n' "$PA_SOCK" >"$W/client.cnf"
run report-defaults-file 0 "$S/perf-report" --defaults-file="$W/client.cnf" --top 1
# an option file that asks the client for vertical, raw output and --force
printf '[client]\nsocket=%s\nuser=root\n[mariadb-client]\nvertical\nraw\nforce\n' "$PA_SOCK" >"$W/odd.cnf"
run report-odd-cnf 0 "$S/perf-report" --defaults-file="$W/odd.cnf" --json
check "client options that change the output format are overridden" $PY -c '
import json, sys; assert json.load(open(sys.argv[1]))["largest_tables"]' "$W/report-odd-cnf.out"

# -- perf-report -------------------------------------------------------------
run report-text 0 "$S/perf-report" "${C[@]}"
for sec in "== Top recommendations" "== Biggest tables" "== Most fragmented tables" \
           "== Tables read by full scans" "== Unused indexes" "== Redundant indexes" \
           "== Slowest statement digests" "== Index changes and their verdicts" \
           "== Cache hit ratios"; do
  check "report text: section '${sec#== }'" has report-text.out "$sec"
done
check "report text: names the sample tables" has report-text.out "erp_demo.tabGL Entry"
run report-json 0 "$S/perf-report" "${C[@]}" --json --top 0
check "report --json: one JSON document with every section" $PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
keys = ["server", "summary", "recommendations", "largest_tables",
        "fragmented_tables", "full_scan_tables", "unused_indexes",
        "redundant_indexes", "slow_queries", "caches", "index_changes"]
assert all(k in d for k in keys), [k for k in keys if k not in d]
assert isinstance(d["index_changes"], list)
assert set(d["summary"]["index_changes_by_status"]) == {"broke", "regressed", "pending", "helped", "no_effect"}
assert d["recommendations"] and d["slow_queries"] and d["caches"]
assert isinstance(d["recommendations"][0]["evidence"], dict)
assert {t["table_schema"] for t in d["largest_tables"]} >= {"erp_demo", "pa_xss"}
assert any(i["index_name"] == "<b>bold</b>" for i in d["redundant_indexes"])
' "$W/report-json.out"
run report-json-schema 0 "$S/perf-report" "${C[@]}" --json --schema erp_demo
check "report --schema: only that schema" $PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
rows = d["largest_tables"] + d["unused_indexes"] + d["redundant_indexes"]
assert rows and all(r["table_schema"] == "erp_demo" for r in rows)
assert all(r["table_schema"] in ("erp_demo", None) for r in d["recommendations"])
assert d["filter"]["schema"] == "erp_demo" and len(d["largest_tables"]) == 5
' "$W/report-json-schema.out"

CHROME=(chromium --headless --no-sandbox --disable-gpu --disable-quic
        --no-first-run --disable-background-networking
        --disable-component-update --disable-sync)
chrome() { timeout 120 "${CHROME[@]}" --user-data-dir="$(mktemp -d "$W/chrome.XXXXXX")" "$@"; }
png_ok() {   # a PNG of the window size, not blank (many distinct bytes)
  $PY -c '
import struct, sys
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", d[16:24])
assert (w, h) == (1280, 2000), (w, h)
assert len(d) > 50000, len(d)
' "$1"
}
run report-html 0 "$S/perf-report" "${C[@]}" --schema erp_demo --html "$ART/report.html" -q
check "report --html -q: nothing on stdout" test ! -s "$W/report-html.out"
check "report --html: no script, no external resource" $PY -c '
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
assert "<script" not in h.lower()
assert not re.search(r"(src|href)\s*=\s*[\"\x27]?(https?:|//)", h, re.I)
assert "@import" not in h and "url(" not in h
' "$ART/report.html"
rm -f "$ART/report.png"
chrome --screenshot="$ART/report.png" --window-size=1280,2000 "file://$ART/report.html" >"$W/chrome.log" 2>&1
check "report HTML renders in Chromium: screenshot is a real PNG" png_ok "$ART/report.png"
echo "# screenshot: $ART/report.png"
chrome --dump-dom "file://$ART/report.html" >"$W/dom.html" 2>"$W/chrome-dom.log"
check "report HTML DOM: 6 SVG charts with bars" $PY -c '
import re, sys
d = open(sys.argv[1], encoding="utf-8").read()
assert len(re.findall(r"<svg[^>]*class=\"chart\"", d)) == 6
assert len(re.findall(r"<rect ", d)) >= 20
for fid in ("chart-recommendations", "chart-largest", "chart-fullscans",
            "chart-caches", "chart-indexes", "chart-digests"):
    assert ("id=\"%s\"" % fid) in d, fid
' "$W/dom.html"
check "report HTML DOM: the tables are there" $PY -c '
import re, sys
d = open(sys.argv[1], encoding="utf-8").read()
assert len(re.findall(r"<table class=\"grid", d)) >= 6, len(re.findall(r"<table", d))
for sid in ("recommendations", "largest-tables", "fragmented-tables",
            "unused-indexes", "redundant-indexes", "slow-queries", "index-changes",
            "caches"):
    assert ("id=\"%s\"" % sid) in d, sid
assert "tabGL Entry" in d and "innodb_buffer_pool" in d
' "$W/dom.html"
run report-html-all 0 "$S/perf-report" "${C[@]}" --html "$W/all.html" -q
chrome --dump-dom "file://$W/all.html" >"$W/dom-all.html" 2>/dev/null
check "report HTML: hostile identifiers are text, not markup" $PY -c '
import sys
d = open(sys.argv[1], encoding="utf-8").read()
assert "&lt;script&gt;document.title" in d, "table name missing"
assert "&lt;b&gt;bold&lt;/b&gt;" in d, "index name missing"
assert "<b>bold</b>" not in d and "<script>document" not in d
assert "<title>perf_advisor report" in d and "pwned</title>" not in d
' "$W/dom-all.html"

# -- apply-recommendations ---------------------------------------------------
run apply-dry 0 "$S/apply-recommendations" "${C[@]}"
check "apply dry run: every statement on one line after its id/type/message comments" $PY -c '
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
stmts = 0
for i, l in enumerate(lines):
    if l and not l.startswith("--"):
        stmts += 1
        assert l.endswith(";"), l
        block = []
        j = i - 1
        while j >= 0 and lines[j].startswith("--"):
            block.append(lines[j]); j -= 1
        assert any(b.startswith("-- id ") and " type " in b for b in block), l
        assert len(block) >= 2, l
assert stmts >= 3, stmts
' "$W/apply-dry.out"
check "apply dry run: changes nothing" test "$(sql "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA='erp_demo' AND INDEX_NAME LIKE 'idx%'")" = 0
run apply-type 0 "$S/apply-recommendations" "${C[@]}" --type missing_index
check "apply --type missing_index: only CREATE INDEX" $PY -c '
import sys
s = [l for l in open(sys.argv[1]) if l.strip() and not l.startswith("--")]
assert s and all(l.startswith("CREATE INDEX IF NOT EXISTS") for l in s)
' "$W/apply-type.out"
ID_CUST=$(sql "SELECT ID FROM information_schema.PERF_RECOMMENDATIONS WHERE TYPE='missing_index' AND TABLE_NAME='tabCustomer' LIMIT 1")
ID_GL=$(sql "SELECT ID FROM information_schema.PERF_RECOMMENDATIONS WHERE TYPE='missing_index' AND TABLE_NAME='tabGL Entry' LIMIT 1")
check "workload produced missing_index findings for tabCustomer and tabGL Entry" test -n "$ID_CUST" -a -n "$ID_GL"
run apply-id 0 "$S/apply-recommendations" "${C[@]}" --id "$ID_GL"
check "apply --id: exactly that one" test "$(grep -c '^CREATE' "$W/apply-id.out")" = 1 -a "$(grep -c "^-- id $ID_GL " "$W/apply-id.out")" = 1
run apply-max-rows 0 "$S/apply-recommendations" "${C[@]}" --max-table-rows 10000 --id "$ID_GL" --id "$ID_CUST"
check "apply --max-table-rows: skips the 198k-row table, says why" has apply-max-rows.err "skip $ID_GL (missing_index): --max-table-rows 10000: \`erp_demo\`.\`tabGL Entry\` has"
check "apply --max-table-rows: keeps the small table" test "$(grep -c '^CREATE' "$W/apply-max-rows.out")" = 1 -a "$(grep -c 'tabGL Entry' "$W/apply-max-rows.out")" = 0
"$S/perf-report" "${C[@]}" --json --top 0 >"$W/week.json" 2>/dev/null
run apply-input-report 0 "$S/apply-recommendations" "${C[@]}" --input "$W/week.json" --id "$ID_GL"
check "apply --input takes perf-report --json output" test "$(grep -c '^CREATE' "$W/apply-input-report.out")" = 1
run apply-unknown-id 4 "$S/apply-recommendations" "${C[@]}" --id 0123456789abcdef
run apply-run 0 "$S/apply-recommendations" "${C[@]}" --id "$ID_CUST" --apply --log "$W/apply.log"
check "apply --apply: the index exists" test "$(sql "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA='erp_demo' AND TABLE_NAME='tabCustomer' AND INDEX_NAME LIKE 'idx_customer_%'")" -gt 0
check "apply --log: timestamped run/ok lines" $PY -c '
import re, sys
l = open(sys.argv[1]).read().splitlines()
ts = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d apply-recommendations: "
assert all(re.match(ts, x) for x in l), l
assert any(re.match(ts + "run " + sys.argv[2], x) for x in l)
assert any(re.match(ts + "ok " + sys.argv[2], x) for x in l)
' "$W/apply.log" "$ID_CUST"
check "apply --apply: logs on stderr too" hasE apply-run.err "apply-recommendations: ok $ID_CUST in "
check "apply --apply: records the recommendation of the change" hasE apply-run.err "apply-recommendations: recorded $ID_CUST as PERF_INDEX_CHANGES.ID [0-9]+"
check "PERF_INDEX_CHANGES: the new index names its recommendation (RECOMMENDATION_ID)" \
  test "$(sql "SELECT RECOMMENDATION_ID FROM information_schema.PERF_INDEX_CHANGES WHERE TABLE_SCHEMA='erp_demo' AND TABLE_NAME='tabCustomer' AND INDEX_NAME LIKE 'idx\\_customer\\_%' AND \`CHANGE\` = 'created'")" = "$ID_CUST"

# The first error stops the run: a statement that fails, then one that would work.
$PY - "$W/fail.json" <<'PY'
import json, sys
recs = [
  {"id": "00000000000000a1", "type": "missing_index", "priority": "high",
   "table_schema": "erp_demo", "table_name": "tabItem",
   "index_name": "idx_item_no_such_column", "message": "fails",
   "action": "create_index",
   "suggested_sql": "CREATE INDEX IF NOT EXISTS `idx_item_no_such_column` ON `erp_demo`.`tabItem` (`no_such_column`)"},
  {"id": "00000000000000a2", "type": "missing_index", "priority": "high",
   "table_schema": "erp_demo", "table_name": "tabItem",
   "index_name": "idx_item_item_name", "message": "would work",
   "action": "create_index",
   "suggested_sql": "CREATE INDEX IF NOT EXISTS `idx_item_item_name` ON `erp_demo`.`tabItem` (`item_name`)"}]
json.dump(recs, open(sys.argv[1], "w"))
PY
run apply-stop 4 "$S/apply-recommendations" "${C[@]}" --input "$W/fail.json" --apply
check "apply: stops at the first error, says what was not run" has apply-stop.err "not run: 00000000000000a2"
check "apply: nothing after the error ran" test "$(sql "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA='erp_demo' AND INDEX_NAME='idx_item_item_name'")" = 0

# Refusals: a plan saved while an index was drop-safe, applied after a
# statement started naming it in an index hint (DROP_SAFE turns NO).
sql "SELECT perf_recommendations_json('erp_demo')" >"$W/recs.raw"
$PY -c '
import json, sys
raw = open(sys.argv[1], encoding="utf-8").read().rstrip("\n")
raw = raw.replace("\\\\", "\x00").replace("\\n", "\n").replace("\\t", "\t").replace("\x00", "\\")
json.dump(json.loads(raw), open(sys.argv[2], "w"))
' "$W/recs.raw" "$W/plan.json"
check "perf_recommendations_json(): valid JSON" test -s "$W/plan.json"
ID_SI=$(sql "SELECT ID FROM information_schema.PERF_RECOMMENDATIONS WHERE TYPE='index_cleanup' AND TABLE_NAME='tabSales Invoice' AND INDEX_NAME='modified'")
check "index_cleanup finding for tabSales Invoice.modified" test -n "$ID_SI"
sql "SELECT COUNT(*) FROM erp_demo.\`tabSales Invoice\` FORCE INDEX (modified) WHERE modified IS NOT NULL" >/dev/null
check "the hint makes the index not drop-safe" test "$(sql "SELECT DROP_SAFE FROM information_schema.PERF_INDEX_USAGE WHERE TABLE_SCHEMA='erp_demo' AND TABLE_NAME='tabSales Invoice' AND INDEX_NAME='modified'")" = NO
run apply-refuse 4 "$S/apply-recommendations" "${C[@]}" --input "$W/plan.json" --id "$ID_SI" --apply
check "apply: refuses a target that is not DROP_SAFE, and says why" has apply-refuse.err "REFUSED $ID_SI (index_cleanup): index \`erp_demo\`.\`tabSales Invoice\`.\`modified\` is not DROP_SAFE (DROP_SAFE=NO: index hint"
check "apply: the refused index is untouched" test "$(sql "SELECT IGNORED FROM information_schema.STATISTICS WHERE TABLE_SCHEMA='erp_demo' AND TABLE_NAME='tabSales Invoice' AND INDEX_NAME='modified'")" = NO
$PY - "$W/bad.json" <<'PY'
import json, sys
base = {"priority": "medium", "table_schema": "erp_demo", "message": "crafted",
        "action": "ignore_then_drop_index"}
recs = [
  dict(base, id="00000000000000b1", type="index_cleanup", table_name="tabCustomer",
       index_name="PRIMARY",
       suggested_sql="ALTER TABLE `erp_demo`.`tabCustomer` ALTER INDEX `PRIMARY` IGNORED"),
  dict(base, id="00000000000000b2", type="index_cleanup", table_name="tabCustomer",
       index_name="modified",
       suggested_sql="DROP TABLE `erp_demo`.`tabCustomer`"),
  dict(base, id="00000000000000b3", type="redundant_index", table_name="tabCustomer",
       index_name="modified",
       suggested_sql="ALTER TABLE `erp_demo`.`tabItem` ALTER INDEX `modified` IGNORED"),
  dict(base, id="00000000000000b4", type="missing_index", table_name="tabCustomer",
       index_name="i", action="create_index",
       suggested_sql="CREATE INDEX `i` ON `erp_demo`.`tabCustomer` (`name`); DROP TABLE `erp_demo`.`tabCustomer`; SELECT (1)")]
json.dump(recs, open(sys.argv[1], "w"))
PY
run apply-refuse-crafted 4 "$S/apply-recommendations" "${C[@]}" --input "$W/bad.json" --apply
check "apply: refuses the primary key" has apply-refuse-crafted.err "REFUSED 00000000000000b1 (index_cleanup): index \`erp_demo\`.\`tabCustomer\`.\`PRIMARY\` is not DROP_SAFE (DROP_SAFE=NO: primary key"
check "apply: refuses a statement shape the plugin never produces" has apply-refuse-crafted.err "REFUSED 00000000000000b2 (index_cleanup): not a statement shape"
check "apply: refuses a statement about another table" has apply-refuse-crafted.err "REFUSED 00000000000000b3 (redundant_index): the statement's table"
check "apply: refuses a second statement smuggled after a CREATE INDEX" has apply-refuse-crafted.err "REFUSED 00000000000000b4 (missing_index): not a statement shape"
check "apply: tabCustomer still there" test "$(sql "SELECT COUNT(*) FROM erp_demo.tabCustomer")" = 2000

# Soft drop, then the final drop.
ID_SLE=$(sql "SELECT ID FROM information_schema.PERF_RECOMMENDATIONS WHERE TYPE='index_cleanup' AND TABLE_NAME='tabStock Ledger Entry' AND INDEX_NAME='modified'")
check "index_cleanup finding for tabStock Ledger Entry.modified" test -n "$ID_SLE"
run apply-soft 0 "$S/apply-recommendations" "${C[@]}" --id "$ID_SLE" --apply
check "soft drop: the index is IGNORED" test "$(sql "SELECT IGNORED FROM information_schema.STATISTICS WHERE TABLE_SCHEMA='erp_demo' AND TABLE_NAME='tabStock Ledger Entry' AND INDEX_NAME='modified'")" = YES
check "soft drop: the log tells how to undo it" has apply-soft.err "NOT IGNORED"
run apply-after-soft 0 "$S/apply-recommendations" "${C[@]}" --type index_cleanup --schema erp_demo
check "without --final, no DROP INDEX is ever printed" test "$(grep -c 'DROP INDEX' "$W/apply-after-soft.out")" = 0
# The DROP waits for the soft drop's verdict (docs/verification.md).
check "soft drop: logged as ignored, pending, with its recommendation" \
  test "$(sql "SELECT CONCAT(\`CHANGE\`, ' ', STATUS, ' ', RECOMMENDATION_ID) FROM information_schema.PERF_INDEX_CHANGES WHERE TABLE_SCHEMA='erp_demo' AND TABLE_NAME='tabStock Ledger Entry' AND INDEX_NAME='modified'")" = "ignored pending $ID_SLE"
run apply-final-wait 0 "$S/apply-recommendations" "${C[@]}" --id "$ID_SLE" --final
check "--final while the soft drop is pending: no DROP INDEX" test "$(grep -c 'DROP INDEX' "$W/apply-final-wait.out")" = 0
check "--final while pending: says it waits for the verdict" has apply-final-wait.err "skip $ID_SLE (index_cleanup): its soft drop is still being verified"
check "the recommendation says what it waits for" \
  test "$(sql "SELECT ACTION FROM information_schema.PERF_RECOMMENDATIONS WHERE ID='$ID_SLE' AND SUGGESTED_SQL IS NULL AND FINAL_SQL IS NULL AND MESSAGE LIKE '%soft drop (change % in PERF_INDEX_CHANGES) is still being verified%'")" = await_soft_drop_verdict
# The verdict on counters only (1 execution per statement, no window, no
# latency judgement): the workload runs once more.
sql "SET GLOBAL perf_advisor_verify_min_executions = 1;
     SET GLOBAL perf_advisor_verify_seconds = 0;
     SET GLOBAL perf_advisor_verify_regression_ms = 86400000"
"$REPO/scripts/sample/erp_workload.sh" 1 | pa_sql >/dev/null
check "soft drop: judged helped or no_effect" \
  test "$(sql "SELECT STATUS IN ('helped', 'no_effect') FROM information_schema.PERF_INDEX_CHANGES WHERE TABLE_SCHEMA='erp_demo' AND TABLE_NAME='tabStock Ledger Entry' AND INDEX_NAME='modified'")" = 1
run apply-final-dry 0 "$S/apply-recommendations" "${C[@]}" --id "$ID_SLE" --final
check "--final dry run: the DROP INDEX" has apply-final-dry.out "ALTER TABLE \`erp_demo\`.\`tabStock Ledger Entry\` DROP INDEX \`modified\`;"
run apply-final 0 "$S/apply-recommendations" "${C[@]}" --id "$ID_SLE" --final --apply
check "--final --apply: the index is gone" test "$(sql "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA='erp_demo' AND TABLE_NAME='tabStock Ledger Entry' AND INDEX_NAME='modified'")" = 0
check "PERF_INDEX_CHANGES: soft drop and drop, both from the recommendation" \
  test "$(sql "SELECT GROUP_CONCAT(CONCAT(\`CHANGE\`, ':', IFNULL(RECOMMENDATION_ID, '-')) ORDER BY ID) FROM information_schema.PERF_INDEX_CHANGES WHERE TABLE_SCHEMA='erp_demo' AND TABLE_NAME='tabStock Ledger Entry' AND INDEX_NAME='modified'")" = "ignored:$ID_SLE,dropped:$ID_SLE"
run report-changes 0 "$S/perf-report" "${C[@]}" --json --schema erp_demo --top 0
check "perf-report --json: the change log with verdicts and recommendations" $PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
ch = d["index_changes"]
assert [c["id"] for c in ch] == sorted((c["id"] for c in ch), reverse=True)
mine = [(c["change"], c["recommendation_id"]) for c in ch
        if c["table_name"] == "tabStock Ledger Entry" and c["index_name"] == "modified"]
assert mine == [("dropped", sys.argv[2]), ("ignored", sys.argv[2])], mine
assert any(c["status"] in ("helped", "no_effect") for c in ch if c["change"] == "ignored")
assert d["summary"]["index_changes"] == len(ch) >= 3
assert sum(d["summary"]["index_changes_by_status"].values()) == len(ch)
' "$W/report-changes.out" "$ID_SLE"
run report-changes-text 0 "$S/perf-report" "${C[@]}" --schema erp_demo
check "perf-report text: the change log lists the drop and its recommendation" \
  hasE report-changes-text.out "^ +[0-9]+ +[0-9-]+ [0-9:]+ +tabStock Ledger Entry +modified +dropped +[a-z_]+.* $ID_SLE\$"

# -- erpnext-indexes ---------------------------------------------------------
EXPECTED='Sales Invoice|customer,posting_date
Sales Invoice|docstatus,posting_date
Sales Invoice|outstanding_amount,due_date
Sales Invoice|company,posting_date,docstatus
Stock Ledger Entry|item_code,warehouse,posting_date
Stock Ledger Entry|voucher_type,voucher_no
Stock Ledger Entry|posting_date,creation
GL Entry|account,posting_date
GL Entry|voucher_type,voucher_no
GL Entry|party_type,party,posting_date
GL Entry|company,posting_date,account
Customer|customer_group,territory
Customer|disabled,is_frozen
Item|item_group,disabled
Item|has_variants,variant_of
Item|is_stock_item,disabled'
run erpnext-dry 0 "$S/erpnext-indexes" "${C[@]}" --database erp_demo
check "erpnext dry run: exactly the 16 expected statements" $PY -c '
import re, sys
out = open(sys.argv[1]).read().splitlines()
got = []
for l in out:
    m = re.match(r"^CREATE INDEX IF NOT EXISTS `(idx_[a-z0-9_]+)` ON `erp_demo`\.`tab([^`]+)` \((.*)\);$", l)
    if m:
        got.append("%s|%s" % (m.group(2), ",".join(c.strip("`") for c in m.group(3).split(", "))))
want = sys.argv[2].splitlines()
assert got == want, (got, want)
' "$W/erpnext-dry.out" "$EXPECTED"
check "erpnext dry run: skips the missing tabPurchase Invoice" test "$(grep -c '^-- skip `tabPurchase Invoice` .*: table does not exist' "$W/erpnext-dry.out")" = 3
check "erpnext dry run: changes nothing" test "$(sql "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA='erp_demo' AND INDEX_NAME IN ('idx_item_item_group_disabled','idx_gl_entry_voucher_type_voucher_no')")" = 0
run erpnext-min 0 "$S/erpnext-indexes" "${C[@]}" --database erp_min
check "erpnext: a missing column is a clean skip" has erpnext-min.out '-- skip `tabCustomer` (disabled, is_frozen): no column is_frozen'
check "erpnext: the rest of that table still gets its index" has erpnext-min.out 'ON `erp_min`.`tabCustomer` (`customer_group`, `territory`);'
run erpnext-nodb 4 "$S/erpnext-indexes" "${C[@]}" --database no_such_site
BEFORE=$(sql "SELECT COUNT(DISTINCT TABLE_NAME, INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA='erp_demo'")
run erpnext-apply 0 "$S/erpnext-indexes" "${C[@]}" --database erp_demo --apply
AFTER=$(sql "SELECT COUNT(DISTINCT TABLE_NAME, INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA='erp_demo'")
check "erpnext --apply: 16 indexes created" test $((AFTER - BEFORE)) = 16
check "erpnext --apply: logged each one" test "$(grep -c 'erpnext-indexes: ok ' "$W/erpnext-apply.err")" = 16
run erpnext-again 0 "$S/erpnext-indexes" "${C[@]}" --database erp_demo
check "erpnext second run: all 16 covered, nothing to create" test "$(grep -c '^-- covered ' "$W/erpnext-again.out")" = 16 -a "$(grep -c '^CREATE' "$W/erpnext-again.out")" = 0
check "erpnext second run: names the covering index" has erpnext-again.out "-- covered \`tabItem\` (item_group, disabled): perf_index_ddl: index \`idx_item_item_group_disabled\` already starts with"
run erpnext-again-apply 0 "$S/erpnext-indexes" "${C[@]}" --database erp_demo --apply
check "erpnext second --apply: nothing created" has erpnext-again-apply.out "-- 0 to create"
check "EXPLAIN uses a new index" test -n "$(pa_sql -B -N -e "EXPLAIN SELECT COUNT(*) FROM erp_demo.\`tabGL Entry\` WHERE voucher_type='Sales Invoice' AND voucher_no='SINV-000010'" | grep idx_gl_entry_voucher_type_voucher_no)"

# -- the dashboard and its README --------------------------------------------
$PY - "$REPO/docs/dashboards/grafana-perf-advisor.json" "$REPO/docs/dashboards/README.md" "$PA_SOCK" >"$W/dashboard.log" 2>&1 <<'PY'
import json, re, subprocess, sys
dash_path, readme_path, sock = sys.argv[1:4]

def say(ok, name):
    print(("ok   - " if ok else "FAIL - ") + name)

def norm(sql):
    return " ".join(sql.split())

def run(sql):
    p = subprocess.run(["mariadb", "--no-defaults", "-S", sock, "-uroot",
                        "-B", "--default-character-set=utf8mb4"],
                       input=sql, capture_output=True, text=True)
    lines = p.stdout.split("\n")
    return p.returncode, (lines[0].split("\t") if lines[0] else []), \
        len([l for l in lines[1:] if l]), p.stderr.strip()

def substitute(sql, value):
    return re.sub(r"\$\{schema(?::[a-z]+)?\}|\$schema\b|\[\[schema\]\]", value, sql)

d = json.load(open(dash_path))
readme = open(readme_path, encoding="utf-8").read()
blocks = []      # (sql, expected columns or None)
for m in re.finditer(r"```sql\n(.*?)```\n(?:[ \t]*\nColumns: ([^\n]*)\n)?", readme, re.S):
    cols = re.findall(r"`([^`]+)`", m.group(2)) if m.group(2) else None
    blocks.append((m.group(1), cols))
by_text = {norm(s): c for s, c in blocks}
say(len(blocks) >= 12, "dashboard README: %d SQL blocks" % len(blocks))

tv = {v["name"]: v for v in d["templating"]["list"]}
say("DS" in tv and tv["DS"]["type"] == "datasource" and tv["DS"]["query"] == "mysql",
    "dashboard: ${DS} is a MySQL data source variable")
say("schema" in tv and tv["schema"]["type"] == "query", "dashboard: a schema query variable")

queries = [("variable schema", tv["schema"]["query"], None)]
panels = []
def walk(ps):
    for p in ps:
        panels.append(p)
        walk(p.get("panels", []))
walk(d["panels"])
ids = [p["id"] for p in panels]
say(len(ids) == len(set(ids)) and len(panels) >= 8, "dashboard: %d panels, unique ids" % len(panels))
for p in panels:
    if p.get("type") == "row":
        continue
    ds_ok = p.get("datasource", {}).get("uid") == "${DS}" and all(
        t.get("datasource", {}).get("uid") == "${DS}" for t in p["targets"])
    say(ds_ok, "panel '%s': uses ${DS}" % p["title"])
    for t in p["targets"]:
        queries.append(("panel '%s'" % p["title"], t["rawSql"], p))

for where, sql, p in queries:
    cols = by_text.get(norm(sql), "missing")
    if cols == "missing":
        say(False, "%s: its SQL is on the README page" % where)
        continue
    for label, value in (("one schema", "'erp_demo'"), ("two schemas", "'erp_demo','pa_xss'")):
        rc, header, nrows, err = run(substitute(sql, value))
        good = rc == 0 and (cols is None or header == cols)
        say(good, "%s (%s): runs, columns %s%s" % (where, label, ",".join(header),
            "" if good else " -- expected %s; %s" % (cols, err[:200])))
    if p is not None:
        names = set()
        for o in p.get("fieldConfig", {}).get("overrides", []):
            if o["matcher"]["id"] == "byName":
                names.add(o["matcher"]["options"])
        for k in ("xField",):
            if p.get("options", {}).get(k):
                names.add(p["options"][k])
        dn = p.get("fieldConfig", {}).get("defaults", {}).get("displayName", "")
        names.update(re.findall(r"__data\.fields\.([A-Za-z_]+)", dn))
        say(names <= set(cols or []), "%s: field references %s exist" % (where, sorted(names)))

listed = {norm(s) for _, s, _ in queries}
for s, cols in blocks:
    if norm(s) in listed:
        continue
    rc, header, nrows, err = run(substitute(s, "'erp_demo'"))
    say(rc == 0 and (cols is None or header == cols),
        "README block '%s...': runs%s" % (norm(s)[:40], "" if rc == 0 else ": " + err[:200]))
PY
dash_rc=$?
cat "$W/dashboard.log"
passed=$((passed + $(grep -c '^ok   - ' "$W/dashboard.log")))
failed=$((failed + $(grep -c '^FAIL - ' "$W/dashboard.log")))
[ "$dash_rc" = 0 ] || not_ok "dashboard checker ran to the end"

# -- UDF JSON, then uninstall --------------------------------------------------
sql "SELECT perf_analyze_table('erp_demo', 'tabGL Entry')" >"$W/analyze.raw"
check "perf_analyze_table(): valid JSON with the table's indexes" $PY -c '
import json, sys
raw = open(sys.argv[1], encoding="utf-8").read().rstrip("\n")
raw = raw.replace("\\\\", "\x00").replace("\\n", "\n").replace("\\t", "\t").replace("\x00", "\\")
d = json.loads(raw)
assert d["table"] == "tabGL Entry" and len(d["index_analysis"]) >= 5
' "$W/analyze.raw"
run uninstall-end 0 "$S/perf-advisor-uninstall" "${C[@]}"
check "uninstall: UDFs dropped" test "$(sql "SELECT COUNT(*) FROM mysql.func WHERE dl='perf_advisor.so'")" = 0
check "uninstall: plugin gone" test "$(sql "SELECT COUNT(*) FROM information_schema.PLUGINS WHERE PLUGIN_NAME='perf_advisor'")" = 0
note "took $(( $(date +%s) - START )) s (without the Chromium install)"
finish
