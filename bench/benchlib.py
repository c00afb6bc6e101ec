"""Timing helpers shared by the Python benchmark scripts of bench/."""

from __future__ import annotations

import platform
import statistics
import time

from hotpath import _dispatch, _loader


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
