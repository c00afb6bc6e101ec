#!/usr/bin/env bash
# Builds (if needed) and installs hotpath system-wide: library, headers,
# pkg-config file and CMake package.  Default prefix /usr/local.
#   scripts/install.sh [PREFIX]
# Afterwards `pkg-config --cflags --libs hotpath` works and Python finds the
# library with no environment variable.  scripts/uninstall.sh [PREFIX]
# removes exactly what this installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${1:-/usr/local}
prefix=$(mkdir -p "$prefix" && cd "$prefix" && pwd)
build=${HOTPATH_BUILD_DIR:-$root/build}

[ -f "$build/CMakeCache.txt" ] && [ -n "$(ls "$build"/libhotpath.so* 2>/dev/null)" ] || "$root/scripts/build.sh"
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
cmake --install "$build" --prefix "$prefix" >/dev/null

libdir=$(dirname "$(grep -m1 '/libhotpath\.so' "$build/install_manifest.txt")")
record="$prefix/share/hotpath/install_manifest.txt"
mkdir -p "$(dirname "$record")"
# cmake writes the manifest without a final newline.
{ cat "$build/install_manifest.txt"; echo; } | grep -v '^$' > "$record"

# Make the dynamic linker (and so ctypes.util.find_library) see the library.
if [ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then
  if ! ldconfig -v 2>/dev/null | grep -q "^$libdir:"; then
    conf=/etc/ld.so.conf.d/hotpath-$(printf '%s' "$libdir" | cksum | cut -d' ' -f1).conf
    echo "$libdir" > "$conf"
    echo "$conf" >> "$record"
  fi
  ldconfig
fi
echo "$record" >> "$record"
echo "hotpath installed under $prefix (library in $libdir); manifest: $record"
