#!/usr/bin/env bash
# Builds (if needed) and installs hotpath: library, headers, pkg-config file
# and CMake package.  Default prefix /usr/local.
#   scripts/install.sh [PREFIX]
#   DESTDIR=/tmp/stage scripts/install.sh /usr    staging for a package build
# As root, not staging, it registers the library folder with the dynamic
# linker (an /etc/ld.so.conf.d entry when the folder is not searched already,
# then ldconfig), so `pkg-config --cflags --libs hotpath` works and Python
# finds the library with no environment variable; HOTPATH_LDCONFIG=0 skips
# that (a private prefix used through rpath or LD_LIBRARY_PATH).
# With DESTDIR, files go to DESTDIR/PREFIX and nothing outside DESTDIR is
# touched: no /etc/ld.so.conf.d entry, no ldconfig (the package runs ldconfig
# on the target).  scripts/uninstall.sh [PREFIX], with the same DESTDIR,
# removes exactly what this installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${1:-/usr/local}
destdir=${DESTDIR:-}
build=${HOTPATH_BUILD_DIR:-$root/build}

if [ -n "$destdir" ]; then
  # PREFIX is where the files will live on the target: it need not exist here.
  case "$prefix" in
    /*) ;;
    *) echo "install: with DESTDIR, PREFIX must be an absolute path (got '$prefix')" >&2; exit 2 ;;
  esac
  while [ "$prefix" != / ] && [ "${prefix%/}" != "$prefix" ]; do prefix=${prefix%/}; done
  destdir=$(mkdir -p "$destdir" && cd "$destdir" && pwd)
else
  prefix=$(mkdir -p "$prefix" && cd "$prefix" && pwd)
fi

if ! { [ -f "$build/CMakeCache.txt" ] && [ -n "$(ls "$build"/libhotpath.so* 2>/dev/null)" ]; }; then
  echo "install: building into $build (first build)" >&2
  HOTPATH_BUILD_DIR=$build "$root/scripts/build.sh" >/dev/null
fi
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
if [ -n "$destdir" ]; then
  DESTDIR=$destdir cmake --install "$build" --prefix "$prefix" >/dev/null
else
  env -u DESTDIR cmake --install "$build" --prefix "$prefix" >/dev/null
fi

# The record lists the installed files as they are on the target (without
# DESTDIR); cmake writes its manifest with DESTDIR and no final newline.
record="$prefix/share/hotpath/install_manifest.txt"
mkdir -p "$destdir$(dirname "$record")"
: > "$destdir$record"
libdir=""
while IFS= read -r f || [ -n "$f" ]; do
  [ -n "$f" ] || continue
  f=${f#"$destdir"}
  echo "$f" >> "$destdir$record"
  case "$f" in */libhotpath.so*) [ -n "$libdir" ] || libdir=$(dirname "$f") ;; esac
done < "$build/install_manifest.txt"

# Make the dynamic linker (and so ctypes.util.find_library) see the library.
searched() {  # is folder $1 in the dynamic linker's search list (ld.so.conf and the trusted folders)?
  command -v ldconfig >/dev/null &&
    ldconfig -vNX 2>/dev/null | awk -F: -v d="$1" '/^\// && $1 == d { f = 1 } END { exit !f }'
}
registered=0
if [ -z "$destdir" ] && [ "${HOTPATH_LDCONFIG:-1}" != 0 ] && [ "$(uname -s)" = Linux ] &&
   [ "$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then
  if ! searched "$libdir"; then
    conf=/etc/ld.so.conf.d/hotpath-$(printf '%s' "$libdir" | cksum | cut -d' ' -f1).conf
    echo "$libdir" > "$conf"
    echo "$conf" >> "$record"
  fi
  ldconfig
  registered=1
fi
echo "$record" >> "$destdir$record"

if [ -n "$destdir" ]; then
  echo "hotpath staged in $destdir for prefix $prefix (library in $libdir); manifest: $destdir$record"
  echo "  not registered with ldconfig: the package should run ldconfig on the target after install"
  exit 0
fi
echo "hotpath installed under $prefix (library in $libdir); manifest: $record"
# Say how to use a prefix that the tools and the dynamic linker do not search.
hints=()
pc_path=$(pkg-config --variable pc_path pkg-config 2>/dev/null || true)
if ! tr : '\n' <<<"$pc_path" | grep -qxF -- "$libdir/pkgconfig"; then
  hints+=("export PKG_CONFIG_PATH=$libdir/pkgconfig\${PKG_CONFIG_PATH:+:\$PKG_CONFIG_PATH}   # pkg-config"
          "export CMAKE_PREFIX_PATH=$prefix\${CMAKE_PREFIX_PATH:+:\$CMAKE_PREFIX_PATH}   # find_package(hotpath)")
fi
if [ "$registered" = 0 ] && ! searched "$libdir"; then
  hints+=("link with -Wl,-rpath,$libdir, or run with LD_LIBRARY_PATH=$libdir (Python: HOTPATH_LIBRARY=$libdir);"
          "or install as root without HOTPATH_LDCONFIG=0, which registers $libdir with ldconfig")
fi
if [ ${#hints[@]} -gt 0 ]; then
  echo "  to use this prefix:"
  printf '    %s\n' "${hints[@]}"
fi
