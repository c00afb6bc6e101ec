#!/usr/bin/env bash
# Builds the decompression fuzz target with clang (libFuzzer + ASan + UBSan)
# in build/fuzz and runs it for a short, bounded time over a seed corpus made
# here (an LZ4 frame, a gzip member, their truncations and a concatenation).
# Prints "fuzz: 1 passed, 0 failed" or "fuzz: 0 passed, 1 failed".
#   tests/fuzz/run.sh [SECONDS]     (default 20)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-20}
build="$root/build/fuzz"
fail() { echo "$1" >&2; echo "fuzz: 0 passed, 1 failed"; exit 1; }
command -v clang++ >/dev/null || fail "clang++ not found"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DHOTPATH_BUILD_FUZZ=ON -DHOTPATH_BUILD_TESTS=OFF -DHOTPATH_BUILD_EXAMPLES=OFF \
  -DHOTPATH_BUILD_STATIC=OFF >"$build.log" 2>&1 || { cat "$build.log"; fail "fuzz: configure failed"; }
cmake --build "$build" -j2 --target hotpath_fuzz_decompress >>"$build.log" 2>&1 ||
  { tail -30 "$build.log"; fail "fuzz: build failed"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seeds="$work/seeds"
mkdir -p "$seeds"
sample="# Notes\n\nThe agent stored a memory about compression frames. 2026-11-25\n- item one\n- item two\n"
for i in 1 2 3 4 5 6; do sample="$sample$sample"; done
printf "$sample" >"$work/plain"
if command -v lz4 >/dev/null; then
  lz4 -q -c "$work/plain" >"$seeds/frame.lz4"
  lz4 -q -c -BD -B4 --content-size "$work/plain" >"$seeds/linked.lz4"
fi
gzip -c "$work/plain" >"$seeds/member.gz"
for f in "$seeds"/*; do
  size=$(stat -c %s "$f")
  head -c $((size / 2)) "$f" >"$f.half"
  head -c 11 "$f" >"$f.head"
done
cat "$seeds"/frame.lz4 "$seeds"/member.gz >"$seeds/concat" 2>/dev/null || true

# ASan with leak checks; UBSan aborts on the first finding.
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
if "$build/tests/fuzz/hotpath_fuzz_decompress" -max_total_time="$secs" -max_len=65536 \
     -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "$seeds" >"$work/fuzz.log" 2>&1; then
  grep -E "stat::number_of_executed_units|Done" "$work/fuzz.log" | tail -2
  echo "fuzz: 1 passed, 0 failed"
else
  tail -40 "$work/fuzz.log"
  echo "fuzz: 0 passed, 1 failed"
  exit 1
fi
