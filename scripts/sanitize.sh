#!/usr/bin/env bash
# The clang sanitizer tree (build-sanitize/): one build with clang-14, ASan + UBSan and
# libFuzzer's coverage instrumentation, shared by the fuzz targets (tests/fuzz/) and the
# sanitized unit and integration tests. CTest in the normal build calls it (labels sanitize and
# fuzz); it also works by hand.
# Usage: scripts/sanitize.sh build | unit | integration [extra ctest arguments]
#   build        configures and builds the daemon, the unit and integration tests and the fuzzers
#   unit         runs the unit tests in the tree (not the dashboard's npm tests)
#   integration  runs the integration tests (the real deskd binary, sanitized, and mosquitto),
#                but for two that assert native timing and memory (see below)
# Every process writes its sanitizer reports to a log directory; any report fails the run, also
# one from a deskd child process whose exit status a test does not look at.
# Environment: DESKD_SANITIZE_DIR (default build-sanitize), DESKD_SANITIZE (default
# address,undefined; a thread tree wants its own DESKD_SANITIZE_DIR and builds no fuzzers),
# DESKD_JOBS (default nproc).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tree=${DESKD_SANITIZE_DIR:-$here/build-sanitize}
sanitizers=${DESKD_SANITIZE:-address,undefined}
jobs=${DESKD_JOBS:-$(nproc)}
what=${1:-}
[ $# -gt 0 ] && shift

build() {
  command -v clang++-14 >/dev/null || { echo "sanitize: clang++-14 is missing (scripts/deps.sh test)" >&2; exit 2; }
  local fuzz=ON
  [[ $sanitizers == *thread* ]] && fuzz=OFF  # libFuzzer does not combine with TSan
  # -O1 and line tables only: the sanitizers need no more, and the cold build stays short
  # (DESKD_SANITIZE_FLAGS="-O0 -gline-tables-only" compiles in about half the CPU time, and the
  # tests and fuzzers then run slower).
  cmake -S "$here" -B "$tree" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_C_COMPILER=clang-14 \
        -DCMAKE_BUILD_TYPE=Sanitize \
        -DCMAKE_CXX_FLAGS_SANITIZE="${DESKD_SANITIZE_FLAGS:--O1 -gline-tables-only}" \
        -DCMAKE_C_FLAGS_SANITIZE="${DESKD_SANITIZE_FLAGS:--O1 -gline-tables-only}" \
        -DDESKD_SANITIZE="$sanitizers" \
        -DDESKD_FUZZ=$fuzz >/dev/null
  local targets=(deskd_test_binaries)
  [ $fuzz = ON ] && targets+=(deskd_fuzzers)
  cmake --build "$tree" -j"$jobs" --target "${targets[@]}"
}

# Runs ctest in the tree with the sanitizers' reports collected in $tree/sanitizer-logs.
run_ctest() {
  local logs=$tree/sanitizer-logs/$what
  rm -rf "$logs" && mkdir -p "$logs"
  export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=1:strict_init_order=1:check_initialization_order=1:detect_stack_use_after_return=1:log_path=$logs/asan"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan"
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:log_path=$logs/tsan"
  local rc=0
  (cd "$tree" && ctest --output-on-failure --timeout 600 -j"${DESKD_CTEST_JOBS:-1}" "$@") || rc=$?
  local reports
  reports=$(find "$logs" -type f -size +0 | sort)
  if [ -n "$reports" ]; then
    echo "sanitize: sanitizer reports in $logs:" >&2
    for r in $reports; do echo "==== $r" >&2; head -n 60 "$r" >&2; done
    rc=1
  fi
  return $rc
}

case $what in
  build) build ;;
  unit) run_ctest -L unit -E '^(web_unit|core_is_pure|folder_dependencies|format)$' "$@" ;;
  # Two integration tests assert native-build properties the sanitized daemon cannot have: the
  # flood test's RSS bound (ASan keeps freed memory in a quarantine and adds shadow memory) and
  # the simulated working day at --time-scale 300 (a 2-5x slower daemon turns scheduling delays
  # into 300x longer simulated gaps, read as stalls; it flakes natively too on a loaded machine).
  # Four later suites are timing- or preload-bound and also run only in the normal tree: the
  # power cuts and the clock jumps (hundreds of restarts / x120 time under load), the bus desk
  # (stale_ms of 500 ms against a 2-5x slower daemon) and the disk faults (LD_PRELOAD shims).
  # The working morning with a meeting (MqttActivity, x120) is the working day's kind: a stop
  # written 5 ms late is 600 ms of desk travel at x120. On the fresh machine at b777125 (2026-12-07)
  # its sanitized daemon stopped a 477 mm move 30 ms after starting it, past the 720 mm target and
  # on the bottom limit (a fault); it runs in the normal tree. The Bluetooth desk's timing tests
  # (the go-to within 3 mm, stale_ms measured to 300 ms, the x4 simulated desk) are the bus desk's
  # kind; its fault, handset, reconnect and scan tests run here. Every other integration test runs
  # here.
  integration) run_ctest -L integration -E '^(MqttFlood\.FiveThousand.*|ScheduleWorkingDay\..*|MqttActivity\.AMorningWithAMeetingAndPausesAddsUp|PowerCut\..*|ClockJump\..*|Protocols/BusDesk\..*|BleDesk\.(AGoTo|AHeightOlderThanStaleMs|SimulateRuns).*|Faults/StorageFaults\..*)$' "$@" ;;
  *) sed -n '2,15p' "$0" >&2; exit 2 ;;
esac
