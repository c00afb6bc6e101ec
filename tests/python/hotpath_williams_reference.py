"""Independent reference for the Williams formulas, written from the contract
(the formulas as given in the issue text, restated in docs/williams.md "Formulas",
and include/hotpath/williams.h), not from the package.

Two flavours:
  * float_*   : the formulas evaluated literally in IEEE doubles (what the contract
                describes); used where results are integers (batch sizes), so that
                floor() sees the same double values the contract prescribes.
  * dec_*     : the same formulas in 50-digit decimal arithmetic; used as the oracle
                for float results (compared with a relative tolerance).
"""
import math
from decimal import Decimal, localcontext

U64 = 2 ** 64
LEVERAGE = {"support": 32.1, "exploration": 26.8, "balance": 11.5}
REGIMES = tuple(LEVERAGE)

# ----------------------------------------------------------------------------- floats


def float_space_bound(t):
    if t <= 1:
        return 1.0
    x = float(t)
    return math.sqrt(x) * math.log2(x)


def float_efficiency(t):
    if t <= 1:
        return 1.0
    return float(t) / float_space_bound(t)


def float_space_saved_percent(t):
    if t <= 1:
        return 0.0
    x = float(t)
    return (x - float_space_bound(t)) / x * 100.0


def float_optimal_batch_size(total_items, available_memory_mb, memory_per_item_mb=5.0):
    quotient = available_memory_mb / memory_per_item_mb
    if math.isinf(quotient):
        # floor(inf) * sqrt(...) is +inf, larger than any total.
        return max(1, total_items)
    naive = math.floor(quotient)
    product = float(naive) * math.sqrt(float_efficiency(total_items))
    if math.isinf(product):
        return max(1, total_items)
    efficient = math.floor(product)  # a Python int: compared exactly with total_items
    return max(1, min(efficient, total_items))


def float_confidence_multiplier(n, b=0.85, regime="balance"):
    if n <= 1:
        return 1.0
    leverage = LEVERAGE[regime]
    base = b + (1.0 - b) * min(1.0, float_efficiency(n) / 30.0)
    if n < 10:
        factor = 1.0 + (leverage / 1000.0) * (n / 10.0)
    elif n <= 500:
        factor = 1.0 + leverage / 1000.0
    else:
        factor = 1.0 + (leverage / 1000.0) * (math.log10(500.0) / math.log10(float(n)))
    return min(1.0, max(0.85, base * factor))


# ----------------------------------------------------------------------------- decimals

_PREC = 50


def _d(x):
    return Decimal(x) if not isinstance(x, float) else Decimal(repr(x))


def dec_space_bound(t):
    if t <= 1:
        return 1.0
    with localcontext() as ctx:
        ctx.prec = _PREC
        T = Decimal(t)
        return float(T.sqrt() * (T.ln() / Decimal(2).ln()))


def _dec_eff(t):
    # returns a Decimal
    if t <= 1:
        return Decimal(1)
    T = Decimal(t)
    return T / (T.sqrt() * (T.ln() / Decimal(2).ln()))


def dec_efficiency(t):
    with localcontext() as ctx:
        ctx.prec = _PREC
        return float(_dec_eff(t))


def dec_space_saved_percent(t):
    if t <= 1:
        return 0.0
    with localcontext() as ctx:
        ctx.prec = _PREC
        T = Decimal(t)
        sb = T.sqrt() * (T.ln() / Decimal(2).ln())
        return float((T - sb) / T * 100)


def dec_confidence_multiplier(n, b=0.85, regime="balance"):
    if n <= 1:
        return 1.0
    with localcontext() as ctx:
        ctx.prec = _PREC
        B = _d(b)
        L = _d(LEVERAGE[regime])
        base = B + (1 - B) * min(Decimal(1), _dec_eff(n) / 30)
        if n < 10:
            factor = 1 + (L / 1000) * (Decimal(n) / 10)
        elif n <= 500:
            factor = 1 + L / 1000
        else:
            factor = 1 + (L / 1000) * (Decimal(500).log10() / Decimal(n).log10())
        r = base * factor
        r = min(Decimal(1), max(Decimal("0.85"), r))
        return float(r)


def rel_close(got, want, rel=1e-12):
    """|got - want| <= rel * |want| (exact when want == 0)."""
    if want == 0:
        return got == 0
    return abs(got - want) <= rel * abs(want)
