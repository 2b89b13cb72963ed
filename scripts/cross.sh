#!/usr/bin/env bash
# Cross-builds deskd for a Raspberry Pi on a Debian 12 PC, proves it with its own unit tests under
# qemu-user, and builds the Debian package for the Pi:
#   build-<arch>/deskd_<version>_<arch>.deb
# Usage: scripts/cross.sh arm64|armhf
#   arm64: 64-bit Raspberry Pi OS (bookworm), Pi 3/4/5/Zero 2 W.
#   armhf: 32-bit Raspberry Pi OS on a Pi 2 or later (Debian armhf is ARMv7).
#
# Debian multiarch: adds the architecture to dpkg, installs what is missing (crossbuild-essential,
# qemu-user-static and the :<arch> -dev packages; sudo when not root; never removes a package),
# cross-compiles deskd and the unit test binaries (tests/unit/<folder> -> deskd_<folder>_tests)
# with cmake/toolchains/<arch>.cmake, runs `ctest -L unit` in that tree with every test under qemu
# (CMAKE_CROSSCOMPILING_EMULATOR: no binfmt_misc needed), then cpack with the dashboard (web/dist)
# inside, and checks the binary, the test count, the control fields and the contents.
#
# Exit: 0 built and passed; 1 a step or check failed; 77 skipped, with "cross: SKIPPED: <why>",
# where this machine cannot do it (no apt, not root and no sudo, packages or qemu unavailable).
# Env: DESKD_CROSS_BUILD_DIR (default build-<arch>), DESKD_JOBS (default 2),
#      DESKD_BUILD_TYPE (default RelWithDebInfo).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
t0=$(date +%s)

say() { echo "cross: [$(($(date +%s) - t0))s] $*"; }
skip() {
  echo "cross: SKIPPED: $*"
  exit 77
}
fail() {
  echo "cross: FAIL: $*" >&2
  exit 1
}

arch=${1:-}
case "$arch" in
  arm64) triple=aarch64-linux-gnu qemus=(qemu-aarch64-static qemu-aarch64) elf='ELF 64-bit LSB .*ARM aarch64' ;;
  armhf) triple=arm-linux-gnueabihf qemus=(qemu-arm-static qemu-arm) elf='ELF 32-bit LSB .*ARM, EABI5' ;;
  *) echo "usage: scripts/cross.sh arm64|armhf" >&2; exit 2 ;;
esac
build=${DESKD_CROSS_BUILD_DIR:-$here/build-$arch}
jobs=${DESKD_JOBS:-2}
mkdir -p "$build"

# ---------------------------------------------------------------------- 1. what is missing
if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
  skip "needs Debian's apt and dpkg"
fi
# Host tools, then the target's libraries (the packages of daemon/CMakeLists.txt and
# tests/CMakeLists.txt; the benchmarks are not cross-built).
host_pkgs=(crossbuild-essential-"$arch" qemu-user-static cmake pkg-config dpkg-dev file)
command -v node >/dev/null || host_pkgs+=(nodejs)
command -v npm >/dev/null || host_pkgs+=(npm)
target_pkgs=(libboost1.81-dev libboost-json1.81-dev libgpiod-dev libpaho-mqttpp-dev
             libpaho-mqtt-dev libssl-dev libtomlplusplus-dev libsystemd-dev libgtest-dev
             libgmock-dev)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
for p in "${host_pkgs[@]}"; do installed "$p" || missing+=("$p"); done
for p in "${target_pkgs[@]}"; do installed "$p:$arch" || missing+=("$p:$arch"); done
new_arch=
dpkg --print-foreign-architectures | grep -qx "$arch" || [ "$(dpkg --print-architecture)" = "$arch" ] ||
  new_arch=1

