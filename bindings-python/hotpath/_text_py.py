"""Pure-Python twin of the text kernels: the executable specification.

Every public function here has the signature, results and errors of its
counterpart in ``hotpath.text`` (include/hotpath/text.h), and the native kernels
must agree with it exactly (same floats, bit for bit: the arithmetic below is
written in the order the C++ core uses).  It runs when no library is loaded, and
the dispatcher also uses it for calls too small to amortise a foreign call.

Definitions (docs/text.md has them in full):

* text is a sequence of code points; a str holding a lone surrogate cannot be
  UTF-8 and is refused (HotpathValueError, status EUTF8) on every backend;
* words are ``str.split()`` (Python's white-space set, which the C side copies);
* case folding is Unicode simple case folding (CaseFolding.txt, statuses C and
  S; the table in _casefold), applied to every code point before anything else;
* Levenshtein: unit-cost insertions, deletions and substitutions of code points,
  computed bit-parallel (Myers 1999 / Hyyro 2001) with one Python int as the
  bit vector, after stripping the common prefix and suffix;
* Jaro-Winkler: the Jaro part exactly as python-Levenshtein 0.12 (the tests'
  oracle) computes it, which is not the textbook Jaro (see jaro() below), and
  Winkler's bonus over a common prefix of at most 4 code points (text.h).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Mapping, Sequence
from math import sqrt
from operator import index as _index
from operator import ne as _ne

from ._buffers import real_arg, u64_arg
from ._casefold import FOLD
from ._errors import EUTF8, HotpathTypeError, HotpathValueError, bad_real

METRICS = ("jaccard", "cosine", "overlap", "levenshtein", "levenshtein_normalized",
           "jaro_winkler")
WORD_METRICS = ("jaccard", "cosine", "overlap")
DEFAULT_PREFIX_WEIGHT = 0.1
MAX_PREFIX_WEIGHT = 0.25
PREFIX_CAP = 4  # Winkler's bonus counts at most this many common leading code points

# str.translate table of the simple case folding.
FOLD_TABLE = {cp: chr(folded) for cp, folded in FOLD.items()}

U32_LIMIT = 1 << 32
_NOT_SPACE = re.compile(r"\S")  # re's \s is str.isspace(), the set str.split() uses

_INF = float("inf")


# --- arguments ----------------------------------------------------------------------

def text_arg(value, name):
    """value if it is a str that UTF-8 can encode; the argument error otherwise.

    A str fails only when it holds a lone surrogate (U+D800..U+DFFF), the one
    case where the C library would see invalid UTF-8; every backend checks it
    here, in Python, so that the message is the same everywhere.
    """
    if value.__class__ is not str and not isinstance(value, str):
        raise HotpathTypeError("argument '%s' has type %s; expected a str"
                               % (name, type(value).__name__))
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise lone_surrogate(name, value, exc.start) from None
    return value


def sequence_arg(value, name, expected, mapping_advice=None):
    """list(value) for an argument that takes a sequence of items: a str, bytes or
    mapping (whose iteration would give characters, ints or keys) and a non-iterable
    are the argument's TypeError, worded as `expected` ("a sequence of str"); a
    mapping's message gives mapping_advice instead when there is one."""
    if isinstance(value, (str, bytes, bytearray)):
        raise HotpathTypeError("argument '%s' has type %s; expected %s"
                               % (name, type(value).__name__, expected))
    if isinstance(value, Mapping):
        raise HotpathTypeError("argument '%s' is a mapping (%s); %s"
                               % (name, type(value).__name__,
                                  mapping_advice or "expected " + expected))
    try:
        return list(value)
    except TypeError:
        raise HotpathTypeError("argument '%s' has type %s; expected %s"
                               % (name, type(value).__name__, expected)) from None


def encode_arg(value, name):
    """The UTF-8 bytes of a text argument, with text_arg's errors (native paths)."""
    if value.__class__ is not str and not isinstance(value, str):
        raise HotpathTypeError("argument '%s' has type %s; expected a str"
                               % (name, type(value).__name__))
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise lone_surrogate(name, value, exc.start) from None


