"""The ctypes and pure backends must work on any Python 3.8+ without numpy or cffi.

Runs a child with every other CPython found on this machine (skipped when none is).
"""
import glob
import json
import os
import shutil
import subprocess

import pytest

import hotpath_williams_reference as ref
from conftest import BINDINGS, BUILT_LIBRARY

SCRIPT = r'''
import json, sys
sys.modules["numpy"] = None
sys.modules["cffi"] = None
sys.path.insert(0, sys.argv[1])
from array import array
import hotpath
from hotpath import williams as W
out = {"backend": hotpath.backend_info()["backend"], "version": list(sys.version_info[:2])}
for mode in ("python", "native", "auto"):
    hotpath.set_dispatch(mode)
    out[mode] = [
        W.space_bound(1000), W.efficiency(10000), W.space_saved_percent(100),
        W.optimal_batch_size(2 ** 64 - 1, float(2 ** 51), 1.0),
        W.confidence_multiplier(10000, 0.8, "support"),
        list(W.space_bound_batch(array("Q", [0, 2, 1000]))),
        list(W.confidence_multiplier_batch(memoryview(array("q", [10, 600])), [0.9, 0.8], "exploration")),
        list(W.optimal_batch_size_batch(range(998, 1001), 1000.0)),
    ]
try:
    W.space_bound(-1)
except ValueError as e:
    out["err"] = type(e).__name__
print(json.dumps(out))
'''


def _interpreters():
    found = {}
    for minor in range(8, 15):
        cands = [shutil.which("python3.%d" % minor)]
        cands += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.%d.*/bin/python3" % minor)))
        for c in cands:
            if c and os.access(c, os.X_OK):
                try:
                    v = subprocess.run([c, "-c", "import sys; print(sys.version_info[1])"], stdout=subprocess.PIPE,
                                       stderr=subprocess.DEVNULL, text=True, timeout=20)
                except (OSError, subprocess.TimeoutExpired):
                    continue
                if v.returncode == 0 and v.stdout.strip() == str(minor):
                    found.setdefault(minor, c)
                    break
    return found


INTERPRETERS = _interpreters()


@pytest.mark.parametrize("backend", ["python", "ctypes"])
@pytest.mark.parametrize("minor", [8, 9, 10, 12, 13])
def test_other_pythons(tmp_path, backend, minor):
    exe = INTERPRETERS.get(minor)
    if exe is None:
        pytest.skip("no Python 3.%d interpreter on this machine" % minor)
    if backend == "ctypes" and not BUILT_LIBRARY.exists():
        pytest.skip("library not built")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOTPATH_", "PYTHON"))}
    env.update(HOTPATH_BACKEND=backend, PYTHONDONTWRITEBYTECODE="1")
    p = subprocess.run([exe, "-I", "-B", "-c", SCRIPT, str(BINDINGS)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=60, env=env, cwd=str(tmp_path))
    assert p.returncode == 0, p.stderr[-3000:]
    out = json.loads(p.stdout.strip().splitlines()[-1])
    assert out["backend"] == backend and out["version"] == [3, minor]
    assert out["err"] == "HotpathValueError"
    want = [
        ref.dec_space_bound(1000), ref.dec_efficiency(10000), ref.dec_space_saved_percent(100),
        2 ** 64 - 1,
        ref.dec_confidence_multiplier(10000, 0.8, "support"),
        [1.0, ref.dec_space_bound(2), ref.dec_space_bound(1000)],
        [ref.dec_confidence_multiplier(10, 0.9, "exploration"), ref.dec_confidence_multiplier(600, 0.8, "exploration")],
        [ref.float_optimal_batch_size(t, 1000.0) for t in range(998, 1001)],
    ]
    for mode in ("python", "native", "auto"):
        got = out[mode]
        assert got[3] == want[3] and got[7] == want[7]
        for g, w in zip(got[:3] + [got[4]], want[:3] + [want[4]]):
            assert ref.rel_close(g, w)
        for gs, ws in ((got[5], want[5]), (got[6], want[6])):
            assert len(gs) == len(ws) and all(ref.rel_close(g, w) for g, w in zip(gs, ws))
