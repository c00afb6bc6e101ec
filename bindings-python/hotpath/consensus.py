"""Expert consensus: what several expert answers agree on (C API:
include/hotpath/consensus.h; the method is in docs/consensus.md).

An expert response is a dict, an ExpertResponse, or any object with the
attributes expert_type, content, confidence (in [0, 1]; missing -> 0.5),
recommendations, limitations (lists of str), code_snippets and processing_time;
an Enum expert_type counts as its .value.

Structured consensus (pure Python on every backend: it is small dictionary work
that a foreign call would only slow down):
    analyze_consensus(responses, threshold=0.7, min_agreement=0.5) -> dict
    aggregate_responses(responses) -> dict
    analyze_responses(responses) -> dict

Text consensus (the part whose cost grows with the number and length of the
answers; the library clusters and counts phrases, hotpath.text builds the matrix):
    text_consensus(responses, metric="cosine", threshold=0.7) -> dict
    key_phrases(texts, limit=10, ranking="count", weights=None, min_docs=1,
                case_fold=True) -> [KeyPhrase(text, count, docs, score)]
    cluster(matrix, threshold=0.7) -> [[index, ...], ...]

Results never depend on the backend, the dispatch mode or the thread count: the
native kernels return exactly what the pure-Python twin (_consensus_py) returns.

Routing: text_consensus, key_phrases and cluster are rebound by
hotpath.set_dispatch() (see _dispatch): in "auto" mode they run the library from
THRESHOLDS items (responses, texts or matrix rows) and, for the text functions,
CHAR_THRESHOLDS code points of text in total, the twin below; every call is
counted in hotpath.stats().  The structured functions are not
dispatched and not counted.  Native calls release the GIL while the kernel runs.
"""

from __future__ import annotations

import threading
import weakref
from array import array

from . import _dispatch
from ._ffi import _loader
from . import _consensus_py as _py
from ._consensus_py import (METRICS, RANK_COUNT, RANK_THEME, STOP_WORDS, ExpertResponse,
                            KeyPhrase, aggregate_responses, analyze_consensus, analyze_responses)
from ._dispatch import count_fallback, count_native, like

__all__ = [
    "ExpertResponse", "KeyPhrase", "STOP_WORDS", "RANK_COUNT", "RANK_THEME", "METRICS",
    "analyze_consensus", "aggregate_responses", "analyze_responses",
    "text_consensus", "key_phrases", "cluster", "THRESHOLDS", "CHAR_THRESHOLDS",
]

# "auto" mode runs a call natively when it has at least THRESHOLDS items (responses
# for text_consensus, texts for key_phrases, matrix rows for cluster) AND, for the two
# text functions, at least CHAR_THRESHOLDS code points of text in total: the cost of
# both paths grows with the length of the answers, so the count alone cannot place
# the crossover (one 300-character answer is faster natively, eight 3-word ones
# are not).
# Measured per native backend; the workload, the numbers and the date are in
# docs/consensus.md ("Dispatch thresholds").
THRESHOLDS = {
    "ctypes": {"text_consensus": 1, "key_phrases": 1, "cluster": 10},
    "cffi": {"text_consensus": 1, "key_phrases": 1, "cluster": 10},
}
CHAR_THRESHOLDS = {
    "ctypes": {"text_consensus": 320, "key_phrases": 160},
    "cffi": {"text_consensus": 320, "key_phrases": 160},
}

_NAMES = ("text_consensus", "key_phrases", "cluster")
_INF = float("inf")
_U32 = "I"  # uint32_t: 4 bytes on every platform CPython supports (checked below)
assert array(_U32).itemsize == 4


# --- native kernels -------------------------------------------------------------------

