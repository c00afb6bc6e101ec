"""The Williams space optimizer: closed-form batch sizing and confidence scoring for
document/OCR pipelines (C API: include/hotpath/williams.h).

Scalar functions (t, total_items and num_fields are integers in [0, 2**64)):
    space_bound(t), efficiency(t), space_saved_percent(t) -> float
    optimal_batch_size(total_items, available_memory_mb, memory_per_item_mb=5.0) -> int
    confidence_multiplier(num_fields, base_confidence=0.85, regime="balance") -> float

Batch forms take any buffer of integers (array.array, memoryview, numpy...) or a
sequence of ints, and return array.array (numpy for a numpy input):
    space_bound_batch(ts), efficiency_batch(ts), space_saved_percent_batch(ts) -> 'd'
    optimal_batch_size_batch(total_items, available_memory_mb, memory_per_item_mb=5.0) -> 'Q'
    confidence_multiplier_batch(num_fields, base_confidence=0.85, regime="balance") -> 'd'
        (base_confidence: one number, or one per item)

WilliamsSpaceOptimizer is a drop-in for the reference class, with a batch method
score_documents().

Native batch calls release the GIL while the kernel runs (ctypes and cffi both drop
it around foreign calls), so other Python threads keep running; the kernel itself
uses the library's thread pool (hotpath.set_num_threads).

Routing: each public name is rebound by hotpath.set_dispatch() (see _dispatch).
Scalar calls run the pure-Python twin (_williams_py) unless NATIVE_SCALARS says the
library is faster for them; batches run natively from THRESHOLDS items up.  Code
that switches dispatch modes at run time should call through this module rather
than names imported from it before the switch.
"""

from __future__ import annotations

from typing import NamedTuple

from . import _dispatch
from ._ffi import _loader
from . import _williams_py as _py
from ._buffers import f64_output, f64_result, u64_arg, u64_input, u64_output, u64_result
from ._dispatch import count_native, like

__all__ = [
    "space_bound", "efficiency", "space_saved_percent", "optimal_batch_size",
    "confidence_multiplier", "space_bound_batch", "efficiency_batch",
    "space_saved_percent_batch", "optimal_batch_size_batch", "confidence_multiplier_batch",
    "SpaceBoundResult", "WilliamsSpaceOptimizer", "REGIMES", "THRESHOLDS", "NATIVE_SCALARS",
]

REGIMES = dict(_py.REGIME_LEVERAGE)

# Smallest batch (items) that runs natively in "auto" mode, per native backend, from
# `python3 -m hotpath bench --calibrate` on 2026-11-24 (2-core x86-64 VM, CPython 3.11,
# array('Q') input of random ints, two runs agreeing).  Comments: pure-Python / native
# time at the threshold and at half of it.  A native call costs ~1.0 us (ctypes) or
# ~1.2 us (cffi) whatever its size, the twin ~0.75 us plus ~0.1-0.6 us per item.
THRESHOLDS = {
    "ctypes": {
        "space_bound_batch": 4,            # n=4: 1.16/1.07 us; n=2: 0.93/1.03 us
        "efficiency_batch": 4,             # n=4: 1.24/1.10 us; n=2: 0.97/1.11 us
        "space_saved_percent_batch": 3,    # n=3: 1.40/1.12 us; n=2: 1.09/1.16 us
        "optimal_batch_size_batch": 2,     # n=2: 1.82/1.44 us; n=1: 1.33/1.35 us
        "confidence_multiplier_batch": 2,  # n=2: 2.56/2.00 us; n=1: 1.88/1.92 us
    },
    "cffi": {
        "space_bound_batch": 6,            # n=6: 1.39/1.21 us; n=3: 1.04/1.22 us
        "efficiency_batch": 4,             # n=4: 1.20/1.18 us; n=2: 0.91/1.15 us
        "space_saved_percent_batch": 4,    # n=4: 1.26/1.18 us; n=2: 0.99/1.18 us
        "optimal_batch_size_batch": 2,     # n=2: 1.65/1.41 us; n=1: 1.31/1.40 us
        "confidence_multiplier_batch": 2,  # n=2: 2.44/2.08 us; n=1: 1.87/2.53 us
    },
}

