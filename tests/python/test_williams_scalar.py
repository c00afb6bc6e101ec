"""Scalar Williams API: golden values, hand-computed branches, argument validation."""
import math
import operator

import pytest

import hotpath_williams_reference as ref

# From the issue, to 6 decimals; checked against 50-digit decimals in test_golden_table_itself.
GOLDEN = [
    (100, 66.438562, 1.505150, 33.561438),
    (1000, 315.145770, 3.173135, 68.485423),
    (10000, 1328.771238, 7.525750, 86.712288),
]

U64_MAX = 2 ** 64 - 1
SCALAR_FUNCS = ("space_bound", "efficiency", "space_saved_percent")


def test_golden_table_itself():
    # Guards the golden table against typos: an independent 50-digit computation.
    for t, sb, eff, saved in GOLDEN:
        assert abs(ref.dec_space_bound(t) - sb) <= 5e-7
        assert abs(ref.dec_efficiency(t) - eff) <= 5e-7
        assert abs(ref.dec_space_saved_percent(t) - saved) <= 5e-7


@pytest.mark.parametrize("t,sb,eff,saved", GOLDEN)
def test_golden_values(W, dispatch, t, sb, eff, saved):
    got_sb, got_eff, got_saved = W.space_bound(t), W.efficiency(t), W.space_saved_percent(t)
    assert type(got_sb) is float and type(got_eff) is float and type(got_saved) is float
    assert got_sb == pytest.approx(sb, abs=1e-6)
    assert got_eff == pytest.approx(eff, abs=1e-6)
    assert got_saved == pytest.approx(saved, abs=1e-6)
    # and far tighter against the 50-digit reference
    assert ref.rel_close(got_sb, ref.dec_space_bound(t))
    assert ref.rel_close(got_eff, ref.dec_efficiency(t))
    assert ref.rel_close(got_saved, ref.dec_space_saved_percent(t))


@pytest.mark.parametrize("t", [0, 1])
def test_trivial_t(W, dispatch, t):
    assert W.space_bound(t) == 1.0
    assert W.efficiency(t) == 1.0
    assert W.space_saved_percent(t) == 0.0


def test_t_equals_2(W, dispatch):
    r2 = math.sqrt(2.0)
    assert W.space_bound(2) == pytest.approx(r2 * 1.0, rel=1e-15)
    assert W.efficiency(2) == pytest.approx(2 / r2, rel=1e-15)
    assert W.space_saved_percent(2) == pytest.approx((2 - r2) / 2 * 100, rel=1e-14)


def test_exact_powers(W, dispatch):
    # sqrt(4) * log2(4) = 4 ; sqrt(16) * log2(16) = 16 ; sqrt(2**64) * 64 = 2**38
    assert W.space_bound(4) == 4.0 and W.efficiency(4) == 1.0 and W.space_saved_percent(4) == 0.0
    assert W.space_bound(16) == 16.0 and W.efficiency(16) == 1.0
    assert W.space_bound(256) == 128.0 and W.efficiency(256) == 2.0
    assert W.space_saved_percent(256) == 50.0
    # 2**64 - 1 is 2**64 as a double
    assert W.space_bound(U64_MAX) == float(2 ** 38)
    assert W.efficiency(U64_MAX) == float(2 ** 26)
    assert W.space_saved_percent(U64_MAX) == pytest.approx((1 - 2.0 ** -26) * 100, rel=1e-15)


@pytest.mark.parametrize("t", [2 ** 63, U64_MAX, 2 ** 53 + 1, 2 ** 32, 3, 5, 7, 12345, 10 ** 12, 10 ** 18])
def test_large_and_odd_t_against_decimal(W, dispatch, t):
    assert ref.rel_close(W.space_bound(t), ref.dec_space_bound(t))
    assert ref.rel_close(W.efficiency(t), ref.dec_efficiency(t))
    assert ref.rel_close(W.space_saved_percent(t), ref.dec_space_saved_percent(t))


@pytest.mark.parametrize("name", SCALAR_FUNCS)
@pytest.mark.parametrize("bad", [2 ** 64, 2 ** 70, -1, -(2 ** 63)])
def test_out_of_range_t_is_value_error(hp, W, dispatch, name, bad):
    with pytest.raises(ValueError) as ei:
        getattr(W, name)(bad)
    assert isinstance(ei.value, hp.HotpathValueError)


@pytest.mark.parametrize("name", SCALAR_FUNCS)
@pytest.mark.parametrize("bad", [1.5, 100.0, "10", None, b"10", [10]])
def test_non_int_t_is_type_error(hp, W, dispatch, name, bad):
    with pytest.raises(TypeError) as ei:
        getattr(W, name)(bad)
    assert isinstance(ei.value, hp.HotpathTypeError)


