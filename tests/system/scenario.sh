# scenario.sh - sourced by run.sh: the issue's scenario, as a user would do it, on one boot (plus
# the boot after the power cut). Every check prints "PASS <step>.<name>" or
# "FAIL <step>.<name>: why". Outputs are judged from the kernel's gpio_value trace (ftrace,
# trace_clock mono), started by deskd-gpio-sim.service: a released gpio-sim line falls back to its
# pull, so sysfs after a process is gone proves nothing.

PASSED=0
FAILED=0
REASON=
ID=sys
B=deskd/$ID
DESK_PW=desk-$RANDOM$RANDOM
DASH_PW=dash-$RANDOM$RANDOM
HOST_AUTH=()     # the owner's dashboard login, once the broker has logins
GUEST_AUTH=""    # deskd's login for mosquitto_sub in the guest, once the broker has logins
BGPIDS=()

why() { REASON="$*"; return 1; }
check() {
  local name=$1; shift
  REASON=
  local t=$(date +%s%N)
  if "$@"; then
    echo "PASS $name ($(( ($(date +%s%N) - t) / 1000000 )) ms)"; PASSED=$((PASSED + 1))
  else
    echo "FAIL $name: ${REASON:-no reason given}"; FAILED=$((FAILED + 1))
    g "journalctl -u deskd -b --no-pager -n 12 -o short-monotonic" 2>/dev/null | sed 's/^/system:   journal: /'
  fi
}

# ------------------------------------------------------------------------- guest helpers
# field NAME JSON: a top-level scalar of a JSON document
field() { echo "$2" | sed -n "s/.*\"$1\": *\"\{0,1\}\([^,\"}]*\).*/\1/p" | head -1; }
# state: deskd's retained state document, read in the guest (empty if none within 5 s)
state() { g "mosquitto_sub -h localhost $GUEST_AUTH -t $B/state -C 1 -W 5" 2>/dev/null; }
# fresh_state: the state document deskd publishes now (B/get), never a retained copy the broker
# kept (mosquitto persists retained messages across its restarts)
fresh_state() {
  g "mosquitto_sub -h localhost $GUEST_AUTH -R -t $B/state -C 1 -W 10 & sleep 1; mosquitto_pub -h localhost $GUEST_AUTH -q 1 -t $B/get -m '{}'; wait" 2>/dev/null
}
# pub_guest TOPIC PAYLOAD: a command from the guest's own loopback (deskd's login once there is one)
pub_guest() { g "mosquitto_pub -h localhost $GUEST_AUTH -q 1 -t '$1' -m '$2'"; }
# pub_host TOPIC PAYLOAD: a command from the host, through the host-only link, as the owner
pub_host() { mosquitto_pub -h 127.0.0.1 -p "$MQTT_PORT" "${HOST_AUTH[@]}" -q 1 -t "$1" -m "$2"; }
# wait_state NAME VALUE SECONDS
wait_state() {
  local end=$(( $(date +%s) + $3 ))
  while [ "$(date +%s)" -le $end ]; do
    [ "$(field "$1" "$(state)")" = "$2" ] && return 0
    sleep 0.5
  done
  return 1
}
# the simulated desk's status (hilctl desk): pos, up, down, limit_bottom, limit_top, violations
sim() { g "sed -n 's/^$1=//p' /run/deskd-sim/desk.status"; }
# wait_sim KEY VALUE SECONDS (polled in the guest, 50 ms)
wait_sim() {
  g "n=0; while [ \$n -lt $(($3 * 20)) ]; do grep -qx '$1=$2' /run/deskd-sim/desk.status && exit 0; sleep 0.05; n=\$((n + 1)); done; exit 1"
}
mainpid() { g "systemctl show -p MainPID --value deskd"; }
trace_clear() { g 'echo > /sys/kernel/tracing/trace'; }
# trace_get FILE: the kernel's record since the last clear, as lines
#   G <t_us> <pid> <comm> <gpio> <value>     (gpio_value set)
#   S <t_us> <sig> <target pid> <target comm> (signal_generate)
trace_get() {
  g 'cat /sys/kernel/tracing/trace' | perl -ne '
    if (/^\s*(.+?)-(\d+)\s+(?:\(.*?\)\s+)?\[\d+\]\s+\S+\s+(\d+)\.(\d+): gpio_value: (\d+) set (\d)/) {
      print "G ", $3 * 1000000 + $4, " $2 $1 $5 $6\n";
    } elsif (/\s(\d+)\.(\d+): signal_generate: sig=(\d+) .*comm=(\S+) pid=(\d+)/) {
      print "S ", $1 * 1000000 + $2, " $3 $5 $4\n";
    }' > "$1"
}
up_gpio() { echo $((BASE + OFF_MOTOR_UP)); }
down_gpio() { echo $((BASE + OFF_MOTOR_DOWN)); }
# activations FILE GPIO: how often the line was set active
activations() { awk -v g="$2" '$1 == "G" && $5 == g && $6 == 1 { n++ } END { print n + 0 }' "$1"; }
# last_level FILE GPIO: the last level written ("" if none)
last_level() { awk -v g="$2" '$1 == "G" && $5 == g { v = $6 } END { print v }' "$1"; }
# signal_at FILE SIG PID: when SIG was sent to PID (us, "" if never)
signal_at() { awk -v s="$2" -v p="$3" '$1 == "S" && $3 == s && $4 == p { print $2; exit }' "$1"; }
# off_after FILE GPIO T_US [NOT_PID]: "t_us pid" of the first write of 0 at or after T_US
off_after() {
  awk -v g="$2" -v t="$3" -v np="${4:-}" '$1 == "G" && $5 == g && $6 == 0 && $2 >= t && $3 != np { print $2, $3; exit }' "$1"
}

