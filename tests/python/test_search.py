"""hotpath.search on every backend.

- golden rankings of five memory notes and of small Unicode corpora, written by hand
  from docs/search.md;
- BM25 scores computed in the test from the formula of docs/search.md;
- the analyzer (search.analyze), with the Snowball English outputs checked against the
  snowballstemmer package when it is importable;
- an oracle: random corpora and queries, the module against its pure-Python twin and
  against RefIndex below, an independent brute-force re-statement of the rules of
  docs/search.md (analyzer, query syntax, BM25, ranking); top-k against an exhaustive
  ranking;
- the API and its errors, threads;
- the files: the MANIFEST and segment layouts parsed and written from the
  specification, reopen, lost uncommitted changes, stored options, corruption and the
  writer lock.
"""
import errno
import math
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import threading
import unicodedata
import zlib

import pytest

from hotpath import HotpathError, HotpathOSError, HotpathTypeError, HotpathValueError
from hotpath import _errors
from hotpath import search

K1 = 1.2
B = 0.75
STOP_WORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their "
    "then there these they this to was will with".split())
IDEOGRAPHIC = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
               (0xF900, 0xFAFF), (0x20000, 0x3FFFF))
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
WIDEN_CAP = 128


# --- an independent re-statement of docs/search.md ---------------------------------------

_SNOWBALL = []


def snowball():
    """The Snowball English stemmer of the snowballstemmer package, or None."""
    if not _SNOWBALL:
        try:
            import snowballstemmer
        except ImportError:
            _SNOWBALL.append(None)
        else:
            _SNOWBALL.append(snowballstemmer.stemmer("english"))
    return _SNOWBALL[0]


_STEMS = {}


def snowball_stem(word):
    stem = _STEMS.get(word)
    if stem is None:
        stem = _STEMS[word] = snowball().stemWord(word)
    return stem


