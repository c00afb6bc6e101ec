"""Text similarity: word-set metrics, edit distance, Jaro-Winkler, one-to-many search,
similarity matrices and summaries (C API: include/hotpath/text.h; docs/text.md).

Pair functions (a, b: str; case_fold applies Unicode simple case folding first):
    jaccard(a, b, case_fold=False), cosine(...), overlap(...) -> float
        over the sets of words (str.split(); punctuation stays in the words)
    levenshtein(a, b, score_cutoff=None, case_fold=False) -> int
        edit distance in code points; score_cutoff + 1 when it exceeds score_cutoff
    levenshtein_normalized(a, b, case_fold=False) -> float
    jaro_winkler(a, b, prefix_weight=0.1, case_fold=False) -> float
    case_fold(text) -> str
    summarize(text, lines=1, max_chars=200, skip_front_matter=False) -> str

Batches (choices: a sequence of str, or a Corpus prepared once for many queries):
    one_to_many(query, choices, metric="jaccard") -> array('d')
    extract(query, choices, metric="jaccard", limit=5, score_cutoff=None)
        -> [(choice, score, index)], best first
    matrix(texts, metric="cosine") -> SimilarityMatrix (.data: array('d'), row-major;
        m[i, j], m[i][j], m[i] a read-only row, numpy.asarray(m) a view)
METRICS names the metrics; "levenshtein" scores are distances (smaller is better).

Native calls release the GIL (ctypes and cffi both drop it around foreign calls);
corpus queries above a small size use the library's thread pool
(hotpath.set_num_threads), and their results never depend on the thread count.

Routing: each public name is rebound by hotpath.set_dispatch() (see _dispatch).  In
"auto" mode a pair call runs the pure-Python twin (_text_py) below the size in
THRESHOLDS and the library from there on; batches on a list go native from a
measured number of texts, batches on a Corpus always do (it holds a native handle).
Code that switches dispatch modes at run time should call through this module.
"""

from __future__ import annotations

import weakref
from array import array

from . import _dispatch
from ._ffi import _loader, _pack
from . import _text_py as _py
from ._dispatch import count_fallback, count_native, like
from ._text_py import METRICS, SimilarityMatrix, encode_arg

__all__ = [
    "METRICS", "case_fold", "jaccard", "cosine", "overlap", "levenshtein",
    "levenshtein_normalized", "jaro_winkler", "summarize", "Corpus", "one_to_many",
    "extract", "matrix", "SimilarityMatrix", "THRESHOLDS",
]

# Where "auto" mode switches to the library, per native backend.  Measured on
# 2026-11-24 (2-core AMD EPYC VM, CPython 3.11.2, Release build, default thread count)
# by timing the two branches of the public functions side by side: the twin's code and
# the native call, interleaved, median of 7 runs, on random texts of lowercase ASCII
# words.  Comments give twin / native microseconds just below and at the threshold.
#
# Pair functions: the smallest len(a) + len(b), in code points, that runs natively.
# A native pair call costs 1.2-1.6 us whatever its size (encoding, the foreign call,
# the out-cell) plus, for the word metrics, ~5 ns per code point; the twin's word
# metrics cost ~0.5 us plus ~6.5 ns per code point (str.split and sets), its edit
# distance ~0.25 us per code point, its Jaro-Winkler ~0.15 us.
# "case_fold": smallest len(text) of a non-ASCII text (ASCII texts always take
# str.lower(), which no foreign call beats).  "summarize": never native: the twin only
# searches for line breaks (1.1 us on a 100 kB text), while a native call must first
# encode the whole text (6.3 us at 100 kB).
#
# Batches on a list (one_to_many, extract: number of choices; matrix: number of
# texts), per metric, for texts of 20-40 code points: a native call builds a temporary
# corpus (~8 us), which the word metrics repay only for a few dozen texts (a matrix:
# n(n-1)/2 pairs), the character metrics at once.  Where the two are even, the twin
# keeps the call.  Batches on a Corpus always run natively: it holds its handle.
_WORDS = ("jaccard", "cosine", "overlap")


def _per_metric(words, levenshtein, jaro_winkler):
    out = dict.fromkeys(_WORDS, words)
    out.update(levenshtein=levenshtein, levenshtein_normalized=levenshtein,
               jaro_winkler=jaro_winkler)
    return out