# Scalar functions that run natively in "auto" mode: only those measured faster than
# the twin including the foreign call.  None is (2026-11-24, same run): the twin takes
# 150-190 ns for space_bound/efficiency/space_saved_percent against 365-440 ns
# natively, 0.61/0.70 us for optimal_batch_size/confidence_multiplier against 0.93-1.04 us.
NATIVE_SCALARS = {
    "ctypes": frozenset(),
    "cffi": frozenset(),
}

_SCALARS = ("space_bound", "efficiency", "space_saved_percent", "optimal_batch_size",
            "confidence_multiplier")
_MAP_BATCHES = ("space_bound_batch", "efficiency_batch", "space_saved_percent_batch")
_BATCHES = _MAP_BATCHES + ("optimal_batch_size_batch", "confidence_multiplier_batch")

_INF = float("inf")
_STATS = _dispatch.STATS


# --- native kernels -----------------------------------------------------------------

def _native_scalars(backend):
    """Scalar functions with the public signatures that always call the library.

    Arguments are validated here exactly as the twin validates them, so a bad
    argument raises the same exception before any native call.
    """
    lib = backend.lib
    error = backend.error
    new_u64, new_f64 = backend.new_u64, backend.new_f64
    codes = _regime_codes(backend)
    sb = lib.hotpath_williams_space_bound
    eff = lib.hotpath_williams_efficiency
    saved = lib.hotpath_williams_space_saved_percent
    obs = lib.hotpath_williams_optimal_batch_size
    conf = lib.hotpath_williams_confidence_multiplier

    def space_bound(t):
        t = u64_arg(t, "t")
        count_native(1)
        return sb(t)

    def efficiency(t):
        t = u64_arg(t, "t")
        count_native(1)
        return eff(t)

    def space_saved_percent(t):
        t = u64_arg(t, "t")
        count_native(1)
        return saved(t)

    def optimal_batch_size(total_items, available_memory_mb,
                           memory_per_item_mb=_py.DEFAULT_MEMORY_PER_ITEM_MB):
        total = u64_arg(total_items, "total_items")
        available, per_item = _py.memory_args(available_memory_mb, memory_per_item_mb)
        out = new_u64()
        status = obs(total, available, per_item, out)
        if status:
            raise error(status)
        count_native(1)
        return int(out[0])

    def confidence_multiplier(num_fields, base_confidence=_py.DEFAULT_BASE_CONFIDENCE,
                              regime="balance"):
        _py.regime_leverage(regime)
        base = _py.unit_arg(base_confidence, "base_confidence")
        n = u64_arg(num_fields, "num_fields")
        out = new_f64()
        status = conf(n, base, codes[regime], out)
        if status:
            raise error(status)
        count_native(1)
        return out[0]

    kernels = {"space_bound": space_bound, "efficiency": efficiency,
               "space_saved_percent": space_saved_percent,
               "optimal_batch_size": optimal_batch_size,
               "confidence_multiplier": confidence_multiplier}
    return {name: like(getattr(_py, name), func, __name__) for name, func in kernels.items()}


def _regime_codes(backend):
    """Regime name -> the library's code, asked from the library rather than assumed."""
    codes = {}
    for name in _py.REGIME_LEVERAGE:
        raw = name.encode("utf-8")
        cell = backend.new_i32()
        status = backend.lib.hotpath_williams_regime_from_name(raw, len(raw), cell)
        if status:
            raise backend.error(status)
        codes[name] = int(cell[0])
    return codes


# --- batch dispatchers --------------------------------------------------------------
# Each normalises its input once (_buffers), then runs the library for n >= threshold
# and the twin's kernel below it.  threshold is +inf when no native path may run.