class _IntLike:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


def test_int_like_accepted(W, dispatch):
    assert W.space_bound(_IntLike(1000)) == W.space_bound(1000)
    assert W.space_bound(True) == 1.0  # bool is an int (operator.index)
    assert operator.index(_IntLike(5)) == 5


def test_numpy_integer_scalars_accepted(W, dispatch, np):
    assert ref.rel_close(W.space_bound(np.uint64(1000)), ref.dec_space_bound(1000))
    assert ref.rel_close(W.efficiency(np.int64(10000)), ref.dec_efficiency(10000))
    assert ref.rel_close(W.space_bound(np.uint64(U64_MAX)), float(2 ** 38))


# ------------------------------------------------------------------ optimal_batch_size

# (total, avail, per, expected) computed by hand from
# naive = floor(avail/per); efficient = floor(naive*sqrt(efficiency(total))); max(1, min(efficient, total))
OBS_CASES = [
    (1000, 1000.0, 5.0, 356),       # naive 200, sqrt(3.173135)=1.781330 -> 356.27
    (100, 1000.0, 5.0, 100),        # 245.37 clamped to the total
    (10000, 100.0, 5.0, 54),        # naive 20, sqrt(7.525750)=2.743310 -> 54.87
    (10 ** 6, 8192.0, 0.5, 116051),  # naive 16384, sqrt(50.171666)=7.083196 -> 116051.1
    (10, 1.0, 5.0, 1),              # naive 0 -> lower clamp 1
    (10000, 0.0, 5.0, 1),           # no memory -> 1
    (0, 1000.0, 5.0, 1),            # total 0 -> 1
    (1, 1000.0, 5.0, 1),            # total 1 -> 1
    (2, 1000.0, 5.0, 2),
    (65536, 5.0, 5.0, 4),           # naive 1, efficiency(2**16) = 16 exactly -> sqrt 4
    (65536, 1000, 5, 800),          # int arguments are fine: 200 * 4
]


@pytest.mark.parametrize("total,avail,per,expected", OBS_CASES)
def test_optimal_batch_size_hand_cases(W, dispatch, total, avail, per, expected):
    got = W.optimal_batch_size(total, avail, per)
    assert type(got) is int
    assert got == expected
    assert ref.float_optimal_batch_size(total, avail, per) == expected  # the reference agrees


def test_optimal_batch_size_default_and_keywords(W, dispatch):
    assert W.optimal_batch_size(1000, 1000.0) == 356  # memory_per_item_mb defaults to 5.0
    assert W.optimal_batch_size(total_items=1000, available_memory_mb=1000.0, memory_per_item_mb=5.0) == 356
    assert W.optimal_batch_size(1000, available_memory_mb=10.0, memory_per_item_mb=0.1) == 178


HUGE_CASES = [
    # efficiency(2**64-1) is exactly 2**26 in doubles, so sqrt() is exactly 8192 and the products are exact.
    (U64_MAX, float(2 ** 51), 1.0, U64_MAX),                    # efficient == 2**64 > total -> total
    (U64_MAX, float(2 ** 51 + 5), 1.0, U64_MAX),                # efficient > 2**64 -> total
    (U64_MAX, float(2 ** 51 - 2 ** 17), 1.0, 2 ** 64 - 2 ** 30),  # efficient < total, exact
    (U64_MAX, 1e20, 1.0, U64_MAX),
    (U64_MAX, 1e30, 1e-3, U64_MAX),
]


@pytest.mark.parametrize("total,avail,per,expected", HUGE_CASES)
def test_optimal_batch_size_huge_totals_exact(W, dispatch, total, avail, per, expected):
    got = W.optimal_batch_size(total, avail, per)
    assert type(got) is int
    assert got == expected
    assert ref.float_optimal_batch_size(total, avail, per) == expected


@pytest.mark.parametrize("total,margin", [(2 ** 60 + 1, 10 ** 7), (2 ** 53 + 1, 10 ** 4), (2 ** 63 + 1, 10 ** 9),
                                          (U64_MAX - 2 ** 12, 10 ** 9)])
def test_optimal_batch_size_clamp_compares_exactly(W, dispatch, total, margin):
    # efficient lands a safe margin above a total that is NOT representable as a double;
    # comparing in doubles would return a rounded total instead of the total itself.
    s = math.sqrt(ref.float_efficiency(total))
    naive = math.ceil((total + margin) / s)
    assert float(naive) == naive
    got = W.optimal_batch_size(total, float(naive), 1.0)
    assert got == total
    assert ref.float_optimal_batch_size(total, float(naive), 1.0) == total


