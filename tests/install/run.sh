#!/usr/bin/env bash
# Install test: install into temporary prefixes, build the C example against
# them with pkg-config and with find_package, run it, load the installed
# library from Python, and check that uninstall removes exactly what install
# added; stage an install with DESTDIR as a package build does and check that
# nothing lands outside DESTDIR.  Everything happens in a temporary folder
# (HOTPATH_LDCONFIG=0: no /etc/ld.so.conf.d entry even as root).  With
# HOTPATH_TEST_SYSTEM_INSTALL=1 (as root) it also installs into /usr/local
# and checks that Python finds the library with no environment variable.
# Prints "install: N passed, M failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${HOTPATH_BUILD_DIR:-$root/build}
py=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
check() {  # check NAME COMMAND...
  local name=$1; shift
  if "$@" >"$tmp/out.log" 2>&1; then
    passed=$((passed + 1)); echo "  ok   $name"
  else
    failed=$((failed + 1)); echo "  FAIL $name"; sed 's/^/       /' "$tmp/out.log" | tail -20
  fi
}

# A copy of the package outside the checkout, so discovery cannot fall back
# to the build folder.
cp -r "$root/bindings-python/hotpath" "$tmp/pkg-hotpath"
mkdir -p "$tmp/pylib" && mv "$tmp/pkg-hotpath" "$tmp/pylib/hotpath"
rm -rf "$tmp/pylib/hotpath/_lib"/lib* 2>/dev/null

# The versions the library file name must carry, from the public header.
hdr_version() { sed -n "s/^#define HOTPATH_$1 \([0-9]*\).*/\1/p" "$root/include/hotpath/common.h"; }
abi=$(hdr_version ABI_VERSION)
soname_file="libhotpath.so.$abi.$(hdr_version VERSION_MINOR).$(hdr_version VERSION_PATCH)"
ldconf_before=$(ls /etc/ld.so.conf.d 2>/dev/null)

prefix="$tmp/prefix"
check "scripts/install.sh into a temporary prefix" \
  env HOTPATH_BUILD_DIR="$build" HOTPATH_LDCONFIG=0 "$root/scripts/install.sh" "$prefix"
