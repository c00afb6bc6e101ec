"""`python3 -m hotpath demo`: one section per module, each a function demo_<module>()
listed in DEMOS, on synthetic data built here (nothing is downloaded or read)."""

from __future__ import annotations

import random
import statistics
import time
from array import array

import hotpath
from hotpath import _williams_py, williams


def _median_seconds(func, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def demo_williams(documents=200_000, seed=42):
    print("== williams: batch sizing and OCR confidence scoring")
    rng = random.Random(seed)
    num_fields = array("Q", (rng.randint(1, 2000) for _ in range(documents)))
    base = array("d", (rng.uniform(0.6, 1.0) for _ in range(documents)))
    print("synthetic OCR batch: %d documents, 1..2000 fields each, base confidence 0.6..1.0 "
          "(random.Random(%d))" % (documents, seed))

    optimizer = williams.WilliamsSpaceOptimizer()
    scores = optimizer.score_documents(num_fields, base, "balance")

    print("\n  doc  fields   base  multiplier  adjusted")
    for i in (0, 1, 2, 3, documents // 2, documents - 1):
        print("%5d  %6d  %.3f  %10.6f  %8.4f"
              % (i, num_fields[i], base[i], scores[i], min(1.0, base[i] * scores[i])))

    print("\nmean multiplier %.6f; at the 1.0 cap: %.1f%%; at the 0.85 floor: %.1f%%"
          % (statistics.fmean(scores), 100.0 * scores.count(1.0) / documents,
             100.0 * scores.count(0.85) / documents))

    print("\nbatch sizes (optimal_batch_size):")
    for total, memory, per_item in ((1_000, 1_000.0, 5.0), (100_000, 4_096.0, 5.0),
                                    (10_000_000, 16_384.0, 0.5), (2_000, 50.0, 5.0)):
        size = optimizer.optimize_batch_size(total, memory, per_item)
        print("  %11d items, %8.0f MB, %.1f MB/item -> %9d per batch"
              % (total, memory, per_item, size))
    print("  optimizer stats: %s" % optimizer.get_optimization_stats())

    backend = hotpath.backend_info()["backend"]
    pure = _median_seconds(lambda: _williams_py.confidence_multiplier_batch(num_fields, base,
                                                                              "balance"))
    if backend == "python":
        print("\nscore_documents, %d documents: pure Python %.1f ms (backend python: no "
              "native library loaded, nothing to compare)" % (documents, pure * 1e3))
        return
    native = _median_seconds(lambda: optimizer.score_documents(num_fields, base, "balance"))
    print("\nscore_documents, %d documents, median of 3: %s backend %.2f ms, pure Python "
          "%.1f ms -> %.0fx faster" % (documents, backend, native * 1e3, pure * 1e3, pure / native))


DEMOS = [demo_williams]


def main():
    info = hotpath.backend_info()
    print("hotpath %s, backend %s%s, dispatch %s\n"
          % (hotpath.__version__, info["backend"],
             " (%s)" % info["library"] if info["library"] else "", info["dispatch"]))
    for demo in DEMOS:
        demo()
        print()
    return 0
