"""hotpath.compat.circle_of_experts against the behaviour of the class it replaces.

The replaced class is `RustIntegration` in Louranicas/claude-optimized-deployment,
src/circle_of_experts/utils/rust_integration.py (unchanged from c329548e to b755b2e6;
lines at b755b2e6): __init__ 18-29, module detection 31-92, set_custom_modules
94-110, analyze_consensus 112-148, aggregate_responses 150-181, analyze_responses
183-208, the Python paths _python_analyze_responses 210-260,
_python_consensus_analysis 262-327, _python_response_aggregation 329-385,
_calculate_consensus_level 387-400, get_performance_stats 402-417, the shared
instance 421-426.  Its Python paths are re-stated below, one function each.  Lists
the class built with list(set(...)) have no defined order: they are compared as
multisets, and the compat order (first seen) is checked on its own.
"""
import random
import sys
import types

import pytest

DEFAULTS = {"threshold": 0.7, "min_agreement": 0.5}

RESPONSES = [
    {"expert_type": "claude", "confidence": 0.8, "content": "Test 1", "recommendations": ["A", "B"]},
    {"expert_type": "gpt4", "confidence": 0.9, "content": "Test 2", "recommendations": ["B", "C"]},
    {"expert_type": "gemini", "confidence": 0.7, "content": "Test 3", "recommendations": ["A", "C"]},
]


@pytest.fixture(scope="module")
def coe():
    from hotpath.compat import circle_of_experts
    return circle_of_experts


@pytest.fixture
def integration(coe):
    return coe.RustIntegration()


# --- the re-statement of the replaced class's Python paths ---------------------------

def all_recs(responses):
    return [rec for r in responses for rec in list(r.get("recommendations", []))]


def first_seen_lower_counts(recs):
    counts = {}
    for rec in recs:
        counts[rec.lower()] = counts.get(rec.lower(), 0) + 1
    return counts


def up_analyze_responses(responses):
    """210-260: missing confidence 0.0; limitations lowercased into a set."""
    if not responses:
        return {"total_responses": 0, "average_confidence": 0.0, "consensus_score": 0.0,
                "high_confidence_count": 0, "common_recommendations": [],
                "unique_limitations": []}
    conf = [r.get("confidence", 0.0) for r in responses]
    avg = sum(conf) / len(conf)
    counts = first_seen_lower_counts(all_recs(responses))
    limits = {lim.lower() for r in responses for lim in r.get("limitations", [])}
    if len(responses) > 1:
        var = sum((c - avg) ** 2 for c in conf) / len(conf)
        score = avg * 0.6 + (1.0 - min(var, 1.0)) * 0.4
    else:
        score = avg
    return {"total_responses": len(responses), "average_confidence": round(avg, 3),
            "consensus_score": round(score, 3),
            "high_confidence_count": len([c for c in conf if c >= 0.7]),
            "common_recommendations": [k for k, v in counts.items() if v >= len(responses) / 2],
            "unique_limitations": sorted(limits)}  # a set: compared sorted


def up_analyze_consensus(responses, config=None):
    """262-327: the ratio divides by the distinct recommendations in original case."""
    config = config or DEFAULTS
    if not responses:
        return {"consensus_score": 0.0, "agreement_level": "none", "key_points": [],
                "dissenting_views": []}
    conf = [r.get("confidence", 0.5) for r in responses]
    avg = sum(conf) / len(conf)
    recs = all_recs(responses)
    counts = first_seen_lower_counts(recs)
    keys = [k for k, v in counts.items() if v >= len(responses) * config["min_agreement"]]
    if len(responses) > 1:
        score = avg * 0.6 + len(keys) / max(1, len(set(recs))) * 0.4
    else:
        score = avg
    if score >= config["threshold"]:
        level = "high"
    elif score >= 0.5:
        level = "medium"
    else:
        level = "low"
    return {"consensus_score": round(score, 3), "agreement_level": level,
            "key_points": keys[:10],
            "dissenting_views": [k for k, v in counts.items() if v == 1][:5],
            "average_confidence": round(avg, 3), "response_count": len(responses)}


def up_level(conf):
    """387-400."""
    if len(conf) < 2:
        return "n/a"
    avg = sum(conf) / len(conf)
    var = sum((c - avg) ** 2 for c in conf) / len(conf)
    if var < 0.05 and avg > 0.7:
        return "high"
    if var < 0.1 and avg > 0.5:
        return "medium"
    return "low"


