"""hotpath.consensus, structured consensus: analyze_consensus, aggregate_responses,
analyze_responses and response validation.  Expected values are computed by hand
from the specification (docs/consensus.md) in the comments next to them."""
import enum
import math
from dataclasses import dataclass, field
from typing import List

import pytest


class Expert(enum.Enum):
    CLAUDE = "claude"
    GPT4 = "gpt4"


@dataclass
class ServiceResponse:
    """Like the service's own response class: an Enum expert type, attributes."""
    expert_type: Expert
    content: str
    confidence: float
    recommendations: List[str] = field(default_factory=list)
    limitations: List[str] = field(default_factory=list)
    code_snippets: List[str] = field(default_factory=list)
    processing_time: float = 0.0


GOLDEN = [
    {"expert_type": "claude", "confidence": 0.8, "content": "Test 1", "recommendations": ["A", "B"]},
    {"expert_type": "gpt4", "confidence": 0.9, "content": "Test 2", "recommendations": ["B", "C"]},
    {"expert_type": "gemini", "confidence": 0.7, "content": "Test 3", "recommendations": ["A", "C"]},
]


# --- analyze_consensus -----------------------------------------------------------------

def test_golden(C):
    # avg 0.8; a, b, c twice each >= 3 * 0.5; ratio 3/3; 0.6 * 0.8 + 0.4 * 1 = 0.88 >= 0.7
    out = C.analyze_consensus(GOLDEN)
    assert out == {"consensus_score": 0.88, "agreement_level": "high",
                   "key_points": ["a", "b", "c"], "dissenting_views": [],
                   "average_confidence": 0.8, "response_count": 3}


def test_empty(C):
    assert C.analyze_consensus([]) == {"consensus_score": 0.0, "agreement_level": "none",
                                       "key_points": [], "dissenting_views": []}
    assert C.analyze_consensus(iter(())) == C.analyze_consensus(())


def test_one_response(C):
    # n == 1: score = avg = 0.6 -> "medium"; x twice, y once; min_count 0.5
    out = C.analyze_consensus([{"confidence": 0.6, "recommendations": ["X", "x", "Y"]}])
    assert out == {"consensus_score": 0.6, "agreement_level": "medium", "key_points": ["x", "y"],
                   "dissenting_views": ["y"], "average_confidence": 0.6, "response_count": 1}


def test_case_differences_count_together(C):
    # "use x" twice (2 >= 2 * 0.75), "b" once; distinct lowercased: 2 -> ratio 1/2
    # score 0.6 * 0.75 + 0.4 * 0.5 = 0.65 ("medium" at 0.7, "high" at 0.6).  Counting
    # distinct recommendations with their case (the replaced service) would give 1/3.
    rs = [{"confidence": 1.0, "recommendations": ["Use X", "B"]},
          {"confidence": 0.5, "recommendations": ["use x"]}]
    out = C.analyze_consensus(rs, min_agreement=0.75)
    assert out["consensus_score"] == 0.65 and out["agreement_level"] == "medium"
    assert out["key_points"] == ["use x"] and out["dissenting_views"] == ["b"]
    assert C.analyze_consensus(rs, threshold=0.6, min_agreement=0.75)["agreement_level"] == "high"


def test_missing_confidence_is_half(C):
    # avg 0.5; no recommendations: ratio 0 / max(1, 0) = 0; score 0.3 -> "low"
    out = C.analyze_consensus([{"expert_type": "a"}, {"expert_type": "b", "confidence": None}])
    assert out["average_confidence"] == 0.5 and out["consensus_score"] == 0.3
    assert out["agreement_level"] == "low"


def test_caps_and_uncapped_ratio(C):
    recs = ["R%d" % i for i in range(12)]
    out = C.analyze_consensus([{"confidence": 1.0, "recommendations": recs},
                               {"confidence": 1.0, "recommendations": recs}])
    # 12 key points, capped at 10; the ratio uses all 12: 12/12 -> score 1.0
    assert out["key_points"] == ["r%d" % i for i in range(10)]
    assert out["consensus_score"] == 1.0 and out["dissenting_views"] == []
    out = C.analyze_consensus([{"confidence": 0.9, "recommendations": recs[:7]}])
    assert out["dissenting_views"] == ["r0", "r1", "r2", "r3", "r4"]


def test_first_seen_order(C):
    rs = [{"recommendations": ["Zeta", "alpha"]}, {"recommendations": ["ALPHA", "mid", "zeta"]}]
    out = C.analyze_consensus(rs)
    assert out["key_points"] == ["zeta", "alpha", "mid"]  # min_count 1: all, first seen
    assert out["dissenting_views"] == ["mid"]


