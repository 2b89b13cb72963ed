#!/bin/sh
# deskd-gpio-sim.sh - run by deskd-gpio-sim.service (a oneshot ordered before deskd.service):
# creates the simulated GPIO chip of a real desk's wiring with the kernel's gpio-sim driver, the
# way tests/hil does it, and starts the kernel's gpio_value trace the test judges the outputs by.
# Writes /run/deskd-sim/env (CHIP, SYS, BASE, OFF_<LINE>) for hil-desk.service and the test.
set -eu
CS=/sys/kernel/config/gpio-sim/desk
T=/sys/kernel/tracing
LINES="motor-up motor-down enc-a enc-b limit-bottom limit-top handset-up handset-down"
mkdir -p /run/deskd-sim
modprobe configfs 2>/dev/null || true
mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
modprobe gpio-sim
if [ ! -d $CS ]; then
  mkdir $CS $CS/bank0
  echo 8 > $CS/bank0/num_lines
  echo deskd-sim > $CS/bank0/label
  i=0
  for n in $LINES; do
    mkdir $CS/bank0/line$i
    echo $n > $CS/bank0/line$i/name
    i=$((i + 1))
  done
  echo 1 > $CS/live
fi
CHIP=$(cat $CS/bank0/chip_name)
SYS=/sys/devices/platform/$(cat $CS/dev_name)/$CHIP
BASE=$(cat /sys/class/gpio/$CHIP/base 2>/dev/null || true)
[ -n "$BASE" ] || BASE=$(for d in /sys/class/gpio/gpiochip*; do
  [ "$(cat $d/label 2>/dev/null)" = deskd-sim ] && cat $d/base; done | head -1)
{
  echo "CHIP=$CHIP"
  echo "SYS=$SYS"
  echo "BASE=$BASE"
  i=0
  for n in $LINES; do echo "OFF_$(echo $n | tr a-z- A-Z_)=$i"; i=$((i + 1)); done
} > /run/deskd-sim/env.tmp
mv /run/deskd-sim/env.tmp /run/deskd-sim/env
# wait (bounded) until udev has created the device node
n=0
while [ ! -c /dev/$CHIP ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
udevadm settle -t 10 || true

# the kernel's record of every output write (and the signals deskd gets), monotonic clock
mountpoint -q $T || mount -t tracefs nodev $T
echo 0 > $T/tracing_on
echo mono > $T/trace_clock
echo 4096 > $T/buffer_size_kb
echo 1 > $T/events/gpio/gpio_value/enable
echo 1 > $T/events/signal/signal_generate/enable
echo > $T/trace
echo 1 > $T/tracing_on
echo "deskd-gpio-sim: $CHIP at $SYS, base $BASE"