def up_aggregate(responses):
    """329-385: five keys when empty; two lists from sets."""
    if not responses:
        return {"response_count": 0, "experts": [], "average_confidence": 0.0,
                "common_recommendations": [], "all_recommendations": []}
    conf = [r.get("confidence", 0.5) for r in responses]
    recs = all_recs(responses)
    counts = first_seen_lower_counts(recs)
    times = {}
    for i, r in enumerate(responses):
        times[r.get("expert_type", "expert_%d" % i)] = r.get("processing_time", 0.0)
    return {"response_count": len(responses),
            "experts": [r.get("expert_type", "unknown") for r in responses],
            "average_confidence": round(sum(conf) / len(conf), 3),
            "consensus_level": up_level(conf),
            "common_recommendations": [k for k, v in counts.items() if v >= len(responses) / 2],
            "all_recommendations": sorted(set(recs)),
            "code_examples_count": sum(len(list(r.get("code_snippets", []))) for r in responses),
            "limitations": sorted({x for r in responses for x in r.get("limitations", [])}),
            "processing_times": times}


def setlike(result, keys):
    """result with the set-built lists sorted, and a check that they are in first-seen
    order of their items."""
    out = dict(result)
    for key in keys:
        if key in out:
            out[key] = sorted(out[key])
    return out


# --- random responses ---------------------------------------------------------------

WORDS = ["Use a cache", "use a cache", "USE A CACHE", "Add retries", "add retries",
         "Shard the table", "Profile first", "profile first", "Measure", "Ünïcode Tip",
         "ünïcode tip", "Avoid locks", "Scale out"]


def random_responses(rng):
    n = rng.choice([0, 1, 1, 2, 3, 4, 5, 8, 13])
    out = []
    for i in range(n):
        r = {"content": "answer %d" % i}
        if rng.random() < 0.85:
            r["expert_type"] = rng.choice(["claude", "gpt4", "gemini", "deepseek", "claude"])
        if rng.random() < 0.85:
            r["confidence"] = rng.choice([rng.random(), round(rng.random(), 2), 1, 0, 0.7])
        if rng.random() < 0.9:
            r["recommendations"] = rng.sample(WORDS, rng.randint(0, 5))
        if rng.random() < 0.7:
            r["limitations"] = rng.sample(WORDS, rng.randint(0, 3))
        if rng.random() < 0.5:
            r["code_snippets"] = ["x = %d" % k for k in range(rng.randint(0, 3))]
        if rng.random() < 0.6:
            r["processing_time"] = round(rng.uniform(0.1, 9.0), 2)
        out.append(r)
    return out


@pytest.mark.parametrize("seed", range(40))
def test_python_paths_random(integration, seed):
    rng = random.Random(seed)
    responses = random_responses(rng)
    config = rng.choice([None, {}, {"threshold": 0.9, "min_agreement": 0.3},
                         {"threshold": 0.5, "min_agreement": 1.0, "other": 1}])
    got, used = integration.analyze_consensus(responses, config)
    assert used is False and got == up_analyze_consensus(responses, config)
    got, used = integration.analyze_responses(responses)
    assert used is False
    assert setlike(got, ["unique_limitations"]) == up_analyze_responses(responses)
    got, used = integration.aggregate_responses(responses)
    assert used is False
    assert setlike(got, ["all_recommendations", "limitations"]) == up_aggregate(responses)
    # compat order of the set-built lists: first seen
    assert got.get("all_recommendations", []) == list(dict.fromkeys(all_recs(responses)))
    # the Python paths count nothing (the replaced class counted module calls only)
    assert integration.get_performance_stats() == {
        "rust_available": False, "rust_calls": 0, "fallback_calls": 0,
        "rust_usage_percent": 0.0, "estimated_time_saved_seconds": 0.0}


def test_golden_values(integration):
    assert integration.analyze_consensus(RESPONSES) == (
        {"consensus_score": 0.88, "agreement_level": "high", "key_points": ["a", "b", "c"],
         "dissenting_views": [], "average_confidence": 0.8, "response_count": 3}, False)
    # The ratio divides by distinct recommendations in their original case: "Use X"
    # and "use x" are one key point but two distinct recommendations.
    mixed = [{"confidence": 0.8, "recommendations": ["Use X", "B"]},
             {"confidence": 0.9, "recommendations": ["use x", "C"]},
             {"recommendations": ["A", "C"]}]
    got = integration.analyze_consensus(mixed)[0]
    assert got["consensus_score"] == round(0.6 * (2.2 / 3) + 0.4 * (2 / 5), 3) == 0.6
    # analyze_responses takes a missing confidence as 0.0, the other two as 0.5.
    assert integration.analyze_responses(mixed)[0]["average_confidence"] == 0.567
    assert integration.aggregate_responses(mixed)[0]["average_confidence"] == 0.733
    assert integration.aggregate_responses([])[0] == {
        "response_count": 0, "experts": [], "average_confidence": 0.0,
        "common_recommendations": [], "all_recommendations": []}


