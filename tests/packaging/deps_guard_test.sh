#!/usr/bin/env bash
# The deps guard: fails when the build or the tests use something scripts/deps.sh does not
# install. It takes what the configure run recorded (cmake/record_found.cmake: package configs,
# libraries, programs, pkg-config .pc files) plus the programs the scripts and tests call, asks
# dpkg which package owns each, and checks that the package is in deps.sh's list or is pulled in
# (Depends/Pre-Depends, recursively) by one listed there.
#
# Usage: deps_guard_test.sh BUILD_DIR SOURCE_DIR
# Env: DESKD_DEPS_GUARD_DROP="pkg ..." removes packages from deps.sh's list first (the self-test
#      shows the guard going red without libboost-json1.81-dev).
# Exit: 0 all covered, 1 something is not covered, 77 not a dpkg system.
set -uo pipefail
build=${1:?build dir}; src=${2:?source dir}
command -v dpkg-query >/dev/null || { echo "deps_guard: SKIPPED: no dpkg"; exit 77; }

# Programs the scripts and tests run, by the set that must provide them.
build_tools=(cmake make c++ pkg-config mosquitto)
test_tools=(mosquitto_pub mosquitto_sub mosquitto_passwd curl chromium dpkg-deb dpkg-shlibdeps
            fakeroot file systemd-analyze cpack gpioset gpioget timeout clang-format dbus-daemon)

listed() {  # deps.sh's list for a set, minus the dropped packages
  "$src/scripts/deps.sh" --list "$1" | grep -vxF -f <(printf '%s\n' ${DESKD_DEPS_GUARD_DROP:-} "") 
}

# Installed packages reachable from the given ones through Depends/Pre-Depends (alternatives:
# every installed alternative counts; virtual packages: their installed providers).
closure() {
  dpkg-query -W -f='${Package}\t${Status}\t${Depends}, ${Pre-Depends}\t${Provides}\n' 2>/dev/null |
    awk -F'\t' -v roots="$*" '
      function clean(s) { sub(/\(.*$/, "", s); gsub(/[ \t]/, "", s); sub(/:.*$/, "", s); return s }
      $2 ~ /install ok installed/ {
        inst[$1] = 1; deps[$1] = $3
        n = split($4, pv, ","); for (i = 1; i <= n; i++) { v = clean(pv[i]); if (v != "") prov[v] = prov[v] " " $1 }
      }
      END {
        n = split(roots, q, " "); head = 1
        for (i = 1; i <= n; i++) seen[q[i]] = 1
        while (head <= n) {
          p = q[head++]; print p
          m = split(deps[p], d, ",")
          for (j = 1; j <= m; j++) {
            k = split(d[j], alt, "|")
            for (a = 1; a <= k; a++) {
              name = clean(alt[a]); if (name == "") continue
              cands = (name in inst) ? name : prov[name]
              c = split(cands, cs, " ")
              for (x = 1; x <= c; x++) if (!(cs[x] in seen)) { seen[cs[x]] = 1; q[++n] = cs[x] }
            }
          }
        }
      }'
}

# One dpkg-query -S for every path and its variants (following links; usrmerge: /usr/lib and
# /lib both tried): "path<TAB>package" lines in $owners.
declare -A owners=()
lookup_owners() {
  local q=() p real
  for p in "$@"; do
    real=$(readlink -f "$p" 2>/dev/null || echo "$p")
    q+=("$p" "$real" "${p#/usr}" "${real#/usr}")
  done
  local line pkgs path
  while IFS= read -r line; do
    pkgs=${line%%: /*}; path=${line#"$pkgs: "}
    owners[$path]=$(echo "${pkgs%%,*}" | sed 's/:.*//')
  done < <(dpkg-query -S "${q[@]}" 2>/dev/null | grep -v '^diversion')
}
owner() {
  local p real
  real=$(readlink -f "$1" 2>/dev/null || echo "$1")
  for p in "$1" "$real" "${1#/usr}" "${real#/usr}"; do
    [ -n "${owners[$p]:-}" ] && { echo "${owners[$p]}"; return 0; }
  done
  return 1
}

fail=0
check_set() {  # set-name file-of-paths tool...
  local set=$1 paths=$2; shift 2
  local -A ok=()
  local roots
  # Essential packages (coreutils, dpkg, bash, ...) are on every Debian system.
  roots="$(listed "$set" | tr '\n' ' ') $(dpkg-query -W -f='${Package} ${Essential}\n' | awk '$2 == "yes" {printf "%s ", $1}')"
  while read -r p; do ok[$p]=1; done < <(closure $roots)
  local items=()
  [ -f "$paths" ] && mapfile -t items < <(grep -v '^$' "$paths")
  local t
  for t in "$@"; do
    if command -v "$t" >/dev/null; then items+=("$(command -v "$t")"); else items+=("missing-program:$t"); fi
  done
  local item pkg
  lookup_owners $(printf '%s\n' "${items[@]}" | grep -v '^missing-')
  for item in "${items[@]}"; do
    case $item in
      missing-*) echo "deps_guard: FAIL ($set): $item is not on this machine"; fail=1; continue ;;
    esac
    if ! pkg=$(owner "$item"); then
      echo "deps_guard: FAIL ($set): $item belongs to no Debian package (installed by hand?)"; fail=1
    elif [ -z "${ok[$pkg]:-}" ]; then
      echo "deps_guard: FAIL ($set): $item is from '$pkg', which scripts/deps.sh $set neither lists nor pulls in"
      fail=1
    else
      echo "deps_guard: ok ($set): $item <- $pkg"
    fi
  done
}

[ -s "$build/deps-found-build.txt" ] || { echo "deps_guard: FAIL: $build/deps-found-build.txt missing (configure first)"; exit 1; }
check_set build "$build/deps-found-build.txt" "${build_tools[@]}"
if [ -f "$build/deps-found-test.txt" ]; then
  check_set test "$build/deps-found-test.txt" "${test_tools[@]}"
fi
# Node.js and npm: deps.sh installs Debian's only when none is on the PATH; any one will do.
for t in node npm; do command -v $t >/dev/null || { echo "deps_guard: FAIL: $t missing"; fail=1; }; done
[ $fail = 0 ] && echo "deps_guard: PASS: everything the build and the tests use comes from scripts/deps.sh"
exit $fail
