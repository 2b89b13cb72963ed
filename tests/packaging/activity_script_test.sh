#!/bin/sh
# config/activity/deskd-activity.sh against fake gdbus, loginctl and mosquitto_pub: what it reads
# (Mutter's idle time, else logind's IdleHint/IdleSinceHint; logind's LockedHint), what it
# publishes (retained JSON on the topic, with the user's mosquitto_pub options), and that the
# loop publishes only when the state changes.
set -u
script=$1/config/activity/deskd-activity.sh
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
mkdir "$T/bin"
fail() { echo "FAIL: $*"; exit 1; }

cat > "$T/bin/gdbus" <<'F'
#!/bin/sh
[ -s "$FAKE/mutter_ms" ] || exit 1
echo "(uint64 $(cat "$FAKE/mutter_ms"),)"
F
cat > "$T/bin/loginctl" <<'F'
#!/bin/sh
case "$1 $4" in
  "show-user Display") echo c7 ;;
  "show-session LockedHint") cat "$FAKE/locked" ;;
  "show-session IdleHint") cat "$FAKE/idle_hint" ;;
  "show-session IdleSinceHint") cat "$FAKE/idle_since" ;;
esac
F
cat > "$T/bin/mosquitto_pub" <<'F'
#!/bin/sh
echo "$*" >> "$FAKE/published"
F
chmod +x "$T/bin/"*
export FAKE=$T PATH="$T/bin:$PATH"
unset XDG_SESSION_ID
state() { echo "$1" > "$T/mutter_ms"; echo "$2" > "$T/locked"; echo "$3" > "$T/idle_hint"; echo "$4" > "$T/idle_since"; }
run_once() { : > "$T/published"; sh "$script" --once office/pc -h pi.local -u alice || fail "exit $?"; cat "$T/published"; }

state 125000 no no 0
out=$(run_once)
[ "$out" = '-r -q 1 -t office/pc -m {"idle_seconds":125,"locked":false} -h pi.local -u alice' ] ||
  fail "Mutter idle: published '$out'"

state "" no yes $(( ($(date +%s) - 300) * 1000000 ))
out=$(run_once)
case "$out" in *'"idle_seconds":'30[01]',"locked":false}'*|*'"idle_seconds":299,"locked":false}'*) ;;
  *) fail "logind IdleSinceHint 300 s ago: published '$out'" ;; esac

state "" yes no 0
out=$(run_once)
case "$out" in *'{"idle_seconds":0,"locked":true}'*) ;; *) fail "locked: published '$out'" ;; esac

state 2000 no no 0
: > "$T/published"
DESKD_ACTIVITY_INTERVAL=0.1 sh "$script" office/pc & pid=$!
sleep 1
state 45000 no no 0
sleep 1
kill $pid; wait $pid 2>/dev/null
n=$(wc -l < "$T/published")
[ "$n" = 2 ] || fail "the loop published $n times for one change, want 2: $(cat "$T/published")"
grep -q '"idle_seconds":2,' "$T/published" && grep -q '"idle_seconds":45,' "$T/published" ||
  fail "the loop published: $(cat "$T/published")"
echo "activity script: 4 checks passed"
