#!/bin/bash
# tests/system/run.sh [amd64|arm64] - deskd as installed: the Debian package built by this tree,
# installed with apt on a Debian 12 booted with systemd as PID 1 under qemu (TCG), as the hardened
# deskd.service, on a simulated GPIO chip (gpio-sim) played by tests/hil/hilctl.c.
#
# Run as root on Debian 12 (x86_64 host). Exit codes: 0 every check passed, 1 a check failed,
# 77 skipped (prints "system: SKIPPED: <why>"), 2 harness error.
#
# The machine: a Debian 12 root file system made by mmdebstrap from this machine's apt sources
# (systemd, udev, dbus, systemd-timesyncd, mosquitto, bluez, openssh-server, gpiod, curl and the
# package's dependencies), cached under $DESKD_SYSTEM_CACHE; the Debian kernel and gpio-sim.ko of
# the HIL harness (tests/hil, cache /var/cache/deskd-hil, prepared here the same way when absent);
# a tiny initramfs that mounts /dev/vda and hands over to systemd. Network: qemu user mode with
# restrict=on (the guest reaches nothing), forwarding only host loopback ports to the guest's ssh
# (the test's control channel), MQTT (1883) and the dashboard (8080).
#
# Environment:
#   DESKD_BUILD_DIR      build tree the package is made from (default: build, or build-arm64)
#   DESKD_SYSTEM_CACHE   image, kernel and run files (default /var/cache/deskd-system)
#   DESKD_HIL_CACHE      the HIL harness's cache, shared (default /var/cache/deskd-hil)
#   DESKD_SYSTEM_TIMEOUT seconds for the whole run (default 1200)
#   DESKD_SYSTEM_SMP     guest CPUs (default 1: gpio-sim's simulated interrupts, see HIL.md)
#   DESKD_SYSTEM_MUTATE_UNIT  experiments only: a sed expression applied to the packaged
#                        deskd.service, e.g. '/^DeviceAllow=char-gpiochip/d' (the test must fail)
set -uo pipefail

ARCH=${1:-amd64}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${DESKD_SYSTEM_CACHE:-/var/cache/deskd-system}
HIL_CACHE=${DESKD_HIL_CACHE:-/var/cache/deskd-hil}
TIMEOUT=${DESKD_SYSTEM_TIMEOUT:-1200}
SMP=${DESKD_SYSTEM_SMP:-1}
export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=600 -o APT::Sandbox::User=root -q)
T0=$(date +%s%N)
SUITE=bookworm

el() { local ms=$(( ($(date +%s%N) - T0) / 1000000 )); printf '%d.%03d' $((ms / 1000)) $((ms % 1000)); }
phase() { echo "system: [$(el)s] $*"; }
# CTest shows no output of a skipped test: the reason also goes to tests/out/skipped.txt, which
# scripts/test.sh prints at the end.
skip() {
  echo "system: SKIPPED: $*"
  { mkdir -p "$REPO/tests/out" && echo "system: $*" >> "$REPO/tests/out/skipped.txt"; } 2>/dev/null || true
  exit 77
}
die() { echo "system: ERROR: $*" >&2; exit 2; }

# ------------------------------------------------------------------ 0. can this machine run it?
case "$ARCH" in
  amd64) QEMU=qemu-system-x86_64 QEMU_PKG=qemu-system-x86 ;;
  arm64) QEMU=qemu-system-aarch64 QEMU_PKG=qemu-system-arm ;;
  *) die "unknown architecture $ARCH (amd64|arm64)" ;;
esac
[ "$(uname -m)" = x86_64 ] || skip "needs an x86_64 host (this is $(uname -m))"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || skip "needs a Debian host (no apt-get)"
[ "$(id -u)" = 0 ] || skip "needs root (installs packages, builds a root file system)"
. /etc/os-release 2>/dev/null || true
[ "${VERSION_CODENAME:-}" = bookworm ] || echo "system: note: written for Debian 12 (bookworm), this is ${PRETTY_NAME:-unknown}"

# arm64: Debian's arm64 kernel with a cross-built gpio-sim.ko and a root file system made without
# binfmt_misc (debootstrap --foreign, second stage in the guest) are still to do.
[ "$ARCH" = amd64 ] || skip "the $ARCH machine is not built yet (cross-built gpio-sim.ko, foreign root file system); amd64 is: tests/system/run.sh"
if [ "$ARCH" = amd64 ]; then BUILD=${DESKD_BUILD_DIR:-$REPO/build}; else BUILD=${DESKD_BUILD_DIR:-$REPO/build-$ARCH}; fi
[ -f "$BUILD/CPackConfig.cmake" ] || skip "no configured build tree at $BUILD (DESKD_BUILD_DIR; arm64: scripts/cross.sh arm64)"
[ -x "$BUILD/daemon/deskd" ] || skip "no deskd binary in $BUILD/daemon (build it first)"

mkdir -p "$CACHE"
exec 8>"$CACHE/.lock-$ARCH"
flock -w 900 8 || die "another system test run holds $CACHE/.lock-$ARCH"

