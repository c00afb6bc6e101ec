"""Library discovery, run in child interpreters so the test process is unaffected.

Each child imports hotpath from an explicit package root, records every log record of the
"hotpath" logger, and reports backend_info() (or the import exception) as JSON.
"""
import ctypes.util
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

from conftest import BINDINGS, HEADERS_DIR, PACKAGE_DIR, REQUESTED_BACKEND

MARK = "@@HOTPATH_RESULT@@"
WARNING, INFO = 30, 20

CHILD = textwrap.dedent(r'''
    import contextlib, io, json, logging, sys
    PRE = {pre!r}
    exec(PRE)
    sys.path.insert(0, {root!r})
    records = []
    class _Collect(logging.Handler):
        def emit(self, r):
            records.append({{"name": r.name, "level": r.levelno, "msg": r.getMessage()}})
    lg = logging.getLogger("hotpath")
    lg.addHandler(_Collect())
    lg.setLevel(logging.DEBUG)
    out = {{}}
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            import hotpath
        out["ok"] = True
        out["info"] = hotpath.backend_info()
        out["file"] = hotpath.__file__
        POST = {post!r}
        exec(POST)
    except BaseException as e:
        out["ok"] = False
        out["exc_type"] = type(e).__name__
        out["mro"] = [c.__name__ for c in type(e).__mro__]
        out["is_import_error"] = isinstance(e, ImportError)
        out["msg"] = str(e)
    out["printed"] = buf.getvalue()
    out["records"] = records
    out["modules"] = sorted(m for m in ("numpy", "cffi") if sys.modules.get(m) is not None)
    sys.stdout.write({mark!r} + json.dumps(out, default=str) + "\n")
''')


def child_env(**overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTPATH_") and k != "PYTHONPATH"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    for k, v in overrides.items():
        if v is not None:
            env[k] = str(v)
    return env


def run_child(root, cwd, pre="", post="", timeout=60, **env):
    code = CHILD.format(root=str(root), pre=pre, post=post, mark=MARK)
    proc = subprocess.run([sys.executable, "-c", code], cwd=str(cwd), env=child_env(**env),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, text=True)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARK)]
    assert proc.returncode == 0 and lines, "child failed rc=%s\nstdout=%s\nstderr=%s" % (
        proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:])
    res = json.loads(lines[-1][len(MARK):])
    res["stderr"] = proc.stderr
    return res


def hotpath_records(res, level):
    # The contract names the logger "hotpath" itself; records of any other logger at
    # this level (child loggers included) make the checks below fail.
    return [r for r in res["records"] if r["level"] == level]


def assert_logger_name(res):
    bad = [r for r in res["records"] if r["name"] != "hotpath" and r["level"] >= 20]
    assert not bad, "INFO/WARNING records on loggers other than 'hotpath': %r" % bad


def same_file(a, b):
    return a is not None and os.path.exists(a) and os.path.samefile(a, b)


def copy_package(dest_root):
    """A copy of the package outside the source checkout (no build/ to find by walking up)."""
    dest_root.mkdir(parents=True, exist_ok=True)
    dst = dest_root / "hotpath"
    shutil.copytree(PACKAGE_DIR, dst, ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.so.*", "*.dylib",
                                                                    "*.dll"))
    (dst / "_lib").mkdir(exist_ok=True)
    return dest_root


def copy_library(built, dest):
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(os.path.realpath(built), dest)
    return dest


def skip_if_system_copy(res, tmp_path):
    """The system search (ldconfig, find_library) may find an installed libhotpath."""
    if res.get("ok") and res["info"]["backend"] != "python":
        lib = res["info"]["library"] or ""
        if not os.path.realpath(lib).startswith(os.path.realpath(str(tmp_path))):
            pytest.skip("an installed libhotpath was found by the system search: %s" % lib)


def skip_if_system_copy_outside(res, forbidden_dir):
    if res.get("ok") and res["info"]["backend"] != "python":
        lib = os.path.realpath(res["info"]["library"] or "")
        if not lib.startswith(os.path.realpath(str(forbidden_dir))):
            pytest.skip("an installed libhotpath was found by the system search: %s" % lib)