def lone_surrogate(name, text, index):
    return HotpathValueError(
        "argument '%s' holds a lone surrogate U+%04X at index %d; expected text that "
        "UTF-8 can encode" % (name, ord(text[index]), index), EUTF8)


def metric_arg(metric):
    if metric.__class__ is str and metric in METRICS:
        return metric
    if not isinstance(metric, str):
        raise HotpathTypeError("argument 'metric' has type %s; expected a str"
                               % type(metric).__name__)
    if metric in METRICS:
        return str(metric)
    raise HotpathValueError("argument 'metric' is %r; expected one of %s"
                            % (metric, ", ".join(repr(m) for m in METRICS)))


def prefix_weight_arg(value):
    """The Jaro-Winkler prefix weight as a float in [0, 0.25] (NaN refused)."""
    w = real_arg(value, "prefix_weight")
    if not 0.0 <= w <= MAX_PREFIX_WEIGHT:
        raise bad_real("prefix_weight", w, "a value in [0, 0.25]")
    return w


def cutoff_arg(value):
    """levenshtein's score_cutoff: None, or an int in [0, 2**64)."""
    if value is None:
        return None
    return u64_arg(value, "score_cutoff")


def count_arg(value, name, limit, expected):
    try:
        v = _index(value)
    except TypeError:
        raise HotpathTypeError("argument '%s' has type %s; expected an integer"
                               % (name, type(value).__name__)) from None
    if not 0 <= v < limit:
        raise HotpathValueError("argument '%s' is %d; expected %s" % (name, v, expected))
    return v


def limit_arg(limit, n):
    """extract's limit: None for all n texts, else an int >= 0 (capped at n)."""
    if limit is None:
        return n
    try:
        v = _index(limit)
    except TypeError:
        raise HotpathTypeError("argument 'limit' has type %s; expected an integer or None"
                               % type(limit).__name__) from None
    if v < 0:
        raise HotpathValueError("argument 'limit' is %d; expected an integer >= 0 or None" % v)
    return min(v, n)


def score_cutoff_arg(value):
    """extract's score_cutoff as a float; None (and NaN) mean no cutoff."""
    if value is None:
        return None
    v = real_arg(value, "score_cutoff")
    return None if v != v else v


def fold_arg(case_fold, corpus_fold):
    """The case_fold of a batch call: the corpus's when choices is a Corpus
    (corpus_fold not None; an explicit different value is an error), else
    bool(case_fold), None meaning False."""
    if corpus_fold is None:
        return False if case_fold is None else bool(case_fold)
    if case_fold is not None and bool(case_fold) != corpus_fold:
        raise HotpathValueError("argument 'case_fold' is %s but the corpus was made with "
                                "case_fold=%s; leave it out (None) or make another Corpus"
                                % (bool(case_fold), corpus_fold))
    return corpus_fold


# --- case folding -------------------------------------------------------------------

def fold(s):
    """Simple case folding of a checked text (str.lower() is the same for ASCII)."""
    return s.lower() if s.isascii() else s.translate(FOLD_TABLE)


def case_fold(text):
    """text with Unicode simple case folding (CaseFolding.txt statuses C and S)
    applied to every code point; the length in code points never changes."""
    return fold(text_arg(text, "text"))


# --- word-set metrics ---------------------------------------------------------------

def checked_pair(a, b, case_fold):
    """The texts a and b of a pair function, checked, and case-folded when asked."""
    # text_arg only for what the fast test cannot clear (ASCII str is the common case,
    # and a call costs more than the test)
    if a.__class__ is not str or not a.isascii():
        a = text_arg(a, "a")
    if b.__class__ is not str or not b.isascii():
        b = text_arg(b, "b")
    if case_fold:
        return fold(a), fold(b)
    return a, b


def word_sets(a, b, case_fold):
    """The two checked texts' sets of words (case-folded first when asked)."""
    a, b = checked_pair(a, b, case_fold)
    return set(a.split()), set(b.split())


def jaccard_sets(sa, sb):
    na = len(sa)
    nb = len(sb)
    if not na or not nb:
        return 1.0 if na == nb else 0.0
    inter = len(sa & sb)
    return inter / (na + nb - inter)