def ref_analyze(text, stopwords=False, stemmer=None):
    """[(token, position)]: NFKC, full case folding, runs of L/N/M characters, one token
    per ideographic character, stop words dropped with their positions kept, stems."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    tokens, run = [], []
    for ch in folded:
        cp = ord(ch)
        if any(lo <= cp <= hi for lo, hi in IDEOGRAPHIC):
            if run:
                tokens.append("".join(run))
                run = []
            tokens.append(ch)
        elif unicodedata.category(ch)[0] in "LNM":
            run.append(ch)
        elif run:
            tokens.append("".join(run))
            run = []
    if run:
        tokens.append("".join(run))
    out = [(t, p) for p, t in enumerate(tokens)]
    if stopwords:
        out = [(t, p) for t, p in out if t not in STOP_WORDS]
    if stemmer:
        out = [(snowball_stem(t), p) for t, p in out]
    return out


def levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def bm25(idf, tf, dl, avgdl):
    return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl))


def bm25_idf(n, df):
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


class RefIndex(object):
    """Brute force over every live document for every query."""

    def __init__(self, stopwords=False, stemmer=None):
        self.stopwords = stopwords
        self.stemmer = stemmer
        self.docs = {}   # doc_id -> (seq, {field: {"len", "tf", "segs"}})
        self.raw = {}    # doc_id -> (text, title, fields)
        self.seq = 0

    def _field(self, parts):
        segs, tf, length = [], {}, 0
        for weight, text in parts:
            toks = ref_analyze(text, self.stopwords, self.stemmer)
            positions = {}
            for t, p in toks:
                positions.setdefault(t, set()).add(p)
                tf[t] = tf.get(t, 0) + weight
            length += weight * len(toks)
            segs.append((weight, positions))
        return {"len": length, "tf": tf, "segs": segs}

    def put(self, doc_id, text, title=None, fields=None):
        """add or update: a new insertion."""
        title = title or ""
        fields = dict(fields or {})
        # The default field: title tokens (weight 2), then the text; no phrase across.
        entry = {"": self._field([(2, title), (1, text)]), "title": self._field([(1, title)])}
        for name, value in fields.items():
            entry[name] = self._field([(1, value)])
        self.docs.pop(doc_id, None)
        self.docs[doc_id] = (self.seq, entry)
        self.raw[doc_id] = (text, title, fields)
        self.seq += 1

    def remove(self, doc_id):
        del self.docs[doc_id]
        del self.raw[doc_id]

    def seq_of(self, doc_id):
        return self.docs[doc_id][0]

    def field_stats(self, field):
        """(N_f, avgdl_f, {term: df_f})."""
        n = total = 0
        df = {}
        for _, entry in self.docs.values():
            f = entry.get(field)
            if f is None or f["len"] == 0:
                continue
            n += 1
            total += f["len"]
            for t in f["tf"]:
                df[t] = df.get(t, 0) + 1
        return n, (total / n if n else 0.0), df

    def parse(self, query):
        """[(negative, field, ((token, relative position), ...))] in order, deduplicated."""
        named = set()
        for _, entry in self.docs.values():
            named.update(entry)
        named.discard("")
        clauses, seen = [], set()
        i, n = 0, len(query)
        while i < n:
            if query[i].isspace():
                i += 1
                continue
            negative = query[i] == "-"
            if negative:
                i += 1
                if i == n or query[i].isspace():
                    continue
            field = ""
            if query[i] == '"':
                end = query.find('"', i + 1)
                if end < 0:
                    end = n
                body = query[i + 1:end]
                i = end + 1
            else:
                end = i
                while end < n and not query[end].isspace():
                    end += 1
                body = query[i:end]
                i = end
                name, colon, rest = body.partition(":")
                if colon and rest and IDENTIFIER.match(name) and (name == "title" or name in named):
                    field, body = name, rest
            toks = ref_analyze(body, self.stopwords, self.stemmer)
            if not toks:
                continue
            first = toks[0][1]
            key = (negative, field, tuple((t, p - first) for t, p in toks))
            if key not in seen:
                seen.add(key)
                clauses.append(key)
        return clauses

    def ranking(self, query, mode="or", fuzzy=0, prefix=False):
        """Every hit, best first: [(doc_id, score)]."""
        clauses = self.parse(query)
        if all(negative for negative, _, _ in clauses):
            return []
        stats = {}
        prepared = []
        for negative, field, toks in clauses:
            if field not in stats:
                stats[field] = self.field_stats(field)
            n, avgdl, df = stats[field]
            if len(toks) == 1:
                term = toks[0][0]
                terms = [term]
                if not negative and (fuzzy or prefix):
                    terms = [u for u in df if u == term or (prefix and u.startswith(term))
                             or (fuzzy and levenshtein(u, term) <= fuzzy)]
                    terms.sort(key=lambda u: (-df[u], u))
                    terms = terms[:WIDEN_CAP]
                idfs = {t: bm25_idf(n, df[t]) for t in terms if t in df}
                prepared.append((negative, field, None, idfs, avgdl))
            else:
                if all(t in df for t, _ in toks):
                    idf = sum(bm25_idf(n, df[t]) for t, _ in toks)
                else:
                    idf = None
                prepared.append((negative, field, toks, idf, avgdl))
        hits = []
        for doc_id, (seq, entry) in self.docs.items():
            score, any_hit, all_hit, excluded = 0.0, False, True, False
            for negative, field, toks, idf, avgdl in prepared:
                s = self._clause_score(entry.get(field), toks, idf, avgdl)
                if negative:
                    if s is not None:
                        excluded = True
                        break
                elif s is None:
                    all_hit = False
                else:
                    any_hit = True
                    score += s
            if excluded or not any_hit or (mode == "and" and not all_hit):
                continue
            hits.append((doc_id, score, seq))
        hits.sort(key=lambda h: (-h[1], h[2]))
        return [(d, s) for d, s, _ in hits]

    @staticmethod
    def _clause_score(f, toks, idf, avgdl):
        if f is None or f["len"] == 0:
            return None
        if toks is None:  # a term, possibly widened: the best of its terms present
            best = None
            for t, term_idf in idf.items():
                tf = f["tf"].get(t)
                if tf:
                    s = bm25(term_idf, tf, f["len"], avgdl)
                    if best is None or s > best:
                        best = s
            return best
        if idf is None:
            return None
        occurrences = 0
        for weight, positions in f["segs"]:
            sets = [positions.get(t) for t, _ in toks]
            if any(s is None for s in sets):
                continue
            for p in sets[0]:
                if all(p + rel in s for (_, rel), s in zip(toks[1:], sets[1:])):
                    occurrences += weight
        return bm25(idf, occurrences, f["len"], avgdl) if occurrences else None

    def search(self, query, limit=10, mode="or", fuzzy=0, prefix=False, offset=0):
        return self.ranking(query, mode, fuzzy, prefix)[offset:offset + limit]


# --- helpers ------------------------------------------------------------------------------

def ids(hits):
    return [h.doc_id for h in hits]


def pairs(hits):
    return [(h.doc_id, h.score) for h in hits]


def close(a, b, rel):
    return abs(a - b) <= rel * max(abs(a), abs(b))


def assert_scores(hits, want, rel=1e-12):
    """hits equal want ([(doc_id, score)]): same ids in the same order, close scores."""
    got = pairs(hits)
    assert [d for d, _ in got] == [d for d, _ in want], (got, want)
    for (d, s), (_, w) in zip(got, want):
        assert close(s, w, rel), (d, s, w)


def check_against_reference(got, ranking, offset, limit, seq_of, context):
    """got ([(doc_id, score)]) is ranking[offset:offset + limit] up to the order among
    reference scores within 1e-12 of each other; exact ties in got in insertion order."""
    want = ranking[offset:offset + limit]
    assert len(got) == len(want), (context, got, want)
    group, g = [], 0
    for i, (_, s) in enumerate(ranking):
        if i and not close(s, ranking[i - 1][1], 1e-12):
            g += 1
        group.append(g)
    where = {d: (s, group[i]) for i, (d, s) in enumerate(ranking)}
    assert len({d for d, _ in got}) == len(got), (context, got)
    for k, (d, s) in enumerate(got):
        assert d in where, (context, d, got, want)
        ref_score, ref_group = where[d]
        assert ref_group == group[offset + k], (context, k, got, want)
        assert close(s, ref_score, 1e-9), (context, d, s, ref_score)
    for (d1, s1), (d2, s2) in zip(got, got[1:]):
        assert s1 > s2 or (s1 == s2 and seq_of(d1) < seq_of(d2)), (context, got)


def unsupported(exc):
    return isinstance(exc, HotpathError) and exc.status == _errors.EUNSUPPORTED


@pytest.fixture(scope="module")
def stemming():
    """Skips the test when this backend has no Snowball English stemmer."""
    try:
        search.analyze("running", stemmer="english")
    except HotpathError as exc:
        if unsupported(exc):
            pytest.skip("no stemmer on this backend: %s" % exc)
        raise


@pytest.fixture(scope="module")
def reference_stemmer():
    if snowball() is None:
        pytest.skip("the snowballstemmer package is not importable")
    return snowball()


# --- golden rankings: five memory notes -----------------------------------------------------

NOTES = [
    ("note-consolidation", "Every night the agent replays the memory of the day and runs "
     "consolidation: similar memories are merged into one note.",
     "Memory consolidation", {"tag": "memory"}),
    ("note-ethics", "Dharma guides the agent. Ethical boundaries are never crossed, "
     "whatever a user asks.", "Ethical boundaries", {"tag": "ethics"}),
    ("note-cache", "The cache keeps recent memory entries close; eviction drops the least "
     "recently used entry.", "Cache layer", {"tag": "systems"}),
    ("note-tokyo", "Visited 東京 in spring. The memory of the cherry blossoms stays with "
     "the agent.", "Travel log", {"tag": "travel"}),
    ("note-garden", "Compost consolidation, tomatoes and basil: the garden needs water "
     "every morning.", "Garden", None),
]


def notes_index(path=None, **options):
    index = search.Index(path, **options)
    for doc_id, text, title, fields in NOTES:
        index.add(doc_id, text, title=title, fields=fields)
    return index


def notes_reference(**options):
    ref = RefIndex(**options)
    for doc_id, text, title, fields in NOTES:
        ref.put(doc_id, text, title, fields)
    return ref


@pytest.fixture
def notes():
    index = notes_index()
    yield index
    index.close()


def test_reference_agrees_with_the_hand_checked_goldens():
    # The test's own reference gives the hand-checked rankings used below.
    ref = notes_reference()
    assert [d for d, _ in ref.ranking("memory consolidation")] == [
        "note-consolidation", "note-garden", "note-cache", "note-tokyo"]
    assert [d for d, _ in ref.ranking("ethical boundaries dharma")] == ["note-ethics"]
    assert [d for d, _ in ref.ranking("agent memory", mode="and")] == [
        "note-consolidation", "note-tokyo"]


def test_memory_consolidation_ranks_the_consolidation_note_first(notes):
    # "memory" and "consolidation" are both in the consolidation note's title (each
    # counts twice) and text; the garden note has "consolidation" once, the cache and
    # Tokyo notes "memory" once (the cache note is shorter).
    hits = notes.search("memory consolidation")
    assert ids(hits) == ["note-consolidation", "note-garden", "note-cache", "note-tokyo"]
    assert all(a.score > b.score for a, b in zip(hits, hits[1:]))
    assert ids(notes.search("memory consolidation", mode="and")) == ["note-consolidation"]


def test_ethical_boundaries_dharma_ranks_the_ethics_note_first(notes):
    assert ids(notes.search("ethical boundaries dharma")) == ["note-ethics"]
    assert ids(notes.search("Dharma")) == ["note-ethics"]
    assert ids(notes.search("ETHICAL")) == ["note-ethics"]


def test_phrases(notes):
    assert ids(notes.search('"memory consolidation"')) == ["note-consolidation"]
    assert notes.search('"consolidation memory"') == []
    # Two words that are in one document, not next to each other.
    assert notes.search('"agent memory"') == []
    assert ids(notes.search('"cherry blossoms"')) == ["note-tokyo"]
    # An unterminated quote runs to the end of the query.
    assert ids(notes.search('"cherry blossoms')) == ["note-tokyo"]
    # A term that analyzes to several tokens is a phrase of them.
    assert ids(notes.search("cherry-blossoms")) == ["note-tokyo"]
    assert notes.search("blossoms-cherry") == []
    # No phrase across the title/text boundary: "consolidation Every" would join the
    # title's last word and the text's first word.
    assert notes.search('"consolidation every"') == []
    assert ids(notes.search('"every night"')) == ["note-consolidation"]


def test_and_mode(notes):
    # Both words: the consolidation note (memory three times, in a longer field) first.
    assert ids(notes.search("agent memory", mode="and")) == ["note-consolidation", "note-tokyo"]
    assert len(notes.search("agent memory")) == 4
    assert notes.search("agent garden", mode="and") == []
    assert ids(notes.search('"cherry blossoms" agent', mode="and")) == ["note-tokyo"]
    # A word that no document has: nothing in "and", the rest in "or".
    assert notes.search("dharma zzzz", mode="and") == []
    assert ids(notes.search("dharma zzzz")) == ["note-ethics"]


def test_exclusions(notes):
    assert set(ids(notes.search("memory"))) == {"note-consolidation", "note-cache", "note-tokyo"}
    assert set(ids(notes.search("memory -cache"))) == {"note-consolidation", "note-tokyo"}
    assert set(ids(notes.search('memory -"cherry blossoms"'))) == {"note-consolidation",
                                                                   "note-cache"}
    # The exclusion phrase must occur as a phrase to exclude.
    assert set(ids(notes.search('memory -"blossoms cherry"'))) == {
        "note-consolidation", "note-cache", "note-tokyo"}
    assert ids(notes.search("memory -agent -cache")) == []
    assert ids(notes.search("memory -agent", mode="and")) == ["note-cache"]
    # A lone "-" is ignored.
    assert ids(notes.search("dharma -")) == ["note-ethics"]
    # An excluded word counts nowhere in the score.
    a = pairs(notes.search("dharma -cache"))
    b = pairs(notes.search("dharma"))
    assert a == b


def test_fields(notes):
    assert ids(notes.search("title:garden")) == ["note-garden"]
    assert notes.search("title:water") == []          # in the text, not the title
    assert ids(notes.search("water")) == ["note-garden"]
    assert ids(notes.search("tag:ethics")) == ["note-ethics"]
    assert ids(notes.search("tag:memory")) == ["note-consolidation"]
    # "memory" is in three texts but in one tag.
    assert set(ids(notes.search("tag:memory memory"))) == {
        "note-consolidation", "note-cache", "note-tokyo"}
    assert ids(notes.search("tag:memory memory"))[0] == "note-consolidation"
    # An unknown field name: the whole run is text ("nothing", "garden" as a phrase).
    assert notes.search("nothing:garden") == []
    assert ids(notes.search("compost:consolidation")) == ["note-garden"]
    assert ids(notes.search("title:cache-layer")) == ["note-cache"]
    assert ids(notes.search("title:ethical -tag:systems")) == ["note-ethics"]
    assert notes.search("title:ethical -tag:ethics") == []


def test_title_weighting():
    index = search.Index()
    # Inserted first, so that a tie would rank it first: the title hit must win on score.
    index.add("body", "memory about the agent today", title="Notes")
    index.add("title", "notes about the agent today", title="Memory")
    index.add("other", "something else entirely here", title="Other")
    hits = index.search("memory")
    assert ids(hits) == ["title", "body"]
    assert hits[0].score > hits[1].score
    # Both default fields are 2 * 1 + 5 = 7 tokens long (the third 2 + 4): the title
    # occurrence counts 2.
    n, avgdl, df = 3, (7 + 7 + 6) / 3, 2
    idf = bm25_idf(n, df)
    assert_scores(hits, [("title", bm25(idf, 2, 7, avgdl)), ("body", bm25(idf, 1, 7, avgdl))])


def test_ties_in_insertion_order():
    index = search.Index()
    for doc_id in ("z", "a", "m", "b"):
        index.add(doc_id, "identical words here")
    index.add("other", "unrelated text")
    assert ids(index.search("identical")) == ["z", "a", "m", "b"]
    hits = index.search("identical")
    assert len({h.score for h in hits}) == 1
    index.update("z", "identical words here")      # an update is a new insertion
    assert ids(index.search("identical")) == ["a", "m", "b", "z"]
    index.remove("m")
    index.add("m", "identical words here")
    assert ids(index.search("identical")) == ["a", "b", "z", "m"]
    assert ids(index.search("identical", limit=2)) == ["a", "b"]
    assert ids(index.search("identical", limit=2, offset=2)) == ["z", "m"]


def test_offset_and_limit(notes):
    full = pairs(notes.search("the agent memory", limit=100))
    assert len(full) == 5           # every note has "the"
    for offset in range(6):
        for limit in range(1, 6):
            got = pairs(notes.search("the agent memory", limit=limit, offset=offset))
            assert got == full[offset:offset + limit], (offset, limit)
    assert pairs(notes.search("the agent memory")) == full          # limit=10 by default


def test_fuzzy_and_prefix():
    index = search.Index()
    words = ["memory", "memo", "memoir", "enemy", "memories", "memo pad", "mermaid"]
    for i, text in enumerate(words):
        index.add("f%d" % i, text)
    # Levenshtein distances to "memry": memory 1, memo 2, enemy 3, memoir 3, mermaid 4.
    for word, d in (("memory", 1), ("memo", 2), ("enemy", 3), ("memoir", 3), ("mermaid", 4)):
        assert levenshtein("memry", word) == d
    assert index.search("memry") == []
    assert ids(index.search("memry", fuzzy=1)) == ["f0"]
    # memo is one of the two words of f5, whose field is longer: f1 first.
    assert ids(index.search("memry", fuzzy=2)) == ["f0", "f1", "f5"]
    # A transposition is two edits in Levenshtein distance.
    assert levenshtein("mmeory", "memory") == 2
    assert index.search("mmeory", fuzzy=1) == []
    assert ids(index.search("mmeory", fuzzy=2)) == ["f0"]
    # Prefixes: the term itself and every term that starts with it.
    # memory, memoir and memories are in one document each, memo in two (a lower idf);
    # f5 is longer than f1.
    assert ids(index.search("memo", prefix=True)) == ["f0", "f2", "f4", "f1", "f5"]
    assert ids(index.search("memor", prefix=True)) == ["f0", "f4"]
    assert ids(index.search("MEMOR", prefix=True)) == ["f0", "f4"]
    assert index.search("memor") == []
    # Neither widens a phrase nor an exclusion.
    assert index.search('"mem pad"', prefix=True) == []
    assert index.search('"memp pad"', fuzzy=1) == []
    assert ids(index.search('"memo pad"', fuzzy=1)) == ["f5"]
    assert ids(index.search("memory -memo", fuzzy=1)) == ["f0"]
    assert ids(index.search("memory -memor", prefix=True)) == ["f0"]
    assert ids(index.search("memory -memry", fuzzy=1)) == ["f0"]
    assert ids(index.search("memor mermaid", prefix=True, mode="and")) == []


def test_widened_clause_scores_its_best_term():
    index = search.Index()
    index.add("both", "memo memory memory")
    index.add("memo", "memo filler filler")
    index.add("memory", "memory filler")
    # "memo" with fuzzy=2 widens to memo and memory (distance 2); the document with both
    # scores the better of the two, not their sum.
    n, avgdl = 3, 8 / 3
    idf_memo, idf_memory = bm25_idf(n, 2), bm25_idf(n, 2)
    both = max(bm25(idf_memo, 1, 3, avgdl), bm25(idf_memory, 2, 3, avgdl))
    want = sorted([("both", both), ("memo", bm25(idf_memo, 1, 3, avgdl)),
                   ("memory", bm25(idf_memory, 1, 2, avgdl))], key=lambda h: -h[1])
    assert_scores(index.search("memo", fuzzy=2), want)


def test_widening_keeps_the_128_most_frequent_terms():
    index = search.Index()
    # 130 terms with prefix "pa", each in one document: the 128 first in code-point
    # order are kept (equal document frequencies).
    for i in range(130):
        index.add("p%03d" % i, "pa%03d" % i)
    # One term in three documents sorts first whatever its text.
    for i in range(3):
        index.add("z%d" % i, "pazzz")
    hits = index.search("pa", prefix=True, limit=1000)
    got = set(ids(hits))
    want = {"z0", "z1", "z2"} | {"p%03d" % i for i in range(127)}
    assert got == want


def test_empty_queries_match_nothing():
    index = notes_index(stopwords=True)
    for query in ("", "   ", "-", "- -", "the of and", '"the of"', "-memory", '-"cherry blossoms"',
                  "-memory -dharma", "the -memory", ":::", "!!!", '""'):
        assert index.search(query) == [], query
        assert index.search(query, mode="and") == [], query
        assert index.search(query, fuzzy=2, prefix=True) == [], query
    index.close()


def test_duplicate_clauses_count_once(notes):
    one = pairs(notes.search("dharma"))
    assert pairs(notes.search("dharma dharma DHARMA")) == one
    assert pairs(notes.search('dharma "dharma"')) == one   # a phrase of one token is a term
    two = pairs(notes.search('"cherry blossoms"'))
    assert pairs(notes.search('"cherry blossoms" cherry-blossoms')) == two


# --- golden rankings: Unicode -------------------------------------------------------------

def unicode_index(items):
    index = search.Index()
    for doc_id, text in items:
        index.add(doc_id, text)
    return index


def test_cjk_ideographs_are_tokens():
    index = unicode_index([("ja1", "東京タワー"), ("ja2", "京東"), ("ja3", "東の京"), ("ja4", "東京"),
                           ("other", "tokyo")])
    # 東京 is the phrase 東 京: the reversed pair and 東 の 京 do not match; the shorter
    # document first.
    assert ids(index.search("東京")) == ["ja4", "ja1"]
    assert ids(index.search('"東 京"')) == ["ja4", "ja1"]
    assert pairs(index.search("東京")) == pairs(index.search('"東 京"'))
    # 東 alone: ja2 and ja4 tie (2 tokens each, insertion order), then 3 and 5 tokens.
    assert ids(index.search("東")) == ["ja2", "ja4", "ja3", "ja1"]
    assert ids(index.search("タワー")) == ["ja1"]
    assert set(ids(index.search("東 京", mode="and"))) == {"ja1", "ja2", "ja3", "ja4"}
    assert ids(index.search("京東")) == ["ja2"]


def test_accents_and_composition():
    index = unicode_index([("fr1", "café"), ("fr2", "cafe"), ("fr3", "CAFÉ"),
                           ("fr4", "cafe\u0301"), ("fr5", "naïve"), ("fr6", "naive")])
    assert ids(index.search("café")) == ["fr1", "fr3", "fr4"]
    assert ids(index.search("cafe\u0301")) == ["fr1", "fr3", "fr4"]
    assert ids(index.search("cafe")) == ["fr2"]
    assert ids(index.search("NAÏVE")) == ["fr5"]
    assert ids(index.search("naive")) == ["fr6"]


def test_full_case_folding():
    index = unicode_index([("de1", "Straße"), ("de2", "STRASSE"), ("de3", "strasse"),
                           ("de4", "STRAẞE"), ("de5", "strase")])
    for query in ("straße", "STRASSE", "Strasse", "STRAẞE", "strasse"):
        assert ids(index.search(query)) == ["de1", "de2", "de3", "de4"], query
    assert ids(index.search("strase")) == ["de5"]


def test_turkish_dotless_i():
    index = unicode_index([("dotless", "kırmızı limanı"), ("dotted", "İzmir"),
                           ("plain", "kirmizi"), ("izmir", "izmir")])
    assert ids(index.search("kırmızı")) == ["dotless"]
    assert ids(index.search("KIRMIZI")) == ["plain"]      # I folds to i, not to ı
    assert ids(index.search("kirmizi")) == ["plain"]
    assert ids(index.search("limanı")) == ["dotless"]
    assert index.search("limani") == []
    assert ids(index.search("izmir")) == ["izmir"]         # İ folds to i + U+0307
    assert ids(index.search("İzmir")) == ["dotted"]
    assert ids(index.search("i\u0307zmir")) == ["dotted"]
    assert index.search("ızmir") == []


def test_fullwidth_and_ligatures():
    index = unicode_index([("fw", "ＨＯＴＰＡＴＨ\u3000ｖ２"), ("ascii", "hotpath v3"),
                           ("lig", "ﬁle"), ("digits", "１２３")])
    assert set(ids(index.search("hotpath"))) == {"fw", "ascii"}
    assert set(ids(index.search("ｈｏｔｐａｔｈ"))) == {"fw", "ascii"}
    assert ids(index.search("v2")) == ["fw"]
    assert ids(index.search("file")) == ["lig"]
    assert ids(index.search("123")) == ["digits"]


# --- BM25 computed by hand ----------------------------------------------------------------

def test_bm25_by_hand():
    index = search.Index()
    index.add("d1", "apple banana apple")          # 3 tokens
    index.add("d2", "banana cherry")               # 2
    index.add("d3", "cherry cherry cherry date")   # 4
    n, avgdl = 3, (3 + 2 + 4) / 3
    idf_apple = math.log(1 + (n - 1 + 0.5) / (1 + 0.5))
    idf_banana = math.log(1 + (n - 2 + 0.5) / (2 + 0.5))
    idf_cherry = math.log(1 + (n - 2 + 0.5) / (2 + 0.5))

    def score(idf, tf, dl):
        return idf * tf * (1.2 + 1) / (tf + 1.2 * (1 - 0.75 + 0.75 * dl / avgdl))

    assert_scores(index.search("apple"), [("d1", score(idf_apple, 2, 3))])
    assert_scores(index.search("banana"), [("d2", score(idf_banana, 1, 2)),
                                           ("d1", score(idf_banana, 1, 3))])
    both = score(idf_apple, 2, 3) + score(idf_banana, 1, 3)
    assert_scores(index.search("apple banana"), [("d1", both), ("d2", score(idf_banana, 1, 2))])
    assert_scores(index.search("apple banana", mode="and"), [("d1", both)])
    # A phrase: its occurrences as tf, the sum of its tokens' idfs.
    assert_scores(index.search('"banana apple"'), [("d1", score(idf_banana + idf_apple, 1, 3))])
    assert_scores(index.search('"apple banana apple"'),
                  [("d1", score(idf_apple + idf_banana + idf_apple, 1, 3))])
    assert_scores(index.search("cherry"), [("d3", score(idf_cherry, 3, 4)),
                                           ("d2", score(idf_cherry, 1, 2))])

    # A title: twice in the default field's tf and length; its own field.
    index.add("d4", "date", title="Cherry", fields={"color": "red dark red"})
    n, avgdl = 4, (3 + 2 + 4 + 3) / 4
    idf_cherry = math.log(1 + (n - 3 + 0.5) / (3 + 0.5))
    got = {h.doc_id: h.score for h in index.search("cherry")}
    assert set(got) == {"d2", "d3", "d4"}
    assert close(got["d4"], score(idf_cherry, 2, 3), 1e-12)
    assert close(got["d3"], score(idf_cherry, 3, 4), 1e-12)
    # The title field: one document, length 1.
    idf_title = math.log(1 + (1 - 1 + 0.5) / (1 + 0.5))
    avgdl = 1.0
    assert_scores(index.search("title:cherry"), [("d4", score(idf_title, 1, 1))])
    # A named field: "red" twice in 3 tokens.
    avgdl = 3.0
    assert_scores(index.search("color:red"), [("d4", score(idf_title, 2, 3))])
    assert_scores(index.search('color:dark-red'), [("d4", score(idf_title + idf_title, 1, 3))])

    # A phrase in the title counts 2 as well.
    index.add("d5", "banana", title="apple banana")
    n, avgdl = 5, (3 + 2 + 4 + 3 + 5) / 5
    idf_apple = math.log(1 + (n - 2 + 0.5) / (2 + 0.5))
    idf_banana = math.log(1 + (n - 3 + 0.5) / (3 + 0.5))
    assert_scores(index.search('"apple banana"'), [("d5", score(idf_apple + idf_banana, 2, 5)),
                                                   ("d1", score(idf_apple + idf_banana, 1, 3))])
    index.remove("d5")

    # Removed documents count nowhere.
    index.remove("d3")
    n, avgdl = 3, (3 + 2 + 3) / 3
    idf_cherry = math.log(1 + (n - 2 + 0.5) / (2 + 0.5))
    assert_scores(index.search("cherry"), [("d4", score(idf_cherry, 2, 3)),
                                           ("d2", score(idf_cherry, 1, 2))])
    # Neither do replaced ones.
    index.update("d4", "plain date")
    n, avgdl = 3, (3 + 2 + 2) / 3
    idf_cherry = math.log(1 + (n - 1 + 0.5) / (1 + 0.5))
    assert_scores(index.search("cherry"), [("d2", score(idf_cherry, 1, 2))])
    assert index.search("title:cherry") == []
    index.close()


def test_stop_words_in_scores_and_phrases():
    index = search.Index(stopwords=True)
    index.add("s1", "memory of the agent")       # memory 0, agent 3
    index.add("s2", "memory agent")
    index.add("s3", "memory in an agent")        # memory 0, agent 3
    index.add("s4", "memory is agent")           # memory 0, agent 2
    # The phrase keeps the gap of its stop words: agent three positions after memory.
    assert ids(index.search('"memory of the agent"')) == ["s1", "s3"]
    assert ids(index.search('"memory and an agent"')) == ["s1", "s3"]
    assert ids(index.search('"memory agent"')) == ["s2"]
    assert ids(index.search('"memory the agent"')) == ["s4"]
    # Stop words are not indexed and do not count in the field length: the four
    # fields are 2 tokens long, "memory" scores the same in each (insertion order).
    assert index.search("the") == []
    want = bm25(bm25_idf(4, 4), 1, 2, 2.0)
    assert_scores(index.search('"the memory"'), [(d, want) for d in ("s1", "s2", "s3", "s4")])
    index.close()
    plain = search.Index()
    plain.add("s1", "memory of the agent")
    plain.add("s2", "the")
    assert ids(plain.search("the")) == ["s2", "s1"]
    assert ids(plain.search('"of the"')) == ["s1"]
    plain.close()


# --- the analyzer -------------------------------------------------------------------------

ANALYZER_CASES = [
    ("Hello, World!", ["hello", "world"]),
    ("e-mail don't", ["e", "mail", "don", "t"]),
    ("snake_case v2.0 3rd", ["snake", "case", "v2", "0", "3rd"]),
    ("東京タワー", ["東", "京", "タ", "ワ", "ー"]),
    ("abc東京def", ["abc", "東", "京", "def"]),
    ("한국어 텍스트", ["한국어", "텍스트"]),
    ("\U00020000\U00020001", ["\U00020000", "\U00020001"]),
    ("Straße STRAẞE", ["strasse", "strasse"]),
    ("İ ı I i", ["i\u0307", "ı", "i", "i"]),
    ("ＨＥＬＬＯ　ｗｏｒｌｄ", ["hello", "world"]),
    ("ﬁle ﬂow", ["file", "flow"]),
    ("cafe\u0301 naïve", ["café", "naïve"]),
    ("x\u00a0y\u2003z", ["x", "y", "z"]),
    ("🙂 smile 🙂", ["smile"]),
    ("", []),
    ("  \t\n", []),
    ("ΣΊΣΥΦΟΣ", ["σίσυφοσ"]),
    ("½ ²", ["1", "2", "2"]),
]


@pytest.mark.parametrize("text,want", ANALYZER_CASES)
def test_analyze(text, want):
    assert search.analyze(text) == want
    assert [t for t, _ in ref_analyze(text)] == want


def test_analyze_stop_words():
    text = "The Memory of the Agent is not in a cache, and THERE it was."
    assert search.analyze(text, stopwords=True) == ["memory", "agent", "cache"]
    assert search.analyze(text) == ["the", "memory", "of", "the", "agent", "is", "not", "in",
                                    "a", "cache", "and", "there", "it", "was"]
    every = ("a an and are as at be but by for if in into is it no not of on or such that "
             "the their then there these they this to was will with")
    assert search.analyze(every, stopwords=True) == []
    assert search.analyze(every.upper(), stopwords=True) == []
    # Words near the list are kept.
    assert search.analyze("an and any them those", stopwords=True) == ["any", "them", "those"]


STEM_GOLDENS = [("running", "run"), ("runs", "run"), ("consolidation", "consolid"),
                ("consolidated", "consolid"), ("memories", "memori"), ("memory", "memori"),
                ("boundaries", "boundari"), ("ethical", "ethic"), ("generously", "generous"),
                ("caring", "care"), ("skies", "sky"), ("dying", "die"), ("news", "news"),
                ("agents", "agent"), ("dharma", "dharma")]


def test_stemmer_goldens(stemming):
    words = [w for w, _ in STEM_GOLDENS]
    assert search.analyze(" ".join(words), stemmer="english") == [s for _, s in STEM_GOLDENS]
    if snowball() is not None:
        assert snowball().stemWords(words) == [s for _, s in STEM_GOLDENS]
    # Folding first; stop words dropped.
    assert search.analyze("RUNNING Running", stemmer="english") == ["run", "run"]
    assert search.analyze("this is running", stopwords=True, stemmer="english") == ["run"]
    assert search.analyze("this is running", stemmer="english") == ["this", "is", "run"]
    assert search.analyze("東京 Straße", stemmer="english") == ["東", "京", "strass"]


def test_stemmer_against_snowball(stemming, reference_stemmer):
    rng = random.Random(5)
    words = ["consolidations", "generalization", "hopefully", "relational", "conditional",
             "rational", "valency", "hesitancy", "digitizer", "conformably", "radically",
             "differently", "vilely", "analogously", "vietnamization", "predication",
             "operator", "feudalism", "decisiveness", "hopefulness", "callousness",
             "formality", "sensitivity", "sensibility", "triplicate", "formative",
             "formalize", "electricity", "electrical", "hopeful", "goodness", "revival",
             "allowance", "inference", "airliner", "gyroscopic", "adjustable", "defensible",
             "irritant", "replacement", "adjustment", "dependent", "adoption", "homologou",
             "communism", "activate", "angularity", "homologous", "effective", "bowdlerize",
             "proceed", "exceed", "succeed", "gently", "ugly", "early", "only", "singly",
             "sky", "idly", "inning", "outing", "canning", "herring", "earring", "generate",
             "generic", "arsenal", "commune", "communal", "universal", "universe", "news",
             "howe", "atlas", "cosmos", "bias", "andes", "yield", "yelling", "cry", "by", "say",
             "crying", "happily", "happiness", "ñandú", "größer", "straße"]
    # Random letter strings too: Snowball's rules apply to any word.
    for _ in range(200):
        words.append("".join(rng.choice("abcdeilnorstuyg") for _ in range(rng.randint(1, 12))))
    text = " ".join(words)
    folded = [t for t, _ in ref_analyze(text)]
    assert search.analyze(text, stemmer="english") == reference_stemmer.stemWords(folded)


def test_analyze_bad_arguments():
    for text in (b"bytes", None, 5, ["a"]):
        with pytest.raises(HotpathTypeError):
            search.analyze(text)
    with pytest.raises(HotpathValueError):
        search.analyze("lone \ud800 surrogate")
    with pytest.raises(HotpathValueError):
        search.analyze("x", stemmer="klingon")
    with pytest.raises(HotpathTypeError):
        search.analyze("x", stemmer=1)


# --- the oracle: random corpora and queries ---------------------------------------------

VOCAB = ["memory", "agent", "the", "notes", "consolidation", "of", "Memory", "memo", "sleep",
         "dream", "cache", "and", "memories", "memos", "ethics", "dharma", "recall", "night",
         "running", "runs", "run", "agents", "memoir", "ethical", "boundary", "boundaries",
         "consolidate", "MEMORY", "note", "東", "京", "東京", "straße", "STRASSE", "Café",
         "cafe", "e-mail", "naïve", "kırmızı", "ＭＥＭＯ", "a"]
VOCAB_WEIGHTS = [1.0 / (k + 1) ** 0.8 for k in range(len(VOCAB))]
TAGS = ["alpha", "beta", "gamma", "memory", "東京", "night"]
KINDS = ["log", "plan", "dream"]
QUERY_WORDS = VOCAB + ["memry", "mmeory", "consol", "mem", "eth", "zzz", "agnt", "cach", "drem",
                       "boundar", "run", "nite", "京東", "cafe\u0301", "MEMORIES"]


def random_text(rng, lo, hi):
    return " ".join(rng.choices(VOCAB, VOCAB_WEIGHTS, k=rng.randint(lo, hi)))


def random_doc(rng, doc_id):
    """(item for add_many, (text, title, fields) as stored)."""
    text = random_text(rng, 0 if rng.random() < 0.03 else 1, 10)
    r = rng.random()
    title = None if r < 0.3 else "" if r < 0.4 else random_text(rng, 1, 3)
    fields = {}
    if rng.random() < 0.5:
        fields["tag"] = " ".join(rng.sample(TAGS, rng.randint(1, 2)))
    if rng.random() < 0.15:
        fields["kind"] = rng.choice(KINDS)
    stored = (text, title or "", fields)
    form = rng.randrange(4)
    if form == 0 and title is None and not fields:
        item = (doc_id, text)
    elif form == 1 and not fields:
        item = (doc_id, text, title)
    elif form == 2:
        item = (doc_id, text, title, fields)
    else:
        item = {"doc_id": doc_id, "text": text}
        if title is not None or rng.random() < 0.5:
            item["title"] = title
        if fields or rng.random() < 0.5:
            item["fields"] = fields
    return item, stored


def typo(rng, word):
    if len(word) < 2:
        return word + "x"
    i = rng.randrange(len(word))
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + rng.choice("aeimorstx") + word[i:]
    if kind == 2:
        return word[:i] + rng.choice("aeimorstx") + word[i + 1:]
    i = min(i, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def random_query(rng):
    clauses = []
    for _ in range(rng.randint(1, 3)):
        r = rng.random()
        word = rng.choice(QUERY_WORDS)
        if r < 0.5:
            clause = word
        elif r < 0.62:
            clause = '"%s"' % " ".join(rng.choice(VOCAB) for _ in range(rng.randint(2, 3)))
        elif r < 0.72:
            clause = "title:" + word
        elif r < 0.8:
            clause = "tag:" + rng.choice(TAGS)
        elif r < 0.84:
            clause = "kind:" + rng.choice(KINDS)
        elif r < 0.87:
            clause = "nofield:" + word
        elif r < 0.97:
            clause = typo(rng, rng.choice(VOCAB))
        else:
            clause = "-"
        if rng.random() < 0.15:
            clause = "-" + clause
        clauses.append(clause)
    options = {"mode": rng.choice(["or", "or", "and"]),
               "fuzzy": rng.choice([0, 0, 0, 0, 1, 1, 2]),
               "prefix": rng.random() < 0.2,
               "limit": rng.choice([1, 3, 5, 10, 10, 20]),
               "offset": 0 if rng.random() < 0.7 else rng.randint(1, 8)}
    return " ".join(clauses), options


def oracle_checkpoint(index, twin, ref, rng, n_queries, use_reference, context):
    assert len(index) == len(twin) == len(ref.docs), context
    assert sorted(index.doc_ids) == sorted(twin.doc_ids) == sorted(ref.docs), context
    for doc_id in rng.sample(sorted(ref.docs), min(8, len(ref.docs))):
        got = index.get(doc_id)
        text, title, fields = ref.raw[doc_id]
        assert got["text"] == text, (context, doc_id)
        assert (got["title"] or "") == title, (context, doc_id)
        assert dict(got["fields"] or {}) == fields, (context, doc_id)
    stats = index.stats()
    assert stats["documents"] == len(ref.docs)
    for name in ("title", "tag", "kind"):
        n, avgdl, _ = ref.field_stats(name)
        if n:
            assert stats["fields"][name]["documents"] == n, (context, name)
            assert close(stats["fields"][name]["average_length"], avgdl, 1e-12), (context, name)
    everything = max(len(ref.docs), 1)
    for k in range(n_queries):
        query, options = random_query(rng)
        limit, offset = options.pop("limit"), options.pop("offset")
        where = (context, k, query, options, limit, offset)
        got = pairs(index.search(query, limit=limit, offset=offset, **options))
        other = pairs(twin.search(query, limit=limit, offset=offset, **options))
        assert [d for d, _ in got] == [d for d, _ in other], (where, got, other)
        for (_, s), (_, t) in zip(got, other):
            assert close(s, t, 1e-9), (where, got, other)
        # Exact top-k: the cut of an exhaustive ranking.
        full = pairs(index.search(query, limit=everything, **options))
        assert [d for d, _ in got] == [d for d, _ in full[offset:offset + limit]], where
        for (_, s), (_, t) in zip(got, full[offset:offset + limit]):
            assert close(s, t, 1e-12), where
        if use_reference:
            ranking = ref.ranking(query, **options)
            check_against_reference(full, ranking, 0, everything, ref.seq_of, where)


ORACLE_CASES = [(11, 300, False, None), (12, 800, True, None), (13, 2000, False, None),
                (14, 500, True, "english")]


@pytest.mark.parametrize("seed,n_docs,stopwords,stemmer", ORACLE_CASES)
def test_oracle(tmp_path, seed, n_docs, stopwords, stemmer):
    from hotpath import _search_py
    if stemmer:
        try:
            search.analyze("running", stemmer=stemmer)
            _search_py.analyze("running", stemmer=stemmer)
        except HotpathError as exc:
            if unsupported(exc):
                pytest.skip("no stemmer: %s" % exc)
            raise
    use_reference = stemmer is None or snowball() is not None
    rng = random.Random(seed)
    path = str(tmp_path / "index")
    index = search.Index(path, stopwords=stopwords, stemmer=stemmer)
    twin = _search_py.Index(None, stopwords=stopwords, stemmer=stemmer)
    ref = RefIndex(stopwords, stemmer)
    next_id = [0]

    def new_id():
        next_id[0] += 1
        return "d%05d" % next_id[0]

    # Phase 1: one batch (tuples and dicts), with odd ids among them.
    batch = []
    for doc_id in ["", "ü ñ/é", "a b"] + [new_id() for _ in range(n_docs // 2)]:
        item, stored = random_doc(rng, doc_id)
        batch.append(item)
        ref.put(doc_id, *stored)
    index.add_many(batch)
    twin.add_many(batch)
    index.commit()
    oracle_checkpoint(index, twin, ref, rng, 80, use_reference, (seed, "batch"))

    def change(n_ops, commit_every):
        for k in range(n_ops):
            r = rng.random()
            live = list(ref.docs)
            if r < 0.65 or not live:
                doc_id = new_id()
                item, stored = random_doc(rng, doc_id)
                if isinstance(item, dict):
                    item = (item["doc_id"], item["text"], item.get("title"), item.get("fields"))
                index.add(*item)
                twin.add(*item)
                ref.put(doc_id, *stored)
            elif r < 0.85:
                doc_id = rng.choice(live)
                _, (text, title, fields) = random_doc(rng, doc_id)
                index.update(doc_id, text, title=title, fields=fields)
                twin.update(doc_id, text, title=title, fields=fields)
                ref.put(doc_id, text, title, fields)
            else:
                doc_id = rng.choice(live)
                index.remove(doc_id)
                twin.remove(doc_id)
                ref.remove(doc_id)
            if commit_every and k % commit_every == commit_every - 1:
                index.commit()

    # Phase 2: single changes with commits in between, then a reopen.
    change(n_docs // 2, 97)
    index.commit()
    index.close()
    index = search.Index(path)
    assert index.stats()["stopwords"] is stopwords and index.stats()["stemmer"] == stemmer
    oracle_checkpoint(index, twin, ref, rng, 80, use_reference, (seed, "reopened"))
    # Phase 3: uncommitted changes are seen by the index that made them.
    change(max(n_docs // 10, 20), 0)
    oracle_checkpoint(index, twin, ref, rng, 80, use_reference, (seed, "uncommitted"))
    index.close()


def test_reference_matches_the_twin_on_the_goldens():
    # The twin and RefIndex on the notes, every query of the golden tests.
    from hotpath import _search_py
    twin = _search_py.Index()
    ref = notes_reference()
    for doc_id, text, title, fields in NOTES:
        twin.add(doc_id, text, title=title, fields=fields)
    for query in ("memory consolidation", "ethical boundaries dharma", "the agent memory",
                  '"cherry blossoms"', "title:garden", "tag:memory memory", "memory -agent",
                  "compost:consolidation", "agent memory"):
        for mode in ("or", "and"):
            got = pairs(twin.search(query, limit=100, mode=mode))
            check_against_reference(got, ref.ranking(query, mode), 0, 100, ref.seq_of, query)


# --- the API ------------------------------------------------------------------------------

def test_documents():
    index = search.Index()
    assert len(index) == 0 and list(index.doc_ids) == [] and "x" not in index
    index.add("a", "alpha text", title="Alpha", fields={"tag": "one", "_k2": "two"})
    index.add("", "the empty id")
    index.add("ü ñ/é", "an odd id")
    assert len(index) == 3
    assert "" in index and "a" in index and "ü ñ/é" in index and "b" not in index
    assert sorted(index.doc_ids) == sorted(["a", "", "ü ñ/é"])
    doc = index.get("a")
    assert doc["text"] == "alpha text" and doc["title"] == "Alpha"
    assert dict(doc["fields"]) == {"tag": "one", "_k2": "two"}
    assert (index.get("")["title"] or "") == "" and index.get("")["text"] == "the empty id"
    assert ids(index.search("empty")) == [""]
    assert ids(index.search("_k2:two")) == ["a"]
    with pytest.raises(HotpathValueError):
        index.add("a", "again")
    assert index.get("a")["text"] == "alpha text" and len(index) == 3
    # update replaces the whole document: title and fields too.
    index.update("a", "beta text")
    doc = index.get("a")
    assert doc["text"] == "beta text" and (doc["title"] or "") == ""
    assert dict(doc["fields"] or {}) == {}
    assert index.search("alpha") == [] and index.search("tag:one") == []
    assert ids(index.search("beta")) == ["a"]
    index.update("new", "added by update")
    assert "new" in index and len(index) == 4
    index.remove("new")
    assert "new" not in index and len(index) == 3
    with pytest.raises(KeyError):
        index.remove("new")
    with pytest.raises(KeyError):
        index.remove("never")
    index.remove("")
    assert "" not in index and index.search("empty") == []
    # A title given as None is the empty title.
    index.add("t1", "same words", title=None)
    index.add("t2", "same words", title="")
    assert pairs(index.search("same"))[0][1] == pairs(index.search("same"))[1][1]
    index.close()


def test_add_many_forms():
    index = search.Index()
    index.add_many([("t2", "two words"), ("t3", "three words", "Title three"),
                    ("t4", "four words", None, {"tag": "x"}),
                    {"doc_id": "d2", "text": "dict words"},
                    {"doc_id": "d4", "text": "dict four", "title": "T", "fields": {"tag": "y"}}])
    assert sorted(index.doc_ids) == ["d2", "d4", "t2", "t3", "t4"]
    assert index.get("t3")["title"] == "Title three" and index.get("t3")["text"] == "three words"
    assert dict(index.get("t4")["fields"]) == {"tag": "x"}
    assert index.get("d4")["title"] == "T" and dict(index.get("d4")["fields"]) == {"tag": "y"}
    assert set(ids(index.search("words"))) == {"t2", "t3", "t4", "d2"}
    assert ids(index.search("tag:y")) == ["d4"]
    assert ids(index.search("title:three")) == ["t3"]
    index.add_many([])
    assert len(index) == 5
    # The batch's order is the insertion order.
    index.add_many([("z%d" % i, "tie") for i in (3, 1, 2)])
    assert ids(index.search("tie")) == ["z3", "z1", "z2"]
    index.close()


def test_add_many_is_all_or_nothing():
    index = search.Index()
    index.add("old", "old words")

    def state():
        return len(index), sorted(index.doc_ids), pairs(index.search("words", limit=100))

    before = state()
    good = ("n1", "new words")
    cases = [([good, ("old", "a duplicate of a present id")], HotpathValueError),
             ([good, ("n1", "a duplicate inside the batch")], HotpathValueError),
             ([good, ("n2", 5)], HotpathTypeError),
             ([good, (7, "an id that is no str")], HotpathTypeError),
             ([good, ("n2", "x", 5)], HotpathTypeError),
             ([good, ("n2", "x", None, {"bad-name": "v"})], HotpathValueError),
             ([good, ("n2", "x", None, {"title": "v"})], HotpathValueError),
             ([good, ("n2", "x", None, {"tag": 5})], HotpathTypeError),
             ([good, ("n2", "lone \ud800 surrogate")], HotpathValueError),
             ([good, {"doc_id": "n2", "text": b"bytes"}], HotpathTypeError),
             ([good, 42], HotpathTypeError)]
    for batch, exc in cases:
        with pytest.raises(exc):
            index.add_many(batch)
        assert state() == before, batch
        assert "n1" not in index
    with pytest.raises(HotpathTypeError):
        index.add_many(5)
    index.add_many([good])
    assert "n1" in index and len(index) == 2
    index.close()


def test_bad_arguments():
    index = notes_index()
    T, V = HotpathTypeError, HotpathValueError
    calls = [
        (T, lambda: index.add(5, "x")),
        (T, lambda: index.add(b"id", "x")),
        (T, lambda: index.add("x", None)),
        (T, lambda: index.add("x", b"text")),
        (T, lambda: index.add("x", "t", title=5)),
        (T, lambda: index.add("x", "t", title=b"t")),
        (T, lambda: index.add("x", "t", fields=[("tag", "v")])),
        (T, lambda: index.add("x", "t", fields="tag")),
        (T, lambda: index.add("x", "t", fields={"tag": 5})),
        (T, lambda: index.add("x", "t", fields={"tag": None})),
        (T, lambda: index.add("x", "t", fields={5: "v"})),
        (V, lambda: index.add("x", "t", fields={"title": "v"})),
        (V, lambda: index.add("x", "t", fields={"1abc": "v"})),
        (V, lambda: index.add("x", "t", fields={"a-b": "v"})),
        (V, lambda: index.add("x", "t", fields={"": "v"})),
        (V, lambda: index.add("x", "t", fields={"é": "v"})),
        (V, lambda: index.add("x", "t", fields={"a b": "v"})),
        (V, lambda: index.add("x", "lone \ud800")),
        (V, lambda: index.add("\udc80", "t")),
        (V, lambda: index.add("x", "t", title="\ud800")),
        (V, lambda: index.add("x", "t", fields={"tag": "\udfff"})),
        (T, lambda: index.update(5, "x")),
        (T, lambda: index.update("x", 5)),
        (V, lambda: index.update("x", "t", fields={"title": "v"})),
        (T, lambda: index.search(5)),
        (T, lambda: index.search(b"memory")),
        (T, lambda: index.search(None)),
        (V, lambda: index.search("memory \ud800")),
        (V, lambda: index.search("memory", mode="xor")),
        (V, lambda: index.search("memory", mode="")),
        (V, lambda: index.search("memory", fuzzy=3)),
        (V, lambda: index.search("memory", fuzzy=-1)),
        (T, lambda: index.search("memory", fuzzy="1")),
        (T, lambda: index.search("memory", fuzzy=1.0)),
        (V, lambda: index.search("memory", limit=-1)),
        (T, lambda: index.search("memory", limit="10")),
        (T, lambda: index.search("memory", limit=2.5)),
        (V, lambda: index.search("memory", offset=-1)),
        (T, lambda: index.search("memory", offset=1.5)),
        (T, lambda: index.search_many("memory")),
        (T, lambda: index.search_many([5])),
        (T, lambda: index.search_many(None)),
        (V, lambda: index.search_many(["memory"], fuzzy=3)),
        (T, lambda: index.highlight("note-cache", 5)),
        (T, lambda: index.snippet("note-cache", "cache", words="24")),
        (T, lambda: search.Index(stopwords="yes")),
        (V, lambda: search.Index(stemmer="klingon")),
        (V, lambda: search.Index(stemmer="")),
        (T, lambda: search.Index(stemmer=1)),
        (T, lambda: search.Index(path=5)),
        (T, lambda: search.index_directory(5)),
    ]
    for k, (exc, call) in enumerate(calls):
        with pytest.raises(exc):
            call()
        assert len(index) == 5 and "x" not in index, k
    assert ids(index.search("dharma")) == ["note-ethics"]
    index.close()


def test_stats_in_memory(notes):
    st = notes.stats()
    assert set(st) == {"documents", "pending", "segments", "bytes", "fields", "stopwords",
                       "stemmer", "path"}
    assert st["documents"] == 5
    assert (st["segments"], st["bytes"], st["path"]) == (0, 0, None)
    assert st["stopwords"] is False and st["stemmer"] is None
    # Titles of 2, 2, 2, 2 and 1 tokens; four tags of one token.
    assert st["fields"]["title"] == {"documents": 5, "average_length": 1.8}
    assert st["fields"]["tag"] == {"documents": 4, "average_length": 1.0}
    notes.remove("note-garden")
    st = notes.stats()
    assert st["documents"] == 4 and st["fields"]["title"]["average_length"] == 2.0


def test_stats_on_disk(tmp_path):
    path = str(tmp_path / "ix")
    index = search.Index(path)
    for doc_id, text, title, fields in NOTES[:3]:
        index.add(doc_id, text, title=title, fields=fields)
    st = index.stats()
    assert st["pending"] == 3 and st["documents"] == 3
    assert (st["segments"], st["bytes"]) == (0, 0)
    assert os.path.abspath(st["path"]) == os.path.abspath(path)
    index.commit()
    st = index.stats()
    manifest = read_manifest(path)
    assert st["pending"] == 0 and st["documents"] == 3
    assert st["segments"] == len(manifest["segments"]) >= 1
    assert st["bytes"] == sum(s["size"] for s in manifest["segments"])
    index.remove("note-cache")
    assert index.stats()["pending"] == 1 and index.stats()["documents"] == 2
    index.close()


def test_search_many_is_a_loop_of_search(notes):
    queries = ["memory", "ethical boundaries dharma", "", "title:garden", '"cherry blossoms"',
               "memry", "-memory", "東京", "the agent", "memory consolidation"]
    for options in ({}, {"limit": 2}, {"mode": "and"}, {"fuzzy": 1}, {"prefix": True, "offset": 1},
                    {"fuzzy": 2, "limit": 1, "offset": 2}):
        got = notes.search_many(queries, **options)
        assert len(got) == len(queries)
        assert [pairs(h) for h in got] == [pairs(notes.search(q, **options)) for q in queries], \
            options
    assert notes.search_many([]) == []
    assert [pairs(h) for h in notes.search_many(("dharma", "dharma"))] == \
        [pairs(notes.search("dharma"))] * 2


def strip_marks(text, start="<b>", end="</b>"):
    return text.replace(start, "").replace(end, "")


def marked_words(text, start="<b>", end="</b>"):
    spans = re.findall(re.escape(start) + "(.*?)" + re.escape(end), text)
    return [w for span in spans for w in span.split()]


def test_highlight():
    index = search.Index()
    text = "Memory consolidation merges memories; consolidation runs at night."
    index.add("m", text)
    got = index.highlight("m", "consolidation night")
    assert got == ("Memory <b>consolidation</b> merges memories; <b>consolidation</b> runs at "
                   "<b>night</b>.")
    assert strip_marks(got) == text
    # Matching goes through the analyzer; the original spelling is kept.
    assert index.highlight("m", "MEMORY") == "<b>Memory</b> " + text[len("Memory "):]
    assert index.highlight("m", "memory", start="[", end="]") == "[Memory] " + text[len("Memory "):]
    # A phrase occurrence: its words marked, one by one or as one span.
    got = index.highlight("m", '"merges memories"')
    assert strip_marks(got) == text and marked_words(got) == ["merges", "memories"]
    assert got in ("Memory consolidation <b>merges</b> <b>memories</b>; consolidation runs at night.",
                   "Memory consolidation <b>merges memories</b>; consolidation runs at night.")
    assert index.highlight("m", "zebra") == text
    assert index.highlight("m", "") == text
    index.add("cjk", "在東京で")
    assert index.highlight("cjk", "東京") == "在<b>東</b><b>京</b>で" or \
        index.highlight("cjk", "東京") == "在<b>東京</b>で"
    assert strip_marks(index.highlight("cjk", "東京")) == "在東京で"


def test_snippet():
    index = search.Index()
    words = ["word%d" % i for i in range(100)]
    words[60] = "consolidation"
    text = " ".join(words)
    index.add("long", text)
    got = index.snippet("long", "consolidation", words=10)
    assert "<b>consolidation</b>" in got
    assert got.startswith("...") and got.endswith("...")
    body = strip_marks(got).replace("...", " ").split()
    assert "consolidation" in body and len(body) <= 10
    start = words.index(body[0])
    assert words[start:start + len(body)] == body
    other = index.snippet("long", "consolidation", words=6, start="[", end="]", ellipsis="~")
    assert "[consolidation]" in other and other.startswith("~") and other.endswith("~")
    assert len(strip_marks(other, "[", "]").replace("~", " ").split()) <= 6
    # A short text is the whole text, marked.
    index.add("short", "Memory consolidation runs at night")
    got = index.snippet("short", "night")
    assert "..." not in got and "<b>night</b>" in got
    assert strip_marks(got).split() == "Memory consolidation runs at night".split()


def test_highlight_with_stems(stemming):
    index = search.Index(stemmer="english")
    index.add("s", "She runs; they ran; running is fun")
    assert index.highlight("s", "running") == "She <b>runs</b>; they ran; <b>running</b> is fun"
    assert ids(index.search("run")) == ["s"]
    assert index.search("ran") != []


def write_tree(root, files):
    for rel, content in files.items():
        p = os.path.join(str(root), rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8") as f:
            f.write(content)


def test_index_directory(tmp_path):
    root = tmp_path / "notes"
    write_tree(root, {"a.md": "# Alpha\nmemory consolidation happens at night\n",
                      "b.md": "ethical boundaries and dharma\n",
                      "sub/c.md": "the cache layer keeps zebra entries\n",
                      "notes.txt": "quokka words in a text file\n"})
    index = search.index_directory(str(root))
    assert len(index) == 3
    (hit,) = index.search("zebra")
    assert hit.doc_id.replace(os.sep, "/").endswith("sub/c.md")
    assert index.search("quokka") == []
    assert ids(index.search("dharma"))[0].endswith("b.md")
    assert ids(index.search("consolidation"))[0].endswith("a.md")
    index.close()
    flat = search.index_directory(str(root), recursive=False)
    assert len(flat) == 2 and flat.search("zebra") == []
    flat.close()
    txt = search.index_directory(str(root), pattern="*.txt")
    assert len(txt) == 1 and ids(txt.search("quokka"))[0].endswith("notes.txt")
    txt.close()
    path = str(tmp_path / "ix")
    built = search.index_directory(str(root), path=path, stopwords=True)
    assert built.stats()["stopwords"] is True and built.search("the") == []
    built.close()
    again = search.Index(path)
    assert len(again) == 3 and again.stats()["stopwords"] is True
    assert len(again.search("zebra")) == 1
    again.close()
    with pytest.raises(FileNotFoundError):
        search.index_directory(str(tmp_path / "missing"))


def test_threads_search_while_one_adds():
    index = search.Index()
    index.add_many([("d%04d" % i, "alpha beta") for i in range(50)])
    index.add("other", "gamma")
    total = 400
    stop = threading.Event()
    errors = []
    seen = [[] for _ in range(4)]

    def reader(k):
        try:
            last = 0
            while True:
                done = stop.is_set()
                hits = index.search("alpha", limit=1000)
                n = len(hits)
                # A consistent state: identical documents, equal scores, insertion order.
                assert ids(hits) == ["d%04d" % i for i in range(n)]
                assert len({h.score for h in hits}) == 1
                assert 50 <= n <= total and n >= last
                last = n
                seen[k].append(n)
                alpha, gamma = index.search_many(["alpha", "gamma"], limit=1000)
                assert ids(gamma) == ["other"]
                assert ids(alpha) == ["d%04d" % i for i in range(len(alpha))]
                if done:
                    break
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def writer():
        try:
            for i in range(50, total):
                index.add("d%04d" % i, "alpha beta")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            stop.set()

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(4)]
    threads.append(threading.Thread(target=writer))
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert all(seen) and all(s[-1] == total for s in seen)
    assert len(index) == total + 1
    index.close()


# --- the files of docs/search.md ----------------------------------------------------------

SEGMENT_NAME = re.compile(r"seg-[0-9a-fA-F]{16}\.hps\Z")


def read_manifest(folder):
    with open(os.path.join(folder, "MANIFEST"), "rb") as f:
        data = f.read()
    assert data[:8] == b"HPSRCHM1"
    assert zlib.crc32(data[:-4]) == struct.unpack_from("<I", data, len(data) - 4)[0]
    version, options, generation, next_seq, count = struct.unpack_from("<IIQQI", data, 8)
    off = 36
    segments = []
    for _ in range(count):
        (name_len,) = struct.unpack_from("<I", data, off)
        name = data[off + 4:off + 4 + name_len].decode("utf-8")
        off += 4 + name_len
        size, crc, n_deleted = struct.unpack_from("<QII", data, off)
        off += 16
        deleted = list(struct.unpack_from("<%dI" % n_deleted, data, off))
        off += 4 * n_deleted
        segments.append({"name": name, "size": size, "crc": crc, "deleted": deleted})
    assert off == len(data) - 4
    return {"version": version, "options": options, "generation": generation,
            "next_seq": next_seq, "segments": segments}


def _string(data, off):
    (n,) = struct.unpack_from("<I", data, off)
    return data[off + 4:off + 4 + n].decode("utf-8"), off + 4 + n


def read_segment(path):
    """(version, {kind: bytes}, [record]) with record = (seq, id, title, text, fields)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"HPSRCHS1"
    version, count = struct.unpack_from("<II", data, 8)
    table = [struct.unpack_from("<IIQQ", data, 16 + 24 * i) for i in range(count)]
    end = 16 + 24 * count
    assert zlib.crc32(data[:end]) == struct.unpack_from("<I", data, end)[0]
    sections = {}
    for kind, crc, offset, length in table:
        assert offset % 8 == 0 and offset >= end + 4 and offset + length <= len(data)
        body = data[offset:offset + length]
        assert zlib.crc32(body) == crc
        assert kind not in sections
        sections[kind] = body
    docs = sections[1]
    doc_count, block_count = struct.unpack_from("<II", docs, 0)
    offsets = struct.unpack_from("<%dQ" % (block_count + 1), docs, 8)
    assert offsets[-1] == len(docs)
    records = []
    for i in range(block_count):
        stream = zlib.decompressobj()
        block = stream.decompress(docs[offsets[i]:offsets[i + 1]])
        assert stream.eof and not stream.unused_data
        off, in_block = 0, 0
        while off < len(block):
            (seq,) = struct.unpack_from("<Q", block, off)
            doc_id, off = _string(block, off + 8)
            title, off = _string(block, off)
            text, off = _string(block, off)
            (n_fields,) = struct.unpack_from("<I", block, off)
            off += 4
            fields = {}
            for _ in range(n_fields):
                name, off = _string(block, off)
                fields[name], off = _string(block, off)
            records.append((seq, doc_id, title, text, fields))
            in_block += 1
        assert off == len(block) and 1 <= in_block <= 64
    assert len(records) == doc_count
    return version, sections, records


