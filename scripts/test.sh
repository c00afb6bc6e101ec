#!/usr/bin/env bash
# THE test command: installs what is missing, builds, then runs ctest (Catch2,
# C consumers, symbol check, zero-allocation test), pytest once per Python
# backend (python, ctypes, cffi), the install test and a short decompression
# fuzz run (when clang++ is present).  Exits non-zero on any
# failure and ends with one summary line.
#   scripts/test.sh              everything above
#   scripts/test.sh --sanitize   also build with ASan+UBSan (build/sanitize) and run ctest there
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

echo "== fuzz (decompression, libFuzzer + ASan + UBSan, bounded run)"
if command -v clang++ >/dev/null; then
  "$root/tests/fuzz/run.sh" 2>&1 | tee "$logdir/fuzz.log"
  count fuzz "$logdir/fuzz.log" "${PIPESTATUS[0]}"
else
  echo "  skipped: clang++ not found"
fi

if [ "$sanitize" = 1 ]; then
  echo "== ctest under AddressSanitizer + UndefinedBehaviorSanitizer"
  # The same settings as the CMake preset "sanitize" (CMakePresets.json).
  if HOTPATH_BUILD_DIR="$root/build/sanitize" "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=Debug \
       -DHOTPATH_SANITIZE=ON -DHOTPATH_BUILD_STATIC=OFF > "$logdir/san-build.log" 2>&1; then
    (cd build/sanitize && ctest --output-on-failure -j2) 2>&1 | tee "$logdir/san.log"
    count_ctest sanitize "$logdir/san.log" "${PIPESTATUS[0]}"
  else
    cat "$logdir/san-build.log"; suites_failed+=(sanitize-build); failed=$((failed + 1))
  fi
fi

echo
if [ ${#suites_failed[@]} -gt 0 ]; then
  echo "test.sh: failing suites: ${suites_failed[*]}"
fi
echo "total: $passed passed, $failed failed"
[ ${#suites_failed[@]} -eq 0 ]
