# lib.sh - guest-side building blocks of the HIL scenarios (busybox sh, sourced by /init).
# Globals after setup_guest: CHIP (gpiochipN), SYS (sysfs dir of the simulated lines), BASE (global
# GPIO number of offset 0), OFF_<LINE> (line offsets), PORT (broker port on the guest's loopback).

PASSED=0
FAILED=0
REASON=
PORT=18830
B=deskd/hil
CFG=/tmp/deskd.toml
CS=/sys/kernel/config/gpio-sim/desk
T=/sys/kernel/tracing
DESKD_PID=
SIM_PID=
BROKER_PID=
LINES="motor-up motor-down enc-a enc-b limit-bottom limit-top handset-up handset-down"

log() { echo "hil-guest: $*"; }
why() { REASON="$*"; return 1; }
now_ms() { hilctl now; }
# ms since $1 (a now_ms value), integer
since_ms() { awk -v a="$1" -v b="$(hilctl now)" 'BEGIN { printf "%d", b - a }'; }

# ---------------------------------------------------------------------------------- setup
setup_guest() {
  [ -f /lib/modules/configfs.ko ] && insmod /lib/modules/configfs.ko
  mount -t configfs none /sys/kernel/config || why "cannot mount configfs" || return 1
  [ -f /lib/modules/gpio-sim.ko ] && { insmod /lib/modules/gpio-sim.ko || why "insmod gpio-sim.ko failed" || return 1; }
  [ -d /sys/kernel/config/gpio-sim ] || why "no gpio-sim in configfs" || return 1
  mkdir $CS $CS/bank0 || why "cannot create the gpio-sim device" || return 1
  echo 8 > $CS/bank0/num_lines
  echo deskd-hil > $CS/bank0/label
  i=0
  for n in $LINES; do
    mkdir $CS/bank0/line$i
    echo $n > $CS/bank0/line$i/name
    eval "OFF_$(echo $n | tr a-z- A-Z_)=$i"
    i=$((i + 1))
  done
  echo 1 > $CS/live || why "chip did not go live" || return 1
  CHIP=$(cat $CS/bank0/chip_name)
  SYS=/sys/devices/platform/$(cat $CS/dev_name)/$CHIP
  [ -c /dev/$CHIP ] || why "/dev/$CHIP missing" || return 1
  BASE=$(cat /sys/class/gpio/$CHIP/base 2>/dev/null)
  [ -n "$BASE" ] || BASE=$(for d in /sys/class/gpio/gpiochip*; do
      [ "$(cat $d/label 2>/dev/null)" = deskd-hil ] && cat $d/base; done | head -1)
  [ -n "$BASE" ] || BASE=$(sed -n "s/^$CHIP: GPIOs \([0-9]*\)-.*/\1/p" /sys/kernel/debug/gpio)
  [ -n "$BASE" ] || why "cannot find the chip's GPIO base number" || return 1
  log "chip $CHIP ($(cat $CS/dev_name)), sysfs $SYS, global base $BASE"

  ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nuser root\n' $PORT > /tmp/mosquitto.conf

  [ -d $T/events/gpio/gpio_value ] || why "kernel has no gpio trace events" || return 1
  echo 0 > $T/tracing_on
  echo mono > $T/trace_clock || why "trace_clock mono unsupported" || return 1
  echo 4096 > $T/buffer_size_kb
  echo 1 > $T/events/gpio/gpio_value/enable
  echo 1 > $T/events/irq/irq_handler_entry/enable
  # scheduling, to explain slow reactions (what ran between the event and the output write)
  echo 1 > $T/events/sched/sched_switch/enable
  echo 1 > $T/events/sched/sched_wakeup/enable
  echo > $T/trace
  echo 1 > $T/tracing_on
  return 0
}

# ----------------------------------------------------------------------------- scenarios
selected() {
  only=$(cat /hil/only 2>/dev/null)
  [ -z "$only" ] && return 0
  for s in $only; do [ "$s" = "$1" ] && return 0; done
  return 1
}

