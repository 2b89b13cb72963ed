#!/usr/bin/env bash
# Every example config (and the shipped deskd.toml) passes `deskd --check-config`.
# Exits 77 (skipped) while the deskd binary does not implement --check-config yet.
# usage: config_examples_test.sh DESKD_BINARY SOURCE_DIR
set -euo pipefail
deskd=$1
source_dir=$2
. "$(dirname "$0")/lib.sh"
[ -x "$deskd" ] || fail "deskd binary $deskd is missing (build the deskd target first)"
if ! "$deskd" --help 2>&1 | grep -q -- '--check-config'; then
  echo "SKIP: $deskd --help does not offer --check-config yet"
  exit 77
fi
for config in "$source_dir"/config/examples/*.toml "$source_dir/config/deskd.toml"; do
  check "deskd --check-config --config $config"
  rc=0
  out=$("$deskd" --check-config --config "$config" 2>&1) || rc=$?
  [ "$rc" -eq 0 ] || {
    printf '%s\n' "$out"
    fail "$config: exit code $rc"
  }
done
echo "PASS"