THRESHOLDS = {
    "ctypes": {
        "jaccard": 640, "cosine": 640, "overlap": 640,  # L=512: 3.63/3.77; L=640: 4.61/4.42
        "levenshtein": 10,              # L=8: 1.50/1.62; L=10: 2.20/1.68
        "levenshtein_normalized": 6,    # L=4: 1.37/1.50; L=6: 1.63/1.50
        "jaro_winkler": 6,              # L=4: 1.26/1.38; L=6: 1.61/1.35
        "case_fold": 96,                # n=80: 1.92/1.94; n=96: 2.23/1.95
        "summarize": float("inf"),
        # one_to_many words n=32: 15.7/16.5, n=40: 19.0/18.9 (cosine 20.5/19.3);
        # levenshtein n=1: 15.7/8.3; jaro_winkler n=1: 8.4/8.0 (even), n=2: 14.8/8.4
        "one_to_many": _per_metric(40, 1, 2),
        # extract words n=32: 18.0/18.8, n=40: 21.9/21.1; levenshtein n=1: 17.0/9.8;
        # jaro_winkler n=1: 9.9/9.8 (even), n=2: 18.3/10.6
        "extract": _per_metric(40, 1, 2),
        # matrix words n=7: 9.6/10.1, n=8: 12.6/10.7; levenshtein n=2: 11.2/8.1;
        # jaro_winkler n=2: 8.1/7.9, n=3: 25.7/8.7
        "matrix": _per_metric(8, 2, 2),
    },
    "cffi": {
        "jaccard": 512, "cosine": 512, "overlap": 512,  # L=448: 2.97/3.03; L=512: 3.39/3.36
        "levenshtein": 8,               # L=6: 1.33/1.32 (even); L=8: 1.43/1.30
        "levenshtein_normalized": 6,    # L=4: 1.27/1.25 (even); L=6: 1.57/1.26
        "jaro_winkler": 4,              # L=2: 1.07/1.04 (even); L=4: 1.20/1.07
        "case_fold": 80,                # n=64: 1.52/1.70; n=80: 1.86/1.75
        "summarize": float("inf"),
        # one_to_many words n=32: 15.5/16.3, n=40: 18.7/18.7 (cosine 19.6/18.4);
        # levenshtein n=1: 15.5/8.2; jaro_winkler n=1: 8.3/8.1 (even), n=2: 15.0/8.7
        "one_to_many": _per_metric(40, 1, 2),
        # extract words n=32: 17.6/18.8, n=40: 22.8/21.2; levenshtein n=1: 17.2/10.0;
        # jaro_winkler n=1: 9.6/9.8, n=2: 17.4/10.4
        "extract": _per_metric(40, 1, 2),
        # matrix words n=7: 9.5/10.1, n=8: 12.2/10.7; levenshtein n=2: 11.6/8.3;
        # jaro_winkler n=2: 9.8/9.8 (even), n=3: 30.1/10.3
        "matrix": _per_metric(8, 2, 2),
    },
}

_PAIRS = ("jaccard", "cosine", "overlap", "levenshtein", "levenshtein_normalized",
          "jaro_winkler")
_SCALARS = _PAIRS + ("case_fold", "summarize")
_BATCHES = ("one_to_many", "extract", "matrix")

_INF = float("inf")
_NAN = float("nan")
_U64_MAX = (1 << 64) - 1
_SET_KERNELS = {"jaccard": _py.jaccard_sets, "cosine": _py.cosine_sets,
                "overlap": _py.overlap_sets}


# --- the native side ------------------------------------------------------------------
# Everything below converts through the backend's adapter (backend.api, see _ffi), so
# the same code serves both FFIs.

