#!/usr/bin/env bash
# Configure and build hotpath into build/ (Release).  Extra arguments go to
# cmake's configure step, e.g. scripts/build.sh -DHOTPATH_BUILD_BENCH=ON
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
build=${HOTPATH_BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)"
