#!/usr/bin/env bash
# Installs the Debian packages hotpath needs to build, test and benchmark,
# and only those that are missing.  Needs root (or sudo) only when something
# is missing.  HOTPATH_SKIP_SETUP=1 skips it.
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
  lz4 gzip python3-lz4                 # peers that must read what hotpath.compress writes
  ripgrep                              # the audit benchmark's peer
  clang libclang-rt-14-dev             # the libFuzzer target for decompression
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root to install ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  $sudo apt-get update >/dev/null
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi
