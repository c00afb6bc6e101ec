"""Full-text search: a persistent BM25 index (C API: include/hotpath/search.h; the
analyzer, query syntax, scoring and files are defined in docs/search.md).

    index = Index(path=None, stopwords=None, stemmer=None)    # None path: in memory
    index.add(doc_id, text, title=None, fields=None); index.add_many(docs)
    index.update(doc_id, text, title=None, fields=None); index.remove(doc_id)
    index.commit(); len(index); index.doc_ids; doc_id in index; index.get(doc_id)
    index.search(query, limit=10, mode="or", fuzzy=0, prefix=False, offset=0) -> [Hit]
    index.search_many(queries, limit=10, ...) -> [[Hit], ...]
    index.highlight(doc_id, query); index.snippet(doc_id, query); index.stats()
    index_directory(root, pattern="*.md", path=None, recursive=True, **index_options)
    analyze(text, stopwords=False, stemmer=None) -> [str]

Hits are ``Hit(doc_id, score)`` ranked by score, then insertion order.  On a native
backend the index is the library's (block-max WAND over compressed posting blocks,
exact: the same hits and scores as the exhaustive twin in _search_py); on the
pure-Python backend it is the twin.  Both read and write the same folder format.
Native calls release the GIL: several threads can search one index while one adds;
``search_many`` runs a batch on the library's thread pool.  ``highlight`` and
``snippet`` run in Python on every backend over the stored document.
"""

from __future__ import annotations

import os
import threading
from array import array

from . import _dispatch
from . import _search_py as _py
from ._dispatch import count_fallback, count_native
from ._ffi import _loader, _pack
from ._search_py import Hit

__all__ = ["Index", "Hit", "analyze", "index_directory", "unicode_version"]

_STEMMERS = {None: 0, "english": 1}
_MODES = {"or": 0, "and": 1}
_FUZZY = (0, 1, 2)
_U64 = 1 << 64
_STEMMER_NAMES = {0: None, 1: "english"}
_U32 = "I"
assert array(_U32).itemsize == 4


class _Handles:
    """Per-backend helpers of the native index."""

    def __init__(self, backend):
        self.backend = backend
        self.lib = backend.lib
        self.api = backend.api
        self.error = backend.error
        self.ptr = backend.api.cell_type("const char*")
        self.offsets_ptr = backend.api.cell_type("const size_t*")
        self.scores_ptr = backend.api.cell_type("const double*")
        self.numbers_ptr = backend.api.cell_type("const uint64_t*")

    def check(self, status):
        if status:
            raise self.error(status)

    def results(self):
        return self.backend.create(self.lib.hotpath_search_results_create,
                                   "hotpath_search_results_t")

    def read(self, results, n, scores=False, numbers=0):
        """(strings, scores or None, numbers or None) of the last fill of results."""
        api = self.api
        data, offs, sc, nums = self.ptr(), self.offsets_ptr(), self.scores_ptr(), \
            self.numbers_ptr()
        self.check(self.lib.hotpath_search_results_hits(results, data, offs, sc, nums))
        if not n:
            return [], [] if scores else None, [] if numbers else None
        offsets = api.read_array(offs[0], n + 1, _pack.SIZE_CODE).tolist()
        raw = api.string(data[0], offsets[n]) if offsets[n] else b""
        text = raw.decode("utf-8")
        if text.isascii():
            strings = [text[offsets[i]:offsets[i + 1]] for i in range(n)]
        else:
            strings = [raw[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n)]
        s = api.read_array(sc[0], n, "d").tolist() if scores else None
        v = api.read_array(nums[0], numbers * n, "Q").tolist() if numbers else None
        return strings, s, v


def _handles(backend):
    h = backend.kernels.get("search")
    if h is None:
        h = backend.kernels["search"] = _Handles(backend)
    return h


