"""Pure-Python twin of hotpath.search: the executable specification.

Everything here follows docs/search.md; the library's index must return the same hits
with the same scores (bit for bit: the arithmetic below is written in the order the
C++ core uses) and read and write the same folders.  The twin is exhaustive: a query
scores every live document that matches a clause, from per-field inverted dicts kept
in memory, with statistics that are exact at every moment.

    Index(path=None, stopwords=None, stemmer=None)
    index_directory(root, pattern="*.md", path=None, recursive=True, **index_options)
    analyze(text, stopwords=False, stemmer=None) -> [str]
    analyze_positions(text, stopwords=False, stemmer=None) -> [(token, position)]
    parse_query(query, known_fields=(), stopwords=False, stemmer=None) -> [Clause]

The argument helpers (index_args, flatten_docs, id_arg, query_args, queries_arg,
analyze_args) and highlight_text / snippet_text are shared with the native wrapper
(hotpath.search), so that every backend checks arguments and marks text alike.
"""

from __future__ import annotations

import errno as _errno
import math
import os
import re
import struct
import threading
import unicodedata
import zlib
from collections import namedtuple
from collections.abc import Mapping as _Mapping
from operator import index as _index

from ._errors import (ECORRUPT, EINVAL, EOVERFLOW, EUNSUPPORTED, HotpathError,
                      HotpathTypeError, HotpathValueError, bad_value, not_a_u64,
                      not_an_integer, os_error)
from ._output_file import OutputFile
from ._text_py import sequence_arg, text_arg

__all__ = ["Index", "Hit", "Clause", "analyze", "analyze_positions", "parse_query",
           "index_directory", "unicode_version", "STOP_WORDS", "STEMMERS", "K1", "B",
           "TITLE_GAP", "TITLE_WEIGHT", "MAX_EXPANSIONS", "DEFAULT_FIELD"]

Hit = namedtuple("Hit", "doc_id score")
# kind "term" or "phrase"; field DEFAULT_FIELD ("") or a field name; positions are
# relative to the first token (a term's is (0,)).
Clause = namedtuple("Clause", "kind field tokens positions exclude")

K1 = 1.2
B = 0.75
_K1_PLUS_1 = K1 + 1
TITLE_WEIGHT = 2      # a title occurrence counts twice in the default field
TITLE_GAP = 1000      # positions between the title's tokens and the text's
MAX_EXPANSIONS = 128  # terms a fuzzy or prefix clause widens to, at most
DEFAULT_FIELD = ""    # the default field's name (never a valid field name)
STEMMERS = (None, "english")
STOP_WORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the "
    "their then there these they this to was will with".split())

_STEMMER_CODES = {None: 0, "english": 1}
_STEMMER_NAMES = {0: None, 1: "english"}
_BLOCK_RECORDS = 64
_U32_LIMIT = 1 << 32
_U64_LIMIT = 1 << 64


# --- the analyzer -------------------------------------------------------------------

_ASCII_WORD = re.compile(r"[a-z0-9]+")
_IDEOGRAPHIC = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
                (0xF900, 0xFAFF), (0x20000, 0x3FFFF))
# char -> 0 separator, 1 part of a run, 2 a token of its own; bounded so that hostile
# text cannot grow it without end.
_CLASS = {}
_CLASS_MAX = 1 << 16


def _classify(c):
    if unicodedata.category(c)[0] not in "LNM":
        k = 0
    else:
        k = 1
        o = ord(c)
        if o >= 0x3040:
            for lo, hi in _IDEOGRAPHIC:
                if lo <= o <= hi:
                    k = 2
                    break
    if len(_CLASS) < _CLASS_MAX:
        _CLASS[c] = k
    return k


def _spans(s):
    """(start, end) of the tokens of normalized, folded text s."""
    out = []
    start = -1
    get = _CLASS.get
    for i, c in enumerate(s):
        k = get(c)
        if k is None:
            k = _classify(c)
        if k == 1:
            if start < 0:
                start = i
            continue
        if start >= 0:
            out.append((start, i))
            start = -1
        if k == 2:
            out.append((i, i + 1))
    if start >= 0:
        out.append((start, len(s)))
    return out


def _fold(s):
    return unicodedata.normalize("NFKC", s).casefold()


def _raw_tokens(text):
    """Every token of text, stop words included, in position order."""
    if text.isascii():
        # NFKC leaves ASCII alone and case folding of ASCII is lower().
        return _ASCII_WORD.findall(text.lower())
    s = _fold(text)
    if s.isascii():
        return _ASCII_WORD.findall(s)
    return [s[a:b] for a, b in _spans(s)]


_STEM_LOCK = threading.Lock()
_STEM_FUNCTIONS = {}
_STEM_CACHE_MAX = 1 << 17


def _stem_function(name):
    """token -> Snowball stem, cached; the stemmer objects keep state, hence the lock."""
    f = _STEM_FUNCTIONS.get(name)
    if f is not None:
        return f
    with _STEM_LOCK:
        f = _STEM_FUNCTIONS.get(name)
        if f is not None:
            return f
        try:
            import snowballstemmer
        except ImportError:
            raise HotpathError(
                "stemmer %r needs the Python package 'snowballstemmer' (Debian: "
                "python3-snowballstemmer), which cannot be imported" % name,
                EUNSUPPORTED) from None
        algorithm = snowballstemmer.stemmer(name)
        cache = {}
        lock = threading.Lock()

        def stem(token):
            s = cache.get(token)
            if s is None:
                with lock:
                    s = algorithm.stemWord(token)
                if len(cache) >= _STEM_CACHE_MAX:
                    cache.clear()
                cache[token] = s
            return s

        _STEM_FUNCTIONS[name] = f = stem
        return f


class _Analyzer:
    """The analyzer with one set of options."""

    __slots__ = ("stopwords", "stemmer", "stop", "stem")

    def __init__(self, stopwords, stemmer):
        self.stopwords = stopwords
        self.stemmer = stemmer
        self.stop = STOP_WORDS if stopwords else None
        self.stem = _stem_function(stemmer) if stemmer else None

    def tokens(self, text):
        """([(token, position)], positions taken) of text."""
        raw = _raw_tokens(text)
        n = len(raw)
        stop, stem = self.stop, self.stem
        if stop is None:
            if stem is None:
                return list(zip(raw, range(n))), n
            return [(stem(t), p) for p, t in enumerate(raw)], n
        if stem is None:
            return [(t, p) for p, t in enumerate(raw) if t not in stop], n
        return [(stem(t), p) for p, t in enumerate(raw) if t not in stop], n

    def token(self, raw):
        """The indexed form of one raw token, None for a dropped stop word."""
        if self.stop is not None and raw in self.stop:
            return None
        return raw if self.stem is None else self.stem(raw)


_ANALYZERS = {}


def _analyzer(stopwords, stemmer):
    key = (bool(stopwords), stemmer)
    an = _ANALYZERS.get(key)
    if an is None:
        an = _ANALYZERS[key] = _Analyzer(*key)
    return an


def unicode_version():
    """The Unicode version of the analyzer's tables (the running CPython's)."""
    return unicodedata.unidata_version


# --- arguments ----------------------------------------------------------------------

def _str_arg(value, name):
    value = text_arg(value, name)
    if len(value) >= (1 << 30) and len(value.encode("utf-8")) >= _U32_LIMIT:
        raise HotpathValueError("argument '%s' is too long: %d bytes of UTF-8; expected "
                                "fewer than 2**32" % (name, len(value.encode("utf-8"))))
    return str(value)