def test_incomplete_config_takes_defaults(integration):
    # The replaced class raised KeyError here (docs/compat.md).
    assert integration.analyze_consensus(RESPONSES, {"threshold": 0.9})[0]["agreement_level"] == "medium"
    out = integration.analyze_consensus(RESPONSES, {"min_agreement": 0.9})[0]
    assert out["key_points"] == [] and out["consensus_score"] == 0.48
    assert out == up_analyze_consensus(RESPONSES, {"threshold": 0.7, "min_agreement": 0.9})


def test_inputs_the_class_accepted(integration):
    # No validation beyond what its arithmetic does: the same values and errors.
    odd = [{"confidence": 1.5, "recommendations": "ab"}, {"confidence": True}]
    assert integration.analyze_consensus(odd)[0] == up_analyze_consensus(odd)
    assert integration.analyze_consensus(odd)[0]["key_points"] == ["a", "b"]
    assert integration.analyze_consensus(None) == (up_analyze_consensus([]), False)
    assert integration.aggregate_responses([{"expert_type": None}])[0]["experts"] == [None]
    with pytest.raises(TypeError):
        integration.analyze_consensus([{"confidence": None}])
    with pytest.raises(AttributeError):
        integration.analyze_responses([object()])
    with pytest.raises(AttributeError):
        integration.aggregate_responses([{"recommendations": [1]}])


def test_fresh_instance(coe, integration, hp):
    assert integration.rust_available is False
    assert integration.consensus_analyzer is None and integration.response_aggregator is None
    assert integration.performance_stats == {"rust_calls": 0, "fallback_calls": 0,
                                             "total_time_saved": 0.0}
    assert not hasattr(integration, "validator")  # set by set_custom_modules only
    assert integration.native_available is (hp.backend_info()["backend"] in ("ctypes", "cffi"))
    assert isinstance(coe.rust_integration, coe.RustIntegration)
    assert coe.get_rust_integration() is coe.rust_integration
    assert repr(integration) == "RustIntegration(rust_available=False)"


class Analyzer:
    def __init__(self, fail=False):
        self.fail = fail
        self.calls = []

    def analyze(self, responses, config):
        self.calls.append(("analyze", config))
        if self.fail:
            raise RuntimeError("module failure")
        return {"from": "module"}

    def analyze_responses(self, responses):
        self.calls.append(("analyze_responses", None))
        if self.fail:
            raise RuntimeError("module failure")
        return {"from": "module responses"}


def test_custom_modules(integration):
    integration.set_custom_modules(None, 0)  # falsy: nothing changes
    assert integration.rust_available is False and not hasattr(integration, "validator")
    module = Analyzer()
    integration.set_custom_modules(module, "validator")
    assert integration.rust_available is True and integration.validator == "validator"
    assert integration.analyze_consensus(RESPONSES) == ({"from": "module"}, True)
    assert module.calls[-1] == ("analyze", DEFAULTS)
    assert integration.analyze_consensus(RESPONSES, {"threshold": 0.1})[0] == {"from": "module"}
    assert module.calls[-1] == ("analyze", {"threshold": 0.1})
    assert integration.analyze_responses(RESPONSES) == ({"from": "module responses"}, True)
    # No aggregator was installed: the Python path, not counted.
    got, used = integration.aggregate_responses(RESPONSES)
    assert used is False
    assert setlike(got, ["all_recommendations", "limitations"]) == up_aggregate(RESPONSES)
    stats = integration.get_performance_stats()
    assert (stats["rust_calls"], stats["fallback_calls"], stats["rust_usage_percent"]) == (3, 0, 100.0)
    assert stats["estimated_time_saved_seconds"] >= 0.0
    assert stats["rust_available"] is True


