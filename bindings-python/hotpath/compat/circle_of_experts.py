"""The Circle of Experts service's ``RustIntegration``, with the behaviour of the
class it replaces (``src/circle_of_experts/utils/rust_integration.py``).

    integration = get_rust_integration()
    result, used_rust = integration.analyze_consensus(responses, config)
    result, used_rust = integration.aggregate_responses(responses)
    result, used_rust = integration.analyze_responses(responses)
    integration.get_performance_stats()  # rust_available, rust_calls, fallback_calls,
                                         # rust_usage_percent, estimated_time_saved_seconds
    result, native = integration.text_consensus(responses, metric, threshold)  # addition

What it does, in the replaced class's terms:

* At creation it looks for the Rust module the class looked for
  (``circle_of_experts_rust`` with ``ConsensusAnalyzer`` and ``ResponseAggregator``,
  installed or in a local build folder).  No published version of the service
  shipped that module, so ``rust_available`` is False and every structured call takes
  the Python path: ``(result, False)``, no counter changes.
* ``set_custom_modules(analyzer, validator)`` installs a module object: a true
  ``analyzer`` sets ``rust_available``; ``analyze_consensus`` then returns
  ``(analyzer.analyze(responses, config), True)`` and ``analyze_responses``
  ``(analyzer.analyze_responses(responses), True)`` when it has that method, counted
  in ``rust_calls`` (the time saved estimated as 0.8 x the call's duration, for
  ``analyze_consensus`` and ``aggregate_responses``); a module call that raises counts
  one ``fallback_calls`` and the Python path answers.
* The Python path's numbers: missing confidences are 0.5 (0.0 in
  ``analyze_responses``), recommendations are counted lowercased, the consensus ratio
  divides the key points by the distinct recommendations in their original case, and
  an empty list gives the replaced class's short dicts.

The deviations (docs/compat.md): an incomplete ``config`` takes the missing keys from
the defaults, lists the class built from a ``set`` are in first-seen order, and the
class logs on the ``hotpath`` logger at DEBUG level.  ``text_consensus``
(hotpath.consensus.text_consensus, native from its measured threshold up),
``native_available``, ``calibration()`` and ``reset_stats()`` are additions;
hotpath.consensus keeps its own rules for the structured analyses
(docs/consensus.md).
"""

from __future__ import annotations

import glob
import importlib
import importlib.util
import logging
import random
import threading
import time

from .. import _consensus_py, consensus
from .._ffi import _loader

__all__ = ["RustIntegration", "get_rust_integration", "rust_integration"]

logger = logging.getLogger("hotpath")

DEFAULT_CONFIG = {"threshold": 0.7, "min_agreement": 0.5}

CALIBRATION_RESPONSES = 32
CALIBRATION_WORDS = 40
CALIBRATION_REPEATS = 5
_CALIBRATION_SEED = 20240611

# Words of the synthetic calibration answers: a few topics, so that the answers
# share phrases and cluster the way real answers to one question do.
_VOCABULARY = (
    "cache", "latency", "throughput", "database", "index", "query", "replica", "shard",
    "consistency", "partition", "network", "timeout", "retry", "backoff", "queue", "worker",
    "memory", "allocation", "garbage", "collector", "thread", "pool", "lock", "contention",
    "monitoring", "metrics", "alerting", "tracing", "deployment", "rollback", "canary",
    "container", "the", "a", "of", "to", "and", "with", "for", "should", "use", "add",
    "reduce", "increase", "avoid", "measure", "profile", "tune", "scale", "split")


def calibration_responses(n=CALIBRATION_RESPONSES, words=CALIBRATION_WORDS,
                          seed=_CALIBRATION_SEED):
    """The deterministic synthetic answers the calibration times."""
    rng = random.Random(seed)
    topics = [rng.sample(_VOCABULARY, 16) for _ in range(4)]
    responses = []
    for i in range(n):
        topic = topics[i % len(topics)]
        text = " ".join(rng.choice(topic) if rng.random() < 0.8 else rng.choice(_VOCABULARY)
                        for _ in range(words))
        responses.append({"expert_type": "expert_%d" % i, "content": text.capitalize() + ".",
                          "confidence": round(rng.uniform(0.3, 1.0), 2),
                          "recommendations": [], "limitations": []})
    return responses