def _flag_arg(value, name, none_ok):
    if value is None and none_ok:
        return None
    if value is True or value is False:
        return value
    raise HotpathTypeError("argument '%s' has type %s; expected %s"
                           % (name, type(value).__name__,
                              "True, False or None" if none_ok else "True or False"))


def _stemmer_arg(value):
    if value is None:
        return None
    if not isinstance(value, str):
        raise HotpathTypeError("argument 'stemmer' has type %s; expected None or a str"
                               % type(value).__name__)
    if value not in _STEMMER_CODES:
        raise bad_value("stemmer", value, "None or 'english'")
    return str(value)


def _count_arg(value, name, least=0):
    """An int in [least, 2**64), bool refused."""
    if value.__class__ is bool:
        raise not_an_integer(name, value)
    try:
        v = _index(value)
    except TypeError:
        raise not_an_integer(name, value) from None
    if v < least or v >= _U64_LIMIT:
        if least == 0:
            raise not_a_u64(name, v)
        raise bad_value(name, v, "an integer in [%d, 2**64)" % least)
    return v


def id_arg(doc_id):
    """A document id: any str that UTF-8 can encode."""
    return _str_arg(doc_id, "doc_id")


def closed_error():
    return HotpathValueError("the index is closed")


def index_args(path, stopwords, stemmer):
    """(path as bytes or None, stopwords None/bool, stemmer None/name) of Index()."""
    raw = None
    if path is not None:
        try:
            raw = os.fsencode(os.fspath(path))
        except TypeError:
            raise HotpathTypeError("argument 'path' has type %s; expected a path or None"
                                   % type(path).__name__) from None
        if not raw:
            raise HotpathValueError("argument 'path' is empty")
        if b"\0" in raw:
            raise HotpathValueError("argument 'path' holds a NUL byte")
    return raw, _flag_arg(stopwords, "stopwords", True), _stemmer_arg(stemmer)


def analyze_args(text, stopwords, stemmer):
    """(text, stopwords as bool, stemmer) of analyze(); None stopwords is False."""
    text = _str_arg(text, "text")
    stop = _flag_arg(stopwords, "stopwords", True)
    return text, bool(stop), _stemmer_arg(stemmer)


_MODES = {"or": 0, "and": 1}


def query_args(query, limit, mode, fuzzy, prefix, offset):
    """(query, limit, mode_and 0/1, fuzzy, prefix 0/1, offset) of search()."""
    query = _str_arg(query, "query")
    limit = _count_arg(limit, "limit")
    offset = _count_arg(offset, "offset")
    if not isinstance(mode, str):
        raise HotpathTypeError("argument 'mode' has type %s; expected a str"
                               % type(mode).__name__)
    if mode not in _MODES:
        raise bad_value("mode", mode, "'or' or 'and'")
    if fuzzy.__class__ is bool:
        raise not_an_integer("fuzzy", fuzzy)
    try:
        f = _index(fuzzy)
    except TypeError:
        raise not_an_integer("fuzzy", fuzzy) from None
    if f not in (0, 1, 2):
        raise bad_value("fuzzy", f, "0, 1 or 2")
    prefix = _flag_arg(prefix, "prefix", False)
    return query, limit, _MODES[str(mode)], f, int(prefix), offset


def queries_arg(queries):
    """The queries of search_many as a list of str."""
    items = sequence_arg(queries, "queries", "a sequence of str")
    return [_str_arg(q, "queries[%d]" % i) for i, q in enumerate(items)]


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_DOC_KEYS = ("doc_id", "text", "title", "fields")


def _fields_arg(fields, name):
    if fields is None:
        return {}
    if not isinstance(fields, _Mapping):
        raise HotpathTypeError("argument '%s' has type %s; expected a mapping of field names "
                               "to str, or None" % (name, type(fields).__name__))
    out = {}
    for key, value in fields.items():
        if not isinstance(key, str):
            raise HotpathTypeError("argument '%s' has a field name of type %s; expected a str"
                                   % (name, type(key).__name__))
        if not _IDENTIFIER.match(key) or key == "title":
            raise HotpathValueError("argument '%s' has the field name %r; expected an "
                                    "identifier ([A-Za-z_][A-Za-z0-9_]*) other than 'title'"
                                    % (name, key))
        out[str(key)] = _str_arg(value, "%s[%r]" % (name, key))
    return out


def _doc_arg(doc, where):
    """(doc_id, text, title, fields) of one document of add_many (where: "docs[i]")."""
    if isinstance(doc, _Mapping):
        for key in doc:
            if key not in _DOC_KEYS:
                raise HotpathTypeError("argument '%s' has the key %r; expected the keys "
                                       "doc_id, text, title, fields" % (where, key))
        for key in ("doc_id", "text"):
            if key not in doc:
                raise HotpathTypeError("argument '%s' has no key %r" % (where, key))
        parts = (doc["doc_id"], doc["text"], doc.get("title"), doc.get("fields"))
    elif isinstance(doc, (tuple, list)):
        if not 2 <= len(doc) <= 4:
            raise HotpathTypeError("argument '%s' has %d items; expected (doc_id, text[, "
                                   "title[, fields]])" % (where, len(doc)))
        parts = tuple(doc) + (None,) * (4 - len(doc))
    else:
        raise HotpathTypeError("argument '%s' has type %s; expected a tuple (doc_id, "
                               "text[, title[, fields]]) or a dict" % (where, type(doc).__name__))
    return _one_doc(*parts, where=where + ".")


def _one_doc(doc_id, text, title, fields, where=""):
    doc_id = _str_arg(doc_id, where + "doc_id")
    text = _str_arg(text, where + "text")
    title = "" if title is None else _str_arg(title, where + "title")
    return doc_id, text, title, _fields_arg(fields, where + "fields")


def docs_arg(docs):
    """The checked documents of add_many: [(doc_id, text, title, fields)]."""
    items = sequence_arg(docs, "docs", "a sequence of documents",
                         "expected a sequence of tuples (doc_id, text[, title[, fields]]) "
                         "or dicts")
    return [_doc_arg(d, "docs[%d]" % i) for i, d in enumerate(items)]


def _flatten_plain(docs):
    """flatten_docs of a list of (doc_id, text) / (doc_id, text, title) tuples of str
    (title None allowed) without fields, the bulk case, in one light pass; None for
    anything else, which takes the checked path (and its error messages).  Lone
    surrogates are left to the encoder, whose failure the caller turns into the
    checked path's error."""
    if type(docs) is not list:
        return None
    items = []
    add = items.extend
    for d in docs:
        if type(d) is not tuple:
            return None
        n = len(d)
        if n == 2:
            doc_id, text = d
            title = ""
        elif n == 3:
            doc_id, text, title = d
            if title is None:
                title = ""
            elif type(title) is not str:
                return None
        else:
            return None
        if type(doc_id) is not str or type(text) is not str:
            return None
        add((doc_id, title, text))
    return items, [0] * len(docs)


def flatten_docs(docs, one=False):
    """(items, field_counts) of documents packed for the C ABI: per document its id,
    title, text, then (name, value) pairs.  one=True: docs holds the single document
    of add()/update(), and errors name the plain arguments ('doc_id', 'text', ...)."""
    if one:
        (doc,) = docs
        checked = [_one_doc(*(tuple(doc) + (None,) * (4 - len(doc))))]
    else:
        fast = _flatten_plain(docs)
        if fast is not None:
            return fast
        checked = docs_arg(docs)
    items, counts = [], []
    for doc_id, text, title, fields in checked:
        items += (doc_id, title, text)
        for name, value in fields.items():
            items += (name, value)
        counts.append(len(fields))
    return items, counts


