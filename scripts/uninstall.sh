#!/usr/bin/env bash
# Removes exactly the files scripts/install.sh installed under PREFIX (default
# /usr/local), as listed in PREFIX/share/hotpath/install_manifest.txt, then the
# hotpath-only folders left empty.
#   scripts/uninstall.sh [PREFIX]
#   DESTDIR=/tmp/stage scripts/uninstall.sh /usr   removes a staged install
# Runs ldconfig only when its cache still names a removed library (never
# with DESTDIR).
set -euo pipefail
prefix=${1:-/usr/local}
destdir=${DESTDIR:-}
if [ -n "$destdir" ]; then
  case "$prefix" in
    /*) ;;
    *) echo "uninstall: with DESTDIR, PREFIX must be an absolute path (got '$prefix')" >&2; exit 2 ;;
  esac
  destdir=$(cd "$destdir" && pwd)
fi
record="$destdir$prefix/share/hotpath/install_manifest.txt"
[ -f "$record" ] || { echo "uninstall: no hotpath install manifest at $record" >&2; exit 1; }

removed_libs=()
while IFS= read -r f; do
  [ -n "$f" ] || continue
  case "$f" in */libhotpath.so*) removed_libs+=("$f") ;; esac
  if [ -e "$destdir$f" ] || [ -L "$destdir$f" ]; then rm -f -- "$destdir$f"; fi
done < "$record"
for d in "$destdir$prefix/include/hotpath" "$destdir$prefix/share/hotpath"; do
  [ -d "$d" ] && rmdir --ignore-fail-on-non-empty "$d"
done
find "$destdir$prefix" -depth -type d -path '*/cmake/hotpath' -empty -delete 2>/dev/null || true

if [ -z "$destdir" ] && [ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then
  cached=$(ldconfig -p | awk '/libhotpath/ { print $NF }')
  for f in "${removed_libs[@]}"; do
    if grep -qxF -- "$f" <<<"$cached"; then ldconfig; break; fi
  done
fi
echo "hotpath removed from $destdir$prefix"
