#!/usr/bin/env python3
"""Size and score an OCR batch with hotpath.williams.

Run from a source checkout (after scripts/build.sh):
    PYTHONPATH=bindings-python python3 examples/python/williams_ocr.py
or with the package installed.  Works without numpy; uses it when present.
"""

import random
from array import array

import hotpath
from hotpath import williams

info = hotpath.backend_info()
print("hotpath %s on the %s backend (%s)" % (hotpath.__version__, info["backend"],
                                            info["library"] or "no native library"))

# One batch of documents: how many fields each page yielded, and the OCR engine's
# own confidence for the page.
rng = random.Random(7)
fields = array("Q", (rng.randint(1, 1500) for _ in range(50000)))
base = array("d", (rng.uniform(0.6, 1.0) for _ in range(len(fields))))

# How many documents to process at once with 2 GB and ~5 MB per document.
print("batch size:", williams.optimal_batch_size(len(fields), 2048))

# Confidence multipliers for the whole batch in one call (no per-document Python loop).
optimizer = hotpath.WilliamsSpaceOptimizer()
multipliers = optimizer.score_documents(fields, base, "balance")
adjusted = [b * m for b, m in zip(base, multipliers)]
print("mean multiplier %.4f, mean adjusted confidence %.4f"
      % (sum(multipliers) / len(multipliers), sum(adjusted) / len(adjusted)))

try:
    import numpy as np
except ImportError:
    np = None
if np is not None:
    t = np.arange(1, 1_000_001, dtype=np.uint64)
    bounds = williams.space_bound_batch(t)  # numpy in, numpy out, no copy of t
    print("space bounds of t = 1..1e6: %s ... %.1f" % (type(bounds).__name__, bounds[-1]))

# Bad input is a clear exception, never a crash.
try:
    williams.confidence_multiplier(120, 1.5)
except ValueError as exc:
    print("rejected:", exc)