class NativeIndex:
    """A BM25 index in the library (see the module docstring and docs/search.md)."""

    def __init__(self, path=None, stopwords=None, stemmer=None):
        raw, stopwords, stemmer = _py.index_args(path, stopwords, stemmer)
        backend = _loader.active()
        self._h = h = _handles(backend)
        self._path = None if raw is None else os.fsdecode(raw)
        cell = backend.api.cell_type("hotpath_search_index_t*")()
        raw_b = raw if raw is not None else b""
        sw = -1 if stopwords is None else int(stopwords)
        st = -1 if stemmer is None else _STEMMERS[stemmer]
        status = h.lib.hotpath_search_open(raw_b, len(raw_b), sw, st, cell)
        if status:
            raise h.error(status)
        self._index = cell[0]
        # One result handle per thread (search.h): queries from several threads
        # never share one.
        self._local = threading.local()
        self._handles = []
        self._lock = threading.Lock()
        self._closed = False

    @property
    def _results(self):
        r = getattr(self._local, "results", None)
        if r is None:
            r = self._h.results()
            with self._lock:
                if self._closed:
                    self._h.lib.hotpath_search_results_destroy(r)
                    raise _py.closed_error()
                self._handles.append(r)
            self._local.results = r
        return r

    # --- lifetime ----------------------------------------------------------------

    def close(self):
        """Releases the index and its writer lock; uncommitted changes are dropped."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            handles, self._handles = self._handles, []
        for r in handles:
            self._h.lib.hotpath_search_results_destroy(r)
        self._h.lib.hotpath_search_close(self._index)

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _live(self):
        if self._closed:
            raise _py.closed_error()
        return self._index

    # --- changes -----------------------------------------------------------------

    def _add(self, docs, replace, one=False):
        index = self._live()
        items, counts = _py.flatten_docs(docs, one=one)
        if not counts:
            return
        h = self._h
        try:
            data, offsets = _pack.pack(h.backend, items)
        except UnicodeEncodeError:
            _py.docs_arg(docs)  # the checked path names the document and argument
            raise
        fc = array(_U32, counts)
        status = h.lib.hotpath_search_add(index, h.api.chars_in(data), h.api.in_size(offsets),
                                          len(items), h.api.in_u32(fc), len(counts),
                                          1 if replace else 0)
        if status:
            raise h.error(status)
        count_native(len(counts))

    def add(self, doc_id, text, title=None, fields=None):
        """Adds one document; ValueError when doc_id is already in the index."""
        self._add([(doc_id, text, title, fields)], False, True)

    def add_many(self, docs):
        """Adds documents, tuples (doc_id, text[, title[, fields]]) or dicts with keys
        doc_id, text, title, fields; all or nothing."""
        self._add(docs, False)

    def update(self, doc_id, text, title=None, fields=None):
        """Replaces the document doc_id (or adds it); a replacement is a new insertion."""
        self._add([(doc_id, text, title, fields)], True, True)

    def remove(self, doc_id):
        """Removes doc_id; KeyError when it is absent."""
        index = self._live()
        raw = _py.id_arg(doc_id).encode("utf-8")
        out = self._h.backend.new_i32()
        self._h.check(self._h.lib.hotpath_search_remove(index, raw, len(raw), out))
        if not out[0]:
            raise KeyError(doc_id)

    def commit(self):
        """Makes every change durable and atomic (in memory: nothing to do)."""
        self._h.check(self._h.lib.hotpath_search_commit(self._live()))

    # --- reading -----------------------------------------------------------------

    def __len__(self):
        return self._info()["documents"]

    def __contains__(self, doc_id):
        if not isinstance(doc_id, str):
            return False
        raw = _py.id_arg(doc_id).encode("utf-8")
        out = self._h.backend.new_i32()
        self._h.check(self._h.lib.hotpath_search_contains(self._live(), raw, len(raw), out))
        return bool(out[0])

    @property
    def doc_ids(self):
        """The ids of the documents in insertion order."""
        h = self._h
        n = h.backend.new_size()
        h.check(h.lib.hotpath_search_doc_ids(self._live(), self._results, n))
        return h.read(self._results, int(n[0]))[0]

    def get(self, doc_id):
        """{"doc_id", "text", "title", "fields"} of a document; KeyError when absent."""
        h = self._h
        raw = _py.id_arg(doc_id).encode("utf-8")
        n = h.backend.new_size()
        h.check(h.lib.hotpath_search_get(self._live(), raw, len(raw), self._results, n))
        if not n[0]:
            raise KeyError(doc_id)
        strings = h.read(self._results, int(n[0]))[0]
        fields = dict(zip(strings[3::2], strings[4::2]))
        return _py.stored_dict(strings[0], strings[2], strings[1], fields)

    def _info(self):
        h = self._h
        info = h.api.new_struct("hotpath_search_info_t")
        h.check(h.lib.hotpath_search_info(self._live(), h.api.struct_arg(info)))
        return {"documents": int(info.documents), "pending": int(info.pending),
                "segments": int(info.segments), "bytes": int(info.bytes),
                "stopwords": bool(info.stopwords),
                "stemmer": _STEMMER_NAMES.get(int(info.stemmer))}

    def stats(self):
        """{"documents", "pending", "segments", "bytes", "fields", "stopwords",
        "stemmer", "path"}."""
        h = self._h
        out = self._info()
        n = h.backend.new_size()
        h.check(h.lib.hotpath_search_fields(self._live(), self._results, n))
        names, _, nums = h.read(self._results, int(n[0]), numbers=2)
        fields = {}
        for i, name in enumerate(names):
            docs, length = nums[2 * i], nums[2 * i + 1]
            fields[name] = {"documents": docs, "average_length": length / docs if docs else 0.0}
        out["fields"] = fields
        out["path"] = self._path
        return out

    # --- queries -----------------------------------------------------------------

    def _cells(self):
        """This thread's result handle and out-parameter cells, made once."""
        c = getattr(self._local, "cells", None)
        if c is None:
            h = self._h
            c = self._local.cells = (self._results, h.backend.new_size(), h.ptr(),
                                     h.offsets_ptr(), h.scores_ptr())
        return c

    def search(self, query, limit=10, mode="or", fuzzy=0, prefix=False, offset=0):
        """The best hits of query: [Hit(doc_id, score)], best first."""
        if (type(query) is str and type(limit) is int and type(offset) is int
                and 0 <= limit < _U64 and 0 <= offset < _U64 and fuzzy in _FUZZY
                and type(fuzzy) is int and type(prefix) is bool and mode in _MODES):
            mode_and = _MODES[mode]
            try:
                raw = query.encode("utf-8")
            except UnicodeEncodeError:
                _py.query_args(query, limit, mode, fuzzy, prefix, offset)  # names the error
                raise
        else:
            query, limit, mode_and, fuzzy, prefix, offset = _py.query_args(
                query, limit, mode, fuzzy, prefix, offset)
            raw = query.encode("utf-8")
        h = self._h
        results, n, data, offs, sc = self._cells()
        status = h.lib.hotpath_search_query(self._live(), raw, len(raw), limit, offset,
                                            mode_and, fuzzy, prefix, results, n)
        if status:
            raise h.error(status)
        count_native(1)
        count = n[0]
        if not count:
            return []
        h.check(h.lib.hotpath_search_results_hits(results, data, offs, sc, h.backend.NULL))
        api = h.api
        o = api.read_array(offs[0], count + 1, _pack.SIZE_CODE).tolist()
        blob = api.string(data[0], o[count])
        scores = api.read_array(sc[0], count, "d").tolist()
        if blob.isascii():
            text = blob.decode("ascii")
            ids = [text[o[i]:o[i + 1]] for i in range(count)]
        else:
            ids = [blob[o[i]:o[i + 1]].decode("utf-8") for i in range(count)]
        return list(map(Hit, ids, scores))

    def search_many(self, queries, limit=10, mode="or", fuzzy=0, prefix=False, offset=0):
        """[search(q, ...) for q in queries], run on the library's thread pool."""
        queries = _py.queries_arg(queries)
        _, limit, mode_and, fuzzy, prefix, offset = _py.query_args(
            "", limit, mode, fuzzy, prefix, offset)
        h = self._h
        if not queries:
            return []
        data, offsets = _pack.pack(h.backend, queries)
        total = h.backend.new_size()
        status = h.lib.hotpath_search_query_many(
            self._live(), h.api.chars_in(data), h.api.in_size(offsets), len(queries), limit,
            offset, mode_and, fuzzy, prefix, self._results, total)
        if status:
            raise h.error(status)
        count_native(len(queries))
        ids, scores, _ = h.read(self._results, int(total[0]), scores=True)
        counts = h.api.read_array(h.lib.hotpath_search_results_counts(self._results),
                                  len(queries), _pack.SIZE_CODE).tolist()
        hits = list(map(Hit, ids, scores))
        out, at = [], 0
        for c in counts:
            out.append(hits[at:at + c])
            at += c
        return out

    def highlight(self, doc_id, query, start="<b>", end="</b>"):
        """The document's text with the words that match query marked."""
        d = self.get(doc_id)
        o = self.stats()
        return _py.highlight_text(d["text"], query, o["stopwords"], o["stemmer"], start, end,
                                  fields=self._named_fields(o))

    def snippet(self, doc_id, query, words=24, start="<b>", end="</b>", ellipsis="..."):
        """The passage of about `words` words of the document's text that holds the
        most matched words, marked as highlight() marks them."""
        d = self.get(doc_id)
        o = self.stats()
        return _py.snippet_text(d["text"], query, o["stopwords"], o["stemmer"], words, start,
                                end, ellipsis, fields=self._named_fields(o))

    @staticmethod
    def _named_fields(stats):
        return tuple(n for n, f in stats["fields"].items() if n and f["documents"])