class _Native:
    """The text functions of one native backend: constants, metric codes, corpora."""

    def __init__(self, backend):
        self.backend = backend
        self.api = backend.api
        lib = self.lib = backend.lib
        self.error = backend.error
        self.new_f64 = backend.new_f64
        self.new_u64 = backend.new_u64
        self.new_size = backend.new_size
        self.out_f64 = backend.out_f64
        self.out_u64 = backend.out_u64
        self.fold_flag = int(lib.hotpath_text_flag_case_fold())
        self.borrow_flag = int(lib.hotpath_text_flag_borrow())
        self.front_matter_flag = int(lib.hotpath_text_flag_skip_front_matter())
        self.new_corpus_cell = backend.api.cell_type("hotpath_text_corpus_t*")
        self.codes = {}
        for name in METRICS:
            raw = name.encode()
            cell = backend.new_i32()
            status = lib.hotpath_text_metric_from_name(raw, len(raw), cell)
            if status:
                raise backend.error(status)
            self.codes[name] = int(cell[0])

    def corpus(self, texts, case_fold, name="texts", encode=None):
        """(handle, keep): a new native corpus handle of texts (str, crossing in bulk;
        a bad item raises the twin's error naming name[i], or encode(item, i)'s) and
        what it reads in place, to keep alive until destroy(handle, keep)."""
        api = self.api
        cell = self.new_corpus_cell()
        flags = self.fold_flag if case_fold else 0
        # One join, read in place by the library (no copy); the packed form when a
        # text holds the separator (EINVAL) or the join cannot be the answer.
        whole = _pack.joined_arg(api, texts)
        if whole is not None:
            status = self.lib.hotpath_text_corpus_create_joined(
                whole[1], whole[2], 0, len(texts), flags | self.borrow_flag, cell)
            if status == 0:
                return cell[0], whole
            if status != _pack.EINVAL:
                raise self.error(status)
        data, offsets = _pack.pack_items(texts, encode or _py.item_encoder(name))
        status = self.lib.hotpath_text_corpus_create(
            api.chars_in(data), api.in_size(offsets), len(texts), flags, cell)
        if status:
            raise self.error(status)
        return cell[0], None

    def destroy(self, handle, keep=None):
        """Frees a corpus handle; keep (what it read in place) may go after this."""
        self.lib.hotpath_text_corpus_destroy(handle)


def _native(backend):
    """The always-native text helpers of a native backend (see _dispatch)."""
    native = backend.kernels.get("text")
    if native is None:
        native = backend.kernels["text"] = _Native(backend)
    return native


def native_corpus(backend, texts, case_fold=False, name="texts", encode=None):
    """(handle, destroy) of a new corpus of texts in backend's library, for the other
    modules (memory, consensus) that run a corpus kernel of their own: texts cross in
    bulk (_ffi._pack), and a bad item raises the same error as hotpath.text does,
    naming name[i] (or, with encode, what encode(item, i) raises: see _pack).  The
    caller calls destroy(handle) when done."""
    nat = _native(backend)
    handle, keep = nat.corpus(texts, case_fold, name, encode)

    def destroy(handle, keep=keep):
        nat.destroy(handle, keep)
    return handle, destroy


def metric_code(backend, metric):
    """The library's code of a metric name (METRICS) on a native backend."""
    return _native(backend).codes[metric]


# --- the corpus -----------------------------------------------------------------------

class Corpus(_py.Corpus):
    """Texts prepared once for repeated one_to_many / extract / matrix calls.

    Corpus(texts, case_fold=False): texts is an iterable of str, kept as the tuple
    ``corpus.texts`` (``len(corpus)``, ``corpus[i]``); with case_fold the texts and
    every query made against them are case-folded.

    On a native backend the corpus holds a library handle (``_handle``, for the
    active backend; ``_backend`` is that backend), made at construction and freed
    with the corpus: the texts cross in bulk and the items are checked while they
    are packed.  After hotpath's backend changes, a handle for the new backend is
    made on first use; the pure-Python path prepares its own data lazily.
    """

    __slots__ = ("_natives",)

    def __init__(self, texts, case_fold=False):
        backend = _loader.active()
        super().__init__(texts, case_fold, check=not backend.native)
        self._natives = {}
        if backend.native:
            self._native_handle(backend)

    def _native_handle(self, backend):
        """The handle of this corpus in backend's library (made on first use)."""
        handle = self._natives.get(backend)
        if handle is None:
            native = _native(backend)
            handle, keep = native.corpus(self.texts, self.case_fold)
            # The finalizer holds the library's destroy function and what the handle
            # reads in place, not the corpus.
            weakref.finalize(self, native.destroy, handle, keep)
            self._natives[backend] = handle
        return handle

    @property
    def _backend(self):
        """The backend that _handle belongs to: the active one."""
        return _loader.active()

    @property
    def _handle(self):
        """The native handle for the active backend (None on the pure-Python backend)."""
        backend = _loader.active()
        return self._native_handle(backend) if backend.native else None


# --- native pair functions ------------------------------------------------------------