@pytest.mark.parametrize("total", [2 ** 63, U64_MAX, 2 ** 60 + 12345])
def test_optimal_batch_size_just_below_huge_total(W, dispatch, total):
    s = math.sqrt(ref.float_efficiency(total))
    naive = math.floor((total - 10 ** 9) / s)
    got = W.optimal_batch_size(total, float(naive), 1.0)
    want = ref.float_optimal_batch_size(total, float(naive), 1.0)
    assert type(got) is int
    assert got < total
    assert abs(got - want) <= 1e-12 * want


def test_optimal_batch_size_quotient_overflow(W, dispatch):
    # avail and per are both valid (finite, per > 0); avail/per overflows to +inf, so
    # efficient is +inf and min(efficient, total) is the total.
    assert W.optimal_batch_size(10, 1e308, 1e-300) == 10


@pytest.mark.parametrize("avail", [float("nan"), -1.0, -1e-300, float("inf"), float("-inf")])
def test_optimal_batch_size_bad_available_memory(hp, W, dispatch, avail):
    with pytest.raises(ValueError) as ei:
        W.optimal_batch_size(1000, avail, 5.0)
    assert isinstance(ei.value, hp.HotpathValueError)
    assert "available_memory_mb" in str(ei.value)


@pytest.mark.parametrize("per", [0.0, 0, -5.0, float("nan"), float("inf"), float("-inf")])
def test_optimal_batch_size_bad_memory_per_item(hp, W, dispatch, per):
    with pytest.raises(ValueError) as ei:
        W.optimal_batch_size(1000, 100.0, per)
    assert isinstance(ei.value, hp.HotpathValueError)
    assert "memory_per_item_mb" in str(ei.value)


@pytest.mark.parametrize("kw", [dict(available_memory_mb="10"), dict(available_memory_mb=None),
                                dict(memory_per_item_mb="5"), dict(memory_per_item_mb=None)])
def test_optimal_batch_size_non_number_is_type_error(hp, W, dispatch, kw):
    args = dict(total_items=1000, available_memory_mb=100.0, memory_per_item_mb=5.0)
    args.update(kw)
    with pytest.raises(TypeError) as ei:
        W.optimal_batch_size(**args)
    assert isinstance(ei.value, hp.HotpathTypeError)


@pytest.mark.parametrize("total,exc", [(-1, ValueError), (2 ** 64, ValueError), (1.5, TypeError), ("10", TypeError)])
def test_optimal_batch_size_bad_total(W, dispatch, total, exc):
    with pytest.raises(exc) as ei:
        W.optimal_batch_size(total, 100.0, 5.0)
    if exc is ValueError:
        assert "total_items" in str(ei.value)


# ------------------------------------------------------------------ confidence_multiplier

# (n, base, regime, expected): expected from the contract's formula, evaluated by hand
# (and re-checked against 50-digit decimals below).
CONF_CASES = [
    # n < 10 : factor 1 + (L/1000) * n/10
    (5, 0.9, "balance", 0.9084035314567123),
    (9, 0.9, "support", 0.9292467865707608),
    (2, 0.95, "exploration", None),
    # 10 <= n <= 500 : factor 1 + L/1000 (both bounds inclusive)
    (10, 0.9, "balance", 0.913559625817592),
    (500, 0.9, "balance", 0.9187589418446465),
    (100, 0.88, "support", None),
    # n > 500 : factor 1 + (L/1000) * log10(500)/log10(n)
    (501, 0.9, "balance", 0.9187612840573833),
    (10000, 0.8, "balance", 0.8567686059406396),
    (10000, 0.8, "support", 0.8685857332389737),
    (10000, 0.8, "exploration", 0.8655454043709556),
    (100000, 0.85, "exploration", 0.9588676730183454),
    # lower clamp 0.85
    (2, 0.0, "balance", 0.85),
    (10000, 0.5, "balance", 0.85),
    (50, 0.0, "support", 0.85),
    # upper clamp 1.0
    (300000, 0.5, "balance", 1.0),
    (100, 1.0, "support", 1.0),
    (U64_MAX, 0.0, "balance", 1.0),
]


@pytest.mark.parametrize("n,b,regime,expected", CONF_CASES)
def test_confidence_multiplier_branches(W, dispatch, n, b, regime, expected):
    want = ref.dec_confidence_multiplier(n, b, regime)
    if expected is not None:
        assert want == pytest.approx(expected, rel=1e-13)
    got = W.confidence_multiplier(n, b, regime)
    assert type(got) is float
    assert ref.rel_close(got, want)
    assert 0.85 <= got <= 1.0


