#!/usr/bin/env bash
# The guard must be able to fail: with libboost-json1.81-dev taken out of deps.sh's list (the
# package that once went missing), deps_guard_test.sh must exit 1 and name boost_json.
set -uo pipefail
build=${1:?build dir}; src=${2:?source dir}
out=$(DESKD_DEPS_GUARD_DROP=libboost-json1.81-dev bash "$src/tests/packaging/deps_guard_test.sh" "$build" "$src" 2>&1)
rc=$?
[ $rc = 77 ] && { echo "$out"; exit 77; }
if [ $rc = 1 ] && grep -q "FAIL (build): .*boost_json.*libboost-json1.81-dev" <<<"$out"; then
  echo "deps_guard_selftest: PASS: without libboost-json1.81-dev the guard fails:"
  grep "FAIL" <<<"$out"
  exit 0
fi
echo "$out"
echo "deps_guard_selftest: FAIL: the guard exited $rc without naming boost_json"
exit 1
