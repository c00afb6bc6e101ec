"""`python3 -m hotpath demo`: one section per module, each a function demo_<module>()
listed in DEMOS, on synthetic data built here (nothing is downloaded or read)."""

from __future__ import annotations

import os
import random
import shutil
import statistics
import tempfile
import time
from array import array

import hotpath
from hotpath import (_consensus_py, _files_py, _search_py, _text_py, _williams_py, compress,
                     consensus, files, memory, search, text, williams)


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
    for total, memory_mb, per_item in ((1_000, 1_000.0, 5.0), (100_000, 4_096.0, 5.0),
                                       (10_000_000, 16_384.0, 0.5), (2_000, 50.0, 5.0)):
        size = optimizer.optimize_batch_size(total, memory_mb, per_item)
        print("  %11d items, %8.0f MB, %.1f MB/item -> %9d per batch"
              % (total, memory_mb, per_item, size))
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


def _compare(label, fast, slow, backend):
    """One timing line: the public call against the pure-Python twin."""
    pure = _median_seconds(slow)
    if backend == "python":
        print("%s: pure Python %.1f ms (backend python: no native library loaded)"
              % (label, pure * 1e3))
        return
    native = _median_seconds(fast)
    print("%s, median of 3: %s backend %.2f ms, pure Python %.1f ms -> %.0fx faster"
          % (label, backend, native * 1e3, pure * 1e3, pure / native))


def demo_text(choices=50_000, seed=7):
    print("== text: similarity, fuzzy search and summaries")
    pairs = (("The quick brown fox jumps", "The quick brown cat runs"),
             ("hello world test", "hello world example"),
             ("Straße in München", "STRASSE IN MÜNCHEN"))
    print("\n  %-28s %-28s jaccard  cosine  lev  jaro-winkler" % ("a", "b"))
    for a, b in pairs:
        print("  %-28s %-28s %7.3f %7.3f %4d %13.3f"
              % (a, b, text.jaccard(a, b), text.cosine(a, b), text.levenshtein(a, b),
                 text.jaro_winkler(a, b)))
    print("  case_fold=True: jaccard(%r, %r) = %.3f (simple folding keeps ß apart from ss)"
          % (pairs[2][0], pairs[2][1], text.jaccard(pairs[2][0], pairs[2][1], case_fold=True)))

    rng = random.Random(seed)
    words = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "lambda"]
    names = [" ".join(rng.choice(words) for _ in range(rng.randint(2, 4))) + " %d" % i
             for i in range(choices)]
    corpus = text.Corpus(names)
    query = "gamma delta omega 4242"
    print("\nfuzzy search in %d names (random.Random(%d)), query %r:" % (choices, seed, query))
    for choice, score, index in text.extract(query, corpus, "levenshtein", limit=3):
        print("  #%-6d distance %2d  %s" % (index, score, choice))
    note = ("---\ntitle: Release notes\ntags: [demo]\n---\n\n"
            "# Version 2 ships the native core\nEverything else is unchanged.\n")
    print("\nsummarize(front matter skipped): %r"
          % text.summarize(note, skip_front_matter=True))
    backend = hotpath.backend_info()["backend"]
    _compare("one_to_many(levenshtein) over %d names" % choices,
             lambda: text.one_to_many(query, corpus, "levenshtein"),
             lambda: _text_py.one_to_many(query, names, "levenshtein"), backend)