def cffi_available():
    try:
        import cffi  # noqa: F401
        return True
    except ImportError:
        return False


NATIVE_PARAMS = ["ctypes", pytest.param("cffi", marks=pytest.mark.skipif(not cffi_available(),
                                                                          reason="cffi not installed"))]


# ------------------------------------------------------------------------- HOTPATH_LIBRARY

@pytest.mark.parametrize("backend", [None, "auto"] + NATIVE_PARAMS)
def test_env_library_file(tmp_path, built_library, backend):
    lib = copy_library(built_library, tmp_path / "libdir" / "libhotpath.so")
    res = run_child(BINDINGS, tmp_path, HOTPATH_LIBRARY=lib, HOTPATH_BACKEND=backend)
    assert res["ok"], res
    info = res["info"]
    assert info["backend"] == (backend if backend in ("ctypes", "cffi") else "ctypes")
    assert same_file(info["library"], lib), info
    assert info["abi"] == 1 and info["version"] == "0.1.0"
    assert res["printed"] == ""
    assert_logger_name(res)
    infos = hotpath_records(res, INFO)
    assert len(infos) == 1, res["records"]
    msg = infos[0]["msg"]
    assert "libhotpath" in msg and "0.1.0" in msg and info["backend"] in msg, msg
    assert hotpath_records(res, WARNING) == []


def test_env_library_folder(tmp_path, built_library):
    libdir = tmp_path / "libdir"
    lib = copy_library(built_library, libdir / "libhotpath.so")
    res = run_child(BINDINGS, tmp_path, HOTPATH_LIBRARY=libdir)
    assert res["ok"], res
    assert res["info"]["backend"] == "ctypes"
    assert same_file(res["info"]["library"], lib), res["info"]


def test_env_library_folder_with_soname_only(tmp_path, built_library):
    libdir = tmp_path / "libdir"
    lib = copy_library(built_library, libdir / "libhotpath.so.1")
    res = run_child(BINDINGS, tmp_path, HOTPATH_LIBRARY=libdir, HOTPATH_BACKEND="ctypes")
    assert res["ok"], res
    assert same_file(res["info"]["library"], lib), res["info"]


def test_env_library_folder_prefers_plain_name(tmp_path, built_library):
    libdir = tmp_path / "libdir"
    plain = copy_library(built_library, libdir / "libhotpath.so")
    copy_library(built_library, libdir / "libhotpath.so.1")
    res = run_child(BINDINGS, tmp_path, HOTPATH_LIBRARY=libdir, HOTPATH_BACKEND="ctypes")
    assert res["ok"], res
    assert same_file(res["info"]["library"], plain), res["info"]


def test_default_in_tree_finds_build(tmp_path, built_library):
    res = run_child(BINDINGS, tmp_path, HOTPATH_BACKEND="ctypes")
    assert res["ok"], res
    lib = os.path.realpath(res["info"]["library"])
    assert lib.startswith(os.path.realpath(str(built_library.parent)) + os.sep), res["info"]


def test_auto_without_library_falls_back_with_one_warning(tmp_path):
    root = copy_package(tmp_path / "pkg")
    missing = tmp_path / "nowhere" / "libhotpath.so"
    res = run_child(root, tmp_path, HOTPATH_LIBRARY=missing, HOTPATH_BACKEND="auto")
    assert res["ok"], res
    assert res["file"].startswith(str(root))
    skip_if_system_copy(res, tmp_path)
    info = res["info"]
    assert info["backend"] == "python"
    assert info["library"] is None
    assert any(str(missing) in a for a in info["attempts"]), info["attempts"]
    assert len(info["attempts"]) >= 2  # HOTPATH_LIBRARY, _lib/, the system names ...
    assert_logger_name(res)
    warnings = hotpath_records(res, WARNING)
    assert len(warnings) == 1, res["records"]
    assert res["printed"] == ""
    assert res["stderr"] == ""


def test_unset_backend_without_library_falls_back(tmp_path):
    root = copy_package(tmp_path / "pkg")
    res = run_child(root, tmp_path, HOTPATH_LIBRARY=tmp_path / "missing.so")
    assert res["ok"], res
    skip_if_system_copy(res, tmp_path)
    assert res["info"]["backend"] == "python"
    # the pure backend computes the spec values
    assert len(hotpath_records(res, WARNING)) == 1