# deskd allows 20 motor starts a minute (issue 20): before a scenario, wait (at most 65 s) until
# fewer than 10 of its starts fall in the last minute, so that a scenario's own moves are never
# refused because of the scenarios before it (the fresh machine: "motor-up never activated").
start_budget_room() {
  [ -f /tmp/deskd.log ] || return 0
  waited=0
  while [ $waited -lt 65 ]; do
    since=$(now_ms)
    used=$(sed -n -e 's/.*outputs up at monotonic \([0-9]*\) ns.*/\1/p' \
                  -e 's/.*outputs down at monotonic \([0-9]*\) ns.*/\1/p' /tmp/deskd.log |
           awk -v now="$since" '$1 / 1000000 > now - 60000' | wc -l)
    [ "$used" -lt 10 ] && break
    sleep 1; waited=$((waited + 1))
  done
  [ $waited -eq 0 ] || log "waited ${waited} s for deskd's start budget ($used starts in the last minute)"
}

scenario() {
  selected "$1" || return 0
  REASON=
  echo > $T/trace
  case "$1" in smoke_*) ;; *) start_budget_room ;; esac
  log "--- $1 (uptime $(cut -d' ' -f1 /proc/uptime)s)"
  case "$1" in smoke_*) ;; *) [ -x /usr/bin/deskd ] || why "no deskd binary in the guest (DESKD_BIN)" ;; esac
  if [ -z "$REASON" ] && "sc_$1"; then
    echo "PASS $1"
    PASSED=$((PASSED + 1))
  else
    echo "FAIL $1: ${REASON:-no reason given}"
    FAILED=$((FAILED + 1))
    [ -f /tmp/deskd.log ] && tail -n 15 /tmp/deskd.log | sed 's/^/hil-guest: deskd: /'
    [ -f /tmp/sim.log ] && tail -n 8 /tmp/sim.log | sed 's/^/hil-guest: desk: /'
  fi
}

# ------------------------------------------------------------------------- gpio-sim lines
value() { cat $SYS/sim_gpio$1/value; }
pull() { hilctl pull $SYS $1 $2; }   # pull OFF up|down, waits for the edge when listened to
irq_of() { hilctl irq $1; }

# ------------------------------------------------------------------------------ tracing
# trace_report [--active-low]: analyses the trace since the scenario started into /tmp/trace.rep
trace_report() {
  cat $T/trace > /tmp/trace.txt
  set -- "$@" --base $BASE --up $OFF_MOTOR_UP --down $OFF_MOTOR_DOWN
  for o in $OFF_ENC_A $OFF_ENC_B $OFF_LIMIT_BOTTOM $OFF_LIMIT_TOP; do
    i=$(irq_of $o); [ "$i" -ge 0 ] && set -- "$@" --irq $i
  done
  hilctl trace /tmp/trace.txt "$@" > /tmp/trace.rep
  grep '^explain: ' /tmp/trace.rep | sed 's/^/hil-guest: slow stop: /'
}
rep() { sed -n "s/^$1=\([^ ]*\).*/\1/p" /tmp/trace.rep | head -1; }
rep_all() { sed -n "s/^$1=\([0-9-]*\).*/\1/p" /tmp/trace.rep; }
# collect_latency limit|encoder: keeps, for the summary, the time from the input interrupt to
# each output going inactive. "limit": only stops right after a limit switch's interrupt (stops
# caused by that event). "encoder": deskd stops at a predicted time between encoder edges, so
# this is the time since the last edge, not a reaction time.
collect_latency() {
  if [ "$1" = limit ]; then
    for o in $OFF_LIMIT_BOTTOM $OFF_LIMIT_TOP; do
      i=$(irq_of $o)
      sed -n "s/^stop_after_irq_us=\([0-9]*\) irq=$i\$/\1 limit/p" /tmp/trace.rep >> /tmp/latency.txt
    done
  else
    sed -n "s/^stop_after_irq_us=\([0-9]*\).*/\1 $1/p" /tmp/trace.rep >> /tmp/latency.txt
  fi
}

# ------------------------------------------------------------------------------ broker
broker_restart() {
  [ -n "$BROKER_PID" ] && { kill $BROKER_PID; wait $BROKER_PID 2>/dev/null; }
  mosquitto -c /tmp/mosquitto.conf > /tmp/mosquitto.log 2>&1 &
  BROKER_PID=$!
  n=0
  while ! mosquitto_pub -h 127.0.0.1 -p $PORT -t hil/ping -m x 2>/dev/null; do
    n=$((n + 1)); [ $n -gt 50 ] && return 1; sleep 0.1
  done
}
pub() { mosquitto_pub -h 127.0.0.1 -p $PORT -q 1 -t "$1" -m "$2"; }
set_cmd() { pub $B/set "$1"; }
# the retained state document, empty when none arrives within 3 s
state() { mosquitto_sub -h 127.0.0.1 -p $PORT -t $B/state -C 1 -W 3 2>/dev/null; }
# field NAME [JSON]: a top-level scalar of the state document
field() {
  j=${2:-$(state)}
  echo "$j" | sed -n "s/.*\"$1\": *\"\{0,1\}\([^,\"}]*\).*/\1/p" | head -1
}
# wait_field NAME VALUE SECONDS
wait_field() {
  end=$(( $(cut -d. -f1 /proc/uptime) + $3 ))
  while [ "$(cut -d. -f1 /proc/uptime)" -le $end ]; do
    [ "$(field $1)" = "$2" ] && return 0
    sleep 0.2
  done
  return 1
}

