"""Backend parity: the public API under dispatch "native" against the pure-Python twin
hotpath._williams_py (and both against the independent reference)."""
import random
from array import array

import pytest

import hotpath_williams_reference as ref

N = 10_000
SEED = 20240611
U64_MAX = 2 ** 64 - 1


def _random_ts(rng, n):
    out = [0, 1, 2, 3, 4, 9, 10, 11, 499, 500, 501, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 1, 2 ** 63 - 1, 2 ** 63,
           U64_MAX - 1, U64_MAX]
    while len(out) < n:
        bits = rng.randint(1, 64)  # spread over every magnitude up to 2**64-1
        out.append(rng.getrandbits(bits))
    return out[:n]


@pytest.fixture(scope="module")
def twin():
    from hotpath import _williams_py
    return _williams_py


@pytest.fixture(scope="module")
def data():
    rng = random.Random(SEED)
    ts = _random_ts(rng, N)
    bases = [rng.random() for _ in range(N)]
    bases[:4] = [0.0, 1.0, 0.85, 0.5]
    regimes = [rng.choice(ref.REGIMES) for _ in range(N)]
    avails = [10 ** rng.uniform(-3, 12) for _ in range(N)]
    pers = [10 ** rng.uniform(-3, 3) for _ in range(N)]
    return dict(ts=ts, bases=bases, regimes=regimes, avails=avails, pers=pers)


def _float_mismatches(got, want, label, inputs):
    return [(label, x, g, w) for x, g, w in zip(inputs, got, want) if not ref.rel_close(g, w, 1e-12)]


@pytest.mark.parametrize("fname", ["space_bound", "efficiency", "space_saved_percent"])
def test_scalar_float_parity(hp, W, twin, data, native_dispatch, fname):
    ts = data["ts"]
    api, pure = getattr(W, fname), getattr(twin, fname)
    got = [api(t) for t in ts]
    want = [pure(t) for t in ts]
    assert all(type(g) is float for g in got)
    assert all(type(w) is float for w in want)
    bad = _float_mismatches(got, want, fname, ts)
    assert not bad, bad[:5]
    # the twin against the independent float reference
    bad = _float_mismatches(want, [getattr(ref, "float_" + fname)(t) for t in ts], fname + " twin/ref", ts)
    assert not bad, bad[:5]


@pytest.mark.parametrize("fname", ["space_bound", "efficiency", "space_saved_percent"])
def test_batch_float_parity(hp, W, twin, data, native_dispatch, fname):
    ts = data["ts"]
    for obj in (list(ts), array("Q", ts)):
        got = getattr(W, fname + "_batch")(obj)
        want = getattr(twin, fname + "_batch")(list(ts))
        assert len(got) == len(want) == N
        bad = _float_mismatches(list(got), list(want), fname + "_batch", ts)
        assert not bad, bad[:5]


def test_confidence_parity(W, twin, data, native_dispatch):
    ts, bases, regimes = data["ts"], data["bases"], data["regimes"]
    got = [W.confidence_multiplier(t, b, r) for t, b, r in zip(ts, bases, regimes)]
    want = [twin.confidence_multiplier(t, b, r) for t, b, r in zip(ts, bases, regimes)]
    bad = _float_mismatches(got, want, "confidence", list(zip(ts, bases, regimes)))
    assert not bad, bad[:5]
    refv = [ref.float_confidence_multiplier(t, b, r) for t, b, r in zip(ts, bases, regimes)]
    bad = _float_mismatches(want, refv, "confidence twin/ref", list(zip(ts, bases, regimes)))
    assert not bad, bad[:5]


@pytest.mark.parametrize("regime", ref.REGIMES)
def test_confidence_batch_parity(W, twin, data, native_dispatch, regime):
    ts, bases = data["ts"], data["bases"]
    got = W.confidence_multiplier_batch(array("Q", ts), array("d", bases), regime)
    want = twin.confidence_multiplier_batch(list(ts), list(bases), regime)
    bad = _float_mismatches(list(got), list(want), "confidence_batch", list(zip(ts, bases)))
    assert not bad, bad[:5]
    got = W.confidence_multiplier_batch(array("Q", ts), 0.9, regime)
    want = twin.confidence_multiplier_batch(list(ts), 0.9, regime)
    bad = _float_mismatches(list(got), list(want), "confidence_batch scalar base", ts)
    assert not bad, bad[:5]


def test_optimal_batch_size_parity(W, twin, data, native_dispatch):
    ts, avails, pers = data["ts"], data["avails"], data["pers"]
    got = [W.optimal_batch_size(t, a, p) for t, a, p in zip(ts, avails, pers)]
    want = [twin.optimal_batch_size(t, a, p) for t, a, p in zip(ts, avails, pers)]
    assert all(type(g) is int for g in got)
    bad = [(t, a, p, g, w) for t, a, p, g, w in zip(ts, avails, pers, got, want) if g != w]
    assert not bad, bad[:5]
    refv = [ref.float_optimal_batch_size(t, a, p) for t, a, p in zip(ts, avails, pers)]
    bad = [(t, a, p, w, r) for t, a, p, w, r in zip(ts, avails, pers, want, refv) if w != r]
    assert not bad, bad[:5]


def test_optimal_batch_size_batch_parity(W, twin, data, native_dispatch):
    ts = data["ts"]
    for avail, per in [(1000.0, 5.0), (1e9, 0.01), (3.5, 0.7), (float(2 ** 51), 1.0), (0.0, 1.0), (1e15, 1e-3)]:
        got = W.optimal_batch_size_batch(array("Q", ts), avail, per)
        want = twin.optimal_batch_size_batch(list(ts), avail, per)
        assert len(got) == N
        bad = [(t, g, w) for t, g, w in zip(ts, got, want) if int(g) != int(w)]
        assert not bad, (avail, per, bad[:5])


def test_twin_return_types(twin):
    assert type(twin.space_bound(10)) is float and type(twin.optimal_batch_size(10, 10.0)) is int
    for name in ("space_bound_batch", "efficiency_batch", "space_saved_percent_batch"):
        out = getattr(twin, name)([1, 2, 3])
        assert type(out) is array and out.typecode == "d" and len(out) == 3
    out = twin.optimal_batch_size_batch([1, 2, 3], 10.0)
    assert type(out) is array and out.typecode == "Q"
    out = twin.confidence_multiplier_batch([1, 2, 3], [0.5, 0.6, 0.7], "support")
    assert type(out) is array and out.typecode == "d"