@pytest.mark.parametrize("backend", NATIVE_PARAMS)
def test_forced_backend_without_library_raises(tmp_path, backend):
    root = copy_package(tmp_path / "pkg")
    missing = tmp_path / "nowhere" / "libhotpath.so"
    res = run_child(root, tmp_path, HOTPATH_LIBRARY=missing, HOTPATH_BACKEND=backend)
    skip_if_system_copy(res, tmp_path)
    assert not res["ok"], "forced %s backend without a library must not fall back: %s" % (backend, res.get("info"))
    assert res["exc_type"] == "HotpathLoadError"
    assert "HotpathError" in res["mro"] and res["is_import_error"]
    assert str(missing) in res["msg"], res["msg"]
    # one message listing every attempt: at least HOTPATH_LIBRARY, _lib/ and a system name
    assert "_lib" in res["msg"] and "libhotpath.so.1" in res["msg"], res["msg"]


def test_forced_cffi_without_cffi_raises(tmp_path, built_library):
    res = run_child(BINDINGS, tmp_path, pre="import sys; sys.modules['cffi'] = None", HOTPATH_BACKEND="cffi")
    assert not res["ok"], res.get("info")
    assert res["exc_type"] == "HotpathLoadError" and res["is_import_error"]
    assert "cffi" in res["msg"]


# ------------------------------------------------------------------------- bundled _lib/

def test_bundled_lib_folder(tmp_path, built_library):
    root = copy_package(tmp_path / "pkg")
    lib = copy_library(built_library, root / "hotpath" / "_lib" / "libhotpath.so")
    res = run_child(root, tmp_path, HOTPATH_BACKEND="ctypes")
    assert res["ok"], res
    assert same_file(res["info"]["library"], lib), res["info"]


def test_env_library_beats_bundled(tmp_path, built_library):
    root = copy_package(tmp_path / "pkg")
    copy_library(built_library, root / "hotpath" / "_lib" / "libhotpath.so")
    other = copy_library(built_library, tmp_path / "other" / "libhotpath.so")
    res = run_child(root, tmp_path, HOTPATH_BACKEND="ctypes", HOTPATH_LIBRARY=other)
    assert res["ok"], res
    assert same_file(res["info"]["library"], other), res["info"]


# ------------------------------------------------------------------------- source checkout

def fake_checkout(repo):
    """What marks a hotpath source checkout: CMakeLists.txt and the umbrella header."""
    (repo / "CMakeLists.txt").write_text("project(hotpath)\n")
    (repo / "include" / "hotpath").mkdir(parents=True)
    (repo / "include" / "hotpath" / "hotpath.h").write_text("/* hotpath */\n")


def test_other_projects_build_folder_is_not_searched(tmp_path, built_library):
    # A CMake project with a build/ folder that is not hotpath (no hotpath header):
    # an installed package below it must not load libraries from it.
    repo = tmp_path / "repo"
    copy_package(repo / "bindings-python")
    (repo / "CMakeLists.txt").write_text("project(other)\n")
    copy_library(built_library, repo / "build" / "libhotpath.so")
    res = run_child(repo / "bindings-python", tmp_path, HOTPATH_BACKEND="auto",
                    HOTPATH_LIBRARY=tmp_path / "missing.so")
    assert res["ok"], res
    skip_if_system_copy_outside(res, repo / "build")
    assert res["info"]["backend"] == "python", res["info"]


def test_source_checkout_build_folders(tmp_path, built_library):
    repo = tmp_path / "repo"
    copy_package(repo / "bindings-python")
    fake_checkout(repo)
    # "asan-sanitize" sorts before "release": it must be skipped, not merely tried later
    copy_library(built_library, repo / "build" / "asan-sanitize" / "libhotpath.so")
    release = copy_library(built_library, repo / "build" / "release" / "libhotpath.so")
    copy_library(built_library, repo / "build" / "sanitize" / "libhotpath.so")
    res = run_child(repo / "bindings-python", tmp_path, HOTPATH_BACKEND="ctypes")
    assert res["ok"], res
    assert same_file(res["info"]["library"], release), res["info"]


