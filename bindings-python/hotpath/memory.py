"""Memory folders: exact near-duplicate pairs, folder scan, consolidation (C API:
include/hotpath/memory.h; rules and method in docs/memory.md).

    scan(memory_dir, threshold_days=30, similarity_threshold=0.8, now=None)
        -> {"old_memories", "duplicates", "total_files", "errors": [(path, reason)]}
    similar_pairs(texts, threshold, strict=True) -> [(i, j), ...] sorted, i < j
    count_similar_pairs(texts, threshold, strict=True) -> int
    consolidate(short_term_dir, top_n=10, similarity_threshold=0.5, write_to=None)
        -> {"memories", "top", "clusters", "total", "errors", "written"}
    parse_front_matter(text) -> {"title", "created", "tags"}
    score_memory(text) -> (importance, novelty, reusability, total)
    create_hexagram(lines), is_balanced(lines), recommend_threading_tier(task_count),
    recommend_threads(work_items, seconds_per_item=None)

Words are str.split() runs, case-sensitive (consolidate lowercases the texts first);
the Jaccard of two empty word sets is 1.0.  Pairs are found by prefix filtering over
an inverted index of words ordered by rarity and verified with exactly the
comparison ``len(a & b) / len(a | b) > t`` makes, so the results equal an all-pairs
loop.  Results never depend on the backend, the dispatch mode or the thread count.

Routing: similar_pairs and count_similar_pairs are rebound by hotpath.set_dispatch()
(see _dispatch): in "auto" mode they run the library from THRESHOLDS texts, the twin
below; scan runs the library on every native backend (it reads the files in
parallel); every call of these three is counted in hotpath.stats().  consolidate
reads, scores and clusters in Python and finds its pairs through the dispatched
similar_pairs.  The front matter, scoring and hexagram helpers are pure Python on
every backend (a foreign call would cost more than the work).  Native calls release
the GIL while the kernel runs.
"""

from __future__ import annotations

import os
from array import array

from . import _dispatch
from ._ffi import _loader, _pack
from . import _memory_py as _py
from . import _text_py
from ._dispatch import count_fallback, count_native, like
from ._memory_py import (IMPORTANCE_KEYWORDS, LONG_MEMORY_BYTES, MIN_SECONDS_PER_THREAD,
                         NOVELTY_KEYWORDS, REUSABILITY_KEYWORDS, SCAN_SECONDS_PER_ITEM,
                         create_hexagram, is_balanced, parse_front_matter,
                         recommend_threading_tier, recommend_threads, score_memory)

__all__ = [
    "scan", "similar_pairs", "count_similar_pairs", "consolidate", "parse_front_matter",
    "score_memory", "create_hexagram", "is_balanced", "recommend_threading_tier",
    "recommend_threads", "MIN_SECONDS_PER_THREAD", "SCAN_SECONDS_PER_ITEM",
    "IMPORTANCE_KEYWORDS", "NOVELTY_KEYWORDS", "REUSABILITY_KEYWORDS", "LONG_MEMORY_BYTES",
    "THRESHOLDS",
]

# "auto" mode runs the pair search natively from this many texts (the twin below):
# measured per native backend, see docs/memory.md ("Dispatch thresholds").
THRESHOLDS = {
    "ctypes": {"similar_pairs": 3, "count_similar_pairs": 3, "scan": 0},
    "cffi": {"similar_pairs": 3, "count_similar_pairs": 3, "scan": 0},
}

_NAMES = ("similar_pairs", "count_similar_pairs", "scan")
_INF = float("inf")
_U32 = "I"
assert array(_U32).itemsize == 4


# --- native kernels -------------------------------------------------------------------