def stored_dict(doc_id, text, title, fields):
    """What Index.get returns (an empty title is "")."""
    return {"doc_id": doc_id, "text": text, "title": title, "fields": dict(fields)}


# --- analyze ------------------------------------------------------------------------

def analyze(text, stopwords=False, stemmer=None):
    """The tokens of text, as the index sees them (docs/search.md, "The analyzer")."""
    text, stop, stem = analyze_args(text, stopwords, stemmer)
    return [t for t, _ in _analyzer(stop, stem).tokens(text)[0]]


def analyze_positions(text, stopwords=False, stemmer=None):
    """[(token, position)] of text: positions count every token from 0, dropped stop
    words included."""
    text, stop, stem = analyze_args(text, stopwords, stemmer)
    return _analyzer(stop, stem).tokens(text)[0]


# --- queries ------------------------------------------------------------------------

_FIELD_PREFIX = re.compile(r"[A-Za-z_][A-Za-z0-9_]*:")


def _parse(query, known, an):
    """The clauses of query (docs/search.md, "Queries"); known(name): whether a named
    field is searchable."""
    out = []
    seen = set()
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
            continue
        exclude = False
        if c == "-":
            exclude = True
            i += 1
            if i == n or query[i].isspace():
                continue  # a lone '-'
        field = DEFAULT_FIELD
        m = _FIELD_PREFIX.match(query, i)
        if m is not None:
            j = m.end()
            if j < n and not query[j].isspace():
                name = query[i:j - 1]
                if name == "title" or known(name):
                    field = name
                    i = j
        if query[i] == '"':
            e = query.find('"', i + 1)
            if e < 0:
                e = n
            text = query[i + 1:e]
            i = e + 1 if e < n else n
        else:
            e = i
            while e < n and not query[e].isspace():
                e += 1
            text = query[i:e]
            i = e
        toks, _ = an.tokens(text)
        if not toks:
            continue
        base = toks[0][1]
        tokens = tuple(t for t, _ in toks)
        positions = tuple(p - base for _, p in toks)
        kind = "phrase" if len(tokens) > 1 else "term"
        key = (field, kind, exclude, tokens, positions)
        if key in seen:
            continue
        seen.add(key)
        out.append(Clause(kind, field, tokens, positions, exclude))
    return out


def parse_query(query, known_fields=(), stopwords=False, stemmer=None):
    """The clauses of query as an index with the named fields known_fields (a
    container of names; "title" is always known) and these analyzer options parses
    it: [Clause(kind, field, tokens, positions, exclude)] in order of first
    appearance, duplicates dropped."""
    query = _str_arg(query, "query")
    stop = bool(_flag_arg(stopwords, "stopwords", True))
    an = _analyzer(stop, _stemmer_arg(stemmer))
    return _parse(query, known_fields.__contains__, an)


