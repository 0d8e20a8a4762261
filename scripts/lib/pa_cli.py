# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
"""Shared code of the perf_advisor maintenance scripts.

The scripts talk to the server only through the `mariadb` command-line
client in batch mode (-B -N), so they need nothing but Python's standard
library and the client, and every standard client option (and ~/.my.cnf,
read by the client itself) works as with the client.

Batch mode escapes tab, newline, backslash and NUL inside values (\\t \\n
\\\\ \\0) and prints SQL NULL as the bare word NULL, which a string 'NULL'
also prints as.  Queries that must tell the two apart select
CONCAT('=', expr): NULL stays NULL, every value gets a '=' in front.

Exit codes shared by every script:
  0 ok, 1 usage error, 2 cannot connect / server error,
  3 plugin not installed, 4 refused or failed action.
"""
import argparse
import datetime
import getpass
import os
import re
import shutil
import subprocess
import sys

EXIT_OK = 0
EXIT_USAGE = 1
EXIT_SERVER = 2
EXIT_NO_PLUGIN = 3
EXIT_REFUSED = 4

EXIT_CODES_HELP = """exit codes:
  0  success
  1  usage error (bad option or argument)
  2  cannot connect to the server, or the server returned an error
  3  the perf_advisor plugin (or its UDFs) is not installed
  4  an action was refused or failed"""

PLUGIN_NAME = "perf_advisor"
UDF_LIBRARY = "perf_advisor.so"
# name -> RETURNS type, as docs/udfs.md creates them
UDFS = [
    ("perf_index_name", "STRING"),
    ("perf_index_ddl", "STRING"),
    ("perf_analyze_table", "STRING"),
    ("perf_recommendations_json", "STRING"),
    ("perf_snapshot_now", "INTEGER"),
    ("perf_record_applied", "INTEGER"),
]
# mysql.func.ret -> RETURNS type
FUNC_RET = {"0": "STRING", "1": "REAL", "2": "INTEGER", "4": "DECIMAL"}

# Client error numbers that mean "no usable connection" rather than "the
# statement failed": client-side errors (2000-2999) and refused logins.
CONNECT_ERRNOS = {1044, 1045, 1698, 1049}

_PROMPT = object()


class PaError(Exception):
    """An error that ends the script with a given exit code."""

    def __init__(self, code, message):
        Exception.__init__(self, message)
        self.code = code
        self.message = message


class ServerError(PaError):
    """The server (or the client) reported an error."""

    def __init__(self, message, errno=None, sqlstate=None, connect=False):
        PaError.__init__(self, EXIT_SERVER, message)
        self.errno = errno
        self.sqlstate = sqlstate
        self.connect = connect


class PluginMissing(PaError):
    def __init__(self, message):
        PaError.__init__(self, EXIT_NO_PLUGIN, message)


class ArgParser(argparse.ArgumentParser):
    """argparse with the client's -h for --host, --help/-? for help, and
    exit code 1 (not argparse's 2) for usage errors."""

    def __init__(self, **kw):
        kw.setdefault("add_help", False)
        kw.setdefault("formatter_class",
                      argparse.RawDescriptionHelpFormatter)
        argparse.ArgumentParser.__init__(self, **kw)
        self.add_argument("--help", "-?", action="help",
                          help="show this help and exit")

    def error(self, message):
        self.print_usage(sys.stderr)
        sys.stderr.write("%s: error: %s\n" % (self.prog, message))
        sys.stderr.write("Try '%s --help' for more information.\n"
                         % self.prog)
        sys.exit(EXIT_USAGE)


def add_connection_options(parser):
    g = parser.add_argument_group(
        "connection options (as the mariadb client's; ~/.my.cnf and the "
        "client's option files are read as usual)")
    g.add_argument("--host", "-h", metavar="HOST")
    g.add_argument("--port", "-P", metavar="PORT", type=int)
    g.add_argument("--socket", "-S", metavar="PATH")
    g.add_argument("--user", "-u", metavar="USER")
    g.add_argument("--password", "-p", metavar="PASSWORD", nargs="?",
                   const=_PROMPT,
                   help="the password; -p alone asks for it once (it is "
                        "passed to the client in MYSQL_PWD, never on a "
                        "command line)")
    g.add_argument("--defaults-file", metavar="FILE",
                   help="read client options from FILE only")
    g.add_argument("--defaults-extra-file", metavar="FILE",
                   help="read FILE after the usual option files")
    g.add_argument("--connect-timeout", metavar="SECONDS", type=int,
                   default=10, help="give up connecting after this long "
                                    "(default 10)")
    return g