def _native_scalars(backend):
    """The scalar functions with the public signatures, always calling the library.

    Arguments are checked as the twin checks them (shared helpers of _text_py), so a
    bad argument raises the same exception and message before any native call.
    """
    nat = _native(backend)
    lib = nat.lib
    error = nat.error
    new_f64, new_u64, new_size = nat.new_f64, nat.new_u64, nat.new_size
    fold_flag = nat.fold_flag

    def pair(c_function, twin):
        """twin's signature (a, b, case_fold=False) on a C function of the two texts
        and the flags that writes one double."""
        def metric(a, b, case_fold=False):
            ea = encode_arg(a, "a")
            eb = encode_arg(b, "b")
            out = new_f64()
            status = c_function(ea, len(ea), eb, len(eb), fold_flag if case_fold else 0, out)
            if status:
                raise error(status)
            count_native(1)
            return out[0]
        return like(twin, metric, __name__)

    c_lev = lib.hotpath_text_levenshtein
    c_jw = lib.hotpath_text_jaro_winkler
    c_fold = lib.hotpath_text_case_fold
    c_bound = lib.hotpath_text_case_fold_bound
    c_summary = lib.hotpath_text_summarize

    def levenshtein(a, b, score_cutoff=None, case_fold=False):
        ea = encode_arg(a, "a")
        eb = encode_arg(b, "b")
        cutoff = _py.cutoff_arg(score_cutoff)
        out = new_u64()
        status = c_lev(ea, len(ea), eb, len(eb), _U64_MAX if cutoff is None else cutoff,
                       fold_flag if case_fold else 0, out)
        if status:
            raise error(status)
        count_native(1)
        return int(out[0])

    def jaro_winkler(a, b, prefix_weight=_py.DEFAULT_PREFIX_WEIGHT, case_fold=False):
        ea = encode_arg(a, "a")
        eb = encode_arg(b, "b")
        w = _py.prefix_weight_arg(prefix_weight)
        out = new_f64()
        status = c_jw(ea, len(ea), eb, len(eb), w, fold_flag if case_fold else 0, out)
        if status:
            raise error(status)
        count_native(1)
        return out[0]

    bytes_out = nat.api.bytes_out

    def case_fold(text):
        raw = encode_arg(text, "text")
        n = len(raw)
        buf = bytearray(c_bound(n))
        size = new_size()
        status = c_fold(raw, n, bytes_out(buf), len(buf), size)
        if status:
            raise error(status)
        count_native(1)
        return buf[:int(size[0])].decode("utf-8")

    front_matter_flag = nat.front_matter_flag

    def summarize(text, lines=1, max_chars=200, skip_front_matter=False):
        raw = encode_arg(text, "text")
        lines = _py.count_arg(lines, "lines", _py.U32_LIMIT, "an integer in [0, 2**32)")
        max_chars = _py.u64_arg(max_chars, "max_chars")
        offset, size = new_size(), new_size()
        status = c_summary(raw, len(raw), lines, max_chars,
                           front_matter_flag if skip_front_matter else 0, offset, size)
        if status:
            raise error(status)
        count_native(1)
        start = int(offset[0])
        return raw[start:start + int(size[0])].decode("utf-8")

    functions = {
        "jaccard": pair(lib.hotpath_text_jaccard, _py.jaccard),
        "cosine": pair(lib.hotpath_text_cosine, _py.cosine),
        "overlap": pair(lib.hotpath_text_overlap, _py.overlap),
        "levenshtein_normalized": pair(lib.hotpath_text_levenshtein_normalized,
                                       _py.levenshtein_normalized),
        "levenshtein": levenshtein, "jaro_winkler": jaro_winkler, "case_fold": case_fold,
        "summarize": summarize,
    }
    for name in ("levenshtein", "jaro_winkler", "case_fold", "summarize"):
        like(getattr(_py, name), functions[name], __name__)
    return functions


# --- "auto" pair functions --------------------------------------------------------------
# Each runs the twin's steps (the same helpers) behind a size test, so that a short call
# costs no more than the twin: one frame less than calling the twin's public function.

def _auto_word(name, native, limit):
    kernel = _SET_KERNELS[name]
    checked = _py.checked_pair

    def metric(a, b, case_fold=False):
        if a.__class__ is str and b.__class__ is str and len(a) + len(b) < limit:
            a, b = checked(a, b, case_fold)
            return kernel(set(a.split()), set(b.split()))
        return native(a, b, case_fold)

    return like(getattr(_py, name), metric, __name__)


