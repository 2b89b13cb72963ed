#!/usr/bin/env bash
# The run command: installs what is missing, builds, and starts the demo: mosquitto on loopback
# (TCP + WebSockets), deskd on the simulated desk, and prints the dashboard URL.
# Usage: scripts/demo.sh [--time-scale N] [--bus jiecang|loctek | --ble linak]
#   --time-scale 60: a 30-minute sitting period passes in 30 s
#   --bus P: the desk behind a simulated controller of protocol P on a pseudo-terminal (UART frames)
#   --ble linak: a Linak Bluetooth desk behind a simulated BlueZ on a private D-Bus (needs dbus)
# Ports: DESKD_DEMO_MQTT_PORT (11883), DESKD_DEMO_WS_PORT (19001), DESKD_DEMO_HTTP_PORT (8080).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
scale=""
bus=""
ble=""
while [ $# -gt 0 ]; do
  case "$1" in
    --time-scale) scale=${2:?--time-scale needs N}; shift 2 ;;
    --time-scale=*) scale=${1#*=}; shift ;;
    --bus) bus=${2:?--bus needs jiecang or loctek}; shift 2 ;;
    --bus=*) bus=${1#*=}; shift ;;
    --ble) ble=${2:?--ble needs linak}; shift 2 ;;
    --ble=*) ble=${1#*=}; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "demo: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$bus" in
  ""|jiecang|loctek) ;;
  *) echo "demo: --bus takes jiecang or loctek, got '$bus'" >&2; exit 2 ;;
esac
case "$ble" in
  ""|linak) ;;
  *) echo "demo: --ble takes linak, got '$ble'" >&2; exit 2 ;;
esac
[ -n "$bus" ] && [ -n "$ble" ] && { echo "demo: choose --bus or --ble, not both" >&2; exit 2; }
mqtt_port=${DESKD_DEMO_MQTT_PORT:-11883}
ws_port=${DESKD_DEMO_WS_PORT:-19001}
http_port=${DESKD_DEMO_HTTP_PORT:-8080}

"$here/scripts/deps.sh" build
DESKD_BUILD_TESTS=OFF "$here/scripts/build.sh"

demo=$here/build/demo
mkdir -p "$demo/state"
cat > "$demo/mosquitto.conf" <<CONF
# deskd demo broker: loopback only
per_listener_settings false
set_tcp_nodelay true
allow_anonymous true
persistence false
listener $mqtt_port 127.0.0.1
listener $ws_port 127.0.0.1
protocol websockets
socket_domain ipv4
CONF
sed -e "s|^uri *=.*|uri = \"tcp://127.0.0.1:$mqtt_port\"|" \
    -e "s|^listen *=.*|listen = \"127.0.0.1:$http_port\"|" \
    -e "s|^broker_ws_url *=.*|broker_ws_url = \"ws://127.0.0.1:$ws_port\"|" \
    -e "s|^dir *=.*|dir = \"$demo/state\"|" \
    -e "s|^root *=.*|root = \"$here/web/dist\"|" \
    "$here/config/demo.toml" > "$demo/deskd.toml"
if [ -n "$bus" ]; then
  # The height comes from the (simulated) controller's frames, the moves go out as bus commands.
  sed -i -e 's|^kind *=.*|kind = "bus"|' "$demo/deskd.toml"
  {
    echo
    echo "[bus]"
    echo "protocol = \"$bus\""
    echo "height_unit = \"mm\""
    [ "$bus" = loctek ] && echo "wake_line = 23"
  } >> "$demo/deskd.toml"
fi

if [ -n "$ble" ]; then
  # The height comes from the (simulated) desk's Bluetooth notifications; --simulate starts a
  # private dbus-daemon with a simulated BlueZ, so the real D-Bus and GATT code runs.
  command -v dbus-daemon >/dev/null || { echo "demo: --ble needs dbus-daemon (apt install dbus)" >&2; exit 1; }
  sed -i -e 's|^kind *=.*|kind = "ble"|' -e '/^\[gpio\]/,/^$/d' "$demo/deskd.toml"
  printf '\n[ble]\nprotocol = "%s"\naddress = "AA:BB:CC:DD:EE:FF"\n' "$ble" >> "$demo/deskd.toml"
fi

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

mosquitto -c "$demo/mosquitto.conf" > "$demo/mosquitto.log" 2>&1 &
pids+=($!)
sleep 0.3
kill -0 "${pids[0]}" 2>/dev/null || { cat "$demo/mosquitto.log"; echo "demo: mosquitto failed to start (port $mqtt_port or $ws_port in use?)" >&2; exit 1; }

args=(--config "$demo/deskd.toml" --simulate)
[ -n "$scale" ] && args+=(--time-scale "$scale")
"$here/build/daemon/deskd" "${args[@]}" &
pids+=($!)
sleep 0.5
kill -0 "${pids[1]}" 2>/dev/null || { echo "demo: deskd failed to start" >&2; exit 1; }

cat <<MSG

  deskd demo is running on the simulated desk${bus:+ behind a simulated $bus controller}${ble:+ behind a simulated BlueZ ($ble, Bluetooth)}${scale:+ at ${scale}x time}.
  Dashboard:  http://127.0.0.1:$http_port/
  MQTT:       mosquitto_sub -h 127.0.0.1 -p $mqtt_port -t 'deskd/#' -v
  Command:    mosquitto_pub -h 127.0.0.1 -p $mqtt_port -t deskd/demo/set -m '{"posture":"standing"}'
  Stop with Ctrl-C.

MSG
wait "${pids[1]}"
