#!/bin/sh
# deskd-activity.sh - tells deskd whether this Linux desktop is in use, for the schedule's natural
# breaks ([schedule] activity_topic): a change that falls due waits for your next pause.
#
# Usage: deskd-activity.sh [--once] TOPIC [mosquitto_pub options ...]
#   e.g. deskd-activity.sh home/office/pc_activity -h pi.local -u alice -P secret
#
# Every 10 s it reads how long the desktop has had no input and whether the session is locked,
# and publishes {"idle_seconds":N,"locked":false} (retained) when that changes: locked or not,
# in use (idle < 10 s) or idle. --once publishes the current state once and exits.
#   idle time: GNOME's Mutter IdleMonitor (session D-Bus, gdbus); else the logind session's
#              IdleHint/IdleSinceHint (KDE and others set it after their own idle delay);
#   locked:    the logind session's LockedHint.
# Run it inside the desktop session, e.g. as a systemd user service (config/README.md).
set -u
once=0
if [ "${1:-}" = --once ]; then once=1; shift; fi
[ $# -ge 1 ] || { echo "usage: $0 [--once] TOPIC [mosquitto_pub options ...]" >&2; exit 2; }
topic=$1; shift

session=${XDG_SESSION_ID:-$(loginctl show-user "$(id -un)" -p Display --value 2>/dev/null)}

idle_seconds() {
  ms=$(gdbus call --session --dest org.gnome.Mutter.IdleMonitor \
         --object-path /org/gnome/Mutter/IdleMonitor/Core \
         --method org.gnome.Mutter.IdleMonitor.GetIdletime 2>/dev/null |
       sed -n 's/^(uint64 \([0-9]*\),)$/\1/p')
  if [ -n "$ms" ]; then echo $((ms / 1000)); return; fi
  [ -n "$session" ] || { echo 0; return; }
  hint=$(loginctl show-session "$session" -p IdleHint --value 2>/dev/null)
  since=$(loginctl show-session "$session" -p IdleSinceHint --value 2>/dev/null)
  if [ "$hint" = yes ] && [ -n "$since" ] && [ "$since" -gt 0 ] 2>/dev/null; then
    s=$(( $(date +%s) - since / 1000000 ))
    [ "$s" -ge 0 ] && echo "$s" || echo 0
  else
    echo 0
  fi
}

locked() {
  [ -n "$session" ] && [ "$(loginctl show-session "$session" -p LockedHint --value 2>/dev/null)" = yes ] &&
    echo true || echo false
}

last=
while :; do
  idle=$(idle_seconds); lock=$(locked)
  state="$lock $([ "$idle" -ge 10 ] && echo idle || echo active)"
  if [ "$state" != "$last" ]; then
    mosquitto_pub -r -q 1 -t "$topic" -m "{\"idle_seconds\":$idle,\"locked\":$lock}" "$@" &&
      last=$state
  fi
  [ $once = 1 ] && exit 0
  sleep "${DESKD_ACTIVITY_INTERVAL:-10}"
done