def _packed(s):
    b = s.encode("utf-8")
    return struct.pack("<I", len(b)) + b


def segment_bytes(records, version=1):
    """A segment with only section 1 (documents), written from the specification."""
    blocks = []
    for i in range(0, len(records), 64):
        raw = b""
        for seq, doc_id, title, text, fields in records[i:i + 64]:
            raw += struct.pack("<Q", seq) + _packed(doc_id) + _packed(title) + _packed(text)
            raw += struct.pack("<I", len(fields))
            for name, value in fields.items():
                raw += _packed(name) + _packed(value)
        blocks.append(zlib.compress(raw))
    head = 8 + 8 * (len(blocks) + 1)
    offsets = [head]
    for block in blocks:
        offsets.append(offsets[-1] + len(block))
    section = struct.pack("<II", len(records), len(blocks))
    section += struct.pack("<%dQ" % len(offsets), *offsets) + b"".join(blocks)
    header_len = 16 + 24 + 4
    offset = (header_len + 7) // 8 * 8
    header = b"HPSRCHS1" + struct.pack("<II", version, 1)
    header += struct.pack("<IIQQ", 1, zlib.crc32(section), offset, len(section))
    header += struct.pack("<I", zlib.crc32(header))
    return header + b"\0" * (offset - len(header)) + section