def analyze(text, stopwords=False, stemmer=None):
    """The analyzer's tokens of text (docs/search.md, "The analyzer")."""
    text, stopwords, stemmer = _py.analyze_args(text, stopwords, stemmer)
    backend = _loader.active()
    if not backend.native or _dispatch.get_dispatch() == "python":
        count_fallback(1)
        return _py.analyze(text, stopwords, stemmer)
    h = _handles(backend)
    raw = text.encode("utf-8")
    results = h.results()
    try:
        n = backend.new_size()
        h.check(h.lib.hotpath_search_analyze(raw, len(raw), int(stopwords),
                                             _STEMMERS[stemmer], results, n))
        count_native(1)
        return h.read(results, int(n[0]))[0]
    finally:
        h.lib.hotpath_search_results_destroy(results)


def unicode_version():
    """The Unicode version of the analyzer's tables: utf8proc's natively, the running
    CPython's unicodedata on the pure-Python backend."""
    backend = _loader.active()
    if not backend.native or _dispatch.get_dispatch() == "python":
        return _py.unicode_version()
    return backend.api.text(backend.lib.hotpath_search_unicode_version())


def index_directory(root, pattern="*.md", path=None, recursive=True, **index_options):
    """An Index of the files under root that match pattern (doc_id: the file's path,
    text: its content); see _search_py.index_directory."""
    return _py.index_directory(root, pattern=pattern, path=path, recursive=recursive,
                               index_class=Index, **index_options)


def _bind(mode):
    backend = _loader.active()
    native = backend.native and mode != "python"
    globals()["Index"] = NativeIndex if native else _py.Index


Index = _py.Index
_dispatch.register(_bind)
