#!/usr/bin/env bash
# The Debian package builds with cpack, is named deskd_<version>_<arch>.deb, carries its
# dependencies, conffiles and maintainer scripts, and unpacks into a scratch root with the
# expected files and modes; the packaged unit passes the systemd checks.
# usage: deb_package_test.sh BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
build_dir=$1
source_dir=$2
version=$3
. "$(dirname "$0")/lib.sh"
make_scratch
command -v dpkg-deb >/dev/null || fail "dpkg-deb is not installed"
command -v dpkg-shlibdeps >/dev/null || fail "dpkg-shlibdeps is not installed (apt install dpkg-dev)"
arch=$(dpkg --print-architecture)

check "cpack -G DEB builds the package"
(cd "$build_dir" && cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$SCRATCH/pkg") \
  >"$SCRATCH/cpack.log" 2>&1 || {
  cat "$SCRATCH/cpack.log"
  fail "cpack failed"
}
deb="$SCRATCH/pkg/deskd_${version}_${arch}.deb"
check "the package file is named $(basename "$deb")"
[ -f "$deb" ] || {
  ls -l "$SCRATCH/pkg"
  fail "no $deb"
}

check "control fields: Package, Version, Architecture, Depends"
[ "$(dpkg-deb -f "$deb" Package)" = deskd ] || fail "Package is not deskd"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version is not $version"
[ "$(dpkg-deb -f "$deb" Architecture)" = "$arch" ] || fail "Architecture is not $arch"
depends=$(dpkg-deb -f "$deb" Depends)
printf 'Depends: %s\n' "$depends"
grep -q 'libc6' <<<"$depends" || fail "Depends lacks libc6 (shlibdeps did not run)"
grep -q 'systemd' <<<"$depends" || fail "Depends lacks systemd"

check "control archive holds conffiles, md5sums and executable maintainer scripts"
dpkg-deb --ctrl-tarfile "$deb" | tar -tvf - >"$SCRATCH/control.list"
cat "$SCRATCH/control.list"
for script in postinst prerm postrm; do
  grep -Eq "^-rwxr-xr-x .* \./${script}$" "$SCRATCH/control.list" || fail "$script missing or not 0755"
done
grep -Eq ' \./md5sums$' "$SCRATCH/control.list" || fail "no md5sums"
mkdir -p "$SCRATCH/control"
dpkg-deb -e "$deb" "$SCRATCH/control"
check "conffiles lists /etc/deskd/deskd.toml"
grep -qx '/etc/deskd/deskd.toml' "$SCRATCH/control/conffiles" || fail "conffiles: $(cat "$SCRATCH/control/conffiles")"
check "postinst creates the user (sysusers), applies tmpfiles and reloads systemd"
grep -q 'systemd-sysusers' "$SCRATCH/control/postinst" || fail "postinst lacks systemd-sysusers"
grep -q 'systemd-tmpfiles --create' "$SCRATCH/control/postinst" || fail "postinst lacks tmpfiles"
grep -q 'daemon-reload' "$SCRATCH/control/postinst" || fail "postinst lacks daemon-reload"
sh -n "$SCRATCH/control/postinst" || fail "postinst is not valid sh"

check "data archive: every entry is owned by root and lies under /usr or /etc/deskd"
dpkg-deb -c "$deb" >"$SCRATCH/data.list"
awk '$2 != "root/root" { print; bad = 1 } END { exit bad }' "$SCRATCH/data.list" || fail "entries not owned by root"
awk '{ print $6 }' "$SCRATCH/data.list" | grep -Ev '^\./$|^\./usr/|^\./etc/$|^\./etc/deskd/' &&
  fail "entries outside /usr and /etc/deskd" || true

check "dpkg -x into a scratch root"
dpkg -x "$deb" "$SCRATCH/root"
expect_layout "$SCRATCH/root/usr" "$SCRATCH/root/etc" "$source_dir"

check_unit "$SCRATCH/root/usr/lib/systemd/system/deskd.service" "$SCRATCH/root/usr/bin/deskd"
echo "PASS"
