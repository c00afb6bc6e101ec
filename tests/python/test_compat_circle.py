"""hotpath.compat.circle_of_experts: the service's RustIntegration interface, its
results and its statistics."""
import pytest

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


def test_module_names(coe, hp):
    assert isinstance(coe.rust_integration, coe.RustIntegration)
    assert coe.get_rust_integration() is coe.rust_integration
    assert coe.get_rust_integration() is coe.get_rust_integration()
    assert coe.rust_integration.rust_available is (hp.backend_info()["backend"] in ("ctypes", "cffi"))


def test_fresh_stats(integration, hp):
    assert integration.get_performance_stats() == {
        "rust_available": hp.backend_info()["backend"] in ("ctypes", "cffi"),
        "rust_calls": 0, "fallback_calls": 0, "rust_usage_percent": 0.0,
        "estimated_time_saved_seconds": 0.0}
    assert integration.performance_stats == {"rust_calls": 0, "fallback_calls": 0,
                                             "total_time_saved": 0.0}


def test_structured_calls(integration):
    result, native = integration.analyze_consensus(RESPONSES)
    assert native is False
    assert result == {"consensus_score": 0.88, "agreement_level": "high",
                      "key_points": ["a", "b", "c"], "dissenting_views": [],
                      "average_confidence": 0.8, "response_count": 3}
    result, native = integration.aggregate_responses(RESPONSES)
    assert native is False and result["consensus_level"] == "high"
    assert result["experts"] == ["claude", "gpt4", "gemini"]
    result, native = integration.analyze_responses(RESPONSES)
    assert native is False and result["total_responses"] == 3
    stats = integration.get_performance_stats()
    assert (stats["rust_calls"], stats["fallback_calls"], stats["rust_usage_percent"]) == (0, 3, 0.0)
    assert stats["estimated_time_saved_seconds"] == 0.0


def test_config(integration):
    # score 0.88: "high" at the default threshold 0.7, "medium" at 0.9
    assert integration.analyze_consensus(RESPONSES, None)[0]["agreement_level"] == "high"
    assert integration.analyze_consensus(RESPONSES, {"threshold": 0.9})[0]["agreement_level"] == "medium"
    # min_agreement 0.9: count >= 2.7, no key point: score 0.6 * 0.8 = 0.48 -> "low"
    out = integration.analyze_consensus(RESPONSES, {"threshold": 0.7, "min_agreement": 0.9})[0]
    assert out["key_points"] == [] and out["consensus_score"] == 0.48
    assert out["agreement_level"] == "low"
    assert integration.analyze_consensus([], {"unrelated": 1}) == (
        {"consensus_score": 0.0, "agreement_level": "none", "key_points": [],
         "dissenting_views": []}, False)


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
    result, native = integration.text_consensus(iter(RESPONSES))
    assert result["clusters"] == consensus.text_consensus(RESPONSES)["clusters"]
    is_native = stats["rust_available"]
    assert native is is_native
    stats = integration.get_performance_stats()
    assert stats["rust_calls"] == (1 if is_native else 0)
    assert stats["fallback_calls"] == (1 if is_native else 2)
    assert stats["rust_usage_percent"] == (50.0 if is_native else 0.0)
    cal = integration.calibration()
    assert cal["responses"] == coe.CALIBRATION_RESPONSES and cal["python_seconds_per_response"] > 0
    if is_native:
        assert cal["native_seconds_per_response"] > 0
        want = (cal["python_seconds_per_response"] - cal["native_seconds_per_response"]) * n
        assert stats["estimated_time_saved_seconds"] == round(want, 3)
        assert integration.performance_stats["total_time_saved"] == pytest.approx(want)
    else:
        assert cal["native_seconds_per_response"] == 0.0
        assert stats["estimated_time_saved_seconds"] == 0.0
    assert integration.calibration() == cal  # measured once
    integration.reset_stats()
    assert integration.get_performance_stats()["rust_calls"] == 0


def test_usage_percent_rounding(integration, hp):
    if not integration.rust_available:
        pytest.skip("needs a native backend")
    hp.set_dispatch("native")
    integration.text_consensus(RESPONSES)
    integration.analyze_responses(RESPONSES)
    integration.analyze_responses(RESPONSES)
    assert integration.get_performance_stats()["rust_usage_percent"] == 33.3


def test_calibration_workload_deterministic(coe):
    a = coe.calibration_responses()
    assert a == coe.calibration_responses() and len(a) == coe.CALIBRATION_RESPONSES
    assert all(len(r["content"].split()) == coe.CALIBRATION_WORDS for r in a)


def test_service_style_objects(integration):
    """The service passes dicts built from its dataclasses with Enum values."""
    import enum

    class ExpertType(enum.Enum):
        CLAUDE = "claude"
    data = [{"expert_type": ExpertType.CLAUDE, "content": "x", "confidence": 0.9,
             "recommendations": ["Use X"], "code_snippets": ["a"], "limitations": [],
             "processing_time": 1.0}]
    result, _ = integration.aggregate_responses(data)
    assert result["experts"] == ["claude"] and result["processing_times"] == {"claude": 1.0}


def test_set_custom_modules(integration):
    marker = object()
    integration.set_custom_modules(marker, None)
    assert integration.consensus_analyzer is marker
    assert integration.analyze_consensus(RESPONSES)[0]["consensus_score"] == 0.88


def test_errors_propagate(integration):
    with pytest.raises(ValueError):
        integration.analyze_consensus([{"confidence": 2.0}])
    assert integration.get_performance_stats()["fallback_calls"] == 0
