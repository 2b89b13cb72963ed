# kernel.sh - sourced by run.sh: the Debian kernel and gpio-sim.ko, prepared exactly as the HIL
# harness does it (tests/hil/run.sh, /work/shared/HIL.md) and in the same cache, so either test
# warms it for the other. Sets KVER, PKGVER, KROOT, KIMG, GPIOSIM_KO, MODDIR.

# the Debian kernel's modules the guest needs: root on a virtio disk (ext4), the host-only link,
# entropy, configfs for gpio-sim
GUEST_MODULES="virtio_pci virtio_blk ext4 crc32c_generic virtio_net virtio_console virtio_rng configfs"
INITRD_MODULES="virtio_pci virtio_blk ext4"

prepare_kernel() {
  local arch=$1
  if [ "$arch" != amd64 ]; then
    # The arm64 kernel is Debian's too, but gpio-sim.ko must then be cross-built against the
    # arm64 headers, whose kbuild tools are arm64 binaries: not done yet.
    skip "the $arch machine is not built yet (no cross-built gpio-sim.ko); amd64 is: tests/system/run.sh"
  fi
  local C=$HIL_CACHE
  KVER=${KVER:-$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: linux-image-//p' | head -1)}
  [ -n "$KVER" ] || skip "cannot determine the kernel ABI: apt-cache knows no linux-image-amd64"
  PKGVER=$(apt-cache policy "linux-image-$KVER" 2>/dev/null | awk '/Candidate:/{print $2}')
  [ -n "$PKGVER" ] && [ "$PKGVER" != "(none)" ] || skip "no candidate version for linux-image-$KVER"
  # Our own copy of what the guest boots, taken once per kernel version: a warm run neither waits
  # for a HIL run's lock nor minds the HIL harness replacing its cache meanwhile.
  local K=$CACHE/kernel-$ARCH
  if [ "$(cat "$K/.ready" 2>/dev/null)" = "$KVER $PKGVER" ] && [ -x "$K/hilctl" ] &&
     [ ! "$REPO/tests/hil/hilctl.c" -nt "$K/hilctl" ]; then
    KROOT=$K/kroot; MODDIR=$KROOT/lib/modules/$KVER; KIMG=$K/vmlinux; HILCTL=$K/hilctl
    GPIOSIM_KO=$(cat "$K/gpiosim"); [ -z "$GPIOSIM_KO" ] || GPIOSIM_KO=$K/gpio-sim.ko
    return 0
  fi
  mkdir -p "$C"/{debs,mod,build}
  exec 9>"$C/.lock"
  flock -w 900 9 || die "another HIL run holds $C/.lock"
  local SERIES=${KVER%%.0-*}
  if [ "$(dpkg-query -W -f='${Version} ${Status}' "linux-headers-$KVER" 2>/dev/null)" != "$PKGVER install ok installed" ]; then
    phase "apt-get install linux-headers-$KVER=$PKGVER"
    "${APT[@]}" install -y -qq --no-install-recommends "linux-headers-$KVER=$PKGVER" >/dev/null ||
      skip "cannot install linux-headers-$KVER"
  fi
  local IMG_DEB=linux-image-${KVER}_${PKGVER}_amd64.deb SRC_DEB=linux-source-${SERIES}_${PKGVER}_all.deb want spec file got
  for want in "linux-image-$KVER=$PKGVER:$IMG_DEB" "linux-source-$SERIES=$PKGVER:$SRC_DEB"; do
    spec=${want%%:*}; file=${want#*:}
    if [ ! -f "$C/debs/$file" ]; then
      phase "download $spec"
      (cd "$C/debs" && "${APT[@]}" download -qq "$spec" >/dev/null 2>&1) || skip "cannot download $spec"
      got=$(cd "$C/debs" && ls -t "${spec%%=*}"_*.deb 2>/dev/null | head -1)
      [ -n "$got" ] || skip "download of $spec produced no file"
      [ "$got" = "$file" ] || mv "$C/debs/$got" "$C/debs/$file"
    fi
  done
  KROOT=$C/kroot-$KVER
  if [ "$(cat "$KROOT/.pkgver" 2>/dev/null)" != "$PKGVER" ]; then
    phase "unpack $IMG_DEB"
    rm -rf "$C"/kroot-*; mkdir -p "$KROOT"
    dpkg-deb -x "$C/debs/$IMG_DEB" "$KROOT"
    echo "$PKGVER" > "$KROOT/.pkgver"
  fi
  KCFG=$KROOT/boot/config-$KVER
  MODDIR=$KROOT/lib/modules/$KVER
  [ -f "$MODDIR/modules.dep" ] || depmod -b "$KROOT" "$KVER" || die "depmod failed"
  GPIOSIM_KO=
  if grep -q '^CONFIG_GPIO_SIM=m' "$KCFG"; then
    GPIOSIM_KO=$(find "$MODDIR" -name 'gpio-sim.ko*' | head -1)
  elif ! grep -q '^CONFIG_GPIO_SIM=y' "$KCFG"; then
    GPIOSIM_KO=$C/mod/gpio-sim.ko
    if [ "$(cat "$C/mod/.built-for" 2>/dev/null)" != "$KVER $PKGVER" ]; then
      phase "build gpio-sim.ko out of tree (CONFIG_GPIO_SIM is not set in $KVER)"
      local S=$C/src-$SERIES
      rm -rf "$S" "$C/mod"; mkdir -p "$S" "$C/mod"
      dpkg-deb --fsys-tarfile "$C/debs/$SRC_DEB" | tar -xO "./usr/src/linux-source-$SERIES.tar.xz" |
        tar -xJ -C "$S" --strip-components=1 "linux-source-$SERIES/drivers/gpio/gpio-sim.c" \
          "linux-source-$SERIES/drivers/gpio/gpiolib.h" "linux-source-$SERIES/kernel/irq/irq_sim.c"
      cp "$S/drivers/gpio/gpio-sim.c" "$C/mod/gpio-sim-core.c"
      cp "$S/drivers/gpio/gpiolib.h" "$C/mod/gpiolib.h"
      sed 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' \
        "$S/kernel/irq/irq_sim.c" > "$C/mod/irq_sim.c"
      grep -q 'generic_handle_irq(irqnum);' "$C/mod/irq_sim.c" || die "irq_sim.c change did not apply"
      printf 'obj-m := gpio-sim.o\ngpio-sim-y := gpio-sim-core.o irq_sim.o\n' > "$C/mod/Kbuild"
      nice -n 10 make -s -C "/usr/src/linux-headers-$KVER" M="$C/mod" modules >"$C/mod/build.log" 2>&1 ||
        { cat "$C/mod/build.log"; die "gpio-sim.ko did not build"; }
      strip --strip-debug "$GPIOSIM_KO"
      rm -rf "$S"
      echo "$KVER $PKGVER" > "$C/mod/.built-for"
    fi
  fi
  KIMG=$KROOT/boot/vmlinuz-$KVER
  if grep -q '^CONFIG_PVH=y' "$KCFG"; then
    local V=$C/vmlinux-$KVER off
    if [ "$(cat "$V.pkgver" 2>/dev/null)" != "$PKGVER" ]; then
      phase "extract vmlinux"
      rm -f "$C"/vmlinux-*
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
  HILCTL=$C/build/hilctl
  if [ ! -x "$HILCTL" ] || [ "$REPO/tests/hil/hilctl.c" -nt "$HILCTL" ]; then
    phase "build hilctl (static)"
    gcc -std=gnu11 -O2 -Wall -Wextra -static -o "$HILCTL" "$REPO/tests/hil/hilctl.c" || die "hilctl did not build"
  fi
  # our own copies (the kernel, the modules the image takes, gpio-sim.ko, hilctl)
  phase "copy the kernel and gpio-sim into $K"
  rm -rf "$K"; mkdir -p "$K/kroot/lib/modules"
  cp "$KIMG" "$K/vmlinux"
  # only the modules the guest takes (image.sh), with their dependencies, and the index files
  local m f
  mkdir -p "$K/kroot/lib/modules/$KVER"
  cp "$MODDIR"/modules.* "$K/kroot/lib/modules/$KVER/"
  for f in $(for m in $GUEST_MODULES; do modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" 2>/dev/null; done |
             sed -n 's/^insmod \([^ ]*\).*/\1/p' | sort -u); do
    mkdir -p "$K/kroot$(dirname "${f#$KROOT}")"; cp "$f" "$K/kroot${f#$KROOT}"
  done
  cp "$HILCTL" "$K/hilctl"
  if [ -n "$GPIOSIM_KO" ]; then cp "$GPIOSIM_KO" "$K/gpio-sim.ko"; echo yes > "$K/gpiosim"; else : > "$K/gpiosim"; fi
  flock -u 9
  echo "$KVER $PKGVER" > "$K/.ready"
  KROOT=$K/kroot; MODDIR=$KROOT/lib/modules/$KVER; KIMG=$K/vmlinux; HILCTL=$K/hilctl
  [ -z "$GPIOSIM_KO" ] || GPIOSIM_KO=$K/gpio-sim.ko
  return 0
}
