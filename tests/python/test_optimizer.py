"""The drop-in class WilliamsSpaceOptimizer."""
from array import array

import pytest

import hotpath_williams_reference as ref

ZEROS = {"average_efficiency": 0.0, "max_efficiency": 0.0, "operation_count": 0, "total_space_saved": 0.0}


@pytest.fixture
def opt(W):
    return W.WilliamsSpaceOptimizer()


def test_space_bound_result_fields(opt, dispatch):
    r = opt.calculate_space_bound(1000)
    assert r.time_complexity == 1000
    assert r.space_bound == pytest.approx(315.145770, abs=1e-6)
    assert r.efficiency == pytest.approx(3.173135, abs=1e-6)
    assert r.space_reduction_percent == pytest.approx(68.485423, abs=1e-6)
    r = opt.calculate_space_bound(time_complexity=10000)
    assert (r.space_bound, r.efficiency, r.space_reduction_percent) == pytest.approx(
        (1328.771238, 7.525750, 86.712288), abs=1e-6)
    r = opt.calculate_space_bound(0)
    assert (r.space_bound, r.efficiency, r.time_complexity, r.space_reduction_percent) == (1.0, 1.0, 0, 0.0)


def test_space_bound_result_is_immutable(opt):
    r = opt.calculate_space_bound(100)
    with pytest.raises((AttributeError, TypeError)):
        r.space_bound = 5.0


def test_empty_history_is_zeros(opt):
    s = opt.get_optimization_stats()
    assert s == ZEROS
    assert type(s["operation_count"]) is int


def test_history_from_calculate_space_bound(opt, dispatch):
    opt.calculate_space_bound(100)
    opt.calculate_space_bound(1000)
    # efficiencies 1.505150 and 3.173135
    s = opt.get_optimization_stats()
    assert s == {"average_efficiency": 2.34, "max_efficiency": 3.17, "operation_count": 2,
                 "total_space_saved": 2.68}
    opt.calculate_space_bound(10000)
    s = opt.get_optimization_stats()
    # (1.505150 + 3.173135 + 7.525750) / 3 = 4.068012 ; sum(eff - 1) = 9.204035
    assert s == {"average_efficiency": 4.07, "max_efficiency": 7.53, "operation_count": 3,
                 "total_space_saved": 9.2}


def test_history_from_optimize_batch_size(opt, dispatch):
    assert opt.optimize_batch_size(1000, 1000.0) == 356
    s = opt.get_optimization_stats()
    assert s == {"average_efficiency": 3.17, "max_efficiency": 3.17, "operation_count": 1,
                 "total_space_saved": 2.17}
    assert opt.optimize_batch_size(total_items=10000, available_memory_mb=100.0, memory_per_item_mb=5.0) == 54
    s = opt.get_optimization_stats()
    # (3.173135 + 7.525750) / 2 = 5.349442 ; 2.173135 + 6.525750 = 8.698885
    assert s == {"average_efficiency": 5.35, "max_efficiency": 7.53, "operation_count": 2,
                 "total_space_saved": 8.7}


def test_stats_are_rounded_to_two_decimals(opt, dispatch):
    ts = [3, 7, 12345, 99991, 2 ** 40 + 3]
    for t in ts:
        opt.calculate_space_bound(t)
    effs = [ref.dec_efficiency(t) for t in ts]
    s = opt.get_optimization_stats()
    assert s["operation_count"] == len(ts)
    assert s["average_efficiency"] == round(sum(effs) / len(effs), 2)
    assert s["max_efficiency"] == round(max(effs), 2)
    assert s["total_space_saved"] == round(sum(e - 1 for e in effs), 2)
    for k in ("average_efficiency", "max_efficiency", "total_space_saved"):
        assert round(s[k], 2) == s[k]


def test_reset_stats(opt, dispatch):
    opt.calculate_space_bound(1000)
    opt.optimize_batch_size(100, 10.0)
    assert opt.get_optimization_stats()["operation_count"] == 2
    opt.reset_stats()
    assert opt.get_optimization_stats() == ZEROS
    opt.calculate_space_bound(100)
    assert opt.get_optimization_stats() == {"average_efficiency": 1.51, "max_efficiency": 1.51,
                                            "operation_count": 1, "total_space_saved": 0.51}


