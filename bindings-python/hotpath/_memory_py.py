"""Pure-Python twin of hotpath.memory: the executable specification.

Every public function here has the signature, result and errors of its counterpart
in ``hotpath.memory``.  The library implements the parts whose cost grows with the
size of a memory folder (include/hotpath/memory.h): the similar-pair search
(``similar_pairs``, prefix filtering over an inverted index) and the folder scan;
the native results must equal the ones computed here.  Front matter parsing,
scoring, consolidation and the hexagram helpers are small string and integer work
and ARE the implementation on every backend.  docs/memory.md states every rule.
"""

from __future__ import annotations

import math
import os
import re
import stat as _stat
import time
from operator import index as _index

from ._buffers import real_no_bool_arg
from ._output_file import OutputFile
from ._text_py import sequence_arg
from ._errors import (EIO, HotpathTypeError, HotpathValueError, bad_real, bad_value,
                      error_for_status, not_an_integer)

__all__ = [
    "scan", "similar_pairs", "count_similar_pairs", "consolidate", "parse_front_matter",
    "score_memory", "create_hexagram", "is_balanced", "recommend_threading_tier",
    "recommend_threads", "MIN_SECONDS_PER_THREAD", "SCAN_SECONDS_PER_ITEM",
    "IMPORTANCE_KEYWORDS", "NOVELTY_KEYWORDS", "REUSABILITY_KEYWORDS", "LONG_MEMORY_BYTES",
]

# recommend_threads: the least work that pays for one more thread.  Handing a range to
# a pool worker and joining it costs some microseconds (a condition-variable wake-up,
# cold caches on the worker); 200 microseconds of work per thread keeps that overhead
# to a few percent.  The same constants are in src/memory/memory.hpp.
MIN_SECONDS_PER_THREAD = 200e-6
# The default per-item cost: one memory file through the native scan at one thread
# (stat, read, split into words, index and probe), the order of magnitude that
# bench/bench_memory.py reports on its generated folders ("per file ... at 1 thread";
# the pair search grows a little faster than linearly with the folder).
SCAN_SECONDS_PER_ITEM = 50e-6

# Scoring (each dimension starts at 0.5, capped at 1.0; keywords are lowercase
# substrings of the lowercased content).
IMPORTANCE_KEYWORDS = ((0.3, ("critical", "breakthrough")), (0.2, ("decision", "chose")),
                       (0.2, ("changed", "pivoted")), (0.15, ("error", "bug")))
NOVELTY_KEYWORDS = ((0.3, ("learned", "discovered")), (0.2, ("new", "novel")),
                    (0.2, ("insight", "realization")))
REUSABILITY_KEYWORDS = ((0.3, ("pattern", "approach")), (0.2, ("solution", "fix")),
                        (0.2, ("template", "framework")))
LONG_MEMORY_BYTES = 1000
LONG_MEMORY_BONUS = 0.1
RELATED_WORDS = ("learned", "outcome", "next")

_NAME = re.compile(r"\A(\d{8})_(\d{6})_(.+)\.md\Z", re.S)
_DAY = 86400.0


# --- arguments ------------------------------------------------------------------------

_real = real_no_bool_arg


def unit_arg(value, name):
    """A threshold in [0, 1] as a float (NaN refused)."""
    v = _real(value, name)
    if not 0.0 <= v <= 1.0:
        raise bad_real(name, v, "0 to 1")
    return v


def finite_arg(value, name):
    v = _real(value, name)
    if not math.isfinite(v):
        raise bad_real(name, v, "a finite number")
    return v


def count_arg(value, name):
    """A non-negative int (bool refused)."""
    if value.__class__ is bool:
        raise not_an_integer(name, value)
    try:
        v = _index(value)
    except TypeError:
        raise not_an_integer(name, value) from None
    if v < 0:
        raise bad_value(name, v, "an integer >= 0")
    return v


def texts_arg(texts):
    texts = sequence_arg(texts, "texts", "a sequence of str",
                         "pass its .values(), the texts")
    for i, t in enumerate(texts):
        if t.__class__ is not str and not isinstance(t, str):
            raise HotpathTypeError("argument 'texts[%d]' has type %s; expected str"
                                   % (i, type(t).__name__))
    return texts


