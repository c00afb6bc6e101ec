"""pyproject.toml: the package builds and installs offline, bundling _lib/ content.

Works on a copy of bindings-python in a temporary folder so the source tree gets no
build/ or egg-info folders.
"""
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import BINDINGS, BUILT_LIBRARY


def _pip_available():
    # find_spec, not import: importing setuptools into the test process has side effects
    import importlib.util
    return all(importlib.util.find_spec(m) is not None for m in ("pip", "setuptools"))


pytestmark = pytest.mark.skipif(not _pip_available(), reason="pip/setuptools not installed")


def _clean_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOTPATH_", "PYTHONPATH", "PIP_"))}
    env.update(PYTHONDONTWRITEBYTECODE="1", PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "bindings-python"
    shutil.copytree(BINDINGS, src, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info", "dist"))
    lib_dir = src / "hotpath" / "_lib"
    lib_dir.mkdir(exist_ok=True)
    for f in lib_dir.iterdir():
        if f.name.startswith("lib") or f.suffix in (".dll", ".dylib"):
            f.unlink()
    bundled = BUILT_LIBRARY.exists()
    if bundled:
        shutil.copyfile(os.path.realpath(BUILT_LIBRARY), lib_dir / "libhotpath.so")
    out = tmp / "dist"
    p = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index",
                        "-w", str(out), str(src)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=300, env=_clean_env(), cwd=str(tmp))
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-3000:]
    wheels = list(out.glob("hotpath-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0], bundled, tmp


def test_wheel_name_and_contents(wheel):
    whl, bundled, _ = wheel
    assert whl.name.startswith("hotpath-0.1.0-")
    names = zipfile.ZipFile(whl).namelist()
    for mod in ("__init__", "__main__", "_version", "_errors", "_ffi/__init__", "_ffi/_loader", "_ffi/_ctypes",
                "_ffi/_cffi", "_ffi/_decls", "_ffi/_pack", "_ffi/_fresh", "_buffers", "_dispatch", "williams",
                "_williams_py", "demo", "bench", "compat/__init__"):
        assert "hotpath/%s.py" % mod in names, names
    if bundled:
        assert "hotpath/_lib/libhotpath.so" in names, names
    meta = [n for n in names if n.endswith(".dist-info/METADATA")]
    text = zipfile.ZipFile(whl).read(meta[0]).decode()
    # zero required dependencies: every Requires-Dist is behind an extra
    requires = [line for line in text.splitlines() if line.startswith("Requires-Dist")]
    assert all("extra ==" in line for line in requires), requires


def test_installed_wheel_loads_bundled_library(wheel):
    whl, bundled, tmp = wheel
    if not bundled:
        pytest.skip("library not built")
    target = tmp / "site"
    p = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target", str(target),
                        str(whl)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300,
                       env=_clean_env(), cwd=str(tmp))
    assert p.returncode == 0, p.stderr[-3000:]
    code = ("import sys, json; sys.path.insert(0, %r); import hotpath; "
            "print(json.dumps([hotpath.__file__, hotpath.backend_info()]))" % str(target))
    env = _clean_env()
    env["HOTPATH_BACKEND"] = "ctypes"
    p = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=60, env=env, cwd=str(tmp))
    assert p.returncode == 0, p.stderr[-3000:]
    path, info = json.loads(p.stdout.strip().splitlines()[-1])
    assert path.startswith(str(target))
    assert os.path.realpath(info["library"]).startswith(os.path.realpath(str(target / "hotpath" / "_lib"))), info
