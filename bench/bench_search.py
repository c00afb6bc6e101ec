#!/usr/bin/env python3
"""hotpath.search (BM25 full-text index) against SQLite FTS5, Xapian, Whoosh and its
pure-Python twin, as ratios measured side by side in one run.

    python3 bench/bench_search.py [--docs N] [--queries N] [--skip NAMES] [--cache DIR]
                                  [--subset-docs N] [--subset-queries N] [--out FILE]
                                  [--no-report] [--shared-index]

Corpus: bench/search_corpus.py (Debian's linux-doc-6.1 and python3.11-doc, and English
man pages when those two are short of 50 MB or 100,000 documents), cached under --cache
(default /tmp/hotpath-bench-search).  --docs N keeps N documents evenly spaced over it.

Queries (--queries, default 1,000; random.Random(2026)): words of the corpus vocabulary
(ASCII letters only, in >= 2 documents) at frequency ranks drawn log-uniformly from the
commonest to the rarest; 1-term queries, 2- and 3-term queries (OR and AND alternately,
the terms of one real document so that AND finds something), and a few dozen quoted
2-3 word phrases cut from document text.  They are cached beside the corpus.

Engines, each configured for BM25 k1=1.2 b=0.75, top 10, no stemming, no stop words,
the title weighing double, doc_id, title and text stored:
  * hotpath.search.Index (the active backend; hotpath.backend_info()), add_many in
    batches of 10,000 then commit, on disk and in memory;
  * SQLite FTS5 (stdlib sqlite3): fts5(title, text, doc_id UNINDEXED,
    tokenize='unicode61 remove_diacritics 0'), rank bm25(2.0, 1.0), 'optimize' after
    the inserts (part of the build time);
  * Xapian (python3-xapian): TermGenerator with positions, the title with wdf 2 and a
    gap of 1000 positions, BM25Weight(1.2, 0, 1, 0.75, 0.5), QueryParser without
    stemmer, default operator OP_OR / OP_AND; also compacted (size and time);
  * Whoosh (python3-whoosh): title and text fields (RegexTokenizer + LowercaseFilter),
    MultifieldParser with the title boosted 2, BM25F(B=0.75, K1=1.2); built on
    --subset-docs documents (default 20,000) and queried with --subset-queries
    (default 200), against a hotpath index of the same documents;
  * hotpath._search_py.Index (the twin), the same subset.

Per engine: build time (one build), index size (bytes of its folder), p50 / p99 of the
top-10 query latency (one thread; a warm-up pass, then each query once), queries/s on
one thread (sum of those latencies) and on 2 threads (hotpath: search_many, one call
per mode, and 2 Python threads calling search, each on an Index of its own, or on one
shared Index with --shared-index; peers: 2 threads with a handle each; the median of
up to 3 passes), and the mean overlap of each peer's top-10
doc ids with hotpath's.  The report goes to bench/results/<date>-search.md (or --out),
written only when hotpath.search ran natively unless --out is given.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import math
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import sys
import threading
import time
import unicodedata
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bindings-python"))

import hotpath  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import cpu_name, fmt_time, write_report  # noqa: E402
import search_corpus  # noqa: E402

try:
    from hotpath import search as hp_search
except ImportError as exc:  # reported in the output; the peers still run
    hp_search, HP_ERROR = None, str(exc)
else:
    HP_ERROR = None
try:
    from hotpath import _search_py as hp_twin
except ImportError:
    hp_twin = None
try:
    import xapian
except ImportError:
    xapian = None
try:
    import whoosh
    import whoosh.analysis
    import whoosh.fields
    import whoosh.index
    import whoosh.qparser
    import whoosh.scoring
except ImportError:
    whoosh = None

K1, B = 1.2, 0.75
LIMIT = 10
BATCH = 10_000
SEED = 2026
QUERY_VERSION = 1
TOKEN = re.compile(r"[^\W_]+")
ASCII_WORD = re.compile(r"[a-z]+\Z")
ENGINES = ("hotpath", "fts5", "xapian", "whoosh", "twin")
SHARED_INDEX = False        # --shared-index: hotpath's 2 Python threads search one Index


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def analyze(text):
    """The tokens of the documented default analyzer, closely enough to draw query
    words (NFKC, casefold, runs of letters and digits)."""
    return TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


LOAD_AT_START = load_average()


def folder_bytes(path):
    total = 0
    for folder, _, names in os.walk(path):
        for name in names:
            try:
                total += os.path.getsize(os.path.join(folder, name))
            except OSError:
                pass
    return total


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


# --- corpus and queries --------------------------------------------------------------------

def select_docs(docs, n):
    if not n or n >= len(docs):
        return docs
    return [docs[i * len(docs) // n] for i in range(n)]


def make_queries(docs, count, seed):
    """count queries: dicts {"kind": "term"|"or"|"and"|"phrase", "mode", "words"}."""
    rng = random.Random(seed)
    df = {}

    def words_of(doc):
        return {w for w in analyze((doc[1] or "") + " " + doc[2]) if ASCII_WORD.match(w)}

    for doc in docs:
        for w in words_of(doc):
            df[w] = df.get(w, 0) + 1
    vocab = sorted((w for w, n in df.items() if n >= 2), key=lambda w: (-df[w], w))
    rank = {w: i + 1 for i, w in enumerate(vocab)}
    top = len(vocab)

    def target():
        return math.exp(rng.uniform(0.0, math.log(top)))

    phrases = max(1, min(40, count // 25))
    multi = (count - phrases) * 2 // 3
    kinds = ["phrase"] * phrases + ["multi"] * multi + ["term"] * (count - phrases - multi)
    rng.shuffle(kinds)
    queries = []
    seen = set()
    n_multi = 0
    while len(queries) < count:
        kind = kinds[len(queries)]
        if kind == "term":
            want = target()
            words = [vocab[min(top - 1, int(want) - 1)]]
            q = {"kind": "term", "mode": "or", "words": words}
        elif kind == "multi":
            k = 2 if n_multi % 4 < 2 else 3
            mode = "or" if n_multi % 2 == 0 else "and"
            d = rng.randrange(len(docs))
            cands = sorted(w for w in words_of(docs[d]) if w in rank)
            if len(cands) < k:
                continue
            words = []
            for _ in range(k):
                want = math.log(target())
                best = min((w for w in cands if w not in words),
                           key=lambda w: (abs(math.log(rank[w]) - want), w))
                words.append(best)
            q = {"kind": mode, "mode": mode, "words": words}
        else:
            d = rng.randrange(len(docs))
            toks = analyze(docs[d][2])
            k = rng.choice((2, 3))
            if len(toks) < k:
                continue
            start = rng.randrange(len(toks) - k + 1)
            words = toks[start:start + k]
            if not all(w in rank for w in words) or max(rank[w] for w in words) <= 100:
                continue
            q = {"kind": "phrase", "mode": "or", "words": words}
        key = (q["kind"], tuple(q["words"]))
        if key in seen:
            continue
        seen.add(key)
        if kind == "multi":
            n_multi += 1
        queries.append(q)
    return queries, len(vocab)


def load_queries(cache_dir, docs, count, fingerprint):
    path = os.path.join(cache_dir, "queries-%d-%d-%d-%s.json" % (
        QUERY_VERSION, len(docs), count, fingerprint[:16]))
    try:
        with open(path) as f:
            data = json.load(f)
        return data["queries"], data["vocabulary"]
    except (OSError, ValueError, KeyError):
        pass
    queries, vocab = make_queries(docs, count, SEED)
    with open(path + ".tmp", "w") as f:
        json.dump({"queries": queries, "vocabulary": vocab}, f)
    os.replace(path + ".tmp", path)
    return queries, vocab


def hotpath_query(q):
    if q["kind"] == "phrase":
        return '"%s"' % " ".join(q["words"])
    return " ".join(q["words"])


# --- engines -------------------------------------------------------------------------------
# Each engine: build(docs, path) -> None (timed by the caller, commit included);
# open(path) -> handle; search(handle, q) -> [doc_id] (top 10); close(handle).

class HotpathEngine:
    name = "hotpath"

    def __init__(self, module, label):
        self.module = module
        self.label = label

    def build(self, docs, path):
        index = self.module.Index(path)
        try:
            add = index.add_many
            for i in range(0, len(docs), BATCH):
                add([(d[0], d[2], d[1]) for d in docs[i:i + BATCH]])
            index.commit()
        finally:
            if path is not None:
                index.close()
        return index

    def open(self, path):
        return self.module.Index(path)

    def prepare(self, queries):
        return [(hotpath_query(q), q["mode"]) for q in queries]

    def search(self, index, prepared):
        text, mode = prepared
        return [h.doc_id for h in index.search(text, limit=LIMIT, mode=mode)]

    def close(self, index):
        index.close()


class FTS5Engine:
    name = "fts5"
    label = "SQLite FTS5"

    def version(self):
        return "SQLite %s" % sqlite3.sqlite_version

    def build(self, docs, path):
        db = sqlite3.connect(os.path.join(path, "fts5.sqlite"))
        try:
            db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, text, doc_id UNINDEXED, "
                       "tokenize='unicode61 remove_diacritics 0')")
            db.execute("INSERT INTO docs(docs, rank) VALUES('rank', 'bm25(2.0, 1.0)')")
            with db:
                db.executemany("INSERT INTO docs(title, text, doc_id) VALUES (?, ?, ?)",
                               ((d[1], d[2], d[0]) for d in docs))
            with db:
                db.execute("INSERT INTO docs(docs) VALUES('optimize')")
        finally:
            db.close()

    def open(self, path):
        return sqlite3.connect(os.path.join(path, "fts5.sqlite"), check_same_thread=False)

    def prepare(self, queries):
        out = []
        for q in queries:
            quoted = ['"%s"' % w.replace('"', '""') for w in q["words"]]
            if q["kind"] == "phrase":
                out.append('"%s"' % " ".join(q["words"]).replace('"', '""'))
            else:
                out.append((" AND " if q["mode"] == "and" else " OR ").join(quoted))
        return out

    def search(self, db, match):
        return [r[0] for r in db.execute(
            "SELECT doc_id FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT %d" % LIMIT,
            (match,))]

    def close(self, db):
        db.close()


class XapianEngine:
    name = "xapian"
    label = "Xapian"

    def version(self):
        return "Xapian %s" % xapian.version_string()

    def build(self, docs, path):
        db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
        try:
            tg = xapian.TermGenerator()
            tg.set_stemming_strategy(xapian.TermGenerator.STEM_NONE)
            for doc_id, title, text in docs:
                doc = xapian.Document()
                tg.set_document(doc)
                if title:
                    tg.index_text(title, 2)
                    tg.increase_termpos(1000)
                tg.index_text(text)
                doc.add_value(0, doc_id)
                doc.set_data((title or "") + "\n" + text)
                db.add_document(doc)
            db.commit()
        finally:
            db.close()

    def compact(self, path, dest):
        shutil.rmtree(dest, ignore_errors=True)
        db = xapian.Database(path)
        try:
            db.compact(dest)
        finally:
            db.close()

    def open(self, path):
        db = xapian.Database(path)
        enquire = xapian.Enquire(db)
        enquire.set_weighting_scheme(xapian.BM25Weight(K1, 0, 1, B, 0.5))
        parsers = {}
        for mode, op in (("or", xapian.Query.OP_OR), ("and", xapian.Query.OP_AND)):
            qp = xapian.QueryParser()
            qp.set_stemming_strategy(xapian.QueryParser.STEM_NONE)
            qp.set_database(db)
            qp.set_default_op(op)
            parsers[mode] = qp
        return db, enquire, parsers

    def prepare(self, queries):
        return [(hotpath_query(q), q["mode"]) for q in queries]

    def search(self, handle, prepared):
        _, enquire, parsers = handle
        text, mode = prepared
        enquire.set_query(parsers[mode].parse_query(text, xapian.QueryParser.FLAG_PHRASE))
        return [m.document.get_value(0).decode("utf-8")
                for m in enquire.get_mset(0, LIMIT)]

    def close(self, handle):
        handle[0].close()


class WhooshEngine:
    name = "whoosh"
    label = "Whoosh"

    def version(self):
        return "Whoosh %s" % whoosh.versionstring()

    def schema(self):
        ana = whoosh.analysis.RegexTokenizer(r"[^\W_]+") | whoosh.analysis.LowercaseFilter()
        return whoosh.fields.Schema(
            doc_id=whoosh.fields.ID(stored=True),
            title=whoosh.fields.TEXT(analyzer=ana, stored=True),
            text=whoosh.fields.TEXT(analyzer=ana, stored=True))

    def build(self, docs, path):
        ix = whoosh.index.create_in(path, self.schema())
        writer = ix.writer(limitmb=256, procs=1)
        for doc_id, title, text in docs:
            writer.add_document(doc_id=doc_id, title=title or "", text=text)
        writer.commit()
        ix.close()

    def open(self, path):
        ix = whoosh.index.open_dir(path)
        searcher = ix.searcher(weighting=whoosh.scoring.BM25F(B=B, K1=K1))
        parsers = {}
        for mode, group in (("or", whoosh.qparser.OrGroup), ("and", whoosh.qparser.AndGroup)):
            parsers[mode] = whoosh.qparser.MultifieldParser(
                ["title", "text"], ix.schema, fieldboosts={"title": 2.0}, group=group)
        return ix, searcher, parsers

    def prepare(self, queries):
        return [(hotpath_query(q), q["mode"]) for q in queries]

    def search(self, handle, prepared):
        _, searcher, parsers = handle
        text, mode = prepared
        results = searcher.search(parsers[mode].parse(text), limit=LIMIT)
        return [hit["doc_id"] for hit in results]

    def close(self, handle):
        handle[1].close()
        handle[0].close()


# --- measurements --------------------------------------------------------------------------

def latencies(engine, handle, prepared):
    """(ids, seconds) of one pass over the prepared queries, each timed alone."""
    search = engine.search
    ids, times = [], []
    clock = time.perf_counter
    for p in prepared:
        t0 = clock()
        r = search(handle, p)
        times.append(clock() - t0)
        ids.append(r)
    return ids, times


def percentile(values, p):
    s = sorted(values)
    if not s:
        return float("nan")
    k = min(len(s) - 1, max(0, math.ceil(p / 100.0 * len(s)) - 1))
    return s[k]


def two_threads(worker_of, prepared, max_passes=3, budget=10.0):
    """Median queries/s of passes over prepared split between 2 threads; worker_of()
    returns (search(p), close()) with a handle of the thread's own, made inside it."""
    rates = []
    started = time.perf_counter()
    while len(rates) < max_passes and (not rates or time.perf_counter() - started < budget):
        barrier = threading.Barrier(3)
        errors = []

        def run(part):
            try:
                search, close = worker_of()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                barrier.wait()
                barrier.wait()
                return
            barrier.wait()
            try:
                for p in part:
                    search(p)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
            barrier.wait()
            close()

        threads = [threading.Thread(target=run, args=(prepared[i::2],)) for i in range(2)]
        for t in threads:
            t.start()
        barrier.wait()
        t0 = time.perf_counter()
        barrier.wait()
        elapsed = time.perf_counter() - t0
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
        rates.append(len(prepared) / elapsed)
    return statistics.median(rates), len(rates)