def manifest_bytes(segments, options=0, generation=1, next_seq=0, version=1):
    """segments: [(name, file bytes, deleted)]."""
    out = b"HPSRCHM1" + struct.pack("<IIQQI", version, options, generation, next_seq,
                                    len(segments))
    for name, data, deleted in segments:
        out += _packed(name) + struct.pack("<QII", len(data), zlib.crc32(data), len(deleted))
        out += struct.pack("<%dI" % len(deleted), *deleted)
    return out + struct.pack("<I", zlib.crc32(out))


def live_records(folder):
    """{doc_id: record} of the committed state, read by this test from the files."""
    manifest = read_manifest(folder)
    live = {}
    for seg in manifest["segments"]:
        assert SEGMENT_NAME.match(seg["name"]), seg["name"]
        path = os.path.join(folder, seg["name"])
        with open(path, "rb") as f:
            data = f.read()
        assert len(data) == seg["size"] and zlib.crc32(data) == seg["crc"]
        version, _, records = read_segment(path)
        assert version == 1
        assert seg["deleted"] == sorted(set(seg["deleted"]))
        assert all(d < len(records) for d in seg["deleted"])
        for k, record in enumerate(records):
            if k not in seg["deleted"]:
                assert record[1] not in live, record[1]
                assert record[0] < manifest["next_seq"]
                live[record[1]] = record
    return manifest, live