def cosine_sets(sa, sb):
    na = len(sa)
    nb = len(sb)
    if not na or not nb:
        return 1.0 if na == nb else 0.0
    # C: inter / sqrt((double)na * (double)nb); the product is exact in both.
    return len(sa & sb) / sqrt(na * nb)


def overlap_sets(sa, sb):
    na = len(sa)
    nb = len(sb)
    if not na or not nb:
        return 1.0 if na == nb else 0.0
    return len(sa & sb) / (na if na < nb else nb)


def jaccard(a, b, case_fold=False):
    """|A n B| / |A u B| of the word sets A, B (1.0 if both are empty, 0.0 if one is)."""
    sa, sb = word_sets(a, b, case_fold)
    return jaccard_sets(sa, sb)


def cosine(a, b, case_fold=False):
    """|A n B| / sqrt(|A| |B|) of the word sets (1.0 if both are empty, 0.0 if one is)."""
    sa, sb = word_sets(a, b, case_fold)
    return cosine_sets(sa, sb)


def overlap(a, b, case_fold=False):
    """|A n B| / min(|A|, |B|) of the word sets (1.0 if both are empty, 0.0 if one is)."""
    sa, sb = word_sets(a, b, case_fold)
    return overlap_sets(sa, sb)


# --- Levenshtein --------------------------------------------------------------------