def dir_arg(value, name):
    """A folder path as bytes (os.fsencode), refusing empty paths and NUL bytes alike
    on every backend."""
    try:
        raw = os.fsencode(os.fspath(value))
    except TypeError:
        raise HotpathTypeError("argument '%s' has type %s; expected a path"
                               % (name, type(value).__name__)) from None
    if not raw:
        raise HotpathValueError("argument '%s' is empty" % name, -1)
    if b"\0" in raw:
        raise HotpathValueError("argument '%s' holds a NUL byte" % name, -1)
    return raw


def scan_args(memory_dir, threshold_days, similarity_threshold, now):
    raw = dir_arg(memory_dir, "dir")
    days = finite_arg(threshold_days, "threshold_days")
    sim = unit_arg(similarity_threshold, "similarity_threshold")
    now = time.time() if now is None else finite_arg(now, "now")
    return raw, days, sim, now


# --- similar pairs --------------------------------------------------------------------

def _min_overlap(t, s):
    """The least |x n y| of a passing pair whose larger set has s words (see
    src/memory/memory.cpp: a safe bound for both comparisons, at least 1)."""
    lo = (t - 1e-9) * s
    if lo <= 1.0:
        return 1
    return math.ceil(lo)


def pairs_of(texts, t, strict, collect):
    """(count, sorted pairs or None) of the texts (str, already checked) at threshold
    t: the pruned search the library runs (src/memory/memory.cpp), serially.

    Words are ranked rarest first; texts go by size.  Text x probes, with its first
    |x| - need(x) + 1 ranks, the index of the texts before it; a candidate keeps its
    overlap so far and is dropped when that plus the words left cannot reach the
    pair's least overlap t/(1+t) (|x| + |y|); survivors are verified exactly."""
    n = len(texts)
    if n < 2:
        return 0, ([] if collect else None)
    if not strict and t <= 0.0:
        total = n * (n - 1) // 2
        return total, ([(a, b) for a in range(n) for b in range(a + 1, n)] if collect else None)
    ids = {}
    sets = []
    for text in texts:
        s = set()
        for w in text.split():
            i = ids.get(w)
            if i is None:
                i = ids[w] = len(ids)
            s.add(i)
        sets.append(s)
    df = [0] * len(ids)
    for s in sets:
        for i in s:
            df[i] += 1
    rank = [0] * len(ids)
    for r, i in enumerate(sorted(range(len(ids)), key=lambda i: (df[i], i))):
        rank[i] = r
    empties = [i for i in range(n) if not sets[i]]
    order = sorted((i for i in range(n) if sets[i]), key=lambda i: (len(sets[i]), i))
    toks = [sorted(rank[w] for w in sets[i]) for i in order]
    rsets = [frozenset(tk) for tk in toks]
    size = [len(tk) for tk in toks]
    tl = t - 1e-9
    f = tl / (1.0 + tl) if tl > 0.0 else 0.0
    postings = {}
    pairs = [] if collect else None
    total = 0
    for px, tk in enumerate(toks):
        sx = size[px]
        need = _min_overlap(t, sx)
        found = {}
        for i, r in enumerate(tk[:sx - need + 1]):
            lst = postings.get(r)
            if not lst:
                continue
            for py, j in lst:
                sy = size[py]
                if sy < need:
                    continue
                c = found.get(py, 0)
                if c < 0:
                    continue
                lo = f * (sx + sy)
                least = 1 if lo <= 1.0 else math.ceil(lo)
                if c + 1 + min(sx - i - 1, sy - j - 1) >= least:
                    found[py] = c + 1
                else:
                    found[py] = -1
        xs = rsets[px]
        for py, c in found.items():
            if c <= 0:
                continue
            sy = size[py]
            o = len(xs & rsets[py])
            j = o / (sx + sy - o)
            if (j > t) if strict else (j >= t):
                total += 1
                if collect:
                    a, b = order[px], order[py]
                    pairs.append((a, b) if a < b else (b, a))
        # Indexed for the later (never smaller) texts: the prefix they can need.
        lo = 2.0 * f * sx
        keep = sx - (1 if lo <= 1.0 else math.ceil(lo)) + 1
        for j, r in enumerate(tk[:keep]):
            postings.setdefault(r, []).append((px, j))
    if (1.0 > t) if strict else True:
        k = len(empties)
        total += k * (k - 1) // 2
        if collect:
            pairs.extend((empties[a], empties[b]) for a in range(k) for b in range(a + 1, k))
    if collect:
        pairs.sort()
    return total, pairs


