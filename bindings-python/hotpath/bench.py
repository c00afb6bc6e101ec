"""`python3 -m hotpath bench [--calibrate]`: speed of the public API, as ratios measured
side by side in one run (absolute times vary from machine to machine; ratios less so).

Without --calibrate: space_bound at batch sizes 1, 10, 1k, 100k: a pure-Python loop,
the hotpath public API (whatever the dispatcher picks), and numpy if installed; then
text: one short jaccard call, and Levenshtein one_to_many over 5,000 short texts
against the pure-Python twin and a loop of Levenshtein.distance if that module is
installed.  bench/bench_text.py has the full comparison.

--calibrate: for every native backend that loads, each batch function timed natively
and in pure Python over a range of sizes; the crossover is the smallest size from which
native is faster at every larger size measured.  Those are williams.THRESHOLDS.  Also
times the scalar functions both ways (williams.NATIVE_SCALARS) and a 1M-item batch
against the bare foreign call, which shows what the Python layer adds.
"""

from __future__ import annotations

import random
import time
from array import array

import hotpath
from hotpath import _text_py, _williams_py, text, williams
from hotpath._ffi import _loader
from hotpath._errors import HotpathError

_SIZES = (1, 2, 3, 4, 6, 8, 11, 16, 23, 32, 45, 64, 91, 128, 181, 256, 512, 1024)


def best_seconds(func, min_run=0.01, repeat=5):
    """Best time per call of func(): calls are grouped into runs of at least min_run
    seconds so that the timer's resolution does not matter."""
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            func()
        elapsed = time.perf_counter() - start
        if elapsed >= min_run:
            break
        number *= 2 if elapsed * 4 > min_run else 8
    best = elapsed / number
    for _ in range(repeat - 1):
        start = time.perf_counter()
        for _ in range(number):
            func()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def _fmt(seconds):
    if seconds < 1e-6:
        return "%7.0f ns" % (seconds * 1e9)
    if seconds < 1e-3:
        return "%7.2f us" % (seconds * 1e6)
    return "%7.2f ms" % (seconds * 1e3)


def _random_ts(n, seed=7):
    rng = random.Random(seed)
    return array("Q", (rng.randint(2, 10 ** 6) for _ in range(n)))


def _numpy():
    try:
        import numpy
    except ImportError:
        return None
    return numpy


# --- the quick table ------------------------------------------------------------------

def quick():
    info = hotpath.backend_info()
    np = _numpy()
    print("space_bound: backend %s, dispatch %s%s"
          % (info["backend"], info["dispatch"], "" if np else " (numpy not installed)"))
    print("%8s  %12s  %12s  %12s  %14s" % ("n", "pure loop", "hotpath", "numpy",
                                            "pure / hotpath"))
    for n in (1, 10, 1000, 100_000):
        ts = _random_ts(n)
        if n == 1:
            t = ts[0]
            pure = best_seconds(lambda: _williams_py.space_bound(t))
            api = best_seconds(lambda: williams.space_bound(t))
        else:
            pure = best_seconds(lambda: [_williams_py.space_bound(t) for t in ts])
            api = best_seconds(lambda: williams.space_bound_batch(ts))
        numpy_time = "-"
        if np is not None:
            a = np.frombuffer(ts, dtype=np.uint64)

            def numpy_space_bound():
                x = np.maximum(a, 2).astype(np.float64)
                return np.where(a > 1, np.sqrt(x) * np.log2(x), 1.0)

            numpy_time = _fmt(best_seconds(numpy_space_bound))
        print("%8d  %12s  %12s  %12s  %13.1fx" % (n, _fmt(pure), _fmt(api), numpy_time,
                                                  pure / api))
    print("\nscalar overhead: space_bound(1000) through the public API / the bare twin "
          "= %.3f" % scalar_overhead())
    quick_text()


def quick_text(choices=5000, seed=7):
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz "
    texts = ["".join(rng.choice(letters) for _ in range(rng.randint(10, 60)))
             for _ in range(choices)]
    query = texts[-1][::-1]
    a, b = "the quick brown fox jumps", "the quick brown cat runs"
    pure = best_seconds(lambda: _text_py.jaccard(a, b))
    api = best_seconds(lambda: text.jaccard(a, b))
    print("\ntext: jaccard of two 5-word strings, public API / the bare twin = %.3f"
          % (api / pure))
    corpus = text.Corpus(texts)
    api = best_seconds(lambda: text.one_to_many(query, corpus, "levenshtein"), repeat=3)
    pure = best_seconds(lambda: _text_py.one_to_many(query, texts, "levenshtein"), repeat=3)
    line = ("text: levenshtein one_to_many over %d texts of 10-60 chars (Corpus): hotpath %s, "
            "pure Python %s (%.0fx)" % (choices, _fmt(api), _fmt(pure), pure / api))
    try:
        import Levenshtein
    except ImportError:
        Levenshtein = None
    if Levenshtein is not None:
        dist = Levenshtein.distance
        peer = best_seconds(lambda: [dist(query, t) for t in texts], repeat=3)
        line += ", a loop of Levenshtein.distance %s (%.0fx)" % (_fmt(peer), peer / api)
    print(line)