def _within(a, b, d):
    """Whether the Levenshtein distance of a and b (code points) is at most d."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if la > lb:
        a, b, la, lb = b, a, lb, la
    if lb - la > d:
        return False
    k = 0
    while k < la and a[k] == b[k]:
        k += 1
    a, b = a[k:], b[k:]
    while a and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    la, lb = len(a), len(b)
    if la == 0:
        return lb <= d
    big = d + 1
    prev = [j if j <= d else big for j in range(lb + 1)]
    for i in range(1, la + 1):
        cur = [big] * (lb + 1)
        cur[0] = i if i <= d else big
        row_min = cur[0]
        ca = a[i - 1]
        for j in range(max(1, i - d), min(lb, i + d) + 1):
            v = prev[j - 1] + (ca != b[j - 1])
            x = prev[j] + 1
            if x < v:
                v = x
            x = cur[j - 1] + 1
            if x < v:
                v = x
            if v > big:
                v = big
            cur[j] = v
            if v < row_min:
                row_min = v
        if row_min > d:
            return False
        prev = cur
    return prev[lb] <= d


def _widen(post, term, fuzzy, prefix):
    """The live terms of a field (post: term -> postings) that a widened term clause
    searches: within distance fuzzy or starting with term, the term itself included;
    beyond MAX_EXPANSIONS, those with the highest document frequency (ties: by term)."""
    found = []
    for t in post:
        if (prefix and t.startswith(term)) or (fuzzy and _within(term, t, fuzzy)):
            found.append(t)
    if len(found) > MAX_EXPANSIONS:
        found.sort(key=lambda t: (-len(post[t]), t))
        del found[MAX_EXPANSIONS:]
    return found


# --- marking text -------------------------------------------------------------------

_WHITE = re.compile(r"\s+")


def _segments(text):
    """Pieces of text [(start, end, folded)] whose folded forms join to _fold(text), as
    small as can be shown safe: a boundary before an ASCII character always is (such a
    starter composes with nothing before it); a mark with a combining class never
    starts a piece; other boundaries are kept where folding the two sides apart gives
    what folding them together gives."""
    pieces = []
    a, cur = 0, None
    n = len(text)
    combining = unicodedata.combining
    for i in range(1, n + 1):
        if i < n:
            c = text[i]
            if not c.isascii():
                if combining(c) or i - a > 32:
                    cur = None
                    continue
                if cur is None:
                    cur = _fold(text[a:i])
                both = _fold(text[a:i + 1])
                if both != cur + _fold(c):
                    cur = both
                    continue
        pieces.append((a, i, cur if cur is not None else _fold(text[a:i])))
        a, cur = i, None
    return pieces


def _coarse_segments(text):
    """Pieces split only before ASCII characters (always safe)."""
    pieces = []
    a = 0
    n = len(text)
    for i in range(1, n + 1):
        if i == n or text[i].isascii():
            pieces.append((a, i, _fold(text[a:i])))
            a = i
    return pieces


def _token_spans(text):
    """[(raw token, start, end)] of text: every token with the span of text it comes
    from (a token made by folding several characters spans all of them)."""
    if text.isascii():
        low = text.lower()
        return [(m.group(), m.start(), m.end()) for m in _ASCII_WORD.finditer(low)]
    full = _fold(text)
    pieces = _segments(text)
    norm = "".join(p[2] for p in pieces)
    if norm != full:
        pieces = _coarse_segments(text)
        norm = "".join(p[2] for p in pieces)
        if norm != full:
            pieces = [(0, len(text), full)]
            norm = full
    owner = []
    for k, (_, _, folded) in enumerate(pieces):
        owner.extend([k] * len(folded))
    return [(norm[a:b], pieces[owner[a]][0], pieces[owner[b - 1]][1])
            for a, b in _spans(norm)]


def _matches(text, query, stopwords, stemmer, fields):
    """(token spans, [(first position, last position, clause number)]) of the places
    of text that the positive default-field clauses of query match."""
    an = _analyzer(stopwords, stemmer)
    spans = _token_spans(text)
    known = fields.__contains__ if fields else (lambda name: False)
    clauses = [c for c in _parse(query, known, an)
               if not c.exclude and c.field == DEFAULT_FIELD]
    if not clauses or not spans:
        return spans, []
    toks = [an.token(raw) for raw, _, _ in spans]
    where = {}
    for p, t in enumerate(toks):
        if t is not None:
            where.setdefault(t, []).append(p)
    occ = []
    n = len(toks)
    for ci, c in enumerate(clauses):
        first = where.get(c.tokens[0], ())
        if c.kind == "term":
            occ.extend((p, p, ci) for p in first)
            continue
        last = c.positions[-1]
        for p in first:
            if p + last < n and all(toks[p + r] == t for t, r in zip(c.tokens, c.positions)):
                occ.append((p, p + last, ci))
    occ.sort()
    return spans, occ


def _char_ranges(spans, occ, lo=0, hi=None):
    """Merged (start, end) character ranges of the occurrences, clipped to [lo, hi)."""
    out = []
    for f, l, _ in occ:
        a, b = spans[f][1], spans[l][2]
        if hi is not None:
            a, b = max(a, lo), min(b, hi)
            if a >= b:
                continue
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1][1] = b
        else:
            out.append([a, b])
    out.sort()
    return out


def _marked(text, ranges, start, end, lo=0, hi=None, collapse=False):
    hi = len(text) if hi is None else hi
    parts = []
    at = lo

    def plain(s):
        return _WHITE.sub(" ", s) if collapse else s

    for a, b in ranges:
        parts += (plain(text[at:a]), start, plain(text[a:b]), end)
        at = b
    parts.append(plain(text[at:hi]))
    return "".join(parts)


def _mark_args(text, query, start, end):
    return (_str_arg(text, "text"), _str_arg(query, "query"), _str_arg(start, "start"),
            _str_arg(end, "end"))


def highlight_text(text, query, stopwords, stemmer, start="<b>", end="</b>", fields=()):
    """text with each place a positive default-field clause of query matches wrapped
    in start ... end (a phrase as one range); fields: the index's searchable named
    fields, so that "name:rest" reads as the index reads it."""
    text, query, start, end = _mark_args(text, query, start, end)
    spans, occ = _matches(text, query, bool(stopwords), stemmer, fields)
    return _marked(text, _char_ranges(spans, occ), start, end)


def snippet_text(text, query, stopwords, stemmer, words=24, start="<b>", end="</b>",
                 ellipsis="...", fields=()):
    """A passage of `words` consecutive tokens of text: the window that holds the most
    distinct matched clauses (then the most matches, then the earliest), centred on its
    matches, cut at token boundaries with the punctuation next to them kept, white space
    runs made single spaces, matches marked as highlight_text marks them, and ellipsis
    where text was cut off.  Without a match: the first tokens."""
    text, query, start, end = _mark_args(text, query, start, end)
    ellipsis = _str_arg(ellipsis, "ellipsis")
    words = _count_arg(words, "words", 1)
    spans, occ = _matches(text, query, bool(stopwords), stemmer, fields)
    n = len(spans)
    if n == 0:
        return ""
    ws = 0
    if n > words and occ:
        best = None
        counts = {}
        j = 0
        for i, (f, _, _) in enumerate(occ):
            if i and occ[i - 1][0] == f:
                continue
            while j < len(occ) and occ[j][0] <= f + words - 1:
                counts[occ[j][2]] = counts.get(occ[j][2], 0) + 1
                j += 1
            key = (len(counts), j - i)
            if best is None or key > best[0]:
                cover = max(min(o[1], f + words - 1) for o in occ[i:j])
                best = (key, f, cover)
            # Slide past the occurrences that start at f.
            k = i
            while k < len(occ) and occ[k][0] == f:
                c = occ[k][2]
                counts[c] -= 1
                if not counts[c]:
                    del counts[c]
                k += 1
        _, a, b = best
        slack = words - (b - a + 1)
        ws = max(0, min(a - slack // 2, n - words))
    we = min(n, ws + words) - 1
    lo, hi = spans[ws][1], spans[we][2]
    floor = spans[ws - 1][2] if ws else 0
    while lo > floor and not text[lo - 1].isspace():
        lo -= 1
    ceiling = spans[we + 1][1] if we + 1 < n else len(text)
    while hi < ceiling and not text[hi].isspace():
        hi += 1
    body = _marked(text, _char_ranges(spans, occ, lo, hi), start, end, lo, hi, True)
    return (ellipsis if ws > 0 else "") + body + (ellipsis if we < n - 1 else "")


# --- the in-memory index ------------------------------------------------------------

class _Doc:
    __slots__ = ("doc_id", "seq", "text", "title", "fields", "span", "terms", "seg",
                 "local")


def _positions(toks):
    d = {}
    for tok, p in toks:
        e = d.get(tok)
        if e is None:
            d[tok] = [1, [p]]
        else:
            e[0] += 1
            e[1].append(p)
    return d


class _State:
    """The live documents and their inverted index: field -> term -> {seq: [tf,
    positions]}, field lengths and sums; seq is the insertion number."""

    def __init__(self, an, next_seq=0):
        self.an = an
        self.next_seq = next_seq
        self.by_id = {}
        self.by_seq = {}    # insertion order, since seqs only grow
        self.post = {}
        self.dl = {}
        self.total = {}

    def known(self, name):
        return bool(self.dl.get(name))

    def insert(self, doc_id, text, title, fields, seq=None, seg=None, local=-1):
        if seq is None:
            seq = self.next_seq
            self.next_seq += 1
        an = self.an
        tt, span = an.tokens(title)
        xt, _ = an.tokens(text)
        parts = {}
        d = {}
        for tok, p in tt:
            e = d.get(tok)
            if e is None:
                d[tok] = [TITLE_WEIGHT, [p]]
            else:
                e[0] += TITLE_WEIGHT
                e[1].append(p)
        off = span + TITLE_GAP
        for tok, p in xt:
            e = d.get(tok)
            if e is None:
                d[tok] = [1, [p + off]]
            else:
                e[0] += 1
                e[1].append(p + off)
        if d:
            parts[DEFAULT_FIELD] = (TITLE_WEIGHT * len(tt) + len(xt), d)
        if tt:
            parts["title"] = (len(tt), _positions(tt))
        for name, value in fields.items():
            ft, _ = an.tokens(value)
            if ft:
                parts[name] = (len(ft), _positions(ft))
        doc = _Doc()
        doc.doc_id, doc.seq, doc.text, doc.title, doc.fields = doc_id, seq, text, title, fields
        doc.span, doc.seg, doc.local = span, seg, local
        terms = {}
        for field, (length, entries) in parts.items():
            post = self.post.get(field)
            if post is None:
                post = self.post[field] = {}
                self.dl[field] = {}
                self.total[field] = 0
            for term, entry in entries.items():
                p = post.get(term)
                if p is None:
                    post[term] = {seq: entry}
                else:
                    p[seq] = entry
            self.dl[field][seq] = length
            self.total[field] += length
            terms[field] = tuple(entries)
        doc.terms = terms
        self.by_id[doc_id] = doc
        self.by_seq[seq] = doc
        return doc

    def delete(self, doc):
        seq = doc.seq
        for field, terms in doc.terms.items():
            post = self.post[field]
            for term in terms:
                p = post[term]
                del p[seq]
                if not p:
                    del post[term]
            self.total[field] -= self.dl[field].pop(seq)
        del self.by_id[doc.doc_id]
        del self.by_seq[seq]

    # --- scoring ---

    def _field(self, field):
        """(postings, lengths, avgdl) of a field with documents, else None."""
        dl = self.dl.get(field)
        if not dl:
            return None
        return self.post[field], dl, self.total[field] / len(dl)

    def term_scores(self, field, terms):
        """{seq: score} of a term clause widened to terms: per document the best."""
        f = self._field(field)
        if f is None:
            return {}
        post, dl, avgdl = f
        n = len(dl)
        out = {}
        for t in terms:
            p = post.get(t)
            if not p:
                continue
            df = len(p)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            for seq, e in p.items():
                tf = e[0]
                s = idf * tf * _K1_PLUS_1 / (tf + K1 * (1 - B + B * dl[seq] / avgdl))
                old = out.get(seq)
                if old is None or s > old:
                    out[seq] = s
        return out

    def phrase_tf(self, field, tokens, rel):
        """{seq: weighted occurrences} of a phrase in a field."""
        post = self.post.get(field)
        if not post:
            return {}
        lists = []
        for t in tokens:
            p = post.get(t)
            if not p:
                return {}
            lists.append(p)
        smallest = min(lists, key=len)
        cand = set(smallest)
        for p in lists:
            if p is not smallest:
                cand.intersection_update(p.keys())
                if not cand:
                    return {}
        width = rel[-1]
        default = field == DEFAULT_FIELD
        out = {}
        for seq in cand:
            first = lists[0][seq][1]
            others = [(rel[i], set(lists[i][seq][1])) for i in range(1, len(lists))]
            span = self.by_seq[seq].span if default else 0
            tf = 0
            for s in first:
                ok = True
                for r, ps in others:
                    if s + r not in ps:
                        ok = False
                        break
                if not ok:
                    continue
                if default and s < span:
                    if s + width >= span:
                        continue  # across the title's end
                    tf += TITLE_WEIGHT
                else:
                    tf += 1
            if tf:
                out[seq] = tf
        return out

    def phrase_scores(self, field, tokens, rel):
        f = self._field(field)
        if f is None:
            return {}
        post, dl, avgdl = f
        n = len(dl)
        idf = 0.0
        for t in tokens:
            p = post.get(t)
            if not p:
                return {}
            df = len(p)
            idf += math.log(1 + (n - df + 0.5) / (df + 0.5))
        out = {}
        for seq, tf in self.phrase_tf(field, tokens, rel).items():
            out[seq] = idf * tf * _K1_PLUS_1 / (tf + K1 * (1 - B + B * dl[seq] / avgdl))
        return out

    def clause_docs(self, c):
        """The seqs of the documents an exclusion clause matches."""
        if c.kind == "term":
            post = self.post.get(c.field)
            p = post.get(c.tokens[0]) if post else None
            return p.keys() if p else ()
        return self.phrase_tf(c.field, c.tokens, c.positions).keys()

    def search(self, query, limit, mode_and, fuzzy, prefix, offset):
        if limit == 0 or offset >= len(self.by_seq):
            return []
        clauses = _parse(query, self.known, self.an)
        positive = [c for c in clauses if not c.exclude]
        if not positive:
            return []
        scores = []
        for c in positive:
            if c.kind == "phrase":
                scores.append(self.phrase_scores(c.field, c.tokens, c.positions))
            elif fuzzy or prefix:
                post = self.post.get(c.field) or {}
                scores.append(self.term_scores(c.field, _widen(post, c.tokens[0], fuzzy,
                                                                prefix)))
            else:
                scores.append(self.term_scores(c.field, c.tokens))
        if mode_and:
            smallest = min(scores, key=len)
            cand = set(smallest)
            for m in scores:
                if m is not smallest:
                    cand.intersection_update(m.keys())
        else:
            cand = set()
            for m in scores:
                cand.update(m.keys())
        for c in clauses:
            if c.exclude and cand:
                cand.difference_update(self.clause_docs(c))
        ranked = []
        for seq in cand:
            s = 0.0
            for m in scores:
                v = m.get(seq)
                if v is not None:
                    s += v
            ranked.append((-s, seq))
        ranked.sort()
        by_seq = self.by_seq
        return [Hit(by_seq[seq].doc_id, -ns) for ns, seq in ranked[offset:offset + limit]]


# --- files ----------------------------------------------------------------------------

_MANIFEST_MAGIC = b"HPSRCHM1"
_SEGMENT_MAGIC = b"HPSRCHS1"
_VERSION = 1
_KIND_DOCS = 1
_SEGMENT_NAME = re.compile(r"seg-[0-9a-f]{16}\.hps\Z")
_STRAY = re.compile(r"(seg-.*\.hps|\.(MANIFEST|seg-.*\.hps)\.[A-Za-z0-9]{6})\Z", re.S)
_OPEN_ATTEMPTS = 8

_Manifest = namedtuple("_Manifest", "options generation next_seq segments")
_SegmentEntry = namedtuple("_SegmentEntry", "name size crc deleted")


class _Segment:
    __slots__ = ("name", "size", "crc", "count")

    def __init__(self, name, size, crc, count):
        self.name, self.size, self.crc, self.count = name, size, crc, count


def _corrupt(path, why):
    return HotpathValueError("index file '%s' is corrupt: %s" % (path, why), ECORRUPT)


class _Reader:
    """A bounds-checked little-endian cursor; failures are the file's ECORRUPT."""

    __slots__ = ("data", "at", "path")

    def __init__(self, data, path, at=0):
        self.data, self.at, self.path = data, at, path

    def need(self, n):
        if len(self.data) - self.at < n:
            raise _corrupt(self.path, "truncated")

    def u32(self):
        self.need(4)
        (v,) = struct.unpack_from("<I", self.data, self.at)
        self.at += 4
        return v

    def u64(self):
        self.need(8)
        (v,) = struct.unpack_from("<Q", self.data, self.at)
        self.at += 8
        return v

    def bytes(self, n):
        self.need(n)
        v = self.data[self.at:self.at + n]
        self.at += n
        return v

    def text(self):
        raw = self.bytes(self.u32())
        try:
            return bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            raise _corrupt(self.path, "a string is not valid UTF-8") from None

    def left(self):
        return len(self.data) - self.at


