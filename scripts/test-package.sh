#!/usr/bin/env bash
# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# The Debian package, end to end, on this machine (docs/installation.md,
# "Install from the package"):
#   1. scripts/package-deb builds it; its name, control fields (Depends pins
#      mariadb-server to exactly the installed version), files, conffile and
#      the commented configuration snippet are checked with dpkg-deb;
#   2. apt-get install ./<deb> installs it, after apt's plan was checked to
#      change no other MariaDB package; the scripts are on PATH and every
#      file is as packaged (dpkg --verify);
#   3. a server is started the Debian way: Debian's own configuration files
#      (/etc/mysql/my.cnf and what it includes, the package's snippet among
#      them), as the mysql user; only its datadir, socket and pid file are
#      its own, in a temporary directory, and it has no TCP port, so the
#      machine's server data and port 3306 are never touched.  First with
#      the snippet's plugin-maturity line uncommented: perf-advisor-install
#      (INSTALL SONAME) loads the plugin from the packaged file,
#      perf-report (text and JSON) reports, perf-advisor-uninstall removes
#      it; then with plugin-load-add uncommented too: the plugin is loaded
#      at startup;
#   4. apt-get purge removes it: every packaged file and directory is gone,
#      and the MariaDB packages, /etc/mysql and the plugin directory are as
#      they were before (a perf_advisor.so that scripts/mtr.sh had put
#      there, which the package replaced, is put back).
# A snippet in /etc/mysql/mariadb.conf.d of a plugin package of another
# version than the server (Debian 12's server recommends the
# mariadb-plugin-provider-* packages, which apt may take from the security
# pocket while the server stays older: their plugins then fail to load and
# the server refuses to start) is left out, and said so.
# Needs an installed server and the machine to itself: scripts/test.sh runs
# it under its lock; alone: flock /tmp/perf_advisor.lock scripts/test-package.sh
# One line per check; the last line is "N passed, N failed".
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${PERF_ADVISOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/perf_advisor}
export PERF_ADVISOR_CACHE=$CACHE
export DEBIAN_FRONTEND=noninteractive
PKG=mariadb-plugin-perf-advisor
SCRIPTS="perf-report apply-recommendations erpnext-indexes perf-advisor-install
         perf-advisor-uninstall"
W=$(mktemp -d /tmp/perf_advisor_pkg.XXXXXX)
chmod 0755 "$W"
SOCK="$W/run/mysqld.sock"
SERVER_PID=
INSTALLED_BY_US=0
SAVED_SO=
POLICY_ADDED=0

passed=0; failed=0
ok() { echo "ok   - $*"; passed=$((passed + 1)); }
not_ok() { echo "FAIL - $*"; failed=$((failed + 1)); }
# check NAME CMD...: ok when CMD succeeds
check() { local n=$1; shift; if "$@"; then ok "$n"; else not_ok "$n"; fi; }
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ] && [ "$passed" -gt 0 ]
  exit $?
}

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    mariadb-admin --no-defaults -S "$SOCK" -uroot shutdown >/dev/null 2>&1 \
      || kill "$SERVER_PID"
  fi
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=
}
restore_so() {
  [ -n "$SAVED_SO" ] || return 0
  cp -p "$W/saved-perf_advisor.so" "$SAVED_SO" && SAVED_SO=
}
# The package's snippet is in /etc/mysql, where mariadb-server has a dpkg
# trigger: without systemd it runs invoke-rc.d mariadb restart.  A
# policy-rc.d that denies it (as setup-deps has when it installs) keeps
# the machine's server as it is; one that is there already stays.
deny_services() {
  [ -e /usr/sbin/policy-rc.d ] && return 0
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  POLICY_ADDED=1
}
allow_services() {
  [ $POLICY_ADDED = 1 ] && rm -f /usr/sbin/policy-rc.d
  POLICY_ADDED=0
}
cleanup() {
  stop_server
  if [ $INSTALLED_BY_US = 1 ]; then
    deny_services
    case $(dpkg-query -W -f='${db:Status-Status}' $PKG 2>/dev/null) in
      ''|not-installed) ;;
      *)
        echo "# cleanup: purging $PKG" >&2
        dpkg --purge $PKG >/dev/null 2>&1 ;;
    esac
    # a failed unpack leaves mariadb-server's trigger pending
    for p in mariadb-server man-db; do
      [ "$(dpkg-query -W -f='${db:Status-Status}' $p 2>/dev/null)" = triggers-pending ] \
        && dpkg --triggers-only $p >/dev/null 2>&1
    done
    allow_services
  fi
  restore_so
  rm -rf "$W"
}
trap cleanup EXIT

