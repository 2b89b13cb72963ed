#!/usr/bin/env bash
# Installs what deskd needs to build, run and test, if it is missing (Debian 12 / Raspberry Pi OS
# bookworm). Usage: scripts/deps.sh [build|test]. Uses sudo when not root. Idempotent and quiet
# when everything is already there.
set -euo pipefail
what=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)

# The build set: what `scripts/build.sh` (without tests) and the demo need. The guard test
# tests/packaging/deps_guard_test.sh checks that every package the build finds is owned by one
# of these (or by a package they pull in).
pkgs=(build-essential cmake pkg-config libboost1.81-dev libboost-json1.81-dev libgpiod-dev gpiod
      libpaho-mqttpp-dev libpaho-mqtt-dev libssl-dev libtomlplusplus-dev libsystemd-dev
      mosquitto mosquitto-clients ca-certificates)
# Node.js: Debian's packages only when no node/npm is on the PATH (another install, e.g. a
# newer Node.js, is used as it is).
command -v node >/dev/null || pkgs+=(nodejs)
command -v npm >/dev/null || pkgs+=(npm)
if [ "$what" = test ]; then
  pkgs+=(googletest libgtest-dev libgmock-dev libbenchmark-dev chromium dpkg-dev systemd
         fakeroot file curl)
  # The sanitizer tree and the fuzzers (scripts/sanitize.sh): clang with its ASan/UBSan/TSan and
  # libFuzzer runtimes (libclang_rt.fuzzer is in libclang-rt-14-dev), llvm-symbolizer for
  # readable reports.
  pkgs+=(clang-14 libclang-rt-14-dev llvm-14)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  # Debian starts a system mosquitto on 1883 when installing it; deskd's demo and tests start
  # their own brokers on other ports and leave that service alone.
fi

# npm packages of the dashboard (and of the browser tests), from the lock files.
npm_ci() {
  local dir=$1
  [ -f "$dir/package-lock.json" ] || return 0
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "deps: npm ci in ${dir#$here/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_ci "$here/web"
[ "$what" = test ] && npm_ci "$here/tests/e2e"
exit 0
