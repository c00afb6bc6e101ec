"""Exception hierarchy and messages."""
import math

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