sql() { mariadb --no-defaults -S "$SOCK" -uroot -B -N -e "$1" 2>&1; }

# What the package must leave as it found: the MariaDB packages and their
# files, Debian's server configuration and the plugin directory.
state() {
  dpkg --audit 2>&1
  dpkg -l 'mariadb*' 'libmariadb*' 'mysql*' 2>&1 | grep -v " $PKG "
  dpkg --verify mariadb-server mariadb-server-core mariadb-common mysql-common 2>&1
  # (a directory's time changes with what dpkg adds and removes in it)
  find /etc/mysql "$PLUGIN_DIR" \( -type d -printf '%y %p %m\n' \) \
    -o -printf '%y %p %s %m %T@\n' 2>/dev/null | sort
}

# -- 0. what this machine has ------------------------------------------------
VER=$(dpkg-query -W -f='${Version}' mariadb-server 2>/dev/null)
if [ -z "$VER" ] \
   || [ "$(dpkg-query -W -f='${db:Status-Status}' mariadb-server)" != installed ]; then
  not_ok "mariadb-server is installed (scripts/build.sh installs one on a fresh machine)"
  finish
fi
UP=${VER#*:}; UP=${UP%%[-+~]*}
if [ "$(dpkg-query -W -f='${db:Status-Status}' $PKG 2>/dev/null)" = installed ]; then
  not_ok "$PKG is not installed already (this test installs and purges it: remove it first)"
  finish
fi
PLUGIN_DIR=$( (/usr/sbin/mariadbd --verbose --help 2>/dev/null || true) \
             | awk '$1 == "plugin-dir" { print $2 }')
PLUGIN_DIR=${PLUGIN_DIR%/}
ARCH=$(dpkg --print-architecture)
echo "# server: mariadb-server $VER, plugin directory $PLUGIN_DIR"

# -- 1. build and inspect ----------------------------------------------------
DEB=$("$REPO/scripts/package-deb" -o "$W/out" 2>"$W/package.err" | tail -n1)
if [ -z "$DEB" ] || [ ! -f "$DEB" ]; then
  not_ok "package-deb builds a package"; tail -n 20 "$W/package.err" | sed 's/^/#   /'
  finish
fi
NAME=$(basename "$DEB")
DEBVER=$(dpkg-deb -f "$DEB" Version)
if [[ $NAME =~ ^${PKG}_[0-9]+(\.[0-9]+)*(~[a-z]+)?\.[0-9]+\+mariadb${UP//./\\.}_${ARCH}\.deb$ ]] \
   && [ "$NAME" = "${PKG}_${DEBVER}_${ARCH}.deb" ]; then
  ok "package-deb: $NAME"
else
  not_ok "package-deb: $NAME is not ${PKG}_<plugin version>~<maturity>.<commits>+mariadb${UP}_${ARCH}.deb"
fi
[ "$(dpkg-deb -f "$DEB" Package)" = $PKG ] && [ "$(dpkg-deb -f "$DEB" Architecture)" = "$ARCH" ] \
  && ok "control: Package $PKG, Architecture $ARCH" \
  || not_ok "control: Package/Architecture are $(dpkg-deb -f "$DEB" Package Architecture | tr '\n' ' ')"
DEPENDS=$(dpkg-deb -f "$DEB" Depends)
if printf '%s\n' "$DEPENDS" | tr ',' '\n' | sed 's/^ *//' | grep -qxF "mariadb-server (= $VER)"; then
  ok "control: Depends pins mariadb-server (= $VER)"
else
  not_ok "control: Depends is [$DEPENDS], without mariadb-server (= $VER)"
fi
# no other MariaDB package, pinned or not (it would let apt move the server)
if printf '%s\n' "$DEPENDS" | tr ',|' '\n\n' | sed 's/^ *//' \
   | grep -E '^(mariadb|libmariadb|mysql)' | grep -vqxF "mariadb-server (= $VER)"; then
  not_ok "control: Depends names another MariaDB package: $DEPENDS"
else
  ok "control: no other MariaDB package in Depends"
fi

# "TYPE MODE PATH[ -> TARGET]", absolute paths, directories without a
# trailing slash
dpkg-deb -c "$DEB" | awk '{ t = substr($1, 1, 1); m = $1; p = $6
                          sub(/^\./, "", p); if (p != "/") sub(/\/$/, "", p)
                          if (t == "l") p = p " -> " $8
                          print t, m, p }' >"$W/contents"
# has PATH MODE: the package holds PATH with ls-style MODE
has() {
  if grep -qE "^. $2 $1( |$)" "$W/contents"; then ok "contents: $1 ($2)"
  else not_ok "contents: no $1 with mode $2"; fi
}
has "$PLUGIN_DIR/perf_advisor.so" -rw-r--r--
has /etc/mysql/mariadb.conf.d/perf_advisor.cnf -rw-r--r--
has /usr/share/$PKG/lib/pa_cli.py -rw-r--r--
for s in $SCRIPTS; do
  has "/usr/share/$PKG/$s" -rwxr-xr-x
  if grep -qxF "l lrwxrwxrwx /usr/bin/$s -> ../share/$PKG/$s" "$W/contents"; then
    ok "contents: /usr/bin/$s -> ../share/$PKG/$s"
  else
    not_ok "contents: no /usr/bin/$s link to ../share/$PKG/$s"
  fi
  has "/usr/share/man/man1/$s.1pa.gz" -rw-r--r--
done
D=/usr/share/doc/$PKG
for f in copyright changelog.gz docs/dashboards/grafana-perf-advisor.json; do
  has "$D/$f" -rw-r--r--
done
for f in README.md docs/installation.md docs/scripts.md docs/perf_recommendations.md \
         docs/dashboards/README.md; do
  if grep -qE "^- -rw-r--r-- $D/$f(\.gz)?$" "$W/contents"; then ok "contents: $D/$f"
  else not_ok "contents: no $D/$f"; fi
done
# nothing outside the places above
extra=$(awk '$1 != "d" { print $3 }' "$W/contents" \
        | grep -vE "^($PLUGIN_DIR/perf_advisor\.so|/etc/mysql/mariadb\.conf\.d/perf_advisor\.cnf|/usr/bin/[a-z-]+|/usr/share/($PKG|doc/$PKG)/.*|/usr/share/man/man1/[a-z-]+\.1pa\.gz)$")
[ -z "$extra" ] && ok "contents: no other file" || not_ok "contents: unexpected files: $extra"

dpkg-deb -e "$DEB" "$W/control"
[ "$(cat "$W/control/conffiles")" = /etc/mysql/mariadb.conf.d/perf_advisor.cnf ] \
  && ok "conffiles: the snippet, and only it" \
  || not_ok "conffiles: $(tr '\n' ' ' <"$W/control/conffiles")"
ms=$(cd "$W/control" && ls preinst postinst prerm postrm 2>/dev/null)
[ -z "$ms" ] && ok "control: no maintainer script (installing starts and changes nothing)" \
  || not_ok "control: maintainer scripts: $(echo $ms)"

dpkg-deb -x "$DEB" "$W/root"
CNF="$W/root/etc/mysql/mariadb.conf.d/perf_advisor.cnf"
active=$(grep -vE '^[[:space:]]*(#|;|$|\[[a-z-]+\][[:space:]]*$)' "$CNF")
[ -z "$active" ] && ok "snippet: every option is commented out" \
  || not_ok "snippet: active lines: $active"
for o in '#plugin-load-add = perf_advisor.so' '#plugin-maturity = beta'; do
  grep -qxF "$o" "$CNF" && ok "snippet: has [$o]" || not_ok "snippet: no [$o]"
done
grep -qx '\[mariadbd\]' "$CNF" && ok "snippet: its options are in [mariadbd]" \
  || not_ok "snippet: no [mariadbd] section"
grep -qi 'beta' "$CNF" && grep -q 'perf-advisor-install' "$CNF" \
  && ok "snippet: says the plugin is beta and how to load it" \
  || not_ok "snippet: no maturity note or no word of perf-advisor-install"
SO_IN_DEB="$W/root$PLUGIN_DIR/perf_advisor.so"
# grep reads its whole input (no -q): under pipefail, a grep -q that stops
# early kills readelf with SIGPIPE, and the pipeline fails on a match
if readelf -h "$SO_IN_DEB" 2>/dev/null \
     | grep 'DYN (Shared object file)' >/dev/null \
   && readelf --dyn-syms -W "$SO_IN_DEB" | awk '$7 != "UND"' \
      | grep '_maria_plugin_declarations_$' >/dev/null; then
  ok "plugin: a shared object that declares MariaDB plugins"
else
  not_ok "plugin: $SO_IN_DEB is no MariaDB plugin library"
fi

# -- 2. install with apt -----------------------------------------------------
# dpkg refuses a file another package owns (apt's plan does not show it)
owned=$(awk '$1 != "d" { print $3 }' "$W/contents" | while read -r p; do
          o=$(dpkg -S "$p" 2>/dev/null | sed -n '1s/: .*//p')
          [ -n "$o" ] && [ "$o" != $PKG ] && echo "$p ($o)"; done)
if [ -n "$owned" ]; then
  not_ok "files: owned by other packages: $(echo $owned) (not installing)"
  finish
fi
ok "files: no packaged file belongs to another package"
state >"$W/state-before"
if [ -f "$PLUGIN_DIR/perf_advisor.so" ] && ! dpkg -S "$PLUGIN_DIR/perf_advisor.so" >/dev/null 2>&1; then
  # scripts/mtr.sh's copy: the package replaces it, the purge removes it
  cp -p "$PLUGIN_DIR/perf_advisor.so" "$W/saved-perf_advisor.so"
  SAVED_SO="$PLUGIN_DIR/perf_advisor.so"
fi
plan=$(apt-get -s install "$DEB" 2>&1)
bad=$(printf '%s\n' "$plan" | awk -v p=$PKG '
  $1 == "Remv" { print; next }
  $1 == "Inst" && $2 != p && $2 ~ /^(mariadb|libmariadb|mysql)/ { print }')
if ! printf '%s\n' "$plan" | grep -q "^Inst $PKG "; then
  not_ok "apt's plan installs $PKG"; printf '%s\n' "$plan" | tail -n 8 | sed 's/^/#   /'
  finish
elif [ -n "$bad" ]; then
  not_ok "apt's plan would also change: $bad (not installing)"
  finish
fi
ok "apt's plan installs $PKG and changes no other MariaDB package"
INSTALLED_BY_US=1
deny_services
if apt-get install -y -q "$DEB" >"$W/install.log" 2>&1; then
  ok "apt-get install ./$NAME"
else
  not_ok "apt-get install ./$NAME"; tail -n 20 "$W/install.log" | sed 's/^/#   /'
  finish
fi
allow_services
[ "$(dpkg-query -W -f='${db:Status-Status} ${Version}' $PKG)" = "installed $DEBVER" ] \
  && ok "dpkg: $PKG $DEBVER installed" || not_ok "dpkg: $PKG is not installed as $DEBVER"
a=$(dpkg --audit 2>&1)
[ -z "$a" ] && ok "dpkg --audit: nothing half-installed or pending (mariadb-server's trigger ran)" \
  || not_ok "dpkg --audit: $a"
v=$(dpkg --verify $PKG 2>&1)
[ -z "$v" ] && ok "dpkg --verify: every installed file is as packaged" \
  || not_ok "dpkg --verify: $v"
for s in $SCRIPTS; do
  if [ "$(command -v "$s")" = "/usr/bin/$s" ] && "$s" --help >"$W/help.out" 2>&1 \
     && head -n1 "$W/help.out" | grep -q "^usage: $s "; then
    ok "PATH: $s --help"
  else
    not_ok "PATH: $s is $(command -v "$s" || echo missing), --help gave: $(head -n2 "$W/help.out")"
  fi
done
# (section 1pa: linux-perf has perf-report(1))
if ! command -v man >/dev/null; then
  [ -f /usr/share/man/man1/perf-report.1pa.gz ] && ok "man: perf-report(1pa) (no man here)" \
    || not_ok "man: no /usr/share/man/man1/perf-report.1pa.gz"
elif [ "$(man -w 1pa perf-report 2>/dev/null)" = /usr/share/man/man1/perf-report.1pa.gz ] \
     && man 1pa perf-report 2>/dev/null | grep 'connect-timeout' >/dev/null; then
  ok "man: man 1pa perf-report"
else
  not_ok "man: man 1pa perf-report gives [$(man -w 1pa perf-report 2>&1)]"
fi

# -- 3. the server, the Debian way -------------------------------------------
# Debian's /etc/mysql/my.cnf, its !includedir lines expanded, as the server
# reads them (a directory's *.cnf in name order), less the snippets of
# plugin packages of another version than the server.
skipped=
{
  echo "# /etc/mysql/my.cnf for this test ($(basename "$0"))"
  while IFS= read -r line; do
    case $line in
      '!includedir '*)
        for f in $(find "${line#!includedir }" -maxdepth 1 -name '*.cnf' | sort); do
          owner=$(dpkg -S "$f" 2>/dev/null | sed -n '1s/:.*//p')
          case $owner in
            mariadb-plugin-*)
              ov=$(dpkg-query -W -f='${Version}' "$owner")
              if [ "$ov" != "$VER" ] && [ "$owner" != $PKG ]; then
                skipped="$skipped $(basename "$f") ($owner $ov)"
                continue
              fi ;;
          esac
          echo "!include $f"
        done ;;
      *) printf '%s\n' "$line" ;;
    esac
  done </etc/mysql/my.cnf
} >"$W/my.cnf"
[ -n "$skipped" ] && echo "# left out, a plugin package of another version than the server $VER:$skipped"
grep -qxF "!include /etc/mysql/mariadb.conf.d/perf_advisor.cnf" "$W/my.cnf" \
  && ok "config: Debian's my.cnf includes the package's snippet" \
  || not_ok "config: the snippet is not among Debian's configuration files"
# the installed snippet, its lines uncommented as a DBA would: $1 = the
# options to uncomment (a grep -E pattern)
enable() {
  sed -E "s/^#(($1)[[:space:]]*=)/\1/" /etc/mysql/mariadb.conf.d/perf_advisor.cnf >"$W/enable.cnf"
  { cat "$W/my.cnf"; echo "!include $W/enable.cnf"; } >"$W/server.cnf"
}
mkdir -p "$W/run" && chown mysql:mysql "$W/run"
enable plugin-maturity
if mariadb-install-db --defaults-file="$W/server.cnf" --user=mysql \
     --datadir="$W/data" --auth-root-authentication-method=socket \
     --skip-test-db >"$W/install-db.log" 2>&1; then
  ok "mariadb-install-db with Debian's configuration"
else
  not_ok "mariadb-install-db with Debian's configuration"
  tail -n 15 "$W/install-db.log" | sed 's/^/#   /'
  finish
fi
start_server() {
  # setpriv execs mariadbd as mysql (no process in between: $! is the server)
  setpriv --reuid=mysql --regid=mysql --init-groups -- /usr/sbin/mariadbd --defaults-file="$W/server.cnf" \
    --datadir="$W/data" --socket="$SOCK" --pid-file="$W/run/mysqld.pid" \
    --log-error="$W/run/error.log" --skip-networking >/dev/null 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    mariadb-admin --no-defaults -S "$SOCK" -uroot ping >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  tail -n 15 "$W/run/error.log" | sed 's/^/#   /'
  return 1
}
plugin_row() {
  sql "SELECT PLUGIN_STATUS, PLUGIN_LIBRARY, LOAD_OPTION, PLUGIN_MATURITY
       FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'perf_advisor'"
}
# the library the server has mapped is the packaged file
mapped() {
  grep -F "/perf_advisor.so" "/proc/$SERVER_PID/maps" | awk '{ print $6 }' | sort -u
}
if start_server; then
  ok "server A: started as mysql with Debian's configuration (plugin-maturity uncommented)"
  [ "$(ps -o user= -p "$SERVER_PID")" = mysql ] && ok "server A: runs as user mysql" \
    || not_ok "server A: runs as $(ps -o user= -p "$SERVER_PID")"
  r=$(sql "SELECT @@plugin_maturity, @@character_set_server, @@datadir = '$W/data/'")
  [ "$r" = "$(printf 'beta\tutf8mb4\t1')" ] \
    && ok "server A: plugin_maturity beta, Debian's utf8mb4, its own datadir" \
    || not_ok "server A: settings are [$r]"
  if perf-advisor-install -S "$SOCK" -u root >"$W/pa-install.out" 2>&1; then
    ok "perf-advisor-install (INSTALL SONAME and the UDFs)"
  else
    not_ok "perf-advisor-install: $(tail -n 3 "$W/pa-install.out")"
  fi
  r=$(plugin_row)
  [ "$r" = "$(printf 'ACTIVE\tperf_advisor.so\tON\tBeta')" ] \
    && ok "server A: perf_advisor ACTIVE from perf_advisor.so" \
    || not_ok "server A: PLUGINS row is [$r]"
  [ "$(mapped)" = "$PLUGIN_DIR/perf_advisor.so" ] \
    && ok "server A: the library mapped is the packaged $PLUGIN_DIR/perf_advisor.so" \
    || not_ok "server A: mapped [$(mapped)]"
  n=$(sql "SELECT COUNT(*) FROM mysql.func WHERE dl = 'perf_advisor.so'")
  [ "$n" = 6 ] && ok "server A: the 6 UDFs are created" || not_ok "server A: $n UDFs"
  sql "CREATE DATABASE pkgtest; CREATE TABLE pkgtest.t (a INT PRIMARY KEY, b INT, KEY b1 (b), KEY b2 (b, a)) ENGINE=InnoDB" >/dev/null
  if perf-report -S "$SOCK" -u root >"$W/report.txt" 2>"$W/report.err" \
     && grep -q "^perf_advisor report: .*(MariaDB $UP" "$W/report.txt"; then
    ok "perf-report: the text report"
  else
    not_ok "perf-report: $(head -n 3 "$W/report.txt" "$W/report.err")"
  fi
  if perf-report -S "$SOCK" -u root --json --schema pkgtest >"$W/report.json" 2>"$W/report.err" \
     && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["report"] == "perf_advisor", d["report"]
# (b) and (b, a) on InnoDB with PRIMARY KEY (a): one is redundant with the other
assert any(r["table_name"] == "t" and {r["index_name"], r["redundant_with"]} == {"b1", "b2"}
           for r in d["redundant_indexes"]), d["redundant_indexes"]
' "$W/report.json"; then
    ok "perf-report --json: a report that finds pkgtest.t's redundant index"
  else
    not_ok "perf-report --json: $(head -c 300 "$W/report.json" "$W/report.err")"
  fi
  sql "DROP DATABASE pkgtest" >/dev/null
  if perf-advisor-uninstall -S "$SOCK" -u root >"$W/pa-uninstall.out" 2>&1 \
     && [ -z "$(plugin_row)" ] \
     && [ "$(sql "SELECT COUNT(*) FROM mysql.func WHERE dl = 'perf_advisor.so'")" = 0 ]; then
    ok "perf-advisor-uninstall: no plugin, no UDF left"
  else
    not_ok "perf-advisor-uninstall: $(tail -n 3 "$W/pa-uninstall.out"); PLUGINS [$(plugin_row)]"
  fi
  stop_server
else
  not_ok "server A: did not start with Debian's configuration"
fi
enable 'plugin-maturity|plugin-load-add'
if start_server; then
  ok "server B: started with plugin-load-add uncommented too"
  r=$(plugin_row)
  [ "$r" = "$(printf 'ACTIVE\tperf_advisor.so\tON\tBeta')" ] \
    && ok "server B: perf_advisor loaded at startup" \
    || not_ok "server B: PLUGINS row is [$r]"
  [ "$(mapped)" = "$PLUGIN_DIR/perf_advisor.so" ] \
    && ok "server B: from the packaged $PLUGIN_DIR/perf_advisor.so" \
    || not_ok "server B: mapped [$(mapped)]"
  perf-report -S "$SOCK" -u root >"$W/report-b.txt" 2>&1 \
    && ok "server B: perf-report" || not_ok "server B: perf-report: $(head -n 3 "$W/report-b.txt")"
  stop_server
else
  not_ok "server B: did not start with plugin-load-add"
fi

# -- 4. purge ----------------------------------------------------------------
deny_services
if apt-get purge -y -q $PKG >"$W/purge.log" 2>&1; then
  ok "apt-get purge $PKG"
else
  not_ok "apt-get purge $PKG"; tail -n 10 "$W/purge.log" | sed 's/^/#   /'
fi
allow_services
st=$(dpkg-query -W -f='${db:Status-Status}' $PKG 2>/dev/null)
[ -z "$st" ] || [ "$st" = not-installed ] && ok "dpkg: $PKG is gone (not even config-files)" \
  || not_ok "dpkg: $PKG is $st"
left=$(awk '{ print $3 }' "$W/contents" | while read -r p; do
         [ -e "$p" ] || [ -L "$p" ] && printf '%s\n' "$p"; done \
       | grep -vxE '/|/etc|/etc/mysql|/etc/mysql/mariadb\.conf\.d|/usr|/usr/bin|/usr/lib|/usr/lib/mysql|/usr/lib/mysql/plugin|/usr/share|/usr/share/doc|/usr/share/man|/usr/share/man/man1')
[ -z "$left" ] && ok "purge: no packaged file or directory is left" \
  || not_ok "purge: left behind: $(echo $left)"
ls /var/lib/dpkg/info/$PKG.* >/dev/null 2>&1 \
  && not_ok "purge: dpkg still has /var/lib/dpkg/info/$PKG.*" \
  || ok "purge: dpkg keeps no file of $PKG"
restore_so
state >"$W/state-after"
if cmp -s "$W/state-before" "$W/state-after"; then
  ok "purge: MariaDB packages, /etc/mysql and the plugin directory are as before"
else
  not_ok "purge: the machine changed"
  diff "$W/state-before" "$W/state-after" | head -n 20 | sed 's/^/#   /'
fi
finish