write_config() {
  g "cat > /etc/deskd/deskd.toml" <<EOF
# deskd on the system test's gpio-sim chip: the wiring of a real desk (relays on the handset's
# UP/DOWN contacts, a quadrature hall encoder, two limit switches, taps on the handset buttons).
[desk]
id = "$ID"
name = "${1:-System test desk}"
min_height_mm = 620
max_height_mm = 760
sit_height_mm = 650
stand_height_mm = 740

[gpio]
backend = "gpiod"
chip = "$CHIP"
up = "motor-up"
down = "motor-down"
encoder_a = "enc-a"
encoder_b = "enc-b"
limit_bottom = "limit-bottom"
limit_top = "limit-top"
handset_up = "handset-up"
handset_down = "handset-down"

[sensor]
kind = "encoder"
mm_per_count = 1.0
bottom_height_mm = 620
top_height_mm = 760

[motion]
reverse_delay_ms = 300
stall_timeout_ms = 800
# the emulated guest cannot always keep the desk model's 38 mm/s (as in tests/hil)
obstruction_ratio = 0.2

[schedule]
enabled = true
mode = "remind"
mon = ["00:00-23:59"]
tue = ["00:00-23:59"]
wed = ["00:00-23:59"]
thu = ["00:00-23:59"]
fri = ["00:00-23:59"]
sat = ["00:00-23:59"]
sun = ["00:00-23:59"]
$MQTT_SECTION
EOF
}
MQTT_SECTION=""

# calibrate: drives to the bottom limit switch (620 mm); the position is then known
calibrate() {
  pub_host "$B/set" '{"action":"calibrate"}' || pub_guest "$B/set" '{"action":"calibrate"}' || true
  wait_sim down 1 10 || why "calibrate: motor-down never became active" || return 1
  wait_sim down 0 30 || why "calibrate: motor-down still active after 30 s" || return 1
  wait_state calibrated true 10 || why "calibrate: state never says calibrated" || return 1
}

# deskd.service allows 5 starts a minute (StartLimitBurst=5): the test starts it more often than
# that (restart, kill -9, the clock control), so its own (re)starts reset the counter first, as
# "systemctl reset-failed deskd" does for a user who hit 'start-limit-hit'.