def test_level_boundaries(C):
    # n == 1, score = confidence: >= threshold "high", >= 0.5 "medium", else "low"
    level = lambda c, t=0.7: C.analyze_consensus([{"confidence": c}], threshold=t)["agreement_level"]
    assert level(0.7) == "high" and level(0.69) == "medium" and level(0.5) == "medium"
    assert level(0.49) == "low" and level(0.3, t=0.3) == "high"


def test_dataclass_enum_and_dict_agree(C):
    objs = [ServiceResponse(Expert.CLAUDE, "x", 0.8, ["A", "B"]),
            ServiceResponse(Expert.GPT4, "y", 0.9, ["b"], ["L"], ["code"], 1.5),
            C.ExpertResponse("gemini", "z", 0.7, ["a"])]
    dicts = [{"expert_type": "claude", "content": "x", "confidence": 0.8, "recommendations": ["A", "B"]},
             {"expert_type": "gpt4", "content": "y", "confidence": 0.9, "recommendations": ["b"],
              "limitations": ["L"], "code_snippets": ["code"], "processing_time": 1.5},
             {"expert_type": "gemini", "content": "z", "confidence": 0.7, "recommendations": ["a"]}]
    for f in (C.analyze_consensus, C.aggregate_responses, C.analyze_responses):
        assert f(objs) == f(dicts) == f(tuple(dicts))
    assert C.aggregate_responses(objs)["experts"] == ["claude", "gpt4", "gemini"]


def test_expert_response_defaults(C):
    r = C.ExpertResponse("claude")
    assert (r.content, r.confidence, r.recommendations, r.limitations, r.code_snippets,
            r.processing_time, r.timestamp) == ("", 0.5, [], [], [], 0.0, None)


# --- aggregate_responses ------------------------------------------------------------------

THREE = [
    ServiceResponse(Expert.CLAUDE, "a", 0.9, ["Cache", "Index"], ["Cost"], ["x=1", "y=2"], 1.5),
    {"expert_type": "gpt4", "confidence": 0.8, "recommendations": ["cache", "Shard"],
     "limitations": ["cost", "Latency"], "code_snippets": ["z"], "processing_time": 2.0},
    {"recommendations": ["Index"]},
]


def test_aggregate_hand_case(C):
    # avg (0.9 + 0.8 + 0.5) / 3 = 0.7333; population variance
    # (0.1667^2 + 0.0667^2 + 0.2333^2) / 3 = 0.0289 < 0.05 and avg > 0.7 -> "high";
    # common: count >= 1.5 -> cache (2), index (2)
    out = C.aggregate_responses(THREE)
    assert out == {
        "response_count": 3,
        "experts": ["claude", "gpt4", "unknown"],
        "average_confidence": 0.733,
        "consensus_level": "high",
        "common_recommendations": ["cache", "index"],
        "all_recommendations": ["Cache", "Index", "cache", "Shard"],
        "code_examples_count": 3,
        "limitations": ["Cost", "cost", "Latency"],
        "processing_times": {"claude": 1.5, "gpt4": 2.0, "expert_2": 0.0},
    }


def test_aggregate_empty_and_one(C):
    assert C.aggregate_responses([]) == {
        "response_count": 0, "experts": [], "average_confidence": 0.0, "consensus_level": "n/a",
        "common_recommendations": [], "all_recommendations": [], "code_examples_count": 0,
        "limitations": [], "processing_times": {}}
    out = C.aggregate_responses([{"expert_type": "x", "confidence": 0.4, "recommendations": ["A"]}])
    assert out["consensus_level"] == "n/a" and out["common_recommendations"] == ["a"]
    assert out["average_confidence"] == 0.4


@pytest.mark.parametrize("confs, level", [
    ([0.9, 0.9], "high"),     # var 0, avg 0.9
    ([0.7, 0.7], "medium"),   # avg 0.7 is not > 0.7
    ([0.6, 0.6], "medium"),
    ([0.5, 0.5], "low"),      # avg 0.5 is not > 0.5
    ([0.2, 0.9], "low"),      # var 0.1225
    ([1.0, 0.4], "medium"),   # var 0.09: not < 0.05, but < 0.1 with avg 0.7 > 0.5
])
def test_consensus_level(C, confs, level):
    out = C.aggregate_responses([{"confidence": c} for c in confs])
    assert out["consensus_level"] == level