def _parse_manifest(data, path):
    if len(data) < 12 or data[:8] != _MANIFEST_MAGIC:
        raise _corrupt(path, "not a hotpath index manifest")
    (crc,) = struct.unpack_from("<I", data, len(data) - 4)
    if zlib.crc32(memoryview(data)[:-4]) != crc:
        raise _corrupt(path, "manifest checksum mismatch")
    r = _Reader(memoryview(data)[:-4], path, 8)
    if r.u32() != _VERSION:
        raise _corrupt(path, "unknown manifest version")
    options = r.u32()
    if options & ~0xFF01 or (options >> 8) & 0xFF not in _STEMMER_NAMES:
        raise _corrupt(path, "unknown options")
    generation = r.u64()
    next_seq = r.u64()
    count = r.u32()
    if count > r.left() // 20:
        raise _corrupt(path, "bad segment count")
    segments = []
    names = set()
    for _ in range(count):
        name_len = r.u32()
        raw = bytes(r.bytes(name_len))
        size = r.u64()
        file_crc = r.u32()
        deleted_count = r.u32()
        if deleted_count > r.left() // 4:
            raise _corrupt(path, "bad deletion count")
        deleted = struct.unpack_from("<%dI" % deleted_count, r.bytes(4 * deleted_count))
        name = raw.decode("ascii", "replace")
        if not _SEGMENT_NAME.match(name) or name in names:
            raise _corrupt(path, "bad segment file name")
        names.add(name)
        for k in range(1, deleted_count):
            if deleted[k] <= deleted[k - 1]:
                raise _corrupt(path, "bad deleted document number")
        segments.append(_SegmentEntry(name, size, file_crc, deleted))
    if r.left():
        raise _corrupt(path, "bytes after the segment list")
    return _Manifest(options, generation, next_seq, segments)


