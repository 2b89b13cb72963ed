#!/bin/busybox sh
# The guest's first userspace (busybox, in a tiny initramfs): loads the few modules the Debian
# kernel needs to reach its root file system (virtio disk, ext4), mounts /dev/vda and hands over
# to systemd as PID 1. Everything else (gpio-sim, the network) is systemd's business.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
while read -r m; do
  [ -n "$m" ] && insmod "/lib/modules/$m" 2>/dev/null
done < /modules.order
n=0
while [ ! -b /dev/vda ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
mkdir -p /newroot
mount -t ext4 -o rw /dev/vda /newroot || { echo "initramfs: cannot mount /dev/vda"; sleep 1; poweroff -f; }
umount /proc /sys
mount --move /dev /newroot/dev 2>/dev/null || umount /dev
exec switch_root /newroot /sbin/init
