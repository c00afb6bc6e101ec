"""Exception hierarchy and messages."""
import math
import struct

import pytest


def test_hierarchy(hp):
    assert issubclass(hp.HotpathError, Exception)
    assert issubclass(hp.HotpathValueError, hp.HotpathError) and issubclass(hp.HotpathValueError, ValueError)
    assert issubclass(hp.HotpathTypeError, hp.HotpathError) and issubclass(hp.HotpathTypeError, TypeError)
    assert issubclass(hp.HotpathLoadError, hp.HotpathError) and issubclass(hp.HotpathLoadError, ImportError)
    assert issubclass(hp.HotpathMemoryError, hp.HotpathError) and issubclass(hp.HotpathMemoryError, MemoryError)
    assert not issubclass(hp.HotpathTypeError, ValueError)
    assert not issubclass(hp.HotpathValueError, TypeError)


def test_errors_module_reexported(hp):
    from hotpath import _errors
    for name in ("HotpathError", "HotpathValueError", "HotpathTypeError", "HotpathLoadError", "HotpathMemoryError"):
        assert getattr(hp, name) is getattr(_errors, name)


def test_value_error_attributes(hp, W, dispatch):
    with pytest.raises(hp.HotpathValueError) as ei:
        W.space_bound(-1)
    e = ei.value
    assert hasattr(e, "status") and hasattr(e, "status_name")
    # Python-side validation: status None, else a negative code with a name
    assert e.status is None or (isinstance(e.status, int) and e.status < 0)
    if e.status is not None:
        assert isinstance(e.status_name, str) and e.status_name.startswith("E")
    assert str(e)


def test_type_error_attributes(hp, W, dispatch):
    with pytest.raises(hp.HotpathTypeError) as ei:
        W.efficiency("10")
    assert hasattr(ei.value, "status") and hasattr(ei.value, "status_name")
    assert str(ei.value)


def test_catchable_as_hotpath_error(hp, W, dispatch):
    for call in (lambda: W.space_bound(-5), lambda: W.space_bound(None),
                 lambda: W.confidence_multiplier(5, 0.5, "x"), lambda: W.optimal_batch_size(5, -1.0)):
        with pytest.raises(hp.HotpathError):
            call()


@pytest.mark.parametrize("call,needle", [
    (lambda W: W.optimal_batch_size(-1, 10.0), "total_items"),
    (lambda W: W.optimal_batch_size(10, float("nan")), "available_memory_mb"),
    (lambda W: W.optimal_batch_size(10, 10.0, -2.0), "memory_per_item_mb"),
    (lambda W: W.confidence_multiplier(-3), "num_fields"),
    (lambda W: W.confidence_multiplier(3, 7.0), "base_confidence"),
    (lambda W: W.confidence_multiplier(3, 0.9, "other"), "regime"),
    (lambda W: W.confidence_multiplier(3, 0.9, 3), "regime"),
    (lambda W: W.optimal_batch_size("x", 10.0), "total_items"),
    (lambda W: W.optimal_batch_size(10, "x"), "available_memory_mb"),
])
def test_messages_name_the_argument(W, dispatch, call, needle):
    with pytest.raises((ValueError, TypeError)) as ei:
        call(W)
    assert needle in str(ei.value), str(ei.value)


def test_message_for_t(W, dispatch):
    import re
    for bad in (-1, 2 ** 64):
        with pytest.raises(ValueError) as ei:
            W.space_bound(bad)
        assert re.search(r"\bt\b", str(ei.value)), str(ei.value)


def test_same_exception_in_every_dispatch_mode(hp, W):
    before = hp.backend_info()["dispatch"]
    seen = {}
    try:
        for m in ("python", "auto", "native"):
            hp.set_dispatch(m)
            got = []
            for call in (lambda: W.space_bound(-1), lambda: W.space_bound(1.0),
                         lambda: W.confidence_multiplier_batch([1, 2], [0.5, math.nan]),
                         lambda: W.space_bound_batch([1, -1]), lambda: W.optimal_batch_size_batch([1], 0.0, 0.0)):
                try:
                    call()
                    got.append(None)
                except Exception as e:  # noqa: BLE001
                    got.append(type(e))
            seen[m] = got
    finally:
        hp.set_dispatch(before)
    assert all(x is not None for x in seen["python"])
    assert seen["python"] == seen["auto"] == seen["native"]


def _header_status_codes():
    from conftest import HEADERS_DIR
    import re
    text = (HEADERS_DIR / "common.h").read_text()
    return {int(v): name for name, v in re.findall(r"#define HOTPATH_(OK|E[A-Z0-9]+)\s+\(?(-?\d+)\)?", text)}


def test_header_status_table_parsed():
    codes = _header_status_codes()
    assert codes[0] == "OK" and codes[-1] == "EINVAL" and codes[-6] == "ENOMEM" and codes[-11] == "EINTERNAL"
    assert len(codes) == 12


@pytest.mark.parametrize("call", [
    lambda W: W.confidence_multiplier_batch([1, 2, 3], [0.5, 0.5, 2.0]),
    lambda W: W.confidence_multiplier_batch(list(range(5000)), [0.5] * 4999 + [float("nan")]),
    lambda W: W.optimal_batch_size(10, float("inf")),
    lambda W: W.confidence_multiplier(10, -1.0),
    lambda W: W.space_bound_batch(list(range(5000)) + [-1]),
])
def test_status_and_status_name_agree_with_header(hp, W, dispatch, call):
    codes = _header_status_codes()
    with pytest.raises(hp.HotpathError) as ei:
        call(W)
    e = ei.value
    assert isinstance(e, ValueError)
    if e.status is not None:
        assert e.status in codes and e.status < 0
        assert e.status_name == codes[e.status]