def demo_consensus(experts=30, seed=11):
    print("== consensus: what several expert answers agree on")
    responses = [
        {"expert_type": "architect", "confidence": 0.8, "recommendations": ["A", "B"]},
        {"expert_type": "security", "confidence": 0.9, "recommendations": ["B", "C"]},
        {"expert_type": "performance", "confidence": 0.7, "recommendations": ["A", "C"]},
    ]
    result = consensus.analyze_consensus(responses)
    print("analyze_consensus of 3 answers: score %.3f, level %s, key points %s"
          % (result["consensus_score"], result["agreement_level"], result["key_points"]))

    rng = random.Random(seed)
    camps = [
        "use a write-through cache in front of the database and shard the hot tables",
        "move the reporting queries to a read replica and keep one primary database",
        "rewrite the service in a compiled language before touching the data layer",
    ]
    answers = []
    for i in range(experts):
        camp = 0 if i % 3 else rng.randrange(3)
        words = camps[camp].split()
        for _ in range(2):
            words[rng.randrange(len(words))] = rng.choice(("cache", "replica", "index"))
        answers.append({"expert_type": "expert-%02d" % i, "content": " ".join(words * 8),
                        "confidence": round(rng.uniform(0.45, 0.95), 2),
                        "recommendations": [], "limitations": []})
    tc = consensus.text_consensus(answers, metric="cosine", threshold=0.7)
    print("\ntext_consensus of %d synthetic answers (random.Random(%d)): %d clusters, "
          "primary of %d, confidence %.3f"
          % (experts, seed, len(tc["clusters"]), len(tc["clusters"][tc["primary_cluster"]]),
             tc["confidence_score"]))
    print("  key phrases: %s" % ", ".join(tc["key_phrases"]))
    for insight in tc["key_insights"][:4]:
        print("  insight: %s" % insight)
    backend = hotpath.backend_info()["backend"]
    _compare("text_consensus of %d answers" % experts,
             lambda: consensus.text_consensus(answers),
             lambda: _consensus_py.text_consensus(answers), backend)