def scalar_overhead(rounds=15, number=200_000):
    """Median over interleaved rounds of (public API time / twin time) for
    space_bound(1000), timed as plain statements so no wrapper dilutes the ratio."""
    import timeit
    api = timeit.Timer("williams.space_bound(1000)", globals={"williams": williams})
    twin = timeit.Timer("twin.space_bound(1000)", globals={"twin": _williams_py})
    ratios = sorted(api.timeit(number) / twin.timeit(number) for _ in range(rounds))
    return ratios[len(ratios) // 2]


# --- calibration ----------------------------------------------------------------------

def _batch_calls(funcs, ts):
    bases = array("d", [0.9]) * len(ts)
    return {
        "space_bound_batch": lambda: funcs["space_bound_batch"](ts),
        "efficiency_batch": lambda: funcs["efficiency_batch"](ts),
        "space_saved_percent_batch": lambda: funcs["space_saved_percent_batch"](ts),
        "optimal_batch_size_batch": lambda: funcs["optimal_batch_size_batch"](ts, 4096.0, 5.0),
        "confidence_multiplier_batch":
            lambda: funcs["confidence_multiplier_batch"](ts, bases, "balance"),
    }


_SCALAR_CALLS = {
    "space_bound": lambda f: f(1000),
    "efficiency": lambda f: f(1000),
    "space_saved_percent": lambda f: f(1000),
    "optimal_batch_size": lambda f: f(10 ** 6, 4096.0, 5.0),
    "confidence_multiplier": lambda f: f(1234, 0.9, "balance"),
}


def _crossover(rows):
    """Smallest n from which native is faster at every larger measured n (None: never)."""
    found = None
    for n, pure, native in reversed(rows):
        if native > pure:
            break
        found = n
    return found


def calibrate_backend(backend):
    native = williams._functions(backend, williams._limits("native", backend))
    python = williams._functions(backend, williams._limits("python", backend))
    print("\n== %s backend (%s)" % (backend.name, backend.library))
    rows = {name: [] for name in williams._BATCHES}
    for n in _SIZES:
        ts = _random_ts(n)
        native_calls, python_calls = _batch_calls(native, ts), _batch_calls(python, ts)
        for name in rows:
            rows[name].append((n, best_seconds(python_calls[name]),
                               best_seconds(native_calls[name])))
    thresholds = {}
    for name, measured in rows.items():
        thresholds[name] = _crossover(measured)
        print("\n%s: crossover at n = %s" % (name, thresholds[name]))
        print("%8s  %12s  %12s  %8s" % ("n", "pure", "native", "ratio"))
        for n, pure, nat in measured:
            print("%8d  %12s  %12s  %7.2fx" % (n, _fmt(pure), _fmt(nat), pure / nat))

    print("\nscalar functions (twin as dispatched vs native call):")
    faster = []
    for name, call in _SCALAR_CALLS.items():
        pure = best_seconds(lambda: call(python[name]))
        nat = best_seconds(lambda: call(native[name]))
        if nat < pure:
            faster.append(name)
        print("  %-22s twin %s  native %s  -> %s" % (name, _fmt(pure), _fmt(nat),
                                                    "native" if nat < pure else "twin"))

    print("\n1,000,000 items, space_bound_batch(array('Q')):")
    ts = _random_ts(1_000_000)
    n = len(ts)
    lib, zero = backend.lib, array("d", [0.0])
    bare_in = backend.in_u64(memoryview(ts))
    warm_out = zero * n
    warm_ptr = backend.out_f64(warm_out)
    # Returning new results means writing fresh memory: the fair baseline for the public
    # API is the bare call into a newly allocated output, allocated the way the API does.
    bare_warm = best_seconds(lambda: lib.hotpath_williams_space_bound_batch(bare_in, n, warm_ptr),
                             min_run=0.2)

    def bare_call_into_new_output():
        out = zero * n  # must outlive the call: ctypes gets a bare address
        lib.hotpath_williams_space_bound_batch(bare_in, n, backend.out_f64(out))

    bare_fresh = best_seconds(bare_call_into_new_output, min_run=0.2)
    api = best_seconds(lambda: native["space_bound_batch"](ts), min_run=0.2)
    listed = list(ts)
    from_list = best_seconds(lambda: native["space_bound_batch"](listed), min_run=0.2, repeat=3)
    pure = best_seconds(lambda: python["space_bound_batch"](ts), min_run=0.2, repeat=1)
    print("  bare call: %s into a reused output, %s into a new one" % (_fmt(bare_warm),
                                                                      _fmt(bare_fresh)))
    print("  public API: %s (%+.1f%% over the bare call into a new output); from a list %s; "
          "pure Python %s" % (_fmt(api), 100.0 * (api / bare_fresh - 1.0), _fmt(from_list),
                              _fmt(pure)))
    return thresholds, faster


def run_calibration():
    print("calibrating on %d threads (hotpath.get_num_threads())" % hotpath.get_num_threads())
    results = {}
    for kind in ("ctypes", "cffi"):
        try:
            backend = _loader.load(kind)
        except HotpathError as exc:
            print("\n== %s backend: not available (%s)" % (kind, str(exc).splitlines()[0]))
            continue
        results[kind] = calibrate_backend(backend)
    if not results:
        print("no native backend loads: nothing to calibrate")
        return 1
    print("\nmeasured THRESHOLDS (None: native never faster up to %d items):" % _SIZES[-1])
    for kind, (thresholds, faster) in results.items():
        print("  %r: %r," % (kind, thresholds))
    print("measured NATIVE_SCALARS:")
    for kind, (thresholds, faster) in results.items():
        print("  %r: %r," % (kind, sorted(faster)))
    return 0


def main(calibrate=False):
    hotpath.reset_stats()
    if calibrate:
        status = run_calibration()
    else:
        quick()
        status = 0
    hotpath.reset_stats()
    return status