class _Kernels:
    """The consensus functions of one native backend.

    One phrase list (hotpath_consensus_phrases_t) is created on first use and reused
    by every call, under a lock: the C list is safe on distinct lists only, and
    Python threads may call concurrently (the GIL is released during the call).  The
    out-parameter cells that read it are made once and used under the same lock.
    The list is destroyed when this object goes away.
    """

    def __init__(self, backend):
        self.backend = backend
        self.lib = backend.lib
        self.error = backend.error
        api = backend.api
        self.in_f64 = backend.in_f64
        self.in_u32 = api.in_u32
        self.out_u32 = api.out_u32
        self.new_size = backend.new_size
        self.null = backend.NULL
        self.lock = threading.Lock()
        self._phrases = None
        text, size = api.cell_type("const char*")(), backend.new_size()
        count, docs, score = backend.new_u64(), backend.new_u64(), backend.new_f64()
        phrase, string, error = self.lib.hotpath_consensus_phrase, api.string, self.error

        def read_one(handle, i):
            status = phrase(handle, i, text, size, count, docs, score)
            if status:
                raise error(status)
            return KeyPhrase(string(text[0], size[0]).decode("utf-8"), int(count[0]),
                             int(docs[0]), score[0])

        self._read_one = read_one

    def _phrase_list(self):
        """The reused phrase list (created on first use; call with the lock held)."""
        if self._phrases is None:
            lib = self.lib
            handle = self.backend.create(lib.hotpath_consensus_phrases_create,
                                         "hotpath_consensus_phrases_t")
            weakref.finalize(self, lib.hotpath_consensus_phrases_destroy, handle)
            self._phrases = handle
        return self._phrases

    def cluster(self, data, n, threshold):
        """(labels, count) of hotpath_consensus_cluster over the flat matrix data
        (array('d') or another float64 buffer of n * n items)."""
        labels = array(_U32, [0]) * max(n, 1)
        count = self.new_size()
        status = self.lib.hotpath_consensus_cluster(self.in_f64(data), n, threshold,
                                                    self.out_u32(labels), count)
        if status:
            raise self.error(status)
        return labels[:n].tolist(), int(count[0])

    def matrix(self, handle, metric, n):
        """The similarity matrix (array('d'), row-major) of a corpus handle of this
        backend, straight from the library: the dispatcher of hotpath.text would
        count the call a second time and follows the active backend."""
        from . import text
        out = array("d", [0.0]) * (n * n)
        status = self.lib.hotpath_text_matrix(handle, text.metric_code(self.backend, metric),
                                              0.1, self.backend.out_f64(out), n * n)
        if status:
            raise self.error(status)
        return out

    def phrases(self, corpus, members, weights, min_docs, ranking, limit):
        """[KeyPhrase] of hotpath_consensus_key_phrases over corpus (a corpus handle of
        this backend), for the member indices."""
        members = array(_U32, members)
        n_members = len(members)
        if not n_members:
            members.append(0)  # a valid pointer; the library reads n_members items
        lib = self.lib
        with self.lock:
            handle = self._phrase_list()
            status = lib.hotpath_consensus_key_phrases(
                corpus, self.in_u32(members), n_members,
                self.null if weights is None else self.in_f64(weights), min_docs, ranking,
                limit, handle)
            if status:
                raise self.error(status)
            read_one = self._read_one
            return [read_one(handle, i)
                    for i in range(lib.hotpath_consensus_phrases_count(handle))]

    def stop_words(self):
        lib, text = self.lib, self.backend.api.text
        return tuple(text(lib.hotpath_consensus_stop_word(i))
                     for i in range(int(lib.hotpath_consensus_stop_word_count())))


def _kernels(backend):
    kernels = backend.kernels.get("consensus")
    if kernels is None:
        kernels = backend.kernels["consensus"] = _Kernels(backend)
    return kernels


def native_stop_words():
    """The library's stop-word list (hotpath_consensus_stop_word), for checking that it
    is STOP_WORDS; None on the pure-Python backend."""
    backend = _loader.active()
    return _kernels(backend).stop_words() if backend.native else None


# --- dispatchers ----------------------------------------------------------------------

def _counters(count):
    """(fallback, native) counting functions; no-ops for the uncounted builds that
    hotpath.compat uses to calibrate."""
    if not count:
        def skip(n):
            pass
        return skip, skip
    return count_fallback, count_native


def _total_chars(texts):
    total = 0
    for t in texts:
        total += len(t)
    return total