def test_files_follow_the_specification(tmp_path):
    path = str(tmp_path / "ix")
    index = search.Index(path, stopwords=True)
    rng = random.Random(3)
    docs = {}
    order = []
    batch = []
    for i in range(70):          # more than one block of 64 records
        item, stored = random_doc(rng, "d%02d" % i)
        batch.append(item)
        docs[item[0] if isinstance(item, tuple) else item["doc_id"]] = stored
        order.append("d%02d" % i)
    index.add_many(batch)
    index.commit()
    first, live = live_records(path)
    assert first["version"] == 1 and first["options"] == 1
    assert {d: r[3] for d, r in live.items()} == {d: s[0] for d, s in docs.items()}
    index.remove("d03")
    index.update("d05", "changed text", title="New", fields={"kind": "plan"})
    index.add("extra", "more words", fields={"tag": "t"})
    docs.pop("d03")
    docs["d05"] = ("changed text", "New", {"kind": "plan"})
    docs["extra"] = ("more words", "", {"tag": "t"})
    order = [d for d in order if d not in ("d03", "d05")] + ["d05", "extra"]
    index.commit()
    second, live = live_records(path)
    assert second["generation"] > first["generation"]
    assert second["next_seq"] >= first["next_seq"] + 2
    assert {d: (r[3], r[2], r[4]) for d, r in live.items()} == docs
    assert sorted(live, key=lambda d: live[d][0]) == order
    names = {s["name"] for s in second["segments"]}
    assert set(os.listdir(path)) - {"LOCK"} == {"MANIFEST"} | names
    st = index.stats()
    assert st["segments"] == len(second["segments"])
    assert st["bytes"] == sum(s["size"] for s in second["segments"])
    index.close()