def _parse_segment(data, path):
    """The records [(seq, doc_id, title, text, fields)] of a segment file."""
    if len(data) < 16 or data[:8] != _SEGMENT_MAGIC:
        raise _corrupt(path, "not a hotpath index segment")
    version, count = struct.unpack_from("<II", data, 8)
    if version != _VERSION:
        raise _corrupt(path, "unknown segment version")
    table_end = 16 + 24 * count
    if table_end + 4 > len(data):
        raise _corrupt(path, "truncated")
    (header_crc,) = struct.unpack_from("<I", data, table_end)
    view = memoryview(data)
    if zlib.crc32(view[:table_end]) != header_crc:
        raise _corrupt(path, "header checksum mismatch")
    docs = None
    for k in range(count):
        kind, crc, off, length = struct.unpack_from("<IIQQ", data, 16 + 24 * k)
        if off % 8 or off < table_end + 4 or off > len(data) or length > len(data) - off:
            raise _corrupt(path, "a section lies outside the file")
        if zlib.crc32(view[off:off + length]) != crc:
            raise _corrupt(path, "section checksum mismatch")
        if kind == _KIND_DOCS:
            if docs is not None:
                raise _corrupt(path, "a section appears twice")
            docs = view[off:off + length]
    if docs is None:
        raise _corrupt(path, "no documents section")
    return _parse_docs(docs, path)


def _parse_docs(sec, path):
    r = _Reader(sec, path)
    doc_count = r.u32()
    blocks = r.u32()
    if blocks != (doc_count + _BLOCK_RECORDS - 1) // _BLOCK_RECORDS:
        raise _corrupt(path, "wrong number of stored blocks")
    r.need(8 * (blocks + 1))
    offsets = struct.unpack_from("<%dQ" % (blocks + 1), sec, 8)
    head = 8 + 8 * (blocks + 1)
    if offsets[0] != head or offsets[-1] != len(sec):
        raise _corrupt(path, "bad stored block offsets")
    records = []
    for b in range(blocks):
        lo, hi = offsets[b], offsets[b + 1]
        if hi < lo:
            raise _corrupt(path, "bad stored block offsets")
        z = zlib.decompressobj()
        try:
            raw = z.decompress(sec[lo:hi])
        except zlib.error:
            raise _corrupt(path, "a stored block does not decompress") from None
        if not z.eof:
            raise _corrupt(path, "a stored block is truncated")
        if z.unused_data:
            raise _corrupt(path, "bytes after a stored block")
        want = min(_BLOCK_RECORDS, doc_count - b * _BLOCK_RECORDS)
        rr = _Reader(raw, path)
        for _ in range(want):
            seq = rr.u64()
            doc_id = rr.text()
            title = rr.text()
            text = rr.text()
            nf = rr.u32()
            if nf > rr.left() // 8:
                raise _corrupt(path, "bad field count in a stored document")
            fields = {}
            for _ in range(nf):
                name = rr.text()
                value = rr.text()
                if not _IDENTIFIER.match(name) or name == "title" or name in fields:
                    raise _corrupt(path, "bad field name in a stored document")
                fields[name] = value
            if records and seq <= records[-1][0]:
                raise _corrupt(path, "documents out of order")
            records.append((seq, doc_id, title, text, fields))
        if rr.left():
            raise _corrupt(path, "bytes after the stored documents")
    return records


def _put_str(buf, s):
    raw = s.encode("utf-8")
    buf += struct.pack("<I", len(raw))
    buf += raw


def _segment_bytes(docs):
    """A segment file holding the documents section of docs (in seq order)."""
    blocks = []
    for k in range(0, len(docs), _BLOCK_RECORDS):
        raw = bytearray()
        for d in docs[k:k + _BLOCK_RECORDS]:
            raw += struct.pack("<Q", d.seq)
            _put_str(raw, d.doc_id)
            _put_str(raw, d.title)
            _put_str(raw, d.text)
            raw += struct.pack("<I", len(d.fields))
            for name, value in d.fields.items():
                _put_str(raw, name)
                _put_str(raw, value)
        blocks.append(zlib.compress(bytes(raw)))
    offsets = [8 + 8 * (len(blocks) + 1)]
    for b in blocks:
        offsets.append(offsets[-1] + len(b))
    section = b"".join([struct.pack("<II", len(docs), len(blocks)),
                        struct.pack("<%dQ" % len(offsets), *offsets)] + blocks)
    header_end = 16 + 24 + 4
    at = (header_end + 7) & ~7
    header = _SEGMENT_MAGIC + struct.pack("<II", _VERSION, 1) + struct.pack(
        "<IIQQ", _KIND_DOCS, zlib.crc32(section), at, len(section))
    header += struct.pack("<I", zlib.crc32(header))
    return header + b"\0" * (at - len(header)) + section


def _manifest_bytes(options, generation, next_seq, segments):
    parts = [_MANIFEST_MAGIC, struct.pack("<IIQQI", _VERSION, options, generation, next_seq,
                                          len(segments))]
    for name, size, crc, deleted in segments:
        raw = name.encode("ascii")
        parts.append(struct.pack("<I", len(raw)))
        parts.append(raw)
        parts.append(struct.pack("<QII", size, crc, len(deleted)))
        parts.append(struct.pack("<%dI" % len(deleted), *deleted))
    body = b"".join(parts)
    return body + struct.pack("<I", zlib.crc32(body))


def _options_word(stopwords, stemmer):
    return (1 if stopwords else 0) | (_STEMMER_CODES[stemmer] << 8)


class _Known:
    """The searchable named fields of an index, for highlight_text."""

    __slots__ = ("state",)

    def __init__(self, state):
        self.state = state

    def __contains__(self, name):
        return self.state.known(name)

    def __bool__(self):
        return True


# --- the index ----------------------------------------------------------------------

