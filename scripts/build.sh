#!/usr/bin/env bash
# Configure and build hotpath into build/ (Release).  Extra arguments go to
# cmake's configure step, e.g. scripts/build.sh -DHOTPATH_BUILD_BENCH=ON
# Prints one line per step; the compiler's progress lines ("[ 42%] Building ...")
# follow; HOTPATH_QUIET_BUILD=1 prints nothing unless a step fails, and a failing
# step shows its whole output.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
build=${HOTPATH_BUILD_DIR:-$root/build}
quiet=${HOTPATH_QUIET_BUILD:-0}
say() { [ "$quiet" = 1 ] || echo "build: $*" >&2; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
say "configuring $build"
if ! cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release "$@" > "$log" 2>&1; then
  cat "$log" >&2
  echo "build: configuring failed" >&2
  exit 1
fi
say "compiling with $(nproc 2>/dev/null || echo 2) jobs"
if [ "$quiet" = 1 ]; then
  if ! cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" > "$log" 2>&1; then
    cat "$log" >&2
    echo "build: compiling failed" >&2
    exit 1
  fi
else
  cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)"
fi
say done