def search_many_rate(index, queries, max_passes=3, budget=10.0):
    """Median queries/s of hotpath's search_many over the queries, one call per mode."""
    groups = {}
    for q in queries:
        groups.setdefault(q["mode"], []).append(hotpath_query(q))
    rates = []
    started = time.perf_counter()
    results = None
    while len(rates) < max_passes and (not rates or time.perf_counter() - started < budget):
        t0 = time.perf_counter()
        results = {mode: index.search_many(texts, limit=LIMIT, mode=mode)
                   for mode, texts in groups.items()}
        rates.append(len(queries) / (time.perf_counter() - t0))
    return statistics.median(rates), len(rates), results


def run_engine(engine, docs, queries, path, results, key, with_threads=True):
    """Builds, measures and fills results[key]."""
    r = results.setdefault(key, {})
    fresh_dir(path)
    gc.collect()
    t0 = time.perf_counter()
    engine.build(docs, path)
    r["build"] = time.perf_counter() - t0
    r["bytes"] = folder_bytes(path)
    r["docs"] = len(docs)
    log("%s: built %d documents in %s, %.1f MB" % (key, len(docs), fmt_time(r["build"]),
                                                   r["bytes"] / 1e6))
    prepared = engine.prepare(queries)
    handle = engine.open(path)
    try:
        if isinstance(engine, HotpathEngine):
            r["stats"] = handle.stats()
        gc.collect()
        t0 = time.perf_counter()
        for p in prepared:                  # warm-up pass
            engine.search(handle, p)
        r["warmup"] = time.perf_counter() - t0
        ids, times = latencies(engine, handle, prepared)
        r["ids"] = ids
        r["queries"] = len(prepared)
        r["p50"] = percentile(times, 50)
        r["p99"] = percentile(times, 99)
        r["mean"] = sum(times) / len(times)
        r["qps1"] = len(times) / sum(times)
        r["by_kind"] = {}
        for kind in ("term", "or", "and", "phrase"):
            ts = [t for t, q in zip(times, queries) if q["kind"] == kind]
            if ts:
                r["by_kind"][kind] = percentile(ts, 50)
        log("%s: %d queries, p50 %s, p99 %s" % (key, len(times), fmt_time(r["p50"]),
                                                fmt_time(r["p99"])))
        if with_threads:
            if isinstance(engine, HotpathEngine):
                rate, passes, many = search_many_rate(handle, queries)
                r["qps_many"] = rate
                r["many_passes"] = passes
                r["many_agrees"] = _many_agrees(queries, many, ids)

                def shared():
                    return (lambda p: engine.search(handle, p)), (lambda: None)
                if SHARED_INDEX or path is None:
                    r["qps2"], r["passes2"] = two_threads(shared, prepared)
                    r["threads_how"] = "2 Python threads on one Index"
                else:
                    def own_index():
                        h = engine.open(path)
                        return (lambda p: engine.search(h, p)), (lambda: engine.close(h))
                    r["qps2"], r["passes2"] = two_threads(own_index, prepared)
                    r["threads_how"] = "2 Python threads, an Index each"
            else:
                def own():
                    h = engine.open(path)
                    return (lambda p: engine.search(h, p)), (lambda: engine.close(h))
                r["qps2"], r["passes2"] = two_threads(own, prepared)
            log("%s: %.0f queries/s on 2 threads" % (key, r["qps2"]))
    finally:
        engine.close(handle)
    return r