def _text_consensus(backend, limit, count=True):
    _fallback, _native = _counters(count)
    min_items, min_chars = limit
    if min_items < _INF:
        from . import text
        kernels = _kernels(backend)

    def routed(responses, metric="cosine", threshold=0.7):
        """(text_consensus(...), True when the library ran it)."""
        records, text_metric, cut = _py.text_consensus_args(responses, metric, threshold)
        n = len(records)
        contents = [r.content for r in records]
        if n < min_items or (min_chars and _total_chars(contents) < min_chars):
            _fallback(n)
            return _py.text_consensus_of(records, text_metric, cut), False
        corpus = text.Corpus(contents, case_fold=True)
        handle = corpus._native_handle(backend)
        matrix = text.SimilarityMatrix(n, kernels.matrix(handle, text_metric, n), text_metric)
        clusters = _py.clusters_of(*kernels.cluster(matrix.data, n, cut))

        def phrases(members, weights, min_docs, ranking, limit):
            return kernels.phrases(handle, members, weights, min_docs, ranking, limit)

        result = _py.assemble(records, matrix, clusters, phrases)
        _native(n)
        return result, True

    def text_consensus(responses, metric="cosine", threshold=0.7):
        return routed(responses, metric, threshold)[0]

    # hotpath.compat reports which path ran.
    text_consensus.routed = routed
    return like(_py.text_consensus, text_consensus, __name__)


def _key_phrases(backend, limit, count=True):
    _fallback, _native = _counters(count)
    min_items, min_chars = limit
    if min_items < _INF:
        from . import text
        kernels = _kernels(backend)

    def key_phrases(texts, limit=10, ranking="count", weights=None, min_docs=1,
                    case_fold=True):
        texts, limit, code, weights, min_docs, case_fold = _py.key_phrase_args(
            texts, limit, ranking, weights, min_docs, case_fold)
        n = len(texts)
        if n < min_items or (min_chars and _total_chars(texts) < min_chars):
            _fallback(n)
            return _py.key_phrases(texts, limit, code, weights, min_docs, case_fold)
        corpus = text.Corpus(texts, case_fold=case_fold)
        result = kernels.phrases(corpus._native_handle(backend), range(n), weights, min_docs,
                                 code, limit)
        _native(n)
        return result

    return like(_py.key_phrases, key_phrases, __name__)


def _cluster(backend, limit, count=True):
    _fallback, _native = _counters(count)
    min_items = limit[0]
    if min_items < _INF:
        kernels = _kernels(backend)

    def cluster(matrix, threshold=0.7):
        cut = _py.finite_arg(threshold, "threshold")
        data, n = _py.matrix_arg(matrix)
        if n < min_items:
            _fallback(n)
            return _py.clusters_of(*_py.cluster_labels(data, n, cut))
        if data.__class__ is not array or data.typecode != "d":
            data = array("d", data)
        result = _py.clusters_of(*kernels.cluster(data, n, cut))
        _native(n)
        return result

    return like(_py.cluster, cluster, __name__)


def _limits(mode, backend):
    """name -> (min items, min total code points) of a native call; (inf, inf): never."""
    if not backend.native or mode == "python":
        return dict.fromkeys(_NAMES, (_INF, _INF))
    if mode == "native":
        return dict.fromkeys(_NAMES, (0, 0))
    items = THRESHOLDS.get(backend.name, {})
    chars = CHAR_THRESHOLDS.get(backend.name, {})
    return {name: (items.get(name, _INF), chars.get(name, 0)) for name in _NAMES}


def build(name, native_from, count=True):
    """The dispatcher `name` for the active backend with its own rule: native_from 0
    forces the library, inf the twin; count=False leaves hotpath.stats() alone."""
    builder = {"text_consensus": _text_consensus, "key_phrases": _key_phrases,
               "cluster": _cluster}[name]
    return builder(_loader.active(), (native_from, native_from), count)


def _bind(mode):
    backend = _loader.active()
    limits = _limits(mode, backend)
    globals().update(text_consensus=_text_consensus(backend, limits["text_consensus"]),
                     key_phrases=_key_phrases(backend, limits["key_phrases"]),
                     cluster=_cluster(backend, limits["cluster"]))


# Bound for real by _dispatch.register below; these assignments only name the public
# functions for readers and tools.
text_consensus = _py.text_consensus
key_phrases = _py.key_phrases
cluster = _py.cluster

_dispatch.register(_bind)
