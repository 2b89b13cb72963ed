#!/usr/bin/env bash
# The example broker config (config/mosquitto) starts, with its listener ports moved to free
# loopback ports, and its ACL lets the dashboard user command desks but not fake their state.
# usage: mosquitto_acl_test.sh SOURCE_DIR
set -euo pipefail
source_dir=$1
. "$(dirname "$0")/lib.sh"
make_scratch
for tool in mosquitto mosquitto_pub mosquitto_sub mosquitto_passwd; do
  command -v "$tool" >/dev/null || fail "$tool is not installed"
done

broker_pid=""
sub_pid=""
dash_sub_pid=""
cleanup() {
  [ -n "$sub_pid" ] && kill "$sub_pid" 2>/dev/null || true
  [ -n "$dash_sub_pid" ] && kill "$dash_sub_pid" 2>/dev/null || true
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null || true
  [ -n "$broker_pid" ] && wait "$broker_pid" 2>/dev/null || true
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

# A loopback port nobody listens on (never 1883 or 9001).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    [ "$port" = 1883 ] || [ "$port" = 9001 ] && continue
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || {
      echo "$port"
      return
    }
  done
}

passwd="$SCRATCH/deskd.passwd"
mosquitto_passwd -b -c "$passwd" deskd deskd-secret >/dev/null 2>&1
mosquitto_passwd -b "$passwd" dashboard dash-secret >/dev/null 2>&1
mosquitto_passwd -b "$passwd" homeassistant ha-secret >/dev/null 2>&1
cp "$source_dir/config/mosquitto/deskd.acl" "$SCRATCH/deskd.acl"

start_broker() {
  mqtt_port=$(free_port)
  ws_port=$(free_port)
  check "example mosquitto.conf with listeners moved to 127.0.0.1:$mqtt_port (mqtt), :$ws_port (ws)"
  sed -e "s#^listener 1883\$#listener $mqtt_port 127.0.0.1#" \
    -e "s#^listener 9001\$#listener $ws_port 127.0.0.1#" \
    -e "s#^password_file .*#password_file $passwd#" \
    -e "s#^acl_file .*#acl_file $SCRATCH/deskd.acl#" \
    "$source_dir/config/mosquitto/mosquitto.conf" >"$SCRATCH/mosquitto.conf"
  grep -q "^listener $mqtt_port 127.0.0.1$" "$SCRATCH/mosquitto.conf" || fail "no TCP listener 1883 to move"
  grep -q "^listener $ws_port 127.0.0.1$" "$SCRATCH/mosquitto.conf" || fail "no WebSocket listener 9001 to move"
  # Running as root, mosquitto would switch to its own user, which cannot read the scratch dir.
  echo "user $(id -un)" >>"$SCRATCH/mosquitto.conf"
  mosquitto -c "$SCRATCH/mosquitto.conf" >"$SCRATCH/broker.log" 2>&1 &
  broker_pid=$!
  local i
  for i in $(seq 50); do
    # Both listeners: mosquitto opens the WebSocket one (libwebsockets) after the TCP one.
    if (exec 3<>"/dev/tcp/127.0.0.1/$mqtt_port") 2>/dev/null &&
       (exec 3<>"/dev/tcp/127.0.0.1/$ws_port") 2>/dev/null; then return 0; fi
    kill -0 "$broker_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$SCRATCH/broker.log"
  kill "$broker_pid" 2>/dev/null || true
  wait "$broker_pid" 2>/dev/null || true
  broker_pid=""
  return 1
}
start_broker || start_broker || fail "mosquitto did not start with the example config"

pub() { # USER PASSWORD TOPIC MESSAGE
  mosquitto_pub -h 127.0.0.1 -p "$mqtt_port" -u "$1" -P "$2" -q 1 -t "$3" -m "$4"
}

check "the WebSocket listener answers an MQTT WebSocket upgrade"
ws_reply=$(curl -s -i -N --max-time 2 -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
  -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' \
  -H 'Sec-WebSocket-Protocol: mqtt' "http://127.0.0.1:$ws_port/" || true)
grep -q '^HTTP/1.1 101' <<<"$ws_reply" || fail "no 101 from the WebSocket listener: $ws_reply"

check "anonymous clients are refused"
if mosquitto_pub -h 127.0.0.1 -p "$mqtt_port" -t deskd/office/set -m x 2>/dev/null; then
  fail "an anonymous publish was accepted"
fi

# deskd's own login sees everything under deskd/# and homeassistant/#.
mosquitto_sub -h 127.0.0.1 -p "$mqtt_port" -u deskd -P deskd-secret -q 1 -v \
  -t 'deskd/#' -t 'homeassistant/#' >"$SCRATCH/deskd.sub" 2>&1 &
sub_pid=$!
# The dashboard's login reads desks.
mosquitto_sub -h 127.0.0.1 -p "$mqtt_port" -u dashboard -P dash-secret -q 1 -v \
  -t 'deskd/#' -t 'homeassistant/#' >"$SCRATCH/dashboard.sub" 2>&1 &
dash_sub_pid=$!
sleep 0.5

check "deskd may publish state and discovery"
pub deskd deskd-secret deskd/office/state '{"height_mm":720}'
pub deskd deskd-secret homeassistant/device/deskd_office/config '{"dev":{}}'
check "dashboard may publish set, set/<key> and request/<op>"
pub dashboard dash-secret deskd/office/set '{"action":"stop"}'
pub dashboard dash-secret deskd/office/set/height_mm 1100
pub dashboard dash-secret deskd/office/request/schedule/get '{"transaction":"t1"}'
check "dashboard publishes to state, availability and discovery (the broker must drop them)"
pub dashboard dash-secret deskd/office/state '{"height_mm":9999,"forged":true}' || true
pub dashboard dash-secret deskd/office/availability offline || true
pub dashboard dash-secret homeassistant/device/deskd_office/config forged-discovery || true
# Sent last: once it arrives, anything sent before it would have arrived too.
pub deskd deskd-secret deskd/office/event '{"type":"end-marker"}'

for i in $(seq 50); do
  grep -q 'end-marker' "$SCRATCH/deskd.sub" && grep -q 'end-marker' "$SCRATCH/dashboard.sub" && break
  sleep 0.1
done
kill "$sub_pid" "$dash_sub_pid" 2>/dev/null || true
wait "$sub_pid" "$dash_sub_pid" 2>/dev/null || true
sub_pid=""
dash_sub_pid=""
echo "--- received by deskd:"
cat "$SCRATCH/deskd.sub"
echo "--- received by dashboard:"
cat "$SCRATCH/dashboard.sub"
grep -q 'end-marker' "$SCRATCH/deskd.sub" || fail "the end marker never arrived"

expect_received() { grep -qF -- "$2" "$SCRATCH/$1.sub" || fail "$1 did not receive: $2"; }
expect_not_received() { ! grep -qF -- "$2" "$SCRATCH/$1.sub" || fail "$1 received: $2"; }

check "the dashboard's commands reached deskd"
expect_received deskd 'deskd/office/set {"action":"stop"}'
expect_received deskd 'deskd/office/set/height_mm 1100'
expect_received deskd 'deskd/office/request/schedule/get {"transaction":"t1"}'
check "the dashboard's forged state, availability and discovery were not delivered"
expect_not_received deskd 'forged'
expect_not_received deskd 'deskd/office/availability offline'
expect_received deskd 'deskd/office/state {"height_mm":720}'
check "the dashboard reads desk state but not Home Assistant discovery"
expect_received dashboard 'deskd/office/state {"height_mm":720}'
expect_not_received dashboard 'homeassistant/device'
echo "PASS"
