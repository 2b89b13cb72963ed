#!/bin/bash
# tests/hil/run.sh - deskd's libgpiod backend against a real kernel: a Debian kernel booted under
# qemu (TCG) with the gpio-sim module, running the real deskd binary on simulated GPIO lines.
#
# Run as root on Debian 12 (x86_64). Exit codes: 0 all scenarios passed, 1 a scenario failed or
# the guest did not report, 77 skipped (prints "hil: SKIPPED: <why>"), 2 harness error.
#
# Environment:
#   DESKD_BIN          the deskd binary (default: build/daemon/deskd under the repository)
#   DESKD_HIL_CACHE    downloads and builds kept between runs (default /var/cache/deskd-hil)
#   DESKD_HIL_ONLY     space-separated scenario names to run (default: all)
#   DESKD_HIL_TIMEOUT  seconds the guest may run (default 600)
#   DESKD_HIL_HOST_LOAD  busy loops on the host while the guest runs (default 0)
#   KVER               kernel ABI to use (default: what linux-image-amd64 depends on)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${DESKD_HIL_CACHE:-/var/cache/deskd-hil}
TIMEOUT=${DESKD_HIL_TIMEOUT:-600}
export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=600 -o APT::Sandbox::User=root -q)
T0=$(date +%s%N)

el() { local ms=$(( ($(date +%s%N) - T0) / 1000000 )); printf '%d.%03d' $((ms / 1000)) $((ms % 1000)); }
phase() { echo "hil: [$(el)s] $*"; }
skip() {  # the reason also to tests/out/skipped.txt (scripts/test.sh prints it; CTest does not)
  echo "hil: SKIPPED: $*"
  { mkdir -p "$REPO/tests/out" && echo "hil: $*" >> "$REPO/tests/out/skipped.txt"; } 2>/dev/null || true
  exit 77
}
die() { echo "hil: ERROR: $*" >&2; exit 2; }

# ------------------------------------------------------------------ 0. can this machine run it?
[ "$(uname -m)" = x86_64 ] || skip "needs an x86_64 host (this is $(uname -m))"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || skip "needs a Debian host (no apt-get)"
[ "$(id -u)" = 0 ] || skip "needs root (installs packages, unpacks the kernel)"
. /etc/os-release 2>/dev/null || true
[ "${VERSION_CODENAME:-}" = bookworm ] || echo "hil: note: written for Debian 12 (bookworm), this is ${PRETTY_NAME:-unknown}"