check "the library file follows the ABI major ($soname_file, soname libhotpath.so.$abi)" bash -c "
  [ -f '$prefix/lib/$soname_file' ] && [ ! -L '$prefix/lib/$soname_file' ] &&
  [ \"\$(readlink '$prefix/lib/libhotpath.so.$abi')\" = '$soname_file' ] &&
  [ \"\$(readlink '$prefix/lib/libhotpath.so')\" = 'libhotpath.so.$abi' ] &&
  readelf -d '$prefix/lib/$soname_file' | grep -q 'SONAME.*\[libhotpath\.so\.$abi\]'"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
check "pkg-config reports the installed version" \
  bash -c "[ \"\$(pkg-config --modversion hotpath)\" = \"\$(sed -n 's/^project(hotpath VERSION \([0-9.]*\).*/\1/p' '$root/CMakeLists.txt')\" ]"
check "C example builds with pkg-config and runs" bash -c "
  cc -std=c99 -Wall -Wextra -pedantic -Werror '$root/examples/c/williams_example.c' \
     \$(pkg-config --cflags --libs hotpath) -Wl,-rpath,'$prefix/lib' -o '$tmp/ex_pc' &&
  '$tmp/ex_pc' | grep -q 'optimal batch for 10000 items in 2048 MB at 5 MB/item: 1122'"
check "C example builds with find_package(hotpath) and runs" bash -c "
  cmake -S '$root/examples/c' -B '$tmp/ex_cmake' -DCMAKE_PREFIX_PATH='$prefix' \
        -DCMAKE_BUILD_RPATH='$prefix/lib' >/dev/null &&
  cmake --build '$tmp/ex_cmake' >/dev/null &&
  '$tmp/ex_cmake/williams_example' | grep -q 'space_bound(1000) = 315.145770' &&
  '$tmp/ex_cmake/text_example' | grep -q '^Ada Lovelace: 1 edits'"
check "static library links through the CMake package" bash -c "
  mkdir -p '$tmp/static_src' && cat > '$tmp/static_src/CMakeLists.txt' <<'CM'
cmake_minimum_required(VERSION 3.16)
project(static_consumer C CXX)
find_package(hotpath REQUIRED)
add_executable(static_consumer \"$root/tests/c/test_c99.c\")
target_link_libraries(static_consumer PRIVATE hotpath::hotpath_static)
set_target_properties(static_consumer PROPERTIES LINKER_LANGUAGE CXX)
CM
  cmake -S '$tmp/static_src' -B '$tmp/static_build' -DCMAKE_PREFIX_PATH='$prefix' >/dev/null &&
  cmake --build '$tmp/static_build' >/dev/null && '$tmp/static_build/static_consumer' &&
  ! ldd '$tmp/static_build/static_consumer' | grep -q libhotpath"
check "static library links with pkg-config --static (liblz4 and zlib in Libs.private)" bash -c "
  libs=\$(pkg-config --static --libs hotpath | sed 's/-lhotpath\\b/-l:libhotpath.a/') &&
  cc -std=c99 '$root/tests/c/test_c99.c' \$(pkg-config --cflags hotpath) \$libs -o '$tmp/ex_static' &&
  '$tmp/ex_static' && ! ldd '$tmp/ex_static' | grep -q libhotpath"
check "Python loads the installed library (HOTPATH_LIBRARY=prefix/lib)" bash -c "
  cd '$tmp' && HOTPATH_LIBRARY='$prefix/lib' HOTPATH_BACKEND=ctypes PYTHONPATH='$tmp/pylib' '$py' -c '
import hotpath, os
info = hotpath.backend_info()
assert info[\"backend\"] == \"ctypes\", info
assert os.path.realpath(info[\"library\"]).startswith(os.path.realpath(\"$prefix\")), info
assert abs(hotpath.williams.space_bound(1000) - 315.145770) < 1e-6
'"
check "C example built without rpath runs with LD_LIBRARY_PATH=prefix/lib" bash -c "
  cc -std=c99 '$root/examples/c/williams_example.c' \$(pkg-config --cflags --libs hotpath) -o '$tmp/ex_norpath' &&
  { ldconfig -p 2>/dev/null | grep -q libhotpath || ! env -u LD_LIBRARY_PATH '$tmp/ex_norpath' >/dev/null 2>&1; } &&
  LD_LIBRARY_PATH='$prefix/lib' '$tmp/ex_norpath' | grep -q 'optimal batch for 10000 items'"
check "ldd of the library shows only the C/C++ runtime" bash -c "
  ! ldd '$prefix'/lib/libhotpath.so | grep -vE 'linux-vdso|ld-linux|libc\.so|libm\.so|libstdc\+\+|libgcc_s|libpthread' | grep -q ."
check "uninstall removes exactly what install added" bash -c "
  '$root/scripts/uninstall.sh' '$prefix' >/dev/null && [ -z \"\$(find '$prefix' -type f -o -type l)\" ]"

# DESTDIR staging, as a package build does it: the files go to DESTDIR/PREFIX,
# the manifest names them as they will be on the target, and nothing is
# created at PREFIX itself or in /etc/ld.so.conf.d.  PREFIX is a temporary
# path too, so that a staging bug cannot reach a system folder.
stage="$tmp/stage"
target="$tmp/target/usr"
check "DESTDIR=stage scripts/install.sh PREFIX stages under DESTDIR/PREFIX" bash -c "
  DESTDIR='$stage' HOTPATH_BUILD_DIR='$build' '$root/scripts/install.sh' '$target' > '$tmp/stage.out' &&
  for f in lib/libhotpath.so.$abi lib/libhotpath.so lib/libhotpath.a include/hotpath/hotpath.h \
           lib/pkgconfig/hotpath.pc lib/cmake/hotpath/hotpathConfig.cmake share/hotpath/install_manifest.txt; do
    [ -e '$stage$target/'\$f ] || { echo \"missing \$f\"; exit 1; }
  done &&
  [ ! -e '$tmp/target' ] && grep -q 'not registered with ldconfig' '$tmp/stage.out'"
check "the staged manifest lists the target paths, each present under DESTDIR" bash -c "
  m='$stage$target/share/hotpath/install_manifest.txt' &&
  ! grep -v '^$target/' \"\$m\" && ! grep -q '^$stage' \"\$m\" &&
  while IFS= read -r f; do [ -e '$stage'\"\$f\" ] || { echo \"not staged: \$f\"; exit 1; }; done < \"\$m\" &&
  [ \"\$(wc -l < \"\$m\")\" -eq \"\$(find '$stage' -type f -o -type l | wc -l)\" ]"
check "staging adds no /etc/ld.so.conf.d entry and nothing to the ldconfig cache" bash -c "
  [ \"\$(ls /etc/ld.so.conf.d 2>/dev/null)\" = '$ldconf_before' ] &&
  ! { command -v ldconfig >/dev/null && ldconfig -p | grep -q '$stage'; }"
check "C example builds and runs against the staged tree (pkg-config)" bash -c "
  pc='$stage$target/lib/pkgconfig' &&
  cc -std=c99 '$root/examples/c/williams_example.c' \$(PKG_CONFIG_PATH=\$pc pkg-config --cflags --libs hotpath) \
     -Wl,-rpath,'$stage$target/lib' -o '$tmp/ex_stage' &&
  '$tmp/ex_stage' | grep -q 'optimal batch for 10000 items in 2048 MB at 5 MB/item: 1122'"
check "DESTDIR=stage scripts/uninstall.sh PREFIX removes exactly the staged files" bash -c "
  DESTDIR='$stage' '$root/scripts/uninstall.sh' '$target' >/dev/null &&
  [ -z \"\$(find '$stage' -type f -o -type l)\" ] && [ ! -e '$tmp/target' ]"
check "install.sh refuses a relative PREFIX with DESTDIR, and installs nothing" bash -c "
  mkdir -p '$tmp/rel' && cd '$tmp/rel' &&
  ! DESTDIR='$stage' HOTPATH_BUILD_DIR='$build' '$root/scripts/install.sh' relative/prefix &&
  [ -z \"\$(ls -A '$tmp/rel')\" ] && [ -z \"\$(find '$stage' -type f -o -type l)\" ]"

# pkg-config must also be right for an absolute libdir.
abs="$tmp/abs"
check "pkg-config is correct with an absolute CMAKE_INSTALL_LIBDIR" bash -c "
  cmake -S '$root' -B '$tmp/abs_build' -DHOTPATH_BUILD_TESTS=OFF -DHOTPATH_BUILD_EXAMPLES=OFF \
        -DHOTPATH_BUILD_STATIC=OFF -DCMAKE_INSTALL_PREFIX='$abs' -DCMAKE_INSTALL_LIBDIR='$abs/weird/libdir' >/dev/null &&
  cmake --build '$tmp/abs_build' -j2 >/dev/null && cmake --install '$tmp/abs_build' >/dev/null &&
  PKG_CONFIG_PATH='$abs/weird/libdir/pkgconfig' pkg-config --libs hotpath | grep -q -- '-L$abs/weird/libdir' &&
  cc '$root/examples/c/williams_example.c' \$(PKG_CONFIG_PATH='$abs/weird/libdir/pkgconfig' pkg-config --cflags --libs hotpath) \
     -Wl,-rpath,'$abs/weird/libdir' -o '$tmp/ex_abs' && '$tmp/ex_abs' >/dev/null"

check "no install above left an /etc/ld.so.conf.d entry" \
  bash -c "[ \"\$(ls /etc/ld.so.conf.d 2>/dev/null)\" = '$ldconf_before' ]"

if [ "${HOTPATH_TEST_SYSTEM_INSTALL:-0}" = 1 ] && [ "$(id -u)" = 0 ]; then
  if [ -e /usr/local/share/hotpath/install_manifest.txt ]; then
    echo "  skip system install: /usr/local already has a hotpath install"
  else
    check "system install: Python finds the library with no environment variable" bash -c "
      HOTPATH_BUILD_DIR='$build' '$root/scripts/install.sh' >/dev/null &&
      cd '$tmp' && env -u HOTPATH_LIBRARY HOTPATH_BACKEND=ctypes PYTHONPATH='$tmp/pylib' '$py' -c '
import hotpath
info = hotpath.backend_info()
assert info[\"backend\"] == \"ctypes\", info
print(info[\"library\"])
' && pkg-config --exists hotpath"
    check "system uninstall leaves nothing behind" bash -c "
      '$root/scripts/uninstall.sh' >/dev/null &&
      [ ! -e /usr/local/include/hotpath ] && [ -z \"\$(ls /usr/local/lib/libhotpath* 2>/dev/null)\" ] &&
      ! ldconfig -p | grep -q libhotpath"
  fi
fi

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