def similar_pairs(texts, threshold, strict=True):
    """Sorted (i, j) pairs, i < j, of texts whose word-set Jaccard (str.split() words,
    case-sensitive; two empty texts 1.0) is > threshold (strict) or >= threshold."""
    texts = texts_arg(texts)
    t = unit_arg(threshold, "threshold")
    return pairs_of(texts, t, bool(strict), True)[1]


def count_similar_pairs(texts, threshold, strict=True):
    """The number of pairs similar_pairs would return."""
    texts = texts_arg(texts)
    t = unit_arg(threshold, "threshold")
    return pairs_of(texts, t, bool(strict), False)[0]


# --- folder listing and scan ----------------------------------------------------------

def list_error(exc):
    return error_for_status(EIO, "cannot list the folder: %s" % os.strerror(exc.errno or 0),
                            exc.errno, exc.filename)


def md_names(raw):
    """Top-level names ending in .md, in byte order (hidden names included)."""
    try:
        names = os.listdir(raw)
    except OSError as exc:
        raise list_error(exc) from None
    return sorted(n for n in names if len(n) >= 3 and n.endswith(b".md"))


def _join(raw, name):
    return os.fsdecode(os.path.join(raw, name))


def read_entry(raw, name, now=None, threshold_days=None):
    """(counted, old, text or None, error or None) of one entry, as the library
    classifies it."""
    path = os.path.join(raw, name)
    try:
        st = os.stat(path)
    except OSError as exc:
        return False, False, None, "cannot stat: %s" % os.strerror(exc.errno or 0)
    if not _stat.S_ISREG(st.st_mode):
        return False, False, None, "not a regular file"
    error = None
    old = False
    if now is not None:
        mtime = st.st_mtime
        if mtime > now:
            error = "modification time in the future"
        else:
            old = math.floor((now - mtime) / _DAY) > threshold_days
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        return True, old, None, error or "cannot read: %s" % os.strerror(exc.errno or 0)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return True, old, None, error or "not valid UTF-8"
    return True, old, text, error


def scan_result(old, duplicates, total, errors):
    return {"old_memories": old, "duplicates": duplicates, "total_files": total,
            "errors": errors}


def scan(memory_dir, threshold_days=30, similarity_threshold=0.8, now=None):
    """Ages and near-duplicates of the top-level *.md files of memory_dir:
    {"old_memories", "duplicates", "total_files", "errors": [(path, reason)]}."""
    raw, days, sim, now = scan_args(memory_dir, threshold_days, similarity_threshold, now)
    old = total = 0
    errors = []
    texts = []
    for name in md_names(raw):
        counted, is_old, text, error = read_entry(raw, name, now, days)
        total += counted
        old += is_old
        if error is not None:
            errors.append((_join(raw, name), error))
        if text is not None:
            texts.append(text)
    return scan_result(old, pairs_of(texts, sim, True, False)[0], total, errors)


# --- front matter and scoring ---------------------------------------------------------

def _unquote(v):
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        return v[1:-1]
    return v


def _tags(value):
    v = value.strip()
    if v.startswith("[") and v.endswith("]"):
        v = v[1:-1]
    return [t for t in (_unquote(p) for p in v.split(",")) if t]


def _split_front_matter(text):
    """(fields dict or None, body): front matter is a first line "---" and the next
    line "---" (trailing white space ignored on both)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text
    for k in range(1, len(lines)):
        if lines[k].rstrip() == "---":
            fields = {}
            for line in lines[1:k]:
                key, sep, value = line.partition(":")
                if sep:
                    fields.setdefault(key.strip().lower(), value)
            return fields, "\n".join(lines[k + 1:])
    return None, text


def parse_front_matter(text):
    """{"title", "created", "tags"} from the front matter of a memory (None, None, []
    for what is missing; tags as "a, b" or ["a", "b"])."""
    if not isinstance(text, str):
        raise HotpathTypeError("argument 'text' has type %s; expected str"
                               % type(text).__name__)
    fields, _ = _split_front_matter(text)
    fields = fields or {}
    title = fields.get("title")
    created = fields.get("created")
    tags = fields.get("tags")
    return {"title": None if title is None else _unquote(title),
            "created": None if created is None else _unquote(created),
            "tags": [] if tags is None else _tags(tags)}


def _dimension(lowered, groups):
    score = 0.5
    for bonus, words in groups:
        for w in words:
            if w in lowered:
                score += bonus
                break
    return score


def score_memory(text):
    """(importance, novelty, reusability, total) of one memory's whole content."""
    if not isinstance(text, str):
        raise HotpathTypeError("argument 'text' has type %s; expected str"
                               % type(text).__name__)
    lowered = text.lower()
    importance = min(_dimension(lowered, IMPORTANCE_KEYWORDS), 1.0)
    novelty = min(_dimension(lowered, NOVELTY_KEYWORDS), 1.0)
    reusability = _dimension(lowered, REUSABILITY_KEYWORDS)
    if len(text.encode("utf-8")) > LONG_MEMORY_BYTES:
        reusability += LONG_MEMORY_BONUS
    reusability = min(reusability, 1.0)
    return importance, novelty, reusability, (importance + novelty + reusability) / 3