def common_prefix(a, b):
    """Length of the common prefix, by halving slices (C speed, O(n) in all)."""
    n = min(len(a), len(b))
    if not n or a[0] != b[0]:
        return 0
    lo, hi = 1, n  # a[:lo] == b[:lo]; the answer is <= hi
    while lo < hi:
        mid = (lo + hi + 1) >> 1
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def common_suffix(a, b, limit):
    """Length of the common suffix, at most limit."""
    la = len(a)
    lb = len(b)
    if not limit or a[la - 1] != b[lb - 1]:
        return 0
    lo, hi = 1, limit
    while lo < hi:
        mid = (lo + hi + 1) >> 1
        if a[la - mid:la - lo] == b[lb - mid:lb - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def levenshtein_kernel(a, b, cutoff=None):
    """Edit distance of two checked (and folded) texts; cutoff + 1 when it exceeds
    cutoff (None: no cutoff)."""
    if a == b:
        return 0
    la = len(a)
    lb = len(b)
    if cutoff is not None and abs(la - lb) > cutoff:
        return cutoff + 1
    p = common_prefix(a, b)
    s = common_suffix(a, b, min(la, lb) - p)
    if p or s:
        a = a[p:la - s]
        b = b[p:lb - s]
        la -= p + s
        lb -= p + s
    if la > lb:
        a, b = b, a
        la, lb = lb, la
    if not la:
        d = lb
    else:
        d = _bit_parallel(a, b, la, cutoff)
    if cutoff is not None and d > cutoff:
        return cutoff + 1
    return d


def _bit_parallel(a, b, m, cutoff):
    """Myers/Hyyro bit-parallel edit distance: bit i of the vectors is row i + 1 of
    the DP column for the pattern a (m code points); one Python int holds them all.
    Only low bits feed low bits (+, &, |, ^, ~ and << all carry upwards), so the
    vectors are masked just to keep them m bits long."""
    peq = {}
    bit = 1
    for c in a:
        peq[c] = peq.get(c, 0) | bit
        bit <<= 1
    mask = bit - 1
    last = bit >> 1
    vp = mask
    vn = 0
    d = m
    get = peq.get
    if cutoff is None:
        for c in b:
            eq = get(c, 0)
            xv = eq | vn
            xh = (((eq & vp) + vp) ^ vp) | eq
            hp = vn | ~(xh | vp)
            hn = vp & xh
            if hp & last:
                d += 1
            elif hn & last:
                d -= 1
            hp = (hp << 1) | 1
            vp = ((hn << 1) | ~(xv | hp)) & mask
            vn = hp & xv & mask
        return d
    # With a cutoff: the last row can fall by at most 1 per remaining column.
    remaining = len(b)
    for c in b:
        remaining -= 1
        eq = get(c, 0)
        xv = eq | vn
        xh = (((eq & vp) + vp) ^ vp) | eq
        hp = vn | ~(xh | vp)
        hn = vp & xh
        if hp & last:
            d += 1
            if d - remaining > cutoff:
                return cutoff + 1
        elif hn & last:
            d -= 1
        hp = (hp << 1) | 1
        vp = ((hn << 1) | ~(xv | hp)) & mask
        vn = hp & xv & mask
    return d


def levenshtein(a, b, score_cutoff=None, case_fold=False):
    """The edit distance in code points (insert, delete, substitute: cost 1 each).

    score_cutoff: None, or an int >= 0; when the distance exceeds it the result is
    score_cutoff + 1 (and the work stops early)."""
    a, b = checked_pair(a, b, case_fold)
    return levenshtein_kernel(a, b, cutoff_arg(score_cutoff))


def normalized_kernel(a, b):
    la = len(a)
    lb = len(b)
    longest = la if la > lb else lb
    if not longest:
        return 1.0
    return 1.0 - levenshtein_kernel(a, b) / longest


def levenshtein_normalized(a, b, case_fold=False):
    """1 - levenshtein(a, b) / max(len(a), len(b)); 1.0 when both are empty."""
    a, b = checked_pair(a, b, case_fold)
    return normalized_kernel(a, b)


# --- Jaro-Winkler -------------------------------------------------------------------

def jaro(a, b):
    """The Jaro similarity as python-Levenshtein 0.12 computes it (not textbook):

    s1 is the shorter text (a when the lengths are equal), s2 the other, and
    h = ceil(len(s1) / 2).  For each position i of s2 in order, the first
    not-yet-matched position j of s1 with s1[j] == s2[i] and |i - j| <= h is
    matched to it.  m = the number of matches; trans = the number of ranks k
    for which the k-th matched position of s1 (in s1 order) is not the one
    matched k-th (in s2 order).  jaro = (m/len(s1) + m/len(s2) + 1 - trans/m/2) / 3,
    0 when m == 0, evaluated left to right in that order.
    """
    if len(a) > len(b):
        a, b = b, a
    l1 = len(a)
    l2 = len(b)
    half = (l1 + 1) >> 1
    positions = {}
    for j, c in enumerate(a):
        found = positions.get(c)
        if found is None:
            positions[c] = [j]
        else:
            found.append(j)
    # Greedy matching: for one character the window's low end only grows, so its
    # matched positions are taken in increasing order; next[c] indexes the first
    # position of c that is neither matched nor left behind the window.
    nxt = dict.fromkeys(positions, 0)
    matched = []
    for i in range(min(l2, l1 + half)):
        c = b[i]
        pos = positions.get(c)
        if pos is None:
            continue
        k = nxt[c]
        lo = i - half
        count = len(pos)
        while k < count and pos[k] < lo:
            k += 1
        if k < count and pos[k] <= i + half:
            matched.append(pos[k])
            k += 1
        nxt[c] = k
    m = len(matched)
    if not m:
        return 0.0
    trans = sum(map(_ne, matched, sorted(matched)))
    return (m / l1 + m / l2 + 1.0 - trans / m / 2.0) / 3.0


def jaro_winkler_kernel(a, b, weight):
    la = len(a)
    lb = len(b)
    if not la or not lb:
        return 1.0 if la == lb else 0.0
    j = jaro(a, b)
    # Winkler's bonus counts at most PREFIX_CAP leading code points (text.h; the
    # textbook).  python-Levenshtein 0.12 counts the whole common prefix instead,
    # which makes any two texts sharing ten leading characters score 1.0 at the
    # default weight: the one place where this definition departs from that oracle.
    # The clamp guards against rounding (j + (1 - j) * 4 * 0.25 may round above 1).
    p = 0
    shorter = la if la < lb else lb
    while p < shorter and p < PREFIX_CAP and a[p] == b[p]:
        p += 1
    j += (1.0 - j) * p * weight
    return 1.0 if j > 1.0 else j


def jaro_winkler(a, b, prefix_weight=DEFAULT_PREFIX_WEIGHT, case_fold=False):
    """jaro + l * prefix_weight * (1 - jaro), at most 1.0, with l the length of the
    common prefix up to 4 code points (see jaro() for the Jaro part, which is
    python-Levenshtein's).  prefix_weight in [0, 0.25].  1.0 for two empty texts,
    0.0 when only one is empty."""
    a, b = checked_pair(a, b, case_fold)
    return jaro_winkler_kernel(a, b, prefix_weight_arg(prefix_weight))


# --- summaries ----------------------------------------------------------------------

def front_matter_end(text):
    """Index just after a front-matter block ("---" line ... next "---" line, trailing
    white space ignored on both), or 0 when the text has none (or an unclosed one)."""
    nl = text.find("\n")
    if nl < 0 or text[:nl].rstrip() != "---":
        return 0
    n = len(text)
    pos = nl + 1
    while True:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        if text[pos:end].rstrip() == "---":
            return n if nl < 0 else nl + 1
        if nl < 0:
            return 0
        pos = nl + 1


def summary_span(text, lines, max_chars, skip_front_matter):
    """(start, end) code-point indices of the summary in text."""
    start = front_matter_end(text) if skip_front_matter else 0
    if not lines or not max_chars:
        return start, start
    found = _NOT_SPACE.search(text, start)
    if found is None:
        return start, start
    start = found.start()
    end = start
    for _ in range(lines):
        nl = text.find("\n", end)
        if nl < 0:
            end = len(text)
            break
        end = nl + 1
    else:
        end -= 1  # the last line's break is not part of the summary
    length = len(text[start:end].rstrip())
    if length > max_chars:
        # A cut inside the text may end on white space: that goes too.
        length = len(text[start:start + max_chars].rstrip())
    return start, start + length


def summarize(text, lines=1, max_chars=200, skip_front_matter=False):
    """The first `lines` lines of text from its first non-white-space character (line
    breaks "\\n" between them kept as they are), cut to at most max_chars code points,
    without trailing white space.  skip_front_matter: skip a leading "---" ...
    "---" block first (an unclosed block is not front matter)."""
    text = text_arg(text, "text")
    lines = count_arg(lines, "lines", U32_LIMIT, "an integer in [0, 2**32)")
    max_chars = u64_arg(max_chars, "max_chars")
    start, end = summary_span(text, lines, max_chars, skip_front_matter)
    return text[start:end]


# --- corpora and batches -------------------------------------------------------------

class Corpus:
    """Texts prepared once for repeated one_to_many / extract / matrix calls.

    texts: an iterable of str, kept as a tuple (``corpus[i]``, ``corpus.texts``).
    case_fold: fold the texts, and every query made against them.

    The pure-Python backend prepares lazily the folded texts and their word sets;
    hotpath.text.Corpus adds the native handle of the active native backend.
    """

    __slots__ = ("texts", "case_fold", "_folded", "_words", "__weakref__")

    def __init__(self, texts, case_fold=False, check=True):
        self.texts = text_tuple(texts, "texts", "an iterable of str", check=check)
        self.case_fold = bool(case_fold)
        self._folded = None
        self._words = None

    def __len__(self):
        return len(self.texts)

    def __getitem__(self, i):
        return self.texts[i]

    def __iter__(self):
        return iter(self.texts)

    def __repr__(self):
        return "%s(%d texts, case_fold=%s)" % (type(self).__name__, len(self.texts),
                                               self.case_fold)

    def folded(self):
        """The texts as the metrics see them (case-folded when the corpus folds)."""
        if self._folded is None:
            self._folded = [fold(t) for t in self.texts] if self.case_fold else self.texts
        return self._folded

    def words(self):
        """The word set of every text (of the folded texts when the corpus folds)."""
        if self._words is None:
            self._words = [set(t.split()) for t in self.folded()]
        return self._words


def choices_arg(choices, name="choices", check=True):
    """A Corpus as is, or a sequence/iterable of str as a tuple of checked texts
    (check=False: the items are checked later, by check_texts or while packing)."""
    if isinstance(choices, Corpus):
        return choices
    return text_tuple(choices, name, "a sequence of str or a Corpus", check=check)


def text_tuple(texts, name, expected, refused=str, check=True):
    """texts (an iterable of str, not one of the refused types: a str is iterable too)
    as a tuple of checked texts; the type error names the argument and what was
    expected.  check=False leaves the items to check_texts."""
    if isinstance(texts, refused):
        raise HotpathTypeError("argument '%s' has type %s; expected %s"
                               % (name, type(texts).__name__, expected))
    try:
        items = tuple(texts)
    except TypeError:
        raise HotpathTypeError("argument '%s' has type %s; expected %s"
                               % (name, type(texts).__name__, expected)) from None
    if check:
        check_texts(items, name)
    return items


def check_texts(items, name):
    """Raise text_arg's error for the first item that is not a str UTF-8 can encode."""
    for i, t in enumerate(items):
        if t.__class__ is not str or not t.isascii():
            text_arg(t, "%s[%d]" % (name, i))


def item_encoder(name):
    """encode(item, i) -> UTF-8 bytes, raising text_arg's error naming name[i]: the
    per-item path of the native packing (hotpath._ffi._pack)."""
    def encode(item, i):
        return encode_arg(item, "%s[%d]" % (name, i))
    return encode


def batch_args(choices, metric, case_fold, prefix_weight, name="choices", check=True):
    """Checked (choices, metric, fold, weight) of a batch call; choices is a Corpus or
    a tuple of texts, checked unless check=False (see choices_arg)."""
    choices = choices_arg(choices, name, check)
    metric = metric_arg(metric)
    corpus_fold = choices.case_fold if isinstance(choices, Corpus) else None
    folds = fold_arg(case_fold, corpus_fold)
    weight = prefix_weight_arg(prefix_weight) if metric == "jaro_winkler" \
        else DEFAULT_PREFIX_WEIGHT
    return choices, metric, folds, weight


def prepared(choices, folds, metric):
    """What the kernels read: the folded texts, or their word sets for word metrics."""
    if isinstance(choices, Corpus):
        return choices.words() if metric in WORD_METRICS else choices.folded()
    texts = [fold(t) for t in choices] if folds else choices
    if metric in WORD_METRICS:
        return [set(t.split()) for t in texts]
    return texts


_SET_KERNELS = {"jaccard": jaccard_sets, "cosine": cosine_sets, "overlap": overlap_sets}


def scores_kernel(query, items, metric, weight, cutoff=None):
    """metric(query, item) for every prepared item, as an array('d').  query is
    checked and folded; cutoff (levenshtein only) bounds the distances."""
    if metric in WORD_METRICS:
        kernel = _SET_KERNELS[metric]
        q = set(query.split())
        return array("d", [kernel(q, s) for s in items])
    if metric == "levenshtein":
        return array("d", [levenshtein_kernel(query, t, cutoff) for t in items])
    if metric == "levenshtein_normalized":
        return array("d", [normalized_kernel(query, t) for t in items])
    return array("d", [jaro_winkler_kernel(query, t, weight) for t in items])


def one_to_many(query, choices, metric="jaccard", *, case_fold=None,
                prefix_weight=DEFAULT_PREFIX_WEIGHT):
    """metric(query, choice) for every choice, as an array('d') (levenshtein
    distances as floats).  choices: a sequence of str or a Corpus; case_fold None
    means the corpus's setting (False for a sequence)."""
    query = text_arg(query, "query")
    choices, metric, folds, weight = batch_args(choices, metric, case_fold, prefix_weight)
    return one_to_many_core(query, choices, metric, folds, weight)


def one_to_many_core(query, choices, metric, folds, weight):
    """one_to_many on checked arguments (see batch_args)."""
    if folds:
        query = fold(query)
    return scores_kernel(query, prepared(choices, folds, metric), metric, weight)


def select(scores, metric, limit, cutoff):
    """Indices and scores of the best `limit` scores, best first, ties to the smaller
    index; cutoff keeps similarity >= cutoff (distance <= cutoff for levenshtein)."""
    if metric == "levenshtein":
        if cutoff is None:
            ranked = sorted(range(len(scores)), key=scores.__getitem__)
        else:
            ranked = sorted((i for i, s in enumerate(scores) if s <= cutoff),
                            key=scores.__getitem__)
    else:
        if cutoff is None:
            ranked = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)
        else:
            ranked = sorted((i for i, s in enumerate(scores) if s >= cutoff),
                            key=scores.__getitem__, reverse=True)
        # sorted(..., reverse=True) keeps equal keys in their original order, so
        # ties still go to the smaller index.
    return [(i, scores[i]) for i in ranked[:limit]]