case "${DESKD_BIN:-}" in
  "") DESKD_BIN=$REPO/build/daemon/deskd ;;
  /*) ;;
  *) DESKD_BIN=$(pwd)/$DESKD_BIN ;;
esac
mkdir -p "$CACHE"/{debs,mod,build}
exec 9>"$CACHE/.lock"
flock -w 900 9 || die "another HIL run holds $CACHE/.lock"

# -------------------------------------------------------------------------------- 1. packages
PKGS=(qemu-system-x86 busybox-static cpio xz-utils make gcc libc6-dev gpiod mosquitto
      mosquitto-clients)
missing() { dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed$' || echo "$1"; }
stamp=$CACHE/.apt-updated
need_update=
if [ -z "$(find "$stamp" -mmin -360 2>/dev/null)" ]; then need_update=1; fi
for p in "${PKGS[@]}"; do [ -z "$(missing "$p")" ] || need_update=1; done
if [ -n "$need_update" ]; then
  phase "apt-get update"
  "${APT[@]}" update -qq >/dev/null 2>&1 || echo "hil: apt-get update failed; using the lists there are"
  touch "$stamp"
fi
KVER=${KVER:-$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: linux-image-//p' | head -1)}
[ -n "$KVER" ] || skip "cannot determine the kernel ABI: apt-cache knows no linux-image-amd64"
PKGVER=$(apt-cache policy "linux-image-$KVER" 2>/dev/null | awk '/Candidate:/{print $2}')
[ -n "$PKGVER" ] && [ "$PKGVER" != "(none)" ] || skip "no candidate version for linux-image-$KVER"
SERIES=${KVER%%.0-*}
phase "kernel $KVER, package version $PKGVER"
todo=()
for p in "${PKGS[@]}"; do [ -z "$(missing "$p")" ] || todo+=("$p"); done
if [ "$(dpkg-query -W -f='${Version} ${Status}' "linux-headers-$KVER" 2>/dev/null)" != "$PKGVER install ok installed" ]; then
  todo+=("linux-headers-$KVER=$PKGVER")
fi
if [ ${#todo[@]} -gt 0 ]; then
  phase "apt-get install ${todo[*]}"
  "${APT[@]}" install -y -qq --no-install-recommends "${todo[@]}" >/dev/null ||
    skip "cannot install ${todo[*]}"
fi
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not available"

# ------------------------------------------------- 2. kernel image and source (downloaded only)
cd "$CACHE/debs"
IMG_DEB=linux-image-${KVER}_${PKGVER}_amd64.deb
SRC_DEB=linux-source-${SERIES}_${PKGVER}_all.deb
for want in "linux-image-$KVER=$PKGVER:$IMG_DEB" "linux-source-$SERIES=$PKGVER:$SRC_DEB"; do
  spec=${want%%:*}; file=${want#*:}
  # apt-get download names files with the epoch %-escaped; look for what it wrote
  if [ ! -f "$file" ]; then
    phase "download $spec"
    "${APT[@]}" download -qq "$spec" >/dev/null 2>&1 || skip "cannot download $spec"
    got=$(ls -t "${spec%%=*}"_*.deb 2>/dev/null | head -1)
    [ -n "$got" ] || skip "download of $spec produced no file"
    [ "$got" = "$file" ] || mv "$got" "$file"
  fi
done
# older versions of the same packages are no longer needed
find . -name 'linux-*.deb' ! -name "$IMG_DEB" ! -name "$SRC_DEB" -delete

KROOT=$CACHE/kroot-$KVER
if [ "$(cat "$KROOT/.pkgver" 2>/dev/null)" != "$PKGVER" ]; then
  phase "unpack $IMG_DEB"
  rm -rf "$CACHE"/kroot-*; mkdir -p "$KROOT"
  dpkg-deb -x "$IMG_DEB" "$KROOT"
  echo "$PKGVER" > "$KROOT/.pkgver"
fi
KCFG=$KROOT/boot/config-$KVER
MODDIR=$KROOT/lib/modules/$KVER
for opt in GPIOLIB GPIO_CDEV GPIO_CDEV_V1; do
  grep -q "^CONFIG_$opt=y" "$KCFG" || die "kernel $KVER lacks CONFIG_$opt"
done

# --------------------------------------------------------------------------------- 3. gpio-sim
GPIOSIM_KO=
if grep -q '^CONFIG_GPIO_SIM=m' "$KCFG"; then
  GPIOSIM_KO=$(find "$MODDIR" -name 'gpio-sim.ko*' | head -1)
elif ! grep -q '^CONFIG_GPIO_SIM=y' "$KCFG"; then
  GPIOSIM_KO=$CACHE/mod/gpio-sim.ko
  if [ "$(cat "$CACHE/mod/.built-for" 2>/dev/null)" != "$KVER $PKGVER" ]; then
    phase "build gpio-sim.ko out of tree (CONFIG_GPIO_SIM is not set in $KVER)"
    S=$CACHE/src-$SERIES
    rm -rf "$S" "$CACHE/mod"; mkdir -p "$S" "$CACHE/mod"
    dpkg-deb --fsys-tarfile "$SRC_DEB" | tar -xO "./usr/src/linux-source-$SERIES.tar.xz" |
      tar -xJ -C "$S" --strip-components=1 "linux-source-$SERIES/drivers/gpio/gpio-sim.c" \
        "linux-source-$SERIES/drivers/gpio/gpiolib.h" "linux-source-$SERIES/kernel/irq/irq_sim.c"
    cp "$S/drivers/gpio/gpio-sim.c" "$CACHE/mod/gpio-sim-core.c"
    cp "$S/drivers/gpio/gpiolib.h" "$CACHE/mod/gpiolib.h"
    # CONFIG_IRQ_SIM is off too, so irq_sim.c is linked into the module; irq_to_desc() is not
    # exported to modules, generic_handle_irq() reaches the same handle_simple_irq().
    sed 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' \
      "$S/kernel/irq/irq_sim.c" > "$CACHE/mod/irq_sim.c"
    grep -q 'generic_handle_irq(irqnum);' "$CACHE/mod/irq_sim.c" || die "irq_sim.c change did not apply"
    printf 'obj-m := gpio-sim.o\ngpio-sim-y := gpio-sim-core.o irq_sim.o\n' > "$CACHE/mod/Kbuild"
    make -s -C "/usr/src/linux-headers-$KVER" M="$CACHE/mod" modules >"$CACHE/mod/build.log" 2>&1 ||
      { cat "$CACHE/mod/build.log"; die "gpio-sim.ko did not build"; }
    strip --strip-debug "$GPIOSIM_KO"
    rm -rf "$S"
    echo "$KVER $PKGVER" > "$CACHE/mod/.built-for"
  fi
fi

# -------------------------------------- 4. kernel to boot: the ELF vmlinux (PVH), else bzImage
KIMG=$KROOT/boot/vmlinuz-$KVER
if grep -q '^CONFIG_PVH=y' "$KCFG"; then
  V=$CACHE/vmlinux-$KVER
  if [ "$(cat "$V.pkgver" 2>/dev/null)" != "$PKGVER" ]; then
    phase "extract vmlinux (saves the XZ decompression under emulation at every boot)"
    rm -f "$CACHE"/vmlinux-*
    off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$KIMG" | head -1 | cut -d: -f1 || true)
    if [ -n "$off" ]; then
      tail -c +$((off + 1)) "$KIMG" | xz -dc --single-stream > "$V.tmp" 2>/dev/null || true
      if [ "$(head -c4 "$V.tmp" | od -An -c | tr -d ' ')" = "177ELF" ]; then
        mv "$V.tmp" "$V"; echo "$PKGVER" > "$V.pkgver"
      fi
      rm -f "$V.tmp"
    fi
  fi
  [ -s "$V" ] && KIMG=$V
fi

# --------------------------------------------------------------------- 5. guest-side helpers
HILCTL=$CACHE/build/hilctl
if [ ! -x "$HILCTL" ] || [ "$HERE/hilctl.c" -nt "$HILCTL" ]; then
  phase "build hilctl (static)"
  gcc -std=gnu11 -O2 -Wall -Wextra -static -o "$HILCTL" "$HERE/hilctl.c"
fi

# ---------------------------------------------------------------------------- 6. initramfs
phase "build initramfs"
R=$CACHE/rootfs
rm -rf "$R"; mkdir -p "$R"/{bin,usr/bin,lib/modules,etc,proc,sys,dev,tmp,hil}
cp /bin/busybox "$R/bin/busybox"
cpmod() {
  case "$1" in *.xz) xz -dc "$1" > "$2" ;; *.zst) zstd -qdc "$1" > "$2" ;; *) cp "$1" "$2" ;; esac
}
if grep -q '^CONFIG_CONFIGFS_FS=m' "$KCFG"; then
  cpmod "$(find "$MODDIR" -name 'configfs.ko*' | head -1)" "$R/lib/modules/configfs.ko"
fi
[ -z "$GPIOSIM_KO" ] || cpmod "$GPIOSIM_KO" "$R/lib/modules/gpio-sim.ko"
bins=(/usr/bin/gpiodetect /usr/bin/gpioinfo /usr/bin/gpioget /usr/bin/gpioset /usr/bin/gpiomon
      /usr/bin/gpiofind /usr/sbin/mosquitto /usr/bin/mosquitto_pub /usr/bin/mosquitto_sub "$HILCTL")
cp "${bins[@]}" "$R/usr/bin/"
if [ -x "$DESKD_BIN" ]; then
  cp "$DESKD_BIN" "$R/usr/bin/deskd"
  strip --strip-debug "$R/usr/bin/deskd" 2>/dev/null || true
  phase "deskd: $DESKD_BIN ($(stat -c %y "$DESKD_BIN" | cut -d. -f1))"
else
  phase "deskd binary not found at $DESKD_BIN: the deskd scenarios will fail"
fi
# every shared library (and the dynamic loader) the binaries need
for lib in $(ldd "$R"/usr/bin/* 2>/dev/null | grep -o '/[^ ]*\.so[^ ]*' | sort -u); do
  mkdir -p "$R$(dirname "$lib")"; cp -L "$lib" "$R$lib"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\nmosquitto:x:100:101::/:/bin/false\n' > "$R/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\nmosquitto:x:101:\n' > "$R/etc/group"
printf '127.0.0.1 localhost\n' > "$R/etc/hosts"
echo hil > "$R/etc/hostname"
cp "$HERE"/guest/*.sh "$R/hil/"
echo "${DESKD_HIL_ONLY:-}" > "$R/hil/only"
cp "$HERE/guest/init.sh" "$R/init"
chmod 755 "$R/init" "$R"/hil/*.sh
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) > "$CACHE/initramfs.cpio.gz"

# ------------------------------------------------------------------------------- 7. boot it
# DESKD_HIL_HOST_LOAD=N: N busy loops on the host while the guest runs (a browser test or a
# build beside it), stopped by pid when qemu exits.
HOGS=()
stop_hogs() { local p; for p in "${HOGS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; HOGS=(); }
trap stop_hogs EXIT
for ((i = 0; i < ${DESKD_HIL_HOST_LOAD:-0}; i++)); do
  sh -c 'while :; do :; done' &
  HOGS+=($!)
done
[ ${#HOGS[@]} = 0 ] || phase "host load: ${#HOGS[@]} busy loops (pids ${HOGS[*]})"
LOG=$CACHE/console.log
phase "boot $KIMG under qemu (TCG); console log: $LOG"
set +e
timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m 512 \
  -nodefaults -no-user-config -display none -serial stdio -nic none -no-reboot \
  -kernel "$KIMG" -initrd "$CACHE/initramfs.cpio.gz" \
  -append "console=ttyS0 panic=-1 loglevel=4 cryptomgr.notests" </dev/null |
  tr -d '\r' | tee "$LOG"
QRC=${PIPESTATUS[0]}
stop_hogs
set -e
phase "qemu exited ($QRC)"
[ "$QRC" = 124 ] && echo "hil: the guest did not finish within ${TIMEOUT}s"
summary=$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$LOG" | tail -1 || true)
if [ -z "$summary" ]; then
  echo "hil: FAILED: the guest reported no result line"
  exit 1
fi
passed=${summary%% passed*}
failed=${summary#*, }; failed=${failed%% failed}
grep -aE '^(PASS|FAIL) ' "$LOG" | sed 's/^/hil: /' || true
grep -aE '^LATENCY ' "$LOG" | sed 's/^/hil: /' || true
phase "$summary"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
