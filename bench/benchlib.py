"""Timing helpers shared by the Python benchmark scripts of bench/."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time

import hotpath
from hotpath import _dispatch
from hotpath._ffi import _loader


def timed_interleaved(funcs, repeat, min_time=0.05):
    """Median seconds per call of each function, sampled in turns (f1, f2, ..., f1, ...)
    so that a slow moment of a noisy machine hits all of them alike."""
    numbers = []
    for func in funcs:
        number = 1
        while True:
            t0 = time.perf_counter()
            for _ in range(number):
                func()
            if time.perf_counter() - t0 >= min_time:
                break
            number *= 4
        numbers.append(number)
    samples = [[] for _ in funcs]
    for _ in range(repeat):
        for func, number, out in zip(funcs, numbers, samples):
            t0 = time.perf_counter()
            for _ in range(number):
                func()
            out.append((time.perf_counter() - t0) / number)
    return [statistics.median(x) for x in samples]


def timed(func, repeat, min_time=0.05):
    """Median seconds per call of func(); calls are grouped so one sample lasts at
    least min_time (the timer's resolution and call jitter then do not matter)."""
    return timed_interleaved([func], repeat, min_time)[0]


def fmt_time(s):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if s >= scale:
            return "%.3g %s" % (s / scale, unit)
    return "%.3g ns" % (s * 1e9)


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def use_backend(backend):
    _loader.activate(backend)
    _dispatch.set_dispatch("auto")


def write_report(lines, path, default_name):
    """Print the markdown lines and write them to path, or to bench/results/default_name
    when path is None."""
    report = "\n".join(lines) + "\n"
    print(report)
    path = path or os.path.join(os.path.dirname(os.path.abspath(__file__)), "results",
                                default_name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(report)
    print("written to %s" % path, file=sys.stderr)


def load_backends():
    """(native, python): the native backends that load, by name ({"ctypes": ..,
    "cffi": ..}), and the pure-Python backend.  Says on stderr which native backend is
    skipped and why; exits when none loads, since there is then nothing to compare."""
    native = {}
    for name in ("ctypes", "cffi"):
        try:
            native[name] = _loader.load(name)
        except hotpath.HotpathError as exc:
            print("skipping %s: %s" % (name, str(exc).splitlines()[0]), file=sys.stderr)
    if not native:
        sys.exit("no native backend loads: build the library first (scripts/build.sh)")
    return native, _loader.load("python")


def word_vocabulary(rng, syllables, size):
    """size distinct made-up words of 1-4 syllables, sorted (deterministic for rng)."""
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))))
    return sorted(words)