# ================================================================== 1. install, configure, start
s1_install() {
  gput "$DEB" /root/ || why "cannot copy the package into the guest" || return 1
  g "apt-get install -y ./$(basename "$DEB")" > "$RUN/apt-install.log" 2>&1 ||
    { tail -n 20 "$RUN/apt-install.log"; why "apt install ./$(basename "$DEB") failed"; return 1; }
  g 'udevadm settle -t 10; n=0; while [ "$(stat -c %G /dev/'"$CHIP"')" != gpio ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done'
  g 'id deskd' | grep -q '(gpio)' || why "deskd is not in group gpio: $(g 'id deskd')" || return 1
  [ "$(g 'systemctl is-enabled deskd')" = enabled ] || why "the service is not enabled" || return 1
  [ "$(g 'systemctl is-active deskd')" != active ] || why "a first install started the service before the wiring is set" || return 1
  g "stat -c '%G %a' /dev/$CHIP" | grep -q '^gpio 660$' ||
    why "/dev/$CHIP is '$(g "stat -c '%U:%G %a' /dev/$CHIP")', want group gpio 0660 (udev rule)" || return 1
}
s1_configure() {
  write_config || why "cannot write /etc/deskd/deskd.toml" || return 1
  g 'runuser -u deskd -- deskd --check-config --config /etc/deskd/deskd.toml' > "$RUN/check-config.log" 2>&1 ||
    why "deskd --check-config as user deskd: $(tail -n 3 "$RUN/check-config.log")" || return 1
}
s1_start() {
  trace_clear
  g 'systemctl start deskd' || why "systemctl start deskd failed: $(g 'systemctl status deskd --no-pager -n 20' 2>&1 | tail -n 15)" || return 1
  [ "$(g 'systemctl is-active deskd')" = active ] || why "deskd is not active" || return 1
  g "ls -l /proc/$(mainpid)/fd" | grep -q "/dev/$CHIP" || why "deskd does not hold /dev/$CHIP open" || return 1
}
# Type=notify: "active" means READY=1 arrived; STATUS= is deskd's own text
s1_ready() {
  local st
  st=$(g 'systemctl show -p Type,StatusText,NotifyAccess deskd | tr "\n" " "')
  case "$st" in *Type=notify*StatusText=?*) ;; *) why "no READY/STATUS seen: $st"; return 1 ;; esac
  wait_state calibrated false 15 || why "no state on MQTT after start (a fresh encoder start is uncalibrated)" || return 1
}
s1_watchdog() {
  local w a b
  w=$(g 'systemctl show -p WatchdogUSec --value deskd')
  [ "$w" = 10s ] || why "WatchdogUSec is '$w', want 10s" || return 1
  a=$(g 'systemctl show -p WatchdogTimestampMonotonic --value deskd')
  sleep 7
  b=$(g 'systemctl show -p WatchdogTimestampMonotonic --value deskd')
  [ -n "$a" ] && [ "$b" -gt "$a" ] 2>/dev/null || why "the watchdog timestamp did not move in 7 s ($a -> $b)" || return 1
}
s1_journal() {
  local pid j
  pid=$(mainpid)
  j=$(g "journalctl -b _SYSTEMD_UNIT=deskd.service _PID=$pid -o json --output-fields=PRIORITY,MESSAGE --no-pager")
  echo "$j" > "$RUN/journal-start.json"
  local info err raw
  info=$(echo "$j" | grep -c '"PRIORITY":"6"')
  err=$(echo "$j" | grep -cE '"PRIORITY":"[0-3]"')
  raw=$(echo "$j" | grep -cE '"MESSAGE":"<[0-7]>')
  [ "$info" -ge 1 ] || why "no start-up line at priority info (6)" || return 1
  [ "$err" = 0 ] || why "$err start-up lines at priority err or worse: $(echo "$j" | grep -E '"PRIORITY":"[0-3]"' | head -3)" || return 1
  [ "$raw" = 0 ] || why "lines carry a raw <N> prefix: journald did not parse the priority" || return 1
  echo "$j" | sed -n 's/.*"PRIORITY":"\([0-7]\)".*"MESSAGE":"\(.\{0,100\}\).*/system:   journal <\1> \2/p; s/.*"MESSAGE":"\(.\{0,100\}\)".*"PRIORITY":"\([0-7]\)".*/system:   journal <\2> \1/p' | head -8
}