def _map_batch(twin_kernel, native, threshold, backend):
    """batch(ts) for a kernel mapping each uint64 item to a float64."""
    if native is not None:
        in_u64, out_f64, error = backend.in_u64, backend.out_f64, backend.error

    def batch(ts):
        data, n, like = u64_input(ts, "ts")
        if n >= threshold:
            out = f64_output(n, like)
            status = native(in_u64(data), n, out_f64(out))
            if status:
                raise error(status)
            _STATS["native_calls"] += 1
            _STATS["items_native"] += n
            return out
        _STATS["fallback_calls"] += 1
        _STATS["items_fallback"] += n
        return f64_result(twin_kernel(data), like)

    return batch


def _optimal_batch(threshold, backend):
    if threshold < _INF:
        native = backend.lib.hotpath_williams_optimal_batch_size_batch
        in_u64, out_u64, error = backend.in_u64, backend.out_u64, backend.error

    def optimal_batch_size_batch(total_items, available_memory_mb,
                                 memory_per_item_mb=_py.DEFAULT_MEMORY_PER_ITEM_MB):
        data, n, like = u64_input(total_items, "total_items")
        available, per_item = _py.memory_args(available_memory_mb, memory_per_item_mb)
        if n >= threshold:
            out = u64_output(n, like)
            status = native(in_u64(data), n, available, per_item, out_u64(out))
            if status:
                raise error(status)
            _STATS["native_calls"] += 1
            _STATS["items_native"] += n
            return out
        _STATS["fallback_calls"] += 1
        _STATS["items_fallback"] += n
        return u64_result(_py.optimal_batch_size_kernel(data, available, per_item), like)

    return optimal_batch_size_batch


def _confidence_batch(threshold, backend):
    if threshold < _INF:
        native = backend.lib.hotpath_williams_confidence_multiplier_batch
        in_u64, in_f64, out_f64 = backend.in_u64, backend.in_f64, backend.out_f64
        error, null = backend.error, backend.NULL
        codes = _regime_codes(backend)

    def confidence_multiplier_batch(num_fields, base_confidence=_py.DEFAULT_BASE_CONFIDENCE,
                                    regime="balance"):
        leverage = _py.regime_leverage(regime)
        bases, count, base = _py.base_confidence_args(base_confidence)
        data, n, like = u64_input(num_fields, "num_fields")
        _py.check_same_length(bases, count, n)
        if n >= threshold:
            out = f64_output(n, like)
            status = native(in_u64(data), n, null if bases is None else in_f64(bases), base,
                            codes[regime], out_f64(out))
            if status:
                raise error(status)
            _STATS["native_calls"] += 1
            _STATS["items_native"] += n
            return out
        _STATS["fallback_calls"] += 1
        _STATS["items_fallback"] += n
        return f64_result(_py.confidence_multiplier_kernel(data, bases, base, leverage), like)

    return confidence_multiplier_batch


def _limits(mode, backend):
    """name -> smallest call size that runs natively (+inf: never)."""
    limits = _dispatch.limits(mode, backend, _SCALARS + _BATCHES, THRESHOLDS)
    if mode == "auto" and backend.native:
        limits.update(dict.fromkeys(NATIVE_SCALARS.get(backend.name, ()), 1))
    return limits


def _functions(backend, limits):
    """The public functions for one backend and set of limits."""
    chosen = {}
    scalars = None
    for name in _SCALARS:
        if limits[name] <= 1:
            if scalars is None:
                scalars = backend.kernels.get("williams.scalars")
                if scalars is None:
                    scalars = backend.kernels["williams.scalars"] = _native_scalars(backend)
            chosen[name] = scalars[name]
        else:
            chosen[name] = _TWIN_SCALARS[name]
    for name in _MAP_BATCHES:
        threshold = limits[name]
        native = getattr(backend.lib, "hotpath_williams_" + name) if threshold < _INF else None
        twin_kernel = getattr(_py, name[:-len("_batch")] + "_kernel")
        chosen[name] = _map_batch(twin_kernel, native, threshold, backend)
    chosen["optimal_batch_size_batch"] = _optimal_batch(limits["optimal_batch_size_batch"],
                                                        backend)
    chosen["confidence_multiplier_batch"] = _confidence_batch(
        limits["confidence_multiplier_batch"], backend)
    for name in _BATCHES:
        like(getattr(_py, name), chosen[name], __name__)
    return chosen


