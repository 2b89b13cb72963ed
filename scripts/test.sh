#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test tier with CTest:
# unit, integration (real mosquitto + deskd), packaging, browser end-to-end (headless Chromium),
# benchmarks (print their numbers), and the real-kernel GPIO harness (qemu + gpio-sim; it
# reports itself skipped, never passed, where it cannot run).
# Usage: scripts/test.sh [extra ctest arguments, e.g. -L unit]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${DESKD_BUILD_DIR:-$here/build}
"$here/scripts/deps.sh" test
"$here/scripts/build.sh"
mkdir -p "$here/tests/out"
rm -f "$here/tests/out/skipped.txt"
cd "$build"
rc=0
ctest --output-on-failure --timeout 900 -j"${DESKD_JOBS:-2}" "$@" || rc=$?
# CTest prints nothing of a skipped test: the harnesses that skip say why here.
if [ -s "$here/tests/out/skipped.txt" ]; then
  echo "skipped, and why:"
  sed 's/^/  /' "$here/tests/out/skipped.txt"
fi
exit $rc
