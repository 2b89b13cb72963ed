#!/usr/bin/env bash
# Runs one fuzz target of the sanitizer tree for a bounded time on its committed corpus; fails
# (exit 1) on a crash, a leak, a timeout or a broken invariant, and keeps the input that did it
# in tests/out/fuzz/<name>/. New inputs go to a scratch directory, never into the corpus.
# Usage: tests/fuzz/run.sh <name> [seconds=20] [extra libFuzzer flags]   (e.g. run.sh command 60)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
tree=${DESKD_SANITIZE_DIR:-$here/build-sanitize}
name=${1:?usage: run.sh <name> [seconds]}
seconds=${2:-20}
shift $(( $# < 2 ? $# : 2 ))
bin=$tree/tests/fuzz/deskd_${name}_fuzz
[ -x "$bin" ] || { echo "fuzz: $bin is not built (scripts/sanitize.sh build)" >&2; exit 2; }
out=$here/tests/out/fuzz/$name
scratch=$(mktemp -d "${TMPDIR:-/tmp}/deskd-fuzz-$name.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$out"
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
corpus=$here/tests/fuzz/corpus/$name
dict=$here/tests/fuzz/$name.dict
args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
      -artifact_prefix="$out/")
[ -f "$dict" ] && args+=(-dict="$dict")
cd "$scratch"
"$bin" "${args[@]}" "$@" "$scratch" "$corpus"