def find_client():
    for name in (os.environ.get("PA_MARIADB_CLIENT"), "mariadb", "mysql"):
        if name and shutil.which(name):
            return shutil.which(name)
    raise ServerError("cannot find the mariadb command-line client "
                      "(install mariadb-client, or set PA_MARIADB_CLIENT)",
                      connect=True)


def unescape(field):
    """A batch-mode field as its value (the client's \\t \\n \\\\ \\0)."""
    if "\\" not in field:
        return field
    out = []
    i = 0
    n = len(field)
    while i < n:
        c = field[i]
        if c == "\\" and i + 1 < n:
            nxt = field[i + 1]
            out.append({"t": "\t", "n": "\n", "\\": "\\", "0": "\0"}
                       .get(nxt, "\\" + nxt))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


_ERROR_RE = re.compile(
    r"^ERROR (\d+) \(([0-9A-Za-z]{5})\)(?: at line \d+)?: (.*)$", re.M)


def parse_client_error(stderr):
    """(errno, sqlstate, message) of the client's last ERROR line."""
    found = _ERROR_RE.findall(stderr)
    if found:
        errno, state, msg = found[-1]
        return int(errno), state, msg.strip()
    text = " ".join(l.strip() for l in stderr.splitlines()
                    if l.strip() and not l.startswith("-----"))
    return None, None, text or "the client failed with no message"


def sql_str(value):
    """A string literal that means the same under every sql_mode
    (NO_BACKSLASH_ESCAPES or not): quotes are doubled; a value with a
    backslash or a control character is sent as a hex literal."""
    value = str(value)
    if re.search(r"[\\\x00-\x1f\x7f]", value):
        return "_utf8mb4 X'%s'" % value.encode("utf-8").hex()
    return "'" + value.replace("'", "''") + "'"


def sql_ident(name):
    return "`" + str(name).replace("`", "``") + "`"


def qualified(schema, table):
    return "%s.%s" % (sql_ident(schema), sql_ident(table))


def printable(text):
    """Text safe to print on a terminal or into an SQL comment: control
    characters (newlines included) become \\xNN."""
    if text is None:
        return ""
    return re.sub(r"[\x00-\x1f\x7f]",
                  lambda m: "\\x%02x" % ord(m.group(0)), str(text))


class Client:
    """Runs SQL through the mariadb client in batch mode."""

    def __init__(self, opts):
        self.argv = [find_client()]
        # --defaults-file / --defaults-extra-file must come first
        if opts.defaults_file:
            self.argv.append("--defaults-file=" + opts.defaults_file)
        if opts.defaults_extra_file:
            self.argv.append("--defaults-extra-file="
                             + opts.defaults_extra_file)
        if opts.host:
            self.argv.append("--host=" + opts.host)
        if opts.port is not None:
            self.argv.append("--port=%d" % opts.port)
        if opts.socket:
            self.argv.append("--socket=" + opts.socket)
        if opts.user:
            self.argv.append("--user=" + opts.user)
        self.argv += ["--connect-timeout=%d" % max(1, opts.connect_timeout),
                      "--default-character-set=utf8mb4", "--batch",
                      "--skip-column-names", "--no-auto-rehash",
                      # an option file may ask for another output format
                      # or for carrying on after errors: not here
                      "--skip-vertical", "--skip-table", "--skip-html",
                      "--skip-xml", "--skip-raw", "--skip-force"]
        self.env = dict(os.environ)
        pw = opts.password
        if pw is _PROMPT:
            try:
                pw = getpass.getpass("Enter password: ")
            except (EOFError, KeyboardInterrupt):
                raise PaError(EXIT_USAGE, "no password given")
        if pw is not None:
            self.env["MYSQL_PWD"] = pw
        self.where = opts.host or opts.socket or "the default server"

    def run(self, sql, header=False):
        """Rows of the result sets of sql (a list of lists of strings;
        NULL reads as 'NULL').  header: keep the column-name line."""
        argv = list(self.argv)
        if header:
            argv.remove("--skip-column-names")
        try:
            p = subprocess.run(argv, input=sql.encode("utf-8"),
                               stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=self.env)
        except OSError as e:
            raise ServerError("cannot run %s: %s" % (argv[0], e),
                              connect=True)
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode != 0:
            errno, state, msg = parse_client_error(err)
            connect = errno is None or errno >= 2000 or \
                errno in CONNECT_ERRNOS
            if connect:
                text = "cannot connect to %s: %s" % (self.where, msg)
            else:
                text = "server error %s (%s): %s" % (errno, state, msg)
            raise ServerError(text, errno, state, connect)
        out = p.stdout.decode("utf-8", "replace")
        rows = []
        for line in out.split("\n"):
            if line == "":
                continue
            rows.append([unescape(f) for f in line.split("\t")])
        return rows

    def select(self, columns, tail=""):
        """SELECT columns tail, as dicts keyed by the column names.
        columns: names or (name, expression) pairs.  NULL reads as None."""
        names, exprs = [], []
        for c in columns:
            name, expr = (c, c) if isinstance(c, str) else c
            names.append(name)
            exprs.append("CONCAT('=', %s)" % expr)
        rows = self.run("SELECT %s %s" % (", ".join(exprs), tail))
        result = []
        for r in rows:
            if len(r) != len(names):
                raise ServerError("unexpected result shape from the server "
                                  "(%d columns, expected %d)"
                                  % (len(r), len(names)))
            result.append({n: (None if v == "NULL" else v[1:])
                           for n, v in zip(names, r)})
        return result

    def value(self, expr):
        rows = self.select([("v", expr)])
        return rows[0]["v"] if rows else None

    def execute(self, sql):
        self.run(sql)


