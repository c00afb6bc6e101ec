#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (libFuzzer + ASan + UBSan) in
# build/fuzz and runs each for a short, bounded time from its committed seed
# corpus (tests/fuzz/corpus/<target>/).  New inputs go to a temporary folder,
# never into the checkout; an input that fails is kept as
# build/fuzz/artifacts/<target>-crash-... (rerun it: build/fuzz/tests/fuzz/hotpath_fuzz_<target> FILE).
# Prints one line per target and "fuzz: N passed, M failed".
#   tests/fuzz/run.sh                 every target, 5 s each (the test command's run)
#   tests/fuzz/run.sh 300             every target, 300 s each
#   tests/fuzz/run.sh 60 glob corpus  the named targets only
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-5}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(decompress glob utf8 summary corpus memory search_index)
build="$root/build/fuzz"
fail() { echo "$1" >&2; echo "fuzz: 0 passed, ${#targets[@]} failed"; exit 1; }
case "$secs" in '' | *[!0-9]*) fail "tests/fuzz/run.sh: SECONDS must be a whole number, not '$secs'" ;; esac
command -v clang++ >/dev/null || fail "clang++ not found (scripts/setup.sh installs clang)"
mkdir -p "$build"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DHOTPATH_BUILD_FUZZ=ON -DHOTPATH_BUILD_TESTS=OFF -DHOTPATH_BUILD_EXAMPLES=OFF \
  -DHOTPATH_BUILD_STATIC=OFF >"$build.log" 2>&1 || { cat "$build.log"; fail "fuzz: configure failed"; }
build_targets=()
for t in "${targets[@]}"; do build_targets+=(--target "hotpath_fuzz_$t"); done
cmake --build "$build" -j2 "${build_targets[@]}" >>"$build.log" 2>&1 ||
  { tail -30 "$build.log"; fail "fuzz: build failed"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts="$build/artifacts"
mkdir -p "$artifacts"
# ASan with leak checks; UBSan aborts on the first finding.  The memory target
# makes its folder of files under TMPDIR, which the trap removes.
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export TMPDIR="$work"
passed=0
failed=0
for t in "${targets[@]}"; do
  bin="$build/tests/fuzz/hotpath_fuzz_$t"
  seeds="$root/tests/fuzz/corpus/$t"
  found="$work/found-$t"
  mkdir -p "$found"
  [ -d "$seeds" ] || { echo "fuzz $t: no seed corpus $seeds"; failed=$((failed + 1)); continue; }
  # Each target ignores inputs above its own size limit: do not make them.
  case "$t" in glob) max_len=512 ;; utf8 | summary) max_len=4096 ;; corpus | memory) max_len=8192 ;; search_index) max_len=16384 ;;
    *) max_len=65536 ;; esac
  start=$(date +%s)
  if "$bin" -max_total_time="$secs" -max_len="$max_len" -rss_limit_mb=2048 -timeout=10 \
       -print_final_stats=1 -artifact_prefix="$artifacts/$t-" "$found" "$seeds" \
       >"$work/$t.log" 2>&1; then
    runs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$work/$t.log" | grep -oE '[0-9]+$')
    cov=$(grep -oE 'cov: [0-9]+' "$work/$t.log" | tail -1)
    echo "fuzz $t: ok, ${runs:-?} inputs in $(($(date +%s) - start)) s (${cov:-cov: ?}, $(ls "$seeds" | wc -l) seeds)"
    passed=$((passed + 1))
  else
    tail -40 "$work/$t.log"
    echo "fuzz $t: FAILED (input kept in $artifacts)"
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