# =========================================================== 3. the default install's security
# Debian's stock mosquitto: anonymous, localhost only. The host is "a second address" (10.0.2.2).
ws_upgrade() {  # ws_upgrade CURL_TARGET HOSTHDR: the HTTP status of a WebSocket upgrade to /mqtt
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Host: $2" -H "Origin: http://$2" \
    -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
    -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' -H 'Sec-WebSocket-Protocol: mqtt' "$1/mqtt"
}
s3_default_broker_local_only() {
  ! mosquitto_pub -h 127.0.0.1 -p "$MQTT_PORT" -q 1 -t "$B/set" -m '{"height_mm":700}' 2>/dev/null ||
    why "the host published a move to the default broker without a login" || return 1
}
s3_default_bridge_refuses() {
  local code local_code
  code=$(ws_upgrade "http://127.0.0.1:$HTTP_PORT" "10.0.2.15:8080")
  local_code=$(g "curl -s -o /dev/null -w '%{http_code}' --max-time 3 -H 'Host: localhost:8080' -H 'Origin: http://localhost:8080' -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' -H 'Sec-WebSocket-Protocol: mqtt' http://localhost:8080/mqtt")
  echo "system:   bridge upgrade from the host: $code, from the Pi itself: $local_code"
  [ "$code" = 403 ] || why "the /mqtt bridge answered $code to a second address, want 403" || return 1
  case "$local_code" in 101) ;; *) why "control: the bridge answered $local_code to the Pi itself, want 101"; return 1 ;; esac
  local n=0
  while [ $n -lt 10 ] && ! g 'journalctl -u deskd -b --no-pager -o cat' | grep -q "refused the dashboard's MQTT bridge to 10.0.2.2"; do
    sleep 0.5; n=$((n + 1))
  done
  [ $n -lt 10 ] || why "the journal does not say why the bridge refused the second address" || return 1
}
# The owner's logins, as systemd/README.md "To use the dashboard from your laptop or phone" says
s2_broker_logins() {
  g "set -e
     cp /usr/share/doc/deskd/mosquitto/mosquitto.conf /etc/mosquitto/conf.d/deskd.conf
     cp /usr/share/doc/deskd/mosquitto/deskd.acl /etc/mosquitto/deskd.acl
     mosquitto_passwd -c -b /etc/mosquitto/deskd.passwd deskd '$DESK_PW'
     mosquitto_passwd -b /etc/mosquitto/deskd.passwd dashboard '$DASH_PW'
     chown root:mosquitto /etc/mosquitto/deskd.passwd; chmod 0640 /etc/mosquitto/deskd.passwd
     systemctl restart mosquitto
     printf '%s' '$DESK_PW' > /etc/deskd/mqtt-password
     chown root:deskd /etc/deskd/mqtt-password; chmod 0640 /etc/deskd/mqtt-password" > "$RUN/logins.log" 2>&1 ||
    why "setting up the broker logins failed: $(tail -n 3 "$RUN/logins.log")" || return 1
  MQTT_SECTION=$(printf '[mqtt]\nusername = "deskd"\npassword_file = "/etc/deskd/mqtt-password"\n')
  write_config || return 1
  GUEST_AUTH="-u deskd -P $DESK_PW"
  HOST_AUTH=(-u dashboard -P "$DASH_PW")
  g 'systemctl reset-failed deskd; systemctl restart deskd' || why "restart after the logins failed" || return 1
  wait_state calibrated false 20 || why "deskd publishes no state with its login" || return 1
}

# ==================================================================== 2. MQTT from the host
s2_state_reaches_host() {
  local s
  s=$(mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" "${HOST_AUTH[@]}" -t "$B/state" -C 1 -W 10 2>&1)
  case "$s" in *'"height_mm"'*) ;; *) why "no $B/state on the host: $s"; return 1 ;; esac
}
s2_dashboard_served() {
  local code
  dpkg-deb -c "$DEB" > "$RUN/deb-contents.txt"
  grep -q '/usr/share/deskd/web/index.html' "$RUN/deb-contents.txt" ||
    why "the package has no dashboard (web/dist was not built before cpack: scripts/build.sh builds it)" || return 1
  code=$(curl -s -o "$RUN/index.html" -w '%{http_code}' --max-time 20 "http://127.0.0.1:$HTTP_PORT/")
  [ "$code" = 200 ] || why "GET / answered $code" || return 1
  grep -qi '<html' "$RUN/index.html" || why "GET / is not the dashboard page" || return 1
}
s2_command_moves_desk() {
  calibrate || return 1
  trace_clear
  pub_host "$B/set" '{"height_mm":700}' || why "the host could not publish with the owner's login" || return 1
  wait_sim up 1 5 || why "motor-up never became active" || return 1
  wait_sim up 0 20 || why "motor-up still active 20 s later" || return 1
  sleep 1
  trace_get "$RUN/trace-move.txt"
  local p ua da
  p=$(sim pos); ua=$(activations "$RUN/trace-move.txt" "$(up_gpio)"); da=$(activations "$RUN/trace-move.txt" "$(down_gpio)")
  echo "system:   move to 700: desk at $p mm; trace: motor-up set active $ua time(s), motor-down $da"
  [ "$ua" -ge 1 ] || why "the trace shows no write of motor-up=1" || return 1
  [ "$da" = 0 ] || why "motor-down was set active during a move up" || return 1
  [ "$(last_level "$RUN/trace-move.txt" "$(up_gpio)")" = 0 ] || why "motor-up was not written back to 0" || return 1
  [ $((p - 700)) -le 5 ] && [ $((700 - p)) -le 5 ] || why "the desk stopped at $p mm, want 700 +-5" || return 1
}

# ====================================================== 3. with the owner's logins: still nobody else
s3_anonymous_cannot_drive() {
  trace_clear
  ! mosquitto_pub -h 127.0.0.1 -p "$MQTT_PORT" -q 1 -t "$B/set" -m '{"height_mm":650}' 2>/dev/null ||
    why "an anonymous client on the host was let in" || return 1
  sleep 2
  trace_get "$RUN/trace-anon.txt"
  [ "$(activations "$RUN/trace-anon.txt" "$(down_gpio)")" = 0 ] || why "the desk moved" || return 1
}
s3_dashboard_cannot_fake_state() {
  g "mosquitto_sub -h localhost $GUEST_AUTH -t $B/state -W 6 > /tmp/state-seen.txt 2>&1 &"
  sleep 1
  mosquitto_pub -h 127.0.0.1 -p "$MQTT_PORT" "${HOST_AUTH[@]}" -q 1 -t "$B/state" -m '{"fake":true}' 2>/dev/null
  sleep 6
  ! g 'grep -q fake /tmp/state-seen.txt' || why "the dashboard's login wrote $B/state" || return 1
}