def plugin_status(client):
    """The perf_advisor plugin's PLUGIN_STATUS, None when not installed."""
    rows = client.select(["PLUGIN_STATUS"],
                         "FROM information_schema.PLUGINS "
                         "WHERE PLUGIN_NAME = 'perf_advisor'")
    return rows[0]["PLUGIN_STATUS"] if rows else None


def require_plugin(client, prog):
    status = plugin_status(client)
    if status is None:
        raise PluginMissing(
            "the perf_advisor plugin is not installed on %s: run "
            "scripts/perf-advisor-install (INSTALL SONAME 'perf_advisor')"
            % client.where)
    if status != "ACTIVE":
        raise PluginMissing(
            "the perf_advisor plugin is %s on %s, not ACTIVE (see the "
            "server's error log; docs/installation.md)"
            % (status, client.where))


def plugin_error(e):
    """Whether a ServerError means the PERF_ tables are gone."""
    return isinstance(e, ServerError) and e.errno == 1109 and \
        "PERF_" in e.message


def to_int(v):
    if v is None or v == "":
        return None
    try:
        return int(v)
    except ValueError:
        return int(float(v))


def to_float(v):
    if v is None or v == "":
        return None
    return float(v)


def now_stamp():
    return datetime.datetime.now().astimezone().isoformat(
        timespec="seconds")


class Logger:
    """Timestamped lines on stderr and, optionally, appended to a file."""

    def __init__(self, prog, path=None):
        self.prog = prog
        self.file = None
        if path:
            try:
                self.file = open(path, "a", encoding="utf-8")
            except OSError as e:
                raise PaError(EXIT_USAGE, "cannot open the log file %s: %s"
                              % (path, e.strerror))

    def __call__(self, message):
        line = "%s %s: %s" % (now_stamp(), self.prog, printable(message))
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
        if self.file:
            self.file.write(line + "\n")
            self.file.flush()

    def close(self):
        if self.file:
            self.file.close()


def main_guard(prog, fn):
    """Run fn() and turn errors into a message on stderr and an exit
    code."""
    try:
        code = fn()
    except PaError as e:
        if plugin_error(e):
            e = PluginMissing("the perf_advisor plugin is not installed "
                              "(%s): run scripts/perf-advisor-install"
                              % e.message)
        sys.stderr.write("%s: %s\n" % (prog, printable(e.message)))
        if e.code == EXIT_SERVER and isinstance(e, ServerError) and \
                e.connect:
            sys.stderr.write("%s: check --host/--port/--socket/--user and "
                             "that the server is running\n" % prog)
        return e.code
    except KeyboardInterrupt:
        sys.stderr.write("%s: interrupted\n" % prog)
        return EXIT_REFUSED
    except BrokenPipeError:
        return EXIT_OK
    return EXIT_OK if code is None else code