def test_aggregate_duplicate_expert_types(C):
    out = C.aggregate_responses([{"expert_type": "a", "processing_time": 1},
                                 {"expert_type": "a", "processing_time": 2}])
    assert out["processing_times"] == {"a": 2.0} and out["experts"] == ["a", "a"]


# --- analyze_responses -----------------------------------------------------------------

def test_analyze_responses_hand_case(C):
    # score 0.6 * 0.7333 + 0.4 * (1 - 0.028889) = 0.44 + 0.388444 = 0.828444
    out = C.analyze_responses(THREE)
    assert out == {"total_responses": 3, "average_confidence": 0.733, "consensus_score": 0.828,
                   "high_confidence_count": 2, "common_recommendations": ["cache", "index"],
                   "unique_limitations": ["cost", "latency"]}


def test_analyze_responses_small(C):
    assert C.analyze_responses([]) == {
        "total_responses": 0, "average_confidence": 0.0, "consensus_score": 0.0,
        "high_confidence_count": 0, "common_recommendations": [], "unique_limitations": []}
    # n == 1: the score is the confidence; 0.7 counts as high confidence (>= 0.7)
    out = C.analyze_responses([{"confidence": 0.7, "limitations": ["A", "a"]}])
    assert out["consensus_score"] == 0.7 and out["high_confidence_count"] == 1
    assert out["unique_limitations"] == ["a"]
    # missing confidence is 0.5 here too (the replaced service used 0.0 in this function)
    assert C.analyze_responses([{}])["average_confidence"] == 0.5
    # two answers 0.0 and 1.0: var 0.25 -> 0.6 * 0.5 + 0.4 * 0.75 = 0.6
    assert C.analyze_responses([{"confidence": 0.0}, {"confidence": 1.0}])["consensus_score"] == 0.6


# --- validation -------------------------------------------------------------------------

FUNCS = ("analyze_consensus", "aggregate_responses", "analyze_responses", "text_consensus")


@pytest.mark.parametrize("name", FUNCS)
@pytest.mark.parametrize("bad, exc, words", [
    ([{"confidence": "0.9"}], TypeError, "responses[0].confidence"),
    ([{"confidence": True}], TypeError, "responses[0].confidence"),
    ([{}, {"confidence": 1.5}], ValueError, "responses[1].confidence"),
    ([{"confidence": -0.01}], ValueError, "responses[0].confidence"),
    ([{"confidence": math.nan}], ValueError, "responses[0].confidence"),
    ([{"recommendations": "use x"}], TypeError, "responses[0].recommendations"),
    ([{"recommendations": ["a", 3]}], TypeError, "responses[0].recommendations[1]"),
    ([{"limitations": {"a"}}], TypeError, "responses[0].limitations"),
    ([{"code_snippets": "x"}], TypeError, "responses[0].code_snippets"),
    ([{"content": b"x"}], TypeError, "responses[0].content"),
    ([{"processing_time": "1"}], TypeError, "responses[0].processing_time"),
    (["text"], TypeError, "responses[0]"),
    ([42], TypeError, "responses[0]"),
    ("abc", TypeError, "responses"),
    ({"confidence": 0.5}, TypeError, "responses"),
    (None, TypeError, "responses"),
])
def test_bad_responses(C, name, bad, exc, words):
    from hotpath import HotpathError
    with pytest.raises(exc) as info:
        getattr(C, name)(bad)
    assert isinstance(info.value, HotpathError)
    assert words in str(info.value)


def test_confidence_edges_accepted(C):
    from fractions import Fraction
    out = C.analyze_consensus([{"confidence": 0}, {"confidence": 1}, {"confidence": Fraction(1, 2)}])
    assert out["average_confidence"] == 0.5


def test_bad_parameters(C):
    with pytest.raises(TypeError):
        C.analyze_consensus(GOLDEN, threshold="0.7")
    with pytest.raises(ValueError):
        C.analyze_consensus(GOLDEN, min_agreement=math.nan)


def test_inputs_not_modified(C):
    import copy
    before = copy.deepcopy(THREE)
    for f in (C.analyze_consensus, C.aggregate_responses, C.analyze_responses):
        f(THREE)
    assert THREE == before


def test_structured_not_counted(hp, C):
    hp.reset_stats()
    C.analyze_consensus(GOLDEN)
    C.aggregate_responses(GOLDEN)
    C.analyze_responses(GOLDEN)
    assert hp.stats() == {"native_calls": 0, "fallback_calls": 0, "items_native": 0,
                          "items_fallback": 0}


def test_exported(hp, C):
    assert hp.consensus is C
    for name in C.__all__:
        assert hasattr(C, name), name
