#!/usr/bin/env bash
# Fails if a C++ file of daemon/ or tests/ is not as clang-format (the repository's .clang-format:
# Google base, 100 columns) would write it; names the files. Run by CTest as `format`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
command -v clang-format >/dev/null || { echo "check-format: clang-format missing (scripts/deps.sh test installs it)" >&2; exit 1; }
# Another major version formats some constructs differently: the tree is kept as Debian 12's
# clang-format 14 writes it (what deps.sh installs); elsewhere the check is skipped, not failed.
major=$(clang-format --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
if [ "$major" != 14 ]; then
  echo "check-format: SKIPPED: clang-format ${major:-?} is not Debian 12's 14"
  exit 77
fi
mapfile -t files < <(find daemon tests \( -name '*.cpp' -o -name '*.h' \) -not -path '*/node_modules/*' | sort)
bad=$(clang-format --dry-run "${files[@]}" 2>&1 | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: warning: code should be clang-formatted.*/\1/p' | sort -u)
if [ -n "$bad" ]; then
  echo "check-format: not clang-formatted (run: clang-format -i FILE):"
  echo "$bad"
  exit 1
fi
echo "check-format: ${#files[@]} files as clang-format writes them"
