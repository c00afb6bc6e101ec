#!/usr/bin/env bash
# Removes exactly the files scripts/install.sh installed under PREFIX (default
# /usr/local), as listed in PREFIX/share/hotpath/install_manifest.txt, then the
# hotpath-only folders left empty.
set -euo pipefail
prefix=${1:-/usr/local}
record="$prefix/share/hotpath/install_manifest.txt"
[ -f "$record" ] || { echo "uninstall: no hotpath install manifest at $record" >&2; exit 1; }

while IFS= read -r f; do
  [ -n "$f" ] || continue
  if [ -e "$f" ] || [ -L "$f" ]; then rm -f -- "$f"; fi
done < "$record"
for d in "$prefix/include/hotpath" "$prefix/share/hotpath"; do
  [ -d "$d" ] && rmdir --ignore-fail-on-non-empty "$d"
done
find "$prefix" -depth -type d -path '*/cmake/hotpath' -empty -delete 2>/dev/null || true
if [ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then
  ldconfig
fi
echo "hotpath removed from $prefix"