# --- consolidation --------------------------------------------------------------------

def _default_title(name):
    m = _NAME.match(name)
    stem = m.group(3) if m else name[:-3]
    return stem.replace("_", " ").replace("-", " ").strip() or stem


def _default_created(name):
    m = _NAME.match(name)
    if not m:
        return None
    d, t = m.group(1), m.group(2)
    return "%s-%s-%sT%s:%s:%s" % (d[:4], d[4:6], d[6:], t[:2], t[2:4], t[4:])


def load_memories(raw):
    """(records, errors) of the top-level *.md files of a folder, in name order."""
    records, errors = [], []
    for name in md_names(raw):
        counted, _, text, error = read_entry(raw, name)
        path = _join(raw, name)
        if error is not None:
            errors.append((path, error))
            continue
        fname = os.fsdecode(name)
        meta = parse_front_matter(text)
        importance, novelty, reusability, score = score_memory(text)
        records.append({
            "file": fname, "path": path,
            "title": meta["title"] if meta["title"] is not None else _default_title(fname),
            "tags": meta["tags"],
            "created": meta["created"] if meta["created"] is not None
            else _default_created(fname),
            "importance": importance, "novelty": novelty, "reusability": reusability,
            "score": score, "content": text,
        })
    return records, errors


def related_lines(text):
    """The body lines (after the front matter) that mention learned, outcome or next,
    case-insensitively, without their line ends."""
    _, body = _split_front_matter(text)
    out = []
    for line in body.split("\n"):
        line = line.rstrip("\r")
        low = line.lower()
        if any(w in low for w in RELATED_WORDS):
            out.append(line)
    return out


def merged_text(leader, members):
    """The leader's content, then "## Related Memories" with a "### <title>" part per
    member holding its related lines."""
    parts = [leader["content"]]
    if not leader["content"].endswith("\n"):
        parts.append("\n")
    parts.append("\n## Related Memories\n")
    for m in members:
        parts.append("\n### %s\n\n" % m["title"])
        for line in related_lines(m["content"]):
            parts.append(line + "\n")
    return "".join(parts)


def greedy_clusters(n, pairs):
    """Clusters of ranks 0..n-1 (score order): each unused rank leads, the later
    unused ranks paired with it join.  Only clusters of two or more are returned."""
    adj = [[] for _ in range(n)]
    for a, b in pairs:
        adj[min(a, b)].append(max(a, b))
    used = [False] * n
    out = []
    for i in range(n):
        if used[i]:
            continue
        used[i] = True
        members = []
        for j in sorted(adj[i]):
            if not used[j]:
                used[j] = True
                members.append(j)
        if members:
            out.append((i, members))
    return out


def _unique_name(folder, base):
    k = 1
    while True:
        name = base + (".md" if k == 1 else "-%d.md" % k)
        yield os.path.join(folder, name)
        k += 1


def write_new(folder, base, content):
    """Writes content to a new file folder/base[-k].md (never replacing one) through the
    package's writer (_output_file: a temporary file, then a hard link to the first
    free name); returns its path."""
    data = content.encode("utf-8")
    for path in _unique_name(folder, base):
        out = OutputFile(path, 0o644, exclusive=True)
        try:
            out.write(data)
            out.commit()
            return path
        except FileExistsError:
            continue
        finally:
            out.discard()


