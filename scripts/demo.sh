#!/usr/bin/env bash
# The main job: build hotpath if needed, then run the demonstration of every
# module on built-in sample data (python3 -m hotpath demo).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "$(ls "$root"/build/libhotpath.so* 2>/dev/null)" ]; then
  echo "demo: building hotpath (first run)..." >&2
  "$root/scripts/build.sh" > /dev/null
else
  HOTPATH_SKIP_SETUP=1 "$root/scripts/build.sh" > /dev/null  # cheap when up to date
fi
cd "$root"
PYTHONPATH="$root/bindings-python${PYTHONPATH:+:$PYTHONPATH}" exec "${PYTHON:-/usr/bin/python3}" -m hotpath demo "$@"