def extract(query, choices, metric="jaccard", limit=5, score_cutoff=None, *, case_fold=None,
            prefix_weight=DEFAULT_PREFIX_WEIGHT):
    """The best `limit` (None: all) choices as (choice, score, index) tuples, best
    first: highest similarity, smallest distance for "levenshtein"; ties go to the
    smaller index.  score_cutoff keeps similarity >= cutoff (distance <= cutoff)."""
    query = text_arg(query, "query")
    choices, metric, folds, weight = batch_args(choices, metric, case_fold, prefix_weight)
    limit = limit_arg(limit, len(choices))
    cutoff = score_cutoff_arg(score_cutoff)
    return extract_core(query, choices, metric, limit, cutoff, folds, weight)


def extract_core(query, choices, metric, limit, cutoff, folds, weight):
    """extract on checked arguments (limit an int <= len(choices), cutoff a float or
    None)."""
    if not limit:
        return []
    if folds:
        query = fold(query)
    bound = None
    if metric == "levenshtein" and cutoff is not None:
        if cutoff < 0:
            return []
        if cutoff < _INF:
            bound = int(cutoff)  # distances are integers: d <= cutoff iff d <= floor
    scores = scores_kernel(query, prepared(choices, folds, metric), metric, weight, bound)
    return [(choices[i], s, i) for i, s in select(scores, metric, limit, cutoff)]