class Index:
    """A BM25 full-text index in memory (path None) or in a folder (docs/search.md).

    The index sees its own uncommitted changes; commit() makes them durable and
    visible to later opens; close() (or leaving a with block) drops what was not
    committed.  The first change takes the folder's writer lock, held until close().
    Safe to share between threads (one lock around every operation)."""

    def __init__(self, path=None, stopwords=None, stemmer=None):
        raw, stop, stem = index_args(path, stopwords, stemmer)
        self._lock = threading.RLock()
        self._closed = True
        self._raw = raw
        self._path = None if raw is None else os.fsdecode(raw)
        self._want = (stop, stem)
        self._lock_fd = None
        self._manifest = None
        self._generation = 0
        self._segments = []
        self._pending = 0
        if raw is None:
            self._state = _State(_analyzer(bool(stop), stem))
        else:
            self._make_folder()
            self._state = self._committed_state(self._load())
        self._closed = False

    # --- lifetime ---

    def close(self):
        """Releases the index and its writer lock; uncommitted changes are dropped."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._state = None
            self._segments = []
            self._unlock()

    def __del__(self):
        try:
            self._unlock()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        if self._closed:
            return "<hotpath.search.Index (closed)>"
        where = "in memory" if self._path is None else repr(self._path)
        return "<hotpath.search.Index %s, %d documents>" % (where, len(self._state.by_id))

    def _live(self):
        if self._closed:
            raise closed_error()
        return self._state

    @property
    def path(self):
        return self._path

    # --- changes ---

    def add(self, doc_id, text, title=None, fields=None):
        """Adds one document; ValueError when doc_id is already in the index."""
        self._add([_one_doc(doc_id, text, title, fields)], False)

    def add_many(self, docs):
        """Adds documents, tuples (doc_id, text[, title[, fields]]) or dicts with keys
        doc_id, text, title, fields; all or nothing (an id already present or given
        twice is a ValueError and nothing is added)."""
        self._add(docs_arg(docs), False)

    def update(self, doc_id, text, title=None, fields=None):
        """Replaces the document doc_id (or adds it); a replacement is a new insertion."""
        self._add([_one_doc(doc_id, text, title, fields)], True)

    def _add(self, docs, replace):
        with self._lock:
            self._live()
            if not docs:
                return
            self._writer()
            st = self._state
            batch = set()
            for doc_id, _, _, _ in docs:
                if doc_id in batch:
                    raise HotpathValueError("document id '%.200s' appears twice in the batch"
                                            % doc_id, EINVAL)
                batch.add(doc_id)
                if not replace and doc_id in st.by_id:
                    raise HotpathValueError("document id '%.200s' is already in the index"
                                            % doc_id, EINVAL)
            for doc_id, text, title, fields in docs:
                old = st.by_id.get(doc_id)
                if old is not None:
                    st.delete(old)
                st.insert(doc_id, text, title, fields)
            self._pending += len(docs)

    def remove(self, doc_id):
        """Removes doc_id; KeyError when it is absent."""
        doc_id = id_arg(doc_id)
        with self._lock:
            self._live()
            if doc_id not in self._state.by_id:
                raise KeyError(doc_id)
            self._writer()
            st = self._state
            doc = st.by_id.get(doc_id)
            if doc is None:
                raise KeyError(doc_id)
            st.delete(doc)
            self._pending += 1

    def commit(self):
        """Makes every change durable and atomic: one new segment file with the
        documents added since the last commit, then the new MANIFEST, each written
        and synced before it is renamed; then the files no manifest names are removed.
        In memory there is nothing to write."""
        with self._lock:
            self._live()
            if self._raw is None:
                self._pending = 0
                return
            if self._pending == 0 and self._manifest is not None:
                return
            self._writer()
            if self._pending == 0 and self._manifest is not None:
                return
            self._commit()

    # --- reading ---

    def __len__(self):
        with self._lock:
            return len(self._live().by_id)

    def __contains__(self, doc_id):
        if not isinstance(doc_id, str):
            return False
        with self._lock:
            return doc_id in self._live().by_id

    @property
    def doc_ids(self):
        """The ids of the documents in insertion order."""
        with self._lock:
            return [d.doc_id for d in self._live().by_seq.values()]

    def get(self, doc_id):
        """{"doc_id", "text", "title", "fields"} of a document; KeyError when absent."""
        doc_id = id_arg(doc_id)
        with self._lock:
            d = self._live().by_id.get(doc_id)
            if d is None:
                raise KeyError(doc_id)
            return stored_dict(d.doc_id, d.text, d.title, d.fields)

    def stats(self):
        """{"documents", "pending", "segments", "bytes", "fields", "stopwords", "stemmer",
        "path"}; fields: {name: {"documents", "average_length"}} of the fields that some
        live document has a token in ("" is the default field)."""
        with self._lock:
            st = self._live()
            fields = {}
            for name in sorted(st.dl, key=lambda f: (f != DEFAULT_FIELD, f != "title", f)):
                n = len(st.dl[name])
                if n:
                    fields[name] = {"documents": n, "average_length": st.total[name] / n}
            on_disk = self._raw is not None
            return {"documents": len(st.by_id), "pending": self._pending,
                    "segments": len(self._segments) if on_disk else 0,
                    "bytes": sum(s.size for s in self._segments) if on_disk else 0,
                    "fields": fields, "stopwords": st.an.stopwords, "stemmer": st.an.stemmer,
                    "path": self._path}

    # --- queries ---

    def search(self, query, limit=10, mode="or", fuzzy=0, prefix=False, offset=0):
        """The best hits of query: [Hit(doc_id, score)], best first (ties: insertion
        order), from rank offset on, at most limit."""
        query, limit, mode_and, fuzzy, prefix, offset = query_args(
            query, limit, mode, fuzzy, prefix, offset)
        with self._lock:
            return self._live().search(query, limit, mode_and, fuzzy, prefix, offset)

    def search_many(self, queries, limit=10, mode="or", fuzzy=0, prefix=False, offset=0):
        """[search(q, ...) for q in queries]."""
        queries = queries_arg(queries)
        _, limit, mode_and, fuzzy, prefix, offset = query_args(
            "", limit, mode, fuzzy, prefix, offset)
        with self._lock:
            st = self._live()
            return [st.search(q, limit, mode_and, fuzzy, prefix, offset) for q in queries]

    def _marking(self, doc_id):
        doc_id = id_arg(doc_id)
        with self._lock:
            st = self._live()
            d = st.by_id.get(doc_id)
            if d is None:
                raise KeyError(doc_id)
            return d.text, st.an, _Known(st)

    def highlight(self, doc_id, query, start="<b>", end="</b>"):
        """The document's text with the words that match query marked."""
        text, an, known = self._marking(doc_id)
        return highlight_text(text, query, an.stopwords, an.stemmer, start, end, known)

    def snippet(self, doc_id, query, words=24, start="<b>", end="</b>", ellipsis="..."):
        """The passage of `words` tokens of the document's text that holds the most
        matched clauses, marked as highlight() marks them."""
        text, an, known = self._marking(doc_id)
        return snippet_text(text, query, an.stopwords, an.stemmer, words, start, end,
                            ellipsis, known)

    # --- the folder ---

    def _file(self, name):
        return os.path.join(self._path, name)

    def _make_folder(self):
        try:
            os.makedirs(self._raw, exist_ok=True)
        except FileExistsError:
            pass
        except OSError as exc:
            raise os_error("cannot create index folder '%s': %s"
                           % (self._path, os.strerror(exc.errno)), exc.errno, self._raw) from None
        if not os.path.isdir(self._raw):
            raise os_error("cannot open index '%s': not a folder" % self._path,
                           _errno.ENOTDIR, self._raw)

    def _read(self, name, missing_ok):
        path = self._file(name)
        try:
            with open(path, "rb") as f:
                return f.read()
        except FileNotFoundError:
            if missing_ok:
                return None
            raise
        except OSError as exc:
            raise os_error("cannot read '%s': %s" % (path, os.strerror(exc.errno or 0)),
                           exc.errno, path) from None

    def _read_segment(self, entry):
        path = self._file(entry.name)
        try:
            data = self._read(entry.name, False)
        except FileNotFoundError:
            raise HotpathValueError("index '%s' is corrupt: segment '%s' is missing"
                                    % (self._path, entry.name), ECORRUPT) from None
        if len(data) != entry.size:
            raise HotpathValueError("index file '%s' is corrupt: its size is not the one "
                                    "committed" % path, ECORRUPT)
        if zlib.crc32(data) != entry.crc:
            raise HotpathValueError("index file '%s' is corrupt: checksum mismatch" % path,
                                    ECORRUPT)
        records = _parse_segment(data, path)
        if entry.deleted and entry.deleted[-1] >= len(records):
            raise _corrupt(self._file("MANIFEST"), "bad deleted document number")
        return records

    def _load(self):
        """(manifest bytes, manifest, [(entry, records)]) of the committed state, None
        for a folder without a MANIFEST.  A commit by another process may remove the
        segments of the manifest just read: then the new manifest is read."""
        for attempt in range(_OPEN_ATTEMPTS):
            raw = self._read("MANIFEST", True)
            if raw is None:
                return None
            m = _parse_manifest(raw, self._file("MANIFEST"))
            try:
                return raw, m, [(e, self._read_segment(e)) for e in m.segments]
            except HotpathValueError as exc:
                if exc.status != ECORRUPT or attempt + 1 == _OPEN_ATTEMPTS:
                    raise
                if self._read("MANIFEST", True) == raw:
                    raise
        raise AssertionError("unreachable")

    def _committed_state(self, loaded):
        """A _State of what _load read (and the bookkeeping of the files), after
        checking the requested options against the stored ones."""
        want_stop, want_stem = self._want
        if loaded is None:
            an = _analyzer(bool(want_stop), want_stem)
            self._manifest, self._generation, self._segments = None, 0, []
            return _State(an)
        raw, m, segments = loaded
        stop, stem = bool(m.options & 1), _STEMMER_NAMES[(m.options >> 8) & 0xFF]
        if (want_stop is not None and want_stop != stop) or \
                (want_stem is not None and want_stem != stem):
            raise HotpathValueError(
                "index '%s' was created with stopwords=%s, stemmer=%s; it cannot be opened "
                "with other analyzer options" % (self._path, stop, repr(stem)), EINVAL)
        st = _State(_analyzer(stop, stem), m.next_seq)
        live = []
        seqs = set()
        kept = []
        for entry, records in segments:
            seg = _Segment(entry.name, entry.size, entry.crc, len(records))
            kept.append(seg)
            deleted = set(entry.deleted)
            for local, rec in enumerate(records):
                seq = rec[0]
                if seq >= m.next_seq or seq in seqs:
                    raise _corrupt(self._file(entry.name), "a sequence number is out of range "
                                   "or repeated")
                seqs.add(seq)
                if local not in deleted:
                    live.append((seq, local, seg, rec))
        live.sort(key=lambda x: x[0])
        for seq, local, seg, (_, doc_id, title, text, fields) in live:
            if doc_id in st.by_id:
                raise HotpathValueError("index '%s' is corrupt: a document id appears twice"
                                        % self._path, ECORRUPT)
            st.insert(doc_id, text, title, fields, seq, seg, local)
        self._manifest, self._generation, self._segments = raw, m.generation, kept
        return st

    def _writer(self):
        """Takes the folder's writer lock at the first change.  A commit made by
        another writer since this index was read is loaded first (nothing is pending
        before the lock is taken), so that it is never overwritten."""
        if self._raw is None or self._lock_fd is not None:
            return
        try:
            import fcntl
        except ImportError:  # no flock on this system: one writer is the caller's rule
            self._lock_fd = -1
            return
        path = self._file("LOCK")
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            raise os_error("cannot open '%s': %s" % (path, os.strerror(exc.errno)),
                           exc.errno, path) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            e = exc.errno
            if e in (_errno.EWOULDBLOCK, _errno.EAGAIN):
                e = _errno.EWOULDBLOCK
            raise os_error("index '%s' is locked by another writer" % self._path, e,
                           self._raw) from None
        try:
            if self._read("MANIFEST", True) != self._manifest:
                self._state = self._committed_state(self._load())
        except BaseException:
            os.close(fd)
            raise
        self._lock_fd = fd

    def _unlock(self):
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None and fd >= 0:
            os.close(fd)  # closing the only descriptor releases the flock

    def _write(self, name, data):
        out = OutputFile(os.path.join(self._raw, os.fsencode(name)), 0o644, durable=True)
        try:
            out.write(data)
            out.commit()
        except BaseException:
            out.discard()
            raise

    def _commit(self):
        st = self._state
        new = [d for d in st.by_seq.values() if d.seg is None]
        live = {}
        for d in st.by_seq.values():
            if d.seg is not None:
                live.setdefault(d.seg.name, set()).add(d.local)
        kept = []
        for seg in self._segments:
            locals_ = live.get(seg.name)
            if locals_:  # a segment whose every document is deleted is dropped
                kept.append((seg, [i for i in range(seg.count) if i not in locals_]))
        # The generation numbers segment files: the next one is named with it, and
        # names below it are never reused, so a commit never rewrites a file that the
        # manifest on disk may still name.
        generation = self._generation
        entries = [(seg.name, seg.size, seg.crc, deleted) for seg, deleted in kept]
        added = None
        if new:
            taken = {seg.name for seg in self._segments}
            while generation < _U64_LIMIT and "seg-%016x.hps" % generation in taken:
                generation += 1
            if generation >= _U64_LIMIT - 1:
                raise HotpathValueError("index '%s' has no segment names left" % self._path,
                                        EOVERFLOW)
            name = "seg-%016x.hps" % generation
            generation += 1
            data = _segment_bytes(new)
            self._write(name, data)
            added = _Segment(name, len(data), zlib.crc32(data), len(new))
            entries.append((name, added.size, added.crc, ()))
        an = st.an
        manifest = _manifest_bytes(_options_word(an.stopwords, an.stemmer), generation,
                                   st.next_seq, entries)
        self._write("MANIFEST", manifest)
        # Committed: the bookkeeping follows the files.
        for local, d in enumerate(new):
            d.seg, d.local = added, local
        self._segments = [seg for seg, _ in kept] + ([added] if added else [])
        self._generation = generation
        self._manifest = manifest
        self._pending = 0
        self._sweep({seg.name for seg in self._segments})

    def _sweep(self, keep):
        """Removes the segment files no manifest names and writers' leftovers; a file
        that cannot be removed now is removed by a later commit."""
        try:
            names = os.listdir(self._path)
        except OSError:
            return
        for name in names:
            if name not in keep and _STRAY.match(name):
                try:
                    os.unlink(self._file(name))
                except OSError:
                    pass


