"""backend_info(), thread controls, the loader entry point and the FFI tables."""
import ctypes
import os
import re

import pytest

from conftest import HEADERS_DIR, PACKAGE_DIR, REQUESTED_BACKEND

INFO_KEYS = {"backend", "library", "version", "abi", "modules", "threads", "attempts", "dispatch"}


def _direct(info):
    """The library the package loaded, opened independently with plain ctypes."""
    lib = ctypes.CDLL(info["library"])
    lib.hotpath_version_string.restype = ctypes.c_char_p
    lib.hotpath_abi_version.restype = ctypes.c_uint32
    lib.hotpath_get_num_threads.restype = ctypes.c_int32
    lib.hotpath_max_threads.restype = ctypes.c_int32
    lib.hotpath_module_count.restype = ctypes.c_size_t
    lib.hotpath_module_name.restype = ctypes.c_char_p
    lib.hotpath_module_name.argtypes = [ctypes.c_size_t]
    return lib


def test_backend_info_shape(hp):
    info = hp.backend_info()
    assert INFO_KEYS <= set(info)
    assert info["backend"] in ("ctypes", "cffi", "python")
    assert isinstance(info["attempts"], list) and all(isinstance(a, str) for a in info["attempts"])
    assert isinstance(info["modules"], list) and "williams" in info["modules"]
    assert isinstance(info["threads"], int) and info["threads"] >= 1
    assert info["dispatch"] in ("auto", "native", "python")


def test_backend_matches_request(hp):
    if REQUESTED_BACKEND in ("ctypes", "cffi", "python"):
        assert hp.backend_info()["backend"] == REQUESTED_BACKEND
    else:
        pytest.skip("HOTPATH_BACKEND not forced")


def test_python_backend_info(hp, is_native):
    if is_native:
        pytest.skip("python backend only")
    info = hp.backend_info()
    assert info["library"] is None and info["version"] is None and info["abi"] is None
    assert info["modules"] == ["williams", "text", "consensus", "files", "compress", "memory",
                               "search"]
    assert info["threads"] == 1


def test_native_backend_info_matches_library(hp, native_only):
    info = hp.backend_info()
    assert info["library"] and os.path.isfile(info["library"])
    lib = _direct(info)
    assert info["version"] == lib.hotpath_version_string().decode() == "0.1.0"
    assert info["abi"] == lib.hotpath_abi_version() == 1
    names = [lib.hotpath_module_name(i).decode() for i in range(lib.hotpath_module_count())]
    assert info["modules"] == names
    assert info["threads"] == lib.hotpath_get_num_threads()


def test_version_module(hp):
    from hotpath import _version
    assert _version.__version__ == "0.1.0"
    assert _version.ABI_VERSION == 1


def test_num_threads_roundtrip_native(hp, native_only):
    lib = _direct(hp.backend_info())
    try:
        hp.set_num_threads(1)
        assert hp.get_num_threads() == 1 == lib.hotpath_get_num_threads()
        assert hp.backend_info()["threads"] == 1
        hp.set_num_threads(2)
        assert hp.get_num_threads() == 2 == lib.hotpath_get_num_threads()
        with pytest.raises(ValueError):
            hp.set_num_threads(-1)
        with pytest.raises(ValueError):
            hp.set_num_threads(lib.hotpath_max_threads() + 1)
        assert hp.get_num_threads() == 2  # a rejected value changes nothing
    finally:
        hp.set_num_threads(0)
    default = lib.hotpath_get_num_threads()
    assert hp.get_num_threads() == default >= 1


def test_num_threads_python_backend(hp, is_native):
    if is_native:
        pytest.skip("python backend only")
    hp.set_num_threads(3)  # accepted, recorded, no effect
    hp.set_num_threads(0)
    with pytest.raises(ValueError):
        hp.set_num_threads(-1)
    assert isinstance(hp.get_num_threads(), int)


def test_loader_builds_python_backend(hp):
    from hotpath._ffi import _loader
    b = _loader.load(backend="python")
    assert b is not None


def test_loader_builds_native_backends(hp, built_library):
    from hotpath._ffi import _loader
    b = _loader.load(backend="ctypes", library=str(built_library))
    assert b is not None
    assert _loader.load(backend="ctypes", library=str(built_library)) is not b  # fresh each time
    try:
        import cffi  # noqa: F401
    except ImportError:
        return
    b2 = _loader.load(backend="cffi", library=str(built_library))
    assert b2 is not None and b2 is not b


def _header_functions():
    names = set()
    for h in sorted(HEADERS_DIR.glob("*.h")):
        text = h.read_text()
        text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
        for m in re.finditer(r"HOTPATH_API[^;]*?\b(hotpath_\w+)\s*\(", text):
            names.add(m.group(1))
    return sorted(names)


def test_headers_parsed():
    names = _header_functions()
    assert "hotpath_abi_version" in names and "hotpath_williams_confidence_multiplier_batch" in names
    assert len(names) >= 25


def test_generated_declarations_cover_every_header_function():
    text = (PACKAGE_DIR / "_ffi" / "_decls.py").read_text()
    missing = [n for n in _header_functions() if not re.search(r"\b%s\b" % n, text)]
    assert not missing, missing


def test_ffi_tables_importable_without_cffi_required():
    # the ctypes adapter and the declarations must not import cffi at module level
    for name in ("_ctypes.py", "_decls.py", "_loader.py", "_pack.py"):
        text = (PACKAGE_DIR / "_ffi" / name).read_text()
        assert not re.search(r"^\s*(import cffi|from cffi)", text, flags=re.M), name
