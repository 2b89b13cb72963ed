# machine.sh - sourced by run.sh: boots the guest under qemu (TCG), talks to it over ssh, cuts
# its power. Every qemu started here is stopped by its pid (trap on exit).

QPID=
BOOTS=0
free_port() {
  local p i
  for i in $(seq 100); do
    p=$((20000 + RANDOM % 40000))
    [ "$p" = 1883 ] || [ "$p" = 9001 ] && continue
    ss -Htln "sport = :$p" 2>/dev/null | grep -q . && continue
    echo "$p"; return 0
  done
  return 1
}
SSH_PORT=$(free_port); MQTT_PORT=$(free_port); HTTP_PORT=$(free_port); MON_PORT=$(free_port)
while [ "$MQTT_PORT" = "$SSH_PORT" ]; do MQTT_PORT=$(free_port); done
while [ "$HTTP_PORT" = "$SSH_PORT" ] || [ "$HTTP_PORT" = "$MQTT_PORT" ]; do HTTP_PORT=$(free_port); done
while [ "$MON_PORT" = "$SSH_PORT" ] || [ "$MON_PORT" = "$MQTT_PORT" ] || [ "$MON_PORT" = "$HTTP_PORT" ]; do MON_PORT=$(free_port); done
DISK=$RUN/disk.qcow2
SSH_OPTS=(-o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
          -o LogLevel=ERROR -o ConnectTimeout=5 -o ServerAliveInterval=5 -o ServerAliveCountMax=6
          -o ControlMaster=auto -o "ControlPath=$RUN/ssh-%p.sock" -o ControlPersist=600
          -i "$SSH_KEY")

# the ssh connection is shared by every g call (a new handshake costs seconds under emulation)
ssh_close() {
  ssh "${SSH_OPTS[@]}" -p "$SSH_PORT" -O exit root@127.0.0.1 >/dev/null 2>&1
  rm -f "$RUN"/ssh-*.sock
}
stop_vm() {
  ssh_close
  [ -n "$QPID" ] || return 0
  kill "$QPID" 2>/dev/null
  local n=0
  while kill -0 "$QPID" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
  kill -9 "$QPID" 2>/dev/null
  wait "$QPID" 2>/dev/null
  QPID=
}
trap 'stop_vm' EXIT
trap 'exit 130' INT TERM

# g CMD...: runs a shell command in the guest as root (bounded: 180 s)
g() { timeout 180 ssh "${SSH_OPTS[@]}" -p "$SSH_PORT" root@127.0.0.1 "$@"; }
# gput FILE DEST: copies a file into the guest
gput() { timeout 120 scp -q "${SSH_OPTS[@]}" -P "$SSH_PORT" "$1" "root@127.0.0.1:$2"; }
gget() { timeout 120 scp -q "${SSH_OPTS[@]}" -P "$SSH_PORT" "root@127.0.0.1:$1" "$2"; }

# boot_vm: starts the guest on the run's disk (an overlay over the cached image, made at the first
# boot) and waits until ssh answers. Returns 1 if it does not within 300 s.
boot_vm() {
  BOOTS=$((BOOTS + 1))
  [ -f "$DISK" ] || qemu-img create -q -f qcow2 -F raw -b "$IMAGE" "$DISK" || die "qemu-img create failed"
  local accel=(-accel tcg) machine=() console=ttyS0
  if [ "$ARCH" = amd64 ]; then machine=(-cpu max); else machine=(-M virt -cpu max); console=ttyAMA0; fi
  CONSOLE=$RUN/console-$BOOTS.log
  nice -n 10 "$QEMU" "${accel[@]}" "${machine[@]}" -smp "$SMP" -m 1024 \
    -nodefaults -no-user-config -display none -no-reboot \
    -serial "file:$CONSOLE" -monitor "tcp:127.0.0.1:$MON_PORT,server,nowait" \
    -drive "file=$DISK,if=virtio,format=qcow2,cache=unsafe" \
    -netdev "user,id=n0,restrict=on,net=10.0.2.0/24,hostfwd=tcp:127.0.0.1:$SSH_PORT-10.0.2.15:22,hostfwd=tcp:127.0.0.1:$MQTT_PORT-10.0.2.15:1883,hostfwd=tcp:127.0.0.1:$HTTP_PORT-10.0.2.15:8080" \
    -device virtio-net-pci,netdev=n0 -device virtio-rng-pci \
    -kernel "$KIMG" -initrd "$INITRD" \
    -append "console=$console panic=-1 loglevel=4 cryptomgr.notests net.ifnames=0 systemd.show_status=false" \
    </dev/null >"$RUN/qemu-$BOOTS.log" 2>&1 &
  QPID=$!
  local t0 n=0
  t0=$(date +%s)
  while [ $n -lt 300 ]; do
    kill -0 "$QPID" 2>/dev/null || { echo "system: qemu exited during boot $BOOTS:"; tail -n 20 "$RUN/qemu-$BOOTS.log" "$CONSOLE"; return 1; }
    g true 2>/dev/null && break
    sleep 1; n=$(( $(date +%s) - t0 ))
  done
  [ $n -lt 300 ] || { echo "system: no ssh within 300 s of boot $BOOTS"; tail -n 30 "$CONSOLE"; return 1; }
  # wait for the boot to finish (bounded): deskd-gpio-sim, hil-desk, mosquitto, timesyncd
  g 'timeout 240 systemctl is-system-running --wait >/dev/null 2>&1; true'
  phase "boot $BOOTS: ssh after $(( $(date +%s) - t0 )) s, $(g 'systemctl is-system-running' 2>/dev/null)"
  g 'cat /run/deskd-sim/env' > "$RUN/sim.env" || return 1
  . "$RUN/sim.env"
  return 0
}

# power_cut: qemu's monitor "quit": the guest gets no shutdown at all
power_cut() {
  exec 7<>"/dev/tcp/127.0.0.1/$MON_PORT" || return 1
  # no ssh_close before the quit: its round trip would delay the cut
  printf 'quit\n' >&7
  local n=0
  while kill -0 "$QPID" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
  exec 7>&- 7<&-
  stop_vm
}

# shutdown_vm: a clean poweroff (bounded), then qemu is gone
shutdown_vm() {
  g 'systemctl poweroff' >/dev/null 2>&1 || true
  local n=0
  while kill -0 "$QPID" 2>/dev/null && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
  stop_vm
}