# --- indexing a folder ------------------------------------------------------------------

def index_directory(root, pattern="*.md", path=None, recursive=True, index_class=None,
                    **index_options):
    """An open Index (in memory, or in the folder path, committed) holding exactly the
    files under root that match pattern (hotpath.files.audit rules): doc_id is the
    file's path relative to root as audit gives it, text its content (bytes that are
    not UTF-8 become U+FFFD), no title.  An existing index at path is brought up to
    date: files that are new are added, changed ones updated, unchanged ones kept
    (with their insertion order), and documents whose file is gone removed.  Files
    that cannot be read, and names that are not UTF-8, are skipped (audit lists the
    first in its errors)."""
    from . import files

    result = files.audit(root, pattern, recursive=recursive)
    records = []
    for r in result:
        try:
            r.path.encode("utf-8")
        except UnicodeEncodeError:
            continue
        records.append(r)
    paths = [result.absolute(r) for r in records]
    contents = files.read_files(paths) if paths else {}
    docs = []
    for r, p in zip(records, paths):
        content = contents.get(p)
        if content is not None:
            docs.append((r.path, bytes(content).decode("utf-8", "replace")))
    cls = Index if index_class is None else index_class
    index = cls(path, **index_options)
    try:
        present = set(index.doc_ids)
        wanted = {doc_id for doc_id, _ in docs}
        for doc_id in sorted(present - wanted):
            index.remove(doc_id)
        new = []
        for doc_id, text in docs:
            if doc_id not in present:
                new.append((doc_id, text))
                continue
            old = index.get(doc_id)
            if old["text"] != text or old["title"] or old["fields"]:
                index.update(doc_id, text)
        index.add_many(new)
        index.commit()
    except BaseException:
        index.close()
        raise
    return index
