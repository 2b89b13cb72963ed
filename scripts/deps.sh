#!/usr/bin/env bash
# Installs what deskd needs to build, run and test, if it is missing (Debian 12 / Raspberry Pi OS
# bookworm). Usage: scripts/deps.sh [build|test]   installs (uses sudo when not root)
#                   scripts/deps.sh --list [build|test]   prints the package list, installs nothing
# Idempotent and quiet when everything is already there.
#
# The guard test (tests/packaging/deps_guard_test.sh) checks that every package config, pkg-config
# module, library and tool the build and the tests use belongs to a package listed here or pulled
# in by one: a package installed by hand cannot hide a missing line.
set -euo pipefail
list_only=0
if [ "${1:-}" = --list ]; then list_only=1; shift; fi
what=${1:-build}
case "$what" in build|test) ;; *) echo "deps: unknown set '$what' (build|test)" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")/.." && pwd)

# The build set: what `scripts/build.sh` and the demo need (the demo builds without the tests).
pkgs=(build-essential cmake pkg-config libboost1.81-dev libboost-json1.81-dev libgpiod-dev gpiod
      libpaho-mqttpp-dev libpaho-mqtt-dev libssl-dev libtomlplusplus-dev libsystemd-dev
      mosquitto mosquitto-clients ca-certificates)
# The test set adds the test frameworks, the browser and the packaging tools.
test_pkgs=(googletest libgtest-dev libgmock-dev libbenchmark-dev chromium dpkg-dev systemd
           fakeroot file curl
           # The `format` test (scripts/check-format.sh).
           clang-format
           # The Home Assistant blueprint's test (tests/packaging/ha_blueprint_test.py).
           python3-yaml
           # The sanitizer tree and the fuzzers (scripts/sanitize.sh): clang with its ASan/UBSan
           # and libFuzzer runtimes (libclang_rt.fuzzer is in libclang-rt-14-dev), and
           # llvm-symbolizer for readable reports.
           clang-14 libclang-rt-14-dev llvm-14
           # The Bluetooth desk's tests ([ble]): a private dbus-daemon with a simulated BlueZ.
           dbus)
[ "$what" = test ] && pkgs+=("${test_pkgs[@]}")

if [ $list_only = 1 ]; then printf '%s\n' "${pkgs[@]}"; exit 0; fi

# Node.js: Debian's packages only when no node/npm is on the PATH (another install, e.g. a
# newer Node.js, is used as it is).
command -v node >/dev/null || pkgs+=(nodejs)
command -v npm >/dev/null || pkgs+=(npm)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    SUDO=sudo
  fi
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