def test_an_index_written_from_the_specification(tmp_path):
    folder = tmp_path / "by-hand"
    folder.mkdir()
    rng = random.Random(8)
    records_a, records_b = [], []
    ref = RefIndex(stopwords=True)
    seq = 0
    for i in range(70):
        _, (text, title, fields) = random_doc(rng, "a%02d" % i)
        records_a.append((seq, "a%02d" % i, title, text, fields))
        seq += 1
    for i in range(3):
        _, (text, title, fields) = random_doc(rng, "b%d" % i)
        records_b.append((seq, "b%d" % i, title, text, fields))
        seq += 1
    # a05 is replaced by a record of the second segment, a07 is deleted.
    records_b.append((seq, "a05", "", "replaced memory", {}))
    seq += 1
    for record in records_a + records_b:
        if record[1] != "a07":
            ref.put(record[1], record[3], record[2], record[4])
    seg_a, seg_b = segment_bytes(records_a), segment_bytes(records_b)
    names = ("seg-0000000000000001.hps", "seg-00000000000000a2.hps")
    (folder / names[0]).write_bytes(seg_a)
    (folder / names[1]).write_bytes(seg_b)
    (folder / "MANIFEST").write_bytes(manifest_bytes(
        [(names[0], seg_a, [5, 7]), (names[1], seg_b, [])], options=1, generation=4,
        next_seq=seq + 10))
    index = search.Index(str(folder))
    assert index.stats()["stopwords"] is True and index.stats()["stemmer"] is None
    assert len(index) == 72 and sorted(index.doc_ids) == sorted(ref.docs)
    assert "a07" not in index and index.get("a05")["text"] == "replaced memory"
    rng = random.Random(9)
    for _ in range(60):
        query, options = random_query(rng)
        options.pop("limit"), options.pop("offset")
        got = pairs(index.search(query, limit=100, **options))
        check_against_reference(got, ref.ranking(query, **options), 0, 100, ref.seq_of, query)
    # It takes changes and commits like any index; new documents come after seq + 10.
    index.add("new", records_a[0][3], title=records_a[0][2], fields=records_a[0][4])
    ref.put("new", records_a[0][3], records_a[0][2], records_a[0][4])
    index.commit()
    index.close()
    manifest, live = live_records(str(folder))
    assert live["new"][0] >= seq + 10 and sorted(live) == sorted(ref.docs)
    index = search.Index(str(folder))
    for query in (records_a[0][3], "memory", "title:memory"):
        got = pairs(index.search(query, limit=100))
        check_against_reference(got, ref.ranking(query), 0, 100, ref.seq_of, query)
    index.close()


