#!/usr/bin/env python3
"""memory.scan on a generated folder of memories against the pure-Python backend and
the all-pairs loop it replaces, as ratios measured side by side in one run.

    python3 bench/bench_memory.py [--quick] [--files N] [--subset K] [--out FILE]

The folder (10,000 memories by default, 1,000 with --quick) is generated under a
temporary folder and removed afterwards: YYYYMMDD_HHMMSS_<slug>.md files with front
matter (title, created, tags in both styles), bodies of 50-400 words drawn from a
vocabulary of 3,000 words with a Zipf-like distribution, and ~5% planted
near-duplicates (copies of an earlier memory with a few words changed), modification
times spread over 90 days.

Rows:
  * hotpath.memory.scan through ctypes and cffi (default threads and 1 thread) and on
    the pure-Python backend (the twin, which prunes the same way), on every file;
  * the reference: the application's all-pairs loop (word sets of every file, then
    len(a & b) / len(a | b) > t over every pair).  It is timed on the first K files
    (500 by default) and its pair loop is EXTRAPOLATED quadratically to all files
    (x N(N-1) / K(K-1)); reading and splitting are extrapolated linearly.

Checks first: every backend reports the same counts on the whole folder, and on the
subset folder the duplicate count equals the brute-force loop exactly.
The markdown table goes to bench/results/<date>-memory.md (or --out).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import shutil
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bindings-python"))

from hotpath import memory  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import (cpu_name, fmt_time, load_backends, timed_interleaved,  # noqa: E402
                      use_backend, word_vocabulary, write_report)

SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "qua", "ber", "dan",
             "fel", "gor", "hin", "jur", "lem", "mor", "nis", "tor", "vel", "wix", "yan")
TAGS = ("cache", "design", "bug", "api", "infra", "ml", "ux", "perf", "security", "docs",
        "testing", "release", "research", "ops", "data", "memory", "agent", "plan", "db", "net")
NOW = time.time()


def generate(folder, n, rng):
    """Writes n memories into folder; returns the number of planted near-duplicates."""
    vocab = word_vocabulary(rng, SYLLABLES, 3000)
    rng.shuffle(vocab)
    weights = [1.0 / (k + 1) for k in range(len(vocab))]
    cum = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    bodies = []
    planted = 0
    base = datetime.datetime(2026, 1, 1)
    for i in range(n):
        created = base + datetime.timedelta(minutes=7 * i)
        if bodies and rng.random() < 0.05:
            words = list(rng.choice(bodies))
            for _ in range(rng.randint(1, 3)):
                words[rng.randrange(len(words))] = rng.choices(vocab, cum_weights=cum)[0]
            planted += 1
        else:
            words = rng.choices(vocab, cum_weights=cum, k=rng.randint(50, 400))
        bodies.append(words)
        title = " ".join(words[:rng.randint(3, 6)])
        tags = rng.sample(TAGS, rng.randint(1, 3))
        tag_text = (", ".join(tags) if i % 2 else
                    "[" + ", ".join('"%s"' % t for t in tags) + "]")
        lines = [" ".join(words[k:k + 12]) for k in range(0, len(words), 12)]
        text = "---\ntitle: %s\ncreated: %s\ntags: %s\n---\n\n%s\n" % (
            title, created.isoformat(), tag_text, "\n".join(lines))
        slug = "-".join(words[:3])[:40]
        name = "%s_%s.md" % (created.strftime("%Y%m%d_%H%M%S"), slug)
        path = os.path.join(folder, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        mtime = NOW - rng.uniform(0, 90 * 86400)
        os.utime(path, (mtime, mtime))
    return planted


def reference_read(folder):
    """The application's reading step: every *.md file's word set."""
    sets = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".md"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                sets.append(set(f.read().split()))
    return sets


def reference_pairs(sets, t):
    """The application's all-pairs loop."""
    count = 0
    n = len(sets)
    for i in range(n):
        a = sets[i]
        for j in range(i + 1, n):
            b = sets[j]
            if a or b:
                if len(a & b) / len(a | b) > t:
                    count += 1
            elif 1.0 > t:
                count += 1
    return count


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="1,000 files, fewer repeats")
    ap.add_argument("--files", type=int, help="number of memories (default 10,000)")
    ap.add_argument("--subset", type=int, help="files of the timed brute force (default 500)")
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--out", help="markdown output file")
    args = ap.parse_args()
    n = args.files or (1000 if args.quick else 10000)
    k = min(n, args.subset or (200 if args.quick else 500))
    repeat = 1 if args.quick else 3
    t = args.threshold

    backends, python_backend = load_backends()
    first = next(iter(backends.values()))
    threads = first.get_num_threads()
    rng = random.Random(2026)
    tmp = tempfile.mkdtemp(prefix="hotpath-bench-memory-")
    try:
        folder = os.path.join(tmp, "memories")
        subset = os.path.join(tmp, "subset")
        os.mkdir(folder)
        os.mkdir(subset)
        planted = generate(folder, n, rng)
        names = sorted(os.listdir(folder))
        for name in names[:k]:
            shutil.copy2(os.path.join(folder, name), os.path.join(subset, name))
        size = sum(os.path.getsize(os.path.join(folder, x)) for x in names)

        # --- checks ---------------------------------------------------------------------
        results = {}
        for name, backend in list(backends.items()) + [("python", python_backend)]:
            use_backend(backend)
            results[name] = memory.scan(folder, 30, t, now=NOW)
        counts = {name: (r["old_memories"], r["duplicates"], r["total_files"], len(r["errors"]))
                  for name, r in results.items()}
        if len(set(counts.values())) != 1:
            sys.exit("backends disagree: %r" % counts)
        sub_sets = reference_read(subset)
        brute = reference_pairs(sub_sets, t)
        for name, backend in backends.items():
            use_backend(backend)
            got = memory.scan(subset, 30, t, now=NOW)["duplicates"]
            if got != brute:
                sys.exit("%s: %d duplicates on the subset, brute force %d" % (name, got, brute))

        # --- timings --------------------------------------------------------------------
        funcs, labels = [], []
        for name, backend in backends.items():
            use_backend(backend)
            funcs.append(lambda f=memory.scan: f(folder, 30, t, now=NOW))
            labels.append("hotpath %s (%d threads)" % (name, threads))
        native_times = timed_interleaved(funcs, repeat, min_time=0.0)
        one = next(iter(backends.values()))
        use_backend(one)
        one.set_num_threads(1)
        one_thread = timed_interleaved([lambda f=memory.scan: f(folder, 30, t, now=NOW)],
                                       repeat, min_time=0.0)[0]
        one.set_num_threads(0)
        use_backend(python_backend)
        twin = timed_interleaved([lambda f=memory.scan: f(folder, 30, t, now=NOW)],
                                 1, min_time=0.0)[0]
        ref_read = timed_interleaved([lambda: reference_read(subset)], repeat, min_time=0.0)[0]
        ref_pairs = timed_interleaved([lambda: reference_pairs(sub_sets, t)], 1,
                                      min_time=0.0)[0]
        scale_pairs = (n * (n - 1)) / (k * (k - 1))
        reference = ref_read * n / k + ref_pairs * scale_pairs

        lines = []
        out = lines.append
        today = datetime.date.today().isoformat()
        out("# Memory scan benchmark, %s" % today)
        out("")
        out("CPU: %s; Python %s; %d memories (%.1f MB, %d planted near-duplicates), "
            "threshold %g; medians of %d repeats." % (cpu_name(), platform.python_version(), n,
                                                      size / 1e6, planted, t, repeat))
        out("Counts (every backend): %d old, %d duplicates, %d files.  On the first %d files "
            "the duplicate count equals the brute-force loop (%d)."
            % (counts["python"][0], counts["python"][1], counts["python"][2], k, brute))
        out("")
        out("The all-pairs reference was timed on %d files: reading and splitting %s, the "
            "pair loop %s; it is EXTRAPOLATED to %d files (reading linearly, the pair loop "
            "quadratically, x%.0f)." % (k, fmt_time(ref_read), fmt_time(ref_pairs), n,
                                        scale_pairs))
        out("")
        out("| path | time | vs all-pairs loop (extrapolated) | vs pure-Python backend |")
        out("|---|---|---|---|")
        out("| all-pairs loop (extrapolated) | %s | 1x | %.2fx |" % (fmt_time(reference),
                                                                  twin / reference))
        out("| pure-Python backend (pruned) | %s | %.0fx | 1x |" % (fmt_time(twin),
                                                                reference / twin))
        for label, s in zip(labels, native_times):
            out("| %s | %s | %.0fx | %.1fx |" % (label, fmt_time(s), reference / s, twin / s))
        out("| hotpath %s (1 thread) | %s | %.0fx | %.1fx |" % (
            one.name, fmt_time(one_thread), reference / one_thread, twin / one_thread))
        out("")
        out("Per file through the native scan at 1 thread: %s (memory.SCAN_SECONDS_PER_ITEM "
            "is %s)." % (fmt_time(one_thread / n), fmt_time(memory.SCAN_SECONDS_PER_ITEM)))
        write_report(lines, args.out, "%s-memory.md" % today)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