# ------------------------------------------------------------------------------- deskd
# write_config KEY=VALUE...: a deskd config for the simulated chip; overrides:
#   chip, up, down, enc_a, enc_b, limit_bottom, limit_top, handset_up, handset_down (line specs),
#   active_low (true/false)
write_config() {
  chip=$CHIP; up=motor-up; down=motor-down; enc_a=enc-a; enc_b=enc-b
  limit_bottom=limit-bottom; limit_top=limit-top; handset_up=handset-up; handset_down=handset-down
  active_low=false
  for kv in "$@"; do eval "${kv%%=*}=\"\${kv#*=}\""; done
  q() { case "$1" in [0-9]*) echo "$1" ;; *) echo "\"$1\"" ;; esac; }
  cat > $CFG <<EOF
[desk]
id = "hil"
min_height_mm = 620
max_height_mm = 760
sit_height_mm = 650
stand_height_mm = 740

[gpio]
backend = "gpiod"
chip = "$chip"
up = $(q $up)
down = $(q $down)
encoder_a = $(q $enc_a)
encoder_b = $(q $enc_b)
limit_bottom = $(q $limit_bottom)
limit_top = $(q $limit_top)
handset_up = $(q $handset_up)
handset_down = $(q $handset_down)
outputs_active_low = $active_low

[sensor]
kind = "encoder"
mm_per_count = 1.0
bottom_height_mm = 620
top_height_mm = 760

[motion]
reverse_delay_ms = 300
stall_timeout_ms = 800
# the emulated guest cannot always keep the desk model's 38 mm/s; obstruction detection is not
# what these scenarios test
obstruction_ratio = 0.2

[schedule]
enabled = false

[mqtt]
uri = "tcp://127.0.0.1:$PORT"

[web]
enabled = false

[state]
dir = "/tmp/state"
EOF
}

# deskd_start [fresh]: restarts the broker, starts deskd on $CFG, waits for "online"
deskd_start() {
  [ "$1" = fresh ] && rm -rf /tmp/state
  mkdir -p /tmp/state
  broker_restart || why "mosquitto did not start" || return 1
  deskd --config $CFG --log-level debug > /tmp/deskd.log 2>&1 &
  DESKD_PID=$!
  a=$(mosquitto_sub -h 127.0.0.1 -p $PORT -t $B/availability -C 1 -W 15 2>/dev/null)
  kill -0 $DESKD_PID 2>/dev/null || { wait $DESKD_PID; why "deskd exited ($?) at start"; return 1; }
  [ "$a" = online ] || why "deskd not online within 15 s (availability '$a')" || return 1
}
# deskd_stop [SIGNAL]: stops deskd (TERM by default), sets DESKD_RC
deskd_stop() {
  DESKD_RC=
  [ -n "$DESKD_PID" ] || return 0
  kill -${1:-TERM} $DESKD_PID 2>/dev/null
  n=0
  while kill -0 $DESKD_PID 2>/dev/null && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
  if kill -0 $DESKD_PID 2>/dev/null; then
    kill -KILL $DESKD_PID; wait $DESKD_PID 2>/dev/null; DESKD_RC=killed
  else
    wait $DESKD_PID; DESKD_RC=$?
  fi
  DESKD_PID=
}

