#!/usr/bin/env bash
# The main job: build hotpath if needed, then run the demonstration of every
# module on built-in sample data (python3 -m hotpath demo), and print the
# command that runs the package from this checkout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "$(ls "$root"/build/libhotpath.so* 2>/dev/null)" ]; then
  echo "demo: building hotpath (first run)..." >&2
  "$root/scripts/build.sh" > /dev/null
else
  HOTPATH_SKIP_SETUP=1 "$root/scripts/build.sh" > /dev/null  # cheap when up to date
fi
cd "$root"
py=${PYTHON:-/usr/bin/python3}
PYTHONPATH="$root/bindings-python${PYTHONPATH:+:$PYTHONPATH}" "$py" -m hotpath demo "$@"
echo
echo "Run the package yourself from $root (no install needed; it finds build/ by itself):"
echo "  PYTHONPATH=bindings-python $py -m hotpath info"
