"""The Circle of Experts service's ``RustIntegration``, backed by hotpath.consensus.

The service creates one integration object (``get_rust_integration()``) and calls
it with lists of response dicts; each analysis method returns a pair
``(result, used_native)``.  This module keeps that interface:

    integration = get_rust_integration()
    result, used_native = integration.analyze_consensus(responses, config)
    result, used_native = integration.aggregate_responses(responses)
    result, used_native = integration.analyze_responses(responses)
    result, used_native = integration.text_consensus(responses, metric, threshold)  # new
    integration.get_performance_stats()  # rust_available, rust_calls, fallback_calls,
                                         # rust_usage_percent, estimated_time_saved_seconds

What is native here, and what the statistics mean (docs/consensus.md, "The compat
layer"):

* ``rust_available`` is True when the hotpath native library is loaded.
* The three structured analyses are small dictionary work that hotpath runs in
  Python on every backend, so they return ``used_native=False`` and count as
  ``fallback_calls``.  Their numbers follow hotpath.consensus, which differs from the
  service's own fallback in documented details (recommendations counted
  case-insensitively, lists in first-seen order, missing confidence 0.5 everywhere).
* ``text_consensus`` (an addition: the service had no text clustering) runs in the
  library from hotpath.consensus' measured threshold up; those calls count as
  ``rust_calls`` and return ``used_native=True``.
* ``estimated_time_saved_seconds`` is measured, not assumed: the first time the
  statistics are read after a native call, a fixed workload (CALIBRATION_RESPONSES
  synthetic answers) is timed through the pure-Python twin and through the library
  (median of CALIBRATION_REPEATS runs each), giving a cost per response for each
  path; the estimate is (python cost - native cost) x the number of responses that
  went through native calls.  ``calibration()`` shows the measured costs.
"""

from __future__ import annotations

import logging
import random
import threading
import time

from .. import consensus
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


class RustIntegration:
    """Drop-in for the service's RustIntegration (see the module docstring)."""

    def __init__(self):
        self.rust_available = bool(_loader.active().native)
        # Attributes of the original that callers may read; hotpath needs no module
        # objects of its own here.
        self.consensus_analyzer = None
        self.response_aggregator = None
        self.validator = None
        self.performance_stats = {"rust_calls": 0, "fallback_calls": 0,
                                  "total_time_saved": 0.0}
        self._native_items = 0
        self._calibration = None
        self._lock = threading.Lock()

    # --- the service's interface ---------------------------------------------------

    def analyze_consensus(self, responses, config=None):
        """(hotpath.consensus.analyze_consensus(...), False).  config may carry
        "threshold" (default 0.7) and "min_agreement" (default 0.5)."""
        settings = dict(DEFAULT_CONFIG)
        if config:
            settings.update((key, config[key]) for key in DEFAULT_CONFIG if key in config)
        result = consensus.analyze_consensus(responses, settings["threshold"],
                                             settings["min_agreement"])
        self._count(False, 0)
        return result, False

    def aggregate_responses(self, responses):
        """(hotpath.consensus.aggregate_responses(responses), False)."""
        result = consensus.aggregate_responses(responses)
        self._count(False, 0)
        return result, False

    def analyze_responses(self, responses):
        """(hotpath.consensus.analyze_responses(responses), False)."""
        result = consensus.analyze_responses(responses)
        self._count(False, 0)
        return result, False

    def text_consensus(self, responses, metric="cosine", threshold=0.7):
        """(hotpath.consensus.text_consensus(...), whether the library ran it)."""
        result, native = consensus.text_consensus.routed(responses, metric, threshold)
        self._count(native, result["matrix"].n)
        return result, native

    def set_custom_modules(self, analyzer, validator):
        """Accepted for compatibility and stored; hotpath does not call them."""
        if analyzer is not None:
            self.consensus_analyzer = analyzer
        if validator is not None:
            self.validator = validator

    def get_performance_stats(self):
        """rust_available, rust_calls, fallback_calls, rust_usage_percent (rounded to
        0.1) and estimated_time_saved_seconds (measured, rounded to 0.001)."""
        with self._lock:
            rust_calls = self.performance_stats["rust_calls"]
            fallback_calls = self.performance_stats["fallback_calls"]
            items = self._native_items
        saved = 0.0
        if items:
            calibration = self.calibration()
            saved = (calibration["python_seconds_per_response"]
                     - calibration["native_seconds_per_response"]) * items
        with self._lock:
            self.performance_stats["total_time_saved"] = saved
        total = rust_calls + fallback_calls
        return {
            "rust_available": self.rust_available,
            "rust_calls": rust_calls,
            "fallback_calls": fallback_calls,
            "rust_usage_percent": round(100.0 * rust_calls / total, 1) if total else 0.0,
            "estimated_time_saved_seconds": round(saved, 3),
        }

    # --- hotpath additions -----------------------------------------------------------

    def calibration(self):
        """The measured costs behind estimated_time_saved_seconds (measured once, on
        first use): responses, repeats, python_seconds_per_response,
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

    def _count(self, native, items):
        with self._lock:
            if native:
                self.performance_stats["rust_calls"] += 1
                self._native_items += items
            else:
                self.performance_stats["fallback_calls"] += 1

    def _measure(self):
        responses = calibration_responses()
        n = len(responses)
        python = consensus.build("text_consensus", float("inf"), count=False)
        python_cost = _median_seconds(python, (responses,), CALIBRATION_REPEATS) / n
        native_cost = 0.0
        if self.rust_available:
            native = consensus.build("text_consensus", 0, count=False)
            native_cost = _median_seconds(native, (responses,), CALIBRATION_REPEATS) / n
        logger.info("compat.circle_of_experts calibration: %.3g s/response in Python, "
                    "%.3g s/response native (%d responses)", python_cost, native_cost, n)
        return {"responses": n, "repeats": CALIBRATION_REPEATS,
                "python_seconds_per_response": python_cost,
                "native_seconds_per_response": native_cost}

    def __repr__(self):
        return "RustIntegration(rust_available=%r)" % self.rust_available


# The service imports this shared instance through get_rust_integration().
rust_integration = RustIntegration()


def get_rust_integration():
    """The shared RustIntegration instance."""
    return rust_integration
