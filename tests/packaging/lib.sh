# Helpers shared by the packaging test scripts (sourced, not run).

# Prints what is checked, and fails the test with a message.
check() { printf 'check: %s\n' "$*"; }
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

# A scratch directory removed when the script exits.
make_scratch() {
  SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/deskd-pkg-XXXXXX")
  trap 'rm -rf "$SCRATCH"' EXIT
}

# expect_mode PATH MODE: PATH exists as a regular file with octal permissions MODE.
expect_mode() {
  local path=$1 mode=$2
  check "$path exists with mode $mode"
  [ -f "$path" ] || fail "missing file $path"
  local actual
  actual=$(stat -c '%a' "$path")
  [ "$actual" = "$mode" ] || fail "$path has mode $actual, expected $mode"
}

# check_unit UNIT_FILE DESKD_BINARY: the unit passes `systemd-analyze verify` without a word and
# `systemd-analyze security --offline=true` rates it at exposure <= 2.0. verify requires the
# ExecStart binary to exist, so a copy whose /usr/bin/deskd points at DESKD_BINARY is checked.
check_unit() {
  local unit=$1 binary=$2
  command -v systemd-analyze >/dev/null || fail "systemd-analyze is not installed"
  [ -x "$binary" ] || fail "deskd binary $binary is missing (build the deskd target first)"
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/deskd-unit-XXXXXX")
  sed "s#/usr/bin/deskd#${binary}#g" "$unit" >"$dir/deskd.service"

  check "the unit has the directives issue 7 requires"
  local directive
  for directive in 'Type=notify' 'WatchdogSec=10s' 'Restart=on-failure' \
    "ExecStart=${binary} --config /etc/deskd/deskd.toml" \
    'ExecReload=/bin/kill -HUP $MAINPID' \
    "ExecStopPost=${binary} --safe-stop --config /etc/deskd/deskd.toml" \
    'After=network-online.target time-sync.target' 'Wants=network-online.target' \
    'StateDirectory=deskd' 'ConfigurationDirectory=deskd' 'User=deskd' \
    'SupplementaryGroups=gpio' 'SupplementaryGroups=bluetooth' 'DevicePolicy=closed' 'DeviceAllow=char-gpiochip rw' \
    'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' 'NoNewPrivileges=yes' \
    'CapabilityBoundingSet=' 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' \
    'SystemCallFilter=@system-service' 'MemoryDenyWriteExecute=yes'; do
    grep -qxF -- "$directive" "$dir/deskd.service" || fail "unit lacks the line: $directive"
  done

  check "systemd-analyze verify is clean"
  local out rc=0
  out=$(systemd-analyze verify "$dir/deskd.service" 2>&1) || rc=$?
  [ -z "$out" ] || printf '%s\n' "$out"
  [ "$rc" -eq 0 ] || fail "systemd-analyze verify exited with $rc"
  [ -z "$out" ] || fail "systemd-analyze verify printed diagnostics"

  check "systemd-analyze security --offline=true rates exposure <= 2.0"
  out=$(systemd-analyze security --offline=true "$dir/deskd.service" 2>&1) || true
  local exposure
  exposure=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for deskd.service: \([0-9.]*\).*/\1/p')
  [ -n "$exposure" ] || {
    printf '%s\n' "$out"
    fail "no exposure level in systemd-analyze security output"
  }
  printf 'exposure level: %s\n' "$exposure"
  awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' || fail "exposure $exposure > 2.0"
  rm -rf "$dir"
}

# expect_layout ROOT ETC: the files every install has, ROOT being the prefix (…/usr for the
# package) and ETC the directory holding deskd/deskd.toml.
expect_layout() {
  local root=$1 etc=$2 source_dir=$3
  expect_mode "$root/bin/deskd" 755
  expect_mode "$etc/deskd/deskd.toml" 644
  check "installed deskd.toml is the shipped config/deskd.toml"
  cmp -s "$etc/deskd/deskd.toml" "$source_dir/config/deskd.toml" || fail "deskd.toml differs"
  expect_mode "$root/lib/systemd/system/deskd.service" 644
  expect_mode "$root/lib/sysusers.d/deskd.conf" 644
  expect_mode "$root/lib/tmpfiles.d/deskd.conf" 644
  expect_mode "$root/lib/udev/rules.d/60-deskd-gpio.rules" 644
  check "sysusers.d creates user deskd in group gpio"
  grep -Eq '^u +deskd ' "$root/lib/sysusers.d/deskd.conf" || fail "no deskd user"
  grep -Eq '^g +gpio ' "$root/lib/sysusers.d/deskd.conf" || fail "no gpio group"
  grep -Eq '^m +deskd +gpio' "$root/lib/sysusers.d/deskd.conf" || fail "deskd not in gpio"
  check "sysusers.d puts deskd in group bluetooth (BlueZ's D-Bus policy, [ble])"
  grep -Eq '^m +deskd +bluetooth' "$root/lib/sysusers.d/deskd.conf" || fail "deskd not in bluetooth"
  check "udev rule gives group gpio the gpiochips"
  grep -qF 'SUBSYSTEM=="gpio", KERNEL=="gpiochip*", GROUP="gpio", MODE="0660"' \
    "$root/lib/udev/rules.d/60-deskd-gpio.rules" || fail "udev rule content"
  local doc
  for doc in install.md setup.md examples/relays-timed.toml examples/hbridge-encoder.toml \
    mosquitto/mosquitto.conf mosquitto/deskd.acl; do
    expect_mode "$root/share/doc/deskd/$doc" 644
  done
  expect_mode "$root/share/doc/deskd/activity/deskd-activity.sh" 755
  if [ -f "$source_dir/web/dist/index.html" ]; then
    expect_mode "$root/share/deskd/web/index.html" 644
  else
    check "web/dist is not built: no dashboard files expected"
    [ ! -e "$root/share/deskd/web" ] || fail "unexpected $root/share/deskd/web"
  fi
}
