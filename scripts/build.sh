#!/usr/bin/env bash
# Builds deskd (C++, into build/) and the dashboard (web/dist). Usage: scripts/build.sh
# Env: DESKD_BUILD_TESTS=OFF builds the daemon only (what the demo needs: no test frameworks);
#      DESKD_BUILD_DIR, DESKD_BUILD_TYPE, DESKD_JOBS.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${DESKD_BUILD_DIR:-$here/build}
jobs=${DESKD_JOBS:-$(nproc)}
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=${DESKD_BUILD_TYPE:-RelWithDebInfo} \
      -DDESKD_BUILD_TESTS=${DESKD_BUILD_TESTS:-ON} >/dev/null
cmake --build "$build" -j"$jobs"
if [ -f "$here/web/package.json" ]; then
  (cd "$here/web" && npm run --silent build)
fi