# --------------------------------------------------------------------------- desk model
# sim_start [hilctl desk options]: the simulated desk, continuing at the last position
sim_start() {
  pos=$(sed -n 's/^pos=//p' /tmp/desk.status 2>/dev/null)
  rm -f /tmp/desk.status
  hilctl desk --sys $SYS --up $OFF_MOTOR_UP --down $OFF_MOTOR_DOWN --enc-a $OFF_ENC_A \
    --enc-b $OFF_ENC_B --limit-bottom $OFF_LIMIT_BOTTOM --limit-top $OFF_LIMIT_TOP \
    --handset-up $OFF_HANDSET_UP --handset-down $OFF_HANDSET_DOWN --bottom 620 --top 760 \
    --pos ${SIM_POS:-${pos:-640}} --status /tmp/desk.status "$@" > /tmp/sim.log 2>&1 &
  SIM_PID=$!
  SIM_POS=
  n=0
  while [ ! -f /tmp/desk.status ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
}
sim_stop() {
  [ -n "$SIM_PID" ] || return 0
  kill $SIM_PID 2>/dev/null; wait $SIM_PID 2>/dev/null; SIM_PID=
}
sim() { sed -n "s/^$1=//p" /tmp/desk.status; }
# wait_sim KEY VALUE SECONDS
wait_sim() {
  n=0; lim=$(($3 * 20))
  while [ $n -lt $lim ]; do
    [ "$(sim $1)" = "$2" ] && return 0
    sleep 0.05; n=$((n + 1))
  done
  return 1
}
# calibrate: drives to the bottom limit; the position is then known (620)
calibrate() {
  # A fault left latched by an earlier scenario must not cascade into this one.
  if [ "$(field fault)" != none ]; then
    set_cmd '{"action":"clear_fault"}'
    wait_field fault none 5 || true
  fi
  # On the bottom switch already (a desk model restarted at the bottom after a stall, say)
  # deskd calibrates without driving; `calibrate drive` insists on the drive down.
  at_bottom=$(sim limit_bottom)
  set_cmd '{"action":"calibrate"}'
  if [ "$at_bottom" = 1 ] && [ "$1" != drive ]; then
    wait_field calibrated true 5 || why "calibrate on the bottom switch: state never says calibrated (state: $(state))" || return 1
    [ "$(sim down)" = 0 ] || why "calibrate on the bottom switch drove motor-down" || return 1
    return 0
  fi
  wait_sim down 1 5 || why "calibrate: motor-down never became active (bottom switch $at_bottom)" || return 1
  wait_sim down 0 30 || why "calibrate: motor-down still active after 30 s" || return 1
  wait_field calibrated true 5 || why "calibrate: state never says calibrated (state: $(state))" || return 1
}
# move_to_within_budget MM SECONDS: move_to, but a move refused by deskd's start budget (20 starts
# a minute: the scenarios before may have used it) is asked for again once it has room
move_to_within_budget() {
  tries=0
  while :; do
    n0=$(grep -c 'start budget used up' /tmp/deskd.log)
    move_to "$@" || return 1
    [ "$(grep -c 'start budget used up' /tmp/deskd.log)" = "$n0" ] && return 0
    tries=$((tries + 1))
    [ $tries -lt 4 ] || why "move to $1: refused by the start budget $tries times" || return 1
    wait_s=$(grep 'start budget used up' /tmp/deskd.log | tail -n 1 | sed -n 's/.*try again in \([0-9]*\) s.*/\1/p')
    sleep $(( ${wait_s:-5} + 1 ))
  done
}
# move_to MM SECONDS: commands a move and waits until the motor is off and the desk settled:
# deskd logged the move's end (a stop served late is followed by one correcting step; at most
# 10 s more) and the motor is off again
move_to() {
  mf=$(grep -c 'move finished at' /tmp/deskd.log)
  set_cmd "{\"height_mm\":$1}"
  wait_sim up 1 3 || wait_sim down 1 1 || true
  n=0; lim=$(($2 * 10))
  while [ $n -lt $lim ]; do
    [ "$(sim up)$(sim down)" = 00 ] && break
    sleep 0.1; n=$((n + 1))
  done
  [ "$(sim up)$(sim down)" = 00 ] || why "move to $1: motor still running after $2 s" || return 1
  n=0; while [ "$(grep -c 'move finished at' /tmp/deskd.log)" = "$mf" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
  n=0; while [ "$(sim up)$(sim down)" != 00 ] && [ $n -lt $lim ]; do sleep 0.1; n=$((n + 1)); done
  sleep 0.7   # the desk coasts, deskd settles (400 ms) and publishes the final height
}
cleanup() {
  deskd_stop
  sim_stop
  for o in $OFF_MOTOR_UP $OFF_MOTOR_DOWN; do echo pull-down > $SYS/sim_gpio$o/pull; done
  echo > $T/trace   # what the stopped processes wrote is not the next check's business
}
