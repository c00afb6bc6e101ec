"""pytest configuration for the hotpath Python package.

The suite runs once per backend:
    HOTPATH_BACKEND=<python|ctypes|cffi> HOTPATH_REQUIRE_BACKEND=1 python3 -m pytest -q tests/python

With HOTPATH_REQUIRE_BACKEND=1 the session refuses to run (exit status 1) when the
package came up with another backend than the one asked for, so that a silent
fallback to pure Python can never pass as a native run.
"""
import os
import sys
import pathlib

import pytest

# Keep the source tree clean: no __pycache__ inside bindings-python from test runs.
sys.dont_write_bytecode = True

TESTS_DIR = pathlib.Path(__file__).resolve().parent
REPO = TESTS_DIR.parent.parent
BINDINGS = REPO / "bindings-python"
PACKAGE_DIR = BINDINGS / "hotpath"
BUILT_LIBRARY = REPO / "build" / "libhotpath.so"
HEADERS_DIR = REPO / "include" / "hotpath"

sys.path.insert(0, str(BINDINGS))
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(1, str(TESTS_DIR))

REQUESTED_BACKEND = os.environ.get("HOTPATH_BACKEND") or None
REQUIRE_BACKEND = os.environ.get("HOTPATH_REQUIRE_BACKEND") == "1"
NATIVE_BACKENDS = ("ctypes", "cffi")
STATS_KEYS = ("native_calls", "fallback_calls", "items_native", "items_fallback")


def _check_backend():
    """Return an error string when the required backend is not the active one."""
    if not (REQUIRE_BACKEND and REQUESTED_BACKEND):
        return None
    try:
        import hotpath
    except BaseException as exc:  # noqa: BLE001 - any import failure is fatal here
        return "HOTPATH_REQUIRE_BACKEND=1: `import hotpath` failed with HOTPATH_BACKEND=%s: %s: %s" % (
            REQUESTED_BACKEND, type(exc).__name__, exc)
    if REQUESTED_BACKEND == "auto":
        return None
    got = hotpath.backend_info().get("backend")
    if got != REQUESTED_BACKEND:
        return ("HOTPATH_REQUIRE_BACKEND=1: HOTPATH_BACKEND=%s was requested but hotpath.backend_info() "
                "reports backend %r (silent fallback?) attempts=%r" % (
                    REQUESTED_BACKEND, got, hotpath.backend_info().get("attempts")))
    return None


def pytest_sessionstart(session):
    problem = _check_backend()
    if problem:
        pytest.exit(problem, returncode=1)


@pytest.fixture(scope="session", autouse=True)
def _required_backend_guard():
    # Second line of defence (e.g. when sessionstart hooks are bypassed by a plugin).
    problem = _check_backend()
    if problem:
        pytest.exit(problem, returncode=1)
    yield


def pytest_report_header(config):
    try:
        import hotpath
        info = hotpath.backend_info()
        return "hotpath backend=%s library=%s dispatch=%s" % (
            info.get("backend"), info.get("library"), info.get("dispatch"))
    except BaseException as exc:  # noqa: BLE001
        return "hotpath not importable: %s: %s" % (type(exc).__name__, exc)


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="session")
def hp():
    import hotpath
    return hotpath


@pytest.fixture(scope="session")
def W():
    from hotpath import williams
    return williams


@pytest.fixture(scope="session")
def T():
    from hotpath import text
    return text


@pytest.fixture(scope="session")
def C():
    from hotpath import consensus
    return consensus


@pytest.fixture(scope="session")
def backend_name(hp):
    return hp.backend_info()["backend"]


@pytest.fixture(scope="session")
def is_native(backend_name):
    return backend_name in NATIVE_BACKENDS


@pytest.fixture
def native_only(is_native, backend_name):
    if not is_native:
        pytest.skip("needs a native backend (active backend: %s)" % backend_name)


@pytest.fixture(autouse=True)
def _restore_dispatch():
    """Every test leaves the dispatch mode as it found it."""
    try:
        import hotpath
        before = hotpath.backend_info()["dispatch"]
    except BaseException:  # noqa: BLE001 - package missing: the test itself reports it
        yield
        return
    yield
    if hotpath.backend_info()["dispatch"] != before:
        hotpath.set_dispatch(before)


def _in_dispatch(hp, mode):
    """The body of a fixture that runs its test in dispatch mode `mode` (yielded) and
    then restores the mode it found."""
    before = hp.backend_info()["dispatch"]
    hp.set_dispatch(mode)
    try:
        yield mode
    finally:
        hp.set_dispatch(before)


@pytest.fixture(params=["auto", "native"])
def dispatch(request, hp):
    """Run the test once with smart dispatch and once forcing the native kernels."""
    yield from _in_dispatch(hp, request.param)


@pytest.fixture(params=["auto", "native", "python"])
def every_mode(request, hp):
    """Run the test once in every dispatch mode (on the python backend all three run
    the twin)."""
    yield from _in_dispatch(hp, request.param)


@pytest.fixture
def native_dispatch(hp):
    """Force the native kernels (dispatch "native") for the test."""
    yield from _in_dispatch(hp, "native")


@pytest.fixture
def mode(hp):
    """A function that sets the dispatch mode (checked) for the rest of the test."""
    before = hp.backend_info()["dispatch"]

    def set_mode(m):
        hp.set_dispatch(m)
        assert hp.backend_info()["dispatch"] == m

    yield set_mode
    hp.set_dispatch(before)


@pytest.fixture
def np():
    return pytest.importorskip("numpy")


@pytest.fixture(scope="session")
def built_library():
    """Path of <repo>/build/libhotpath.so.

    Skipped when the library was not built, except under HOTPATH_REQUIRE_BACKEND=1 with a
    native backend requested: there the missing library is a failure.
    """
    if BUILT_LIBRARY.exists():
        return BUILT_LIBRARY
    if REQUIRE_BACKEND and REQUESTED_BACKEND in NATIVE_BACKENDS:
        pytest.fail("%s does not exist but HOTPATH_BACKEND=%s is required" % (BUILT_LIBRARY, REQUESTED_BACKEND))
    pytest.skip("%s not built" % BUILT_LIBRARY)


# --------------------------------------------------------------------------- stats helpers

def stats_snapshot(hp):
    """The call counters of hotpath.stats() now."""
    s = hp.stats()
    return {k: s[k] for k in STATS_KEYS}


def stats_delta(hp, before):
    """How much each counter grew since the snapshot before."""
    now = stats_snapshot(hp)
    return {k: now[k] - before[k] for k in STATS_KEYS}


def one_call(native, n):
    """The counter delta of one dispatched call on n items, native or not."""
    if native:
        return {"native_calls": 1, "fallback_calls": 0, "items_native": n, "items_fallback": 0}
    return {"native_calls": 0, "fallback_calls": 1, "items_native": 0, "items_fallback": n}