# ------------------------------------------------------------------- 2. install (root / sudo)
if [ -n "$new_arch" ] || [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || skip "not root and no sudo (needs to install ${missing[*]:-the $arch architecture})"
    sudo -n true 2>/dev/null || [ -t 0 ] || skip "not root and sudo needs a password (no terminal)"
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt=("${sudo[@]}" apt-get -q -o DPkg::Lock::Timeout=600)
  if [ -n "$new_arch" ]; then
    say "dpkg --add-architecture $arch"
    "${sudo[@]}" dpkg --add-architecture "$arch" || skip "dpkg --add-architecture $arch failed"
  fi
  say "apt-get update"
  "${apt[@]}" update -qq >/dev/null || echo "cross: apt-get update failed; using the lists there are"
  # --no-remove: a cross package that would replace a host one (not co-installable) is refused,
  # so the native build is never disturbed.
  "${apt[@]}" install -s --no-remove --no-install-recommends "${missing[@]}" >"$build/cross-apt.log" 2>&1 || {
    tail -5 "$build/cross-apt.log"
    skip "cannot install ${missing[*]} (see $build/cross-apt.log)"
  }
  say "apt-get install ${missing[*]}"
  "${apt[@]}" install -y -qq --no-remove --no-install-recommends "${missing[@]}" >"$build/cross-apt.log" 2>&1 || {
    tail -20 "$build/cross-apt.log"
    fail "apt-get install failed (see $build/cross-apt.log)"
  }
  rm -f "$build/cross-apt.log"
fi
qemu=
for q in "${qemus[@]}"; do command -v "$q" >/dev/null && qemu=$q && break; done
[ -n "$qemu" ] || skip "no ${qemus[*]} (qemu-user-static)"
command -v "$triple-g++" >/dev/null || skip "no $triple-g++ (crossbuild-essential-$arch)"

# -------------------------------------------- 3. the dashboard (architecture-independent)
web=$here/web
if [ -f "$web/package.json" ]; then
  # Built only when missing or older than its sources: the tests beside this one serve web/dist.
  stale=yes
  if [ -f "$web/dist/index.html" ]; then
    stale=$(find "$web/src" "$web/index.html" "$web/package.json" "$web/package-lock.json" \
      "$web"/vite.config.* "$web/tsconfig.json" -newer "$web/dist/index.html" 2>/dev/null | head -1)
  fi
  if [ -n "$stale" ]; then
    if [ ! -d "$web/node_modules" ]; then
      say "npm ci in web/"
      (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
    fi
    say "npm run build in web/"
    (cd "$web" && npm run --silent build) >"$build/cross-web.log" 2>&1 || {
      cat "$build/cross-web.log"
      fail "the dashboard did not build"
    }
    rm -f "$build/cross-web.log"
  fi
  [ -f "$web/dist/index.html" ] || fail "no web/dist/index.html after the dashboard build"
fi

# ------------------------------------------------------------ 4. cross-build deskd and tests
say "configure $build (cmake/toolchains/$arch.cmake)"
# CMAKE_SKIP_INSTALL_ALL_DEPENDENCY: cpack installs what is built here and does not build the
# whole tree (integration tests, ...) first.
cmake -S "$here" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$here/cmake/toolchains/$arch.cmake" \
  -DCMAKE_BUILD_TYPE="${DESKD_BUILD_TYPE:-RelWithDebInfo}" -DDESKD_BUILD_BENCHMARKS=OFF \
  -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >"$build/cross-configure.log" 2>&1 || {
  cat "$build/cross-configure.log"
  fail "cmake configure failed"
}
rm -f "$build/cross-configure.log"
targets=(deskd)
for dir in "$here"/tests/unit/*/; do
  [ -n "$(find "$dir" -name '*_test.cpp' -print -quit)" ] && targets+=("deskd_$(basename "$dir")_tests")
done
say "build ${targets[*]} (-j$jobs)"
cmake --build "$build" -j"$jobs" --target "${targets[@]}" >"$build/cross-build.log" 2>&1 || {
  tail -40 "$build/cross-build.log"
  fail "the cross build failed (see $build/cross-build.log)"
}
bin=$build/daemon/deskd
say "check: $(file -b "$bin" | cut -d, -f1-2)"
file -b "$bin" | grep -Eq "^$elf" || fail "$bin is not $elf: $(file -b "$bin")"

# --------------------------------------------------------------- 5. unit tests under qemu
# Left to the native build: web_unit (vitest), core_is_pure, folder_dependencies and format run no
# target code, and these
# tests bound wall-clock time more tightly than an emulated CPU (several times slower, on a
# shared machine) can keep: start() returns within 100 ms; a 3000-message flood is logged once,
# so it must pass within one second.
# Native only, because qemu-user cannot give them what they test: the two timing bounds below;
# a seccomp filter installed by the guest (qemu-user does not apply it: the ClockTrust tests of
# the unit's clock filter); another thread's syscall state in /proc (PahoWake).
native_only=(web_unit core_is_pure folder_dependencies format
             MqttClientTest.StartWithBrokerDownDoesNotBlockAndConnectsWhenItComesUp
             MqttClientTest.FloodIsBoundedByDroppingAndCountingWhileTheLoopIsBusy
             ClockTrust.FailedSyncReadUnderTheUnitsClockFilterCountsAsUnsynchronised
             ClockTrust.TimesyncdMarkerIsTrustedUnderTheUnitsClockFilter
             PahoWake.EndsAnotherThreadsSleepEarly)
all_unit=$(ctest --test-dir "$build" -N -L '^unit$' | sed -n 's/^ *Test *#[0-9]*: //p')
for t in "${native_only[@]}"; do
  grep -qxF "$t" <<<"$all_unit" || say "note: $t is no longer a unit test (update native_only)"
done
ctest_sel=(-L '^unit$' -E "^($(IFS='|'; echo "${native_only[*]//./\\.}"))\$")
expected=$(ctest --test-dir "$build" -N "${ctest_sel[@]}" | sed -n 's/^Total Tests: //p')
[ "${expected:-0}" -gt 0 ] || fail "ctest lists no unit tests in $build"
say "$expected of $(grep -c . <<<"$all_unit") unit tests run under qemu (native only: ${native_only[*]})"
# Every listed test must run through the emulator (a test that did not would not be proof).
qemu_path=$(command -v "$qemu")
emulated=$(ctest --test-dir "$build" -N -V "${ctest_sel[@]}" |
  grep -cE "^ *[0-9]+: Test command: $qemu_path \"-L\" \"/\" " || true)
[ "$emulated" = "$expected" ] || fail "only $emulated of $expected unit tests run under $qemu_path"
say "run $expected unit tests under $qemu"
# A test that fails is run again, up to twice: under emulation every step is several times slower,
# and a few tests bound wall-clock time (e.g. "start() does not block": < 100 ms). A test that
# needed another run is named; one that fails three times fails the build.
set +e
ctest --test-dir "$build" "${ctest_sel[@]}" --no-tests=error -j"$jobs" --timeout 300 \
  --repeat until-pass:3 --output-on-failure >"$build/cross-ctest.log" 2>&1
rc=$?
set -e
summary=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$build/cross-ctest.log" || true)
[ $rc -eq 0 ] || {
  tail -60 "$build/cross-ctest.log"
  fail "unit tests failed under $qemu (see $build/cross-ctest.log)"
}
retried=$(grep -E '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .*\*\*\*(Failed|Timeout|Exception)' "$build/cross-ctest.log" |
  sed -E 's/.*Test +#[0-9]+: ([^ ]+) .*/\1/' | sort -u || true)
[ -z "$retried" ] || say "passed on a later run under $qemu: $(tr '\n' ' ' <<<"$retried")"
ran=$(sed -n 's/.*tests\{0,1\} failed out of \([0-9]*\).*/\1/p' <<<"$summary")
[ "$ran" = "$expected" ] || fail "ctest ran ${ran:-no} tests, $expected were listed: $summary"
say "check: $ran of $expected unit tests passed under $qemu ($summary)"

# ----------------------------------------------------------------------- 6. Debian package
# check_depends DEB BINARY: every shared library BINARY needs (DT_NEEDED) belongs to a package of
# the target architecture that DEB's Depends names, and the libraries deskd always uses are there.
check_depends() {
  local deb=$1 bin=$2 depends names lib pkg
  depends=$(dpkg-deb -f "$deb" Depends)
  # the package names, one a line ("a (>= 1), b | c" -> a b c)
  names=$(tr ',|' '\n' <<<"$depends" | sed -E 's/^ *//; s/[ (].*//' | grep .)
  for pkg in libc6 libstdc++6 libpaho-mqttpp3-1 libpaho-mqtt1.3 libgpiod2 libboost-json1.81.0 \
    libtomlplusplus3 libsystemd0 systemd; do
    grep -qxF "$pkg" <<<"$names" || fail "Depends lacks $pkg: $depends"
  done
  local needed owners
  needed=$("$triple-readelf" -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p')
  [ -n "$needed" ] || fail "$bin needs no shared library: not the dynamically linked daemon"
  # one dpkg -S for all: "pkg:arch: /path" lines (multiarch libraries are in /lib or /usr/lib)
  owners=$(for lib in $needed; do echo "/usr/lib/$triple/$lib" "/lib/$triple/$lib"; done |
    xargs dpkg -S 2>/dev/null || true)
  for lib in $needed; do
    pkg=$(sed -n "s#^\([^:]*\):$arch: .*/$triple/$lib\$#\1#p" <<<"$owners" | head -1)
    [ -n "$pkg" ] || fail "no $arch package owns $lib"
    grep -qxF "$pkg" <<<"$names" || fail "Depends lacks $pkg (for $lib): $depends"
    echo "cross: check: $lib is in $pkg:$arch, which Depends names"
  done
}

rm -f "$build"/deskd_*_"$arch".deb
say "cpack -G DEB"
(cd "$build" && cpack -G DEB) >"$build/cross-cpack.log" 2>&1 || {
  cat "$build/cross-cpack.log"
  fail "cpack failed (see $build/cross-cpack.log)"
}
debs=("$build"/deskd_*_"$arch".deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one deskd_*_$arch.deb, found: ${debs[*]}"
deb=${debs[0]}
version=$(dpkg-deb -f "$deb" Version)
[ "$(basename "$deb")" = "deskd_${version}_${arch}.deb" ] || fail "package file name $(basename "$deb")"
dpkg-deb -I "$deb" | grep -E '^ (Package|Version|Architecture|Depends|Recommends):'
[ "$(dpkg-deb -f "$deb" Architecture)" = "$arch" ] || fail "Architecture is not $arch"
check_depends "$deb" "$bin"

dpkg-deb -c "$deb" >"$build/cross-deb-contents.txt"
for f in ./usr/bin/deskd ./usr/share/deskd/web/index.html ./usr/lib/systemd/system/deskd.service \
  ./etc/deskd/deskd.toml; do
  grep -qE " ${f//./\\.}$" "$build/cross-deb-contents.txt" || fail "the package lacks $f"
done
unpacked=$(mktemp -d "${TMPDIR:-/tmp}/deskd-cross-XXXXXX")
trap 'rm -rf "$unpacked"' EXIT
dpkg -x "$deb" "$unpacked"
file -b "$unpacked/usr/bin/deskd" | grep -Eq "^$elf" || fail "the packaged deskd is not $elf"
cmp -s "$unpacked/usr/share/deskd/web/index.html" "$web/dist/index.html" ||
  fail "the packaged dashboard is not web/dist"
say "check: package has usr/bin/deskd ($arch), share/deskd/web/index.html, the unit and the config"
echo "cross: PASS $arch: $(basename "$deb"), $ran unit tests passed under $qemu, $(($(date +%s) - t0)) s"
