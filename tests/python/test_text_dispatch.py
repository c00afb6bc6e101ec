"""hotpath.text routing: which calls run natively in each dispatch mode, the stats
counters, the documented thresholds, and the cost of a short call in "auto" mode."""
import math
import timeit

import pytest

from conftest import STATS_KEYS as KEYS
from conftest import one_call
from conftest import stats_delta as _delta
from conftest import stats_snapshot as _snap

SCALARS = ("jaccard", "cosine", "overlap", "levenshtein", "levenshtein_normalized",
           "jaro_winkler", "case_fold", "summarize")
BATCHES = ("one_to_many", "extract", "matrix")


def _scalar_calls(T, size):
    a = ("word " * size)[:size]
    b = ("wort " * size)[:size]
    return [lambda: T.jaccard(a, b), lambda: T.cosine(a, b), lambda: T.overlap(a, b),
            lambda: T.levenshtein(a, b), lambda: T.levenshtein_normalized(a, b),
            lambda: T.jaro_winkler(a, b)]


def test_thresholds_documented(T):
    for kind in ("ctypes", "cffi"):
        th = T.THRESHOLDS[kind]
        assert set(th) == set(SCALARS + BATCHES), kind
        for name, v in th.items():
            if name in BATCHES:  # one threshold per metric
                assert set(v) == set(T.METRICS), (kind, name)
                values = v.values()
            else:
                values = [v]
            for x in values:
                assert x == math.inf or (isinstance(x, int) and x >= 1), (kind, name, x)


@pytest.mark.parametrize("size", [1, 3, 10, 1000])
def test_auto_scalars_follow_the_thresholds(hp, T, mode, is_native, backend_name, size):
    # Pair calls of len(a) + len(b) >= THRESHOLDS[name] run natively and are counted;
    # shorter ones run the twin's code and are not counted (like Williams scalars).
    mode("auto")
    th = T.THRESHOLDS.get(backend_name, {})
    for name, call in zip(SCALARS, _scalar_calls(T, size)):
        before = _snap(hp)
        call()
        d = _delta(hp, before)
        if is_native and 2 * size >= th[name]:
            assert d == one_call(True, 1), name
        else:
            assert d == dict.fromkeys(KEYS, 0), name
    before = _snap(hp)
    T.case_fold("ABC" * size)  # ASCII: str.lower(), never native
    T.summarize("Hello\nworld" * size)
    assert _delta(hp, before) == dict.fromkeys(KEYS, 0)


def test_native_mode_every_call_native(hp, T, mode, is_native):
    mode("native")
    calls = _scalar_calls(T, 5) + [lambda: T.case_fold("A"), lambda: T.summarize("x")]
    for call in calls:
        before = _snap(hp)
        call()
        d = _delta(hp, before)
        assert d == (one_call(True, 1) if is_native else dict.fromkeys(KEYS, 0))
    for call in (lambda: T.one_to_many("a", ["a", "b"]), lambda: T.extract("a", ["a", "b"]),
                 lambda: T.matrix(["a", "b"])):
        before = _snap(hp)
        call()
        assert _delta(hp, before) == one_call(is_native, 2)


def test_python_mode_never_native(hp, T, mode):
    mode("python")
    big = ["word %d" % i for i in range(5000)]
    corpus = T.Corpus(big[:100])
    before = _snap(hp)
    for call in _scalar_calls(T, 2000):
        call()
    T.one_to_many("word 1", big)
    T.extract("word 1", corpus)
    T.matrix(big[:50])
    d = _delta(hp, before)
    assert d == {"native_calls": 0, "fallback_calls": 3, "items_native": 0,
                 "items_fallback": 5000 + 100 + 50}


def test_auto_batches(hp, T, mode, is_native, backend_name):
    mode("auto")
    th = T.THRESHOLDS.get(backend_name, {})
    corpus = T.Corpus(["a b", "b c", "c d"])
    for name, metric, n in (("one_to_many", "jaccard", 1), ("extract", "jaccard", 1),
                            ("matrix", "cosine", 1), ("one_to_many", "jaccard", 500),
                            ("extract", "overlap", 500), ("matrix", "cosine", 100),
                            ("one_to_many", "jaro_winkler", 1), ("extract", "levenshtein", 1),
                            ("one_to_many", "levenshtein", 3), ("matrix", "jaro_winkler", 3)):
        texts = ["a b"] * n
        call = getattr(T, name)
        before = _snap(hp)
        if name == "matrix":
            call(texts, metric)
        else:
            call("a", texts, metric)
        assert _delta(hp, before) == one_call(is_native and n >= th[name][metric], n), (
            name, metric, n)
    for call in (lambda: T.one_to_many("a", corpus), lambda: T.extract("a", corpus),
                 lambda: T.matrix(corpus)):
        before = _snap(hp)
        call()
        # a Corpus holds its native handle: always native on a native backend
        assert _delta(hp, before) == one_call(is_native, 3)


def test_modes_give_same_results(hp, T, mode):
    texts = ["The quick brown fox", "the QUICK brown dog", "Straße", "STRASSE", "", "😀 x"]
    results = {}
    for m in ("python", "auto", "native"):
        mode(m)
        results[m] = ([T.jaro_winkler(a, b, case_fold=True) for a in texts for b in texts],
                      [T.levenshtein(a, b, 3) for a in texts for b in texts],
                      T.matrix(texts, "cosine", case_fold=True).tolist(),
                      T.extract("the fox", texts, "jaccard", None, case_fold=True))
    assert results["python"] == results["auto"] == results["native"]


def test_functions_read_like_the_twin(T, mode):
    from hotpath import _text_py
    for m in ("python", "auto", "native"):
        mode(m)
        for name in SCALARS + BATCHES:
            f = getattr(T, name)
            assert f.__name__ == name and f.__doc__ == getattr(_text_py, name).__doc__, (m, name)


def test_short_call_overhead_is_small(hp, T, mode):
    # The promise: jaccard of two 5-word strings through the public API costs what the
    # pure-Python twin costs.  The guard is deliberately generous (1.5, min of
    # interleaved repeats) so that a noisy machine cannot make it flaky; it still
    # catches a native call or a slow dispatch decision on every call.
    from hotpath import _text_py
    mode("auto")
    a, b = "The quick brown fox jumps", "The quick brown cat runs"
    public, bare = T.jaccard, _text_py.jaccard
    best = {"public": math.inf, "bare": math.inf}
    for _ in range(7):
        best["bare"] = min(best["bare"], timeit.timeit(lambda: bare(a, b), number=5000))
        best["public"] = min(best["public"], timeit.timeit(lambda: public(a, b), number=5000))
    ratio = best["public"] / best["bare"]
    assert ratio <= 1.5, "public jaccard costs %.2fx the bare twin" % ratio
