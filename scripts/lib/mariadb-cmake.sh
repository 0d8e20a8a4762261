# Copyright (c) perf_advisor authors
# SPDX-License-Identifier: GPL-2.0-only
# See COPYING at the top of the repository for the license text.
# How a MariaDB source tree is configured to build perf_advisor, shared by
# scripts/build.sh (the installed server's version) and
# scripts/build-series.sh (another release series), and how its version is
# read (also by scripts/setup-deps.sh).  Source it, then:
#   cmake "$TREE" "${PA_CMAKE_OPTS[@]}"
#   tree_version <"$TREE/VERSION"
# mysql_release matches the Debian package's configuration, so that server
# structures (THD, TABLE, ...) have the layout the packaged mariadbd uses;
# the engines and plugins that need libraries of their own, or take long
# to build, are off.
PA_CMAKE_OPTS=(
  -DCMAKE_BUILD_TYPE=RelWithDebInfo
  -DBUILD_CONFIG=mysql_release -DIGNORE_AIO_CHECK=ON -DWITH_URING=ON
  -DWITH_LIBAIO=ON -DCONC_DEFAULT_CHARSET=utf8mb4
  -DPLUGIN_ROCKSDB=NO -DPLUGIN_MROONGA=NO -DPLUGIN_SPIDER=NO
  -DPLUGIN_CONNECT=NO -DPLUGIN_COLUMNSTORE=NO -DPLUGIN_S3=NO
  -DPLUGIN_OQGRAPH=NO -DPLUGIN_AWS_KEY_MANAGEMENT=NO -DPLUGIN_AUTH_PAM=NO
  -DPLUGIN_AUTH_GSSAPI=NO -DPLUGIN_HASHICORP_KEY_MANAGEMENT=NO
  -DWITH_UNIT_TESTS=OFF -DWITH_EMBEDDED_SERVER=OFF
)

# the MAJOR.MINOR.PATCH of a MariaDB source tree's VERSION file, on stdin
tree_version() {
  awk -F= '{ gsub(/[ \t\r]/, "") }
           /^MYSQL_VERSION_(MAJOR|MINOR|PATCH)=/ { v[$1] = $2 }
           END { if (v["MYSQL_VERSION_MAJOR"] != "")
                   print v["MYSQL_VERSION_MAJOR"] "." v["MYSQL_VERSION_MINOR"] \
                         "." v["MYSQL_VERSION_PATCH"] }'
}
