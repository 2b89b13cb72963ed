#!/usr/bin/env bash
# Browser end-to-end tests: builds the dashboard if needed, then runs node's test runner over
# tests/e2e/*.test.mjs against real mosquitto + `deskd --simulate` + headless Chromium.
# Env: DESKD_BIN (default build/daemon/deskd), CHROMIUM (default /usr/bin/chromium).
# Arguments: test files to run instead of all (e.g. `run.sh daily_use.test.mjs`).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
web="$repo/web"

export DESKD_BIN="${DESKD_BIN:-$repo/build/daemon/deskd}"
case "$DESKD_BIN" in /*) ;; *) DESKD_BIN="$(pwd)/$DESKD_BIN" ;; esac
if [[ ! -x "$DESKD_BIN" ]]; then
  echo "run.sh: deskd binary not found at $DESKD_BIN (build it, or set DESKD_BIN)" >&2
  exit 1
fi
for tool in mosquitto mosquitto_passwd "${CHROMIUM:-/usr/bin/chromium}"; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 1; }
done

# Node dependencies from the lock files (npm registry only; no browser download).
if [[ ! -d "$web/node_modules" ]]; then (cd "$web" && npm ci --no-audit --no-fund); fi
if [[ ! -d "$here/node_modules" ]]; then (cd "$here" && npm ci --no-audit --no-fund); fi

# Build the dashboard when dist is missing or older than any source file.
stamp="$web/dist/index.html"
if [[ ! -f "$stamp" ]] || [[ -n "$(find "$web/src" "$web/index.html" "$web/package.json" "$web/vite.config.ts" -newer "$stamp" -print -quit)" ]]; then
  (cd "$web" && npm run build)
fi

mkdir -p "$repo/tests/out/e2e"
cd "$here"
status=0
if [[ $# -gt 0 ]]; then files=("$@"); else files=(./*.test.mjs); fi
node --test --test-concurrency=1 --test-reporter=spec "${files[@]}" || status=$?
echo "screenshots and logs: $repo/tests/out/e2e"
exit "$status"