def demo_files(notes=2_000, seed=5):
    print("== files: audit of a Markdown tree and batch reading")
    rng = random.Random(seed)
    words = ("memory", "agent", "decision", "learned", "outcome", "next", "cache", "index",
             "pattern", "fix", "graph", "query")
    root = tempfile.mkdtemp(prefix="hotpath-demo-files-")
    try:
        for i in range(notes):
            folder = os.path.join(root, "memory", ("short_term", "long_term", "archive")[i % 3],
                                  "batch%02d" % (i % 20))
            os.makedirs(folder, exist_ok=True)
            body = ["---", "title: note %d" % i, "---", "",
                    "# %s %s" % (rng.choice(words).title(), rng.choice(words))]
            body += [" ".join(rng.choice(words) for _ in range(rng.randint(5, 15)))
                     for _ in range(rng.randint(2, 30))]
            ext = ".md" if i % 10 else ".txt"
            with open(os.path.join(folder, "note_%05d%s" % (i, ext)), "w") as f:
                f.write("\n".join(body) + "\n")
        os.symlink(os.path.join(root, "missing.md"), os.path.join(root, "memory", "dangling.md"))
        print("sample tree: %d notes (a tenth .txt) in 60 folders under a temporary folder, "
              "plus one dangling link (random.Random(%d))" % (notes, seed))

        result = files.audit(root, skip_front_matter=True)
        print("\naudit(root, '*.md'): %d files, %d lines, %d words, %d bytes, %d error(s)"
              % (result.total_files, result.total_lines, result.total_words, result.total_size,
                 len(result.errors)))
        for path, reason in result.errors:
            print("  error: %s: %s" % (path, reason))
        report = result.to_markdown(top=3).splitlines()
        print("\nto_markdown(top=3), the top-files table:")
        start = next(i for i, line in enumerate(report) if line.startswith("## Top"))
        for line in report[start + 2:start + 7]:
            print("  " + line)
        cut = files.audit(root, ["short_term/**/*.md", "**/archive/batch0[0-2]/*"],
                          max_files=5)
        print("\naudit with two globs and max_files=5: %s" % ", ".join(r.path for r in cut))

        picked = [result.absolute(r) for r in result[:3]] + [os.path.join(root, "nope.md")]
        contents = files.read_files(picked, text=True)
        first = next(iter(contents))
        print("\nread_files(4 paths, text=True): %d read, errors %s"
              % (len(contents), [(os.path.basename(p), why) for p, why in contents.errors]))
        print("  %s starts: %r" % (os.path.relpath(first, root), contents[first][:60]))

        backend = hotpath.backend_info()["backend"]
        _compare("audit of %d files" % notes, lambda: list(files.audit(root)),
                 lambda: list(_files_py.audit(root)), backend)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def demo_memory():
    print("== memory: a folder of Markdown memories (scan, consolidate, helpers)")
    folder = tempfile.mkdtemp(prefix="hotpath-demo-memory-")
    try:
        now = time.time()
        samples = [
            ("20260101_090000_cache-decision.md", "Cache decision", "design, perf", 40,
             "Critical decision: we chose a write-through cache for the session store.\n"
             "We learned that invalidation must follow the database commit.\n"
             "Next: measure the hit rate after a week.\n"),
            ("20260102_100000_cache-decision-again.md", "Cache decision (copy)", "design", 3,
             "Critical decision: we chose a write-through cache for the session store.\n"
             "We learned that invalidation must follow the database commit.\n"
             "Outcome: the hit rate stayed at 93 percent.\n"),
            ("20260103_110000_flaky-test.md", "Flaky test", '["testing", "bug"]', 2,
             "A bug in the retry loop made one test flaky; the fix waits on an event.\n"),
            ("20260104_120000_pairing-notes.md", "Pairing notes", "team", 1,
             "Paired on the new onboarding template; a reusable pattern emerged.\n"),
        ]
        for name, title, tags, age_days, body in samples:
            path = os.path.join(folder, name)
            with open(path, "w", encoding="utf-8") as f:
                f.write("---\ntitle: %s\ncreated: %sT00:00:00\ntags: %s\n---\n\n%s"
                        % (title, "%s-%s-%s" % (name[:4], name[4:6], name[6:8]), tags, body))
            os.utime(path, (now - age_days * 86400.0, now - age_days * 86400.0))
        print("sample folder: %d memories, one a near-duplicate of another" % len(samples))
        r = memory.scan(folder, threshold_days=30, similarity_threshold=0.6)
        print("scan (30 days, Jaccard > 0.6): %d files, %d old, %d duplicate pair(s), "
              "%d error(s)" % (r["total_files"], r["old_memories"], r["duplicates"],
                               len(r["errors"])))
        report = memory.consolidate(folder, top_n=3, similarity_threshold=0.5)
        print("\n  score  imp   nov   reu   file")
        for m in report["top"]:
            print("  %.3f  %.2f  %.2f  %.2f  %s" % (m["score"], m["importance"], m["novelty"],
                                                    m["reusability"], m["file"]))
        for c in report["clusters"]:
            print("\ncluster led by %s with %s; merged text ends with:"
                  % (c["leader"], ", ".join(c["members"])))
            for line in c["merged_text"].rstrip("\n").split("\n")[-4:]:
                print("  | " + line)
        lines = [1, 0, 1, 0, 1, 0]
        print("\nhexagram of %s (bottom to top): %d, balanced: %s; tier for 120 tasks: %d; "
              "threads for 10,000 files: %d"
              % (lines, memory.create_hexagram(lines), memory.is_balanced(lines),
                 memory.recommend_threading_tier(120), memory.recommend_threads(10000)))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def demo_compress(repeat=400):
    print("== compress: LZ4 frames and gzip, buffers and files")
    note = ("---\ntitle: Compression notes\ncreated: 2026-11-25T01:30:00\ntags: lz4, gzip\n---\n"
            "# What we learned\n\n- LZ4 frames decode fast; gzip packs tighter.\n"
            "- Decision: keep memories as Markdown, compress the archive.\n\n")
    rng = random.Random(5)
    sample = "".join(note.replace("2026-11-25T01:30", "2026-11-%02dT%02d:%02d" % (
        rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59))) + "Outcome %d; next %s.\n"
        % (rng.randint(0, 10 ** 6), rng.choice(("merge", "review", "archive")))
        for _ in range(repeat)).encode()
    print("sample: %d Markdown memories (front matter, notes), %d bytes" % (repeat, len(sample)))
    print("\n  format  level      bytes   ratio   round trip")
    for fmt in compress.FORMATS:
        lo, hi, default = compress.levels(fmt)
        for level in (default, hi):
            packed = compress.compress(sample, fmt, level)
            ok = compress.decompress(packed) == sample
            print("  %-6s  %5d  %9d  %6.1f   %s"
                  % (fmt, level, len(packed), len(sample) / len(packed), "ok" if ok else "FAILED"))
    packed = compress.compress(sample)
    print("\ndecompressed_size from the LZ4 frame header: %s" % compress.decompressed_size(packed))
    try:
        compress.decompress(packed[:len(packed) // 2])
    except hotpath.HotpathError as exc:
        print("a truncated frame: %s (%s)" % (exc, exc.status_name))

    import os
    import tempfile
    with tempfile.TemporaryDirectory(prefix="hotpath-demo-") as tmp:
        src = os.path.join(tmp, "memories.md")
        with open(src, "wb") as f:
            f.write(sample * 10)
        for fmt, ext in (("lz4", ".lz4"), ("gzip", ".gz")):
            packed_path = src + ext
            back = os.path.join(tmp, "back" + ext + ".md")
            n = compress.compress_file(src, packed_path, fmt)
            m = compress.decompress_file(packed_path, back)
            with open(back, "rb") as f:
                same = f.read() == sample * 10
            print("file %s: %d bytes -> %s %d bytes -> %d bytes back (%s)"
                  % (os.path.basename(src), len(sample) * 10, fmt, n, m,
                     "identical" if same else "DIFFERENT"))


def demo_search(documents=20_000, seed=3):
    print("== search: a persistent BM25 index (block-max WAND, exact top k)")
    notes = [
        ("consolidation.md", "Memory consolidation",
         "Every night the agent replays the day and consolidates similar memories into "
         "long-term notes; consolidation merges duplicates."),
        ("ethics.md", "Ethical boundaries",
         "Dharma guides the agent: ethical boundaries are never crossed, whatever the task."),
        ("cache.md", "Cache decision", "The session cache is write-through; memory use is bounded."),
        ("tokyo.md", "Travel", "Visited \u6771\u4eac in spring; the memory of the blossoms stays."),
        ("garden.md", None, "Compost, tomatoes and basil. Stra\u00dfe and STRASSE fold alike."),
    ]
    with tempfile.TemporaryDirectory(prefix="hotpath-demo-search-") as folder:
        index = search.Index(folder, stemmer="english")
        index.add_many([(doc_id, text, title) for doc_id, title, text in notes])
        index.commit()
        index.close()
        index = search.Index(folder)  # reopened: the analyzer options come from the files
        print("index of %d notes committed to a folder and reopened: %s"
              % (len(index), {k: v for k, v in index.stats().items() if k != "fields"}))
        for query, options in (("memory consolidation", {}), ("ethical boundaries dharma", {}),
                               ('"ethical boundaries"', {}), ("memory -cache", {}),
                               ("etical", {"fuzzy": 1}), ("boundary", {}), ("\u6771\u4eac", {}),
                               ("strasse", {}), ("title:cache", {})):
            hits = index.search(query, **options)
            print("  %-28s %-12s -> %s" % (query, options or "", ", ".join(
                "%s %.3f" % (h.doc_id, h.score) for h in hits) or "(none)"))
        print("  highlight: %s" % index.highlight("consolidation.md", "memory consolidation"))
        index.close()

    rng = random.Random(seed)
    vocabulary = ["w%d" % i for i in range(5000)]
    weights = [1.0 / (rank + 1) for rank in range(len(vocabulary))]
    docs = [("doc%d" % i, " ".join(rng.choices(vocabulary, weights, k=rng.randint(5, 80))))
            for i in range(documents)]
    queries = [" ".join(rng.choices(vocabulary[:2000], k=rng.randint(1, 3))) for _ in range(200)]
    native = search.Index()
    start = time.perf_counter()
    native.add_many(docs)
    native.commit()
    built = time.perf_counter() - start
    seconds = _median_seconds(lambda: [native.search(q) for q in queries])
    batch = _median_seconds(lambda: native.search_many(queries))
    backend = hotpath.backend_info()["backend"]
    print("\n%d synthetic documents (Zipf words, random.Random(%d)), %s backend: built in "
          "%.0f ms; 200 top-10 queries %.1f us each, search_many %.1f us each"
          % (documents, seed, backend, built * 1e3, seconds / 200 * 1e6, batch / 200 * 1e6))
    if backend != "python":
        twin = _search_py.Index()
        twin.add_many(docs[:10000])
        small = search.Index()
        small.add_many(docs[:10000])
        same = all(twin.search(q) == small.search(q) for q in queries)
        slow = _median_seconds(lambda: [twin.search(q) for q in queries], 1)
        fast = _median_seconds(lambda: [small.search(q) for q in queries])
        print("on the first 10000 documents: pure-Python twin %.0f us per query, %s %.1f us "
              "(%.0fx), same hits and scores: %s"
              % (slow / 200 * 1e6, backend, fast / 200 * 1e6, slow / fast, same))


DEMOS = [demo_williams, demo_text, demo_consensus, demo_files, demo_compress, demo_memory,
         demo_search]


def main():
    info = hotpath.backend_info()
    print("hotpath %s, backend %s%s, dispatch %s\n"
          % (hotpath.__version__, info["backend"],
             " (%s)" % info["library"] if info["library"] else "", info["dispatch"]))
    for demo in DEMOS:
        demo()
        print()
    return 0