# ======================================================================= 4. start and stop
# move_far: a long move, and waits until the motor runs; prints the line that is active
move_far() {
  local pos
  pos=$(sim pos)
  if [ "$pos" -lt 690 ]; then pub_host "$B/set" '{"height_mm":755}'; wait_sim up 1 5 && echo up
  else pub_host "$B/set" '{"height_mm":625}'; wait_sim down 1 5 && echo down; fi
}
s4_stop_mid_move() {
  [ "$(field calibrated "$(state)")" = true ] || calibrate || return 1
  trace_clear
  local pid dir gp t_sig off lat esp
  pid=$(mainpid)
  dir=$(move_far) || why "the desk did not start moving" || return 1
  sleep 0.5
  g 'systemctl stop deskd' || why "systemctl stop failed" || return 1
  trace_get "$RUN/trace-stop.txt"
  if [ "$dir" = up ]; then gp=$(up_gpio); else gp=$(down_gpio); fi
  t_sig=$(signal_at "$RUN/trace-stop.txt" 15 "$pid")
  [ -n "$t_sig" ] || why "no SIGTERM to deskd ($pid) in the trace" || return 1
  off=$(off_after "$RUN/trace-stop.txt" "$gp" "$t_sig")
  [ -n "$off" ] || why "motor-$dir was never written 0 after SIGTERM" || return 1
  lat=$(( (${off% *} - t_sig) / 1000 ))
  echo "system:   systemctl stop mid-move ($dir): motor-$dir inactive ${lat} ms after SIGTERM (by pid ${off#* })"
  [ "$lat" -le 100 ] || why "motor-$dir inactive ${lat} ms after SIGTERM, want <= 100" || return 1
  esp=$(g 'systemctl show -p ExecStopPost --value deskd')
  case "$esp" in *"--safe-stop"*"code=exited ; status=0"*) ;; *) why "ExecStopPost did not run to success: $esp"; return 1 ;; esac
  local sp
  sp=$(echo "$esp" | sed -n 's/.*pid=\([0-9]*\).*/\1/p')
  awk -v p="$sp" '$1 == "G" && $3 == p && $6 == 0 { f = 1 } END { exit !f }' "$RUN/trace-stop.txt" ||
    why "the trace shows no output write by the ExecStopPost process ($sp)" || return 1
  [ "$(g 'systemctl is-active deskd')" != active ] || why "deskd still active" || return 1
}
s4_kill9_mid_move() {
  g 'systemctl reset-failed deskd; systemctl start deskd' || why "systemctl start failed" || return 1
  wait_state motion stopped 20 || why "no state after the restart" || return 1
  [ "$(field calibrated "$(state)")" = true ] || calibrate || return 1
  trace_clear
  local pid dir gp t_sig off lat n newpid
  pid=$(mainpid)
  dir=$(move_far) || why "the desk did not start moving" || return 1
  sleep 0.5
  g "kill -9 $pid" || why "kill -9 failed" || return 1
  n=0; newpid=$pid
  while [ $n -lt 30 ]; do
    newpid=$(mainpid)
    [ "$newpid" != "$pid" ] && [ "$newpid" != 0 ] && [ "$(g 'systemctl is-active deskd')" = active ] && break
    sleep 1; n=$((n + 1))
  done
  trace_get "$RUN/trace-kill.txt"
  if [ "$dir" = up ]; then gp=$(up_gpio); else gp=$(down_gpio); fi
  t_sig=$(signal_at "$RUN/trace-kill.txt" 9 "$pid")
  [ -n "$t_sig" ] || why "no SIGKILL to deskd ($pid) in the trace" || return 1
  off=$(off_after "$RUN/trace-kill.txt" "$gp" "$t_sig" "$pid")
  [ -n "$off" ] || why "motor-$dir was never written 0 after the kill (ExecStopPost)" || return 1
  lat=$(( (${off% *} - t_sig) / 1000 ))
  echo "system:   kill -9 mid-move ($dir): motor-$dir written 0 by pid ${off#* } ${lat} ms after SIGKILL; new main pid $newpid"
  [ "$lat" -le 3000 ] || why "outputs inactive only ${lat} ms after the kill" || return 1
  [ "$newpid" != "$pid" ] && [ "$(g 'systemctl is-active deskd')" = active ] ||
    why "the service did not restart by itself (main pid $pid -> $newpid)" || return 1
  [ "$(g 'systemctl show -p NRestarts --value deskd')" -ge 1 ] || why "NRestarts did not count the restart" || return 1
}
s4_reload_keeps_idle() {
  wait_state motion stopped 20 || why "no state before the reload" || return 1
  local pid since
  pid=$(mainpid)
  write_config "Reloaded desk" || return 1
  since=$(g 'date "+%Y-%m-%d %H:%M:%S"')
  trace_clear
  g 'systemctl reload deskd' || why "systemctl reload failed" || return 1
  sleep 3
  trace_get "$RUN/trace-reload.txt"
  [ "$(mainpid)" = "$pid" ] || why "the main pid changed on reload" || return 1
  [ "$(g 'systemctl is-active deskd')" = active ] || why "deskd not active after reload" || return 1
  g "journalctl -u deskd --since '$since' --no-pager -o cat" > "$RUN/journal-reload.txt"
  grep -qi 'reload' "$RUN/journal-reload.txt" || why "the journal says nothing about the reload" || return 1
  ! grep -qi 'refused' "$RUN/journal-reload.txt" || why "the reload was refused: $(grep -i refused "$RUN/journal-reload.txt" | head -2)" || return 1
  [ "$(activations "$RUN/trace-reload.txt" "$(up_gpio)")$(activations "$RUN/trace-reload.txt" "$(down_gpio)")" = 00 ] ||
    why "an output was set active during the reload" || return 1
  [ "$(field motion "$(state)")" = stopped ] || why "the desk is not idle after the reload" || return 1
}