class SimilarityMatrix:
    """An n x n matrix of scores: ``data`` is an array('d') of n * n floats, row-major.

    Indexed like a list of lists or a numpy array: m[i, j] and m[i][j] are one score
    (negative indices count from the end), m[i] is row i as a read-only sequence (a
    SimilarityRow: a view, no copy), m[a:b] a list of rows, len(m) is n; m.row(i) is
    a list and m.tolist() a list of lists; iterating gives the rows as lists.
    numpy.asarray(m) is an n x n float64 array sharing the matrix's memory (no copy).
    """

    __slots__ = ("n", "data", "metric", "_view")

    def __init__(self, n, data, metric):
        self.n = n
        self.data = data
        self.metric = metric
        self._view = None

    def __len__(self):
        return self.n

    def _index(self, i):
        n = self.n
        i = _index(i)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("matrix index out of range")
        return i

    def _row(self, i):
        view = self._view
        if view is None:
            view = self._view = memoryview(self.data).toreadonly()
        n = self.n
        return SimilarityRow(view[i * n:(i + 1) * n])

    def __getitem__(self, key):
        if key.__class__ is tuple:
            try:
                i, j = key
            except ValueError:
                raise TypeError("SimilarityMatrix indices are m[i, j], m[i] or a slice; "
                                "got a tuple of %d" % len(key)) from None
            return self.data[self._index(i) * self.n + self._index(j)]
        if key.__class__ is slice:
            return [self._row(i) for i in range(*key.indices(self.n))]
        try:
            i = self._index(key)
        except TypeError:
            raise TypeError("SimilarityMatrix indices are m[i, j], m[i] or a slice; got %s"
                            % type(key).__name__) from None
        return self._row(i)

    def row(self, i):
        n = self.n
        i = self._index(i)
        return self.data[i * n:(i + 1) * n].tolist()

    def tolist(self):
        n = self.n
        flat = self.data.tolist()
        return [flat[i * n:(i + 1) * n] for i in range(n)]

    def __iter__(self):
        return iter(self.tolist())

    def __array__(self, dtype=None, copy=None):
        import numpy
        n = self.n
        if n:
            out = numpy.frombuffer(self.data, dtype=numpy.float64).reshape(n, n)
        else:
            out = numpy.zeros((0, 0), dtype=numpy.float64)
        if dtype is not None and numpy.dtype(dtype) != out.dtype:
            if copy is False:
                raise ValueError("a SimilarityMatrix holds float64; converting to %s needs "
                                 "a copy" % numpy.dtype(dtype))
            return out.astype(dtype)
        return out.copy() if copy else out

    def __eq__(self, other):
        if not isinstance(other, SimilarityMatrix):
            return NotImplemented
        return self.n == other.n and self.metric == other.metric and self.data == other.data

    __hash__ = None

    def __reduce__(self):
        return SimilarityMatrix, (self.n, self.data, self.metric)

    def __repr__(self):
        return "SimilarityMatrix(n=%d, metric=%r)" % (self.n, self.metric)