def test_commit_and_reopen(tmp_path):
    path = str(tmp_path / "ix")
    index = notes_index(path)
    queries = ["memory consolidation", "ethical boundaries dharma", '"cherry blossoms"',
               "title:garden", "tag:memory memory", "東京", "agent -memory"]
    before = {q: pairs(index.search(q)) for q in queries}
    index.commit()
    assert {q: pairs(index.search(q)) for q in queries} == before
    index.close()
    again = search.Index(path)
    assert len(again) == 5 and sorted(again.doc_ids) == sorted(d for d, _, _, _ in NOTES)
    for doc_id, text, title, fields in NOTES:
        doc = again.get(doc_id)
        assert (doc["text"], doc["title"], dict(doc["fields"] or {})) == (text, title, fields or {})
    for q in queries:
        assert_scores(again.search(q), before[q])
    # The insertion order survives: a copy of an old document ranks after it.
    again.add("copy", NOTES[4][1], title=NOTES[4][2])
    assert ids(again.search("garden")) == ["note-garden", "copy"]
    again.commit()
    again.close()
    third = search.Index(path)
    assert ids(third.search("garden")) == ["note-garden", "copy"]
    third.close()


def test_uncommitted_changes_are_lost(tmp_path):
    path = str(tmp_path / "ix")
    index = notes_index(path)
    index.commit()
    index.add("new", "fresh words")
    index.remove("note-cache")
    index.update("note-ethics", "rewritten")
    assert "new" in index and "note-cache" not in index and len(index) == 5
    assert ids(index.search("fresh")) == ["new"] and index.search("dharma") == []
    # Another open sees the last commit.
    other = search.Index(path)
    assert "new" not in other and "note-cache" in other and len(other) == 5
    assert other.get("note-ethics")["text"] == NOTES[1][1]
    assert ids(other.search("dharma")) == ["note-ethics"] and other.search("fresh") == []
    other.close()
    index.close()
    again = search.Index(path)
    assert sorted(again.doc_ids) == sorted(d for d, _, _, _ in NOTES)
    assert again.search("fresh") == [] and ids(again.search("dharma")) == ["note-ethics"]
    again.close()
    with search.Index(path) as ix:
        ix.add("ctx", "inside words")
        assert "ctx" in ix
    with search.Index(path) as ix:
        assert "ctx" not in ix and len(ix) == 5
    # Never committed at all: a folder without a MANIFEST is a new index.
    fresh = str(tmp_path / "fresh")
    ix = search.Index(fresh)
    ix.add("x", "y")
    ix.close()
    ix = search.Index(fresh)
    assert len(ix) == 0
    ix.close()