# ============================================================ 7. the clock, inside the sandbox
s7_clock_untrusted() {
  [ "$(g 'systemctl is-active systemd-timesyncd')" = active ] || why "systemd-timesyncd is not running" || return 1
  [ "$(g 'timedatectl show -p NTPSynchronized --value')" = no ] || why "the clock claims to be synchronised" || return 1
  g 'test ! -e /run/systemd/timesync/synchronized' || why "timesyncd's marker exists" || return 1
  local s ph
  s=$(fresh_state); ph=$(field phase_reason "$s")
  echo "system:   schedule: phase $(field phase "$s"), reason '$ph'"
  case "$ph" in *"clock not synchronised"*) ;; *) why "the schedule does not report the clock as untrusted: $s"; return 1 ;; esac
  # control: timesyncd's marker (readable inside the sandbox) makes the same deskd trust the clock
  g 'mkdir -p /run/systemd/timesync && touch /run/systemd/timesync/synchronized && systemctl reset-failed deskd && systemctl restart deskd'
  local n=0
  while [ $n -lt 10 ]; do
    s=$(fresh_state); ph=$(field phase_reason "$s")
    [ -n "$s" ] && break
    sleep 1; n=$((n + 1))
  done
  echo "system:   control, with timesyncd's marker: phase $(field phase "$s"), reason '$ph'"
  g 'rm -f /run/systemd/timesync/synchronized; systemctl reset-failed deskd; systemctl restart deskd'
  [ -n "$s" ] || why "control: no state after the restart" || return 1
  case "$ph" in *"clock not synchronised"*) why "control: with timesyncd's marker the clock is still untrusted (the sandbox hides it?)"; return 1 ;; esac
  wait_state motion stopped 20 || true
}