# ------------------------------------------- the same message text on every backend
# The library prefixes its per-thread message with the C function's name
# ("hotpath_williams_confidence_multiplier_batch: base_confidences[1] is nan; ...");
# the native backend drops it, so str(exception) is the twin's text.  Each test
# compares the public function against the pure-Python twin (hotpath._williams_py)
# on the same input, and pins the text itself from the contract's wording.

# A NaN with its sign bit set, which inf - inf gives on x86; C's %g prints it "-nan".
_NEGATIVE_NAN = struct.unpack("<d", struct.pack("<Q", 0xFFF8000000000000))[0]


def _raised(call):
    """(class, status, str) of the exception call() raises."""
    with pytest.raises(Exception) as ei:
        call()
    e = ei.value
    return type(e), getattr(e, "status", "no status"), str(e)


@pytest.mark.parametrize("bad,shown", [
    (math.nan, "nan"), (_NEGATIVE_NAN, "-nan"), (1.5, "1.5"), (-0.25, "-0.25"),
    (math.inf, "inf"), (-math.inf, "-inf"), (1e300, "1e+300"),
])
@pytest.mark.parametrize("n", [3, 5000])  # below and above every auto threshold
def test_per_item_base_message_same_as_twin(hp, W, dispatch, n, bad, shown):
    from hotpath import _williams_py as twin
    fields = list(range(n))
    bases = [0.5] * n
    bases[n - 2] = bad
    got = _raised(lambda: W.confidence_multiplier_batch(fields, bases))
    want = _raised(lambda: twin.confidence_multiplier_batch(fields, bases))
    assert got == want
    assert want == (hp.HotpathValueError, -3,
                    "base_confidences[%d] is %s; expected a value in [0, 1]" % (n - 2, shown))


@pytest.mark.parametrize("bad", [-2.0, 0.0, math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("form", ["scalar", "batch"])
def test_memory_per_item_message_same_as_twin(hp, W, bad, form):
    from hotpath import _williams_py as twin
    hp.set_dispatch("native")  # the autouse _restore_dispatch fixture restores it
    if form == "scalar":
        def call(module):
            return module.optimal_batch_size(1000, 64.0, bad)
    else:
        def call(module):
            return module.optimal_batch_size_batch(list(range(5000)), 64.0, bad)
    got = _raised(lambda: call(W))
    want = _raised(lambda: call(twin))
    assert got == want
    assert got[0] is hp.HotpathValueError
    shown = {-2.0: "-2", 0.0: "0", math.inf: "inf", -math.inf: "-inf"}.get(bad, "nan")
    assert got[2] == "argument 'memory_per_item_mb' is %s; expected a finite value > 0" % shown


# Python words real arguments as C's %g does ("-2", "nan"), so the texts agree.
@pytest.mark.parametrize("bad", [math.nan, math.inf, -2.0, 0.0, -1e300])
def test_native_memory_per_item_message_is_the_twins(hp, native_only, bad):
    """The library's own message for a bad memory_per_item_mb (the public API never lets
    one through), turned into an exception by the native backend: prefix dropped."""
    from hotpath._ffi import _loader
    from hotpath import _williams_py as twin
    backend = _loader.active()
    cell = backend.new_u64()
    status = backend.lib.hotpath_williams_optimal_batch_size(1000, 64.0, bad, cell)
    assert status == -3
    got = backend.error(status)
    want = _raised(lambda: twin.optimal_batch_size(1000, 64.0, bad))
    assert (type(got), got.status, str(got)) == (want[0], -3, want[2])


class _FakeApi:
    @staticmethod
    def text(value):
        return value


class _FakeLib:
    def __init__(self, message):
        self.message = message

    def hotpath_last_error_message(self):
        return self.message


@pytest.mark.parametrize("raw,expected", [
    ("hotpath_williams_confidence_multiplier_batch: base_confidences[0] is nan; expected a "
     "value in [0, 1]", "base_confidences[0] is nan; expected a value in [0, 1]"),
    ("hotpath_set_num_threads: argument 'n' is 9999; expected 0 to 8",
     "argument 'n' is 9999; expected 0 to 8"),
    ("hotpath_f: hotpath_g: detail", "hotpath_g: detail"),          # only the leading one
    ("argument 'x' is 1; hotpath_f: stays", "argument 'x' is 1; hotpath_f: stays"),
    ("hotpathx: no underscore", "hotpathx: no underscore"),
    ("", "a numeric argument is out of its allowed range"),          # status description
    (None, "a numeric argument is out of its allowed range"),        # NULL message
])
def test_native_error_drops_the_c_function_prefix(hp, raw, expected):
    from hotpath._ffi import _loader
    fake = type("FakeBackend", (), {})()
    fake.api, fake.lib = _FakeApi(), _FakeLib(raw)
    e = _loader.NativeBackend.error(fake, -3)
    assert isinstance(e, hp.HotpathValueError) and e.status == -3
    assert str(e) == expected