def test_failing_module_falls_back(integration):
    module = Analyzer(fail=True)
    integration.set_custom_modules(module, None)
    assert integration.analyze_consensus(RESPONSES) == (up_analyze_consensus(RESPONSES), False)
    got, used = integration.analyze_responses(RESPONSES)
    assert used is False and setlike(got, ["unique_limitations"]) == up_analyze_responses(RESPONSES)
    stats = integration.get_performance_stats()
    assert (stats["rust_calls"], stats["fallback_calls"], stats["rust_usage_percent"]) == (0, 2, 0.0)

    class OnlyAnalyze:
        def analyze(self, responses, config):
            return {"only": True}
    other = type(integration)()
    other.set_custom_modules(OnlyAnalyze(), None)
    got, used = other.analyze_responses(RESPONSES)  # no analyze_responses: Python, uncounted
    assert used is False and other.get_performance_stats()["rust_calls"] == 0


def test_aggregator_attribute_is_used(integration):
    class Aggregator:
        def aggregate(self, responses):
            return {"aggregated": len(responses)}
    integration.response_aggregator = Aggregator()
    # Used only while rust_available is true, as in the replaced class.
    got, used = integration.aggregate_responses(RESPONSES)
    assert used is False and got["response_count"] == 3
    integration.rust_available = True
    assert integration.aggregate_responses(RESPONSES) == ({"aggregated": 3}, True)
    assert integration.get_performance_stats()["rust_calls"] == 1


def test_module_detection(coe, monkeypatch, tmp_path):
    # An installed module of the name the replaced class imported is used.
    fake = types.ModuleType("circle_of_experts_rust")

    class ConsensusAnalyzer(Analyzer):
        pass

    class ResponseAggregator:
        def aggregate(self, responses):
            return {"installed": True}
    fake.ConsensusAnalyzer, fake.ResponseAggregator = ConsensusAnalyzer, ResponseAggregator
    monkeypatch.setitem(sys.modules, "circle_of_experts_rust", fake)
    found = coe.RustIntegration()
    assert found.rust_available is True
    assert found.aggregate_responses(RESPONSES) == ({"installed": True}, True)
    assert found.analyze_consensus(RESPONSES) == ({"from": "module"}, True)
    monkeypatch.delitem(sys.modules, "circle_of_experts_rust")
    # A local build that does not load is logged and skipped.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "target" / "release").mkdir(parents=True)
    broken = tmp_path / "target" / "release" / "circle_of_experts_rust.so"
    broken.write_bytes(b"not a shared object")
    integration = coe.RustIntegration()
    assert integration._find_rust_module() == "target/release/circle_of_experts_rust.so"
    assert integration.rust_available is False


def test_text_consensus_accounting(integration, hp, coe):
    from hotpath import consensus
    n = len(RESPONSES)
    hp.set_dispatch("python")
    result, native = integration.text_consensus(RESPONSES)
    assert native is False and result["clusters"]
    stats = integration.get_performance_stats()
    assert (stats["rust_calls"], stats["fallback_calls"]) == (0, 1)
    assert stats["estimated_time_saved_seconds"] == 0.0

    hp.set_dispatch("native")
    is_native = integration.native_available
    result, native = integration.text_consensus(iter(RESPONSES))
    assert result["clusters"] == consensus.text_consensus(RESPONSES)["clusters"]
    assert native is is_native
    stats = integration.get_performance_stats()
    assert stats["rust_available"] is False  # the structured analyses stay in Python
    assert stats["rust_calls"] == (1 if is_native else 0)
    assert stats["fallback_calls"] == (1 if is_native else 2)
    assert stats["rust_usage_percent"] == (50.0 if is_native else 0.0)
    cal = integration.calibration()
    assert cal["responses"] == coe.CALIBRATION_RESPONSES and cal["python_seconds_per_response"] > 0
    if is_native:
        assert cal["native_seconds_per_response"] > 0
        want = (cal["python_seconds_per_response"] - cal["native_seconds_per_response"]) * n
        assert stats["estimated_time_saved_seconds"] == round(want, 3)
    else:
        assert cal["native_seconds_per_response"] == 0.0
        assert stats["estimated_time_saved_seconds"] == 0.0
    assert integration.performance_stats["total_time_saved"] == 0.0  # module calls only
    assert integration.calibration() == cal  # measured once
    integration.analyze_responses(RESPONSES)  # the Python path: not counted
    assert integration.get_performance_stats()["rust_calls"] == stats["rust_calls"]
    integration.reset_stats()
    assert integration.get_performance_stats()["rust_calls"] == 0


def test_calibration_workload_deterministic(coe):
    a = coe.calibration_responses()
    assert a == coe.calibration_responses() and len(a) == coe.CALIBRATION_RESPONSES
    assert all(len(r["content"].split()) == coe.CALIBRATION_WORDS for r in a)
