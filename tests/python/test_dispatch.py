"""Dispatch modes and the stats counters."""
from array import array

import pytest

from conftest import STATS_KEYS as KEYS
from conftest import one_call
from conftest import stats_delta as _delta
from conftest import stats_snapshot as _snap

LARGE = 100_000


@pytest.fixture(scope="module")
def large_input():
    return array("Q", range(1, LARGE + 1))


def test_stats_shape(hp):
    s = hp.stats()
    assert set(KEYS) <= set(s)
    assert all(type(s[k]) is int and s[k] >= 0 for k in KEYS)


def test_reset_stats(hp, W):
    W.space_bound(10)
    W.space_bound_batch([1, 2, 3])
    hp.reset_stats()
    assert _snap(hp) == dict.fromkeys(KEYS, 0)


def test_set_dispatch_rejects_unknown_mode(hp):
    before = hp.backend_info()["dispatch"]
    with pytest.raises(ValueError):
        hp.set_dispatch("fast")
    assert hp.backend_info()["dispatch"] == before


def test_auto_scalar_is_the_twin_and_tiny_batch_falls_back(hp, W, mode):
    # Scalar calls served by Python are the twin's own functions (no wrapper, so
    # no overhead) and therefore not counted; tiny batches are counted as fallbacks.
    from hotpath import _williams_py as twin
    mode("auto")
    for name in ("space_bound", "efficiency", "space_saved_percent", "optimal_batch_size",
                 "confidence_multiplier"):
        if name not in W.NATIVE_SCALARS.get(hp.backend_info()["backend"], ()):
            assert getattr(W, name) is getattr(twin, name), name
    before = _snap(hp)
    W.space_bound(1000)
    assert _delta(hp, before) == dict.fromkeys(KEYS, 0)
    before = _snap(hp)
    W.space_bound_batch([10, 20])
    assert _delta(hp, before) == one_call(False, 2)


@pytest.mark.parametrize("fname", ["space_bound_batch", "efficiency_batch", "space_saved_percent_batch",
                                   "confidence_multiplier_batch", "optimal_batch_size_batch"])
def test_auto_large_batch_goes_native(hp, W, mode, is_native, large_input, fname):
    mode("auto")
    args = (large_input, 100.0) if fname == "optimal_batch_size_batch" else (large_input,)
    before = _snap(hp)
    getattr(W, fname)(*args)
    assert _delta(hp, before) == one_call(is_native, LARGE)


def test_native_mode_every_call_native(hp, W, mode, is_native):
    mode("native")
    calls = [
        lambda: W.space_bound(5),
        lambda: W.efficiency(5),
        lambda: W.space_saved_percent(5),
        lambda: W.optimal_batch_size(1000, 100.0),
        lambda: W.confidence_multiplier(100, 0.9, "support"),
        lambda: W.space_bound_batch([1]),
        lambda: W.efficiency_batch([1, 2]),
        lambda: W.space_saved_percent_batch(array("Q", [3])),
        lambda: W.optimal_batch_size_batch([1000], 100.0),
        lambda: W.confidence_multiplier_batch([100], 0.9),
    ]
    for i, call in enumerate(calls):
        before = _snap(hp)
        call()
        d = _delta(hp, before)
        if is_native:
            assert d["native_calls"] == 1 and d["fallback_calls"] == 0, d
        elif i < 5:  # scalar calls served by the twin are not counted
            assert d == dict.fromkeys(KEYS, 0), d
        else:
            assert d["native_calls"] == 0 and d["fallback_calls"] == 1, d


def test_python_mode_never_native(hp, W, mode, large_input):
    mode("python")
    before = _snap(hp)
    W.space_bound(5)
    W.confidence_multiplier(100)
    W.space_bound_batch(large_input)
    W.confidence_multiplier_batch(large_input)
    d = _delta(hp, before)
    assert d["native_calls"] == 0 and d["items_native"] == 0
    # The two scalar calls are served by the twin itself and not counted.
    assert d["fallback_calls"] == 2
    assert d["items_fallback"] == 2 * LARGE


def test_modes_give_same_results(hp, W, mode):
    ts = [0, 1, 2, 1000, 2 ** 64 - 1]
    results = {}
    for m in ("python", "auto", "native"):
        mode(m)
        results[m] = (list(W.space_bound_batch(ts)), [W.confidence_multiplier(t, 0.9) for t in ts],
                      list(W.optimal_batch_size_batch(ts, 1000.0)))
    for m in ("auto", "native"):
        assert results[m][0] == pytest.approx(results["python"][0], rel=1e-12)
        assert results[m][1] == pytest.approx(results["python"][1], rel=1e-12)
        assert results[m][2] == results["python"][2]


def test_thresholds_documented(W):
    # Thresholds are module constants in williams.py, per backend kind.
    th = W.THRESHOLDS
    assert isinstance(th, dict) and th
    flat = {}
    for k, v in th.items():
        if isinstance(v, dict):
            flat.update({(k, kk): vv for kk, vv in v.items()})
        else:
            flat[k] = v
    assert any("space_bound_batch" in (k if isinstance(k, str) else k[-1]) for k in flat)
    assert all(isinstance(v, int) and v >= 0 for v in flat.values())


def test_scalar_fast_path_overhead_is_small(hp, W, mode):
    # The contract targets <= 1.1 over the bare pure-Python twin; this guard is
    # deliberately generous (1.5) so that a noisy machine cannot make it flaky, and
    # still catches a dispatch decision made the slow way on every call.
    import timeit
    from hotpath import _williams_py as twin
    mode("auto")
    public, bare = W.space_bound, twin.space_bound
    best = {"public": float("inf"), "bare": float("inf")}
    for _ in range(7):  # interleaved, min of repeats
        best["bare"] = min(best["bare"], timeit.timeit(lambda: bare(1000), number=20000))
        best["public"] = min(best["public"], timeit.timeit(lambda: public(1000), number=20000))
    ratio = best["public"] / best["bare"]
    assert ratio <= 1.5, "public space_bound costs %.2fx the bare twin" % ratio