def test_options_are_stored(tmp_path):
    path = str(tmp_path / "ix")
    index = search.Index(path, stopwords=True)
    index.add("a", "the memory")
    index.commit()
    index.close()
    assert read_manifest(path)["options"] == 1
    for options in ({}, {"stopwords": None}, {"stopwords": True}, {"stemmer": None}):
        ix = search.Index(path, **options)
        assert ix.stats()["stopwords"] is True and ix.stats()["stemmer"] is None, options
        assert ix.search("the") == [] and ids(ix.search("memory")) == ["a"]
        ix.close()
    with pytest.raises(HotpathValueError):
        search.Index(path, stopwords=False)
    plain = str(tmp_path / "plain")
    ix = search.Index(plain)
    ix.add("a", "the memory")
    ix.commit()
    ix.close()
    assert read_manifest(plain)["options"] == 0
    with pytest.raises(HotpathValueError):
        search.Index(plain, stopwords=True)
    ix = search.Index(plain, stopwords=False)
    assert ids(ix.search("the")) == ["a"]
    ix.close()


def test_stemmer_is_stored(tmp_path, stemming):
    path = str(tmp_path / "ix")
    index = search.Index(path, stemmer="english")
    index.add("a", "the agent keeps running")
    index.commit()
    index.close()
    assert read_manifest(path)["options"] == 1 << 8
    for options in ({}, {"stemmer": None}, {"stemmer": "english"}, {"stopwords": False}):
        ix = search.Index(path, **options)
        assert ix.stats()["stemmer"] == "english" and ix.stats()["stopwords"] is False
        assert ids(ix.search("runs")) == ["a"]
        ix.close()
    with pytest.raises(HotpathValueError):
        search.Index(path, stopwords=True)
    plain = str(tmp_path / "plain")
    ix = search.Index(plain)
    ix.add("a", "running")
    ix.commit()
    ix.close()
    with pytest.raises(HotpathValueError):
        search.Index(plain, stemmer="english")


def _flip(data, at):
    return data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1:]


def _rewrite_manifest(folder, segment_name, new_segment):
    """The MANIFEST of folder, with segment_name's size and checksum those of new_segment."""
    m = read_manifest(folder)
    segments = []
    for seg in m["segments"]:
        if seg["name"] == segment_name:
            data = new_segment
        else:
            with open(os.path.join(folder, seg["name"]), "rb") as f:
                data = f.read()
        segments.append((seg["name"], data, seg["deleted"]))
    return manifest_bytes(segments, m["options"], m["generation"], m["next_seq"], m["version"])


def _corrupt(folder, how):
    """Damages the index in folder; returns the name of the file the error must name."""
    manifest_path = os.path.join(folder, "MANIFEST")
    with open(manifest_path, "rb") as f:
        manifest = f.read()
    seg = read_manifest(folder)["segments"][-1]["name"]
    seg_path = os.path.join(folder, seg)
    with open(seg_path, "rb") as f:
        segment = f.read()

    def put(path, data):
        with open(path, "wb") as f:
            f.write(data)

    if how == "manifest-flipped":
        put(manifest_path, _flip(manifest, len(manifest) // 2))
    elif how == "manifest-truncated":
        put(manifest_path, manifest[:len(manifest) // 2])
    elif how == "manifest-empty":
        put(manifest_path, b"")
    elif how == "manifest-foreign":
        put(manifest_path, b"# a note that happens to be called MANIFEST\n" * 4)
    elif how == "manifest-version":
        bumped = manifest[:8] + struct.pack("<I", 2) + manifest[12:-4]
        put(manifest_path, bumped + struct.pack("<I", zlib.crc32(bumped)))
    elif how == "manifest-crc":
        put(manifest_path, manifest[:-4] + struct.pack("<I", zlib.crc32(manifest[:-4]) ^ 1))
    elif how == "segment-truncated":
        put(seg_path, segment[:len(segment) // 2])
        return seg
    elif how == "segment-flipped":
        put(seg_path, _flip(segment, len(segment) // 2))
        return seg
    elif how == "segment-appended":
        put(seg_path, segment + b"\0")
        return seg
    elif how == "segment-foreign":
        put(seg_path, bytes(random.Random(1).getrandbits(8) for _ in range(len(segment))))
        return seg
    elif how == "segment-version":
        # Version 2 with every checksum right: only the version is unknown.
        header_len = 16 + 24 * struct.unpack_from("<I", segment, 12)[0]
        head = segment[:8] + struct.pack("<I", 2) + segment[12:header_len]
        bumped = head + struct.pack("<I", zlib.crc32(head)) + segment[header_len + 4:]
        put(seg_path, bumped)
        put(manifest_path, _rewrite_manifest(folder, seg, bumped))
        return seg
    elif how == "segment-section":
        # A flipped byte in the documents section, the manifest agreeing with the file.
        kinds = [struct.unpack_from("<IIQQ", segment, 16 + 24 * i)
                 for i in range(struct.unpack_from("<I", segment, 12)[0])]
        (offset, length), = [(o, n) for k, _, o, n in kinds if k == 1]
        bumped = _flip(segment, offset + length // 2)
        put(seg_path, bumped)
        put(manifest_path, _rewrite_manifest(folder, seg, bumped))
        return seg
    elif how == "segment-header":
        # A flipped byte in the section table, the manifest agreeing with the file.
        bumped = _flip(segment, 17)
        put(seg_path, bumped)
        put(manifest_path, _rewrite_manifest(folder, seg, bumped))
        return seg
    else:
        raise AssertionError(how)
    return "MANIFEST"


CORRUPTIONS = ["manifest-flipped", "manifest-truncated", "manifest-empty", "manifest-foreign",
               "manifest-version", "manifest-crc", "segment-truncated", "segment-flipped",
               "segment-appended", "segment-foreign", "segment-version", "segment-section",
               "segment-header"]


@pytest.fixture(scope="module")
def committed_notes(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("committed") / "ix")
    index = notes_index(path)
    index.commit()
    index.add("more", "a second commit about memory", title="More")
    index.remove("note-cache")
    index.commit()
    index.close()
    return path


@pytest.mark.parametrize("how", CORRUPTIONS)
def test_corrupt_files_are_ecorrupt(tmp_path, committed_notes, how):
    folder = str(tmp_path / "ix")
    shutil.copytree(committed_notes, folder)
    name = _corrupt(folder, how)
    with pytest.raises(HotpathValueError) as info:
        index = search.Index(folder)
        try:
            len(index)
            for doc_id in list(index.doc_ids):
                index.get(doc_id)
            index.search("memory consolidation dharma garden", limit=100)
        finally:
            index.close()
    assert info.value.status == _errors.ECORRUPT and info.value.status_name == "ECORRUPT"
    assert name in str(info.value)


def test_a_missing_segment_is_an_error(tmp_path, committed_notes):
    folder = str(tmp_path / "ix")
    shutil.copytree(committed_notes, folder)
    seg = read_manifest(folder)["segments"][-1]["name"]
    os.remove(os.path.join(folder, seg))
    with pytest.raises(HotpathError) as info:
        index = search.Index(folder)
        try:
            for doc_id in list(index.doc_ids):
                index.get(doc_id)
            index.search("memory consolidation dharma garden", limit=100)
        finally:
            index.close()
    assert isinstance(info.value, (HotpathValueError, FileNotFoundError))
    if isinstance(info.value, HotpathValueError):
        assert info.value.status == _errors.ECORRUPT
    assert seg in str(info.value)


def test_files_no_manifest_names_are_ignored_then_removed(tmp_path, committed_notes):
    folder = str(tmp_path / "ix")
    shutil.copytree(committed_notes, folder)
    stray = os.path.join(folder, "seg-ffffffffffffffff.hps")
    with open(stray, "wb") as f:
        f.write(b"left by a writer that crashed before its MANIFEST")
    index = search.Index(folder)
    assert len(index) == 5 and ids(index.search("dharma")) == ["note-ethics"]
    index.add("late", "one more")
    index.commit()
    index.close()
    assert not os.path.exists(stray)
    names = {s["name"] for s in read_manifest(folder)["segments"]}
    assert set(os.listdir(folder)) - {"LOCK"} == {"MANIFEST"} | names


def test_the_undamaged_copy_opens(tmp_path, committed_notes):
    # The corruption tests' starting point is a good index.
    folder = str(tmp_path / "ix")
    shutil.copytree(committed_notes, folder)
    index = search.Index(folder)
    assert sorted(index.doc_ids) == sorted(["note-consolidation", "note-ethics", "note-tokyo",
                                            "note-garden", "more"])
    assert ids(index.search("dharma")) == ["note-ethics"]
    index.close()


LOCK_CHILD = r'''
import sys
sys.path.insert(0, sys.argv[1])
from hotpath import search
index = search.Index(sys.argv[2])
index.add("child", "written by the child")
print("locked", flush=True)
sys.stdin.readline()
'''


def test_second_writer_is_refused(tmp_path):
    from conftest import BINDINGS
    path = str(tmp_path / "ix")
    index = notes_index(path)
    index.commit()
    index.close()
    child = subprocess.Popen([sys.executable, "-c", LOCK_CHILD, str(BINDINGS), path],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line == "locked\n", child.stderr.read() if child.poll() is not None else line
        reader = search.Index(path)
        # Reading is not writing.
        assert len(reader) == 5 and ids(reader.search("dharma")) == ["note-ethics"]
        changes = [lambda: reader.add("p", "x"), lambda: reader.remove("note-cache"),
                   lambda: reader.update("note-cache", "x"),
                   lambda: reader.add_many([("q", "y")])]
        for change in changes:
            with pytest.raises(HotpathOSError) as info:
                change()
            assert info.value.errno == errno.EWOULDBLOCK
            assert "is locked by another writer" in str(info.value)
        assert len(reader) == 5 and "p" not in reader and "note-cache" in reader
        assert "child" not in reader
        reader.close()
    finally:
        child.stdin.write("\n")
        child.stdin.flush()
        child.wait(timeout=60)
    assert child.returncode == 0, child.stderr.read()
    after = search.Index(path)
    assert "child" not in after and len(after) == 5
    after.add("p", "x")
    after.commit()
    after.close()
    again = search.Index(path)
    assert "p" in again
    again.close()