def _many_agrees(queries, many, ids):
    """Whether search_many returned the doc ids of search, query by query."""
    pos = {}
    for q, single in zip(queries, ids):
        k = pos.get(q["mode"], 0)
        pos[q["mode"]] = k + 1
        if [h.doc_id for h in many[q["mode"]][k]] != single:
            return False
    return True


def overlap(a, b):
    if not a and not b:
        return 1.0
    return len(set(a) & set(b)) / max(len(a), len(b))


def agreement(ref_ids, ids, queries):
    """Mean top-10 overlap, overall and per query kind, and the share of identical lists."""
    per = [overlap(a, b) for a, b in zip(ref_ids, ids)]
    kinds = {}
    for v, q in zip(per, queries):
        kinds.setdefault(q["kind"], []).append(v)
    same = sum(1 for a, b in zip(ref_ids, ids) if a == b) / len(per)
    return {"mean": sum(per) / len(per), "same": same,
            "kinds": {k: sum(v) / len(v) for k, v in kinds.items()}}


# --- report --------------------------------------------------------------------------------

def ratio(x, y):
    if not x or not y or x != x or y != y:
        return float("nan")
    return x / y


def fmt_ratio(x):
    if x != x:
        return "n/a"
    return "%.2fx" % x if x < 10 else "%.0fx" % x


