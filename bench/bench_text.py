#!/usr/bin/env python3
"""Text similarity and expert consensus against their peers, as ratios measured side by
side in one run.

    python3 bench/bench_text.py [--quick] [--out FILE]

Peers:
  * Levenshtein one_to_many: a Python loop calling Levenshtein.distance (the C extension
    of Debian's python3-levenshtein) and hotpath's pure-Python backend, against hotpath
    through ctypes and cffi, with a list of str (converted on every call) and with a
    prepared Corpus;
  * the cosine matrix of 1,000 texts of 200 words: the pure-Python backend against the
    native one at 1 and 2 threads;
  * text_consensus of 50 answers of ~2 KB: the pure-Python backend against the native one;
  * one short jaccard call through the public API against the bare pure-Python twin.

Every time is the median of several repeats, interleaved; the markdown table goes to
bench/results/<date>-text.md (or --out).  Results of every path are checked equal first.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bindings-python"))

from hotpath import _text_py, consensus, text  # noqa: E402
from hotpath._ffi import _pack  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import (cpu_name, fmt_time, load_backends, timed_interleaved,  # noqa: E402
                      use_backend, word_vocabulary, write_report)

try:
    import Levenshtein
except ImportError:  # the peer is optional; its column is then left out
    Levenshtein = None

SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "qua", "ber", "dan",
             "fel", "gor", "hin", "jur", "lem", "mor", "nis")


def peer_version():
    if Levenshtein is None:
        return "not installed"
    try:
        from importlib import metadata
        return metadata.version("python-Levenshtein")
    except Exception:  # noqa: BLE001 - old installs without metadata
        return getattr(Levenshtein, "__version__", "of unknown version")


def zipf_words(rng, vocab, count):
    """count words, rank r drawn log-uniformly (a Zipf-like mix of common and rare)."""
    n = len(vocab)
    return [vocab[int(n ** rng.random()) - 1] for _ in range(count)]


def random_strings(rng, count, lo, hi):
    letters = "abcdefghijklmnopqrstuvwxyz "
    return ["".join(rng.choice(letters) for _ in range(rng.randint(lo, hi)))
            for _ in range(count)]


def answers(rng, count, words=220):
    """count expert answers of ~2 KB: three camps, each answer its camp's text with a
    fifth of the words replaced."""
    vocab = word_vocabulary(rng, SYLLABLES, 3000)
    camps = [zipf_words(rng, vocab, words) for _ in range(3)]
    out = []
    for i in range(count):
        body = list(camps[i % 3] if i % 5 else camps[0])
        for _ in range(words // 5):
            body[rng.randrange(words)] = rng.choice(vocab)
        out.append({"expert_type": "expert-%d" % i, "content": " ".join(body),
                    "confidence": round(rng.uniform(0.4, 0.95), 2),
                    "recommendations": [], "limitations": [], "code_snippets": [],
                    "processing_time": 1.0})
    return out


def per_item_corpus(choices):
    """A Corpus made by the per-item path of hotpath._ffi._pack: every string checked,
    then encoded one by one (what a list the bulk path cannot take costs)."""
    saved = _pack.PER_ITEM_BELOW
    _pack.PER_ITEM_BELOW = float("inf")
    try:
        _text_py.check_texts(choices, "texts")
        return text.Corpus(choices)
    finally:
        _pack.PER_ITEM_BELOW = saved


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, smaller inputs")
    ap.add_argument("--out", help="markdown output file")
    args = ap.parse_args()
    repeat = 3 if args.quick else 5

    backends, python_backend = load_backends()
    first = next(iter(backends.values()))

    lines = []
    out = lines.append
    today = datetime.date.today().isoformat()
    out("# Text and consensus benchmark, %s" % today)
    out("")
    out("CPU: %s, %d hotpath threads unless stated; Python %s; Levenshtein module %s; "
        "medians of %d repeats." % (cpu_name(), first.get_num_threads(),
                                    platform.python_version(),
                                    peer_version(), repeat))
    out("Ratios are times of the peer divided by the time of hotpath (higher = hotpath faster).")
    out("")

    rng = random.Random(7)

    # --- Levenshtein one_to_many ------------------------------------------------------
    out("## Levenshtein distance, one query against many choices")
    out("")
    out("| choices | Python loop of Levenshtein.distance | pure-Python backend | "
        + " | ".join("hotpath %s (%s)" % (b, kind) for b in backends for kind in ("list", "Corpus"))
        + " | list vs Levenshtein loop | Corpus vs Levenshtein loop | best vs pure Python |")
    out("|" + "---|" * (6 + 2 * len(backends)))
    sizes = [(100000, 10, 60), (2000, 500, 2000)]
    if args.quick:
        sizes = [(20000, 10, 60), (300, 500, 2000)]
    for count, lo, hi in sizes:
        choices = random_strings(rng, count, lo, hi)
        query = random_strings(rng, 1, lo, hi)[0]
        funcs, labels = [], []
        if Levenshtein is not None:
            dist = Levenshtein.distance
            funcs.append(lambda: [dist(query, c) for c in choices])
            labels.append("peer")
        use_backend(python_backend)
        pure = text.one_to_many
        expected = list(pure(query, choices, "levenshtein"))
        funcs.append(lambda: pure(query, choices, "levenshtein"))
        labels.append("pure")
        for name, backend in backends.items():
            use_backend(backend)
            f = text.one_to_many
            corpus = text.Corpus(choices)
            for arg in (choices, corpus):
                if list(f(query, arg, "levenshtein")) != expected:
                    sys.exit("levenshtein one_to_many (%s) differs from the twin" % name)
                funcs.append(lambda f=f, arg=arg: f(query, arg, "levenshtein"))
                labels.append(name)
        if Levenshtein is not None and [float(Levenshtein.distance(query, c))
                                        for c in choices] != expected:
            sys.exit("the twin differs from Levenshtein.distance")
        times = timed_interleaved(funcs, repeat, min_time=0.2)
        peer = times[0] if Levenshtein is not None else None
        pure_t = times[labels.index("pure")]
        native = times[labels.index("pure") + 1:]
        best = min(native)
        best_list, best_corpus = min(native[0::2]), min(native[1::2])
        out("| %d of %d-%d chars | %s | %s | %s | %s | %s | %.0fx |"
            % (count, lo, hi, fmt_time(peer) if peer else "n/a", fmt_time(pure_t),
               " | ".join(fmt_time(t) for t in native),
               "%.1fx" % (peer / best_list) if peer else "n/a",
               "%.0fx" % (peer / best_corpus) if peer else "n/a", pure_t / best))
    out("")

    # --- strings across the boundary ----------------------------------------------------
    out("## Building a Corpus: strings across the boundary")
    out("")
    out("`text.Corpus(choices)` crosses in bulk: one join, whose UTF-8 the library reads in "
        "place (hotpath_text_corpus_create_joined with HOTPATH_TEXT_BORROW; hotpath._ffi._pack); "
        "the item-by-item path is this package's fallback for lists the bulk path cannot take "
        "(a check and an encode per string, then join and offsets, "
        "hotpath_text_corpus_create), timed in the same run.")
    out("")
    out("| choices | " + " | ".join("%s bulk | %s item by item | %s ratio" % (b, b, b)
                                   for b in backends) + " |")
    out("|---|" + "---|---|---|" * len(backends))
    for count, lo, hi in sizes:
        choices = random_strings(rng, count, lo, hi)
        cells = []
        for name, backend in backends.items():
            use_backend(backend)
            bulk, items = text.Corpus(choices), per_item_corpus(choices)
            probe = random_strings(rng, 1, lo, hi)[0]
            if list(text.one_to_many(probe, bulk, "levenshtein")) != list(
                    text.one_to_many(probe, items, "levenshtein")):
                sys.exit("bulk and item-by-item corpora differ (%s)" % name)
            t_bulk, t_items = timed_interleaved(
                [lambda: text.Corpus(choices), lambda: per_item_corpus(choices)], repeat,
                min_time=0.2)
            cells.append("%s | %s | %.1fx" % (fmt_time(t_bulk), fmt_time(t_items),
                                              t_items / t_bulk))
        out("| %d of %d-%d chars | %s |" % (count, lo, hi, " | ".join(cells)))
    out("")

    # --- cosine matrix ------------------------------------------------------------------
    n_texts = 300 if args.quick else 1000
    vocab = word_vocabulary(rng, SYLLABLES, 5000)
    docs = [" ".join(zipf_words(rng, vocab, 200)) for _ in range(n_texts)]
    out("## Cosine similarity matrix of %d texts of 200 words" % n_texts)
    out("")
    use_backend(python_backend)
    pure_matrix = text.matrix
    expected = pure_matrix(docs, "cosine")
    use_backend(first)
    native_matrix = text.matrix
    corpus = text.Corpus(docs)
    got = native_matrix(corpus, "cosine")
    if list(got.data) != list(expected.data):
        sys.exit("native cosine matrix differs from the twin")

    def at_threads(n):
        def run():
            first.set_num_threads(n)
            native_matrix(corpus, "cosine")
        return run
    times = timed_interleaved([lambda: pure_matrix(docs, "cosine"), at_threads(1),
                               at_threads(2)], repeat, min_time=0.2)
    first.set_num_threads(0)
    list_time = timed_interleaved([lambda: native_matrix(docs, "cosine")], repeat)[0]
    out("| path | time | vs pure Python |")
    out("|---|---|---|")
    out("| pure-Python backend | %s | 1.0x |" % fmt_time(times[0]))
    out("| hotpath %s, Corpus, 1 thread | %s | %.0fx |" % (first.name, fmt_time(times[1]),
                                                          times[0] / times[1]))
    out("| hotpath %s, Corpus, 2 threads | %s | %.0fx |" % (first.name, fmt_time(times[2]),
                                                           times[0] / times[2]))
    out("| hotpath %s, list of str, 2 threads | %s | %.0fx |" % (first.name, fmt_time(list_time),
                                                               times[0] / list_time))
    out("")
    out("2-thread / 1-thread scaling: %.2fx." % (times[1] / times[2]))
    out("")

    # --- text_consensus -------------------------------------------------------------------
    n_answers = 50
    responses = answers(rng, n_answers)
    out("## text_consensus of %d answers of ~%d bytes (cosine, threshold 0.7)"
        % (n_answers, sum(len(r["content"]) for r in responses) // n_answers))
    out("")
    use_backend(python_backend)
    pure_tc = consensus.text_consensus
    expected = pure_tc(responses)
    funcs = [lambda: pure_tc(responses)]
    names = []
    for name, backend in backends.items():
        use_backend(backend)
        f = consensus.text_consensus
        got = f(responses)
        for key in ("consensus_text", "confidence_score", "key_insights", "contributing_experts"):
            if got[key] != expected[key]:
                sys.exit("text_consensus (%s) differs from the twin in %s" % (name, key))
        funcs.append(lambda f=f: f(responses))
        names.append(name)
    times = timed_interleaved(funcs, repeat, min_time=0.2)
    out("| path | time | vs pure Python |")
    out("|---|---|---|")
    out("| pure-Python backend | %s | 1.0x |" % fmt_time(times[0]))
    for name, t in zip(names, times[1:]):
        out("| hotpath %s | %s | %.0fx |" % (name, fmt_time(t), times[0] / t))
    out("")

    # --- one short call -------------------------------------------------------------------
    out("## One short call: jaccard of two 5-word strings")
    out("")
    a, b = "the quick brown fox jumps", "the quick brown cat runs"
    twin = _text_py.jaccard
    publics = []
    for backend in backends.values():
        use_backend(backend)
        publics.append(text.jaccard)
    times = timed_interleaved([lambda: twin(a, b)] + [lambda f=f: f(a, b) for f in publics],
                              repeat)
    out("| pure-Python twin | " + " | ".join("public API (%s)" % n for n in backends)
        + " | worst public / twin |")
    out("|---|" + "---|" * (len(backends) + 1))
    out("| %s | %s | %.2f |" % (fmt_time(times[0]), " | ".join(fmt_time(t) for t in times[1:]),
                                max(times[1:]) / times[0]))
    out("")

    write_report(lines, args.out, "%s-text.md" % today)


if __name__ == "__main__":
    main()