def test_instances_have_separate_history(W):
    a, b = W.WilliamsSpaceOptimizer(), W.WilliamsSpaceOptimizer()
    a.calculate_space_bound(1000)
    assert b.get_optimization_stats() == ZEROS


def test_calculate_confidence_multiplier(opt, dispatch):
    for n, b, regime in [(5, 0.9, "balance"), (10000, 0.8, "support"), (2, 0.0, "exploration"), (1, 0.2, "balance"),
                         (300000, 0.5, "balance")]:
        assert ref.rel_close(opt.calculate_confidence_multiplier(n, b, regime),
                             ref.dec_confidence_multiplier(n, b, regime))
    assert ref.rel_close(opt.calculate_confidence_multiplier(num_fields_extracted=100),
                         ref.dec_confidence_multiplier(100, 0.85, "balance"))
    with pytest.raises(ValueError):
        opt.calculate_confidence_multiplier(10, 0.85, "nope")
    with pytest.raises(ValueError):
        opt.calculate_confidence_multiplier(10, 1.5)


def test_score_documents_equals_per_document(opt, dispatch):
    ns = [0, 1, 3, 9, 10, 57, 500, 501, 2000, 10000, 300000]
    bases = [0.6, 0.7, 0.99, 0.9, 0.61, 0.85, 1.0, 0.75, 0.95, 0.8, 0.65]
    out = opt.score_documents(ns, bases, "support")
    assert type(out) is array and out.typecode == "d" and len(out) == len(ns)
    per_doc = [opt.calculate_confidence_multiplier(n, b, "support") for n, b in zip(ns, bases)]
    assert list(out) == pytest.approx(per_doc, rel=1e-12)
    assert all(ref.rel_close(g, ref.dec_confidence_multiplier(n, b, "support")) for g, n, b in zip(out, ns, bases))
    out = opt.score_documents(ns)  # defaults 0.85, balance
    assert list(out) == pytest.approx([opt.calculate_confidence_multiplier(n) for n in ns], rel=1e-12)
    out = opt.score_documents(array("Q", ns), base_confidences=0.9, regime="exploration")
    assert list(out) == pytest.approx([opt.calculate_confidence_multiplier(n, 0.9, "exploration") for n in ns],
                                      rel=1e-12)


def test_score_documents_does_not_record_history(opt, dispatch):
    opt.score_documents([10, 100, 1000], 0.9)
    assert opt.get_optimization_stats() == ZEROS
    opt.calculate_space_bound(1000)
    opt.score_documents(list(range(2, 5000)))
    assert opt.get_optimization_stats()["operation_count"] == 1


def test_score_documents_errors(opt, dispatch):
    with pytest.raises(ValueError):
        opt.score_documents([10, 20], [0.9], "balance")
    with pytest.raises(ValueError):
        opt.score_documents([10, 20], [0.9, 2.0], "balance")
    with pytest.raises(ValueError):
        opt.score_documents([10, -20])


def test_optimizer_argument_errors(opt, dispatch):
    with pytest.raises(ValueError):
        opt.calculate_space_bound(-1)
    with pytest.raises(TypeError):
        opt.calculate_space_bound(10.5)
    with pytest.raises(ValueError):
        opt.optimize_batch_size(100, float("nan"))
    with pytest.raises(ValueError):
        opt.optimize_batch_size(100, 10.0, 0.0)


def test_history_is_kept_cheaply(opt):
    # running count/sum/max, not an unbounded list of results
    n = 3000
    for t in range(2, n + 2):
        opt.calculate_space_bound(t)
    assert opt.get_optimization_stats()["operation_count"] == n
    state = dict(getattr(opt, "__dict__", {}))
    for name in getattr(type(opt), "__slots__", ()):
        if hasattr(opt, name):
            state[name] = getattr(opt, name)
    grown = {k: len(v) for k, v in state.items() if hasattr(v, "__len__") and not isinstance(v, (str, bytes))
             and len(v) >= n}
    assert not grown, grown