# ================================================================ 5. the power cut
RESPONSES=$RUN/responses.txt
s5_power_cut() {
  [ "$(g 'systemctl is-active deskd')" = active ] || why "deskd not active before the cut" || return 1
  wait_state motion stopped 20 || true
  # a known position first: after the cut it must be unknown again
  [ "$(field calibrated "$(state)")" = true ] || calibrate || return 1
  : > "$RESPONSES"
  mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" "${HOST_AUTH[@]}" -t "$B/response/#" -v >> "$RESPONSES" 2>/dev/null &
  local sp=$! n
  BGPIDS+=("$sp")
  sleep 1
  pub_host "$B/request/schedule/set" '{"sit_minutes":41,"transaction":"pc1"}'
  n=0; while ! grep -q '"pc1"' "$RESPONSES" && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
  pub_host "$B/request/presets/set" '{"presets":{"pc":700},"transaction":"pc2"}'
  n=0; while ! grep -q '"pc2"' "$RESPONSES" && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
  # a schedule change and a settings save in flight when the power goes
  pub_host "$B/request/schedule/set" '{"sit_minutes":43,"transaction":"pc3"}' &
  local p3=$!
  pub_host "$B/request/presets/set" '{"presets":{"pc":710},"transaction":"pc4"}' &
  local p4=$!
  sleep 0.05
  power_cut || why "the monitor did not take 'quit'" || return 1
  wait "$p3" "$p4" 2>/dev/null
  kill "$sp" 2>/dev/null; wait "$sp" 2>/dev/null
  echo "system:   acknowledged before the cut: $(grep -o '"transaction":"pc[0-9]"' "$RESPONSES" | grep -o 'pc[0-9]' | tr '\n' ' ')"
  grep -q '"pc1".*' "$RESPONSES" && grep '"pc1"' "$RESPONSES" | grep -q '"ok"' || why "pc1 was not acknowledged ok: $(cat "$RESPONSES")" || return 1
  grep '"pc2"' "$RESPONSES" | grep -q '"ok"' || why "pc2 was not acknowledged ok" || return 1
  boot_vm || why "the machine did not boot after the power cut" || return 1
}
s5_active_after_reboot() {
  local n=0
  while [ $n -lt 60 ] && [ "$(g 'systemctl is-active deskd')" != active ]; do sleep 1; n=$((n + 1)); done
  [ "$(g 'systemctl is-active deskd')" = active ] || why "deskd is $(g 'systemctl is-active deskd') after the reboot" || return 1
  wait_state motion stopped 20 || why "no state after the reboot" || return 1
}
s5_state_files_parseable() {
  g 'ls -la /var/lib/deskd' > "$RUN/state-dir.txt"
  sed 's/^/system:   /' "$RUN/state-dir.txt"
  ! grep -q 'corrupt' "$RUN/state-dir.txt" || why "a state file was set aside as corrupt" || return 1
  g 'journalctl -u deskd -b --no-pager -o cat' > "$RUN/journal-after-cut.txt"
  ! grep -Eqi 'corrupt|unreadable|cannot read|invalid' "$RUN/journal-after-cut.txt" ||
    why "deskd could not read its state: $(grep -Ei 'corrupt|unreadable|cannot read|invalid' "$RUN/journal-after-cut.txt" | head -2)" || return 1
  mkdir -p "$RUN/state"
  local f
  for f in $(g 'cd /var/lib/deskd && ls'); do
    gget "/var/lib/deskd/$f" "$RUN/state/$f" || continue
    case "$f" in
      *.toml) if python3 -c 'import tomllib' 2>/dev/null; then
                python3 -c 'import sys, tomllib; tomllib.load(open(sys.argv[1], "rb"))' "$RUN/state/$f" 2>"$RUN/toml.err" ||
                  why "$f does not parse as TOML: $(tail -n1 "$RUN/toml.err")" || return 1
              fi ;;
      *.json) if command -v python3 >/dev/null; then
                python3 -c 'import sys, json; json.load(open(sys.argv[1]))' "$RUN/state/$f" 2>"$RUN/json.err" ||
                  why "$f does not parse as JSON: $(tail -n1 "$RUN/json.err")" || return 1
              fi ;;
    esac
  done
}
s5_nothing_acknowledged_lost() {
  : > "$RESPONSES.2"
  mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" "${HOST_AUTH[@]}" -t "$B/response/schedule/get" -C 1 -W 15 > "$RESPONSES.2" 2>/dev/null &
  local sp=$!
  sleep 1
  pub_host "$B/request/schedule/get" '{"transaction":"g1"}'
  wait "$sp" 2>/dev/null
  local sit want_sit="41" want_pc="700"
  grep '"pc3"' "$RESPONSES" | grep -q '"ok"' && want_sit=43
  grep '"pc4"' "$RESPONSES" | grep -q '"ok"' && want_pc=710
  sit=$(sed -n 's/.*"sit_minutes": *\([0-9]*\).*/\1/p' "$RESPONSES.2")
  echo "system:   after the cut: sit_minutes $sit (acknowledged: $want_sit), settings: $(tr '\n' ' ' < "$RUN/state/settings.toml" 2>/dev/null | head -c 300)"
  case "$want_sit:$sit" in 41:41|41:43|43:43) ;; *) why "sit_minutes is '$sit' after the cut, acknowledged $want_sit"; return 1 ;; esac
  local pc
  pc=$(sed -n 's/^ *pc *= *\([0-9]*\).*/\1/p' "$RUN/state/settings.toml" 2>/dev/null)
  case "$want_pc:$pc" in 700:700|700:710|710:710) ;; *) why "preset pc is '$pc' after the cut, acknowledged $want_pc"; return 1 ;; esac
}
s5_position_unknown() {
  local s
  s=$(fresh_state)
  [ "$(field calibrated "$s")" = false ] || why "deskd claims a known position after a power cut: $s" || return 1
  [ "$(field height_mm "$s")" = null ] || why "height_mm is $(field height_mm "$s") after a power cut, want null" || return 1
}