def fmt_mb(n):
    return "%.1f MB" % (n / 1e6)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, help="documents (default: the whole corpus)")
    ap.add_argument("--queries", type=int, default=1000, help="queries (default 1,000)")
    ap.add_argument("--subset-docs", type=int, default=20000,
                    help="documents of the Whoosh and twin indexes (default 20,000)")
    ap.add_argument("--subset-queries", type=int, default=200,
                    help="queries of the Whoosh and twin runs (default 200)")
    ap.add_argument("--skip", default="",
                    help="comma-separated engines to leave out: " + ", ".join(ENGINES))
    ap.add_argument("--cache", default=search_corpus.DEFAULT_CACHE)
    ap.add_argument("--out", help="markdown output file")
    ap.add_argument("--no-report", action="store_true", help="print only, write no file")
    ap.add_argument("--shared-index", action="store_true",
                    help="hotpath's 2 Python threads search one Index (default: one each)")
    ap.add_argument("--quick", action="store_true",
                    help="a short smoke run: 5,000 documents, 200 queries, no report")
    args = ap.parse_args()
    if args.quick:
        args.docs = args.docs or 5000
        args.queries = min(args.queries, 200)
        args.subset_docs = min(args.subset_docs, 2000)
        args.subset_queries = min(args.subset_queries, 100)
        args.no_report = True
    global SHARED_INDEX
    SHARED_INDEX = args.shared_index
    skip = {s.strip().lower() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(ENGINES)
    if unknown:
        ap.error("unknown engines in --skip: %s" % ", ".join(sorted(unknown)))

    info = hotpath.backend_info()
    native = (hp_search is not None and info["backend"] != "python"
              and "search" in info.get("modules", ()))
    if hp_search is None:
        log("hotpath.search is not importable (%s): hotpath is left out" % HP_ERROR)
        skip.add("hotpath")
    elif not native:
        log("hotpath.search runs on the %r backend without the native search module: "
            "its numbers are the twin's" % info["backend"])
    if hp_twin is None:
        skip.add("twin")
    if xapian is None:
        skip.add("xapian")
    if whoosh is None:
        skip.add("whoosh")

    os.makedirs(args.cache, exist_ok=True)
    t0 = time.perf_counter()
    corpus, cinfo = search_corpus.load(args.cache, log=log)
    docs = select_docs(corpus, args.docs)
    log("corpus: %d documents (%d used), loaded in %s" % (len(corpus), len(docs),
                                                          fmt_time(time.perf_counter() - t0)))
    fingerprint = "%08x" % zlib.crc32("\n".join(d[0] for d in docs).encode("utf-8"))
    queries, vocab_size = load_queries(args.cache, docs, args.queries, fingerprint)
    sub_docs = select_docs(docs, min(args.subset_docs, len(docs)))
    sub_queries = select_docs(queries, min(args.subset_queries, len(queries)))
    text_bytes = sum(len(d[2].encode("utf-8")) for d in docs)
    title_bytes = sum(len(d[1].encode("utf-8")) for d in docs if d[1])

    engines = {}
    if "hotpath" not in skip:
        engines["hotpath"] = HotpathEngine(hp_search, "hotpath (%s)" % info["backend"])
    if "fts5" not in skip:
        engines["fts5"] = FTS5Engine()
    if "xapian" not in skip:
        engines["xapian"] = XapianEngine()
    if "whoosh" not in skip:
        engines["whoosh"] = WhooshEngine()
    if "twin" not in skip:
        twin = HotpathEngine(hp_twin, "hotpath pure-Python twin")
        twin.name = "twin"
        engines["twin"] = twin
    subset_engines = [k for k in ("whoosh", "twin") if k in engines]

    results = {}
    work = os.path.join(args.cache, "indexes")
    os.makedirs(work, exist_ok=True)
    for key, engine in engines.items():
        if key in subset_engines:
            continue
        run_engine(engine, docs, queries, os.path.join(work, key), results, key)
        if key == "hotpath":
            gc.collect()
            t0 = time.perf_counter()
            mem = engine.build(docs, None)
            results[key]["build_memory"] = time.perf_counter() - t0
            mem.close()
            del mem
            log("hotpath: built in memory in %s" % fmt_time(results[key]["build_memory"]))
        if key == "xapian":
            dest = os.path.join(work, "xapian-compact")
            t0 = time.perf_counter()
            engine.compact(os.path.join(work, key), dest)
            results[key]["compact"] = time.perf_counter() - t0
            results[key]["compact_bytes"] = folder_bytes(dest)
            log("xapian: compacted in %s, %.1f MB" % (fmt_time(results[key]["compact"]),
                                                     results[key]["compact_bytes"] / 1e6))
    if subset_engines and "hotpath" in engines:
        run_engine(engines["hotpath"], sub_docs, sub_queries,
                   os.path.join(work, "hotpath-subset"), results, "hotpath-subset")
    for key in subset_engines:
        run_engine(engines[key], sub_docs, sub_queries, os.path.join(work, key), results, key)

    # --- agreement ------------------------------------------------------------------------
    agree = {}
    for key in engines:
        if key == "hotpath":
            continue
        ref = "hotpath-subset" if key in subset_engines else "hotpath"
        if ref in results and key in results:
            qs = sub_queries if key in subset_engines else queries
            agree[key] = agreement(results[ref]["ids"], results[key]["ids"], qs)

    lines = report(args, info, native, cinfo, corpus, docs, text_bytes, title_bytes, queries,
                   vocab_size, sub_docs, sub_queries, engines, results, agree)
    if args.no_report:
        print("\n".join(lines))
    elif args.out is None and not native:
        print("\n".join(lines))
        log("no report written: hotpath.search did not run natively (give --out to write "
            "one elsewhere)")
    else:
        write_report(lines, args.out, "%s-search.md" % datetime.date.today().isoformat())


def report(args, info, native, cinfo, corpus, docs, text_bytes, title_bytes, queries,
           vocab_size, sub_docs, sub_queries, engines, results, agree):
    lines = []
    out = lines.append
    today = datetime.date.today().isoformat()
    hp = results.get("hotpath")
    out("# Full-text search benchmark, %s" % today)
    out("")
    versions = ["Python %s" % platform.python_version()]
    for key in ("fts5", "xapian", "whoosh"):
        if key in engines:
            versions.append(engines[key].version())
    backend = ("%s backend" % info["backend"] if native else
               "%s backend, search NOT native" % info["backend"])
    out("CPU: %s, %d cores; hotpath %s (%s, %d threads); %s." % (
        cpu_name(), os.cpu_count() or 1, info.get("version", "?"), backend,
        info.get("threads", 0), "; ".join(versions)))
    out("Load average (1, 5, 15 min) at the start %s, at the end %s: other work on the "
        "machine takes cores from the 2-thread rows first." % (LOAD_AT_START, load_average()))
    out("Ratios are the peer's time divided by hotpath's (higher = hotpath faster); for "
        "queries/s hotpath's rate divided by the peer's; for size hotpath's bytes "
        "divided by the peer's (lower = hotpath smaller).")
    out("")
    out("## Corpus and queries")
    out("")
    out("Documentation installed by Debian packages (bench/search_corpus.py), split at "
        "section headings into groups of paragraphs of at least %d characters; "
        "doc_id = source path + '#' + ordinal, title = section heading." %
        search_corpus.GROUP_CHARS)
    out("")
    out("| source | files | documents | text |")
    out("|---|---|---|---|")
    for name, s in cinfo["sources"].items():
        out("| %s | %d | %d | %s |" % (name, s["files"], s["documents"], fmt_mb(s["text_bytes"])))
    out("| all | %d | %d | %s (%d bytes) + %s of titles |" % (
        sum(s["files"] for s in cinfo["sources"].values()), cinfo["documents"],
        fmt_mb(cinfo["text_bytes"]), cinfo["text_bytes"], fmt_mb(cinfo["title_bytes"])))
    out("")
    srcs = list(cinfo["sources"].values())
    if len(srcs) > 2:
        out("The kernel and Python documentation give %s of text in %d documents, under "
            "the %d MB / %d documents wanted: the English man pages are the third source."
            % (fmt_mb(srcs[0]["text_bytes"] + srcs[1]["text_bytes"]),
               srcs[0]["documents"] + srcs[1]["documents"],
               search_corpus.MIN_BYTES // 10**6, search_corpus.MIN_DOCS))
        out("")
    texts = {}
    for d in corpus:
        texts[d[2]] = texts.get(d[2], 0) + 1
    repeated = sum(n - 1 for n in texts.values() if n > 1)
    repeated_bytes = sum(len(t.encode("utf-8")) * (n - 1) for t, n in texts.items() if n > 1)
    common = sorted((t for t, n in texts.items() if n > 1), key=lambda t: (-texts[t], t))[:2]
    out("Left out: linux-doc's translations/ (not English) and its HTML (a rendering of the "
        "same .rst), symlinks, man pages that only redirect (.so) and the generated gcloud* "
        "man pages (one template, 16,000 times).  %d documents (%s) repeat the text of an "
        "earlier one: boilerplate inside the sources (%s), not a source counted twice." % (
            repeated, fmt_mb(repeated_bytes),
            ", ".join("\"%s\" %d times" % (t[:60].replace("|", "/").replace("\n", " "),
                                            texts[t]) for t in common)))
    out("")
    if len(docs) != len(corpus):
        out("**This run used %d of the %d documents** (--docs, evenly spaced): %d bytes "
            "of text." % (len(docs), len(corpus), text_bytes))
        out("")
    kinds = {}
    for q in queries:
        key = q["kind"] if q["kind"] in ("term", "phrase") else "%s %d terms" % (
            q["kind"].upper(), len(q["words"]))
        kinds[key] = kinds.get(key, 0) + 1
    out("%d queries (random.Random(%d)) over a vocabulary of %d words (ASCII letters, in >= "
        "2 documents), ranks drawn log-uniformly: %s." % (
            len(queries), SEED, vocab_size,
            ", ".join("%d %s" % (v, k) for k, v in sorted(kinds.items()))))
    if any(k in results for k in ("whoosh", "twin")):
        out("Whoosh and the twin were built on a SUBSET of %d documents (evenly spaced) "
            "and queried with %d of the queries; their ratios are against a hotpath index "
            "of the same documents and the same queries (rows 'subset')." % (
                len(sub_docs), len(sub_queries)))
    out("")
    out("## Build and size")
    out("")
    out("One build each: every document added, then committed to a folder (FTS5: "
        "inserts in one transaction, then 'optimize'; Xapian: one commit).")
    out("")
    out("| engine | documents | build | docs/s | index size | build vs hotpath | size: "
        "hotpath / peer |")
    out("|---|---|---|---|---|---|---|")
    rows = [("hotpath", "hotpath")] + [(k, "hotpath") for k in ("fts5", "xapian")]
    rows += [("hotpath-subset", "hotpath-subset")] + [(k, "hotpath-subset")
                                                      for k in ("whoosh", "twin")]
    for key, ref in rows:
        r = results.get(key)
        if not r:
            continue
        label = label_of(key, engines)
        rr = results.get(ref)
        same = key == ref
        out("| %s | %d | %s | %.0f | %s | %s | %s |" % (
            label, r["docs"], fmt_time(r["build"]), r["docs"] / r["build"], fmt_mb(r["bytes"]),
            "1x" if same else fmt_ratio(ratio(r["build"], rr and rr["build"])),
            "1" if same else ("%.2f" % ratio(rr["bytes"], r["bytes"]) if rr else "n/a")))
        if key == "hotpath" and "build_memory" in r:
            out("| hotpath, in memory | %d | %s | %.0f | - | - | - |" % (
                r["docs"], fmt_time(r["build_memory"]), r["docs"] / r["build_memory"]))
        if key == "xapian" and "compact" in r:
            out("| Xapian, compacted afterwards | %d | + %s | - | %s | - | %s |" % (
                r["docs"], fmt_time(r["compact"]), fmt_mb(r["compact_bytes"]),
                "%.2f" % ratio(hp["bytes"], r["compact_bytes"]) if hp else "n/a"))
    if "twin" in results:
        out("")
        out("The twin's folder is small because it commits segments with the documents "
            "section only (valid per docs/search.md: the postings are built when the "
            "segment is opened), so its size is not a peer's index size.")
    for key in ("hotpath", "hotpath-subset", "twin"):
        st = results.get(key, {}).get("stats")
        if st:
            out("")
            out("%s stats() after the commit: %s documents, %s segment(s), %s bytes of "
                "committed files." % (label_of(key, engines), st.get("documents"),
                                      st.get("segments"), st.get("bytes")))
    out("")
    out("## Queries, top %d" % LIMIT)
    out("")
    out("Latency: one thread, a warm-up pass, then each query once (query parsing and "
        "the doc ids of the hits included).  2 threads: the queries split between 2 "
        "threads, each thread with its own connection, database handle or hotpath Index "
        "(unless stated); median of up to 3 passes.")
    out("")
    out("| engine | queries | p50 | p99 | mean | q/s 1 thread | q/s 2 threads | p50 vs "
        "hotpath | p99 vs hotpath | q/s 2 threads: hotpath / peer |")
    out("|---|---|---|---|---|---|---|---|---|---|")
    for key, ref in rows:
        r = results.get(key)
        if not r:
            continue
        rr = results.get(ref)
        same = key == ref
        label = label_of(key, engines)
        best2 = rr and max(rr.get("qps2", 0), rr.get("qps_many", 0))
        out("| %s | %d | %s | %s | %s | %.0f | %s | %s | %s | %s |" % (
            label + (", " + r["threads_how"] if "threads_how" in r else ""),
            r["queries"], fmt_time(r["p50"]), fmt_time(r["p99"]), fmt_time(r["mean"]),
            r["qps1"], "%.0f" % r["qps2"] if "qps2" in r else "-",
            "1x" if same else fmt_ratio(ratio(r["p50"], rr and rr["p50"])),
            "1x" if same else fmt_ratio(ratio(r["p99"], rr and rr["p99"])),
            "-" if same else fmt_ratio(ratio(best2, r.get("qps2")))))
        if key.startswith("hotpath") and "qps_many" in r:
            out("| %s, search_many (one call per mode) | %d | - | - | - | - | %.0f | - | - "
                "| - |" % (label, r["queries"], r["qps_many"]))
    out("")
    out("The 2-thread ratio takes hotpath's better 2-thread rate (search_many or 2 "
        "threads calling search).")
    if hp and "many_agrees" in hp:
        out("search_many returned the same doc ids as search for every query: %s." %
            ("yes" if hp["many_agrees"] else "NO"))
    out("")
    out("Median latency by query kind:")
    out("")
    kinds = ("term", "or", "and", "phrase")
    out("| engine | " + " | ".join({"term": "1 term", "or": "OR 2-3 terms",
                                    "and": "AND 2-3 terms", "phrase": "phrase"}[k]
                                   for k in kinds) + " |")
    out("|---|" + "---|" * len(kinds))
    for key, _ in rows:
        r = results.get(key)
        if r:
            out("| %s | %s |" % (label_of(key, engines), " | ".join(
                fmt_time(r["by_kind"][k]) if k in r["by_kind"] else "-" for k in kinds)))
    out("")
    out("## Ranking agreement with hotpath")
    out("")
    out("Overlap of a query = |peer top 10 & hotpath top 10| / the longer list (1 when both "
        "are empty); the mean over the queries, and the share of identical lists (order "
        "included).")
    out("")
    out("| engine | mean overlap | identical lists | 1 term | OR | AND | phrase |")
    out("|---|---|---|---|---|---|---|")
    for key in ("fts5", "xapian", "whoosh", "twin"):
        a = agree.get(key)
        if a:
            out("| %s | %.3f | %.3f | %s |" % (label_of(key, engines), a["mean"], a["same"],
                                              " | ".join("%.3f" % a["kinds"][k]
                                                         if k in a["kinds"] else "-"
                                                         for k in kinds)))
    weakest = []
    for key in ("fts5", "xapian", "whoosh"):
        a = agree.get(key)
        if a and a["kinds"]:
            k = min(a["kinds"], key=lambda k: a["kinds"][k])
            weakest.append("%s on %s queries (%.3f)" % (label_of(key, engines), {
                "term": "1-term", "or": "OR", "and": "AND", "phrase": "phrase"}[k],
                a["kinds"][k]))
    if weakest:
        out("")
        out("Lowest agreement per peer: %s." % "; ".join(weakest))
    twin = agree.get("twin")
    if twin:
        out("")
        out("The twin (the specification) against the native index: %s." % (
            "the same top 10 in the same order for every query" if twin["same"] == 1.0 else
            "**%.1f%% of the lists differ**" % (100 * (1 - twin["same"]))))
    out("")
    out(DIFFERENCES)
    out("")
    out("## Targets")
    out("")
    out("| target | measured | met |")
    out("|---|---|---|")
    for text, value, ok in targets(results):
        out("| %s | %s | %s |" % (text, value, ok))
    return lines


DIFFERENCES = """Where and why the rankings differ.  Analyzers: hotpath applies NFKC and full
case folding and splits at everything but letters, digits and marks, so `os.path`,
`snake_case`, `don't`, `C++` and `3.14` are several tokens.  SQLite's unicode61
(remove_diacritics 0) splits the same way but applies no NFKC and folds case one
character at a time (`ß`, `İ`, ligatures and fullwidth forms stay as they are).
Xapian's TermGenerator lower-cases without NFKC and keeps `snake_case`, `don't`, `C++`
and `3.14` as single terms, so a query word can miss an occurrence hotpath counts and
document lengths differ.  Whoosh here splits like hotpath (`[^\\W_]+`) and lower-cases
with str.lower.  No engine stems or drops stop words (Xapian: STEM_NONE and no
stopper; Whoosh: no StemFilter or StopFilter).  The queries use ASCII words only,
so most of the disagreement comes from the scoring: FTS5 takes idf =
ln((N - n + 0.5) / (n + 0.5)), floored at 1e-6 (near 0 for words in half the
documents, where hotpath's ln(1 + ...) stays positive), one document length for
title + text together (hotpath counts title tokens twice in it) and multiplies the
title's term frequency by its weight 2; it scores a phrase by the phrase's own
document frequency, where hotpath adds the idfs of its words.  Xapian replaces a
ratio (N - n + 0.5) / (n + 0.5) under 2 by 1 + ratio / 2 before the logarithm (the
commonest words weigh more than in hotpath), treats a document shorter than half the
average as half the average (min_normlen 0.5) and scores a phrase as the sum of its
words' BM25 weights (the phrase only filters); its title weighting (wdf 2 per title
occurrence, positions 1000 apart) is hotpath's.  Whoosh's BM25F scores title and text
as two fields with their own lengths and averages, the title's part boosted 2 and a
term present in both fields scoring twice.  Ties are broken by insertion order in
hotpath and in Xapian (ascending docid), in their own orders in FTS5 and Whoosh; ties
at the 10th place are common for rare words in documents of similar length."""


def label_of(key, engines):
    if key == "hotpath-subset":
        return engines["hotpath"].label + ", subset"
    if key in ("whoosh", "twin"):
        return engines[key].label + ", subset"
    return engines[key].label


def targets(results):
    hp = results.get("hotpath")
    hps = results.get("hotpath-subset")
    out = []

    def check(text, r_num, good):
        out.append((text, fmt_ratio(r_num) if r_num == r_num else "not measured",
                    "n/a" if r_num != r_num else ("yes" if good(r_num) else "**no**")))

    for peer, name in (("xapian", "Xapian"), ("fts5", "FTS5")):
        r = results.get(peer)
        check("build >= 2x faster than %s" % name,
              ratio(r and r["build"], hp and hp["build"]) if r and hp else float("nan"),
              lambda v: v >= 2)
    for peer, name, need in (("xapian", "Xapian", 5), ("fts5", "FTS5", 10)):
        r = results.get(peer)
        check("top-10 p50 >= %dx faster than %s" % (need, name),
              ratio(r and r["p50"], hp and hp["p50"]) if r and hp else float("nan"),
              lambda v, need=need: v >= need)
    r = results.get("xapian")
    if r and hp:
        v = ratio(hp["bytes"], r["bytes"])
        out.append(("index size <= Xapian's", "%.2f of Xapian's (%.2f of Xapian compacted)" % (
            v, ratio(hp["bytes"], r.get("compact_bytes"))), "yes" if v <= 1 else "**no**"))
    else:
        out.append(("index size <= Xapian's", "not measured", "n/a"))
    r = results.get("whoosh")
    if r and hps:
        p50 = ratio(r["p50"], hps["p50"])
        mean = ratio(r["mean"], hps["mean"])
        out.append((">= 100x Whoosh on queries (subset)", "p50 %s, mean %s" % (
            fmt_ratio(p50), fmt_ratio(mean)), "yes" if p50 >= 100 else "**no**"))
    else:
        out.append((">= 100x Whoosh on queries", "not measured", "n/a"))
    return out


if __name__ == "__main__":
    main()