def _median_seconds(func, args, repeats):
    func(*args)  # warm-up: first-call costs (imports, phrase list creation) excluded
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func(*args)
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2]


# --- the replaced class's Python path ------------------------------------------------

_MODULE_NAME = "circle_of_experts_rust"
# Where the replaced class looked for a local build of its module (relative to the
# working directory), in its order.
_LOCAL_BUILDS = tuple(
    folder + "circle_of_experts_rust*" + suffix
    for folder in ("target/wheels/", "target/release/")
    for suffix in (".so", ".pyd")
) + ("venv/lib/python*/site-packages/circle_of_experts_rust*.so",
     "venv/lib/python*/site-packages/circle_of_experts_rust*.pyd",
     "venv/Lib/site-packages/circle_of_experts_rust*.pyd",
     "rust_core/target/release/deps/circle_of_experts_rust*.so",
     "rust_core/target/release/deps/circle_of_experts_rust*.pyd")


def _recommendations(responses):
    """Every response's "recommendations" in one list (list.extend of each value)."""
    out = []
    for r in responses:
        out.extend(r.get("recommendations", []))
    return out


def _lower_counts(items):
    """{item.lower(): occurrences}, in first-seen order."""
    counts = {}
    for item in items:
        key = item.lower()
        counts[key] = counts.get(key, 0) + 1
    return counts


def _python_analyze_responses(responses):
    if not responses:
        return {"total_responses": 0, "average_confidence": 0.0, "consensus_score": 0.0,
                "high_confidence_count": 0, "common_recommendations": [],
                "unique_limitations": []}
    confidences = [r.get("confidence", 0.0) for r in responses]
    average = sum(confidences) / len(confidences) if confidences else 0.0
    high = sum(1 for c in confidences if c >= 0.7)
    counts = _lower_counts(_recommendations(responses))
    half = len(responses) / 2
    common = [rec for rec, count in counts.items() if count >= half]
    limitations = {}
    for r in responses:
        limitations.update(dict.fromkeys(lim.lower() for lim in r.get("limitations", [])))
    if len(responses) > 1:
        variance = sum((c - average) ** 2 for c in confidences) / len(confidences)
        score = average * 0.6 + (1.0 - min(variance, 1.0)) * 0.4
    else:
        score = average
    return {"total_responses": len(responses), "average_confidence": round(average, 3),
            "consensus_score": round(score, 3), "high_confidence_count": high,
            "common_recommendations": common, "unique_limitations": list(limitations)}


def _python_consensus_analysis(responses, config):
    settings = dict(DEFAULT_CONFIG)
    if config:
        settings.update(config)
    if not responses:
        return {"consensus_score": 0.0, "agreement_level": "none", "key_points": [],
                "dissenting_views": []}
    confidences = [r.get("confidence", 0.5) for r in responses]
    average = sum(confidences) / len(confidences)
    recommendations = _recommendations(responses)
    counts = _lower_counts(recommendations)
    least = len(responses) * settings["min_agreement"]
    key_points = [rec for rec, count in counts.items() if count >= least]
    dissenting = [rec for rec, count in counts.items() if count == 1]
    if len(responses) > 1:
        ratio = len(key_points) / max(1, len(set(recommendations)))
        score = average * 0.6 + ratio * 0.4
    else:
        score = average
    level = ("high" if score >= settings["threshold"] else
             "medium" if score >= 0.5 else "low")
    return {"consensus_score": round(score, 3), "agreement_level": level,
            "key_points": key_points[:10], "dissenting_views": dissenting[:5],
            "average_confidence": round(average, 3), "response_count": len(responses)}


