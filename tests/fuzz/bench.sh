#!/usr/bin/env bash
# The fuzz benchmark: runs every fuzz target of the sanitizer tree for a number of executions
# (default 1,000,000) starting from its committed corpus, two at a time, and prints one row per
# target: executions, executions per second, coverage (libFuzzer's cov = edges, ft = features),
# the corpus it grew to and the crashes (libFuzzer stops at the first; the input is kept in
# tests/out/fuzz/<name>/). Not part of CI (it takes tens of minutes); exits 1 if any target crashed.
# Usage: tests/fuzz/bench.sh [runs] [name...]     (needs scripts/sanitize.sh build first)
# DESKD_FUZZ_BENCH_MAX_SECONDS caps each run (a capped target shows fewer execs than asked).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
tree=${DESKD_SANITIZE_DIR:-$here/build-sanitize}
runs=${1:-1000000}
[ $# -gt 0 ] && shift
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in "$here"/tests/fuzz/*_fuzz.cpp; do n=$(basename "$f" _fuzz.cpp); names+=("$n"); done
fi
logs=$(mktemp -d "${TMPDIR:-/tmp}/deskd-fuzz-bench.XXXXXX")
trap 'rm -rf "$logs"' EXIT

one() {  # name: runs it, leaves its log in $logs/name.log and its exit code in $logs/name.rc
  local name=$1 rc=0
  bash "$here/tests/fuzz/run.sh" "$name" "${DESKD_FUZZ_BENCH_MAX_SECONDS:-100000}" -runs="$runs" >"$logs/$name.log" 2>&1 || rc=$?
  echo $rc >"$logs/$name.rc"
}

running=0
for name in "${names[@]}"; do
  one "$name" &
  running=$((running + 1))
  if [ $running -ge "${DESKD_JOBS:-2}" ]; then wait -n; running=$((running - 1)); fi
done
wait

printf '%-18s %10s %9s %7s %7s %8s %7s\n' target execs execs/s cov ft corpus crashes
failed=0
for name in "${names[@]}"; do
  log=$logs/$name.log
  execs=$(sed -n 's/^stat::number_of_executed_units: //p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: //p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")
  crashes=0
  if [ "$(cat "$logs/$name.rc")" != 0 ]; then
    crashes=1 failed=1
    cp "$log" "$here/tests/out/fuzz/$name/bench.log"
  fi
  printf '%-18s %10s %9s %7s %7s %8s %7s\n' "$name" "${execs:-?}" "${speed:-?}" "${cov:-?}" \
         "${ft:-?}" "${corp:-?}" "$crashes"
done
exit $failed