def test_confidence_multiplier_branch_boundaries(W, dispatch):
    # The formula is continuous at both bounds (n/10 = 1 at n = 10, log10(500)/log10(n) = 1
    # at n = 500), so the branch taken there is not observable; check the values.
    L = 11.5
    b = 0.9
    for n in (10, 500):
        base = b + (1 - b) * min(1.0, ref.dec_efficiency(n) / 30)
        assert W.confidence_multiplier(n, b, "balance") == pytest.approx(base * (1 + L / 1000), rel=1e-12)
    # n = 9 uses 0.9 of the leverage
    base9 = b + (1 - b) * min(1.0, ref.dec_efficiency(9) / 30)
    assert W.confidence_multiplier(9, b, "balance") == pytest.approx(base9 * (1 + L / 1000 * 0.9), rel=1e-12)


@pytest.mark.parametrize("n", [0, 1])
@pytest.mark.parametrize("b", [0.0, 0.3, 0.85, 1.0])
@pytest.mark.parametrize("regime", ref.REGIMES)
def test_confidence_multiplier_zero_one_fields(W, dispatch, n, b, regime):
    assert W.confidence_multiplier(n, b, regime) == 1.0


def test_confidence_multiplier_defaults_and_keywords(W, dispatch):
    want = ref.dec_confidence_multiplier(10000, 0.85, "balance")
    assert ref.rel_close(W.confidence_multiplier(10000), want)
    assert ref.rel_close(W.confidence_multiplier(10000, 0.85), want)
    assert ref.rel_close(W.confidence_multiplier(num_fields=10000, base_confidence=0.85, regime="balance"), want)
    assert ref.rel_close(W.confidence_multiplier(10000, regime="support"),
                         ref.dec_confidence_multiplier(10000, 0.85, "support"))


def test_confidence_multiplier_sweep(W, dispatch):
    ns = list(range(0, 40)) + list(range(490, 515)) + [10 ** k for k in range(2, 20)] + [2 ** 63, U64_MAX, 2 ** 40 + 7]
    bases = [0.0, 0.25, 0.6, 0.85, 0.93, 0.999, 1.0]
    bad = []
    for regime in ref.REGIMES:
        for n in ns:
            for b in bases:
                got = W.confidence_multiplier(n, b, regime)
                want = ref.dec_confidence_multiplier(n, b, regime)
                if not ref.rel_close(got, want):
                    bad.append((n, b, regime, got, want))
    assert not bad, bad[:10]


@pytest.mark.parametrize("regime", ["Balance", "BALANCE", "", "unknown", "balance ", "support\x00"])
def test_confidence_multiplier_unknown_regime(hp, W, dispatch, regime):
    with pytest.raises(ValueError) as ei:
        W.confidence_multiplier(100, 0.85, regime)
    assert isinstance(ei.value, hp.HotpathValueError)
    msg = str(ei.value)
    assert "regime" in msg
    for name in ref.REGIMES:
        assert name in msg


@pytest.mark.parametrize("regime", [2, None, b"balance", 1.0, ["balance"]])
def test_confidence_multiplier_non_str_regime(hp, W, dispatch, regime):
    with pytest.raises(TypeError) as ei:
        W.confidence_multiplier(100, 0.85, regime)
    assert isinstance(ei.value, hp.HotpathTypeError)


@pytest.mark.parametrize("b", [-0.1, 1.1, float("nan"), float("inf"), float("-inf"), -1e-300, 1.0000000000000002])
def test_confidence_multiplier_bad_base(hp, W, dispatch, b):
    with pytest.raises(ValueError) as ei:
        W.confidence_multiplier(100, b, "balance")
    assert isinstance(ei.value, hp.HotpathValueError)
    assert "base_confidence" in str(ei.value)


def test_confidence_multiplier_validates_before_trivial_case(W, dispatch):
    # regime and base are validated FIRST, also when num_fields <= 1 would give 1.0
    for n in (0, 1):
        with pytest.raises(ValueError):
            W.confidence_multiplier(n, 1.5, "balance")
        with pytest.raises(ValueError):
            W.confidence_multiplier(n, float("nan"), "balance")
        with pytest.raises(ValueError):
            W.confidence_multiplier(n, 0.85, "nope")
        with pytest.raises(TypeError):
            W.confidence_multiplier(n, 0.85, 7)


@pytest.mark.parametrize("b", ["0.5", None])
def test_confidence_multiplier_non_number_base(W, dispatch, b):
    with pytest.raises(TypeError):
        W.confidence_multiplier(100, b, "balance")


@pytest.mark.parametrize("n,exc", [(-1, ValueError), (2 ** 64, ValueError), (2.0, TypeError), ("3", TypeError)])
def test_confidence_multiplier_bad_num_fields(W, dispatch, n, exc):
    with pytest.raises(exc) as ei:
        W.confidence_multiplier(n, 0.85, "balance")
    if exc is ValueError:
        assert "num_fields" in str(ei.value)