class SimilarityRow:
    """One row of a SimilarityMatrix: a read-only sequence of floats viewing the
    matrix's memory.  Equal to a list or tuple of the same floats."""

    __slots__ = ("_view",)

    def __init__(self, view):
        self._view = view

    def __len__(self):
        return len(self._view)

    def __getitem__(self, j):
        if j.__class__ is slice:
            return self._view[j].tolist()
        return self._view[j]

    def __iter__(self):
        return iter(self._view)

    def __reversed__(self):
        return reversed(self._view.tolist())

    def __contains__(self, x):
        return x in self._view.tolist()

    def index(self, x):
        return self._view.tolist().index(x)

    def count(self, x):
        return self._view.tolist().count(x)

    def tolist(self):
        return self._view.tolist()

    def __eq__(self, other):
        if isinstance(other, SimilarityRow):
            return self._view.tolist() == other._view.tolist()
        if isinstance(other, (list, tuple)):
            return self._view.tolist() == list(other)
        return NotImplemented

    __hash__ = None

    def __array__(self, dtype=None, copy=None):
        import numpy
        out = numpy.frombuffer(self._view, dtype=numpy.float64) if len(self._view) else \
            numpy.zeros(0)
        if dtype is not None and numpy.dtype(dtype) != out.dtype:
            return out.astype(dtype)
        return out.copy() if copy else out

    def __repr__(self):
        return repr(self._view.tolist())


