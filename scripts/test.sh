#!/usr/bin/env bash
# THE test command: installs what is missing, builds, then runs ctest (Catch2,
# C consumers, symbol check, zero-allocation test), pytest once per Python
# backend (python, ctypes, cffi), the install test and a short libFuzzer run
# of every tests/fuzz target (when clang++ is present).  Exits non-zero on any
# failure and ends with one summary line.
#   scripts/test.sh              everything above
#   scripts/test.sh --sanitize   also: ctest under ASan+UBSan (build/sanitize), pytest (ctypes)
#                                against that library, ctest under TSan (build/tsan, clang)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
py=${PYTHON:-/usr/bin/python3}
sanitize=0
for a in "$@"; do
  case "$a" in
    --sanitize) sanitize=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown option $a" >&2; exit 2 ;;
  esac
done

"$root/scripts/setup.sh" || { echo "test.sh: setup failed" >&2; exit 1; }

passed=0
failed=0
suites_failed=()
count() {  # count SUITE LOGFILE STATUS: add "N passed / N failed" from a runner's closing line
  local p f last
  last=$(grep -E '[0-9]+ (passed|failed|errors?)' "$2" | tail -1)
  p=$(grep -oE '[0-9]+ passed' <<<"$last" | grep -oE '[0-9]+' || true)
  # "2 failed, 1 error" counts 3.
  f=0
  for n in $(grep -oE '[0-9]+ (failed|errors?)' <<<"$last" | grep -oE '[0-9]+'); do f=$((f + n)); done
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  if [ "$3" -ne 0 ]; then
    suites_failed+=("$1")
    [ "${f:-0}" -eq 0 ] && failed=$((failed + 1))  # a crash or a build error counts once
  fi
}
count_ctest() {  # count_ctest SUITE LOGFILE STATUS: ctest closes on "... M tests failed out of T"
  local t f
  t=$(grep -oE 'out of [0-9]+' "$2" | tail -1 | grep -oE '[0-9]+' || echo 0)
  f=$(grep -oE '[0-9]+ tests failed' "$2" | tail -1 | grep -oE '^[0-9]+' || echo 0)
  passed=$((passed + t - f))
  failed=$((failed + f))
  if [ "$3" -ne 0 ]; then
    suites_failed+=("$1")
    [ "$f" -eq 0 ] && failed=$((failed + 1))
  fi
}
logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT

echo "== build (Release)"
if ! "$root/scripts/build.sh" -DHOTPATH_BUILD_TESTS=ON -DHOTPATH_BUILD_EXAMPLES=ON > "$logdir/build.log" 2>&1; then
  cat "$logdir/build.log"; echo "test.sh: build failed"; echo "0 passed, 1 failed"; exit 1
fi

echo "== ctest"
(cd build && ctest --output-on-failure -j2) 2>&1 | tee "$logdir/ctest.log"
count_ctest ctest "$logdir/ctest.log" "${PIPESTATUS[0]}"

for backend in python ctypes cffi; do
  echo "== pytest (backend: $backend)"
  HOTPATH_BACKEND=$backend HOTPATH_REQUIRE_BACKEND=1 "$py" -m pytest -q -p no:cacheprovider tests/python \
    2>&1 | tee "$logdir/pytest-$backend.log"
  count "pytest-$backend" "$logdir/pytest-$backend.log" "${PIPESTATUS[0]}"
done

echo "== install test"
sys_install=0
[ "${CI:-}" = true ] && [ "$(id -u)" = 0 ] && sys_install=1
HOTPATH_TEST_SYSTEM_INSTALL=${HOTPATH_TEST_SYSTEM_INSTALL:-$sys_install} PYTHON="$py" \
  "$root/tests/install/run.sh" 2>&1 | tee "$logdir/install.log"
count install "$logdir/install.log" "${PIPESTATUS[0]}"

echo "== fuzz (every tests/fuzz target, libFuzzer + ASan + UBSan, bounded run)"
if command -v clang++ >/dev/null; then
  "$root/tests/fuzz/run.sh" 2>&1 | tee "$logdir/fuzz.log"
  count fuzz "$logdir/fuzz.log" "${PIPESTATUS[0]}"
else
  echo "  skipped: clang++ not found"
fi

