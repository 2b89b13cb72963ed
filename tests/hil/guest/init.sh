#!/bin/busybox sh
# /init of the HIL guest (PID 1 inside qemu): brings up configfs, gpio-sim, tracing, loopback and
# a broker, creates the simulated desk chip, runs the scenarios of /hil/scenarios.sh and prints
# "PASS <name>" / "FAIL <name>: why" per scenario and a final "N passed, N failed".
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin
mkdir -p /proc /sys /dev /tmp /run
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null

. /hil/lib.sh
. /hil/scenarios.sh

echo "hil-guest: kernel $(uname -r), /init at uptime $(cut -d' ' -f1 /proc/uptime)s"
if setup_guest; then
  run_all_scenarios
else
  echo "FAIL setup: $REASON"
  FAILED=$((FAILED + 1))
fi
echo "hil-guest: done at uptime $(cut -d' ' -f1 /proc/uptime)s"
echo "$PASSED passed, $FAILED failed"
sync
poweroff -f
