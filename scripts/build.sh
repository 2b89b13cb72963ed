#!/usr/bin/env bash
# Builds deskd (C++, into build/) and the dashboard (web/dist). Usage: scripts/build.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${DESKD_BUILD_DIR:-$here/build}
jobs=${DESKD_JOBS:-$(nproc)}
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=${DESKD_BUILD_TYPE:-RelWithDebInfo} >/dev/null
cmake --build "$build" -j"$jobs"
if [ -f "$here/web/package.json" ]; then
  (cd "$here/web" && npm run --silent build)
fi
