"""Pure-Python twin of the Williams kernels: the executable specification.

Every function here has the signature, return type and errors of its public
counterpart in ``hotpath.williams``, and the native kernels must agree with it
(to 1e-12 relative).  It runs when no library is loaded, and the dispatcher also
uses it for calls too small to amortise the cost of a foreign call.

Formulas (include/hotpath/williams.h), for a time complexity t:
    space_bound(t)         = sqrt(t) * log2(t)              (1.0 for t <= 1)
    efficiency(t)          = t / space_bound(t)             (1.0 for t <= 1)
    space_saved_percent(t) = (t - space_bound(t)) / t * 100 (0.0 for t <= 1)

Floating-point operations are written in the order the C kernels use, but the
results are not bit-identical: the native space_bound, efficiency,
space_saved_percent and confidence_multiplier (scalar and batch forms alike) use a
vectorisable log2 that is within 2 ulp of libm's, so they agree with this twin to a
relative 1e-12 (tested), not exactly.  optimal_batch_size (and its batch form) uses
libm's log2, the function math.log2 calls, and agrees exactly on glibc
(docs/williams.md).
"""

from __future__ import annotations

from array import array
from math import floor, inf, log2, log10, sqrt

from . import _buffers
from ._buffers import U64_LIMIT, pyitems, real_arg, u64_arg
from ._errors import ERANGE, HotpathTypeError, HotpathValueError, bad_real, bad_value, c_g

# Leverage L of each confidence regime (per mille bonus at full leverage).
REGIME_LEVERAGE = {"support": 32.1, "exploration": 26.8, "balance": 11.5}

DEFAULT_BASE_CONFIDENCE = 0.85
DEFAULT_MEMORY_PER_ITEM_MB = 5.0

_LOG10_500 = log10(500)


# --- scalar kernels -----------------------------------------------------------------
# The first line of each t-kernel is a fast path for the common case, a plain int
# in (1, 2**64); everything else (other int-likes, 0, 1, bad values) goes through
# u64_arg, which converts or raises.  The batch kernels below call these per item,
# so the fast path is most of the pure backend's speed.

def space_bound(t):
    """sqrt(t) * log2(t): the Williams space bound for time complexity t (1.0 if t <= 1)."""
    if t.__class__ is not int or not 1 < t < U64_LIMIT:
        t = u64_arg(t, "t")
        if t <= 1:
            return 1.0
    return sqrt(t) * log2(t)


def efficiency(t):
    """t / space_bound(t) (1.0 if t <= 1)."""
    if t.__class__ is not int or not 1 < t < U64_LIMIT:
        t = u64_arg(t, "t")
        if t <= 1:
            return 1.0
    return t / (sqrt(t) * log2(t))


def space_saved_percent(t):
    """(t - space_bound(t)) / t * 100: the share of space saved, in percent (0.0 if t <= 1)."""
    if t.__class__ is not int or not 1 < t < U64_LIMIT:
        t = u64_arg(t, "t")
        if t <= 1:
            return 0.0
    return (t - sqrt(t) * log2(t)) / t * 100.0


def optimal_batch_size(total_items, available_memory_mb,
                       memory_per_item_mb=DEFAULT_MEMORY_PER_ITEM_MB):
    """Items per batch: the memory-limited count scaled by sqrt(efficiency(total_items)),
    clamped to [1, total_items]."""
    total = u64_arg(total_items, "total_items")
    available, per_item = memory_args(available_memory_mb, memory_per_item_mb)
    return _optimal_batch_size(total, available, per_item)


def memory_args(available_memory_mb, memory_per_item_mb):
    """Validated (available, per_item) floats for optimal_batch_size and its batch form."""
    available = real_arg(available_memory_mb, "available_memory_mb")
    if not (available >= 0.0 and available < inf):  # NaN fails both comparisons
        raise bad_real("available_memory_mb", available, "a finite value >= 0")
    per_item = real_arg(memory_per_item_mb, "memory_per_item_mb")
    if not (per_item > 0.0 and per_item < inf):
        raise bad_real("memory_per_item_mb", per_item, "a finite value > 0")
    return available, per_item


def _optimal_batch_size(total, available, per_item):
    # Floating point as in C: naive = floor(available / per_item), efficient =
    # floor(naive * sqrt(efficiency(total))).  Either may be +inf (huge available over
    # a tiny per_item), which simply means memory is no constraint.
    naive = available / per_item
    if naive < inf:
        naive = float(floor(naive))
    efficient = naive * sqrt(efficiency(total))
    if efficient < inf:
        efficient = floor(efficient)
    # min() compares a float and an int exactly in Python, so totals near 2**64 (which
    # a double cannot represent) are clamped correctly.
    return max(1, min(efficient, total))


def confidence_multiplier(num_fields, base_confidence=DEFAULT_BASE_CONFIDENCE,
                          regime="balance"):
    """The confidence multiplier in [0.85, 1.0] for a document with num_fields fields.

    regime and base_confidence are checked first, so that a bad value is reported
    even when num_fields <= 1 makes the result 1.0.
    """
    leverage = regime_leverage(regime)
    base = unit_arg(base_confidence, "base_confidence")
    n = u64_arg(num_fields, "num_fields")
    return _confidence(n, base, leverage)