def consolidate_args(short_term_dir, top_n, similarity_threshold, write_to):
    raw = dir_arg(short_term_dir, "short_term_dir")
    top_n = count_arg(top_n, "top_n")
    t = unit_arg(similarity_threshold, "similarity_threshold")
    if write_to is not None:
        write_to = os.fsdecode(dir_arg(write_to, "write_to"))
    return raw, top_n, t, write_to


def consolidate_with(raw, top_n, t, write_to, find_pairs):
    """consolidate() with the pair search given (texts, t) -> pairs."""
    records, errors = load_memories(raw)
    ranked = sorted(records, key=lambda r: (-r["score"], r["file"]))
    lowered = [r["content"].lower() for r in ranked]
    clusters = []
    for lead, members in greedy_clusters(len(ranked), find_pairs(lowered, t)):
        leader = ranked[lead]
        group = [ranked[j] for j in members]
        clusters.append({"leader": leader["file"], "members": [m["file"] for m in group],
                         "merged_text": merged_text(leader, group)})
    written = []
    if write_to is not None and clusters:
        os.makedirs(write_to, exist_ok=True)
        for c in clusters:
            base = "consolidated_" + c["leader"][:-3]
            written.append(write_new(write_to, base, c["merged_text"]))

    def public(r):
        return {k: v for k, v in r.items() if k != "content"}

    return {"memories": [public(r) for r in ranked], "top": [public(r) for r in ranked[:top_n]],
            "clusters": clusters, "total": len(records), "errors": errors, "written": written}


def consolidate(short_term_dir, top_n=10, similarity_threshold=0.5, write_to=None):
    """Scores the memories of a folder, picks the top_n, clusters similar ones and
    merges each cluster's text; writes the merged files only when write_to is given."""
    raw, top_n, t, write_to = consolidate_args(short_term_dir, top_n, similarity_threshold,
                                               write_to)
    return consolidate_with(raw, top_n, t, write_to,
                            lambda texts, t: pairs_of(texts, t, False, True)[1])


# --- hexagrams and thread counts ------------------------------------------------------

def lines_arg(lines):
    if isinstance(lines, (str, bytes, bytearray)):
        raise HotpathTypeError("argument 'lines' has type %s; expected 6 integers 0 or 1"
                               % type(lines).__name__)
    try:
        lines = list(lines)
    except TypeError:
        raise HotpathTypeError("argument 'lines' has type %s; expected 6 integers 0 or 1"
                               % type(lines).__name__) from None
    if len(lines) != 6:
        raise HotpathValueError("argument 'lines' has %d lines; a hexagram has 6" % len(lines),
                                -1)
    out = []
    for i, v in enumerate(lines):
        if v.__class__ is bool:
            v = int(v)
        try:
            v = _index(v)
        except TypeError:
            raise not_an_integer("lines[%d]" % i, v) from None
        if v not in (0, 1):
            raise bad_value("lines[%d]" % i, v, "0 (yin) or 1 (yang)")
        out.append(v)
    return out


def create_hexagram(lines):
    """The hexagram number 1..64 of six lines (bottom to top, 0 yin, 1 yang): the
    binary value with the bottom line as the most significant bit, plus 1."""
    value = 0
    for v in lines_arg(lines):
        value = value * 2 + v
    return value + 1


def is_balanced(lines):
    """True when exactly three of the six lines are yang."""
    return sum(lines_arg(lines)) == 3


def recommend_threading_tier(task_count):
    """The application's tier: < 10 -> 8, < 50 -> 16, < 100 -> 32, < 200 -> 64,
    < 400 -> 128, else 256."""
    n = count_arg(task_count, "task_count")
    for bound, tier in ((10, 8), (50, 16), (100, 32), (200, 64), (400, 128)):
        if n < bound:
            return tier
    return 256


def cores():
    return os.cpu_count() or 1


def recommend_threads(work_items, seconds_per_item=None):
    """Threads worth using: min(cores, work_items, total work / MIN_SECONDS_PER_THREAD),
    at least 1; seconds_per_item defaults to SCAN_SECONDS_PER_ITEM."""
    n = count_arg(work_items, "work_items")
    cost = SCAN_SECONDS_PER_ITEM if seconds_per_item is None else _real(
        seconds_per_item, "seconds_per_item")
    if not (math.isfinite(cost) and cost >= 0.0):
        raise bad_real("seconds_per_item", cost, "a finite value >= 0")
    k = min(cores(), n, math.floor(n * cost / MIN_SECONDS_PER_THREAD))
    return max(1, k)