class _Kernels:
    """The memory functions of one native backend (a result handle per call: the
    calls are few and large, and distinct handles keep threads apart)."""

    def __init__(self, backend):
        self.backend = backend
        self.api = backend.api
        self.lib = backend.lib
        self.error = backend.error
        self._new_u64 = backend.new_u64
        self._ptr_cell = backend.api.cell_type("const char*")
        self._size_cell = backend.new_size
        self.null = backend.NULL

    def pairs(self, texts, t, strict, collect):
        """(count, pairs or None) of hotpath_memory_similar_pairs."""
        from . import text
        lib, backend = self.lib, self.backend
        # The texts are checked str; a lone surrogate raises UnicodeEncodeError (below).
        corpus, destroy = text.native_corpus(backend, texts, encode=_pack.utf8)
        result = None
        try:
            if collect:
                result = backend.create(lib.hotpath_memory_pairs_create,
                                        "hotpath_memory_pairs_t")
            count = self._new_u64()
            status = lib.hotpath_memory_similar_pairs(corpus, t, 1 if strict else 0,
                                                      result if collect else self.null, count)
            if status:
                raise self.error(status)
            total = int(count[0])
            if not collect:
                return total, None
            n = int(lib.hotpath_memory_pairs_count(result))
            if not n:
                return total, []
            flat = self.api.read_array(lib.hotpath_memory_pairs_data(result), 2 * n, _U32)
            it = iter(flat.tolist())
            return total, list(zip(it, it))
        finally:
            if result is not None:
                lib.hotpath_memory_pairs_destroy(result)
            destroy(corpus)

    def scan(self, raw, days, sim, now):
        lib = self.lib
        handle = self.backend.create(lib.hotpath_memory_scan_create, "hotpath_memory_scan_t")
        try:
            status = lib.hotpath_memory_scan(raw, len(raw), days, sim, now, handle)
            if status:
                raise self.error(status)
            old, dups, total = self._new_u64(), self._new_u64(), self._new_u64()
            status = lib.hotpath_memory_scan_counts(handle, old, dups, total)
            if status:
                raise self.error(status)
            errors = []
            path, path_len = self._ptr_cell(), self._size_cell()
            reason, reason_len = self._ptr_cell(), self._size_cell()
            for i in range(int(lib.hotpath_memory_scan_error_count(handle))):
                status = lib.hotpath_memory_scan_error(handle, i, path, path_len,
                                                       reason, reason_len)
                if status:
                    raise self.error(status)
                string = self.api.string
                errors.append((os.fsdecode(string(path[0], int(path_len[0]))),
                               string(reason[0], int(reason_len[0])).decode("utf-8")))
            return _py.scan_result(int(old[0]), int(dups[0]), int(total[0]), errors)
        finally:
            lib.hotpath_memory_scan_destroy(handle)


def _kernels(backend):
    kernels = backend.kernels.get("memory")
    if kernels is None:
        kernels = backend.kernels["memory"] = _Kernels(backend)
    return kernels


# --- dispatchers ----------------------------------------------------------------------

def _pair_function(backend, min_items, collect):
    twin = _py.similar_pairs if collect else _py.count_similar_pairs
    if min_items < _INF:
        kernels = _kernels(backend)

    def run(texts, threshold, strict=True):
        texts = _py.texts_arg(texts)
        t = _py.unit_arg(threshold, "threshold")
        strict = bool(strict)
        n = len(texts)
        if n < min_items:
            _text_py.check_texts(texts, "texts")  # lone surrogates, as hotpath.text
            count_fallback(n)
            result = _py.pairs_of(texts, t, strict, collect)
        else:
            try:
                result = kernels.pairs(texts, t, strict, collect)
            except UnicodeEncodeError:
                # A lone surrogate: hotpath.text's error, naming the item.
                _text_py.check_texts(texts, "texts")
                raise
            count_native(n)
        return result[1] if collect else result[0]

    return like(twin, run, __name__)


def _scan(backend, min_items):
    if min_items < _INF:
        kernels = _kernels(backend)

    def scan(memory_dir, threshold_days=30, similarity_threshold=0.8, now=None):
        raw, days, sim, now = _py.scan_args(memory_dir, threshold_days, similarity_threshold,
                                            now)
        if min_items < _INF:
            result = kernels.scan(raw, days, sim, now)
            count_native(result["total_files"])
            return result
        result = _py.scan(raw, days, sim, now)
        count_fallback(result["total_files"])
        return result

    return like(_py.scan, scan, __name__)


def consolidate(short_term_dir, top_n=10, similarity_threshold=0.5, write_to=None):
    """Scores the memories of a folder, picks the top_n, clusters similar ones and
    merges each cluster's text; writes the merged files only when write_to is given."""
    raw, top_n, t, write_to = _py.consolidate_args(short_term_dir, top_n,
                                                   similarity_threshold, write_to)
    return _py.consolidate_with(raw, top_n, t, write_to,
                                lambda texts, t: similar_pairs(texts, t, strict=False))


def _bind(mode):
    backend = _loader.active()
    limits = _dispatch.limits(mode, backend, _NAMES, THRESHOLDS)
    globals().update(
        similar_pairs=_pair_function(backend, limits["similar_pairs"], True),
        count_similar_pairs=_pair_function(backend, limits["count_similar_pairs"], False),
        scan=_scan(backend, limits["scan"]))


# Bound for real by _dispatch.register below.
similar_pairs = _py.similar_pairs
count_similar_pairs = _py.count_similar_pairs
scan = _py.scan

_dispatch.register(_bind)