if [ "$sanitize" = 1 ]; then
  echo "== ctest under AddressSanitizer + UndefinedBehaviorSanitizer"
  # The same settings as the CMake preset "sanitize" (CMakePresets.json).
  san_built=0
  if HOTPATH_BUILD_DIR="$root/build/sanitize" "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=Debug \
       -DHOTPATH_SANITIZE=ON -DHOTPATH_BUILD_STATIC=OFF > "$logdir/san-build.log" 2>&1; then
    san_built=1
    (cd build/sanitize && ctest --output-on-failure -j2) 2>&1 | tee "$logdir/san.log"
    count_ctest sanitize "$logdir/san.log" "${PIPESTATUS[0]}"
  else
    cat "$logdir/san-build.log"; suites_failed+=(sanitize-build); failed=$((failed + 1))
  fi

  echo "== pytest (backend: ctypes) against the ASan+UBSan library"
  # python3 itself is not instrumented: the ASan runtime must be the first
  # library loaded, hence LD_PRELOAD (of the compiler that built build/sanitize).
  # libstdc++ is preloaded too: python3 does not link it, and ASan resolves the
  # real __cxa_throw when it starts, so without it the library's first C++
  # exception dies in a CHECK of ASan's interceptor.  PYTHONMALLOC=malloc puts
  # Python's buffers on ASan's heap, so that reading past a bytes object is
  # caught; the interpreter's own leaks at exit are not ours (detect_leaks=0).
  # Reports go to files (pytest captures stderr) and are shown here.
  san_cache=build/sanitize/CMakeCache.txt
  san_cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$san_cache" 2>/dev/null)
  san_cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$san_cache" 2>/dev/null)
  asan_rt=$("${san_cc:-cc}" -print-file-name=libasan.so 2>/dev/null)
  stdcxx_rt=$("${san_cxx:-c++}" -print-file-name=libstdc++.so 2>/dev/null)
  mkdir -p "$logdir/asan"
  if [ "$san_built" = 1 ] && [ -f "$asan_rt" ] && [ -f "$stdcxx_rt" ]; then
    # The call-overhead guard compares timings, which instrumentation distorts.
    LD_PRELOAD="$asan_rt $stdcxx_rt" PYTHONMALLOC=malloc \
    ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:log_path=$logdir/asan/asan" \
    UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logdir/asan/ubsan" \
    HOTPATH_LIBRARY="$root/build/sanitize/libhotpath.so" \
    HOTPATH_BACKEND=ctypes HOTPATH_REQUIRE_BACKEND=1 \
      "$py" -m pytest -q -p no:cacheprovider tests/python \
        --deselect tests/python/test_text_dispatch.py::test_short_call_overhead_is_small \
        2>&1 | tee "$logdir/pytest-asan.log"
    asan_status=${PIPESTATUS[0]}
    if compgen -G "$logdir/asan/*" >/dev/null; then
      echo "-- sanitizer reports:"; head -c 20000 "$logdir"/asan/*; asan_status=1
    fi
    count pytest-asan "$logdir/pytest-asan.log" "$asan_status"
  else
    echo "  failed: no ASan build, or no libasan.so ($asan_rt) / libstdc++.so ($stdcxx_rt)"
    suites_failed+=(pytest-asan); failed=$((failed + 1))
  fi

  echo "== ctest under ThreadSanitizer"
  # The same settings as the CMake preset "tsan".  clang, because GCC 12's
  # libtsan aborts a forked child that starts threads (the pool's fork test);
  # a GCC build works too and skips that test.  alloc_tests interposes
  # malloc, which TSan owns.
  tsan_cxx=c++ tsan_cc=cc
  command -v clang++ >/dev/null && command -v clang >/dev/null && tsan_cxx=clang++ tsan_cc=clang
  export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:die_after_fork=0}
  # TSan needs its fixed shadow layout: a kernel with more mmap randomness than
  # the runtime knows (vm.mmap_rnd_bits > 28 on older runtimes) makes every
  # TSan program die at start with "unexpected memory mapping".  Probe with a
  # tiny program, retry with address randomisation off, else skip loudly.
  tsan_run=()
  printf '#include <thread>\nint main(){int x=0;std::thread t([&]{x=1;});t.join();return x-1;}\n' \
    >"$logdir/tsan_probe.cpp"
  if ! "$tsan_cxx" -fsanitize=thread -pthread "$logdir/tsan_probe.cpp" -o "$logdir/tsan_probe" \
       >"$logdir/tsan-probe.log" 2>&1; then
    tsan_run=(skip "$tsan_cxx cannot build a ThreadSanitizer program: $(tail -1 "$logdir/tsan-probe.log")")
  elif ! "$logdir/tsan_probe" >>"$logdir/tsan-probe.log" 2>&1; then
    if setarch "$(uname -m)" -R "$logdir/tsan_probe" >>"$logdir/tsan-probe.log" 2>&1; then
      tsan_run=(setarch "$(uname -m)" -R)
      echo "  TSan needs address randomisation off here: running ctest under setarch -R"
    else
      tsan_run=(skip "ThreadSanitizer cannot run on this kernel: $(grep -m1 -i sanitizer "$logdir/tsan-probe.log")")
    fi
  fi
  if [ "${tsan_run[0]:-}" = skip ]; then
    echo "  skipped: ${tsan_run[1]} (vm.mmap_rnd_bits=$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null))"
  elif HOTPATH_BUILD_DIR="$root/build/tsan" "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
       -DCMAKE_C_COMPILER="$tsan_cc" -DCMAKE_CXX_COMPILER="$tsan_cxx" \
       -DHOTPATH_TSAN=ON -DHOTPATH_BUILD_STATIC=OFF -DHOTPATH_BUILD_EXAMPLES=OFF \
       > "$logdir/tsan-build.log" 2>&1; then
    (cd build/tsan && "${tsan_run[@]}" ctest --output-on-failure -j2 -E '^alloc_tests$') 2>&1 |
      tee "$logdir/tsan.log"
    count_ctest tsan "$logdir/tsan.log" "${PIPESTATUS[0]}"
  else
    cat "$logdir/tsan-build.log"; suites_failed+=(tsan-build); failed=$((failed + 1))
  fi
fi

echo
if [ ${#suites_failed[@]} -gt 0 ]; then
  echo "test.sh: failing suites: ${suites_failed[*]}"
fi
echo "total: $passed passed, $failed failed"
[ ${#suites_failed[@]} -eq 0 ]
