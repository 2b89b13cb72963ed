#!/usr/bin/env bash
# `cmake --install --prefix <tmp>` gives the expected files and modes, and the installed unit
# passes the systemd checks.
# usage: cmake_install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir=$1
source_dir=$2
. "$(dirname "$0")/lib.sh"
make_scratch

check "cmake --install $build_dir --prefix $SCRATCH/prefix"
cmake --install "$build_dir" --prefix "$SCRATCH/prefix" >"$SCRATCH/install.log" 2>&1 || {
  cat "$SCRATCH/install.log"
  fail "cmake --install failed"
}
expect_layout "$SCRATCH/prefix" "$SCRATCH/prefix/etc" "$source_dir"

check "installing with prefix /usr (DESTDIR) puts the config in /etc, not /usr/etc"
DESTDIR="$SCRATCH/destdir" cmake --install "$build_dir" --prefix /usr >"$SCRATCH/install2.log" 2>&1 || {
  cat "$SCRATCH/install2.log"
  fail "cmake --install with DESTDIR failed"
}
expect_layout "$SCRATCH/destdir/usr" "$SCRATCH/destdir/etc" "$source_dir"
[ ! -e "$SCRATCH/destdir/usr/etc" ] || fail "config landed in /usr/etc"

check_unit "$SCRATCH/prefix/lib/systemd/system/deskd.service" "$SCRATCH/prefix/bin/deskd"
echo "PASS"
