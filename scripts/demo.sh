#!/usr/bin/env bash
# The main job: build hotpath if needed, then run the demonstration of every
# module on built-in sample data (python3 -m hotpath demo), and print the
# command that runs the package from this checkout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "$(ls "$root"/build/libhotpath.so* 2>/dev/null)" ]; then
  echo "demo: building hotpath (first run: a few minutes on 2 cores)..." >&2
  # Progress on stderr, one line per compiled file; the demonstration on stdout.
  "$root/scripts/build.sh" 1>&2
else
  HOTPATH_SKIP_SETUP=1 HOTPATH_QUIET_BUILD=1 "$root/scripts/build.sh"  # cheap when up to date
fi
cd "$root"
py=${PYTHON:-/usr/bin/python3}
PYTHONPATH="$root/bindings-python${PYTHONPATH:+:$PYTHONPATH}" "$py" -m hotpath demo "$@"
echo
echo "Run the package yourself from $root (no install needed; it finds build/ by itself):"
echo "  PYTHONPATH=bindings-python $py -m hotpath info"