def regime_leverage(regime):
    """The leverage L of a regime name (exact, case-sensitive)."""
    if regime.__class__ is str:
        leverage = REGIME_LEVERAGE.get(regime)
        if leverage is not None:
            return leverage
    if not isinstance(regime, str):
        raise HotpathTypeError("argument 'regime' has type %s; expected a str"
                               % type(regime).__name__)
    leverage = REGIME_LEVERAGE.get(str(regime))
    if leverage is None:
        raise bad_value("regime", regime, "'support', 'exploration' or 'balance'")
    return leverage


def unit_arg(value, name):
    """value as a float in [0, 1]; NaN is refused."""
    v = real_arg(value, name)
    if not 0.0 <= v <= 1.0:
        raise bad_real(name, v, "a value in [0, 1]")
    return v


def _confidence(n, base, leverage):
    if n <= 1:
        return 1.0
    boosted = base + (1.0 - base) * min(1.0, efficiency(n) / 30.0)
    bonus = leverage / 1000.0
    if n < 10:
        factor = 1.0 + bonus * (n / 10.0)
    elif n <= 500:
        factor = 1.0 + bonus
    else:
        factor = 1.0 + bonus * (_LOG10_500 / log10(n))
    return min(1.0, max(0.85, boosted * factor))


# --- batch kernels on normalised data (see _buffers) -------------------------------
# The dispatcher in williams.py calls these directly once it has normalised the
# input, so the input is converted only once whichever path runs.

def space_bound_kernel(data):
    return array("d", map(space_bound, pyitems(data)))


def efficiency_kernel(data):
    return array("d", map(efficiency, pyitems(data)))


def space_saved_percent_kernel(data):
    return array("d", map(space_saved_percent, pyitems(data)))


def optimal_batch_size_kernel(data, available, per_item):
    return array("Q", [_optimal_batch_size(total, available, per_item)
                       for total in pyitems(data)])


def confidence_multiplier_kernel(data, bases, base, leverage):
    """bases: normalised per-item base confidences, or None to use base for every item.

    Like the C kernel, reports the first base outside [0, 1] with status ERANGE.
    """
    if bases is None:
        return array("d", [_confidence(n, base, leverage) for n in pyitems(data)])
    out = array("d")
    for i, (n, b) in enumerate(zip(pyitems(data), pyitems(bases))):
        if not 0.0 <= b <= 1.0:
            raise base_out_of_range(i, b)
        out.append(_confidence(n, b, leverage))
    return out


def base_out_of_range(index, value):
    # The C kernel's status and wording, so that every backend reports it alike.
    return HotpathValueError("base_confidences[%d] is %s; expected a value in [0, 1]"
                             % (index, c_g(value)), ERANGE)


def base_confidence_args(base_confidence):
    """(per-item bases or None, their count, scalar base) from one number or a batch.

    A scalar is range-checked here; per-item values are checked by the kernel.
    """
    if _buffers.is_scalar_number(base_confidence):
        return None, 0, unit_arg(base_confidence, "base_confidence")
    bases, count, _ = _buffers.f64_input(base_confidence, "base_confidence")
    return bases, count, DEFAULT_BASE_CONFIDENCE


def check_same_length(bases, count, n):
    if bases is not None and count != n:
        raise HotpathValueError("argument 'base_confidence' has %d items; expected %d, one "
                                "per item of num_fields" % (count, n))


# --- public batch forms ---------------------------------------------------------------

def space_bound_batch(ts):
    """space_bound of every item: array('d'), or numpy float64 for a numpy input."""
    data, _, like = _buffers.u64_input(ts, "ts")
    return _buffers.f64_result(space_bound_kernel(data), like)


def efficiency_batch(ts):
    data, _, like = _buffers.u64_input(ts, "ts")
    return _buffers.f64_result(efficiency_kernel(data), like)


def space_saved_percent_batch(ts):
    data, _, like = _buffers.u64_input(ts, "ts")
    return _buffers.f64_result(space_saved_percent_kernel(data), like)


def optimal_batch_size_batch(total_items, available_memory_mb,
                             memory_per_item_mb=DEFAULT_MEMORY_PER_ITEM_MB):
    """optimal_batch_size of every total: array('Q'), or numpy uint64 for a numpy input."""
    data, _, like = _buffers.u64_input(total_items, "total_items")
    available, per_item = memory_args(available_memory_mb, memory_per_item_mb)
    return _buffers.u64_result(optimal_batch_size_kernel(data, available, per_item), like)


def confidence_multiplier_batch(num_fields, base_confidence=DEFAULT_BASE_CONFIDENCE,
                                regime="balance"):
    """confidence_multiplier of every item; base_confidence is one number for all items
    or a batch of the same length as num_fields."""
    leverage = regime_leverage(regime)
    bases, count, base = base_confidence_args(base_confidence)
    data, n, like = _buffers.u64_input(num_fields, "num_fields")
    check_same_length(bases, count, n)
    return _buffers.f64_result(confidence_multiplier_kernel(data, bases, base, leverage), like)