# ========================================================================= 6. upgrade, purge
s6_upgrade_restarts() {
  local pid newpid v
  pid=$(mainpid)
  gput "$DEB2" /root/ || why "cannot copy the newer package" || return 1
  g "apt-get install -y ./$(basename "$DEB2")" > "$RUN/apt-upgrade.log" 2>&1 ||
    { tail -n 20 "$RUN/apt-upgrade.log"; why "apt install of $NEWVERSION failed"; return 1; }
  v=$(g "dpkg-query -W -f='\${Version}' deskd")
  [ "$v" = "$NEWVERSION" ] || why "installed version is $v, want $NEWVERSION" || return 1
  newpid=$(mainpid)
  [ "$(g 'systemctl is-active deskd')" = active ] || why "deskd is not active after the upgrade" || return 1
  [ "$newpid" != "$pid" ] || why "the running service was not restarted (main pid $pid)" || return 1
  g "grep -q 'chip = \"$CHIP\"' /etc/deskd/deskd.toml" || why "the upgrade replaced the edited config" || return 1
}
s6_purge() {
  trace_clear
  g 'apt-get purge -y deskd' > "$RUN/apt-purge.log" 2>&1 || { tail -n 20 "$RUN/apt-purge.log"; why "apt purge failed"; return 1; }
  g 'test ! -e /var/lib/deskd' || why "/var/lib/deskd is still there after purge" || return 1
  g 'getent passwd deskd >/dev/null' || why "the deskd user was removed (policy: keep it)" || return 1
  [ "$(g 'systemctl is-active deskd')" != active ] || why "deskd still running after purge" || return 1
  trace_get "$RUN/trace-purge.txt"
  [ "$(last_level "$RUN/trace-purge.txt" "$(up_gpio)")" != 1 ] && [ "$(last_level "$RUN/trace-purge.txt" "$(down_gpio)")" != 1 ] ||
    why "an output was left active by the removal" || return 1
}

# the checks in the order they run: <step>.<name>:<function>
CHECKS="1.install:s1_install 1.configure:s1_configure 1.start:s1_start 1.ready:s1_ready 1.watchdog:s1_watchdog 1.journal:s1_journal 3.default-broker-is-local-only:s3_default_broker_local_only 3.default-bridge-refuses-second-address:s3_default_bridge_refuses 2.broker-logins:s2_broker_logins 2.state-reaches-host:s2_state_reaches_host 2.dashboard-served:s2_dashboard_served 2.command-moves-desk:s2_command_moves_desk 3.anonymous-cannot-drive:s3_anonymous_cannot_drive 3.dashboard-login-cannot-fake-state:s3_dashboard_cannot_fake_state 4.stop-mid-move:s4_stop_mid_move 4.kill9-mid-move:s4_kill9_mid_move 4.reload-keeps-idle:s4_reload_keeps_idle 7.clock-untrusted-in-sandbox:s7_clock_untrusted 5.power-cut:s5_power_cut 5.active-after-reboot:s5_active_after_reboot 5.state-files-parseable:s5_state_files_parseable 5.nothing-acknowledged-lost:s5_nothing_acknowledged_lost 5.position-unknown:s5_position_unknown 6.upgrade-restarts:s6_upgrade_restarts 6.purge:s6_purge"

run_scenario() {
  local t_boot
  t_boot=$(date +%s)
  boot_vm || { echo "system: FAILED: the machine did not boot"; exit 1; }
  phase "machine up ($(( $(date +%s) - t_boot )) s): chip $CHIP, sysfs $SYS, base $BASE; host ports ssh $SSH_PORT mqtt $MQTT_PORT http $HTTP_PORT"
  local c name fn gate rest=""
  for c in $CHECKS; do
    name=${c%%:*}; fn=${c#*:}
    if [ -n "$rest" ]; then echo "FAIL $name: not run ($rest failed)"; FAILED=$((FAILED + 1)); continue; fi
    gate=$FAILED
    check "$name" "$fn"
    # without these the rest can only fail for the same reason: say so instead of waiting
    case "$name" in 1.install|1.start|5.power-cut) [ "$FAILED" = "$gate" ] || rest=$name ;; esac
  done
  shutdown_vm
  local p
  for p in "${BGPIDS[@]}"; do kill "$p" 2>/dev/null; done
  phase "$PASSED passed, $FAILED failed"
  [ "$FAILED" = 0 ] && [ "$PASSED" -gt 0 ]
}