def _bind(mode):
    globals().update(_functions(_loader.active(), _limits(mode, _loader.active())))


# Bound for real by _dispatch.register below; these assignments only name the public
# functions for readers and tools.
space_bound = _py.space_bound
efficiency = _py.efficiency
space_saved_percent = _py.space_saved_percent
optimal_batch_size = _py.optimal_batch_size
confidence_multiplier = _py.confidence_multiplier
space_bound_batch = _py.space_bound_batch
efficiency_batch = _py.efficiency_batch
space_saved_percent_batch = _py.space_saved_percent_batch
optimal_batch_size_batch = _py.optimal_batch_size_batch
confidence_multiplier_batch = _py.confidence_multiplier_batch


# --- the optimizer class ------------------------------------------------------------

class SpaceBoundResult(NamedTuple):
    """What WilliamsSpaceOptimizer.calculate_space_bound returns."""
    space_bound: float
    efficiency: float
    time_complexity: int
    space_reduction_percent: float


class WilliamsSpaceOptimizer:
    """Drop-in for the reference optimizer class.

    The efficiency history is kept as running totals (count, sum, max, and the sum
    of efficiency - 1), so long-lived optimizers use constant memory.  Methods call
    this module's public functions, so they follow the dispatch mode.
    """

    def __init__(self):
        self.reset_stats()

    def calculate_space_bound(self, time_complexity):
        """The space bound, efficiency and space saved for time_complexity; records
        the efficiency in the history."""
        t = u64_arg(time_complexity, "time_complexity")
        result = SpaceBoundResult(space_bound(t), efficiency(t), t, space_saved_percent(t))
        self._record(result.efficiency)
        return result

    def optimize_batch_size(self, total_items, available_memory_mb,
                            memory_per_item_mb=_py.DEFAULT_MEMORY_PER_ITEM_MB):
        """optimal_batch_size(...); records efficiency(total_items) like the reference,
        which calls calculate_space_bound."""
        size = optimal_batch_size(total_items, available_memory_mb, memory_per_item_mb)
        self._record(efficiency(total_items))
        return size

    def calculate_confidence_multiplier(self, num_fields_extracted,
                                        base_confidence=_py.DEFAULT_BASE_CONFIDENCE,
                                        regime="balance"):
        return confidence_multiplier(num_fields_extracted, base_confidence, regime)

    def score_documents(self, num_fields, base_confidences=_py.DEFAULT_BASE_CONFIDENCE,
                        regime="balance"):
        """Confidence multipliers of a batch of documents (not recorded in the history)."""
        return confidence_multiplier_batch(num_fields, base_confidences, regime)

    def get_optimization_stats(self):
        """average/max efficiency, operation count and total space saved (sum of
        efficiency - 1), rounded to 2 decimals; zeros when nothing was recorded."""
        count = self._count
        if not count:
            return {"average_efficiency": 0.0, "max_efficiency": 0.0, "operation_count": 0,
                    "total_space_saved": 0.0}
        return {"average_efficiency": round(self._sum / count, 2),
                "max_efficiency": round(self._max, 2),
                "operation_count": count,
                "total_space_saved": round(self._saved, 2)}

    def reset_stats(self):
        self._count = 0
        self._sum = 0.0
        self._max = 0.0
        self._saved = 0.0

    def _record(self, eff):
        if self._count == 0 or eff > self._max:
            self._max = eff
        self._count += 1
        self._sum += eff
        self._saved += eff - 1.0

    def __repr__(self):
        return "WilliamsSpaceOptimizer(operation_count=%d)" % self._count


# Scalar calls the twin serves ARE the twin's functions: no wrapper, no counter,
# so the public call costs exactly the pure-Python path (see _dispatch).
_TWIN_SCALARS = {name: getattr(_py, name) for name in _SCALARS}
_dispatch.register(_bind)