def test_source_checkout_build_root_first(tmp_path, built_library):
    repo = tmp_path / "repo"
    copy_package(repo / "bindings-python")
    fake_checkout(repo)
    top = copy_library(built_library, repo / "build" / "libhotpath.so")
    copy_library(built_library, repo / "build" / "release" / "libhotpath.so")
    res = run_child(repo / "bindings-python", tmp_path, HOTPATH_BACKEND="ctypes")
    assert res["ok"], res
    assert same_file(res["info"]["library"], top), res["info"]


def test_source_checkout_sanitize_build_is_skipped(tmp_path, built_library):
    repo = tmp_path / "repo"
    copy_package(repo / "bindings-python")
    fake_checkout(repo)
    copy_library(built_library, repo / "build" / "sanitize" / "libhotpath.so")
    res = run_child(repo / "bindings-python", tmp_path, HOTPATH_BACKEND="auto",
                    HOTPATH_LIBRARY=tmp_path / "missing.so")
    assert res["ok"], res
    skip_if_system_copy_outside(res, repo / "build" / "sanitize")
    assert res["info"]["backend"] == "python", res["info"]


# ------------------------------------------------------------------------- wrong ABI

@pytest.fixture(scope="module")
def fake_abi2_library(tmp_path_factory):
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        pytest.skip("no C compiler to build a wrong-ABI library")
    names = set()
    for h in HEADERS_DIR.glob("*.h"):
        text = re.sub(r"/\*.*?\*/", " ", h.read_text(), flags=re.S)
        names.update(m.group(1) for m in re.finditer(r"HOTPATH_API[^;]*?\b(hotpath_\w+)\s*\(", text))
    lines = ["#include <stdint.h>", "#include <stddef.h>"]
    for n in sorted(names):
        if n == "hotpath_abi_version":
            lines.append("uint32_t %s(void) { return 2; }" % n)
        elif n == "hotpath_version_number":
            lines.append("uint32_t %s(void) { return 20000; }" % n)
        elif n in ("hotpath_version_string",):
            lines.append('const char* %s(void) { return "2.0.0"; }' % n)
        elif n in ("hotpath_status_str", "hotpath_status_name", "hotpath_last_error_message"):
            lines.append('const char* %s(void) { return ""; }' % n)
        elif n == "hotpath_module_name":
            lines.append("const char* %s(void) { return NULL; }" % n)
        else:
            lines.append("int32_t %s(void) { return 0; }" % n)
    d = tmp_path_factory.mktemp("fakeabi")
    src = d / "fake.c"
    src.write_text("\n".join(lines) + "\n")
    out = d / "libhotpath.so"
    proc = subprocess.run([cc, "-shared", "-fPIC", "-o", str(out), str(src)], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        pytest.skip("could not build the fake library: %s" % proc.stderr[-500:])
    return out


@pytest.mark.parametrize("backend", NATIVE_PARAMS)
def test_wrong_abi_refused_when_forced(tmp_path, fake_abi2_library, backend):
    root = copy_package(tmp_path / "pkg")
    res = run_child(root, tmp_path, HOTPATH_LIBRARY=fake_abi2_library, HOTPATH_BACKEND=backend)
    if res.get("ok") and res["info"]["library"] and same_file(res["info"]["library"], fake_abi2_library):
        pytest.fail("the ABI-2 library was accepted: %s" % res["info"])
    skip_if_system_copy(res, tmp_path)
    assert not res["ok"]
    assert res["exc_type"] == "HotpathLoadError"
    assert "ABI" in res["msg"], res["msg"]
    assert str(fake_abi2_library) in res["msg"]


def test_wrong_abi_auto_falls_back(tmp_path, fake_abi2_library):
    root = copy_package(tmp_path / "pkg")
    res = run_child(root, tmp_path, HOTPATH_LIBRARY=fake_abi2_library, HOTPATH_BACKEND="auto")
    assert res["ok"], res
    assert not same_file(res["info"]["library"] or "/nonexistent", fake_abi2_library)
    skip_if_system_copy(res, tmp_path)
    assert res["info"]["backend"] == "python"
    assert any("ABI" in a for a in res["info"]["attempts"]), res["info"]["attempts"]
    assert len(hotpath_records(res, WARNING)) == 1


def test_wrong_abi_skipped_for_next_candidate(tmp_path, fake_abi2_library, built_library):
    # in the source checkout, the build/ library comes after the refused HOTPATH_LIBRARY
    res = run_child(BINDINGS, tmp_path, HOTPATH_LIBRARY=fake_abi2_library, HOTPATH_BACKEND="ctypes")
    assert res["ok"], res
    assert not same_file(res["info"]["library"], fake_abi2_library)
    assert res["info"]["abi"] == 1
    assert any("ABI" in a and "2" in a for a in res["info"]["attempts"]), res["info"]["attempts"]


# ------------------------------------------------------------------------- optional deps

def _session_backend():
    return REQUESTED_BACKEND or "auto"


def test_no_numpy_or_cffi_needed(tmp_path):
    backend = _session_backend()
    if backend == "cffi":
        backend = "ctypes"
    if backend == "ctypes":
        from conftest import BUILT_LIBRARY
        if not BUILT_LIBRARY.exists():
            pytest.skip("library not built")
    post = textwrap.dedent('''
        from array import array
        from hotpath import williams as W
        for m in ("python", "auto", "native"):
            hotpath.set_dispatch(m)
            out["sb_" + m] = list(W.space_bound_batch(array("Q", [100, 1000])))
            out["cm_" + m] = list(W.confidence_multiplier_batch([10, 20], [0.9, 0.95]))
            out["t_" + m] = type(W.space_bound_batch(range(100000))).__name__
    ''')
    res = run_child(BINDINGS, tmp_path, pre="import sys; sys.modules['numpy'] = None; sys.modules['cffi'] = None",
                    post=post, HOTPATH_BACKEND=backend)
    assert res["ok"], res
    if backend != "auto":
        assert res["info"]["backend"] == backend
    for m in ("python", "auto", "native"):
        assert res["sb_" + m] == pytest.approx([66.438562, 315.145770], abs=1e-6)
        assert res["t_" + m] == "array"


def test_numpy_not_imported_for_plain_inputs(tmp_path):
    pytest.importorskip("numpy")
    post = textwrap.dedent('''
        from array import array
        from hotpath import williams as W
        hotpath.set_dispatch("native")
        W.space_bound_batch([1, 2, 3]); W.space_bound_batch(array("Q", range(100000)))
        W.confidence_multiplier_batch(range(5000), [0.9] * 5000)
        W.optimal_batch_size_batch(memoryview(array("q", [5, 6])), 10.0)
    ''')
    res = run_child(BINDINGS, tmp_path, post=post, HOTPATH_BACKEND=_session_backend())
    assert res["ok"], res
    assert "numpy" not in res["modules"]
    if res["info"]["backend"] != "cffi":
        assert "cffi" not in res["modules"]


@pytest.mark.parametrize("mode", ["python", "native", "auto"])
def test_dispatch_env_variable(tmp_path, mode):
    res = run_child(BINDINGS, tmp_path, HOTPATH_BACKEND=_session_backend(), HOTPATH_DISPATCH=mode)
    assert res["ok"], res
    assert res["info"]["dispatch"] == mode


@pytest.mark.parametrize("as_folder", [False, True])
def test_env_library_points_at_build_output(tmp_path, built_library, as_folder):
    # the built file itself (a symlink chain libhotpath.so -> .so.1 -> .so.1.1.0) and its folder,
    # from a package copy that cannot find build/ on its own
    root = copy_package(tmp_path / "pkg")
    target = built_library.parent if as_folder else built_library
    res = run_child(root, tmp_path, HOTPATH_LIBRARY=target)
    assert res["ok"], res
    assert res["info"]["backend"] == "ctypes"
    assert same_file(res["info"]["library"], built_library), res["info"]
    assert os.path.dirname(os.path.abspath(res["info"]["library"])) == str(built_library.parent), res["info"]