def _auto_scalars(natives, limits):
    text_arg, checked = _py.text_arg, _py.checked_pair
    out = {}
    for name in ("jaccard", "cosine", "overlap"):
        out[name] = _auto_word(name, natives[name], limits[name])

    lev_limit, native_lev = limits["levenshtein"], natives["levenshtein"]
    lev_kernel, cutoff_arg = _py.levenshtein_kernel, _py.cutoff_arg

    def levenshtein(a, b, score_cutoff=None, case_fold=False):
        if a.__class__ is str and b.__class__ is str and len(a) + len(b) < lev_limit:
            a, b = checked(a, b, case_fold)
            return lev_kernel(a, b, cutoff_arg(score_cutoff))
        return native_lev(a, b, score_cutoff, case_fold)

    norm_limit, native_norm = limits["levenshtein_normalized"], natives["levenshtein_normalized"]
    norm_kernel = _py.normalized_kernel

    def levenshtein_normalized(a, b, case_fold=False):
        if a.__class__ is str and b.__class__ is str and len(a) + len(b) < norm_limit:
            a, b = checked(a, b, case_fold)
            return norm_kernel(a, b)
        return native_norm(a, b, case_fold)

    jw_limit, native_jw = limits["jaro_winkler"], natives["jaro_winkler"]
    jw_kernel, weight_arg = _py.jaro_winkler_kernel, _py.prefix_weight_arg

    def jaro_winkler(a, b, prefix_weight=_py.DEFAULT_PREFIX_WEIGHT, case_fold=False):
        if a.__class__ is str and b.__class__ is str and len(a) + len(b) < jw_limit:
            a, b = checked(a, b, case_fold)
            return jw_kernel(a, b, weight_arg(prefix_weight))
        return native_jw(a, b, prefix_weight, case_fold)

    fold_limit, native_fold = limits["case_fold"], natives["case_fold"]
    table = _py.FOLD_TABLE

    def case_fold(text):
        if text.__class__ is str:
            if text.isascii():
                return text.lower()
            if len(text) < fold_limit:
                return text_arg(text, "text").translate(table)
        return native_fold(text)

    for func in (levenshtein, levenshtein_normalized, jaro_winkler, case_fold):
        out[func.__name__] = like(getattr(_py, func.__name__), func, __name__)
    out["summarize"] = _py.summarize if limits["summarize"] == _INF else natives["summarize"]
    return out


# --- batches ----------------------------------------------------------------------------