def _python_response_aggregation(responses):
    if not responses:
        return {"response_count": 0, "experts": [], "average_confidence": 0.0,
                "common_recommendations": [], "all_recommendations": []}
    experts = [r.get("expert_type", "unknown") for r in responses]
    confidences = [r.get("confidence", 0.5) for r in responses]
    average = sum(confidences) / len(confidences)
    recommendations = _recommendations(responses)
    counts = _lower_counts(recommendations)
    half = len(responses) / 2
    common = [rec for rec, count in counts.items() if count >= half]
    snippets, limitations = [], []
    for r in responses:
        snippets.extend(r.get("code_snippets", []))
    for r in responses:
        limitations.extend(r.get("limitations", []))
    return {
        "response_count": len(responses), "experts": experts,
        "average_confidence": round(average, 3),
        "consensus_level": _consensus_py.consensus_level(confidences),  # the same rule
        "common_recommendations": common,
        "all_recommendations": list(dict.fromkeys(recommendations)),
        "code_examples_count": len(snippets),
        "limitations": list(dict.fromkeys(limitations)),
        "processing_times": {r.get("expert_type", "expert_%d" % i): r.get("processing_time", 0.0)
                             for i, r in enumerate(responses)},
    }


class RustIntegration:
    """Drop-in for the service's RustIntegration (see the module docstring)."""

    def __init__(self):
        self.rust_available = False
        self.consensus_analyzer = None
        self.response_aggregator = None
        self.performance_stats = {"rust_calls": 0, "fallback_calls": 0,
                                  "total_time_saved": 0.0}
        self._native_items = 0
        self._calibration = None
        self._lock = threading.Lock()
        self._detect_and_load_rust_modules()

    # --- the replaced class's interface ----------------------------------------------

    def _detect_and_load_rust_modules(self):
        """Load the module the replaced class looked for, if it exists."""
        try:
            module = importlib.import_module(_MODULE_NAME)
        except ImportError:
            try:
                path = self._find_rust_module()
                if not path:
                    logger.debug("compat.circle_of_experts: no %s module", _MODULE_NAME)
                    return
                spec = importlib.util.spec_from_file_location(_MODULE_NAME, path)
                if not (spec and spec.loader):
                    return
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
            except Exception as exc:  # the replaced class logged and went on
                logger.debug("compat.circle_of_experts: cannot load %s: %s", _MODULE_NAME, exc)
                return
        self.consensus_analyzer = module.ConsensusAnalyzer()
        self.response_aggregator = module.ResponseAggregator()
        self.rust_available = True
        logger.debug("compat.circle_of_experts: %s loaded", _MODULE_NAME)

    def _find_rust_module(self):
        """The first local build of the module, or None."""
        for pattern in _LOCAL_BUILDS:
            found = glob.glob(pattern)
            if found:
                return found[0]
        return None

    def set_custom_modules(self, analyzer, validator):
        """A true analyzer becomes the module the structured calls use (and sets
        rust_available); a true validator is stored as ``validator``."""
        if analyzer:
            self.consensus_analyzer = analyzer
            self.rust_available = True
        if validator:
            self.validator = validator

    def analyze_consensus(self, responses, config=None):
        """(result, used_rust): the module's analyze(responses, config or the defaults)
        when one is installed, else the Python path."""
        if self.rust_available and self.consensus_analyzer:
            result = self._module_call(self.consensus_analyzer.analyze,
                                       (responses, config or dict(DEFAULT_CONFIG)), True)
            if result is not _FAILED:
                return result, True
        return _python_consensus_analysis(responses, config), False

    def aggregate_responses(self, responses):
        """(result, used_rust): the module's aggregate(responses) when one is
        installed, else the Python path."""
        if self.rust_available and self.response_aggregator:
            result = self._module_call(self.response_aggregator.aggregate, (responses,), True)
            if result is not _FAILED:
                return result, True
        return _python_response_aggregation(responses), False

    def analyze_responses(self, responses):
        """(result, used_rust): the module's analyze_responses(responses) when the
        installed module has it, else the Python path."""
        if self.rust_available and self.consensus_analyzer:
            method = getattr(self.consensus_analyzer, "analyze_responses", None)
            if method is not None:
                result = self._module_call(method, (responses,), False)
                if result is not _FAILED:
                    return result, True
        return _python_analyze_responses(responses), False

    def get_performance_stats(self):
        """rust_available, rust_calls, fallback_calls, rust_usage_percent (rounded to
        0.1) and estimated_time_saved_seconds (rounded to 0.001)."""
        with self._lock:
            rust_calls = self.performance_stats["rust_calls"]
            fallback_calls = self.performance_stats["fallback_calls"]
            saved = self.performance_stats["total_time_saved"]
            items = self._native_items
        if items:
            calibration = self.calibration()
            saved += (calibration["python_seconds_per_response"]
                      - calibration["native_seconds_per_response"]) * items
        total = rust_calls + fallback_calls
        return {
            "rust_available": self.rust_available,
            "rust_calls": rust_calls,
            "fallback_calls": fallback_calls,
            "rust_usage_percent": round(rust_calls / total * 100, 1) if total else 0.0,
            "estimated_time_saved_seconds": round(saved, 3),
        }

    # --- hotpath additions -----------------------------------------------------------

    @property
    def native_available(self):
        """Whether the hotpath library is loaded (text_consensus can run natively)."""
        return bool(_loader.active().native)

    def text_consensus(self, responses, metric="cosine", threshold=0.7):
        """(hotpath.consensus.text_consensus(...), whether the library ran it).  A
        native call counts in rust_calls (and its responses in the time saved), a call
        that ran in Python in fallback_calls."""
        result, native = consensus.text_consensus.routed(responses, metric, threshold)
        with self._lock:
            if native:
                self.performance_stats["rust_calls"] += 1
                self._native_items += result["matrix"].n
            else:
                self.performance_stats["fallback_calls"] += 1
        return result, native

    def calibration(self):
        """The measured costs behind the time saved by text_consensus (measured once,
        on first use): responses, repeats, python_seconds_per_response,
        native_seconds_per_response.  Native costs are 0.0 without the library."""
        with self._lock:
            if self._calibration is not None:
                return dict(self._calibration)
        measured = self._measure()
        with self._lock:
            if self._calibration is None:
                self._calibration = measured
            return dict(self._calibration)

    def reset_stats(self):
        with self._lock:
            self.performance_stats.update(rust_calls=0, fallback_calls=0, total_time_saved=0.0)
            self._native_items = 0

    def _module_call(self, method, args, estimate):
        """method(*args), counted as the replaced class counted it; _FAILED when it
        raised (one fallback call)."""
        start = time.time()
        try:
            result = method(*args)
        except Exception as exc:
            logger.debug("compat.circle_of_experts: module call failed: %s", exc)
            with self._lock:
                self.performance_stats["fallback_calls"] += 1
            return _FAILED
        elapsed = time.time() - start
        with self._lock:
            self.performance_stats["rust_calls"] += 1
            if estimate:
                self.performance_stats["total_time_saved"] += max(0, elapsed * 0.8)
        return result

    def _measure(self):
        responses = calibration_responses()
        n = len(responses)
        python = consensus.build("text_consensus", float("inf"), count=False)
        python_cost = _median_seconds(python, (responses,), CALIBRATION_REPEATS) / n
        native_cost = 0.0
        if self.native_available:
            native = consensus.build("text_consensus", 0, count=False)
            native_cost = _median_seconds(native, (responses,), CALIBRATION_REPEATS) / n
        logger.info("compat.circle_of_experts calibration: %.3g s/response in Python, "
                    "%.3g s/response native (%d responses)", python_cost, native_cost, n)
        return {"responses": n, "repeats": CALIBRATION_REPEATS,
                "python_seconds_per_response": python_cost,
                "native_seconds_per_response": native_cost}

    def __repr__(self):
        return "RustIntegration(rust_available=%r)" % self.rust_available


_FAILED = object()

# The service imports this shared instance through get_rust_integration().
rust_integration = RustIntegration()


def get_rust_integration():
    """The shared RustIntegration instance."""
    return rust_integration
