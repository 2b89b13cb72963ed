# image.sh - sourced by run.sh: the guest's Debian 12 root file system and its initramfs.
# Stage A (slow, cached by package list): mmdebstrap from this machine's apt sources.
# Stage B (seconds, cached by the guest files' hash): kernel modules, gpio-sim, hilctl, the
# test's units, ssh key, network config; an ext4 image made with mkfs.ext4 -d (no loop mounts).
# Sets IMAGE, INITRD, SSH_KEY.

GUEST_PKGS=(systemd systemd-sysv udev dbus systemd-timesyncd kmod iproute2 procps
            openssh-server mosquitto mosquitto-clients bluez gpiod curl)

sha() { sha256sum | cut -c1-16; }

prepare_image() {
  local pkgs keyA keyB base p need=""
  # The base is reused while it holds every package wanted (the guest list and the .deb's
  # Depends); a new dependency makes a new base with the union.
  base=$CACHE/base-$ARCH.tar
  for p in "${GUEST_PKGS[@]}" $DEPS; do
    grep -qx "$p" "$base.pkgs" 2>/dev/null || need="$need $p"
  done
  if [ ! -s "$base" ] || [ -n "$need" ]; then
    pkgs=$( { printf '%s\n' "${GUEST_PKGS[@]}" $DEPS; cat "$base.want" 2>/dev/null; } | sort -u | tr '\n' ',' | sed 's/,$//')
    phase "mmdebstrap $SUITE $ARCH (once; cached in $CACHE), missing:$need"
    local sources
    sources=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null)
    [ -n "$sources" ] || skip "no apt sources on this machine"
    printf '%s\n' "$sources" | nice -n 10 mmdebstrap --variant=minbase --architectures="$ARCH" \
      --include="$pkgs" --skip=check/empty "$SUITE" "$CACHE/partial.tar" - \
      >"$CACHE/mmdebstrap-$ARCH.log" 2>&1 ||
      { tail -n 30 "$CACHE/mmdebstrap-$ARCH.log"; rm -f "$CACHE/partial.tar"; skip "mmdebstrap failed (see $CACHE/mmdebstrap-$ARCH.log)"; }
    mv "$CACHE/partial.tar" "$base"
    echo "$pkgs" | tr ',' '\n' > "$base.want"
    tar -xOf "$base" ./var/lib/dpkg/status | sed -n 's/^Package: //p' | sort -u > "$base.pkgs"
  fi
  keyA=$(cat "$base.pkgs" | sha)

  mkdir -p "$CACHE/ssh"
  SSH_KEY=$CACHE/ssh/id_ed25519
  [ -f "$SSH_KEY" ] || ssh-keygen -q -t ed25519 -N '' -C deskd-system-test -f "$SSH_KEY"
  keyB=$( { echo "$keyA $KVER $PKGVER"; cat "$HERE"/guest/* "$HERE/image.sh" "$HILCTL" "$SSH_KEY.pub";
            [ -z "$GPIOSIM_KO" ] || cat "$GPIOSIM_KO"; } | sha)
  IMAGE=$CACHE/image-$ARCH-$keyB.raw
  INITRD=$CACHE/initrd-$ARCH-$keyB.cpio.gz
  [ -s "$IMAGE" ] && [ -s "$INITRD" ] && return 0
  phase "customise the root file system and make the ext4 image"
  rm -f "$CACHE"/image-"$ARCH"-*.raw "$CACHE"/initrd-"$ARCH"-*.cpio.gz
  local R=$CACHE/root-$ARCH
  rm -rf "$R"; mkdir -p "$R"
  tar -C "$R" -xf "$base" || die "cannot unpack $base"

  echo deskpi > "$R/etc/hostname"
  printf '127.0.0.1\tlocalhost\n127.0.1.1\tdeskpi\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$R/etc/hosts"
  printf '/dev/vda / ext4 rw,relatime 0 0\n' > "$R/etc/fstab"
  # a fixed machine id: not a first boot at every run
  head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$R/etc/machine-id"; echo >> "$R/etc/machine-id"
  # the host-only link: qemu user mode (restrict=on) on 10.0.2.0/24; nothing is reachable but the
  # host's forwarded ports
  mkdir -p "$R/etc/systemd/network"
  printf '[Match]\nName=eth0 en*\n\n[Network]\nAddress=10.0.2.15/24\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n' \
    > "$R/etc/systemd/network/10-hostonly.network"
  mkdir -p "$R/root/.ssh"; chmod 700 "$R/root/.ssh"
  cp "$SSH_KEY.pub" "$R/root/.ssh/authorized_keys"; chmod 600 "$R/root/.ssh/authorized_keys"
  mkdir -p "$R/etc/ssh/sshd_config.d"
  printf 'UseDNS no\nPermitRootLogin prohibit-password\n' > "$R/etc/ssh/sshd_config.d/systest.conf"

  # kernel modules: what the guest needs of the Debian kernel, and gpio-sim
  local mods m f
  mods=$(for m in $GUEST_MODULES; do
           modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" 2>/dev/null; done |
         sed -n 's/^insmod \([^ ]*\).*/\1/p' | awk '!seen[$0]++')
  for f in $mods; do
    mkdir -p "$R$(dirname "${f#$KROOT}")"
    cp "$f" "$R${f#$KROOT}"
  done
  cp "$MODDIR"/modules.{order,builtin,builtin.modinfo} "$R/lib/modules/$KVER/" 2>/dev/null || true
  if [ -n "$GPIOSIM_KO" ]; then
    mkdir -p "$R/lib/modules/$KVER/extra"; cp "$GPIOSIM_KO" "$R/lib/modules/$KVER/extra/"
  fi
  depmod -b "$R" "$KVER" || die "depmod in the image failed"

  # the test's guest side: gpio-sim set-up unit, the simulated desk
  install -D -m 755 "$HILCTL" "$R/usr/local/bin/hilctl"
  install -D -m 755 "$HERE/guest/deskd-gpio-sim.sh" "$R/usr/local/lib/deskd-sim/deskd-gpio-sim.sh"
  install -m 644 "$HERE/guest/deskd-gpio-sim.service" "$HERE/guest/hil-desk.service" "$R/etc/systemd/system/"
  systemctl --root="$R" enable systemd-networkd.service deskd-gpio-sim.service hil-desk.service \
    ssh.service mosquitto.service systemd-timesyncd.service >/dev/null 2>&1 || die "systemctl enable in the image failed"
  # what a Pi does not need at every boot of a test
  systemctl --root="$R" mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
    e2scrub_reap.service fstrim.timer getty@tty1.service serial-getty@ttyS0.service \
    serial-getty@ttyAMA0.service systemd-networkd-wait-online.service >/dev/null 2>&1 || true
  # journald: keep the journal across the power cut (step 5 reads the previous boot's)
  mkdir -p "$R/var/log/journal"

  nice -n 10 mkfs.ext4 -q -F -L deskd-root -d "$R" "$CACHE/image.partial" 2G >"$CACHE/mkfs.log" 2>&1 ||
    { cat "$CACHE/mkfs.log"; die "mkfs.ext4 -d failed"; }
  mv "$CACHE/image.partial" "$IMAGE"

  # the initramfs: busybox, the modules to reach /dev/vda, /init
  local I=$CACHE/initrd-$ARCH
  rm -rf "$I"; mkdir -p "$I"/{bin,dev,proc,sys,newroot,lib/modules}
  cp /bin/busybox "$I/bin/busybox"
  : > "$I/modules.order"
  for f in $(for m in $INITRD_MODULES; do
               modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" 2>/dev/null; done |
             sed -n 's/^insmod \([^ ]*\).*/\1/p' | awk '!seen[$0]++'); do
    cp "$f" "$I/lib/modules/"; basename "$f" >> "$I/modules.order"
  done
  install -m 755 "$HERE/guest/initramfs-init.sh" "$I/init"
  (cd "$I" && find . | cpio -o -H newc --quiet | gzip -1) > "$INITRD"
  rm -rf "$R" "$I"
}