def _batch_functions(backend, limits):
    """one_to_many, extract and matrix for a backend; limits[name] is the smallest
    list that runs natively (+inf: never), one number or one per metric.  A Corpus
    runs natively on a native backend unless limits says never: it already holds its
    native handle."""
    nat = _native(backend) if backend.native else None
    otm_limit, ext_limit, mat_limit = (
        limit if isinstance(limit, dict) else dict.fromkeys(METRICS, limit)
        for limit in (limits["one_to_many"], limits["extract"], limits["matrix"]))

    def check(choices, name):
        """The twin's item checks, for a list that stays in Python (a native call checks
        the items while it packs them)."""
        if not isinstance(choices, _py.Corpus):
            _py.check_texts(choices, name)

    def goes_native(choices, limit):
        if isinstance(choices, Corpus):
            return limit < _INF
        return len(choices) >= limit

    def on_corpus(choices, folds, call, name="choices"):
        """call(handle) on the native corpus of choices (a temporary one for a list,
        whose items are checked while packed, or for a twin _text_py.Corpus)."""
        if isinstance(choices, Corpus):
            return call(choices._native_handle(backend))
        texts = choices.texts if isinstance(choices, _py.Corpus) else choices
        handle, keep = nat.corpus(texts, folds, name)
        try:
            return call(handle)
        finally:
            nat.destroy(handle, keep)

    def one_to_many(query, choices, metric="jaccard", *, case_fold=None,
                    prefix_weight=_py.DEFAULT_PREFIX_WEIGHT):
        query = _py.text_arg(query, "query")
        choices, metric, folds, weight = _py.batch_args(choices, metric, case_fold,
                                                        prefix_weight, check=False)
        n = len(choices)
        if not goes_native(choices, otm_limit[metric]):
            check(choices, "choices")
            count_fallback(n)
            return _py.one_to_many_core(query, choices, metric, folds, weight)
        raw = query.encode("utf-8")
        code = nat.codes[metric]

        def call(handle):
            out = array("d", [0.0]) * n
            status = nat.lib.hotpath_text_one_to_many(raw, len(raw), handle, code, weight,
                                                      nat.out_f64(out), n)
            if status:
                raise nat.error(status)
            return out

        out = on_corpus(choices, folds, call)
        count_native(n)
        return out

    def extract(query, choices, metric="jaccard", limit=5, score_cutoff=None, *,
                case_fold=None, prefix_weight=_py.DEFAULT_PREFIX_WEIGHT):
        query = _py.text_arg(query, "query")
        choices, metric, folds, weight = _py.batch_args(choices, metric, case_fold,
                                                        prefix_weight, check=False)
        n = len(choices)
        limit = _py.limit_arg(limit, n)
        cutoff = _py.score_cutoff_arg(score_cutoff)
        if not goes_native(choices, ext_limit[metric]):
            check(choices, "choices")
            count_fallback(n)
            return _py.extract_core(query, choices, metric, limit, cutoff, folds, weight)
        raw = query.encode("utf-8")
        code = nat.codes[metric]

        def call(handle):
            indices = array("Q", [0]) * limit
            scores = array("d", [0.0]) * limit
            count = nat.new_size()
            status = nat.lib.hotpath_text_extract(
                raw, len(raw), handle, code, weight, _NAN if cutoff is None else cutoff,
                limit, nat.out_u64(indices), nat.out_f64(scores), count)
            if status:
                raise nat.error(status)
            k = int(count[0])
            return indices[:k], scores[:k]

        indices, scores = on_corpus(choices, folds, call)
        count_native(n)
        return [(choices[i], s, i) for i, s in zip(indices, scores)]

    def matrix(texts, metric="cosine", *, case_fold=None,
               prefix_weight=_py.DEFAULT_PREFIX_WEIGHT):
        texts, metric, folds, weight = _py.batch_args(texts, metric, case_fold, prefix_weight,
                                                      "texts", check=False)
        n = len(texts)
        if not goes_native(texts, mat_limit[metric]):
            check(texts, "texts")
            count_fallback(n)
            return _py.matrix_core(texts, metric, folds, weight)
        code = nat.codes[metric]

        def call(handle):
            out = array("d", [0.0]) * (n * n)
            status = nat.lib.hotpath_text_matrix(handle, code, weight, nat.out_f64(out), n * n)
            if status:
                raise nat.error(status)
            return out

        out = on_corpus(texts, folds, call, "texts")
        count_native(n)
        return SimilarityMatrix(n, out, metric)

    return {"one_to_many": like(_py.one_to_many, one_to_many, __name__),
            "extract": like(_py.extract, extract, __name__),
            "matrix": like(_py.matrix, matrix, __name__)}


# --- binding ----------------------------------------------------------------------------

def _limits(mode, backend):
    """name -> smallest call size that runs natively (+inf: never, 0: always)."""
    return _dispatch.limits(mode, backend, _SCALARS + _BATCHES, THRESHOLDS)


def _functions(backend, limits):
    chosen = {}
    if all(limits[name] == _INF for name in _SCALARS):
        chosen.update({name: getattr(_py, name) for name in _SCALARS})
    else:
        natives = backend.kernels.get("text.scalars")
        if natives is None:
            natives = backend.kernels["text.scalars"] = _native_scalars(backend)
        if all(limits[name] == 0 for name in _SCALARS):
            chosen.update(natives)
        else:
            chosen.update(_auto_scalars(natives, limits))
    chosen.update(_batch_functions(backend, limits))
    return chosen


def _bind(mode):
    backend = _loader.active()
    globals().update(_functions(backend, _limits(mode, backend)))


# Bound for real by _dispatch.register below; these assignments only name the public
# functions for readers and tools.
case_fold = _py.case_fold
jaccard = _py.jaccard
cosine = _py.cosine
overlap = _py.overlap
levenshtein = _py.levenshtein
levenshtein_normalized = _py.levenshtein_normalized
jaro_winkler = _py.jaro_winkler
summarize = _py.summarize
one_to_many = _py.one_to_many
extract = _py.extract
matrix = _py.matrix

_dispatch.register(_bind)