Sequence.register(SimilarityRow)


def matrix_kernel(items, metric, weight):
    """The row-major n x n array('d') of metric(item i, item j) over prepared items:
    each pair i < j computed once (as metric(i, j)) and mirrored; the diagonal is
    1.0 (0.0 for levenshtein)."""
    n = len(items)
    out = array("d", [0.0 if metric == "levenshtein" else 1.0]) * (n * n)
    if metric in WORD_METRICS:
        kernel = _SET_KERNELS[metric]
        for i in range(n):
            si = items[i]
            for j in range(i + 1, n):
                out[i * n + j] = out[j * n + i] = kernel(si, items[j])
        return out
    for i in range(n):
        ti = items[i]
        for j in range(i + 1, n):
            if metric == "levenshtein":
                v = float(levenshtein_kernel(ti, items[j]))
            elif metric == "levenshtein_normalized":
                v = normalized_kernel(ti, items[j])
            else:
                v = jaro_winkler_kernel(ti, items[j], weight)
            out[i * n + j] = out[j * n + i] = v
    return out


def matrix(texts, metric="cosine", *, case_fold=None, prefix_weight=DEFAULT_PREFIX_WEIGHT):
    """The SimilarityMatrix of metric over every pair of texts (a sequence of str or
    a Corpus): symmetric, diagonal 1.0 (0.0 for the levenshtein distance)."""
    texts, metric, folds, weight = batch_args(texts, metric, case_fold, prefix_weight, "texts")
    return matrix_core(texts, metric, folds, weight)


def matrix_core(texts, metric, folds, weight):
    """matrix on checked arguments (see batch_args)."""
    items = prepared(texts, folds, metric)
    return SimilarityMatrix(len(items), matrix_kernel(items, metric, weight), metric)


__all__ = ["METRICS", "case_fold", "jaccard", "cosine", "overlap", "levenshtein",
           "levenshtein_normalized", "jaro_winkler", "summarize", "Corpus", "one_to_many",
           "extract", "matrix", "SimilarityMatrix"]
