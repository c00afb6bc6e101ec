#!/usr/bin/env python3
"""Williams module against its peers, as ratios measured side by side in one run.

    python3 bench/bench_williams.py [--quick] [--out FILE]

Peers, for t = 1..n:
  * the pure-Python loop a caller writes today: [space_bound(t) for t in ts] with the
    pure-Python twin (the reference formulas);
  * numpy: np.sqrt(a) * np.log2(a) on a float64 array (prepared in advance, so numpy
    pays no conversion; note it gives 0.0 instead of 1.0 at t = 1);
  * hotpath's public API through ctypes and through cffi (the dispatcher picks the
    path), with an array('Q') input and with a numpy uint64 input.
Single calls go through the public API and are compared with the bare twin.  OCR:
score_documents on 100k documents against the pure-Python class called per document.

Every time is the median of several repeats; the markdown table goes to
bench/results/<date>-williams.md (or --out).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import sys
from array import array

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bindings-python"))

import hotpath  # noqa: E402
from hotpath import _williams_py, williams  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import (cpu_name, fmt_time, load_backends, timed,  # noqa: E402
                      timed_interleaved, use_backend, write_report)

try:
    import numpy as np
except ImportError:  # numpy is an optional peer
    np = None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, no 1M pure-Python loop")
    ap.add_argument("--out", help="markdown output file")
    args = ap.parse_args()
    repeat = 3 if args.quick else 7

    backends, python_backend = load_backends()

    lines = []
    out = lines.append
    today = datetime.date.today().isoformat()
    threads = next(iter(backends.values())).get_num_threads()
    out("# Williams benchmark, %s" % today)
    out("")
    out("CPU: %s, %d hotpath threads; Python %s; numpy %s; medians of %d repeats."
        % (cpu_name(), threads, platform.python_version(),
           np.__version__ if np else "not installed", repeat))
    out("Ratios are times of the peer divided by the time of hotpath (higher = hotpath faster).")
    out("")

    # --- space_bound: single calls and batches -------------------------------------
    out("## space_bound, t = 1..n")
    out("")
    header = ["n", "pure Python loop", "numpy"]
    for name in backends:
        header += ["hotpath %s (array)" % name, "hotpath %s (numpy)" % name if np else None]
    header = [h for h in header if h]
    header += ["best hotpath vs Python", "best hotpath vs numpy"]
    out("| " + " | ".join(header) + " |")
    out("|" + "---|" * len(header))

    twin_sb = _williams_py.space_bound
    for n in (1, 10, 1000, 100000, 1000000):
        row = [str(n) if n > 1 else "1 (scalar call)"]
        if n == 1:
            t_py = timed(lambda: twin_sb(1000), repeat)
            t_np = timed(lambda: np.sqrt(1000.0) * np.log2(1000.0), repeat) if np else None
        else:
            ts = list(range(1, n + 1))
            if args.quick and n >= 1000000:
                t_py = timed(lambda: [twin_sb(t) for t in ts[:100000]], repeat) * 10
            else:
                t_py = timed(lambda: [twin_sb(t) for t in ts], repeat)
            if np:
                af = np.arange(1, n + 1, dtype=np.float64)
                t_np = timed(lambda: np.sqrt(af) * np.log2(af), repeat)
            else:
                t_np = None
            arr = array("Q", ts)
            au = np.arange(1, n + 1, dtype=np.uint64) if np else None
        row += [fmt_time(t_py), fmt_time(t_np) if t_np else "-"]
        best = None
        for name, backend in backends.items():
            use_backend(backend)
            if n == 1:
                t_a = timed(lambda: williams.space_bound(1000), repeat)
                t_n = None
            else:
                t_a = timed(lambda: williams.space_bound_batch(arr), repeat)
                t_n = timed(lambda: williams.space_bound_batch(au), repeat) if np else None
            row.append(fmt_time(t_a))
            if np:
                row.append(fmt_time(t_n) if t_n else "-")
            for t in (t_a, t_n):
                if t is not None and (best is None or t < best):
                    best = t
        row.append("%.1fx" % (t_py / best))
        row.append("%.1fx" % (t_np / best) if t_np else "-")
        out("| " + " | ".join(row) + " |")
    out("")

    # --- thread scaling of the 1M batch -----------------------------------------------
    backend = backends.get("ctypes") or next(iter(backends.values()))
    use_backend(backend)
    arr = array("Q", range(1, 1000001))
    scale = {}
    for nt in (1, 2):
        hotpath.set_num_threads(nt)
        scale[nt] = timed(lambda: williams.space_bound_batch(arr), repeat)
    hotpath.set_num_threads(0)
    out("space_bound_batch of 1M items: %s with 1 thread, %s with 2 threads (%.2fx)."
        % (fmt_time(scale[1]), fmt_time(scale[2]), scale[1] / scale[2]))
    out("")

    # --- scalar dispatch overhead ---------------------------------------------------------
    out("## Scalar calls through the public API (dispatch), vs the bare pure-Python function")
    out("")
    out("| function | bare twin | " + " | ".join("public API, %s backend" % b for b in backends)
        + " | worst ratio (<= 1.1 wanted) |")
    out("|---|---|" + "---|" * len(backends) + "---|")
    scalar_calls = {
        "space_bound(1000)": ("space_bound", (1000,)),
        "efficiency(1000)": ("efficiency", (1000,)),
        "optimal_batch_size(10000, 2048)": ("optimal_batch_size", (10000, 2048.0)),
        "confidence_multiplier(120, 0.9, 'support')": ("confidence_multiplier",
                                                        (120, 0.9, "support")),
    }
    for label, (fname, fargs) in scalar_calls.items():
        twin = getattr(_williams_py, fname)
        publics = []
        for backend in backends.values():
            use_backend(backend)
            publics.append(getattr(williams, fname))
        # Each backend's public function was bound above; calling it does not depend on
        # which backend is active, so all are timed together, interleaved with the twin.
        times = timed_interleaved([lambda: twin(*fargs)] +
                                  [lambda f=f: f(*fargs) for f in publics], repeat)
        t_twin, cells, worst = times[0], [], 0.0
        for f, t in zip(publics, times[1:]):
            # When dispatch serves the call in Python, the public name is the twin's
            # function itself: any difference in the timings is noise.
            cells.append(fmt_time(t) + (" (the twin itself)" if f is twin else ""))
            worst = max(worst, t / t_twin)
        out("| %s | %s | %s | %.2f |" % (label, fmt_time(t_twin), " | ".join(cells), worst))
    out("")

    # --- OCR batch: score_documents -------------------------------------------------------
    rng = random.Random(42)
    ndocs = 100000
    fields = [rng.randint(1, 2000) for _ in range(ndocs)]
    bases = [round(rng.uniform(0.6, 1.0), 3) for _ in range(ndocs)]
    use_backend(python_backend)
    pure = hotpath.WilliamsSpaceOptimizer()
    t_pure = timed(lambda: [pure.calculate_confidence_multiplier(f, b, "balance")
                            for f, b in zip(fields, bases)], 3 if not args.quick else 1)
    expected = [pure.calculate_confidence_multiplier(f, b, "balance") for f, b in zip(fields, bases)]
    out("## OCR scoring: score_documents on %d documents" % ndocs)
    out("")
    out("| path | time | speed-up vs pure-Python class per document |")
    out("|---|---|---|")
    out("| pure-Python class, one call per document | %s | 1.0x |" % fmt_time(t_pure))
    fa, ba = array("Q", fields), array("d", bases)
    for name, backend in backends.items():
        use_backend(backend)
        opt = hotpath.WilliamsSpaceOptimizer()
        got = opt.score_documents(fa, ba, "balance")
        # Same numbers up to rounding (the native log2 is within 2 ulp of libm's).
        worst = max(abs(g - e) / e for g, e in zip(got, expected))
        if worst > 1e-12:
            sys.exit("score_documents (%s) differs from the pure-Python class by %g"
                     % (name, worst))
        t = timed(lambda: opt.score_documents(fa, ba, "balance"), repeat)
        out("| hotpath %s, score_documents (array input) | %s | %.1fx |" % (name, fmt_time(t), t_pure / t))
        t = timed(lambda: opt.score_documents(fields, bases, "balance"), repeat)
        out("| hotpath %s, score_documents (list input) | %s | %.1fx |" % (name, fmt_time(t), t_pure / t))
    out("")

    write_report(lines, args.out, "%s-williams.md" % today)


if __name__ == "__main__":
    main()
