#!/usr/bin/env bash
# Installs the Debian packages hotpath needs to build, test and benchmark,
# and only those that are missing.  Needs root (or sudo) only when something
# is missing.  HOTPATH_SKIP_SETUP=1 skips it.
#
# Called by build.sh on every build: when everything is present it costs one
# dpkg-query call and prints nothing.  Otherwise it says which packages are
# missing and prints a line per apt step (download, unpack, set up) on stderr.
# When another apt/dpkg holds the lock, it waits for it (up to
# HOTPATH_APT_LOCK_TIMEOUT seconds, default 600), saying so every 30 s,
# instead of failing.
set -euo pipefail
[ "${HOTPATH_SKIP_SETUP:-0}" = 1 ] && exit 0

packages=(
  g++ cmake make pkg-config binutils   # compiler, build, nm for the symbol test
  catch2                               # C++ tests (Catch2 v2)
  libbenchmark-dev                     # C++ benchmarks
  python3 python3-pytest               # Python tests
  python3-cffi python3-numpy           # optional backends/peers, exercised by the tests
  python3-pip python3-setuptools       # the offline pip install test of bindings-python
  python3-levenshtein                  # independent oracle for the text metrics
  unicode-data                         # CaseFolding.txt, to check the committed fold table
  liblz4-dev zlib1g-dev                # compression formats (linked statically when the .a exists)
  liburing-dev                         # io_uring file reads (liburing.a linked into the library)
  libutf8proc-dev libstemmer-dev       # the search analyzer (Unicode tables, Snowball stemmers)
  python3-snowballstemmer              # the search twin's stemmer (the same Snowball algorithms)
  lz4 gzip python3-lz4                 # peers that must read what hotpath.compress writes
  ripgrep                              # the audit benchmark's peer
  clang libclang-rt-14-dev             # the libFuzzer target for decompression
)

find_missing() {  # sets missing=(...): one dpkg-query for all packages (unknown ones print nothing)
  local -A ok=()
  local name status
  while IFS=$'\t' read -r name status; do
    [ "$status" = "install ok installed" ] && ok[$name]=1
  done < <(dpkg-query -W -f='${Package}\t${Status}\n' "${packages[@]}" 2>/dev/null || true)
  missing=()
  for name in "${packages[@]}"; do
    [ -n "${ok[$name]:-}" ] || missing+=("$name")
  done
}
find_missing
[ ${#missing[@]} -eq 0 ] && exit 0

say() { echo "setup: $*" >&2; }
say "${#missing[@]} of ${#packages[@]} packages missing: ${missing[*]}"
timeout=${HOTPATH_APT_LOCK_TIMEOUT:-600}
apt=(env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout="$timeout")
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { say "need root (or sudo) to install ${missing[*]}"; exit 1; }
  apt=(sudo "${apt[@]}")
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Shows apt's steps, one line each; apt repeats "Waiting for cache lock" every
# second, shown here every 30th time.
progress() {
  local line waits=0
  while IFS= read -r line; do
    case "$line" in
      "Waiting for cache lock"*)
        [ $((waits % 30)) -eq 0 ] && say "waiting ${waits}s (limit ${timeout}s): ${line#Waiting for cache lock: }"
        waits=$((waits + 1)) ;;
      "E: Could not get lock"*|"E: Unable to lock"*|"E: Unable to acquire"*) ;;  # said by the callers
      Get:*|Hit:*|Err:*|Fetched*|Unpacking*|"Setting up"*|"Processing triggers"*|*" newly installed, "*|E:*|W:*)
        say "  $line" ;;
    esac
  done
}

# apt-get update takes /var/lib/apt/lists/lock, for which apt has no timeout
# (DPkg::Lock::Timeout covers the dpkg lock only): retry while another update
# holds it.
apt_update() {
  local start=$SECONDS last=-30
  say "apt-get update (package lists)"
  while true; do
    "${apt[@]}" update < /dev/null 2>&1 | tee "$log" | progress && return 0
    grep -q "Could not get lock" "$log" && [ $((SECONDS - start)) -lt "$timeout" ] || return 1
    if [ $((SECONDS - last)) -ge 30 ]; then
      say "waiting $((SECONDS - start))s (limit ${timeout}s): $(grep -m1 'Could not get lock' "$log" | sed 's/^E: //')"
      last=$SECONDS
    fi
    sleep 5
  done
}

apt_install() {
  say "apt-get install ${missing[*]}"
  "${apt[@]}" install -y --no-install-recommends "${missing[@]}" < /dev/null 2>&1 | tee "$log" | progress
}

# Try with the package lists as they are (fast); refresh them only when that
# fails (stale or absent lists), unless it failed on the lock.
if ! apt_install; then
  if grep -q "Could not get lock" "$log"; then
    say "gave up after ${timeout}s waiting for the dpkg lock (HOTPATH_APT_LOCK_TIMEOUT)"; exit 1
  fi
  say "install failed; refreshing the package lists and retrying"
  apt_update || { say "apt-get update failed:"; tail -20 "$log" >&2; exit 1; }
  apt_install || { say "apt-get install failed:"; tail -20 "$log" >&2; exit 1; }
fi
find_missing
if [ ${#missing[@]} -ne 0 ]; then
  say "still missing after apt-get install: ${missing[*]}"; exit 1
fi
say "done: all ${#packages[@]} packages present"