# -------------------------------------------------------------------------------- 1. packages
PKGS=(qemu-utils mmdebstrap busybox-static cpio xz-utils e2fsprogs make gcc libc6-dev
      mosquitto-clients curl openssh-client kmod dpkg-dev "$QEMU_PKG")
[ "$ARCH" = arm64 ] && PKGS+=(gcc-aarch64-linux-gnu qemu-user-static)
missing() { dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed$' || echo "$1"; }
stamp=$CACHE/.apt-updated
todo=()
for p in "${PKGS[@]}"; do [ -z "$(missing "$p")" ] || todo+=("$p"); done
if [ ${#todo[@]} -gt 0 ] || [ -z "$(find "$stamp" -mmin -360 2>/dev/null)" ]; then
  phase "apt-get update"
  "${APT[@]}" update -qq >/dev/null 2>&1 || echo "system: apt-get update failed; using the lists there are"
  touch "$stamp"
fi
if [ ${#todo[@]} -gt 0 ]; then
  phase "apt-get install ${todo[*]}"
  "${APT[@]}" install -y -qq --no-install-recommends "${todo[@]}" >/dev/null || skip "cannot install ${todo[*]}"
fi
command -v "$QEMU" >/dev/null || skip "$QEMU is not available"

# ---------------------------------------------------------------------- 2. the package to test
# Built the way tests/packaging does it: cpack -G DEB from the build tree. The upgrade (step 6)
# installs the same package with a higher version, repacked with dpkg-deb.
RUN=$CACHE/run-$ARCH
rm -rf "$RUN"; mkdir -p "$RUN/pkg"
phase "cpack -G DEB in $BUILD"
(cd "$BUILD" && cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$RUN/pkg") >"$RUN/cpack.log" 2>&1 ||
  { cat "$RUN/cpack.log"; die "cpack failed"; }
DEB=$(ls "$RUN"/pkg/deskd_*_"$ARCH".deb 2>/dev/null | head -1)
[ -n "$DEB" ] || { ls -l "$RUN/pkg"; die "cpack made no deskd_*_$ARCH.deb"; }
VERSION=$(dpkg-deb -f "$DEB" Version)
rm -rf "$RUN/pkg/_CPack_Packages"
mkdir -p "$RUN/repack"
dpkg-deb -R "$DEB" "$RUN/repack/deskd"
if [ -n "${DESKD_SYSTEM_MUTATE_UNIT:-}" ]; then
  # an experiment: does the test notice a weaker unit? (sed expression applied to deskd.service)
  sed -i -e "$DESKD_SYSTEM_MUTATE_UNIT" "$RUN/repack/deskd/usr/lib/systemd/system/deskd.service"
  (cd "$RUN/repack/deskd" && find usr etc -type f -exec md5sum {} + > DEBIAN/md5sums)
  dpkg-deb --root-owner-group -Zgzip -b "$RUN/repack/deskd" "$DEB" >/dev/null || die "repacking failed"
  phase "MUTATED unit (DESKD_SYSTEM_MUTATE_UNIT='$DESKD_SYSTEM_MUTATE_UNIT'): $(diff <(dpkg-deb --fsys-tarfile "$DEB" | tar -xO ./usr/lib/systemd/system/deskd.service) "$REPO/systemd/deskd.service" | tr '\n' ' ')"
fi
NEWVERSION=$VERSION+systest1
sed -i "s/^Version: .*/Version: $NEWVERSION/" "$RUN/repack/deskd/DEBIAN/control"
DEB2=$RUN/pkg/deskd_${NEWVERSION}_$ARCH.deb
dpkg-deb --root-owner-group -Zgzip -b "$RUN/repack/deskd" "$DEB2" >/dev/null || die "repacking $DEB failed"
rm -rf "$RUN/repack"
phase "package $(basename "$DEB"), upgrade $(basename "$DEB2")"
# the package's dependencies go into the image (the guest has no archive to fetch them from)
DEPS=$(dpkg-deb -f "$DEB" Depends | tr ',' '\n' | sed 's/|.*//; s/(.*//; s/ //g' | grep -v '^$' | sort -u | tr '\n' ' ')

# ------------------------------------------------- 3. kernel and gpio-sim (the HIL harness's)
. "$HERE/kernel.sh"
prepare_kernel "$ARCH" || exit $?
phase "kernel $KVER ($KIMG), gpio-sim $GPIOSIM_KO"

# ---------------------------------------------------------------------------- 4. the image
. "$HERE/image.sh"
prepare_image || exit $?
phase "image $IMAGE"

# ------------------------------------------------------------------- 5. boot and the scenario
. "$HERE/machine.sh"
. "$HERE/scenario.sh"
# the whole run is bounded: past DESKD_SYSTEM_TIMEOUT the guest is stopped (trap) and it fails
( trap 'kill $sp 2>/dev/null; exit 0' TERM
  sleep "$TIMEOUT" & sp=$!; wait $sp
  echo "system: FAILED: no result within ${TIMEOUT}s"; kill -TERM $$ ) 2>/dev/null &
WATCHDOG=$!
run_scenario; rc=$?
kill "$WATCHDOG" 2>/dev/null; wait "$WATCHDOG" 2>/dev/null
phase "done (cold/warm: see the phases above)"
exit $rc
